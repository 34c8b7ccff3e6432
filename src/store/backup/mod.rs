//! Logical backups (`.accbak`): the records of one read snapshot, compressed, checksummed and
//! optionally encrypted with a passphrase (age); verification; and restore into a new file
//! beside the live database, checked, then swapped in with a safety copy of what it replaces.
//! See docs/BACKUP_FORMAT.md for the format and the crash analysis of the swap.

mod atomic;
mod auto;
mod error;
mod format;

pub use age::secrecy::SecretString;
pub use auto::{
    AutoBackupSettings, AutoWhen, LastBackup, REMINDER_DAYS, auto_backup_due, reminder_due,
    run_auto_backup, slug,
};
pub use error::BackupError;
pub use format::{
    AUDIT_TABLE, DeskInfo, EXTENSION, FORMAT_VERSION, Header, MAGIC, MAX_WORK_FACTOR,
    PUBLISHED_TABLE, Section, TableCount, WORK_FACTOR, body_order, is_encrypted, table_name,
    tables,
};

use super::entity::{Entity, IndexEntries, table_of};
use super::tables::*;
use super::{Store, StoreError, aggregates, codec};
use crate::domain::counting::{HouseholdState, MemWorld, PersonState, Tally, contributions};
use crate::domain::*;
use atomic::{AtomicFile, parent_dir, sync_dir};
use chrono::Datelike;
use format::{HashingWriter, Sink, Visitor, open_source, read_backup, write_prefix, write_record};
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata};
use std::any::Any;
use std::collections::{BTreeMap, HashMap, HashSet};
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

/// The Italian plural name of a backup table, for previews and reports.
pub fn table_label(name: &str) -> &'static str {
    match name {
        "people" => "persone",
        "households" => "nuclei familiari",
        "operators" => "operatori",
        "contacts" => "accessi",
        "cases" => "prese in carico",
        "projects" => "progetti",
        "referrals" => "invii alla rete",
        "activities" => "attività di gruppo",
        "areas" => "aree",
        "service_lines" => "linee di servizio",
        "desks" => "sportelli",
        "measures" => "misure",
        "territorial_services" => "servizi territoriali",
        "roles" => "ruoli",
        AUDIT_TABLE => "voci del registro",
        PUBLISHED_TABLE => "anni pubblicati",
        _ => "altro",
    }
}

/// A file name for a backup made now at a desk: `accoglienza-<desk>-<aaaa-mm-gg>-<hhmm>.accbak`.
pub fn suggested_file_name(desk: Option<&str>, at: chrono::NaiveDateTime) -> String {
    format!(
        "accoglienza-{}-{}.{EXTENSION}",
        slug(desk.unwrap_or("sede")),
        at.format("%Y-%m-%d-%H%M")
    )
}

