//! The redb storage backend of an encrypted database: redb's logical file cut into 4 KiB
//! blocks (redb's page size), each stored sealed with XChaCha20-Poly1305 under a fresh random
//! nonce, with the file id and the block's index as associated data.
//!
//! Physical layout (docs/ARCHITECTURE.md, "Encryption at rest"):
//!
//! ```text
//! 0        superblock copy A (16 KiB)        see superblock.rs
//! 16 KiB   superblock copy B (16 KiB)
//! 32 KiB   block 0, copy 0: seq (8) ‖ nonce (24) ‖ sealed 4096 ‖ tag (16)
//!          block 0, copy 1: the same
//!          block 1, 2, …: nonce (24) ‖ sealed 4096 ‖ tag (16)
//! ```
//!
//! Block 0 holds redb's header, the one thing redb writes in place: it is kept in two copies
//! with a sequence number (in the associated data). Every write of it goes to the copy that
//! does not hold the last *synced* header, so a power loss at any moment leaves that one
//! intact; reading takes the newest copy that authenticates. Every other block is written
//! only while it is free in the last commit (redb's copy-on-write), so a torn write of it
//! can only hit a block the commit being written owns.
//!
//! A block that fails authentication is tampering — a clear error, never data — except
//! while redb recovers from an interrupted commit (the header says a writer did not close):
//! then it reads as zeros, whose checksum redb's recovery rejects, so redb falls back to the
//! previous commit, as it does for a torn page of a plain file. A block that is all zeros on
//! disk was never written (the file was extended) and reads as zeros.

mod read;

use super::behind::Behind;
use super::keys::{NONCE_LEN, TAG_LEN, Unlocked, random};
use super::readahead::ReadAhead;
use super::superblock::{self, SUPER_LEN};
use crate::store::StoreError;
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::aead::inout::InOutBuf;
use redb::{BackendError, StorageBackend};
use std::io;
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use zeroize::Zeroizing;

/// Bytes of a logical block (redb's page size).
pub const BLOCK: u64 = 4096;
/// Bytes of a stored block.
const STORED: u64 = NONCE_LEN as u64 + BLOCK + TAG_LEN as u64;
/// Bytes of a stored copy of block 0 (with its sequence number).
const HEADER_COPY: u64 = 8 + STORED;
const HEADER_BASE: u64 = SUPER_LEN;
const DATA_BASE: u64 = HEADER_BASE + 2 * HEADER_COPY;
/// redb's header flags (god byte at offset 9) that mean a writer did not close the file.
const REDB_GOD_BYTE: usize = 9;
const REDB_UNCLEAN: u8 = 2 | 8;
/// Marks the I/O error of a block that failed authentication (see [`is_tampering`]).
const TAMPER_MARK: &str = "[blocco cifrato alterato]";

/// Where stored block `i` (≥ 1) starts.
fn stored_at(i: u64) -> u64 {
    DATA_BASE + (i - 1) * STORED
}

/// The logical length for a physical one.
fn logical_len(physical: u64) -> u64 {
    if physical < DATA_BASE {
        0
    } else {
        ((physical - DATA_BASE) / STORED + 1) * BLOCK
    }
}

/// The physical length for a logical one.
fn physical_len(logical: u64) -> u64 {
    if logical == 0 {
        SUPER_LEN
    } else {
        stored_at(logical.div_ceil(BLOCK))
    }
}

/// True when a storage error's text says a block failed authentication.
pub(crate) fn is_tampering(text: &str) -> bool {
    text.contains(TAMPER_MARK)
}

fn tampered(block: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{TAMPER_MARK} blocco {block} del file"),
    )
}

/// The in-memory state of block 0 (redb's header).
struct HeaderState {
    plain: Zeroizing<Vec<u8>>,
    seq: u64,
    /// The copy holding the last header that was synced (never overwritten).
    protected: Option<usize>,
    /// The copy written since the last sync.
    dirty: Option<usize>,
}

