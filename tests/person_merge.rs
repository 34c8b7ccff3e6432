//! Person merge through the store API: every linked record moves (one check per kind),
//! the audit shows it, the counts match a full recount (property), undo restores both
//! people, the merge travels to the other desk; and the *Possibili doppioni* list.

use accoglienza::domain::*;
use accoglienza::stats;
use accoglienza::store::backup::BackupOptions;
use accoglienza::store::merge::people::{current_id, differing_fields, undoable};
use accoglienza::store::merge::{
    Incoming, MergeOptions, merge_backup, merge_people, undo_person_merge,
};
use accoglienza::store::{Entity, Store};
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn dt(y: i32, m: u32, day: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(9, 0, 0).unwrap()
}

struct World {
    store: Store,
    op: Id,
    desk: Id,
    lines: BTreeMap<String, Id>,
    service: Id,
}

fn world(path: &std::path::Path) -> World {
    let store = Store::open(path).unwrap();
    let r = store.read().unwrap();
    let role = r.all::<Role>().unwrap()[0].id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    let service = r.all::<TerritorialService>().unwrap()[0].id;
    let lines = r
        .all::<ServiceLine>()
        .unwrap()
        .into_iter()
        .map(|l| (l.code, l.id))
        .collect();
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
    World {
        store,
        op,
        desk,
        lines,
        service,
    }
}

impl World {
    fn person(&self, surname: &str, name: &str, household: Option<Id>) -> Id {
        self.store
            .insert(
                self.op,
                Person {
                    surname: surname.into(),
                    name: name.into(),
                    birth: BirthDate::Exact(d(1970, 5, 6)),
                    household: household.map(|h| Membership {
                        household: h,
                        relationship: Relationship::Figlio,
                    }),
                    ..Default::default()
                },
            )
            .unwrap()
    }

    fn contact(&self, p: Id, line: &str, at: NaiveDateTime) -> Id {
        self.store
            .insert(
                self.op,
                Contact {
                    id: Id::NIL,
                    at,
                    subject: Subject::Person(p),
                    line: self.lines[line],
                    desk: self.desk,
                    operator: self.op,
                    kind: ContactKind::Ascolto,
                    measure: None,
                    minutes: 20,
                    note: String::new(),
                    confidential: false,
                    archived: false,
                },
            )
            .unwrap()
    }

    fn check_counts(&self) -> BTreeMap<(Id, i32, CountingUnit), u64> {
        let r = self.store.read().unwrap();
        let live = stats::annual_counts(&r).unwrap();
        let full = stats::recount(&r).unwrap();
        let mut out = BTreeMap::new();
        for l in &live.lines {
            for y in &live.years {
                for u in CountingUnit::ALL {
                    assert_eq!(live.count_in(l.id, *y, u), full.count_in(l.id, *y, u));
                    out.insert((l.id, *y, u), live.count_in(l.id, *y, u));
                }
            }
        }
        out
    }
}

