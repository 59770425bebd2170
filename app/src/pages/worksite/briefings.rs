//! « Quart d'heure sécurité » (`/securite`): a supervisor holds a safety
//! briefing with a team, ticks who is there in one tap each, and saves it
//! on the phone; below, the team's briefings so far. Works offline.
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

use super::held;
use crate::auth::{signed_in_now, use_user};
use crate::local::sync::{self as client, today_date, today_local, use_sync};
use crate::widgets::Field;
use crate::widgets::icons::Icon;
use jalon_core::dates::long_day;
use jalon_core::sync::protocol::WorkerCard;
use jalon_core::worksite::briefings::{self, Briefing, TOPICS};

/// The teams this phone holds, with their people in parcours (the server
/// refuses a briefing from someone who may not write in their files).
fn teams(workers: &[WorkerCard]) -> Vec<(String, String, Vec<WorkerCard>)> {
    let mut out: Vec<(String, String, Vec<WorkerCard>)> = Vec::new();
    for w in workers.iter().filter(|w| !w.ended) {
        let (Some(id), Some(name)) = (&w.team_id, &w.team) else {
            continue;
        };
        match out.iter_mut().find(|(t, _, _)| t == id) {
            Some((_, _, list)) => list.push(w.clone()),
            None => out.push((id.clone(), name.clone(), vec![w.clone()])),
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    for (_, _, list) in &mut out {
        list.sort_by_key(|w| w.name());
    }
    out
}

#[component]
pub fn BriefingsPage() -> impl IntoView {
    let sync = use_sync();
    // Kept across the reload a save brings (the form below is drawn again).
    let team = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<String>);
    let data = LocalResource::new(move || {
        sync.revision.track();
        async move {
            let workers = client::workers().await.unwrap_or_default();
            let records: Vec<Briefing> = held::<Briefing>(briefings::RECORD_TYPE)
                .await?
                .into_iter()
                .map(|(_, b)| b)
                .collect();
            Ok::<_, String>((workers, records))
        }
    });
    view! {
        <Title text="Quart d'heure sécurité"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="alert"/>"Quart d'heure sécurité"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((workers, records)) => {
                            let teams = teams(&workers);
                            if teams.is_empty() {
                                return view! {
                                    <p class="notice notice--warn">"Aucune équipe sur ce téléphone : synchronisez une première fois avec du réseau."</p>
                                }.into_any();
                            }
                            view! { <BriefingForm teams workers records team saved/> }.into_any()
                        }
                        Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn BriefingForm(
    teams: Vec<(String, String, Vec<WorkerCard>)>,
    workers: Vec<WorkerCard>,
    records: Vec<Briefing>,
    /// The team chosen ("" until one is: the first).
    team: RwSignal<String>,
    /// What the last save said.
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let teams = StoredValue::new(teams);
    if teams.with_value(|t| !t.iter().any(|(id, _, _)| *id == team.get_untracked())) {
        team.set(teams.with_value(|t| t[0].0.clone()));
    }
    let topic = RwSignal::new(String::new());
    let day = RwSignal::new(today_local());
    let notes = RwSignal::new(String::new());
    let present = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let people = move || {
        teams.with_value(|t| {
            t.iter()
                .find(|(id, _, _)| *id == team.get())
                .map(|(_, _, list)| list.clone())
                .unwrap_or_default()
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let team_id = team.get_untracked();
        let here = present.get_untracked();
        if here.is_empty() {
            error.set(Some("Cochez au moins une personne présente.".into()));
            return;
        }
        saved.set(None);
        let briefing_id = Uuid::now_v7().to_string();
        let mut lines = Vec::new();
        for w in people() {
            let line = Briefing {
                briefing_id: briefing_id.clone(),
                team_id: team_id.clone(),
                held_on: day.get_untracked(),
                topic: topic.get_untracked(),
                notes: notes.get_untracked(),
                worker_id: w.id.clone(),
                present: here.contains(&w.id),
            };
            match briefings::validate(&line, today_date()) {
                Ok(clean) => lines.push(clean),
                Err(message) => {
                    error.set(Some(message));
                    return;
                }
            }
        }
        error.set(None);
        let count = here.len();
        leptos::task::spawn_local(async move {
            let records: Vec<(Uuid, &str, &Briefing)> = lines
                .iter()
                .map(|b| (b.record_id(), b.worker_id.as_str(), b))
                .collect();
            match client::save_to_phone(
                sync,
                signed_in_now(user),
                briefings::RECORD_TYPE,
                briefings::SCHEMA,
                &records,
            )
            .await
            {
                Ok(()) => {
                    saved.set(Some(format!(
                        "Quart d'heure enregistré sur ce téléphone : {count} présent(s)."
                    )));
                    topic.set(String::new());
                    notes.set(String::new());
                    present.set(Vec::new());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let names = StoredValue::new(workers);
    let name_of = move |id: &str| {
        names
            .with_value(|w| w.iter().find(|w| w.id == id).map(|w| w.name()))
            .unwrap_or_else(|| "une personne".into())
    };
    let records = StoredValue::new(records);
    view! {
        <form class="form" on:submit=submit novalidate>
            <Field id="briefing-team" label="Équipe">
                <select class="field__input" id="briefing-team"
                    on:change=move |ev| { team.set(event_target_value(&ev)); present.set(Vec::new()); saved.set(None); }>
                    {teams.with_value(|t| t.iter().map(|(id, name, _)| {
                        let selected = *id == team.get_untracked();
                        view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
                    }).collect_view())}
                </select>
            </Field>
            <Field id="briefing-topic" label="Thème">
                <input class="field__input" id="briefing-topic" type="text" list="briefing-topics"
                    prop:value=move || topic.get() on:input=move |ev| topic.set(event_target_value(&ev))/>
                <datalist id="briefing-topics">
                    {TOPICS.into_iter().map(|t| view! { <option value=t/> }).collect_view()}
                </datalist>
            </Field>
            <Field id="briefing-day" label="Jour">
                <input class="field__input" id="briefing-day" type="date"
                    prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
            </Field>
            <fieldset class="briefing__people">
                <legend class="field__label">"Présents (un toucher chacun)"</legend>
                {move || people().into_iter().map(|w| {
                    let id = w.id.clone();
                    let toggle_id = id.clone();
                    let here = Memo::new(move |_| present.with(|p| p.contains(&id)));
                    let is_here = move || here.get();
                    view! {
                        <button type="button" class="button button--wide briefing__person"
                            class:briefing__person--here=is_here
                            aria-pressed=move || if is_here() { "true" } else { "false" }
                            on:click=move |_| present.update(|p| {
                                if let Some(at) = p.iter().position(|x| *x == toggle_id) {
                                    p.remove(at);
                                } else {
                                    p.push(toggle_id.clone());
                                }
                            })>
                            {move || if is_here() { "✓ " } else { "" }}{w.name()}
                        </button>
                    }
                }).collect_view()}
            </fieldset>
            <Field id="briefing-notes" label="Notes (facultatif)">
                <textarea class="field__input field__input--text" id="briefing-notes" rows="2"
                    prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </Field>
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
            {move || saved.get().map(|m| view! { <p class="notice notice--ok" role="status">{m}</p> })}
            <div class="sticky-action">
                <button type="submit" class="button button--primary button--wide">"Enregistrer le quart d'heure"</button>
            </div>
        </form>
        <h2 class="section-title">"Quarts d'heure de l'équipe"</h2>
        {move || {
            let team_id = team.get();
            let list: Vec<_> = records.with_value(|r| {
                briefings::held(r).into_iter().filter(|h| h.team_id == team_id).collect()
            });
            if list.is_empty() {
                return view! { <p class="empty">"Aucun quart d'heure sécurité pour cette équipe sur ce téléphone."</p> }.into_any();
            }
            view! {
                <ul class="cards" aria-label="Quarts d'heure de l'équipe">
                    {list.into_iter().map(|h| {
                        let here: Vec<String> = h.present.iter().map(|id| name_of(id)).collect();
                        let total = h.present.len() + h.absent.len();
                        view! {
                            <li class="card briefing">
                                <strong class="card__title">{h.topic.clone()}</strong>
                                <p class="card__meta">{format!("{} · {} présent(s) sur {total}", long_day(&h.held_on), h.present.len())}</p>
                                <p>{here.join(", ")}</p>
                                {(!h.notes.is_empty()).then(|| view! { <p class="muted">{h.notes.clone()}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
