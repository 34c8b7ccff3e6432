//! The audit log: who did what to which record, and when.

use super::ids::Id;
use super::time::datetime_serde;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The kinds of record the store keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityKind {
    /// Person.
    Person,
    /// Household.
    Household,
    /// Operator.
    Operator,
    /// Contact.
    Contact,
    /// Case.
    Case,
    /// Project.
    Project,
    /// Referral.
    Referral,
    /// Activity.
    Activity,
    /// Area.
    Area,
    /// Service line.
    ServiceLine,
    /// Desk.
    Desk,
    /// Measure.
    Measure,
    /// Territorial service.
    TerritorialService,
    /// Role.
    Role,
}

impl EntityKind {
    /// Every kind.
    pub const ALL: [EntityKind; 14] = [
        EntityKind::Person,
        EntityKind::Household,
        EntityKind::Operator,
        EntityKind::Contact,
        EntityKind::Case,
        EntityKind::Project,
        EntityKind::Referral,
        EntityKind::Activity,
        EntityKind::Area,
        EntityKind::ServiceLine,
        EntityKind::Desk,
        EntityKind::Measure,
        EntityKind::TerritorialService,
        EntityKind::Role,
    ];

    /// A stable one-byte code, used in index keys.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The Italian name.
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::Person => "persona",
            EntityKind::Household => "nucleo familiare",
            EntityKind::Operator => "operatore",
            EntityKind::Contact => "accesso",
            EntityKind::Case => "presa in carico",
            EntityKind::Project => "progetto",
            EntityKind::Referral => "invio alla rete",
            EntityKind::Activity => "attività",
            EntityKind::Area => "area",
            EntityKind::ServiceLine => "linea di servizio",
            EntityKind::Desk => "sportello",
            EntityKind::Measure => "misura",
            EntityKind::TerritorialService => "servizio territoriale",
            EntityKind::Role => "ruolo",
        }
    }
}

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// A record was created.
    Create,
    /// A record was changed.
    Update,
    /// A record was archived.
    Archive,
    /// An archived record was brought back.
    Unarchive,
    /// Records were loaded in bulk (demo data, import); `entity` is nil, `count` says how many.
    Import,
    /// The database was replaced from a backup.
    RestoreBackup,
    /// A year's figures frozen as published (appended: keeps older audit entries readable).
    Publish,
}

impl Action {
    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "creazione",
            Action::Update => "modifica",
            Action::Archive => "archiviazione",
            Action::Unarchive => "ripristino dall'archivio",
            Action::Import => "importazione",
            Action::RestoreBackup => "ripristino da backup",
            Action::Publish => "pubblicazione dei dati annuali",
        }
    }
}

/// One line of the audit log, written in the same transaction as the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When (local wall clock).
    #[serde(with = "datetime_serde")]
    pub at: NaiveDateTime,
    /// Who.
    pub operator: Id,
    /// What.
    pub action: Action,
    /// Which kind of record.
    pub kind: EntityKind,
    /// Which record (nil for bulk actions).
    pub entity: Id,
    /// How many records (1 except for bulk actions).
    pub count: u64,
}
