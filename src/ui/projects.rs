//! Progetti of the four kinds: tirocinio (with attendance), messa alla prova (with the
//! hours ledger: hours done against hours required), case manager, sostegno allo studio.

use super::data::SubjectFilter;
use super::forms::{ArchiveButton, FormEvent, FormShell, store_problems};
use super::jobs::{Loader, stamp};
use super::labels::ProjectType;
use super::table::{Col, ListState, col, sort_by};
use super::widgets::{self, Picked, SubjectPicker, fmt_hours, parse_hours, text_row};
use super::{Env, OpenForm, labels};
use crate::domain::counting::period_years;
use crate::domain::time::{fmt_date, parse_date, today};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDate};
use egui::{RichText, Ui};

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
            let mut kinds = vec![(None, tr!("filter-all"))];
            kinds.extend(ProjectType::ALL.into_iter().map(|k| (Some(k), k.label())));
            widgets::choice(
                ui,
                "projects-kind",
                l.id,
                &mut self.filters.kind,
                &kinds,
                115.0,
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
                "projects-line",
                l.id,
                &mut self.filters.line,
                &lines,
                150.0,
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
                "projects-op",
                l.id,
                &mut self.filters.operator,
                &ops,
                115.0,
            );
            let l = ui.label(tr!("filter-year"));
            let this = today().year();
            let mut years = vec![(None, tr!("filter-all"))];
            years.extend((this - 10..=this).rev().map(|y| (Some(y), y.to_string())));
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
            env.open = Some(OpenForm::Edit(EntityKind::Project, rows[row as usize].id));
        }
    }
}

/// The fields of every kind as typed (only those of the chosen kind are used).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    person: Option<Id>,
    kind: ProjectType,
    line: Id,
    start: String,
    end: String,
    operator: Option<Id>,
    note: String,
    // Tirocinio
    host: String,
    hours_per_week: String,
    allowance: String,
    attendance: Vec<Attendance>,
    // Messa alla prova
    uepe: String,
    court: String,
    hours_required: String,
    ledger: Vec<HoursEntry>,
    // Case manager
    cm_referente: Option<Id>,
    cm_plan: String,
    // Sostegno allo studio
    school: String,
    class: String,
    need: SchoolNeed,
    study_hours: String,
}

/// The row used to add one entry to the ledger or to the attendance.
#[derive(Debug, Clone, Default)]
struct AddRow {
    date: String,
    hours: String,
    text: String,
    present: bool,
    error: Option<String>,
}

/// The project dialog.
pub struct ProjectForm {
    base: Option<Project>,
    draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    add: AddRow,
    problems: Problems,
    shell: FormShell,
    archive: ArchiveButton,
}

fn line_of(env: &Env, kind: ProjectType) -> Id {
    env.data
        .catalog
        .line_by_code(kind.default_line())
        .or_else(|| env.data.catalog.lines.iter().find(|l| !l.archived))
        .map(|l| l.id)
        .unwrap_or(Id::NIL)
}

fn euros(cents: u32) -> String {
    if cents.is_multiple_of(100) {
        (cents / 100).to_string()
    } else {
        format!("{},{:02}", cents / 100, cents % 100)
    }
}

fn parse_euros(p: &mut Problems, text: &str) -> u32 {
    let t = text.trim().replace('€', "");
    let t = t.trim();
    if t.is_empty() {
        return 0;
    }
    match t.replace('.', "").replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100_000.0).contains(&v) => (v * 100.0).round() as u32,
        _ => {
            p.add("allowance", "Importo non valido (es. 400 oppure 400,50)");
            0
        }
    }
}

