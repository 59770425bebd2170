//! Session plans (fiches de préparation): server functions, the list, the
//! plan as a printable document, and its editor. Plans need the network;
//! the phone keeps a copy of them (`catalogue`) to start a session offline.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::error::AppError;
use crate::widgets::icons::Icon;
use crate::widgets::{Field, Loaded};
use jalon_core::sessions::{Difficulty, Plan, PlanBody, PlanCriterion, SkillTag, Step};
use jalon_core::skills::{StoredFramework, by_domain};

#[cfg(feature = "ssr")]
use crate::backend::plans as store;
pub use crate::local::catalogue::{Catalogue, FetchCatalogue, fetch_catalogue};

/// The structure's plans in use, templates first (staff).
#[server(prefix = "/api", endpoint = "sessions/plans")]
pub async fn list_plans() -> Result<Vec<Plan>, AppError> {
    use crate::backend::policy::{Action, Resource, authorize, require_actor};
    let (db, actor) = require_actor().await?;
    let sid = actor.user.structure_id.clone();
    let resource = Resource::SessionPlan {
        structure_id: &sid,
        author_id: None,
    };
    authorize(&db, &actor, Action::View, &resource).await?;
    store::all(&db, &sid).await
}

#[server(prefix = "/api", endpoint = "sessions/plan")]
pub async fn get_plan(id: String) -> Result<Plan, AppError> {
    use crate::backend::policy::{Action, require_actor};
    let (db, actor) = require_actor().await?;
    store::load(&db, &actor, Action::View, &id).await
}

/// Saves a plan; `id` empty creates one. `body` is the plan's JSON.
#[server(prefix = "/api", endpoint = "sessions/save_plan")]
pub async fn save_plan(
    id: String,
    title: String,
    template: bool,
    afest: bool,
    body: String,
) -> Result<String, AppError> {
    use crate::backend::policy::{Action, require_actor};
    let body: PlanBody = serde_json::from_str(&body)
        .map_err(|_| AppError::Invalid("Plan de séance illisible.".into()).respond())?;
    let (db, actor) = require_actor().await?;
    let id = if id.is_empty() {
        store::may_create(&db, &actor).await?;
        None
    } else {
        Some(store::load(&db, &actor, Action::Edit, &id).await?.id)
    };
    store::write(&db, &actor, id.as_deref(), &title, (template, afest), body).await
}

/// Copies a plan as the caller's own (one tap); returns the copy's id.
#[server(prefix = "/api", endpoint = "sessions/duplicate_plan")]
pub async fn duplicate_plan(id: String) -> Result<String, AppError> {
    use crate::backend::policy::{Action, require_actor};
    let (db, actor) = require_actor().await?;
    let source = store::load(&db, &actor, Action::View, &id).await?;
    store::may_create(&db, &actor).await?;
    let title: String = format!("{} (copie)", source.title)
        .chars()
        .take(jalon_core::sessions::MAX_TITLE_CHARS)
        .collect();
    store::write(
        &db,
        &actor,
        None,
        &title,
        (false, source.afest),
        source.body,
    )
    .await
}

/// Archives a plan (no longer offered) or brings it back.
#[server(prefix = "/api", endpoint = "sessions/archive_plan")]
pub async fn archive_plan(id: String, archived: bool) -> Result<(), AppError> {
    use crate::backend::policy::{Action, require_actor};
    let (db, actor) = require_actor().await?;
    let plan = store::load(&db, &actor, Action::Edit, &id).await?;
    sqlx::query("UPDATE session_plans SET archived = $1, updated_at = $2 WHERE id = $3")
        .bind(archived)
        .bind(crate::backend::db::now())
        .bind(&plan.id)
        .execute(&db)
        .await?;
    Ok(())
}

