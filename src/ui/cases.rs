//! Prese in carico: open, follow (status, referente, team, bisogno, plan with review
//! dates) and close with an outcome.

use super::data::SubjectFilter;
use super::forms::{ArchiveButton, FormEvent, FormShell, store_problems};
use super::jobs::{Loader, stamp};
use super::table::{Col, ListState, col, sort_by};
use super::widgets::{self, Picked, SubjectPicker};
use super::{Env, OpenForm, labels};
use crate::domain::counting::period_years;
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDate};
use egui::{RichText, Ui};

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
            let mut st = vec![(None, tr!("filter-all"))];
            st.extend(
                CaseStatus::ALL
                    .into_iter()
                    .map(|s| (Some(s), labels::case_status(s))),
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
            let mut lines = vec![(None, tr!("filter-all"))];
            lines.extend(
                widgets::line_options(d, None)
                    .into_iter()
                    .map(|(i, s)| (Some(i), s)),
            );
            widgets::choice(
                ui,
                "cases-line",
                l.id,
                &mut self.filters.line,
                &lines,
                150.0,
            );
            let l = ui.label(tr!("cases-col-referente"));
            let mut ops = vec![(None, tr!("filter-all"))];
            ops.extend(
                d.catalog
                    .operators
                    .iter()
                    .map(|o| (Some(o.id), o.display_name())),
            );
            widgets::choice(
                ui,
                "cases-ref",
                l.id,
                &mut self.filters.referente,
                &ops,
                115.0,
            );
            let l = ui.label(tr!("filter-year"));
            let this = today().year();
            let mut years = vec![(None, tr!("filter-all"))];
            years.extend((this - 10..=this).rev().map(|y| (Some(y), y.to_string())));
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
            if r.archived {
                ui.label(RichText::new(text).weak().strikethrough());
            } else {
                ui.label(text);
            }
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

/// A goal as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct GoalDraft {
    text: String,
    review: String,
    done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    subject: Option<Subject>,
    line: Id,
    opened: String,
    status: CaseStatus,
    referente: Option<Id>,
    team: Vec<Id>,
    need: String,
    plan: Vec<GoalDraft>,
    closed: String,
    outcome: String,
}

/// The case dialog.
pub struct CaseForm {
    base: Option<Case>,
    draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    problems: Problems,
    shell: FormShell,
    archive: ArchiveButton,
}

