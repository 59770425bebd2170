//! One bilan: while a draft, the records gathered and the counsellor's
//! words, saved and validated; once validated, the document as printed
//! (the same sections as its PDF), its download, its shares, its next
//! objectives in one tap, and its correction as a new version.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::{BilanObjectives, CorrectBilan, SaveBilan, ShareBilan, ValidateBilan, get_bilan};
use crate::widgets::icons::Icon;
use crate::widgets::{Field, FormStatus, Loaded, status_of};
use crate::wire::bilans::{BilanStatus, BilanView, BilanWords, Participant};
use crate::wire::documents::{Document, Section, bilan};
use jalon_core::bilans::{Audience, Recipient};
use jalon_core::dates::french_date;

#[component]
pub fn BilanPage() -> impl IntoView {
    let params = use_params_map();
    let saved = ServerAction::<SaveBilan>::new();
    let validated = ServerAction::<ValidateBilan>::new();
    let shared = ServerAction::<ShareBilan>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                saved.version().get() + validated.version().get() + shared.version().get(),
            )
        },
        |(id, _)| get_bilan(id),
    );
    view! {
        <Title text="Bilan"/>
        <section class="page page--narrow">
            <Loaded resource=data render=move |b| bilan_screen(b, saved, validated, shared)/>
        </section>
    }
}

/// A printed document's sections, on screen.
pub fn document_view(doc: Document) -> impl IntoView {
    view! {
        <article class="doc document">
            <header class="document__head">
                <p class="document__structure">{doc.structure}</p>
                <h1 class="document__title">{doc.title}</h1>
                {doc.subtitle.into_iter().map(|l| view! { <p class="document__line">{l}</p> }).collect_view()}
            </header>
            {doc.sections.into_iter().map(section_view).collect_view()}
            {(!doc.signatures.is_empty()).then(|| view! {
                <div class="document__signatures">
                    {doc.signatures.into_iter().map(|s| view! {
                        <div class="document__signature">
                            <strong>{s.role}</strong>
                            <span>{s.name}</span>
                            <span>{s.date}</span>
                        </div>
                    }).collect_view()}
                </div>
            })}
            {(!doc.qr.is_empty()).then(|| view! {
                <div class="document__check">
                    <div class="document__qr" inner_html=doc.qr></div>
                    <div>{doc.check.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}</div>
                </div>
            })}
        </article>
    }
}

