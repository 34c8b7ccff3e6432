//! Pratiche (issue 15): the applications to the bandi followed at the desks, filtered by
//! state, bando, desk, operator and year; the pratiche whose bando closes soon with
//! documents still missing are marked. The form is in `form.rs`.

mod contacts;
mod form;

pub use form::PraticaForm;

use super::data::SubjectFilter;
use super::jobs::{Loader, stamp};
use super::list::{self, List};
use super::table::{Col, Sort, cell, col, filter_sorted};
use super::widgets;
use super::{Env, OpenForm};
use crate::domain::pratica::fmt_euro;
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDate};
use egui::{RichText, Ui};

/// Days before a bando's closing when a pratica with missing documents is marked.
pub const AT_RISK_DAYS: i64 = 14;

/// What the list keeps of a pratica.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PraticaRow {
    id: Id,
    subject: Subject,
    bando: Id,
    desk: Id,
    operator: Id,
    requested_on: NaiveDate,
    state: PraticaState,
    changed: NaiveDate,
    amount_cents: Option<i64>,
    missing: usize,
    archived: bool,
}

impl super::jobs::Row for PraticaRow {
    fn id(&self) -> Id {
        self.id
    }
}

impl PraticaRow {
    fn of(p: Pratica) -> PraticaRow {
        PraticaRow {
            id: p.id,
            subject: p.subject,
            bando: p.bando,
            desk: p.desk,
            operator: p.operator,
            requested_on: p.requested_on,
            state: p.state,
            changed: p.last_change(),
            amount_cents: p.amount_cents,
            missing: p.missing_documents(),
            archived: p.archived,
        }
    }

    /// Open, documents missing and the bando closes within [`AT_RISK_DAYS`].
    fn at_risk(&self, env: &Env, today: NaiveDate) -> bool {
        let open = matches!(
            self.state,
            PraticaState::Informato
                | PraticaState::InPreparazione
                | PraticaState::InAttesaIntegrazione
        );
        open && self.missing > 0
            && env
                .data
                .catalog
                .bando(self.bando)
                .and_then(|b| b.closes)
                .is_some_and(|c| (0..=AT_RISK_DAYS).contains(&(c - today).num_days()))
    }
}

