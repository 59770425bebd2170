//! « Accueil » (`/accueil?salarie=…`): a new worker's welcome checklist,
//! each item planned for a day and ticked in one tap, and the protective
//! equipment handed over (the worker's equipment register), with their
//! acknowledgement. Staff, on the phone, with or without network.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::held;
use crate::auth::{signed_in_now, use_user};
use crate::local::sync::{self as client, SyncHandle, today_date, today_local, use_sync};
use crate::widgets::Field;
use crate::widgets::icons::Icon;
use crate::widgets::sync_state::state_chip;
use jalon_core::dates::{day_label, long_day};
use jalon_core::sync::engine::LocalRecord;
use jalon_core::worksite::equipment::{self, Equipment, Kind, Receipt, Renewal};
use jalon_core::worksite::welcome::{self, WelcomeItem, WelcomeStep};

/// What the screen shows of one worker, read from the phone.
#[derive(Clone)]
struct Loaded {
    name: Option<String>,
    items: Vec<WelcomeItem>,
    steps: Vec<(LocalRecord, WelcomeStep)>,
    equipment: Vec<(LocalRecord, Equipment)>,
    receipts: Vec<Receipt>,
}

async fn load(worker_id: String) -> Result<Loaded, String> {
    let name = client::workers()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|w| w.id == worker_id)
        .map(|w| w.name());
    let mut items = crate::local::catalogue::load()
        .await
        .map(|c| c.welcome_items)
        .unwrap_or_default();
    if items.is_empty() {
        items = welcome::default_items();
    }
    let steps: Vec<_> = held::<WelcomeStep>(welcome::RECORD_TYPE)
        .await?
        .into_iter()
        .filter(|(_, s)| s.worker_id == worker_id)
        .collect();
    // An item since removed from the list stays shown where it was ticked.
    for (_, s) in &steps {
        if s.is_done() && !items.iter().any(|i| i.id == s.item_id) {
            items.push(WelcomeItem {
                id: s.item_id.clone(),
                title: s.title.clone(),
            });
        }
    }
    let mut equipment: Vec<_> = held::<Equipment>(equipment::RECORD_TYPE)
        .await?
        .into_iter()
        .filter(|(_, e)| e.worker_id == worker_id)
        .collect();
    equipment.sort_by(|a, b| b.1.handed_on.cmp(&a.1.handed_on));
    let receipts = held::<Receipt>(equipment::RECEIPT_TYPE)
        .await?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| r.worker_id == worker_id)
        .collect();
    Ok(Loaded {
        name,
        items,
        steps,
        equipment,
        receipts,
    })
}

/// Saves one record on the phone (sent with the next sync).
async fn keep<T: serde::Serialize>(
    sync: SyncHandle,
    user: crate::auth::UserResource,
    record_type: &'static str,
    schema: u32,
    id: Uuid,
    worker_id: &str,
    value: &T,
) -> Result<(), String> {
    client::save_to_phone(
        sync,
        signed_in_now(user),
        record_type,
        schema,
        &[(id, worker_id, value)],
    )
    .await
}

