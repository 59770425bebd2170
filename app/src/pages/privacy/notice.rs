//! `/confidentialite`: what Jalon records about people, why, who sees what,
//! for how long, their rights and whom to ask, in plain words; and a
//! *facile à lire* version (`?facile=1`) that workers see when they activate
//! their account and find from their home. A signed-in account's first view
//! of each version is kept with its date (`privacy/notice`).
use jalon_core::dates::french_date;
use jalon_core::privacy::{NOTICE_DATE, NOTICE_VERSION};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::notice;
use crate::widgets::Loaded;
use crate::widgets::icons::Icon;
use crate::wire::privacy::NoticeFacts;

#[component]
pub fn NoticePage() -> impl IntoView {
    let query = use_query_map();
    let facts = Resource::new(|| (), |_| notice());
    let easy = move || query.read().get("facile").is_some();
    let after_activation = move || query.read().get("activation").is_some();
    view! {
        <Title text="Vos données"/>
        <section class="page page--narrow notice-page">
            <Loaded resource=facts render=move |f| {
                if easy() || (f.worker && query.read().get("complet").is_none()) {
                    easy_read(f, after_activation()).into_any()
                } else {
                    full(f).into_any()
                }
            }/>
            <p class="hint">{format!("Version {NOTICE_VERSION} du {}", french_date(NOTICE_DATE))}</p>
        </section>
    }
}

fn contact_line(f: &NoticeFacts) -> String {
    match &f.contact {
        Some(contact) => contact.clone(),
        None => "la direction de votre structure".to_string(),
    }
}

fn years_text(years: u32) -> String {
    if years > 1 {
        format!("{years} ans")
    } else {
        "1 an".to_string()
    }
}

/// Short sentences, one idea each, « vous », an icon per line.
fn easy_read(f: NoticeFacts, after_activation: bool) -> impl IntoView {
    let lines: [(&str, String); 8] = [
        ("file", "Jalon est le carnet de votre parcours.".into()),
        (
            "check",
            "Votre encadrant ou votre encadrante note vos présences et ce que vous apprenez.".into(),
        ),
        ("user", "Votre conseillère ou votre conseiller (CIP) lit ces notes pour vous aider.".into()),
        (
            "key",
            "Ce qui touche à votre santé, à un handicap ou à la justice reste entre votre CIP et la personne qui l'a écrit.".into(),
        ),
        ("search", "Vous pouvez voir ce qui est écrit sur vous. Demandez-le à votre CIP.".into()),
        ("star", "Une erreur ? Vous pouvez demander de la corriger ou de l'effacer.".into()),
        (
            "clock",
            format!(
                "{} après la fin de votre parcours, votre nom et vos notes sont effacés.",
                years_text(f.years)
            ),
        ),
        ("alert", format!("Une question sur vos données ? Contact : {}.", contact_line(&f))),
    ];
    view! {
        <h1 class="page__title"><Icon name="key"/>"Vos données dans Jalon"</h1>
        <ul class="easy-read" data-testid="easy-read">
            {lines.into_iter().map(|(icon, text)| view! {
                <li class="easy-read__line"><Icon name=icon/><span>{text}</span></li>
            }).collect_view()}
        </ul>
        {if after_activation {
            view! { <A href="/" attr:class="button button--primary button--wide">"J'ai compris"</A> }.into_any()
        } else {
            view! { <A href="/" attr:class="button button--secondary button--wide">"Revenir à l'accueil"</A> }.into_any()
        }}
        <A href="/confidentialite?complet=1" attr:class="button button--secondary button--wide">"Lire la version complète"</A>
    }
}

fn full(f: NoticeFacts) -> impl IntoView {
    let structure = f
        .structure
        .clone()
        .unwrap_or_else(|| "La structure d'insertion qui vous accompagne".to_string());
    let years = years_text(f.years);
    let contact = contact_line(&f);
    view! {
        <h1 class="page__title"><Icon name="key"/>"Vos données personnelles dans Jalon"</h1>
        <h2>"Qui en est responsable"</h2>
        <p>{format!("{structure} tient ce carnet de suivi pour accompagner les personnes en parcours d'insertion. Pour toute question sur vos données : {contact}.")}</p>
        <h2>"Ce qui est enregistré"</h2>
        <ul class="prose-list">
            <li>"Votre identité (nom, prénom, téléphone), votre contrat, votre équipe et votre CIP."</li>
            <li>"Vos présences, absences et retards."</li>
            <li>"Les observations de l'équipe : atouts, freins, comportements, compétences, incidents, alertes."</li>
            <li>"Les évaluations des séances d'apprentissage, vos objectifs, vos bilans et attestations."</li>
            <li>"L'historique des corrections, et le journal de qui a fait quoi (dont chaque lecture d'une note sensible)."</li>
        </ul>
        <h2>"Pourquoi"</h2>
        <p>"Pour suivre votre parcours, préparer vos bilans, attester vos compétences et rendre compte aux financeurs, avec des chiffres qui ne vous nomment pas. C'est la mission d'accompagnement de la structure, prévue par son conventionnement d'insertion par l'activité économique."</p>
        <h2>"Qui voit quoi"</h2>
        <ul class="prose-list">
            <li>"L'encadrant·e de votre équipe voit ce qui concerne l'équipe ; votre CIP voit votre parcours ; la direction administre les comptes."</li>
            <li>"Une note sur la santé, un handicap ou la justice n'est lue que par la personne qui l'a écrite et votre CIP. Elle ne vous est jamais envoyée par erreur et n'est jamais donnée à un financeur."</li>
            <li>"Vous voyez sur votre téléphone vos présences, vos objectifs, vos réussites et ce que l'équipe a choisi de vous montrer."</li>
            <li>"Les données restent sur le serveur de la structure. Sur un téléphone, elles servent à travailler sans réseau et sont effacées à la déconnexion."</li>
        </ul>
        <h2>"Combien de temps"</h2>
        <p>{format!("Pendant votre parcours, puis {years} après le dernier contact. Ensuite, Jalon anonymise vos données de lui-même : votre nom et les textes vous concernant sont effacés ; il ne reste que des chiffres anonymes.")}</p>
        <h2>"Vos droits"</h2>
        <p>{format!("Vous pouvez demander à voir tout ce que Jalon contient sur vous, faire corriger une erreur, demander l'effacement ou la limitation de vos données, ou vous opposer à leur utilisation. Adressez-vous à {contact}. Si la réponse ne vous convient pas, vous pouvez saisir la CNIL (www.cnil.fr).")}</p>
        <A href="/confidentialite?facile=1" attr:class="button button--secondary button--wide">"Version facile à lire"</A>
    }
}
