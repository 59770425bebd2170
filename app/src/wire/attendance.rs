//! What the attendance report receives.
use jalon_core::attendance::rates::Summary;
use jalon_core::attendance::{Attendance, Slot};
use serde::{Deserialize, Serialize};

/// Which workers and which days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilter {
    /// Empty: every worker the person may see.
    pub team_id: String,
    /// Empty: every worker of the team (or of the person's reach).
    pub worker_id: String,
    /// `YYYY-MM-DD`; empty: the current month.
    pub from: String,
    pub to: String,
}

/// One pointed day (or half-day) in the detail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayLine {
    pub day: String,
    pub slot: Slot,
    pub entry: Attendance,
    /// Changed after it was first written (see its history).
    pub changed: bool,
    /// Not an expected working day (weekend, public holiday, outside the
    /// contract or the team): shown, not counted.
    pub not_counted: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerReport {
    pub worker_id: String,
    pub first_name: String,
    pub last_name: String,
    pub team: Option<String>,
    pub summary: Summary,
    pub days: Vec<DayLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    pub filter: ReportFilter,
    pub team_name: Option<String>,
    pub workers: Vec<WorkerReport>,
    pub total: Summary,
    /// The teams the person may pick.
    pub teams: Vec<(String, String)>,
    pub half_days: bool,
    pub is_admin: bool,
}

/// One version of a pointed day, for its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    pub by: String,
    pub slot: Slot,
    /// What it said after this change ("Effacé" for a deletion).
    pub now: String,
    /// What it said before ("" for the first entry).
    pub before: String,
    pub reason: String,
}
