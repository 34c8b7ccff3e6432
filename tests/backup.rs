//! Backup and restore (issue 5): round trips, snapshots, every refusal with the live
//! database untouched, the committed schema-1 fixtures, the `age` CLI, random bytes, the
//! command line and the window's panel.

use accoglienza::demo::{self, SEED_2022, Scale};
use accoglienza::domain::*;
use accoglienza::store::Store;
use accoglienza::store::backup::{
    self, BackupError, BackupOptions, FORMAT_VERSION, MAGIC, SecretString,
};
use accoglienza::store::published::Published;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

const BIN: &str = env!("CARGO_BIN_EXE_accoglienza");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/backup");
/// The passphrase of the encrypted fixture.
const FIXTURE_PASSPHRASE: &str = "prova fixture schema 1";

fn quiet() -> impl FnMut(&str, u64, u64) {
    |_: &str, _: u64, _: u64| {}
}

fn pass(s: &str) -> SecretString {
    SecretString::from(s.to_string())
}

/// Shared files of this test run, under target/ (replaced by the next run).
fn shared_dir() -> &'static Path {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("backup-tests");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// A closed cooperative-scale demo database, made once per test run.
fn demo_template() -> &'static Path {
    static T: OnceLock<PathBuf> = OnceLock::new();
    T.get_or_init(|| {
        let path = shared_dir().join("template.redb");
        let store = Store::open(&path).unwrap();
        demo::generate(&store, Scale::Cooperative, 2022, &mut quiet()).unwrap();
        path
    })
}

/// A fresh copy of the demo database in its own folder.
fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accoglienza.redb");
    std::fs::copy(demo_template(), &path).unwrap();
    (dir, path)
}

/// A plain backup of the demo database, made once.
fn demo_backup() -> &'static Path {
    static B: OnceLock<PathBuf> = OnceLock::new();
    B.get_or_init(|| {
        let (_dir, db) = demo_copy();
        let store = Store::open(&db).unwrap();
        let out = shared_dir().join("demo.accbak");
        store
            .backup_to(&out, &BackupOptions::default(), &mut quiet())
            .unwrap();
        out
    })
}

