//! The safety report of an « Incident » observation: on the form (how
//! serious, where, who, first care, follow-up actions), on the cards (what
//! was reported, what is left to do) and, for its author, ticking actions
//! done and closing the report, offline like the rest of the observation.
use leptos::prelude::*;

use crate::local::sync::{today_date, today_local};
use crate::widgets::Field;
use crate::widgets::icons::Icon;
use jalon_core::dates::day_label;
use jalon_core::observations::{
    FollowAction, IncidentReport, Observation, WORK_ACCIDENT_NOTICE, validate,
};

/// How serious it was: the three choices of the form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gravity {
    NearMiss,
    Incident,
    WorkAccident,
}

impl Gravity {
    const ALL: [Gravity; 3] = [Gravity::NearMiss, Gravity::Incident, Gravity::WorkAccident];

    fn of(report: &IncidentReport, work_accident: bool) -> Gravity {
        match (report.near_miss, work_accident) {
            (true, _) => Gravity::NearMiss,
            (false, true) => Gravity::WorkAccident,
            (false, false) => Gravity::Incident,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Gravity::NearMiss => "presque",
            Gravity::Incident => "incident",
            Gravity::WorkAccident => "accident",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Gravity::NearMiss => "Presque-accident (personne n'est blessé)",
            Gravity::Incident => "Incident",
            Gravity::WorkAccident => "Accident du travail (quelqu'un est blessé)",
        }
    }
}

