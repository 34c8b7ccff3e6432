//! Shared machinery of the demo generators: the random source, the catalogue, operators,
//! people and households, and a sink that writes in bulk batches while tracking the counts.

use super::names::*;
use super::{DemoError, Summary};
use crate::domain::codice_fiscale::{self, CfSex};
use crate::domain::counting::{
    Countable, HouseholdState, MemWorld, PersonState, Tally, contributions,
};
use crate::domain::*;
use crate::store::{Entity, Store, Writer};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use rand::prelude::*;
use rand_pcg::Pcg64Mcg;
use std::collections::HashMap;

/// Catalogue ids by code.
pub struct Cat {
    pub lines: HashMap<String, Id>,
    pub desks: HashMap<String, Id>,
    pub measures: Vec<Id>,
    pub services: HashMap<String, Id>,
    pub roles: HashMap<String, Id>,
}

impl Cat {
    fn load(store: &Store) -> Result<Cat, DemoError> {
        let r = store.read()?;
        let by_code = |v: Vec<(String, Id)>| v.into_iter().collect::<HashMap<_, _>>();
        Ok(Cat {
            lines: by_code(
                r.active::<ServiceLine>()?
                    .into_iter()
                    .map(|l| (l.code, l.id))
                    .collect(),
            ),
            desks: by_code(
                r.active::<Desk>()?
                    .into_iter()
                    .map(|l| (l.code, l.id))
                    .collect(),
            ),
            measures: r.active::<Measure>()?.into_iter().map(|m| m.id).collect(),
            services: by_code(
                r.active::<TerritorialService>()?
                    .into_iter()
                    .map(|l| (l.code, l.id))
                    .collect(),
            ),
            roles: by_code(
                r.active::<Role>()?
                    .into_iter()
                    .map(|l| (l.code, l.id))
                    .collect(),
            ),
        })
    }

    /// A line id by code (the default catalogue has all eight).
    pub fn line(&self, code: &str) -> Id {
        self.lines.get(code).copied().unwrap_or(Id::NIL)
    }

    /// A desk id by code.
    pub fn desk(&self, code: &str) -> Id {
        self.desks.get(code).copied().unwrap_or(Id::NIL)
    }

    /// A service id by code.
    pub fn service(&self, code: &str) -> Id {
        self.services.get(code).copied().unwrap_or(Id::NIL)
    }
}

/// Age bands of generated people.
#[derive(Debug, Clone, Copy)]
pub enum Age {
    /// 3–17.
    Child,
    /// 6–14 (school support).
    Pupil,
    /// 18–35.
    Young,
    /// 25–64.
    Adult,
    /// 61–88.
    Senior,
}

/// The generator's state.
pub struct Ctx<'s> {
    pub rng: Pcg64Mcg,
    pub cat: Cat,
    /// (id, role code, desk) of every operator.
    pub ops: Vec<(Id, &'static str, Option<Id>)>,
    store: &'s Store,
    writer: Option<Writer>,
    pending: usize,
    batch: usize,
    track: bool,
    /// Counting state of people and households, when tracking.
    pub world: MemWorld,
    /// Counts of everything written, when tracking.
    pub tally: Tally,
    /// What was written.
    pub summary: Summary,
    pub through: i32,
}

impl<'s> Ctx<'s> {
    /// A context writing to `store` in batches of `batch` records; `track` keeps counts.
    pub fn new(store: &'s Store, seed: u64, batch: usize, track: bool) -> Result<Self, DemoError> {
        Ok(Ctx {
            rng: Pcg64Mcg::seed_from_u64(seed),
            cat: Cat::load(store)?,
            ops: Vec::new(),
            store,
            writer: None,
            pending: 0,
            batch,
            track,
            world: MemWorld::default(),
            tally: Tally::default(),
            summary: Summary::default(),
            through: store.through_year()?,
        })
    }

    /// A deterministic UUIDv7 stamped at `day`.
    pub fn id_at(&mut self, day: NaiveDate) -> Id {
        let ms = day
            .and_hms_opt(9, 0, 0)
            .expect("time")
            .and_utc()
            .timestamp_millis()
            .max(0) as u64;
        let jitter = self.rng.random_range(0..8 * 3600 * 1000);
        Id::from_parts(ms + jitter, self.rng.random())
    }

    /// Writes a record (batched), counting it when tracking.
    pub fn put<E: Entity>(&mut self, rec: E) -> Result<(), DemoError> {
        if self.track
            && let Some(c) = rec.countable()
        {
            let cs = contributions(c, &self.world, self.through);
            self.tally.add_all(&cs);
        }
        if self.writer.is_none() {
            self.writer = Some(self.store.bulk_write(Id::NIL)?);
        }
        self.writer.as_mut().expect("writer").insert(rec)?;
        self.pending += 1;
        if self.pending >= self.batch {
            self.flush()?;
        }
        Ok(())
    }

