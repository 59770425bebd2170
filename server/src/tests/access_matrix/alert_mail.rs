//! Alert e-mails, delivered to an SMTP server the test runs on loopback:
//! who receives them, what they say (nothing about anyone), the digest,
//! and what is never sent (a non-alert, no address, a followed-up alert, a
//! day-old alert, no SMTP server set).
use super::smtp_sink::{Delivered, Sink};
use super::*;
use app::backend::alert_mail::{Mailer, Pass, Security, SmtpSettings, send_due};

const LINK: &str = "https://jalon.test";

fn mailer(sink: &Sink) -> Mailer {
    Mailer::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port: Some(sink.port),
        security: Security::Plain,
        user: None,
        password: None,
        from: "Jalon <jalon@structure.test>".into(),
        public_url: LINK.into(),
    })
    .expect("mailer")
}

/// Pushes observations about `worker` from the supervisor's phone.
async fn observe(f: &Fixture, cookie: &str, batch: i64, notes: &[(&str, &str)]) {
    let device = "01900000-0000-7000-8000-00000000a1e7";
    let today = chrono::Utc::now().date_naive().to_string();
    let mutations: Vec<serde_json::Value> = notes
        .iter()
        .map(|(worker, kind)| {
            let data = serde_json::json!({
                "worker_id": worker, "observed_on": today, "kind": kind,
                "body": "Propos inquiétants de Karim au sujet de son logement",
            });
            serde_json::json!({
                "id": uuid::Uuid::now_v7(), "record_type": "observation", "schema": 1,
                "record_id": uuid::Uuid::now_v7(), "op": "create", "base_version": 0,
                "data": data,
            })
        })
        .collect();
    let body = serde_json::json!({ "device_id": device, "batch": batch, "mutations": mutations });
    let (status, text, _) = call(
        &f.router,
        "/api/sync/v1/push",
        body.to_string(),
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(!text.contains("rejected"), "{text}");
}

async fn set_email(f: &Fixture, admin: &str, login: &str, email: &str) -> (StatusCode, String) {
    let id: String = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(&f.db)
        .await
        .expect(login);
    let (status, text, _) = call(
        &f.router,
        "/api/people/set_user_email",
        format!("id={id}&email={}", urlencoding(email)),
        Some(admin),
    )
    .await;
    (status, text)
}

fn parsed(message: &Delivered) -> (String, String) {
    let mail = mailparse::parse_mail(&message.raw).expect("a well-formed message");
    let subject = mail
        .headers
        .iter()
        .find(|h| h.get_key().eq_ignore_ascii_case("subject"))
        .map(|h| h.get_value())
        .expect("subject");
    (subject, mail.get_body().expect("text body"))
}

/// The matrix's world with an SMTP server on loopback and a mailer to it,
/// after a first pass has settled the demo's own alert (its counsellor has
/// no address yet): what that pass did.
async fn start() -> (Fixture, Sink, Mailer, Pass) {
    let f = fixture().await;
    let sink = Sink::start().await;
    let mailer = mailer(&sink);
    let first = send_due(&f.db, &mailer, chrono::Utc::now())
        .await
        .expect("the demo's alert");
    (f, sink, mailer, first)
}

#[tokio::test]
async fn an_alert_reaches_the_referent_counsellor_by_e_mail_and_says_nothing_of_it() {
    let (f, sink, mailer, first) = start().await;
    let admin = sign_in(&f.router, Who::Admin).await.expect("admin");
    let supervisor = sign_in(&f.router, Who::Supervisor)
        .await
        .expect("supervisor");

    // The demo's own alert was queued for its counsellor, who has no address yet.
    assert!(first.no_address >= 1, "{first:?}");
    assert_eq!(first.messages, 0);
    assert!(sink.take().is_empty());

    // Hostile or malformed addresses are refused with a French message, nothing stored.
    for bad in ["cip@demo\r\nBcc: tous@exemple.fr", "pas une adresse", "a@b"] {
        let (status, text) = set_email(&f, &admin, "demo.cip", bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {text}");
        assert!(text.contains("Adresse e-mail"), "{text}");
    }
    let (status, text) = set_email(&f, &admin, "demo.cip", "Claire.CIP@Demo.Test").await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user_email_set'")
            .fetch_one(&f.db)
            .await
            .expect("audit");
    assert_eq!(audited, 1, "the change of address is in the audit log");

    // An incident is not an alert: nothing is sent.
    observe(&f, &supervisor, 1, &[(&f.ids.worker, "incident")]).await;
    let pass = send_due(&f.db, &mailer, chrono::Utc::now())
        .await
        .expect("pass");
    assert!(pass.is_empty(), "{pass:?}");
    assert!(sink.take().is_empty(), "no message for a non-alert");

    // One alert: one message to the referent counsellor, naming no one.
    observe(&f, &supervisor, 2, &[(&f.ids.worker, "alert")]).await;
    let pass = send_due(&f.db, &mailer, chrono::Utc::now())
        .await
        .expect("pass");
    assert_eq!((pass.messages, pass.alerts), (1, 1), "{pass:?}");
    let got = sink.take();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["Claire.CIP@demo.test".to_string()]);
    assert_eq!(got[0].from, "jalon@structure.test");
    let (subject, body) = parsed(&got[0]);
    assert_eq!(subject, "Une alerte vous attend dans Jalon");
    assert!(body.contains("https://jalon.test/fil"), "{body}");
    let worker_name: (String, String) =
        sqlx::query_as("SELECT first_name, last_name FROM workers WHERE id = $1")
            .bind(&f.ids.worker)
            .fetch_one(&f.db)
            .await
            .expect("name");
    let raw = String::from_utf8_lossy(&got[0].raw).to_string();
    for secret in [
        worker_name.0.as_str(),
        worker_name.1.as_str(),
        "Karim",
        "logement",
    ] {
        assert!(
            !raw.contains(secret) && !body.contains(secret),
            "{secret} left out"
        );
    }
    // Sent once: the next pass finds nothing.
    assert!(
        send_due(&f.db, &mailer, chrono::Utc::now())
            .await
            .expect("pass")
            .is_empty()
    );
    assert!(
        sink.take().is_empty(),
        "no second message for the same alert"
    );

    // Three alerts together, about two people: one digest.
    observe(
        &f,
        &supervisor,
        3,
        &[
            (&f.ids.worker, "alert"),
            (&f.ids.colleague, "alert"),
            (&f.ids.worker, "alert"),
        ],
    )
    .await;
    let pass = send_due(&f.db, &mailer, chrono::Utc::now())
        .await
        .expect("pass");
    assert_eq!((pass.messages, pass.alerts), (1, 3), "{pass:?}");
    let got = sink.take();
    assert_eq!(got.len(), 1, "a digest, not three messages");
    assert_eq!(parsed(&got[0]).0, "3 alertes vous attendent dans Jalon");
}

#[tokio::test]
async fn no_e_mail_for_an_alert_followed_up_first_nor_a_day_late_nor_for_the_other_counsellors() {
    let (f, sink, mailer, _) = start().await;
    let admin = sign_in(&f.router, Who::Admin).await.expect("admin");
    let supervisor = sign_in(&f.router, Who::Supervisor)
        .await
        .expect("supervisor");
    let counsellor = sign_in(&f.router, Who::Counsellor).await.expect("cip");
    let mut conn = f.db.acquire().await.expect("conn");
    let structure: String =
        sqlx::query_scalar("SELECT structure_id FROM users WHERE login = 'demo.cip'")
            .fetch_one(&mut *conn)
            .await
            .expect("structure");
    let hash = password::hash(STAFF_PASSWORD).expect("hash");
    add_user(&mut conn, &structure, Role::Counsellor, "autre.cip", &hash).await;
    drop(conn);
    for (login, email) in [
        ("demo.cip", "cip@demo.test"),
        ("autre.cip", "autre@demo.test"),
    ] {
        assert_eq!(set_email(&f, &admin, login, email).await.0, StatusCode::OK);
    }

    // The referent counsellor acknowledges the alert before the pass: moot.
    observe(&f, &supervisor, 1, &[(&f.ids.worker, "alert")]).await;
    let alert: String = sqlx::query_scalar(
        "SELECT observation_id FROM alert_mails WHERE done_at IS NULL ORDER BY queued_at DESC",
    )
    .fetch_one(&f.db)
    .await
    .expect("queued");
    let (status, text, _) = call(
        &f.router,
        "/api/observations/acknowledge",
        format!("id={alert}"),
        Some(&counsellor),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let pass = send_due(&f.db, &mailer, chrono::Utc::now())
        .await
        .expect("pass");
    assert_eq!(pass.moot, 1, "{pass:?}");
    assert!(
        sink.take().is_empty(),
        "nothing for an alert already followed up"
    );

    // Not sent within a day (no server reachable, say): never sent.
    observe(&f, &supervisor, 2, &[(&f.ids.worker, "alert")]).await;
    let later = chrono::Utc::now() + chrono::Duration::hours(25);
    let pass = send_due(&f.db, &mailer, later).await.expect("pass");
    assert_eq!(
        pass,
        Pass {
            expired: 1,
            ..Pass::default()
        }
    );
    assert!(sink.take().is_empty());

    // A worker with no referent: every counsellor allowed to see them when
    // the structure opens files to all CIP; nobody otherwise.
    let orphan: String = sqlx::query_scalar(
        "SELECT id FROM workers WHERE counsellor_id IS NULL AND team_id = $1 ORDER BY id",
    )
    .bind(&f.ids.team_a)
    .fetch_optional(&f.db)
    .await
    .expect("query")
    .unwrap_or_default();
    let orphan = if orphan.is_empty() {
        sqlx::query("UPDATE workers SET counsellor_id = NULL WHERE id = $1")
            .bind(&f.ids.spare_worker)
            .execute(&f.db)
            .await
            .expect("no referent");
        f.ids.spare_worker.clone()
    } else {
        orphan
    };
    observe(&f, &supervisor, 3, &[(&orphan, "alert")]).await;
    let pass = send_due(&f.db, &mailer, chrono::Utc::now())
        .await
        .expect("pass");
    assert!(pass.is_empty(), "{pass:?}: nobody follows this person");
    let (status, _, _) = call(
        &f.router,
        "/api/people/set_counsellors_see_all",
        "enabled=true".into(),
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    observe(&f, &supervisor, 4, &[(&orphan, "alert")]).await;
    let pass = send_due(&f.db, &mailer, chrono::Utc::now())
        .await
        .expect("pass");
    assert_eq!((pass.messages, pass.alerts), (2, 2), "{pass:?}");
    let mut to: Vec<String> = sink.take().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    assert_eq!(to, vec!["autre@demo.test", "cip@demo.test"]);
}

#[tokio::test]
async fn without_an_smtp_server_the_admin_is_told_alerts_stay_in_jalon() {
    let f = fixture().await;
    let admin = sign_in(&f.router, Who::Admin).await.expect("admin");
    let (status, text, _) = call(
        &f.router,
        "/api/people/list_users",
        String::new(),
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (_, _, server): (serde_json::Value, bool, Option<String>) =
        serde_json::from_str(&text).expect("json");
    assert_eq!(server, None, "alerts are in Jalon only");
    // The server sends nothing by itself: the rows wait, unsent.
    let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM alert_mails WHERE done_at IS NULL")
        .fetch_one(&f.db)
        .await
        .expect("count");
    assert!(waiting >= 1, "the demo's alert waits");
}
