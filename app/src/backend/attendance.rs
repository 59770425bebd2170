//! The attendance report on the server: the figures of the workers the
//! person may see (shared by the screen and the CSV export), and the history
//! of one day.
use jalon_core::attendance::rates::{self, Summary};
use jalon_core::attendance::{Attendance, Presence, Slot};

use crate::backend::db::Db;
use crate::backend::policy::Actor;
use crate::error::AppError;
use crate::wire::attendance::*;

/// Computes the report: only workers the person may see, figures from
/// `rates`. Shared by the screen and the CSV export.
pub async fn build_report(
    db: &Db,
    actor: &Actor,
    filter: ReportFilter,
) -> Result<PeriodReport, AppError> {
    use crate::backend::policy::{Action, Resource, WorkerRef, can};
    use chrono::NaiveDate;
    use std::collections::HashMap;

    crate::backend::policy::authorize_reports(db, actor).await?;
    let structure_id = actor.user.structure_id.clone();
    let (from, to) = period(&filter)?;
    let today = crate::backend::db::today_paris();

    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        worker: WorkerRef,
        first_name: String,
        last_name: String,
        team: Option<String>,
        contract_start: String,
        contract_end: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT w.structure_id, w.id AS worker_id, w.team_id, w.counsellor_id, w.user_id, \
         w.first_name, w.last_name, t.name AS team, w.contract_start, w.contract_end \
         FROM workers w LEFT JOIN teams t ON t.id = w.team_id \
         WHERE w.structure_id = $1 ORDER BY w.last_name, w.first_name, w.id",
    )
    .bind(&structure_id)
    .fetch_all(db)
    .await?;
    let visible: Vec<Row> = rows
        .into_iter()
        .filter(|r| can(actor, Action::View, &Resource::Worker(&r.worker)))
        .collect();
    if !filter.worker_id.is_empty()
        && !visible
            .iter()
            .any(|r| r.worker.worker_id == filter.worker_id)
    {
        return Err(AppError::NotFound.respond());
    }

    let all_teams: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM teams WHERE structure_id = $1 ORDER BY name")
            .bind(&structure_id)
            .fetch_all(db)
            .await?;
    let teams: Vec<(String, String)> = all_teams
        .into_iter()
        .filter(|(id, _)| {
            can(
                actor,
                Action::View,
                &Resource::Team {
                    structure_id: &structure_id,
                    team_id: id,
                },
            )
        })
        .collect();
    let team = (!filter.team_id.is_empty()).then_some(filter.team_id.as_str());
    let team_name = match team {
        Some(t) => Some(
            teams
                .iter()
                .find(|(id, _)| id == t)
                .map(|(_, n)| n.clone())
                .ok_or_else(|| AppError::NotFound.respond())?,
        ),
        None => None,
    };

    let history: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT h.worker_id, h.team_id, h.changed_at FROM worker_team_history h \
         JOIN workers w ON w.id = h.worker_id WHERE w.structure_id = $1 ORDER BY h.changed_at, h.id",
    )
    .bind(&structure_id)
    .fetch_all(db)
    .await?;
    let mut teams_of: HashMap<String, rates::Teams> = HashMap::new();
    for (worker_id, team_id, at) in history {
        let day = at
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        if let Some(day) = day {
            teams_of
                .entry(worker_id)
                .or_default()
                .0
                .push((day, team_id));
        }
    }

    #[derive(sqlx::FromRow)]
    struct EntryRow {
        worker_id: String,
        day: String,
        slot: String,
        status: String,
        reason: String,
        reason_text: String,
        late_minutes: Option<i64>,
        left_at: String,
        change_reason: String,
        version: i64,
    }
    let entries: Vec<EntryRow> = sqlx::query_as(
        "SELECT worker_id, day, slot, status, reason, reason_text, late_minutes, left_at, \
         change_reason, version FROM attendance \
         WHERE structure_id = $1 AND deleted = FALSE AND day >= $2 AND day <= $3 \
         ORDER BY day, slot",
    )
    .bind(&structure_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db)
    .await?;
    let mut entries_of: HashMap<String, Vec<(Attendance, i64)>> = HashMap::new();
    for e in entries {
        let (Some(slot), status) = (Slot::parse(&e.slot), e.status.as_str()) else {
            continue;
        };
        let entry = Attendance {
            worker_id: e.worker_id.clone(),
            day: e.day,
            slot,
            status: if status == "absent" {
                Presence::Absent
            } else {
                Presence::Present
            },
            reason: jalon_core::attendance::AbsenceReason::parse(&e.reason),
            reason_text: e.reason_text,
            late_minutes: e.late_minutes.unwrap_or(0),
            left_at: e.left_at,
            change_reason: e.change_reason,
        };
        entries_of
            .entry(e.worker_id)
            .or_default()
            .push((entry, e.version));
    }

    let mut workers = Vec::new();
    let mut total = Summary::default();
    let no_teams = rates::Teams::default();
    for r in visible {
        let id = r.worker.worker_id.clone();
        if !filter.worker_id.is_empty() && id != filter.worker_id {
            continue;
        }
        let worker_teams = teams_of.get(&id).unwrap_or(&no_teams);
        if let Some(t) = team {
            let mut day = from;
            let mut member = false;
            while day <= to && !member {
                member = worker_teams.on(day) == Some(t);
                day += chrono::Duration::days(1);
            }
            if !member {
                continue;
            }
        }
        let Ok(start) = NaiveDate::parse_from_str(&r.contract_start, "%Y-%m-%d") else {
            continue;
        };
        let contract = rates::Contract {
            start,
            end: r
                .contract_end
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        };
        let list = entries_of.remove(&id).unwrap_or_default();
        let plain: Vec<Attendance> = list.iter().map(|(e, _)| e.clone()).collect();
        // Days still to come are not "non pointés".
        let until = to.min(today);
        let summary = rates::summarize(&plain, &contract, worker_teams, team, from, until);
        let days = list
            .into_iter()
            .filter_map(|(entry, version)| {
                let day = NaiveDate::parse_from_str(&entry.day, "%Y-%m-%d").ok()?;
                if team.is_some_and(|t| worker_teams.on(day) != Some(t)) {
                    return None;
                }
                let not_counted = if let Some(holiday) = rates::public_holiday(day) {
                    Some(format!("jour férié ({holiday})"))
                } else if !rates::working_day(day) {
                    Some("week-end".into())
                } else if !contract.covers(day) {
                    Some("hors contrat".into())
                } else {
                    None
                };
                Some(DayLine {
                    day: entry.day.clone(),
                    slot: entry.slot,
                    entry,
                    changed: version > 1,
                    not_counted,
                })
            })
            .collect();
        total.add(&summary);
        workers.push(WorkerReport {
            worker_id: id,
            first_name: r.first_name,
            last_name: r.last_name,
            team: r.team,
            summary,
            days,
        });
    }
    Ok(PeriodReport {
        filter: ReportFilter {
            from: from.to_string(),
            to: to.to_string(),
            ..filter
        },
        team_name,
        workers,
        total,
        teams,
        half_days: actor.user.half_days,
        is_admin: actor.user.role == jalon_core::roles::Role::Admin,
    })
}

