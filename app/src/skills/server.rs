//! Server functions of the frameworks: read (staff), edit, import (admin).
//! The export file is a plain GET route (server/src/skills_api.rs).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{FrameworkKind, StoredFramework};
use crate::error::AppError;

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
pub mod store {
    //! Reading and writing frameworks in the database.
    use super::super::{Framework, StoredFramework, check_framework, defaults};
    use crate::auth::policy::{Action, Actor, Resource, authorize};
    use crate::db::{Db, new_id, now};
    use crate::error::AppError;

    /// Creates the shipped frameworks the first time a structure needs them.
    pub async fn ensure_defaults(db: &Db, structure_id: &str) -> Result<(), AppError> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM frameworks WHERE structure_id = $1")
                .bind(structure_id)
                .fetch_one(db)
                .await?;
        if count > 0 {
            return Ok(());
        }
        let mut tx = db.begin().await?;
        for (position, (key, framework)) in defaults::all().into_iter().enumerate() {
            sqlx::query(
                "INSERT INTO frameworks (id, structure_id, default_key, title, kind, position, \
                 archived, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8) \
                 ON CONFLICT (structure_id, default_key) DO NOTHING",
            )
            .bind(new_id())
            .bind(structure_id)
            .bind(key)
            .bind(&framework.title)
            .bind(kind_text(&framework))
            .bind(position as i64)
            .bind(serde_json::to_string(&framework).map_err(|_| AppError::Internal)?)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub fn kind_text(f: &Framework) -> &'static str {
        match f.kind {
            super::FrameworkKind::Behaviours => "behaviours",
            super::FrameworkKind::Trade => "trade",
        }
    }

    /// Every framework of the structure, in order (archived ones included).
    pub async fn all(db: &Db, structure_id: &str) -> Result<Vec<StoredFramework>, AppError> {
        ensure_defaults(db, structure_id).await?;
        let rows: Vec<(String, bool, String)> = sqlx::query_as(
            "SELECT id, archived, body FROM frameworks WHERE structure_id = $1 \
             ORDER BY position, title",
        )
        .bind(structure_id)
        .fetch_all(db)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, archived, body)| {
                let framework = serde_json::from_str(&body).ok()?;
                Some(StoredFramework {
                    id,
                    archived,
                    framework,
                })
            })
            .collect())
    }

    /// Checks that the actor may `action` their structure's frameworks;
    /// gives the structure's id.
    pub async fn authorize_frameworks(
        db: &Db,
        actor: &Actor,
        action: Action,
    ) -> Result<String, AppError> {
        let sid = actor.user.structure_id.clone();
        authorize(
            db,
            actor,
            action,
            &Resource::Frameworks { structure_id: &sid },
        )
        .await?;
        Ok(sid)
    }

    /// One framework the actor may `action`; another structure's is "not found".
    pub async fn load(
        db: &Db,
        actor: &Actor,
        action: Action,
        id: &str,
    ) -> Result<StoredFramework, AppError> {
        let sid = authorize_frameworks(db, actor, action).await?;
        let row: Option<(bool, String)> = sqlx::query_as(
            "SELECT archived, body FROM frameworks WHERE id = $1 AND structure_id = $2",
        )
        .bind(id)
        .bind(&sid)
        .fetch_optional(db)
        .await?;
        let (archived, body) = row.ok_or_else(|| AppError::NotFound.respond())?;
        let framework = serde_json::from_str(&body).map_err(|_| AppError::Internal)?;
        Ok(StoredFramework {
            id: id.to_string(),
            archived,
            framework,
        })
    }

    /// Writes a changed framework (checked) and logs the change.
    pub async fn write(
        db: &Db,
        actor: &Actor,
        stored: &StoredFramework,
        what: &str,
    ) -> Result<(), AppError> {
        let framework = check_framework(stored.framework.clone())
            .map_err(|m| AppError::Invalid(super::super::capital(&m)).respond())?;
        let body = serde_json::to_string(&framework).map_err(|_| AppError::Internal)?;
        let mut tx = db.begin().await?;
        sqlx::query(
            "UPDATE frameworks SET title = $1, kind = $2, archived = $3, body = $4, \
             updated_at = $5, updated_by = $6 WHERE id = $7 AND structure_id = $8",
        )
        .bind(&framework.title)
        .bind(kind_text(&framework))
        .bind(stored.archived)
        .bind(body)
        .bind(now())
        .bind(&actor.user.id)
        .bind(&stored.id)
        .bind(&actor.user.structure_id)
        .execute(&mut *tx)
        .await?;
        crate::audit::by_actor(
            &mut *tx,
            actor,
            "framework_changed",
            ("framework", &stored.id),
            &format!("{} : {what}", framework.title),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a framework at the end of the list; returns its id.
    pub async fn insert(
        db: &Db,
        actor: &Actor,
        framework: &Framework,
        action: &str,
    ) -> Result<String, AppError> {
        let id = new_id();
        let body = serde_json::to_string(framework).map_err(|_| AppError::Internal)?;
        let sid = &actor.user.structure_id;
        let mut tx = db.begin().await?;
        let position: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM frameworks WHERE structure_id = $1",
        )
        .bind(sid)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO frameworks (id, structure_id, title, kind, position, archived, body, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, FALSE, $6, $7, $8)",
        )
        .bind(&id)
        .bind(sid)
        .bind(&framework.title)
        .bind(kind_text(framework))
        .bind(position)
        .bind(body)
        .bind(now())
        .bind(&actor.user.id)
        .execute(&mut *tx)
        .await?;
        let details = format!(
            "{} ({} compétences)",
            framework.title,
            framework.skills.len()
        );
        crate::audit::by_actor(&mut *tx, actor, action, ("framework", &id), &details).await?;
        tx.commit().await?;
        Ok(id)
    }
}

