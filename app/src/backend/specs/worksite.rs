//! How the server stores, checks and shows the worksite's synced records:
//! welcome steps, equipment handed over and its receipts, safety briefings
//! (`jalon_core::worksite`). Whoever may see a worker's file reads them
//! (the worker their own); staff who may write in the file write them,
//! except the receipt, which is the worker's own word.
use jalon_core::worksite::{briefings, equipment, welcome};
use uuid::Uuid;

use crate::backend::spec::{FieldType, RecordSpec, Writers, validate_as};

pub static WELCOME_SPEC: RecordSpec = RecordSpec {
    name: welcome::RECORD_TYPE,
    schema: welcome::SCHEMA,
    table: "welcome_steps",
    fields: &[
        ("item_id", FieldType::Text),
        ("title", FieldType::Text),
        ("planned_on", FieldType::Text),
        ("done_on", FieldType::Text),
        ("note", FieldType::Text),
    ],
    validate: validate_as::<welcome::WelcomeStep>,
    readable: |_, _, _, _| true,
    server_fields: &[],
    audited: |_| false,
    slot_id: Some(|data| slot::<welcome::WelcomeStep>(data, welcome::WelcomeStep::record_id)),
    history: true,
    writers: Writers::FileWriters,
    for_worker: None,
    tells_counsellors: |_| false,
};

pub static EQUIPMENT_SPEC: RecordSpec = RecordSpec {
    name: equipment::RECORD_TYPE,
    schema: equipment::SCHEMA,
    table: "equipment",
    fields: &[
        ("kind", FieldType::Text),
        ("label", FieldType::Text),
        ("size", FieldType::Text),
        ("quantity", FieldType::Integer),
        ("handed_on", FieldType::Text),
        ("renew_on", FieldType::Text),
        ("acknowledged_on", FieldType::Text),
    ],
    validate: validate_as::<equipment::Equipment>,
    readable: |_, _, _, _| true,
    server_fields: &[],
    audited: |_| false,
    slot_id: None,
    history: true,
    writers: Writers::FileWriters,
    for_worker: None,
    tells_counsellors: |_| false,
};

pub static RECEIPT_SPEC: RecordSpec = RecordSpec {
    name: equipment::RECEIPT_TYPE,
    schema: equipment::SCHEMA,
    table: "equipment_receipts",
    fields: &[
        ("equipment_id", FieldType::Text),
        ("received_on", FieldType::Text),
    ],
    validate: validate_as::<equipment::Receipt>,
    readable: |_, _, _, _| true,
    server_fields: &[],
    audited: |_| false,
    slot_id: Some(|data| slot::<equipment::Receipt>(data, equipment::Receipt::record_id)),
    history: false,
    writers: Writers::TheWorker,
    for_worker: None,
    tells_counsellors: |_| false,
};

pub static BRIEFING_SPEC: RecordSpec = RecordSpec {
    name: briefings::RECORD_TYPE,
    schema: briefings::SCHEMA,
    table: "briefings",
    fields: &[
        ("briefing_id", FieldType::Text),
        ("team_id", FieldType::Text),
        ("held_on", FieldType::Text),
        ("topic", FieldType::Text),
        ("notes", FieldType::Text),
        ("present", FieldType::Bool),
    ],
    validate: validate_as::<briefings::Briefing>,
    readable: |_, _, _, _| true,
    server_fields: &[],
    audited: |_| false,
    slot_id: Some(|data| slot::<briefings::Briefing>(data, briefings::Briefing::record_id)),
    history: true,
    writers: Writers::FileWriters,
    for_worker: None,
    tells_counsellors: |_| false,
};

/// The id a keyed record's data must carry.
fn slot<T: serde::de::DeserializeOwned>(
    data: &serde_json::Value,
    id: fn(&T) -> Uuid,
) -> Option<Uuid> {
    serde_json::from_value::<T>(data.clone())
        .ok()
        .map(|r| id(&r))
}
