//! Consent, informativa and restriction (GDPR art. 7, 13 and 18): the purposes a person
//! may consent to (catalogue data) and each person's privacy log — the informativa given,
//! consents given and withdrawn per purpose, the processing restricted and the
//! restriction lifted. Nothing is overwritten: the log only grows, and the state of each
//! purpose is its latest entry, so a withdrawal takes effect at once.

use super::ids::Id;
use super::time::datetime_serde;
use super::validate::{Problems, optional_text, required_text};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A purpose a person may consent to (sharing with the network, photos, WhatsApp or
/// e-mail contact…): catalogue data, edited in Impostazioni → Catalogo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purpose {
    /// Identifier.
    pub id: Id,
    /// Short stable code ([`purpose_codes`]).
    pub code: String,
    /// Name shown to the team.
    pub name: String,
    /// Hidden when archived.
    pub archived: bool,
}

/// The codes of the default purposes. A referral to a territorial service needs the
/// consent of [`purpose_codes::RETE`].
pub mod purpose_codes {
    /// Sharing data with the network of territorial services (referrals).
    pub const RETE: &str = "rete";
    /// Photos and video during activities.
    pub const FOTO: &str = "foto";
    /// Contact by WhatsApp or e-mail.
    pub const MESSAGGI: &str = "messaggi";
}

/// The default purposes of a new database.
pub fn default_purposes() -> Vec<Purpose> {
    [
        (
            purpose_codes::RETE,
            "Condivisione dei dati con la rete dei servizi territoriali",
        ),
        (purpose_codes::FOTO, "Foto e video durante le attività"),
        (purpose_codes::MESSAGGI, "Contatto via WhatsApp o e-mail"),
    ]
    .into_iter()
    .map(|(code, name)| Purpose {
        id: Id::new(),
        code: code.into(),
        name: name.into(),
        archived: false,
    })
    .collect()
}

/// What one entry of a person's privacy log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PrivacyAct {
    /// The informativa (art. 13) was given, in a version.
    Informativa,
    /// Consent given for a purpose.
    ConsensoDato,
    /// Consent withdrawn for a purpose: effective at once.
    ConsensoRevocato,
    /// Processing restricted (art. 18): the person is hidden from lists, search and
    /// exports for everyone but coordinators.
    Limitazione,
    /// The restriction lifted.
    FineLimitazione,
}

impl PrivacyAct {
    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            PrivacyAct::Informativa => "Informativa consegnata",
            PrivacyAct::ConsensoDato => "Consenso dato",
            PrivacyAct::ConsensoRevocato => "Consenso revocato",
            PrivacyAct::Limitazione => "Trattamento limitato (art. 18)",
            PrivacyAct::FineLimitazione => "Limitazione revocata",
        }
    }

    /// True for the acts about a purpose (consent given or withdrawn).
    pub fn is_consent(self) -> bool {
        matches!(
            self,
            PrivacyAct::ConsensoDato | PrivacyAct::ConsensoRevocato
        )
    }

    /// True for the acts that start or end a restriction (a coordinator's).
    pub fn is_restriction(self) -> bool {
        matches!(self, PrivacyAct::Limitazione | PrivacyAct::FineLimitazione)
    }
}

/// How the informativa was given or the consent collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum PrivacyChannel {
    /// In person, on paper, signed.
    #[default]
    Cartaceo,
    /// By e-mail.
    Email,
    /// By WhatsApp or other messaging.
    Messaggio,
    /// Orally (by phone or at the desk), noted by the operator.
    Verbale,
}

impl PrivacyChannel {
    /// Every channel, in display order.
    pub const ALL: [PrivacyChannel; 4] = [
        PrivacyChannel::Cartaceo,
        PrivacyChannel::Email,
        PrivacyChannel::Messaggio,
        PrivacyChannel::Verbale,
    ];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            PrivacyChannel::Cartaceo => "Di persona, firmato",
            PrivacyChannel::Email => "E-mail",
            PrivacyChannel::Messaggio => "WhatsApp / messaggio",
            PrivacyChannel::Verbale => "A voce (annotato dall'operatore)",
        }
    }
}

/// One entry of a person's privacy log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyEntry {
    /// Identifier.
    pub id: Id,
    /// The person.
    pub person: Id,
    /// What happened.
    pub act: PrivacyAct,
    /// The purpose, for consents given or withdrawn.
    pub purpose: Option<Id>,
    /// The informativa's version (e.g. "2024/1"), for [`PrivacyAct::Informativa`].
    pub version: String,
    /// When (date and time).
    #[serde(with = "datetime_serde")]
    pub at: NaiveDateTime,
    /// How.
    pub channel: PrivacyChannel,
    /// The operator who recorded it.
    pub operator: Option<Id>,
    /// Why (a restriction's reason) or any note.
    pub note: String,
    /// Archived entries (recorded by mistake) do not count.
    pub archived: bool,
}

