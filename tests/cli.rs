//! The built binary: demo → stats reproduces the 2022 report; the CSV export recounted
//! independently gives the same numbers; a SIGKILL while writing loses no acknowledged
//! record; bad input gets a plain message and a non-zero exit.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Stdio};

#[path = "support/probe.rs"]
mod probe;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_accoglienza"))
}

/// The demo password, in a file (never on the command line).
fn password_file() -> &'static Path {
    static FILE: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    &FILE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let f = dir.path().join("password");
            std::fs::write(&f, format!("{}\n", accoglienza::demo::DEMO_PASSWORD)).unwrap();
            (dir, f)
        })
        .1
}

/// Runs a command as one of the demo's accounts: the administrator for backups and
/// checks, the coordinator for the rest (a database without accounts ignores it).
fn run(db: &Path, args: &[&str]) -> (bool, String, String) {
    let user = match args.first() {
        Some(&"backup" | &"restore" | &"check") => "admin",
        _ => "coordinatore",
    };
    run_as(db, Some(user), args)
}

/// Runs a command as `user` (with the demo password), or without signing in.
fn run_as(db: &Path, user: Option<&str>, args: &[&str]) -> (bool, String, String) {
    let mut cmd = bin();
    cmd.arg("--db").arg(db);
    if let Some(u) = user {
        cmd.arg("--user")
            .arg(u)
            .arg("--password-file")
            .arg(password_file());
    }
    let out = cmd.args(args).stdin(Stdio::null()).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    let (ok, out, err) = run(&db, &["demo", "--seed", "11"]);
    assert!(ok, "demo failed: {err}");
    assert!(out.contains("Dati di esempio caricati"), "{out}");
    assert!(
        out.contains("admin, coordinatore, operatore, sportello, riunione")
            && out.contains(accoglienza::demo::DEMO_PASSWORD),
        "the demo accounts and their password are printed: {out}"
    );
    (dir, db)
}

