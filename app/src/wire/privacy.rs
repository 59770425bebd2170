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

/// A person's phones and browsers, as their devices screen shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevicesView {
    pub user_id: String,
    pub person: String,
    /// The reader looks at their own devices.
    pub own: bool,
    /// Most recently used first; signed-out ones last.
    pub devices: Vec<DeviceLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceLine {
    pub id: String,
    /// « Chrome · Android », read from its requests.
    pub browser: String,
    /// « 06/12/2026 à 14:32 » (Paris), like every time below.
    pub first_seen: String,
    pub last_seen: String,
    /// Changes waiting on it at its last sync.
    pub pending: i64,
    /// The device this page is read on.
    pub current: bool,
    /// Not used for `DEVICE_ACTIVE_DAYS`: it must sign in again.
    pub idle: bool,
    /// Signed out from afar: when, by whom, whether it could send first,
    /// and whether it has emptied its store since.
    pub revoked: Option<Revocation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revocation {
    pub at: String,
    pub by: String,
    pub sends: bool,
    pub wiped_at: Option<String>,
}

/// A worker's request about their data, as the worker and those who answer
/// it see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestLine {
    pub id: String,
    pub worker_id: String,
    pub worker: String,
    pub kind: jalon_core::privacy::RequestKind,
    /// What the worker wrote (what is inexact, for a correction).
    pub body: String,
    /// `YYYY-MM-DD` (Paris).
    pub asked_on: String,
    pub answer: Option<RequestAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestAnswer {
    /// `YYYY-MM-DD` (Paris).
    pub on: String,
    pub by: String,
    pub text: String,
}
