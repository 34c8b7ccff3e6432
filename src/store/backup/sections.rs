//! The tables of a backup: the record tables, the audit log and the published figures; their
//! names in the file, the order the body is written in, and the database table each one is
//! restored into, and how one of their values is checked.

use super::BackupError;
use crate::domain::EntityKind;
use crate::store::codec;
use crate::store::entity::table_of;
use crate::store::tables::{AUDIT, records};
use std::path::Path;

/// The name of the audit table in backups.
pub const AUDIT_TABLE: &str = "audit";
/// The name of the published-figures table in backups.
pub const PUBLISHED_TABLE: &str = "published";
/// The name of the merge versions table in backups (format 3 on).
pub const MERGE_VERSIONS_TABLE: &str = "merge_versions";
/// The name of the merged-ids table in backups (format 3 on).
pub const MERGE_ALIASES_TABLE: &str = "merge_aliases";
/// The name of the registro cancellazioni in backups (format 4 on).
pub const ERASURES_TABLE: &str = "erasures";
/// The name of the attached documents' content in backups (format 6 on).
pub const DOCUMENT_CHUNKS_TABLE: &str = "document_chunks";

/// A section of the backup body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The records of one kind.
    Records(EntityKind),
    /// The audit log.
    Audit,
    /// The figures frozen when a year was published.
    Published,
    /// What each record's copies last had in common (`store::merge`).
    MergeVersions,
    /// Ids merged into another record (`store::merge`).
    MergeAliases,
    /// The registro cancellazioni (`store::privacy`).
    Erasures,
    /// The content of attached documents, in chunks (`store::documents`).
    DocumentChunks,
}

impl Section {
    /// Sections written only by format 3 and only when they hold something, so that a
    /// backup of a database never merged stays readable by earlier versions.
    pub fn is_merge(self) -> bool {
        matches!(self, Section::MergeVersions | Section::MergeAliases)
    }

    /// The registro cancellazioni: written only by format 4 and only when it holds
    /// something, so that a backup of a database with no erasure stays readable by earlier
    /// versions.
    pub fn is_erasures(self) -> bool {
        matches!(self, Section::Erasures)
    }

    /// The purposes of consent, the people's privacy logs and the appointments: written
    /// only by format 5 and only when they hold something, so that a backup of a database
    /// that never used them stays readable by earlier versions.
    pub fn is_privacy(self) -> bool {
        matches!(
            self,
            Section::Records(
                EntityKind::Purpose | EntityKind::PrivacyEntry | EntityKind::Appointment
            )
        ) || self.is_pratiche()
    }

    /// Attached documents and their content (issue 15 part 3): written only by format 6
    /// and only when some document exists, so that a backup of a database without them
    /// stays readable by earlier versions.
    pub fn is_documents(self) -> bool {
        matches!(
            self,
            Section::Records(EntityKind::Document) | Section::DocumentChunks
        )
    }

    /// Kinds of document, bandi and pratiche (issue 15): format 5 tables too, written only
    /// when they hold something, so plain backups of databases without them keep format 1.
    pub fn is_pratiche(self) -> bool {
        matches!(
            self,
            Section::Records(EntityKind::DocumentKind | EntityKind::Bando | EntityKind::Pratica)
        )
    }
}

/// Every table a backup holds: the record tables, the audit log, the published figures.
pub fn tables() -> Vec<(&'static str, Section)> {
    with_audit_and_published(&EntityKind::ALL)
}

/// The order tables are written in: the catalogue, then operators, households and people,
/// then the records that refer to them, then the audit log. Every reference points to a
/// table written before, so a restore checks references and counts while it streams.
pub fn body_order() -> Vec<(&'static str, Section)> {
    with_audit_and_published(&BODY_KINDS)
}

/// The record kinds in body order. `tables()` lists the same kinds in [`EntityKind::ALL`]
/// order, the order previews and reports show; sized by that list, a kind added to it does
/// not compile until it has its place here too.
const BODY_KINDS: [EntityKind; EntityKind::ALL.len()] = {
    use EntityKind::*;
    [
        Area,
        ServiceLine,
        Desk,
        Measure,
        TerritorialService,
        Role,
        AccessRole,
        Purpose,
        DocumentKind,
        Bando,
        Operator,
        Account,
        Household,
        Person,
        Contact,
        Case,
        Project,
        Referral,
        Activity,
        PrivacyEntry,
        Appointment,
        Pratica,
        Document,
    ]
};

/// The tables of `kinds`, in that order, then the audit log, the published figures and
/// the merge tables.
fn with_audit_and_published(kinds: &[EntityKind]) -> Vec<(&'static str, Section)> {
    kinds
        .iter()
        .map(|k| (table_name(*k), Section::Records(*k)))
        .chain([
            (AUDIT_TABLE, Section::Audit),
            (PUBLISHED_TABLE, Section::Published),
            (MERGE_VERSIONS_TABLE, Section::MergeVersions),
            (MERGE_ALIASES_TABLE, Section::MergeAliases),
            (ERASURES_TABLE, Section::Erasures),
            (DOCUMENT_CHUNKS_TABLE, Section::DocumentChunks),
        ])
        .collect()
}

