//! The window on an encrypted database: the sign-in opens the file (username and password
//! unlock the account's key slot), a wrong password is refused, and the lock forgets the
//! keys until someone signs in again.

mod support;

use accoglienza::store::crypt::{self, SecretString};
use accoglienza::store::{OpenOptions, Store};
use accoglienza::ui::Window;
use accoglienza::ui::file_picker::ScriptedPicker;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;
use std::sync::Arc;
use support::{TEST_PASSWORD, TEST_USER, demo_template};

/// A copy of the demo, converted to an encrypted database with a key slot for the test
/// account (its password).
fn encrypted_demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cifrato.redb");
    std::fs::copy(demo_template(), &path).unwrap();
    let (store, _key) = Store::encrypt_existing(
        &path,
        OpenOptions::default(),
        TEST_USER,
        &SecretString::from(TEST_PASSWORD.to_string()),
    )
    .unwrap();
    drop(store);
    assert_eq!(crypt::file_kind(&path).unwrap(), crypt::FileKind::Encrypted);
    (dir, path)
}

fn window(path: PathBuf) -> Harness<'static, Window> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| {
            let mut w = Window::encrypted(
                path,
                OpenOptions::default(),
                Arc::new(ScriptedPicker::default()),
                Default::default(),
            );
            w.set_password_params(accoglienza::access::PasswordParams::FAST_FOR_TESTS);
            w
        })
}

fn has_text(h: &Harness<'_, Window>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn type_into(h: &mut Harness<'_, Window>, label: &str, text: &str) {
    let field = h.get_by(|n| {
        matches!(n.role(), Role::TextInput | Role::PasswordInput)
            && n.label().as_deref() == Some(label)
    });
    field.focus();
    field.type_text(text);
    h.run();
}

fn click_button(h: &mut Harness<'_, Window>, label: &str) {
    h.get_by_role_and_label(Role::Button, label).click();
    h.run();
}

/// Steps until the people list shows its rows (loaded in the background).
fn wait_for(h: &mut Harness<'_, Window>, what: &str) {
    let start = std::time::Instant::now();
    while !has_text(h, what) {
        h.step();
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "«{what}» never appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run();
}

#[test]
fn an_encrypted_database_opens_on_its_sign_in_and_a_wrong_password_is_refused() {
    let (_dir, path) = encrypted_demo();
    let mut h = window(path.clone());
    h.run();
    assert!(has_text(&h, "Il database è cifrato"));
    assert!(h.state().app().is_none(), "no store before the password");
    type_into(&mut h, "Nome utente", TEST_USER);
    type_into(&mut h, "Password", "non è questa password");
    click_button(&mut h, "Accedi");
    assert!(has_text(&h, "Nome utente o password errati"));
    assert!(h.state().app().is_none(), "still closed");
    assert_eq!(crypt::slot_status(&path, TEST_USER).unwrap().failures, 1);

    type_into(&mut h, "Password", TEST_PASSWORD);
    click_button(&mut h, "Accedi");
    let app = h.state().app().expect("the file is open");
    let session = app.env().session.clone().expect("signed in");
    assert_eq!(session.username(), TEST_USER);
    assert!(app.env().store.keys_loaded());
    assert_eq!(
        crypt::slot_status(&path, TEST_USER).unwrap().failures,
        0,
        "a good unlock clears the failures"
    );
    wait_for(&mut h, "persone ·");
    let app = h.state().app().unwrap();
    assert_eq!(app.route(), accoglienza::ui::Route::People);
    assert!(
        app.shown().is_some_and(|(rows, _)| rows > 0),
        "the people list shows the demo's people"
    );
}

#[test]
fn a_slot_locked_by_failures_is_refused_with_the_minutes() {
    let (_dir, path) = encrypted_demo();
    let now = chrono::Utc::now().timestamp();
    for _ in 0..crypt::LOCK_AFTER_FAILURES {
        crypt::record_failed_unlock(&path, TEST_USER, now).unwrap();
    }
    let mut h = window(path);
    h.run();
    type_into(&mut h, "Nome utente", TEST_USER);
    type_into(&mut h, "Password", TEST_PASSWORD);
    click_button(&mut h, "Accedi");
    assert!(has_text(&h, "Troppi tentativi falliti"));
    assert!(has_text(&h, "riprova tra 5 minuti"));
    assert!(h.state().app().is_none());
}

#[test]
fn the_lock_forgets_the_keys_and_signing_in_again_brings_them_back() {
    let (_dir, path) = encrypted_demo();
    let mut h = window(path);
    h.run();
    type_into(&mut h, "Nome utente", TEST_USER);
    type_into(&mut h, "Password", TEST_PASSWORD);
    click_button(&mut h, "Accedi");
    wait_for(&mut h, "persone ·");
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::L);
    h.run();
    let app = h.state().app().unwrap();
    assert!(app.locked());
    let store = app.env().store.clone();
    assert!(!store.keys_loaded(), "the data key left memory");
    assert!(store.key_slot_names().is_empty(), "no keys to read");
    // A wrong password at the lock screen: refused, keys still away.
    type_into(&mut h, "Password", "non è questa password");
    click_button(&mut h, "Accedi");
    assert!(has_text(&h, "Nome utente o password errati"));
    assert!(!store.keys_loaded());
    type_into(&mut h, "Password", TEST_PASSWORD);
    click_button(&mut h, "Accedi");
    let app = h.state().app().unwrap();
    assert!(app.env().can_write(), "signed in again");
    assert!(store.keys_loaded(), "the keys are back");
    assert!(store.read().unwrap().audit(3).is_ok());
}
