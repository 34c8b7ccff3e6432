//! The small form that attaches a file (chosen in the file dialog or dropped on the
//! window): kind of document, date, expiry, note. The file is checked at once (size
//! against the limit of Impostazioni, extension, content) and a refusal shown inline in
//! Italian; the write streams the file into the database in a background job with a
//! progress bar, so a large file never stalls the window. For a pratica's checklist line
//! the same transaction sets the line to «allegato».

use crate::domain::document::{MediaType, check_upload};
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::store::StoreError;
use crate::tr;
use crate::ui::jobs::Job;
use crate::ui::{Env, widgets};
use chrono::Datelike;
use egui::Ui;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a finished attach wrote.
pub struct Attached {
    /// The new document.
    pub document: Document,
    /// Every record written (for the window's indexes and lists).
    pub written: Vec<(EntityKind, Id)>,
}

/// The pratica whose checklist the document fills: the line of its kind is set to
/// attached in the same transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChecklistLine {
    /// The pratica.
    pub pratica: Id,
    /// The kind of document of the line, fixed (the line's «Allega…»); `None`: chosen in
    /// the form (a file dropped on the pratica).
    pub kind: Option<Id>,
}

/// The file being attached, as read from the disk.
struct Chosen {
    path: PathBuf,
    file_name: String,
    size: u64,
    /// Why it cannot be attached (too big, not what it says), if so.
    refused: Option<String>,
}

fn inspect(path: &Path, limit: u64) -> Chosen {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let read = || -> std::io::Result<(u64, Vec<u8>)> {
        let mut f = std::fs::File::open(path)?;
        let size = f.metadata()?.len();
        let mut head = vec![0u8; MediaType::HEAD_LEN];
        let mut n = 0;
        while n < head.len() {
            match f.read(&mut head[n..])? {
                0 => break,
                k => n += k,
            }
        }
        head.truncate(n);
        Ok((size, head))
    };
    let (size, refused) = match read() {
        Ok((size, head)) => (size, check_upload(&file_name, &head, size, limit).err()),
        Err(e) => (0, Some(format!("Il file non si legge: {e}"))),
    };
    Chosen {
        path: path.to_path_buf(),
        file_name,
        size,
        refused,
    }
}

/// A reader that reports how far it has read.
struct Counting<'a> {
    inner: std::fs::File,
    done: u64,
    total: u64,
    report: &'a mut dyn FnMut(&str, u64, u64),
    phase: String,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        (self.report)(&self.phase, self.done, self.total.max(1));
        Ok(n)
    }
}

/// What the dialog's buttons asked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Event {
    None,
    Attach,
    Cancel,
}

/// The attach dialog.
pub struct AttachForm {
    owner: DocumentOwner,
    /// Who or what the document is attached to, for the title.
    target: String,
    line: Option<ChecklistLine>,
    chosen: Chosen,
    limit: u64,
    kind: Id,
    dated: String,
    expires: String,
    note: String,
    problems: Problems,
    job: Option<Job<Result<Attached, StoreError>>>,
}

impl AttachForm {
    /// A form for the file at `path`, attached to `owner` (`target` names it in the
    /// title). A checklist line fixes the kind and is set to attached with the same write.
    pub fn new(
        env: &Env,
        owner: DocumentOwner,
        target: impl Into<String>,
        path: &Path,
        line: Option<ChecklistLine>,
    ) -> Self {
        let limit = env.store.document_settings().unwrap_or_default().max_bytes;
        let kinds = &env.data.catalog.document_kinds;
        let kind = line
            .and_then(|l| l.kind)
            .or_else(|| kinds.iter().find(|k| !k.archived).map(|k| k.id))
            .unwrap_or(Id::NIL);
        let now = today();
        // A document the bando says expires (the ISEE) is valid to the end of the year.
        let expires = line
            .and_then(|l| {
                let p = env.read().ok()?.get::<Pratica>(l.pratica).ok()??;
                let b = env.data.catalog.bando(p.bando)?;
                b.documents
                    .iter()
                    .find(|d| Some(d.kind) == l.kind && d.expires)?;
                chrono::NaiveDate::from_ymd_opt(now.year(), 12, 31).map(fmt_date)
            })
            .unwrap_or_default();
        AttachForm {
            owner,
            target: target.into(),
            line,
            chosen: inspect(path, limit),
            limit,
            kind,
            dated: fmt_date(now),
            expires,
            note: String::new(),
            problems: Problems::default(),
            job: None,
        }
    }

