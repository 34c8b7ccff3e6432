//! The project dialog: the common fields, the fields of the chosen kind, and (for
//! messa alla prova and tirocinio) the hours ledger or the attendance below them.

use super::kinds::{euros, kind_rows, parse_euros};
use super::print::{Doc, ProjectPrint};
use crate::domain::time::{fmt_date, today};
use crate::domain::*;
use crate::tr;
use crate::ui::Env;
use crate::ui::forms::{ArchiveButton, FormEvent, FormShell, Recheck, save_checked};
use crate::ui::labels::ProjectType;
use crate::ui::widgets::{self, Picked, SubjectPicker};
use egui::Ui;

/// The fields of every kind as typed (only those of the chosen kind are used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Draft {
    person: Option<Id>,
    pub(super) kind: ProjectType,
    line: Id,
    pub(super) start: String,
    pub(super) end: String,
    operator: Option<Id>,
    note: String,
    // Tirocinio
    pub(super) host: String,
    pub(super) hours_per_week: String,
    pub(super) allowance: String,
    pub(super) attendance: Vec<Attendance>,
    // Messa alla prova
    pub(super) uepe: String,
    pub(super) court: String,
    /// The court's file number (numero di procedimento).
    pub(super) court_file: String,
    pub(super) hours_required: String,
    pub(super) ledger: Vec<HoursEntry>,
    // Case manager
    pub(super) cm_referente: Option<Id>,
    pub(super) cm_plan: String,
    // Sostegno allo studio
    pub(super) school: String,
    pub(super) class: String,
    pub(super) need: SchoolNeed,
    pub(super) study_hours: String,
}

/// The row used to add one entry to the ledger or to the attendance.
#[derive(Debug, Clone, Default)]
pub(super) struct AddRow {
    pub(super) date: String,
    pub(super) hours: String,
    pub(super) text: String,
    pub(super) present: bool,
    /// Why the row was not added, every reason at once.
    pub(super) errors: Vec<String>,
}

/// The project dialog.
pub struct ProjectForm {
    base: Option<Project>,
    pub(super) draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    pub(super) add: AddRow,
    /// The attendance list starts at its top when the dialog opens.
    pub(super) list_to_top: bool,
    pub(super) problems: Problems,
    recheck: Recheck<Draft>,
    shell: FormShell,
    archive: ArchiveButton,
    /// Why the special fields of this project are not shown (art. 9 / art. 10 content
    /// the account may not see; the store keeps them as they are on save).
    hidden: Option<String>,
    /// The print dialog (statement or attendance sheet), open over this one.
    printing: Option<ProjectPrint>,
}

/// The fields hidden with art. 9 / art. 10 content, whose checks the form leaves to the
/// store (which puts their stored values back).
const SPECIAL_FIELDS: [&str; 7] = [
    "uepe_office",
    "court",
    "court_file",
    "hours_required",
    "ledger",
    "plan",
    "referente",
];

fn line_of(env: &Env, kind: ProjectType) -> Id {
    env.data
        .catalog
        .line_by_code(kind.default_line())
        .or_else(|| env.data.catalog.lines.iter().find(|l| !l.archived))
        .map(|l| l.id)
        .unwrap_or(Id::NIL)
}

impl Draft {
    /// A draft of a kind with every field empty.
    fn empty(kind: ProjectType) -> Draft {
        Draft {
            person: None,
            kind,
            line: Id::NIL,
            start: String::new(),
            end: String::new(),
            operator: None,
            note: String::new(),
            host: String::new(),
            hours_per_week: String::new(),
            allowance: String::new(),
            attendance: vec![],
            uepe: String::new(),
            court: String::new(),
            court_file: String::new(),
            hours_required: String::new(),
            ledger: vec![],
            cm_referente: None,
            cm_plan: String::new(),
            school: String::new(),
            class: String::new(),
            need: SchoolNeed::Bes,
            study_hours: String::new(),
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
            operator: env.can_write().then_some(env.operator),
            ..Draft::empty(kind)
        };
        let mut picker =
            SubjectPicker::new("project-person", false).with(person.map(Subject::Person));
        picker.focus();
        Self::open(None, draft, picker)
    }

