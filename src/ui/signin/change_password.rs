//! Changing one's own password: required at the first sign-in and after a reset, and
//! possible at any time from Impostazioni.

use crate::access::{PasswordParams, Session};
use crate::domain::Problems;
use crate::store::{Store, StoreError};
use crate::tr;
use crate::ui::widgets;
use egui::{RichText, Ui};
use zeroize::Zeroize;

/// The form changing the signed-in account's password.
#[derive(Default)]
pub struct ChangePasswordForm {
    current: String,
    new: String,
    repeat: String,
    problems: Problems,
}

impl Drop for ChangePasswordForm {
    fn drop(&mut self) {
        self.current.zeroize();
        self.new.zeroize();
        self.repeat.zeroize();
    }
}

impl ChangePasswordForm {
    /// Shows the form; returns the new session once the password is changed.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        session: &Session,
        params: PasswordParams,
    ) -> Option<Session> {
        let mut changed = None;
        ui.heading(tr!("password-change-title"));
        if session.must_change() {
            ui.label(tr!(
                "password-must-change",
                user = session.username().to_string()
            ));
        }
        ui.label(tr!("password-rules"));
        ui.add_space(8.0);
        let p = self.problems.clone();
        egui::Grid::new("password-grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                widgets::password_row(
                    ui,
                    &tr!("password-current"),
                    &mut self.current,
                    p.for_field("current"),
                );
                widgets::password_row(
                    ui,
                    &tr!("password-new"),
                    &mut self.new,
                    p.for_field("password"),
                );
                widgets::password_row(
                    ui,
                    &tr!("password-repeat"),
                    &mut self.repeat,
                    p.for_field("repeat"),
                );
            });
        ui.add_space(8.0);
        if ui.button(tr!("password-change")).clicked() {
            self.problems = Problems::default();
            if self.new != self.repeat {
                self.problems.add("repeat", tr!("password-mismatch"));
            } else {
                match store.change_password(session, &self.current, &self.new, params) {
                    Ok(s) => {
                        self.current.zeroize();
                        self.new.zeroize();
                        self.repeat.zeroize();
                        changed = Some(s);
                    }
                    Err(StoreError::Invalid(p)) => self.problems = p,
                    Err(e) => self.problems.add("_", e.to_string()),
                }
            }
        }
        if let Some(e) = self.problems.for_field("_") {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
        changed
    }
}
