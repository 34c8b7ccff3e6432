//! Converting a database written by an older schema when it is opened: its records are
//! streamed from the old file into a new one beside it by the restore's own rebuild
//! (records copied byte for byte — they are versioned envelopes —, indexes and counts
//! rebuilt, references and record counts checked, the new file checked), then the new file
//! replaces the old one, which stays beside it as a safety copy
//! `<stem>.prima-della-conversione-<timestamp>.<ext>`. A process stopped at any point
//! leaves the old database under the live name, or the converted one.

use super::restore::{Finish, rebuild_to_new_file};
use super::stream::Source;
use super::swap::replace_live_file;
use super::*;

/// Name part of the file being built (removed by the next conversion if left behind).
pub(super) const CONVERT_TAG: &str = ".conversione-in-corso-";
/// Name part of the safety copy of the old database.
pub(super) const SAFETY_LABEL: &str = "prima-della-conversione";
/// `meta` entries that belong to the schema and are written anew by the rebuild.
const SCHEMA_KEYS: [&str; 4] = [
    "schema_version",
    "through_year",
    "aggregates_stale",
    crate::store::today::KEY_AGENDA_INDEX,
];

fn failed(e: BackupError) -> StoreError {
    match e {
        BackupError::Store(e) => e,
        other => StoreError::Db(format!(
            "conversione del database allo schema {SCHEMA_VERSION} non riuscita: {other}"
        )),
    }
}

/// The old database's settings, to carry over.
fn carried_meta(old: &Store) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let txn = old.db.begin_read()?;
    let meta = txn.open_table(META)?;
    let mut out = Vec::new();
    for item in meta.iter()? {
        let (k, v) = item?;
        if !SCHEMA_KEYS.contains(&k.value()) {
            out.push((k.value().to_string(), v.value().to_vec()));
        }
    }
    Ok(out)
}

/// Hands every record of the old database to `visitor`, in body order, from one read
/// snapshot, with a header like a backup's (a table the old file never had counts as empty).
fn stream_old(
    old: &Store,
    from: u32,
    visitor: &mut dyn Visitor,
    report: &mut dyn FnMut(&str, u64, u64),
) -> Result<Header, BackupError> {
    let txn = old.db.begin_read()?;
    let mut tables = Vec::new();
    for (name, section) in body_order() {
        let table = match txn.open_table(def_of(section)) {
            Ok(t) => Some(t),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(e) => return Err(e.into()),
        };
        let count = match &table {
            Some(t) => t.len()?,
            None => 0,
        };
        tables.push((name, section, table, count));
    }
    let header = Header {
        app: "Accoglienza".into(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: from,
        created_at: chrono::Local::now().fixed_offset(),
        desk: None,
        operator: None,
        through_year: old.through_year().unwrap_or(0),
        audit_head: None,
        compression: "none".into(),
        tables: tables
            .iter()
            .map(|(name, _, _, count)| TableCount {
                name: name.to_string(),
                count: *count,
            })
            .collect(),
    };
    let total = header.total();
    let phase = "Conversione del database";
    report(phase, 0, total);
    let mut done = 0u64;
    for (name, section, table, _) in &tables {
        let Some(t) = table else { continue };
        for item in t.iter()? {
            let (k, v) = item?;
            visitor.record(name, *section, k.value(), v.value())?;
            done += 1;
            if done.is_multiple_of(8192) {
                report(phase, done, total);
            }
        }
    }
    report(phase, total, total);
    Ok(header)
}

/// Converts the schema-`from` database open in `old` to this program's schema and returns
/// it open. Nothing is changed when the conversion fails.
pub(crate) fn convert(old: Store, from: u32, progress: Progress<'_>) -> Result<Store, StoreError> {
    let keys = old.keys();
    rebuild_and_swap(old, from, keys, CONVERT_TAG, SAFETY_LABEL, progress).map(|(s, _)| s)
}

/// Name part of a plain database being rebuilt encrypted.
pub(super) const ENCRYPT_TAG: &str = ".cifratura-in-corso-";
/// Name part of the plain database while its encrypted replacement is checked.
pub(super) const ENCRYPT_SAFETY_LABEL: &str = "prima-della-cifratura";

/// Rebuilds the plain database open in `old` into an encrypted file with `keys`, swaps it
/// in, opens and fully checks it; then removes the plain file it replaced (kept until
/// then). Nothing is changed when the conversion fails.
pub(crate) fn encrypt(
    old: Store,
    keys: crate::store::crypt::Unlocked,
    progress: Progress<'_>,
) -> Result<Store, StoreError> {
    let from = old.schema_version()?;
    let (mut store, safety) = rebuild_and_swap(
        old,
        from,
        Some(keys),
        ENCRYPT_TAG,
        ENCRYPT_SAFETY_LABEL,
        progress,
    )?;
    let report = store.check()?;
    if !report.ok() {
        return Err(StoreError::Corrupt(format!(
            "il database cifrato non supera il controllo ({}); il database in chiaro è in {}",
            report.problems.join("; "),
            safety.display()
        )));
    }
    std::fs::remove_file(&safety).map_err(|e| {
        StoreError::Db(format!(
            "il database è cifrato, ma la copia in chiaro {} non si è potuta togliere: {e}",
            safety.display()
        ))
    })?;
    sync_dir(&parent_dir(store.path()));
    Ok(store)
}

/// Rebuilds the database open in `old` into a new file beside it (encrypted with `keys`,
/// if given), swaps it in under the live name and opens it. Returns it with the safety
/// copy of the old file. On failure the old database is back under the live name.
fn rebuild_and_swap(
    old: Store,
    from: u32,
    keys: Option<crate::store::crypt::Unlocked>,
    tag: &str,
    label: &str,
    progress: Progress<'_>,
) -> Result<(Store, PathBuf), StoreError> {
    let live = old.path().to_path_buf();
    // The converted database keeps the clock the old one was opened with.
    let opts = crate::store::OpenOptions {
        clock: old.clock(),
        must_exist: true,
    };
    let meta = carried_meta(&old)?;
    let year = old.through_year()?;
    let (new, _) = {
        let old = &old;
        let source: Source<'_> =
            Box::new(move |visitor, report| stream_old(old, from, visitor, report));
        rebuild_to_new_file(
            &live,
            tag,
            source,
            &live,
            Finish::Convert { meta },
            opts.clock,
            year,
            keys.clone(),
            progress,
        )
        .map_err(failed)?
    };
    // Closed before the swap (required on Windows; redb's lock is released).
    drop(old);
    let safety = match replace_live_file(&live, &new, label) {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&new);
            return Err(failed(e));
        }
    };
    match Store::open_inner(&live, opts, keys, &mut |_, _, _| {}) {
        Ok(s) => Ok((s, safety)),
        Err(e) => {
            // Put the old database back under the live name.
            if let Err(e2) = std::fs::rename(&safety, &live) {
                return Err(StoreError::Db(format!(
                    "{e}; il database precedente è in {} ({e2})",
                    safety.display()
                )));
            }
            sync_dir(&parent_dir(&live));
            Err(e)
        }
    }
}
