//! Native file dialogs behind one small trait, so tests can inject paths (DESIGN.md §5).
//! The dialog runs on its own thread (rfd `AsyncFileDialog`); the window keeps drawing and
//! polls for the answer.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// What kind of dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    /// Choose an existing file.
    Open,
    /// Choose where to save a file.
    Save,
    /// Choose a folder.
    Folder,
}

/// A file type offered by the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFilter {
    /// Name shown ("Backup di Accoglienza").
    pub name: String,
    /// Extensions without the dot.
    pub extensions: Vec<String>,
}

/// A request for a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickRequest {
    /// Open, save or folder.
    pub kind: PickKind,
    /// Window title.
    pub title: String,
    /// Suggested file name (save dialogs).
    pub file_name: Option<String>,
    /// Starting folder.
    pub directory: Option<PathBuf>,
    /// File types.
    pub filters: Vec<FileFilter>,
}

impl PickRequest {
    /// A request of a kind with a title.
    pub fn new(kind: PickKind, title: impl Into<String>) -> Self {
        PickRequest {
            kind,
            title: title.into(),
            file_name: None,
            directory: None,
            filters: vec![],
        }
    }

    /// Suggests a file name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Starts in a folder.
    pub fn directory(mut self, dir: impl Into<PathBuf>) -> Self {
        self.directory = Some(dir.into());
        self
    }

    /// Adds a file type.
    pub fn filter(mut self, name: impl Into<String>, extensions: &[&str]) -> Self {
        self.filters.push(FileFilter {
            name: name.into(),
            extensions: extensions.iter().map(|e| e.to_string()).collect(),
        });
        self
    }
}

/// A dialog that is open; poll it every frame.
pub struct PendingPick(Receiver<Option<PathBuf>>);

impl PendingPick {
    /// A pick already answered (tests, or a remembered path).
    pub fn ready(answer: Option<PathBuf>) -> Self {
        let (tx, rx) = channel();
        let _ = tx.send(answer);
        PendingPick(rx)
    }

    /// `None` while the dialog is open; `Some(None)` when cancelled; `Some(Some(path))`.
    pub fn poll(&mut self) -> Option<Option<PathBuf>> {
        match self.0.try_recv() {
            Ok(answer) => Some(answer),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(None),
        }
    }
}

/// Opens file dialogs.
pub trait FilePicker: Send + Sync {
    /// Shows a dialog without blocking the window.
    fn pick(&self, request: PickRequest) -> PendingPick;
}

/// The real dialogs (xdg-desktop-portal, or zenity when no portal runs).
pub struct NativePicker {
    ctx: egui::Context,
}

impl NativePicker {
    /// Dialogs that wake the window when answered.
    pub fn new(ctx: egui::Context) -> Self {
        NativePicker { ctx }
    }
}

impl FilePicker for NativePicker {
    fn pick(&self, request: PickRequest) -> PendingPick {
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let mut d = rfd::AsyncFileDialog::new().set_title(&request.title);
            if let Some(dir) = &request.directory {
                d = d.set_directory(dir);
            }
            if let Some(name) = &request.file_name {
                d = d.set_file_name(name);
            }
            for f in &request.filters {
                d = d.add_filter(&f.name, &f.extensions);
            }
            let answer = match request.kind {
                PickKind::Open => pollster::block_on(d.pick_file()),
                PickKind::Save => pollster::block_on(d.save_file()),
                PickKind::Folder => pollster::block_on(d.pick_folder()),
            };
            let _ = tx.send(answer.map(|h| h.path().to_path_buf()));
            ctx.request_repaint();
        });
        PendingPick(rx)
    }
}

/// Answers dialogs from a script, and records what was asked (tests).
#[derive(Default)]
pub struct ScriptedPicker {
    answers: Mutex<VecDeque<Option<PathBuf>>>,
    requests: Mutex<Vec<PickRequest>>,
}

impl ScriptedPicker {
    /// A picker that will answer with these paths, in order (`None`: cancelled).
    pub fn new(answers: impl IntoIterator<Item = Option<PathBuf>>) -> Self {
        ScriptedPicker {
            answers: Mutex::new(answers.into_iter().collect()),
            requests: Mutex::default(),
        }
    }

    /// Queues one more answer.
    pub fn push(&self, answer: Option<PathBuf>) {
        self.answers.lock().expect("picker lock").push_back(answer);
    }

    /// The requests made so far.
    pub fn requests(&self) -> Vec<PickRequest> {
        self.requests.lock().expect("picker lock").clone()
    }
}

impl FilePicker for ScriptedPicker {
    fn pick(&self, request: PickRequest) -> PendingPick {
        self.requests.lock().expect("picker lock").push(request);
        PendingPick::ready(
            self.answers
                .lock()
                .expect("picker lock")
                .pop_front()
                .flatten(),
        )
    }
}
