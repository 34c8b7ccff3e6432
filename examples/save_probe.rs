//! A durable save of one contact in the store and the same row, indexes and audit row in
//! SQLite (WAL, synchronous=FULL), **interleaved** one after the other, so both see the same
//! disk and the same load from other processes: medians and 90th percentiles, and their
//! ratio. `cargo run --release --example save_probe -- DB.redb [N]` (DB is copied first).
use accoglienza::store::Store;
use std::time::{Duration, Instant};

#[path = "../benches/common/sqlite_save.rs"]
mod sqlite_save;

fn main() {
    let src = std::env::args().nth(1).expect("database");
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir_in(std::path::Path::new(&src).parent().unwrap()).unwrap();
    let path = dir.path().join("probe.redb");
    std::fs::copy(&src, &path).unwrap();
    let store = Store::open(&path).unwrap();
    let (op, line, desk, people) = sqlite_save::targets(&store);
    let conn = sqlite_save::open(&dir.path().join("s.db"), "WAL");
    let (mut redb, mut sqlite, mut work) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n + 50 {
        let c = sqlite_save::contact(&people, line, desk, op, i as u64);
        let t = Instant::now();
        let mut w = store.write(op).unwrap();
        w.insert(c).unwrap();
        let before_commit = t.elapsed();
        w.commit().unwrap();
        let a = t.elapsed();
        let t = Instant::now();
        sqlite_save::save(&conn, people[i % people.len()], line, desk, op);
        let b = t.elapsed();
        if i >= 50 {
            redb.push(a);
            sqlite.push(b);
            work.push(before_commit);
        }
    }
    let stats = |v: &mut Vec<Duration>| {
        v.sort();
        (v[v.len() / 2], v[v.len() * 9 / 10])
    };
    let (rm, r9) = stats(&mut redb);
    let (sm, s9) = stats(&mut sqlite);
    let (wm, _) = stats(&mut work);
    println!(
        "{n} interleaved saves: store {rm:?} (p90 {r9:?}; before the commit {wm:?}), SQLite WAL+FULL {sm:?} (p90 {s9:?}), ratio {:.2}",
        rm.as_secs_f64() / sm.as_secs_f64()
    );
}
