//! Logical backups (`.accbak`): the records of one read snapshot, compressed, checksummed and
//! optionally encrypted with a passphrase (age); verification; and restore into a new file
//! beside the live database, checked, then swapped in with a safety copy of what it replaces.
//! See docs/BACKUP_FORMAT.md for the format and the crash analysis of the swap.

mod atomic;
mod auto;
mod companions;
mod crypt;
mod error;
mod format;
mod sections;

pub use age::secrecy::SecretString;
pub use auto::{
    AutoBackupSettings, AutoWhen, LastBackup, REMINDER_DAYS, auto_backup_due, auto_prefix,
    reminder_due, run_auto_backup, slug,
};
pub use crypt::{MAX_WORK_FACTOR, WORK_FACTOR, is_encrypted, is_keyed};
pub use error::BackupError;
pub use error::ExistingBackup;
pub use format::{DeskInfo, EXTENSION, FORMAT_VERSION, Header, MAGIC, TableCount};
pub use sections::{
    AUDIT_TABLE, PUBLISHED_TABLE, Section, body_order, table_label, table_name, tables,
};

use super::derived::{DERIVED, IndexBuilder};
use super::entity::{Entity, table_of};
use super::tables::*;
use super::{Store, StoreError, aggregates, codec};
use crate::domain::counting::{HouseholdState, MemWorld, PersonState, Tally};
use crate::domain::*;
use atomic::{AtomicFile, parent_dir, sync_dir};
use crypt::{Sink, open_source};
use format::{
    BASE_VERSION, DOCUMENTS_VERSION, ERASURE_VERSION, HashingWriter, LARGE_VERSION, MERGE_VERSION,
    PRIVACY_VERSION, Visitor, max_record, peek_header, read_backup, write_prefix, write_record,
};
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata};
use sections::{check_value, def_of, privacy_in_use};
use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Progress of a long operation: (phase, done, total).
pub type Progress<'a> = &'a mut dyn FnMut(&str, u64, u64);

/// How to make a backup.
#[derive(Clone)]
pub struct BackupOptions {
    /// Encrypt with this passphrase (age, scrypt); `None`: not encrypted.
    pub passphrase: Option<SecretString>,
    /// The scrypt work factor when encrypting (log2 N); [`WORK_FACTOR`] unless a test lowers it.
    pub work_factor: u8,
    /// The desk the backup is made at (its name goes in the header).
    pub desk: Option<Id>,
    /// The operator making it.
    pub operator: Option<Id>,
    /// zstd level.
    pub level: i32,
    /// Made by the automatic daily backup.
    pub automatic: bool,
    /// Replace an existing backup file even when it holds more records than the new one
    /// (`--replace-larger`, or the operator confirmed in the window).
    pub replace_larger: bool,
}

impl Default for BackupOptions {
    fn default() -> Self {
        BackupOptions {
            passphrase: None,
            work_factor: WORK_FACTOR,
            desk: None,
            operator: None,
            level: 3,
            automatic: false,
            replace_larger: false,
        }
    }
}

/// A backup file that was written or verified.
#[derive(Debug, Clone)]
pub struct BackupInfo {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Whether it is encrypted.
    pub encrypted: bool,
    /// What it says about itself (checked against its content).
    pub header: Header,
}

/// A file name for a backup made now at a desk: `accoglienza-<desk>-<aaaa-mm-gg>-<hhmm>.accbak`.
pub fn suggested_file_name(desk: Option<&str>, at: chrono::NaiveDateTime) -> String {
    format!(
        "accoglienza-{}-{}.{EXTENSION}",
        slug(desk.unwrap_or("sede")),
        at.format("%Y-%m-%d-%H%M")
    )
}

fn meta_u32(txn: &redb::ReadTransaction, key: &str) -> Result<Option<u32>, StoreError> {
    let meta = txn.open_table(META)?;
    let v = meta.get(key)?;
    Ok(v.and_then(|v| v.value().try_into().ok().map(u32::from_le_bytes)))
}

impl Store {
    /// How many records each table holds now, in backup table order.
    pub fn table_counts(&self) -> Result<Vec<TableCount>, StoreError> {
        let txn = self.db.begin_read()?;
        let mut out = Vec::new();
        for (name, kind) in tables() {
            out.push(TableCount {
                name: name.to_string(),
                count: txn.open_table(def_of(kind))?.len()?,
            });
        }
        Ok(out)
    }

