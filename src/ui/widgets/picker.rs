//! The find-as-you-type picker of people and households: the list under the field in a
//! form, or a drop-down over the screen in the top bar (Trova). People are told apart by
//! birth date and codice fiscale, households by address, members and reference person.

use super::FIELD_WIDTH;
use crate::domain::*;
use crate::tr;
use crate::ui::data::Data;
use egui::{Id as EId, Key, Modifiers, RichText, TextEdit, Ui};

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
    /// Results in a drop-down over the screen instead of a list under the field.
    dropdown: bool,
    /// The drop-down is shown (while typing; closed by Esc, a choice or a click elsewhere).
    open: bool,
    /// The highlighted row moved: bring it into view.
    scroll: bool,
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
            dropdown: false,
            open: false,
            scroll: false,
        }
    }

    /// Shows the results in a drop-down under the field, over whatever is below it (the
    /// top bar's search: a list in the bar's row would push its other controls away).
    pub fn dropdown(mut self) -> Self {
        self.dropdown = true;
        self
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

    /// How a subject is described in the list: a person with birth date and codice fiscale
    /// (namesakes apart), a household with address, members and reference person.
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
            Subject::Household(id) => {
                let mut t = data.subject_name(s);
                let Some(h) = data.households.get(id) else {
                    return t;
                };
                if !h.address.is_empty() {
                    t.push_str(&format!(" — {}", h.address));
                }
                let members = data.households.members(id);
                t.push_str(&format!(
                    " — {}",
                    tr!("picker-members", count = members.len() as i64)
                ));
                if let Some(r) = data.reference_person(id) {
                    t.push_str(&format!(
                        " — {}",
                        tr!("picker-reference", name = data.people.name(r))
                    ));
                }
                t
            }
        }
    }

    /// Shows the picker; `label_id` is the visible label that names its field.
    pub fn ui(&mut self, ui: &mut Ui, data: &Data, label_id: EId) -> Picked {
        let mut out = Picked::Nothing;
        if let Some(s) = self.selected {
            // Wrapped: a long description stays inside the form, "Cambia" in reach.
            ui.horizontal_wrapped(|ui| {
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
                    self.scroll = true;
                    self.open = true;
                }
                if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                    self.highlight = self.highlight.saturating_sub(1);
                    self.scroll = true;
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
        if r.changed() || r.gained_focus() {
            self.open = true;
        }
        if self.query.trim().is_empty() {
            return out;
        }
        let list: Vec<Subject> = self.suggestions(data).to_vec();
        let mut choose = None;
        if self.dropdown {
            self.dropdown_ui(ui, data, &r, enter, &list, &mut choose, &mut out);
        } else {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                // As wide as the field above it.
                ui.set_width(r.rect.width().max(FIELD_WIDTH) - 16.0);
                self.rows_ui(ui, data, enter, &list, &mut choose, &mut out);
            });
        }
        if let Some(s) = choose {
            self.selected = Some(s);
            self.query.clear();
            self.open = false;
            out = Picked::Chosen(s);
        }
        out
    }

    /// The results, one selectable row each, then "new person" when offered.
    fn rows_ui(
        &mut self,
        ui: &mut Ui,
        data: &Data,
        enter: bool,
        list: &[Subject],
        choose: &mut Option<Subject>,
        out: &mut Picked,
    ) {
        if list.is_empty() {
            ui.weak(tr!("picker-none"));
        }
        for (i, s) in list.iter().enumerate() {
            let text = Self::describe(data, *s);
            let r = ui.selectable_label(i == self.highlight, text);
            if i == self.highlight && self.scroll {
                r.scroll_to_me(None);
                self.scroll = false;
            }
            if r.clicked() || (enter && i == self.highlight) {
                *choose = Some(*s);
            }
        }
        if self.allow_new {
            let i = list.len();
            let text = tr!("picker-new", name = self.query.trim().to_string());
            if ui.selectable_label(i == self.highlight, text).clicked()
                || (enter && i == self.highlight)
            {
                *out = Picked::CreateNew(self.query.trim().to_string());
            }
        }
    }

    /// The results in a drop-down under the field `field`, over the rest of the window.
    #[allow(clippy::too_many_arguments)]
    fn dropdown_ui(
        &mut self,
        ui: &mut Ui,
        data: &Data,
        field: &egui::Response,
        enter: bool,
        list: &[Subject],
        choose: &mut Option<Subject>,
        out: &mut Picked,
    ) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.key_pressed(Key::Escape)) {
            self.open = false;
        }
        if !self.open {
            return;
        }
        let area_id = field.id.with("dropdown");
        let area = egui::Area::new(area_id)
            .order(egui::Order::Foreground)
            .fixed_pos(field.rect.left_bottom() + egui::vec2(0.0, 2.0))
            .show(&ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_width(DROPDOWN_WIDTH);
                    // At most 8 people and 4 households: no scrolling needed. Rows as wide
                    // as the list: a click anywhere on a row chooses it.
                    ui.with_layout(egui::Layout::top_down_justified(egui::Align::Min), |ui| {
                        self.rows_ui(ui, data, enter, list, choose, out)
                    });
                });
            });
        // A click anywhere but on the field or the list closes it (the query stays).
        let clicked_outside = ctx.input(|i| {
            i.pointer.any_pressed()
                && i.pointer
                    .interact_pos()
                    .is_some_and(|p| !area.response.rect.contains(p) && !field.rect.contains(p))
        });
        if clicked_outside {
            self.open = false;
        }
    }
}

/// Width of the top bar's drop-down: room for a name, a birth date and a codice fiscale.
const DROPDOWN_WIDTH: f32 = 560.0;
