//! The frame around every screen: the HTML document, the router, the top bar,
//! the bottom navigation, and the pages that belong to no domain (404, error).
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::audit::AuditPage;
use crate::auth::{AccountPage, SignInPage, provide_auth};
use crate::home::HomePage;
use crate::people::{
    AccountsPage, ActivatePage, NewWorkerPage, TeamsPage, WorkerFilePage, WorkersPage,
};

pub mod icons;
mod layout;
mod pages;

pub use layout::{BottomNav, TopBar};
pub use pages::{ErrorPage, Field, FormStatus, Loaded, NotFound, status_of};

/// Every page is rendered whole on the server (`SsrMode::Async`): it waits for
/// its data, so a page is complete and readable before — or without — the wasm.
///
/// The HTML document the server sends; the browser hydrates `App` inside it.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#0b5d5b"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/icon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="jalon-style"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_auth();

    view! {
        <Title formatter=|page: String| if page.is_empty() { "Jalon".to_string() } else { format!("{page} · Jalon") }/>
        <Router>
            <a class="skip-link" href="#contenu">"Aller au contenu"</a>
            <TopBar/>
            <main id="contenu" class="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("connexion") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("compte") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("activer") view=ActivatePage ssr=SsrMode::Async/>
                    <Route path=path!("salaries") view=WorkersPage ssr=SsrMode::Async/>
                    <Route path=path!("salaries/nouveau") view=NewWorkerPage ssr=SsrMode::Async/>
                    <Route path=path!("salaries/:id") view=WorkerFilePage ssr=SsrMode::Async/>
                    <Route path=path!("admin/comptes") view=AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/equipes") view=TeamsPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/journal") view=AuditPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <BottomNav/>
        </Router>
    }
}
