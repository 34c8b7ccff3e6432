//! The eframe window. Talks to the store through its API only; slow work runs on
//! background threads and reports progress.
//!
//! One screen per file, one struct per screen with
//! `pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env)`. What every screen shares —
//! the store, the in-memory indexes of people and the catalogue, who is at the desk, where
//! to go next — lives in [`Env`].

mod access_log;
mod activities;
mod app;
mod appointments;
pub mod backup;
mod cases;
mod contacts;
pub mod dashboard;
pub mod data;
pub mod documents;
pub mod erase_person;
pub mod file_picker;
mod forms;
mod households;
pub mod i18n;
mod import;
pub mod jobs;
mod labels;
mod leave_household;
mod list;
pub mod merge;
mod people;
mod person_cf;
mod person_form;
mod person_page;
mod person_privacy;
mod pratiche;
pub mod prefs;
mod print_dialog;
mod projects;
mod referrals;
mod retention;
mod settings;
mod signin;
pub mod startup;
mod table;
mod team;
mod theme;
mod today;
mod welcome;
mod widgets;
mod window;

pub use app::AccoglienzaApp;
pub use window::Window;

use crate::access::Session;
use crate::domain::*;
use crate::store::{Entity, Reader, Store, StoreError, Writer};
use data::Data;
use file_picker::FilePicker;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the window can go: the sections of the left navigation and the record pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Oggi: what is due for the operator (the first screen after sign-in).
    Today,
    /// Persone.
    People,
    /// Famiglie.
    Households,
    /// Accessi.
    Contacts,
    /// Appuntamenti.
    Appointments,
    /// Prese in carico.
    Cases,
    /// Progetti.
    Projects,
    /// Invii.
    Referrals,
    /// Attività.
    Activities,
    /// Équipe.
    Team,
    /// Cruscotto.
    Dashboard,
    /// Impostazioni.
    Settings,
    /// Registro accessi (administrators and coordinators).
    AccessLog,
    /// Pratiche: applications to the bandi (issue 15).
    Pratiche,
    /// The cartella of one person.
    Person(Id),
    /// One household (opens its form in Famiglie).
    Household(Id),
}

impl Route {
    /// The sections in the order of their Alt+1…0 shortcuts (new sections go at the end,
    /// so the shortcuts people know do not move).
    pub const SECTIONS: [Route; 14] = [
        Route::Today,
        Route::People,
        Route::Households,
        Route::Contacts,
        Route::Appointments,
        Route::Cases,
        Route::Projects,
        Route::Referrals,
        Route::Activities,
        Route::Team,
        Route::Dashboard,
        Route::Settings,
        Route::AccessLog,
        Route::Pratiche,
    ];

    /// The sections of the left navigation, in the order shown.
    pub const NAV: [Route; 14] = [
        Route::Today,
        Route::People,
        Route::Households,
        Route::Contacts,
        Route::Appointments,
        Route::Cases,
        Route::Projects,
        Route::Referrals,
        Route::Activities,
        Route::Pratiche,
        Route::Team,
        Route::Dashboard,
        Route::Settings,
        Route::AccessLog,
    ];

    /// True when an account with these permissions may open the section (Équipe: the
    /// team's editors and whoever sees people; the meeting role sees the dashboard only).
    pub fn allowed(self, p: Permissions) -> bool {
        match self.section() {
            Route::Team => p.has(Permission::Equipe) || p.has(Permission::Anagrafica),
            r => r.permission().is_none_or(|x| p.has(x)),
        }
    }

    /// The permission a section needs (`None`: every account).
    pub fn permission(self) -> Option<Permission> {
        match self.section() {
            Route::Today | Route::People | Route::Households => Some(Permission::Anagrafica),
            Route::Contacts | Route::Appointments | Route::Pratiche => Some(Permission::Accessi),
            Route::Cases => Some(Permission::PreseInCarico),
            Route::Projects => Some(Permission::Progetti),
            Route::Referrals => Some(Permission::Invii),
            Route::Activities => Some(Permission::Attivita),
            Route::Dashboard => Some(Permission::Cruscotto),
            Route::AccessLog => Some(Permission::Registro),
            _ => None,
        }
    }

    /// The section a route belongs to.
    pub fn section(self) -> Route {
        match self {
            Route::Person(_) => Route::People,
            Route::Household(_) => Route::Households,
            r => r,
        }
    }

