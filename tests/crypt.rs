//! Encryption at rest through the store API: creating and unlocking (passwords, recovery
//! key, wrong ones), key slots, tampering reported as such (never a panic), backups of an
//! encrypted database (encrypted without a passphrase, restorable with any slot or the
//! recovery key), and conversion of a plain database.

use accoglienza::domain::*;
use accoglienza::store::backup::{self, BackupError, BackupOptions};
use accoglienza::store::crypt::{self, ExposeSecret, FileKind, SecretString, Unlock};
use accoglienza::store::{OpenOptions, Store, StoreError};
use std::path::Path;
use std::sync::Arc;

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_string())
}

fn with(slot: &str, password: &str) -> Unlock {
    Unlock::Password {
        slot: slot.into(),
        password: pw(password),
    }
}

/// A valid codice fiscale from its first 15 characters.
fn cf(first15: &str) -> String {
    format!(
        "{first15}{}",
        accoglienza::domain::codice_fiscale::check_char(first15.as_bytes())
    )
}

fn person(store: &Store, surname: &str, cf15: &str) -> Id {
    let cf = cf(cf15);
    store
        .insert(
            Id::NIL,
            Person {
                surname: surname.into(),
                name: "Annunziata".into(),
                codice_fiscale: Some(cf),
                ..Default::default()
            },
        )
        .unwrap()
}

fn surnames(store: &Store) -> Vec<String> {
    let mut v: Vec<String> = store
        .read()
        .unwrap()
        .all::<Person>()
        .unwrap()
        .into_iter()
        .map(|p| p.surname)
        .collect();
    v.sort();
    v
}

fn contains(hay: &[u8], needle: &str) -> bool {
    memchr::memmem::find(hay, needle.as_bytes()).is_some()
}

#[test]
fn passwords_and_the_recovery_key_open_it_wrong_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cifrato.redb");
    let (store, recovery) =
        Store::create_encrypted(&db, OpenOptions::default(), "admin", &pw("prima password"))
            .unwrap();
    assert!(store.is_encrypted());
    person(&store, "Quagliarulo", "QGLNNZ80A41F205");
    store
        .set_key_slot("operatore", &pw("seconda password"))
        .unwrap();
    assert_eq!(store.key_slot_names(), vec!["admin", "operatore"]);
    drop(store);
    assert_eq!(crypt::file_kind(&db).unwrap(), FileKind::Encrypted);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Nothing readable in the file.
    let bytes = std::fs::read(&db).unwrap();
    assert!(!contains(&bytes, "Quagliarulo"));
    assert!(!contains(&bytes, &cf("QGLNNZ80A41F205")));
    assert!(!contains(&bytes, "operatore"));

    // Without a key: refused with a message that says how to open it.
    let e = Store::open(&db).unwrap_err();
    assert!(matches!(e, StoreError::Encrypted(_)), "{e}");
    assert!(e.to_string().contains("cifrato"), "{e}");

    // Wrong password, unknown account: the same refusal, nothing written.
    let before = std::fs::read(&db).unwrap();
    for how in [
        with("admin", "sbagliata"),
        with("nessuno", "prima password"),
    ] {
        let e = Store::open_encrypted(&db, OpenOptions::default(), &how).unwrap_err();
        assert!(matches!(e, StoreError::WrongPassword), "{e}");
        assert!(e.to_string().contains("errati"), "{e}");
    }
    let e = Store::open_encrypted(
        &db,
        OpenOptions::default(),
        &Unlock::Recovery(pw("AAAA-BBBB-CCCC")),
    )
    .unwrap_err();
    assert!(e.to_string().contains("chiave di recupero"), "{e}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a refusal writes nothing"
    );

    // Each slot opens it, and so does the recovery key when every password is lost.
    for how in [
        with("admin", "prima password"),
        with("operatore", "seconda password"),
        Unlock::Recovery(recovery.display()),
    ] {
        let s = Store::open_encrypted(&db, OpenOptions::default(), &how).unwrap();
        assert_eq!(surnames(&s), vec!["Quagliarulo"]);
    }

    // A new password replaces the old one; a removed slot no longer opens; a new recovery
    // key replaces the old one.
    let s = Store::open_encrypted(
        &db,
        OpenOptions::default(),
        &Unlock::Recovery(recovery.display()),
    )
    .unwrap();
    s.set_key_slot("admin", &pw("password nuova")).unwrap();
    assert!(s.remove_key_slot("operatore").unwrap());
    assert!(s.remove_key_slot("admin").is_err(), "the last slot stays");
    let recovery2 = s.new_recovery_key().unwrap();
    drop(s);
    for how in [
        with("admin", "prima password"),
        with("operatore", "seconda password"),
        Unlock::Recovery(recovery.display()),
    ] {
        assert!(matches!(
            Store::open_encrypted(&db, OpenOptions::default(), &how),
            Err(StoreError::WrongPassword)
        ));
    }
    for how in [
        with("admin", "password nuova"),
        Unlock::Recovery(recovery2.display()),
    ] {
        let s = Store::open_encrypted(&db, OpenOptions::default(), &how).unwrap();
        assert_eq!(surnames(&s), vec!["Quagliarulo"]);
        assert_eq!(s.key_slot_names(), vec!["admin"]);
    }
}

