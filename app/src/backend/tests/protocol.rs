//! The sync protocol under a hostile network: simulated phones running the
//! real engine (memory store) against the real server logic on a real SQLite
//! file, with requests and responses dropped, duplicated, delayed and
//! reordered, and phones dying mid-sync.
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use proptest::prelude::*;
use serde_json::json;
use uuid::Uuid;

use crate::backend::db::Db;
use crate::backend::people::{
    NewUser, NewWorker, insert_structure, insert_team, insert_user, insert_worker,
};
use crate::backend::policy::{Actor, load_actor};
use crate::backend::sync as server;
use jalon_core::observations::{RECORD_TYPE, SCHEMA};
use jalon_core::records::RECORD_TYPES;
use jalon_core::roles::Role;
use jalon_core::sync::engine::{self, Change, RecordState, Store, Transport, TransportError};
use jalon_core::sync::memory::MemoryStore;
use jalon_core::sync::protocol::*;
use jalon_core::worksite::{briefings, equipment, welcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The request never reaches the server.
    DropRequest,
    /// The server applies it; the answer is lost (or the phone dies first).
    DropResponse,
    /// The request arrives twice.
    Duplicate,
    /// The request arrives much later, after newer ones; the phone times out.
    Delay,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => Just(Fault::None),
        1 => Just(Fault::DropRequest),
        1 => Just(Fault::DropResponse),
        1 => Just(Fault::Duplicate),
        1 => Just(Fault::Delay),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    Create {
        device: usize,
        worker: usize,
        text: u8,
    },
    Edit {
        device: usize,
        pick: usize,
        text: u8,
    },
    Delete {
        device: usize,
        pick: usize,
    },
    Sync {
        device: usize,
        faults: Vec<Fault>,
    },
    Deliver {
        pick: usize,
    },
    /// A welcome item of a worker ticked (or unticked) on a phone: a record
    /// keyed by worker and item, so phones write the same record.
    Tick {
        device: usize,
        worker: usize,
        item: u8,
        done: bool,
    },
    /// Equipment handed over to a worker (a new record each time).
    HandOver {
        device: usize,
        worker: usize,
        quantity: u8,
    },
    /// A worker ticked at one of two briefings: keyed by briefing and worker.
    Brief {
        device: usize,
        worker: usize,
        briefing: u8,
        present: bool,
    },
    /// The worker opens Jalon online and confirms one of the pieces of
    /// equipment her phone holds (a receipt, keyed by the piece: one per
    /// piece, only she writes it).
    Receive {
        pick: usize,
    },
    /// The daily housekeeping prunes tombstones; `forget`: as if every
    /// device had been away for longer than `DEVICE_ACTIVE_DAYS`.
    Prune {
        forget: bool,
    },
}

/// Devices 0 and 1: supervisor A (two phones); 2: supervisor B; 3: the
/// counsellor; 4: the phone of worker 0 (« Un », team A).
const DEVICES: usize = 5;
const WRITERS: usize = 3;
const WORKER_PHONE: usize = 4;

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..WRITERS, 0..3usize, any::<u8>()).prop_map(|(device, worker, text)| Step::Create { device, worker, text }),
        2 => (0..WRITERS, any::<usize>(), any::<u8>()).prop_map(|(device, pick, text)| Step::Edit { device, pick, text }),
        1 => (0..WRITERS, any::<usize>()).prop_map(|(device, pick)| Step::Delete { device, pick }),
        4 => (0..DEVICES, prop::collection::vec(fault(), 0..4)).prop_map(|(device, faults)| Step::Sync { device, faults }),
        1 => any::<usize>().prop_map(|pick| Step::Deliver { pick }),
        1 => (0..WRITERS, 0..3usize, 0..3u8, any::<bool>()).prop_map(|(device, worker, item, done)| Step::Tick { device, worker, item, done }),
        2 => (0..WRITERS, 0..3usize, 1..5u8).prop_map(|(device, worker, quantity)| Step::HandOver { device, worker, quantity }),
        1 => (0..WRITERS, 0..3usize, 0..2u8, any::<bool>()).prop_map(|(device, worker, briefing, present)| Step::Brief { device, worker, briefing, present }),
        2 => any::<usize>().prop_map(|pick| Step::Receive { pick }),
        1 => any::<bool>().prop_map(|forget| Step::Prune { forget }),
    ]
}

/// Requests held back by the network, delivered later in any order.
type Delayed = Rc<RefCell<Vec<(Actor, PushRequest)>>>;

struct Net<'a> {
    db: &'a Db,
    actor: &'a Actor,
    faults: RefCell<Vec<Fault>>,
    delayed: Delayed,
    /// Creations the server acknowledged as applied, as the phone heard them.
    acked_creations: &'a RefCell<BTreeSet<Uuid>>,
    /// Deletions the server acknowledged as applied.
    acked_deletions: &'a RefCell<BTreeSet<Uuid>>,
    /// Pages pulled through this network: a pull that would never end fails
    /// the case (and shrinks) instead of hanging the run.
    pulls: Cell<u32>,
}

/// More pages than any case of these tests holds (pages of 7 records).
const MAX_PULLS: u32 = 500;

impl<'a> Net<'a> {
    /// A network that never fails.
    fn perfect(db: &'a Db, actor: &'a Actor, acked: &'a RefCell<BTreeSet<Uuid>>) -> Self {
        Net {
            db,
            actor,
            faults: RefCell::new(Vec::new()),
            delayed: Rc::default(),
            acked_creations: acked,
            acked_deletions: acked,
            pulls: Cell::new(0),
        }
    }

    fn next_fault(&self) -> Fault {
        let mut faults = self.faults.borrow_mut();
        if faults.is_empty() {
            Fault::None
        } else {
            faults.remove(0)
        }
    }
}

thread_local! {
    /// Every answer the server gave for each mutation, heard or not.
    static ANSWERS: RefCell<BTreeMap<Uuid, Outcome>> = RefCell::default();
}

/// A mutation is applied once: sent again (its answer lost), it gets the
/// answer it got the first time, never a second application's.
fn answered_the_same(res: &Result<PushResponse, server::SyncError>) {
    let Ok(res) = res else { return };
    ANSWERS.with_borrow_mut(|answers| {
        for ack in &res.acks {
            let first = answers
                .entry(ack.mutation_id)
                .or_insert_with(|| ack.outcome.clone());
            assert_eq!(
                *first, ack.outcome,
                "mutation {} answered differently when sent again",
                ack.mutation_id
            );
        }
    });
}

fn refused(err: server::SyncError) -> TransportError {
    TransportError::Refused(err.status(), err.body())
}

impl Transport for Net<'_> {
    async fn push(&self, req: &PushRequest) -> Result<PushResponse, TransportError> {
        let fault = self.next_fault();
        match fault {
            Fault::DropRequest => return Err(TransportError::Offline),
            Fault::Delay => {
                self.delayed
                    .borrow_mut()
                    .push((self.actor.clone(), req.clone()));
                return Err(TransportError::Offline);
            }
            _ => {}
        }
        let mut res = server::push(self.db, self.actor, req.clone()).await;
        answered_the_same(&res);
        if fault == Fault::Duplicate {
            res = server::push(self.db, self.actor, req.clone()).await;
            answered_the_same(&res);
        }
        if fault == Fault::DropResponse {
            return Err(TransportError::Offline);
        }
        let res = res.map_err(refused)?;
        for (ack, m) in res.acks.iter().zip(&req.mutations) {
            if matches!(ack.outcome, Outcome::Applied { .. }) {
                match m.op {
                    Op::Create => self.acked_creations.borrow_mut().insert(m.record_id),
                    Op::Delete => self.acked_deletions.borrow_mut().insert(m.record_id),
                    Op::Update => false,
                };
            }
        }
        Ok(res)
    }

    async fn pull(&self, req: &PullRequest) -> Result<PullResponse, TransportError> {
        match self.next_fault() {
            Fault::DropRequest | Fault::DropResponse | Fault::Delay => Err(TransportError::Offline),
            _ => {
                self.pulls.set(self.pulls.get() + 1);
                assert!(
                    self.pulls.get() <= MAX_PULLS,
                    "a pull that does not end: {MAX_PULLS} pages, the last from cursor {} (starting over: {})",
                    req.cursor,
                    req.starting_over
                );
                let res = server::pull(
                    self.db,
                    self.actor,
                    &PullRequest {
                        limit: Some(7),
                        ..req.clone()
                    },
                )
                .await
                .map_err(refused)?;
                // What the sync endpoint notes of the device (its cursor).
                if let Some(device) = req.device_id {
                    let report = crate::backend::devices::Report {
                        device,
                        session_hash: "",
                        user_agent: "",
                        pending: req.pending,
                        cursor: req.cursor,
                    };
                    // A database error here is answered as the endpoint would
                    // (busy or internal): the phone tries again later.
                    crate::backend::devices::seen(self.db, self.actor, report)
                        .await
                        .map_err(|e| refused(server::SyncError::from(e)))?;
                }
                Ok(res)
            }
        }
    }
}

pub(super) struct World {
    db: Db,
    pub(super) actors: Vec<Actor>,
    pub(super) workers: Vec<String>,
    pub(super) structure_id: String,
}

