//! The counsellor's and admin's view of attendance: figures per worker and
//! per team over any period, day-by-day detail, CSV export, the history of a
//! day, and the half-day setting. Read on the server (synced records).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, Loaded, status_of};
use jalon_core::attendance::rates::{self, Summary, days, percent};
use jalon_core::attendance::{Attendance, Presence, Slot};
use jalon_core::dates::{french_date, long_day};

/// Which workers and which days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFilter {
    /// Empty: every worker the person may see.
    pub team_id: String,
    /// Empty: every worker of the team (or of the person's reach).
    pub worker_id: String,
    /// `YYYY-MM-DD`; empty: the current month.
    pub from: String,
    pub to: String,
}

/// One pointed day (or half-day) in the detail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayLine {
    pub day: String,
    pub slot: Slot,
    pub entry: Attendance,
    /// Changed after it was first written (see its history).
    pub changed: bool,
    /// Not an expected working day (weekend, public holiday, outside the
    /// contract or the team): shown, not counted.
    pub not_counted: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerReport {
    pub worker_id: String,
    pub first_name: String,
    pub last_name: String,
    pub team: Option<String>,
    pub summary: Summary,
    pub days: Vec<DayLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    pub filter: ReportFilter,
    pub team_name: Option<String>,
    pub workers: Vec<WorkerReport>,
    pub total: Summary,
    /// The teams the person may pick.
    pub teams: Vec<(String, String)>,
    pub half_days: bool,
    pub is_admin: bool,
}

#[server(prefix = "/api", endpoint = "attendance/report")]
pub async fn attendance_report(filter: ReportFilter) -> Result<PeriodReport, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    build_report(&db, &actor, filter).await
}

/// Computes the report: only workers the person may see, figures from
/// `rates`. Shared by the screen and the CSV export.
#[cfg(feature = "ssr")]
pub async fn build_report(
    db: &crate::backend::db::Db,
    actor: &crate::backend::policy::Actor,
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

/// The period asked for; the current month (Paris) by default.
#[cfg(feature = "ssr")]
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
    let to = parse(&filter.to, super::worker::month_end(first))?;
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

/// One version of a pointed day, for its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub at: String,
    pub by: String,
    pub slot: Slot,
    /// What it said after this change ("Effacé" for a deletion).
    pub now: String,
    /// What it said before ("" for the first entry).
    pub before: String,
    pub reason: String,
}

/// Every change of one worker's day, oldest first.
#[server(prefix = "/api", endpoint = "attendance/history")]
pub async fn attendance_history(
    worker_id: String,
    day: String,
) -> Result<Vec<HistoryLine>, AppError> {
    use crate::backend::policy::{Action, Resource, authorize, require_actor, worker_ref};
    let (db, actor) = require_actor().await?;
    crate::backend::policy::authorize_reports(&db, &actor).await?;
    let structure_id = actor.user.structure_id.clone();
    let worker = worker_ref(&db, &actor, &worker_id).await?;
    authorize(&db, &actor, Action::View, &Resource::Worker(&worker)).await?;
    let ids: Vec<(String, Slot)> = [Slot::Day, Slot::Morning, Slot::Afternoon]
        .into_iter()
        .map(|s| {
            (
                jalon_core::attendance::slot_id(&worker_id, &day, s).to_string(),
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
    .fetch_all(&db)
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

/// Admin setting: roll call per half-day (morning and afternoon).
#[server(prefix = "/api", endpoint = "attendance/set_half_days")]
pub async fn set_half_days(enabled: bool) -> Result<(), AppError> {
    use crate::pages::people::accounts::{Setting, set_setting};
    let (db, actor) = crate::backend::policy::require_admin().await?;
    let before = actor.user.half_days;
    set_setting(&db, &actor, Setting::AttendanceHalfDays, before, enabled).await
}

fn query_string(f: &ReportFilter) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "equipe={}&salarie={}&du={}&au={}",
        encode(&f.team_id),
        encode(&f.worker_id),
        encode(&f.from),
        encode(&f.to)
    )
}

/// /presences: figures per worker for a team and a period.
#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        query.with(|q| ReportFilter {
            team_id: q.get("equipe").unwrap_or_default(),
            worker_id: q.get("salarie").unwrap_or_default(),
            from: q.get("du").unwrap_or_default(),
            to: q.get("au").unwrap_or_default(),
        })
    };
    let report = Resource::new(filter, attendance_report);
    view! {
        <Title text="Présences"/>
        <section class="page">
            <h1 class="page__title"><Icon name="check"/>"Présences"</h1>
            <Loaded resource=report render=move |r| view! { <ReportView report=r/> }/>
        </section>
    }
}