    /// Why the file cannot be attached, if it cannot.
    pub fn refused(&self) -> Option<&str> {
        self.chosen.refused.as_deref()
    }

    /// True while the file is being written.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn start(&mut self, env: &Env, ctx: &egui::Context) {
        let mut p = Problems::default();
        let dated = widgets::need_date(&mut p, "dated", &self.dated);
        let expires = widgets::opt_date(&mut p, "expires", &self.expires);
        if self.kind == Id::NIL {
            p.add("kind", "Scegli il tipo di documento");
        }
        let new = NewDocument {
            owner: self.owner,
            kind: self.kind,
            file_name: self.chosen.file_name.clone(),
            dated,
            expires,
            note: self.note.trim().to_string(),
        };
        if p.is_empty() {
            // The description's own checks, before any byte is streamed.
            let probe = Document {
                id: Id::new(),
                owner: new.owner,
                subject: Subject::Person(Id::NIL),
                kind: new.kind,
                file_name: new.file_name.clone(),
                media: MediaType::Pdf,
                size: 0,
                sha256: [0; 32],
                dated,
                expires,
                note: new.note.clone(),
                chunks: vec![],
                archived: false,
            };
            p = probe.validate(today());
        }
        if !p.is_empty() {
            self.problems = p;
            return;
        }
        self.problems = Problems::default();
        let Some(session) = env.session.clone() else {
            self.problems
                .add("_store", "Accedi con il tuo account prima di allegare.");
            return;
        };
        let store = env.store.clone();
        let path = self.chosen.path.clone();
        let (limit, line) = (self.limit, self.line);
        let phase = tr!("documents-attach-progress");
        self.job = Some(Job::spawn(ctx, move |report| {
            Ok(write(
                &store, &session, new, &path, limit, line, report, phase,
            ))
        }));
    }

    /// Shows the dialog; `Some(result)` once it closed: the document attached, or `None`
    /// when cancelled.
    pub fn ui(&mut self, ctx: &egui::Context, env: &mut Env) -> Option<Option<Attached>> {
        if let Some(job) = &mut self.job
            && let Some(done) = job.poll()
        {
            self.job = None;
            match done.and_then(|r| r.map_err(|e| e.to_string())) {
                Ok(a) => {
                    for (k, id) in &a.written {
                        env.refresh(*k, *id);
                    }
                    env.notify(tr!(
                        "documents-attached",
                        file = a.document.file_name.clone()
                    ));
                    return Some(Some(a));
                }
                Err(e) => self.problems.add("file", e),
            }
        }
        let title = tr!("documents-attach-title", target = self.target.clone());
        let mut event = Event::None;
        // Its own buttons («Allega», «Annulla»): it opens over other forms, whose «Salva»
        // stays theirs.
        let id = egui::Id::unique("attach-document");
        egui::Modal::new(id)
            .area(widgets::top_anchored(id))
            .show(ctx, |ui| {
                ui.set_width(540.0);
                ui.label(egui::RichText::new(&title).heading());
                ui.separator();
                self.fields(ui, env);
                ui.separator();
                ui.horizontal(|ui| {
                    let ready = !self.busy() && self.chosen.refused.is_none();
                    if ui
                        .add_enabled(ready, egui::Button::new(tr!("documents-attach-ok")))
                        .clicked()
                    {
                        event = Event::Attach;
                    }
                    if ui
                        .add_enabled(!self.busy(), egui::Button::new(tr!("form-cancel")))
                        .clicked()
                    {
                        event = Event::Cancel;
                    }
                });
            });
        if event == Event::None && !self.busy() && !egui::Popup::is_any_open(ctx) {
            ctx.input_mut(|i| {
                if i.consume_key(egui::Modifiers::NONE, egui::Key::Escape) {
                    event = Event::Cancel;
                } else if self.chosen.refused.is_none()
                    && i.consume_key(egui::Modifiers::NONE, egui::Key::Enter)
                {
                    event = Event::Attach;
                }
            });
        }
        if self.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        match event {
            // A write under way finishes (it is one transaction): the form waits for it.
            _ if self.busy() => None,
            Event::Attach => {
                self.start(env, ctx);
                None
            }
            Event::Cancel => Some(None),
            Event::None => None,
        }
    }

    fn fields(&mut self, ui: &mut Ui, env: &Env) {
        let p = &self.problems;
        egui::Grid::new("attach-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.label(tr!("documents-file"));
                ui.vertical(|ui| {
                    ui.strong(&self.chosen.file_name);
                    ui.weak(super::fmt_size(self.chosen.size));
                    widgets::problem(ui, self.chosen.refused.as_deref());
                    widgets::problem(ui, p.for_field("file"));
                    widgets::problem(ui, p.for_field("file_name"));
                });
                ui.end_row();
                let kinds: Vec<(Id, String)> = env
                    .data
                    .catalog
                    .document_kinds
                    .iter()
                    .filter(|k| !k.archived || k.id == self.kind)
                    .map(|k| (k.id, k.name.clone()))
                    .collect();
                if self.line.is_some_and(|l| l.kind.is_some()) {
                    ui.label(tr!("documents-kind"));
                    ui.strong(env.data.catalog.name(self.kind));
                    ui.end_row();
                } else {
                    widgets::choice_row(
                        ui,
                        &tr!("documents-kind"),
                        &mut self.kind,
                        &kinds,
                        p.for_field("kind"),
                    );
                }
                widgets::date_row(
                    ui,
                    &tr!("documents-dated"),
                    "attach-dated",
                    &mut self.dated,
                    p.for_field("dated"),
                );
                widgets::date_row(
                    ui,
                    &tr!("documents-expires"),
                    "attach-expires",
                    &mut self.expires,
                    p.for_field("expires"),
                );
                widgets::text_row(
                    ui,
                    &tr!("documents-note"),
                    &mut self.note,
                    p.for_field("note"),
                );
            });
        widgets::other_problems(
            ui,
            p,
            &["file", "file_name", "kind", "dated", "expires", "note"],
        );
        if let Some(job) = &self.job {
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .text(tr!("documents-attach-progress"))
                        .desired_width(360.0),
                );
            });
        }
    }
}

