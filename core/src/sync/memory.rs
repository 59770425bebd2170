//! A `Store` in memory, for native tests: the same engine as the phone's,
//! without a browser.
use std::cell::RefCell;
use std::collections::BTreeMap;

use uuid::Uuid;

use super::engine::*;
use super::protocol::WorkerCard;

#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    inner: RefCell<Inner>,
}

#[derive(Debug, Default, Clone)]
struct Inner {
    meta: Option<SyncMeta>,
    records: BTreeMap<(String, Uuid), LocalRecord>,
    outbox: BTreeMap<(String, Uuid), OutboxEntry>,
    workers: Vec<WorkerCard>,
}

impl MemoryStore {
    /// Records shown to the user (not deleted), of one type.
    pub fn visible(&self, record_type: &str) -> Vec<LocalRecord> {
        self.inner
            .borrow()
            .records
            .values()
            .filter(|r| r.record_type == record_type && !r.deleted)
            .cloned()
            .collect()
    }
}

impl Store for MemoryStore {
    async fn meta(&self) -> Result<Option<SyncMeta>, StoreError> {
        Ok(self.inner.borrow().meta.clone())
    }

    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        Ok(self.inner.borrow().outbox.values().cloned().collect())
    }

    async fn outbox_entry(
        &self,
        record_type: &str,
        id: Uuid,
    ) -> Result<Option<OutboxEntry>, StoreError> {
        Ok(self
            .inner
            .borrow()
            .outbox
            .get(&(record_type.to_string(), id))
            .cloned())
    }

    async fn record(&self, record_type: &str, id: Uuid) -> Result<Option<LocalRecord>, StoreError> {
        Ok(self
            .inner
            .borrow()
            .records
            .get(&(record_type.to_string(), id))
            .cloned())
    }

    async fn records(&self, record_type: &str) -> Result<Vec<LocalRecord>, StoreError> {
        Ok(self
            .inner
            .borrow()
            .records
            .values()
            .filter(|r| r.record_type == record_type)
            .cloned()
            .collect())
    }

    async fn load(&self, keys: &[(String, Uuid)]) -> Result<Vec<Loaded>, StoreError> {
        let inner = self.inner.borrow();
        Ok(keys
            .iter()
            .map(|k| (inner.records.get(k).cloned(), inner.outbox.get(k).cloned()))
            .collect())
    }

    async fn workers(&self) -> Result<Vec<WorkerCard>, StoreError> {
        Ok(self.inner.borrow().workers.clone())
    }

    async fn commit(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        for write in writes {
            match write {
                Write::PutRecord(r) => {
                    inner.records.insert((r.record_type.clone(), r.id), r);
                }
                Write::DeleteRecord { record_type, id } => {
                    inner.records.remove(&(record_type, id));
                }
                Write::PutOutbox(e) => {
                    inner.outbox.insert(e.key(), e);
                }
                Write::DeleteOutbox { record_type, id } => {
                    inner.outbox.remove(&(record_type, id));
                }
                Write::PutMeta(m) => inner.meta = Some(m),
                Write::PutWorkers(w) => inner.workers = w,
            }
        }
        Ok(())
    }
}
