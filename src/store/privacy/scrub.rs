//! What else forgets an erased person, in the erasure's transaction:
//!
//! - audit entries about them keep their id (opaque by itself) but not the text typed with
//!   them (the purpose of a read, the reason of an accesso straordinario, which may name the
//!   person); blanking a text changes the entry's hash, so the chain is linked again from
//!   the first blanked entry to the head;
//! - published years count the placeholder instead of the person;
//! - import batches forget the records that were removed.

use crate::domain::EntityKind;
use crate::domain::Id;
use crate::store::StoreError;
use crate::store::audit::{self, Chained, GENESIS, KEY_HEAD, StoredAudit};
use crate::store::codec;
use crate::store::tables::{AUDIT, META};
use redb::{ReadableTable, WriteTransaction};
use std::collections::HashSet;

/// What replaces the text of an audit entry about an erased person.
pub const BLANKED: &str = "[testo cancellato: art. 17]";

/// Blanks the `detail` of every audit entry whose record is one of `ids` and links the
/// chain again after the first one. Returns how many entries were blanked.
pub(crate) fn blank_details(txn: &WriteTransaction, ids: &HashSet<Id>) -> Result<u64, StoreError> {
    let mut t = txn.open_table(AUDIT)?;
    // The first entry to blank, and the hash of the chained entry before it.
    let mut first: Option<u128> = None;
    let mut prev = GENESIS;
    for item in t.iter()? {
        let (k, v) = item?;
        let stored = audit::decode(v.value())?;
        if let StoredAudit::V2(c) = &stored {
            if ids.contains(&c.record.entity) && !c.record.detail.is_empty() {
                first = Some(k.value());
                break;
            }
            prev = c.hash;
        }
    }
    let Some(first) = first else {
        return Ok(0);
    };
    let mut rewritten: Vec<(u128, Vec<u8>)> = Vec::new();
    let mut blanked = 0;
    let mut head = None;
    for item in t.range(first..)? {
        let (k, v) = item?;
        let StoredAudit::V2(mut c) = audit::decode(v.value())? else {
            continue;
        };
        if ids.contains(&c.record.entity) && !c.record.detail.is_empty() {
            c.record.detail = BLANKED.into();
            blanked += 1;
        }
        c.prev = prev;
        c.hash = audit::link_hash(&prev, &c.record);
        prev = c.hash;
        head = Some((k.value(), c.hash));
        let bytes = postcard::to_allocvec(&StoredAudit::V2(Chained {
            record: c.record,
            prev: c.prev,
            hash: c.hash,
        }))
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        rewritten.push((k.value(), bytes));
    }
    for (k, bytes) in &rewritten {
        t.insert(*k, bytes.as_slice())?;
    }
    drop(t);
    if let Some((key, hash)) = head {
        let mut h = Vec::with_capacity(48);
        h.extend_from_slice(&key.to_be_bytes());
        h.extend_from_slice(&hash);
        txn.open_table(META)?.insert(KEY_HEAD, h.as_slice())?;
    }
    Ok(blanked)
}

/// In the figures of published years, the units counted for the erased person (`from`)
/// become the placeholder's, as in the live counts: the comparison with what was published
/// shows no change (a line that already counts the placeholder is left as it is).
pub(crate) fn remap_published(
    txn: &WriteTransaction,
    from: &[Id],
    to: Id,
) -> Result<(), StoreError> {
    use crate::store::published::{PUBLISHED, Published};
    let mut changed = Vec::new();
    {
        let t = txn.open_table(PUBLISHED)?;
        for item in t.iter()? {
            let (k, v) = item?;
            let mut p: Published = codec::decode(v.value())?;
            let mut any = false;
            for line in &mut p.lines {
                if line.units.iter().any(|u| u.key == to) {
                    continue;
                }
                for u in &mut line.units {
                    if from.contains(&u.key) {
                        u.key = to;
                        any = true;
                    }
                }
            }
            if any {
                changed.push((k.value(), codec::encode(&p)));
            }
        }
    }
    let mut t = txn.open_table(PUBLISHED)?;
    for (k, bytes) in changed {
        t.insert(k, bytes.as_slice())?;
    }
    Ok(())
}

/// Drops the import batches' memberships of the records an erasure removed (an undo of the
/// import would otherwise stop at a record that is no longer there).
pub(crate) fn forget_import_members(
    txn: &WriteTransaction,
    touched: &HashSet<Id>,
) -> Result<(), StoreError> {
    use crate::store::import_log::IMPORT_MEMBERS;
    let mut gone = Vec::new();
    {
        let t = txn.open_table(IMPORT_MEMBERS)?;
        for item in t.iter()? {
            let (k, v) = item?;
            let (batch, record) = k.value();
            if !touched.contains(&Id(record)) {
                continue;
            }
            let Some(kind) = EntityKind::ALL.into_iter().find(|k| k.code() == v.value()) else {
                continue;
            };
            let exists = txn
                .open_table(crate::store::entity::table_of(kind))?
                .get(record)?
                .is_some();
            if !exists {
                gone.push((batch, record));
            }
        }
    }
    let mut t = txn.open_table(IMPORT_MEMBERS)?;
    for k in gone {
        t.remove(k)?;
    }
    Ok(())
}