    /// An existing project.
    pub fn edit(p: Project) -> Self {
        let kind = ProjectType::of(&p.kind);
        let mut d = Draft {
            person: Some(p.person),
            kind,
            line: p.line,
            start: fmt_date(p.start),
            end: p.end.map(fmt_date).unwrap_or_default(),
            operator: p.operator,
            note: p.note.clone(),
            ..Draft::empty(kind)
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
                court_file,
                hours_required,
                ledger,
            } => {
                d.uepe = uepe_office.clone();
                d.court = court.clone();
                d.court_file = court_file.clone();
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
        let picker =
            SubjectPicker::new("project-person", false).with(Some(Subject::Person(p.person)));
        Self::open(Some(p), d, picker)
    }

    /// The dialog over a draft (of a new project when `base` is `None`).
    fn open(base: Option<Project>, draft: Draft, picker: SubjectPicker) -> Self {
        ProjectForm {
            base,
            initial: draft.clone(),
            draft,
            picker,
            add: AddRow {
                date: fmt_date(today()),
                present: true,
                ..Default::default()
            },
            list_to_top: true,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            hidden: None,
            printing: None,
        }
    }

    /// Hides the special fields the signed-in account may not see: the messa alla prova's
    /// court, UEPE office and hours (art. 10), the case manager's plan (art. 9), unless an
    /// extraordinary access opened this person.
    pub fn hiding(mut self, env: &Env) -> Self {
        let Some(b) = &self.base else {
            return self;
        };
        let need = match b.kind {
            ProjectKind::MessaAllaProva { .. } => Some((Permission::Art10, "project-hidden-art10")),
            ProjectKind::CaseManager { .. } => Some((Permission::Art9, "project-hidden-art9")),
            _ => None,
        };
        if let Some((p, key)) = need
            && !env.may(p)
            && !env.session.as_ref().is_some_and(|s| s.granted(b.person))
        {
            self.hidden = Some(tr!(key));
        }
        self
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
                court_file: d.court_file.trim().to_string(),
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
        p.merge(pr.validate(today()));
        if self.hidden.is_some() {
            p.0.retain(|e| !SPECIAL_FIELDS.contains(&e.field));
        }
        (pr, p)
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let is_new = self.base.is_none();
        save_checked(
            env,
            self.build(),
            is_new,
            "project-saved",
            &mut self.problems,
        )
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        // An hours or attendance row typed but not added yet counts as unsaved too.
        self.draft != self.initial
            || !self.add.hours.trim().is_empty()
            || !self.add.text.trim().is_empty()
    }

    /// The button opening the project's document (the statement for a messa alla prova,
    /// the attendance sheet for a tirocinio), on a saved project whose content is shown.
    fn print_button(&mut self, ui: &mut Ui, env: &Env, hidden: bool) {
        let Some(b) = &self.base else { return };
        let (doc, label) = match &b.kind {
            ProjectKind::MessaAllaProva { .. } => (Doc::MapStatement, "project-print-map"),
            ProjectKind::Tirocinio { .. } => (Doc::Attendance, "project-print-attendance"),
            _ => return,
        };
        if hidden || !env.may(Permission::Anagrafica) {
            return;
        }
        if ui.button(tr!(label)).clicked() {
            self.printing = Some(ProjectPrint::new(doc, b.id, &self.draft.attendance));
        }
        ui.add_space(4.0);
    }

    /// Shows the dialog; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = if self.base.is_some() {
            tr!("project-edit-title", kind = self.draft.kind.label())
        } else {
            tr!("project-new-title")
        };
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.build().1;
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let dirty = self.dirty();
        self.shell.suspend_keys = self.archive.busy() || self.printing.is_some();
        let mut archived = false;
        let is_new = self.base.is_none();
        let ctx = ui.ctx().clone();
        let mut shell = std::mem::take(&mut self.shell);
        let hidden = self.hidden.clone();
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
                    match &hidden {
                        Some(why) => {
                            widgets::label(ui, &tr!("project-special"));
                            ui.label(egui::RichText::new(why).italics());
                            ui.end_row();
                        }
                        None => kind_rows(ui, env, d, &p),
                    }
                    widgets::multiline_row(
                        ui,
                        &tr!("project-note"),
                        &mut d.note,
                        p.for_field("note"),
                    );
                });
            ui.add_space(6.0);
            // Above the register, which can be long: the document is where it is seen.
            self.print_button(ui, env, hidden.is_some());
            match self.draft.kind {
                _ if hidden.is_some() => {}
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
                    "court_file",
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
                archived = self.archive.ui::<Project>(ui, env, b.id, b.archived);
            }
        });
        self.shell = shell;
        if let Some(p) = &mut self.printing
            && p.ui(&ctx, env, dirty)
        {
            self.printing = None;
        }
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
