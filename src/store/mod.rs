//! The embedded redb database: versioned records, indexes, incremental counts and the audit
//! log, all written in one durable transaction per change. No egui here.

pub mod access;
mod aggregates;
mod appointments;
pub mod audit;
pub mod backup;
pub(crate) mod calendar;
pub mod check;
pub mod codec;
pub mod crypt;
pub mod derived;
pub mod documents;
pub mod entity;
mod error;
pub(crate) mod files;
pub mod import_log;
pub mod merge;
pub mod output;
pub mod privacy;
pub mod published;
mod read;
mod rules;
pub mod tables;
pub mod today;
mod world;
mod write;

pub use calendar::YearJump;
pub use entity::Entity;
pub use error::StoreError;
pub use read::Reader;
pub use write::Writer;

use crate::domain::access as access_policy;
use crate::domain::time::Clock;
use crate::domain::*;
use chrono::Datelike;
use redb::{Database, DatabaseError, ReadableDatabase, ReadableTable};
use std::path::{Path, PathBuf};
use tables::*;

/// Page cache size: the upper levels of every tree and the pages a save touches; whole
/// lists are read once into the window's own rows, so a larger cache only holds pages
/// read once (measured at city scale: 96 MB cost the window 80 MB more than 16 MB).
const CACHE_BYTES: usize = 16 * 1024 * 1024;

/// An open Accoglienza database. `Send + Sync`: share it with `Arc` between the window and
/// background jobs.
pub struct Store {
    db: Database,
    path: PathBuf,
    clock: Clock,
    /// The keys and file state of an encrypted database (`None`: a plain one).
    crypt: Option<std::sync::Arc<crypt::Shared>>,
    /// The key slot whose password just opened this encrypted database (see
    /// [`Store::take_unlock_proof`]): one-shot, consumed by the next sign-in.
    unlock_proof: std::sync::Mutex<Option<String>>,
}

