//! Impostazioni → "Importa da foglio di calcolo": the wizard from the file to the accepted
//! import (file dialog, sheet, kind of rows, header row, column → field, fixed values,
//! saved mappings), the preview of the dry run (counts, near matches to decide, refused rows
//! with their reasons, saved as CSV), the import with progress and cancel, and the list of
//! imports with their undo. Reading, planning, writing and undoing run in the background.

mod mapping_ui;
mod preview;

use crate::domain::*;
use crate::import::{self, Mapping, Plan, PlanOptions, ReadOptions, RowKind, Sheet};
use crate::store::import_log::Batch;
use crate::tr;
use crate::ui::Env;
use crate::ui::file_picker::{PendingPick, PickKind, PickRequest};
use crate::ui::jobs::Job;
use crate::ui::widgets;
use egui::{RichText, Ui};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a background job of the wizard returns.
enum Done {
    Read(Box<Sheet>),
    Plan(Box<Plan>),
    Committed(Batch),
    Undone(import::Undone),
}

/// What a file dialog was opened for.
enum Picking {
    Source(PendingPick),
    Refused(PendingPick),
}

/// The import wizard and the list of imports.
#[derive(Default)]
pub struct ImportPanel {
    path: Option<PathBuf>,
    sheet: Option<Box<Sheet>>,
    mapping: Option<Mapping>,
    header_row: String,
    plan: Option<Box<Plan>>,
    decisions: BTreeMap<usize, Id>,
    picking: Option<Picking>,
    job: Option<(String, Job<Done>)>,
    cancel: Arc<AtomicBool>,
    outcome: Option<(String, bool)>,
    batches: Option<Vec<Batch>>,
    saved: Option<Vec<Mapping>>,
    chosen_saved: Option<String>,
    undo_asked: Option<Id>,
    /// The text encoding chosen for a CSV (detected when none).
    encoding: Option<import::TextEncoding>,
    /// The database changed (an import or an undo): the window reloads its lists.
    changed: bool,
}

