//! Admin screen « Conservation des données »: the retention period with what
//! it rests on, who will be anonymised within 30 days, and a legal hold for
//! one of them.
use jalon_core::dates::french_date;
use jalon_core::privacy::{LEGAL_BASIS, PREVIEW_DAYS, YEARS};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{HoldPerson, SetContact, SetRetentionYears, retention_overview};
use crate::widgets::icons::Icon;
use crate::widgets::{Field, FormStatus, Loaded, status_of};
use crate::wire::privacy::{RetentionLine, RetentionState};

#[component]
pub fn RetentionPage() -> impl IntoView {
    let years = ServerAction::<SetRetentionYears>::new();
    let hold = ServerAction::<HoldPerson>::new();
    let contact = ServerAction::<SetContact>::new();
    let overview = Resource::new(
        move || {
            (
                years.version().get(),
                hold.version().get(),
                contact.version().get(),
            )
        },
        |_| retention_overview(),
    );
    view! {
        <Title text="Conservation des données"/>
        <section class="page">
            <h1 class="page__title"><Icon name="clock"/>"Conservation des données"</h1>
            <super::WaitingRequests/>
            <a class="button button--secondary button--wide" href="/demandes">"Demandes des salariés sur leurs données"</a>
            <Loaded resource=overview render=move |o| view! {
                {contact_form(o.contact.clone(), contact)}
                {overview_view(o, years, hold)}
            }/>
        </section>
    }
}

fn overview_view(
    o: RetentionState,
    years: ServerAction<SetRetentionYears>,
    hold: ServerAction<HoldPerson>,
) -> impl IntoView {
    let current = o.years;
    let today = o.today.clone();
    view! {
        <ActionForm action=years attr:class="card form">
            <h2 class="card__title">"Durée de conservation"</h2>
            <p>
                "Quand un parcours est terminé, les données de la personne sont anonymisées "
                {format!("{current} an{} après le dernier contact", if current > 1 { "s" } else { "" })}
                " (fin de contrat, dernière présence, observation ou séance) : nom remplacé, textes "
                "libres et historiques supprimés. Les chiffres anonymes (présences, sorties) restent."
            </p>
            <p class="muted">{LEGAL_BASIS}</p>
            <Field id="retention-years" label="Années après le dernier contact">
                <select class="field__input" id="retention-years" name="years">
                    {YEARS.map(|y| view! {
                        <option value=y.to_string() selected=y == current>{format!("{y} an{}", if y > 1 { "s" } else { "" })}</option>
                    }).collect_view()}
                </select>
            </Field>
            <FormStatus status=status_of(years) done="Durée enregistrée."/>
            <button type="submit" class="button button--secondary button--wide">"Enregistrer la durée"</button>
        </ActionForm>
        <h2>{format!("Anonymisations des {PREVIEW_DAYS} prochains jours")}</h2>
        <FormStatus status=status_of(hold) done="Conservation prolongée."/>
        {if o.people.is_empty() {
            view! { <p class="empty">"Personne n'est concerné dans les 30 prochains jours."</p> }.into_any()
        } else {
            view! {
                <ul class="list" data-testid="retention-list">
                    {o.people.into_iter().map(|p| person(p, &today, hold)).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

fn person(p: RetentionLine, today: &str, hold: ServerAction<HoldPerson>) -> impl IntoView {
    let until_id = format!("hold-until-{}", p.worker_id);
    let reason_id = format!("hold-reason-{}", p.worker_id);
    let min = today.to_string();
    let when = if p.due_on.as_str() <= today {
        "à la prochaine passe (cette nuit)".to_string()
    } else {
        format!("le {}", french_date(&p.due_on))
    };
    view! {
        <li class="list__item">
            <span class="list__main">{p.name.clone()}</span>
            <span class="list__meta">{format!("Anonymisation {when} · dernier contact le {}", french_date(&p.last_contact))}</span>
            {p.hold_until.clone().map(|until| view! {
                <span class="list__meta">
                    {format!("Conservée jusqu'au {} : {}", french_date(&until), p.hold_reason.clone().unwrap_or_default())}
                </span>
            })}
            <details class="details">
                <summary>"Conserver plus longtemps"</summary>
                <ActionForm action=hold attr:class="form">
                    <input type="hidden" name="worker_id" value=p.worker_id.clone()/>
                    <Field id=until_id.clone() label="Conserver jusqu'au">
                        <input class="field__input" id=until_id type="date" name="until" min=min required/>
                    </Field>
                    <Field id=reason_id.clone() label="Motif (obligation légale, contentieux…)">
                        <input class="field__input" id=reason_id name="reason" maxlength="500" required/>
                    </Field>
                    <button type="submit" class="button button--primary button--wide">"Prolonger la conservation"</button>
                </ActionForm>
            </details>
        </li>
    }
}

/// Who people write to about their data: shown on `/confidentialite`.
fn contact_form(current: String, contact: ServerAction<SetContact>) -> impl IntoView {
    view! {
        <ActionForm action=contact attr:class="card form">
            <h2 class="card__title">"Contact pour les données personnelles"</h2>
            <p>
                "Affiché sur la page « Vos données » que chaque personne peut lire, et que les salariés "
                "voient en activant leur compte. "
                <a href="/confidentialite?complet=1">"Voir la page"</a>
            </p>
            <Field id="privacy-contact" label="Adresse, téléphone ou nom (référent·e RGPD, direction…)">
                <input class="field__input" id="privacy-contact" name="contact" maxlength="200" value=current/>
            </Field>
            <FormStatus status=status_of(contact) done="Contact enregistré."/>
            <button type="submit" class="button button--secondary button--wide">"Enregistrer le contact"</button>
            <a class="button button--secondary button--wide" href="/api/privacy/register.pdf" download>
                "Fiche du registre des traitements (PDF)"
            </a>
        </ActionForm>
    }
}