#[component]
pub fn WelcomePage() -> impl IntoView {
    let sync = use_sync();
    // Kept across the reload a save brings (the sections are drawn again).
    let handed = RwSignal::new(false);
    let query = use_query_map();
    let worker = move || query.read().get("salarie").unwrap_or_default();
    let data = LocalResource::new(move || {
        sync.revision.track();
        load(worker())
    });
    view! {
        <Title text="Accueil"/>
        <section class="page page--narrow">
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(loaded) => {
                            let worker_id = worker();
                            view! {
                                <h1 class="page__title"><Icon name="team"/>{format!("Accueil de {}", loaded.name.clone().unwrap_or_else(|| "la personne".into()))}</h1>
                                <Checklist worker_id=worker_id.clone() items=loaded.items.clone() steps=loaded.steps.clone()/>
                                <Register equipment=loaded.equipment.clone() receipts=loaded.receipts.clone()/>
                                <HandOver worker_id saved=handed/>
                            }.into_any()
                        }
                        Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The checklist: one line per item, ticked in one tap, planned for a day.
#[component]
fn Checklist(
    worker_id: String,
    items: Vec<WelcomeItem>,
    steps: Vec<(LocalRecord, WelcomeStep)>,
) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let error = RwSignal::new(None::<String>);
    let done = items
        .iter()
        .filter(|i| steps.iter().any(|(_, s)| s.item_id == i.id && s.is_done()))
        .count();
    let total = items.len();
    let lines = items
        .into_iter()
        .map(|item| {
            let found = steps.iter().find(|(_, s)| s.item_id == item.id).cloned();
            let step = found.as_ref().map(|(_, s)| s.clone()).unwrap_or(WelcomeStep {
                worker_id: worker_id.clone(),
                item_id: item.id.clone(),
                title: item.title.clone(),
                planned_on: String::new(),
                done_on: String::new(),
                note: String::new(),
            });
            let record = found.map(|(r, _)| r);
            let store = move |change: Box<dyn FnOnce(&mut WelcomeStep)>, base: WelcomeStep| {
                let mut next = base;
                change(&mut next);
                match welcome::validate(&next, today_date()) {
                    Ok(clean) => {
                        error.set(None);
                        leptos::task::spawn_local(async move {
                            let id = clean.record_id();
                            let who = clean.worker_id.clone();
                            if let Err(e) = keep(sync, user, welcome::RECORD_TYPE, welcome::SCHEMA, id, &who, &clean).await {
                                error.set(Some(e));
                            }
                        });
                    }
                    Err(message) => error.set(Some(message)),
                }
            };
            let input_id = format!("step-{}", item.id);
            let label_for = input_id.clone();
            let plan_id = format!("plan-{}", item.id);
            let plan_for = plan_id.clone();
            let is_done = step.is_done();
            let meta = match (&record, is_done) {
                (Some(r), true) => format!("Fait le {} · {}", day_label(&step.done_on), r.author_name),
                (_, false) if !step.planned_on.is_empty() => format!("Prévu le {}", long_day(&step.planned_on)),
                _ => "Pas encore prévu".to_string(),
            };
            let tick_base = step.clone();
            let plan_base = step.clone();
            view! {
                <li class=if is_done { "card welcome-step welcome-step--done" } else { "card welcome-step" } data-item=item.id.clone()>
                    <label class="check welcome-step__tick" for=label_for>
                        <input type="checkbox" id=input_id checked=is_done
                            on:change=move |ev| {
                                let ticked = event_target_checked(&ev);
                                store(Box::new(move |s| s.done_on = if ticked { today_local() } else { String::new() }), tick_base.clone());
                            }/>
                        <span>{item.title.clone()}</span>
                    </label>
                    <p class="card__meta">{meta}</p>
                    <div class="welcome-step__plan">
                        <label class="field__label" for=plan_for>"Prévu le"</label>
                        <input class="field__input" type="date" id=plan_id value=step.planned_on.clone()
                            on:change=move |ev| {
                                let day = event_target_value(&ev);
                                store(Box::new(move |s| s.planned_on = day), plan_base.clone());
                            }/>
                    </div>
                    {record.map(|r| state_chip(&r.state, false))}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2 class="section-title">"Étapes d'accueil"</h2>
        <p class="lead" data-figure="welcome-progress">{format!("{done} sur {total} étapes faites")}</p>
        {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
        <ul class="cards" aria-label="Étapes d'accueil">{lines}</ul>
    }
}

fn renewal_line(e: &Equipment) -> Option<(&'static str, String)> {
    match e.renewal(today_date()) {
        Renewal::None => None,
        Renewal::Later => Some((
            "card__meta",
            format!("À renouveler le {}", day_label(&e.renew_on)),
        )),
        Renewal::Soon => Some((
            "notice notice--warn",
            format!("À renouveler bientôt : le {}", day_label(&e.renew_on)),
        )),
        Renewal::Due => Some((
            "notice notice--error",
            format!("À renouveler depuis le {}", day_label(&e.renew_on)),
        )),
    }
}

/// How the worker acknowledged a piece of equipment, in words.
pub(super) fn acknowledgement(e: &Equipment, receipt: Option<&Receipt>) -> Option<String> {
    match (receipt, e.acknowledged_on.is_empty()) {
        (Some(r), _) => Some(format!(
            "Reçu : confirmé sur son téléphone le {}",
            day_label(&r.received_on)
        )),
        (None, false) => Some(format!(
            "Reçu : confirmé devant l'encadrant le {}",
            day_label(&e.acknowledged_on)
        )),
        (None, true) => None,
    }
}

/// The equipment register: what was handed over, when, its renewal, and
/// whether the worker acknowledged it.
#[component]
fn Register(equipment: Vec<(LocalRecord, Equipment)>, receipts: Vec<Receipt>) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let error = RwSignal::new(None::<String>);
    let empty = equipment.is_empty();
    let lines = equipment
        .into_iter()
        .map(|(r, e)| {
            let receipt = receipts.iter().find(|x| x.equipment_id == r.id.to_string());
            let ack = acknowledgement(&e, receipt);
            let id = r.id;
            let base = e.clone();
            let confirm = move |_| {
                let mut next = base.clone();
                next.acknowledged_on = today_local();
                match equipment::validate(&next, today_date()) {
                    Ok(clean) => leptos::task::spawn_local(async move {
                        let who = clean.worker_id.clone();
                        if let Err(e) = keep(sync, user, equipment::RECORD_TYPE, equipment::SCHEMA, id, &who, &clean).await {
                            error.set(Some(e));
                        }
                    }),
                    Err(m) => error.set(Some(m)),
                }
            };
            view! {
                <li class="card equipment" data-kind=e.kind.code()>
                    <strong class="card__title">{e.describe()}</strong>
                    <p class="card__meta">{format!("Remis le {} · {}", day_label(&e.handed_on), r.author_name)}</p>
                    {renewal_line(&e).map(|(class, text)| view! { <p class=class>{text}</p> })}
                    {match ack {
                        Some(text) => view! { <p class="equipment__ack"><Icon name="check"/>{text}</p> }.into_any(),
                        None => view! {
                            <p class="muted">"Pas encore confirmé par la personne."</p>
                            <button type="button" class="button button--secondary button--wide" on:click=confirm>
                                "Elle confirme l'avoir reçu, devant moi"
                            </button>
                        }.into_any(),
                    }}
                    {state_chip(&r.state, false)}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2 class="section-title">"Équipements de protection remis"</h2>
        {empty.then(|| view! { <p class="empty">"Aucun équipement remis pour l'instant."</p> })}
        {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
        <ul class="cards" aria-label="Registre des équipements">{lines}</ul>
    }
}

/// Recording equipment handed over.
#[component]
fn HandOver(worker_id: String, saved: RwSignal<bool>) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let kind = RwSignal::new(Kind::SafetyShoes);
    let label = RwSignal::new(String::new());
    let size = RwSignal::new(String::new());
    let quantity = RwSignal::new("1".to_string());
    let handed_on = RwSignal::new(today_local());
    let renew_on = RwSignal::new(String::new());
    let in_person = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(count) = quantity.get_untracked().trim().parse::<u32>() else {
            error.set(Some("Quantité : entre 1 et 50.".into()));
            return;
        };
        let handed = handed_on.get_untracked();
        let input = Equipment {
            worker_id: worker_id.clone(),
            kind: kind.get_untracked(),
            label: label.get_untracked(),
            size: size.get_untracked(),
            quantity: count,
            handed_on: handed.clone(),
            renew_on: renew_on.get_untracked(),
            acknowledged_on: if in_person.get_untracked() {
                today_local()
            } else {
                String::new()
            },
        };
        match equipment::validate(&input, today_date()) {
            Ok(clean) => {
                error.set(None);
                leptos::task::spawn_local(async move {
                    let who = clean.worker_id.clone();
                    match keep(
                        sync,
                        user,
                        equipment::RECORD_TYPE,
                        equipment::SCHEMA,
                        Uuid::now_v7(),
                        &who,
                        &clean,
                    )
                    .await
                    {
                        Ok(()) => {
                            saved.set(true);
                            label.set(String::new());
                            size.set(String::new());
                            quantity.set("1".into());
                            renew_on.set(String::new());
                            in_person.set(false);
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
            Err(message) => error.set(Some(message)),
        }
    };
    view! {
        {move || saved.get().then(|| view! { <p class="notice notice--ok" role="status">"Équipement enregistré sur ce téléphone."</p> })}
        <details class="card" open=false>
            <summary class="details__summary">"Remettre un équipement"</summary>
            <form class="form" on:submit=submit novalidate>
                <Field id="equipment-kind" label="Équipement">
                    <select class="field__input" id="equipment-kind"
                        on:change=move |ev| if let Some(k) = Kind::parse(&event_target_value(&ev)) { kind.set(k) }>
                        {Kind::ALL.into_iter().map(|k| view! {
                            <option value=k.code() selected=move || kind.get() == k>{k.label()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="equipment-label" label="Précision (modèle, couleur…)">
                    <input class="field__input" id="equipment-label" type="text"
                        prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev))/>
                </Field>
                <div class="field__row">
                    <Field id="equipment-size" label="Taille">
                        <input class="field__input" id="equipment-size" type="text"
                            prop:value=move || size.get() on:input=move |ev| size.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="equipment-quantity" label="Quantité">
                        <input class="field__input" id="equipment-quantity" type="number" min="1" max="50" inputmode="numeric"
                            prop:value=move || quantity.get() on:input=move |ev| quantity.set(event_target_value(&ev))/>
                    </Field>
                </div>
                <div class="field__row">
                    <Field id="equipment-handed" label="Remis le">
                        <input class="field__input" id="equipment-handed" type="date"
                            prop:value=move || handed_on.get() on:input=move |ev| handed_on.set(event_target_value(&ev))/>
                    </Field>
                    <Field id="equipment-renew" label="À renouveler le">
                        <input class="field__input" id="equipment-renew" type="date"
                            prop:value=move || renew_on.get() on:input=move |ev| renew_on.set(event_target_value(&ev))/>
                    </Field>
                </div>
                <label class="check">
                    <input type="checkbox" id="equipment-in-person" prop:checked=move || in_person.get()
                        on:change=move |ev| in_person.set(event_target_checked(&ev))/>
                    <span>"La personne confirme l'avoir reçu, devant moi"</span>
                </label>
                <p class="field__hint">"Sinon, elle le confirme elle-même sur son téléphone (« Mes premiers jours »)."</p>
                {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{m}</p> })}
                <button type="submit" class="button button--primary button--wide">"Enregistrer la remise"</button>
            </form>
        </details>
    }
}
