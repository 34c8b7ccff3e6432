//! The cooperative scale: the seed's service, 2019–2025, reproducing the 2022 figures
//! exactly. Every line is filled year by year until its count reaches the target, taking
//! into account the projects and cases that carry over from earlier years.

use super::factory::Ctx;
use super::{DemoError, Progress, SEED_2022, Summary};
use crate::domain::counting::Countable;
use crate::domain::*;
use crate::store::Store;
use chrono::{Duration, NaiveDate};
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
    privacy::write_logs(store, seed)?;
    appointments::write_appointments(store, seed, last_day())?;
    pratiche::write_pratiche(store, seed)?;
    documents::write_documents(store)?;
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
}

mod appointments;
mod desks;
mod documents;
mod families;
mod network;
mod pratiche;
mod privacy;
mod projects;
