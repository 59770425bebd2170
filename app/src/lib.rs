//! Jalon's application crate: every screen, route, shared type and server
//! function. One module per domain concept; server-only code sits behind the
//! `ssr` feature, browser-only code behind `hydrate`.
#![recursion_limit = "256"]

pub mod attendance;
pub mod audit;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod db;
pub mod error;
pub mod home;
pub mod objectives;
pub mod observations;
pub mod people;
pub mod sessions;
pub mod shell;
pub mod skills;
pub mod sync;

pub use shell::{App, shell};
