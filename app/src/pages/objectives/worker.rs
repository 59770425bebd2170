//! The worker's own space on their phone, in plain words: the home
//! (objectives, successes, attendance), "Mes objectifs" (each objective as a
//! progress line and its next step, "Je pense l'avoir fait", a message) and
//! "Mes réussites" (steps reached, skills acquired, what the team noted and
//! shared). Everything is read from the phone's store, which the sync fills
//! with their own records only, so it works offline after the first
//! sign-in; their reactions wait on the phone and sync like every record.
use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use uuid::Uuid;

use super::staff::{Held, progress_line, save_record};
use crate::auth::use_user;
use crate::local::sync::use_sync;
use crate::local::sync::{self as client, today_local};
use crate::widgets::icons::Icon;
use jalon_core::dates::long_day;
use jalon_core::objectives::{
    Objective, REACTION_TYPE, Reaction, ReactionKind, Status, validate_reaction,
};
use jalon_core::sessions::Level;
use jalon_core::sync::engine::LocalRecord;

/// What the worker's screens read from the phone.
#[derive(Clone)]
struct Mine {
    held: Held,
    /// Skills whose latest level is "acquis".
    skills: Vec<String>,
    shared: Vec<jalon_core::observations::Summary>,
    /// Days present this month.
    present: String,
}

