//! The top of the house: the HTML document, the app with its frame, and the
//! router, the one place that names every page.
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::auth::provide_auth;
use crate::frame::{BottomNav, SignedIn, SyncBar, TopBar};
use crate::pages::attendance::{MyAttendancePage, ReportPage, RollCallPage};
use crate::pages::audit::AuditPage;
use crate::pages::auth::{AccountPage, SignInPage};
use crate::pages::home::HomePage;
use crate::pages::objectives::{
    EditObjectivePage, MyObjectivesPage, MySuccessesPage, NewObjectivePage, ObjectivePage,
    ObjectivesPage,
};
use crate::pages::observations::{
    EditObservationPage, FeedPage, NewObservationPage, ObservationsPage,
};
use crate::pages::people::{
    AccountsPage, ActivatePage, NewWorkerPage, TeamsPage, WorkerFilePage, WorkersPage,
};
use crate::pages::sessions::{
    EvaluatePage, MySkillsPage, PlanEditPage, PlanPage, PlansPage, ProgressionPage, SessionsPage,
    StartSessionPage,
};
use crate::pages::skills::{FrameworkPage, FrameworksPage};
use crate::widgets::{NotFound, OfflineShell};

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
    let sync = crate::local::sync::provide_sync();
    // In the browser: sync for whoever is signed in; forget their data once
    // they sign out.
    Effect::new(move |_| {
        if let Some(Ok(Some(u))) = user.get() {
            #[cfg(feature = "hydrate")]
            crate::local::sync::browser::start(sync, u);
            #[cfg(not(feature = "hydrate"))]
            let _ = (u, sync);
        }
    });
    let sign_out = expect_context::<crate::auth::AuthActions>().sign_out;
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(crate::local::sync::browser::wipe(sync));
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
                    <Route path=path!("fil") view=FeedPage ssr=SsrMode::Async/>
                    <Route path=path!("pointage") view=RollCallPage/>
                    <Route path=path!("mes-presences") view=MyAttendancePage/>
                    <Route path=path!("presences") view=ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("seances") view=SessionsPage/>
                    <Route path=path!("seances/nouvelle") view=StartSessionPage/>
                    <Route path=path!("seances/plans") view=PlansPage ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/nouveau") view=PlanEditPage ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/:id") view=PlanPage ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/:id/modifier") view=PlanEditPage ssr=SsrMode::Async/>
                    <Route path=path!("seances/:id") view=EvaluatePage/>
                    <Route path=path!("progression") view=ProgressionPage/>
                    <Route path=path!("mes-competences") view=MySkillsPage/>
                    <Route path=path!("objectifs") view=ObjectivesPage/>
                    <Route path=path!("objectifs/nouveau") view=NewObjectivePage/>
                    <Route path=path!("objectifs/:id") view=ObjectivePage/>
                    <Route path=path!("objectifs/:id/modifier") view=EditObjectivePage/>
                    <Route path=path!("mes-objectifs") view=MyObjectivesPage/>
                    <Route path=path!("mes-reussites") view=MySuccessesPage/>
                    <Route path=path!("referentiels") view=FrameworksPage ssr=SsrMode::Async/>
                    <Route path=path!("referentiels/:id") view=FrameworkPage ssr=SsrMode::Async/>
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
