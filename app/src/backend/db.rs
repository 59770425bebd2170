//! Database access shared by the server functions (and the server binary):
//! connection, embedded migrations, ids and timestamps, and what a database
//! error becomes for the user (`AppError::Busy` or `Internal`).
//!
//! Two engines, chosen by the database URL: **SQLite** (`sqlite://…`, the
//! embedded default: one file, zero setup) and **PostgreSQL** (`postgres://…`,
//! for a hosted network of structures and several server instances). Queries
//! are written once for both (`$1` placeholders, TEXT ids and timestamps,
//! BOOLEAN flags read through [`Flag`]); what differs lives here and in the
//! two migration folders, `app/migrations/sqlite` and `app/migrations/postgres`.
//!
//! **One write transaction at a time, on both engines.** SQLite lets one
//! connection write at a time; `Db` says so in its shape: one writer
//! connection, which every write waits for in turn (in order, asynchronously,
//! holding nothing while it waits, for at most `WRITE_WAIT`), and a pool of
//! read-only connections, which in WAL mode never wait for the writer. On
//! PostgreSQL every write transaction first takes one database-wide lock
//! (`pg_advisory_xact_lock`), waiting at most `WRITE_WAIT`, so write
//! transactions of every instance on the database follow each other exactly
//! as on SQLite: the sync cursor stays gap-free (docs/sync.md) and every
//! "check, then write" rule of the code holds across instances. Reads never
//! take it. A statement goes to the writer unless it is a `SELECT`; `begin`
//! opens a write transaction, `begin_read` a read transaction (one snapshot).
//! See docs/sync.md, "Many phones at once", for why.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::any::{
    AnyPoolOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo, AnyTypeInfoKind, AnyValueRef,
};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::{
    Any, AnyPool, Decode, Either, Execute, Executor, Transaction, Type, error::BoxDynError,
};

use crate::error::AppError;

/// How long a write waits for its turn before the request is answered
/// "busy" (503): a phone retries later, a person is told to.
pub const WRITE_WAIT: Duration = Duration::from_secs(3);
/// How long a read waits for a reader connection.
pub const READ_WAIT: Duration = Duration::from_secs(3);
/// Read-only connections of SQLite (WAL readers run side by side with the writer).
const SQLITE_READERS: u32 = 6;
/// Connections of one instance to PostgreSQL for reads.
const POSTGRES_READERS: u32 = 16;
/// Connections of one instance to PostgreSQL for writes: write transactions
/// follow each other anyway, so a second connection only lets the next one
/// be ready to take the lock; the rest wait for a connection in order, as on
/// SQLite, and never hold one that reads need.
const POSTGRES_WRITERS: u32 = 2;
/// The key of the database-wide lock every PostgreSQL write transaction takes.
const WRITE_LOCK: i64 = 0x004a_616c_6f6e;

/// How many write transactions may wait for the writer before a write that
/// can be sent again later (a phone's sync batch) is refused at once as busy
/// instead of joining the queue: the queue stays under about a second.
pub const MAX_WAITING_WRITES: usize = 24;

/// The database engine behind a `Db`, from the scheme of its URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    /// As `/healthz` and the logs name it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgresql",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    engine: Engine,
    writer: AnyPool,
    readers: AnyPool,
    /// Write transactions waiting for their turn now.
    waiting: Arc<AtomicUsize>,
}

/// Counts a waiting write for as long as it waits (also if it is given up).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("adresse de base de données inconnue (attendu sqlite://… ou postgres://…): {0}")]
    UnknownScheme(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens the database at `url` (creating a SQLite file if needed) and brings
/// its schema up to date.
pub async fn connect(url: &str) -> Result<Db, ConnectError> {
    sqlx::any::install_default_drivers();
    match Engine::of_url(url) {
        Some(Engine::Sqlite) => connect_sqlite(url).await,
        Some(Engine::Postgres) => connect_postgres(url).await,
        None => Err(ConnectError::UnknownScheme(redacted(url))),
    }
}

/// A database URL without its password, for messages and logs.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

async fn connect_sqlite(url: &str) -> Result<Db, ConnectError> {
    // The file and its options are named in the URL; the connection's own
    // settings are set on each new connection.
    let path = url.split('?').next().unwrap_or(url);
    let writer = AnyPoolOptions::new()
        .min_connections(1)
        .max_connections(1)
        .acquire_timeout(WRITE_WAIT)
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                // WAL (kept in the file) lets readers run beside the writer.
                // Only another process (the `jalon` command line) can hold
                // the write lock against the writer connection.
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                )
                .await
                .map(|_| ())
            })
        })
        .connect(&format!("{path}?mode=rwc"))
        .await?;
    SQLITE_MIGRATIONS.run(&writer).await?;
    let readers = AnyPoolOptions::new()
        .max_connections(SQLITE_READERS)
        .acquire_timeout(READ_WAIT)
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                    .await
                    .map(|_| ())
            })
        })
        .connect(&format!("{path}?mode=ro"))
        .await?;
    Ok(Db {
        engine: Engine::Sqlite,
        writer,
        readers,
        waiting: Arc::default(),
    })
}

