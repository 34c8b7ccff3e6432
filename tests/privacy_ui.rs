//! «Cancella persona…» in the cartella (GDPR art. 17) through the real window
//! (egui_kittest): shown only to accounts with the erasure's permissions, a reason naming
//! the person refused in the dialog, the erasure done with the counts unchanged.

mod support;

use accoglienza::domain::access::role_codes;
use accoglienza::domain::*;
use accoglienza::ui::Route;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use support::*;

const REASON: &str =
    "Motivo della cancellazione (resta nel registro cancellazioni; non scrivere il nome)";

fn counts(store: &accoglienza::store::Store) -> Vec<(Id, i32, CountingUnit, u64)> {
    let r = store.read().unwrap();
    let c = accoglienza::stats::annual_counts(&r).unwrap();
    let mut out = vec![];
    for l in &c.lines {
        for y in &c.years {
            for u in CountingUnit::ALL {
                out.push((l.id, *y, u, c.count_in(l.id, *y, u)));
            }
        }
    }
    out
}

#[test]
fn a_coordinator_erases_a_person_from_the_cartella_and_the_counts_stay() {
    let db = db(true);
    let p = person_with_cf(&db.store);
    let before = counts(&db.store);
    let mut h = harness(db.store.clone());
    sign_in_as(&mut h, TEST_USER);
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    click_button(&mut h, "Cancella persona…");
    assert!(has_text(&h, "cancellati definitivamente"));
    // A reason that names the person is refused, and the dialog stays.
    type_into(&mut h, REASON, &format!("Richiesta di {}", p.surname));
    click_button(&mut h, "Cancella definitivamente");
    assert!(has_text(&h, "non deve contenere il nome"));
    assert!(
        db.store
            .read()
            .unwrap()
            .get::<Person>(p.id)
            .unwrap()
            .is_some()
    );
    set_field(&mut h, REASON, "Richiesta dell'interessato allo sportello");
    click_button(&mut h, "Cancella definitivamente");
    h.run();
    assert!(
        db.store
            .read()
            .unwrap()
            .get::<Person>(p.id)
            .unwrap()
            .is_none()
    );
    assert_eq!(h.state().route(), Route::People);
    assert!(has_text(&h, "Persona cancellata"));
    // The people in memory are read again: the erased person is in no list or search.
    let start = std::time::Instant::now();
    while !h.state().env().data.ready {
        h.step();
        assert!(start.elapsed().as_secs() < 60, "the people never reloaded");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(h.state().env().data.people.get(p.id).is_none());
    assert_eq!(counts(&db.store), before);
    assert_eq!(db.store.erasures().unwrap().len(), 1);
    // The test holds the store too: the compaction waits for the next open.
    assert!(db.store.compaction_pending().unwrap());
}

#[test]
fn an_operator_has_no_erase_button() {
    let db = db(true);
    let p = person_with_cf(&db.store);
    add_role_account(&db.store, "operatrice", role_codes::OPERATORE, None);
    let mut h = harness(db.store.clone());
    sign_in_as(&mut h, "operatrice");
    h.state_mut().goto(Route::Person(p.id));
    h.run();
    assert!(has_text(&h, &p.full_name()));
    assert!(
        h.query_by_role_and_label(Role::Button, "Cancella persona…")
            .is_none()
    );
}
