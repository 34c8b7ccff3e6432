//! Rules across records, checked where the data is, inside the write transaction: a
//! catalogue code belongs to one entry of its kind; a household has one reference person.

use super::derived::{self, DERIVED};
use super::entity::Entity;
use super::{StoreError, codec};
use crate::domain::*;
use redb::{ReadableTable, WriteTransaction};
use std::any::Any;

/// Adds to `problems` what the record `new` (replacing `old`) would break among the other
/// records of the database. `hidden(person)`: the writing session may not see that person
/// (art. 18), so a message must not name them.
pub(super) fn check<E: Entity>(
    txn: &WriteTransaction,
    old: Option<&E>,
    new: &E,
    hidden: &dyn Fn(Id) -> bool,
    problems: &mut Problems,
) -> Result<(), StoreError> {
    if let Some((code, _)) = new.catalogue_entry() {
        unique_code(txn, new, code, problems)?;
    }
    if let Some(p) = (new as &dyn Any).downcast_ref::<Person>() {
        let old = old.and_then(|o| (o as &dyn Any).downcast_ref::<Person>());
        one_reference_person(txn, old, p, hidden, problems)?;
    }
    Ok(())
}

/// A catalogue code is used by one entry of its kind, archived entries included (the code
/// names the entry on the command line and in exports).
fn unique_code<E: Entity>(
    txn: &WriteTransaction,
    new: &E,
    code: &str,
    problems: &mut Problems,
) -> Result<(), StoreError> {
    let t = txn.open_table(E::TABLE)?;
    for item in t.iter()? {
        let (k, v) = item?;
        if k.value() == new.id().0 {
            continue;
        }
        let other: E = codec::decode(v.value())?;
        if let Some((c, name)) = other.catalogue_entry()
            && c == code
        {
            problems.add("code", catalogue::code_taken(code, name, other.archived()));
            break;
        }
    }
    Ok(())
}

/// A person who becomes the reference person of a household (joining it, or changing
/// relationship) is refused when another member, not archived, already is. Records written
/// before this rule stay editable: only a change of membership is checked.
fn one_reference_person(
    txn: &WriteTransaction,
    old: Option<&Person>,
    new: &Person,
    hidden: &dyn Fn(Id) -> bool,
    problems: &mut Problems,
) -> Result<(), StoreError> {
    let Some(m) = new.household else {
        return Ok(());
    };
    if m.relationship != Relationship::Riferimento
        || new.archived
        || old.is_some_and(|o| o.household == new.household && !o.archived)
    {
        return Ok(());
    }
    let members = derived::subject_ids(
        &txn.open_table(DERIVED)?,
        EntityKind::Person.code(),
        m.household.0,
    )?;
    let people = txn.open_table(Person::TABLE)?;
    for id in members {
        if id == new.id.0 {
            continue;
        }
        let Some(v) = people.get(id)? else { continue };
        let other: Person = codec::decode(v.value())?;
        if !other.archived
            && other
                .household
                .is_some_and(|o| o.relationship == Relationship::Riferimento)
        {
            let name = if hidden(other.id) {
                person::SOMEONE_ELSE_IN_HOUSEHOLD.to_string()
            } else {
                other.full_name()
            };
            problems.add("household", person::second_reference_person(&name));
            break;
        }
    }
    Ok(())
}
