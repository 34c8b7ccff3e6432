//! Never destroy what the user has (issue 16, and issue 8's point 7): outputs that would
//! replace the database, a mistyped `--db`, a scheduled backup of the wrong database, a
//! clock that jumped, records over 16 MiB, restores that must really check, automatic
//! backups sharing a folder, a disk that fills up during a restore. Through the built
//! binary, the store API and (module `window`) the real App under egui_kittest.

use accoglienza::domain::time::Clock;
use accoglienza::domain::*;
use accoglienza::store::backup::{self, BackupError, BackupOptions};
use accoglienza::store::published::{Published, PublishedLine, PublishedRecord, PublishedUnit};
use accoglienza::store::{OpenOptions, Store};
use chrono::{Datelike, NaiveDate};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const BIN: &str = env!("CARGO_BIN_EXE_accoglienza");

fn quiet() -> impl FnMut(&str, u64, u64) {
    |_: &str, _: u64, _: u64| {}
}

/// Runs the binary in `cwd` with `args`; (success, stdout, stderr).
fn run_in(cwd: &Path, args: &[&str]) -> (bool, String, String) {
    let o = Command::new(BIN)
        .current_dir(cwd)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A closed cooperative demo database, made once per test run.
fn demo_template() -> &'static Path {
    static T: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &T.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.redb");
        let store = Store::open(&path).unwrap();
        accoglienza::demo::generate(
            &store,
            accoglienza::demo::Scale::Cooperative,
            2022,
            &mut quiet(),
        )
        .unwrap();
        (dir, path)
    })
    .1
}

/// A copy of the demo database, `c.redb` in its own folder.
fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.redb");
    std::fs::copy(demo_template(), &path).unwrap();
    (dir, path)
}

/// A plain backup of the demo database, `dir/name` (made from a copy: the template is
/// never opened, so tests copying it at the same time always copy a closed file).
fn demo_backup_into(dir: &Path, name: &str) -> PathBuf {
    let b = dir.join(name);
    let (_copy_dir, copy) = demo_copy();
    Store::open(&copy)
        .unwrap()
        .backup_to(&b, &BackupOptions::default(), &mut quiet())
        .unwrap();
    b
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn at(day: NaiveDate) -> OpenOptions {
    OpenOptions {
        clock: Clock::at_day(day),
        ..OpenOptions::default()
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn this_year() -> i32 {
    chrono::Local::now().year()
}

// ------------------------------------------------------------------ 1. outputs

/// Every writer of the command line, with `out` as its output file.
fn writers(out: &str) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        v(&["export", "--table", "households", "--out", out]),
        v(&["report", "--year", "2022", "--format", "md", "--out", out]),
        v(&["chart", "--year", "2022", "--out", out]),
        v(&["backup", "--out", out]),
    ]
}

#[cfg(unix)]
#[test]
fn no_output_replaces_the_database_however_it_is_named() {
    let (dir, db) = demo_copy();
    let before = std::fs::read(&db).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let link = dir.path().join("collegamento.csv");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let hard = dir.path().join("sub/copia.redb");
    std::fs::hard_link(&db, &hard).unwrap();
    // The same file by its path, relative, through `..`, a symlink and a hard link.
    let targets = [
        s(&db).to_string(),
        "c.redb".to_string(),
        "sub/../c.redb".to_string(),
        s(&link).to_string(),
        s(&hard).to_string(),
    ];
    for target in &targets {
        for args in writers(target) {
            let mut all = vec!["--db".to_string(), "c.redb".to_string()];
            all.extend(args.iter().cloned());
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            let (ok, _, err) = run_in(dir.path(), &all);
            assert!(!ok, "{args:?} onto {target} was accepted");
            assert!(err.contains("è il database stesso"), "{args:?}: {err}");
            assert!(err.contains("non è stato scritto nulla"), "{err}");
            assert!(
                std::fs::read(&db).unwrap() == before,
                "{args:?}: database changed"
            );
        }
    }
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    // A folder is not a file.
    for args in writers("sub") {
        let mut all = vec!["--db", "c.redb"];
        all.extend(args.iter().map(String::as_str));
        let (ok, _, err) = run_in(dir.path(), &all);
        assert!(!ok && err.contains("è una cartella"), "{args:?}: {err}");
    }
    // Nothing was left beside them.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["c.redb", "collegamento.csv", "sub"]);
}

/// Backs the database up into `dir/b.accbak` and restores it from there with the binary;
/// the restore's output (it names the safety copy).
fn backup_and_restore(dir: &Path, db: &Path) -> String {
    let b = dir.join("b.accbak");
    let (ok, _, err) = run_in(dir, &["--db", s(db), "backup", "--out", s(&b)]);
    assert!(ok, "{err}");
    let (ok, out, err) = run_in(dir, &["--db", s(db), "restore", "--yes", "--from", s(&b)]);
    assert!(ok, "{err}");
    out
}

#[test]
fn no_output_replaces_a_safety_copy_of_the_database() {
    let (dir, db) = demo_copy();
    let out = backup_and_restore(dir.path(), &db);
    let copy = out
        .lines()
        .find_map(|l| l.strip_prefix("Il database sostituito è conservato in "))
        .expect("safety copy")
        .to_string();
    let before = std::fs::read(&copy).unwrap();
    for args in writers(&copy) {
        let mut all = vec!["--db", s(&db)];
        all.extend(args.iter().map(String::as_str));
        let (ok, _, err) = run_in(dir.path(), &all);
        assert!(!ok, "{args:?}");
        assert!(err.contains("copia di sicurezza"), "{err}");
        assert!(std::fs::read(&copy).unwrap() == before);
    }
}

#[test]
fn the_store_refuses_a_backup_onto_itself() {
    let (dir, db) = demo_copy();
    let store = Store::open(&db).unwrap();
    let e = store
        .backup_to(
            &dir.path().join("./c.redb"),
            &BackupOptions::default(),
            &mut quiet(),
        )
        .unwrap_err();
    assert!(matches!(e, BackupError::Refused(_)), "{e:?}");
    drop(store);
    // The database still opens with every record.
    let store = Store::open(&db).unwrap();
    assert!(store.read().unwrap().count::<Person>().unwrap() > 1000);
}

// ------------------------------------------------------------------ issue 8 (7)

#[test]
fn a_missing_database_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nessuna/cartella/x.redb");
    let b = dir.path().join("b.accbak");
    let (_copy_dir, copy) = demo_copy();
    let (ok, _, err) = run_in(dir.path(), &["--db", s(&copy), "backup", "--out", s(&b)]);
    assert!(ok, "{err}");
    let good = std::fs::read(&b).unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["stats"],
        vec!["stats", "--year", "2022"],
        vec!["backup", "--out", s(&b)],
        vec!["export", "--table", "people"],
        vec!["export", "--table", "people", "--out", "p.csv"],
        vec!["report", "--year", "2022", "--out", "r.md"],
        vec!["chart", "--year", "2022", "--out", "c.png"],
        vec!["check"],
        vec!["check", "--repair"],
        vec!["restore", "--yes", "--from", s(&b)],
        vec!["write-probe", "--count", "1"],
    ];
    let empty = dir.path().join("vuoto.redb");
    std::fs::write(&empty, b"").unwrap();
    for db in [&missing, &empty] {
        for c in &commands {
            let mut args = vec!["--db", s(db)];
            args.extend(c);
            let (ok, out, err) = run_in(dir.path(), &args);
            assert!(!ok, "{c:?} on {db:?} succeeded: {out}");
            assert!(
                err.contains(s(db)),
                "{c:?}: the message names the path: {err}"
            );
            assert!(err.contains("non esiste"), "{c:?}: {err}");
        }
    }
    assert!(!dir.path().join("nessuna").exists(), "a folder was created");
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["b.accbak", "vuoto.redb"]);
    assert!(
        std::fs::read(&b).unwrap() == good,
        "the good backup was replaced"
    );
}

