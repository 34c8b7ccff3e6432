//! Erasure that really erases (GDPR art. 17) and retention, through the store's API and the
//! built binary: the byte scan of the database and of a later backup, the counts of every
//! year unchanged (and equal to a full recount, property over random small worlds), an
//! older backup restored with the person still erased, the permission, the reason that
//! must not name the person, the retention schedule, and the `erase` / `retention`
//! commands.

use accoglienza::access::{self, NewAccount, PasswordParams, Session};
use accoglienza::domain::access::AccessKind;
use accoglienza::domain::catalogue::line_codes;
use accoglienza::domain::codice_fiscale;
use accoglienza::domain::privacy::RetentionSettings;
use accoglienza::domain::time::Clock;
use accoglienza::domain::*;
use accoglienza::stats;
use accoglienza::store::backup::{self, BackupOptions};
use accoglienza::store::merge::{Choice, Incoming, MergeOptions, merge_backup};
use accoglienza::store::{OpenOptions, Store, StoreError};
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

const PW: &str = "una frase abbastanza lunga";
const FAST: PasswordParams = PasswordParams::FAST_FOR_TESTS;
const MARK: &str = "zqxmarker";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn dt(y: i32, m: u32, day: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(10, 0, 0).unwrap()
}

/// "Today" of the tests' stores.
fn today() -> NaiveDateTime {
    dt(2025, 6, 16)
}

fn open(path: &Path) -> Store {
    Store::open_with(
        path,
        OpenOptions {
            clock: Clock::Fixed(today()),
            must_exist: false,
        },
    )
    .unwrap()
}

struct World {
    store: Store,
    op: Id,
    desk: Id,
    service: Id,
    lines: BTreeMap<String, Id>,
}

fn world(path: &Path) -> World {
    world_in(open(path))
}

fn world_in(store: Store) -> World {
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
        service,
        lines,
    }
}

impl World {
    fn person(&self, surname: &str, household: Option<Id>) -> Id {
        self.store
            .insert(
                self.op,
                Person {
                    surname: surname.into(),
                    name: "Anna".into(),
                    household: household.map(|h| Membership {
                        household: h,
                        relationship: Relationship::Figlio,
                    }),
                    ..Default::default()
                },
            )
            .unwrap()
    }

    fn household(&self, name: &str) -> Id {
        self.store
            .insert(
                self.op,
                Household {
                    name: name.into(),
                    ..Default::default()
                },
            )
            .unwrap()
    }

    fn contact(&self, s: Subject, line: &str, at: NaiveDateTime, note: &str) -> Id {
        self.store
            .insert(
                self.op,
                Contact {
                    id: Id::NIL,
                    at,
                    subject: s,
                    line: self.lines[line],
                    desk: self.desk,
                    operator: self.op,
                    kind: ContactKind::Ascolto,
                    measure: None,
                    minutes: 20,
                    note: note.into(),
                    confidential: !note.is_empty(),
                    archived: false,
                },
            )
            .unwrap()
    }

    /// A case whose texts start with `text` (the marker for the erased person).
    fn case(&self, s: Subject, line: &str, opened: NaiveDate, closed: Option<NaiveDate>) -> Id {
        self.case_with(s, line, opened, closed, "Testo")
    }

    fn case_with(
        &self,
        s: Subject,
        line: &str,
        opened: NaiveDate,
        closed: Option<NaiveDate>,
        text: &str,
    ) -> Id {
        self.store
            .insert(
                self.op,
                Case {
                    id: Id::NIL,
                    subject: s,
                    line: self.lines[line],
                    opened,
                    closed,
                    status: if closed.is_some() {
                        CaseStatus::Chiusa
                    } else {
                        CaseStatus::InCorso
                    },
                    referente: Some(self.op),
                    team: vec![],
                    need: format!("{text} bisogno"),
                    plan: vec![Goal {
                        text: format!("{text} obiettivo"),
                        review: None,
                        done: false,
                    }],
                    outcome: if closed.is_some() {
                        format!("{text} esito")
                    } else {
                        String::new()
                    },
                    archived: false,
                },
            )
            .unwrap()
    }

