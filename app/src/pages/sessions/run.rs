//! Running sessions on the phone, offline: the list of sessions, starting
//! (or scheduling) one from a plan, and evaluating each participant,
//! criterion by criterion, saved on the phone at every tap.
use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::auth::{CurrentUser, UserResource, signed_in_now, use_user};
use crate::local::catalogue;
use crate::local::sync::{self as client, today_local};
use crate::local::sync::{SyncHandle, use_sync};
use crate::widgets::icons::Icon;
use jalon_core::dates::long_day;
use jalon_core::sessions::{Evaluation, Level, Plan, RECORD_TYPE, SCHEMA, blank_results, validate};
use jalon_core::sync::engine::{LocalRecord, RecordState};
use jalon_core::sync::protocol::WorkerCard;

/// Checks and saves evaluations on the phone (one commit).
async fn save(
    sync: SyncHandle,
    user: Option<CurrentUser>,
    records: Vec<(Uuid, Evaluation)>,
) -> Result<(), String> {
    let mut clean = Vec::with_capacity(records.len());
    for (id, e) in records {
        clean.push((id, validate(&e, client::today_date())?));
    }
    let records: Vec<(Uuid, &str, &Evaluation)> = clean
        .iter()
        .map(|(id, e)| (*id, e.worker_id.as_str(), e))
        .collect();
    client::save_to_phone(sync, user, RECORD_TYPE, SCHEMA, &records).await
}

/// The evaluations held on the phone, read as such.
pub fn evaluations(records: Vec<LocalRecord>) -> Vec<(LocalRecord, Evaluation)> {
    records
        .into_iter()
        .filter_map(|r| {
            serde_json::from_value::<Evaluation>(r.data.clone())
                .ok()
                .map(|e| (r, e))
        })
        .collect()
}

/// A session as the list shows it, gathered from its participants' records.
struct SessionLine {
    id: String,
    title: String,
    held_on: String,
    place: String,
    participants: usize,
    done: usize,
    waiting: usize,
}

fn sessions_of(list: &[(LocalRecord, Evaluation)]) -> Vec<SessionLine> {
    let mut by_session: BTreeMap<&str, SessionLine> = BTreeMap::new();
    for (r, e) in list {
        let line = by_session
            .entry(e.session_id.as_str())
            .or_insert_with(|| SessionLine {
                id: e.session_id.clone(),
                title: e.title.clone(),
                held_on: e.held_on.clone(),
                place: e.place.clone(),
                participants: 0,
                done: 0,
                waiting: 0,
            });
        line.participants += 1;
        if e.absent || e.evaluated() == e.results.len() {
            line.done += 1;
        }
        if r.state == RecordState::Local {
            line.waiting += 1;
        }
    }
    let mut lines: Vec<SessionLine> = by_session.into_values().collect();
    lines.sort_by(|a, b| b.held_on.cmp(&a.held_on).then(a.title.cmp(&b.title)));
    lines
}

#[component]
pub fn SessionsPage() -> impl IntoView {
    let sync = use_sync();
    let data = LocalResource::new(move || {
        sync.revision.track();
        async move {
            client::records(RECORD_TYPE)
                .await
                .map_err(|e| e.to_string())
        }
    });
    view! {
        <Title text="Séances"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="star"/>"Séances d'apprentissage"</h1>
            <div class="actions">
                <a class="button button--primary button--wide" href="/seances/nouvelle">"Commencer une séance"</a>
                <a class="button button--secondary button--wide" href="/seances/plans">"Plans de séance"</a>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(records) => session_list(evaluations(records)).into_any(),
                        Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn session_list(list: Vec<(LocalRecord, Evaluation)>) -> impl IntoView {
    let today = today_local();
    let lines = sessions_of(&list);
    if lines.is_empty() {
        return view! { <p class="empty">"Aucune séance sur ce téléphone. Commencez-en une à partir d'un plan."</p> }.into_any();
    }
    let (coming, past): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l.held_on >= today);
    let section = |title: &'static str, lines: Vec<SessionLine>| {
        (!lines.is_empty()).then(|| view! {
            <h2 class="section-title">{title}</h2>
            <ul class="list" aria-label=title>
                {lines.into_iter().map(|l| view! {
                    <li class="list__item" data-session=l.title.clone()>
                        <a class="list__link" href=format!("/seances/{}", l.id)>
                            <span class="list__main">{l.title.clone()}</span>
                            <span class="list__meta">
                                {long_day(&l.held_on)}
                                {(!l.place.is_empty()).then(|| format!(" · {}", l.place))}
                                {format!(" · {} évalué(s) sur {}", l.done, l.participants)}
                            </span>
                        </a>
                        {(l.waiting > 0).then(|| view! { <span class="chip">"Sur ce téléphone"</span> })}
                    </li>
                }).collect_view()}
            </ul>
        })
    };
    view! {
        {section("Aujourd'hui et à venir", coming)}
        {section("Séances passées", past)}
    }
    .into_any()
}

