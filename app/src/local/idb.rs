//! The phone's `Store`: IndexedDB through `rexie`. One object store per
//! synced record type, the outbox, the worker list, and `meta` (sync state,
//! the signed-in person). Every `commit` is one IndexedDB transaction.
//!
//! Layout versions (upgrades are additive; IndexedDB keeps existing stores):
//! 1. `meta`, `outbox`, `observation`
//! 2. adds `workers` (offline reading of the worker list)
//! 3. adds `attendance` (the roll call)
//! 4. adds `evaluation` (learning sessions); `meta` also keeps the
//!    `catalogue` (frameworks and session plans, for starting a session offline)
//! 5. adds `objective` and `objective_reaction` (progression objectives)
//! 6. adds `welcome_step`, `equipment`, `equipment_receipt` and `briefing`
//!    (the worksite)
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use jalon_core::roles::CurrentUser;
use jalon_core::sync::engine::*;
use jalon_core::sync::protocol::WorkerCard;

pub const DB_NAME: &str = "jalon";
pub const DB_VERSION: u32 = 6;
const META: &str = "meta";
const OUTBOX: &str = "outbox";
const WORKERS: &str = "workers";

fn err(e: impl std::fmt::Debug) -> StoreError {
    StoreError(format!("{e:?}"))
}

/// Values go in as plain JS objects, through JSON: the browser's own
/// `JSON.parse` and `JSON.stringify` and the serde_json the app already
/// carries (no second serde format in the bundle).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(value).map_err(err)?;
    js_sys::JSON::parse(&text).map_err(err)
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, StoreError> {
    let text: String = js_sys::JSON::stringify(&value).map_err(err)?.into();
    serde_json::from_str(&text).map_err(err)
}

fn outbox_key(record_type: &str, id: Uuid) -> JsValue {
    JsValue::from_str(&format!("{record_type}/{id}"))
}

/// One IndexedDB request of a commit.
enum Op {
    Put(JsValue, JsValue),
    Delete(JsValue),
    Clear,
}

fn all_stores() -> Vec<&'static str> {
    let mut names = vec![META, OUTBOX, WORKERS];
    names.extend(jalon_core::records::RECORD_TYPES.iter().copied());
    names
}

pub struct IdbStore {
    db: Rexie,
}

impl IdbStore {
    pub async fn open() -> Result<IdbStore, StoreError> {
        let mut builder = Rexie::builder(DB_NAME).version(DB_VERSION);
        for name in all_stores() {
            builder = builder.add_object_store(ObjectStore::new(name));
        }
        Ok(IdbStore {
            db: builder.build().await.map_err(err)?,
        })
    }

    async fn get<T: DeserializeOwned>(
        &self,
        store: &str,
        key: JsValue,
    ) -> Result<Option<T>, StoreError> {
        let tx = self
            .db
            .transaction(&[store], TransactionMode::ReadOnly)
            .map_err(err)?;
        let value = tx.store(store).map_err(err)?.get(key).await.map_err(err)?;
        value.filter(|v| !v.is_undefined()).map(from_js).transpose()
    }

    async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, StoreError> {
        let tx = self
            .db
            .transaction(&[store], TransactionMode::ReadOnly)
            .map_err(err)?;
        let values = tx
            .store(store)
            .map_err(err)?
            .get_all(None, None)
            .await
            .map_err(err)?;
        values.into_iter().map(from_js).collect()
    }

    /// The person whose data this phone holds.
    pub async fn owner(&self) -> Result<Option<CurrentUser>, StoreError> {
        self.get(META, JsValue::from_str("user")).await
    }

    pub async fn set_owner(&self, user: &CurrentUser) -> Result<(), StoreError> {
        self.put_meta("user", user).await
    }

    /// A value kept in `meta` under `key` (not synced; emptied on sign-out).
    pub async fn meta_value<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        self.get(META, JsValue::from_str(key)).await
    }

    pub async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[META], TransactionMode::ReadWrite)
            .map_err(err)?;
        tx.store(META)
            .map_err(err)?
            .put(&to_js(value)?, Some(&JsValue::from_str(key)))
            .await
            .map_err(err)?;
        tx.done().await.map_err(err)?;
        Ok(())
    }

    /// Empties every store: the phone forgets this person's data.
    pub async fn wipe(&self) -> Result<(), StoreError> {
        let names = all_stores();
        let tx = self
            .db
            .transaction(&names, TransactionMode::ReadWrite)
            .map_err(err)?;
        for name in names {
            tx.store(name).map_err(err)?.clear().await.map_err(err)?;
        }
        tx.done().await.map_err(err)?;
        Ok(())
    }
}

