//! The built binary on encrypted databases: `demo` creates one whose files hold none of
//! its personal data (byte scan of the database, its automatic and manual backups and
//! everything else written); commands authenticate with `--user` + `--password-file` or
//! `--recovery-key-file`; a SIGKILL while writing loses no acknowledged record.

use accoglienza::domain::*;
use accoglienza::store::backup::{self, AutoBackupSettings};
use accoglienza::store::crypt::{self, FileKind, SecretString, Unlock};
use accoglienza::store::{OpenOptions, Store};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/probe.rs"]
mod probe;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_accoglienza"))
}

fn run(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = bin().arg("--db").arg(db).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn demo_unlock() -> Unlock {
    Unlock::Password {
        slot: accoglienza::demo::DEMO_ACCOUNTS[0].into(),
        password: SecretString::from(accoglienza::demo::DEMO_PASSWORD.to_string()),
    }
}

fn write_secret(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{text}\n")).unwrap();
    p
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// 100 personal values of the demo data: surnames, names, codici fiscali and note texts
/// (at least 6 bytes each, so that random bytes cannot contain one by chance), taken in
/// turn from each kind.
fn sample_values(store: &Store) -> Vec<String> {
    let r = store.read().unwrap();
    let people = r.all::<Person>().unwrap();
    let long = |v: &String| v.len() >= 6;
    let mut kinds: Vec<Vec<String>> = vec![
        people
            .iter()
            .map(|p| p.surname.clone())
            .filter(long)
            .collect(),
        people.iter().map(|p| p.name.clone()).filter(long).collect(),
        people
            .iter()
            .filter_map(|p| p.codice_fiscale.clone())
            .collect(),
        r.all::<Contact>()
            .unwrap()
            .into_iter()
            .map(|c| c.note)
            .filter(|n| n.len() >= 10)
            .collect(),
    ];
    for k in &mut kinds {
        k.sort();
        k.dedup();
    }
    assert!(kinds.iter().all(|k| !k.is_empty()), "every kind present");
    let mut set = BTreeSet::new();
    let mut i = 0;
    while set.len() < 100 && i < 10_000 {
        for k in &kinds {
            if let Some(v) = k.get(i * 13 % k.len().max(1)) {
                set.insert(v.clone());
            }
        }
        i += 1;
    }
    assert!(set.len() >= 100, "the demo has enough values to sample");
    set.into_iter().take(100).collect()
}

fn found_in(path: &Path, values: &[String]) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    values
        .iter()
        .filter(|v| memchr::memmem::find(&bytes, v.as_bytes()).is_some())
        .cloned()
        .collect()
}

#[test]
fn after_demo_no_personal_value_is_in_any_file_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("dati");
    let db = data.join("demo.redb");
    let (ok, out, err) = run(&db, &["demo", "--seed", "7"]);
    assert!(ok, "{err}");
    for account in accoglienza::demo::DEMO_ACCOUNTS {
        assert!(out.contains(account), "{out}");
    }
    assert!(out.contains(accoglienza::demo::DEMO_PASSWORD), "{out}");
    assert_eq!(crypt::file_kind(&db).unwrap(), FileKind::Encrypted);
    // A manual backup from the command line, an automatic one as the window makes it.
    let pw = write_secret(dir.path(), "pw.txt", accoglienza::demo::DEMO_PASSWORD);
    let manual = data.join("manuale.accbak");
    let (ok, _, err) = run(
        &db,
        &[
            "--user",
            "admin",
            "--password-file",
            pw.to_str().unwrap(),
            "backup",
            "--out",
            manual.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let store = Store::open_encrypted(&db, OpenOptions::default(), &demo_unlock()).unwrap();
    let values = sample_values(&store);
    let settings = AutoBackupSettings {
        enabled: true,
        folder: Some(data.join("automatici")),
        ..store.auto_backup_settings().unwrap()
    };
    std::fs::create_dir_all(data.join("automatici")).unwrap();
    backup::run_auto_backup(&store, &settings, None, &mut |_, _, _| {}).unwrap();
    drop(store);
    let _ = std::fs::remove_file(&pw);
    let files = files_under(&data);
    assert!(files.len() >= 3, "{files:?}");
    for f in &files {
        let hits = found_in(f, &values);
        assert!(hits.is_empty(), "{}: {hits:?}", f.display());
    }
    // The control: the same values are found in a plain copy of the same data.
    let plain = dir.path().join("controllo.redb");
    let s = Store::open(&plain).unwrap();
    accoglienza::demo::generate(
        &s,
        accoglienza::demo::Scale::Cooperative,
        7,
        &mut |_, _, _| {},
    )
    .unwrap();
    drop(s);
    assert!(found_in(&plain, &values).len() > 50);
}

#[test]
fn commands_authenticate_and_refuse_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.redb");
    let (store, recovery) = Store::create_encrypted(
        &db,
        OpenOptions::default(),
        "coordinatore",
        &SecretString::from("password giusta".to_string()),
    )
    .unwrap();
    drop(store);
    let good = write_secret(dir.path(), "good", "password giusta");
    let bad = write_secret(dir.path(), "bad", "password sbagliata");
    use accoglienza::store::crypt::ExposeSecret;
    let rk = write_secret(dir.path(), "rk", recovery.display().expose_secret());
    // No credentials.
    let (ok, _, err) = run(&db, &["stats"]);
    assert!(!ok);
    assert!(err.contains("cifrato") && err.contains("--user"), "{err}");
    // Wrong password: refused and counted.
    let (ok, _, err) = run(
        &db,
        &[
            "--user",
            "coordinatore",
            "--password-file",
            bad.to_str().unwrap(),
            "stats",
        ],
    );
    assert!(!ok);
    assert!(err.contains("errati"), "{err}");
    assert_eq!(crypt::slot_status(&db, "coordinatore").unwrap().failures, 1);
    // The right one, and the recovery key.
    let (ok, out, err) = run(
        &db,
        &[
            "--user",
            "coordinatore",
            "--password-file",
            good.to_str().unwrap(),
            "check",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Nessun problema"), "{out}");
    assert_eq!(crypt::slot_status(&db, "coordinatore").unwrap().failures, 0);
    let (ok, _, err) = run(&db, &["--recovery-key-file", rk.to_str().unwrap(), "stats"]);
    assert!(ok, "{err}");
    // Locked after repeated failures: refused before any password is tried.
    for _ in 0..crypt::LOCK_AFTER_FAILURES {
        run(
            &db,
            &[
                "--user",
                "coordinatore",
                "--password-file",
                bad.to_str().unwrap(),
                "stats",
            ],
        );
    }
    let (ok, _, err) = run(
        &db,
        &[
            "--user",
            "coordinatore",
            "--password-file",
            good.to_str().unwrap(),
            "stats",
        ],
    );
    assert!(!ok);
    assert!(err.contains("Troppi tentativi"), "{err}");
    // A missing database is still refused and nothing is created.
    let missing = dir.path().join("nuova").join("x.redb");
    let (ok, _, err) = run(
        &missing,
        &[
            "--user",
            "coordinatore",
            "--password-file",
            good.to_str().unwrap(),
            "stats",
        ],
    );
    assert!(!ok);
    assert!(err.contains("non esiste"), "{err}");
    assert!(!dir.path().join("nuova").exists());
}

#[test]
fn sigkill_while_writing_encrypted_loses_no_acknowledged_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.redb");
    let password = "password della prova";
    let (s, _) = Store::create_encrypted(
        &db,
        OpenOptions::default(),
        "admin",
        &SecretString::from(password.to_string()),
    )
    .unwrap();
    drop(s);
    let pw = write_secret(dir.path(), "pw", password);
    let unlock = Unlock::Password {
        slot: "admin".into(),
        password: SecretString::from(password.to_string()),
    };
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..6u64 {
        let mut cmd = bin();
        cmd.arg("--db")
            .arg(&db)
            .args(["--user", "admin", "--password-file"])
            .arg(&pw)
            .args(["write-probe", "--count", "100000"]);
        acknowledged.extend(probe::kill_after(cmd, 5 + round * 11));
        let mut store = Store::open_encrypted(&db, OpenOptions::default(), &unlock)
            .expect("the database opens after a kill");
        let r = store.read().unwrap();
        for id in &acknowledged {
            let id = Id::parse(id).unwrap();
            assert!(
                r.get::<Contact>(id).unwrap().is_some(),
                "round {round}: acknowledged contact {id} lost"
            );
        }
        drop(r);
        let rep = store.check().unwrap();
        assert!(rep.ok(), "round {round}: {:?}", rep.problems);
    }
    assert!(acknowledged.len() >= 5 * 6);
}
