//! Screens whose code is fetched when they are first opened.
//!
//! The browser code is cut in pieces (`cargo leptos build --split`): the main
//! piece holds the frame, the phone's store and sync, sign-in and home; every
//! other screen belongs to a piece named by the `lazy_pages!` list in
//! `app.rs`, one piece per domain (the screens a person opens together). For
//! each screen of that list the macro writes the route type the router takes
//! (`Lazy::<lazy::FeedPage>::new()`) and a loader, and the list itself
//! ([`LazyPage`]) tells the server which pieces each role's phone keeps
//! for offline use and which it loads right after start.
//!
//! A piece that cannot be fetched (offline before it was ever kept) does not
//! stop the app: the screen says so ([`crate::widgets::ChunkMissing`]) and
//! the rest keeps working. That is why the loaders are written with
//! `wasm_split(…, fallible)` rather than Leptos's `#[lazy_route]`, whose
//! loader panics on a failed fetch and takes the whole app down with it.
use jalon_core::roles::Role;

/// Who opens a screen, hence whose phone keeps its code for offline use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, signed in or not.
    Everyone,
    /// Admins, counsellors and supervisors.
    Staff,
    /// The structure's admin only.
    Admin,
    /// The worker's own space.
    Worker,
}

impl Audience {
    pub fn includes(self, role: Role) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::Staff => role != Role::Worker,
            Audience::Admin => role == Role::Admin,
            Audience::Worker => role == Role::Worker,
        }
    }
}

/// One lazily loaded screen: the name of its piece in the build's split
/// manifest, who opens it, and the roles whose phones load it right after
/// start (the field screens, so they open at once with no network).
#[derive(Clone, Copy, Debug)]
pub struct LazyPage {
    pub chunk: &'static str,
    pub audience: Audience,
    pub preloaded_for: &'static [Role],
}

/// Writes, for each `Page in chunk for Audience [, preloaded for Role | Role]`
/// line, a module `lazy` holding the route type `lazy::Page` and its loader,
/// plus `lazy::PAGES` (the list) and `lazy::preload(role)`. Several pages may
/// name the same piece: their code then arrives together, in one fetch.
macro_rules! lazy_pages {
    ($( $page:ident in $chunk:ident for $audience:ident $(, preloaded for $($pre:ident)|+)? ; )*) => {
        pub mod lazy {
            use super::*;
            use crate::frame::{Audience, LazyPage};

            $(
                #[doc = concat!("The route of `", stringify!($page), "`, its code in the piece `", stringify!($chunk), "`.")]
                pub struct $page {}

                impl leptos_router::LazyRoute for $page {
                    fn data() -> Self {
                        $page {}
                    }

                    /// The screen, once its piece is here; in the browser,
                    /// a French notice instead when it cannot be fetched.
                    async fn view(_this: Self) -> AnyView {
                        #[cfg(feature = "hydrate")]
                        {
                            match loaders::$page(true).await {
                                Ok(Some(view)) => view,
                                _ => crate::widgets::ChunkMissing().into_any(),
                            }
                        }
                        #[cfg(not(feature = "hydrate"))]
                        {
                            // The server names the piece in the page, which
                            // then fetches it beside the main one.
                            leptos::prefetch_lazy_fn_on_server(stringify!($chunk));
                            // The component (a braced struct leaves the
                            // value namespace to it).
                            self::$page().into_any()
                        }
                    }

                    /// Fetches the piece without showing it; a failure is
                    /// left for the screen to report when it is opened.
                    async fn preload() {
                        #[cfg(feature = "hydrate")]
                        let _ = loaders::$page(false).await;
                    }
                }
            )*

            /// The split loaders, one function per screen named after it (the
            /// loaders of one piece must have names of their own): `true`
            /// builds the screen once its piece is here, `false` only fetches.
            #[cfg(feature = "hydrate")]
            #[allow(non_snake_case)]
            mod loaders {
                use super::*;

                $(
                    #[leptos::wasm_split::wasm_split(
                        $chunk,
                        fallible,
                        wasm_split_path = ::leptos::wasm_split
                    )]
                    pub fn $page(show: bool) -> Result<Option<AnyView>, leptos::wasm_split::SplitLoaderError> {
                        Ok(show.then(|| super::$page().into_any()))
                    }
                )*
            }

            /// Every lazily loaded screen, as the server reads it to tell
            /// each role's phone which pieces to keep.
            pub const PAGES: &[LazyPage] = &[
                $(
                    LazyPage {
                        chunk: stringify!($chunk),
                        audience: Audience::$audience,
                        preloaded_for: &[$($(jalon_core::roles::Role::$pre),+)?],
                    },
                )*
            ];

            /// Loads the pieces this role's phone needs at once (the field
            /// screens of a supervisor), right after start. A piece named by
            /// several screens is fetched once.
            pub fn preload(role: jalon_core::roles::Role) {
                let _ = role;
                $(
                    let wanted: &[jalon_core::roles::Role] = &[$($(jalon_core::roles::Role::$pre),+)?];
                    if wanted.contains(&role) {
                        leptos::task::spawn_local(<$page as leptos_router::LazyRoute>::preload());
                    }
                )*
            }
        }
    };
}
pub(crate) use lazy_pages;