    /// Writes a backup to `dest`: into a temporary file in the same folder, fsynced, read
    /// back and verified whole, then renamed, so `dest` is either the complete, verified
    /// backup or untouched. The window keeps working meanwhile (one read snapshot).
    /// Refuses a `dest` that is the database or one of its safety copies
    /// ([`crate::store::output`]), and an existing backup holding more records than the new
    /// one unless `opts.replace_larger`. Records the backup as the last one made.
    pub fn backup_to(
        &self,
        dest: &Path,
        opts: &BackupOptions,
        progress: Progress<'_>,
    ) -> Result<BackupInfo, BackupError> {
        self.check_output(dest).map_err(BackupError::Refused)?;
        let base = self.base_backup_version().map_err(BackupError::Store)?;
        let (mut file, header) = match self.backup_into(dest, opts, base, progress) {
            Err(WriteFailure::LargeRecord) => {
                self.backup_into(dest, opts, base.max(LARGE_VERSION), progress)
            }
            other => other,
        }
        .map_err(|e| match e {
            WriteFailure::Backup(e) => e,
            other => BackupError::Store(StoreError::Corrupt(format!("{other:?}"))),
        })?;
        file.sync()?;
        // What the reader of `verify` and `restore` accepts, read back from the disk.
        let written = verify(file.temp_path(), opts.passphrase.as_ref(), progress)
            .map_err(|e| BackupError::WrittenBadly(dest.into(), e.to_string()))?;
        if written.header != header {
            return Err(BackupError::WrittenBadly(
                dest.into(),
                "l'intestazione riletta è diversa da quella scritta".into(),
            ));
        }
        if !opts.replace_larger
            && let Some(existing) = larger_backup_at(
                dest,
                opts.passphrase.as_ref(),
                header.total(),
                written.bytes,
            )
        {
            return Err(BackupError::WouldReplaceLarger {
                path: dest.into(),
                existing,
                new_records: header.total(),
            });
        }
        let bytes = file.commit()?;
        // The file is complete; failing to note it only delays the reminder.
        let _ = self.note_backup(&LastBackup {
            at: header.created_at,
            path: dest.to_path_buf(),
            bytes,
            automatic: opts.automatic,
        });
        Ok(BackupInfo {
            path: dest.to_path_buf(),
            bytes,
            encrypted: opts.passphrase.is_some() || self.is_encrypted(),
            header,
        })
    }

    /// Writes a backup of format `version` into a temporary file beside `dest`.
    fn backup_into(
        &self,
        dest: &Path,
        opts: &BackupOptions,
        version: u16,
        progress: Progress<'_>,
    ) -> Result<(AtomicFile, Header), WriteFailure> {
        let mut file = AtomicFile::create(dest)?;
        match self.stream_backup(&mut file, opts, version, progress) {
            Ok((h, _)) => Ok((file, h)),
            Err(WriteFailure::Io(e)) => Err(WriteFailure::Backup(file.write_error(e))),
            Err(e) => Err(e),
        }
    }

    /// Streams a backup of one read snapshot into `out`; returns its header and `out`.
    /// Writes format version 1; a record over its 16 MiB gives
    /// [`WriteFailure::LargeRecord`] ([`Store::backup_to`] then writes version 2).
    pub fn write_backup<W: Write>(
        &self,
        out: W,
        opts: &BackupOptions,
        progress: Progress<'_>,
    ) -> Result<(Header, W), WriteFailure> {
        let base = self.base_backup_version()?;
        self.stream_backup(out, opts, base, progress)
    }

    /// The format a backup is written in unless a record needs more: 1, 3 when the
    /// database holds merge data (what other desks need to merge it), 4 when it has a
    /// registro cancellazioni (so a later restore erases those people again), 5 when it
    /// holds privacy logs, purposes of consent other than the defaults, or appointments.
    fn base_backup_version(&self) -> Result<u16, StoreError> {
        let txn = self.db.begin_read()?;
        let mut version = BASE_VERSION;
        for (_, section) in body_order() {
            if txn.open_table(def_of(section))?.len()? == 0 {
                continue;
            }
            if section.is_documents() {
                version = version.max(DOCUMENTS_VERSION);
            } else if section.is_privacy() {
                if privacy_in_use(&txn)? {
                    version = version.max(PRIVACY_VERSION);
                }
            } else if section.is_erasures() {
                version = version.max(ERASURE_VERSION);
            } else if section.is_merge() {
                version = version.max(MERGE_VERSION);
            }
        }
        Ok(version)
    }

