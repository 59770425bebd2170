//! The people model: accounts, teams, worker files (parcours), and worker
//! account activation. Types and server functions here; screens in the
//! sibling modules; database writes in `backend::people`.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use jalon_core::roles::Role;

pub(crate) mod accounts;
mod activation;
mod parcours;
mod teams;
mod workers;

pub use accounts::AccountsPage;
pub use activation::ActivatePage;
pub use parcours::{
    ChangeCounsellor, EndWorker, ParcoursChoices, ParcoursEvent, RenewContract, Timeline,
    change_counsellor, end_worker, renew_contract, timeline,
};
pub use teams::TeamsPage;
pub use workers::{NewWorkerPage, WorkerFilePage, WorkersPage};

#[cfg(feature = "ssr")]
use crate::backend::people as store;
#[cfg(feature = "ssr")]
use jalon_core::people as validate;

#[cfg(feature = "ssr")]
use crate::backend::policy::{
    Action, Resource, authorize, require_actor, require_admin, worker_ref,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerSummary {
    pub id: String,
    pub name: String,
    pub team: Option<String>,
    pub ended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamChange {
    pub team: Option<String>,
    pub at: String,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerFile {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub team_id: Option<String>,
    pub team: Option<String>,
    pub counsellor: Option<String>,
    pub contract_start: String,
    pub contract_end: Option<String>,
    pub ended: bool,
    /// How the parcours ended (the funders' category), once it has.
    pub exit_outcome: Option<String>,
    pub phone: Option<String>,
    pub login: Option<String>,
    pub account_ready: bool,
    pub history: Vec<TeamChange>,
    /// Renewals, referent changes and the exit, newest first.
    pub events: Vec<ParcoursEvent>,
    /// The parcours forms, for the admin and the referent counsellor.
    pub parcours: Option<ParcoursChoices>,
    pub can_manage: bool,
    pub can_issue_code: bool,
    /// The admin may erase the person's data at once.
    pub can_erase: bool,
    /// The person's account, for the admin (its devices screen).
    pub devices_of: Option<String>,
    /// When the person first saw the current information on their data
    /// (`/confidentialite`), for staff; `None` if not yet.
    pub notice_seen: Option<String>,
    /// Teams to move the worker to, for whoever may manage the file (sent
    /// with it, so the screen creates no second resource while rendering).
    pub choices: Option<Choices>,
    /// Whether the reader is staff (the file then links to the attendance report).
    pub staff_view: bool,
    /// The parcours at a glance, for staff.
    pub figures: Option<crate::wire::parcours::KeyFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLine {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Where alert e-mails go (counsellors).
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamLine {
    pub id: String,
    pub name: String,
    pub activity: String,
    pub supervisors: Vec<Choice>,
    pub workers: i64,
}

/// What the admin forms offer to pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    /// Today in Paris (`YYYY-MM-DD`), the default of date fields.
    pub today: String,
    pub teams: Vec<Choice>,
    pub counsellors: Vec<Choice>,
    pub supervisors: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationCode {
    pub code: String,
    pub login: String,
    pub expires_at: String,
    pub link: String,
    pub qr_svg: String,
}

pub use jalon_core::dates::french_date;

#[cfg(feature = "ssr")]
fn change(before: serde_json::Value, after: serde_json::Value) -> String {
    serde_json::json!({ "before": before, "after": after }).to_string()
}

#[cfg(feature = "ssr")]
async fn audit_admin<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    actor: &crate::backend::policy::Actor,
    action: &str,
    target: (&str, &str),
    details: &str,
) -> Result<(), AppError> {
    crate::backend::policy::audited(db, actor, action, target, details).await?;
    Ok(())
}

/// A refused input: answered with status 422 and the French reason.
#[cfg(feature = "ssr")]
fn invalid(err: impl Into<AppError>) -> AppError {
    err.into().respond()
}

// ---------------------------------------------------------------- workers

#[server(prefix = "/api", endpoint = "people/list_workers")]
pub async fn list_workers() -> Result<Vec<WorkerSummary>, AppError> {
    use crate::backend::policy::{WorkerRef, can};
    let (db, actor) = require_actor().await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        access: WorkerRef,
        first_name: String,
        last_name: String,
        team: Option<String>,
        status: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT w.structure_id, w.id AS worker_id, w.team_id, w.counsellor_id, w.user_id, \
         w.first_name, w.last_name, t.name AS team, w.status \
         FROM workers w LEFT JOIN teams t ON t.id = w.team_id \
         WHERE w.structure_id = $1 AND w.anonymised_at IS NULL \
         ORDER BY w.status, w.last_name, w.first_name",
    )
    .bind(&actor.user.structure_id)
    .fetch_all(&db)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| can(&actor, Action::View, &Resource::Worker(&r.access)))
        .map(|r| WorkerSummary {
            id: r.access.worker_id,
            name: format!("{} {}", r.first_name, r.last_name),
            team: r.team,
            ended: r.status == "ended",
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "people/get_worker")]
pub async fn get_worker(id: String) -> Result<WorkerFile, AppError> {
    use crate::backend::policy::can;
    let (db, actor) = require_actor().await?;
    let access = worker_ref(&db, &actor, &id).await?;
    authorize(&db, &actor, Action::View, &Resource::Worker(&access)).await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        first_name: String,
        last_name: String,
        team: Option<String>,
        counsellor: Option<String>,
        contract_start: String,
        contract_end: Option<String>,
        status: String,
        exit_outcome: Option<String>,
        phone: Option<String>,
        login: Option<String>,
        has_secret: Option<crate::backend::db::Flag>,
    }
    let row: Row = sqlx::query_as(
        "SELECT w.first_name, w.last_name, t.name AS team, c.display_name AS counsellor, \
         w.contract_start, w.contract_end, w.status, w.exit_outcome, w.phone, u.login, \
         (u.password_hash IS NOT NULL) AS has_secret \
         FROM workers w LEFT JOIN teams t ON t.id = w.team_id \
         LEFT JOIN users c ON c.id = w.counsellor_id LEFT JOIN users u ON u.id = w.user_id \
         WHERE w.id = $1",
    )
    .bind(&id)
    .fetch_one(&db)
    .await?;
    let notice_seen: Option<String> = match (&access.user_id, actor.user.role != Role::Worker) {
        (Some(user_id), true) => sqlx::query_scalar(
            "SELECT shown_at FROM privacy_notices WHERE user_id = $1 AND version = $2",
        )
        .bind(user_id)
        .bind(i64::from(jalon_core::privacy::NOTICE_VERSION))
        .fetch_optional(&db)
        .await?
        .map(|at: String| crate::backend::db::paris_day(&at)),
        _ => None,
    };
    let can_manage = can(&actor, Action::Manage, &Resource::Worker(&access));
    let choices = if can_manage {
        Some(people_choices().await?)
    } else {
        None
    };
    let parcours = if can(&actor, Action::Manage, &Resource::Parcours(&access)) {
        Some(parcours::choices(&db, &access.structure_id, access.counsellor_id.clone()).await?)
    } else {
        None
    };
    let figures = if actor.user.role != Role::Worker {
        Some(crate::backend::parcours::key_figures(&db, &actor, &access).await?)
    } else {
        None
    };
    let history: Vec<(Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT t.name, h.changed_at, u.display_name FROM worker_team_history h \
         LEFT JOIN teams t ON t.id = h.team_id LEFT JOIN users u ON u.id = h.changed_by \
         WHERE h.worker_id = $1 ORDER BY h.changed_at DESC, h.id DESC",
    )
    .bind(&id)
    .fetch_all(&db)
    .await?;
    Ok(WorkerFile {
        id: id.clone(),
        first_name: row.first_name,
        last_name: row.last_name,
        team_id: access.team_id.clone(),
        team: row.team,
        counsellor: row.counsellor,
        contract_start: row.contract_start,
        contract_end: row.contract_end,
        ended: row.status == "ended",
        exit_outcome: row
            .exit_outcome
            .as_deref()
            .and_then(jalon_core::people::ExitOutcome::from_code)
            .map(|o| o.label().to_string()),
        phone: row.phone,
        login: row.login,
        account_ready: row.has_secret.is_some_and(bool::from),
        history: history
            .into_iter()
            .map(|(team, at, by)| TeamChange { team, at, by })
            .collect(),
        events: store::parcours_events(&db, &id).await?,
        parcours,
        can_manage,
        can_issue_code: can(&actor, Action::Manage, &Resource::WorkerAccount(&access)),
        notice_seen,
        can_erase: can(
            &actor,
            Action::Manage,
            &Resource::Administration {
                structure_id: &access.structure_id,
            },
        ),
        devices_of: access
            .user_id
            .clone()
            .filter(|_| actor.user.role == Role::Admin),
        choices,
        staff_view: actor.user.role != Role::Worker,
        figures,
    })
}

#[server(prefix = "/api", endpoint = "people/choices")]
pub async fn people_choices() -> Result<Choices, AppError> {
    let (db, actor) = require_admin().await?;
    let sid = &actor.user.structure_id;
    let teams: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM teams WHERE structure_id = $1 ORDER BY name")
            .bind(sid)
            .fetch_all(&db)
            .await?;
    let staff = |role: &'static str| {
        sqlx::query_as::<_, (String, String)>(
            "SELECT id, display_name FROM users WHERE structure_id = $1 AND role = $2 AND active = TRUE \
             ORDER BY display_name",
        )
        .bind(sid.clone())
        .bind(role)
        .fetch_all(&db)
    };
    let to_choices = |rows: Vec<(String, String)>| {
        rows.into_iter()
            .map(|(id, label)| Choice { id, label })
            .collect()
    };
    Ok(Choices {
        today: crate::backend::db::today_paris().to_string(),
        teams: to_choices(teams),
        counsellors: to_choices(staff("counsellor").await?),
        supervisors: to_choices(staff("supervisor").await?),
    })
}

/// Checks that an optional team/counsellor id names a record of the actor's structure.
#[cfg(feature = "ssr")]
async fn own_id(
    db: &crate::backend::db::Db,
    structure_id: &str,
    sql: &'static str,
    id: Option<String>,
    label: &str,
) -> Result<Option<String>, AppError> {
    let Some(id) = id.filter(|i| !i.trim().is_empty()) else {
        return Ok(None);
    };
    let found: Option<String> = sqlx::query_scalar(sql)
        .bind(&id)
        .bind(structure_id)
        .fetch_optional(db)
        .await?;
    found
        .map(Some)
        .ok_or_else(|| invalid(AppError::Invalid(format!("{label} : choix inconnu."))))
}

#[cfg(feature = "ssr")]
const TEAM_OF_STRUCTURE: &str = "SELECT id FROM teams WHERE id = $1 AND structure_id = $2";
#[cfg(feature = "ssr")]
const COUNSELLOR_OF_STRUCTURE: &str = "SELECT id FROM users WHERE id = $1 AND structure_id = $2 AND role = 'counsellor' AND active = TRUE";
#[cfg(feature = "ssr")]
const SUPERVISOR_OF_STRUCTURE: &str = "SELECT id FROM users WHERE id = $1 AND structure_id = $2 AND role = 'supervisor' AND active = TRUE";

/// A sign-in identifier for a new worker: `prenom.n`, numbered if taken.
#[cfg(feature = "ssr")]
async fn worker_login(
    db: &mut sqlx::AnyConnection,
    first: &str,
    last: &str,
) -> Result<String, AppError> {
    fn fold(s: &str) -> String {
        s.chars()
            .flat_map(|c| match c {
                'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' => Some('a'),
                'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => Some('e'),
                'î' | 'ï' | 'í' | 'Î' | 'Ï' => Some('i'),
                'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => Some('o'),
                'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => Some('u'),
                'ç' | 'Ç' => Some('c'),
                'ÿ' => Some('y'),
                c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect()
    }
    let mut base = format!(
        "{}.{}",
        fold(first),
        fold(last).chars().next().unwrap_or('x')
    );
    if base.len() < 4 {
        base = format!("salarie{base}");
    }
    let base: String = base.chars().take(40).collect();
    for n in 1..1000 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}{n}")
        };
        let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
            .bind(&candidate)
            .fetch_optional(&mut *db)
            .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    Err(AppError::Internal)
}

#[server(prefix = "/api", endpoint = "people/create_worker")]
pub async fn create_worker(
    first_name: String,
    last_name: String,
    team_id: Option<String>,
    counsellor_id: Option<String>,
    contract_start: String,
    contract_end: Option<String>,
    phone: Option<String>,
) -> Result<String, AppError> {
    use validate::{MAX_NAME_CHARS, date, optional_date, optional_text, text};
    let (db, actor) = require_admin().await?;
    let first = text("Prénom", &first_name, MAX_NAME_CHARS).map_err(invalid)?;
    let last = text("Nom", &last_name, MAX_NAME_CHARS).map_err(invalid)?;
    let start = date("Début du contrat", &contract_start).map_err(invalid)?;
    let end = optional_date("Fin du contrat", contract_end.as_deref()).map_err(invalid)?;
    if end.is_some_and(|e| e < start) {
        return Err(invalid(AppError::Invalid(
            "La fin du contrat doit venir après son début.".into(),
        )));
    }
    let phone = optional_text("Téléphone", phone.as_deref(), 30).map_err(invalid)?;
    let sid = actor.user.structure_id.clone();
    let team = own_id(&db, &sid, TEAM_OF_STRUCTURE, team_id, "Équipe").await?;
    let counsellor = own_id(&db, &sid, COUNSELLOR_OF_STRUCTURE, counsellor_id, "CIP").await?;

    let mut tx = db.begin().await?;
    let login = worker_login(&mut tx, &first, &last).await?;
    let display = format!("{first} {last}");
    let user_id = store::insert_user(
        &mut tx,
        store::NewUser {
            structure_id: &sid,
            role: Role::Worker,
            login: &login,
            display_name: &display,
            password_hash: None,
        },
    )
    .await?;
    let start_s = start.format("%Y-%m-%d").to_string();
    let end_s = end.map(|e| e.format("%Y-%m-%d").to_string());
    let id = store::insert_worker(
        &mut tx,
        store::NewWorker {
            structure_id: &sid,
            user_id: Some(&user_id),
            first_name: &first,
            last_name: &last,
            team_id: team.as_deref(),
            counsellor_id: counsellor.as_deref(),
            contract_start: &start_s,
            contract_end: end_s.as_deref(),
            phone: phone.as_deref(),
            created_by: Some(&actor.user.id),
        },
    )
    .await?;
    let details = change(
        serde_json::Value::Null,
        serde_json::json!({ "first_name": first, "last_name": last, "team_id": team,
            "counsellor_id": counsellor, "contract_start": start_s, "contract_end": end_s, "login": login }),
    );
    audit_admin(
        &mut *tx,
        &actor,
        "worker_created",
        ("worker", &id),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[server(prefix = "/api", endpoint = "people/move_worker")]
pub async fn move_worker(worker_id: String, team_id: Option<String>) -> Result<(), AppError> {
    let (db, actor) = require_actor().await?;
    let access = worker_ref(&db, &actor, &worker_id).await?;
    authorize(&db, &actor, Action::Manage, &Resource::Worker(&access)).await?;
    let team = own_id(
        &db,
        &actor.user.structure_id,
        TEAM_OF_STRUCTURE,
        team_id,
        "Équipe",
    )
    .await?;
    if team == access.team_id {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE workers SET team_id = $1 WHERE id = $2")
        .bind(&team)
        .bind(&worker_id)
        .execute(&mut *tx)
        .await?;
    store::record_team(&mut tx, &worker_id, team.as_deref(), Some(&actor.user.id)).await?;
    let details = change(
        serde_json::json!({ "team_id": access.team_id }),
        serde_json::json!({ "team_id": team }),
    );
    audit_admin(
        &mut *tx,
        &actor,
        "worker_moved",
        ("worker", &worker_id),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
