//! Appointments through the store: validation messages, the day list's order, the visit
//! turning into a contact in one transaction, the no-shows per line and year, erasure,
//! backup and restore (format 5 only when there are appointments), and a restricted
//! person's appointments hidden from an Operatore.

#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::catalogue::line_codes;
use accoglienza::domain::*;
use accoglienza::store::StoreError;
use chrono::NaiveDateTime;
use world::*;

fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, 0).unwrap()
}

fn booking(w: &World, person: Id, start: NaiveDateTime) -> Appointment {
    let mut a = Appointment::new(Subject::Person(person), w.op, w.desk, start, 30);
    a.line = Some(w.lines[line_codes::WEMI]);
    a.note = "Portare l'ISEE".into();
    a
}

fn refusal(w: &World, a: Appointment) -> String {
    match w.store.insert(w.op, a) {
        Err(StoreError::Invalid(p)) => p.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn visit(_w: &World, a: &Appointment) -> Contact {
    Contact {
        id: Id::NIL,
        at: a.start,
        subject: a.subject,
        line: a.line.unwrap(),
        desk: a.desk,
        operator: a.operator,
        kind: ContactKind::Colloquio,
        measure: None,
        minutes: a.minutes,
        note: String::new(),
        confidential: false,
        archived: false,
    }
}

#[test]
fn validation_speaks_italian() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let p = w.person("Verdi", None);
    let mut short = booking(&w, p, at(2025, 6, 20, 9, 0));
    short.minutes = 4;
    assert!(refusal(&w, short).contains("tra 5 e 480 minuti"));
    let mut long = booking(&w, p, at(2025, 6, 20, 9, 0));
    long.minutes = 481;
    assert!(refusal(&w, long).contains("tra 5 e 480 minuti"));
    let mut nobody = booking(&w, p, at(2025, 6, 20, 9, 0));
    nobody.operator = Id::NIL;
    assert!(refusal(&w, nobody).contains("L'operatore è obbligatorio"));
    let mut nowhere = booking(&w, p, at(2025, 6, 20, 9, 0));
    nowhere.desk = Id::NIL;
    assert!(refusal(&w, nowhere).contains("Lo sportello è obbligatorio"));
    let mut no_one = booking(&w, p, at(2025, 6, 20, 9, 0));
    no_one.subject = Subject::Person(Id::NIL);
    assert!(refusal(&w, no_one).contains("La persona o il nucleo è obbligatoria"));
    let mut held = booking(&w, p, at(2025, 6, 10, 9, 0));
    held.outcome = AppointmentOutcome::Svolto;
    assert!(refusal(&w, held).contains("deve indicare l'accesso"));
    let mut missed_tomorrow = booking(&w, p, at(2025, 6, 17, 9, 0));
    missed_tomorrow.outcome = AppointmentOutcome::NonPresentato;
    assert!(refusal(&w, missed_tomorrow).contains("appuntamento futuro"));
    // A booking in the future is fine, and its references must exist.
    assert!(
        w.store
            .insert(w.op, booking(&w, p, at(2025, 7, 1, 9, 0)))
            .is_ok()
    );
    let ghost = booking(&w, Id::new(), at(2025, 7, 1, 9, 0));
    assert!(w.store.insert(w.op, ghost).is_err());
}

#[test]
fn the_days_list_is_in_time_order_and_a_visit_becomes_a_contact() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let p = w.person("Verdi", None);
    let q = w.person("Neri", None);
    let late = w
        .store
        .insert(w.op, booking(&w, p, at(2025, 6, 16, 15, 0)))
        .unwrap();
    let early = w
        .store
        .insert(w.op, booking(&w, q, at(2025, 6, 16, 9, 30)))
        .unwrap();
    let next_day = w
        .store
        .insert(w.op, booking(&w, q, at(2025, 6, 17, 8, 0)))
        .unwrap();
    let r = w.store.read().unwrap();
    let day: Vec<Id> = r
        .appointments_between(d(2025, 6, 16), d(2025, 6, 16))
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(day, vec![early, late]);
    let week: Vec<Id> = r
        .appointments_between(d(2025, 6, 16), d(2025, 6, 22))
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(week, vec![early, late, next_day]);
    drop(r);

    // The person came: contact and appointment in one transaction.
    let a = w
        .store
        .read()
        .unwrap()
        .require::<Appointment>(early)
        .unwrap();
    let mut tx = w.store.write(w.op).unwrap();
    let cid = tx.record_appointment_visit(early, visit(&w, &a)).unwrap();
    tx.commit().unwrap();
    let r = w.store.read().unwrap();
    let a = r.require::<Appointment>(early).unwrap();
    assert_eq!(a.outcome, AppointmentOutcome::Svolto);
    assert_eq!(a.contact, Some(cid));
    assert_eq!(
        r.require::<Contact>(cid).unwrap().subject,
        Subject::Person(q)
    );
    drop(r);
    // Not twice.
    let mut tx = w.store.write(w.op).unwrap();
    assert!(tx.record_appointment_visit(early, visit(&w, &a)).is_err());
    drop(tx);
    // A contact about someone else is refused, and nothing is written.
    let other = w
        .store
        .read()
        .unwrap()
        .require::<Appointment>(late)
        .unwrap();
    let mut wrong = visit(&w, &other);
    wrong.subject = Subject::Person(q);
    let before = w.store.read().unwrap().count::<Contact>().unwrap();
    let mut tx = w.store.write(w.op).unwrap();
    assert!(tx.record_appointment_visit(late, wrong).is_err());
    drop(tx);
    assert_eq!(w.store.read().unwrap().count::<Contact>().unwrap(), before);
}

