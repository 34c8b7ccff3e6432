//! The window, driven through the real App with egui_kittest (no GPU). Every input must be
//! labelled: kittest's accessibility check stays on.

use accoglienza::store::Store;
use accoglienza::ui::AccoglienzaApp;
use accoglienza::ui::file_picker::ScriptedPicker;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A cooperative-scale demo database, generated once per test run and copied per test.
fn demo_template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("demo.redb");
            let store = Store::open(&path).expect("open");
            accoglienza::demo::generate(
                &store,
                accoglienza::demo::Scale::Cooperative,
                2022,
                &mut |_, _, _| {},
            )
            .expect("demo");
            drop(store);
            (dir, path)
        })
        .1
}

/// A test's own database: a copy of the demo, or empty.
struct Db {
    _dir: tempfile::TempDir,
    store: Arc<Store>,
}

fn db(demo: bool) -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("test.redb");
    if demo {
        std::fs::copy(demo_template(), &path).expect("copy demo");
    }
    let store = Arc::new(Store::open(&path).expect("open"));
    Db { _dir: dir, store }
}

/// The real App over a store, in a harness the size of an office screen.
fn harness(store: Arc<Store>) -> Harness<'static, AccoglienzaApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| AccoglienzaApp::new(store, Arc::new(ScriptedPicker::default())))
}

/// The demo app with the first active operator at the desk.
fn demo_app() -> (Db, Harness<'static, AccoglienzaApp>) {
    let db = db(true);
    let mut h = harness(db.store.clone());
    let op = h
        .state()
        .env()
        .data
        .catalog
        .active_operators()
        .next()
        .expect("an operator")
        .id;
    h.state_mut().sign_in(op);
    h.run();
    (db, h)
}

fn click_button(h: &mut Harness<'_, AccoglienzaApp>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.run();
}

/// Types into the text field named by `label`.
fn type_into(h: &mut Harness<'_, AccoglienzaApp>, label: &str, text: &str) {
    let field = h.get_by_role_and_label(Role::TextInput, label);
    field.focus();
    field.type_text(text);
    h.run();
}

fn has_text(h: &Harness<'_, AccoglienzaApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn shell_navigates_every_section() {
    let (_db, mut h) = demo_app();
    assert!(
        has_text(&h, "5082 persone"),
        "people list with the demo registry"
    );
    for (nav, heading) in [
        ("Famiglie", "Famiglie"),
        ("Accessi", "Accessi"),
        ("Prese in carico", "Prese in carico"),
        ("Progetti", "Progetti"),
        ("Invii", "Invii"),
        ("Attività", "Attività"),
        ("Équipe", "Équipe"),
        ("Cruscotto", "Conteggi annuali per linea di servizio"),
        ("Impostazioni", "Backup e ripristino"),
    ] {
        click_button(&mut h, nav);
        assert!(has_text(&h, heading), "section {nav} shows {heading}");
    }
}

#[test]
fn empty_database_welcome_then_first_operator() {
    let db = db(false);
    let mut h = harness(db.store.clone());
    h.run();
    assert!(has_text(&h, "Carica dati di esempio"));
    click_button(&mut h, "Inizia vuoto");
    assert!(
        has_text(&h, "Chi sta lavorando a questa postazione?"),
        "the operator gate"
    );
    click_button(&mut h, "Nuovo operatore…");
    type_into(&mut h, "Cognome", "Verdi");
    type_into(&mut h, "Nome", "Anna");
    click_button(&mut h, "Salva");
    let env = h.state().env();
    assert!(env.can_write(), "the new operator is at the desk");
    assert_eq!(
        env.data
            .catalog
            .operator(env.operator)
            .map(|o| o.display_name()),
        Some("Anna Verdi".into())
    );
    assert!(!has_text(&h, "Chi sta lavorando a questa postazione?"));
}
