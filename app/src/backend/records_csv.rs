//! The exports of synced records, one spreadsheet per kind (see `csv`):
//! observations, session evaluations (a row per criterion), objectives and
//! their steps (a row per step). Each holds only the people and records the
//! exporter may read; sensitive observations only when asked for, and only
//! those the exporter may read. Filters: team, person, period.
use chrono::NaiveDate;

use crate::backend::csv::{row, start};
use crate::backend::db::{Db, Flag};
use crate::backend::policy::{
    Action, Actor, ObjectiveRef, ObservationRef, Resource, Visible, authorize_reports, can,
    visible_workers,
};
use crate::error::AppError;
use jalon_core::dates::french_date;
use jalon_core::observations::{Category, Kind};

/// What an export covers.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// Empty: every team.
    pub team_id: String,
    /// Empty: every person the exporter may see.
    pub worker_id: String,
    /// `YYYY-MM-DD`, both included; empty: no bound.
    pub from: String,
    pub to: String,
    /// Observations: include the sensitive ones the exporter may read.
    pub sensitive: bool,
}

/// The people of the export, checked: an unknown or hidden person or team is
/// "not found", a malformed date a French sentence.
async fn people(db: &Db, actor: &Actor, f: &ExportFilter) -> Result<Vec<Visible>, AppError> {
    authorize_reports(db, actor).await?;
    for (label, day) in [("Du", &f.from), ("Au", &f.to)] {
        if !day.is_empty() && NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
            return Err(AppError::Invalid(format!("{label} : date invalide.")).respond());
        }
    }
    if !f.from.is_empty() && !f.to.is_empty() && f.from > f.to {
        return Err(AppError::Invalid("La période finit avant de commencer.".into()).respond());
    }
    let mut conn = db.acquire().await?;
    let all = visible_workers(&mut conn, actor).await?;
    let chosen: Vec<Visible> = all
        .into_iter()
        .filter(|v| f.worker_id.is_empty() || v.worker.worker_id == f.worker_id)
        .filter(|v| f.team_id.is_empty() || v.worker.team_id.as_deref() == Some(&f.team_id))
        .collect();
    if chosen.is_empty() && !(f.worker_id.is_empty() && f.team_id.is_empty()) {
        return Err(AppError::NotFound.respond());
    }
    Ok(chosen)
}

fn within(f: &ExportFilter, day: &str) -> bool {
    (f.from.is_empty() || day >= f.from.as_str()) && (f.to.is_empty() || day <= f.to.as_str())
}

fn yes(flag: bool) -> String {
    if flag { "oui" } else { "non" }.into()
}

pub async fn observations(db: &Db, actor: &Actor, f: &ExportFilter) -> Result<String, AppError> {
    let people = people(db, actor, f).await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        author_id: String,
        author: String,
        observed_on: String,
        observed_at: String,
        kind: String,
        category: String,
        body: String,
        shared: Flag,
        sensitive: Flag,
        acknowledged_at: Option<String>,
    }
    let mut out = start();
    out.push_str(&row(&[
        "Date",
        "Heure",
        "Nom",
        "Prénom",
        "Équipe",
        "Type",
        "Catégorie",
        "Texte",
        "Auteur",
        "Partagée avec le salarié",
        "Sensible",
        "Alerte prise en compte le",
    ]
    .map(String::from)));
    for v in &people {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT o.author_id, u.display_name AS author, o.observed_on, o.observed_at, o.kind, \
             o.category, o.body, o.shared, o.sensitive, o.acknowledged_at \
             FROM observations o JOIN users u ON u.id = o.author_id \
             WHERE o.worker_id = $1 AND o.deleted = FALSE AND o.retracted = FALSE \
             ORDER BY o.observed_on, o.observed_at, o.id",
        )
        .bind(&v.worker.worker_id)
        .fetch_all(db)
        .await?;
        for r in rows.into_iter().filter(|r| within(f, &r.observed_on)) {
            let sensitive = bool::from(r.sensitive);
            let access = ObservationRef {
                worker: &v.worker,
                author_id: &r.author_id,
                sensitive,
                shared: r.shared.into(),
            };
            if (sensitive && !f.sensitive)
                || !can(actor, Action::View, &Resource::Observation(&access))
            {
                continue;
            }
            out.push_str(&row(&[
                french_date(&r.observed_on),
                r.observed_at,
                v.card.last_name.clone(),
                v.card.first_name.clone(),
                v.card.team.clone().unwrap_or_default(),
                Kind::parse(&r.kind).map_or(r.kind.clone(), |k| k.label().to_string()),
                Category::parse(&r.category).map_or(String::new(), |c| c.label().to_string()),
                r.body,
                r.author,
                yes(r.shared.into()),
                yes(sensitive),
                r.acknowledged_at
                    .as_deref()
                    .map(|at| french_date(at.get(..10).unwrap_or(at)))
                    .unwrap_or_default(),
            ]));
        }
    }
    Ok(out)
}