    /// The translation key of the section's name.
    pub fn key(self) -> &'static str {
        match self.section() {
            Route::Today => "nav-today",
            Route::People => "nav-people",
            Route::Households => "nav-households",
            Route::Contacts => "nav-contacts",
            Route::Appointments => "nav-appointments",
            Route::Cases => "nav-cases",
            Route::Projects => "nav-projects",
            Route::Referrals => "nav-referrals",
            Route::Activities => "nav-activities",
            Route::Team => "nav-team",
            Route::Dashboard => "nav-dashboard",
            Route::AccessLog => "nav-access-log",
            Route::Pratiche => "nav-pratiche",
            _ => "nav-settings",
        }
    }
}

/// A request to open a form from anywhere (a list, the cartella, the global search…);
/// the app shows it as a dialog over the current screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenForm {
    /// A new person, with what was typed as "Cognome Nome".
    NewPerson(String),
    /// A new household.
    NewHousehold,
    /// A new household with this person as its reference member.
    NewHouseholdFor(Id),
    /// A new contact, for this subject if given.
    NewContact(Option<Subject>),
    /// A new contact filled in from an appointment still to come: saving it marks the
    /// appointment held (in the same transaction).
    ContactFromAppointment(Id),
    /// A new case for this subject.
    NewCase(Option<Subject>),
    /// A new project for this person.
    NewProject(Option<Id>),
    /// A new referral for this subject.
    NewReferral(Option<Subject>),
    /// A new group activity.
    NewActivity,
    /// A new pratica for this subject.
    NewPratica(Option<Subject>),
    /// A new operator.
    NewOperator,
    /// An existing record of a kind.
    Edit(EntityKind, Id),
}

/// How a background job reads: the store and the session it reads for (cheap to clone).
#[derive(Clone)]
pub struct Reads {
    store: Arc<Store>,
    session: Option<Session>,
}

impl Reads {
    /// A read snapshot on behalf of the signed-in account; refused when nobody is.
    pub fn read(&self) -> Result<Reader, StoreError> {
        match &self.session {
            Some(s) => self.store.read_as(s),
            None => Err(StoreError::Denied(
                "Accedi con il tuo account per vedere i dati.".into(),
            )),
        }
    }

    /// A snapshot for aggregates only (the dashboard's counts and breakdowns, which
    /// read records to count them but show no one): needs the «cruscotto» permission.
    pub fn read_aggregates(&self) -> Result<Reader, StoreError> {
        match &self.session {
            Some(s) if s.may(Permission::Cruscotto) && !s.must_change() => self.store.read(),
            _ => Err(StoreError::Denied(
                "Il tuo ruolo non permette di vedere il cruscotto (serve il permesso «cruscotto (dati aggregati)»).".into(),
            )),
        }
    }

    /// The store (for what the system does on the window's behalf: backups, publishing).
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The session, if someone is signed in.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }
}

/// What every screen works with: the store, the file dialogs, and who is at the desk.
/// Screens take `&mut Env` in their `ui` method; add fields here rather than globals.
pub struct Env {
    /// The open database.
    pub store: Arc<Store>,
    /// File dialogs (native in the app, scripted in tests).
    pub picker: Arc<dyn FilePicker>,
    /// The signed-in account: every read and write goes through it (checked by the store).
    pub session: Option<Session>,
    /// The operator at the desk (the account's): every write is attributed to them.
    pub operator: Id,
    /// The desk this workstation is at.
    pub desk: Id,
    /// In-memory indexes: catalogue, people, households (reloaded or patched after writes).
    pub data: Data,
    /// Where to go at the end of this frame.
    pub nav: Option<Route>,
    /// A form to open at the end of this frame.
    pub open: Option<OpenForm>,
    /// The list on screen should give its search box the keyboard (set when a section is
    /// entered; the search box clears it).
    pub focus_search: bool,
    /// True while a dialog is shown over the screen: lists leave the keyboard alone.
    pub dialog_open: bool,
    /// The last message for the status line.
    pub message: Option<(String, bool)>,
    /// Preferences of this workstation (theme, text size, language, operator, desk).
    pub prefs: prefs::Prefs,
    /// The service line of the last contact logged here (the next one defaults to it).
    pub last_line: Option<Id>,
    /// The year of the contact the contact form last saved, until the Accessi list (which
    /// shows one year at a time) has switched to it.
    pub saved_contact_year: Option<i32>,
    /// Lists larger than this load in a background job instead of inside the frame.
    pub inline_limit: u64,
    /// Attached documents opened with the system's viewer: their temporary copies, removed
    /// when done (tests give it a harmless command and a folder of their own).
    pub viewer: documents::external::ExternalViewer,
    revisions: [u64; EntityKind::ALL.len()],
    /// Every record this window wrote, in order: lists patch their rows from it.
    changes: Vec<(EntityKind, Id)>,
    /// Bumped when the database changed under the window (restore, import, merge): lists
    /// load their rows again.
    generation: u64,
}

