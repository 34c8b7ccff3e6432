//! Families: listening by the Accoglienza team and the Blu autism team.

use super::{Coop, LAST, last_day, target};
use crate::demo::DemoError;
use crate::demo::factory::Age;
use crate::demo::names::*;
use crate::domain::*;
use chrono::{Duration, NaiveDate};
use rand::prelude::*;

impl Coop<'_> {
    pub(super) fn famiglie(&mut self, year: i32) -> Result<(), DemoError> {
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
                day += Duration::days(self.c.rng.random_range(10..40));
                if day
                    > NaiveDate::from_ymd_opt(year, 12, 31)
                        .expect("date")
                        .min(last_day())
                {
                    break; // the next visit would fall in another year
                }
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

    pub(super) fn blu(&mut self, year: i32) -> Result<(), DemoError> {
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

    pub(super) fn case_manager(&mut self, year: i32) -> Result<(), DemoError> {
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
}
