//! Reading and writing frameworks in the database.
use crate::backend::db::{Db, Flag, new_id, now};
use crate::backend::policy::{Action, Actor, Resource, authorize};
use crate::error::AppError;
use jalon_core::skills::{Framework, StoredFramework, check_framework, defaults};

/// Creates the shipped frameworks the first time a structure needs them.
pub async fn ensure_defaults(db: &Db, structure_id: &str) -> Result<(), AppError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM frameworks WHERE structure_id = $1")
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
        jalon_core::skills::FrameworkKind::Behaviours => "behaviours",
        jalon_core::skills::FrameworkKind::Trade => "trade",
    }
}

/// Every framework of the structure, in order (archived ones included).
pub async fn all(db: &Db, structure_id: &str) -> Result<Vec<StoredFramework>, AppError> {
    ensure_defaults(db, structure_id).await?;
    let rows: Vec<(String, Flag, String)> = sqlx::query_as(
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
                archived: archived.0,
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
    let row: Option<(Flag, String)> =
        sqlx::query_as("SELECT archived, body FROM frameworks WHERE id = $1 AND structure_id = $2")
            .bind(id)
            .bind(&sid)
            .fetch_optional(db)
            .await?;
    let (archived, body) = row.ok_or_else(|| AppError::NotFound.respond())?;
    let framework = serde_json::from_str(&body).map_err(|_| AppError::Internal)?;
    Ok(StoredFramework {
        id: id.to_string(),
        archived: archived.0,
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
        .map_err(|m| AppError::Invalid(jalon_core::skills::capital(&m)).respond())?;
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
    crate::backend::policy::audited(
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
    crate::backend::policy::audited(&mut *tx, actor, action, ("framework", &id), &details).await?;
    tx.commit().await?;
    Ok(id)
}

/// One stored evaluation, as the progression rules read it.
pub struct StoredEvaluation {
    pub evaluation: jalon_core::sessions::Evaluation,
    pub by: String,
    pub updated_at: String,
}

/// A skill seen in ordinary work (a « Compétence » observation naming it).
pub struct StoredSighting {
    pub on: String,
    pub skill: jalon_core::sessions::SkillTag,
    pub level: jalon_core::sessions::Level,
    pub note: String,
    pub by: String,
    pub updated_at: String,
}

/// What a worker's skills are judged on: their evaluations in sessions and
/// the skills seen at work.
#[derive(Default)]
pub struct Evidence {
    pub evaluations: Vec<StoredEvaluation>,
    pub at_work: Vec<StoredSighting>,
}

/// The evaluations and the skills seen at work of these workers (neither
/// deleted nor retracted), per worker. The caller has checked that the
/// reader may see each worker's file (both are read like the file itself;
/// a « Compétence » observation is never sensitive).
pub async fn evidence_of(
    db: &Db,
    worker_ids: &[&str],
) -> Result<std::collections::HashMap<String, Evidence>, AppError> {
    let mut out: std::collections::HashMap<String, Evidence> = Default::default();
    for (worker_id, evaluations) in evaluations_of(db, worker_ids).await? {
        out.entry(worker_id).or_default().evaluations = evaluations;
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        observed_on: String,
        skill: Option<String>,
        level: Option<String>,
        body: String,
        updated_at: String,
        updated_by: String,
    }
    for worker_id in worker_ids {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT observed_on, skill, level, body, updated_at, updated_by FROM observations \
             WHERE worker_id = $1 AND deleted = FALSE AND retracted = FALSE AND kind = 'skill' \
             AND skill IS NOT NULL AND skill <> 'null'",
        )
        .bind(worker_id)
        .fetch_all(db)
        .await?;
        let list = &mut out.entry(worker_id.to_string()).or_default().at_work;
        for r in rows {
            let skill = r
                .skill
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok());
            let level = r
                .level
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok());
            let (Some(skill), Some(level)) = (skill, level) else {
                continue;
            };
            list.push(StoredSighting {
                on: r.observed_on,
                skill,
                level,
                note: r.body,
                by: r.updated_by,
                updated_at: r.updated_at,
            });
        }
    }
    Ok(out)
}

/// The evaluations of these workers (not deleted), per worker.
async fn evaluations_of(
    db: &Db,
    worker_ids: &[&str],
) -> Result<std::collections::HashMap<String, Vec<StoredEvaluation>>, AppError> {
    use jalon_core::sessions::Evaluation;
    #[derive(sqlx::FromRow)]
    struct Row {
        worker_id: String,
        session_id: String,
        plan_id: String,
        title: String,
        afest: Flag,
        held_on: String,
        place: String,
        duration_min: Option<i64>,
        absent: Flag,
        reflection: String,
        results: Option<String>,
        updated_at: String,
        updated_by: String,
    }
    let mut out: std::collections::HashMap<String, Vec<StoredEvaluation>> = Default::default();
    for worker_id in worker_ids {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT worker_id, session_id, plan_id, title, afest, held_on, place, duration_min, \
             absent, reflection, results, updated_at, updated_by FROM evaluations \
             WHERE worker_id = $1 AND deleted = FALSE",
        )
        .bind(worker_id)
        .fetch_all(db)
        .await?;
        let list = out.entry(worker_id.to_string()).or_default();
        for r in rows {
            list.push(StoredEvaluation {
                evaluation: Evaluation {
                    worker_id: r.worker_id,
                    session_id: r.session_id,
                    plan_id: r.plan_id,
                    title: r.title,
                    afest: r.afest.into(),
                    held_on: r.held_on,
                    place: r.place,
                    duration_min: r.duration_min,
                    absent: r.absent.into(),
                    reflection: r.reflection,
                    results: r
                        .results
                        .as_deref()
                        .and_then(|s| serde_json::from_str(s).ok())
                        .unwrap_or_default(),
                },
                by: r.updated_by,
                updated_at: r.updated_at,
            });
        }
    }
    Ok(out)
}

/// Each skill's latest level, from the sessions held and the skills seen
/// at work up to and including `until` (`YYYY-MM-DD`).
pub fn levels_until(
    stored: &Evidence,
    until: &str,
) -> Vec<jalon_core::sessions::progression::SkillProgress> {
    use jalon_core::sessions::progression::{Entry, Seen, progression};
    let seen: Vec<Seen> = stored
        .at_work
        .iter()
        .filter(|s| s.on.as_str() <= until)
        .map(|s| Seen {
            on: &s.on,
            skill: &s.skill,
            level: s.level,
            note: &s.note,
            by: &s.by,
            updated_at: &s.updated_at,
        })
        .collect();
    let entries: Vec<Entry> = stored
        .evaluations
        .iter()
        .filter(|s| s.evaluation.held_on.as_str() <= until)
        .map(|s| Entry {
            evaluation: &s.evaluation,
            by: &s.by,
            updated_at: &s.updated_at,
        })
        .collect();
    progression(&entries, &seen, |_| false)
}
