//! Merging the desks' databases (*Unisci i dati di un altro sportello*) and merging
//! duplicate people (*Possibili doppioni*).
//!
//! - `tracking`: per record, what two copies last had in common (replica dots per field),
//!   written by the store's writer in the record's own transaction;
//! - `fields` + `engine`: the three-way merge of another desk's backup, field by field,
//!   the catalogue matched by code, conflicts decided by the operator, dry run, audit;
//! - `people`: person merge with field choice, linked records moved, alias kept, undo;
//! - `duplicates`: candidate pairs of the same person.
//!
//! The entry points take the store and the acting operator, so a permission check has
//! one place to go: [`merge_backup`], [`people::merge_people`], [`people::undo_person_merge`].

pub(crate) mod aliases;
pub mod duplicates;
mod engine;
pub mod fields;
mod incoming;
pub mod people;
pub mod tracking;

pub use aliases::{ALIASES, Alias, Moved, Undo};
pub use duplicates::{Candidate, Reason};
pub use engine::{KindCounts, MergeError, MergeOptions, MergeReport, is_catalogue, merge_backup};
pub use fields::{Choice, Conflict};
pub use incoming::Incoming;
pub use people::{
    PERSON_MERGE_PERMISSIONS, PersonMergeReport, merge_people, merge_people_as, undo_person_merge,
    undo_person_merge_as,
};
pub use tracking::{Dot, Tracking, VERSIONS};

use crate::store::backup::Section;
use crate::store::codec;

/// Checks that a value of a merge table in a backup decodes (verify and restore).
pub(crate) fn check_backup_value(section: Section, value: &[u8]) -> Result<(), String> {
    match section {
        Section::MergeVersions => codec::decode::<Tracking>(value).map(|_| ()),
        Section::MergeAliases => codec::decode::<Alias>(value).map(|_| ()),
        _ => Ok(()),
    }
    .map_err(|e| e.to_string())
}
