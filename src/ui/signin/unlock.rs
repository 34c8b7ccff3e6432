//! The sign-in of an encrypted database, before any store is open: username and password
//! (they unlock the key slot named after the account, then sign in with one Argon2id
//! derivation in all), or the recovery key. Also the unlock of a store whose keys were
//! forgotten when the window locked (see [`unlock_slot`]).

use crate::access::{self, Session, SignInError};
use crate::store::crypt::{self, SecretString, Unlock};
use crate::store::{OpenOptions, Store, StoreError};
use crate::tr;
use crate::ui::widgets;
use egui::{Key, RichText, Ui};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use zeroize::{Zeroize, Zeroizing};

/// What the screen opened: the store, and the session when an account signed in (the
/// recovery key opens the file but signs nobody in; a refused sign-in says why).
pub struct Opened {
    /// The open store.
    pub store: Store,
    /// Who signed in.
    pub session: Option<Session>,
    /// Why nobody is signed in yet (shown on the ordinary sign-in screen).
    pub message: Option<String>,
}

/// The message for a slot locked by failed unlocks, when it is.
pub(crate) fn slot_locked_message(
    status: crypt::SlotStatus,
    user: &str,
    now: i64,
) -> Option<String> {
    status.locked_until.filter(|u| *u > now).map(|until| {
        tr!(
            "unlock-slot-locked",
            user = user.to_string(),
            minutes = ((until - now + 59) / 60).to_string()
        )
    })
}

/// The message of a wrong name or password (the same as the ordinary sign-in's).
fn wrong() -> String {
    SignInError::Wrong { wait_secs: 0 }.to_string()
}

