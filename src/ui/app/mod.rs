//! The application shell: left navigation, top bar (account, desk, global search, Blocca),
//! status line, the welcome screen of an empty database, the sign-in gate, and the dialogs.
//! This file holds the app and its frame; the dialogs are in `dialog`, the bars in `bars`,
//! the sign-in gate and the lock in `gate`, the keyboard shortcuts in `shortcuts`, loading
//! and reloading the data in `loading`.

mod bars;
mod clock;
mod dialog;
mod encrypt;
mod gate;
mod loading;
mod shortcuts;

use super::access_log::AccessLogScreen;
use super::activities::ActivitiesScreen;
use super::appointments::AppointmentsScreen;
use super::cases::CasesScreen;
use super::contacts::ContactsScreen;
use super::data::{Households, People};
use super::file_picker::FilePicker;
use super::households::HouseholdsScreen;
use super::i18n;
use super::jobs::Job;
use super::people::PeopleScreen;
use super::person_page::PersonPage;
use super::pratiche::PraticheScreen;
use super::prefs::Prefs;
use super::projects::ProjectsScreen;
use super::referrals::ReferralsScreen;
use super::settings::SettingsScreen;
use super::signin::{ChangePasswordForm, FirstAdminForm, SignInScreen};
use super::team::TeamScreen;
use super::today::TodayScreen;
use super::welcome::{Welcome, WelcomeChoice};
use super::{Env, OpenForm, Route, theme};
use crate::access::PasswordParams;
use crate::domain::*;
use crate::store::Store;
use crate::tr;
use bars::GlobalSearch;
use dialog::Dialog;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The eframe application.
pub struct AccoglienzaApp {
    env: Env,
    applied: Option<Prefs>,
    route: Route,
    welcome: Option<Welcome>,
    demo_job: Option<Job<()>>,
    load_job: Option<Job<(People, Households)>>,
    today: TodayScreen,
    people: PeopleScreen,
    person: Option<PersonPage>,
    households: HouseholdsScreen,
    contacts: ContactsScreen,
    appointments: AppointmentsScreen,
    cases: CasesScreen,
    projects: ProjectsScreen,
    referrals: ReferralsScreen,
    pratiche: PraticheScreen,
    activities: ActivitiesScreen,
    team: TeamScreen,
    dashboard: super::dashboard::Dashboard,
    settings: SettingsScreen,
    access_log: AccessLogScreen,
    dialog: Option<Dialog>,
    search: GlobalSearch,
    /// The sign-in screen (the gate in front of every screen).
    signin: SignInScreen,
    /// The first administrator, on a database without accounts.
    first_admin: Option<FirstAdminForm>,
    /// The provisional password to change before anything else.
    change_password: Option<ChangePasswordForm>,
    /// The database has accounts (otherwise the first administrator is created).
    accounts_exist: bool,
    /// A demo database: the sign-in screen lists the demo accounts.
    demo_db: bool,
    /// The Argon2id parameters of passwords set from the window.
    params: PasswordParams,
    /// The account that locked the window (its unsaved forms wait for it).
    locked_account: Option<Id>,
    /// The last input (mouse or keyboard), for the idle lock.
    last_input: Instant,
    /// The idle lock's delay when a test sets it (otherwise the preference's minutes).
    idle_limit: Option<Duration>,
    /// The backup reminder of the status line, and when it was last worked out.
    reminder: Option<String>,
    reminder_at: Option<f64>,
    /// The window was asked to close while a form had unsaved changes.
    confirm_quit: bool,
    quit_confirmed: bool,
    /// The clock is years past the counted year: asked before counting on.
    year_jump: Option<crate::store::YearJump>,
    /// The plain database being encrypted (first sign-in, demo data).
    encrypting: Option<encrypt::Encrypting>,
    /// Whether a plain database is encrypted at the first sign-in (tests turn it off).
    encrypt_plain: bool,
}

impl AccoglienzaApp {
    /// The app over an open store, with default preferences (tests, benchmarks).
    pub fn new(store: Arc<Store>, picker: Arc<dyn FilePicker>) -> Self {
        Self::with_prefs(store, picker, Prefs::default())
    }

