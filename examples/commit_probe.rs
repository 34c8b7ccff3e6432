//! How the cost of one durable redb commit grows with the number of trees it touches
//! (each tree prefilled, so every touched tree writes its root-to-leaf path).
//! `cargo run --release --example commit_probe -- DIR`
use redb::{Durability, ReadableDatabase, TableDefinition};
use std::time::Instant;

const NAMES: [&str; 8] = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"];

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "/tmp".into());
    let path = std::path::Path::new(&dir).join("commit_probe.redb");
    let _ = std::fs::remove_file(&path);
    let db = redb::Builder::new()
        .set_cache_size(96 << 20)
        .create(&path)
        .unwrap();
    let mut rng: u64 = 0x9E3779B97F4A7C15;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    {
        let w = db.begin_write().unwrap();
        for name in NAMES {
            let def: TableDefinition<u128, &[u8]> = TableDefinition::new(name);
            let mut t = w.open_table(def).unwrap();
            for _ in 0..300_000 {
                let k = ((next() as u128) << 64) | next() as u128;
                t.insert(k, [7u8; 40].as_slice()).unwrap();
            }
        }
        w.commit().unwrap();
    }
    let _ = db.begin_read().unwrap();
    let only: Option<usize> = std::env::args().nth(2).and_then(|s| s.parse().ok());
    for trees in [1usize, 2, 3, 4, 6, 8] {
        if only.is_some_and(|o| o != trees) {
            continue;
        }
        let n = 300;
        // warm up
        for _ in 0..50 {
            commit(&db, trees, &mut next);
        }
        let t = Instant::now();
        for _ in 0..n {
            commit(&db, trees, &mut next);
        }
        println!("{trees} trees: {:?} per durable commit", t.elapsed() / n);
    }
}

fn commit(db: &redb::Database, trees: usize, next: &mut impl FnMut() -> u64) {
    let mut w = db.begin_write().unwrap();
    w.set_durability(Durability::Immediate).unwrap();
    for name in &NAMES[..trees] {
        let def: TableDefinition<u128, &[u8]> = TableDefinition::new(name);
        let k = ((next() as u128) << 64) | next() as u128;
        w.open_table(def)
            .unwrap()
            .insert(k, [1u8; 40].as_slice())
            .unwrap();
    }
    w.commit().unwrap();
}
