//! The key figures of one person's parcours, for the staff who may read
//! their file: attendance rates (from the one place rates are computed),
//! open alerts, barriers noted, objectives, the contract's end. Every count
//! holds only the records the reader may read (`policy::can`).
use chrono::{Datelike, Duration, NaiveDate};

use crate::backend::db::{Db, Flag};
use crate::backend::policy::{
    Action, Actor, ObjectiveRef, ObservationRef, Resource, WorkerRef, can,
};
use crate::error::AppError;
use crate::wire::attendance::{DayLine, ReportFilter};
use crate::wire::parcours::{KeyFigures, TimelineItem, TimelineKind, TimelinePage};
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
    let observations: Vec<Observation> = sqlx::query_as(&format!(
        "SELECT author_id, kind, category, shared, sensitive, \
         ({} AND acknowledged_at IS NULL) AS open_alert \
         FROM observations WHERE worker_id = $1 AND deleted = FALSE AND retracted = FALSE",
        crate::backend::feed::alert_sql("")
    ))
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

    let objectives: Vec<(String, String, Flag, String)> = sqlx::query_as(
        "SELECT author_id, status, sensitive, kind FROM objectives WHERE worker_id = $1 AND deleted = FALSE",
    )
    .bind(&worker.worker_id)
    .fetch_all(db)
    .await?;
    let (mut objectives_reached, mut objectives_open, mut barriers_lifted) = (0, 0, 0);
    for (author_id, status, sensitive, kind) in &objectives {
        let r = ObjectiveRef {
            worker,
            author_id,
            sensitive: (*sensitive).into(),
        };
        if !can(actor, Action::View, &Resource::Objective(&r)) {
            continue;
        }
        match jalon_core::objectives::Status::parse(status) {
            Some(jalon_core::objectives::Status::Reached) => {
                objectives_reached += 1;
                if kind == "barrier" {
                    barriers_lifted += 1;
                }
            }
            Some(s) if s.open() => objectives_open += 1,
            _ => {}
        }
    }

    // Evaluations are read like the file itself.
    let (mut skills_acquired, mut skills_in_progress) = (0, 0);
    if can(actor, Action::View, &Resource::Worker(worker)) {
        let empty = crate::backend::skills::Evidence::default();
        let evaluations =
            crate::backend::skills::evidence_of(db, &[worker.worker_id.as_str()]).await?;
        let stored = evaluations.get(&worker.worker_id).unwrap_or(&empty);
        for skill in crate::backend::skills::levels_until(stored, &today.to_string()) {
            match skill.level {
                jalon_core::sessions::Level::Acquired => skills_acquired += 1,
                jalon_core::sessions::Level::InProgress => skills_in_progress += 1,
                _ => {}
            }
        }
    }

    let days_to_contract_end = contract_end
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|end| (end - today).num_days());
    // The last bilan validated (a correction counts from its own validation).
    let last_bilan: Option<String> = sqlx::query_scalar(
        "SELECT MAX(validated_at) FROM bilans WHERE worker_id = $1 AND validated_at IS NOT NULL",
    )
    .bind(&worker.worker_id)
    .fetch_one(db)
    .await?;
    Ok(KeyFigures {
        attendance_4_weeks,
        attendance_since_entry,
        open_alerts,
        barriers,
        barriers_lifted,
        skills_acquired,
        skills_in_progress,
        last_bilan,
        objectives_reached,
        objectives_open,
        days_to_contract_end,
        welcome: crate::backend::worksite::welcome_progress(
            db,
            &worker.structure_id,
            &worker.worker_id,
        )
        .await?,
    })
}

/// How many days a timeline window spans: 8 weeks, so that two years of a
/// parcours open one window at a time.
pub const WINDOW_DAYS: i64 = 56;

