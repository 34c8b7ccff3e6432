//! Choices among labelled values (combo boxes), and the options of the catalogue: lines,
//! desks, operators, measures, services, roles.

use super::{FIELD_WIDTH, label, problem};
use crate::domain::*;
use crate::ui::data::Data;
use egui::{Id as EId, Response, Ui};

/// A choice among labelled values, as a combo box tied to `label_id`.
pub fn choice<T: PartialEq + Clone>(
    ui: &mut Ui,
    salt: impl egui::AsIdSalt,
    label_id: EId,
    selected: &mut T,
    options: &[(T, String)],
    width: f32,
) -> Response {
    choice_unlabelled(ui, salt, selected, options, width).labelled_by(label_id)
}

/// A choice whose label is drawn after it (right-to-left bars): call `labelled_by` on the
/// response once the label exists.
pub fn choice_unlabelled<T: PartialEq + Clone>(
    ui: &mut Ui,
    salt: impl egui::AsIdSalt,
    selected: &mut T,
    options: &[(T, String)],
    width: f32,
) -> Response {
    let current = options
        .iter()
        .find(|(v, _)| v == selected)
        .map(|(_, s)| s.clone())
        .unwrap_or_else(|| "—".to_string());
    let mut changed = false;
    let mut r = egui::ComboBox::from_id_salt(salt)
        .selected_text(current)
        .width(width)
        .truncate()
        .show_ui(ui, |ui| {
            for (v, s) in options {
                if ui.selectable_label(v == selected, s.as_str()).clicked() {
                    *selected = v.clone();
                    changed = true;
                }
            }
        })
        .response;
    if changed {
        r.mark_changed();
    }
    r
}

/// A choice row of a form grid.
pub fn choice_row<T: PartialEq + Clone>(
    ui: &mut Ui,
    label_text: &str,
    selected: &mut T,
    options: &[(T, String)],
    err: Option<&str>,
) -> Response {
    let l = label(ui, label_text);
    let r = ui
        .vertical(|ui| {
            let r = choice(ui, label_text, l.id, selected, options, FIELD_WIDTH - 8.0);
            problem(ui, err);
            r
        })
        .inner;
    ui.end_row();
    r
}

/// Options for an optional catalogue reference: "—" then the entries.
pub fn with_none(options: Vec<(Id, String)>) -> Vec<(Option<Id>, String)> {
    let mut out = vec![(None, "—".to_string())];
    out.extend(options.into_iter().map(|(i, s)| (Some(i), s)));
    out
}

/// Active service lines, plus `keep` when it is archived (an old record keeps its line).
pub fn line_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    data.catalog
        .lines
        .iter()
        .filter(|l| !l.archived || Some(l.id) == keep)
        .map(|l| (l.id, l.name.clone()))
        .collect()
}

/// Active desks, plus `keep`.
pub fn desk_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    data.catalog
        .desks
        .iter()
        .filter(|l| !l.archived || Some(l.id) == keep)
        .map(|l| (l.id, l.name.clone()))
        .collect()
}

/// Active operators, plus `keep`.
pub fn operator_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    data.catalog
        .operators
        .iter()
        .filter(|o| (o.active && !o.archived) || Some(o.id) == keep)
        .map(|o| (o.id, o.display_name()))
        .collect()
}

/// Active measures, plus `keep`.
pub fn measure_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    data.catalog
        .measures
        .iter()
        .filter(|l| !l.archived || Some(l.id) == keep)
        .map(|l| (l.id, l.name.clone()))
        .collect()
}

/// Active territorial services, plus `keep`.
pub fn service_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    data.catalog
        .services
        .iter()
        .filter(|l| !l.archived || Some(l.id) == keep)
        .map(|l| (l.id, l.name.clone()))
        .collect()
}

/// Active roles, plus `keep`.
pub fn role_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    data.catalog
        .roles
        .iter()
        .filter(|l| !l.archived || Some(l.id) == keep)
        .map(|l| (l.id, l.name.clone()))
        .collect()
}
