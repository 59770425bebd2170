//! Brute-force limits on sign-in, counted from the audit log's failed
//! attempts: per account (since its last successful sign-in) and per client
//! address, over a sliding window.
use chrono::{DateTime, Duration, Utc};

use crate::backend::db::{Db, timestamp};
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
    // Per account, failures since its last successful sign-in only.
    let by_account = lock_end(
        db,
        "target_id = $1 AND at > COALESCE((SELECT MAX(at) FROM audit_log \
         WHERE action = 'sign_in' AND target_id = $1), '')",
        login,
        &since,
        MAX_FAILURES_PER_ACCOUNT,
    )
    .await?;
    let by_address = match ip {
        Some(ip) => lock_end(db, "client_ip = $1", ip, &since, MAX_FAILURES_PER_ADDRESS).await?,
        None => None,
    };
    let blocked_until = by_account.max(by_address);
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

/// When the lock ends, if `limit` failures matching `filter` (on `$1 = key`)
/// happened since `since`: the oldest of them leaves the window then.
async fn lock_end(
    db: &Db,
    filter: &str,
    key: &str,
    since: &str,
    limit: i64,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let failures: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT at FROM audit_log WHERE action = 'sign_in_failed' AND {filter} AND at > $2 \
         ORDER BY at DESC LIMIT $3"
    ))
    .bind(key)
    .bind(since)
    .bind(limit)
    .fetch_all(db)
    .await?;
    if (failures.len() as i64) < limit {
        return Ok(None);
    }
    Ok(failures.last().and_then(|t| release_time(t)))
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

    async fn fail(db: &Db, login: &str) {
        crate::backend::audit::failed_attempt(db, "login", login)
            .await
            .expect("audit");
    }

    #[tokio::test]
    async fn an_account_is_locked_after_five_failures_for_fifteen_minutes() {
        let dir = tempfile::tempdir().expect("dir");
        let db = crate::backend::scratch::database(dir.path(), "t").await;
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