    fn project(&self, p: Id, start: NaiveDate, end: Option<NaiveDate>) -> Id {
        self.store
            .insert(
                self.op,
                Project {
                    id: Id::NIL,
                    person: p,
                    line: self.lines[line_codes::TIROCINI],
                    start,
                    end,
                    operator: Some(self.op),
                    kind: ProjectKind::Tirocinio {
                        host: format!("{MARK} azienda ospitante"),
                        hours_per_week: 20,
                        allowance_cents: 50_000,
                        attendance: vec![Attendance {
                            date: start,
                            present: true,
                            minutes: 240,
                            note: format!("{MARK} presenza"),
                        }],
                    },
                    note: format!("{MARK} nota progetto"),
                    archived: false,
                },
            )
            .unwrap()
    }

    fn referral(&self, p: Id, date: NaiveDate) -> Id {
        self.store
            .insert(
                self.op,
                Referral {
                    id: Id::NIL,
                    subject: Subject::Person(p),
                    date,
                    service: self.service,
                    line: None,
                    operator: Some(self.op),
                    reason: format!("{MARK} motivo invio"),
                    follow_up: None,
                    outcome: ReferralOutcome::default(),
                    outcome_note: format!("{MARK} esito invio"),
                    archived: false,
                },
            )
            .unwrap()
    }

    fn activity(&self, people: &[Id], day: NaiveDate) -> Id {
        self.store
            .insert(
                self.op,
                Activity {
                    id: Id::NIL,
                    name: "Passeggiata al Castello".into(),
                    line: self.lines[line_codes::PASSEGGIATE],
                    edition: "2023".into(),
                    desk: Some(self.desk),
                    participants: people.to_vec(),
                    sessions: vec![accoglienza::domain::Session {
                        date: day,
                        title: "Castello".into(),
                        attendees: people.to_vec(),
                    }],
                    archived: false,
                },
            )
            .unwrap()
    }

    fn session(&self, name: &str, role: &str) -> Session {
        let role = self.store.access_role(role).unwrap().unwrap().id;
        self.store
            .create_account_unchecked(
                &NewAccount {
                    username: name.into(),
                    operator: Some(self.op),
                    roles: vec![role],
                    must_change: false,
                },
                PW,
                FAST,
            )
            .unwrap();
        access::sign_in(&self.store, name, PW).unwrap()
    }
}

/// Every (line, year, unit) count, checked equal to a full recount from the records.
fn counts(store: &Store) -> BTreeMap<(Id, i32, CountingUnit), u64> {
    let r = store.read().unwrap();
    let live = stats::annual_counts(&r).unwrap();
    let full = stats::recount(&r).unwrap();
    let mut out = BTreeMap::new();
    for l in &live.lines {
        for y in live.years.iter().chain(full.years.iter()) {
            for u in CountingUnit::ALL {
                let n = live.count_in(l.id, *y, u);
                assert_eq!(n, full.count_in(l.id, *y, u), "{} {y} {u:?}", l.code);
                if n > 0 {
                    out.insert((l.id, *y, u), n);
                }
            }
        }
    }
    out
}

/// The positions of the marker in `bytes`, compared without case (names are also indexed
/// folded to lower case).
fn markers_in(bytes: &[u8]) -> usize {
    let low = bytes.to_ascii_lowercase();
    low.windows(MARK.len())
        .filter(|w| *w == MARK.as_bytes())
        .count()
        + low.windows(6).filter(|w| *w == b"zqxmrk").count()
        + low.windows(10).filter(|w| *w == b"3470009917").count()
}

/// Asserts no marker is left, showing where they are otherwise.
fn assert_clean(bytes: &[u8]) {
    let n = markers_in(bytes);
    if n > 0 {
        show(bytes);
    }
    assert_eq!(n, 0, "markers left");
}

fn show(bytes: &[u8]) {
    let low = bytes.to_ascii_lowercase();
    for (i, _) in low
        .windows(6)
        .enumerate()
        .filter(|(_, w)| *w == b"zqxmrk" || *w == &MARK.as_bytes()[..6] || *w == b"347000")
    {
        eprintln!(
            "{i} / {}: {:?}",
            bytes.len(),
            String::from_utf8_lossy(&bytes[i.saturating_sub(40)..(i + 60).min(bytes.len())])
        );
    }
}

/// The decompressed body of a plain backup (its records as stored).
fn backup_body(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let len = u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize;
    let mut out = bytes[14..14 + len].to_vec();
    out.extend(zstd::decode_all(&bytes[14 + len..bytes.len() - 32]).unwrap());
    out
}

