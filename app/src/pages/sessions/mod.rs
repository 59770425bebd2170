//! Learning sessions: plans, running a session on the phone, progression.
mod plans;
pub mod progression;
mod run;

pub use plans::*;
pub use progression::{MySkillsPage, ProgressionPage};
pub use run::{EvaluatePage, SessionsPage, StartSessionPage};
