//! The audit log, tamper-evident: every entry written since the log is chained (envelope
//! version 2) carries the SHA-256 of the entry before it and its own, so altering,
//! removing or inserting an entry breaks a link that `check` names.
//!
//! Entries written before the chain existed (envelope version 1, no hash) are accepted as
//! the chain's start: the first chained entry links to 32 zero bytes. An unchained entry
//! *after* the chain started is reported (someone wrote it without the chain). The head of
//! the chain (the last entry's id and hash) is also kept in `meta`, so removing the last
//! entries is noticed, and it goes into every backup's header.

use super::StoreError;
use super::codec::CodecError;
use super::tables::{AUDIT, META};
use crate::domain::{AuditEntry, AuditRecord, Id};
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Where the chain starts: the "previous hash" of the first chained entry.
pub const GENESIS: Hash = [0; 32];

/// The `meta` key holding the chain's head: the last entry's id (16 bytes, big-endian)
/// and hash (32 bytes).
pub const KEY_HEAD: &str = "audit_head";

/// A chained entry: the record, the previous entry's hash and its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chained {
    /// The entry.
    pub record: AuditRecord,
    /// The hash of the entry before it ([`GENESIS`] for the first).
    pub prev: Hash,
    /// SHA-256 over a label, `prev` and the record's encoding.
    pub hash: Hash,
}

/// An audit value as stored: version 1 (before the chain) or version 2 (chained). The
/// variant index comes first, like every other envelope, so version 1 bytes are exactly
/// those `codec::encode(&AuditEntry)` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoredAudit {
    /// Written before the chain: no hash.
    V1(AuditEntry),
    /// Chained.
    V2(Chained),
}

impl StoredAudit {
    /// The entry, whatever its version.
    pub fn record(&self) -> AuditRecord {
        match self {
            StoredAudit::V1(e) => e.clone().into(),
            StoredAudit::V2(c) => c.record.clone(),
        }
    }
}

/// Decodes a stored audit value; trailing bytes are an error.
pub fn decode(bytes: &[u8]) -> Result<StoredAudit, CodecError> {
    let (v, rest): (StoredAudit, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|e| CodecError(e.to_string()))?;
    if !rest.is_empty() {
        return Err(CodecError(format!("{} byte in eccesso", rest.len())));
    }
    Ok(v)
}

/// The hash of an entry linked after `prev`.
pub fn link_hash(prev: &Hash, record: &AuditRecord) -> Hash {
    let mut h = Sha256::new();
    h.update(b"accoglienza-audit-v2\0");
    h.update(prev);
    h.update(postcard::to_allocvec(record).expect("postcard encoding into a Vec cannot fail"));
    h.finalize().into()
}

/// Appends an entry at the end of the chain, inside the caller's write transaction: its
/// key is after every existing key (a clock set back cannot put it before the head).
pub(crate) fn append(txn: &WriteTransaction, record: AuditRecord) -> Result<Id, StoreError> {
    let mut t = txn.open_table(AUDIT)?;
    let (last_key, prev) = match t.last()? {
        Some((k, v)) => {
            let prev = match decode(v.value())? {
                StoredAudit::V1(_) => GENESIS,
                StoredAudit::V2(c) => c.hash,
            };
            (k.value(), prev)
        }
        None => (0, GENESIS),
    };
    let key = Id::new().0.max(last_key.saturating_add(1));
    let hash = link_hash(&prev, &record);
    let bytes = postcard::to_allocvec(&StoredAudit::V2(Chained { record, prev, hash }))
        .expect("postcard encoding into a Vec cannot fail");
    t.insert(key, bytes.as_slice())?;
    drop(t);
    let mut head = Vec::with_capacity(48);
    head.extend_from_slice(&key.to_be_bytes());
    head.extend_from_slice(&hash);
    txn.open_table(META)?.insert(KEY_HEAD, head.as_slice())?;
    Ok(Id(key))
}

/// The chain's head as kept in `meta`: (last entry id, its hash).
pub fn parse_head(bytes: &[u8]) -> Option<(Id, Hash)> {
    if bytes.len() != 48 {
        return None;
    }
    let key = u128::from_be_bytes(bytes[..16].try_into().ok()?);
    let hash: Hash = bytes[16..].try_into().ok()?;
    Some((Id(key), hash))
}

