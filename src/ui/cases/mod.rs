//! Prese in carico: open, follow (status, referente, team, bisogno, plan with review
//! dates) and close with an outcome.
//! This file holds the list screen; the case dialog is in `form`.

mod form;

pub use form::CaseForm;

use super::data::SubjectFilter;
use super::jobs::{Loader, stamp};
use super::table::{Col, ListState, cell, col, sort_by};
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
    filters: Filters,
    loader: Loader<CaseRow>,
    list: ListState,
    shown_for: Option<(u64, Filters, super::table::Sort)>,
}

impl Default for CasesScreen {
    fn default() -> Self {
        CasesScreen {
            filters: Filters::default(),
            loader: Loader::default(),
            list: ListState::sorted(super::table::Sort { col: 0, asc: false }),
            shown_for: None,
        }
    }
}

impl CasesScreen {
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let key = (
            stamp(&[
                env.revision(EntityKind::Case),
                env.revision(EntityKind::Person),
                rows.len() as u64,
            ]),
            self.filters.clone(),
            self.list.sort,
        );
        if self.shown_for.as_ref() == Some(&key) {
            return;
        }
        let f = &self.filters;
        let data = &env.data;
        let who = SubjectFilter::new(data, &f.search);
        let through = today().year();
        let mut order: Vec<u32> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                (f.archived || !r.archived)
                    && f.status.is_none_or(|s| r.status == s)
                    && f.line.is_none_or(|l| r.line == l)
                    && f.referente.is_none_or(|o| r.referente == Some(o))
                    && f.year
                        .is_none_or(|y| period_years(r.opened, r.closed, through).contains(&y))
                    && who.ok(data, r.subject)
            })
            .map(|(i, _)| i as u32)
            .collect();
        let s = self.list.sort;
        let cat = &data.catalog;
        sort_by(&mut order, rows, s.asc, |a, b| {
            let o = match s.col {
                0 => a.opened.cmp(&b.opened),
                1 => SubjectFilter::key(data, a.subject).cmp(SubjectFilter::key(data, b.subject)),
                2 => cat.name(a.line).cmp(cat.name(b.line)),
                3 => (a.status as u8).cmp(&(b.status as u8)),
                4 => cat.name_opt(a.referente).cmp(cat.name_opt(b.referente)),
                _ => a.closed.cmp(&b.closed),
            };
            o.then_with(|| a.opened.cmp(&b.opened))
        });
        self.list.set_order(order);
        self.shown_for = Some(key);
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
        let store = env.store.clone();
        let inline = env.data.people.len() as u64 <= env.inline_limit;
        self.loader.ensure(
            ui.ctx(),
            env.revision(EntityKind::Case),
            inline,
            move |_| {
                let r = store.read().map_err(|e| e.to_string())?;
                let mut v = Vec::new();
                r.for_each(|c: Case| {
                    v.push(CaseRow {
                        id: c.id,
                        subject: c.subject,
                        line: c.line,
                        opened: c.opened,
                        closed: c.closed,
                        status: c.status,
                        referente: c.referente,
                        archived: c.archived,
                    })
                })
                .map_err(|e| e.to_string())?;
                Ok(v)
            },
        );
        ui.horizontal(|ui| {
            ui.heading(tr!("nav-cases"));
            ui.add_space(12.0);
            if ui.button(tr!("cases-new")).clicked() {
                env.open = Some(OpenForm::NewCase(None));
            }
        });
        let mut search_focused = false;
        ui.horizontal_wrapped(|ui| {
            let r = widgets::search_box(
                ui,
                "cases-search",
                &mut self.filters.search,
                &tr!("subject-search-hint"),
                &mut env.focus_search,
            );
            search_focused = r.has_focus() || r.lost_focus();
            let d = &env.data;
            let l = ui.label(tr!("filter-status"));
            let st = widgets::with_all(
                CaseStatus::ALL
                    .into_iter()
                    .map(|s| (s, labels::case_status(s))),
            );
            widgets::choice(
                ui,
                "cases-status",
                l.id,
                &mut self.filters.status,
                &st,
                110.0,
            );
            let l = ui.label(tr!("filter-line"));
            let lines = widgets::with_all(widgets::line_options(d, None));
            widgets::choice(
                ui,
                "cases-line",
                l.id,
                &mut self.filters.line,
                &lines,
                150.0,
            );
            let l = ui.label(tr!("cases-col-referente"));
            let ops =
                widgets::with_all(d.catalog.operators.iter().map(|o| (o.id, o.display_name())));
            widgets::choice(
                ui,
                "cases-ref",
                l.id,
                &mut self.filters.referente,
                &ops,
                115.0,
            );
            let l = ui.label(tr!("filter-year"));
            let years = widgets::with_all(widgets::recent_years());
            widgets::choice(ui, "cases-year", l.id, &mut self.filters.year, &years, 70.0);
            ui.checkbox(&mut self.filters.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        ui.weak(tr!(
            "list-count",
            shown = self.list.order.len() as i64,
            total = self.loader.rows.len() as i64
        ));
        let mut open = if env.list_keys(ui, search_focused) {
            self.list.keys(ui)
        } else {
            None
        };
        let rows = self.loader.rows.clone();
        let data = &env.data;
        let out = self.list.show(ui, "cases-table", &COLS, |ui, i, c| {
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
        if out.sort_changed {
            self.shown_for = None;
        }
        open = out.open.or(open);
        if let Some(i) = open
            && let Some(&row) = self.list.order.get(i)
        {
            env.open = Some(OpenForm::Edit(EntityKind::Case, rows[row as usize].id));
        }
    }
}
