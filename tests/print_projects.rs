//! A project's documents read back through `pdftotext`: the messa alla prova statement
//! (the person, every session with its date, hours and activity, the totals and the hours
//! remaining, computed here from the stored records), the tirocinio's monthly attendance
//! sheet (that month's days and total), who may print them, `accoglienza project print`,
//! and the print button of the project dialog in the real window.

mod support;

use accoglienza::access;
use accoglienza::domain::access::{AccessKind, role_codes};
use accoglienza::domain::*;
use accoglienza::print::{self, Month};
use accoglienza::store::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use std::path::Path;
use std::process::{Command, Stdio};
use support::{TEST_PASSWORD, TEST_USER};

/// The text of a PDF by `pdftotext -layout`; `None` (skip) when poppler-utils is missing,
/// except under CI, where a missing tool fails the test.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("doc.pdf");
    std::fs::write(&f, pdf).unwrap();
    match Command::new("pdftotext")
        .arg("-layout")
        .arg(&f)
        .arg("-")
        .output()
    {
        Ok(out) => {
            assert!(out.status.success(), "pdftotext refused the PDF");
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext is missing under CI ({e}): install poppler-utils"
            );
            eprintln!("pdftotext missing ({e}): skipped");
            None
        }
    }
}

/// Minutes as the paper shows them, written here on purpose rather than borrowed from the
/// program: whole hours alone, otherwise hours:minutes.
fn hm(minutes: u64) -> String {
    if minutes.is_multiple_of(60) {
        format!("{}", minutes / 60)
    } else {
        format!("{}:{:02}", minutes / 60, minutes % 60)
    }
}

fn dmy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

