//! Brute-force limits on sign-in, counted from the audit log's failed
//! attempts: per account (since its last successful sign-in) and per client
//! address, over a sliding window.
use chrono::{DateTime, Duration, Utc};

use crate::db::{Db, timestamp};
use crate::error::AppError;

pub const WINDOW_MINUTES: i64 = 15;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;

/// `Err(TooManyAttempts)` when this account or address must wait.
pub async fn check(
    db: &Db,
    login: &str,
    ip: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let since = timestamp(at - Duration::minutes(WINDOW_MINUTES));
    let by_account: Vec<String> = sqlx::query_scalar(
        "SELECT at FROM audit_log WHERE action = 'sign_in_failed' AND target_id = $1 AND at > $2 \
         AND at > COALESCE((SELECT MAX(at) FROM audit_log WHERE action = 'sign_in' AND target_id = $1), '') \
         ORDER BY at DESC LIMIT $3",
    )
    .bind(login)
    .bind(&since)
    .bind(MAX_FAILURES_PER_ACCOUNT)
    .fetch_all(db)
    .await?;
    let mut blocked_until: Option<DateTime<Utc>> = None;
    if by_account.len() as i64 >= MAX_FAILURES_PER_ACCOUNT {
        blocked_until = by_account.last().and_then(|t| release_time(t));
    }
    if let Some(ip) = ip {
        let by_address: Vec<String> = sqlx::query_scalar(
            "SELECT at FROM audit_log WHERE action = 'sign_in_failed' AND client_ip = $1 AND at > $2 \
             ORDER BY at DESC LIMIT $3",
        )
        .bind(ip)
        .bind(&since)
        .bind(MAX_FAILURES_PER_ADDRESS)
        .fetch_all(db)
        .await?;
        if by_address.len() as i64 >= MAX_FAILURES_PER_ADDRESS {
            let until = by_address.last().and_then(|t| release_time(t));
            blocked_until = blocked_until.max(until);
        }
    }
    match blocked_until {
        Some(until) if until > at => {
            let minutes = ((until - at).num_seconds() + 59) / 60;
            Err(AppError::TooManyAttempts {
                retry_minutes: minutes.max(1),
            })
        }
        _ => Ok(()),
    }
}

/// When the window that holds this failure has passed.
fn release_time(failure_at: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(failure_at)
        .ok()
        .map(|t| t.with_timezone(&Utc) + Duration::minutes(WINDOW_MINUTES))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Entry, record};

    async fn fail(db: &Db, login: &str) {
        let entry = Entry {
            structure_id: None,
            actor_id: None,
            action: "sign_in_failed",
            target_type: Some("login"),
            target_id: Some(login),
            details: None,
        };
        record(db, entry).await.expect("audit");
    }

    #[tokio::test]
    async fn an_account_is_locked_after_five_failures_for_fifteen_minutes() {
        let dir = tempfile::tempdir().expect("dir");
        let db = crate::db::connect(&format!("sqlite://{}", dir.path().join("t.db").display()))
            .await
            .expect("db");
        let now = Utc::now();
        for _ in 0..4 {
            fail(&db, "enc").await;
        }
        assert!(
            check(&db, "enc", None, now).await.is_ok(),
            "four failures: still allowed"
        );
        fail(&db, "enc").await;
        match check(&db, "enc", None, now).await {
            Err(AppError::TooManyAttempts { retry_minutes }) => {
                assert!((14..=15).contains(&retry_minutes))
            }
            other => panic!("expected a lock, got {other:?}"),
        }
        // Another account is not affected; the lock lifts when the window has passed.
        assert!(check(&db, "cip", None, now).await.is_ok());
        assert!(
            check(&db, "enc", None, now + Duration::minutes(16))
                .await
                .is_ok()
        );
    }
}
