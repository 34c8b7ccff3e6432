//! Opening an attached document with the system's viewer, through a temporary copy.
//!
//! The documents live inside the (possibly encrypted) database; a viewer needs a file. The
//! copy goes into a private folder (0700; the session's runtime folder on Linux, which is
//! in memory and removed at log-out, else the user's cache folder), as a file only the user
//! can read (0600) with a neutral name — `documento-<random>.pdf`, never the person's name
//! or the original file name. It is removed:
//! - once the program that opened it has exited and a grace time has passed (a launcher
//!   such as `xdg-open` may hand the file to a viewer and exit before the viewer has read
//!   it: the grace time lets the viewer load it; on Linux a file already open stays
//!   readable by the viewer after removal);
//! - in any case when the window closes, locks or signs out ([`ExternalViewer::clear`],
//!   also on drop);
//! - and at the next start of the window ([`clean_folder`]), for copies left by a crash.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a copy stays after its launcher has exited.
pub const GRACE: Duration = Duration::from_secs(60);

/// The prefix of every temporary copy's name.
const PREFIX: &str = "documento-";

/// The private folder of the temporary copies.
pub fn default_dir() -> PathBuf {
    let dirs = directories::ProjectDirs::from("it", "Accoglienza", "accoglienza");
    if let Some(d) = &dirs
        && let Some(run) = d.runtime_dir()
    {
        return run.join("documenti-aperti");
    }
    match dirs {
        Some(d) => d.cache_dir().join("documenti-aperti"),
        None => std::env::temp_dir().join("accoglienza-documenti-aperti"),
    }
}

/// Creates the folder if missing and makes it private (0700).
fn ensure_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Removes every temporary copy left in `dir` (at start-up: copies of a window that
/// crashed or was killed). Returns how many were removed; a missing folder is not an error.
pub fn clean_folder(dir: &Path) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(PREFIX)
            && entry.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The command that opens a file with the desktop's default program.
fn system_command() -> Vec<OsString> {
    let parts: &[&str] = if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else if cfg!(target_os = "macos") {
        &["open"]
    } else {
        &["xdg-open"]
    };
    parts.iter().map(OsString::from).collect()
}

/// A copy written and its viewer started (made in a background job, then tracked by the
/// window's [`ExternalViewer`]).
pub struct Launched {
    /// The temporary copy.
    pub path: PathBuf,
    child: Child,
}

/// How to write a copy and start its viewer, without the window's state (cheap to clone,
/// sent to a background job).
#[derive(Clone, Debug)]
pub struct Launcher {
    dir: PathBuf,
    command: Vec<OsString>,
}

impl Launcher {
    /// Writes a temporary copy with this extension (`pdf`, `jpg`, `png`) through `write`
    /// and starts the viewer on it. On any failure the copy is removed and an Italian
    /// message says what went wrong.
    pub fn launch(
        &self,
        extension: &str,
        write: impl FnOnce(&mut dyn Write) -> Result<u64, String>,
    ) -> Result<Launched, String> {
        ensure_dir(&self.dir).map_err(|e| {
            format!("Non riesco a preparare la cartella per aprire il documento: {e}")
        })?;
        let ext: String = extension
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(5)
            .collect();
        let (path, mut file) = create_private(&self.dir, &ext)
            .map_err(|e| format!("Non riesco a creare la copia temporanea del documento: {e}"))?;
        let written = write(&mut file).and_then(|_| {
            file.sync_all()
                .map_err(|e| format!("Non riesco a scrivere la copia temporanea: {e}"))
        });
        drop(file);
        if let Err(e) = written {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        let (program, args) = self
            .command
            .split_first()
            .ok_or_else(|| "Nessun programma per aprire il documento.".to_string())?;
        let spawned = Command::new(program)
            .args(args)
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match spawned {
            Ok(child) => Ok(Launched { path, child }),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(format!(
                    "Non trovo un programma per aprire il documento ({}): {e}",
                    program.to_string_lossy()
                ))
            }
        }
    }
}

/// Creates `documento-<random>.<ext>` in `dir`, new (never an existing file) and readable by
/// the user only.
fn create_private(dir: &Path, ext: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut last = None;
    for _ in 0..8 {
        let tag: u32 = rand::random();
        let name = if ext.is_empty() {
            format!("{PREFIX}{tag:08x}")
        } else {
            format!("{PREFIX}{tag:08x}.{ext}")
        };
        let path = dir.join(name);
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&path) {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("nome già in uso")))
}

