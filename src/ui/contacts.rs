//! Accessi: the contacts of a year in a virtualized table with filters, and the fast
//! front-desk entry (find or create the person in the same dialog, everything else
//! defaulted: today, this desk, this operator, the usual line).

use super::data::SubjectFilter;
use super::forms::{ArchiveButton, FormEvent, FormShell, store_problems};
use super::jobs::{Loader, stamp};
use super::table::{Col, ListState, col, sort_by};
use super::widgets::{self, Picked, SubjectPicker, text_row};
use super::{Env, OpenForm, Route, labels};
use crate::domain::catalogue::line_codes;
use crate::domain::person::fold;
use crate::domain::time::{fmt_date, fmt_datetime, now_minute, parse_date, today, year_bounds};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDateTime, NaiveTime, Timelike};
use egui::{RichText, Ui};
use std::cmp::Ordering;

/// What the list keeps of a contact (no notes: they stay in the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactRow {
    /// Identifier.
    pub id: Id,
    /// When.
    pub at: NaiveDateTime,
    /// Person or household.
    pub subject: Subject,
    /// Line.
    pub line: Id,
    /// Desk.
    pub desk: Id,
    /// Operator.
    pub operator: Id,
    /// Kind.
    pub kind: ContactKind,
    /// Measure.
    pub measure: Option<Id>,
    /// Minutes.
    pub minutes: u16,
    /// Archived.
    pub archived: bool,
}

impl ContactRow {
    fn of(c: &Contact) -> ContactRow {
        ContactRow {
            id: c.id,
            at: c.at,
            subject: c.subject,
            line: c.line,
            desk: c.desk,
            operator: c.operator,
            kind: c.kind,
            measure: c.measure,
            minutes: c.minutes,
            archived: c.archived,
        }
    }
}

const COLS: [Col; 8] = [
    col("contacts-col-date", 130.0),
    col("contacts-col-subject", 200.0),
    col("contacts-col-line", 220.0),
    col("contacts-col-kind", 130.0),
    col("contacts-col-measure", 140.0),
    col("contacts-col-desk", 130.0),
    col("contacts-col-operator", 130.0),
    col("contacts-col-minutes", 60.0),
];

/// The filters of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Filters {
    search: String,
    line: Option<Id>,
    desk: Option<Id>,
    operator: Option<Id>,
    kind: Option<ContactKind>,
    archived: bool,
}

/// The Accessi screen.
pub struct ContactsScreen {
    year: Option<i32>,
    years: Vec<i32>,
    years_for: Option<u64>,
    filters: Filters,
    loader: Loader<ContactRow>,
    list: ListState,
    /// Where each loaded contact's person or household is in memory (resolved once).
    subjects: Vec<u32>,
    /// Every loaded row in the current sort.
    sorted: Vec<u32>,
    sorted_for: Option<SortedKey>,
    /// The sorted rows passing the filters other than the search.
    base: Vec<u32>,
    base_for: Option<BaseKey>,
    searched_for: Option<String>,
}

/// What the sorted order depends on: the loaded rows, the people and households in
/// memory, the people's revision (names) and the sort.
type SortedKey = ((usize, usize, usize, usize), u64, super::table::Sort);

type BaseKey = (
    Option<Id>,
    Option<Id>,
    Option<Id>,
    Option<ContactKind>,
    bool,
);

impl Default for ContactsScreen {
    fn default() -> Self {
        ContactsScreen {
            year: None,
            years: vec![],
            years_for: None,
            filters: Filters::default(),
            loader: Loader::default(),
            list: ListState::sorted(super::table::Sort { col: 0, asc: false }),
            subjects: vec![],
            sorted: vec![],
            sorted_for: None,
            base: vec![],
            base_for: None,
            searched_for: None,
        }
    }
}

impl ContactsScreen {
    fn years(&mut self, env: &Env) {
        let rev = env.revision(EntityKind::Contact);
        if self.years_for == Some(rev) {
            return;
        }
        self.years_for = Some(rev);
        let span = env
            .store
            .read()
            .and_then(|r| r.date_span(EntityKind::Contact))
            .ok()
            .flatten();
        let this = today().year();
        self.years = match span {
            Some((a, b)) => (a.year()..=b.year().max(this)).rev().collect(),
            None => vec![this],
        };
        if self.year.is_none() {
            self.year = Some(span.map(|(_, b)| b.year()).unwrap_or(this));
        }
    }

