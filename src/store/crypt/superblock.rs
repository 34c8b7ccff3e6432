//! The superblock at the start of an encrypted database: two copies (A at 0, B at 16 KiB),
//! each with a sequence number and a SHA-256 of itself, written alternately — the copy that
//! is not the newest valid one — and synced, so a write torn by a power loss leaves the other
//! copy intact. It holds, readable without the key, the file's id, the key part (the key
//! slots, each wrapping the data key; the recovery slot; the slot names, sealed) and the
//! failed-unlock counters of each slot (numbers only, never personal data).

use super::keys::NONCE_LEN;
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::io;

/// The first bytes of each superblock copy.
pub(crate) const MAGIC: [u8; 8] = *b"ACCRYPT\x01";
/// Bytes of one superblock copy.
pub(crate) const COPY_LEN: u64 = 16 * 1024;
/// Bytes of the two copies, where the encrypted blocks begin.
pub(crate) const SUPER_LEN: u64 = 2 * COPY_LEN;
/// The most failed-unlock counters a superblock keeps (22 bytes each).
pub(crate) const MAX_COUNTERS: usize = 64;
/// The superblock format written by this version.
const FORMAT: u16 = 1;
const DIGEST: usize = 32;
const PREFIX: usize = MAGIC.len() + 4;

/// Something sealed: a nonce and ciphertext ‖ tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Wrapped {
    pub(crate) nonce: [u8; NONCE_LEN],
    pub(crate) sealed: Vec<u8>,
}

/// Argon2id parameters of a key slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KdfParams {
    /// Memory in KiB.
    pub(crate) m_kib: u32,
    /// Passes.
    pub(crate) t: u32,
    /// Lanes.
    pub(crate) p: u32,
}

/// One key slot: the data key wrapped by a key derived from a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Slot {
    /// Hash of the slot's name (see `keys::slot_id`).
    pub(crate) id: [u8; 16],
    pub(crate) kdf: KdfParams,
    pub(crate) salt: [u8; 16],
    pub(crate) wrapped: Wrapped,
}

/// Everything about the keys: the same in a database, the files rebuilt from it and its
/// backups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct KeyPart {
    /// Identifies the data key (random, made with it).
    pub(crate) key_id: [u8; 16],
    pub(crate) slots: Vec<Slot>,
    pub(crate) recovery: Option<Wrapped>,
    /// The slot names, sealed with a key derived from the data key; the associated data is
    /// the rest of the key part, so this also authenticates it.
    pub(crate) names: Wrapped,
}

/// Failed unlocks of one slot (plaintext: written without the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Counter {
    pub(crate) slot: [u8; 16],
    pub(crate) failures: u32,
    pub(crate) last_failure: i64,
}

/// One copy of the superblock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Superblock {
    pub(crate) format: u16,
    pub(crate) seq: u64,
    /// Identifies this file (associated data of every block): blocks cannot be moved
    /// between files.
    pub(crate) file_id: [u8; 16],
    pub(crate) keys: KeyPart,
    pub(crate) counters: Vec<Counter>,
}

impl Superblock {
    /// The superblock of a new file holding `keys`.
    pub(crate) fn new(keys: KeyPart, counters: Vec<Counter>) -> Superblock {
        Superblock {
            format: FORMAT,
            seq: 0,
            file_id: super::keys::random(),
            keys,
            counters,
        }
    }

    fn encode(&self) -> Result<Vec<u8>, StoreError> {
        let body = postcard::to_allocvec(self).map_err(|e| StoreError::Crypt(e.to_string()))?;
        if (PREFIX + body.len() + DIGEST) as u64 > COPY_LEN {
            return Err(StoreError::Crypt(
                "troppe chiavi d'accesso per l'intestazione del database".into(),
            ));
        }
        let mut out = Vec::with_capacity(COPY_LEN as usize);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&body);
        let d = sha2::Sha256::digest(&out);
        out.extend_from_slice(&d);
        Ok(out)
    }

    /// Reads one copy; `None` when it is missing, torn or damaged.
    fn decode(bytes: &[u8]) -> Option<Superblock> {
        if bytes.len() < PREFIX || bytes[..MAGIC.len()] != MAGIC {
            return None;
        }
        let n = u32::from_le_bytes(bytes[MAGIC.len()..PREFIX].try_into().ok()?) as usize;
        let end = PREFIX.checked_add(n)?;
        if end + DIGEST > bytes.len() {
            return None;
        }
        if sha2::Sha256::digest(&bytes[..end])[..] != bytes[end..end + DIGEST] {
            return None;
        }
        let sb: Superblock = postcard::from_bytes(&bytes[PREFIX..end]).ok()?;
        (sb.format == FORMAT).then_some(sb)
    }

    /// The counter of a slot (created at zero). At most [`MAX_COUNTERS`] are kept: failed
    /// unlocks under ever new names (which have no slot) must not fill the superblock,
    /// which would stop both the counting and every change of the key slots. Room is made
    /// by forgetting first the counters of names without a slot, oldest failure first.
    pub(crate) fn counter(&mut self, slot: [u8; 16]) -> &mut Counter {
        if let Some(i) = self.counters.iter().position(|c| c.slot == slot) {
            return &mut self.counters[i];
        }
        if self.counters.len() >= MAX_COUNTERS {
            let slots: Vec<[u8; 16]> = self.keys.slots.iter().map(|s| s.id).collect();
            let evict = self
                .counters
                .iter()
                .enumerate()
                .min_by_key(|(_, c)| (slots.contains(&c.slot), c.last_failure))
                .map(|(i, _)| i);
            if let Some(i) = evict {
                self.counters.remove(i);
            }
        }
        self.counters.push(Counter {
            slot,
            failures: 0,
            last_failure: 0,
        });
        self.counters.last_mut().expect("just pushed")
    }
}