/// A copy being viewed.
struct Open {
    path: PathBuf,
    child: Child,
    launched: Instant,
    exited: bool,
}

/// The temporary copies the window opened, removed when their viewer is done (see the
/// module's documentation), when the window closes, or on drop.
pub struct ExternalViewer {
    launcher: Launcher,
    grace: Duration,
    open: Vec<Open>,
}

impl Default for ExternalViewer {
    fn default() -> Self {
        ExternalViewer::system(default_dir())
    }
}

impl ExternalViewer {
    /// Copies in `dir`, opened by the desktop's default program.
    pub fn system(dir: PathBuf) -> Self {
        ExternalViewer::with_command(dir, system_command(), GRACE)
    }

    /// Copies in `dir`, opened by `command` (program and arguments; the copy's path is
    /// added last), removed `grace` after the program exits (tests).
    pub fn with_command(
        dir: PathBuf,
        command: impl IntoIterator<Item = impl Into<OsString>>,
        grace: Duration,
    ) -> Self {
        ExternalViewer {
            launcher: Launcher {
                dir,
                command: command.into_iter().map(Into::into).collect(),
            },
            grace,
            open: Vec::new(),
        }
    }

    /// The folder of the copies.
    pub fn dir(&self) -> &Path {
        &self.launcher.dir
    }

    /// What a background job needs to write a copy and start the viewer.
    pub fn launcher(&self) -> Launcher {
        self.launcher.clone()
    }

    /// Tracks a copy started by a job, until its viewer is done.
    pub fn track(&mut self, launched: Launched) {
        self.open.push(Open {
            path: launched.path,
            child: launched.child,
            launched: Instant::now(),
            exited: false,
        });
    }

    /// How many copies are still on disk.
    pub fn copies(&self) -> usize {
        self.open.len()
    }

    /// Removes the copies whose viewer has exited, once the grace time has passed since
    /// they were opened. Returns how many were removed. Cheap: call it every frame.
    pub fn reap(&mut self) -> usize {
        self.reap_at(Instant::now())
    }

    /// [`ExternalViewer::reap`] as if it were `now`.
    pub fn reap_at(&mut self, now: Instant) -> usize {
        let before = self.open.len();
        let grace = self.grace;
        self.open.retain_mut(|o| {
            if !o.exited {
                o.exited = matches!(o.child.try_wait(), Ok(Some(_)) | Err(_));
            }
            let done = o.exited && now.saturating_duration_since(o.launched) >= grace;
            // A copy that cannot be removed yet (Windows: still open) is kept and tried
            // again; the folder is cleaned at close and at the next start anyway.
            !(done && remove(&o.path))
        });
        before - self.open.len()
    }

    /// Removes every copy this window made (it is closing, locking or signing out),
    /// whether or not its viewer is done. Copies of another window of the same user are
    /// left alone (the folder is cleaned of leftovers at start-up).
    pub fn clear(&mut self) {
        for o in self.open.drain(..) {
            remove(&o.path);
        }
    }
}

impl Drop for ExternalViewer {
    fn drop(&mut self) {
        if !self.open.is_empty() {
            self.clear();
        }
    }
}

