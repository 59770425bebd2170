//! Command-line flags; each has an environment variable of the same meaning.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "jalon",
    version,
    about = "Jalon : le carnet de suivi des parcours d'insertion"
)]
pub struct Cli {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "JALON_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,

    /// Folder for the SQLite database (created on first run).
    #[arg(long, env = "JALON_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Database URL; overrides --data-dir (e.g. sqlite:///srv/jalon/jalon.db).
    #[arg(long, env = "JALON_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Folder of the built site (wasm, JS, CSS, public files).
    /// Default: `site` beside the binary's folder (target/site for target/release/jalon).
    #[arg(long, env = "JALON_SITE_ROOT", global = true)]
    pub site_root: Option<PathBuf>,

    /// Start with an empty database instead of creating the demo structure.
    #[arg(long, env = "JALON_NO_DEMO", global = true)]
    pub no_demo: bool,

    /// Mark cookies `Secure`: set it when Jalon is served over HTTPS.
    #[arg(long, env = "JALON_SECURE_COOKIES", global = true)]
    pub secure_cookies: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (the default).
    Serve,
    /// Create a structure and its first admin, for a real deployment.
    /// The password is read from JALON_ADMIN_PASSWORD or, if unset, from standard input.
    CreateAdmin(CreateAdminArgs),
}

#[derive(Debug, Args)]
pub struct CreateAdminArgs {
    /// Name of the structure (created if no structure has this name).
    #[arg(long)]
    pub structure: String,
    /// Sign-in identifier of the admin.
    #[arg(long)]
    pub login: String,
    /// Name shown in the app.
    #[arg(long)]
    pub name: String,
}
