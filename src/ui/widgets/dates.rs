//! Dates typed as gg/mm/aaaa with the calendar button next to them.

use super::calendar::calendar_button;
use super::row;
use egui::{Id as EId, Response, TextEdit, Ui};

/// A date typed as gg/mm/aaaa, with the calendar button next to it.
pub fn date_edit(ui: &mut Ui, salt: &str, value: &mut String, label_id: EId) -> Response {
    ui.horizontal(|ui| {
        let r = ui
            .add(
                TextEdit::singleline(value)
                    .desired_width(110.0)
                    .hint_text("gg/mm/aaaa"),
            )
            .labelled_by(label_id);
        calendar_button(ui, salt, value);
        r
    })
    .inner
}

/// A date row of a form grid.
pub fn date_row(
    ui: &mut Ui,
    label_text: &str,
    salt: &str,
    value: &mut String,
    err: Option<&str>,
) -> Response {
    row(ui, label_text, err, |ui, label_id| {
        date_edit(ui, salt, value, label_id)
    })
}
