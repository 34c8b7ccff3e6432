//! What a screen does with a document it lists: preview it (read and decoded in a
//! background job) and open it with the system's viewer (the temporary copy written in a
//! background job, then tracked by the window's [`crate::ui::documents::external`]).

use super::external::Launched;
use super::preview::PreviewPane;
use crate::domain::access::AccessKind;
use crate::domain::*;
use crate::tr;
use crate::ui::Env;
use crate::ui::jobs::Job;

/// The preview and the openings of one screen.
#[derive(Default)]
pub struct DocumentActions {
    /// The preview (one at a time).
    pub preview: PreviewPane,
    /// The file name of the document previewed.
    pub title: String,
    opening: Option<Job<Launched>>,
    /// Whom the document being opened is about, and what the access log says of it.
    opening_about: Option<((EntityKind, Id), String)>,
}

impl DocumentActions {
    /// Starts the preview of `doc` (a second click on the same one closes it).
    pub fn toggle_preview(&mut self, env: &Env, ctx: &egui::Context, doc: &Document) {
        if self.preview.showing == Some(doc.id) {
            self.preview.close();
            return;
        }
        let reads = env.reads();
        let id = doc.id;
        self.title = doc.file_name.clone();
        self.preview.start(ctx, id, move || {
            reads
                .read()
                .and_then(|r| r.document_bytes(id))
                .map_err(|e| e.to_string())
        });
    }

    /// Opens `doc` with the system's viewer through a temporary copy.
    pub fn open(&mut self, env: &Env, ctx: &egui::Context, doc: &Document) {
        let launcher = env.viewer.launcher();
        let reads = env.reads();
        let (id, ext) = (doc.id, doc.media.extension());
        let about = match doc.subject {
            Subject::Person(p) => (EntityKind::Person, p),
            Subject::Household(h) => (EntityKind::Household, h),
        };
        let what = format!(
            "documento aperto fuori dal programma ({}, {})",
            env.data.catalog.name(doc.kind),
            doc.id.short()
        );
        self.opening_about = Some((about, what));
        self.opening = Some(Job::spawn(ctx, move |_| {
            let r = reads.read().map_err(|e| e.to_string())?;
            launcher.launch(ext, |w| {
                r.copy_document_to(id, w).map_err(|e| e.to_string())
            })
        }));
    }

    /// True while a copy is being written for the viewer.
    pub fn opening(&self) -> bool {
        self.opening.is_some()
    }

    /// Takes the finished opening (tracked for removal, or its error on the status line).
    pub fn poll(&mut self, env: &mut Env) {
        if let Some(job) = &mut self.opening
            && let Some(done) = job.poll()
        {
            self.opening = None;
            match done {
                Ok(l) => {
                    env.viewer.track(l);
                    // A copy left the program's protection: a read that matters.
                    if let Some((about, what)) = self.opening_about.take() {
                        env.log_access(AccessKind::Esportazione, Some(about), &what);
                    }
                    env.notify(tr!("documents-opened"));
                }
                Err(e) => env.fail(e),
            }
        }
    }

    /// The preview in a window of its own beside the screen (closed with its ×).
    pub fn preview_window(&mut self, ctx: &egui::Context) {
        if self.preview.showing.is_none() {
            return;
        }
        let mut open = true;
        let max = ctx.content_rect().size();
        egui::Window::new(tr!("documents-preview-title", file = self.title.clone()))
            .id(egui::Id::unique("documents-preview-window"))
            .open(&mut open)
            .resizable(true)
            .default_size([480.0, (max.y - 120.0).clamp(300.0, 820.0)])
            .default_pos([(max.x - 500.0).max(0.0), 60.0])
            .show(ctx, |ui| {
                let avail = egui::vec2(ui.available_width(), (max.y - 180.0).max(200.0));
                egui::ScrollArea::both().show(ui, |ui| self.preview.ui(ui, avail));
            });
        if !open {
            self.preview.close();
        }
    }
}
