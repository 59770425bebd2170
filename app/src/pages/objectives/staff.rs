//! The staff screens of objectives, read from and written to the phone's
//! store, so a supervisor ticks steps on the worksite with no network and a
//! counsellor does the same from the office: who follows whom
//! (`/objectifs`), a worker's objectives (`/objectifs?salarie=…`), one
//! objective with its steps, the worker's claims and comments, notes and
//! reviews (`/objectifs/{id}`), and the form (`…/nouveau`, `…/{id}/modifier`).
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::auth::{UserResource, signed_in_now, use_user};
use crate::local::sync::{self as client, today_local};
use crate::local::sync::{SyncHandle, use_sync};
use crate::widgets::Field;
use crate::widgets::icons::Icon;
use crate::widgets::sync_state::state_chip;
use jalon_core::dates::{day_label, long_day};
use jalon_core::objectives::{
    Kind, Note, Objective, REACTION_TYPE, RECORD_TYPE, Reaction, ReactionKind, Review, SCHEMA,
    Status, Step, pending_claims, validate,
};
use jalon_core::observations::Category;
use jalon_core::sessions::SkillTag;
use jalon_core::sync::engine::LocalRecord;
use jalon_core::sync::protocol::WorkerCard;

/// Checks and saves a record of one of the two types on the phone.
pub(super) async fn save_record<T: serde::Serialize>(
    sync: SyncHandle,
    user: UserResource,
    record_type: &'static str,
    id: Uuid,
    worker_id: &str,
    value: &T,
) -> Result<(), String> {
    let author = signed_in_now(user);
    client::save_to_phone(sync, author, record_type, SCHEMA, &[(id, worker_id, value)]).await
}

/// Checks an objective (the server's sentences) and saves it.
pub(super) async fn save_objective(
    sync: SyncHandle,
    user: UserResource,
    id: Uuid,
    objective: &Objective,
) -> Result<(), String> {
    let clean = validate(objective, client::today_date())?;
    save_record(sync, user, RECORD_TYPE, id, &clean.worker_id, &clean).await
}

/// Objectives held on the phone, read as such.
pub fn objectives_of(records: Vec<LocalRecord>) -> Vec<(LocalRecord, Objective)> {
    let mut list: Vec<(LocalRecord, Objective)> = records
        .into_iter()
        .filter_map(|r| serde_json::from_value(r.data.clone()).ok().map(|o| (r, o)))
        .collect();
    // Open ones first, then by target date (none last), then title.
    list.sort_by(|(_, a), (_, b)| {
        (
            !a.status.open(),
            a.target_on.is_empty(),
            &a.target_on,
            &a.title,
        )
            .cmp(&(
                !b.status.open(),
                b.target_on.is_empty(),
                &b.target_on,
                &b.title,
            ))
    });
    list
}

/// Reactions held on the phone, with their record id, oldest first.
pub fn reactions_of(records: Vec<LocalRecord>) -> Vec<(LocalRecord, Reaction)> {
    let mut list: Vec<(LocalRecord, Reaction)> = records
        .into_iter()
        .filter_map(|r| serde_json::from_value(r.data.clone()).ok().map(|x| (r, x)))
        .collect();
    list.sort_by_key(|(a, _)| a.id);
    list
}

/// Everything the objective screens read from the phone.
#[derive(Clone, PartialEq)]
pub(super) struct Held {
    pub objectives: Vec<(LocalRecord, Objective)>,
    pub reactions: Vec<(LocalRecord, Reaction)>,
    pub workers: Vec<WorkerCard>,
}

impl Held {
    pub async fn load() -> Held {
        Held {
            objectives: objectives_of(client::records(RECORD_TYPE).await.unwrap_or_default()),
            reactions: reactions_of(client::records(REACTION_TYPE).await.unwrap_or_default()),
            workers: client::workers().await.unwrap_or_default(),
        }
    }

    fn worker(&self, id: &str) -> Option<&WorkerCard> {
        self.workers.iter().find(|w| w.id == id)
    }

    /// The reactions about one objective, as (id, reaction).
    fn reactions_on(&self, objective_id: Uuid) -> Vec<(String, Reaction)> {
        let key = objective_id.to_string();
        self.reactions
            .iter()
            .filter(|(_, x)| x.objective_id == key)
            .map(|(r, x)| (r.id.to_string(), x.clone()))
            .collect()
    }

