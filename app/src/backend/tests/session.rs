//! Tests of `session.rs`, kept apart from the code they test.
use super::*;
use crate::backend::people::{NewUser, insert_structure, insert_user};

async fn setup() -> (tempfile::TempDir, Db, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = crate::backend::scratch::database(dir.path(), "t").await;
    let mut conn = db.acquire().await.expect("conn");
    let sid = insert_structure(&mut conn, "Test", false)
        .await
        .expect("structure");
    let hash = password::hash("secret-long-enough").expect("hash");
    let uid = insert_user(
        &mut conn,
        NewUser {
            structure_id: &sid,
            role: Role::Supervisor,
            login: "enc",
            display_name: "Encadrant Test",
            password_hash: Some(&hash),
        },
    )
    .await
    .expect("user");
    (dir, db, uid)
}

async fn add_session(db: &Db, uid: &str, token: &str, created: DateTime<Utc>) {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash(token))
    .bind(uid)
    .bind(created.to_rfc3339())
    .bind((created + Duration::days(ABSOLUTE_DAYS)).to_rfc3339())
    .execute(db)
    .await
    .expect("session");
}

#[tokio::test]
async fn credentials_are_checked_and_inactive_accounts_refused() {
    let (_dir, db, uid) = setup().await;
    let user = check_credentials(&db, "enc", "secret-long-enough")
        .await
        .expect("ok");
    assert_eq!(user.id, uid);
    assert_eq!(user.role, Role::Supervisor);
    assert_eq!(
        check_credentials(&db, "enc", "wrong").await,
        Err(AppError::BadCredentials)
    );
    assert_eq!(
        check_credentials(&db, "nobody", "secret-long-enough").await,
        Err(AppError::BadCredentials)
    );
    sqlx::query("UPDATE users SET active = FALSE WHERE id = $1")
        .bind(&uid)
        .execute(&db)
        .await
        .expect("deactivate");
    assert_eq!(
        check_credentials(&db, "enc", "secret-long-enough").await,
        Err(AppError::BadCredentials)
    );
}

#[tokio::test]
async fn a_session_lives_while_used_and_dies_when_idle_or_too_old() {
    let (_dir, db, uid) = setup().await;
    let t0 = Utc::now();
    add_session(&db, &uid, "tok", t0).await;
    assert!(user_for_token(&db, "tok", t0).await.expect("q").is_some());
    assert!(user_for_token(&db, "other", t0).await.expect("q").is_none());
    // Used every 10 days: still valid after 50 days...
    for day in [10, 20, 30, 40, 50] {
        let at = t0 + Duration::days(day);
        assert!(
            user_for_token(&db, "tok", at).await.expect("q").is_some(),
            "day {day}"
        );
    }
    // ...but never past the absolute lifetime, even when used.
    let at = t0 + Duration::days(ABSOLUTE_DAYS) + Duration::minutes(1);
    assert!(user_for_token(&db, "tok", at).await.expect("q").is_none());

    add_session(&db, &uid, "idle", t0).await;
    let at = t0 + Duration::days(IDLE_DAYS) + Duration::minutes(1);
    assert!(user_for_token(&db, "idle", at).await.expect("q").is_none());
    // A refused session is gone for good.
    assert!(user_for_token(&db, "idle", t0).await.expect("q").is_none());
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions() {
    let (_dir, db, uid) = setup().await;
    let t0 = Utc::now();
    add_session(&db, &uid, "tok", t0).await;
    sqlx::query("UPDATE users SET active = FALSE WHERE id = $1")
        .bind(&uid)
        .execute(&db)
        .await
        .expect("deactivate");
    assert!(user_for_token(&db, "tok", t0).await.expect("q").is_none());
}
