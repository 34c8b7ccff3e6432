//! Importing the team's spreadsheets through the built binary: fixtures written here (an
//! XLSX WeMi register with its header on row 3, a MAP register with hours typed every way,
//! an Équipe Blu family list in Windows-1252 with `;`), converted by LibreOffice to ODS and
//! XLS; counts computed by hand; a second import that changes nothing; undo; the round trip
//! of `accoglienza export`; bad files that write nothing; the readers fuzzed over the kept
//! corpus.

use accoglienza::domain::codice_fiscale::{self, CfSex};
use accoglienza::domain::*;
use accoglienza::import::{self, ReadOptions};
use accoglienza::store::Store;
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_accoglienza"))
}

/// Runs the binary: exit code, standard output, standard error.
fn run(db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = bin();
    cmd.arg("--db").arg(db);
    // `demo` makes an encrypted database: the demo coordinator signs in to read it.
    if accoglienza::store::crypt::file_kind(db).ok()
        == Some(accoglienza::store::crypt::FileKind::Encrypted)
    {
        let password = db.with_extension("password");
        std::fs::write(&password, accoglienza::demo::DEMO_PASSWORD).unwrap();
        cmd.args(["--user", "coordinatore", "--password-file"])
            .arg(password);
    }
    let out = cmd.args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cf(surname: &str, name: &str, birth: NaiveDate, sex: CfSex) -> String {
    codice_fiscale::encode(surname, name, birth, sex, "F205")
}

/// A new database with one operator, "Bianchi Anna" (the registers' operator).
fn fresh_db(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let store = Store::open(&path).unwrap();
    let role = store.read().unwrap().active::<Role>().unwrap()[0].id;
    store
        .insert(
            Id::NIL,
            Operator {
                surname: "Bianchi".into(),
                name: "Anna".into(),
                role,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    path
}

/// `stats --format json`: (line code, year) → count.
fn stats(db: &Path) -> BTreeMap<(String, i64), u64> {
    let (code, out, err) = run(db, &["stats", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    rows.iter()
        .map(|r| {
            (
                (
                    r["line_code"].as_str().unwrap().to_string(),
                    r["year"].as_i64().unwrap(),
                ),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn count<E: accoglienza::store::Entity>(db: &Path) -> u64 {
    Store::open(db)
        .unwrap()
        .read()
        .unwrap()
        .count::<E>()
        .unwrap()
}

fn write_json(dir: &Path, name: &str, json: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, json).unwrap();
    p
}

/// How a register's access date is written.
enum When {
    /// Text typed in a cell.
    Text(&'static str),
    /// A date cell.
    Cell(u16, u8, u8),
    /// A bare serial number.
    Serial(f64),
}

/// The WeMi access register: a merged title, an empty row, the header on row 3, mixed date
/// formats (text in three habits, a date cell, an Excel serial number), codici fiscali in
/// lower case with spaces, names in capitals in one column, repeated people, a row repeated
/// whole, an impossible date.
fn wemi_register(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Accessi 2022").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        6,
        "Registro accessi WeMi — anno 2022",
        &Format::new(),
    )
    .unwrap();
    let headers = [
        "Cognome e nome",
        "C.F.",
        "Data di nascita",
        "Data accesso",
        "Sportello",
        "Bando",
        "Tipo",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rossi = cf("Rossi", "Mario", d(1985, 12, 10), CfSex::M);
    let rossi_typed = format!("{} {} {}", &rossi[..6], &rossi[6..11], &rossi[11..]).to_lowercase();
    let de_luca = cf("De Luca", "Anna Maria", d(1979, 4, 2), CfSex::F);
    let verdi = cf("Verdi", "Giorgio", d(1990, 1, 1), CfSex::M);
    let neri = cf("Neri", "Paola", d(1960, 7, 7), CfSex::F);
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let rows: [(&str, &str, &str, When, &str, &str, &str); 11] = [
        // Rossi Mario: four accesses in four date habits.
        (
            "ROSSI MARIO",
            &rossi_typed,
            "10/12/1985",
            When::Text("12/03/2022"),
            "Ornato",
            "B2",
            "Pratiche",
        ),
        (
            "ROSSI MARIO",
            &rossi_typed,
            "10/12/1985",
            When::Text("12-04-22"),
            "Rizzoli",
            "-",
            "Informazione",
        ),
        (
            "ROSSI MARIO",
            &rossi,
            "10/12/1985",
            When::Cell(2022, 5, 3),
            "Ornato",
            "",
            "Ascolto",
        ),
        (
            "ROSSI MARIO",
            &rossi,
            "n.d.",
            When::Serial(44702.0),
            "Ornato",
            "Reddito",
            "",
        ),
        // The same row again, whole: a copy-paste slip.
        (
            "ROSSI MARIO",
            &rossi,
            "n.d.",
            When::Serial(44702.0),
            "Ornato",
            "Reddito",
            "",
        ),
        // De Luca Anna Maria: split by her code's consonants; already known.
        (
            "DE LUCA ANNA MARIA",
            &de_luca,
            "",
            When::Text("2022-06-01"),
            "WeMi Rizzoli",
            "",
            "Orientamento",
        ),
        (
            "DE LUCA ANNA MARIA",
            &de_luca,
            "",
            When::Text("1.7.2022"),
            "Rizzoli",
            "",
            "Orientamento",
        ),
        // Bianco Lucia: no code, twice; a namesake born elsewhen is already known.
        (
            "BIANCO LUCIA",
            "",
            "03/04/1970",
            When::Text("05/09/2022"),
            "Ornato",
            "",
            "Ascolto",
        ),
        (
            "BIANCO LUCIA",
            "",
            "03/04/1970",
            When::Text("06/09/2022"),
            "Ornato",
            "",
            "Telefonata",
        ),
        // Verdi Giorgio: an impossible date, refused.
        (
            "VERDI GIORGIO",
            &verdi,
            "",
            When::Text("31/02/2022"),
            "Ornato",
            "",
            "",
        ),
        // Neri Paola: the year before.
        (
            "NERI PAOLA",
            &neri,
            "",
            When::Text("15/11/2021"),
            "Rizzoli",
            "",
            "",
        ),
    ];
    for (i, (name, code, birth, when, desk, measure, kind)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *name).unwrap();
        if !code.is_empty() {
            ws.write_string(r, 1, *code).unwrap();
        }
        if !birth.is_empty() {
            ws.write_string(r, 2, *birth).unwrap();
        }
        match when {
            When::Text(t) => ws.write_string(r, 3, *t).unwrap(),
            When::Cell(y, m, day) => ws
                .write_datetime_with_format(
                    r,
                    3,
                    ExcelDateTime::from_ymd(*y, *m, *day).unwrap(),
                    &date_format,
                )
                .unwrap(),
            When::Serial(n) => ws.write_number(r, 3, *n).unwrap(),
        };
        ws.write_string(r, 4, *desk).unwrap();
        if !measure.is_empty() {
            ws.write_string(r, 5, *measure).unwrap();
        }
        if !kind.is_empty() {
            ws.write_string(r, 6, *kind).unwrap();
        }
    }
    wb.save(path).unwrap();
}

const WEMI_MAPPING: &str = r#"{
  "name": "Registro WeMi",
  "kind": "Contacts",
  "fixed": { "Line": "wemi", "Operator": "Bianchi Anna" }
}"#;

/// People known before the import: De Luca Anna Maria (her code) and a Bianco Lucia born
/// on another day.
fn known_people(db: &Path) {
    let store = Store::open(db).unwrap();
    let op = store.read().unwrap().active::<Operator>().unwrap()[0].id;
    store
        .insert(
            op,
            Person {
                surname: "De Luca".into(),
                name: "Anna Maria".into(),
                codice_fiscale: Some(cf("De Luca", "Anna Maria", d(1979, 4, 2), CfSex::F)),
                birth: BirthDate::Exact(d(1979, 4, 2)),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .insert(
            op,
            Person {
                surname: "Bianco".into(),
                name: "Lucia".into(),
                birth: BirthDate::Exact(d(1951, 1, 1)),
                ..Default::default()
            },
        )
        .unwrap();
}

/// Imports the WeMi register and checks the hand-computed outcome.
fn import_wemi(dir: &Path, file: &Path, db_name: &str) -> PathBuf {
    let db = fresh_db(dir, db_name);
    known_people(&db);
    let mapping = write_json(dir, "wemi.json", WEMI_MAPPING);
    let f = file.to_str().unwrap();
    let m = mapping.to_str().unwrap();
    let report = dir.join(format!("{db_name}-rifiutate.csv"));
    // Dry run: a refused row → exit 1, nothing written.
    let (code, out, err) = run(
        &db,
        &[
            "import",
            "--from",
            f,
            "--mapping",
            m,
            "--dry-run",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("intestazioni alla riga 3"), "{out}");
    assert!(out.contains("Riga 13, colonna «Data accesso»"), "{out}");
    assert!(out.contains("non esiste"), "{out}");
    assert!(out.contains("ha omonimi già registrati"), "{out}");
    assert!(
        out.contains("ripetute nel foglio: 1; rifiutate: 1"),
        "{out}"
    );
    assert_eq!(count::<Contact>(&db), 0);
    let refused = std::fs::read_to_string(&report).unwrap();
    assert!(refused.contains("13;Data accesso;"), "{refused}");
    assert!(refused.contains("VERDI GIORGIO"), "{refused}");
    // The import.
    let (code, out, err) = run(&db, &["import", "--from", f, "--mapping", m]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("completata"), "{out}");
    // 4 + 2 + 2 + 1 contacts; Rossi, Bianco (new: the namesake was born elsewhen), Neri
    // created, De Luca matched; Verdi refused.
    assert_eq!(count::<Contact>(&db), 9);
    assert_eq!(count::<Person>(&db), 2 + 3);
    let s = stats(&db);
    assert_eq!(s[&("wemi".to_string(), 2022)], 3, "{s:?}");
    assert_eq!(s[&("wemi".to_string(), 2021)], 1, "{s:?}");
    // The second import of the same file changes nothing.
    let (code, out, _) = run(&db, &["import", "--from", f, "--mapping", m]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Niente da importare"), "{out}");
    assert!(out.contains("già importate: 9"), "{out}");
    assert_eq!(count::<Contact>(&db), 9);
    assert_eq!(count::<Person>(&db), 5);
    assert_eq!(stats(&db), s);
    // Values as typed: the code without spaces, the name split and in title case.
    let store = Store::open(&db).unwrap();
    let people = store.read().unwrap().all::<Person>().unwrap();
    let rossi = people.iter().find(|p| p.surname == "Rossi").unwrap();
    assert_eq!(rossi.name, "Mario");
    assert_eq!(rossi.birth, BirthDate::Exact(d(1985, 12, 10)));
    assert_eq!(
        rossi.codice_fiscale.as_deref(),
        Some(cf("Rossi", "Mario", d(1985, 12, 10), CfSex::M).as_str())
    );
    let contacts = store
        .read()
        .unwrap()
        .by_subject::<Contact>(rossi.id)
        .unwrap();
    let mut days: Vec<NaiveDate> = contacts.iter().map(|c| c.at.date()).collect();
    days.sort();
    assert_eq!(
        days,
        [
            d(2022, 3, 12),
            d(2022, 4, 12),
            d(2022, 5, 3),
            d(2022, 5, 21)
        ]
    );
    assert!(
        contacts
            .iter()
            .any(|c| c.measure.is_some() && c.kind == ContactKind::Pratiche)
    );
    db
}

#[test]
fn the_wemi_register_imports_once_with_the_hand_counts() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("registro.xlsx");
    wemi_register(&xlsx);
    let db = import_wemi(dir.path(), &xlsx, "wemi.redb");
    // Undo: the counts drop back, the people the batch created are archived, the file can
    // come in again.
    let (code, list, _) = run(&db, &["import", "--list"]);
    assert_eq!(code, 0);
    let batch = list.split_whitespace().next().unwrap().to_string();
    let (code, out, err) = run(&db, &["import", "--undo", &batch]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("12 record archiviati"), "{out}");
    let s = stats(&db);
    assert_eq!(s.get(&("wemi".to_string(), 2022)).copied().unwrap_or(0), 0);
    let (code, out, _) = run(&db, &["import", "--undo", &batch]);
    assert_eq!(code, 1, "{out}");
    let (_, list, _) = run(&db, &["import", "--list"]);
    assert!(list.contains("ANNULLATA"), "{list}");
    let (code, out, err) = run(
        &db,
        &[
            "import",
            "--from",
            xlsx.to_str().unwrap(),
            "--mapping",
            dir.path().join("wemi.json").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(stats(&db)[&("wemi".to_string(), 2022)], 3);
    let (code, out, _) = run(&db, &["check"]);
    assert_eq!(code, 0, "{out}");
}

fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("soffice"))
            .find(|f| f.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "soffice (libreoffice-calc-nogui) is required in CI"
        );
        eprintln!("soffice non installato: conversione in ODS e XLS saltata");
    }
    found
}

fn convert(soffice: &Path, file: &Path, to: &str) -> PathBuf {
    let dir = file.parent().unwrap();
    let o = Command::new(soffice)
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(file)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = file.with_extension(to);
    assert!(out.is_file(), "{}", String::from_utf8_lossy(&o.stdout));
    out
}

#[test]
fn the_same_register_as_ods_and_xls_gives_the_same_counts() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("registro.xlsx");
    wemi_register(&xlsx);
    for to in ["ods", "xls"] {
        let file = convert(&soffice, &xlsx, to);
        import_wemi(dir.path(), &file, &format!("{to}.redb"));
    }
}

/// The MAP register: hours as `12,5`, `12:30`, a number, `10h30`.
fn map_register(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("MAP").unwrap();
    let headers = [
        "Cognome",
        "Nome",
        "Codice fiscale",
        "Data inizio",
        "Data fine",
        "Ore previste",
        "Ore svolte",
        "Ufficio UEPE",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, NaiveDate, &str, &str, f64, &str); 4] = [
        (
            "GALLI",
            "MARCO",
            d(1995, 3, 3),
            "01/02/2022",
            "30/06/2022",
            100.0,
            "12,5",
        ),
        (
            "Fontana",
            "Sara",
            d(1999, 8, 8),
            "15/03/2022",
            "",
            80.0,
            "12:30",
        ),
        (
            "Moretti",
            "Luca",
            d(1988, 2, 2),
            "01/09/2021",
            "31/01/2022",
            50.0,
            "#40",
        ),
        (
            "Conti",
            "Elena",
            d(1970, 5, 5),
            "01/01/2021",
            "31/12/2021",
            30.0,
            "10h30",
        ),
    ];
    for (i, (s, n, birth, start, end, req, done)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *s).unwrap();
        ws.write_string(r, 1, *n).unwrap();
        let sex = if *n == "Sara" || *n == "Elena" {
            CfSex::F
        } else {
            CfSex::M
        };
        ws.write_string(r, 2, cf(s, n, *birth, sex)).unwrap();
        ws.write_string(r, 3, *start).unwrap();
        if !end.is_empty() {
            ws.write_string(r, 4, *end).unwrap();
        }
        ws.write_number(r, 5, *req).unwrap();
        match done.strip_prefix('#') {
            Some(n) => ws.write_number(r, 6, n.parse::<f64>().unwrap()).unwrap(),
            None => ws.write_string(r, 6, *done).unwrap(),
        };
        ws.write_string(r, 7, "UEPE Milano").unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn the_map_register_with_hours_typed_every_way() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("map.xlsx");
    map_register(&xlsx);
    let db = fresh_db(dir.path(), "map.redb");
    let m = write_json(
        dir.path(),
        "map.json",
        r#"{"kind":"Projects","fixed":{"Kind":"messa alla prova","Line":"map"}}"#,
    );
    let args = [
        "import",
        "--from",
        xlsx.to_str().unwrap(),
        "--mapping",
        m.to_str().unwrap(),
    ];
    let (code, out, err) = run(&db, &args);
    assert_eq!(code, 0, "{out}{err}");
    let s = stats(&db);
    assert_eq!(s[&("map".to_string(), 2022)], 3, "{s:?}");
    assert_eq!(s[&("map".to_string(), 2021)], 2, "{s:?}");
    let store = Store::open(&db).unwrap();
    let r = store.read().unwrap();
    let mut done: Vec<(String, u64, u32)> = r
        .all::<Project>()
        .unwrap()
        .iter()
        .map(|p| {
            let who = r.get::<Person>(p.person).unwrap().unwrap().surname;
            let required = match &p.kind {
                ProjectKind::MessaAllaProva { hours_required, .. } => *hours_required,
                _ => 0,
            };
            (who, p.minutes_done(), required)
        })
        .collect();
    done.sort();
    assert_eq!(
        done,
        [
            ("Conti".into(), 630, 30),
            ("Fontana".into(), 750, 80),
            ("Galli".into(), 750, 100),
            ("Moretti".into(), 2400, 50),
        ]
    );
    drop(r);
    drop(store);
    let (_, out, _) = run(&db, &args);
    assert!(out.contains("Niente da importare"), "{out}");
    assert_eq!(stats(&db), s);
}

#[test]
fn the_equipe_blu_family_list_in_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Elenco famiglie Équipe Blu;;;;;\r\n\
        ;;;;;\r\n\
        Famiglia;Cognome;Nome;Relazione;Data di nascita;Data presa in carico\r\n\
        Famiglia Ferrari;FERRARI;NICCOLÒ;figlio;12/05/2015;10/01/2022\r\n\
        Famiglia Ferrari;Ferrari;Giulia;madre;03/02/1980;10/01/2022\r\n\
        Famiglia D'Angelo;D'Angelo;Attilio;figlio;01/06/2016;15/03/2022\r\n\
        Famiglia Colombo;Colombo;Andrea;figlio;20/09/2014;05/09/2021\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    let csv = dir.path().join("famiglie.csv");
    std::fs::write(&csv, &bytes).unwrap();
    let db = fresh_db(dir.path(), "blu.redb");
    let m = write_json(
        dir.path(),
        "blu.json",
        r#"{"kind":"Cases","about_household":true,"fixed":{"Line":"blu"}}"#,
    );
    let args = [
        "import",
        "--from",
        csv.to_str().unwrap(),
        "--mapping",
        m.to_str().unwrap(),
    ];
    let (code, out, err) = run(&db, &args);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("CSV separato da punto e virgola, Windows-1252"),
        "{out}"
    );
    let s = stats(&db);
    assert_eq!(s[&("blu".to_string(), 2022)], 3, "{s:?}");
    assert_eq!(s[&("blu".to_string(), 2021)], 1, "{s:?}");
    assert_eq!(count::<Household>(&db), 3);
    assert_eq!(count::<Case>(&db), 3);
    let store = Store::open(&db).unwrap();
    let people = store.read().unwrap().all::<Person>().unwrap();
    let niccolo = people.iter().find(|p| p.name == "Niccolò").unwrap();
    assert_eq!(niccolo.surname, "Ferrari");
    assert_eq!(
        niccolo.household.map(|m| m.relationship),
        Some(Relationship::Figlio)
    );
    drop(store);
    let (_, out, _) = run(&db, &args);
    assert!(out.contains("Niente da importare"), "{out}");
    assert_eq!(stats(&db), s);
}

/// Every table exported by `accoglienza export` imports back into an empty database with the
/// same counts and the same records (exported again, byte for byte).
#[test]
fn exports_import_back_identically() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.redb");
    let (code, _, err) = run(&demo, &["demo", "--seed", "5"]);
    assert_eq!(code, 0, "{err}");
    let empty = dir.path().join("empty.redb");
    drop(Store::open(&empty).unwrap());
    let tables = [
        ("operators", "operatori"),
        ("households", "nuclei"),
        ("people", "persone"),
        ("contacts", "accessi"),
        ("cases", "prese-in-carico"),
        ("projects", "progetti"),
        ("referrals", "invii"),
        ("activities", "presenze"),
    ];
    for (table, mapping) in tables {
        let csv = dir.path().join(format!("{table}.csv"));
        let (code, _, err) = run(
            &demo,
            &["export", "--table", table, "--out", csv.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = run(
            &empty,
            &[
                "import",
                "--from",
                csv.to_str().unwrap(),
                "--mapping",
                mapping,
            ],
        );
        assert_eq!(code, 0, "{table}: {out}{err}");
        assert!(out.contains("rifiutate: 0"), "{table}: {out}");
    }
    assert_eq!(stats(&empty), stats(&demo));
    for (table, _) in tables {
        let again = dir.path().join(format!("{table}-again.csv"));
        let (code, _, err) = run(
            &empty,
            &["export", "--table", table, "--out", again.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{err}");
        let a = std::fs::read_to_string(dir.path().join(format!("{table}.csv"))).unwrap();
        let b = std::fs::read_to_string(&again).unwrap();
        if a != b {
            let diff = a
                .lines()
                .zip(b.lines())
                .find(|(x, y)| x != y)
                .map(|(x, y)| format!("\n{x}\n{y}"))
                .unwrap_or_default();
            panic!("{table} differs after the round trip:{diff}");
        }
    }
}

/// Bad files give a clear message, exit code 2, and write nothing.
#[test]
fn bad_files_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path(), "bad.redb");
    let xlsx = dir.path().join("registro.xlsx");
    wemi_register(&xlsx);
    let bytes = std::fs::read(&xlsx).unwrap();
    let truncated = dir.path().join("troncato.xlsx");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let pdf = dir.path().join("registro-pdf.xlsx");
    std::fs::write(
        &pdf,
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    )
    .unwrap();
    let empty = dir.path().join("vuoto.xlsx");
    std::fs::write(&empty, b"").unwrap();
    // 100 MB of noise, and a CSV with binary garbage in the middle.
    let noise = dir.path().join("rumore.xlsx");
    {
        // xorshift64: noise without a dependency.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut buf = Vec::with_capacity(100 * 1024 * 1024);
        while buf.len() < 100 * 1024 * 1024 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            buf.extend_from_slice(&x.to_le_bytes());
        }
        std::fs::write(&noise, &buf).unwrap();
    }
    let garbage = dir.path().join("spazzatura.csv");
    let mut g = b"Cognome;Nome\nRossi;Mario\n".to_vec();
    g.extend([0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254]);
    g.extend(b"\nVerdi;Anna\n");
    std::fs::write(&garbage, &g).unwrap();
    let before = std::fs::read(&db).unwrap();
    for (file, says) in [
        (&truncated, "danneggiato"),
        (&pdf, "PDF"),
        (&empty, "vuoto"),
        (&noise, "binari"),
        (&garbage, "binari"),
    ] {
        let (code, out, err) = run(
            &db,
            &[
                "import",
                "--from",
                file.to_str().unwrap(),
                "--mapping",
                "accessi",
            ],
        );
        assert_eq!(code, 2, "{}: {out}{err}", file.display());
        assert!(err.contains(says), "{}: {err}", file.display());
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database was touched"
    );
    std::fs::remove_file(&noise).unwrap();
}

/// The fuzz corpus kept in tests: every file read whole and with random damage (cut,
/// flipped bytes, bytes inserted) gives a sheet or a message, never a panic.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/corpus");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 6, "corpus missing in {}", dir.display());
    out
}

#[test]
fn the_corpus_reads_whole() {
    for (name, bytes) in corpus() {
        let r = import::read::read_bytes(&name, bytes, &ReadOptions::default());
        if name.starts_with("ok-") {
            let s = r.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(s.rows.len() > 3, "{name}");
        } else {
            assert!(r.is_err(), "{name} should be refused");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn the_readers_survive_damaged_files(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        insert in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let files = corpus();
        let (name, mut bytes) = files[pick.index(files.len())].clone();
        if bytes.is_empty() { return Ok(()); }
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let at = cut.index(bytes.len());
        bytes.splice(at..at, insert);
        let half = bytes.len() - cut.index(bytes.len()) / 4;
        bytes.truncate(half.max(1));
        let _ = import::read::read_bytes(&name, bytes, &ReadOptions::default());
    }
}
