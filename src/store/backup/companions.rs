//! The database's companion files in its folder (safety copies, rebuilds in progress),
//! which no output may replace and which the encrypted database lists when plain.

use super::atomic::{parent_dir, sync_dir};
use super::{convert, restore, swap};
use std::path::{Path, PathBuf};

/// Syncs the folder of `path` (after files in it were removed).
pub(crate) fn sync_parent(path: &Path) {
    sync_dir(&parent_dir(path));
}

/// The other files of the database at `live` in its folder: the safety copies kept by
/// restores and schema conversions (`<stem>.prima-del-ripristino-*<ext>`,
/// `<stem>.prima-della-conversione-*<ext>`) and restores or conversions in progress
/// (`<name>.ripristino-in-corso-*`, `<name>.conversione-in-corso-*`). No output may
/// replace them (`store::output`).
pub(crate) fn companion_files(live: &Path) -> Vec<PathBuf> {
    let name = |p: &Path, f: fn(&Path) -> Option<&std::ffi::OsStr>| {
        f(p).map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let stem = name(live, Path::file_stem);
    let file = name(live, Path::file_name);
    let prefixes = [
        format!("{stem}.{}-", swap::RESTORE_SAFETY_LABEL),
        format!("{stem}.{}-", convert::SAFETY_LABEL),
        format!("{file}{}", restore::RESTORE_TAG),
        format!("{file}{}", convert::CONVERT_TAG),
        format!("{stem}.{}-", convert::ENCRYPT_SAFETY_LABEL),
        format!("{file}{}", convert::ENCRYPT_TAG),
    ];
    let Ok(entries) = std::fs::read_dir(parent_dir(live)) else {
        return vec![];
    };
    entries
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            prefixes.iter().any(|p| n.starts_with(p.as_str()))
        })
        .map(|e| e.path())
        .collect()
}
