//! The first run of a database without accounts: create the administrator. The password
//! chosen here is provisional: it is changed at the first sign-in.

use crate::access::PasswordParams;
use crate::domain::Problems;
use crate::store::{Store, StoreError};
use crate::tr;
use crate::ui::widgets;
use egui::{RichText, Ui};
use zeroize::Zeroize;

/// The form creating the first administrator.
pub struct FirstAdminForm {
    username: String,
    password: String,
    repeat: String,
    also_coordinator: bool,
    problems: Problems,
}

impl Default for FirstAdminForm {
    fn default() -> Self {
        FirstAdminForm {
            username: "admin".into(),
            password: String::new(),
            repeat: String::new(),
            also_coordinator: false,
            problems: Problems::default(),
        }
    }
}

impl Drop for FirstAdminForm {
    fn drop(&mut self) {
        self.password.zeroize();
        self.repeat.zeroize();
    }
}

impl FirstAdminForm {
    /// Shows the form; returns the administrator's username once created.
    pub fn ui(&mut self, ui: &mut Ui, store: &Store, params: PasswordParams) -> Option<String> {
        let mut created = None;
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(tr!("first-admin-title"));
            ui.add_space(4.0);
            ui.label(tr!("first-admin-text"));
            ui.add_space(12.0);
            let p = self.problems.clone();
            super::centred_grid(ui, "first-admin-grid", |ui| {
                widgets::text_row(
                    ui,
                    &tr!("signin-username"),
                    &mut self.username,
                    p.for_field("username"),
                );
                widgets::password_row(
                    ui,
                    &tr!("first-admin-password"),
                    &mut self.password,
                    p.for_field("password"),
                );
                widgets::password_row(
                    ui,
                    &tr!("password-repeat"),
                    &mut self.repeat,
                    p.for_field("repeat"),
                );
                widgets::check_row(
                    ui,
                    "",
                    &tr!("first-admin-coordinator"),
                    &mut self.also_coordinator,
                );
            });
            ui.add_space(8.0);
            if ui.button(tr!("first-admin-create")).clicked() {
                created = self.create(store, params);
            }
            if let Some(e) = p.for_field("_") {
                ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
            }
        });
        created
    }

    fn create(&mut self, store: &Store, params: PasswordParams) -> Option<String> {
        self.problems = Problems::default();
        if self.password != self.repeat {
            self.problems.add("repeat", tr!("password-mismatch"));
            return None;
        }
        match store.create_first_admin(
            &self.username,
            &self.password,
            None,
            self.also_coordinator,
            params,
        ) {
            Ok(_) => {
                self.password.zeroize();
                self.repeat.zeroize();
                Some(self.username.trim().to_lowercase())
            }
            Err(StoreError::Invalid(p)) => {
                self.problems = p;
                None
            }
            Err(e) => {
                self.problems.add("_", e.to_string());
                None
            }
        }
    }
}
