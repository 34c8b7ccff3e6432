//! Impostazioni → Backup: "Esegui backup…", "Verifica backup…", "Ripristina…", the automatic
//! daily backup and the 7-day reminder. File dialogs go through `env.picker`; the work runs on
//! background jobs; the restore swaps `env.store` only after verification, a preview and an
//! explicit confirmation.

use super::Env;
use super::file_picker::{PendingPick, PickKind, PickRequest};
use super::jobs::Job;
use crate::domain::{Desk, time};
use crate::store::Store;
use crate::store::backup::{
    self, AutoBackupSettings, AutoWhen, BackupInfo, BackupOptions, LastBackup, RestoredDb,
    SecretString, TableCount,
};
use crate::tr;
use age::secrecy::zeroize::Zeroize;
use std::path::PathBuf;

/// The shortest passphrase accepted for a new encrypted backup.
pub const MIN_PASSPHRASE: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Backup,
    Verify,
    Restore,
    Folder,
}

enum Done {
    Backup(BackupInfo),
    Verify(BackupInfo),
    Preview(BackupInfo, Option<SecretString>, Vec<TableCount>),
}

enum Flow {
    Idle,
    Picking(Purpose, PendingPick),
    Passphrase(Purpose, PathBuf),
    Running(Job<Done>),
    Preview {
        info: BackupInfo,
        passphrase: Option<SecretString>,
        current: Vec<TableCount>,
        confirmed: bool,
    },
    Restoring(Job<RestoredDb>),
    Swapping(RestoredDb),
}

enum Outcome {
    BackupDone(BackupInfo),
    Verified(BackupInfo),
    Restored {
        info: backup::Header,
        safety: PathBuf,
    },
    Error(String),
}

