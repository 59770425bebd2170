//! A structure's settings (table `structure_settings`, one row per
//! structure, created on the first change), changed by its admin: the
//! yes/no ones, the retention period, the contact for personal data. Every
//! change is written with its audit entry (before and after), in one
//! transaction.
use crate::backend::db::Db;
use crate::backend::policy::{Actor, audited};
use crate::error::AppError;

/// A structure's setting: its column.
#[derive(Clone, Copy)]
pub enum Setting {
    CounsellorsSeeAll,
    AttendanceHalfDays,
    /// Years kept after the last contact (`retention.rs`).
    RetentionYears,
    /// Who to contact about personal data (`/confidentialite`).
    PrivacyContact,
}

impl Setting {
    fn column(self) -> &'static str {
        match self {
            Setting::CounsellorsSeeAll => "counsellors_see_all",
            Setting::AttendanceHalfDays => "attendance_half_days",
            Setting::RetentionYears => "retention_years",
            Setting::PrivacyContact => "privacy_contact",
        }
    }
}

/// Changes one yes/no setting of the admin's structure.
pub async fn set(
    db: &Db,
    actor: &Actor,
    setting: Setting,
    before: bool,
    enabled: bool,
) -> Result<(), AppError> {
    set_value(db, actor, setting, before.into(), enabled).await
}

/// Changes one setting of the admin's structure to `value`; `before` is
/// what the audit entry says it was.
pub async fn set_value<T>(
    db: &Db,
    actor: &Actor,
    setting: Setting,
    before: serde_json::Value,
    value: T,
) -> Result<(), AppError>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any>
        + sqlx::Type<sqlx::Any>
        + serde::Serialize
        + Send
        + 'static,
{
    let column = setting.column();
    let details = serde_json::json!({
        "before": { column: before },
        "after": { column: &value },
    })
    .to_string();
    let mut tx = db.begin().await?;
    sqlx::query(&format!(
        "INSERT INTO structure_settings (structure_id, {column}) VALUES ($1, $2) \
         ON CONFLICT (structure_id) DO UPDATE SET {column} = excluded.{column}"
    ))
    .bind(&actor.user.structure_id)
    .bind(value)
    .execute(&mut *tx)
    .await?;
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

/// The structure's retention period, in years (the default when not set).
pub async fn retention_years(db: &Db, structure_id: &str) -> Result<u32, AppError> {
    let years: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(retention_years AS BIGINT) FROM structure_settings WHERE structure_id = $1",
    )
    .bind(structure_id)
    .fetch_optional(db)
    .await?;
    Ok(years
        .and_then(|y| u32::try_from(y).ok())
        .unwrap_or(jalon_core::privacy::DEFAULT_YEARS))
}

/// The structure's contact for personal data ("" when not set).
pub async fn privacy_contact(db: &Db, structure_id: &str) -> Result<String, AppError> {
    let contact: Option<String> = sqlx::query_scalar(
        "SELECT privacy_contact FROM structure_settings WHERE structure_id = $1",
    )
    .bind(structure_id)
    .fetch_optional(db)
    .await?;
    Ok(contact.unwrap_or_default())
}
