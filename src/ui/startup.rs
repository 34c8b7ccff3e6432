//! Starting from the desktop menu, where nobody reads standard error: the window's identity
//! (application id and icon, so the desktop ties the window to its menu entry), and a small
//! window for what stops the program — a database already open, unreadable or written by a
//! newer version, an internal error — besides the line on standard error.

use super::prefs::{self, Prefs};
use super::{i18n, theme};
use crate::store::{Store, StoreError};
use crate::tr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The application id: the name of the `.desktop` file, of the AppStream metainfo and of
/// the icon, and the window's Wayland app_id / X11 WM_CLASS.
pub const APP_ID: &str = "it.accoglienza.Accoglienza";

/// eframe's application name, which places the stored preferences: kept from before the
/// application id, so preferences stay where they were (`~/.local/share/accoglienza/app.ron`
/// on Linux).
pub const APP_NAME: &str = "Accoglienza";

/// The icon, rendered from `assets/icon/accoglienza.svg` by `assets/icon/render.sh`.
const ICON_PNG: &[u8] = include_bytes!("../../assets/icon/png/256.png");

/// The window icon (the same mark as the menu entry's).
pub fn icon() -> egui::IconData {
    // The PNG is part of the binary and checked by a test: it always decodes.
    eframe::icon_data::from_png_bytes(ICON_PNG).unwrap_or_default()
}

/// The file of this workstation's preferences (eframe storage).
pub fn prefs_file() -> Option<PathBuf> {
    eframe::storage_dir(APP_NAME).map(|dir| dir.join("app.ron"))
}

/// Window options with the program's identity: title, application id, icon, and the
/// preferences file.
pub fn native_options(title: &str, viewport: egui::ViewportBuilder) -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: viewport
            .with_title(title)
            .with_app_id(APP_ID)
            .with_icon(Arc::new(icon())),
        persistence_path: prefs_file(),
        ..Default::default()
    }
}

/// What kind of trouble stopped the program, which decides the advice shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Another window or command has the database open.
    AlreadyOpen,
    /// The file is not an Accoglienza database, or is damaged.
    Unreadable,
    /// The database was written by a newer version of the program.
    NewerVersion,
    /// The file or its folder cannot be opened or created (permissions, full disk…).
    CannotOpen,
    /// A fault in the program itself.
    Internal,
    /// The automatic backup made when the window closes failed.
    BackupAtExit,
}

/// What the window shows when the program cannot go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The kind, which decides the title and the advice.
    pub kind: ProblemKind,
    /// The precise message (the same line written to standard error).
    pub detail: String,
}

impl Problem {
    /// What to show when the database at startup cannot be opened.
    pub fn opening(error: &StoreError) -> Problem {
        let kind = match error {
            StoreError::AlreadyOpen(_) => ProblemKind::AlreadyOpen,
            StoreError::NotADatabase(..) | StoreError::Corrupt(_) | StoreError::Tampered { .. } => {
                ProblemKind::Unreadable
            }
            StoreError::NewerSchema { .. } => ProblemKind::NewerVersion,
            _ => ProblemKind::CannotOpen,
        };
        Problem {
            kind,
            detail: error.to_string(),
        }
    }

    /// A problem of a kind, with its message.
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Problem {
        Problem {
            kind,
            detail: detail.into(),
        }
    }

    fn keys(&self) -> (&'static str, &'static str) {
        match self.kind {
            ProblemKind::AlreadyOpen => ("startup-already-open", "startup-already-open-advice"),
            ProblemKind::Unreadable => ("startup-unreadable", "startup-unreadable-advice"),
            ProblemKind::NewerVersion => ("startup-newer", "startup-newer-advice"),
            ProblemKind::CannotOpen => ("startup-cannot-open", "startup-cannot-open-advice"),
            ProblemKind::Internal => ("startup-internal", "startup-internal-advice"),
            ProblemKind::BackupAtExit => {
                ("startup-backup-at-exit", "startup-backup-at-exit-advice")
            }
        }
    }

