//! Shared form widgets: labelled fields with their inline problem, dates typed or picked,
//! choices from the catalogue, and the find-as-you-type picker of people and households.
//! Every input is tied to its visible label for screen readers (and kittest).

use super::data::Data;
use crate::domain::time::{fmt_date, parse_date, today};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDate};
use egui::{Color32, Id as EId, Key, Modifiers, Response, RichText, TextEdit, Ui};

/// Width of text fields in forms.
pub const FIELD_WIDTH: f32 = 320.0;

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
    let l = label(ui, label_text);
    let r = ui
        .vertical(|ui| {
            let mut edit = TextEdit::singleline(value).desired_width(FIELD_WIDTH);
            if !hint.is_empty() {
                edit = edit.hint_text(hint.to_string());
            }
            let r = ui.add(edit).labelled_by(l.id);
            problem(ui, err);
            r
        })
        .inner;
    ui.end_row();
    r
}

/// A multi-line text row (Enter makes a new line there; Ctrl+Enter saves the form).
pub fn multiline_row(
    ui: &mut Ui,
    label_text: &str,
    value: &mut String,
    err: Option<&str>,
) -> Response {
    let l = label(ui, label_text);
    let r = ui
        .vertical(|ui| {
            let r = multiline(ui, value, 3).labelled_by(l.id);
            problem(ui, err);
            r
        })
        .inner;
    ui.end_row();
    r
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

fn to_jiff(d: NaiveDate) -> jiff::civil::Date {
    jiff::civil::Date::new(d.year() as i16, d.month() as i8, d.day() as i8)
        .unwrap_or_else(|_| jiff::civil::date(2000, 1, 1))
}

fn from_jiff(d: jiff::civil::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year() as i32, d.month() as u32, d.day() as u32)
}

/// A date typed as gg/mm/aaaa, with a calendar button next to it.
pub fn date_edit(ui: &mut Ui, salt: &str, value: &mut String, label_id: EId) -> Response {
    ui.horizontal(|ui| {
        let r = ui
            .add(
                TextEdit::singleline(value)
                    .desired_width(110.0)
                    .hint_text("gg/mm/aaaa"),
            )
            .labelled_by(label_id);
        let mut d = to_jiff(parse_date(value).unwrap_or_else(today));
        let before = d;
        ui.add(
            egui_extras::DatePickerButton::new(&mut d)
                .id_salt(salt)
                .format("")
                .calendar_week(false)
                // Its year/month/day combo boxes have no accessible name: use the arrows.
                .combo_boxes(false),
        )
        .on_hover_text(tr!("date-pick"));
        if d != before
            && let Some(n) = from_jiff(d)
        {
            *value = fmt_date(n);
        }
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
    let l = label(ui, label_text);
    let r = ui
        .vertical(|ui| {
            let r = date_edit(ui, salt, value, l.id);
            problem(ui, err);
            r
        })
        .inner;
    ui.end_row();
    r
}

/// Parses a required date field, recording a problem when it is empty or malformed.
pub fn need_date(p: &mut Problems, field: &'static str, text: &str) -> NaiveDate {
    match parse_date(text) {
        Some(d) => d,
        None => {
            if text.trim().is_empty() {
                p.add(field, "La data è obbligatoria (gg/mm/aaaa)");
            } else {
                p.add(field, "Data non valida: scrivila come gg/mm/aaaa");
            }
            today()
        }
    }
}

/// Parses an optional date field.
pub fn opt_date(p: &mut Problems, field: &'static str, text: &str) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        None
    } else {
        match parse_date(text) {
            Some(d) => Some(d),
            None => {
                p.add(field, "Data non valida: scrivila come gg/mm/aaaa");
                None
            }
        }
    }
}

/// Parses a whole number field.
pub fn number<T: std::str::FromStr + Default>(
    p: &mut Problems,
    field: &'static str,
    text: &str,
) -> T {
    let t = text.trim();
    if t.is_empty() {
        return T::default();
    }
    match t.parse() {
        Ok(v) => v,
        Err(_) => {
            p.add(field, "Scrivi un numero intero");
            T::default()
        }
    }
}

/// Parses hours written as `2`, `1,5`, `1.5` or `1:30` into minutes.
pub fn parse_hours(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some((h, m)) = t.split_once(':') {
        let h: u32 = h.trim().parse().ok()?;
        let m: u32 = m.trim().parse().ok()?;
        return (m < 60).then_some(h * 60 + m);
    }
    let v: f64 = t.replace(',', ".").parse().ok()?;
    (v.is_finite() && (0.0..100_000.0).contains(&v)).then(|| (v * 60.0).round() as u32)
}

/// Minutes as `h:mm` (`h` alone for whole hours).
pub fn fmt_hours(minutes: u64) -> String {
    if minutes.is_multiple_of(60) {
        (minutes / 60).to_string()
    } else {
        format!("{}:{:02}", minutes / 60, minutes % 60)
    }
}

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

/// Problems of fields a form does not show next to an input (e.g. references).
pub fn other_problems(ui: &mut Ui, p: &Problems, shown: &[&str]) {
    for e in p.0.iter().filter(|e| !shown.contains(&e.field)) {
        ui.label(RichText::new(&e.message).color(error_color(ui)));
    }
}

/// What a picker reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// Nothing new.
    Nothing,
    /// A person or household was chosen.
    Chosen(Subject),
    /// The operator asked to register a new person with what was typed.
    CreateNew(String),
    /// The choice was removed.
    Cleared,
}

