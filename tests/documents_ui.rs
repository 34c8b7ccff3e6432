//! Attached documents through the real window (egui_kittest, accessibility check on).
//! Issue 15's acceptance: a pratica on «Misura B2» for a demo person gets its ISEE (a PNG
//! made here) by the file dialog, the rest of the checklist ticked, and goes to accolta
//! with an amount; the list by state and the dashboard's per-bando figures follow. And in
//! the cartella: a file over the limit and a file that is not what its extension says are
//! refused inline with nothing written; a good one is attached, previewed, and opened with
//! the "system viewer" through a temporary copy that is removed afterwards.
//! (tests/pratiche_ui.rs covers the states and the «visto» ticks without files.)

#[path = "pratiche_ui/helpers.rs"]
mod helpers;
mod support;

use accoglienza::domain::document::{DocumentSettings, MB};
use accoglienza::domain::pratica::fmt_euro;
use accoglienza::domain::*;
use accoglienza::ui::documents::external::ExternalViewer;
use accoglienza::ui::file_picker::ScriptedPicker;
use accoglienza::ui::{AccoglienzaApp, OpenForm, Route};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use helpers::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use support::*;

/// A PNG of `w` × `h` pixels.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut wr = enc.write_header().unwrap();
    let data: Vec<u8> = (0..w * h * 3).map(|i| (i % 251) as u8).collect();
    wr.write_image_data(&data).unwrap();
    wr.finish().unwrap();
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The demo app, signed in, with a file dialog that answers `answers` in order.
fn app_with_picker(answers: Vec<PathBuf>) -> (Db, H) {
    let db = db(true);
    let picker = Arc::new(ScriptedPicker::new(answers.into_iter().map(Some)));
    let store = db.store.clone();
    let mut h: H = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| AccoglienzaApp::new(store, picker));
    sign_in_as(&mut h, TEST_USER);
    h.run();
    (db, h)
}

/// Clicks a button that starts a background job: one step, no waiting for the window to
/// settle (the job repaints it as it goes; `wait_for` / `step_until` follow).
fn press_button(h: &mut H, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.step();
}

