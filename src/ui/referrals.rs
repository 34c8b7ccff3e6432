//! Invii alla rete: referrals to territorial services with a follow-up date, an outcome,
//! and the filter of overdue follow-ups (date passed, no outcome yet).

use super::data::SubjectFilter;
use super::forms::{ArchiveButton, FormEvent, FormShell, save_record};
use super::jobs::{Loader, stamp};
use super::table::{Col, ListState, col, sort_by};
use super::widgets::{self, Picked, SubjectPicker};
use super::{Env, OpenForm, labels};
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, Duration, NaiveDate};
use egui::{RichText, Ui};

/// What the list keeps of a referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRow {
    id: Id,
    subject: Subject,
    date: NaiveDate,
    service: Id,
    reason: String,
    follow_up: Option<NaiveDate>,
    outcome: ReferralOutcome,
    archived: bool,
}

impl ReferralRow {
    fn overdue(&self, today: NaiveDate) -> bool {
        self.outcome == ReferralOutcome::InAttesa && self.follow_up.is_some_and(|f| f < today)
    }
}

const COLS: [Col; 6] = [
    col("referrals-col-date", 100.0),
    col("referrals-col-subject", 200.0),
    col("referrals-col-service", 220.0),
    col("referrals-col-reason", 220.0),
    col("referrals-col-follow-up", 120.0),
    col("referrals-col-outcome", 160.0),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Filters {
    search: String,
    outcome: Option<ReferralOutcome>,
    service: Option<Id>,
    year: Option<i32>,
    overdue: bool,
    archived: bool,
}

/// The Invii screen.
pub struct ReferralsScreen {
    filters: Filters,
    loader: Loader<ReferralRow>,
    list: ListState,
    shown_for: Option<(u64, Filters, super::table::Sort)>,
    overdue_total: usize,
}

impl Default for ReferralsScreen {
    fn default() -> Self {
        ReferralsScreen {
            filters: Filters::default(),
            loader: Loader::default(),
            list: ListState::sorted(super::table::Sort { col: 0, asc: false }),
            shown_for: None,
            overdue_total: 0,
        }
    }
}

impl ReferralsScreen {
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let key = (
            stamp(&[
                env.revision(EntityKind::Referral),
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
        let now = today();
        self.overdue_total = rows
            .iter()
            .filter(|r| !r.archived && r.overdue(now))
            .count();
        let mut order: Vec<u32> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                (f.archived || !r.archived)
                    && f.outcome.is_none_or(|o| r.outcome == o)
                    && f.service.is_none_or(|s| r.service == s)
                    && f.year.is_none_or(|y| r.date.year() == y)
                    && (!f.overdue || r.overdue(now))
                    && who.ok(data, r.subject)
            })
            .map(|(i, _)| i as u32)
            .collect();
        let s = self.list.sort;
        let cat = &data.catalog;
        sort_by(&mut order, rows, s.asc, |a, b| {
            let o = match s.col {
                0 => a.date.cmp(&b.date),
                1 => SubjectFilter::key(data, a.subject).cmp(SubjectFilter::key(data, b.subject)),
                2 => cat.name(a.service).cmp(cat.name(b.service)),
                3 => a.reason.cmp(&b.reason),
                4 => a.follow_up.cmp(&b.follow_up),
                _ => (a.outcome as u8).cmp(&(b.outcome as u8)),
            };
            o.then_with(|| a.date.cmp(&b.date))
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
            env.revision(EntityKind::Referral),
            inline,
            move |_| {
                let r = store.read().map_err(|e| e.to_string())?;
                let mut v = Vec::new();
                r.for_each(|x: Referral| {
                    v.push(ReferralRow {
                        id: x.id,
                        subject: x.subject,
                        date: x.date,
                        service: x.service,
                        reason: x.reason.lines().next().unwrap_or("").to_string(),
                        follow_up: x.follow_up,
                        outcome: x.outcome,
                        archived: x.archived,
                    })
                })
                .map_err(|e| e.to_string())?;
                Ok(v)
            },
        );
        let now = today();
        let overdue_total = self.overdue_total;
        ui.horizontal(|ui| {
            ui.heading(tr!("nav-referrals"));
            ui.add_space(12.0);
            if ui.button(tr!("referrals-new")).clicked() {
                env.open = Some(OpenForm::NewReferral(None));
            }
            if overdue_total > 0 {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    tr!("referrals-overdue-count", count = overdue_total as i64),
                );
            }
        });
        let mut search_focused = false;
        ui.horizontal_wrapped(|ui| {
            let r = widgets::search_box(
                ui,
                "referrals-search",
                &mut self.filters.search,
                &tr!("subject-search-hint"),
                &mut env.focus_search,
            );
            search_focused = r.has_focus() || r.lost_focus();
            let d = &env.data;
            let l = ui.label(tr!("referrals-col-outcome"));
            let outs = widgets::with_all(
                ReferralOutcome::ALL
                    .into_iter()
                    .map(|o| (o, labels::referral_outcome(o))),
            );
            widgets::choice(
                ui,
                "referrals-outcome",
                l.id,
                &mut self.filters.outcome,
                &outs,
                160.0,
            );
            let l = ui.label(tr!("referrals-col-service"));
            let svc = widgets::with_all(widgets::service_options(d, None));
            widgets::choice(
                ui,
                "referrals-service",
                l.id,
                &mut self.filters.service,
                &svc,
                150.0,
            );
            let l = ui.label(tr!("filter-year"));
            let years = widgets::with_all(widgets::recent_years());
            widgets::choice(
                ui,
                "referrals-year",
                l.id,
                &mut self.filters.year,
                &years,
                70.0,
            );
            ui.checkbox(&mut self.filters.overdue, tr!("referrals-overdue-only"));
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
        let out = self.list.show(ui, "referrals-table", &COLS, |ui, i, c| {
            let r = &rows[i as usize];
            let text = match c {
                0 => fmt_date(r.date),
                1 => data.subject_name(r.subject),
                2 => data.catalog.name(r.service).to_string(),
                3 => r.reason.clone(),
                4 => r.follow_up.map(fmt_date).unwrap_or_default(),
                _ => labels::referral_outcome(r.outcome),
            };
            if r.archived {
                ui.label(RichText::new(text).weak().strikethrough());
            } else if c == 4 && r.overdue(now) {
                ui.label(RichText::new(format!("⚠ {text}")).color(ui.visuals().error_fg_color))
                    .on_hover_text(tr!("referrals-overdue-hint"));
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
            env.open = Some(OpenForm::Edit(EntityKind::Referral, rows[row as usize].id));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    subject: Option<Subject>,
    date: String,
    service: Id,
    line: Option<Id>,
    operator: Option<Id>,
    reason: String,
    follow_up: String,
    outcome: ReferralOutcome,
    outcome_note: String,
}

/// The referral dialog.
pub struct ReferralForm {
    base: Option<Referral>,
    draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    problems: Problems,
    shell: FormShell,
    archive: ArchiveButton,
}

impl ReferralForm {
    /// A new referral today, with a follow-up in a month.
    pub fn new(env: &Env, subject: Option<Subject>) -> Self {
        let draft = Draft {
            subject,
            date: fmt_date(today()),
            service: env
                .data
                .catalog
                .services
                .iter()
                .find(|s| !s.archived)
                .map(|s| s.id)
                .unwrap_or(Id::NIL),
            line: None,
            operator: env.can_write().then_some(env.operator),
            reason: String::new(),
            follow_up: fmt_date(today() + Duration::days(30)),
            outcome: ReferralOutcome::InAttesa,
            outcome_note: String::new(),
        };
        let mut picker = SubjectPicker::new("referral-subject", true).with(subject);
        picker.focus();
        ReferralForm {
            base: None,
            initial: draft.clone(),
            draft,
            picker,
            problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    /// An existing referral.
    pub fn edit(x: Referral) -> Self {
        let draft = Draft {
            subject: Some(x.subject),
            date: fmt_date(x.date),
            service: x.service,
            line: x.line,
            operator: x.operator,
            reason: x.reason.clone(),
            follow_up: x.follow_up.map(fmt_date).unwrap_or_default(),
            outcome: x.outcome,
            outcome_note: x.outcome_note.clone(),
        };
        ReferralForm {
            picker: SubjectPicker::new("referral-subject", true).with(Some(x.subject)),
            base: Some(x),
            initial: draft.clone(),
            draft,
            problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    fn build(&self) -> (Referral, Problems) {
        let d = &self.draft;
        let mut p = Problems::default();
        let date = widgets::need_date(&mut p, "date", &d.date);
        let follow_up = widgets::opt_date(&mut p, "follow_up", &d.follow_up);
        if d.subject.is_none() {
            p.add("subject", "Scegli la persona o il nucleo");
        }
        let x = Referral {
            id: self.base.as_ref().map(|b| b.id).unwrap_or(Id::NIL),
            subject: d.subject.unwrap_or(Subject::Person(Id::NIL)),
            date,
            service: d.service,
            line: d.line,
            operator: d.operator,
            reason: d.reason.trim().to_string(),
            follow_up,
            outcome: d.outcome,
            outcome_note: d.outcome_note.trim().to_string(),
            archived: self.base.as_ref().is_some_and(|b| b.archived),
        };
        for e in x.validate(today()).0 {
            if p.for_field(e.field).is_none() {
                p.0.push(e);
            }
        }
        (x, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let (x, problems) = self.build();
        if !problems.is_empty() {
            self.problems = problems;
            return false;
        }
        save_record(
            env,
            x,
            self.base.is_none(),
            "referral-saved",
            &mut self.problems,
        )
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        self.draft != self.initial
    }

    /// Shows the dialog; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = if self.base.is_some() {
            tr!("referral-edit-title")
        } else {
            tr!("referral-new-title")
        };
        let dirty = self.draft != self.initial;
        self.shell.suspend_keys = self.archive.busy();
        let mut archived = false;
        let ctx = ui.ctx().clone();
        let (event, ()) = self
            .shell
            .show(&ctx, "referral", &title, dirty, 620.0, |ui| {
                let p = &self.problems;
                if let Some(b) = &self.base
                    && b.overdue(today())
                {
                    ui.colored_label(ui.visuals().error_fg_color, tr!("referral-overdue-banner"));
                }
                egui::Grid::new("referral-grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let l = widgets::label(ui, &tr!("referral-subject"));
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
                        widgets::date_row(
                            ui,
                            &tr!("referral-date"),
                            "referral-date",
                            &mut d.date,
                            p.for_field("date"),
                        );
                        let svc = widgets::service_options(&env.data, Some(d.service));
                        widgets::choice_row(
                            ui,
                            &tr!("referral-service"),
                            &mut d.service,
                            &svc,
                            p.for_field("service"),
                        );
                        let lines = widgets::with_none(widgets::line_options(&env.data, d.line));
                        widgets::choice_row(
                            ui,
                            &tr!("referral-line"),
                            &mut d.line,
                            &lines,
                            p.for_field("line"),
                        );
                        let ops =
                            widgets::with_none(widgets::operator_options(&env.data, d.operator));
                        widgets::choice_row(
                            ui,
                            &tr!("referral-operator"),
                            &mut d.operator,
                            &ops,
                            p.for_field("operator"),
                        );
                        widgets::multiline_row(
                            ui,
                            &tr!("referral-reason"),
                            &mut d.reason,
                            p.for_field("reason"),
                        );
                        widgets::date_row(
                            ui,
                            &tr!("referral-follow-up"),
                            "referral-follow-up",
                            &mut d.follow_up,
                            p.for_field("follow_up"),
                        );
                        let outs: Vec<(ReferralOutcome, String)> = ReferralOutcome::ALL
                            .into_iter()
                            .map(|o| (o, labels::referral_outcome(o)))
                            .collect();
                        widgets::choice_row(
                            ui,
                            &tr!("referral-outcome"),
                            &mut d.outcome,
                            &outs,
                            None,
                        );
                        widgets::multiline_row(
                            ui,
                            &tr!("referral-outcome-note"),
                            &mut d.outcome_note,
                            p.for_field("outcome_note"),
                        );
                    });
                widgets::other_problems(
                    ui,
                    &self.problems,
                    &[
                        "subject",
                        "date",
                        "service",
                        "line",
                        "operator",
                        "reason",
                        "follow_up",
                        "outcome_note",
                    ],
                );
                if let Some(b) = &self.base {
                    ui.add_space(6.0);
                    archived = self.archive.ui::<Referral>(ui, env, b.id, b.archived);
                }
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