#[component]
fn ReportView(report: PeriodReport) -> impl IntoView {
    let f = report.filter.clone();
    let team_options = report
        .teams
        .iter()
        .map(|(id, name)| {
            let selected = *id == f.team_id;
            view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    let export = |kind: &str| {
        format!(
            "/api/attendance/export.csv?{}&detail={kind}",
            query_string(&f)
        )
    };
    let heading = report
        .team_name
        .clone()
        .unwrap_or_else(|| "Toutes les personnes suivies".into());
    let count = report.workers.len();
    let cards = report
        .workers
        .into_iter()
        .map(|w| view! { <WorkerCard report=w/> })
        .collect_view();
    let total = report.total;
    view! {
        <form class="form filters" method="get" action="/presences">
            <div class="filters__row">
                <label class="field">
                    <span class="field__label">"Équipe"</span>
                    <select class="field__input" name="equipe">
                        <option value="" selected=f.team_id.is_empty()>"Toutes"</option>
                        {team_options}
                    </select>
                </label>
            </div>
            <input type="hidden" name="salarie" value=f.worker_id.clone()/>
            <div class="filters__row filters__row--dates">
                <label class="field">
                    <span class="field__label">"Du"</span>
                    <input class="field__input" type="date" name="du" value=f.from.clone()/>
                </label>
                <label class="field">
                    <span class="field__label">"Au"</span>
                    <input class="field__input" type="date" name="au" value=f.to.clone()/>
                </label>
            </div>
            <button type="submit" class="button button--secondary button--wide">"Afficher"</button>
        </form>
        <h2 class="section-title">{heading}</h2>
        {(!f.worker_id.is_empty()).then(|| view! {
            <a class="button button--quiet" href=format!("/presences?du={}&au={}", f.from, f.to)>"Voir toutes les personnes"</a>
        })}
        <p class="muted">{format!("Du {} au {}", french_date(&f.from), french_date(&f.to))}</p>
        <article class="card report-total" aria-label="Ensemble">
            <h3 class="card__title">"Ensemble"</h3>
            <SummaryList summary=total/>
        </article>
        <div class="button-row">
            <a class="button button--secondary" href=export("1") download>"Exporter le détail (CSV)"</a>
            <a class="button button--secondary" href=export("0") download>"Exporter le résumé (CSV)"</a>
        </div>
        {if count == 0 {
            view! { <p class="empty">"Personne dans ce choix : changez d'équipe ou de période."</p> }.into_any()
        } else {
            view! { <ul class="cards" aria-label="Présences par personne">{cards}</ul> }.into_any()
        }}
        {report.is_admin.then(|| view! { <HalfDaySetting enabled=report.half_days/> })}
    }
}

#[component]
fn SummaryList(summary: Summary) -> impl IntoView {
    let s = summary;
    view! {
        <dl class="figures">
            <div><dt>"Taux de présence"</dt><dd data-figure="rate">{percent(s.rate())}</dd></div>
            <div><dt>"Jours présents"</dt><dd data-figure="present">{days(s.present)}</dd></div>
            <div><dt>"Absences justifiées"</dt><dd data-figure="justified">{format!("{} j", days(s.justified))}</dd></div>
            <div><dt>"Absences injustifiées"</dt><dd data-figure="unjustified">{format!("{} j", days(s.unjustified))}</dd></div>
            <div><dt>"Retards"</dt><dd data-figure="late">{format!("{} ({} min)", s.late_count, s.late_minutes)}</dd></div>
            <div><dt>"Départs avant l'heure"</dt><dd data-figure="left-early">{s.left_early}</dd></div>
            <div><dt>"Jours non pointés"</dt><dd data-figure="not-recorded">{days(s.not_recorded())}</dd></div>
        </dl>
    }
}

#[component]
fn WorkerCard(report: WorkerReport) -> impl IntoView {
    let name = format!("{} {}", report.first_name, report.last_name);
    let worker_id = report.worker_id.clone();
    let lines = report
        .days
        .into_iter()
        .map(|line| {
            let worker_id = worker_id.clone();
            let day = line.day.clone();
            let history = line.changed.then(move || view! { <DayHistory worker_id day/> });
            view! {
                <li class="day-line" data-day=line.day.clone() data-status=if line.entry.status == Presence::Present { "present" } else { "absent" }>
                    <span class="day-line__date">{long_day(&line.day)}
                        {(line.slot != Slot::Day).then(|| format!(" · {}", line.slot.label()))}</span>
                    <span>{line.entry.describe()}
                        {line.entry.reason.map(|r| format!(" ({})", rates::justification(Some(r))))}</span>
                    {line.not_counted.map(|why| view! { <span class="muted">{format!("non compté : {why}")}</span> })}
                    {history}
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="card" data-worker=name.clone()>
            <h3 class="card__title">{name.clone()}</h3>
            <p class="card__meta">{report.team.unwrap_or_else(|| "Sans équipe".into())}</p>
            <SummaryList summary=report.summary/>
            <details class="details">
                <summary>"Détail jour par jour"</summary>
                <ul class="day-lines">{lines}</ul>
            </details>
        </li>
    }
}

/// "Modifié" with, on demand, who changed the day, when, and why. Fetched
/// on tap (no resource is created while the page renders).
#[component]
fn DayHistory(worker_id: String, day: String) -> impl IntoView {
    let lines = RwSignal::new(None::<Result<Vec<HistoryLine>, String>>);
    let load = move |_| {
        let (worker_id, day) = (worker_id.clone(), day.clone());
        leptos::task::spawn_local(async move {
            lines.set(Some(
                attendance_history(worker_id, day)
                    .await
                    .map_err(|e| e.to_string()),
            ));
        });
    };
    view! {
        <button type="button" class="button button--quiet" on:click=load>"Modifié : voir l'historique"</button>
        {move || lines.get().map(|result| match result {
            Ok(list) => view! {
                <ol class="history">
                    {list.into_iter().map(|h| view! {
                        <li>
                            {format!("{} · {} : {}", h.at, h.by, h.now)}
                            {(!h.before.is_empty()).then(|| format!(" (avant : {})", h.before))}
                            {(!h.reason.is_empty()).then(|| format!(" — motif : {}", h.reason))}
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any(),
            Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
        })}
    }
}

#[component]
fn HalfDaySetting(enabled: bool) -> impl IntoView {
    let action = ServerAction::<SetHalfDays>::new();
    view! {
        <article class="card">
            <h2 class="card__title">"Réglage du pointage"</h2>
            <p>{if enabled {
                "Le pointage se fait par demi-journée (matin et après-midi)."
            } else {
                "Le pointage se fait à la journée."
            }}</p>
            <ActionForm action=action>
                <input type="hidden" name="enabled" value=(!enabled).to_string()/>
                <button type="submit" class="button button--secondary button--wide">
                    {if enabled { "Pointer à la journée" } else { "Pointer par demi-journée" }}
                </button>
            </ActionForm>
            <FormStatus status=status_of(action) done="Réglage enregistré. Les téléphones l'appliquent à leur prochaine ouverture avec du réseau."/>
        </article>
    }
}
