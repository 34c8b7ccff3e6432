//! The first screen of an empty database: load demo data or start empty.

use crate::tr;

/// What the operator chose.
pub enum WelcomeChoice {
    /// Load the cooperative demo data.
    Demo,
    /// Start with an empty database.
    Empty,
}

/// The welcome screen.
#[derive(Default)]
pub struct Welcome;

impl Welcome {
    /// Shows the screen; returns the choice once made.
    pub fn ui(&mut self, ui: &mut egui::Ui, busy: Option<(&str, f32)>) -> Option<WelcomeChoice> {
        let mut choice = None;
        ui.vertical_centered(|ui| {
            ui.add_space(80.0);
            ui.heading(tr!("welcome-title"));
            ui.add_space(8.0);
            ui.label(tr!("welcome-text"));
            ui.add_space(24.0);
            match busy {
                Some((phase, f)) => {
                    ui.label(phase);
                    ui.add(
                        egui::ProgressBar::new(f)
                            .show_percentage()
                            .desired_width(360.0),
                    );
                }
                None => {
                    if ui.button(tr!("welcome-demo")).clicked() {
                        choice = Some(WelcomeChoice::Demo);
                    }
                    ui.add_space(8.0);
                    if ui.button(tr!("welcome-empty")).clicked() {
                        choice = Some(WelcomeChoice::Empty);
                    }
                }
            }
        });
        choice
    }
}