#[cfg(unix)]
#[test]
fn a_new_database_and_its_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nuova/cartella/d.redb");
    // Created as the window and `demo` create it.
    drop(Store::open(&db).unwrap());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&db), 0o600, "database file");
    assert_eq!(mode(&dir.path().join("nuova/cartella")), 0o700);
    assert_eq!(mode(&dir.path().join("nuova")), 0o700);
    // A restored database replaces it with the same protection.
    backup_and_restore(dir.path(), &db);
    assert_eq!(mode(&db), 0o600, "restored database file");
}

// ------------------------------------------------------------------ 2. nightly backups

#[test]
fn a_backup_of_the_wrong_database_never_replaces_a_larger_one() {
    let (dir, db) = demo_copy();
    let b = dir.path().join("notte.accbak");
    let (ok, out, err) = run_in(dir.path(), &["--db", s(&db), "backup", "--out", s(&b)]);
    assert!(ok, "{err}");
    assert!(out.contains("verificato"), "{out}");
    let good = std::fs::read(&b).unwrap();
    // Another, nearly empty database scheduled onto the same file.
    let other = dir.path().join("altro.redb");
    drop(Store::open(&other).unwrap());
    let (ok, _, err) = run_in(dir.path(), &["--db", s(&other), "backup", "--out", s(&b)]);
    assert!(!ok);
    assert!(err.contains("--replace-larger"), "{err}");
    assert!(err.contains("non è stato toccato"), "{err}");
    assert!(
        std::fs::read(&b).unwrap() == good,
        "the good backup was replaced"
    );
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".part")
        })
        .count();
    assert_eq!(leftovers, 0);
    // The same database again: a backup with as many records or more replaces it.
    let (ok, _, err) = run_in(dir.path(), &["--db", s(&db), "backup", "--out", s(&b)]);
    assert!(ok, "{err}");
    // Asked for explicitly: replaced.
    let (ok, _, err) = run_in(
        dir.path(),
        &[
            "--db",
            s(&other),
            "backup",
            "--out",
            s(&b),
            "--replace-larger",
        ],
    );
    assert!(ok, "{err}");
    let info = backup::verify(&b, None, &mut quiet()).unwrap();
    assert_eq!(info.header.count("people"), 0);
}

#[test]
fn an_encrypted_backup_is_compared_too() {
    let (dir, db) = demo_copy();
    let store = Store::open(&db).unwrap();
    let b = dir.path().join("cifrato.accbak");
    let enc = |p: &str| BackupOptions {
        passphrase: Some(backup::SecretString::from(p.to_string())),
        work_factor: 8,
        ..BackupOptions::default()
    };
    store
        .backup_to(&b, &enc("prima passphrase"), &mut quiet())
        .unwrap();
    let good = std::fs::read(&b).unwrap();
    let small = Store::open(dir.path().join("piccolo.redb")).unwrap();
    // Same passphrase: its header is read and compared.
    let e = small
        .backup_to(&b, &enc("prima passphrase"), &mut quiet())
        .unwrap_err();
    assert!(
        matches!(&e, BackupError::WouldReplaceLarger { existing, .. } if existing.records.is_some()),
        "{e:?}"
    );
    // Another passphrase (or none): judged by its size.
    let e = small
        .backup_to(&b, &BackupOptions::default(), &mut quiet())
        .unwrap_err();
    assert!(
        matches!(&e, BackupError::WouldReplaceLarger { existing, .. } if existing.records.is_none()),
        "{e:?}"
    );
    assert!(std::fs::read(&b).unwrap() == good);
}

// ------------------------------------------------------------------ 3. the clock