/// Unlocks the key slot `user` of the encrypted database at `path` with `unlock`: refused
/// while the slot is locked by failed unlocks; a wrong password is counted in the file and
/// answered as a wrong password. `unlock` does the work (open the file, or recover the keys
/// of a store already open).
pub(crate) fn unlock_slot<T>(
    path: &std::path::Path,
    user: &str,
    password: &str,
    unlock: impl FnOnce(&Unlock) -> Result<T, StoreError>,
) -> Result<T, String> {
    let slot = user.trim().to_lowercase();
    let now = chrono::Utc::now().timestamp();
    let status = crypt::slot_status(path, &slot).map_err(|e| e.to_string())?;
    if let Some(m) = slot_locked_message(status, &slot, now) {
        return Err(m);
    }
    let how = Unlock::Password {
        slot: slot.clone(),
        password: SecretString::from(password.to_owned()),
    };
    match unlock(&how) {
        Ok(t) => Ok(t),
        Err(StoreError::WrongPassword) => {
            let _ = crypt::record_failed_unlock(path, &slot, now);
            Err(wrong())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The sign-in screen of an encrypted database not yet open.
pub struct UnlockScreen {
    path: PathBuf,
    opts: OpenOptions,
    username: String,
    password: Zeroizing<String>,
    recovery: Zeroizing<String>,
    with_recovery: bool,
    error: Option<String>,
    focus: bool,
    /// The demo accounts whose key slot the published demo password opens (worked out in
    /// the background: one key derivation); `None` until known, empty for a real database.
    demo: Arc<Mutex<Option<Vec<&'static str>>>>,
}

impl UnlockScreen {
    /// The screen for the encrypted database at `path`.
    pub fn new(path: PathBuf, opts: OpenOptions) -> Self {
        let demo = demo_probe(&path);
        UnlockScreen {
            path,
            opts,
            username: String::new(),
            password: Zeroizing::default(),
            recovery: Zeroizing::default(),
            with_recovery: false,
            error: None,
            focus: true,
            demo,
        }
    }

    fn attempt(&mut self) -> Option<Opened> {
        let result = if self.with_recovery {
            self.open_with_recovery()
        } else {
            self.open_with_password()
        };
        self.password.zeroize();
        self.password.clear();
        self.recovery.zeroize();
        self.recovery.clear();
        match result {
            Ok(o) => Some(o),
            Err(e) => {
                self.error = Some(e);
                self.focus = true;
                None
            }
        }
    }

    fn open_with_password(&self) -> Result<Opened, String> {
        let store = unlock_slot(&self.path, &self.username, &self.password, |how| {
            Store::open_encrypted(&self.path, self.opts, how)
        })?;
        let _ = store.clear_slot_failures(&self.username.trim().to_lowercase());
        // The unlock left its proof: the sign-in does not derive the password again.
        let (session, message) = match access::sign_in(&store, &self.username, &self.password) {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e.to_string())),
        };
        Ok(Opened {
            store,
            session,
            message,
        })
    }

    fn open_with_recovery(&self) -> Result<Opened, String> {
        let how = Unlock::Recovery(SecretString::from(self.recovery.trim().to_owned()));
        let store = Store::open_encrypted(&self.path, self.opts, &how).map_err(|e| match e {
            StoreError::WrongPassword => tr!("unlock-recovery-wrong"),
            e => e.to_string(),
        })?;
        store
            .log_recovery_key_use("finestra")
            .map_err(|e| e.to_string())?;
        Ok(Opened {
            store,
            session: None,
            message: Some(tr!("unlock-recovery-opened")),
        })
    }

    /// Shows the screen; returns the store once the file is open.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<Opened> {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(tr!("signin-title"));
            ui.add_space(4.0);
            ui.label(tr!("unlock-text"));
            ui.add_space(12.0);
        });
        let mut submit = false;
        ui.vertical_centered(|ui| {
            super::centred_grid(ui, "unlock-grid", |ui| {
                if self.with_recovery {
                    let r = widgets::password_row(
                        ui,
                        &tr!("unlock-recovery-key"),
                        &mut self.recovery,
                        None,
                    );
                    if std::mem::take(&mut self.focus) {
                        r.request_focus();
                    }
                    submit = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                } else {
                    submit = super::credential_rows(
                        ui,
                        &mut self.username,
                        &mut self.password,
                        &mut self.focus,
                    );
                }
            });
            ui.add_space(8.0);
            if ui.button(tr!("signin-submit")).clicked() {
                submit = true;
            }
            if let Some(e) = &self.error {
                ui.add_space(6.0);
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
            ui.add_space(16.0);
            let other = if self.with_recovery {
                tr!("unlock-use-password")
            } else {
                tr!("unlock-use-recovery")
            };
            if ui.link(other).clicked() {
                self.with_recovery = !self.with_recovery;
                self.error = None;
                self.focus = true;
            }
            let demo = self.demo.lock().unwrap_or_else(|p| p.into_inner()).clone();
            match demo {
                Some(names) if !names.is_empty() && !self.with_recovery => {
                    if let Some(name) = super::demo_accounts(ui, &names) {
                        self.username = name.to_string();
                        *self.password = crate::demo::DEMO_PASSWORD.to_string();
                        submit = true;
                    }
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(200)),
                _ => {}
            }
        });
        let ready = if self.with_recovery {
            !self.recovery.trim().is_empty()
        } else {
            !self.username.trim().is_empty()
        };
        (submit && ready).then(|| self.attempt()).flatten()
    }
}

/// Works out in the background which demo accounts the encrypted database at `path`
/// opens: those with a key slot (read without the key), once the published demo password
/// is seen to open one of them (one key derivation, not counted as a failure). A real
/// database has no such slot, or not that password: nothing is listed.
fn demo_probe(path: &std::path::Path) -> Arc<Mutex<Option<Vec<&'static str>>>> {
    let present = crypt::slots_among(path, &crate::demo::DEMO_ACCOUNTS);
    let answer = Arc::new(Mutex::new(present.is_empty().then(Vec::new)));
    if present.is_empty() {
        return answer;
    }
    let (out, path) = (answer.clone(), path.to_path_buf());
    std::thread::spawn(move || {
        let password = SecretString::from(crate::demo::DEMO_PASSWORD.to_owned());
        let opens = crypt::slot_opens(&path, present[0], &password);
        *out.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(if opens { present } else { Vec::new() });
    });
    answer
}
