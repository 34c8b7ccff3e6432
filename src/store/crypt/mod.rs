//! Encryption at rest: a database file unreadable without a key. redb runs on an
//! [`EncryptedBackend`] that seals every 4 KiB block with XChaCha20-Poly1305; the data key is
//! wrapped once per key slot (an account's password, Argon2id) and once by a recovery key,
//! in a superblock at the start of the file. See docs/SECURITY.md (key hierarchy, threat
//! model) and docs/ARCHITECTURE.md (layout, crash safety).

mod backend;
pub(crate) mod backup_keys;
mod behind;
mod keys;
mod readahead;
mod store_api;
mod superblock;

pub use backend::{BLOCK, EncryptedBackend};
pub use backup_keys::{KnownKeys, unlock_backup};
pub use keys::RecoveryKey;
pub use secrecy::{ExposeSecret, SecretString};
pub use store_api::NotEncrypted;

pub(crate) use backend::{Shared, is_tampering};
pub(crate) use keys::Unlocked;
pub(crate) use store_api::create_redb;
pub(crate) use superblock::KeyPart;

use super::StoreError;
use std::path::Path;
use std::sync::Arc;
use superblock::Superblock;

/// What is at a database path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An unencrypted redb database.
    Plain,
    /// An encrypted Accoglienza database.
    Encrypted,
    /// Nothing (or an empty file).
    Missing,
    /// A file that is neither.
    Foreign,
}

/// What the plain start of a redb file is.
const REDB_MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];

/// Says what is at `path` without opening it as a database (nothing is written).
pub fn file_kind(path: &Path) -> Result<FileKind, StoreError> {
    use std::io::Read;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        Err(e) => {
            return Err(StoreError::Db(format!(
                "impossibile leggere {}: {e}",
                path.display()
            )));
        }
    };
    let meta = f
        .metadata()
        .map_err(|e| StoreError::Db(format!("impossibile leggere {}: {e}", path.display())))?;
    if meta.is_dir() {
        return Ok(FileKind::Foreign);
    }
    if meta.len() == 0 {
        return Ok(FileKind::Missing);
    }
    let mut start = [0u8; 9];
    let n = f.read(&mut start).unwrap_or(0);
    if start[..n] == REDB_MAGIC[..] {
        return Ok(FileKind::Plain);
    }
    if n >= superblock::MAGIC.len() && start[..8] == superblock::MAGIC {
        return Ok(FileKind::Encrypted);
    }
    // Copy A torn by a power loss while copy B is whole.
    let mut b = [0u8; 8];
    if meta.len() >= superblock::COPY_LEN + 8
        && std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(superblock::COPY_LEN)).is_ok()
        && f.read_exact(&mut b).is_ok()
        && b == superblock::MAGIC
    {
        return Ok(FileKind::Encrypted);
    }
    Ok(FileKind::Foreign)
}

/// How to unlock an encrypted database.
pub enum Unlock {
    /// With the password of a key slot (the slot is named after the account).
    Password {
        /// The slot's name (the username).
        slot: String,
        /// Its password.
        password: SecretString,
    },
    /// With the recovery key (as written down: groups of four characters).
    Recovery(SecretString),
}

impl std::fmt::Debug for Unlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unlock::Password { slot, .. } => write!(f, "Unlock::Password({slot})"),
            Unlock::Recovery(_) => f.write_str("Unlock::Recovery"),
        }
    }
}

/// Failed unlocks of a key slot, readable without the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlotStatus {
    /// Consecutive failed unlocks.
    pub failures: u32,
    /// Until when (Unix seconds) unlocking this slot is refused, if it is.
    pub locked_until: Option<i64>,
}

/// After this many consecutive failures a slot is locked for [`LOCK_SECONDS`].
pub const LOCK_AFTER_FAILURES: u32 = 5;
/// How long a slot stays locked after [`LOCK_AFTER_FAILURES`] failures.
pub const LOCK_SECONDS: i64 = 300;

fn status_of(sb: &Superblock, slot: &str) -> SlotStatus {
    let id = keys::slot_id(&sb.keys.key_id, slot);
    match sb.counters.iter().find(|c| c.slot == id) {
        None => SlotStatus::default(),
        Some(c) => SlotStatus {
            failures: c.failures,
            locked_until: (c.failures >= LOCK_AFTER_FAILURES)
                .then_some(c.last_failure + LOCK_SECONDS),
        },
    }
}

/// The raw file of an encrypted database, for the superblock only (no lock taken).
fn raw_file(path: &Path, write: bool) -> Result<redb::backends::FileBackend, StoreError> {
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(write)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                StoreError::Missing(path.to_path_buf())
            } else {
                StoreError::Db(format!("impossibile aprire {}: {e}", path.display()))
            }
        })?;
    redb::backends::FileBackend::new(f).map_err(|e| StoreError::Db(e.to_string()))
}

/// The failed-unlock counter of `slot` in the encrypted database at `path` (no key needed).
pub fn slot_status(path: &Path, slot: &str) -> Result<SlotStatus, StoreError> {
    let sb = superblock::read_valid(&raw_file(path, false)?)?;
    Ok(status_of(&sb, slot))
}

/// Counts a failed unlock of `slot` at `now` (Unix seconds) in the superblock (no key
/// needed); returns the new status.
pub fn record_failed_unlock(path: &Path, slot: &str, now: i64) -> Result<SlotStatus, StoreError> {
    let sb = superblock::update(&raw_file(path, true)?, |sb| {
        let id = keys::slot_id(&sb.keys.key_id, slot);
        let c = sb.counter(id);
        c.failures = c.failures.saturating_add(1);
        c.last_failure = now;
        Ok(())
    })?;
    Ok(status_of(&sb, slot))
}

