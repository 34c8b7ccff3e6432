//! The contact dialog: new (fast entry, defaults from the desk) or edit.

use super::defaults::default_line;
use super::new_person::{NewPerson, new_person_rows};
use crate::domain::time::{fmt_date, now_minute, today};
use crate::domain::*;
use crate::tr;
use crate::ui::forms::{ArchiveButton, FormEvent, FormShell, Recheck, store_problems};
use crate::ui::widgets::{self, Picked, SubjectPicker};
use crate::ui::{Env, Route, labels};
use chrono::{Datelike, NaiveTime, Timelike};
use egui::{RichText, Ui};

/// The fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Draft {
    subject: Option<Subject>,
    pub(super) new_person: Option<NewPerson>,
    date: String,
    time: String,
    line: Id,
    desk: Id,
    operator: Id,
    kind: ContactKind,
    measure: Option<Id>,
    minutes: String,
    note: String,
    confidential: bool,
}

/// The contact dialog: new (fast entry) or edit.
pub struct ContactForm {
    base: Option<Contact>,
    pub(super) draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    problems: Problems,
    recheck: Recheck<Draft>,
    person_problems: Problems,
    person_recheck: Recheck<Draft>,
    shell: FormShell,
    archive: ArchiveButton,
    focus_new: bool,
    same_name: Option<(String, Vec<Id>)>,
    /// The line the form chose by itself (`defaults`): while the draft is still on it,
    /// choosing another person moves it to that person's line.
    auto_line: Option<Id>,
    /// The appointment this contact records (saving marks it held, in one transaction).
    appointment: Option<Id>,
}

impl ContactForm {
    /// A new contact, now, at this desk, by this operator, on the person's usual line (the
    /// rules are in `contacts/defaults.rs`).
    pub fn new(env: &Env, subject: Option<Subject>) -> Self {
        let now = now_minute();
        let draft = Draft {
            subject,
            new_person: None,
            date: fmt_date(now.date()),
            time: format!("{:02}:{:02}", now.hour(), now.minute()),
            line: default_line(env, subject),
            desk: env.desk,
            operator: env.operator,
            kind: ContactKind::Ascolto,
            measure: None,
            minutes: String::new(),
            note: String::new(),
            confidential: false,
        };
        let mut picker = SubjectPicker::new("contact-subject", true)
            .allow_new()
            .with(subject);
        picker.focus();
        let line = draft.line;
        let mut form = Self::open(None, draft, picker);
        form.auto_line = Some(line);
        form
    }

    /// An existing contact.
    pub fn edit(c: Contact) -> Self {
        let draft = Draft {
            subject: Some(c.subject),
            new_person: None,
            date: fmt_date(c.at.date()),
            time: format!("{:02}:{:02}", c.at.hour(), c.at.minute()),
            line: c.line,
            desk: c.desk,
            operator: c.operator,
            kind: c.kind,
            measure: c.measure,
            minutes: if c.minutes > 0 {
                c.minutes.to_string()
            } else {
                String::new()
            },
            note: c.note.clone(),
            confidential: c.confidential,
        };
        let picker = SubjectPicker::new("contact-subject", true).with(Some(c.subject));
        Self::open(Some(c), draft, picker)
    }

    /// The dialog over a draft (of a new contact when `base` is `None`).
    fn open(base: Option<Contact>, draft: Draft, picker: SubjectPicker) -> Self {
        ContactForm {
            base,
            initial: draft.clone(),
            draft,
            picker,
            problems: Problems::default(),
            recheck: Recheck::default(),
            person_problems: Problems::default(),
            person_recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            focus_new: false,
            same_name: None,
            auto_line: None,
            appointment: None,
        }
    }

    /// A new contact recording appointment `a` (the person came): its subject, day and
    /// time, desk, operator, duration and line (the person's usual one when it had none).
    pub fn from_appointment(env: &Env, a: &Appointment) -> Self {
        let mut form = Self::new(env, Some(a.subject));
        let d = &mut form.draft;
        d.date = fmt_date(a.start.date());
        d.time = format!("{:02}:{:02}", a.start.hour(), a.start.minute());
        d.desk = a.desk;
        d.operator = a.operator;
        d.minutes = a.minutes.to_string();
        if let Some(l) = a.line {
            d.line = l;
            form.auto_line = None;
        }
        form.initial = form.draft.clone();
        form.appointment = Some(a.id);
        form
    }

