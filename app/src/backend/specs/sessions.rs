//! How the server stores, checks and shows the synced `sessions` records.
use jalon_core::sessions::*;

pub static SPEC: crate::backend::spec::RecordSpec = {
    use crate::backend::spec::{FieldType, RecordSpec};
    RecordSpec {
        name: RECORD_TYPE,
        schema: SCHEMA,
        table: "evaluations",
        fields: &[
            ("session_id", FieldType::Text),
            ("plan_id", FieldType::Text),
            ("title", FieldType::Text),
            ("afest", FieldType::Bool),
            ("held_on", FieldType::Text),
            ("place", FieldType::Text),
            ("duration_min", FieldType::Integer),
            ("absent", FieldType::Bool),
            ("reflection", FieldType::Text),
            ("results", FieldType::Json),
        ],
        validate: crate::backend::spec::validate_as::<Evaluation>,
        // The worker's results are theirs to read; staff who may see the
        // worker's file read them too.
        readable: |_, _, _, _| true,
        server_fields: &[],
        audited: |_| false,
        slot_id: None,
        history: true,
        writers: crate::backend::spec::Writers::Author,
        for_worker: None,
        tells_counsellors: |_| false,
    }
};