#[cfg(feature = "ssr")]
async fn admin_load(
    id: &str,
) -> Result<(crate::db::Db, crate::auth::policy::Actor, StoredFramework), AppError> {
    use crate::auth::policy::{Action, require_actor};
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
    use crate::auth::policy::{Action, require_actor};
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
    use crate::auth::policy::{Action, require_actor};
    let (db, actor) = require_actor().await?;
    store::load(&db, &actor, Action::View, &id).await
}

/// Creates an empty framework (admin); returns its id.
#[server(prefix = "/api", endpoint = "skills/create")]
pub async fn create_framework(title: String, kind: FrameworkKind) -> Result<String, AppError> {
    use crate::auth::policy::require_admin;
    let (db, actor) = require_admin().await?;
    let framework = super::check_framework(super::Framework {
        format: super::FILE_FORMAT.into(),
        version: super::FILE_VERSION,
        title,
        kind,
        skills: Vec::new(),
    })
    .map_err(|m| invalid(super::capital(&m)))?;
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
    let input: super::Skill = match serde_json::from_str::<serde_json::Value>(&skill) {
        Ok(value) => super::skill_from_form(&value).map_err(|m| invalid(super::capital(&m)))?,
        Err(_) => return Err(invalid("Compétence illisible.".into())),
    };
    let (db, actor, mut stored) = admin_load(&framework_id).await?;
    let skills = &mut stored.framework.skills;
    let what = match skills.iter_mut().find(|s| s.id == input.id) {
        Some(existing) => {
            *existing = super::Skill {
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
    stored.framework =
        super::check_framework(stored.framework).map_err(|m| invalid(super::capital(&m)))?;
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
    use crate::auth::policy::require_admin;
    let (db, actor) = require_admin().await?;
    let framework = super::parse_file(&file).map_err(|e| invalid(e.sentence()))?;
    store::insert(&db, &actor, &framework, "framework_imported").await
}
