//! The widget kit every screen uses: form fields and their status, a loader
//! that shows the right page for each failure, icons, sync states; and the
//! pages of no domain (not found, error, the offline shell).
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

pub mod icons;
pub mod split;
pub mod sync_state;

use icons::Icon;

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

/// The "Du" and "Au" days of a period form sent by GET (`du`, `au`, as
/// `YYYY-MM-DD`), side by side.
#[component]
pub fn PeriodFields(from: String, to: String) -> impl IntoView {
    view! {
        <div class="filters__row filters__row--dates">
            <label class="field">
                <span class="field__label">"Du"</span>
                <input class="field__input" type="date" name="du" value=from/>
            </label>
            <label class="field">
                <span class="field__label">"Au"</span>
                <input class="field__input" type="date" name="au" value=to/>
            </label>
        </div>
    }
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

/// Shows what a resource loads: a loading line meanwhile, the 404 page when the
/// record is missing (or not for this user), the error page on other failures.
#[component]
pub fn Loaded<T, F, V>(
    resource: Resource<Result<T, crate::error::AppError>>,
    render: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => render(value).into_any(),
                        Err(crate::error::AppError::NotFound) => view! { <NotFound/> }.into_any(),
                        Err(crate::error::AppError::Network) => view! { <NeedsNetwork/> }.into_any(),
                        Err(err) => view! { <ErrorPage message=err.to_string()/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// A labelled form field: the label above, the control (input, select…) below.
/// "Imprimer": the browser's print dialog; print styles leave the
/// navigation and the buttons off paper.
#[component]
pub fn PrintButton(#[prop(into)] class: String) -> impl IntoView {
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! { <button type="button" class=class on:click=print>"Imprimer"</button> }
}

#[component]
pub fn Field(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            {children()}
        </div>
    }
}

/// The page the service worker keeps to open Jalon with no network: a
/// document with the scripts and styles and no content. The browser side
/// sees the marker and renders the asked-for page itself.
#[component]
pub fn OfflineShell() -> impl IntoView {
    view! { <div data-offline-shell="true" class="page"><p class="muted">"Chargement…"</p></div> }
}

/// Shown in place of a screen whose code is not on this phone yet and cannot
/// be fetched (no network before it was ever opened or kept): says so, and
/// offers what works. The rest of the app, the sync bar included, goes on.
#[component]
pub fn ChunkMissing() -> impl IntoView {
    let retry = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <Title text="Écran pas encore disponible"/>
        <section class="page page--narrow" data-chunk-missing="true">
            <h1 class="page__title">
                <Icon name="alert"/>
                "Écran pas encore sur ce téléphone"
            </h1>
            <p>
                "Cet écran n'a pas encore été chargé sur ce téléphone et il n'y a pas de réseau. "
                "Il s'ouvrira dès que le réseau reviendra."
            </p>
            <p>"Ce que vous avez saisi reste sur le téléphone et sera envoyé au retour du réseau."</p>
            <button type="button" class="button button--primary button--wide" on:click=retry>
                "Réessayer"
            </button>
            <A href="/" attr:class="button button--secondary button--wide">"Revenir à l'accueil"</A>
        </section>
    }
}

/// What a screen that needs the server shows with no network: what still
/// works on the phone, one tap away.
#[component]
pub fn NeedsNetwork() -> impl IntoView {
    let user = crate::auth::use_user();
    let role = move || user.get().and_then(|r| r.ok()).flatten().map(|u| u.role);
    let staff = move || role().is_some_and(|r| r != jalon_core::roles::Role::Worker);
    let supervisor = move || role() == Some(jalon_core::roles::Role::Supervisor);
    let worker = move || role() == Some(jalon_core::roles::Role::Worker);
    view! {
        <div class="notice notice--warn" role="status">
            <p><strong>"Pas de réseau."</strong>" Cette page a besoin du serveur ; elle s'affichera quand le réseau reviendra."</p>
        </div>
        <div class="button-row offline-links" hidden=move || !staff()>
            <a class="button button--primary button--wide" href="/pointage" hidden=move || !supervisor()>"Pointage"</a>
            <a class="button button--primary button--wide" href="/observations/nouvelle">"Nouvelle observation"</a>
            <a class="button button--secondary button--wide" href="/observations">"Voir les observations"</a>
            <a class="button button--secondary button--wide" href="/objectifs">"Objectifs"</a>
        </div>
        <div class="button-row offline-links" hidden=move || !worker()>
            <a class="button button--primary button--wide" href="/mes-objectifs">"Mes objectifs"</a>
            <a class="button button--secondary button--wide" href="/mes-reussites">"Mes réussites"</a>
            <a class="button button--secondary button--wide" href="/mes-presences">"Mes présences"</a>
            <a class="button button--secondary button--wide" href="/mes-bilans">"Mes bilans"</a>
        </div>
    }
}
