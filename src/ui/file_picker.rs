//! Native file dialogs behind one small trait, so tests can inject paths (DESIGN.md §5).
//! The dialog runs on its own thread (rfd `AsyncFileDialog`); the window keeps drawing and
//! polls for the answer. Where no native dialog can open (no desktop portal, no zenity),
//! the window says so and asks for the path in a text field instead.

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

/// How a dialog ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// A path was chosen.
    Chosen(PathBuf),
    /// The operator closed the dialog.
    Cancelled,
    /// No native dialog could open (no desktop portal, no zenity).
    Unavailable,
}

impl From<Option<PathBuf>> for Answer {
    fn from(p: Option<PathBuf>) -> Self {
        p.map_or(Answer::Cancelled, Answer::Chosen)
    }
}

/// The path typed when no native dialog is available.
struct TypedPath {
    text: String,
    error: Option<String>,
    focus: bool,
}

/// A dialog that is open; poll it every frame. When no native dialog can open, polling
/// shows a window that says so and asks for the path instead.
pub struct PendingPick {
    rx: Receiver<Answer>,
    request: Option<PickRequest>,
    typed: Option<TypedPath>,
    done: Option<Option<PathBuf>>,
    /// The frame the path field was last drawn in (polled twice in a frame, drawn once).
    drawn: Option<u64>,
}

impl PendingPick {
    fn new(rx: Receiver<Answer>, request: PickRequest) -> Self {
        PendingPick {
            rx,
            request: Some(request),
            typed: None,
            done: None,
            drawn: None,
        }
    }

    /// A pick already answered (tests, or a remembered path).
    pub fn ready(answer: Option<PathBuf>) -> Self {
        let (tx, rx) = channel();
        let _ = tx.send(answer.into());
        PendingPick {
            rx,
            request: None,
            typed: None,
            done: None,
            drawn: None,
        }
    }

    /// `None` while the dialog is open; `Some(None)` when cancelled; `Some(Some(path))`.
    /// When the native dialog could not open, shows the path field (in `ctx`) meanwhile.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<Option<PathBuf>> {
        if let Some(done) = self.done.take() {
            return Some(done);
        }
        if self.typed.is_some() {
            self.typed_ui(ctx);
            return self.done.take();
        }
        match self.rx.try_recv() {
            Ok(Answer::Chosen(p)) => Some(Some(p)),
            Ok(Answer::Cancelled) | Err(TryRecvError::Disconnected) => Some(None),
            Ok(Answer::Unavailable) => {
                self.typed = Some(TypedPath {
                    text: self.suggested_path(),
                    error: None,
                    focus: true,
                });
                ctx.request_repaint();
                None
            }
            Err(TryRecvError::Empty) => None,
        }
    }

    /// What the path field starts with: the suggested folder and file name.
    fn suggested_path(&self) -> String {
        let Some(r) = &self.request else {
            return String::new();
        };
        let dir = r
            .directory
            .clone()
            .or_else(|| directories::UserDirs::new().map(|u| u.home_dir().to_path_buf()))
            .unwrap_or_default();
        match (&r.file_name, r.kind) {
            (Some(name), PickKind::Save) => dir.join(name).display().to_string(),
            _ => {
                let mut s = dir.display().to_string();
                if r.kind == PickKind::Open && !s.is_empty() && !s.ends_with('/') {
                    s.push(std::path::MAIN_SEPARATOR);
                }
                s
            }
        }
    }

    /// What is wrong with the typed path for this kind of dialog, if anything.
    fn check_typed(kind: PickKind, text: &str) -> Result<PathBuf, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err(crate::tr!("picker-typed-empty"));
        }
        let p = PathBuf::from(t);
        match kind {
            PickKind::Open if !p.is_file() => Err(crate::tr!("picker-typed-no-file")),
            PickKind::Folder if !p.is_dir() => Err(crate::tr!("picker-typed-no-folder")),
            PickKind::Save
                if p.is_dir()
                    || !p
                        .parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .is_none_or(|d| d.is_dir()) =>
            {
                Err(crate::tr!("picker-typed-no-folder"))
            }
            _ => Ok(p),
        }
    }

    fn typed_ui(&mut self, ctx: &egui::Context) {
        let frame = ctx.cumulative_frame_nr();
        if self.drawn == Some(frame) {
            return;
        }
        self.drawn = Some(frame);
        let (Some(t), Some(r)) = (&mut self.typed, &self.request) else {
            return;
        };
        let mut answer: Option<Option<PathBuf>> = None;
        let id = egui::Id::unique(("picker-typed", &r.title));
        let shown = egui::Modal::new(id)
            .area(crate::ui::widgets::top_anchored(id))
            .show(ctx, |ui| {
                ui.set_max_width(560.0);
                ui.label(egui::RichText::new(&r.title).heading());
                ui.add_space(4.0);
                ui.label(crate::tr!("picker-unavailable"));
                ui.add_space(6.0);
                let l = ui.label(crate::tr!("picker-typed-label"));
                let field = ui
                    .add(egui::TextEdit::singleline(&mut t.text).desired_width(540.0))
                    .labelled_by(l.id);
                if t.focus {
                    field.request_focus();
                    t.focus = false;
                }
                if let Some(e) = &t.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                // Enter belongs to this window: the list underneath must not take it too.
                let enter = field.lost_focus()
                    && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button(crate::tr!("picker-typed-ok")).clicked() || enter {
                        match Self::check_typed(r.kind, &t.text) {
                            Ok(p) => answer = Some(Some(p)),
                            Err(e) => t.error = Some(e),
                        }
                    }
                    if ui.button(crate::tr!("form-cancel")).clicked() {
                        answer = Some(None);
                    }
                });
            });
        // Above whatever was clicked to open it (egui keeps the order of layers).
        ctx.move_to_top(shown.response.layer_id);
        if answer.is_none()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            answer = Some(None);
        }
        if let Some(a) = answer {
            self.typed = None;
            self.done = Some(a);
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

/// True when `zenity` (rfd's fallback where no desktop portal answers) is on the `PATH`.
fn zenity_installed() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join("zenity").is_file()))
}

