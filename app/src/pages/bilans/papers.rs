//! A person's bilans and attestations, on their file: the list, and for the
//! counsellor (or the admin) the forms that start a bilan or issue the
//! attestation of skills.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{CreateBilan, IssueAttestation, bilan_papers};
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, Loaded, status_of};
use crate::wire::bilans::{BilanStatus, PapersOfWorker};
use jalon_core::bilans::{Audience, Kind};
use jalon_core::dates::french_date;

#[component]
pub fn Papers(worker_id: String) -> impl IntoView {
    let id = worker_id.clone();
    let papers = Resource::new(move || id.clone(), bilan_papers);
    view! {
        <section class="card" aria-labelledby="papers-title" id="bilans">
            <h2 class="card__title" id="papers-title">"Bilans et attestation"</h2>
            <Loaded resource=papers render=move |p| papers_view(worker_id.clone(), p)/>
        </section>
    }
}

fn papers_view(worker_id: String, p: PapersOfWorker) -> impl IntoView {
    let create = ServerAction::<CreateBilan>::new();
    let issue = ServerAction::<IssueAttestation>::new();
    let navigate = use_navigate();
    let go = navigate.clone();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            go(&format!("/bilans/{id}"), Default::default());
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = issue.value().get() {
            navigate(&format!("/attestations/{id}"), Default::default());
        }
    });
    let supervisor = p.supervisors.first().cloned().unwrap_or_default();
    view! {
        {if p.bilans.is_empty() {
            view! { <p class="empty">"Aucun bilan pour l'instant."</p> }.into_any()
        } else {
            view! {
                <ul class="list" data-testid="bilans">
                    {p.bilans.into_iter().map(|b| view! {
                        <li class="list__item">
                            <a class="list__main" href=format!("/bilans/{}", b.id)>
                                {b.kind.title()}
                                {(b.version > 1).then(|| format!(" · version {}", b.version))}
                            </a>
                            <span class="list__meta">
                                {format!("du {} au {}", french_date(&b.from), french_date(&b.to))}
                                " · "{b.status.label()}
                                {(b.status == BilanStatus::Validated).then(|| b.validated_at.as_deref().map(|at| format!(" le {}", french_date(at))))}
                            </span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!p.attestations.is_empty()).then(|| view! {
            <ul class="list" data-testid="attestations">
                {p.attestations.into_iter().map(|a| view! {
                    <li class="list__item">
                        <a class="list__main" href=format!("/attestations/{}", a.id)>
                            "Attestation de compétences · "{a.code}
                        </a>
                        <span class="list__meta">
                            {format!("le {} · {}", french_date(&a.issued_at), jalon_core::text::plural(a.skills, "compétence", "compétences"))}
                            {a.withdrawn.then_some(" · retirée")}
                        </span>
                    </li>
                }).collect_view()}
            </ul>
        })}
        {p.can_write.then(|| {
            let (w1, w2) = (worker_id.clone(), worker_id.clone());
            view! {
                <ActionForm action=create attr:class="form" attr:id="new-bilan">
                    <h3>"Préparer un bilan"</h3>
                    <input type="hidden" name="worker_id" value=w1/>
                    <label class="field__label" for="bilan-kind">"Type de bilan"</label>
                    <select class="field__input" id="bilan-kind" name="kind" required>
                        {Kind::ALL.into_iter().map(|k| view! { <option value=k.code()>{k.title()}</option> }).collect_view()}
                    </select>
                    <label class="field__label" for="bilan-audience">"Destiné à"</label>
                    <select class="field__input" id="bilan-audience" name="audience" required>
                        {Audience::ALL.into_iter().map(|a| view! { <option value=a.code()>{a.label()}</option> }).collect_view()}
                    </select>
                    <div class="filters__row filters__row--dates">
                        <label class="field">
                            <span class="field__label">"Du"</span>
                            <input class="field__input" type="date" name="from" value=p.contract_start.clone() required/>
                        </label>
                        <label class="field">
                            <span class="field__label">"Au"</span>
                            <input class="field__input" type="date" name="to" value=p.today.clone() required/>
                        </label>
                    </div>
                    <p class="hint">"Jalon rassemble les présences, les observations, les évaluations et les objectifs de la période ; vous complétez ensuite chaque partie."</p>
                    <FormStatus status=status_of(create) done="Bilan créé."/>
                    <button type="submit" class="button button--primary"><Icon name="file"/>"Préparer le bilan"</button>
                </ActionForm>
                <ActionForm action=issue attr:class="form" attr:id="new-attestation">
                    <h3>"Attestation de compétences"</h3>
                    <p class="hint">"Elle reprend les compétences « acquises », avec la date et la séance où elles ont été montrées, et porte un code que chacun peut vérifier."</p>
                    <input type="hidden" name="worker_id" value=w2/>
                    <label class="field__label" for="attestation-supervisor">"Encadrant technique qui signe"</label>
                    <input class="field__input" id="attestation-supervisor" name="supervisor" maxlength="200" required value=supervisor/>
                    <label class="field__label" for="attestation-head">"Responsable de la structure qui signe"</label>
                    <input class="field__input" id="attestation-head" name="head" maxlength="200" required value=p.head_name.clone()
                        placeholder="Prénom Nom, fonction"/>
                    <FormStatus status=status_of(issue) done="Attestation établie."/>
                    <button type="submit" class="button button--secondary"><Icon name="star"/>"Établir l'attestation"</button>
                </ActionForm>
            }
        })}
    }
}