/// A small database: the default catalogue plus a household and two people.
fn small_store(dir: &Path) -> Store {
    let store = Store::open(dir.join("small.redb")).unwrap();
    let h = store
        .insert(
            Id::NIL,
            Household {
                name: "Famiglia Rossi".into(),
                ..Default::default()
            },
        )
        .unwrap();
    // One reference person per household (the store refuses a second).
    for (name, relationship) in [
        ("Mario", Relationship::Riferimento),
        ("Lucia", Relationship::Coniuge),
    ] {
        store
            .insert(
                Id::NIL,
                Person {
                    surname: "Rossi".into(),
                    name: name.into(),
                    household: Some(Membership {
                        household: h,
                        relationship,
                    }),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    store
}

/// A name made of letters only, different for every `n`.
fn letters(mut n: u64) -> String {
    let mut s = String::from("Anna");
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

fn bytes_of(store: &Store, opts: &BackupOptions) -> Vec<u8> {
    store
        .write_backup(Vec::new(), opts, &mut quiet())
        .unwrap()
        .1
}

macro_rules! same_records {
    ($a:expr, $b:expr, $($t:ty),*) => {$(
        assert_eq!($a.all::<$t>().unwrap(), $b.all::<$t>().unwrap(), "{}", stringify!($t));
    )*};
}

fn assert_same_data(a: &Store, b: &Store) {
    let (ra, rb) = (a.read().unwrap(), b.read().unwrap());
    same_records!(
        ra,
        rb,
        Person,
        Household,
        Operator,
        Contact,
        Case,
        Project,
        Referral,
        Activity,
        Area,
        ServiceLine,
        Desk,
        Measure,
        TerritorialService,
        Role
    );
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// Recomputes the SHA-256 trailer after an edit (to craft intact files of other versions).
fn reseal(mut content: Vec<u8>) -> Vec<u8> {
    use sha2::Digest;
    content.truncate(content.len() - 32);
    let d = sha2::Sha256::digest(&content);
    content.extend_from_slice(&d[..]);
    content
}

fn header_range(b: &[u8]) -> std::ops::Range<usize> {
    let len = u32::from_le_bytes(b[10..14].try_into().unwrap()) as usize;
    14..14 + len
}

// ------------------------------------------------------------------ round trips

#[test]
fn demo_round_trip_equals_the_original_record_by_record() {
    let (_d1, original) = demo_copy();
    let (dir, live) = demo_copy();
    let original = Store::open(&original).unwrap();
    // The live database the restore replaces has other data (one more person).
    let live_store = Store::open(&live).unwrap();
    live_store
        .insert(
            Id::NIL,
            Person {
                surname: "Nuova".into(),
                name: "Persona".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let before: Vec<_> = original.read().unwrap().audit(usize::MAX).unwrap();
    let mut slot = Arc::new(live_store);
    let restored =
        backup::restore_to_new_file(&slot, demo_backup(), None, Id::NIL, &mut quiet()).unwrap();
    assert!(restored.path.starts_with(dir.path()));
    let swapped = backup::swap_in(&mut slot, restored).unwrap();
    assert_eq!(swapped.live, live);
    assert!(swapped.safety_copy.exists());
    assert_same_data(&original, &slot);
    // The audit log is kept entry by entry, plus one restore entry per kind of record.
    let after = slot.read().unwrap().audit(usize::MAX).unwrap();
    for e in &before {
        assert!(after.contains(e), "audit entry lost: {e:?}");
    }
    let added: Vec<_> = after.iter().filter(|e| !before.contains(e)).collect();
    assert!(!added.is_empty());
    assert!(added.iter().all(|(_, e)| e.action == Action::RestoreBackup));
    // Indexes and counts were rebuilt and check out; the counts are the same.
    let mut reopened = Arc::try_unwrap(slot).unwrap();
    assert!(reopened.check().unwrap().ok());
    let c1 = accoglienza::stats::annual_counts(&original.read().unwrap()).unwrap();
    let c2 = accoglienza::stats::annual_counts(&reopened.read().unwrap()).unwrap();
    for (code, want) in SEED_2022 {
        assert_eq!(c2.count(c2.line(code).unwrap(), 2022), want, "{code}");
        assert_eq!(c1.count(c1.line(code).unwrap(), 2022), want);
    }
    // The safety copy is the replaced database, with its extra person.
    drop(reopened);
    let safety = Store::open(&swapped.safety_copy).unwrap();
    let r = safety.read().unwrap();
    assert_eq!(
        r.count::<Person>().unwrap(),
        original.read().unwrap().count::<Person>().unwrap() + 1
    );
}

#[test]
fn encrypted_round_trip_and_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let store = small_store(dir.path());
    let opts = BackupOptions {
        passphrase: Some(pass("una passphrase lunga")),
        work_factor: 10,
        ..Default::default()
    };
    let out = dir.path().join("cifrato.accbak");
    let info = store.backup_to(&out, &opts, &mut quiet()).unwrap();
    assert!(info.encrypted);
    assert!(backup::is_encrypted(&out).unwrap());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    assert!(!bytes.windows(5).any(|w| w == b"Rossi"));
    let v = backup::verify(&out, Some(&pass("una passphrase lunga")), &mut quiet()).unwrap();
    assert_eq!(v.header.count("people"), 2);
    assert!(matches!(
        backup::verify(&out, None, &mut quiet()),
        Err(BackupError::NeedsPassphrase)
    ));
    let wrong = backup::verify(&out, Some(&pass("sbagliata")), &mut quiet()).unwrap_err();
    assert!(matches!(wrong, BackupError::WrongPassphrase), "{wrong}");
    assert!(wrong.to_string().contains("Passphrase errata"));
}

#[test]
fn excessive_work_factor_is_refused_without_deriving() {
    let dir = tempfile::tempdir().unwrap();
    let store = small_store(dir.path());
    let opts = BackupOptions {
        passphrase: Some(pass("x")),
        work_factor: backup::MAX_WORK_FACTOR + 1,
        ..Default::default()
    };
    // Craft the stanza's work factor instead of paying for the derivation.
    let mut bytes = bytes_of(
        &store,
        &BackupOptions {
            work_factor: 10,
            ..opts.clone()
        },
    );
    let text = String::from_utf8_lossy(&bytes[..200]).to_string();
    let at = text.find(" 10\n").expect("scrypt stanza");
    bytes[at + 1..at + 3].copy_from_slice(format!("{}", opts.work_factor).as_bytes());
    let e = backup::verify_bytes(&bytes, Some(&pass("x"))).unwrap_err();
    assert!(matches!(e, BackupError::ExcessiveWork { .. }), "{e}");
}

#[test]
fn a_backup_taken_while_writing_is_a_consistent_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path().join("live.redb")).unwrap());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (store, stop) = (store.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // One transaction: a household and its member.
                let mut w = store.write(Id::NIL).unwrap();
                let h = w
                    .insert(Household {
                        name: format!("Nucleo {n}"),
                        note: String::new(),
                        ..Default::default()
                    })
                    .unwrap();
                w.insert(Person {
                    surname: "Bianchi".into(),
                    name: letters(n),
                    household: Some(Membership {
                        household: h,
                        relationship: Relationship::Riferimento,
                    }),
                    ..Default::default()
                })
                .unwrap();
                w.commit().unwrap();
                n += 1;
            }
            n
        })
    };
    // Wait until some transactions are in, then back up several times while they go on.
    while store.read().unwrap().count::<Household>().unwrap() < 20 {
        assert!(!writer.is_finished(), "the writer stopped");
        std::thread::yield_now();
    }
    let mut infos = Vec::new();
    for i in 0..3 {
        let out = dir.path().join(format!("b{i}.accbak"));
        infos.push(
            store
                .backup_to(&out, &BackupOptions::default(), &mut quiet())
                .unwrap(),
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().unwrap();
    for info in infos {
        let h = &info.header;
        assert!(h.count("people") > 0);
        assert_eq!(h.count("people"), h.count("households"), "torn snapshot");
        // The audit log is written in the same transactions.
        let catalogue: u64 = [
            "areas",
            "service_lines",
            "desks",
            "measures",
            "territorial_services",
            "roles",
            "access_roles",
        ]
        .iter()
        .map(|t| h.count(t))
        .sum::<u64>()
            // The default purposes of consent, made at open: not in a backup that holds
            // no privacy log (it keeps format 1), but their creation is in the audit.
            + store.read().unwrap().count::<Purpose>().unwrap();
        assert_eq!(
            h.count("audit"),
            catalogue + 2 * h.count("people"),
            "audit out of step"
        );
        // And it restores into a database that passes the full check.
        let live = Store::open(dir.path().join("other.redb")).unwrap();
        let restored =
            backup::restore_to_new_file(&live, &info.path, None, Id::NIL, &mut quiet()).unwrap();
        let mut s = Store::open(&restored.path).unwrap();
        assert!(s.check().unwrap().ok());
        assert_eq!(
            s.read().unwrap().count::<Person>().unwrap(),
            h.count("people")
        );
    }
    assert!(written > 20);
}

// ------------------------------------------------------------------ refusals

type Expect = fn(&BackupError) -> bool;
/// (name, content, passphrase, expected error, words the message must contain)
type BadFile<'a> = (&'a str, Vec<u8>, Option<&'a str>, Expect, &'a str);

#[test]
fn every_bad_file_is_refused_and_the_live_database_stays_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let live = small_store(dir.path());
    let live_path = live.path().to_path_buf();
    let good = bytes_of(&live, &BackupOptions::default());
    let enc = bytes_of(
        &live,
        &BackupOptions {
            passphrase: Some(pass("la passphrase giusta")),
            work_factor: 10,
            ..Default::default()
        },
    );
    let flip = |b: &[u8], at: usize| {
        let mut b = b.to_vec();
        b[at] ^= 0xFF;
        b
    };
    let mut newer_format = good.clone();
    newer_format[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let newer_format = reseal(newer_format);
    let mut newer_schema = good.clone();
    let h = header_range(&good);
    let text = String::from_utf8(good[h.clone()].to_vec()).unwrap();
    let edited = text.replace(
        &format!(
            "\"schema_version\":{}",
            accoglienza::store::tables::SCHEMA_VERSION
        ),
        "\"schema_version\":9",
    );
    assert_ne!(text, edited);
    newer_schema.splice(h.clone(), edited.into_bytes());
    let newer_schema = reseal(newer_schema);
    let right = Some("la passphrase giusta");
    let redb_file = std::fs::read(&live_path).unwrap();
    let cases: Vec<BadFile> = vec![
        (
            "passphrase errata",
            enc.clone(),
            Some("sbagliata"),
            |e| matches!(e, BackupError::WrongPassphrase),
            "Passphrase errata",
        ),
        (
            "senza passphrase",
            enc.clone(),
            None,
            |e| matches!(e, BackupError::NeedsPassphrase),
            "serve la passphrase",
        ),
        (
            "troncato a metà",
            good[..good.len() / 2].to_vec(),
            None,
            |e| matches!(e, BackupError::Truncated(_)),
            "incompleto",
        ),
        (
            "troncato nel checksum",
            good[..good.len() - 5].to_vec(),
            None,
            |e| matches!(e, BackupError::Truncated(_)),
            "incompleto",
        ),
        (
            "troncato nell'intestazione",
            good[..30].to_vec(),
            None,
            |e| matches!(e, BackupError::Truncated(_)),
            "incompleto",
        ),
        (
            "cifrato troncato",
            enc[..enc.len() - 40].to_vec(),
            right,
            |e| matches!(e, BackupError::Truncated(_) | BackupError::Damaged(..)),
            "incompleto",
        ),
        (
            "byte alterato nei record",
            flip(&good, good.len() - 100),
            None,
            |e| matches!(e, BackupError::Damaged(..)),
            "danneggiato",
        ),
        (
            "byte alterato nell'intestazione",
            flip(&good, h.start + 3),
            None,
            |e| matches!(e, BackupError::Damaged(..)),
            "danneggiato",
        ),
        (
            "byte alterato nel checksum",
            flip(&good, good.len() - 1),
            None,
            |e| matches!(e, BackupError::Damaged(..)),
            "danneggiato",
        ),
        (
            "byte alterato nella versione",
            flip(&good, 9),
            None,
            |e| matches!(e, BackupError::Damaged(..)),
            "danneggiato",
        ),
        (
            "cifrato con un byte alterato",
            flip(&enc, enc.len() - 50),
            right,
            |e| matches!(e, BackupError::Damaged(..)),
            "danneggiato",
        ),
        (
            "testo qualsiasi",
            b"Questo non e' un backup.\n".to_vec(),
            None,
            |e| matches!(e, BackupError::NotABackup(_)),
            "non è un backup",
        ),
        (
            "file vuoto",
            vec![],
            None,
            |e| matches!(e, BackupError::NotABackup(_)),
            "non è un backup",
        ),
        (
            "un database redb",
            redb_file,
            None,
            |e| matches!(e, BackupError::NotABackup(_)),
            "non è un backup",
        ),
        (
            "formato più recente",
            newer_format,
            None,
            |e| matches!(e, BackupError::NewerFormat { .. }),
            "più recente",
        ),
        (
            "schema più recente",
            newer_schema,
            None,
            |e| matches!(e, BackupError::NewerSchema { .. }),
            "più recente",
        ),
    ];
    let bad = tempfile::tempdir().unwrap();
    let listing = files_in(dir.path());
    for (name, bytes, passphrase, expected, words) in cases {
        let path = bad.path().join(format!("{name}.accbak"));
        std::fs::write(&path, &bytes).unwrap();
        let p = passphrase.map(pass);
        let before = std::fs::read(&live_path).unwrap();
        let e = backup::verify(&path, p.as_ref(), &mut quiet()).unwrap_err();
        assert!(expected(&e), "{name}: verify gave {e:?}");
        assert!(e.to_string().contains(words), "{name}: «{e}»");
        let e = backup::restore_to_new_file(&live, &path, p.as_ref(), Id::NIL, &mut quiet())
            .unwrap_err();
        assert!(expected(&e), "{name}: restore gave {e:?}");
        assert_eq!(
            std::fs::read(&live_path).unwrap(),
            before,
            "{name}: live file changed"
        );
        assert_eq!(files_in(dir.path()), listing, "{name}: files left behind");
    }
}

#[test]
fn a_flipped_byte_anywhere_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = small_store(dir.path());
    let good = bytes_of(&store, &BackupOptions::default());
    assert!(backup::verify_bytes(&good, None).is_ok());
    for at in 0..good.len() {
        let mut b = good.clone();
        b[at] ^= 0xFF;
        match backup::verify_bytes(&b, None) {
            Err(BackupError::NotABackup(_)) if at < MAGIC.len() => {}
            Err(BackupError::Damaged(..) | BackupError::Truncated(_)) => {}
            other => panic!("byte {at}: {other:?}"),
        }
    }
    let p = pass("passphrase di prova");
    let enc = bytes_of(
        &store,
        &BackupOptions {
            passphrase: Some(p.clone()),
            work_factor: 8,
            ..Default::default()
        },
    );
    assert!(backup::verify_bytes(&enc, Some(&p)).is_ok());
    for at in (0..enc.len()).step_by(3) {
        let mut b = enc.clone();
        b[at] ^= 0xFF;
        assert!(backup::verify_bytes(&b, Some(&p)).is_err(), "byte {at}");
    }
}