async fn connect_postgres(url: &str) -> Result<Db, ConnectError> {
    let writer = AnyPoolOptions::new()
        .max_connections(POSTGRES_WRITERS)
        .acquire_timeout(WRITE_WAIT)
        .connect(url)
        .await?;
    // Two instances starting together: the migrator takes a lock of its own,
    // so the second one waits and then finds the schema up to date.
    POSTGRES_MIGRATIONS.run(&writer).await?;
    let readers = AnyPoolOptions::new()
        .max_connections(POSTGRES_READERS)
        .acquire_timeout(READ_WAIT)
        .connect(url)
        .await?;
    Ok(Db {
        engine: Engine::Postgres,
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
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A write transaction: waits for its turn (at most `WRITE_WAIT`), then
    /// holds the write lock from its first line, so it never fails half-way
    /// for want of it.
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        match self.engine {
            Engine::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => {
                let asked = std::time::Instant::now();
                let mut tx = self.writer.begin().await?;
                // What is left of WRITE_WAIT after waiting for the connection.
                let left = WRITE_WAIT
                    .saturating_sub(asked.elapsed())
                    .max(Duration::from_millis(100));
                sqlx::query(&format!(
                    "SET LOCAL lock_timeout = '{}ms'",
                    left.as_millis()
                ))
                .execute(&mut *tx)
                .await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// A write transaction for work that can be sent again later: `None`,
    /// at once, when `MAX_WAITING_WRITES` writes already wait for their turn.
    pub async fn begin_unless_crowded(
        &self,
    ) -> Result<Option<Transaction<'static, Any>>, sqlx::Error> {
        if self.crowded() {
            return Ok(None);
        }
        self.begin().await.map(Some)
    }

    /// Whether `MAX_WAITING_WRITES` write transactions wait for their turn now.
    pub fn crowded(&self) -> bool {
        self.waiting.load(Ordering::SeqCst) >= MAX_WAITING_WRITES
    }

    /// A read transaction: one consistent snapshot of every table, which
    /// never waits for writers.
    pub async fn begin_read(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.readers.begin().await,
            Engine::Postgres => {
                self.readers
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            }
        }
    }

    /// A connection of the writer side (set-up steps and tests). On SQLite
    /// it is the writer itself, so nothing else writes while it is held.
    pub async fn acquire(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        self.writer.acquire().await
    }

    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }

    fn pool_for(&self, sql: &str) -> &AnyPool {
        if reads_only(sql) {
            &self.readers
        } else {
            &self.writer
        }
    }
}

/// `&Db` runs single statements like a pool does, each on the right side.
impl<'p> Executor<'p> for &'p Db {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.pool_for(query.sql()).fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Any>,
    {
        self.pool_for(query.sql()).fetch_optional(query)
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>>
    where
        'p: 'e,
    {
        self.pool_for(sql).prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> BoxFuture<'e, Result<sqlx::Describe<Any>, sqlx::Error>>
    where
        'p: 'e,
    {
        self.pool_for(sql).describe(sql)
    }
}

/// A BOOLEAN column as read from either engine: PostgreSQL hands a boolean,
/// SQLite an integer (0 or 1). Read flags as `Flag` (or, in a `FromRow`
/// struct, `#[sqlx(try_from = "Flag")] field: bool`); write them as `bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        matches!(
            ty.kind(),
            AnyTypeInfoKind::Bool
                | AnyTypeInfoKind::SmallInt
                | AnyTypeInfoKind::Integer
                | AnyTypeInfoKind::BigInt
        )
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <i64 as Decode<Any>>::decode(value.clone()) {
            Ok(n) => Ok(Flag(n != 0)),
            Err(_) => <bool as Decode<Any>>::decode(value).map(Flag),
        }
    }
}

/// Whether a database error means "too busy right now" (the wait for the
/// write turn ran out, or another process held the lock too long): the
/// request may be sent again later, unchanged.
pub fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                // lock_not_available (the write lock's wait ran out),
                // serialization_failure, deadlock_detected, too_many_connections.
                matches!(pg.code(), "55P03" | "40001" | "40P01" | "53300")
            } else {
                // SQLITE_BUSY and its extended codes (…_RECOVERY, …_SNAPSHOT, …_TIMEOUT).
                db.code()
                    .and_then(|code| code.parse::<i32>().ok())
                    .is_some_and(|code| code & 0xff == 5)
            }
        }
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

/// A stored timestamp's day in France, `YYYY-MM-DD`.
pub fn paris_day(stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored)
        .map(|at| paris(at.to_utc()).date().to_string())
        .unwrap_or_else(|_| stored.get(..10).unwrap_or(stored).to_string())
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

/// Column `i` of a row as JSON, whatever its type (text, integer, flag,
/// real, or null): for files that hold rows as they are (the right of
/// access export, the backup check).
pub fn value_json(row: &sqlx::any::AnyRow, i: usize) -> serde_json::Value {
    use sqlx::{Row, ValueRef};
    if row.try_get_raw(i).is_ok_and(|v| v.is_null()) {
        return serde_json::Value::Null;
    }
    if let Ok(text) = row.try_get::<String, _>(i) {
        return text.into();
    }
    if let Ok(n) = row.try_get::<i64, _>(i) {
        return n.into();
    }
    if let Ok(flag) = row.try_get::<Flag, _>(i) {
        return flag.0.into();
    }
    if let Ok(x) = row.try_get::<f64, _>(i) {
        return x.into();
    }
    serde_json::Value::Null
}