    fn pending(&self, record: &LocalRecord, objective: &Objective) -> usize {
        pending_claims(objective, &self.reactions_on(record.id)).len()
    }
}

/// The progress line: one mark per step, and the words.
pub(super) fn progress_line(o: &Objective) -> impl IntoView + use<> {
    let (done, total) = o.progress();
    let words = match total {
        0 => "Pas encore d'étape".to_string(),
        _ => format!(
            "{done} étape{} sur {total}",
            if done > 1 { "s" } else { "" }
        ),
    };
    let marks = o
        .steps
        .iter()
        .map(|s| {
            let class = if s.done {
                "steps-line__dot steps-line__dot--done"
            } else {
                "steps-line__dot"
            };
            view! { <span class=class></span> }
        })
        .collect_view();
    let label = words.clone();
    view! {
        <div class="steps-line" role="img" aria-label=label>
            <span class="steps-line__dots" aria-hidden="true">{marks}</span>
            <span class="steps-line__words" aria-hidden="true">{words}</span>
        </div>
    }
}

fn status_chip(status: Status) -> impl IntoView + use<> {
    let (class, icon) = match status {
        Status::Planned => ("chip", "clock"),
        Status::InProgress => ("chip chip--warn", "star"),
        Status::Reached => ("chip chip--ok", "check"),
        Status::Abandoned => ("chip", "minus"),
    };
    view! { <span class=class data-status=status.code()><Icon name=icon/>{status.label()}</span> }
}

fn link_label(o: &Objective) -> Option<String> {
    match (&o.skill, o.barrier.as_str()) {
        (Some(s), _) => Some(s.title.clone()),
        (None, "") => None,
        (None, code) => Category::parse(code).map(|c| format!("Frein : {}", c.label())),
    }
}

