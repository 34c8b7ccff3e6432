//! The size limit of attached files, in Impostazioni → Catalogo → «Tipi di documento»
//! (whoever edits the catalogue may change it; 1–200 MB, 20 MB until changed).

use crate::domain::document::{DocumentSettings, MB};
use crate::tr;
use crate::ui::{Env, widgets};
use egui::Ui;

/// The limit's field and its «Salva».
#[derive(Default)]
pub struct LimitPanel {
    /// The limit in force and the database generation it was read for.
    loaded: Option<(u64, DocumentSettings)>,
    text: String,
    error: Option<String>,
}

impl LimitPanel {
    /// Shows the limit; editable with the catalogue's permission.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if self.loaded.map(|l| l.0) != Some(env.generation()) {
            let s = env.store.document_settings().unwrap_or_default();
            self.loaded = Some((env.generation(), s));
            self.text = (s.max_bytes / MB).to_string();
            self.error = None;
        }
        let editable = env.can_write() && env.may(crate::store::documents::SETTINGS_PERMISSION);
        ui.horizontal(|ui| {
            let l = ui.label(tr!("documents-limit"));
            ui.add_enabled(
                editable,
                egui::TextEdit::singleline(&mut self.text).desired_width(60.0),
            )
            .labelled_by(l.id);
            if editable && ui.button(tr!("documents-limit-save")).clicked() {
                self.save(env);
            }
        });
        widgets::problem(ui, self.error.as_deref());
    }

    fn save(&mut self, env: &mut Env) {
        let mb = match self.text.trim().parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                self.error = Some(format!(
                    "Scrivi un numero intero di MB, da {} a {}",
                    DocumentSettings::MIN_BYTES / MB,
                    DocumentSettings::MAX_BYTES / MB
                ));
                return;
            }
        };
        let s = DocumentSettings {
            max_bytes: mb.saturating_mul(MB),
        };
        let result = match &env.session {
            Some(session) => env.store.set_document_settings_as(session, s),
            None => return,
        };
        match result {
            Ok(()) => {
                self.loaded = Some((env.generation(), s));
                self.error = None;
                env.notify(tr!("documents-limit-saved"));
            }
            Err(e) => {
                self.error = Some(
                    crate::ui::forms::store_problems(e, env)
                        .0
                        .first()
                        .map(|p| p.message.clone())
                        .unwrap_or_default(),
                )
            }
        }
    }
}
