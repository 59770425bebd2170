//! Safety on the worksite (issue 23): incident and near-miss reports, with
//! the work accident that alerts the counsellor and the admin.
use super::*;
use app::wire::feed::Feed;
use jalon_core::sync::protocol::{Outcome, PushResponse, RejectReason};

/// Pushes one incident about demo.s01 from the supervisor's phone.
async fn report(
    f: &Fixture,
    cookie: Option<&str>,
    id: uuid::Uuid,
    version: i64,
    data: serde_json::Value,
) -> Outcome {
    let mut data = data;
    data["worker_id"] = f.ids.worker.clone().into();
    data["observed_on"] = app::backend::db::today_paris().to_string().into();
    data["kind"] = "incident".into();
    let body = serde_json::json!({
        "device_id": uuid::Uuid::now_v7(), "batch": 1,
        "mutations": [{ "id": uuid::Uuid::now_v7(), "record_type": "observation", "schema": 2,
            "record_id": id, "op": if version == 0 { "create" } else { "update" },
            "base_version": version, "data": data }],
    });
    let (status, text, _) = call(&f.router, "/api/sync/v1/push", body.to_string(), cookie).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let res: PushResponse = serde_json::from_str(&text).expect("acks");
    res.acks[0].outcome.clone()
}

async fn feed(f: &Fixture, cookie: Option<&str>) -> Feed {
    ok_json(
        f,
        cookie,
        "/api/observations/feed",
        "filter[kind]=incident".into(),
    )
    .await
}

