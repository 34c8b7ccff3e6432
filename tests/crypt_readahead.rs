//! The encrypted backend reads runs of blocks ahead when redb reads in sequence, and opens
//! them on two threads. What it keeps must never be older than the disk: these tests drive a
//! small-cache encrypted redb (so that nearly every read reaches the backend) through random
//! writes, deletions, commits and full scans against a model, and run readers on other
//! threads while a writer rewrites the table, checking that every snapshot is whole.

use accoglienza::store::crypt::TestKeys;
use proptest::prelude::*;
use redb::backends::InMemoryBackend;
use redb::{Durability, ReadableDatabase, ReadableTable, TableDefinition};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

const T: TableDefinition<u64, &[u8]> = TableDefinition::new("t");

/// An encrypted redb database in memory whose page cache is too small to hold the table.
fn small_cache_db(keys: &TestKeys) -> redb::Database {
    let storage = InMemoryBackend::new();
    keys.format(&storage).unwrap();
    let mut builder = redb::Builder::new();
    builder.set_cache_size(64 * 1024);
    let db = keys.open(&builder, Box::new(storage)).unwrap();
    let txn = db.begin_write().unwrap();
    txn.open_table(T).unwrap();
    txn.commit().unwrap();
    db
}

/// A value for `key` in round `round`: its size varies, some values span several pages.
fn value(key: u64, round: u64, len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(len + 16);
    v.extend_from_slice(&key.to_le_bytes());
    v.extend_from_slice(&round.to_le_bytes());
    v.extend((0..len).map(|i| (i as u64 ^ key ^ round.rotate_left(7)) as u8));
    v
}

fn scan(db: &redb::Database) -> BTreeMap<u64, Vec<u8>> {
    let r = db.begin_read().unwrap();
    let t = r.open_table(T).unwrap();
    t.iter()
        .unwrap()
        .map(|e| {
            let (k, v) = e.unwrap();
            (k.value(), v.value().to_vec())
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Step {
    /// Insert or replace keys `from..from + n` with values of `len` bytes.
    Put { from: u64, n: u64, len: usize },
    /// Remove keys `from..from + n`.
    Remove { from: u64, n: u64 },
    /// Scan the whole table (and, every other time, backwards).
    Scan,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u64..3000, 1u64..400, prop_oneof![0usize..200, 3000usize..9000])
            .prop_map(|(from, n, len)| Step::Put { from, n, len }),
        2 => (0u64..3000, 1u64..600).prop_map(|(from, n)| Step::Remove { from, n }),
        3 => Just(Step::Scan),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Writes, deletions and commits (durable or not) between scans: every scan reads what
    /// the model holds, whatever was read ahead before the writes.
    #[test]
    fn scans_after_writes_read_what_was_written(
        steps in prop::collection::vec((step(), any::<bool>()), 1..24)
    ) {
        let keys = TestKeys::new("admin", "password di prova lunga");
        let db = small_cache_db(&keys);
        let mut model = BTreeMap::new();
        for (round, (s, durable)) in steps.into_iter().enumerate() {
            let round = round as u64;
            match s {
                Step::Scan => {
                    prop_assert_eq!(&scan(&db), &model);
                    continue;
                }
                Step::Put { from, n, len } => {
                    let mut txn = db.begin_write().unwrap();
                    if !durable {
                        txn.set_durability(Durability::None).unwrap();
                    }
                    {
                        let mut t = txn.open_table(T).unwrap();
                        for k in from..from + n {
                            let v = value(k, round, len);
                            t.insert(k, v.as_slice()).unwrap();
                            model.insert(k, v);
                        }
                    }
                    txn.commit().unwrap();
                }
                Step::Remove { from, n } => {
                    let mut txn = db.begin_write().unwrap();
                    if !durable {
                        txn.set_durability(Durability::None).unwrap();
                    }
                    {
                        let mut t = txn.open_table(T).unwrap();
                        for k in from..from + n {
                            t.remove(k).unwrap();
                            model.remove(&k);
                        }
                    }
                    txn.commit().unwrap();
                }
            }
        }
        prop_assert_eq!(&scan(&db), &model);
    }
}

/// Readers scan on two threads while a writer rewrites every value in each commit: each
/// snapshot must hold one round only, whole (no block read ahead from an older round, none
/// from a newer one), and the check of the file must pass at the end.
#[test]
fn concurrent_readers_see_whole_snapshots_while_a_writer_rewrites() {
    const KEYS: u64 = 1500;
    let keys = TestKeys::new("admin", "password di prova lunga");
    let db = Arc::new(small_cache_db(&keys));
    let write_round = |db: &redb::Database, round: u64| {
        let txn = db.begin_write().unwrap();
        {
            let mut t = txn.open_table(T).unwrap();
            for k in 0..KEYS {
                let len = if k % 97 == 0 { 5000 } else { 60 };
                t.insert(k, value(k, round, len).as_slice()).unwrap();
            }
        }
        txn.commit().unwrap();
    };
    write_round(&db, 0);
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let db = db.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut scans = 0u32;
                while !stop.load(Ordering::Acquire) || scans < 3 {
                    let snapshot = scan(&db);
                    assert_eq!(snapshot.len() as u64, KEYS);
                    let round = u64::from_le_bytes(snapshot[&0][8..16].try_into().unwrap());
                    for (k, v) in &snapshot {
                        let len = if k % 97 == 0 { 5000 } else { 60 };
                        assert_eq!(v, &value(*k, round, len), "key {k} of round {round}");
                    }
                    scans += 1;
                }
                scans
            })
        })
        .collect();
    for round in 1..=25 {
        write_round(&db, round);
    }
    stop.store(true, Ordering::Release);
    for r in readers {
        assert!(r.join().unwrap() >= 3);
    }
    let mut db = Arc::into_inner(db).expect("readers done");
    assert!(db.check_integrity().unwrap());
    let last = scan(&db);
    assert_eq!(last[&5], value(5, 25, 60));
}
