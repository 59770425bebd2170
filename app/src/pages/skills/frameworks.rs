//! "Référentiels": the structure's skill frameworks. Everyone on the staff
//! reads them; the admin creates, edits, reorders, archives, imports and
//! exports them.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::api::*;
use crate::auth::{Role, use_user};
use crate::widgets::icons::Icon;
use crate::widgets::{Field, FormStatus, Loaded, status_of};
use jalon_core::skills::{Criterion, Skill, StoredFramework, by_domain};

/// Whether the signed-in person administers the structure.
fn is_admin() -> Signal<bool> {
    let user = use_user();
    Signal::derive(move || {
        user.get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.role == Role::Admin)
    })
}

use jalon_core::text::plural;

#[component]
pub fn FrameworksPage() -> impl IntoView {
    let create = ServerAction::<CreateFramework>::new();
    let import = ServerAction::<ImportFramework>::new();
    let admin = is_admin();
    let data = Resource::new(
        move || (create.version().get(), import.version().get()),
        |_| list_frameworks(),
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        for action in [create.value().get(), import.value().get()] {
            if let Some(Ok(id)) = action {
                navigate(&format!("/referentiels/{id}"), Default::default());
            }
        }
    });
    view! {
        <Title text="Référentiels"/>
        <section class="page">
            <h1 class="page__title"><Icon name="star"/>"Référentiels de compétences"</h1>
            <p class="muted">"Les compétences et leurs critères d'évaluation, par métier, et les comportements professionnels communs à tous."</p>
            <Loaded resource=data render=list_view/>
            // Admin-only forms wait for the signed-in person: rendered before
            // the server knows them, the page would not match what the
            // browser hydrates (and the wasm would stop).
            <Transition fallback=|| ()>
                <Show when=move || admin.get()>
                    <ActionForm action=create attr:class="card form">
                        <h2 class="card__title">"Nouveau référentiel"</h2>
                        <Field id="fw-title" label="Nom (le métier)">
                            <input class="field__input" id="fw-title" name="title" maxlength="200" required/>
                        </Field>
                        <Field id="fw-kind" label="Type">
                            <select class="field__input" id="fw-kind" name="kind">
                                <option value="trade">"Métier"</option>
                                <option value="behaviours">"Comportements professionnels"</option>
                            </select>
                        </Field>
                        <FormStatus status=status_of(create) done="Référentiel créé."/>
                        <button type="submit" class="button button--primary button--wide">"Créer le référentiel"</button>
                    </ActionForm>
                    <ImportForm import=import/>
                </Show>
            </Transition>
        </section>
    }
}