#[component]
pub fn ObjectivesPage() -> impl IntoView {
    let sync = use_sync();
    let query = use_query_map();
    let held = LocalResource::new(move || {
        sync.revision.track();
        Held::load()
    });
    view! {
        <Title text="Objectifs"/>
        <section class="page page--narrow">
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || {
                    let worker = query.read().get("salarie").unwrap_or_default();
                    Suspend::new(async move {
                        let held = held.await;
                        if worker.is_empty() {
                            overview(held).into_any()
                        } else {
                            worker_objectives(held, worker).into_any()
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The people one follows, with their open objectives and claims to confirm.
fn overview(held: Held) -> impl IntoView {
    let waiting: usize = held
        .objectives
        .iter()
        .map(|(r, o)| held.pending(r, o))
        .sum();
    let rows = held
        .workers
        .iter()
        .map(|w| {
            let theirs: Vec<&(LocalRecord, Objective)> =
                held.objectives.iter().filter(|(_, o)| o.worker_id == w.id).collect();
            let open = theirs.iter().filter(|(_, o)| o.status.open()).count();
            let pending: usize = theirs.iter().map(|(r, o)| held.pending(r, o)).sum();
            let meta = match open {
                0 => "Aucun objectif en cours".to_string(),
                1 => "1 objectif en cours".to_string(),
                n => format!("{n} objectifs en cours"),
            };
            view! {
                <li class="list__item" data-worker=w.name()>
                    <a class="list__link" href=format!("/objectifs?salarie={}", w.id)>
                        <span class="list__main">{w.name()}</span>
                        <span class="list__meta">{meta}{w.team.clone().map(|t| format!(" · {t}"))}</span>
                    </a>
                    {(pending > 0).then(|| view! { <span class="chip chip--new">{format!("{pending} à confirmer")}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1 class="page__title"><Icon name="star"/>"Objectifs"</h1>
        {(waiting > 0).then(|| view! {
            <p class="notice notice--info" role="status">{format!("{waiting} étape(s) que la personne pense avoir faite(s) : à confirmer.")}</p>
        })}
        {if held.workers.is_empty() {
            view! { <p class="empty">"Aucune personne sur ce téléphone : synchronisez une première fois avec du réseau."</p> }.into_any()
        } else {
            view! { <ul class="list" aria-label="Personnes suivies">{rows}</ul> }.into_any()
        }}
    }
}

fn worker_objectives(held: Held, worker_id: String) -> impl IntoView {
    let Some(worker) = held.worker(&worker_id).cloned() else {
        return view! {
            <h1 class="page__title"><Icon name="star"/>"Objectifs"</h1>
            <p class="notice notice--error">"Cette personne n'est pas sur ce téléphone."</p>
            <a class="button button--secondary" href="/objectifs">"Toutes les personnes"</a>
        }
        .into_any();
    };
    let theirs: Vec<&(LocalRecord, Objective)> = held
        .objectives
        .iter()
        .filter(|(_, o)| o.worker_id == worker_id)
        .collect();
    let cards = theirs
        .iter()
        .map(|(r, o)| {
            let pending = held.pending(r, o);
            let next = o.next_step().map(|s| s.title.clone());
            view! {
                <li class="card objective" data-objective=o.title.clone()>
                    <a class="objective__link" href=format!("/objectifs/{}", r.id)>
                        <strong class="card__title"><Icon name=o.kind.icon()/>{o.title.clone()}</strong>
                    </a>
                    <div class="chips">
                        {status_chip(o.status)}
                        <span class="chip chip--kind">{o.kind.label()}</span>
                        {(pending > 0).then(|| view! { <span class="chip chip--new">{format!("{pending} à confirmer")}</span> })}
                    </div>
                    {progress_line(o)}
                    {next.filter(|_| o.status.open()).map(|n| view! { <p>"Prochaine étape : "{n}</p> })}
                    <p class="card__meta">
                        {if o.target_on.is_empty() { "Sans échéance".to_string() } else { format!("Échéance : {}", long_day(&o.target_on)) }}
                    </p>
                    <div class="card__foot">{state_chip(&r.state, false)}</div>
                </li>
            }
        })
        .collect_view();
    let empty = theirs.is_empty();
    view! {
        <a class="back-link" href="/objectifs">"‹ Toutes les personnes"</a>
        <h1 class="page__title"><Icon name="star"/>{format!("Objectifs de {}", worker.name())}</h1>
        {worker.writable.then(|| view! {
            <a class="button button--primary button--wide" href=format!("/objectifs/nouveau?salarie={}", worker.id)>"Nouvel objectif"</a>
        })}
        {if empty {
            view! { <p class="empty">"Pas encore d'objectif. Définissez-le avec la personne, puis ajoutez ses étapes."</p> }.into_any()
        } else {
            view! { <ul class="cards" aria-label="Objectifs">{cards}</ul> }.into_any()
        }}
        <a class="button button--quiet" href=format!("/salaries/{}", worker.id)>"Dossier de la personne"</a>
    }
    .into_any()
}

fn record_id() -> Option<Uuid> {
    let params = use_params_map();
    params
        .read_untracked()
        .get("id")
        .and_then(|s| Uuid::parse_str(&s).ok())
}

/// What the objective page shows: the record, its reactions, the person.
#[derive(Clone, PartialEq)]
struct Shown {
    record: LocalRecord,
    objective: Objective,
    reactions: Vec<(String, Reaction)>,
    worker: Option<WorkerCard>,
}

/// A change of an objective, made by a button or a form of its page.
type Edit = Box<dyn FnOnce(&mut Objective) -> Result<(), String>>;

/// Applies a change to the objective as the phone holds it now (not as it
/// was when the page was drawn: a sync may have brought a newer version)
/// and saves it.
async fn edit_objective(
    sync: SyncHandle,
    user: UserResource,
    id: Uuid,
    edit: Edit,
) -> Result<(), String> {
    let record = client::record(RECORD_TYPE, id)
        .await
        .map_err(|e| e.to_string())?
        .filter(|r| !r.deleted)
        .ok_or_else(|| "Cet objectif n'est plus sur ce téléphone.".to_string())?;
    let mut objective: Objective =
        serde_json::from_value(record.data).map_err(|_| "Objectif illisible.".to_string())?;
    edit(&mut objective)?;
    save_objective(sync, user, id, &objective).await
}

/// Starts changes of one objective; their outcome goes to `error`
/// (cleared when it worked), shown at the top of the page.
#[derive(Clone, Copy)]
struct Editor {
    sync: SyncHandle,
    user: UserResource,
    id: Uuid,
    error: RwSignal<Option<String>>,
}

impl Editor {
    fn apply(self, edit: Edit) {
        spawn_local(async move {
            match edit_objective(self.sync, self.user, self.id, edit).await {
                Ok(()) => self.error.set(None),
                Err(message) => self.error.set(Some(message)),
            }
        });
    }
}

#[component]
pub fn ObjectivePage() -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let id = record_id();
    let held = LocalResource::new(move || {
        sync.revision.track();
        Held::load()
    });
    // Drawn again only when what it shows changed, not at every sync.
    let shown = Memo::new(move |_| {
        held.get().map(|held| {
            id.and_then(|id| held.objectives.iter().find(|(r, _)| r.id == id).cloned())
                .map(|(record, objective)| Shown {
                    reactions: held.reactions_on(record.id),
                    worker: held.worker(&objective.worker_id).cloned(),
                    record,
                    objective,
                })
        })
    });
    let writable = Memo::new(move |_| {
        shown
            .get()
            .flatten()
            .is_some_and(|s| s.worker.as_ref().is_some_and(|w| w.writable))
    });
    let status = move || shown.get_untracked().flatten().map(|s| s.objective.status);
    let error = RwSignal::new(None::<String>);
    let editor = id.map(|id| Editor {
        sync,
        user,
        id,
        error,
    });
    view! {
        <Title text="Objectif"/>
        <section class="page page--narrow">
            {move || match (shown.get(), editor) {
                (None, _) => view! { <p class="muted">"Chargement…"</p> }.into_any(),
                (Some(Some(shown)), Some(editor)) => view! { <ObjectiveView shown editor/> }.into_any(),
                _ => view! {
                    <h1 class="page__title"><Icon name="star"/>"Objectif"</h1>
                    <p class="notice notice--error">"Cet objectif n'est pas sur ce téléphone."</p>
                    <a class="button button--secondary" href="/objectifs">"Objectifs"</a>
                }
                .into_any(),
            }}
            // The forms stay as they are while the details above are drawn
            // again: nothing typed is lost when a sync brings a change.
            {move || match (writable.get(), editor) {
                (true, Some(editor)) => view! {
                    <NoteForm editor/>
                    <ReviewForm editor status=status().unwrap_or(Status::Planned)/>
                }
                .into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn ObjectiveView(shown: Shown, editor: Editor) -> impl IntoView {
    let Shown {
        record,
        objective,
        reactions,
        worker,
    } = shown;
    let Editor {
        sync,
        user,
        id,
        error,
    } = editor;
    let writable = worker.as_ref().is_some_and(|w| w.writable);
    let change = move |edit: Edit| editor.apply(edit);
    let who = worker.as_ref().map(|w| w.name()).unwrap_or_default();
    let first_name = worker
        .as_ref()
        .map(|w| w.first_name.clone())
        .unwrap_or_default();
    let open = objective.status.open();

    let steps = objective
        .steps
        .iter()
        .map(|s| {
            let step_id = s.id.clone();
            let done = s.done;
            let toggle = move |_| {
                let step_id = step_id.clone();
                let (_, name) = signed_in_now(user).map(|u| (u.id, u.display_name)).unwrap_or_default();
                let today = today_local();
                change(Box::new(move |o| {
                    o.set_step(&step_id, !done, &name, &today);
                    Ok(())
                }));
            };
            let label = if done { format!("Fait : {}", s.title) } else { format!("Marquer fait : {}", s.title) };
            view! {
                <li class=if done { "step step--done" } else { "step" } data-step=s.title.clone()>
                    <button type="button" class="step__tick" aria-pressed=if done { "true" } else { "false" }
                        aria-label=label disabled=!writable || !open on:click=toggle>
                        <Icon name="check"/>
                    </button>
                    <span class="step__text">
                        <span class="step__title">{s.title.clone()}</span>
                        {done.then(|| view! {
                            <span class="step__meta">
                                {format!("Fait le {} · {}", day_label(&s.done_on), s.done_by)}
                                {s.from_claim.then_some(" · signalé par la personne")}
                            </span>
                        })}
                    </span>
                </li>
            }
        })
        .collect_view();

    let claims = pending_claims(&objective, &reactions)
        .into_iter()
        .map(|(reaction_id, claim)| {
            let step = objective
                .steps
                .iter()
                .find(|s| s.id == claim.step_id)
                .map(|s| s.title.clone())
                .unwrap_or_default();
            let (confirm, answer) = (change, change);
            let (step_id, reaction_id) = (claim.step_id.clone(), reaction_id.clone());
            let confirm = move |_| {
                let step_id = step_id.clone();
                let (_, name) = signed_in_now(user).map(|u| (u.id, u.display_name)).unwrap_or_default();
                let today = today_local();
                confirm(Box::new(move |o| {
                    o.confirm_claim(&step_id, &name, &today);
                    Ok(())
                }));
            };
            let not_yet = move |_| {
                let reaction_id = reaction_id.clone();
                answer(Box::new(move |o| {
                    o.answer_claim(&reaction_id);
                    Ok(())
                }));
            };
            view! {
                <li class="claim" data-claim=step.clone()>
                    <p><strong>{format!("{first_name} pense avoir fait : {step}")}</strong></p>
                    <p class="card__meta">{format!("Le {}", day_label(&claim.said_on))}</p>
                    {(!claim.body.is_empty()).then(|| view! { <p class="claim__body">{format!("« {} »", claim.body)}</p> })}
                    {writable.then(|| view! {
                        <div class="button-row">
                            <button type="button" class="button button--primary" on:click=confirm>"Confirmer"</button>
                            <button type="button" class="button button--secondary" on:click=not_yet>"Pas encore"</button>
                        </div>
                    })}
                </li>
            }
        })
        .collect_view();
    let has_claims = !pending_claims(&objective, &reactions).is_empty();

    let comments: Vec<(String, Reaction)> = reactions
        .iter()
        .filter(|(_, r)| r.kind == ReactionKind::Comment)
        .cloned()
        .collect();
    let comments_view = (!comments.is_empty()).then(|| {
        let items = comments
            .into_iter()
            .rev()
            .map(|(_, c)| view! {
                <li class="reply"><p class="card__meta">{format!("{first_name}, le {}", day_label(&c.said_on))}</p><p>{c.body}</p></li>
            })
            .collect_view();
        view! {
            <h2 class="section-title">"Ce que dit la personne"</h2>
            <ul class="replies" aria-label="Messages de la personne">{items}</ul>
        }
    });

    let notes = objective
        .notes
        .iter()
        .rev()
        .map(|n| {
            view! {
                <li class="reply" data-note=n.text.clone()>
                    <p class="card__meta">
                        {format!("{} · {}", n.by, crate::widgets::sync_state::local_time(&n.at))}
                        {if n.shared { " · montrée à la personne" } else { " · pour l'équipe" }}
                    </p>
                    <p>{n.text.clone()}</p>
                </li>
            }
        })
        .collect_view();

    let has_notes = !objective.notes.is_empty();
    let reviews = objective
        .reviews
        .iter()
        .rev()
        .map(|r| {
            let target = (!r.new_target.is_empty()).then(|| {
                let from = if r.old_target.is_empty() { "sans échéance".to_string() } else { day_label(&r.old_target) };
                format!(" · échéance : {from} → {}", day_label(&r.new_target))
            });
            view! {
                <li class="history__item">
                    <p class="card__meta">{format!("Point du {} · {} · {}", day_label(&r.on), r.by, r.status.label())}{target}</p>
                    <p>{r.decision.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let has_reviews = !objective.reviews.is_empty();

    let conflicts = record.conflicts.clone();
    let conflict_view = (!conflicts.is_empty()).then(|| {
        let current = objective.clone();
        let keep = move |o: Objective| {
            spawn_local(async move {
                if let Err(message) = save_objective(sync, user, id, &o).await {
                    error.set(Some(message));
                }
            });
        };
        let versions = conflicts
            .into_iter()
            .filter_map(|c| serde_json::from_value::<Objective>(c.data.clone()).ok().map(|o| (c.author_name, o)))
            .map(|(author, o)| {
                let (done, total) = o.progress();
                let summary = format!("{} · {} · {done} étape(s) sur {total}", o.title, o.status.label());
                view! {
                    <div class="conflict__version">
                        <p class="card__meta">"Version de "{author}</p>
                        <p>{summary}</p>
                        <button type="button" class="button button--secondary" on:click=move |_| keep(o.clone())>"Garder cette version"</button>
                    </div>
                }
            })
            .collect_view();
        view! {
            <div class="conflict" role="group" aria-label="Deux versions de cet objectif">
                <p><strong>"Modifié en même temps ailleurs."</strong>" Choisissez la version à garder : celle affichée ici, ou une autre."</p>
                <button type="button" class="button button--secondary" on:click=move |_| keep(current.clone())>"Garder la version affichée"</button>
                {versions}
            </div>
        }
    });

    view! {
        {worker.as_ref().map(|w| view! { <a class="back-link" href=format!("/objectifs?salarie={}", w.id)>{format!("‹ Objectifs de {}", w.name())}</a> })}
        <h1 class="page__title"><Icon name=objective.kind.icon()/>{objective.title.clone()}</h1>
        <p class="card__meta">{who}" · "{objective.kind.label()}{link_label(&objective).map(|l| format!(" · {l}"))}</p>
        <div class="chips">
            {status_chip(objective.status)}
            {objective.sensitive.then(|| view! { <span class="chip chip--sensitive">"Sensible"</span> })}
            {state_chip(&record.state, false)}
        </div>
        {progress_line(&objective)}
        <p>{if objective.target_on.is_empty() { "Sans échéance.".to_string() } else { format!("Échéance : {}.", long_day(&objective.target_on)) }}
           {(!objective.reached_on.is_empty()).then(|| format!(" Atteint le {}.", long_day(&objective.reached_on)))}</p>
        {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
        {conflict_view}
        {has_claims.then(|| view! {
            <h2 class="section-title">"À confirmer"</h2>
            <ul class="claims" aria-label="À confirmer">{claims}</ul>
        })}
        <h2 class="section-title">"Étapes"</h2>
        {if objective.steps.is_empty() {
            view! { <p class="empty">"Pas encore d'étape : ajoutez-en avec « Modifier »."</p> }.into_any()
        } else {
            view! { <ol class="steps" aria-label="Étapes">{steps}</ol> }.into_any()
        }}
        {writable.then(|| view! { <a class="button button--quiet" href=format!("/objectifs/{id}/modifier")>"Modifier l'objectif et ses étapes"</a> })}
        {comments_view}
        <h2 class="section-title">"Notes de suivi"</h2>
        {if has_notes {
            view! { <ul class="replies" aria-label="Notes de suivi">{notes}</ul> }.into_any()
        } else {
            view! { <p class="muted">"Aucune note pour l'instant."</p> }.into_any()
        }}
        <h2 class="section-title">"Points d'étape"</h2>
        {if has_reviews {
            view! { <ul class="history" aria-label="Points d'étape">{reviews}</ul> }.into_any()
        } else {
            view! { <p class="muted">"Aucun point d'étape pour l'instant."</p> }.into_any()
        }}
    }
}

fn short_id() -> String {
    Uuid::now_v7().simple().to_string()
}

#[component]
fn NoteForm(editor: Editor) -> impl IntoView {
    let user = use_user();
    let text = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (_, by) = signed_in_now(user)
            .map(|u| (u.id, u.display_name))
            .unwrap_or_default();
        let note = Note {
            id: short_id(),
            at: client::now(),
            by,
            text: text.get_untracked(),
            shared: shared.get_untracked(),
        };
        editor.apply(Box::new(move |o| {
            let clean = jalon_core::text::note(
                "Note",
                &note.text,
                jalon_core::objectives::MAX_NOTE_CHARS,
                true,
            )?;
            o.notes.push(Note {
                text: clean,
                ..note
            });
            Ok(())
        }));
        text.set(String::new());
        shared.set(false);
    };
    view! {
        <form class="form reply-form" on:submit=submit novalidate>
            <Field id="note" label="Ajouter une note de suivi">
                <textarea class="field__input field__input--text" id="note" rows="3" maxlength="1000"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </Field>
            <label class="toggle">
                <input type="checkbox" prop:checked=move || shared.get() on:change=move |ev| shared.set(event_target_checked(&ev))/>
                <span>"Montrer cette note à la personne"</span>
            </label>
            <button type="submit" class="button button--secondary">"Ajouter la note"</button>
        </form>
    }
}

#[component]
fn ReviewForm(editor: Editor, status: Status) -> impl IntoView {
    let user = use_user();
    let on = RwSignal::new(today_local());
    let decision = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let next = RwSignal::new(if status == Status::Planned {
        Status::InProgress
    } else {
        status
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (_, by) = signed_in_now(user)
            .map(|u| (u.id, u.display_name))
            .unwrap_or_default();
        let review = Review {
            id: short_id(),
            on: on.get_untracked(),
            by,
            decision: decision.get_untracked(),
            new_target: target.get_untracked(),
            status: next.get_untracked(),
            old_target: String::new(),
        };
        editor.apply(Box::new(move |o| o.review(review)));
        decision.set(String::new());
        target.set(String::new());
    };
    view! {
        <details class="details">
            <summary>"Faire le point"</summary>
            <form class="form" on:submit=submit novalidate>
                <Field id="review-on" label="Date du point">
                    <input class="field__input" type="date" id="review-on" prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev))/>
                </Field>
                <Field id="review-decision" label="Ce qui a été décidé">
                    <textarea class="field__input field__input--text" id="review-decision" rows="3" maxlength="1000"
                        prop:value=move || decision.get() on:input=move |ev| decision.set(event_target_value(&ev))></textarea>
                </Field>
                <Field id="review-target" label="Nouvelle échéance (si elle change)">
                    <input class="field__input" type="date" id="review-target" prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev))/>
                </Field>
                <Field id="review-status" label="Statut après le point">
                    <select class="field__input" id="review-status" on:change=move |ev| {
                        if let Some(s) = Status::parse(&event_target_value(&ev)) { next.set(s); }
                    }>
                        {Status::ALL.into_iter().map(|s| view! {
                            <option value=s.code() selected=move || next.get() == s>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <button type="submit" class="button button--primary">"Enregistrer le point"</button>
            </form>
        </details>
    }
}

#[component]
pub fn NewObjectivePage() -> impl IntoView {
    let query = use_query_map();
    let worker = query.read_untracked().get("salarie").unwrap_or_default();
    view! {
        <Title text="Nouvel objectif"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="star"/>"Nouvel objectif"</h1>
            <ObjectiveForm id=Uuid::now_v7() existing=Objective::new(&worker)/>
        </section>
    }
}

#[component]
pub fn EditObjectivePage() -> impl IntoView {
    let id = record_id();
    let record = LocalResource::new(move || async move {
        match id {
            Some(id) => client::record(RECORD_TYPE, id).await.ok().flatten(),
            None => None,
        }
    });
    view! {
        <Title text="Modifier l'objectif"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="star"/>"Modifier l'objectif"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    let found = record.await.filter(|r| !r.deleted).and_then(|r| {
                        serde_json::from_value::<Objective>(r.data.clone()).ok().map(|o| (r.id, o))
                    });
                    match found {
                        Some((id, existing)) => view! { <ObjectiveForm id existing/> }.into_any(),
                        None => view! { <p class="notice notice--error">"Cet objectif n'est pas sur ce téléphone."</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The skills one may link: the behaviours and trades held on the phone.
async fn skill_choices() -> Vec<SkillTag> {
    let Some(catalogue) = crate::local::catalogue::load().await else {
        return Vec::new();
    };
    catalogue
        .frameworks
        .iter()
        .filter(|f| !f.archived)
        .flat_map(|f| {
            f.framework
                .skills
                .iter()
                .filter(|s| !s.archived)
                .map(|s| SkillTag {
                    framework_id: f.id.clone(),
                    skill_id: s.id.clone(),
                    title: s.title.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The form of a new or changed objective, with its ordered steps.
#[component]
fn ObjectiveForm(id: Uuid, existing: Objective) -> impl IntoView {
    let sync = use_sync();
    let user = use_user();
    let navigate = use_navigate();
    let base = existing.clone();
    let title = RwSignal::new(existing.title.clone());
    let kind = RwSignal::new(existing.kind);
    let skill = RwSignal::new(existing.skill.clone());
    let barrier = RwSignal::new(existing.barrier.clone());
    let target = RwSignal::new(existing.target_on.clone());
    let mut first_steps = existing.steps.clone();
    if first_steps.is_empty() {
        first_steps = (0..3)
            .map(|_| Step {
                id: short_id(),
                ..Step::default()
            })
            .collect();
    }
    let steps = RwSignal::new(first_steps);
    let error = RwSignal::new(None::<String>);
    let skills = LocalResource::new(skill_choices);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut o = base.clone();
        o.title = title.get_untracked();
        o.kind = kind.get_untracked();
        o.skill = skill.get_untracked().filter(|_| o.kind.takes_skill());
        o.barrier = if o.kind == Kind::Barrier {
            barrier.get_untracked()
        } else {
            String::new()
        };
        o.target_on = target.get_untracked();
        // Empty lines are dropped; the order is the one shown.
        o.steps = steps
            .get_untracked()
            .into_iter()
            .filter(|s| !s.title.trim().is_empty())
            .collect();
        let navigate = navigate.clone();
        spawn_local(async move {
            match save_objective(sync, user, id, &o).await {
                Ok(()) => navigate(&format!("/objectifs/{id}"), Default::default()),
                Err(message) => error.set(Some(message)),
            }
        });
    };
    let move_step = move |from: usize, up: bool| {
        steps.update(|list| {
            let to = if up {
                from.checked_sub(1)
            } else {
                Some(from + 1).filter(|t| *t < list.len())
            };
            if let Some(to) = to {
                list.swap(from, to);
            }
        });
    };

    view! {
        <form class="form" on:submit=submit novalidate>
            <Field id="objective-title" label="Objectif (avec les mots de la personne)">
                <input class="field__input" id="objective-title" maxlength="200" placeholder="Par exemple : Venir à l'heure chaque jour"
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </Field>
            <fieldset class="choices choices--two">
                <legend class="field__label">"Type"</legend>
                {Kind::ALL.into_iter().map(|k| {
                    let input_id = format!("objective-kind-{}", k.code());
                    let label_for = input_id.clone();
                    view! {
                        <label class="choice" for=label_for>
                            <input type="radio" name="objective-kind" id=input_id value=k.code()
                                prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                            <span>{k.label()}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            {move || (kind.get() == Kind::Barrier).then(|| view! {
                <Field id="objective-barrier" label="Frein concerné (facultatif)">
                    <select class="field__input" id="objective-barrier" on:change=move |ev| barrier.set(event_target_value(&ev))>
                        <option value="" selected=move || barrier.get().is_empty()>"Aucun"</option>
                        {Category::BARRIERS.into_iter().map(|c| view! {
                            <option value=c.code() selected=move || barrier.get() == c.code()>{c.label()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                {move || Category::parse(&barrier.get()).is_some_and(Category::is_sensitive).then(|| view! {
                    <p class="notice notice--warn">"Objectif sensible : seuls la personne, sa ou son CIP et vous le verrez."</p>
                })}
            })}
            {move || kind.get().takes_skill().then(|| view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = skills.await;
                        let options = list.iter().map(|s| {
                            let key = format!("{}/{}", s.framework_id, s.skill_id);
                            let chosen = key.clone();
                            view! { <option value=key selected=move || skill.get().is_some_and(|k| format!("{}/{}", k.framework_id, k.skill_id) == chosen)>{s.title.clone()}</option> }
                        }).collect_view();
                        view! {
                            <Field id="objective-skill" label="Compétence liée (facultatif)">
                                <select class="field__input" id="objective-skill" on:change=move |ev| {
                                    let value = event_target_value(&ev);
                                    skill.set(list.iter().find(|s| format!("{}/{}", s.framework_id, s.skill_id) == value).cloned());
                                }>
                                    <option value="" selected=move || skill.get().is_none()>"Aucune"</option>
                                    {options}
                                </select>
                            </Field>
                        }
                    })}
                </Suspense>
            })}
            <Field id="objective-target" label="Échéance (facultatif)">
                <input class="field__input" type="date" id="objective-target"
                    prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev))/>
            </Field>
            <fieldset class="row-editor">
                <legend class="field__label">"Étapes, dans l'ordre"</legend>
                <For each=move || steps.get().into_iter().enumerate() key=|(n, s)| (s.id.clone(), *n) let:((n, step))>
                    <div class="row-editor__head">
                        <label class="visually-hidden" for=format!("objective-step-{n}")>{format!("Étape {}", n + 1)}</label>
                        <input class="field__input" id=format!("objective-step-{n}") maxlength="200"
                            placeholder=format!("Étape {}", n + 1) disabled=step.done
                            prop:value=step.title.clone()
                            on:input=move |ev| { let v = event_target_value(&ev); steps.update(|l| if let Some(s) = l.get_mut(n) { s.title = v; }); }/>
                        <div class="row-editor__tools">
                            <button type="button" class="button button--quiet" aria-label=format!("Monter l'étape {}", n + 1) on:click=move |_| move_step(n, true)>"↑"</button>
                            <button type="button" class="button button--quiet" aria-label=format!("Descendre l'étape {}", n + 1) on:click=move |_| move_step(n, false)>"↓"</button>
                            {(!step.done).then(|| view! {
                                <button type="button" class="button button--quiet" aria-label=format!("Retirer l'étape {}", n + 1)
                                    on:click=move |_| steps.update(|l| { if n < l.len() { l.remove(n); } })>"✕"</button>
                            })}
                        </div>
                    </div>
                </For>
                <button type="button" class="button button--secondary" on:click=move |_| steps.update(|l| l.push(Step { id: short_id(), ..Step::default() }))>"Ajouter une étape"</button>
            </fieldset>
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
            <div class="sticky-action">
                <button type="submit" class="button button--primary button--wide">"Enregistrer l'objectif"</button>
            </div>
        </form>
    }
}