impl CaseForm {
    /// A new case, opened today, with the current operator as referente.
    pub fn new(env: &Env, subject: Option<Subject>) -> Self {
        let line = env
            .data
            .catalog
            .line_by_code(crate::domain::catalogue::line_codes::FAMIGLIE)
            .or_else(|| env.data.catalog.lines.iter().find(|l| !l.archived))
            .map(|l| l.id)
            .unwrap_or(Id::NIL);
        let draft = Draft {
            subject,
            line,
            opened: fmt_date(today()),
            status: CaseStatus::Aperta,
            referente: env.can_write().then_some(env.operator),
            team: vec![],
            need: String::new(),
            plan: vec![],
            closed: String::new(),
            outcome: String::new(),
        };
        let mut picker = SubjectPicker::new("case-subject", true).with(subject);
        picker.focus();
        CaseForm {
            base: None,
            initial: draft.clone(),
            draft,
            picker,
            problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    /// An existing case.
    pub fn edit(c: Case) -> Self {
        let draft = Draft {
            subject: Some(c.subject),
            line: c.line,
            opened: fmt_date(c.opened),
            status: c.status,
            referente: c.referente,
            team: c.team.clone(),
            need: c.need.clone(),
            plan: c
                .plan
                .iter()
                .map(|g| GoalDraft {
                    text: g.text.clone(),
                    review: g.review.map(fmt_date).unwrap_or_default(),
                    done: g.done,
                })
                .collect(),
            closed: c.closed.map(fmt_date).unwrap_or_default(),
            outcome: c.outcome.clone(),
        };
        CaseForm {
            picker: SubjectPicker::new("case-subject", true).with(Some(c.subject)),
            base: Some(c),
            initial: draft.clone(),
            draft,
            problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    fn build(&self) -> (Case, Problems) {
        let d = &self.draft;
        let mut p = Problems::default();
        let opened = widgets::need_date(&mut p, "opened", &d.opened);
        let closed = widgets::opt_date(&mut p, "closed", &d.closed);
        let mut plan = Vec::new();
        for g in &d.plan {
            let review = widgets::opt_date(&mut p, "plan", &g.review);
            plan.push(Goal {
                text: g.text.trim().to_string(),
                review,
                done: g.done,
            });
        }
        if d.subject.is_none() {
            p.add("subject", "Scegli la persona o il nucleo");
        }
        let c = Case {
            id: self.base.as_ref().map(|b| b.id).unwrap_or(Id::NIL),
            subject: d.subject.unwrap_or(Subject::Person(Id::NIL)),
            line: d.line,
            opened,
            closed,
            status: d.status,
            referente: d.referente,
            team: d.team.clone(),
            need: d.need.trim().to_string(),
            plan,
            outcome: d.outcome.trim().to_string(),
            archived: self.base.as_ref().is_some_and(|b| b.archived),
        };
        for e in c.validate(today()).0 {
            if p.for_field(e.field).is_none() {
                p.0.push(e);
            }
        }
        (c, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let (c, problems) = self.build();
        if !problems.is_empty() {
            self.problems = problems;
            return false;
        }
        let res = if self.base.is_some() {
            env.update(c)
        } else {
            env.insert(c).map(|_| ())
        };
        match res {
            Ok(()) => {
                env.notify(tr!("case-saved"));
                true
            }
            Err(e) => {
                self.problems = store_problems(e, env);
                false
            }
        }
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        self.draft != self.initial
    }

    /// Shows the dialog; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = if self.base.is_some() {
            tr!("case-edit-title")
        } else {
            tr!("case-new-title")
        };
        let dirty = self.draft != self.initial;
        self.shell.suspend_keys = self.archive.busy();
        let mut archived = false;
        let ctx = ui.ctx().clone();
        let (event, ()) = self.shell.show(&ctx, "case", &title, dirty, 640.0, |ui| {
            let p = &self.problems;
            egui::Grid::new("case-grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let l = widgets::label(ui, &tr!("case-subject"));
                    ui.vertical(|ui| {
                        match self.picker.ui(ui, &env.data, l.id) {
                            Picked::Chosen(s) => self.draft.subject = Some(s),
                            Picked::Cleared => self.draft.subject = None,
                            _ => {}
                        }
                        widgets::problem(ui, p.for_field("subject"));
                    });
                    ui.end_row();
                    let d = &mut self.draft;
                    let lines = widgets::line_options(&env.data, Some(d.line));
                    widgets::choice_row(
                        ui,
                        &tr!("case-line"),
                        &mut d.line,
                        &lines,
                        p.for_field("line"),
                    );
                    widgets::date_row(
                        ui,
                        &tr!("case-opened"),
                        "case-opened",
                        &mut d.opened,
                        p.for_field("opened"),
                    );
                    let st: Vec<(CaseStatus, String)> = CaseStatus::ALL
                        .into_iter()
                        .map(|s| (s, labels::case_status(s)))
                        .collect();
                    widgets::choice_row(
                        ui,
                        &tr!("case-status"),
                        &mut d.status,
                        &st,
                        p.for_field("status"),
                    );
                    let ops = widgets::with_none(widgets::operator_options(&env.data, d.referente));
                    widgets::choice_row(
                        ui,
                        &tr!("case-referente"),
                        &mut d.referente,
                        &ops,
                        p.for_field("referente"),
                    );
                    widgets::label(ui, &tr!("case-team"));
                    ui.vertical(|ui| {
                        egui::CollapsingHeader::new(tr!(
                            "case-team-count",
                            count = d.team.len() as i64
                        ))
                        .id_salt("case-team")
                        .show(ui, |ui| {
                            for o in env.data.catalog.active_operators() {
                                let mut on = d.team.contains(&o.id);
                                if ui
                                    .checkbox(
                                        &mut on,
                                        format!(
                                            "{} — {}",
                                            o.display_name(),
                                            env.data.catalog.name(o.role)
                                        ),
                                    )
                                    .changed()
                                {
                                    if on {
                                        d.team.push(o.id);
                                    } else {
                                        d.team.retain(|x| *x != o.id);
                                    }
                                }
                            }
                        });
                    });
                    ui.end_row();
                    widgets::multiline_row(ui, &tr!("case-need"), &mut d.need, p.for_field("need"));
                    widgets::label(ui, &tr!("case-plan"));
                    ui.vertical(|ui| {
                        let mut remove = None;
                        for (i, g) in d.plan.iter_mut().enumerate() {
                            ui.horizontal(|ui| {
                                let gl = ui.label(format!("{}.", i + 1));
                                ui.add(
                                    egui::TextEdit::singleline(&mut g.text)
                                        .desired_width(220.0)
                                        .hint_text(tr!("case-goal-hint")),
                                )
                                .labelled_by(gl.id);
                                let rl = ui.label(tr!("case-goal-review"));
                                widgets::date_edit(ui, &format!("goal-{i}"), &mut g.review, rl.id);
                                ui.checkbox(&mut g.done, tr!("case-goal-done"));
                                if ui
                                    .small_button("✖")
                                    .on_hover_text(tr!("case-goal-remove"))
                                    .clicked()
                                {
                                    remove = Some(i);
                                }
                            });
                        }
                        if let Some(i) = remove {
                            d.plan.remove(i);
                        }
                        if ui.button(tr!("case-goal-add")).clicked() {
                            d.plan.push(GoalDraft::default());
                        }
                        widgets::problem(ui, p.for_field("plan"));
                    });
                    ui.end_row();
                    widgets::date_row(
                        ui,
                        &tr!("case-closed"),
                        "case-closed",
                        &mut d.closed,
                        p.for_field("closed"),
                    );
                    widgets::multiline_row(
                        ui,
                        &tr!("case-outcome"),
                        &mut d.outcome,
                        p.for_field("outcome"),
                    );
                });
            widgets::other_problems(
                ui,
                &self.problems,
                &[
                    "subject",
                    "line",
                    "opened",
                    "status",
                    "referente",
                    "need",
                    "plan",
                    "closed",
                    "outcome",
                ],
            );
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if self.draft.status != CaseStatus::Chiusa
                    && ui
                        .button(tr!("case-close"))
                        .on_hover_text(tr!("case-close-hint"))
                        .clicked()
                {
                    self.draft.status = CaseStatus::Chiusa;
                    if self.draft.closed.trim().is_empty() {
                        self.draft.closed = fmt_date(today());
                    }
                }
                if self.draft.status == CaseStatus::Chiusa
                    && ui.button(tr!("case-reopen")).clicked()
                {
                    self.draft.status = CaseStatus::InCorso;
                    self.draft.closed.clear();
                }
                if let Some(b) = &self.base {
                    archived = self.archive.ui::<Case>(ui, env, b.id, b.archived);
                }
            });
        });
        if archived {
            return true;
        }
        match event {
            FormEvent::Save => self.save(env),
            FormEvent::Close => true,
            FormEvent::None => false,
        }
    }
}