/// What the backend and the [`Store`](crate::store::Store) share: the file, the keys, the
/// state of block 0. Dropped with the store: the keys are zeroized. The keys can also be
/// forgotten while the store stays open ([`Shared::forget`], the window's lock): then every
/// block read or written is refused with [`LOCKED`] until [`Shared::recover`].
pub struct Shared {
    inner: Box<dyn StorageBackend>,
    cipher: RwLock<Option<XChaCha20Poly1305>>,
    file_id: [u8; 16],
    /// The id of the data key this file is sealed with (kept while the keys are forgotten,
    /// so that keys brought back are checked to be this file's).
    key_id: [u8; 16],
    header: Mutex<HeaderState>,
    recovering: AtomicBool,
    substituted: AtomicU64,
    keys: Mutex<Option<Unlocked>>,
    /// Keeps the keys known for reading this database's backups while they are loaded.
    known: Mutex<Option<super::backup_keys::KnownKeys>>,
    /// Blocks read ahead of a sequence of reads, opened on two threads.
    readahead: ReadAhead,
    /// Seals on a helper thread behind the writer (files being rebuilt only).
    behind: std::sync::OnceLock<Behind>,
}

/// The message of a block read or written while the keys are forgotten.
pub(crate) const LOCKED: &str =
    "database bloccato: la chiave non è in memoria finché qualcuno non accede di nuovo";

fn locked() -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, LOCKED)
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

/// The redb backend: a handle on [`Shared`].
#[derive(Debug)]
pub struct EncryptedBackend(pub(crate) Arc<Shared>);

impl Shared {
    /// Opens the encrypted file under `inner` (its superblock already written) with `keys`.
    pub(crate) fn open(
        inner: Box<dyn StorageBackend>,
        keys: Unlocked,
    ) -> Result<Shared, StoreError> {
        let sb = superblock::read_valid(&*inner)?;
        let shared = Shared {
            cipher: RwLock::new(Some(keys.blocks.clone())),
            file_id: sb.file_id,
            key_id: keys.part.key_id,
            header: Mutex::new(HeaderState {
                plain: Zeroizing::new(vec![0; BLOCK as usize]),
                seq: 0,
                protected: None,
                dirty: None,
            }),
            recovering: AtomicBool::new(false),
            substituted: AtomicU64::new(0),
            known: Mutex::new(Some(super::backup_keys::remember(&keys))),
            keys: Mutex::new(Some(keys)),
            readahead: ReadAhead::default(),
            behind: std::sync::OnceLock::new(),
            inner,
        };
        shared.load_header()?;
        Ok(shared)
    }

    /// The id of the data key of this file.
    pub(crate) fn key_id(&self) -> [u8; 16] {
        self.key_id
    }

    /// The raw file (for the superblock).
    pub(crate) fn raw(&self) -> &dyn StorageBackend {
        &*self.inner
    }

