//! The observation screens on the phone. They read and write the phone's
//! store only, so they work the same with or without network; the sync
//! carries the rest (and brings back the counsellor's follow-up).
//! /observations is the team list with quick capture, and, with
//! `?salarie=…`, one worker's observations with filters.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use super::feed::{HistoryButton, badges, follow_up_view, skill_seen_view};
use super::incident::{IncidentFields, IncidentFollowUp, incident_view};
use crate::auth::{Role, UserResource, signed_in_now, use_user};
use crate::local::sync::{self as client, LocalAction, now_local_hhmm, today_local};
use crate::local::sync::{SyncHandle, use_sync};
use crate::widgets::Field;
use crate::widgets::icons::Icon;
use crate::widgets::sync_state::state_chip;
use jalon_core::dates::day_label;
use jalon_core::observations::FollowUp;
use jalon_core::observations::{
    Category, Kind, MAX_BODY_CHARS, Observation, RECORD_TYPE, SCHEMA, validate,
};
use jalon_core::sessions::{Level, SkillTag};
use jalon_core::sync::engine::{LocalRecord, RecordState};
use jalon_core::sync::protocol::WorkerCard;

/// A record's fields, if they read as an observation.
fn fields(r: &LocalRecord) -> Option<Observation> {
    serde_json::from_value(r.data.clone()).ok()
}

/// Saves an observation's data on the phone (one IndexedDB commit). The
/// handles are taken while the component is built: no context in a task.
async fn save(
    sync: SyncHandle,
    user: UserResource,
    id: Uuid,
    clean: &Observation,
) -> Result<(), String> {
    let record = (id, clean.worker_id.as_str(), clean);
    client::save_to_phone(sync, signed_in_now(user), RECORD_TYPE, SCHEMA, &[record]).await
}

/// The page's link with some query parameters.
fn link(worker: &str, kind: &str, category: &str) -> String {
    let mut params = Vec::new();
    for (name, value) in [("salarie", worker), ("type", kind), ("categorie", category)] {
        if !value.is_empty() {
            params.push(format!("{name}={value}"));
        }
    }
    if params.is_empty() {
        "/observations".into()
    } else {
        format!("/observations?{}", params.join("&"))
    }
}

