//! Pushes and pulls at the same time, as at the start of a worksite day:
//! several phones send batches while counsellors pull, on a real database
//! (SQLite, or PostgreSQL when the suite runs on it) reached through two
//! `Db` of their own, as two server instances would, from threads of a
//! multi-threaded runtime. Phones and pullers are spread over both. Every
//! pull must answer; nothing acknowledged is lost, no row is skipped by a
//! cursor, none is delivered twice.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use super::protocol_tests::{observation, world};
use crate::backend::db::Db;
use crate::backend::policy::Actor;
use crate::backend::sync as server;
use jalon_core::observations::{RECORD_TYPE, SCHEMA};
use jalon_core::sync::protocol::*;

const PHONES: usize = 12;
const BATCHES: usize = 12;
const PER_BATCH: usize = 25;
const PULLERS: usize = 3;

/// What each puller received: record id → how many times.
type Received = Arc<Mutex<Vec<BTreeMap<Uuid, usize>>>>;

/// One phone: `BATCHES` batches one after another; a batch refused as busy
/// is sent again, unchanged, like the app does after its back-off.
async fn phone(db: Db, actor: Actor, workers: Vec<String>, busy: Arc<Mutex<usize>>) -> Vec<Uuid> {
    let device_id = Uuid::now_v7();
    let mut applied = Vec::new();
    for batch in 1..=BATCHES {
        let mutations: Vec<Mutation> = (0..PER_BATCH)
            .map(|n| Mutation {
                id: Uuid::now_v7(),
                record_type: RECORD_TYPE.into(),
                schema: SCHEMA,
                record_id: Uuid::now_v7(),
                op: Op::Create,
                base_version: 0,
                data: observation(
                    &workers[n % workers.len()],
                    &format!("Lot {batch}, note {n}"),
                ),
            })
            .collect();
        let req = PushRequest {
            outbox_from: None,
            device_id,
            batch: batch as i64,
            mutations,
        };
        loop {
            match server::push(&db, &actor, req.clone()).await {
                Ok(res) => {
                    for (ack, m) in res.acks.iter().zip(&req.mutations) {
                        assert_eq!(ack.mutation_id, m.id);
                        assert!(
                            matches!(ack.outcome, Outcome::Applied { version: 1 }),
                            "{:?}",
                            ack.outcome
                        );
                        applied.push(m.record_id);
                    }
                    break;
                }
                Err(server::SyncError::Busy) => {
                    *busy.lock().expect("count") += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                Err(other) => panic!("push refused: {other:?}"),
            }
        }
    }
    applied
}

/// One counsellor's phone pulling what changed, again and again, until the
/// pushes are over, then once more to the end.
async fn puller(
    db: Db,
    actor: Actor,
    done: Arc<std::sync::atomic::AtomicBool>,
    received: Received,
    slot: usize,
) {
    let mut req = PullRequest {
        cursor: 0,
        scope: String::new(),
        roster: String::new(),
        limit: Some(60),
        ..Default::default()
    };
    let mut pulls = 0;
    loop {
        let last_round = done.load(std::sync::atomic::Ordering::SeqCst);
        loop {
            let res = match server::pull(&db, &actor, &req).await {
                Ok(res) => res,
                Err(server::SyncError::Busy) => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
                Err(other) => panic!("pull refused: {other:?}"),
            };
            pulls += 1;
            assert!(res.cursor >= req.cursor, "the cursor went back");
            assert!(
                !res.reset || req.cursor == 0,
                "a reset in the middle of the run"
            );
            let mut got = received.lock().expect("received");
            for r in &res.records {
                *got[slot].entry(r.id).or_default() += 1;
            }
            drop(got);
            req.cursor = res.cursor;
            req.scope = res.scope;
            req.roster = res.roster;
            if !res.more {
                break;
            }
        }
        if last_round {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert!(pulls > 1, "the puller pulled only once");
}

#[test]
fn concurrent_pushes_and_pulls_lose_skip_and_double_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let url = crate::backend::scratch::url(dir.path(), "concurrent").await;
        let db = crate::backend::db::connect(&url).await.expect("first instance");
        let other = crate::backend::db::connect(&url).await.expect("second instance");
        let instance = |n: usize| if n.is_multiple_of(2) { db.clone() } else { other.clone() };
        let w = world(&db).await;
        let team_a = vec![w.workers[0].clone(), w.workers[1].clone()];
        let team_b = vec![w.workers[2].clone()];
        let busy = Arc::new(Mutex::new(0));
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let received: Received = Arc::new(Mutex::new(vec![BTreeMap::new(); PULLERS]));

        let pullers: Vec<_> = (0..PULLERS)
            .map(|slot| {
                let (db, actor) = (instance(slot), w.actors[3].clone());
                tokio::spawn(puller(db, actor, done.clone(), received.clone(), slot))
            })
            .collect();
        let phones: Vec<_> = (0..PHONES)
            .map(|n| {
                // Supervisor A (actors 0 and 1) and supervisor B (actor 2).
                let (actor, workers) = if n % 2 == 0 {
                    (w.actors[0].clone(), team_a.clone())
                } else {
                    (w.actors[2].clone(), team_b.clone())
                };
                tokio::spawn(phone(instance(n / 2), actor, workers, busy.clone()))
            })
            .collect();
        let mut acked = BTreeSet::new();
        for p in phones {
            for id in p.await.expect("phone") {
                assert!(acked.insert(id), "a record acknowledged twice");
            }
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        for p in pullers {
            p.await.expect("puller");
        }

        assert_eq!(acked.len(), PHONES * BATCHES * PER_BATCH);
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT id FROM observations WHERE structure_id = $1")
                .bind(&w.structure_id)
                .fetch_all(&db)
                .await
                .expect("stored");
        let stored: BTreeSet<Uuid> = stored
            .iter()
            .map(|id| Uuid::parse_str(id).expect("uuid"))
            .collect();
        assert_eq!(stored, acked, "what the server holds is what it acknowledged");
        for (n, got) in received.lock().expect("received").iter().enumerate() {
            let ids: BTreeSet<Uuid> = got.keys().copied().collect();
            let missing = acked.difference(&ids).count();
            assert_eq!(missing, 0, "puller {n} never received {missing} records");
            let twice: Vec<_> = got.iter().filter(|(_, times)| **times > 1).collect();
            assert!(twice.is_empty(), "puller {n} received records twice: {twice:?}");
        }
        // Each device's mutations are stored once each.
        let mutations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_mutations")
            .fetch_one(&db)
            .await
            .expect("mutations");
        assert_eq!(mutations as usize, acked.len());
        println!(
            "concurrent sync on {}: {} records from {PHONES} phones, {PULLERS} pullers, two instances, {} busy answers retried",
            crate::backend::scratch::engine(),
            acked.len(),
            busy.lock().expect("busy")
        );
    });
}
