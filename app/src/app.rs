//! The top of the house: the HTML document, the app with its frame, and the
//! router, the one place that names every page.
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

use crate::auth::provide_auth;
use crate::frame::{BottomNav, SignedIn, SyncBar, TopBar, lazy_pages};
use crate::pages::attendance::{MyAttendancePage, ReportPage, RollCallPage};
use crate::pages::audit::AuditPage;
use crate::pages::auth::{AccountPage, SignInPage};
use crate::pages::bilans::{AttestationPage, BilanPage, MyBilansPage, VerifyPage};
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
use crate::pages::privacy::{DevicesPage, MyDataPage, NoticePage, RequestsPage, RetentionPage};
use crate::pages::reports::FundersPage;
use crate::pages::sessions::{
    EvaluatePage, MySkillsPage, PlanEditPage, PlanPage, PlansPage, ProgressionPage, SessionsPage,
    StartSessionPage,
};
use crate::pages::skills::{FrameworkPage, FrameworksPage};
use crate::pages::worksite::{BriefingsPage, ChecklistPage, MyWelcomePage, WelcomePage};
use crate::widgets::{NotFound, OfflineShell};

// The screens outside the main piece of browser code, grouped by domain into
// pieces fetched when one of their screens is first opened (see
// `frame/lazy.rs`); the field piece (roll call, observations) is loaded right
// after start on a supervisor's phone. Sign-in, home, the offline shell and
// "page introuvable" stay in the main piece (the account page joined the
// small piece every phone keeps, to leave the main piece room). Few pieces on
// purpose: the code two pieces share becomes a file of its own, so every
// further piece multiplies the files a screen needs (measured in issue 18's
// note: 8 pieces, 40 files for the field screens; 12 pieces, 98 files, and a
// slower first tap).
lazy_pages! {
    RollCallPage in field for Staff, preloaded for Supervisor;
    NewObservationPage in field for Staff, preloaded for Supervisor;
    ObservationsPage in field for Staff;
    EditObservationPage in field for Staff;
    WelcomePage in field for Staff;
    BriefingsPage in field for Staff;
    FeedPage in follow for Staff;
    ReportPage in follow for Staff;
    FundersPage in follow for Staff;
    RequestsPage in follow for Staff;
    WorkersPage in people for Staff;
    NewWorkerPage in people for Staff;
    WorkerFilePage in people for Staff;
    BilanPage in bilans for Staff;
    AttestationPage in bilans for Staff;
    SessionsPage in skills for Staff;
    StartSessionPage in skills for Staff;
    EvaluatePage in skills for Staff;
    PlansPage in skills for Staff;
    PlanPage in skills for Staff;
    PlanEditPage in skills for Staff;
    ProgressionPage in skills for Staff;
    ObjectivesPage in objectives for Staff;
    NewObjectivePage in objectives for Staff;
    ObjectivePage in objectives for Staff;
    EditObjectivePage in objectives for Staff;
    FrameworksPage in skills for Staff;
    FrameworkPage in skills for Staff;
    AccountsPage in admin for Admin;
    TeamsPage in admin for Admin;
    AuditPage in admin for Admin;
    RetentionPage in admin for Admin;
    ChecklistPage in admin for Admin;
    MyAttendancePage in my_space for Worker;
    MySkillsPage in my_space for Worker;
    MyObjectivesPage in my_space for Worker;
    MySuccessesPage in my_space for Worker;
    MyBilansPage in my_space for Worker;
    MyDataPage in my_space for Worker;
    MyWelcomePage in my_space for Worker;
    ActivatePage in activate for Everyone;
    VerifyPage in activate for Everyone;
    NoticePage in activate for Everyone;
    DevicesPage in activate for Everyone;
    AccountPage in activate for Everyone;
}

/// Where this deployment's browser files are served from (`/b/<version>`),
/// set by the server: every deployment's code has addresses of its own, so a
/// phone never mixes one deployment's page with another's pieces of code.
#[derive(Clone, Debug, Default)]
pub struct BundleRoot(pub String);

