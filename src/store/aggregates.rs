//! Incremental annual counts, kept in the same write transaction as the records they
//! count, plus the full rebuild used after bulk loads and by `check`.

use super::entity::Entity;
use super::tables::{AGG_KEYS, AGG_TOTALS, META, records};
use super::world::TxnWorld;
use super::{StoreError, codec};
use crate::domain::counting::{
    Contribution, HouseholdState, MemWorld, PersonState, Tally, contributions,
};
use crate::domain::*;
use redb::{ReadableTable, WriteTransaction};
use std::collections::BTreeSet;

/// Adds (`delta = 1`) or removes (`delta = -1`) contributions.
pub(crate) fn apply(
    txn: &WriteTransaction,
    cs: &BTreeSet<Contribution>,
    delta: i64,
) -> Result<(), StoreError> {
    if cs.is_empty() {
        return Ok(());
    }
    let mut keys = txn.open_table(AGG_KEYS)?;
    let mut totals = txn.open_table(AGG_TOTALS)?;
    for c in cs {
        let tkey = (c.line.0, c.year, c.unit.code());
        let total = totals.get(tkey)?.map(|v| v.value()).unwrap_or(0);
        let change: i64 = match c.unit {
            CountingUnit::Persone | CountingUnit::Famiglie => {
                let k = (c.line.0, c.year, c.unit.code(), c.key.0);
                let m = keys.get(k)?.map(|v| v.value()).unwrap_or(0) as i64;
                let n = m + delta;
                if n < 0 {
                    return Err(StoreError::Corrupt(format!(
                        "conteggio negativo per {:?}",
                        c
                    )));
                }
                if n == 0 {
                    keys.remove(k)?;
                } else {
                    keys.insert(k, n as u32)?;
                }
                match (m, n) {
                    (0, n) if n > 0 => 1,
                    (m, 0) if m > 0 => -1,
                    _ => 0,
                }
            }
            CountingUnit::Progetti | CountingUnit::Accessi => delta,
        };
        if change != 0 {
            let t = total as i64 + change;
            if t < 0 {
                return Err(StoreError::Corrupt(format!("totale negativo per {:?}", c)));
            }
            if t == 0 {
                totals.remove(tkey)?;
            } else {
                totals.insert(tkey, t as u64)?;
            }
        }
    }
    Ok(())
}

/// The contributions of a record, read against the transaction's current state.
pub(crate) fn of_record<E: Entity>(
    txn: &WriteTransaction,
    rec: &E,
    through_year: i32,
) -> Result<BTreeSet<Contribution>, StoreError> {
    let Some(c) = rec.countable() else {
        return Ok(BTreeSet::new());
    };
    let world = TxnWorld::new(txn);
    let out = contributions(c, &world, through_year);
    world.finish()?;
    Ok(out)
}

/// Reads a whole record table, calling `f` for each decoded record.
pub(crate) fn scan<E: Entity, T: ReadableTable<u128, &'static [u8]>>(
    table: &T,
    mut f: impl FnMut(E) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for item in table.iter()? {
        let (_, v) = item?;
        f(codec::decode(v.value())?)?;
    }
    Ok(())
}

/// Loads every person's and household's counting state.
pub(crate) fn mem_world<T: redb::ReadableTable<u128, &'static [u8]>>(
    people: &T,
    households: &T,
) -> Result<MemWorld, StoreError> {
    let mut w = MemWorld::default();
    scan::<Person, _>(people, |p| {
        w.people.insert(
            p.id,
            PersonState {
                archived: p.archived,
                household: p.household.map(|m| m.household),
            },
        );
        Ok(())
    })?;
    scan::<Household, _>(households, |h| {
        w.households.insert(
            h.id,
            HouseholdState {
                archived: h.archived,
                members: vec![],
            },
        );
        Ok(())
    })?;
    w.link_members();
    Ok(w)
}

/// Counts every countable record from scratch.
pub(crate) fn full_tally<T: redb::ReadableTable<u128, &'static [u8]>>(
    open: impl Fn(records::Def) -> Result<T, StoreError>,
    through_year: i32,
) -> Result<Tally, StoreError> {
    let world = mem_world(&open(records::PEOPLE)?, &open(records::HOUSEHOLDS)?)?;
    let mut tally = Tally::default();
    scan::<Contact, _>(&open(records::CONTACTS)?, |c| {
        tally.add_all(&contributions(
            counting::Countable::Contact(&c),
            &world,
            through_year,
        ));
        Ok(())
    })?;
    scan::<Case, _>(&open(records::CASES)?, |c| {
        tally.add_all(&contributions(
            counting::Countable::Case(&c),
            &world,
            through_year,
        ));
        Ok(())
    })?;
    scan::<Project, _>(&open(records::PROJECTS)?, |p| {
        tally.add_all(&contributions(
            counting::Countable::Project(&p),
            &world,
            through_year,
        ));
        Ok(())
    })?;
    scan::<Activity, _>(&open(records::ACTIVITIES)?, |a| {
        tally.add_all(&contributions(
            counting::Countable::Activity(&a),
            &world,
            through_year,
        ));
        Ok(())
    })?;
    Ok(tally)
}

use crate::domain::counting;

/// Replaces both aggregate tables with the counts of `tally`.
pub(crate) fn write_tally(
    txn: &WriteTransaction,
    tally: &counting::Tally,
) -> Result<(), StoreError> {
    txn.delete_table(AGG_KEYS)?;
    txn.delete_table(AGG_TOTALS)?;
    let mut keys = txn.open_table(AGG_KEYS)?;
    let mut result = Ok(());
    tally.for_each_sorted_key(|(line, year, unit, key), m| {
        if result.is_ok() {
            result = keys
                .insert((line.0, year, unit.code(), key.0), m)
                .map(|_| ());
        }
    });
    result?;
    let mut totals = txn.open_table(AGG_TOTALS)?;
    for ((line, year, unit), n) in tally.totals() {
        totals.insert((line.0, year, unit.code()), n)?;
    }
    Ok(())
}

/// Recomputes both aggregate tables from the records, inside `txn`, and clears the stale flag.
pub(crate) fn rebuild(txn: &WriteTransaction, through_year: i32) -> Result<(), StoreError> {
    let tally = full_tally(|def| Ok(txn.open_table(def)?), through_year)?;
    write_tally(txn, &tally)?;
    let mut meta = txn.open_table(META)?;
    meta.insert("aggregates_stale", [0u8].as_slice())?;
    Ok(())
}