/// A person with the marker in every text field, in a household of their own, with
/// contacts (confidential notes), a closed and an open case, a project, a referral, an
/// activity, an extraordinary access and a logged read with typed reasons. Returns the
/// person.
fn marked_person(w: &World, s: &Session) -> Id {
    let h = w
        .store
        .insert(
            w.op,
            Household {
                name: "Famiglia Zqxmarker".into(),
                address: format!("Via {MARK} 2"),
                municipio: Some(3),
                note: format!("{MARK} nota nucleo"),
                archived: false,
                ..Default::default()
            },
        )
        .unwrap();
    let first15 = "ZQXMRK85A41F205";
    let cf = format!(
        "{first15}{}",
        codice_fiscale::check_char(first15.as_bytes())
    );
    let p = w
        .store
        .insert(
            w.op,
            Person {
                surname: "Zqxmarkercognome".into(),
                name: "Zqxmarkernome".into(),
                sex: Sex::F,
                birth: BirthDate::Exact(d(1985, 1, 1)),
                birthplace: format!("{MARK} luogo"),
                codice_fiscale: Some(cf),
                citizenship: format!("{MARK} paese"),
                address: format!("Via {MARK} 1"),
                municipio: Some(3),
                phone: "3470009917".into(),
                email: "zqxmarker.posta@example.org".into(),
                household: Some(Membership {
                    household: h,
                    relationship: Relationship::Riferimento,
                }),
                consent: Some(Consent {
                    date: d(2022, 1, 10),
                    scope: format!("{MARK} consenso"),
                }),
                note: format!("{MARK} nota persona"),
                ..Default::default()
            },
        )
        .unwrap();
    let me = Subject::Person(p);
    w.contact(
        me,
        line_codes::WEMI,
        dt(2022, 3, 1),
        &format!("{MARK} accesso uno"),
    );
    w.contact(
        me,
        line_codes::FAMIGLIE,
        dt(2023, 4, 2),
        &format!("{MARK} accesso due"),
    );
    w.case_with(
        me,
        line_codes::BLU,
        d(2022, 5, 1),
        Some(d(2023, 2, 1)),
        MARK,
    );
    w.case_with(me, line_codes::CASE_MANAGER, d(2024, 1, 15), None, MARK);
    w.project(p, d(2023, 3, 1), Some(d(2023, 9, 30)));
    w.referral(p, d(2023, 5, 5));
    w.store
        .extraordinary_access(s, me, &format!("{MARK} motivo straordinario"))
        .unwrap();
    w.store
        .log_access(
            s,
            AccessKind::Cartella,
            Some((EntityKind::Person, p)),
            &format!("{MARK} scopo lettura"),
        )
        .unwrap();
    p
}

/// Others the erasure must leave alone: a household of two, a person alone, an activity
/// the marked person shares with them.
fn others(w: &World, marked: Id) -> (Id, Id) {
    let h = w.household("Famiglia Verdi");
    let a = w.person("Verdi", Some(h));
    let b = w.person("Neri", None);
    w.contact(Subject::Person(a), line_codes::FAMIGLIE, dt(2023, 4, 3), "");
    w.contact(Subject::Household(h), line_codes::WEMI, dt(2022, 3, 2), "");
    w.contact(Subject::Person(b), line_codes::WEMI, dt(2024, 7, 1), "");
    w.case(
        Subject::Person(b),
        line_codes::BLU,
        d(2022, 6, 1),
        Some(d(2022, 12, 1)),
    );
    w.activity(&[marked, a, b], d(2023, 10, 10));
    (a, b)
}

