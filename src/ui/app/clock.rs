//! The computer's clock jumped more than a year past the counted year (a BIOS reset, an
//! NTP glitch, or a database not opened for a long time): ask before open cases and
//! projects start counting in the years in between.

use super::AccoglienzaApp;
use crate::tr;
use egui::RichText;

impl AccoglienzaApp {
    /// Works out again whether a year jump waits for a confirmation (at start, after a
    /// restore).
    pub(super) fn check_year_jump(&mut self) {
        self.year_jump = self.env.store.year_jump().ok().flatten();
    }

    /// The question, while a year jump waits for it.
    pub(super) fn year_jump_ui(&mut self, ctx: &egui::Context) {
        let Some(j) = self.year_jump else { return };
        let mut answer = None;
        let id = egui::Id::unique("year-jump");
        egui::Modal::new(id)
            .area(crate::ui::widgets::top_anchored(id))
            .show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.label(RichText::new(tr!("clock-jump-title")).heading());
                ui.add_space(6.0);
                ui.label(tr!(
                    "clock-jump-text",
                    clock = j.clock.to_string(),
                    counted = j.counted.to_string()
                ));
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    if ui
                        .button(tr!("clock-jump-yes", clock = j.clock.to_string()))
                        .clicked()
                    {
                        answer = Some(true);
                    }
                    if ui.button(tr!("clock-jump-no")).clicked() {
                        answer = Some(false);
                    }
                });
            });
        match answer {
            Some(true) => {
                match self.env.store.confirm_year(j.clock) {
                    Ok(()) => {
                        self.env
                            .notify(tr!("clock-jump-done", clock = j.clock.to_string()));
                        self.dashboard.refresh();
                    }
                    Err(e) => self.env.fail(e.to_string()),
                }
                self.year_jump = None;
            }
            // Not now: asked again at the next start.
            Some(false) => self.year_jump = None,
            None => {}
        }
    }
}
