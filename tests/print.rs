//! Printed documents read back: the cartella PDF through `pdftotext` (names, headings,
//! accents, "€", page numbers; what a role may not see stays off paper), the art. 15
//! export's JSON (round trip, what was left out), the `person export` command (success,
//! unknown id, bad date, unwritable path: never a partial file).

mod support;

use accoglienza::access;
use accoglienza::domain::access::role_codes;
use accoglienza::domain::*;
use accoglienza::print::{self, CartellaOptions, Omission, OmitItem, Section};
use accoglienza::store::Store;
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
            assert!(
                out.status.success(),
                "pdftotext refused the PDF: {}",
                String::from_utf8_lossy(&out.stderr)
            );
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

const ACCENTS: &str = "àèìòù";
const COURT_MARKER: &str = "Tribunale Marcatore-Q7";

/// A demo person with a household of at least two, made distinctive: accents in the
/// surname and the note, "€", many long contacts (several pages) and a messa alla prova
/// (art. 10) with a marker court.
fn prepared(store: &Store) -> Person {
    let r = store.read().unwrap();
    let people = r.all::<Person>().unwrap();
    let mut p = people
        .iter()
        .find(|p| {
            !p.archived
                && p.household.is_some_and(|m| {
                    r.members(m.household)
                        .map(|v| v.len() >= 2)
                        .unwrap_or(false)
                })
        })
        .expect("a person in a household")
        .clone();
    let contact = r.all::<Contact>().unwrap().into_iter().next().unwrap();
    let map = r
        .all::<Project>()
        .unwrap()
        .into_iter()
        .find(|x| matches!(x.kind, ProjectKind::MessaAllaProva { .. }))
        .expect("a messa alla prova");
    drop(r);
    p.surname = format!("Perù{ACCENTS}");
    p.note = format!("Ha versato 12,50 € di contributo; città: Forlì, perché sì ({ACCENTS}).");
    store.update(Id::NIL, p.clone()).unwrap();
    for i in 0..60 {
        let mut c = contact.clone();
        c.id = Id::NIL;
        c.archived = false;
        c.subject = Subject::Person(p.id);
        c.at = chrono::NaiveDate::from_ymd_opt(2023, 1 + (i % 12), 1 + i % 28)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        c.confidential = false;
        c.note = format!(
            "Colloquio numero {i}: la persona racconta la sua situazione, già più serena; \
             si concorda un nuovo incontro e l'accompagnamento alla pratica. {ACCENTS} €"
        );
        store.insert(Id::NIL, c).unwrap();
    }
    let mut m = map;
    m.id = Id::NIL;
    m.person = p.id;
    m.archived = false;
    if let ProjectKind::MessaAllaProva { court, .. } = &mut m.kind {
        *court = COURT_MARKER.to_string();
    }
    store.insert(Id::NIL, m).unwrap();
    p
}

fn session(store: &Store, user: &str) -> access::Session {
    access::sign_in(store, user, TEST_PASSWORD).expect("sign in")
}

#[test]
fn the_cartella_pdf_reads_back_with_name_headings_accents_and_page_numbers() {
    let db = support::db(true);
    let store = &db.store;
    let p = prepared(store);
    let s = session(store, TEST_USER);
    let pdf =
        print::cartella_pdf(store, Some(&s), p.id, &CartellaOptions::default(), "prova").unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // docs/screenshot-cartella-pdf.png is page 1 of this PDF (`pdftoppm -png -r 80`).
    if let Some(out) = std::env::var_os("ACCOGLIENZA_PDF_OUT") {
        std::fs::write(out, &pdf).unwrap();
    }
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains(&p.surname), "the surname with its accents");
    assert!(text.contains(&p.name));
    assert!(
        text.contains("Ha versato 12,50 € di contributo"),
        "€ intact"
    );
    assert!(text.contains("Forlì, perché sì"));
    for sec in Section::ALL {
        assert!(text.contains(sec.heading()), "heading {}", sec.heading());
    }
    assert!(text.contains("DOCUMENTO RISERVATO"));
    assert!(text.contains(print::cartella::COOPERATIVE));
    assert!(
        text.contains(COURT_MARKER),
        "a coordinator sees art. 10 data"
    );
    let pages = text.matches("pagina ").count();
    assert!(pages >= 2, "sixty contacts take more than a page");
    assert!(text.contains(&format!("pagina 1 di {pages}")));
    assert!(text.contains(&format!("pagina {pages} di {pages}")));
    // Logged as a print of this person, with the purpose.
    let log = store.read().unwrap().audit(20).unwrap();
    assert!(log.iter().any(|(_, a)| a.entity == p.id
        && a.action == Action::Read(accoglienza::domain::access::AccessKind::Stampa)
        && a.detail.contains("prova")));
}

