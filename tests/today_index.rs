//! Oggi's agenda index gives the same agenda as a scan of every record: on a small world
//! with a fixed clock (16/06/2025) where projects, cases and referrals are created, edited
//! to change operator, end, follow-up, status and goals, archived and brought back, and
//! removed (an erasure); through a restricted Operatore's session too; after a restore; on
//! a database that lacks the index (built once at open) and after a schema conversion.
//! `check` verifies the index every time.

#[path = "privacy/world.rs"]
mod world;

use accoglienza::domain::access::role_codes;
use accoglienza::domain::catalogue::line_codes;
use accoglienza::domain::today::TodaySettings;
use accoglienza::domain::*;
use accoglienza::stats::today::{Agenda, Scope};
use accoglienza::store::today::{KEY_AGENDA_INDEX, Via};
use accoglienza::store::{Entity, Store};
use chrono::{Duration, NaiveDate};
use std::path::Path;
use std::sync::Arc;
use world::{World, d};

/// The days the agenda is built on: before, on and after the fixed today.
fn days() -> [NaiveDate; 5] {
    [
        d(2025, 3, 1),
        d(2025, 6, 1),
        d(2025, 6, 16),
        d(2025, 7, 20),
        d(2026, 2, 1),
    ]
}

/// The index and the scan give the same agenda, for every operator, the team and with no
/// operator at all, on every day of [`days`], and `check` finds nothing wrong. Returns how
/// many items the agendas held (so a test can see it checked something).
fn same_agenda(store: &mut Store, ops: &[Id]) -> usize {
    let s = TodaySettings::default();
    let mut n = 0;
    {
        let r = store.read().unwrap();
        let scopes = ops
            .iter()
            .map(|o| Scope::Operator(*o))
            .chain([Scope::Team, Scope::Operator(Id::NIL)]);
        for scope in scopes {
            for day in days() {
                let by_index = Agenda::build_via(&r, scope, day, &s, Via::Index).unwrap();
                let by_scan = Agenda::build_via(&r, scope, day, &s, Via::Scan).unwrap();
                assert_eq!(by_index, by_scan, "{scope:?} on {day}");
                assert_eq!(by_index, Agenda::build(&r, scope, day, &s).unwrap());
                n += by_index.items.len();
            }
        }
    }
    let rep = store.check().unwrap();
    assert!(rep.ok(), "{:#?}", rep.problems);
    n
}

fn operator(w: &World, surname: &str) -> Id {
    let role = w.store.read().unwrap().all::<Role>().unwrap()[0].id;
    w.store
        .insert(
            Id::NIL,
            Operator {
                surname: surname.into(),
                name: "Teo".into(),
                role,
                active: true,
                ..Default::default()
            },
        )
        .unwrap()
}

fn map(hours_required: u32) -> ProjectKind {
    ProjectKind::MessaAllaProva {
        uepe_office: "UEPE Milano".into(),
        court: "Tribunale".into(),
        court_file: String::new(),
        hours_required,
        ledger: vec![],
    }
}

fn stage() -> ProjectKind {
    ProjectKind::Tirocinio {
        host: "Forno Rossi".into(),
        hours_per_week: 20,
        allowance_cents: 0,
        attendance: vec![],
    }
}

struct Made {
    projects: Vec<Id>,
    cases: Vec<Id>,
    referrals: Vec<Id>,
}

