//! The observation screens. They read and write the phone's store only, so
//! they work the same with or without network; the sync carries the rest.
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use super::{Kind, MAX_BODY_CHARS, Observation, RECORD_TYPE, SCHEMA, validate};
use crate::auth::{CurrentUser, UserResource, use_user};
use crate::shell::Field;
use crate::shell::dates::day_label;
use crate::shell::icons::Icon;
use crate::sync::client::{self, LocalAction, today_local};
use crate::sync::engine::{Change, LocalRecord, RecordState};
use crate::sync::protocol::WorkerCard;
use crate::sync::{state_chip, use_sync};

/// Who writes: the signed-in person's id and name, from the user resource
/// (a handle taken while the component is built, usable in any handler).
fn author(user: UserResource) -> (String, String) {
    user.get_untracked()
        .and_then(|r| r.ok())
        .flatten()
        .map(|u: CurrentUser| (u.id, u.display_name))
        .unwrap_or_default()
}

/// A record's fields, if they read as an observation.
fn fields(r: &LocalRecord) -> Option<Observation> {
    serde_json::from_value(r.data.clone()).ok()
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
    view! {
        <Title text="Observations"/>
        <section class="page">
            <h1 class="page__title"><Icon name="file"/>"Observations"</h1>
            <Show when=saved>
                <p class="notice notice--ok" role="status"><Icon name="check"/>"Observation enregistrée sur ce téléphone."</p>
            </Show>
            <a class="button button--primary button--wide" href="/observations/nouvelle">"Nouvelle observation"</a>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((records, workers)) => observation_list(records, workers, user).into_any(),
                        Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn observation_list(
    mut records: Vec<LocalRecord>,
    workers: Vec<WorkerCard>,
    user: UserResource,
) -> impl IntoView {
    if records.is_empty() {
        return view! {
            <p class="empty">"Aucune observation pour l'instant. Elles s'écrivent même sans réseau."</p>
        }
        .into_any();
    }
    let me = author(user).0;
    let date_of = |r: &LocalRecord| fields(r).map(|o| o.observed_on).unwrap_or_default();
    records
        .sort_by(|a, b| (date_of(b), &b.updated_at, b.id).cmp(&(date_of(a), &a.updated_at, a.id)));
    let name_of = move |id: &str| {
        workers
            .iter()
            .find(|w| w.id == id)
            .map(WorkerCard::name)
            .unwrap_or_else(|| "Personne inconnue".into())
    };
    let count = records.len();
    let items = records
        .into_iter()
        .filter_map(|r| fields(&r).map(|o| (r, o)))
        .map(|(r, o)| {
            let mine = r.author_id == me;
            let who = name_of(&o.worker_id);
            observation_card(r, o, who, mine, user)
        })
        .collect_view();
    view! {
        <p class="muted" data-count=count>
            {if count == 1 { "1 observation".to_string() } else { format!("{count} observations") }}
        </p>
        <ul class="cards" aria-label="Observations">{items}</ul>
    }
    .into_any()
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
    let worker_id = r.worker_id.clone();
    let (author_id, author_name) = author(user);
    let keep = move |data: serde_json::Value| {
        let (worker_id, author_id, author_name) =
            (worker_id.clone(), author_id.clone(), author_name.clone());
        leptos::task::spawn_local(async move {
            let now = client::now();
            let change = Change {
                record_type: RECORD_TYPE,
                schema: SCHEMA,
                id,
                worker_id: &worker_id,
                data,
                author_id: &author_id,
                author_name: &author_name,
                now: &now,
            };
            let _ = client::apply(sync, LocalAction::Save(change)).await;
        });
    };
    let keep_current = keep.clone();
    let act = move |action: fn(Uuid) -> LocalAction<'static>| {
        leptos::task::spawn_local(async move {
            let _ = client::apply(sync, action(id)).await;
        });
    };
    view! {
        <li class="card observation" data-kind=o.kind.as_str()>
            <div class="card__head">
                <strong class="card__title">{who}</strong>
                <span class=format!("chip chip--kind chip--{}", o.kind.as_str())>{o.kind.label()}</span>
            </div>
            <p class="card__meta">{day_label(&o.observed_on)}" · "{r.author_name.clone()}</p>
            <p class="observation__body">{o.body.clone()}</p>
            <div class="card__foot">
                {state_chip(&r.state, true)}
                {mine.then(|| view! { <a class="button button--quiet" href=edit>"Modifier"</a> })}
            </div>
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
                        let keep = keep.clone();
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

/// The form of a new or edited observation. Saving writes to the phone at
/// once; the network is never waited for.
#[component]
fn ObservationForm(id: Uuid, existing: Option<LocalRecord>, worker: String) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let navigate = use_navigate();
    let current = existing.as_ref().and_then(fields);
    let editing = existing.is_some();
    let worker_id = RwSignal::new(worker);
    let date = RwSignal::new(
        current
            .as_ref()
            .map(|o| o.observed_on.clone())
            .unwrap_or_else(today_local),
    );
    let kind = RwSignal::new(current.as_ref().map(|o| o.kind));
    let body = RwSignal::new(current.map(|o| o.body).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(false);
    let workers = LocalResource::new(|| async { client::workers().await.unwrap_or_default() });

    let navigate_after = navigate.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(k) = kind.get_untracked() else {
            error.set(Some("Choisissez le type d'observation.".into()));
            return;
        };
        let input = Observation {
            worker_id: worker_id.get_untracked(),
            observed_on: date.get_untracked(),
            kind: k,
            body: body.get_untracked(),
        };
        let today = NaiveDate::parse_from_str(&today_local(), "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
        let clean = match validate(&input, today) {
            Ok(clean) => clean,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        let navigate = navigate_after.clone();
        let (author_id, author_name) = author(user);
        leptos::task::spawn_local(async move {
            let now = client::now();
            let data = serde_json::to_value(&clean).unwrap_or_default();
            let change = Change {
                record_type: RECORD_TYPE,
                schema: SCHEMA,
                id,
                worker_id: &clean.worker_id,
                data,
                author_id: &author_id,
                author_name: &author_name,
                now: &now,
            };
            match client::apply(sync, LocalAction::Save(change)).await {
                Ok(()) => navigate("/observations?enregistree=1", Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
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
    let remaining = move || MAX_BODY_CHARS.saturating_sub(body.with(|b| b.chars().count()));

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
            <Field id="date" label="Date">
                <input class="field__input" id="date" name="date" type="date" required
                    prop:value=move || date.get()
                    on:input=move |ev| date.set(event_target_value(&ev))/>
            </Field>
            <fieldset class="choices">
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
                                    on:change=move |_| kind.set(Some(k))/>
                                <span>{k.label()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <Field id="body" label="Ce que vous avez vu (des faits)">
                <textarea class="field__input field__input--text" id="body" name="body" rows="5"
                    maxlength=MAX_BODY_CHARS.to_string()
                    prop:value=move || body.get()
                    on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <span class="field__hint">{move || format!("{} caractères restants", remaining())}</span>
            </Field>
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
            <button type="submit" class="button button--primary button--wide">"Enregistrer"</button>
            <p class="field__hint">"Enregistrée d'abord sur ce téléphone, puis envoyée dès qu'il y a du réseau."</p>
            {editing.then(|| view! {
                <button type="button" class="button button--danger button--wide" on:click=remove>
                    {move || if confirm_delete.get() { "Confirmer la suppression" } else { "Supprimer" }}
                </button>
            })}
        </form>
    }
}
