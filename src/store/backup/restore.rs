//! Restore: a backup rebuilt into a new database file beside the live one — records
//! streamed in on one thread while another reads and a third recounts, indexes and counts
//! rebuilt, every reference checked — never touching the live file.

use super::stream::{Source, dangling, stream_into, write_indexes};
use super::*;
use crate::domain::time::Clock;

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
    pub(super) keep: bool,
    /// The keys the new file is encrypted with (`None`: plain).
    pub(super) keys: Option<Box<crate::store::crypt::Unlocked>>,
}

impl Drop for RestoredDb {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The `meta` settings a restore keeps from the live database: they belong to the desk
/// (the thresholds of Oggi, the accounts' inactivity lock, the size limit of attached
/// documents), not to the data a backup
/// holds, and a backup does not carry them. The retention periods are applied to the
/// restored file with the live registro (`privacy::reapply_to_restored`).
pub(crate) const CARRIED_SETTINGS: &[&str] = &[
    crate::store::today::KEY_TODAY,
    crate::store::access::KEY_INACTIVE_DAYS,
    crate::store::documents::KEY_DOCUMENT_SETTINGS,
];

/// What a rebuild writes besides the records, the indexes and the counts.
pub(super) enum Finish<'a> {
    /// A restore: one audit entry per kind restored, the backup as the last one made, the
    /// live database's automatic-backup settings.
    Restore {
        /// The operator restoring.
        actor: Id,
        /// The backup file.
        backup: &'a Path,
        /// The live database's automatic-backup settings, carried over.
        carried: Option<auto::AutoBackupSettings>,
        /// The live database's identity, carried over (its automatic backups keep their
        /// names).
        carried_id: Option<Id>,
        /// The day of the live database's last automatic backup, carried over (so today's
        /// automatic backup of the data being replaced is not overwritten by one of the
        /// restored data).
        carried_auto_day: Option<chrono::NaiveDate>,
        /// The live database's settings of the desk ([`CARRIED_SETTINGS`]), as stored.
        settings: Vec<(&'static str, Vec<u8>)>,
    },
    /// A schema conversion: the old file's settings (`meta`) carried over as they were.
    Convert {
        /// The old `meta` entries other than the schema's own.
        meta: Vec<(String, Vec<u8>)>,
    },
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

/// What a database being restored beside the live one adds to the live file's name.
pub(super) const RESTORE_TAG: &str = ".ripristino-in-corso-";
/// redb's page cache while the rebuilt file is checked: the check reads every page in tree
/// order, so a larger cache only costs bookkeeping (16 MiB: 0.32 s at city scale, 64 MiB:
/// 0.38 s).
const CHECK_CACHE_BYTES: usize = 16 << 20;
/// Up to this many records the restored database also gets the store's full `check`
/// (a complete recount); above it, the checks made while streaming stand (docs/BACKUP_FORMAT.md).
const FULL_CHECK_UP_TO: u64 = 300_000;

/// Rebuilds a database from a stream of records into a new file beside the live one
/// (`<live name><tag><timestamp>`): records appended in key order on one thread while another
/// reads and a third recounts, indexes built sorted, every reference and the record counts
/// checked against the real sizes of the new tables, counts and `finish` committed durably,
/// the file checked and closed. The live database is not touched. `clock` and `year` (the
/// counted year) are the live database's. A disk that fills up is reported as
/// [`BackupError::DiskFull`].
#[allow(clippy::too_many_arguments)]
pub(super) fn rebuild_to_new_file(
    live_path: &Path,
    tag: &str,
    source: Source<'_>,
    source_path: &Path,
    finish: Finish<'_>,
    clock: Clock,
    year: i32,
    keys: Option<crate::store::crypt::Unlocked>,
    progress: Progress<'_>,
) -> Result<(PathBuf, Header), BackupError> {
    let dir = parent_dir(live_path);
    rebuild_inner(
        live_path,
        tag,
        source,
        source_path,
        finish,
        clock,
        year,
        keys,
        progress,
    )
    .map_err(|e| disk_full(e, &dir))
}

/// A storage error that means the disk (or the quota) is full, whatever layer reported it
/// (redb keeps only the system's words: ENOSPC 28 and EDQUOT 122 on Linux, 112 on Windows).
fn disk_full(e: BackupError, dir: &Path) -> BackupError {
    let full = |s: &str| {
        ["(os error 28)", "(os error 122)", "(os error 112)"]
            .iter()
            .any(|c| s.contains(c))
    };
    match e {
        BackupError::Store(StoreError::Db(s)) if full(&s) => BackupError::DiskFull(dir.into()),
        BackupError::Io(_, io) if error::is_disk_full(&io) => BackupError::DiskFull(dir.into()),
        other => other,
    }
}

#[allow(clippy::too_many_arguments)]
fn rebuild_inner(
    live_path: &Path,
    tag: &str,
    source: Source<'_>,
    source_path: &Path,
    finish: Finish<'_>,
    clock: Clock,
    year: i32,
    keys: Option<crate::store::crypt::Unlocked>,
    progress: Progress<'_>,
) -> Result<(PathBuf, Header), BackupError> {
    let dir = parent_dir(live_path);
    let live_name = live_path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "accoglienza.redb".into());
    // What an interrupted rebuild of this database left behind.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let stale = format!("{live_name}{tag}");
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&stale) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let stamp = clock.now().format("%Y%m%d-%H%M%S");
    let new_path = dir.join(format!("{live_name}{tag}{stamp}"));
    let mut guard = RemoveOnDrop(Some(new_path.clone()));