#[test]
fn unwritable_destination_leaves_nothing_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = small_store(dir.path());
    let not_a_dir = dir.path().join("un-file.txt");
    std::fs::write(&not_a_dir, b"x").unwrap();
    let listing = files_in(dir.path());
    let e = store
        .backup_to(
            &not_a_dir.join("backup.accbak"),
            &BackupOptions::default(),
            &mut quiet(),
        )
        .unwrap_err();
    assert!(matches!(e, BackupError::Destination(..)), "{e:?}");
    assert!(e.to_string().contains("Impossibile scrivere"), "{e}");
    let e = store
        .backup_to(dir.path(), &BackupOptions::default(), &mut quiet())
        .unwrap_err();
    assert!(matches!(e, BackupError::Refused(..)), "{e:?}");
    assert!(e.to_string().contains("è una cartella"), "{e}");
    assert_eq!(files_in(dir.path()), listing);
    assert!(store.last_backup().unwrap().is_none());
}

/// Disk full, for real: a 64 kB tmpfs in a private mount namespace (needs root, as CI has).
#[test]
fn disk_full_leaves_no_half_written_file() {
    let (_d, db) = demo_copy();
    let target = tempfile::tempdir().unwrap();
    let t = target.path().display().to_string();
    let script = format!(
        "mount -t tmpfs -o size=64k none {t} || exit 99; \
         printf vecchio > {t}/backup.accbak; \
         {BIN} --db {} backup --out {t}/backup.accbak; echo \"rc=$?\"; \
         echo \"files: $(ls -A {t} | tr '\\n' ' ')\"; echo \"old: $(cat {t}/backup.accbak)\"",
        db.display()
    );
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .output()
        .expect("unshare (util-linux) is needed for this test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(99),
        "cannot mount a tmpfs: {stderr}"
    );
    assert!(stdout.contains("rc=1"), "{stdout}{stderr}");
    assert!(stderr.contains("Spazio esaurito"), "{stderr}");
    assert!(stdout.contains("files: backup.accbak \n"), "{stdout}");
    assert!(stdout.contains("old: vecchio"), "{stdout}");
}

