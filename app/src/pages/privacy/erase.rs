//! On a worker's file, for the admin: erase the person's data at once, as
//! the retention job would, with the reason. Phones lose it at their next
//! sync; the file is gone afterwards, so the screen returns to the list.
use jalon_core::privacy::ErasureReason;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::ErasePerson;
use crate::widgets::{Field, FormStatus, status_of};

#[component]
pub fn ErasePanel(worker_id: String, name: String) -> impl IntoView {
    let erase = ServerAction::<ErasePerson>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = erase.value().get() {
            navigate("/salaries", Default::default());
        }
    });
    let confirm_id = format!("erase-confirm-{worker_id}");
    let confirm_for = confirm_id.clone();
    view! {
        <details class="card details" data-testid="erase">
            <summary>"Effacer les données de cette personne"</summary>
            <ActionForm action=erase attr:class="form">
                <p>
                    "Le nom est remplacé, les observations, objectifs, bilans et attestations sont "
                    "supprimés avec leur historique ; les présences et évaluations restent sans texte "
                    "pour les chiffres de la structure. Les téléphones les effacent à leur prochaine "
                    "synchronisation. C'est définitif."
                </p>
                <input type="hidden" name="worker_id" value=worker_id/>
                <Field id="erase-reason" label="Motif">
                    <select class="field__input" id="erase-reason" name="reason" required>
                        <option value="">"Choisir…"</option>
                        {ErasureReason::ALL.into_iter().map(|r| view! {
                            <option value=r.code()>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <label class="check" for=confirm_for>
                    <input type="checkbox" id=confirm_id required/>
                    {format!(" J'efface définitivement les données de {name}")}
                </label>
                <FormStatus status=status_of(erase) done="Données effacées."/>
                <button type="submit" class="button button--danger button--wide">"Effacer définitivement"</button>
            </ActionForm>
        </details>
    }
}

/// On a worker's file, for the admin and the referent CIP: everything Jalon
/// holds about the person, to hand over (right of access), as a document in
/// plain French and as a JSON file. Each download is in the audit log.
#[component]
pub fn AccessPanel(worker_id: String) -> impl IntoView {
    view! {
        <section class="card" data-testid="access">
            <h2 class="card__title">"Droit d'accès de la personne"</h2>
            <p>"Tout ce que Jalon contient sur cette personne, à lui remettre si elle le demande : dossier, présences, observations, évaluations, objectifs, bilans, corrections, et qui a lu ses notes sensibles."</p>
            <a class="button button--secondary button--wide" href=format!("/api/privacy/access.pdf?salarie={worker_id}") download>
                "Document à remettre (PDF)"
            </a>
            <a class="button button--secondary button--wide" href=format!("/api/privacy/access.json?salarie={worker_id}") download>
                "Fichier de données (JSON)"
            </a>
        </section>
    }
}
