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
        if h.get_by_role_and_label(Role::TextInput, "Trova")
            .is_focused()
        {
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
        assert!(
            !r.intersects(operator),
            "«{label}» does not cover Operatore"
        );
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
        rows.iter()
            .all(|(l, _)| l.split(" — ").nth(1).is_some_and(|b| b.len() == 10)),
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
    assert!(
        trova_rows(&h, "Ross").is_empty(),
        "Esc closed the drop-down"
    );
}

/// An empty database with its default catalogue and one operator.
fn empty_store() -> (
    tempfile::TempDir,
    std::sync::Arc<accoglienza::store::Store>,
    Id,
) {
    let dir = tempfile::tempdir().unwrap();
    let store =
        std::sync::Arc::new(accoglienza::store::Store::open(dir.path().join("t.redb")).unwrap());
    let role = store
        .read()
        .unwrap()
        .all::<accoglienza::domain::Role>()
        .unwrap()[0]
        .id;
    let op = store
        .insert(
            Id::NIL,
            Operator {
                surname: "Sala".into(),
                name: "Chiara".into(),
                role,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    (dir, store, op)
}

fn refused_field(e: accoglienza::store::StoreError, field: &str) -> String {
    match e {
        accoglienza::store::StoreError::Invalid(p) => p
            .for_field(field)
            .unwrap_or_else(|| panic!("a problem with {field}: {p}"))
            .to_string(),
        other => panic!("refused as invalid, not {other}"),
    }
}

#[test]
fn the_store_refuses_a_catalogue_code_already_used() {
    let (_dir, store, op) = empty_store();
    let lines = store.read().unwrap().all::<ServiceLine>().unwrap();
    let map = lines.iter().find(|l| l.code == "map").unwrap().clone();
    let audit = store.read().unwrap().audit_len().unwrap();
    // "map" renamed "wemi": refused, nothing written.
    let mut renamed = map.clone();
    renamed.code = "wemi".into();
    let msg = refused_field(store.update(op, renamed).unwrap_err(), "code");
    assert!(
        msg.contains("«wemi» è già usato da «Sportelli WeMi"),
        "{msg}"
    );
    let r = store.read().unwrap();
    assert_eq!(r.require::<ServiceLine>(map.id).unwrap().code, "map");
    assert_eq!(r.audit_len().unwrap(), audit, "nothing written");
    drop(r);
    // A new entry with a code in use, of any kind of the catalogue.
    let mut twin = map.clone();
    twin.id = Id::NIL;
    twin.name = "Un'altra linea".into();
    refused_field(store.insert(op, twin).unwrap_err(), "code");
    let desk = store.read().unwrap().all::<Desk>().unwrap()[0].clone();
    let mut desk2 = desk.clone();
    desk2.id = Id::NIL;
    refused_field(store.insert(op, desk2).unwrap_err(), "code");
    // An archived entry keeps its code.
    store.set_archived::<ServiceLine>(op, map.id, true).unwrap();
    let mut after = lines.iter().find(|l| l.code == "wemi").unwrap().clone();
    after.code = "map".into();
    let msg = refused_field(store.update(op, after).unwrap_err(), "code");
    assert!(msg.contains("(archiviata)"), "{msg}");
    // Saving an entry with its own code, or a free code, is fine; codes of other kinds
    // do not collide.
    let mut same = desk.clone();
    same.name = "Sede centrale".into();
    store.update(op, same).unwrap();
    let mut area = store.read().unwrap().all::<Area>().unwrap()[0].clone();
    area.id = Id::NIL;
    area.code = "wemi".into();
    store.insert(op, area).unwrap();
}

#[test]
fn the_store_refuses_a_second_reference_person() {
    let (_dir, store, op) = empty_store();
    let hh = store
        .insert(
            op,
            Household {
                name: "Famiglia Rossetti".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let member = |surname: &str, rel: Relationship| Person {
        surname: surname.into(),
        name: "Anna".into(),
        household: Some(Membership {
            household: hh,
            relationship: rel,
        }),
        ..Default::default()
    };
    let first = store
        .insert(op, member("Rossetti", Relationship::Riferimento))
        .unwrap();
    let msg = refused_field(
        store
            .insert(op, member("Bianchi", Relationship::Riferimento))
            .unwrap_err(),
        "household",
    );
    assert!(msg.contains("Rossetti Anna"), "{msg}");
    let second = store
        .insert(op, member("Bianchi", Relationship::Coniuge))
        .unwrap();
    let mut p: Person = store.read().unwrap().require(second).unwrap();
    p.household = Some(Membership {
        household: hh,
        relationship: Relationship::Riferimento,
    });
    refused_field(store.update(op, p.clone()).unwrap_err(), "household");
    // Swapping who is the reference person in one transaction: demote first.
    let mut w = store.write(op).unwrap();
    let mut a: Person = w.get(first).unwrap().unwrap();
    a.household = Some(Membership {
        household: hh,
        relationship: Relationship::Coniuge,
    });
    w.update(a).unwrap();
    w.update(p).unwrap();
    w.commit().unwrap();
    // An archived reference person leaves the place free.
    store.set_archived::<Person>(op, second, true).unwrap();
    store
        .insert(op, member("Verdi", Relationship::Riferimento))
        .unwrap();
}

/// The rows of a picker's list whose text starts with `prefix`.
fn picker_rows(h: &Harness<'_, AccoglienzaApp>, prefix: &str) -> Vec<String> {
    h.query_all_by_label_contains(prefix)
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.starts_with(prefix) && l.contains(" — "))
        .collect()
}

/// A household of the demo with at least two members, one of them its reference person.
fn household_with_reference(h: &Harness<'_, AccoglienzaApp>) -> (Id, Id, Id) {
    let data = &h.state().env().data;
    data.households
        .rows()
        .iter()
        .filter(|r| !r.archived)
        .find_map(|r| {
            let reference = data.reference_person(r.id)?;
            let other = data
                .households
                .members(r.id)
                .iter()
                .copied()
                .find(|m| *m != reference && !data.people.get(*m).unwrap().archived)?;
            Some((r.id, reference, other))
        })
        .expect("a household with a reference person and another member")
}

#[test]
fn households_are_told_apart_and_keep_one_reference_person() {
    let (db, mut h) = demo_app();
    // Several households share a surname: the picker shows address, members and reference.
    let data = &h.state().env().data;
    let mut by_name = std::collections::HashMap::<&str, usize>::new();
    for r in data.households.rows().iter().filter(|r| !r.archived) {
        *by_name.entry(r.name.as_str()).or_default() += 1;
    }
    let (name, n) = by_name
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(k, n)| (k.to_string(), *n))
        .unwrap();
    assert!(n >= 2, "the demo has households with the same name");
    let pid = fresh_person(&mut h, "Zanetti", "Irene");
    h.state_mut().goto(accoglienza::ui::Route::Person(pid));
    h.run();
    click_button(&mut h, "Aggiungi a un nucleo esistente…");
    type_into(&mut h, "Nucleo familiare", &name);
    let rows = picker_rows(&h, &format!("{name} (nucleo)"));
    assert!(rows.len() >= 2, "{rows:?}");
    let distinct: std::collections::HashSet<&String> = rows.iter().collect();
    assert_eq!(
        distinct.len(),
        rows.len(),
        "no two rows read the same: {rows:?}"
    );
    assert!(
        rows.iter().all(|r| r.contains("component")),
        "members counted: {rows:?}"
    );
    assert!(rows.iter().any(|r| r.contains("rif. ")), "{rows:?}");
    // Joining a household that has a reference person as a second one is not offered.
    let (hid, reference, other) = household_with_reference(&h);
    let hname = h.state().env().data.households.name(hid);
    let ref_name = h.state().env().data.people.name(reference);
    set_field(&mut h, "Nucleo familiare", &hname);
    let row = picker_rows(&h, &format!("{hname} (nucleo)"))
        .into_iter()
        .find(|r| r.contains(&format!("rif. {ref_name}")))
        .expect("the household in the list");
    click(&mut h, &row);
    assert!(
        has_text(
            &h,
            &format!("ha già una persona di riferimento ({ref_name})")
        ),
        "the relationship offered first would be a second reference person"
    );
    let join = h.get_by_role_and_label(Role::Button, "Aggiungi al nucleo");
    assert!(join.accesskit_node().is_disabled(), "not offered");
    // In the household form, a second reference person is shown on its row and refused.
    h.state_mut().env_mut().open =
        Some(accoglienza::ui::OpenForm::Edit(EntityKind::Household, hid));
    h.run();
    let other_name = h.state().env().data.people.name(other);
    h.get_by_role_and_label(Role::ComboBox, &other_name).click();
    h.run();
    h.get_all_by_label("Persona di riferimento")
        .rfind(|n| n.accesskit_node().role() != Role::ComboBox)
        .expect("the option")
        .click();
    h.run();
    assert!(
        has_text(&h, &format!("già indicata: {ref_name}")),
        "on the row"
    );
    click_button(&mut h, "Salva");
    assert!(
        has_text(
            &h,
            &format!("Il nucleo ha già una persona di riferimento ({ref_name})")
        ),
        "refused with the reason"
    );
    let p: Person = db.store.read().unwrap().require(other).unwrap();
    assert_ne!(
        p.household.map(|m| m.relationship),
        Some(Relationship::Riferimento),
        "nothing written"
    );
}

#[test]
fn codice_fiscale_letters_warn_and_a_code_already_held_asks_before_saving() {
    let (db, mut h) = demo_app();
    // The letters of the code against the names typed: a warning, live, not a refusal.
    new_person_form(&mut h);
    type_into(&mut h, "Cognome", "Bianchi");
    type_into(&mut h, "Nome", "Mario");
    type_into(&mut h, "Codice fiscale", "RSSMRA85T10A562S");
    assert!(has_text(
        &h,
        "RSS per il cognome (dal cognome scritto: BNC)"
    ));
    assert!(!has_text(&h, "per il nome"), "the name letters agree");
    set_field(&mut h, "Cognome", "Rossi");
    assert!(
        !has_text(&h, "per il cognome"),
        "gone once the surname agrees"
    );
    click_button(&mut h, "Annulla");
    if has_text(&h, "Scarta le modifiche") {
        click_button(&mut h, "Scarta le modifiche");
    }
    // A code another person holds: the save asks first.
    let existing = person_with_cf(&db.store);
    let cf = existing.codice_fiscale.clone().unwrap();
    let before = people_count(&db.store);
    new_person_form(&mut h);
    type_into(&mut h, "Cognome", &existing.surname);
    type_into(&mut h, "Nome", "Altro");
    type_into(&mut h, "Codice fiscale", &cf.to_lowercase());
    click_button(&mut h, "Salva");
    assert!(
        has_text(&h, "Questo codice fiscale è già registrato per:"),
        "the save asks"
    );
    assert!(has_text(&h, &existing.full_name()));
    assert_eq!(people_count(&db.store), before, "nothing written");
    h.get_by_label("È lo stesso codice di proposito: salva comunque")
        .click();
    h.run();
    click_button(&mut h, "Salva");
    assert_eq!(people_count(&db.store), before + 1, "saved once confirmed");
    let holders = db.store.read().unwrap().people_by_cf(&cf).unwrap();
    assert_eq!(holders.len(), 2);
}

#[test]
fn the_quick_registration_in_a_contact_refuses_a_code_already_held() {
    let (db, mut h) = demo_app();
    let existing = person_with_cf(&db.store);
    let before = people_count(&db.store);
    h.state_mut().env_mut().open = Some(accoglienza::ui::OpenForm::NewContact(None));
    h.run();
    type_into(&mut h, "Persona o nucleo", "Quintilio Nuovo");
    click_button(&mut h, "➕ Nuova persona: «Quintilio Nuovo»");
    type_into(
        &mut h,
        "Codice fiscale",
        existing.codice_fiscale.as_deref().unwrap(),
    );
    click_button(&mut h, "Salva");
    assert!(has_text(&h, "Codice fiscale già registrato per:"));
    assert_eq!(people_count(&db.store), before);
}

#[test]
fn an_hours_row_is_checked_when_added_with_the_reasons_beside_it() {
    let (_db, mut h) = demo_app();
    let pid = fresh_person(&mut h, "Quagliarella", "Ottavio");
    h.state_mut().goto(accoglienza::ui::Route::Person(pid));
    h.run();
    click_button(&mut h, "Nuovo progetto");
    type_into(&mut h, "Ore previste", "120");
    let today = accoglienza::domain::time::today();
    set_field(&mut h, "Inizio", &fmt_date(today - chrono::Days::new(10)));
    // 30 hours in a day: refused at once, beside the row being added.
    type_into(&mut h, "Ore", "30");
    click_button(&mut h, "Aggiungi ore");
    let msg = "30 ore in un giorno sono troppe: al massimo 24";
    assert!(has_text(&h, msg));
    assert!(has_text(&h, "Ore svolte: 0 su 120"), "not added");
    let button = h.get_by_role_and_label(Role::Button, "Aggiungi ore").rect();
    let shown = h.get_by_label(msg).rect();
    assert!(
        (shown.center().y - button.center().y).abs() < 40.0,
        "next to the row: {shown:?} vs {button:?}"
    );
    // Every reason at once: a date before the start and too many hours.
    let before = fmt_date(today - chrono::Days::new(20));
    set_field(&mut h, "Data", &before);
    click_button(&mut h, "Aggiungi ore");
    assert!(has_text(&h, msg));
    assert!(has_text(&h, &format!("Il {before} è prima dell'inizio")));
    // A day in the future, and a day that does not exist.
    set_field(&mut h, "Data", &fmt_date(today + chrono::Days::new(2)));
    set_field(&mut h, "Ore", "3");
    click_button(&mut h, "Aggiungi ore");
    assert!(has_text(&h, "è nel futuro"));
    set_field(&mut h, "Data", "31/02/2024");
    click_button(&mut h, "Aggiungi ore");
    assert!(has_text(&h, "Il giorno 31 febbraio 2024 non esiste"));
    // A good row goes in, and the messages go away.
    set_field(&mut h, "Data", &fmt_date(today));
    set_field(&mut h, "Ore", "20");
    click_button(&mut h, "Aggiungi ore");
    assert!(has_text(&h, "Ore svolte: 20 su 120"));
    assert!(!has_text(&h, "nel futuro"));
    // The same day cannot go past 24 hours.
    set_field(&mut h, "Ore", "8");
    click_button(&mut h, "Aggiungi ore");
    assert!(has_text(&h, "ha già 20 ore: con queste sarebbero 28"));
    assert!(has_text(&h, "Ore svolte: 20 su 120"));
    // A row that a later change puts outside the period says so on its own line.
    set_field(&mut h, "Inizio", &fmt_date(today + chrono::Days::new(1)));
    assert!(has_text(
        &h,
        &format!("Il {} è prima dell'inizio", fmt_date(today))
    ));
}

/// The Cruscotto on 2022 with the records behind the WeMi figure (640) listed.
fn records_behind_640(h: &mut Harness<'_, AccoglienzaApp>) {
    click_button(h, "Cruscotto");
    for _ in 0..20 {
        if has_text(h, "Conteggi 2022") {
            break;
        }
        h.get_by_label("‹").click();
        h.run();
    }
    h.get_by_label("640").click();
    wait_for(h, "Chi conta");
}

#[test]
fn the_records_behind_a_number_read_plainly_and_open_in_one_click() {
    let (_db, mut h) = demo_app();
    records_behind_640(&mut h);
    assert!(has_text(&h, ": 640 persone"));
    for col in ["Chi conta", "Data", "Record", "Linea", "Sportello"] {
        assert!(has_text(&h, col), "column {col}");
    }
    // Readable rows: a person with the birth date, the record, its line and desk; no ids.
    let links: Vec<String> = h
        .get_all_by_role(Role::Link)
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    let id_like = regex_lite_id();
    assert!(
        !links.iter().any(|l| id_like(l)),
        "no internal ids: {links:?}"
    );
    assert!(
        links.iter().any(|l| l.starts_with("Accesso — ")),
        "records by kind: {links:?}"
    );
    assert!(has_text(&h, "WeMi"), "the desk of the contacts");
    // One click on a name opens the cartella.
    let person = h
        .get_all_by_role(Role::Link)
        .find(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.contains(" — ") && !l.starts_with("Accesso"))
        })
        .expect("a person's link");
    let name = person.accesskit_node().label().unwrap();
    person.click();
    h.run();
    let accoglienza::ui::Route::Person(pid) = h.state().route() else {
        panic!("the cartella of {name} opened");
    };
    assert!(name.starts_with(&h.state().env().data.people.name(pid)));
    // One click on a record opens it.
    records_behind_640(&mut h);
    let record = h
        .get_all_by_role(Role::Link)
        .find(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("Accesso — "))
        })
        .expect("a record's link");
    record.click();
    h.run();
    assert!(
        h.query_by_role_and_label(Role::ComboBox, "Tipo di accesso")
            .is_some(),
        "the contact's form opened"
    );
}

