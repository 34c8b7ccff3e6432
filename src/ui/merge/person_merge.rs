//! The person-merge screen: two records of the same person side by side, one choice per
//! differing field (what the person who stays keeps), how many records move, and the
//! merge itself (undoable from *Possibili doppioni*).

use crate::domain::*;
use crate::store::merge::fields::display_value;
use crate::store::merge::merge_people_as;
use crate::store::merge::people::differing_fields;
use crate::store::{Store, StoreError};
use crate::tr;
use crate::ui::Env;
use std::collections::BTreeSet;

/// Two people about to be merged, and the operator's choices.
pub struct PersonMergeScreen {
    keep: Person,
    other: Person,
    /// Fields the person who stays takes from the other.
    take: BTreeSet<&'static str>,
    /// Records of the other person that move.
    linked: usize,
    merged: bool,
}

fn linked_count(store: &Store, id: Id) -> Result<usize, StoreError> {
    let r = store.read()?;
    let mut n = 0;
    for kind in [
        EntityKind::Contact,
        EntityKind::Case,
        EntityKind::Project,
        EntityKind::Referral,
        EntityKind::Activity,
    ] {
        n += r.ids_by_subject(kind, id)?.len();
    }
    Ok(n)
}

impl PersonMergeScreen {
    /// The screen for people `a` (stays, by default) and `b`.
    pub fn open(store: &Store, a: Id, b: Id) -> Result<Self, StoreError> {
        let r = store.read()?;
        let keep: Person = r.require(a)?;
        let other: Person = r.require(b)?;
        drop(r);
        let linked = linked_count(store, b)?;
        // What the other has and the one who stays lacks is taken by default.
        let take = differing_fields(&keep, &other)
            .into_iter()
            .filter(|(_, _, k, o)| {
                (k.is_null() || k.as_str() == Some("")) && !(o.is_null() || o.as_str() == Some(""))
            })
            .map(|(f, _, _, _)| f)
            .collect();
        Ok(PersonMergeScreen {
            keep,
            other,
            take,
            linked,
            merged: false,
        })
    }

    /// Whether the merge was made (the caller reloads).
    pub fn merged(&self) -> bool {
        self.merged
    }

    fn swap(&mut self, store: &Store) {
        std::mem::swap(&mut self.keep, &mut self.other);
        self.take.clear();
        self.linked = linked_count(store, self.other.id).unwrap_or(0);
    }

    /// Shows the screen; true when it is done (merged or closed).
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) -> bool {
        let mut done = false;
        ui.heading(tr!("pm-title"));
        ui.label(tr!("pm-explain"));
        ui.add_space(6.0);
        let diffs = differing_fields(&self.keep, &self.other);
        egui::Grid::new("person-merge")
            .num_columns(3)
            .striped(true)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                ui.label(egui::RichText::new(tr!("pm-field")).strong());
                ui.label(
                    egui::RichText::new(format!(
                        "{}: {} {}",
                        tr!("pm-keep"),
                        self.keep.surname,
                        self.keep.name
                    ))
                    .strong(),
                );
                ui.label(
                    egui::RichText::new(format!(
                        "{}: {} {}",
                        tr!("pm-other"),
                        self.other.surname,
                        self.other.name
                    ))
                    .strong(),
                );
                ui.end_row();
                for (field, label, k, o) in &diffs {
                    ui.label(*label);
                    let from_other = self.take.contains(field);
                    if ui
                        .radio(!from_other, format!("{label}: {}", display_value(k)))
                        .clicked()
                    {
                        self.take.remove(field);
                    }
                    if ui
                        .radio(from_other, format!("{label}: {}", display_value(o)))
                        .clicked()
                    {
                        self.take.insert(field);
                    }
                    ui.end_row();
                }
            });
        if diffs.is_empty() {
            ui.label(tr!("pm-same"));
        }
        ui.label(tr!("pm-linked", n = self.linked));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button(tr!("pm-go")).clicked() {
                let take: Vec<&str> = self.take.iter().copied().collect();
                let result = match env.session.clone() {
                    Some(s) => merge_people_as(&env.store, &s, self.keep.id, self.other.id, &take),
                    None => Err(StoreError::Denied(tr!("dup-needs-permission"))),
                };
                match result {
                    Ok(r) => {
                        let n: u64 = r.moved.values().sum();
                        env.notify(tr!("pm-done", n = n));
                        self.merged = true;
                        done = true;
                    }
                    Err(e) => env.fail(e.to_string()),
                }
            }
            if ui.button(tr!("pm-swap")).clicked() {
                self.swap(&env.store);
            }
            if ui.button(tr!("pm-close")).clicked() {
                done = true;
            }
        });
        done
    }
}