/// Raw access to the file under the encryption (the redb file backend, or a test's disk).
pub(crate) trait Raw {
    fn raw_len(&self) -> io::Result<u64>;
    fn raw_read(&self, offset: u64, out: &mut [u8]) -> io::Result<()>;
    fn raw_write(&self, offset: u64, data: &[u8]) -> io::Result<()>;
    fn raw_set_len(&self, len: u64) -> io::Result<()>;
    fn raw_sync(&self) -> io::Result<()>;
}

impl<T: redb::StorageBackend + ?Sized> Raw for T {
    fn raw_len(&self) -> io::Result<u64> {
        self.len()
    }
    fn raw_read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        self.read(offset, out)
    }
    fn raw_write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.write(offset, data)
    }
    fn raw_set_len(&self, len: u64) -> io::Result<()> {
        self.set_len(len)
    }
    fn raw_sync(&self) -> io::Result<()> {
        self.sync_data()
    }
}

/// What the start of a file says about encryption.
pub(crate) enum Found {
    /// No superblock magic: not an encrypted database.
    None,
    /// The newest valid copy and where it is (0 or 1).
    Valid(Superblock, usize),
    /// The magic is there but neither copy is intact.
    Damaged,
}

/// Reads both copies and keeps the newest intact one.
pub(crate) fn read<R: Raw + ?Sized>(raw: &R) -> io::Result<Found> {
    let len = raw.raw_len()?;
    let mut best: Option<(Superblock, usize)> = None;
    let mut magic = false;
    for i in 0..2u64 {
        let start = i * COPY_LEN;
        if len < start + PREFIX as u64 {
            continue;
        }
        let n = (len - start).min(COPY_LEN) as usize;
        let mut buf = vec![0u8; n];
        raw.raw_read(start, &mut buf)?;
        magic |= buf.starts_with(&MAGIC);
        if let Some(sb) = Superblock::decode(&buf)
            && best.as_ref().is_none_or(|(b, _)| sb.seq > b.seq)
        {
            best = Some((sb, i as usize));
        }
    }
    Ok(match best {
        Some((sb, i)) => Found::Valid(sb, i),
        None if magic => Found::Damaged,
        None => Found::None,
    })
}

/// Writes `sb` as the next copy: sequence number one past the newest on disk, into the copy
/// that does not hold it, then syncs. A torn write leaves the newest copy as it was.
pub(crate) fn write_next<R: Raw + ?Sized>(raw: &R, sb: &mut Superblock) -> Result<(), StoreError> {
    let io = |e: io::Error| StoreError::Db(format!("scrittura dell'intestazione cifrata: {e}"));
    let (seq, target) = match read(raw).map_err(io)? {
        Found::Valid(cur, i) => (cur.seq.max(sb.seq) + 1, 1 - i),
        Found::None | Found::Damaged => (sb.seq + 1, 0),
    };
    sb.seq = seq;
    let bytes = sb.encode()?;
    if raw.raw_len().map_err(io)? < SUPER_LEN {
        raw.raw_set_len(SUPER_LEN).map_err(io)?;
    }
    raw.raw_write(target as u64 * COPY_LEN, &bytes)
        .map_err(io)?;
    raw.raw_sync().map_err(io)
}

/// The newest superblock, or why there is none.
pub(crate) fn read_valid<R: Raw + ?Sized>(raw: &R) -> Result<Superblock, StoreError> {
    match read(raw)
        .map_err(|e| StoreError::Db(format!("lettura dell'intestazione cifrata: {e}")))?
    {
        Found::Valid(sb, _) => Ok(sb),
        Found::None => Err(StoreError::Crypt(
            "il file non è un database cifrato".into(),
        )),
        Found::Damaged => Err(StoreError::Tampered {
            what: "l'intestazione con le chiavi d'accesso".into(),
        }),
    }
}

/// Read-modify-write of the superblock on disk: `change` applied to the newest copy, then
/// written as the next one.
pub(crate) fn update<R: Raw + ?Sized>(
    raw: &R,
    change: impl FnOnce(&mut Superblock) -> Result<(), StoreError>,
) -> Result<Superblock, StoreError> {
    let mut sb = read_valid(raw)?;
    change(&mut sb)?;
    write_next(raw, &mut sb)?;
    Ok(sb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_round_trip_and_a_torn_one_is_ignored() {
        let part = KeyPart {
            key_id: [7; 16],
            slots: vec![],
            recovery: None,
            names: Wrapped::default(),
        };
        let sb = Superblock::new(part, vec![]);
        let bytes = sb.encode().unwrap();
        assert_eq!(Superblock::decode(&bytes), Some(sb.clone()));
        let mut torn = bytes.clone();
        let k = torn.len() / 2;
        torn[k] ^= 0x55;
        assert_eq!(Superblock::decode(&torn), None);
        assert_eq!(Superblock::decode(&bytes[..bytes.len() - 1]), None);
    }
}
