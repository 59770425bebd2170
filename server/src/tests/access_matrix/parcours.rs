//! A parcours as a whole: renewing a contract makes its new days count as
//! expected in the attendance figures; a change of referent moves who follows
//! the person; the exit records its outcome once; each change is in the file's
//! history with its reason, and in the audit log.
use super::fixture::*;
use super::*;
use app::pages::people::WorkerFile;
use app::wire::attendance::PeriodReport;

async fn expected_half_days(f: &Fixture, cookie: Option<&str>, worker: &str) -> u32 {
    let (status, body, _) = call(
        &f.router,
        "/api/attendance/report",
        format!(
            "filter[team_id]=&filter[worker_id]={worker}&filter[from]=2026-03-01&filter[to]=2026-04-30"
        ),
        cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report: PeriodReport = serde_json::from_str(&body).expect("report");
    report.workers[0].summary.expected
}

async fn file(f: &Fixture, cookie: Option<&str>, worker: &str) -> WorkerFile {
    ok_json(f, cookie, "/api/people/get_worker", format!("id={worker}")).await
}

#[tokio::test]
async fn renewal_referent_change_and_exit_keep_their_history_and_move_the_figures() {
    let f = fixture().await;
    let db = db_of(&f);
    // A contract from 5 January to 31 March 2026, followed by the demo counsellor.
    let worker = parcours_per_actor(&f).await.remove(0);
    sqlx::query("UPDATE workers SET contract_end = '2026-03-31' WHERE id = $1")
        .bind(&worker)
        .execute(&db)
        .await
        .expect("contract end");
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let cip = cip.as_deref();
    // March 2026 has 22 working days; April's (21, Easter Monday off) are
    // after the contract: 44 half-days expected over March and April.
    assert_eq!(expected_half_days(&f, cip, &worker).await, 44);

    // A supervisor may not renew it; the counsellor who follows the person may.
    let supervisor = sign_in(&f.router, Who::Supervisor).await;
    let renew = format!(
        "worker_id={worker}&contract_end=2026-06-30&reason=Prolongation+pour+finir+la+formation"
    );
    let (status, _, _) = call(
        &f.router,
        "/api/people/renew_contract",
        renew.clone(),
        supervisor.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body, _) = call(&f.router, "/api/people/renew_contract", renew, cip).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        expected_half_days(&f, cip, &worker).await,
        44 + 2 * 21,
        "April now counts"
    );
    // A "renewal" that shortens the contract is refused, and changes nothing.
    let (status, body, _) = call(
        &f.router,
        "/api/people/renew_contract",
        format!("worker_id={worker}&contract_end=2026-05-31&reason=Erreur"),
        cip,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("après la fin actuelle"), "{body}");

    // The admin names another counsellor: the demo counsellor no longer follows the person.
    let admin = sign_in(&f.router, Who::Admin).await;
    let admin = admin.as_deref();
    let other: String = {
        let mut conn = db.acquire().await.expect("conn");
        let structure: String =
            sqlx::query_scalar("SELECT structure_id FROM workers WHERE id = $1")
                .bind(&worker)
                .fetch_one(&mut *conn)
                .await
                .expect("structure");
        let hash = app::backend::password::hash(STAFF_PASSWORD).expect("hash");
        add_user(&mut conn, &structure, Role::Counsellor, "cip.relais", &hash).await
    };
    let (status, body, _) = call(
        &f.router,
        "/api/people/change_counsellor",
        format!("worker_id={worker}&counsellor_id={other}&reason=D%C3%A9part+en+cong%C3%A9"),
        admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, _) = call(
        &f.router,
        "/api/people/get_worker",
        format!("id={worker}"),
        cip,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the former referent lost the file"
    );

    // The exit: once, with its outcome.
    let end = format!(
        "worker_id={worker}&end_date=2026-06-15&outcome=training&reason=Titre+professionnel"
    );
    let (status, body, _) = call(&f.router, "/api/people/end_worker", end.clone(), admin).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body, _) = call(&f.router, "/api/people/end_worker", end, admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("terminé"), "{body}");

    let w = file(&f, admin, &worker).await;
    assert!(w.ended);
    assert_eq!(w.contract_end.as_deref(), Some("2026-06-15"));
    assert_eq!(
        w.exit_outcome.as_deref(),
        Some("Sortie positive : formation")
    );
    assert!(w.parcours.is_some(), "the admin may still manage it");
    let lines: Vec<(String, String, String)> = w
        .events
        .iter()
        .map(|e| (e.title.clone(), e.detail.clone(), e.reason.clone()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                "Fin du parcours".into(),
                "Sortie positive : formation".into(),
                "Titre professionnel".into()
            ),
            (
                "CIP référent·e changé·e".into(),
                "cip.relais (avant : Sophie Lambert)".into(),
                "Départ en congé".into()
            ),
            (
                "Contrat renouvelé".into(),
                "fin le 30/06/2026 au lieu du 31/03/2026".into(),
                "Prolongation pour finir la formation".into()
            ),
        ]
    );
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE target_id = $1 ORDER BY at, id")
            .bind(&worker)
            .fetch_all(&db)
            .await
            .expect("audit");
    for action in ["contract_renewed", "counsellor_changed", "worker_ended"] {
        assert!(
            audited.iter().any(|a| a == action),
            "{action} in {audited:?}"
        );
    }
}

