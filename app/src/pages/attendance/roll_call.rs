//! "Pointage": a supervisor's roll call for one team and one day (or
//! half-day). Reads and writes the phone's store only, so it works the same
//! with the network off; every tap is saved on the phone at once.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::use_user;
use crate::local::sync::use_sync;
use crate::local::sync::{self as client, LocalAction, today_local};
use crate::widgets::icons::Icon;
use crate::widgets::sync_state::state_chip;
use jalon_core::attendance::{
    AbsenceReason, Attendance, Presence, RECORD_TYPE, SCHEMA, Slot, slot_id,
};
use jalon_core::sync::engine::{LocalRecord, RecordState};
use jalon_core::sync::protocol::WorkerCard;

const LATE_CHOICES: [i64; 6] = [5, 10, 15, 30, 45, 60];

/// The screen's choices, from its address.
#[derive(Clone, PartialEq)]
struct Choice {
    team: Option<String>,
    day: String,
    slot: Slot,
}

/// What the address asks for.
struct Asked {
    team: Option<String>,
    day: Option<String>,
    half: Option<String>,
    half_days: bool,
}

impl Asked {
    fn choose(self, teams: &[(String, String)]) -> Choice {
        let team = self
            .team
            .filter(|t| teams.iter().any(|(id, _)| id == t))
            .or_else(|| teams.first().map(|(id, _)| id.clone()));
        let day = self
            .day
            .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
            .unwrap_or_else(today_local);
        let slot = if self.half_days {
            self.half
                .and_then(|s| Slot::parse(&s))
                .filter(|s| *s != Slot::Day)
                .unwrap_or_else(|| {
                    if now_hhmm().as_str() < "13:00" {
                        Slot::Morning
                    } else {
                        Slot::Afternoon
                    }
                })
        } else {
            Slot::Day
        };
        Choice { team, day, slot }
    }
}

fn shift_day(day: &str, by: i64) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(by)).to_string())
        .unwrap_or_else(|_| day.to_string())
}

fn now_hhmm() -> String {
    client::now_local_hhmm()
}

/// The supervisor's teams, from the workers they may write about.
fn teams_of(workers: &[WorkerCard]) -> Vec<(String, String)> {
    let mut teams: Vec<(String, String)> = Vec::new();
    for w in workers.iter().filter(|w| w.writable && !w.ended) {
        if let (Some(id), Some(name)) = (&w.team_id, &w.team)
            && !teams.iter().any(|(t, _)| t == id)
        {
            teams.push((id.clone(), name.clone()));
        }
    }
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    teams
}

fn href(team: &str, day: &str, slot: Slot) -> String {
    let mut url = format!("/pointage?equipe={team}&jour={day}");
    if slot != Slot::Day {
        url.push_str("&demi=");
        url.push_str(slot.as_str());
    }
    url
}

/// Saves entries on the phone, one after the other; the sync follows.
#[derive(Clone, Copy)]
struct Saver {
    sync: crate::local::sync::SyncHandle,
    user: crate::auth::UserResource,
    error: RwSignal<Option<String>>,
}

impl Saver {
    fn save(self, entries: Vec<Attendance>) {
        let author = crate::auth::signed_in_now(self.user);
        leptos::task::spawn_local(async move {
            let records: Vec<(uuid::Uuid, &str, &Attendance)> = entries
                .iter()
                .map(|e| (e.record_id(), e.worker_id.as_str(), e))
                .collect();
            match client::save_to_phone(self.sync, author, RECORD_TYPE, SCHEMA, &records).await {
                Ok(()) => self.error.set(None),
                Err(e) => self.error.set(Some(format!("Pas enregistré : {e}"))),
            }
        });
    }

    fn act(self, action: fn(uuid::Uuid) -> LocalAction<'static>, id: uuid::Uuid) {
        leptos::task::spawn_local(async move {
            if let Err(e) = client::apply(self.sync, action(id)).await {
                self.error.set(Some(format!("Pas enregistré : {e}")));
            }
        });
    }
}