/// The key part of the encrypted database at `path`.
pub(crate) fn key_part(path: &Path) -> Result<KeyPart, StoreError> {
    Ok(superblock::read_valid(&raw_file(path, false)?)?.keys)
}

/// Which of `names` have a key slot in the encrypted database at `path`: read without the
/// key (a slot's id is derived from its name and the file's key id), nothing written. None
/// for a file that is not an encrypted database.
pub fn slots_among<'a>(path: &Path, names: &[&'a str]) -> Vec<&'a str> {
    let Ok(part) = key_part(path) else {
        return vec![];
    };
    names
        .iter()
        .copied()
        .filter(|n| {
            let id = keys::slot_id(&part.key_id, n);
            part.slots.iter().any(|s| s.id == id)
        })
        .collect()
}

/// Whether `password` opens the key slot `slot` of the encrypted database at `path` (one
/// Argon2id derivation): nothing is written and a wrong password is not counted. For the
/// sign-in of the demo database, which lists the demo accounts once the published demo
/// password is seen to open them. (Counting failures guards the sign-in screen; whoever
/// has the file can try passwords against its slots anyway, see docs/SECURITY.md.)
pub fn slot_opens(path: &Path, slot: &str, password: &SecretString) -> bool {
    key_part(path)
        .is_ok_and(|part| matches!(Unlocked::with_password(&part, slot, password), Ok(Some(_))))
}

/// Unlocks a key part: one Argon2id derivation for a password. A wrong name, password or
/// recovery key is [`StoreError::WrongPassword`].
pub(crate) fn unlock(part: &KeyPart, how: &Unlock) -> Result<Unlocked, StoreError> {
    let found = match how {
        Unlock::Password { slot, password } => Unlocked::with_password(part, slot, password)?,
        Unlock::Recovery(text) => Unlocked::with_recovery(part, &RecoveryKey::parse(text)?)?,
    };
    found.ok_or(StoreError::WrongPassword)
}

/// Writes the superblock of a new encrypted database into the empty file at `path`.
pub(crate) fn init_file(path: &Path, keys: &Unlocked) -> Result<(), StoreError> {
    let raw = raw_file(path, true)?;
    let mut sb = Superblock::new(keys.part.clone(), vec![]);
    // Both copies, so that either one survives damage to the other from the start.
    superblock::write_next(&raw, &mut sb)?;
    superblock::write_next(&raw, &mut sb)
}

/// Opens redb on the encrypted file `inner` (superblock written) with `keys`. A block that
/// fails authentication while redb opens (outside a crash recovery), or makes the recovery
/// fail, is [`StoreError::Tampered`].
pub(crate) fn open_redb(
    builder: &redb::Builder,
    inner: Box<dyn redb::StorageBackend>,
    keys: Unlocked,
) -> Result<Result<(redb::Database, Arc<Shared>), redb::DatabaseError>, StoreError> {
    let shared = Arc::new(Shared::open(inner, keys)?);
    match builder.create_with_backend(EncryptedBackend(shared.clone())) {
        Ok(db) => {
            shared.opened();
            Ok(Ok((db, shared)))
        }
        Err(e) if shared.substituted() > 0 || is_tampering(&e.to_string()) => {
            Err(StoreError::Tampered {
                what: "blocchi del file".into(),
            })
        }
        Err(e) => Ok(Err(e)),
    }
}

/// For tests and forensic tools: a raw redb handle on the encrypted database at `path`,
/// unlocked as [`crate::store::Store::open_encrypted`] does, without the store's checks,
/// rules or audit (what someone who holds a key could do to the file behind the program's
/// back — `check` must then find it).
pub fn open_raw(path: &Path, how: &Unlock) -> Result<redb::Database, StoreError> {
    let keys = unlock(&key_part(path)?, how)?;
    let (db, _) = super::open_database(path, 16 << 20, Some(keys))?;
    Ok(db)
}

/// For tests and tools: a key hierarchy held in memory, to build encrypted redb databases
/// on any storage (e.g. a simulated disk that loses writes).
pub struct TestKeys(Unlocked);

impl TestKeys {
    /// A new hierarchy with one slot, derived with cheap Argon2 parameters (tests only).
    pub fn new(slot: &str, password: &str) -> TestKeys {
        let cheap = superblock::KdfParams {
            m_kib: 64,
            t: 1,
            p: 1,
        };
        let (u, _) = Unlocked::generate(slot, &SecretString::from(password.to_string()), cheap)
            .expect("cheap key derivation");
        TestKeys(u)
    }

    /// Writes a new superblock for these keys on an empty storage.
    pub fn format(&self, storage: &dyn redb::StorageBackend) -> Result<(), StoreError> {
        let mut sb = Superblock::new(self.0.part.clone(), vec![]);
        superblock::write_next(storage, &mut sb)?;
        superblock::write_next(storage, &mut sb)
    }

    /// Opens (or creates) an encrypted redb database on `storage` (formatted with
    /// [`TestKeys::format`]).
    pub fn open(
        &self,
        builder: &redb::Builder,
        storage: Box<dyn redb::StorageBackend>,
    ) -> Result<redb::Database, StoreError> {
        match open_redb(builder, storage, self.0.clone())? {
            Ok((db, _)) => Ok(db),
            Err(e) => Err(StoreError::Db(e.to_string())),
        }
    }
}
