//! The attendance export: `GET /api/attendance/export.csv`, a file to open
//! in Excel or LibreOffice. Same access rules and figures as the screen
//! (`backend::attendance::build_report`).
use axum::Router;
use serde::Deserialize;

use app::backend::attendance::build_report;
use app::backend::attendance_csv as csv;
use app::wire::attendance::ReportFilter;

use app::backend::db::Db;
use app::backend::policy::Actor;
use app::error::AppError;

use crate::downloads::{self, Download};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/attendance/export.csv",
        downloads::get("Connectez-vous pour exporter les présences.", export),
    )
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

/// The report as a CSV file, per person or per day.
async fn export(db: Db, actor: Actor, params: Params) -> Result<Download, AppError> {
    let filter = ReportFilter {
        team_id: params.equipe,
        worker_id: params.salarie,
        from: params.du,
        to: params.au,
    };
    let report = build_report(&db, &actor, filter).await?;
    let (body, kind) = if params.detail == "1" {
        (csv::detail(&report), "detail")
    } else {
        (csv::summary(&report), "resume")
    };
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!(
            "presences-{kind}-{}-{}.csv",
            report.filter.from, report.filter.to
        ),
        body,
    })
}
