//! Empty, huge, malformed, duplicated and hostile input, endpoint by
//! endpoint: a precise status, a French sentence, and nothing written.
use super::fixture::*;
use super::*;

/// Every admin form, fed empty, huge, malformed and hostile values: a 422
/// with a French reason, and nothing written.
#[tokio::test]
async fn admin_forms_refuse_bad_input_and_write_nothing() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Admin).await;
    let huge = "x".repeat(10_000);
    let spare_worker = &f.ids.spare_worker;
    let spare_user = &f.ids.spare_user;
    let cases: Vec<(&str, String, &str)> = vec![
        ("/api/people/create_user", "role=supervisor&login=ok.login&display_name=&password=un-mot-de-passe".into(), "Nom : à remplir."),
        ("/api/people/create_user", format!("role=supervisor&login=ok.login&display_name={huge}&password=un-mot-de-passe"), "Nom : trop long (10000 caractères, au plus 100)."),
        ("/api/people/create_user", "role=supervisor&login=x%27%3B+DROP+TABLE+users%3B+--&display_name=A&password=un-mot-de-passe".into(), "Identifiant : lettres sans accent"),
        ("/api/people/create_user", "role=worker&login=ok.login&display_name=A&password=un-mot-de-passe".into(), "Rôle : choisissez"),
        ("/api/people/create_user", "role=supervisor&login=ok.login&display_name=A&password=court".into(), "au moins 10 caractères"),
        ("/api/people/create_user", "role=supervisor&login=demo.cip&display_name=A&password=un-mot-de-passe".into(), "déjà pris"),
        ("/api/people/rename_user", format!("id={spare_user}&display_name=+++"), "Nom : à remplir."),
        ("/api/people/rename_user", format!("id={spare_user}&display_name=a%00b"), "caractères non autorisés"),
        ("/api/people/create_team", "name=&activity=Tri".into(), "Nom de l'équipe : à remplir."),
        ("/api/people/create_team", format!("name=A&activity={huge}"), "Activité : trop long (10000 caractères, au plus 100)."),
        ("/api/people/create_team", "name=A&activity=B&supervisor_id=%27+OR+1%3D1+--".into(), "Encadrant·e : choix inconnu."),
        ("/api/people/create_worker", "first_name=&last_name=B&contract_start=2026-01-05".into(), "Prénom : à remplir."),
        ("/api/people/create_worker", "first_name=A&last_name=B&contract_start=05%2F01%2F2026".into(), "Début du contrat : date invalide."),
        ("/api/people/create_worker", "first_name=A&last_name=B&contract_start=2026-02-01&contract_end=2026-01-01".into(), "après son début"),
        ("/api/people/create_worker", "first_name=A&last_name=B&contract_start=2026-01-05&team_id=not-a-team".into(), "Équipe : choix inconnu."),
        ("/api/people/move_worker", format!("worker_id={spare_worker}&team_id=%3Cscript%3E"), "Équipe : choix inconnu."),
        ("/api/people/end_worker", format!("worker_id={spare_worker}&end_date=demain&outcome=training"), "Date de fin : date invalide."),
        ("/api/people/end_worker", format!("worker_id={spare_worker}&end_date=1999-01-01&outcome=training"), "ne peut pas précéder"),
        ("/api/people/end_worker", format!("worker_id={spare_worker}&end_date=2026-12-31"), "Issue du parcours : à choisir."),
        ("/api/people/end_worker", format!("worker_id={spare_worker}&end_date=2026-12-31&outcome=%27+OR+1%3D1"), "Issue du parcours : choix inconnu."),
        ("/api/people/end_worker", format!("worker_id={spare_worker}&end_date=2026-12-31&outcome=other&reason={huge}"), "Précisions : trop long"),
        ("/api/people/renew_contract", format!("worker_id={spare_worker}&contract_end=2027-06-30&reason=+"), "Motif : à remplir."),
        ("/api/people/renew_contract", format!("worker_id={spare_worker}&contract_end=30%2F06%2F2027&reason=Prolongation"), "Nouvelle fin du contrat : date invalide."),
        ("/api/people/renew_contract", format!("worker_id={spare_worker}&contract_end=2025-06-30&reason=Prolongation"), "après son début"),
        ("/api/people/renew_contract", format!("worker_id={spare_worker}&contract_end=2027-06-30&reason={huge}"), "Motif : trop long"),
        ("/api/people/change_counsellor", format!("worker_id={spare_worker}&counsellor_id={spare_user}&reason=Relais"), "CIP référent·e : choix inconnu."),
        ("/api/people/change_counsellor", format!("worker_id={spare_worker}&counsellor_id=&reason="), "Motif : à remplir."),
    ];
    let before = table_sizes(&f).await;
    for (path, body, message) in &cases {
        let (status, text, _) = call(&f.router, path, body.clone(), cookie.as_deref()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body:.80}: {text}"
        );
        assert!(
            text.contains(message),
            "{path}: expected « {message} » in {text}"
        );
    }
    assert_eq!(
        table_sizes(&f).await,
        before,
        "a refused form wrote something"
    );
}