fn def_of(section: Section) -> records::Def {
    match section {
        Section::Records(k) => table_of(k),
        Section::Audit => AUDIT,
        Section::Published => super::published::PUBLISHED,
    }
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

    /// Writes a backup to `dest`: into a temporary file in the same folder, fsynced, then
    /// renamed, so `dest` is either the complete backup or untouched. The window keeps
    /// working meanwhile (one read snapshot). Records the backup as the last one made.
    pub fn backup_to(
        &self,
        dest: &Path,
        opts: &BackupOptions,
        progress: Progress<'_>,
    ) -> Result<BackupInfo, BackupError> {
        let mut file = AtomicFile::create(dest)?;
        let header = match self.write_backup(&mut file, opts, progress) {
            Ok((h, _)) => h,
            Err(WriteFailure::Io(e)) => return Err(file.write_error(e)),
            Err(WriteFailure::Backup(e)) => return Err(e),
        };
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
            encrypted: opts.passphrase.is_some(),
            header,
        })
    }

    /// Streams a backup of one read snapshot into `out`; returns its header and `out`.
    pub fn write_backup<W: Write>(
        &self,
        out: W,
        opts: &BackupOptions,
        progress: Progress<'_>,
    ) -> Result<(Header, W), WriteFailure> {
        let txn = self.db.begin_read().map_err(BackupError::from)?;
        let schema_version = meta_u32(&txn, "schema_version")?.unwrap_or(SCHEMA_VERSION);
        let through_year = meta_u32(&txn, "through_year")?.unwrap_or(0) as i32;
        let mut counts = Vec::new();
        for (name, kind) in body_order() {
            let n = txn
                .open_table(def_of(kind))
                .map_err(BackupError::from)?
                .len()
                .map_err(BackupError::from)?;
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
        let header = Header {
            app: "Accoglienza".into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version,
            created_at: chrono::Local::now().fixed_offset(),
            desk,
            operator: opts.operator,
            through_year,
            compression: "zstd".into(),
            tables: counts,
        };
        let total = header.total();
        let phase = "Scrittura del backup";
        progress(phase, 0, total);
        let sink = Sink::new(out, opts.passphrase.as_ref(), opts.work_factor)?;
        let mut hw = HashingWriter::new(sink);
        write_prefix(&mut hw, &header)?;
        let mut enc = zstd::stream::write::Encoder::new(hw, opts.level)?;
        enc.include_checksum(true)?;
        let mut body = BufWriter::with_capacity(1 << 20, enc);
        let mut done = 0u64;
        for (table, kind) in body_order() {
            let t = txn.open_table(def_of(kind)).map_err(BackupError::from)?;
            let expected = header.count(table);
            let mut n = 0u64;
            for item in t.iter().map_err(BackupError::from)? {
                let (k, v) = item.map_err(BackupError::from)?;
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
        }
    };
}

fn decoded<E: Entity>(key: u128, value: &[u8], index: bool) -> Result<IndexEntries, String> {
    let r: E = codec::decode(value).map_err(|e| e.to_string())?;
    if r.id().0 != key {
        return Err("l'identificativo interno non corrisponde alla chiave".into());
    }
    Ok(if index {
        r.index_entries()
    } else {
        IndexEntries::default()
    })
}

fn check_record(
    path: &Path,
    table: &str,
    kind: Section,
    key: u128,
    value: &[u8],
    index: bool,
) -> Result<IndexEntries, BackupError> {
    let r = match kind {
        Section::Records(k) => by_kind!(k, decoded(key, value, index)),
        Section::Audit => codec::decode::<AuditEntry>(value)
            .map(|_| IndexEntries::default())
            .map_err(|e| e.to_string()),
        Section::Published => codec::decode::<super::published::Published>(value)
            .map(|_| IndexEntries::default())
            .map_err(|e| e.to_string()),
    };
    r.map_err(|why| {
        BackupError::Damaged(
            path.into(),
            format!("record illeggibile in «{}» ({why})", table_label(table)),
        )
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
        check_record(self.path, table, kind, key, value, false).map(|_| ())
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
    let (src, _) = format::decrypting(path, bytes, passphrase)?;
    read_backup(path, src, &mut DecodeCheck { path }, &mut |_, _, _| {})
}

// ---------------------------------------------------------------- restore

/// A database rebuilt from a backup, checked, closed, waiting beside the live one to be
/// swapped in with [`swap_in`]. Dropped without swapping, the file is removed.
#[derive(Debug)]
pub struct RestoredDb {
    /// The new database file (in the live database's folder).
    pub path: PathBuf,
    /// The backup it came from.
    pub source: PathBuf,
    /// The backup's header.
    pub header: Header,
    /// Whether the backup was encrypted.
    pub encrypted: bool,
    keep: bool,
}

impl Drop for RestoredDb {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Removes a half-built database unless disarmed.
struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

const RESTORE_TAG: &str = ".ripristino-in-corso-";
const BATCH_RECORDS: usize = 50_000;
/// Up to this many records the restored database also gets the store's full `check`
/// (a complete recount); above it, the checks made while streaming stand (docs/BACKUP_FORMAT.md).
const FULL_CHECK_UP_TO: u64 = 300_000;

/// What is derived from the records while they stream in: index entries (sorted and
/// inserted at the end) and references to check.
struct Derived {
    /// Ids seen so far, per kind (contacts are never referred to and are not kept).
    ids: HashMap<EntityKind, HashSet<u128>>,
    /// References to records not seen (yet): checked at the end.
    pending: HashSet<(EntityKind, u128)>,
    subjects: Vec<[u8; 33]>,
    dates: Vec<[u8; 21]>,
    texts: Vec<(u8, String, u128)>,
    counts: BTreeMap<EntityKind, u64>,
}

impl Derived {
    fn new() -> Self {
        Derived {
            ids: HashMap::new(),
            pending: HashSet::new(),
            subjects: Vec::new(),
            dates: Vec::new(),
            texts: Vec::new(),
            counts: BTreeMap::new(),
        }
    }

    fn record<E: Entity>(&mut self, key: u128, value: &[u8]) -> Result<(), String> {
        let r: E = codec::decode(value).map_err(|e| e.to_string())?;
        if r.id().0 != key {
            return Err("l'identificativo interno non corrisponde alla chiave".into());
        }
        *self.counts.entry(E::KIND).or_insert(0) += 1;
        for (_, kind, id) in r.references() {
            if !self.ids.get(&kind).is_some_and(|s| s.contains(&id.0)) {
                self.pending.insert((kind, id.0));
            }
        }
        if E::KIND != EntityKind::Contact {
            self.ids.entry(E::KIND).or_default().insert(key);
        }
        let ix = r.index_entries();
        let c = E::KIND.code();
        for s in &ix.subjects {
            let mut e = [0u8; 33];
            e[0] = c;
            e[1..17].copy_from_slice(&s.0.to_be_bytes());
            e[17..].copy_from_slice(&key.to_be_bytes());
            self.subjects.push(e);
        }
        if let Some(d) = ix.day {
            let mut e = [0u8; 21];
            e[0] = c;
            e[1..5].copy_from_slice(&((d as u32) ^ 0x8000_0000).to_be_bytes());
            e[5..].copy_from_slice(&key.to_be_bytes());
            self.dates.push(e);
        }
        for (n, t) in ix.texts {
            self.texts.push((n, t, key));
        }
        Ok(())
    }
}

type Batch = Arc<Vec<(Section, u128, Vec<u8>)>>;

/// Counts the records as they stream in (on its own thread): the people and households come
/// first in the body, then the records that count.
struct Counter {
    through_year: i32,
    world: MemWorld,
    linked: bool,
    /// People or households arrived after countable records: the counts are redone from the
    /// tables instead.
    late: bool,
    tally: Tally,
}

impl Counter {
    fn add<E: Entity>(&mut self, value: &[u8]) {
        // Already decoded successfully by the reading thread.
        let Ok(r) = codec::decode::<E>(value) else {
            return;
        };
        let any = &r as &dyn Any;
        if let Some(p) = any.downcast_ref::<Person>() {
            self.late |= self.linked;
            self.world.people.insert(
                p.id,
                PersonState {
                    archived: p.archived,
                    household: p.household.map(|m| m.household),
                },
            );
        } else if let Some(h) = any.downcast_ref::<Household>() {
            self.late |= self.linked;
            self.world.households.insert(
                h.id,
                HouseholdState {
                    archived: h.archived,
                    members: vec![],
                },
            );
        } else if let Some(c) = r.countable() {
            if !self.linked {
                self.world.link_members();
                self.linked = true;
            }
            self.tally
                .add_all(&contributions(c, &self.world, self.through_year));
        }
    }

    fn batch(&mut self, batch: &Batch) {
        use EntityKind as K;
        for (kind, _, value) in batch.iter() {
            match kind {
                Section::Records(K::Person) => self.add::<Person>(value),
                Section::Records(K::Household) => self.add::<Household>(value),
                Section::Records(K::Contact) => self.add::<Contact>(value),
                Section::Records(K::Case) => self.add::<Case>(value),
                Section::Records(K::Project) => self.add::<Project>(value),
                Section::Records(K::Activity) => self.add::<Activity>(value),
                _ => {}
            }
        }
    }
}

/// From the thread that reads the backup to the one that writes the new database.
enum Msg {
    Batch(Batch),
    Progress(String, u64, u64),
}

/// Runs on the reading thread: decodes and derives, hands records over in batches.
struct StreamSink<'a> {
    path: &'a Path,
    batch: Vec<(Section, u128, Vec<u8>)>,
    derived: Derived,
    tx: std::sync::mpsc::SyncSender<Msg>,
    to_counter: std::sync::mpsc::SyncSender<Batch>,
}

impl StreamSink<'_> {
    fn send(&mut self) -> Result<(), BackupError> {
        let batch = Arc::new(std::mem::replace(
            &mut self.batch,
            Vec::with_capacity(BATCH_RECORDS),
        ));
        let stopped = || {
            BackupError::Io(
                self.path.into(),
                std::io::Error::other("scrittura interrotta"),
            )
        };
        self.to_counter.send(batch.clone()).map_err(|_| stopped())?;
        self.tx.send(Msg::Batch(batch)).map_err(|_| stopped())
    }
}

impl Visitor for StreamSink<'_> {
    fn record(
        &mut self,
        table: &str,
        kind: Section,
        key: u128,
        value: &[u8],
    ) -> Result<(), BackupError> {
        let d = &mut self.derived;
        let r = match kind {
            Section::Records(k) => by_kind!(k, d.record(key, value)),
            Section::Audit => codec::decode::<AuditEntry>(value)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Section::Published => codec::decode::<super::published::Published>(value)
                .map(|_| ())
                .map_err(|e| e.to_string()),
        };
        r.map_err(|why| {
            BackupError::Damaged(
                self.path.into(),
                format!("record illeggibile in «{}» ({why})", table_label(table)),
            )
        })?;
        self.batch.push((kind, key, value.to_vec()));
        if self.batch.len() >= BATCH_RECORDS {
            self.send()?;
        }
        Ok(())
    }
}

/// Writes one batch of records (not durable yet: the file is not live).
fn insert_batch(db: &Database, batch: &Batch) -> Result<(), BackupError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(redb::Durability::None)?;
    {
        let mut i = 0;
        while i < batch.len() {
            let kind = batch[i].0;
            let mut t = txn.open_table(def_of(kind))?;
            while i < batch.len() && batch[i].0 == kind {
                let (_, key, value) = &batch[i];
                t.insert(*key, value.as_slice())?;
                i += 1;
            }
        }
    }
    txn.commit()?;
    Ok(())
}