fn case_open_in(store: &Store, year: i32) -> Id {
    let r = store.read().unwrap();
    let line = r.active::<ServiceLine>().unwrap()[0].id;
    drop(r);
    let op = store
        .insert(
            Id::NIL,
            Operator {
                surname: "Bianchi".into(),
                name: "Anna".into(),
                role: store.read().unwrap().active::<Role>().unwrap()[0].id,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    let p = store
        .insert(
            op,
            Person {
                surname: "Verdi".into(),
                name: "Luca".into(),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .insert(
            op,
            Case {
                id: Id::NIL,
                subject: Subject::Person(p),
                line,
                opened: day(year, 2, 1),
                closed: None,
                status: CaseStatus::Aperta,
                referente: Some(op),
                team: vec![],
                need: String::new(),
                plan: vec![],
                outcome: String::new(),
                archived: false,
            },
        )
        .unwrap();
    line
}

fn years_counted(store: &Store, line: Id) -> Vec<i32> {
    let mut y: Vec<i32> = store
        .read()
        .unwrap()
        .totals()
        .unwrap()
        .into_iter()
        .filter(|(l, _, _, n)| *l == line && *n > 0)
        .map(|(_, y, _, _)| y)
        .collect();
    y.dedup();
    y
}

#[test]
fn a_clock_years_ahead_does_not_move_the_counts_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.redb");
    let store = Store::open_with(&p, at(day(2024, 6, 1))).unwrap();
    let line = case_open_in(&store, 2024);
    assert_eq!(years_counted(&store, line), [2024]);
    drop(store);
    // New year: counted at open.
    let store = Store::open_with(&p, at(day(2025, 1, 2))).unwrap();
    assert_eq!(years_counted(&store, line), [2024, 2025]);
    drop(store);
    // The BIOS says 2031: no phantom years without a confirmation.
    let store = Store::open_with(&p, at(day(2031, 1, 2))).unwrap();
    assert_eq!(store.through_year().unwrap(), 2025);
    assert_eq!(years_counted(&store, line), [2024, 2025]);
    assert!(store.year_jump().unwrap().is_some());
    // … and if someone confirmed it, the clock is later put right: `check` says so and the
    // repair brings the counted year back, with the counts.
    store.confirm_year(2031).unwrap();
    assert_eq!(years_counted(&store, line).len(), 8);
    drop(store);
    let mut store = Store::open_with(&p, at(day(2025, 3, 1))).unwrap();
    let rep = store.check().unwrap();
    assert!(
        rep.problems
            .iter()
            .any(|p| p.contains("anno di conteggio (2031)")),
        "{:?}",
        rep.problems
    );
    assert_eq!(
        store.bring_back_counting_year().unwrap(),
        Some((2031, 2025))
    );
    assert_eq!(years_counted(&store, line), [2024, 2025]);
    assert!(store.check().unwrap().ok());
}

#[test]
fn backups_dated_in_the_future_do_not_stop_the_automatic_backup_or_the_reminder() {
    use backup::{AutoBackupSettings, AutoWhen};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.redb");
    let folder = dir.path().join("automatici");
    std::fs::create_dir(&folder).unwrap();
    let ahead = day(2031, 5, 5);
    let store = Store::open_with(&p, at(ahead)).unwrap();
    case_open_in(&store, 2031);
    let settings = AutoBackupSettings {
        enabled: true,
        folder: Some(folder.clone()),
        keep: 7,
        when: AutoWhen::AtStart,
    };
    store.set_auto_backup_settings(&settings).unwrap();
    backup::run_auto_backup(&store, &settings, None, &mut quiet()).unwrap();
    drop(store);
    // The clock is put right.
    let today = day(2026, 5, 5);
    let store = Store::open_with(&p, at(today)).unwrap();
    assert!(
        backup::auto_backup_due(&store, AutoWhen::AtStart, today)
            .unwrap()
            .is_some(),
        "the automatic backup waits for 2031"
    );
    let last = store.last_backup().unwrap();
    assert_eq!(
        backup::reminder_due(last.as_ref(), store.clock().now_with_offset()),
        Some(None),
        "a last backup in the future is unknown: back up now"
    );
    let info = backup::run_auto_backup(&store, &settings, None, &mut quiet()).unwrap();
    assert!(info.path.to_string_lossy().contains("2026-05-05"));
    assert!(
        backup::auto_backup_due(&store, AutoWhen::AtStart, today)
            .unwrap()
            .is_none()
    );
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 2);
}

#[test]
fn check_repair_brings_the_counted_year_back_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.redb");
    let ahead = this_year() + 3;
    let store = Store::open_with(&p, at(day(ahead, 1, 10))).unwrap();
    case_open_in(&store, this_year() - 1);
    drop(store);
    let (ok, out, _) = run_in(dir.path(), &["--db", s(&p), "check"]);
    assert!(!ok);
    assert!(
        out.contains(&format!("anno di conteggio ({ahead})")),
        "{out}"
    );
    let (ok, out, err) = run_in(dir.path(), &["--db", s(&p), "check", "--repair"]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains(&format!(
            "Anno di conteggio riportato dal {ahead} al {}",
            this_year()
        )),
        "{out}"
    );
    assert!(out.contains("Nessun problema trovato"), "{out}");
    assert_eq!(
        Store::open(&p).unwrap().through_year().unwrap(),
        this_year()
    );
}

#[test]
fn a_year_jump_is_confirmed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.redb");
    let old = this_year() - 3;
    let store = Store::open_with(&p, at(day(old, 6, 1))).unwrap();
    let line = case_open_in(&store, old);
    drop(store);
    let (ok, _, err) = run_in(dir.path(), &["--db", s(&p), "stats"]);
    assert!(ok);
    assert!(err.contains("--confirm-year"), "{err}");
    let y = this_year().to_string();
    let (ok, out, err) = run_in(dir.path(), &["--db", s(&p), "check", "--confirm-year", &y]);
    assert!(ok, "{out}{err}");
    let store = Store::open(&p).unwrap();
    assert_eq!(store.through_year().unwrap(), this_year());
    assert_eq!(years_counted(&store, line).len(), 4);
}

// ------------------------------------------------------------------ 4. big records

/// A year's published figures whose record is over `mib` MiB, through the real API: a
/// thousand units, and a line name as long as it takes (names are copied from the
/// catalogue at publication and not bounded there), so the test stays fast.
fn publish_big(store: &Store, year: i32, mib: usize) -> Published {
    let n = 1000u128;
    let line = store.read().unwrap().active::<ServiceLine>().unwrap()[0].clone();
    let units: Vec<PublishedUnit> = (0..n)
        .map(|i| PublishedUnit {
            key: Id::from_parts(1_700_000_000_000 + i as u64, i * 7919 + 1),
            records: vec![PublishedRecord {
                date: day(year, 3, 1),
                kind: EntityKind::Contact,
                id: Id::from_parts(1_700_000_000_000, i * 104_729 + 3),
            }],
        })
        .collect();
    let published = Published {
        id: Id::NIL,
        year,
        at: day(year + 1, 1, 10).and_hms_opt(9, 0, 0).unwrap(),
        operator: Id::NIL,
        note: "bilancio".into(),
        lines: vec![PublishedLine {
            line: line.id,
            code: line.code.clone(),
            name: format!("{} {}", line.name, "à".repeat(mib << 19)),
            unit: line.unit,
            count: n as u64,
            units,
        }],
    };
    store.publish(Id::NIL, published, false).unwrap();
    store.read().unwrap().published(year).unwrap().unwrap()
}