#[test]
fn failed_unlocks_are_counted_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.redb");
    let (s, _) =
        Store::create_encrypted(&db, OpenOptions::default(), "admin", &pw("una password")).unwrap();
    drop(s);
    assert_eq!(
        crypt::slot_status(&db, "admin").unwrap(),
        crypt::SlotStatus::default()
    );
    let mut st = crypt::SlotStatus::default();
    for i in 0..crypt::LOCK_AFTER_FAILURES {
        st = crypt::record_failed_unlock(&db, "admin", 1_000 + i64::from(i)).unwrap();
    }
    assert_eq!(st.failures, crypt::LOCK_AFTER_FAILURES);
    let until = st.locked_until.expect("locked");
    assert_eq!(
        until,
        1_000 + i64::from(crypt::LOCK_AFTER_FAILURES) - 1 + crypt::LOCK_SECONDS
    );
    assert_eq!(crypt::slot_status(&db, "admin").unwrap(), st);
    // The counters are not the key: the database still opens, and a good unlock clears them.
    let s =
        Store::open_encrypted(&db, OpenOptions::default(), &with("admin", "una password")).unwrap();
    s.clear_slot_failures("admin").unwrap();
    drop(s);
    assert_eq!(crypt::slot_status(&db, "admin").unwrap().failures, 0);
}

/// Flips one byte at `at` of the file.
fn flip(path: &Path, at: u64) {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    let mut b = [0u8];
    f.read_exact(&mut b).unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(&[b[0] ^ 0x5A]).unwrap();
}

/// Opens and reads everything (the full check and every person).
fn open_and_read_all(db: &Path, how: &Unlock) -> Result<usize, StoreError> {
    let mut s = Store::open_encrypted(db, OpenOptions::default(), how)?;
    let report = s.check()?;
    if !report.ok() {
        return Err(StoreError::Corrupt(report.problems.join("; ")));
    }
    Ok(s.read()?.all::<Person>()?.len())
}

