//! Alerts that reach counsellors by e-mail.
//!
//! When a new alert observation reaches the server, the counsellors to tell
//! are written into `alert_mails` in the same transaction (the worker's
//! referent counsellor, or, when none is set, every counsellor the policy
//! lets read the alert; never its author). A sending pass, run every
//! `SEND_EVERY` by the server when an SMTP server is set, claims the rows
//! due, sends one message per counsellor (a digest when several alerts wait
//! for the same person) and writes how each row ended. The message names no
//! one and holds no content: a sentence and a link to the feed.
//!
//! Nothing is sent when no SMTP server is set: rows wait, and a row older
//! than `EXPIRE_AFTER` is closed as expired rather than sent late. An alert
//! followed up (acknowledged), withdrawn or deleted before its message left
//! is closed as moot.
use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::Value;
use sqlx::AnyConnection;

use crate::backend::db::{Db, Flag, timestamp};
use crate::backend::policy::{Actor, WorkerRef};
use jalon_core::observations::{Kind, is_alert};
use jalon_core::roles::{CurrentUser, Role};

/// How often the server looks for alert messages to send.
pub const SEND_EVERY: Duration = Duration::from_secs(15);
/// A message not sent within this time is not sent at all.
pub const EXPIRE_AFTER: chrono::Duration = chrono::Duration::hours(24);
/// A pass that claimed rows and died: its rows are taken again after this.
const CLAIM_LAPSES: chrono::Duration = chrono::Duration::minutes(5);
/// How long one SMTP exchange may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which must succeed (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: a relay on the same machine or a test server only.
    Plain,
}

impl Security {
    pub fn parse(value: &str) -> Option<Security> {
        match value.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(Security::StartTls),
            "tls" => Some(Security::Tls),
            "none" | "aucune" => Some(Security::Plain),
            _ => None,
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::Plain => 25,
        }
    }
}

/// The SMTP server and the sender, as set by the operator.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: Option<u16>,
    pub security: Security,
    pub user: Option<String>,
    pub password: Option<String>,
    /// The sender, `jalon@structure.fr` or `Jalon <jalon@structure.fr>`.
    pub from: String,
    /// The public origin of Jalon, for the link in the message.
    pub public_url: String,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

/// What the admin is told about alert e-mails: the SMTP server they go
/// through, or `None` when alerts are in Jalon only (a page context).
#[derive(Clone, Debug, Default)]
pub struct AlertMailStatus(pub Option<String>);

/// A ready SMTP client.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    link: String,
    /// `host:port`, for the admin's screen and the logs.
    pub server: String,
}

impl Mailer {
    /// Checks the settings; `Err` is a French sentence for the operator.
    pub fn new(settings: &SmtpSettings) -> Result<Mailer, String> {
        let from: Mailbox = settings.from.parse().map_err(|_| {
            format!(
                "--smtp-from « {} » : attendu une adresse comme jalon@structure.fr",
                settings.from
            )
        })?;
        let host = settings.host.trim();
        if host.is_empty() {
            return Err("--smtp-host : le nom du serveur d'envoi est vide".into());
        }
        let builder = match settings.security {
            Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
            Security::Plain => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                host,
            )),
        }
        .map_err(|err| format!("--smtp-host « {host} » : {err}"))?;
        let port = settings
            .port
            .unwrap_or_else(|| settings.security.default_port());
        let mut builder = builder.port(port).timeout(Some(SMTP_TIMEOUT));
        match (&settings.user, &settings.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
            }
            (Some(_), None) => {
                return Err("--smtp-user est donné sans mot de passe (JALON_SMTP_PASSWORD)".into());
            }
            _ => {}
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            link: format!("{}/fil", settings.public_url.trim_end_matches('/')),
            server: format!("{host}:{port}"),
        })
    }

    async fn send(&self, to: &str, alerts: usize) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|_| "adresse refusée".to_string())?;
        let (subject, body) = message(alerts, &self.link);
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|err| err.to_string())?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|err| err.to_string())
    }
}

