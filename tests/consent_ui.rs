//! Consent and restriction through the real window (egui_kittest): a coordinator restricts
//! a person from the cartella, the banner shows, and an Operatore no longer finds them in
//! the people list, search or cartella while the coordinator does; a consent withdrawn in
//! the cartella shows the warning on a new referral at once.

mod support;

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
    assert!(db.store.read().unwrap().restricted_people().unwrap().is_empty());
    set_field(
        &mut h,
        "Motivo della limitazione",
        "Richiesta dell'interessato (contesta l'esattezza dei dati)",
    );
    click_button(&mut h, "Registra");
    h.run();
    assert!(
        db.store.read().unwrap().restricted_people().unwrap().contains(&p.id),
        "{:?}",
        h.state().env().message
    );
    assert!(has_text(&h, "Trattamento limitato (art. 18 GDPR)"), "the banner");
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
    assert!(has_text(&h, "art. 18"), "the cartella says why it does not open");
    assert!(!has_text(&h, &p.full_name()));
    assert!(!has_text(&h, "Limita il trattamento"));
}

#[test]
fn withdrawing_the_consent_shows_the_warning_on_a_new_referral() {
    let db = db(true);
    let rete = db.store.read().unwrap().network_purpose().unwrap().unwrap().id;
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
        has_text(&h, "consenso alla condivisione con la rete dei servizi è stato revocato"),
        "the warning on the new referral"
    );
}