#[test]
fn a_backup_with_a_20_mib_record_is_verified_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("grande.redb")).unwrap();
    let published = publish_big(&store, 2024, 20);
    let encoded = accoglienza::store::codec::encode(&published).len();
    assert!(encoded > 20 << 20, "{encoded} bytes");
    let b = dir.path().join("grande.accbak");
    let info = store
        .backup_to(&b, &BackupOptions::default(), &mut quiet())
        .unwrap();
    let bytes = std::fs::read(&b).unwrap();
    assert_eq!(
        &bytes[8..10],
        &2u16.to_le_bytes(),
        "format 2 for big records"
    );
    assert_eq!(
        backup::verify(&b, None, &mut quiet()).unwrap().header,
        info.header
    );
    // A live database elsewhere gets it back whole.
    let live = Store::open(dir.path().join("live.redb")).unwrap();
    let restored = backup::restore_to_new_file(&live, &b, None, Id::NIL, &mut quiet()).unwrap();
    let mut slot = std::sync::Arc::new(live);
    backup::swap_in(&mut slot, restored).unwrap();
    assert_eq!(
        slot.read().unwrap().published(2024).unwrap().unwrap(),
        published
    );
    // A backup without big records stays format 1, readable by earlier versions.
    let small = Store::open(dir.path().join("piccolo.redb")).unwrap();
    let p = dir.path().join("piccolo.accbak");
    small
        .backup_to(&p, &BackupOptions::default(), &mut quiet())
        .unwrap();
    assert_eq!(&std::fs::read(&p).unwrap()[8..10], &1u16.to_le_bytes());
}

// ------------------------------------------------------------------ 5. restore checks

/// Decompresses a plain backup's body, lets `edit` change it and the header, and seals
/// the file again (a valid SHA-256): a backup that reads cleanly but is wrong inside.
fn rewrite_backup(
    bytes: &[u8],
    edit: impl FnOnce(&mut serde_json::Value, &mut Vec<u8>),
) -> Vec<u8> {
    use sha2::Digest;
    let len = u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[14..14 + len]).unwrap();
    let mut body = zstd::decode_all(&bytes[14 + len..bytes.len() - 32]).unwrap();
    edit(&mut header, &mut body);
    let json = serde_json::to_vec(&header).unwrap();
    let mut out = bytes[..10].to_vec();
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&zstd::encode_all(&body[..], 3).unwrap());
    let d = sha2::Sha256::digest(&out);
    out.extend_from_slice(&d[..]);
    out
}

