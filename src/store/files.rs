//! The database file on disk: created readable by its owner only (file 0600, a new folder
//! 0700 on Unix; on Windows the folder's ACL applies, see docs/SECURITY.md), and never
//! created where a command expected an existing one.

use super::StoreError;
use std::io;
use std::path::Path;

/// Refuses a path with no database: missing, or an empty file (which redb would turn into
/// a new database). Creates nothing.
pub(super) fn require_database_file(path: &Path) -> Result<(), StoreError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(StoreError::NotADatabase(
            path.to_path_buf(),
            "è una cartella".into(),
        )),
        Ok(m) if m.len() == 0 => Err(StoreError::Missing(path.to_path_buf())),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err(StoreError::Missing(path.to_path_buf()))
        }
        Err(e) => Err(StoreError::Db(format!(
            "impossibile leggere {}: {e}",
            path.display()
        ))),
    }
}

/// When `path` does not exist yet: creates its missing folders (0700) and the empty file
/// (0600), so the database is never readable by other users, not even for an instant.
pub(crate) fn create_private(path: &Path) -> Result<(), StoreError> {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(dir).map_err(|e| {
            StoreError::Db(format!(
                "impossibile creare la cartella {}: {e}",
                dir.display()
            ))
        })?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    match o.open(path) {
        Ok(_) => Ok(()),
        // Created meanwhile by someone else: redb decides what it is.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Db(format!(
            "impossibile creare {}: {e}",
            path.display()
        ))),
    }
}
