//! Writes of the people model, shared by the server functions, the demo
//! data and the `create-admin` command.
use sqlx::AnyConnection;

use crate::backend::db::{new_id, now};
use crate::error::AppError;
use crate::wire::parcours::ParcoursEvent;
use jalon_core::dates::french_date;
use jalon_core::people::ExitOutcome;
use jalon_core::roles::Role;

pub async fn insert_structure(
    conn: &mut AnyConnection,
    name: &str,
    is_demo: bool,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query("INSERT INTO structures (id, name, is_demo, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(name)
        .bind(is_demo)
        .bind(now())
        .execute(conn)
        .await?;
    Ok(id)
}

pub struct NewUser<'a> {
    pub structure_id: &'a str,
    pub role: Role,
    pub login: &'a str,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
}

pub async fn insert_user(
    conn: &mut AnyConnection,
    user: NewUser<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, structure_id, role, login, display_name, password_hash, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)",
    )
    .bind(&id)
    .bind(user.structure_id)
    .bind(user.role.as_str())
    .bind(user.login)
    .bind(user.display_name)
    .bind(user.password_hash)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn insert_team(
    conn: &mut AnyConnection,
    structure_id: &str,
    name: &str,
    activity: &str,
    supervisor_ids: &[&str],
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query("INSERT INTO teams (id, structure_id, name, activity, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(structure_id)
        .bind(name)
        .bind(activity)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    for supervisor in supervisor_ids {
        sqlx::query("INSERT INTO team_supervisors (team_id, user_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(supervisor)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

pub struct NewWorker<'a> {
    pub structure_id: &'a str,
    pub user_id: Option<&'a str>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub team_id: Option<&'a str>,
    pub counsellor_id: Option<&'a str>,
    pub contract_start: &'a str,
    pub contract_end: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// Who creates the file (none for demo data).
    pub created_by: Option<&'a str>,
}

pub async fn insert_worker(
    conn: &mut AnyConnection,
    w: NewWorker<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO workers (id, structure_id, user_id, first_name, last_name, team_id, \
         counsellor_id, contract_start, contract_end, status, phone, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11)",
    )
    .bind(&id)
    .bind(w.structure_id)
    .bind(w.user_id)
    .bind(w.first_name)
    .bind(w.last_name)
    .bind(w.team_id)
    .bind(w.counsellor_id)
    .bind(w.contract_start)
    .bind(w.contract_end)
    .bind(w.phone)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    record_team(conn, &id, w.team_id, w.created_by).await?;
    Ok(id)
}

/// Appends a team change to a worker file's history.
pub async fn record_team(
    conn: &mut AnyConnection,
    worker_id: &str,
    team_id: Option<&str>,
    changed_by: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO worker_team_history (id, worker_id, team_id, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_id())
    .bind(worker_id)
    .bind(team_id)
    .bind(now())
    .bind(changed_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// What the database keeps of an activation code: its hash, never the code.
pub fn activation_code_hash(code: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(
        jalon_core::people::normalize_code(code).as_bytes(),
    ))
}

/// The changes of a parcours (renewals, referent changes, the exit), newest first.
pub async fn parcours_events(
    db: &crate::backend::db::Db,
    worker_id: &str,
) -> Result<Vec<ParcoursEvent>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        effective_on: String,
        before_value: Option<String>,
        after_value: Option<String>,
        reason: String,
        by_name: Option<String>,
        before_name: Option<String>,
        after_name: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.kind, e.effective_on, e.before_value, e.after_value, e.reason, \
         u.display_name AS by_name, b.display_name AS before_name, a.display_name AS after_name \
         FROM worker_events e LEFT JOIN users u ON u.id = e.recorded_by \
         LEFT JOIN users b ON e.kind = 'counsellor' AND b.id = e.before_value \
         LEFT JOIN users a ON e.kind = 'counsellor' AND a.id = e.after_value \
         WHERE e.worker_id = $1 ORDER BY e.recorded_at DESC, e.id DESC",
    )
    .bind(worker_id)
    .fetch_all(db)
    .await?;
    let date = |d: &Option<String>| d.as_deref().map(french_date);
    Ok(rows
        .into_iter()
        .map(|r| {
            let (title, detail) = match r.kind.as_str() {
                "renewal" => (
                    "Contrat renouvelé",
                    match date(&r.before_value) {
                        Some(before) => format!(
                            "fin le {} au lieu du {before}",
                            date(&r.after_value).unwrap_or_default()
                        ),
                        None => format!("fin le {}", date(&r.after_value).unwrap_or_default()),
                    },
                ),
                "counsellor" => (
                    "CIP référent·e changé·e",
                    format!(
                        "{} (avant : {})",
                        r.after_name.unwrap_or_else(|| "personne".into()),
                        r.before_name.unwrap_or_else(|| "personne".into())
                    ),
                ),
                _ => (
                    "Fin du parcours",
                    r.after_value
                        .as_deref()
                        .and_then(ExitOutcome::from_code)
                        .map(|o| o.label().to_string())
                        .unwrap_or_else(|| "issue non renseignée".into()),
                ),
            };
            ParcoursEvent {
                title: title.into(),
                detail,
                reason: r.reason,
                effective_on: r.effective_on,
                by: r.by_name,
            }
        })
        .collect())
}
