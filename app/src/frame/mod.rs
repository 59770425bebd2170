//! The frame around every screen: the top bar, the bottom navigation and
//! the sync bar.
mod layout;
mod sync_bar;

pub use layout::{BottomNav, SignedIn, TopBar};
pub use sync_bar::SyncBar;