pub async fn evaluations(db: &Db, actor: &Actor, f: &ExportFilter) -> Result<String, AppError> {
    use jalon_core::sessions::CriterionResult;
    let people = people(db, actor, f).await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        author: String,
        held_on: String,
        title: String,
        afest: Flag,
        place: String,
        duration_min: Option<i64>,
        absent: Flag,
        results: Option<String>,
    }
    let mut out = start();
    out.push_str(&row(&[
        "Date",
        "Nom",
        "Prénom",
        "Équipe",
        "Séance",
        "AFEST",
        "Lieu",
        "Durée (minutes)",
        "Présent",
        "Compétence",
        "Critère",
        "Niveau",
        "Commentaire",
        "Évalué par",
    ]
    .map(String::from)));
    for v in &people {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT u.display_name AS author, e.held_on, e.title, e.afest, e.place, e.duration_min, \
             e.absent, e.results FROM evaluations e JOIN users u ON u.id = e.author_id \
             WHERE e.worker_id = $1 AND e.deleted = FALSE ORDER BY e.held_on, e.id",
        )
        .bind(&v.worker.worker_id)
        .fetch_all(db)
        .await?;
        for r in rows.into_iter().filter(|r| within(f, &r.held_on)) {
            let results: Vec<CriterionResult> = r
                .results
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default();
            let session = [
                french_date(&r.held_on),
                v.card.last_name.clone(),
                v.card.first_name.clone(),
                v.card.team.clone().unwrap_or_default(),
                r.title.clone(),
                yes(r.afest.into()),
                r.place.clone(),
                r.duration_min.map(|m| m.to_string()).unwrap_or_default(),
                yes(!bool::from(r.absent)),
            ];
            if bool::from(r.absent) || results.is_empty() {
                let mut cells = session.to_vec();
                cells.extend([
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    r.author.clone(),
                ]);
                out.push_str(&row(&cells));
                continue;
            }
            for c in results {
                let mut cells = session.to_vec();
                cells.extend([
                    c.skill.map(|s| s.title).unwrap_or_default(),
                    c.label,
                    c.level.label().to_string(),
                    c.comment,
                    r.author.clone(),
                ]);
                out.push_str(&row(&cells));
            }
        }
    }
    Ok(out)
}

pub async fn objectives(db: &Db, actor: &Actor, f: &ExportFilter) -> Result<String, AppError> {
    use jalon_core::objectives::{Kind as ObjectiveKind, Status, Step};
    let people = people(db, actor, f).await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        author_id: String,
        created_at: String,
        title: String,
        kind: String,
        sensitive: Flag,
        target_on: String,
        status: String,
        reached_on: String,
        steps: Option<String>,
    }
    let mut out = start();
    out.push_str(&row(&[
        "Nom",
        "Prénom",
        "Équipe",
        "Objectif",
        "Type",
        "Défini le",
        "Échéance",
        "Statut",
        "Atteint le",
        "Étape",
        "Étape franchie",
        "Franchie le",
    ]
    .map(String::from)));
    for v in &people {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT author_id, created_at, title, kind, sensitive, target_on, status, reached_on, steps \
             FROM objectives WHERE worker_id = $1 AND deleted = FALSE ORDER BY created_at, id",
        )
        .bind(&v.worker.worker_id)
        .fetch_all(db)
        .await?;
        for r in rows {
            let defined = r.created_at.get(..10).unwrap_or_default().to_string();
            let access = ObjectiveRef {
                worker: &v.worker,
                author_id: &r.author_id,
                sensitive: r.sensitive.into(),
            };
            if !within(f, &defined) || !can(actor, Action::View, &Resource::Objective(&access)) {
                continue;
            }
            let objective = [
                v.card.last_name.clone(),
                v.card.first_name.clone(),
                v.card.team.clone().unwrap_or_default(),
                r.title.clone(),
                ObjectiveKind::parse(&r.kind).map_or(r.kind.clone(), |k| k.label().to_string()),
                french_date(&defined),
                french_date(&r.target_on),
                Status::parse(&r.status).map_or(r.status.clone(), |s| s.label().to_string()),
                french_date(&r.reached_on),
            ];
            let steps: Vec<Step> = r
                .steps
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default();
            if steps.is_empty() {
                let mut cells = objective.to_vec();
                cells.extend([String::new(), String::new(), String::new()]);
                out.push_str(&row(&cells));
            }
            for s in steps {
                let mut cells = objective.to_vec();
                cells.extend([s.title, yes(s.done), french_date(&s.done_on)]);
                out.push_str(&row(&cells));
            }
        }
    }
    Ok(out)
}
