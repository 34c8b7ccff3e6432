//! The application shell: left navigation, top bar (operator, desk, global search), status
//! line, the welcome screen of an empty database, the operator gate, and the dialogs.

use super::activities::{ActivitiesScreen, ActivityForm};
use super::cases::{CaseForm, CasesScreen};
use super::contacts::{ContactForm, ContactsScreen};
use super::data::{Data, Households, People};
use super::file_picker::FilePicker;
use super::households::{HouseholdForm, HouseholdsScreen};
use super::i18n;
use super::jobs::Job;
use super::people::PeopleScreen;
use super::person_form::PersonForm;
use super::person_page::PersonPage;
use super::prefs::Prefs;
use super::projects::{ProjectForm, ProjectsScreen};
use super::referrals::{ReferralForm, ReferralsScreen};
use super::settings::SettingsScreen;
use super::team::{OperatorForm, TeamScreen};
use super::welcome::{Welcome, WelcomeChoice};
use super::widgets::SubjectPicker;
use super::{Env, OpenForm, Route, theme};
use crate::domain::*;
use crate::store::Store;
use crate::tr;
use egui::{Key, Modifiers, RichText};
use std::sync::Arc;

/// A record form shown as a dialog over the current screen.
enum Dialog {
    Person(Box<PersonForm>),
    Household(Box<HouseholdForm>),
    Contact(Box<ContactForm>),
    Case(Box<CaseForm>),
    Project(Box<ProjectForm>),
    Referral(Box<ReferralForm>),
    Activity(Box<ActivityForm>),
    Operator(Box<OperatorForm>),
}

impl Dialog {
    fn open(req: OpenForm, env: &mut Env) -> Option<Dialog> {
        let d = match req {
            OpenForm::NewPerson(name) => Dialog::Person(Box::new(PersonForm::new(&name))),
            OpenForm::NewHousehold => Dialog::Household(Box::new(HouseholdForm::new())),
            OpenForm::NewContact(s) => Dialog::Contact(Box::new(ContactForm::new(env, s))),
            OpenForm::NewCase(s) => Dialog::Case(Box::new(CaseForm::new(env, s))),
            OpenForm::NewProject(p) => Dialog::Project(Box::new(ProjectForm::new(env, p))),
            OpenForm::NewReferral(s) => Dialog::Referral(Box::new(ReferralForm::new(env, s))),
            OpenForm::NewActivity => Dialog::Activity(Box::new(ActivityForm::new(env))),
            OpenForm::NewOperator => Dialog::Operator(Box::new(OperatorForm::new(env))),
            OpenForm::Edit(kind, id) => {
                let r = match env.store.read() {
                    Ok(r) => r,
                    Err(e) => {
                        env.fail(e.to_string());
                        return None;
                    }
                };
                let res = match kind {
                    EntityKind::Person => r
                        .require::<Person>(id)
                        .map(|p| Dialog::Person(Box::new(PersonForm::edit(p)))),
                    EntityKind::Household => r
                        .require::<Household>(id)
                        .map(|h| Dialog::Household(Box::new(HouseholdForm::edit(h)))),
                    EntityKind::Contact => r
                        .require::<Contact>(id)
                        .map(|c| Dialog::Contact(Box::new(ContactForm::edit(c)))),
                    EntityKind::Case => r
                        .require::<Case>(id)
                        .map(|c| Dialog::Case(Box::new(CaseForm::edit(c)))),
                    EntityKind::Project => r
                        .require::<Project>(id)
                        .map(|p| Dialog::Project(Box::new(ProjectForm::edit(p)))),
                    EntityKind::Referral => r
                        .require::<Referral>(id)
                        .map(|x| Dialog::Referral(Box::new(ReferralForm::edit(x)))),
                    EntityKind::Activity => r
                        .require::<Activity>(id)
                        .map(|a| Dialog::Activity(Box::new(ActivityForm::edit(a)))),
                    EntityKind::Operator => r
                        .require::<Operator>(id)
                        .map(|o| Dialog::Operator(Box::new(OperatorForm::edit(o)))),
                    _ => return None,
                };
                match res {
                    Ok(d) => d,
                    Err(e) => {
                        env.fail(e.to_string());
                        return None;
                    }
                }
            }
        };
        Some(d)
    }

