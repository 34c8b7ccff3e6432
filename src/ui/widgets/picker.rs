//! The find-as-you-type picker of people and households.

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
