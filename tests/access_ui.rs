//! Accounts and permissions through the real window (egui_kittest, accessibility check
//! on): the sign-in screen, the demo accounts, wrong passwords, the lock (Blocca, Ctrl+L,
//! idle minutes) with unsaved forms surviving it, each role's screens, art. 10 fields
//! hidden, the extraordinary access and the Registro accessi.

mod support;

use accoglienza::access;
use accoglienza::domain::access::role_codes;
use accoglienza::domain::*;
use accoglienza::ui::file_picker::ScriptedPicker;
use accoglienza::ui::{AccoglienzaApp, OpenForm, Route};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use std::time::Duration;
use support::*;

fn nav_has(h: &Harness<'_, AccoglienzaApp>, section: &str) -> bool {
    h.query_by_role_and_label(Role::Button, section).is_some()
}

fn first_operator_with(store: &accoglienza::store::Store, role: &str) -> Id {
    let r = store.read().unwrap();
    let role = r
        .all::<accoglienza::domain::Role>()
        .unwrap()
        .into_iter()
        .find(|x| x.code == role)
        .unwrap()
        .id;
    r.active::<Operator>()
        .unwrap()
        .into_iter()
        .find(|o| o.role == role)
        .unwrap()
        .id
}

/// A person of the demo with a case, and the case.
fn person_with_a_case(store: &accoglienza::store::Store) -> (Id, Case) {
    let r = store.read().unwrap();
    let case = r
        .all::<Case>()
        .unwrap()
        .into_iter()
        .find(|c| matches!(c.subject, Subject::Person(_)) && !c.archived)
        .expect("a case about a person");
    (case.subject.id(), case)
}

#[test]
fn the_sign_in_screen_of_a_demo_lists_its_accounts() {
    let db = db(true);
    accoglienza::demo::create_accounts(&db.store, access::PasswordParams::FAST_FOR_TESTS).unwrap();
    let mut h = harness(db.store.clone());
    h.run();
    assert!(has_text(&h, "Accedi ad Accoglienza"));
    assert!(has_text(&h, "Database dimostrativo"));
    assert!(has_text(&h, accoglienza::demo::DEMO_PASSWORD));
    assert!(!nav_has(&h, "Persone"), "nothing behind the gate");
    assert!(
        !has_text(&h, "persone ·"),
        "no counts of people before signing in"
    );
    click_button(&mut h, "Entra come coordinatore");
    let s = h.state().env().session.clone().expect("signed in");
    assert_eq!(s.username(), "coordinatore");
    assert!(nav_has(&h, "Prese in carico"));
}

#[test]
fn a_wrong_password_is_refused_and_the_next_try_must_wait() {
    let db = db(true);
    let mut h = harness(db.store.clone());
    h.run();
    type_into(&mut h, "Nome utente", TEST_USER);
    type_into(&mut h, "Password", "non è questa");
    click_button(&mut h, "Accedi");
    assert!(has_text(&h, "Nome utente o password errati"));
    assert!(!h.state().env().can_write());
    type_into(&mut h, "Password", TEST_PASSWORD);
    click_button(&mut h, "Accedi");
    assert!(has_text(&h, "Troppi tentativi ravvicinati"), "the delay");
    assert!(!h.state().env().can_write());
    std::thread::sleep(Duration::from_millis(1100));
    type_into(&mut h, "Password", TEST_PASSWORD);
    click_button(&mut h, "Accedi");
    assert!(
        h.state().env().can_write(),
        "after the delay the right password works"
    );
}

#[test]
fn a_locked_out_account_is_unlocked_by_an_administrator_in_impostazioni() {
    let db = db(true);
    let anna = add_role_account(&db.store, "anna", role_codes::OPERATORE, None);
    let mut t = db.store.clock().now();
    for _ in 0..5 {
        let _ = access::sign_in_at(&db.store, "anna", "sbagliata sbagliata", t);
        t += chrono::Duration::seconds(20);
    }
    let mut h = harness(db.store.clone());
    h.run();
    type_into(&mut h, "Nome utente", "anna");
    type_into(&mut h, "Password", TEST_PASSWORD);
    click_button(&mut h, "Accedi");
    assert!(has_text(&h, "Account bloccato"), "locked out");
    // The administrator unlocks it.
    sign_in_as(&mut h, TEST_USER);
    click_button(&mut h, "Impostazioni");
    assert!(has_text(&h, "bloccato (password errate)"));
    click_scrolled(&mut h, "Sblocca anna");
    let a = db.store.read().unwrap().require::<Account>(anna).unwrap();
    assert_eq!(a.failures, 0);
    access::sign_in(&db.store, "anna", TEST_PASSWORD).expect("unlocked");
}