/// Removes a file; true when it is gone.
fn remove(path: &Path) -> bool {
    match std::fs::remove_file(path) {
        Ok(()) => true,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn write_hello(w: &mut dyn Write) -> Result<u64, String> {
        w.write_all(b"%PDF-1.4 hello").map_err(|e| e.to_string())?;
        Ok(14)
    }

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_copy_is_private_neutrally_named_and_removed_after_the_viewer_exits() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("aperti");
        let mut v = ExternalViewer::with_command(dir.clone(), ["true"], Duration::ZERO);
        let launched = v.launcher().launch("pdf", write_hello).unwrap();
        let path = launched.path.clone();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            name.starts_with("documento-") && name.ends_with(".pdf"),
            "{name}"
        );
        assert_eq!(name.len(), "documento-".len() + 8 + 4);
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.4 hello");
        v.track(launched);
        // `true` exits at once: the copy goes as soon as that is seen.
        let mut removed = 0;
        for _ in 0..200 {
            removed += v.reap();
            if removed == 1 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(removed, 1);
        assert!(!path.exists());
        assert_eq!(v.copies(), 0);
    }

    #[test]
    fn a_copy_stays_for_the_grace_time_after_its_launcher_exits() {
        let tmp = tempfile::tempdir().unwrap();
        let mut v = ExternalViewer::with_command(
            tmp.path().to_path_buf(),
            ["true"],
            Duration::from_secs(60),
        );
        let launched = v.launcher().launch("png", write_hello).unwrap();
        let path = launched.path.clone();
        v.track(launched);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(v.reap(), 0, "still within the grace time");
        assert!(path.exists());
        let later = Instant::now() + Duration::from_secs(61);
        // The launcher has surely exited by now; poll until it is seen.
        let mut removed = 0;
        for _ in 0..200 {
            removed += v.reap_at(later);
            if removed == 1 {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(removed, 1);
        assert!(!path.exists());
    }

    #[test]
    fn a_copy_whose_viewer_is_still_running_stays_until_the_window_closes() {
        let tmp = tempfile::tempdir().unwrap();
        let mut v = ExternalViewer::with_command(
            tmp.path().to_path_buf(),
            ["sh", "-c", "sleep 30", "viewer"],
            Duration::ZERO,
        );
        let launched = v.launcher().launch("jpg", write_hello).unwrap();
        let path = launched.path.clone();
        v.track(launched);
        assert_eq!(v.reap_at(Instant::now() + Duration::from_secs(3600)), 0);
        assert!(path.exists(), "the viewer still runs");
        v.clear();
        assert!(!path.exists(), "removed when the window closes");
        assert_eq!(v.copies(), 0);
    }

    #[test]
    fn dropping_the_viewer_removes_its_copies() {
        let tmp = tempfile::tempdir().unwrap();
        let path = {
            let mut v = ExternalViewer::with_command(
                tmp.path().to_path_buf(),
                ["sh", "-c", "sleep 30", "viewer"],
                Duration::ZERO,
            );
            let launched = v.launcher().launch("pdf", write_hello).unwrap();
            let path = launched.path.clone();
            v.track(launched);
            path
        };
        assert!(!path.exists());
    }

    #[test]
    fn leftovers_are_cleaned_at_start_and_other_files_are_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("documento-0000abcd.pdf"), b"x").unwrap();
        std::fs::write(dir.join("documento-1234abcd.png"), b"x").unwrap();
        std::fs::write(dir.join("altro.txt"), b"x").unwrap();
        assert_eq!(clean_folder(dir).unwrap(), 2);
        assert!(dir.join("altro.txt").exists());
        assert_eq!(clean_folder(&dir.join("missing")).unwrap(), 0);
    }

    #[test]
    fn a_failed_write_or_a_missing_viewer_leaves_no_copy() {
        let tmp = tempfile::tempdir().unwrap();
        let v = ExternalViewer::with_command(tmp.path().to_path_buf(), ["true"], Duration::ZERO);
        let e = v
            .launcher()
            .launch("pdf", |_| Err("lettura non riuscita".into()))
            .err()
            .unwrap();
        assert_eq!(e, "lettura non riuscita");
        let v = ExternalViewer::with_command(
            tmp.path().to_path_buf(),
            ["/nonexistent/viewer"],
            Duration::ZERO,
        );
        let e = v.launcher().launch("pdf", write_hello).err().unwrap();
        assert!(e.contains("Non trovo un programma"), "{e}");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