    /// The app with remembered preferences (the real window).
    pub fn with_prefs(store: Arc<Store>, picker: Arc<dyn FilePicker>, mut prefs: Prefs) -> Self {
        // The desk is remembered per database, never across databases; nobody is signed
        // in until they type their password.
        prefs.for_database(&super::prefs::database_key(&store));
        let accounts_exist = store.has_accounts().unwrap_or(false);
        let empty = store.is_empty().unwrap_or(false) && !accounts_exist;
        let demo_db = store.is_demo().unwrap_or(false);
        let mut env = Env::new(store, picker);
        if let Some(d) = prefs.desk
            && env.data.catalog.desk(d).is_some()
        {
            env.desk = d;
        }
        env.prefs = prefs;
        let mut app = AccoglienzaApp {
            env,
            applied: None,
            route: Route::People,
            welcome: empty.then(Welcome::default),
            demo_job: None,
            load_job: None,
            today: TodayScreen::default(),
            people: PeopleScreen::default(),
            person: None,
            households: HouseholdsScreen::default(),
            contacts: ContactsScreen::default(),
            appointments: AppointmentsScreen::default(),
            cases: CasesScreen::default(),
            projects: ProjectsScreen::default(),
            referrals: ReferralsScreen::default(),
            pratiche: PraticheScreen::default(),
            activities: ActivitiesScreen::default(),
            team: TeamScreen::default(),
            dashboard: Default::default(),
            settings: SettingsScreen::default(),
            access_log: AccessLogScreen::default(),
            dialog: None,
            search: GlobalSearch::default(),
            signin: SignInScreen::default(),
            first_admin: None,
            change_password: None,
            accounts_exist,
            demo_db,
            params: PasswordParams::STANDARD,
            locked_account: None,
            last_input: Instant::now(),
            idle_limit: None,
            reminder: None,
            reminder_at: None,
            confirm_quit: false,
            quit_confirmed: false,
            year_jump: None,
            encrypting: None,
            encrypt_plain: true,
        };
        app.check_year_jump();
        app.start_loading(None);
        app.env.focus_search = true;
        app
    }
    /// The shared environment (tests look at the operator, the data, the messages).
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The shared environment, mutable (tests, benchmarks).
    pub fn env_mut(&mut self) -> &mut Env {
        &mut self.env
    }

    /// Where the window is.
    pub fn route(&self) -> Route {
        self.route
    }

    /// Goes to a section or a record page.
    pub fn goto(&mut self, route: Route) {
        self.env.nav = Some(route);
        self.apply_nav(None);
    }

    /// The Argon2id parameters of passwords set from the window (tests use cheap ones).
    pub fn set_password_params(&mut self, params: PasswordParams) {
        self.params = params;
        self.settings.params = params;
    }

    /// The preferences as they are now.
    pub fn prefs(&self) -> &Prefs {
        &self.env.prefs
    }

    /// True while anything loads in the background (people, or the list on screen).
    pub fn busy(&self) -> bool {
        self.loading()
            || match self.route {
                Route::Today => self.today.loading(),
                Route::Contacts => self.contacts.loading(),
                Route::Cases => self.cases.loading(),
                Route::Projects => self.projects.loading(),
                Route::Referrals => self.referrals.loading(),
                Route::Pratiche => self.pratiche.loading(),
                _ => false,
            }
    }

    /// How many rows the list on screen shows, and how many it has (tests, benchmarks).
    pub fn shown(&self) -> Option<(usize, usize)> {
        match self.route {
            Route::People => Some(self.people.shown(&self.env)),
            Route::Contacts => Some(self.contacts.shown()),
            Route::Cases => Some(self.cases.shown()),
            Route::Projects => Some(self.projects.shown()),
            Route::Referrals => Some(self.referrals.shown()),
            Route::Pratiche => Some(self.pratiche.shown()),
            _ => None,
        }
    }

