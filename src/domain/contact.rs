//! Contacts (accessi): one event of listening, information, paperwork, visit or call.

use super::ids::Id;
use super::time::datetime_serde;
use super::validate::{self, Problems, optional_text};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Whom a record is about: one person or a whole household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Subject {
    /// A person.
    Person(Id),
    /// A household.
    Household(Id),
}

impl Subject {
    /// The identifier of the person or household.
    pub fn id(self) -> Id {
        match self {
            Subject::Person(id) | Subject::Household(id) => id,
        }
    }
}

/// The kind of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ContactKind {
    /// Ascolto.
    #[default]
    Ascolto,
    /// Informazione.
    Informazione,
    /// Orientamento.
    Orientamento,
    /// Accompagnamento al disbrigo pratiche.
    Pratiche,
    /// Colloquio.
    Colloquio,
    /// Visita domiciliare.
    VisitaDomiciliare,
    /// Telefonata.
    Telefonata,
}

impl ContactKind {
    /// Every kind, in display order.
    pub const ALL: [ContactKind; 7] = [
        ContactKind::Ascolto,
        ContactKind::Informazione,
        ContactKind::Orientamento,
        ContactKind::Pratiche,
        ContactKind::Colloquio,
        ContactKind::VisitaDomiciliare,
        ContactKind::Telefonata,
    ];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            ContactKind::Ascolto => "Ascolto",
            ContactKind::Informazione => "Informazione",
            ContactKind::Orientamento => "Orientamento",
            ContactKind::Pratiche => "Accompagnamento pratiche",
            ContactKind::Colloquio => "Colloquio",
            ContactKind::VisitaDomiciliare => "Visita domiciliare",
            ContactKind::Telefonata => "Telefonata",
        }
    }
}

/// One contact event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Identifier.
    pub id: Id,
    /// When it happened.
    #[serde(with = "datetime_serde")]
    pub at: NaiveDateTime,
    /// The person or household.
    pub subject: Subject,
    /// The service line.
    pub line: Id,
    /// The desk.
    pub desk: Id,
    /// The operator who held it.
    pub operator: Id,
    /// What kind of contact.
    pub kind: ContactKind,
    /// The public measure it was about, if any.
    pub measure: Option<Id>,
    /// Duration in minutes.
    pub minutes: u16,
    /// Free notes.
    pub note: String,
    /// The note is confidential (shown only to whoever opens the record on purpose).
    pub confidential: bool,
    /// Archived.
    pub archived: bool,
}

impl Contact {
    /// Validates the contact against `today`.
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        validate::not_future(&mut p, "at", "La data del contatto", self.at.date(), today);
        validate::plausible(&mut p, "at", "La data del contatto", self.at.date());
        require_ref(
            &mut p,
            "subject",
            "La persona o il nucleo",
            self.subject.id(),
        );
        require_ref(&mut p, "line", "La linea di servizio", self.line);
        require_ref(&mut p, "desk", "Lo sportello", self.desk);
        require_ref(&mut p, "operator", "L'operatore", self.operator);
        if self.minutes > 24 * 60 {
            p.add("minutes", "La durata non può superare le 24 ore");
        }
        optional_text(&mut p, "note", "Le note", &self.note, 4000);
        p
    }
}

/// Adds "… è obbligatorio" when a reference is missing.
pub fn require_ref(p: &mut Problems, field: &'static str, label: &str, id: Id) {
    if id == Id::NIL {
        p.add(
            field,
            format!(
                "{label} è obbligatori{}",
                if label.starts_with("La ") { "a" } else { "o" }
            ),
        );
    }
}