/// The name of a kind's table, in the database and in backups.
pub fn table_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "people",
        EntityKind::Household => "households",
        EntityKind::Operator => "operators",
        EntityKind::Contact => "contacts",
        EntityKind::Case => "cases",
        EntityKind::Project => "projects",
        EntityKind::Referral => "referrals",
        EntityKind::Activity => "activities",
        EntityKind::Area => "areas",
        EntityKind::ServiceLine => "service_lines",
        EntityKind::Desk => "desks",
        EntityKind::Measure => "measures",
        EntityKind::TerritorialService => "territorial_services",
        EntityKind::Role => "roles",
        EntityKind::Account => "accounts",
        EntityKind::AccessRole => "access_roles",
        EntityKind::Purpose => "purposes",
        EntityKind::PrivacyEntry => "privacy_entries",
        EntityKind::Appointment => "appointments",
        EntityKind::DocumentKind => "document_kinds",
        EntityKind::Bando => "bandi",
        EntityKind::Pratica => "pratiche",
        EntityKind::Document => "documents",
    }
}

/// The section a table of the backup holds, if the name is known.
pub(crate) fn kind_of(name: &str) -> Option<Section> {
    tables()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| k)
}

/// The Italian plural name of a backup table, for previews and reports.
pub fn table_label(name: &str) -> &'static str {
    match name {
        "people" => "persone",
        "households" => "nuclei familiari",
        "operators" => "operatori",
        "contacts" => "accessi",
        "cases" => "prese in carico",
        "projects" => "progetti",
        "referrals" => "invii alla rete",
        "activities" => "attività di gruppo",
        "areas" => "aree",
        "service_lines" => "linee di servizio",
        "desks" => "sportelli",
        "measures" => "misure",
        "territorial_services" => "servizi territoriali",
        "roles" => "ruoli",
        "accounts" => "account",
        "access_roles" => "ruoli di accesso",
        "purposes" => "finalità del consenso",
        "privacy_entries" => "voci privacy (informative, consensi, limitazioni)",
        "appointments" => "appuntamenti",
        "document_kinds" => "tipi di documento",
        "bandi" => "bandi",
        "pratiche" => "pratiche",
        "documents" => "documenti allegati",
        DOCUMENT_CHUNKS_TABLE => "parti dei documenti allegati",
        AUDIT_TABLE => "voci del registro",
        PUBLISHED_TABLE => "anni pubblicati",
        MERGE_VERSIONS_TABLE => "versioni per l'unione tra sportelli",
        MERGE_ALIASES_TABLE => "persone unite",
        ERASURES_TABLE => "voci del registro cancellazioni",
        _ => "altro",
    }
}

/// The database table that holds a section.
pub(super) fn def_of(section: Section) -> records::Def {
    match section {
        Section::Records(k) => table_of(k),
        Section::Audit => AUDIT,
        Section::Published => crate::store::published::PUBLISHED,
        Section::MergeVersions => crate::store::merge::VERSIONS,
        Section::MergeAliases => crate::store::merge::ALIASES,
        Section::Erasures => crate::store::privacy::ERASURES,
        Section::DocumentChunks => crate::store::tables::DOCUMENT_CHUNKS,
    }
}

/// Whether the purposes of consent, the privacy logs and the appointments must travel:
/// some privacy entry or appointment exists, or the purposes are not exactly the defaults
/// every database gets at its first open (a restore without them makes those defaults again). Otherwise a backup keeps the
/// format of what it holds, readable by earlier versions. Kinds of document, bandi and
/// pratiche (issue 15) travel in format 5 too, whenever one exists.
pub(super) fn privacy_in_use(
    txn: &redb::ReadTransaction,
) -> Result<bool, crate::store::StoreError> {
    use crate::store::tables::records::{APPOINTMENTS, BANDI, DOCUMENT_KINDS, PRATICHE, PRIVACY};
    use redb::{ReadableTable, ReadableTableMetadata};
    for t in [PRIVACY, APPOINTMENTS, DOCUMENT_KINDS, BANDI, PRATICHE] {
        if txn.open_table(t)?.len()? > 0 {
            return Ok(true);
        }
    }
    let mut here = Vec::new();
    for item in txn
        .open_table(crate::store::tables::records::PURPOSES)?
        .iter()?
    {
        let p: crate::domain::Purpose = crate::store::codec::decode(item?.1.value())?;
        here.push((p.code, p.name, p.archived));
    }
    let mut defaults: Vec<_> = crate::domain::consent::default_purposes()
        .into_iter()
        .map(|p| (p.code, p.name, p.archived))
        .collect();
    here.sort();
    defaults.sort();
    Ok(here != defaults)
}

/// Checks one value of a backup: a record with `record` (given its kind), every other
/// section by decoding it or with its own check; a value that fails is
/// [`BackupError::Damaged`], naming the table.
pub(super) fn check_value(
    path: &Path,
    table: &str,
    kind: Section,
    value: &[u8],
    record: impl FnOnce(EntityKind) -> Result<(), String>,
) -> Result<(), BackupError> {
    let r = match kind {
        Section::Records(k) => record(k),
        Section::Audit => crate::store::audit::decode(value)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Section::Published => codec::decode::<crate::store::published::Published>(value)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Section::Erasures => codec::decode::<crate::domain::privacy::Erasure>(value)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Section::MergeVersions | Section::MergeAliases => {
            crate::store::merge::check_backup_value(kind, value)
        }
        Section::DocumentChunks => crate::store::documents::check_chunk(value),
    };
    r.map_err(|why| {
        BackupError::Damaged(
            path.into(),
            format!("record illeggibile in «{}» ({why})", table_label(table)),
        )
    })
}
