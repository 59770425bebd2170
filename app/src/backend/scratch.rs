//! Throwaway databases for the tests, on the engine the suite runs against:
//! a SQLite file in the caller's folder, or, when `JALON_TEST_POSTGRES` names
//! a PostgreSQL server (`scripts/postgres.sh start` runs one), a new empty
//! database on that server. The same tests run on both engines.
use std::path::Path;

use sqlx::Connection;

use crate::backend::db::{Db, connect};

/// The variable naming the PostgreSQL server of the tests, as the URL of its
/// `postgres` database: `postgres://jalon@127.0.0.1:54321/postgres`.
pub const POSTGRES_ENV: &str = "JALON_TEST_POSTGRES";

/// The URL of a new, empty database for one test: `dir/name.db` on SQLite,
/// a database of its own on the test server on PostgreSQL.
pub async fn url(dir: &Path, name: &str) -> String {
    match std::env::var(POSTGRES_ENV) {
        Ok(server) if !server.is_empty() => {
            sqlx::any::install_default_drivers();
            let database = format!("jalon_test_{}", uuid::Uuid::now_v7().simple());
            let mut admin = sqlx::AnyConnection::connect(&server)
                .await
                .unwrap_or_else(|err| panic!("{POSTGRES_ENV}={server}: {err}"));
            sqlx::query(&format!("CREATE DATABASE {database}"))
                .execute(&mut admin)
                .await
                .expect("create the test database");
            let _ = admin.close().await;
            let base = server
                .rsplit_once('/')
                .map_or(server.as_str(), |(base, _)| base);
            format!("{base}/{database}")
        }
        _ => format!("sqlite://{}", dir.join(format!("{name}.db")).display()),
    }
}

/// A new, empty database for one test, its schema up to date.
pub async fn database(dir: &Path, name: &str) -> Db {
    connect(&url(dir, name).await).await.expect("test database")
}

/// Which engine the tests run against, for their messages.
pub fn engine() -> &'static str {
    match std::env::var(POSTGRES_ENV) {
        Ok(server) if !server.is_empty() => "postgresql",
        _ => "sqlite",
    }
}