    /// Would this record change the count of any line in its own unit? Used to add
    /// realistic extra records without moving the reproduced figures.
    pub fn adds_units(&self, rec: Countable<'_>, lines: &HashMap<Id, CountingUnit>) -> bool {
        contributions(rec, &self.world, self.through)
            .iter()
            .any(|c| {
                lines.get(&c.line) == Some(&c.unit)
                    && !self.tally.has_key(c.line, c.year, c.unit, c.key)
                    && matches!(c.unit, CountingUnit::Persone | CountingUnit::Famiglie)
            })
    }

    /// Commits what is pending.
    pub fn flush(&mut self) -> Result<(), DemoError> {
        if let Some(w) = self.writer.take() {
            w.commit()?;
        }
        self.pending = 0;
        Ok(())
    }

    /// A random element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        items.choose(&mut self.rng).expect("non-empty list")
    }

    /// A random day of `year` between two months (inclusive), never after 31/12/2025
    /// nor after today.
    pub fn day_in(&mut self, year: i32, from_month: u32, to_month: u32) -> NaiveDate {
        let start = NaiveDate::from_ymd_opt(year, from_month, 1).expect("date");
        let end = if to_month == 12 {
            NaiveDate::from_ymd_opt(year, 12, 31).expect("date")
        } else {
            NaiveDate::from_ymd_opt(year, to_month + 1, 1)
                .expect("date")
                .pred_opt()
                .expect("date")
        };
        let end = end.min(time::today());
        let span = (end - start).num_days().max(0);
        start + chrono::Duration::days(self.rng.random_range(0..=span))
    }

    /// A working-hours time on `day`.
    pub fn at(&mut self, day: NaiveDate) -> NaiveDateTime {
        let h = self.rng.random_range(9..18);
        let m = *self.pick(&[0, 15, 30, 45]);
        day.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("time"))
    }

    /// An operator with one of the roles, preferring one at `desk`.
    pub fn operator(&mut self, roles: &[&str], desk: Option<Id>) -> Id {
        let fits: Vec<Id> = self
            .ops
            .iter()
            .filter(|(_, r, d)| roles.contains(r) && (desk.is_none() || *d == desk))
            .map(|o| o.0)
            .collect();
        let any: Vec<Id> = self
            .ops
            .iter()
            .filter(|(_, r, _)| roles.contains(r))
            .map(|o| o.0)
            .collect();
        let from = if fits.is_empty() { any } else { fits };
        if from.is_empty() {
            self.ops[0].0
        } else {
            *self.pick(&from)
        }
    }

    /// Creates the team: twelve operators across roles and desks.
    pub fn team(&mut self) -> Result<(), DemoError> {
        let spec: [(&str, &str, &str, &str); 13] = [
            ("Sala", "Chiara", "coordinatore", "sede"),
            ("Brambilla", "Marta", "assistente_sociale", "sede"),
            ("Longoni", "Davide", "assistente_sociale", "ornato"),
            ("Crippa", "Elisa", "educatore", "sede"),
            ("Mauri", "Stefano", "educatore", "rizzoli"),
            ("Corti", "Irene", "educatore", "sede"),
            ("Galbiati", "Paolo", "psicologo", "sede"),
            ("Radaelli", "Luca", "tutor", "sede"),
            ("Pozzi", "Sara", "tutor", "sede"),
            ("Bonfanti", "Giulia", "case_manager", "sede"),
            ("Villa", "Anna", "sportello", "ornato"),
            ("Riva", "Marco", "sportello", "rizzoli"),
            ("Cattaneo", "Franca", "volontario", "ornato"),
        ];
        for (i, (surname, name, role, desk)) in spec.into_iter().enumerate() {
            let desk_id = self.cat.desk(desk);
            let id = self.id_at(NaiveDate::from_ymd_opt(2019, 1, 2).expect("date"));
            let op = Operator {
                id,
                surname: surname.into(),
                name: name.into(),
                role: self.cat.roles.get(role).copied().unwrap_or(Id::NIL),
                phone: format!("02 6680 {:04}", 1200 + i * 7),
                email: format!(
                    "{}.{}@coop-esempio.it",
                    crate::domain::person::fold(name),
                    crate::domain::person::fold(surname)
                ),
                desk: Some(desk_id),
                active: true,
                archived: false,
            };
            self.ops.push((id, role, Some(desk_id)));
            self.put(op)?;
            self.summary.operators += 1;
        }
        Ok(())
    }

    /// A new household at a Milan address.
    pub fn household(
        &mut self,
        surname: &str,
        since: NaiveDate,
    ) -> Result<(Id, String, u8), DemoError> {
        let (street, mun) = *self.pick(STREETS);
        let address = format!("{street} {}, Milano", self.rng.random_range(1..180));
        let id = self.id_at(since);
        let h = Household {
            id,
            name: format!("Famiglia {surname}"),
            address: address.clone(),
            municipio: Some(mun),
            note: String::new(),
            archived: false,
        };
        if self.track {
            self.world.households.insert(
                id,
                HouseholdState {
                    archived: false,
                    members: vec![],
                },
            );
        }
        self.put(h)?;
        self.summary.households += 1;
        Ok((id, address, mun))
    }

    /// A new person of an age band; `foreign` is the probability of a foreign origin.
    /// Joins `household` (with its address) when given.
    pub fn person(
        &mut self,
        age: Age,
        foreign: f64,
        surname: Option<&str>,
        household: Option<(Id, &str, u8, Relationship)>,
        at: NaiveDate,
    ) -> Result<Id, DemoError> {
        let female = self.rng.random_bool(0.5);
        let years = match age {
            Age::Child => self.rng.random_range(3..=17),
            Age::Pupil => self.rng.random_range(6..=14),
            Age::Young => self.rng.random_range(18..=35),
            Age::Adult => self.rng.random_range(25..=64),
            Age::Senior => self.rng.random_range(61..=88),
        };
        let birth_year = at.year() - years;
        let birth = NaiveDate::from_ymd_opt(
            birth_year,
            self.rng.random_range(1..=12),
            self.rng.random_range(1..=28),
        )
        .expect("date");
        let is_foreign = self.rng.random_bool(foreign);
        let (surname, name, citizenship, birthplace, code) = if is_foreign {
            let o: &Origin = self.pick(FOREIGN);
            let (country, cit, code, surnames, males, females) = (
                o.country,
                o.citizenship,
                o.code,
                o.surnames,
                o.males,
                o.females,
            );
            let s = surname
                .map(str::to_string)
                .unwrap_or_else(|| self.pick(surnames).to_string());
            let n = if female {
                self.pick(females)
            } else {
                self.pick(males)
            }
            .to_string();
            (s, n, cit.to_string(), country.to_string(), code)
        } else {
            let s = surname
                .map(str::to_string)
                .unwrap_or_else(|| self.pick(SURNAMES).to_string());
            let n = if female {
                self.pick(FEMALE)
            } else {
                self.pick(MALE)
            }
            .to_string();
            let (town, code) = *self.pick(BIRTHPLACES);
            (s, n, "italiana".to_string(), town.to_string(), code)
        };
        let sex = if female { Sex::F } else { Sex::M };
        let roll: f64 = self.rng.random();
        let (cf, provisional) = if !is_foreign || roll < 0.7 {
            let mut c = codice_fiscale::encode(
                &surname,
                &name,
                birth,
                if female { CfSex::F } else { CfSex::M },
                code,
            );
            if self.rng.random_bool(0.02) {
                c = codice_fiscale::omocode(&c, self.rng.random_range(1..=2));
            }
            (Some(c), false)
        } else if roll < 0.85 {
            (Some(self.provisional_code()), true)
        } else {
            (None, false)
        };
        let (address, municipio, membership) = match household {
            Some((h, addr, mun, rel)) => (
                addr.to_string(),
                Some(mun),
                Some(Membership {
                    household: h,
                    relationship: rel,
                }),
            ),
            None => {
                let (street, mun) = *self.pick(STREETS);
                (
                    format!("{street} {}, Milano", self.rng.random_range(1..180)),
                    Some(mun),
                    None,
                )
            }
        };
        let phone = if years >= 16 {
            // An Italian mobile number: 3xx xxxxxxx.
            format!(
                "3{:02} {:07}",
                self.rng.random_range(20..=93),
                self.rng.random_range(0..10_000_000)
            )
        } else {
            String::new()
        };
        let email = if years >= 18 && self.rng.random_bool(0.35) {
            format!(
                "{}.{}{}@esempio.it",
                crate::domain::person::fold(&name).replace(' ', ""),
                crate::domain::person::fold(&surname).replace([' ', '\''], ""),
                self.rng.random_range(1..99)
            )
        } else {
            String::new()
        };
        let id = self.id_at(at);
        let p = Person {
            id,
            surname,
            name,
            sex,
            birth: if is_foreign && self.rng.random_bool(0.05) { BirthDate::Year(birth_year) } else { BirthDate::Exact(birth) },
            birthplace,
            codice_fiscale: cf,
            cf_provisional: provisional,
            citizenship,
            address,
            municipio,
            phone,
            email,
            household: membership,
            consent: Some(Consent { date: at, scope: "Trattamento dei dati personali e particolari (art. 9 GDPR) per la presa in carico e l'invio alla rete".into() }),
            note: String::new(),
            archived: false,
        };
        self.put_person(p)
    }

    fn put_person(&mut self, p: Person) -> Result<Id, DemoError> {
        let id = p.id;
        if self.track {
            let household = p.household.map(|m| m.household);
            self.world.people.insert(
                id,
                PersonState {
                    archived: p.archived,
                    household,
                },
            );
            if let Some(h) = household.and_then(|h| self.world.households.get_mut(&h)) {
                h.members.push(id);
            }
        }
        self.put(p)?;
        self.summary.people += 1;
        Ok(id)
    }

    /// An 11-digit provisional code with a valid check digit.
    fn provisional_code(&mut self) -> String {
        let mut d: Vec<u32> = (0..10).map(|_| self.rng.random_range(0..10)).collect();
        let mut sum = 0;
        for (i, &v) in d.iter().enumerate() {
            sum += if i % 2 == 0 {
                v
            } else {
                let x = v * 2;
                if x > 9 { x - 9 } else { x }
            };
        }
        d.push((10 - sum % 10) % 10);
        d.into_iter().map(|v| char::from(b'0' + v as u8)).collect()
    }
}
