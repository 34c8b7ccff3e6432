//! "Cancella persona…" in the cartella (GDPR art. 17), for accounts with the erasure's
//! permissions (`store::privacy::ERASE_PERMISSIONS`): a confirmation with the reason kept in
//! the registro cancellazioni; the store erases in one transaction, then the file is
//! compacted at once when no background job holds the store, else at the next open.

use super::{Env, Route, widgets};
use crate::domain::*;
use crate::store::privacy::ERASE_PERMISSIONS;
use crate::tr;
use std::sync::Arc;

/// Whether the signed-in account may erase people.
pub fn allowed(env: &Env) -> bool {
    ERASE_PERMISSIONS.iter().all(|p| env.may(*p))
}

/// The confirmation of an erasure, with the reason being typed.
#[derive(Default)]
pub struct ErasePerson {
    reason: String,
    error: Option<String>,
}

impl ErasePerson {
    /// Shows the question; `true` once it is over (erased, or declined).
    pub fn ui(&mut self, ctx: &egui::Context, env: &mut Env, p: &Person) -> bool {
        let text = tr!("person-erase-confirm", name = p.full_name());
        let (reason, error) = (&mut self.reason, &self.error);
        let answer =
            widgets::confirm_with(ctx, "erase-person", &text, &tr!("person-erase-yes"), |ui| {
                ui.add_space(6.0);
                let label = ui.label(tr!("person-erase-reason"));
                ui.add(egui::TextEdit::singleline(reason).desired_width(380.0))
                    .labelled_by(label.id);
                if let Some(e) = error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        match answer {
            None => false,
            Some(false) => true,
            Some(true) => self.erase(env, p),
        }
    }

    /// Erases; on a refusal (a reason too short or naming the person) the dialog stays with
    /// the message.
    fn erase(&mut self, env: &mut Env, p: &Person) -> bool {
        let Some(session) = env.session.clone() else {
            return true;
        };
        match env
            .store
            .erase_person_uncompacted_as(&session, p.id, &self.reason)
        {
            Ok(_) => {
                // The erased bytes leave the file now if the window holds the store alone.
                if let Some(store) = Arc::get_mut(&mut env.store) {
                    let _ = store.compact_erased();
                }
                env.database_replaced();
                // The people in memory are read again: the erased one leaves every list
                // and search, the anonymous placeholder takes its place where it counts.
                env.data.ready = false;
                env.notify(tr!("person-erased"));
                env.goto(Route::People);
                true
            }
            Err(e) => {
                self.error = Some(e.to_string());
                false
            }
        }
    }
}
