//! Skill frameworks: the list, one framework's editor, and their server functions.
mod api;
mod frameworks;

pub use api::*;
pub use frameworks::{FrameworkPage, FrameworksPage};