/// Steps until `done` holds (background jobs).
fn step_until(h: &mut H, what: &str, done: impl Fn(&H) -> bool) {
    let start = std::time::Instant::now();
    while !done(h) {
        h.step();
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "{what} never happened"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
}

fn documents_about(db: &Db, person: Id) -> Vec<Document> {
    db.store
        .read()
        .unwrap()
        .by_subject::<Document>(person)
        .unwrap()
}

#[test]
fn an_isee_attached_by_the_file_dialog_fills_the_checklist_of_a_b2_pratica_that_goes_to_accolta() {
    let dir = tempfile::tempdir().unwrap();
    let isee_bytes = png(300, 420);
    let isee = write(dir.path(), "isee.png", &isee_bytes);
    let (db, mut h) = app_with_picker(vec![isee]);
    let p = person_with_cf(&db.store);
    let accolte_before = listed_in_state(&mut h, "Accolta");
    let before = b2_2025(&db);

    // A new pratica from the cartella: «Allega…» waits for the first save.
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    click_button(&mut h, "Nuova pratica");
    choose(&mut h, "Bando", B2);
    set_field(&mut h, "Richiesta il", "02/05/2025");
    click_button(&mut h, "Salva");
    let id = db
        .store
        .read()
        .unwrap()
        .by_subject::<Pratica>(p.id)
        .unwrap()
        .into_iter()
        .find(|x| x.requested_on == chrono::NaiveDate::from_ymd_opt(2025, 5, 2).unwrap())
        .expect("saved")
        .id;

    // Open it again (from the Pratiche list: the cartella underneath would list the same
    // document) and attach the ISEE to its line.
    h.state_mut().goto(Route::Pratiche);
    h.run();
    h.state_mut().env_mut().open = Some(OpenForm::Edit(EntityKind::Pratica, id));
    h.run();
    let stored: Pratica = db.store.read().unwrap().require(id).unwrap();
    let cat = h.state().env().data.catalog.clone();
    let names: Vec<String> = stored
        .checklist
        .iter()
        .map(|i| cat.name(i.document).to_string())
        .collect();
    let at = names
        .iter()
        .position(|n| n == "Attestazione ISEE")
        .expect("B2 asks for the ISEE");
    let line = h
        .get_all_by_role_and_label(Role::Button, "Allega…")
        .nth(at)
        .expect("an «Allega…» per line");
    line.click();
    h.run();
    assert!(has_text(&h, "Allega un documento"), "the attach form");
    assert!(has_text(&h, "isee.png"));
    press_button(&mut h, "Allega");
    wait_for(&mut h, "Attestazione ISEE: allegato «isee.png»");

    // One transaction: the document is the pratica's, the line points to it.
    let stored: Pratica = db.store.read().unwrap().require(id).unwrap();
    let r = db.store.read().unwrap();
    let docs = r.documents_of(DocumentOwner::Pratica(id)).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].file_name, "isee.png");
    assert_eq!(cat.name(docs[0].kind), "Attestazione ISEE");
    assert_eq!(
        stored.checklist[at].state,
        DocumentState::Allegato(docs[0].id)
    );
    assert_eq!(r.document_bytes(docs[0].id).unwrap(), isee_bytes);
    drop(r);

    // Previewed inside the dialog.
    press_button(&mut h, "Anteprima");
    wait_for(&mut h, "Anteprima del documento");

    // The rest of the checklist seen, and on through the states.
    for (i, n) in names.iter().enumerate() {
        if i != at {
            click(&mut h, &format!("{n}: visto (non conservato)"));
        }
    }
    choose(&mut h, "Passa a", "In preparazione");
    set_field(&mut h, "Data del passaggio", "05/05/2025");
    click_button(&mut h, "Salva");
    let stored: Pratica = db.store.read().unwrap().require(id).unwrap();
    assert_eq!(stored.missing_documents(), 0, "{:?}", stored.checklist);
    assert_eq!(
        stored.checklist[at].state,
        DocumentState::Allegato(docs[0].id),
        "saving the dialog keeps the attached line"
    );
    move_to(&mut h, id, "Inviata", "20/05/2025");
    click_button(&mut h, "Salva");
    move_to(&mut h, id, "Accolta", "15/07/2025");
    set_field(&mut h, "Importo riconosciuto (€)", "1.800,00");
    click_button(&mut h, "Salva");
    let stored: Pratica = db.store.read().unwrap().require(id).unwrap();
    assert_eq!(stored.state, PraticaState::Accolta);
    assert_eq!(stored.amount_cents, Some(180_000));

    // The list by state and the dashboard follow.
    assert_eq!(listed_in_state(&mut h, "Accolta"), accolte_before + 1);
    let after = b2_2025(&db);
    assert_eq!(after.opened, before.opened + 1);
    assert_eq!(after.accepted, before.accepted + 1);
    assert_eq!(after.granted_cents, before.granted_cents + 180_000);
    h.state_mut().goto(Route::Dashboard);
    h.run();
    choose(&mut h, "Anno", "2025");
    assert!(has_text(&h, &fmt_euro(after.granted_cents)));
}

