//! The database file made unreadable without a key, from the window. A plain database is
//! encrypted at the first sign-in on it: the account's password opens its key slot, and the
//! recovery key is shown once. The demo database is encrypted right after its data is
//! made, with one key slot per demo account, all opened by the demo password. The store
//! rebuilds the file beside the old one, checks it and swaps it in
//! ([`Store::into_encrypted`]); the window first waits for the background jobs that still
//! read the old file, then shows the progress.

use super::AccoglienzaApp;
use crate::store::Store;
use crate::store::crypt::{NotEncrypted, RecoveryKey, SecretString};
use crate::tr;
use crate::ui::jobs::Job;
use crate::ui::signin::RecoveryKeyScreen;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// Where the encryption of the open database stands.
pub(super) enum Encrypting {
    /// Waiting for the background jobs that still hold the plain database.
    Waiting(Request),
    /// Rebuilding the file encrypted, in the background.
    Running { job: Job<Converted>, show_key: bool },
    /// The recovery key, shown once.
    ShowKey(RecoveryKeyScreen),
}

/// What the database is encrypted with.
pub(super) struct Request {
    slots: Vec<String>,
    password: Zeroizing<String>,
    /// Show the recovery key afterwards (not for the demo: nothing real to recover).
    show_key: bool,
}

/// What the conversion gave.
pub(super) enum Converted {
    /// The encrypted database, open, and its recovery key.
    Done(Store, RecoveryKey),
    /// Why it failed, and the plain database open again.
    Failed(Box<NotEncrypted>),
}

impl AccoglienzaApp {
    /// Encrypts the open plain database with a key slot per name in `slots`, all opened by
    /// `password`. Nothing happens on an encrypted database, or when
    /// [`AccoglienzaApp::set_encrypt_plain`] turned it off.
    pub(super) fn encrypt_database(
        &mut self,
        slots: Vec<String>,
        password: Zeroizing<String>,
        show_key: bool,
    ) {
        if self.env.store.is_encrypted() || !self.encrypt_plain {
            return;
        }
        self.encrypting = Some(Encrypting::Waiting(Request {
            slots,
            password,
            show_key,
        }));
    }

    /// Whether a plain database is encrypted at the first sign-in and after the demo data
    /// (on by default). Tests that keep a handle on the store they give the window turn it
    /// off: the file cannot be swapped while someone else holds it.
    pub fn set_encrypt_plain(&mut self, on: bool) {
        self.encrypt_plain = on;
    }

    /// True while the encryption (or its recovery key) covers the window.
    pub fn encrypting(&self) -> bool {
        self.encrypting.is_some()
    }

    /// True while the recovery key is on screen.
    pub(super) fn encrypting_shows_key(&self) -> bool {
        matches!(self.encrypting, Some(Encrypting::ShowKey(_)))
    }

    /// Draws the encryption's screen and moves it on.
    pub(super) fn encrypting_ui(&mut self, ui: &mut egui::Ui) {
        let Some(state) = self.encrypting.take() else {
            return;
        };
        self.encrypting = match state {
            Encrypting::Waiting(request) => {
                progress(ui, &tr!("encrypt-waiting"), 0.0);
                if Arc::strong_count(&self.env.store) > 1 {
                    ui.ctx().request_repaint_after(Duration::from_millis(100));
                    Some(Encrypting::Waiting(request))
                } else {
                    self.start(ui.ctx(), request)
                }
            }
            Encrypting::Running { mut job, show_key } => match job.poll() {
                None => {
                    let phase = match job.progress.0.as_str() {
                        "" => tr!("encrypt-running"),
                        p => format!("{} — {p}", tr!("encrypt-running")),
                    };
                    progress(ui, &phase, job.fraction());
                    Some(Encrypting::Running { job, show_key })
                }
                Some(Ok(Converted::Done(store, key))) => {
                    self.env.store = Arc::new(store);
                    self.env.database_replaced();
                    let copies = self.env.store.plain_copies().len();
                    if copies > 0 {
                        self.env
                            .fail(tr!("encrypt-done-plain-copies", count = copies));
                    } else {
                        self.env.notify(tr!("encrypt-done"));
                    }
                    show_key.then(|| {
                        Encrypting::ShowKey(RecoveryKeyScreen::new(
                            &key,
                            tr!("recovery-intro-encrypted"),
                        ))
                    })
                }
                Some(Ok(Converted::Failed(failed))) => {
                    self.failed(ui.ctx(), failed.store, &failed.error.to_string());
                    None
                }
                Some(Err(e)) => {
                    self.failed(ui.ctx(), None, &e);
                    None
                }
            },
            Encrypting::ShowKey(mut screen) => {
                if screen.ui(ui) {
                    None
                } else {
                    Some(Encrypting::ShowKey(screen))
                }
            }
        };
    }

    /// Takes the plain store out of the window and starts its conversion.
    fn start(&mut self, ctx: &egui::Context, request: Request) -> Option<Encrypting> {
        let placeholder = match Store::placeholder() {
            Ok(p) => p,
            Err(e) => {
                self.env.fail(tr!("encrypt-failed", error = e.to_string()));
                return None;
            }
        };
        let shared = std::mem::replace(&mut self.env.store, Arc::new(placeholder));
        let store = match Arc::try_unwrap(shared) {
            Ok(s) => s,
            Err(shared) => {
                self.env.store = shared;
                return Some(Encrypting::Waiting(request));
            }
        };
        let Request {
            slots,
            mut password,
            show_key,
        } = request;
        let job = Job::spawn(ctx, move |report| {
            let names: Vec<&str> = slots.iter().map(String::as_str).collect();
            // Moved, not copied: the secret zeroizes its buffer when dropped.
            let password = SecretString::from(std::mem::take(&mut *password));
            Ok(match store.into_encrypted(&names, &password, report) {
                Ok((s, key)) => Converted::Done(s, key),
                Err(failed) => Converted::Failed(failed),
            })
        });
        Some(Encrypting::Running { job, show_key })
    }

    /// The conversion failed: the plain database back in the window (it is unchanged), or
    /// — when it could not be reopened — the window closes, saying why in a window of its
    /// own: nothing may be typed into the empty stand-in that holds its place.
    fn failed(&mut self, ctx: &egui::Context, store: Option<Store>, error: &str) {
        match store {
            Some(s) => {
                self.env.store = Arc::new(s);
                self.env.database_replaced();
                self.env
                    .fail(tr!("encrypt-failed", error = error.to_string()));
            }
            None => {
                let message = tr!("encrypt-lost", error = error.to_string());
                eprintln!("{message}");
                crate::ui::startup::show_in_new_process(
                    crate::ui::startup::ProblemKind::Internal,
                    &message,
                );
                self.env.fail(message);
                self.env.session = None;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}

/// The progress of the encryption in the middle of the window.
fn progress(ui: &mut egui::Ui, phase: &str, fraction: f32) {
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.heading(tr!("encrypt-title"));
        ui.add_space(8.0);
        ui.label(tr!("encrypt-text"));
        ui.add_space(16.0);
        ui.label(phase);
        ui.add(egui::ProgressBar::new(fraction).desired_width(360.0));
    });
}
