//! Issue 12, parts 4 and 5, through the real App with egui_kittest (accessibility check on):
//! the trend over the years as small multiples (one chart per line, its unit in the title),
//! the year the dashboard and the Accessi list open on, the list following a contact saved
//! in another year, and the new contact's desk and line.

mod support;

use accoglienza::domain::time::{Clock, year_bounds};
use accoglienza::domain::*;
use accoglienza::store::{OpenOptions, Store};
use accoglienza::ui::AccoglienzaApp;
use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use support::*;

/// The demo (2019–2025) opened with the calendar stopped on `day`, signed in.
fn app_on(
    day: NaiveDate,
) -> (
    tempfile::TempDir,
    Arc<Store>,
    Harness<'static, AccoglienzaApp>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.redb");
    std::fs::copy(demo_template(), &path).unwrap();
    let store = Arc::new(
        Store::open_with(
            &path,
            OpenOptions {
                clock: Clock::at_day(day),
                must_exist: false,
            },
        )
        .unwrap(),
    );
    let mut h = harness(store.clone());
    sign_in_as(&mut h, TEST_USER);
    (dir, store, h)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn contacts_in(store: &Store, year: i32) -> usize {
    let (from, to) = year_bounds(year);
    store
        .read()
        .unwrap()
        .count_by_date(EntityKind::Contact, from, to)
        .unwrap()
}

/// The dashboard's "year" view title names the year shown.
fn dashboard_year_title(year: i32) -> String {
    format!("Conteggi {year} per linea di servizio")
}

/// One small chart per service line, each titled with its counting unit.
const TREND_TITLES: [&str; 8] = [
    "Sportelli WeMi Ornato e Rizzoli — persone",
    "Passeggiate culturali over 60 — persone",
    "Sostegno allo studio BES/DSA — persone",
    "Tirocini lavorativi — persone",
    "Messa alla prova — persone",
    "Ascolto famiglie — famiglie",
    "Équipe Blu autismo — famiglie",
    "Case Manager autismo — progetti",
];

/// The charts (accessible figures) named `title`.
fn titled(h: &Harness<'_, AccoglienzaApp>, title: &str) -> usize {
    let title = title.to_string();
    h.query_all_by(move |n| n.role() == Role::Figure && n.label().as_deref() == Some(&title))
        .count()
}

/// The height of the title `title` drawn over its chart.
fn title_height(h: &Harness<'_, AccoglienzaApp>, title: &str) -> f32 {
    let title = title.to_string();
    h.get_by(move |n| n.role() == Role::Label && n.value().as_deref() == Some(&title))
        .rect()
        .height()
}

#[test]
fn trend_is_one_small_chart_per_line_with_its_unit_in_normal_and_meeting_mode() {
    let (_dir, _store, mut h) = app_on(day(2025, 6, 15));
    h.state_mut().goto(accoglienza::ui::Route::Dashboard);
    h.run();
    wait_for(&mut h, "Andamento negli anni");
    for t in TREND_TITLES {
        assert_eq!(titled(&h, t), 0, "no trend before it is chosen: {t}");
    }
    h.get_by_label("Andamento negli anni").click();
    h.run();
    for t in TREND_TITLES {
        assert!(
            titled(&h, t) == 1,
            "a chart titled «{t}» with its unit (found {})",
            titled(&h, t)
        );
    }
    // No shared legend: no line's full name with its unit in brackets, as the single
    // chart's legend had.
    assert!(!has_text(&h, "(persone)"), "no legend entry");

    let normal = title_height(&h, TREND_TITLES[3]);
    // Meeting mode shows the same small multiples, in large type.
    h.get_by_label("Modalità riunione").click();
    h.run();
    for t in TREND_TITLES {
        assert_eq!(titled(&h, t), 1, "meeting mode: «{t}»");
    }
    let large = title_height(&h, TREND_TITLES[3]);
    assert!(
        large > normal * 1.4,
        "large type in meeting mode ({large} points high, {normal} on the screen)"
    );
}

#[test]
fn dashboard_and_contacts_open_on_the_current_year_when_it_has_data_else_the_latest() {
    // 2024 has data: it is the year shown (not the last complete one, 2023).
    let (_dir, store, mut h) = app_on(day(2024, 6, 15));
    h.state_mut().goto(accoglienza::ui::Route::Dashboard);
    h.run();
    wait_for(&mut h, &dashboard_year_title(2024));
    click_button(&mut h, "Accessi");
    wait_until_loaded(&mut h);
    assert_eq!(
        h.state().shown().map(|s| s.1),
        Some(contacts_in(&store, 2024)),
        "the Accessi list shows 2024"
    );
    drop(h);

    // 2018 has no data (the demo starts in 2019): the latest year with data.
    let (_dir, store, mut h) = app_on(day(2018, 3, 1));
    let counts = accoglienza::stats::annual_counts(&store.read().unwrap()).unwrap();
    let last = counts
        .years
        .iter()
        .copied()
        .filter(|y| counts.lines.iter().any(|l| counts.count(l, *y) > 0))
        .max()
        .unwrap();
    assert!(last >= 2025, "the demo's last year ({last})");
    h.state_mut().goto(accoglienza::ui::Route::Dashboard);
    h.run();
    wait_for(&mut h, &dashboard_year_title(last));
    click_button(&mut h, "Accessi");
    wait_until_loaded(&mut h);
    let (_, last_contact) = store
        .read()
        .unwrap()
        .date_span(EntityKind::Contact)
        .unwrap()
        .unwrap();
    let n = contacts_in(&store, chrono::Datelike::year(&last_contact));
    assert!(n > 0);
    assert_eq!(h.state().shown().map(|s| s.1), Some(n));
}

fn wait_until_loaded(h: &mut Harness<'_, AccoglienzaApp>) {
    for _ in 0..2000 {
        h.step();
        if !h.state().loading() {
            h.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the list never loaded");
}

#[test]
fn a_contact_saved_for_another_year_takes_the_list_to_that_year() {
    let (_dir, store, mut h) = app_on(day(2024, 6, 15));
    let pid = fresh_person(&mut h, "Quagliarella", "Ottavio");
    click_button(&mut h, "Accessi");
    wait_until_loaded(&mut h);
    assert_eq!(
        h.state().shown().map(|s| s.1),
        Some(contacts_in(&store, 2024))
    );
    click_button(&mut h, "Nuovo accesso");
    let field = h.get_by_role_and_label(Role::TextInput, "Persona o nucleo");
    field.type_text("Quaglia");
    h.run();
    press(&mut h, egui::Key::Enter);
    set_field(&mut h, "Data", "10/01/2023");
    click_button(&mut h, "Salva");
    let saved: Vec<Contact> = store.read().unwrap().by_subject(pid).unwrap();
    assert_eq!(saved.len(), 1, "saved");
    assert_eq!(chrono::Datelike::year(&saved[0].at), 2023);
    wait_until_loaded(&mut h);
    // The list went to 2023 and shows the new row (the name is a cell of its own, not
    // only inside the "Accesso registrato: …" message).
    assert_eq!(
        h.state().shown().map(|s| s.1),
        Some(contacts_in(&store, 2023)),
        "the list follows the saved contact to 2023"
    );
    type_into(&mut h, "Cerca", "quagliarella");
    assert_eq!(h.state().shown().map(|s| s.0), Some(1), "found in the list");
    assert!(
        h.query_all_by_label("Quagliarella Ottavio")
            .next()
            .is_some(),
        "the saved contact is in the list"
    );
}

#[test]
fn new_contact_takes_the_operators_desk_and_the_persons_last_line() {
    let db = db(true);
    let store = db.store.clone();
    let (desks, lines, role) = {
        let r = store.read().unwrap();
        let desks: Vec<Desk> = r.all().unwrap();
        let lines: Vec<ServiceLine> = r.all().unwrap();
        let role = r.all::<Operator>().unwrap()[0].role;
        (desks, lines, role)
    };
    let first_desk = accoglienza::ui::data::Data::load_catalog(&store)
        .unwrap()
        .catalog
        .desks
        .first()
        .unwrap()
        .id;
    // Two desks other than the one the window starts on.
    let mut others = desks.iter().filter(|d| d.id != first_desk && !d.archived);
    let (op_desk, person_desk) = (others.next().unwrap().id, others.next().unwrap().id);
    let line = |code: &str| lines.iter().find(|l| l.code == code).unwrap().id;
    let tirocini = line("tirocini");
    let (_, last) = store
        .read()
        .unwrap()
        .date_span(EntityKind::Contact)
        .unwrap()
        .unwrap();
    let admin = store.read().unwrap().all::<Operator>().unwrap()[0].id;
    // An operator with no usual desk, whose latest contact (about someone else) was at
    // `op_desk`.
    let op = store
        .insert(
            admin,
            Operator {
                surname: "Senzasportello".into(),
                name: "Nadia".into(),
                role,
                desk: None,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    let contact = |subject: Id, at: NaiveDate, line: Id, desk: Id, operator: Id| Contact {
        id: Id::NIL,
        at: at.and_hms_opt(10, 0, 0).unwrap(),
        subject: Subject::Person(subject),
        line,
        desk,
        operator,
        kind: ContactKind::Ascolto,
        measure: None,
        minutes: 0,
        note: String::new(),
        confidential: false,
        archived: false,
    };
    let person = |surname: &str| {
        store
            .insert(
                admin,
                Person {
                    surname: surname.into(),
                    name: "Prova".into(),
                    ..Default::default()
                },
            )
            .unwrap()
    };
    let someone = person("Qualcunaltro");
    store
        .insert(admin, contact(someone, last, line("wemi"), op_desk, op))
        .unwrap();
    // The person came twice: first to family listening, last to the internships, at
    // another desk and with another operator.
    let pid = person("Tirocinante");
    let older = last - chrono::Duration::days(200);
    store
        .insert(
            admin,
            contact(pid, older, line("famiglie"), person_desk, admin),
        )
        .unwrap();
    store
        .insert(
            admin,
            contact(
                pid,
                last - chrono::Duration::days(20),
                tirocini,
                person_desk,
                admin,
            ),
        )
        .unwrap();

    let mut h = harness(store.clone());
    sign_in_operator(&mut h, op);
    assert_eq!(
        h.state().env().desk,
        op_desk,
        "the operator's desk at sign-in"
    );
    click_button(&mut h, "Accessi");
    click_button(&mut h, "Nuovo accesso");
    let field = h.get_by_role_and_label(Role::TextInput, "Persona o nucleo");
    field.type_text("Tirocinante");
    h.run();
    press(&mut h, egui::Key::Enter);
    assert!(has_text(&h, "Tirocinante Prova"));
    press(&mut h, egui::Key::Enter);
    let mut saved: Vec<Contact> = store.read().unwrap().by_subject(pid).unwrap();
    saved.sort_by_key(|c| c.at);
    assert_eq!(saved.len(), 3, "saved");
    let new = saved.last().unwrap();
    assert_eq!(new.operator, op);
    assert_eq!(new.line, tirocini, "the line of the person's last contact");
    assert_eq!(
        new.desk, op_desk,
        "the desk of the operator's latest contact (they have no usual desk)"
    );
}
