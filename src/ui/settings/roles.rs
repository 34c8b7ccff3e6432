//! Impostazioni → Ruoli di accesso (administrators): what each role may do, as data. The
//! store checks these permissions on every read and write; a change applies from each
//! account's next sign-in.

use crate::domain::*;
use crate::tr;
use crate::ui::Env;
use egui::{RichText, Ui};

/// The roles section.
#[derive(Default)]
pub struct RolesPanel {
    roles: Vec<AccessRole>,
    saved: Vec<AccessRole>,
    loaded: bool,
    message: Option<(bool, String)>,
}

impl RolesPanel {
    /// Shows the section (administrators only).
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if !env.may(Permission::Account) {
            return;
        }
        if !self.loaded {
            match env.read().and_then(|r| r.all::<AccessRole>()) {
                Ok(r) => {
                    self.saved = r.clone();
                    self.roles = r;
                }
                Err(e) => self.message = Some((true, e.to_string())),
            }
            self.loaded = true;
        }
        ui.label(RichText::new(tr!("roles-title")).heading());
        ui.weak(tr!("roles-text"));
        for role in self.roles.iter_mut().filter(|r| !r.archived) {
            ui.add_space(4.0);
            ui.label(RichText::new(&role.name).strong());
            ui.horizontal_wrapped(|ui| {
                for p in Permission::ALL {
                    let mut on = role.permissions.has(p);
                    if ui.checkbox(&mut on, p.label()).changed() {
                        role.permissions.set(p, on);
                    }
                }
            });
        }
        ui.add_space(6.0);
        let changed = self.roles != self.saved;
        if ui
            .add_enabled(changed, egui::Button::new(tr!("roles-save")))
            .clicked()
        {
            let changed: Vec<AccessRole> = self
                .roles
                .iter()
                .filter(|r| !self.saved.contains(r))
                .cloned()
                .collect();
            let res = env.transaction(|w| {
                let mut written = vec![];
                for r in changed {
                    written.push((EntityKind::AccessRole, r.id));
                    w.update(r)?;
                }
                Ok(((), written))
            });
            self.message = Some(match res {
                Ok(()) => {
                    self.saved = self.roles.clone();
                    (false, tr!("roles-saved"))
                }
                Err(e) => (true, e.to_string()),
            });
        }
        if let Some((err, m)) = &self.message {
            let color = if *err {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            ui.label(RichText::new(m).color(color));
        }
    }
}
