//! On the worksite: a new worker's welcome and protective equipment
//! (`welcome.rs`, `/accueil`), the safety briefings (`briefings.rs`,
//! `/securite`), the worker's own first days (`mine.rs`, `/mon-accueil`)
//! and the admin's welcome checklist (`checklist.rs`,
//! `/admin/accueil`). The field screens read and write the phone's store
//! only, so they work with no network; the sync carries the rest.
mod briefings;
mod checklist;
mod mine;
mod welcome;

pub use briefings::BriefingsPage;
pub use checklist::ChecklistPage;
pub use mine::MyWelcomePage;
pub use welcome::WelcomePage;

use jalon_core::sync::engine::LocalRecord;

/// The records of a type held on the phone, read as `T` (unreadable ones left out).
async fn held<T: serde::de::DeserializeOwned>(
    record_type: &'static str,
) -> Result<Vec<(LocalRecord, T)>, String> {
    let records = crate::local::sync::records(record_type)
        .await
        .map_err(|e| e.to_string())?;
    Ok(records
        .into_iter()
        .filter_map(|r| {
            let value = serde_json::from_value::<T>(r.data.clone()).ok()?;
            Some((r, value))
        })
        .collect())
}