fn list_view(lines: Vec<FrameworkLine>) -> impl IntoView {
    view! {
        <ul class="list" aria-label="Référentiels">
            {lines.into_iter().map(|f| view! {
                <li class="list__item" data-framework=f.title.clone()>
                    <a class="list__link" href=format!("/referentiels/{}", f.id)>
                        <span class="list__main">{f.title.clone()}</span>
                        <span class="list__meta">
                            {f.kind.label()}" · "{plural(f.skills, "compétence", "compétences")}
                            {(f.archived_skills > 0).then(|| format!(" · {} archivée(s)", f.archived_skills))}
                        </span>
                    </a>
                    {f.archived.then(|| view! { <span class="badge">"Archivé"</span> })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Import of an exchange file: chosen on the device or pasted.
#[component]
fn ImportForm(import: ServerAction<ImportFramework>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                leptos::task::spawn_local(async move {
                    let read = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                    text.set(read.ok().and_then(|v| v.as_string()).unwrap_or_default());
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <form class="card form" on:submit=move |ev| {
            ev.prevent_default();
            import.dispatch(ImportFramework { file: text.get_untracked() });
        }>
            <h2 class="card__title">"Importer un référentiel"</h2>
            <p class="muted">"Un fichier JSON exporté depuis Jalon (par une autre structure, par exemple). S'il contient une erreur, rien n'est importé et la ligne à corriger est indiquée."</p>
            <Field id="fw-file" label="Fichier">
                <input class="field__input" id="fw-file" type="file" accept=".json,application/json" on:change=on_file/>
            </Field>
            <Field id="fw-text" label="Contenu du fichier (ou collez-le ici)">
                <textarea class="field__input field__input--code" id="fw-text" rows="6"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </Field>
            <FormStatus status=status_of(import) done="Référentiel importé."/>
            <button type="submit" class="button button--secondary button--wide">"Importer"</button>
        </form>
    }
}

#[component]
pub fn FrameworkPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let update = ServerAction::<UpdateFramework>::new();
    let save = ServerAction::<SaveSkill>::new();
    let moved = ServerAction::<MoveSkill>::new();
    let archive = ServerAction::<ArchiveSkill>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                update.version().get(),
                save.version().get(),
                moved.version().get(),
                archive.version().get(),
            )
        },
        |(id, ..)| get_framework(id),
    );
    let admin = is_admin();
    let actions = Actions {
        save,
        moved,
        archive,
    };
    view! {
        <Title text="Référentiel"/>
        <section class="page">
            <p><a class="button button--quiet" href="/referentiels">"‹ Tous les référentiels"</a></p>
            // Waits for the signed-in person too: the editing controls are the
            // admin's, and the server must render what the browser hydrates.
            <Transition fallback=|| ()>
                {move || {
                    let admin = admin.get();
                    view! {
                        <Loaded resource=data render=move |stored: StoredFramework| {
                            framework_view(stored, admin, update, actions)
                        }/>
                    }
                }}
            </Transition>
        </section>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveSkill>,
    moved: ServerAction<MoveSkill>,
    archive: ServerAction<ArchiveSkill>,
}

fn framework_view(
    stored: StoredFramework,
    admin: bool,
    update: ServerAction<UpdateFramework>,
    actions: Actions,
) -> impl IntoView + use<> {
    let f = stored.framework.clone();
    let id = stored.id.clone();
    let domains: Vec<String> = by_domain(&f.skills).into_iter().map(|(d, _)| d).collect();
    let groups: Vec<(String, Vec<Skill>)> = by_domain(&f.skills)
        .into_iter()
        .map(|(d, list)| (d, list.into_iter().cloned().collect()))
        .collect();
    let count = f.skills.len();
    let export = format!("/api/referentiels/export.json?id={id}");
    view! {
        <h1 class="page__title"><Icon name="star"/>{f.title.clone()}</h1>
        <p class="card__meta">
            {f.kind.label()}" · "{plural(f.skills.iter().filter(|s| !s.archived).count(), "compétence", "compétences")}
            {stored.archived.then_some(" · archivé")}
        </p>
        <p class="actions">
            <a class="button button--secondary" href=export download="">"Exporter (fichier JSON)"</a>
        </p>
        <FormStatus status=status_of(actions.save) done="Compétence enregistrée."/>
        <FormStatus status=status_of(actions.archive) done="C'est fait."/>
        {groups.into_iter().map(|(domain, skills)| {
            let title = if domain.is_empty() { "Sans domaine".to_string() } else { domain };
            view! {
                <h2 class="section-title">{title}</h2>
                {skills.into_iter().map(|s| skill_card(&id, s, admin, &domains, actions)).collect_view()}
            }
        }).collect_view()}
        {admin.then(|| {
            let blank = Skill {
                id: String::new(),
                domain: domains.last().cloned().unwrap_or_default(),
                title: String::new(),
                archived: false,
                criteria: Vec::new(),
            };
            view! {
                <details class="card" open=count == 0>
                    <summary class="card__title">"Ajouter une compétence"</summary>
                    <SkillEditor framework_id=id.clone() skill=blank domains=domains.clone() save=actions.save/>
                </details>
                <ActionForm action=update attr:class="card form">
                    <h2 class="card__title">"Nom et archivage"</h2>
                    <input type="hidden" name="id" value=id.clone()/>
                    <Field id="fw-rename" label="Nom du référentiel">
                        <input class="field__input" id="fw-rename" name="title" value=f.title.clone() maxlength="200" required/>
                    </Field>
                    <Field id="fw-archived" label="État">
                        <select class="field__input" id="fw-archived" name="archived">
                            <option value="false" selected=!stored.archived>"En service"</option>
                            <option value="true" selected=stored.archived>"Archivé : plus proposé pour les nouvelles séances (les évaluations passées restent)"</option>
                        </select>
                    </Field>
                    <FormStatus status=status_of(update) done="Référentiel enregistré."/>
                    <button type="submit" class="button button--secondary button--wide">"Enregistrer"</button>
                </ActionForm>
            }
        })}
    }
}

fn skill_card(
    framework_id: &str,
    skill: Skill,
    admin: bool,
    domains: &[String],
    actions: Actions,
) -> impl IntoView + use<> {
    let fid = framework_id.to_string();
    let sid = skill.id.clone();
    let archived = skill.archived;
    let editor = admin.then(|| {
        let (fid, domains, skill) = (fid.clone(), domains.to_vec(), skill.clone());
        view! {
            <details class="skill__edit">
                <summary class="button button--quiet">"Modifier"</summary>
                <SkillEditor framework_id=fid skill=skill domains=domains save=actions.save/>
            </details>
        }
    });
    let tools = admin.then(|| {
        let (f1, f2, f3) = (fid.clone(), fid.clone(), fid.clone());
        let (s1, s2, s3) = (sid.clone(), sid.clone(), sid.clone());
        let title = skill.title.clone();
        view! {
            <div class="skill__tools">
                <button type="button" class="button button--quiet" aria-label=format!("Monter « {title} »")
                    on:click=move |_| { actions.moved.dispatch(MoveSkill { framework_id: f1.clone(), skill_id: s1.clone(), up: true }); }>"↑"</button>
                <button type="button" class="button button--quiet" aria-label=format!("Descendre « {title} »")
                    on:click=move |_| { actions.moved.dispatch(MoveSkill { framework_id: f2.clone(), skill_id: s2.clone(), up: false }); }>"↓"</button>
                <button type="button" class="button button--quiet"
                    on:click=move |_| { actions.archive.dispatch(ArchiveSkill { framework_id: f3.clone(), skill_id: s3.clone(), archived: !archived }); }>
                    {if archived { "Réactiver" } else { "Archiver" }}
                </button>
            </div>
        }
    });
    view! {
        <article class=if archived { "card skill skill--archived" } else { "card skill" } data-skill=skill.title.clone()>
            <h3 class="skill__title">{skill.title.clone()}{archived.then(|| view! { <span class="badge">"Archivée"</span> })}</h3>
            <ul class="skill__criteria">
                {skill.criteria.iter().map(|c| view! { <li>{c.text.clone()}</li> }).collect_view()}
            </ul>
            {tools}
            {editor}
        </article>
    }
}

/// A skill's form: domain, title, criteria (blank lines are removed).
#[component]
fn SkillEditor(
    framework_id: String,
    skill: Skill,
    domains: Vec<String>,
    save: ServerAction<SaveSkill>,
) -> impl IntoView {
    let key = if skill.id.is_empty() {
        "new".to_string()
    } else {
        skill.id.clone()
    };
    let domain = RwSignal::new(skill.domain.clone());
    let title = RwSignal::new(skill.title.clone());
    let mut rows = skill.criteria.clone();
    let blank = || Criterion {
        id: String::new(),
        text: String::new(),
    };
    while rows.len() < 4 {
        rows.push(blank());
    }
    let criteria = RwSignal::new(rows);
    let list_id = format!("domains-{key}");
    let domain_id = format!("sk-domain-{key}");
    let title_id = format!("sk-title-{key}");
    let id = skill.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = serde_json::json!({
            "id": id,
            "domain": domain.get_untracked(),
            "title": title.get_untracked(),
            "criteria": criteria.get_untracked(),
        });
        save.dispatch(SaveSkill {
            framework_id: framework_id.clone(),
            skill: value.to_string(),
        });
    };
    view! {
        <form class="form" on:submit=submit>
            <Field id=domain_id.clone() label="Domaine">
                <input class="field__input" id=domain_id list=list_id.clone() maxlength="120"
                    prop:value=move || domain.get() on:input=move |ev| domain.set(event_target_value(&ev))/>
                <datalist id=list_id>{domains.into_iter().map(|d| view! { <option value=d/> }).collect_view()}</datalist>
            </Field>
            <Field id=title_id.clone() label="Compétence">
                <input class="field__input" id=title_id maxlength="200" required
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </Field>
            <fieldset class="field">
                <legend class="field__label">"Critères d'évaluation (ce qu'on peut observer)"</legend>
                {move || criteria.with(|list| (0..list.len()).map(|i| {
                    let key = key.clone();
                    let value = list[i].text.clone();
                    let input_id = format!("sk-crit-{key}-{i}");
                    view! {
                        <label class="visually-hidden" for=input_id.clone()>{format!("Critère {}", i + 1)}</label>
                        <input class="field__input field__input--row" id=input_id maxlength="300"
                            placeholder=format!("Critère {}", i + 1) value=value
                            on:change=move |ev| criteria.update(|l| if let Some(c) = l.get_mut(i) { c.text = event_target_value(&ev) })/>
                    }
                }).collect_view())}
                <button type="button" class="button button--quiet"
                    on:click=move |_| criteria.update(|l| l.push(Criterion { id: String::new(), text: String::new() }))>
                    "Ajouter un critère"
                </button>
                <p class="hint">"Videz une ligne pour retirer un critère."</p>
            </fieldset>
            <button type="submit" class="button button--primary button--wide">"Enregistrer la compétence"</button>
        </form>
    }
}
