//! Tests of `jobs.rs`: what the scheduled jobs do on a real database.
use super::*;

/// A deleted note every active phone has pulled leaves with the daily
/// housekeeping; only its id stays, and the job says so.
#[tokio::test]
async fn the_daily_housekeeping_prunes_the_deletions_every_phone_has_pulled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = app::backend::scratch::database(dir.path(), "jobs").await;
    crate::demo::ensure(&db).await.expect("demo");
    let id: String = sqlx::query_scalar("SELECT id FROM observations ORDER BY seq LIMIT 1")
        .fetch_one(&db)
        .await
        .expect("a demo note");
    sqlx::query("UPDATE observations SET deleted = TRUE WHERE id = $1")
        .bind(&id)
        .execute(&db)
        .await
        .expect("delete");
    // Until every phone active this month has pulled past the deletion, it
    // stays: the demo's phones have not pulled at all.
    let held = app::backend::sync::prune_tombstones(
        &db,
        chrono::Utc::now(),
        app::backend::sync::DEVICE_ACTIVE_DAYS,
    )
    .await
    .expect("prune");
    assert_eq!(held.tombstones, 0);
    sqlx::query(
        "UPDATE sync_devices SET pull_cursor = (SELECT value FROM sync_counter WHERE id = 1)",
    )
    .execute(&db)
    .await
    .expect("every phone pulled");
    run_due(&db, "test").await;
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE id = $1")
        .bind(&id)
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(left, 0, "the tombstone is pruned");
    let kept: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sync_pruned WHERE record_type = 'observation' AND record_id = $1",
    )
    .bind(&id)
    .fetch_one(&db)
    .await
    .expect("kept");
    assert_eq!(kept, 1, "its id stays");
    let summary: String =
        sqlx::query_scalar("SELECT summary FROM job_runs WHERE name = 'housekeeping'")
            .fetch_one(&db)
            .await
            .expect("summary");
    assert!(
        summary.contains("suppressions reçues par tous les appareils oubliées"),
        "{summary}"
    );
}
