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

    /// Database URL; overrides --data-dir. The engine follows the scheme:
    /// sqlite:///srv/jalon/jalon.db or postgres://jalon@db.internal/jalon.
    #[arg(long, env = "JALON_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Folder of the built site (wasm, JS, CSS, public files).
    /// Default: `site` beside the binary's folder (target/site for target/release/jalon).
    #[arg(long, env = "JALON_SITE_ROOT", global = true)]
    pub site_root: Option<PathBuf>,

    /// Create the demo structure, with its published logins, on an empty
    /// database. For trying Jalon out; never on a real deployment.
    #[arg(long, env = "JALON_DEMO", global = true)]
    pub demo: bool,

    /// The address people type, e.g. https://jalon.example.org: writes must
    /// come from its pages; activation links and QR codes point to it; with
    /// https, cookies are Secure and browsers are told to keep to HTTPS (HSTS).
    #[arg(long, env = "JALON_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Addresses (or networks, e.g. 10.0.0.0/8) of the reverse proxies in
    /// front of Jalon, comma-separated: a request from one of them is taken
    /// to come from the address it names in X-Forwarded-For.
    #[arg(
        long,
        env = "JALON_TRUSTED_PROXIES",
        global = true,
        value_delimiter = ','
    )]
    pub trusted_proxy: Vec<String>,

    /// SMTP server for alert e-mails (none: alerts are shown in Jalon only).
    /// Needs --public-url (the link in the message) and --smtp-from; the
    /// password, if any, is read from JALON_SMTP_PASSWORD only.
    #[arg(long, env = "JALON_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,

    /// Its port (default: 587 with starttls, 465 with tls, 25 with none).
    #[arg(long, env = "JALON_SMTP_PORT", global = true)]
    pub smtp_port: Option<u16>,

    /// How the connection is protected: starttls, tls, or none (a relay on
    /// the same machine only).
    #[arg(
        long,
        env = "JALON_SMTP_SECURITY",
        default_value = "starttls",
        global = true
    )]
    pub smtp_security: String,

    /// The SMTP account, if the server asks for one.
    #[arg(long, env = "JALON_SMTP_USER", global = true)]
    pub smtp_user: Option<String>,

    /// The sender of alert e-mails, e.g. jalon@structure.fr.
    #[arg(long, env = "JALON_SMTP_FROM", global = true)]
    pub smtp_from: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (the default).
    Serve,
    /// Create a structure and its first admin (the operator of a deployment).
    /// The password is read from JALON_ADMIN_PASSWORD or, if unset, from standard input.
    CreateStructure(CreateAdminArgs),
    /// Add an admin to an existing structure. Password as for create-structure.
    CreateAdmin(CreateAdminArgs),
    /// Copy a SQLite database into one file, while the server runs
    /// (PostgreSQL: use pg_dump, see docs/deploy.md).
    Backup(BackupArgs),
    /// The people whose retention period has passed: listed (--dry-run, the
    /// default) or anonymised now (--apply). The server does it every day.
    Retention(RetentionArgs),
    /// Print each table's row count and a digest of its rows: equal lines,
    /// equal data (to check a restored backup).
    Fingerprint,
}

#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// Only list who is due (the default).
    #[arg(long, conflicts_with = "apply")]
    pub dry_run: bool,
    /// Anonymise them now.
    #[arg(long)]
    pub apply: bool,
    /// Take this day (YYYY-MM-DD) as today.
    #[arg(long)]
    pub on: Option<String>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write.
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(Debug, Args)]
pub struct CreateAdminArgs {
    /// Name of the structure.
    #[arg(long)]
    pub structure: String,
    /// Sign-in identifier of the admin.
    #[arg(long)]
    pub login: String,
    /// Name shown in the app.
    #[arg(long)]
    pub name: String,
}
