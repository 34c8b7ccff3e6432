//! Oggi through the real window (egui_kittest, accessibility check on): the first screen
//! after sign-in; a messa alla prova 40 hours behind shows with its numbers; a referral
//! past its follow-up shows, opens with one click, and leaves the list (and the badge)
//! once its outcome is recorded; a restricted person's items do not show to an Operatore.

mod support;

use accoglienza::domain::access::role_codes;
use accoglienza::domain::catalogue::line_codes;
use accoglienza::domain::*;
use accoglienza::store::Store;
use accoglienza::ui::{AccoglienzaApp, Route};
use chrono::{Duration, NaiveDate};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::*;

/// A new operator of the demo's team, with no records yet.
fn new_operator(store: &Store, surname: &str) -> Id {
    let mut op = store.read().unwrap().all::<Operator>().unwrap()[0].clone();
    op.id = Id::NIL;
    op.surname = surname.into();
    op.name = "Ilaria".into();
    op.active = true;
    op.archived = false;
    store.insert(Id::NIL, op).unwrap()
}

fn new_person(store: &Store, surname: &str, name: &str) -> Id {
    store
        .insert(
            Id::NIL,
            Person {
                surname: surname.into(),
                name: name.into(),
                ..Default::default()
            },
        )
        .unwrap()
}

fn today(store: &Store) -> NaiveDate {
    store.clock().today()
}

fn overdue_referral(store: &Store, person: Id, op: Id) -> Id {
    let t = today(store);
    let service = store.read().unwrap().all::<TerritorialService>().unwrap()[0].id;
    store
        .insert(
            op,
            Referral {
                id: Id::NIL,
                subject: Subject::Person(person),
                date: t - Duration::days(40),
                service,
                line: None,
                operator: Some(op),
                reason: "Ricerca di lavoro".into(),
                follow_up: Some(t - Duration::days(10)),
                outcome: ReferralOutcome::InAttesa,
                outcome_note: String::new(),
                archived: false,
            },
        )
        .unwrap()
}

/// The window over the demo, with its people loaded, before anyone signs in.
fn window() -> (Db, Harness<'static, AccoglienzaApp>) {
    let db = db(true);
    let h = harness(db.store.clone());
    (db, h)
}

fn choose_operator(h: &mut Harness<'_, AccoglienzaApp>, name: &str) {
    h.get_by_role_and_label(Role::ComboBox, "Operatore").click();
    h.run();
    // The list of the team is longer than the drop-down.
    click_scrolled(h, name);
}

#[test]
fn a_messa_alla_prova_forty_hours_behind_shows_with_its_numbers() {
    let (db, mut h) = window();
    let store = &db.store;
    let op = new_operator(store, "Oggiprova");
    let person = new_person(store, "Zanardelli", "Bruno");
    let t = today(store);
    // 300 hours over 300 days, 160 days in: 160 expected, 120 done (12 days of 10 hours).
    let start = t - Duration::days(160);
    let ledger = (0..12)
        .map(|i| HoursEntry {
            date: start + Duration::days(7 * i),
            minutes: 600,
            activity: "Biblioteca".into(),
        })
        .collect();
    let line = store
        .read()
        .unwrap()
        .all::<ServiceLine>()
        .unwrap()
        .into_iter()
        .find(|l| l.code == line_codes::MAP)
        .unwrap()
        .id;
    store
        .insert(
            op,
            Project {
                id: Id::NIL,
                person,
                line,
                start,
                end: Some(start + Duration::days(300)),
                operator: Some(op),
                kind: ProjectKind::MessaAllaProva {
                    uepe_office: "UEPE Milano".into(),
                    court: "Tribunale di Milano".into(),
                    hours_required: 300,
                    ledger,
                },
                note: String::new(),
                archived: false,
            },
        )
        .unwrap();
    add_role_account(store, "coordinatrice", role_codes::COORDINATORE, Some(op));
    sign_in_as(&mut h, "coordinatrice");
    assert_eq!(h.state().route(), Route::Today, "Oggi comes first");
    // The coordinator sees the team: one operator at a time with the filter.
    choose_operator(&mut h, "Ilaria Oggiprova");
    let end = accoglienza::domain::time::fmt_date(start + Duration::days(300));
    let line = format!(
        "Zanardelli Bruno — 120 ore su 300, previste 160 a oggi — 40 ore indietro; termina il {end}"
    );
    assert!(has_text(&h, &line), "the item with its numbers");
    assert!(has_text(&h, "Messa alla prova"));
    assert!(has_text(&h, "Oggi (1)"), "the badge counts it");
}

