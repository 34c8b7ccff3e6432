//! The reminder slip from an appointment: straight to the save dialog (nothing to choose),
//! then the PDF made by `crate::print` for the signed-in session (the print is logged).
//! The suggested file name carries the appointment's short id and the date, no personal
//! data.

use crate::domain::Id;
use crate::print;
use crate::tr;
use crate::ui::Env;
use crate::ui::file_picker::{PendingPick, PickKind, PickRequest};
use std::path::Path;

/// The save dialog of one appointment's reminder slip, while it is open.
pub(super) struct ReminderPrint {
    appointment: Id,
    pending: PendingPick,
}

impl ReminderPrint {
    /// Opens the save dialog for appointment `id`'s slip.
    pub(super) fn new(env: &mut Env, id: Id) -> Self {
        let name = print::suggested_name(&env.store, id, "promemoria", "pdf");
        let req = PickRequest::new(PickKind::Save, tr!("appointments-reminder-dialog"))
            .file_name(name)
            .filter("PDF", &["pdf"]);
        ReminderPrint {
            appointment: id,
            pending: env.picker.pick(req),
        }
    }

    /// Polls the dialog; `true` once it is over (saved, failed or cancelled).
    pub(super) fn ui(&mut self, ctx: &egui::Context, env: &mut Env) -> bool {
        match self.pending.poll(ctx) {
            None => false,
            Some(None) => true,
            Some(Some(path)) => {
                match save(env, self.appointment, &path) {
                    Ok(()) => env.notify(tr!(
                        "appointments-reminder-saved",
                        path = path.display().to_string()
                    )),
                    Err(e) => env.fail(e),
                }
                true
            }
        }
    }
}

fn save(env: &mut Env, id: Id, path: &Path) -> Result<(), String> {
    let session = env.session.clone();
    let store = env.store.clone();
    let bytes = print::reminder_pdf(&store, session.as_ref(), id).map_err(|e| e.to_string())?;
    crate::store::output::write_atomic_with(store.path(), path, true, |w| w.write_all(&bytes))
}
