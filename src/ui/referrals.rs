//! Invii alla rete: referrals to territorial services with a follow-up date, an outcome,
//! and the filter of overdue follow-ups (date passed, no outcome yet).

use super::data::SubjectFilter;
use super::forms::{ArchiveButton, FormEvent, FormShell, Recheck, save_checked};
use super::jobs::{Loader, stamp};
use super::list::{self, List};
use super::table::{Col, Sort, cell, col, filter_sorted};
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

impl super::jobs::Row for ReferralRow {
    fn id(&self) -> Id {
        self.id
    }
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
    loader: Loader<ReferralRow>,
    list: List<Filters>,
    overdue_total: usize,
}

impl Default for ReferralsScreen {
    fn default() -> Self {
        ReferralsScreen {
            loader: Loader::default(),
            list: List::sorted(Sort { col: 0, asc: false }),
            overdue_total: 0,
        }
    }
}

impl ReferralRow {
    fn of(x: Referral) -> ReferralRow {
        ReferralRow {
            id: x.id,
            subject: x.subject,
            date: x.date,
            service: x.service,
            reason: x.reason.lines().next().unwrap_or("").to_string(),
            follow_up: x.follow_up,
            outcome: x.outcome,
            archived: x.archived,
        }
    }
}

impl ReferralsScreen {
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let key = stamp(&[
            env.revision(EntityKind::Referral),
            env.revision(EntityKind::Person),
            self.loader.loaded(),
        ]);
        let Some((f, s)) = self.list.stale(key) else {
            return;
        };
        let data = &env.data;
        let who = SubjectFilter::new(data, &f.search);
        let now = today();
        self.overdue_total = rows
            .iter()
            .filter(|r| !r.archived && r.overdue(now))
            .count();
        let cat = &data.catalog;
        let order = filter_sorted(
            rows,
            s.asc,
            |r| {
                (f.archived || !r.archived)
                    && f.outcome.is_none_or(|o| r.outcome == o)
                    && f.service.is_none_or(|s| r.service == s)
                    && f.year.is_none_or(|y| r.date.year() == y)
                    && (!f.overdue || r.overdue(now))
                    && who.ok(data, r.subject)
            },
            |a, b| {
                let o = match s.col {
                    0 => a.date.cmp(&b.date),
                    1 => {
                        SubjectFilter::key(data, a.subject).cmp(SubjectFilter::key(data, b.subject))
                    }
                    2 => cat.name(a.service).cmp(cat.name(b.service)),
                    3 => a.reason.cmp(&b.reason),
                    4 => a.follow_up.cmp(&b.follow_up),
                    _ => (a.outcome as u8).cmp(&(b.outcome as u8)),
                };
                o.then_with(|| a.date.cmp(&b.date))
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
            .ensure_all(ui.ctx(), env, inline, ReferralRow::of);
        let now = today();
        let overdue_total = self.overdue_total;
        let overdue = |ui: &mut Ui| {
            if overdue_total > 0 {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    tr!("referrals-overdue-count", count = overdue_total as i64),
                );
            }
        };
        if list::header(ui, "nav-referrals", "referrals-new", None, overdue) {
            env.open = Some(OpenForm::NewReferral(None));
        }
        let mut search_focused = false;
        let f = &mut self.list.filters;
        ui.horizontal_wrapped(|ui| {
            search_focused = list::search(
                ui,
                "referrals-search",
                &mut f.search,
                "subject-search-hint",
                &mut env.focus_search,
            );
            let d = &env.data;
            let outs = ReferralOutcome::ALL.map(|o| (o, labels::referral_outcome(o)));
            list::filter(
                ui,
                "referrals-col-outcome",
                "referrals-outcome",
                &mut f.outcome,
                outs,
                160.0,
            );
            let svc = widgets::service_options(d, None);
            list::filter(
                ui,
                "referrals-col-service",
                "referrals-service",
                &mut f.service,
                svc,
                150.0,
            );
            let years = widgets::recent_years();
            list::filter(
                ui,
                "filter-year",
                "referrals-year",
                &mut f.year,
                years,
                70.0,
            );
            ui.checkbox(&mut f.overdue, tr!("referrals-overdue-only"));
            ui.checkbox(&mut f.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        list::count(ui, self.list.len(), self.loader.rows.len());
        let keys = env.list_keys(ui, search_focused);
        let rows = self.loader.rows.clone();
        let data = &env.data;
        let open = self
            .list
            .table(ui, keys, "referrals-table", &COLS, |ui, i, c| {
                let r = &rows[i as usize];
                let text = match c {
                    0 => fmt_date(r.date),
                    1 => data.subject_name(r.subject),
                    2 => data.catalog.name(r.service).to_string(),
                    3 => r.reason.clone(),
                    4 => r.follow_up.map(fmt_date).unwrap_or_default(),
                    _ => labels::referral_outcome(r.outcome),
                };
                if c == 4 && !r.archived && r.overdue(now) {
                    ui.label(RichText::new(format!("⚠ {text}")).color(ui.visuals().error_fg_color))
                        .on_hover_text(tr!("referrals-overdue-hint"));
                } else {
                    cell(ui, text, r.archived);
                }
            });
        if let Some(i) = open {
            env.open = Some(OpenForm::Edit(EntityKind::Referral, rows[i as usize].id));
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
    recheck: Recheck<Draft>,
    shell: FormShell,
    archive: ArchiveButton,
    /// The consent warning for the person chosen, with what it was worked out for
    /// (person, revision of the privacy logs).
    consent: Option<((Id, u64), Option<String>)>,
}

impl ReferralForm {
    /// The warning a new referral shows when the person has not consented to sharing
    /// with the network, or has withdrawn that consent (read again when the person or any
    /// privacy log changes, so a withdrawal shows at once).
    fn consent_warning(&mut self, env: &Env) -> Option<String> {
        if self.base.is_some() {
            return None;
        }
        let Some(Subject::Person(person)) = self.draft.subject else {
            return None;
        };
        let key = (person, env.revision(EntityKind::PrivacyEntry));
        if self.consent.as_ref().is_none_or(|(k, _)| *k != key) {
            let warning = env
                .read()
                .and_then(|r| r.referral_consent_warning(person))
                .unwrap_or_default();
            self.consent = Some((key, warning));
        }
        self.consent.as_ref().and_then(|(_, w)| w.clone())
    }

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
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            consent: None,
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
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            consent: None,
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
        p.merge(x.validate(today()));
        (x, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let is_new = self.base.is_none();
        save_checked(
            env,
            self.build(),
            is_new,
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
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.build().1;
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let dirty = self.dirty();
        self.shell.suspend_keys = self.archive.busy();
        let mut archived = false;
        let ctx = ui.ctx().clone();
        let consent_warning = self.consent_warning(env);
        let (event, ()) = self
            .shell
            .show(&ctx, "referral", &title, dirty, 620.0, |ui| {
                let p = &self.problems;
                if let Some(w) = &consent_warning {
                    ui.add(
                        egui::Label::new(
                            RichText::new(w.as_str()).color(ui.visuals().warn_fg_color),
                        )
                        .wrap(),
                    );
                }
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