#[test]
fn blocca_hides_everything_and_the_same_account_finds_its_unsaved_form() {
    let (db, mut h) = demo_app();
    new_person_form(&mut h);
    type_into(&mut h, "Cognome", "Zeta");
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::L);
    h.run();
    assert!(h.state().locked());
    assert!(has_text(&h, &format!("Postazione bloccata da {TEST_USER}")));
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Cognome")
            .is_none(),
        "the form is hidden"
    );
    assert!(!nav_has(&h, "Persone"));
    assert_eq!(field_value(&h, "Nome utente").as_deref(), Some(TEST_USER));
    type_into(&mut h, "Password", TEST_PASSWORD);
    press(&mut h, egui::Key::Enter);
    assert!(h.state().env().can_write());
    assert_eq!(
        field_value(&h, "Cognome").as_deref(),
        Some("Zeta"),
        "the unsaved form survived the lock"
    );
    // The lock is in the log, with the sign-in after it.
    let log = db.store.read().unwrap().audit(5).unwrap();
    assert!(log.iter().any(|(_, r)| r.action == Action::Lock));
}

#[test]
fn idle_minutes_lock_the_window_and_another_account_starts_afresh() {
    let (db, mut h) = demo_app();
    let desk_op = first_operator_with(&db.store, "sportello");
    add_role_account(&db.store, "sportello", role_codes::SPORTELLO, Some(desk_op));
    new_person_form(&mut h);
    type_into(&mut h, "Cognome", "Zeta");
    h.state_mut().set_idle_limit(Duration::from_millis(1500));
    h.run();
    assert!(!h.state().locked(), "not idle yet");
    std::thread::sleep(Duration::from_millis(1600));
    h.run();
    assert!(h.state().locked(), "locked after the idle time");
    assert!(has_text(&h, "Postazione bloccata"));
    // Someone else signs in: the first account's unsaved form is not theirs to see.
    set_field(&mut h, "Nome utente", "sportello");
    type_into(&mut h, "Password", TEST_PASSWORD);
    // The sign-in and the reload after it can take longer than the short idle limit on a
    // loaded machine: give the second account the usual minutes.
    h.state_mut().set_idle_limit(Duration::from_secs(600));
    click_button(&mut h, "Accedi");
    assert!(h.state().env().can_write());
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Cognome")
            .is_none()
    );
}

#[test]
fn the_front_desk_cannot_see_a_case_until_an_extraordinary_access_with_a_reason() {
    let db = db(true);
    let desk_op = first_operator_with(&db.store, "sportello");
    add_role_account(&db.store, "sportello", role_codes::SPORTELLO, Some(desk_op));
    let (pid, _case) = person_with_a_case(&db.store);
    let mut h = harness(db.store.clone());
    sign_in_as(&mut h, "sportello");
    assert!(nav_has(&h, "Persone") && nav_has(&h, "Accessi"));
    assert!(!nav_has(&h, "Prese in carico"), "no cases section");
    assert!(!nav_has(&h, "Cruscotto"));
    h.state_mut().goto(Route::Cases);
    h.run();
    assert_ne!(h.state().route(), Route::Cases, "refused");
    h.state_mut().goto(Route::Person(pid));
    h.run();
    assert!(
        has_text(&h, "Qui non vedi"),
        "the cartella says what it hides"
    );
    assert!(has_text(&h, "presa in carico"));
    assert!(
        !has_text(&h, "Presa in carico ("),
        "no case on the timeline"
    );
    click_button(&mut h, "Accesso straordinario…");
    type_into(&mut h, "Motivo dell'accesso straordinario", "urgente");
    click_button(&mut h, "Conferma l'accesso straordinario");
    assert!(
        has_text(&h, "almeno 10 caratteri"),
        "a real reason is asked"
    );
    let reason = "Il referente è assente e la persona è allo sportello";
    set_field(&mut h, "Motivo dell'accesso straordinario", reason);
    click_button(&mut h, "Conferma l'accesso straordinario");
    h.run();
    assert!(!has_text(&h, "Qui non vedi"));
    assert!(
        has_text(&h, "Presa in carico ("),
        "the case is on the timeline now"
    );
    let log = db.store.read().unwrap().audit(10).unwrap();
    let e = log
        .iter()
        .find(|(_, r)| r.action == Action::ExtraordinaryAccess)
        .expect("audited");
    assert_eq!(e.1.detail, reason);
    assert!(e.1.flagged);
    assert_eq!(e.1.entity, pid);
    assert!(
        log.iter().any(|(_, r)| r.action
            == Action::Read(accoglienza::domain::access::AccessKind::Cartella)
            && r.entity == pid),
        "the cartella opening is logged too"
    );
}