fn tokens(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// True when some line of `text` starts with these words.
fn has_row(text: &str, start: &[&str]) -> bool {
    text.lines().any(|l| tokens(l).starts_with(start))
}

fn session(store: &Store, user: &str) -> access::Session {
    access::sign_in(store, user, TEST_PASSWORD).expect("sign in")
}

const ACTIVITY: &str = "Riordino della biblioteca è più (Forlì)";

/// The demo's messa alla prova with the longest ledger, made distinctive: hours with
/// minutes on some days and an activity with accents (the ledger's dates stay as they
/// are, so the record stays valid).
fn largest_map(store: &Store) -> Project {
    let mut p = store
        .read()
        .unwrap()
        .all::<Project>()
        .unwrap()
        .into_iter()
        .filter(|p| !p.archived)
        .filter_map(|p| match &p.kind {
            ProjectKind::MessaAllaProva { ledger, .. } => Some((ledger.len(), p)),
            _ => None,
        })
        .max_by_key(|(n, _)| *n)
        .expect("a messa alla prova")
        .1;
    if let ProjectKind::MessaAllaProva { ledger, .. } = &mut p.kind {
        assert!(ledger.len() >= 30, "a ledger long enough to take two pages");
        for (i, e) in ledger.iter_mut().enumerate() {
            match i % 5 {
                1 => e.minutes = 150,
                3 => e.minutes = 45,
                _ => {}
            }
            if i % 4 == 2 {
                e.activity = ACTIVITY.into();
            }
        }
    }
    store.update(Id::NIL, p.clone()).unwrap();
    p
}

#[test]
fn the_map_statement_has_the_person_every_session_and_the_right_totals() {
    let db = support::db(true);
    let store = &db.store;
    let project = largest_map(store);
    let s = session(store, TEST_USER);
    let started = std::time::Instant::now();
    let pdf = print::map_statement_pdf(store, Some(&s), project.id, "richiesta UEPE").unwrap();
    let sessions = match &project.kind {
        ProjectKind::MessaAllaProva { ledger, .. } => ledger.len(),
        _ => 0,
    };
    eprintln!(
        "statement of the largest demo project ({sessions} sessions): {:?}, {} bytes",
        started.elapsed(),
        pdf.len()
    );
    // docs/screenshot-map-statement.png is page 1 of this PDF (`pdftoppm -png -r 80`).
    if let Some(out) = std::env::var_os("ACCOGLIENZA_PDF_OUT") {
        std::fs::write(out, &pdf).unwrap();
    }
    // The expectations, from the stored records (read without any session).
    let r = store.read().unwrap();
    let stored: Project = r.require(project.id).unwrap();
    let person: Person = r.require(stored.person).unwrap();
    drop(r);
    let ProjectKind::MessaAllaProva {
        ledger,
        hours_required,
        court,
        court_file,
        uepe_office,
    } = &stored.kind
    else {
        panic!("not a messa alla prova")
    };
    let mut ledger = ledger.clone();
    ledger.sort_by_key(|e| e.date);
    let done: u64 = ledger.iter().map(|e| u64::from(e.minutes)).sum();
    let left = (u64::from(*hours_required) * 60).saturating_sub(done);
    assert!(
        left > 0 && done > 0,
        "a programme half done: {done} of {hours_required} h"
    );

    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains(&format!("{} {}", person.surname, person.name)));
    assert!(text.contains(court.as_str()) && text.contains(uepe_office.as_str()));
    assert!(text.contains("Dichiarazione delle ore di lavoro di pubblica utilità"));
    for (i, e) in ledger.iter().enumerate() {
        let (n, date, hours) = ((i + 1).to_string(), dmy(e.date), hm(e.minutes.into()));
        let row = [n.as_str(), date.as_str(), hours.as_str()];
        let mut want: Vec<&str> = row.to_vec();
        want.extend(e.activity.split_whitespace());
        assert!(has_row(&text, &want), "session {want:?} is on paper");
    }
    let (total, required, remaining) = (hm(done), hm(u64::from(*hours_required) * 60), hm(left));
    let days = ledger.len().to_string();
    assert!(
        has_row(&text, &["Totale", &total, &days, "giornate"]),
        "total row"
    );
    assert!(has_row(&text, &["Ore", "previste:", &required]));
    assert!(has_row(&text, &["Ore", "svolte:", &total]));
    assert!(has_row(&text, &["Ore", "residue:", &remaining]));
    assert!(
        text.contains("La persona in messa alla prova"),
        "signature lines"
    );
    assert!(
        !court_file.is_empty()
            && text.contains("N. procedimento")
            && text.contains(court_file.as_str()),
        "the court file reference {court_file:?} is printed"
    );
    let pages = text.matches("pagina ").count();
    assert!(pages >= 2 && text.contains(&format!("pagina {pages} di {pages}")));
    // Logged as a print of the person, with the purpose.
    let log = store.read().unwrap().audit(10).unwrap();
    assert!(log.iter().any(|(_, a)| a.entity == person.id
        && a.action == Action::Read(AccessKind::Stampa)
        && a.detail.contains("dichiarazione messa alla prova")
        && a.detail.contains("richiesta UEPE")));
}

#[test]
fn judicial_data_needs_art10_and_each_document_its_kind() {
    let db = support::db(true);
    let store = &db.store;
    let map = largest_map(store);
    let tirocinio = store
        .read()
        .unwrap()
        .all::<Project>()
        .unwrap()
        .into_iter()
        .find(|p| matches!(p.kind, ProjectKind::Tirocinio { .. }))
        .unwrap();
    support::add_role_account(store, "oper", role_codes::OPERATORE, None);
    let oper = session(store, "oper");
    let before = store.read().unwrap().audit(1).unwrap();
    match print::map_statement_pdf(store, Some(&oper), map.id, "") {
        Err(StoreError::Denied(m)) => assert!(m.contains("art. 10"), "{m}"),
        other => panic!(
            "an Operatore prints judicial data: {:?}",
            other.map(|b| b.len())
        ),
    }
    assert_eq!(
        store.read().unwrap().audit(1).unwrap(),
        before,
        "a refused print is not logged as a print"
    );
    let s = session(store, TEST_USER);
    let err = print::map_statement_pdf(store, Some(&s), tirocinio.id, "").unwrap_err();
    assert!(
        err.to_string().contains("solo per la messa alla prova"),
        "{err}"
    );
    let month = Month::of(tirocinio.start);
    let err = print::attendance_pdf(store, Some(&s), map.id, month, "").unwrap_err();
    assert!(err.to_string().contains("solo per il tirocinio"), "{err}");
}

