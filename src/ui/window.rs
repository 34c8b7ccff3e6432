//! The window as eframe runs it: the app over an open store, or — for an encrypted
//! database — first the sign-in that opens the file ([`UnlockScreen`]), then the app
//! signed in.

use super::app::AccoglienzaApp;
use super::file_picker::FilePicker;
use super::prefs::Prefs;
use super::signin::{Opened, UnlockScreen};
use super::{i18n, theme};
use crate::access::PasswordParams;
use crate::store::OpenOptions;
use std::path::PathBuf;
use std::sync::Arc;

/// What the window shows.
enum Stage {
    /// An encrypted database not open yet.
    Unlock(Box<UnlockScreen>),
    /// The app over the open store.
    App(Box<AccoglienzaApp>),
}

/// The window: the app, or the sign-in that opens an encrypted database first.
pub struct Window {
    stage: Stage,
    picker: Arc<dyn FilePicker>,
    prefs: Prefs,
    params: PasswordParams,
    applied: bool,
}

impl Window {
    /// The window over an app already open.
    pub fn open(app: AccoglienzaApp) -> Window {
        let prefs = app.prefs().clone();
        Window {
            stage: Stage::App(Box::new(app)),
            picker: Arc::new(super::file_picker::ScriptedPicker::default()),
            prefs,
            params: PasswordParams::STANDARD,
            applied: true,
        }
    }

    /// The window on the encrypted database at `path`: its sign-in first, no store yet.
    pub fn encrypted(
        path: PathBuf,
        opts: OpenOptions,
        picker: Arc<dyn FilePicker>,
        prefs: Prefs,
    ) -> Window {
        Window {
            stage: Stage::Unlock(Box::new(UnlockScreen::new(path, opts))),
            picker,
            prefs,
            params: PasswordParams::STANDARD,
            applied: false,
        }
    }

    /// The Argon2id parameters of passwords set from the window (tests use cheap ones).
    pub fn set_password_params(&mut self, params: PasswordParams) {
        self.params = params;
        if let Stage::App(app) = &mut self.stage {
            app.set_password_params(params);
        }
    }

    /// The app, once the database is open.
    pub fn app(&self) -> Option<&AccoglienzaApp> {
        match &self.stage {
            Stage::App(a) => Some(a),
            Stage::Unlock(_) => None,
        }
    }

    /// The app, mutable, once the database is open.
    pub fn app_mut(&mut self) -> Option<&mut AccoglienzaApp> {
        match &mut self.stage {
            Stage::App(a) => Some(a),
            Stage::Unlock(_) => None,
        }
    }

    /// Draws one frame.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let opened = match &mut self.stage {
            Stage::App(app) => {
                app.frame(ui);
                return;
            }
            Stage::Unlock(screen) => {
                if !std::mem::replace(&mut self.applied, true) {
                    theme::apply_prefs(ui.ctx(), &self.prefs);
                    i18n::set_lang(self.prefs.lang);
                }
                egui::CentralPanel::default()
                    .show(ui, |ui| screen.ui(ui))
                    .inner
            }
        };
        if let Some(o) = opened {
            self.enter(o);
            ui.ctx().request_repaint();
        }
    }

    /// The file is open: the app over it, signed in when an account did.
    fn enter(&mut self, opened: Opened) {
        let Opened {
            store,
            session,
            message,
        } = opened;
        let mut app =
            AccoglienzaApp::with_prefs(Arc::new(store), self.picker.clone(), self.prefs.clone());
        app.set_password_params(self.params);
        match session {
            Some(s) => app.sign_in(s),
            None => app.signin_message(message),
        }
        self.stage = Stage::App(Box::new(app));
    }
}

impl eframe::App for Window {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        match &mut self.stage {
            Stage::App(app) => eframe::App::save(app.as_mut(), storage),
            Stage::Unlock(_) => eframe::set_value(storage, super::prefs::STORAGE_KEY, &self.prefs),
        }
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        if let Stage::App(app) = &mut self.stage {
            eframe::App::on_exit(app.as_mut(), gl);
        }
    }
}
