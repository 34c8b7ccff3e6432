//! What two copies of the database last had in common, kept per record beside it and
//! written in the record's own transaction.
//!
//! Every copy of the database (each workstation, and each restore of a backup) is a
//! *replica* with a random id and a counter. A local change of a record takes the next
//! counter (one per write transaction) and stamps the fields it changed with that *dot*;
//! the record's `seen` list remembers, per replica, the last of its writes this copy has
//! taken in. Merging compares the two copies of a field: a side whose dot the other has
//! already seen is old news; two dots neither side has seen are a conflict. A record
//! never changed since it was created has no entry at all (no cost for inserts).

use super::fields::fields_of;
use crate::domain::Id;
use crate::store::StoreError;
use crate::store::codec;
use crate::store::tables::META;
use redb::{ReadableTable, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};

/// Record id → envelope of its [`Tracking`]. Carried by backups (`merge_versions`).
pub const VERSIONS: TableDefinition<u128, &[u8]> = TableDefinition::new("merge_versions");

/// `meta` key of this copy's replica id (never carried by restores: a restored copy is a
/// new replica, so its counters can never repeat writes another copy already has).
pub const KEY_REPLICA: &str = "merge_replica";
/// `meta` key of this replica's last counter.
pub const KEY_COUNTER: &str = "merge_counter";

/// One write: the replica that made it and its counter there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dot {
    /// The replica (a copy of the database).
    pub replica: Id,
    /// Its counter at that write.
    pub counter: u64,
}

/// What a copy knows about the history of one record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    /// Per replica (sorted), the last of its writes to this record this copy has taken in.
    pub seen: Vec<(Id, u64)>,
    /// Per field (sorted by name), the write that gave it its value; a field not listed
    /// still has the value the record was created with.
    pub fields: Vec<(String, Dot)>,
}

impl Tracking {
    /// The last write of `replica` this copy has taken in (0: none).
    pub fn seen_of(&self, replica: Id) -> u64 {
        self.seen
            .binary_search_by_key(&replica, |(r, _)| *r)
            .map(|i| self.seen[i].1)
            .unwrap_or(0)
    }

    /// Has this copy taken in the write `dot`? The creation value (`None`) always.
    pub fn has_seen(&self, dot: Option<Dot>) -> bool {
        dot.is_none_or(|d| self.seen_of(d.replica) >= d.counter)
    }

    /// The write that gave `field` its value.
    pub fn dot(&self, field: &str) -> Option<Dot> {
        self.fields
            .binary_search_by(|(f, _)| f.as_str().cmp(field))
            .ok()
            .map(|i| self.fields[i].1)
    }

    /// Records that `field` got its value from `dot` (`None`: the creation value).
    pub fn set_dot(&mut self, field: &str, dot: Option<Dot>) {
        match (
            self.fields.binary_search_by(|(f, _)| f.as_str().cmp(field)),
            dot,
        ) {
            (Ok(i), Some(d)) => self.fields[i].1 = d,
            (Ok(i), None) => {
                self.fields.remove(i);
            }
            (Err(i), Some(d)) => self.fields.insert(i, (field.to_string(), d)),
            (Err(_), None) => {}
        }
        if let Some(d) = dot {
            self.see(d);
        }
    }

    /// Notes that this copy has taken in the write `dot`.
    pub fn see(&mut self, dot: Dot) {
        match self.seen.binary_search_by_key(&dot.replica, |(r, _)| *r) {
            Ok(i) => self.seen[i].1 = self.seen[i].1.max(dot.counter),
            Err(i) => self.seen.insert(i, (dot.replica, dot.counter)),
        }
    }

    /// Takes in everything `other` has seen.
    pub fn join_seen(&mut self, other: &Tracking) {
        for (r, c) in &other.seen {
            self.see(Dot {
                replica: *r,
                counter: *c,
            });
        }
    }

    /// Nothing known beyond the creation of the record.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty() && self.fields.is_empty()
    }
}

/// The tracking of record `id` (empty when it was never changed).
pub fn get(
    table: &impl ReadableTable<u128, &'static [u8]>,
    id: Id,
) -> Result<Tracking, StoreError> {
    Ok(match table.get(id.0)? {
        Some(v) => codec::decode(v.value())?,
        None => Tracking::default(),
    })
}

/// Writes (or, when empty, removes) the tracking of record `id`.
pub(crate) fn put(txn: &WriteTransaction, id: Id, t: &Tracking) -> Result<(), StoreError> {
    let mut table = txn.open_table(VERSIONS)?;
    if t.is_empty() {
        table.remove(id.0)?;
    } else {
        table.insert(id.0, codec::encode(t).as_slice())?;
    }
    Ok(())
}

/// Removes the tracking of a record that no longer exists (a person merged into another).
pub(crate) fn remove(txn: &WriteTransaction, id: Id) -> Result<(), StoreError> {
    txn.open_table(VERSIONS)?.remove(id.0)?;
    Ok(())
}

/// This copy's replica id, made when first needed.
pub(crate) fn replica(txn: &WriteTransaction) -> Result<Id, StoreError> {
    let mut meta = txn.open_table(META)?;
    let found = meta
        .get(KEY_REPLICA)?
        .and_then(|v| <[u8; 16]>::try_from(v.value()).ok())
        .map(|b| Id(u128::from_be_bytes(b)));
    if let Some(id) = found {
        return Ok(id);
    }
    let id = Id::new();
    meta.insert(KEY_REPLICA, id.0.to_be_bytes().as_slice())?;
    Ok(id)
}

/// The dot of the writes of this transaction: this replica and its next counter.
pub(crate) fn next_dot(txn: &WriteTransaction) -> Result<Dot, StoreError> {
    let replica = replica(txn)?;
    let mut meta = txn.open_table(META)?;
    let last = meta
        .get(KEY_COUNTER)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map(u64::from_le_bytes)
        .unwrap_or(0);
    let counter = last + 1;
    meta.insert(KEY_COUNTER, counter.to_le_bytes().as_slice())?;
    Ok(Dot { replica, counter })
}

/// The fields whose values differ between two versions of a record.
pub fn changed_fields<E: Serialize>(old: &E, new: &E) -> Vec<String> {
    let (a, b) = (fields_of(old), fields_of(new));
    let mut out: Vec<String> = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(a.keys().filter(|k| !b.contains_key(*k)).cloned());
    out.sort();
    out.dedup();
    out
}

/// Stamps the `fields` of record `id` changed here with `dot`.
pub(crate) fn record_local(
    txn: &WriteTransaction,
    id: Id,
    fields: &[String],
    dot: Dot,
) -> Result<(), StoreError> {
    if fields.is_empty() {
        return Ok(());
    }
    let mut t = get(&txn.open_table(VERSIONS)?, id)?;
    for f in fields {
        t.set_dot(f, Some(dot));
    }
    put(txn, id, &t)
}
