//! The contacts at the desk that worked on a pratica, listed in its dialog. The link is
//! read from what the desk already records on each contact — its subject and the measure —
//! by `stats::pratiche::desk_contacts`, so a contact about «Misura B2» shows under the
//! Misura B2 pratica of the same person or household without being linked by hand.

use crate::domain::time::fmt_datetime;
use crate::domain::*;
use crate::stats::pratiche::desk_contacts;
use crate::tr;
use crate::ui::Env;
use egui::{RichText, Ui};

/// The dialog's list of linked contacts, read once when first drawn.
#[derive(Default)]
pub struct LinkedContacts {
    rows: Option<Result<Vec<String>, String>>,
}

impl LinkedContacts {
    /// Draws the list for pratica `p` (as stored), reading it the first time.
    pub fn ui(&mut self, ui: &mut Ui, env: &Env, p: &Pratica) {
        let rows = self.rows.get_or_insert_with(|| {
            let r = env.read().map_err(|e| e.to_string())?;
            let contacts = desk_contacts(&r, p).map_err(|e| e.to_string())?;
            let cat = &env.data.catalog;
            Ok(contacts
                .iter()
                .map(|c| {
                    tr!(
                        "pratica-contact-row",
                        at = fmt_datetime(c.at),
                        kind = c.kind.label().to_string(),
                        operator = cat.name(c.operator).to_string(),
                        minutes = c.minutes.to_string()
                    )
                })
                .collect())
        });
        ui.label(RichText::new(tr!("pratica-contacts")).strong());
        match rows {
            Ok(rows) if rows.is_empty() => {
                ui.weak(tr!("pratica-contacts-none"));
            }
            Ok(rows) => {
                for row in rows.iter() {
                    ui.label(row);
                }
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e.as_str());
            }
        }
    }
}
