//! The recovery key, shown once: the database has just become encrypted (or an
//! administrator asked for a new key), and the key that opens it when every password is
//! lost must be written down for the cooperative's safe before going on. It is never
//! copied to the clipboard (clipboard managers keep what passes through them) nor written
//! anywhere by the program.

use crate::store::crypt::{ExposeSecret, RecoveryKey, SecretString};
use crate::tr;
use egui::{RichText, Ui};

/// The screen showing a recovery key once.
pub struct RecoveryKeyScreen {
    key: SecretString,
    /// Why the key is shown (the first lines of the screen).
    intro: String,
    written: bool,
    /// Drawn inside a panel (Impostazioni) rather than as the whole window.
    inline: bool,
}

impl RecoveryKeyScreen {
    /// The screen for `key`, introduced by `intro`.
    pub fn new(key: &RecoveryKey, intro: String) -> Self {
        RecoveryKeyScreen {
            key: key.display(),
            intro,
            written: false,
            inline: false,
        }
    }

    /// The same, drawn inside a panel (no top margin of a whole screen).
    pub fn inline(key: &RecoveryKey, intro: String) -> Self {
        RecoveryKeyScreen {
            inline: true,
            ..Self::new(key, intro)
        }
    }

    /// Shows the key; returns true once the user said it is written down and went on.
    pub fn ui(&mut self, ui: &mut Ui) -> bool {
        let mut done = false;
        ui.vertical_centered(|ui| {
            ui.add_space(if self.inline { 4.0 } else { 48.0 });
            ui.set_max_width(720.0);
            ui.heading(tr!("recovery-title"));
            ui.add_space(8.0);
            ui.label(&self.intro);
            ui.add_space(4.0);
            ui.label(tr!("recovery-text"));
            ui.add_space(16.0);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                // One line, never wrapped inside a group of four.
                ui.add(
                    egui::Label::new(
                        RichText::new(self.key.expose_secret())
                            .monospace()
                            .size(16.0)
                            .strong(),
                    )
                    .extend()
                    .selectable(true),
                );
            });
            ui.add_space(16.0);
            ui.checkbox(&mut self.written, tr!("recovery-written"));
            ui.add_space(8.0);
            if ui
                .add_enabled(self.written, egui::Button::new(tr!("recovery-continue")))
                .clicked()
            {
                done = true;
            }
        });
        done
    }
}
