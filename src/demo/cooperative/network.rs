//! Referrals to the territorial network, and a few archived records as a real database has.

use super::{Coop, LAST};
use crate::demo::DemoError;
use crate::domain::*;
use chrono::{Duration, NaiveDate};
use rand::prelude::*;

impl Coop<'_> {
    pub(super) fn referrals(&mut self, year: i32) -> Result<(), DemoError> {
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
    pub(super) fn archived_examples(&mut self) -> Result<(), DemoError> {
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
