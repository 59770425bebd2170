//! The one list of synced record types: one IndexedDB store each on the
//! phone, one server spec each in the backend's registry.
use crate::{attendance, objectives, observations, sessions};

/// Every synced record type, in the order the phone pulls them.
pub const RECORD_TYPES: &[&str] = &[
    observations::RECORD_TYPE,
    attendance::RECORD_TYPE,
    sessions::RECORD_TYPE,
    objectives::RECORD_TYPE,
    objectives::REACTION_TYPE,
];