#[test]
fn no_shows_are_counted_per_line_and_year() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let p = w.person("Verdi", None);
    let mark = |start, line: Option<&str>, outcome| {
        let mut a = booking(&w, p, start);
        a.line = line.map(|l| w.lines[l]);
        let id = w.store.insert(w.op, a).unwrap();
        let mut tx = w.store.write(w.op).unwrap();
        tx.set_appointment_outcome(id, outcome).unwrap();
        tx.commit().unwrap();
        id
    };
    mark(
        at(2025, 3, 1, 9, 0),
        Some(line_codes::WEMI),
        AppointmentOutcome::NonPresentato,
    );
    mark(
        at(2025, 3, 8, 9, 0),
        Some(line_codes::WEMI),
        AppointmentOutcome::NonPresentato,
    );
    mark(
        at(2025, 3, 9, 9, 0),
        None,
        AppointmentOutcome::NonPresentato,
    );
    mark(
        at(2025, 3, 9, 10, 0),
        Some(line_codes::WEMI),
        AppointmentOutcome::Annullato,
    );
    mark(
        at(2024, 12, 30, 9, 0),
        Some(line_codes::WEMI),
        AppointmentOutcome::NonPresentato,
    );
    let r = w.store.read().unwrap();
    let mut n = r.no_shows(2025).unwrap();
    n.sort();
    let mut expected = vec![(None, 1), (Some(w.lines[line_codes::WEMI]), 2)];
    expected.sort();
    assert_eq!(n, expected);
    assert_eq!(
        r.no_shows(2024).unwrap(),
        vec![(Some(w.lines[line_codes::WEMI]), 1)]
    );
    // A held appointment cannot be marked missed.
    drop(r);
    let id = w
        .store
        .insert(w.op, booking(&w, p, at(2025, 6, 2, 9, 0)))
        .unwrap();
    let mut tx = w.store.write(w.op).unwrap();
    assert!(
        tx.set_appointment_outcome(id, AppointmentOutcome::Svolto)
            .is_err()
    );
}