pub(super) async fn world(db: &Db) -> World {
    let mut conn = db.acquire().await.expect("conn");
    let tag = Uuid::now_v7().simple().to_string();
    let structure_id = insert_structure(&mut conn, "Simulation", false)
        .await
        .expect("structure");
    let mut ids = Vec::new();
    for (role, name) in [
        (Role::Supervisor, "a"),
        (Role::Supervisor, "b"),
        (Role::Counsellor, "c"),
    ] {
        let login = format!("{name}.{tag}");
        let new = NewUser {
            structure_id: &structure_id,
            role,
            login: &login,
            display_name: &login,
            password_hash: None,
        };
        ids.push(insert_user(&mut conn, new).await.expect("user"));
    }
    let team_a = insert_team(&mut conn, &structure_id, "A", "Espaces verts", &[&ids[0]])
        .await
        .expect("team");
    let team_b = insert_team(&mut conn, &structure_id, "B", "Bâtiment", &[&ids[1]])
        .await
        .expect("team");
    let mut workers = Vec::new();
    for (first, team) in [("Un", &team_a), ("Deux", &team_a), ("Trois", &team_b)] {
        let w = NewWorker {
            structure_id: &structure_id,
            user_id: None,
            first_name: first,
            last_name: "Test",
            team_id: Some(team),
            counsellor_id: Some(&ids[2]),
            contract_start: "2026-01-05",
            contract_end: None,
            phone: None,
            created_by: None,
        };
        workers.push(insert_worker(&mut conn, w).await.expect("worker"));
    }
    drop(conn);
    let mut actors = Vec::new();
    for id in [&ids[0], &ids[0], &ids[1], &ids[2]] {
        let user = crate::backend::session::user_by_id(db, id)
            .await
            .expect("user");
        actors.push(load_actor(db, user).await.expect("actor"));
    }
    World {
        db: db.clone(),
        actors,
        workers,
        structure_id,
    }
}

/// The sign-in of the world's worker number `n`, as an activated account.
async fn worker_actor(w: &World, n: usize) -> Actor {
    let mut conn = w.db.acquire().await.expect("conn");
    let login = format!("s{n}.{}", Uuid::now_v7().simple());
    let name = format!("Salarié {n}");
    let user_id = insert_user(
        &mut conn,
        NewUser {
            structure_id: &w.structure_id,
            role: Role::Worker,
            login: &login,
            display_name: &name,
            password_hash: None,
        },
    )
    .await
    .expect("user");
    sqlx::query("UPDATE workers SET user_id = $1 WHERE id = $2")
        .bind(&user_id)
        .bind(&w.workers[n])
        .execute(&mut *conn)
        .await
        .expect("link");
    drop(conn);
    let user = crate::backend::session::user_by_id(&w.db, &user_id)
        .await
        .expect("u");
    load_actor(&w.db, user).await.expect("worker actor")
}

/// Moves `worker` into the team of `colleague`, as an admin would.
async fn move_to_team_of(db: &Db, worker: &str, colleague: &str) {
    sqlx::query(
        "UPDATE workers SET team_id = (SELECT team_id FROM workers WHERE id = $1) WHERE id = $2",
    )
    .bind(colleague)
    .bind(worker)
    .execute(db)
    .await
    .expect("move");
}