/// The attendance export: malformed or hostile parameters get a precise
/// status and a French sentence, never a file.
#[tokio::test]
async fn attendance_export_refuses_bad_input_with_precise_statuses() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Admin).await.expect("cookie");
    let cases = [
        (
            "du=2026-13-45",
            StatusCode::UNPROCESSABLE_ENTITY,
            "jj/mm/aaaa",
        ),
        (
            "du=23%2F11%2F2026",
            StatusCode::UNPROCESSABLE_ENTITY,
            "jj/mm/aaaa",
        ),
        (
            "du=2026-11-30&au=2026-11-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "avant son début",
        ),
        (
            "du=2020-01-01&au=2026-11-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "deux ans",
        ),
        (
            "equipe=%27%3B%20DROP%20TABLE%20attendance%3B%20--",
            StatusCode::NOT_FOUND,
            "introuvable",
        ),
        (
            "salarie=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            StatusCode::NOT_FOUND,
            "introuvable",
        ),
        (
            "du=2026-11-01&au=2026-11-30&detail=0",
            StatusCode::OK,
            "Taux de présence",
        ),
    ];
    for (query, status, says) in cases {
        let req = Request::builder()
            .uri(format!("/api/attendance/export.csv?{query}"))
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .expect("request");
        let res = f.router.clone().oneshot(req).await.expect("response");
        assert_eq!(res.status(), status, "{query}");
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("body");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains(says), "{query}: {text}");
    }
}

