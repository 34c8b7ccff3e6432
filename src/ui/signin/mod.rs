//! The sign-in screen (it replaces the old operator gate): username and password, the
//! demo accounts on a demo database, the first administrator of a database without
//! accounts, and the password to change before anything else.

mod change_password;
mod first_admin;
mod recovery_key;
mod unlock;

pub use change_password::ChangePasswordForm;
pub use first_admin::FirstAdminForm;
pub use recovery_key::RecoveryKeyScreen;
pub use unlock::{Opened, UnlockScreen};

use crate::access::{self, Session};
use crate::store::Store;
use crate::tr;
use crate::ui::widgets;
use egui::{Key, RichText, Ui};
use zeroize::{Zeroize, Zeroizing};

/// The sign-in screen.
#[derive(Default)]
pub struct SignInScreen {
    username: String,
    password: Zeroizing<String>,
    error: Option<String>,
    /// The window was locked by this account (its unsaved forms wait for it).
    locked_by: Option<String>,
    focus: bool,
    /// The password of the sign-in that just succeeded on a plain database, kept for the
    /// encryption of the file that follows (see [`SignInScreen::take_password`]).
    kept: Option<Zeroizing<String>>,
}

impl SignInScreen {
    /// The screen shown after a lock: the name of who locked it filled in.
    pub fn locked(username: &str) -> Self {
        SignInScreen {
            username: username.to_string(),
            locked_by: Some(username.to_string()),
            focus: true,
            ..Default::default()
        }
    }

    /// The screen with a username filled in (the administrator just created).
    pub fn for_user(username: &str) -> Self {
        SignInScreen {
            username: username.to_string(),
            focus: true,
            ..Default::default()
        }
    }

    /// The screen with a message (why nobody signed in when the file was opened).
    pub fn with_message(message: String) -> Self {
        SignInScreen {
            error: Some(message),
            focus: true,
            ..Default::default()
        }
    }

    /// The password of the sign-in that just succeeded on a plain (unencrypted) database,
    /// once: it opens the key slot of the account when the window encrypts the file.
    pub fn take_password(&mut self) -> Option<Zeroizing<String>> {
        self.kept.take()
    }

    fn attempt(&mut self, store: &Store) -> Option<Session> {
        // A locked encrypted database: this account's key slot brings the keys back first
        // (any account may sign in), leaving the proof that spares a second derivation.
        if !store.keys_loaded() {
            if let Err(e) =
                unlock::unlock_slot(store.path(), &self.username, &self.password, |how| {
                    store.recover_keys(how)
                })
            {
                self.password.zeroize();
                self.password.clear();
                self.error = Some(e);
                self.focus = true;
                return None;
            }
            // A good unlock clears the slot's failed attempts, as the first sign-in does.
            let _ = store.clear_slot_failures(&self.username.trim().to_lowercase());
        }
        let result = access::sign_in(store, &self.username, &self.password);
        if result.is_ok() && !store.is_encrypted() {
            self.kept = Some(std::mem::take(&mut self.password));
        }
        self.password.zeroize();
        self.password.clear();
        match result {
            Ok(s) => {
                self.error = None;
                Some(s)
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.focus = true;
                None
            }
        }
    }

    /// Shows the screen; returns the session once someone signed in.
    pub fn ui(&mut self, ui: &mut Ui, store: &Store, demo: bool) -> Option<Session> {
        let mut session = None;
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(tr!("signin-title"));
            ui.add_space(4.0);
            match &self.locked_by {
                Some(name) => ui.label(tr!("signin-locked", user = name.clone())),
                None => ui.label(tr!("signin-text")),
            };
            ui.add_space(12.0);
        });
        let mut submit = false;
        ui.vertical_centered(|ui| {
            centred_grid(ui, "signin-grid", |ui| {
                submit =
                    credential_rows(ui, &mut self.username, &mut self.password, &mut self.focus);
            });
            ui.add_space(8.0);
            if ui.button(tr!("signin-submit")).clicked() {
                submit = true;
            }
            if let Some(e) = &self.error {
                ui.add_space(6.0);
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            if demo && let Some(name) = demo_accounts(ui, &crate::demo::DEMO_ACCOUNTS) {
                self.username = name.to_string();
                *self.password = crate::demo::DEMO_PASSWORD.to_string();
                submit = true;
            }
        });
        if submit && !self.username.trim().is_empty() {
            session = self.attempt(store);
        }
        session
    }
}

/// The demo database's accounts (`names`) and password, each account a button that signs
/// in with it; returns the account chosen.
pub(crate) fn demo_accounts(ui: &mut Ui, names: &[&'static str]) -> Option<&'static str> {
    let mut chosen = None;
    ui.add_space(24.0);
    ui.group(|ui| {
        ui.set_max_width(520.0);
        ui.label(RichText::new(tr!("signin-demo-title")).strong());
        ui.label(tr!(
            "signin-demo-text",
            password = crate::demo::DEMO_PASSWORD
        ));
        ui.horizontal_wrapped(|ui| {
            for &name in names {
                if ui.button(tr!("signin-demo-as", user = name)).clicked() {
                    chosen = Some(name);
                }
            }
        });
    });
    chosen
}

/// The width a sign-in form's grid is assumed to have before it is first drawn.
const FORM_WIDTH: f32 = 460.0;

/// A two-column grid of form rows centred in the row: its width is remembered from the
/// frame before (the labels' width depends on the language and the text size).
pub(crate) fn centred_grid<R>(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    let key = ui.make_persistent_id(("centred-grid-width", id));
    let width = ui
        .ctx()
        .data(|d| d.get_temp::<f32>(key))
        .unwrap_or(FORM_WIDTH);
    let pad = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal(|ui| {
        ui.add_space(pad);
        let r = egui::Grid::new(id)
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, add);
        let drawn = r.response.rect.width();
        if (drawn - width).abs() > 0.5 {
            ui.ctx().data_mut(|d| d.insert_temp(key, drawn));
            ui.ctx().request_repaint();
        }
        r.inner
    })
    .inner
}

/// The username and password rows of a sign-in grid: the first empty one takes the
/// keyboard when `focus` is set (then cleared); true when Enter is pressed in either.
pub(crate) fn credential_rows(
    ui: &mut Ui,
    username: &mut String,
    password: &mut String,
    focus: &mut bool,
) -> bool {
    let u = widgets::text_row(ui, &tr!("signin-username"), username, None);
    let p = widgets::password_row(ui, &tr!("signin-password"), password, None);
    if std::mem::take(focus) {
        if username.is_empty() {
            u.request_focus();
        } else {
            p.request_focus();
        }
    }
    (u.lost_focus() || p.lost_focus()) && ui.input(|i| i.key_pressed(Key::Enter))
}