/// An observation change written by the test's phone.
fn note<'a>(id: Uuid, worker_id: &'a str, data: serde_json::Value, now: &'a str) -> Change<'a> {
    Change {
        record_type: RECORD_TYPE,
        schema: SCHEMA,
        id,
        worker_id,
        data,
        author_id: "test",
        author_name: "A",
        now,
    }
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

pub(super) fn observation(worker: &str, text: &str) -> serde_json::Value {
    json!({ "worker_id": worker, "observed_on": today(), "kind": "skill", "body": text })
}

/// The records a phone shows, as comparable values: its observations and
/// the worksite's records.
fn shown(store: &MemoryStore) -> BTreeMap<Uuid, (serde_json::Value, i64, usize)> {
    store
        .visible(RECORD_TYPE)
        .into_iter()
        .chain(store.visible(welcome::RECORD_TYPE))
        .chain(store.visible(equipment::RECORD_TYPE))
        .chain(store.visible(briefings::RECORD_TYPE))
        .chain(store.visible(equipment::RECEIPT_TYPE))
        .map(|r| (r.id, (r.data, r.version, r.conflicts.len())))
        .collect()
}

/// Saves a worksite record on a phone, as its screens do: `key` is the
/// record type, its schema and the record's id.
async fn save_on(
    store: &MemoryStore,
    key: (&str, u32, Uuid),
    worker_id: &str,
    data: &impl serde::Serialize,
    now: &str,
) {
    let change = Change {
        record_type: key.0,
        schema: key.1,
        id: key.2,
        worker_id,
        data: serde_json::to_value(data).expect("json"),
        author_id: "test",
        author_name: "A",
        now,
    };
    engine::save(store, change).await.expect("save");
}

async fn run_case(db: &Db, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let w = world(db).await;
    let mut actors = w.actors.clone();
    actors.push(worker_actor(&w, 0).await);
    ANSWERS.with_borrow_mut(BTreeMap::clear);
    let stores: Vec<MemoryStore> = (0..DEVICES).map(|_| MemoryStore::default()).collect();
    let device_ids: Vec<Uuid> = (0..DEVICES).map(|_| Uuid::now_v7()).collect();
    let delayed: Delayed = Rc::default();
    let acked = RefCell::new(BTreeSet::new());
    let deleted = RefCell::new(BTreeSet::new());
    let mut created: Vec<(usize, Uuid)> = Vec::new();
    let now = crate::backend::db::now();
    let sync = |device: usize, faults: Vec<Fault>| {
        let net = Net {
            db: &w.db,
            actor: &actors[device],
            faults: RefCell::new(faults),
            delayed: delayed.clone(),
            acked_creations: &acked,
            acked_deletions: &deleted,
            pulls: Cell::new(0),
        };
        let store = &stores[device];
        let device_id = device_ids[device];
        let now = now.clone();
        async move { engine::sync(store, &net, RECORD_TYPES, device_id, &now).await }
    };

    for step in steps {
        match step {
            Step::Create {
                device,
                worker,
                text,
            } => {
                let id = Uuid::now_v7();
                let worker_id = &w.workers[worker];
                let change = note(
                    id,
                    worker_id,
                    observation(worker_id, &format!("note {text}")),
                    &now,
                );
                engine::save(&stores[device], change).await.expect("save");
                created.push((device, id));
            }
            Step::Edit { device, pick, text } => {
                let records = stores[device].visible(RECORD_TYPE);
                if records.is_empty() {
                    continue;
                }
                let r = &records[pick % records.len()];
                let change = note(
                    r.id,
                    &r.worker_id,
                    observation(&r.worker_id, &format!("edit {text}")),
                    &now,
                );
                engine::save(&stores[device], change).await.expect("edit");
            }
            Step::Delete { device, pick } => {
                let records = stores[device].visible(RECORD_TYPE);
                if records.is_empty() {
                    continue;
                }
                let id = records[pick % records.len()].id;
                engine::delete(&stores[device], RECORD_TYPE, SCHEMA, id, &now)
                    .await
                    .expect("delete");
            }
            Step::Sync { device, faults } => {
                let _ = sync(device, faults).await;
            }
            Step::Deliver { pick } => {
                let held = {
                    let mut d = delayed.borrow_mut();
                    if d.is_empty() {
                        continue;
                    }
                    let n = pick % d.len();
                    d.remove(n)
                };
                answered_the_same(&server::push(&w.db, &held.0, held.1).await);
            }
            Step::Tick {
                device,
                worker,
                item,
                done,
            } => {
                let step = welcome::WelcomeStep {
                    worker_id: w.workers[worker].clone(),
                    item_id: format!("etape-{item}"),
                    title: format!("Étape {item}"),
                    planned_on: String::new(),
                    done_on: if done { today() } else { String::new() },
                    note: String::new(),
                };
                let key = (welcome::RECORD_TYPE, welcome::SCHEMA, step.record_id());
                save_on(&stores[device], key, &step.worker_id, &step, &now).await;
            }
            Step::HandOver {
                device,
                worker,
                quantity,
            } => {
                let handed = equipment::Equipment {
                    worker_id: w.workers[worker].clone(),
                    kind: equipment::Kind::Gloves,
                    label: String::new(),
                    size: String::new(),
                    quantity: u32::from(quantity),
                    handed_on: today(),
                    renew_on: String::new(),
                    acknowledged_on: String::new(),
                };
                let key = (equipment::RECORD_TYPE, equipment::SCHEMA, Uuid::now_v7());
                save_on(&stores[device], key, &handed.worker_id, &handed, &now).await;
            }
            Step::Brief {
                device,
                worker,
                briefing,
                present,
            } => {
                let line = briefings::Briefing {
                    briefing_id: Uuid::from_u128(u128::from(briefing) + 1).to_string(),
                    team_id: Uuid::from_u128(99).to_string(),
                    held_on: today(),
                    topic: format!("Thème {briefing}"),
                    notes: String::new(),
                    worker_id: w.workers[worker].clone(),
                    present,
                };
                let key = (briefings::RECORD_TYPE, briefings::SCHEMA, line.record_id());
                save_on(&stores[device], key, &line.worker_id, &line, &now).await;
            }
            Step::Receive { pick } => {
                // She opens Jalon online (her phone syncs), then confirms.
                let _ = sync(WORKER_PHONE, Vec::new()).await;
                let held = stores[WORKER_PHONE].visible(equipment::RECORD_TYPE);
                if held.is_empty() {
                    continue;
                }
                let piece = &held[pick % held.len()];
                let receipt = equipment::Receipt {
                    worker_id: piece.worker_id.clone(),
                    equipment_id: piece.id.to_string(),
                    received_on: today(),
                };
                let key = (
                    equipment::RECEIPT_TYPE,
                    equipment::SCHEMA,
                    receipt.record_id(),
                );
                save_on(
                    &stores[WORKER_PHONE],
                    key,
                    &receipt.worker_id,
                    &receipt,
                    &now,
                )
                .await;
            }
            Step::Prune { forget } => {
                // Forgetting: the housekeeping of a month later, every device
                // still away.
                let days = if forget {
                    server::DEVICE_ACTIVE_DAYS + 1
                } else {
                    0
                };
                let when = chrono::Utc::now() + chrono::Duration::days(days);
                // A failed pass is retried at the next period, as the job is.
                let _ = server::prune_tombstones(&w.db, when, server::DEVICE_ACTIVE_DAYS).await;
            }
        }
    }

    // The network heals: late requests land, then every phone syncs.
    let late: Vec<_> = delayed.borrow_mut().drain(..).collect();
    for (actor, req) in late {
        answered_the_same(&server::push(&w.db, &actor, req).await);
    }
    for _ in 0..2 {
        for device in 0..DEVICES {
            sync(device, Vec::new())
                .await
                .map_err(|e| TestCaseError::fail(format!("heal sync failed: {e}")))?;
        }
    }

    // Server truth.
    let rows: Vec<(String, crate::backend::db::Flag, String, i64)> = sqlx::query_as(
        "SELECT id, deleted, worker_id, version FROM observations WHERE structure_id = $1 \
         UNION ALL SELECT id, deleted, worker_id, version FROM welcome_steps WHERE structure_id = $1 \
         UNION ALL SELECT id, deleted, worker_id, version FROM equipment WHERE structure_id = $1 \
         UNION ALL SELECT id, deleted, worker_id, version FROM briefings WHERE structure_id = $1 \
         UNION ALL SELECT id, deleted, worker_id, version FROM equipment_receipts WHERE structure_id = $1",
    )
    .bind(&w.structure_id)
    .fetch_all(&w.db)
    .await
    .expect("rows");
    let on_server: BTreeSet<Uuid> = rows
        .iter()
        .map(|r| Uuid::parse_str(&r.0).expect("uuid"))
        .collect();
    prop_assert_eq!(on_server.len(), rows.len(), "a record stored twice");

    // Every acknowledged creation is on the server (once: the id is its key)
    // unless it was deleted since (and its tombstone pruned).
    for id in acked.borrow().iter() {
        prop_assert!(
            on_server.contains(id) || deleted.borrow().contains(id),
            "acknowledged {} missing",
            id
        );
    }
    // A deletion the server acknowledged is never undone: no retried
    // creation or edit brings the record back, pruned tombstone or not.
    for (id, gone, ..) in &rows {
        let id = Uuid::parse_str(id).expect("uuid");
        prop_assert!(
            gone.0 || !deleted.borrow().contains(&id),
            "deleted record {} came back",
            id
        );
    }

    for (device, store) in stores.iter().enumerate() {
        let outbox = store.outbox().await.expect("outbox");
        let rejected: BTreeSet<Uuid> = outbox
            .iter()
            .filter(|e| e.rejected.is_some())
            .map(|e| e.mutation.record_id)
            .collect();
        prop_assert!(
            outbox.iter().all(|e| e.rejected.is_some()),
            "device {} still has changes waiting after the network healed",
            device
        );
        // Every record created here reached the server, or was deleted
        // before it ever left the phone, or was refused and is still shown.
        for (_, id) in created.iter().filter(|(d, _)| *d == device) {
            let refused_here = rejected.contains(id);
            let still_here = store
                .record(RECORD_TYPE, *id)
                .await
                .expect("record")
                .is_some();
            prop_assert!(
                on_server.contains(id) || refused_here || !still_here,
                "record {} created on device {} was lost",
                id,
                device
            );
            if refused_here {
                let r = store
                    .record(RECORD_TYPE, *id)
                    .await
                    .expect("r")
                    .expect("kept");
                let refused = matches!(r.state, RecordState::Rejected { .. });
                prop_assert!(refused, "a refused record shows its refusal");
            }
        }
    }

    // Convergence: each phone shows exactly the server's records it may see,
    // with the same data, version and conflicts (refused local changes aside).
    let mut views = Vec::new();
    for (device, store) in stores.iter().enumerate() {
        let mut mine = shown(store);
        let outbox = store.outbox().await.expect("outbox");
        for e in outbox.iter().filter(|e| e.rejected.is_some()) {
            mine.remove(&e.mutation.record_id);
        }
        let truth = server::pull(
            &w.db,
            &actors[device],
            &PullRequest {
                cursor: 0,
                scope: String::new(),
                roster: String::new(),
                limit: Some(PULL_PAGE),
                ..Default::default()
            },
        )
        .await
        .expect("truth");
        let expected: BTreeMap<Uuid, (serde_json::Value, i64, usize)> = truth
            .records
            .into_iter()
            .filter(|r| !r.deleted)
            .filter(|r| !outbox.iter().any(|e| e.mutation.record_id == r.id))
            .map(|r| (r.id, (r.data, r.version, r.conflicts.len())))
            .collect();
        prop_assert_eq!(
            &mine,
            &expected,
            "device {} diverges from the server",
            device
        );
        views.push(mine);
    }
    prop_assert_eq!(&views[0], &views[1], "two phones of the same person differ");
    Ok(())
}

fn test_db() -> (tempfile::TempDir, tokio::runtime::Runtime, Db) {
    let dir = tempfile::tempdir().expect("dir");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let db = rt.block_on(crate::backend::scratch::database(dir.path(), "sync"));
    (dir, rt, db)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("JALON_SYNC_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
        max_shrink_iters: std::env::var("JALON_SYNC_SHRINK").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    #[test]
    fn devices_converge_and_nothing_is_lost_or_doubled(steps in prop::collection::vec(step(), 1..40)) {
        thread_local! {
            static WORLD: (tempfile::TempDir, tokio::runtime::Runtime, Db) = test_db();
        }
        WORLD.with(|(_, rt, db)| rt.block_on(run_case(db, steps)))?;
    }
}

/// Deterministic cases of the same machinery, easy to read when they fail.
mod cases {
    use super::*;

    fn mutation(op: Op, record: Uuid, base: i64, data: serde_json::Value) -> Mutation {
        Mutation {
            id: Uuid::now_v7(),
            record_type: RECORD_TYPE.into(),
            schema: SCHEMA,
            record_id: record,
            op,
            base_version: base,
            data,
        }
    }

    async fn count(db: &Db, structure: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE structure_id = $1")
            .bind(structure)
            .fetch_one(db)
            .await
            .expect("count")
    }

    #[test]
    fn a_retried_push_is_applied_once_and_answered_the_same() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let req = PushRequest {
                outbox_from: None,
                device_id: Uuid::now_v7(),
                batch: 1,
                mutations: vec![mutation(
                    Op::Create,
                    Uuid::now_v7(),
                    0,
                    observation(&w.workers[0], "Taille de haie"),
                )],
            };
            let first = server::push(&db, &w.actors[0], req.clone())
                .await
                .expect("first");
            let again = server::push(&db, &w.actors[0], req).await.expect("again");
            assert_eq!(first, again);
            assert_eq!(count(&db, &w.structure_id).await, 1);
        });
    }

    #[test]
    fn bad_batches_are_refused_whole_with_a_precise_status() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let device = Uuid::now_v7();
            let good = || {
                mutation(
                    Op::Create,
                    Uuid::now_v7(),
                    0,
                    observation(&w.workers[0], "Bien"),
                )
            };
            let push = |batch: i64, mutations: Vec<Mutation>| {
                let db = db.clone();
                let actor = w.actors[0].clone();
                async move {
                    server::push(
                        &db,
                        &actor,
                        PushRequest {
                            outbox_from: None,
                            device_id: device,
                            batch,
                            mutations,
                        },
                    )
                    .await
                }
            };
            let mut unknown = good();
            unknown.record_type = "<script>alert(1)</script>".into();
            let err = push(1, vec![good(), unknown])
                .await
                .expect_err("unknown type");
            assert_eq!(
                (err.status(), err.body().error.as_str()),
                (422, "unknown_record_type")
            );
            let mut future = good();
            future.schema = 99;
            let err = push(1, vec![good(), future]).await.expect_err("schema");
            assert_eq!(
                (err.status(), err.body().error.as_str()),
                (422, "unsupported_schema")
            );
            let err = push(1, (0..=MAX_BATCH).map(|_| good()).collect())
                .await
                .expect_err("size");
            assert_eq!(err.status(), 413);
            // Worker 2 is team B's: supervisor A may not see them.
            let hidden = mutation(
                Op::Create,
                Uuid::now_v7(),
                0,
                observation(&w.workers[2], "x"),
            );
            let hidden_id = hidden.id;
            let err = push(1, vec![good(), good(), hidden])
                .await
                .expect_err("hidden");
            assert_eq!(
                (err.status(), err.body().mutation_id),
                (403, Some(hidden_id))
            );
            assert_eq!(
                count(&db, &w.structure_id).await,
                0,
                "nothing of a refused batch is written"
            );
            // Invalid content is a per-mutation refusal; the rest is applied.
            let empty = mutation(
                Op::Create,
                Uuid::now_v7(),
                0,
                observation(&w.workers[0], "   "),
            );
            let quote = mutation(
                Op::Create,
                Uuid::now_v7(),
                0,
                observation(&w.workers[0], "l'équipe'); DROP TABLE observations; --"),
            );
            let res = push(2, vec![empty, quote]).await.expect("batch");
            assert!(matches!(
                res.acks[0].outcome,
                Outcome::Rejected {
                    reason: RejectReason::Invalid,
                    ..
                }
            ));
            assert!(matches!(
                res.acks[1].outcome,
                Outcome::Applied { version: 1 }
            ));
            assert_eq!(count(&db, &w.structure_id).await, 1);
            // An older batch arriving late is refused.
            let err = push(1, vec![good()]).await.expect_err("stale");
            assert_eq!((err.status(), err.body().last_batch), (409, Some(2)));
            // Another person can't use this device id.
            let err = server::push(
                &db,
                &w.actors[2],
                PushRequest {
                    outbox_from: None,
                    device_id: device,
                    batch: 9,
                    mutations: vec![],
                },
            )
            .await
            .expect_err("taken");
            assert_eq!(err.status(), 403);
        });
    }

    #[test]
    fn concurrent_edits_keep_both_versions_until_someone_chooses() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let (phone, tablet) = (MemoryStore::default(), MemoryStore::default());
            let acked = RefCell::new(BTreeSet::new());
            let net = |device: usize| Net::perfect(&db, &w.actors[device], &acked);
            let (d1, d2) = (Uuid::now_v7(), Uuid::now_v7());
            let id = Uuid::now_v7();
            let now = crate::backend::db::now();
            let write = |store, text: &'static str| {
                let worker = w.workers[0].clone();
                let now = now.clone();
                async move {
                    let change = note(id, &worker, observation(&worker, text), &now);
                    engine::save(store, change).await.expect("save");
                }
            };
            write(&phone, "Première version").await;
            engine::sync(&phone, &net(0), RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            engine::sync(&tablet, &net(1), RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            write(&phone, "Corrigé sur le téléphone").await;
            write(&tablet, "Corrigé sur la tablette").await;
            engine::sync(&phone, &net(0), RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            let report = engine::sync(&tablet, &net(1), RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            assert_eq!(report.rejected, 1, "the tablet's edit is a conflict");
            engine::sync(&phone, &net(0), RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            for store in [&phone, &tablet] {
                let r = store
                    .record(RECORD_TYPE, id)
                    .await
                    .expect("r")
                    .expect("record");
                assert_eq!(r.state, RecordState::Conflict);
                assert_eq!(r.data["body"], "Corrigé sur le téléphone");
                assert_eq!(r.conflicts.len(), 1);
                assert_eq!(r.conflicts[0].data["body"], "Corrigé sur la tablette");
            }
            // Choosing a version on one device clears the conflict everywhere.
            write(&tablet, "Corrigé sur la tablette").await;
            engine::sync(&tablet, &net(1), RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            engine::sync(&phone, &net(0), RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            for store in [&phone, &tablet] {
                let r = store
                    .record(RECORD_TYPE, id)
                    .await
                    .expect("r")
                    .expect("record");
                assert_eq!(r.state, RecordState::Sent);
                assert!(r.conflicts.is_empty());
                assert_eq!(r.data["body"], "Corrigé sur la tablette");
            }
        });
    }

    async fn kept_answers(db: &Db, device: Uuid) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM sync_mutations WHERE device_id = $1")
            .bind(device.to_string())
            .fetch_one(db)
            .await
            .expect("count")
    }

    #[test]
    fn kept_answers_go_once_the_phone_can_no_longer_send_them_again() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let acked = RefCell::new(BTreeSet::new());
            let now = crate::backend::db::now();
            let (phone, tablet) = (MemoryStore::default(), MemoryStore::default());
            let (d1, d2) = (Uuid::now_v7(), Uuid::now_v7());
            let lossy = |faults: Vec<Fault>| Net {
                faults: RefCell::new(faults),
                ..Net::perfect(&db, &w.actors[0], &acked)
            };
            // The phone's note reaches the server; the answer is lost.
            let id = Uuid::now_v7();
            let worker = &w.workers[0];
            let first = note(id, worker, observation(worker, "Premier jet"), &now);
            engine::save(&phone, first).await.expect("save");
            let lost = engine::sync(
                &phone,
                &lossy(vec![Fault::DropResponse]),
                RECORD_TYPES,
                d1,
                &now,
            )
            .await;
            assert!(lost.is_err(), "the phone heard nothing");
            // The same person edits it on the tablet meanwhile.
            let tablet_net = Net::perfect(&db, &w.actors[1], &acked);
            engine::sync(&tablet, &tablet_net, RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            let edit = note(
                id,
                worker,
                observation(worker, "Repris sur la tablette"),
                &now,
            );
            engine::save(&tablet, edit).await.expect("edit");
            engine::sync(&tablet, &tablet_net, RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            // A second note waits on the phone: its push carries both, and
            // the first is still answered from what was kept: applied once,
            // no conflict made of the phone's own first version.
            let other = Uuid::now_v7();
            let second = note(other, worker, observation(worker, "Deuxième"), &now);
            engine::save(&phone, second).await.expect("save");
            let report = engine::sync(&phone, &lossy(Vec::new()), RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            assert_eq!((report.sent, report.rejected), (2, 0));
            let r = phone
                .record(RECORD_TYPE, id)
                .await
                .expect("r")
                .expect("kept");
            assert_eq!(r.data["body"], "Repris sur la tablette");
            assert!(r.conflicts.is_empty(), "no conflict with itself");
            assert_eq!(
                kept_answers(&db, d1).await,
                2,
                "both kept until the next push"
            );
            // The next push says the outbox starts after them: they go.
            let third = note(
                Uuid::now_v7(),
                worker,
                observation(worker, "Troisième"),
                &now,
            );
            engine::save(&phone, third).await.expect("save");
            engine::sync(&phone, &lossy(Vec::new()), RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            assert_eq!(
                kept_answers(&db, d1).await,
                1,
                "only the last answer is kept"
            );
            // A late copy of an older push changes nothing.
            let stale = PushRequest {
                device_id: d1,
                batch: 1,
                mutations: vec![mutation(
                    Op::Create,
                    id,
                    0,
                    observation(worker, "Premier jet"),
                )],
                outbox_from: None,
            };
            let refused = server::push(&db, &w.actors[0], stale).await;
            assert!(matches!(refused, Err(server::SyncError::StaleBatch { .. })));
            let version: i64 = sqlx::query_scalar("SELECT version FROM observations WHERE id = $1")
                .bind(id.to_string())
                .fetch_one(&db)
                .await
                .expect("version");
            assert_eq!(
                version, 2,
                "the phone's note and the tablet's edit, nothing more"
            );
        });
    }

    #[test]
    fn a_phone_away_past_the_pruned_deletions_starts_over() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let acked = RefCell::new(BTreeSet::new());
            let now = crate::backend::db::now();
            let (phone, tablet) = (MemoryStore::default(), MemoryStore::default());
            let (d1, d2) = (Uuid::now_v7(), Uuid::now_v7());
            let phone_net = Net::perfect(&db, &w.actors[0], &acked);
            let tablet_net = Net::perfect(&db, &w.actors[1], &acked);
            let worker = &w.workers[0];
            let (gone, stays) = (Uuid::now_v7(), Uuid::now_v7());
            for (id, text) in [(gone, "À effacer"), (stays, "À garder")] {
                engine::save(&phone, note(id, worker, observation(worker, text), &now))
                    .await
                    .expect("save");
            }
            // Enough other notes for a start-over of several pages (7 each).
            let others: Vec<Uuid> = (0..20).map(|_| Uuid::now_v7()).collect();
            for (n, id) in others.iter().enumerate() {
                let text = format!("Note {n}");
                engine::save(&phone, note(*id, worker, observation(worker, &text), &now))
                    .await
                    .expect("save");
            }
            engine::sync(&phone, &phone_net, RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            engine::sync(&tablet, &tablet_net, RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            engine::delete(&phone, RECORD_TYPE, SCHEMA, gone, &now)
                .await
                .expect("delete");
            engine::sync(&phone, &phone_net, RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            engine::sync(&phone, &phone_net, RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            let tombstones = || async {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM observations WHERE deleted = TRUE",
                )
                .fetch_one(&db)
                .await
                .expect("count")
            };
            // The tablet has not pulled the deletion: it holds the pruning back.
            let held =
                server::prune_tombstones(&db, chrono::Utc::now(), server::DEVICE_ACTIVE_DAYS)
                    .await
                    .expect("prune");
            assert_eq!((held.tombstones, tombstones().await), (0, 1));
            // Once every active device is past it, it goes.
            engine::sync(&tablet, &tablet_net, RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            engine::sync(&tablet, &tablet_net, RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            engine::sync(&phone, &phone_net, RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            let done =
                server::prune_tombstones(&db, chrono::Utc::now(), server::DEVICE_ACTIVE_DAYS)
                    .await
                    .expect("prune");
            assert_eq!((done.tombstones, tombstones().await), (1, 0));
            // A third phone that synced before the deletion and was away more
            // than a month: its next pull is a reset, without the deleted note.
            let away = MemoryStore::default();
            let d3 = Uuid::now_v7();
            let away_net = Net::perfect(&db, &w.actors[1], &acked);
            // (It holds the note as pulled before, with a cursor below the horizon.)
            let mut meta = engine::meta_or_new(&tablet, d2).await.expect("meta");
            meta.device_id = d3;
            meta.cursor = 1;
            away.commit(vec![
                jalon_core::sync::engine::Write::PutMeta(meta),
                jalon_core::sync::engine::Write::PutRecord(
                    tablet
                        .record(RECORD_TYPE, stays)
                        .await
                        .expect("r")
                        .expect("stays"),
                ),
                jalon_core::sync::engine::Write::PutRecord(jalon_core::sync::engine::LocalRecord {
                    id: gone,
                    ..tablet
                        .record(RECORD_TYPE, stays)
                        .await
                        .expect("r")
                        .expect("stays")
                }),
            ])
            .await
            .expect("seed");
            assert_eq!(away.visible(RECORD_TYPE).len(), 2);
            engine::sync(&away, &away_net, RECORD_TYPES, d3, &now)
                .await
                .expect("sync");
            // Its start-over took several pages, each following the last.
            assert!(away_net.pulls.get() > 3, "{} pages", away_net.pulls.get());
            let ids: BTreeSet<Uuid> = away.visible(RECORD_TYPE).iter().map(|r| r.id).collect();
            let mut expected: BTreeSet<Uuid> = others.into_iter().collect();
            expected.insert(stays);
            assert_eq!(
                ids, expected,
                "the deleted note left the phone that was away, the others all came"
            );
        });
    }

    #[test]
    fn a_creation_sent_again_after_its_tombstone_was_pruned_stays_deleted() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let acked = RefCell::new(BTreeSet::new());
            let deleted = RefCell::new(BTreeSet::new());
            let now = crate::backend::db::now();
            let (phone, tablet) = (MemoryStore::default(), MemoryStore::default());
            let (d1, d2) = (Uuid::now_v7(), Uuid::now_v7());
            let worker = &w.workers[0];
            let id = Uuid::now_v7();
            engine::save(
                &phone,
                note(id, worker, observation(worker, "Premier jet"), &now),
            )
            .await
            .expect("save");
            // Applied by the server, but the phone never hears the answer.
            let lossy = Net {
                db: &db,
                actor: &w.actors[0],
                faults: RefCell::new(vec![Fault::DropResponse]),
                delayed: Rc::default(),
                acked_creations: &acked,
                acked_deletions: &deleted,
                pulls: Cell::new(0),
            };
            let _ = engine::sync(&phone, &lossy, RECORD_TYPES, d1, &now).await;
            // Edited on the phone: its outbox still holds a creation.
            engine::save(
                &phone,
                note(id, worker, observation(worker, "Corrigé"), &now),
            )
            .await
            .expect("edit");
            // The other phone of the same supervisor deletes it.
            let tablet_net = Net::perfect(&db, &w.actors[1], &acked);
            engine::sync(&tablet, &tablet_net, RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            engine::delete(&tablet, RECORD_TYPE, SCHEMA, id, &now)
                .await
                .expect("delete");
            engine::sync(&tablet, &tablet_net, RECORD_TYPES, d2, &now)
                .await
                .expect("sync");
            // Every phone counts as away: the tombstone goes, its id stays.
            let later = chrono::Utc::now() + chrono::Duration::days(server::DEVICE_ACTIVE_DAYS + 1);
            let pruned = server::prune_tombstones(&db, later, server::DEVICE_ACTIVE_DAYS)
                .await
                .expect("prune");
            assert_eq!(pruned.tombstones, 1);
            // The phone comes back with its creation.
            let phone_net = Net::perfect(&db, &w.actors[0], &acked);
            let report = engine::sync(&phone, &phone_net, RECORD_TYPES, d1, &now)
                .await
                .expect("sync");
            assert_eq!(report.rejected, 1, "answered as a deleted record");
            let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE id = $1")
                .bind(id.to_string())
                .fetch_one(&db)
                .await
                .expect("count");
            assert_eq!(rows, 0, "the deleted note did not come back");
            assert!(phone.visible(RECORD_TYPE).is_empty(), "and left the phone");
            assert!(phone.outbox().await.expect("outbox").is_empty());
            // A later edit or deletion of that id is answered the same way.
            let stray = server::push(
                &db,
                &w.actors[0],
                PushRequest {
                    device_id: d1,
                    batch: 1_000,
                    mutations: vec![mutation(Op::Update, id, 2, observation(worker, "Encore"))],
                    outbox_from: None,
                },
            )
            .await
            .expect("push");
            assert!(matches!(
                &stray.acks[0].outcome,
                Outcome::Rejected {
                    reason: RejectReason::Conflict,
                    ..
                }
            ));
        });
    }

    #[test]
    fn a_worker_moving_team_changes_what_each_phone_holds() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let acked = RefCell::new(BTreeSet::new());
            let net = |device: usize| Net::perfect(&db, &w.actors[device], &acked);
            let (a, b) = (MemoryStore::default(), MemoryStore::default());
            let now = crate::backend::db::now();
            let change = note(
                Uuid::now_v7(),
                &w.workers[0],
                observation(&w.workers[0], "Très bon travail"),
                &now,
            );
            engine::save(&a, change).await.expect("save");
            engine::sync(&a, &net(0), RECORD_TYPES, Uuid::now_v7(), &now)
                .await
                .expect("sync a");
            engine::sync(&b, &net(2), RECORD_TYPES, Uuid::now_v7(), &now)
                .await
                .expect("sync b");
            assert_eq!(b.visible(RECORD_TYPE).len(), 0);
            assert_eq!(b.workers().await.expect("w").len(), 1);
            move_to_team_of(&db, &w.workers[0], &w.workers[2]).await;
            engine::sync(&a, &net(0), RECORD_TYPES, Uuid::now_v7(), &now)
                .await
                .expect("sync a");
            engine::sync(&b, &net(2), RECORD_TYPES, Uuid::now_v7(), &now)
                .await
                .expect("sync b");
            assert_eq!(
                a.visible(RECORD_TYPE).len(),
                0,
                "A no longer holds the moved worker's notes"
            );
            assert_eq!(
                b.visible(RECORD_TYPE).len(),
                1,
                "B now holds them, older ones included"
            );
            assert_eq!(b.workers().await.expect("w").len(), 2);
        });
    }

    #[test]
    fn a_refused_change_can_be_sent_again_or_given_up() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let acked = RefCell::new(BTreeSet::new());
            let phone = MemoryStore::default();
            let device = Uuid::now_v7();
            let now = crate::backend::db::now();
            let net = Net::perfect(&db, &w.actors[0], &acked);
            // A note about team B's worker: supervisor A may not see them.
            let id = Uuid::now_v7();
            let change = note(
                id,
                &w.workers[2],
                observation(&w.workers[2], "Mauvaise équipe"),
                &now,
            );
            engine::save(&phone, change).await.expect("save");
            let report = engine::sync(&phone, &net, RECORD_TYPES, device, &now)
                .await
                .expect("sync");
            assert_eq!(report.rejected, 1);
            let r = phone
                .record(RECORD_TYPE, id)
                .await
                .expect("r")
                .expect("kept");
            assert!(matches!(
                r.state,
                RecordState::Rejected {
                    reason: RejectReason::NotAllowed,
                    ..
                }
            ));
            assert_eq!(
                engine::waiting(&phone).await.expect("waiting").0,
                0,
                "not sent again by itself"
            );

            // The worker joins team A: sent again, it goes through.
            move_to_team_of(&db, &w.workers[2], &w.workers[0]).await;
            engine::retry(&phone, RECORD_TYPE, id).await.expect("retry");
            engine::sync(&phone, &net, RECORD_TYPES, device, &now)
                .await
                .expect("sync");
            let r = phone
                .record(RECORD_TYPE, id)
                .await
                .expect("r")
                .expect("kept");
            assert_eq!(r.state, RecordState::Sent);

            // An edit refused for being invalid is given up: the server's copy comes back.
            let mut bad = observation(&w.workers[2], "x");
            bad["observed_on"] = json!("2000-01-01");
            let change = note(id, &w.workers[2], bad, &now);
            engine::save(&phone, change).await.expect("save");
            engine::sync(&phone, &net, RECORD_TYPES, device, &now)
                .await
                .expect("sync");
            let r = phone
                .record(RECORD_TYPE, id)
                .await
                .expect("r")
                .expect("kept");
            assert!(matches!(
                r.state,
                RecordState::Rejected {
                    reason: RejectReason::Invalid,
                    ..
                }
            ));
            engine::discard(&phone, RECORD_TYPE, id)
                .await
                .expect("discard");
            engine::sync(&phone, &net, RECORD_TYPES, device, &now)
                .await
                .expect("sync");
            let r = phone
                .record(RECORD_TYPE, id)
                .await
                .expect("r")
                .expect("back");
            assert_eq!(
                (r.state, r.data["body"].as_str()),
                (RecordState::Sent, Some("Mauvaise équipe"))
            );
        });
    }

    #[test]
    fn a_note_deleted_before_it_left_the_phone_never_reaches_the_server() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let acked = RefCell::new(BTreeSet::new());
            let phone = MemoryStore::default();
            let now = crate::backend::db::now();
            let id = Uuid::now_v7();
            let change = note(
                id,
                &w.workers[0],
                observation(&w.workers[0], "Écrit par erreur"),
                &now,
            );
            engine::save(&phone, change).await.expect("save");
            engine::delete(&phone, RECORD_TYPE, SCHEMA, id, &now)
                .await
                .expect("delete");
            assert!(phone.outbox().await.expect("outbox").is_empty());
            let net = Net::perfect(&db, &w.actors[0], &acked);
            engine::sync(&phone, &net, RECORD_TYPES, Uuid::now_v7(), &now)
                .await
                .expect("sync");
            assert_eq!(count(&db, &w.structure_id).await, 0);
        });
    }

    /// An attendance change written by the test's phone.
    async fn point(store: &MemoryStore, entry: &jalon_core::attendance::Attendance, who: &str) {
        let now = crate::backend::db::now();
        let change = Change {
            record_type: jalon_core::attendance::RECORD_TYPE,
            schema: jalon_core::attendance::SCHEMA,
            id: entry.record_id(),
            worker_id: &entry.worker_id,
            data: serde_json::to_value(entry).expect("json"),
            author_id: who,
            author_name: who,
            now: &now,
        };
        engine::save(store, change).await.expect("save");
    }

    async fn pointed(store: &MemoryStore, id: Uuid) -> jalon_core::attendance::Attendance {
        let r = store
            .record(jalon_core::attendance::RECORD_TYPE, id)
            .await
            .expect("r")
            .expect("record");
        serde_json::from_value(r.data).expect("attendance")
    }

    async fn scalar(db: &Db, sql: &str, id: &str) -> i64 {
        sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(db)
            .await
            .expect("scalar")
    }

    #[test]
    fn attendance_is_one_record_per_day_shared_by_the_team_s_supervisors() {
        use jalon_core::attendance::{AbsenceReason, Attendance, Presence, Slot};
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            // Supervisor B also leads team A.
            sqlx::query(
                "INSERT INTO team_supervisors (team_id, user_id) \
                 SELECT team_id, $1 FROM workers WHERE id = $2",
            )
            .bind(&w.actors[2].user.id)
            .bind(&w.workers[0])
            .execute(&db)
            .await
            .expect("co-lead");
            let b = load_actor(&db, w.actors[2].user.clone()).await.expect("b");
            let acked = RefCell::new(BTreeSet::new());
            let (phone_a, phone_b) = (MemoryStore::default(), MemoryStore::default());
            let (da, db_) = (Uuid::now_v7(), Uuid::now_v7());
            let now = crate::backend::db::now();
            let sync_a = || async {
                engine::sync(
                    &phone_a,
                    &Net::perfect(&db, &w.actors[0], &acked),
                    RECORD_TYPES,
                    da,
                    &now,
                )
                .await
                .expect("sync a")
            };
            let sync_b = || async {
                engine::sync(
                    &phone_b,
                    &Net::perfect(&db, &b, &acked),
                    RECORD_TYPES,
                    db_,
                    &now,
                )
                .await
                .expect("sync b")
            };
            let present = Attendance::present(&w.workers[0], &today(), Slot::Day);
            let id = present.record_id();
            let rows = "SELECT COUNT(*) FROM attendance WHERE id = $1";
            let history = "SELECT COUNT(*) FROM record_history WHERE record_id = $1";

            // Both take the roll call offline and agree: one record, no conflict.
            point(&phone_a, &present, "a").await;
            point(&phone_b, &present, "b").await;
            sync_a().await;
            let report = sync_b().await;
            assert_eq!(report.rejected, 0, "the same entry twice is no conflict");
            assert_eq!(scalar(&db, rows, &id.to_string()).await, 1);

            // B corrects A's entry (shared, not only the author's).
            let absent = Attendance {
                status: Presence::Absent,
                reason: Some(AbsenceReason::Sickness),
                ..present.clone()
            };
            point(&phone_b, &absent, "b").await;
            assert_eq!(sync_b().await.rejected, 0);
            sync_a().await;
            assert_eq!(pointed(&phone_a, id).await.status, Presence::Absent);

            // They disagree offline: both kept, the phones show it.
            let late = Attendance {
                late_minutes: 10,
                ..present.clone()
            };
            let no_news = Attendance {
                reason: Some(AbsenceReason::NoNews),
                ..absent.clone()
            };
            point(&phone_a, &late, "a").await;
            point(&phone_b, &no_news, "b").await;
            sync_a().await;
            assert_eq!(sync_b().await.rejected, 1);
            sync_a().await;
            let r = phone_a
                .record(jalon_core::attendance::RECORD_TYPE, id)
                .await
                .expect("r")
                .expect("record");
            assert_eq!(r.state, RecordState::Conflict);
            assert_eq!(r.conflicts[0].data["reason"], "no_news");

            // Every applied version is in the history, with what it replaced.
            assert_eq!(scalar(&db, history, &id.to_string()).await, 3);
            let previous: Option<String> = sqlx::query_scalar(
                "SELECT previous FROM record_history WHERE record_id = $1 AND version = 2",
            )
            .bind(id.to_string())
            .fetch_one(&db)
            .await
            .expect("previous");
            assert!(previous.expect("kept").contains("\"status\":\"present\""));

            // Cleared, then pointed again: the same record comes back.
            engine::delete(
                &phone_a,
                jalon_core::attendance::RECORD_TYPE,
                jalon_core::attendance::SCHEMA,
                id,
                &now,
            )
            .await
            .expect("delete");
            sync_a().await;
            sync_b().await;
            assert!(
                phone_b
                    .record(jalon_core::attendance::RECORD_TYPE, id)
                    .await
                    .expect("r")
                    .is_none_or(|r| r.deleted)
            );
            point(&phone_b, &present, "b").await;
            assert_eq!(sync_b().await.rejected, 0);
            assert_eq!(scalar(&db, rows, &id.to_string()).await, 1);
            sync_a().await;
            assert_eq!(pointed(&phone_a, id).await, present);

            // An id that does not match worker, day and slot is refused.
            let stray = PushRequest {
                outbox_from: None,
                device_id: Uuid::now_v7(),
                batch: 1,
                mutations: vec![Mutation {
                    id: Uuid::now_v7(),
                    record_type: jalon_core::attendance::RECORD_TYPE.into(),
                    schema: jalon_core::attendance::SCHEMA,
                    record_id: Uuid::now_v7(),
                    op: Op::Create,
                    base_version: 0,
                    data: serde_json::to_value(&present).expect("json"),
                }],
            };
            let res = server::push(&db, &w.actors[0], stray).await.expect("push");
            assert!(matches!(
                res.acks[0].outcome,
                Outcome::Rejected {
                    reason: RejectReason::Invalid,
                    ..
                }
            ));
        });
    }

    #[test]
    fn a_worker_reads_their_own_attendance_and_nobody_else_s() {
        use jalon_core::attendance::{Attendance, Slot};
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let worker = worker_actor(&w, 0).await;

            let acked = RefCell::new(BTreeSet::new());
            let phone = MemoryStore::default();
            let now = crate::backend::db::now();
            for who in [&w.workers[0], &w.workers[1]] {
                point(&phone, &Attendance::present(who, &today(), Slot::Day), "a").await;
            }
            let note_id = Uuid::now_v7();
            engine::save(
                &phone,
                note(
                    note_id,
                    &w.workers[0],
                    observation(&w.workers[0], "Interne"),
                    &now,
                ),
            )
            .await
            .expect("note");
            engine::sync(
                &phone,
                &Net::perfect(&db, &w.actors[0], &acked),
                RECORD_TYPES,
                Uuid::now_v7(),
                &now,
            )
            .await
            .expect("sync");

            let own = server::pull(&db, &worker, &PullRequest::default())
                .await
                .expect("pull");
            let about: Vec<(&str, &str)> = own
                .records
                .iter()
                .map(|r| (r.record_type.as_str(), r.worker_id.as_str()))
                .collect();
            assert_eq!(about, [("attendance", w.workers[0].as_str())]);
            let roster: Vec<String> = own
                .workers
                .expect("roster")
                .into_iter()
                .map(|c| c.id)
                .collect();
            assert_eq!(roster, [w.workers[0].clone()]);

            // Writing is for staff: their own day is refused, a colleague's is not even visible.
            let push = |entry: Attendance| PushRequest {
                outbox_from: None,
                device_id: Uuid::now_v7(),
                batch: 1,
                mutations: vec![Mutation {
                    id: Uuid::now_v7(),
                    record_type: jalon_core::attendance::RECORD_TYPE.into(),
                    schema: jalon_core::attendance::SCHEMA,
                    record_id: entry.record_id(),
                    op: Op::Create,
                    base_version: 0,
                    data: serde_json::to_value(&entry).expect("json"),
                }],
            };
            let mine = Attendance::present(
                &w.workers[0],
                &crate::backend::db::today_paris()
                    .pred_opt()
                    .expect("d")
                    .to_string(),
                Slot::Day,
            );
            let res = server::push(&db, &worker, push(mine)).await.expect("push");
            assert!(matches!(
                res.acks[0].outcome,
                Outcome::Rejected {
                    reason: RejectReason::NotAllowed,
                    ..
                }
            ));
            let theirs = Attendance::present(&w.workers[1], &today(), Slot::Day);
            let err = server::push(&db, &worker, push(theirs))
                .await
                .expect_err("hidden");
            assert_eq!(err.status(), 403);
        });
    }

    #[test]
    fn the_report_holds_only_visible_workers_and_no_days_to_come() {
        use crate::backend::attendance::build_report;
        use crate::wire::attendance::ReportFilter;
        use jalon_core::attendance::{Attendance, Slot, rates};
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let acked = RefCell::new(BTreeSet::new());
            let phone = MemoryStore::default();
            let now = crate::backend::db::now();
            let today = crate::backend::db::today_paris();
            point(
                &phone,
                &Attendance::present(&w.workers[0], &today.to_string(), Slot::Day),
                "a",
            )
            .await;
            engine::sync(
                &phone,
                &Net::perfect(&db, &w.actors[0], &acked),
                RECORD_TYPES,
                Uuid::now_v7(),
                &now,
            )
            .await
            .expect("sync");
            let filter = ReportFilter {
                from: today.to_string(),
                to: (today + chrono::Duration::days(10)).to_string(),
                ..ReportFilter::default()
            };
            let names = |r: &crate::pages::attendance::PeriodReport| {
                r.workers
                    .iter()
                    .map(|w| w.first_name.clone())
                    .collect::<Vec<_>>()
            };
            let supervisor = build_report(&db, &w.actors[0], filter.clone())
                .await
                .expect("report");
            assert_eq!(names(&supervisor), ["Deux", "Un"], "team A only");
            let counsellor = build_report(&db, &w.actors[3], filter.clone())
                .await
                .expect("report");
            assert_eq!(names(&counsellor), ["Deux", "Trois", "Un"]);
            let un = supervisor
                .workers
                .iter()
                .find(|r| r.first_name == "Un")
                .expect("Un");
            // Only today can be expected: the ten days to come are not "non pointés".
            let expected = if rates::working_day(today) { 2 } else { 0 };
            assert_eq!(un.summary.expected, expected);
            assert_eq!(un.summary.not_recorded(), 0);
            assert_eq!(un.days.len(), 1);
            // Another team's supervisor asking for that worker: not found.
            let other = ReportFilter {
                worker_id: w.workers[0].clone(),
                ..filter
            };
            let err = build_report(&db, &w.actors[2], other)
                .await
                .expect_err("hidden");
            assert_eq!(err, crate::error::AppError::NotFound);
        });
    }
    /// A person added to the world's structure (a worker linked to `worker`).
    async fn add_actor(db: &Db, w: &World, role: Role, worker: Option<&str>) -> Actor {
        let mut conn = db.acquire().await.expect("conn");
        let login = format!("x.{}", Uuid::now_v7().simple());
        let user_id = insert_user(
            &mut conn,
            NewUser {
                structure_id: &w.structure_id,
                role,
                login: &login,
                display_name: &login,
                password_hash: None,
            },
        )
        .await
        .expect("user");
        if let Some(worker) = worker {
            sqlx::query("UPDATE workers SET user_id = $1 WHERE id = $2")
                .bind(&user_id)
                .bind(worker)
                .execute(&mut *conn)
                .await
                .expect("link");
        }
        drop(conn);
        let user = crate::backend::session::user_by_id(db, &user_id)
            .await
            .expect("user");
        load_actor(db, user).await.expect("actor")
    }

    async fn readable_ids(db: &Db, actor: &Actor) -> BTreeSet<Uuid> {
        server::pull(db, actor, &PullRequest::default())
            .await
            .expect("pull")
            .records
            .into_iter()
            .filter(|r| r.record_type == RECORD_TYPE && !r.deleted)
            .map(|r| r.id)
            .collect()
    }

    async fn sensitive_reads(db: &Db, actor: &Actor) -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE actor_id = $1 AND action = 'sensitive_read'",
        )
        .bind(&actor.user.id)
        .fetch_one(db)
        .await
        .expect("audit")
    }

    #[test]
    fn observations_reach_exactly_the_people_who_may_read_them() {
        use crate::backend::feed::{Step, follow_up};
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let (author, other_team, counsellor) = (&w.actors[0], &w.actors[2], &w.actors[3]);
            let colleague = add_actor(&db, &w, Role::Supervisor, None).await;
            sqlx::query(
                "INSERT INTO team_supervisors (team_id, user_id) \
                 SELECT team_id, $1 FROM workers WHERE id = $2",
            )
            .bind(&colleague.user.id)
            .bind(&w.workers[0])
            .execute(&db)
            .await
            .expect("second supervisor");
            let colleague = load_actor(&db, colleague.user.clone()).await.expect("actor");
            let worker = add_actor(&db, &w, Role::Worker, Some(&w.workers[0])).await;

            let phone = MemoryStore::default();
            let now = crate::backend::db::now();
            let about = &w.workers[0];
            let (health, shared, alert) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
            let texts = [
                (health, json!({ "worker_id": about, "observed_on": today(), "kind": "barrier",
                    "category": "sante", "body": "Dit avoir mal au dos depuis lundi", "shared": true })),
                (shared, json!({ "worker_id": about, "observed_on": today(), "kind": "strength",
                    "body": "<b>Très</b> soigneux avec les outils", "shared": true })),
                (alert, json!({ "worker_id": about, "observed_on": today(), "kind": "alert",
                    "body": "N'a plus de logement depuis hier" })),
            ];
            for (id, data) in texts {
                engine::save(&phone, note(id, about, data, &now)).await.expect("save");
            }
            let acked = RefCell::new(BTreeSet::new());
            let net = Net::perfect(&db, author, &acked);
            engine::sync(&phone, &net, RECORD_TYPES, Uuid::now_v7(), &now).await.expect("sync");
            assert_eq!(acked.borrow().len(), 3);

            let all = BTreeSet::from([health, shared, alert]);
            assert_eq!(readable_ids(&db, author).await, all);
            assert_eq!(readable_ids(&db, counsellor).await, all, "the worker's counsellor");
            assert_eq!(readable_ids(&db, &colleague).await, BTreeSet::from([shared, alert]));
            assert_eq!(readable_ids(&db, other_team).await, BTreeSet::new());
            assert_eq!(readable_ids(&db, &worker).await, BTreeSet::from([shared]));
            // Santé is never shared, whatever the phone sent; the worker's
            // copy carries no staff follow-up.
            let stored: crate::backend::db::Flag =
                sqlx::query_scalar("SELECT shared FROM observations WHERE id = $1")
                    .bind(health.to_string())
                    .fetch_one(&db)
                    .await
                    .expect("row");
            assert!(!stored.0);
            let mine = server::pull(&db, &worker, &PullRequest::default()).await.expect("pull");
            assert!(mine.records.iter().all(|r| r.data.get("replies").is_none()));
            // Every delivery of the sensitive one to someone else is audited.
            assert_eq!(sensitive_reads(&db, counsellor).await, 1);
            assert_eq!(sensitive_reads(&db, author).await, 0);
            assert_eq!(sensitive_reads(&db, &colleague).await, 0);

            // Follow-up: only counsellors acknowledge and reply; the author's phone gets it back.
            let id = alert.to_string();
            let refused = follow_up(&db, &colleague, &id, Step::Acknowledge).await;
            assert_eq!(refused, Err(crate::error::AppError::NotFound));
            let hidden = follow_up(&db, other_team, &id, Step::Read).await;
            assert_eq!(hidden, Err(crate::error::AppError::NotFound));
            let not_alert = follow_up(&db, counsellor, &shared.to_string(), Step::Acknowledge).await;
            assert!(matches!(not_alert, Err(crate::error::AppError::Invalid(_))));
            let empty = follow_up(&db, counsellor, &id, Step::Reply("   ".into())).await;
            assert!(matches!(empty, Err(crate::error::AppError::Invalid(_))));
            follow_up(&db, counsellor, &id, Step::Acknowledge).await.expect("ack");
            follow_up(&db, counsellor, &id, Step::Reply("Merci, je l'appelle ce soir.".into()))
                .await
                .expect("reply");
            engine::sync(&phone, &net, RECORD_TYPES, Uuid::now_v7(), &now).await.expect("sync");
            let back = phone.record(RECORD_TYPE, alert).await.expect("read").expect("there");
            let follow = jalon_core::observations::FollowUp::of(&back.data);
            assert_eq!(follow.acknowledged_by.as_deref(), Some(counsellor.user.display_name.as_str()));
            assert_eq!(follow.seen_by.as_deref(), Some(counsellor.user.display_name.as_str()));
            assert_eq!(follow.replies.len(), 1);
            assert_eq!(follow.replies[0].body, "Merci, je l'appelle ce soir.");
            assert_eq!(back.version, 1, "follow-up is not a new version of the text");

            // Sharing withdrawn: the worker's phone drops it.
            let worker_phone = MemoryStore::default();
            let worker_net = Net::perfect(&db, &worker, &acked);
            engine::sync(&worker_phone, &worker_net, RECORD_TYPES, Uuid::now_v7(), &now).await.expect("sync");
            assert_eq!(worker_phone.visible(RECORD_TYPE).len(), 1);
            let mut data = phone.record(RECORD_TYPE, shared).await.expect("r").expect("r").data;
            data["shared"] = json!(false);
            data["change_reason"] = json!("Pas à montrer finalement");
            engine::save(&phone, note(shared, about, data, &now)).await.expect("save");
            engine::sync(&phone, &net, RECORD_TYPES, Uuid::now_v7(), &now).await.expect("sync");
            engine::sync(&worker_phone, &worker_net, RECORD_TYPES, Uuid::now_v7(), &now).await.expect("sync");
            assert!(worker_phone.visible(RECORD_TYPE).is_empty(), "withdrawn from the worker");
            assert_eq!(readable_ids(&db, &colleague).await, BTreeSet::from([shared, alert]));
            let reason: String = sqlx::query_scalar(
                "SELECT reason FROM record_history WHERE record_id = $1 AND version = 2",
            )
            .bind(shared.to_string())
            .fetch_one(&db)
            .await
            .expect("history");
            assert_eq!(reason, "Pas à montrer finalement");

            // The colleague can't change the author's words, nor touch the sensitive one.
            for target in [alert, health] {
                let res = server::push(
                    &db,
                    &colleague,
                    PushRequest {
 outbox_from: None,
                        device_id: Uuid::now_v7(),
                        batch: 1,
                        mutations: vec![mutation(Op::Update, target, 1, json!({
                            "worker_id": about, "observed_on": today(), "kind": "strength", "body": "Réécrit"
                        }))],
                    },
                )
                .await
                .expect("push");
                assert!(matches!(
                    res.acks[0].outcome,
                    Outcome::Rejected { reason: RejectReason::NotAllowed, .. }
                ));
            }
        });
    }
}

