//! Times the desk merge (docs/PERFORMANCE.md, issue 11).
//!
//! `cargo run --release --example merge_probe -- cooperative DIR`: the cooperative demo
//! split into three desks (`demo::split`), via Ornato's and via Rizzoli's backups merged
//! into the sede's database; then a whole cooperative-scale desk (the demo made with another
//! seed, ≈ 18,700 records, all new there) merged into it.
//!
//! `cargo run --release --example merge_probe -- city DIR [CITY_DB]`: a desk that started
//! from the city-scale database and registered 200,000 new contacts, merged back into it
//! (the city demo is generated into DIR when CITY_DB is not given).
use accoglienza::demo::{self, Scale, split::split_desks};
use accoglienza::domain::*;
use accoglienza::store::Store;
use accoglienza::store::backup::BackupOptions;
use accoglienza::store::merge::{Incoming, MergeOptions, MergeReport, merge_backup};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn quiet() -> impl FnMut(&str, u64, u64) {
    |_, _, _| {}
}

fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0)
        / 1024
}

fn backup(db: &Path, out: &Path) -> u64 {
    let store = Store::open_existing(db).unwrap();
    let info = store
        .backup_to(
            out,
            &BackupOptions {
                replace_larger: true,
                ..Default::default()
            },
            &mut quiet(),
        )
        .unwrap();
    info.header.total()
}

fn timed_merge(into: &Store, file: &Path, label: &str) -> MergeReport {
    let t = Instant::now();
    let incoming = Incoming::read(file, None, &mut quiet()).unwrap();
    let read = t.elapsed();
    let t = Instant::now();
    let r = merge_backup(into, Id::NIL, &incoming, &MergeOptions::default()).unwrap();
    let merge = t.elapsed();
    let total = r.total();
    println!(
        "{label}: read {:.2} s + merge {:.2} s = {:.2} s; added {}, updated {}, unchanged {}, conflicts {}, duplicates proposed {}; peak {} MB",
        read.as_secs_f64(),
        merge.as_secs_f64(),
        (read + merge).as_secs_f64(),
        total.added,
        total.updated,
        total.unchanged,
        r.conflicts.len(),
        r.duplicates.len(),
        peak_mb()
    );
    r
}

fn cooperative(dir: &Path) {
    let source = Store::open(dir.join("seme.redb")).unwrap();
    demo::generate(&source, Scale::Cooperative, 2022, &mut quiet()).unwrap();
    let split = split_desks(&source, dir, 30).unwrap();
    drop(source);
    let n_o = backup(&split.ornato, &dir.join("ornato.accbak"));
    let n_r = backup(&split.rizzoli, &dir.join("rizzoli.accbak"));
    println!("via Ornato backup: {n_o} records; via Rizzoli backup: {n_r} records");
    let sede = Store::open_existing(&split.sede).unwrap();
    timed_merge(
        &sede,
        &dir.join("ornato.accbak"),
        "cooperative: via Ornato into sede",
    );
    timed_merge(
        &sede,
        &dir.join("rizzoli.accbak"),
        "cooperative: via Rizzoli into sede",
    );
    timed_merge(
        &sede,
        &dir.join("rizzoli.accbak"),
        "cooperative: the same file again",
    );
    // A whole cooperative-scale desk whose every record is new here: the cooperative demo
    // made with another seed (its own people, contacts, cases…), merged into the sede.
    let other = dir.join("altra-cooperativa.redb");
    {
        let s = Store::open(&other).unwrap();
        demo::generate(&s, Scale::Cooperative, 7, &mut quiet()).unwrap();
    }
    let n = backup(&other, &dir.join("altra.accbak"));
    println!("a cooperative-scale desk: {n} records");
    timed_merge(
        &sede,
        &dir.join("altra.accbak"),
        "cooperative: a whole cooperative-scale desk, every record new",
    );
}

fn city(dir: &Path, city_db: Option<PathBuf>) {
    let city_db = city_db.unwrap_or_else(|| {
        let p = dir.join("city.redb");
        if !p.exists() {
            let t = Instant::now();
            let s = Store::open(&p).unwrap();
            demo::generate(&s, Scale::City, 2022, &mut quiet()).unwrap();
            println!("city demo generated in {:.0} s", t.elapsed().as_secs_f64());
        }
        p
    });
    let desk = dir.join("desk.redb");
    let main = dir.join("main.redb");
    std::fs::copy(&city_db, &desk).unwrap();
    std::fs::copy(&city_db, &main).unwrap();
    {
        let store = Store::open_existing(&desk).unwrap();
        let r = store.read().unwrap();
        let people: Vec<Id> = r
            .all::<Person>()
            .unwrap()
            .iter()
            .filter(|p| !p.archived)
            .map(|p| p.id)
            .collect();
        let line = r
            .all::<ServiceLine>()
            .unwrap()
            .into_iter()
            .find(|l| l.code == "wemi")
            .unwrap()
            .id;
        let desk_id = r.all::<Desk>().unwrap()[0].id;
        let op = r.all::<Operator>().unwrap()[0].id;
        drop(r);
        let mut w = store.bulk_write(Id::NIL).unwrap();
        for i in 0..200_000u64 {
            let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
                + chrono::Duration::days((i % 330) as i64);
            w.insert(Contact {
                id: Id::NIL,
                at: day.and_hms_opt(9 + (i % 8) as u32, 0, 0).unwrap(),
                subject: Subject::Person(people[(i as usize * 7919) % people.len()]),
                line,
                desk: desk_id,
                operator: op,
                kind: ContactKind::Informazione,
                measure: None,
                minutes: 20,
                note: String::new(),
                confidential: false,
                archived: false,
            })
            .unwrap();
        }
        w.commit().unwrap();
        store.rebuild_aggregates().unwrap();
    }
    let n = backup(&desk, &dir.join("desk.accbak"));
    println!("desk backup: {n} records (200,000 of them new contacts)");
    let main = Store::open_existing(&main).unwrap();
    timed_merge(
        &main,
        &dir.join("desk.accbak"),
        "city: 200,000 new contacts",
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "cooperative".into());
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/merge-probe".into()));
    std::fs::create_dir_all(&dir).unwrap();
    match what.as_str() {
        "city" => city(&dir, args.next().map(PathBuf::from)),
        _ => {
            let dir = dir.join("cooperativa");
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            cooperative(&dir)
        }
    }
}