impl Mine {
    async fn load() -> Mine {
        let held = Held::load().await;
        let skills = crate::pages::sessions::progression::load(None)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.level == Level::Acquired && !s.archived)
            .map(|s| s.skill.title)
            .collect();
        let mut shared: Vec<jalon_core::observations::Summary> =
            client::records(jalon_core::observations::RECORD_TYPE)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| serde_json::from_value(r.data).ok())
                .filter(|o: &jalon_core::observations::Summary| o.shared && !o.retracted)
                .collect();
        shared.sort_by(|a, b| b.observed_on.cmp(&a.observed_on));
        let month = today_local().get(..7).unwrap_or_default().to_string();
        let days: Vec<jalon_core::attendance::Attendance> =
            client::records(jalon_core::attendance::RECORD_TYPE)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| serde_json::from_value(r.data).ok())
                .filter(|a: &jalon_core::attendance::Attendance| a.day.starts_with(&month))
                .collect();
        let present = jalon_core::attendance::rates::days(
            jalon_core::attendance::rates::tally(days.iter()).present,
        );
        Mine {
            held,
            skills,
            shared,
            present,
        }
    }

    fn open(&self) -> Vec<&(LocalRecord, Objective)> {
        self.held
            .objectives
            .iter()
            .filter(|(_, o)| o.status.open())
            .collect()
    }

    /// Steps reached, newest first, with their objective's title.
    fn steps_done(&self) -> Vec<(String, String, String)> {
        let mut steps: Vec<(String, String, String)> = self
            .held
            .objectives
            .iter()
            .flat_map(|(_, o)| {
                o.steps
                    .iter()
                    .filter(|s| s.done)
                    .map(|s| (s.done_on.clone(), s.title.clone(), o.title.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        steps.sort_by(|a, b| b.0.cmp(&a.0));
        steps
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("aucun{}", if one.ends_with('e') { "e" } else { "" }),
        n => jalon_core::text::plural(n, one, many),
    }
}

/// The worker's home: three cards, one idea each.
#[component]
pub fn WorkerHome() -> impl IntoView {
    let sync = use_sync();
    let data = LocalResource::new(move || {
        sync.revision.track();
        Mine::load()
    });
    // No Suspense here: the home sits inside the signed-in user's
    // transition, and the phone's data is read after hydration; until then
    // the same "Chargement…" line is shown on the server and in the browser.
    view! {
        <p class="lead">"Voici votre espace."</p>
        {move || match data.get() {
            None => view! { <p class="muted">"Chargement…"</p> }.into_any(),
            Some(mine) => home_cards(mine).into_any(),
        }}
    }
}

fn home_cards(mine: Mine) -> impl IntoView {
    let open = mine.open();
    let next = open
        .iter()
        .find_map(|(_, o)| o.next_step().map(|s| s.title.clone()));
    let open_count = open.len();
    let done = mine.steps_done().len();
    let team = mine.held.workers.first().and_then(|w| w.team.clone());
    view! {
        {team.map(|t| view! { <p>{format!("Votre équipe : {t}.")}</p> })}
        <article class="card home-card" data-card="objectifs">
            <h2 class="card__title"><Icon name="star"/>"Mes objectifs"</h2>
            <p>{match open_count {
                0 => "Pas encore d'objectif.".to_string(),
                1 => "Vous avez 1 objectif.".to_string(),
                n => format!("Vous avez {n} objectifs."),
            }}</p>
            {next.map(|n| view! { <p>"À faire : "{n}"."</p> })}
            <a class="button button--primary button--wide" href="/mes-objectifs">"Voir mes objectifs"</a>
        </article>
        <article class="card home-card" data-card="reussites">
            <h2 class="card__title"><Icon name="check"/>"Mes réussites"</h2>
            <p>{match done {
                0 => "Vos réussites seront ici.".to_string(),
                1 => "Bravo ! Vous avez fait 1 étape.".to_string(),
                n => format!("Bravo ! Vous avez fait {n} étapes."),
            }}</p>
            <a class="button button--secondary button--wide" href="/mes-reussites">"Voir mes réussites"</a>
        </article>
        <article class="card home-card" data-card="presences">
            <h2 class="card__title"><Icon name="calendar"/>"Mes présences"</h2>
            <p>{match mine.present.as_str() {
                "0" => "Ce mois-ci : pas encore de jour de présence.".to_string(),
                "1" => "Ce mois-ci : 1 jour de présence.".to_string(),
                n => format!("Ce mois-ci : {n} jours de présence."),
            }}</p>
            <a class="button button--secondary button--wide" href="/mes-presences">"Voir mes présences"</a>
        </article>
        <article class="card home-card" data-card="accueil">
            <h2 class="card__title"><Icon name="calendar"/>"Mes premiers jours"</h2>
            <p>"Votre accueil jour par jour, et vos équipements de protection."</p>
            <a class="button button--secondary button--wide" href="/mon-accueil">"Voir mon accueil"</a>
        </article>
        <article class="card home-card" data-card="bilans">
            <h2 class="card__title"><Icon name="file"/>"Mes bilans"</h2>
            <p>"Vos bilans, à lire ici."</p>
            <a class="button button--secondary button--wide" href="/mes-bilans">"Voir mes bilans"</a>
        </article>
        <article class="card home-card" data-card="donnees">
            <h2 class="card__title"><Icon name="key"/>"Vos données"</h2>
            <p>"Ce que Jalon garde sur vous, et vos droits."</p>
            <a class="button button--secondary button--wide" href="/mes-donnees">"Mes données"</a>
        </article>
    }
}

#[component]
pub fn MyObjectivesPage() -> impl IntoView {
    let sync = use_sync();
    let data = LocalResource::new(move || {
        sync.revision.track();
        Held::load()
    });
    // Drawn again only when the objectives changed, not at every sync;
    // messages being typed are kept here, whatever is drawn again.
    let held = Memo::new(move |_| data.get());
    let drafts = RwSignal::new(HashMap::<Uuid, String>::new());
    view! {
        <Title text="Mes objectifs"/>
        <section class="page page--narrow worker-space">
            <h1 class="page__title"><Icon name="star"/>"Mes objectifs"</h1>
            {move || match held.get() {
                None => view! { <p class="muted">"Chargement…"</p> }.into_any(),
                Some(held) => my_objectives(held, drafts).into_any(),
            }}
        </section>
    }
}

fn my_objectives(held: Held, drafts: RwSignal<HashMap<Uuid, String>>) -> impl IntoView {
    let (open, closed): (Vec<_>, Vec<_>) = held
        .objectives
        .iter()
        .cloned()
        .partition(|(_, o)| o.status.open());
    let (reached, stopped): (Vec<_>, Vec<_>) = closed
        .into_iter()
        .partition(|(_, o)| o.status == Status::Reached);
    let card = |(r, o): (LocalRecord, Objective)| {
        let reactions = held
            .reactions
            .iter()
            .filter(|(_, x)| x.objective_id == r.id.to_string())
            .map(|(_, x)| x.clone())
            .collect();
        view! { <MyObjective id=r.id objective=o reactions drafts/> }
    };
    let empty = open.is_empty();
    view! {
        {empty.then(|| view! {
            <p class="empty">"Pas encore d'objectif. Vous allez les choisir avec votre conseillère ou votre conseiller."</p>
        })}
        {open.into_iter().map(card).collect_view()}
        {(!reached.is_empty()).then(|| view! {
            <h2 class="section-title"><Icon name="check"/>"Objectifs atteints"</h2>
            {reached.into_iter().map(card).collect_view()}
        })}
        {(!stopped.is_empty()).then(|| view! {
            <details class="details">
                <summary>"Objectifs arrêtés"</summary>
                {stopped.into_iter().map(card).collect_view()}
            </details>
        })}
    }
}

/// One objective on the worker's phone.
#[component]
fn MyObjective(
    id: Uuid,
    objective: Objective,
    reactions: Vec<Reaction>,
    drafts: RwSignal<HashMap<Uuid, String>>,
) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let error = RwSignal::new(None::<String>);
    let worker_id = objective.worker_id.clone();
    let sensitive = objective.sensitive;
    let react = move |kind: ReactionKind, step_id: String, body: String| {
        let reaction = Reaction {
            worker_id: worker_id.clone(),
            objective_id: id.to_string(),
            step_id,
            kind,
            body,
            sensitive,
            said_on: today_local(),
        };
        let clean = match validate_reaction(&reaction, client::today_date()) {
            Ok(clean) => clean,
            Err(m) => {
                error.set(Some(m));
                return;
            }
        };
        spawn_local(async move {
            let worker_id = clean.worker_id.clone();
            match save_record(
                sync,
                user,
                REACTION_TYPE,
                Uuid::now_v7(),
                &worker_id,
                &clean,
            )
            .await
            {
                Ok(()) => {
                    error.set(None);
                    if kind == ReactionKind::Comment {
                        drafts.update(|d| {
                            d.remove(&id);
                        });
                    }
                }
                Err(m) => error.set(Some(m)),
            }
        });
    };
    let claimed = |step_id: &str| {
        reactions
            .iter()
            .any(|r| r.kind == ReactionKind::Claim && r.step_id == step_id)
    };
    let open = objective.status.open();
    let steps = objective
        .steps
        .iter()
        .map(|s| {
            let step_id = s.id.clone();
            let react = react.clone();
            let said = claimed(&s.id) && !s.done;
            view! {
                <li class=if s.done { "my-step my-step--done" } else { "my-step" } data-step=s.title.clone()>
                    <span class="my-step__mark" aria-hidden="true">{if s.done { view! { <Icon name="check"/> }.into_any() } else { view! { <span class="my-step__dot"></span> }.into_any() }}</span>
                    <span class="my-step__text">
                        <span>{s.title.clone()}</span>
                        {s.done.then(|| view! { <span class="my-step__meta">{format!("C'est fait. Le {}.", long_day(&s.done_on))}</span> })}
                        {said.then(|| view! { <span class="my-step__meta">"Vous avez dit : c'est fait. On va vérifier avec vous."</span> })}
                    </span>
                    {(!s.done && !said && open).then(|| view! {
                        <button type="button" class="button button--secondary my-step__claim" aria-label=format!("Je pense l'avoir fait : {}", s.title)
                            on:click=move |_| react(ReactionKind::Claim, step_id.clone(), String::new())>
                            "Je pense l'avoir fait"
                        </button>
                    })}
                </li>
            }
        })
        .collect_view();
    let next = objective.next_step().map(|s| s.title.clone());
    let notes = objective
        .shared_notes()
        .into_iter()
        .map(|n| view! { <li class="reply"><p class="card__meta">{format!("Message de {}", n.by)}</p><p>{n.text.clone()}</p></li> })
        .collect_view();
    let mine = reactions
        .iter()
        .filter(|r| r.kind == ReactionKind::Comment)
        .map(|r| view! { <li class="reply reply--mine"><p class="card__meta">{format!("Vous avez écrit, le {}", long_day(&r.said_on))}</p><p>{r.body.clone()}</p></li> })
        .collect_view();
    let send = react.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = drafts.with_untracked(|d| d.get(&id).cloned().unwrap_or_default());
        send(ReactionKind::Comment, String::new(), text);
    };
    view! {
        <article class="card my-objective" data-objective=objective.title.clone()>
            <h2 class="card__title"><Icon name=objective.kind.icon()/>{objective.title.clone()}</h2>
            <p class="muted">{objective.kind.for_worker()}</p>
            {progress_line(&objective)}
            {match (objective.status, next) {
                (Status::Reached, _) => view! { <p class="my-objective__next"><strong>"Bravo ! Objectif atteint."</strong></p> }.into_any(),
                (_, Some(n)) if open => view! { <p class="my-objective__next">"Prochaine étape : "<strong>{n}</strong>"."</p> }.into_any(),
                _ => ().into_any(),
            }}
            {(!objective.target_on.is_empty() && open).then(|| view! { <p>{format!("À faire avant le {}.", long_day(&objective.target_on))}</p> })}
            <ol class="my-steps" aria-label="Les étapes">{steps}</ol>
            <ul class="replies" aria-label="Messages">{notes}{mine}</ul>
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
            <details class="details">
                <summary>"Écrire un message"</summary>
                <form class="form" on:submit=submit novalidate>
                    <label class="field__label" for=format!("message-{id}")>"Votre message"</label>
                    <textarea class="field__input field__input--text" id=format!("message-{id}") rows="3" maxlength="500"
                        prop:value=move || drafts.with(|d| d.get(&id).cloned().unwrap_or_default())
                        on:input=move |ev| { let text = event_target_value(&ev); drafts.update(|d| { d.insert(id, text); }); }></textarea>
                    <button type="submit" class="button button--primary">"Envoyer"</button>
                </form>
            </details>
        </article>
    }
}

#[component]
pub fn MySuccessesPage() -> impl IntoView {
    let sync = use_sync();
    let data = LocalResource::new(move || {
        sync.revision.track();
        Mine::load()
    });
    view! {
        <Title text="Mes réussites"/>
        <section class="page page--narrow worker-space">
            <h1 class="page__title"><Icon name="check"/>"Mes réussites"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    let mine = data.await;
                    let steps = mine.steps_done();
                    let reached: Vec<&Objective> = mine.held.objectives.iter().map(|(_, o)| o).filter(|o| o.status == Status::Reached).collect();
                    let nothing = steps.is_empty() && mine.skills.is_empty() && mine.shared.is_empty();
                    view! {
                        <p class="lead">{if nothing {
                            "Vos réussites seront ici.".to_string()
                        } else {
                            format!("Bravo ! Vous avez fait {}.", plural(steps.len(), "étape", "étapes"))
                        }}</p>
                        <h2 class="section-title"><Icon name="check"/>"Les étapes réussies"</h2>
                        {if steps.is_empty() {
                            view! { <p class="empty">"Pas encore d'étape réussie."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="list" aria-label="Les étapes réussies">
                                    {steps.into_iter().map(|(on, step, objective)| { let key = step.clone(); view! {
                                        <li class="list__item list__item--stack" data-success=key>
                                            <span class="list__main"><Icon name="check"/>{step}</span>
                                            <span class="list__meta">{format!("{objective} · le {}", long_day(&on))}</span>
                                        </li>
                                    }}).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {(!reached.is_empty()).then(|| view! {
                            <h2 class="section-title"><Icon name="star"/>"Les objectifs atteints"</h2>
                            <ul class="list" aria-label="Les objectifs atteints">
                                {reached.iter().map(|o| view! {
                                    <li class="list__item list__item--stack"><span class="list__main">{o.title.clone()}</span>
                                    <span class="list__meta">{format!("Atteint le {}", long_day(&o.reached_on))}</span></li>
                                }).collect_view()}
                            </ul>
                        })}
                        <h2 class="section-title"><Icon name="star"/>"Ce que je sais faire"</h2>
                        {if mine.skills.is_empty() {
                            view! { <p class="empty">"Votre encadrant vous évalue pendant les séances."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="list" aria-label="Ce que je sais faire">
                                    {mine.skills.iter().map(|s| view! { <li class="list__item"><span class="list__main">{s.clone()}</span></li> }).collect_view()}
                                </ul>
                                <a class="button button--quiet" href="/mes-competences">"Voir le détail"</a>
                            }.into_any()
                        }}
                        <h2 class="section-title"><Icon name="file"/>"Ce que l'équipe a noté pour vous"</h2>
                        {if mine.shared.is_empty() {
                            view! { <p class="empty">"Rien pour l'instant."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards" aria-label="Ce que l'équipe a noté pour vous">
                                    {mine.shared.iter().map(|o| view! {
                                        <li class="card"><p class="card__meta">{format!("{} · le {}", o.kind.label(), long_day(&o.observed_on))}</p><p>{o.body.clone()}</p></li>
                                    }).collect_view()}
                                </ul>
                                <a class="button button--quiet" href="/observations">"Voir les observations partagées"</a>
                            }.into_any()
                        }}
                    }
                })}
            </Suspense>
        </section>
    }
}
