//! Erasure that really erases (GDPR art. 17), through the store's API: the byte scan of the
//! database and of a later backup, every year's counts unchanged (a small world and the
//! cooperative demo), an older backup restored with the person still erased (plain and
//! encrypted), the registro carried by backups and by a desk merge, the permission, the
//! reason that must not name the person. Retention, the property over random worlds and
//! the commands are in `privacy_cli.rs`.

#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::catalogue::line_codes;
use accoglienza::domain::time::Clock;
use accoglienza::domain::*;
use accoglienza::stats;
use accoglienza::store::backup::{self, BackupOptions};
use accoglienza::store::merge::{Choice, Incoming, MergeOptions, merge_backup};
use accoglienza::store::{OpenOptions, Store, StoreError};
use std::sync::Arc;
use world::*;

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
fn an_erasure_not_yet_compacted_is_compacted_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.redb");
    let w = world(&path);
    let coord = w.session("coordinatrice", "coordinatore");
    let p = marked_person(&w, &coord);
    let before = counts(&w.store);
    w.store
        .erase_person_uncompacted_as(&coord, p, "Richiesta")
        .unwrap();
    assert!(w.store.compaction_pending().unwrap());
    assert_eq!(counts(&w.store), before);
    drop(w);
    let store = open(&path);
    assert!(!store.compaction_pending().unwrap());
    drop(store);
    assert_clean(&std::fs::read(&path).unwrap());
}

#[test]
fn the_next_automatic_backup_removes_those_made_up_to_the_day_of_the_erasure() {
    use accoglienza::store::backup::{AutoBackupSettings, AutoWhen, auto_prefix, run_auto_backup};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.redb");
    let mut w = world(&path);
    let p = w.person("Gialli", None);
    w.contact(Subject::Person(p), line_codes::WEMI, dt(2024, 1, 1), "");
    let folder = dir.path().join("automatici");
    std::fs::create_dir(&folder).unwrap();
    let settings = AutoBackupSettings {
        enabled: true,
        folder: Some(folder.clone()),
        keep: 7,
        when: AutoWhen::AtStart,
    };
    w.store.set_auto_backup_settings(&settings).unwrap();
    let prefix = auto_prefix(&w.store, "sede").unwrap();
    let made_before: Vec<_> = ["2025-06-14", "2025-06-15", "2025-06-16"]
        .iter()
        .map(|d| folder.join(format!("{prefix}{d}.accbak")))
        .collect();
    for f in &made_before {
        backup(&w.store, f);
    }
    let foreign = folder.join("accoglienza-auto-sede-altro-2025-06-10.accbak");
    std::fs::write(&foreign, b"x").unwrap();
    w.store.erase_person(w.op, p, "Richiesta").unwrap();
    drop(w);
    // The next day the program opens and makes its automatic backup.
    let store = Store::open_with(
        &path,
        OpenOptions {
            clock: Clock::Fixed(dt(2025, 6, 17)),
            must_exist: true,
        },
    )
    .unwrap();
    let info = run_auto_backup(&store, &settings, None, &mut |_, _, _| {}).unwrap();
    assert!(info.path.exists());
    for f in &made_before {
        assert!(!f.exists(), "{} removed", f.display());
    }
    assert!(
        foreign.exists(),
        "another database's backups are not touched"
    );
}

#[test]
fn an_import_that_brought_the_person_can_still_be_undone() {
    use accoglienza::store::import_log::Batch;
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    // An import batch made of a person, a contact and a referral (filed as an import does).
    let p = w.person("Gialli", None);
    let c = w.contact(Subject::Person(p), line_codes::WEMI, dt(2024, 1, 1), "");
    let r = w.referral(p, d(2024, 1, 2));
    let batch = Id::new();
    let wr = w.store.write(w.op).unwrap();
    wr.put_import_batch(&Batch {
        id: batch,
        at: dt(2024, 1, 3),
        operator: w.op,
        file: "registro.csv".into(),
        sheet: String::new(),
        mapping: "accessi".into(),
        created: vec![(EntityKind::Person, 1), (EntityKind::Contact, 1)],
        rows: 1,
        refused: 0,
        undone: None,
    })
    .unwrap();
    wr.add_import_member(batch, EntityKind::Person, p).unwrap();
    wr.add_import_member(batch, EntityKind::Contact, c).unwrap();
    wr.add_import_member(batch, EntityKind::Referral, r)
        .unwrap();
    wr.commit().unwrap();
    w.store.erase_person(w.op, p, "Richiesta").unwrap();
    let members = w.store.read().unwrap().import_members(batch).unwrap();
    assert_eq!(
        members,
        vec![(EntityKind::Contact, c)],
        "only what is still there"
    );
    accoglienza::import::undo(&w.store, w.op, batch).unwrap();
    let kept: Contact = w.store.read().unwrap().require(c).unwrap();
    assert!(kept.archived);
}

#[test]
fn a_published_year_shows_no_change_after_an_erasure() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = world(&dir.path().join("a.redb"));
    let p = w.person("Gialli", None);
    let other = w.person("Verdi", None);
    for who in [p, other] {
        w.contact(Subject::Person(who), line_codes::WEMI, dt(2023, 3, 1), "");
    }
    w.case(
        Subject::Person(p),
        line_codes::BLU,
        d(2023, 1, 10),
        Some(d(2023, 6, 1)),
    );
    let published = stats::published::freeze(&w.store.read().unwrap(), 2023, "bilancio").unwrap();
    w.store.publish(w.op, published, false).unwrap();
    w.store.erase_person(w.op, p, "Richiesta").unwrap();
    let diff = stats::published::diff(&w.store.read().unwrap(), 2023)
        .unwrap()
        .unwrap();
    assert!(!diff.changed(), "{:?}", diff.lines);
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
