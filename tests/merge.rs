//! The desk merge through the store API: records added, one-side changes taken, conflicts
//! stopped until decided, dry run, catalogue matched by code, encrypted backups, audit, and
//! the convergence property over random edit histories on two stores.

use accoglienza::domain::*;
use accoglienza::stats;
use accoglienza::store::backup::{self, BackupOptions, SecretString};
use accoglienza::store::merge::{
    self, Choice, Incoming, MergeError, MergeOptions, MergeReport, merge_backup,
};
use accoglienza::store::{Entity, Reader, Store};
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SURNAMES: [&str; 6] = ["Rossi", "Bianchi", "Verdi", "Neri", "Gallo", "Conti"];

fn quiet() -> impl FnMut(&str, u64, u64) {
    |_, _, _| {}
}

fn dt(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

/// A small database: the default catalogue, one operator, households, people, contacts.
fn seed(path: &Path) -> Store {
    let store = Store::open(path).unwrap();
    let r = store.read().unwrap();
    let role = r.all::<Role>().unwrap()[0].id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    let line = r
        .all::<ServiceLine>()
        .unwrap()
        .into_iter()
        .find(|l| l.code == "wemi")
        .unwrap()
        .id;
    drop(r);
    let op = store
        .insert(
            Id::NIL,
            Operator {
                surname: "Sala".into(),
                name: "Chiara".into(),
                role,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    let mut households = Vec::new();
    for i in 0..3 {
        households.push(
            store
                .insert(
                    op,
                    Household {
                        name: format!("Famiglia {i}"),
                        ..Default::default()
                    },
                )
                .unwrap(),
        );
    }
    for i in 0..6 {
        let p = store
            .insert(
                op,
                Person {
                    surname: SURNAMES[i].into(),
                    name: "Anna".into(),
                    household: (i % 2 == 0).then(|| Membership {
                        household: households[i % 3],
                        relationship: Relationship::Figlio,
                    }),
                    ..Default::default()
                },
            )
            .unwrap();
        store
            .insert(
                op,
                Contact {
                    at: dt(2024, 3, 1 + i as u32),
                    subject: Subject::Person(p),
                    line,
                    desk,
                    operator: op,
                    minutes: 30,
                    ..contact_defaults()
                },
            )
            .unwrap();
    }
    store
}

fn contact_defaults() -> Contact {
    Contact {
        id: Id::NIL,
        at: dt(2024, 1, 1),
        subject: Subject::Person(Id::NIL),
        line: Id::NIL,
        desk: Id::NIL,
        operator: Id::NIL,
        kind: ContactKind::Ascolto,
        measure: None,
        minutes: 0,
        note: String::new(),
        confidential: false,
        archived: false,
    }
}

fn backup_of(store: &Store, path: &Path) -> PathBuf {
    store
        .backup_to(
            path,
            &BackupOptions {
                replace_larger: true,
                ..Default::default()
            },
            &mut quiet(),
        )
        .unwrap();
    path.to_path_buf()
}

/// A new workstation database holding what `backup` holds.
fn restored(backup: &Path, path: &Path) -> Store {
    let empty = Store::open(path).unwrap();
    let r = backup::restore_to_new_file(&empty, backup, None, Id::NIL, &mut quiet()).unwrap();
    let mut slot = Arc::new(empty);
    backup::swap_in(&mut slot, r).unwrap();
    Arc::try_unwrap(slot).unwrap()
}

fn incoming(path: &Path) -> Incoming {
    Incoming::read(path, None, &mut quiet()).unwrap()
}

fn merge_with(store: &Store, from: &Path, choice: Option<Choice>) -> MergeReport {
    merge_backup(
        store,
        Id::NIL,
        &incoming(from),
        &MergeOptions {
            default_choice: choice,
            ..Default::default()
        },
    )
    .unwrap()
}

/// A stable id for a catalogue entry by kind and code (to compare two desks' databases,
/// whose catalogue entries of the same code may have different ids).
fn code_id(kind: EntityKind, code: &str) -> Id {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in format!("{kind:?}/{code}").bytes() {
        h ^= b as u128;
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    Id(h)
}

fn codes<E: Entity>(r: &Reader, out: &mut HashMap<Id, Id>) {
    for e in r.all::<E>().unwrap() {
        let (code, _) = e.catalogue_entry().unwrap();
        out.insert(e.id(), code_id(E::KIND, code));
    }
}

fn canon<E: Entity>(r: &Reader, map: &HashMap<Id, Id>, out: &mut BTreeMap<String, Value>) {
    let m = |_: EntityKind, i: Id| map.get(&i).copied().unwrap_or(i);
    for mut e in r.all::<E>().unwrap() {
        e.remap(&m);
        let id = m(E::KIND, e.id());
        e.set_id(id);
        out.insert(
            format!("{:?} {id}", E::KIND),
            serde_json::to_value(&e).unwrap(),
        );
    }
}

/// Every record of a database, catalogue ids replaced by their codes.
fn canonical(store: &Store) -> BTreeMap<String, Value> {
    let r = store.read().unwrap();
    let mut map = HashMap::new();
    codes::<Area>(&r, &mut map);
    codes::<ServiceLine>(&r, &mut map);
    codes::<Desk>(&r, &mut map);
    codes::<Measure>(&r, &mut map);
    codes::<TerritorialService>(&r, &mut map);
    codes::<Role>(&r, &mut map);
    let mut out = BTreeMap::new();
    canon::<Area>(&r, &map, &mut out);
    canon::<ServiceLine>(&r, &map, &mut out);
    canon::<Desk>(&r, &map, &mut out);
    canon::<Measure>(&r, &map, &mut out);
    canon::<TerritorialService>(&r, &map, &mut out);
    canon::<Role>(&r, &map, &mut out);
    canon::<Operator>(&r, &map, &mut out);
    canon::<Household>(&r, &map, &mut out);
    canon::<Person>(&r, &map, &mut out);
    canon::<Contact>(&r, &map, &mut out);
    canon::<Case>(&r, &map, &mut out);
    canon::<Project>(&r, &map, &mut out);
    canon::<Referral>(&r, &map, &mut out);
    canon::<Activity>(&r, &map, &mut out);
    out
}

/// The annual counts by line code, checked against a full recount.
fn counts(store: &Store) -> BTreeMap<(String, i32, CountingUnit), u64> {
    let r = store.read().unwrap();
    let live = stats::annual_counts(&r).unwrap();
    let full = stats::recount(&r).unwrap();
    let mut out = BTreeMap::new();
    for l in &live.lines {
        for y in &live.years {
            for u in CountingUnit::ALL {
                let n = live.count_in(l.id, *y, u);
                assert_eq!(n, full.count_in(l.id, *y, u), "{} {y} {u:?}", l.code);
                if n > 0 {
                    out.insert((l.code.clone(), *y, u), n);
                }
            }
        }
    }
    out
}

// ------------------------------------------------------------------ examples

#[test]
fn records_unknown_here_are_added_and_merging_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = seed(&dir.path().join("a.redb"));
    let b = Store::open(dir.path().join("b.redb")).unwrap();
    let file = backup_of(&a, &dir.path().join("a.accbak"));
    let report = merge_with(&b, &file, None);
    assert!(report.written);
    assert_eq!(report.counts[&EntityKind::Person].added, 6);
    assert_eq!(report.counts[&EntityKind::Contact].added, 6);
    // The default catalogue of a fresh database is matched entry by entry by code.
    assert!(report.catalogue_matched > 0);
    assert_eq!(canonical(&a), canonical(&b));
    assert_eq!(counts(&a), counts(&b));
    let audit_before = b.read().unwrap().audit_len().unwrap();
    let again = merge_with(&b, &file, None);
    assert!(!again.written);
    assert_eq!(again.total().added + again.total().updated, 0);
    assert_eq!(b.read().unwrap().audit_len().unwrap(), audit_before);
    assert_eq!(canonical(&a), canonical(&b));
    // The merge is in the audit.
    let audit = b.read().unwrap().audit(usize::MAX).unwrap();
    assert!(
        audit
            .iter()
            .filter(|(_, e)| e.action == Action::MergeDesk && e.kind == EntityKind::Person)
            .count()
            >= 6
    );
}

fn first_person(store: &Store) -> Person {
    store.read().unwrap().all::<Person>().unwrap()[0].clone()
}

#[test]
fn changes_on_one_side_are_taken_and_the_same_field_changed_on_both_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let base = seed(&dir.path().join("base.redb"));
    let common = backup_of(&base, &dir.path().join("common.accbak"));
    let a = restored(&common, &dir.path().join("a.redb"));
    let b = restored(&common, &dir.path().join("b.redb"));
    let mut p = first_person(&a);
    p.phone = "02 1111111".into();
    p.note = "nota di A".into();
    a.update(Id::NIL, p.clone()).unwrap();
    let mut q = first_person(&b);
    q.email = "b@example.org".into();
    q.note = "nota di B".into();
    b.update(Id::NIL, q).unwrap();
    let from_b = backup_of(&b, &dir.path().join("b.accbak"));

    // A preview counts and writes nothing.
    let before = canonical(&a);
    let preview = merge_backup(
        &a,
        Id::NIL,
        &incoming(&from_b),
        &MergeOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!preview.written);
    assert_eq!(preview.counts[&EntityKind::Person].conflicting, 1);
    assert_eq!(preview.undecided(), 1);
    assert_eq!(preview.conflicts[0].field, "note");
    assert_eq!(canonical(&a), before);

    // Undecided: refused, nothing written.
    let e = merge_backup(&a, Id::NIL, &incoming(&from_b), &MergeOptions::default()).unwrap_err();
    assert!(matches!(e, MergeError::Undecided(_)), "{e}");
    assert!(e.to_string().contains("conflitti da decidere"));
    assert_eq!(canonical(&a), before);

    // Decided field by field: keep both notes.
    let mut decisions = HashMap::new();
    decisions.insert((p.id, "note".to_string()), Choice::Both);
    let done = merge_backup(
        &a,
        Id::NIL,
        &incoming(&from_b),
        &MergeOptions {
            decisions,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(done.written);
    let merged: Person = a.read().unwrap().require(p.id).unwrap();
    assert_eq!(merged.phone, "02 1111111");
    assert_eq!(merged.email, "b@example.org");
    assert!(merged.note.contains("nota di A") && merged.note.contains("nota di B"));
    let audit = a.read().unwrap().audit(usize::MAX).unwrap();
    assert!(
        audit
            .iter()
            .any(|(_, e)| e.action == Action::MergeConflict && e.entity == p.id)
    );

    // B takes A's data: no conflict left, both the same.
    let from_a = backup_of(&a, &dir.path().join("a.accbak"));
    let back = merge_with(&b, &from_a, None);
    assert_eq!(back.undecided(), 0);
    assert_eq!(canonical(&a), canonical(&b));
}

#[test]
fn an_encrypted_backup_merges_with_its_passphrase_only() {
    let dir = tempfile::tempdir().unwrap();
    let a = seed(&dir.path().join("a.redb"));
    let b = Store::open(dir.path().join("b.redb")).unwrap();
    let file = dir.path().join("a-cifrato.accbak");
    let pass = SecretString::from("una passphrase lunga".to_string());
    a.backup_to(
        &file,
        &BackupOptions {
            passphrase: Some(pass.clone()),
            work_factor: 10,
            ..Default::default()
        },
        &mut quiet(),
    )
    .unwrap();
    let wrong = SecretString::from("un'altra".to_string());
    assert!(Incoming::read(&file, Some(&wrong), &mut quiet()).is_err());
    let inc = Incoming::read(&file, Some(&pass), &mut quiet()).unwrap();
    merge_backup(&b, Id::NIL, &inc, &MergeOptions::default()).unwrap();
    assert_eq!(canonical(&a), canonical(&b));
}

#[test]
fn a_damaged_backup_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let a = seed(&dir.path().join("a.redb"));
    let file = backup_of(&a, &dir.path().join("a.accbak"));
    let mut bytes = std::fs::read(&file).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x55;
    std::fs::write(&file, bytes).unwrap();
    assert!(Incoming::read(&file, None, &mut quiet()).is_err());
}

#[test]
fn backups_of_merged_databases_carry_the_history_and_restore_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = seed(&dir.path().join("a.redb"));
    let mut p = first_person(&a);
    p.phone = "02 2222222".into();
    a.update(Id::NIL, p).unwrap();
    let file = backup_of(&a, &dir.path().join("a.accbak"));
    let info = backup::verify(&file, None, &mut quiet()).unwrap();
    assert_eq!(info.header.count("merge_versions"), 1);
    let copy = restored(&file, &dir.path().join("copia.redb"));
    assert_eq!(canonical(&a), canonical(&copy));
    // A backup of a database never changed after its records were made has no merge
    // tables (readable by earlier versions).
    let fresh = seed(&dir.path().join("fresh.redb"));
    let plain = backup_of(&fresh, &dir.path().join("fresh.accbak"));
    let info = backup::verify(&plain, None, &mut quiet()).unwrap();
    assert!(
        info.header
            .tables
            .iter()
            .all(|t| !t.name.starts_with("merge_"))
    );
}

// ------------------------------------------------------------------ property

#[derive(Debug, Clone)]
enum Op {
    NewPerson(u8),
    NewHousehold(u8),
    NewContact(usize, u16),
    Phone(usize, u8),
    Email(usize, u8),
    PersonNote(usize, u8),
    ArchivePerson(usize, bool),
    MoveHousehold(usize, Option<usize>),
    ContactNote(usize, u8),
    ContactMinutes(usize, u16),
    ContactLine(usize, usize),
    ArchiveContact(usize, bool),
    HouseholdName(usize, u8),
    ArchiveHousehold(usize, bool),
    RenameMeasure(usize, u8),
    NewMeasure(u8, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4u8).prop_map(Op::NewPerson),
        (0..4u8).prop_map(Op::NewHousehold),
        (0..7usize, 0..4u16).prop_map(|(i, m)| Op::NewContact(i, m)),
        (0..7usize, 0..3u8).prop_map(|(i, v)| Op::Phone(i, v)),
        (0..7usize, 0..3u8).prop_map(|(i, v)| Op::Email(i, v)),
        (0..7usize, 0..3u8).prop_map(|(i, v)| Op::PersonNote(i, v)),
        (0..7usize, any::<bool>()).prop_map(|(i, v)| Op::ArchivePerson(i, v)),
        (0..7usize, proptest::option::of(0..8usize)).prop_map(|(i, h)| Op::MoveHousehold(i, h)),
        (0..7usize, 0..3u8).prop_map(|(i, v)| Op::ContactNote(i, v)),
        (0..7usize, 0..4u16).prop_map(|(i, v)| Op::ContactMinutes(i, v)),
        (0..7usize, 0..8usize).prop_map(|(i, l)| Op::ContactLine(i, l)),
        (0..7usize, any::<bool>()).prop_map(|(i, v)| Op::ArchiveContact(i, v)),
        (0..8usize, 0..3u8).prop_map(|(i, v)| Op::HouseholdName(i, v)),
        (0..8usize, any::<bool>()).prop_map(|(i, v)| Op::ArchiveHousehold(i, v)),
        (0..8usize, 0..3u8).prop_map(|(i, v)| Op::RenameMeasure(i, v)),
        (0..3u8, 0..3u8).prop_map(|(c, v)| Op::NewMeasure(c, v)),
    ]
}

/// What one side did: the last value it gave each field, and the records it added.
#[derive(Default)]
struct History {
    edits: BTreeMap<(Id, String), Value>,
    added: Vec<(EntityKind, Id)>,
    new_measures: BTreeMap<String, String>,
}

fn pick(ids: &[Id], i: usize) -> Option<Id> {
    (!ids.is_empty()).then(|| ids[i % ids.len()])
}

fn all_ids<E: Entity>(store: &Store) -> Vec<Id> {
    store
        .read()
        .unwrap()
        .all::<E>()
        .unwrap()
        .iter()
        .map(|e| e.id())
        .collect()
}

/// Changes one record and notes every field that really changed.
fn edit<E: Entity>(store: &Store, id: Id, f: impl FnOnce(&mut E), h: &mut History) {
    let old: E = store.read().unwrap().require(id).unwrap();
    let mut new = old.clone();
    f(&mut new);
    if store.update(Id::NIL, new).is_err() {
        return;
    }
    let after: E = store.read().unwrap().require(id).unwrap();
    let (a, b) = (
        serde_json::to_value(&old).unwrap(),
        serde_json::to_value(&after).unwrap(),
    );
    for (k, v) in b.as_object().unwrap() {
        if a.get(k) != Some(v) {
            h.edits.insert((id, k.clone()), v.clone());
        }
    }
}

fn apply(store: &Store, op: &Op, h: &mut History) {
    let people = all_ids::<Person>(store);
    let contacts = all_ids::<Contact>(store);
    let households = all_ids::<Household>(store);
    let r = store.read().unwrap();
    let lines: Vec<Id> = r
        .all::<ServiceLine>()
        .unwrap()
        .iter()
        .map(|l| l.id)
        .collect();
    let base_measures: Vec<Id> = r
        .all::<Measure>()
        .unwrap()
        .iter()
        .filter(|m| !m.code.starts_with("nuova_"))
        .map(|m| m.id)
        .collect();
    let desk = r.all::<Desk>().unwrap()[0].id;
    let operator = r.all::<Operator>().unwrap()[0].id;
    drop(r);
    match op.clone() {
        Op::NewPerson(v) => {
            if let Ok(id) = store.insert(
                Id::NIL,
                Person {
                    surname: format!("Nuova {}", SURNAMES[v as usize]),
                    name: "Persona".into(),
                    ..Default::default()
                },
            ) {
                h.added.push((EntityKind::Person, id));
            }
        }
        Op::NewHousehold(v) => {
            if let Ok(id) = store.insert(
                Id::NIL,
                Household {
                    name: format!("Nucleo {v}"),
                    ..Default::default()
                },
            ) {
                h.added.push((EntityKind::Household, id));
            }
        }
        Op::NewContact(i, m) => {
            let Some(p) = pick(&people, i) else { return };
            if let Ok(id) = store.insert(
                Id::NIL,
                Contact {
                    at: dt(2024, 5, 1 + m as u32),
                    subject: Subject::Person(p),
                    line: lines[0],
                    desk,
                    operator,
                    minutes: 10 * m,
                    ..contact_defaults()
                },
            ) {
                h.added.push((EntityKind::Contact, id));
            }
        }
        Op::Phone(i, v) => {
            let Some(p) = pick(&people, i) else { return };
            edit::<Person>(store, p, |p| p.phone = format!("02 123456{v}"), h);
        }
        Op::Email(i, v) => {
            let Some(p) = pick(&people, i) else { return };
            edit::<Person>(store, p, |p| p.email = format!("p{v}@example.org"), h);
        }
        Op::PersonNote(i, v) => {
            let Some(p) = pick(&people, i) else { return };
            edit::<Person>(store, p, |p| p.note = format!("nota {v}"), h);
        }
        Op::ArchivePerson(i, v) => {
            let Some(p) = pick(&people, i) else { return };
            edit::<Person>(store, p, |p| p.archived = v, h);
        }
        Op::MoveHousehold(i, to) => {
            let Some(p) = pick(&people, i) else { return };
            let to = to.and_then(|j| pick(&households, j));
            edit::<Person>(
                store,
                p,
                |p| {
                    p.household = to.map(|household| Membership {
                        household,
                        relationship: Relationship::Figlio,
                    })
                },
                h,
            );
        }
        Op::ContactNote(i, v) => {
            let Some(c) = pick(&contacts, i) else { return };
            edit::<Contact>(store, c, |c| c.note = format!("colloquio {v}"), h);
        }
        Op::ContactMinutes(i, v) => {
            let Some(c) = pick(&contacts, i) else { return };
            edit::<Contact>(store, c, |c| c.minutes = 15 * v, h);
        }
        Op::ContactLine(i, l) => {
            let Some(c) = pick(&contacts, i) else { return };
            let line = lines[l % lines.len()];
            edit::<Contact>(store, c, |c| c.line = line, h);
        }
        Op::ArchiveContact(i, v) => {
            let Some(c) = pick(&contacts, i) else { return };
            let before: Contact = store.read().unwrap().require(c).unwrap();
            if store.set_archived::<Contact>(Id::NIL, c, v).is_ok() {
                let after: Contact = store.read().unwrap().require(c).unwrap();
                // An edit only when something changed (archiving what is archived is
                // nothing for the other desk to lose).
                if after.archived != before.archived {
                    h.edits
                        .insert((c, "archived".into()), Value::Bool(after.archived));
                }
            }
        }
        Op::HouseholdName(i, v) => {
            let Some(x) = pick(&households, i) else {
                return;
            };
            edit::<Household>(store, x, |x| x.name = format!("Famiglia {v}"), h);
        }
        Op::ArchiveHousehold(i, v) => {
            let Some(x) = pick(&households, i) else {
                return;
            };
            edit::<Household>(store, x, |x| x.archived = v, h);
        }
        Op::RenameMeasure(i, v) => {
            // The measures both desks had from the start (same ids on both).
            let Some(m) = pick(&base_measures, i) else {
                return;
            };
            edit::<Measure>(store, m, |m| m.name = format!("Misura {v}"), h);
        }
        Op::NewMeasure(c, v) => {
            let code = format!("nuova_{c}");
            let name = format!("Nuova misura {v}");
            if store
                .insert(
                    Id::NIL,
                    Measure {
                        id: Id::NIL,
                        code: code.clone(),
                        name: name.clone(),
                        archived: false,
                    },
                )
                .is_ok()
            {
                h.new_measures.insert(code, name);
            }
        }
    }
}

fn conflicts_of(r: &MergeReport) -> BTreeSet<(Id, String)> {
    r.conflicts
        .iter()
        .map(|c| (c.id, c.field.clone()))
        .collect()
}

/// A record of a kind that the property edits, as JSON.
fn json_of(store: &Store, id: Id) -> Option<Value> {
    let r = store.read().unwrap();
    fn get<E: Entity>(r: &Reader, id: Id) -> Option<Value> {
        r.get::<E>(id)
            .unwrap()
            .map(|e| serde_json::to_value(&e).unwrap())
    }
    get::<Person>(&r, id)
        .or_else(|| get::<Contact>(&r, id))
        .or_else(|| get::<Household>(&r, id))
        .or_else(|| get::<Measure>(&r, id))
}

/// Every edit of a side is in `store`, or was reported as a conflict.
fn edits_present(store: &Store, h: &History, conflicts: &BTreeSet<(Id, String)>) {
    for ((id, field), value) in &h.edits {
        if conflicts.contains(&(*id, field.clone())) {
            continue;
        }
        let Some(rec) = json_of(store, *id) else {
            panic!("record {id} lost");
        };
        assert_eq!(rec.get(field), Some(value), "edit of {field} on {id} lost");
    }
    for (_, id) in &h.added {
        assert!(json_of(store, *id).is_some(), "added record {id} lost");
    }
    let r = store.read().unwrap();
    let measures = r.all::<Measure>().unwrap();
    for code in h.new_measures.keys() {
        assert!(
            measures.iter().any(|m| &m.code == code),
            "new measure {code} lost"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn two_desks_converge_and_merging_again_changes_nothing(
        ops_a in proptest::collection::vec(op(), 0..14),
        ops_b in proptest::collection::vec(op(), 0..14),
        take_incoming in any::<bool>(),
    ) {
        converge(&ops_a, &ops_b, take_incoming)?;
    }
}

/// Found by the property: A archives a contact already live (no change), B archives it.
#[test]
fn archiving_what_is_already_so_is_no_edit_to_keep() {
    converge(
        &[Op::ArchiveContact(1, false)],
        &[Op::ArchiveContact(1, true)],
        false,
    )
    .unwrap();
}

/// The property: two desks from a common backup, their edits, merged both ways.
fn converge(ops_a: &[Op], ops_b: &[Op], take_incoming: bool) -> Result<(), TestCaseError> {
    {
        let dir = tempfile::tempdir().unwrap();
        let base = seed(&dir.path().join("base.redb"));
        let common = backup_of(&base, &dir.path().join("common.accbak"));
        let a = restored(&common, &dir.path().join("a.redb"));
        let b = restored(&common, &dir.path().join("b.redb"));
        let (mut ha, mut hb) = (History::default(), History::default());
        for o in ops_a {
            apply(&a, o, &mut ha);
        }
        for o in ops_b {
            apply(&b, o, &mut hb);
        }
        let rule = if take_incoming {
            Choice::Incoming
        } else {
            Choice::Local
        };
        let b1 = backup_of(&b, &dir.path().join("b1.accbak"));
        let ra = merge_with(&a, &b1, Some(rule));
        let a2 = backup_of(&a, &dir.path().join("a2.accbak"));
        let rb = merge_with(&b, &a2, Some(rule));
        // A's decisions travel with its data: B meets no conflict of its own.
        prop_assert_eq!(rb.conflicts.len(), 0);
        prop_assert_eq!(canonical(&a), canonical(&b));
        prop_assert_eq!(counts(&a), counts(&b));
        let mut conflicts = conflicts_of(&ra);
        conflicts.extend(conflicts_of(&rb));
        edits_present(&a, &ha, &conflicts);
        edits_present(&a, &hb, &conflicts);
        // Merging the same files again changes nothing.
        let before = canonical(&a);
        let again = merge_with(&a, &b1, Some(rule));
        prop_assert!(!again.written, "{:?}", again.counts);
        prop_assert_eq!(canonical(&a), before);
        let again = merge_with(&b, &a2, Some(rule));
        prop_assert!(!again.written, "{:?}", again.counts);
        // And both databases pass the full check.
        let mut a = a;
        let mut b = b;
        prop_assert!(a.check().unwrap().ok());
        prop_assert!(b.check().unwrap().ok());
    }
    Ok(())
}

#[test]
fn the_merge_module_names_every_kind_it_matches_by_code() {
    for k in EntityKind::ALL {
        let catalogue = matches!(
            k,
            EntityKind::Area
                | EntityKind::ServiceLine
                | EntityKind::Desk
                | EntityKind::Measure
                | EntityKind::TerritorialService
                | EntityKind::Role
                | EntityKind::Purpose
                | EntityKind::DocumentKind
                | EntityKind::Bando
        );
        assert_eq!(merge::is_catalogue(k), catalogue, "{k:?}");
    }
}
