//! A file that appears under its final name only once it is completely written and on disk:
//! written to a temporary file in the same folder, flushed, fsynced, then renamed.

use super::error::{BackupError, is_disk_full};
pub(crate) use crate::store::output::parent_dir;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Prefix of the temporary files (hidden on Unix); a stale one is what a killed backup leaves.
pub(crate) const TEMP_PREFIX: &str = ".accoglienza-backup-";

/// A file being written; dropped without [`AtomicFile::commit`], it leaves nothing behind.
pub(crate) struct AtomicFile {
    dest: PathBuf,
    out: BufWriter<tempfile::NamedTempFile>,
    written: u64,
}

impl AtomicFile {
    /// Starts writing a file that will be called `dest`.
    pub(crate) fn create(dest: &Path) -> Result<AtomicFile, BackupError> {
        if dest.is_dir() {
            return Err(BackupError::Destination(
                dest.into(),
                io::Error::new(io::ErrorKind::IsADirectory, "è una cartella"),
            ));
        }
        let dir = parent_dir(dest);
        let tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(".part")
            .tempfile_in(&dir)
            .map_err(|e| {
                if is_disk_full(&e) {
                    BackupError::DiskFull(dest.into())
                } else {
                    BackupError::Destination(dir.clone(), e)
                }
            })?;
        Ok(AtomicFile {
            dest: dest.into(),
            out: BufWriter::with_capacity(1 << 20, tmp),
            written: 0,
        })
    }

    /// Flushes and fsyncs what was written (before reading it back).
    pub(crate) fn sync(&mut self) -> Result<(), BackupError> {
        let dest = self.dest.clone();
        self.out
            .flush()
            .and_then(|()| self.out.get_ref().as_file().sync_all())
            .map_err(|e| {
                if is_disk_full(&e) {
                    BackupError::DiskFull(dest)
                } else {
                    BackupError::Io(self.dest.clone(), e)
                }
            })
    }

    /// Where the file is being written (a temporary name beside the destination).
    pub(crate) fn temp_path(&self) -> &Path {
        self.out.get_ref().path()
    }

    /// The error for a failed write to this file.
    pub(crate) fn write_error(&self, e: io::Error) -> BackupError {
        if is_disk_full(&e) {
            BackupError::DiskFull(self.dest.clone())
        } else {
            BackupError::Io(self.dest.clone(), e)
        }
    }

    /// Flushes, fsyncs and renames into place; returns the size in bytes.
    pub(crate) fn commit(self) -> Result<u64, BackupError> {
        let dest = self.dest.clone();
        let err = |e: io::Error| {
            if is_disk_full(&e) {
                BackupError::DiskFull(dest.clone())
            } else {
                BackupError::Io(dest.clone(), e)
            }
        };
        let tmp = self.out.into_inner().map_err(|e| err(e.into_error()))?;
        tmp.as_file().sync_all().map_err(err)?;
        tmp.persist(&self.dest).map_err(|e| err(e.error))?;
        sync_dir(&parent_dir(&self.dest));
        Ok(self.written)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Makes a rename in `dir` durable (Unix; elsewhere the rename itself is what we have).
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
