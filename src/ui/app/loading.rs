//! Loading people and households (inline when few, otherwise in the background), the demo
//! being generated, and reloading everything after a restore.

use super::AccoglienzaApp;
use crate::domain::*;
use crate::ui::data::Data;
use crate::ui::i18n;
use crate::ui::jobs::Job;

impl AccoglienzaApp {
    /// Loads people and households: inline when few, otherwise in the background.
    pub(super) fn start_loading(&mut self, ctx: Option<&egui::Context>) {
        if self.env.session.as_ref().is_some_and(|s| s.must_change()) {
            // A provisional password reads nothing until it is changed (then this runs
            // again).
            self.env.data.ready = false;
            return;
        }
        if !self.env.may(Permission::Anagrafica) {
            // Nobody signed in, or a role without people (Riunione): no names in memory.
            self.env.data.ready = self.env.session.is_some();
            return;
        }
        let count = self
            .env
            .store
            .read()
            .and_then(|r| r.count::<Person>())
            .unwrap_or(0);
        let reads = self.env.reads();
        if count <= self.env.inline_limit {
            match Data::load_people(&reads, &mut |_, _| {}) {
                Ok((p, h)) => {
                    self.env.data.people = p;
                    self.env.data.households = h;
                    self.env.data.ready = true;
                }
                Err(e) => self.env.fail(e.to_string()),
            }
        } else if let Some(ctx) = ctx {
            self.load_job = Some(Job::spawn(ctx, move |report| {
                Data::load_people(&reads, &mut |d, t| {
                    report(&i18n::tr("status-loading-people"), d, t)
                })
                .map_err(|e| e.to_string())
            }));
        }
    }

    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some(job) = &mut self.demo_job
            && let Some(result) = job.poll()
        {
            self.demo_job = None;
            match result {
                Ok(()) => {
                    self.welcome = None;
                    self.accounts_exist = self.env.store.has_accounts().unwrap_or(false);
                    self.demo_db = self.env.store.is_demo().unwrap_or(false);
                    self.reload_all(ctx);
                    // The demo's file is encrypted like a real one: each demo account
                    // opens it with the demo password.
                    let slots = crate::demo::DEMO_ACCOUNTS.map(String::from).to_vec();
                    let password = zeroize::Zeroizing::new(crate::demo::DEMO_PASSWORD.into());
                    self.encrypt_database(slots, password, false);
                }
                Err(e) => self.env.fail(e),
            }
        }
        if let Some(job) = &mut self.load_job
            && let Some(result) = job.poll()
        {
            self.load_job = None;
            match result {
                Ok((p, h)) => {
                    self.env.data.people = p;
                    self.env.data.households = h;
                    self.env.data.ready = true;
                }
                Err(e) => self.env.fail(e),
            }
        }
        if self.welcome.is_none()
            && !self.env.data.ready
            && self.load_job.is_none()
            && self.demo_job.is_none()
        {
            self.start_loading(Some(ctx));
        }
    }

    /// The database was replaced from a backup: forget everything shown from the old one.
    pub(super) fn after_restore(&mut self, ctx: &egui::Context) {
        self.accounts_exist = self.env.store.has_accounts().unwrap_or(false);
        self.demo_db = self.env.store.is_demo().unwrap_or(false);
        // The restored database has its own accounts: the session stays only if its
        // account is there, active.
        let kept = self.env.session.as_ref().is_some_and(|s| {
            self.env
                .store
                .read()
                .and_then(|r| r.get::<Account>(s.account()))
                .ok()
                .flatten()
                .is_some_and(|a| a.active)
        });
        if !kept {
            self.sign_out();
        }
        self.person = None;
        self.dialog = None;
        self.dashboard.refresh();
        self.reload_all(ctx);
        if self
            .env
            .data
            .catalog
            .operator(self.env.operator)
            .is_none_or(|o| o.archived)
        {
            self.env.operator = Id::NIL;
        }
        self.reminder_at = None;
        self.check_year_jump();
    }

    pub(super) fn reload_all(&mut self, ctx: &egui::Context) {
        match Data::load_catalog(&self.env.store) {
            Ok(d) => self.env.data = d,
            Err(e) => self.env.fail(e.to_string()),
        }
        if self.env.data.catalog.desk(self.env.desk).is_none() {
            self.env.desk = self
                .env
                .data
                .catalog
                .desks
                .first()
                .map(|d| d.id)
                .unwrap_or(Id::NIL);
        }
        self.env.database_replaced();
        self.start_loading(Some(ctx));
    }
}
