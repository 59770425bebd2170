//! A structure's yes/no settings, changed by its admin.
use crate::backend::db::Db;
use crate::backend::policy::{Actor, audited};
use crate::error::AppError;

/// A structure's yes/no settings (table `structure_settings`).
#[derive(Clone, Copy)]
pub enum Setting {
    CounsellorsSeeAll,
    AttendanceHalfDays,
}

impl Setting {
    fn column(self) -> &'static str {
        match self {
            Setting::CounsellorsSeeAll => "counsellors_see_all",
            Setting::AttendanceHalfDays => "attendance_half_days",
        }
    }
}

/// Changes one setting of the admin's structure, with its audit entry, in
/// one transaction.
pub async fn set(
    db: &Db,
    actor: &Actor,
    setting: Setting,
    before: bool,
    enabled: bool,
) -> Result<(), AppError> {
    let column = setting.column();
    let mut tx = db.begin().await?;
    sqlx::query(&format!(
        "INSERT INTO structure_settings (structure_id, {column}) VALUES ($1, $2) \
         ON CONFLICT (structure_id) DO UPDATE SET {column} = excluded.{column}"
    ))
    .bind(&actor.user.structure_id)
    .bind(enabled)
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({
        "before": { column: before },
        "after": { column: enabled },
    })
    .to_string();
    let sid = actor.user.structure_id.clone();
    audited(
        &mut *tx,
        actor,
        "settings_changed",
        ("structure", &sid),
        &details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
