//! « Mes appareils »: the phones and browsers where a person is signed in,
//! what waits on each, and signing one out from afar (a lost, stolen or
//! lent phone). The admin opens anyone's list from the accounts screen
//! (`?personne=`). The work is done by `backend/devices.rs`.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{SignOutDevice, devices};
use crate::widgets::icons::Icon;
use crate::widgets::{FormStatus, Loaded, status_of};
use crate::wire::privacy::{DeviceLine, DevicesView};

#[component]
pub fn DevicesPage() -> impl IntoView {
    let query = use_query_map();
    // Where a phone signed out from afar lands once it has emptied itself:
    // `retire` is how many unsent records it had to drop.
    if let Some(lost) = query.with_untracked(|q| q.get("retire")) {
        return removed(lost.parse().unwrap_or(0)).into_any();
    }
    let sign_out = ServerAction::<SignOutDevice>::new();
    let list = Resource::new(
        move || (query.with(|q| q.get("personne")), sign_out.version().get()),
        |(person, _)| devices(person),
    );
    view! {
        <Title text="Appareils connectés"/>
        <section class="page">
            <Loaded resource=list render=move |v| devices_view(v, sign_out)/>
        </section>
    }
    .into_any()
}

fn removed(lost: u32) -> impl IntoView {
    let lost = match lost {
        0 => String::new(),
        1 => "1 enregistrement qui n'avait pas été envoyé a été effacé.".into(),
        n => format!("{n} enregistrements qui n'avaient pas été envoyés ont été effacés."),
    };
    view! {
        <Title text="Appareil déconnecté"/>
        <section class="page page--narrow">
            <h1 class="page__title"><Icon name="key"/>"Appareil déconnecté"</h1>
            <p class="notice" role="status" data-testid="removed">
                "Cet appareil a été déconnecté de Jalon à distance et ses données ont été effacées. "
                {lost}
            </p>
            <a class="button button--primary button--wide" href="/connexion">"Se connecter"</a>
        </section>
    }
}

fn devices_view(v: DevicesView, sign_out: ServerAction<SignOutDevice>) -> impl IntoView {
    let (title, intro) = if v.own {
        (
            "Mes appareils".to_string(),
            "Les téléphones et navigateurs où vous êtes connecté·e à Jalon.".to_string(),
        )
    } else {
        (
            format!("Appareils de {}", v.person),
            format!(
                "Les téléphones et navigateurs où {} est connecté·e à Jalon.",
                v.person
            ),
        )
    };
    let empty = v.devices.is_empty();
    view! {
        <h1 class="page__title"><Icon name="key"/>{title}</h1>
        <p>{intro}</p>
        <p class="muted">
            "Un téléphone perdu, volé ou prêté ? Déconnectez-le : sa session se termine tout de suite "
            "et il efface ses données dès qu'il retrouve le réseau. Un appareil inutilisé 30 jours "
            "doit se reconnecter."
        </p>
        <FormStatus status=status_of(sign_out) done="Appareil déconnecté."/>
        <Show when=move || empty>
            <p class="card">"Aucun appareil n'a encore synchronisé."</p>
        </Show>
        <ul class="list" data-testid="devices">
            {v.devices.into_iter().map(|d| device_card(d, sign_out)).collect_view()}
        </ul>
    }
}

fn device_card(d: DeviceLine, sign_out: ServerAction<SignOutDevice>) -> impl IntoView {
    let waiting = match d.pending {
        0 => "Rien en attente d'envoi".to_string(),
        1 => "1 enregistrement en attente d'envoi".to_string(),
        n => format!("{n} enregistrements en attente d'envoi"),
    };
    let status = d.revoked.as_ref().map(|r| {
        let wiped = match &r.wiped_at {
            Some(at) => format!("données effacées le {at}"),
            None => "effacement à son prochain contact".to_string(),
        };
        format!("Déconnecté le {} par {} ; {wiped}.", r.at, r.by)
    });
    let can_sign_out = d.revoked.is_none() && !d.current;
    let pending = d.pending;
    let id = d.id.clone();
    view! {
        <li class="card" data-testid="device">
            <h2 class="card__title">
                {d.browser.clone()}
                {d.current.then(|| view! { <span class="badge">" Cet appareil"</span> })}
            </h2>
            <p>{format!("Première synchronisation : {}", d.first_seen)}</p>
            <p>{format!("Dernière synchronisation : {}", d.last_seen)}</p>
            <p>{waiting}</p>
            {d.idle.then(|| view! { <p class="muted">"Inutilisé depuis plus de 30 jours : il devra se reconnecter."</p> })}
            {status.map(|s| view! { <p class="notice" data-testid="revoked">{s}</p> })}
            {can_sign_out.then(|| view! {
                <details class="details">
                    <summary class="button button--secondary button--wide">"Déconnecter cet appareil"</summary>
                    <ActionForm action=sign_out attr:class="form">
                        <input type="hidden" name="device" value=id.clone()/>
                        <fieldset class="choices">
                            <legend>"Ce qu'il contient encore"</legend>
                            <label class="check">
                                <input type="radio" name="sends" value="true" required/>
                                " Envoyer d'abord ce qu'il contient (téléphone rendu ou changé)"
                            </label>
                            <label class="check">
                                <input type="radio" name="sends" value="false" required/>
                                {if pending > 0 {
                                    format!(" Tout effacer sans envoyer (téléphone perdu ou volé) : {pending} enregistrement(s) en attente seront perdus")
                                } else {
                                    " Tout effacer sans envoyer (téléphone perdu ou volé)".to_string()
                                }}
                            </label>
                        </fieldset>
                        <button type="submit" class="button button--danger button--wide">"Confirmer la déconnexion"</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}
