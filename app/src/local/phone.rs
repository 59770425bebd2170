//! The phone's one IndexedDB store, opened once, and whether its data may
//! be shown: only once the sync's start-up found it belongs to the person
//! signed in.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use jalon_core::sync::engine::StoreError;

use crate::local::idb::IdbStore;

thread_local! {
    static STORE: RefCell<Option<Rc<IdbStore>>> = const { RefCell::new(None) };
    static PHASE: Cell<Phase> = const { Cell::new(Phase::Idle) };
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Nobody signed in yet (or signed out).
    Idle,
    /// Checking whose data the phone holds.
    Starting,
    Ready,
    /// Another person's unsent records are here.
    Blocked,
}

/// Whether the phone's data is the signed-in person's and may be shown;
/// waits (10 s at most) while the start-up checks run.
pub async fn ready() -> bool {
    for _ in 0..200 {
        match PHASE.get() {
            Phase::Ready => return true,
            Phase::Blocked => return false,
            Phase::Idle | Phase::Starting => {
                gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await
            }
        }
    }
    false
}

/// A copy kept under `key` in the phone's `meta` store (the catalogue, the
/// worker's bilans), once the phone's data may be shown.
pub async fn kept<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    if !ready().await {
        return None;
    }
    store().await.ok()?.meta_value(key).await.ok().flatten()
}

pub async fn store() -> Result<Rc<IdbStore>, StoreError> {
    if let Some(s) = STORE.with_borrow(|s| s.clone()) {
        return Ok(s);
    }
    let opened = Rc::new(IdbStore::open().await?);
    STORE.with_borrow_mut(|s| *s = Some(opened.clone()));
    Ok(opened)
}

/// Set by the sync as its start-up checks go.
pub fn set_phase(phase: Phase) {
    PHASE.set(phase);
}