/// The backup panel of Impostazioni.
pub struct BackupPanel {
    flow: Flow,
    outcome: Option<Outcome>,
    pass1: String,
    pass2: String,
    pass_error: Option<String>,
    settings: Option<AutoBackupSettings>,
    last: Option<Option<LastBackup>>,
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

fn desk_name(store: &Store, desk: crate::domain::Id) -> Option<String> {
    store
        .read()
        .ok()?
        .get::<Desk>(desk)
        .ok()
        .flatten()
        .map(|d| d.name)
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
    match backup::reminder_due(last.as_ref(), chrono::Local::now().fixed_offset())? {
        None => Some(tr!("backup-reminder-never")),
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

    /// Runs every frame, on any screen: starts the automatic backup due at start (once) and
    /// collects its result. The panel's own `ui` calls it too.
    pub fn background(&mut self, ctx: &egui::Context, env: &mut Env) {
        if !self.started {
            self.started = true;
            if let Ok(Some(settings)) =
                backup::auto_backup_due(&env.store, AutoWhen::AtStart, time::today())
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
    }

    /// Call from `eframe::App::on_exit`: makes the automatic backup due at exit (blocking).
    pub fn on_exit(&mut self, env: &Env) -> Option<Result<BackupInfo, String>> {
        let settings = backup::auto_backup_due(&env.store, AutoWhen::AtExit, time::today())
            .ok()
            .flatten()?;
        Some(
            backup::run_auto_backup(&env.store, &settings, Some(env.desk), &mut |_, _, _| {})
                .map_err(|e| e.to_string()),
        )
    }

    fn clear_passphrases(&mut self) {
        self.pass1.zeroize();
        self.pass2.zeroize();
        self.pass_error = None;
    }

    fn start(&mut self, purpose: Purpose, env: &Env) {
        self.outcome = None;
        let filter = tr!("backup-filter");
        let req = match purpose {
            Purpose::Backup => {
                let name = backup::suggested_file_name(
                    desk_name(&env.store, env.desk).as_deref(),
                    time::now_minute(),
                );
                let mut r = PickRequest::new(PickKind::Save, tr!("backup-dialog-save"))
                    .file_name(name)
                    .filter(filter, &[backup::EXTENSION]);
                if let Some(Some(last)) = &self.last
                    && let Some(dir) = last.path.parent()
                {
                    r = r.directory(dir);
                }
                r
            }
            Purpose::Verify | Purpose::Restore => PickRequest::new(
                PickKind::Open,
                tr!(if purpose == Purpose::Verify {
                    "backup-dialog-verify"
                } else {
                    "backup-dialog-restore"
                }),
            )
            .filter(filter, &[backup::EXTENSION])
            .filter(tr!("backup-filter-all"), &["*"]),
            Purpose::Folder => PickRequest::new(PickKind::Folder, tr!("backup-dialog-folder")),
        };
        self.flow = Flow::Picking(purpose, env.picker.pick(req));
    }

    fn picked(&mut self, purpose: Purpose, path: PathBuf, ctx: &egui::Context, env: &mut Env) {
        match purpose {
            Purpose::Folder => {
                let mut s = self.settings.clone().unwrap_or_default();
                s.folder = Some(path);
                self.save_settings(s, env);
                self.flow = Flow::Idle;
            }
            Purpose::Backup => {
                let mut path = path;
                if path.extension().is_none() {
                    path.set_extension(backup::EXTENSION);
                }
                self.clear_passphrases();
                self.flow = Flow::Passphrase(Purpose::Backup, path);
            }
            Purpose::Verify | Purpose::Restore => match backup::is_encrypted(&path) {
                Ok(true) => {
                    self.clear_passphrases();
                    self.flow = Flow::Passphrase(purpose, path);
                }
                Ok(false) => self.run_check(purpose, path, None, ctx, env),
                Err(e) => {
                    self.flow = Flow::Idle;
                    self.outcome = Some(Outcome::Error(e.to_string()));
                }
            },
        }
    }

    fn run_backup(&mut self, path: PathBuf, ctx: &egui::Context, env: &Env) {
        let passphrase = (!self.pass1.is_empty()).then(|| SecretString::from(self.pass1.clone()));
        self.clear_passphrases();
        let opts = BackupOptions {
            passphrase,
            work_factor: self.work_factor,
            desk: Some(env.desk),
            operator: Some(env.operator),
            ..BackupOptions::default()
        };
        let store = env.store.clone();
        self.flow = Flow::Running(Job::spawn(ctx, move |report| {
            store
                .backup_to(&path, &opts, report)
                .map(Done::Backup)
                .map_err(|e| e.to_string())
        }));
    }

    fn run_check(
        &mut self,
        purpose: Purpose,
        path: PathBuf,
        passphrase: Option<SecretString>,
        ctx: &egui::Context,
        env: &Env,
    ) {
        let store = env.store.clone();
        self.flow = Flow::Running(Job::spawn(ctx, move |report| {
            let info =
                backup::verify(&path, passphrase.as_ref(), report).map_err(|e| e.to_string())?;
            Ok(if purpose == Purpose::Restore {
                let current = store.table_counts().map_err(|e| e.to_string())?;
                Done::Preview(info, passphrase, current)
            } else {
                Done::Verify(info)
            })
        }));
    }

    fn run_restore(
        &mut self,
        info: &BackupInfo,
        passphrase: Option<SecretString>,
        ctx: &egui::Context,
        env: &Env,
    ) {
        let store = env.store.clone();
        let path = info.path.clone();
        let actor = env.operator;
        self.flow = Flow::Restoring(Job::spawn(ctx, move |report| {
            backup::restore_to_new_file(&store, &path, passphrase.as_ref(), actor, report)
                .map_err(|e| e.to_string())
        }));
    }

    fn save_settings(&mut self, s: AutoBackupSettings, env: &Env) {
        match env.store.set_auto_backup_settings(&s) {
            Ok(()) => self.settings = Some(s),
            Err(e) => self.outcome = Some(Outcome::Error(e.to_string())),
        }
    }

    fn poll(&mut self, ctx: &egui::Context, env: &mut Env) {
        let flow = std::mem::replace(&mut self.flow, Flow::Idle);
        self.flow = match flow {
            Flow::Picking(purpose, mut pick) => match pick.poll() {
                None => Flow::Picking(purpose, pick),
                Some(None) => Flow::Idle,
                Some(Some(path)) => {
                    self.picked(purpose, path, ctx, env);
                    return;
                }
            },
            Flow::Running(mut job) => match job.poll() {
                None => Flow::Running(job),
                Some(Err(e)) => {
                    self.outcome = Some(Outcome::Error(e));
                    Flow::Idle
                }
                Some(Ok(Done::Backup(info))) => {
                    self.last = None;
                    self.outcome = Some(Outcome::BackupDone(info));
                    Flow::Idle
                }
                Some(Ok(Done::Verify(info))) => {
                    self.outcome = Some(Outcome::Verified(info));
                    Flow::Idle
                }
                Some(Ok(Done::Preview(info, passphrase, current))) => Flow::Preview {
                    info,
                    passphrase,
                    current,
                    confirmed: false,
                },
            },
            Flow::Restoring(mut job) => match job.poll() {
                None => Flow::Restoring(job),
                Some(Err(e)) => {
                    self.outcome = Some(Outcome::Error(e));
                    Flow::Idle
                }
                Some(Ok(restored)) => Flow::Swapping(restored),
            },
            Flow::Swapping(restored) => {
                // Only once no job holds the store (the restore job has just let it go).
                if std::sync::Arc::strong_count(&env.store) > 1 {
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                    Flow::Swapping(restored)
                } else {
                    let header = restored.header.clone();
                    match backup::swap_in(&mut env.store, restored) {
                        Ok(s) => {
                            self.replaced = true;
                            self.settings = None;
                            self.last = None;
                            self.outcome = Some(Outcome::Restored {
                                info: header,
                                safety: s.safety_copy,
                            });
                        }
                        Err(e) => self.outcome = Some(Outcome::Error(e.to_string())),
                    }
                    Flow::Idle
                }
            }
            other => other,
        };
    }

    /// Shows the panel.
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) {
        let ctx = ui.ctx().clone();
        self.background(&ctx, env);
        self.poll(&ctx, env);
        if self.settings.is_none() {
            self.settings = env.store.auto_backup_settings().ok();
        }
        if self.last.is_none() {
            self.last = env.store.last_backup().ok();
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
        if let Some(r) = reminder(&env.store) {
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

    fn flow_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, env: &mut Env) {
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

    fn preview_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, env: &mut Env) {
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

    fn outcome_ui(&mut self, ui: &mut egui::Ui) {
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

    fn settings_ui(&mut self, ui: &mut egui::Ui, env: &mut Env, idle: bool) {
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
        ui.label(tr!("backup-auto-unencrypted"));
        if s != before {
            self.save_settings(s, env);
        }
    }
}

fn header_ui(ui: &mut egui::Ui, info: &BackupInfo) {
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