/// The demo's tirocinio with the longest register and its busiest month, with a note and
/// an absence on that month's first two days of the register.
fn busy_tirocinio(store: &Store) -> (Project, Month) {
    let mut p = store
        .read()
        .unwrap()
        .all::<Project>()
        .unwrap()
        .into_iter()
        .filter(|p| !p.archived)
        .filter_map(|p| match &p.kind {
            ProjectKind::Tirocinio { attendance, .. } => Some((attendance.len(), p)),
            _ => None,
        })
        .max_by_key(|(n, _)| *n)
        .expect("a tirocinio")
        .1;
    let ProjectKind::Tirocinio { attendance, .. } = &mut p.kind else {
        unreachable!()
    };
    let mut per_month = std::collections::BTreeMap::<Month, usize>::new();
    for a in attendance.iter() {
        *per_month.entry(Month::of(a.date)).or_default() += 1;
    }
    let month = *per_month.iter().max_by_key(|(_, n)| **n).unwrap().0;
    let mut in_month = attendance.iter_mut().filter(|a| Month::of(a.date) == month);
    let first = in_month.next().unwrap();
    first.present = true;
    first.minutes = 330;
    first.note = "Corso sulla sicurezza è obbligatorio".into();
    let second = in_month.next().expect("two days in the month");
    second.present = false;
    second.note = "Malattia".into();
    store.update(Id::NIL, p.clone()).unwrap();
    (p, month)
}

#[test]
fn the_attendance_sheet_has_the_month_and_its_total() {
    let db = support::db(true);
    let store = &db.store;
    let (project, month) = busy_tirocinio(store);
    let s = session(store, TEST_USER);
    let pdf = print::attendance_pdf(store, Some(&s), project.id, month, "").unwrap();
    if let Some(out) = std::env::var_os("ACCOGLIENZA_ATTENDANCE_OUT") {
        std::fs::write(out, &pdf).unwrap();
    }
    let r = store.read().unwrap();
    let stored: Project = r.require(project.id).unwrap();
    let person: Person = r.require(stored.person).unwrap();
    drop(r);
    let ProjectKind::Tirocinio { attendance, .. } = &stored.kind else {
        panic!("not a tirocinio")
    };
    let days: Vec<&Attendance> = attendance
        .iter()
        .filter(|a| a.date.year() == month.year && a.date.month() == month.month)
        .collect();
    let worked: u64 = days
        .iter()
        .filter(|a| a.present)
        .map(|a| u64::from(a.minutes))
        .sum();
    let present = days.iter().filter(|a| a.present).count();
    assert!(worked > 0 && days.iter().any(|a| !a.present));

    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains(&format!("{} {}", person.surname, person.name)));
    for a in &days {
        let date = dmy(a.date);
        let hours = hm(a.minutes.into());
        let mut want = vec![date.as_str()];
        if a.present {
            want.extend(["presente", hours.as_str()]);
        } else {
            want.push("assente");
        }
        want.extend(a.note.split_whitespace());
        assert!(
            text.lines()
                .any(|l| tokens(l).get(1..).is_some_and(|t| t.starts_with(&want))),
            "day {want:?} is on paper"
        );
    }
    // Every day of the month has its row, and no other month's days are there.
    let in_month = text
        .lines()
        .filter(|l| {
            tokens(l)
                .get(1)
                .is_some_and(|t| t.ends_with(&format!("/{:02}/{}", month.month, month.year)))
        })
        .count();
    let month_len = month.days().count();
    assert_eq!(in_month, month_len, "one row per day of the month");
    let next = month.first() + chrono::Duration::days(month_len as i64);
    assert!(!text.contains(&dmy(next)) && !text.contains(&dmy(month.first().pred_opt().unwrap())));
    let giorni = if present == 1 { "giorno" } else { "giorni" };
    let total = hm(worked);
    assert!(
        has_row(
            &text,
            &[
                "Totale",
                "del",
                "mese",
                &present.to_string(),
                giorni,
                &total
            ]
        ),
        "the month's total: {total} h in {present} days"
    );
    assert!(text.contains("Il tutor") && text.contains("Il tirocinante"));
    assert!(text.contains(&format!(
        "Foglio presenze del tirocinio — {}",
        month.label()
    )));
    let log = store.read().unwrap().audit(5).unwrap();
    assert!(log.iter().any(|(_, a)| a.entity == person.id
        && a.action == Action::Read(AccessKind::Stampa)
        && a.detail.contains("foglio presenze")));
}

