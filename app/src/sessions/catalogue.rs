//! The phone's copy of the frameworks and session plans (`meta` store,
//! key `catalogue`), refreshed after each sync of a staff member, so a
//! session can be started with no network.
use super::Catalogue;

#[cfg(feature = "hydrate")]
const KEY: &str = "catalogue";

/// The copy held on this phone, if any.
pub async fn load() -> Option<Catalogue> {
    #[cfg(feature = "hydrate")]
    {
        if !crate::sync::client::browser::ready().await {
            return None;
        }
        let store = crate::sync::client::browser::store().await.ok()?;
        store.meta_value(KEY).await.ok().flatten()
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
        if let Ok(Some(fresh)) = super::fetch_catalogue(known).await
            && let Ok(store) = crate::sync::client::browser::store().await
        {
            let _ = store.put_meta(KEY, &fresh).await;
        }
    }
}
