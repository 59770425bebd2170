//! The sync as the screens see it: reactive state for the indicator, the
//! local store's operations for the pages, and (in the browser) the loop
//! that syncs at start, when the network comes back, every minute while
//! online, and on demand, backing off after failures.
use leptos::prelude::*;
use uuid::Uuid;

use jalon_core::roles::CurrentUser;
#[cfg(feature = "hydrate")]
use jalon_core::sync::engine;
use jalon_core::sync::engine::{Change, LocalRecord, StoreError};
use jalon_core::sync::protocol::WorkerCard;

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Not started yet (page still loading, or signed out).
    Idle,
    Syncing,
    Synced,
    Failed(String),
}

/// Whether the code of every screen of the signed-in role is kept on this
/// phone, so that each opens with no network (see `local/offline.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screens {
    /// Not asked yet, or no service worker here.
    Unknown,
    /// The service worker is fetching the missing ones.
    Keeping,
    /// All here.
    Kept,
    /// Some could not be fetched (network lost): fetched at the next start.
    Incomplete,
}

/// Shared through context; every field is a signal the screens read.
#[derive(Clone, Copy)]
pub struct SyncHandle {
    pub online: RwSignal<bool>,
    pub status: RwSignal<Status>,
    /// When the last sync succeeded (RFC 3339, UTC).
    pub last_sync: RwSignal<Option<String>>,
    /// Changes waiting for the server, and when the oldest was made.
    pub waiting: RwSignal<usize>,
    pub oldest_waiting: RwSignal<Option<String>>,
    /// Changes refused by the server, kept on the phone.
    pub refused: RwSignal<usize>,
    /// Bumped whenever the local data changed: pages read it again.
    pub revision: RwSignal<u64>,
    /// Another person's unsent records are on this phone (their name).
    pub foreign_owner: RwSignal<Option<String>>,
    /// Whether the local store works here (false: private mode, no IndexedDB).
    pub available: RwSignal<bool>,
    /// Whether this role's screens are kept for offline use.
    pub screens: RwSignal<Screens>,
    trigger: RwSignal<u64>,
}

pub fn provide_sync() -> SyncHandle {
    let handle = SyncHandle {
        online: RwSignal::new(true),
        status: RwSignal::new(Status::Idle),
        last_sync: RwSignal::new(None),
        waiting: RwSignal::new(0),
        oldest_waiting: RwSignal::new(None),
        refused: RwSignal::new(0),
        revision: RwSignal::new(0),
        foreign_owner: RwSignal::new(None),
        available: RwSignal::new(true),
        screens: RwSignal::new(Screens::Unknown),
        trigger: RwSignal::new(0),
    };
    provide_context(handle);
    handle
}

pub fn use_sync() -> SyncHandle {
    expect_context::<SyncHandle>()
}

impl SyncHandle {
    /// Asks for a sync as soon as possible (the "Synchroniser" button).
    pub fn sync_now(&self) {
        self.trigger.update(|n| *n += 1);
        #[cfg(feature = "hydrate")]
        browser::run_soon(*self);
    }
}

/// The current time as the phone stores it (RFC 3339, UTC).
pub fn now() -> String {
    #[cfg(feature = "hydrate")]
    {
        String::from(js_sys::Date::new_0().to_iso_string())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }
}

#[cfg(not(feature = "hydrate"))]
fn no_store() -> StoreError {
    StoreError("stockage du téléphone indisponible ici".into())
}

/// Records of one type held on the phone, deletions pending excluded.
pub async fn records(record_type: &'static str) -> Result<Vec<LocalRecord>, StoreError> {
    #[cfg(feature = "hydrate")]
    {
        use jalon_core::sync::engine::Store;
        if !browser::ready().await {
            return Ok(Vec::new());
        }
        let mut all = browser::store().await?.records(record_type).await?;
        all.retain(|r| !r.deleted);
        Ok(all)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = record_type;
        Err(no_store())
    }
}

pub async fn record(
    record_type: &'static str,
    id: Uuid,
) -> Result<Option<LocalRecord>, StoreError> {
    #[cfg(feature = "hydrate")]
    {
        use jalon_core::sync::engine::Store;
        if !browser::ready().await {
            return Ok(None);
        }
        browser::store().await?.record(record_type, id).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (record_type, id);
        Err(no_store())
    }
}

/// The workers the signed-in person may see, as last synced.
pub async fn workers() -> Result<Vec<WorkerCard>, StoreError> {
    #[cfg(feature = "hydrate")]
    {
        use jalon_core::sync::engine::Store;
        if !browser::ready().await {
            return Ok(Vec::new());
        }
        let mut list = browser::store().await?.workers().await?;
        list.sort_by(|a, b| (&a.last_name, &a.first_name).cmp(&(&b.last_name, &b.first_name)));
        Ok(list)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Err(no_store())
    }
}