/// Inserts the index entries, sorted (in key order redb appends instead of seeking).
fn write_indexes(db: &Database, d: &mut Derived) -> Result<(), BackupError> {
    d.subjects.sort_unstable();
    d.dates.sort_unstable();
    d.texts.sort_unstable();
    let u128_at = |b: &[u8]| u128::from_be_bytes(b.try_into().unwrap_or([0; 16]));
    let mut txn = db.begin_write()?;
    txn.set_durability(redb::Durability::None)?;
    {
        let mut t = txn.open_multimap_table(BY_SUBJECT)?;
        for e in &d.subjects {
            t.insert((e[0], u128_at(&e[1..17])), u128_at(&e[17..]))?;
        }
        let mut t = txn.open_table(BY_DATE)?;
        for e in &d.dates {
            let day = u32::from_be_bytes([e[1], e[2], e[3], e[4]]) ^ 0x8000_0000;
            t.insert((e[0], day as i32, u128_at(&e[5..])), ())?;
        }
        let mut t = txn.open_multimap_table(BY_TEXT)?;
        for (n, s, id) in &d.texts {
            t.insert((*n, s.as_str()), *id)?;
        }
    }
    txn.commit()?;
    d.subjects = Vec::new();
    d.dates = Vec::new();
    d.texts = Vec::new();
    Ok(())
}

