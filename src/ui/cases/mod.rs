//! Prese in carico: open, follow (status, referente, team, bisogno, plan with review
//! dates) and close with an outcome.
//! This file holds the list screen; the case dialog is in `form`.

mod form;

pub use form::CaseForm;

use super::data::SubjectFilter;
use super::jobs::{Loader, stamp};
use super::list::{self, List};
use super::table::{Col, Sort, cell, col, filter_sorted};
use super::widgets;
use super::{Env, OpenForm, labels};
use crate::domain::counting::period_years;
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDate};
use egui::Ui;

/// What the list keeps of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRow {
    id: Id,
    subject: Subject,
    line: Id,
    opened: NaiveDate,
    closed: Option<NaiveDate>,
    status: CaseStatus,
    referente: Option<Id>,
    archived: bool,
}

const COLS: [Col; 6] = [
    col("cases-col-opened", 100.0),
    col("cases-col-subject", 210.0),
    col("cases-col-line", 230.0),
    col("cases-col-status", 130.0),
    col("cases-col-referente", 150.0),
    col("cases-col-closed", 100.0),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Filters {
    search: String,
    status: Option<CaseStatus>,
    line: Option<Id>,
    referente: Option<Id>,
    year: Option<i32>,
    archived: bool,
}

/// The Prese in carico screen.
pub struct CasesScreen {
    loader: Loader<CaseRow>,
    list: List<Filters>,
}

impl Default for CasesScreen {
    fn default() -> Self {
        CasesScreen {
            loader: Loader::default(),
            list: List::sorted(Sort { col: 0, asc: false }),
        }
    }
}

impl super::jobs::Row for CaseRow {
    fn id(&self) -> Id {
        self.id
    }
}

impl CaseRow {
    fn of(c: Case) -> CaseRow {
        CaseRow {
            id: c.id,
            subject: c.subject,
            line: c.line,
            opened: c.opened,
            closed: c.closed,
            status: c.status,
            referente: c.referente,
            archived: c.archived,
        }
    }
}

impl CasesScreen {
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let key = stamp(&[
            env.revision(EntityKind::Case),
            env.revision(EntityKind::Person),
            self.loader.loaded(),
        ]);
        let Some((f, s)) = self.list.stale(key) else {
            return;
        };
        let data = &env.data;
        let who = SubjectFilter::new(data, &f.search);
        let through = today().year();
        let cat = &data.catalog;
        let order = filter_sorted(
            rows,
            s.asc,
            |r| {
                (f.archived || !r.archived)
                    && f.status.is_none_or(|s| r.status == s)
                    && f.line.is_none_or(|l| r.line == l)
                    && f.referente.is_none_or(|o| r.referente == Some(o))
                    && f.year
                        .is_none_or(|y| period_years(r.opened, r.closed, through).contains(&y))
                    && who.ok(data, r.subject)
            },
            |a, b| {
                let o = match s.col {
                    0 => a.opened.cmp(&b.opened),
                    1 => {
                        SubjectFilter::key(data, a.subject).cmp(SubjectFilter::key(data, b.subject))
                    }
                    2 => cat.name(a.line).cmp(cat.name(b.line)),
                    3 => (a.status as u8).cmp(&(b.status as u8)),
                    4 => cat.name_opt(a.referente).cmp(cat.name_opt(b.referente)),
                    _ => a.closed.cmp(&b.closed),
                };
                o.then_with(|| a.opened.cmp(&b.opened))
            },
        );
        self.list.set_order(key, order);
    }

    /// True while the rows load in the background.
    pub fn loading(&self) -> bool {
        self.loader.loading().is_some()
    }

    /// Rows shown and rows loaded.
    pub fn shown(&self) -> (usize, usize) {
        (self.list.len(), self.loader.rows.len())
    }

    /// How many times the rows were read whole from the database.
    pub fn loads(&self) -> u64 {
        self.loader.loads()
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        let inline = env.inline_loads();
        self.loader.ensure_all(ui.ctx(), env, inline, CaseRow::of);
        if list::header(ui, "nav-cases", "cases-new", None, |_| {}) {
            env.open = Some(OpenForm::NewCase(None));
        }
        let mut search_focused = false;
        let f = &mut self.list.filters;
        ui.horizontal_wrapped(|ui| {
            search_focused = list::search(
                ui,
                "cases-search",
                &mut f.search,
                "subject-search-hint",
                &mut env.focus_search,
            );
            let d = &env.data;
            let st = CaseStatus::ALL.map(|s| (s, labels::case_status(s)));
            list::filter(
                ui,
                "filter-status",
                "cases-status",
                &mut f.status,
                st,
                110.0,
            );
            let lines = widgets::line_options(d, None);
            list::filter(ui, "filter-line", "cases-line", &mut f.line, lines, 150.0);
            let ops = d.catalog.operators.iter().map(|o| (o.id, o.display_name()));
            list::filter(
                ui,
                "cases-col-referente",
                "cases-ref",
                &mut f.referente,
                ops,
                115.0,
            );
            let years = widgets::recent_years();
            list::filter(ui, "filter-year", "cases-year", &mut f.year, years, 70.0);
            ui.checkbox(&mut f.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        list::count(ui, self.list.len(), self.loader.rows.len());
        let keys = env.list_keys(ui, search_focused);
        let rows = self.loader.rows.clone();
        let data = &env.data;
        let open = self.list.table(ui, keys, "cases-table", &COLS, |ui, i, c| {
            let r = &rows[i as usize];
            let cat = &data.catalog;
            let text = match c {
                0 => fmt_date(r.opened),
                1 => data.subject_name(r.subject),
                2 => cat.name(r.line).to_string(),
                3 => labels::case_status(r.status),
                4 => cat.name_opt(r.referente).to_string(),
                _ => r.closed.map(fmt_date).unwrap_or_default(),
            };
            cell(ui, text, r.archived);
        });
        if let Some(i) = open {
            env.open = Some(OpenForm::Edit(EntityKind::Case, rows[i as usize].id));
        }
    }
}
