//! What a finished backup, verification or restore reports in the panel.

use super::{BackupPanel, fmt_bytes, table_tr};
use crate::store::backup::{self, BackupInfo};
use crate::tr;
use std::path::PathBuf;

/// The result shown under the buttons once a flow ends.
pub(super) enum Outcome {
    BackupDone(BackupInfo),
    Verified(BackupInfo),
    Restored {
        info: backup::Header,
        safety: PathBuf,
    },
    Error(String),
}

impl BackupPanel {
    pub(super) fn outcome_ui(&mut self, ui: &mut egui::Ui) {
        let Some(o) = &self.outcome else { return };
        ui.group(|ui| match o {
            Outcome::Error(e) => {
                ui.colored_label(ui.visuals().error_fg_color, tr!("backup-refused"));
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            Outcome::BackupDone(info) => {
                ui.strong(tr!("backup-done"));
                header_ui(ui, info);
                counts_ui(ui, &info.header);
            }
            Outcome::Verified(info) => {
                ui.strong(tr!("backup-verified"));
                header_ui(ui, info);
                counts_ui(ui, &info.header);
            }
            Outcome::Restored { info, safety } => {
                ui.strong(tr!("backup-restored"));
                ui.label(tr!(
                    "backup-restored-from",
                    when = info.created_at.format("%d/%m/%Y %H:%M").to_string()
                ));
                ui.label(tr!(
                    "backup-safety-copy",
                    path = safety.display().to_string()
                ));
            }
        });
    }
}

pub(super) fn header_ui(ui: &mut egui::Ui, info: &BackupInfo) {
    let h = &info.header;
    ui.label(tr!("backup-file", path = info.path.display().to_string()));
    ui.label(tr!(
        "backup-created",
        when = h.created_at.format("%d/%m/%Y %H:%M").to_string(),
        version = h.app_version.clone(),
        schema = h.schema_version
    ));
    if let Some(d) = &h.desk {
        ui.label(tr!("backup-desk", desk = d.name.clone()));
    }
    ui.label(tr!(
        "backup-size",
        size = fmt_bytes(info.bytes),
        records = h.total()
    ));
    ui.label(if info.encrypted {
        tr!("backup-encrypted-yes")
    } else {
        tr!("backup-encrypted-no")
    });
}

fn counts_ui(ui: &mut egui::Ui, h: &backup::Header) {
    let main = [
        "people",
        "households",
        "contacts",
        "cases",
        "projects",
        "referrals",
    ];
    let parts: Vec<String> = main
        .iter()
        .map(|t| format!("{} {}", table_tr(t), h.count(t)))
        .collect();
    ui.label(parts.join(" · "));
}
