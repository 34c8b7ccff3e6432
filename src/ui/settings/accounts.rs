//! Impostazioni → Account (administrators): the accounts with their roles and state, a
//! new account, a provisional password (reset), unlock, deactivate or reactivate (never
//! delete), the days after which an unused account is deactivated; and, for everyone,
//! changing one's own password.

use crate::access::{NewAccount, PasswordParams};
use crate::domain::*;
use crate::store::StoreError;
use crate::tr;
use crate::ui::Env;
use crate::ui::signin::{ChangePasswordForm, RecoveryKeyScreen};
use crate::ui::widgets;
use egui::{RichText, Ui};
use zeroize::Zeroize;

/// The new-account form.
#[derive(Default)]
struct NewForm {
    username: String,
    operator: Option<Id>,
    roles: Vec<Id>,
    password: String,
    problems: Problems,
}

impl Drop for NewForm {
    fn drop(&mut self) {
        self.password.zeroize();
    }
}

/// The Account section of Impostazioni.
#[derive(Default)]
pub struct AccountsPanel {
    accounts: Vec<Account>,
    roles: Vec<AccessRole>,
    loaded: Option<usize>,
    new: Option<NewForm>,
    /// The account whose provisional password is being typed, and the password.
    reset: Option<(Id, String)>,
    inactive_days: String,
    own: Option<ChangePasswordForm>,
    message: Option<(bool, String)>,
    /// The accounts whose password opens the file (an encrypted database only).
    slots: Option<Vec<String>>,
    /// Plain copies of the encrypted database left beside it (looked for when the panel
    /// loads, not every frame: it reads the folder).
    plain_copies: Vec<std::path::PathBuf>,
    /// A new recovery key: asked to confirm, then shown once.
    confirm_recovery: bool,
    recovery: Option<RecoveryKeyScreen>,
}

impl AccountsPanel {
    fn load(&mut self, env: &Env) {
        if self.loaded == Some(env.change_count()) && !self.accounts.is_empty() {
            return;
        }
        self.loaded = Some(env.change_count());
        let Some(s) = env.session.as_ref() else {
            return;
        };
        match env
            .read()
            .and_then(|r| Ok((r.all::<Account>()?, r.all::<AccessRole>()?)))
        {
            Ok((a, r)) => {
                self.accounts = a;
                self.roles = r;
            }
            Err(e) => self.message = Some((true, e.to_string())),
        }
        self.slots = env.store.is_encrypted().then(|| env.store.key_slot_names());
        self.plain_copies = env.store.plain_copies();
        if self.inactive_days.is_empty() {
            self.inactive_days = env
                .store
                .inactive_days()
                .map(|d| d.to_string())
                .unwrap_or_default();
        }
        let _ = s;
    }

