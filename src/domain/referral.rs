//! Referrals (invii alla rete) to territorial services, with follow-up.

use super::contact::{Subject, require_ref};
use super::ids::Id;
use super::time::{date_serde, opt_date_serde};
use super::validate::{self, Problems, optional_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a referral ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ReferralOutcome {
    /// Waiting for an answer.
    #[default]
    InAttesa,
    /// The service took the person in.
    Accolto,
    /// The service did not take the person in.
    NonAccolto,
    /// The person gave up.
    Rinuncia,
}

impl ReferralOutcome {
    /// Every outcome, in display order.
    pub const ALL: [ReferralOutcome; 4] = [
        ReferralOutcome::InAttesa,
        ReferralOutcome::Accolto,
        ReferralOutcome::NonAccolto,
        ReferralOutcome::Rinuncia,
    ];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            ReferralOutcome::InAttesa => "In attesa",
            ReferralOutcome::Accolto => "Preso in carico dal servizio",
            ReferralOutcome::NonAccolto => "Non preso in carico",
            ReferralOutcome::Rinuncia => "Rinuncia della persona",
        }
    }
}

/// A referral to a territorial service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Identifier.
    pub id: Id,
    /// The person or household.
    pub subject: Subject,
    /// When.
    #[serde(with = "date_serde")]
    pub date: NaiveDate,
    /// The service referred to.
    pub service: Id,
    /// The line it was made within, if any.
    pub line: Option<Id>,
    /// The operator who made it.
    pub operator: Option<Id>,
    /// Why.
    pub reason: String,
    /// When to check how it went.
    #[serde(with = "opt_date_serde")]
    pub follow_up: Option<NaiveDate>,
    /// How it went.
    pub outcome: ReferralOutcome,
    /// Notes on the outcome.
    pub outcome_note: String,
    /// Archived.
    pub archived: bool,
}

impl Referral {
    /// True when the follow-up date has passed and no outcome is recorded yet.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.outcome == ReferralOutcome::InAttesa && self.follow_up.is_some_and(|f| f < today)
    }

    /// Validates the referral against `today`.
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        require_ref(
            &mut p,
            "subject",
            "La persona o il nucleo",
            self.subject.id(),
        );
        require_ref(&mut p, "service", "Il servizio", self.service);
        validate::not_future(&mut p, "date", "La data dell'invio", self.date, today);
        validate::plausible(&mut p, "date", "La data dell'invio", self.date);
        if let Some(f) = self.follow_up
            && f < self.date
        {
            p.add("follow_up", "La verifica non può precedere l'invio");
        }
        validate::required_text(&mut p, "reason", "Il motivo dell'invio", &self.reason, 2000);
        optional_text(
            &mut p,
            "outcome_note",
            "La nota sull'esito",
            &self.outcome_note,
            2000,
        );
        p
    }
}