#[component]
pub fn RollCallPage() -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let query = use_query_map();
    let error = RwSignal::new(None::<String>);
    let saver = Saver { sync, user, error };
    // The worker whose other choices (absent, late, left early) are open.
    let open = RwSignal::new(None::<String>);
    let change_reason = RwSignal::new(String::new());
    // A reason belongs to the day it was typed for: another day starts empty.
    Effect::new(move |previous: Option<Option<String>>| {
        let day = query.with(|q| q.get("jour"));
        if previous.is_some_and(|p| p != day) {
            change_reason.set(String::new());
            open.set(None);
        }
        day
    });
    let data = LocalResource::new(move || {
        sync.revision.track();
        async move {
            let workers = client::workers().await.unwrap_or_default();
            let records = client::records(RECORD_TYPE).await.unwrap_or_default();
            (workers, records)
        }
    });
    let half_days = move || {
        user.get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.half_days)
    };
    // Read before any await, so a change of address re-renders the screen.
    let asked = move || {
        query.with(|q| Asked {
            team: q.get("equipe"),
            day: q.get("jour"),
            half: q.get("demi"),
            half_days: half_days(),
        })
    };
    view! {
        <Title text="Pointage"/>
        <section class="page page--narrow roll-call">
            <h1 class="page__title"><Icon name="check"/>"Pointage"</h1>
            <Transition fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || {
                    let asked = asked();
                    Suspend::new(async move {
                    let (workers, records) = data.await;
                    let teams = teams_of(&workers);
                    let choice = asked.choose(&teams);
                    let Some(team) = choice.team.clone() else {
                        return view! {
                            <p class="empty">"Aucune équipe sur ce téléphone. Avec du réseau, ouvrez Jalon une fois : vos équipes s'y enregistrent pour travailler hors ligne."</p>
                        }
                        .into_any();
                    };
                    let roster: Vec<WorkerCard> = workers
                        .into_iter()
                        .filter(|w| w.team_id.as_deref() == Some(team.as_str()) && w.writable && !w.ended)
                        .collect();
                    let view_args = Args {
                        teams,
                        team,
                        choice,
                        roster,
                        records,
                    };
                    roll_call(view_args, saver, open, change_reason).into_any()
                })}}
            </Transition>
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
        </section>
    }
}

struct Args {
    teams: Vec<(String, String)>,
    team: String,
    choice: Choice,
    roster: Vec<WorkerCard>,
    records: Vec<LocalRecord>,
}

/// A worker's line: who, their current entry, and its record.
#[derive(Clone)]
struct Line {
    worker: WorkerCard,
    record: Option<LocalRecord>,
    entry: Option<Attendance>,
}

