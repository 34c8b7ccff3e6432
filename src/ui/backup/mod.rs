//! Impostazioni → Backup: "Esegui backup…", "Verifica backup…", "Ripristina…", the automatic
//! daily backup and the 7-day reminder. File dialogs go through `env.picker`; the work runs on
//! background jobs; the restore swaps `env.store` only after verification, a preview and an
//! explicit confirmation.
//!
//! This file holds the panel; the flows are in `flow`, the passphrase step in
//! `passphrase`, the restore preview in `preview`, the results in `outcome`, the
//! automatic backups in `auto`.

mod auto;
mod flow;
mod outcome;
mod passphrase;
mod preview;

use super::Env;
use super::jobs::Job;
use crate::store::Store;
use crate::store::backup::{self, AutoBackupSettings, BackupInfo, LastBackup};
use crate::tr;
use flow::{Flow, Purpose};
use outcome::Outcome;

/// The shortest passphrase accepted for a new encrypted backup.
pub const MIN_PASSPHRASE: usize = 8;

/// The backup panel of Impostazioni.
pub struct BackupPanel {
    flow: Flow,
    outcome: Option<Outcome>,
    pass1: String,
    pass2: String,
    pass_error: Option<String>,
    settings: Option<AutoBackupSettings>,
    last: Option<Option<LastBackup>>,
    /// The reminder shown and when it was worked out (window time, seconds).
    reminder: Option<(f64, Option<String>)>,
    auto_job: Option<Job<BackupInfo>>,
    auto_status: Option<String>,
    started: bool,
    replaced: bool,
    /// The scrypt work factor of new encrypted backups ([`backup::WORK_FACTOR`]; tests lower it).
    pub work_factor: u8,
}

impl Default for BackupPanel {
    fn default() -> Self {
        BackupPanel {
            flow: Flow::Idle,
            outcome: None,
            pass1: String::new(),
            pass2: String::new(),
            pass_error: None,
            settings: None,
            last: None,
            reminder: None,
            auto_job: None,
            auto_status: None,
            started: false,
            replaced: false,
            work_factor: backup::WORK_FACTOR,
        }
    }
}

fn fmt_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.0} kB", (n as f64 / 1024.0).ceil())
    }
}

/// The table's name on screen.
fn table_tr(name: &str) -> String {
    tr!(&format!("backup-table-{}", name.replace('_', "-")))
}

/// The reminder to show (status bar, panel) when the last backup is older than 7 days or
/// there is none; `None` otherwise.
pub fn reminder(store: &Store) -> Option<String> {
    if store.is_empty().unwrap_or(true) {
        return None;
    }
    let last = store.last_backup().ok()?;
    let now = store.clock().now_with_offset();
    match backup::reminder_due(last.as_ref(), now)? {
        None => Some(match last {
            // Dated after now: the clock was ahead when it was made; its age is unknown.
            Some(l) if l.at > now => tr!(
                "backup-reminder-future",
                when = l.at.format("%d/%m/%Y").to_string()
            ),
            _ => tr!("backup-reminder-never"),
        }),
        Some(days) => Some(tr!("backup-reminder-days", days = days)),
    }
}

impl BackupPanel {
    /// True once after the panel replaced `env.store` with a restored database: the caller
    /// reloads whatever it shows from the store.
    pub fn take_replaced(&mut self) -> bool {
        std::mem::take(&mut self.replaced)
    }

    /// True while a backup, verification or restore is running.
    pub fn busy(&self) -> bool {
        matches!(
            self.flow,
            Flow::Running(_) | Flow::Restoring(_) | Flow::Swapping(_)
        ) || self.auto_job.is_some()
    }

    /// True from the confirmation of a restore until the restored database is in place:
    /// the window takes no input meanwhile, so nothing is written to the database about to
    /// be replaced.
    pub fn restoring(&self) -> bool {
        matches!(self.flow, Flow::Restoring(_) | Flow::Swapping(_))
    }

    /// Shows the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) {
        let ctx = ui.ctx().clone();
        self.background(&ctx, env);
        if self.settings.is_none() {
            self.settings = env.store.auto_backup_settings().ok();
        }
        if self.last.is_none() {
            self.last = env.store.last_backup().ok();
            self.reminder = None;
        }
        // Worked out again when the last backup changes and every few seconds (the days
        // go by), not on every frame: it reads the store.
        let now = ui.input(|i| i.time);
        if self.reminder.as_ref().is_none_or(|(at, _)| now - at > 5.0) {
            self.reminder = Some((now, reminder(&env.store)));
        }

        ui.heading(tr!("backup-title"));
        ui.add_space(4.0);
        match self.last.clone().flatten() {
            Some(l) => {
                ui.label(tr!(
                    "backup-last",
                    when = l.at.format("%d/%m/%Y %H:%M").to_string(),
                    path = l.path.display().to_string()
                ));
            }
            None => {
                ui.label(tr!("backup-last-never"));
            }
        }
        if let Some((_, Some(r))) = &self.reminder {
            ui.colored_label(ui.visuals().warn_fg_color, r);
        }
        if let Some(s) = &self.auto_status {
            ui.label(s);
        }
        ui.add_space(8.0);

        let idle = matches!(self.flow, Flow::Idle) && self.auto_job.is_none();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(idle, egui::Button::new(tr!("backup-make")))
                .clicked()
            {
                self.start(Purpose::Backup, env);
            }
            if ui
                .add_enabled(idle, egui::Button::new(tr!("backup-verify")))
                .clicked()
            {
                self.start(Purpose::Verify, env);
            }
            if ui
                .add_enabled(idle, egui::Button::new(tr!("backup-restore")))
                .clicked()
            {
                self.start(Purpose::Restore, env);
            }
        });
        ui.add_space(8.0);

        self.flow_ui(ui, &ctx, env);
        self.outcome_ui(ui);

        ui.add_space(12.0);
        ui.separator();
        self.settings_ui(ui, env, idle);
    }
}