/// How to open a database.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// Where "today" comes from (the computer's clock unless a test sets it).
    pub clock: Clock,
    /// Refuse a path where there is no database instead of creating one (every command
    /// except opening the window and `demo`): nothing is created, not even a folder.
    pub must_exist: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens the database at `path`, creating it (with the default catalogue) when missing:
    /// the file readable by its owner only (0600), a new folder likewise (0700).
    /// Refuses a file already open elsewhere, a file that is not an Accoglienza database and
    /// a file written by a newer schema; converts one written by an older schema (see
    /// [`Store::open_with_progress`]).
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Self::open_with(path, OpenOptions::default())
    }

    /// Opens a database that must already exist: a missing path (or an empty file) is
    /// refused with [`StoreError::Missing`] and nothing is created. For every command that
    /// reads or copies a database (a mistyped `--db` must not produce an empty one).
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Self::open_with(
            path,
            OpenOptions {
                must_exist: true,
                ..OpenOptions::default()
            },
        )
    }

    /// Opens (or creates) a database with the given options.
    pub fn open_with(path: impl AsRef<Path>, opts: OpenOptions) -> Result<Store, StoreError> {
        Self::open_with_progress(path, opts, &mut |_, _, _| {})
    }

    /// [`Store::open_with`], reporting the progress of a schema conversion: a database
    /// written by an older schema is rebuilt into a new file beside it, checked, and swapped
    /// in, the old file kept as `<name>.prima-della-conversione-<timestamp>.<ext>`.
    pub fn open_with_progress(
        path: impl AsRef<Path>,
        opts: OpenOptions,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<Store, StoreError> {
        Self::open_inner(path.as_ref(), opts, None, progress)
    }

    /// Opens a plain database (`keys` `None`) or an encrypted one with its keys.
    pub(crate) fn open_inner(
        path: &Path,
        opts: OpenOptions,
        keys: Option<crypt::Unlocked>,
        progress: &mut dyn FnMut(&str, u64, u64),
    ) -> Result<Store, StoreError> {
        let path = path.to_path_buf();
        if opts.must_exist || keys.is_some() {
            files::require_database_file(&path)?;
        } else {
            files::create_private(&path)?;
        }
        if keys.is_none() && crypt::file_kind(&path)? == crypt::FileKind::Encrypted {
            return Err(StoreError::Encrypted(path));
        }
        let (db, crypt) = open_database(&path, CACHE_BYTES, keys)?;
        let store = Store {
            db,
            path,
            clock: opts.clock,
            crypt,
            unlock_proof: Default::default(),
        };
        match store.init()? {
            Opened::Ready => {
                // A database made before Oggi's agenda index gets it once.
                store.ensure_agenda_index(progress)?;
                // An erasure committed but not yet compacted (the process stopped, or the
                // window could not hold the store alone): its bytes leave the file now.
                let mut store = store;
                if store.compaction_pending()? {
                    store.compact_erased()?;
                }
                Ok(store)
            }
            Opened::OlderSchema(found) => backup::convert::convert(store, found, progress),
        }
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where "today" comes from for this database's counts, backups and audit.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    fn init(&self) -> Result<Opened, StoreError> {
        let txn = self.db.begin_write()?;
        let version = {
            let meta = txn.open_table(META)?;
            meta.get("schema_version")?.map(|v| v.value().to_vec())
        };
        let fresh = match version {
            Some(v) => {
                let found = u32::from_le_bytes(v.as_slice().try_into().map_err(|_| {
                    StoreError::NotADatabase(
                        self.path.clone(),
                        "versione dello schema illeggibile".into(),
                    )
                })?);
                if found > SCHEMA_VERSION {
                    return Err(StoreError::NewerSchema {
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                if found < SCHEMA_VERSION {
                    txn.abort()?;
                    return Ok(Opened::OlderSchema(found));
                }
                false
            }
            None => {
                let foreign = txn
                    .list_tables()?
                    .any(|t| redb::TableHandle::name(&t) != "meta")
                    || txn.list_multimap_tables()?.next().is_some();
                if foreign {
                    return Err(StoreError::NotADatabase(
                        self.path.clone(),
                        "contiene tabelle di un altro programma".into(),
                    ));
                }
                true
            }
        };
        // Every table exists from the start, so read transactions never miss one.
        for kind in EntityKind::ALL {
            txn.open_table(entity::table_of(kind))?;
        }
        txn.open_table(DERIVED)?;
        txn.open_table(AUDIT)?;
        txn.open_table(published::PUBLISHED)?;
        import_log::create_tables(&txn)?;
        txn.open_table(merge::VERSIONS)?;
        txn.open_table(merge::ALIASES)?;
        privacy::create_tables(&txn)?;
        txn.open_table(tables::DOCUMENT_CHUNKS)?;
        let year = self.clock.today().year();
        {
            let mut meta = txn.open_table(META)?;
            if fresh {
                meta.insert("schema_version", SCHEMA_VERSION.to_le_bytes().as_slice())?;
                meta.insert("through_year", year.to_le_bytes().as_slice())?;
                meta.insert("aggregates_stale", [0u8].as_slice())?;
                meta.insert(today::KEY_AGENDA_INDEX, [1u8].as_slice())?;
            }
            if meta.get(calendar::KEY_DATABASE_ID)?.is_none() {
                meta.insert(
                    calendar::KEY_DATABASE_ID,
                    Id::new().0.to_be_bytes().as_slice(),
                )?;
            }
        }
        txn.commit()?;
        // The default catalogue goes in with its own transaction; a process stopped between
        // the two leaves an empty catalogue, which the next open fills in.
        if fresh || self.catalogue_is_empty()? {
            let mut w = self.write(Id::NIL)?;
            let c = Catalogue::defaults();
            for a in c.areas {
                w.insert(a)?;
            }
            for l in c.lines {
                w.insert(l)?;
            }
            for d in c.desks {
                w.insert(d)?;
            }
            for m in c.measures {
                w.insert(m)?;
            }
            for s in c.services {
                w.insert(s)?;
            }
            for r in c.roles {
                w.insert(r)?;
            }
            w.commit()?;
        }
        // The application roles, in databases made before accounts existed too.
        if self.read()?.count::<AccessRole>()? == 0 {
            let mut w = self.write(Id::NIL)?;
            for r in access_policy::default_roles() {
                w.insert(r)?;
            }
            w.commit()?;
        }
        // The purposes of consent, in databases made before the privacy log existed too.
        if self.read()?.count::<Purpose>()? == 0 {
            let mut w = self.write(Id::NIL)?;
            for p in crate::domain::consent::default_purposes() {
                w.insert(p)?;
            }
            w.commit()?;
        }
        if self.meta_flag("aggregates_stale")? {
            self.rebuild_aggregates()?;
        }
        // A new year is counted by itself; a jump of more than one year (a clock set
        // years ahead) waits for a confirmation (see `calendar.rs`).
        if year == self.through_year()?.saturating_add(1) {
            self.advance_through_year(year)?;
        }
        Ok(Opened::Ready)
    }

    fn catalogue_is_empty(&self) -> Result<bool, StoreError> {
        let r = self.read()?;
        Ok(r.count::<Area>()? == 0
            && r.count::<ServiceLine>()? == 0
            && r.count::<Desk>()? == 0
            && r.count::<Role>()? == 0)
    }

    fn meta_bytes(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.db.begin_read()?;
        let meta = txn.open_table(META)?;
        Ok(meta.get(key)?.map(|v| v.value().to_vec()))
    }

    fn meta_flag(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self.meta_bytes(key)?.is_some_and(|v| v.first() == Some(&1)))
    }

    /// The last year in which open cases and projects are counted (normally this year).
    pub fn through_year(&self) -> Result<i32, StoreError> {
        let txn = self.db.begin_read()?;
        through_year_in(&txn.open_table(META)?)
    }

    /// The schema version of the file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let v = self.meta_bytes("schema_version")?.unwrap_or_default();
        Ok(u32::from_le_bytes(
            v.as_slice().try_into().unwrap_or([0; 4]),
        ))
    }

    /// When the calendar has moved past the counted year, open cases and projects start
    /// counting in the new years too.
    pub fn advance_through_year(&self, year: i32) -> Result<(), StoreError> {
        if year <= self.through_year()? {
            return Ok(());
        }
        let txn = self.db.begin_write()?;
        // Read again in the writing transaction: another writer may have advanced it meanwhile.
        let old = through_year_in(&txn.open_table(META)?)?;
        if year <= old {
            return Ok(());
        }
        // What each open case and project adds in the new years. Applied record by record:
        // a person with two open records on a line counts with multiplicity two.
        let mut added: Vec<std::collections::BTreeSet<counting::Contribution>> = Vec::new();
        {
            let cases = txn.open_table(records::CASES)?;
            aggregates::scan::<Case, _>(&cases, |c| {
                if c.closed.is_none() {
                    let before = aggregates::of_record(&txn, &c, old)?;
                    let after = aggregates::of_record(&txn, &c, year)?;
                    added.push(after.difference(&before).copied().collect());
                }
                Ok(())
            })?;
        }
        {
            let projects = txn.open_table(records::PROJECTS)?;
            aggregates::scan::<Project, _>(&projects, |p| {
                if p.end.is_none() {
                    let before = aggregates::of_record(&txn, &p, old)?;
                    let after = aggregates::of_record(&txn, &p, year)?;
                    added.push(after.difference(&before).copied().collect());
                }
                Ok(())
            })?;
        }
        for a in &added {
            aggregates::apply(&txn, a, 1)?;
        }
        txn.open_table(META)?
            .insert("through_year", year.to_le_bytes().as_slice())?;
        txn.commit()?;
        Ok(())
    }

    /// A consistent read snapshot.
    pub fn read(&self) -> Result<Reader, StoreError> {
        let txn = self.db.begin_read()?;
        let through = through_year_in(&txn.open_table(META)?)?;
        Ok(Reader::new(txn, through))
    }

    /// A write transaction on behalf of `actor` (the operator at the desk).
    pub fn write(&self, actor: Id) -> Result<Writer, StoreError> {
        let txn = self.db.begin_write()?;
        let through = through_year_in(&txn.open_table(META)?)?;
        Writer::new(txn, actor, through, false, self.clock)
    }

    /// A write transaction for loading many records at once: aggregates are marked stale
    /// in the same transaction and must be rebuilt with [`Store::rebuild_aggregates`]
    /// (the next open rebuilds them if the process stops first); one audit entry per kind.
    pub fn bulk_write(&self, actor: Id) -> Result<Writer, StoreError> {
        let txn = self.db.begin_write()?;
        let through = through_year_in(&txn.open_table(META)?)?;
        let w = Writer::new(txn, actor, through, true, self.clock)?;
        w.txn()
            .open_table(META)?
            .insert("aggregates_stale", [1u8].as_slice())?;
        Ok(w)
    }

    /// Recomputes every annual count from the records, in one transaction.
    pub fn rebuild_aggregates(&self) -> Result<(), StoreError> {
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        let through = through_year_in(&txn.open_table(META)?)?;
        aggregates::rebuild(&txn, through)?;
        txn.commit()?;
        Ok(())
    }

    /// Inserts one record in its own transaction.
    pub fn insert<E: Entity>(&self, actor: Id, rec: E) -> Result<Id, StoreError> {
        let mut w = self.write(actor)?;
        let id = w.insert(rec)?;
        w.commit()?;
        Ok(id)
    }

    /// Updates one record in its own transaction.
    pub fn update<E: Entity>(&self, actor: Id, rec: E) -> Result<(), StoreError> {
        let mut w = self.write(actor)?;
        w.update(rec)?;
        w.commit()
    }

    /// Archives or brings back one record in its own transaction.
    pub fn set_archived<E: Entity>(
        &self,
        actor: Id,
        id: Id,
        archived: bool,
    ) -> Result<(), StoreError> {
        let mut w = self.write(actor)?;
        w.set_archived::<E>(id, archived)?;
        w.commit()
    }

    /// True when no person, contact or operator has been registered yet.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let r = self.read()?;
        Ok(r.count::<Person>()? == 0 && r.count::<Contact>()? == 0 && r.count::<Operator>()? == 0)
    }

    /// Gives the free pages left by large loads back to the file system (needs no other
    /// open transaction). Returns true when something was compacted.
    pub fn compact(&mut self) -> Result<bool, StoreError> {
        self.db.compact().map_err(|e| StoreError::Db(e.to_string()))
    }

    pub(crate) fn db_mut(&mut self) -> &mut Database {
        &mut self.db
    }
}

