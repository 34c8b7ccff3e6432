//! Cases (prese in carico): opened, followed with a plan, closed with an outcome.

use super::contact::{Subject, require_ref};
use super::ids::Id;
use super::time::{date_serde, opt_date_serde};
use super::validate::{self, Problems, optional_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum CaseStatus {
    /// Aperta: the need is being assessed.
    #[default]
    Aperta,
    /// In corso: the plan is being followed.
    InCorso,
    /// Inviata alla rete: handed to a territorial service, still followed up.
    InviataRete,
    /// Chiusa, with an outcome.
    Chiusa,
}

impl CaseStatus {
    /// Every status, in display order.
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Aperta,
        CaseStatus::InCorso,
        CaseStatus::InviataRete,
        CaseStatus::Chiusa,
    ];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Aperta => "Aperta",
            CaseStatus::InCorso => "In corso",
            CaseStatus::InviataRete => "Inviata alla rete",
            CaseStatus::Chiusa => "Chiusa",
        }
    }
}

/// One goal of the plan, with its review date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// What is to be achieved.
    pub text: String,
    /// When it is reviewed.
    #[serde(with = "opt_date_serde")]
    pub review: Option<NaiveDate>,
    /// Achieved.
    pub done: bool,
}

/// A case: a person or household taken into care within a service line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Identifier.
    pub id: Id,
    /// The person or household.
    pub subject: Subject,
    /// The service line.
    pub line: Id,
    /// Opened on.
    #[serde(with = "date_serde")]
    pub opened: NaiveDate,
    /// Closed on.
    #[serde(with = "opt_date_serde")]
    pub closed: Option<NaiveDate>,
    /// Status.
    pub status: CaseStatus,
    /// The operator responsible (referente).
    pub referente: Option<Id>,
    /// The other operators of the team.
    pub team: Vec<Id>,
    /// The need brought (bisogno).
    pub need: String,
    /// The plan's goals.
    pub plan: Vec<Goal>,
    /// The outcome (esito), written at closing.
    pub outcome: String,
    /// Archived.
    pub archived: bool,
}

impl Case {
    /// Validates the case against `today`.
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        require_ref(
            &mut p,
            "subject",
            "La persona o il nucleo",
            self.subject.id(),
        );
        require_ref(&mut p, "line", "La linea di servizio", self.line);
        validate::not_future(&mut p, "opened", "La data di apertura", self.opened, today);
        validate::plausible(&mut p, "opened", "La data di apertura", self.opened);
        validate::period(&mut p, "closed", self.opened, self.closed);
        if let Some(c) = self.closed {
            validate::not_future(&mut p, "closed", "La data di chiusura", c, today);
        }
        match (self.status, self.closed) {
            (CaseStatus::Chiusa, None) => p.add(
                "closed",
                "Una presa in carico chiusa richiede la data di chiusura",
            ),
            (s, Some(_)) if s != CaseStatus::Chiusa => p.add(
                "status",
                "Con una data di chiusura lo stato deve essere «Chiusa»",
            ),
            _ => {}
        }
        if self.status == CaseStatus::Chiusa && self.outcome.trim().is_empty() {
            p.add("outcome", "Per chiudere la presa in carico indica l'esito");
        }
        optional_text(&mut p, "need", "Il bisogno", &self.need, 4000);
        optional_text(&mut p, "outcome", "L'esito", &self.outcome, 4000);
        for g in &self.plan {
            validate::required_text(&mut p, "plan", "L'obiettivo", &g.text, 500);
        }
        p
    }
}
