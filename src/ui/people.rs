//! Persone: every registered person in a virtualized, sortable table with search as you
//! type (in memory: no database read per keystroke), municipio and archive filters.

use super::data::{Needle, PersonRow};
use super::list;
use super::table::{Col, ListState, col, sort_by};
use super::{Env, OpenForm, Route};
use crate::domain::EntityKind;
use crate::tr;
use egui::{RichText, Ui};
use std::cmp::Ordering;

const COLS: [Col; 7] = [
    col("people-col-surname", 150.0),
    col("people-col-name", 130.0),
    col("people-col-birth", 110.0),
    col("people-col-cf", 160.0),
    col("people-col-phone", 130.0),
    col("people-col-municipio", 80.0),
    // Not sortable: households are ordered by name only in the Famiglie list.
    Col {
        key: "people-col-household",
        width: 160.0,
        sortable: false,
    },
];

fn cmp_ci(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

/// Compares two people on a column.
fn compare(col: usize, a: &PersonRow, b: &PersonRow) -> Ordering {
    match col {
        0 => a.key.cmp(&b.key),
        1 => cmp_ci(&a.name, &b.name).then_with(|| a.key.cmp(&b.key)),
        2 => {
            let k = |r: &PersonRow| match r.birth {
                crate::domain::BirthDate::Unknown => (i32::MAX, 0),
                crate::domain::BirthDate::Year(y) => (y, 0),
                crate::domain::BirthDate::Exact(d) => {
                    (chrono::Datelike::year(&d), chrono::Datelike::ordinal(&d))
                }
            };
            k(a).cmp(&k(b)).then_with(|| a.key.cmp(&b.key))
        }
        3 => a.cf.cmp(&b.cf),
        4 => a.phone.cmp(&b.phone),
        5 => a
            .municipio
            .cmp(&b.municipio)
            .then_with(|| a.key.cmp(&b.key)),
        _ => a
            .household
            .cmp(&b.household)
            .then_with(|| a.key.cmp(&b.key)),
    }
}

/// The Persone screen.
#[derive(Default)]
pub struct PeopleScreen {
    search: String,
    municipio: Option<u8>,
    archived: bool,
    list: ListState,
    /// Every row sorted by the current sort (filters then keep this order).
    sorted: Vec<u32>,
    sorted_for: Option<(u64, usize, super::table::Sort)>,
    /// The sorted rows that pass the archive and municipio filters.
    base: Vec<u32>,
    base_for: Option<(Option<u8>, bool)>,
    filtered_for: Option<Needle>,
}

impl PeopleScreen {
    /// Recomputes the visible rows when the data, the sort or the filters changed.
    ///
    /// Three stages, each redone only when its inputs change: every row sorted (on a sort
    /// click or a write), the rows passing the archive and municipio filters (on a filter
    /// change), and the search (on a keystroke: one scan of the name index, then a pass
    /// over the already filtered positions — no row is touched).
    fn refresh(&mut self, env: &Env) {
        let people = &env.data.people;
        let key = (
            env.revision(EntityKind::Person),
            people.len(),
            self.list.sort,
        );
        if self.sorted_for != Some(key) {
            let mut all: Vec<u32> = (0..people.len() as u32).collect();
            let sort = self.list.sort;
            sort_by(&mut all, people.rows(), sort.asc, |a, b| {
                compare(sort.col, a, b)
            });
            self.sorted = all;
            self.sorted_for = Some(key);
            self.base_for = None;
        }
        let bkey = (self.municipio, self.archived);
        if self.base_for != Some(bkey) {
            let (municipio, archived) = bkey;
            self.base = self
                .sorted
                .iter()
                .copied()
                .filter(|&i| {
                    let r = people.row(i);
                    (archived || !r.archived) && municipio.is_none_or(|m| r.municipio == Some(m))
                })
                .collect();
            self.base_for = Some(bkey);
            self.filtered_for = None;
        }
        let needle = Needle::new(&self.search);
        if self.filtered_for.as_ref() == Some(&needle) {
            return;
        }
        let order = if needle.is_empty() {
            self.base.clone()
        } else {
            let mask = people.mask(&needle);
            self.base
                .iter()
                .copied()
                .filter(|&i| mask[i as usize])
                .collect()
        };
        self.list.set_order(order);
        self.filtered_for = Some(needle);
    }

    /// Rows shown and people registered.
    pub fn shown(&self, env: &Env) -> (usize, usize) {
        (self.list.order.len(), env.data.people.len())
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        if list::header(
            ui,
            "nav-people",
            "people-new",
            Some("people-new-hint"),
            |_| {},
        ) {
            env.open = Some(OpenForm::NewPerson(self.search.trim().to_string()));
        }
        let mut search_focused = false;
        ui.horizontal(|ui| {
            search_focused = list::search(
                ui,
                "people-search",
                &mut self.search,
                "people-search-hint",
                &mut env.focus_search,
            );
            let municipi = (1..=9u8).map(|m| (m, m.to_string()));
            list::filter(
                ui,
                "people-col-municipio",
                "people-municipio",
                &mut self.municipio,
                municipi,
                70.0,
            );
            ui.checkbox(&mut self.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        ui.label(
            RichText::new(tr!(
                "people-count",
                shown = self.list.order.len() as i64,
                total = env.data.people.len() as i64
            ))
            .weak(),
        );
        let keys = env.list_keys(ui, search_focused);
        let data = &env.data;
        let open = self.list.ui(ui, keys, "people-table", &COLS, |ui, i, c| {
            let r = data.people.row(i);
            match c {
                0 => {
                    if r.archived {
                        ui.label(
                            RichText::new(format!("{} ({})", r.surname, tr!("archived-mark")))
                                .weak(),
                        );
                    } else {
                        ui.label(&r.surname);
                    }
                }
                1 => {
                    ui.label(&r.name);
                }
                2 => {
                    ui.label(r.birth.display());
                }
                3 => {
                    ui.label(&r.cf);
                }
                4 => {
                    ui.label(&r.phone);
                }
                5 => {
                    ui.label(r.municipio.map(|m| m.to_string()).unwrap_or_default());
                }
                _ => {
                    if let Some(h) = r.household.and_then(|h| data.households.get(h)) {
                        ui.label(&h.name);
                    }
                }
            }
        });
        if let Some(i) = open {
            env.goto(Route::Person(env.data.people.row(i).id));
        }
    }
}
