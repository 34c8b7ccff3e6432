//! A yes/no confirmation over the window.

use crate::tr;
use egui::{Id as EId, Key, Modifiers, RichText};

/// A yes/no confirmation in a modal; `Some(true)` confirmed, `Some(false)` declined.
pub fn confirm(ctx: &egui::Context, id: &str, text: &str, yes: &str) -> Option<bool> {
    let mut answer = None;
    egui::Modal::new(EId::unique(("confirm", id))).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.label(RichText::new(tr!("confirm-title")).heading());
        ui.add_space(6.0);
        ui.label(text);
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button(yes).clicked() {
                answer = Some(true);
            }
            if ui.button(tr!("confirm-no")).clicked() {
                answer = Some(false);
            }
        });
    });
    if answer.is_none() && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
        answer = Some(false);
    }
    answer
}
