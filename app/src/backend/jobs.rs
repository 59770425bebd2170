//! Work the server does by itself, on a schedule. Each job runs once per
//! period for the whole deployment, whichever instance gets there first:
//! it is claimed in a write transaction (write transactions run one at a
//! time on both engines, across instances on PostgreSQL), which records in
//! `job_runs` when it started and where.
use chrono::{DateTime, Duration, Utc};

use crate::backend::db::{Db, timestamp};
use crate::backend::session::{ABSOLUTE_DAYS, IDLE_DAYS};

/// A scheduled job: its name in `job_runs` and how often it runs.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    pub name: &'static str,
    pub every: Duration,
}

/// Deletes what nobody can use any more: ended sign-in sessions and
/// activation codes past their date. Daily.
pub const HOUSEKEEPING: Job = Job {
    name: "housekeeping",
    every: Duration::hours(24),
};

/// Anonymises the people whose retention period has passed
/// (`backend/retention.rs`). Daily.
pub const RETENTION: Job = Job {
    name: "retention",
    every: Duration::hours(24),
};

/// Whether this instance runs `job` now: `true` for one caller per period,
/// across every instance on the database.
pub async fn claim(
    db: &Db,
    job: Job,
    instance: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let last: Option<String> =
        sqlx::query_scalar("SELECT last_started_at FROM job_runs WHERE name = $1")
            .bind(job.name)
            .fetch_optional(&mut *tx)
            .await?;
    let due = last.is_none_or(|at| at <= timestamp(now - job.every));
    if due {
        sqlx::query(
            "INSERT INTO job_runs (name, last_started_at, instance) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET last_started_at = excluded.last_started_at, \
             last_finished_at = NULL, instance = excluded.instance",
        )
        .bind(job.name)
        .bind(timestamp(now))
        .bind(instance)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(due)
}

/// Records that `job` finished, with a line saying what it did.
pub async fn finished(
    db: &Db,
    job: Job,
    now: DateTime<Utc>,
    summary: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE job_runs SET last_finished_at = $1, summary = $2 WHERE name = $3")
        .bind(timestamp(now))
        .bind(summary)
        .bind(job.name)
        .execute(db)
        .await?;
    Ok(())
}

/// What housekeeping removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub activation_codes: u64,
}

/// Ended sessions (past their absolute end, or idle for `IDLE_DAYS`) and
/// activation codes past their date, used or not, are deleted.
pub async fn housekeeping(db: &Db, now: DateTime<Utc>) -> Result<Swept, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sessions = sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2 OR created_at <= $3",
    )
    .bind(timestamp(now))
    .bind(timestamp(now - Duration::days(IDLE_DAYS)))
    .bind(timestamp(now - Duration::days(ABSOLUTE_DAYS)))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let activation_codes = sqlx::query("DELETE FROM activation_codes WHERE expires_at <= $1")
        .bind(timestamp(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(Swept {
        sessions,
        activation_codes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_job_runs_once_per_period_whatever_the_number_of_instances() {
        let dir = tempfile::tempdir().expect("dir");
        let url = crate::backend::scratch::url(dir.path(), "jobs").await;
        let a = crate::backend::db::connect(&url).await.expect("instance a");
        let b = crate::backend::db::connect(&url).await.expect("instance b");
        let now = Utc::now();
        let race = |at: DateTime<Utc>| {
            let handles: Vec<_> = (0..16)
                .map(|n| {
                    let db = if n % 2 == 0 { a.clone() } else { b.clone() };
                    tokio::spawn(async move {
                        claim(&db, HOUSEKEEPING, &format!("instance-{}", n % 2), at)
                            .await
                            .expect("claim")
                    })
                })
                .collect();
            async move {
                let mut won = 0;
                for h in handles {
                    won += usize::from(h.await.expect("task"));
                }
                won
            }
        };
        assert_eq!(race(now).await, 1, "one instance runs it");
        assert_eq!(
            race(now + Duration::hours(23)).await,
            0,
            "not again the same day"
        );
        assert_eq!(
            race(now + Duration::hours(24)).await,
            1,
            "once the next day"
        );
    }

    #[tokio::test]
    async fn housekeeping_deletes_ended_sessions_and_old_codes_only() {
        let dir = tempfile::tempdir().expect("dir");
        let db = crate::backend::scratch::database(dir.path(), "sweep").await;
        let mut conn = db.acquire().await.expect("conn");
        let structure = crate::backend::people::insert_structure(&mut conn, "Régie", false)
            .await
            .expect("structure");
        let user = crate::backend::people::insert_user(
            &mut conn,
            crate::backend::people::NewUser {
                structure_id: &structure,
                role: jalon_core::roles::Role::Admin,
                login: "r.dupuis",
                display_name: "Rachel Dupuis",
                password_hash: None,
            },
        )
        .await
        .expect("user");
        drop(conn);
        let now = Utc::now();
        let ts = |days: i64| timestamp(now + Duration::days(days));
        // (token, created, last seen, expires): live, idle too long, past its end.
        for (token, created, seen, expires) in [
            ("live", ts(-3), ts(0), ts(57)),
            ("idle", ts(-20), ts(-15), ts(40)),
            ("ended", ts(-61), ts(-1), ts(-1)),
        ] {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token)
            .bind(&user)
            .bind(created)
            .bind(seen)
            .bind(expires)
            .execute(&db)
            .await
            .expect("session");
        }
        for (code, expires) in [("fresh", ts(1)), ("stale", ts(-1))] {
            sqlx::query(
                "INSERT INTO activation_codes (code_hash, user_id, created_by, created_at, expires_at) \
                 VALUES ($1, $2, $2, $3, $4)",
            )
            .bind(code)
            .bind(&user)
            .bind(ts(-2))
            .bind(expires)
            .execute(&db)
            .await
            .expect("code");
        }
        let swept = housekeeping(&db, now).await.expect("housekeeping");
        assert_eq!(
            swept,
            Swept {
                sessions: 2,
                activation_codes: 1
            }
        );
        let left: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(&db)
            .await
            .expect("sessions");
        assert_eq!(left, ["live"]);
        let codes: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM activation_codes")
            .fetch_all(&db)
            .await
            .expect("codes");
        assert_eq!(codes, ["fresh"]);
    }
}
