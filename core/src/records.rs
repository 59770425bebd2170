//! The one list of synced record types: one IndexedDB store each on the
//! phone, one server spec each in the backend's registry.
use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::worksite::{briefings, equipment, welcome};
use crate::{attendance, objectives, observations, sessions};

/// Every synced record type, in the order the phone pulls them.
pub const RECORD_TYPES: &[&str] = &[
    observations::RECORD_TYPE,
    attendance::RECORD_TYPE,
    sessions::RECORD_TYPE,
    objectives::RECORD_TYPE,
    objectives::REACTION_TYPE,
    welcome::RECORD_TYPE,
    equipment::RECORD_TYPE,
    equipment::RECEIPT_TYPE,
    briefings::RECORD_TYPE,
];

/// What the server's sync needs of a synced record: its check (the same
/// one the phone's form runs) and the worker it is about.
pub trait Record: Serialize + DeserializeOwned {
    /// The refusal when the data does not even read as this record.
    const UNREADABLE: &'static str;
    fn check(&self, today: NaiveDate) -> Result<Self, String>;
    fn worker_id(&self) -> &str;
}

macro_rules! record {
    ($type:ty, $check:path, $unreadable:literal) => {
        impl Record for $type {
            const UNREADABLE: &'static str = $unreadable;
            fn check(&self, today: NaiveDate) -> Result<Self, String> {
                $check(self, today)
            }
            fn worker_id(&self) -> &str {
                &self.worker_id
            }
        }
    };
}

record!(
    observations::Observation,
    observations::validate,
    "Observation incomplète ou illisible."
);
record!(
    attendance::Attendance,
    attendance::validate,
    "Pointage incomplet ou illisible."
);
record!(
    sessions::Evaluation,
    sessions::validate,
    "Évaluation incomplète ou illisible."
);
record!(
    objectives::Objective,
    objectives::validate,
    "Objectif incomplet ou illisible."
);
record!(
    welcome::WelcomeStep,
    welcome::validate,
    "Étape d'accueil incomplète ou illisible."
);
record!(
    equipment::Equipment,
    equipment::validate,
    "Équipement incomplet ou illisible."
);
record!(
    equipment::Receipt,
    equipment::validate_receipt,
    "Accusé de réception incomplet ou illisible."
);
record!(
    briefings::Briefing,
    briefings::validate,
    "Quart d'heure sécurité incomplet ou illisible."
);
record!(
    objectives::Reaction,
    objectives::validate_reaction,
    "Message incomplet ou illisible."
);