#[test]
fn sections_and_dates_choose_what_is_printed() {
    let db = support::db(true);
    let store = &db.store;
    let p = prepared(store);
    let s = session(store, TEST_USER);
    let o = CartellaOptions {
        sections: vec![Section::Anagrafica, Section::Accessi],
        from: chrono::NaiveDate::from_ymd_opt(2023, 3, 1),
        to: chrono::NaiveDate::from_ymd_opt(2023, 3, 31),
        ..Default::default()
    };
    let pdf = print::cartella_pdf(store, Some(&s), p.id, &o, "").unwrap();
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains("Accessi e colloqui") && !text.contains("Progetti"));
    assert!(text.contains("dal 01/03/2023 al 31/03/2023"));
    assert!(text.contains("/03/2023 10:00") && !text.contains("/04/2023 10:00"));
}

#[test]
fn a_role_without_art10_does_not_get_judicial_data_on_paper() {
    let db = support::db(true);
    let store = &db.store;
    let p = prepared(store);
    support::add_role_account(store, "oper", role_codes::OPERATORE, None);
    support::add_role_account(store, "banco", role_codes::SPORTELLO, None);
    let s = session(store, "oper");
    let pdf = print::cartella_pdf(store, Some(&s), p.id, &CartellaOptions::default(), "").unwrap();
    let s = session(store, "banco");
    let desk = print::cartella_pdf(store, Some(&s), p.id, &CartellaOptions::default(), "").unwrap();
    let Some(text) = pdftotext(&pdf) else { return };
    assert!(text.contains(&p.surname));
    assert!(
        !text.contains(COURT_MARKER),
        "no art. 10 content for an Operatore"
    );
    let desk = pdftotext(&desk).unwrap();
    assert!(!desk.contains(COURT_MARKER));
    assert!(
        desk.contains("Non mostrato"),
        "the desk's role may not read projects: the page says so"
    );
}

#[test]
fn the_access_export_round_trips_and_lists_what_was_left_out() {
    let db = support::db(true);
    let store = &db.store;
    let p = prepared(store);
    let s = session(store, TEST_USER);
    // A consultation to find in the export.
    print::cartella_pdf(store, Some(&s), p.id, &CartellaOptions::default(), "").unwrap();
    let omissions = [
        Omission {
            item: OmitItem::HouseholdMembers,
            reason: "dati di terzi".into(),
        },
        Omission {
            item: OmitItem::ConfidentialNotes,
            reason: "valutazioni in corso".into(),
        },
    ];
    let x = print::art15::access_export(store, Some(&s), p.id, &omissions).unwrap();
    let back: print::art15::AccessJson = serde_json::from_str(&x.json_text()).unwrap();
    assert_eq!(back.persona, p.id.to_string());
    assert_eq!(back.esclusi, omissions.to_vec());
    assert!(back.dati.iter().all(|r| r.tipo != "componente del nucleo"));
    assert!(
        back.dati
            .iter()
            .all(|r| !r.finalita.is_empty() && !r.base_giuridica.is_empty())
    );
    assert!(back.dati.iter().filter(|r| r.tipo == "accesso").count() >= 60);
    assert!(back.dati[0].dati["surname"].as_str() == Some(p.surname.as_str()));
    assert!(
        back.consultazioni.as_ref().is_some_and(|c| !c.is_empty()),
        "a coordinator reads the access log: the print above is a consultation"
    );
    let log = store.read().unwrap().audit(5).unwrap();
    assert!(log.iter().any(|(_, a)| a.entity == p.id
        && a.action == Action::Read(accoglienza::domain::access::AccessKind::Esportazione)
        && a.detail.contains("esclusi")
        && a.detail.contains("dati di terzi")));
    // Without the review, the members are there.
    let all = print::art15::access_export(store, Some(&s), p.id, &[]).unwrap();
    assert!(
        all.json
            .dati
            .iter()
            .any(|r| r.tipo == "componente del nucleo")
    );
    if let Some(text) = pdftotext(&x.pdf) {
        assert!(text.contains("esclusi (dati di terzi)"));
    }
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
fn person_export_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    std::fs::copy(support::demo_template(), &db).unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{TEST_PASSWORD}\n")).unwrap();
    let id = {
        let store = Store::open(&db).unwrap();
        let id = prepared(&store).id.to_string();
        drop(store);
        id
    };
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let pdf = out_dir.join("cartella.pdf");
    let p = pdf.to_str().unwrap();
    let (ok, out, err) = bin(&db, &["person", "export", "--id", &id, "--out", p], &pw);
    assert!(ok, "{err}");
    assert!(out.contains("Cartella scritta"), "{out}");
    let bytes = std::fs::read(&pdf).unwrap();
    if let Some(text) = pdftotext(&bytes) {
        assert!(text.contains(ACCENTS) && text.contains("pagina 1 di"));
    }
    let json = out_dir.join("art15.json");
    let (ok, _, err) = bin(
        &db,
        &[
            "person",
            "export",
            "--id",
            &id,
            "--format",
            "json",
            "--omit-household",
            "--out",
            json.to_str().unwrap(),
        ],
        &pw,
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["esclusi"][0]["item"], "HouseholdMembers");

    // Failures: a clear Italian message, a non-zero exit, no file left behind.
    let before: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    let missing = out_dir.join("missing.pdf");
    let m = missing.to_str().unwrap();
    let unknown = Id::new().to_string();
    let (ok, _, err) = bin(
        &db,
        &["person", "export", "--id", &unknown, "--out", m],
        &pw,
    );
    assert!(!ok && err.contains("Nessuna persona"), "{err}");
    let (ok, _, err) = bin(
        &db,
        &[
            "person",
            "export",
            "--id",
            &id,
            "--from",
            "31/02/2024",
            "--out",
            m,
        ],
        &pw,
    );
    assert!(!ok && err.contains("Data non valida"), "{err}");
    let (ok, _, err) = bin(
        &db,
        &["person", "export", "--id", "non-un-id", "--out", m],
        &pw,
    );
    assert!(!ok && err.contains("non valido"), "{err}");
    let nowhere = dir.path().join("non-esiste").join("x.pdf");
    let (ok, _, err) = bin(
        &db,
        &[
            "person",
            "export",
            "--id",
            &id,
            "--out",
            nowhere.to_str().unwrap(),
        ],
        &pw,
    );
    assert!(
        !ok && err.contains("non esiste"),
        "an unwritable path fails: {err}"
    );
    assert!(!nowhere.exists());
    let after: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert_eq!(before.len(), after.len(), "no file left behind");
    assert!(!missing.exists());
}