/// Saves checked records of one type on the phone in one IndexedDB commit,
/// signed by `author`; the sync takes them from there. Every screen that
/// writes offline goes through here. `records`: id, worker, data.
pub async fn save_to_phone<T: serde::Serialize>(
    handle: SyncHandle,
    author: Option<CurrentUser>,
    record_type: &'static str,
    schema: u32,
    records: &[(Uuid, &str, &T)],
) -> Result<(), String> {
    let (author_id, author_name) = author.map(|u| (u.id, u.display_name)).unwrap_or_default();
    let now = now();
    let mut changes = Vec::with_capacity(records.len());
    for (id, worker_id, value) in records {
        changes.push(Change {
            record_type,
            schema,
            id: *id,
            worker_id,
            data: serde_json::to_value(value).map_err(|e| e.to_string())?,
            author_id: &author_id,
            author_name: &author_name,
            now: &now,
        });
    }
    apply(handle, LocalAction::SaveAll(changes))
        .await
        .map_err(|e| e.to_string())
}

/// What a page may do to the local data; each call refreshes the indicator
/// and asks for a sync in the background (never waited for).
pub enum LocalAction<'a> {
    Save(Change<'a>),
    /// Several records in one commit.
    SaveAll(Vec<Change<'a>>),
    Delete {
        record_type: &'a str,
        schema: u32,
        id: Uuid,
    },
    Retry {
        record_type: &'a str,
        id: Uuid,
    },
    Discard {
        record_type: &'a str,
        id: Uuid,
    },
}

pub async fn apply(handle: SyncHandle, action: LocalAction<'_>) -> Result<(), StoreError> {
    #[cfg(feature = "hydrate")]
    {
        if !browser::ready().await {
            return Err(StoreError(
                "ce téléphone n'est pas encore prêt pour vous (reconnectez-vous)".into(),
            ));
        }
        let _turn = browser::write_turn().await;
        let store = browser::store().await?;
        let store = &*store;
        match action {
            LocalAction::Save(change) => engine::save(store, change).await.map(|_| ())?,
            LocalAction::SaveAll(changes) => engine::save_all(store, changes).await.map(|_| ())?,
            LocalAction::Delete {
                record_type,
                schema,
                id,
            } => engine::delete(store, record_type, schema, id, &now()).await?,
            LocalAction::Retry { record_type, id } => engine::retry(store, record_type, id).await?,
            LocalAction::Discard { record_type, id } => {
                engine::discard(store, record_type, id).await?
            }
        }
        // Lets the benchmark time a tap to its IndexedDB commit.
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark("jalon-saved");
        }
        browser::refresh(handle).await;
        handle.sync_now();
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (handle, action);
        Err(no_store())
    }
}

#[cfg(feature = "hydrate")]
pub mod browser {
    //! The browser half: IndexedDB, fetch, timers, online/offline events.
    use std::cell::{Cell, RefCell};

    use gloo_net::http::Request;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    use super::{Status, SyncHandle, now};
    use jalon_core::roles::CurrentUser;
    use jalon_core::sync::engine::{self, Store, Transport, TransportError};
    use jalon_core::sync::protocol::*;

    thread_local! {
        static RUNNING: Cell<bool> = const { Cell::new(false) };
        /// A sync was asked for while one was running: run again after it,
        /// so a record saved during a sync doesn't wait for the next minute.
        static AGAIN: Cell<bool> = const { Cell::new(false) };
        /// The person whose data syncs now; `None`: nothing syncs.
        static ACTIVE: RefCell<Option<String>> = const { RefCell::new(None) };
        static CLOCK: Cell<bool> = const { Cell::new(false) };
        static FAILURES: Cell<u32> = const { Cell::new(0) };
        /// Milliseconds since the epoch of the next automatic sync.
        static NEXT_AT: Cell<f64> = const { Cell::new(0.0) };
        /// The signed-in person is staff: the phone keeps the session plans.
        static STAFF: Cell<bool> = const { Cell::new(false) };

    }

    const MINUTE_MS: f64 = 60_000.0;

    use crate::local::phone::{Phase, set_phase};
    pub use crate::local::phone::{ready, store};

    struct Fetch;

