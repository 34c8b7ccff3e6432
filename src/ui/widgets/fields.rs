//! Labelled text fields of a form grid with their inline problem, multi-line fields, check
//! rows, and the search box of the lists.

use super::FIELD_WIDTH;
use crate::domain::*;
use crate::tr;
use egui::{Color32, Id as EId, Response, RichText, TextEdit, Ui};

/// The temp-data key where a focused multi-line field leaves the pass number, so forms know
/// Enter belongs to the text (a new line), not to "save".
pub fn multiline_focus_id() -> EId {
    EId::unique("accoglienza-multiline-focus")
}

/// True when a multi-line field had focus in this pass.
pub fn multiline_focused(ctx: &egui::Context) -> bool {
    let pass = ctx.cumulative_pass_nr();
    ctx.data(|d| d.get_temp::<u64>(multiline_focus_id())) == Some(pass)
}

/// True when Enter was pressed in one of the fields of an "add a row" group (the ledger's
/// hours, a session's title…): the key is consumed here, so it adds the row instead of
/// saving and closing the whole form.
pub fn enter_adds(ui: &Ui, fields: &[&Response]) -> bool {
    fields.iter().any(|r| r.has_focus() || r.lost_focus())
        && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
}

/// The colour of problems.
pub fn error_color(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// Shows a field's problem, if any, in the error colour.
pub fn problem(ui: &mut Ui, message: Option<&str>) {
    if let Some(m) = message {
        ui.label(RichText::new(m).color(error_color(ui)).small());
    }
}

/// A label cell of a form grid.
pub fn label(ui: &mut Ui, text: &str) -> Response {
    ui.label(text)
}

/// A row of a form grid: the label, then the field (drawn by `field`, which gets the
/// label's id to tie itself to) with its inline problem under it.
pub fn row(
    ui: &mut Ui,
    label_text: &str,
    err: Option<&str>,
    field: impl FnOnce(&mut Ui, EId) -> Response,
) -> Response {
    let l = label(ui, label_text);
    let r = ui
        .vertical(|ui| {
            let r = field(ui, l.id);
            problem(ui, err);
            r
        })
        .inner;
    ui.end_row();
    r
}

/// A text field row of a form grid: label, field, inline problem.
pub fn text_row(ui: &mut Ui, label_text: &str, value: &mut String, err: Option<&str>) -> Response {
    text_row_hint(ui, label_text, value, "", err)
}

/// A text field row with a hint shown while empty.
pub fn text_row_hint(
    ui: &mut Ui,
    label_text: &str,
    value: &mut String,
    hint: &str,
    err: Option<&str>,
) -> Response {
    row(ui, label_text, err, |ui, label_id| {
        let mut edit = TextEdit::singleline(value).desired_width(FIELD_WIDTH);
        if !hint.is_empty() {
            edit = edit.hint_text(hint.to_string());
        }
        ui.add(edit).labelled_by(label_id)
    })
}

/// A password field row: label, hidden field, inline problem.
pub fn password_row(
    ui: &mut Ui,
    label_text: &str,
    value: &mut String,
    err: Option<&str>,
) -> Response {
    row(ui, label_text, err, |ui, label_id| {
        ui.add(
            TextEdit::singleline(value)
                .password(true)
                .desired_width(FIELD_WIDTH),
        )
        .labelled_by(label_id)
    })
}

/// A multi-line text row (Enter makes a new line there; Ctrl+Enter saves the form).
pub fn multiline_row(
    ui: &mut Ui,
    label_text: &str,
    value: &mut String,
    err: Option<&str>,
) -> Response {
    row(ui, label_text, err, |ui, label_id| {
        multiline(ui, value, 3).labelled_by(label_id)
    })
}

/// A multi-line field that tells the form when it has focus.
pub fn multiline(ui: &mut Ui, value: &mut String, rows: usize) -> Response {
    let r = ui.add(
        TextEdit::multiline(value)
            .desired_width(FIELD_WIDTH)
            .desired_rows(rows),
    );
    if r.has_focus() {
        let pass = ui.ctx().cumulative_pass_nr();
        ui.ctx()
            .data_mut(|d| d.insert_temp(multiline_focus_id(), pass));
    }
    r
}

/// A checkbox row (its own text names it).
pub fn check_row(ui: &mut Ui, label_text: &str, text: &str, value: &mut bool) -> Response {
    label(ui, label_text);
    // The checkbox's own text names it.
    let r = ui.checkbox(value, text);
    ui.end_row();
    r
}

/// Problems of fields a form does not show next to an input (e.g. references).
pub fn other_problems(ui: &mut Ui, p: &Problems, shown: &[&str]) {
    for e in p.0.iter().filter(|e| !shown.contains(&e.field)) {
        ui.label(RichText::new(&e.message).color(error_color(ui)));
    }
}

/// A search box with a visible label (type-ahead filter of a list).
pub fn search_box(
    ui: &mut Ui,
    id_salt: &str,
    value: &mut String,
    hint: &str,
    focus: &mut bool,
) -> Response {
    let l = ui.label(tr!("filter-search"));
    let r = ui
        .add(
            TextEdit::singleline(value)
                .id_salt(id_salt)
                .desired_width(190.0)
                .hint_text(hint.to_string()),
        )
        .labelled_by(l.id);
    if std::mem::take(focus) {
        r.request_focus();
    }
    r
}
