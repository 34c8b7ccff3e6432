//! Choices among labelled values (combo boxes), and the options of the catalogue: lines,
//! desks, operators, measures, services, roles.

use super::{FIELD_WIDTH, row};
use crate::domain::time::today;
use crate::domain::*;
use crate::store::Entity;
use crate::tr;
use crate::ui::data::Data;
use chrono::Datelike;
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
    // A choice too long for the box is cut with "…": the whole text shows on hover.
    let cut = ui
        .painter()
        .layout_no_wrap(
            current.clone(),
            egui::TextStyle::Button.resolve(ui.style()),
            egui::Color32::PLACEHOLDER,
        )
        .size()
        .x
        > width - ui.spacing().icon_width - ui.spacing().button_padding.x * 2.0;
    let full = current.clone();
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
    if cut {
        r = r.on_hover_text(full);
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
    row(ui, label_text, err, |ui, label_id| {
        choice(
            ui,
            label_text,
            label_id,
            selected,
            options,
            FIELD_WIDTH - 8.0,
        )
    })
}

/// Options for an optional catalogue reference: "—" then the entries.
pub fn with_none(options: Vec<(Id, String)>) -> Vec<(Option<Id>, String)> {
    let mut out = vec![(None, "—".to_string())];
    out.extend(options.into_iter().map(|(i, s)| (Some(i), s)));
    out
}

/// Options of a list's filter: "Tutti" (no filter), then the values.
pub fn with_all<T>(options: impl IntoIterator<Item = (T, String)>) -> Vec<(Option<T>, String)> {
    let mut out = vec![(None, tr!("filter-all"))];
    out.extend(options.into_iter().map(|(v, s)| (Some(v), s)));
    out
}

/// The years a list can be filtered by: this year and the ten before it, latest first.
pub fn recent_years() -> impl Iterator<Item = (i32, String)> {
    let this = today().year();
    (this - 10..=this).rev().map(|y| (y, y.to_string()))
}

/// The entries not archived, plus `keep` even when archived, as (id, name).
fn active<E: Entity>(
    entries: &[E],
    keep: Option<Id>,
    name: impl Fn(&E) -> String,
) -> Vec<(Id, String)> {
    entries
        .iter()
        .filter(|e| !e.archived() || Some(e.id()) == keep)
        .map(|e| (e.id(), name(e)))
        .collect()
}

/// Active service lines, plus `keep` when it is archived (an old record keeps its line).
pub fn line_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    active(&data.catalog.lines, keep, |l| l.name.clone())
}

/// Active desks, plus `keep`.
pub fn desk_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    active(&data.catalog.desks, keep, |l| l.name.clone())
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
    active(&data.catalog.measures, keep, |l| l.name.clone())
}

/// Active territorial services, plus `keep`.
pub fn service_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    active(&data.catalog.services, keep, |l| l.name.clone())
}

/// Active roles, plus `keep`.
pub fn role_options(data: &Data, keep: Option<Id>) -> Vec<(Id, String)> {
    active(&data.catalog.roles, keep, |l| l.name.clone())
}
