//! Accounts: signing in (one Argon2id verification with the standard parameters, the
//! account's counters and the audit entry written durably) against the ≤ 1 s target, and
//! what the store's permission checks cost on a save and on reading a whole list.

mod common;

use accoglienza::access::{self, NewAccount, PasswordParams};
use accoglienza::domain::access::role_codes;
use accoglienza::domain::*;
use accoglienza::store::Store;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

const PASSWORD: &str = "tre gatti sul tetto di casa";

fn accounts(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_of(&common::cooperative_db(), &dir);
    let store = Store::open(&path).unwrap();
    let (op, line, desk, people) = common::sqlite_save::targets(&store);
    let role = store
        .access_role(role_codes::COORDINATORE)
        .unwrap()
        .unwrap()
        .id;
    store
        .create_account_unchecked(
            &NewAccount {
                username: "banco".into(),
                operator: Some(op),
                roles: vec![role],
                must_change: false,
            },
            PASSWORD,
            PasswordParams::STANDARD,
        )
        .unwrap();

    let mut g = c.benchmark_group("access");
    g.sample_size(10).measurement_time(Duration::from_secs(12));
    g.bench_function("sign_in_standard_argon2id", |b| {
        b.iter(|| black_box(access::sign_in(&store, "banco", PASSWORD).unwrap()))
    });
    g.finish();

    let session = access::sign_in(&store, "banco", PASSWORD).unwrap();
    let mut g = c.benchmark_group("access_checks");
    g.sample_size(40).measurement_time(Duration::from_secs(8));
    let mut i = 0;
    g.bench_function("durable_insert_contact_system", |b| {
        b.iter(|| {
            i += 1;
            black_box(
                store
                    .insert(op, common::sqlite_save::contact(&people, line, desk, op, i))
                    .unwrap(),
            )
        })
    });
    g.bench_function("durable_insert_contact_as_session", |b| {
        b.iter(|| {
            i += 1;
            black_box(
                store
                    .insert_as(
                        &session,
                        common::sqlite_save::contact(&people, line, desk, op, i),
                    )
                    .unwrap(),
            )
        })
    });
    g.bench_function("read_all_contacts_system", |b| {
        b.iter(|| black_box(store.read().unwrap().all::<Contact>().unwrap().len()))
    });
    g.bench_function("read_all_contacts_as_session", |b| {
        b.iter(|| {
            black_box(
                store
                    .read_as(&session)
                    .unwrap()
                    .all::<Contact>()
                    .unwrap()
                    .len(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, accounts);
criterion_main!(benches);
