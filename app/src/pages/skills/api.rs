//! Server functions of the frameworks: read (staff), edit, import (admin).
//! The export file is a plain GET route (server/src/exports.rs).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::backend::skills as store;
use crate::error::AppError;
use jalon_core::skills::{FrameworkKind, StoredFramework};

/// A framework in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkLine {
    pub id: String,
    pub title: String,
    pub kind: FrameworkKind,
    pub archived: bool,
    pub skills: usize,
    pub archived_skills: usize,
}

#[cfg(feature = "ssr")]
async fn admin_load(
    id: &str,
) -> Result<
    (
        crate::backend::db::Db,
        crate::backend::policy::Actor,
        StoredFramework,
    ),
    AppError,
> {
    use crate::backend::policy::{Action, require_actor};
    let (db, actor) = require_actor().await?;
    let stored = store::load(&db, &actor, Action::Manage, id).await?;
    Ok((db, actor, stored))
}

#[cfg(feature = "ssr")]
fn invalid(message: String) -> AppError {
    AppError::Invalid(message).respond()
}

/// The structure's frameworks (staff).
#[server(prefix = "/api", endpoint = "skills/list")]
pub async fn list_frameworks() -> Result<Vec<FrameworkLine>, AppError> {
    use crate::backend::policy::{Action, require_actor};
    let (db, actor) = require_actor().await?;
    let sid = store::authorize_frameworks(&db, &actor, Action::View).await?;
    Ok(store::all(&db, &sid)
        .await?
        .into_iter()
        .map(|s| FrameworkLine {
            id: s.id,
            title: s.framework.title,
            kind: s.framework.kind,
            archived: s.archived,
            skills: s.framework.skills.iter().filter(|k| !k.archived).count(),
            archived_skills: s.framework.skills.iter().filter(|k| k.archived).count(),
        })
        .collect())
}

/// One framework in full (staff).
#[server(prefix = "/api", endpoint = "skills/get")]
pub async fn get_framework(id: String) -> Result<StoredFramework, AppError> {
    use crate::backend::policy::{Action, require_actor};
    let (db, actor) = require_actor().await?;
    store::load(&db, &actor, Action::View, &id).await
}

/// Creates an empty framework (admin); returns its id.
#[server(prefix = "/api", endpoint = "skills/create")]
pub async fn create_framework(title: String, kind: FrameworkKind) -> Result<String, AppError> {
    use crate::backend::policy::require_admin;
    let (db, actor) = require_admin().await?;
    let framework = jalon_core::skills::check_framework(jalon_core::skills::Framework {
        format: jalon_core::skills::FILE_FORMAT.into(),
        version: jalon_core::skills::FILE_VERSION,
        title,
        kind,
        skills: Vec::new(),
    })
    .map_err(|m| invalid(jalon_core::skills::capital(&m)))?;
    store::insert(&db, &actor, &framework, "framework_changed").await
}

/// Renames a framework, archives it (`archived = true`) or brings it back.
#[server(prefix = "/api", endpoint = "skills/update")]
pub async fn update_framework(id: String, title: String, archived: bool) -> Result<(), AppError> {
    let (db, actor, mut stored) = admin_load(&id).await?;
    let what = if archived != stored.archived {
        if archived { "archivé" } else { "réactivé" }
    } else {
        "renommé"
    };
    stored.framework.title = title;
    stored.archived = archived;
    store::write(&db, &actor, &stored, what).await
}

/// Adds or changes a skill. `skill` is JSON: an empty `id` adds a skill; a
/// criterion with an empty `id` is new, one with an empty `text` is removed.
#[server(prefix = "/api", endpoint = "skills/save_skill")]
pub async fn save_skill(framework_id: String, skill: String) -> Result<String, AppError> {
    let input: jalon_core::skills::Skill = match serde_json::from_str::<serde_json::Value>(&skill) {
        Ok(value) => jalon_core::skills::skill_from_form(&value)
            .map_err(|m| invalid(jalon_core::skills::capital(&m)))?,
        Err(_) => return Err(invalid("Compétence illisible.".into())),
    };
    let (db, actor, mut stored) = admin_load(&framework_id).await?;
    let skills = &mut stored.framework.skills;
    let what = match skills.iter_mut().find(|s| s.id == input.id) {
        Some(existing) => {
            *existing = jalon_core::skills::Skill {
                archived: existing.archived,
                ..input.clone()
            };
            format!("compétence « {} » modifiée", input.title)
        }
        None => {
            skills.push(input.clone());
            format!("compétence « {} » ajoutée", input.title)
        }
    };
    store::write(&db, &actor, &stored, &what).await?;
    Ok(input.id)
}

/// Moves a skill one place up or down (admin).
#[server(prefix = "/api", endpoint = "skills/move_skill")]
pub async fn move_skill(framework_id: String, skill_id: String, up: bool) -> Result<(), AppError> {
    let (db, actor, mut stored) = admin_load(&framework_id).await?;
    stored.framework = jalon_core::skills::check_framework(stored.framework)
        .map_err(|m| invalid(jalon_core::skills::capital(&m)))?;
    let skills = &mut stored.framework.skills;
    let i = skills
        .iter()
        .position(|s| s.id == skill_id)
        .ok_or_else(|| AppError::NotFound.respond())?;
    let j = if up {
        i.checked_sub(1)
    } else {
        Some(i + 1).filter(|j| *j < skills.len())
    };
    let Some(j) = j else { return Ok(()) };
    if skills[i].domain == skills[j].domain {
        skills.swap(i, j);
    } else {
        // At the edge of its group: it joins the neighbouring group, at
        // that group's edge (where it is on screen).
        skills[i].domain = skills[j].domain.clone();
    }
    let title = skills
        .iter()
        .find(|s| s.id == skill_id)
        .map(|s| s.title.clone());
    let what = format!("compétence « {} » déplacée", title.unwrap_or_default());
    store::write(&db, &actor, &stored, &what).await
}

/// Archives a skill (kept with its evaluations, not offered any more) or
/// brings it back.
#[server(prefix = "/api", endpoint = "skills/archive_skill")]
pub async fn archive_skill(
    framework_id: String,
    skill_id: String,
    archived: bool,
) -> Result<(), AppError> {
    let (db, actor, mut stored) = admin_load(&framework_id).await?;
    let skill = stored
        .framework
        .skills
        .iter_mut()
        .find(|s| s.id == skill_id)
        .ok_or_else(|| AppError::NotFound.respond())?;
    skill.archived = archived;
    let what = format!(
        "compétence « {} » {}",
        skill.title,
        if archived { "archivée" } else { "réactivée" }
    );
    store::write(&db, &actor, &stored, &what).await
}

/// Imports an exchange file as a new framework (admin). A file with any
/// problem is refused whole, with its line and reason.
#[server(prefix = "/api", endpoint = "skills/import")]
pub async fn import_framework(file: String) -> Result<String, AppError> {
    use crate::backend::policy::require_admin;
    let (db, actor) = require_admin().await?;
    let framework = jalon_core::skills::parse_file(&file).map_err(|e| invalid(e.sentence()))?;
    store::insert(&db, &actor, &framework, "framework_imported").await
}