    fn build(&self) -> (Contact, Problems) {
        let d = &self.draft;
        let mut p = Problems::default();
        let date = widgets::need_date(&mut p, "at", &d.date);
        let time = if d.time.trim().is_empty() {
            NaiveTime::MIN
        } else {
            match NaiveTime::parse_from_str(d.time.trim(), "%H:%M") {
                Ok(t) => t,
                Err(_) => {
                    p.add("time", "Ora non valida: scrivila come hh:mm");
                    NaiveTime::MIN
                }
            }
        };
        let minutes = widgets::number::<u16>(&mut p, "minutes", &d.minutes);
        if d.subject.is_none() && d.new_person.is_none() {
            p.add(
                "subject",
                "Scegli la persona o il nucleo (o registrane una nuova)",
            );
        }
        let c = Contact {
            id: self.base.as_ref().map(|b| b.id).unwrap_or(Id::NIL),
            at: date.and_time(time),
            subject: d.subject.unwrap_or(Subject::Person(Id::NIL)),
            line: d.line,
            desk: d.desk,
            operator: d.operator,
            kind: d.kind,
            measure: d.measure,
            minutes,
            note: d.note.clone(),
            confidential: d.confidential,
            archived: self.base.as_ref().is_some_and(|b| b.archived),
        };
        for e in c.validate(today()).0 {
            if p.for_field(e.field).is_none() && !(e.field == "subject" && d.new_person.is_some()) {
                p.0.push(e);
            }
        }
        (c, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let (mut contact, problems) = self.build();
        let person = self.new_person();
        let mut person_problems = person.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
        // A codice fiscale someone already holds: choose that person (registering a second
        // holder on purpose is for the full Persona form, which asks).
        if let Some((p, _)) = &person
            && let Some(cf) = &p.codice_fiscale
        {
            match crate::ui::person_cf::cf_holders(env, cf, Id::NIL) {
                Ok(h) if !h.is_empty() => person_problems.add(
                    "codice_fiscale",
                    tr!("contact-cf-taken", holders = h.join(", ")),
                ),
                Ok(_) => {}
                Err(e) => env.fail(e.to_string()),
            }
        }
        if !problems.is_empty() || !person_problems.is_empty() {
            self.problems = problems;
            self.person_problems = person_problems;
            return false;
        }
        let is_new = self.base.is_none();
        let year = contact.at.year();
        let result = match person {
            Some((person, _)) => env.transaction(|w| {
                let pid = w.insert(person)?;
                contact.subject = Subject::Person(pid);
                let cid = w.insert(contact)?;
                Ok((
                    Subject::Person(pid),
                    vec![(EntityKind::Person, pid), (EntityKind::Contact, cid)],
                ))
            }),
            None if is_new && self.appointment.is_some() => {
                let s = contact.subject;
                let aid = self.appointment.unwrap_or(Id::NIL);
                env.transaction(|w| {
                    let cid = w.record_appointment_visit(aid, contact)?;
                    Ok((
                        s,
                        vec![(EntityKind::Contact, cid), (EntityKind::Appointment, aid)],
                    ))
                })
            }
            None if is_new => {
                let s = contact.subject;
                env.insert(contact).map(|_| s)
            }
            None => {
                let s = contact.subject;
                env.update(contact).map(|()| s)
            }
        };
        match result {
            Ok(s) => {
                env.last_line = Some(self.draft.line);
                env.saved_contact_year = Some(year);
                env.notify(tr!("contact-saved", name = env.data.subject_name(s)));
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
            tr!("contact-edit-title")
        } else {
            tr!("contact-new-title")
        };
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.build().1;
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        if self.person_recheck.due(&self.draft, &self.person_problems) {
            let fresh = self.new_person().map(|(_, p)| p).unwrap_or_default();
            self.person_recheck
                .apply(&self.draft, &mut self.person_problems, fresh);
        }
        let dirty = self.dirty();
        self.shell.suspend_keys = self.archive.busy();
        let mut archived = false;
        let mut goto_person = None;
        let ctx = ui.ctx().clone();
        let (event, ()) = self
            .shell
            .show(&ctx, "contact", &title, dirty, 600.0, |ui| {
                let p = &self.problems;
                egui::Grid::new("contact-grid")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        let l = widgets::label(ui, &tr!("contact-subject"));
                        ui.vertical(|ui| {
                            if self.draft.new_person.is_none() {
                                match self.picker.ui(ui, &env.data, l.id) {
                                    Picked::Chosen(s) => {
                                        self.draft.subject = Some(s);
                                        if self.auto_line == Some(self.draft.line) {
                                            let line = default_line(env, Some(s));
                                            self.draft.line = line;
                                            self.auto_line = Some(line);
                                        }
                                    }
                                    Picked::Cleared => self.draft.subject = None,
                                    Picked::CreateNew(typed) => {
                                        let mut words = typed.split_whitespace();
                                        let surname = words.next().unwrap_or("").to_string();
                                        let name = words.collect::<Vec<_>>().join(" ");
                                        self.draft.new_person = Some(NewPerson {
                                            surname,
                                            name,
                                            ..Default::default()
                                        });
                                        self.draft.subject = None;
                                        self.focus_new = true;
                                    }
                                    Picked::Nothing => {}
                                }
                            } else {
                                ui.horizontal(|ui| {
                                    ui.label(RichText::new(tr!("contact-new-person")).strong());
                                    if ui.small_button(tr!("contact-new-person-cancel")).clicked() {
                                        self.draft.new_person = None;
                                        self.picker.focus();
                                    }
                                });
                            }
                            widgets::problem(ui, p.for_field("subject"));
                        });
                        ui.end_row();
                        if let Some(n) = &mut self.draft.new_person
                            && let Some(id) = new_person_rows(
                                ui,
                                &env.data,
                                n,
                                &self.person_problems,
                                &mut self.focus_new,
                                &mut self.same_name,
                            )
                        {
                            goto_person = Some(id);
                        }
                        let dl = widgets::label(ui, &tr!("contact-when"));
                        ui.vertical(|ui| {
                            ui.horizontal(|ui| {
                                widgets::date_edit(ui, "contact-date", &mut self.draft.date, dl.id);
                                let tl = ui.label(tr!("contact-time"));
                                ui.add(
                                    egui::TextEdit::singleline(&mut self.draft.time)
                                        .desired_width(50.0)
                                        .hint_text("hh:mm"),
                                )
                                .labelled_by(tl.id);
                            });
                            widgets::problem(ui, p.for_field("at").or(p.for_field("time")));
                        });
                        ui.end_row();
                        let d = &mut self.draft;
                        let lines = widgets::line_options(&env.data, Some(d.line));
                        widgets::choice_row(
                            ui,
                            &tr!("contact-line"),
                            &mut d.line,
                            &lines,
                            p.for_field("line"),
                        );
                        let kinds: Vec<(ContactKind, String)> = ContactKind::ALL
                            .into_iter()
                            .map(|k| (k, labels::contact_kind(k)))
                            .collect();
                        widgets::choice_row(ui, &tr!("contact-kind"), &mut d.kind, &kinds, None);
                        let measures =
                            widgets::with_none(widgets::measure_options(&env.data, d.measure));
                        widgets::choice_row(
                            ui,
                            &tr!("contact-measure"),
                            &mut d.measure,
                            &measures,
                            p.for_field("measure"),
                        );
                        let desks = widgets::desk_options(&env.data, Some(d.desk));
                        widgets::choice_row(
                            ui,
                            &tr!("contact-desk"),
                            &mut d.desk,
                            &desks,
                            p.for_field("desk"),
                        );
                        let ops = widgets::operator_options(&env.data, Some(d.operator));
                        widgets::choice_row(
                            ui,
                            &tr!("contact-operator"),
                            &mut d.operator,
                            &ops,
                            p.for_field("operator"),
                        );
                        widgets::text_row_hint(
                            ui,
                            &tr!("contact-minutes"),
                            &mut d.minutes,
                            &tr!("optional"),
                            p.for_field("minutes"),
                        );
                        widgets::multiline_row(
                            ui,
                            &tr!("contact-note"),
                            &mut d.note,
                            p.for_field("note"),
                        );
                        widgets::check_row(
                            ui,
                            "",
                            &tr!("contact-confidential"),
                            &mut d.confidential,
                        );
                    });
                widgets::other_problems(
                    ui,
                    &self.problems,
                    &[
                        "subject", "at", "time", "line", "measure", "desk", "operator", "minutes",
                        "note",
                    ],
                );
                if let Some(b) = &self.base {
                    ui.add_space(6.0);
                    ui.horizontal(|ui| {
                        if let Subject::Person(pid) = b.subject
                            && ui.button(tr!("contact-open-person")).clicked()
                        {
                            goto_person = Some(pid);
                        }
                        archived = self.archive.ui::<Contact>(ui, env, b.id, b.archived);
                    });
                }
            });
        if archived {
            return true;
        }
        if let Some(pid) = goto_person {
            if self.base.is_some() {
                // Leaving for the person's page: with unsaved edits, ask first.
                let dirty = self.dirty();
                if let Some(route) = self.shell.leave(Route::Person(pid), dirty) {
                    env.goto(route);
                    return true;
                }
                return false;
            }
            // Choosing the already registered person instead of a new one.
            self.draft.new_person = None;
            self.draft.subject = Some(Subject::Person(pid));
            self.picker.selected = Some(Subject::Person(pid));
        }
        match event {
            FormEvent::Save => self.save(env),
            FormEvent::Close => {
                if let Some(route) = self.shell.take_leave() {
                    env.goto(route);
                }
                true
            }
            FormEvent::None => false,
        }
    }
}