fn bin(db: &Path, args: &[&str], pw: &Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_accoglienza"))
        .arg("--db")
        .arg(db)
        .args(["--user", TEST_USER, "--password-file"])
        .arg(pw)
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

#[test]
fn project_print_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    std::fs::copy(support::demo_template(), &db).unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{TEST_PASSWORD}\n")).unwrap();
    let (map, (tirocinio, month), other) = {
        let store = Store::open(&db).unwrap();
        let map = largest_map(&store);
        let t = busy_tirocinio(&store);
        let other = store
            .read()
            .unwrap()
            .all::<Project>()
            .unwrap()
            .into_iter()
            .find(|p| matches!(p.kind, ProjectKind::CaseManager { .. }))
            .unwrap();
        (map, t, other)
    };
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let pdf = out_dir.join("map.pdf");
    let (id, p) = (map.id.to_string(), pdf.to_str().unwrap().to_string());
    let (ok, out, err) = bin(&db, &["project", "print", "--id", &id, "--out", &p], &pw);
    assert!(ok, "{err}");
    assert!(out.contains("Documento scritto"), "{out}");
    if let Some(text) = pdftotext(&std::fs::read(&pdf).unwrap()) {
        assert!(text.contains("Ore residue:"));
    }
    let sheet = out_dir.join("presenze.pdf");
    let t = tirocinio.id.to_string();
    let (ok, _, err) = bin(
        &db,
        &[
            "project",
            "print",
            "--id",
            &t,
            "--month",
            &month.code(),
            "--out",
            sheet.to_str().unwrap(),
        ],
        &pw,
    );
    assert!(ok, "{err}");
    if let Some(text) = pdftotext(&std::fs::read(&sheet).unwrap()) {
        assert!(text.contains(&month.label()) && text.contains("Totale del mese"));
    }

    // Failures: a clear Italian message, a non-zero exit, no file left behind.
    let before = std::fs::read_dir(&out_dir).unwrap().count();
    let m = out_dir.join("no.pdf");
    let m = m.to_str().unwrap();
    let (unknown, other) = (Id::new().to_string(), other.id.to_string());
    let cases: [(Vec<&str>, &str); 6] = [
        (vec!["--id", &t, "--month", "13/2024"], "Mese non valido"),
        (vec!["--id", &t], "indica il mese"),
        (
            vec!["--id", &id, "--month", "2024-03"],
            "solo per il foglio presenze",
        ),
        (vec!["--id", "non-un-id"], "non valido"),
        (vec!["--id", &unknown], "Nessun progetto"),
        (vec!["--id", &other], "si stampano solo"),
    ];
    for (args, says) in cases {
        let mut all = vec!["project", "print", "--out", m];
        all.extend(args.iter().copied());
        let (ok, _, err) = bin(&db, &all, &pw);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
    }
    let nowhere = dir.path().join("non-esiste").join("x.pdf");
    let (ok, _, err) = bin(
        &db,
        &[
            "project",
            "print",
            "--id",
            &id,
            "--out",
            nowhere.to_str().unwrap(),
        ],
        &pw,
    );
    assert!(!ok && err.contains("non esiste"), "{err}");
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        before,
        "no file left behind"
    );
}

