//! A record's place in the sync, and times as the phone shows them.
use jalon_core::sync::engine::RecordState;
use leptos::prelude::*;

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
pub fn state_chip(state: &RecordState, feminine: bool) -> impl IntoView + use<> {
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
