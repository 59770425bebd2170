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
    /// Barriers lifted: objectives on a barrier that were reached.
    pub barriers_lifted: u32,
    /// Skills by their latest level in the sessions evaluated so far.
    pub skills_acquired: u32,
    pub skills_in_progress: u32,
    /// The day of the last bilan (`YYYY-MM-DD`); bilans come with the
    /// attestation of skills, none before.
    pub last_bilan: Option<String>,
    pub objectives_reached: u32,
    pub objectives_open: u32,
    /// Days until the contract ends (negative once past); `None` without an end.
    pub days_to_contract_end: Option<i64>,
    /// The welcome checklist: items done, out of how many.
    #[serde(default)]
    pub welcome: (u32, u32),
}

/// What a line of the timeline is about (the filter's choices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// A week of attendance, summed up.
    Presence,
    Observation,
    Evaluation,
    Objective,
    /// Team changes, contract renewals, referent changes, the exit.
    Parcours,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 5] = [
        TimelineKind::Presence,
        TimelineKind::Observation,
        TimelineKind::Evaluation,
        TimelineKind::Objective,
        TimelineKind::Parcours,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TimelineKind::Presence => "presence",
            TimelineKind::Observation => "observation",
            TimelineKind::Evaluation => "evaluation",
            TimelineKind::Objective => "objectif",
            TimelineKind::Parcours => "parcours",
        }
    }

    pub fn parse(code: &str) -> Option<TimelineKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The filter's word.
    pub fn label(self) -> &'static str {
        match self {
            TimelineKind::Presence => "Présences",
            TimelineKind::Observation => "Observations",
            TimelineKind::Evaluation => "Séances",
            TimelineKind::Objective => "Objectifs",
            TimelineKind::Parcours => "Parcours",
        }
    }
}

/// One line of a person's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineItem {
    /// `YYYY-MM-DD`; a week of attendance is dated by its Monday.
    pub on: String,
    pub kind: TimelineKind,
    pub title: String,
    pub detail: String,
    pub by: Option<String>,
    /// A sensitive (santé, handicap, justice) observation: shown to its readers only, marked.
    pub sensitive: bool,
    /// An alert not taken into account yet.
    pub open_alert: bool,
}

/// One window of the timeline, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePage {
    pub items: Vec<TimelineItem>,
    /// The window shown (`YYYY-MM-DD`, both included).
    pub from: String,
    pub to: String,
    /// The end of the next, older window; `None` at the start of the parcours.
    pub older: Option<String>,
}

/// One change of a parcours, as the file shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParcoursEvent {
    /// "Contrat renouvelé", "CIP référent·e changé·e", "Fin du parcours".
    pub title: String,
    /// What changed, in words ("fin le 30 juin 2027 au lieu du 31 décembre 2026").
    pub detail: String,
    pub reason: String,
    pub effective_on: String,
    pub by: Option<String>,
}