/// The figures at the top of a file count what the reader may read: the
/// sensitive (santé) barrier of the demo's third worker for its author and
/// the person's counsellor, not for the admin; the attendance rates are the
/// report's own over the same periods.
#[tokio::test]
async fn key_figures_count_only_what_the_reader_may_read() {
    let f = fixture().await;
    let third = demo_worker(&f, "demo.s03").await;
    let mut seen = Vec::new();
    for who in [Who::Admin, Who::Supervisor, Who::Counsellor] {
        let cookie = sign_in(&f.router, who).await;
        let figures = file(&f, cookie.as_deref(), &third)
            .await
            .figures
            .expect("staff see the figures");
        let health = figures.barriers.iter().any(|(label, _)| label == "Santé");
        seen.push((who, health));
    }
    assert_eq!(
        seen,
        vec![
            (Who::Admin, false),
            (Who::Supervisor, true),
            (Who::Counsellor, true)
        ]
    );

    // The first worker: the demo's open alert, a mobility barrier, and rates
    // equal to the attendance report's over the last 4 weeks.
    let first = f.ids.worker.clone();
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let figures = file(&f, cip.as_deref(), &first)
        .await
        .figures
        .expect("figures");
    assert_eq!(figures.open_alerts, 1);
    assert_eq!(figures.barriers, vec![("Mobilité".to_string(), 1)]);
    let today = app::backend::db::today_paris();
    let (status, body, _) = call(
        &f.router,
        "/api/attendance/report",
        format!(
            "filter[team_id]=&filter[worker_id]={first}&filter[from]={}&filter[to]={today}",
            today - chrono::Duration::days(27)
        ),
        cip.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report: PeriodReport = serde_json::from_str(&body).expect("report");
    let rate = report.workers[0].summary.rate();
    assert!(rate.is_some(), "the demo holds four weeks of roll calls");
    assert_eq!(figures.attendance_4_weeks, rate);

    // Skills by their latest level; a barrier objective reached lifts it.
    let later = |figures: app::wire::parcours::KeyFigures| {
        (
            figures.skills_acquired,
            figures.skills_in_progress,
            figures.barriers_lifted,
        )
    };
    let (acquired, in_progress, lifted) = later(figures.clone());
    use jalon_core::sessions::Level;
    evaluation(
        &f,
        &first,
        today - chrono::Duration::days(9),
        &[("k-a", Level::InProgress)],
    )
    .await;
    evaluation(
        &f,
        &first,
        today - chrono::Duration::days(1),
        &[("k-a", Level::Acquired), ("k-b", Level::InProgress)],
    )
    .await;
    let db = db_of(&f);
    let (structure, counsellor): (String, String) =
        sqlx::query_as("SELECT structure_id, id FROM users WHERE login = 'demo.cip'")
            .fetch_one(&db)
            .await
            .expect("cip");
    let seq: i64 = sqlx::query_scalar(
        "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value",
    )
    .fetch_one(&db)
    .await
    .expect("seq");
    sqlx::query(
        "INSERT INTO objectives (id, structure_id, worker_id, author_id, version, seq, deleted, \
         created_at, updated_at, updated_by, last_device, has_conflict, title, kind, skill, barrier, \
         sensitive, target_on, status, reached_on, steps, notes, reviews, answered) \
         VALUES ($1, $2, $3, $4, 1, $5, FALSE, $6, $6, $4, 'test', FALSE, 'Permis B', 'barrier', NULL, \
         'mobilite', FALSE, $7, 'reached', $7, '[]', '[]', '[]', '[]')",
    )
    .bind(app::backend::db::new_id())
    .bind(&structure)
    .bind(&first)
    .bind(&counsellor)
    .bind(seq)
    .bind(app::backend::db::now())
    .bind(today.to_string())
    .execute(&db)
    .await
    .expect("objective");
    let figures = file(&f, cip.as_deref(), &first)
        .await
        .figures
        .expect("figures");
    assert_eq!(
        later(figures.clone()),
        (acquired + 1, in_progress + 1, lifted + 1),
        "k-a acquired (in progress before), k-b in progress, one barrier lifted"
    );
    // The demo's entry bilan, validated.
    let validated: String = sqlx::query_scalar(
        "SELECT validated_at FROM bilans WHERE worker_id = $1 AND status = 'validated'",
    )
    .bind(&first)
    .fetch_one(&db)
    .await
    .expect("the demo's entry bilan");
    assert_eq!(figures.last_bilan, Some(validated));

    // A worker's own file carries no staff figures.
    let worker = sign_in(&f.router, Who::Worker).await;
    assert_eq!(file(&f, worker.as_deref(), &first).await.figures, None);
}

async fn timeline(
    f: &Fixture,
    cookie: Option<&str>,
    worker: &str,
    query: &str,
) -> app::wire::parcours::TimelinePage {
    ok_json(
        f,
        cookie,
        "/api/people/timeline",
        format!("worker_id={worker}&{query}"),
    )
    .await
}

/// The timeline holds, per reader, what they may read: the demo's sensitive
/// (santé) barrier for its author and the person's counsellor only; weeks of
/// attendance that add up to the report's figures; one kind when asked; and
/// windows of 8 weeks going back to the contract's start.
#[tokio::test]
async fn the_timeline_shows_each_reader_what_they_may_read() {
    use app::wire::parcours::TimelineKind;
    let f = fixture().await;
    let db = db_of(&f);
    let third = demo_worker(&f, "demo.s03").await;
    let mut health = Vec::new();
    for who in [Who::Admin, Who::Supervisor, Who::Counsellor] {
        let cookie = sign_in(&f.router, who).await;
        let page = timeline(&f, cookie.as_deref(), &third, "kind=observation&before=").await;
        assert!(
            page.items
                .iter()
                .all(|i| i.kind == TimelineKind::Observation)
        );
        let seen = page.items.iter().any(|i| i.title == "Frein · Santé");
        if seen {
            assert!(page.items.iter().any(|i| i.sensitive));
        }
        health.push((who, seen));
    }
    assert_eq!(
        health,
        vec![
            (Who::Admin, false),
            (Who::Supervisor, true),
            (Who::Counsellor, true)
        ]
    );

    // The first worker's weeks: their days present add up to the report's
    // over the same window; the open alert is marked.
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let first = f.ids.worker.clone();
    let page = timeline(&f, cip.as_deref(), &first, "").await;
    assert!(
        page.items
            .iter()
            .any(|i| i.open_alert && i.kind == TimelineKind::Observation)
    );
    assert!(
        page.items.windows(2).all(|w| w[0].on >= w[1].on),
        "newest first"
    );
    let weeks: Vec<_> = page
        .items
        .iter()
        .filter(|i| i.kind == TimelineKind::Presence)
        .collect();
    assert!(weeks.len() >= 4, "the demo holds four weeks of roll calls");
    let (status, body, _) = call(
        &f.router,
        "/api/attendance/report",
        format!(
            "filter[team_id]=&filter[worker_id]={first}&filter[from]={}&filter[to]={}",
            page.from, page.to
        ),
        cip.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let report: PeriodReport = serde_json::from_str(&body).expect("report");
    let days_present: f64 = weeks
        .iter()
        .map(|w| {
            let n = w.detail.split(" j présent·e").next().expect("days present");
            n.replace(',', ".")
                .parse::<f64>()
                .expect("a number of days")
        })
        .sum();
    assert_eq!(
        days_present,
        f64::from(report.workers[0].summary.present) / 2.0
    );

    // Windows of 8 weeks back to the contract's start, then no older one.
    let start: String = sqlx::query_scalar("SELECT contract_start FROM workers WHERE id = $1")
        .bind(&first)
        .fetch_one(&db)
        .await
        .expect("start");
    let mut before = String::new();
    let mut windows = 0;
    loop {
        let page = timeline(
            &f,
            cip.as_deref(),
            &first,
            &format!("kind=parcours&before={before}"),
        )
        .await;
        windows += 1;
        match page.older {
            Some(older) => {
                assert!(older < page.from);
                before = older;
            }
            None => {
                assert_eq!(page.from, start);
                assert!(page.items.iter().any(|i| i.title == "Début du contrat"));
                break;
            }
        }
        assert!(windows < 100, "the windows never reach the start");
    }

    // Bad input: a precise status and a French sentence.
    for (query, message) in [
        ("kind=tout", "Type de ligne : choix inconnu."),
        ("before=hier", "Jusqu'au : date invalide."),
    ] {
        let (status, body, _) = call(
            &f.router,
            "/api/people/timeline",
            format!("worker_id={first}&{query}"),
            cip.as_deref(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(body.contains(message), "{body}");
    }
}

/// Issue 20's benchmark, on demand (`bench/timeline.sh`; issue 21's bilan
/// PDF at its end, `bench/bilan-pdf.sh`): a person with two
/// years of parcours (a roll call every working day, three observations a
/// week, two evaluated sessions a month, twelve objectives with their steps),
/// then the first window of their timeline and their whole file, each asked
/// 200 times through the real router by their counsellor: p50 / p95 / max.
#[tokio::test]
#[ignore = "a benchmark: bench/timeline.sh"]
async fn bench_timeline_of_two_years() {
    use chrono::{Datelike, Duration};
    use jalon_core::sessions::{CriterionResult, Level};
    let f = fixture().await;
    let db = db_of(&f);
    let today = app::backend::db::today_paris();
    let start = today - Duration::days(730);
    let (structure, counsellor): (String, String) =
        sqlx::query_as("SELECT structure_id, id FROM users WHERE login = 'demo.cip'")
            .fetch_one(&db)
            .await
            .expect("counsellor");
    let author: String =
        sqlx::query_scalar("SELECT id FROM users WHERE login = 'demo.encadrant.a'")
            .fetch_one(&db)
            .await
            .expect("supervisor");
    let mut conn = db.acquire().await.expect("conn");
    let worker = add_worker(
        &mut conn,
        &structure,
        "Deux Années",
        &f.ids.team_a,
        Some(&counsellor),
    )
    .await;
    sqlx::query("UPDATE workers SET contract_start = $1 WHERE id = $2")
        .bind(start.to_string())
        .bind(&worker)
        .execute(&mut *conn)
        .await
        .expect("start");
    drop(conn);
    let mut seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM observations")
        .fetch_one(&db)
        .await
        .expect("seq");
    seq += 1_000_000;
    let now = app::backend::db::now();
    let mut tx = db.begin().await.expect("tx");
    let (mut days, mut notes, mut sessions) = (0, 0, 0);
    let mut day = start;
    while day <= today {
        seq += 1;
        let weekday = day.weekday().num_days_from_monday();
        if weekday < 5 {
            let absent = day.ordinal().is_multiple_of(11);
            sqlx::query(
                "INSERT INTO attendance (id, structure_id, worker_id, author_id, version, seq, deleted, \
                 created_at, updated_at, updated_by, last_device, has_conflict, day, slot, status, reason, \
                 reason_text, late_minutes, left_at, change_reason) \
                 VALUES ($1, $2, $3, $4, 1, $5, FALSE, $6, $6, $4, 'bench', FALSE, $7, 'day', $8, $9, '', $10, '', '')",
            )
            .bind(app::backend::db::new_id())
            .bind(&structure)
            .bind(&worker)
            .bind(&author)
            .bind(seq)
            .bind(&now)
            .bind(day.to_string())
            .bind(if absent { "absent" } else { "present" })
            .bind(if absent { "sickness" } else { "" })
            .bind(if !absent && day.ordinal().is_multiple_of(7) { Some(15_i64) } else { None })
            .execute(&mut *tx)
            .await
            .expect("attendance");
            days += 1;
        }
        if matches!(weekday, 0 | 2 | 4) {
            seq += 1;
            let (kind, category) = match day.ordinal() % 5 {
                0 => ("barrier", "mobilite"),
                1 => ("strength", ""),
                2 => ("behaviour", "ponctualite"),
                3 => ("skill", ""),
                _ => ("incident", ""),
            };
            sqlx::query(
                "INSERT INTO observations (id, structure_id, worker_id, author_id, version, seq, deleted, \
                 created_at, updated_at, updated_by, last_device, has_conflict, observed_on, kind, body, \
                 observed_at, category, shared, sensitive, retracted, change_reason, replies) \
                 VALUES ($1, $2, $3, $4, 1, $5, FALSE, $6, $6, $4, 'bench', FALSE, $7, $8, $9, '09:00', $10, \
                 FALSE, FALSE, FALSE, '', '[]')",
            )
            .bind(app::backend::db::new_id())
            .bind(&structure)
            .bind(&worker)
            .bind(&author)
            .bind(seq)
            .bind(&now)
            .bind(day.to_string())
            .bind(kind)
            .bind(format!("Note du {day} : un fait observé sur le chantier, décrit en deux lignes."))
            .bind(category)
            .execute(&mut *tx)
            .await
            .expect("observation");
            notes += 1;
        }
        if day.day() == 10 || day.day() == 24 {
            seq += 1;
            let results: Vec<CriterionResult> = (0..5)
                .map(|n| CriterionResult {
                    key: format!("c{n}"),
                    skill: None,
                    label: format!("Critère {n}"),
                    level: if n < 3 {
                        Level::Acquired
                    } else {
                        Level::InProgress
                    },
                    comment: String::new(),
                })
                .collect();
            sqlx::query(
                "INSERT INTO evaluations (id, structure_id, worker_id, author_id, version, seq, deleted, \
                 created_at, updated_at, updated_by, last_device, has_conflict, session_id, plan_id, title, \
                 afest, held_on, place, duration_min, absent, reflection, results) \
                 VALUES ($1, $2, $3, $4, 1, $5, FALSE, $6, $6, $4, 'bench', FALSE, $1, 'plan', 'Taille de haie', \
                 FALSE, $7, 'Parc', 90, FALSE, '', $8)",
            )
            .bind(app::backend::db::new_id())
            .bind(&structure)
            .bind(&worker)
            .bind(&author)
            .bind(seq)
            .bind(&now)
            .bind(day.to_string())
            .bind(serde_json::to_string(&results).expect("results"))
            .execute(&mut *tx)
            .await
            .expect("evaluation");
            sessions += 1;
        }
        day += Duration::days(1);
    }
    for n in 0..12 {
        seq += 1;
        let defined = start + Duration::days(60 * n);
        let steps: Vec<jalon_core::objectives::Step> = (0..4)
            .map(|s| jalon_core::objectives::Step {
                id: format!("s{s}"),
                title: format!("Étape {s}"),
                done: s < 2,
                done_on: if s < 2 {
                    (defined + Duration::days(10 * (s + 1))).to_string()
                } else {
                    String::new()
                },
                done_by: "Bench".into(),
                from_claim: false,
            })
            .collect();
        sqlx::query(
            "INSERT INTO objectives (id, structure_id, worker_id, author_id, version, seq, deleted, \
             created_at, updated_at, updated_by, last_device, has_conflict, title, kind, skill, barrier, \
             sensitive, target_on, status, reached_on, steps, notes, reviews, answered) \
             VALUES ($1, $2, $3, $4, 1, $5, FALSE, $6, $6, $4, 'bench', FALSE, $7, 'skill', NULL, '', \
             FALSE, $8, 'in_progress', '', $9, '[]', '[]', '[]')",
        )
        .bind(app::backend::db::new_id())
        .bind(&structure)
        .bind(&worker)
        .bind(&counsellor)
        .bind(seq)
        .bind(format!("{defined}T09:00:00Z"))
        .bind(format!("Objectif {n}"))
        .bind((defined + Duration::days(90)).to_string())
        .bind(serde_json::to_string(&steps).expect("steps"))
        .execute(&mut *tx)
        .await
        .expect("objective");
    }
    tx.commit().await.expect("commit");

    let cip = sign_in(&f.router, Who::Counsellor).await;
    let time = |path: &'static str, body: String| {
        let router = f.router.clone();
        let cookie = cip.clone();
        async move {
            let mut ms = Vec::new();
            for _ in 0..200 {
                let t = std::time::Instant::now();
                let (status, _, _) = call(&router, path, body.clone(), cookie.as_deref()).await;
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(status, StatusCode::OK);
            }
            ms.sort_by(f64::total_cmp);
            format!(
                "p50 {:.1} ms · p95 {:.1} ms · max {:.1} ms",
                ms[100], ms[189], ms[199]
            )
        }
    };
    let first = time("/api/people/timeline", format!("worker_id={worker}")).await;
    let file = time("/api/people/get_worker", format!("id={worker}")).await;
    let page = timeline(&f, cip.as_deref(), &worker, "").await;
    println!(
        "two years: {days} roll calls, {notes} observations, {sessions} evaluations, 12 objectives ({})",
        if f.url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    println!(
        "timeline, first window ({} lines): {first}",
        page.items.len()
    );
    println!("worker file with its key figures: {file}");
    // The same person's two years as spreadsheets.
    for path in [
        "/api/attendance/export.csv?detail=1&du=",
        "/api/observations/export.csv?du=",
        "/api/evaluations/export.csv?du=",
        "/api/objectifs/export.csv?du=",
    ] {
        let uri = format!("{path}{start}&au={today}&salarie={worker}");
        let req = Request::builder()
            .uri(&uri)
            .header(header::COOKIE, cip.as_deref().expect("cookie"))
            .body(Body::empty())
            .expect("request");
        let t = std::time::Instant::now();
        let res = f.router.clone().oneshot(req).await.expect("response");
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 26)
            .await
            .expect("body");
        let rows = bytes.iter().filter(|b| **b == b'\n').count();
        println!(
            "two-year export {}: {} rows, {:.1} KiB, {:.0} ms",
            path.split('?').next().unwrap_or(path),
            rows,
            bytes.len() as f64 / 1024.0,
            t.elapsed().as_secs_f64() * 1000.0
        );
    }

    // Issue 21: the same two years as one exit bilan, validated, then its
    // PDF downloaded 20 times (p50 / p95 / max), its pages counted.
    let (status, id, _) = call(
        &f.router,
        "/api/bilans/create",
        format!("worker_id={worker}&kind=exit&audience=team&from={start}&to={today}"),
        cip.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id: String = serde_json::from_str(&id).expect("id");
    let words = serde_json::json!({ "participants": [], "on_attendance": "", "on_barriers": "",
        "on_behaviours": "", "on_skills": "", "on_objectives": "", "worker_words": "Deux années.",
        "conclusions": "Deux années de parcours.", "next_objectives": [], "orientation": "" });
    for (path, body) in [
        (
            "/api/bilans/save",
            format!(
                "id={id}&audience=team&added=&words={}",
                words
                    .to_string()
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect::<String>()
            ),
        ),
        ("/api/bilans/validate", format!("id={id}")),
    ] {
        let (status, text, _) = call(&f.router, path, body, cip.as_deref()).await;
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
    }
    let mut ms = Vec::new();
    let mut pdf = Vec::new();
    for _ in 0..20 {
        // Cold each time: Typst's memory of earlier layouts forgotten, as
        // for a bilan nobody printed before.
        typst::comemo::evict(0);
        let req = Request::builder()
            .uri(format!("/api/bilans/document.pdf?id={id}"))
            .header(header::COOKIE, cip.as_deref().expect("cookie"))
            .body(Body::empty())
            .expect("request");
        let t = std::time::Instant::now();
        let res = f.router.clone().oneshot(req).await.expect("response");
        assert_eq!(res.status(), StatusCode::OK);
        pdf = axum::body::to_bytes(res.into_body(), 1 << 26)
            .await
            .expect("body")
            .to_vec();
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let first = ms[0];
    ms.sort_by(f64::total_cmp);
    // Page objects (`/Type /Page`, not the `/Type /Pages` tree).
    let pages = pdf
        .windows(11)
        .enumerate()
        .filter(|(i, w)| {
            (*w == b"/Type /Page" && pdf.get(i + 11) != Some(&b's'))
                || (w.starts_with(b"/Type/Page") && w[10] != b's')
        })
        .count();
    println!(
        "two-year bilan PDF: {:.1} KiB, {pages} pages · set from scratch 20 times: first {first:.0} ms · p50 {:.0} ms · p95 {:.0} ms · max {:.0} ms",
        pdf.len() as f64 / 1024.0,
        ms[10],
        ms[18],
        ms[19]
    );
}