impl Env {
    /// An environment over an open store; the catalogue is loaded, people and households
    /// are loaded by [`Data::load_people`] (inline or in a job, see the app).
    pub fn new(store: Arc<Store>, picker: Arc<dyn FilePicker>) -> Env {
        let mut message = None;
        let data = match Data::load_catalog(&store) {
            Ok(d) => d,
            Err(e) => {
                message = Some((e.to_string(), true));
                Data::default()
            }
        };
        let desk = data.catalog.desks.first().map(|d| d.id).unwrap_or(Id::NIL);
        Env {
            store,
            picker,
            session: None,
            operator: Id::NIL,
            desk,
            data,
            nav: None,
            open: None,
            dialog_open: false,
            focus_search: false,
            message,
            prefs: prefs::Prefs::default(),
            last_line: None,
            saved_contact_year: None,
            inline_limit: 30_000,
            viewer: documents::external::ExternalViewer::default(),
            revisions: [0; EntityKind::ALL.len()],
            changes: Vec::new(),
            generation: 0,
        }
    }

    /// True when the lists load their rows inline (few people in memory), false when
    /// they load them in a background job so no frame waits on the disk.
    pub fn inline_loads(&self) -> bool {
        self.data.people.len() as u64 <= self.inline_limit
    }

    /// How many writes of a kind this window has made (lists reload when it changes).
    pub fn revision(&self, kind: EntityKind) -> u64 {
        self.revisions[kind.code() as usize]
    }

    /// Marks a kind as changed (what is computed from it is computed again).
    pub fn bump(&mut self, kind: EntityKind) {
        self.revisions[kind.code() as usize] += 1;
    }

    /// How many records this window has written so far (the length of its change log).
    pub fn change_count(&self) -> usize {
        self.changes.len()
    }

    /// The records this window wrote from position `from` of its change log on.
    pub fn changes_since(&self, from: usize) -> &[(EntityKind, Id)] {
        self.changes.get(from..).unwrap_or(&[])
    }

    /// Changes when the database was changed by another writer (a restore, an import): the
    /// lists load their rows again instead of patching them.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The database changed as a whole (restored, imported, merged): every list reloads.
    pub fn database_replaced(&mut self) {
        self.generation += 1;
        for k in EntityKind::ALL {
            self.bump(k);
        }
    }

    /// Asks to go somewhere at the end of the frame.
    pub fn goto(&mut self, route: Route) {
        self.nav = Some(route);
    }