#[tokio::test]
async fn a_work_accident_alerts_the_counsellor_and_the_admin_and_a_report_closes_once_done() {
    let f = fixture().await;
    let db = db_of(&f);
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let admin = sign_in(&f.router, Who::Admin).await;
    let today = app::backend::db::today_paris().to_string();
    let queued = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM alert_mails")
            .fetch_one(&db)
            .await
            .expect("count")
    };
    let mails_before = queued().await;
    let alerts_before = feed(&f, cip.as_deref()).await.open_alerts;

    // A near miss that says it hurt someone: refused in French, nothing kept.
    let near_miss = uuid::Uuid::now_v7();
    let refused = report(
        &f,
        supervisor.as_deref(),
        near_miss,
        0,
        serde_json::json!({ "body": "Branche tombée à côté de Sami", "work_accident": true,
            "incident": { "near_miss": true, "place": "Parc" } }),
    )
    .await;
    assert!(
        matches!(&refused, Outcome::Rejected { reason: RejectReason::Invalid, message }
            if message.contains("ce n'est pas un accident du travail")),
        "{refused:?}"
    );

    // The near miss, with an action to take.
    let action = serde_json::json!({ "id": "a1", "what": "Élaguer avant le passage",
        "who": "Karim", "due_on": today });
    let applied = report(
        &f,
        supervisor.as_deref(),
        near_miss,
        0,
        serde_json::json!({ "body": "Branche tombée à côté de Sami",
            "incident": { "near_miss": true, "place": "Parc de la Roseraie",
                "actions": [action] } }),
    )
    .await;
    assert!(
        matches!(applied, Outcome::Applied { version: 1 }),
        "{applied:?}"
    );
    assert_eq!(queued().await, mails_before, "a near miss is no alert");

    // The work accident: an alert for the counsellor (e-mail queued, open in
    // the feed) and in the admin's feed, until acknowledged.
    let accident = uuid::Uuid::now_v7();
    let applied = report(
        &f,
        supervisor.as_deref(),
        accident,
        0,
        serde_json::json!({ "body": "Coupure à la main en affûtant", "work_accident": true,
            "incident": { "place": "Atelier", "first_care": "Plaie nettoyée, pansement" } }),
    )
    .await;
    assert!(matches!(applied, Outcome::Applied { .. }), "{applied:?}");
    assert_eq!(
        queued().await,
        mails_before + 1,
        "the referent counsellor is told"
    );
    let seen = feed(&f, cip.as_deref()).await;
    assert_eq!(seen.open_alerts, alerts_before + 1);
    let item = seen
        .items
        .iter()
        .find(|i| i.id == accident.to_string())
        .expect("in the counsellor's feed");
    assert!(item.work_accident && item.alert_open);
    let report_seen = item.incident.as_ref().expect("the report");
    assert_eq!(report_seen.first_care, "Plaie nettoyée, pansement");
    let admin_feed = feed(&f, admin.as_deref()).await;
    assert!(
        admin_feed
            .items
            .iter()
            .any(|i| i.id == accident.to_string() && i.alert_open),
        "the admin sees it open"
    );
    let (status, body, _) = call(
        &f.router,
        "/api/observations/acknowledge",
        format!("id={accident}"),
        cip.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(feed(&f, cip.as_deref()).await.open_alerts, alerts_before);
    // A near miss is not acknowledged: it is no alert.
    let (status, body, _) = call(
        &f.router,
        "/api/observations/acknowledge",
        format!("id={near_miss}"),
        cip.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Closing with the action still to do is refused; once done, it closes.
    let closing = |done: Option<&str>| {
        let mut action = action.clone();
        if let Some(day) = done {
            action["done_on"] = day.into();
        }
        serde_json::json!({ "body": "Branche tombée à côté de Sami",
            "incident": { "near_miss": true, "place": "Parc de la Roseraie",
                "actions": [action], "closed_on": today } })
    };
    let refused = report(&f, supervisor.as_deref(), near_miss, 1, closing(None)).await;
    assert!(
        matches!(&refused, Outcome::Rejected { message, .. } if message.contains("restent à faire")),
        "{refused:?}"
    );
    let closed = report(
        &f,
        supervisor.as_deref(),
        near_miss,
        1,
        closing(Some(&today)),
    )
    .await;
    assert!(
        matches!(closed, Outcome::Applied { version: 2 }),
        "{closed:?}"
    );
    let stored: String = sqlx::query_scalar("SELECT incident FROM observations WHERE id = $1")
        .bind(near_miss.to_string())
        .fetch_one(&db)
        .await
        .expect("stored");
    let stored: jalon_core::observations::IncidentReport =
        serde_json::from_str(&stored).expect("report");
    assert_eq!(stored.closed_on.as_deref(), Some(today.as_str()));
    assert_eq!(stored.open_actions(), 0);
}

/// The worksite's records travel through the sync with the file's rules:
/// every role (and a second worker of the same team) writes a welcome step,
/// equipment, a briefing line and a receipt about `demo.s01`, then pulls.
/// Her staff write the first three, only she writes the receipt, and only
/// those who may see her file receive them.
#[tokio::test]
async fn worksite_records_per_role() {
    use jalon_core::worksite::{briefings, equipment, welcome};
    let f = fixture().await;
    let mut actors: Vec<(String, Option<String>)> = Vec::new();
    for who in EVERYONE.iter().copied() {
        actors.push((format!("{who:?}"), sign_in(&f.router, who).await));
    }
    let (status, body, colleague) = call(
        &f.router,
        "/api/auth/sign_in",
        format!("login=demo.s02&secret={WORKER_PIN}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    actors.push(("SecondWorker".into(), colleague));

    let worker = f.ids.worker.clone();
    let today = app::backend::db::today_paris().to_string();
    let team: String = sqlx::query_scalar("SELECT team_id FROM workers WHERE id = $1")
        .bind(&worker)
        .fetch_one(&db_of(&f))
        .await
        .expect("team");
    let mut written = Vec::new();
    for (n, (who, cookie)) in actors.iter().enumerate() {
        let step = welcome::WelcomeStep {
            worker_id: worker.clone(),
            item_id: "visite".into(),
            title: "Visite du chantier".into(),
            planned_on: String::new(),
            done_on: today.clone(),
            note: String::new(),
        };
        let handed = equipment::Equipment {
            worker_id: worker.clone(),
            kind: equipment::Kind::Gloves,
            label: String::new(),
            size: "8".into(),
            quantity: 1,
            handed_on: today.clone(),
            renew_on: String::new(),
            acknowledged_on: String::new(),
        };
        let line = briefings::Briefing {
            briefing_id: uuid::Uuid::now_v7().to_string(),
            team_id: team.clone(),
            held_on: today.clone(),
            topic: format!("Thème {n}"),
            notes: String::new(),
            worker_id: worker.clone(),
            present: true,
        };
        let receipt = equipment::Receipt {
            worker_id: worker.clone(),
            equipment_id: uuid::Uuid::now_v7().to_string(),
            received_on: today.clone(),
        };
        let json = |v: &dyn erased::Value| v.json();
        let records = [
            (welcome::RECORD_TYPE, step.record_id(), json(&step)),
            (equipment::RECORD_TYPE, uuid::Uuid::now_v7(), json(&handed)),
            (briefings::RECORD_TYPE, line.record_id(), json(&line)),
            (equipment::RECEIPT_TYPE, receipt.record_id(), json(&receipt)),
        ];
        let mut outcomes = Vec::new();
        for (record_type, id, data) in records {
            let body = serde_json::json!({
                "device_id": uuid::Uuid::now_v7(), "batch": 1,
                "mutations": [{ "id": uuid::Uuid::now_v7(), "record_type": record_type, "schema": 1,
                    "record_id": id, "op": "create", "base_version": 0, "data": data }],
            });
            let (status, text, _) = call_from(
                &f.router,
                "/api/sync/v1/push",
                body.to_string(),
                cookie.as_deref(),
                n as u8 + 1,
            )
            .await;
            let outcome = match status {
                StatusCode::OK => {
                    let res: PushResponse = serde_json::from_str(&text).expect("acks");
                    match &res.acks[0].outcome {
                        Outcome::Applied { .. } => {
                            written.push(id);
                            "applied".to_string()
                        }
                        Outcome::Rejected { reason, .. } => format!("{reason:?}"),
                    }
                }
                other => other.as_u16().to_string(),
            };
            outcomes.push(outcome);
        }
        let expected: [&str; 4] = match who.as_str() {
            "Admin" | "Supervisor" | "Counsellor" => {
                ["applied", "applied", "applied", "NotAllowed"]
            }
            "Worker" => ["NotAllowed", "NotAllowed", "NotAllowed", "applied"],
            "Visitor" => ["401"; 4],
            // The step's id (worker and item) is already taken, in another
            // structure: refused as such, before anything else is looked at.
            "OtherStructureAdmin" => ["Invalid", "403", "403", "403"],
            _ => ["403"; 4],
        };
        assert_eq!(
            outcomes, expected,
            "{who} writes the worksite's records about demo.s01"
        );
    }
    written.sort();
    written.dedup();
    // The welcome step is one record (keyed by worker and item) written three
    // times; three pieces of equipment, three briefing lines, one receipt.
    assert_eq!(written.len(), 8);
    for (n, (who, cookie)) in actors.iter().enumerate() {
        let (received, _) = pulled_among(&f, cookie.as_deref(), n as u8 + 1, &written).await;
        let expected = match who.as_str() {
            "Admin" | "Supervisor" | "Counsellor" | "Worker" => 8,
            _ => 0,
        };
        assert_eq!(
            received, expected,
            "{who} receives the worksite's records about demo.s01"
        );
    }
}

/// Serialising the records of different types the same way.
mod erased {
    pub trait Value {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Value for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("json")
        }
    }
}
