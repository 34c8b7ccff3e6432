//! Projects that run across years: school support, internships, messa alla prova, case management.

use super::{Coop, last_day, target};
use crate::demo::DemoError;
use crate::demo::factory::Age;
use crate::demo::names::*;
use crate::domain::*;
use chrono::{Datelike, Duration, NaiveDate};
use rand::prelude::*;

impl Coop<'_> {
    pub(super) fn studio(&mut self, year: i32) -> Result<(), DemoError> {
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

    pub(super) fn tirocini(&mut self, year: i32) -> Result<(), DemoError> {
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

    pub(super) fn map(&mut self, year: i32) -> Result<(), DemoError> {
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
                // Deterministic, not drawn: the demo's random sequence stays as it was.
                court_file: format!(
                    "R.G. {}/{}",
                    1000 + (self.c.summary.projects * 37) % 9000,
                    start.year()
                ),
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
}
