//! Accessi: the contacts of a year in a virtualized table with filters, and the fast
//! front-desk entry (find or create the person in the same dialog, everything else
//! defaulted: today, this desk, this operator, the usual line). This file holds the list
//! screen; the dialog is in `form`, the person registered with it in `new_person`.

pub mod defaults;
mod form;
mod new_person;

pub use form::ContactForm;

use super::data::SubjectFilter;
use super::jobs::{Loader, Patched, stamp};
use super::list;
use super::table::{Col, ListState, cell, col, insert_sorted, sort_by};
use super::widgets;
use super::{Env, OpenForm, labels};
use crate::domain::time::{fmt_datetime, year_bounds};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDateTime};
use egui::Ui;
use std::cmp::Ordering;

/// What the list keeps of a contact (no notes: they stay in the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactRow {
    /// Identifier.
    pub id: Id,
    /// When.
    pub at: NaiveDateTime,
    /// Person or household.
    pub subject: Subject,
    /// Line.
    pub line: Id,
    /// Desk.
    pub desk: Id,
    /// Operator.
    pub operator: Id,
    /// Kind.
    pub kind: ContactKind,
    /// Measure.
    pub measure: Option<Id>,
    /// Minutes.
    pub minutes: u16,
    /// Archived.
    pub archived: bool,
}

impl super::jobs::Row for ContactRow {
    fn id(&self) -> Id {
        self.id
    }
}

impl ContactRow {
    fn of(c: &Contact) -> ContactRow {
        ContactRow {
            id: c.id,
            at: c.at,
            subject: c.subject,
            line: c.line,
            desk: c.desk,
            operator: c.operator,
            kind: c.kind,
            measure: c.measure,
            minutes: c.minutes,
            archived: c.archived,
        }
    }
}

const COLS: [Col; 8] = [
    col("contacts-col-date", 130.0),
    col("contacts-col-subject", 200.0),
    col("contacts-col-line", 220.0),
    col("contacts-col-kind", 130.0),
    col("contacts-col-measure", 140.0),
    col("contacts-col-desk", 130.0),
    col("contacts-col-operator", 130.0),
    col("contacts-col-minutes", 60.0),
];

/// The filters of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Filters {
    search: String,
    line: Option<Id>,
    desk: Option<Id>,
    operator: Option<Id>,
    kind: Option<ContactKind>,
    archived: bool,
}

/// The Accessi screen.
pub struct ContactsScreen {
    year: Option<i32>,
    years: Vec<i32>,
    years_for: Option<u64>,
    filters: Filters,
    loader: Loader<ContactRow>,
    list: ListState,
    /// Where each loaded contact's person or household is in memory (resolved once).
    subjects: Vec<u32>,
    /// Every loaded row in the current sort.
    sorted: Vec<u32>,
    sorted_for: Option<SortedKey>,
    /// The sorted rows passing the filters other than the search.
    base: Vec<u32>,
    base_for: Option<BaseKey>,
    searched_for: Option<String>,
    /// Rows the window's own writes changed since the stages were last brought up to date.
    patched: Vec<Patched>,
}

/// What the sorted order depends on: the loads of rows (not their patches), the people
/// and households in memory, the people's revision (names) and the sort.
type SortedKey = ((u64, usize, usize), u64, super::table::Sort);

type BaseKey = (
    Option<Id>,
    Option<Id>,
    Option<Id>,
    Option<ContactKind>,
    bool,
);

impl Default for ContactsScreen {
    fn default() -> Self {
        ContactsScreen {
            year: None,
            years: vec![],
            years_for: None,
            filters: Filters::default(),
            loader: Loader::default(),
            // Always filtered by year: an empty list means "none that year".
            list: ListState::sorted(super::table::Sort { col: 0, asc: false }).filtered(),
            subjects: vec![],
            sorted: vec![],
            sorted_for: None,
            base: vec![],
            base_for: None,
            searched_for: None,
            patched: vec![],
        }
    }
}

impl ContactsScreen {
    fn years(&mut self, env: &Env) {
        let rev = env.revision(EntityKind::Contact);
        if self.years_for == Some(rev) {
            return;
        }
        self.years_for = Some(rev);
        let span = env
            .store
            .read()
            .and_then(|r| r.date_span(EntityKind::Contact))
            .ok()
            .flatten();
        let this = env.store.clock().today().year();
        self.years = match span {
            Some((a, b)) => (a.year().min(this)..=b.year().max(this)).rev().collect(),
            None => vec![this],
        };
        if self.year.is_none() {
            // The current year when it has contacts, else the latest year with contacts.
            let this_has = env
                .read()
                .and_then(|r| {
                    let (from, to) = year_bounds(this);
                    r.count_by_date(EntityKind::Contact, from, to)
                })
                .is_ok_and(|n| n > 0);
            self.year = Some(match span {
                Some((_, b)) if !this_has => b.year(),
                _ => this,
            });
        }
    }

