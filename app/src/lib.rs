//! Jalon's application crate, in floors that only import downwards:
//! `app` (the document and the router, the only file that names pages) →
//! `pages/<domain>/` (screens and their thin server functions) → `frame`
//! (top bar, bottom navigation, sync bar) → `widgets` → `auth` (who is
//! signed in on this phone) → `local` (the phone's store and its sync) →
//! `wire` (what screens receive) → `backend` (server only: database,
//! policy, audit, sync server, queries) → `error`. The records, their rules
//! and the sync engine are in the `jalon-core` crate beneath it all.
//! See `docs/architecture.md`.
#![recursion_limit = "256"]

mod app;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod error;
pub mod frame;
pub mod local;
pub mod pages;
pub mod widgets;
pub mod wire;

pub use app::{App, BundleRoot, lazy, shell};
