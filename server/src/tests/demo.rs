//! Tests of `demo.rs`, kept apart from the code they test.
use super::*;

#[tokio::test]
async fn the_demo_structure_is_created_once_with_every_role() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = app::backend::scratch::database(dir.path(), "demo").await;
    ensure(&db).await.expect("seed");
    ensure(&db).await.expect("seed again");
    let roles: Vec<(String, i64)> =
        sqlx::query_as("SELECT role, COUNT(*) FROM users GROUP BY role ORDER BY role")
            .fetch_all(&db)
            .await
            .expect("roles");
    let roles: Vec<(&str, i64)> = roles.iter().map(|(r, n)| (r.as_str(), *n)).collect();
    assert_eq!(
        roles,
        [
            ("admin", 1),
            ("counsellor", 1),
            ("supervisor", 2),
            ("worker", 16)
        ]
    );
    let per_team: Vec<i64> = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workers w JOIN teams t ON t.id = w.team_id \
         GROUP BY t.name ORDER BY t.name",
    )
    .fetch_all(&db)
    .await
    .expect("teams");
    assert_eq!(per_team, [8, 9], "team B has a newcomer");

    // The worksite: the newcomer's welcome half done, their equipment, a
    // briefing per team this month, one closed near miss.
    let newcomer: String =
        sqlx::query_scalar("SELECT id FROM workers WHERE first_name = $1 AND last_name = $2")
            .bind(worksite::NEWCOMER.0)
            .bind(worksite::NEWCOMER.1)
            .fetch_one(&db)
            .await
            .expect("newcomer");
    let sid: String = sqlx::query_scalar("SELECT id FROM structures WHERE is_demo = TRUE")
        .fetch_one(&db)
        .await
        .expect("demo");
    let (done, total) = app::backend::worksite::welcome_progress(&db, &sid, &newcomer)
        .await
        .expect("progress");
    assert_eq!((done, total), (4, 8), "half of the welcome done");
    // The counsellor's home shows how far the newcomer's welcome is, and
    // only theirs: the others began more than four weeks ago.
    let counsellor = app::backend::session::check_credentials(&db, COUNSELLOR.0, STAFF_PASSWORD)
        .await
        .expect("counsellor signs in");
    let home = app::backend::home::summary(&db, &counsellor)
        .await
        .expect("home");
    let app::wire::home::HomeSummary::Counsellor { workers, .. } = home else {
        panic!("a counsellor's home");
    };
    let welcomes: Vec<(&str, &str)> = workers
        .iter()
        .filter_map(|w| Some((w.name.as_str(), w.welcome.as_deref()?)))
        .collect();
    assert_eq!(welcomes.len(), 1, "{welcomes:?}");
    assert_eq!(welcomes[0].0, "Inès Garnier");
    assert!(
        welcomes[0].1.ends_with("accueil : 4 étape(s) sur 8"),
        "{welcomes:?}"
    );
    let handed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM equipment WHERE worker_id = $1")
        .bind(&newcomer)
        .fetch_one(&db)
        .await
        .expect("equipment");
    assert_eq!(handed, 2);
    let month = app::backend::db::today_paris().format("%Y-%m").to_string();
    let briefings: Vec<(String, i64)> = sqlx::query_as(
        "SELECT team_id, COUNT(DISTINCT briefing_id) FROM briefings \
         WHERE held_on LIKE $1 GROUP BY team_id",
    )
    .bind(format!("{month}-%"))
    .fetch_all(&db)
    .await
    .expect("briefings");
    assert_eq!(briefings.len(), 2, "{briefings:?}");
    assert!(briefings.iter().all(|(_, n)| *n == 1));
    let incidents: Vec<String> = sqlx::query_scalar(
        "SELECT incident FROM observations WHERE kind = 'incident' AND incident IS NOT NULL \
         AND incident <> 'null'",
    )
    .fetch_all(&db)
    .await
    .expect("incidents");
    assert_eq!(incidents.len(), 1);
    let report: jalon_core::observations::IncidentReport =
        serde_json::from_str(&incidents[0]).expect("report");
    assert!(report.near_miss && report.closed_on.is_some() && report.open_actions() == 0);
    // One ended parcours, due for anonymisation within the preview window.
    let due = app::backend::retention::preview(
        &db,
        &sqlx::query_scalar::<_, String>("SELECT id FROM structures WHERE is_demo = TRUE")
            .fetch_one(&db)
            .await
            .expect("demo"),
        app::backend::db::today_paris(),
    )
    .await
    .expect("preview");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].name, "Lucien Marchal");
    assert!(due[0].due_on > app::backend::db::today_paris());
    let structures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM structures WHERE is_demo = TRUE")
            .fetch_one(&db)
            .await
            .expect("structures");
    assert_eq!(structures, 1);
    let user = app::backend::session::check_credentials(&db, "demo.s01", WORKER_PIN)
        .await
        .expect("worker signs in with the demo PIN");
    assert_eq!(user.display_name, "Amina Diallo");
    // One validated entry bilan per worker of team A, shared with them;
    // none for team B.
    let bilans: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT t.name, b.kind, b.status, \
         (SELECT COUNT(*) FROM bilan_shares s WHERE s.bilan_id = b.id AND s.recipient = 'worker') \
         FROM bilans b JOIN workers w ON w.id = b.worker_id JOIN teams t ON t.id = w.team_id",
    )
    .fetch_all(&db)
    .await
    .expect("bilans");
    assert_eq!(bilans.len(), 8);
    assert!(
        bilans
            .iter()
            .all(|(team, kind, status, shared)| team.contains("équipe A")
                && kind == "entry"
                && status == "validated"
                && *shared == 1),
        "{bilans:?}"
    );
}

#[tokio::test]
async fn no_demo_is_added_to_a_database_that_has_a_structure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = app::backend::scratch::database(dir.path(), "real").await;
    let mut conn = db.acquire().await.expect("conn");
    insert_structure(&mut conn, "Régie de quartier", false)
        .await
        .expect("structure");
    drop(conn);
    ensure(&db).await.expect("ensure");
    assert!(!demo_exists(&db).await.expect("query"));
}
