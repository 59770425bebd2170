//! A worker's requests about their own data (issue 22), from their phone:
//! a copy of everything held, a correction. They reach those who may answer
//! them (the referent counsellor, the admin) and no one else; bad input is
//! refused in French with nothing written; both steps are logged, and the
//! requests are part of what the person's access document holds.
use super::*;
use app::wire::privacy::RequestLine;

async fn ask(f: &Fixture, cookie: Option<&str>, body: &str) -> (StatusCode, String) {
    let (status, text, _) = call(
        &f.router,
        "/api/privacy/ask_about_data",
        body.into(),
        cookie,
    )
    .await;
    (status, text)
}

/// The requests listed at `path`, the fixture's own (one per actor of the
/// access matrix) left aside.
async fn lines(f: &Fixture, cookie: Option<&str>, path: &str) -> Vec<RequestLine> {
    let all: Vec<RequestLine> = ok_json(f, cookie, path, String::new()).await;
    all.into_iter()
        .filter(|r| !f.ids.requests.contains(&r.id))
        .collect()
}

#[tokio::test]
async fn a_worker_asks_for_a_copy_and_a_correction_and_their_counsellor_answers() {
    let f = fixture().await;
    let worker = sign_in(&f.router, Who::Worker).await;
    let counsellor = sign_in(&f.router, Who::Counsellor).await;
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let elsewhere = sign_in(&f.router, Who::OtherStructureAdmin).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM data_requests")
            .fetch_one(&f.db)
            .await
            .expect("count")
    };
    let before = count().await;

    // A copy, once while it is open.
    assert_eq!(
        ask(&f, worker.as_deref(), "kind=access&body=").await.0,
        StatusCode::OK
    );
    let (status, text) = ask(&f, worker.as_deref(), "kind=access&body=").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("déjà envoyée"), "{text}");
    // A correction says what is wrong, briefly; an unknown kind is refused.
    for (body, says) in [
        ("kind=correction&body=++", "Ce qui est inexact"),
        (
            &*format!("kind=correction&body={}", "x".repeat(2001)),
            "2000",
        ),
        ("kind=everything&body=tout", "Demande inconnue"),
    ] {
        let (status, text) = ask(&f, worker.as_deref(), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {text}");
        assert!(text.contains(says), "{body}: {text}");
    }
    let fix = "kind=correction&body=Mon+pr%C3%A9nom+s%27%C3%A9crit+Amina%2C+sans+h.";
    assert_eq!(ask(&f, worker.as_deref(), fix).await.0, StatusCode::OK);
    let (status, text) = ask(&f, worker.as_deref(), fix).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert_eq!(count().await, before + 2, "nothing else was written");
    // Staff cannot make requests in someone's name.
    assert_eq!(
        ask(&f, counsellor.as_deref(), "kind=access&body=").await.0,
        StatusCode::NOT_FOUND
    );

    let mine = lines(&f, worker.as_deref(), "/api/privacy/my_requests").await;
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|r| r.answer.is_none()));
    assert!(
        mine.iter()
            .any(|r| r.body == "Mon prénom s'écrit Amina, sans h.")
    );

    // They reach the referent counsellor, not the supervisor nor another structure.
    let theirs = lines(&f, counsellor.as_deref(), "/api/privacy/requests_to_answer").await;
    let ids: Vec<&str> = mine.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.iter().all(|id| theirs.iter().any(|r| r.id == *id)));
    for other in [&supervisor, &elsewhere] {
        let seen = lines(&f, other.as_deref(), "/api/privacy/requests_to_answer").await;
        assert!(seen.iter().all(|r| !ids.contains(&r.id.as_str())));
    }

    // Answered once, by whoever may answer; the worker reads the answer.
    let correction = mine
        .iter()
        .find(|r| !r.body.is_empty())
        .expect("correction");
    let answer = |cookie: Option<String>, text: &'static str| {
        let body = format!("id={}&answer={text}", correction.id);
        let router = f.router.clone();
        async move {
            call(
                &router,
                "/api/privacy/answer_request",
                body,
                cookie.as_deref(),
            )
            .await
        }
    };
    assert_eq!(
        answer(supervisor.clone(), "Fait").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        answer(counsellor.clone(), "+").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, text, _) = answer(
        counsellor.clone(),
        "Pr%C3%A9nom+corrig%C3%A9+dans+le+dossier.",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (status, text, _) = answer(counsellor.clone(), "Encore").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("déjà reçu une réponse"), "{text}");
    let mine = lines(&f, worker.as_deref(), "/api/privacy/my_requests").await;
    let done = mine
        .iter()
        .find(|r| r.id == correction.id)
        .expect("still listed");
    let said = done.answer.as_ref().expect("answered");
    assert_eq!(said.text, "Prénom corrigé dans le dossier.");
    assert!(!said.by.is_empty());

    let db = f.db.clone();
    let logged = |action: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE action = $1")
                .bind(action)
                .fetch_one(&db)
                .await
                .expect("audit")
        }
    };
    assert_eq!(logged("data_request_made").await, 2);
    assert_eq!(logged("data_request_answered").await, 1);

    // The access document holds them.
    let (status, json) = super::bilans::download(
        &f,
        counsellor.as_deref(),
        &format!("/api/privacy/access.json?salarie={}", correction.worker_id),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let export: serde_json::Value = serde_json::from_slice(&json).expect("json");
    let held = export["sections"]["requests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        held.len(),
        2 + f.ids.requests.len(),
        "every request of the person"
    );
}