/// One window of a person's timeline, newest first: attendance summed up per
/// week (from the attendance report, the one place figures are computed),
/// observations, session evaluations, objectives (defined, steps reached,
/// reviews, reached), team changes and parcours events. `before` is the last
/// day of the window (today when empty); `kind` keeps one kind of line.
pub async fn timeline(
    db: &Db,
    actor: &Actor,
    worker: &WorkerRef,
    kind: Option<TimelineKind>,
    before: Option<NaiveDate>,
) -> Result<TimelinePage, AppError> {
    let today = crate::backend::db::today_paris();
    let (contract_start, contract_end, status): (String, Option<String>, String) =
        sqlx::query_as("SELECT contract_start, contract_end, status FROM workers WHERE id = $1")
            .bind(&worker.worker_id)
            .fetch_one(db)
            .await?;
    let parse = |d: &str| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok();
    let start = parse(&contract_start).unwrap_or(today);
    let mut last = today;
    if status == "ended"
        && let Some(end) = contract_end.as_deref().and_then(parse)
    {
        last = last.min(end);
    }
    let to = before.map_or(last, |b| b.min(last)).max(start);
    let from = (to - Duration::days(WINDOW_DAYS - 1)).max(start);
    let (from_s, to_s) = (from.to_string(), to.to_string());
    let wanted = |k: TimelineKind| kind.is_none_or(|only| only == k);
    let mut items: Vec<TimelineItem> = Vec::new();
    let item = |on: String, kind, title: String, detail: String, by: Option<String>| TimelineItem {
        on,
        kind,
        title,
        detail,
        by,
        sensitive: false,
        open_alert: false,
    };

    if wanted(TimelineKind::Presence) {
        let filter = ReportFilter {
            team_id: String::new(),
            worker_id: worker.worker_id.clone(),
            from: from_s.clone(),
            to: to_s.clone(),
        };
        let report = crate::backend::attendance::build_report(db, actor, filter).await?;
        if let Some(w) = report.workers.first() {
            items.extend(presence_weeks(&w.days));
        }
    }

    if wanted(TimelineKind::Observation) {
        #[derive(sqlx::FromRow)]
        struct Row {
            author_id: String,
            author: String,
            observed_on: String,
            kind: String,
            category: String,
            body: String,
            shared: Flag,
            sensitive: Flag,
            open_alert: Flag,
        }
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT o.author_id, u.display_name AS author, o.observed_on, o.kind, o.category, \
             o.body, o.shared, o.sensitive, ({} AND o.acknowledged_at IS NULL) AS open_alert \
             FROM observations o JOIN users u ON u.id = o.author_id \
             WHERE o.worker_id = $1 AND o.deleted = FALSE AND o.retracted = FALSE \
             AND o.observed_on >= $2 AND o.observed_on <= $3",
            crate::backend::feed::alert_sql("o.")
        ))
        .bind(&worker.worker_id)
        .bind(&from_s)
        .bind(&to_s)
        .fetch_all(db)
        .await?;
        for r in rows {
            let access = ObservationRef {
                worker,
                author_id: &r.author_id,
                sensitive: r.sensitive.into(),
                shared: r.shared.into(),
            };
            if !can(actor, Action::View, &Resource::Observation(&access)) {
                continue;
            }
            let kind_label =
                jalon_core::observations::Kind::parse(&r.kind).map_or("Observation", |k| k.label());
            let title = match Category::parse(&r.category) {
                Some(c) => format!("{kind_label} · {}", c.label()),
                None => kind_label.to_string(),
            };
            items.push(TimelineItem {
                sensitive: r.sensitive.into(),
                open_alert: r.open_alert.into(),
                ..item(
                    r.observed_on,
                    TimelineKind::Observation,
                    title,
                    r.body,
                    Some(r.author),
                )
            });
        }
    }

    if wanted(TimelineKind::Evaluation) && can(actor, Action::View, &Resource::Worker(worker)) {
        let rows: Vec<(String, String, Flag, Option<String>, String)> = sqlx::query_as(
            "SELECT e.held_on, e.title, e.absent, e.results, u.display_name \
             FROM evaluations e JOIN users u ON u.id = e.author_id \
             WHERE e.worker_id = $1 AND e.deleted = FALSE AND e.held_on >= $2 AND e.held_on <= $3",
        )
        .bind(&worker.worker_id)
        .bind(&from_s)
        .bind(&to_s)
        .fetch_all(db)
        .await?;
        for (held_on, title, absent, results, by) in rows {
            let detail = if bool::from(absent) {
                "absent·e à la séance".to_string()
            } else {
                evaluation_detail(results.as_deref())
            };
            items.push(item(
                held_on,
                TimelineKind::Evaluation,
                format!("Séance · {title}"),
                detail,
                Some(by),
            ));
        }
    }

    if wanted(TimelineKind::Objective) {
        #[derive(sqlx::FromRow)]
        struct Row {
            author_id: String,
            author: String,
            created_at: String,
            title: String,
            sensitive: Flag,
            status: String,
            reached_on: String,
            steps: Option<String>,
            reviews: Option<String>,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT o.author_id, u.display_name AS author, o.created_at, o.title, o.sensitive, \
             o.status, o.reached_on, o.steps, o.reviews \
             FROM objectives o JOIN users u ON u.id = o.author_id \
             WHERE o.worker_id = $1 AND o.deleted = FALSE",
        )
        .bind(&worker.worker_id)
        .fetch_all(db)
        .await?;
        let within = |day: &str| day >= from_s.as_str() && day <= to_s.as_str();
        for r in rows {
            let access = ObjectiveRef {
                worker,
                author_id: &r.author_id,
                sensitive: r.sensitive.into(),
            };
            if !can(actor, Action::View, &Resource::Objective(&access)) {
                continue;
            }
            let defined_on = r.created_at.get(..10).unwrap_or_default().to_string();
            if within(&defined_on) {
                items.push(item(
                    defined_on,
                    TimelineKind::Objective,
                    format!("Objectif défini · {}", r.title),
                    String::new(),
                    Some(r.author.clone()),
                ));
            }
            let steps: Vec<jalon_core::objectives::Step> = r
                .steps
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default();
            for s in steps.into_iter().filter(|s| s.done && within(&s.done_on)) {
                items.push(item(
                    s.done_on,
                    TimelineKind::Objective,
                    format!("Étape franchie · {}", s.title),
                    format!("objectif : {}", r.title),
                    (!s.done_by.is_empty()).then_some(s.done_by),
                ));
            }
            let reviews: Vec<jalon_core::objectives::Review> = r
                .reviews
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default();
            for rv in reviews.into_iter().filter(|rv| within(&rv.on)) {
                items.push(item(
                    rv.on,
                    TimelineKind::Objective,
                    format!("Objectif revu · {}", r.title),
                    format!("{} ({})", rv.decision, rv.status.label()),
                    Some(rv.by),
                ));
            }
            if r.status == "reached" && within(&r.reached_on) {
                items.push(item(
                    r.reached_on,
                    TimelineKind::Objective,
                    format!("Objectif atteint · {}", r.title),
                    String::new(),
                    None,
                ));
            }
        }
    }

    if wanted(TimelineKind::Parcours) {
        let teams: Vec<(Option<String>, String, Option<String>)> = sqlx::query_as(
            "SELECT t.name, h.changed_at, u.display_name FROM worker_team_history h \
             LEFT JOIN teams t ON t.id = h.team_id LEFT JOIN users u ON u.id = h.changed_by \
             WHERE h.worker_id = $1",
        )
        .bind(&worker.worker_id)
        .fetch_all(db)
        .await?;
        for (team, at, by) in teams {
            let on = at.get(..10).unwrap_or_default().to_string();
            if on >= from_s && on <= to_s {
                items.push(item(
                    on,
                    TimelineKind::Parcours,
                    "Équipe".into(),
                    team.unwrap_or_else(|| "Sans équipe".into()),
                    by,
                ));
            }
        }
        for e in crate::backend::people::parcours_events(db, &worker.worker_id).await? {
            if e.effective_on >= from_s && e.effective_on <= to_s {
                let detail = match e.reason.is_empty() {
                    true => e.detail,
                    false => format!("{} · motif : {}", e.detail, e.reason),
                };
                items.push(item(
                    e.effective_on,
                    TimelineKind::Parcours,
                    e.title,
                    detail,
                    e.by,
                ));
            }
        }
        let start_s = start.to_string();
        if start_s >= from_s && start_s <= to_s {
            items.push(item(
                start_s,
                TimelineKind::Parcours,
                "Début du contrat".into(),
                String::new(),
                None,
            ));
        }
    }

    // Newest first; on one day, the kinds in a fixed order.
    items.sort_by(|a, b| {
        b.on.cmp(&a.on)
            .then_with(|| rank(a.kind).cmp(&rank(b.kind)))
    });
    Ok(TimelinePage {
        items,
        from: from_s,
        to: to_s,
        older: (from > start).then(|| (from - Duration::days(1)).to_string()),
    })
}