#[test]
fn a_database_open_elsewhere_is_refused_by_the_command_line() {
    let (dir, db) = demo_copy();
    let store = Store::open(&db).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = dir.path().join("b.accbak");
    let o = Command::new(BIN)
        .args([
            "--db",
            db.to_str().unwrap(),
            "backup",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("già aperto"));
    assert!(!out.exists());
    let o = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "restore", "--yes", "--from"])
        .arg(demo_backup())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("già aperto"));
    assert!(
        std::fs::read(&db).unwrap() == before,
        "database file changed"
    );
    drop(store);
}

// ------------------------------------------------------------------ fixtures and age

/// Regenerates the committed fixtures (only when asked: they must stay as schema 1 made them).
#[test]
#[ignore]
fn make_fixtures() {
    if std::env::var("ACCOGLIENZA_WRITE_FIXTURES").is_err() {
        return;
    }
    let dir = Path::new(FIXTURES);
    std::fs::create_dir_all(dir).unwrap();
    let (_d, db) = demo_copy();
    let store = Store::open(&db).unwrap();
    store
        .backup_to(
            &dir.join("schema1-cooperativa.accbak"),
            &BackupOptions::default(),
            &mut quiet(),
        )
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let small = small_store(tmp.path());
    small
        .backup_to(
            &dir.join("schema1-cifrato.accbak"),
            &BackupOptions {
                passphrase: Some(pass(FIXTURE_PASSPHRASE)),
                ..Default::default()
            },
            &mut quiet(),
        )
        .unwrap();
}

#[test]
fn schema1_fixtures_keep_restoring() {
    let dir = tempfile::tempdir().unwrap();
    let mut slot = Arc::new(Store::open(dir.path().join("accoglienza.redb")).unwrap());
    let coop = Path::new(FIXTURES).join("schema1-cooperativa.accbak");
    let info = backup::verify(&coop, None, &mut quiet()).unwrap();
    assert_eq!(info.header.schema_version, 1);
    assert_eq!(info.header.count("people"), 5082);
    let restored = backup::restore_to_new_file(&slot, &coop, None, Id::NIL, &mut quiet()).unwrap();
    backup::swap_in(&mut slot, restored).unwrap();
    let counts = accoglienza::stats::annual_counts(&slot.read().unwrap()).unwrap();
    for (code, want) in SEED_2022 {
        assert_eq!(
            counts.count(counts.line(code).unwrap(), 2022),
            want,
            "{code}"
        );
    }
    assert_eq!(slot.read().unwrap().count::<Contact>().unwrap(), 10766);

    let enc = Path::new(FIXTURES).join("schema1-cifrato.accbak");
    let p = pass(FIXTURE_PASSPHRASE);
    let restored =
        backup::restore_to_new_file(&slot, &enc, Some(&p), Id::NIL, &mut quiet()).unwrap();
    backup::swap_in(&mut slot, restored).unwrap();
    let r = slot.read().unwrap();
    let people = r.all::<Person>().unwrap();
    assert_eq!(people.len(), 2);
    assert!(people.iter().all(|p| p.surname == "Rossi"));
    assert_eq!(r.count::<Household>().unwrap(), 1);
}

/// The committed schema-1 database (the cooperative demo as schema 1 wrote it, zstd).
fn schema1_database(dir: &Path) -> (PathBuf, Vec<u8>) {
    let packed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/db/schema1-cooperativa.redb.zst"),
    )
    .unwrap();
    let bytes = zstd::decode_all(packed.as_slice()).unwrap();
    let db = dir.join("accoglienza.redb");
    std::fs::write(&db, &bytes).unwrap();
    (db, bytes)
}

