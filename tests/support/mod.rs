//! What the window tests share: a demo database made once per test binary and copied per
//! test, the real App in a harness the size of an office screen, and the ways the tests
//! click, type and look (by the accessible names kittest checks).
#![allow(dead_code)]

use accoglienza::access;
use accoglienza::domain::access::role_codes;
use accoglienza::domain::*;
use accoglienza::store::Store;
use accoglienza::ui::AccoglienzaApp;
use accoglienza::ui::file_picker::ScriptedPicker;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A cooperative-scale demo database, generated once per test run and copied per test.
pub fn demo_template() -> &'static Path {
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
            // The first active operator as the window lists them.
            let op = accoglienza::ui::data::Data::load_catalog(&store)
                .unwrap()
                .catalog
                .active_operators()
                .next()
                .expect("an operator")
                .id;
            add_account(&store, TEST_USER, Some(op));
            drop(store);
            (dir, path)
        })
        .1
}

/// A test's own database: a copy of the demo, or empty.
pub struct Db {
    pub _dir: tempfile::TempDir,
    pub store: Arc<Store>,
}

pub fn db(demo: bool) -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("test.redb");
    if demo {
        std::fs::copy(demo_template(), &path).expect("copy demo");
    }
    let store = Arc::new(Store::open(&path).expect("open"));
    Db { _dir: dir, store }
}

/// The account the window tests sign in with (Amministratore and Coordinatore: every
/// screen), linked to the demo's first active operator.
pub const TEST_USER: &str = "prova";
/// Its password.
pub const TEST_PASSWORD: &str = "la password delle prove";

/// Creates an account with the Amministratore and Coordinatore roles (cheap hash: the
/// tests are about the window, not the hash).
pub fn add_account(store: &Store, username: &str, operator: Option<Id>) -> Id {
    let roles = [role_codes::ADMIN, role_codes::COORDINATORE]
        .iter()
        .map(|c| store.access_role(c).unwrap().unwrap().id)
        .collect();
    store
        .create_account_unchecked(
            &access::NewAccount {
                username: username.into(),
                operator,
                roles,
                must_change: false,
            },
            TEST_PASSWORD,
            access::PasswordParams::FAST_FOR_TESTS,
        )
        .unwrap()
}

/// Creates an account with one default role (cheap hash) and the test password.
pub fn add_role_account(store: &Store, username: &str, role: &str, operator: Option<Id>) -> Id {
    let role = store.access_role(role).unwrap().unwrap().id;
    store
        .create_account_unchecked(
            &access::NewAccount {
                username: username.into(),
                operator,
                roles: vec![role],
                must_change: false,
            },
            TEST_PASSWORD,
            access::PasswordParams::FAST_FOR_TESTS,
        )
        .unwrap()
}

/// The real App over a store, in a harness the size of an office screen.
pub fn harness(store: Arc<Store>) -> Harness<'static, AccoglienzaApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| {
            let mut app = AccoglienzaApp::new(store, Arc::new(ScriptedPicker::default()));
            app.set_password_params(access::PasswordParams::FAST_FOR_TESTS);
            // The test keeps a handle on the store: the file cannot be swapped for an
            // encrypted one (tests/crypt_ui.rs tests that with a store it gives away).
            app.set_encrypt_plain(false);
            app
        })
}

/// Signs the window in as `username` (with the test password), through the store's
/// sign-in.
pub fn sign_in_as(h: &mut Harness<'_, AccoglienzaApp>, username: &str) {
    let store = h.state().env().store.clone();
    let session = access::sign_in(&store, username, TEST_PASSWORD).expect("sign in");
    h.state_mut().sign_in(session);
    h.run();
}

/// Signs the window in as the operator `op`: their account (made on first use, with
/// every screen) signs in.
pub fn sign_in_operator(h: &mut Harness<'_, AccoglienzaApp>, op: Id) {
    let store = h.state().env().store.clone();
    let name = format!("op-{}", op.short());
    if store
        .read()
        .unwrap()
        .all::<Account>()
        .unwrap()
        .iter()
        .all(|a| a.username != name)
    {
        add_account(&store, &name, Some(op));
    }
    sign_in_as(h, &name);
}