    /// True when the dialog has changes not saved yet.
    fn dirty(&self) -> bool {
        match self {
            Dialog::Person(f) => f.dirty(),
            Dialog::Household(f) => f.dirty(),
            Dialog::Contact(f) => f.dirty(),
            Dialog::Case(f) => f.dirty(),
            Dialog::Project(f) => f.dirty(),
            Dialog::Referral(f) => f.dirty(),
            Dialog::Activity(f) => f.dirty(),
            Dialog::Operator(f) => f.dirty(),
        }
    }

    /// Shows the dialog; true when it closed.
    fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) -> bool {
        match self {
            Dialog::Person(f) => f.ui(ui, env),
            Dialog::Household(f) => f.ui(ui, env),
            Dialog::Contact(f) => f.ui(ui, env),
            Dialog::Case(f) => f.ui(ui, env),
            Dialog::Project(f) => f.ui(ui, env),
            Dialog::Referral(f) => f.ui(ui, env),
            Dialog::Activity(f) => f.ui(ui, env),
            Dialog::Operator(f) => f.ui(ui, env),
        }
    }
}

/// The search box of the top bar: people and households as you type.
#[derive(Default)]
struct GlobalSearch {
    picker: Option<SubjectPicker>,
}

/// The eframe application.
pub struct AccoglienzaApp {
    env: Env,
    applied: Option<Prefs>,
    route: Route,
    welcome: Option<Welcome>,
    demo_job: Option<Job<()>>,
    load_job: Option<Job<(People, Households)>>,
    people: PeopleScreen,
    person: Option<PersonPage>,
    households: HouseholdsScreen,
    contacts: ContactsScreen,
    cases: CasesScreen,
    projects: ProjectsScreen,
    referrals: ReferralsScreen,
    activities: ActivitiesScreen,
    team: TeamScreen,
    dashboard: super::dashboard::Dashboard,
    settings: SettingsScreen,
    dialog: Option<Dialog>,
    search: GlobalSearch,
    gate_forced: bool,
    gate_open: bool,
    gate_search: String,
    /// The backup reminder of the status line, and when it was last worked out.
    reminder: Option<String>,
    reminder_at: Option<f64>,
    /// The window was asked to close while a form had unsaved changes.
    confirm_quit: bool,
    quit_confirmed: bool,
}

impl AccoglienzaApp {
    /// The app over an open store, with default preferences (tests, benchmarks).
    pub fn new(store: Arc<Store>, picker: Arc<dyn FilePicker>) -> Self {
        Self::with_prefs(store, picker, Prefs::default())
    }

    /// The app with remembered preferences (the real window).
    pub fn with_prefs(store: Arc<Store>, picker: Arc<dyn FilePicker>, prefs: Prefs) -> Self {
        let empty = store.is_empty().unwrap_or(false);
        let mut env = Env::new(store, picker);
        if let Some(d) = prefs.desk
            && env.data.catalog.desk(d).is_some()
        {
            env.desk = d;
        }
        if let Some(o) = prefs.operator
            && env.data.catalog.operator(o).is_some_and(|o| !o.archived)
        {
            env.operator = o;
        }
        env.prefs = prefs;
        let mut app = AccoglienzaApp {
            env,
            applied: None,
            route: Route::People,
            welcome: empty.then(Welcome::default),
            demo_job: None,
            load_job: None,
            people: PeopleScreen::default(),
            person: None,
            households: HouseholdsScreen::default(),
            contacts: ContactsScreen::default(),
            cases: CasesScreen::default(),
            projects: ProjectsScreen::default(),
            referrals: ReferralsScreen::default(),
            activities: ActivitiesScreen::default(),
            team: TeamScreen::default(),
            dashboard: Default::default(),
            settings: SettingsScreen::default(),
            dialog: None,
            search: GlobalSearch::default(),
            gate_forced: false,
            gate_open: false,
            gate_search: String::new(),
            reminder: None,
            reminder_at: None,
            confirm_quit: false,
            quit_confirmed: false,
        };
        app.start_loading(None);
        app.env.focus_search = true;
        app
    }