    /// [`Store::write_backup`] in a given format version.
    fn stream_backup<W: Write>(
        &self,
        out: W,
        opts: &BackupOptions,
        version: u16,
        progress: Progress<'_>,
    ) -> Result<(Header, W), WriteFailure> {
        let txn = self.db.begin_read().map_err(BackupError::from)?;
        let schema_version = meta_u32(&txn, "schema_version")?.unwrap_or(SCHEMA_VERSION);
        let through_year = meta_u32(&txn, "through_year")?.unwrap_or(0) as i32;
        let mut counts = Vec::new();
        let mut order = Vec::new();
        for (name, kind) in body_order() {
            let n = txn
                .open_table(def_of(kind))
                .map_err(BackupError::from)?
                .len()
                .map_err(BackupError::from)?;
            // The merge tables only in format 3, and only when they hold something.
            if kind.is_merge() && (version < MERGE_VERSION || n == 0) {
                continue;
            }
            // The registro cancellazioni only in format 4, and only when it holds something.
            if kind.is_erasures() && (version < ERASURE_VERSION || n == 0) {
                continue;
            }
            // The purposes and privacy logs only in format 5.
            if kind.is_privacy() && (version < PRIVACY_VERSION || n == 0) {
                continue;
            }
            // Attached documents only in format 6.
            if kind.is_documents() && (version < DOCUMENTS_VERSION || n == 0) {
                continue;
            }
            order.push((name, kind));
            counts.push(TableCount {
                name: name.to_string(),
                count: n,
            });
        }
        let desk = match opts.desk {
            Some(id) => {
                let t = txn.open_table(records::DESKS).map_err(BackupError::from)?;
                let v = t.get(id.0).map_err(BackupError::from)?;
                v.and_then(|v| codec::decode::<Desk>(v.value()).ok())
                    .map(|d| DeskInfo { id, name: d.name })
            }
            None => None,
        };
        let audit_head = txn
            .open_table(META)
            .map_err(BackupError::from)?
            .get(crate::store::audit::KEY_HEAD)
            .map_err(BackupError::from)?
            .and_then(|v| crate::store::audit::parse_head(v.value()))
            .map(|(_, h)| crate::store::audit::hex(&h));
        let header = Header {
            app: "Accoglienza".into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version,
            created_at: self.clock.now_with_offset(),
            desk,
            operator: opts.operator,
            through_year,
            audit_head,
            compression: "zstd".into(),
            tables: counts,
        };
        let total = header.total();
        let phase = "Scrittura del backup";
        progress(phase, 0, total);
        // A backup of an encrypted database is always encrypted, with its keys.
        let sink = match &self.crypt {
            Some(c) => Sink::keyed(out, &c.keys()?)?,
            None => Sink::new(out, opts.passphrase.as_ref(), opts.work_factor)?,
        };
        let mut hw = HashingWriter::new(sink);
        write_prefix(&mut hw, &header, version)?;
        let mut enc = zstd::stream::write::Encoder::new(hw, opts.level)?;
        enc.include_checksum(true)?;
        let mut body = BufWriter::with_capacity(1 << 20, enc);
        let mut done = 0u64;
        for (table, kind) in order {
            let t = txn.open_table(def_of(kind)).map_err(BackupError::from)?;
            let expected = header.count(table);
            let mut n = 0u64;
            for item in t.iter().map_err(BackupError::from)? {
                let (k, v) = item.map_err(BackupError::from)?;
                if v.value().len() > max_record(version) {
                    if version < LARGE_VERSION {
                        return Err(WriteFailure::LargeRecord);
                    }
                    return Err(WriteFailure::Backup(BackupError::Store(
                        StoreError::Corrupt(format!(
                            "un record di «{table}» supera la dimensione massima"
                        )),
                    )));
                }
                write_record(&mut body, k.value(), v.value())?;
                n += 1;
                done += 1;
                if done.is_multiple_of(8192) {
                    progress(phase, done, total);
                }
            }
            if n != expected {
                return Err(WriteFailure::Backup(BackupError::Store(
                    StoreError::Corrupt(format!(
                        "la tabella {table} ha {n} record invece di {expected}"
                    )),
                )));
            }
        }
        let enc = body.into_inner().map_err(|e| e.into_error())?;
        let hw = enc.finish()?;
        let sink = hw.finish()?;
        let out = sink.finish()?;
        progress(phase, total, total);
        Ok((header, out))
    }
}