fn safety_copies(dir: &Path, label: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(label))
        .collect()
}

#[test]
fn a_schema1_database_converts_on_open_and_counts_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (db, old_bytes) = schema1_database(dir.path());
    let mut phases = Vec::new();
    let mut store = Store::open_with_progress(&db, Default::default(), &mut |p, _, _| {
        if phases.last().map(String::as_str) != Some(p) {
            phases.push(p.to_string());
        }
    })
    .unwrap();
    assert!(
        phases.iter().any(|p| p == "Conversione del database"),
        "{phases:?}"
    );
    assert_eq!(
        store.schema_version().unwrap(),
        accoglienza::store::tables::SCHEMA_VERSION
    );
    let counts = accoglienza::stats::annual_counts(&store.read().unwrap()).unwrap();
    for (code, want) in SEED_2022 {
        assert_eq!(
            counts.count(counts.line(code).unwrap(), 2022),
            want,
            "{code}"
        );
    }
    let r = store.read().unwrap();
    assert_eq!(r.count::<Person>().unwrap(), 5082);
    assert_eq!(r.count::<Contact>().unwrap(), 10766);
    // The indexes answer as before: a person by name, by codice fiscale, their contacts.
    let someone = r
        .all::<Person>()
        .unwrap()
        .into_iter()
        .find(|p| p.codice_fiscale.is_some())
        .unwrap();
    assert!(
        r.search_people(&someone.surname, 10_000)
            .unwrap()
            .iter()
            .any(|p| p.id == someone.id)
    );
    let cf = someone.codice_fiscale.clone().unwrap();
    assert_eq!(r.people_by_cf(&cf).unwrap()[0].id, someone.id);
    let theirs = r.by_subject::<Contact>(someone.id).unwrap();
    assert!(
        theirs
            .iter()
            .all(|c| c.subject == Subject::Person(someone.id))
    );
    // The settings of the old file came along (the restore that made the fixture noted its backup).
    drop(r);
    assert!(store.last_backup().unwrap().is_some());
    let report = store.check().unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    drop(store);
    // The old file is kept, still schema 1 with every record; the next open converts nothing.
    let copies = safety_copies(dir.path(), "prima-della-conversione");
    assert_eq!(copies.len(), 1);
    assert_eq!(
        std::fs::metadata(&copies[0]).unwrap().len(),
        old_bytes.len() as u64
    );
    {
        use redb::{ReadableDatabase, ReadableTableMetadata};
        let old = redb::Database::open(&copies[0]).unwrap();
        let r = old.begin_read().unwrap();
        let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
        let v = r
            .open_table(meta)
            .unwrap()
            .get("schema_version")
            .unwrap()
            .unwrap()
            .value()
            .to_vec();
        assert_eq!(v, 1u32.to_le_bytes());
        let contacts: redb::TableDefinition<u128, &[u8]> = redb::TableDefinition::new("contacts");
        assert_eq!(r.open_table(contacts).unwrap().len().unwrap(), 10766);
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.read().unwrap().count::<Contact>().unwrap(), 10766);
    assert_eq!(
        safety_copies(dir.path(), "prima-della-conversione").len(),
        1
    );
    assert!(safety_copies(dir.path(), "conversione-in-corso").is_empty());
}

#[test]
fn a_schema1_database_converts_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = schema1_database(dir.path());
    let o = Command::new(BIN)
        .args(["--db", db.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Nessun problema"));
    assert_eq!(
        safety_copies(dir.path(), "prima-della-conversione").len(),
        1
    );
}

#[test]
fn an_encrypted_backup_decrypts_with_the_age_cli() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let store = small_store(dir.path());
    let enc = dir.path().join("cifrato.accbak");
    let phrase = "passphrase per age";
    store
        .backup_to(
            &enc,
            &BackupOptions {
                passphrase: Some(pass(phrase)),
                ..Default::default()
            },
            &mut quiet(),
        )
        .unwrap();
    let plain = dir.path().join("decifrato.accbak");
    // age reads passphrases only from a terminal: give it one with script(1).
    let mut child = Command::new("script")
        .args(["-qec"])
        .arg(format!("age -d -o {} {}", plain.display(), enc.display()))
        .arg("/dev/null")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script (bsdutils) and age (Debian package `age`) are needed");
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    while !String::from_utf8_lossy(&seen).contains("passphrase") {
        match rx.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(b) => seen.extend(b),
            Err(_) => panic!(
                "age did not ask for the passphrase (is the `age` package installed?): {}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{phrase}\n").as_bytes()).unwrap();
    stdin.flush().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    let info = backup::verify(&plain, None, &mut quiet()).unwrap();
    assert!(!info.encrypted);
    assert_eq!(info.header.count("people"), 2);
}

// ------------------------------------------------------------------ random input

fn small_backup() -> &'static [u8] {
    static B: OnceLock<Vec<u8>> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        bytes_of(&small_store(dir.path()), &BackupOptions::default())
    })
}

