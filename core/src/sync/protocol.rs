//! The sync protocol's messages, shared by the phone and the server.
//! Version 1, served under `/api/sync/v1/`; described in `docs/sync.md` and
//! by `/api/openapi.json`.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const PROTOCOL_VERSION: u32 = 1;
/// Most mutations one push may carry; a larger batch is refused with 413.
pub const MAX_BATCH: usize = 500;
/// Mutations the phone puts in one push.
pub const PUSH_BATCH: usize = 200;
/// Largest request body the sync endpoints read (bytes).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Most records one pull page returns.
pub const PULL_PAGE: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Create,
    Update,
    Delete,
}

/// One change made on a phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// Client-generated UUIDv7; the server applies each id once per device.
    pub id: Uuid,
    pub record_type: String,
    /// Version of the record type's data layout.
    pub schema: u32,
    /// Client-generated UUIDv7 of the record.
    pub record_id: Uuid,
    pub op: Op,
    /// The server version this change was based on (0 for a creation).
    pub base_version: i64,
    /// The record's fields (ignored for a deletion).
    #[serde(default)]
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: Uuid,
    /// Increases with every push of the device; an older batch arriving late
    /// is refused (409) so it can't undo a newer one.
    pub batch: i64,
    pub mutations: Vec<Mutation>,
    /// The smallest mutation id still in the device's outbox (this batch's
    /// included). The server forgets the answers it kept for this device's
    /// smaller ids: those changes left the outbox, so they are never sent
    /// again. Absent: the server keeps every answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox_from: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    NotAllowed,
    Invalid,
    /// The record changed on the server since `base_version`: the server kept
    /// this version beside the current one, for a person to choose.
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Applied {
        version: i64,
    },
    Rejected {
        reason: RejectReason,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub mutation_id: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub acks: Vec<Ack>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The last `cursor` received (0 at first).
    pub cursor: i64,
    /// Fingerprint of the set of workers the phone holds records for.
    #[serde(default)]
    pub scope: String,
    /// Fingerprint of the worker list the phone holds.
    #[serde(default)]
    pub roster: String,
    #[serde(default)]
    pub limit: Option<usize>,
    /// The phone's install: the server notes when it last synced, how far
    /// it has pulled and how many changes wait on it, and tells a device
    /// signed out from afar to empty its store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
    /// Changes waiting on the phone (refused ones included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<u32>,
    /// The phone got `reset: true` earlier in this same pull and holds only
    /// what the pages since then brought: a cursor below the pruned horizon
    /// is then its progress through the start-over, not a sign of missed
    /// deletions, and the next page follows on instead of starting over again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub starting_over: bool,
}

/// A version of a record kept beside the current one after a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictVersion {
    pub data: serde_json::Value,
    pub author_name: String,
    pub at: String,
}

/// A record as the server holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerRecord {
    pub record_type: String,
    pub id: Uuid,
    pub version: i64,
    pub seq: i64,
    pub deleted: bool,
    pub worker_id: String,
    pub author_id: String,
    pub author_name: String,
    pub updated_at: String,
    pub data: serde_json::Value,
    #[serde(default)]
    pub conflicts: Vec<ConflictVersion>,
}

/// A worker as the phone lists them (names, team), for offline reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerCard {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub team: Option<String>,
    /// The team's id (absent from rosters stored before attendance).
    #[serde(default)]
    pub team_id: Option<String>,
    pub ended: bool,
    /// Whether the user may write records about this worker.
    pub writable: bool,
}

impl WorkerCard {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Records changed after the request's cursor, in server order;
    /// deletions come as records with `deleted: true` (tombstones).
    pub records: Vec<ServerRecord>,
    pub cursor: i64,
    /// More changes wait: pull again with the new cursor.
    pub more: bool,
    /// What the user may see changed: drop the records held and start over.
    pub reset: bool,
    pub scope: String,
    pub roster: String,
    /// The full worker list, when it differs from the phone's `roster`.
    pub workers: Option<Vec<WorkerCard>>,
}

/// Body of every 4xx/5xx answer of the sync endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable code: `malformed`, `unknown_record_type`, `unsupported_schema`,
    /// `batch_too_large`, `not_visible`, `stale_batch`, `not_signed_in`,
    /// `device_revoked` (410: the phone empties its store)…
    pub error: String,
    /// A French sentence for the user.
    pub message: String,
    /// The mutation the refusal is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutation_id: Option<Uuid>,
    /// For `stale_batch`: the last batch number the server applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_batch: Option<i64>,
}
