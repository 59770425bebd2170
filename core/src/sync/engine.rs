//! The phone's side of the sync, as plain Rust: local writes with their
//! outbox entries, pushes in batches, acknowledgements, pulls with a cursor,
//! conflicts. It talks to storage and network through two small traits, so
//! the same code runs in the browser (IndexedDB, fetch) and in native tests
//! (memory, the real server logic behind a faulty network).
#![allow(async_fn_in_trait)]
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::protocol::*;

/// Where a record is, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RecordState {
    /// Written here, not yet acknowledged by the server.
    Local,
    /// On the server.
    Sent,
    /// The server refused it; it stays here until its owner acts.
    Rejected {
        reason: RejectReason,
        message: String,
    },
    /// Two versions exist; someone must choose.
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalRecord {
    pub record_type: String,
    pub id: Uuid,
    pub worker_id: String,
    pub data: Value,
    /// The last server version known here (0: never reached the server).
    pub version: i64,
    /// Deleted here, deletion not yet acknowledged: hidden from lists.
    pub deleted: bool,
    pub state: RecordState,
    pub author_id: String,
    pub author_name: String,
    pub updated_at: String,
    #[serde(default)]
    pub conflicts: Vec<ConflictVersion>,
}

/// A change waiting for the server. At most one per record: a new change
/// of the same record replaces it (with a new mutation id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub mutation: Mutation,
    pub queued_at: String,
    /// How many pushes carried it.
    pub attempts: u32,
    /// The server's refusal, if any: not sent again until its owner acts.
    pub rejected: Option<(RejectReason, String)>,
}

