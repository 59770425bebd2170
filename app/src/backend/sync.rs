//! The server side of the sync protocol: applies a pushed batch in one
//! transaction (each mutation once per device) and answers pulls from a
//! cursor. Record types register in `specs::REGISTRY`; everything else is generic.
use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::backend::db::{Db, Flag};
use crate::backend::policy::{Action, Actor, Resource, WorkerRef, can, visible_workers};
use jalon_core::sync::protocol::*;

use super::alert_mail;
use super::spec::{FieldType, RecordSpec, Writers};
use super::specs::{REGISTRY, spec};

/// A refusal of a whole request: nothing of it was applied.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("Les données envoyées sont illisibles : {0}")]
    Malformed(String),
    #[error("Type d'enregistrement inconnu : « {name} ». Mettez l'application à jour.")]
    UnknownRecordType { mutation_id: Uuid, name: String },
    #[error(
        "Version de données non prise en charge ({schema}) pour « {name} ». Mettez l'application à jour."
    )]
    UnsupportedSchema {
        mutation_id: Uuid,
        name: String,
        schema: u32,
    },
    #[error("Trop d'enregistrements en un envoi ({count}, au plus {max}).", max = MAX_BATCH)]
    BatchTooLarge { count: usize },
    #[error(
        "Vous ne suivez pas (ou plus) cette personne : cet enregistrement ne peut pas être envoyé."
    )]
    NotVisible {
        mutation_id: Uuid,
        worker_id: String,
    },
    #[error("Envoi dépassé par un envoi plus récent de cet appareil.")]
    StaleBatch { last_batch: i64 },
    #[error(
        "Cet appareil est enregistré pour une autre personne. Déconnectez-vous puis reconnectez-vous."
    )]
    DeviceTaken,
    #[error("Vous n'êtes pas connecté. Connectez-vous pour synchroniser.")]
    NotSignedIn,
    #[error("Cet appareil a été déconnecté de Jalon à distance : ses données sont effacées.")]
    DeviceRevoked,
    #[error("Serveur très occupé. Rien n'est perdu : nouvel essai bientôt.")]
    Busy,
    #[error("Le serveur a rencontré un problème. Réessayez dans un moment.")]
    Internal,
}

impl From<sqlx::Error> for SyncError {
    fn from(err: sqlx::Error) -> Self {
        if crate::backend::db::is_busy(&err) {
            tracing::warn!(error = %err, "sync: database busy, answered 503");
            return SyncError::Busy;
        }
        tracing::error!(error = %err, "sync: database error");
        SyncError::Internal
    }
}

impl SyncError {
    pub fn status(&self) -> u16 {
        match self {
            SyncError::Malformed(_) => 400,
            SyncError::NotSignedIn => 401,
            SyncError::NotVisible { .. } | SyncError::DeviceTaken => 403,
            SyncError::StaleBatch { .. } => 409,
            SyncError::DeviceRevoked => 410,
            SyncError::BatchTooLarge { .. } => 413,
            SyncError::UnknownRecordType { .. } | SyncError::UnsupportedSchema { .. } => 422,
            SyncError::Busy => 503,
            SyncError::Internal => 500,
        }
    }

    pub fn body(&self) -> ApiError {
        let (error, mutation_id, last_batch) = match self {
            SyncError::Malformed(_) => ("malformed", None, None),
            SyncError::UnknownRecordType { mutation_id, .. } => {
                ("unknown_record_type", Some(*mutation_id), None)
            }
            SyncError::UnsupportedSchema { mutation_id, .. } => {
                ("unsupported_schema", Some(*mutation_id), None)
            }
            SyncError::BatchTooLarge { .. } => ("batch_too_large", None, None),
            SyncError::NotVisible { mutation_id, .. } => ("not_visible", Some(*mutation_id), None),
            SyncError::StaleBatch { last_batch } => ("stale_batch", None, Some(*last_batch)),
            SyncError::DeviceTaken => ("device_taken", None, None),
            SyncError::NotSignedIn => ("not_signed_in", None, None),
            SyncError::DeviceRevoked => ("device_revoked", None, None),
            SyncError::Busy => ("busy", None, None),
            SyncError::Internal => ("internal", None, None),
        };
        ApiError {
            error: error.into(),
            message: self.to_string(),
            mutation_id,
            last_batch,
        }
    }
}