fn minutes(n: u32) -> String {
    match (n / 60, n % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let duplicate = ServerAction::<DuplicatePlan>::new();
    let data = Resource::new(|| (), |_| list_plans());
    let render = move |plans| plan_list(plans, duplicate);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = duplicate.value().get() {
            navigate(&format!("/seances/plans/{id}/modifier"), Default::default());
        }
    });
    view! {
        <Title text="Plans de séance"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="file"/>"Plans de séance"</h1>
            <p class="actions">
                <a class="button button--primary" href="/seances/plans/nouveau">"Nouveau plan"</a>
                <a class="button button--quiet" href="/seances">"Séances"</a>
            </p>
            {move || duplicate.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="notice notice--error" role="alert">{e.to_string()}</p>
            })}
            <Loaded resource=data render=render/>
        </section>
    }
}

fn plan_list(plans: Vec<Plan>, duplicate: ServerAction<DuplicatePlan>) -> impl IntoView {
    if plans.is_empty() {
        return view! { <p class="empty">"Aucun plan pour l'instant. Créez le premier."</p> }
            .into_any();
    }
    view! {
        <ul class="list" aria-label="Plans">
            {plans.into_iter().map(|p| {
                let id = p.id.clone();
                view! {
                    <li class="card plan-card" data-plan=p.title.clone()>
                        <h2 class="card__title">
                            <a href=format!("/seances/plans/{}", p.id)>{p.title.clone()}</a>
                        </h2>
                        <p class="card__meta">
                            {p.template.then(|| view! { <span class="badge">"Modèle"</span> })}
                            {p.afest.then(|| view! { <span class="badge">"AFEST"</span> })}
                            {format!("{} critères · {} · {}", p.body.criteria.len(), minutes(p.body.duration_min), p.author_name)}
                        </p>
                        <div class="actions">
                            <a class="button button--primary" href=format!("/seances/nouvelle?plan={}", p.id)>"Commencer une séance"</a>
                            <button type="button" class="button button--secondary"
                                on:click=move |_| { duplicate.dispatch(DuplicatePlan { id: id.clone() }); }>
                                "Dupliquer"
                            </button>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The plan as a document: what a supervisor hands to a coordinator or a
/// jury. The tools above it are hidden when printed.
#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    let duplicate = ServerAction::<DuplicatePlan>::new();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_plan,
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = duplicate.value().get() {
            navigate(&format!("/seances/plans/{id}/modifier"), Default::default());
        }
    });
    view! {
        <Title text="Plan de séance"/>
        <section class="page page--narrow">
            <Loaded resource=data render=move |plan: Plan| {
                let id = plan.id.clone();
                view! {
                    <div class="actions no-print">
                        <a class="button button--primary" href=format!("/seances/nouvelle?plan={id}")>"Commencer une séance"</a>
                        <a class="button button--secondary" href=format!("/seances/plans/{id}/modifier")>"Modifier"</a>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| { duplicate.dispatch(DuplicatePlan { id: id.clone() }); }>"Dupliquer"</button>
                        <crate::widgets::PrintButton class="button button--quiet"/>
                    </div>
                    {plan_document(plan)}
                }
            }/>
        </section>
    }
}

fn paragraph(text: &str) -> impl IntoView + use<> {
    if text.is_empty() {
        view! { <p class="muted">"—"</p> }.into_any()
    } else {
        view! { <p class="doc__text">{text.to_string()}</p> }.into_any()
    }
}

fn plan_document(plan: Plan) -> impl IntoView {
    let b = plan.body;
    let skills = b.skills.clone();
    view! {
        <article class="doc" aria-label="Fiche de préparation">
            <header class="doc__head">
                <p class="doc__kind">{if plan.afest { "Fiche de préparation — AFEST" } else { "Fiche de préparation de séance" }}</p>
                <h1 class="doc__title">{plan.title.clone()}</h1>
                <p class="muted">{format!("Préparée par {} · durée prévue : {}", plan.author_name, minutes(b.duration_min))}</p>
            </header>
            <h2>"Tâche support"</h2>
            {paragraph(&b.task)}
            <h2>"Compétences mobilisées"</h2>
            {if skills.is_empty() {
                view! { <p class="muted">"—"</p> }.into_any()
            } else {
                view! { <ul>{skills.into_iter().map(|s| view! { <li>{s.title}</li> }).collect_view()}</ul> }.into_any()
            }}
            {(!b.knowledge.is_empty()).then(|| view! { <h3>"Savoirs associés"</h3> {paragraph(&b.knowledge)} })}
            <h2>"Objectifs d'apprentissage"</h2>
            <ul>{b.objectives.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul>
            <h2>"Critères d'évaluation"</h2>
            <ul>{b.criteria.iter().map(|c| view! {
                <li>{c.label.clone()}{c.skill.as_ref().map(|s| view! { <span class="muted">{format!(" ({})", s.title)}</span> })}</li>
            }).collect_view()}</ul>
            <h2>"Déroulé"</h2>
            <table class="doc__table">
                <thead><tr><th>"N°"</th><th>"Étape"</th><th>"Contenu"</th><th>"Ressources"</th></tr></thead>
                <tbody>{b.steps.iter().enumerate().map(|(i, s)| view! {
                    <tr><td>{i + 1}</td><td>{s.title.clone()}</td><td>{s.content.clone()}</td><td>{s.resources.clone()}</td></tr>
                }).collect_view()}</tbody>
            </table>
            <h2>"Méthodes pédagogiques"</h2>
            {paragraph(&b.methods)}
            <h2>"Difficultés prévisibles et remédiations"</h2>
            <table class="doc__table">
                <thead><tr><th>"Difficulté"</th><th>"Remédiation"</th></tr></thead>
                <tbody>{b.difficulties.iter().map(|d| view! {
                    <tr><td>{d.difficulty.clone()}</td><td>{d.remedy.clone()}</td></tr>
                }).collect_view()}</tbody>
            </table>
            <h2>"Ressources matérielles"</h2>
            {paragraph(&b.material)}
            <h2>"Modalités et outils d'évaluation"</h2>
            {paragraph(&b.evaluation)}
        </article>
    }
}

/// The editor's state: one signal per part of the plan.
#[derive(Clone, Copy)]
struct Draft {
    title: RwSignal<String>,
    template: RwSignal<bool>,
    afest: RwSignal<bool>,
    task: RwSignal<String>,
    skills: RwSignal<Vec<SkillTag>>,
    knowledge: RwSignal<String>,
    objectives: RwSignal<String>,
    criteria: RwSignal<Vec<PlanCriterion>>,
    steps: RwSignal<Vec<Step>>,
    methods: RwSignal<String>,
    difficulties: RwSignal<Vec<Difficulty>>,
    material: RwSignal<String>,
    evaluation: RwSignal<String>,
    duration: RwSignal<u32>,
}

impl Draft {
    fn new(plan: Option<&Plan>) -> Self {
        let b = plan.map(|p| p.body.clone()).unwrap_or_else(|| PlanBody {
            duration_min: 60,
            ..Default::default()
        });
        let mut steps = b.steps.clone();
        if steps.is_empty() {
            steps.push(Step::default());
        }
        let mut difficulties = b.difficulties.clone();
        if difficulties.is_empty() {
            difficulties.push(Difficulty::default());
        }
        Draft {
            title: RwSignal::new(plan.map(|p| p.title.clone()).unwrap_or_default()),
            template: RwSignal::new(plan.is_some_and(|p| p.template)),
            afest: RwSignal::new(plan.is_some_and(|p| p.afest)),
            task: RwSignal::new(b.task),
            skills: RwSignal::new(b.skills),
            knowledge: RwSignal::new(b.knowledge),
            objectives: RwSignal::new(b.objectives.join("\n")),
            criteria: RwSignal::new(b.criteria),
            steps: RwSignal::new(steps),
            methods: RwSignal::new(b.methods),
            difficulties: RwSignal::new(difficulties),
            material: RwSignal::new(b.material),
            evaluation: RwSignal::new(b.evaluation),
            duration: RwSignal::new(b.duration_min),
        }
    }

    fn body(&self) -> PlanBody {
        PlanBody {
            task: self.task.get_untracked(),
            skills: self.skills.get_untracked(),
            knowledge: self.knowledge.get_untracked(),
            objectives: self
                .objectives
                .get_untracked()
                .lines()
                .map(str::to_string)
                .collect(),
            criteria: self.criteria.get_untracked(),
            steps: self.steps.get_untracked(),
            methods: self.methods.get_untracked(),
            difficulties: self.difficulties.get_untracked(),
            material: self.material.get_untracked(),
            evaluation: self.evaluation.get_untracked(),
            duration_min: self.duration.get_untracked(),
        }
    }

    /// Adds a skill and its criteria, or removes both.
    fn toggle_skill(&self, framework_id: &str, skill: &jalon_core::skills::Skill) {
        let tag = SkillTag {
            framework_id: framework_id.to_string(),
            skill_id: skill.id.clone(),
            title: skill.title.clone(),
        };
        let chosen = self.skills.with_untracked(|s| s.contains(&tag));
        if chosen {
            self.skills.update(|s| s.retain(|t| *t != tag));
            self.criteria.update(|c| {
                c.retain(|k| k.skill.as_ref() != Some(&tag) || k.criterion_id.is_empty())
            });
        } else {
            self.skills.update(|s| s.push(tag.clone()));
            self.criteria.update(|c| {
                c.extend(skill.criteria.iter().map(|k| PlanCriterion {
                    skill: Some(tag.clone()),
                    criterion_id: k.id.clone(),
                    label: k.text.clone(),
                }))
            });
        }
    }
}

#[component]
pub fn PlanEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(id, |id| async move {
        let plan = if id.is_empty() {
            None
        } else {
            Some(get_plan(id).await?)
        };
        let frameworks = fetch_catalogue(String::new())
            .await?
            .map(|c| c.frameworks)
            .unwrap_or_default();
        Ok::<_, AppError>((plan, frameworks))
    });
    view! {
        <Title text="Préparer une séance"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="file"/>"Préparer une séance"</h1>
            <Loaded resource=data render=plan_form/>
        </section>
    }
}

fn text_area(
    id: &'static str,
    label: &'static str,
    signal: RwSignal<String>,
    rows: u32,
) -> impl IntoView {
    view! {
        <Field id=id label=label>
            <textarea class="field__input" id=id rows=rows maxlength="4000"
                prop:value=move || signal.get() on:input=move |ev| signal.set(event_target_value(&ev))></textarea>
        </Field>
    }
}

fn plan_form((plan, frameworks): (Option<Plan>, Vec<StoredFramework>)) -> impl IntoView {
    let id = plan.as_ref().map(|p| p.id.clone()).unwrap_or_default();
    let d = Draft::new(plan.as_ref());
    let save = ServerAction::<SavePlan>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("/seances/plans/{id}"), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SavePlan {
            id: id.clone(),
            title: d.title.get_untracked(),
            template: d.template.get_untracked(),
            afest: d.afest.get_untracked(),
            body: serde_json::to_string(&d.body()).unwrap_or_default(),
        });
    };
    let free = RwSignal::new(String::new());
    let add_free = move |_| {
        let label = free.get_untracked().trim().to_string();
        if !label.is_empty() {
            d.criteria.update(|c| {
                c.push(PlanCriterion {
                    skill: None,
                    criterion_id: String::new(),
                    label,
                })
            });
            free.set(String::new());
        }
    };
    view! {
        <form class="form plan-form" on:submit=submit>
            <Field id="plan-title" label="Titre de la séance">
                <input class="field__input" id="plan-title" maxlength="200" required
                    prop:value=move || d.title.get() on:input=move |ev| d.title.set(event_target_value(&ev))/>
            </Field>
            <label class="check">
                <input type="checkbox" prop:checked=move || d.afest.get() on:change=move |ev| d.afest.set(event_target_checked(&ev))/>
                <span>"AFEST : mise en situation, puis temps réflexif avec la personne, puis évaluation"</span>
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || d.template.get() on:change=move |ev| d.template.set(event_target_checked(&ev))/>
                <span>"Modèle : proposé en premier à toute l'équipe"</span>
            </label>
            {text_area("plan-task", "Tâche support (la situation de travail réelle)", d.task, 3)}
            <fieldset class="field">
                <legend class="field__label">"Compétences mobilisées"</legend>
                <p class="hint">"Cochez une compétence : ses critères s'ajoutent à l'évaluation."</p>
                {frameworks.into_iter().filter(|f| !f.archived).map(|f| {
                    let fid = f.id.clone();
                    view! {
                        <details class="picker">
                            <summary>{f.framework.title.clone()}</summary>
                            {by_domain(&f.framework.skills).into_iter().map(|(domain, skills)| view! {
                                <p class="picker__domain">{domain}</p>
                                {skills.into_iter().filter(|s| !s.archived).cloned().map(|s| {
                                    let (fid, fid2, sid) = (fid.clone(), fid.clone(), s.id.clone());
                                    let title = s.title.clone();
                                    view! {
                                        <label class="check">
                                            <input type="checkbox"
                                                prop:checked=move || d.skills.with(|list| list.iter().any(|t| t.framework_id == fid && t.skill_id == sid))
                                                on:change=move |_| d.toggle_skill(&fid2, &s)/>
                                            <span>{title}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            }).collect_view()}
                        </details>
                    }
                }).collect_view()}
            </fieldset>
            {text_area("plan-knowledge", "Savoirs associés (vocabulaire, règles…)", d.knowledge, 2)}
            {text_area("plan-objectives", "Objectifs d'apprentissage (un par ligne)", d.objectives, 3)}
            <fieldset class="field">
                <legend class="field__label">"Critères d'évaluation"</legend>
                <ul class="plan-criteria">
                    {move || d.criteria.get().into_iter().enumerate().map(|(i, c)| view! {
                        <li class="plan-criteria__item">
                            <span>{c.label.clone()}{c.skill.as_ref().map(|s| view! { <span class="muted">{format!(" · {}", s.title)}</span> })}</span>
                            <button type="button" class="button button--quiet" aria-label=format!("Retirer le critère « {} »", c.label)
                                on:click=move |_| d.criteria.update(|list| { if i < list.len() { list.remove(i); } })>"Retirer"</button>
                        </li>
                    }).collect_view()}
                </ul>
                <div class="field__row">
                    <label class="visually-hidden" for="plan-free">"Critère à ajouter"</label>
                    <input class="field__input" id="plan-free" maxlength="300" placeholder="Autre critère observable"
                        prop:value=move || free.get() on:input=move |ev| free.set(event_target_value(&ev))/>
                    <button type="button" class="button button--secondary" on:click=add_free>"Ajouter"</button>
                </div>
            </fieldset>
            <fieldset class="field">
                <legend class="field__label">"Déroulé (étapes)"</legend>
                {move || {
                    let n = d.steps.with(Vec::len);
                    (0..n).map(|i| step_row(d.steps, i, n)).collect_view()
                }}
                <button type="button" class="button button--quiet" on:click=move |_| d.steps.update(|s| s.push(Step::default()))>"Ajouter une étape"</button>
            </fieldset>
            {text_area("plan-methods", "Méthodes pédagogiques", d.methods, 2)}
            <fieldset class="field">
                <legend class="field__label">"Difficultés prévisibles et remédiations"</legend>
                {move || {
                    let n = d.difficulties.with(Vec::len);
                    (0..n).map(|i| difficulty_row(d.difficulties, i)).collect_view()
                }}
                <button type="button" class="button button--quiet" on:click=move |_| d.difficulties.update(|s| s.push(Difficulty::default()))>"Ajouter une difficulté"</button>
            </fieldset>
            {text_area("plan-material", "Ressources matérielles", d.material, 2)}
            {text_area("plan-evaluation", "Modalités et outils d'évaluation", d.evaluation, 2)}
            <Field id="plan-duration" label="Durée prévue (minutes)">
                <input class="field__input" id="plan-duration" type="number" min="0" max="1440" inputmode="numeric"
                    prop:value=move || d.duration.get().to_string()
                    on:input=move |ev| d.duration.set(event_target_value(&ev).parse().unwrap_or(0))/>
            </Field>
            {move || save.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="notice notice--error" role="alert"><Icon name="alert"/>{e.to_string()}</p>
            })}
            <div class="sticky-action">
                <button type="submit" class="button button--primary button--wide">"Enregistrer le plan"</button>
            </div>
        </form>
    }
}

fn step_row(steps: RwSignal<Vec<Step>>, i: usize, n: usize) -> impl IntoView {
    let step = steps.with_untracked(|s| s.get(i).cloned().unwrap_or_default());
    let set = move |f: fn(&mut Step, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            steps.update_untracked(|s| {
                if let Some(step) = s.get_mut(i) {
                    f(step, value)
                }
            })
        }
    };
    view! {
        <div class="row-editor" data-step=i + 1>
            <p class="row-editor__head">{format!("Étape {}", i + 1)}</p>
            <label class="visually-hidden" for=format!("step-title-{i}")>{format!("Étape {} : intitulé", i + 1)}</label>
            <input class="field__input" id=format!("step-title-{i}") maxlength="300" placeholder="Intitulé"
                value=step.title on:change=set(|s, v| s.title = v)/>
            <label class="visually-hidden" for=format!("step-content-{i}")>{format!("Étape {} : contenu", i + 1)}</label>
            <textarea class="field__input" id=format!("step-content-{i}") rows="2" maxlength="4000" placeholder="Contenu : ce que fait l'encadrant, ce que fait la personne"
                on:change=set(|s, v| s.content = v)>{step.content}</textarea>
            <label class="visually-hidden" for=format!("step-res-{i}")>{format!("Étape {} : ressources", i + 1)}</label>
            <input class="field__input" id=format!("step-res-{i}") maxlength="4000" placeholder="Ressources"
                value=step.resources on:change=set(|s, v| s.resources = v)/>
            <div class="row-editor__tools">
                <button type="button" class="button button--quiet" disabled={i == 0} aria-label=format!("Monter l'étape {}", i + 1)
                    on:click=move |_| steps.update(|s| if i > 0 { s.swap(i, i - 1) })>"↑"</button>
                <button type="button" class="button button--quiet" disabled={i + 1 >= n} aria-label=format!("Descendre l'étape {}", i + 1)
                    on:click=move |_| steps.update(|s| if i + 1 < s.len() { s.swap(i, i + 1) })>"↓"</button>
                <button type="button" class="button button--quiet"
                    on:click=move |_| steps.update(|s| { if i < s.len() { s.remove(i); } })>"Retirer"</button>
            </div>
        </div>
    }
}

fn difficulty_row(list: RwSignal<Vec<Difficulty>>, i: usize) -> impl IntoView {
    let item = list.with_untracked(|s| s.get(i).cloned().unwrap_or_default());
    let set = move |f: fn(&mut Difficulty, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            list.update_untracked(|s| {
                if let Some(d) = s.get_mut(i) {
                    f(d, value)
                }
            })
        }
    };
    view! {
        <div class="row-editor">
            <label class="visually-hidden" for=format!("diff-{i}")>{format!("Difficulté {}", i + 1)}</label>
            <input class="field__input" id=format!("diff-{i}") maxlength="300" placeholder="Difficulté"
                value=item.difficulty on:change=set(|d, v| d.difficulty = v)/>
            <label class="visually-hidden" for=format!("remedy-{i}")>{format!("Remédiation {}", i + 1)}</label>
            <input class="field__input" id=format!("remedy-{i}") maxlength="300" placeholder="Remédiation"
                value=item.remedy on:change=set(|d, v| d.remedy = v)/>
            <div class="row-editor__tools">
                <button type="button" class="button button--quiet"
                    on:click=move |_| list.update(|s| { if i < s.len() { s.remove(i); } })>"Retirer"</button>
            </div>
        </div>
    }
}
