//! What the admin's data-protection screen receives.
use serde::{Deserialize, Serialize};

/// The structure's retention period and who will be anonymised soon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionState {
    /// Years kept after the last contact.
    pub years: u32,
    /// Today, `YYYY-MM-DD` (Paris).
    pub today: String,
    /// Who to contact about personal data ("" when not set).
    pub contact: String,
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

/// What the information page says of the reader's structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeFacts {
    /// The reader's structure; `None` for a visitor (the page then speaks
    /// of « votre structure »).
    pub structure: Option<String>,
    /// Years kept after the last contact.
    pub years: u32,
    /// Who to contact about personal data, as the admin wrote it.
    pub contact: Option<String>,
    /// The reader is a worker (the page opens on the easy-read version).
    pub worker: bool,
}

/// What the processing-register entry says of the structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterFacts {
    pub structure: String,
    /// Who to contact about personal data ("" when not set).
    pub contact: String,
    pub years: u32,
    pub counsellors_see_all: bool,
    /// The day the entry is printed, `YYYY-MM-DD`.
    pub today: String,
    /// The database engine (« SQLite » or « PostgreSQL »).
    pub engine: String,
    /// Sessions end after this many idle days, and after this many in any case.
    pub idle_days: i64,
    pub absolute_days: i64,
}