#[test]
fn erasure_removes_them_and_backups_carry_them() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let format = |p: &std::path::Path| std::fs::read(p).unwrap()[8..10].to_vec();
    let plain = dir.path().join("plain.accbak");
    backup(&w.store, &plain);
    assert_eq!(
        format(&plain),
        1u16.to_le_bytes(),
        "no appointment: format 1"
    );
    let p = w.person("Verdi", None);
    let q = w.person("Neri", None);
    let id = w
        .store
        .insert(w.op, booking(&w, p, at(2025, 6, 16, 9, 0)))
        .unwrap();
    // One held, linked to its contact.
    let a = w.store.read().unwrap().require::<Appointment>(id).unwrap();
    let mut tx = w.store.write(w.op).unwrap();
    tx.record_appointment_visit(id, visit(&w, &a)).unwrap();
    tx.commit().unwrap();
    let kept = w
        .store
        .insert(w.op, booking(&w, q, at(2025, 6, 18, 9, 0)))
        .unwrap();
    let bak = dir.path().join("b.accbak");
    backup(&w.store, &bak);
    assert_eq!(
        format(&bak),
        5u16.to_le_bytes(),
        "appointments need format 5"
    );
    let mut slot = std::sync::Arc::new(open(&dir.path().join("r.redb")));
    restore(&mut slot, &bak);
    let back = slot.read().unwrap().all::<Appointment>().unwrap();
    assert_eq!(back.len(), 2);
    assert!(back.contains(&w.store.read().unwrap().require::<Appointment>(id).unwrap()));
    let report = std::sync::Arc::get_mut(&mut slot).unwrap().check().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    drop(slot);

    let mut store = w.store;
    store
        .erase_person(w.op, p, "Richiesta dell'interessato")
        .unwrap();
    let r = store.read().unwrap();
    let left: Vec<Id> = r
        .all::<Appointment>()
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(
        left,
        vec![kept],
        "only the other person's appointment is left"
    );
    assert!(r.appointments_of(p).unwrap().is_empty());
    drop(r);
    assert!(store.check().unwrap().problems.is_empty());
}

#[test]
fn a_restricted_persons_appointments_are_hidden_from_an_operatore() {
    let dir = tempfile::tempdir().unwrap();
    let w = world(&dir.path().join("a.redb"));
    let p = w.person("Riservatissimi", None);
    let q = w.person("Rossi", None);
    let hidden = w
        .store
        .insert(w.op, booking(&w, p, at(2025, 6, 16, 9, 0)))
        .unwrap();
    let shown = w
        .store
        .insert(w.op, booking(&w, q, at(2025, 6, 16, 10, 0)))
        .unwrap();
    w.store
        .insert(
            w.op,
            PrivacyEntry {
                id: Id::NIL,
                person: p,
                act: PrivacyAct::Limitazione,
                purpose: None,
                version: String::new(),
                at: dt(2025, 6, 1),
                channel: PrivacyChannel::Cartaceo,
                operator: None,
                note: "Richiesta dell'interessato".into(),
                archived: false,
            },
        )
        .unwrap();
    let op = w.session("operatrice", "operatore");
    let coord = w.session("coordinatrice", "coordinatore");
    let ids = |s| -> Vec<Id> {
        w.store
            .read_as(s)
            .unwrap()
            .appointments_between(d(2025, 6, 16), d(2025, 6, 16))
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(ids(&op), vec![shown]);
    assert_eq!(ids(&coord), vec![hidden, shown]);
    assert!(
        w.store
            .read_as(&op)
            .unwrap()
            .get::<Appointment>(hidden)
            .is_err()
    );
}

#[test]
fn the_cooperative_demo_has_appointments_held_missed_and_booked() {
    let dir = tempfile::tempdir().unwrap();
    // The demo's period ends in 2025; its store's today is a Thursday after it.
    let store = accoglienza::store::Store::open_with(
        dir.path().join("demo.redb"),
        accoglienza::store::OpenOptions {
            clock: accoglienza::domain::time::Clock::Fixed(at(2026, 12, 3, 10, 0)),
            must_exist: false,
        },
    )
    .unwrap();
    accoglienza::demo::generate(
        &store,
        accoglienza::demo::Scale::Cooperative,
        2022,
        &mut |_, _, _| {},
    )
    .unwrap();
    let r = store.read().unwrap();
    let all = r.all::<Appointment>().unwrap();
    let count = |o| all.iter().filter(|a| a.outcome == o).count();
    assert!(
        count(AppointmentOutcome::Svolto) > 50,
        "{}",
        count(AppointmentOutcome::Svolto)
    );
    assert!(count(AppointmentOutcome::NonPresentato) > 5);
    assert!(count(AppointmentOutcome::Previsto) > 20);
    for a in all
        .iter()
        .filter(|a| a.outcome == AppointmentOutcome::Svolto)
    {
        let c = r.require::<Contact>(a.contact.unwrap()).unwrap();
        assert_eq!((c.subject, c.at), (a.subject, a.start));
    }
    let today = store.clock().today();
    assert!(
        !r.appointments_between(today, today + chrono::Duration::days(7))
            .unwrap()
            .is_empty()
    );
}