#[test]
fn the_cartella_prints_and_exports_through_the_window() {
    use accoglienza::ui::file_picker::ScriptedPicker;
    use accoglienza::ui::{AccoglienzaApp, Route};
    use std::sync::Arc;
    let db = support::db(true);
    let p = prepared(&db.store);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("scelto.pdf");
    let json = dir.path().join("accesso.json");
    let picker = Arc::new(ScriptedPicker::new([Some(pdf.clone()), Some(json.clone())]));
    let (store, pk) = (db.store.clone(), picker.clone());
    let mut h = egui_kittest::Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| {
            let mut app = AccoglienzaApp::new(store, pk);
            app.set_password_params(access::PasswordParams::FAST_FOR_TESTS);
            app.set_encrypt_plain(false);
            app
        });
    support::sign_in_as(&mut h, TEST_USER);
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    support::click_button(&mut h, "Stampa / Esporta PDF…");
    {
        use egui_kittest::kittest::Queryable;
        h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Attività di gruppo")
            .click();
    }
    h.run();
    support::type_into(
        &mut h,
        "Motivo della stampa (va nel registro accessi)",
        "UEPE",
    );
    support::click_button(&mut h, "Salva…");
    for _ in 0..4 {
        h.run();
    }
    let asked = picker.requests();
    let name = asked[0].file_name.clone().unwrap();
    assert!(
        name.starts_with(&format!("cartella-{}-", p.id.short())),
        "{name}"
    );
    assert!(
        !name.contains(&p.surname),
        "no personal data in the suggested name"
    );
    let bytes = std::fs::read(&pdf).expect("the PDF is saved where the dialog said");
    if let Some(text) = pdftotext(&bytes) {
        assert!(text.contains(&p.surname) && text.contains("Progetti"));
        assert!(
            !text.contains("Attività di gruppo"),
            "the section was unticked"
        );
    }
    support::click_button(&mut h, "Esporta dati (art. 15)…");
    assert!(support::has_text(&h, "Revisione: escludi i dati di terzi"));
    support::click_button(&mut h, "Salva…");
    for _ in 0..4 {
        h.run();
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["esclusi"].as_array().unwrap().len(), 2);
    assert!(
        json.with_extension("pdf").exists(),
        "the PDF beside the JSON"
    );
}