/// Projects, cases and referrals of `ops` about `people`, in every state Oggi tells apart.
fn populate(w: &World, ops: &[Id], people: &[Id]) -> Made {
    let mut m = Made {
        projects: vec![],
        cases: vec![],
        referrals: vec![],
    };
    let t = d(2025, 6, 16);
    let ends = [
        Some(t - Duration::days(5)),
        Some(t),
        Some(t + Duration::days(10)),
        Some(t + Duration::days(45)),
        None,
    ];
    for (i, end) in ends.iter().enumerate() {
        let person = people[i % people.len()];
        let (line, kind) = match i % 3 {
            0 => (line_codes::MAP, map(100)),
            1 => (line_codes::TIROCINI, stage()),
            _ => (
                line_codes::STUDIO,
                ProjectKind::SostegnoStudio {
                    school: "Liceo".into(),
                    class: "2ª A".into(),
                    need: SchoolNeed::Dsa,
                    hours_per_week: 3,
                },
            ),
        };
        for (j, op) in ops.iter().map(|o| Some(*o)).chain([None]).enumerate() {
            let start = if j == 1 {
                t + Duration::days(3)
            } else {
                t - Duration::days(120)
            };
            let start = start.min(end.unwrap_or(start));
            m.projects.push(
                w.store
                    .insert(
                        w.op,
                        Project {
                            id: Id::NIL,
                            person,
                            line: w.lines[line],
                            start,
                            end: *end,
                            operator: op,
                            kind: kind.clone(),
                            note: String::new(),
                            archived: false,
                        },
                    )
                    .unwrap(),
            );
        }
    }
    let goal = |text: &str, review: Option<NaiveDate>, done| Goal {
        text: text.into(),
        review,
        done,
    };
    let plans = [
        vec![goal("Casa", Some(d(2025, 6, 1)), false)],
        vec![
            goal("Lavoro", Some(d(2025, 5, 1)), true),
            goal("Patente", Some(d(2025, 7, 1)), false),
        ],
        vec![goal("Scuola", None, false)],
        vec![],
    ];
    for (i, plan) in plans.iter().enumerate() {
        let (referente, team) = match i % 3 {
            0 => (Some(ops[0]), vec![ops[1]]),
            1 => (None, vec![ops[1], ops[0]]),
            _ => (None, vec![]),
        };
        m.cases.push(
            w.store
                .insert(
                    w.op,
                    Case {
                        id: Id::NIL,
                        subject: Subject::Person(people[i % people.len()]),
                        line: w.lines[line_codes::FAMIGLIE],
                        opened: d(2025, 1, 10),
                        closed: None,
                        status: CaseStatus::InCorso,
                        referente,
                        team,
                        need: String::new(),
                        plan: plan.clone(),
                        outcome: String::new(),
                        archived: false,
                    },
                )
                .unwrap(),
        );
    }
    for (i, follow_up) in [Some(d(2025, 5, 20)), Some(d(2025, 7, 1)), None]
        .iter()
        .enumerate()
    {
        for op in ops.iter().map(|o| Some(*o)).chain([None]) {
            m.referrals.push(
                w.store
                    .insert(
                        w.op,
                        Referral {
                            id: Id::NIL,
                            subject: Subject::Person(people[i % people.len()]),
                            date: d(2025, 4, 1),
                            service: w.service,
                            line: None,
                            operator: op,
                            reason: "Invio".into(),
                            follow_up: *follow_up,
                            outcome: ReferralOutcome::InAttesa,
                            outcome_note: String::new(),
                            archived: false,
                        },
                    )
                    .unwrap(),
            );
        }
    }
    m
}

fn edit<E: Entity>(store: &Store, id: Id, f: impl FnOnce(&mut E)) {
    let mut rec: E = store.read().unwrap().require(id).unwrap();
    f(&mut rec);
    store.update(Id::NIL, rec).unwrap();
}

/// A world with two more operators and three people, populated.
fn setup(path: &Path) -> (World, Vec<Id>, Vec<Id>, Made) {
    let w = world::world(path);
    let ops = vec![w.op, operator(&w, "Bassi"), operator(&w, "Conti")];
    let people = vec![
        w.person("Aliprandi", None),
        w.person("Bertolini", None),
        w.person("Colombo", None),
    ];
    let made = populate(&w, &ops, &people);
    (w, ops, people, made)
}