/// The demo app with the test account (the first active operator's) signed in.
pub fn demo_app() -> (Db, Harness<'static, AccoglienzaApp>) {
    let db = db(true);
    let mut h = harness(db.store.clone());
    sign_in_as(&mut h, TEST_USER);
    h.run();
    (db, h)
}

pub fn click_button(h: &mut Harness<'_, AccoglienzaApp>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.run();
}

/// Types into the text field (one line or more, or a password) named by `label`.
pub fn type_into(h: &mut Harness<'_, AccoglienzaApp>, label: &str, text: &str) {
    let field = h.get_by(|n| {
        matches!(
            n.role(),
            Role::TextInput | Role::MultilineTextInput | Role::PasswordInput
        ) && n.label().as_deref() == Some(label)
    });
    field.focus();
    field.type_text(text);
    h.run();
}

/// Replaces the whole text of the field named by `label`.
pub fn set_field(h: &mut Harness<'_, AccoglienzaApp>, label: &str, text: &str) {
    let field = h.get_by(|n| {
        matches!(
            n.role(),
            Role::TextInput | Role::MultilineTextInput | Role::PasswordInput
        ) && n.label().as_deref() == Some(label)
    });
    field.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    let field = h.get_by(|n| {
        matches!(
            n.role(),
            Role::TextInput | Role::MultilineTextInput | Role::PasswordInput
        ) && n.label().as_deref() == Some(label)
    });
    field.type_text(text);
    h.run();
}

/// The value of the text field named by `label`.
pub fn field_value(h: &Harness<'_, AccoglienzaApp>, label: &str) -> Option<String> {
    h.get_by(|n| {
        matches!(
            n.role(),
            Role::TextInput | Role::MultilineTextInput | Role::PasswordInput
        ) && n.label().as_deref() == Some(label)
    })
    .value()
}

pub fn has_text(h: &Harness<'_, AccoglienzaApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

pub fn press(h: &mut Harness<'_, AccoglienzaApp>, key: egui::Key) {
    h.key_press(key);
    h.run();
}

/// A valid codice fiscale for a woman born on 1 January 1985 in Milan, with a surname code.
pub fn valid_cf(prefix6: &str) -> String {
    let first15 = format!("{prefix6}85A41F205");
    let check = codice_fiscale::check_char(first15.as_bytes());
    format!("{first15}{check}")
}

pub fn people_count(store: &Store) -> u64 {
    store.read().unwrap().count::<Person>().unwrap()
}

/// Opens the new-person form from the Persone screen.
pub fn new_person_form(h: &mut Harness<'_, AccoglienzaApp>) {
    click_button(h, "Persone");
    click_button(h, "Nuova persona");
    assert!(has_text(h, "Nuova persona"));
}

/// A person with no records yet, registered directly in the store by the signed-in operator.
pub fn fresh_person(h: &mut Harness<'_, AccoglienzaApp>, surname: &str, name: &str) -> Id {
    let env = h.state().env();
    let id = env
        .store
        .insert(
            env.operator,
            Person {
                surname: surname.into(),
                name: name.into(),
                ..Default::default()
            },
        )
        .expect("insert");
    h.state_mut().env_mut().refresh(EntityKind::Person, id);
    h.run();
    id
}

pub fn this_year() -> i32 {
    chrono::Datelike::year(&accoglienza::domain::time::today())
}

pub fn click(h: &mut Harness<'_, AccoglienzaApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Steps the window until a text containing `what` shows (background jobs included).
pub fn wait_for(h: &mut Harness<'_, AccoglienzaApp>, what: &str) {
    let start = std::time::Instant::now();
    loop {
        h.step();
        if has_text(h, what) {
            h.run();
            return;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "«{what}» never appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Scrolls a button into view (Impostazioni is long), then clicks it.
pub fn click_scrolled(h: &mut Harness<'_, AccoglienzaApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// A person of the demo with a (checked, not provisional) codice fiscale, not archived.
pub fn person_with_cf(store: &Store) -> Person {
    store
        .read()
        .unwrap()
        .all::<Person>()
        .unwrap()
        .into_iter()
        .find(|p| p.codice_fiscale.is_some() && !p.cf_provisional && !p.archived)
        .expect("a person with a codice fiscale")
}