    /// How many times the list on screen has read its rows whole from the database (the
    /// window's own writes patch the rows instead; tests count reloads with it).
    pub fn list_loads(&self) -> Option<u64> {
        match self.route {
            Route::Contacts => Some(self.contacts.loads()),
            Route::Cases => Some(self.cases.loads()),
            Route::Projects => Some(self.projects.loads()),
            Route::Referrals => Some(self.referrals.loads()),
            Route::Pratiche => Some(self.pratiche.loads()),
            Route::Activities => Some(self.activities.loads()),
            _ => None,
        }
    }

    /// True while people are loading in the background.
    pub fn loading(&self) -> bool {
        self.load_job.is_some() || !self.env.data.ready
    }

    fn apply_nav(&mut self, ctx: Option<&egui::Context>) {
        if let Some(ctx) = ctx
            && (self.env.nav.is_some() || self.env.open.is_some())
        {
            // What changes at the end of this frame is drawn in the next one.
            ctx.request_repaint();
        }
        if let Some(route) = self.env.nav.take() {
            match route {
                Route::Person(id) if self.person.as_ref().is_none_or(|p| p.id() != id) => {
                    self.person = Some(PersonPage::new(id));
                }
                Route::People => self.person = None,
                Route::Household(id) => {
                    self.env.open = Some(OpenForm::Edit(EntityKind::Household, id));
                }
                _ => {}
            }
            let before = self.route;
            if !self.env.may_open(route) {
                self.env
                    .fail(crate::tr!("nav-denied", section = crate::tr!(route.key())));
                return;
            }
            self.route = route.section();
            if let Route::Person(_) = route {
                self.route = route;
            }
            if self.route.section() != before.section() {
                // Entering a list: its search box takes the keyboard (type-ahead).
                self.env.focus_search = true;
            }
        }
        if let Some(req) = self.env.open.take()
            && self.dialog.is_none()
            && self.env.can_write()
            && let Some(d) = Dialog::open(req, &mut self.env)
        {
            self.dialog = Some(d);
            self.env.focus_search = false;
        }
    }

    fn apply_prefs(&mut self, ctx: &egui::Context) {
        if self.applied.as_ref() != Some(&self.env.prefs) {
            theme::apply_prefs(ctx, &self.env.prefs);
            i18n::set_lang(self.env.prefs.lang);
            self.applied = Some(self.env.prefs.clone());
        }
    }
    /// Draws one frame of the whole window (what `eframe::App::ui` calls; benchmarks call
    /// it directly).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_prefs(&ctx);
        self.poll_jobs(&ctx);
        if self.env.viewer.copies() > 0 && self.env.viewer.reap() == 0 {
            // Look again for viewers that have exited, even when nothing else moves.
            ctx.request_repaint_after(std::time::Duration::from_secs(5));
        }
        self.settings.backup.background(&ctx, &mut self.env);
        if self.settings.backup.take_replaced() || self.settings.merge.take_changed() {
            self.after_restore(&ctx);
        }
        if self.settings.import.take_changed() {
            self.reload_all(&ctx);
        }
        // While a restore runs nothing may be written to the database it replaces; in
        // meeting mode (a projector) only aggregates show: no bars, no messages, no names.
        let restoring = self.settings.backup.restoring();
        if self.encrypting_shows_key() {
            // The recovery key on screen locks like any screen: it goes with the lock (a
            // new one can be made in Impostazioni).
            self.idle_check(&ctx);
            if self.locked() {
                self.encrypting = None;
            }
        }
        if self.encrypting.is_some() {
            egui::CentralPanel::default().show(ui, |ui| self.encrypting_ui(ui));
            return;
        }
        self.idle_check(&ctx);
        if self.gated() {
            egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
            egui::Panel::bottom("status").show(ui, |ui| self.status_line(ui));
            egui::CentralPanel::default().show(ui, |ui| self.gate_ui(ui));
            self.guard_quit(&ctx);
            return;
        }
        let meeting = self.dashboard.in_meeting();
        if meeting {
            self.env.message = None;
        }
        if !restoring && !meeting {
            self.shortcuts(&ctx);
        }

