//! The audit log: who did what to which record, and when.

use super::access::AccessKind;
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
    /// Personal account (appended).
    Account,
    /// Application role with its permissions (appended).
    AccessRole,
    /// A purpose a person may consent to (catalogue; appended).
    Purpose,
    /// An entry of a person's privacy log: informativa, consents, restriction (appended).
    PrivacyEntry,
    /// An appointment of a person or household with an operator at a desk (appended).
    Appointment,
    /// A kind of document an application may need (catalogue; appended, issue 15).
    DocumentKind,
    /// An edition of a measure people apply to (catalogue; appended, issue 15).
    Bando,
    /// An application of a person or household to a bando (appended, issue 15).
    Pratica,
    /// A file attached to a person, household, case, project, referral or pratica
    /// (appended, issue 15 part 3).
    Document,
}

impl EntityKind {
    /// Every kind.
    pub const ALL: [EntityKind; 23] = [
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
        EntityKind::Account,
        EntityKind::AccessRole,
        EntityKind::Purpose,
        EntityKind::PrivacyEntry,
        EntityKind::Appointment,
        EntityKind::DocumentKind,
        EntityKind::Bando,
        EntityKind::Pratica,
        EntityKind::Document,
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
            EntityKind::Account => "account",
            EntityKind::AccessRole => "ruolo di accesso",
            EntityKind::Purpose => "finalità del consenso",
            EntityKind::PrivacyEntry => "registro privacy della persona",
            EntityKind::Appointment => "appuntamento",
            EntityKind::DocumentKind => "tipo di documento",
            EntityKind::Bando => "bando",
            EntityKind::Pratica => "pratica",
            EntityKind::Document => "documento allegato",
        }
    }
}

/// What was done. Variants are only appended (the stored format keeps their order).
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
    /// A successful sign-in (`entity`: the account).
    SignIn,
    /// A wrong password (`entity`: the account, nil when the name is unknown).
    SignInFailed,
    /// Too many wrong passwords locked the account.
    AccountLocked,
    /// An administrator unlocked the account.
    AccountUnlocked,
    /// Signed out.
    SignOut,
    /// The window locked (idle, or «Blocca»).
    Lock,
    /// The password was changed by its owner.
    PasswordChanged,
    /// An administrator reset the password (to be changed at the next sign-in).
    PasswordReset,
    /// The account was deactivated (by an administrator, or unused for months).
    AccountDeactivated,
    /// A read that matters (`detail` may hold the purpose).
    Read(AccessKind),
    /// An extraordinary access outside one's permissions, with its reason (flagged).
    ExtraordinaryAccess,
    /// The database was opened with the recovery key (`detail`: from where); flagged.
    RecoveryKeyUsed,
    /// A record added or changed by merging another desk's data.
    MergeDesk,
    /// A conflict between this desk and another decided by the operator.
    MergeConflict,
    /// Two records of the same person merged into one (`entity`: the one that stays).
    MergePerson,
    /// A person merge undone (`entity`: the person brought back).
    UndoMergePerson,
    /// A new recovery key replaced the old one (by an administrator); flagged.
    RecoveryKeyReplaced,
    /// A person erased (GDPR art. 17): their records removed or made anonymous
    /// (`entity`: the record; for the summary entry, the erasure's id in the registro).
    Erase,
    /// An attached document removed, with its content (appended, issue 15 part 3).
    Remove,
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
            Action::SignIn => "accesso al programma",
            Action::SignInFailed => "password errata",
            Action::AccountLocked => "account bloccato",
            Action::AccountUnlocked => "account sbloccato",
            Action::SignOut => "uscita",
            Action::Lock => "blocco della postazione",
            Action::PasswordChanged => "cambio password",
            Action::PasswordReset => "reimpostazione password",
            Action::AccountDeactivated => "account disattivato",
            Action::Read(k) => k.label(),
            Action::ExtraordinaryAccess => "accesso straordinario",
            Action::RecoveryKeyUsed => "apertura con la chiave di recupero",
            Action::MergeDesk => "unione dei dati di un altro sportello",
            Action::MergeConflict => "conflitto tra sportelli deciso",
            Action::MergePerson => "unione di due persone",
            Action::UndoMergePerson => "unione di due persone annullata",
            Action::RecoveryKeyReplaced => "nuova chiave di recupero",
            Action::Erase => "cancellazione (art. 17)",
            Action::Remove => "rimozione",
        }
    }

    /// True for the reads and account events of the access log (not changes to records).
    pub fn is_access(self) -> bool {
        !matches!(
            self,
            Action::Create
                | Action::Update
                | Action::Archive
                | Action::Unarchive
                | Action::Import
                | Action::RestoreBackup
                | Action::Publish
                | Action::MergeDesk
                | Action::MergeConflict
                | Action::MergePerson
                | Action::UndoMergePerson
                | Action::Erase
                | Action::Remove
        )
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

/// One line of the audit log as written since the log is hash-chained (envelope version
/// 2): who (operator and account), what, which record, and for the access log the purpose
/// or reason and whether it is flagged (an extraordinary access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When (local wall clock).
    #[serde(with = "datetime_serde")]
    pub at: NaiveDateTime,
    /// The operator (nil when the account has none, or for the system).
    pub operator: Id,
    /// The signed-in account (nil for system work and entries written before accounts).
    pub account: Id,
    /// What.
    pub action: Action,
    /// Which kind of record.
    pub kind: EntityKind,
    /// Which record (nil for bulk actions).
    pub entity: Id,
    /// How many records (1 except for bulk actions).
    pub count: u64,
    /// The purpose or reason given (never note contents).
    pub detail: String,
    /// Flagged for the privacy officer (extraordinary accesses, lock-outs).
    pub flagged: bool,
}

impl From<AuditEntry> for AuditRecord {
    fn from(e: AuditEntry) -> Self {
        AuditRecord {
            at: e.at,
            operator: e.operator,
            account: Id::NIL,
            action: e.action,
            kind: e.kind,
            entity: e.entity,
            count: e.count,
            detail: String::new(),
            flagged: false,
        }
    }
}

impl From<&AuditRecord> for AuditEntry {
    fn from(r: &AuditRecord) -> Self {
        AuditEntry {
            at: r.at,
            operator: r.operator,
            action: r.action,
            kind: r.kind,
            entity: r.entity,
            count: r.count,
        }
    }
}
