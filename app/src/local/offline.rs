//! The screens this phone keeps for offline use. The service worker holds
//! the main piece of code from its install; the code of the other screens is
//! kept per role (the server writes the lists into `/sw.js`), so the page
//! tells the worker who is signed in and it fetches that role's pieces. It
//! remembers the role, so the next deployment's worker keeps the same ones,
//! and answers whether every piece is here: the sync bar says so
//! ([`Screens`] in the sync handle).
use jalon_core::roles::Role;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::local::sync::{Screens, SyncHandle};

/// Asks the service worker to keep the screens `role` opens, and follows its
/// answer in `handle.screens`. Without a service worker (private browsing,
/// old browser) nothing is kept and the state stays `Unknown`.
pub fn keep_screens_for(handle: SyncHandle, role: Role) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let Ok(ready) = container.ready() else {
        return;
    };
    listen(&container, handle);
    handle.screens.set(Screens::Keeping);
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else {
            return;
        };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        let Some(worker) = registration.active() else {
            return;
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"keep".into(), &role.as_str().into());
        let _ = worker.post_message(&message);
    });
}

thread_local! {
    static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Reads the worker's `{ offline: "ready" | "incomplete" }` answers (once
/// per page, however many times the role is told).
fn listen(container: &web_sys::ServiceWorkerContainer, handle: SyncHandle) {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let answer = js_sys::Reflect::get(&event.data(), &"offline".into())
                .ok()
                .and_then(|v| v.as_string());
            match answer.as_deref() {
                Some("ready") => handle.screens.set(Screens::Kept),
                Some("incomplete") => handle.screens.set(Screens::Incomplete),
                _ => {}
            }
        });
    let _ =
        container.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
}