/// References that do not resolve (those to records not seen while streaming are looked
/// up in the new database).
fn dangling(db: &Database, d: &Derived) -> Result<Vec<String>, BackupError> {
    let txn = db.begin_read()?;
    let mut out = Vec::new();
    for (kind, id) in &d.pending {
        if d.ids.get(kind).is_some_and(|s| s.contains(id)) {
            continue;
        }
        if txn.open_table(table_of(*kind))?.get(*id)?.is_none() {
            out.push(format!(
                "un riferimento punta a {} inesistente ({})",
                kind.label(),
                Id(*id)
            ));
            if out.len() >= 20 {
                break;
            }
        }
    }
    Ok(out)
}

/// Reads the backup on a second thread (decrypt, decompress, decode, derive) and counts on a
/// third, while this one writes the records into `db`. Returns the header, what was derived,
/// and the counts (`None` when they must be redone from the tables).
fn stream_into(
    db: &Database,
    backup: &Path,
    src: Box<dyn std::io::Read + Send>,
    through_year: i32,
    progress: Progress<'_>,
) -> Result<(Header, Derived, Option<Tally>), BackupError> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(4);
        let (to_counter, counter_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let counter = scope.spawn(move || {
            let mut c = Counter {
                through_year,
                world: MemWorld::default(),
                linked: false,
                late: false,
                tally: Tally::default(),
            };
            for b in counter_rx.iter() {
                c.batch(&b);
            }
            (!c.late).then_some(c.tally)
        });
        let reader = scope.spawn(move || {
            let mut sink = StreamSink {
                path: backup,
                batch: Vec::with_capacity(BATCH_RECORDS),
                derived: Derived::new(),
                tx: tx.clone(),
                to_counter,
            };
            let mut report = |phase: &str, done: u64, total: u64| {
                let _ = tx.send(Msg::Progress(phase.to_string(), done, total));
            };
            let header = read_backup(backup, src, &mut sink, &mut report)?;
            sink.send()?;
            Ok::<_, BackupError>((header, sink.derived))
        });
        let mut written: Result<(), BackupError> = Ok(());
        for msg in rx.iter() {
            match msg {
                Msg::Progress(p, d, t) => progress(&p, d, t),
                Msg::Batch(b) => {
                    written = insert_batch(db, &b);
                    if written.is_err() {
                        break;
                    }
                }
            }
        }
        drop(rx);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(BackupError::Fatal("lettura del backup interrotta".into())));
        let tally = counter.join().ok().flatten();
        written?;
        let (header, derived) = read?;
        Ok((header, derived, tally))
    })
}

