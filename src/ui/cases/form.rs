//! The case dialog: subject, line, status, referente and team, the bisogno, the plan's
//! goals with their review dates, and closing with an outcome.

use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use crate::ui::forms::{ArchiveButton, FormEvent, FormShell, Recheck, save_checked};
use crate::ui::widgets::{self, Picked, SubjectPicker};
use crate::ui::{Env, labels};
use egui::Ui;

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
    recheck: Recheck<Draft>,
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
            recheck: Recheck::default(),
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
            recheck: Recheck::default(),
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
        p.merge(c.validate(today()));
        (c, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let is_new = self.base.is_none();
        save_checked(env, self.build(), is_new, "case-saved", &mut self.problems)
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
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.build().1;
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let dirty = self.dirty();
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
