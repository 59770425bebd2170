//! « Mes premiers jours » (`/mon-accueil`): the worker's own welcome, in
//! plain words (what is planned which day, what is done), and the
//! protective equipment they were given, each confirmed with « J'ai reçu ».
//! Read from the phone, so it works offline; the receipt syncs later.
use leptos::prelude::*;
use leptos_meta::Title;

use super::held;
use crate::auth::{signed_in_now, use_user};
use crate::local::sync::{self as client, today_date, today_local, use_sync};
use crate::widgets::icons::Icon;
use jalon_core::dates::long_day;
use jalon_core::worksite::equipment::{self, Equipment, Receipt};
use jalon_core::worksite::welcome::{self, WelcomeStep};

#[component]
pub fn MyWelcomePage() -> impl IntoView {
    let sync = use_sync();
    let data = LocalResource::new(move || {
        sync.revision.track();
        async move {
            let mut steps: Vec<WelcomeStep> = held::<WelcomeStep>(welcome::RECORD_TYPE)
                .await?
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            // Planned days first, in order; then the rest.
            steps.sort_by(|a, b| {
                (a.planned_on.is_empty(), &a.planned_on, &a.title).cmp(&(
                    b.planned_on.is_empty(),
                    &b.planned_on,
                    &b.title,
                ))
            });
            let equipment = held::<Equipment>(equipment::RECORD_TYPE).await?;
            let receipts: Vec<Receipt> = held::<Receipt>(equipment::RECEIPT_TYPE)
                .await?
                .into_iter()
                .map(|(_, r)| r)
                .collect();
            Ok::<_, String>((steps, equipment, receipts))
        }
    });
    view! {
        <Title text="Mes premiers jours"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="calendar"/>"Mes premiers jours"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((steps, equipment, receipts)) => view! {
                            <FirstDays steps/>
                            <MyEquipment equipment receipts/>
                        }.into_any(),
                        Err(message) => view! { <p class="notice notice--error">{message}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FirstDays(steps: Vec<WelcomeStep>) -> impl IntoView {
    if steps.is_empty() {
        return view! {
            <p class="empty">"Votre encadrant prépare votre accueil. Vous verrez ici ce qui est prévu chaque jour."</p>
        }
        .into_any();
    }
    let done = steps.iter().filter(|s| s.is_done()).count();
    view! {
        <p class="lead">{format!("Déjà fait : {done} sur {}.", steps.len())}</p>
        <ul class="cards" aria-label="Mon accueil">
            {steps.into_iter().map(|s| {
                let when = if s.is_done() {
                    format!("Fait le {}", long_day(&s.done_on))
                } else if s.planned_on.is_empty() {
                    "Bientôt".to_string()
                } else {
                    format!("Prévu le {}", long_day(&s.planned_on))
                };
                view! {
                    <li class=if s.is_done() { "card welcome-step welcome-step--done" } else { "card welcome-step" }>
                        <strong class="card__title">{if s.is_done() { "✓ " } else { "" }}{s.title.clone()}</strong>
                        <p class="card__meta">{when}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn MyEquipment(
    equipment: Vec<(jalon_core::sync::engine::LocalRecord, Equipment)>,
    receipts: Vec<Receipt>,
) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let error = RwSignal::new(None::<String>);
    view! {
        <h2 class="section-title">"Mes équipements de protection"</h2>
        {equipment.is_empty().then(|| view! { <p class="empty">"Aucun équipement remis pour l'instant."</p> })}
        {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
        <ul class="cards" aria-label="Mes équipements">
            {equipment.into_iter().map(|(r, e)| {
                let equipment_id = r.id.to_string();
                let receipt = receipts.iter().find(|x| x.equipment_id == equipment_id).cloned();
                let ack = super::welcome::acknowledgement(&e, receipt.as_ref());
                let worker_id = e.worker_id.clone();
                let received = move |_| {
                    let input = Receipt {
                        worker_id: worker_id.clone(),
                        equipment_id: equipment_id.clone(),
                        received_on: today_local(),
                    };
                    match equipment::validate_receipt(&input, today_date()) {
                        Ok(clean) => leptos::task::spawn_local(async move {
                            let id = clean.record_id();
                            let who = clean.worker_id.clone();
                            if let Err(e) = client::save_to_phone(sync, signed_in_now(user), equipment::RECEIPT_TYPE,
                                equipment::SCHEMA, &[(id, who.as_str(), &clean)]).await {
                                error.set(Some(e));
                            }
                        }),
                        Err(m) => error.set(Some(m)),
                    }
                };
                view! {
                    <li class="card equipment">
                        <strong class="card__title">{e.describe()}</strong>
                        <p class="card__meta">{format!("Remis le {}", long_day(&e.handed_on))}</p>
                        {match ack {
                            Some(text) => view! { <p class="equipment__ack"><Icon name="check"/>{text}</p> }.into_any(),
                            None => view! {
                                <button type="button" class="button button--primary button--wide" on:click=received>
                                    "J'ai reçu cet équipement"
                                </button>
                            }.into_any(),
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
