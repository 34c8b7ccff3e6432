//! What the privacy tests share: a small world of people and records over a few years, a
//! person with a marker in every text field, the counts of every year checked against a
//! full recount, the byte scan, and backup / restore helpers.
#![allow(dead_code)]

use accoglienza::access::{self, NewAccount, PasswordParams, Session};
use accoglienza::domain::access::AccessKind;
use accoglienza::domain::catalogue::line_codes;
use accoglienza::domain::codice_fiscale;
use accoglienza::domain::time::Clock;
use accoglienza::domain::*;
use accoglienza::stats;
use accoglienza::store::backup::{self, BackupOptions};
use accoglienza::store::{OpenOptions, Store};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub const PW: &str = "una frase abbastanza lunga";
pub const FAST: PasswordParams = PasswordParams::FAST_FOR_TESTS;
pub const MARK: &str = "zqxmarker";

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn dt(y: i32, m: u32, day: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(10, 0, 0).unwrap()
}

/// "Today" of the tests' stores.
pub fn today() -> NaiveDateTime {
    dt(2025, 6, 16)
}

pub fn open(path: &Path) -> Store {
    Store::open_with(
        path,
        OpenOptions {
            clock: Clock::Fixed(today()),
            must_exist: false,
        },
    )
    .unwrap()
}

pub struct World {
    pub store: Store,
    pub op: Id,
    pub desk: Id,
    pub service: Id,
    pub lines: BTreeMap<String, Id>,
}

pub fn world(path: &Path) -> World {
    world_in(open(path))
}

pub fn world_in(store: Store) -> World {
    let r = store.read().unwrap();
    let role = r.all::<Role>().unwrap()[0].id;
    let desk = r.all::<Desk>().unwrap()[0].id;
    let service = r.all::<TerritorialService>().unwrap()[0].id;
    let lines = r
        .all::<ServiceLine>()
        .unwrap()
        .into_iter()
        .map(|l| (l.code, l.id))
        .collect();
    drop(r);
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
    World {
        store,
        op,
        desk,
        service,
        lines,
    }
}

impl World {
    pub fn person(&self, surname: &str, household: Option<Id>) -> Id {
        self.store
            .insert(
                self.op,
                Person {
                    surname: surname.into(),
                    name: "Anna".into(),
                    household: household.map(|h| Membership {
                        household: h,
                        relationship: Relationship::Figlio,
                    }),
                    ..Default::default()
                },
            )
            .unwrap()
    }

    pub fn household(&self, name: &str) -> Id {
        self.store
            .insert(
                self.op,
                Household {
                    name: name.into(),
                    ..Default::default()
                },
            )
            .unwrap()
    }

    pub fn contact(&self, s: Subject, line: &str, at: NaiveDateTime, note: &str) -> Id {
        self.store
            .insert(
                self.op,
                Contact {
                    id: Id::NIL,
                    at,
                    subject: s,
                    line: self.lines[line],
                    desk: self.desk,
                    operator: self.op,
                    kind: ContactKind::Ascolto,
                    measure: None,
                    minutes: 20,
                    note: note.into(),
                    confidential: !note.is_empty(),
                    archived: false,
                },
            )
            .unwrap()
    }

    /// A case whose texts start with `text` (the marker for the erased person).
    pub fn case(&self, s: Subject, line: &str, opened: NaiveDate, closed: Option<NaiveDate>) -> Id {
        self.case_with(s, line, opened, closed, "Testo")
    }

    pub fn case_with(
        &self,
        s: Subject,
        line: &str,
        opened: NaiveDate,
        closed: Option<NaiveDate>,
        text: &str,
    ) -> Id {
        self.store
            .insert(
                self.op,
                Case {
                    id: Id::NIL,
                    subject: s,
                    line: self.lines[line],
                    opened,
                    closed,
                    status: if closed.is_some() {
                        CaseStatus::Chiusa
                    } else {
                        CaseStatus::InCorso
                    },
                    referente: Some(self.op),
                    team: vec![],
                    need: format!("{text} bisogno"),
                    plan: vec![Goal {
                        text: format!("{text} obiettivo"),
                        review: None,
                        done: false,
                    }],
                    outcome: if closed.is_some() {
                        format!("{text} esito")
                    } else {
                        String::new()
                    },
                    archived: false,
                },
            )
            .unwrap()
    }