mod random {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Edit {
        Flip(prop::sample::Index, u8),
        Cut(prop::sample::Index),
        Insert(prop::sample::Index, u8),
        Remove(prop::sample::Index),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<prop::sample::Index>(), 1..=255u8).prop_map(|(i, x)| Edit::Flip(i, x)),
            any::<prop::sample::Index>().prop_map(Edit::Cut),
            (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, x)| Edit::Insert(i, x)),
            any::<prop::sample::Index>().prop_map(Edit::Remove),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Random bytes, bare or behind a valid magic and version: refused, never a panic.
        #[test]
        fn random_bytes_are_refused(
            body in prop::collection::vec(any::<u8>(), 0..2048),
            prefix in 0..3u8,
        ) {
            let mut b = Vec::new();
            if prefix > 0 {
                b.extend_from_slice(&MAGIC);
                b.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
            }
            if prefix > 1 {
                b.extend_from_slice(&((body.len() as u32) / 2).to_le_bytes());
            }
            b.extend_from_slice(&body);
            prop_assert!(backup::verify_bytes(&b, None).is_err());
            prop_assert!(backup::verify_bytes(&b, Some(&pass("x"))).is_err());
        }

        /// A real backup with a few random edits: refused (unless the edits cancel out).
        #[test]
        fn mutated_backups_are_refused(edits in prop::collection::vec(edit(), 1..6)) {
            let good = small_backup();
            let mut b = good.to_vec();
            for e in edits {
                if b.is_empty() {
                    break;
                }
                match e {
                    Edit::Flip(i, x) => {
                        let i = i.index(b.len());
                        b[i] ^= x;
                    }
                    Edit::Cut(i) => b.truncate(i.index(b.len())),
                    Edit::Insert(i, x) => b.insert(i.index(b.len() + 1), x),
                    Edit::Remove(i) => {
                        b.remove(i.index(b.len()));
                    }
                }
            }
            prop_assume!(b != good);
            prop_assert!(backup::verify_bytes(&b, None).is_err());
        }

        /// Random bytes after an age header line: refused, never a panic.
        #[test]
        fn random_age_files_are_refused(body in prop::collection::vec(any::<u8>(), 0..512)) {
            let mut b = b"age-encryption.org/v1\n-> scrypt ".to_vec();
            b.extend_from_slice(&body);
            prop_assert!(backup::verify_bytes(&b, Some(&pass("x"))).is_err());
        }
    }
}

// ------------------------------------------------------------------ command line