    /// Recomputes the visible rows in stages, each redone only when its inputs change:
    /// sorted (rows or sort changed), filtered by line/desk/operator/kind/archive (a filter
    /// changed), searched by name (a keystroke: one scan of the name index, then a pass over
    /// positions resolved once per load).
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let data = &env.data;
        let rkey = (
            std::sync::Arc::as_ptr(rows) as usize,
            rows.len(),
            data.people.len(),
            data.households.len(),
        );
        let sort = self.list.sort;
        let sorted_key = (rkey, env.revision(EntityKind::Person), sort);
        if self.sorted_for != Some(sorted_key) {
            self.subjects = rows
                .iter()
                .map(|r| SubjectFilter::pack(data, r.subject))
                .collect();
            let mut all: Vec<u32> = (0..rows.len() as u32).collect();
            let cat = &data.catalog;
            sort_by(&mut all, rows, sort.asc, |a, b| {
                let o = match sort.col {
                    0 => Ordering::Equal,
                    1 => {
                        SubjectFilter::key(data, a.subject).cmp(SubjectFilter::key(data, b.subject))
                    }
                    2 => cat.name(a.line).cmp(cat.name(b.line)),
                    3 => (a.kind as u8).cmp(&(b.kind as u8)),
                    4 => cat.name_opt(a.measure).cmp(cat.name_opt(b.measure)),
                    5 => cat.name(a.desk).cmp(cat.name(b.desk)),
                    6 => cat.name(a.operator).cmp(cat.name(b.operator)),
                    _ => a.minutes.cmp(&b.minutes),
                };
                o.then_with(|| a.at.cmp(&b.at))
            });
            self.sorted = all;
            self.sorted_for = Some(sorted_key);
            self.base_for = None;
        }
        let f = &self.filters;
        let bkey = (f.line, f.desk, f.operator, f.kind, f.archived);
        if self.base_for != Some(bkey) {
            self.base = self
                .sorted
                .iter()
                .copied()
                .filter(|&i| {
                    let r = &rows[i as usize];
                    (f.archived || !r.archived)
                        && f.line.is_none_or(|l| r.line == l)
                        && f.desk.is_none_or(|d| r.desk == d)
                        && f.operator.is_none_or(|o| r.operator == o)
                        && f.kind.is_none_or(|k| r.kind == k)
                })
                .collect();
            self.base_for = Some(bkey);
            self.searched_for = None;
        }
        if self.searched_for.as_deref() == Some(f.search.as_str()) {
            return;
        }
        let who = SubjectFilter::new(data, &f.search);
        let order = if f.search.trim().is_empty() {
            self.base.clone()
        } else {
            let subjects = &self.subjects;
            self.base
                .iter()
                .copied()
                .filter(|&i| who.ok_packed(subjects[i as usize]))
                .collect()
        };
        self.list.set_order(order);
        self.searched_for = Some(f.search.clone());
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
        self.years(env);
        let year = self.year.unwrap_or_else(|| today().year());
        let store = env.store.clone();
        let s = stamp(&[env.revision(EntityKind::Contact), year as u64]);
        let inline = env.data.people.len() as u64 <= env.inline_limit;
        self.loader.ensure(ui.ctx(), s, inline, move |_| {
            let (from, to) = year_bounds(year);
            let r = store.read().map_err(|e| e.to_string())?;
            let mut v = Vec::new();
            r.for_each_by_date(from, to, |c: Contact| v.push(ContactRow::of(&c)))
                .map_err(|e| e.to_string())?;
            Ok(v)
        });

