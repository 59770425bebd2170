//! Offline sync: the protocol shared by the phone and the server, the
//! phone's engine (plain Rust over a storage trait), the server's side, and
//! in the browser the IndexedDB store, the network, and the sync indicator.
//! See `docs/sync.md`.
pub mod client;
pub mod engine;
#[cfg(feature = "hydrate")]
pub mod idb;
mod indicator;
#[cfg(any(test, feature = "ssr"))]
pub mod memory;
pub mod protocol;
#[cfg(feature = "ssr")]
pub mod server;

pub use client::{SyncHandle, provide_sync, use_sync};
pub use indicator::{SyncBar, local_time, state_chip};

/// Every synced record type, as the phone knows them (one IndexedDB store each).
pub const RECORD_TYPES: &[&str] = &[
    crate::observations::RECORD_TYPE,
    crate::attendance::RECORD_TYPE,
    crate::sessions::RECORD_TYPE,
    crate::objectives::RECORD_TYPE,
    crate::objectives::REACTION_TYPE,
];

#[cfg(all(test, feature = "ssr"))]
#[path = "tests/protocol.rs"]
mod protocol_tests;

#[cfg(all(test, feature = "ssr"))]
#[path = "tests/concurrent.rs"]
mod concurrent_tests;
