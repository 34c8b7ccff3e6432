//! Encryption at rest, side by side with the plain store in the same run (issue 8 target:
//! every figure within 1.3 × of the plain one; unlocking ≤ 1 s): a durable save, opening
//! and reading the counts (what the first frame needs), the counts themselves, and backup
//! and restore. The encrypted databases are the cached plain ones converted with
//! `Store::encrypt_existing` (cached beside them). `CRYPT_BENCH_SCALE=cooperative` skips
//! the city scale; `CRYPT_BENCH_SKIP_CITY_RESTORE=1` the city restores (≈ 20 s each).

mod common;

use accoglienza::domain::Id;
use accoglienza::stats;
use accoglienza::store::backup::{self, BackupOptions};
use accoglienza::store::crypt::{SecretString, Unlock};
use accoglienza::store::{OpenOptions, Store};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn quiet() -> impl FnMut(&str, u64, u64) {
    |_: &str, _: u64, _: u64| {}
}

fn scales() -> Vec<(&'static str, PathBuf)> {
    let mut v = vec![("cooperative", common::cooperative_db())];
    if std::env::var("CRYPT_BENCH_SCALE").as_deref() != Ok("cooperative") {
        v.push(("city", common::city_db()));
    }
    v
}

fn save(c: &mut Criterion) {
    let mut g = c.benchmark_group("crypt_durable_save");
    g.sample_size(60).measurement_time(Duration::from_secs(8));
    for (label, plain) in scales() {
        let twin = common::encrypted_twin(&plain);
        let dir = tempfile::tempdir().unwrap();
        // Interleaved by pairs of benches on copies in the same folder (same disk).
        for (kind, src, enc) in [("plain", &plain, false), ("encrypted", &twin, true)] {
            let path = common::copy_of(src, &dir);
            let store = common::open_db(&path, enc);
            let (op, line, desk, people) = common::sqlite_save::targets(&store);
            let mut i = 0;
            g.bench_function(format!("{label}_{kind}"), |b| {
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
    }
    g.finish();
}

fn open_and_counts(c: &mut Criterion) {
    let mut g = c.benchmark_group("crypt_open_and_counts");
    g.sample_size(20);
    for (label, plain) in scales() {
        let twin = common::encrypted_twin(&plain);
        for (kind, path, enc) in [("plain", &plain, false), ("encrypted", &twin, true)] {
            g.bench_function(format!("{label}_{kind}_open_and_read_counts"), |b| {
                b.iter(|| {
                    let store = common::open_db(path, enc);
                    let counts = stats::annual_counts(&store.read().unwrap()).unwrap();
                    black_box(counts.years.len())
                })
            });
            let store = common::open_db(path, enc);
            g.bench_function(format!("{label}_{kind}_annual_counts"), |b| {
                b.iter(|| {
                    let counts = stats::annual_counts(&store.read().unwrap()).unwrap();
                    black_box(counts.lines.len())
                })
            });
        }
    }
    // The unlock alone: one Argon2id derivation (and a wrong password costs the same).
    let twin = common::encrypted_twin(&common::cooperative_db());
    g.sample_size(10);
    g.bench_function("unlock_wrong_password", |b| {
        b.iter(|| {
            let wrong = Unlock::Password {
                slot: "admin".into(),
                password: SecretString::from("sbagliata".to_string()),
            };
            black_box(Store::open_encrypted(&twin, OpenOptions::default(), &wrong).is_err())
        })
    });
    g.finish();
}

fn backup_restore(c: &mut Criterion) {
    for (label, plain) in scales() {
        let twin = common::encrypted_twin(&plain);
        let mut g = c.benchmark_group(format!("crypt_backup_{label}"));
        let secs = if label == "city" { 60 } else { 10 };
        g.sample_size(10)
            .measurement_time(Duration::from_secs(secs))
            .warm_up_time(Duration::from_millis(500));
        for (kind, src, enc) in [("plain", &plain, false), ("encrypted", &twin, true)] {
            let dir = tempfile::tempdir().unwrap();
            let live = common::copy_of(src, &dir);
            let mut slot = Arc::new(common::open_db(&live, enc));
            let out = dir.path().join("bench.accbak");
            g.bench_function(format!("{kind}_backup"), |b| {
                b.iter(|| {
                    slot.backup_to(&out, &BackupOptions::default(), &mut quiet())
                        .unwrap()
                })
            });
            if label == "city" && std::env::var("CRYPT_BENCH_SKIP_CITY_RESTORE").is_ok() {
                continue;
            }
            g.bench_function(format!("{kind}_restore"), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let t = Instant::now();
                        let restored =
                            backup::restore_to_new_file(&slot, &out, None, Id::NIL, &mut quiet())
                                .unwrap();
                        let swapped = backup::swap_in(&mut slot, restored).unwrap();
                        total += t.elapsed();
                        std::fs::remove_file(swapped.safety_copy).unwrap();
                    }
                    total
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, save, open_and_counts, backup_restore);
criterion_main!(benches);
