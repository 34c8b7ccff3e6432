//! Retention and the command line of issue 9 (`erase`, `retention`), and the property that
//! an erasure keeps every year's counts equal to a full recount over random small worlds.

#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::catalogue::line_codes;
use accoglienza::domain::privacy::RetentionSettings;
use accoglienza::domain::*;
use proptest::prelude::*;
use std::path::Path;
use std::process::{Command, Stdio};
use world::*;

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
/// projects open or closed over 2021–2025, activities; then one or two people erased,
/// and the backup made before restored (erased again: same people, same counts).
#[derive(Debug, Clone)]
struct Plan {
    people: Vec<(Option<u8>, bool)>,
    contacts: Vec<(u8, bool, u8, u16)>,
    cases: Vec<(u8, bool, u8, u16, Option<u16>)>,
    projects: Vec<(u8, u16, Option<u16>)>,
    activity: Vec<u8>,
    erase: u8,
    second: Option<u8>,
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
        prop::option::of(any::<u8>()),
    )
        .prop_map(
            |(people, contacts, cases, projects, activity, erase, second)| Plan {
                people,
                contacts,
                cases,
                projects,
                activity,
                erase,
                second,
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
    let older = dir.path().join("prima.accbak");
    backup(&w.store, &older);
    // One person erased, then maybe a second one (each gets their own placeholder).
    let victim = people[plan.erase as usize % people.len()];
    w.store.erase_person(w.op, victim, "Richiesta").unwrap();
    assert_eq!(counts(&w.store), before);
    if let Some(second) = plan.second
        && people[second as usize % people.len()] != victim
    {
        let other = people[second as usize % people.len()];
        w.store.erase_person(w.op, other, "Richiesta").unwrap();
        assert_eq!(counts(&w.store), before);
    }
    assert!(w.store.check().unwrap().ok());
    // The backup made before, restored: erased again, same counts, same records.
    let World { store, .. } = w;
    let people_after: Vec<Person> = store.read().unwrap().all().unwrap();
    let mut slot = std::sync::Arc::new(store);
    restore(&mut slot, &older);
    assert_eq!(counts(&slot), before);
    let mut people_restored: Vec<Person> = slot.read().unwrap().all().unwrap();
    let mut people_after = people_after;
    people_after.sort_by_key(|p| p.id);
    people_restored.sort_by_key(|p| p.id);
    assert_eq!(people_restored, people_after);
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
fn cli_erase_on_a_database_with_accounts_needs_a_coordinator() {
    let dir = tempfile::tempdir().unwrap();
    let (db, p) = cli_db(dir.path());
    {
        let store = accoglienza::store::Store::open(&db).unwrap();
        for (name, role) in [
            ("coordinatrice", "coordinatore"),
            ("operatrice", "operatore"),
        ] {
            let role = store.access_role(role).unwrap().unwrap().id;
            store
                .create_account_unchecked(
                    &accoglienza::access::NewAccount {
                        username: name.into(),
                        operator: None,
                        roles: vec![role],
                        must_change: false,
                    },
                    PW,
                    FAST,
                )
                .unwrap();
        }
    }
    let pw = dir.path().join("password");
    std::fs::write(&pw, format!("{PW}\n")).unwrap();
    let as_user = |user: &str, args: &[&str]| {
        let out = bin()
            .arg("--db")
            .arg(&db)
            .arg("--user")
            .arg(user)
            .arg("--password-file")
            .arg(&pw)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let id = p.to_string();
    let erase = ["erase", "--person", &id, "--reason", "Richiesta", "--yes"];
    let (ok, err) = as_user("operatrice", &erase);
    assert!(!ok && err.contains("permesso"), "{err}");
    let (ok, err) = as_user("operatrice", &["retention", "--list"]);
    assert!(!ok && err.contains("permesso"), "{err}");
    assert!(markers_in(&std::fs::read(&db).unwrap()) > 0);
    let (ok, err) = as_user("coordinatrice", &erase);
    assert!(ok, "{err}");
    assert_eq!(markers_in(&std::fs::read(&db).unwrap()), 0);
    let store = accoglienza::store::Store::open(&db).unwrap();
    let entries = store.erasures().unwrap();
    assert_eq!(entries.len(), 1);
    assert_ne!(entries[0].account, Id::NIL, "attributed to the account");
}

#[test]
fn a_retention_batch_blanks_every_erased_persons_audit_texts_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batch.redb");
    let mut w = world(&path);
    let s = w.session("coordinatrice", "coordinatore");
    let mut due = vec![];
    for (i, surname) in ["Zqxmarkeruno", "Zqxmarkerdue", "Zqxmarkertre"]
        .iter()
        .enumerate()
    {
        let p = w.person(surname, None);
        w.contact(
            Subject::Person(p),
            line_codes::WEMI,
            dt(2019, 2, 1 + i as u32),
            &format!("{MARK} nota {i}"),
        );
        w.store
            .log_access(
                &s,
                accoglienza::domain::access::AccessKind::Cartella,
                Some((EntityKind::Person, p)),
                &format!("{MARK} lettura {i}"),
            )
            .unwrap();
        due.push(p);
    }
    let kept = w.person("Recenti", None);
    w.contact(Subject::Person(kept), line_codes::WEMI, dt(2024, 2, 1), "");
    let before = counts(&w.store);
    let reports = w.store.apply_retention(Some(&s), w.op).unwrap();
    assert_eq!(reports.len(), 3);
    assert!(
        reports.last().unwrap().audit_blanked >= 3,
        "the batch's blanked count is on its last report"
    );
    assert_eq!(counts(&w.store), before);
    let r = w.store.read().unwrap();
    for p in &due {
        assert!(r.get::<Person>(*p).unwrap().is_none());
    }
    assert!(r.get::<Person>(kept).unwrap().is_some());
    drop(r);
    assert!(
        w.store.check().unwrap().problems.is_empty(),
        "the audit chain holds"
    );
    drop(w);
    assert_clean(&std::fs::read(&path).unwrap());
}