    async fn post<Req: serde::Serialize, Res: serde::de::DeserializeOwned>(
        path: &str,
        body: &Req,
    ) -> Result<Res, TransportError> {
        let req = Request::post(path)
            .json(body)
            .map_err(|e| TransportError::BadResponse(e.to_string()))?;
        let res = req.send().await.map_err(|_| TransportError::Offline)?;
        if res.ok() {
            return res
                .json()
                .await
                .map_err(|e| TransportError::BadResponse(e.to_string()));
        }
        let status = res.status();
        let body = res.json::<ApiError>().await.unwrap_or_else(|_| ApiError {
            error: "http".into(),
            message: format!("Le serveur a répondu {status}. Réessayez plus tard."),
            mutation_id: None,
            last_batch: None,
        });
        Err(TransportError::Refused(status, body))
    }

    impl Transport for Fetch {
        async fn push(&self, req: &PushRequest) -> Result<PushResponse, TransportError> {
            post("/api/sync/v1/push", req).await
        }

        async fn pull(&self, req: &PullRequest) -> Result<PullResponse, TransportError> {
            post("/api/sync/v1/pull", req).await
        }
    }

    fn is_online() -> bool {
        web_sys::window().is_none_or(|w| w.navigator().on_line())
    }

    /// Reads the waiting and refused counts and the last sync into the signals.
    pub async fn refresh(handle: SyncHandle) {
        let Ok(store) = store().await else { return };
        if let Ok(outbox) = store.outbox().await {
            let pending: Vec<_> = outbox.iter().filter(|e| e.rejected.is_none()).collect();
            handle.waiting.set(pending.len());
            handle
                .oldest_waiting
                .set(pending.iter().map(|e| e.queued_at.clone()).min());
            handle.refused.set(outbox.len() - pending.len());
        }
        if let Ok(Some(meta)) = store.meta().await {
            handle.last_sync.set(meta.last_sync);
        }
        handle.revision.update(|n| *n += 1);
    }

    /// Starts the sync for the signed-in person (once per page load). If the
    /// phone holds another person's unsent records, nothing starts.
    pub fn start(handle: SyncHandle, user: CurrentUser) {
        if ACTIVE.with_borrow(|a| a.as_deref() == Some(user.id.as_str())) {
            return;
        }
        ACTIVE.set(Some(user.id.clone()));
        STAFF.set(user.role != jalon_core::roles::Role::Worker);
        set_phase(Phase::Starting);
        spawn_local(async move {
            let store = match store().await {
                Ok(s) => s,
                Err(_) => {
                    handle.available.set(false);
                    set_phase(Phase::Blocked);
                    return;
                }
            };
            match store.owner().await {
                Ok(Some(owner)) if owner.id != user.id => {
                    let (waiting, _) = engine::waiting(&*store).await.unwrap_or((0, None));
                    if waiting > 0 {
                        handle.foreign_owner.set(Some(owner.display_name));
                        ACTIVE.set(None);
                        set_phase(Phase::Blocked);
                        return;
                    }
                    let _ = store.wipe().await;
                }
                _ => {}
            }
            let _ = store.set_owner(&user).await;
            set_phase(Phase::Ready);
            refresh(handle).await;
            run_soon(handle);
            if CLOCK.replace(true) {
                return;
            }
            ask_persistence();
            listen_network(handle);
            // The clock: every few seconds, sync if one is due.
            loop {
                gloo_timers::future::sleep(std::time::Duration::from_secs(5)).await;
                let due = NEXT_AT.get() <= js_sys::Date::now();
                if due && is_online() {
                    run(handle).await;
                }
            }
        });
    }

    /// After signing out: the phone forgets the person's data.
    pub async fn wipe(handle: SyncHandle) {
        ACTIVE.set(None);
        set_phase(Phase::Idle);
        if let Ok(store) = store().await {
            let _ = store.wipe().await;
        }
        handle.status.set(Status::Idle);
        refresh(handle).await;
    }

    pub fn run_soon(handle: SyncHandle) {
        if ACTIVE.with_borrow(Option::is_none) {
            return;
        }
        NEXT_AT.set(0.0);
        spawn_local(run(handle));
    }

