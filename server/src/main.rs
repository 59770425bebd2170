//! `jalon`: Jalon's server. `jalon` (or `jalon serve`) starts the web app;
//! `jalon create-structure` creates a structure and its first admin,
//! `jalon create-admin` adds an admin to one.
use clap::Parser;
use tracing_subscriber::EnvFilter;

use server::cli::{Cli, Command};
use server::error::Error;
use server::{backup, config, http, people, retention};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("JALON_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .with_target(false)
        // Colours on a terminal only: journald and log files get plain lines.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "jalon stopped");
            eprintln!("Erreur : {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Error> {
    let config = config::Config::from_cli(&cli)?;
    match cli.command {
        None | Some(Command::Serve) => http::serve(config).await,
        Some(Command::CreateStructure(args)) => {
            people::create_admin(&config, args, people::Structure::New).await
        }
        Some(Command::CreateAdmin(args)) => {
            people::create_admin(&config, args, people::Structure::Existing).await
        }
        Some(Command::Backup(args)) => backup::backup(&config, &args.to).await,
        Some(Command::Fingerprint) => backup::fingerprint(&config).await,
        Some(Command::Retention(args)) => retention::run(&config, &args).await,
    }
}
