//! The eframe window. Talks to the store through its API only; slow work runs on
//! background threads and reports progress.
//!
//! One screen per file, one struct per screen with
//! `pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env)`. What every screen shares —
//! the store, the in-memory indexes of people and the catalogue, who is at the desk, where
//! to go next — lives in [`Env`].

mod activities;
mod app;
pub mod backup;
mod cases;
mod contacts;
pub mod dashboard;
pub mod data;
pub mod file_picker;
mod forms;
mod households;
pub mod i18n;
pub mod jobs;
mod labels;
mod leave_household;
mod list;
mod people;
mod person_cf;
mod person_form;
mod person_page;
pub mod prefs;
mod projects;
mod referrals;
mod settings;
pub mod startup;
mod table;
mod team;
mod theme;
mod welcome;
mod widgets;

pub use app::AccoglienzaApp;

use crate::domain::*;
use crate::store::{Entity, Store, StoreError, Writer};
use data::Data;
use file_picker::FilePicker;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the window can go: the sections of the left navigation and the record pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Persone.
    People,
    /// Famiglie.
    Households,
    /// Accessi.
    Contacts,
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
    /// The cartella of one person.
    Person(Id),
    /// One household (opens its form in Famiglie).
    Household(Id),
}

impl Route {
    /// The sections of the left navigation, in order.
    pub const SECTIONS: [Route; 10] = [
        Route::People,
        Route::Households,
        Route::Contacts,
        Route::Cases,
        Route::Projects,
        Route::Referrals,
        Route::Activities,
        Route::Team,
        Route::Dashboard,
        Route::Settings,
    ];

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
            Route::People => "nav-people",
            Route::Households => "nav-households",
            Route::Contacts => "nav-contacts",
            Route::Cases => "nav-cases",
            Route::Projects => "nav-projects",
            Route::Referrals => "nav-referrals",
            Route::Activities => "nav-activities",
            Route::Team => "nav-team",
            Route::Dashboard => "nav-dashboard",
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
    /// A new case for this subject.
    NewCase(Option<Subject>),
    /// A new project for this person.
    NewProject(Option<Id>),
    /// A new referral for this subject.
    NewReferral(Option<Subject>),
    /// A new group activity.
    NewActivity,
    /// A new operator.
    NewOperator,
    /// An existing record of a kind.
    Edit(EntityKind, Id),
}

/// What every screen works with: the store, the file dialogs, and who is at the desk.
/// Screens take `&mut Env` in their `ui` method; add fields here rather than globals.
pub struct Env {
    /// The open database.
    pub store: Arc<Store>,
    /// File dialogs (native in the app, scripted in tests).
    pub picker: Arc<dyn FilePicker>,
    /// The operator at the desk: every write is attributed to them.
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
    /// Lists larger than this load in a background job instead of inside the frame.
    pub inline_limit: u64,
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
            inline_limit: 30_000,
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

    /// True when an operator has been chosen and writes can be attributed.
    pub fn can_write(&self) -> bool {
        self.operator != Id::NIL && self.data.catalog.operator(self.operator).is_some()
    }

    fn need_operator(&self) -> Result<(), StoreError> {
        if self.can_write() {
            Ok(())
        } else {
            let mut p = Problems::default();
            p.add(
                "operator",
                "Scegli l'operatore in alto prima di registrare qualcosa",
            );
            Err(StoreError::Invalid(p))
        }
    }

    /// Inserts a record on behalf of the current operator and updates the indexes.
    pub fn insert<E: Entity>(&mut self, rec: E) -> Result<Id, StoreError> {
        self.need_operator()?;
        let id = self.store.insert(self.operator, rec)?;
        self.refresh(E::KIND, id);
        Ok(id)
    }

    /// Updates a record on behalf of the current operator and updates the indexes.
    pub fn update<E: Entity>(&mut self, rec: E) -> Result<(), StoreError> {
        self.need_operator()?;
        let id = rec.id();
        self.store.update(self.operator, rec)?;
        self.refresh(E::KIND, id);
        Ok(())
    }

    /// Archives (or brings back) a record on behalf of the current operator.
    pub fn set_archived<E: Entity>(&mut self, id: Id, archived: bool) -> Result<(), StoreError> {
        self.need_operator()?;
        self.store.set_archived::<E>(self.operator, id, archived)?;
        self.refresh(E::KIND, id);
        Ok(())
    }

    /// Several writes in one durable transaction (all or nothing). `f` returns what it
    /// wrote, so the indexes can be updated.
    pub fn transaction<R>(
        &mut self,
        f: impl FnOnce(&mut Writer) -> Result<(R, Vec<(EntityKind, Id)>), StoreError>,
    ) -> Result<R, StoreError> {
        self.need_operator()?;
        let mut w = self.store.write(self.operator)?;
        let (r, written) = f(&mut w)?;
        w.commit()?;
        for (k, id) in written {
            self.refresh(k, id);
        }
        Ok(r)
    }

    /// The first-ever operator registers themself (the database has no operator yet to
    /// attribute the write to).
    pub fn register_operator(&mut self, mut op: Operator) -> Result<Id, StoreError> {
        if op.id == Id::NIL {
            op.id = Id::new();
        }
        let actor = if self.can_write() {
            self.operator
        } else {
            op.id
        };
        let id = self.store.insert(actor, op)?;
        self.refresh(EntityKind::Operator, id);
        Ok(id)
    }

    /// After a write: bump the kind's revision, log the record for the lists to patch, and
    /// patch the in-memory indexes.
    pub fn refresh(&mut self, kind: EntityKind, id: Id) {
        self.bump(kind);
        self.changes.push((kind, id));
        if let Err(e) = self.data.refresh(&self.store, kind, id) {
            self.fail(e.to_string());
        }
        // A person's household change also changes the household list's member counts.
        if kind == EntityKind::Person {
            self.bump(EntityKind::Household);
        }
    }
}

/// Opens the window on the database at `db` (created when missing). When the database
/// cannot be opened, says why in a small window too; returns the message to print.
pub fn run(db: PathBuf) -> Result<(), String> {
    let store = match startup::open_store(&db) {
        Ok(store) => Arc::new(store),
        Err(problem) => {
            let message = problem.detail.clone();
            startup::show(problem);
            return Err(message);
        }
    };
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
            Ok(Box::new(AccoglienzaApp::with_prefs(store, picker, prefs)))
        }),
    )
    .map_err(|e| format!("Impossibile aprire la finestra: {e}"))
}