    crate::store::files::create_private(&new_path)?;
    // Encrypted like the database it comes from (same keys, a new file id).
    let (db, sealed) = crate::store::crypt::create_redb(&new_path, 64 << 20, keys.clone())?;
    if let Some(file) = sealed {
        // Not live until it is synced, checked and reopened: sealed behind the writer.
        file.seal_behind();
    }
    {
        let txn = db.begin_write()?;
        {
            let mut meta = txn.open_table(META)?;
            meta.insert("schema_version", SCHEMA_VERSION.to_le_bytes().as_slice())?;
            meta.insert("through_year", year.to_le_bytes().as_slice())?;
            meta.insert("aggregates_stale", [1u8].as_slice())?;
            // The agenda index is built with the other indexes below.
            meta.insert(crate::store::today::KEY_AGENDA_INDEX, [1u8].as_slice())?;
        }
        for (_, kind) in tables() {
            txn.open_table(def_of(kind))?;
        }
        txn.open_table(DERIVED)?;
        txn.commit()?;
    }
    let (header, mut derived, tally) = stream_into(&db, source_path, source, year, progress)?;
    progress("Ricostruzione degli indici", 0, 1);
    let buckets = write_indexes(&db, &mut derived)?;
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
    problems.extend(size_mismatches(&db, &header, buckets)?);
    if !problems.is_empty() {
        return Err(BackupError::CheckFailed(problems));
    }
    progress("Ricostruzione dei conteggi annuali", 0, 1);
    {
        let mut txn = db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        match &tally {
            Some(t) => crate::store::aggregates::write_tally(&txn, t)?,
            // People or households came after countable records (not the order this
            // program writes): count again from the tables.
            None => aggregates::rebuild(&txn, year)?,
        }
        if let Some(t) = &tally {
            problems.extend(aggregate_mismatches(&txn, t)?);
        }
        drop(tally);
        drop(derived);
        let mut meta = txn.open_table(META)?;
        match finish {
            Finish::Restore {
                actor,
                backup,
                carried,
                carried_id,
                carried_auto_day,
                settings,
            } => {
                let now = clock.now_minute();
                for (name, kind) in tables() {
                    let (Section::Records(kind), n) = (kind, header.count(name)) else {
                        continue;
                    };
                    if n == 0 {
                        continue;
                    }
                    let entry = AuditRecord {
                        at: now,
                        operator: actor,
                        account: Id::NIL,
                        action: Action::RestoreBackup,
                        kind,
                        entity: Id::NIL,
                        count: n,
                        detail: String::new(),
                        flagged: false,
                    };
                    drop(meta);
                    crate::store::audit::append(&txn, entry)?;
                    meta = txn.open_table(META)?;
                }
                let bytes = std::fs::metadata(backup).map(|m| m.len()).unwrap_or(0);
                let last = LastBackup {
                    at: header.created_at,
                    path: backup.to_path_buf(),
                    bytes,
                    automatic: false,
                };
                let json = serde_json::to_vec(&last).unwrap_or_default();
                meta.insert(auto::KEY_LAST, json.as_slice())?;
                if let Some(s) = &carried {
                    let json = serde_json::to_vec(s).unwrap_or_default();
                    meta.insert(auto::KEY_SETTINGS, json.as_slice())?;
                }
                for (key, value) in settings {
                    meta.insert(key, value.as_slice())?;
                }
                if let Some(day) = &carried_auto_day {
                    let json = serde_json::to_vec(day).unwrap_or_default();
                    meta.insert(auto::KEY_LAST_AUTO, json.as_slice())?;
                }
                if let Some(id) = carried_id {
                    meta.insert(
                        crate::store::calendar::KEY_DATABASE_ID,
                        id.0.to_be_bytes().as_slice(),
                    )?;
                }
            }
            Finish::Convert { meta: old } => {
                for (k, v) in &old {
                    meta.insert(k.as_str(), v.as_slice())?;
                }
            }
        }
        meta.insert("aggregates_stale", [0u8].as_slice())?;
        drop(meta);
        if !problems.is_empty() {
            return Err(BackupError::CheckFailed(problems));
        }
        txn.commit()?;
    }
    progress("Controllo del database ripristinato", 0, 1);
    // Checked through a handle opened afresh: on the handle that has just written the whole
    // file, redb's check is three times slower (1.2 s instead of 0.35 s at city scale,
    // plain), its caches still shaped by the writes; reopening a cleanly committed file
    // costs a few milliseconds.
    drop(db);
    let (mut db, _) = crate::store::open_database(&new_path, CHECK_CACHE_BYTES, keys.clone())?;
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
        let mut store = Store::open_inner(
            &new_path,
            crate::store::OpenOptions {
                clock,
                must_exist: true,
            },
            keys,
            &mut |_, _, _| {},
        )?;
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
    Ok((new_path, header))
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
    // What belongs to this database rather than to the backup's content: its identity,
    // its automatic-backup settings and the day of its last automatic backup, and the
    // counted year it has reached.
    let carried = live.auto_backup_settings().ok();
    let carried_id = live.database_id().ok();
    let carried_auto_day = live.last_auto_backup_day().ok().flatten();
    let settings = CARRIED_SETTINGS
        .iter()
        .filter_map(|k| live.meta_bytes(k).ok().flatten().map(|v| (*k, v)))
        .collect();
    let year = live.through_year()?;
    // The restored file is encrypted with the live database's keys; restoring a backup of
    // an encrypted database into a plain one encrypts it with the backup's keys (its data
    // must not end up in a plain file).
    let keys = live.keys().or_else(|| {
        crate::store::crypt::backup_keys::part_of(backup)
            .and_then(|p| crate::store::crypt::backup_keys::known(&p.key_id))
    });
    let (src, encrypted) = open_source(backup, passphrase)?;
    let source: Source<'_> =
        Box::new(move |visitor, report| read_backup(backup, src, visitor, report));
    let (path, header) = rebuild_to_new_file(
        live.path(),
        RESTORE_TAG,
        source,
        backup,
        Finish::Restore {
            actor,
            backup,
            carried,
            carried_id,
            carried_auto_day,
            settings,
        },
        live.clock(),
        year,
        keys.clone(),
        progress,
    )?;
    let restored = RestoredDb {
        path,
        source: backup.to_path_buf(),
        header,
        encrypted,
        keep: false,
        keys: keys.clone().map(Box::new),
    };
    // The erasures recorded here are applied again to the older data (a failure drops
    // `restored`, which removes the new file: the live database is untouched).
    progress("Cancellazioni del registro applicate di nuovo", 0, 1);
    crate::store::privacy::reapply_to_restored(live, &restored.path, keys)?;
    progress("Cancellazioni del registro applicate di nuovo", 1, 1);
    Ok(restored)
}