/// Applies a push. Checks the whole batch's shape first, then applies it in
/// one transaction; any batch-level refusal rolls everything back.
pub async fn push(db: &Db, actor: &Actor, req: PushRequest) -> Result<PushResponse, SyncError> {
    if req.mutations.len() > MAX_BATCH {
        return Err(SyncError::BatchTooLarge {
            count: req.mutations.len(),
        });
    }
    for m in &req.mutations {
        let spec = spec(&m.record_type).ok_or_else(|| SyncError::UnknownRecordType {
            mutation_id: m.id,
            name: m.record_type.chars().take(60).collect(),
        })?;
        if m.schema == 0 || m.schema > spec.schema {
            return Err(SyncError::UnsupportedSchema {
                mutation_id: m.id,
                name: spec.name.into(),
                schema: m.schema,
            });
        }
    }
    let today = crate::backend::db::today_paris();
    // A batch waits its turn for the one writer; when many already wait, the
    // phone is told at once to come back (it keeps the batch and retries).
    let Some(mut tx) = db.begin_unless_crowded().await? else {
        return Err(SyncError::Busy);
    };
    if claim_batch(&mut tx, actor, &req).await?
        && let Some(from) = req.outbox_from
    {
        forget_answers(&mut tx, req.device_id, from).await?;
    }
    let mut acks = Vec::with_capacity(req.mutations.len());
    for m in &req.mutations {
        match apply_once(&mut tx, actor, req.device_id, m, today).await {
            Ok(outcome) => acks.push(Ack {
                mutation_id: m.id,
                outcome,
            }),
            Err(err) => {
                tx.rollback().await?;
                if let SyncError::NotVisible { worker_id, .. } = &err {
                    record_denial(db, actor, worker_id).await?;
                }
                return Err(err);
            }
        }
    }
    tx.commit().await?;
    Ok(PushResponse { acks })
}

async fn record_denial(db: &Db, actor: &Actor, worker_id: &str) -> Result<(), SyncError> {
    crate::backend::policy::audited(
        db,
        actor,
        "access_denied",
        ("worker", worker_id),
        "sync push",
    )
    .await?;
    Ok(())
}

/// Registers the device's batch number (the write lock is already held:
/// `Db::begin` starts with `BEGIN IMMEDIATE`). True for a batch newer than
/// the device's last one (not a copy of it delivered twice).
async fn claim_batch(
    tx: &mut AnyConnection,
    actor: &Actor,
    req: &PushRequest,
) -> Result<bool, SyncError> {
    let device = req.device_id.to_string();
    let now = crate::backend::db::now();
    /// Owner, last batch, signed out at, last push allowed, told to empty.
    type Known = (String, i64, Option<String>, Flag, Option<String>);
    let known: Option<Known> = sqlx::query_as(
        "SELECT user_id, last_batch, revoked_at, revoke_sends, wiped_at FROM sync_devices \
         WHERE device_id = $1",
    )
    .bind(&device)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user_id, last_batch, revoked_at, sends, wiped_at)) = known else {
        sqlx::query(
            "INSERT INTO sync_devices (device_id, user_id, last_batch, last_seen_at, \
             first_seen_at) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(&device)
        .bind(&actor.user.id)
        .bind(req.batch)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        return Ok(false);
    };
    if user_id != actor.user.id {
        return Err(SyncError::DeviceTaken);
    }
    // Signed out from afar: one last push only if the sign-out allowed it,
    // until the device is told to empty its store.
    if revoked_at.is_some() && !(sends.0 && wiped_at.is_none()) {
        return Err(SyncError::DeviceRevoked);
    }
    if req.batch < last_batch {
        return Err(SyncError::StaleBatch { last_batch });
    }
    sqlx::query("UPDATE sync_devices SET last_batch = $1, last_seen_at = $2 WHERE device_id = $3")
        .bind(req.batch)
        .bind(&now)
        .bind(&device)
        .execute(&mut *tx)
        .await?;
    Ok(req.batch > last_batch)
}