fn roll_call(
    args: Args,
    saver: Saver,
    open: RwSignal<Option<String>>,
    change_reason: RwSignal<String>,
) -> impl IntoView {
    let Args {
        teams,
        team,
        choice,
        roster,
        records,
    } = args;
    let Choice { day, slot, .. } = choice.clone();
    let today = today_local();
    let past = day < today;
    let lines: Vec<Line> = roster
        .into_iter()
        .map(|worker| {
            let id = slot_id(&worker.id, &day, slot);
            let record = records.iter().find(|r| r.id == id).cloned();
            let entry = record
                .as_ref()
                .and_then(|r| serde_json::from_value::<Attendance>(r.data.clone()).ok());
            Line {
                worker,
                record,
                entry,
            }
        })
        .collect();
    let total = lines.len();
    let present = lines
        .iter()
        .filter(|l| {
            l.entry
                .as_ref()
                .is_some_and(|e| e.status == Presence::Present)
        })
        .count();
    let absent = lines
        .iter()
        .filter(|l| {
            l.entry
                .as_ref()
                .is_some_and(|e| e.status == Presence::Absent)
        })
        .count();
    let remaining: Vec<String> = lines
        .iter()
        .filter(|l| l.entry.is_none())
        .map(|l| l.worker.id.clone())
        .collect();
    let remaining_count = remaining.len();

    // Every change goes through here: a past day needs its reason.
    let ctx = Ctx {
        day: day.clone(),
        slot,
        past,
        saver,
        change_reason,
        open,
    };
    let all_present = {
        let ctx = ctx.clone();
        move |_| {
            let entries = remaining
                .iter()
                .map(|w| Attendance::present(w, &ctx.day, ctx.slot))
                .collect();
            ctx.save(entries);
        }
    };
    let team_links = (teams.len() > 1).then(|| {
        teams
            .iter()
            .map(|(id, name)| {
                let current = *id == team;
                view! {
                    <a class="chip chip--choice" href=href(id, &day, slot) aria-current=current.then_some("page")>{name.clone()}</a>
                }
            })
            .collect_view()
    });
    let team_name = teams
        .iter()
        .find(|(id, _)| *id == team)
        .map(|(_, n)| n.clone())
        .unwrap_or_default();
    let slot_links = (slot != Slot::Day).then(|| {
        [Slot::Morning, Slot::Afternoon]
            .into_iter()
            .map(|s| {
                let current = s == slot;
                view! { <a class="chip chip--choice" href=href(&team, &day, s) aria-current=current.then_some("page")>{s.label()}</a> }
            })
            .collect_view()
    });
    let next = shift_day(&day, 1);
    let items = lines
        .into_iter()
        .map(|line| worker_row(line, ctx.clone()))
        .collect_view();
    view! {
        {team_links.map(|links| view! { <nav class="chips" aria-label="Équipe">{links}</nav> })}
        <p class="roll-call__team"><strong>{team_name}</strong></p>
        <nav class="day-nav" aria-label="Jour">
            <a class="button button--quiet" href=href(&team, &shift_day(&day, -1), slot) aria-label="Jour précédent">"‹"</a>
            <span class="day-nav__day">{jalon_core::dates::long_day(&day)}{(day == today).then_some(" (aujourd'hui)")}</span>
            {if next <= today {
                view! { <a class="button button--quiet" href=href(&team, &next, slot) aria-label="Jour suivant">"›"</a> }.into_any()
            } else {
                view! { <span class="day-nav__spacer"></span> }.into_any()
            }}
        </nav>
        {slot_links.map(|links| view! { <nav class="chips" aria-label="Demi-journée">{links}</nav> })}
        {not_worked(&day).map(|why| view! { <p class="notice notice--warn">{why}</p> })}
        {past.then(|| view! {
            <label class="field past-day">
                <span class="field__label">"Jour passé : motif de la modification (obligatoire)"</span>
                <input class="field__input" id="change-reason" type="text" maxlength="500"
                    placeholder="Ex. : oubli, erreur de saisie, justificatif reçu"
                    prop:value=move || change_reason.get()
                    on:input=move |ev| change_reason.set(event_target_value(&ev))/>
            </label>
        })}
        <p class="roll-call__summary" role="status" data-remaining=remaining_count>
            {summary_line(total, present, absent, remaining_count)}
        </p>
        {if total == 0 {
            view! { <p class="empty">"Personne dans cette équipe sur ce téléphone."</p> }.into_any()
        } else {
            view! { <ul class="roll" aria-label="Personnes de l'équipe">{items}</ul> }.into_any()
        }}
        <div class="sticky-action">
            <button type="button" class="button button--primary button--wide" disabled=remaining_count == 0 on:click=all_present>
                {if remaining_count == 0 { "Tout le monde est pointé".to_string() } else { format!("Tous présents ({remaining_count})") }}
            </button>
        </div>
    }
}

