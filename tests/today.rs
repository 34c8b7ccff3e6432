//! Oggi through the real window (egui_kittest, accessibility check on): the first screen
//! after sign-in; a messa alla prova 40 hours behind shows with its numbers; a referral
//! past its follow-up shows, opens with one click, and leaves the list (and the badge)
//! once its outcome is recorded; a restricted person's items do not show to an Operatore.

mod support;
#[path = "privacy/world.rs"]
mod world;

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
                    court_file: String::new(),
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
    h.get_by_label_contains("Quagliarella Ottavio — invio a")
        .click();
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
fn todays_appointments_come_first_and_a_click_records_the_visit() {
    let (db, mut h) = window();
    let store = &db.store;
    let op = new_operator(store, "Oggiprova");
    let person = new_person(store, "Appuntati", "Elena");
    let desk = store.read().unwrap().all::<Desk>().unwrap()[0].id;
    let at = today(store).and_hms_opt(9, 30, 0).unwrap();
    store
        .insert(
            op,
            Appointment::new(Subject::Person(person), op, desk, at, 45),
        )
        .unwrap();
    // Someone else's appointment does not show to this operator.
    let other = new_operator(store, "Altrove");
    let someone = new_person(store, "Altrui", "Piero");
    store
        .insert(
            other,
            Appointment::new(Subject::Person(someone), other, desk, at, 30),
        )
        .unwrap();
    add_role_account(store, "operatrice", role_codes::OPERATORE, Some(op));
    sign_in_as(&mut h, "operatrice");
    assert!(has_text(&h, "Appuntamenti di oggi (1)"));
    assert!(has_text(&h, "09:30"));
    assert!(!has_text(&h, "Altrui Piero"));
    assert!(
        !has_text(&h, "Oggi (1)"),
        "appointments are not counted as due"
    );
    // A click on an appointment still to come records the visit: the contact form opens
    // filled in from it.
    h.get_by_label_contains("Appuntati Elena — 45 minuti")
        .click();
    h.run();
    assert!(has_text(&h, "Nuovo accesso"), "the contact form");
    assert_eq!(field_value(&h, "Ora").as_deref(), Some("09:30"));
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
    assert!(
        has_text(&h, "Riservati Carla"),
        "shown before the restriction"
    );
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
    assert!(
        !has_text(&h, "Riservati Carla"),
        "hidden from the Operatore"
    );
    assert!(!has_text(&h, "Oggi (1)"), "not counted either");
    // A coordinator still sees it, in the team's list.
    h.state_mut().sign_out();
    h.run();
    sign_in_as(&mut h, "coordinatrice");
    choose_operator(&mut h, "Ilaria Oggiprova");
    assert!(has_text(&h, "Riservati Carla"), "the coordinator sees it");
}