/// The sync API over HTTP: malformed, oversized, hostile and hidden input
/// gets a precise status and a French message, and writes nothing.
#[tokio::test]
async fn sync_api_refuses_bad_input_with_precise_statuses() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Supervisor).await;
    let push = |body: String| {
        let router = f.router.clone();
        let cookie = cookie.clone();
        async move { call(&router, "/api/sync/v1/push", body, cookie.as_deref()).await }
    };
    let device = "01900000-0000-7000-8000-0000000000aa";
    let today = chrono::Utc::now().date_naive();
    let mutation = |worker: &str, body: &str| {
        serde_json::json!({
            "id": uuid::Uuid::now_v7(), "record_type": "observation", "schema": 1,
            "record_id": uuid::Uuid::now_v7(), "op": "create", "base_version": 0,
            "data": { "worker_id": worker, "observed_on": today.to_string(), "kind": "incident", "body": body }
        })
    };
    let batch = |n: i64, mutations: Vec<serde_json::Value>| {
        serde_json::json!({ "device_id": device, "batch": n, "mutations": mutations }).to_string()
    };
    let cases: Vec<(String, StatusCode, &str)> = vec![
        ("{not json".into(), StatusCode::BAD_REQUEST, "malformed"),
        ("".into(), StatusCode::BAD_REQUEST, "malformed"),
        (
            r#"{"device_id":"x","batch":1,"mutations":[]}"#.into(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            batch(
                1,
                vec![mutation(&f.ids.worker, "ok"), {
                    let mut m = mutation(&f.ids.worker, "ok");
                    m["record_type"] = "attendance'; --".into();
                    m
                }],
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_record_type",
        ),
        (
            batch(
                1,
                vec![{
                    let mut m = mutation(&f.ids.worker, "ok");
                    m["schema"] = 7.into();
                    m
                }],
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported_schema",
        ),
        (
            batch(1, (0..501).map(|_| mutation(&f.ids.worker, "ok")).collect()),
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
        ),
        (
            format!(
                r#"{{"device_id":"{device}","batch":1,"mutations":[],"pad":"{}"}}"#,
                "x".repeat(5 << 20)
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        // The colleague is in team A too; team B's workers are hidden from this supervisor.
        (
            batch(
                1,
                vec![
                    mutation(&f.ids.worker, "ok"),
                    mutation(&f.ids.spare_worker, "ok"),
                    mutation(&other_team_worker(&f).await, "<script>alert(1)</script>"),
                ],
            ),
            StatusCode::FORBIDDEN,
            "not_visible",
        ),
    ];
    for (body, status, code) in cases {
        let (got, text, _) = push(body).await;
        assert_eq!(got, status, "{text}");
        let err: jalon_core::sync::protocol::ApiError =
            serde_json::from_str(&text).expect("json error body");
        assert_eq!(err.error, code);
        assert!(!err.message.is_empty());
    }
    // (The demo's own observations come from another device.)
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE last_device = $1")
        .bind(device)
        .fetch_one(&db_of(&f))
        .await
        .expect("count");
    assert_eq!(count, 0, "no refused batch wrote anything");
    let (status, text, _) =
        push(batch(2, vec![mutation(&f.ids.worker, "l'outil « rangé »")])).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(text.contains(r#""status":"applied""#), "{text}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_sync_endpoints() {
    let doc: serde_json::Value =
        serde_json::from_str(crate::sync_api::OPENAPI).expect("valid JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    for path in ["/api/sync/v1/push", "/api/sync/v1/pull"] {
        assert!(doc["paths"][path]["post"].is_object(), "{path} described");
        let busy = &doc["paths"][path]["post"]["responses"]["503"];
        assert!(
            busy["headers"]["Retry-After"].is_object(),
            "{path} 503 and Retry-After"
        );
    }
    let export = &doc["paths"]["/api/attendance/export.csv"]["get"];
    let params: Vec<&str> = export["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(params, ["equipe", "salarie", "du", "au", "detail"]);
    for status in ["200", "401", "404", "422"] {
        assert!(export["responses"][status].is_object(), "export {status}");
    }
    let schemas = &doc["components"]["schemas"];
    for name in [
        "PushRequest",
        "PushResponse",
        "PullRequest",
        "PullResponse",
        "ApiError",
        "Mutation",
    ] {
        assert!(schemas[name].is_object(), "schema {name}");
    }
    // Every error code the server can answer is documented.
    let text = crate::sync_api::OPENAPI;
    for code in [
        "malformed",
        "not_signed_in",
        "not_visible",
        "device_taken",
        "stale_batch",
        "batch_too_large",
        "payload_too_large",
        "unknown_record_type",
        "unsupported_schema",
        "busy",
    ] {
        assert!(text.contains(code), "{code} documented");
    }
}

/// A push that finds the write queue crowded is answered at once with 503,
/// `Retry-After` and a French sentence, and writes nothing; the same batch
/// sent again once the queue has cleared is applied, once.
#[tokio::test]
async fn a_crowded_write_queue_answers_pushes_busy_then_applies_them() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Supervisor).await.expect("cookie");
    let body = serde_json::json!({
        "device_id": "01900000-0000-7000-8000-0000000000bb", "batch": 1,
        "mutations": [{
            "id": uuid::Uuid::now_v7(), "record_type": "observation", "schema": 1,
            "record_id": uuid::Uuid::now_v7(), "op": "create", "base_version": 0,
            "data": { "worker_id": f.ids.worker, "observed_on": chrono::Utc::now().date_naive().to_string(),
                      "kind": "skill", "body": "Taille de haie terminée." }
        }]
    })
    .to_string();
    let push = || {
        Request::builder()
            .method("POST")
            .uri("/api/sync/v1/push")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "jalon.test")
            .header(header::COOKIE, &cookie)
            .body(Body::from(body.clone()))
            .expect("request")
    };
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM observations")
            .fetch_one(&f.db)
            .await
            .expect("count")
    };
    let before = count().await;

    // Someone holds the writer, and as many writes as allowed wait behind it.
    let held = f.db.begin().await.expect("writer");
    let waiting: Vec<_> = (0..app::backend::db::MAX_WAITING_WRITES)
        .map(|_| {
            let db = f.db.clone();
            tokio::spawn(async move { db.begin().await.map(drop) })
        })
        .collect();
    while !f.db.crowded() {
        tokio::task::yield_now().await;
    }
    let res = f.router.clone().oneshot(push()).await.expect("response");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()[header::RETRY_AFTER], "2");
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    let refusal: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(refusal["error"], "busy");
    assert!(
        refusal["message"]
            .as_str()
            .is_some_and(|m| m.contains("très occupé"))
    );

    drop(held);
    for w in waiting {
        w.await
            .expect("task")
            .expect("each waiting write got its turn");
    }
    assert_eq!(count().await, before, "the refused push wrote nothing");
    let res = f.router.clone().oneshot(push()).await.expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count().await, before + 1);
}

