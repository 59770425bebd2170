//! Keeping a person's data no longer than needed. Once a parcours has ended,
//! the person is anonymised when the structure's retention period (years
//! after the last contact) has passed, unless an admin holds them longer for
//! a stated reason; an admin may also erase a person at once. Both go through
//! [`anonymise`], in one transaction per person:
//!
//! - identity replaced (« Personne anonymisée »), phone removed; their
//!   account keeps no login, name, e-mail or password;
//! - observations, objectives and their reactions, bilans, attestations,
//!   parcours events and team moves deleted, with their history, replies,
//!   read marks, queued e-mails and conflict copies;
//! - attendance rows and session evaluations kept for the structure's
//!   figures, their free texts emptied (absence details, reasons for
//!   changes, the worker's own words, comments);
//! - sessions, activation codes and devices of their account deleted;
//! - the audit log kept, every mention of their name, login, phone or
//!   address replaced.
//!
//! The person then leaves every phone at its next sync: they are no longer
//! among the workers anyone may see, so each phone's scope changes and its
//! copy is rebuilt without them. The clock is a parameter (`today`, `now`),
//! so tests move time forward.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use jalon_core::privacy::{self, ANONYMOUS_FIRST, ANONYMOUS_LAST, ErasureReason};
use jalon_core::sessions::CriterionResult;
use sqlx::AnyConnection;

use crate::backend::audit::{self, Entry};
use crate::backend::db::{Db, timestamp};
use crate::backend::policy::{Actor, audited};
use crate::error::AppError;

/// A person whose parcours has ended, not anonymised yet, and when they will be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub worker_id: String,
    pub structure_id: String,
    pub name: String,
    /// The latest of: end of contract, a day of attendance, an observation,
    /// a learning session.
    pub last_contact: NaiveDate,
    /// `years` after the last contact, or the day after a legal hold ends.
    pub due_on: NaiveDate,
    pub hold: Option<Hold>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    pub until: NaiveDate,
    pub reason: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    structure_id: String,
    first_name: String,
    last_name: String,
    created_at: String,
    contract_end: Option<String>,
    last_attendance: Option<String>,
    last_observation: Option<String>,
    last_session: Option<String>,
    hold_until: Option<String>,
    hold_reason: Option<String>,
    years: i64,
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// Everyone whose parcours has ended and who is not anonymised yet, in one
/// structure or in all, with the day each is due, earliest first.
pub async fn ended(
    conn: &mut AnyConnection,
    structure_id: Option<&str>,
) -> Result<Vec<Due>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT w.id, w.structure_id, w.first_name, w.last_name, w.created_at, w.contract_end, \
         (SELECT MAX(a.day) FROM attendance a WHERE a.worker_id = w.id) AS last_attendance, \
         (SELECT MAX(o.observed_on) FROM observations o WHERE o.worker_id = w.id) AS last_observation, \
         (SELECT MAX(e.held_on) FROM evaluations e WHERE e.worker_id = w.id) AS last_session, \
         h.until AS hold_until, h.reason AS hold_reason, \
         CAST(COALESCE(s.retention_years, 2) AS BIGINT) AS years \
         FROM workers w \
         LEFT JOIN retention_holds h ON h.worker_id = w.id \
         LEFT JOIN structure_settings s ON s.structure_id = w.structure_id \
         WHERE w.status = 'ended' AND w.anonymised_at IS NULL \
         AND ($1 = '' OR w.structure_id = $1)",
    )
    .bind(structure_id.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    let mut due: Vec<Due> = rows
        .into_iter()
        .filter_map(|r| {
            // The file's creation counts only when nothing else is known.
            let last_contact = [
                r.contract_end.as_deref(),
                r.last_attendance.as_deref(),
                r.last_observation.as_deref(),
                r.last_session.as_deref(),
            ]
            .into_iter()
            .flatten()
            .filter_map(day)
            .max()
            .or_else(|| day(&r.created_at))?;
            let years = u32::try_from(r.years).unwrap_or(privacy::DEFAULT_YEARS);
            let hold = match (r.hold_until.as_deref().and_then(day), r.hold_reason) {
                (Some(until), Some(reason)) => Some(Hold { until, reason }),
                _ => None,
            };
            let mut due_on = privacy::due_on(last_contact, years);
            if let Some(hold) = &hold {
                due_on = due_on.max(hold.until + Duration::days(1));
            }
            Some(Due {
                worker_id: r.id,
                structure_id: r.structure_id,
                name: format!("{} {}", r.first_name, r.last_name),
                last_contact,
                due_on,
                hold,
            })
        })
        .collect();
    due.sort_by(|a, b| (a.due_on, &a.name).cmp(&(b.due_on, &b.name)));
    Ok(due)
}