    /// After the contact form saved a contact of another year than the one shown, the list
    /// switches to that year. A desk operator who just logged a contact (often one from
    /// last December, entered in January) expects to see it in the list: a row that
    /// vanishes on save reads as a lost record. Switching keeps the filters; the year
    /// selector shows where the list went.
    fn follow_saved(&mut self, env: &mut Env) {
        if let Some(y) = env.saved_contact_year.take()
            && self.year != Some(y)
        {
            if !self.years.contains(&y) {
                self.years.push(y);
                self.years.sort_unstable_by(|a, b| b.cmp(a));
            }
            self.year = Some(y);
        }
    }

    /// The order of two contacts in a sort column (ties: by date and time).
    fn compare(env: &Env, col: usize, a: &ContactRow, b: &ContactRow) -> Ordering {
        let (data, cat) = (&env.data, &env.data.catalog);
        let o = match col {
            0 => Ordering::Equal,
            1 => SubjectFilter::key(data, a.subject).cmp(SubjectFilter::key(data, b.subject)),
            2 => cat.name(a.line).cmp(cat.name(b.line)),
            3 => (a.kind as u8).cmp(&(b.kind as u8)),
            4 => cat.name_opt(a.measure).cmp(cat.name_opt(b.measure)),
            5 => cat.name(a.desk).cmp(cat.name(b.desk)),
            6 => cat.name(a.operator).cmp(cat.name(b.operator)),
            _ => a.minutes.cmp(&b.minutes),
        };
        o.then_with(|| a.at.cmp(&b.at))
    }

    /// Whether a row passes the filters other than the search.
    fn passes(f: &Filters, r: &ContactRow) -> bool {
        (f.archived || !r.archived)
            && f.line.is_none_or(|l| r.line == l)
            && f.desk.is_none_or(|d| r.desk == d)
            && f.operator.is_none_or(|o| r.operator == o)
            && f.kind.is_none_or(|k| r.kind == k)
    }