/// Objectives and the worker's reactions: who receives them, who may write
/// them, the worker's copy without staff-only notes, and two staff members
/// changing the same objective at once.
mod objectives {
    use super::*;
    use jalon_core::objectives::{
        Kind, Note, Objective, REACTION_TYPE, RECORD_TYPE as OBJECTIVE, Reaction, ReactionKind,
        SCHEMA as OBJECTIVE_SCHEMA, Step,
    };

    fn objective(worker: &str, title: &str) -> Objective {
        let mut o = Objective::new(worker);
        o.title = title.into();
        o.steps = [
            "Choisir l'outil",
            "Tailler avec l'encadrant",
            "Tailler seul",
        ]
        .iter()
        .enumerate()
        .map(|(n, t)| Step {
            id: format!("e{}", n + 1),
            title: (*t).into(),
            ..Step::default()
        })
        .collect();
        o
    }

    fn push_one(
        record_type: &str,
        record_id: Uuid,
        op: Op,
        base_version: i64,
        data: &impl serde::Serialize,
    ) -> PushRequest {
        PushRequest {
            outbox_from: None,
            device_id: Uuid::now_v7(),
            batch: 1,
            mutations: vec![Mutation {
                id: Uuid::now_v7(),
                record_type: record_type.into(),
                schema: OBJECTIVE_SCHEMA,
                record_id,
                op,
                base_version,
                data: serde_json::to_value(data).expect("json"),
            }],
        }
    }