#[test]
fn erasure_leaves_no_marker_in_the_file_nor_in_a_later_backup_and_outlives_a_restore() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.redb");
    let mut w = world(&path);
    let coord = w.session("coordinatrice", "coordinatore");
    let p = marked_person(&w, &coord);
    let (a, b) = others(&w, p);
    let before = counts(&w.store);
    assert!(markers_in(&std::fs::read(&path).unwrap()) > 0);
    let old_backup = dir.path().join("prima.accbak");
    w.store
        .backup_to(&old_backup, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
    assert!(markers_in(&backup_body(&old_backup)) > 0);

    let report = w
        .store
        .erase_person_as(&coord, p, "Richiesta dell'interessata del 12/06")
        .unwrap();
    assert!(report.erased.placeholder.is_some());
    assert!(report.erased.removed >= 2, "{report:?}");
    assert_eq!(report.audit_blanked, 2);
    assert_eq!(counts(&w.store), before, "every year's counts stay equal");
    let r = w.store.read().unwrap();
    assert!(r.get::<Person>(p).unwrap().is_none());
    assert!(r.get::<Person>(a).unwrap().is_some() && r.get::<Person>(b).unwrap().is_some());
    assert_eq!(r.all::<Referral>().unwrap().len(), 0);
    let q: Person = r.require(report.erased.placeholder.unwrap()).unwrap();
    assert_eq!(q.full_name(), "Persona cancellata");
    drop(r);
    let check = w.store.check().unwrap();
    assert!(check.ok(), "{:?}", check.problems);
    let entries = w.store.erasures().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].reason, "Richiesta dell'interessata del 12/06");
    assert_eq!(entries[0].account, coord.account());

    // The database file (compacted) and a backup made now hold no marker.
    let after_backup = dir.path().join("dopo.accbak");
    w.store
        .backup_to(&after_backup, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
    assert_clean(&backup_body(&after_backup));
    let World { store, .. } = w;
    drop(store);
    assert_clean(&std::fs::read(&path).unwrap());

    // Restoring the backup made before the erasure: the person stays erased.
    let mut slot = Arc::new(open(&path));
    let restored =
        backup::restore_to_new_file(&slot, &old_backup, None, Id::NIL, &mut |_, _, _| {}).unwrap();
    assert_clean(&std::fs::read(&restored.path).unwrap());
    let swapped = backup::swap_in(&mut slot, restored).unwrap();
    let r = slot.read().unwrap();
    assert!(r.get::<Person>(p).unwrap().is_none());
    assert_eq!(r.all::<Referral>().unwrap().len(), 0);
    // The same placeholder as before the restore.
    assert!(r.get::<Person>(q.id).unwrap().is_some());
    drop(r);
    assert_eq!(counts(&slot), before);
    assert_eq!(slot.erasures().unwrap(), entries);
    let mut store = Arc::try_unwrap(slot).unwrap();
    assert!(store.check().unwrap().ok());
    drop(store);
    assert_clean(&std::fs::read(&swapped.live).unwrap());
    // Reopened later: still erased.
    let again = open(&path);
    assert!(again.read().unwrap().get::<Person>(p).unwrap().is_none());
}

fn backup(store: &Store, path: &Path) {
    store
        .backup_to(path, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
}

/// Replaces the database in `slot` with a backup's content.
fn restore(slot: &mut Arc<Store>, from: &Path) {
    let restored =
        backup::restore_to_new_file(slot, from, None, Id::NIL, &mut |_, _, _| {}).unwrap();
    backup::swap_in(slot, restored).unwrap();
}

#[test]
fn a_backup_made_after_an_erasure_carries_the_registro_to_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let coord = w.session("coordinatrice", "coordinatore");
    let p = marked_person(&w, &coord);
    others(&w, p);
    let (prima, dopo) = (
        dir.path().join("prima.accbak"),
        dir.path().join("dopo.accbak"),
    );
    backup(&w.store, &prima);
    w.store.erase_person_as(&coord, p, "Richiesta").unwrap();
    backup(&w.store, &dopo);
    let after = counts(&w.store);
    // The live database is lost: a new one takes the later backup, then the older one.
    let mut slot = Arc::new(open(&dir.path().join("nuovo.redb")));
    restore(&mut slot, &dopo);
    assert_eq!(slot.erasures().unwrap(), w.store.erasures().unwrap());
    restore(&mut slot, &prima);
    assert!(slot.read().unwrap().get::<Person>(p).unwrap().is_none());
    assert_eq!(counts(&slot), after);
}