/// What opening found.
enum Opened {
    /// The database is ready.
    Ready,
    /// The file was written by this older schema: it must be converted.
    OlderSchema(u32),
}

/// Opens (or creates) the redb database of a store: the one place that builds the
/// `redb::Database` — on the file itself, or, with `keys`, on the [`crypt::EncryptedBackend`]
/// over it (its superblock already written). Errors become the store's: already open
/// elsewhere, not a database, not readable, tampered with.
pub(crate) fn open_database(
    path: &Path,
    cache: usize,
    keys: Option<crypt::Unlocked>,
) -> Result<(Database, Option<std::sync::Arc<crypt::Shared>>), StoreError> {
    let mut builder = redb::Builder::new();
    builder.set_cache_size(cache);
    let opened = match keys {
        None => builder.create(path).map(|db| (db, None)),
        Some(keys) => {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
                .map_err(|e| {
                    StoreError::Db(format!("impossibile aprire {}: {e}", path.display()))
                })?;
            let inner = redb::backends::FileBackend::new(file)
                .map_err(|e| StoreError::Db(e.to_string()))?;
            crypt::open_redb(&builder, Box::new(inner), keys)?.map(|(db, s)| (db, Some(s)))
        }
    };
    opened.map_err(|e| match e {
        e if crypt::is_tampering(&e.to_string()) => StoreError::Tampered {
            what: "blocchi del file".into(),
        },
        DatabaseError::DatabaseAlreadyOpen | DatabaseError::LockProtocolMismatch => {
            StoreError::AlreadyOpen(path.to_path_buf())
        }
        DatabaseError::Storage(redb::StorageError::Io(io))
            if io.kind() == std::io::ErrorKind::InvalidData =>
        {
            StoreError::NotADatabase(path.to_path_buf(), io.to_string())
        }
        DatabaseError::Storage(redb::StorageError::Io(io)) => {
            StoreError::Db(format!("impossibile aprire {}: {io}", path.display()))
        }
        other => StoreError::NotADatabase(path.to_path_buf(), other.to_string()),
    })
}

/// The counted year as stored in `meta`, read inside the caller's transaction so that it
/// belongs to the same snapshot as everything else the transaction reads or writes.
fn through_year_in(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<i32, StoreError> {
    let v = meta
        .get("through_year")?
        .ok_or_else(|| StoreError::Corrupt("anno di conteggio mancante".into()))?;
    let bytes: [u8; 4] = v
        .value()
        .try_into()
        .map_err(|_| StoreError::Corrupt("anno di conteggio illeggibile".into()))?;
    Ok(i32::from_le_bytes(bytes))
}