#[test]
fn a_changed_byte_is_tampering_with_a_clear_message_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.redb");
    let (mut s, _) =
        Store::create_encrypted(&db, OpenOptions::default(), "admin", &pw("una password")).unwrap();
    {
        let mut w = s.bulk_write(Id::NIL).unwrap();
        for i in 0..400 {
            w.insert(Person {
                surname: format!(
                    "Cognome {}{}{}",
                    (b'a' + (i / 100) as u8) as char,
                    (b'a' + (i / 10 % 10) as u8) as char,
                    (b'a' + (i % 10) as u8) as char
                ),
                name: "Nome".into(),
                ..Default::default()
            })
            .unwrap();
        }
        w.commit().unwrap();
    }
    s.rebuild_aggregates().unwrap();
    // Compacted, so that most blocks of the file are in use.
    while s.compact().unwrap() {}
    drop(s);
    let how = with("admin", "una password");
    assert_eq!(open_and_read_all(&db, &how).unwrap(), 400);
    let pristine = std::fs::read(&db).unwrap();
    let len = pristine.len() as u64;
    // One byte in each of about 24 blocks spread over the data area: a used block is
    // reported as tampering, an unused one changes nothing; never another error, never a
    // panic.
    let data_start = 32 * 1024 + 2 * 4144;
    let step = ((len - data_start) / 24 / 4136 + 1) * 4136;
    let mut tampered = 0;
    let mut at = data_start + 100;
    while at < len {
        std::fs::write(&db, &pristine).unwrap();
        flip(&db, at);
        let outcome = std::panic::catch_unwind(|| open_and_read_all(&db, &how));
        match outcome {
            Err(_) => panic!("panic after a byte changed at {at}"),
            Ok(Ok(n)) => assert_eq!(n, 400),
            Ok(Err(e @ StoreError::Tampered { .. })) => {
                let msg = e.to_string();
                assert!(msg.contains("alterato"), "{msg}");
                tampered += 1;
            }
            Ok(Err(e)) => panic!("byte at {at}: not reported as tampering: {e}"),
        }
        at += step;
    }
    assert!(tampered > 3, "used blocks were changed ({tampered})");
    // Both copies of the superblock changed: tampering, before any password is tried.
    std::fs::write(&db, &pristine).unwrap();
    flip(&db, 40);
    flip(&db, 16 * 1024 + 40);
    let e = Store::open_encrypted(&db, OpenOptions::default(), &how).unwrap_err();
    assert!(matches!(e, StoreError::Tampered { .. }), "{e}");
    // One copy changed (as a torn write would): the other one serves.
    std::fs::write(&db, &pristine).unwrap();
    flip(&db, 40);
    assert_eq!(open_and_read_all(&db, &how).unwrap(), 400);
}

#[test]
fn backups_of_an_encrypted_database_are_encrypted_and_restorable_with_any_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.redb");
    let (store, recovery) =
        Store::create_encrypted(&db, OpenOptions::default(), "admin", &pw("password admin"))
            .unwrap();
    store
        .set_key_slot("operatore", &pw("password operatore"))
        .unwrap();
    person(&store, "Scognamiglio", "SCGNNZ70A41F839");
    let out = dir.path().join("copia.accbak");
    let info = store
        .backup_to(&out, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
    assert!(info.encrypted);
    assert!(backup::is_keyed(&out));
    let bytes = std::fs::read(&out).unwrap();
    assert!(!contains(&bytes, "Scognamiglio"));
    assert!(!contains(&bytes, &cf("SCGNNZ70A41F839")));
    // Restored in place while the database is open: its own keys read it.
    let restored =
        backup::restore_to_new_file(&store, &out, None, Id::NIL, &mut |_, _, _| {}).unwrap();
    let mut slot = Arc::new(store);
    backup::swap_in(&mut slot, restored).unwrap();
    assert!(slot.is_encrypted());
    assert_eq!(surnames(&slot), vec!["Scognamiglio"]);
    drop(slot);
    // The safety copy of the swap is the encrypted file too.
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        let b = std::fs::read(&p).unwrap();
        assert!(!contains(&b, "Scognamiglio"), "{}", p.display());
    }

    // With no database open, the backup needs a key: any account's password or the
    // recovery key.
    let e = backup::verify(&out, None, &mut |_, _, _| {}).unwrap_err();
    assert!(matches!(e, BackupError::NeedsKey), "{e}");
    assert!(matches!(
        crypt::unlock_backup(&out, &with("admin", "sbagliata")),
        Err(StoreError::WrongPassword)
    ));
    for how in [
        with("operatore", "password operatore"),
        Unlock::Recovery(recovery.display()),
    ] {
        let guard = crypt::unlock_backup(&out, &how)
            .unwrap()
            .expect("a keyed backup");
        let v = backup::verify(&out, None, &mut |_, _, _| {}).unwrap();
        assert_eq!(v.header.count("people"), 1);
        drop(guard);
    }
    // Restored into a plain database (another desk): the result is encrypted with the
    // backup's keys, never plain.
    let other = dir.path().join("altra").join("sede.redb");
    let plain = Store::open(&other).unwrap();
    let _guard = crypt::unlock_backup(&out, &Unlock::Recovery(recovery.display())).unwrap();
    let restored =
        backup::restore_to_new_file(&plain, &out, None, Id::NIL, &mut |_, _, _| {}).unwrap();
    let mut slot = Arc::new(plain);
    let swapped = backup::swap_in(&mut slot, restored).unwrap();
    assert!(slot.is_encrypted());
    assert_eq!(surnames(&slot), vec!["Scognamiglio"]);
    drop(slot);
    assert_eq!(crypt::file_kind(&other).unwrap(), FileKind::Encrypted);
    let s = Store::open_encrypted(
        &other,
        OpenOptions::default(),
        &with("admin", "password admin"),
    )
    .unwrap();
    assert_eq!(surnames(&s), vec!["Scognamiglio"]);
    // The plain database it replaced (empty) stays as the safety copy.
    assert_eq!(
        crypt::file_kind(&swapped.safety_copy).unwrap(),
        FileKind::Plain
    );
}

