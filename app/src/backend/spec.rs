//! What the sync server needs to know of a record type: its table, its
//! fields, how it is checked, who may read and write it. Each type's spec is
//! in `specs/`; the registry there lists them.
use chrono::NaiveDate;
use serde_json::Value;
use uuid::Uuid;

use jalon_core::records::Record;

use crate::backend::policy::{Actor, WorkerRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Integer,
    Bool,
    /// JSON kept as text (`null` for none).
    Json,
}

/// Data fit to store, and the worker it is about.
pub type Validated = (Value, String);

/// What the sync machinery needs to know about one record type.
pub struct RecordSpec {
    /// The `record_type` of the protocol.
    pub name: &'static str,
    /// The data layout version the server accepts.
    pub schema: u32,
    /// Its table: the common columns (see migration 0003) plus `fields`.
    pub table: &'static str,
    pub fields: &'static [(&'static str, FieldType)],
    /// Checks and normalises a mutation's data; `Ok` holds the data to store
    /// and the worker it is about, `Err` a French sentence.
    pub validate: fn(&Value, NaiveDate) -> Result<Validated, String>,
    /// Whether someone who may view a worker's file may read this record
    /// (its author's id and its data). A record they may not read reaches
    /// their phone as a bare tombstone, so it leaves phones that had it.
    pub readable: fn(&Actor, &WorkerRef, &str, &Value) -> bool,
    /// Columns written only by the server (staff follow-up: acknowledged,
    /// seen, replies), sent with the data on pulls, never to workers, never
    /// taken from a push.
    pub server_fields: &'static [(&'static str, FieldType)],
    /// Records whose delivery to a phone other than their author's is
    /// written to the audit log (sensitive observations).
    pub audited: fn(&Value) -> bool,
    /// For records keyed by their content (one per worker and slot, like a
    /// day's attendance): the id the data must carry. Such records are
    /// shared: anyone who may write in the worker's file may change them, a
    /// creation on an existing (or deleted) record is a change of it, and
    /// two phones writing the same content agree without a conflict.
    pub slot_id: Option<fn(&Value) -> Option<Uuid>>,
    /// Keep every version in `record_history` (who, when, what it replaced, why).
    pub history: bool,
    /// Who may write records of this type.
    pub writers: Writers,
    /// The data as a worker's phone receives it (staff-only parts removed);
    /// `None`: as stored.
    pub for_worker: Option<fn(&Value) -> Value>,
    /// New records that counsellors are told of by e-mail (alerts; see
    /// `backend::alert_mail`).
    pub tells_counsellors: fn(&Value) -> bool,
}

/// Who may create and change the records of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writers {
    /// Anyone who may write in the worker's file creates them; only their
    /// author (or the admin) changes them afterwards.
    Author,
    /// Anyone who may write in the worker's file creates and changes them
    /// (shared records: a day's attendance, an objective).
    FileWriters,
    /// The worker themself, about their own file (`Action::React`); only
    /// they change them afterwards.
    TheWorker,
}

/// The usual `validate` of a spec: reads the data as the type's fields
/// (`Record::UNREADABLE`, a French sentence, if it can't), runs the type's own
/// checks (the ones its form runs), and returns the clean data and its worker.
pub fn validate_as<T: Record>(data: &Value, today: NaiveDate) -> Result<Validated, String> {
    let input: T = serde_json::from_value(data.clone()).map_err(|_| T::UNREADABLE.to_string())?;
    let clean = input.check(today)?;
    let worker_id = clean.worker_id().to_string();
    let value = serde_json::to_value(clean).map_err(|e| e.to_string())?;
    Ok((value, worker_id))
}