const COLS: [Col; 7] = [
    col("pratiche-col-requested", 100.0),
    col("pratiche-col-subject", 190.0),
    col("pratiche-col-bando", 210.0),
    col("pratiche-col-state", 170.0),
    col("pratiche-col-changed", 100.0),
    col("pratiche-col-desk", 120.0),
    col("pratiche-col-amount", 110.0),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Filters {
    search: String,
    state: Option<PraticaState>,
    bando: Option<Id>,
    desk: Option<Id>,
    operator: Option<Id>,
    year: Option<i32>,
    archived: bool,
}

/// The Pratiche screen.
pub struct PraticheScreen {
    loader: Loader<PraticaRow>,
    list: List<Filters>,
}

impl Default for PraticheScreen {
    fn default() -> Self {
        PraticheScreen {
            loader: Loader::default(),
            list: List::sorted(Sort { col: 4, asc: false }),
        }
    }
}

/// The Italian label of a state (from the translation files).
pub fn state_label(s: PraticaState) -> String {
    tr!(match s {
        PraticaState::Informato => "pratica-state-informato",
        PraticaState::InPreparazione => "pratica-state-in-preparazione",
        PraticaState::Inviata => "pratica-state-inviata",
        PraticaState::InAttesaIntegrazione => "pratica-state-in-attesa",
        PraticaState::Accolta => "pratica-state-accolta",
        PraticaState::Respinta => "pratica-state-respinta",
        PraticaState::Ritirata => "pratica-state-ritirata",
    })
}

impl PraticheScreen {
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let key = stamp(&[
            env.revision(EntityKind::Pratica),
            env.revision(EntityKind::Person),
            env.revision(EntityKind::Bando),
            self.loader.loaded(),
        ]);
        let Some((f, s)) = self.list.stale(key) else {
            return;
        };
        let data = &env.data;
        let who = SubjectFilter::new(data, &f.search);
        let cat = &data.catalog;
        let order = filter_sorted(
            rows,
            s.asc,
            |r| {
                (f.archived || !r.archived)
                    && f.state.is_none_or(|x| r.state == x)
                    && f.bando.is_none_or(|x| r.bando == x)
                    && f.desk.is_none_or(|x| r.desk == x)
                    && f.operator.is_none_or(|x| r.operator == x)
                    && f.year.is_none_or(|y| r.requested_on.year() == y)
                    && who.ok(data, r.subject)
            },
            |a, b| {
                let o = match s.col {
                    0 => a.requested_on.cmp(&b.requested_on),
                    1 => {
                        SubjectFilter::key(data, a.subject).cmp(SubjectFilter::key(data, b.subject))
                    }
                    2 => cat.name(a.bando).cmp(cat.name(b.bando)),
                    3 => a.state.cmp(&b.state),
                    4 => a.changed.cmp(&b.changed),
                    5 => cat.name(a.desk).cmp(cat.name(b.desk)),
                    _ => a.amount_cents.cmp(&b.amount_cents),
                };
                o.then_with(|| a.requested_on.cmp(&b.requested_on))
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
            .ensure_all(ui.ctx(), env, inline, PraticaRow::of);
        let now = today();
        let risky = self
            .loader
            .rows
            .iter()
            .filter(|r| !r.archived && r.at_risk(env, now))
            .count();
        let more = |ui: &mut Ui| {
            if risky > 0 {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    tr!("pratiche-at-risk-count", count = risky as i64),
                );
            }
        };
        if list::header(ui, "nav-pratiche", "pratiche-new", None, more) {
            env.open = Some(OpenForm::NewPratica(None));
        }
        let mut search_focused = false;
        let f = &mut self.list.filters;
        ui.horizontal_wrapped(|ui| {
            search_focused = list::search(
                ui,
                "pratiche-search",
                &mut f.search,
                "subject-search-hint",
                &mut env.focus_search,
            );
            let cat = &env.data.catalog;
            let states = PraticaState::ALL.map(|s| (s, state_label(s)));
            list::filter(
                ui,
                "pratiche-col-state",
                "pratiche-state",
                &mut f.state,
                states,
                170.0,
            );
            let bandi: Vec<(Id, String)> =
                cat.bandi.iter().map(|b| (b.id, b.name.clone())).collect();
            list::filter(
                ui,
                "pratiche-col-bando",
                "pratiche-bando",
                &mut f.bando,
                bandi,
                190.0,
            );
            let desks = widgets::desk_options(&env.data, None);
            list::filter(
                ui,
                "pratiche-col-desk",
                "pratiche-desk",
                &mut f.desk,
                desks,
                120.0,
            );
            let ops = widgets::operator_options(&env.data, None);
            list::filter(
                ui,
                "pratiche-operator",
                "pratiche-operator-filter",
                &mut f.operator,
                ops,
                150.0,
            );
            let years = widgets::recent_years();
            list::filter(ui, "filter-year", "pratiche-year", &mut f.year, years, 70.0);
            ui.checkbox(&mut f.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        list::count(ui, self.list.len(), self.loader.rows.len());
        let keys = env.list_keys(ui, search_focused);
        let rows = self.loader.rows.clone();
        let env_ro: &Env = env;
        let open = self
            .list
            .table(ui, keys, "pratiche-table", &COLS, |ui, i, c| {
                let r = &rows[i as usize];
                let data = &env_ro.data;
                let text = match c {
                    0 => fmt_date(r.requested_on),
                    1 => data.subject_name(r.subject),
                    2 => data.catalog.name(r.bando).to_string(),
                    3 => state_label(r.state),
                    4 => fmt_date(r.changed),
                    5 => data.catalog.name(r.desk).to_string(),
                    _ => r.amount_cents.map(fmt_euro).unwrap_or_default(),
                };
                if c == 3 && !r.archived && r.at_risk(env_ro, now) {
                    ui.label(RichText::new(format!("⚠ {text}")).color(ui.visuals().error_fg_color))
                        .on_hover_text(tr!("pratiche-at-risk-hint", missing = r.missing as i64));
                } else {
                    cell(ui, text, r.archived);
                }
            });
        if let Some(i) = open {
            env.open = Some(OpenForm::Edit(EntityKind::Pratica, rows[i as usize].id));
        }
    }
}