/// The rules of the agenda on a small world with a fixed clock (16/06/2025): each kind
/// of item, its threshold, whose it is, and the badge's count.
#[test]
fn the_agenda_follows_its_rules_and_thresholds() {
    use accoglienza::domain::today::TodaySettings;
    use accoglienza::stats::today::{Agenda, Detail, ItemKind, Scope};
    use world::{d, dt};
    let dir = tempfile::tempdir().unwrap();
    let w = world::world(&dir.path().join("w.redb"));
    let t = d(2025, 6, 16);
    assert_eq!(w.store.clock().today(), t);
    let other = w
        .store
        .insert(
            Id::NIL,
            Operator {
                surname: "Altri".into(),
                name: "Teo".into(),
                role: w
                    .store
                    .read()
                    .unwrap()
                    .all::<accoglienza::domain::Role>()
                    .unwrap()[0]
                    .id,
                active: true,
                ..Default::default()
            },
        )
        .unwrap();
    let project = |person, kind, start, end| Project {
        id: Id::NIL,
        person,
        line: w.lines[line_codes::TIROCINI],
        start,
        end,
        operator: Some(w.op),
        kind,
        note: String::new(),
        archived: false,
    };
    let stage = |host: &str| ProjectKind::Tirocinio {
        host: host.into(),
        hours_per_week: 20,
        allowance_cents: 0,
        attendance: vec![],
    };
    let a = w.person("Aliprandi", None);
    // A tirocinio ending in 10 days is listed; one ending in 40 days is not.
    w.store
        .insert(
            w.op,
            project(a, stage("Forno Rossi"), d(2025, 1, 1), Some(d(2025, 6, 26))),
        )
        .unwrap();
    w.store
        .insert(
            w.op,
            project(a, stage("Bar Sport"), d(2025, 1, 1), Some(d(2025, 7, 26))),
        )
        .unwrap();
    // A messa alla prova 10 hours behind (100 h over 100 days, 50 days in, 40 h done):
    // listed only with a threshold of 10 hours or less.
    let map = ProjectKind::MessaAllaProva {
        uepe_office: String::new(),
        court: String::new(),
        court_file: String::new(),
        hours_required: 100,
        ledger: (1..=5)
            .map(|day| HoursEntry {
                date: d(2025, 5, day),
                minutes: 8 * 60,
                activity: String::new(),
            })
            .collect(),
    };
    let mut p = project(a, map, t - Duration::days(50), Some(t + Duration::days(50)));
    p.line = w.lines[line_codes::MAP];
    w.store.insert(w.op, p).unwrap();
    // A case with one goal past its review, one done, one in the future; a closed case's
    // goals do not count.
    let goal = |text: &str, review, done| Goal {
        text: text.into(),
        review: Some(review),
        done,
    };
    let case = |status, closed, plan| Case {
        id: Id::NIL,
        subject: Subject::Person(a),
        line: w.lines[line_codes::FAMIGLIE],
        opened: d(2025, 1, 10),
        closed,
        status,
        referente: Some(w.op),
        team: vec![],
        need: String::new(),
        plan,
        outcome: if closed.is_some() {
            "Concluso".into()
        } else {
            String::new()
        },
        archived: false,
    };
    w.store
        .insert(
            w.op,
            case(
                CaseStatus::InCorso,
                None,
                vec![
                    goal("Trovare casa", d(2025, 6, 1), false),
                    goal("Iscrizione al CPI", d(2025, 5, 1), true),
                    goal("Patente", d(2025, 9, 1), false),
                ],
            ),
        )
        .unwrap();
    w.store
        .insert(
            w.op,
            case(
                CaseStatus::Chiusa,
                Some(d(2025, 3, 1)),
                vec![goal("Vecchio", d(2025, 2, 1), false)],
            ),
        )
        .unwrap();
    // Two contacts this month with a person without informativa; one a year ago with
    // another (outside the 30 days).
    let b = w.person("Bertolini", None);
    let c = w.person("Colombo", None);
    w.contact(Subject::Person(b), line_codes::WEMI, dt(2025, 6, 2), "");
    w.contact(Subject::Person(b), line_codes::WEMI, dt(2025, 6, 10), "");
    w.contact(Subject::Person(c), line_codes::WEMI, dt(2024, 6, 10), "");

    let build =
        |scope, s: &TodaySettings| Agenda::build(&w.store.read().unwrap(), scope, t, s).unwrap();
    let s = TodaySettings::default();
    let agenda = build(Scope::Operator(w.op), &s);
    let kinds: Vec<ItemKind> = agenda.items.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        vec![ItemKind::Goals, ItemKind::Informativa, ItemKind::Internship],
        "by due date: {:#?}",
        agenda.items
    );
    assert_eq!(
        agenda.items[0].detail,
        Detail::Goals {
            count: 1,
            review: d(2025, 6, 1),
            first: "Trovare casa".into()
        }
    );
    assert_eq!(
        agenda.items[1].detail,
        Detail::Informativa {
            since: d(2025, 6, 2),
            contacts: 2
        }
    );
    assert_eq!(agenda.items[2].due, d(2025, 6, 26));
    assert_eq!(agenda.due_count(None), 2, "the tirocinio is not due yet");
    // Nothing of someone else's; the team sees everything.
    assert!(build(Scope::Operator(other), &s).items.is_empty());
    assert_eq!(build(Scope::Team, &s).items.len(), 3);
    // The threshold: 10 hours behind shows at 10, not at 11.
    let at = |h| {
        build(
            Scope::Operator(w.op),
            &TodaySettings {
                behind_hours: h,
                ..s
            },
        )
        .items
        .into_iter()
        .filter(|i| i.kind == ItemKind::Probation)
        .count()
    };
    assert_eq!((at(10), at(11)), (1, 0));
    // Thresholds in days: the tirocinio ending in 40 days shows at 40.
    let wide = build(
        Scope::Operator(w.op),
        &TodaySettings {
            ending_days: 40,
            ..s
        },
    );
    assert_eq!(
        wide.items
            .iter()
            .filter(|i| i.kind == ItemKind::Internship)
            .count(),
        2
    );
    // The informativa recorded: gone.
    w.store
        .insert(
            w.op,
            PrivacyEntry {
                id: Id::NIL,
                person: b,
                act: PrivacyAct::Informativa,
                purpose: None,
                version: "2025/1".into(),
                at: dt(2025, 6, 12),
                channel: PrivacyChannel::Cartaceo,
                operator: Some(w.op),
                note: String::new(),
                archived: false,
            },
        )
        .unwrap();
    assert!(
        build(Scope::Operator(w.op), &s)
            .items
            .iter()
            .all(|i| i.kind != ItemKind::Informativa)
    );
}