#[test]
fn a_restore_compares_the_restored_tables_with_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("a.redb")).unwrap();
    for name in ["Mario", "Lucia", "Ada"] {
        store
            .insert(
                Id::NIL,
                Person {
                    surname: "Rossi".into(),
                    name: name.into(),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let good = store
        .write_backup(Vec::new(), &BackupOptions::default(), &mut quiet())
        .unwrap()
        .1;
    // The same person twice: the reader counts four records, the table can hold three.
    let bad = rewrite_backup(&good, |header, body| {
        let tables = header["tables"].as_array_mut().unwrap();
        let mut at = 0usize;
        for t in tables.iter_mut() {
            let count = t["count"].as_u64().unwrap();
            if t["name"] == "people" {
                let len = u32::from_le_bytes(body[at + 16..at + 20].try_into().unwrap()) as usize;
                let first = body[at..at + 20 + len].to_vec();
                body.splice(at..at, first);
                t["count"] = (count + 1).into();
                return;
            }
            for _ in 0..count {
                let len = u32::from_le_bytes(body[at + 16..at + 20].try_into().unwrap()) as usize;
                at += 20 + len;
            }
        }
        panic!("no people table");
    });
    let path = dir.path().join("doppio.accbak");
    std::fs::write(&path, &bad).unwrap();
    assert!(
        backup::verify(&path, None, &mut quiet()).is_ok(),
        "it reads cleanly"
    );
    let live = Store::open(dir.path().join("live.redb")).unwrap();
    let e = backup::restore_to_new_file(&live, &path, None, Id::NIL, &mut quiet()).unwrap_err();
    match &e {
        BackupError::CheckFailed(p) => assert!(
            p.iter()
                .any(|p| p.contains("3 record nel database ricostruito invece dei 4")),
            "{p:?}"
        ),
        other => panic!("{other:?}"),
    }
    // Nothing was left beside the live database.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("ripristino"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

// ------------------------------------------------------------------ 6. shared folders

#[test]
fn two_databases_with_the_same_desk_name_share_a_backup_folder() {
    use backup::{AutoBackupSettings, AutoWhen};
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("condivisa");
    std::fs::create_dir(&folder).unwrap();
    let settings = AutoBackupSettings {
        enabled: true,
        folder: Some(folder.clone()),
        keep: 1,
        when: AutoWhen::AtStart,
    };
    let open = |name: &str, d: NaiveDate| Store::open_with(dir.path().join(name), at(d)).unwrap();
    let a = open("a.redb", day(2026, 3, 2));
    case_open_in(&a, 2026);
    let a1 = backup::run_auto_backup(&a, &settings, None, &mut quiet()).unwrap();
    let b = open("b.redb", day(2026, 3, 2));
    let b1 = backup::run_auto_backup(&b, &settings, None, &mut quiet()).unwrap();
    assert_ne!(a1.path, b1.path, "the same name for two databases");
    assert_eq!(
        backup::verify(&a1.path, None, &mut quiet())
            .unwrap()
            .header
            .count("people"),
        1,
        "b overwrote a's backup"
    );
    drop(a);
    let a = open("a.redb", day(2026, 3, 3));
    let a2 = backup::run_auto_backup(&a, &settings, None, &mut quiet()).unwrap();
    // a keeps one of its own; b's is untouched.
    assert!(!a1.path.exists());
    assert!(a2.path.exists() && b1.path.exists());
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 2);
}

#[test]
fn a_restore_keeps_the_day_of_the_last_automatic_backup() {
    use backup::{AutoBackupSettings, AutoWhen};
    let dir = tempfile::tempdir().unwrap();
    let today = day(2026, 4, 20);
    let old = Store::open_with(dir.path().join("vecchio.redb"), at(today)).unwrap();
    let b = dir.path().join("vecchio.accbak");
    old.backup_to(&b, &BackupOptions::default(), &mut quiet())
        .unwrap();
    let live = Store::open_with(dir.path().join("live.redb"), at(today)).unwrap();
    case_open_in(&live, 2026);
    let settings = AutoBackupSettings {
        enabled: true,
        folder: Some(dir.path().join("auto")),
        keep: 7,
        when: AutoWhen::AtStart,
    };
    std::fs::create_dir(dir.path().join("auto")).unwrap();
    live.set_auto_backup_settings(&settings).unwrap();
    let morning = backup::run_auto_backup(&live, &settings, None, &mut quiet()).unwrap();
    let id = live.database_id().unwrap();
    let restored = backup::restore_to_new_file(&live, &b, None, Id::NIL, &mut quiet()).unwrap();
    let mut slot = std::sync::Arc::new(live);
    backup::swap_in(&mut slot, restored).unwrap();
    assert_eq!(
        slot.database_id().unwrap(),
        id,
        "the database keeps its identity"
    );
    assert!(
        backup::auto_backup_due(&slot, AutoWhen::AtStart, today)
            .unwrap()
            .is_none(),
        "today's automatic backup of the old data would be overwritten"
    );
    assert_eq!(
        backup::verify(&morning.path, None, &mut quiet())
            .unwrap()
            .header
            .count("people"),
        1
    );
}

// ------------------------------------------------------------------ 9. disk full

/// A restore into a folder that fills up: a 3 MB tmpfs in a private mount namespace
/// (needs root, as CI has), the live database inside, the demo backup restored into it.
#[test]
fn a_restore_that_fills_the_disk_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let b = demo_backup_into(dir.path(), "demo.accbak");
    // The live database: small, with one person (the demo backup is 7 MB once restored).
    let small = dir.path().join("prima.redb");
    let store = Store::open(&small).unwrap();
    case_open_in(&store, 2025);
    drop(store);
    let target = dir.path().join("disco");
    std::fs::create_dir(&target).unwrap();
    let t = target.display();
    let script = format!(
        "mount -t tmpfs -o size=3m none {t} || exit 99; \
         cp {t}/../prima.redb {t}/live.redb || echo 'copy failed'; \
         {BIN} --db {t}/live.redb restore --yes --from {b}; echo \"rc=$?\"; \
         {BIN} --db {t}/live.redb check | grep -E 'persona |Nessun problema'; \
         echo \"files: $(ls -A {t} | tr '\\n' ' ')\"",
        b = b.display()
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
    assert!(!stdout.contains("copy failed"), "{stdout}");
    assert!(stdout.contains("rc=1"), "{stdout}{stderr}");
    assert!(stderr.contains("Spazio esaurito"), "{stderr}");
    // The live database is the one it was: one person, sound.
    assert!(stdout.contains("Nessun problema trovato"), "{stdout}");
    let people = stdout
        .lines()
        .rfind(|l| l.trim_start().starts_with("persona "))
        .unwrap();
    assert_eq!(people.split_whitespace().nth(1), Some("1"), "{people}");
    assert!(stdout.contains("files: live.redb \n"), "{stdout}");
}

// ------------------------------------------------------------------ the window

mod window {
    use super::*;
    use accoglienza::ui::file_picker::ScriptedPicker;
    use accoglienza::ui::{AccoglienzaApp, Route};
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};
    use std::sync::Arc;

    type H = Harness<'static, AccoglienzaApp>;

    fn app(store: Arc<Store>, picker: Arc<ScriptedPicker>) -> H {
        let mut h = Harness::builder()
            .with_size([1400.0, 900.0])
            .with_max_steps(12)
            .build_eframe(move |_cc| AccoglienzaApp::new(store, picker));
        h.run();
        h
    }

    /// The real App over a copy of the demo, the first operator at the desk.
    fn demo_app(picker: Arc<ScriptedPicker>) -> (tempfile::TempDir, Arc<Store>, H) {
        let (dir, db) = demo_copy();
        let store = Arc::new(Store::open(&db).unwrap());
        let mut h = app(store.clone(), picker);
        sign_in_first(&mut h);
        (dir, store, h)
    }

    fn sign_in_first(h: &mut H) {
        let op = h
            .state()
            .env()
            .data
            .catalog
            .active_operators()
            .next()
            .expect("an operator")
            .id;
        // Its account (Amministratore and Coordinatore), made on first use.
        let store = h.state().env().store.clone();
        let (user, password) = ("prova", "la password delle prove");
        let exists = store
            .read()
            .unwrap()
            .all::<accoglienza::domain::Account>()
            .unwrap()
            .iter()
            .any(|a| a.username == user);
        if !exists {
            let roles = ["amministratore", "coordinatore"]
                .iter()
                .map(|c| store.access_role(c).unwrap().unwrap().id)
                .collect();
            store
                .create_account_unchecked(
                    &accoglienza::access::NewAccount {
                        username: user.into(),
                        operator: Some(op),
                        roles,
                        must_change: false,
                    },
                    password,
                    accoglienza::access::PasswordParams::FAST_FOR_TESTS,
                )
                .unwrap();
        }
        let session = accoglienza::access::sign_in(&store, user, password).unwrap();
        h.state_mut().sign_in(session);
        h.run();
    }

    fn has_text(h: &H, text: &str) -> bool {
        h.query_all_by_label_contains(text).next().is_some()
    }

    fn click_button(h: &mut H, label: &str) {
        h.get_by_role_and_label(Role::Button, label).click();
        h.run();
    }

    fn click_scrolled(h: &mut H, label: &str) {
        h.get_by_label(label).scroll_to_me();
        h.run();
        h.get_by_label(label).click();
        h.run();
    }

    fn text_field<'a>(h: &'a H, label: &'a str) -> egui_kittest::Node<'a> {
        h.get_by(|n| {
            matches!(n.role(), Role::TextInput | Role::MultilineTextInput)
                && n.label().as_deref() == Some(label)
        })
    }

    fn type_into(h: &mut H, label: &str, text: &str) {
        let f = text_field(h, label);
        f.focus();
        f.type_text(text);
        h.run();
    }

    /// Replaces the whole text of a field.
    fn set_field(h: &mut H, label: &str, text: &str) {
        text_field(h, label).focus();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run();
        text_field(h, label).type_text(text);
        h.run();
    }

    /// Steps the window until a text containing `what` shows (background jobs included).
    fn wait_for(h: &mut H, what: &str) {
        let start = std::time::Instant::now();
        loop {
            h.step();
            if has_text(h, what) {
                h.run();
                return;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(120),
                "«{what}» never appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    fn button(pos: egui::Pos2, pressed: bool) -> egui::Event {
        egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::default(),
        }
    }

    /// Press and release the primary button where the pointer is, without moving it.
    fn click_in_place(h: &mut H, pos: egui::Pos2) {
        for pressed in [true, false] {
            h.event(button(pos, pressed));
            h.step();
        }
        h.run();
    }

    /// Two clicks on a button where the pointer already is (a double click).
    fn double_click(h: &mut H, label: &str) {
        let at = h.get_by_role_and_label(Role::Button, label).rect().center();
        h.hover_at(at);
        h.run();
        click_in_place(h, at);
        click_in_place(h, at);
    }

    fn fresh_person(h: &mut H, surname: &str) -> Id {
        let env = h.state().env();
        let id = env
            .store
            .insert(
                env.operator,
                Person {
                    surname: surname.into(),
                    name: "Ottavio".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        h.state_mut().env_mut().refresh(EntityKind::Person, id);
        h.run();
        id
    }

    // ---------------------------------------------------------- 1. outputs

    #[test]
    fn the_windows_save_dialogs_refuse_the_database() {
        let picker = Arc::new(ScriptedPicker::default());
        let (_dir, store, mut h) = demo_app(picker.clone());
        let db = store.path().to_path_buf();
        let before = std::fs::read(&db).unwrap();
        // A dashboard export and a backup, both pointed at the database file.
        picker.push(Some(db.clone()));
        click_button(&mut h, "Cruscotto");
        click_button(&mut h, "Tabella CSV");
        wait_for(&mut h, "è il database stesso");
        picker.push(Some(db.clone()));
        h.state_mut().goto(Route::Settings);
        h.run();
        click_scrolled(&mut h, "Esegui backup…");
        wait_for(&mut h, "Operazione non eseguita");
        assert!(has_text(&h, "è il database stesso"));
        assert!(!has_text(&h, "Passphrase facoltativa"), "refused at once");
        assert!(std::fs::read(&db).unwrap() == before, "database changed");
    }

    // ---------------------------------------------------------- 2. larger backups

    #[test]
    fn replacing_a_larger_backup_asks_first() {
        let dir = tempfile::tempdir().unwrap();
        let big = demo_backup_into(dir.path(), "notte.accbak");
        let good = std::fs::read(&big).unwrap();
        // A small database with one operator.
        let store = Arc::new(Store::open(dir.path().join("piccolo.redb")).unwrap());
        case_open_in(&store, 2025);
        let picker = Arc::new(ScriptedPicker::new([Some(big.clone()), Some(big.clone())]));
        let mut h = app(store.clone(), picker);
        sign_in_first(&mut h);
        h.state_mut().goto(Route::Settings);
        h.run();
        for replace in [false, true] {
            click_scrolled(&mut h, "Esegui backup…");
            wait_for(&mut h, "Passphrase facoltativa");
            click_scrolled(&mut h, "Avvia il backup");
            wait_for(&mut h, "Sostituire un backup più grande?");
            assert!(
                std::fs::read(&big).unwrap() == good,
                "replaced before asking"
            );
            if replace {
                click_button(&mut h, "Sostituisci comunque");
                wait_for(&mut h, "Backup completato.");
            } else {
                click_button(&mut h, "No, torna indietro");
                wait_for(&mut h, "Operazione non eseguita");
                assert!(std::fs::read(&big).unwrap() == good);
            }
        }
        let info = backup::verify(&big, None, &mut quiet()).unwrap();
        assert_eq!(info.header.count("people"), 1);
    }

    // ---------------------------------------------------------- 3. the clock

    #[test]
    fn a_year_jump_is_asked_in_the_window() {
        for confirm in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("c.redb");
            let store = Store::open_with(&p, at(day(2022, 5, 1))).unwrap();
            let line = case_open_in(&store, 2022);
            drop(store);
            let store = Arc::new(Store::open_with(&p, at(day(2026, 2, 1))).unwrap());
            let mut h = app(store.clone(), Arc::new(ScriptedPicker::default()));
            // Asked once someone signed in (answering it changes the counts).
            assert!(!has_text(&h, "Che anno è?"));
            sign_in_first(&mut h);
            assert!(has_text(&h, "Che anno è?"));
            assert!(has_text(&h, "L'orologio del computer indica il 2026"));
            if confirm {
                click_button(&mut h, "Sì, siamo nel 2026");
                assert_eq!(store.through_year().unwrap(), 2026);
                assert_eq!(years_counted(&store, line), [2022, 2023, 2024, 2025, 2026]);
            } else {
                click_button(&mut h, "No, l'orologio è sbagliato");
                assert_eq!(store.through_year().unwrap(), 2022);
                assert_eq!(years_counted(&store, line), [2022]);
            }
            assert!(!has_text(&h, "Che anno è?"));
        }
    }

    #[test]
    fn a_backup_dated_in_the_future_is_reminded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.redb");
        let store = Store::open_with(&p, at(day(2031, 5, 5))).unwrap();
        case_open_in(&store, 2031);
        store
            .backup_to(
                &dir.path().join("b.accbak"),
                &BackupOptions::default(),
                &mut quiet(),
            )
            .unwrap();
        drop(store);
        let store = Store::open_with(&p, at(day(2031, 5, 6))).unwrap();
        let h = app(Arc::new(store), Arc::new(ScriptedPicker::default()));
        assert!(!has_text(&h, "fanne uno adesso"), "a backup from yesterday");
        drop(h);
        let store = Store::open_with(&p, at(day(2026, 5, 6))).unwrap();
        let mut h = app(Arc::new(store), Arc::new(ScriptedPicker::default()));
        h.run();
        assert!(has_text(&h, "una data futura"), "the reminder shows");
    }

    // ---------------------------------------------------------- 7. one-click destruction

    #[test]
    fn a_double_click_on_crea_un_nuovo_nucleo_leaves_no_household() {
        let (_dir, store, mut h) = demo_app(Arc::new(ScriptedPicker::default()));
        let pid = fresh_person(&mut h, "Quagliarella");
        h.state_mut().goto(Route::Person(pid));
        h.run();
        let households = store.read().unwrap().count::<Household>().unwrap();
        double_click(&mut h, "Crea un nuovo nucleo");
        assert_eq!(
            store.read().unwrap().count::<Household>().unwrap(),
            households,
            "a household was written by the clicks"
        );
        let p: Person = store.read().unwrap().require(pid).unwrap();
        assert!(p.household.is_none());
        // The form asks for Salva; Esc (and confirming) leaves nothing behind.
        assert!(has_text(&h, "Componenti (1)"));
        h.key_press(egui::Key::Escape);
        h.run();
        click_button(&mut h, "Scarta le modifiche");
        assert_eq!(
            store.read().unwrap().count::<Household>().unwrap(),
            households
        );
    }

    /// A person alone in a household created for them.
    fn alone_in_a_household(h: &mut H, store: &Store) -> (Id, Id) {
        let pid = fresh_person(h, "Quagliarella");
        let op = h.state().env().operator;
        let hid = store
            .insert(
                op,
                Household {
                    name: "Famiglia Quagliarella".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let mut p: Person = store.read().unwrap().require(pid).unwrap();
        p.household = Some(Membership {
            household: hid,
            relationship: Relationship::Riferimento,
        });
        store.update(op, p).unwrap();
        h.state_mut().env_mut().refresh(EntityKind::Person, pid);
        h.state_mut().env_mut().refresh(EntityKind::Household, hid);
        h.state_mut().goto(Route::Person(pid));
        h.run();
        (pid, hid)
    }

    #[test]
    fn esci_dal_nucleo_asks_and_archives_the_household_left_empty() {
        let (_dir, store, mut h) = demo_app(Arc::new(ScriptedPicker::default()));
        let (pid, hid) = alone_in_a_household(&mut h, &store);
        // A double click: the first asks, the second does nothing.
        double_click(&mut h, "Esci dal nucleo");
        assert!(has_text(&h, "esce dal nucleo «Famiglia Quagliarella»"));
        let p: Person = store.read().unwrap().require(pid).unwrap();
        assert!(p.household.is_some(), "left without asking");
        assert!(has_text(&h, "Archivia anche il nucleo"));
        click_button(&mut h, "Conferma: esce dal nucleo");
        let p: Person = store.read().unwrap().require(pid).unwrap();
        assert!(p.household.is_none());
        let hh: Household = store.read().unwrap().require(hid).unwrap();
        assert!(hh.archived, "the empty household was left behind");
    }

    #[test]
    fn a_confirmation_never_confirms_under_a_pointer_already_there() {
        let (_dir, store, mut h) = demo_app(Arc::new(ScriptedPicker::default()));
        let (pid, _) = alone_in_a_household(&mut h, &store);
        // Where the confirmation's "yes" appears…
        click_button(&mut h, "Esci dal nucleo");
        let yes = h
            .get_by_role_and_label(Role::Button, "Conferma: esce dal nucleo")
            .rect()
            .center();
        click_button(&mut h, "No, torna indietro");
        // … the pointer waits there while the button is pressed from the keyboard.
        h.hover_at(yes);
        h.run();
        h.get_by_role_and_label(Role::Button, "Esci dal nucleo")
            .focus();
        h.run();
        h.key_press(egui::Key::Enter);
        h.run();
        assert!(has_text(&h, "esce dal nucleo"));
        assert_eq!(
            h.get_by_role_and_label(Role::Button, "Conferma: esce dal nucleo")
                .rect()
                .center(),
            yes
        );
        click_in_place(&mut h, yes);
        let p: Person = store.read().unwrap().require(pid).unwrap();
        assert!(
            p.household.is_some(),
            "confirmed by a click never aimed at it"
        );
        // Moving away and back, then clicking, confirms.
        h.hover_at(egui::pos2(5.0, 5.0));
        h.run();
        click_button(&mut h, "Conferma: esce dal nucleo");
        let p: Person = store.read().unwrap().require(pid).unwrap();
        assert!(p.household.is_none());
    }

    /// Opens the form of a demo activity with sessions and participants.
    fn open_demo_activity(h: &mut H, store: &Store) -> Activity {
        let a = store
            .read()
            .unwrap()
            .active::<Activity>()
            .unwrap()
            .into_iter()
            .find(|a| !a.sessions.is_empty() && !a.participants.is_empty())
            .expect("a demo activity with sessions");
        h.state_mut().env_mut().open =
            Some(accoglienza::ui::OpenForm::Edit(EntityKind::Activity, a.id));
        h.run();
        a
    }

    #[test]
    fn removing_a_session_with_its_attendance_asks() {
        let (_dir, store, mut h) = demo_app(Arc::new(ScriptedPicker::default()));
        let a = open_demo_activity(&mut h, &store);
        let sessions = a.sessions.len();
        let title = format!("Incontri ({sessions})");
        assert!(has_text(&h, &title));
        // The first ✖ of the grid is the first session's.
        h.get_all_by_role_and_label(Role::Button, "✖")
            .next()
            .unwrap()
            .click();
        h.run();
        assert!(has_text(&h, "Togliere l'incontro del"), "removed at once");
        assert!(has_text(&h, &title));
        click_button(&mut h, "No, torna indietro");
        assert!(has_text(&h, &title));
        h.get_all_by_role_and_label(Role::Button, "✖")
            .next()
            .unwrap()
            .click();
        h.run();
        click_button(&mut h, "Togli l'incontro");
        assert!(has_text(&h, &format!("Incontri ({})", sessions - 1)));
        // Nothing is written before Salva.
        let stored: Activity = store.read().unwrap().require(a.id).unwrap();
        assert_eq!(stored.sessions.len(), sessions);
    }

    /// A click as a quick mouse sends it: press and release in the same frame.
    fn quick_click(h: &mut H, pos: egui::Pos2) {
        h.hover_at(pos);
        h.run();
        for pressed in [true, false] {
            h.input_mut().events.push(button(pos, pressed));
        }
        h.step();
        h.run();
    }

    #[test]
    fn a_confirmation_asked_again_shows_above_its_form() {
        let (_dir, store, mut h) = demo_app(Arc::new(ScriptedPicker::default()));
        open_demo_activity(&mut h, &store);
        let confirm = egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique(("confirm", "activity-remove")),
        );
        let x = h
            .get_all_by_role_and_label(Role::Button, "✖")
            .next()
            .unwrap()
            .rect()
            .center();
        let title = h.get_by_label("Attività di gruppo").rect().center();
        for round in 0..2 {
            quick_click(&mut h, x);
            assert_eq!(
                h.ctx.memory(|m| m.top_modal_layer()),
                Some(confirm),
                "round {round}: the confirmation is hidden under the form"
            );
            click_button(&mut h, "No, torna indietro");
            // A click on the form raises it.
            quick_click(&mut h, title);
        }
    }

    // ---------------------------------------------------------- 8. lost input

    #[test]
    fn the_duplicate_link_asks_before_dropping_what_was_typed() {
        let (_dir, store, mut h) = demo_app(Arc::new(ScriptedPicker::default()));
        let existing = store
            .read()
            .unwrap()
            .all::<Person>()
            .unwrap()
            .into_iter()
            .find(|p| p.codice_fiscale.is_some() && !p.cf_provisional && !p.archived)
            .unwrap();
        click_button(&mut h, "Persone");
        click_button(&mut h, "Nuova persona");
        let title = |h: &H| {
            h.get_all_by_label("Nuova persona")
                .find(|n| n.accesskit_node().role() != Role::Button)
                .unwrap()
                .rect()
                .top()
        };
        let title_top = title(&h);
        type_into(&mut h, "Cognome", "Altro");
        type_into(&mut h, "Note", "una nota lunga scritta a metà");
        type_into(
            &mut h,
            "Codice fiscale",
            existing.codice_fiscale.as_deref().unwrap(),
        );
        assert!(has_text(&h, "potrebbe essere già registrata"));
        // The duplicates appeared below: the dialog did not move.
        assert_eq!(title(&h), title_top);
        let link = |h: &H| {
            h.get_all_by_role(Role::Link)
                .find(|n| {
                    n.accesskit_node()
                        .label()
                        .is_some_and(|l| l.contains(&existing.full_name()))
                })
                .unwrap()
                .rect()
                .center()
        };
        let at = link(&h);
        h.hover_at(at);
        h.run();
        click_in_place(&mut h, at);
        assert!(has_text(&h, "Ci sono modifiche non salvate"));
        click_button(&mut h, "No, torna indietro");
        assert_eq!(
            text_field(&h, "Note").value().as_deref(),
            Some("una nota lunga scritta a metà")
        );
        assert_eq!(h.state().route(), Route::People);
        let at = link(&h);
        h.hover_at(at);
        h.run();
        click_in_place(&mut h, at);
        click_button(&mut h, "Scarta le modifiche");
        assert_eq!(h.state().route(), Route::Person(existing.id));
    }

    // ---------------------------------------------------------- 9. silent failures

    #[test]
    fn without_a_native_dialog_the_path_is_typed() {
        let picker = Arc::new(ScriptedPicker::default());
        let (dir, _store, mut h) = demo_app(picker.clone());
        let out = dir.path().join("scritto a mano.accbak");
        h.state_mut().goto(Route::Settings);
        h.run();
        picker.push_unavailable();
        click_scrolled(&mut h, "Esegui backup…");
        assert!(has_text(
            &h,
            "non si può aprire la finestra di scelta dei file"
        ));
        let suggested = text_field(&h, "Percorso").value().unwrap();
        assert!(suggested.ends_with(".accbak"), "{suggested}");
        set_field(
            &mut h,
            "Percorso",
            dir.path().join("manca/x.accbak").to_str().unwrap(),
        );
        click_button(&mut h, "OK");
        assert!(has_text(&h, "La cartella non esiste"));
        set_field(&mut h, "Percorso", out.to_str().unwrap());
        click_button(&mut h, "OK");
        wait_for(&mut h, "Passphrase facoltativa");
        click_scrolled(&mut h, "Avvia il backup");
        wait_for(&mut h, "Backup completato.");
        assert!(out.exists());
        picker.push_unavailable();
        click_scrolled(&mut h, "Verifica backup…");
        assert!(has_text(
            &h,
            "non si può aprire la finestra di scelta dei file"
        ));
        set_field(&mut h, "Percorso", out.to_str().unwrap());
        click_button(&mut h, "OK");
        wait_for(&mut h, "Backup integro");
    }

    #[test]
    fn the_operator_at_the_desk_is_remembered_per_database() {
        let picker = Arc::new(ScriptedPicker::default());
        let (_a_dir, a, h) = demo_app(picker.clone());
        let prefs = h.state().prefs().clone();
        let op = h.state().env().operator;
        assert_eq!(prefs.operator, Some(op));
        drop(h);
        // Another database with the same operators (a copy of the same demo).
        let (_b_dir, b_path) = demo_copy();
        let b = Arc::new(Store::open(&b_path).unwrap());
        let app_b = AccoglienzaApp::with_prefs(b, picker.clone(), prefs);
        assert!(!app_b.env().can_write(), "signed in to another database");
        let prefs = app_b.prefs().clone();
        let again = AccoglienzaApp::with_prefs(a, picker, prefs);
        assert_eq!(
            again.prefs().operator,
            Some(op),
            "forgotten in its own database"
        );
        assert!(
            !again.env().can_write(),
            "remembered, but nobody is signed in without a password"
        );
    }
}
