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

/// Whether a skill is archived (or its framework is), from the phone's copy
/// read for that alone: the worker's home and the progression need no more,
/// and the code that reads a whole catalogue stays in the screens that use it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Archive {
    #[serde(default)]
    frameworks: Vec<ArchivedFramework>,
}

#[derive(Debug, serde::Deserialize)]
struct ArchivedFramework {
    id: String,
    #[serde(default)]
    archived: bool,
    framework: ArchivedSkills,
}

#[derive(Debug, serde::Deserialize)]
struct ArchivedSkills {
    #[serde(default)]
    skills: Vec<ArchivedSkill>,
}

#[derive(Debug, serde::Deserialize)]
struct ArchivedSkill {
    id: String,
    #[serde(default)]
    archived: bool,
}

impl Archive {
    /// The same answer as `Catalogue::archived`.
    pub fn archived(&self, framework_id: &str, skill_id: &str) -> bool {
        self.frameworks
            .iter()
            .find(|f| f.id == framework_id)
            .is_some_and(|f| {
                f.archived
                    || f.framework
                        .skills
                        .iter()
                        .any(|s| s.id == skill_id && s.archived)
            })
    }
}

/// The archived flags of the copy held on this phone (none: nothing archived).
pub async fn archive() -> Archive {
    #[cfg(feature = "hydrate")]
    {
        crate::local::phone::kept(KEY).await.unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Archive::default()
    }
}

/// Asks the server for a newer copy (only sent when it changed). Kept as
/// the server sent it: read whole only by the screens that use it.
pub async fn refresh() {
    #[cfg(feature = "hydrate")]
    {
        let known = crate::local::phone::kept::<serde_json::Value>(KEY)
            .await
            .and_then(|c| c.get("version")?.as_str().map(String::from))
            .unwrap_or_default();
        if let Ok(Some(fresh)) = fetch_catalogue(known).await
            && let Ok(store) = crate::local::phone::store().await
        {
            let _ = store.put_meta(KEY, &fresh).await;
        }
    }
}

/// Frameworks, plans and the welcome checklist for the phone (staff), as a
/// `Catalogue` in JSON; `None` when `known` is already the current fingerprint.
#[server(prefix = "/api", endpoint = "sessions/catalogue")]
pub async fn fetch_catalogue(known: String) -> Result<Option<serde_json::Value>, AppError> {
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
    if catalogue.version == known {
        return Ok(None);
    }
    serde_json::to_value(&catalogue)
        .map(Some)
        .map_err(|_| AppError::Internal)
}