    /// Recomputes the visible rows in stages, each redone only when its inputs change:
    /// sorted (rows loaded or sort changed), filtered by line/desk/operator/kind/archive (a
    /// filter changed), searched by name (a keystroke: one scan of the name index, then a
    /// pass over positions resolved once per load). A row patched after the window's own
    /// write moves into place in the sorted and filtered orders without sorting again.
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let data = &env.data;
        let rkey = (
            self.loader.loads(),
            data.people.len(),
            data.households.len(),
        );
        let sort = self.list.sort;
        let sorted_key = (rkey, env.revision(EntityKind::Person), sort);
        if self.patched.contains(&Patched::Removed) {
            self.sorted_for = None;
        }
        let patched = std::mem::take(&mut self.patched);
        if self.sorted_for != Some(sorted_key) {
            self.subjects = rows
                .iter()
                .map(|r| SubjectFilter::pack(data, r.subject))
                .collect();
            let mut all: Vec<u32> = (0..rows.len() as u32).collect();
            sort_by(&mut all, rows, sort.asc, |a, b| {
                Self::compare(env, sort.col, a, b)
            });
            self.sorted = all;
            self.sorted_for = Some(sorted_key);
            self.base_for = None;
        } else if !patched.is_empty() {
            let f = &self.filters;
            for p in patched {
                let i = match p {
                    Patched::Added(i) | Patched::Changed(i) => i,
                    Patched::Removed => continue,
                };
                if let Patched::Changed(_) = p {
                    self.sorted.retain(|&x| x != i);
                    self.base.retain(|&x| x != i);
                }
                let packed = SubjectFilter::pack(data, rows[i as usize].subject);
                match self.subjects.get_mut(i as usize) {
                    Some(s) => *s = packed,
                    None => self.subjects.push(packed),
                }
                let cmp = |a: &ContactRow, b: &ContactRow| Self::compare(env, sort.col, a, b);
                insert_sorted(&mut self.sorted, rows, sort.asc, cmp, i);
                if Self::passes(f, &rows[i as usize]) {
                    insert_sorted(&mut self.base, rows, sort.asc, cmp, i);
                }
            }
            self.searched_for = None;
        }
        let f = &self.filters;
        let bkey = (f.line, f.desk, f.operator, f.kind, f.archived);
        if self.base_for != Some(bkey) {
            self.base = self
                .sorted
                .iter()
                .copied()
                .filter(|&i| Self::passes(f, &rows[i as usize]))
                .collect();
            self.base_for = Some(bkey);
            self.searched_for = None;
        }
        if self.searched_for.as_deref() == Some(f.search.as_str()) {
            return;
        }
        let who = SubjectFilter::new(data, &f.search);
        let order = if f.search.trim().is_empty() {
            self.base.clone()
        } else {
            let subjects = &self.subjects;
            self.base
                .iter()
                .copied()
                .filter(|&i| who.ok_packed(subjects[i as usize]))
                .collect()
        };
        self.list.set_order(order);
        self.searched_for = Some(f.search.clone());
    }

    /// How many times the rows were read whole from the database (the window's own writes
    /// patch them instead).
    pub fn loads(&self) -> u64 {
        self.loader.loads()
    }

    /// True while the rows load in the background.
    pub fn loading(&self) -> bool {
        self.loader.loading().is_some()
    }

    /// Rows shown and rows loaded.
    pub fn shown(&self) -> (usize, usize) {
        (self.list.order.len(), self.loader.rows.len())
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        self.years(env);
        self.follow_saved(env);
        let year = self
            .year
            .unwrap_or_else(|| env.store.clock().today().year());
        let reads = env.reads();
        let s = stamp(&[env.generation(), year as u64]);
        let inline = env.inline_loads();
        self.loader.ensure(ui.ctx(), env, s, inline, move |_| {
            let (from, to) = year_bounds(year);
            let r = reads.read().map_err(|e| e.to_string())?;
            let n = r
                .count_by_date(EntityKind::Contact, from, to)
                .map_err(|e| e.to_string())?;
            let mut v = Vec::with_capacity(n);
            r.for_each_by_date(from, to, |c: Contact| v.push(ContactRow::of(&c)))
                .map_err(|e| e.to_string())?;
            Ok(v)
        });
        let patched = self.loader.patch(env, |c: &Contact| {
            (c.at.year() == year).then(|| ContactRow::of(c))
        });
        self.patched.extend(patched);

        if list::header(
            ui,
            "nav-contacts",
            "contacts-new",
            Some("contacts-new-hint"),
            |_| {},
        ) {
            env.open = Some(OpenForm::NewContact(None));
        }
        let mut search_focused = false;
        let f = &mut self.filters;
        ui.horizontal_wrapped(|ui| {
            search_focused = list::search(
                ui,
                "contacts-search",
                &mut f.search,
                "contacts-search-hint",
                &mut env.focus_search,
            );
            let l = ui.label(tr!("filter-year"));
            let years: Vec<(Option<i32>, String)> = self
                .years
                .iter()
                .map(|y| (Some(*y), y.to_string()))
                .collect();
            widgets::choice(ui, "contacts-year", l.id, &mut self.year, &years, 70.0);
            let d = &env.data;
            let lines = widgets::line_options(d, None);
            list::filter(
                ui,
                "filter-line",
                "contacts-line",
                &mut f.line,
                lines,
                150.0,
            );
            let desks = widgets::desk_options(d, None);
            list::filter(
                ui,
                "filter-desk",
                "contacts-desk",
                &mut f.desk,
                desks,
                110.0,
            );
            let ops = d.catalog.operators.iter().map(|o| (o.id, o.display_name()));
            list::filter(
                ui,
                "filter-operator",
                "contacts-operator",
                &mut f.operator,
                ops,
                110.0,
            );
            let kinds = ContactKind::ALL.map(|k| (k, labels::contact_kind(k)));
            list::filter(
                ui,
                "filter-kind",
                "contacts-kind",
                &mut f.kind,
                kinds,
                100.0,
            );
            ui.checkbox(&mut f.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        ui.horizontal(|ui| {
            ui.weak(tr!(
                "contacts-count",
                shown = self.list.order.len() as i64,
                total = self.loader.rows.len() as i64
            ));
            if let Some(f) = self.loader.loading() {
                ui.add(
                    egui::ProgressBar::new(f)
                        .desired_width(120.0)
                        .text(tr!("list-loading")),
                );
            }
            if let Some(e) = &self.loader.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
        let keys = env.list_keys(ui, search_focused);
        let rows = self.loader.rows.clone();
        let data = &env.data;
        let open = self.list.ui(ui, keys, "contacts-table", &COLS, |ui, i, c| {
            let r = &rows[i as usize];
            let cat = &data.catalog;
            let text = match c {
                0 => fmt_datetime(r.at),
                1 => data.subject_name(r.subject),
                2 => cat.name(r.line).to_string(),
                3 => labels::contact_kind(r.kind),
                4 => cat.name_opt(r.measure).to_string(),
                5 => cat.name(r.desk).to_string(),
                6 => cat.name(r.operator).to_string(),
                _ => r.minutes.to_string(),
            };
            cell(ui, text, r.archived);
        });
        if let Some(i) = open {
            env.open = Some(OpenForm::Edit(EntityKind::Contact, rows[i as usize].id));
        }
    }
}
