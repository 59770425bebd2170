//! How the server stores, checks and shows the synced `objectives` records.
use jalon_core::objectives::*;

pub static SPEC: crate::backend::spec::RecordSpec = {
    use crate::backend::spec::{FieldType, RecordSpec};
    RecordSpec {
        name: RECORD_TYPE,
        schema: SCHEMA,
        table: "objectives",
        fields: &[
            ("title", FieldType::Text),
            ("kind", FieldType::Text),
            ("skill", FieldType::Json),
            ("barrier", FieldType::Text),
            ("sensitive", FieldType::Bool),
            ("target_on", FieldType::Text),
            ("status", FieldType::Text),
            ("reached_on", FieldType::Text),
            ("steps", FieldType::Json),
            ("notes", FieldType::Json),
            ("reviews", FieldType::Json),
            ("answered", FieldType::Json),
        ],
        validate: crate::backend::spec::validate_as::<Objective>,
        readable: readable_objective,
        server_fields: &[],
        audited: |_| false,
        slot_id: None,
        history: true,
        writers: crate::backend::spec::Writers::FileWriters,
        for_worker: Some(
            |data| match serde_json::from_value::<Objective>(data.clone()) {
                Ok(o) => serde_json::to_value(o.for_worker()).unwrap_or(serde_json::Value::Null),
                Err(_) => serde_json::Value::Null,
            },
        ),
        tells_counsellors: |_| false,
    }
};

pub static REACTION_SPEC: crate::backend::spec::RecordSpec = {
    use crate::backend::spec::{FieldType, RecordSpec};
    RecordSpec {
        name: REACTION_TYPE,
        schema: SCHEMA,
        table: "objective_reactions",
        fields: &[
            ("objective_id", FieldType::Text),
            ("step_id", FieldType::Text),
            ("kind", FieldType::Text),
            ("body", FieldType::Text),
            ("sensitive", FieldType::Bool),
            ("said_on", FieldType::Text),
        ],
        validate: crate::backend::spec::validate_as::<Reaction>,
        readable: readable_objective,
        server_fields: &[],
        audited: |_| false,
        slot_id: None,
        history: false,
        writers: crate::backend::spec::Writers::TheWorker,
        for_worker: None,
        tells_counsellors: |_| false,
    }
};

/// Objectives and reactions: the policy decides (`Resource::Objective`).
fn readable_objective(
    actor: &crate::backend::policy::Actor,
    worker: &crate::backend::policy::WorkerRef,
    author_id: &str,
    data: &serde_json::Value,
) -> bool {
    use crate::backend::policy::{Action, ObjectiveRef, Resource, can};
    let sensitive = data
        .get("sensitive")
        .and_then(|s| s.as_bool())
        .unwrap_or(false);
    let objective = ObjectiveRef {
        worker,
        author_id,
        sensitive,
    };
    can(actor, Action::View, &Resource::Objective(&objective))
}
