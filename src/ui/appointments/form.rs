//! The booking dialog: who (the contact form's subject picker), when (date, time,
//! duration), where and with whom (desk, operator), the line and the note (what to bring).
//! Keyboard-first like the contact form: Enter saves, Esc cancels.

use crate::domain::appointment::{MAX_MINUTES, MIN_MINUTES};
use crate::domain::time::fmt_date;
use crate::domain::*;
use crate::tr;
use crate::ui::Env;
use crate::ui::contacts::defaults::default_line;
use crate::ui::forms::{FormEvent, FormShell, Recheck, store_problems};
use crate::ui::widgets::{self, Picked, SubjectPicker};
use chrono::{NaiveDate, NaiveTime, Timelike};

/// The fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    subject: Option<Subject>,
    date: String,
    time: String,
    minutes: String,
    line: Option<Id>,
    desk: Id,
    operator: Id,
    note: String,
}

/// The booking dialog, new or edit.
pub(super) struct BookingForm {
    base: Option<Appointment>,
    draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    problems: Problems,
    recheck: Recheck<Draft>,
    shell: FormShell,
}

impl BookingForm {
    /// A new booking on `day` at the next half hour, at `desk` with `operator` (the
    /// screen's filters, else this workstation's).
    pub(super) fn new(env: &Env, day: NaiveDate, desk: Id, operator: Id) -> Self {
        let now = env.store.clock().now();
        let time = if day == now.date() {
            let m = (now.hour() * 60 + now.minute()).div_ceil(30) * 30;
            format!("{:02}:{:02}", (m / 60).min(23), m % 60)
        } else {
            "09:00".to_string()
        };
        let draft = Draft {
            subject: None,
            date: fmt_date(day),
            time,
            minutes: "30".into(),
            line: env.last_line,
            desk,
            operator,
            note: String::new(),
        };
        let mut picker = SubjectPicker::new("appointment-subject", true);
        picker.focus();
        Self::open(None, draft, picker)
    }

    /// An existing appointment.
    pub(super) fn edit(a: Appointment) -> Self {
        let draft = Draft {
            subject: Some(a.subject),
            date: fmt_date(a.start.date()),
            time: a.start.format("%H:%M").to_string(),
            minutes: a.minutes.to_string(),
            line: a.line,
            desk: a.desk,
            operator: a.operator,
            note: a.note.clone(),
        };
        let picker = SubjectPicker::new("appointment-subject", true).with(Some(a.subject));
        Self::open(Some(a), draft, picker)
    }

    fn open(base: Option<Appointment>, draft: Draft, picker: SubjectPicker) -> Self {
        BookingForm {
            base,
            initial: draft.clone(),
            draft,
            picker,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
        }
    }

    fn build(&self, today: NaiveDate) -> (Appointment, Problems) {
        let d = &self.draft;
        let mut p = Problems::default();
        let date = widgets::need_date(&mut p, "start", &d.date);
        let time = match NaiveTime::parse_from_str(d.time.trim(), "%H:%M") {
            Ok(t) => t,
            Err(_) => {
                p.add("time", tr!("appointment-bad-time"));
                NaiveTime::MIN
            }
        };
        let minutes = widgets::number::<u16>(&mut p, "minutes", &d.minutes);
        if d.subject.is_none() {
            p.add("subject", tr!("appointment-need-subject"));
        }
        let mut a = match &self.base {
            Some(b) => b.clone(),
            None => Appointment::new(
                Subject::Person(Id::NIL),
                Id::NIL,
                Id::NIL,
                date.and_time(time),
                30,
            ),
        };
        a.subject = d.subject.unwrap_or(Subject::Person(Id::NIL));
        a.start = date.and_time(time);
        a.minutes = minutes;
        a.line = d.line;
        a.desk = d.desk;
        a.operator = d.operator;
        a.note = d.note.clone();
        for e in a.validate(today).0 {
            if p.for_field(e.field).is_none() {
                p.0.push(e);
            }
        }
        (a, p)
    }