/// Every restored table's real size (redb's own count) against the backup's header, and
/// the derived table's against the index buckets built from the records. The reader
/// already checked that the body held exactly the header's counts; this checks what the
/// new file holds.
fn size_mismatches(
    db: &Database,
    header: &Header,
    buckets: u64,
) -> Result<Vec<String>, BackupError> {
    let txn = db.begin_read()?;
    let mut out = Vec::new();
    for (name, kind) in tables() {
        let n = txn.open_table(def_of(kind))?.len()?;
        if n != header.count(name) {
            out.push(format!(
                "{}: {n} record nel database ricostruito invece dei {} del backup",
                table_label(name),
                header.count(name)
            ));
        }
    }
    let got = txn.open_table(DERIVED)?.len()?;
    if got != buckets {
        out.push(format!(
            "indici: {got} voci invece delle {buckets} ricavate dai record"
        ));
    }
    Ok(out)
}

/// The annual counts as written against the counts made while streaming, and their own
/// invariant: every total of people or families equals its number of distinct keys in the
/// multiplicity buckets, and every key belongs to such a total.
/// Above [`FULL_CHECK_UP_TO`] records this (with the table sizes) stands in for the full
/// recount, which would double the restore time: the streamed counts come from the same
/// `contributions` function over the same records the tables now provably hold.
fn aggregate_mismatches(
    txn: &redb::WriteTransaction,
    tally: &Tally,
) -> Result<Vec<String>, BackupError> {
    use crate::store::derived;
    let mut out = Vec::new();
    let table = txn.open_table(DERIVED)?;
    let mut keys_per_total: BTreeMap<(u128, i32, u8), u64> = BTreeMap::new();
    let start = [derived::MULT];
    let end = [derived::MULT + 1];
    for item in table.range(start.as_slice()..end.as_slice())? {
        let (k, v) = item?;
        let Some((line, year)) = derived::parse_mult_key(k.value()) else {
            out.push("chiave dei conteggi illeggibile".into());
            continue;
        };
        for (unit, _, _) in derived::mult_entries(v.value())? {
            *keys_per_total.entry((line, year, unit)).or_insert(0) += 1;
        }
    }
    let expected: BTreeMap<(u128, i32, u8), u64> = tally
        .totals()
        .map(|((l, y, u), n)| ((l.0, y, u.code()), n))
        .collect();
    let mut n_totals = 0u64;
    let start = [derived::TOTAL];
    let end = [derived::TOTAL + 1];
    for item in table.range(start.as_slice()..end.as_slice())? {
        let (k, v) = item?;
        n_totals += 1;
        let value = u64::from_le_bytes(v.value().try_into().unwrap_or([0xFF; 8]));
        let Some(key) = derived::parse_total_key(k.value()) else {
            out.push("chiave dei conteggi illeggibile".into());
            break;
        };
        let unit = CountingUnit::from_code(key.2);
        let keyed = matches!(unit, Some(CountingUnit::Persone | CountingUnit::Famiglie));
        if expected.get(&key) != Some(&value)
            || (keyed && keys_per_total.get(&key).copied().unwrap_or(0) != value)
        {
            out.push("i conteggi annuali scritti non corrispondono a quelli ricalcolati".into());
            break;
        }
    }
    // Every key belongs to a total written (and equal to the streamed one, above).
    let keyed_totals = expected
        .keys()
        .filter(|k| {
            matches!(
                CountingUnit::from_code(k.2),
                Some(CountingUnit::Persone | CountingUnit::Famiglie)
            )
        })
        .count();
    if n_totals != expected.len() as u64 || keys_per_total.len() != keyed_totals {
        out.push("i conteggi annuali scritti non sono tutti quelli ricalcolati".into());
    }
    Ok(out)
}
