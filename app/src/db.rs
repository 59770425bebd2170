//! Database access shared by the server functions (and the server binary):
//! connection, embedded migrations, ids and timestamps.
//!
//! SQLite is the embedded default. Queries stay portable ($1 placeholders,
//! TEXT ids and timestamps) so PostgreSQL can take over for hosted
//! deployments; `Db` is the one place naming the engine.
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::AppError;

pub type Db = sqlx::SqlitePool;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens (creating if needed) the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// The latest applied migration, as reported by `/healthz`.
pub async fn schema_version(db: &Db) -> Result<i64, sqlx::Error> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(db)
            .await?;
    Ok(version.unwrap_or(0))
}

/// The pool of the current request, provided by the server as context.
pub fn db() -> Result<Db, AppError> {
    leptos::prelude::use_context::<Db>().ok_or_else(|| {
        tracing::error!("no database in context");
        AppError::Internal
    })
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The current time as stored: RFC 3339, UTC, milliseconds, `Z` — a fixed
/// format, so stored timestamps also sort and compare as text.
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Wall-clock time in metropolitan France (the structures' calendar).
pub fn paris(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&chrono_tz::Europe::Paris).naive_local()
}

/// Today's date in metropolitan France.
pub fn today_paris() -> chrono::NaiveDate {
    paris(chrono::Utc::now()).date()
}

/// A stored timestamp as French wall-clock text: "23/11/2026 à 10:05".
pub fn paris_text(stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored)
        .map(|at| paris(at.to_utc()).format("%d/%m/%Y à %H:%M").to_string())
        .unwrap_or_else(|_| stored.to_string())
}

#[cfg(test)]
mod paris_tests {
    #[test]
    fn paris_time_follows_summer_time() {
        assert_eq!(
            super::paris_text("2026-11-23T09:05:00.000Z"),
            "23/11/2026 à 10:05"
        );
        for (utc, paris) in [
            ("2026-07-01T22:30:00Z", "2026-07-02 00:30:00"),
            ("2026-03-29T00:59:00Z", "2026-03-29 01:59:00"),
            ("2026-03-29T01:00:00Z", "2026-03-29 03:00:00"),
            ("2026-10-25T00:59:00Z", "2026-10-25 02:59:00"),
            ("2026-10-25T01:00:00Z", "2026-10-25 02:00:00"),
        ] {
            let at = chrono::DateTime::parse_from_rfc3339(utc).unwrap().to_utc();
            assert_eq!(super::paris(at).to_string(), paris, "{utc}");
        }
    }
}
