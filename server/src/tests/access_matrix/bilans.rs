//! What a bilan starts from (issue 21): the period's records of a person,
//! checked against figures the test computes on its own, and never a
//! sensitive record, even for a reader who may read it.
use super::*;
use app::wire::bilans::BilanPrefill;
use jalon_core::observations::Category;
use jalon_core::sessions::Level;

async fn gathered(
    f: &Fixture,
    cookie: Option<&str>,
    worker: &str,
    from: &str,
    to: &str,
) -> BilanPrefill {
    ok_json(
        f,
        cookie,
        "/api/people/bilan_prefill",
        format!("worker_id={worker}&from={from}&to={to}"),
    )
    .await
}

#[tokio::test]
async fn a_bilan_starts_from_the_periods_figures_and_leaves_sensitive_records_out() {
    let f = fixture().await;
    let db = db_of(&f);
    let today = app::backend::db::today_paris();
    let (from, to) = (
        (today - chrono::Duration::days(60)).to_string(),
        today.to_string(),
    );
    let cip = sign_in(&f.router, Who::Counsellor).await;
    let cip = cip.as_deref();
    let first = f.ids.worker.clone();

    // Skills: one acquired, one in progress, in a session of the period.
    let day = today - chrono::Duration::days(3);
    evaluation(
        &f,
        &first,
        day,
        &[("x", Level::Acquired), ("y", Level::InProgress)],
    )
    .await;
    let bilan = gathered(&f, cip, &first, &from, &to).await;

    // Attendance: the report's own figures for the person and the period.
    let report: app::wire::attendance::PeriodReport = ok_json(
        &f,
        cip,
        "/api/attendance/report",
        format!("filter[team_id]=&filter[worker_id]={first}&filter[from]={from}&filter[to]={to}"),
    )
    .await;
    let summary = &report.workers[0].summary;
    assert_eq!(bilan.attendance.rate, summary.rate());
    assert!(bilan.attendance.rate.is_some(), "the demo points every day");
    assert_eq!(bilan.attendance.present_halves, summary.present);
    assert_eq!(
        bilan
            .attendance
            .absences
            .iter()
            .map(|(_, n)| n)
            .sum::<u32>(),
        summary.absent()
    );

    // Barriers noted in the period, counted here by category.
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT category, COUNT(*) FROM observations WHERE worker_id = $1 AND kind = 'barrier' \
         AND deleted = FALSE AND retracted = FALSE AND sensitive = FALSE \
         AND observed_on >= $2 AND observed_on <= $3 GROUP BY category",
    )
    .bind(&first)
    .bind(&from)
    .bind(&to)
    .fetch_all(&db)
    .await
    .expect("barriers");
    let mut expected: Vec<(String, u32)> = rows
        .into_iter()
        .map(|(code, n)| {
            let label = Category::parse(&code).map_or("Autre", Category::label);
            (label.to_string(), n as u32)
        })
        .collect();
    expected.sort();
    let mut got: Vec<(String, u32)> = bilan
        .barriers
        .iter()
        .filter(|b| b.noted > 0)
        .map(|b| (b.category.clone(), b.noted))
        .collect();
    got.sort();
    assert_eq!(got, expected);
    assert!(!got.is_empty(), "the demo notes a mobility barrier");

    // Skills at their latest level, with the day and the session.
    let skill = |title: &str| bilan.skills.iter().find(|s| s.skill == title).cloned();
    let x = skill("Compétence x").expect("x gathered");
    assert_eq!(
        (x.level, x.on.as_str(), x.session.as_str()),
        (Level::Acquired, day.to_string().as_str(), "Séance")
    );
    assert_eq!(
        skill("Compétence y").map(|s| s.level),
        Some(Level::InProgress)
    );

    // demo.s03's santé barrier: never gathered, even for its readers.
    let third = demo_worker(&f, "demo.s03").await;
    for who in [Who::Counsellor, Who::Supervisor, Who::Admin] {
        let cookie = sign_in(&f.router, who).await;
        let bilan = gathered(&f, cookie.as_deref(), &third, &from, &to).await;
        assert!(
            bilan.barriers.iter().all(|b| b.category != "Santé"),
            "{who:?}: {:?}",
            bilan.barriers
        );
        let text = serde_json::to_string(&bilan).expect("json");
        let sensitive: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM observations WHERE worker_id = $1 AND sensitive = TRUE",
        )
        .bind(&third)
        .fetch_all(&db)
        .await
        .expect("sensitive");
        assert!(!sensitive.is_empty());
        for body in sensitive {
            assert!(!text.contains(&body), "{who:?} gets no sensitive text");
        }
    }

    // A worker may not gather a bilan, even of their own file; a period the
    // wrong way round gets a French message.
    let worker = sign_in(&f.router, Who::Worker).await;
    let (status, _, _) = call(
        &f.router,
        "/api/people/bilan_prefill",
        format!("worker_id={first}&from={from}&to={to}"),
        worker.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body, _) = call(
        &f.router,
        "/api/people/bilan_prefill",
        format!("worker_id={first}&from={to}&to={from}"),
        cip,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("avant son début"), "{body}");
}
