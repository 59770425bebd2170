use leptos::prelude::*;

#[component]
pub fn ObservationsPage() -> impl IntoView {
    view! { <p>"…"</p> }
}

#[component]
pub fn NewObservationPage() -> impl IntoView {
    view! { <p>"…"</p> }
}