fn db_err(path: &Path, e: redb::DatabaseError) -> BackupError {
    match e {
        redb::DatabaseError::Storage(redb::StorageError::Io(io)) => {
            if error::is_disk_full(&io) {
                BackupError::DiskFull(path.into())
            } else {
                BackupError::Io(path.into(), io)
            }
        }
        other => BackupError::Store(StoreError::Db(other.to_string())),
    }
}

/// Writes the annual counts of a tally (what `aggregates::rebuild` writes after its recount).
fn write_tally(txn: &redb::WriteTransaction, tally: &Tally) -> Result<(), BackupError> {
    txn.delete_table(AGG_KEYS)?;
    txn.delete_table(AGG_TOTALS)?;
    let mut keys = txn.open_table(AGG_KEYS)?;
    let mut result = Ok(());
    tally.for_each_sorted_key(|(line, year, unit, key), m| {
        if result.is_ok() {
            result = keys
                .insert((line.0, year, unit.code(), key.0), m)
                .map(|_| ());
        }
    });
    result?;
    let mut totals = txn.open_table(AGG_TOTALS)?;
    for ((line, year, unit), n) in tally.totals() {
        totals.insert((line.0, year, unit.code()), n)?;
    }
    Ok(())
}

/// Rebuilds a database from a backup into a new file beside the live one (whose open
/// [`Store`] proves nobody else has it): verifies as it reads, rebuilds indexes and annual
/// counts, checks every reference, writes one audit entry per kind restored, checks the
/// file, and closes it. The live database is not touched; call [`swap_in`] to replace it.
pub fn restore_to_new_file(
    live: &Store,
    backup: &Path,
    passphrase: Option<&SecretString>,
    actor: Id,
    progress: Progress<'_>,
) -> Result<RestoredDb, BackupError> {
    let live_path = live.path().to_path_buf();
    let dir = parent_dir(&live_path);
    let live_name = live_path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "accoglienza.redb".into());
    // What an interrupted restore of this database left behind.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let stale = format!("{live_name}{RESTORE_TAG}");
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&stale) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let new_path = dir.join(format!("{live_name}{RESTORE_TAG}{stamp}"));
    let mut guard = RemoveOnDrop(Some(new_path.clone()));
    let carried = live.auto_backup_settings().ok();

    let (src, encrypted) = open_source(backup, passphrase)?;
    let mut db = redb::Builder::new()
        .set_cache_size(64 << 20)
        .create(&new_path)
        .map_err(|e| db_err(&new_path, e))?;
    let year = time::today().year();
    {
        let txn = db.begin_write()?;
        {
            let mut meta = txn.open_table(META)?;
            meta.insert("schema_version", SCHEMA_VERSION.to_le_bytes().as_slice())?;
            meta.insert("through_year", year.to_le_bytes().as_slice())?;
            meta.insert("aggregates_stale", [1u8].as_slice())?;
        }
        for (_, kind) in tables() {
            txn.open_table(def_of(kind))?;
        }
        txn.open_multimap_table(BY_SUBJECT)?;
        txn.open_table(BY_DATE)?;
        txn.open_multimap_table(BY_TEXT)?;
        txn.open_table(AGG_KEYS)?;
        txn.open_table(AGG_TOTALS)?;
        txn.commit()?;
    }
    let (header, mut derived, tally) = stream_into(&db, backup, src, year, progress)?;
    progress("Ricostruzione degli indici", 0, 1);
    write_indexes(&db, &mut derived)?;
    progress("Controllo dei riferimenti", 0, 1);
    let mut problems = dangling(&db, &derived)?;
    for (name, kind) in tables() {
        if let Section::Records(k) = kind {
            let n = derived.counts.get(&k).copied().unwrap_or(0);
            if n != header.count(name) {
                problems.push(format!(
                    "{}: {n} record invece dei {} del backup",
                    table_label(name),
                    header.count(name)
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(BackupError::CheckFailed(problems));
    }
    progress("Ricostruzione dei conteggi annuali", 0, 1);
    {
        let mut txn = db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        match &tally {
            Some(t) => write_tally(&txn, t)?,
            // People or households came after countable records (not the order this
            // program writes): count again from the tables.
            None => aggregates::rebuild(&txn, year)?,
        }
        drop(tally);
        drop(derived);
        {
            let mut audit = txn.open_table(AUDIT)?;
            let now = time::now_minute();
            for (name, kind) in tables() {
                let (Section::Records(kind), n) = (kind, header.count(name)) else {
                    continue;
                };
                if n == 0 {
                    continue;
                }
                let entry = AuditEntry {
                    at: now,
                    operator: actor,
                    action: Action::RestoreBackup,
                    kind,
                    entity: Id::NIL,
                    count: n,
                };
                audit.insert(Id::new().0, codec::encode(&entry).as_slice())?;
            }
        }
        let bytes = std::fs::metadata(backup).map(|m| m.len()).unwrap_or(0);
        let last = LastBackup {
            at: header.created_at,
            path: backup.to_path_buf(),
            bytes,
            automatic: false,
        };
        {
            let mut meta = txn.open_table(META)?;
            let json = serde_json::to_vec(&last).unwrap_or_default();
            meta.insert("last_backup", json.as_slice())?;
            if let Some(s) = &carried {
                let json = serde_json::to_vec(s).unwrap_or_default();
                meta.insert("backup_settings", json.as_slice())?;
            }
            meta.insert("aggregates_stale", [0u8].as_slice())?;
        }
        txn.commit()?;
    }
    progress("Controllo del database ripristinato", 0, 1);
    match db.check_integrity() {
        Ok(true) => {}
        Ok(false) => {
            return Err(BackupError::CheckFailed(vec![
                "il file ricostruito ha richiesto una riparazione".into(),
            ]));
        }
        Err(e) => return Err(BackupError::CheckFailed(vec![e.to_string()])),
    }
    drop(db);
    {
        let mut store = Store::open(&new_path)?;
        if header.total() <= FULL_CHECK_UP_TO {
            let report = store.check()?;
            if !report.ok() {
                return Err(BackupError::CheckFailed(report.problems));
            }
        }
    }
    if let Ok(f) = std::fs::File::open(&new_path) {
        let _ = f.sync_all();
    }
    sync_dir(&dir);
    progress("Controllo del database ripristinato", 1, 1);
    guard.0 = None;
    Ok(RestoredDb {
        path: new_path,
        source: backup.to_path_buf(),
        header,
        encrypted,
        keep: false,
    })
}

/// The outcome of a swap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swapped {
    /// The live database (now the restored data).
    pub live: PathBuf,
    /// The database that was replaced, kept under this name.
    pub safety_copy: PathBuf,
}

impl Store {
    /// A store on an empty in-memory database, held in the slot only while the live file is
    /// closed for the swap.
    fn placeholder() -> Result<Store, BackupError> {
        let db = redb::Builder::new()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(|e| BackupError::Store(StoreError::Db(e.to_string())))?;
        Ok(Store {
            db,
            path: PathBuf::from("(database chiuso per il ripristino)"),
        })
    }
}

fn safety_copy_path(live: &Path) -> PathBuf {
    let dir = parent_dir(live);
    let stem = live
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "accoglienza".into());
    let ext = live
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut p = dir.join(format!("{stem}.prima-del-ripristino-{stamp}{ext}"));
    let mut i = 2;
    while p.exists() {
        p = dir.join(format!("{stem}.prima-del-ripristino-{stamp}-{i}{ext}"));
        i += 1;
    }
    p
}

/// Replaces the live database with a restored one. `slot` must be the only handle to the
/// live store (no background job running), else [`BackupError::Busy`] and nothing changes.
///
/// Steps: close the live store; give the live file a second name, the safety copy (a hard
/// link, or a copy where links are not supported); rename the restored file over the live
/// name (atomic); reopen. At every instant the live name holds a complete database (the old
/// one, then the new one), so a crash at any step leaves a database that opens. On any
/// failure the previous database is reopened into `slot`.
pub fn swap_in(slot: &mut Arc<Store>, mut restored: RestoredDb) -> Result<Swapped, BackupError> {
    let live = slot.path().to_path_buf();
    if parent_dir(&restored.path) != parent_dir(&live) {
        return Err(BackupError::Io(
            restored.path.clone(),
            std::io::Error::other(
                "il database ripristinato non è nella cartella di quello attuale",
            ),
        ));
    }
    let old = std::mem::replace(slot, Arc::new(Store::placeholder()?));
    match Arc::try_unwrap(old) {
        Ok(store) => drop(store),
        Err(shared) => {
            *slot = shared;
            return Err(BackupError::Busy);
        }
    }
    let reopen = |slot: &mut Arc<Store>, path: &Path, why: BackupError| -> BackupError {
        match Store::open(path) {
            Ok(s) => {
                *slot = Arc::new(s);
                why
            }
            Err(e) => BackupError::Fatal(format!("{why}; riapertura di {}: {e}", path.display())),
        }
    };
    let dir = parent_dir(&live);
    let safety = safety_copy_path(&live);
    if std::fs::hard_link(&live, &safety).is_err() {
        let copied =
            std::fs::copy(&live, &safety).and_then(|_| std::fs::File::open(&safety)?.sync_all());
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&safety);
            return Err(reopen(slot, &live, BackupError::Io(safety, e)));
        }
    }
    sync_dir(&dir);
    if let Err(e) = std::fs::rename(&restored.path, &live) {
        let _ = std::fs::remove_file(&safety);
        return Err(reopen(slot, &live, BackupError::Io(live.clone(), e)));
    }
    restored.keep = true;
    sync_dir(&dir);
    match Store::open(&live) {
        Ok(s) => {
            *slot = Arc::new(s);
            Ok(Swapped {
                live,
                safety_copy: safety,
            })
        }
        Err(e) => {
            // Put the previous database back under the live name.
            if let Err(e2) = std::fs::rename(&safety, &live) {
                return Err(BackupError::Fatal(format!(
                    "{e}; il database precedente è in {} ({e2})",
                    safety.display()
                )));
            }
            sync_dir(&dir);
            Err(reopen(slot, &live, BackupError::Store(e)))
        }
    }
}

#[cfg(test)]
mod tests;
