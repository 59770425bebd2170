//! Bilans (issue 21, under way): what a bilan of a person's period starts
//! from, for the staff who may read the file. The screens come next.
use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::bilans::BilanPrefill;

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