#[test]
fn another_desks_data_does_not_bring_an_erased_person_back_and_its_erasures_apply_here() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let coord = w.session("coordinatrice", "coordinatore");
    let p = marked_person(&w, &coord);
    others(&w, p);
    let prima = dir.path().join("prima.accbak");
    backup(&w.store, &prima);
    // Desk B starts from A's data, with the person.
    let mut b = Arc::new(open(&dir.path().join("b.redb")));
    restore(&mut b, &prima);
    assert!(b.read().unwrap().get::<Person>(p).unwrap().is_some());
    let before = counts(&w.store);
    w.store.erase_person_as(&coord, p, "Richiesta").unwrap();
    let from_b = dir.path().join("b.accbak");
    backup(&b, &from_b);
    let opts = MergeOptions {
        default_choice: Some(Choice::Local),
        ..MergeOptions::default()
    };
    let incoming = Incoming::read(&from_b, None, &mut |_, _, _| {}).unwrap();
    merge_backup(&w.store, w.op, &incoming, &opts).unwrap();
    assert!(w.store.read().unwrap().get::<Person>(p).unwrap().is_none());
    assert_eq!(counts(&w.store), before);
    // B takes A's data (and its registro): the person goes there too.
    let dopo = dir.path().join("dopo.accbak");
    backup(&w.store, &dopo);
    let incoming = Incoming::read(&dopo, None, &mut |_, _, _| {}).unwrap();
    merge_backup(&b, Id::NIL, &incoming, &opts).unwrap();
    assert!(b.read().unwrap().get::<Person>(p).unwrap().is_none());
    assert_eq!(b.erasures().unwrap(), w.store.erasures().unwrap());
    assert_eq!(counts(&b), before);
}

#[test]
fn an_encrypted_database_erases_the_same_way_and_restores_stay_erased() {
    use accoglienza::store::crypt::{SecretString, Unlock};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cifrato.redb");
    let password = || SecretString::from("una password del tutto cifrata".to_string());
    let opts = OpenOptions {
        clock: Clock::Fixed(today()),
        must_exist: false,
    };
    let (store, _key) = Store::create_encrypted(&path, opts, "admin", &password()).unwrap();
    let mut w = world_in(store);
    let coord = w.session("coordinatrice", "coordinatore");
    let p = marked_person(&w, &coord);
    others(&w, p);
    let prima = dir.path().join("prima.accbak");
    backup(&w.store, &prima);
    let before = counts(&w.store);
    w.store.erase_person_as(&coord, p, "Richiesta").unwrap();
    assert_eq!(counts(&w.store), before);
    drop(w);
    let how = Unlock::Password {
        slot: "admin".into(),
        password: password(),
    };
    let opts = OpenOptions {
        must_exist: true,
        ..opts
    };
    let mut slot = Arc::new(Store::open_encrypted(&path, opts, &how).unwrap());
    assert!(slot.read().unwrap().get::<Person>(p).unwrap().is_none());
    restore(&mut slot, &prima);
    assert!(slot.is_encrypted());
    assert!(slot.read().unwrap().get::<Person>(p).unwrap().is_none());
    assert_eq!(counts(&slot), before);
    let mut store = Arc::try_unwrap(slot).unwrap();
    assert!(store.check().unwrap().ok());
}

#[test]
fn the_records_behind_a_number_show_the_anonymous_person() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let p = w.person("Gialli", None);
    w.contact(Subject::Person(p), line_codes::WEMI, dt(2024, 1, 1), "");
    w.store.erase_person(w.op, p, "Richiesta").unwrap();
    let r = w.store.read().unwrap();
    let behind = stats::records_behind(&r, w.lines[line_codes::WEMI], 2024).unwrap();
    let text = format!("{behind:?}");
    assert!(!text.contains("Gialli"), "{text}");
    let q = r.all::<Person>().unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].full_name(), "Persona cancellata");
    assert!(text.contains(&format!("{:?}", q[0].id)), "{text}");
}

#[test]
fn erasure_needs_the_registry_and_the_privacy_officers_permission() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let p = w.person("Gialli", None);
    w.contact(Subject::Person(p), line_codes::WEMI, dt(2024, 1, 1), "");
    for role in ["operatore", "sportello", "amministratore", "riunione"] {
        let s = w.session(&format!("utente-{role}"), role);
        let e = w
            .store
            .erase_person_as(&s, p, "Richiesta della persona")
            .unwrap_err();
        assert!(
            matches!(&e, StoreError::Denied(_)) && e.to_string().contains("permesso"),
            "{role}: {e}"
        );
    }
    assert!(w.store.read().unwrap().get::<Person>(p).unwrap().is_some());
    assert!(w.store.erasures().unwrap().is_empty());
    let c = w.session("coord", "coordinatore");
    w.store
        .erase_person_as(&c, p, "Richiesta della persona")
        .unwrap();
    assert!(w.store.read().unwrap().get::<Person>(p).unwrap().is_none());
}