#[test]
fn every_linked_record_moves_the_audit_shows_it_and_undo_restores_both() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("db.redb"));
    let hh = w
        .store
        .insert(
            w.op,
            Household {
                name: "Famiglia Neri".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let keep = w.person("Neri", "Paolo", None);
    let other = w.person("Neri", "Paolo", Some(hh));
    let mut o: Person = w.store.read().unwrap().require(other).unwrap();
    o.consent = Some(Consent {
        date: d(2023, 1, 10),
        scope: "servizi".into(),
    });
    o.phone = "333 1234567".into();
    w.store.update(w.op, o).unwrap();
    w.contact(keep, "wemi", dt(2023, 2, 1));
    let contact = w.contact(other, "wemi", dt(2023, 3, 1));
    let case = w
        .store
        .insert(
            w.op,
            Case {
                id: Id::NIL,
                subject: Subject::Person(other),
                line: w.lines["famiglie"],
                opened: d(2023, 1, 5),
                closed: None,
                status: CaseStatus::InCorso,
                referente: Some(w.op),
                team: vec![],
                need: "casa".into(),
                plan: vec![],
                outcome: String::new(),
                archived: false,
            },
        )
        .unwrap();
    let project = w
        .store
        .insert(
            w.op,
            Project {
                id: Id::NIL,
                person: other,
                line: w.lines["studio"],
                start: d(2023, 1, 9),
                end: None,
                operator: Some(w.op),
                kind: ProjectKind::SostegnoStudio {
                    school: "IC Rizzoli".into(),
                    class: "2ª A".into(),
                    need: SchoolNeed::Dsa,
                    hours_per_week: 2,
                },
                note: String::new(),
                archived: false,
            },
        )
        .unwrap();
    let referral = w
        .store
        .insert(
            w.op,
            Referral {
                id: Id::NIL,
                subject: Subject::Person(other),
                date: d(2023, 4, 1),
                service: w.service,
                line: None,
                operator: Some(w.op),
                reason: "lavoro".into(),
                follow_up: None,
                outcome: ReferralOutcome::default(),
                outcome_note: String::new(),
                archived: false,
            },
        )
        .unwrap();
    let activity = w
        .store
        .insert(
            w.op,
            Activity {
                id: Id::NIL,
                name: "Passeggiate".into(),
                line: w.lines["passeggiate"],
                edition: "2023".into(),
                desk: None,
                participants: vec![keep, other],
                sessions: vec![Session {
                    date: d(2023, 5, 2),
                    title: "Brera".into(),
                    attendees: vec![other],
                }],
                archived: false,
            },
        )
        .unwrap();
    let before = w.check_counts();
    let wemi_2023 = |w: &World| {
        let r = w.store.read().unwrap();
        stats::annual_counts(&r)
            .unwrap()
            .count_in(w.lines["wemi"], 2023, CountingUnit::Persone)
    };
    assert_eq!(wemi_2023(&w), 2);
    let (k, o) = {
        let r = w.store.read().unwrap();
        (
            r.require::<Person>(keep).unwrap(),
            r.require::<Person>(other).unwrap(),
        )
    };
    let differing: Vec<&str> = differing_fields(&k, &o).iter().map(|f| f.0).collect();
    assert!(differing.contains(&"household") && differing.contains(&"consent"));
    let audit_before = w.store.read().unwrap().audit_len().unwrap();

    let report = merge_people(
        &w.store,
        w.op,
        keep,
        other,
        &["household", "consent", "phone"],
    )
    .unwrap();
    assert_eq!(report.moved[&EntityKind::Contact], 1);
    let r = w.store.read().unwrap();
    assert!(r.get::<Person>(other).unwrap().is_none());
    let kept: Person = r.require(keep).unwrap();
    assert_eq!(kept.household.map(|m| m.household), Some(hh));
    assert_eq!(
        kept.consent.as_ref().map(|c| c.scope.as_str()),
        Some("servizi")
    );
    assert_eq!(kept.phone, "333 1234567");
    assert_eq!(
        r.require::<Contact>(contact).unwrap().subject,
        Subject::Person(keep)
    );
    assert_eq!(
        r.require::<Case>(case).unwrap().subject,
        Subject::Person(keep)
    );
    assert_eq!(r.require::<Project>(project).unwrap().person, keep);
    assert_eq!(
        r.require::<Referral>(referral).unwrap().subject,
        Subject::Person(keep)
    );
    let a: Activity = r.require(activity).unwrap();
    assert_eq!(a.participants, vec![keep]);
    assert_eq!(a.sessions[0].attendees, vec![keep]);
    assert_eq!(
        r.members(hh)
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>(),
        vec![keep]
    );
    // The audit shows the merge and every record moved.
    let audit = r.audit(usize::MAX).unwrap();
    assert!(audit.len() as u64 > audit_before);
    for id in [contact, case, project, referral, activity] {
        assert!(
            audit
                .iter()
                .any(|(_, e)| e.action == Action::MergePerson && e.entity == id),
            "{id:?} not in the audit"
        );
    }
    assert!(
        audit
            .iter()
            .any(|(_, e)| e.action == Action::MergePerson && e.entity == keep)
    );
    drop(r);
    // Counted once.
    assert_eq!(wemi_2023(&w), 1);
    w.check_counts();
    assert_eq!(current_id(&w.store, other).unwrap(), keep);
    assert_eq!(undoable(&w.store).unwrap().len(), 1);

    undo_person_merge(&w.store, w.op, other).unwrap();
    let r = w.store.read().unwrap();
    assert_eq!(r.require::<Person>(keep).unwrap(), k);
    assert_eq!(r.require::<Person>(other).unwrap(), o);
    assert_eq!(
        r.require::<Contact>(contact).unwrap().subject,
        Subject::Person(other)
    );
    assert_eq!(
        r.require::<Case>(case).unwrap().subject,
        Subject::Person(other)
    );
    assert_eq!(r.require::<Project>(project).unwrap().person, other);
    assert_eq!(
        r.require::<Referral>(referral).unwrap().subject,
        Subject::Person(other)
    );
    let a: Activity = r.require(activity).unwrap();
    assert_eq!(a.participants, vec![keep, other]);
    assert_eq!(a.sessions[0].attendees, vec![other]);
    drop(r);
    assert_eq!(w.check_counts(), before);
    assert_eq!(current_id(&w.store, other).unwrap(), other);
    assert!(undo_person_merge(&w.store, w.op, other).is_err());
}

#[test]
fn undo_is_refused_once_a_record_changed_after_the_merge() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("db.redb"));
    let keep = w.person("Bianchi", "Ada", None);
    let other = w.person("Bianchi", "Ada", None);
    let c = w.contact(other, "wemi", dt(2023, 3, 1));
    merge_people(&w.store, w.op, keep, other, &[]).unwrap();
    let mut contact: Contact = w.store.read().unwrap().require(c).unwrap();
    contact.minutes = 90;
    w.store.update(w.op, contact).unwrap();
    let e = undo_person_merge(&w.store, w.op, other).unwrap_err();
    assert!(e.to_string().contains("modificati"), "{e}");
    assert!(merge_people(&w.store, w.op, keep, keep, &[]).is_err());
}

