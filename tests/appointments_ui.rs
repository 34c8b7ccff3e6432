//! Appuntamenti through the real window (egui_kittest, accessibility checked): book an
//! appointment from the keyboard, see it in the day view, turn it into a contact in two
//! actions (the contact form filled in from it, Enter saves), mark another «non
//! presentato» and see the year's count in the footer go up, see both in the week view,
//! and save the reminder slip through the save dialog.

mod support;

use accoglienza::domain::*;
use accoglienza::ui::AccoglienzaApp;
use accoglienza::ui::file_picker::ScriptedPicker;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use support::*;

type H = Harness<'static, AccoglienzaApp>;

/// Books an appointment for `surname` today at `time` from the Appuntamenti screen, by
/// the keyboard: the person field has the focus, Enter picks, Enter saves.
fn book(h: &mut H, surname: &str, time: &str) {
    click_button(h, "Nuovo appuntamento");
    let field = h.get_by_role_and_label(Role::TextInput, "Persona o nucleo");
    assert!(field.is_focused(), "the person field has the keyboard");
    field.type_text(surname);
    h.run();
    press(h, egui::Key::Enter);
    set_field(h, "Cosa portare, note", "Portare l'ISEE");
    set_field(h, "Ora", time);
    press(h, egui::Key::Enter);
    assert!(!has_text(h, "Nuovo appuntamento ("), "the dialog closed");
}

/// The footer says `n` no-shows in `year`.
fn footer_says(h: &H, year: i32, n: u64) -> bool {
    has_text(h, &format!("Non presentati nel {year}: {n}"))
}

#[test]
fn book_see_it_turn_it_into_a_contact_and_count_a_no_show() {
    let db = db(true);
    let dir = tempfile::tempdir().unwrap();
    let slip = dir.path().join("promemoria.pdf");
    let picker = Arc::new(ScriptedPicker::new([Some(slip.clone())]));
    let store = db.store.clone();
    let mut h: H = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(12)
        .build_eframe(move |_cc| AccoglienzaApp::new(store, picker));
    sign_in_as(&mut h, TEST_USER);
    let p = fresh_person(&mut h, "Zanardelli", "Ottavia");
    let q = fresh_person(&mut h, "Quartararo", "Ilenia");
    let today = db.store.clock().today();
    click_button(&mut h, "Appuntamenti");

    // Booked from the keyboard; shown in the day view of this desk.
    book(&mut h, "Zanardelli", "10:30");
    let booked: Vec<Appointment> = db.store.read().unwrap().by_subject(p).unwrap();
    assert_eq!(booked.len(), 1, "{:?}", h.state().env().message);
    let a = &booked[0];
    assert_eq!(a.start, today.and_hms_opt(10, 30, 0).unwrap());
    assert_eq!(a.desk, h.state().env().desk, "at this desk");
    assert_eq!(a.outcome, AppointmentOutcome::Previsto);
    assert_eq!(a.note, "Portare l'ISEE");
    assert!(
        a.line.is_some(),
        "the person's usual line, as for a contact"
    );
    assert!(has_text(&h, "Zanardelli Ottavia"), "in the day view");

    // The person came: «Registra accesso» (1) opens the contact form filled in, Enter (2)
    // saves the contact and marks the appointment held.
    let mut actions = 0;
    click_button(&mut h, "Registra accesso: Zanardelli Ottavia, 10:30");
    actions += 1;
    assert!(has_text(&h, "Nuovo accesso"), "the contact form");
    assert_eq!(field_value(&h, "Ora").as_deref(), Some("10:30"));
    press(&mut h, egui::Key::Enter);
    actions += 1;
    assert!(actions <= 3);
    let r = db.store.read().unwrap();
    let a = r.require::<Appointment>(a.id).unwrap();
    assert_eq!(
        a.outcome,
        AppointmentOutcome::Svolto,
        "{:?}",
        h.state().env().message
    );
    let c = r.require::<Contact>(a.contact.expect("linked")).unwrap();
    assert_eq!(c.subject, Subject::Person(p));
    assert_eq!(c.at, a.start);
    assert_eq!((c.desk, c.operator), (a.desk, a.operator));
    drop(r);
    assert!(has_text(&h, "Svolto"));

    // Another one does not come: «Non presentato», and the year's count goes up.
    let before = db
        .store
        .read()
        .unwrap()
        .no_shows(chrono::Datelike::year(&today))
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum::<u64>();
    let year = chrono::Datelike::year(&today);
    assert!(footer_says(&h, year, before), "the footer counts {before}");
    book(&mut h, "Quartararo", "08:00");
    click_button(&mut h, "Non presentato: Quartararo Ilenia, 08:00");
    let missed: Vec<Appointment> = db.store.read().unwrap().by_subject(q).unwrap();
    assert_eq!(missed[0].outcome, AppointmentOutcome::NonPresentato);
    assert!(
        footer_says(&h, year, before + 1),
        "the footer counts one more"
    );

    // The reminder slip, through the save dialog.
    click_button(&mut h, "Promemoria: Quartararo Ilenia, 08:00");
    h.run();
    let pdf = std::fs::read(&slip).expect("the slip was saved");
    assert!(pdf.starts_with(b"%PDF"));

    // The week view shows both.
    click_button(&mut h, "Settimana");
    assert!(has_text(&h, "Zanardelli Ottavia"));
    assert!(has_text(&h, "Quartararo Ilenia"));
}

/// The path: booked in Appuntamenti, seen on Oggi, turned into a contact from Oggi
/// in two actions (a click on the appointment opens the contact form filled in from it,
/// Enter saves it and marks the appointment held).
#[test]
fn booked_appointment_shows_on_oggi_and_becomes_a_contact_from_there() {
    let (db, mut h) = demo_app();
    let p = fresh_person(&mut h, "Zanardelli", "Ottavia");
    click_button(&mut h, "Appuntamenti");
    book(&mut h, "Zanardelli", "11:15");
    h.state_mut().goto(accoglienza::ui::Route::Today);
    h.run();
    // The agenda of a demo-sized database is built in the background.
    wait_for(&mut h, "Appuntamenti di oggi");
    assert!(has_text(&h, "Zanardelli Ottavia"), "on Oggi");
    let mut actions = 0;
    h.get_by_label_contains("Zanardelli Ottavia — ").click();
    h.run();
    actions += 1;
    assert!(has_text(&h, "Nuovo accesso"), "the contact form, filled in");
    assert_eq!(field_value(&h, "Ora").as_deref(), Some("11:15"));
    press(&mut h, egui::Key::Enter);
    actions += 1;
    assert!(actions <= 3);
    let a: Vec<Appointment> = db.store.read().unwrap().by_subject(p).unwrap();
    assert_eq!(a[0].outcome, AppointmentOutcome::Svolto);
    let contacts: Vec<Contact> = db.store.read().unwrap().by_subject(p).unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(Some(contacts[0].id), a[0].contact);
}
