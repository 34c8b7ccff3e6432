//! Starting from the desktop menu, with no terminal: the first start creates the database in
//! its folder and shows the welcome screen; what stops the program (the database already
//! open, unreadable, newer, impossible to create) is explained in a window, driven here with
//! egui_kittest through the real problem window.

use accoglienza::store::{Store, StoreError};
use accoglienza::ui::AccoglienzaApp;
use accoglienza::ui::file_picker::ScriptedPicker;
use accoglienza::ui::i18n::{self, Lang};
use accoglienza::ui::startup::{self, Problem, ProblemKind, ProblemWindow};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;
use std::sync::Arc;

fn window(problem: Problem) -> Harness<'static, ProblemWindow> {
    Harness::builder()
        .with_size([600.0, 270.0])
        .build_eframe(move |_cc| ProblemWindow::new(problem))
}

fn has_text<S>(h: &Harness<'_, S>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

/// What the start shows for the database at `db`: the problem, or nothing when it opens.
fn problem_at(db: &Path) -> Option<Problem> {
    startup::open_store(db).err()
}

#[test]
fn the_first_start_creates_the_database_folder_and_shows_the_welcome() {
    let dir = tempfile::tempdir().unwrap();
    // Like ~/.local/share/accoglienza/ on a new account: the folder does not exist yet.
    let db = dir.path().join("share/accoglienza/accoglienza.redb");
    let startup::Opening::Open(store) = startup::open_store(&db).expect("a new database opens")
    else {
        panic!("a new database is not encrypted");
    };
    let store = Arc::new(store);
    assert!(db.is_file());
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| AccoglienzaApp::new(store, Arc::new(ScriptedPicker::default())));
    h.run();
    assert!(has_text(&h, "Benvenuti in Accoglienza"));
    assert!(has_text(&h, "Carica dati di esempio"));
}

#[test]
fn a_database_already_open_is_explained_in_a_window_that_closes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.redb");
    let _open_elsewhere = Store::open(&db).unwrap();
    let problem = problem_at(&db).expect("refused while open elsewhere");
    assert_eq!(problem.kind, ProblemKind::AlreadyOpen);
    let mut h = window(problem);
    h.run();
    assert!(has_text(&h, "Accoglienza è già aperta su questo database"));
    assert!(has_text(&h, "Passa a quella finestra"));
    // The precise message, with the file, as on standard error.
    assert!(has_text(&h, &db.display().to_string()));
    assert!(!h.state().closed);
    h.get_by_role_and_label(Role::Button, "Chiudi").click();
    h.run();
    assert!(h.state().closed);
}

#[test]
fn escape_closes_the_problem_window() {
    let mut h = window(Problem::new(ProblemKind::Internal, "panicked at x"));
    h.run();
    assert!(has_text(&h, "Errore interno del programma"));
    assert!(has_text(&h, "panicked at x"));
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().closed);
}

#[test]
fn unreadable_newer_and_unreachable_databases_each_get_their_advice() {
    let dir = tempfile::tempdir().unwrap();
    // Not a database: refused, explained, untouched.
    let notes = dir.path().join("notes.redb");
    std::fs::write(&notes, "appunti").unwrap();
    let problem = problem_at(&notes).expect("refused");
    assert_eq!(problem.kind, ProblemKind::Unreadable);
    let mut h = window(problem);
    h.run();
    assert!(has_text(&h, "Il database non si può leggere"));
    assert!(has_text(&h, "ripristina l'ultimo backup"));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "appunti");

    // Written by a newer version (the store's refusal itself is tested in tests/store.rs).
    let problem = Problem::opening(&StoreError::NewerSchema {
        found: 99,
        supported: 1,
    });
    assert_eq!(problem.kind, ProblemKind::NewerVersion);
    let mut h = window(problem);
    h.run();
    assert!(has_text(&h, "Il database è di una versione più recente"));
    assert!(has_text(&h, "schema 99"));

    // Its folder cannot be created (a file is in the way).
    let blocked = dir.path().join("file-in-the-way");
    std::fs::write(&blocked, "").unwrap();
    let problem = problem_at(&blocked.join("accoglienza.redb")).expect("refused");
    assert_eq!(problem.kind, ProblemKind::CannotOpen);
    let mut h = window(problem);
    h.run();
    assert!(has_text(&h, "Il database non si può aprire"));
    assert!(has_text(&h, "impossibile creare la cartella"));
}

#[test]
fn the_problem_window_speaks_the_chosen_language() {
    i18n::set_lang(Lang::En);
    let mut h = window(Problem::new(ProblemKind::BackupAtExit, "disco pieno"));
    h.run();
    let english = has_text(&h, "Automatic backup failed") && has_text(&h, "Close");
    i18n::set_lang(Lang::It);
    assert!(english, "English title and button");
}