    pub fn project(&self, p: Id, start: NaiveDate, end: Option<NaiveDate>) -> Id {
        self.store
            .insert(
                self.op,
                Project {
                    id: Id::NIL,
                    person: p,
                    line: self.lines[line_codes::TIROCINI],
                    start,
                    end,
                    operator: Some(self.op),
                    kind: ProjectKind::Tirocinio {
                        host: format!("{MARK} azienda ospitante"),
                        hours_per_week: 20,
                        allowance_cents: 50_000,
                        attendance: vec![Attendance {
                            date: start,
                            present: true,
                            minutes: 240,
                            note: format!("{MARK} presenza"),
                        }],
                    },
                    note: format!("{MARK} nota progetto"),
                    archived: false,
                },
            )
            .unwrap()
    }

    pub fn referral(&self, p: Id, date: NaiveDate) -> Id {
        self.store
            .insert(
                self.op,
                Referral {
                    id: Id::NIL,
                    subject: Subject::Person(p),
                    date,
                    service: self.service,
                    line: None,
                    operator: Some(self.op),
                    reason: format!("{MARK} motivo invio"),
                    follow_up: None,
                    outcome: ReferralOutcome::default(),
                    outcome_note: format!("{MARK} esito invio"),
                    archived: false,
                },
            )
            .unwrap()
    }

    pub fn activity(&self, people: &[Id], day: NaiveDate) -> Id {
        self.store
            .insert(
                self.op,
                Activity {
                    id: Id::NIL,
                    name: "Passeggiata al Castello".into(),
                    line: self.lines[line_codes::PASSEGGIATE],
                    edition: "2023".into(),
                    desk: Some(self.desk),
                    participants: people.to_vec(),
                    sessions: vec![accoglienza::domain::Session {
                        date: day,
                        title: "Castello".into(),
                        attendees: people.to_vec(),
                    }],
                    archived: false,
                },
            )
            .unwrap()
    }

    pub fn session(&self, name: &str, role: &str) -> Session {
        let role = self.store.access_role(role).unwrap().unwrap().id;
        self.store
            .create_account_unchecked(
                &NewAccount {
                    username: name.into(),
                    operator: Some(self.op),
                    roles: vec![role],
                    must_change: false,
                },
                PW,
                FAST,
            )
            .unwrap();
        access::sign_in(&self.store, name, PW).unwrap()
    }
}

/// Every (line, year, unit) count, checked equal to a full recount from the records.
pub fn counts(store: &Store) -> BTreeMap<(Id, i32, CountingUnit), u64> {
    let r = store.read().unwrap();
    let live = stats::annual_counts(&r).unwrap();
    let full = stats::recount(&r).unwrap();
    let mut out = BTreeMap::new();
    for l in &live.lines {
        for y in live.years.iter().chain(full.years.iter()) {
            for u in CountingUnit::ALL {
                let n = live.count_in(l.id, *y, u);
                assert_eq!(n, full.count_in(l.id, *y, u), "{} {y} {u:?}", l.code);
                if n > 0 {
                    out.insert((l.id, *y, u), n);
                }
            }
        }
    }
    out
}

/// The positions of the marker in `bytes`, compared without case (names are also indexed
/// folded to lower case).
pub fn markers_in(bytes: &[u8]) -> usize {
    let low = bytes.to_ascii_lowercase();
    low.windows(MARK.len())
        .filter(|w| *w == MARK.as_bytes())
        .count()
        + low.windows(6).filter(|w| *w == b"zqxmrk").count()
        + low.windows(10).filter(|w| *w == b"3470009917").count()
}

/// Asserts no marker is left, showing where they are otherwise.
pub fn assert_clean(bytes: &[u8]) {
    let n = markers_in(bytes);
    if n > 0 {
        show(bytes);
    }
    assert_eq!(n, 0, "markers left");
}

pub fn show(bytes: &[u8]) {
    let low = bytes.to_ascii_lowercase();
    for (i, _) in low
        .windows(6)
        .enumerate()
        .filter(|(_, w)| *w == b"zqxmrk" || *w == &MARK.as_bytes()[..6] || *w == b"347000")
    {
        eprintln!(
            "{i} / {}: {:?}",
            bytes.len(),
            String::from_utf8_lossy(&bytes[i.saturating_sub(40)..(i + 60).min(bytes.len())])
        );
    }
}

/// The decompressed body of a plain backup (its records as stored).
pub fn backup_body(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let len = u32::from_le_bytes(bytes[10..14].try_into().unwrap()) as usize;
    let mut out = bytes[14..14 + len].to_vec();
    out.extend(zstd::decode_all(&bytes[14 + len..bytes.len() - 32]).unwrap());
    out
}