    /// Loads people and households: inline when few, otherwise in the background.
    fn start_loading(&mut self, ctx: Option<&egui::Context>) {
        let count = self
            .env
            .store
            .read()
            .and_then(|r| r.count::<Person>())
            .unwrap_or(0);
        if count <= self.env.inline_limit {
            match Data::load_people(&self.env.store, &mut |_, _| {}) {
                Ok((p, h)) => {
                    self.env.data.people = p;
                    self.env.data.households = h;
                    self.env.data.ready = true;
                }
                Err(e) => self.env.fail(e.to_string()),
            }
        } else if let Some(ctx) = ctx {
            let store = self.env.store.clone();
            self.load_job = Some(Job::spawn(ctx, move |report| {
                Data::load_people(&store, &mut |d, t| {
                    report(&i18n::tr("status-loading-people"), d, t)
                })
                .map_err(|e| e.to_string())
            }));
        }
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

    /// Chooses the operator at the desk (as the gate does) and their desk when they have one.
    pub fn sign_in(&mut self, operator: Id) {
        if let Some(o) = self.env.data.catalog.operator(operator) {
            self.env.operator = operator;
            if let Some(d) = o.desk {
                self.env.desk = d;
            }
            self.env.prefs.operator = Some(operator);
            self.env.prefs.desk = Some(self.env.desk);
            self.gate_open = false;
        }
    }

    /// The preferences as they are now.
    pub fn prefs(&self) -> &Prefs {
        &self.env.prefs
    }

    /// True while anything loads in the background (people, or the list on screen).
    pub fn busy(&self) -> bool {
        self.loading()
            || match self.route {
                Route::Contacts => self.contacts.loading(),
                Route::Cases => self.cases.loading(),
                Route::Projects => self.projects.loading(),
                Route::Referrals => self.referrals.loading(),
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
        {
            if !self.env.can_write() {
                self.gate_open = true;
            }
            if let Some(d) = Dialog::open(req, &mut self.env) {
                self.dialog = Some(d);
                self.env.focus_search = false;
            }
        }
    }

    fn apply_prefs(&mut self, ctx: &egui::Context) {
        if self.applied.as_ref() != Some(&self.env.prefs) {
            theme::apply_prefs(ctx, &self.env.prefs);
            i18n::set_lang(self.env.prefs.lang);
            self.applied = Some(self.env.prefs.clone());
        }
    }

    fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some(job) = &mut self.demo_job
            && let Some(result) = job.poll()
        {
            self.demo_job = None;
            match result {
                Ok(()) => {
                    self.welcome = None;
                    self.reload_all(ctx);
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
    fn after_restore(&mut self, ctx: &egui::Context) {
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
    }

    fn reload_all(&mut self, ctx: &egui::Context) {
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
        for k in EntityKind::ALL {
            self.env.bump(k);
        }
        self.start_loading(Some(ctx));
    }

    /// Draws one frame of the whole window (what `eframe::App::ui` calls; benchmarks call
    /// it directly).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_prefs(&ctx);
        self.poll_jobs(&ctx);
        self.settings.backup.background(&ctx, &mut self.env);
        if self.settings.backup.take_replaced() {
            self.after_restore(&ctx);
        }
        self.shortcuts(&ctx);

        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_line(ui));
        if self.welcome.is_none() {
            egui::Panel::left("nav")
                .resizable(false)
                .exact_size(168.0)
                .show(ui, |ui| self.nav(ui));
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
                        self.demo_job = Some(Job::spawn(ui.ctx(), move |report| {
                            crate::demo::generate(
                                &store,
                                crate::demo::Scale::Cooperative,
                                2022,
                                report,
                            )
                            .map(|_| ())
                            .map_err(|e| e.to_string())
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
            self.screen(ui);
        });

        if self.welcome.is_none() && self.env.data.ready {
            self.gate_forced = !self.env.can_write();
            if (self.gate_forced || self.gate_open) && self.dialog.is_none() {
                self.gate(&ctx);
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

    /// Closing the window with unsaved changes in a form asks first.
    fn guard_quit(&mut self, ctx: &egui::Context) {
        let dirty = self.dialog.as_ref().is_some_and(Dialog::dirty);
        if ctx.input(|i| i.viewport().close_requested()) && dirty && !self.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_quit = true;
        }
        if self.confirm_quit {
            match super::widgets::confirm(ctx, "quit", &tr!("quit-unsaved"), &tr!("quit-yes")) {
                Some(true) => {
                    self.confirm_quit = false;
                    self.quit_confirmed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Some(false) => self.confirm_quit = false,
                None => {}
            }
        }
    }

    fn screen(&mut self, ui: &mut egui::Ui) {
        let env = &mut self.env;
        env.dialog_open = self.dialog.is_some() || self.gate_open || self.gate_forced;
        match self.route {
            Route::People => self.people.ui(ui, env),
            Route::Person(_) => match &mut self.person {
                Some(p) => p.ui(ui, env),
                None => self.people.ui(ui, env),
            },
            Route::Households | Route::Household(_) => self.households.ui(ui, env),
            Route::Contacts => self.contacts.ui(ui, env),
            Route::Cases => self.cases.ui(ui, env),
            Route::Projects => self.projects.ui(ui, env),
            Route::Referrals => self.referrals.ui(ui, env),
            Route::Activities => self.activities.ui(ui, env),
            Route::Team => self.team.ui(ui, env),
            Route::Dashboard => self.dashboard.ui(ui, env),
            Route::Settings => self.settings.ui(ui, env),
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some() || self.welcome.is_some() {
            return;
        }
        let keys = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
            Key::Num0,
        ];
        ctx.input_mut(|i| {
            for (k, r) in keys.iter().zip(Route::SECTIONS) {
                if i.consume_key(Modifiers::ALT, *k) {
                    self.env.nav = Some(r);
                }
            }
            if i.consume_key(Modifiers::CTRL, Key::N) {
                // The front desk's most frequent action, from anywhere.
                self.env.open = Some(OpenForm::NewContact(match self.route {
                    Route::Person(id) => Some(Subject::Person(id)),
                    _ => None,
                }));
            }
            if i.consume_key(Modifiers::CTRL, Key::F) {
                let p = self
                    .search
                    .picker
                    .get_or_insert_with(|| SubjectPicker::new("global-search", true));
                p.focus();
            }
        });
    }

    fn nav(&mut self, ui: &mut egui::Ui) {
        ui.add_space(6.0);
        for (i, r) in Route::SECTIONS.iter().enumerate() {
            let selected = self.route.section() == *r;
            let text = RichText::new(tr!(r.key()))
                .size(ui.text_style_height(&egui::TextStyle::Body) + 1.0);
            let resp = ui
                .add_sized(
                    [ui.available_width(), 28.0],
                    egui::Button::selectable(selected, text),
                )
                .on_hover_text(tr!("nav-shortcut", n = ((i + 1) % 10) as i64));
            if resp.clicked() {
                self.env.nav = Some(*r);
            }
            if i == 7 {
                ui.separator();
            }
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(tr!("app-title")).heading().strong());
            ui.add_space(16.0);
            if self.welcome.is_none() && self.env.data.ready {
                let l = ui.label(tr!("top-search"));
                let p = self
                    .search
                    .picker
                    .get_or_insert_with(|| SubjectPicker::new("global-search", true));
                if let super::widgets::Picked::Chosen(s) = p.ui(ui, &self.env.data, l.id) {
                    p.selected = None;
                    p.query.clear();
                    self.env.nav = Some(match s {
                        Subject::Person(id) => Route::Person(id),
                        Subject::Household(id) => Route::Household(id),
                    });
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if self.welcome.is_some() {
                    return;
                }
                let name = self
                    .env
                    .data
                    .catalog
                    .operator(self.env.operator)
                    .map(|o| o.display_name())
                    .unwrap_or_else(|| tr!("top-no-operator"));
                if ui
                    .button(format!("👤 {name}"))
                    .on_hover_text(tr!("top-operator-hint"))
                    .clicked()
                {
                    self.gate_open = true;
                }
                ui.label(tr!("top-operator"));
                ui.add_space(12.0);
                let options = super::widgets::desk_options(&self.env.data, Some(self.env.desk));
                let before = self.env.desk;
                let combo = super::widgets::choice_unlabelled(
                    ui,
                    "top-desk",
                    &mut self.env.desk,
                    &options,
                    190.0,
                );
                let dl = ui.label(tr!("top-desk"));
                combo.labelled_by(dl.id);
                if self.env.desk != before {
                    self.env.prefs.desk = Some(self.env.desk);
                }
            });
        });
    }

    fn status_line(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let d = &self.env.data;
            ui.weak(tr!(
                "status-database",
                path = self.env.store.path().display().to_string()
            ));
            if d.ready {
                ui.weak(tr!(
                    "status-counts",
                    people = d.people.len() as i64,
                    households = d.households.len() as i64
                ));
            }
            if let Some(job) = &self.load_job {
                ui.add(egui::ProgressBar::new(job.fraction()).desired_width(120.0));
            }
            let now = ui.input(|i| i.time);
            if self.reminder_at.is_none_or(|t| now - t > 5.0) {
                self.reminder = super::backup::reminder(&self.env.store);
                self.reminder_at = Some(now);
            }
            if let Some(r) = &self.reminder
                && ui
                    .link(RichText::new(r).color(ui.visuals().warn_fg_color))
                    .clicked()
            {
                self.goto(Route::Settings);
            }
            if let Some((m, err)) = &self.env.message {
                if *err {
                    ui.colored_label(ui.visuals().error_fg_color, m);
                } else {
                    ui.label(m);
                }
            }
        });
    }

    /// Who is at the desk: choose an operator (or register the first one).
    fn gate(&mut self, ctx: &egui::Context) {
        let mut chosen = None;
        let mut new = false;
        let mut close = false;
        egui::Modal::new(egui::Id::unique("operator-gate")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.label(RichText::new(tr!("gate-title")).heading());
            ui.label(tr!("gate-text"));
            ui.add_space(6.0);
            let dl = ui.label(tr!("top-desk"));
            let options = super::widgets::desk_options(&self.env.data, Some(self.env.desk));
            super::widgets::choice(ui, "gate-desk", dl.id, &mut self.env.desk, &options, 300.0);
            ui.add_space(6.0);
            let many = self.env.data.catalog.active_operators().count() > 8;
            let mut enter = false;
            if many {
                let l = ui.label(tr!("gate-search"));
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.gate_search).desired_width(300.0))
                    .labelled_by(l.id);
                if ui.memory(|m| m.focused().is_none()) && self.gate_search.is_empty() {
                    r.request_focus();
                }
                enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            }
            let needle = super::data::Needle::new(&self.gate_search);
            let ops: Vec<(Id, String)> = self
                .env
                .data
                .catalog
                .active_operators()
                .filter(|o| {
                    needle.matches(
                        &crate::domain::person::fold(&format!("{} {}", o.name, o.surname)),
                        "",
                    )
                })
                .map(|o| {
                    (
                        o.id,
                        format!(
                            "{} — {}",
                            o.display_name(),
                            self.env.data.catalog.name(o.role)
                        ),
                    )
                })
                .collect();
            if ops.is_empty() && self.gate_search.is_empty() {
                ui.label(tr!("gate-none"));
            }
            if enter && ops.len() == 1 {
                chosen = Some(ops[0].0);
            }
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for (id, text) in &ops {
                        if ui
                            .add_sized(
                                [ui.available_width(), 26.0],
                                egui::Button::new(text.as_str()),
                            )
                            .clicked()
                        {
                            chosen = Some(*id);
                        }
                    }
                });
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button(tr!("gate-new")).clicked() {
                    new = true;
                }
                if !self.gate_forced && ui.button(tr!("form-cancel")).clicked() {
                    close = true;
                }
            });
        });
        if !self.gate_forced && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            close = true;
        }
        if let Some(id) = chosen {
            let desk = self.env.desk;
            self.sign_in(id);
            // The desk chosen in the gate wins over the operator's usual one.
            self.env.desk = desk;
            self.env.prefs.desk = Some(desk);
            self.gate_forced = false;
            self.gate_search.clear();
            self.env.focus_search = true;
        }
        if new {
            self.dialog = Some(Dialog::Operator(Box::new(OperatorForm::new(&self.env))));
        }
        if close {
            self.gate_open = false;
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
        // The automatic backup at exit, when chosen in Impostazioni.
        if let Some(Err(e)) = self.settings.backup.on_exit(&self.env) {
            eprintln!("Backup automatico all'uscita non riuscito: {e}");
        }
    }
}
