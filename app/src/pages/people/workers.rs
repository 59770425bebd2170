//! Screens "Salariés": the list of worker files one may see, a worker file
//! with its team history and admin actions, and the new-file form.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::activation::ActivationPanel;
use super::parcours::{ParcoursPanel, Timeline};
use super::{
    ChangeCounsellor, CreateWorker, EndWorker, MoveWorker, RenewContract, WorkerFile,
    WorkerSummary, french_date, get_worker, list_workers, people_choices,
};
use crate::widgets::Field;
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, Loaded, status_of};
use crate::wire::parcours::KeyFigures;
use jalon_core::attendance::rates::percent;
use jalon_core::text::plural;

/// The people one may see, each a link to their file.
fn people_list(list: Vec<WorkerSummary>) -> impl IntoView {
    view! {
        <ul class="list">
            {list.into_iter().map(|w| view! {
                <li>
                    <A href=format!("/salaries/{}", w.id) attr:class="list__item list__link">
                        <span class="list__main">{w.name}</span>
                        <span class="list__meta">
                            {w.team.unwrap_or_else(|| "Sans équipe".into())}
                            {w.ended.then_some(" · parcours terminé")}
                        </span>
                    </A>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn WorkersPage() -> impl IntoView {
    let workers = Resource::new(|| (), |_| list_workers());
    view! {
        <Title text="Salariés"/>
        <div class="split">
            <section class="page split__list split__list--page">
                <h1 class="page__title"><Icon name="team"/>"Salariés"</h1>
                <Loaded resource=workers render=move |value| match value {
                            list if list.is_empty() => view! {
                                <p class="empty">"Aucun salarié à afficher pour votre compte."</p>
                            }
                            .into_any(),
                            list => people_list(list).into_any(),
                }/>
            </section>
            <p class="split__detail split__placeholder desk-only">"Choisissez une personne dans la liste pour ouvrir son parcours."</p>
        </div>
    }
}

/// On desks, the people one may see beside the open file, the open one
/// marked (`aria-current`); fetched in the browser once the page is live,
/// never on phones.
#[component]
fn PeopleColumn() -> impl IntoView {
    let list = RwSignal::new(None::<Vec<WorkerSummary>>);
    Effect::new(move |_| {
        if crate::widgets::split::on_desk() {
            leptos::task::spawn_local(async move {
                if let Ok(people) = list_workers().await {
                    list.set(Some(people));
                }
            });
        }
    });
    view! {
        <nav class="split__list" aria-label="Salariés">
            <a class="skip-link" href="#fiche">"Aller à la fiche"</a>
            {move || list.get().map(people_list)}
        </nav>
    }
}

#[component]
pub fn WorkerFilePage() -> impl IntoView {
    let params = use_params_map();
    let actions = FileActions {
        moved: ServerAction::new(),
        renewed: ServerAction::new(),
        referent: ServerAction::new(),
        ended: ServerAction::new(),
    };
    let file = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                actions.version(),
            )
        },
        |(id, _)| get_worker(id),
    );
    view! {
        <div class="split">
            <PeopleColumn/>
            <div class="split__detail" id="fiche" tabindex="-1">
                <Loaded resource=file render=move |w| worker_file(w, actions)/>
            </div>
        </div>
    }
}

/// The parcours at a glance, for staff: each figure counts only what the
/// reader may read.
fn key_figures(f: KeyFigures) -> impl IntoView {
    let contract = match f.days_to_contract_end {
        None => "pas de date de fin".to_string(),
        Some(d) if d < 0 => "terminé".to_string(),
        Some(0) => "se termine aujourd'hui".to_string(),
        Some(d) => format!("dans {}", plural(d as usize, "jour", "jours")),
    };
    let barriers = if f.barriers.is_empty() {
        "aucun noté".to_string()
    } else {
        f.barriers
            .iter()
            .map(|(label, n)| format!("{label} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <section class="card" aria-labelledby="figures-title">
            <h2 class="card__title" id="figures-title">"En un coup d'œil"</h2>
            <dl class="figures">
                <div><dt>"Présence, 4 dernières semaines"</dt><dd data-figure="rate-4-weeks">{percent(f.attendance_4_weeks)}</dd></div>
                <div><dt>"Présence depuis l'entrée"</dt><dd data-figure="rate-since-entry">{percent(f.attendance_since_entry)}</dd></div>
                <div>
                    <dt>"Alertes à prendre en compte"</dt>
                    <dd data-figure="open-alerts" class=(f.open_alerts > 0).then_some("figure--alert")>
                        {(f.open_alerts > 0).then(|| view! { <Icon name="alert"/> })}
                        {f.open_alerts}
                    </dd>
                </div>
                <div><dt>"Objectifs atteints / en cours"</dt><dd data-figure="objectives">{format!("{} / {}", f.objectives_reached, f.objectives_open)}</dd></div>
                <div><dt>"Compétences acquises / en cours"</dt><dd data-figure="skills">{format!("{} / {}", f.skills_acquired, f.skills_in_progress)}</dd></div>
                <div><dt>"Fin du contrat"</dt><dd data-figure="contract-end">{contract}</dd></div>
                <div><dt>"Dernier bilan"</dt><dd data-figure="last-bilan">{f.last_bilan.as_deref().map_or("aucun pour l'instant".to_string(), french_date)}</dd></div>
                <div class="figures__wide"><dt>"Freins notés"</dt><dd data-figure="barriers">{barriers}</dd></div>
                <div><dt>"Freins levés"</dt><dd data-figure="barriers-lifted">{f.barriers_lifted}</dd></div>
                <div><dt>"Accueil"</dt><dd data-figure="welcome">{match f.welcome {
                    (done, total) if done >= total => "toutes les étapes faites".to_string(),
                    (done, total) => format!("{done} sur {total} étapes faites"),
                }}</dd></div>
            </dl>
        </section>
    }
}

/// What can change a worker file from its screen; the file reloads after each.
#[derive(Clone, Copy)]
struct FileActions {
    moved: ServerAction<MoveWorker>,
    renewed: ServerAction<RenewContract>,
    referent: ServerAction<ChangeCounsellor>,
    ended: ServerAction<EndWorker>,
}

impl FileActions {
    fn version(&self) -> usize {
        self.moved.version().get()
            + self.renewed.version().get()
            + self.referent.version().get()
            + self.ended.version().get()
    }
}

fn worker_file(w: WorkerFile, actions: FileActions) -> impl IntoView {
    let name = format!("{} {}", w.first_name, w.last_name);
    let contract = match &w.contract_end {
        Some(end) => format!(
            "du {} au {}",
            french_date(&w.contract_start),
            french_date(end)
        ),
        None => format!("depuis le {}", french_date(&w.contract_start)),
    };
    let id = w.id.clone();
    let erase_name = name.clone();
    view! {
        <Title text=name.clone()/>
        <section class="page">
            <h1 class="page__title"><Icon name="file"/>{name}</h1>
            {w.figures.clone().map(key_figures)}
            <dl class="facts">
                <dt>"Équipe"</dt><dd>{w.team.clone().unwrap_or_else(|| "Sans équipe".into())}</dd>
                <dt>"CIP"</dt><dd>{w.counsellor.clone().unwrap_or_else(|| "Pas encore désigné·e".into())}</dd>
                <dt>"Contrat"</dt><dd>{contract}</dd>
                <dt>"Parcours"</dt><dd>{match (w.ended, w.exit_outcome.clone()) {
                    (false, _) => "en cours".to_string(),
                    (true, Some(outcome)) => format!("terminé · {outcome}"),
                    (true, None) => "terminé".to_string(),
                }}</dd>
                {w.phone.clone().map(|p| view! { <dt>"Téléphone"</dt><dd>{p}</dd> })}
                {w.login.clone().map(|l| view! { <dt>"Identifiant"</dt><dd>{l}</dd> })}
                {(w.staff_view && w.login.is_some()).then(|| view! {
                    <dt>"Information sur ses données"</dt>
                    <dd data-figure="notice">{w.notice_seen.as_deref().map_or("pas encore vue".to_string(), |d| format!("vue le {}", french_date(d)))}</dd>
                })}
            </dl>
            {w.staff_view.then(|| view! {
                <a class="button button--secondary button--wide" href=format!("/presences?salarie={}", w.id)>"Présences de ce mois"</a>
                <a class="button button--secondary button--wide" href=format!("/fil?salarie={}", w.id)>"Ses observations"</a>
                <a class="button button--secondary button--wide" href=format!("/progression?salarie={}", w.id)>"Ses compétences (évaluations)"</a>
                <a class="button button--secondary button--wide" href=format!("/objectifs?salarie={}", w.id)>"Ses objectifs"</a>
                <a class="button button--secondary button--wide" href=format!("/accueil?salarie={}", w.id)>"Accueil et équipements de protection"</a>
            })}
            {w.staff_view.then(|| view! { <crate::pages::bilans::Papers worker_id=id.clone()/> })}
            {w.staff_view.then(|| view! { <Timeline worker_id=id.clone()/> })}
            {w.can_issue_code.then(|| view! { <ActivationPanel worker_id=id.clone() ready=w.account_ready/> })}
            {w.parcours.is_some().then(|| view! {
                <a class="button button--secondary button--wide" href=format!("/demandes?salarie={}", w.id)>"Ses demandes sur ses données"</a>
            })}
            {w.devices_of.clone().map(|user| view! {
                <a class="button button--secondary button--wide" href=format!("/appareils?personne={user}")>"Ses appareils connectés"</a>
            })}
            {w.choices.clone().map(|c| manage_panel(id.clone(), c, w.team_id.clone(), actions.moved))}
            {w.parcours.clone().filter(|_| !w.ended).map(|choices| view! {
                <ParcoursPanel worker_id=id.clone() choices renewed=actions.renewed
                    referent=actions.referent ended=actions.ended/>
            })}
            <h2>"Historique du parcours"</h2>
            {if w.events.is_empty() {
                view! { <p class="empty">"Ni renouvellement, ni changement de CIP, ni sortie pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ul class="list">
                        {w.events.into_iter().map(|e| view! {
                            <li class="list__item">
                                <span class="list__main">{e.title}" · "{e.detail}</span>
                                <span class="list__meta">
                                    {format!("le {}", french_date(&e.effective_on))}
                                    {e.by.map(|b| format!(" · par {b}"))}
                                </span>
                                {(!e.reason.is_empty()).then(|| view! { <span class="list__meta">"Motif : "{e.reason}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {w.parcours.is_some().then(|| view! { <crate::pages::privacy::AccessPanel worker_id=id.clone()/> })}
            {w.can_erase.then(|| view! { <crate::pages::privacy::ErasePanel worker_id=id.clone() name=erase_name/> })}
            <h2>"Historique des équipes"</h2>
            <ul class="list">
                {w.history.into_iter().map(|h| view! {
                    <li class="list__item">
                        <span class="list__main">{h.team.unwrap_or_else(|| "Sans équipe".into())}</span>
                        <span class="list__meta">
                            {format!("depuis le {}", french_date(&h.at))}
                            {h.by.map(|b| format!(" · par {b}"))}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

fn manage_panel(
    id: String,
    choices: super::Choices,
    team_id: Option<String>,
    moved: ServerAction<MoveWorker>,
) -> impl IntoView {
    let current = team_id.unwrap_or_default();
    view! {
        <ActionForm action=moved attr:class="card form">
            <h2 class="card__title">"Changer d'équipe"</h2>
            <input type="hidden" name="worker_id" value=id/>
            <label class="field__label" for="move-team">"Nouvelle équipe"</label>
            <select class="field__input" id="move-team" name="team_id">
                <option value="" selected=current.is_empty()>"Sans équipe"</option>
                {choices.teams.into_iter().map(|t| {
                    let selected = t.id == current;
                    view! { <option value=t.id selected=selected>{t.label}</option> }
                }).collect_view()}
            </select>
            <FormStatus status=status_of(moved) done="Équipe changée."/>
            <button type="submit" class="button button--secondary">"Changer d'équipe"</button>
        </ActionForm>
    }
}

#[component]
pub fn NewWorkerPage() -> impl IntoView {
    let create = ServerAction::<CreateWorker>::new();
    let choices = Resource::new(|| (), |_| people_choices());
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/salaries/{id}"), Default::default());
        }
    });
    view! {
        <Title text="Nouveau salarié"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="file"/>"Nouveau parcours"</h1>
            <Loaded resource=choices render=move |c| view! {
                            <ActionForm action=create attr:class="form">
                                <Field id="w-first" label="Prénom">
                                    <input class="field__input" id="w-first" name="first_name" maxlength="100" required/>
                                </Field>
                                <Field id="w-last" label="Nom">
                                    <input class="field__input" id="w-last" name="last_name" maxlength="100" required/>
                                </Field>
                                <Field id="w-team" label="Équipe">
                                    <select class="field__input" id="w-team" name="team_id">
                                        <option value="">"Plus tard"</option>
                                        {c.teams.into_iter().map(|t| view! { <option value=t.id>{t.label}</option> }).collect_view()}
                                    </select>
                                </Field>
                                <Field id="w-cip" label="CIP référent·e">
                                    <select class="field__input" id="w-cip" name="counsellor_id">
                                        <option value="">"Plus tard"</option>
                                        {c.counsellors.into_iter().map(|t| view! { <option value=t.id>{t.label}</option> }).collect_view()}
                                    </select>
                                </Field>
                                <Field id="w-start" label="Début du contrat">
                                    <input class="field__input" id="w-start" name="contract_start" type="date" value=c.today.clone() required/>
                                </Field>
                                <Field id="w-end" label="Fin du contrat (si connue)">
                                    <input class="field__input" id="w-end" name="contract_end" type="date"/>
                                </Field>
                                <Field id="w-phone" label="Téléphone (facultatif)">
                                    <input class="field__input" id="w-phone" name="phone" type="tel" maxlength="30"/>
                                </Field>
                                <FormStatus status=status_of(create) done="Parcours créé."/>
                                <button type="submit" class="button button--primary button--wide">"Créer le parcours"</button>
                            </ActionForm>
                        }/>
        </section>
    }
}
