//! Pratiche through the real window (egui_kittest, accessibility check on): a pratica
//! opened from a demo person's cartella on «Misura B2», its checklist ticked, moved through
//! the states to accolta with an amount; the list by state and the dashboard's per-bando
//! figures change accordingly.

#[path = "pratiche_ui/helpers.rs"]
mod helpers;
mod support;

use accoglienza::domain::pratica::fmt_euro;
use accoglienza::domain::*;
use accoglienza::ui::Route;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use helpers::*;
use support::*;

#[test]
fn a_pratica_on_misura_b2_goes_to_accolta_and_the_list_and_dashboard_follow() {
    let (db, mut h) = demo_app();
    let p = person_with_cf(&db.store);
    let accolte_before = listed_in_state(&mut h, "Accolta");
    assert!(accolte_before > 0, "the demo has accepted pratiche");
    let before = b2_2025(&db);
    h.state_mut().goto(Route::Dashboard);
    h.run();
    choose(&mut h, "Anno", "2025");
    assert!(has_text(&h, "Pratiche per bando — 2025"));
    assert!(
        has_text(&h, &fmt_euro(before.granted_cents)),
        "B2's amount shown"
    );

    // A new pratica from the cartella.
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    click_button(&mut h, "Nuova pratica");
    assert!(has_text(&h, "Nuova pratica"));
    choose(&mut h, "Bando", B2);
    set_field(&mut h, "Richiesta il", "02/05/2025");
    click(&mut h, "Attestazione ISEE: visto (non conservato)");
    click(&mut h, "Documento d'identità: visto (non conservato)");
    click_button(&mut h, "Salva");
    let mine: Vec<Pratica> = db
        .store
        .read()
        .unwrap()
        .by_subject::<Pratica>(p.id)
        .unwrap()
        .into_iter()
        .filter(|x| x.requested_on == chrono::NaiveDate::from_ymd_opt(2025, 5, 2).unwrap())
        .collect();
    assert_eq!(mine.len(), 1, "{:?}", h.state().env().message);
    let id = mine[0].id;
    assert_eq!(mine[0].state, PraticaState::Informato);
    assert_eq!(mine[0].missing_documents(), 2, "two of the four ticked");
    assert_eq!(mine[0].checklist.len(), 4);

    // Through the states; only the allowed next ones are offered.
    move_to(&mut h, id, "In preparazione", "05/05/2025");
    assert!(
        h.query_by(|n| n.label().as_deref() == Some("Accolta") && n.role() != Role::Label)
            .is_none(),
        "accolta is not offered to a pratica informato"
    );
    click_button(&mut h, "Salva");
    move_to(&mut h, id, "Inviata", "20/05/2025");
    click_button(&mut h, "Salva");
    move_to(&mut h, id, "Accolta", "15/07/2025");
    // No amount: refused, nothing written.
    click_button(&mut h, "Salva");
    assert!(has_text(&h, "Scrivi l'importo in euro"));
    let stored: Pratica = db.store.read().unwrap().require(id).unwrap();
    assert_eq!(stored.state, PraticaState::Inviata);
    set_field(&mut h, "Importo riconosciuto (€)", "2.400,00");
    click_button(&mut h, "Salva");
    let stored: Pratica = db.store.read().unwrap().require(id).unwrap();
    assert_eq!(stored.state, PraticaState::Accolta);
    assert_eq!(stored.amount_cents, Some(240_000));
    let dates: Vec<String> = stored.history.iter().map(|c| c.on.to_string()).collect();
    assert_eq!(
        dates,
        ["2025-05-02", "2025-05-05", "2025-05-20", "2025-07-15"]
    );

    // The list by state and the dashboard follow.
    assert_eq!(listed_in_state(&mut h, "Accolta"), accolte_before + 1);
    let after = b2_2025(&db);
    assert_eq!(after.opened, before.opened + 1);
    assert_eq!(after.sent, before.sent + 1);
    assert_eq!(after.accepted, before.accepted + 1);
    assert_eq!(after.granted_cents, before.granted_cents + 240_000);
    h.state_mut().goto(Route::Dashboard);
    h.run();
    choose(&mut h, "Anno", "2025");
    assert!(
        has_text(&h, &fmt_euro(after.granted_cents)),
        "the new amount"
    );
    assert!(
        !has_text(&h, &fmt_euro(before.granted_cents)),
        "not the old one"
    );
}
