//! Consent and restriction through the real window (egui_kittest): a coordinator restricts
//! a person from the cartella, the banner shows, and an Operatore no longer finds them in
//! the people list, search or cartella while the coordinator does; a consent withdrawn in
//! the cartella shows the warning on a new referral at once; «Scadenze di conservazione»
//! lists the people past their retention period and erases them after the confirmation.

mod support;
#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::access::role_codes;
use accoglienza::domain::*;
use accoglienza::ui::Route;
use support::*;

const NETWORK: &str = "Condivisione dei dati con la rete dei servizi territoriali";

fn search_people(h: &mut egui_kittest::Harness<'_, accoglienza::ui::AccoglienzaApp>, cf: &str) {
    h.state_mut().goto(Route::People);
    h.run();
    set_field(h, "Cerca", cf);
    h.run();
}

#[test]
fn a_restriction_hides_the_person_from_an_operator_and_not_from_a_coordinator() {
    let db = db(true);
    let p = person_with_cf(&db.store);
    let cf = p.codice_fiscale.clone().unwrap();
    add_role_account(&db.store, "operatrice", role_codes::OPERATORE, None);
    let mut h = harness(db.store.clone());
    sign_in_as(&mut h, TEST_USER);
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    assert!(!has_text(&h, "Trattamento limitato"));
    click_button(&mut h, "Limita il trattamento (art. 18)…");
    // No reason: refused inline, nothing written.
    click_button(&mut h, "Registra");
    assert!(has_text(&h, "motivo della limitazione"));
    assert!(
        db.store
            .read()
            .unwrap()
            .restricted_people()
            .unwrap()
            .is_empty()
    );
    set_field(
        &mut h,
        "Motivo della limitazione",
        "Richiesta dell'interessato (contesta l'esattezza dei dati)",
    );
    // Enter in the field records it (keyboard-first).
    press(&mut h, egui::Key::Enter);
    h.run();
    assert!(
        db.store
            .read()
            .unwrap()
            .restricted_people()
            .unwrap()
            .contains(&p.id),
        "{:?}",
        h.state().env().message
    );
    assert!(
        has_text(&h, "Trattamento limitato (art. 18 GDPR)"),
        "the banner"
    );
    assert!(has_text(&h, "Revoca la limitazione del trattamento…"));
    // The coordinator still finds the person.
    search_people(&mut h, &cf);
    assert!(has_text(&h, "1 persona su"), "the coordinator finds them");
    // An Operatore does not: not in the list, not in search, not by the cartella's route.
    h.state_mut().sign_out();
    h.run();
    sign_in_as(&mut h, "operatrice");
    search_people(&mut h, &cf);
    assert!(has_text(&h, "0 persone su"), "the operator does not");
    assert!(h.state().env().data.people.get(p.id).is_none());
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    assert!(
        has_text(&h, "art. 18"),
        "the cartella says why it does not open"
    );
    assert!(!has_text(&h, &p.full_name()));
    assert!(!has_text(&h, "Limita il trattamento"));
}

#[test]
fn withdrawing_the_consent_shows_the_warning_on_a_new_referral() {
    let db = db(true);
    let rete = db
        .store
        .read()
        .unwrap()
        .network_purpose()
        .unwrap()
        .unwrap()
        .id;
    let p = {
        let r = db.store.read().unwrap();
        r.all::<Person>()
            .unwrap()
            .into_iter()
            .find(|p| !p.archived && r.privacy_state(p.id).unwrap().consents_to(rete))
            .expect("a demo person who consented to sharing with the network")
    };
    let mut h = harness(db.store.clone());
    sign_in_as(&mut h, TEST_USER);
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    assert!(has_text(&h, "Privacy e consensi"));
    // With the consent in force: no warning.
    click_button(&mut h, "Nuovo invio alla rete");
    h.run();
    assert!(!has_text(&h, "consenso alla condivisione"));
    press(&mut h, egui::Key::Escape);
    h.run();
    // Withdrawn in the cartella…
    click_button(&mut h, &format!("Revoca consenso: {NETWORK}"));
    click_button(&mut h, "Registra");
    h.run();
    assert!(
        !db.store
            .read()
            .unwrap()
            .privacy_state(p.id)
            .unwrap()
            .consents_to(rete)
    );
    assert!(has_text(&h, &format!("Registra consenso: {NETWORK}")));
    // …the next referral warns.
    click_button(&mut h, "Nuovo invio alla rete");
    h.run();
    assert!(
        has_text(
            &h,
            "consenso alla condivisione con la rete dei servizi è stato revocato"
        ),
        "the warning on the new referral"
    );
}

#[test]
fn a_coordinator_erases_the_people_past_retention_from_impostazioni() {
    use accoglienza::domain::catalogue::line_codes;
    let dir = tempfile::tempdir().unwrap();
    // Today is 16/06/2025 in this world: a contact of 2019 is past its 5 years.
    let w = world::world(&dir.path().join("w.redb"));
    let old = w.person("Vecchissimi", None);
    w.contact(
        Subject::Person(old),
        line_codes::WEMI,
        world::dt(2019, 2, 1),
        "",
    );
    let recent = w.person("Recentissimi", None);
    w.contact(
        Subject::Person(recent),
        line_codes::WEMI,
        world::dt(2024, 2, 1),
        "",
    );
    let before = world::counts(&w.store);
    let op = w.op;
    let store = std::sync::Arc::new(w.store);
    add_account(&store, TEST_USER, Some(op));
    add_role_account(&store, "operatrice", role_codes::OPERATORE, None);
    let mut h = harness(store.clone());
    // An Operatore has no such section.
    sign_in_as(&mut h, "operatrice");
    h.state_mut().goto(Route::Settings);
    h.run();
    assert!(!has_text(&h, "Scadenze di conservazione"));
    h.state_mut().sign_out();
    h.run();
    sign_in_as(&mut h, TEST_USER);
    h.state_mut().goto(Route::Settings);
    h.run();
    click_scrolled(&mut h, "Cerca le persone scadute");
    wait_for(&mut h, "oltre il periodo di conservazione: 1");
    assert!(has_text(&h, "Vecchissimi Anna"));
    assert!(!has_text(&h, "Recentissimi"));
    click_scrolled(&mut h, "Cancella tutte queste persone…");
    assert!(has_text(&h, "Cancellare definitivamente 1 persone"));
    click_button(&mut h, "Sì, cancella");
    wait_for(
        &mut h,
        "Cancellate 1 persone per periodo di conservazione scaduto",
    );
    let r = store.read().unwrap();
    assert!(r.get::<Person>(old).unwrap().is_none(), "erased");
    assert!(r.get::<Person>(recent).unwrap().is_some(), "kept");
    drop(r);
    assert_eq!(store.erasures().unwrap().len(), 1);
    assert_eq!(
        world::counts(&store),
        before,
        "the counts of every year stay"
    );
    assert!(store.retention_due().unwrap().is_empty());
}
