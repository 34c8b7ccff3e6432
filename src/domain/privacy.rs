//! The people's rights over their data (GDPR art. 17): the plain types of the *registro
//! cancellazioni* and of the retention schedule, with their rules. No redb here: the store
//! keeps and applies them (`store::privacy`).

use super::ids::Id;
use super::time::{date_serde, datetime_serde};
use super::validate::Problems;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The opaque form of a person's id kept by the registro: SHA-256 over a label and the id.
/// It recognises the person's records again (in an older backup) without naming anyone.
pub type Opaque = [u8; 32];

/// The opaque form of an id (see [`Opaque`]).
pub fn opaque(id: Id) -> Opaque {
    let mut h = Sha256::new();
    h.update(b"accoglienza-cancellazione-v1\0");
    h.update(id.0.to_be_bytes());
    h.finalize().into()
}

/// The surname of the anonymous person that takes an erased person's place in the records
/// that must stay for the annual counts.
pub const PLACEHOLDER_SURNAME: &str = "Persona";
/// The name of that anonymous person ("Persona cancellata" in every list).
pub const PLACEHOLDER_NAME: &str = "cancellata";
/// What replaces the texts that must not be empty in a kept record (a closed case's outcome,
/// a project's host or school).
pub const ERASED_TEXT: &str = "Dato cancellato (art. 17 GDPR)";

/// One entry of the registro cancellazioni: nothing that names the person, only what is
/// needed to apply the erasure again and to account for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    /// The erasure's own random id.
    pub id: Id,
    /// The opaque forms of the erased person's id and of the ids merged into it.
    pub subjects: Vec<Opaque>,
    /// When.
    #[serde(with = "datetime_serde")]
    pub at: NaiveDateTime,
    /// Why (typed by the operator; checked not to contain the person's name or code).
    pub reason: String,
    /// The operator who erased (nil for the system).
    pub operator: Id,
    /// The signed-in account (nil for the system).
    pub account: Id,
    /// The anonymous placeholder that took the person's place in the records kept for the
    /// counts (none when nothing needed one). Applying the erasure again (an older backup
    /// restored, another desk's data merged in) uses the same one, so the data converge.
    pub placeholder: Option<Id>,
}

impl Erasure {
    /// True when the person with this id (or an id merged into it) was erased here.
    pub fn covers(&self, id: Id) -> bool {
        let o = opaque(id);
        self.subjects.contains(&o)
    }
}

/// Checks the reason of an erasure: 5 to 300 characters, and not the person's name,
/// surname or codice fiscale (the registro must not name the person).
pub fn check_reason(reason: &str, forbidden: &[&str]) -> Problems {
    let mut p = Problems::default();
    let r = reason.trim();
    let n = r.chars().count();
    if n < 5 {
        p.add(
            "reason",
            "Scrivi il motivo della cancellazione (almeno 5 caratteri): resta nel registro cancellazioni",
        );
    } else if n > 300 {
        p.add("reason", "Il motivo può avere al massimo 300 caratteri");
    }
    let folded = super::person::fold(r);
    for f in forbidden {
        let f = super::person::fold(f);
        if f.chars().count() >= 3 && folded.contains(&f) {
            p.add(
                "reason",
                "Il motivo non deve contenere il nome, il cognome o il codice fiscale della persona: il registro cancellazioni non nomina nessuno",
            );
            break;
        }
    }
    p
}

/// How long each kind of record is kept, in years, after the date that starts its period.
/// Catalogue-like data: the defaults below, changed by a coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionSettings {
    /// A contact: years after its date (default 5).
    pub contact_years: u16,
    /// A case: years after it was closed (default 10; an open case keeps the person).
    pub case_years: u16,
    /// A project: years after it ended (default 10; an open project keeps the person).
    pub project_years: u16,
    /// A referral: years after its date, or after its follow-up date if later (default 5).
    pub referral_years: u16,
    /// A participation in a group activity: years after the last session attended
    /// (default 5).
    pub activity_years: u16,
    /// A person registered without any other record: years after the registration
    /// (default 5), so they are not kept for ever.
    pub person_years: u16,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        RetentionSettings {
            contact_years: 5,
            case_years: 10,
            project_years: 10,
            referral_years: 5,
            activity_years: 5,
            person_years: 5,
        }
    }
}

