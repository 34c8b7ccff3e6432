//! Incremental annual counts, kept in the same write transaction as the records they
//! count, plus the full rebuild used after bulk loads and by `check`.

use super::derived::{self, DERIVED};
use super::entity::Entity;
use super::tables::{META, records};
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
    let mut t = txn.open_table(DERIVED)?;
    for c in cs {
        let change: i64 = match c.unit {
            CountingUnit::Persone | CountingUnit::Famiglie => {
                match derived::change_mult(&mut t, c.line.0, c.year, c.unit.code(), c.key.0, delta)
                {
                    Ok((0, n)) if n > 0 => 1,
                    Ok((m, 0)) if m > 0 => -1,
                    Ok(_) => 0,
                    Err(_) => {
                        return Err(StoreError::Corrupt(format!(
                            "conteggio negativo per {:?}",
                            c
                        )));
                    }
                }
            }
            CountingUnit::Progetti | CountingUnit::Accessi => delta,
        };
        if change != 0 {
            let tkey = derived::total_key(c.line.0, c.year, c.unit.code());
            let total = derived::total(&t, &tkey)? as i64 + change;
            if total < 0 {
                return Err(StoreError::Corrupt(format!("totale negativo per {:?}", c)));
            }
            derived::set_total(&mut t, &tkey, total as u64)?;
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
        tally.add_record(counting::Countable::Contact(&c), &world, through_year);
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

/// Every annual count of `tally` as the derived table stores it, in key order: the totals,
/// then the multiplicity buckets. Calls `f` with each key and value.
pub(crate) fn for_each_count_entry(
    tally: &counting::Tally,
    mut f: impl FnMut(&[u8], &[u8]) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut totals: Vec<([u8; 22], u64)> = tally
        .totals()
        .map(|((line, year, unit), n)| (derived::total_key(line.0, year, unit.code()), n))
        .collect();
    totals.sort_unstable();
    for (k, n) in totals {
        f(&k, &n.to_le_bytes())?;
    }
    let mut result = Ok(());
    let mut bucket: Option<[u8; 23]> = None;
    let mut value = Vec::new();
    tally.for_each_key_grouped(
        |k| derived::bucket_of(k.0),
        |(line, year, unit, key), m| {
            if result.is_err() {
                return;
            }
            let bk = derived::mult_key(line.0, year, derived::bucket_of(key.0));
            if bucket != Some(bk) {
                if let Some(prev) = bucket {
                    result = f(&prev, &value);
                }
                bucket = Some(bk);
                value.clear();
            }
            derived::push_mult_entry(&mut value, unit.code(), key.0, m);
        },
    );
    result?;
    if let Some(prev) = bucket {
        f(&prev, &value)?;
    }
    Ok(())
}

/// Replaces every annual count of the derived table with the counts of `tally`, written in
/// key order through a cursor (leaves packed full).
pub(crate) fn write_tally(
    txn: &WriteTransaction,
    tally: &counting::Tally,
) -> Result<(), StoreError> {
    let mut t = txn.open_table(DERIVED)?;
    let (lo, hi) = ([derived::TOTAL], [derived::MULT + 1]);
    t.retain_in(lo.as_slice()..hi.as_slice(), |_, _| false)?;
    let mut cursor = t.lower_bound_mut(std::ops::Bound::Included(lo.as_slice()))?;
    for_each_count_entry(tally, |k, v| {
        cursor
            .insert_before(k, v)
            .map_err(|e| StoreError::Db(e.to_string()))
    })?;
    cursor.close()?;
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