#[test]
fn a_referral_past_its_follow_up_leaves_oggi_when_its_outcome_is_recorded() {
    let (db, mut h) = window();
    let store = &db.store;
    let op = new_operator(store, "Oggiprova");
    let person = new_person(store, "Quagliarella", "Ottavio");
    let rid = overdue_referral(store, person, op);
    add_role_account(store, "operatrice", role_codes::OPERATORE, Some(op));
    sign_in_as(&mut h, "operatrice");
    assert_eq!(h.state().route(), Route::Today, "Oggi comes first");
    assert!(has_text(&h, "Oggi (1)"), "the badge");
    assert!(has_text(&h, "Scaduti e da fare oggi (1)"));
    assert!(has_text(&h, "Verifica invio"));
    // One click to the referral.
    h.get_by_label_contains("Quagliarella Ottavio — invio a").click();
    h.run();
    assert!(has_text(&h, "Invio alla rete"), "the referral's form");
    h.get_by_role_and_label(Role::ComboBox, "Esito dell'invio")
        .click();
    h.run();
    click(&mut h, "Preso in carico dal servizio");
    click_button(&mut h, "Salva");
    let r: Referral = store.read().unwrap().require(rid).unwrap();
    assert_eq!(r.outcome, ReferralOutcome::Accolto);
    assert_eq!(h.state().route(), Route::Today);
    assert!(!has_text(&h, "Quagliarella Ottavio"), "gone from Oggi");
    assert!(!has_text(&h, "Oggi (1)"), "and from the badge");
    assert!(has_text(&h, "Niente di scaduto o in scadenza"));
}

#[test]
fn a_restricted_persons_items_do_not_show_to_an_operatore() {
    let (db, mut h) = window();
    let store = &db.store;
    let op = new_operator(store, "Oggiprova");
    let person = new_person(store, "Riservati", "Carla");
    overdue_referral(store, person, op);
    add_role_account(store, "operatrice", role_codes::OPERATORE, Some(op));
    add_role_account(store, "coordinatrice", role_codes::COORDINATORE, None);
    sign_in_as(&mut h, "operatrice");
    assert!(has_text(&h, "Riservati Carla"), "shown before the restriction");
    let now = store.clock().now();
    let entry = store
        .insert(
            Id::NIL,
            PrivacyEntry {
                id: Id::NIL,
                person,
                act: PrivacyAct::Limitazione,
                purpose: None,
                version: String::new(),
                at: now - Duration::minutes(5),
                channel: PrivacyChannel::Cartaceo,
                operator: None,
                note: "Richiesta dell'interessata".into(),
                archived: false,
            },
        )
        .unwrap();
    h.state_mut()
        .env_mut()
        .refresh(EntityKind::PrivacyEntry, entry);
    h.run();
    assert!(!has_text(&h, "Riservati Carla"), "hidden from the Operatore");
    assert!(!has_text(&h, "Oggi (1)"), "not counted either");
    // A coordinator still sees it, in the team's list.
    h.state_mut().sign_out();
    h.run();
    sign_in_as(&mut h, "coordinatrice");
    choose_operator(&mut h, "Ilaria Oggiprova");
    assert!(has_text(&h, "Riservati Carla"), "the coordinator sees it");
}