    async fn run(handle: SyncHandle) {
        if ACTIVE.with_borrow(Option::is_none) {
            return;
        }
        if RUNNING.replace(true) {
            AGAIN.set(true);
            return;
        }
        handle.online.set(is_online());
        if !is_online() {
            RUNNING.set(false);
            NEXT_AT.set(js_sys::Date::now() + MINUTE_MS);
            return;
        }
        handle.status.set(Status::Syncing);
        let result = match store().await {
            Ok(store) => {
                let device = match engine::meta_or_new(&*store, uuid::Uuid::now_v7()).await {
                    Ok(meta) => meta.device_id,
                    Err(e) => {
                        finish(handle, Err(e.to_string()));
                        return;
                    }
                };
                let done = engine::sync(
                    &*store,
                    &Fetch,
                    jalon_core::records::RECORD_TYPES,
                    device,
                    &now(),
                )
                .await;
                if matches!(
                    done,
                    Err(engine::SyncFailure::Transport(TransportError::Refused(
                        410,
                        _
                    )))
                ) {
                    // Signed out from afar: the phone empties its store.
                    RUNNING.set(false);
                    spawn_local(signed_out_from_afar(handle));
                    return;
                }
                done.map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        };
        let synced = result.is_ok();
        // A worker's bilans are part of their sync: kept before it says "ok".
        if synced && !STAFF.get() {
            crate::local::papers::refresh().await;
        }
        finish(handle, result.map(|_| ()));
        if synced && STAFF.get() {
            crate::local::catalogue::refresh().await;
        }
        refresh(handle).await;
    }

    /// Empties the store of a phone signed out from afar, then opens the
    /// page that says so, with the number of unsent records dropped.
    async fn signed_out_from_afar(handle: SyncHandle) {
        let lost = match store().await {
            Ok(store) => store.outbox().await.map_or(0, |o| o.len()),
            Err(_) => 0,
        };
        wipe(handle).await;
        if let Some(window) = web_sys::window()
            && let Ok(location) = js_sys::Reflect::get(&window, &"location".into())
        {
            let to = format!("/appareils?retire={lost}");
            let _ = js_sys::Reflect::set(&location, &"href".into(), &to.into());
        }
    }

    /// One local write at a time, in the order asked: two quick taps on
    /// the same record never commit out of order.
    static WRITES: futures::lock::Mutex<()> = futures::lock::Mutex::new(());

    /// Waits for the local writes asked before this one.
    pub async fn write_turn() -> futures::lock::MutexGuard<'static, ()> {
        WRITES.lock().await
    }

    fn finish(handle: SyncHandle, result: Result<(), String>) {
        RUNNING.set(false);
        match result {
            Ok(()) => {
                FAILURES.set(0);
                handle.status.set(Status::Synced);
                NEXT_AT.set(js_sys::Date::now() + MINUTE_MS);
                if AGAIN.replace(false) {
                    spawn_local(run(handle));
                }
            }
            Err(message) => {
                let failures = FAILURES.get().saturating_add(1);
                FAILURES.set(failures);
                NEXT_AT.set(js_sys::Date::now() + super::backoff_ms(failures));
                AGAIN.set(false);
                handle.online.set(is_online());
                handle.status.set(Status::Failed(message));
            }
        }
    }

    fn listen_network(handle: SyncHandle) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let online = Closure::<dyn Fn()>::new(move || {
            handle.online.set(true);
            run_soon(handle);
        });
        let offline = Closure::<dyn Fn()>::new(move || handle.online.set(false));
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        let _ =
            window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        online.forget();
        offline.forget();
        handle.online.set(is_online());
    }

    /// Asks the browser not to evict Jalon's data under storage pressure.
    fn ask_persistence() {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Ok(storage) = js_sys::Reflect::get(&window.navigator(), &"storage".into())
            && !storage.is_undefined()
            && let Ok(manager) = storage.dyn_into::<web_sys::StorageManager>()
            && let Ok(promise) = manager.persist()
        {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}

/// How long to wait before the next automatic sync after `failures`
/// failures in a row: 5 s, 10 s, 20 s… at most 5 minutes.
pub fn backoff_ms(failures: u32) -> f64 {
    let doublings = failures.clamp(1, 7) - 1;
    (5_000.0 * f64::from(1u32 << doublings)).min(300_000.0)
}

/// The time on the phone's clock, `HH:MM`.
pub fn now_local_hhmm() -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new_0();
        format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().format("%H:%M").to_string()
    }
}

/// Today's date on the phone's calendar, `YYYY-MM-DD`.
/// Today on the phone as a date (the server's UTC day if it can't be read),
/// for the checks a form runs before saving.
pub fn today_date() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(&today_local(), "%Y-%m-%d")
        .unwrap_or_else(|_| chrono::Utc::now().date_naive())
}

pub fn today_local() -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new_0();
        format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().date_naive().to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn failures_back_off_from_five_seconds_to_five_minutes() {
        let delays: Vec<f64> = (1..=9).map(super::backoff_ms).collect();
        assert_eq!(
            delays,
            [5e3, 10e3, 20e3, 40e3, 80e3, 160e3, 300e3, 300e3, 300e3]
        );
        assert_eq!(super::backoff_ms(0), 5e3);
        assert_eq!(super::backoff_ms(u32::MAX), 300e3);
    }
}