#[test]
fn a_plain_database_is_converted_and_no_plain_copy_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vecchio.redb");
    let plain = Store::open(&db).unwrap();
    for (s, cf) in [
        ("Esposito", "SPSNNZ60A41F839"),
        ("Brambilla", "BRMNNZ60A41F205"),
    ] {
        person(&plain, s, cf);
    }
    let before = surnames(&plain);
    drop(plain);
    assert!(
        contains(&std::fs::read(&db).unwrap(), "Brambilla"),
        "the control: plain bytes"
    );
    let (mut store, recovery) =
        Store::encrypt_existing(&db, OpenOptions::default(), "admin", &pw("password admin"))
            .unwrap();
    assert!(store.is_encrypted());
    assert_eq!(surnames(&store), before);
    assert!(store.check().unwrap().ok());
    drop(store);
    assert_eq!(crypt::file_kind(&db).unwrap(), FileKind::Encrypted);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, vec!["vecchio.redb"], "no leftovers");
    assert!(!contains(&std::fs::read(&db).unwrap(), "Brambilla"));
    let s = Store::open_encrypted(
        &db,
        OpenOptions::default(),
        &Unlock::Recovery(recovery.display()),
    )
    .unwrap();
    assert_eq!(surnames(&s), before);
    assert!(
        Store::encrypt_existing(&db, OpenOptions::default(), "x", &pw("y")).is_err(),
        "already encrypted"
    );
    // The recovery key as text: 13 groups of four.
    assert_eq!(recovery.display().expose_secret().split('-').count(), 13);
}

