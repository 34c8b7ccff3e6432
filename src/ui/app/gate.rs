//! The gate in front of every screen: the first administrator of a database without
//! accounts, the sign-in, the password to change first; and the lock (idle minutes, the
//! «Blocca» button, Ctrl+L), sign-out and switching accounts.

use super::AccoglienzaApp;
use crate::access::Session;
use crate::domain::*;
use crate::ui::Route;
use crate::ui::signin::{ChangePasswordForm, FirstAdminForm, SignInScreen};
use std::time::{Duration, Instant};

impl AccoglienzaApp {
    /// True while the gate covers the window (nobody signed in, no account yet, or a
    /// password to change).
    pub(super) fn gated(&self) -> bool {
        self.welcome.is_none() && self.env.session.as_ref().is_none_or(|s| s.must_change())
    }

    /// Draws the gate in the central panel.
    pub(super) fn gate_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(s) = self.env.session.clone() {
            // Signed in with a provisional password: change it first.
            ui.vertical_centered(|ui| {
                ui.add_space(60.0);
                ui.set_max_width(560.0);
                let form = self
                    .change_password
                    .get_or_insert_with(ChangePasswordForm::default);
                if let Some(new) = form.ui(ui, &self.env.store, &s, self.params) {
                    self.change_password = None;
                    self.sign_in(new);
                    self.env.notify(crate::tr!("password-changed"));
                }
                ui.add_space(12.0);
                if ui.button(crate::tr!("signout")).clicked() {
                    self.sign_out();
                }
            });
            return;
        }
        if !self.accounts_exist {
            let form = self.first_admin.get_or_insert_with(FirstAdminForm::default);
            if let Some(user) = form.ui(ui, &self.env.store, self.params) {
                self.first_admin = None;
                self.accounts_exist = true;
                self.signin_prefill(&user);
            }
            return;
        }
        if let Some(s) = self.signin.ui(ui, &self.env.store, self.demo_db) {
            // A plain database is encrypted at the first sign-in on it: the password just
            // typed opens the account's key slot.
            let password = self.signin.take_password();
            let slot = s.username().trim().to_lowercase();
            self.sign_in(s);
            self.reload_if_needed(&ctx);
            if let Some(password) = password {
                self.encrypt_database(vec![slot], password, true);
            }
        }
    }

    /// Shows `message` on the sign-in screen (the file was opened, nobody signed in).
    pub fn signin_message(&mut self, message: Option<String>) {
        if let Some(m) = message {
            self.signin = SignInScreen::with_message(m);
        }
    }

    fn signin_prefill(&mut self, user: &str) {
        self.signin = SignInScreen::for_user(user);
    }

    /// Someone signed in: their account's permissions decide what the window shows. The
    /// same account as the one that locked the window finds it as it was (unsaved forms
    /// included); another account starts afresh.
    pub fn sign_in(&mut self, session: Session) {
        let same = self.locked_account == Some(session.account())
            || self
                .env
                .session
                .as_ref()
                .is_some_and(|s| s.account() == session.account());
        if !same {
            self.reset_screens();
        }
        self.locked_account = None;
        self.signin = SignInScreen::default();
        self.env.operator = session.operator().unwrap_or(Id::NIL);
        self.env.prefs.operator = session.operator();
        let operator = session.operator();
        self.env.session = Some(session);
        // The operator's desk: their usual one, else the desk of their most recent contact
        // (rules in ui/contacts/defaults.rs); the top bar changes it for the day.
        if let Some(d) =
            operator.and_then(|o| crate::ui::contacts::defaults::operator_desk(&self.env, o))
        {
            self.env.desk = d;
            self.env.prefs.desk = Some(d);
        }
        self.last_input = Instant::now();
        if !same {
            self.env.data.ready = false;
            self.env.database_replaced();
            self.start_loading(None);
        }
        if !self.env.may_open(self.route) {
            self.route = self.first_allowed();
        }
    }

    /// The first section the signed-in account may open.
    pub(super) fn first_allowed(&self) -> Route {
        Route::SECTIONS
            .into_iter()
            .find(|r| self.env.may_open(*r))
            .unwrap_or(Route::Settings)
    }

    fn reload_if_needed(&mut self, ctx: &egui::Context) {
        if !self.env.data.ready && self.load_job.is_none() {
            self.start_loading(Some(ctx));
        }
    }

    /// Every screen back to its first state (another account signed in).
    fn reset_screens(&mut self) {
        self.dialog = None;
        self.person = None;
        self.people = Default::default();
        self.households = Default::default();
        self.contacts = Default::default();
        self.cases = Default::default();
        self.projects = Default::default();
        self.referrals = Default::default();
        self.pratiche = Default::default();
        self.activities = Default::default();
        self.team = Default::default();
        self.dashboard = Default::default();
        self.access_log = Default::default();
        self.today = Default::default();
        self.search = Default::default();
        // Oggi is the first screen after sign-in (or the first the account may open).
        self.route = Route::Today;
        self.load_job = None;
        match crate::ui::data::Data::load_catalog(&self.env.store) {
            Ok(d) => self.env.data = d,
            Err(e) => self.env.fail(e.to_string()),
        }
    }

    /// Locks the window: personal data hidden behind the sign-in screen, the session
    /// dropped (the store's handle to it with it); what was on screen, unsaved forms
    /// included, waits for the same account.
    pub fn lock(&mut self) {
        if let Some(s) = self.env.session.take() {
            if let Err(e) = self.env.store.log_session_end(&s, true) {
                self.env.fail(e.to_string());
            }
            self.locked_account = Some(s.account());
            self.signin = SignInScreen::locked(s.username());
        }
        // On an encrypted database the data key leaves memory until someone signs in
        // again (the sign-in screen recovers it with that account's key slot).
        self.env.store.forget_keys();
        self.env.message = None;
        // Nor do the plain temporary copies of documents opened with the system's viewer.
        self.env.viewer.clear();
    }

    /// Signs out: everything on screen is forgotten.
    pub fn sign_out(&mut self) {
        if let Some(s) = self.env.session.take()
            && let Err(e) = self.env.store.log_session_end(&s, false)
        {
            self.env.fail(e.to_string());
        }
        self.locked_account = None;
        self.change_password = None;
        // The next account finds no copy of this one's documents.
        self.env.viewer.clear();
        self.reset_screens();
        self.env.data.ready = false;
        self.env.operator = Id::NIL;
        self.signin = SignInScreen::default();
    }

    /// True while the window is locked (someone signed in before, nobody now).
    pub fn locked(&self) -> bool {
        self.locked_account.is_some()
    }

    /// Minutes without input before the window locks (tests shorten it).
    pub fn set_idle_limit(&mut self, limit: Duration) {
        self.idle_limit = Some(limit);
    }

    fn idle_limit(&self) -> Duration {
        self.idle_limit.unwrap_or_else(|| {
            Duration::from_secs(
                60 * self
                    .env
                    .prefs
                    .idle_minutes
                    .unwrap_or(access::DEFAULT_IDLE_MINUTES)
                    .max(1) as u64,
            )
        })
    }

    /// Locks after the idle minutes without input; any input starts them again.
    pub(super) fn idle_check(&mut self, ctx: &egui::Context) {
        let input =
            ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving() || i.pointer.any_down());
        if input {
            self.last_input = Instant::now();
        }
        if self.env.session.is_none() {
            return;
        }
        let limit = self.idle_limit();
        let idle = self.last_input.elapsed();
        if idle >= limit {
            self.lock();
            ctx.request_repaint();
        } else {
            ctx.request_repaint_after(limit - idle);
        }
    }
}

use crate::domain::access;
