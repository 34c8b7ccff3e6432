//! The printed cartella of a person with 500 contacts (each with a note), rendered to PDF:
//! the target is under 2 s (issue 9). Gathering through a snapshot, layout, embedding the
//! fonts and compressing the pages are all inside the measured call.

mod common;

use accoglienza::domain::*;
use accoglienza::print::{self, CartellaOptions};
use accoglienza::store::Store;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn cartella(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_of(&common::cooperative_db(), &dir);
    let store = Store::open(&path).unwrap();
    let r = store.read().unwrap();
    let p = r
        .all::<Person>()
        .unwrap()
        .into_iter()
        .find(|p| !p.archived)
        .unwrap();
    let contact = r.all::<Contact>().unwrap().into_iter().next().unwrap();
    drop(r);
    let mut w = store.write(Id::NIL).unwrap();
    for i in 0..500u32 {
        let mut x = contact.clone();
        x.id = Id::NIL;
        x.archived = false;
        x.subject = Subject::Person(p.id);
        x.at = chrono::NaiveDate::from_ymd_opt(2022, 1 + i % 12, 1 + i % 28)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        x.note = format!(
            "Colloquio {i}: la persona racconta com'è andata la settimana, si verifica la \
             pratica e si fissa il prossimo incontro (contributo di 20 €)."
        );
        w.insert(x).unwrap();
    }
    w.commit().unwrap();

    let mut g = c.benchmark_group("print");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("cartella_500_contacts", |b| {
        b.iter(|| {
            let pdf =
                print::cartella_pdf(&store, None, p.id, &CartellaOptions::default(), "").unwrap();
            black_box(pdf.len())
        })
    });
    g.finish();
}

criterion_group!(benches, cartella);
criterion_main!(benches);