/// The absences among these day lines, by reason (label, half-days), in
/// the order first met; lines that don't count (weekend, holiday, outside
/// the contract) are left out.
pub fn absences_by_reason<'a>(
    lines: impl Iterator<Item = &'a DayLine>,
) -> Vec<(&'static str, u32)> {
    let mut absences: Vec<(&'static str, u32)> = Vec::new();
    for l in lines.filter(|l| l.not_counted.is_none() && l.entry.status == Presence::Absent) {
        let label = l.entry.reason.map_or("Sans motif", |r| r.label());
        match absences.iter_mut().find(|(r, _)| *r == label) {
            Some((_, n)) => *n += l.slot.halves(),
            None => absences.push((label, l.slot.halves())),
        }
    }
    absences
}

/// The period asked for; the current month (Paris) by default.
fn period(filter: &ReportFilter) -> Result<(chrono::NaiveDate, chrono::NaiveDate), AppError> {
    use chrono::{Datelike, NaiveDate};
    let today = crate::backend::db::today_paris();
    let first = today.with_day(1).unwrap_or(today);
    let parse = |s: &str, default: NaiveDate| {
        if s.is_empty() {
            return Ok(default);
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            AppError::Invalid("Indiquez les dates au format jj/mm/aaaa.".into()).respond()
        })
    };
    let from = parse(&filter.from, first)?;
    let to = parse(&filter.to, jalon_core::dates::month_end(first))?;
    if to < from {
        return Err(
            AppError::Invalid("La fin de la période est avant son début.".into()).respond(),
        );
    }
    if (to - from).num_days() > 731 {
        return Err(
            AppError::Invalid("Choisissez une période de deux ans au plus.".into()).respond(),
        );
    }
    Ok((from, to))
}

/// Every change of one worker's day, oldest first.
pub async fn history(
    db: &Db,
    actor: &Actor,
    worker_id: &str,
    day: &str,
) -> Result<Vec<HistoryLine>, AppError> {
    use crate::backend::policy::{Action, Resource, authorize, authorize_reports, worker_ref};
    authorize_reports(db, actor).await?;
    let structure_id = actor.user.structure_id.clone();
    let worker = worker_ref(db, actor, worker_id).await?;
    authorize(db, actor, Action::View, &Resource::Worker(&worker)).await?;
    let ids: Vec<(String, Slot)> = [Slot::Day, Slot::Morning, Slot::Afternoon]
        .into_iter()
        .map(|s| {
            (
                jalon_core::attendance::slot_id(worker_id, day, s).to_string(),
                s,
            )
        })
        .collect();
    /// record id, previous data, new data, reason, who, when
    type Row = (
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.record_id, h.previous, h.data, h.reason, u.display_name, h.changed_at \
         FROM record_history h JOIN users u ON u.id = h.changed_by \
         WHERE h.structure_id = $1 AND h.record_type = $2 AND h.record_id IN ($3, $4, $5) \
         ORDER BY h.changed_at, h.version",
    )
    .bind(&structure_id)
    .bind(jalon_core::attendance::RECORD_TYPE)
    .bind(&ids[0].0)
    .bind(&ids[1].0)
    .bind(&ids[2].0)
    .fetch_all(db)
    .await?;
    let describe = |json: Option<String>, empty: &str| {
        json.and_then(|j| serde_json::from_str::<Attendance>(&j).ok())
            .map_or_else(|| empty.to_string(), |a| a.describe())
    };
    Ok(rows
        .into_iter()
        .map(|(record_id, previous, data, reason, by, at)| HistoryLine {
            slot: ids
                .iter()
                .find(|(id, _)| *id == record_id)
                .map_or(Slot::Day, |(_, s)| *s),
            now: describe(data, "Pointage effacé"),
            before: describe(previous, ""),
            reason,
            by,
            at: crate::backend::db::paris_text(&at),
        })
        .collect())
}
