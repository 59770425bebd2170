//! How the server stores, checks and shows the synced `observations` records.
use jalon_core::observations::*;

pub static SPEC: crate::backend::spec::RecordSpec = {
    use crate::backend::spec::{FieldType, RecordSpec};
    RecordSpec {
        name: RECORD_TYPE,
        schema: SCHEMA,
        table: "observations",
        fields: &[
            ("observed_on", FieldType::Text),
            ("observed_at", FieldType::Text),
            ("kind", FieldType::Text),
            ("category", FieldType::Text),
            ("body", FieldType::Text),
            ("shared", FieldType::Bool),
            ("sensitive", FieldType::Bool),
            ("retracted", FieldType::Bool),
            ("change_reason", FieldType::Text),
            ("skill", FieldType::Json),
            ("level", FieldType::Json),
            ("work_accident", FieldType::Bool),
            ("incident", FieldType::Json),
        ],
        validate: crate::backend::spec::validate_as::<Observation>,
        readable: readable_record,
        server_fields: &[
            ("acknowledged_at", FieldType::Text),
            ("acknowledged_by", FieldType::Text),
            ("seen_at", FieldType::Text),
            ("seen_by", FieldType::Text),
            ("replies", FieldType::Json),
        ],
        audited: |data| data.get("sensitive").and_then(|s| s.as_bool()) == Some(true),
        slot_id: None,
        history: true,
        writers: crate::backend::spec::Writers::Author,
        for_worker: None,
        tells_counsellors: |data| {
            let kind = data
                .get("kind")
                .and_then(|k| k.as_str())
                .and_then(Kind::parse);
            let accident = data.get("work_accident").and_then(|a| a.as_bool()) == Some(true);
            kind.is_some_and(|k| is_alert(k, accident))
        },
    }
};

/// The policy's view of a stored observation.
fn readable_record(
    actor: &crate::backend::policy::Actor,
    worker: &crate::backend::policy::WorkerRef,
    author_id: &str,
    data: &serde_json::Value,
) -> bool {
    use crate::backend::policy::{Action, ObservationRef, Resource, can};
    let flag = |name: &str| data.get(name).and_then(|v| v.as_bool()).unwrap_or(false);
    let observation = ObservationRef {
        worker,
        author_id,
        sensitive: flag("sensitive"),
        shared: flag("shared") && !flag("retracted"),
    };
    can(actor, Action::View, &Resource::Observation(&observation))
}