impl RetentionSettings {
    /// The settings' names as typed on the command line, with their Italian labels.
    pub const NAMES: [(&'static str, &'static str); 6] = [
        ("accessi", "Accesso: anni dopo la data"),
        ("prese-in-carico", "Presa in carico: anni dopo la chiusura"),
        ("progetti", "Progetto: anni dopo la fine"),
        ("invii", "Invio alla rete: anni dopo la data o il follow-up"),
        (
            "attivita",
            "Attività di gruppo: anni dopo l'ultima presenza",
        ),
        ("anagrafica", "Anagrafica: anni dopo la registrazione"),
    ];

    /// The value of a setting by name.
    pub fn get(&self, name: &str) -> Option<u16> {
        Some(match name {
            "accessi" => self.contact_years,
            "prese-in-carico" => self.case_years,
            "progetti" => self.project_years,
            "invii" => self.referral_years,
            "attivita" => self.activity_years,
            "anagrafica" => self.person_years,
            _ => return None,
        })
    }

    /// Sets a setting by name: 1 to 100 years.
    pub fn set(&mut self, name: &str, years: u16) -> Result<(), String> {
        if !(1..=100).contains(&years) {
            return Err(format!(
                "Periodo di conservazione non valido: {years} anni (da 1 a 100)"
            ));
        }
        let slot = match name {
            "accessi" => &mut self.contact_years,
            "prese-in-carico" => &mut self.case_years,
            "progetti" => &mut self.project_years,
            "invii" => &mut self.referral_years,
            "attivita" => &mut self.activity_years,
            "anagrafica" => &mut self.person_years,
            other => {
                return Err(format!(
                    "Tipo di record sconosciuto: «{other}» (validi: accessi, prese-in-carico, progetti, invii, attivita, anagrafica)"
                ));
            }
        };
        *slot = years;
        Ok(())
    }
}

/// The day `years` years after `from` (29 February becomes 28 February).
pub fn years_after(from: NaiveDate, years: u16) -> NaiveDate {
    let y = from.year() + years as i32;
    NaiveDate::from_ymd_opt(y, from.month(), from.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, from.month(), 28))
        .unwrap_or(from)
}

/// A person whose every record has passed its retention period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionDue {
    /// The person.
    pub person: Id,
    /// "Cognome Nome" (shown to the coordinator deciding; never written in the registro).
    pub name: String,
    /// The day the last of their records passed its period.
    #[serde(with = "date_serde")]
    pub expired_on: NaiveDate,
    /// How many records about them (contacts, cases, projects, referrals, activities).
    pub records: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_must_not_name_the_person() {
        assert!(check_reason("Richiesta dell'interessato", &["Rossi", "Mario"]).is_empty());
        assert!(!check_reason("Richiesta di Mario ROSSI", &["Rossi", "Mario"]).is_empty());
        assert!(!check_reason("ok", &[]).is_empty());
    }

    #[test]
    fn opaque_ids_differ_and_are_stable() {
        let a = Id(7);
        assert_eq!(opaque(a), opaque(Id(7)));
        assert_ne!(opaque(a), opaque(Id(8)));
        let e = Erasure {
            id: Id(1),
            subjects: vec![opaque(a)],
            at: NaiveDate::from_ymd_opt(2024, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            reason: "Richiesta".into(),
            operator: Id::NIL,
            account: Id::NIL,
            placeholder: None,
        };
        assert!(e.covers(a) && !e.covers(Id(8)));
    }

    #[test]
    fn settings_by_name_and_leap_days() {
        let mut s = RetentionSettings::default();
        assert_eq!(s.get("accessi"), Some(5));
        s.set("prese-in-carico", 12).unwrap();
        assert_eq!(s.case_years, 12);
        assert!(s.set("prese-in-carico", 0).is_err());
        assert!(s.set("boh", 3).is_err());
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(
            years_after(d, 5),
            NaiveDate::from_ymd_opt(2029, 2, 28).unwrap()
        );
    }
}
