//! The files people download, each a plain `GET` through `downloads::get`
//! (signed in, allowed, never cached):
//! - `/api/attendance/export.csv`: the attendance report as a spreadsheet, with
//!   the screen's access rules and figures (`backend::attendance::build_report`);
//! - `/api/observations/export.csv`, `/api/evaluations/export.csv`,
//!   `/api/objectifs/export.csv`: the synced records of the people the exporter
//!   may see (`backend::records_csv`), sensitive observations only when asked;
//! - `/api/synthese/export.csv`: the funders' summary of a period
//!   (`backend::funders`, the figures of the `/synthese` screen);
//! - `/api/referentiels/export.json?id=…`: a framework's exchange file, which
//!   another structure can import (`jalon_core::skills::to_file`).
//!
//! Every file given out is written to the audit log (`downloads`).
use axum::Router;
use serde::Deserialize;

use app::backend::attendance::build_report;
use app::backend::attendance_csv as csv;
use app::backend::db::Db;
use app::backend::policy::{Action, Actor};
use app::error::AppError;
use app::wire::attendance::ReportFilter;

use crate::downloads::{self, Download};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/attendance/export.csv",
            downloads::get(
                "Connectez-vous pour exporter les présences.",
                attendance_csv,
            ),
        )
        .route(
            "/api/observations/export.csv",
            downloads::get(
                "Connectez-vous pour exporter les observations.",
                |db, actor, p| records_csv(db, actor, p, Records::Observations),
            ),
        )
        .route(
            "/api/evaluations/export.csv",
            downloads::get(
                "Connectez-vous pour exporter les évaluations.",
                |db, actor, p| records_csv(db, actor, p, Records::Evaluations),
            ),
        )
        .route(
            "/api/objectifs/export.csv",
            downloads::get(
                "Connectez-vous pour exporter les objectifs.",
                |db, actor, p| records_csv(db, actor, p, Records::Objectives),
            ),
        )
        .route(
            "/api/synthese/export.csv",
            downloads::get("Connectez-vous pour exporter la synthèse.", funders_csv),
        )
        .route(
            "/api/referentiels/export.json",
            downloads::get(
                "Connectez-vous pour exporter un référentiel.",
                framework_file,
            ),
        )
}

/// The report's filters, in the words of the screen's address.
#[derive(Deserialize)]
struct ReportParams {
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
async fn attendance_csv(db: Db, actor: Actor, params: ReportParams) -> Result<Download, AppError> {
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
        body: body.into_bytes(),
    })
}

/// The filters of a record export, in the words of the screens' addresses.
#[derive(Deserialize)]
struct RecordParams {
    #[serde(default)]
    equipe: String,
    #[serde(default)]
    salarie: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    /// "1": sensitive observations the exporter may read are included.
    #[serde(default)]
    sensibles: String,
}

#[derive(Clone, Copy)]
enum Records {
    Observations,
    Evaluations,
    Objectives,
}

async fn records_csv(
    db: Db,
    actor: Actor,
    params: RecordParams,
    records: Records,
) -> Result<Download, AppError> {
    use app::backend::records_csv::{self as export, ExportFilter};
    let filter = ExportFilter {
        team_id: params.equipe,
        worker_id: params.salarie,
        from: params.du,
        to: params.au,
        sensitive: params.sensibles == "1",
    };
    let (body, name) = match records {
        Records::Observations => (
            export::observations(&db, &actor, &filter).await?,
            "observations",
        ),
        Records::Evaluations => (
            export::evaluations(&db, &actor, &filter).await?,
            "evaluations",
        ),
        Records::Objectives => (export::objectives(&db, &actor, &filter).await?, "objectifs"),
    };
    let period = match (filter.from.as_str(), filter.to.as_str()) {
        ("", "") => String::new(),
        (from, to) => format!("-{from}-{to}"),
    };
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!("{name}{period}.csv"),
        body: body.into_bytes(),
    })
}

/// The period of the funders' summary.
#[derive(Deserialize)]
struct PeriodParams {
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

/// The funders' summary as a CSV file.
async fn funders_csv(db: Db, actor: Actor, params: PeriodParams) -> Result<Download, AppError> {
    let summary = app::backend::funders::summary(&db, &actor, &params.du, &params.au).await?;
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!("synthese-{}-{}.csv", summary.from, summary.to),
        body: app::backend::funders::csv(&summary).into_bytes(),
    })
}

/// Which framework.
#[derive(Deserialize)]
struct FrameworkParams {
    id: String,
}

/// A file name from the title: letters, digits and dashes.
fn file_name(title: &str) -> String {
    let slug: String = jalon_core::skills::new_id(title);
    let stem = slug.rsplit_once('-').map_or(slug.as_str(), |(s, _)| s);
    format!("referentiel-{stem}.json")
}

/// The framework's exchange file.
async fn framework_file(
    db: Db,
    actor: Actor,
    params: FrameworkParams,
) -> Result<Download, AppError> {
    let stored = app::backend::skills::load(&db, &actor, Action::View, &params.id).await?;
    Ok(Download {
        content_type: "application/json; charset=utf-8",
        file_name: file_name(&stored.framework.title),
        body: jalon_core::skills::to_file(&stored.framework).into_bytes(),
    })
}