    /// The heading, in the interface's language.
    pub fn title(&self) -> String {
        tr!(self.keys().0)
    }

    /// What to do about it, in the interface's language.
    pub fn advice(&self) -> String {
        tr!(self.keys().1)
    }
}

/// What the window opens on.
pub enum Opening {
    /// A plain database, open.
    Open(Store),
    /// An encrypted database: its sign-in opens it.
    Encrypted,
}

/// Opens the database the window will show, or says what to show instead. A missing file
/// is created with its folder (the first start from the menu); an encrypted one is left
/// to the sign-in screen, which opens it with the account's password.
pub fn open_store(db: &std::path::Path) -> Result<Opening, Problem> {
    // A path that cannot be read is left to the opening, which says why precisely.
    if let Ok(crate::store::crypt::FileKind::Encrypted) = crate::store::crypt::file_kind(db) {
        return Ok(Opening::Encrypted);
    }
    let mut told = false;
    Store::open_with_progress(db, crate::store::OpenOptions::default(), &mut |_, _, _| {
        if !told {
            eprintln!("Aggiornamento del database a un nuovo schema (una volta sola)…");
            told = true;
        }
    })
    .map(Opening::Open)
    .map_err(|e| Problem::opening(&e))
}

/// The size of the problem window, in points.
const PROBLEM_WINDOW_SIZE: [f32; 2] = [600.0, 270.0];

/// The small window that shows a [`Problem`].
pub struct ProblemWindow {
    problem: Problem,
    /// Set once "Chiudi" (or Esc, or Enter) is chosen.
    pub closed: bool,
    copied: bool,
    titled: bool,
}

impl ProblemWindow {
    /// The window for a problem.
    pub fn new(problem: Problem) -> Self {
        ProblemWindow {
            problem,
            closed: false,
            copied: false,
            titled: false,
        }
    }

    /// Draws the window's content; asks the window to close once "Chiudi" is chosen.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let was_closed = self.closed;
        if !self.titled {
            // The title in the language of the preferences, known once the window exists;
            // and its own size (eframe restores the main window's stored size).
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(tr!("startup-window-title")));
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::InnerSize(PROBLEM_WINDOW_SIZE.into()));
            self.titled = true;
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(8.0);
            ui.heading(self.problem.title());
            ui.add_space(8.0);
            ui.label(self.problem.advice());
            ui.add_space(8.0);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                egui::ScrollArea::vertical()
                    .max_height(120.0)
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(&self.problem.detail).selectable(true));
                    });
            });
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let close = ui.button(tr!("startup-close"));
                if close.clicked() {
                    self.closed = true;
                }
                if ui.button(tr!("startup-copy")).clicked() {
                    ui.ctx().copy_text(self.problem.detail.clone());
                    self.copied = true;
                }
                if self.copied {
                    ui.label(tr!("startup-copied"));
                }
            });
        });
        if ui.input(|i| i.key_pressed(egui::Key::Escape) || i.key_pressed(egui::Key::Enter)) {
            self.closed = true;
        }
        if self.closed && !was_closed {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

impl eframe::App for ProblemWindow {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ProblemWindow::ui(self, ui);
    }

    // Nothing of this window is remembered: the main window's size and place stay stored.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}

/// Shows a problem in its own window until it is closed. Falls back to `zenity` when the
/// window cannot open on a display (no OpenGL); says on standard error when nothing could be
/// shown.
pub fn show(problem: Problem) {
    let mut options = native_options(
        &tr!("startup-window-title"),
        egui::ViewportBuilder::default()
            .with_inner_size(PROBLEM_WINDOW_SIZE)
            .with_min_inner_size([420.0, 220.0]),
    );
    options.persist_window = false;
    let fallback = format!(
        "{}\n\n{}\n\n{}",
        problem.title(),
        problem.advice(),
        problem.detail
    );
    let shown = eframe::run_native(
        APP_NAME,
        options,
        Box::new(move |cc| {
            let prefs = cc
                .storage
                .and_then(|s| eframe::get_value::<Prefs>(s, prefs::STORAGE_KEY))
                .unwrap_or_default();
            theme::apply_prefs(&cc.egui_ctx, &prefs);
            i18n::set_lang(prefs.lang);
            Ok(Box::new(ProblemWindow::new(problem)))
        }),
    );
    if let Err(e) = shown {
        let display = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
        let zenity = display.then(|| {
            std::process::Command::new("zenity")
                .args(["--error", "--title", "Accoglienza", "--no-markup", "--text"])
                .arg(&fallback)
                .status()
        });
        // zenity exits with 0 (OK) or 1 (window closed) once the message was on screen.
        if !zenity.is_some_and(|r| r.is_ok_and(|s| s.success() || s.code() == Some(1))) {
            eprintln!("(Il messaggio non si può mostrare in una finestra: {e})");
        }
    }
}

/// `accoglienza show-error [--backup-at-exit]`: shows the message read from standard input
/// as an internal error (or as the failed backup at exit).
pub fn show_error_from_stdin(backup_at_exit: bool) -> Result<(), String> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| format!("messaggio illeggibile: {e}"))?;
    let kind = if backup_at_exit {
        ProblemKind::BackupAtExit
    } else {
        ProblemKind::Internal
    };
    show(Problem::new(kind, text.trim()));
    Ok(())
}