#[component]
pub fn StartSessionPage() -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let query = use_query_map();
    let data = LocalResource::new(move || async move {
        let catalogue = catalogue::load().await;
        let workers = client::workers().await.unwrap_or_default();
        (catalogue, workers)
    });
    let navigate = use_navigate();
    view! {
        <Title text="Commencer une séance"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="star"/>"Commencer une séance"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || {
                    let chosen = query.read().get("plan").unwrap_or_default();
                    let navigate = navigate.clone();
                    Suspend::new(async move {
                        let (catalogue, workers) = data.await;
                        match catalogue {
                            Some(c) if !c.plans.is_empty() => start_form(c.plans, workers, chosen, sync, user, navigate).into_any(),
                            _ => view! {
                                <p class="notice">"Aucun plan de séance sur ce téléphone. Ouvrez Jalon une fois avec du réseau, ou préparez un plan."</p>
                                <a class="button button--secondary button--wide" href="/seances/plans">"Plans de séance"</a>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn start_form(
    plans: Vec<Plan>,
    workers: Vec<WorkerCard>,
    chosen: String,
    sync: SyncHandle,
    user: UserResource,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static,
) -> impl IntoView {
    let plans: Vec<Plan> = plans
        .into_iter()
        .filter(|p| !p.body.criteria.is_empty())
        .collect();
    let first = plans
        .iter()
        .find(|p| p.id == chosen)
        .or(plans.first())
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let plan_id = RwSignal::new(first);
    let day = RwSignal::new(today_local());
    let place = RwSignal::new(String::new());
    let duration = RwSignal::new(String::new());
    let picked = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let plans_for_submit = plans.clone();
    let writable: Vec<WorkerCard> = workers
        .into_iter()
        .filter(|w| w.writable && !w.ended)
        .collect();
    let mut teams: BTreeMap<String, Vec<WorkerCard>> = BTreeMap::new();
    for w in writable {
        teams
            .entry(w.team.clone().unwrap_or_default())
            .or_default()
            .push(w);
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(plan) = plans_for_submit
            .iter()
            .find(|p| p.id == plan_id.get_untracked())
            .cloned()
        else {
            error.set(Some("Choisissez un plan de séance.".into()));
            return;
        };
        let people = picked.get_untracked();
        if people.is_empty() {
            error.set(Some("Choisissez au moins un participant.".into()));
            return;
        }
        let session_id = Uuid::now_v7().to_string();
        let duration_min = duration
            .get_untracked()
            .trim()
            .parse::<i64>()
            .ok()
            .or(Some(i64::from(plan.body.duration_min)).filter(|d| *d > 0));
        let results = blank_results(&plan.body.criteria);
        let records: Vec<(Uuid, Evaluation)> = people
            .into_iter()
            .map(|worker_id| {
                (
                    Uuid::now_v7(),
                    Evaluation {
                        worker_id,
                        session_id: session_id.clone(),
                        plan_id: plan.id.clone(),
                        title: plan.title.clone(),
                        afest: plan.afest,
                        held_on: day.get_untracked(),
                        place: place.get_untracked(),
                        duration_min,
                        absent: false,
                        reflection: String::new(),
                        results: results.clone(),
                    },
                )
            })
            .collect();
        let who = signed_in_now(user);
        let navigate = navigate.clone();
        spawn_local(async move {
            match save(sync, who, records).await {
                Ok(()) => navigate(&format!("/seances/{session_id}"), Default::default()),
                Err(message) => error.set(Some(message)),
            }
        });
    };
    let later = move || day.get() > today_local();
    view! {
        <form class="form" on:submit=submit>
            <fieldset class="field">
                <legend class="field__label">"Plan de séance"</legend>
                {plans.into_iter().map(|p| {
                    let id = p.id.clone();
                    let id2 = p.id.clone();
                    view! {
                        <label class="choice choice--wide">
                            <input type="radio" name="plan" prop:checked=move || plan_id.get() == id
                                on:change=move |_| plan_id.set(id2.clone())/>
                            <span class="choice__text">
                                {p.title.clone()}
                                <span class="muted">{format!(" · {} critères", p.body.criteria.len())}</span>
                                {p.template.then(|| view! { <span class="badge">"Modèle"</span> })}
                                {p.afest.then(|| view! { <span class="badge">"AFEST"</span> })}
                            </span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label class="field__label" for="session-day">"Date"</label>
                <input class="field__input" id="session-day" type="date" prop:value=move || day.get()
                    on:input=move |ev| day.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label class="field__label" for="session-place">"Lieu"</label>
                <input class="field__input" id="session-place" maxlength="300" placeholder="Chantier, atelier…"
                    prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label class="field__label" for="session-duration">"Durée (minutes, si différente du plan)"</label>
                <input class="field__input" id="session-duration" type="number" min="0" max="1440" inputmode="numeric"
                    prop:value=move || duration.get() on:input=move |ev| duration.set(event_target_value(&ev))/>
            </div>
            <fieldset class="field">
                <legend class="field__label">"Participants"</legend>
                {teams.into_iter().map(|(team, people)| view! {
                    {(!team.is_empty()).then(|| view! { <p class="picker__domain">{team}</p> })}
                    {people.into_iter().map(|w| {
                        let (id, id2) = (w.id.clone(), w.id.clone());
                        view! {
                            <label class="check check--big">
                                <input type="checkbox" prop:checked=move || picked.with(|p| p.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        picked.update(|p| {
                                            p.retain(|x| *x != id2);
                                            if on { p.push(id2.clone()); }
                                        });
                                    }/>
                                <span>{w.name()}</span>
                            </label>
                        }
                    }).collect_view()}
                }).collect_view()}
            </fieldset>
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
            <div class="sticky-action">
                <button type="submit" class="button button--primary button--wide">
                    {move || if later() { "Programmer la séance" } else { "Commencer la séance" }}
                </button>
            </div>
        </form>
    }
}

/// One participant's evaluation in the page's memory.
#[derive(Clone, PartialEq)]
struct Row {
    id: Uuid,
    name: String,
    eval: Evaluation,
    state: RecordState,
}

#[component]
pub fn EvaluatePage() -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let params = use_params_map();
    let session = move || params.read().get("id").unwrap_or_default();
    let rows = RwSignal::new(Vec::<Row>::new());
    let current = RwSignal::new(0usize);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Read once, then kept in memory: every tap changes the memory and
    // saves the participant's record (sync states refresh with the sync).
    Effect::new(move |_| {
        sync.revision.track();
        let session = session();
        spawn_local(async move {
            let records = client::records(RECORD_TYPE).await.unwrap_or_default();
            let workers = client::workers().await.unwrap_or_default();
            let mut list: Vec<Row> = evaluations(records)
                .into_iter()
                .filter(|(_, e)| e.session_id == session)
                .map(|(r, e)| Row {
                    name: workers
                        .iter()
                        .find(|w| w.id == e.worker_id)
                        .map(WorkerCard::name)
                        .unwrap_or_else(|| "Personne".into()),
                    id: r.id,
                    eval: e,
                    state: r.state,
                })
                .collect();
            list.sort_by(|a, b| a.name.cmp(&b.name));
            if loaded.get_untracked() {
                // Keep what is on screen; take the sync states, and only
                // when one changed: drawing the participant again would
                // drop a comment being typed (every save reaches here).
                let moved = rows.with_untracked(|mine| {
                    mine.iter().any(|row| {
                        list.iter()
                            .any(|fresh| fresh.id == row.id && fresh.state != row.state)
                    })
                });
                if !moved {
                    return;
                }
                rows.update(|mine| {
                    for row in mine.iter_mut() {
                        if let Some(fresh) = list.iter().find(|r| r.id == row.id) {
                            row.state = fresh.state.clone();
                        }
                    }
                });
            } else {
                rows.set(list);
                loaded.set(true);
            }
        });
    });
    let change = move |i: usize, edit: Box<dyn FnOnce(&mut Evaluation)>| {
        let mut changed = None;
        rows.update(|list| {
            if let Some(row) = list.get_mut(i) {
                edit(&mut row.eval);
                row.state = RecordState::Local;
                changed = Some((row.id, row.eval.clone()));
            }
        });
        if let Some(record) = changed {
            let who = signed_in_now(user);
            spawn_local(async move {
                if let Err(message) = save(sync, who, vec![record]).await {
                    error.set(Some(message));
                }
            });
        }
    };
    view! {
        <Title text="Évaluer"/>
        <section class="page page--narrow evaluate">
            {move || {
                if !loaded.get() {
                    return view! { <p class="muted">"Chargement…"</p> }.into_any();
                }
                let list = rows.get();
                let Some(first) = list.first().cloned() else {
                    return view! {
                        <p class="empty">"Cette séance n'est pas sur ce téléphone."</p>
                        <a class="button button--secondary" href="/seances">"Séances"</a>
                    }.into_any();
                };
                let i = current.get().min(list.len() - 1);
                view! {
                    <h1 class="page__title">{first.eval.title.clone()}</h1>
                    <p class="card__meta">
                        {long_day(&first.eval.held_on)}
                        {(!first.eval.place.is_empty()).then(|| format!(" · {}", first.eval.place))}
                        {first.eval.afest.then_some(" · AFEST")}
                    </p>
                    <nav class="participants" aria-label="Participants">
                        {list.iter().enumerate().map(|(n, r)| {
                            let status = if r.eval.absent {
                                "absent".to_string()
                            } else {
                                format!("{}/{}", r.eval.evaluated(), r.eval.results.len())
                            };
                            view! {
                                <button type="button" class="participant" aria-current=(n == i).then_some("true")
                                    on:click=move |_| current.set(n)>
                                    <span class="participant__name">{r.name.clone()}</span>
                                    <span class="participant__count">{status}</span>
                                </button>
                            }
                        }).collect_view()}
                    </nav>
                    {participant_view(list, i, change, current)}
                }.into_any()
            }}
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
        </section>
    }
}

type Edit = Box<dyn FnOnce(&mut Evaluation)>;

fn participant_view(
    list: Vec<Row>,
    i: usize,
    change: impl Fn(usize, Edit) + Copy + 'static,
    current: RwSignal<usize>,
) -> impl IntoView {
    let row = list[i].clone();
    let next = list.get(i + 1).map(|r| r.name.clone());
    let absent = row.eval.absent;
    let name = row.name.clone();
    view! {
        <article class="card evaluate__person" data-participant=name.clone()>
            <h2 class="card__title">{name.clone()}</h2>
            <p class="card__meta">{crate::widgets::sync_state::state_chip(&row.state, true)}</p>
            <button type="button" class="button button--secondary button--wide toggle" aria-pressed=absent.to_string()
                on:click=move |_| change(i, Box::new(move |e: &mut Evaluation| e.absent = !absent))>
                {if absent { "Absent ce jour (toucher pour annuler)" } else { "Absent ce jour" }}
            </button>
            {(!absent && row.eval.afest).then(|| {
                let value = row.eval.reflection.clone();
                view! {
                    <div class="field">
                        <label class="field__label" for=format!("reflection-{i}")>"Temps réflexif : ce que la personne dit avoir fait et compris"</label>
                        <textarea class="field__input" id=format!("reflection-{i}") rows="3" maxlength="4000"
                            on:change=move |ev| {
                                let text = event_target_value(&ev);
                                change(i, Box::new(move |e: &mut Evaluation| e.reflection = text));
                            }>{value}</textarea>
                    </div>
                }
            })}
            {(!absent).then(|| row.eval.results.iter().enumerate().map(|(k, r)| {
                let label = r.label.clone();
                let chosen = r.level;
                let comment = r.comment.clone();
                view! {
                    <fieldset class="criterion" data-criterion=label.clone()>
                        <legend class="criterion__label">
                            {label.clone()}
                            {r.skill.as_ref().map(|s| view! { <span class="criterion__skill">{s.title.clone()}</span> })}
                        </legend>
                        <div class="levels">
                            {Level::ALL.into_iter().map(|level| view! {
                                <button type="button" class=format!("level level--{}", level.code())
                                    aria-pressed=(level == chosen).to_string()
                                    on:click=move |_| change(i, Box::new(move |e: &mut Evaluation| {
                                        if let Some(r) = e.results.get_mut(k) { r.level = level; }
                                    }))>
                                    {level.short()}
                                </button>
                            }).collect_view()}
                        </div>
                        <details class="criterion__comment" open=!comment.is_empty()>
                            <summary>"Commentaire"</summary>
                            <label class="visually-hidden" for=format!("comment-{i}-{k}")>{format!("Commentaire : {label}")}</label>
                            <textarea class="field__input" id=format!("comment-{i}-{k}") rows="2" maxlength="1000"
                                on:change=move |ev| {
                                    let text = event_target_value(&ev);
                                    change(i, Box::new(move |e: &mut Evaluation| {
                                        if let Some(r) = e.results.get_mut(k) { r.comment = text; }
                                    }));
                                }>{comment.clone()}</textarea>
                        </details>
                    </fieldset>
                }
            }).collect_view())}
        </article>
        <div class="sticky-action">
            {match next {
                Some(next) => view! {
                    <button type="button" class="button button--primary button--wide"
                        on:click=move |_| { current.set(i + 1); scroll_top(); }>
                        {format!("Personne suivante : {next}")}
                    </button>
                }.into_any(),
                None => view! { <a class="button button--primary button--wide" href="/seances">"Terminer"</a> }.into_any(),
            }}
        </div>
    }
}

fn scroll_top() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
