//! The project's documents, from the project dialog: the messa alla prova statement for
//! the UEPE and the court, and the tirocinio's monthly attendance sheet. A small dialog
//! (the month, the purpose), then the save dialog. The document is made by `crate::print`
//! for the signed-in session (the store checks what it may read; the print is logged);
//! the suggested file name carries the project's short id and the date, no personal data.

use crate::domain::time::today;
use crate::domain::*;
use crate::print::{self, Month};
use crate::tr;
use crate::ui::Env;
use crate::ui::file_picker::{PendingPick, PickKind, PickRequest};
use std::path::Path;

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Doc {
    /// The messa alla prova statement.
    MapStatement,
    /// The tirocinio's attendance sheet for one month.
    Attendance,
}

/// The dialog, open over the project dialog.
pub(super) struct ProjectPrint {
    doc: Doc,
    project: Id,
    month: String,
    chosen: Option<Month>,
    purpose: String,
    pending: Option<PendingPick>,
    error: Option<String>,
}

impl ProjectPrint {
    /// The dialog for project `project`; the attendance sheet proposes the latest month of
    /// `days` (the register) up to this month, or this month.
    pub(super) fn new(doc: Doc, project: Id, days: &[Attendance]) -> Self {
        let now = Month::of(today());
        let month = days
            .iter()
            .map(|a| Month::of(a.date))
            .filter(|m| *m <= now)
            .max()
            .unwrap_or(now);
        ProjectPrint {
            doc,
            project,
            month: format!("{:02}/{}", month.month, month.year),
            chosen: None,
            purpose: String::new(),
            pending: None,
            error: None,
        }
    }

    /// Shows the dialog; `true` once it is over (saved, or cancelled). `unsaved`: the
    /// project dialog has changes not saved yet (the document shows what is saved).
    pub(super) fn ui(&mut self, ctx: &egui::Context, env: &mut Env, unsaved: bool) -> bool {
        if let Some(pending) = &mut self.pending {
            match pending.poll(ctx) {
                None => return false,
                Some(None) => self.pending = None,
                Some(Some(path)) => {
                    self.pending = None;
                    match self.save(env, &path) {
                        Ok(msg) => {
                            env.notify(msg);
                            return true;
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
            }
        }
        let (title, intro) = match self.doc {
            Doc::MapStatement => (
                tr!("project-print-map-title"),
                tr!("project-print-map-intro"),
            ),
            Doc::Attendance => (
                tr!("project-print-attendance-title"),
                tr!("project-print-attendance-intro"),
            ),
        };
        let (mut save, mut cancel) = (false, false);
        let modal =
            egui::Modal::new(egui::Id::unique(("project-print", self.project))).show(ctx, |ui| {
                ui.set_max_width(460.0);
                ui.heading(title);
                ui.label(intro);
                ui.add_space(6.0);
                egui::Grid::new("project-print-grid")
                    .num_columns(2)
                    .show(ui, |ui| {
                        if self.doc == Doc::Attendance {
                            let l = ui.label(tr!("project-print-month"));
                            ui.add(egui::TextEdit::singleline(&mut self.month).desired_width(90.0))
                                .labelled_by(l.id);
                            ui.end_row();
                        }
                        let l = ui.label(tr!("project-print-purpose"));
                        ui.add(egui::TextEdit::singleline(&mut self.purpose).desired_width(260.0))
                            .labelled_by(l.id);
                        ui.end_row();
                    });
                if unsaved {
                    ui.label(egui::RichText::new(tr!("project-print-unsaved")).italics());
                }
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                ui.horizontal(|ui| {
                    save = ui.button(tr!("print-save")).clicked();
                    cancel = ui.button(tr!("print-cancel")).clicked();
                });
            });
        if cancel || (modal.should_close() && self.pending.is_none()) {
            return true;
        }
        if save && self.pending.is_none() {
            self.ask_where(env);
        }
        false
    }

    /// Checks the month and opens the save dialog with a name free of personal data.
    fn ask_where(&mut self, env: &mut Env) {
        let prefix = match self.doc {
            Doc::MapStatement => "messa-alla-prova".to_string(),
            Doc::Attendance => match Month::parse(&self.month) {
                Ok(m) => {
                    self.chosen = Some(m);
                    format!("presenze-{}", m.code())
                }
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            },
        };
        self.error = None;
        let name = print::suggested_name(&env.store, self.project, &prefix, "pdf");
        let req = PickRequest::new(PickKind::Save, tr!("project-print-dialog"))
            .file_name(name)
            .filter("PDF", &["pdf"]);
        self.pending = Some(env.picker.pick(req));
    }

    /// Makes the document and writes it; the message for the status line.
    fn save(&self, env: &mut Env, path: &Path) -> Result<String, String> {
        let session = env.session.clone();
        let store = env.store.clone();
        let bytes = match (self.doc, self.chosen) {
            (Doc::Attendance, Some(m)) => {
                print::attendance_pdf(&store, session.as_ref(), self.project, m, &self.purpose)
            }
            _ => print::map_statement_pdf(&store, session.as_ref(), self.project, &self.purpose),
        }
        .map_err(|e| e.to_string())?;
        crate::store::output::write_atomic_with(store.path(), path, true, |w| w.write_all(&bytes))?;
        Ok(tr!(
            "project-print-saved",
            path = path.display().to_string()
        ))
    }
}
