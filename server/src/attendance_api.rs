//! The attendance export: `GET /api/attendance/export.csv`, a file to open
//! in Excel or LibreOffice. Same access rules and figures as the screen
//! (jalon_core::attendance::build_report).
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use app::error::AppError;
use app::pages::attendance::{ReportFilter, build_report, csv};

use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/attendance/export.csv", get(export))
}

#[derive(Deserialize)]
struct Params {
    #[serde(default)]
    equipe: String,
    #[serde(default)]
    salarie: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    /// "1": one row per day; otherwise one row per person.
    #[serde(default)]
    detail: String,
}

fn refuse(err: AppError) -> Response {
    crate::http::refuse_download(err, "Connectez-vous pour exporter les présences.")
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
    let filter = ReportFilter {
        team_id: params.equipe,
        worker_id: params.salarie,
        from: params.du,
        to: params.au,
    };
    let report = match build_report(&state.db, &actor, filter).await {
        Ok(report) => report,
        Err(e) => return refuse(e),
    };
    let (body, kind) = if params.detail == "1" {
        (csv::detail(&report), "detail")
    } else {
        (csv::summary(&report), "resume")
    };
    let name = format!(
        "presences-{kind}-{}-{}.csv",
        report.filter.from, report.filter.to
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
