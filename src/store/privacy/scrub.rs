//! Audit entries about an erased person keep their id (opaque by itself) but not the text
//! typed with them (the purpose of a read, the reason of an accesso straordinario, which may
//! name the person). Blanking a text changes the entry's hash, so the chain is linked again
//! from the first blanked entry to the head, in the erasure's own transaction.

use crate::domain::Id;
use crate::store::StoreError;
use crate::store::audit::{self, Chained, GENESIS, KEY_HEAD, StoredAudit};
use crate::store::tables::{AUDIT, META};
use redb::{ReadableTable, WriteTransaction};

/// What replaces the text of an audit entry about an erased person.
pub const BLANKED: &str = "[testo cancellato: art. 17]";

/// Blanks the `detail` of every audit entry whose record is one of `ids` and links the
/// chain again after the first one. Returns how many entries were blanked.
pub(crate) fn blank_details(
    txn: &WriteTransaction,
    ids: &std::collections::HashSet<Id>,
) -> Result<u64, StoreError> {
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
