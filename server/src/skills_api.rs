//! The framework export: `GET /api/referentiels/export.json?id=…`, the
//! exchange file another structure can import (jalon_core::skills::to_file).
use axum::Router;
use serde::Deserialize;

use app::backend::db::Db;
use app::backend::policy::{Action, Actor};
use app::error::AppError;

use crate::downloads::{self, Download};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/referentiels/export.json",
        downloads::get("Connectez-vous pour exporter un référentiel.", export),
    )
}

#[derive(Deserialize)]
struct Params {
    id: String,
}

/// A file name from the title: letters, digits and dashes.
fn file_name(title: &str) -> String {
    let slug: String = jalon_core::skills::new_id(title);
    let stem = slug.rsplit_once('-').map_or(slug.as_str(), |(s, _)| s);
    format!("referentiel-{stem}.json")
}

/// The framework's exchange file.
async fn export(db: Db, actor: Actor, params: Params) -> Result<Download, AppError> {
    let stored = app::backend::skills::load(&db, &actor, Action::View, &params.id).await?;
    Ok(Download {
        content_type: "application/json; charset=utf-8",
        file_name: file_name(&stored.framework.title),
        body: jalon_core::skills::to_file(&stored.framework),
    })
}
