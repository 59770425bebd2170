//! What the counsellor's feed receives.
use jalon_core::observations::{FollowUp, Kind};
use serde::{Deserialize, Serialize};

/// The feed's filters; empty strings mean "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedFilter {
    #[serde(default)]
    pub worker_id: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub author_id: String,
    /// Period, `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// How many to show (30 by default, at most 300).
    #[serde(default)]
    pub limit: u32,
}

pub const FEED_PAGE: u32 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    pub id: String,
    pub worker_id: String,
    pub worker_name: String,
    pub team: Option<String>,
    pub author_name: String,
    pub observed_on: String,
    pub observed_at: String,
    pub kind: Kind,
    pub category: String,
    pub body: String,
    pub shared: bool,
    pub sensitive: bool,
    pub retracted: bool,
    pub change_reason: String,
    /// « Tailler une haie · Acquis » for a skill seen at work.
    pub skill_seen: Option<String>,
    /// An incident that is a work accident (an alert until acknowledged).
    pub work_accident: bool,
    /// The safety report of an incident.
    pub incident: Option<jalon_core::observations::IncidentReport>,
    /// Corrected or retracted since it was written.
    pub edited: bool,
    /// Read by the person looking at the feed.
    pub read: bool,
    /// An alert nobody has acknowledged yet.
    pub alert_open: bool,
    /// They may acknowledge and reply (the worker's counsellors).
    pub can_respond: bool,
    pub follow: FollowUp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedChoices {
    pub workers: Vec<(String, String)>,
    pub teams: Vec<(String, String)>,
    pub authors: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    pub items: Vec<FeedItem>,
    pub more: bool,
    pub open_alerts: u32,
    pub unread: u32,
    pub choices: FeedChoices,
}

/// One version of an observation, for its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionLine {
    pub version: i64,
    pub by: String,
    pub at: String,
    pub reason: String,
    /// What it said (empty once retracted: the trace stays, not the text).
    pub text: String,
    pub retracted: bool,
}
