//! « Mes données », the worker's own page: ask for a copy of everything
//! Jalon holds about them, or for the correction of something inexact; see
//! what was asked and how it was answered. Plain words, one thing per card.
use jalon_core::dates::french_date;
use jalon_core::privacy::RequestKind;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{AskAboutData, my_requests};
use crate::widgets::icons::Icon;
use crate::widgets::{Field, FormStatus, Loaded, status_of};
use crate::wire::privacy::RequestLine;

#[component]
pub fn MyDataPage() -> impl IntoView {
    let copy = ServerAction::<AskAboutData>::new();
    let fix = ServerAction::<AskAboutData>::new();
    let list = Resource::new(
        move || (copy.version().get(), fix.version().get()),
        |_| my_requests(),
    );
    view! {
        <Title text="Mes données"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="key"/>"Mes données"</h1>
            <p>
                "Vous pouvez savoir ce que Jalon garde sur vous, et faire corriger ce qui est faux. "
                <a href="/confidentialite?facile=1">"Lire ce que Jalon garde et pourquoi"</a>
            </p>
            <ActionForm action=copy attr:class="card form">
                <h2 class="card__title">"Recevoir une copie"</h2>
                <p>"Votre conseillère ou votre conseiller vous remet tout ce que Jalon garde sur vous, dans un délai d'un mois au plus."</p>
                <input type="hidden" name="kind" value=RequestKind::Access.code()/>
                <input type="hidden" name="body" value=""/>
                <FormStatus status=status_of(copy) done="Demande envoyée."/>
                <button type="submit" class="button button--primary button--wide">"Demander une copie"</button>
            </ActionForm>
            <ActionForm action=fix attr:class="card form">
                <h2 class="card__title">"Faire corriger"</h2>
                <input type="hidden" name="kind" value=RequestKind::Correction.code()/>
                <Field id="fix-body" label="Qu'est-ce qui est faux ?">
                    <textarea class="field__input" id="fix-body" name="body" rows="4" maxlength="2000" required></textarea>
                </Field>
                <FormStatus status=status_of(fix) done="Demande envoyée."/>
                <button type="submit" class="button button--primary button--wide">"Envoyer la demande"</button>
            </ActionForm>
            <h2>"Mes demandes"</h2>
            <Loaded resource=list render=move |lines| view! {
                {lines.is_empty().then(|| view! { <p class="empty">"Aucune demande pour l'instant."</p> })}
                <ul class="list" data-testid="my-requests">
                    {lines.into_iter().map(request_card).collect_view()}
                </ul>
            }/>
        </section>
    }
}

fn request_card(r: RequestLine) -> impl IntoView {
    let what = match r.kind {
        RequestKind::Access => "Copie de mes données".to_string(),
        RequestKind::Correction => format!("Correction : « {} »", r.body),
    };
    let state = match &r.answer {
        Some(a) => format!("Réponse du {} ({}) : {}", french_date(&a.on), a.by, a.text),
        None => "En attente de réponse.".to_string(),
    };
    view! {
        <li class="card">
            <p><strong>{what}</strong></p>
            <p class="muted">{format!("Envoyée le {}", french_date(&r.asked_on))}</p>
            <p>{state}</p>
        </li>
    }
}
