//! Data protection for the admin: how long data is kept, who will be
//! anonymised soon, legal holds, and erasing a person at once. The work is
//! done by `backend/retention.rs`; these are its thin server functions.
mod devices;
mod erase;
mod my_data;
mod notice;
mod requests;
mod retention;

pub use devices::DevicesPage;
pub use erase::{AccessPanel, ErasePanel};
pub use my_data::MyDataPage;
pub use notice::NoticePage;
pub use requests::{RequestsPage, WaitingRequests};
pub use retention::RetentionPage;

use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::privacy::{DevicesView, NoticeFacts, RetentionState};

#[server(prefix = "/api", endpoint = "privacy/retention_overview")]
pub async fn retention_overview() -> Result<RetentionState, AppError> {
    use crate::wire::privacy::RetentionLine;
    let (db, actor) = crate::backend::policy::require_admin().await?;
    let today = crate::backend::db::today_paris();
    let years = crate::backend::settings::retention_years(&db, &actor.user.structure_id).await?;
    let contact = crate::backend::settings::privacy_contact(&db, &actor.user.structure_id).await?;
    let people = crate::backend::retention::preview(&db, &actor.user.structure_id, today)
        .await?
        .into_iter()
        .map(|d| RetentionLine {
            worker_id: d.worker_id,
            name: d.name,
            last_contact: d.last_contact.to_string(),
            due_on: d.due_on.to_string(),
            hold_until: d.hold.as_ref().map(|h| h.until.to_string()),
            hold_reason: d.hold.map(|h| h.reason),
        })
        .collect();
    Ok(RetentionState {
        years,
        today: today.to_string(),
        contact,
        people,
    })
}

#[server(prefix = "/api", endpoint = "privacy/set_retention_years")]
pub async fn set_retention_years(years: u32) -> Result<(), AppError> {
    use crate::backend::settings::{Setting, set_value};
    let (db, actor) = crate::backend::policy::require_admin().await?;
    if !jalon_core::privacy::YEARS.contains(&years) {
        return Err(AppError::Invalid("Durée de conservation : de 1 à 10 ans.".into()).respond());
    }
    let before = crate::backend::settings::retention_years(&db, &actor.user.structure_id).await?;
    set_value(
        &db,
        &actor,
        Setting::RetentionYears,
        before.into(),
        i64::from(years),
    )
    .await
}

#[server(prefix = "/api", endpoint = "privacy/hold_person")]
pub async fn hold_person(worker_id: String, until: String, reason: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_admin().await?;
    let worker = crate::backend::policy::worker_ref(&db, &actor, &worker_id).await?;
    let until = chrono::NaiveDate::parse_from_str(until.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::Invalid("Conserver jusqu'au : indiquez une date.".into()).respond()
    })?;
    let today = crate::backend::db::today_paris();
    let reason = jalon_core::privacy::check_hold(until, today, &reason)
        .map_err(|e| AppError::Invalid(e).respond())?;
    crate::backend::retention::set_hold(&db, &actor, &worker.worker_id, until, &reason).await
}

#[server(prefix = "/api", endpoint = "privacy/erase_person")]
pub async fn erase_person(worker_id: String, reason: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_admin().await?;
    let reason = jalon_core::privacy::ErasureReason::from_code(&reason).ok_or_else(|| {
        AppError::Invalid("Motif de l'effacement : choisissez-en un dans la liste.".into())
            .respond()
    })?;
    let worker = crate::backend::policy::worker_ref(&db, &actor, &worker_id).await?;
    crate::backend::retention::erase(&db, &actor, &worker.worker_id, reason, chrono::Utc::now())
        .await
}

