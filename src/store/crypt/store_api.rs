//! The store's side of encryption: creating, opening and converting encrypted databases,
//! and managing their key slots while they are open.

use super::keys::DEFAULT_KDF;
use super::superblock;
use super::*;
use crate::store::{OpenOptions, Store, files};

fn not_encrypted() -> StoreError {
    StoreError::Crypt("il database non è cifrato".into())
}

impl Store {
    /// Creates a new encrypted database at `path` (which must not hold anything yet), with
    /// one key slot `first_slot` opened by `password`, and returns it open with its
    /// recovery key (to be shown once and kept in the cooperative's safe). The file is
    /// created 0600 like every database; on failure nothing is left behind.
    pub fn create_encrypted(
        path: impl AsRef<Path>,
        opts: OpenOptions,
        first_slot: &str,
        password: &SecretString,
    ) -> Result<(Store, RecoveryKey), StoreError> {
        Self::create_encrypted_with_slots(path, opts, &[first_slot], password)
    }

    /// [`Store::create_encrypted`] with several key slots opened by the same password (the
    /// demo database's accounts), at the cost of one key derivation.
    pub fn create_encrypted_with_slots(
        path: impl AsRef<Path>,
        opts: OpenOptions,
        slots: &[&str],
        password: &SecretString,
    ) -> Result<(Store, RecoveryKey), StoreError> {
        let path = path.as_ref();
        if file_kind(path)? != FileKind::Missing {
            return Err(StoreError::Crypt(format!(
                "{} esiste già: un database cifrato nuovo si crea solo in un file che non c'è",
                path.display()
            )));
        }
        let (keys, recovery) = Unlocked::generate_with(slots, password, DEFAULT_KDF)?;
        files::create_private(path)?;
        let made = init_file(path, &keys)
            .and_then(|()| Store::open_inner(path, opts, Some(keys), &mut |_, _, _| {}));
        match made {
            Ok(store) => Ok((store, recovery)),
            Err(e) => {
                let _ = std::fs::remove_file(path);
                Err(e)
            }
        }
    }

    /// Opens an encrypted database with a slot's password or the recovery key (one Argon2id
    /// derivation for a password). A wrong name, password or key is
    /// [`StoreError::WrongPassword`] and nothing is written (failures are counted by the
    /// caller with [`record_failed_unlock`]); a file changed outside the program is
    /// [`StoreError::Tampered`].
    pub fn open_encrypted(
        path: impl AsRef<Path>,
        opts: OpenOptions,
        how: &Unlock,
    ) -> Result<Store, StoreError> {
        Self::open_encrypted_with_progress(path, opts, how, &mut |_, _, _| {})
    }

