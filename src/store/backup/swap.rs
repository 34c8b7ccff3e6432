//! Swapping a restored database in: the live file kept as a safety copy, the new one
//! moved under the live name, the store reopened.

use super::restore::RestoredDb;
use super::*;

/// The outcome of a swap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swapped {
    /// The live database (now the restored data).
    pub live: PathBuf,
    /// The database that was replaced, kept under this name.
    pub safety_copy: PathBuf,
}

impl Store {
    /// An empty in-memory store standing in for a database closed while it is replaced
    /// (restore, encryption from the window): nothing is read from it or written to it.
    pub(crate) fn placeholder() -> Result<Store, BackupError> {
        let db = redb::Builder::new()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(|e| BackupError::Store(StoreError::Db(e.to_string())))?;
        Ok(Store {
            db,
            path: PathBuf::from("(database chiuso per il ripristino)"),
            clock: crate::domain::time::Clock::System,
            crypt: None,
            unlock_proof: Default::default(),
        })
    }
}

/// The label of the safety copy a restore keeps (`<stem>.<label>-<timestamp>.<ext>`).
pub(super) const RESTORE_SAFETY_LABEL: &str = "prima-del-ripristino";

fn safety_copy_path(live: &Path, label: &str) -> PathBuf {
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
    let mut p = dir.join(format!("{stem}.{label}-{stamp}{ext}"));
    let mut i = 2;
    while p.exists() {
        p = dir.join(format!("{stem}.{label}-{stamp}-{i}{ext}"));
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
    // The database reopened keeps the clock it was opened with.
    let opts = crate::store::OpenOptions {
        clock: slot.clock(),
        must_exist: true,
    };
    // The keys of an encrypted database, to reopen it (or the restored file) after the swap.
    let old_keys = slot.keys();
    let new_keys = restored.keys.as_deref().cloned();
    let old = std::mem::replace(slot, Arc::new(Store::placeholder()?));
    match Arc::try_unwrap(old) {
        Ok(store) => drop(store),
        Err(shared) => {
            *slot = shared;
            return Err(BackupError::Busy);
        }
    }
    let reopen = |slot: &mut Arc<Store>, path: &Path, why: BackupError| -> BackupError {
        match Store::open_inner(path, opts, old_keys.clone(), &mut |_, _, _| {}) {
            Ok(s) => {
                *slot = Arc::new(s);
                why
            }
            Err(e) => BackupError::Fatal(format!("{why}; riapertura di {}: {e}", path.display())),
        }
    };
    let dir = parent_dir(&live);
    let safety = match replace_live_file(&live, &restored.path, RESTORE_SAFETY_LABEL) {
        Ok(s) => s,
        Err(e) => return Err(reopen(slot, &live, e)),
    };
    restored.keep = true;
    sync_dir(&dir);
    match Store::open_inner(&live, opts, new_keys, &mut |_, _, _| {}) {
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

/// With the live database closed: gives the live file a second name, the safety copy
/// `<stem>.<label>-<timestamp>.<ext>` (a hard link, or a copy + `fsync` where links are not
/// supported), then renames `new` over the live name (atomic), `fsync`ing the folder after
/// each step. On failure the live name still holds the old database and no safety copy is
/// left. Returns the safety copy.
pub(super) fn replace_live_file(
    live: &Path,
    new: &Path,
    label: &str,
) -> Result<PathBuf, BackupError> {
    let dir = parent_dir(live);
    let safety = safety_copy_path(live, label);
    if std::fs::hard_link(live, &safety).is_err() {
        let copied =
            std::fs::copy(live, &safety).and_then(|_| std::fs::File::open(&safety)?.sync_all());
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&safety);
            return Err(BackupError::Io(safety, e));
        }
    }
    sync_dir(&dir);
    if let Err(e) = std::fs::rename(new, live) {
        let _ = std::fs::remove_file(&safety);
        return Err(BackupError::Io(live.to_path_buf(), e));
    }
    sync_dir(&dir);
    Ok(safety)
}
