//! The frame around every screen: the top bar, the bottom navigation, the
//! sync bar, and how a screen's code arrives (`lazy`).
mod layout;
mod lazy;
mod sync_bar;

pub use layout::{BottomNav, SignedIn, TopBar};
pub(crate) use lazy::lazy_pages;
pub use lazy::{Audience, LazyPage};
pub use sync_bar::SyncBar;
