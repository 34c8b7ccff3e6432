//! The eframe window. Talks to the store through its API only; slow work runs on
//! background threads and reports progress.

mod app;
pub mod backup;
pub mod dashboard;
pub mod file_picker;
pub mod i18n;
pub mod jobs;
mod shell_counts;
mod theme;
mod welcome;

pub use app::AccoglienzaApp;

use crate::domain::Id;
use crate::store::Store;
use file_picker::FilePicker;
use std::path::PathBuf;
use std::sync::Arc;

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
}

/// Opens the window on the database at `db`. Returns the message to print when it cannot.
pub fn run(db: PathBuf) -> Result<(), String> {
    let store = Arc::new(Store::open(&db).map_err(|e| e.to_string())?);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Accoglienza")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Accoglienza",
        options,
        Box::new(move |cc| {
            theme::apply(&cc.egui_ctx);
            Ok(Box::new(AccoglienzaApp::new(store)))
        }),
    )
    .map_err(|e| format!("Impossibile aprire la finestra: {e}"))
}
