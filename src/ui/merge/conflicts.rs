//! The conflict screen: each field changed differently at the two desks, side by side,
//! with a choice per field (keep this desk's, take the other's, keep both where it makes
//! sense). Nothing is decided for the operator.

use crate::domain::*;
use crate::store::Store;
use crate::store::merge::fields::display_value;
use crate::store::merge::{Choice, Conflict};
use crate::tr;
use crate::ui::Env;
use std::collections::HashMap;

/// The conflicts of a merge and the operator's choices.
pub struct ConflictScreen {
    conflicts: Vec<Conflict>,
    /// What each record is, for people ("Rossi Mario", "accesso del 03/04/2024 …").
    names: Vec<String>,
}

/// The Italian label of a record's field.
pub fn field_label(field: &str) -> String {
    let known = crate::store::merge::people::PERSON_FIELDS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, l)| l.to_string());
    known.unwrap_or_else(|| {
        match field {
            "minutes" => "Durata",
            "at" => "Data e ora",
            "subject" => "Persona o nucleo",
            "line" => "Linea di servizio",
            "desk" => "Sportello",
            "operator" => "Operatore",
            "kind" => "Tipo",
            "measure" => "Misura",
            "confidential" => "Riservato",
            "code" => "Codice",
            "need" => "Bisogno",
            "plan" => "Piano",
            "outcome" => "Esito",
            "status" => "Stato",
            "closed" => "Chiusa il",
            "opened" => "Aperta il",
            "start" => "Inizio",
            "end" => "Fine",
            "reason" => "Motivo",
            "participants" => "Partecipanti",
            "sessions" => "Incontri",
            "edition" => "Edizione",
            other => other,
        }
        .to_string()
    })
}

fn describe(store: &Store, kind: EntityKind, id: Id) -> String {
    let Ok(r) = store.read() else {
        return format!("{} {}", kind.label(), id.short());
    };
    let what = match kind {
        EntityKind::Person => r
            .get::<Person>(id)
            .ok()
            .flatten()
            .map(|p| format!("{} {}", p.surname, p.name)),
        EntityKind::Household => r.get::<Household>(id).ok().flatten().map(|h| h.name),
        EntityKind::Contact => r
            .get::<Contact>(id)
            .ok()
            .flatten()
            .map(|c| c.at.format("%d/%m/%Y %H:%M").to_string()),
        _ => None,
    };
    match what {
        Some(w) => format!("{} {w}", kind.label()),
        None => format!("{} {}", kind.label(), id.short()),
    }
}

impl ConflictScreen {
    /// The screen for these conflicts (none decided yet).
    pub fn new(store: &Store, mut conflicts: Vec<Conflict>) -> Self {
        for c in &mut conflicts {
            c.choice = None;
        }
        let mut cache: HashMap<Id, String> = HashMap::new();
        let names = conflicts
            .iter()
            .map(|c| {
                cache
                    .entry(c.id)
                    .or_insert_with(|| describe(store, c.kind, c.id))
                    .clone()
            })
            .collect();
        ConflictScreen { conflicts, names }
    }

    /// No conflicts at all.
    pub fn is_empty(&self) -> bool {
        self.conflicts.is_empty()
    }

    /// Every conflict has a choice.
    pub fn all_decided(&self) -> bool {
        self.conflicts.iter().all(|c| c.choice.is_some())
    }

    /// The choices, as the merge takes them.
    pub fn decisions(&self) -> HashMap<(Id, String), Choice> {
        self.conflicts
            .iter()
            .filter_map(|c| c.choice.map(|ch| ((c.id, c.field.clone()), ch)))
            .collect()
    }

    /// Shows the conflicts side by side with a choice per field.
    pub fn ui(&mut self, ui: &mut egui::Ui, _env: &mut Env) {
        ui.label(egui::RichText::new(tr!("merge-conflicts-title")).strong());
        let left = self.conflicts.iter().filter(|c| c.choice.is_none()).count();
        if left > 0 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tr!("merge-conflicts-left", n = left),
            );
        }
        ui.horizontal(|ui| {
            if ui.button(tr!("merge-all-here")).clicked() {
                for c in &mut self.conflicts {
                    c.choice = Some(Choice::Local);
                }
            }
            if ui.button(tr!("merge-all-there")).clicked() {
                for c in &mut self.conflicts {
                    c.choice = Some(Choice::Incoming);
                }
            }
        });
        egui::Grid::new("merge-conflicts")
            .num_columns(5)
            .striped(true)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                for h in [
                    "merge-record",
                    "merge-field",
                    "merge-here",
                    "merge-there",
                    "merge-choice",
                ] {
                    ui.label(egui::RichText::new(tr!(h)).strong());
                }
                ui.end_row();
                for (c, name) in self.conflicts.iter_mut().zip(&self.names) {
                    ui.label(name);
                    let field = field_label(&c.field);
                    ui.label(&field);
                    ui.label(display_value(&c.local));
                    ui.label(display_value(&c.incoming));
                    ui.horizontal(|ui| {
                        let mut pick = |ui: &mut egui::Ui, choice: Choice, key: &str| {
                            let text = format!("{}: {}", field, tr!(key));
                            if ui.radio(c.choice == Some(choice), text).clicked() {
                                c.choice = Some(choice);
                            }
                        };
                        pick(ui, Choice::Local, "merge-keep-here");
                        pick(ui, Choice::Incoming, "merge-take-there");
                        if c.both.is_some() {
                            pick(ui, Choice::Both, "merge-keep-both");
                        }
                    });
                    ui.end_row();
                }
            });
    }
}