/// The facts the information page needs, for anyone (visitors too). For a
/// signed-in account, the first view of this version is kept with its date.
#[server(prefix = "/api", endpoint = "privacy/notice")]
pub async fn notice() -> Result<NoticeFacts, AppError> {
    use jalon_core::privacy::{DEFAULT_YEARS, NOTICE_VERSION};
    use jalon_core::roles::Role;
    let db = crate::backend::db::db()?;
    let Some(user) = crate::backend::session::current_user().await? else {
        return Ok(NoticeFacts {
            structure: None,
            years: DEFAULT_YEARS,
            contact: None,
            worker: false,
        });
    };
    let years = crate::backend::settings::retention_years(&db, &user.structure_id).await?;
    let contact = crate::backend::settings::privacy_contact(&db, &user.structure_id).await?;
    sqlx::query(
        "INSERT INTO privacy_notices (user_id, version, shown_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, version) DO NOTHING",
    )
    .bind(&user.id)
    .bind(i64::from(NOTICE_VERSION))
    .bind(crate::backend::db::now())
    .execute(&db)
    .await?;
    Ok(NoticeFacts {
        structure: Some(user.structure_name),
        years,
        contact: (!contact.is_empty()).then_some(contact),
        worker: user.role == Role::Worker,
    })
}

#[server(prefix = "/api", endpoint = "privacy/set_contact")]
pub async fn set_contact(contact: String) -> Result<(), AppError> {
    use crate::backend::settings::{Setting, set_value};
    let (db, actor) = crate::backend::policy::require_admin().await?;
    let contact = jalon_core::text::line(
        "Contact pour les données personnelles",
        &contact,
        jalon_core::privacy::CONTACT_MAX,
        false,
    )
    .map_err(|e| AppError::Invalid(e).respond())?;
    let before = crate::backend::settings::privacy_contact(&db, &actor.user.structure_id).await?;
    set_value(&db, &actor, Setting::PrivacyContact, before.into(), contact).await
}

/// A person's devices: one's own, or (for the admin) anyone's of the structure.
#[server(prefix = "/api", endpoint = "privacy/devices")]
pub async fn devices(person: Option<String>) -> Result<DevicesView, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    let user_id = person
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| actor.user.id.clone());
    let current = crate::backend::session::current_token_hash();
    crate::backend::devices::list(&db, &actor, &user_id, current.as_deref())
        .await
        .map_err(AppError::respond)
}

/// Signs a device out from afar; `sends`: it may send what waits on it first.
#[server(prefix = "/api", endpoint = "privacy/sign_out_device")]
pub async fn sign_out_device(device: String, sends: bool) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::devices::revoke(&db, &actor, device.trim(), sends)
        .await
        .map_err(AppError::respond)
}

/// The signed-in worker's requests about their data.
#[server(prefix = "/api", endpoint = "privacy/my_requests")]
pub async fn my_requests() -> Result<Vec<crate::wire::privacy::RequestLine>, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::data_requests::mine(&db, &actor)
        .await
        .map_err(AppError::respond)
}

/// A worker asks for a copy of their data (`access`) or a correction.
#[server(prefix = "/api", endpoint = "privacy/ask_about_data")]
pub async fn ask_about_data(kind: String, body: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    let kind = jalon_core::privacy::RequestKind::from_code(&kind).ok_or_else(|| {
        AppError::Invalid("Demande inconnue : mettez l'application à jour.".into()).respond()
    })?;
    crate::backend::data_requests::ask(&db, &actor, kind, &body)
        .await
        .map_err(AppError::respond)
}

/// The requests the reader may answer (optionally one person's).
#[server(prefix = "/api", endpoint = "privacy/requests_to_answer")]
pub async fn requests_to_answer(
    worker: Option<String>,
) -> Result<Vec<crate::wire::privacy::RequestLine>, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    if actor.user.role == jalon_core::roles::Role::Worker {
        return Err(AppError::NotFound.respond());
    }
    let worker = worker.filter(|w| !w.trim().is_empty());
    crate::backend::data_requests::to_answer(&db, &actor, worker.as_deref())
        .await
        .map_err(AppError::respond)
}

/// Writes how a request was answered.
#[server(prefix = "/api", endpoint = "privacy/answer_request")]
pub async fn answer_request(id: String, answer: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::data_requests::answer(&db, &actor, &id, &answer)
        .await
        .map_err(AppError::respond)
}
