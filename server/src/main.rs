//! `jalon`: Jalon's server. `jalon` (or `jalon serve`) starts the web app;
//! `jalon create-admin` creates the first admin of a real deployment.
use clap::Parser;
use tracing_subscriber::EnvFilter;

use server::cli::{Cli, Command};
use server::error::Error;
use server::{config, http, people};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("JALON_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .with_target(false)
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
        Some(Command::CreateAdmin(args)) => people::create_admin(&config, args).await,
    }
}