/// "8 personnes · 7 présentes · 1 absente · 0 à pointer"
fn summary_line(total: usize, present: usize, absent: usize, remaining: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    format!(
        "{} · {} · {} · {remaining} à pointer",
        plural(total, "personne", "personnes"),
        plural(present, "présente", "présentes"),
        plural(absent, "absente", "absentes"),
    )
}

/// Why a day is not counted in the rates, if it is not a working day.
fn not_worked(day: &str) -> Option<String> {
    let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    if let Some(holiday) = jalon_core::attendance::rates::public_holiday(date) {
        return Some(format!(
            "Jour férié ({holiday}) : ce pointage ne comptera pas dans les taux de présence."
        ));
    }
    (!jalon_core::attendance::rates::working_day(date))
        .then(|| "Week-end : ce pointage ne comptera pas dans les taux de présence.".to_string())
}

#[derive(Clone)]
struct Ctx {
    day: String,
    slot: Slot,
    past: bool,
    saver: Saver,
    change_reason: RwSignal<String>,
    open: RwSignal<Option<String>>,
}

impl Ctx {
    /// The reason of a change: empty for today, required for a past day
    /// (`None`, with the message shown, when it is missing).
    fn reason(&self) -> Option<String> {
        let reason = self.change_reason.get_untracked().trim().to_string();
        if self.past && reason.is_empty() {
            self.saver.error.set(Some(
                "Jour passé : écrivez d'abord le motif de la modification, en haut de l'écran."
                    .into(),
            ));
            return None;
        }
        Some(if self.past { reason } else { String::new() })
    }

    /// Saves, unless a past day lacks its reason.
    fn save(&self, mut entries: Vec<Attendance>) {
        let Some(reason) = self.reason() else { return };
        for e in &mut entries {
            e.change_reason = reason.clone();
        }
        // The same checks as the server's, before anything is written.
        let today = chrono::NaiveDate::parse_from_str(&today_local(), "%Y-%m-%d")
            .unwrap_or(chrono::NaiveDate::MIN);
        let mut clean = Vec::with_capacity(entries.len());
        for e in &entries {
            match jalon_core::attendance::validate(e, today) {
                Ok(ok) => clean.push(ok),
                Err(message) => {
                    self.saver.error.set(Some(message));
                    return;
                }
            }
        }
        self.open.set(None);
        self.saver.save(clean);
    }
}

fn worker_row(line: Line, ctx: Ctx) -> impl IntoView {
    let Line {
        worker,
        record,
        entry,
    } = line;
    let worker_id = worker.id.clone();
    let name = worker.name();
    let base = entry
        .clone()
        .unwrap_or_else(|| Attendance::present(&worker_id, &ctx.day, ctx.slot));
    let is_present = entry
        .as_ref()
        .is_some_and(|e| e.status == Presence::Present);
    let status_class = match &entry {
        Some(e) if e.status == Presence::Absent => "roll__row roll__row--absent",
        Some(_) => "roll__row roll__row--present",
        None => "roll__row",
    };
    let describe = entry
        .as_ref()
        .map_or_else(|| "À pointer".to_string(), Attendance::describe);
    let chip = record.as_ref().map(|r| state_chip(&r.state, false));
    let mark_present = {
        let (ctx, base) = (ctx.clone(), base.clone());
        move |_| {
            if is_present {
                return;
            }
            ctx.save(vec![Attendance {
                status: Presence::Present,
                reason: None,
                reason_text: String::new(),
                ..base.clone()
            }]);
        }
    };
    let open = ctx.open;
    let toggle = {
        let id = worker_id.clone();
        move |_| {
            open.update(|o| {
                *o = if o.as_deref() == Some(id.as_str()) {
                    None
                } else {
                    Some(id.clone())
                }
            })
        }
    };
    let is_open = {
        let id = worker_id.clone();
        move || open.get().as_deref() == Some(id.as_str())
    };
    let is_open2 = is_open.clone();
    let panel_id = format!("autre-{worker_id}");
    let problems = record.as_ref().map(|r| problems(r, ctx.clone()));
    view! {
        <li class=status_class data-worker=name.clone()>
            <div class="roll__who">
                <strong class="roll__name">{name.clone()}</strong>
                <span class="roll__state">{describe}</span>
                {chip}
            </div>
            <div class="roll__buttons">
                <button type="button" class="button roll__present" aria-pressed=is_present.to_string() on:click=mark_present
                    aria-label=format!("{name} : présent")>
                    <Icon name="check"/>"Présent"
                </button>
                <button type="button" class="button button--secondary roll__more" aria-expanded=move || is_open().to_string()
                    aria-controls=panel_id.clone() on:click=toggle aria-label=format!("{name} : absent, retard ou départ")>
                    "Absent, retard…"
                </button>
            </div>
            <div class="roll__panel" id=panel_id hidden=move || !is_open2()>
                {exceptions(base, ctx)}
            </div>
            {problems}
        </li>
    }
}

