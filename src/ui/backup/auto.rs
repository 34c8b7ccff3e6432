//! Automatic backups: the one due at start (in the background, on any screen), the one due
//! at exit, and their settings in the panel.

use super::flow::Purpose;
use super::outcome::Outcome;
use super::{BackupPanel, fmt_bytes};
use crate::store::backup::{self, AutoBackupSettings, AutoWhen, BackupInfo};
use crate::tr;
use crate::ui::Env;
use crate::ui::jobs::Job;

impl BackupPanel {
    /// Runs every frame, on any screen: starts the automatic backup due at start (once) and
    /// collects its result. The panel's own `ui` calls it too.
    pub fn background(&mut self, ctx: &egui::Context, env: &mut Env) {
        if !self.started {
            self.started = true;
            if let Ok(Some(settings)) =
                backup::auto_backup_due(&env.store, AutoWhen::AtStart, env.store.clock().today())
            {
                let store = env.store.clone();
                let desk = env.desk;
                self.auto_job = Some(Job::spawn(ctx, move |report| {
                    backup::run_auto_backup(&store, &settings, Some(desk), report)
                        .map_err(|e| e.to_string())
                }));
            }
        }
        if let Some(job) = &mut self.auto_job
            && let Some(r) = job.poll()
        {
            self.auto_job = None;
            self.last = None;
            self.auto_status = Some(match r {
                Ok(info) => tr!(
                    "backup-auto-done",
                    path = info.path.display().to_string(),
                    size = fmt_bytes(info.bytes)
                ),
                Err(e) => tr!("backup-auto-failed", error = e),
            });
        }
        // The panel's own jobs too: a finished restore is swapped in at once, whichever
        // screen is showing.
        self.poll(ctx, env);
    }

    /// Call from `eframe::App::on_exit`: makes the automatic backup due at exit (blocking).
    pub fn on_exit(&mut self, env: &Env) -> Option<Result<BackupInfo, String>> {
        // A window closed while locked has forgotten the keys of its encrypted database:
        // nothing can be read to back up, and nothing was written since the lock (the
        // database refuses writes without its keys). The next backup due covers it.
        if !env.store.keys_loaded() {
            eprintln!("Backup automatico all'uscita saltato: la postazione era bloccata.");
            return None;
        }
        let settings =
            backup::auto_backup_due(&env.store, AutoWhen::AtExit, env.store.clock().today())
                .ok()
                .flatten()?;
        Some(
            backup::run_auto_backup(&env.store, &settings, Some(env.desk), &mut |_, _, _| {})
                .map_err(|e| e.to_string()),
        )
    }

    pub(super) fn save_settings(&mut self, s: AutoBackupSettings, env: &Env) {
        match env.store.set_auto_backup_settings(&s) {
            Ok(()) => self.settings = Some(s),
            Err(e) => self.outcome = Some(Outcome::Error(e.to_string())),
        }
    }

    pub(super) fn settings_ui(&mut self, ui: &mut egui::Ui, env: &mut Env, idle: bool) {
        let Some(mut s) = self.settings.clone() else {
            return;
        };
        ui.strong(tr!("backup-auto-title"));
        let before = s.clone();
        ui.checkbox(&mut s.enabled, tr!("backup-auto-enabled"));
        ui.horizontal(|ui| {
            ui.label(match &s.folder {
                Some(f) => tr!("backup-auto-folder", path = f.display().to_string()),
                None => tr!("backup-auto-no-folder"),
            });
            if ui
                .add_enabled(idle, egui::Button::new(tr!("backup-auto-choose")))
                .clicked()
            {
                self.start(Purpose::Folder, env);
            }
        });
        ui.horizontal(|ui| {
            let l = ui.label(tr!("backup-auto-keep"));
            ui.add(egui::DragValue::new(&mut s.keep).range(1..=365))
                .labelled_by(l.id);
        });
        ui.horizontal(|ui| {
            ui.radio_value(&mut s.when, AutoWhen::AtStart, tr!("backup-auto-at-start"));
            ui.radio_value(&mut s.when, AutoWhen::AtExit, tr!("backup-auto-at-exit"));
        });
        if s.enabled && s.folder.is_none() {
            ui.colored_label(ui.visuals().warn_fg_color, tr!("backup-auto-needs-folder"));
        }
        // An encrypted database's backups are sealed with its keys; a plain one's are not.
        ui.label(if env.store.is_encrypted() {
            tr!("backup-auto-encrypted")
        } else {
            tr!("backup-auto-unencrypted")
        });
        if s != before {
            self.save_settings(s, env);
        }
    }
}