fn rank(kind: TimelineKind) -> usize {
    TimelineKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

/// An evaluation in a few words: "3 acquis · 1 en cours".
fn evaluation_detail(results: Option<&str>) -> String {
    use jalon_core::sessions::{CriterionResult, Level};
    let results: Vec<CriterionResult> = results
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let parts: Vec<String> = [Level::Acquired, Level::InProgress, Level::NotAcquired]
        .into_iter()
        .filter_map(|level| {
            let n = results.iter().filter(|r| r.level == level).count();
            (n > 0).then(|| format!("{n} {}", level.label().to_lowercase()))
        })
        .collect();
    if parts.is_empty() {
        "aucun critère évalué".into()
    } else {
        parts.join(" · ")
    }
}

/// The attendance of each week of the window, from the report's day lines
/// (only the days that count): days present, absences by reason, lateness.
fn presence_weeks(days: &[DayLine]) -> Vec<TimelineItem> {
    use jalon_core::attendance::Presence;
    use jalon_core::attendance::rates::days as in_days;
    let mut weeks: Vec<(NaiveDate, Vec<&DayLine>)> = Vec::new();
    for line in days.iter().filter(|l| l.not_counted.is_none()) {
        let Ok(day) = NaiveDate::parse_from_str(&line.day, "%Y-%m-%d") else {
            continue;
        };
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        match weeks.iter_mut().find(|(m, _)| *m == monday) {
            Some((_, lines)) => lines.push(line),
            None => weeks.push((monday, vec![line])),
        }
    }
    weeks
        .into_iter()
        .map(|(monday, lines)| {
            let present: u32 = lines
                .iter()
                .filter(|l| l.entry.status == Presence::Present)
                .map(|l| l.slot.halves())
                .sum();
            let absences = crate::backend::attendance::absences_by_reason(lines.iter().copied());
            let late: Vec<i64> = lines
                .iter()
                .filter(|l| l.entry.status == Presence::Present && l.entry.late_minutes > 0)
                .map(|l| l.entry.late_minutes)
                .collect();
            let mut parts = vec![format!("{} j présent·e", in_days(present))];
            for (reason, n) in absences {
                parts.push(format!(
                    "absent·e {} j ({})",
                    in_days(n),
                    reason.to_lowercase()
                ));
            }
            if !late.is_empty() {
                parts.push(format!(
                    "{} ({} min)",
                    jalon_core::text::plural(late.len(), "retard", "retards"),
                    late.iter().sum::<i64>()
                ));
            }
            TimelineItem {
                on: monday.to_string(),
                kind: TimelineKind::Presence,
                title: "Présences de la semaine".into(),
                detail: parts.join(" · "),
                by: None,
                sensitive: false,
                open_alert: false,
            }
        })
        .collect()
}
