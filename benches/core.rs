//! Core targets of DESIGN.md §7: one durable save (redb vs SQLite, same machine, same
//! run), the annual counts of every year × every line at city scale, and opening the
//! city database.

mod common;

use accoglienza::domain::Id;
use accoglienza::stats;
use accoglienza::store::Store;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn durable_insert(c: &mut Criterion) {
    let mut g = c.benchmark_group("durable_insert");
    g.sample_size(60).measurement_time(Duration::from_secs(8));
    for (label, src) in [
        ("cooperative", common::cooperative_db()),
        ("city", common::city_db()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = common::copy_of(&src, &dir);
        let store = Store::open(&path).unwrap();
        let (op, line, desk, people) = common::sqlite_save::targets(&store);
        let mut i = 0;
        g.bench_function(format!("redb_store_insert_contact_{label}"), |b| {
            b.iter(|| {
                i += 1;
                black_box(
                    store
                        .insert(op, common::sqlite_save::contact(&people, line, desk, op, i))
                        .unwrap(),
                )
            })
        });
    }
    for (mode, journal) in [("wal", "WAL"), ("rollback", "DELETE")] {
        let dir = tempfile::tempdir().unwrap();
        let conn = common::sqlite_save::open(&dir.path().join("s.db"), journal);
        let (person, line, desk, op) = (Id::new(), Id::new(), Id::new(), Id::new());
        g.bench_function(
            format!("sqlite_insert_contact_{mode}_synchronous_full"),
            |b| b.iter(|| black_box(common::sqlite_save::save(&conn, person, line, desk, op))),
        );
    }
    g.finish();
}

fn city_counts(c: &mut Criterion) {
    let path = common::city_db();
    let store = Store::open(&path).unwrap();
    let mut g = c.benchmark_group("city");
    g.bench_function("annual_counts_every_year_every_line", |b| {
        b.iter(|| {
            let r = store.read().unwrap();
            let counts = stats::annual_counts(&r).unwrap();
            black_box(
                counts
                    .lines
                    .iter()
                    .map(|l| {
                        counts
                            .years
                            .iter()
                            .map(|&y| counts.count(l, y))
                            .sum::<u64>()
                    })
                    .sum::<u64>(),
            )
        })
    });
    drop(store);
    g.sample_size(20);
    g.bench_function("open_database_and_read_counts", |b| {
        b.iter(|| {
            let store = Store::open(&path).unwrap();
            let counts = stats::annual_counts(&store.read().unwrap()).unwrap();
            black_box(counts.years.len())
        })
    });
    g.finish();
}

criterion_group!(benches, durable_insert, city_counts);
criterion_main!(benches);