/// Every page is rendered whole on the server (`SsrMode::Async`): it waits for
/// its data, so a page is complete and readable before — or without — the wasm.
///
/// The HTML document the server sends; the browser hydrates `App` inside it.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let root = use_context::<BundleRoot>().map(|r| r.0).unwrap_or_default();
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
                <HashedStylesheet options=options.clone() id="jalon-style" root=root.clone()/>
                <HydrationScripts options root/>
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
            {
                lazy::preload(u.role);
                crate::local::offline::keep_screens_for(sync, u.role);
                crate::local::sync::browser::start(sync, u);
            }
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
                    <Route path=path!("compte") view={Lazy::<lazy::AccountPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("activer") view={Lazy::<lazy::ActivatePage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("salaries") view={Lazy::<lazy::WorkersPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("salaries/nouveau") view={Lazy::<lazy::NewWorkerPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("salaries/:id") view={Lazy::<lazy::WorkerFilePage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("bilans/:id") view={Lazy::<lazy::BilanPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("attestations/:id") view={Lazy::<lazy::AttestationPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("mes-bilans") view={Lazy::<lazy::MyBilansPage>::new()}/>
                    <Route path=path!("verifier/:code") view={Lazy::<lazy::VerifyPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("confidentialite") view={Lazy::<lazy::NoticePage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("appareils") view={Lazy::<lazy::DevicesPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("mes-donnees") view={Lazy::<lazy::MyDataPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("demandes") view={Lazy::<lazy::RequestsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("observations") view={Lazy::<lazy::ObservationsPage>::new()}/>
                    <Route path=path!("observations/nouvelle") view={Lazy::<lazy::NewObservationPage>::new()}/>
                    <Route path=path!("observations/:id") view={Lazy::<lazy::EditObservationPage>::new()}/>
                    <Route path=path!("fil") view={Lazy::<lazy::FeedPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("pointage") view={Lazy::<lazy::RollCallPage>::new()}/>
                    <Route path=path!("accueil") view={Lazy::<lazy::WelcomePage>::new()}/>
                    <Route path=path!("securite") view={Lazy::<lazy::BriefingsPage>::new()}/>
                    <Route path=path!("mon-accueil") view={Lazy::<lazy::MyWelcomePage>::new()}/>
                    <Route path=path!("mes-presences") view={Lazy::<lazy::MyAttendancePage>::new()}/>
                    <Route path=path!("presences") view={Lazy::<lazy::ReportPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("synthese") view={Lazy::<lazy::FundersPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("seances") view={Lazy::<lazy::SessionsPage>::new()}/>
                    <Route path=path!("seances/nouvelle") view={Lazy::<lazy::StartSessionPage>::new()}/>
                    <Route path=path!("seances/plans") view={Lazy::<lazy::PlansPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/nouveau") view={Lazy::<lazy::PlanEditPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/:id") view={Lazy::<lazy::PlanPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("seances/plans/:id/modifier") view={Lazy::<lazy::PlanEditPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("seances/:id") view={Lazy::<lazy::EvaluatePage>::new()}/>
                    <Route path=path!("progression") view={Lazy::<lazy::ProgressionPage>::new()}/>
                    <Route path=path!("mes-competences") view={Lazy::<lazy::MySkillsPage>::new()}/>
                    <Route path=path!("objectifs") view={Lazy::<lazy::ObjectivesPage>::new()}/>
                    <Route path=path!("objectifs/nouveau") view={Lazy::<lazy::NewObjectivePage>::new()}/>
                    <Route path=path!("objectifs/:id") view={Lazy::<lazy::ObjectivePage>::new()}/>
                    <Route path=path!("objectifs/:id/modifier") view={Lazy::<lazy::EditObjectivePage>::new()}/>
                    <Route path=path!("mes-objectifs") view={Lazy::<lazy::MyObjectivesPage>::new()}/>
                    <Route path=path!("mes-reussites") view={Lazy::<lazy::MySuccessesPage>::new()}/>
                    <Route path=path!("referentiels") view={Lazy::<lazy::FrameworksPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("referentiels/:id") view={Lazy::<lazy::FrameworkPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("coquille") view=OfflineShell/>
                    <Route path=path!("admin/comptes") view={Lazy::<lazy::AccountsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("admin/equipes") view={Lazy::<lazy::TeamsPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("admin/journal") view={Lazy::<lazy::AuditPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("admin/conservation") view={Lazy::<lazy::RetentionPage>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("admin/accueil") view={Lazy::<lazy::ChecklistPage>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <BottomNav/>
        </Router>
    }
}