/// The subject and text of the message for `alerts` waiting alerts: no
/// name, no content, a link.
pub fn message(alerts: usize, link: &str) -> (String, String) {
    let (subject, what) = if alerts <= 1 {
        (
            "Une alerte vous attend dans Jalon".to_string(),
            "Une alerte a été enregistrée dans Jalon pour une personne que vous accompagnez."
                .to_string(),
        )
    } else {
        (
            format!("{alerts} alertes vous attendent dans Jalon"),
            format!(
                "{alerts} alertes ont été enregistrées dans Jalon pour des personnes que vous accompagnez."
            ),
        )
    };
    let body = format!(
        "Bonjour,\r\n\r\n{what}\r\nOuvrez Jalon pour en prendre connaissance et y donner suite :\r\n{link}\r\n\r\n\
         Ce message ne donne volontairement aucun détail : tout est dans Jalon, \
         visible seulement des personnes autorisées.\r\n\r\n\
         -- \r\nJalon (message automatique, merci de ne pas y répondre)\r\n"
    );
    (subject, body)
}

/// Writes who to tell about a new alert observation, in the transaction that
/// stores it: the referent counsellor if active, else every active
/// counsellor of the structure whom the policy lets read it; never its
/// author. Returns how many were queued.
pub async fn queue(
    tx: &mut AnyConnection,
    observation_id: &str,
    worker: &WorkerRef,
    author_id: &str,
    data: &Value,
    readable: fn(&Actor, &WorkerRef, &str, &Value) -> bool,
) -> Result<u64, sqlx::Error> {
    let see_all: Option<Flag> = sqlx::query_scalar(
        "SELECT counsellors_see_all FROM structure_settings WHERE structure_id = $1",
    )
    .bind(&worker.structure_id)
    .fetch_optional(&mut *tx)
    .await?;
    let counsellors: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, login, display_name FROM users \
         WHERE structure_id = $1 AND role = 'counsellor' AND active = TRUE ORDER BY id",
    )
    .bind(&worker.structure_id)
    .fetch_all(&mut *tx)
    .await?;
    let referent = counsellors
        .iter()
        .any(|(id, _, _)| worker.counsellor_id.as_deref() == Some(id.as_str()));
    let now = crate::backend::db::now();
    let mut queued = 0;
    for (id, login, display_name) in counsellors {
        if id == author_id || (referent && worker.counsellor_id.as_deref() != Some(id.as_str())) {
            continue;
        }
        let actor = Actor {
            user: CurrentUser {
                id,
                structure_id: worker.structure_id.clone(),
                structure_name: String::new(),
                structure_is_demo: false,
                display_name,
                login,
                role: Role::Counsellor,
                half_days: false,
            },
            team_ids: Vec::new(),
            counsellors_see_all: see_all.is_some_and(bool::from),
        };
        if !readable(&actor, worker, author_id, data) {
            continue;
        }
        queued += sqlx::query(
            "INSERT INTO alert_mails (observation_id, recipient_id, queued_at) \
             VALUES ($1, $2, $3) ON CONFLICT (observation_id, recipient_id) DO NOTHING",
        )
        .bind(observation_id)
        .bind(&actor.user.id)
        .bind(&now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    Ok(queued)
}

/// What one sending pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Messages sent (one per counsellor).
    pub messages: usize,
    /// Alerts those messages told of.
    pub alerts: usize,
    /// Rows closed because the counsellor has no address (or no account).
    pub no_address: usize,
    /// Rows closed because the alert was followed up or withdrawn first.
    pub moot: usize,
    /// Rows closed unsent after `EXPIRE_AFTER`.
    pub expired: u64,
    /// Messages the SMTP server refused or could not take (retried).
    pub failed: usize,
}

impl Pass {
    pub fn is_empty(&self) -> bool {
        *self == Pass::default()
    }
}

/// A claimed row with what deciding its fate needs.
#[derive(sqlx::FromRow)]
struct Due {
    observation_id: String,
    recipient_id: String,
    email: Option<String>,
    #[sqlx(try_from = "Flag")]
    active: bool,
    kind: String,
    #[sqlx(try_from = "Flag")]
    deleted: bool,
    #[sqlx(try_from = "Flag")]
    retracted: bool,
    acknowledged_at: Option<String>,
    #[sqlx(try_from = "Flag")]
    work_accident: bool,
}

