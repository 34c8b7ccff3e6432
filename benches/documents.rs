//! Attached documents (issue 15 part 3): attaching a 15 MB PDF to a person of the
//! cooperative demo database, plain and encrypted — streamed in 256 KiB chunks, hashed,
//! committed durably. Target (docs/PERFORMANCE.md): ≤ 1 s. Each sample attaches one file
//! and commits; the document is removed afterwards, outside the measure, so the file does
//! not grow from sample to sample.

mod common;

use accoglienza::domain::document::MB;
use accoglienza::domain::*;
use accoglienza::store::Store;
use criterion::{Criterion, criterion_group, criterion_main};
use std::time::{Duration, Instant};

/// A PDF-headed file of `len` pseudo-random bytes.
fn pdf(len: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A person, a kind of document and an operator of the demo database.
fn targets(store: &Store) -> (Id, Id, Id) {
    let r = store.read().unwrap();
    let person = r.active::<Person>().unwrap()[0].id;
    let op = r.active::<Operator>().unwrap()[0].id;
    let kind = r.active::<DocumentKind>().unwrap().first().map(|k| k.id);
    drop(r);
    let kind = kind.unwrap_or_else(|| {
        store
            .insert(
                op,
                DocumentKind {
                    id: Id::NIL,
                    code: "isee".into(),
                    name: "Attestazione ISEE".into(),
                    archived: false,
                },
            )
            .unwrap()
    });
    (person, kind, op)
}

fn attach(c: &mut Criterion) {
    let mut g = c.benchmark_group("document_attach_15mb");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let plain = common::cooperative_db();
    let twin = common::encrypted_twin(&plain);
    let file = pdf(15 * MB as usize);
    let dir = tempfile::tempdir().unwrap();
    for (label, src, enc) in [("plain", &plain, false), ("encrypted", &twin, true)] {
        let path = common::copy_of(src, &dir);
        let store = common::open_db(&path, enc);
        let (person, kind, op) = targets(&store);
        let today = store.clock().today();
        g.bench_function(format!("cooperative/{label}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let t = Instant::now();
                    let mut w = store.write(op).unwrap();
                    let doc = w
                        .attach_document(
                            NewDocument {
                                owner: DocumentOwner::Person(person),
                                kind,
                                file_name: "isee.pdf".into(),
                                dated: today,
                                expires: None,
                                note: String::new(),
                            },
                            &mut file.as_slice(),
                            20 * MB,
                        )
                        .unwrap();
                    w.commit().unwrap();
                    total += t.elapsed();
                    let mut w = store.write(op).unwrap();
                    w.remove_document(doc.id).unwrap();
                    w.commit().unwrap();
                }
                total
            })
        });
        drop(store);
        let _ = std::fs::remove_file(&path);
    }
    g.finish();
}

criterion_group!(benches, attach);
criterion_main!(benches);
