//! Pages of the frame itself: not found, and the error page.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::icons::Icon;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page introuvable"/>
        <section class="page page--narrow">
            <h1 class="page__title">
                <Icon name="search"/>
                "Page introuvable"
            </h1>
            <p>"Cette page n'existe pas ou n'est pas accessible avec votre compte."</p>
            <A href="/" attr:class="button button--primary button--wide">
                "Revenir à l'accueil"
            </A>
        </section>
    }
}

/// Shown when a screen cannot load what it needs; says what happened in plain
/// French and how to go on.
#[component]
pub fn ErrorPage(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <Title text="Problème"/>
        <section class="page page--narrow" role="alert">
            <h1 class="page__title">
                <Icon name="alert"/>
                "Un problème est survenu"
            </h1>
            <p>{message}</p>
            <p>"Vos saisies déjà enregistrées ne sont pas perdues."</p>
            <A href="/" attr:class="button button--primary button--wide">
                "Revenir à l'accueil"
            </A>
        </section>
    }
}