impl Store for IdbStore {
    async fn meta(&self) -> Result<Option<SyncMeta>, StoreError> {
        self.get(META, JsValue::from_str("sync")).await
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut entries: Vec<OutboxEntry> = self.all(OUTBOX).await?;
        entries.sort_by_key(|e| e.mutation.id);
        Ok(entries)
    }

    async fn outbox_entry(
        &self,
        record_type: &str,
        id: Uuid,
    ) -> Result<Option<OutboxEntry>, StoreError> {
        self.get(OUTBOX, outbox_key(record_type, id)).await
    }

    async fn record(&self, record_type: &str, id: Uuid) -> Result<Option<LocalRecord>, StoreError> {
        self.get(record_type, JsValue::from_str(&id.to_string()))
            .await
    }

    async fn records(&self, record_type: &str) -> Result<Vec<LocalRecord>, StoreError> {
        self.all(record_type).await
    }

    async fn load(&self, keys: &[(String, Uuid)]) -> Result<Vec<Loaded>, StoreError> {
        let tx = self
            .db
            .transaction(&all_stores(), TransactionMode::ReadOnly)
            .map_err(err)?;
        let outbox = tx.store(OUTBOX).map_err(err)?;
        let mut reads = Vec::with_capacity(keys.len());
        for (record_type, id) in keys {
            let records = tx.store(record_type).map_err(err)?;
            let outbox = &outbox;
            reads.push(async move {
                let record = records.get(JsValue::from_str(&id.to_string())).await?;
                let entry = outbox.get(outbox_key(record_type, *id)).await?;
                Ok::<_, rexie::Error>((record, entry))
            });
        }
        let found = futures::future::try_join_all(reads).await.map_err(err)?;
        let present = |v: Option<JsValue>| v.filter(|v| !v.is_undefined());
        found
            .into_iter()
            .map(|(record, entry)| {
                Ok((
                    present(record).map(from_js).transpose()?,
                    present(entry).map(from_js).transpose()?,
                ))
            })
            .collect()
    }

    async fn workers(&self) -> Result<Vec<WorkerCard>, StoreError> {
        self.all(WORKERS).await
    }

    async fn commit(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        if writes.is_empty() {
            return Ok(());
        }
        let mut ops: Vec<(&str, Op)> = Vec::with_capacity(writes.len());
        for write in &writes {
            match write {
                Write::PutRecord(r) => ops.push((
                    &r.record_type,
                    Op::Put(JsValue::from_str(&r.id.to_string()), to_js(r)?),
                )),
                Write::DeleteRecord { record_type, id } => {
                    ops.push((record_type, Op::Delete(JsValue::from_str(&id.to_string()))))
                }
                Write::PutOutbox(e) => ops.push((
                    OUTBOX,
                    Op::Put(
                        outbox_key(&e.mutation.record_type, e.mutation.record_id),
                        to_js(e)?,
                    ),
                )),
                Write::DeleteOutbox { record_type, id } => {
                    ops.push((OUTBOX, Op::Delete(outbox_key(record_type, *id))))
                }
                Write::PutMeta(m) => {
                    ops.push((META, Op::Put(JsValue::from_str("sync"), to_js(m)?)))
                }
                Write::PutWorkers(workers) => {
                    ops.push((WORKERS, Op::Clear));
                    for w in workers {
                        ops.push((WORKERS, Op::Put(JsValue::from_str(&w.id), to_js(w)?)));
                    }
                }
            }
        }
        let tx = self
            .db
            .transaction(&all_stores(), TransactionMode::ReadWrite)
            .map_err(err)?;
        // Every request is issued at once, in order (IndexedDB runs them in
        // the order issued), then awaited together; nothing else is awaited
        // inside the transaction.
        let mut requests = Vec::with_capacity(ops.len());
        for (name, op) in &ops {
            let store = tx.store(name).map_err(err)?;
            requests.push(async move {
                match op {
                    Op::Put(key, value) => store.put(value, Some(key)).await.map(|_| ()),
                    Op::Delete(key) => store.delete(key.clone()).await,
                    Op::Clear => store.clear().await,
                }
            });
        }
        futures::future::try_join_all(requests).await.map_err(err)?;
        tx.done().await.map_err(err)?;
        Ok(())
    }
}