impl OutboxEntry {
    pub fn key(&self) -> (String, Uuid) {
        (self.mutation.record_type.clone(), self.mutation.record_id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncMeta {
    pub device_id: Uuid,
    /// The last push batch number used.
    pub batch: i64,
    pub cursor: i64,
    pub scope: String,
    pub roster: String,
    pub last_sync: Option<String>,
}

impl SyncMeta {
    pub fn new(device_id: Uuid) -> Self {
        SyncMeta {
            device_id,
            batch: 0,
            cursor: 0,
            scope: String::new(),
            roster: String::new(),
            last_sync: None,
        }
    }
}

/// One write of an atomic commit.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    PutRecord(LocalRecord),
    DeleteRecord { record_type: String, id: Uuid },
    PutOutbox(OutboxEntry),
    DeleteOutbox { record_type: String, id: Uuid },
    PutMeta(SyncMeta),
    PutWorkers(Vec<WorkerCard>),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("Le stockage du téléphone a échoué : {0}")]
pub struct StoreError(pub String);

/// A record and its waiting change, as `Store::load` returns them.
pub type Loaded = (Option<LocalRecord>, Option<OutboxEntry>);

/// The phone's storage. `commit` applies all its writes or none.
pub trait Store {
    async fn meta(&self) -> Result<Option<SyncMeta>, StoreError>;
    async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError>;
    async fn outbox_entry(
        &self,
        record_type: &str,
        id: Uuid,
    ) -> Result<Option<OutboxEntry>, StoreError>;
    async fn record(&self, record_type: &str, id: Uuid) -> Result<Option<LocalRecord>, StoreError>;
    async fn records(&self, record_type: &str) -> Result<Vec<LocalRecord>, StoreError>;
    /// The records and outbox entries of these keys, read together.
    async fn load(&self, keys: &[(String, Uuid)]) -> Result<Vec<Loaded>, StoreError>;
    async fn workers(&self) -> Result<Vec<WorkerCard>, StoreError>;
    async fn commit(&self, writes: Vec<Write>) -> Result<(), StoreError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransportError {
    #[error("Pas de réseau.")]
    Offline,
    #[error("{}", .1.message)]
    Refused(u16, ApiError),
    #[error("Réponse du serveur illisible ({0}).")]
    BadResponse(String),
}

pub trait Transport {
    async fn push(&self, req: &PushRequest) -> Result<PushResponse, TransportError>;
    async fn pull(&self, req: &PullRequest) -> Result<PullResponse, TransportError>;
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyncFailure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    pub sent: usize,
    pub rejected: usize,
    pub received: usize,
}

/// The phone's sync metadata, created with `device_id` on first use.
pub async fn meta_or_new(store: &impl Store, device_id: Uuid) -> Result<SyncMeta, StoreError> {
    Ok(store
        .meta()
        .await?
        .unwrap_or_else(|| SyncMeta::new(device_id)))
}

/// What a local write needs to know.
pub struct Change<'a> {
    pub record_type: &'a str,
    pub schema: u32,
    pub id: Uuid,
    pub worker_id: &'a str,
    pub data: Value,
    pub author_id: &'a str,
    pub author_name: &'a str,
    pub now: &'a str,
}

/// Saves a record on the phone and queues its change, in one commit.
pub async fn save(store: &impl Store, change: Change<'_>) -> Result<LocalRecord, StoreError> {
    let mut saved = save_all(store, vec![change]).await?;
    saved
        .pop()
        .ok_or_else(|| StoreError("rien à enregistrer".into()))
}

/// Saves several records and queues their changes, all in one commit (a
/// whole roll call is written at once, or not at all).
pub async fn save_all(
    store: &impl Store,
    changes: Vec<Change<'_>>,
) -> Result<Vec<LocalRecord>, StoreError> {
    let mut writes = Vec::with_capacity(changes.len() * 2);
    let mut saved = Vec::with_capacity(changes.len());
    for change in changes {
        let existing = store.record(change.record_type, change.id).await?;
        let entry = store.outbox_entry(change.record_type, change.id).await?;
        let (record, entry) = prepare(existing, entry, change);
        saved.push(record.clone());
        writes.push(Write::PutRecord(record));
        writes.push(Write::PutOutbox(entry));
    }
    store.commit(writes).await?;
    Ok(saved)
}

/// The record as it will show, and its outbox entry (one per record: a new
/// change replaces the waiting one, keeping its operation and base).
fn prepare(
    existing: Option<LocalRecord>,
    entry: Option<OutboxEntry>,
    change: Change<'_>,
) -> (LocalRecord, OutboxEntry) {
    let version = existing.as_ref().map_or(0, |r| r.version);
    let (op, base_version) = match &entry {
        Some(e) => (e.mutation.op, e.mutation.base_version),
        None if version == 0 => (Op::Create, 0),
        None => (Op::Update, version),
    };
    let op = if op == Op::Delete { Op::Update } else { op };
    let record = LocalRecord {
        record_type: change.record_type.into(),
        id: change.id,
        worker_id: change.worker_id.into(),
        data: change.data.clone(),
        version,
        deleted: false,
        state: RecordState::Local,
        author_id: existing
            .as_ref()
            .map_or_else(|| change.author_id.to_string(), |r| r.author_id.clone()),
        author_name: existing
            .as_ref()
            .map_or_else(|| change.author_name.to_string(), |r| r.author_name.clone()),
        updated_at: change.now.into(),
        // Any new version settles a conflict: the server clears it too.
        conflicts: Vec::new(),
    };
    let entry = OutboxEntry {
        mutation: Mutation {
            id: Uuid::now_v7(),
            record_type: change.record_type.into(),
            schema: change.schema,
            record_id: change.id,
            op,
            base_version,
            data: change.data,
        },
        queued_at: change.now.into(),
        attempts: 0,
        rejected: None,
    };
    (record, entry)
}

/// Deletes a record here and queues the deletion; a record that never left
/// the phone simply disappears.
pub async fn delete(
    store: &impl Store,
    record_type: &str,
    schema: u32,
    id: Uuid,
    now: &str,
) -> Result<(), StoreError> {
    let Some(mut record) = store.record(record_type, id).await? else {
        return Ok(());
    };
    let entry = store.outbox_entry(record_type, id).await?;
    let never_sent = record.version == 0 && entry.as_ref().is_none_or(|e| e.attempts == 0);
    if never_sent {
        return store
            .commit(vec![
                Write::DeleteRecord {
                    record_type: record_type.into(),
                    id,
                },
                Write::DeleteOutbox {
                    record_type: record_type.into(),
                    id,
                },
            ])
            .await;
    }
    let base_version = entry
        .as_ref()
        .map_or(record.version, |e| e.mutation.base_version);
    record.deleted = true;
    record.state = RecordState::Local;
    record.updated_at = now.into();
    let entry = OutboxEntry {
        mutation: Mutation {
            id: Uuid::now_v7(),
            record_type: record_type.into(),
            schema,
            record_id: id,
            op: Op::Delete,
            base_version,
            data: Value::Null,
        },
        queued_at: now.into(),
        attempts: 0,
        rejected: None,
    };
    store
        .commit(vec![Write::PutRecord(record), Write::PutOutbox(entry)])
        .await
}

/// Sends a refused change again (for instance after an access was fixed).
pub async fn retry(store: &impl Store, record_type: &str, id: Uuid) -> Result<(), StoreError> {
    let Some(mut entry) = store.outbox_entry(record_type, id).await? else {
        return Ok(());
    };
    entry.rejected = None;
    entry.mutation.id = Uuid::now_v7();
    let mut writes = vec![Write::PutOutbox(entry)];
    if let Some(mut record) = store.record(record_type, id).await? {
        record.state = RecordState::Local;
        writes.push(Write::PutRecord(record));
    }
    store.commit(writes).await
}

/// Gives up a refused change: the phone goes back to the server's copy
/// (fetched again by the next sync).
pub async fn discard(store: &impl Store, record_type: &str, id: Uuid) -> Result<(), StoreError> {
    let mut writes = vec![
        Write::DeleteOutbox {
            record_type: record_type.into(),
            id,
        },
        Write::DeleteRecord {
            record_type: record_type.into(),
            id,
        },
    ];
    if let Some(mut meta) = store.meta().await? {
        // Forces a full pull, which brings the server's copy back if any.
        meta.scope.clear();
        writes.push(Write::PutMeta(meta));
    }
    store.commit(writes).await
}

/// Pending changes, oldest first, and the oldest one's queue time.
pub async fn waiting(store: &impl Store) -> Result<(usize, Option<String>), StoreError> {
    let outbox = store.outbox().await?;
    let pending: Vec<&OutboxEntry> = outbox.iter().filter(|e| e.rejected.is_none()).collect();
    let oldest = pending.iter().map(|e| e.queued_at.clone()).min();
    Ok((pending.len(), oldest))
}

/// One full sync: push everything waiting, then pull until up to date.
///
/// `record_types`: every type the phone keeps (`records::RECORD_TYPES` in the
/// app); a reset answer from the server forgets the records of each.
pub async fn sync(
    store: &impl Store,
    transport: &impl Transport,
    record_types: &[&str],
    device_id: Uuid,
    now: &str,
) -> Result<SyncReport, SyncFailure> {
    let mut report = SyncReport::default();
    push_all(store, transport, device_id, &mut report).await?;
    pull_all(store, transport, record_types, device_id, now, &mut report).await?;
    Ok(report)
}

async fn push_all(
    store: &impl Store,
    transport: &impl Transport,
    device_id: Uuid,
    report: &mut SyncReport,
) -> Result<(), SyncFailure> {
    let mut sends = 0;
    // Each round sends what waited when it began; changes made meanwhile go
    // in the next round.
    loop {
        let mut queue: Vec<OutboxEntry> = store
            .outbox()
            .await?
            .into_iter()
            .filter(|e| e.rejected.is_none())
            .collect();
        if queue.is_empty() {
            return Ok(());
        }
        queue.sort_by_key(|e| e.mutation.id);
        let limit = sends + queue.len() / PUSH_BATCH + 20;
        let mut queue = std::collections::VecDeque::from(queue);
        while !queue.is_empty() {
            sends += 1;
            if sends > limit {
                return Err(TransportError::BadResponse("envoi sans fin".into()).into());
            }
            let count = queue.len().min(PUSH_BATCH);
            let chunk: Vec<OutboxEntry> = queue.drain(..count).collect();
            let retry = push_batch(store, transport, device_id, chunk, report).await?;
            for entry in retry.into_iter().rev() {
                queue.push_front(entry);
            }
        }
    }
}

/// Sends one batch; returns the entries to send again (after a stale batch
/// number, or without the one mutation the server refused).
async fn push_batch(
    store: &impl Store,
    transport: &impl Transport,
    device_id: Uuid,
    mut batch: Vec<OutboxEntry>,
    report: &mut SyncReport,
) -> Result<Vec<OutboxEntry>, SyncFailure> {
    // The batch number and attempts are stored before anything is sent.
    let mut meta = meta_or_new(store, device_id).await?;
    meta.batch += 1;
    let mut writes = vec![Write::PutMeta(meta.clone())];
    for entry in &mut batch {
        entry.attempts += 1;
        writes.push(Write::PutOutbox(entry.clone()));
    }
    store.commit(writes).await?;
    // Every change still queued here, this batch's included: the server may
    // forget its answers for anything older (see `PushRequest::outbox_from`).
    let outbox_from = store
        .outbox()
        .await?
        .iter()
        .chain(&batch)
        .map(|e| e.mutation.id)
        .min();
    let req = PushRequest {
        device_id: meta.device_id,
        batch: meta.batch,
        mutations: batch.iter().map(|e| e.mutation.clone()).collect(),
        outbox_from,
    };
    match transport.push(&req).await {
        Ok(res) => {
            apply_acks(store, &batch, &res.acks, report).await?;
            Ok(Vec::new())
        }
        Err(TransportError::Refused(409, body)) if body.last_batch.is_some() => {
            meta.batch = body.last_batch.unwrap_or(meta.batch);
            store.commit(vec![Write::PutMeta(meta)]).await?;
            Ok(batch)
        }
        Err(TransportError::Refused(status, body))
            if body.mutation_id.is_some() && (status == 403 || status == 422) =>
        {
            let reason = if status == 403 {
                RejectReason::NotAllowed
            } else {
                RejectReason::Invalid
            };
            let refused = body.mutation_id.unwrap_or_default();
            let ack = Ack {
                mutation_id: refused,
                outcome: Outcome::Rejected {
                    reason,
                    message: body.message,
                },
            };
            apply_acks(store, &batch, &[ack], report).await?;
            batch.retain(|e| e.mutation.id != refused);
            Ok(batch)
        }
        Err(err) => Err(err.into()),
    }
}

async fn apply_acks(
    store: &impl Store,
    sent: &[OutboxEntry],
    acks: &[Ack],
    report: &mut SyncReport,
) -> Result<(), StoreError> {
    let by_id: HashMap<Uuid, &OutboxEntry> = sent.iter().map(|e| (e.mutation.id, e)).collect();
    let acked: Vec<(&Ack, &OutboxEntry)> = acks
        .iter()
        .filter_map(|a| by_id.get(&a.mutation_id).map(|e| (a, *e)))
        .collect();
    let keys: Vec<(String, Uuid)> = acked.iter().map(|(_, e)| e.key()).collect();
    let loaded = store.load(&keys).await?;
    let mut writes = Vec::new();
    for ((ack, sent), (record, current)) in acked.into_iter().zip(loaded) {
        let (record_type, id) = sent.key();
        // Changed again meanwhile: the newer change stays queued.
        let superseded = current
            .as_ref()
            .is_none_or(|c| c.mutation.id != ack.mutation_id);
        match &ack.outcome {
            Outcome::Applied { version } => {
                report.sent += 1;
                if !superseded {
                    writes.push(Write::DeleteOutbox {
                        record_type: record_type.clone(),
                        id,
                    });
                }
                match record {
                    Some(r) if r.deleted && !superseded => {
                        writes.push(Write::DeleteRecord { record_type, id })
                    }
                    Some(mut r) => {
                        r.version = r.version.max(*version);
                        if !superseded {
                            r.state = RecordState::Sent;
                        }
                        writes.push(Write::PutRecord(r));
                    }
                    None => {}
                }
            }
            Outcome::Rejected { reason, message } => {
                report.rejected += 1;
                if superseded {
                    continue;
                }
                if *reason == RejectReason::Conflict {
                    // The server kept this version beside its own: nothing
                    // is lost; the next pull shows both.
                    writes.push(Write::DeleteOutbox {
                        record_type: record_type.clone(),
                        id,
                    });
                    if let Some(mut r) = record {
                        r.state = RecordState::Conflict;
                        r.deleted = false;
                        writes.push(Write::PutRecord(r));
                    }
                } else {
                    let mut entry = sent.clone();
                    entry.rejected = Some((*reason, message.clone()));
                    writes.push(Write::PutOutbox(entry));
                    if let Some(mut r) = record {
                        r.state = RecordState::Rejected {
                            reason: *reason,
                            message: message.clone(),
                        };
                        r.deleted = false;
                        writes.push(Write::PutRecord(r));
                    }
                }
            }
        }
    }
    store.commit(writes).await
}

async fn pull_all(
    store: &impl Store,
    transport: &impl Transport,
    record_types: &[&str],
    device_id: Uuid,
    now: &str,
    report: &mut SyncReport,
) -> Result<(), SyncFailure> {
    // Set once a page came with `reset: true`: the following pages of this
    // pull go on from its cursor, even below the server's pruned horizon. A
    // pull cut off half-way starts over again next time (the flag is not kept).
    let mut starting_over = false;
    loop {
        let mut meta = meta_or_new(store, device_id).await?;
        let waiting = store.outbox().await?.len();
        let req = PullRequest {
            cursor: meta.cursor,
            scope: meta.scope.clone(),
            roster: meta.roster.clone(),
            limit: None,
            device_id: Some(meta.device_id),
            pending: Some(u32::try_from(waiting).unwrap_or(u32::MAX)),
            starting_over,
        };
        let res = transport.pull(&req).await?;
        starting_over |= res.reset;
        let outbox: HashMap<(String, Uuid), OutboxEntry> = store
            .outbox()
            .await?
            .into_iter()
            .map(|e| (e.key(), e))
            .collect();
        let mut writes = Vec::new();
        if res.reset {
            for record_type in record_types {
                for r in store.records(record_type).await? {
                    if !outbox.contains_key(&(r.record_type.clone(), r.id)) {
                        writes.push(Write::DeleteRecord {
                            record_type: r.record_type,
                            id: r.id,
                        });
                    }
                }
            }
        }
        for r in res.records {
            report.received += 1;
            if outbox.contains_key(&(r.record_type.clone(), r.id)) {
                // A local change waits: it stays on screen until acknowledged.
                continue;
            }
            if r.deleted {
                writes.push(Write::DeleteRecord {
                    record_type: r.record_type,
                    id: r.id,
                });
                continue;
            }
            let state = if r.conflicts.is_empty() {
                RecordState::Sent
            } else {
                RecordState::Conflict
            };
            writes.push(Write::PutRecord(LocalRecord {
                record_type: r.record_type,
                id: r.id,
                worker_id: r.worker_id,
                data: r.data,
                version: r.version,
                deleted: false,
                state,
                author_id: r.author_id,
                author_name: r.author_name,
                updated_at: r.updated_at,
                conflicts: r.conflicts,
            }));
        }
        if let Some(workers) = res.workers {
            writes.push(Write::PutWorkers(workers));
        }
        // The cursor is stored in the same commit as the data it covers.
        meta.cursor = res.cursor;
        meta.scope = res.scope;
        meta.roster = res.roster;
        meta.last_sync = Some(now.into());
        writes.push(Write::PutMeta(meta));
        store.commit(writes).await?;
        if !res.more {
            return Ok(());
        }
    }
}