/// The thresholds are kept in the database; only who coordinates the team changes them.
#[test]
fn the_thresholds_are_saved_by_a_coordinator_only() {
    use accoglienza::access;
    use accoglienza::domain::today::TodaySettings;
    let db = db(true);
    let store = &db.store;
    add_role_account(store, "operatrice", role_codes::OPERATORE, None);
    add_role_account(store, "coordinatrice", role_codes::COORDINATORE, None);
    let operatrice = access::sign_in(store, "operatrice", TEST_PASSWORD).unwrap();
    let coordinatrice = access::sign_in(store, "coordinatrice", TEST_PASSWORD).unwrap();
    assert_eq!(store.today_settings().unwrap(), TodaySettings::default());
    let s = TodaySettings {
        behind_hours: 35,
        ending_days: 45,
        informativa_days: 60,
    };
    assert!(store.set_today_settings_as(&operatrice, &s).is_err());
    assert_eq!(store.today_settings().unwrap(), TodaySettings::default());
    store.set_today_settings_as(&coordinatrice, &s).unwrap();
    assert_eq!(store.today_settings().unwrap(), s);
    // They belong to the desk, not to the data: a restore keeps them.
    use accoglienza::store::backup::{self, BackupOptions};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.accbak");
    let quiet = &mut |_: &str, _: u64, _: u64| {};
    store
        .backup_to(&file, &BackupOptions::default(), quiet)
        .unwrap();
    let restored = backup::restore_to_new_file(store, &file, None, Id::NIL, quiet).unwrap();
    let reopened = Store::open(&restored.path).unwrap();
    assert_eq!(reopened.today_settings().unwrap(), s);
}

/// A pratica whose bando closes within the window with documents missing is on its
/// operator's Oggi, due on the closing day; once every document is seen it leaves.
#[test]
fn a_pratica_missing_documents_before_its_bando_closes_is_on_oggi() {
    use accoglienza::domain::today::TodaySettings;
    use accoglienza::stats::today::{Agenda, Detail, ItemKind, Scope};
    use world::d;
    let dir = tempfile::tempdir().unwrap();
    let w = world::world(&dir.path().join("w.redb"));
    let t = d(2025, 6, 16);
    let measure = w.store.read().unwrap().all::<Measure>().unwrap()[0].id;
    let isee = w
        .store
        .insert(
            Id::NIL,
            DocumentKind {
                id: Id::NIL,
                code: "isee".into(),
                name: "ISEE".into(),
                archived: false,
            },
        )
        .unwrap();
    let bando = |code: &str, closes| Bando {
        id: Id::NIL,
        code: code.into(),
        name: format!("Bando {code}"),
        measure,
        body: "Comune di Milano".into(),
        year: 2025,
        edition: String::new(),
        opens: Some(d(2025, 3, 1)),
        closes: Some(closes),
        requirements: String::new(),
        documents: vec![RequiredDocument {
            kind: isee,
            expires: true,
        }],
        archived: false,
    };
    let soon = w
        .store
        .insert(Id::NIL, bando("vicino", d(2025, 6, 30)))
        .unwrap();
    let later = w
        .store
        .insert(Id::NIL, bando("lontano", d(2025, 9, 30)))
        .unwrap();
    let person = w.person("Praticanti", None);
    let pratica = |b| {
        let mut p = Pratica::new(Subject::Person(person), b, w.desk, w.op, d(2025, 6, 1));
        p.checklist = vec![ChecklistItem {
            document: isee,
            state: DocumentState::Mancante,
        }];
        p
    };
    let near = w.store.insert(w.op, pratica(soon)).unwrap();
    w.store.insert(w.op, pratica(later)).unwrap();
    let build = || {
        Agenda::build(
            &w.store.read().unwrap(),
            Scope::Operator(w.op),
            t,
            &TodaySettings::default(),
        )
        .unwrap()
    };
    let items: Vec<_> = build()
        .items
        .into_iter()
        .filter(|i| i.kind == ItemKind::Pratica)
        .collect();
    assert_eq!(items.len(), 1, "only the bando closing within 30 days");
    assert_eq!(items[0].due, d(2025, 6, 30));
    assert_eq!(
        items[0].detail,
        Detail::Pratica {
            bando: soon,
            closes: d(2025, 6, 30),
            missing: 1
        }
    );
    // Every document seen: it leaves Oggi.
    let mut p: Pratica = w.store.read().unwrap().require(near).unwrap();
    p.checklist[0].state = DocumentState::Visto;
    w.store.update(w.op, p).unwrap();
    assert!(build().items.iter().all(|i| i.kind != ItemKind::Pratica));
}
