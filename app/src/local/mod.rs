//! The phone's own data: its IndexedDB store, the sync that runs over it
//! (the engine of `jalon-core` with the network), the one helper that saves
//! a record to the phone, the session catalogue and the worker's bilans kept for offline use, and
//! which screens' code the service worker keeps.
pub mod catalogue;
#[cfg(feature = "hydrate")]
pub mod idb;
#[cfg(feature = "hydrate")]
pub mod offline;
pub mod papers;
#[cfg(feature = "hydrate")]
pub mod phone;
pub mod sync;
