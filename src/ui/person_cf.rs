//! The codice fiscale of a person being registered: its letters against the names typed,
//! and the people who already hold it (asked of the store's index by codice fiscale).

use super::Env;
use super::widgets::FIELD_WIDTH;
use crate::domain::codice_fiscale;
use crate::domain::*;
use crate::tr;
use egui::{RichText, Ui};

/// The codice fiscale typed is already held by other people (found when saving): the save
/// waits until the operator confirms the same code is meant.
#[derive(Debug, Clone)]
pub(super) struct CfTaken {
    /// The code, normalised.
    pub(super) cf: String,
    /// Who holds it, described.
    pub(super) holders: Vec<String>,
    /// The operator confirmed it is the same code on purpose.
    pub(super) confirmed: bool,
}

/// Under the codice fiscale: a warning when its letters disagree with the names typed, and
/// the question when another person already holds it.
pub(super) fn cf_notes(
    ui: &mut Ui,
    (cf, provisional): (&str, bool),
    (surname, name): (&str, &str),
    taken: &mut Option<CfTaken>,
) {
    let warn = ui.visuals().warn_fg_color;
    if !provisional && let Some(m) = codice_fiscale::check_names(cf, surname, name) {
        ui.scope(|ui| {
            // Wrapped at the width of the form's fields.
            ui.set_max_width(FIELD_WIDTH + 120.0);
            ui.add(egui::Label::new(RichText::new(m.to_string()).color(warn)).wrap());
        });
    }
    let Some(t) = taken
        .as_mut()
        .filter(|t| t.cf == codice_fiscale::normalize(cf))
    else {
        return;
    };
    ui.scope(|ui| {
        ui.set_max_width(FIELD_WIDTH + 120.0);
        ui.add(
            egui::Label::new(
                RichText::new(tr!("person-cf-taken", holders = t.holders.join(", ")))
                    .color(ui.visuals().error_fg_color),
            )
            .wrap(),
        );
    });
    ui.checkbox(&mut t.confirmed, tr!("person-cf-same-on-purpose"));
}

/// The people other than `me` who hold the codice fiscale `cf`, described (name, birth date,
/// archived), from the store's index by codice fiscale.
pub(super) fn cf_holders(
    env: &Env,
    cf: &str,
    me: Id,
) -> Result<Vec<String>, crate::store::StoreError> {
    let found = env.read()?.people_by_cf(cf)?;
    Ok(found
        .iter()
        .filter(|p| p.id != me)
        .map(|p| {
            let mut t = p.full_name();
            let b = p.birth.display();
            if !b.is_empty() {
                t.push_str(&format!(" ({b})"));
            }
            if p.archived {
                t.push_str(&format!(" — {}", tr!("archived-mark")));
            }
            t
        })
        .collect())
}