    async fn send(db: &Db, actor: &Actor, req: PushRequest) -> PushResponse {
        server::push(db, actor, req).await.expect("push")
    }

    fn outcome(res: &PushResponse) -> &Outcome {
        &res.acks[0].outcome
    }

    fn not_allowed(res: &PushResponse) -> bool {
        matches!(
            outcome(res),
            Outcome::Rejected {
                reason: RejectReason::NotAllowed,
                ..
            }
        )
    }

    async fn held(db: &Db, actor: &Actor) -> Vec<ServerRecord> {
        server::pull(db, actor, &PullRequest::default())
            .await
            .expect("pull")
            .records
            .into_iter()
            .filter(|r| r.record_type == OBJECTIVE || r.record_type == REACTION_TYPE)
            .collect()
    }

    #[test]
    fn objectives_reach_their_readers_and_only_the_worker_reacts() {
        let (_dir, rt, db) = test_db();
        rt.block_on(async {
            let w = world(&db).await;
            let (sup_a, sup_b, cip) = (&w.actors[0], &w.actors[2], &w.actors[3]);
            let amina = worker_actor(&w, 0).await;
            let colleague = worker_actor(&w, 1).await;

            // The counsellor writes an objective with a note kept for staff
            // and one shared, and a sensitive one (santé).
            let hedge_id = Uuid::now_v7();
            let mut hedge = objective(&w.workers[0], "Tailler une haie en autonomie");
            for (id, shared) in [("n1", false), ("n2", true)] {
                hedge.notes.push(Note {
                    id: id.into(),
                    at: crate::backend::db::now(),
                    by: "CIP".into(),
                    text: format!("note {id}"),
                    shared,
                });
            }
            let res = send(
                &db,
                cip,
                push_one(OBJECTIVE, hedge_id, Op::Create, 0, &hedge),
            )
            .await;
            assert!(matches!(outcome(&res), Outcome::Applied { version: 1 }));
            let health_id = Uuid::now_v7();
            let mut health = objective(&w.workers[0], "Prendre rendez-vous chez le médecin");
            health.kind = Kind::Barrier;
            health.barrier = "sante".into();
            send(
                &db,
                cip,
                push_one(OBJECTIVE, health_id, Op::Create, 0, &health),
            )
            .await;

            // The team's supervisor holds the first only; the other team's none.
            let ids = |rs: &[ServerRecord]| rs.iter().map(|r| r.id).collect::<BTreeSet<_>>();
            assert_eq!(ids(&held(&db, sup_a).await), BTreeSet::from([hedge_id]));
            assert!(held(&db, sup_b).await.is_empty());
            assert_eq!(
                ids(&held(&db, cip).await),
                BTreeSet::from([hedge_id, health_id])
            );

            // The supervisor (not its author) ticks a step: a shared record.
            let mut ticked = hedge.clone();
            ticked.set_step("e1", true, "Encadrant A", &today());
            let res = send(
                &db,
                sup_a,
                push_one(OBJECTIVE, hedge_id, Op::Update, 1, &ticked),
            )
            .await;
            assert!(
                matches!(outcome(&res), Outcome::Applied { version: 2 }),
                "{res:?}"
            );

            // The worker: both of theirs, without the staff-only note; the
            // colleague: nothing at all.
            let own = held(&db, &amina).await;
            assert_eq!(ids(&own), BTreeSet::from([hedge_id, health_id]));
            let copy: Objective = serde_json::from_value(
                own.iter()
                    .find(|r| r.id == hedge_id)
                    .expect("hedge")
                    .data
                    .clone(),
            )
            .expect("objective");
            assert_eq!(copy.notes.len(), 1);
            assert_eq!(copy.notes[0].text, "note n2");
            assert!(
                copy.steps[0].done,
                "the supervisor's tick reached the worker"
            );
            assert!(held(&db, &colleague).await.is_empty());

            // Only the worker reacts, on their own file.
            let claim = Reaction {
                worker_id: w.workers[0].clone(),
                objective_id: hedge_id.to_string(),
                step_id: "e2".into(),
                kind: ReactionKind::Claim,
                body: "Fait <b>mardi</b>".into(),
                sensitive: false,
                said_on: today(),
            };
            let claim_id = Uuid::now_v7();
            let res = send(
                &db,
                &amina,
                push_one(REACTION_TYPE, claim_id, Op::Create, 0, &claim),
            )
            .await;
            assert!(matches!(outcome(&res), Outcome::Applied { version: 1 }));
            let res = send(
                &db,
                sup_a,
                push_one(REACTION_TYPE, Uuid::now_v7(), Op::Create, 0, &claim),
            )
            .await;
            assert!(not_allowed(&res), "staff don't speak for the worker");
            let res = send(
                &db,
                &amina,
                push_one(OBJECTIVE, hedge_id, Op::Update, 2, &copy),
            )
            .await;
            assert!(
                not_allowed(&res),
                "the worker doesn't change the objective itself"
            );
            let res = send(
                &db,
                &amina,
                push_one(OBJECTIVE, Uuid::now_v7(), Op::Create, 0, &hedge),
            )
            .await;
            assert!(not_allowed(&res));
            let err = server::push(
                &db,
                &colleague,
                push_one(REACTION_TYPE, Uuid::now_v7(), Op::Create, 0, &claim),
            )
            .await
            .expect_err("another worker's file is not visible");
            assert_eq!(err.status(), 403);

            // The supervisor can't write a sensitive objective he couldn't
            // read; the counsellor reads the claim and confirms it.
            let res = send(
                &db,
                sup_a,
                push_one(OBJECTIVE, health_id, Op::Update, 1, &health),
            )
            .await;
            assert!(not_allowed(&res));
            let seen = held(&db, cip).await;
            let got: Reaction = serde_json::from_value(
                seen.iter()
                    .find(|r| r.id == claim_id)
                    .expect("claim")
                    .data
                    .clone(),
            )
            .expect("reaction");
            assert_eq!(got.body, "Fait <b>mardi</b>");
            let mut confirmed = ticked.clone();
            assert!(confirmed.confirm_claim("e2", "CIP", &today()));
            let res = send(
                &db,
                cip,
                push_one(OBJECTIVE, hedge_id, Op::Update, 2, &confirmed),
            )
            .await;
            assert!(matches!(outcome(&res), Outcome::Applied { version: 3 }));
            let own = held(&db, &amina).await;
            let copy: Objective = serde_json::from_value(
                own.iter()
                    .find(|r| r.id == hedge_id)
                    .expect("hedge")
                    .data
                    .clone(),
            )
            .expect("objective");
            assert!(copy.steps[1].done && copy.steps[1].from_claim);

            // Two staff members change version 3 at once: nothing is lost,
            // both versions are kept until someone chooses.
            let mut by_sup = confirmed.clone();
            by_sup.set_step("e3", true, "Encadrant A", &today());
            let mut by_cip = confirmed.clone();
            by_cip.title = "Tailler une haie seul, proprement".into();
            let first = send(
                &db,
                sup_a,
                push_one(OBJECTIVE, hedge_id, Op::Update, 3, &by_sup),
            )
            .await;
            assert!(matches!(outcome(&first), Outcome::Applied { version: 4 }));
            let second = send(
                &db,
                cip,
                push_one(OBJECTIVE, hedge_id, Op::Update, 3, &by_cip),
            )
            .await;
            assert!(
                matches!(
                    outcome(&second),
                    Outcome::Rejected {
                        reason: RejectReason::Conflict,
                        ..
                    }
                ),
                "answered as a conflict, the version kept beside the other: {second:?}"
            );
            let now_held = held(&db, cip).await;
            let record = now_held.iter().find(|r| r.id == hedge_id).expect("hedge");
            assert_eq!(record.conflicts.len(), 1, "two versions shown to everyone");
            let titles: BTreeSet<String> = std::iter::once(&record.data)
                .chain(record.conflicts.iter().map(|c| &c.data))
                .map(|d| d["title"].as_str().unwrap_or_default().to_string())
                .collect();
            assert!(titles.contains("Tailler une haie seul, proprement"));
        });
    }
}