/// Streams the file into the database in one transaction; for a checklist line, sets it
/// to attached in the same transaction.
#[allow(clippy::too_many_arguments)]
fn write(
    store: &crate::store::Store,
    session: &crate::access::Session,
    new: NewDocument,
    path: &Path,
    limit: u64,
    line: Option<ChecklistLine>,
    report: &mut dyn FnMut(&str, u64, u64),
    phase: String,
) -> Result<Attached, StoreError> {
    let file = std::fs::File::open(path).map_err(|e| {
        let mut p = Problems::default();
        p.add("file", format!("Il file non si legge: {e}"));
        StoreError::Invalid(p)
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut source = Counting {
        inner: file,
        done: 0,
        total,
        report,
        phase,
    };
    let kind = new.kind;
    let mut w = store.write_as(session)?;
    let document = w.attach_document(new, &mut source, limit)?;
    let mut written = vec![(EntityKind::Document, document.id)];
    if let Some(l) = line {
        let mut p: Pratica = w
            .get(l.pratica)?
            .ok_or(StoreError::NotFound(EntityKind::Pratica, l.pratica))?;
        // The line of the document's kind (a kind the bando does not ask for stays
        // attached to the pratica, outside its checklist).
        if let Some(item) = p.checklist.iter_mut().find(|i| i.document == kind) {
            item.state = DocumentState::Allegato(document.id);
            w.update(p)?;
            written.push((EntityKind::Pratica, l.pratica));
        }
    }
    w.commit()?;
    Ok(Attached { document, written })
}

/// The file dialog's request for a document to attach (PDF, JPEG, PNG).
pub fn pick_request() -> crate::ui::file_picker::PickRequest {
    crate::ui::file_picker::PickRequest::new(
        crate::ui::file_picker::PickKind::Open,
        tr!("documents-pick-title"),
    )
    .filter(tr!("documents-pick-filter"), &["pdf", "jpg", "jpeg", "png"])
}
