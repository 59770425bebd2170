//! What the admin's data-protection screen receives.
use serde::{Deserialize, Serialize};

/// The structure's retention period and who will be anonymised soon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionState {
    /// Years kept after the last contact.
    pub years: u32,
    /// Today, `YYYY-MM-DD` (Paris).
    pub today: String,
    /// Due within the preview window, or held; earliest first.
    pub people: Vec<RetentionLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionLine {
    pub worker_id: String,
    pub name: String,
    pub last_contact: String,
    /// The day their data is anonymised (after a hold, the day after it).
    pub due_on: String,
    pub hold_until: Option<String>,
    pub hold_reason: Option<String>,
}
