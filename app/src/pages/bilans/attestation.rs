//! One attestation of skills: the document as printed (the same sections
//! as its PDF) with its verification code and QR code, its download, and
//! its withdrawal.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::bilan::document_view;
use super::{WithdrawAttestation, get_attestation};
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, Loaded, status_of};
use crate::wire::bilans::AttestationView;
use crate::wire::documents::attestation;

#[component]
pub fn AttestationPage() -> impl IntoView {
    let params = use_params_map();
    let withdrawn = ServerAction::<WithdrawAttestation>::new();
    let data = Resource::new(
        move || {
            (
                params.read().get("id").unwrap_or_default(),
                withdrawn.version().get(),
            )
        },
        |(id, _)| get_attestation(id),
    );
    view! {
        <Title text="Attestation de compétences"/>
        <section class="page page--narrow">
            <Loaded resource=data render=move |a| attestation_screen(a, withdrawn)/>
        </section>
    }
}

fn attestation_screen(
    a: AttestationView,
    withdrawn: ServerAction<WithdrawAttestation>,
) -> impl IntoView {
    let back = format!("/salaries/{}#bilans", a.worker_id);
    let pdf = format!("/api/attestations/document.pdf?id={}", a.id);
    let can_withdraw = a.can_write && a.withdrawn.is_none();
    let id = a.id.clone();
    view! {
        <p class="no-print"><a href=back>"← Retour au parcours"</a></p>
        {a.withdrawn.as_ref().map(|_| view! { <p class="badge badge--replaced" data-testid="attestation-status">"Retirée"</p> })}
        {document_view(attestation(&a))}
        <div class="actions no-print">
            <a class="button button--primary" href=pdf download><Icon name="file"/>"Télécharger le PDF"</a>
            <crate::widgets::PrintButton class="button button--secondary"/>
        </div>
        {can_withdraw.then(|| view! {
            <ActionForm action=withdrawn attr:class="card form no-print" attr:id="withdraw-form">
                <h2 class="card__title">"Retirer cette attestation"</h2>
                <p class="hint">"La page de vérification dira qu'elle a été retirée, et depuis quand."</p>
                <input type="hidden" name="id" value=id/>
                <label class="field__label" for="withdraw-reason">"Motif"</label>
                <input class="field__input" id="withdraw-reason" name="reason" maxlength="500" required/>
                <FormStatus status=status_of(withdrawn) done="Attestation retirée."/>
                <button type="submit" class="button button--secondary">"Retirer"</button>
            </ActionForm>
        })}
    }
}