#[test]
fn the_index_gives_the_agenda_of_a_full_scan_through_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let (mut w, ops, people, made) = setup(&dir.path().join("w.redb"));
    assert!(same_agenda(&mut w.store, &ops) > 0);

    // Projects: another operator, another end (sooner, later, none, in the past), archived
    // and brought back.
    edit(&w.store, made.projects[0], |p: &mut Project| {
        p.operator = Some(ops[2])
    });
    edit(&w.store, made.projects[4], |p: &mut Project| {
        p.end = Some(d(2025, 6, 20))
    });
    edit(&w.store, made.projects[8], |p: &mut Project| p.end = None);
    edit(&w.store, made.projects[12], |p: &mut Project| {
        p.end = Some(d(2025, 6, 10));
        p.operator = None;
    });
    w.store
        .set_archived::<Project>(Id::NIL, made.projects[9], true)
        .unwrap();
    w.store
        .set_archived::<Project>(Id::NIL, made.projects[10], true)
        .unwrap();
    w.store
        .set_archived::<Project>(Id::NIL, made.projects[10], false)
        .unwrap();
    assert!(same_agenda(&mut w.store, &ops) > 0);

    // Cases: goals achieved and reviewed later, a new referente and team, closed, archived.
    edit(&w.store, made.cases[0], |c: &mut Case| {
        c.plan[0].done = true
    });
    edit(&w.store, made.cases[1], |c: &mut Case| {
        c.plan[1].review = Some(d(2025, 6, 2));
        c.referente = Some(ops[2]);
        c.team = vec![];
    });
    edit(&w.store, made.cases[2], |c: &mut Case| {
        c.plan[0].review = Some(d(2025, 4, 4));
        c.team = vec![ops[1]];
    });
    edit(&w.store, made.cases[3], |c: &mut Case| {
        c.plan.push(Goal {
            text: "Nuovo".into(),
            review: Some(d(2025, 6, 16)),
            done: false,
        })
    });
    assert!(same_agenda(&mut w.store, &ops) > 0);
    edit(&w.store, made.cases[2], |c: &mut Case| {
        c.status = CaseStatus::Chiusa;
        c.closed = Some(d(2025, 6, 10));
        c.outcome = "Concluso".into();
    });
    w.store
        .set_archived::<Case>(Id::NIL, made.cases[3], true)
        .unwrap();
    assert!(same_agenda(&mut w.store, &ops) > 0);

    // Referrals: outcome recorded, follow-up moved, another operator, archived.
    edit(&w.store, made.referrals[0], |r: &mut Referral| {
        r.outcome = ReferralOutcome::ALL[1];
        r.outcome_note = "Preso in carico".into();
    });
    edit(&w.store, made.referrals[1], |r: &mut Referral| {
        r.follow_up = Some(d(2025, 8, 1))
    });
    edit(&w.store, made.referrals[4], |r: &mut Referral| {
        r.follow_up = Some(d(2025, 6, 3));
        r.operator = Some(ops[0]);
    });
    w.store
        .set_archived::<Referral>(Id::NIL, made.referrals[2], true)
        .unwrap();
    assert!(same_agenda(&mut w.store, &ops) > 0);

    // A person erased: their referrals go, their projects and cases are anonymised.
    w.store
        .erase_person(Id::NIL, people[1], "Richiesta dell'interessata")
        .unwrap();
    assert!(same_agenda(&mut w.store, &ops) > 0);

    // The same agenda through an Operatore's session, with a person's processing
    // restricted (hidden from them by the reader either way).
    w.store
        .insert(
            Id::NIL,
            PrivacyEntry {
                id: Id::NIL,
                person: people[0],
                act: PrivacyAct::Limitazione,
                purpose: None,
                version: String::new(),
                at: w.store.clock().now() - Duration::minutes(5),
                channel: PrivacyChannel::Cartaceo,
                operator: None,
                note: "Richiesta dell'interessata".into(),
                archived: false,
            },
        )
        .unwrap();
    let s = w.session("operatrice", role_codes::OPERATORE);
    let r = w.store.read_as(&s).unwrap();
    let settings = TodaySettings::default();
    for scope in [Scope::Operator(w.op), Scope::Team] {
        for day in days() {
            assert_eq!(
                Agenda::build_via(&r, scope, day, &settings, Via::Index).unwrap(),
                Agenda::build_via(&r, scope, day, &settings, Via::Scan).unwrap(),
                "{scope:?} on {day}"
            );
        }
    }
    drop(r);

    // After a backup and a restore (indexes rebuilt from the records).
    let bak = dir.path().join("copia.accbak");
    world::backup(&w.store, &bak);
    let path = w.store.path().to_path_buf();
    let mut slot = Arc::new(w.store);
    world::restore(&mut slot, &bak);
    let mut store = Arc::try_unwrap(slot).ok().unwrap();
    assert_eq!(store.path(), path);
    assert!(same_agenda(&mut store, &ops) > 0);
}

#[test]
fn a_database_without_the_index_gets_it_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.redb");
    let (mut w, ops, _people, _made) = setup(&path);
    let want = Agenda::build(
        &w.store.read().unwrap(),
        Scope::Team,
        d(2025, 6, 16),
        &TodaySettings::default(),
    )
    .unwrap();
    assert!(!want.items.is_empty());
    same_agenda(&mut w.store, &ops);
    drop(w);
    // As a database made before the index: no marker, no agenda entries.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let meta: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
            txn.open_table(meta)
                .unwrap()
                .remove(KEY_AGENDA_INDEX)
                .unwrap();
            let derived: redb::TableDefinition<&[u8], &[u8]> =
                redb::TableDefinition::new("derived");
            let mut t = txn.open_table(derived).unwrap();
            t.retain_in([0x04u8].as_slice()..[0x05u8].as_slice(), |_, _| false)
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let mut phases = Vec::new();
    let mut store = Store::open_with_progress(
        &path,
        accoglienza::store::OpenOptions {
            clock: accoglienza::domain::time::Clock::Fixed(world::today()),
            must_exist: true,
        },
        &mut |p, _, _| {
            if phases.last().map(String::as_str) != Some(p) {
                phases.push(p.to_string());
            }
        },
    )
    .unwrap();
    assert_eq!(phases, vec!["Indice di Oggi".to_string()]);
    let got = Agenda::build(
        &store.read().unwrap(),
        Scope::Team,
        d(2025, 6, 16),
        &TodaySettings::default(),
    )
    .unwrap();
    assert_eq!(got, want);
    same_agenda(&mut store, &ops);
    drop(store);
    // Built once: the next open has nothing to do.
    let mut phases = 0;
    Store::open_with_progress(&path, Default::default(), &mut |_, _, _| phases += 1).unwrap();
    assert_eq!(phases, 0);
}

#[test]
fn a_converted_schema1_database_has_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let packed = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/db/schema1-cooperativa.redb.zst"),
    )
    .unwrap();
    let db = dir.path().join("accoglienza.redb");
    std::fs::write(&db, zstd::decode_all(packed.as_slice()).unwrap()).unwrap();
    let mut store = Store::open(&db).unwrap();
    let ops: Vec<Id> = store
        .read()
        .unwrap()
        .all::<Operator>()
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert!(same_agenda(&mut store, &ops) > 0);
}