#[test]
fn the_project_dialog_prints_the_statement_and_the_attendance_sheet() {
    use accoglienza::ui::file_picker::ScriptedPicker;
    use accoglienza::ui::{AccoglienzaApp, OpenForm};
    use egui_kittest::kittest::Queryable;
    use std::sync::Arc;
    let db = support::db(true);
    let map = largest_map(&db.store);
    let (tirocinio, month) = busy_tirocinio(&db.store);
    let person: Person = db.store.read().unwrap().require(map.person).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (pdf, sheet) = (dir.path().join("scelto.pdf"), dir.path().join("foglio.pdf"));
    let picker = Arc::new(ScriptedPicker::new([
        Some(pdf.clone()),
        Some(sheet.clone()),
    ]));
    let (store, pk) = (db.store.clone(), picker.clone());
    let mut h = egui_kittest::Harness::builder()
        .with_size([1400.0, 900.0])
        // The project dialog fades in over a few frames.
        .with_max_steps(24)
        .build_eframe(move |_cc| {
            let mut app = AccoglienzaApp::new(store, pk);
            app.set_password_params(access::PasswordParams::FAST_FOR_TESTS);
            app.set_encrypt_plain(false);
            app
        });
    support::sign_in_as(&mut h, TEST_USER);
    h.state_mut().env_mut().open = Some(OpenForm::Edit(EntityKind::Project, map.id));
    h.run();
    assert!(
        h.query_by_label("Stampa foglio presenze…").is_none(),
        "a messa alla prova has no attendance sheet"
    );
    support::click_button(&mut h, "Stampa dichiarazione per l'UEPE…");
    support::type_into(
        &mut h,
        "Motivo della stampa (va nel registro accessi)",
        "richiesta UEPE",
    );
    support::click_button(&mut h, "Salva…");
    for _ in 0..4 {
        h.run();
    }
    let asked = picker.requests();
    let name = asked[0].file_name.clone().unwrap();
    assert!(
        name.starts_with(&format!("messa-alla-prova-{}-", map.id.short()))
            && name.ends_with(".pdf"),
        "{name}"
    );
    assert!(!name.contains(&person.surname) && !name.contains(&person.name));
    let bytes = std::fs::read(&pdf).expect("the PDF is saved where the dialog said");
    if let Some(text) = pdftotext(&bytes) {
        assert!(text.contains(&person.surname) && text.contains("Ore residue:"));
    }
    let log = db.store.read().unwrap().audit(5).unwrap();
    assert!(log.iter().any(|(_, a)| a.entity == person.id
        && a.action == Action::Read(AccessKind::Stampa)
        && a.detail.contains("richiesta UEPE")));

    // The tirocinio: the month is asked, and a wrong one is refused in the dialog.
    support::press(&mut h, egui::Key::Escape);
    h.state_mut().env_mut().open = Some(OpenForm::Edit(EntityKind::Project, tirocinio.id));
    h.run();
    support::click_button(&mut h, "Stampa foglio presenze…");
    support::set_field(&mut h, "Mese (mm/aaaa)", "13/2024");
    support::click_button(&mut h, "Salva…");
    assert!(support::has_text(&h, "Mese non valido"));
    assert_eq!(
        picker.requests().len(),
        1,
        "no save dialog for a wrong month"
    );
    let typed = format!("{:02}/{}", month.month, month.year);
    support::set_field(&mut h, "Mese (mm/aaaa)", &typed);
    support::click_button(&mut h, "Salva…");
    for _ in 0..4 {
        h.run();
    }
    let name = picker.requests()[1].file_name.clone().unwrap();
    assert!(
        name.starts_with(&format!(
            "presenze-{}-{}-",
            month.code(),
            tirocinio.id.short()
        )),
        "{name}"
    );
    let bytes = std::fs::read(&sheet).expect("the sheet is saved");
    if let Some(text) = pdftotext(&bytes) {
        assert!(text.contains(&month.label()));
    }
}

#[test]
fn without_art10_the_project_dialog_offers_no_statement() {
    use egui_kittest::kittest::Queryable;
    let db = support::db(true);
    let map = largest_map(&db.store);
    let (tirocinio, _) = busy_tirocinio(&db.store);
    support::add_role_account(&db.store, "oper", role_codes::OPERATORE, None);
    for (user, id, button, shown) in [
        ("oper", map.id, "Stampa dichiarazione per l'UEPE…", false),
        ("oper", tirocinio.id, "Stampa foglio presenze…", true),
        (TEST_USER, map.id, "Stampa dichiarazione per l'UEPE…", true),
    ] {
        let mut h = support::harness(db.store.clone());
        support::sign_in_as(&mut h, user);
        h.state_mut().env_mut().open =
            Some(accoglienza::ui::OpenForm::Edit(EntityKind::Project, id));
        // The dialog opens over a few frames (focus, sizing).
        h.run_steps(6);
        h.run();
        assert!(
            support::has_text(&h, "Progetto:"),
            "{user}: the form is open"
        );
        assert_eq!(
            h.query_by_role_and_label(egui::accesskit::Role::Button, button)
                .is_some(),
            shown,
            "{user}: «{button}»"
        );
    }
}
