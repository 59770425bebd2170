//! The right of access (GDPR article 15): everything Jalon holds about one
//! person, for the admin or their referent counsellor to hand over — as JSON
//! (every row as stored, for machines) and as a document in plain French
//! (`wire::documents::access`). Asking for it is a download, written to the
//! audit log like every file given out.
//!
//! What it holds: the worker file and account (never the password's hash),
//! every record about them (observations, attendance, evaluations, objectives
//! and their messages) with every earlier version and its reason, replies to
//! observations, parcours events and team moves, bilans (every version) and
//! whom they were shared with, attestations, a legal hold, the information
//! shown to them, their phones, and who read their sensitive records and when.
use serde_json::{Map, Value, json};
use sqlx::{AnyConnection, Column, Row};

use crate::backend::db::{Db, value_json};
use crate::backend::policy::{Action, Actor, Resource, authorize, worker_ref};
use crate::error::AppError;

/// The records about a person that carry their `worker_id`.
const RECORDS: [&str; 9] = [
    "observations",
    "attendance",
    "evaluations",
    "objectives",
    "objective_reactions",
    "welcome_steps",
    "equipment",
    "equipment_receipts",
    "briefings",
];

async fn rows(conn: &mut AnyConnection, sql: &str, bind: &str) -> Result<Vec<Value>, AppError> {
    let found = sqlx::query(sql).bind(bind).fetch_all(&mut *conn).await?;
    Ok(found
        .iter()
        .map(|row| {
            let mut object = Map::new();
            for column in row.columns() {
                object.insert(column.name().to_string(), value_json(row, column.ordinal()));
            }
            Value::Object(object)
        })
        .collect())
}

/// Everything held about `worker_id`, as JSON sections (name → rows), for a
/// reader allowed to manage their parcours (the admin, the referent CIP).
pub async fn export(db: &Db, actor: &Actor, worker_id: &str) -> Result<Value, AppError> {
    let access = worker_ref(db, actor, worker_id).await?;
    authorize(db, actor, Action::Manage, &Resource::Parcours(&access)).await?;
    let mut conn = db.acquire().await?;
    let w = access.worker_id.as_str();
    let user = access.user_id.clone().unwrap_or_default();
    let of_records = RECORDS
        .iter()
        .map(|t| format!("SELECT id FROM {t} WHERE worker_id = $1"))
        .collect::<Vec<_>>()
        .join(" UNION ");
    let mut sections = Map::new();
    let mut put = |name: &str, value: Vec<Value>| {
        sections.insert(name.to_string(), Value::Array(value));
    };
    put(
        "file",
        rows(&mut conn, "SELECT * FROM workers WHERE id = $1", w).await?,
    );
    for table in RECORDS {
        let sql = format!("SELECT * FROM {table} WHERE worker_id = $1 ORDER BY created_at, id");
        put(table, rows(&mut conn, &sql, w).await?);
    }
    put(
        "history",
        rows(
            &mut conn,
            &format!(
                "SELECT * FROM record_history WHERE record_id IN ({of_records}) \
                 ORDER BY changed_at, id"
            ),
            w,
        )
        .await?,
    );
    // Rows about the person (`$1`: their worker id) or their account (their user id).
    for (name, sql, of_account) in [
        (
            "observation_replies",
            "SELECT * FROM observation_replies WHERE observation_id IN \
             (SELECT id FROM observations WHERE worker_id = $1) ORDER BY created_at, id",
            false,
        ),
        (
            "parcours_events",
            "SELECT * FROM worker_events WHERE worker_id = $1 ORDER BY recorded_at, id",
            false,
        ),
        (
            "team_history",
            "SELECT * FROM worker_team_history WHERE worker_id = $1 ORDER BY changed_at, id",
            false,
        ),
        (
            "bilans",
            "SELECT * FROM bilans WHERE worker_id = $1 ORDER BY created_at, id",
            false,
        ),
        (
            "bilan_shares",
            "SELECT * FROM bilan_shares WHERE bilan_id IN \
             (SELECT id FROM bilans WHERE worker_id = $1) ORDER BY shared_at, id",
            false,
        ),
        (
            "attestations",
            "SELECT * FROM attestations WHERE worker_id = $1 ORDER BY issued_at, id",
            false,
        ),
        (
            "requests",
            "SELECT * FROM data_requests WHERE worker_id = $1 ORDER BY asked_at, id",
            false,
        ),
        (
            "retention_hold",
            "SELECT * FROM retention_holds WHERE worker_id = $1",
            false,
        ),
        (
            "account",
            "SELECT id, login, display_name, role, active, email, created_at FROM users \
             WHERE id = $1",
            true,
        ),
        (
            "information_shown",
            "SELECT version, shown_at FROM privacy_notices WHERE user_id = $1 ORDER BY version",
            true,
        ),
        (
            "phones",
            "SELECT device_id, last_seen_at FROM sync_devices WHERE user_id = $1 \
             ORDER BY last_seen_at",
            true,
        ),
    ] {
        let bind = if of_account { user.as_str() } else { w };
        put(name, rows(&mut conn, sql, bind).await?);
    }
    put(
        "sensitive_reads",
        rows(
            &mut conn,
            &format!(
                "SELECT a.at, u.display_name AS reader, a.target_type, a.target_id, a.details \
                 FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
                 WHERE a.action = 'sensitive_read' AND a.target_id IN ({of_records}) \
                 ORDER BY a.at, a.id"
            ),
            w,
        )
        .await?,
    );
    Ok(json!({
        "format": "jalon-acces",
        "version": 1,
        "structure": actor.user.structure_name,
        "produced_at": crate::backend::db::now(),
        "produced_by": actor.user.display_name,
        "sections": sections,
    }))
}