        ui.horizontal(|ui| {
            ui.heading(tr!("nav-contacts"));
            ui.add_space(12.0);
            if ui
                .button(tr!("contacts-new"))
                .on_hover_text(tr!("contacts-new-hint"))
                .clicked()
            {
                env.open = Some(OpenForm::NewContact(None));
            }
        });
        let mut search_focused = false;
        ui.horizontal_wrapped(|ui| {
            let r = widgets::search_box(
                ui,
                "contacts-search",
                &mut self.filters.search,
                &tr!("contacts-search-hint"),
                &mut env.focus_search,
            );
            search_focused = r.has_focus() || r.lost_focus();
            let l = ui.label(tr!("filter-year"));
            let years: Vec<(Option<i32>, String)> = self
                .years
                .iter()
                .map(|y| (Some(*y), y.to_string()))
                .collect();
            widgets::choice(ui, "contacts-year", l.id, &mut self.year, &years, 70.0);
            let d = &env.data;
            let l = ui.label(tr!("filter-line"));
            let mut lines = vec![(None, tr!("filter-all"))];
            lines.extend(
                widgets::line_options(d, None)
                    .into_iter()
                    .map(|(i, s)| (Some(i), s)),
            );
            widgets::choice(
                ui,
                "contacts-line",
                l.id,
                &mut self.filters.line,
                &lines,
                150.0,
            );
            let l = ui.label(tr!("filter-desk"));
            let mut desks = vec![(None, tr!("filter-all"))];
            desks.extend(
                widgets::desk_options(d, None)
                    .into_iter()
                    .map(|(i, s)| (Some(i), s)),
            );
            widgets::choice(
                ui,
                "contacts-desk",
                l.id,
                &mut self.filters.desk,
                &desks,
                110.0,
            );
            let l = ui.label(tr!("filter-operator"));
            let mut ops = vec![(None, tr!("filter-all"))];
            ops.extend(
                d.catalog
                    .operators
                    .iter()
                    .map(|o| (Some(o.id), o.display_name())),
            );
            widgets::choice(
                ui,
                "contacts-operator",
                l.id,
                &mut self.filters.operator,
                &ops,
                110.0,
            );
            let l = ui.label(tr!("filter-kind"));
            let mut kinds = vec![(None, tr!("filter-all"))];
            kinds.extend(
                ContactKind::ALL
                    .into_iter()
                    .map(|k| (Some(k), labels::contact_kind(k))),
            );
            widgets::choice(
                ui,
                "contacts-kind",
                l.id,
                &mut self.filters.kind,
                &kinds,
                100.0,
            );
            ui.checkbox(&mut self.filters.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        ui.horizontal(|ui| {
            ui.weak(tr!(
                "contacts-count",
                shown = self.list.order.len() as i64,
                total = self.loader.rows.len() as i64
            ));
            if let Some(f) = self.loader.loading() {
                ui.add(
                    egui::ProgressBar::new(f)
                        .desired_width(120.0)
                        .text(tr!("list-loading")),
                );
            }
            if let Some(e) = &self.loader.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
        let mut open = if env.list_keys(ui, search_focused) {
            self.list.keys(ui)
        } else {
            None
        };
        let rows = self.loader.rows.clone();
        let data = &env.data;
        let out = self.list.show(ui, "contacts-table", &COLS, |ui, i, c| {
            let r = &rows[i as usize];
            let cat = &data.catalog;
            let text = match c {
                0 => fmt_datetime(r.at),
                1 => data.subject_name(r.subject),
                2 => cat.name(r.line).to_string(),
                3 => labels::contact_kind(r.kind),
                4 => cat.name_opt(r.measure).to_string(),
                5 => cat.name(r.desk).to_string(),
                6 => cat.name(r.operator).to_string(),
                _ => r.minutes.to_string(),
            };
            if r.archived {
                ui.label(RichText::new(text).weak().strikethrough());
            } else {
                ui.label(text);
            }
        });
        if out.sort_changed {
            self.sorted_for = None;
        }
        open = out.open.or(open);
        if let Some(i) = open
            && let Some(&row) = self.list.order.get(i)
        {
            env.open = Some(OpenForm::Edit(EntityKind::Contact, rows[row as usize].id));
        }
    }
}

/// A person registered in the same dialog as their first contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct NewPerson {
    surname: String,
    name: String,
    birth: String,
    cf: String,
}

/// The fields as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    subject: Option<Subject>,
    new_person: Option<NewPerson>,
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
    draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    problems: Problems,
    person_problems: Problems,
    shell: FormShell,
    archive: ArchiveButton,
    focus_new: bool,
    same_name: Option<(String, Vec<Id>)>,
}

/// The line a new contact defaults to: the last one logged here, else the WeMi desks'
/// line at a WeMi desk, else family listening.
fn default_line(env: &Env) -> Id {
    let cat = &env.data.catalog;
    if let Some(l) = env
        .last_line
        .and_then(|l| cat.line(l))
        .filter(|l| !l.archived)
    {
        return l.id;
    }
    let wemi_desk = cat
        .desk(env.desk)
        .is_some_and(|d| d.code == "ornato" || d.code == "rizzoli");
    let code = if wemi_desk {
        line_codes::WEMI
    } else {
        line_codes::FAMIGLIE
    };
    cat.line_by_code(code)
        .or_else(|| cat.lines.iter().find(|l| !l.archived))
        .map(|l| l.id)
        .unwrap_or(Id::NIL)
}

impl ContactForm {
    /// A new contact, now, at this desk, by this operator.
    pub fn new(env: &Env, subject: Option<Subject>) -> Self {
        let now = now_minute();
        let draft = Draft {
            subject,
            new_person: None,
            date: fmt_date(now.date()),
            time: format!("{:02}:{:02}", now.hour(), now.minute()),
            line: default_line(env),
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
        ContactForm {
            base: None,
            initial: draft.clone(),
            draft,
            picker,
            problems: Problems::default(),
            person_problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            focus_new: false,
            same_name: None,
        }
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
        ContactForm {
            picker: SubjectPicker::new("contact-subject", true).with(Some(c.subject)),
            base: Some(c),
            initial: draft.clone(),
            draft,
            problems: Problems::default(),
            person_problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            focus_new: false,
            same_name: None,
        }
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

    fn new_person(&self) -> Option<(Person, Problems)> {
        let n = self.draft.new_person.as_ref()?;
        let mut p = Problems::default();
        let birth = if n.birth.trim().is_empty() {
            BirthDate::Unknown
        } else {
            match parse_date(&n.birth) {
                Some(d) => BirthDate::Exact(d),
                None => {
                    p.add("birth", "Data non valida: scrivila come gg/mm/aaaa");
                    BirthDate::Unknown
                }
            }
        };
        let mut person = Person {
            surname: n.surname.clone(),
            name: n.name.clone(),
            birth,
            codice_fiscale: Some(n.cf.clone()),
            ..Default::default()
        };
        person.normalize();
        if let Some(cf) = &person.codice_fiscale
            && let Ok(info) = crate::domain::codice_fiscale::validate(cf)
        {
            person.sex = match info.sex {
                crate::domain::codice_fiscale::CfSex::M => Sex::M,
                crate::domain::codice_fiscale::CfSex::F => Sex::F,
            };
            if person.birth == BirthDate::Unknown {
                person.birth = BirthDate::Exact(info.birth_date);
            }
        }
        for e in person.validate(today()).0 {
            if p.for_field(e.field).is_none() {
                p.0.push(e);
            }
        }
        Some((person, p))
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let (mut contact, problems) = self.build();
        let person = self.new_person();
        let person_problems = person.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
        if !problems.is_empty() || !person_problems.is_empty() {
            self.problems = problems;
            self.person_problems = person_problems;
            return false;
        }
        let is_new = self.base.is_none();
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
        let dirty = self.draft != self.initial;
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
                                    Picked::Chosen(s) => self.draft.subject = Some(s),
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
                        if let Some(n) = &mut self.draft.new_person {
                            let pp = &self.person_problems;
                            let r = text_row(
                                ui,
                                &tr!("person-surname"),
                                &mut n.surname,
                                pp.for_field("surname"),
                            );
                            if self.focus_new {
                                r.request_focus();
                                self.focus_new = false;
                            }
                            text_row(ui, &tr!("person-name"), &mut n.name, pp.for_field("name"));
                            widgets::date_row(
                                ui,
                                &tr!("person-birth"),
                                "contact-new-birth",
                                &mut n.birth,
                                pp.for_field("birth"),
                            );
                            widgets::text_row_hint(
                                ui,
                                &tr!("person-cf"),
                                &mut n.cf,
                                &tr!("optional"),
                                pp.for_field("codice_fiscale"),
                            );
                            // The same name already registered: choose them instead.
                            let key = fold(&format!("{} {}", n.surname, n.name));
                            if key.len() >= 5 {
                                if self.same_name.as_ref().is_none_or(|(k, _)| *k != key) {
                                    let found = env
                                        .data
                                        .people
                                        .rows()
                                        .iter()
                                        .filter(|r| !r.archived && r.key == key)
                                        .take(4)
                                        .map(|r| r.id)
                                        .collect();
                                    self.same_name = Some((key.clone(), found));
                                }
                                let same: Vec<Id> = self
                                    .same_name
                                    .as_ref()
                                    .map(|(_, v)| v.clone())
                                    .unwrap_or_default();
                                if !same.is_empty() {
                                    ui.label("");
                                    ui.vertical(|ui| {
                                        ui.colored_label(
                                            ui.visuals().warn_fg_color,
                                            tr!("contact-same-name"),
                                        );
                                        for id in same {
                                            let text = SubjectPicker::describe(
                                                &env.data,
                                                Subject::Person(id),
                                            );
                                            if ui.link(text).clicked() {
                                                goto_person = Some(id);
                                            }
                                        }
                                    });
                                    ui.end_row();
                                }
                            }
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
                env.goto(Route::Person(pid));
                return true;
            }
            // Choosing the already registered person instead of a new one.
            self.draft.new_person = None;
            self.draft.subject = Some(Subject::Person(pid));
            self.picker.selected = Some(Subject::Person(pid));
        }
        match event {
            FormEvent::Save => self.save(env),
            FormEvent::Close => true,
            FormEvent::None => false,
        }
    }
}