#[test]
fn the_reason_is_required_and_must_not_name_the_person() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let p = w.person("Gialli", None);
    for reason in ["", "ok", "Richiesta della signora Gialli"] {
        let e = w.store.erase_person(w.op, p, reason).unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{reason}: {e}");
    }
    assert!(w.store.read().unwrap().get::<Person>(p).unwrap().is_some());
    let e = w
        .store
        .erase_person(w.op, Id::new(), "Richiesta")
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound(..)), "{e}");
}

#[test]
fn an_archived_person_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let p = w.person("Gialli", None);
    w.contact(Subject::Person(p), line_codes::WEMI, dt(2024, 1, 1), "");
    w.store.set_archived::<Person>(w.op, p, true).unwrap();
    let before = counts(&w.store);
    let rep = w.store.erase_person(w.op, p, "Richiesta").unwrap();
    assert_eq!(rep.erased.placeholder, None);
    assert_eq!(rep.erased.removed, 2);
    let r = w.store.read().unwrap();
    assert_eq!(r.count::<Person>().unwrap(), 0);
    assert_eq!(r.count::<Contact>().unwrap(), 0);
    drop(r);
    assert_eq!(counts(&w.store), before);
}

#[test]
fn retention_lists_people_whose_every_record_expired_and_erases_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let mut s = RetentionSettings::default();
    s.set("invii", 7).unwrap();
    w.store.set_retention_settings(&s).unwrap();
    assert_eq!(w.store.retention_settings().unwrap(), s);
    // Today is 16/06/2025: a contact of 2019 is past its 5 years, one of 2024 is not.
    let old = w.person("Vecchi", None);
    w.contact(Subject::Person(old), line_codes::WEMI, dt(2019, 2, 1), "");
    let recent = w.person("Recenti", None);
    w.contact(
        Subject::Person(recent),
        line_codes::WEMI,
        dt(2019, 2, 1),
        "",
    );
    w.contact(
        Subject::Person(recent),
        line_codes::WEMI,
        dt(2024, 2, 1),
        "",
    );
    let open_case = w.person("Aperti", None);
    w.case(
        Subject::Person(open_case),
        line_codes::BLU,
        d(2012, 1, 1),
        None,
    );
    let closed_case = w.person("Chiusi", None);
    w.case(
        Subject::Person(closed_case),
        line_codes::BLU,
        d(2012, 1, 1),
        Some(d(2014, 1, 1)),
    );
    // A referral of 2019 is kept 7 years here: until 2026.
    let referred = w.person("Inviati", None);
    w.referral(referred, d(2019, 3, 1));
    let due: Vec<Id> = w
        .store
        .retention_due()
        .unwrap()
        .into_iter()
        .map(|d| d.person)
        .collect();
    assert_eq!(due.len(), 2, "{due:?}");
    assert!(due.contains(&old) && due.contains(&closed_case));
    let before = counts(&w.store);
    let done = w.store.apply_retention(None, w.op).unwrap();
    assert_eq!(done.len(), 2);
    assert_eq!(counts(&w.store), before);
    assert!(w.store.retention_due().unwrap().is_empty());
    let entries = w.store.erasures().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].reason, "Periodo di conservazione scaduto");
    let r = w.store.read().unwrap();
    for kept in [recent, open_case, referred] {
        assert!(r.get::<Person>(kept).unwrap().is_some());
    }
    assert!(r.get::<Person>(old).unwrap().is_none());
    assert!(r.get::<Person>(closed_case).unwrap().is_none());
}

/// A random small world: people (some in households, some archived), contacts, cases and
/// projects open or closed over 2021–2025, activities; then one person erased.
#[derive(Debug, Clone)]
struct Plan {
    people: Vec<(Option<u8>, bool)>,
    contacts: Vec<(u8, bool, u8, u16)>,
    cases: Vec<(u8, bool, u8, u16, Option<u16>)>,
    projects: Vec<(u8, u16, Option<u16>)>,
    activity: Vec<u8>,
    erase: u8,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec((prop::option::of(0u8..3), prop::bool::weighted(0.15)), 1..6),
        prop::collection::vec((any::<u8>(), any::<bool>(), 0u8..8, 0u16..1600), 0..10),
        prop::collection::vec(
            (
                any::<u8>(),
                any::<bool>(),
                0u8..8,
                0u16..1600,
                prop::option::of(0u16..400),
            ),
            0..5,
        ),
        prop::collection::vec((any::<u8>(), 0u16..1600, prop::option::of(0u16..400)), 0..3),
        prop::collection::vec(any::<u8>(), 0..4),
        any::<u8>(),
    )
        .prop_map(
            |(people, contacts, cases, projects, activity, erase)| Plan {
                people,
                contacts,
                cases,
                projects,
                activity,
                erase,
            },
        )
}

