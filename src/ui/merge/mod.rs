//! Impostazioni → *Unisci i dati di un altro sportello* and *Possibili doppioni*.
//!
//! The merge panel: the file dialog, the passphrase of an encrypted backup, a background
//! job that reads the backup and works out the merge without writing (the preview: counts
//! per kind), the conflict screen (`conflicts`: one choice per field), then the merge on a
//! background job. The duplicate list (`duplicates`) and the person merge
//! (`person_merge`) are their own screens.

mod conflicts;
mod duplicates;
mod person_merge;

pub use conflicts::ConflictScreen;
pub use duplicates::DuplicatesScreen;
pub use person_merge::PersonMergeScreen;

use super::Env;
use super::file_picker::{PendingPick, PickKind, PickRequest};
use super::jobs::Job;
use crate::store::backup::{self, SecretString, table_label, table_name};
use crate::store::merge::{Incoming, MergeError, MergeOptions, MergeReport, merge_backup};
use crate::tr;
use age::secrecy::zeroize::Zeroize;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the panel is in a merge.
enum Step {
    Idle,
    Picking(PendingPick),
    Passphrase(PathBuf),
    Reading(Job<(Arc<Incoming>, MergeReport)>),
    Review {
        incoming: Arc<Incoming>,
        report: MergeReport,
        conflicts: ConflictScreen,
    },
    Writing(Job<MergeReport>),
}

/// The merge and duplicates panel of Impostazioni.
pub struct MergePanel {
    step: Step,
    pass: String,
    pass_error: Option<String>,
    outcome: Option<Result<String, String>>,
    changed: bool,
    /// The *Possibili doppioni* list.
    pub duplicates: DuplicatesScreen,
}

impl Default for MergePanel {
    fn default() -> Self {
        MergePanel {
            step: Step::Idle,
            pass: String::new(),
            pass_error: None,
            outcome: None,
            changed: false,
            duplicates: DuplicatesScreen::default(),
        }
    }
}