/// The exceptions, one tap each once open.
fn exceptions(base: Attendance, ctx: Ctx) -> impl IntoView {
    let other_text = RwSignal::new(String::new());
    let late_other = RwSignal::new(String::new());
    let left_at = RwSignal::new(now_hhmm());
    let absent = |reason: AbsenceReason, text: String| Attendance {
        status: Presence::Absent,
        reason: Some(reason),
        reason_text: text,
        late_minutes: 0,
        left_at: String::new(),
        ..base.clone()
    };
    let reasons = AbsenceReason::ALL
        .into_iter()
        .filter(|r| *r != AbsenceReason::Other)
        .map(|r| {
            let (ctx, entry) = (ctx.clone(), absent(r, String::new()));
            view! { <button type="button" class="button button--choice" on:click=move |_| ctx.save(vec![entry.clone()])>{r.short()}</button> }
        })
        .collect_view();
    let save_other = {
        let (ctx, base) = (ctx.clone(), absent(AbsenceReason::Other, String::new()));
        move |_| {
            let text = other_text.get_untracked().trim().to_string();
            if text.is_empty() {
                ctx.saver
                    .error
                    .set(Some("Écrivez le motif de l'absence.".into()));
                return;
            }
            ctx.save(vec![Attendance {
                reason_text: text,
                ..base.clone()
            }]);
        }
    };
    let present = Attendance {
        status: Presence::Present,
        reason: None,
        reason_text: String::new(),
        ..base.clone()
    };
    let late = LATE_CHOICES
        .into_iter()
        .map(|minutes| {
            let (ctx, entry) = (ctx.clone(), Attendance { late_minutes: minutes, ..present.clone() });
            let label = if minutes == 60 { "1 h".to_string() } else { format!("{minutes} min") };
            view! { <button type="button" class="button button--choice" on:click=move |_| ctx.save(vec![entry.clone()])>{label}</button> }
        })
        .collect_view();
    let save_late = {
        let (ctx, present) = (ctx.clone(), present.clone());
        move |_| match late_other.get_untracked().trim().parse::<i64>() {
            Ok(m) if (1..=jalon_core::attendance::MAX_LATE_MINUTES).contains(&m) => {
                ctx.save(vec![Attendance {
                    late_minutes: m,
                    ..present.clone()
                }])
            }
            _ => ctx.saver.error.set(Some(format!(
                "Retard : indiquez un nombre de minutes entre 1 et {}.",
                jalon_core::attendance::MAX_LATE_MINUTES
            ))),
        }
    };
    let save_left = {
        let (ctx, present) = (ctx.clone(), present.clone());
        move |_| {
            let at = left_at.get_untracked();
            if chrono::NaiveTime::parse_from_str(&at, "%H:%M").is_err() {
                ctx.saver
                    .error
                    .set(Some("Indiquez l'heure de départ (hh:mm).".into()));
                return;
            }
            ctx.save(vec![Attendance {
                left_at: at,
                ..present.clone()
            }]);
        }
    };
    let clear = {
        let ctx = ctx.clone();
        let id = base.record_id();
        move |_| {
            if ctx.reason().is_none() {
                return;
            }
            ctx.open.set(None);
            ctx.saver.act(
                |id| LocalAction::Delete {
                    record_type: RECORD_TYPE,
                    schema: SCHEMA,
                    id,
                },
                id,
            );
        }
    };
    view! {
        <fieldset class="roll__group">
            <legend>"Absent"</legend>
            <div class="choice-grid">{reasons}</div>
            <div class="inline-field">
                <input class="field__input" type="text" maxlength="200" placeholder="Autre motif"
                    aria-label="Autre motif d'absence"
                    prop:value=move || other_text.get() on:input=move |ev| other_text.set(event_target_value(&ev))/>
                <button type="button" class="button button--secondary" on:click=save_other>"Absent"</button>
            </div>
        </fieldset>
        <fieldset class="roll__group">
            <legend>"En retard"</legend>
            <div class="choice-grid">{late}</div>
            <div class="inline-field">
                <input class="field__input" type="number" inputmode="numeric" min="1" max="600" placeholder="Minutes"
                    aria-label="Minutes de retard"
                    prop:value=move || late_other.get() on:input=move |ev| late_other.set(event_target_value(&ev))/>
                <button type="button" class="button button--secondary" on:click=save_late>"Retard"</button>
            </div>
        </fieldset>
        <fieldset class="roll__group">
            <legend>"Parti avant l'heure"</legend>
            <div class="inline-field">
                <input class="field__input" type="time" aria-label="Heure de départ"
                    prop:value=move || left_at.get() on:input=move |ev| left_at.set(event_target_value(&ev))/>
                <button type="button" class="button button--secondary" on:click=save_left>"Parti à cette heure"</button>
            </div>
        </fieldset>
        <button type="button" class="button button--quiet button--wide" on:click=clear>"Effacer le pointage"</button>
    }
}

