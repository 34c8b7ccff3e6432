//! The restore preview: what the backup holds against the database in use, and the
//! explicit confirmation before restoring.

use super::flow::Flow;
use super::outcome::header_ui;
use super::{BackupPanel, table_tr};
use crate::store::backup;
use crate::tr;
use crate::ui::Env;

impl BackupPanel {
    pub(super) fn preview_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, env: &mut Env) {
        let Flow::Preview {
            info,
            current,
            confirmed,
            ..
        } = &mut self.flow
        else {
            return;
        };
        let mut action = None;
        ui.group(|ui| {
            ui.strong(tr!("backup-preview-title"));
            header_ui(ui, info);
            egui::Grid::new("backup-preview")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    ui.strong(tr!("backup-col-table"));
                    ui.strong(tr!("backup-col-backup"));
                    ui.strong(tr!("backup-col-current"));
                    ui.end_row();
                    for (name, _) in backup::tables() {
                        let now = current
                            .iter()
                            .find(|c| c.name == name)
                            .map_or(0, |c| c.count);
                        ui.label(table_tr(name));
                        ui.label(info.header.count(name).to_string());
                        ui.label(now.to_string());
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.colored_label(ui.visuals().warn_fg_color, tr!("backup-preview-warning"));
            ui.checkbox(confirmed, tr!("backup-confirm"));
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(*confirmed, egui::Button::new(tr!("backup-restore-now")))
                    .clicked()
                {
                    action = Some(true);
                }
                if ui.button(tr!("backup-cancel")).clicked() {
                    action = Some(false);
                }
            });
        });
        match action {
            Some(true) => {
                if let Flow::Preview {
                    info, passphrase, ..
                } = std::mem::replace(&mut self.flow, Flow::Idle)
                {
                    self.run_restore(&info, passphrase, ctx, env);
                }
            }
            Some(false) => self.flow = Flow::Idle,
            None => {}
        }
    }
}
