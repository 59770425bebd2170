//! The server's configuration, resolved once at start from flags and environment.
use std::net::SocketAddr;
use std::path::PathBuf;

use leptos::config::LeptosOptions;

use app::backend::alert_mail::{Security, SmtpSettings};

use crate::cli::Cli;
use crate::error::Error;

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub data_dir: Option<PathBuf>,
    pub site_root: PathBuf,
    pub demo: bool,
    /// The origin people type (`https://jalon.example.org`), when set.
    pub public_url: Option<String>,
    pub trusted_proxies: crate::proxy::TrustedProxies,
    /// Where alert e-mails go; `None`: alerts in Jalon only.
    pub smtp: Option<SmtpSettings>,
}

impl Config {
    pub fn from_cli(cli: &Cli) -> Result<Config, Error> {
        let (database_url, data_dir) = match &cli.database_url {
            Some(url) => (url.clone(), None),
            None => {
                let path = cli.data_dir.join("jalon.db");
                (
                    format!("sqlite://{}", path.display()),
                    Some(cli.data_dir.clone()),
                )
            }
        };
        let site_root = match &cli.site_root {
            Some(root) => root.clone(),
            None => default_site_root(),
        };
        let public_url = cli.public_url.as_deref().map(public_origin).transpose()?;
        let smtp = smtp_settings(cli, public_url.as_deref())?;
        Ok(Config {
            addr: cli.addr,
            database_url,
            data_dir,
            site_root,
            demo: cli.demo,
            public_url,
            trusted_proxies: crate::proxy::TrustedProxies::parse(&cli.trusted_proxy)
                .map_err(|e| Error::Invalid(format!("--trusted-proxy : {e}")))?,
            smtp,
        })
    }

    /// Over HTTPS: Secure cookies and HSTS.
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// What Leptos needs to render pages: where the hashed wasm/JS/CSS live.
    /// The file hashes are read from `hash.txt` beside the binary (cargo-leptos writes it).
    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("jalon")
            .site_root(self.site_root.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(self.addr)
            .hash_files(hash_file_present())
            .build()
    }
}

impl Config {
    pub fn service_worker(&self) -> crate::pwa::ServiceWorker {
        let hashes = exe_dir().map(|d| d.join("hash.txt"));
        crate::pwa::ServiceWorker::load(&self.site_root, hashes.as_deref())
    }
}

/// The SMTP flags, checked together: a host needs a sender and the public
/// address (the message's link); the other flags without a host are an error
/// rather than silently unused.
fn smtp_settings(cli: &Cli, public_url: Option<&str>) -> Result<Option<SmtpSettings>, Error> {
    let security = Security::parse(&cli.smtp_security).ok_or_else(|| {
        Error::Invalid(format!(
            "--smtp-security « {} » : attendu starttls, tls ou none",
            cli.smtp_security
        ))
    })?;
    let Some(host) = cli
        .smtp_host
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
    else {
        if cli.smtp_from.is_some() || cli.smtp_user.is_some() || cli.smtp_port.is_some() {
            return Err(Error::Invalid(
                "--smtp-from, --smtp-user ou --smtp-port sans --smtp-host : indiquez le serveur d'envoi".into(),
            ));
        }
        return Ok(None);
    };
    let from = cli.smtp_from.clone().ok_or_else(|| {
        Error::Invalid("--smtp-host demande --smtp-from (l'expéditeur des messages)".into())
    })?;
    let public_url = public_url.ok_or_else(|| {
        Error::Invalid("--smtp-host demande --public-url (le lien donné dans les messages)".into())
    })?;
    let settings = SmtpSettings {
        host: host.to_string(),
        port: cli.smtp_port,
        security,
        user: cli.smtp_user.clone(),
        password: std::env::var("JALON_SMTP_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty()),
        from,
        public_url: public_url.to_string(),
    };
    // Checked now, so a wrong setting stops the start rather than the first alert.
    app::backend::alert_mail::Mailer::new(&settings).map_err(Error::Invalid)?;
    Ok(Some(settings))
}

/// `--public-url` as an origin: scheme and host (and port), nothing after.
pub fn public_origin(url: &str) -> Result<String, Error> {
    let invalid = || {
        Error::Invalid(format!(
            "--public-url « {url} » : attendu une adresse comme https://jalon.example.org"
        ))
    };
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(invalid)?;
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok {
        return Err(invalid());
    }
    Ok(url.to_ascii_lowercase())
}

fn exe_dir() -> Option<PathBuf> {
    std::env::current_exe().ok()?.parent().map(PathBuf::from)
}

fn default_site_root() -> PathBuf {
    exe_dir()
        .and_then(|dir| dir.parent().map(|p| p.join("site")))
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("target/site"))
}

fn hash_file_present() -> bool {
    exe_dir().is_some_and(|dir| dir.join("hash.txt").is_file())
}