fn run_plan(plan: &Plan) {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let codes: Vec<String> = w.lines.keys().cloned().collect();
    let households: Vec<Id> = (0..3)
        .map(|i| w.household(&format!("Nucleo {i}")))
        .collect();
    let start = d(2021, 1, 1);
    let day = |n: u16| start + chrono::Duration::days(n as i64);
    let people: Vec<Id> = plan
        .people
        .iter()
        .enumerate()
        .map(|(i, (h, _))| {
            let name = format!("Persona{}", char::from(b'a' + i as u8));
            w.person(&name, h.map(|h| households[h as usize]))
        })
        .collect();
    let subject = |n: u8, hh: bool| {
        if hh {
            Subject::Household(households[n as usize % 3])
        } else {
            Subject::Person(people[n as usize % people.len()])
        }
    };
    for (n, hh, line, at) in &plan.contacts {
        let at = day(*at).and_hms_opt(9, 0, 0).unwrap();
        w.contact(
            subject(*n, *hh),
            &codes[*line as usize % codes.len()],
            at,
            "",
        );
    }
    for (n, hh, line, opened, len) in &plan.cases {
        let closed = len
            .map(|l| day(opened + l))
            .filter(|c| *c <= today().date());
        w.case(
            subject(*n, *hh),
            &codes[*line as usize % codes.len()],
            day(*opened),
            closed,
        );
    }
    for (n, s, len) in &plan.projects {
        let end = len.map(|l| day(s + l)).filter(|c| *c <= today().date());
        w.project(people[*n as usize % people.len()], day(*s), end);
    }
    if !plan.activity.is_empty() {
        let mut who: Vec<Id> = plan
            .activity
            .iter()
            .map(|n| people[*n as usize % people.len()])
            .collect();
        who.sort();
        who.dedup();
        w.activity(&who, d(2023, 10, 10));
    }
    for (i, (_, archived)) in plan.people.iter().enumerate() {
        if *archived {
            w.store
                .set_archived::<Person>(w.op, people[i], true)
                .unwrap();
        }
    }
    let before = counts(&w.store);
    let victim = people[plan.erase as usize % people.len()];
    w.store.erase_person(w.op, victim, "Richiesta").unwrap();
    assert_eq!(counts(&w.store), before);
    assert!(w.store.check().unwrap().ok());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn erasure_keeps_every_years_counts_equal_to_a_full_recount(p in plan()) {
        run_plan(&p);
    }
}

// ---- The command line ----

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_accoglienza"))
}