impl PrivacyEntry {
    /// Validates the entry: a purpose exactly for consents, a version for the informativa,
    /// a reason for a restriction, and no time in the future.
    pub fn validate(&self, now: NaiveDateTime) -> Problems {
        let mut p = Problems::default();
        if self.person == Id::NIL {
            p.add("person", "Indica la persona");
        }
        match (self.act.is_consent(), self.purpose) {
            (true, None) => p.add("purpose", "Scegli la finalità del consenso"),
            (false, Some(_)) => p.add(
                "purpose",
                "Solo un consenso dato o revocato riguarda una finalità",
            ),
            _ => {}
        }
        if self.act == PrivacyAct::Informativa {
            required_text(
                &mut p,
                "version",
                "La versione dell'informativa",
                &self.version,
                40,
            );
        } else {
            optional_text(&mut p, "version", "La versione", &self.version, 40);
        }
        if self.act == PrivacyAct::Limitazione && self.note.trim().chars().count() < 5 {
            p.add(
                "note",
                "Scrivi il motivo della limitazione (almeno 5 caratteri): per esempio «richiesta dell'interessato del 3/12»",
            );
        }
        optional_text(&mut p, "note", "La nota", &self.note, 500);
        // A minute of tolerance for clocks a little apart.
        if self.at > now + chrono::Duration::minutes(1) {
            p.add("at", "La data non può essere nel futuro");
        }
        p
    }
}

/// What a person's privacy log says now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivacyState {
    /// The latest informativa given (version and when), if any.
    pub informativa: Option<PrivacyEntry>,
    /// Per purpose, the latest consent entry (given or withdrawn).
    pub consents: Vec<(Id, PrivacyEntry)>,
    /// The restriction in force, if any (its entry).
    pub restriction: Option<PrivacyEntry>,
}

impl PrivacyState {
    /// The state from a person's log (any order; archived entries ignored). Entries with
    /// the same time are ordered by id (creation order).
    pub fn of(entries: &[PrivacyEntry]) -> PrivacyState {
        let mut sorted: Vec<&PrivacyEntry> = entries.iter().filter(|e| !e.archived).collect();
        sorted.sort_by_key(|e| (e.at, e.id));
        let mut s = PrivacyState::default();
        for e in sorted {
            match e.act {
                PrivacyAct::Informativa => s.informativa = Some(e.clone()),
                PrivacyAct::ConsensoDato | PrivacyAct::ConsensoRevocato => {
                    let Some(purpose) = e.purpose else { continue };
                    match s.consents.iter_mut().find(|(p, _)| *p == purpose) {
                        Some(slot) => slot.1 = e.clone(),
                        None => s.consents.push((purpose, e.clone())),
                    }
                }
                PrivacyAct::Limitazione => s.restriction = Some(e.clone()),
                PrivacyAct::FineLimitazione => s.restriction = None,
            }
        }
        s
    }

    /// True when the latest entry for the purpose is a consent given.
    pub fn consents_to(&self, purpose: Id) -> bool {
        self.consent(purpose)
            .is_some_and(|e| e.act == PrivacyAct::ConsensoDato)
    }

    /// The latest consent entry for a purpose.
    pub fn consent(&self, purpose: Id) -> Option<&PrivacyEntry> {
        self.consents
            .iter()
            .find(|(p, _)| *p == purpose)
            .map(|(_, e)| e)
    }

    /// True when processing is restricted now.
    pub fn restricted(&self) -> bool {
        self.restriction.is_some()
    }

    /// The warning a new referral shows when the person has not consented to sharing
    /// with the network (`purpose`: the id of [`purpose_codes::RETE`]): `None` when the
    /// consent is in force.
    pub fn referral_warning(&self, purpose: Option<Id>) -> Option<String> {
        let purpose = purpose?;
        match self.consent(purpose) {
            Some(e) if e.act == PrivacyAct::ConsensoDato => None,
            Some(e) => Some(format!(
                "Attenzione: il consenso alla condivisione con la rete dei servizi è stato revocato il {}. Prima di inviare la persona, raccogli di nuovo il consenso o limita l'invio a ciò che la legge permette senza consenso.",
                e.at.format("%d/%m/%Y")
            )),
            None => Some(
                "Attenzione: non risulta il consenso alla condivisione con la rete dei servizi. Raccoglilo nella cartella (sezione Privacy e consensi) prima di inviare la persona.".into(),
            ),
        }
    }
}