impl ProjectForm {
    /// A new project starting today.
    pub fn new(env: &Env, person: Option<Id>) -> Self {
        let kind = ProjectType::MessaAllaProva;
        let draft = Draft {
            person,
            kind,
            line: line_of(env, kind),
            start: fmt_date(today()),
            end: String::new(),
            operator: env.can_write().then_some(env.operator),
            note: String::new(),
            host: String::new(),
            hours_per_week: String::new(),
            allowance: String::new(),
            attendance: vec![],
            uepe: String::new(),
            court: String::new(),
            hours_required: String::new(),
            ledger: vec![],
            cm_referente: None,
            cm_plan: String::new(),
            school: String::new(),
            class: String::new(),
            need: SchoolNeed::Bes,
            study_hours: String::new(),
        };
        let mut picker =
            SubjectPicker::new("project-person", false).with(person.map(Subject::Person));
        picker.focus();
        ProjectForm {
            base: None,
            initial: draft.clone(),
            draft,
            picker,
            add: AddRow {
                date: fmt_date(today()),
                present: true,
                ..Default::default()
            },
            problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    /// An existing project.
    pub fn edit(p: Project) -> Self {
        let mut d = Draft {
            person: Some(p.person),
            kind: ProjectType::of(&p.kind),
            line: p.line,
            start: fmt_date(p.start),
            end: p.end.map(fmt_date).unwrap_or_default(),
            operator: p.operator,
            note: p.note.clone(),
            host: String::new(),
            hours_per_week: String::new(),
            allowance: String::new(),
            attendance: vec![],
            uepe: String::new(),
            court: String::new(),
            hours_required: String::new(),
            ledger: vec![],
            cm_referente: None,
            cm_plan: String::new(),
            school: String::new(),
            class: String::new(),
            need: SchoolNeed::Bes,
            study_hours: String::new(),
        };
        match &p.kind {
            ProjectKind::Tirocinio {
                host,
                hours_per_week,
                allowance_cents,
                attendance,
            } => {
                d.host = host.clone();
                d.hours_per_week = hours_per_week.to_string();
                d.allowance = euros(*allowance_cents);
                d.attendance = attendance.clone();
            }
            ProjectKind::MessaAllaProva {
                uepe_office,
                court,
                hours_required,
                ledger,
            } => {
                d.uepe = uepe_office.clone();
                d.court = court.clone();
                d.hours_required = hours_required.to_string();
                d.ledger = ledger.clone();
            }
            ProjectKind::CaseManager { referente, plan } => {
                d.cm_referente = *referente;
                d.cm_plan = plan.clone();
            }
            ProjectKind::SostegnoStudio {
                school,
                class,
                need,
                hours_per_week,
            } => {
                d.school = school.clone();
                d.class = class.clone();
                d.need = *need;
                d.study_hours = hours_per_week.to_string();
            }
        }
        ProjectForm {
            picker: SubjectPicker::new("project-person", false)
                .with(Some(Subject::Person(p.person))),
            base: Some(p),
            initial: d.clone(),
            draft: d,
            add: AddRow {
                date: fmt_date(today()),
                present: true,
                ..Default::default()
            },
            problems: Problems::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
        }
    }

    fn build(&self) -> (Project, Problems) {
        let d = &self.draft;
        let mut p = Problems::default();
        let start = widgets::need_date(&mut p, "start", &d.start);
        let end = widgets::opt_date(&mut p, "end", &d.end);
        if d.person.is_none() {
            p.add("person", "Scegli la persona");
        }
        let kind = match d.kind {
            ProjectType::Tirocinio => ProjectKind::Tirocinio {
                host: d.host.trim().to_string(),
                hours_per_week: widgets::number(&mut p, "hours_per_week", &d.hours_per_week),
                allowance_cents: parse_euros(&mut p, &d.allowance),
                attendance: d.attendance.clone(),
            },
            ProjectType::MessaAllaProva => ProjectKind::MessaAllaProva {
                uepe_office: d.uepe.trim().to_string(),
                court: d.court.trim().to_string(),
                hours_required: widgets::number(&mut p, "hours_required", &d.hours_required),
                ledger: d.ledger.clone(),
            },
            ProjectType::CaseManager => ProjectKind::CaseManager {
                referente: d.cm_referente,
                plan: d.cm_plan.trim().to_string(),
            },
            ProjectType::SostegnoStudio => ProjectKind::SostegnoStudio {
                school: d.school.trim().to_string(),
                class: d.class.trim().to_string(),
                need: d.need,
                hours_per_week: widgets::number(&mut p, "hours_per_week", &d.study_hours),
            },
        };
        let pr = Project {
            id: self.base.as_ref().map(|b| b.id).unwrap_or(Id::NIL),
            person: d.person.unwrap_or(Id::NIL),
            line: d.line,
            start,
            end,
            operator: d.operator,
            kind,
            note: d.note.trim().to_string(),
            archived: self.base.as_ref().is_some_and(|b| b.archived),
        };
        for e in pr.validate(today()).0 {
            if p.for_field(e.field).is_none() {
                p.0.push(e);
            }
        }
        (pr, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let (pr, problems) = self.build();
        if !problems.is_empty() {
            self.problems = problems;
            return false;
        }
        let res = if self.base.is_some() {
            env.update(pr)
        } else {
            env.insert(pr).map(|_| ())
        };
        match res {
            Ok(()) => {
                env.notify(tr!("project-saved"));
                true
            }
            Err(e) => {
                self.problems = store_problems(e, env);
                false
            }
        }
    }

    fn ledger_ui(&mut self, ui: &mut Ui) {
        let d = &mut self.draft;
        let required: u64 = d.hours_required.trim().parse().unwrap_or(0);
        let done: u64 = d.ledger.iter().map(|e| e.minutes as u64).sum();
        ui.strong(tr!("map-ledger"));
        let frac = if required > 0 {
            done as f32 / (required * 60) as f32
        } else {
            0.0
        };
        ui.add(
            egui::ProgressBar::new(frac.min(1.0))
                .desired_width(420.0)
                .text(tr!(
                    "map-progress",
                    done = fmt_hours(done),
                    required = required as i64,
                    left = fmt_hours((required * 60).saturating_sub(done))
                )),
        );
        let mut remove = None;
        egui::Grid::new("map-ledger")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                ui.weak(tr!("map-date"));
                ui.weak(tr!("map-hours"));
                ui.weak(tr!("map-activity"));
                ui.label("");
                ui.end_row();
                for (i, e) in d.ledger.iter().enumerate() {
                    ui.label(fmt_date(e.date));
                    ui.label(fmt_hours(e.minutes as u64));
                    ui.label(&e.activity);
                    if ui
                        .small_button("✖")
                        .on_hover_text(tr!("map-remove"))
                        .clicked()
                    {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        if let Some(i) = remove {
            d.ledger.remove(i);
        }
        ui.horizontal(|ui| {
            let a = &mut self.add;
            let dl = ui.label(tr!("map-date"));
            widgets::date_edit(ui, "map-add-date", &mut a.date, dl.id);
            let hl = ui.label(tr!("map-hours"));
            ui.add(
                egui::TextEdit::singleline(&mut a.hours)
                    .desired_width(50.0)
                    .hint_text("3:30"),
            )
            .labelled_by(hl.id);
            let al = ui.label(tr!("map-activity"));
            ui.add(egui::TextEdit::singleline(&mut a.text).desired_width(160.0))
                .labelled_by(al.id);
            if ui.button(tr!("map-add")).clicked() {
                match (parse_date(&a.date), parse_hours(&a.hours)) {
                    (Some(date), Some(m)) if m > 0 => {
                        d.ledger.push(HoursEntry {
                            date,
                            minutes: m,
                            activity: a.text.trim().to_string(),
                        });
                        d.ledger.sort_by_key(|e| e.date);
                        a.hours.clear();
                        a.text.clear();
                        a.error = None;
                    }
                    (None, _) => a.error = Some(tr!("map-bad-date")),
                    _ => a.error = Some(tr!("map-bad-hours")),
                }
            }
        });
        widgets::problem(ui, self.add.error.as_deref());
        widgets::problem(ui, self.problems.for_field("ledger"));
    }

    fn attendance_ui(&mut self, ui: &mut Ui) {
        let d = &mut self.draft;
        let present = d.attendance.iter().filter(|a| a.present).count();
        let minutes: u64 = d
            .attendance
            .iter()
            .filter(|a| a.present)
            .map(|a| a.minutes as u64)
            .sum();
        ui.strong(tr!("internship-attendance"));
        ui.label(tr!(
            "internship-summary",
            present = present as i64,
            absent = (d.attendance.len() - present) as i64,
            hours = fmt_hours(minutes)
        ));
        let mut remove = None;
        egui::ScrollArea::vertical()
            .max_height(180.0)
            .id_salt("att-scroll")
            .show(ui, |ui| {
                egui::Grid::new("internship-att")
                    .striped(true)
                    .num_columns(5)
                    .show(ui, |ui| {
                        ui.weak(tr!("map-date"));
                        ui.weak(tr!("internship-present"));
                        ui.weak(tr!("map-hours"));
                        ui.weak(tr!("internship-note"));
                        ui.label("");
                        ui.end_row();
                        for (i, a) in d.attendance.iter_mut().enumerate() {
                            ui.label(fmt_date(a.date));
                            ui.checkbox(&mut a.present, "")
                                .on_hover_text(tr!("internship-present"));
                            ui.label(if a.present {
                                fmt_hours(a.minutes as u64)
                            } else {
                                String::new()
                            });
                            ui.label(&a.note);
                            if ui
                                .small_button("✖")
                                .on_hover_text(tr!("map-remove"))
                                .clicked()
                            {
                                remove = Some(i);
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(i) = remove {
            d.attendance.remove(i);
        }
        ui.horizontal(|ui| {
            let a = &mut self.add;
            let dl = ui.label(tr!("map-date"));
            widgets::date_edit(ui, "att-add-date", &mut a.date, dl.id);
            ui.checkbox(&mut a.present, tr!("internship-present"));
            let hl = ui.label(tr!("map-hours"));
            ui.add(
                egui::TextEdit::singleline(&mut a.hours)
                    .desired_width(50.0)
                    .hint_text("6"),
            )
            .labelled_by(hl.id);
            let nl = ui.label(tr!("internship-note"));
            ui.add(egui::TextEdit::singleline(&mut a.text).desired_width(140.0))
                .labelled_by(nl.id);
            if ui.button(tr!("internship-add")).clicked() {
                let minutes = if a.present {
                    parse_hours(&a.hours)
                } else {
                    Some(0)
                };
                match (parse_date(&a.date), minutes) {
                    (Some(date), Some(m)) => {
                        d.attendance.retain(|x| x.date != date);
                        d.attendance.push(Attendance {
                            date,
                            present: a.present,
                            minutes: m.min(u16::MAX as u32) as u16,
                            note: a.text.trim().to_string(),
                        });
                        d.attendance.sort_by_key(|x| x.date);
                        a.hours.clear();
                        a.text.clear();
                        a.error = None;
                    }
                    (None, _) => a.error = Some(tr!("map-bad-date")),
                    _ => a.error = Some(tr!("map-bad-hours")),
                }
            }
        });
        widgets::problem(ui, self.add.error.as_deref());
        widgets::problem(ui, self.problems.for_field("attendance"));
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        self.draft != self.initial
    }

    /// Shows the dialog; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = if self.base.is_some() {
            tr!("project-edit-title", kind = self.draft.kind.label())
        } else {
            tr!("project-new-title")
        };
        let dirty = self.draft != self.initial;
        self.shell.suspend_keys = self.archive.busy();
        let mut archived = false;
        let is_new = self.base.is_none();
        let ctx = ui.ctx().clone();
        let mut shell = std::mem::take(&mut self.shell);
        let (event, ()) = shell.show(&ctx, "project", &title, dirty, 680.0, |ui| {
            let p = self.problems.clone();
            egui::Grid::new("project-grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let l = widgets::label(ui, &tr!("project-person"));
                    ui.vertical(|ui| {
                        match self.picker.ui(ui, &env.data, l.id) {
                            Picked::Chosen(Subject::Person(id)) => self.draft.person = Some(id),
                            Picked::Cleared => self.draft.person = None,
                            _ => {}
                        }
                        widgets::problem(ui, p.for_field("person"));
                    });
                    ui.end_row();
                    let d = &mut self.draft;
                    if is_new {
                        let kinds: Vec<(ProjectType, String)> = ProjectType::ALL
                            .into_iter()
                            .map(|k| (k, k.label()))
                            .collect();
                        let before = d.kind;
                        widgets::choice_row(ui, &tr!("project-kind"), &mut d.kind, &kinds, None);
                        if d.kind != before {
                            d.line = line_of(env, d.kind);
                        }
                    } else {
                        widgets::label(ui, &tr!("project-kind"));
                        ui.strong(d.kind.label());
                        ui.end_row();
                    }
                    let lines = widgets::line_options(&env.data, Some(d.line));
                    widgets::choice_row(
                        ui,
                        &tr!("project-line"),
                        &mut d.line,
                        &lines,
                        p.for_field("line"),
                    );
                    widgets::date_row(
                        ui,
                        &tr!("project-start"),
                        "project-start",
                        &mut d.start,
                        p.for_field("start"),
                    );
                    widgets::date_row(
                        ui,
                        &tr!("project-end"),
                        "project-end",
                        &mut d.end,
                        p.for_field("end"),
                    );
                    let ops = widgets::with_none(widgets::operator_options(&env.data, d.operator));
                    widgets::choice_row(
                        ui,
                        &tr!("project-operator"),
                        &mut d.operator,
                        &ops,
                        p.for_field("operator"),
                    );
                    match d.kind {
                        ProjectType::Tirocinio => {
                            text_row(
                                ui,
                                &tr!("internship-host"),
                                &mut d.host,
                                p.for_field("host"),
                            );
                            text_row(
                                ui,
                                &tr!("internship-hours-week"),
                                &mut d.hours_per_week,
                                p.for_field("hours_per_week"),
                            );
                            widgets::text_row_hint(
                                ui,
                                &tr!("internship-allowance"),
                                &mut d.allowance,
                                "400,00",
                                p.for_field("allowance"),
                            );
                        }
                        ProjectType::MessaAllaProva => {
                            text_row(
                                ui,
                                &tr!("map-uepe"),
                                &mut d.uepe,
                                p.for_field("uepe_office"),
                            );
                            text_row(ui, &tr!("map-court"), &mut d.court, p.for_field("court"));
                            text_row(
                                ui,
                                &tr!("map-hours-required"),
                                &mut d.hours_required,
                                p.for_field("hours_required"),
                            );
                        }
                        ProjectType::CaseManager => {
                            let ops = widgets::with_none(widgets::operator_options(
                                &env.data,
                                d.cm_referente,
                            ));
                            widgets::choice_row(
                                ui,
                                &tr!("cm-referente"),
                                &mut d.cm_referente,
                                &ops,
                                p.for_field("referente"),
                            );
                            widgets::multiline_row(
                                ui,
                                &tr!("cm-plan"),
                                &mut d.cm_plan,
                                p.for_field("plan"),
                            );
                        }
                        ProjectType::SostegnoStudio => {
                            text_row(
                                ui,
                                &tr!("study-school"),
                                &mut d.school,
                                p.for_field("school"),
                            );
                            text_row(ui, &tr!("study-class"), &mut d.class, p.for_field("class"));
                            let needs: Vec<(SchoolNeed, String)> =
                                [SchoolNeed::Bes, SchoolNeed::Dsa, SchoolNeed::BesDsa]
                                    .into_iter()
                                    .map(|n| (n, labels::school_need(n)))
                                    .collect();
                            widgets::choice_row(ui, &tr!("study-need"), &mut d.need, &needs, None);
                            text_row(
                                ui,
                                &tr!("internship-hours-week"),
                                &mut d.study_hours,
                                p.for_field("hours_per_week"),
                            );
                        }
                    }
                    widgets::multiline_row(
                        ui,
                        &tr!("project-note"),
                        &mut d.note,
                        p.for_field("note"),
                    );
                });
            ui.add_space(6.0);
            match self.draft.kind {
                ProjectType::MessaAllaProva => self.ledger_ui(ui),
                ProjectType::Tirocinio => self.attendance_ui(ui),
                _ => {}
            }
            widgets::other_problems(
                ui,
                &self.problems,
                &[
                    "person",
                    "line",
                    "start",
                    "end",
                    "operator",
                    "host",
                    "hours_per_week",
                    "allowance",
                    "uepe_office",
                    "court",
                    "hours_required",
                    "referente",
                    "plan",
                    "school",
                    "class",
                    "note",
                    "ledger",
                    "attendance",
                ],
            );
            if let Some(b) = &self.base {
                ui.add_space(6.0);
                archived = self.archive.ui::<Project>(ui, env, b.id, b.archived);
            }
        });
        self.shell = shell;
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