#[test]
fn demo_then_stats_prints_the_seed_figures() {
    let (_dir, db) = demo_db();
    let (ok, table, _) = run(&db, &["stats", "--year", "2022"]);
    assert!(ok);
    for (line, n) in [
        ("Sportelli WeMi", 640),
        ("Passeggiate", 10),
        ("Sostegno allo studio", 8),
        ("Tirocini", 56),
        ("Messa alla prova", 105),
        ("Ascolto famiglie", 40),
        ("Équipe Blu", 52),
        ("Case Manager", 8),
    ] {
        let row = table
            .lines()
            .find(|l| l.starts_with(line))
            .unwrap_or_else(|| panic!("no row for {line}:\n{table}"));
        assert_eq!(
            row.split_whitespace().last().unwrap(),
            n.to_string(),
            "{row}"
        );
    }
    let (ok, json, _) = run(&db, &["stats", "--year", "2022", "--format", "json"]);
    assert!(ok);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let got: BTreeMap<String, u64> = rows
        .iter()
        .map(|r| {
            (
                r["line_code"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect();
    for (code, n) in accoglienza::demo::SEED_2022 {
        assert_eq!(got[code], n, "{code}");
    }
    // A second demo into the same database is refused.
    let (ok, _, err) = run(&db, &["demo"]);
    assert!(!ok);
    assert!(err.contains("contiene già dati"), "{err}");
}

/// How the demo's administrator unlocks an encrypted demo database.
fn demo_unlock() -> accoglienza::store::crypt::Unlock {
    accoglienza::store::crypt::Unlock::Password {
        slot: "admin".into(),
        password: accoglienza::store::crypt::SecretString::from(
            accoglienza::demo::DEMO_PASSWORD.to_string(),
        ),
    }
}

/// Opens a database made by `accoglienza demo` (encrypted) in the test itself.
fn open_demo(db: &Path) -> accoglienza::store::Store {
    accoglienza::store::Store::open_encrypted(db, Default::default(), &demo_unlock()).unwrap()
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn year(date: &str) -> i32 {
    date[..4].parse().unwrap()
}

/// The counting rules of DESIGN.md §3 re-implemented over the exported CSV files.
fn recount_from_csv(dir: &Path, through_year: i32) -> BTreeMap<(String, i32, String), u64> {
    let people = read_csv(&dir.join("people.csv"));
    let households = read_csv(&dir.join("households.csv"));
    let person: HashMap<String, (bool, String)> = people
        .iter()
        .map(|p| {
            (
                p["id"].clone(),
                (p["archived"] == "true", p["household_id"].clone()),
            )
        })
        .collect();
    let hh_archived: HashMap<String, bool> = households
        .iter()
        .map(|h| (h["id"].clone(), h["archived"] == "true"))
        .collect();
    let mut members: HashMap<String, Vec<String>> = HashMap::new();
    for p in &people {
        if !p["household_id"].is_empty() && p["archived"] != "true" {
            members
                .entry(p["household_id"].clone())
                .or_default()
                .push(p["id"].clone());
        }
    }
    // (people, family) a subject counts as, if it counts at all.
    let units = |kind: &str, id: &str| -> Option<(Vec<String>, String)> {
        if kind == "persona" {
            let (archived, h) = person.get(id)?;
            if *archived {
                return None;
            }
            let family = if !h.is_empty() && hh_archived.get(h) == Some(&false) {
                h.clone()
            } else {
                id.to_string()
            };
            Some((vec![id.to_string()], family))
        } else {
            if *hh_archived.get(id)? {
                return None;
            }
            let m = members.get(id).cloned().unwrap_or_default();
            Some((
                if m.is_empty() {
                    vec![id.to_string()]
                } else {
                    m
                },
                id.to_string(),
            ))
        }
    };
    let mut persone: BTreeMap<(String, i32), BTreeSet<String>> = BTreeMap::new();
    let mut famiglie: BTreeMap<(String, i32), BTreeSet<String>> = BTreeMap::new();
    let mut progetti: BTreeMap<(String, i32), u64> = BTreeMap::new();
    let mut accessi: BTreeMap<(String, i32), u64> = BTreeMap::new();
    let mut add = |line: &str, y: i32, (ps, fam): &(Vec<String>, String)| {
        persone
            .entry((line.to_string(), y))
            .or_default()
            .extend(ps.iter().cloned());
        famiglie
            .entry((line.to_string(), y))
            .or_default()
            .insert(fam.clone());
    };
    for c in read_csv(&dir.join("contacts.csv")) {
        if c["archived"] == "true" {
            continue;
        }
        if let Some(u) = units(&c["subject_kind"], &c["subject_id"]) {
            add(&c["line"], year(&c["date"]), &u);
            *accessi
                .entry((c["line"].clone(), year(&c["date"])))
                .or_default() += 1;
        }
    }
    let mut periods = Vec::new();
    for c in read_csv(&dir.join("cases.csv")) {
        periods.push((
            c["archived"].clone(),
            c["subject_kind"].clone(),
            c["subject_id"].clone(),
            c["line"].clone(),
            c["opened"].clone(),
            c["closed"].clone(),
        ));
    }
    for p in read_csv(&dir.join("projects.csv")) {
        periods.push((
            p["archived"].clone(),
            "persona".into(),
            p["person_id"].clone(),
            p["line"].clone(),
            p["start"].clone(),
            p["end"].clone(),
        ));
    }
    for (archived, kind, id, line, start, end) in periods {
        if archived == "true" {
            continue;
        }
        let Some(u) = units(&kind, &id) else { continue };
        let last = if end.is_empty() {
            through_year.max(year(&start))
        } else {
            year(&end)
        };
        for y in year(&start)..=last {
            add(&line, y, &u);
            *progetti.entry((line.clone(), y)).or_default() += 1;
        }
    }
    for a in read_csv(&dir.join("activities.csv")) {
        if a["archived"] == "true" || a["person_id"].is_empty() {
            continue;
        }
        if let Some(u) = units("persona", &a["person_id"]) {
            add(&a["line"], year(&a["session_date"]), &u);
        }
    }
    let mut out = BTreeMap::new();
    for ((l, y), s) in persone {
        out.insert((l, y, "persone".to_string()), s.len() as u64);
    }
    for ((l, y), s) in famiglie {
        out.insert((l, y, "famiglie".to_string()), s.len() as u64);
    }
    for ((l, y), n) in progetti {
        out.insert((l, y, "progetti".to_string()), n);
    }
    for ((l, y), n) in accessi {
        out.insert((l, y, "accessi".to_string()), n);
    }
    out
}

#[test]
fn the_csv_export_recounted_by_hand_matches_stats() {
    let (dir, db) = demo_db();
    // Make the data less tidy first: archive a person with records through the store.
    {
        let store = accoglienza::store::Store::open_encrypted(
            &db,
            accoglienza::store::OpenOptions::default(),
            &accoglienza::store::crypt::Unlock::Password {
                slot: accoglienza::demo::DEMO_ACCOUNTS[0].into(),
                password: accoglienza::store::crypt::SecretString::from(
                    accoglienza::demo::DEMO_PASSWORD.to_string(),
                ),
            },
        )
        .unwrap();
        let r = store.read().unwrap();
        let op = r.all::<accoglienza::domain::Operator>().unwrap()[0].id;
        let victim = r.all::<accoglienza::domain::Contact>().unwrap()[100].subject;
        drop(r);
        if let accoglienza::domain::Subject::Person(p) = victim {
            store
                .set_archived::<accoglienza::domain::Person>(op, p, true)
                .unwrap();
        }
    }
    for table in [
        "people",
        "households",
        "contacts",
        "cases",
        "projects",
        "activities",
        "referrals",
        "operators",
    ] {
        let out = dir.path().join(format!("{table}.csv"));
        let (ok, _, err) = run(
            &db,
            &["export", "--table", table, "--out", out.to_str().unwrap()],
        );
        assert!(ok, "export {table}: {err}");
    }
    let (ok, csv_stats, _) = run(&db, &["stats", "--format", "csv"]);
    assert!(ok);
    let through = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let mine = recount_from_csv(dir.path(), through);
    let mut compared = 0;
    let mut r = csv::Reader::from_reader(csv_stats.as_bytes());
    for rec in r.records() {
        let rec = rec.unwrap();
        let (line, unit, y, n): (&str, &str, i32, u64) = (
            &rec[0],
            &rec[2],
            rec[3].parse().unwrap(),
            rec[4].parse().unwrap(),
        );
        let by_hand = mine
            .get(&(line.to_string(), y, unit.to_string()))
            .copied()
            .unwrap_or(0);
        assert_eq!(by_hand, n, "{line} {y} {unit}");
        compared += 1;
    }
    assert!(
        compared >= 8 * 7,
        "every line and year compared ({compared})"
    );
    // JSON export carries the same records.
    let (ok, json, _) = run(&db, &["export", "--table", "contacts", "--format", "json"]);
    assert!(ok);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(rows.len(), read_csv(&dir.path().join("contacts.csv")).len());
}

#[test]
fn sigkill_while_writing_loses_no_acknowledged_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.redb");
    // Every command but `demo` and the window needs an existing database.
    drop(accoglienza::store::Store::open(&db).unwrap());
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..10u64 {
        let mut cmd = bin();
        cmd.arg("--db")
            .arg(&db)
            .args(["write-probe", "--count", "100000"]);
        // Kill after a different number of commits each round.
        acknowledged.extend(probe::kill_after(cmd, 5 + round * 7));
        let mut store =
            accoglienza::store::Store::open(&db).expect("the database opens after a kill");
        let r = store.read().unwrap();
        for id in &acknowledged {
            let id = accoglienza::domain::Id::parse(id).unwrap();
            assert!(
                r.get::<accoglienza::domain::Contact>(id).unwrap().is_some(),
                "round {round}: acknowledged contact {id} lost"
            );
        }
        drop(r);
        let rep = store.check().unwrap();
        assert!(rep.ok(), "round {round}: {:?}", rep.problems);
    }
    assert!(acknowledged.len() >= 5 * 10);
}

#[test]
fn bad_input_gets_a_message_and_a_failing_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.redb");
    // A year out of range.
    let (ok, _, err) = run(&db, &["stats", "--year", "99999"]);
    assert!(!ok);
    assert!(err.contains("Anno non valido"), "{err}");
    // An unknown table: clap's own message.
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["export", "--table", "nothing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value"));
    // A file that is not a database, left untouched.
    let txt = dir.path().join("notes.txt");
    std::fs::write(&txt, "appunti").unwrap();
    let (ok, _, err) = run(&txt, &["stats"]);
    assert!(!ok);
    assert!(err.contains("non è un database di Accoglienza"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(std::fs::read_to_string(&txt).unwrap(), "appunti");
    // The database already open elsewhere.
    let _held = accoglienza::store::Store::open(&db).unwrap();
    let (ok, _, err) = run(&db, &["stats"]);
    assert!(!ok);
    assert!(err.contains("già aperto"), "{err}");
    // An export into a folder that does not exist leaves nothing behind.
    drop(_held);
    let (ok, _, err) = run(
        &db,
        &[
            "export",
            "--table",
            "people",
            "--out",
            dir.path().join("nope/people.csv").to_str().unwrap(),
        ],
    );
    assert!(!ok);
    assert!(err.contains("impossibile scrivere"), "{err}");
}

#[test]
fn check_reports_a_sound_database() {
    let (_dir, db) = demo_db();
    let (ok, out, err) = run(&db, &["check"]);
    assert!(ok, "{err}");
    assert!(out.contains("Nessun problema trovato"), "{out}");
    assert!(out.contains("accesso"), "{out}");
}

#[test]
fn a_database_with_accounts_signs_in_from_the_command_line() {
    let (dir, db) = demo_db();
    // Without --user: refused, saying how.
    let (ok, out, err) = run_as(&db, None, &["stats", "--year", "2022"]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(err.contains("--user"), "{err}");
    // No terminal and no password file: refused, never a password argument.
    let (ok, _, err) = {
        let o = bin()
            .arg("--db")
            .arg(&db)
            .args(["--user", "coordinatore", "stats"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    assert!(!ok);
    assert!(err.contains("--password-file"), "{err}");
    // A wrong password.
    let wrong = dir.path().join("wrong");
    std::fs::write(&wrong, "non è la password\n").unwrap();
    let o = bin()
        .arg("--db")
        .arg(&db)
        .args(["--user", "coordinatore", "--password-file"])
        .arg(&wrong)
        .arg("stats")
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("password o chiave di recupero errati"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A role without the permission the command needs.
    let out = dir.path().join("people.csv");
    let (ok, _, err) = run_as(
        &db,
        Some("sportello"),
        &[
            "export",
            "--table",
            "people",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(!ok);
    assert!(err.contains("esportazioni"), "{err}");
    assert!(!out.exists(), "nothing written");
    let (ok, _, err) = run_as(&db, Some("riunione"), &["backup", "--out", "b.accbak"]);
    assert!(!ok);
    assert!(err.contains("backup e ripristino"), "{err}");
    // The meeting role reads the counts.
    let (ok, table, err) = run_as(&db, Some("riunione"), &["stats", "--year", "2022"]);
    assert!(ok, "{err}");
    assert!(table.contains("Messa alla prova"));
    // The export is in the access log, by the coordinator.
    let (ok, _, err) = run(
        &db,
        &[
            "export",
            "--table",
            "people",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let store = open_demo(&db);
    let log = store.read().unwrap().audit(200).unwrap();
    assert!(log.iter().any(|(_, r)| {
        r.action
            == accoglienza::domain::Action::Read(
                accoglienza::domain::access::AccessKind::Esportazione,
            )
    }));
}

#[test]
fn check_names_the_broken_link_of_an_altered_audit() {
    let (_dir, db) = demo_db();
    // A raw redb handle removes one entry in the middle of the log.
    {
        let raw = accoglienza::store::crypt::open_raw(&db, &demo_unlock()).unwrap();
        let def: redb::TableDefinition<u128, &[u8]> = redb::TableDefinition::new("audit");
        let txn = raw.begin_write().unwrap();
        {
            let mut t = txn.open_table(def).unwrap();
            let keys: Vec<u128> = redb::ReadableTable::iter(&t)
                .unwrap()
                .map(|i| i.unwrap().0.value())
                .collect();
            t.remove(keys[keys.len() / 2]).unwrap();
        }
        txn.commit().unwrap();
    }
    let (ok, out, err) = run(&db, &["check"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("PROBLEMA: registro: anello rotto tra la voce n."),
        "{out}"
    );
    assert!(err.contains("1 problemi"), "{err}");
}