/// The counsellor's follow-up endpoints refuse bad input with a precise
/// status and a French sentence, and write nothing.
#[tokio::test]
async fn observation_follow_up_refuses_bad_input_and_writes_nothing() {
    let f = fixture().await;
    let cookie = sign_in(&f.router, Who::Counsellor).await.expect("cookie");
    let alert = f.ids.alert.clone();
    let long = "é".repeat(2001);
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        (
            "/api/observations/reply",
            format!("id={alert}&body=+++"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Écrivez votre réponse.",
        ),
        (
            "/api/observations/reply",
            format!("id={alert}&body={}", urlencoding(&long)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Réponse : trop long (2001 caractères, au plus 2000).",
        ),
        (
            "/api/observations/reply",
            "id=%27%3B%20DROP%20TABLE%20observations%3B%20--&body=x".into(),
            StatusCode::NOT_FOUND,
            "NotFound",
        ),
        (
            "/api/observations/reply",
            "body=x".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "illisibles",
        ),
        (
            "/api/observations/acknowledge",
            "id=%3Cscript%3E".into(),
            StatusCode::NOT_FOUND,
            "NotFound",
        ),
        (
            "/api/observations/feed",
            "filter[from]=23%2F11%2F2026".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "jj/mm/aaaa",
        ),
        (
            "/api/observations/feed",
            "filter[limit]=-4".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "illisibles",
        ),
    ];
    for (path, body, status, says) in cases {
        let (got, text, _) = call(&f.router, path, body.clone(), Some(&cookie)).await;
        assert_eq!(got, status, "{path} {body}: {text}");
        assert!(text.contains(says), "{path}: {text}");
    }
    let written: (i64, i64, Option<String>) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM observation_replies), (SELECT COUNT(*) FROM observation_reads), \
         (SELECT acknowledged_at FROM observations WHERE id = $1)",
    )
    .bind(&alert)
    .fetch_one(&db_of(&f))
    .await
    .expect("counts");
    assert_eq!(written, (0, 0, None), "nothing half-written");
    // A reply with HTML and quotes is kept as typed (shown as text).
    let hostile = "<script>alert(1)</script> l'équipe \"ok\"";
    let body = format!("id={alert}&body={}", urlencoding(hostile));
    let (got, text, _) = call(&f.router, "/api/observations/reply", body, Some(&cookie)).await;
    assert_eq!(got, StatusCode::OK, "{text}");
    let replies: String = sqlx::query_scalar("SELECT replies FROM observations WHERE id = $1")
        .bind(&alert)
        .fetch_one(&db_of(&f))
        .await
        .expect("replies");
    let replies: Vec<jalon_core::observations::Reply> =
        serde_json::from_str(&replies).expect("json");
    assert_eq!(replies[0].body, hostile);
    assert_eq!(replies[0].author, "Sophie Lambert");
}

