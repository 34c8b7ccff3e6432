//! The step in progress under the panel's buttons: waiting for the file dialog, the
//! progress of a job, or the passphrase asked for a new backup or to open an encrypted one.

use super::flow::{Flow, Purpose};
use super::{BackupPanel, MIN_PASSPHRASE};
use crate::store::backup::SecretString;
use crate::tr;
use crate::ui::Env;

impl BackupPanel {
    fn passphrase_field(ui: &mut egui::Ui, label: String, value: &mut String) -> egui::Response {
        ui.horizontal(|ui| {
            let l = ui.label(label);
            ui.add(
                egui::TextEdit::singleline(value)
                    .password(true)
                    .desired_width(260.0),
            )
            .labelled_by(l.id)
        })
        .inner
    }

    pub(super) fn flow_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, env: &mut Env) {
        match &mut self.flow {
            Flow::Idle => {}
            Flow::Picking(..) => {
                ui.label(tr!("backup-waiting-dialog"));
            }
            Flow::Running(job) => {
                ui.label(job.progress.0.clone());
                ui.add(egui::ProgressBar::new(job.fraction()).show_percentage());
            }
            Flow::Restoring(job) => {
                ui.label(job.progress.0.clone());
                ui.add(egui::ProgressBar::new(job.fraction()).show_percentage());
            }
            Flow::Swapping(_) => {
                ui.label(tr!("backup-swapping"));
            }
            Flow::AskReplace(..) => {
                self.ask_replace_ui(ctx, env);
            }
            Flow::Passphrase(purpose, path) => {
                let (purpose, path) = (*purpose, path.clone());
                ui.group(|ui| {
                    ui.label(path.display().to_string());
                    let mut go = false;
                    if purpose == Purpose::Backup {
                        ui.label(tr!("backup-passphrase-optional"));
                        let r1 =
                            Self::passphrase_field(ui, tr!("backup-passphrase"), &mut self.pass1);
                        let r2 = Self::passphrase_field(
                            ui,
                            tr!("backup-passphrase-repeat"),
                            &mut self.pass2,
                        );
                        let enter = (r1.lost_focus() || r2.lost_focus())
                            && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        ui.horizontal(|ui| {
                            go = ui.button(tr!("backup-start")).clicked() || enter;
                            if ui.button(tr!("backup-cancel")).clicked() {
                                self.flow = Flow::Idle;
                            }
                        });
                        if go {
                            if self.pass1 != self.pass2 {
                                self.pass_error = Some(tr!("backup-passphrase-mismatch"));
                            } else if !self.pass1.is_empty()
                                && self.pass1.chars().count() < MIN_PASSPHRASE
                            {
                                self.pass_error =
                                    Some(tr!("backup-passphrase-short", min = MIN_PASSPHRASE));
                            } else {
                                self.run_backup(path, ctx, env);
                                return;
                            }
                        }
                    } else {
                        ui.label(tr!("backup-encrypted-needs"));
                        let r =
                            Self::passphrase_field(ui, tr!("backup-passphrase"), &mut self.pass1);
                        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        ui.horizontal(|ui| {
                            go = ui.button(tr!("backup-open")).clicked() || enter;
                            if ui.button(tr!("backup-cancel")).clicked() {
                                self.flow = Flow::Idle;
                            }
                        });
                        if go {
                            if self.pass1.is_empty() {
                                self.pass_error = Some(tr!("backup-passphrase-empty"));
                            } else {
                                let p = SecretString::from(self.pass1.clone());
                                self.clear_passphrases();
                                self.run_check(purpose, path, Some(p), ctx, env);
                                return;
                            }
                        }
                    }
                    if let Some(e) = &self.pass_error {
                        ui.colored_label(ui.visuals().error_fg_color, e);
                    }
                });
                if matches!(self.flow, Flow::Idle) {
                    self.clear_passphrases();
                }
            }
            Flow::Preview { .. } => self.preview_ui(ui, ctx, env),
        }
    }
}
