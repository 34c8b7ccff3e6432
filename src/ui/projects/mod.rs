//! Progetti of the four kinds: tirocinio (with attendance), messa alla prova (with the
//! hours ledger: hours done against hours required), case manager, sostegno allo studio.
//! This file holds the list screen; the project dialog is in `form`.

mod attendance;
mod form;
mod kinds;
mod ledger;
mod print;

pub use form::ProjectForm;

use super::data::SubjectFilter;
use super::jobs::{Loader, stamp};
use super::labels::ProjectType;
use super::list::{self, List};
use super::table::{Col, Sort, cell, col, filter_sorted};
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
    loader: Loader<ProjectRow>,
    list: List<Filters>,
}

impl Default for ProjectsScreen {
    fn default() -> Self {
        ProjectsScreen {
            loader: Loader::default(),
            list: List::sorted(Sort { col: 0, asc: false }),
        }
    }
}

impl super::jobs::Row for ProjectRow {
    fn id(&self) -> Id {
        self.id
    }
}

impl ProjectRow {
    fn of(p: Project) -> ProjectRow {
        ProjectRow {
            id: p.id,
            person: p.person,
            line: p.line,
            start: p.start,
            end: p.end,
            operator: p.operator,
            kind: ProjectType::of(&p.kind),
            progress: progress(&p),
            archived: p.archived,
        }
    }
}

impl ProjectsScreen {
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let key = stamp(&[
            env.revision(EntityKind::Project),
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
                    && f.kind.is_none_or(|k| r.kind == k)
                    && f.line.is_none_or(|l| r.line == l)
                    && f.operator.is_none_or(|o| r.operator == Some(o))
                    && f.year
                        .is_none_or(|y| period_years(r.start, r.end, through).contains(&y))
                    && (!f.open_only || r.end.is_none_or(|e| e >= today()))
                    && who.ok(data, Subject::Person(r.person))
            },
            |a, b| {
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
        self.loader
            .ensure_all(ui.ctx(), env, inline, ProjectRow::of);
        if list::header(ui, "nav-projects", "projects-new", None, |_| {}) {
            env.open = Some(OpenForm::NewProject(None));
        }
        let mut search_focused = false;
        let f = &mut self.list.filters;
        ui.horizontal_wrapped(|ui| {
            search_focused = list::search(
                ui,
                "projects-search",
                &mut f.search,
                "subject-search-hint",
                &mut env.focus_search,
            );
            let d = &env.data;
            let kinds = ProjectType::ALL.map(|k| (k, k.label()));
            list::filter(
                ui,
                "filter-kind",
                "projects-kind",
                &mut f.kind,
                kinds,
                115.0,
            );
            let lines = widgets::line_options(d, None);
            list::filter(
                ui,
                "filter-line",
                "projects-line",
                &mut f.line,
                lines,
                150.0,
            );
            let ops = d.catalog.operators.iter().map(|o| (o.id, o.display_name()));
            list::filter(
                ui,
                "filter-operator",
                "projects-op",
                &mut f.operator,
                ops,
                115.0,
            );
            let years = widgets::recent_years();
            list::filter(ui, "filter-year", "projects-year", &mut f.year, years, 70.0);
            ui.checkbox(&mut f.open_only, tr!("projects-open-only"));
            ui.checkbox(&mut f.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        list::count(ui, self.list.len(), self.loader.rows.len());
        let keys = env.list_keys(ui, search_focused);
        let rows = self.loader.rows.clone();
        let data = &env.data;
        let open = self
            .list
            .table(ui, keys, "projects-table", &COLS, |ui, i, c| {
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
        if let Some(i) = open {
            env.open = Some(OpenForm::Edit(EntityKind::Project, rows[i as usize].id));
        }
    }
}
