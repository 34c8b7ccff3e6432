//! The WeMi desks and the cultural walks: people counted once a year however often they come.

use super::{Coop, last_day, target};
use crate::demo::DemoError;
use crate::demo::factory::Age;
use crate::demo::names::*;
use crate::domain::*;
use chrono::{Duration, NaiveDate};
use rand::prelude::*;

impl Coop<'_> {
    pub(super) fn wemi(&mut self, year: i32) -> Result<(), DemoError> {
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
                day += Duration::days(self.c.rng.random_range(7..60));
                if day
                    > NaiveDate::from_ymd_opt(year, 12, 31)
                        .expect("date")
                        .min(last_day())
                {
                    break; // the next visit would fall in another year
                }
            }
            self.served("wemi", year, Subject::Person(person));
        }
        Ok(())
    }

    pub(super) fn walks(&mut self, year: i32) -> Result<(), DemoError> {
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
}
