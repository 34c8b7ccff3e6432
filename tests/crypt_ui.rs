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
use egui_kittest::kittest::{NodeT, Queryable};
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

/// The real window made by `make`, with cheap password hashes, in a harness the size of
/// an office screen.
fn harness(make: impl FnOnce() -> Window + 'static) -> Harness<'static, Window> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| {
            let mut w = make();
            w.set_password_params(accoglienza::access::PasswordParams::FAST_FOR_TESTS);
            w
        })
}

fn window(path: PathBuf) -> Harness<'static, Window> {
    harness(move || {
        Window::encrypted(
            path,
            OpenOptions::default(),
            Arc::new(ScriptedPicker::default()),
            Default::default(),
        )
    })
}

/// Who is signed in to the window.
fn signed_in(h: &Harness<'_, Window>) -> String {
    let app = h.state().app().expect("the file is open");
    app.env()
        .session
        .as_ref()
        .expect("signed in")
        .username()
        .to_string()
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
    assert_eq!(
        app.route(),
        accoglienza::ui::Route::Today,
        "Oggi comes first"
    );
    h.state_mut()
        .app_mut()
        .unwrap()
        .goto(accoglienza::ui::Route::People);
    h.run();
    let app = h.state().app().unwrap();
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

/// The window over a new plain database that the window alone holds (so that it can be
/// swapped for an encrypted one), with cheap password hashes.
fn new_plain_window(path: PathBuf) -> Harness<'static, Window> {
    let store = Store::open(&path).unwrap();
    harness(move || {
        Window::open(accoglienza::ui::AccoglienzaApp::new(
            Arc::new(store),
            Arc::new(ScriptedPicker::default()),
        ))
    })
}

/// Every file in `dir` and the codici fiscali of `cfs` found in it.
fn codici_in_files(dir: &std::path::Path, cfs: &[String]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for cf in cfs {
            if memchr::memmem::find(&bytes, cf.as_bytes()).is_some() {
                found.push((path.display().to_string(), cf.clone()));
            }
        }
    }
    found
}

#[test]
fn the_demo_made_in_the_window_is_encrypted_and_its_accounts_sign_in_with_one_click() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accoglienza.redb");
    let mut h = new_plain_window(path.clone());
    h.run();
    click_button(&mut h, "Carica dati di esempio");
    wait_for(&mut h, "Entra come coordinatore");
    assert_eq!(crypt::file_kind(&path).unwrap(), crypt::FileKind::Encrypted);
    let store = h.state().app().unwrap().env().store.clone();
    assert!(store.is_encrypted());
    let mut slots = store.key_slot_names();
    slots.sort();
    let mut demo = accoglienza::demo::DEMO_ACCOUNTS.map(String::from).to_vec();
    demo.sort();
    assert_eq!(slots, demo, "one key slot per demo account");
    let cfs: Vec<String> = store
        .read()
        .unwrap()
        .all::<accoglienza::domain::Person>()
        .unwrap()
        .into_iter()
        .filter_map(|p| p.codice_fiscale)
        .step_by(5)
        .take(100)
        .collect();
    drop(store);
    assert_eq!(cfs.len(), 100, "the demo's people are there");
    assert_eq!(
        codici_in_files(dir.path(), &cfs),
        vec![],
        "no codice fiscale in any file the window left"
    );
    click_button(&mut h, "Entra come coordinatore");
    wait_for(&mut h, "persone ·");
    assert_eq!(signed_in(&h), "coordinatore");
    drop(h);

    // Opened again, the encrypted file's sign-in lists the demo accounts too.
    let mut h = window(path);
    h.run();
    wait_for(&mut h, "Entra come operatore");
    click_button(&mut h, "Entra come operatore");
    wait_for(&mut h, "persone ·");
    assert_eq!(signed_in(&h), "operatore");
}

#[test]
fn a_real_encrypted_database_does_not_list_the_demo_accounts() {
    let (_dir, path) = encrypted_demo();
    let mut h = window(path);
    for _ in 0..20 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    assert!(has_text(&h, "Il database è cifrato"));
    assert!(!has_text(&h, "Entra come"), "not a demo database");
}

/// The recovery key on screen (13 groups of 4 characters).
fn recovery_key_on_screen(h: &Harness<'_, Window>) -> String {
    let is_key = |l: &str| {
        let groups: Vec<&str> = l.split('-').collect();
        groups.len() == 13 && groups.iter().all(|g| g.len() == 4)
    };
    let text = |n: &egui_kittest::kittest::AccessKitNode<'_>| n.label().or_else(|| n.value());
    h.query_all_by(|n| text(n).is_some_and(|l| is_key(&l)))
        .next()
        .and_then(|n| text(&n.accesskit_node()))
        .expect("the recovery key is on screen")
        .to_string()
}

