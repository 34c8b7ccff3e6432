//! The cooperative demo split into three workstation databases (sede, via Ornato, via
//! Rizzoli) with 30 people registered at both desks under different ids: merged into the
//! main office's database, the duplicate list finds the 30 pairs, and once they are merged
//! every annual count equals the seed's (640 people at the WeMi desks in 2022).

use accoglienza::demo::{self, Scale, split::split_desks};
use accoglienza::domain::*;
use accoglienza::stats;
use accoglienza::stats::breakdown::Dimension;
use accoglienza::store::Store;
use accoglienza::store::backup::BackupOptions;
use accoglienza::store::merge::{Incoming, MergeOptions, merge_backup, merge_people};
use std::collections::BTreeMap;
use std::path::Path;

/// Every count by (line code, year, unit), checked against a full recount.
fn counts(store: &Store) -> BTreeMap<(String, i32, CountingUnit), u64> {
    let r = store.read().unwrap();
    let live = stats::annual_counts(&r).unwrap();
    let full = stats::recount(&r).unwrap();
    let mut out = BTreeMap::new();
    for l in &live.lines {
        for y in &live.years {
            for u in CountingUnit::ALL {
                let n = live.count_in(l.id, *y, u);
                assert_eq!(n, full.count_in(l.id, *y, u));
                if n > 0 {
                    out.insert((l.code.clone(), *y, u), n);
                }
            }
        }
    }
    out
}

fn merge_desk(into: &Store, db: &Path, dir: &Path) -> accoglienza::store::merge::MergeReport {
    let file = dir.join(format!(
        "{}.accbak",
        db.file_stem().unwrap().to_string_lossy()
    ));
    let store = Store::open_existing(db).unwrap();
    store
        .backup_to(&file, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
    drop(store);
    let incoming = Incoming::read(&file, None, &mut |_, _, _| {}).unwrap();
    merge_backup(into, Id::NIL, &incoming, &MergeOptions::default()).unwrap()
}

#[test]
fn three_desks_merged_count_each_person_once() {
    let dir = tempfile::tempdir().unwrap();
    let source = Store::open(dir.path().join("seme.redb")).unwrap();
    demo::generate(&source, Scale::Cooperative, 2022, &mut |_, _, _| {}).unwrap();
    let seed = counts(&source);
    let split = split_desks(&source, dir.path(), 30).unwrap();
    assert_eq!(split.twins.len(), 30);

    let sede = Store::open_existing(&split.sede).unwrap();
    let from_ornato = merge_desk(&sede, &split.ornato, dir.path());
    assert!(from_ornato.written);
    assert_eq!(from_ornato.undecided(), 0);
    let from_rizzoli = merge_desk(&sede, &split.rizzoli, dir.path());
    assert_eq!(from_rizzoli.undecided(), 0);
    // The merge proposes the people it added that look like people already here.
    for (o, r) in &split.twins {
        let pair = ((*o).min(*r), (*o).max(*r));
        assert!(
            from_rizzoli.duplicates.iter().any(|c| (c.a, c.b) == pair),
            "pair {o:?}/{r:?} not proposed by the merge"
        );
    }
    // Before the person merges, a person registered at both desks counts twice.
    let wemi_2022 = |s: &Store| {
        let r = s.read().unwrap();
        let c = stats::annual_counts(&r).unwrap();
        let line = c.line("wemi").unwrap().clone();
        c.count(&line, 2022)
    };
    assert!(wemi_2022(&sede) >= 640);

    // The Possibili doppioni list finds the 30 pairs.
    let candidates = sede.duplicate_candidates().unwrap();
    for (o, r) in &split.twins {
        let pair = ((*o).min(*r), (*o).max(*r));
        assert!(candidates.iter().any(|c| (c.a, c.b) == pair));
    }
    for (o, r) in &split.twins {
        merge_people(&sede, Id::NIL, *o, *r, &[]).unwrap();
    }
    assert_eq!(wemi_2022(&sede), 640);
    assert_eq!(counts(&sede), seed);
    // The dashboard's "Per sportello" view shows each desk's share.
    let r = sede.read().unwrap();
    let by_desk = stats::breakdown::breakdown(&r, 2022, Dimension::Desk).unwrap();
    let wemi = stats::annual_counts(&r).unwrap().line("wemi").unwrap().id;
    let row = by_desk.rows.iter().find(|x| x.line == Some(wemi)).unwrap();
    for desk in ["Ornato", "Rizzoli"] {
        let col = by_desk
            .columns
            .iter()
            .position(|c| c.contains(desk))
            .unwrap_or_else(|| panic!("no column for {desk}: {:?}", by_desk.columns));
        assert!(row.values[col] > 0, "{desk}: {:?}", row.values);
    }
    drop(r);
    // Merging the desks again changes nothing.
    let again = merge_desk(&sede, &split.rizzoli, dir.path());
    assert!(!again.written, "{:?}", again.counts);
    assert_eq!(counts(&sede), seed);
}