/// True for text holding an 8-hex-digit id in brackets, as "[01955c44]".
fn regex_lite_id() -> impl Fn(&str) -> bool {
    |s: &str| {
        s.split('[').skip(1).any(|rest| {
            rest.len() >= 9
                && rest.as_bytes()[8] == b']'
                && rest[..8].bytes().all(|b| b.is_ascii_hexdigit())
        })
    }
}

#[test]
fn a_catalogue_code_in_use_is_refused_with_every_error_of_the_form_at_once() {
    let (db, mut h) = demo_app();
    click_button(&mut h, "Impostazioni");
    click_button(&mut h, "Nuova voce");
    type_into(&mut h, "Codice", "wemi");
    set_field(&mut h, "Ordine", "primo");
    click_button(&mut h, "Salva");
    // Every error at once: the code in use, the empty name, the order that is no number.
    assert!(has_text(
        &h,
        "Il codice «wemi» è già usato da «Sportelli WeMi"
    ));
    assert!(has_text(&h, "Il nome è obbligatorio"));
    assert!(has_text(&h, "Scrivi un numero intero"));
    // A message goes as soon as its field is fixed; the others stay.
    type_into(&mut h, "Nome", "Sportello estivo");
    assert!(!has_text(&h, "Il nome è obbligatorio"));
    assert!(has_text(&h, "Scrivi un numero intero"));
    set_field(&mut h, "Ordine", "12");
    assert!(!has_text(&h, "Scrivi un numero intero"));
    assert!(has_text(&h, "è già usato da"));
    // A code another desk's window added meanwhile: the store itself refuses it, and the
    // form shows why next to the field.
    let store = db.store.clone();
    let op = h.state().env().operator;
    let mut twin = store.read().unwrap().all::<ServiceLine>().unwrap()[0].clone();
    twin.id = Id::NIL;
    twin.code = "estate".into();
    twin.name = "Linea aggiunta altrove".into();
    store.insert(op, twin).unwrap();
    set_field(&mut h, "Codice", "estate");
    assert!(
        !has_text(&h, "è già usato da"),
        "the form does not know yet"
    );
    click_button(&mut h, "Salva");
    assert!(has_text(
        &h,
        "Il codice «estate» è già usato da «Linea aggiunta altrove»"
    ));
    let lines = store.read().unwrap().all::<ServiceLine>().unwrap();
    assert_eq!(lines.iter().filter(|l| l.code == "estate").count(), 1);
    assert!(
        !lines.iter().any(|l| l.name == "Sportello estivo"),
        "nothing written"
    );
    set_field(&mut h, "Codice", "estivo");
    click_button(&mut h, "Salva");
    let lines = store.read().unwrap().all::<ServiceLine>().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.code == "estivo" && l.name == "Sportello estivo")
    );
}

