//! The key figures at the top of a worker file, for the staff who follow the
//! person: each counts only what the reader may read.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFigures {
    /// Present over pointed half-days, in percent, over the last 4 weeks
    /// and since the contract began (`None`: nothing pointed).
    pub attendance_4_weeks: Option<f64>,
    pub attendance_since_entry: Option<f64>,
    /// Alerts not yet taken into account by a counsellor.
    pub open_alerts: u32,
    /// Barriers noted, by category label, most noted first.
    pub barriers: Vec<(String, u32)>,
    pub objectives_reached: u32,
    pub objectives_open: u32,
    /// Days until the contract ends (negative once past); `None` without an end.
    pub days_to_contract_end: Option<i64>,
}