fn section_view(s: Section) -> impl IntoView {
    view! {
        <section class="document__section">
            {(!s.heading.is_empty()).then(|| view! { <h2>{s.heading}</h2> })}
            {s.paragraphs.into_iter().map(|p| view! { <p class="document__text">{p}</p> }).collect_view()}
            {(!s.rows.is_empty()).then(|| {
                // Wide tables become one block per row on a phone, each cell
                // with its column's name (`data-label`).
                let class = if s.columns.len() > 2 { "doc__table doc__table--stack" } else { "doc__table" };
                let columns = s.columns.clone();
                view! {
                    <table class=class>
                        <thead><tr>{s.columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {s.rows.into_iter().map(|r| {
                                let columns = columns.clone();
                                view! {
                                    <tr>{r.into_iter().zip(columns).map(|(c, label)| view! { <td data-label=label>{c}</td> }).collect_view()}</tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
            {(!s.items.is_empty()).then(|| view! {
                <ul class="document__items">{s.items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
            })}
        </section>
    }
}

fn bilan_screen(
    b: BilanView,
    saved: ServerAction<SaveBilan>,
    validated: ServerAction<ValidateBilan>,
    shared: ServerAction<ShareBilan>,
) -> impl IntoView {
    let status = b.status;
    let back = format!("/salaries/{}#bilans", b.worker_id);
    let editing = b.can_write && status == BilanStatus::Draft;
    let doc = bilan(&b);
    let pdf = format!("/api/bilans/document.pdf?id={}", b.id);
    view! {
        <p class="no-print"><a href=back>"← Retour au parcours"</a></p>
        <p class=format!("badge badge--{}", status.code()) data-testid="bilan-status">{status.label()}</p>
        {document_view(doc)}
        {editing.then(|| editor(b.clone(), saved, validated))}
        {(!editing).then(|| view! {
            <div class="actions no-print">
                <a class="button button--primary" href=pdf.clone() download><Icon name="file"/>"Télécharger le PDF"</a>
                <crate::widgets::PrintButton class="button button--secondary"/>
            </div>
        })}
        {(b.can_write && status == BilanStatus::Validated).then(|| after_validation(b.clone(), shared))}
        {(!b.shares.is_empty()).then(|| view! {
            <section class="card no-print">
                <h2 class="card__title">"Partagé avec"</h2>
                <ul class="list" data-testid="shares">
                    {b.shares.iter().map(|s| view! {
                        <li class="list__item">
                            <span class="list__main">{s.recipient.label()}{(!s.name.is_empty()).then(|| format!(" · {}", s.name))}</span>
                            <span class="list__meta">{format!("le {} par {}", french_date(&s.at), s.by)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(b.versions.len() > 1).then(|| view! {
            <section class="card no-print">
                <h2 class="card__title">"Versions"</h2>
                <ul class="list">
                    {b.versions.iter().map(|v| view! {
                        <li class="list__item">
                            <a class="list__main" href=format!("/bilans/{}", v.id)>{format!("Version {}", v.version)}</a>
                            <span class="list__meta">{v.status.label()}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// The words the counsellor writes around the records, as form fields.
#[derive(Clone, Copy)]
struct Words {
    participants: RwSignal<String>,
    on_attendance: RwSignal<String>,
    on_barriers: RwSignal<String>,
    on_behaviours: RwSignal<String>,
    on_skills: RwSignal<String>,
    on_objectives: RwSignal<String>,
    worker_words: RwSignal<String>,
    conclusions: RwSignal<String>,
    next_objectives: RwSignal<String>,
    orientation: RwSignal<String>,
}

/// `Rôle : Nom (Organisation)` per line, both ways.
fn participant_lines(list: &[Participant]) -> String {
    list.iter()
        .map(|p| {
            if p.organisation.is_empty() {
                format!("{} : {}", p.role, p.name)
            } else {
                format!("{} : {} ({})", p.role, p.name, p.organisation)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn read_participants(text: &str) -> Vec<Participant> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (role, rest) = line.split_once(':').unwrap_or(("Participant", line));
            let rest = rest.trim();
            let (name, organisation) = match rest.strip_suffix(')').and_then(|r| r.rsplit_once('('))
            {
                Some((name, org)) => (name.trim(), org.trim()),
                None => (rest, ""),
            };
            Participant {
                role: role.trim().to_string(),
                name: name.to_string(),
                organisation: organisation.to_string(),
            }
        })
        .collect()
}

impl Words {
    fn new(w: &BilanWords) -> Words {
        Words {
            participants: RwSignal::new(participant_lines(&w.participants)),
            on_attendance: RwSignal::new(w.on_attendance.clone()),
            on_barriers: RwSignal::new(w.on_barriers.clone()),
            on_behaviours: RwSignal::new(w.on_behaviours.clone()),
            on_skills: RwSignal::new(w.on_skills.clone()),
            on_objectives: RwSignal::new(w.on_objectives.clone()),
            worker_words: RwSignal::new(w.worker_words.clone()),
            conclusions: RwSignal::new(w.conclusions.clone()),
            next_objectives: RwSignal::new(w.next_objectives.join("\n")),
            orientation: RwSignal::new(w.orientation.clone()),
        }
    }

    fn read(&self) -> BilanWords {
        BilanWords {
            participants: read_participants(&self.participants.get_untracked()),
            on_attendance: self.on_attendance.get_untracked(),
            on_barriers: self.on_barriers.get_untracked(),
            on_behaviours: self.on_behaviours.get_untracked(),
            on_skills: self.on_skills.get_untracked(),
            on_objectives: self.on_objectives.get_untracked(),
            worker_words: self.worker_words.get_untracked(),
            conclusions: self.conclusions.get_untracked(),
            next_objectives: self
                .next_objectives
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            orientation: self.orientation.get_untracked(),
        }
    }
}

fn area(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    value: RwSignal<String>,
    rows: u32,
) -> impl IntoView {
    view! {
        <Field id=id label=label>
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <textarea class="field__input" id=id rows=rows maxlength="4000"
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        </Field>
    }
}

fn editor(
    b: BilanView,
    saved: ServerAction<SaveBilan>,
    validated: ServerAction<ValidateBilan>,
) -> impl IntoView {
    let words = Words::new(&b.content.words);
    let audience = RwSignal::new(b.audience.code().to_string());
    let chosen: Vec<String> = b
        .content
        .added
        .iter()
        .map(|a| a.observation_id.clone())
        .collect();
    let added = RwSignal::new(chosen);
    let id = b.id.clone();
    let payload = move |id: String| SaveBilan {
        id,
        audience: audience.get_untracked(),
        words: serde_json::to_string(&words.read()).unwrap_or_default(),
        added: serde_json::to_string(&added.get_untracked()).unwrap_or_default(),
    };
    let id_save = id.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.dispatch(payload(id_save.clone()));
    };
    // Validating saves first, then validates what was saved.
    let want_validation = RwSignal::new(false);
    let id_validate = id.clone();
    Effect::new(move |_| {
        if let Some(Ok(())) = saved.value().get()
            && want_validation.get_untracked()
        {
            want_validation.set(false);
            validated.dispatch(ValidateBilan {
                id: id_validate.clone(),
            });
        }
    });
    let validate = move |_| {
        want_validation.set(true);
        saved.dispatch(payload(id.clone()));
    };
    view! {
        <form class="card form no-print" id="bilan-form" on:submit=save>
            <h2 class="card__title">"Compléter le bilan"</h2>
            <p class="hint">"Les chiffres viennent des présences, observations, évaluations et objectifs de la période, relus à chaque enregistrement jusqu'à la validation. Pour en corriger un, corrigez l'enregistrement lui-même."</p>
            <Field id="bilan-audience-edit" label="Destiné à">
                <select class="field__input" id="bilan-audience-edit"
                    on:change=move |ev| audience.set(event_target_value(&ev))>
                    {Audience::ALL.into_iter().map(|a| view! {
                        <option value=a.code() selected=move || audience.get() == a.code()>{a.label()}</option>
                    }).collect_view()}
                </select>
            </Field>
            {area("bilan-participants", "Participants", "Une personne par ligne : « Rôle : Nom (Organisation) ».", words.participants, 4)}
            {area("bilan-on-attendance", "Assiduité : vos remarques", "", words.on_attendance, 2)}
            {area("bilan-on-barriers", "Freins : vos remarques", "", words.on_barriers, 2)}
            {area("bilan-on-behaviours", "Comportements et points forts : vos remarques", "", words.on_behaviours, 2)}
            {area("bilan-on-skills", "Compétences : vos remarques", "", words.on_skills, 2)}
            {area("bilan-on-objectives", "Objectifs : vos remarques", "", words.on_objectives, 2)}
            {area("bilan-worker-words", "Les mots de la personne", "Écrits avec elle, comme elle le dit.", words.worker_words, 3)}
            {area("bilan-conclusions", "Conclusions", "", words.conclusions, 4)}
            {area("bilan-next", "Prochains objectifs", "Un par ligne ; une fois le bilan validé, vous les créerez d'un geste.", words.next_objectives, 3)}
            {area("bilan-orientation", "Orientation", "", words.orientation, 2)}
            {(!b.addable.is_empty()).then(|| view! {
                <fieldset class="choices">
                    <legend class="field__label">"Ajouter une observation de la période"</legend>
                    <p class="hint">"Rien de sensible n'entre dans un bilan sans votre choix ; un bilan pour un financeur n'en contient jamais."</p>
                    {b.addable.iter().map(|a| {
                        let oid = a.observation_id.clone();
                        let check_id = format!("add-{oid}");
                        let label_for = check_id.clone();
                        let (o1, o2) = (oid.clone(), oid);
                        view! {
                            <label class="choice" for=label_for>
                                <input type="checkbox" id=check_id
                                    prop:checked=move || added.with(|s| s.contains(&o1))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        added.update(|s| {
                                            s.retain(|x| *x != o2);
                                            if on { s.push(o2.clone()); }
                                        });
                                    }/>
                                <span class="choice__text">
                                    <span class="choice__label">{format!("{} · {}", french_date(&a.day), a.category)}{a.sensitive.then_some(" · sensible")}</span>
                                    <span class="choice__hint">{a.text.clone()}</span>
                                </span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            <FormStatus status=status_of(saved) done="Brouillon enregistré."/>
            <FormStatus status=status_of(validated) done="Bilan validé."/>
            <div class="actions">
                <button type="submit" class="button button--secondary">"Enregistrer le brouillon"</button>
                <button type="button" class="button button--primary" on:click=validate><Icon name="check"/>"Valider le bilan"</button>
            </div>
        </form>
    }
}

/// What follows a validated bilan: share it, create its next objectives,
/// correct it.
fn after_validation(b: BilanView, shared: ServerAction<ShareBilan>) -> impl IntoView {
    let correct = ServerAction::<CorrectBilan>::new();
    let objectives = ServerAction::<BilanObjectives>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = correct.value().get() {
            navigate(&format!("/bilans/{id}"), Default::default());
        }
    });
    let created = Signal::derive(move || {
        objectives.value().get().map(|r| match r {
            Ok(0) => Ok("Ces objectifs existent déjà.".to_string()),
            Ok(n) => Ok(jalon_core::text::plural(
                n,
                "objectif créé.",
                "objectifs créés.",
            )),
            Err(e) => Err(e.to_string()),
        })
    });
    let next = b.content.words.next_objectives.len();
    let funder_forbidden = b.sensitive;
    let (id1, id2, id3) = (b.id.clone(), b.id.clone(), b.id.clone());
    view! {
        <ActionForm action=shared attr:class="card form no-print" attr:id="share-form">
            <h2 class="card__title">"Partager ce bilan"</h2>
            <input type="hidden" name="id" value=id1/>
            <fieldset class="choices">
                <legend class="field__label">"Avec"</legend>
                {Recipient::ALL.into_iter()
                    .filter(|r| !(funder_forbidden && *r == Recipient::Funder))
                    .map(|r| {
                        let rid = format!("share-{}", r.code());
                        let label_for = rid.clone();
                        view! {
                            <label class="choice" for=label_for>
                                <input type="radio" id=rid name="recipient" value=r.code() required/>
                                <span class="choice__text"><span class="choice__label">{r.label()}</span>
                                {(r == Recipient::Worker).then(|| view! { <span class="choice__hint">"Il arrive sur son téléphone, en mots simples."</span> })}
                                </span>
                            </label>
                        }
                    }).collect_view()}
            </fieldset>
            <label class="field__label" for="share-name">"Nom et organisation (financeur, partenaire)"</label>
            <input class="field__input" id="share-name" name="name" maxlength="200" placeholder="Ex. : Conseil départemental, service insertion"/>
            <FormStatus status=status_of(shared) done="Partage enregistré."/>
            <button type="submit" class="button button--secondary">"Partager"</button>
        </ActionForm>
        {(next > 0).then(|| view! {
            <div class="card no-print">
                <h2 class="card__title">"Prochains objectifs"</h2>
                <p class="hint">{jalon_core::text::plural(next, "objectif écrit dans ce bilan.", "objectifs écrits dans ce bilan.")}</p>
                {move || created.get().map(|r| match r {
                    Ok(text) => view! { <p class="notice notice--ok" role="status"><Icon name="check"/>{text}</p> }.into_any(),
                    Err(text) => view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{text}</p> }.into_any(),
                })}
                <button type="button" class="button button--secondary"
                    on:click=move |_| { objectives.dispatch(BilanObjectives { id: id2.clone() }); }>
                    <Icon name="mark"/>"Créer ces objectifs"
                </button>
            </div>
        })}
        <ActionForm action=correct attr:class="card form no-print" attr:id="correct-form">
            <h2 class="card__title">"Corriger ce bilan"</h2>
            <p class="hint">"Le bilan validé reste tel quel ; la correction est une nouvelle version, avec son motif."</p>
            <input type="hidden" name="id" value=id3/>
            <label class="field__label" for="correct-reason">"Motif de la correction"</label>
            <input class="field__input" id="correct-reason" name="reason" maxlength="500" required/>
            <FormStatus status=status_of(correct) done="Nouvelle version créée."/>
            <button type="submit" class="button button--secondary">"Corriger (nouvelle version)"</button>
        </ActionForm>
    }
}
