//! Lost or shared phones (issue 22): each person's devices as the sync
//! learns them, and a device signed out from afar: its session ends at once,
//! and at its next contact it is told to empty its store, after one last
//! push only if the sign-out allowed it.
use super::*;
use app::wire::privacy::DevicesView;
use jalon_core::sync::protocol::{ApiError, Mutation, Op, PushRequest, PushResponse};
use uuid::Uuid;

fn pull_body(device: Uuid, pending: u32) -> String {
    format!(r#"{{"cursor":0,"device_id":"{device}","pending":{pending}}}"#)
}

fn note(device: Uuid, batch: i64, worker: &str, text: &str) -> String {
    let id = Uuid::now_v7();
    let req = PushRequest {
        device_id: device,
        batch,
        mutations: vec![Mutation {
            id,
            record_type: jalon_core::observations::RECORD_TYPE.into(),
            schema: jalon_core::observations::SCHEMA,
            record_id: id,
            op: Op::Create,
            base_version: 0,
            data: serde_json::json!({
                "worker_id": worker,
                "observed_on": app::backend::db::today_paris().to_string(),
                "kind": "skill",
                "body": text,
            }),
        }],
        outbox_from: Some(id),
    };
    serde_json::to_string(&req).expect("json")
}

async fn refused_as_revoked(f: &Fixture, path: &str, body: String, cookie: Option<&str>) {
    let (status, text, _) = call(&f.router, path, body, cookie).await;
    assert_eq!(status, StatusCode::GONE, "{path}: {text}");
    let err: ApiError = serde_json::from_str(&text).expect("error body");
    assert_eq!(err.error, "device_revoked");
    assert!(err.message.contains("déconnecté"), "{}", err.message);
}

/// Signs `device` out with the caller's session.
async fn sign_out(
    f: &Fixture,
    cookie: Option<&str>,
    device: Uuid,
    sends: bool,
) -> (StatusCode, String) {
    let (status, text, _) = call(
        &f.router,
        "/api/privacy/sign_out_device",
        format!("device={device}&sends={sends}"),
        cookie,
    )
    .await;
    (status, text)
}

/// A pull from `device` with the caller's session, answered 200.
async fn pulled(f: &Fixture, cookie: Option<&str>, device: Uuid, pending: u32) {
    let (status, text, _) = call(
        &f.router,
        "/api/sync/v1/pull",
        pull_body(device, pending),
        cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
}

async fn devices_of(f: &Fixture, cookie: Option<&str>, person: &str) -> DevicesView {
    ok_json(
        f,
        cookie,
        "/api/privacy/devices",
        format!("person={person}"),
    )
    .await
}

async fn notes_with(f: &Fixture, text: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE body = $1")
        .bind(text)
        .fetch_one(&f.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_lost_phone_signed_out_by_the_admin_loses_its_session_and_empties_itself() {
    let f = fixture().await;
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let admin = sign_in(&f.router, Who::Admin).await;
    let me: Option<jalon_core::roles::CurrentUser> = ok_json(
        &f,
        supervisor.as_deref(),
        "/api/auth/current_user",
        String::new(),
    )
    .await;
    let me = me.expect("signed in");
    let phone = Uuid::now_v7();
    pulled(&f, supervisor.as_deref(), phone, 3).await;

    // The supervisor sees the phone they are on; the admin sees it too.
    let own: DevicesView = ok_json(
        &f,
        supervisor.as_deref(),
        "/api/privacy/devices",
        String::new(),
    )
    .await;
    assert!(own.own);
    let line = |v: &DevicesView, id: Uuid| {
        v.devices
            .iter()
            .find(|d| d.id == id.to_string())
            .cloned()
            .expect("the phone is listed")
    };
    let mine = line(&own, phone);
    assert!(mine.current, "the phone the page is read on");
    assert_eq!(mine.pending, 3);
    assert_eq!(own.devices.iter().filter(|d| d.current).count(), 1);
    let seen = devices_of(&f, admin.as_deref(), &me.id).await;
    assert!(!seen.own && !line(&seen, phone).current);
    assert_eq!(line(&seen, phone).browser, "Navigateur inconnu");

    // Someone else than the admin may not sign it out, nor list it.
    let counsellor = sign_in(&f.router, Who::Counsellor).await;
    let (status, _) = sign_out(&f, counsellor.as_deref(), phone, false).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(
        &f.router,
        "/api/privacy/devices",
        format!("person={}", me.id),
        counsellor.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Lost: signed out without sending.
    let (status, text) = sign_out(&f, admin.as_deref(), phone, false).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, _, _) = call(
        &f.router,
        "/api/privacy/devices",
        String::new(),
        supervisor.as_deref(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "its session ended at once"
    );

    // Its next contact, whatever it is, tells it to empty its store; what
    // it still held is not taken.
    let worker = f.ids.worker.clone();
    refused_as_revoked(
        &f,
        "/api/sync/v1/push",
        note(phone, 1, &worker, "Écrit sur le téléphone perdu"),
        supervisor.as_deref(),
    )
    .await;
    assert_eq!(notes_with(&f, "Écrit sur le téléphone perdu").await, 0);
    refused_as_revoked(&f, "/api/sync/v1/pull", pull_body(phone, 1), None).await;
    let after = devices_of(&f, admin.as_deref(), &me.id).await;
    let revoked = line(&after, phone).revoked.expect("revoked");
    assert_eq!(
        after.devices.last().map(|d| d.id.clone()),
        Some(phone.to_string()),
        "signed-out devices come last"
    );
    assert!(!revoked.sends);
    assert!(revoked.wiped_at.is_some(), "told to empty itself");
    let by: Option<jalon_core::roles::CurrentUser> = ok_json(
        &f,
        admin.as_deref(),
        "/api/auth/current_user",
        String::new(),
    )
    .await;
    assert_eq!(revoked.by, by.expect("admin").display_name);
    let (status, text) = sign_out(&f, admin.as_deref(), phone, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("déjà déconnecté"), "{text}");
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'device_revoked' AND target_id = $1",
    )
    .bind(&me.id)
    .fetch_one(&f.db)
    .await
    .expect("audit");
    assert_eq!(logged, 1);

    // Signed in again, the emptied phone starts as a new device.
    let again = sign_in(&f.router, Who::Supervisor).await;
    pulled(&f, again.as_deref(), Uuid::now_v7(), 0).await;
    let list: DevicesView =
        ok_json(&f, again.as_deref(), "/api/privacy/devices", String::new()).await;
    assert_eq!(list.devices.len(), own.devices.len() + 1);
    assert!(list.devices[0].current && list.devices[0].revoked.is_none());
}

#[tokio::test]
async fn a_phone_handed_back_sends_what_it_held_once_then_empties_itself() {
    let f = fixture().await;
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let phone = Uuid::now_v7();
    pulled(&f, supervisor.as_deref(), phone, 1).await;
    // The supervisor signs their own old phone out from another device.
    let other = sign_in(&f.router, Who::Supervisor).await;
    let (status, text) = sign_out(&f, other.as_deref(), phone, true).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, _, _) = call(
        &f.router,
        "/api/privacy/devices",
        String::new(),
        supervisor.as_deref(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "its session ended at once"
    );

    // From another session, even the same person's, the last push is refused.
    let worker = f.ids.worker.clone();
    refused_as_revoked(
        &f,
        "/api/sync/v1/push",
        note(phone, 1, &worker, "Pas par une autre session"),
        other.as_deref(),
    )
    .await;
    assert_eq!(notes_with(&f, "Pas par une autre session").await, 0);
    // (That contact told it to empty itself: a later push is refused too.)
    refused_as_revoked(
        &f,
        "/api/sync/v1/push",
        note(phone, 2, &worker, "Trop tard"),
        supervisor.as_deref(),
    )
    .await;
    assert_eq!(notes_with(&f, "Trop tard").await, 0);

    // A second phone, signed out with sending allowed: its push from the
    // session it synced with arrives, then its pull empties it.
    let spare = sign_in(&f.router, Who::Supervisor).await;
    let tablet = Uuid::now_v7();
    pulled(&f, spare.as_deref(), tablet, 1).await;
    let (status, text) = sign_out(&f, other.as_deref(), tablet, true).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, text, _) = call(
        &f.router,
        "/api/sync/v1/push",
        note(tablet, 1, &worker, "Envoyé avant l'effacement"),
        spare.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let res: PushResponse = serde_json::from_str(&text).expect("acks");
    assert_eq!(res.acks.len(), 1);
    assert_eq!(notes_with(&f, "Envoyé avant l'effacement").await, 1);
    refused_as_revoked(
        &f,
        "/api/sync/v1/pull",
        pull_body(tablet, 0),
        spare.as_deref(),
    )
    .await;
    refused_as_revoked(
        &f,
        "/api/sync/v1/push",
        note(tablet, 2, &worker, "Après l'effacement"),
        spare.as_deref(),
    )
    .await;
    assert_eq!(notes_with(&f, "Après l'effacement").await, 0);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_mutations WHERE device_id = $1")
        .bind(tablet.to_string())
        .fetch_one(&f.db)
        .await
        .expect("count");
    assert_eq!(kept, 0, "no retry can come from an emptied phone");
}