#[test]
fn an_open_plain_store_is_encrypted_in_place_and_the_signed_in_session_goes_on() {
    use accoglienza::access::{self, NewAccount, PasswordParams};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sportello.redb");
    let store = Store::open(&db).unwrap();
    let role = store.access_role("coordinatore").unwrap().unwrap().id;
    store
        .create_account_unchecked(
            &NewAccount {
                username: "anna".into(),
                operator: None,
                roles: vec![role],
                must_change: false,
            },
            "una password lunga abbastanza",
            PasswordParams::FAST_FOR_TESTS,
        )
        .unwrap();
    person(&store, "Brambilla", "BRMNNZ60A41F205");
    let session = access::sign_in(&store, "anna", "una password lunga abbastanza").unwrap();
    let mut phases = 0;
    let (store, recovery) = store
        .into_encrypted(
            &["anna", "ospite"],
            &pw("la password delle chiavi"),
            &mut |_, _, _| phases += 1,
        )
        .unwrap_or_else(|f| panic!("{}", f.error));
    assert!(phases > 0, "progress reported");
    assert!(store.is_encrypted());
    assert!(!contains(&std::fs::read(&db).unwrap(), "Brambilla"));
    // The session signed in on the plain file writes to the encrypted one (same database).
    person(&store, "Esposito", "SPSNNZ60A41F839");
    let me = store.read_as(&session).unwrap();
    assert_eq!(me.all::<Person>().unwrap().len(), 2);
    drop(me);
    let mut slots = store.key_slot_names();
    slots.sort();
    assert_eq!(slots, vec!["anna", "ospite"]);
    // Converting it again is refused and hands the open store back untouched.
    let failed = match store.into_encrypted(&["anna"], &pw("x"), &mut |_, _, _| {}) {
        Err(f) => f,
        Ok(_) => panic!("already encrypted"),
    };
    assert!(failed.error.to_string().contains("già cifrato"));
    let store = failed.store.expect("handed back");
    assert_eq!(surnames(&store), vec!["Brambilla", "Esposito"]);
    drop(store);
    for how in [
        with("ospite", "la password delle chiavi"),
        Unlock::Recovery(recovery.display()),
    ] {
        let s = Store::open_encrypted(&db, OpenOptions::default(), &how).unwrap();
        assert_eq!(surnames(&s).len(), 2);
    }
}

#[test]
fn plain_copies_left_beside_an_encrypted_database_are_listed_and_removed_on_request() {
    use accoglienza::access::{self, NewAccount, PasswordParams};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sede.redb");
    let plain = Store::open(&db).unwrap();
    person(&plain, "Brambilla", "BRMNNZ60A41F205");
    drop(plain);
    // A restore made while it was plain left its safety copy.
    let copy = dir
        .path()
        .join("sede.prima-del-ripristino-20260101-120000.redb");
    std::fs::copy(&db, &copy).unwrap();
    let unrelated = dir.path().join("altro.redb");
    std::fs::copy(&db, &unrelated).unwrap();
    let (store, _key) = Store::encrypt_existing(
        &db,
        OpenOptions::default(),
        "admin",
        &pw("chiave della sede"),
    )
    .unwrap();
    assert_eq!(store.plain_copies(), vec![copy.clone()]);
    let role = store.access_role("amministratore").unwrap().unwrap().id;
    store
        .create_account_unchecked(
            &NewAccount {
                username: "admin".into(),
                operator: None,
                roles: vec![role],
                must_change: false,
            },
            "chiave della sede",
            PasswordParams::FAST_FOR_TESTS,
        )
        .unwrap();
    let meeting = store.access_role("riunione").unwrap().unwrap().id;
    store
        .create_account_unchecked(
            &NewAccount {
                username: "riunione".into(),
                operator: None,
                roles: vec![meeting],
                must_change: false,
            },
            "una chiave per gli incontri",
            PasswordParams::FAST_FOR_TESTS,
        )
        .unwrap();
    let weak = access::sign_in(&store, "riunione", "una chiave per gli incontri").unwrap();
    assert!(matches!(
        store.remove_plain_copies_as(&weak),
        Err(StoreError::Denied(_))
    ));
    assert!(copy.exists());
    let admin = access::sign_in(&store, "admin", "chiave della sede").unwrap();
    assert_eq!(
        store.remove_plain_copies_as(&admin).unwrap(),
        vec![copy.clone()]
    );
    assert!(!copy.exists());
    assert!(
        unrelated.exists(),
        "another database is not a copy of this one"
    );
    assert!(store.plain_copies().is_empty());
}
