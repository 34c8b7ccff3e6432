//! redb table definitions. Record tables map an id to a postcard envelope; index and
//! aggregate tables are derived and rewritten in the same transaction as the record.

use redb::{MultimapTableDefinition, TableDefinition};

/// Schema version written in `meta`; a file with a higher one is refused.
pub const SCHEMA_VERSION: u32 = 1;

/// Key/value settings of the database: `schema_version`, `through_year`, `aggregates_stale`.
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// (kind, subject) → record: people by household, contacts/cases/referrals by person or
/// household, projects by person, activities by participant.
pub const BY_SUBJECT: MultimapTableDefinition<(u8, u128), u128> =
    MultimapTableDefinition::new("idx_subject");

/// (kind, day number, id): contacts, cases, projects and referrals in date order (by year).
pub const BY_DATE: TableDefinition<(u8, i32, u128), ()> = TableDefinition::new("idx_date");

/// (index, folded text) → record: people by "surname name" (0) and by codice fiscale (1).
pub const BY_TEXT: MultimapTableDefinition<(u8, &str), u128> =
    MultimapTableDefinition::new("idx_text");

/// Text index: people by folded "surname name".
pub const TEXT_NAME: u8 = 0;
/// Text index: people by codice fiscale.
pub const TEXT_CF: u8 = 1;

/// The audit log: entry id (UUIDv7, time-ordered) → envelope of an `AuditEntry`.
pub const AUDIT: TableDefinition<u128, &[u8]> = TableDefinition::new("audit");

/// (line, year, unit, key) → how many qualifying records contribute that person or household.
pub const AGG_KEYS: TableDefinition<(u128, i32, u8, u128), u32> = TableDefinition::new("agg_keys");

/// (line, year, unit) → the annual count in that unit.
pub const AGG_TOTALS: TableDefinition<(u128, i32, u8), u64> = TableDefinition::new("agg_totals");

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
}