impl MergePanel {
    /// True once after a merge (desk or person) changed the database: the window reloads
    /// what it shows.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed) | self.duplicates.take_changed()
    }

    /// True while a merge is being read or written.
    pub fn busy(&self) -> bool {
        matches!(self.step, Step::Reading(_) | Step::Writing(_))
    }

    /// Shows the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) {
        let ctx = ui.ctx().clone();
        self.poll(&ctx, env);
        ui.heading(tr!("merge-title"));
        ui.label(tr!("merge-explain"));
        ui.add_space(6.0);
        let idle = matches!(self.step, Step::Idle);
        if ui
            .add_enabled(idle, egui::Button::new(tr!("merge-start")))
            .clicked()
        {
            self.outcome = None;
            let req = PickRequest::new(PickKind::Open, tr!("merge-dialog"))
                .filter(tr!("backup-filter"), &[backup::EXTENSION])
                .filter(tr!("backup-filter-all"), &["*"]);
            self.step = Step::Picking(env.picker.pick(req));
        }
        self.step_ui(ui, &ctx, env);
        match &self.outcome {
            Some(Ok(t)) => {
                ui.label(t);
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
        ui.add_space(12.0);
        ui.separator();
        self.duplicates.ui(ui, env);
    }

    fn step_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, env: &mut Env) {
        match &mut self.step {
            Step::Idle => {}
            Step::Picking(_) => {
                ui.label(tr!("merge-waiting-dialog"));
            }
            Step::Reading(job) => {
                ui.label(tr!("merge-reading"));
                ui.label(job.progress.0.clone());
                ui.add(egui::ProgressBar::new(job.fraction()).show_percentage());
            }
            Step::Writing(job) => {
                ui.label(tr!("merge-writing"));
                ui.add(egui::ProgressBar::new(job.fraction()).show_percentage());
            }
            Step::Passphrase(path) => {
                let path = path.clone();
                ui.group(|ui| {
                    ui.label(path.display().to_string());
                    ui.label(tr!("merge-encrypted-needs"));
                    let r = ui
                        .horizontal(|ui| {
                            let l = ui.label(tr!("merge-passphrase"));
                            ui.add(
                                egui::TextEdit::singleline(&mut self.pass)
                                    .password(true)
                                    .desired_width(260.0),
                            )
                            .labelled_by(l.id)
                        })
                        .inner;
                    let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let mut go = enter;
                    ui.horizontal(|ui| {
                        go |= ui.button(tr!("merge-open")).clicked();
                        if ui.button(tr!("merge-cancel")).clicked() {
                            self.pass.zeroize();
                            self.step = Step::Idle;
                        }
                    });
                    if go {
                        if self.pass.is_empty() {
                            self.pass_error = Some(tr!("merge-passphrase-empty"));
                        } else {
                            let p = SecretString::from(self.pass.clone());
                            self.pass.zeroize();
                            self.pass_error = None;
                            self.read(path.clone(), Some(p), ctx, env);
                        }
                    }
                    if let Some(e) = &self.pass_error {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                });
            }
            Step::Review { .. } => self.review_ui(ui, ctx, env),
        }
    }

    fn read(&mut self, path: PathBuf, pass: Option<SecretString>, ctx: &egui::Context, env: &Env) {
        let store = env.store.clone();
        let actor = env.operator;
        self.step = Step::Reading(Job::spawn(ctx, move |report| {
            let incoming =
                Incoming::read(&path, pass.as_ref(), report).map_err(|e| e.to_string())?;
            let preview = MergeOptions {
                dry_run: true,
                ..Default::default()
            };
            let r = merge_backup(&store, actor, &incoming, &preview).map_err(|e| e.to_string())?;
            Ok((Arc::new(incoming), r))
        }));
    }

    fn poll(&mut self, ctx: &egui::Context, env: &mut Env) {
        let step = std::mem::replace(&mut self.step, Step::Idle);
        self.step = match step {
            Step::Picking(mut pick) => match pick.poll(ctx) {
                None => Step::Picking(pick),
                Some(None) => Step::Idle,
                Some(Some(path)) => match backup::is_encrypted(&path) {
                    Ok(true) => {
                        self.pass.zeroize();
                        self.pass_error = None;
                        Step::Passphrase(path)
                    }
                    Ok(false) => {
                        self.read(path, None, ctx, env);
                        return;
                    }
                    Err(e) => {
                        self.outcome = Some(Err(tr!("merge-failed", why = e.to_string())));
                        Step::Idle
                    }
                },
            },
            Step::Reading(mut job) => match job.poll() {
                None => Step::Reading(job),
                Some(Err(e)) => {
                    self.outcome = Some(Err(tr!("merge-failed", why = e)));
                    Step::Idle
                }
                Some(Ok((incoming, report))) => {
                    if !report.changes() && report.conflicts.is_empty() {
                        self.outcome = Some(Ok(tr!("merge-nothing")));
                        Step::Idle
                    } else {
                        let conflicts = ConflictScreen::new(&env.store, report.conflicts.clone());
                        Step::Review {
                            incoming,
                            report,
                            conflicts,
                        }
                    }
                }
            },
            Step::Writing(mut job) => match job.poll() {
                None => Step::Writing(job),
                Some(Err(e)) => {
                    self.outcome = Some(Err(tr!("merge-failed", why = e)));
                    Step::Idle
                }
                Some(Ok(report)) => {
                    let t = report.total();
                    let mut text = tr!("merge-done", added = t.added, updated = t.updated);
                    if !report.duplicates.is_empty() {
                        text.push('\n');
                        text.push_str(&tr!("merge-duplicates-found", n = report.duplicates.len()));
                        self.duplicates.show(env, &report.duplicates);
                    }
                    self.outcome = Some(Ok(text.clone()));
                    env.notify(text);
                    self.changed = true;
                    Step::Idle
                }
            },
            other => other,
        };
    }

    fn review_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, env: &mut Env) {
        let Step::Review {
            report, conflicts, ..
        } = &mut self.step
        else {
            return;
        };
        let mut go = false;
        let mut cancel = false;
        ui.group(|ui| {
            ui.label(egui::RichText::new(tr!("merge-preview")).strong());
            let desk = report
                .header
                .desk
                .as_ref()
                .map(|d| d.name.clone())
                .unwrap_or_else(|| "—".into());
            ui.label(tr!(
                "merge-from",
                desk = desk,
                when = report
                    .header
                    .created_at
                    .format("%d/%m/%Y %H:%M")
                    .to_string()
            ));
            egui::Grid::new("merge-counts")
                .num_columns(5)
                .striped(true)
                .show(ui, |ui| {
                    for h in [
                        "merge-kind",
                        "merge-added",
                        "merge-updated",
                        "merge-conflicting",
                        "merge-unchanged",
                    ] {
                        ui.label(egui::RichText::new(tr!(h)).strong());
                    }
                    ui.end_row();
                    for (kind, c) in &report.counts {
                        if c.added + c.updated + c.conflicting + c.unchanged == 0 {
                            continue;
                        }
                        ui.label(table_label(table_name(*kind)));
                        ui.label(c.added.to_string());
                        ui.label(c.updated.to_string());
                        ui.label(c.conflicting.to_string());
                        ui.label(c.unchanged.to_string());
                        ui.end_row();
                    }
                });
            if report.catalogue_matched > 0 {
                ui.label(tr!("merge-catalogue-matched", n = report.catalogue_matched));
            }
            if report.people_merged > 0 {
                ui.label(tr!("merge-people-merged", n = report.people_merged));
            }
            if !conflicts.is_empty() {
                ui.add_space(6.0);
                conflicts.ui(ui, env);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                go = ui
                    .add_enabled(conflicts.all_decided(), egui::Button::new(tr!("merge-go")))
                    .clicked();
                cancel = ui.button(tr!("merge-cancel")).clicked();
            });
        });
        if cancel {
            self.step = Step::Idle;
        } else if go {
            let Step::Review {
                incoming,
                conflicts,
                ..
            } = std::mem::replace(&mut self.step, Step::Idle)
            else {
                return;
            };
            let opts = MergeOptions {
                dry_run: false,
                decisions: conflicts.decisions(),
                default_choice: None,
            };
            let store = env.store.clone();
            let actor = env.operator;
            self.step = Step::Writing(Job::spawn(ctx, move |_| {
                merge_backup(&store, actor, &incoming, &opts).map_err(|e| match e {
                    MergeError::Undecided(r) => {
                        tr!("merge-conflicts-left", n = r.undecided())
                    }
                    other => other.to_string(),
                })
            }));
        }
    }
}