    /// The keys (for slot changes and backups); refused while they are forgotten.
    pub(crate) fn keys(&self) -> Result<Unlocked, StoreError> {
        self.keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| StoreError::Crypt(LOCKED.into()))
    }

    /// Keeps `keys` (after a change of the key slots, or a recovery after a lock).
    pub(crate) fn set_keys(&self, keys: Unlocked) {
        *self.cipher.write().unwrap_or_else(|p| p.into_inner()) = Some(keys.blocks.clone());
        *self.known.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(super::backup_keys::remember(&keys));
        *self.keys.lock().unwrap_or_else(|p| p.into_inner()) = Some(keys);
    }

    /// Forgets the keys: the data key, the block cipher and the backup identity leave
    /// memory (zeroized on drop). What redb already holds in its page cache stays.
    pub(crate) fn forget(&self) {
        let _ = self.drain_behind();
        *self.cipher.write().unwrap_or_else(|p| p.into_inner()) = None;
        *self.known.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.keys.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.readahead.forget();
    }

    /// True while the keys are in memory.
    pub(crate) fn loaded(&self) -> bool {
        self.cipher
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// redb has opened the file: from now on a block that fails authentication is an error.
    pub(crate) fn opened(&self) {
        self.recovering.store(false, Ordering::Release);
    }

    /// How many blocks failed authentication during recovery (read as zeros).
    pub(crate) fn substituted(&self) -> u64 {
        self.substituted.load(Ordering::Acquire)
    }

    fn aad(&self, block: u64, seq: u64) -> [u8; 36] {
        let mut a = [0u8; 36];
        a[..4].copy_from_slice(b"blk1");
        a[4..20].copy_from_slice(&self.file_id);
        a[20..28].copy_from_slice(&block.to_le_bytes());
        a[28..].copy_from_slice(&seq.to_le_bytes());
        a
    }

    /// Seals `plain` (one block) into `out` (`STORED` bytes); refused without the keys.
    fn seal_into(&self, block: u64, seq: u64, plain: &[u8], out: &mut [u8]) -> io::Result<()> {
        let cipher = self.cipher.read().unwrap_or_else(|p| p.into_inner());
        let cipher = cipher.as_ref().ok_or_else(locked)?;
        let nonce = random::<NONCE_LEN>();
        let (n, rest) = out.split_at_mut(NONCE_LEN);
        n.copy_from_slice(&nonce);
        let (body, tag) = rest.split_at_mut(BLOCK as usize);
        // Encrypts from `plain` straight into the stored body. Fails only for messages over
        // 256 GiB or buffers of different lengths (both one block here).
        let buf = InOutBuf::new(plain, body).expect("one block each");
        let t = cipher
            .encrypt_inout_detached(
                &chacha20poly1305::XNonce::from(nonce),
                &self.aad(block, seq),
                buf,
            )
            .expect("block length");
        tag.copy_from_slice(&t);
        Ok(())
    }

    /// Opens a stored block into `out` (one block). `false`: it does not authenticate (or
    /// the keys are forgotten, which callers check first).
    fn open_into(&self, block: u64, seq: u64, stored: &[u8], out: &mut [u8]) -> bool {
        let cipher = self.cipher.read().unwrap_or_else(|p| p.into_inner());
        let Some(cipher) = cipher.as_ref() else {
            return false;
        };
        let (nonce, rest) = stored.split_at(NONCE_LEN);
        let (body, tag) = rest.split_at(BLOCK as usize);
        let (Ok(nonce), Ok(tag), Ok(buf)) = (
            <&chacha20poly1305::XNonce>::try_from(nonce),
            <&chacha20poly1305::Tag>::try_from(tag),
            InOutBuf::new(body, out),
        ) else {
            return false;
        };
        // Decrypts from the stored body straight into `out`.
        cipher
            .decrypt_inout_detached(nonce, &self.aad(block, seq), buf, tag)
            .is_ok()
    }

    fn header(&self) -> MutexGuard<'_, HeaderState> {
        self.header.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads both copies of block 0 and keeps the newest that authenticates.
    fn load_header(&self) -> Result<(), StoreError> {
        let len = self
            .inner
            .len()
            .map_err(|e| StoreError::Db(format!("lettura del database cifrato: {e}")))?;
        let mut h = self.header();
        let mut any_written = false;
        let mut plain = Zeroizing::new(vec![0u8; BLOCK as usize]);
        for copy in 0..2usize {
            let at = HEADER_BASE + copy as u64 * HEADER_COPY;
            if len < at + HEADER_COPY {
                continue;
            }
            let mut stored = vec![0u8; HEADER_COPY as usize];
            self.inner
                .read(at, &mut stored)
                .map_err(|e| StoreError::Db(format!("lettura del database cifrato: {e}")))?;
            if stored.iter().all(|&b| b == 0) {
                continue;
            }
            any_written = true;
            let seq = u64::from_le_bytes(stored[..8].try_into().unwrap_or_default());
            if seq > h.seq && self.open_into(0, seq, &stored[8..], &mut plain) {
                h.plain.copy_from_slice(&plain);
                h.seq = seq;
                h.protected = Some(copy);
            }
        }
        if any_written && h.protected.is_none() {
            return Err(StoreError::Tampered {
                what: "l'intestazione del database".into(),
            });
        }
        if h.plain[..4] == *b"redb" && h.plain[REDB_GOD_BYTE] & REDB_UNCLEAN != 0 {
            self.recovering.store(true, Ordering::Release);
            // What a killed writer left in the system's cache goes to the disk before any
            // copy of the header is written again (redb does the same for a plain file).
            self.inner
                .sync_data()
                .map_err(|e| StoreError::Db(format!("sincronizzazione del database: {e}")))?;
        }
        Ok(())
    }

    /// Writes bytes of block 0 at `within`: the next copy, never the protected one.
    fn write_header(&self, within: usize, data: &[u8]) -> io::Result<()> {
        let mut h = self.header();
        h.plain[within..within + data.len()].copy_from_slice(data);
        h.seq += 1;
        let copy = match h.protected {
            Some(p) => 1 - p,
            None => 0,
        };
        let mut stored = vec![0u8; HEADER_COPY as usize];
        stored[..8].copy_from_slice(&h.seq.to_le_bytes());
        self.seal_into(0, h.seq, &h.plain, &mut stored[8..])?;
        self.inner
            .write(HEADER_BASE + copy as u64 * HEADER_COPY, &stored)?;
        h.dirty = Some(copy);
        Ok(())
    }

    /// From now on, whole blocks are sealed and written by a helper thread behind the
    /// writer (see behind.rs): for a file being rebuilt, which nobody uses until its builder
    /// has synced, checked and reopened it.
    pub(crate) fn seal_behind(self: &Arc<Self>) {
        if let Some(b) = Behind::start(Arc::downgrade(self)) {
            let _ = self.behind.set(b);
        }
    }

    /// Waits until the blocks handed to the helper are written (nothing to wait for on a
    /// live file).
    fn drain_behind(&self) -> io::Result<()> {
        match self.behind.get() {
            Some(b) => b.drain(),
            None => Ok(()),
        }
    }

    /// Seals and writes blocks handed to the helper (see behind.rs), then forgets what was
    /// read ahead.
    pub(super) fn seal_and_write(&self, blocks: &[super::behind::Handed]) -> io::Result<()> {
        let mut stored = vec![0u8; STORED as usize];
        let result = blocks.iter().try_for_each(|(b, _, plain)| {
            self.seal_into(*b, 0, plain, &mut stored)?;
            self.inner.write(stored_at(*b), &stored)
        });
        self.readahead.clear();
        result
    }

    /// Seals and writes `data` at logical `offset` (block 0 to its copies).
    fn write_blocks(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let s = self;
        let mut pos = offset;
        let mut done = 0usize;
        while done < data.len() {
            let block = pos / BLOCK;
            let within = (pos % BLOCK) as usize;
            let n = (BLOCK as usize - within).min(data.len() - done);
            if block == 0 {
                s.write_header(within, &data[done..done + n])?;
                done += n;
                pos += n as u64;
                continue;
            }
            if within == 0 && n == BLOCK as usize {
                let count = (data.len() - done) / BLOCK as usize;
                if let Some(behind) = s.behind.get() {
                    behind.put(block, &data[done..done + count * BLOCK as usize])?;
                    done += count * BLOCK as usize;
                    pos += (count as u64) * BLOCK;
                    continue;
                }
                // A run of whole blocks: sealed into one buffer, written with one call.
                let mut stored = vec![0u8; count * STORED as usize];
                for (k, (plain, out)) in data[done..done + count * BLOCK as usize]
                    .chunks_exact(BLOCK as usize)
                    .zip(stored.chunks_exact_mut(STORED as usize))
                    .enumerate()
                {
                    s.seal_into(block + k as u64, 0, plain, out)?;
                }
                s.inner.write(stored_at(block), &stored)?;
                done += count * BLOCK as usize;
                pos += (count as u64) * BLOCK;
                continue;
            }
            // Part of a block (redb writes whole pages; kept correct for any caller).
            s.drain_behind()?;
            let mut plain = Zeroizing::new(vec![0u8; BLOCK as usize]);
            if stored_at(block) + STORED <= s.inner.len()? {
                s.read_blocks(block, &mut plain)?;
            }
            plain[within..within + n].copy_from_slice(&data[done..done + n]);
            let mut stored = vec![0u8; STORED as usize];
            s.seal_into(block, 0, &plain, &mut stored)?;
            s.inner.write(stored_at(block), &stored)?;
            done += n;
            pos += n as u64;
        }
        Ok(())
    }
}