    /// A message for the status line.
    pub fn notify(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), false));
    }

    /// An error for the status line.
    pub fn fail(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), true));
    }

    /// Whether a list may take ↑/↓/Enter this frame: no dialog is open, and either its
    /// search box has the keyboard or nothing has.
    pub fn list_keys(&self, ui: &egui::Ui, search_focused: bool) -> bool {
        !self.dialog_open && (search_focused || ui.memory(|m| m.focused().is_none()))
    }

    /// True when someone is signed in (and need not change the password first).
    pub fn can_write(&self) -> bool {
        self.session.as_ref().is_some_and(|s| !s.must_change())
    }

    /// True when the signed-in account may open the section.
    pub fn may_open(&self, route: Route) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| route.allowed(s.permissions()))
    }

    /// True when the signed-in account's roles allow `p`.
    pub fn may(&self, p: Permission) -> bool {
        self.session.as_ref().is_some_and(|s| s.may(p))
    }

    /// How background jobs read (the store and the session).
    pub fn reads(&self) -> Reads {
        Reads {
            store: self.store.clone(),
            session: self.session.clone(),
        }
    }

    /// A read snapshot on behalf of the signed-in account (checked by the store).
    pub fn read(&self) -> Result<Reader, StoreError> {
        self.reads().read()
    }

    fn session(&self) -> Result<&Session, StoreError> {
        match &self.session {
            Some(s) if !s.must_change() => Ok(s),
            _ => Err(StoreError::Denied(
                "Accedi con il tuo account prima di registrare qualcosa.".into(),
            )),
        }
    }

    /// Logs a read that matters (a cartella opened, confidential notes shown, an export…);
    /// a failure goes to the status line.
    pub fn log_access(
        &mut self,
        kind: crate::domain::access::AccessKind,
        entity: Option<(EntityKind, Id)>,
        purpose: &str,
    ) {
        if let Some(s) = self.session.clone()
            && let Err(e) = self.store.log_access(&s, kind, entity, purpose)
        {
            self.fail(e.to_string());
        }
    }

    /// Inserts a record on behalf of the signed-in account and updates the indexes.
    pub fn insert<E: Entity>(&mut self, rec: E) -> Result<Id, StoreError> {
        let id = self.store.insert_as(self.session()?, rec)?;
        self.refresh(E::KIND, id);
        Ok(id)
    }

    /// Updates a record on behalf of the signed-in account and updates the indexes.
    pub fn update<E: Entity>(&mut self, rec: E) -> Result<(), StoreError> {
        let id = rec.id();
        self.store.update_as(self.session()?, rec)?;
        self.refresh(E::KIND, id);
        Ok(())
    }

    /// Archives (or brings back) a record on behalf of the signed-in account.
    pub fn set_archived<E: Entity>(&mut self, id: Id, archived: bool) -> Result<(), StoreError> {
        self.store
            .set_archived_as::<E>(self.session()?, id, archived)?;
        self.refresh(E::KIND, id);
        Ok(())
    }

    /// Several writes in one durable transaction (all or nothing). `f` returns what it
    /// wrote, so the indexes can be updated.
    pub fn transaction<R>(
        &mut self,
        f: impl FnOnce(&mut Writer) -> Result<(R, Vec<(EntityKind, Id)>), StoreError>,
    ) -> Result<R, StoreError> {
        let mut w = self.store.write_as(self.session()?)?;
        let (r, written) = f(&mut w)?;
        w.commit()?;
        for (k, id) in written {
            self.refresh(k, id);
        }
        Ok(r)
    }

    /// After a write: bump the kind's revision, log the record for the lists to patch, and
    /// patch the in-memory indexes.
    pub fn refresh(&mut self, kind: EntityKind, id: Id) {
        self.bump(kind);
        self.changes.push((kind, id));
        let reads = self.reads();
        if let Err(e) = self.data.refresh(&reads, kind, id) {
            self.fail(e.to_string());
        }
        // A person's household change also changes the household list's member counts.
        if kind == EntityKind::Person {
            self.bump(EntityKind::Household);
        }
    }
}

/// Opens the window on the database at `db` (created when missing). An encrypted database
/// opens on its sign-in: the username and password unlock the file. When the database
/// cannot be opened, says why in a small window too; returns the message to print.
pub fn run(db: PathBuf) -> Result<(), String> {
    let store = match startup::open_store(&db) {
        Ok(startup::Opening::Open(store)) => Some(Arc::new(store)),
        Ok(startup::Opening::Encrypted) => None,
        Err(problem) => {
            let message = problem.detail.clone();
            startup::show(problem);
            return Err(message);
        }
    };
    // Temporary copies of documents left by a window that crashed or was killed.
    let _ = documents::external::clean_folder(&documents::external::default_dir());
    let options = startup::native_options(
        "Accoglienza",
        egui::ViewportBuilder::default()
            .with_inner_size([1320.0, 840.0])
            .with_min_inner_size([960.0, 600.0]),
    );
    eframe::run_native(
        startup::APP_NAME,
        options,
        Box::new(move |cc| {
            let picker = Arc::new(file_picker::NativePicker::new(cc.egui_ctx.clone()));
            let prefs = cc
                .storage
                .and_then(|s| eframe::get_value::<prefs::Prefs>(s, prefs::STORAGE_KEY))
                .unwrap_or_default();
            Ok(Box::new(match store {
                Some(store) => Window::open(AccoglienzaApp::with_prefs(store, picker, prefs)),
                None => Window::encrypted(db, crate::store::OpenOptions::default(), picker, prefs),
            }))
        }),
    )
    .map_err(|e| format!("Impossibile aprire la finestra: {e}"))
}
