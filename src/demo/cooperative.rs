//! The cooperative scale: the seed's service, 2019–2025, reproducing the 2022 figures
//! exactly. Every line is filled year by year until its count reaches the target, taking
//! into account the projects and cases that carry over from earlier years.

use super::factory::{Age, Ctx};
use super::names::*;
use super::{DemoError, Progress, SEED_2022, Summary};
use crate::domain::counting::Countable;
use crate::domain::*;
use crate::store::Store;
use chrono::{Datelike, Duration, NaiveDate};
use rand::prelude::*;
use std::collections::HashMap;

const FIRST: i32 = 2019;
const LAST: i32 = 2025;

/// Yearly targets per line, 2019–2025; 2022 is the seed's report.
const TARGETS: [(&str, [u64; 7]); 8] = [
    ("wemi", [482, 391, 566, 640, 688, 717, 702]),
    ("passeggiate", [0, 0, 0, 10, 14, 16, 18]),
    ("studio", [5, 6, 7, 8, 9, 10, 9]),
    ("tirocini", [41, 33, 47, 56, 61, 58, 63]),
    ("map", [78, 64, 88, 105, 112, 118, 109]),
    ("famiglie", [31, 36, 38, 40, 44, 47, 45]),
    ("blu", [38, 41, 47, 52, 55, 58, 60]),
    ("case_manager", [5, 6, 7, 8, 8, 9, 10]),
];

fn target(line: &str, year: i32) -> u64 {
    let t = TARGETS
        .iter()
        .find(|(c, _)| *c == line)
        .map(|(_, t)| t)
        .expect("known line");
    if (FIRST..=LAST).contains(&year) {
        t[(year - FIRST) as usize]
    } else {
        0
    }
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST, 12, 31)
        .expect("date")
        .min(time::today())
}

struct Coop<'s> {
    c: Ctx<'s>,
    units: HashMap<Id, CountingUnit>,
    /// People (or households) served per line and year, for returning visitors and referrals.
    served: HashMap<(&'static str, i32), Vec<Subject>>,
    /// Participants of the last walks edition.
    walkers: Vec<Id>,
    /// Children whose school-support project ended in June of a year.
    pupils_ending: HashMap<i32, Vec<(Id, NaiveDate)>>,
}

/// Generates the cooperative-scale demo.
pub fn generate(store: &Store, seed: u64, progress: Progress<'_>) -> Result<Summary, DemoError> {
    let mut c = Ctx::new(store, seed, 5_000, true)?;
    let units = store
        .read()?
        .all::<ServiceLine>()?
        .into_iter()
        .map(|l| (l.id, l.unit))
        .collect();
    c.team()?;
    let mut g = Coop {
        c,
        units,
        served: HashMap::new(),
        walkers: vec![],
        pupils_ending: HashMap::new(),
    };
    let total = (LAST - FIRST + 1) as u64;
    for (i, year) in (FIRST..=LAST).enumerate() {
        progress("Generazione dei dati di esempio", i as u64, total);
        g.wemi(year)?;
        g.walks(year)?;
        g.studio(year)?;
        g.tirocini(year)?;
        g.map(year)?;
        g.famiglie(year)?;
        g.blu(year)?;
        g.case_manager(year)?;
        g.referrals(year)?;
    }
    g.archived_examples()?;
    g.c.flush()?;
    progress("Calcolo dei conteggi annuali", total, total);
    store.rebuild_aggregates()?;
    verify(&g, store)?;
    Ok(g.c.summary)
}

fn verify(g: &Coop<'_>, store: &Store) -> Result<(), DemoError> {
    let counts = crate::stats::annual_counts(&store.read()?)?;
    for (code, _) in TARGETS {
        let line = counts
            .line(code)
            .ok_or_else(|| DemoError::Mismatch(format!("linea {code} assente")))?;
        for year in FIRST..=LAST {
            let (got, want) = (counts.count(line, year), target(code, year));
            if got != want || g.c.tally.count(line.id, year, line.unit) != want {
                return Err(DemoError::Mismatch(format!(
                    "{code} {year}: {got} invece di {want}"
                )));
            }
        }
    }
    for (code, want) in SEED_2022 {
        let got = counts
            .line(code)
            .map(|l| counts.count(l, 2022))
            .unwrap_or(0);
        if got != want {
            return Err(DemoError::Mismatch(format!(
                "{code} 2022: {got} invece di {want}"
            )));
        }
    }
    Ok(())
}