    /// [`Store::open_encrypted`], reporting the progress of a schema conversion.
    pub fn open_encrypted_with_progress(
        path: impl AsRef<Path>,
        opts: OpenOptions,
        how: &Unlock,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<Store, StoreError> {
        let path = path.as_ref();
        match file_kind(path)? {
            FileKind::Encrypted => {}
            FileKind::Missing => return Err(StoreError::Missing(path.to_path_buf())),
            FileKind::Plain => return Err(not_encrypted()),
            FileKind::Foreign => {
                return Err(StoreError::NotADatabase(
                    path.to_path_buf(),
                    "non è un database di Accoglienza".into(),
                ));
            }
        }
        let keys = unlock(&key_part(path)?, how)?;
        let store = Self::open_inner(path, opts, Some(keys), progress)?;
        if let Unlock::Password { slot, .. } = how {
            store.set_unlock_proof(slot);
        }
        Ok(store)
    }

    /// Forgets the keys of this encrypted database while it stays open (the window's
    /// lock): the data key, the block cipher and the backup identity are dropped and
    /// zeroized. Until [`Store::recover_keys`], reading a page that is not in redb's cache,
    /// and any write, fail with a clear "database bloccato" error (never a panic).
    ///
    /// Not forgotten: redb's page cache (up to 16 MB of decrypted pages) and what the
    /// window keeps in memory (lists, the people index) stay in the process's memory while
    /// it is locked. The lock protects against a person at the desk, not against a
    /// compromised PC (docs/SECURITY.md, threat model). Nothing on a plain database.
    pub fn forget_keys(&self) {
        if let Some(c) = &self.crypt {
            c.forget();
        }
        self.take_unlock_proof();
    }

    /// Brings the keys back after [`Store::forget_keys`] with any key slot's password (any
    /// account may sign in at the lock screen) or the recovery key: one Argon2id
    /// derivation; a wrong one is [`StoreError::WrongPassword`] (counted by the caller).
    /// With a password it leaves the one-shot unlock proof for the sign-in that follows.
    pub fn recover_keys(&self, how: &Unlock) -> Result<(), StoreError> {
        let shared = self.shared()?;
        // The key slots of the file this store has open — not of whatever file may have
        // been put at its path since — and keys that are this file's own.
        let part = superblock::read_valid(shared.raw())?.keys;
        if part.key_id != shared.key_id() {
            return Err(StoreError::Tampered {
                what: "le chiavi nel file non sono quelle del database aperto".into(),
            });
        }
        let keys = unlock(&part, how)?;
        shared.set_keys(keys);
        if let Unlock::Password { slot, .. } = how {
            self.set_unlock_proof(slot);
        }
        Ok(())
    }

    /// False while the keys of an encrypted database are forgotten (always true for a
    /// plain one).
    pub fn keys_loaded(&self) -> bool {
        self.crypt.as_ref().is_none_or(|c| c.loaded())
    }

    /// Remembers that the password of key slot `slot` was just proven (the AEAD unwrap of
    /// the slot succeeded); consumed by the next [`Store::take_unlock_proof`].
    pub(crate) fn set_unlock_proof(&self, slot: &str) {
        *self.unlock_proof.lock().unwrap_or_else(|p| p.into_inner()) = Some(slot.to_string());
    }

    /// Takes the one-shot proof left by the last unlock with a password: the name of the
    /// slot whose password opened the keys. [`crate::access::sign_in_at`] uses it to skip
    /// a second Argon2id derivation for that same username (see there why it is safe).
    pub(crate) fn take_unlock_proof(&self) -> Option<String> {
        self.unlock_proof
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    /// Whether this database is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.crypt.is_some()
    }

    /// The keys of an encrypted database (a copy, for files rebuilt from it).
    pub(crate) fn keys(&self) -> Option<Unlocked> {
        self.crypt.as_ref().and_then(|c| c.keys().ok())
    }

    fn shared(&self) -> Result<&Shared, StoreError> {
        self.crypt.as_deref().ok_or_else(not_encrypted)
    }

    /// The names of the key slots (the accounts that can unlock the file).
    pub fn key_slot_names(&self) -> Vec<String> {
        self.crypt
            .as_ref()
            .and_then(|c| c.keys().ok())
            .map(|k| k.names.clone())
            .unwrap_or_default()
    }

    /// Applies a change to the keys: on a copy, written to the superblock (synced, A/B), and
    /// only then kept. A failure leaves both the file and the open store as they were.
    fn change_keys<T>(
        &self,
        change: impl FnOnce(&mut Unlocked) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let shared = self.shared()?;
        let mut next = shared.keys()?;
        let out = change(&mut next)?;
        superblock::update(shared.raw(), |sb| {
            sb.keys = next.part.clone();
            Ok(())
        })?;
        shared.set_keys(next);
        Ok(out)
    }

    /// Adds the key slot `name` opened by `password`, or gives it a new password (atomic:
    /// the old password works until the new one is on disk). One Argon2id derivation.
    pub fn set_key_slot(&self, name: &str, password: &SecretString) -> Result<(), StoreError> {
        self.change_keys(|k| k.set_slot(name, password, DEFAULT_KDF))?;
        self.clear_slot_failures(name)
    }

    /// Removes the key slot `name` (its password no longer opens the file). The last slot
    /// cannot be removed. Returns false when there is no such slot.
    pub fn remove_key_slot(&self, name: &str) -> Result<bool, StoreError> {
        self.change_keys(|k| {
            if k.names.len() == 1 && k.names[0] == name {
                return Err(StoreError::Crypt(
                    "l'ultima chiave d'accesso non si può togliere".into(),
                ));
            }
            Ok(k.remove_slot(name))
        })
    }

    /// A new recovery key, replacing the old one, which no longer opens this database (nor
    /// the backups made from now on).
    pub fn new_recovery_key(&self) -> Result<RecoveryKey, StoreError> {
        self.change_keys(|k| Ok(k.replace_recovery()))
    }

    /// Resets the failed-unlock counter of `slot` (after a successful sign-in, or an
    /// administrator's unlock).
    pub fn clear_slot_failures(&self, slot: &str) -> Result<(), StoreError> {
        let shared = self.shared()?;
        let sb = superblock::read_valid(shared.raw())?;
        let id = keys::slot_id(&sb.keys.key_id, slot);
        if !sb.counters.iter().any(|c| c.slot == id && c.failures > 0) {
            return Ok(());
        }
        superblock::update(shared.raw(), |sb| {
            sb.counters.retain(|c| c.slot != id);
            Ok(())
        })?;
        Ok(())
    }

    /// The plain (unencrypted) copies of this encrypted database left beside it: safety
    /// copies of a schema conversion or of a restore made while it was still plain, or a
    /// conversion interrupted before its plain file was removed. They hold every record
    /// readable; the window lists them for an administrator to remove. Empty for a plain
    /// database.
    pub fn plain_copies(&self) -> Vec<std::path::PathBuf> {
        if !self.is_encrypted() {
            return vec![];
        }
        crate::store::backup::companion_files(self.path())
            .into_iter()
            .filter(|p| p.is_file() && file_kind(p).ok() == Some(FileKind::Plain))
            .collect()
    }

    /// Removes the plain copies of [`Store::plain_copies`] on behalf of an administrator
    /// (permission «Backup»): logged in the Registro accessi with how many. Returns them.
    pub fn remove_plain_copies_as(
        &self,
        session: &crate::access::Session,
    ) -> Result<Vec<std::path::PathBuf>, StoreError> {
        self.require(session, crate::domain::access::Permission::Backup)?;
        let copies = self.plain_copies();
        for p in &copies {
            std::fs::remove_file(p).map_err(|e| {
                StoreError::Db(format!("impossibile togliere {}: {e}", p.display()))
            })?;
        }
        if !copies.is_empty() {
            crate::store::backup::sync_parent(self.path());
            self.log_access(
                session,
                crate::domain::access::AccessKind::Backup,
                None,
                &format!("copie in chiaro eliminate: {}", copies.len()),
            )?;
        }
        Ok(copies)
    }

    /// Converts the plain database at `path` into an encrypted one with the key slot
    /// `slot`: its records are rebuilt into a new encrypted file beside it (indexes and
    /// counts rebuilt, everything checked), which then replaces it with an atomic rename.
    /// At every instant the live name holds a complete database. Once the encrypted one has
    /// opened and passed the full check, the plain file is removed (a plain copy left
    /// beside it would defeat the encryption; see docs/SECURITY.md). Returns the store open
    /// and the recovery key.
    pub fn encrypt_existing(
        path: impl AsRef<Path>,
        opts: OpenOptions,
        slot: &str,
        password: &SecretString,
    ) -> Result<(Store, RecoveryKey), StoreError> {
        Self::encrypt_existing_with_progress(path, opts, slot, password, &mut |_, _, _| {})
    }

    /// [`Store::encrypt_existing`], reporting progress.
    pub fn encrypt_existing_with_progress(
        path: impl AsRef<Path>,
        opts: OpenOptions,
        slot: &str,
        password: &SecretString,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<(Store, RecoveryKey), StoreError> {
        let path = path.as_ref();
        match file_kind(path)? {
            FileKind::Plain => {}
            FileKind::Encrypted => {
                return Err(StoreError::Crypt("il database è già cifrato".into()));
            }
            FileKind::Missing => return Err(StoreError::Missing(path.to_path_buf())),
            FileKind::Foreign => {
                return Err(StoreError::NotADatabase(
                    path.to_path_buf(),
                    "non è un database di Accoglienza".into(),
                ));
            }
        }
        let opts = OpenOptions {
            must_exist: true,
            ..opts
        };
        let old = Store::open_with_progress(path, opts, progress)?;
        old.into_encrypted(&[slot], password, progress)
            .map_err(|failed| failed.error)
    }

    /// Converts this open plain database into an encrypted one under the same name, with
    /// one key slot per name in `slots`, all opened by `password` (one Argon2id derivation):
    /// what [`Store::encrypt_existing`] does, for a store already open (the window converts
    /// the database it shows at the first sign-in). On failure the plain database is
    /// opened again and handed back with the error, unless it could not be.
    pub fn into_encrypted(
        self,
        slots: &[&str],
        password: &SecretString,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<(Store, RecoveryKey), Box<NotEncrypted>> {
        let path = self.path().to_path_buf();
        let opts = OpenOptions {
            clock: self.clock(),
            must_exist: true,
        };
        let failed = |error: StoreError| {
            // The conversion leaves the plain database under its name when it fails.
            let store = Store::open_with(&path, opts).ok();
            Box::new(NotEncrypted { store, error })
        };
        if self.is_encrypted() {
            return Err(Box::new(NotEncrypted {
                store: Some(self),
                error: StoreError::Crypt("il database è già cifrato".into()),
            }));
        }
        let (keys, recovery) = match Unlocked::generate_with(slots, password, DEFAULT_KDF) {
            Ok(k) => k,
            Err(error) => {
                return Err(Box::new(NotEncrypted {
                    store: Some(self),
                    error,
                }));
            }
        };
        match crate::store::backup::convert::encrypt(self, keys, progress) {
            Ok(store) => Ok((store, recovery)),
            Err(e) => Err(failed(e)),
        }
    }
}

/// A conversion to an encrypted database that did not happen: why, and the plain database
/// open again (`None` when it could not be reopened).
pub struct NotEncrypted {
    /// The plain database, open again.
    pub store: Option<Store>,
    /// Why the conversion failed.
    pub error: StoreError,
}

/// Creates the redb database of a new encrypted file at `path` (which must exist and be
/// empty, created private) with `keys`: used by rebuilds (restore, conversion).
pub(crate) fn create_redb(
    path: &Path,
    cache: usize,
    keys: Option<Unlocked>,
) -> Result<(redb::Database, Option<Arc<Shared>>), StoreError> {
    if let Some(k) = &keys {
        init_file(path, k)?;
    }
    crate::store::open_database(path, cache, keys)
}
