//! The worksite's reference list kept on the server: the structure's welcome
//! checklist (`welcome_items`; Jalon's default list until the admin changes
//! it), and where a worker's welcome stands, for the staff's file. The
//! records themselves (steps, equipment, receipts, briefings) travel by the
//! sync (`specs/worksite.rs`).
use jalon_core::worksite::welcome::{WelcomeItem, check_items, default_items, progress};

use crate::backend::db::Db;
use crate::backend::policy::{Action, Actor, Resource, authorize};
use crate::error::AppError;

/// The structure's checklist, in its order.
pub async fn items(db: &Db, structure_id: &str) -> Result<Vec<WelcomeItem>, sqlx::Error> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT items FROM welcome_items WHERE structure_id = $1")
            .bind(structure_id)
            .fetch_optional(db)
            .await?;
    Ok(stored
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_else(default_items))
}

/// Staff read the checklist (their phones keep it with the frameworks).
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<WelcomeItem>, AppError> {
    let sid = &actor.user.structure_id;
    authorize(
        db,
        actor,
        Action::View,
        &Resource::Frameworks { structure_id: sid },
    )
    .await?;
    Ok(items(db, sid).await?)
}

/// The admin replaces the checklist; the change is in the journal. Steps
/// already planned or ticked keep their title; an item removed no longer
/// shows on files that had not ticked it.
pub async fn save(db: &Db, actor: &Actor, items: Vec<WelcomeItem>) -> Result<(), AppError> {
    let sid = actor.user.structure_id.clone();
    authorize(
        db,
        actor,
        Action::Manage,
        &Resource::Frameworks { structure_id: &sid },
    )
    .await?;
    let items = check_items(items).map_err(|m| AppError::Invalid(m).respond())?;
    let text = serde_json::to_string(&items).map_err(|_| AppError::Internal)?;
    let now = crate::backend::db::now();
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO welcome_items (structure_id, items, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (structure_id) \
         DO UPDATE SET items = $2, updated_at = $3, updated_by = $4",
    )
    .bind(&sid)
    .bind(&text)
    .bind(&now)
    .bind(&actor.user.id)
    .execute(&mut *tx)
    .await?;
    let details = format!("{} étapes", items.len());
    crate::backend::policy::audited(
        &mut *tx,
        actor,
        "welcome_items_saved",
        ("structure", &sid),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A worker counts as new for this many days after their contract began:
/// their counsellor's home shows how far their welcome is.
pub const NEWCOMER_DAYS: i64 = 28;

/// A worker's welcome: items of the checklist done, out of how many.
pub async fn welcome_progress(
    db: &Db,
    structure_id: &str,
    worker_id: &str,
) -> Result<(u32, u32), sqlx::Error> {
    let list = items(db, structure_id).await?;
    progress_on(db, &list, worker_id).await
}

/// The same, against a checklist already read (`items`), for several workers
/// of one structure.
pub async fn progress_on(
    db: &Db,
    list: &[WelcomeItem],
    worker_id: &str,
) -> Result<(u32, u32), sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT item_id, done_on FROM welcome_steps WHERE worker_id = $1 AND deleted = FALSE",
    )
    .bind(worker_id)
    .fetch_all(db)
    .await?;
    let steps: Vec<jalon_core::worksite::welcome::WelcomeStep> = rows
        .into_iter()
        .map(
            |(item_id, done_on)| jalon_core::worksite::welcome::WelcomeStep {
                worker_id: worker_id.to_string(),
                item_id,
                title: String::new(),
                planned_on: String::new(),
                done_on,
                note: String::new(),
            },
        )
        .collect();
    let (done, total) = progress(list, &steps);
    Ok((done as u32, total as u32))
}