impl ImportPanel {
    /// True once after an import or an undo changed the database.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// Shows the section.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        self.poll(ui.ctx(), env);
        ui.label(RichText::new(tr!("import-title")).strong());
        ui.label(tr!("import-intro"));
        let busy = self.job.is_some() || self.picking.is_some();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!busy, egui::Button::new(tr!("import-choose")))
                .clicked()
            {
                self.choose_file(env);
            }
            if self.sheet.is_some()
                && ui
                    .add_enabled(!busy, egui::Button::new(tr!("import-close")))
                    .clicked()
            {
                self.reset();
            }
        });
        if let Some((what, job)) = &self.job {
            ui.horizontal(|ui| {
                ui.label(what);
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .desired_width(280.0)
                        .show_percentage(),
                );
                if ui.button(tr!("import-cancel")).clicked() {
                    self.cancel.store(true, Ordering::Relaxed);
                }
            });
            ui.ctx().request_repaint();
        }
        if let Some((text, error)) = &self.outcome {
            let color = if *error {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(text).color(color));
        }
        if self.sheet.is_some() && !busy {
            ui.add_space(6.0);
            if self.plan.is_some() {
                self.preview_ui(ui, env);
            } else {
                self.mapping_ui(ui, env);
            }
        }
        ui.add_space(8.0);
        self.batches_ui(ui, env);
    }

    fn reset(&mut self) {
        self.path = None;
        self.encoding = None;
        self.sheet = None;
        self.mapping = None;
        self.plan = None;
        self.decisions.clear();
        self.header_row.clear();
    }

    fn choose_file(&mut self, env: &Env) {
        self.outcome = None;
        let req = PickRequest::new(PickKind::Open, tr!("import-dialog"))
            .filter(tr!("import-filter"), &["xlsx", "xls", "ods", "csv", "txt"])
            .filter(tr!("import-filter-all"), &["*"]);
        self.picking = Some(Picking::Source(env.picker.pick(req)));
    }

    fn poll(&mut self, ctx: &egui::Context, env: &mut Env) {
        if let Some(p) = &mut self.picking {
            let (pick, source) = match p {
                Picking::Source(pick) => (pick, true),
                Picking::Refused(pick) => (pick, false),
            };
            if let Some(answer) = pick.poll(ctx) {
                self.picking = None;
                if let Some(path) = answer {
                    if source {
                        self.reset();
                        self.path = Some(path);
                        self.read(ctx, None);
                    } else {
                        self.save_refused(env, path);
                    }
                }
            }
        }
        let Some((_, job)) = &mut self.job else {
            return;
        };
        let Some(result) = job.poll() else {
            return;
        };
        self.job = None;
        match result {
            Err(e) => self.outcome = Some((e, true)),
            Ok(Done::Read(sheet)) => {
                let mapping = self.mapping.take().unwrap_or_else(|| {
                    let kind = guess_kind(&sheet);
                    Mapping::guessed(kind)
                });
                self.header_row = mapping
                    .header_row
                    .unwrap_or_else(|| {
                        import::mapping::guess_header_row(mapping.kind, &sheet.rows) + 1
                    })
                    .to_string();
                self.mapping = Some(mapping);
                self.sheet = Some(sheet);
            }
            Ok(Done::Plan(plan)) => self.plan = Some(plan),
            Ok(Done::Committed(batch)) => {
                self.outcome = Some((
                    tr!(
                        "import-done",
                        rows = batch.rows as i64,
                        refused = batch.refused as i64
                    ),
                    false,
                ));
                self.reset();
                self.batches = None;
                self.changed = true;
            }
            Ok(Done::Undone(u)) => {
                self.outcome = Some((
                    tr!(
                        "import-undone",
                        archived = u.archived as i64,
                        kept = u.kept as i64
                    ),
                    false,
                ));
                self.batches = None;
                self.changed = true;
            }
        }
        let _ = env;
    }

    /// Reads the chosen file (a sheet of it) in the background.
    fn read(&mut self, ctx: &egui::Context, sheet: Option<String>) {
        let Some(path) = self.path.clone() else {
            return;
        };
        let opts = ReadOptions {
            sheet,
            encoding: self.encoding,
            delimiter: None,
        };
        self.plan = None;
        self.job = Some((
            tr!("import-reading"),
            Job::spawn(ctx, move |_| {
                import::read_file(&path, &opts)
                    .map(|s| Done::Read(Box::new(s)))
                    .map_err(|e| e.to_string())
            }),
        ));
    }

    /// Runs the dry run in the background.
    fn start_plan(&mut self, ctx: &egui::Context, env: &Env) {
        let (Some(sheet), Some(mapping)) = (&self.sheet, &self.mapping) else {
            return;
        };
        let mut mapping = mapping.clone();
        match self.header_row.trim().parse::<usize>() {
            Ok(n) if n >= 1 && n <= sheet.rows.len() => mapping.header_row = Some(n),
            _ => {
                self.outcome = Some((tr!("import-bad-header-row"), true));
                return;
            }
        }
        self.mapping = Some(mapping.clone());
        let sheet = sheet.clone();
        let store = env.store.clone();
        let file = self.file_name();
        let opts = PlanOptions {
            today: store.clock().today(),
            actor: env.operator,
            decisions: self.decisions.clone(),
        };
        self.outcome = None;
        self.job = Some((
            tr!("import-planning"),
            Job::spawn(ctx, move |report| {
                let reader = store.read().map_err(|e| e.to_string())?;
                import::plan(&reader, &file, &sheet, &mapping, &opts, &mut |d, t| {
                    report("", d, t)
                })
                .map(|p| Done::Plan(Box::new(p)))
            }),
        ));
    }

    /// Writes the plan in the background, on behalf of the operator at the desk.
    fn start_commit(&mut self, ctx: &egui::Context, env: &Env) {
        let Some(plan) = self.plan.take() else {
            return;
        };
        if !env.can_write() {
            self.outcome = Some((tr!("import-need-operator"), true));
            self.plan = Some(plan);
            return;
        }
        let store = env.store.clone();
        let actor = env.operator;
        self.cancel = Arc::new(AtomicBool::new(false));
        let cancel = self.cancel.clone();
        self.job = Some((
            tr!("import-writing"),
            Job::spawn(ctx, move |report| {
                import::commit(&store, actor, &plan, &mut |d, t| report("", d, t), &cancel)
                    .map(Done::Committed)
                    .map_err(|e| e.to_string())
            }),
        ));
    }

    fn start_undo(&mut self, ctx: &egui::Context, env: &Env, batch: Id) {
        if !env.can_write() {
            self.outcome = Some((tr!("import-need-operator"), true));
            return;
        }
        let store = env.store.clone();
        let actor = env.operator;
        self.job = Some((
            tr!("import-undoing"),
            Job::spawn(ctx, move |_| {
                import::undo(&store, actor, batch)
                    .map(Done::Undone)
                    .map_err(|e| e.to_string())
            }),
        ));
    }

    fn file_name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn save_refused(&mut self, env: &Env, path: PathBuf) {
        let Some(plan) = &self.plan else {
            return;
        };
        let bytes = plan.refused_csv();
        self.outcome = Some(
            match crate::store::output::write_atomic_with(env.store.path(), &path, true, |w| {
                w.write_all(&bytes)
            }) {
                Ok(()) => (
                    tr!("import-refused-saved", path = path.display().to_string()),
                    false,
                ),
                Err(e) => (e, true),
            },
        );
    }

    fn batches_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if self.batches.is_none() {
            self.batches = env.store.read().and_then(|r| r.import_batches()).ok();
        }
        let Some(batches) = &self.batches else {
            return;
        };
        if batches.is_empty() {
            return;
        }
        ui.label(RichText::new(tr!("import-history")).strong());
        let mut undo = None;
        egui::Grid::new("import-batches")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                for b in batches {
                    ui.label(time::fmt_datetime(b.at));
                    ui.label(format!("{} — {}", b.file, b.sheet));
                    ui.label(tr!("import-batch-rows", rows = b.rows as i64));
                    if b.undone.is_some() {
                        ui.label(tr!("import-batch-undone"));
                    } else if ui
                        .add_enabled(
                            self.job.is_none(),
                            egui::Button::new(tr!("import-undo-button")),
                        )
                        .on_hover_text(b.id.to_string())
                        .clicked()
                    {
                        undo = Some(b.id);
                    }
                    ui.end_row();
                }
            });
        if undo.is_some() {
            self.undo_asked = undo;
        }
        if let Some(id) = self.undo_asked {
            match widgets::confirm(
                ui.ctx(),
                "import-undo",
                &tr!("import-undo-confirm"),
                &tr!("import-undo-yes"),
            ) {
                Some(true) => {
                    self.undo_asked = None;
                    self.start_undo(ui.ctx(), env, id);
                }
                Some(false) => self.undo_asked = None,
                None => {}
            }
        }
    }
}

/// The kind of rows a sheet's headers suggest (the kind naming most of them; contacts
/// when nothing stands out).
fn guess_kind(sheet: &Sheet) -> RowKind {
    let mut best = (RowKind::Contacts, 0usize);
    for kind in RowKind::ALL {
        let h = import::mapping::guess_header_row(kind, &sheet.rows);
        let known = sheet
            .rows
            .get(h)
            .map(|r| {
                r.iter()
                    .filter(|c| import::mapping::guess_field(kind, &c.text()).is_some())
                    .count()
            })
            .unwrap_or(0);
        if known > best.1 {
            best = (kind, known);
        }
    }
    best.0
}
