//! Data protection for the admin: how long data is kept, who will be
//! anonymised soon, legal holds, and erasing a person at once. The work is
//! done by `backend/retention.rs`; these are its thin server functions.
mod erase;
mod notice;
mod retention;

pub use erase::{AccessPanel, ErasePanel};
pub use notice::NoticePage;
pub use retention::RetentionPage;

use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::privacy::{NoticeFacts, RetentionState};

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