#[component]
pub fn ObservationsPage() -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let query = use_query_map();
    let saved = move || query.read().get("enregistree").is_some();
    let data = LocalResource::new(move || {
        sync.revision.track();
        async move {
            let records = client::records(RECORD_TYPE).await;
            let workers = client::workers().await.unwrap_or_default();
            records.map(|r| (r, workers)).map_err(|e| e.to_string())
        }
    });
    let worker_role = move || signed_in_now(user).is_some_and(|u| u.role == Role::Worker);
    view! {
        <Title text="Observations"/>
        <section class="page">
            <h1 class="page__title"><Icon name="file"/>
                {move || if worker_role() { "Observations partagées avec vous" } else { "Observations" }}
            </h1>
            <Show when=saved>
                <p class="notice notice--ok" role="status"><Icon name="check"/>"Observation enregistrée sur ce téléphone."</p>
            </Show>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || {
                    let q = query.read();
                    let worker = q.get("salarie").unwrap_or_default();
                    let kind = q.get("type").unwrap_or_default();
                    let category = q.get("categorie").unwrap_or_default();
                    Suspend::new(async move {
                        match data.await {
                            Ok((records, workers)) if worker_role() => {
                                shared_list(records, workers).into_any()
                            }
                            Ok((records, workers)) if worker.is_empty() => {
                                team_view(records, workers, user).into_any()
                            }
                            Ok((records, workers)) => {
                                worker_view(records, workers, user, worker, kind, category).into_any()
                            }
                            Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// Newest first: by day observed, time, then last change.
fn newest_first(records: &mut [(LocalRecord, Observation)]) {
    records.sort_by(|(ra, a), (rb, b)| {
        (&b.observed_on, &b.observed_at, &rb.updated_at, rb.id).cmp(&(
            &a.observed_on,
            &a.observed_at,
            &ra.updated_at,
            ra.id,
        ))
    });
}

fn readable(records: Vec<LocalRecord>) -> Vec<(LocalRecord, Observation)> {
    let mut list: Vec<_> = records
        .into_iter()
        .filter_map(|r| fields(&r).map(|o| (r, o)))
        .collect();
    newest_first(&mut list);
    list
}

fn count_line(count: usize) -> impl IntoView {
    view! {
        <p class="muted" data-count=count>
            {if count == 1 { "1 observation".to_string() } else { format!("{count} observations") }}
        </p>
    }
}

fn card_list(
    list: Vec<(LocalRecord, Observation)>,
    workers: &[WorkerCard],
    user: UserResource,
) -> impl IntoView + use<> {
    if list.is_empty() {
        return view! {
            <p class="empty">"Aucune observation pour l'instant. Elles s'écrivent même sans réseau."</p>
        }
        .into_any();
    }
    let me_id = signed_in_now(user).map(|u| u.id).unwrap_or_default();
    let name_of = |id: &str| {
        workers
            .iter()
            .find(|w| w.id == id)
            .map(WorkerCard::name)
            .unwrap_or_else(|| "Personne inconnue".into())
    };
    let count = list.len();
    let items = list
        .into_iter()
        .map(|(r, o)| {
            let mine = r.author_id == me_id;
            let who = name_of(&o.worker_id);
            observation_card(r, o, who, mine, user)
        })
        .collect_view();
    view! {
        {count_line(count)}
        <ul class="cards" aria-label="Observations">{items}</ul>
    }
    .into_any()
}

/// The supervisor's start: their team, one tap to note something about
/// someone, then the latest observations.
fn team_view(
    records: Vec<LocalRecord>,
    workers: Vec<WorkerCard>,
    user: UserResource,
) -> impl IntoView {
    let list = readable(records);
    let rows = workers
        .iter()
        .filter(|w| !w.ended)
        .map(|w| {
            let count = list.iter().filter(|(_, o)| o.worker_id == w.id).count();
            let page = link(&w.id, "", "");
            let new = format!("/observations/nouvelle?salarie={}", w.id);
            let writable = w.writable;
            let name = w.name();
            let label = format!("Noter une observation sur {name}");
            view! {
                <li class="team-row">
                    <a class="team-row__name" href=page>
                        <strong>{name}</strong>
                        <span class="muted">{match count { 0 => "aucune observation".to_string(), 1 => "1 observation".to_string(), n => format!("{n} observations") }}</span>
                    </a>
                    {writable.then(|| view! {
                        <a class="button button--secondary team-row__add" href=new aria-label=label>"Noter"</a>
                    })}
                </li>
            }
        })
        .collect_view();
    let recent: Vec<_> = list.into_iter().take(50).collect();
    view! {
        <a class="button button--primary button--wide" href="/observations/nouvelle">"Nouvelle observation"</a>
        <h2 class="section-title">"Par personne"</h2>
        <ul class="team-list" aria-label="Personnes">{rows}</ul>
        <h2 class="section-title">"Dernières observations"</h2>
        {card_list(recent, &workers, user)}
    }
}

/// One worker's observations, newest first, filtered by kind and category.
fn worker_view(
    records: Vec<LocalRecord>,
    workers: Vec<WorkerCard>,
    user: UserResource,
    worker: String,
    kind: String,
    category: String,
) -> impl IntoView {
    let card = workers.iter().find(|w| w.id == worker).cloned();
    let Some(card) = card else {
        return view! {
            <p class="notice notice--error">"Cette personne n'est pas sur ce téléphone."</p>
            <a class="button button--secondary" href="/observations">"Toutes les personnes"</a>
        }
        .into_any();
    };
    let all: Vec<_> = readable(records)
        .into_iter()
        .filter(|(_, o)| o.worker_id == worker)
        .collect();
    let list: Vec<_> = all
        .iter()
        .filter(|(_, o)| kind.is_empty() || o.kind.as_str() == kind)
        .filter(|(_, o)| category.is_empty() || o.category == category)
        .cloned()
        .collect();
    let chip = |href: String, label: String, active: bool| {
        view! {
            <a class="chip chip--choice" href=href
                aria-current=active.then_some("true")>{label}</a>
        }
    };
    let kinds = std::iter::once(chip(
        link(&worker, "", ""),
        "Toutes".into(),
        kind.is_empty(),
    ))
    .chain(
        Kind::ALL
            .into_iter()
            .filter(|k| all.iter().any(|(_, o)| o.kind == *k))
            .map(|k| {
                chip(
                    link(&worker, k.as_str(), ""),
                    k.label().into(),
                    kind == k.as_str(),
                )
            }),
    )
    .collect_view();
    let categories = Kind::parse(&kind).map(|k| {
        k.categories()
            .iter()
            .filter(|c| all.iter().any(|(_, o)| o.category == c.code()))
            .map(|c| {
                chip(
                    link(&worker, &kind, c.code()),
                    c.label().into(),
                    category == c.code(),
                )
            })
            .collect_view()
    });
    let new = format!("/observations/nouvelle?salarie={worker}");
    view! {
        <a class="back-link" href="/observations">"‹ Toutes les personnes"</a>
        <h2 class="section-title">{card.name()}</h2>
        {card.writable.then(|| view! { <a class="button button--primary button--wide" href=new>"Noter une observation"</a> })}
        <nav class="chips" aria-label="Filtrer par type">{kinds}</nav>
        {categories.map(|c| view! { <nav class="chips" aria-label="Filtrer par catégorie">{c}</nav> })}
        {card_list(list, &workers, user)}
    }
    .into_any()
}

/// What a worker sees: the observations shared with them, read only.
fn shared_list(records: Vec<LocalRecord>, workers: Vec<WorkerCard>) -> impl IntoView {
    let list = readable(records);
    if list.is_empty() {
        return view! {
            <p class="empty">"Votre encadrant n'a encore partagé aucune observation avec vous."</p>
        }
        .into_any();
    }
    let _ = workers;
    let count = list.len();
    let items = list
        .into_iter()
        .map(|(r, o)| {
            view! {
                <li class="card observation" data-kind=o.kind.as_str()>
                    <div class="chips">{badges(o.kind, &o.category, false, false)}</div>
                    <p class="card__meta">{when(&o)}" · "{r.author_name.clone()}</p>
                    {skill_seen_view(o.skill_seen())}
                    <p class="observation__body">{o.body.clone()}</p>
                    {incident_view(o.incident.clone(), o.work_accident)}
                </li>
            }
        })
        .collect_view();
    view! {
        {count_line(count)}
        <ul class="cards" aria-label="Observations">{items}</ul>
    }
    .into_any()
}

fn when(o: &Observation) -> String {
    match o.observed_at.as_str() {
        "" => day_label(&o.observed_on),
        at => format!("{} à {at}", day_label(&o.observed_on)),
    }
}

fn observation_card(
    r: LocalRecord,
    o: Observation,
    who: String,
    mine: bool,
    user: UserResource,
) -> impl IntoView {
    let sync = use_sync();
    let id = r.id;
    let edit = format!("/observations/{id}");
    let refused = match &r.state {
        RecordState::Rejected { message, .. } => Some(message.clone()),
        _ => None,
    };
    let conflicts = r.conflicts.clone();
    let current = r.data.clone();
    let follow = FollowUp::of(&r.data);
    let keep = move |data: serde_json::Value| {
        leptos::task::spawn_local(async move {
            if let Ok(o) = serde_json::from_value::<Observation>(data) {
                let _ = save(sync, user, id, &o).await;
            }
        });
    };
    let keep_current = keep;
    let act = move |action: fn(Uuid) -> LocalAction<'static>| {
        leptos::task::spawn_local(async move {
            let _ = client::apply(sync, action(id)).await;
        });
    };
    let sent = r.version > 0;
    let edited = r.version > 1 && sent;
    let retracted = o.retracted;
    view! {
        <li class=if retracted { "card observation observation--retracted" } else { "card observation" } data-kind=o.kind.as_str()>
            <div class="card__head">
                <strong class="card__title">{who}</strong>
            </div>
            <div class="chips">{badges(o.kind, &o.category, o.sensitive, o.shared)}</div>
            <p class="card__meta">{when(&o)}" · "{r.author_name.clone()}</p>
            {skill_seen_view(o.skill_seen())}
            {if retracted {
                view! { <p class="observation__retracted">"Observation retirée — motif : "{o.change_reason.clone()}</p> }.into_any()
            } else {
                view! { <p class="observation__body">{o.body.clone()}</p> }.into_any()
            }}
            {(!retracted).then(|| if mine {
                let o = o.clone();
                let save = Callback::new(move |o: Observation| {
                    leptos::task::spawn_local(async move {
                        let _ = save(sync, user, id, &o).await;
                    });
                });
                view! { <IncidentFollowUp observation=o save/> }.into_any()
            } else {
                incident_view(o.incident.clone(), o.work_accident).into_any()
            })}
            {follow_up_view(&follow)}
            <div class="card__foot">
                {state_chip(&r.state, true)}
                {(mine && !retracted).then(|| view! { <a class="button button--quiet" href=edit>"Modifier"</a> })}
            </div>
            {edited.then(|| view! { <HistoryButton id=id.to_string()/> })}
            {refused.map(|message| view! {
                <div class="notice notice--error" role="alert">
                    <p>"Le serveur a refusé cette observation : "{message}</p>
                    <div class="button-row">
                        <button type="button" class="button button--secondary" on:click=move |_| act(|id| LocalAction::Retry { record_type: RECORD_TYPE, id })>"Renvoyer"</button>
                        <button type="button" class="button button--quiet" on:click=move |_| act(|id| LocalAction::Discard { record_type: RECORD_TYPE, id })>"Retirer de ce téléphone"</button>
                    </div>
                </div>
            })}
            {(!conflicts.is_empty()).then(|| {
                let alternatives = conflicts
                    .into_iter()
                    .map(|c| {
                        let body = c.data.get("body").and_then(|b| b.as_str()).unwrap_or_default().to_string();
                        let data = c.data.clone();
                        view! {
                            <div class="conflict__version">
                                <p class="card__meta">"Version de "{c.author_name}</p>
                                <p class="observation__body">{body}</p>
                                <button type="button" class="button button--secondary" on:click=move |_| keep(data.clone())>"Garder cette version"</button>
                            </div>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="conflict" role="group" aria-label="Deux versions de cette observation">
                        <p><strong>"Modifiée en même temps ailleurs."</strong>" Choisissez la version à garder : la version affichée ci-dessus, ou une autre."</p>
                        <button type="button" class="button button--secondary" on:click=move |_| keep_current(current.clone())>"Garder la version ci-dessus"</button>
                        {alternatives}
                    </div>
                }
            })}
        </li>
    }
}

#[component]
pub fn NewObservationPage() -> impl IntoView {
    let query = use_query_map();
    let worker = query.read_untracked().get("salarie").unwrap_or_default();
    view! {
        <Title text="Nouvelle observation"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="file"/>"Nouvelle observation"</h1>
            <ObservationForm id=Uuid::now_v7() existing=None worker=worker/>
        </section>
    }
}

#[component]
pub fn EditObservationPage() -> impl IntoView {
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|s| Uuid::parse_str(&s).ok());
    let record = LocalResource::new(move || async move {
        match id {
            Some(id) => client::record(RECORD_TYPE, id).await.ok().flatten(),
            None => None,
        }
    });
    view! {
        <Title text="Modifier l'observation"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="file"/>"Modifier l'observation"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match (id, record.await) {
                        (Some(id), Some(r)) if !r.deleted => {
                            let worker = r.worker_id.clone();
                            view! { <ObservationForm id existing=Some(r) worker/> }.into_any()
                        }
                        _ => view! {
                            <p class="notice notice--error">"Cette observation n'est pas sur ce téléphone."</p>
                            <a class="button button--secondary" href="/observations">"Retour aux observations"</a>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The form of a new or edited observation: one screen, the worker already
/// chosen when it comes from the team list. Saving writes to the phone at
/// once; the network is never waited for.
#[component]
fn ObservationForm(id: Uuid, existing: Option<LocalRecord>, worker: String) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let navigate = use_navigate();
    let current = existing.as_ref().and_then(fields);
    let editing = existing.is_some();
    // Already on the server: a change is a correction, with its reason.
    let correcting = existing.as_ref().is_some_and(|r| r.version > 0);
    let worker_id = RwSignal::new(worker);
    let date = RwSignal::new(
        current
            .as_ref()
            .map(|o| o.observed_on.clone())
            .unwrap_or_else(today_local),
    );
    let time = RwSignal::new(
        current
            .as_ref()
            .map(|o| o.observed_at.clone())
            .unwrap_or_else(now_local_hhmm),
    );
    let kind = RwSignal::new(current.as_ref().map(|o| o.kind));
    let category = RwSignal::new(
        current
            .as_ref()
            .map(|o| o.category.clone())
            .unwrap_or_default(),
    );
    let body = RwSignal::new(current.as_ref().map(|o| o.body.clone()).unwrap_or_default());
    let shared = RwSignal::new(current.as_ref().is_some_and(|o| o.shared));
    let skill = RwSignal::new(current.as_ref().and_then(|o| o.skill.clone()));
    let level = RwSignal::new(current.as_ref().and_then(|o| o.level));
    let work_accident = RwSignal::new(current.as_ref().is_some_and(|o| o.work_accident));
    let report = RwSignal::new(
        current
            .as_ref()
            .and_then(|o| o.incident.clone())
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(false);
    let retracting = RwSignal::new(false);
    let workers = LocalResource::new(|| async { client::workers().await.unwrap_or_default() });
    let sensitive = move || Category::parse(&category.get()).is_some_and(Category::is_sensitive);

    let store = {
        let navigate = navigate.clone();
        move |retract: bool| {
            let Some(k) = kind.get_untracked() else {
                error.set(Some("Choisissez le type d'observation.".into()));
                return;
            };
            let change_reason = reason.get_untracked();
            if correcting && !retract && change_reason.trim().is_empty() {
                error.set(Some(
                    "Indiquez le motif de la correction (il reste dans l'historique).".into(),
                ));
                return;
            }
            let input = Observation {
                worker_id: worker_id.get_untracked(),
                observed_on: date.get_untracked(),
                observed_at: time.get_untracked(),
                kind: k,
                category: category.get_untracked(),
                body: body.get_untracked(),
                shared: shared.get_untracked(),
                sensitive: false,
                retracted: retract,
                change_reason,
                skill: skill.get_untracked(),
                level: level.get_untracked(),
                work_accident: k == Kind::Incident && work_accident.get_untracked(),
                incident: (k == Kind::Incident).then(|| report.get_untracked()),
            };
            let clean = match validate(&input, client::today_date()) {
                Ok(clean) => clean,
                Err(message) => {
                    error.set(Some(message));
                    return;
                }
            };
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                match save(sync, user, id, &clean).await {
                    Ok(()) => navigate("/observations?enregistree=1", Default::default()),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let retract = store.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        store(false);
    };
    let remove = move |_| {
        if !confirm_delete.get_untracked() {
            confirm_delete.set(true);
            return;
        }
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let action = LocalAction::Delete {
                record_type: RECORD_TYPE,
                schema: SCHEMA,
                id,
            };
            match client::apply(sync, action).await {
                Ok(()) => navigate("/observations", Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let count = move || body.with(|b| b.chars().count());

    view! {
        <form class="form" on:submit=submit novalidate>
            <Field id="worker" label="Personne">
                <Suspense fallback=|| view! { <p class="muted">"Chargement des personnes…"</p> }>
                    {move || Suspend::new(async move {
                        let list = workers.await;
                        if list.is_empty() {
                            return view! {
                                <p class="notice notice--warn">"Aucune personne sur ce téléphone : synchronisez une première fois avec du réseau."</p>
                            }
                            .into_any();
                        }
                        let options = list
                            .into_iter()
                            .filter(|w| w.writable || w.id == worker_id.get_untracked())
                            .map(|w| {
                                let selected = w.id == worker_id.get_untracked();
                                let label = match &w.team {
                                    Some(team) => format!("{} — {team}", w.name()),
                                    None => w.name(),
                                };
                                view! { <option value=w.id.clone() selected=selected>{label}</option> }
                            })
                            .collect_view();
                        view! {
                            <select class="field__input" id="worker" name="worker" required disabled=editing
                                on:change=move |ev| worker_id.set(event_target_value(&ev))>
                                <option value="" selected=move || worker_id.get().is_empty()>"Choisir…"</option>
                                {options}
                            </select>
                        }
                        .into_any()
                    })}
                </Suspense>
            </Field>
            <fieldset class="choices choices--two">
                <legend class="field__label">"Type"</legend>
                {Kind::ALL
                    .into_iter()
                    .map(|k| {
                        let input_id = format!("kind-{}", k.as_str());
                        let label_for = input_id.clone();
                        view! {
                            <label class=format!("choice choice--{}", k.as_str()) for=label_for>
                                <input type="radio" name="kind" id=input_id value=k.as_str()
                                    prop:checked=move || kind.get() == Some(k)
                                    on:change=move |_| {
                                        kind.set(Some(k));
                                        category.set(String::new());
                                        if k != Kind::Skill { skill.set(None); level.set(None); }
                                    }/>
                                <span>{k.short_label()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            {move || kind.get().filter(|k| !k.categories().is_empty()).map(|k| {
                let legend = if k == Kind::Barrier { "Quel frein ?" } else { "Quel comportement ?" };
                view! {
                    <fieldset class="choices choices--two">
                        <legend class="field__label">{legend}</legend>
                        {k.categories().iter().map(|c| {
                            let c = *c;
                            let input_id = format!("category-{}", c.code());
                            let label_for = input_id.clone();
                            view! {
                                <label class="choice" for=label_for>
                                    <input type="radio" name="category" id=input_id value=c.code()
                                        prop:checked=move || category.get() == c.code()
                                        on:change=move |_| category.set(c.code().to_string())/>
                                    <span>{c.label()}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            })}
            <Show when=move || kind.get() == Some(Kind::Skill)>
                <SkillSeen skill level/>
            </Show>
            <Show when=move || kind.get() == Some(Kind::Incident)>
                <IncidentFields report work_accident/>
            </Show>
            <Field id="body" label="Ce que vous avez vu ou entendu">
                <textarea class="field__input field__input--text" id="body" name="body" rows="4"
                    aria-describedby="body-hint body-count"
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <span class="field__hint" id="body-hint">"Des faits, pas un avis : ce que j'ai vu, ce que j'ai entendu."</span>
                <span id="body-count" class=move || { if count() > MAX_BODY_CHARS { "field__hint field__hint--error" } else { "field__hint" } }>
                    {move || match count() {
                        n if n > MAX_BODY_CHARS => format!("{n} caractères : {} de trop (au plus {MAX_BODY_CHARS}).", n - MAX_BODY_CHARS),
                        n => format!("{} caractères restants", MAX_BODY_CHARS - n),
                    }}
                </span>
            </Field>
            {move || if sensitive() {
                view! {
                    <p class="notice notice--info"><Icon name="key"/>"Santé, handicap, justice : observation sensible. Seuls vous et la CIP de la personne la lisent ; elle n'est jamais partagée avec la personne."</p>
                }.into_any()
            } else {
                view! {
                    <label class="check">
                        <input type="checkbox" id="shared" prop:checked=move || shared.get()
                            on:change=move |ev| shared.set(event_target_checked(&ev))/>
                        <span>"Partager avec le salarié (il la verra sur son téléphone)"</span>
                    </label>
                }.into_any()
            }}
            <details class="when">
                <summary>{move || format!("Le {} à {} · changer", day_label(&date.get()), time.get())}</summary>
                <div class="field__row">
                    <Field id="date" label="Date">
                        <input class="field__input" id="date" name="date" type="date" required
                            prop:value=move || date.get()
                            on:input=move |ev| date.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="time" label="Heure">
                        <input class="field__input" id="time" name="time" type="time"
                            prop:value=move || time.get()
                            on:input=move |ev| time.set(event_target_value(&ev))/>
                    </Field>
                </div>
            </details>
            {correcting.then(|| view! {
                <Field id="reason" label="Motif de la correction ou du retrait (obligatoire)">
                    <input class="field__input" id="reason" name="reason" type="text"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))/>
                </Field>
            })}
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
            <p class="field__hint">"Enregistrée d'abord sur ce téléphone, puis envoyée dès qu'il y a du réseau."</p>
            // Within thumb reach without scrolling, above the bottom bar.
            <div class="sticky-action">
                <button type="submit" class="button button--primary button--wide">"Enregistrer"</button>
            </div>
            {(editing && !correcting).then(|| view! {
                <button type="button" class="button button--danger button--wide" on:click=remove>
                    {move || if confirm_delete.get() { "Confirmer la suppression" } else { "Supprimer (jamais envoyée)" }}
                </button>
            })}
            {correcting.then(|| view! {
                <div class="retract">
                    <button type="button" class="button button--danger button--wide"
                        on:click=move |_| {
                            if retracting.get_untracked() { retract(true) } else { retracting.set(true) }
                        }>
                        {move || if retracting.get() { "Confirmer le retrait" } else { "Retirer cette observation" }}
                    </button>
                    <Show when=move || retracting.get()>
                        <p class="field__hint">"Le texte disparaît des listes ; la trace (qui, quand, pourquoi) reste. Indiquez le motif ci-dessus, puis confirmez."</p>
                    </Show>
                </div>
            })}
        </form>
    }
}

/// A « Compétence » observation: which skill of the frameworks was seen at
/// work, and at what level (both optional together; free text stays
/// possible). The frameworks come from the phone's copy, so it works offline.
#[component]
fn SkillSeen(skill: RwSignal<Option<SkillTag>>, level: RwSignal<Option<Level>>) -> impl IntoView {
    let catalogue = LocalResource::new(|| async { crate::local::catalogue::load().await });
    let key = |t: &SkillTag| format!("{}/{}", t.framework_id, t.skill_id);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let frameworks: Vec<_> = catalogue
                    .await
                    .map(|c| c.frameworks)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|f| !f.archived)
                    .collect();
                if frameworks.is_empty() {
                    return view! {
                        <p class="field__hint">"Aucun référentiel sur ce téléphone : synchronisez avec du réseau pour choisir une compétence."</p>
                    }.into_any();
                }
                let chosen = skill.get_untracked().as_ref().map(key).unwrap_or_default();
                let tags: Vec<SkillTag> = frameworks
                    .iter()
                    .flat_map(|f| {
                        f.framework.skills.iter().filter(|s| !s.archived).map(|s| SkillTag {
                            framework_id: f.id.clone(),
                            skill_id: s.id.clone(),
                            title: s.title.clone(),
                        })
                    })
                    .collect();
                let groups = frameworks.into_iter().map(|f| {
                    let options = f.framework.skills.iter().filter(|s| !s.archived).map(|s| {
                        let value = format!("{}/{}", f.id, s.id);
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{s.title.clone()}</option> }
                    }).collect_view();
                    view! { <optgroup label=f.framework.title.clone()>{options}</optgroup> }
                }).collect_view();
                view! {
                    <Field id="skill" label="Compétence du référentiel (facultatif)">
                        <select class="field__input" id="skill" name="skill"
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                let tag = tags.iter().find(|t| key(t) == value).cloned();
                                if tag.is_none() { level.set(None); }
                                skill.set(tag);
                            }>
                            <option value="" selected=chosen.is_empty()>"Aucune : texte libre"</option>
                            {groups}
                        </select>
                    </Field>
                }.into_any()
            })}
        </Suspense>
        <Show when=move || skill.with(Option::is_some)>
            <fieldset class="choices choices--two choices--three">
                <legend class="field__label">"Niveau observé"</legend>
                {[Level::Acquired, Level::InProgress, Level::NotAcquired].into_iter().map(|l| {
                    let input_id = format!("level-{}", l.code());
                    let label_for = input_id.clone();
                    view! {
                        <label class=format!("choice choice--level-{}", l.code()) for=label_for>
                            <input type="radio" name="level" id=input_id value=l.code()
                                prop:checked=move || level.get() == Some(l)
                                on:change=move |_| level.set(Some(l))/>
                            <span>{l.short()}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <p class="field__hint">"Observé en situation de travail : compte dans sa progression et son attestation de compétences, à côté des séances."</p>
        </Show>
    }
}
