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
    let (status, body, _) = call(
        &f.router,
        "/api/people/get_worker",
        format!("id={worker}"),
        cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).expect("file")
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
    let worker_of = |login: &'static str| {
        let db = db_of(&f);
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT w.id FROM workers w JOIN users u ON u.id = w.user_id WHERE u.login = $1",
            )
            .bind(login)
            .fetch_one(&db)
            .await
            .expect(login)
        }
    };
    let third = worker_of("demo.s03").await;
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

    // A worker's own file carries no staff figures.
    let worker = sign_in(&f.router, Who::Worker).await;
    assert_eq!(file(&f, worker.as_deref(), &first).await.figures, None);
}
