//! What a bilan starts from (issue 21): a person's records over a period,
//! gathered for the staff who may read the file. Figures come from the
//! places they are computed everywhere else (the attendance report, the
//! skills' progression); only records without a sensitive category are
//! gathered, whoever asks, so a bilan never carries santé or justice
//! details unless the counsellor adds them herself.
use chrono::NaiveDate;

use crate::backend::attendance::{absences_by_reason, build_report};
use crate::backend::db::{Db, Flag};
use crate::backend::policy::{Action, Actor, ObjectiveRef, ObservationRef, Resource, can};
use crate::error::AppError;
use crate::wire::attendance::ReportFilter;
use crate::wire::bilans::{AttendancePart, BarrierLine, BilanPrefill, SkillLine};
use jalon_core::objectives::Status;
use jalon_core::observations::Category;

/// The records of `worker_id` from `from` to `to` (`YYYY-MM-DD`).
pub async fn prefill(
    db: &Db,
    actor: &Actor,
    worker_id: &str,
    from: &str,
    to: &str,
) -> Result<BilanPrefill, AppError> {
    if actor.user.role == jalon_core::roles::Role::Worker {
        return Err(AppError::NotFound.respond());
    }
    let worker = crate::backend::policy::worker_ref(db, actor, worker_id).await?;
    crate::backend::policy::authorize(db, actor, Action::View, &Resource::Worker(&worker)).await?;
    let invalid =
        || AppError::Invalid("Indiquez la période au format jj/mm/aaaa.".into()).respond();
    let start = NaiveDate::parse_from_str(from, "%Y-%m-%d").map_err(|_| invalid())?;
    let end = NaiveDate::parse_from_str(to, "%Y-%m-%d").map_err(|_| invalid())?;
    let report = build_report(
        db,
        actor,
        ReportFilter {
            team_id: String::new(),
            worker_id: worker_id.to_string(),
            from: start.to_string(),
            to: end.to_string(),
        },
    )
    .await?;
    let line = report.workers.first().ok_or(AppError::Internal)?;
    let worker_name = format!("{} {}", line.first_name, line.last_name);
    let attendance = AttendancePart {
        rate: line.summary.rate(),
        expected_halves: line.summary.expected,
        pointed_halves: line.summary.recorded,
        present_halves: line.summary.present,
        absences: absences_by_reason(line.days.iter())
            .into_iter()
            .map(|(label, n)| (label.to_string(), n))
            .collect(),
        late_count: line.summary.late_count,
        late_minutes: line.summary.late_minutes,
    };
    let (from, to) = (start.to_string(), end.to_string());
    let within = |day: &str| day >= from.as_str() && day <= to.as_str();

    #[derive(sqlx::FromRow)]
    struct Observation {
        author_id: String,
        observed_on: String,
        kind: String,
        category: String,
        body: String,
        shared: Flag,
        sensitive: Flag,
    }
    let observations: Vec<Observation> = sqlx::query_as(
        "SELECT author_id, observed_on, kind, category, body, shared, sensitive FROM observations \
         WHERE worker_id = $1 AND deleted = FALSE AND retracted = FALSE AND observed_on <= $2 \
         ORDER BY observed_on, id",
    )
    .bind(worker_id)
    .bind(&to)
    .fetch_all(db)
    .await?;
    let mut barriers: Vec<BarrierLine> = Vec::new();
    let mut behaviours: Vec<(String, u32)> = Vec::new();
    let mut strengths = Vec::new();
    for o in observations.iter().filter(|o| {
        let access = ObservationRef {
            worker: &worker,
            author_id: &o.author_id,
            sensitive: o.sensitive.into(),
            shared: o.shared.into(),
        };
        !bool::from(o.sensitive) && can(actor, Action::View, &Resource::Observation(&access))
    }) {
        let label = Category::parse(&o.category).map_or("Autre", Category::label);
        match o.kind.as_str() {
            "barrier" => {
                let line = match barriers.iter_mut().position(|b| b.category == label) {
                    Some(i) => &mut barriers[i],
                    None => {
                        barriers.push(BarrierLine {
                            category: label.to_string(),
                            noted: 0,
                            lifted: 0,
                            still_open: true,
                        });
                        let last = barriers.len() - 1;
                        &mut barriers[last]
                    }
                };
                if within(&o.observed_on) {
                    line.noted += 1;
                }
            }
            "behaviour" if within(&o.observed_on) => {
                match behaviours.iter_mut().find(|(l, _)| l == label) {
                    Some((_, n)) => *n += 1,
                    None => behaviours.push((label.to_string(), 1)),
                }
            }
            "strength" if within(&o.observed_on) => {
                strengths.push((o.observed_on.clone(), o.body.clone()));
            }
            _ => {}
        }
    }

    #[derive(sqlx::FromRow)]
    struct StoredObjective {
        author_id: String,
        sensitive: Flag,
        title: String,
        kind: String,
        barrier: String,
        status: String,
        reached_on: String,
        reviews: Option<String>,
    }
    let objectives: Vec<StoredObjective> = sqlx::query_as(
        "SELECT author_id, sensitive, title, kind, barrier, status, reached_on, reviews \
         FROM objectives WHERE worker_id = $1 AND deleted = FALSE ORDER BY created_at, id",
    )
    .bind(worker_id)
    .fetch_all(db)
    .await?;
    let (mut reached, mut open, mut readjusted) = (Vec::new(), Vec::new(), Vec::new());
    for o in objectives.iter().filter(|o| {
        let access = ObjectiveRef {
            worker: &worker,
            author_id: &o.author_id,
            sensitive: o.sensitive.into(),
        };
        !bool::from(o.sensitive) && can(actor, Action::View, &Resource::Objective(&access))
    }) {
        let reviews: Vec<jalon_core::objectives::Review> = o
            .reviews
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default();
        let status = Status::parse(&o.status);
        if status == Some(Status::Reached) && within(&o.reached_on) {
            reached.push(o.title.clone());
        } else if status.is_some_and(Status::open) {
            open.push(o.title.clone());
        }
        if reviews.iter().any(|r| within(&r.on)) {
            readjusted.push(o.title.clone());
        }
        if o.kind == "barrier" && status == Some(Status::Reached) && o.reached_on <= to {
            let label = Category::parse(&o.barrier).map_or("Autre", Category::label);
            if let Some(line) = barriers.iter_mut().find(|b| b.category == label) {
                line.still_open = false;
                if within(&o.reached_on) {
                    line.lifted += 1;
                }
            }
        }
    }
    // Barriers neither noted nor lifted in the period, and lifted before it, say nothing of it.
    barriers.retain(|b| b.noted > 0 || b.lifted > 0 || b.still_open);

    let empty = crate::backend::skills::Evidence::default();
    let evaluations = crate::backend::skills::evidence_of(db, &[worker_id]).await?;
    let stored = evaluations.get(worker_id).unwrap_or(&empty);
    let frameworks = crate::backend::skills::all(db, &worker.structure_id).await?;
    let framework = |id: &str| {
        frameworks.iter().find(|f| f.id == id).map_or_else(
            || (String::new(), false),
            |f| {
                (
                    f.framework.title.clone(),
                    f.framework.kind == jalon_core::skills::FrameworkKind::Behaviours,
                )
            },
        )
    };
    let mut skills: Vec<SkillLine> = crate::backend::skills::levels_until(stored, &to)
        .into_iter()
        .filter_map(|p| {
            let latest = p.history.first()?;
            let (framework, behaviour) = framework(&p.skill.framework_id);
            Some(SkillLine {
                framework,
                behaviour,
                framework_id: p.skill.framework_id,
                skill: p.skill.title,
                level: p.level,
                on: latest.held_on.clone(),
                session: latest.situation(),
            })
        })
        .collect();
    skills.sort_by(|a, b| {
        (a.behaviour, &a.framework)
            .cmp(&(b.behaviour, &b.framework))
            .then_with(|| a.skill.cmp(&b.skill))
    });

    Ok(BilanPrefill {
        worker_name,
        from,
        to,
        attendance,
        barriers,
        behaviours,
        strengths,
        skills,
        objectives_reached: reached,
        objectives_open: open,
        objectives_readjusted: readjusted,
    })
}