#[test]
fn the_cartella_refuses_an_oversize_or_mislabelled_file_inline_and_attaches_previews_and_opens_a_good_one()
 {
    let dir = tempfile::tempdir().unwrap();
    let mut big = png(4, 4);
    big.resize((MB + MB / 2) as usize, 0);
    let big = write(dir.path(), "grande.png", &big);
    let fake = write(dir.path(), "ricevuta.pdf", &png(4, 4));
    let good_bytes = png(640, 480);
    let good = write(dir.path(), "permesso.png", &good_bytes);
    let (db, mut h) = app_with_picker(vec![big, fake, good]);
    let session = h.state().env().session.clone().unwrap();
    db.store
        .set_document_settings_as(&session, DocumentSettings { max_bytes: MB })
        .unwrap();
    let copies = tempfile::tempdir().unwrap();
    h.state_mut().env_mut().viewer = ExternalViewer::with_command(
        copies.path().to_path_buf(),
        ["true"],
        std::time::Duration::ZERO,
    );
    let p = person_with_cf(&db.store);
    let before = documents_about(&db, p.id).len();
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    assert!(has_text(&h, "Documenti ("));

    // Over the limit: said inline, «Allega» does nothing.
    click_button(&mut h, "Allega documento…");
    assert!(has_text(
        &h,
        "Il file è troppo grande (1,5 MB): il limite è 1 MB"
    ));
    h.get_by_role_and_label(Role::Button, "Allega").click();
    h.run();
    click_button(&mut h, "Annulla");
    assert_eq!(documents_about(&db, p.id).len(), before, "nothing written");

    // A PNG named .pdf.
    click_button(&mut h, "Allega documento…");
    assert!(has_text(
        &h,
        "Il contenuto di «ricevuta.pdf» non è quello che dice l'estensione"
    ));
    click_button(&mut h, "Annulla");
    assert_eq!(documents_about(&db, p.id).len(), before, "nothing written");

    // A good one: attached, listed, previewed at once.
    click_button(&mut h, "Allega documento…");
    choose(&mut h, "Tipo di documento", "Permesso di soggiorno");
    set_field(&mut h, "Data del documento", "15/01/2020");
    set_field(&mut h, "Scadenza", "31/12/2020");
    press_button(&mut h, "Allega");
    // Waited for once decoded (the title shows while the job still runs).
    wait_for(&mut h, "Anteprima del documento");
    assert!(has_text(&h, "Anteprima — permesso.png"));
    let docs = documents_about(&db, p.id);
    assert_eq!(docs.len(), before + 1);
    let doc = docs.iter().find(|d| d.file_name == "permesso.png").unwrap();
    assert_eq!(doc.owner, DocumentOwner::Person(p.id));
    assert_eq!(doc.size, good_bytes.len() as u64);
    assert!(
        has_text(&h, "scaduto il 31/12/2020"),
        "an expired one is marked"
    );

    // Opened through a temporary copy, removed once the viewer is done.
    press_button(&mut h, "Apri");
    step_until(&mut h, "the opening", |h| {
        h.state()
            .env()
            .message
            .as_ref()
            .is_some_and(|m| m.0.starts_with("Documento aperto"))
    });
    step_until(&mut h, "the removal of the copy", |h| {
        h.state().env().viewer.copies() == 0
    });
    assert_eq!(std::fs::read_dir(copies.path()).unwrap().count(), 0);
    // A copy left the program: logged as an export of the person, with the kind.
    let log = db.store.read().unwrap().audit(10).unwrap();
    assert!(
        log.iter().any(|(_, a)| a.entity == p.id
            && a.action == Action::Read(accoglienza::domain::access::AccessKind::Esportazione)
            && a.detail.contains("Permesso di soggiorno")),
        "{log:?}"
    );

    // Removed after a confirmation (the oldest document is the last row).
    h.get_all_by_role_and_label(Role::Button, "Rimuovi")
        .last()
        .unwrap()
        .click();
    h.run();
    assert!(has_text(&h, "Rimuovere il documento «permesso.png»?"));
    click_button(&mut h, "Rimuovi il documento");
    assert_eq!(documents_about(&db, p.id).len(), before);
    assert!(
        !has_text(&h, "Anteprima — permesso.png"),
        "its preview closed"
    );
}

