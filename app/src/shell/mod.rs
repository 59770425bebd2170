//! The frame around every screen: the HTML document, the router, the top bar,
//! the bottom navigation, and the pages that belong to no domain (404, error).
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::audit::AuditPage;
use crate::auth::{AccountPage, SignInPage, provide_auth};
use crate::home::HomePage;
use crate::observations::{EditObservationPage, NewObservationPage, ObservationsPage};
use crate::people::{
    AccountsPage, ActivatePage, NewWorkerPage, TeamsPage, WorkerFilePage, WorkersPage,
};
use crate::sync::SyncBar;

pub mod dates;
pub mod icons;
mod layout;
mod pages;

pub use layout::{BottomNav, SignedIn, TopBar};
pub use pages::{ErrorPage, Field, FormStatus, Loaded, NotFound, OfflineShell, status_of};

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
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icon-192.png"/>
                <script type="module" src="/pwa.js" nonce=leptos::nonce::use_nonce().map(|n| n.to_string())></script>
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
    let user = provide_auth();
    let sync = crate::sync::provide_sync();
    // In the browser: sync for whoever is signed in; forget their data once
    // they sign out.
    Effect::new(move |_| {
        if let Some(Ok(Some(u))) = user.get() {
            #[cfg(feature = "hydrate")]
            crate::sync::client::browser::start(sync, u);
            #[cfg(not(feature = "hydrate"))]
            let _ = (u, sync);
        }
    });
    let sign_out = expect_context::<crate::auth::AuthActions>().sign_out;
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(crate::sync::client::browser::wipe(sync));
        }
    });

    view! {
        <Title formatter=|page: String| if page.is_empty() { "Jalon".to_string() } else { format!("{page} · Jalon") }/>
        <Router>
            <a class="skip-link" href="#contenu">"Aller au contenu"</a>
            <TopBar/>
            <SignedIn>
                <SyncBar/>
            </SignedIn>
            <main id="contenu" class="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("connexion") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("compte") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("activer") view=ActivatePage ssr=SsrMode::Async/>
                    <Route path=path!("salaries") view=WorkersPage ssr=SsrMode::Async/>
                    <Route path=path!("salaries/nouveau") view=NewWorkerPage ssr=SsrMode::Async/>
                    <Route path=path!("salaries/:id") view=WorkerFilePage ssr=SsrMode::Async/>
                    <Route path=path!("observations") view=ObservationsPage/>
                    <Route path=path!("observations/nouvelle") view=NewObservationPage/>
                    <Route path=path!("observations/:id") view=EditObservationPage/>
                    <Route path=path!("fil") view=crate::observations::FeedPage ssr=SsrMode::Async/>
                    <Route path=path!("pointage") view=crate::attendance::RollCallPage/>
                    <Route path=path!("mes-presences") view=crate::attendance::MyAttendancePage/>
                    <Route path=path!("presences") view=crate::attendance::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("seances") view=crate::sessions::SessionsPage/>
                    <Route path=path!("seances/nouvelle") view=crate::sessions::StartSessionPage/>
                    <Route path=path!("seances/plans") view=crate::sessions::PlansPage ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/nouveau") view=crate::sessions::PlanEditPage ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/:id") view=crate::sessions::PlanPage ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/:id/modifier") view=crate::sessions::PlanEditPage ssr=SsrMode::Async/>
                    <Route path=path!("seances/:id") view=crate::sessions::EvaluatePage/>
                    <Route path=path!("progression") view=crate::sessions::ProgressionPage/>
                    <Route path=path!("mes-competences") view=crate::sessions::MySkillsPage/>
                    <Route path=path!("objectifs") view=crate::objectives::ObjectivesPage/>
                    <Route path=path!("objectifs/nouveau") view=crate::objectives::NewObjectivePage/>
                    <Route path=path!("objectifs/:id") view=crate::objectives::ObjectivePage/>
                    <Route path=path!("objectifs/:id/modifier") view=crate::objectives::EditObjectivePage/>
                    <Route path=path!("mes-objectifs") view=crate::objectives::MyObjectivesPage/>
                    <Route path=path!("mes-reussites") view=crate::objectives::MySuccessesPage/>
                    <Route path=path!("referentiels") view=crate::skills::FrameworksPage ssr=SsrMode::Async/>
                    <Route path=path!("referentiels/:id") view=crate::skills::FrameworkPage ssr=SsrMode::Async/>
                    <Route path=path!("coquille") view=OfflineShell/>
                    <Route path=path!("admin/comptes") view=AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/equipes") view=TeamsPage ssr=SsrMode::Async/>
                    <Route path=path!("admin/journal") view=AuditPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <BottomNav/>
        </Router>
    }
}
