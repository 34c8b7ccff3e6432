//! Every file the program writes (exports, reports, charts, backups — automatic or not —
//! and any later writer: printed documents, refused-rows lists of an import) goes through
//! [`check_target`] first, so no typo and no wrong pick in a dialog can replace the
//! database: a target that is the live database, one of its safety copies, or the same
//! file reached another way (symlink, hard link, relative path, other letter case) is
//! refused by comparing **file identity** (device and inode on Unix, volume and file
//! index on Windows; `same-file`), not names. [`write_atomic`] is the writer for whole
//! files: checked, written beside the target, fsynced, renamed.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why an output file was refused. Nothing was written.
#[derive(Debug)]
pub enum OutputRefused {
    /// The target is the live database.
    Database {
        /// The target as given.
        target: PathBuf,
        /// The database.
        database: PathBuf,
    },
    /// The target is a safety copy kept by a restore (or a restore in progress).
    SafetyCopy {
        /// The target as given.
        target: PathBuf,
        /// The safety copy it is.
        copy: PathBuf,
    },
    /// The target is a folder.
    Folder(PathBuf),
}

impl fmt::Display for OutputRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputRefused::Database { target, database } => write!(
                f,
                "Il file di destinazione {} è il database stesso ({}): scriverci sopra cancellerebbe tutti i dati. Scegli un altro nome; non è stato scritto nulla.",
                target.display(),
                database.display()
            ),
            OutputRefused::SafetyCopy { target, copy } => write!(
                f,
                "Il file di destinazione {} è la copia di sicurezza del database ({}) tenuta dopo un ripristino: scriverci sopra la cancellerebbe. Scegli un altro nome; non è stato scritto nulla.",
                target.display(),
                copy.display()
            ),
            OutputRefused::Folder(p) => write!(
                f,
                "{} è una cartella: indica il nome di un file. Non è stato scritto nulla.",
                p.display()
            ),
        }
    }
}

impl std::error::Error for OutputRefused {}

/// The same file? By identity when both can be opened; otherwise (a file that cannot be
/// opened for reading) by canonical path, ignoring letter case where the file system
/// usually does (Windows, macOS).
fn same(a: &Path, b: &Path) -> bool {
    match same_file::is_same_file(a, b) {
        Ok(same) => same,
        Err(_) => match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) if cfg!(any(windows, target_os = "macos")) => {
                x.to_string_lossy().to_lowercase() == y.to_string_lossy().to_lowercase()
            }
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        },
    }
}

/// Refuses `target` as an output of the program working on the database `database`:
/// a folder, the database itself, or one of its safety copies, however the path is
/// spelled. A target that does not exist yet is always fine (writing it replaces nothing).
pub fn check_target(database: &Path, target: &Path) -> Result<(), OutputRefused> {
    if target.is_dir() {
        return Err(OutputRefused::Folder(target.to_path_buf()));
    }
    if !target.exists() {
        return Ok(());
    }
    if same(target, database) {
        return Err(OutputRefused::Database {
            target: target.to_path_buf(),
            database: database.to_path_buf(),
        });
    }
    for copy in super::backup::companion_files(database) {
        if same(target, &copy) {
            return Err(OutputRefused::SafetyCopy {
                target: target.to_path_buf(),
                copy,
            });
        }
    }
    Ok(())
}

impl super::Store {
    /// [`check_target`] for this database.
    pub fn check_output(&self, target: &Path) -> Result<(), OutputRefused> {
        check_target(self.path(), target)
    }
}

/// The folder a path is in ("." for a bare file name).
pub(crate) fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes a whole file for the database `database`: refused by [`check_target`] first,
/// then written to a temporary file beside it, fsynced and renamed, so `path` holds the
/// previous file or the complete new one. The file is an ordinary document (0644: reports
/// and charts hold aggregates only).
pub fn write_atomic(database: &Path, path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_atomic_with(database, path, false, |w| w.write_all(bytes))
}

/// Like [`write_atomic`], with the content streamed by `fill`; `private` keeps the file
/// readable by its owner only (0600: exports of records with personal data).
pub fn write_atomic_with(
    database: &Path,
    path: &Path,
    private: bool,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    check_target(database, path).map_err(|e| e.to_string())?;
    let dir = parent_dir(path);
    let fail = |e: io::Error| format!("impossibile scrivere {}: {e}", path.display());
    let tmp = tempfile::NamedTempFile::new_in(&dir).map_err(fail)?;
    {
        let mut w = io::BufWriter::new(tmp.as_file());
        fill(&mut w).map_err(fail)?;
        w.flush().map_err(fail)?;
    }
    #[cfg(unix)]
    if !private {
        // An exported report is an ordinary document, not a private temporary file.
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
