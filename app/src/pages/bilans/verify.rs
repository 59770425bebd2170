//! The public page an attestation's QR code opens (`/verifier/CODE`): no
//! sign-in; it says whether the attestation is genuine, withdrawn or
//! unknown, and shows exactly what it states, nothing else.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::verify_attestation;
use crate::widgets::Loaded;
use crate::widgets::icons::Icon;
use crate::wire::bilans::{AttestationContent, Verification};
use jalon_core::dates::french_date;

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        verify_attestation,
    );
    view! {
        <Title text="Vérifier une attestation"/>
        <Meta name="robots" content="noindex"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="check"/>"Vérifier une attestation"</h1>
            <Loaded resource=data render=answer/>
        </section>
    }
}

fn answer(v: Verification) -> impl IntoView {
    match v {
        Verification::Genuine(c) => view! {
            <p class="notice notice--ok" role="status" data-testid="verdict"><Icon name="check"/>
                "Attestation authentique : elle a été délivrée par "{c.structure.clone()}" et n'a pas été retirée."</p>
            {statement(c)}
        }
        .into_any(),
        Verification::Withdrawn { content, on } => view! {
            <p class="notice notice--error" role="status" data-testid="verdict"><Icon name="alert"/>
                {format!("Attestation retirée le {} par la structure qui l'avait délivrée : elle n'est plus valable.", french_date(&on))}</p>
            {statement(content)}
        }
        .into_any(),
        Verification::Unknown => view! {
            <p class="notice notice--error" role="status" data-testid="verdict"><Icon name="alert"/>
                "Aucune attestation ne porte ce code. Vérifiez les lettres du code, ou demandez à la structure qui l'a délivrée."</p>
        }
        .into_any(),
    }
}

/// Exactly what the attestation states.
fn statement(c: AttestationContent) -> impl IntoView {
    view! {
        <section class="card">
            <h2 class="card__title">"Ce qu'elle atteste"</h2>
            <dl class="facts">
                <dt>"Personne"</dt><dd data-testid="verified-name">{c.worker_name}</dd>
                <dt>"Structure"</dt><dd>{c.structure}</dd>
                <dt>"Métier"</dt><dd>{c.trade}</dd>
                <dt>"Période"</dt><dd>{format!("du {} au {}", french_date(&c.from), french_date(&c.to))}</dd>
                <dt>"Signée par"</dt><dd>{format!("{} (encadrant technique) et {} (responsable), le {}", c.supervisor, c.head, french_date(&c.signed_on))}</dd>
            </dl>
            {c.frameworks.into_iter().map(|f| view! {
                <h3>{f.framework}</h3>
                <ul class="list">
                    {f.skills.into_iter().map(|s| view! {
                        <li class="list__item"><span class="list__main">{s.skill}</span>
                        <span class="list__meta">{format!("acquise le {} · {}", french_date(&s.on), s.situation)}</span></li>
                    }).collect_view()}
                </ul>
            }).collect_view()}
            {(!c.behaviours.is_empty()).then(|| view! {
                <h3>"Comportements professionnels"</h3>
                <ul class="list">
                    {c.behaviours.into_iter().map(|s| view! {
                        <li class="list__item"><span class="list__main">{s.skill}</span>
                        <span class="list__meta">{format!("acquis le {} · {}", french_date(&s.on), s.situation)}</span></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
