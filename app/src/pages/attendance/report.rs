//! The counsellor's and admin's view of attendance: figures per worker and
//! per team over any period, day-by-day detail, CSV export, the history of a
//! day, and the half-day setting. Read on the server (synced records).
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, Loaded, PeriodFields, status_of};
pub use crate::wire::attendance::*;
use jalon_core::attendance::rates::{self, Summary, days, percent};
use jalon_core::attendance::{Presence, Slot};
use jalon_core::dates::{french_date, long_day};

#[server(prefix = "/api", endpoint = "attendance/report")]
pub async fn attendance_report(filter: ReportFilter) -> Result<PeriodReport, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::attendance::build_report(&db, &actor, filter).await
}

/// Every change of one worker's day, oldest first.
#[server(prefix = "/api", endpoint = "attendance/history")]
pub async fn attendance_history(
    worker_id: String,
    day: String,
) -> Result<Vec<HistoryLine>, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    crate::backend::attendance::history(&db, &actor, &worker_id, &day).await
}

/// Admin setting: roll call per half-day (morning and afternoon).
#[server(prefix = "/api", endpoint = "attendance/set_half_days")]
pub async fn set_half_days(enabled: bool) -> Result<(), AppError> {
    use crate::backend::settings::{Setting, set};
    let (db, actor) = crate::backend::policy::require_admin().await?;
    let before = actor.user.half_days;
    set(&db, &actor, Setting::AttendanceHalfDays, before, enabled).await
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

/// The other spreadsheets of the same choice of people and period:
/// observations (sensitive ones only if ticked, and only those the reader
/// may read), session evaluations, objectives and their steps.
#[component]
fn RecordExports(filter: ReportFilter) -> impl IntoView {
    let query = query_string(&filter);
    let hidden = move || {
        view! {
            <input type="hidden" name="equipe" value=filter.team_id.clone()/>
            <input type="hidden" name="salarie" value=filter.worker_id.clone()/>
            <input type="hidden" name="du" value=filter.from.clone()/>
            <input type="hidden" name="au" value=filter.to.clone()/>
        }
    };
    view! {
        <details class="card exports">
            <summary class="exports__summary">"Autres exports de ce choix (CSV)"</summary>
            <form method="get" action="/api/observations/export.csv" class="form">
                {hidden()}
                <label class="check">
                    <input type="checkbox" name="sensibles" value="1"/>
                    <span>"Inclure les observations sensibles (santé, handicap, justice) que je peux lire"</span>
                </label>
                <button type="submit" class="button button--secondary button--wide">"Exporter les observations"</button>
            </form>
            <a class="button button--secondary button--wide" href=format!("/api/evaluations/export.csv?{query}") download>"Exporter les évaluations"</a>
            <a class="button button--secondary button--wide" href=format!("/api/objectifs/export.csv?{query}") download>"Exporter les objectifs et étapes"</a>
        </details>
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
            <PeriodFields from=f.from.clone() to=f.to.clone()/>
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
        <RecordExports filter=f.clone()/>
        <a class="button button--quiet" href=format!("/synthese?du={}&au={}", f.from, f.to)>"Synthèse pour les financeurs de cette période"</a>
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