    /// Shows the section: one's own password for everyone, the accounts for administrators.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env, params: PasswordParams) {
        ui.label(RichText::new(tr!("accounts-title")).heading());
        if let Some(s) = env.session.clone() {
            ui.horizontal(|ui| {
                ui.label(tr!("accounts-me", user = s.username().to_string()));
                if self.own.is_none() && ui.button(tr!("password-change")).clicked() {
                    self.own = Some(ChangePasswordForm::default());
                }
            });
            let mut close = false;
            if let Some(f) = &mut self.own {
                ui.group(|ui| {
                    if let Some(new) = f.ui(ui, &env.store, &s, params) {
                        env.session = Some(new);
                        close = true;
                        env.notify(tr!("password-changed"));
                    } else if ui.button(tr!("form-cancel")).clicked() {
                        close = true;
                    }
                });
            }
            if close {
                self.own = None;
            }
        }
        if !env.may(Permission::Account) {
            return;
        }
        self.load(env);
        ui.add_space(6.0);
        if let Some((err, m)) = &self.message {
            let color = if *err {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(m).color(color));
        }
        let now = env.store.clock().now();
        let mut action: Option<(Id, &'static str)> = None;
        egui::Grid::new("accounts-grid")
            .num_columns(5)
            .striped(true)
            .spacing([14.0, 6.0])
            .show(ui, |ui| {
                for k in [
                    "accounts-col-user",
                    "accounts-col-operator",
                    "accounts-col-roles",
                    "accounts-col-state",
                    "accounts-col-actions",
                ] {
                    ui.strong(tr!(k));
                }
                ui.end_row();
                for a in &self.accounts {
                    ui.label(&a.username);
                    ui.label(
                        a.operator
                            .map(|o| env.data.catalog.name(o).to_string())
                            .unwrap_or_default(),
                    );
                    let roles: Vec<&str> = a
                        .roles
                        .iter()
                        .filter_map(|r| self.roles.iter().find(|x| x.id == *r))
                        .map(|r| r.name.as_str())
                        .collect();
                    ui.label(roles.join(", "));
                    let locked = a.locked_at(now, &Default::default());
                    let state = if !a.active {
                        tr!("accounts-state-inactive")
                    } else if locked {
                        tr!("accounts-state-locked")
                    } else if a.must_change {
                        tr!("accounts-state-provisional")
                    } else {
                        tr!("accounts-state-active")
                    };
                    let keyless = a.active
                        && self
                            .slots
                            .as_ref()
                            .is_some_and(|s| !s.contains(&a.username));
                    if keyless {
                        ui.label(
                            RichText::new(format!("{state}, {}", tr!("accounts-no-key-short")))
                                .color(ui.visuals().warn_fg_color),
                        )
                        .on_hover_text(tr!("accounts-no-key"));
                    } else {
                        ui.label(state);
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .button(tr!("accounts-reset", user = a.username.clone()))
                            .clicked()
                        {
                            action = Some((a.id, "reset"));
                        }
                        if locked
                            && ui
                                .button(tr!("accounts-unlock", user = a.username.clone()))
                                .clicked()
                        {
                            action = Some((a.id, "unlock"));
                        }
                        let (key, what) = if a.active {
                            ("accounts-deactivate", "off")
                        } else {
                            ("accounts-reactivate", "on")
                        };
                        if ui.button(tr!(key, user = a.username.clone())).clicked() {
                            action = Some((a.id, what));
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some((id, what)) = action {
            self.act(env, id, what);
        }
        self.reset_ui(ui, env, params);
        ui.add_space(6.0);
        if self.new.is_none() && ui.button(tr!("accounts-new")).clicked() {
            self.new = Some(NewForm::default());
        }
        self.new_ui(ui, env, params);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let l = ui.label(tr!("accounts-inactive-days"));
            ui.add(egui::TextEdit::singleline(&mut self.inactive_days).desired_width(60.0))
                .labelled_by(l.id);
            if ui.button(tr!("accounts-save-days")).clicked() {
                let res = match (self.inactive_days.trim().parse::<i64>(), &env.session) {
                    (Ok(d), Some(s)) => {
                        env.store.set_inactive_days(s, d).map_err(|e| e.to_string())
                    }
                    _ => Err(tr!("accounts-days-invalid")),
                };
                self.message = Some(match res {
                    Ok(()) => (false, tr!("accounts-days-saved")),
                    Err(e) => (true, e),
                });
            }
        });
        self.recovery_ui(ui, env);
    }

    /// Plain copies of an encrypted database left beside it: listed, removed on request.
    fn plain_copies_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if self.plain_copies.is_empty() {
            return;
        }
        ui.add_space(10.0);
        let remove = ui
            .group(|ui| {
                ui.label(
                    RichText::new(tr!(
                        "accounts-plain-copies",
                        count = self.plain_copies.len()
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
                for p in &self.plain_copies {
                    ui.label(p.display().to_string());
                }
                ui.button(tr!("accounts-plain-copies-remove")).clicked()
            })
            .inner;
        if remove && let Some(s) = env.session.clone() {
            self.message = Some(match env.store.remove_plain_copies_as(&s) {
                Ok(gone) => (
                    false,
                    tr!("accounts-plain-copies-removed", count = gone.len()),
                ),
                Err(e) => (true, e.to_string()),
            });
            self.plain_copies = env.store.plain_copies();
        }
    }

    /// A new recovery key for an encrypted database: confirmed, made, shown once.
    fn recovery_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if !env.store.is_encrypted() {
            return;
        }
        self.plain_copies_ui(ui, env);
        ui.add_space(10.0);
        if let Some(screen) = &mut self.recovery {
            if ui.group(|ui| screen.ui(ui)).inner {
                self.recovery = None;
            }
            return;
        }
        if !self.confirm_recovery {
            if ui.button(tr!("accounts-new-recovery")).clicked() {
                self.confirm_recovery = true;
            }
            return;
        }
        let (mut go, mut cancel) = (false, false);
        ui.group(|ui| {
            ui.label(tr!("accounts-new-recovery-confirm"));
            ui.horizontal(|ui| {
                go = ui.button(tr!("accounts-new-recovery-go")).clicked();
                cancel = ui.button(tr!("form-cancel")).clicked();
            });
        });
        if cancel {
            self.confirm_recovery = false;
        }
        if go && let Some(s) = env.session.clone() {
            self.confirm_recovery = false;
            match env.store.new_recovery_key_as(&s) {
                Ok(key) => {
                    self.recovery =
                        Some(RecoveryKeyScreen::inline(&key, tr!("recovery-intro-new")));
                }
                Err(e) => self.message = Some((true, e.to_string())),
            }
        }
    }

    fn act(&mut self, env: &mut Env, id: Id, what: &str) {
        let Some(s) = env.session.clone() else {
            return;
        };
        let res = match what {
            "reset" => {
                self.reset = Some((id, String::new()));
                return;
            }
            "unlock" => env.store.unlock_account(&s, id),
            "off" => env.store.set_account_active(&s, id, false),
            _ => env.store.set_account_active(&s, id, true),
        };
        self.done(env, res, "accounts-done");
    }

    fn done(&mut self, env: &mut Env, res: Result<(), StoreError>, ok: &str) {
        self.message = Some(match res {
            Ok(()) => {
                env.bump(EntityKind::Account);
                self.accounts.clear();
                (false, tr!(ok))
            }
            Err(StoreError::Invalid(p)) => (true, p.to_string()),
            Err(e) => (true, e.to_string()),
        });
    }

    fn reset_ui(&mut self, ui: &mut Ui, env: &mut Env, params: PasswordParams) {
        let Some((id, password)) = &mut self.reset else {
            return;
        };
        let id = *id;
        let name = self
            .accounts
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.username.clone())
            .unwrap_or_default();
        let (mut go, mut cancel) = (false, false);
        ui.group(|ui| {
            ui.label(tr!("accounts-reset-text", user = name));
            egui::Grid::new("reset-grid").num_columns(2).show(ui, |ui| {
                widgets::password_row(ui, &tr!("first-admin-password"), password, None);
            });
            ui.horizontal(|ui| {
                go = ui.button(tr!("accounts-reset-confirm")).clicked();
                cancel = ui.button(tr!("form-cancel")).clicked();
            });
        });
        if go && let Some(s) = env.session.clone() {
            let res = env.store.reset_password(&s, id, password, params);
            password.zeroize();
            if res.is_ok() {
                self.reset = None;
            }
            self.done(env, res, "accounts-reset-done");
        } else if cancel {
            self.reset = None;
        }
    }

    fn new_ui(&mut self, ui: &mut Ui, env: &mut Env, params: PasswordParams) {
        let Some(f) = &mut self.new else {
            return;
        };
        let (mut go, mut cancel) = (false, false);
        ui.group(|ui| {
            ui.label(RichText::new(tr!("accounts-new")).strong());
            let p = f.problems.clone();
            egui::Grid::new("new-account")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    widgets::text_row(
                        ui,
                        &tr!("signin-username"),
                        &mut f.username,
                        p.for_field("username"),
                    );
                    let ops = widgets::with_none(widgets::operator_options(&env.data, f.operator));
                    widgets::choice_row(
                        ui,
                        &tr!("accounts-col-operator"),
                        &mut f.operator,
                        &ops,
                        p.for_field("operator"),
                    );
                    widgets::label(ui, &tr!("accounts-col-roles"));
                    ui.vertical(|ui| {
                        for r in self.roles.iter().filter(|r| !r.archived) {
                            let mut on = f.roles.contains(&r.id);
                            if ui.checkbox(&mut on, r.name.as_str()).changed() {
                                if on {
                                    f.roles.push(r.id);
                                } else {
                                    f.roles.retain(|x| *x != r.id);
                                }
                            }
                        }
                        widgets::problem(ui, p.for_field("roles"));
                    });
                    ui.end_row();
                    widgets::password_row(
                        ui,
                        &tr!("first-admin-password"),
                        &mut f.password,
                        p.for_field("password"),
                    );
                });
            ui.label(tr!("password-rules"));
            ui.horizontal(|ui| {
                go = ui.button(tr!("accounts-create")).clicked();
                cancel = ui.button(tr!("form-cancel")).clicked();
            });
        });
        if cancel {
            self.new = None;
            return;
        }
        if !go {
            return;
        }
        let Some(s) = env.session.clone() else {
            return;
        };
        let new = NewAccount {
            username: f.username.clone(),
            operator: f.operator,
            roles: f.roles.clone(),
            must_change: true,
        };
        match env.store.create_account(&s, &new, &f.password, params) {
            Ok(_) => {
                self.new = None;
                self.done(env, Ok(()), "accounts-created");
            }
            Err(StoreError::Invalid(p)) => f.problems = p,
            Err(e) => self.message = Some((true, e.to_string())),
        }
    }
}