/// Find-as-you-type over people (and households): type a few letters, move with ↑/↓,
/// Enter or click chooses. Optionally offers "new person" with what was typed.
#[derive(Debug, Clone)]
pub struct SubjectPicker {
    /// What is typed.
    pub query: String,
    /// What is chosen.
    pub selected: Option<Subject>,
    /// Offer people.
    pub people: bool,
    /// Offer households.
    pub households: bool,
    /// Offer "new person".
    pub allow_new: bool,
    /// Salt for ids.
    salt: String,
    highlight: usize,
    cached_query: Option<String>,
    cached: Vec<Subject>,
    focus_next: bool,
}

impl SubjectPicker {
    /// A picker of people (and households when `households`).
    pub fn new(salt: &str, households: bool) -> Self {
        SubjectPicker {
            query: String::new(),
            selected: None,
            people: true,
            households,
            allow_new: false,
            salt: salt.to_string(),
            highlight: 0,
            cached_query: None,
            cached: vec![],
            focus_next: false,
        }
    }

    /// A picker of households only.
    pub fn households_only(salt: &str) -> Self {
        let mut p = Self::new(salt, true);
        p.people = false;
        p
    }

    /// Starts with a choice.
    pub fn with(mut self, s: Option<Subject>) -> Self {
        self.selected = s;
        self
    }

    /// Offers "new person".
    pub fn allow_new(mut self) -> Self {
        self.allow_new = true;
        self
    }

    /// Asks for keyboard focus on the next frame.
    pub fn focus(&mut self) {
        self.focus_next = true;
    }

    fn suggestions(&mut self, data: &Data) -> &[Subject] {
        if self.cached_query.as_deref() != Some(self.query.as_str()) {
            let mut out = Vec::new();
            if self.people {
                out.extend(
                    data.people
                        .suggest(&self.query, 8, false)
                        .into_iter()
                        .map(|i| Subject::Person(data.people.row(i).id)),
                );
            }
            if self.households {
                out.extend(
                    data.households
                        .suggest(&self.query, 4)
                        .into_iter()
                        .map(|i| Subject::Household(data.households.rows()[i as usize].id)),
                );
            }
            self.cached = out;
            self.cached_query = Some(self.query.clone());
            self.highlight = 0;
        }
        &self.cached
    }

    /// How a subject is described in the list.
    pub fn describe(data: &Data, s: Subject) -> String {
        match s {
            Subject::Person(id) => match data.people.get(id) {
                Some(p) => {
                    let mut t = p.full_name();
                    let b = p.birth.display();
                    if !b.is_empty() {
                        t.push_str(&format!(" — {b}"));
                    }
                    if !p.cf.is_empty() {
                        t.push_str(&format!(" — {}", p.cf));
                    }
                    t
                }
                None => data.people.name(id),
            },
            Subject::Household(_) => data.subject_name(s),
        }
    }

