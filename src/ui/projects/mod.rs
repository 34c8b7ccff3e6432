//! Progetti of the four kinds: tirocinio (with attendance), messa alla prova (with the
//! hours ledger: hours done against hours required), case manager, sostegno allo studio.
//! This file holds the list screen; the project dialog is in `form`.

mod attendance;
mod form;
mod kinds;
mod ledger;

pub use form::ProjectForm;

use super::data::SubjectFilter;
use super::jobs::{Loader, stamp};
use super::labels::ProjectType;
use super::table::{Col, ListState, cell, col, sort_by};
use super::widgets::{self, fmt_hours};
use super::{Env, OpenForm, labels};
use crate::domain::counting::period_years;
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDate};
use egui::Ui;

/// What the list keeps of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    id: Id,
    person: Id,
    line: Id,
    start: NaiveDate,
    end: Option<NaiveDate>,
    operator: Option<Id>,
    kind: ProjectType,
    progress: String,
    archived: bool,
}

fn progress(p: &Project) -> String {
    match &p.kind {
        ProjectKind::MessaAllaProva { hours_required, .. } => {
            format!("{} / {} h", fmt_hours(p.minutes_done()), hours_required)
        }
        ProjectKind::Tirocinio {
            attendance, host, ..
        } => {
            let present = attendance.iter().filter(|a| a.present).count();
            format!("{host} — {present} gg")
        }
        ProjectKind::SostegnoStudio { school, need, .. } => {
            format!("{school} — {}", labels::school_need(*need))
        }
        ProjectKind::CaseManager { .. } => String::new(),
    }
}

const COLS: [Col; 7] = [
    col("projects-col-start", 100.0),
    col("projects-col-person", 190.0),
    col("projects-col-kind", 140.0),
    col("projects-col-line", 200.0),
    col("projects-col-end", 100.0),
    col("projects-col-operator", 140.0),
    col("projects-col-progress", 200.0),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Filters {
    search: String,
    kind: Option<ProjectType>,
    line: Option<Id>,
    operator: Option<Id>,
    year: Option<i32>,
    open_only: bool,
    archived: bool,
}

/// The Progetti screen.
pub struct ProjectsScreen {
    filters: Filters,
    loader: Loader<ProjectRow>,
    list: ListState,
    shown_for: Option<(u64, Filters, super::table::Sort)>,
}

impl Default for ProjectsScreen {
    fn default() -> Self {
        ProjectsScreen {
            filters: Filters::default(),
            loader: Loader::default(),
            list: ListState::sorted(super::table::Sort { col: 0, asc: false }),
            shown_for: None,
        }
    }
}

impl ProjectsScreen {
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let key = (
            stamp(&[
                env.revision(EntityKind::Project),
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
                    && f.kind.is_none_or(|k| r.kind == k)
                    && f.line.is_none_or(|l| r.line == l)
                    && f.operator.is_none_or(|o| r.operator == Some(o))
                    && f.year
                        .is_none_or(|y| period_years(r.start, r.end, through).contains(&y))
                    && (!f.open_only || r.end.is_none_or(|e| e >= today()))
                    && who.ok(data, Subject::Person(r.person))
            })
            .map(|(i, _)| i as u32)
            .collect();
        let s = self.list.sort;
        let cat = &data.catalog;
        sort_by(&mut order, rows, s.asc, |a, b| {
            let o = match s.col {
                0 => a.start.cmp(&b.start),
                1 => SubjectFilter::key(data, Subject::Person(a.person))
                    .cmp(SubjectFilter::key(data, Subject::Person(b.person))),
                2 => (a.kind as u8).cmp(&(b.kind as u8)),
                3 => cat.name(a.line).cmp(cat.name(b.line)),
                4 => a.end.cmp(&b.end),
                5 => cat.name_opt(a.operator).cmp(cat.name_opt(b.operator)),
                _ => a.progress.cmp(&b.progress),
            };
            o.then_with(|| a.start.cmp(&b.start))
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
            env.revision(EntityKind::Project),
            inline,
            move |_| {
                let r = store.read().map_err(|e| e.to_string())?;
                let mut v = Vec::new();
                r.for_each(|p: Project| {
                    v.push(ProjectRow {
                        id: p.id,
                        person: p.person,
                        line: p.line,
                        start: p.start,
                        end: p.end,
                        operator: p.operator,
                        kind: ProjectType::of(&p.kind),
                        progress: progress(&p),
                        archived: p.archived,
                    })
                })
                .map_err(|e| e.to_string())?;
                Ok(v)
            },
        );
        ui.horizontal(|ui| {
            ui.heading(tr!("nav-projects"));
            ui.add_space(12.0);
            if ui.button(tr!("projects-new")).clicked() {
                env.open = Some(OpenForm::NewProject(None));
            }
        });
        let mut search_focused = false;
        ui.horizontal_wrapped(|ui| {
            let r = widgets::search_box(
                ui,
                "projects-search",
                &mut self.filters.search,
                &tr!("subject-search-hint"),
                &mut env.focus_search,
            );
            search_focused = r.has_focus() || r.lost_focus();
            let d = &env.data;
            let l = ui.label(tr!("filter-kind"));
            let kinds = widgets::with_all(ProjectType::ALL.into_iter().map(|k| (k, k.label())));
            widgets::choice(
                ui,
                "projects-kind",
                l.id,
                &mut self.filters.kind,
                &kinds,
                115.0,
            );
            let l = ui.label(tr!("filter-line"));
            let lines = widgets::with_all(widgets::line_options(d, None));
            widgets::choice(
                ui,
                "projects-line",
                l.id,
                &mut self.filters.line,
                &lines,
                150.0,
            );
            let l = ui.label(tr!("filter-operator"));
            let ops =
                widgets::with_all(d.catalog.operators.iter().map(|o| (o.id, o.display_name())));
            widgets::choice(
                ui,
                "projects-op",
                l.id,
                &mut self.filters.operator,
                &ops,
                115.0,
            );
            let l = ui.label(tr!("filter-year"));
            let years = widgets::with_all(widgets::recent_years());
            widgets::choice(
                ui,
                "projects-year",
                l.id,
                &mut self.filters.year,
                &years,
                70.0,
            );
            ui.checkbox(&mut self.filters.open_only, tr!("projects-open-only"));
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
        let out = self.list.show(ui, "projects-table", &COLS, |ui, i, c| {
            let r = &rows[i as usize];
            let cat = &data.catalog;
            let text = match c {
                0 => fmt_date(r.start),
                1 => data.people.name(r.person),
                2 => r.kind.label(),
                3 => cat.name(r.line).to_string(),
                4 => r.end.map(fmt_date).unwrap_or_default(),
                5 => cat.name_opt(r.operator).to_string(),
                _ => r.progress.clone(),
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
            env.open = Some(OpenForm::Edit(EntityKind::Project, rows[row as usize].id));
        }
    }
}