#[test]
fn words_agree_with_their_numbers_and_messages_follow_the_fields() {
    let (_db, mut h) = demo_app();
    // One match: "1 persona", not "1 persone".
    let pid = fresh_person(&mut h, "Zanettini", "Lucia");
    click_button(&mut h, "Persone");
    type_into(&mut h, "Cerca", "zanettini");
    assert!(has_text(&h, "1 persona su"));
    assert!(!has_text(&h, "1 persone"));
    // A history with nothing in it, and no filter set: "Nessun record."
    h.state_mut().goto(accoglienza::ui::Route::Person(pid));
    h.run();
    assert!(has_text(&h, "Nessun record."));
    assert!(!has_text(&h, "corrisponde ai filtri"));
    // One contact of the year: "1 accesso su".
    let env = h.state().env();
    let (op, desk) = (env.operator, env.desk);
    let line = env.data.catalog.lines[0].id;
    let at = accoglienza::domain::time::now_minute();
    let id = env
        .store
        .insert(
            op,
            Contact {
                id: Id::NIL,
                at,
                subject: Subject::Person(pid),
                line,
                desk,
                operator: op,
                kind: ContactKind::Ascolto,
                measure: None,
                minutes: 10,
                note: String::new(),
                confidential: false,
                archived: false,
            },
        )
        .unwrap();
    h.state_mut().env_mut().refresh(EntityKind::Contact, id);
    click_button(&mut h, "Accessi");
    type_into(&mut h, "Cerca", "zanettini");
    wait_for(&mut h, "1 accesso su");
    // The records behind a number of one unit read "1 persona" too.
    let (_dir, store, op) = empty_store();
    let person = store
        .insert(
            op,
            Person {
                surname: "Unica".into(),
                name: "Rosa".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let r = store.read().unwrap();
    let wemi = r
        .all::<ServiceLine>()
        .unwrap()
        .into_iter()
        .find(|l| l.code == "wemi")
        .unwrap();
    let desk = r.all::<Desk>().unwrap()[0].id;
    drop(r);
    store
        .insert(
            op,
            Contact {
                id: Id::NIL,
                at: chrono::NaiveDate::from_ymd_opt(2023, 5, 4)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
                subject: Subject::Person(person),
                line: wemi.id,
                desk,
                operator: op,
                kind: ContactKind::Informazione,
                measure: None,
                minutes: 15,
                note: String::new(),
                confidential: false,
                archived: false,
            },
        )
        .unwrap();
    let mut h = harness(store);
    sign_in_operator(&mut h, op);
    h.run();
    assert!(has_text(&h, "1 persona · 0 nuclei"), "the status line");
    click_button(&mut h, "Cruscotto");
    while !has_text(&h, "Conteggi 2023") {
        h.get_by_label("‹").click();
        h.run();
    }
    assert!(has_text(&h, "1 persona"), "the bar's label");
    h.get_all_by_label("1").next().expect("the figure").click();
    wait_for(&mut h, "Chi conta");
    assert!(has_text(&h, "2023: 1 persona"), "the heading");
}

#[test]
fn person_messages_clear_as_the_fields_are_fixed() {
    let (_db, mut h) = demo_app();
    new_person_form(&mut h);
    type_into(&mut h, "E-mail", "non-una-mail");
    type_into(&mut h, "Data di nascita", "31/02/2000");
    click_button(&mut h, "Salva");
    // Every error of the form at once.
    assert!(has_text(&h, "Il cognome è obbligatorio"));
    assert!(has_text(&h, "Il nome è obbligatorio"));
    assert!(has_text(&h, "Indirizzo e-mail non valido"));
    assert!(has_text(&h, "Il giorno 31 febbraio 2000 non esiste"));
    type_into(&mut h, "Cognome", "Rossi");
    assert!(!has_text(&h, "Il cognome è obbligatorio"), "gone at once");
    assert!(has_text(&h, "Il nome è obbligatorio"), "the others stay");
    set_field(&mut h, "Data di nascita", "29/02/2000");
    assert!(!has_text(&h, "non esiste"));
    set_field(&mut h, "E-mail", "rossi@esempio.it");
    assert!(!has_text(&h, "Indirizzo e-mail non valido"));
    assert!(has_text(&h, "Il nome è obbligatorio"));
}

#[test]
fn long_words_wrap_and_the_attendance_grid_keeps_its_dates_in_view() {
    let (db, mut h) = demo_app();
    // A note with a very long word wraps inside the window.
    let long = format!(
        "Documenti: https://www.comune.milano.it/{}.pdf fine",
        "a".repeat(300)
    );
    let env = h.state().env();
    let pid = env
        .store
        .insert(
            env.operator,
            Person {
                surname: "Lunghi".into(),
                name: "Nota".into(),
                note: long.clone(),
                ..Default::default()
            },
        )
        .unwrap();
    h.state_mut().env_mut().refresh(EntityKind::Person, pid);
    h.state_mut().goto(accoglienza::ui::Route::Person(pid));
    h.run();
    let note = h.get_by_label(&long).rect();
    assert!(
        note.max.x <= 1400.0,
        "the note stays in the window: {note:?}"
    );
    assert!(note.height() > 40.0, "it wraps on several lines: {note:?}");
    // The attendance grid of a walk with many participants: dates with the year, a header
    // that stays while the rows scroll, and a grid that reopens at its top.
    let act = db
        .store
        .read()
        .unwrap()
        .all::<Activity>()
        .unwrap()
        .into_iter()
        .max_by_key(|a| a.participants.len())
        .unwrap();
    let first_date = act.sessions.iter().map(|s| s.date).min().unwrap();
    let names: Vec<String> = act
        .participants
        .iter()
        .map(|p| h.state().env().data.people.name(*p))
        .collect();
    let open = |h: &mut Harness<'_, AccoglienzaApp>| {
        h.state_mut().env_mut().open = Some(accoglienza::ui::OpenForm::Edit(
            EntityKind::Activity,
            act.id,
        ));
        h.run();
    };
    open(&mut h);
    let header = |h: &Harness<'_, AccoglienzaApp>| h.get_by_label(&fmt_date(first_date)).rect();
    let top_row = |h: &Harness<'_, AccoglienzaApp>| h.get_by_label(&names[0]).rect();
    let (header_before, row_before) = (header(&h), top_row(&h));
    let gap_before = row_before.min.y - header_before.min.y;
    h.get_by_label(names.last().unwrap()).scroll_to_me();
    h.run();
    let header_after = header(&h);
    assert!(header_after.min.y >= 0.0, "the dates are on screen");
    let last = h.get_by_label(names.last().unwrap()).rect();
    assert!(
        last.min.y > header_after.max.y,
        "the last row under the dates"
    );
    // The rows moved under the header (the first one out of view, or higher up).
    let first = h.query_by_label(&names[0]).map(|n| n.rect());
    assert!(
        first.is_none_or(|r| r.min.y - header_after.min.y < gap_before - 50.0),
        "the rows scrolled under the dates: {first:?}"
    );
    click_button(&mut h, "Annulla");
    open(&mut h);
    assert_eq!(
        top_row(&h).min.y - header(&h).min.y,
        gap_before,
        "it reopens at its top"
    );
    click_button(&mut h, "Annulla");
    // A long name is cut inside its column (the whole name on hover), not across the dates.
    let env = h.state().env();
    let long_name = env
        .store
        .insert(
            env.operator,
            Person {
                surname: "Della Valle Brambilla De Santis".into(),
                name: "Maria Giovanna Antonietta".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let mut a = act.clone();
    a.participants.insert(0, long_name);
    db.store.update(env.operator, a).unwrap();
    h.state_mut()
        .env_mut()
        .refresh(EntityKind::Person, long_name);
    open(&mut h);
    let full = h.state().env().data.people.name(long_name);
    let cell = h.get_by_label(&full).rect();
    assert!(
        cell.max.x <= header(&h).min.x,
        "cut before the first date: {cell:?} vs {:?}",
        header(&h)
    );
}