/// Hex text of a hash (backup headers, reports).
pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// What verifying the chain found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Entries read.
    pub entries: u64,
    /// Entries before the chain started (accepted as its start).
    pub unchained: u64,
    /// The last chained entry's id and hash.
    pub head: Option<(Id, Hash)>,
    /// Every broken link, in Italian, naming the entries.
    pub problems: Vec<String>,
}

fn describe(n: u64, id: Id, r: Option<&AuditRecord>) -> String {
    match r {
        Some(r) => format!(
            "voce n. {n} ({}, {} del {})",
            id,
            r.action.label(),
            r.at.format("%d/%m/%Y %H:%M")
        ),
        None => format!("voce n. {n} ({id})"),
    }
}

/// Verifies the chain over `entries` (key order) against the head kept in `meta`.
pub fn verify(
    entries: impl Iterator<Item = Result<(u128, Vec<u8>), StoreError>>,
    meta_head: Option<(Id, Hash)>,
) -> Result<ChainReport, StoreError> {
    let mut rep = ChainReport::default();
    // The previous chained entry: (number, id, record, hash).
    let mut prev: Option<(u64, Id, AuditRecord, Hash)> = None;
    let mut started = false;
    for item in entries {
        let (key, value) = item?;
        rep.entries += 1;
        let n = rep.entries;
        let id = Id(key);
        match decode(&value) {
            Err(e) => {
                rep.problems.push(format!(
                    "registro: {} illeggibile ({e}): la catena si interrompe qui",
                    describe(n, id, None)
                ));
                prev = None;
                started = true;
            }
            Ok(StoredAudit::V1(e)) => {
                if started {
                    rep.problems.push(format!(
                        "registro: {} è senza impronta dopo l'inizio della catena: inserita o riscritta fuori dal programma",
                        describe(n, id, Some(&e.into()))
                    ));
                } else {
                    rep.unchained += 1;
                }
            }
            Ok(StoredAudit::V2(c)) => {
                if link_hash(&c.prev, &c.record) != c.hash {
                    rep.problems.push(format!(
                        "registro: {} è stata alterata: l'impronta registrata non corrisponde al suo contenuto",
                        describe(n, id, Some(&c.record))
                    ));
                }
                match &prev {
                    Some((pn, pid, pr, ph)) if *ph != c.prev => rep.problems.push(format!(
                        "registro: anello rotto tra la {} e la {}: una voce tra le due è stata tolta, o la precedente modificata",
                        describe(*pn, *pid, Some(pr)),
                        describe(n, id, Some(&c.record))
                    )),
                    None if !started && c.prev != GENESIS => rep.problems.push(format!(
                        "registro: la {} è la prima della catena ma non ne segna l'inizio: le voci prima di essa sono state tolte",
                        describe(n, id, Some(&c.record))
                    )),
                    _ => {}
                }
                started = true;
                prev = Some((n, id, c.record, c.hash));
            }
        }
    }
    rep.head = prev.as_ref().map(|(_, id, _, h)| (*id, *h));
    // Chained entries without the head they wrote: the head was removed (with the last
    // entries, perhaps), which only someone writing the file behind the program can do.
    if meta_head.is_none()
        && let Some((n, id, r, _)) = &prev
    {
        rep.problems.push(format!(
            "registro: la testa della catena manca, ma il registro ha voci concatenate fino alla {}: la testa è stata tolta (e forse le ultime voci con essa)",
            describe(*n, *id, Some(r))
        ));
    }
    if let Some((hid, hhash)) = meta_head
        && rep
            .head
            .as_ref()
            .is_none_or(|(id, h)| *id != hid || *h != hhash)
    {
        rep.problems.push(match &prev {
            Some((n, id, r, _)) if id.0 < hid.0 => format!(
                "registro: l'ultima voce è la {}, ma la catena arrivava alla voce {hid}: le voci finali sono state tolte",
                describe(*n, *id, Some(r))
            ),
            _ => format!(
                "registro: la testa della catena (voce {hid}) non corrisponde all'ultima voce del registro"
            ),
        });
    }
    Ok(rep)
}