/// Forgets the answers kept for the device's mutations older than `from`,
/// the oldest still in its outbox: the phone has them acknowledged (or
/// given up, or replaced under a new id), so it never sends them again.
/// Only a fresh batch reports this (a late copy of an older push is stale).
async fn forget_answers(tx: &mut AnyConnection, device: Uuid, from: Uuid) -> Result<(), SyncError> {
    let device = device.to_string();
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT mutation_id FROM sync_mutations WHERE device_id = $1")
            .bind(&device)
            .fetch_all(&mut *tx)
            .await?;
    // Compared as UUIDs (v7: in the order the phone made them), not as text.
    for id in ids {
        if Uuid::parse_str(&id).is_ok_and(|m| m < from) {
            sqlx::query("DELETE FROM sync_mutations WHERE device_id = $1 AND mutation_id = $2")
                .bind(&device)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// A mutation already applied for this device answers with its first outcome.
async fn apply_once(
    tx: &mut AnyConnection,
    actor: &Actor,
    device: Uuid,
    m: &Mutation,
    today: NaiveDate,
) -> Result<Outcome, SyncError> {
    let device_id = device.to_string();
    let mutation_id = m.id.to_string();
    let earlier: Option<String> = sqlx::query_scalar(
        "SELECT outcome FROM sync_mutations WHERE device_id = $1 AND mutation_id = $2",
    )
    .bind(&device_id)
    .bind(&mutation_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(earlier) = earlier {
        return serde_json::from_str(&earlier).map_err(|_| SyncError::Internal);
    }
    let spec = spec(&m.record_type).ok_or(SyncError::Internal)?;
    let outcome = apply(tx, actor, &device_id, spec, m, today).await?;
    let stored = serde_json::to_string(&outcome).map_err(|_| SyncError::Internal)?;
    sqlx::query(
        "INSERT INTO sync_mutations (device_id, mutation_id, user_id, record_type, record_id, \
         outcome, applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&device_id)
    .bind(&mutation_id)
    .bind(&actor.user.id)
    .bind(spec.name)
    .bind(m.record_id.to_string())
    .bind(stored)
    .bind(crate::backend::db::now())
    .execute(&mut *tx)
    .await?;
    Ok(outcome)
}

struct Current {
    structure_id: String,
    worker_id: String,
    author_id: String,
    version: i64,
    deleted: bool,
    last_device: String,
    has_conflict: bool,
}

fn rejected(reason: RejectReason, message: &str) -> Outcome {
    Outcome::Rejected {
        reason,
        message: message.into(),
    }
}

const DELETED_ELSEWHERE: &str = "Cet enregistrement a été supprimé depuis un autre appareil.";

/// The structure of a record whose tombstone was pruned, if `record_id` is one.
async fn pruned_owner(
    tx: &mut AnyConnection,
    spec: &RecordSpec,
    record_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT structure_id FROM sync_pruned WHERE record_type = $1 AND record_id = $2",
    )
    .bind(spec.name)
    .bind(record_id)
    .fetch_optional(&mut *tx)
    .await
}

async fn apply(
    tx: &mut AnyConnection,
    actor: &Actor,
    device: &str,
    spec: &RecordSpec,
    m: &Mutation,
    today: NaiveDate,
) -> Result<Outcome, SyncError> {
    let record_id = m.record_id.to_string();
    let row = sqlx::query(&format!(
        "SELECT structure_id, worker_id, author_id, version, deleted, last_device, has_conflict \
         FROM {} WHERE id = $1",
        spec.table
    ))
    .bind(&record_id)
    .fetch_optional(&mut *tx)
    .await?;
    let current = row
        .map(|r| -> Result<Current, sqlx::Error> {
            Ok(Current {
                structure_id: r.try_get(0)?,
                worker_id: r.try_get(1)?,
                author_id: r.try_get(2)?,
                version: r.try_get(3)?,
                deleted: r.try_get::<Flag, _>(4)?.0,
                last_device: r.try_get(5)?,
                has_conflict: r.try_get::<Flag, _>(6)?.0,
            })
        })
        .transpose()?;
    if current.is_none()
        && spec.slot_id.is_none()
        && let Some(owner) = pruned_owner(tx, spec, &record_id).await?
    {
        // Deleted, and its tombstone pruned since: answered as the
        // tombstone would have been, never created again.
        return Ok(if owner != actor.user.structure_id {
            rejected(
                RejectReason::Invalid,
                "Identifiant d'enregistrement déjà utilisé.",
            )
        } else if m.op == Op::Delete {
            Outcome::Applied { version: 0 }
        } else {
            rejected(RejectReason::Conflict, DELETED_ELSEWHERE)
        });
    }
    if current
        .as_ref()
        .is_some_and(|c| c.structure_id != actor.user.structure_id)
    {
        return Ok(rejected(
            RejectReason::Invalid,
            "Identifiant d'enregistrement déjà utilisé.",
        ));
    }
    let validated = if m.op == Op::Delete {
        None
    } else {
        match (spec.validate)(&m.data, today) {
            Ok(v) => Some(v),
            Err(message) => return Ok(rejected(RejectReason::Invalid, &message)),
        }
    };
    if let (Some(key), Some((data, _))) = (spec.slot_id, &validated)
        && key(data) != Some(m.record_id)
    {
        return Ok(rejected(
            RejectReason::Invalid,
            "Identifiant incohérent avec le contenu : mettez l'application à jour.",
        ));
    }
    let worker_id = match (&current, &validated) {
        (Some(c), _) => c.worker_id.clone(),
        (None, Some((_, w))) => w.clone(),
        (None, None) => return Ok(Outcome::Applied { version: 0 }),
    };
    let worker = load_worker(tx, actor, &worker_id).await?;
    let visible = worker
        .as_ref()
        .is_some_and(|w| can(actor, Action::View, &Resource::Worker(w)));
    let Some(worker) = worker.filter(|_| visible) else {
        return Err(SyncError::NotVisible {
            mutation_id: m.id,
            worker_id: worker_id.chars().take(60).collect(),
        });
    };
    let write = match spec.writers {
        Writers::Author | Writers::FileWriters => Action::Edit,
        Writers::TheWorker => Action::React,
    };
    if !can(actor, write, &Resource::Worker(&worker)) {
        return Ok(rejected(
            RejectReason::NotAllowed,
            "Vous ne pouvez pas écrire dans le dossier de cette personne.",
        ));
    }
    // A new record must be readable by whoever writes it (an objective tied
    // to a sensitive barrier can't be created by someone who couldn't read it).
    if current.is_none()
        && let Some((data, _)) = &validated
        && !(spec.readable)(actor, &worker, &actor.user.id, data)
    {
        return Ok(rejected(
            RejectReason::NotAllowed,
            "Vous ne pouvez pas écrire cet enregistrement dans le dossier de cette personne.",
        ));
    }
    let Some(current) = current else {
        // A creation (an update of an unknown record is refused below).
        if m.op != Op::Create {
            return Ok(rejected(
                RejectReason::Invalid,
                "Enregistrement inconnu du serveur.",
            ));
        }
        let (data, _) = validated.ok_or(SyncError::Internal)?;
        insert(tx, actor, device, spec, &record_id, &worker_id, &data).await?;
        if (spec.tells_counsellors)(&data) {
            let author = &actor.user.id;
            alert_mail::queue(tx, &record_id, &worker, author, &data, spec.readable).await?;
        }
        return Ok(Outcome::Applied { version: 1 });
    };
    let shared = spec.slot_id.is_some();
    if let Some((_, new_worker)) = &validated
        && *new_worker != current.worker_id
    {
        return Ok(rejected(
            RejectReason::Invalid,
            "On ne peut pas changer la personne concernée : supprimez et recréez.",
        ));
    }
    // Read once: for the checks and comparison below and for the history.
    let stored = stored_data(tx, spec, &record_id).await?;
    let unreadable =
        !stored.is_null() && !(spec.readable)(actor, &worker, &current.author_id, &stored);
    let co_edited = shared || spec.writers == Writers::FileWriters;
    if unreadable
        || (!co_edited
            && current.author_id != actor.user.id
            && actor.user.role != jalon_core::roles::Role::Admin)
    {
        return Ok(rejected(
            RejectReason::NotAllowed,
            "Seule la personne qui l'a écrit peut modifier cet enregistrement.",
        ));
    }
    if current.deleted && shared && m.op != Op::Delete {
        // Pointed again after being cleared: the record comes back.
        let (data, _) = validated.ok_or(SyncError::Internal)?;
        let version = current.version + 1;
        let step = Version {
            number: version,
            previous: None,
            data: Some(&data),
        };
        update(tx, actor, device, spec, &record_id, step).await?;
        return Ok(Outcome::Applied { version });
    }
    if current.deleted {
        return Ok(if m.op == Op::Delete {
            Outcome::Applied {
                version: current.version,
            }
        } else {
            rejected(RejectReason::Conflict, DELETED_ELSEWHERE)
        });
    }
    if let Some((data, _)) = &validated
        && !current.has_conflict
        && stored == *data
    {
        // Already so (another phone wrote the same): no new version, but a
        // new place in the change sequence, so the writing phone pulls the
        // stored record back (normalised data, server fields) over its own.
        let seq = next_seq(tx).await?;
        sqlx::query(&format!("UPDATE {} SET seq = $1 WHERE id = $2", spec.table))
            .bind(seq)
            .bind(&record_id)
            .execute(&mut *tx)
            .await?;
        return Ok(Outcome::Applied {
            version: current.version,
        });
    }
    // Up to date, or only this device wrote since: no one else's words are at stake.
    let in_line = m.base_version == current.version || current.last_device == device;
    let version = current.version + 1;
    match (m.op, validated) {
        (Op::Delete, _) if in_line => {
            let step = Version {
                number: version,
                previous: Some(stored),
                data: None,
            };
            update(tx, actor, device, spec, &record_id, step).await?;
            Ok(Outcome::Applied { version })
        }
        (Op::Delete, _) => Ok(rejected(
            RejectReason::Conflict,
            "Modifié entre-temps sur un autre appareil : la suppression n'a pas été faite.",
        )),
        (_, Some((data, _))) if in_line => {
            let step = Version {
                number: version,
                previous: Some(stored),
                data: Some(&data),
            };
            update(tx, actor, device, spec, &record_id, step).await?;
            Ok(Outcome::Applied { version })
        }
        (_, Some((data, _))) => {
            keep_conflict(tx, actor, device, spec, &record_id, &data, version).await?;
            Ok(rejected(
                RejectReason::Conflict,
                "Modifié entre-temps sur un autre appareil : les deux versions sont gardées, choisissez.",
            ))
        }
        (_, None) => Err(SyncError::Internal),
    }
}

async fn load_worker(
    tx: &mut AnyConnection,
    actor: &Actor,
    worker_id: &str,
) -> Result<Option<WorkerRef>, SyncError> {
    Ok(sqlx::query_as::<_, WorkerRef>(
        "SELECT structure_id, id AS worker_id, team_id, counsellor_id, user_id \
         FROM workers WHERE id = $1 AND structure_id = $2 AND anonymised_at IS NULL",
    )
    .bind(worker_id)
    .bind(&actor.user.structure_id)
    .fetch_optional(&mut *tx)
    .await?)
}

pub(crate) async fn next_seq(tx: &mut AnyConnection) -> Result<i64, SyncError> {
    Ok(
        sqlx::query_scalar(
            "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value",
        )
        .fetch_one(&mut *tx)
        .await?,
    )
}

fn bind_fields<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    spec: &RecordSpec,
    data: Option<&Value>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for (name, kind) in spec.fields {
        let value = data.and_then(|d| d.get(name));
        query = match kind {
            // A tombstone keeps no content: text becomes empty.
            FieldType::Text => query.bind(
                value
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ),
            FieldType::Integer => query.bind(value.and_then(Value::as_i64)),
            FieldType::Bool => query.bind(value.and_then(Value::as_bool).unwrap_or(false)),
            FieldType::Json => query.bind(value.map(Value::to_string)),
        };
    }
    query
}

async fn insert(
    tx: &mut AnyConnection,
    actor: &Actor,
    device: &str,
    spec: &RecordSpec,
    record_id: &str,
    worker_id: &str,
    data: &Value,
) -> Result<(), SyncError> {
    let seq = next_seq(tx).await?;
    let names: Vec<&str> = spec.fields.iter().map(|(n, _)| *n).collect();
    let params: Vec<String> = (0..names.len()).map(|i| format!("${}", i + 11)).collect();
    let sql = format!(
        "INSERT INTO {} (id, structure_id, worker_id, author_id, version, seq, deleted, \
         created_at, updated_at, updated_by, last_device, has_conflict, {}) \
         VALUES ($1, $2, $3, $4, 1, $5, FALSE, $6, $7, $8, $9, $10, {})",
        spec.table,
        names.join(", "),
        params.join(", ")
    );
    let now = crate::backend::db::now();
    let query = sqlx::query(&sql)
        .bind(record_id)
        .bind(&actor.user.structure_id)
        .bind(worker_id)
        .bind(&actor.user.id)
        .bind(seq)
        .bind(&now)
        .bind(&now)
        .bind(&actor.user.id)
        .bind(device)
        .bind(false);
    bind_fields(query, spec, Some(data))
        .execute(&mut *tx)
        .await?;
    if spec.history {
        let version = Version {
            number: 1,
            previous: None,
            data: Some(data),
        };
        keep_history(tx, actor, spec, record_id, version).await?;
    }
    Ok(())
}

/// One step of a record's history.
struct Version<'a> {
    number: i64,
    previous: Option<Value>,
    data: Option<&'a Value>,
}

async fn keep_history(
    tx: &mut AnyConnection,
    actor: &Actor,
    spec: &RecordSpec,
    record_id: &str,
    version: Version<'_>,
) -> Result<(), SyncError> {
    let reason = version
        .data
        .and_then(|d| d.get("change_reason"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    sqlx::query(
        "INSERT INTO record_history (id, structure_id, record_type, record_id, version, previous, \
         data, reason, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(crate::backend::db::new_id())
    .bind(&actor.user.structure_id)
    .bind(spec.name)
    .bind(record_id)
    .bind(version.number)
    .bind(version.previous.map(|p| p.to_string()))
    .bind(version.data.map(Value::to_string))
    .bind(reason)
    .bind(&actor.user.id)
    .bind(crate::backend::db::now())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A record's stored fields as the phone sends them (worker included);
/// `Null` for a tombstone.
async fn stored_data(
    tx: &mut AnyConnection,
    spec: &RecordSpec,
    record_id: &str,
) -> Result<Value, SyncError> {
    let names: Vec<&str> = spec.fields.iter().map(|(n, _)| *n).collect();
    let row = sqlx::query(&format!(
        "SELECT deleted, worker_id, {} FROM {} WHERE id = $1",
        names.join(", "),
        spec.table
    ))
    .bind(record_id)
    .fetch_one(&mut *tx)
    .await?;
    if row.try_get::<Flag, _>(0)?.0 {
        return Ok(Value::Null);
    }
    fields_of(&row, spec.fields, 1)
}

/// Reads `worker_id` at `at`, then `fields`, into the data object.
fn fields_of(
    row: &sqlx::any::AnyRow,
    fields: &[(&str, FieldType)],
    at: usize,
) -> Result<Value, SyncError> {
    let mut map = Map::new();
    map.insert("worker_id".into(), Value::String(row.try_get(at)?));
    for (i, (name, kind)) in fields.iter().enumerate() {
        let column = at + 1 + i;
        let value = match kind {
            FieldType::Text => row.try_get::<Option<String>, _>(column)?.map(Value::from),
            FieldType::Integer => row.try_get::<Option<i64>, _>(column)?.map(Value::from),
            FieldType::Bool => row
                .try_get::<Option<Flag>, _>(column)?
                .map(|flag| Value::from(flag.0)),
            FieldType::Json => row
                .try_get::<Option<String>, _>(column)?
                .and_then(|text| serde_json::from_str(&text).ok()),
        };
        map.insert((*name).into(), value.unwrap_or(Value::Null));
    }
    Ok(Value::Object(map))
}

/// Writes a new version (or, with no data, a tombstone) and clears conflicts:
/// whoever wrote it saw them.
async fn update(
    tx: &mut AnyConnection,
    actor: &Actor,
    device: &str,
    spec: &RecordSpec,
    record_id: &str,
    step: Version<'_>,
) -> Result<(), SyncError> {
    let (data, version) = (step.data, step.number);
    if spec.history {
        keep_history(tx, actor, spec, record_id, step).await?;
    }
    let seq = next_seq(tx).await?;
    let sets: Vec<String> = spec
        .fields
        .iter()
        .enumerate()
        .map(|(i, (n, _))| format!("{n} = ${}", i + 8))
        .collect();
    let sql = format!(
        "UPDATE {} SET version = $1, seq = $2, deleted = $3, updated_at = $4, updated_by = $5, \
         last_device = $6, has_conflict = FALSE, {} WHERE id = $7",
        spec.table,
        sets.join(", ")
    );
    let query = sqlx::query(&sql)
        .bind(version)
        .bind(seq)
        .bind(data.is_none())
        .bind(crate::backend::db::now())
        .bind(&actor.user.id)
        .bind(device)
        .bind(record_id);
    bind_fields(query, spec, data).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sync_conflicts WHERE record_type = $1 AND record_id = $2")
        .bind(spec.name)
        .bind(record_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Keeps a diverging version beside the current one; the record gets a new
/// version so every phone pulls it, and an edit based on the old one conflicts.
async fn keep_conflict(
    tx: &mut AnyConnection,
    actor: &Actor,
    device: &str,
    spec: &RecordSpec,
    record_id: &str,
    data: &Value,
    version: i64,
) -> Result<(), SyncError> {
    sqlx::query(
        "INSERT INTO sync_conflicts (id, record_type, record_id, data, author_id, device_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(crate::backend::db::new_id())
    .bind(spec.name)
    .bind(record_id)
    .bind(data.to_string())
    .bind(&actor.user.id)
    .bind(device)
    .bind(crate::backend::db::now())
    .execute(&mut *tx)
    .await?;
    let seq = next_seq(tx).await?;
    sqlx::query(&format!(
        "UPDATE {} SET version = $1, seq = $2, has_conflict = TRUE WHERE id = $3",
        spec.table
    ))
    .bind(version)
    .bind(seq)
    .bind(record_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A worker the actor may see, with what `readable` and the cards need.
fn fingerprint(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..12])
}

/// Answers a pull: what changed after `cursor` that the actor may read.
pub async fn pull(db: &Db, actor: &Actor, req: &PullRequest) -> Result<PullResponse, SyncError> {
    let limit = req.limit.unwrap_or(PULL_PAGE).clamp(1, PULL_PAGE);
    // One read transaction: one snapshot for the scope and every table, on a
    // read-only connection (a pull never waits for the writer).
    let mut tx = db.begin_read().await?;
    let visible = visible_workers(&mut tx, actor).await?;
    let mut scope_text = String::from("v2:");
    for v in &visible {
        scope_text.push_str(&v.card.id);
        scope_text.push(',');
    }
    let scope = fingerprint(&scope_text);
    let by_id: HashMap<&str, &WorkerRef> = visible
        .iter()
        .map(|v| (v.card.id.as_str(), &v.worker))
        .collect();
    let cards: Vec<&WorkerCard> = visible.iter().map(|v| &v.card).collect();
    let roster = fingerprint(&serde_json::to_string(&cards).map_err(|_| SyncError::Internal)?);
    // Below the pruned horizon, deletions this phone has not seen may be
    // gone: it starts over from what exists now. A phone already paging
    // through its start-over holds nothing older than its cursor, and goes on.
    let pruned: i64 = sqlx::query_scalar("SELECT pruned_through FROM sync_horizon WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let reset = req.scope != scope || (req.cursor > 0 && req.cursor < pruned && !req.starting_over);
    let from = if reset { 0 } else { req.cursor.max(0) };

    let mut records = Vec::new();
    let mut hit_limit = false;
    for spec in REGISTRY {
        let page = changes(&mut tx, actor, spec, from, limit).await?;
        hit_limit |= page.len() == limit;
        records.extend(page);
    }
    records.sort_by_key(|r| r.seq);
    let more = hit_limit;
    if more {
        records.truncate(limit);
    }
    let cursor = records.last().map_or(from, |r| r.seq.max(from));
    // Only records about visible workers; of those, the ones this person may
    // not read are left out while they are in their first version (nobody
    // outside their readers ever had them), and later travel as bare
    // tombstones (no author, date or content) so they leave the phones that
    // could read them before (sharing withdrawn, category made sensitive).
    let never_readable = |r: &ServerRecord| {
        !r.deleted
            && r.version <= 1
            && spec(&r.record_type).is_some_and(|spec| {
                !(spec.readable)(actor, by_id[r.worker_id.as_str()], &r.author_id, &r.data)
            })
    };
    records.retain(|r| by_id.contains_key(r.worker_id.as_str()) && !never_readable(r));
    let mut audited = Vec::new();
    for r in records.iter_mut().filter(|r| !r.deleted) {
        let Some(spec) = spec(&r.record_type) else {
            continue;
        };
        if !(spec.readable)(actor, by_id[r.worker_id.as_str()], &r.author_id, &r.data) {
            *r = ServerRecord {
                deleted: true,
                author_id: String::new(),
                author_name: String::new(),
                updated_at: String::new(),
                data: Value::Null,
                conflicts: Vec::new(),
                ..r.clone()
            };
        } else if r.author_id != actor.user.id && (spec.audited)(&r.data) {
            audited.push((spec.name, r.id.to_string()));
        }
        if actor.user.role == jalon_core::roles::Role::Worker
            && let Some(redact) = spec.for_worker
            && !r.data.is_null()
        {
            r.data = redact(&r.data);
        }
    }
    attach_conflicts(&mut tx, &mut records).await?;
    tx.commit().await?;
    if !audited.is_empty() {
        // Every delivery of the page in one write, after the read.
        let how = "reçue par synchronisation sur un téléphone";
        let mut tx = db.begin().await?;
        for (record_type, id) in audited {
            crate::backend::policy::audited(
                &mut *tx,
                actor,
                "sensitive_read",
                (record_type, &id),
                how,
            )
            .await?;
        }
        tx.commit().await?;
    }
    let workers = (req.roster != roster).then(|| visible.into_iter().map(|v| v.card).collect());
    Ok(PullResponse {
        records,
        cursor,
        more,
        reset,
        scope,
        roster,
        workers,
    })
}

async fn changes(
    tx: &mut AnyConnection,
    actor: &Actor,
    spec: &RecordSpec,
    after: i64,
    limit: usize,
) -> Result<Vec<ServerRecord>, SyncError> {
    // Staff follow-up (server fields) is never sent to workers.
    let fields: Vec<(&str, FieldType)> = if actor.user.role == jalon_core::roles::Role::Worker {
        spec.fields.to_vec()
    } else {
        spec.fields
            .iter()
            .chain(spec.server_fields)
            .copied()
            .collect()
    };
    let names: Vec<String> = fields.iter().map(|(n, _)| format!("r.{n}")).collect();
    let sql = format!(
        "SELECT r.id, r.version, r.seq, r.deleted, r.author_id, u.display_name, \
         r.updated_at, r.has_conflict, r.worker_id, {} FROM {} r JOIN users u ON u.id = r.author_id \
         WHERE r.structure_id = $1 AND r.seq > $2 ORDER BY r.seq LIMIT $3",
        names.join(", "),
        spec.table
    );
    let rows = sqlx::query(&sql)
        .bind(&actor.user.structure_id)
        .bind(after)
        .bind(limit as i64)
        .fetch_all(&mut *tx)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let deleted = row.try_get::<Flag, _>(3)?.0;
        let worker_id: String = row.try_get(8)?;
        let data = if deleted {
            Value::Null
        } else {
            fields_of(&row, &fields, 8)?
        };
        let id: String = row.try_get(0)?;
        let has_conflict = row.try_get::<Flag, _>(7)?.0;
        out.push(ServerRecord {
            record_type: spec.name.into(),
            id: Uuid::parse_str(&id).map_err(|_| SyncError::Internal)?,
            version: row.try_get(1)?,
            seq: row.try_get(2)?,
            deleted,
            worker_id,
            author_id: row.try_get(4)?,
            author_name: row.try_get(5)?,
            updated_at: row.try_get(6)?,
            data,
            // Filled by `attach_conflicts` for the records that have some.
            conflicts: if has_conflict && !deleted {
                vec![ConflictVersion {
                    data: Value::Null,
                    author_name: String::new(),
                    at: String::new(),
                }]
            } else {
                Vec::new()
            },
        });
    }
    Ok(out)
}

async fn attach_conflicts(
    tx: &mut AnyConnection,
    records: &mut [ServerRecord],
) -> Result<(), SyncError> {
    for record in records.iter_mut().filter(|r| !r.conflicts.is_empty()) {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.data, u.display_name, c.created_at FROM sync_conflicts c \
             JOIN users u ON u.id = c.author_id \
             WHERE c.record_type = $1 AND c.record_id = $2 ORDER BY c.created_at, c.id",
        )
        .bind(&record.record_type)
        .bind(record.id.to_string())
        .fetch_all(&mut *tx)
        .await?;
        record.conflicts = rows
            .into_iter()
            .map(|(data, author_name, at)| ConflictVersion {
                data: serde_json::from_str(&data).unwrap_or(Value::Null),
                author_name,
                at,
            })
            .collect();
    }
    Ok(())
}

/// A device that synced within this many days holds back the pruning of
/// tombstones it has not pulled yet; one away longer starts over when it
/// comes back (its session ended after `session::IDLE_DAYS` anyway).
pub const DEVICE_ACTIVE_DAYS: i64 = 30;

/// What `prune_tombstones` removed, and the change number below which no
/// tombstone is left.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub tombstones: u64,
    pub horizon: i64,
}

/// The id of each pruned record stays in `sync_pruned` (nothing else about
/// it): a phone away longer than `DEVICE_ACTIVE_DAYS` may still hold a
/// creation of a record it had already sent (answer lost, then edited), and
/// that creation is answered as the tombstone would have answered it, never
/// applied again (found by the sync property test; see docs/sync.md).
///
/// Deletes the tombstones every active device has pulled: those at or below
/// the lowest cursor reported by a device seen within `active_days` and not
/// signed out (every change so far when there is none). The horizon is kept
/// so that a pull from below it is answered with a reset: a phone that was
/// away never misses a deletion, it starts over from what exists.
pub async fn prune_tombstones(
    db: &Db,
    now: chrono::DateTime<chrono::Utc>,
    active_days: i64,
) -> Result<Pruned, sqlx::Error> {
    let mut tx = db.begin().await?;
    let counter: i64 = sqlx::query_scalar("SELECT value FROM sync_counter WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let since = crate::backend::db::timestamp(now - chrono::Duration::days(active_days));
    // A device that has not reported its cursor yet counts as at the start.
    let lowest: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(COALESCE(pull_cursor, 0)) FROM sync_devices \
         WHERE revoked_at IS NULL AND last_seen_at >= $1",
    )
    .bind(&since)
    .fetch_one(&mut *tx)
    .await?;
    let horizon = lowest.unwrap_or(counter).min(counter);
    let mut tombstones = 0;
    for spec in REGISTRY {
        let gone = format!(
            "SELECT id FROM {} WHERE deleted = TRUE AND seq <= $1",
            spec.table
        );
        let mut statements = Vec::new();
        if spec.slot_id.is_none() {
            statements.push(format!(
                "INSERT INTO sync_pruned (record_type, record_id, structure_id) \
                 SELECT '{}', id, structure_id FROM {} WHERE deleted = TRUE AND seq <= $1 \
                 ON CONFLICT DO NOTHING",
                spec.name, spec.table
            ));
        }
        statements.push(format!(
            "DELETE FROM sync_conflicts WHERE record_type = '{}' AND record_id IN ({gone})",
            spec.name
        ));
        if spec.table == "observations" {
            for child in ["observation_replies", "observation_reads", "alert_mails"] {
                statements.push(format!(
                    "DELETE FROM {child} WHERE observation_id IN ({gone})"
                ));
            }
        }
        for sql in statements {
            sqlx::query(&sql).bind(horizon).execute(&mut *tx).await?;
        }
        tombstones += sqlx::query(&format!(
            "DELETE FROM {} WHERE deleted = TRUE AND seq <= $1",
            spec.table
        ))
        .bind(horizon)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    sqlx::query("UPDATE sync_horizon SET pruned_through = $1 WHERE id = 1 AND pruned_through < $1")
        .bind(horizon)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Pruned {
        tombstones,
        horizon,
    })
}