fn run(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = bin()
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A plain database without accounts with one marked person (system clock: the binary's).
fn cli_db(dir: &Path) -> (std::path::PathBuf, Id) {
    let path = dir.join("cli.redb");
    let w = world(&path);
    let p = w.person("Zqxmarkerpersona", None);
    w.contact(
        Subject::Person(p),
        line_codes::WEMI,
        dt(2023, 3, 1),
        "zqxmarker nota",
    );
    w.referral(p, d(2023, 5, 5));
    (path, p)
}

#[test]
fn cli_erase_asks_for_confirmation_refuses_bad_input_and_erases() {
    let dir = tempfile::tempdir().unwrap();
    let (db, p) = cli_db(dir.path());
    let id = p.to_string();
    let stats_before = run(&db, &["stats", "--format", "json"]);
    assert!(stats_before.0, "{}", stats_before.2);

    // Without --yes and without a terminal: refused, nothing changed.
    let (ok, _, err) = run(&db, &["erase", "--person", &id, "--reason", "Richiesta"]);
    assert!(!ok);
    assert!(err.contains("--yes"), "{err}");
    // Bad input: an id that is not one, a person that does not exist, a reason too short.
    let (ok, _, err) = run(
        &db,
        &["erase", "--person", "abc", "--reason", "Richiesta", "--yes"],
    );
    assert!(!ok && err.contains("non valido"), "{err}");
    let other = Id::new().to_string();
    let (ok, _, err) = run(
        &db,
        &[
            "erase",
            "--person",
            &other,
            "--reason",
            "Richiesta",
            "--yes",
        ],
    );
    assert!(!ok && err.contains("inesistente"), "{err}");
    let (ok, _, err) = run(&db, &["erase", "--person", &id, "--reason", "no", "--yes"]);
    assert!(!ok && err.contains("motivo"), "{err}");
    assert!(!err.contains("panicked"));
    assert!(markers_in(&std::fs::read(&db).unwrap()) > 0);

    let (ok, out, err) = run(
        &db,
        &["erase", "--person", &id, "--reason", "Richiesta", "--yes"],
    );
    assert!(ok, "{err}");
    assert!(out.contains("cancellata"), "{out}");
    assert_eq!(markers_in(&std::fs::read(&db).unwrap()), 0);
    let stats_after = run(&db, &["stats", "--format", "json"]);
    assert_eq!(stats_before.1, stats_after.1);
    // Erasing again: the person is no longer there.
    let (ok, _, err) = run(
        &db,
        &["erase", "--person", &id, "--reason", "Richiesta", "--yes"],
    );
    assert!(!ok, "{err}");
}

#[test]
fn cli_retention_lists_and_applies() {
    let dir = tempfile::tempdir().unwrap();
    let (db, p) = cli_db(dir.path());
    let (ok, out, err) = run(&db, &["retention", "--list"]);
    assert!(ok, "{err}");
    assert!(out.contains("Nessuna persona"), "{out}");
    let (ok, out, err) = run(&db, &["retention", "--set", "accessi=0"]);
    assert!(!ok && err.contains("non valido"), "{out}{err}");
    let (ok, out, err) = run(
        &db,
        &["retention", "--set", "accessi=1", "--set", "invii=1"],
    );
    assert!(ok, "{err}");
    assert!(out.contains(&p.to_string()), "{out}");
    let (ok, _, err) = run(&db, &["retention", "--apply"]);
    assert!(!ok && err.contains("--yes"), "{err}");
    assert!(markers_in(&std::fs::read(&db).unwrap()) > 0);
    let (ok, out, err) = run(&db, &["retention", "--apply", "--yes"]);
    assert!(ok, "{err}");
    assert!(out.contains("Cancellata"), "{out}");
    assert_eq!(markers_in(&std::fs::read(&db).unwrap()), 0);
    let (ok, out, _) = run(&db, &["retention", "--list"]);
    assert!(ok && out.contains("Nessuna persona"), "{out}");
}

#[test]
fn on_the_cooperative_demo_erasure_keeps_every_count_and_the_compacted_file_holds_no_marker() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.redb");
    // The demo is dated from the computer's clock.
    let mut store = Store::open(&path).unwrap();
    accoglienza::demo::generate(
        &store,
        accoglienza::demo::Scale::Cooperative,
        2022,
        &mut |_, _, _| {},
    )
    .unwrap();
    store.compact().unwrap();
    // The person with the most contacts, marked in their note and in each contact's note.
    let r = store.read().unwrap();
    let mut best = (0, Id::NIL);
    for p in r
        .all::<Person>()
        .unwrap()
        .into_iter()
        .filter(|p| !p.archived)
    {
        let n = r.by_subject::<Contact>(p.id).unwrap().len();
        if n > best.0 {
            best = (n, p.id);
        }
    }
    let (n, p) = best;
    assert!(n >= 2);
    let mut person: Person = r.require(p).unwrap();
    let contacts = r.by_subject::<Contact>(p).unwrap();
    drop(r);
    person.note = format!("{MARK} nota");
    store.update(Id::NIL, person).unwrap();
    for mut c in contacts {
        c.note = format!("{MARK} accesso {}", c.id);
        store.update(Id::NIL, c).unwrap();
    }
    let before = counts(&store);
    assert!(markers_in(&std::fs::read(&path).unwrap()) > 0);
    store
        .erase_person(Id::NIL, p, "Richiesta della persona")
        .unwrap();
    assert_eq!(counts(&store), before);
    drop(store);
    assert_clean(&std::fs::read(&path).unwrap());
}