    /// Shows the picker; `label_id` is the visible label that names its field.
    pub fn ui(&mut self, ui: &mut Ui, data: &Data, label_id: EId) -> Picked {
        let mut out = Picked::Nothing;
        if let Some(s) = self.selected {
            ui.horizontal(|ui| {
                ui.label(RichText::new(Self::describe(data, s)).strong());
                if ui
                    .small_button(tr!("picker-change"))
                    .on_hover_text(tr!("picker-change-hint"))
                    .clicked()
                {
                    self.selected = None;
                    self.focus_next = true;
                    out = Picked::Cleared;
                }
            });
            return out;
        }
        let edit_id = ui.make_persistent_id(("picker", &self.salt));
        let focused = ui.memory(|m| m.has_focus(edit_id));
        let n = self.suggestions(data).len()
            + usize::from(self.allow_new && !self.query.trim().is_empty());
        if focused && n > 0 {
            ui.input_mut(|i| {
                if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
                    self.highlight = (self.highlight + 1).min(n - 1);
                }
                if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                    self.highlight = self.highlight.saturating_sub(1);
                }
            });
        }
        let enter =
            focused && n > 0 && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
        let hint = match (self.people, self.households) {
            (true, true) => tr!("picker-hint-subject"),
            (false, true) => tr!("picker-hint-household"),
            _ => tr!("picker-hint-person"),
        };
        let r = ui
            .add(
                TextEdit::singleline(&mut self.query)
                    .id(edit_id)
                    .desired_width(FIELD_WIDTH)
                    .hint_text(hint),
            )
            .labelled_by(label_id);
        if self.focus_next {
            r.request_focus();
            self.focus_next = false;
        }
        if self.query.trim().is_empty() {
            return out;
        }
        let list: Vec<Subject> = self.suggestions(data).to_vec();
        let mut choose = None;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(FIELD_WIDTH - 12.0);
            if list.is_empty() {
                ui.weak(tr!("picker-none"));
            }
            for (i, s) in list.iter().enumerate() {
                let text = Self::describe(data, *s);
                if ui.selectable_label(i == self.highlight, text).clicked()
                    || (enter && i == self.highlight)
                {
                    choose = Some(*s);
                }
            }
            if self.allow_new {
                let i = list.len();
                let text = tr!("picker-new", name = self.query.trim().to_string());
                if ui.selectable_label(i == self.highlight, text).clicked()
                    || (enter && i == self.highlight)
                {
                    out = Picked::CreateNew(self.query.trim().to_string());
                }
            }
        });
        if let Some(s) = choose {
            self.selected = Some(s);
            self.query.clear();
            out = Picked::Chosen(s);
        }
        out
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hours() {
        assert_eq!(parse_hours("3"), Some(180));
        assert_eq!(parse_hours("2,5"), Some(150));
        assert_eq!(parse_hours(" 1.25 "), Some(75));
        assert_eq!(parse_hours("1:30"), Some(90));
        assert_eq!(parse_hours("1:75"), None);
        assert_eq!(parse_hours("-2"), None);
        assert_eq!(parse_hours("tre"), None);
        assert_eq!(fmt_hours(90), "1:30");
        assert_eq!(fmt_hours(120), "2");
    }

    proptest! {
        #[test]
        fn parse_hours_never_panics(s in "\\PC{0,12}") {
            let _ = parse_hours(&s);
        }

        #[test]
        fn hours_round_trip(m in 0u64..100_000) {
            prop_assert_eq!(parse_hours(&fmt_hours(m)).map(u64::from), Some(m));
        }

        #[test]
        fn numbers_never_panic(s in "\\PC{0,12}") {
            let mut p = Problems::default();
            let _: u16 = number(&mut p, "x", &s);
            let _ = opt_date(&mut p, "d", &s);
            let _ = need_date(&mut p, "d", &s);
        }
    }
}