fn run(args: &[&str]) -> (bool, String, String) {
    let o = Command::new(BIN)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn command_line_backup_verify_restore() {
    let (dir, db) = demo_copy();
    let d = |n: &str| dir.path().join(n).display().to_string();
    std::fs::write(d("pass.txt"), "una passphrase dal file\n").unwrap();
    std::fs::write(d("wrong.txt"), "un'altra\n").unwrap();
    let dbs = db.display().to_string();
    let (ok, out, err) = run(&[
        "--db",
        &dbs,
        "backup",
        "--out",
        &d("b.accbak"),
        "--passphrase-file",
        &d("pass.txt"),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Backup completato") && out.contains("cifrato con passphrase"));
    let (ok, out, err) = run(&[
        "verify",
        &d("b.accbak"),
        "--passphrase-file",
        &d("pass.txt"),
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Backup integro") && out.contains("persone"),
        "{out}"
    );
    // No terminal and no file: a clear message, not a hang.
    let (ok, _, err) = run(&["verify", &d("b.accbak")]);
    assert!(!ok && err.contains("--passphrase-file"), "{err}");
    // The passphrase is never an argument.
    let (ok, _, _) = run(&["verify", &d("b.accbak"), "--passphrase", "x"]);
    assert!(!ok);

    // Restore into another database: a wrong passphrase leaves it byte-identical.
    let live = d("live.redb");
    drop(Store::open(&live).unwrap());
    let before = std::fs::read(&live).unwrap();
    let (ok, _, err) = run(&[
        "--db",
        &live,
        "restore",
        "--yes",
        "--from",
        &d("b.accbak"),
        "--passphrase-file",
        &d("wrong.txt"),
    ]);
    assert!(!ok && err.contains("Passphrase errata"), "{err}");
    assert!(std::fs::read(&live).unwrap() == before, "live file changed");
    // Without --yes and without a terminal nothing happens.
    let (ok, _, err) = run(&[
        "--db",
        &live,
        "restore",
        "--from",
        &d("b.accbak"),
        "--passphrase-file",
        &d("pass.txt"),
    ]);
    assert!(!ok && err.contains("--yes"), "{err}");
    assert_eq!(
        Store::open(&live)
            .unwrap()
            .read()
            .unwrap()
            .count::<Person>()
            .unwrap(),
        0
    );
    let (ok, out, err) = run(&[
        "--db",
        &live,
        "restore",
        "--yes",
        "--from",
        &d("b.accbak"),
        "--passphrase-file",
        &d("pass.txt"),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Ripristino completato"), "{out}");
    let safety = out
        .lines()
        .find_map(|l| l.strip_prefix("Il database sostituito è conservato in "))
        .expect("safety copy path");
    assert!(Path::new(safety).exists());
    let restored = Store::open(&live).unwrap();
    assert_same_data(&Store::open(&db).unwrap(), &restored);
    drop(restored);
    let (ok, out, err) = run(&["--db", &live, "check"]);
    assert!(ok && out.contains("Nessun problema"), "{out}{err}");
}

// ------------------------------------------------------------------ automatic backups

#[test]
fn automatic_backup_once_a_day_keeping_the_last_n() {
    use backup::{AutoBackupSettings, AutoWhen};
    let dir = tempfile::tempdir().unwrap();
    let store = small_store(dir.path());
    let folder = dir.path().join("automatici");
    std::fs::create_dir(&folder).unwrap();
    let today = chrono::Local::now().date_naive();
    assert!(
        backup::auto_backup_due(&store, AutoWhen::AtStart, today)
            .unwrap()
            .is_none()
    );
    let settings = AutoBackupSettings {
        enabled: true,
        folder: Some(folder.clone()),
        keep: 2,
        when: AutoWhen::AtStart,
    };
    store.set_auto_backup_settings(&settings).unwrap();
    assert_eq!(store.auto_backup_settings().unwrap(), settings);
    assert!(
        backup::auto_backup_due(&store, AutoWhen::AtExit, today)
            .unwrap()
            .is_none()
    );
    let due = backup::auto_backup_due(&store, AutoWhen::AtStart, today)
        .unwrap()
        .unwrap();
    let prefix = backup::auto_prefix(&store, "sede").unwrap();
    for day in 1..=3 {
        std::fs::write(folder.join(format!("{prefix}2020-01-0{day}.accbak")), b"x").unwrap();
    }
    std::fs::write(folder.join("altro.accbak"), b"x").unwrap();
    let info = backup::run_auto_backup(&store, &due, None, &mut quiet()).unwrap();
    assert!(backup::verify(&info.path, None, &mut quiet()).is_ok());
    let mut left = files_in(&folder);
    left.sort();
    assert_eq!(
        left,
        vec![
            format!("{prefix}2020-01-03.accbak"),
            info.path.file_name().unwrap().to_string_lossy().to_string(),
            "altro.accbak".to_string(),
        ]
    );
    // Done for today; noted as the last backup, so no reminder.
    assert!(
        backup::auto_backup_due(&store, AutoWhen::AtStart, today)
            .unwrap()
            .is_none()
    );
    let last = store.last_backup().unwrap().unwrap();
    assert!(last.automatic);
    assert_eq!(last.path, info.path);
    assert!(backup::reminder_due(Some(&last), chrono::Local::now().fixed_offset()).is_none());
}

// ------------------------------------------------------------------ the window

mod window {
    use super::*;
    use accoglienza::ui::Env;
    use accoglienza::ui::backup::BackupPanel;
    use accoglienza::ui::file_picker::{PickKind, ScriptedPicker};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    struct State {
        panel: BackupPanel,
        env: Env,
    }

    fn env(store: Store, picker: Arc<ScriptedPicker>) -> Env {
        let desk = store.read().unwrap().all::<Desk>().unwrap()[0].id;
        let mut env = Env::new(Arc::new(store), picker);
        env.desk = desk;
        env
    }

    fn harness(env: Env) -> Harness<'static, State> {
        let mut panel = BackupPanel::default();
        panel.work_factor = 10;
        Harness::builder()
            .with_size(egui::vec2(1000.0, 1400.0))
            .build_ui_state(
                |ui, s: &mut State| s.panel.ui(ui, &mut s.env),
                State { panel, env },
            )
    }

    fn type_into(h: &mut Harness<'_, State>, label: &str, text: &str) {
        h.get_by_label(label).focus();
        h.run();
        h.get_by_label(label).type_text(text);
        h.run();
    }

    /// Steps the window until a text containing `what` shows (background jobs included).
    fn wait_for(h: &mut Harness<'_, State>, what: &str) {
        let start = std::time::Instant::now();
        loop {
            h.step();
            if h.query_by_label_contains(what).is_some() {
                h.run();
                return;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(180),
                "«{what}» never appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    #[test]
    fn backup_and_verify_through_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("scelto.accbak");
        let picker = Arc::new(ScriptedPicker::new([Some(out.clone()), Some(out.clone())]));
        let mut h = harness(env(small_store(dir.path()), picker.clone()));
        h.run();
        h.get_by_label_contains("mai stato fatto un backup");
        h.get_by_label("Esegui backup…").click();
        wait_for(&mut h, "Passphrase facoltativa");
        let req = &picker.requests()[0];
        assert_eq!(req.kind, PickKind::Save);
        let name = req.file_name.clone().unwrap();
        assert!(
            name.starts_with("accoglienza-") && name.ends_with(".accbak"),
            "{name}"
        );
        // Two different passphrases are refused inline.
        type_into(&mut h, "Passphrase", "passphrase lunga");
        type_into(&mut h, "Ripeti la passphrase", "passphrase lungA");
        h.run();
        h.get_by_label("Avvia il backup").click();
        wait_for(&mut h, "non coincidono");
        assert!(!out.exists());
        // Retype the second entry: select all, type over it.
        h.get_by_label("Ripeti la passphrase").focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run();
        h.get_by_label("Ripeti la passphrase")
            .type_text("passphrase lunga");
        h.run();
        h.get_by_label("Avvia il backup").click();
        wait_for(&mut h, "Backup completato.");
        h.get_by_label_contains("Cifrato con passphrase");
        h.get_by_label_contains("Persone 2");
        assert!(
            backup::verify(&out, Some(&pass("passphrase lunga")), &mut quiet()).is_ok(),
            "the file opens with the passphrase typed"
        );
        // The reminder is gone, the last backup is shown.
        assert!(h.query_by_label_contains("mai stato fatto").is_none());
        h.get_by_label_contains("Ultimo backup:");

        h.get_by_label("Verifica backup…").click();
        wait_for(&mut h, "Il backup è cifrato");
        type_into(&mut h, "Passphrase", "passphrase lunga");
        h.run();
        h.get_by_label("Apri").click();
        wait_for(&mut h, "Backup integro");
        assert_eq!(picker.requests()[1].kind, PickKind::Open);
    }

    #[test]
    fn restore_through_the_window_with_preview_and_a_corrupted_file_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = small_store(dir.path());
        let good = dir.path().join("buono.accbak");
        store
            .backup_to(&good, &BackupOptions::default(), &mut quiet())
            .unwrap();
        store
            .insert(
                Id::NIL,
                Person {
                    surname: "Verdi".into(),
                    name: "Dopo".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let mut bytes = std::fs::read(&good).unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x20;
        let bad = dir.path().join("rovinato.accbak");
        std::fs::write(&bad, bytes).unwrap();
        let live = store.path().to_path_buf();
        let picker = Arc::new(ScriptedPicker::new([Some(bad), Some(good)]));
        let mut h = harness(env(store, picker));
        h.run();

        let before = std::fs::read(&live).unwrap();
        h.get_by_label("Ripristina…").click();
        wait_for(&mut h, "Operazione non eseguita");
        h.get_by_label_contains("danneggiato");
        assert!(h.query_by_label("Ripristina ora").is_none(), "no preview");
        assert!(std::fs::read(&live).unwrap() == before, "live file changed");

        h.get_by_label("Ripristina…").click();
        wait_for(&mut h, "Contenuto del backup");
        h.get_by_label("Nel backup");
        h.get_by_label("Database attuale");
        h.get_by_label("Persone");
        assert!(h.query_all_by_label("3").count() >= 1);
        // Nothing happens before the explicit confirmation.
        h.get_by_label("Ripristina ora").click();
        h.run();
        assert!(std::fs::read(&live).unwrap() == before, "live file changed");
        h.get_by_label_contains("Ho capito").click();
        h.run();
        h.get_by_label("Ripristina ora").click();
        wait_for(&mut h, "Ripristino completato.");
        h.get_by_label_contains("Il database sostituito è conservato in");
        h.get_by_label_contains(".prima-del-ripristino-");
        let safety: Vec<_> = files_in(dir.path())
            .into_iter()
            .filter(|f| f.contains(".prima-del-ripristino-"))
            .collect();
        assert_eq!(safety.len(), 1, "one safety copy");
        let safety_path = dir.path().join(&safety[0]);
        let state = h.state_mut();
        assert!(state.panel.take_replaced());
        let r = state.env.store.read().unwrap();
        assert_eq!(r.count::<Person>().unwrap(), 2);
        assert_eq!(state.env.store.path(), live);
        drop(r);
        // The safety copy is the replaced database, with the person added after the backup.
        let safety = Store::open(&safety_path).unwrap();
        assert_eq!(safety.read().unwrap().count::<Person>().unwrap(), 3);
    }
}

/// Rebuilds a plain backup after `edit` changes its tables (name → records).
fn rewrite(good: &[u8], edit: impl FnOnce(&mut Vec<(String, Vec<(u128, Vec<u8>)>)>)) -> Vec<u8> {
    use std::io::Read;
    let h = header_range(good);
    let mut header: serde_json::Value = serde_json::from_slice(&good[h.clone()]).unwrap();
    let mut body = Vec::new();
    zstd::stream::read::Decoder::new(&good[h.end..good.len() - 32])
        .unwrap()
        .read_to_end(&mut body)
        .unwrap();
    let mut tables = Vec::new();
    let mut at = 0;
    for t in header["tables"].as_array().unwrap() {
        let mut records = Vec::new();
        for _ in 0..t["count"].as_u64().unwrap() {
            let key = u128::from_be_bytes(body[at..at + 16].try_into().unwrap());
            let len = u32::from_le_bytes(body[at + 16..at + 20].try_into().unwrap()) as usize;
            records.push((key, body[at + 20..at + 20 + len].to_vec()));
            at += 20 + len;
        }
        tables.push((t["name"].as_str().unwrap().to_string(), records));
    }
    edit(&mut tables);
    let mut body = Vec::new();
    for (_, records) in &tables {
        for (k, v) in records {
            body.extend_from_slice(&k.to_be_bytes());
            body.extend_from_slice(&(v.len() as u32).to_le_bytes());
            body.extend_from_slice(v);
        }
    }
    header["tables"] = tables
        .iter()
        .map(|(n, r)| serde_json::json!({"name": n, "count": r.len()}))
        .collect();
    let json = serde_json::to_vec(&header).unwrap();
    let mut out = good[..10].to_vec();
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&zstd::encode_all(body.as_slice(), 3).unwrap());
    out.extend_from_slice(&[0; 32]);
    reseal(out)
}

#[test]
fn a_backup_with_a_dangling_reference_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let live = small_store(dir.path());
    let good = bytes_of(&live, &BackupOptions::default());
    // The same file rewritten unchanged restores (the rewriting is faithful)…
    let same = dir.path().join("uguale.accbak");
    std::fs::write(&same, rewrite(&good, |_| {})).unwrap();
    backup::restore_to_new_file(&live, &same, None, Id::NIL, &mut quiet()).unwrap();
    // …without the household its people belong to, it is refused.
    let bad = dir.path().join("senza-nucleo.accbak");
    std::fs::write(
        &bad,
        rewrite(&good, |tables| {
            for (name, records) in tables.iter_mut() {
                if name == "households" {
                    records.clear();
                }
            }
        }),
    )
    .unwrap();
    assert!(
        backup::verify(&bad, None, &mut quiet()).is_ok(),
        "intact file"
    );
    let before = std::fs::read(live.path()).unwrap();
    let e = backup::restore_to_new_file(&live, &bad, None, Id::NIL, &mut quiet()).unwrap_err();
    assert!(matches!(e, BackupError::CheckFailed(_)), "{e:?}");
    assert!(
        e.to_string().contains("nucleo familiare inesistente"),
        "{e}"
    );
    assert!(std::fs::read(live.path()).unwrap() == before);
    assert!(
        !files_in(dir.path())
            .iter()
            .any(|f| f.contains("ripristino"))
    );
}

#[test]
fn published_figures_survive_backup_and_restore() {
    let (dir, live) = demo_copy();
    let store = Store::open(&live).unwrap();
    let op = store.read().unwrap().all::<Operator>().unwrap()[0].id;
    let frozen =
        accoglienza::stats::published::freeze(&store.read().unwrap(), 2022, "bilancio sociale")
            .unwrap();
    store.publish(op, frozen.clone(), false).unwrap();
    let out = dir.path().join("pub.accbak");
    let header = store
        .backup_to(&out, &BackupOptions::default(), &mut quiet())
        .unwrap()
        .header;
    assert_eq!(header.count("published"), 1);
    // A database with other figures is replaced by the backup's.
    let mut slot = Arc::new(store);
    let restored = backup::restore_to_new_file(&slot, &out, None, Id::NIL, &mut quiet()).unwrap();
    backup::swap_in(&mut slot, restored).unwrap();
    let r = slot.read().unwrap();
    assert_eq!(r.published_years().unwrap(), vec![2022]);
    let back = r.published(2022).unwrap().unwrap();
    assert_eq!(
        back,
        Published {
            operator: op,
            ..frozen
        }
    );
    assert_eq!(
        back.lines.iter().find(|l| l.code == "wemi").unwrap().count,
        640
    );
}