        if !meeting {
            egui::Panel::top("top").show(ui, |ui| {
                ui.add_enabled_ui(!restoring, |ui| self.top_bar(ui));
            });
            egui::Panel::bottom("status").show(ui, |ui| self.status_line(ui));
        }
        if self.welcome.is_none() && !restoring {
            self.today.refresh(&ctx, &mut self.env);
        }
        if self.welcome.is_none() && !meeting {
            egui::Panel::left("nav")
                .resizable(false)
                .exact_size(168.0)
                .show(ui, |ui| {
                    ui.add_enabled_ui(!restoring, |ui| self.nav(ui));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(w) = &mut self.welcome {
                let busy = self
                    .demo_job
                    .as_ref()
                    .map(|j| (j.progress.0.as_str(), j.fraction()));
                match w.ui(ui, busy) {
                    Some(WelcomeChoice::Demo) => {
                        let store = self.env.store.clone();
                        let params = self.params;
                        self.demo_job = Some(Job::spawn(ui.ctx(), move |report| {
                            crate::demo::generate(
                                &store,
                                crate::demo::Scale::Cooperative,
                                2022,
                                report,
                            )
                            .map_err(|e| e.to_string())?;
                            report(&crate::tr!("welcome-demo-accounts"), 0, 1);
                            crate::demo::create_accounts(&store, params).map_err(|e| e.to_string())
                        }));
                    }
                    Some(WelcomeChoice::Empty) => {
                        self.welcome = None;
                        self.reload_all(&ctx);
                    }
                    None => {}
                }
                return;
            }
            if !self.env.data.ready {
                ui.vertical_centered(|ui| {
                    ui.add_space(80.0);
                    ui.label(tr!("status-loading-people"));
                    let f = self.load_job.as_ref().map(|j| j.fraction()).unwrap_or(0.0);
                    ui.add(egui::ProgressBar::new(f).desired_width(360.0));
                });
                return;
            }
            ui.add_enabled_ui(!restoring, |ui| self.screen(ui));
        });

        if self.welcome.is_none() && self.env.data.ready && !restoring {
            if self.year_jump.is_some() {
                self.year_jump_ui(&ctx);
            }
            if let Some(d) = &mut self.dialog
                && d.ui(ui, &mut self.env)
            {
                self.dialog = None;
            }
        }
        self.guard_quit(&ctx);
        self.apply_nav(Some(&ctx));
    }

    fn screen(&mut self, ui: &mut egui::Ui) {
        let env = &mut self.env;
        env.dialog_open = self.dialog.is_some();
        match self.route {
            Route::Today => self.today.ui(ui, env),
            Route::People => self.people.ui(ui, env),
            Route::Person(_) => match &mut self.person {
                Some(p) => p.ui(ui, env),
                None => self.people.ui(ui, env),
            },
            Route::Households | Route::Household(_) => self.households.ui(ui, env),
            Route::Contacts => self.contacts.ui(ui, env),
            Route::Appointments => self.appointments.ui(ui, env),
            Route::Cases => self.cases.ui(ui, env),
            Route::Projects => self.projects.ui(ui, env),
            Route::Referrals => self.referrals.ui(ui, env),
            Route::Pratiche => self.pratiche.ui(ui, env),
            Route::Activities => self.activities.ui(ui, env),
            Route::Team => self.team.ui(ui, env),
            Route::Dashboard => self.dashboard.ui(ui, env),
            Route::Settings => self.settings.ui(ui, env),
            Route::AccessLog => self.access_log.ui(ui, env),
        }
    }
}

impl eframe::App for AccoglienzaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, super::prefs::STORAGE_KEY, &self.env.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // The temporary copies of documents opened with the system's viewer.
        self.env.viewer.clear();
        // The automatic backup at exit, when chosen in Impostazioni.
        if let Some(Err(e)) = self.settings.backup.on_exit(&self.env) {
            let message = format!("Backup automatico all'uscita non riuscito: {e}");
            eprintln!("{message}");
            super::startup::show_in_new_process(
                super::startup::ProblemKind::BackupAtExit,
                &message,
            );
        }
    }
}