/// A person with the marker in every text field, in a household of their own, with
/// contacts (confidential notes), a closed and an open case, a project, a referral, an
/// activity, an extraordinary access and a logged read with typed reasons. Returns the
/// person.
pub fn marked_person(w: &World, s: &Session) -> Id {
    let h = w
        .store
        .insert(
            w.op,
            Household {
                name: "Famiglia Zqxmarker".into(),
                address: format!("Via {MARK} 2"),
                municipio: Some(3),
                note: format!("{MARK} nota nucleo"),
                archived: false,
                ..Default::default()
            },
        )
        .unwrap();
    let first15 = "ZQXMRK85A41F205";
    let cf = format!(
        "{first15}{}",
        codice_fiscale::check_char(first15.as_bytes())
    );
    let p = w
        .store
        .insert(
            w.op,
            Person {
                surname: "Zqxmarkercognome".into(),
                name: "Zqxmarkernome".into(),
                sex: Sex::F,
                birth: BirthDate::Exact(d(1985, 1, 1)),
                birthplace: format!("{MARK} luogo"),
                codice_fiscale: Some(cf),
                citizenship: format!("{MARK} paese"),
                address: format!("Via {MARK} 1"),
                municipio: Some(3),
                phone: "3470009917".into(),
                email: "zqxmarker.posta@example.org".into(),
                household: Some(Membership {
                    household: h,
                    relationship: Relationship::Riferimento,
                }),
                consent: Some(Consent {
                    date: d(2022, 1, 10),
                    scope: format!("{MARK} consenso"),
                }),
                note: format!("{MARK} nota persona"),
                ..Default::default()
            },
        )
        .unwrap();
    let me = Subject::Person(p);
    w.contact(
        me,
        line_codes::WEMI,
        dt(2022, 3, 1),
        &format!("{MARK} accesso uno"),
    );
    w.contact(
        me,
        line_codes::FAMIGLIE,
        dt(2023, 4, 2),
        &format!("{MARK} accesso due"),
    );
    w.case_with(
        me,
        line_codes::BLU,
        d(2022, 5, 1),
        Some(d(2023, 2, 1)),
        MARK,
    );
    w.case_with(me, line_codes::CASE_MANAGER, d(2024, 1, 15), None, MARK);
    w.project(p, d(2023, 3, 1), Some(d(2023, 9, 30)));
    w.referral(p, d(2023, 5, 5));
    // The privacy log: informativa, a consent, a restriction started and lifted.
    let purpose = w
        .store
        .read()
        .unwrap()
        .network_purpose()
        .unwrap()
        .unwrap()
        .id;
    for (i, (act, purpose)) in [
        (PrivacyAct::Informativa, None),
        (PrivacyAct::ConsensoDato, Some(purpose)),
        (PrivacyAct::Limitazione, None),
        (PrivacyAct::FineLimitazione, None),
    ]
    .into_iter()
    .enumerate()
    {
        w.store
            .insert(
                w.op,
                PrivacyEntry {
                    id: Id::NIL,
                    person: p,
                    act,
                    purpose,
                    version: format!("{MARK} v1"),
                    at: dt(2022, 1, 10 + i as u32),
                    channel: PrivacyChannel::Cartaceo,
                    operator: Some(w.op),
                    note: format!("{MARK} voce privacy {i}"),
                    archived: false,
                },
            )
            .unwrap();
    }
    w.store
        .extraordinary_access(s, me, &format!("{MARK} motivo straordinario"))
        .unwrap();
    w.store
        .log_access(
            s,
            AccessKind::Cartella,
            Some((EntityKind::Person, p)),
            &format!("{MARK} scopo lettura"),
        )
        .unwrap();
    p
}

/// Others the erasure must leave alone: a household of two, a person alone, an activity
/// the marked person shares with them.
pub fn others(w: &World, marked: Id) -> (Id, Id) {
    let h = w.household("Famiglia Verdi");
    let a = w.person("Verdi", Some(h));
    let b = w.person("Neri", None);
    w.contact(Subject::Person(a), line_codes::FAMIGLIE, dt(2023, 4, 3), "");
    w.contact(Subject::Household(h), line_codes::WEMI, dt(2022, 3, 2), "");
    w.contact(Subject::Person(b), line_codes::WEMI, dt(2024, 7, 1), "");
    w.case(
        Subject::Person(b),
        line_codes::BLU,
        d(2022, 6, 1),
        Some(d(2022, 12, 1)),
    );
    w.activity(&[marked, a, b], d(2023, 10, 10));
    (a, b)
}

pub fn backup(store: &Store, path: &Path) {
    store
        .backup_to(path, &BackupOptions::default(), &mut |_, _, _| {})
        .unwrap();
}

/// Replaces the database in `slot` with a backup's content.
pub fn restore(slot: &mut Arc<Store>, from: &Path) {
    let restored =
        backup::restore_to_new_file(slot, from, None, Id::NIL, &mut |_, _, _| {}).unwrap();
    backup::swap_in(slot, restored).unwrap();
}
