//! Oggi's thresholds, for whoever coordinates the team: a small block on the screen.

use crate::domain::today::TodaySettings;
use crate::tr;
use crate::ui::Env;
use egui::Ui;

/// The thresholds being edited and the last save's outcome.
#[derive(Default)]
pub struct Edit {
    draft: Option<TodaySettings>,
    message: Option<(bool, String)>,
}

impl Edit {
    /// Draws the block (collapsed at first); returns true when the thresholds were saved.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env, stored: &mut Option<TodaySettings>) -> bool {
        let mut saved = false;
        egui::CollapsingHeader::new(tr!("today-settings"))
            .id_salt("today-settings")
            .show(ui, |ui| {
                let current = stored.unwrap_or_default();
                let mut draft = self.draft.unwrap_or(current);
                egui::Grid::new("today-settings-grid")
                    .num_columns(2)
                    .spacing([12.0, 4.0])
                    .show(ui, |ui| {
                        let fields: [(&str, &mut u32, u32, &str); 3] = [
                            (
                                "today-behind-hours",
                                &mut draft.behind_hours,
                                TodaySettings::MAX_HOURS,
                                "today-hours-suffix",
                            ),
                            (
                                "today-ending-days",
                                &mut draft.ending_days,
                                TodaySettings::MAX_DAYS,
                                "today-days-suffix",
                            ),
                            (
                                "today-informativa-days",
                                &mut draft.informativa_days,
                                TodaySettings::MAX_DAYS,
                                "today-days-suffix",
                            ),
                        ];
                        for (key, value, max, suffix) in fields {
                            let l = ui.label(tr!(key));
                            ui.add(
                                egui::DragValue::new(value)
                                    .range(1..=max)
                                    .suffix(tr!(suffix)),
                            )
                            .labelled_by(l.id);
                            ui.end_row();
                        }
                    });
                self.draft = Some(draft);
                ui.horizontal(|ui| {
                    let changed = draft != current;
                    if ui
                        .add_enabled(changed, egui::Button::new(tr!("today-save")))
                        .clicked()
                    {
                        let s = draft.clamped();
                        let result = match &env.session {
                            Some(session) => env.store.set_today_settings_as(session, &s),
                            None => Err(crate::store::StoreError::Denied(String::new())),
                        };
                        match result {
                            Ok(()) => {
                                *stored = Some(s);
                                self.draft = Some(s);
                                self.message = Some((true, tr!("today-saved")));
                                saved = true;
                            }
                            Err(e) => self.message = Some((false, e.to_string())),
                        }
                    }
                    match &self.message {
                        Some((true, m)) => {
                            ui.label(m);
                        }
                        Some((false, m)) => {
                            ui.colored_label(ui.visuals().error_fg_color, m);
                        }
                        None => {}
                    }
                });
            });
        saved
    }
}