    fn save(&mut self, env: &mut Env) -> Option<NaiveDate> {
        let (a, problems) = self.build(env.store.clock().today());
        if !problems.is_empty() {
            self.problems = problems;
            return None;
        }
        let day = a.start.date();
        let name = env.data.subject_name(a.subject);
        let result = if self.base.is_some() {
            env.update(a)
        } else {
            env.insert(a).map(|_| ())
        };
        match result {
            Ok(()) => {
                env.last_line = self.draft.line.or(env.last_line);
                env.notify(tr!("appointment-saved", name = name));
                Some(day)
            }
            Err(e) => {
                self.problems = store_problems(e, env);
                None
            }
        }
    }

    /// Shows the dialog: `Some(Some(day))` once saved (the screen shows that day),
    /// `Some(None)` when closed without saving, `None` while open.
    pub(super) fn ui(&mut self, ctx: &egui::Context, env: &mut Env) -> Option<Option<NaiveDate>> {
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.build(env.store.clock().today()).1;
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let title = if self.base.is_some() {
            tr!("appointment-edit-title")
        } else {
            tr!("appointment-new-title")
        };
        let dirty = self.draft != self.initial;
        let (event, ()) = self
            .shell
            .show(ctx, "appointment", &title, dirty, 560.0, |ui| {
                let p = &self.problems;
                egui::Grid::new("appointment-grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let l = widgets::label(ui, &tr!("appointment-subject"));
                        ui.vertical(|ui| {
                            match self.picker.ui(ui, &env.data, l.id) {
                                Picked::Chosen(s) => {
                                    self.draft.subject = Some(s);
                                    // No line chosen yet: the person's usual one (the
                                    // contact form's rule).
                                    if self.draft.line.is_none() {
                                        let l = default_line(env, Some(s));
                                        self.draft.line = (l != Id::NIL).then_some(l);
                                    }
                                }
                                Picked::Cleared => self.draft.subject = None,
                                _ => {}
                            }
                            widgets::problem(ui, p.for_field("subject"));
                        });
                        ui.end_row();
                        let d = &mut self.draft;
                        let dl = widgets::label(ui, &tr!("appointment-date"));
                        ui.vertical(|ui| {
                            ui.horizontal(|ui| {
                                widgets::date_edit(ui, "appointment-date", &mut d.date, dl.id);
                                let tl = ui.label(tr!("appointment-time"));
                                ui.add(
                                    egui::TextEdit::singleline(&mut d.time)
                                        .desired_width(50.0)
                                        .hint_text("hh:mm"),
                                )
                                .labelled_by(tl.id);
                            });
                            widgets::problem(ui, p.for_field("start").or(p.for_field("time")));
                        });
                        ui.end_row();
                        widgets::text_row_hint(
                            ui,
                            &tr!("appointment-minutes"),
                            &mut d.minutes,
                            &format!("{MIN_MINUTES}–{MAX_MINUTES}"),
                            p.for_field("minutes"),
                        );
                        let lines = widgets::with_none(widgets::line_options(&env.data, d.line));
                        widgets::choice_row(
                            ui,
                            &tr!("appointment-line"),
                            &mut d.line,
                            &lines,
                            p.for_field("line"),
                        );
                        let ops = widgets::operator_options(&env.data, Some(d.operator));
                        widgets::choice_row(
                            ui,
                            &tr!("appointment-operator"),
                            &mut d.operator,
                            &ops,
                            p.for_field("operator"),
                        );
                        let desks = widgets::desk_options(&env.data, Some(d.desk));
                        widgets::choice_row(
                            ui,
                            &tr!("appointment-desk"),
                            &mut d.desk,
                            &desks,
                            p.for_field("desk"),
                        );
                        widgets::multiline_row(
                            ui,
                            &tr!("appointment-note"),
                            &mut d.note,
                            p.for_field("note"),
                        );
                    });
                widgets::other_problems(
                    ui,
                    &self.problems,
                    &[
                        "subject", "start", "time", "minutes", "line", "operator", "desk", "note",
                    ],
                );
            });
        match event {
            FormEvent::Save => self.save(env).map(Some),
            FormEvent::Close => Some(None),
            FormEvent::None => None,
        }
    }
}
