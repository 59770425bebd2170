//! Top bar (structure, person) and bottom navigation (phones).
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::auth::{CurrentUser, Role, use_user};
use crate::error::AppError;
use crate::widgets::icons::Icon;

/// How many alerts wait to be taken into account, among the observations the
/// person may read (staff; the counsellor's navigation shows it on every screen).
#[server(prefix = "/api", endpoint = "frame/open_alerts")]
pub async fn open_alerts() -> Result<i64, AppError> {
    let (db, actor) = crate::backend::policy::require_actor().await?;
    if actor.user.role == Role::Worker {
        return Err(AppError::NotFound.respond());
    }
    Ok(crate::backend::feed::counts(&db, &actor).await?.0)
}

/// Whether the page has been taken over by the browser code (set by the
/// entry point once hydration is over).
#[cfg(feature = "hydrate")]
fn hydrated() -> bool {
    leptos::prelude::document()
        .body()
        .and_then(|b| b.get_attribute("data-hydrated"))
        .is_some_and(|v| v == "true")
}

/// The signed-in user once known; `None` while loading or for visitors.
fn signed_in() -> impl Fn() -> Option<CurrentUser> + Copy {
    let user = use_user();
    move || user.get().and_then(|r| r.ok()).flatten()
}

#[component]
pub fn TopBar() -> impl IntoView {
    let user = signed_in();
    view! {
        <header class="topbar">
            <Transition fallback=|| view! { <span class="topbar__brand">"Jalon"</span> }>
                <div class="topbar__inner">
                    <A href="/" attr:class="topbar__brand">
                        <Icon name="mark"/>
                        <span>"Jalon"</span>
                    </A>
                    {move || {
                        user()
                            .map(|u| {
                                let label = format!("Mon compte : {}", u.display_name);
                                let (structure, person) = (u.structure_name, u.display_name);
                                view! {
                                    <A href="/compte" attr:class="topbar__who" attr:aria-label=label>
                                        <span class="topbar__structure">{structure}</span>
                                        <span class="topbar__person">{person}</span>
                                    </A>
                                }
                            })
                    }}
                </div>
                {move || {
                    user()
                        .filter(|u| u.structure_is_demo)
                        .map(|_| {
                            view! {
                                <p class="demo-banner">
                                    "Démonstration : toutes les personnes et données sont fictives."
                                </p>
                            }
                        })
                }}
            </Transition>
        </header>
    }
}

/// Shows its children only to a signed-in person.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let user = signed_in();
    view! {
        <Transition fallback=|| ()>
            <Show when=move || user().is_some()>{children()}</Show>
        </Transition>
    }
}

/// The destinations of each role, in thumb reach at the bottom of the screen
/// (four at most for staff, so the words fit at 360 px; the worker list is
/// on their home screen).
fn nav_items(role: Role) -> &'static [(&'static str, &'static str, &'static str)] {
    match role {
        Role::Admin => &[
            ("/", "home", "Accueil"),
            ("/salaries", "team", "Salariés"),
            ("/admin/equipes", "team", "Équipes"),
            ("/admin/comptes", "user", "Comptes"),
            ("/admin/journal", "file", "Journal"),
        ],
        Role::Supervisor => &[
            ("/", "home", "Accueil"),
            ("/pointage", "check", "Pointage"),
            ("/observations", "file", "Observations"),
            ("/seances", "star", "Séances"),
        ],
        Role::Counsellor => &[
            ("/", "home", "Accueil"),
            ("/objectifs", "mark", "Objectifs"),
            ("/fil", "file", "Observations"),
            ("/presences", "calendar", "Présences"),
        ],
        Role::Worker => &[
            ("/", "home", "Accueil"),
            ("/mes-objectifs", "mark", "Objectifs"),
            ("/mes-reussites", "check", "Réussites"),
            ("/mes-presences", "calendar", "Présences"),
        ],
    }
}

#[component]
pub fn BottomNav() -> impl IntoView {
    let user = signed_in();
    // The counsellor's open alerts, asked for in the browser once the page is
    // live and again at each change of screen. Never part of the server's
    // HTML: a resource here, after the page's own, would shift the order in
    // which hydration reads the server's data.
    let alerts = RwSignal::new(None::<i64>);
    let location = use_location();
    Effect::new(move |_| {
        let counsellor = user().is_some_and(|u| u.role == Role::Counsellor);
        // Read, not only tracked: a memo nobody has read is never computed,
        // so `track()` alone would not hear of the next screen.
        let _screen = location.pathname.get();
        if counsellor {
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                // Not while the page is being hydrated: a badge added then
                // would stand where hydration expects the server's nodes.
                while !hydrated() {
                    gloo_timers::future::sleep(std::time::Duration::from_millis(100)).await;
                }
                alerts.set(open_alerts().await.ok().filter(|n| *n > 0));
            });
        } else {
            alerts.set(None);
        }
    });
    let badge = move |href: &str| {
        (href == "/fil").then_some({
            move || {
                alerts.get().map(|n| {
                    let label = if n > 1 {
                        format!("{n} alertes à prendre en compte")
                    } else {
                        "1 alerte à prendre en compte".to_string()
                    };
                    view! { <span class="bottomnav__badge" aria-label=label.clone() title=label>{n}</span> }
                })
            }
        })
    };
    view! {
        <Transition fallback=|| ()>
            {move || {
                user()
                    .map(|u| {
                        view! {
                            <nav class="bottomnav" aria-label="Navigation principale">
                                {nav_items(u.role)
                                    .iter()
                                    .map(|(href, icon, label)| {
                                        view! {
                                            <A href=*href exact=*href == "/" attr:class="bottomnav__item">
                                                <Icon name=icon/>
                                                <span>{*label}</span>
                                                {badge(href)}
                                            </A>
                                        }
                                    })
                                    .collect_view()}
                            </nav>
                        }
                    })
            }}
        </Transition>
    }
}
