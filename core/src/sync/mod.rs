//! Offline sync without screens or storage: the protocol the phone and the
//! server speak, the phone's engine over two small traits (`Store`,
//! `Transport`), and a store in memory for tests. See `docs/sync.md`.
pub mod engine;
pub mod memory;
pub mod protocol;
