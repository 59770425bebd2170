//! The worker's bilans and attestations kept on their phone (`meta` store,
//! key `my_papers`), refreshed after each of their syncs, so "Mes bilans"
//! opens with no network. Sign-out wipes it with the rest of the store.
//! Kept as the server's JSON text: the sync (main piece of code) only moves
//! it; the screen (`pages::bilans::mine`, a lazy piece) reads it as
//! `wire::bilans::MyPapers`.
use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "hydrate")]
const KEY: &str = "my_papers";

/// The copy held on this phone, if any.
pub async fn load() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        crate::local::phone::kept(KEY).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Asks the server for the current copy and keeps it.
pub async fn refresh() {
    #[cfg(feature = "hydrate")]
    {
        if let Ok(fresh) = my_papers().await
            && let Ok(store) = crate::local::phone::store().await
        {
            let _ = store.put_meta(KEY, &fresh).await;
        }
    }
}

/// The worker's validated bilans shared with them and attestations in
/// force, as their phone keeps them: `wire::bilans::MyPapers` as JSON.
#[server(prefix = "/api", endpoint = "bilans/mine")]
pub async fn my_papers() -> Result<String, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    let origin = crate::backend::session::request_origin();
    let papers = crate::backend::bilans::mine(&db, &actor, &origin).await?;
    serde_json::to_string(&papers).map_err(|_| AppError::Internal)
}
