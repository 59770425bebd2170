//! The funders' summary of a period (DDETS, France Travail, the
//! Département): the figures of the people the reader may see.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundersSummary {
    /// The period, `YYYY-MM-DD`, both days included.
    pub from: String,
    pub to: String,
    /// People under contract on at least one day of the period.
    pub accompanied: u32,
    /// Contracts that began in the period.
    pub entries: u32,
    /// Parcours that ended in the period, by outcome (label, count), in the
    /// funders' order; "Issue non renseignée" last when some lack one.
    pub exits: Vec<(String, u32)>,
    pub exits_total: u32,
    /// Of those, exits the funders count as dynamic (durable, transition, positive).
    pub exits_dynamic: u32,
    /// Half-days expected, pointed and present (the attendance report's
    /// figures), and the lateness.
    pub expected_halves: u32,
    pub recorded_halves: u32,
    pub present_halves: u32,
    pub late_count: u32,
    /// Absences by reason (label, half-days), most first.
    pub absences: Vec<(String, u32)>,
    /// Learning sessions held in the period (distinct sessions evaluated).
    pub sessions: u32,
    /// Skills whose level became "acquis" in the period, and how many
    /// people acquired at least one.
    pub skills_acquired: u32,
    pub people_with_new_skills: u32,
}