impl StorageBackend for EncryptedBackend {
    fn len(&self) -> Result<u64, io::Error> {
        Ok(logical_len(self.0.inner.len()?))
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), io::Error> {
        let s = &self.0;
        if let Some(b) = s.behind.get() {
            let first = offset / BLOCK;
            if b.holds(first, (offset + out.len() as u64).div_ceil(BLOCK) - first) {
                b.drain()?;
            }
        }
        let mut pos = offset;
        let mut done = 0usize;
        while done < out.len() {
            let block = pos / BLOCK;
            let within = (pos % BLOCK) as usize;
            if block == 0 {
                let n = (BLOCK as usize - within).min(out.len() - done);
                let h = s.header();
                out[done..done + n].copy_from_slice(&h.plain[within..within + n]);
                done += n;
                pos += n as u64;
                continue;
            }
            if within == 0 && out.len() - done >= BLOCK as usize {
                // Whole blocks, opened straight into the caller's buffer.
                let whole = (out.len() - done) / BLOCK as usize * BLOCK as usize;
                s.read_sequential(block, &mut out[done..done + whole])?;
                done += whole;
                pos += whole as u64;
                continue;
            }
            let mut tmp = Zeroizing::new(vec![0u8; BLOCK as usize]);
            s.read_blocks(block, &mut tmp)?;
            let n = (BLOCK as usize - within).min(out.len() - done);
            out[done..done + n].copy_from_slice(&tmp[within..within + n]);
            done += n;
            pos += n as u64;
        }
        Ok(())
    }