#[test]
fn a_person_merge_travels_to_the_other_desk() {
    let dir = tempfile::tempdir().unwrap();
    let a = world(&dir.path().join("a.redb"));
    let keep = a.person("Verdi", "Luca", None);
    let other = a.person("Verdi", "Luca", None);
    a.contact(other, "wemi", dt(2023, 3, 1));
    let file = dir.path().join("a1.accbak");
    a.store
        .backup_to(&file, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
    let b = Store::open(dir.path().join("b.redb")).unwrap();
    merge_backup(
        &b,
        Id::NIL,
        &Incoming::read(&file, None, &mut |_, _, _| {}).unwrap(),
        &MergeOptions::default(),
    )
    .unwrap();
    // B registers a new contact of the person A is about to merge away.
    let r = b.read().unwrap();
    let line = r.all::<ServiceLine>().unwrap()[0].id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    let op = r.all::<Operator>().unwrap()[0].id;
    drop(r);
    let late = b
        .insert(
            Id::NIL,
            Contact {
                id: Id::NIL,
                at: dt(2023, 6, 1),
                subject: Subject::Person(other),
                line,
                desk,
                operator: op,
                kind: ContactKind::Ascolto,
                measure: None,
                minutes: 10,
                note: String::new(),
                confidential: false,
                archived: false,
            },
        )
        .unwrap();
    merge_people(&a.store, a.op, keep, other, &[]).unwrap();
    let file = dir.path().join("a2.accbak");
    a.store
        .backup_to(&file, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
    let report = merge_backup(
        &b,
        Id::NIL,
        &Incoming::read(&file, None, &mut |_, _, _| {}).unwrap(),
        &MergeOptions::default(),
    )
    .unwrap();
    assert_eq!(report.people_merged, 1);
    let r = b.read().unwrap();
    assert!(r.get::<Person>(other).unwrap().is_none());
    assert_eq!(
        r.require::<Contact>(late).unwrap().subject,
        Subject::Person(keep)
    );
    drop(r);
    // And B's late contact reaches A on the survivor.
    let file = dir.path().join("b.accbak");
    b.backup_to(&file, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
    merge_backup(
        &a.store,
        Id::NIL,
        &Incoming::read(&file, None, &mut |_, _, _| {}).unwrap(),
        &MergeOptions::default(),
    )
    .unwrap();
    let c: Contact = a.store.read().unwrap().require(late).unwrap();
    assert_eq!(c.subject, Subject::Person(keep));
    a.check_counts();
}

#[test]
fn the_duplicate_list_ranks_same_cf_first() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("db.redb"));
    let a = w.person("Rossi", "Maria", None);
    let b = w.person("Rosi", "Maria", None);
    let c = w.person("Esposito", "Gennaro", None);
    let cands = w.store.duplicate_candidates().unwrap();
    assert!(cands.iter().any(|x| (x.a, x.b) == (a.min(b), a.max(b))));
    assert!(!cands.iter().any(|x| x.a == c || x.b == c));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Random people with random contacts on two lines and random households; random
    /// merges of pairs: the incremental counts always equal a full recount, and the
    /// people counted equal the distinct people left.
    #[test]
    fn counts_after_person_merges_match_a_full_recount(
        people in 2..7usize,
        contacts in proptest::collection::vec((0..7usize, any::<bool>(), 1..12u32), 1..15),
        homes in proptest::collection::vec(proptest::option::of(0..2usize), 7),
        merges in proptest::collection::vec((0..7usize, 0..7usize, any::<bool>()), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let w = world(&dir.path().join("db.redb"));
        let households: Vec<Id> = (0..2)
            .map(|i| w.store.insert(w.op, Household { name: format!("N{i}"), ..Default::default() }).unwrap())
            .collect();
        let ids: Vec<Id> = (0..people)
            .map(|i| w.person(["Rossi", "Bianchi", "Verdi", "Neri", "Gallo", "Conti", "Riva"][i], "Ugo", homes[i].map(|h| households[h])))
            .collect();
        for (p, fam, m) in &contacts {
            let line = if *fam { "famiglie" } else { "wemi" };
            w.contact(ids[p % people], line, dt(2023, *m, 1));
        }
        let mut alive = ids.clone();
        for (x, y, take_home) in merges {
            let (k, o) = (alive[x % alive.len()], alive[y % alive.len()]);
            if k == o {
                continue;
            }
            let take: &[&str] = if take_home { &["household"] } else { &[] };
            merge_people(&w.store, w.op, k, o, take).unwrap();
            alive.retain(|p| *p != o);
            w.check_counts();
        }
        let r = w.store.read().unwrap();
        prop_assert_eq!(r.count::<Person>().unwrap() as usize, alive.len());
        for id in &ids {
            let cur = current_id(&w.store, *id).unwrap();
            prop_assert!(alive.contains(&cur));
            let _ = r.require::<Person>(cur).unwrap().id();
        }
    }
}