/// Sends what is due: claims the waiting rows (one pass at a time across
/// instances), groups them per counsellor, sends, and settles each row.
pub async fn send_due(db: &Db, mailer: &Mailer, now: DateTime<Utc>) -> Result<Pass, sqlx::Error> {
    let waiting: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM alert_mails WHERE done_at IS NULL LIMIT 1")
            .fetch_optional(db)
            .await?;
    let mut pass = Pass::default();
    if waiting.is_none() {
        return Ok(pass);
    }
    let claim = crate::backend::db::new_id();
    let at = timestamp(now);
    let mut tx = db.begin().await?;
    pass.expired = sqlx::query(
        "UPDATE alert_mails SET done_at = $1, outcome = 'expired' \
         WHERE done_at IS NULL AND queued_at <= $2",
    )
    .bind(&at)
    .bind(timestamp(now - EXPIRE_AFTER))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE alert_mails SET claim = $1, claimed_at = $2 \
         WHERE done_at IS NULL AND (claim IS NULL OR claimed_at <= $3)",
    )
    .bind(&claim)
    .bind(&at)
    .bind(timestamp(now - CLAIM_LAPSES))
    .execute(&mut *tx)
    .await?;
    let due: Vec<Due> = sqlx::query_as(
        "SELECT m.observation_id, m.recipient_id, u.email, u.active, o.kind, o.deleted, \
         o.retracted, o.acknowledged_at, o.work_accident \
         FROM alert_mails m JOIN users u ON u.id = m.recipient_id \
         JOIN observations o ON o.id = m.observation_id WHERE m.claim = $1",
    )
    .bind(&claim)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;

    let mut settled: Vec<(&Due, &'static str)> = Vec::new();
    let mut per_address: BTreeMap<&str, Vec<&Due>> = BTreeMap::new();
    for row in &due {
        let alert = Kind::parse(&row.kind).is_some_and(|k| is_alert(k, row.work_accident));
        if row.deleted || row.retracted || !alert || row.acknowledged_at.is_some() {
            settled.push((row, "moot"));
            pass.moot += 1;
        } else {
            match row.email.as_deref().filter(|_| row.active) {
                Some(address) => per_address.entry(address).or_default().push(row),
                None => {
                    settled.push((row, "no_address"));
                    pass.no_address += 1;
                }
            }
        }
    }
    let mut failures: Vec<(&Due, String)> = Vec::new();
    for (address, rows) in per_address {
        match mailer.send(address, rows.len()).await {
            Ok(()) => {
                pass.messages += 1;
                pass.alerts += rows.len();
                settled.extend(rows.into_iter().map(|row| (row, "sent")));
            }
            Err(err) => {
                tracing::warn!(server = %mailer.server, error = %err, "alert e-mail not sent; retried next pass");
                pass.failed += 1;
                let err: String = err.chars().take(300).collect();
                failures.extend(rows.into_iter().map(|row| (row, err.clone())));
            }
        }
    }
    let mut tx = db.begin().await?;
    let done = timestamp(Utc::now());
    for (row, outcome) in settled {
        sqlx::query(
            "UPDATE alert_mails SET done_at = $1, outcome = $2, claim = NULL \
             WHERE observation_id = $3 AND recipient_id = $4 AND claim = $5",
        )
        .bind(&done)
        .bind(outcome)
        .bind(&row.observation_id)
        .bind(&row.recipient_id)
        .bind(&claim)
        .execute(&mut *tx)
        .await?;
    }
    for (row, err) in failures {
        sqlx::query(
            "UPDATE alert_mails SET claim = NULL, claimed_at = NULL, last_error = $1 \
             WHERE observation_id = $2 AND recipient_id = $3 AND claim = $4",
        )
        .bind(err)
        .bind(&row.observation_id)
        .bind(&row.recipient_id)
        .bind(&claim)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(pass)
}
