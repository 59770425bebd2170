//! `jalon backup` and `jalon fingerprint`, for the operator (docs/deploy.md).
//!
//! - `backup --to FILE` copies a SQLite database into one consistent file
//!   (`VACUUM INTO`) while the server keeps running. On PostgreSQL the
//!   engine's own tools do it (`pg_dump`, `pg_restore`).
//! - `fingerprint` prints, per table, its number of rows and a digest of
//!   their contents in key order: two databases with the same lines hold the
//!   same data, which is how a restore is checked (scripts/check-backup.sh).
use std::path::Path;

use sha2::{Digest, Sha256};
use sqlx::{Column, Row};

use app::backend::db::{Db, Engine};

use crate::config::Config;
use crate::error::Error;

pub async fn backup(config: &Config, to: &Path) -> Result<(), Error> {
    let db = app::backend::db::connect(&config.database_url).await?;
    if db.engine() != Engine::Sqlite {
        return Err(Error::Invalid(
            "sur PostgreSQL, sauvegardez avec pg_dump (voir docs/deploy.md)".into(),
        ));
    }
    if to.exists() {
        return Err(Error::Invalid(format!(
            "« {} » existe déjà : choisissez un nouveau fichier",
            to.display()
        )));
    }
    let target = to
        .to_str()
        .ok_or_else(|| Error::Invalid("chemin de sauvegarde illisible".into()))?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&db)
        .await?;
    db.close().await;
    println!("Sauvegarde écrite dans {}.", to.display());
    Ok(())
}

pub async fn fingerprint(config: &Config) -> Result<(), Error> {
    let db = app::backend::db::connect(&config.database_url).await?;
    for line in table_fingerprints(&db).await? {
        println!("{line}");
    }
    db.close().await;
    Ok(())
}

/// "table rows digest", one line per table, tables in name order.
pub async fn table_fingerprints(db: &Db) -> Result<Vec<String>, Error> {
    let tables: Vec<String> = match db.engine() {
        Engine::Sqlite => {
            sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
            )
            .fetch_all(db)
            .await?
        }
        Engine::Postgres => {
            sqlx::query_scalar(
                "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = current_schema() \
                 AND tablename <> '_sqlx_migrations' ORDER BY tablename",
            )
            .fetch_all(db)
            .await?
        }
    };
    // The migrations' own table holds install times the engines type apart;
    // the schema version stands for it.
    let mut lines = vec![format!(
        "schema {}",
        app::backend::db::schema_version(db).await?
    )];
    for table in tables {
        // Every column in order, so rows come in one order on both sides.
        let probe = sqlx::query(&format!("SELECT * FROM {table} LIMIT 1"))
            .fetch_optional(db)
            .await?;
        let width = match &probe {
            Some(row) => row.columns().len(),
            None => {
                lines.push(format!("{table} 0 -"));
                continue;
            }
        };
        let order: Vec<String> = (1..=width).map(|n| n.to_string()).collect();
        let rows = sqlx::query(&format!(
            "SELECT * FROM {table} ORDER BY {}",
            order.join(", ")
        ))
        .fetch_all(db)
        .await?;
        let mut digest = Sha256::new();
        for row in &rows {
            for column in row.columns() {
                digest.update(column.name().as_bytes());
                digest.update(b"=");
                digest.update(value_text(row, column.ordinal()).as_bytes());
                digest.update(b"\x1f");
            }
            digest.update(b"\x1e");
        }
        let hex = hex::encode(digest.finalize());
        lines.push(format!("{table} {} {}", rows.len(), &hex[..16]));
    }
    Ok(lines)
}

/// A value as text, whatever its type (text, integer, flag, real, or null).
fn value_text(row: &sqlx::any::AnyRow, i: usize) -> String {
    match app::backend::db::value_json(row, i) {
        serde_json::Value::Null => "\u{2205}".into(),
        serde_json::Value::String(text) => format!("'{text}"),
        other => other.to_string(),
    }
}