impl FilePicker for NativePicker {
    fn pick(&self, request: PickRequest) -> PendingPick {
        let (tx, rx) = channel();
        let ctx = self.ctx.clone();
        let pending = PendingPick::new(rx, request.clone());
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
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
            // rfd answers "nothing chosen" both when the operator cancels and when no
            // dialog could open. Without zenity (rfd's only fallback) and with an answer
            // faster than anyone can read a dialog, no dialog was shown: say so.
            let answer = match answer {
                Some(h) => Answer::Chosen(h.path().to_path_buf()),
                None if started.elapsed() < std::time::Duration::from_millis(800)
                    && !cfg!(any(windows, target_os = "macos"))
                    && !zenity_installed() =>
                {
                    Answer::Unavailable
                }
                None => Answer::Cancelled,
            };
            let _ = tx.send(answer);
            ctx.request_repaint();
        });
        pending
    }
}

/// Answers dialogs from a script, and records what was asked (tests).
#[derive(Default)]
pub struct ScriptedPicker {
    answers: Mutex<VecDeque<Answer>>,
    requests: Mutex<Vec<PickRequest>>,
}

impl ScriptedPicker {
    /// A picker that will answer with these paths, in order (`None`: cancelled).
    pub fn new(answers: impl IntoIterator<Item = Option<PathBuf>>) -> Self {
        ScriptedPicker {
            answers: Mutex::new(answers.into_iter().map(Answer::from).collect()),
            requests: Mutex::default(),
        }
    }

    /// Queues one more answer.
    pub fn push(&self, answer: Option<PathBuf>) {
        self.answers
            .lock()
            .expect("picker lock")
            .push_back(answer.into());
    }

    /// Queues the answer of a computer where no native dialog can open.
    pub fn push_unavailable(&self) {
        self.answers
            .lock()
            .expect("picker lock")
            .push_back(Answer::Unavailable);
    }

    /// The requests made so far.
    pub fn requests(&self) -> Vec<PickRequest> {
        self.requests.lock().expect("picker lock").clone()
    }
}

impl FilePicker for ScriptedPicker {
    fn pick(&self, request: PickRequest) -> PendingPick {
        self.requests
            .lock()
            .expect("picker lock")
            .push(request.clone());
        let answer = self
            .answers
            .lock()
            .expect("picker lock")
            .pop_front()
            .unwrap_or(Answer::Cancelled);
        let (tx, rx) = channel();
        let _ = tx.send(answer);
        PendingPick::new(rx, request)
    }
}
