//! Bilans and attestations of skills (issue 21): the server functions the
//! screens call, each a thin door to `backend::bilans` (which asks the
//! policy). Screens: a person's bilans and attestations on their file
//! (`papers`), one bilan (`bilan`), one attestation (`attestation`), the
//! public verification page (`verify`), the worker's own copy (`mine`).
use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::bilans::{AttestationView, BilanPrefill, BilanView, PapersOfWorker, Verification};

mod attestation;
mod bilan;
mod mine;
mod papers;
mod verify;

pub use attestation::AttestationPage;
pub use bilan::BilanPage;
pub use mine::MyBilansPage;
pub use papers::Papers;
pub use verify::VerifyPage;

/// The records of the period gathered for a bilan (`YYYY-MM-DD` days).
#[server(prefix = "/api", endpoint = "people/bilan_prefill")]
pub async fn gather_bilan(
    worker_id: String,
    from: String,
    to: String,
) -> Result<BilanPrefill, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::prefill(&db, &actor, &worker_id, &from, &to).await
}

/// A person's bilans and attestations, with the forms' defaults.
#[server(prefix = "/api", endpoint = "bilans/papers")]
pub async fn bilan_papers(worker_id: String) -> Result<PapersOfWorker, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::papers(&db, &actor, &worker_id).await
}

/// Starts a draft bilan; answers its id.
#[server(prefix = "/api", endpoint = "bilans/create")]
pub async fn create_bilan(
    worker_id: String,
    kind: String,
    audience: String,
    from: String,
    to: String,
) -> Result<String, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::create(&db, &actor, &worker_id, &kind, &audience, &from, &to).await
}

#[server(prefix = "/api", endpoint = "bilans/get")]
pub async fn get_bilan(id: String) -> Result<BilanView, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::view(&db, &actor, &id).await
}

/// Saves a draft: `words` is the JSON of `BilanWords`, `added` the JSON
/// list of the observation ids added.
#[server(prefix = "/api", endpoint = "bilans/save")]
pub async fn save_bilan(
    id: String,
    audience: String,
    words: String,
    added: String,
) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    let unreadable = || AppError::Invalid("Bilan illisible : rechargez la page.".into()).respond();
    let words = serde_json::from_str(&words).map_err(|_| unreadable())?;
    let added: Vec<String> = if added.trim().is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(&added).map_err(|_| unreadable())?
    };
    crate::backend::bilans::save(&db, &actor, &id, &audience, words, added).await
}

#[server(prefix = "/api", endpoint = "bilans/validate")]
pub async fn validate_bilan(id: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::validate(&db, &actor, &id).await
}

/// Starts a corrected version; answers its id.
#[server(prefix = "/api", endpoint = "bilans/correct")]
pub async fn correct_bilan(id: String, reason: String) -> Result<String, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::correct(&db, &actor, &id, &reason).await
}

#[server(prefix = "/api", endpoint = "bilans/share")]
pub async fn share_bilan(id: String, recipient: String, name: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::share(&db, &actor, &id, &recipient, &name).await
}

/// Creates the bilan's next objectives; answers how many.
#[server(prefix = "/api", endpoint = "bilans/objectives")]
pub async fn bilan_objectives(id: String) -> Result<usize, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::create_next_objectives(&db, &actor, &id).await
}

/// Issues an attestation of skills; answers its id.
#[server(prefix = "/api", endpoint = "attestations/issue")]
pub async fn issue_attestation(
    worker_id: String,
    supervisor: String,
    head: String,
) -> Result<String, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::attestations::issue(&db, &actor, &worker_id, &supervisor, &head).await
}

#[server(prefix = "/api", endpoint = "attestations/get")]
pub async fn get_attestation(id: String) -> Result<AttestationView, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    let origin = crate::backend::session::request_origin();
    crate::backend::bilans::attestations::view(&db, &actor, &id, &origin).await
}

#[server(prefix = "/api", endpoint = "attestations/withdraw")]
pub async fn withdraw_attestation(id: String, reason: String) -> Result<(), AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::bilans::attestations::withdraw(&db, &actor, &id, &reason).await
}

/// What the public page says of a verification code; no sign-in needed.
#[server(prefix = "/api", endpoint = "attestations/verify")]
pub async fn verify_attestation(code: String) -> Result<Verification, AppError> {
    let db = crate::backend::db::db()?;
    crate::backend::bilans::attestations::verify(&db, &code).await
}
