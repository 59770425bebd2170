//! The key figures of one person's parcours, for the staff who may read
//! their file: attendance rates (from the one place rates are computed),
//! open alerts, barriers noted, objectives, the contract's end. Every count
//! holds only the records the reader may read (`policy::can`).
use chrono::{Duration, NaiveDate};

use crate::backend::db::{Db, Flag};
use crate::backend::policy::{
    Action, Actor, ObjectiveRef, ObservationRef, Resource, WorkerRef, can,
};
use crate::error::AppError;
use crate::wire::attendance::ReportFilter;
use crate::wire::parcours::KeyFigures;
use jalon_core::observations::Category;

pub async fn key_figures(
    db: &Db,
    actor: &Actor,
    worker: &WorkerRef,
) -> Result<KeyFigures, AppError> {
    let today = crate::backend::db::today_paris();
    let (contract_start, contract_end): (String, Option<String>) =
        sqlx::query_as("SELECT contract_start, contract_end FROM workers WHERE id = $1")
            .bind(&worker.worker_id)
            .fetch_one(db)
            .await?;
    let rate = |from: String| {
        let filter = ReportFilter {
            team_id: String::new(),
            worker_id: worker.worker_id.clone(),
            from,
            to: today.to_string(),
        };
        async move {
            let report = crate::backend::attendance::build_report(db, actor, filter).await?;
            Ok::<_, AppError>(report.workers.first().and_then(|w| w.summary.rate()))
        }
    };
    let four_weeks_ago = (today - Duration::days(27)).to_string();
    let start = contract_start.clone().min(today.to_string());
    let attendance_4_weeks = rate(four_weeks_ago.max(start.clone())).await?;
    let attendance_since_entry = rate(start).await?;

    #[derive(sqlx::FromRow)]
    struct Observation {
        author_id: String,
        kind: String,
        category: String,
        shared: Flag,
        sensitive: Flag,
        open_alert: Flag,
    }
    let observations: Vec<Observation> = sqlx::query_as(
        "SELECT author_id, kind, category, shared, sensitive, \
         (kind = 'alert' AND acknowledged_at IS NULL) AS open_alert \
         FROM observations WHERE worker_id = $1 AND deleted = FALSE AND retracted = FALSE",
    )
    .bind(&worker.worker_id)
    .fetch_all(db)
    .await?;
    let mut open_alerts = 0;
    let mut barriers: Vec<(String, u32)> = Vec::new();
    for o in observations.iter().filter(|o| {
        let r = ObservationRef {
            worker,
            author_id: &o.author_id,
            sensitive: o.sensitive.into(),
            shared: o.shared.into(),
        };
        can(actor, Action::View, &Resource::Observation(&r))
    }) {
        if bool::from(o.open_alert) {
            open_alerts += 1;
        }
        if o.kind == "barrier" {
            let label = Category::parse(&o.category).map_or("Autre", Category::label);
            match barriers.iter_mut().find(|(l, _)| l == label) {
                Some((_, n)) => *n += 1,
                None => barriers.push((label.to_string(), 1)),
            }
        }
    }
    barriers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let objectives: Vec<(String, String, Flag)> = sqlx::query_as(
        "SELECT author_id, status, sensitive FROM objectives WHERE worker_id = $1 AND deleted = FALSE",
    )
    .bind(&worker.worker_id)
    .fetch_all(db)
    .await?;
    let (mut objectives_reached, mut objectives_open) = (0, 0);
    for (author_id, status, sensitive) in &objectives {
        let r = ObjectiveRef {
            worker,
            author_id,
            sensitive: (*sensitive).into(),
        };
        if !can(actor, Action::View, &Resource::Objective(&r)) {
            continue;
        }
        match jalon_core::objectives::Status::parse(status) {
            Some(jalon_core::objectives::Status::Reached) => objectives_reached += 1,
            Some(s) if s.open() => objectives_open += 1,
            _ => {}
        }
    }

    let days_to_contract_end = contract_end
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|end| (end - today).num_days());
    Ok(KeyFigures {
        attendance_4_weeks,
        attendance_since_entry,
        open_alerts,
        barriers,
        objectives_reached,
        objectives_open,
        days_to_contract_end,
    })
}
