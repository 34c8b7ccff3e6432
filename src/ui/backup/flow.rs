//! The steps of a backup, a verification or a restore: the file dialog, the passphrase,
//! the background job, the preview, and the swap of the database.

use super::BackupPanel;
use super::outcome::Outcome;
use crate::domain::time;
use crate::store::backup::{self, BackupInfo, BackupOptions, RestoredDb, SecretString, TableCount};
use crate::tr;
use crate::ui::Env;
use crate::ui::file_picker::{PendingPick, PickKind, PickRequest};
use crate::ui::jobs::Job;
use age::secrecy::zeroize::Zeroize;
use std::path::PathBuf;

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    Backup,
    Verify,
    Restore,
    Folder,
}

/// What a background job of a flow returns.
pub(super) enum Done {
    Backup(BackupInfo),
    /// The destination holds a larger backup: ask before replacing it (the message says
    /// what it holds), then run again with these options.
    AskReplace(PathBuf, String, Box<BackupOptions>),
    Verify(BackupInfo),
    Preview(BackupInfo, Option<SecretString>, Vec<TableCount>),
}

/// Where the panel is in a backup, a verification or a restore.
pub(super) enum Flow {
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
    /// Waiting for the operator to confirm replacing a larger backup.
    AskReplace(PathBuf, String, Box<BackupOptions>),
}

impl BackupPanel {
    pub(super) fn clear_passphrases(&mut self) {
        self.pass1.zeroize();
        self.pass2.zeroize();
        self.pass_error = None;
    }

    pub(super) fn start(&mut self, purpose: Purpose, env: &Env) {
        self.outcome = None;
        let filter = tr!("backup-filter");
        let req = match purpose {
            Purpose::Backup => {
                let name = backup::suggested_file_name(
                    env.data.catalog.desk(env.desk).map(|d| d.name.as_str()),
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
                // The database itself (or its safety copy) picked by mistake: refused
                // before anything is asked or written.
                if let Err(e) = env.store.check_output(&path) {
                    self.flow = Flow::Idle;
                    self.outcome = Some(Outcome::Error(e.to_string()));
                    return;
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

    pub(super) fn run_backup(&mut self, path: PathBuf, ctx: &egui::Context, env: &Env) {
        if let Some(s) = &env.session {
            let _ = env.store.log_access(
                s,
                crate::domain::access::AccessKind::Backup,
                None,
                &path.display().to_string(),
            );
        }
        let passphrase = (!self.pass1.is_empty()).then(|| SecretString::from(self.pass1.clone()));
        self.clear_passphrases();
        let opts = BackupOptions {
            passphrase,
            work_factor: self.work_factor,
            desk: Some(env.desk),
            operator: Some(env.operator),
            ..BackupOptions::default()
        };
        self.spawn_backup(path, opts, ctx, env);
    }

    fn spawn_backup(&mut self, path: PathBuf, opts: BackupOptions, ctx: &egui::Context, env: &Env) {
        let store = env.store.clone();
        self.flow = Flow::Running(Job::spawn(ctx, move |report| {
            match store.backup_to(&path, &opts, report) {
                Ok(info) => Ok(Done::Backup(info)),
                Err(e @ backup::BackupError::WouldReplaceLarger { .. }) => {
                    Ok(Done::AskReplace(path, e.to_string(), Box::new(opts)))
                }
                Err(e) => Err(e.to_string()),
            }
        }));
    }

    /// The question before a backup replaces a file holding a larger backup.
    pub(super) fn ask_replace_ui(&mut self, ctx: &egui::Context, env: &Env) {
        let Flow::AskReplace(_, message, _) = &self.flow else {
            return;
        };
        let text = format!("{}\n\n{message}", tr!("backup-replace-title"));
        match crate::ui::widgets::confirm(ctx, "backup-replace", &text, &tr!("backup-replace-yes"))
        {
            None => {}
            Some(yes) => {
                let Flow::AskReplace(path, message, mut opts) =
                    std::mem::replace(&mut self.flow, Flow::Idle)
                else {
                    return;
                };
                if yes {
                    opts.replace_larger = true;
                    self.spawn_backup(path, *opts, ctx, env);
                } else {
                    self.outcome = Some(Outcome::Error(message));
                }
            }
        }
    }

    pub(super) fn run_check(
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

    pub(super) fn run_restore(
        &mut self,
        info: &BackupInfo,
        passphrase: Option<SecretString>,
        ctx: &egui::Context,
        env: &Env,
    ) {
        let store = env.store.clone();
        let path = info.path.clone();
        let actor = env.operator;
        if let Some(s) = &env.session {
            // In the database being replaced (kept as the safety copy); the restored one
            // records the restore itself.
            let _ = store.log_access(
                s,
                crate::domain::access::AccessKind::Ripristino,
                None,
                &path.display().to_string(),
            );
        }
        self.flow = Flow::Restoring(Job::spawn(ctx, move |report| {
            backup::restore_to_new_file(&store, &path, passphrase.as_ref(), actor, report)
                .map_err(|e| e.to_string())
        }));
    }

    pub(super) fn poll(&mut self, ctx: &egui::Context, env: &mut Env) {
        let flow = std::mem::replace(&mut self.flow, Flow::Idle);
        self.flow = match flow {
            Flow::Picking(purpose, mut pick) => match pick.poll(ctx) {
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
                Some(Ok(Done::AskReplace(path, message, opts))) => {
                    Flow::AskReplace(path, message, opts)
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
}
