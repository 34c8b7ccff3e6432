//! redb table definitions. Record tables map an id to a postcard envelope; index and
//! aggregate tables are derived and rewritten in the same transaction as the record.

use redb::TableDefinition;

/// Schema version written in `meta`; a file with a higher one is refused, one with a lower
/// one is converted when opened (`store::upgrade`). 1: one redb table per index and per
/// aggregate, one entry per (record, index) and per (line, year, unit, key). 2: all of them
/// bucketed in the `derived` table.
pub const SCHEMA_VERSION: u32 = 2;

/// Key/value settings of the database: `schema_version`, `through_year`, `aggregates_stale`.
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// Text index: people by folded "surname name".
pub const TEXT_NAME: u8 = 0;
/// Text index: people by codice fiscale.
pub const TEXT_CF: u8 = 1;
/// Text index code of the privacy entries that start or end a restriction (art. 18), under
/// an empty text: the people whose processing is restricted are found from them.
pub const TEXT_RESTRICTION: u8 = 2;

/// The audit log: entry id (UUIDv7, time-ordered) → envelope of an `AuditEntry`.
pub const AUDIT: TableDefinition<u128, &[u8]> = TableDefinition::new("audit");

/// Every index entry and annual count, bucketed (see `store::derived`).
pub use super::derived::DERIVED;

/// Record tables, one per entity kind.
pub mod records {
    use redb::TableDefinition;

    /// Type of every record table.
    pub type Def = TableDefinition<'static, u128, &'static [u8]>;
    /// People.
    pub const PEOPLE: Def = TableDefinition::new("people");
    /// Households.
    pub const HOUSEHOLDS: Def = TableDefinition::new("households");
    /// Operators.
    pub const OPERATORS: Def = TableDefinition::new("operators");
    /// Contacts.
    pub const CONTACTS: Def = TableDefinition::new("contacts");
    /// Cases.
    pub const CASES: Def = TableDefinition::new("cases");
    /// Projects.
    pub const PROJECTS: Def = TableDefinition::new("projects");
    /// Referrals.
    pub const REFERRALS: Def = TableDefinition::new("referrals");
    /// Activities.
    pub const ACTIVITIES: Def = TableDefinition::new("activities");
    /// Areas.
    pub const AREAS: Def = TableDefinition::new("areas");
    /// Service lines.
    pub const LINES: Def = TableDefinition::new("service_lines");
    /// Desks.
    pub const DESKS: Def = TableDefinition::new("desks");
    /// Measures.
    pub const MEASURES: Def = TableDefinition::new("measures");
    /// Territorial services.
    pub const SERVICES: Def = TableDefinition::new("territorial_services");
    /// Roles.
    pub const ROLES: Def = TableDefinition::new("roles");
    /// Personal accounts.
    pub const ACCOUNTS: Def = TableDefinition::new("accounts");
    /// Application roles with their permissions.
    pub const ACCESS_ROLES: Def = TableDefinition::new("access_roles");
    /// Purposes of consent (catalogue).
    pub const PURPOSES: Def = TableDefinition::new("purposes");
    /// People's privacy logs.
    pub const PRIVACY: Def = TableDefinition::new("privacy_entries");
    /// Appointments.
    pub const APPOINTMENTS: Def = TableDefinition::new("appointments");
    /// Kinds of document an application may need (catalogue, issue 15).
    pub const DOCUMENT_KINDS: Def = TableDefinition::new("document_kinds");
    /// Bandi: editions of the measures (catalogue, issue 15).
    pub const BANDI: Def = TableDefinition::new("bandi");
    /// Pratiche: applications to a bando (issue 15).
    pub const PRATICHE: Def = TableDefinition::new("pratiche");
    /// Attached documents' descriptions (issue 15 part 3); their bytes are in
    /// [`super::DOCUMENT_CHUNKS`].
    pub const DOCUMENTS: Def = TableDefinition::new("documents");
}

/// The content of attached documents: chunk id (a fresh UUIDv7 each, listed in order in
/// its `Document`) → at most [`super::documents::CHUNK_BYTES`] bytes. Chunks never change:
/// a document is attached whole and removed whole.
pub const DOCUMENT_CHUNKS: TableDefinition<u128, &[u8]> = TableDefinition::new("document_chunks");
