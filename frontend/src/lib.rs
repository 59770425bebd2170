//! The browser entry point. A page rendered by the server is hydrated; the
//! offline shell the service worker serves when there is no network (marked
//! `data-offline-shell`) is replaced by the page the address asks for,
//! rendered here from the phone's data.
//!
//! Hydration waits for the code of the screen being shown: most screens are
//! pieces of their own (`cargo leptos build --split`, see
//! `app/src/frame/lazy.rs`), fetched beside this one.
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let offline_shell = document
        .query_selector("[data-offline-shell]")
        .ok()
        .flatten()
        .is_some();
    if offline_shell {
        body.set_inner_html("");
        leptos::mount::mount_to_body(app::App);
        let _ = body.set_attribute("data-rendered", "offline");
        // Lets tests (and stylesheets) tell a live page from server-rendered HTML.
        let _ = body.set_attribute("data-hydrated", "true");
    } else {
        wasm_bindgen_futures::spawn_local(async move {
            let app = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
            app.forget();
            let _ = body.set_attribute("data-hydrated", "true");
        });
    }
}