/// A refusal or two diverging versions: the supervisor decides here.
fn problems(record: &LocalRecord, ctx: Ctx) -> Option<AnyView> {
    let id = record.id;
    if let RecordState::Rejected { message, .. } = &record.state {
        let (retry, discard) = (ctx.saver, ctx.saver);
        return Some(
            view! {
                <div class="notice notice--error" role="alert">
                    <p>"Le serveur a refusé ce pointage : "{message.clone()}</p>
                    <div class="button-row">
                        <button type="button" class="button button--secondary" on:click=move |_| retry.act(|id| LocalAction::Retry { record_type: RECORD_TYPE, id }, id)>"Renvoyer"</button>
                        <button type="button" class="button button--quiet" on:click=move |_| discard.act(|id| LocalAction::Discard { record_type: RECORD_TYPE, id }, id)>"Retirer de ce téléphone"</button>
                    </div>
                </div>
            }
            .into_any(),
        );
    }
    if record.conflicts.is_empty() {
        return None;
    }
    let versions = std::iter::once((String::from("ci-dessus"), record.data.clone()))
        .chain(record.conflicts.iter().map(|c| (c.author_name.clone(), c.data.clone())))
        .filter_map(|(who, data)| {
            let entry = serde_json::from_value::<Attendance>(data).ok()?;
            let saver = ctx.saver;
            let label = format!("Garder « {} » ({who})", entry.describe());
            Some(view! {
                <button type="button" class="button button--secondary button--wide" on:click=move |_| saver.save(vec![entry.clone()])>{label}</button>
            })
        })
        .collect_view();
    Some(
        view! {
            <div class="conflict" role="group" aria-label="Deux pointages différents">
                <p><strong>"Pointé différemment sur un autre téléphone."</strong>" Choisissez le bon :"</p>
                {versions}
            </div>
        }
        .into_any(),
    )
}
