//! Top bar (structure, person) and bottom navigation (phones).
use leptos::prelude::*;
use leptos_router::components::A;

use super::icons::Icon;
use crate::auth::{CurrentUser, use_user};

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
                                view! {
                                    <div class="topbar__who">
                                        <span class="topbar__structure">{u.structure_name.clone()}</span>
                                        <span class="topbar__person">{u.display_name.clone()}</span>
                                    </div>
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

#[component]
pub fn BottomNav() -> impl IntoView {
    let user = signed_in();
    view! {
        <Transition fallback=|| ()>
            {move || {
                user()
                    .map(|_| {
                        view! {
                            <nav class="bottomnav" aria-label="Navigation principale">
                                <A href="/" exact=true attr:class="bottomnav__item">
                                    <Icon name="home"/>
                                    <span>"Accueil"</span>
                                </A>
                                <A href="/compte" attr:class="bottomnav__item">
                                    <Icon name="user"/>
                                    <span>"Mon compte"</span>
                                </A>
                            </nav>
                        }
                    })
            }}
        </Transition>
    }
}
