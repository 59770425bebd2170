//! Database access shared by the server functions (and the server binary):
//! connection, embedded migrations, ids and timestamps, and what a database
//! error becomes for the user (`AppError::Busy` or `Internal`).
//!
//! SQLite is the embedded default. Queries stay portable ($1 placeholders,
//! TEXT ids and timestamps) so PostgreSQL can take over for hosted
//! deployments; `Db` is the one place naming the engine.
//!
//! SQLite lets one connection write at a time. `Db` says so in its shape:
//! **one writer connection**, which every write waits for in turn (in order,
//! asynchronously, holding nothing while it waits, for at most `WRITE_WAIT`),
//! and a pool of **read-only connections**, which in WAL mode never wait for
//! the writer. A statement goes to the writer unless it is a `SELECT`;
//! `begin` opens a write transaction that holds the write lock from its first
//! line (`BEGIN IMMEDIATE`), `begin_read` a read transaction (one snapshot).
//! See docs/sync.md, "Many phones at once", for why.
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Either, Execute, Executor, Sqlite, Transaction};

use crate::error::AppError;

/// How long a write waits for the writer connection before the request is
/// answered "busy" (503): a phone retries later, a person is told to.
pub const WRITE_WAIT: Duration = Duration::from_secs(3);
/// How long a read waits for a reader connection.
pub const READ_WAIT: Duration = Duration::from_secs(3);
/// Read-only connections (WAL readers run side by side with the writer).
const READERS: u32 = 6;

/// How many write transactions may wait for the writer before a write that
/// can be sent again later (a phone's sync batch) is refused at once as busy
/// instead of joining the queue: the queue stays under about a second.
pub const MAX_WAITING_WRITES: usize = 24;

#[derive(Clone, Debug)]
pub struct Db {
    writer: SqlitePool,
    readers: SqlitePool,
    /// Write transactions waiting for the writer connection now.
    waiting: Arc<AtomicUsize>,
}

/// Counts a waiting write for as long as it waits (also if it is given up).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens (creating if needed) the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .foreign_keys(true)
        .synchronous(SqliteSynchronous::Normal)
        // Only another process (the `jalon` command line) can hold the write
        // lock against the writer connection; readers never wait in WAL mode.
        .busy_timeout(Duration::from_secs(5));
    let writer = SqlitePoolOptions::new()
        .min_connections(1)
        .max_connections(1)
        .acquire_timeout(WRITE_WAIT)
        .test_before_acquire(false)
        .connect_with(
            options
                .clone()
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal),
        )
        .await?;
    MIGRATOR.run(&writer).await?;
    let readers = SqlitePoolOptions::new()
        .max_connections(READERS)
        .acquire_timeout(READ_WAIT)
        .test_before_acquire(false)
        .connect_with(options.read_only(true))
        .await?;
    Ok(Db {
        writer,
        readers,
        waiting: Arc::default(),
    })
}

/// Whether a statement only reads (and so may run on a read-only connection).
fn reads_only(sql: &str) -> bool {
    let first = sql
        .trim_start_matches(|c: char| c.is_whitespace() || c == '(')
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    first.eq_ignore_ascii_case("select")
}

impl Db {
    /// A write transaction: waits for the writer connection, then takes the
    /// write lock at once, so it never fails half-way for want of it.
    pub async fn begin(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        self.writer.begin_with("BEGIN IMMEDIATE").await
    }

    /// A write transaction for work that can be sent again later: `None`,
    /// at once, when `MAX_WAITING_WRITES` writes already wait for the writer.
    pub async fn begin_unless_crowded(
        &self,
    ) -> Result<Option<Transaction<'static, Sqlite>>, sqlx::Error> {
        if self.crowded() {
            return Ok(None);
        }
        self.begin().await.map(Some)
    }

    /// Whether `MAX_WAITING_WRITES` write transactions wait for the writer now.
    pub fn crowded(&self) -> bool {
        self.waiting.load(Ordering::SeqCst) >= MAX_WAITING_WRITES
    }

    /// A read transaction: one consistent snapshot of every table, on a
    /// read-only connection that never waits for writers.
    pub async fn begin_read(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.readers.begin().await
    }

    /// The writer connection itself (set-up steps and tests that write a lot).
    pub async fn acquire(&self) -> Result<PoolConnection<Sqlite>, sqlx::Error> {
        self.writer.acquire().await
    }

    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }

    fn pool_for(&self, sql: &str) -> &SqlitePool {
        if reads_only(sql) {
            &self.readers
        } else {
            &self.writer
        }
    }
}

/// `&Db` runs single statements like a pool does, each on the right side.
impl<'p> Executor<'p> for &'p Db {
    type Database = Sqlite;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<
        'e,
        Result<Either<sqlx::sqlite::SqliteQueryResult, sqlx::sqlite::SqliteRow>, sqlx::Error>,
    >
    where
        'p: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        self.pool_for(query.sql()).fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<sqlx::sqlite::SqliteRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        self.pool_for(query.sql()).fetch_optional(query)
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [sqlx::sqlite::SqliteTypeInfo],
    ) -> BoxFuture<'e, Result<sqlx::sqlite::SqliteStatement<'q>, sqlx::Error>>
    where
        'p: 'e,
    {
        self.pool_for(sql).prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> BoxFuture<'e, Result<sqlx::Describe<Sqlite>, sqlx::Error>>
    where
        'p: 'e,
    {
        self.pool_for(sql).describe(sql)
    }
}

/// Whether a database error means "too busy right now" (the wait for the
/// writer ran out, or another process held the lock too long): the request
/// may be sent again later, unchanged.
pub fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut => true,
        // SQLITE_BUSY and its extended codes (…_RECOVERY, …_SNAPSHOT, …_TIMEOUT).
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| code & 0xff == 5),
        _ => false,
    }
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

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if is_busy(&err) {
            tracing::warn!(error = %err, "database busy");
            return AppError::Busy.respond();
        }
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(test)]
mod routing_tests {
    use super::reads_only;

    #[test]
    fn only_selects_go_to_the_read_only_connections() {
        for sql in [
            "SELECT 1",
            "  select id FROM t",
            "(SELECT 1) UNION (SELECT 2)",
        ] {
            assert!(reads_only(sql), "{sql}");
        }
        for sql in [
            "INSERT INTO t VALUES (1)",
            "UPDATE sync_counter SET value = value + 1 RETURNING value",
            "DELETE FROM t",
            "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
            "PRAGMA foreign_keys = ON",
            "selected",
            "",
        ] {
            assert!(!reads_only(sql), "{sql}");
        }
    }
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