#[test]
fn the_meeting_role_sees_only_the_dashboard_and_no_names() {
    let db = db(true);
    add_role_account(&db.store, "riunione", role_codes::RIUNIONE, None);
    let mut h = harness(db.store.clone());
    sign_in_as(&mut h, "riunione");
    assert_eq!(h.state().route(), Route::Dashboard);
    assert!(nav_has(&h, "Cruscotto"));
    for s in [
        "Persone",
        "Famiglie",
        "Accessi",
        "Prese in carico",
        "Progetti",
        "Invii",
        "Équipe",
    ] {
        assert!(!nav_has(&h, s), "{s} hidden");
    }
    assert!(has_text(&h, "Linee dell'anno"), "the aggregates");
    assert_eq!(h.state().env().data.people.len(), 0, "no names in memory");
    h.state_mut().goto(Route::People);
    h.run();
    assert_eq!(h.state().route(), Route::Dashboard);
    assert!(has_text(&h, "Il tuo ruolo non permette"));
    // The global search has nobody to find.
    let p = person_with_cf(&db.store);
    assert!(!has_text(&h, &p.surname));
}

#[test]
fn an_art_10_field_is_hidden_without_the_permission() {
    let db = db(true);
    add_role_account(&db.store, "operatore", role_codes::OPERATORE, None);
    let map = db
        .store
        .read()
        .unwrap()
        .all::<Project>()
        .unwrap()
        .into_iter()
        .find(|p| matches!(&p.kind, ProjectKind::MessaAllaProva { court, .. } if !court.is_empty()))
        .expect("a messa alla prova with its court");
    let court = match &map.kind {
        ProjectKind::MessaAllaProva { court, .. } => court.clone(),
        _ => unreachable!(),
    };
    for (user, sees) in [("operatore", false), (TEST_USER, true)] {
        let mut h = harness(db.store.clone());
        sign_in_as(&mut h, user);
        h.state_mut().env_mut().open = Some(OpenForm::Edit(EntityKind::Project, map.id));
        // The dialog opens over a few frames (focus, sizing).
        h.run_steps(4);
        h.run();
        assert!(has_text(&h, "Messa alla prova"), "{user}: the form is open");
        assert_eq!(
            h.query_by_role_and_label(Role::TextInput, "Tribunale")
                .is_some(),
            sees,
            "{user}: the court field"
        );
        assert_eq!(has_text(&h, "dati giudiziari (art. 10)"), !sees, "{user}");
        if sees {
            assert_eq!(field_value(&h, "Tribunale"), Some(court.clone()));
        }
    }
}

#[test]
fn the_registro_accessi_lists_a_cartella_opened_and_exports_csv_without_notes() {
    let db = db(true);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("registro.csv");
    let picker = Arc::new(ScriptedPicker::new([Some(out.clone())]));
    let store = db.store.clone();
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| AccoglienzaApp::new(store, picker));
    sign_in_as(&mut h, TEST_USER);
    let (pid, _) = person_with_a_case(&db.store);
    h.state_mut().goto(Route::Person(pid));
    h.run();
    click_button(&mut h, "Registro accessi");
    assert!(has_text(&h, "apertura cartella"));
    assert!(has_text(&h, "accesso al programma"), "the sign-in");
    click_button(&mut h, "Esporta CSV…");
    h.run();
    let csv = std::fs::read_to_string(&out).expect("exported");
    assert!(
        csv.starts_with("data_ora,account,operatore,azione"),
        "{csv}"
    );
    assert!(csv.contains("apertura cartella"));
    // No note text of the person's records.
    let r = db.store.read().unwrap();
    for c in r.by_subject::<Contact>(pid).unwrap() {
        if c.note.len() > 8 {
            assert!(!csv.contains(&c.note), "a note in the log export");
        }
    }
}
