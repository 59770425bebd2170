//! The record exports, read back by a real CSV parser: the columns, the
//! byte-order mark and CRLF rows French Excel needs, cells a spreadsheet
//! would run as formulas neutralised, sensitive observations only when asked
//! and only for their readers, bad filters refused, and every file in the
//! audit log.
use super::fixture::*;
use super::*;

async fn get(f: &Fixture, cookie: &str, uri: &str) -> (StatusCode, String) {
    let req = Request::builder()
        .uri(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    let res = f.router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .expect("body");
    (status, String::from_utf8(bytes.to_vec()).expect("UTF-8"))
}

/// The rows of a French spreadsheet file, header first.
fn parse(body: &str) -> Vec<Vec<String>> {
    assert!(body.starts_with('\u{feff}'), "byte-order mark");
    assert!(body.ends_with("\r\n"), "CRLF rows");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(false)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| {
            r.expect("a valid CSV row")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn record_exports_are_spreadsheets_of_what_the_exporter_may_read() {
    let f = fixture().await;
    let db = db_of(&f);
    let third = demo_worker(&f, "demo.s03").await;
    // A hostile body: a formula, as a supervisor might paste it.
    sqlx::query("UPDATE observations SET body = $1 WHERE worker_id = $2 AND kind = 'skill'")
        .bind("=HYPERLINK(\"http://x\";\"clic\")")
        .bind(&third)
        .execute(&db)
        .await
        .expect("hostile body");

    let cip = sign_in(&f.router, Who::Counsellor).await.expect("cookie");
    let admin = sign_in(&f.router, Who::Admin).await.expect("cookie");
    let uri = |sensitive: &str| {
        format!("/api/observations/export.csv?salarie={third}&sensibles={sensitive}")
    };

    let (status, body) = get(&f, &cip, &uri("0")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rows = parse(&body);
    assert_eq!(
        rows[0],
        [
            "Date",
            "Heure",
            "Nom",
            "Prénom",
            "Équipe",
            "Type",
            "Catégorie",
            "Texte",
            "Auteur",
            "Partagée avec le salarié",
            "Sensible",
            "Alerte prise en compte le"
        ]
    );
    let texts: Vec<&str> = rows[1..].iter().map(|r| r[7].as_str()).collect();
    assert!(
        texts.contains(&"'=HYPERLINK(\"http://x\";\"clic\")"),
        "the formula is neutralised: {texts:?}"
    );
    assert!(
        rows[1..].iter().all(|r| r[10] == "non"),
        "no sensitive row unless asked"
    );
    // Asked for: the counsellor reads the santé barrier; the admin may not.
    let (_, body) = get(&f, &cip, &uri("1")).await;
    let with = parse(&body);
    assert_eq!(with.len(), rows.len() + 1);
    assert!(with.iter().any(|r| r[6] == "Santé" && r[10] == "oui"));
    let (_, body) = get(&f, &admin, &uri("1")).await;
    assert!(parse(&body).iter().all(|r| r[6] != "Santé"));

    // Evaluations: a row per criterion; objectives: a row per step.
    let (status, body) = get(&f, &cip, "/api/evaluations/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    let evaluations = parse(&body);
    assert_eq!(evaluations[0][0], "Date");
    assert_eq!(evaluations[0].len(), 14);
    assert!(evaluations.len() > 1, "the demo's evaluated sessions");
    assert!(
        evaluations[1..]
            .iter()
            .all(|r| r[8] == "non" || !r[11].is_empty()),
        "present: a level per criterion"
    );
    let (status, body) = get(&f, &cip, "/api/objectifs/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    let objectives = parse(&body);
    assert_eq!(objectives[0][3], "Objectif");
    assert!(objectives.len() > 1, "the demo's objectives");

    // Filters: a period with nothing in it, a bad date, an unknown person.
    let (status, body) = get(
        &f,
        &cip,
        "/api/observations/export.csv?du=2020-01-01&au=2020-01-31",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(parse(&body).len(), 1, "the header alone");
    for (query, expected, says) in [
        (
            "du=01%2F01%2F2026",
            StatusCode::UNPROCESSABLE_ENTITY,
            "Du : date invalide.",
        ),
        (
            "du=2026-02-01&au=2026-01-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "finit avant",
        ),
        ("salarie=%27+OR+1%3D1", StatusCode::NOT_FOUND, "introuvable"),
    ] {
        let (status, body) = get(&f, &cip, &format!("/api/evaluations/export.csv?{query}")).await;
        assert_eq!(status, expected, "{query}: {body}");
        assert!(body.contains(says), "{query}: {body}");
    }
    let worker = sign_in(&f.router, Who::Worker).await.expect("cookie");
    let (status, _) = get(&f, &worker, "/api/objectifs/export.csv").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a worker exports nothing");

    // Every file given out is in the audit log, with its filters.
    let exports: Vec<(String, String)> = sqlx::query_as(
        "SELECT target_id, details FROM audit_log WHERE action = 'export' ORDER BY at, id",
    )
    .fetch_all(&db)
    .await
    .expect("audit");
    assert_eq!(exports.len(), 6, "{exports:?}");
    assert!(exports[0].0 == "observations.csv" && exports[0].1.contains("sensibles=0"));
}

/// Every plain GET route of the OpenAPI document answers as documented:
/// its file for a counsellor, 401 for a visitor, 422 for a malformed date,
/// each status among the documented ones, and every parameter named.
#[tokio::test]
async fn the_documented_downloads_answer_as_documented() {
    let f = fixture().await;
    let doc: serde_json::Value =
        serde_json::from_str(crate::sync_api::OPENAPI).expect("valid JSON");
    let cip = sign_in(&f.router, Who::Counsellor).await.expect("cookie");
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(get_op) = item.get("get") else {
            continue;
        };
        let documented: Vec<&str> = get_op["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert!(
            documented.contains(&"du"),
            "{path}: the period is documented"
        );
        for (cookie, query, expected) in [
            (Some(cip.as_str()), "", StatusCode::OK),
            (None, "", StatusCode::UNAUTHORIZED),
            (
                Some(cip.as_str()),
                "du=hier",
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ] {
            let mut req = Request::builder().uri(format!("{path}?{query}"));
            if let Some(cookie) = cookie {
                req = req.header(header::COOKIE, cookie);
            }
            let res = f
                .router
                .clone()
                .oneshot(req.body(Body::empty()).expect("request"))
                .await
                .expect("response");
            assert_eq!(res.status(), expected, "{path}?{query}");
            let status = res.status().as_u16().to_string();
            assert!(
                get_op["responses"][&status].is_object(),
                "{path}: {status} is not documented"
            );
            if expected == StatusCode::OK {
                let ct = res.headers()[header::CONTENT_TYPE].to_str().expect("type");
                let described = get_op["responses"]["200"]["content"]
                    .as_object()
                    .expect("content")
                    .keys()
                    .any(|k| ct.starts_with(k.as_str()));
                assert!(described, "{path}: {ct} is not the documented type");
            }
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        4 * 3,
        "the attendance export and the three record exports"
    );
}