/// A file dropped on the window.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_file_dropped_on_the_cartella_opens_the_attach_form_and_the_limit_is_set_in_impostazioni() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = png(80, 60);
    let dropped = write(dir.path(), "informativa.png", &bytes);
    let (db, mut h) = app_with_picker(vec![]);
    let p = person_with_cf(&db.store);
    let before = documents_about(&db, p.id).len();
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(dropped.clone())));
    h.run();
    assert!(has_text(&h, "Allega un documento"), "the attach form");
    assert!(has_text(&h, "informativa.png"));
    choose(&mut h, "Tipo di documento", "Informativa privacy firmata");
    press_button(&mut h, "Allega");
    step_until(&mut h, "the attach", |_| {
        documents_about(&db, p.id).len() == before + 1
    });
    let doc = documents_about(&db, p.id)
        .into_iter()
        .find(|d| d.file_name == "informativa.png")
        .unwrap();
    assert_eq!(
        db.store.read().unwrap().document_bytes(doc.id).unwrap(),
        bytes
    );

    // The limit, in Impostazioni → Catalogo → Tipi di documento.
    h.state_mut().goto(Route::Settings);
    h.run();
    click_scrolled(&mut h, "Tipi di documento");
    set_field(
        &mut h,
        "Dimensione massima dei documenti allegati (MB)",
        "0",
    );
    click_scrolled(&mut h, "Salva il limite");
    assert!(has_text(
        &h,
        "La dimensione massima dei documenti va da 1 a 200 MB"
    ));
    assert_eq!(db.store.document_settings().unwrap().max_bytes, 20 * MB);
    set_field(
        &mut h,
        "Dimensione massima dei documenti allegati (MB)",
        "5",
    );
    click_scrolled(&mut h, "Salva il limite");
    assert_eq!(db.store.document_settings().unwrap().max_bytes, 5 * MB);
}

#[test]
fn a_file_dropped_on_the_pratica_dialog_fills_the_line_of_the_kind_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let dropped = write(dir.path(), "carta-identita.png", &png(50, 30));
    let (db, mut h) = app_with_picker(vec![]);
    // An open demo pratica with its identity document missing.
    let cat = h.state().env().data.catalog.clone();
    let id_kind = cat
        .document_kinds
        .iter()
        .find(|k| k.name == "Documento d'identità")
        .unwrap()
        .id;
    let pratica = db
        .store
        .read()
        .unwrap()
        .all::<Pratica>()
        .unwrap()
        .into_iter()
        .find(|p| {
            !p.archived
                && p.checklist
                    .iter()
                    .any(|i| i.document == id_kind && i.state == DocumentState::Mancante)
        })
        .expect("a pratica missing its identity document");
    h.state_mut().goto(Route::Pratiche);
    h.run();
    h.state_mut().env_mut().open = Some(OpenForm::Edit(EntityKind::Pratica, pratica.id));
    h.run();
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(dropped.clone())));
    h.run();
    assert!(has_text(&h, "carta-identita.png"), "the attach form");
    choose(&mut h, "Tipo di documento", "Documento d'identità");
    press_button(&mut h, "Allega");
    wait_for(
        &mut h,
        "Documento d'identità: allegato «carta-identita.png»",
    );
    let stored: Pratica = db.store.read().unwrap().require(pratica.id).unwrap();
    let line = stored
        .checklist
        .iter()
        .find(|i| i.document == id_kind)
        .unwrap();
    let docs = db
        .store
        .read()
        .unwrap()
        .documents_of(DocumentOwner::Pratica(pratica.id))
        .unwrap();
    let doc = docs
        .iter()
        .find(|d| d.file_name == "carta-identita.png")
        .unwrap();
    assert_eq!(line.state, DocumentState::Allegato(doc.id));
}

#[test]
fn locking_the_window_removes_the_copies_still_open_in_a_viewer() {
    let (db, mut h) = app_with_picker(vec![]);
    let doc = db
        .store
        .read()
        .unwrap()
        .documents()
        .unwrap()
        .into_iter()
        .find(|d| matches!(d.subject, Subject::Person(_)))
        .expect("a demo document about a person");
    let copies = tempfile::tempdir().unwrap();
    // A viewer that stays open.
    h.state_mut().env_mut().viewer = ExternalViewer::with_command(
        copies.path().to_path_buf(),
        ["sh", "-c", "sleep 20", "viewer"],
        std::time::Duration::ZERO,
    );
    h.state_mut().goto(Route::Person(doc.subject.id()));
    h.run();
    h.get_all_by_role_and_label(Role::Button, "Apri")
        .next()
        .expect("the demo person's documents")
        .click();
    h.step();
    step_until(&mut h, "the copy", |h| h.state().env().viewer.copies() == 1);
    assert_eq!(std::fs::read_dir(copies.path()).unwrap().count(), 1);
    h.state_mut().lock();
    assert_eq!(h.state().env().viewer.copies(), 0);
    assert_eq!(std::fs::read_dir(copies.path()).unwrap().count(), 0);
}
