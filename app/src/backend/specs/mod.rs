//! The server's spec of each synced record type, one file each, and the
//! registry that lists them all (the same types as `records::RECORD_TYPES`).
use super::spec::RecordSpec;

mod attendance;
mod objectives;
mod observations;
mod sessions;
mod worksite;

/// Every synced record type. A new type adds its spec here and a table.
pub static REGISTRY: &[&RecordSpec] = &[
    &observations::SPEC,
    &attendance::SPEC,
    &sessions::SPEC,
    &objectives::SPEC,
    &objectives::REACTION_SPEC,
    &worksite::WELCOME_SPEC,
    &worksite::EQUIPMENT_SPEC,
    &worksite::RECEIPT_SPEC,
    &worksite::BRIEFING_SPEC,
];

pub fn spec(name: &str) -> Option<&'static RecordSpec> {
    REGISTRY.iter().copied().find(|s| s.name == name)
}