#[test]
fn a_plain_database_is_encrypted_at_the_first_sign_in_and_its_recovery_key_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accoglienza.redb");
    let mut h = new_plain_window(path.clone());
    h.run();
    click_button(&mut h, "Inizia vuoto");
    type_into(&mut h, "Password provvisoria", "la prima password");
    type_into(&mut h, "Ripeti la password", "la prima password");
    h.get_by_role_and_label(
        Role::CheckBox,
        "Dai a questo account anche il ruolo Coordinatore (vede le persone e i casi)",
    )
    .click();
    h.run();
    click_button(&mut h, "Crea l'amministratore");
    assert_eq!(crypt::file_kind(&path).unwrap(), crypt::FileKind::Plain);
    type_into(&mut h, "Password", "la prima password");
    click_button(&mut h, "Accedi");
    wait_for(&mut h, "Chiave di recupero");
    assert_eq!(crypt::file_kind(&path).unwrap(), crypt::FileKind::Encrypted);
    let key = recovery_key_on_screen(&h);
    // «Continua» only once the key is said to be written down.
    assert!(
        h.query_by_role_and_label(Role::Button, "Continua")
            .is_some_and(|b| b.accesskit_node().is_disabled())
    );
    h.get_by_label("Ho scritto la chiave e la conservo al sicuro")
        .click();
    h.run();
    click_button(&mut h, "Continua");
    assert!(has_text(&h, "è provvisoria"), "then the password to change");
    assert!(
        !has_text(&h, "Accesso negato"),
        "nothing is read (and refused) before the password is changed"
    );
    assert!(
        h.query_all_by(|n| n.label().or_else(|| n.value()).is_some_and(|l| l == key))
            .next()
            .is_none(),
        "the key is gone from the screen"
    );
    // Then the provisional password is changed, as on any first sign-in: the key slot
    // follows the new password.
    type_into(&mut h, "Password attuale", "la prima password");
    type_into(&mut h, "Nuova password", "la mia frase segreta");
    type_into(&mut h, "Ripeti la password", "la mia frase segreta");
    click_button(&mut h, "Cambia password");
    assert!(h.state().app().unwrap().env().can_write(), "signed in");
    drop(h);

    let opts = OpenOptions::default();
    let with = |slot: &str, pw: &str| crypt::Unlock::Password {
        slot: slot.into(),
        password: SecretString::from(pw.to_string()),
    };
    assert!(matches!(
        Store::open_encrypted(&path, opts, &with("admin", "la prima password")),
        Err(accoglienza::store::StoreError::WrongPassword)
    ));
    drop(Store::open_encrypted(&path, opts, &with("admin", "la mia frase segreta")).unwrap());
    let mut store = Store::open_encrypted(
        &path,
        opts,
        &crypt::Unlock::Recovery(SecretString::from(key)),
    )
    .unwrap();
    assert!(store.has_accounts().unwrap());
    assert!(store.check().unwrap().ok());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        leftovers,
        vec!["accoglienza.redb".to_string()],
        "no plain copy left"
    );
}

#[test]
fn an_administrator_makes_a_new_recovery_key_and_the_old_one_stops_opening_the_file() {
    let (_dir, path) = encrypted_demo();
    let old_key = {
        let store = Store::open_encrypted(
            &path,
            OpenOptions::default(),
            &crypt::Unlock::Password {
                slot: TEST_USER.into(),
                password: SecretString::from(TEST_PASSWORD.to_string()),
            },
        )
        .unwrap();
        store.new_recovery_key().unwrap().display()
    };
    let mut h = window(path.clone());
    h.run();
    type_into(&mut h, "Nome utente", TEST_USER);
    type_into(&mut h, "Password", TEST_PASSWORD);
    click_button(&mut h, "Accedi");
    wait_for(&mut h, "persone ·");
    click_button(&mut h, "Impostazioni");
    let scrolled = |h: &mut Harness<'_, Window>, label: &str| {
        let b = h.get_by_role_and_label(Role::Button, label);
        b.scroll_to_me();
        h.run();
        h.get_by_role_and_label(Role::Button, label).click();
        h.run();
    };
    scrolled(&mut h, "Nuova chiave di recupero…");
    assert!(has_text(&h, "smetterà di aprire il database"));
    scrolled(&mut h, "Genera la nuova chiave");
    let new_key = recovery_key_on_screen(&h);
    h.get_by_label("Ho scritto la chiave e la conservo al sicuro")
        .click();
    h.run();
    scrolled(&mut h, "Continua");
    assert!(
        h.query_all_by(|n| n
            .label()
            .or_else(|| n.value())
            .is_some_and(|l| l == new_key))
            .next()
            .is_none(),
        "shown once"
    );
    // The Registro accessi has it, flagged.
    let store = h.state().app().unwrap().env().store.clone();
    let log = store.read().unwrap().audit(5).unwrap();
    assert!(
        log.iter().any(
            |(_, r)| r.action == accoglienza::domain::Action::RecoveryKeyReplaced && r.flagged
        )
    );
    drop(store);
    drop(h);
    let opts = OpenOptions::default();
    assert!(matches!(
        Store::open_encrypted(&path, opts, &crypt::Unlock::Recovery(old_key)),
        Err(accoglienza::store::StoreError::WrongPassword)
    ));
    drop(
        Store::open_encrypted(
            &path,
            opts,
            &crypt::Unlock::Recovery(SecretString::from(new_key)),
        )
        .expect("the new key opens it"),
    );
}
