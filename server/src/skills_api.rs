//! The framework export: `GET /api/referentiels/export.json?id=…`, the
//! exchange file another structure can import (jalon_core::skills::to_file).
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use app::backend::policy::Action;
use app::error::AppError;

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/referentiels/export.json", get(export))
}

#[derive(Deserialize)]
struct Params {
    id: String,
}

fn refuse(err: AppError) -> Response {
    crate::http::refuse_download(err, "Connectez-vous pour exporter un référentiel.")
}

/// A file name from the title: letters, digits and dashes.
fn file_name(title: &str) -> String {
    let slug: String = jalon_core::skills::new_id(title);
    let stem = slug.rsplit_once('-').map_or(slug.as_str(), |(s, _)| s);
    format!("referentiel-{stem}.json")
}

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Params>, QueryRejection>,
) -> Response {
    let Ok(Query(params)) = query else {
        return refuse(AppError::Invalid("Paramètres d'export illisibles.".into()));
    };
    let actor = match crate::http::signed_actor(&state.db, &headers).await {
        Ok(actor) => actor,
        Err(e) => return refuse(e),
    };
    let stored = match app::backend::skills::load(&state.db, &actor, Action::View, &params.id).await
    {
        Ok(stored) => stored,
        Err(e) => return refuse(e),
    };
    (
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    file_name(&stored.framework.title)
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        jalon_core::skills::to_file(&stored.framework),
    )
        .into_response()
}
