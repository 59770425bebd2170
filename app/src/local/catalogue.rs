//! The phone's copy of the frameworks and session plans (`meta` store,
//! key `catalogue`), refreshed after each sync of a staff member, so a
//! session can be started with no network.
use leptos::prelude::*;

use crate::error::AppError;
pub use jalon_core::sessions::Catalogue;

#[cfg(feature = "hydrate")]
const KEY: &str = "catalogue";

/// The copy held on this phone, if any.
pub async fn load() -> Option<Catalogue> {
    #[cfg(feature = "hydrate")]
    {
        crate::local::phone::kept(KEY).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Asks the server for a newer copy (only sent when it changed).
pub async fn refresh() {
    #[cfg(feature = "hydrate")]
    {
        let known = load().await.map(|c| c.version).unwrap_or_default();
        if let Ok(Some(fresh)) = fetch_catalogue(known).await
            && let Ok(store) = crate::local::phone::store().await
        {
            let _ = store.put_meta(KEY, &fresh).await;
        }
    }
}

/// Frameworks and plans for the phone (staff); `None` when `known` is
/// already the current fingerprint.
#[server(prefix = "/api", endpoint = "sessions/catalogue")]
pub async fn fetch_catalogue(known: String) -> Result<Option<Catalogue>, AppError> {
    use crate::backend::policy::{Action, require_actor};
    use sha2::{Digest, Sha256};
    let (db, actor) = require_actor().await?;
    let sid = crate::backend::skills::authorize_frameworks(&db, &actor, Action::View).await?;
    let mut catalogue = Catalogue {
        version: String::new(),
        frameworks: crate::backend::skills::all(&db, &sid).await?,
        plans: crate::backend::plans::all(&db, &sid).await?,
        welcome_items: crate::backend::worksite::items(&db, &sid).await?,
    };
    let bytes = serde_json::to_vec(&catalogue).map_err(|_| AppError::Internal)?;
    let digest = Sha256::digest(&bytes);
    catalogue.version = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    Ok((catalogue.version != known).then_some(catalogue))
}
