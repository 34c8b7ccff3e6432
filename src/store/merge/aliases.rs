//! Ids that live on as another record: a person merged into another (carried to the other
//! desks, so their records of that person land on the one that stays), and a catalogue
//! entry of another desk matched by code to one of this desk (kept here only).

use crate::domain::time::datetime_serde;
use crate::domain::{EntityKind, Id};
use crate::store::StoreError;
use crate::store::codec;
use chrono::NaiveDateTime;
use redb::{ReadableTable, TableDefinition, WriteTransaction};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Old id → envelope of its [`Alias`]. Carried by backups (`merge_aliases`).
pub const ALIASES: TableDefinition<u128, &[u8]> = TableDefinition::new("merge_aliases");

/// What became of an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    /// The kind of record.
    pub kind: EntityKind,
    /// The record it now means.
    pub survivor: Id,
    /// Carried to other desks by merges (a person merge); a catalogue match by code is not.
    pub shared: bool,
    /// What undoing the person merge needs, until the next desk merge.
    pub undo: Option<Undo>,
}

/// What a person merge changed, to undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undo {
    /// When it was merged.
    #[serde(with = "datetime_serde")]
    pub at: NaiveDateTime,
    /// Who merged.
    pub operator: Id,
    /// The person merged away, as it was (encoded record).
    pub other: Vec<u8>,
    /// Its history (encoded tracking).
    pub other_history: Vec<u8>,
    /// The person who stays, before and after.
    pub survivor_before: Vec<u8>,
    /// The person who stays, as the merge left it.
    pub survivor_after: Vec<u8>,
    /// Every record moved from one to the other.
    pub moved: Vec<Moved>,
}

/// A record moved by a person merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    /// Its kind.
    pub kind: EntityKind,
    /// Its id.
    pub id: Id,
    /// Encoded before the merge.
    pub before: Vec<u8>,
    /// Encoded as the merge left it.
    pub after: Vec<u8>,
}

/// Every alias of the database.
pub fn all(
    table: &impl ReadableTable<u128, &'static [u8]>,
) -> Result<HashMap<u128, Alias>, StoreError> {
    let mut out = HashMap::new();
    for item in table.iter()? {
        let (k, v) = item?;
        out.insert(k.value(), codec::decode(v.value())?);
    }
    Ok(out)
}

/// Writes the alias of `old`.
pub(crate) fn put(txn: &WriteTransaction, old: Id, alias: &Alias) -> Result<(), StoreError> {
    txn.open_table(ALIASES)?
        .insert(old.0, codec::encode(alias).as_slice())?;
    Ok(())
}

/// Removes the alias of `old` (an undone person merge).
pub(crate) fn remove(txn: &WriteTransaction, old: Id) -> Result<(), StoreError> {
    txn.open_table(ALIASES)?.remove(old.0)?;
    Ok(())
}

/// Follows aliases from `id` to the record it means now (chains of merges included).
pub fn resolve(aliases: &HashMap<u128, Alias>, id: Id) -> Id {
    let mut cur = id;
    for _ in 0..64 {
        match aliases.get(&cur.0) {
            Some(a) if a.survivor != cur => cur = a.survivor,
            _ => break,
        }
    }
    cur
}