impl Coop<'_> {
    fn count(&self, code: &str, year: i32) -> u64 {
        let id = self.c.cat.line(code);
        self.c.tally.count(id, year, self.units[&id])
    }

    /// The last year a new record of `code` starting in `year` may still count in without
    /// taking more than 70% of that year's target (`i32::MAX`: may stay open).
    fn room_until(&self, code: &str, year: i32) -> i32 {
        let mut k = year;
        loop {
            let y = k + 1;
            if y > LAST {
                return i32::MAX;
            }
            let cap = (target(code, y) as f64 * 0.7).floor() as u64;
            if self.count(code, y) + 1 > cap {
                return k;
            }
            k = y;
        }
    }

    /// An end date `months` after `start`, clamped to the room; `None` (still open) when it
    /// would end after the last demo year and the room allows.
    fn end_for(
        &mut self,
        start: NaiveDate,
        months: i64,
        room: i32,
        may_stay_open: bool,
    ) -> Option<NaiveDate> {
        let desired = start + Duration::days(months * 30 + self.c.rng.random_range(0..20));
        if desired > last_day() && room == i32::MAX && may_stay_open {
            return None;
        }
        let limit = NaiveDate::from_ymd_opt(room.min(LAST), 12, 31)
            .expect("date")
            .min(last_day());
        Some(desired.min(limit).max(start))
    }

    fn served(&mut self, code: &'static str, year: i32, s: Subject) {
        self.served.entry((code, year)).or_default().push(s);
    }

    fn contact(
        &mut self,
        at: chrono::NaiveDateTime,
        subject: Subject,
        code: &str,
        desk: &str,
        roles: &[&str],
        (kind, measure): (ContactKind, Option<Id>),
    ) -> Result<(), DemoError> {
        let desk = self.c.cat.desk(desk);
        let operator = self.c.operator(roles, Some(desk));
        let id = self.c.id_at(at.date());
        let minutes = self.c.rng.random_range(2..=12) * 5;
        let contact = Contact {
            id,
            at,
            subject,
            line: self.c.cat.line(code),
            desk,
            operator,
            kind,
            measure,
            minutes,
            note: String::new(),
            confidential: false,
            archived: false,
        };
        self.c.put(contact)?;
        self.c.summary.contacts += 1;
        Ok(())
    }

    /// Colloqui during a period, only where they do not move any figure.
    fn followups(
        &mut self,
        subject: Subject,
        code: &str,
        roles: &[&str],
        from: NaiveDate,
        to: Option<NaiveDate>,
        every_days: i64,
    ) -> Result<(), DemoError> {
        let end = to.unwrap_or(last_day()).min(last_day());
        let mut d = from + Duration::days(self.c.rng.random_range(7..every_days.max(8)));
        while d <= end {
            let at = self.c.at(d);
            let line = self.c.cat.line(code);
            let probe = Contact {
                id: Id::NIL,
                at,
                subject,
                line,
                desk: self.c.cat.desk("sede"),
                operator: Id::NIL,
                kind: ContactKind::Colloquio,
                measure: None,
                minutes: 45,
                note: String::new(),
                confidential: false,
                archived: false,
            };
            if !self.c.adds_units(Countable::Contact(&probe), &self.units) {
                self.contact(
                    at,
                    subject,
                    code,
                    "sede",
                    roles,
                    (ContactKind::Colloquio, None),
                )?;
            }
            d += Duration::days(every_days + self.c.rng.random_range(0..10));
        }
        Ok(())
    }

    fn wemi(&mut self, year: i32) -> Result<(), DemoError> {
        let target = target("wemi", year);
        let mut returning: Vec<Subject> = self
            .served
            .get(&("wemi", year - 1))
            .cloned()
            .unwrap_or_default();
        returning.shuffle(&mut self.c.rng);
        returning.truncate((target / 4) as usize);
        let line = self.c.cat.line("wemi");
        while self.count("wemi", year) < target {
            let first_day = self.c.day_in(year, 1, 12);
            let person = match returning.pop() {
                Some(Subject::Person(p)) => p,
                _ => {
                    let age = *self.c.pick(&[
                        Age::Adult,
                        Age::Adult,
                        Age::Adult,
                        Age::Young,
                        Age::Senior,
                    ]);
                    if self.c.rng.random_bool(0.3) {
                        let surname = self.c.pick(SURNAMES).to_string();
                        let (h, addr, mun) = self.c.household(&surname, first_day)?;
                        self.c.person(
                            age,
                            0.0,
                            Some(&surname),
                            Some((h, &addr, mun, Relationship::Riferimento)),
                            first_day,
                        )?
                    } else {
                        self.c.person(age, 0.35, None, None, first_day)?
                    }
                }
            };
            if self
                .c
                .tally
                .has_key(line, year, CountingUnit::Persone, person)
            {
                continue;
            }
            let desk = *self.c.pick(&["ornato", "rizzoli"]);
            let n = *self.c.pick(&[1, 1, 1, 2, 2, 3]);
            let mut day = first_day;
            for _ in 0..n {
                let kind = *self.c.pick(&[
                    ContactKind::Informazione,
                    ContactKind::Orientamento,
                    ContactKind::Pratiche,
                    ContactKind::Pratiche,
                    ContactKind::Telefonata,
                    ContactKind::Ascolto,
                ]);
                let measure = (kind == ContactKind::Pratiche)
                    .then(|| *self.c.pick(&self.c.cat.measures.clone()));
                let at = self.c.at(day);
                self.contact(
                    at,
                    Subject::Person(person),
                    "wemi",
                    desk,
                    &["sportello", "volontario", "assistente_sociale"],
                    (kind, measure),
                )?;
                day = (day + Duration::days(self.c.rng.random_range(7..60)))
                    .min(NaiveDate::from_ymd_opt(year, 12, 31).expect("date"))
                    .min(last_day());
            }
            self.served("wemi", year, Subject::Person(person));
        }
        Ok(())
    }

    fn walks(&mut self, year: i32) -> Result<(), DemoError> {
        let target = target("passeggiate", year) as usize;
        if target == 0 {
            return Ok(());
        }
        let edition = year - 2021;
        let mut participants: Vec<Id> = self.walkers.clone();
        participants.shuffle(&mut self.c.rng);
        participants.truncate((self.walkers.len() * 2 / 5).min(target));
        let since = NaiveDate::from_ymd_opt(year, 2, 15).expect("date");
        while participants.len() < target {
            participants.push(self.c.person(Age::Senior, 0.05, None, None, since)?);
        }
        let months = [3, 4, 5, 6, 9, 10, 11, 12];
        let mut sessions = Vec::new();
        for (i, m) in months.iter().enumerate() {
            let date = self.c.day_in(year, *m, *m);
            let attendees: Vec<Id> = participants
                .iter()
                .copied()
                .filter(|_| self.c.rng.random_bool(0.75))
                .collect();
            sessions.push(Session {
                date,
                title: WALKS[(i + edition as usize * 3) % WALKS.len()].to_string(),
                attendees,
            });
        }
        for p in &participants {
            if !sessions.iter().any(|s| s.attendees.contains(p)) {
                let i = self.c.rng.random_range(0..sessions.len());
                sessions[i].attendees.push(*p);
            }
        }
        let id = self.c.id_at(since);
        let activity = Activity {
            id,
            name: "Passeggiate culturali over 60".into(),
            line: self.c.cat.line("passeggiate"),
            edition: format!("{edition}ª edizione {year}"),
            desk: Some(self.c.cat.desk("ornato")),
            participants: participants.clone(),
            sessions,
            archived: false,
        };
        self.c.put(activity)?;
        self.c.summary.activities += 1;
        for p in &participants {
            self.served("passeggiate", year, Subject::Person(*p));
        }
        self.walkers = participants;
        Ok(())
    }

    fn studio(&mut self, year: i32) -> Result<(), DemoError> {
        let target = target("studio", year);
        // Some children continue into the next school year.
        let ending = self.pupils_ending.remove(&year).unwrap_or_default();
        for (child, _) in ending {
            if self.c.rng.random_bool(0.35) && self.room_until("studio", year) > year {
                self.pupil_project(child, year, true)?;
            }
        }
        while self.count("studio", year) < target {
            let since = self.c.day_in(year, 1, 9);
            let surname = self.c.pick(SURNAMES).to_string();
            let (h, addr, mun) = self.c.household(&surname, since)?;
            self.c.person(
                Age::Adult,
                0.3,
                Some(&surname),
                Some((h, &addr, mun, Relationship::Riferimento)),
                since,
            )?;
            let child = self.c.person(
                Age::Pupil,
                0.0,
                Some(&surname),
                Some((h, &addr, mun, Relationship::Figlio)),
                since,
            )?;
            let school_year = self.room_until("studio", year) > year;
            self.pupil_project(child, year, school_year)?;
        }
        Ok(())
    }

    fn pupil_project(&mut self, child: Id, year: i32, school_year: bool) -> Result<(), DemoError> {
        let (start, end) = if school_year {
            (
                self.c.day_in(year, 9, 10),
                NaiveDate::from_ymd_opt(year + 1, 6, 10).expect("date"),
            )
        } else {
            (
                self.c.day_in(year, 1, 3),
                NaiveDate::from_ymd_opt(year, 6, 10).expect("date"),
            )
        };
        let start = start.min(last_day());
        let end = end.max(start);
        if end.month() == 6 {
            self.pupils_ending
                .entry(end.year())
                .or_default()
                .push((child, end));
        }
        let id = self.c.id_at(start);
        let operator = Some(
            self.c
                .operator(&["educatore"], Some(self.c.cat.desk("rizzoli"))),
        );
        let kind = ProjectKind::SostegnoStudio {
            school: self.c.pick(SCHOOLS).to_string(),
            class: format!(
                "{}ª {}",
                self.c.rng.random_range(1..=5),
                self.c.pick(&["A", "B", "C", "D"])
            ),
            need: *self.c.pick(&[
                SchoolNeed::Bes,
                SchoolNeed::Dsa,
                SchoolNeed::Dsa,
                SchoolNeed::BesDsa,
            ]),
            hours_per_week: self.c.rng.random_range(2..=4),
        };
        let p = Project {
            id,
            person: child,
            line: self.c.cat.line("studio"),
            start,
            end: Some(end),
            operator,
            kind,
            note: String::new(),
            archived: false,
        };
        self.c.put(p)?;
        self.c.summary.projects += 1;
        self.served("studio", year, Subject::Person(child));
        Ok(())
    }

    fn tirocini(&mut self, year: i32) -> Result<(), DemoError> {
        let target = target("tirocini", year);
        while self.count("tirocini", year) < target {
            let start = self.c.day_in(year, 1, 12);
            let person = self.c.person(Age::Young, 0.45, None, None, start)?;
            let room = self.room_until("tirocini", year);
            let months = self.c.rng.random_range(3..=6);
            let end = self.end_for(start, months, room, true);
            let hours_per_week: u16 = *self.c.pick(&[20, 20, 25, 30]);
            let mut attendance = Vec::new();
            let mut d = start;
            let stop = end.unwrap_or(last_day()).min(last_day());
            while d <= stop {
                if d.weekday().num_days_from_monday() < 5 {
                    let present = self.c.rng.random_bool(0.92);
                    attendance.push(Attendance {
                        date: d,
                        present,
                        minutes: if present { hours_per_week * 12 } else { 0 },
                        note: if present {
                            String::new()
                        } else {
                            "Assenza giustificata".into()
                        },
                    });
                }
                d += Duration::days(1);
            }
            let operator = Some(self.c.operator(&["tutor"], None));
            let kind = ProjectKind::Tirocinio {
                host: self.c.pick(HOSTS).to_string(),
                hours_per_week,
                allowance_cents: *self.c.pick(&[40_000, 50_000, 60_000]),
                attendance,
            };
            let id = self.c.id_at(start);
            self.c.put(Project {
                id,
                person,
                line: self.c.cat.line("tirocini"),
                start,
                end,
                operator,
                kind,
                note: String::new(),
                archived: false,
            })?;
            self.c.summary.projects += 1;
            self.followups(
                Subject::Person(person),
                "tirocini",
                &["tutor"],
                start,
                end,
                45,
            )?;
            self.served("tirocini", year, Subject::Person(person));
        }
        Ok(())
    }

    fn map(&mut self, year: i32) -> Result<(), DemoError> {
        let target = target("map", year);
        while self.count("map", year) < target {
            let start = self.c.day_in(year, 1, 12);
            let person = self.c.person(Age::Young, 0.2, None, None, start)?;
            let hours_required: u32 = *self.c.pick(&[60, 80, 100, 120, 150, 200, 250, 300]);
            let weekly_minutes: u32 = *self.c.pick(&[240, 300, 360, 480]);
            let weeks = (hours_required * 60).div_ceil(weekly_minutes) as i64;
            let room = self.room_until("map", year);
            let end = self.end_for(start, (weeks * 7 / 30).max(1) + 1, room, true);
            let mut ledger = Vec::new();
            let (mut d, mut done) = (start + Duration::days(3), 0u32);
            let stop = end.unwrap_or(last_day()).min(last_day());
            while d <= stop && done < hours_required * 60 {
                let m = weekly_minutes.min(hours_required * 60 - done);
                ledger.push(HoursEntry {
                    date: d,
                    minutes: m,
                    activity: self
                        .c
                        .pick(&[
                            "Manutenzione del verde",
                            "Biblioteca di quartiere",
                            "Supporto mensa solidale",
                            "Riordino magazzino",
                            "Accompagnamento anziani",
                        ])
                        .to_string(),
                });
                done += m;
                d += Duration::days(7);
            }
            let operator = Some(self.c.operator(&["educatore", "assistente_sociale"], None));
            let kind = ProjectKind::MessaAllaProva {
                uepe_office: "UEPE Milano".into(),
                court: "Tribunale di Milano".into(),
                hours_required,
                ledger,
            };
            let id = self.c.id_at(start);
            self.c.put(Project {
                id,
                person,
                line: self.c.cat.line("map"),
                start,
                end,
                operator,
                kind,
                note: String::new(),
                archived: false,
            })?;
            self.c.summary.projects += 1;
            self.followups(
                Subject::Person(person),
                "map",
                &["educatore", "assistente_sociale"],
                start,
                end,
                60,
            )?;
            self.served("map", year, Subject::Person(person));
        }
        Ok(())
    }

    fn famiglie(&mut self, year: i32) -> Result<(), DemoError> {
        let target = target("famiglie", year);
        let mut returning: Vec<Subject> = self
            .served
            .get(&("famiglie", year - 1))
            .cloned()
            .unwrap_or_default();
        returning.shuffle(&mut self.c.rng);
        returning.truncate((target / 5) as usize);
        let line = self.c.cat.line("famiglie");
        while self.count("famiglie", year) < target {
            let first = self.c.day_in(year, 1, 11);
            let subject = match returning.pop() {
                Some(s) => s,
                None if self.c.rng.random_bool(0.75) => {
                    let surname = self.c.pick(SURNAMES).to_string();
                    let (h, addr, mun) = self.c.household(&surname, first)?;
                    let parent = self.c.person(
                        Age::Adult,
                        0.3,
                        Some(&surname),
                        Some((h, &addr, mun, Relationship::Riferimento)),
                        first,
                    )?;
                    for _ in 0..self.c.rng.random_range(1..=3) {
                        let rel = *self.c.pick(&[
                            Relationship::Figlio,
                            Relationship::Figlio,
                            Relationship::Coniuge,
                        ]);
                        let age = if rel == Relationship::Figlio {
                            Age::Child
                        } else {
                            Age::Adult
                        };
                        self.c.person(
                            age,
                            0.0,
                            Some(&surname),
                            Some((h, &addr, mun, rel)),
                            first,
                        )?;
                    }
                    if self.c.rng.random_bool(0.5) {
                        Subject::Household(h)
                    } else {
                        Subject::Person(parent)
                    }
                }
                None => Subject::Person(self.c.person(Age::Adult, 0.3, None, None, first)?),
            };
            let before = self.count("famiglie", year);
            let mut day = first;
            for _ in 0..self.c.rng.random_range(1..=3) {
                let at = self.c.at(day);
                let kind = *self.c.pick(&[
                    ContactKind::Ascolto,
                    ContactKind::Ascolto,
                    ContactKind::Colloquio,
                    ContactKind::VisitaDomiciliare,
                ]);
                self.contact(
                    at,
                    subject,
                    "famiglie",
                    "sede",
                    &["assistente_sociale", "psicologo"],
                    (kind, None),
                )?;
                day = (day + Duration::days(self.c.rng.random_range(10..40)))
                    .min(NaiveDate::from_ymd_opt(year, 12, 31).expect("date"))
                    .min(last_day());
            }
            if self.count("famiglie", year) == before {
                continue; // the household was already counted this year
            }
            if self.c.rng.random_bool(0.25) {
                let closed = (first + Duration::days(self.c.rng.random_range(30..120)))
                    .min(NaiveDate::from_ymd_opt(year, 12, 31).expect("date"));
                let open = year == LAST && closed > last_day() - Duration::days(40);
                let id = self.c.id_at(first);
                let referente = Some(self.c.operator(&["assistente_sociale"], None));
                let case = Case {
                    id,
                    subject,
                    line,
                    opened: first,
                    closed: (!open).then_some(closed.min(last_day())),
                    status: if open {
                        CaseStatus::InCorso
                    } else {
                        CaseStatus::Chiusa
                    },
                    referente,
                    team: vec![self.c.operator(&["psicologo"], None)],
                    need: self
                        .c
                        .pick(&[
                            "Difficoltà economiche e abitative",
                            "Conflittualità familiare",
                            "Supporto alla genitorialità",
                            "Isolamento e solitudine",
                            "Orientamento ai servizi per un familiare disabile",
                        ])
                        .to_string(),
                    plan: vec![Goal {
                        text: "Costruire con la famiglia un progetto di accompagnamento ai servizi"
                            .into(),
                        review: Some(first + Duration::days(60)),
                        done: !open,
                    }],
                    outcome: if open {
                        String::new()
                    } else {
                        self.c
                            .pick(&[
                                "Bisogno accolto, famiglia orientata ai servizi del territorio",
                                "Inviata al Servizio Sociale del Municipio",
                                "Obiettivi raggiunti",
                            ])
                            .to_string()
                    },
                    archived: false,
                };
                self.c.put(case)?;
                self.c.summary.cases += 1;
            }
            self.served("famiglie", year, subject);
        }
        Ok(())
    }

    fn blu(&mut self, year: i32) -> Result<(), DemoError> {
        let target = target("blu", year);
        while self.count("blu", year) < target {
            let opened = self.c.day_in(year, 1, 12);
            let surname = self.c.pick(SURNAMES).to_string();
            let (h, addr, mun) = self.c.household(&surname, opened)?;
            self.c.person(
                Age::Adult,
                0.2,
                Some(&surname),
                Some((h, &addr, mun, Relationship::Riferimento)),
                opened,
            )?;
            if self.c.rng.random_bool(0.6) {
                self.c.person(
                    Age::Adult,
                    0.0,
                    Some(&surname),
                    Some((h, &addr, mun, Relationship::Coniuge)),
                    opened,
                )?;
            }
            self.c.person(
                Age::Child,
                0.0,
                Some(&surname),
                Some((h, &addr, mun, Relationship::Figlio)),
                opened,
            )?;
            let room = self.room_until("blu", year);
            let months = self.c.rng.random_range(8..=30);
            let closed = self.end_for(opened, months, room, true);
            let id = self.c.id_at(opened);
            let referente = Some(self.c.operator(&["educatore", "psicologo"], None));
            let team = vec![
                self.c.operator(&["psicologo"], None),
                self.c.operator(&["assistente_sociale"], None),
            ];
            let case = Case {
                id,
                subject: Subject::Household(h),
                line: self.c.cat.line("blu"),
                opened,
                closed,
                status: if closed.is_some() {
                    CaseStatus::Chiusa
                } else {
                    *self.c.pick(&[
                        CaseStatus::InCorso,
                        CaseStatus::InCorso,
                        CaseStatus::InviataRete,
                    ])
                },
                referente,
                team,
                need: self
                    .c
                    .pick(&[
                        "Tempo libero e attività sportive per un figlio con autismo",
                        "Orientamento a servizi diurni",
                        "Sollievo alla famiglia e turismo sociale",
                        "Supporto nel passaggio all'età adulta",
                    ])
                    .to_string(),
                plan: vec![
                    Goal {
                        text: "Attivare un'attività di tempo libero settimanale".into(),
                        review: Some(opened + Duration::days(90)),
                        done: closed.is_some(),
                    },
                    Goal {
                        text: "Incontro di rete con UONPIA e scuola".into(),
                        review: Some(opened + Duration::days(180)),
                        done: closed.is_some(),
                    },
                ],
                outcome: if closed.is_some() {
                    "Progetto concluso; la famiglia è seguita dalla rete territoriale".into()
                } else {
                    String::new()
                },
                archived: false,
            };
            self.c.put(case)?;
            self.c.summary.cases += 1;
            self.followups(
                Subject::Household(h),
                "blu",
                &["educatore", "psicologo"],
                opened,
                closed,
                75,
            )?;
            self.served("blu", year, Subject::Household(h));
        }
        Ok(())
    }

    fn case_manager(&mut self, year: i32) -> Result<(), DemoError> {
        let target = target("case_manager", year);
        while self.count("case_manager", year) < target {
            let start = self.c.day_in(year, 1, 12);
            let age = *self.c.pick(&[Age::Child, Age::Young]);
            let person = self.c.person(age, 0.1, None, None, start)?;
            let room = self.room_until("case_manager", year);
            let months = self.c.rng.random_range(12..=36);
            let end = self.end_for(start, months, room, true);
            let referente = self.c.operator(&["case_manager"], None);
            let kind = ProjectKind::CaseManager { referente: Some(referente), plan: "Coordinamento di neuropsichiatria, scuola, centro diurno e attività sportive; verifica trimestrale con la famiglia".into() };
            let id = self.c.id_at(start);
            self.c.put(Project {
                id,
                person,
                line: self.c.cat.line("case_manager"),
                start,
                end,
                operator: Some(referente),
                kind,
                note: String::new(),
                archived: false,
            })?;
            self.c.summary.projects += 1;
            self.served("case_manager", year, Subject::Person(person));
        }
        Ok(())
    }

    fn referrals(&mut self, year: i32) -> Result<(), DemoError> {
        let routes: [(&'static str, &[&str]); 6] = [
            ("wemi", &["caf", "municipio", "casa", "cpi"]),
            ("famiglie", &["municipio", "cps", "cav", "casa"]),
            ("blu", &["uonpia", "asst", "ats"]),
            ("map", &["uepe", "serd", "cpi"]),
            ("tirocini", &["cpi", "celav", "cpia"]),
            ("studio", &["uonpia"]),
        ];
        for (code, services) in routes {
            let subjects = self.served.get(&(code, year)).cloned().unwrap_or_default();
            for s in subjects {
                if !self.c.rng.random_bool(0.08) {
                    continue;
                }
                let date = self.c.day_in(year, 1, 12);
                let follow_up = date + Duration::days(self.c.rng.random_range(30..=60));
                let late = date >= NaiveDate::from_ymd_opt(LAST, 10, 1).expect("date");
                let outcome = if late {
                    ReferralOutcome::InAttesa
                } else {
                    *self.c.pick(&[
                        ReferralOutcome::Accolto,
                        ReferralOutcome::Accolto,
                        ReferralOutcome::Accolto,
                        ReferralOutcome::NonAccolto,
                        ReferralOutcome::Rinuncia,
                    ])
                };
                let code_s = *self.c.pick::<&str>(services);
                let service = self.c.cat.service(code_s);
                let operator = Some(
                    self.c
                        .operator(&["assistente_sociale", "educatore", "tutor"], None),
                );
                let id = self.c.id_at(date);
                let r = Referral {
                    id,
                    subject: s,
                    date,
                    service,
                    line: Some(self.c.cat.line(code)),
                    operator,
                    reason: self
                        .c
                        .pick(&[
                            "Bisogno non gestibile internamente",
                            "Richiesta di presa in carico specialistica",
                            "Accesso a misura di sostegno",
                            "Orientamento al lavoro",
                        ])
                        .to_string(),
                    follow_up: Some(follow_up),
                    outcome,
                    outcome_note: String::new(),
                    archived: false,
                };
                self.c.put(r)?;
                self.c.summary.referrals += 1;
            }
        }
        Ok(())
    }

    /// A few archived records, as a real database has: duplicates and contacts entered by mistake.
    fn archived_examples(&mut self) -> Result<(), DemoError> {
        let people: Vec<Subject> = self
            .served
            .get(&("wemi", LAST))
            .cloned()
            .unwrap_or_default();
        for s in people.into_iter().take(5) {
            let day = self.c.day_in(LAST, 1, 11);
            let at = self.c.at(day);
            let id = self.c.id_at(day);
            let contact = Contact {
                id,
                at,
                subject: s,
                line: self.c.cat.line("wemi"),
                desk: self.c.cat.desk("ornato"),
                operator: self.c.ops[0].0,
                kind: ContactKind::Informazione,
                measure: None,
                minutes: 10,
                note: "Inserito per errore".into(),
                confidential: false,
                archived: true,
            };
            self.c.put(contact)?;
            self.c.summary.contacts += 1;
        }
        Ok(())
    }
}
