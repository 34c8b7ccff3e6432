//! *Possibili doppioni*: pairs of people who may be the same person, best first, each with
//! "Unisci…" (the person-merge screen); the person merges that can still be undone.

use super::PersonMergeScreen;
use crate::domain::*;
use crate::store::merge::Candidate;
use crate::store::merge::PERSON_MERGE_PERMISSIONS;
use crate::store::merge::people::{UndoablePersonMerge, undo_person_merge_as, undoable};
use crate::store::{Store, StoreError};
use crate::tr;
use crate::ui::Env;
use std::collections::HashMap;

/// One row of the list.
struct Row {
    pair: Candidate,
    first: String,
    second: String,
}

/// The *Possibili doppioni* screen.
#[derive(Default)]
pub struct DuplicatesScreen {
    rows: Option<Vec<Row>>,
    recent: Option<Vec<UndoablePersonMerge>>,
    merging: Option<PersonMergeScreen>,
    changed: bool,
}

fn describe(p: &Person) -> String {
    let mut s = format!("{} {}", p.surname, p.name);
    let born = p.birth.display();
    if !born.is_empty() {
        s.push_str(&format!(", {born}"));
    }
    if let Some(cf) = &p.codice_fiscale {
        s.push_str(&format!(", {cf}"));
    }
    s
}

impl DuplicatesScreen {
    /// True once after a person merge or undo changed the database.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// Shows these pairs (those a desk merge just found), replacing the list — for an
    /// account that may see them ([`PERSON_MERGE_PERMISSIONS`]).
    pub fn show(&mut self, env: &Env, pairs: &[Candidate]) {
        if allowed(env) {
            self.rows = Some(Self::rows(&env.store, pairs));
        }
    }

    fn rows(store: &Store, pairs: &[Candidate]) -> Vec<Row> {
        let people: HashMap<Id, Person> = store
            .read()
            .and_then(|r| r.all::<Person>())
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        pairs
            .iter()
            .filter_map(|c| {
                Some(Row {
                    first: describe(people.get(&c.a)?),
                    second: describe(people.get(&c.b)?),
                    pair: c.clone(),
                })
            })
            .collect()
    }

    fn reload(&mut self, env: &mut Env) {
        let Some(session) = env.session.clone() else {
            return;
        };
        match env.store.duplicate_candidates_as(&session) {
            Ok(c) => self.rows = Some(Self::rows(&env.store, &c)),
            Err(e) => env.fail(e.to_string()),
        }
        self.recent = undoable(&env.store).ok();
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) {
        if let Some(m) = &mut self.merging {
            if m.ui(ui, env) {
                if m.merged() {
                    self.changed = true;
                    self.reload(env);
                }
                self.merging = None;
            }
            return;
        }
        ui.heading(tr!("dup-title"));
        if !allowed(env) {
            // The store refuses too (`duplicate_candidates_as`, `merge_people_as`).
            ui.weak(tr!("dup-needs-permission"));
            return;
        }
        ui.label(tr!("dup-explain"));
        if ui.button(tr!("dup-search")).clicked() {
            self.reload(env);
        }
        if self.recent.is_none() {
            self.recent = undoable(&env.store).ok();
        }
        let Some(rows) = &self.rows else {
            self.recent_ui(ui, env);
            return;
        };
        if rows.is_empty() {
            ui.label(tr!("dup-none"));
        } else {
            let mut open = None;
            egui::Grid::new("duplicates")
                .num_columns(5)
                .striped(true)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for h in ["dup-first", "dup-second", "dup-score", "dup-reasons", ""] {
                        ui.label(
                            egui::RichText::new(if h.is_empty() { String::new() } else { tr!(h) })
                                .strong(),
                        );
                    }
                    ui.end_row();
                    for (i, r) in rows.iter().enumerate() {
                        ui.label(&r.first);
                        ui.label(&r.second);
                        ui.label(r.pair.score.to_string());
                        ui.label(r.pair.reasons_text());
                        if ui
                            .add(egui::Button::new(tr!("dup-merge")))
                            .on_hover_text(format!("{} ↔ {}", r.first, r.second))
                            .clicked()
                        {
                            open = Some(i);
                        }
                        ui.end_row();
                    }
                });
            if let Some(i) = open {
                let pair = &rows[i].pair;
                match PersonMergeScreen::open(&env.store, pair.a, pair.b) {
                    Ok(s) => self.merging = Some(s),
                    Err(e) => env.fail(e.to_string()),
                }
            }
        }
        self.recent_ui(ui, env);
    }

    fn recent_ui(&mut self, ui: &mut egui::Ui, env: &mut Env) {
        let Some(recent) = &self.recent else {
            return;
        };
        if recent.is_empty() {
            return;
        }
        ui.add_space(8.0);
        ui.label(egui::RichText::new(tr!("dup-recent")).strong());
        let mut undo = None;
        for m in recent {
            ui.horizontal(|ui| {
                ui.label(m.at.format("%d/%m/%Y %H:%M").to_string());
                if ui
                    .button(tr!("dup-undo", name = m.other_name.clone()))
                    .clicked()
                {
                    undo = Some(m.other);
                }
            });
        }
        if let Some(other) = undo {
            let result = match env.session.clone() {
                Some(s) => undo_person_merge_as(&env.store, &s, other),
                None => Err(StoreError::Denied(tr!("dup-needs-permission"))),
            };
            match result {
                Ok(()) => {
                    env.notify(tr!("dup-undone"));
                    self.changed = true;
                    self.reload(env);
                }
                Err(e) => env.fail(e.to_string()),
            }
        }
    }
}

/// True when the signed-in account may list possible duplicates and merge people.
pub fn allowed(env: &Env) -> bool {
    PERSON_MERGE_PERMISSIONS.iter().all(|p| env.may(*p))
}