fn action_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// The report's part of the observation form.
#[component]
pub fn IncidentFields(
    report: RwSignal<IncidentReport>,
    work_accident: RwSignal<bool>,
) -> impl IntoView {
    let gravity = move || report.with(|r| Gravity::of(r, work_accident.get()));
    let text = move |id: &'static str,
                     label: &'static str,
                     get: fn(&IncidentReport) -> &String,
                     set: fn(&mut IncidentReport, String)| {
        view! {
            <Field id=id label=label>
                <input class="field__input" id=id name=id type="text"
                    prop:value=move || report.with(|r| get(r).clone())
                    on:input=move |ev| report.update(|r| set(r, event_target_value(&ev)))/>
            </Field>
        }
    };
    view! {
        <fieldset class="choices">
            <legend class="field__label">"Gravité"</legend>
            {Gravity::ALL.into_iter().map(|g| {
                let input_id = format!("gravity-{}", g.code());
                let label_for = input_id.clone();
                view! {
                    <label class="choice" for=label_for>
                        <input type="radio" name="gravity" id=input_id value=g.code()
                            prop:checked=move || gravity() == g
                            on:change=move |_| {
                                report.update(|r| r.near_miss = g == Gravity::NearMiss);
                                work_accident.set(g == Gravity::WorkAccident);
                            }/>
                        <span>{g.label()}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <Show when=move || work_accident.get()>
            <p class="notice notice--error" role="alert"><Icon name="alert"/>{WORK_ACCIDENT_NOTICE}</p>
        </Show>
        {text("incident-place", "Lieu", |r| &r.place, |r, v| r.place = v)}
        {text("incident-involved", "Autres personnes impliquées ou présentes", |r| &r.involved, |r, v| r.involved = v)}
        <Field id="incident-care" label="Premiers soins donnés">
            <textarea class="field__input field__input--text" id="incident-care" name="incident-care" rows="2"
                prop:value=move || report.with(|r| r.first_care.clone())
                on:input=move |ev| report.update(|r| r.first_care = event_target_value(&ev))></textarea>
        </Field>
        <fieldset class="actions-edit">
            <legend class="field__label">"Actions de suivi (quoi, qui, pour quand)"</legend>
            <For each=move || report.with(|r| r.actions.iter().map(|a| a.id.clone()).collect::<Vec<_>>())
                key=|id| id.clone()
                let:id>
                {
                    let key = id.clone();
                    let field = move |get: fn(&FollowAction) -> String, set: fn(&mut FollowAction, String)| {
                        let id_get = key.clone();
                        let id_set = key.clone();
                        (
                            move || report.with(|r| r.actions.iter().find(|a| a.id == id_get).map(get).unwrap_or_default()),
                            move |value: String| report.update(|r| {
                                if let Some(a) = r.actions.iter_mut().find(|a| a.id == id_set) {
                                    set(a, value);
                                }
                            }),
                        )
                    };
                    let (what, set_what) = field(|a| a.what.clone(), |a, v| a.what = v);
                    let (who, set_who) = field(|a| a.who.clone(), |a, v| a.who = v);
                    let (due, set_due) = field(|a| a.due_on.clone(), |a, v| a.due_on = v);
                    let gone = id.clone();
                    view! {
                        <div class="action-edit">
                            <input class="field__input" type="text" aria-label="Action à mener" placeholder="Action à mener"
                                prop:value=what on:input=move |ev| set_what(event_target_value(&ev))/>
                            <div class="field__row">
                                <input class="field__input" type="text" aria-label="Qui s'en charge" placeholder="Qui"
                                    prop:value=who on:input=move |ev| set_who(event_target_value(&ev))/>
                                <input class="field__input" type="date" aria-label="Pour quand"
                                    prop:value=due on:input=move |ev| set_due(event_target_value(&ev))/>
                            </div>
                            <button type="button" class="button button--quiet"
                                on:click=move |_| report.update(|r| r.actions.retain(|a| a.id != gone))>"Retirer cette action"</button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="button button--secondary button--wide"
                on:click=move |_| report.update(|r| r.actions.push(FollowAction { id: action_id(), ..Default::default() }))>
                "+ Ajouter une action"
            </button>
        </fieldset>
    }
}

/// The chips of an incident: how serious, open or closed.
fn chips(report: &IncidentReport, work_accident: bool) -> impl IntoView + use<> {
    let gravity = Gravity::of(report, work_accident);
    let open = report.open_actions();
    let state = match (&report.closed_on, open) {
        (Some(day), _) => format!("Clos le {}", day_label(day)),
        (None, 0) => "À clore".to_string(),
        (None, 1) => "1 action à faire".to_string(),
        (None, n) => format!("{n} actions à faire"),
    };
    view! {
        <div class="chips">
            {match gravity {
                Gravity::WorkAccident => view! { <span class="chip chip--alert-open">"Accident du travail"</span> }.into_any(),
                Gravity::NearMiss => view! { <span class="chip">"Presque-accident"</span> }.into_any(),
                Gravity::Incident => ().into_any(),
            }}
            <span class=if report.closed_on.is_some() { "chip chip--shared" } else { "chip chip--new" }>{state}</span>
        </div>
    }
}

fn action_line(a: &FollowAction) -> String {
    let due = if a.due_on.is_empty() {
        String::new()
    } else {
        format!(" · pour le {}", day_label(&a.due_on))
    };
    let done = a
        .done_on
        .as_ref()
        .map(|d| format!(" · fait le {}", day_label(d)))
        .unwrap_or_default();
    format!("{} — {}{due}{done}", a.what, a.who)
}

/// How serious, the work accident's duty, and the facts.
fn head(report: &IncidentReport, work_accident: bool) -> impl IntoView + use<> {
    view! {
        {chips(report, work_accident)}
        {work_accident.then(|| view! { <p class="notice notice--warn">{WORK_ACCIDENT_NOTICE}</p> })}
        {facts(report)}
    }
}

fn facts(report: &IncidentReport) -> impl IntoView + use<> {
    let line = |label: &'static str, value: &str| {
        (!value.is_empty())
            .then(|| view! { <li><strong>{label}" : "</strong>{value.to_string()}</li> })
    };
    view! {
        <ul class="incident__facts">
            {line("Lieu", &report.place)}
            {line("Personnes impliquées", &report.involved)}
            {line("Premiers soins", &report.first_care)}
        </ul>
    }
}

/// An incident's report as anyone who reads the observation sees it.
pub fn incident_view(report: Option<IncidentReport>, work_accident: bool) -> impl IntoView {
    report.map(|report| {
        view! {
            <div class="incident">
                {head(&report, work_accident)}
                {(!report.actions.is_empty()).then(|| view! {
                    <ul class="incident__actions" aria-label="Actions de suivi">
                        {report.actions.iter().map(|a| view! {
                            <li class=if a.done_on.is_some() { "incident__action incident__action--done" } else { "incident__action" }>
                                {if a.done_on.is_some() { "✓ " } else { "☐ " }}{action_line(a)}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </div>
        }
    })
}

/// For the report's author: each action ticked done in one tap, then the
/// report closed; saved on the phone and sent with the next sync.
#[component]
pub fn IncidentFollowUp(observation: Observation, save: Callback<Observation>) -> impl IntoView {
    let Some(report) = observation.incident.clone() else {
        return ().into_any();
    };
    let work_accident = observation.work_accident;
    let current = StoredValue::new(observation);
    let error = RwSignal::new(None::<String>);
    let store = move |change: Box<dyn FnOnce(&mut IncidentReport)>| {
        let mut next = current.get_value();
        if let Some(r) = next.incident.as_mut() {
            change(r);
        }
        match validate(&next, today_date()) {
            Ok(clean) => {
                error.set(None);
                save.run(clean);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let closed = report.closed_on.is_some();
    let all_done = report.open_actions() == 0;
    view! {
        <div class="incident">
            {head(&report, work_accident)}
            {(!report.actions.is_empty()).then(|| view! {
                <ul class="incident__actions" aria-label="Actions de suivi">
                    {report.actions.iter().map(|a| {
                        let id = a.id.clone();
                        let done = a.done_on.is_some();
                        let input_id = format!("action-{}", a.id);
                        let label_for = input_id.clone();
                        view! {
                            <li class="incident__action">
                                <label class="check" for=label_for>
                                    <input type="checkbox" id=input_id checked=done disabled=closed
                                        on:change=move |ev| {
                                            let ticked = event_target_checked(&ev);
                                            let id = id.clone();
                                            store(Box::new(move |r| {
                                                if let Some(a) = r.actions.iter_mut().find(|a| a.id == id) {
                                                    a.done_on = ticked.then(today_local);
                                                }
                                            }));
                                        }/>
                                    <span>{action_line(a)}</span>
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(!closed && all_done).then(|| view! {
                <button type="button" class="button button--secondary button--wide"
                    on:click=move |_| store(Box::new(|r| r.closed_on = Some(today_local())))>
                    "Clore ce signalement"
                </button>
            })}
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
        </div>
    }
    .into_any()
}
