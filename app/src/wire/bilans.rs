//! What a bilan starts from: the records of a person's period, gathered for
//! the counsellor to check and complete (issue 21). Only records any reader
//! of a bilan may see: nothing sensitive (santé, justice) is gathered; the
//! counsellor adds such an item herself when she may read it.
use serde::{Deserialize, Serialize};

use jalon_core::sessions::Level;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BilanPrefill {
    pub worker_name: String,
    /// The period, `YYYY-MM-DD`, both days included.
    pub from: String,
    pub to: String,
    pub attendance: AttendancePart,
    /// Barriers by category: noted in the period, lifted in the period, and
    /// whether one is still open at the period's end.
    pub barriers: Vec<BarrierLine>,
    /// Professional behaviours noted in the period, by category (label, count).
    pub behaviours: Vec<(String, u32)>,
    /// Strengths noted in the period: day and text.
    pub strengths: Vec<(String, String)>,
    /// Each skill evaluated up to the period's end, at its latest level, with
    /// the day and the session that showed it, framework by framework.
    pub skills: Vec<SkillLine>,
    /// Objective titles: reached in the period, still open at its end,
    /// re-adjusted (reviewed) in the period.
    pub objectives_reached: Vec<String>,
    pub objectives_open: Vec<String>,
    pub objectives_readjusted: Vec<String>,
}

/// The attendance report's figures for the person and the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendancePart {
    /// Present over pointed half-days, in percent; `None`: nothing pointed.
    pub rate: Option<f64>,
    pub expected_halves: u32,
    pub present_halves: u32,
    /// Absences by reason (label, half-days).
    pub absences: Vec<(String, u32)>,
    pub late_count: u32,
    pub late_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarrierLine {
    pub category: String,
    pub noted: u32,
    pub lifted: u32,
    pub still_open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillLine {
    pub framework_id: String,
    pub skill: String,
    pub level: Level,
    /// `YYYY-MM-DD` of the latest session that evaluated it.
    pub on: String,
    pub session: String,
}