/// Why [`Store::write_backup`] stopped: the writer failed, or the backup itself did.
#[derive(Debug)]
pub enum WriteFailure {
    /// Writing to the output failed.
    Io(std::io::Error),
    /// Reading the database failed.
    Backup(BackupError),
    /// A record is over the 16 MiB of format version 1: write version 2 instead.
    LargeRecord,
}

impl From<std::io::Error> for WriteFailure {
    fn from(e: std::io::Error) -> Self {
        WriteFailure::Io(e)
    }
}

impl From<BackupError> for WriteFailure {
    fn from(e: BackupError) -> Self {
        WriteFailure::Backup(e)
    }
}

impl From<StoreError> for WriteFailure {
    fn from(e: StoreError) -> Self {
        WriteFailure::Backup(BackupError::Store(e))
    }
}

/// When `dest` holds a backup with more records than the `new_records` about to replace
/// it: what it holds. A file that is not a backup, or is empty, is not protected here.
/// An encrypted backup that does not open with `pass` (another passphrase) counts as
/// larger when its file is bigger than the new one (`new_bytes`).
fn larger_backup_at(
    dest: &Path,
    pass: Option<&SecretString>,
    new_records: u64,
    new_bytes: u64,
) -> Option<ExistingBackup> {
    let bytes = std::fs::metadata(dest).ok()?.len();
    if bytes == 0 {
        return None;
    }
    let header = match open_source(dest, pass) {
        Ok((src, _)) => peek_header(src),
        Err(_) if is_encrypted(dest).unwrap_or(false) || is_keyed(dest) => {
            return (bytes > new_bytes).then_some(ExistingBackup {
                records: None,
                bytes,
                created_at: None,
            });
        }
        Err(_) => None,
    }?;
    (header.total() > new_records).then_some(ExistingBackup {
        records: Some(header.total()),
        bytes,
        created_at: Some(header.created_at),
    })
}

// ---------------------------------------------------------------- verify

macro_rules! by_kind {
    ($kind:expr, $recv:ident . $f:ident ( $($arg:expr),* )) => {
        match $kind {
            EntityKind::Person => $recv.$f::<Person>($($arg),*),
            EntityKind::Household => $recv.$f::<Household>($($arg),*),
            EntityKind::Operator => $recv.$f::<Operator>($($arg),*),
            EntityKind::Contact => $recv.$f::<Contact>($($arg),*),
            EntityKind::Case => $recv.$f::<Case>($($arg),*),
            EntityKind::Project => $recv.$f::<Project>($($arg),*),
            EntityKind::Referral => $recv.$f::<Referral>($($arg),*),
            EntityKind::Activity => $recv.$f::<Activity>($($arg),*),
            EntityKind::Area => $recv.$f::<Area>($($arg),*),
            EntityKind::ServiceLine => $recv.$f::<ServiceLine>($($arg),*),
            EntityKind::Desk => $recv.$f::<Desk>($($arg),*),
            EntityKind::Measure => $recv.$f::<Measure>($($arg),*),
            EntityKind::TerritorialService => $recv.$f::<TerritorialService>($($arg),*),
            EntityKind::Role => $recv.$f::<Role>($($arg),*),
            EntityKind::Account => $recv.$f::<Account>($($arg),*),
            EntityKind::AccessRole => $recv.$f::<AccessRole>($($arg),*),
            EntityKind::Purpose => $recv.$f::<Purpose>($($arg),*),
            EntityKind::PrivacyEntry => $recv.$f::<PrivacyEntry>($($arg),*),
            EntityKind::Appointment => $recv.$f::<Appointment>($($arg),*),
            EntityKind::DocumentKind => $recv.$f::<DocumentKind>($($arg),*),
            EntityKind::Bando => $recv.$f::<Bando>($($arg),*),
            EntityKind::Pratica => $recv.$f::<Pratica>($($arg),*),
            EntityKind::Document => $recv.$f::<Document>($($arg),*),
        }
    };
    ($kind:expr, $f:ident ( $($arg:expr),* )) => {
        match $kind {
            EntityKind::Person => $f::<Person>($($arg),*),
            EntityKind::Household => $f::<Household>($($arg),*),
            EntityKind::Operator => $f::<Operator>($($arg),*),
            EntityKind::Contact => $f::<Contact>($($arg),*),
            EntityKind::Case => $f::<Case>($($arg),*),
            EntityKind::Project => $f::<Project>($($arg),*),
            EntityKind::Referral => $f::<Referral>($($arg),*),
            EntityKind::Activity => $f::<Activity>($($arg),*),
            EntityKind::Area => $f::<Area>($($arg),*),
            EntityKind::ServiceLine => $f::<ServiceLine>($($arg),*),
            EntityKind::Desk => $f::<Desk>($($arg),*),
            EntityKind::Measure => $f::<Measure>($($arg),*),
            EntityKind::TerritorialService => $f::<TerritorialService>($($arg),*),
            EntityKind::Role => $f::<Role>($($arg),*),
            EntityKind::Account => $f::<Account>($($arg),*),
            EntityKind::AccessRole => $f::<AccessRole>($($arg),*),
            EntityKind::Purpose => $f::<Purpose>($($arg),*),
            EntityKind::PrivacyEntry => $f::<PrivacyEntry>($($arg),*),
            EntityKind::Appointment => $f::<Appointment>($($arg),*),
            EntityKind::DocumentKind => $f::<DocumentKind>($($arg),*),
            EntityKind::Bando => $f::<Bando>($($arg),*),
            EntityKind::Pratica => $f::<Pratica>($($arg),*),
            EntityKind::Document => $f::<Document>($($arg),*),
        }
    };
}

