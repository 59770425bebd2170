//! How the server stores, checks and shows the synced `attendance` records.
use jalon_core::attendance::*;
use uuid::Uuid;

pub static SPEC: crate::backend::spec::RecordSpec = crate::backend::spec::RecordSpec {
    name: RECORD_TYPE,
    schema: SCHEMA,
    table: "attendance",
    fields: &[
        ("day", crate::backend::spec::FieldType::Text),
        ("slot", crate::backend::spec::FieldType::Text),
        ("status", crate::backend::spec::FieldType::Text),
        ("reason", crate::backend::spec::FieldType::Text),
        ("reason_text", crate::backend::spec::FieldType::Text),
        ("late_minutes", crate::backend::spec::FieldType::Integer),
        ("left_at", crate::backend::spec::FieldType::Text),
        ("change_reason", crate::backend::spec::FieldType::Text),
    ],
    validate: crate::backend::spec::validate_as::<Attendance>,
    // Whoever may see the worker's file: their supervisors, counsellors,
    // the admin, and the worker for their own days.
    readable: |_, _, _, _| true,
    server_fields: &[],
    audited: |_| false,
    slot_id: Some(slot_id_of),
    history: true,
    writers: crate::backend::spec::Writers::FileWriters,
    for_worker: None,
    tells_counsellors: |_| false,
};

fn slot_id_of(data: &serde_json::Value) -> Option<Uuid> {
    serde_json::from_value::<Attendance>(data.clone())
        .ok()
        .map(|a| a.record_id())
}
