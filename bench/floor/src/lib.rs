//! The floor: the smallest Leptos 0.8 page that is rendered on the server and
//! hydrated in the browser (router, one screen, six buttons, one `Show`), built
//! like Jalon (release, opt-level "z", LTO). `bench/floor.sh` measures how soon
//! it answers a tap at 4x CPU, as `end2end/perf/interactive.bench.ts` does for
//! Jalon's field screens: no hydrated screen can answer sooner than this.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet};
use leptos_router::{components::{Route, Router, Routes}, path};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="fr"><head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <AutoReload options=options.clone()/>
            <HydrationScripts options/>
            <MetaTags/>
        </head><body><App/></body></html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/floor.css"/>
        <Router><main><Routes fallback=|| "introuvable"><Route path=path!("") view=Kinds/></Routes></main></Router>
    }
}

#[component]
fn Kinds() -> impl IntoView {
    let chosen = RwSignal::new(None::<&'static str>);
    let kinds = ["Atout", "Frein", "Compétence", "Comportement", "Incident", "Alerte"];
    view! {
        <h1>"Observation"</h1>
        <div class="kinds">
        {kinds.into_iter().map(|k| view! {
            <button id=format!("k-{k}") aria-pressed=move || (chosen.get() == Some(k)).to_string() on:click=move |_| chosen.set(Some(k))>{k}</button>
        }).collect_view()}
        </div>
        <Show when=move || chosen.get() == Some("Frein")><p class="cats">"Catégories"</p></Show>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    if let Some(b) = document().body() { let _ = b.set_attribute("data-hydrated", "true"); }
}