#[tokio::test]
async fn frameworks_and_plans_refuse_bad_input_and_write_nothing() {
    let f = fixture().await;
    let admin = sign_in(&f.router, Who::Admin).await.expect("cookie");
    let supervisor = sign_in(&f.router, Who::Supervisor).await.expect("cookie");
    let counts = |db: Db| async move {
        sqlx::query_as::<_, (i64, i64, String)>(
            "SELECT (SELECT COUNT(*) FROM frameworks), (SELECT COUNT(*) FROM session_plans), \
             (SELECT body FROM session_plans ORDER BY created_at LIMIT 1)",
        )
        .fetch_one(&db)
        .await
        .expect("counts")
    };
    let before = counts(f.db.clone()).await;
    let good = jalon_core::skills::to_file(&jalon_core::skills::defaults::read(
        jalon_core::skills::defaults::DEFAULTS[1].1,
    ));
    let no_criteria = good.replacen(
        "\"text\": \"Vérifie la tondeuse (niveau, lame, carter) avant de démarrer.\"",
        "\"text\": \"\"",
        1,
    );
    let line_of_empty = no_criteria
        .lines()
        .position(|l| l.contains("\"text\": \"\""))
        .expect("emptied")
        + 1;
    let plan = &f.ids.plan;
    let framework = &f.ids.framework;
    let cases: Vec<(&str, &str, String, StatusCode, String)> = vec![
        (
            "/api/skills/import",
            &admin,
            format!(
                "file={}",
                urlencoding(&good.replacen("\"format\"", "\"format\" ", 1).replacen(
                    ",\n  \"version\"",
                    "\n  \"version\"",
                    1
                ))
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Fichier refusé, ligne 3 : JSON mal formé".into(),
        ),
        (
            "/api/skills/import",
            &admin,
            format!("file={}", urlencoding(&no_criteria)),
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "Fichier refusé, ligne {} : critère « tonte-1 » : Texte : à remplir.",
                line_of_empty - 1
            ),
        ),
        (
            "/api/skills/import",
            &admin,
            "file=".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "le fichier est vide".into(),
        ),
        (
            "/api/skills/save_skill",
            &admin,
            format!("framework_id={framework}&skill=%3Cscript%3E"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Compétence illisible.".into(),
        ),
        (
            "/api/skills/save_skill",
            &admin,
            format!(
                "framework_id=%27%3B%20DROP%20TABLE%20frameworks%3B%20--&skill={}",
                urlencoding(r#"{"title":"A","criteria":[{"text":"B"}]}"#)
            ),
            StatusCode::NOT_FOUND,
            "NotFound".into(),
        ),
        (
            "/api/skills/create",
            &admin,
            "title=+++&kind=trade".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Titre du référentiel : à remplir.".into(),
        ),
        (
            "/api/sessions/save_plan",
            &supervisor,
            format!("id={plan}&title=&template=false&afest=false&body=%7B%7D"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Titre : à remplir.".into(),
        ),
        (
            "/api/sessions/save_plan",
            &supervisor,
            format!("id={plan}&title=Haie&template=false&afest=false&body=nope"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Plan de séance illisible.".into(),
        ),
        (
            "/api/sessions/save_plan",
            &supervisor,
            format!(
                "id={plan}&title=Haie&template=false&afest=false&body={}",
                urlencoding(&format!(r#"{{"task":"{}"}}"#, "x".repeat(4001)))
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tâche : trop long (4001 caractères, au plus 4000).".into(),
        ),
    ];
    for (path, cookie, body, status, says) in cases {
        let (got, text, _) = call(&f.router, path, body.clone(), Some(cookie)).await;
        assert_eq!(got, status, "{path} {body}: {text}");
        assert!(text.contains(&says), "{path}: {text} (expected {says})");
    }
    assert_eq!(counts(f.db.clone()).await, before, "nothing half-written");

    // A hostile title is stored as typed, and shown as text by the screens.
    let hostile = "<script>alert('x')</script> Taille'; DROP TABLE session_plans; --";
    let (got, text, _) = call(
        &f.router,
        "/api/sessions/save_plan",
        format!(
            "id=&title={}&template=false&afest=false&body=%7B%7D",
            urlencoding(hostile)
        ),
        Some(&supervisor),
    )
    .await;
    assert_eq!(got, StatusCode::OK, "{text}");
    let stored: String =
        sqlx::query_scalar("SELECT title FROM session_plans WHERE title LIKE '<script>%'")
            .fetch_one(&f.db)
            .await
            .expect("stored");
    assert_eq!(stored, hostile);

    // The export is the file the import reads.
    let res = f
        .router
        .clone()
        .oneshot(
            Request::builder()
                .uri(format!("/api/referentiels/export.json?id={framework}"))
                .header(header::COOKIE, &admin)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.contains("referentiel-espaces-verts.json"),
        "{disposition}"
    );
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .expect("body");
    let file = String::from_utf8_lossy(&bytes).into_owned();
    let read = jalon_core::skills::parse_file(&file).expect("exported file reads back");
    assert_eq!(read.title, "Espaces verts");
}