/// Shows `message` in a window of a new process (`accoglienza show-error`), for when this
/// process cannot draw any more: a panic ([`ProblemKind::Internal`]), the window already
/// closed ([`ProblemKind::BackupAtExit`]). At most once per process; does nothing when the
/// program cannot be started again.
pub fn show_in_new_process(kind: ProblemKind, message: &str) {
    static SHOWN: AtomicBool = AtomicBool::new(false);
    if SHOWN.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let child = std::process::Command::new(exe)
        .arg("show-error")
        .args((kind == ProblemKind::BackupAtExit).then_some("--backup-at-exit"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child
        && let Some(mut stdin) = child.stdin.take()
    {
        let _ = std::io::Write::write_all(&mut stdin, message.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_is_the_committed_256_pixel_png() {
        let icon = icon();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        // Opaque in the middle (the house), transparent in the corner (rounded square).
        let at = |x: usize, y: usize| icon.rgba[(y * 256 + x) * 4 + 3];
        assert_eq!(at(128, 100), 255);
        assert_eq!(at(1, 1), 0);
    }

    #[test]
    fn each_store_error_gets_its_own_advice() {
        let path = PathBuf::from("/tmp/x.redb");
        let cases = [
            (
                StoreError::AlreadyOpen(path.clone()),
                ProblemKind::AlreadyOpen,
            ),
            (
                StoreError::NotADatabase(path.clone(), "x".into()),
                ProblemKind::Unreadable,
            ),
            (StoreError::Corrupt("x".into()), ProblemKind::Unreadable),
            (
                StoreError::NewerSchema {
                    found: 9,
                    supported: 2,
                },
                ProblemKind::NewerVersion,
            ),
            (
                StoreError::Db("disco pieno".into()),
                ProblemKind::CannotOpen,
            ),
        ];
        for (error, kind) in cases {
            let problem = Problem::opening(&error);
            assert_eq!(problem.kind, kind, "{error}");
            assert_eq!(problem.detail, error.to_string());
            for lang in i18n::Lang::ALL {
                i18n::set_lang(lang);
                assert!(
                    !problem.title().starts_with("startup-"),
                    "{kind:?} {lang:?}"
                );
                assert!(
                    !problem.advice().starts_with("startup-"),
                    "{kind:?} {lang:?}"
                );
            }
            i18n::set_lang(i18n::Lang::It);
        }
    }
}
