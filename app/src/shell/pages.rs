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

/// The outcome of a form's last submission: `None` before any, `Ok` when
/// saved, `Err(message)` with the French reason otherwise.
pub fn status_of<S>(action: ServerAction<S>) -> Signal<Option<Result<(), String>>>
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Send + Sync + Clone + 'static,
    S::Output: Send + Sync + Clone + 'static,
{
    Signal::derive(move || {
        action
            .value()
            .get()
            .map(|result| result.map(|_| ()).map_err(|err| err.to_string()))
    })
}

/// Says under a form whether it was saved, or why not.
#[component]
pub fn FormStatus(
    status: Signal<Option<Result<(), String>>>,
    #[prop(into)] done: String,
) -> impl IntoView {
    move || {
        match status.get() {
        None => None,
        Some(Ok(())) => Some(
            view! { <p class="notice notice--ok" role="status"><Icon name="check"/>{done.clone()}</p> }
                .into_any(),
        ),
        Some(Err(message)) => Some(
            view! { <p class="notice notice--error" role="alert"><Icon name="alert"/>{message}</p> }
                .into_any(),
        ),
    }
    }
}