/// Who is due on `today` or before (what `apply` would anonymise).
pub async fn due(db: &Db, today: NaiveDate) -> Result<Vec<Due>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    Ok(ended(&mut conn, None)
        .await?
        .into_iter()
        .filter(|d| d.due_on <= today)
        .collect())
}

/// What the admin sees: who will be anonymised within `PREVIEW_DAYS` of
/// `today` in their structure (those due already first), and who is held.
pub async fn preview(
    db: &Db,
    structure_id: &str,
    today: NaiveDate,
) -> Result<Vec<Due>, sqlx::Error> {
    let horizon = today + Duration::days(privacy::PREVIEW_DAYS);
    let mut conn = db.acquire().await?;
    Ok(ended(&mut conn, Some(structure_id))
        .await?
        .into_iter()
        .filter(|d| d.due_on <= horizon || d.hold.as_ref().is_some_and(|h| h.until >= today))
        .collect())
}

/// Anonymises everyone due on `today`, one transaction each; returns their
/// ids. Each gets an audit entry without their name.
pub async fn apply(
    db: &Db,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<String>, sqlx::Error> {
    let mut done = Vec::new();
    for d in due(db, today).await? {
        let mut tx = db.begin().await?;
        anonymise(&mut tx, &d.worker_id, now).await?;
        let details = serde_json::json!({
            "reason": "retention",
            "last_contact": d.last_contact.to_string(),
        })
        .to_string();
        audit::record(
            &mut *tx,
            Entry {
                structure_id: Some(&d.structure_id),
                actor_id: None,
                action: "person_anonymised",
                target_type: Some("worker"),
                target_id: Some(&d.worker_id),
                details: Some(&details),
            },
        )
        .await?;
        tx.commit().await?;
        done.push(d.worker_id);
    }
    Ok(done)
}

/// Holds a person of the admin's structure until `until`, for `reason`
/// (already checked), replacing an earlier hold; audited.
pub async fn set_hold(
    db: &Db,
    actor: &Actor,
    worker_id: &str,
    until: NaiveDate,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let before: Option<(String, String)> =
        sqlx::query_as("SELECT until, reason FROM retention_holds WHERE worker_id = $1")
            .bind(worker_id)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO retention_holds (worker_id, until, reason, set_by, set_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (worker_id) DO UPDATE SET \
         until = excluded.until, reason = excluded.reason, set_by = excluded.set_by, \
         set_at = excluded.set_at",
    )
    .bind(worker_id)
    .bind(until.to_string())
    .bind(reason)
    .bind(&actor.user.id)
    .bind(crate::backend::db::now())
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({
        "before": before.map(|(until, reason)| serde_json::json!({ "until": until, "reason": reason })),
        "after": { "until": until.to_string(), "reason": reason },
    })
    .to_string();
    audited(
        &mut *tx,
        actor,
        "retention_hold_set",
        ("worker", worker_id),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Erases a person at once, as the retention job would; audited with the
/// reason. An ongoing parcours is ended by it.
pub async fn erase(
    db: &Db,
    actor: &Actor,
    worker_id: &str,
    reason: ErasureReason,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE workers SET status = 'ended' WHERE id = $1")
        .bind(worker_id)
        .execute(&mut *tx)
        .await?;
    anonymise(&mut tx, worker_id, now).await?;
    let details = serde_json::json!({ "reason": reason.code() }).to_string();
    audited(
        &mut *tx,
        actor,
        "person_erased",
        ("worker", worker_id),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The records of a person that are deleted whole, children first.
const DELETED: [&str; 7] = [
    "observations",
    "objective_reactions",
    "objectives",
    "welcome_steps",
    "equipment_receipts",
    "equipment",
    "briefings",
];
/// The records kept for the figures, free texts emptied.
const KEPT: [&str; 2] = ["attendance", "evaluations"];

/// Does the anonymisation of one person inside the caller's transaction.
pub async fn anonymise(
    tx: &mut AnyConnection,
    worker_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Person {
        structure_id: String,
        user_id: Option<String>,
        first_name: String,
        last_name: String,
        phone: Option<String>,
        login: Option<String>,
        email: Option<String>,
    }
    let Some(p): Option<Person> = sqlx::query_as(
        "SELECT w.structure_id, w.user_id, w.first_name, w.last_name, w.phone, u.login, u.email \
         FROM workers w LEFT JOIN users u ON u.id = w.user_id \
         WHERE w.id = $1 AND w.anonymised_at IS NULL",
    )
    .bind(worker_id)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(());
    };
    let of_worker = |table: &str| format!("SELECT id FROM {table} WHERE worker_id = $1");
    let mut statements = vec![
        format!(
            "DELETE FROM observation_replies WHERE observation_id IN ({})",
            of_worker("observations")
        ),
        format!(
            "DELETE FROM observation_reads WHERE observation_id IN ({})",
            of_worker("observations")
        ),
        format!(
            "DELETE FROM alert_mails WHERE observation_id IN ({})",
            of_worker("observations")
        ),
    ];
    for table in DELETED.iter().chain(KEPT.iter()) {
        statements.push(format!(
            "DELETE FROM record_history WHERE record_id IN ({})",
            of_worker(table)
        ));
        statements.push(format!(
            "DELETE FROM sync_conflicts WHERE record_id IN ({})",
            of_worker(table)
        ));
    }
    for table in DELETED {
        statements.push(format!("DELETE FROM {table} WHERE worker_id = $1"));
    }
    statements.extend([
        "UPDATE attendance SET reason_text = '', change_reason = '' WHERE worker_id = $1".into(),
        "UPDATE evaluations SET reflection = '' WHERE worker_id = $1".into(),
        format!(
            "DELETE FROM bilan_shares WHERE bilan_id IN ({})",
            of_worker("bilans")
        ),
        "DELETE FROM bilans WHERE worker_id = $1".into(),
        "DELETE FROM attestations WHERE worker_id = $1".into(),
        "DELETE FROM worker_events WHERE worker_id = $1".into(),
        "DELETE FROM worker_team_history WHERE worker_id = $1".into(),
        "DELETE FROM retention_holds WHERE worker_id = $1".into(),
        "DELETE FROM data_requests WHERE worker_id = $1".into(),
    ]);
    for sql in &statements {
        sqlx::query(sql).bind(worker_id).execute(&mut *tx).await?;
    }
    // Comments on each criterion are free text too; levels stay.
    let results: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, results FROM evaluations WHERE worker_id = $1")
            .bind(worker_id)
            .fetch_all(&mut *tx)
            .await?;
    for (id, text) in results {
        let Some(text) = text else { continue };
        let cleared = match serde_json::from_str::<Vec<CriterionResult>>(&text) {
            Ok(mut list) => {
                for c in &mut list {
                    c.comment.clear();
                }
                serde_json::to_string(&list).ok()
            }
            Err(_) => None,
        };
        sqlx::query("UPDATE evaluations SET results = $1 WHERE id = $2")
            .bind(cleared)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE workers SET first_name = $1, last_name = $2, phone = NULL, anonymised_at = $3 \
         WHERE id = $4",
    )
    .bind(ANONYMOUS_FIRST)
    .bind(ANONYMOUS_LAST)
    .bind(timestamp(now))
    .bind(worker_id)
    .execute(&mut *tx)
    .await?;
    if let Some(user_id) = &p.user_id {
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM activation_codes WHERE user_id = $1",
            "DELETE FROM sync_mutations WHERE user_id = $1 OR device_id IN \
             (SELECT device_id FROM sync_devices WHERE user_id = $1)",
            "DELETE FROM sync_devices WHERE user_id = $1",
            "DELETE FROM privacy_notices WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "UPDATE users SET login = $1, display_name = $2, email = NULL, password_hash = NULL, \
             active = FALSE WHERE id = $3",
        )
        .bind(format!("anonyme-{user_id}"))
        .bind(format!("{ANONYMOUS_FIRST} {ANONYMOUS_LAST}"))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    }
    // The audit log stays; what it says of the person loses their name, and
    // sign-in attempts name the account's new login.
    if let (Some(login), Some(user_id)) = (&p.login, &p.user_id) {
        sqlx::query("UPDATE audit_log SET target_id = $1 WHERE target_id = $2")
            .bind(format!("anonyme-{user_id}"))
            .bind(login)
            .execute(&mut *tx)
            .await?;
    }
    let anonymous = format!("{ANONYMOUS_FIRST} {ANONYMOUS_LAST}");
    let mut mentions = vec![
        format!("{} {}", p.first_name, p.last_name),
        format!("{} {}", p.last_name, p.first_name),
        p.last_name.clone(),
    ];
    mentions.extend([p.login, p.phone, p.email].into_iter().flatten());
    for mention in mentions.iter().filter(|m| m.chars().count() >= 2) {
        sqlx::query(
            "UPDATE audit_log SET details = REPLACE(details, $1, $2) \
             WHERE structure_id = $3 AND details LIKE $4 ESCAPE '\\'",
        )
        .bind(mention)
        .bind(&anonymous)
        .bind(&p.structure_id)
        .bind(format!("%{}%", like_pattern(mention)))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// `text` matched literally by `LIKE … ESCAPE` with a backslash.
fn like_pattern(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