    fn set_len(&self, len: u64) -> Result<(), io::Error> {
        if !len.is_multiple_of(BLOCK) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "lunghezza non multipla del blocco cifrato",
            ));
        }
        self.0.drain_behind()?;
        if len == 0 {
            let mut h = self.0.header();
            h.plain.fill(0);
            h.seq = 0;
            h.protected = None;
            h.dirty = None;
        }
        let result = self.0.inner.set_len(physical_len(len));
        self.0.readahead.clear();
        result
    }

    fn sync_data(&self) -> Result<(), io::Error> {
        self.0.drain_behind()?;
        // Held across the sync: a header written meanwhile must not count as synced.
        let mut h = self.0.header();
        self.0.inner.sync_data()?;
        if let Some(d) = h.dirty.take() {
            h.protected = Some(d);
        }
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), io::Error> {
        let result = self.0.write_blocks(offset, data);
        // After the write, done or not: a run read ahead before it may hold the old content.
        self.0.readahead.clear();
        result
    }

    fn close(&self) -> Result<(), io::Error> {
        // The file is closed (its locks released) even when a block could not be written.
        let written = self.0.drain_behind();
        let closed = self.0.inner.close();
        written.and(closed)
    }

    fn try_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.0.inner.try_lock_range(start, end)
    }

    fn try_lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, BackendError> {
        self.0.inner.try_lock_shared_range(start, end)
    }

    fn lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.0.inner.lock_range(start, end)
    }

    fn lock_shared_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.0.inner.lock_shared_range(start, end)
    }

    fn unlock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.0.inner.unlock_range(start, end)
    }

    fn query_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.0.inner.query_lock_range(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_map_both_ways() {
        for blocks in [0u64, 1, 2, 17, 1000] {
            let l = blocks * BLOCK;
            assert_eq!(logical_len(physical_len(l)), l);
        }
        assert_eq!(logical_len(SUPER_LEN), 0);
    }
}
