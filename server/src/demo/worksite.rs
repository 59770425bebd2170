//! The demo's worksite: a newcomer in their first week with half of their
//! welcome done and two pieces of equipment handed over, a safety briefing
//! per team this month, and a near miss followed up and closed. Written
//! through the sync, as the supervisors' phones would.
use jalon_core::sync::protocol::{Mutation, Op};
use jalon_core::worksite::{briefings, equipment, welcome};

use super::push_as;
use crate::error::Error;
use app::backend::db::Db;

/// The newcomer of team B: no account yet (the activation code comes with
/// the welcome).
pub(super) const NEWCOMER: (&str, &str) = ("Inès", "Garnier");
/// Days since the newcomer's contract began.
pub(super) const NEWCOMER_DAYS: i64 = 2;

fn create(
    record_type: &str,
    schema: u32,
    record_id: uuid::Uuid,
    data: serde_json::Value,
) -> Mutation {
    Mutation {
        id: uuid::Uuid::now_v7(),
        record_type: record_type.into(),
        schema,
        record_id,
        op: Op::Create,
        base_version: 0,
        data,
    }
}

/// The newcomer's welcome: the first half of the list done on their first
/// day, the rest planned for the days to come; safety shoes and gloves
/// handed over, the gloves acknowledged in front of the supervisor.
pub(super) async fn newcomer(db: &Db, supervisor: &str, worker_id: &str) -> Result<(), Error> {
    let today = app::backend::db::today_paris();
    let first_day = today - chrono::Duration::days(NEWCOMER_DAYS);
    let items = welcome::default_items();
    let half = items.len() / 2;
    let mut mutations = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let (planned, done) = if n < half {
            (first_day.to_string(), first_day.to_string())
        } else {
            (
                (today + chrono::Duration::days((n - half) as i64 + 1)).to_string(),
                String::new(),
            )
        };
        let step = welcome::WelcomeStep {
            worker_id: worker_id.to_string(),
            item_id: item.id.clone(),
            title: item.title.clone(),
            planned_on: planned,
            done_on: done,
            note: String::new(),
        };
        let data = serde_json::to_value(&step).map_err(|e| Error::Invalid(e.to_string()))?;
        mutations.push(create(
            welcome::RECORD_TYPE,
            welcome::SCHEMA,
            step.record_id(),
            data,
        ));
    }
    for (kind, size, acknowledged) in [
        (equipment::Kind::SafetyShoes, "39", false),
        (equipment::Kind::Gloves, "7", true),
    ] {
        let e = equipment::Equipment {
            worker_id: worker_id.to_string(),
            kind,
            label: String::new(),
            size: size.into(),
            quantity: 1,
            handed_on: first_day.to_string(),
            renew_on: (first_day + chrono::Duration::days(365)).to_string(),
            acknowledged_on: if acknowledged {
                first_day.to_string()
            } else {
                String::new()
            },
        };
        let data = serde_json::to_value(&e).map_err(|e| Error::Invalid(e.to_string()))?;
        mutations.push(create(
            equipment::RECORD_TYPE,
            equipment::SCHEMA,
            uuid::Uuid::now_v7(),
            data,
        ));
    }
    push_as(db, supervisor, mutations).await
}

/// A briefing with the team this month (everyone there but the last one).
pub(super) async fn briefing(
    db: &Db,
    supervisor: &str,
    team_id: &str,
    members: &[String],
    topic: &str,
) -> Result<(), Error> {
    use chrono::Datelike;
    let today = app::backend::db::today_paris();
    let held_on = today - chrono::Duration::days(i64::from(today.day0().min(3)));
    let briefing_id = uuid::Uuid::now_v7().to_string();
    let mut mutations = Vec::new();
    for (n, worker_id) in members.iter().enumerate() {
        let line = briefings::Briefing {
            briefing_id: briefing_id.clone(),
            team_id: team_id.to_string(),
            held_on: held_on.to_string(),
            topic: topic.into(),
            notes: String::new(),
            worker_id: worker_id.clone(),
            present: n + 1 < members.len(),
        };
        let data = serde_json::to_value(&line).map_err(|e| Error::Invalid(e.to_string()))?;
        mutations.push(create(
            briefings::RECORD_TYPE,
            briefings::SCHEMA,
            line.record_id(),
            data,
        ));
    }
    push_as(db, supervisor, mutations).await
}

/// A near miss a week ago, its one action done, the report closed.
pub(super) async fn near_miss(db: &Db, supervisor: &str, worker_id: &str) -> Result<(), Error> {
    let today = app::backend::db::today_paris();
    let on = today - chrono::Duration::days(7);
    let done = today - chrono::Duration::days(5);
    let data = serde_json::json!({
        "worker_id": worker_id,
        "observed_on": on.to_string(),
        "observed_at": "09:40",
        "kind": "incident",
        "body": "Une branche coupée est tombée à un mètre d'une collègue qui ramassait les déchets.",
        "incident": {
            "near_miss": true,
            "place": "Parc des Tilleuls, allée nord",
            "involved": "Deux personnes de l'équipe, dont celle qui élaguait",
            "actions": [{
                "id": "balisage",
                "what": "Baliser la zone sous l'élagage avant de commencer",
                "who": "Julien Morel",
                "due_on": done.to_string(),
                "done_on": done.to_string(),
            }],
            "closed_on": done.to_string(),
        },
    });
    push_as(
        db,
        supervisor,
        vec![create(
            jalon_core::observations::RECORD_TYPE,
            jalon_core::observations::SCHEMA,
            uuid::Uuid::now_v7(),
            data,
        )],
    )
    .await
}
