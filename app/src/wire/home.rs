//! What the home screen receives.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamLine {
    pub name: String,
    pub activity: String,
    pub workers: Vec<WorkerLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerLine {
    pub id: String,
    pub name: String,
    pub team: Option<String>,
    /// For a worker in their first weeks (`backend::worksite::NEWCOMER_DAYS`),
    /// the start of their contract and how far their welcome is, in French.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome: Option<String>,
}

/// What the home screen shows, per role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HomeSummary {
    Admin {
        users: i64,
        teams: i64,
        active_workers: i64,
    },
    Supervisor {
        teams: Vec<TeamLine>,
    },
    Counsellor {
        workers: Vec<WorkerLine>,
        /// Alerts nobody acknowledged yet, and observations they haven't read.
        open_alerts: i64,
        unread: i64,
    },
    Worker {
        first_name: String,
        team: Option<String>,
        contract_end: Option<String>,
    },
}
