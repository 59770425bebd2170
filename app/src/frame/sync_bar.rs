//! The sync indicator, always visible under the top bar: offline, synced at
//! HH:MM, N waiting, or the error in plain words; with the "Synchroniser"
//! button and the warnings that need the user to act.
use leptos::prelude::*;

use crate::local::sync::{Screens, Status, use_sync};
use crate::widgets::sync_state::{hours_since, local_time};

use jalon_core::text::plural;

#[component]
pub fn SyncBar() -> impl IntoView {
    let sync = use_sync();
    // Until this bar is live in the browser it shows exactly what the server
    // rendered: the sync may already be running while the page hydrates.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let waiting_text = move || {
        plural(
            sync.waiting.get(),
            "enregistrement en attente",
            "enregistrements en attente",
        )
    };
    let state = move || {
        if !live.get() {
            return ("idle", "Données du téléphone".to_string());
        }
        let waiting = sync.waiting.get();
        match (sync.online.get(), sync.status.get()) {
            (false, _) if waiting > 0 => ("offline", format!("Hors ligne · {waiting} en attente")),
            (false, _) => ("offline", "Hors ligne".to_string()),
            (true, Status::Syncing) => ("busy", "Synchronisation…".to_string()),
            (true, Status::Failed(message)) => ("error", format!("Erreur : {message}")),
            (true, _) if waiting > 0 => ("waiting", waiting_text()),
            (true, Status::Synced) => {
                let synced = sync
                    .last_sync
                    .get()
                    .map(|at| format!("Synchronisé {}", at_time(&local_time(&at))))
                    .unwrap_or_else(|| "Synchronisé".into());
                // Until every screen's code is kept, going offline now would
                // leave some of them out: say it is still being prepared
                // (a few seconds, in words short enough for one line).
                match sync.screens.get() {
                    Screens::Keeping => ("ok", "Préparation hors ligne…".to_string()),
                    _ => ("ok", synced),
                }
            }
            (true, Status::Idle) => ("idle", "Données du téléphone".to_string()),
        }
    };
    let stale = move || {
        live.get()
            && sync
                .oldest_waiting
                .get()
                .and_then(|at| hours_since(&at))
                .is_some_and(|h| h > 72.0)
    };
    // For tests and stylesheets: whether this role's screens are all kept.
    let offline_ready = move || match sync.screens.get() {
        Screens::Unknown => "unknown",
        Screens::Keeping => "keeping",
        Screens::Kept => "ready",
        Screens::Incomplete => "incomplete",
    };
    let has_refused = move || live.get() && sync.refused.get() > 0;
    view! {
        <div
            class="syncbar"
            data-sync=move || state().0
            data-offline=offline_ready
            role="status"
            aria-live="polite"
        >
            <span class="syncbar__dot" aria-hidden="true"></span>
            <span class="syncbar__text">{move || state().1}</span>
            <button type="button" class="syncbar__button" on:click=move |_| sync.sync_now()>
                "Synchroniser"
            </button>
        </div>
        // Shown and hidden with `hidden`, never added or removed: the sync can
        // change these signals while the page is still being hydrated.
        <p class="notice notice--warn" role="alert" hidden=move || !stale()>
            "Des enregistrements attendent depuis plus de 3 jours sur ce téléphone. "
            "Trouvez du réseau (wifi du bureau, 4G) et appuyez sur « Synchroniser »."
        </p>
        <p class="notice notice--warn" hidden=move || !has_refused()>
            {move || plural(sync.refused.get(), "enregistrement refusé", "enregistrements refusés")}
            " par le serveur : ouvrez "
            <a href="/observations">"Observations"</a>
            " pour décider."
        </p>
        <p class="notice notice--error" role="alert" hidden=move || !live.get() || sync.foreign_owner.get().is_none()>
            "Ce téléphone garde des enregistrements non envoyés de "
            {move || sync.foreign_owner.get().unwrap_or_default()}
            ". Cette personne doit se reconnecter ici pour les envoyer ; en attendant, rien n'est synchronisé."
        </p>
        <p class="notice notice--error" role="alert" hidden=move || !live.get() || sync.available.get()>
            "Ce navigateur ne permet pas d'enregistrer sur le téléphone (navigation privée ?). "
            "Ouvrez Jalon dans une fenêtre normale pour travailler sans réseau."
        </p>
    }
}

fn at_time(time: &str) -> String {
    if time.starts_with("le ") {
        time.to_string()
    } else {
        format!("à {time}")
    }
}
