//! The sync indicator, always visible under the top bar: offline, synced at
//! HH:MM, N waiting, or the error in plain words; with the "Synchroniser"
//! button and the warnings that need the user to act.
use leptos::prelude::*;

use super::client::{Status, use_sync};

/// Hours since an RFC 3339 time, in the browser.
pub fn hours_since(iso: &str) -> Option<f64> {
    #[cfg(feature = "hydrate")]
    {
        let then = js_sys::Date::parse(iso);
        (!then.is_nan()).then(|| (js_sys::Date::now() - then) / 3_600_000.0)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = iso;
        None
    }
}

/// Where a record is, in words (feminine for an observation).
pub fn state_chip(state: &super::engine::RecordState, feminine: bool) -> impl IntoView + use<> {
    use super::engine::RecordState;
    let (class, label) = match (state, feminine) {
        (RecordState::Local, _) => ("chip chip--local", "Sur ce téléphone uniquement"),
        (RecordState::Sent, true) => ("chip chip--ok", "Envoyée"),
        (RecordState::Sent, false) => ("chip chip--ok", "Envoyé"),
        (RecordState::Rejected { .. }, true) => ("chip chip--error", "Refusée"),
        (RecordState::Rejected { .. }, false) => ("chip chip--error", "Refusé"),
        (RecordState::Conflict, _) => ("chip chip--warn", "Deux versions"),
    };
    view! { <span class=class data-state=label>{label}</span> }
}

/// "HH:MM" (or "le JJ/MM à HH:MM" if not today), in the phone's time zone.
pub fn local_time(iso: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&iso.into());
        if date.get_time().is_nan() {
            return String::new();
        }
        let today = js_sys::Date::new_0();
        let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
        if date.to_date_string() == today.to_date_string() {
            time
        } else {
            format!(
                "le {:02}/{:02} à {time}",
                date.get_date(),
                date.get_month() + 1
            )
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        iso.get(11..16).unwrap_or_default().to_string()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

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
            (true, Status::Synced) => (
                "ok",
                sync.last_sync
                    .get()
                    .map(|at| format!("Synchronisé {}", at_time(&local_time(&at))))
                    .unwrap_or_else(|| "Synchronisé".into()),
            ),
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
    let has_refused = move || live.get() && sync.refused.get() > 0;
    view! {
        <div class="syncbar" data-sync=move || state().0 role="status" aria-live="polite">
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
