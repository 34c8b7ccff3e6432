//! Backup, verify and restore of the whole database (DESIGN.md §7: ≤ 5 s / 3 s / 10 s at
//! city scale), plus the encrypted variants at cooperative scale.

mod common;

use accoglienza::domain::Id;
use accoglienza::store::Store;
use accoglienza::store::backup::{self, BackupOptions, SecretString};
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn quiet() -> impl FnMut(&str, u64, u64) {
    |_: &str, _: u64, _: u64| {}
}

fn scale(c: &mut Criterion, label: &str, src: &Path, samples: usize, secs: u64) {
    let dir = tempfile::tempdir().unwrap();
    let live = common::copy_of(src, &dir);
    let mut slot = Arc::new(Store::open(&live).unwrap());
    let out = dir.path().join("bench.accbak");
    let mut g = c.benchmark_group(format!("backup_{label}"));
    g.sample_size(samples)
        .measurement_time(Duration::from_secs(secs))
        .warm_up_time(Duration::from_millis(500));

    g.bench_function("backup", |b| {
        b.iter(|| {
            slot.backup_to(&out, &BackupOptions::default(), &mut quiet())
                .unwrap()
        })
    });
    let size = std::fs::metadata(&out).unwrap().len();
    eprintln!("{label}: backup file {:.1} MB", size as f64 / 1e6);

    g.bench_function("verify", |b| {
        b.iter(|| backup::verify(&out, None, &mut quiet()).unwrap())
    });

    // Restore: rebuild into a new file, full check, swap in. The safety copy each swap
    // leaves (a hard link) is removed outside the timing.
    g.bench_function("restore", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                let restored =
                    backup::restore_to_new_file(&slot, &out, None, Id::NIL, &mut quiet()).unwrap();
                let swapped = backup::swap_in(&mut slot, restored).unwrap();
                total += t.elapsed();
                std::fs::remove_file(swapped.safety_copy).unwrap();
            }
            total
        })
    });
    g.finish();
}

fn encrypted(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let live = common::copy_of(&common::cooperative_db(), &dir);
    let store = Store::open(&live).unwrap();
    let out = dir.path().join("cifrato.accbak");
    let pass = SecretString::from("una passphrase di prova".to_string());
    let opts = BackupOptions {
        passphrase: Some(pass.clone()),
        ..BackupOptions::default()
    };
    let mut g = c.benchmark_group("backup_cooperative_encrypted");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("backup", |b| {
        b.iter(|| store.backup_to(&out, &opts, &mut quiet()).unwrap())
    });
    g.bench_function("verify", |b| {
        b.iter(|| backup::verify(&out, Some(&pass), &mut quiet()).unwrap())
    });
    g.finish();
}

fn cooperative(c: &mut Criterion) {
    scale(c, "cooperative", &common::cooperative_db(), 10, 10);
}

fn city(c: &mut Criterion) {
    scale(c, "city", &common::city_db(), 10, 60);
}

criterion_group!(benches, cooperative, encrypted, city);
criterion_main!(benches);
