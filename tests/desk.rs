//! At the desk, nothing misleads (issue 17): Trova's drop-down, the Italian calendar,
//! households told apart, codice fiscale checks, unique catalogue codes, the hours ledger,
//! the records behind a number, layout and words — each through the real App.

mod support;

use accoglienza::domain::time::fmt_date;
use accoglienza::domain::*;
use accoglienza::ui::AccoglienzaApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use support::*;

/// The value of the text field named `label`, the first when several share it.
fn first_field_value(h: &Harness<'_, AccoglienzaApp>, label: &str) -> Option<String> {
    h.get_all_by(|n| n.role() == Role::TextInput && n.label().as_deref() == Some(label))
        .next()
        .and_then(|n| n.value())
}

#[test]
fn the_calendar_speaks_italian_and_names_every_control() {
    let (_db, mut h) = demo_app();
    new_person_form(&mut h);
    type_into(&mut h, "Data di nascita", "15/03/2024");
    h.get_all_by_role_and_label(Role::Button, "Scegli dal calendario")
        .next()
        .expect("calendar button")
        .click();
    h.run();
    assert!(has_text(&h, "marzo 2024"), "the month and year, in Italian");
    for name in [
        "Mese precedente",
        "Mese successivo",
        "Anno precedente",
        "Anno successivo",
        "Oggi",
        "Chiudi",
        "15 marzo 2024",
        "1 marzo 2024",
    ] {
        assert!(
            h.query_by_role_and_label(Role::Button, name).is_some(),
            "a button named «{name}»"
        );
    }
    for day in ["lu", "ma", "me", "gi", "ve", "sa", "do"] {
        assert!(has_text(&h, day), "weekday {day}");
    }
    // Nothing English is left of the old picker.
    for english in ["Save", "Cancel", "Mo", "Tu"] {
        assert!(h.query_by_label(english).is_none(), "no «{english}»");
    }
    // Every button of the form and the calendar has a name a screen reader can read.
    for b in h.get_all_by_role(Role::Button) {
        let name = b.accesskit_node().label().unwrap_or_default();
        assert!(
            !name.trim().is_empty(),
            "an unnamed button at {:?}",
            b.rect()
        );
    }
    click_button(&mut h, "Mese successivo");
    assert!(has_text(&h, "aprile 2024"));
    click_button(&mut h, "Anno precedente");
    assert!(has_text(&h, "aprile 2023"));
    click_button(&mut h, "10 aprile 2023");
    assert_eq!(
        first_field_value(&h, "Data di nascita").as_deref(),
        Some("10/04/2023"),
        "the day chosen is written as gg/mm/aaaa"
    );
    assert!(!has_text(&h, "Mese precedente"), "the calendar closed");
    // Typing still works, and a day that does not exist says so.
    set_field(&mut h, "Cognome", "Rossi");
    set_field(&mut h, "Nome", "Anna");
    set_field(&mut h, "Data di nascita", "31/02/2024");
    click_button(&mut h, "Salva");
    assert!(
        has_text(&h, "Il giorno 31 febbraio 2024 non esiste"),
        "the day does not exist"
    );
    assert!(!has_text(&h, "scrivila come gg/mm/aaaa"));
    let _ = fmt_date;
}