fn decoded<E: Entity>(key: u128, value: &[u8]) -> Result<(), String> {
    let r: E = codec::decode(value).map_err(|e| e.to_string())?;
    if r.id().0 != key {
        return Err("l'identificativo interno non corrisponde alla chiave".into());
    }
    Ok(())
}

fn check_record(
    path: &Path,
    table: &str,
    kind: Section,
    key: u128,
    value: &[u8],
) -> Result<(), BackupError> {
    check_value(path, table, kind, value, |k| {
        by_kind!(k, decoded(key, value))
    })
}

struct DecodeCheck<'a> {
    path: &'a Path,
}

impl Visitor for DecodeCheck<'_> {
    fn record(
        &mut self,
        table: &str,
        kind: Section,
        key: u128,
        value: &[u8],
    ) -> Result<(), BackupError> {
        check_record(self.path, table, kind, key, value)
    }
}

/// Checks a whole backup without restoring it: decryption, format, header, every record
/// decodable by this version, record counts and SHA-256. Returns what the header says.
pub fn verify(
    path: &Path,
    passphrase: Option<&SecretString>,
    progress: Progress<'_>,
) -> Result<BackupInfo, BackupError> {
    let (src, encrypted) = open_source(path, passphrase)?;
    let header = read_backup(path, src, &mut DecodeCheck { path }, progress)?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(BackupInfo {
        path: path.to_path_buf(),
        bytes,
        encrypted,
        header,
    })
}

/// Verifies a backup held in memory (fuzzing and property tests).
pub fn verify_bytes(
    bytes: &[u8],
    passphrase: Option<&SecretString>,
) -> Result<Header, BackupError> {
    let path = Path::new("(memoria)");
    let (src, _) = crypt::decrypting(path, bytes, passphrase)?;
    read_backup(path, src, &mut DecodeCheck { path }, &mut |_, _, _| {})
}

pub(crate) mod convert;
mod restore;
mod stream;
mod swap;

pub(crate) use companions::{companion_files, sync_parent};
pub use restore::{RestoredDb, restore_to_new_file};
pub use swap::{Swapped, swap_in};

#[cfg(test)]
mod tests;

/// What [`read_each`] hands each record to: (section, key, value).
pub(crate) type OnRecord<'a> = dyn FnMut(Section, u128, &[u8]) -> Result<(), BackupError> + 'a;

/// Hands a visitor closure every record of a backup.
struct EachRecord<'a, 'b> {
    f: &'a mut OnRecord<'b>,
}

impl Visitor for EachRecord<'_, '_> {
    fn record(
        &mut self,
        _table: &str,
        kind: Section,
        key: u128,
        value: &[u8],
    ) -> Result<(), BackupError> {
        (self.f)(kind, key, value)
    }
}

/// Reads a whole backup (plain, or encrypted with `passphrase`) and hands every record to
/// `f` as (section, key, value), checking format, counts and SHA-256 like [`verify`]: what
/// `f` collected can be trusted only when this returns `Ok` (the desk merge's reader).
pub(crate) fn read_each(
    path: &Path,
    passphrase: Option<&SecretString>,
    progress: Progress<'_>,
    f: &mut OnRecord<'_>,
) -> Result<Header, BackupError> {
    let (src, _) = open_source(path, passphrase)?;
    read_backup(path, src, &mut EachRecord { f }, progress)
}
