//! `accoglienza merge --from FILE [--dry-run] [--conflicts …]` through the built binary:
//! preview without writing, merge, merge again changes nothing, conflicts stop it with a
//! plain message and a failing exit until decided, a bad file is refused.

use accoglienza::domain::*;
use accoglienza::store::Store;
use std::path::Path;
use std::process::Command;

fn run(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_accoglienza"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A database with one operator, one person and a contact.
fn small(path: &Path) -> Id {
    let store = Store::open(path).unwrap();
    let r = store.read().unwrap();
    let role = r.all::<Role>().unwrap()[0].id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    let line = r.all::<ServiceLine>().unwrap()[0].id;
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
    let p = store
        .insert(
            op,
            Person {
                surname: "Galli".into(),
                name: "Marta".into(),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .insert(
            op,
            Contact {
                id: Id::NIL,
                at: chrono::NaiveDate::from_ymd_opt(2024, 2, 3)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
                subject: Subject::Person(p),
                line,
                desk,
                operator: op,
                kind: ContactKind::Ascolto,
                measure: None,
                minutes: 15,
                note: String::new(),
                confidential: false,
                archived: false,
            },
        )
        .unwrap();
    p
}

fn people(db: &Path) -> Vec<Person> {
    Store::open_existing(db)
        .unwrap()
        .read()
        .unwrap()
        .all::<Person>()
        .unwrap()
}

fn set_note(db: &Path, id: Id, note: &str) {
    let store = Store::open_existing(db).unwrap();
    let mut p: Person = store.read().unwrap().require(id).unwrap();
    p.note = note.into();
    store.update(Id::NIL, p).unwrap();
}

#[test]
fn merge_previews_merges_and_refuses_undecided_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("ornato.redb");
    let b = dir.path().join("sede.redb");
    let person = small(&a);
    drop(Store::open(&b).unwrap());
    let file = dir.path().join("ornato.accbak");
    let (ok, _, err) = run(&a, &["backup", "--out", file.to_str().unwrap()]);
    assert!(ok, "{err}");

    // The preview counts and writes nothing.
    let (ok, out, err) = run(
        &b,
        &["merge", "--from", file.to_str().unwrap(), "--dry-run"],
    );
    assert!(ok, "{err}");
    assert!(out.contains("persone"), "{out}");
    assert!(out.contains("Anteprima: nulla è stato scritto."), "{out}");
    assert!(people(&b).is_empty());

    let (ok, out, err) = run(&b, &["merge", "--from", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("Unione completata."), "{out}");
    assert_eq!(people(&b).len(), 1);
    let (ok, out, _) = run(&b, &["merge", "--from", file.to_str().unwrap()]);
    assert!(ok);
    assert!(out.contains("Nulla da unire"), "{out}");

    // The same note changed at both desks: listed, refused until decided.
    set_note(&a, person, "nota dell'Ornato");
    set_note(&b, person, "nota della sede");
    let (ok, _, err) = run(
        &a,
        &[
            "backup",
            "--out",
            file.to_str().unwrap(),
            "--replace-larger",
        ],
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(&b, &["merge", "--from", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("Conflitto: persona"), "{out}");
    assert!(err.contains("conflitti da decidere"), "{err}");
    assert_eq!(people(&b)[0].note, "nota della sede");
    let (ok, _, err) = run(
        &b,
        &[
            "merge",
            "--from",
            file.to_str().unwrap(),
            "--conflicts",
            "entrambi",
        ],
    );
    assert!(ok, "{err}");
    let note = people(&b)[0].note.clone();
    assert!(
        note.contains("nota della sede") && note.contains("nota dell'Ornato"),
        "{note}"
    );

    // Not a backup: a plain message, a failing exit.
    let junk = dir.path().join("non-un-backup.accbak");
    std::fs::write(&junk, b"ciao").unwrap();
    let (ok, _, err) = run(&b, &["merge", "--from", junk.to_str().unwrap()]);
    assert!(!ok);
    assert!(!err.is_empty() && !err.contains("panicked"), "{err}");
}
