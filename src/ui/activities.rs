//! Attività di gruppo (e.g. the cultural walks for over-60s): participants, sessions and
//! attendance ticks.

use super::data::Needle;
use super::forms::{ArchiveButton, FormEvent, FormShell, Recheck, save_checked};
use super::jobs::{Loader, stamp};
use super::list::{self, List};
use super::table::{Col, cell, col, filter_sorted};
use super::widgets::{self, Picked, SubjectPicker, text_row};
use super::{Env, OpenForm};
use crate::domain::person::fold;
use crate::domain::time::{fmt_date, parse_date_checked, today};
use crate::domain::*;
use crate::tr;
use chrono::{Datelike, NaiveDate};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

/// What the list keeps of an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    id: Id,
    name: String,
    key: String,
    line: Id,
    edition: String,
    desk: Option<Id>,
    participants: usize,
    sessions: usize,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    archived: bool,
}

const COLS: [Col; 7] = [
    col("activities-col-name", 220.0),
    col("activities-col-line", 220.0),
    col("activities-col-edition", 140.0),
    col("activities-col-desk", 130.0),
    col("activities-col-participants", 80.0),
    col("activities-col-sessions", 80.0),
    col("activities-col-last", 100.0),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Filters {
    search: String,
    line: Option<Id>,
    desk: Option<Id>,
    year: Option<i32>,
    archived: bool,
}

/// The Attività screen.
#[derive(Default)]
pub struct ActivitiesScreen {
    loader: Loader<ActivityRow>,
    list: List<Filters>,
}

impl super::jobs::Row for ActivityRow {
    fn id(&self) -> Id {
        self.id
    }
}

impl ActivityRow {
    fn of(a: Activity) -> ActivityRow {
        ActivityRow {
            id: a.id,
            key: fold(&a.name),
            name: a.name.clone(),
            line: a.line,
            edition: a.edition.clone(),
            desk: a.desk,
            participants: a.participants.len(),
            sessions: a.sessions.len(),
            first: a.sessions.iter().map(|s| s.date).min(),
            last: a.sessions.iter().map(|s| s.date).max(),
            archived: a.archived,
        }
    }
}

impl ActivitiesScreen {
    fn refresh(&mut self, env: &Env) {
        let rows = &self.loader.rows;
        let key = stamp(&[env.revision(EntityKind::Activity), self.loader.loaded()]);
        let Some((f, s)) = self.list.stale(key) else {
            return;
        };
        let needle = Needle::new(&f.search);
        let cat = &env.data.catalog;
        let order = filter_sorted(
            rows,
            s.asc,
            |r| {
                (f.archived || !r.archived)
                    && f.line.is_none_or(|l| r.line == l)
                    && f.desk.is_none_or(|d| r.desk == Some(d))
                    && f.year.is_none_or(|y| {
                        r.first.is_some_and(|a| a.year() <= y)
                            && r.last.is_some_and(|b| b.year() >= y)
                    })
                    && needle.matches(&r.key, "")
            },
            |a, b| match s.col {
                0 => a.key.cmp(&b.key),
                1 => cat.name(a.line).cmp(cat.name(b.line)),
                2 => a.edition.cmp(&b.edition),
                3 => cat.name_opt(a.desk).cmp(cat.name_opt(b.desk)),
                4 => a.participants.cmp(&b.participants),
                5 => a.sessions.cmp(&b.sessions),
                _ => a.last.cmp(&b.last),
            },
        );
        self.list.set_order(key, order);
    }

    /// How many times the rows were read whole from the database.
    pub fn loads(&self) -> u64 {
        self.loader.loads()
    }

    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) {
        self.loader.ensure_all(ui.ctx(), env, true, ActivityRow::of);
        if list::header(ui, "nav-activities", "activities-new", None, |_| {}) {
            env.open = Some(OpenForm::NewActivity);
        }
        let mut search_focused = false;
        let f = &mut self.list.filters;
        ui.horizontal_wrapped(|ui| {
            search_focused = list::search(
                ui,
                "activities-search",
                &mut f.search,
                "activities-search-hint",
                &mut env.focus_search,
            );
            let d = &env.data;
            let lines = widgets::line_options(d, None);
            list::filter(
                ui,
                "filter-line",
                "activities-line",
                &mut f.line,
                lines,
                150.0,
            );
            let desks = widgets::desk_options(d, None);
            list::filter(
                ui,
                "filter-desk",
                "activities-desk",
                &mut f.desk,
                desks,
                110.0,
            );
            let years = widgets::recent_years();
            list::filter(
                ui,
                "filter-year",
                "activities-year",
                &mut f.year,
                years,
                70.0,
            );
            ui.checkbox(&mut f.archived, tr!("filter-archived"));
        });
        self.refresh(env);
        list::count(ui, self.list.len(), self.loader.rows.len());
        let keys = env.list_keys(ui, search_focused);
        let rows = self.loader.rows.clone();
        let cat = &env.data.catalog;
        let open = self
            .list
            .table(ui, keys, "activities-table", &COLS, |ui, i, c| {
                let r = &rows[i as usize];
                let text = match c {
                    0 => r.name.clone(),
                    1 => cat.name(r.line).to_string(),
                    2 => r.edition.clone(),
                    3 => cat.name_opt(r.desk).to_string(),
                    4 => r.participants.to_string(),
                    5 => r.sessions.to_string(),
                    _ => r.last.map(fmt_date).unwrap_or_default(),
                };
                cell(ui, text, r.archived);
            });
        if let Some(i) = open {
            env.open = Some(OpenForm::Edit(EntityKind::Activity, rows[i as usize].id));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    name: String,
    line: Id,
    edition: String,
    desk: Option<Id>,
    participants: Vec<Id>,
    sessions: Vec<Session>,
}

/// The activity dialog: fields, participants, sessions and the attendance grid.
pub struct ActivityForm {
    base: Option<Activity>,
    draft: Draft,
    initial: Draft,
    picker: SubjectPicker,
    new_date: String,
    new_title: String,
    session_error: Option<String>,
    /// The attendance grid starts at its top when the dialog opens.
    grid_to_top: bool,
    problems: Problems,
    recheck: Recheck<Draft>,
    shell: FormShell,
    archive: ArchiveButton,
    /// A session or a participant the operator asked to remove, waiting for confirmation
    /// (with it go the attendances recorded).
    removing: Option<Removal>,
}

/// What an "✖" of the attendance grid removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Removal {
    /// The session at this position, with its attendances.
    Session(usize),
    /// The participant at this position, with their attendances.
    Participant(usize),
}

impl ActivityForm {
    /// A new activity at this desk.
    pub fn new(env: &Env) -> Self {
        let line = env
            .data
            .catalog
            .line_by_code(crate::domain::catalogue::line_codes::PASSEGGIATE)
            .or_else(|| env.data.catalog.lines.iter().find(|l| !l.archived))
            .map(|l| l.id)
            .unwrap_or(Id::NIL);
        let draft = Draft {
            name: String::new(),
            line,
            edition: String::new(),
            desk: Some(env.desk).filter(|d| *d != Id::NIL),
            participants: vec![],
            sessions: vec![],
        };
        Self::with(None, draft)
    }

    /// An existing activity.
    pub fn edit(a: Activity) -> Self {
        let draft = Draft {
            name: a.name.clone(),
            line: a.line,
            edition: a.edition.clone(),
            desk: a.desk,
            participants: a.participants.clone(),
            sessions: a.sessions.clone(),
        };
        Self::with(Some(a), draft)
    }

    fn with(base: Option<Activity>, draft: Draft) -> Self {
        ActivityForm {
            base,
            initial: draft.clone(),
            draft,
            picker: SubjectPicker::new("activity-participant", false),
            new_date: fmt_date(today()),
            new_title: String::new(),
            session_error: None,
            grid_to_top: true,
            problems: Problems::default(),
            recheck: Recheck::default(),
            shell: FormShell::default(),
            archive: ArchiveButton::default(),
            removing: None,
        }
    }

    fn build(&self) -> Activity {
        let d = &self.draft;
        Activity {
            id: self.base.as_ref().map(|b| b.id).unwrap_or(Id::NIL),
            name: d.name.trim().to_string(),
            line: d.line,
            edition: d.edition.trim().to_string(),
            desk: d.desk,
            participants: d.participants.clone(),
            sessions: d.sessions.clone(),
            archived: self.base.as_ref().is_some_and(|b| b.archived),
        }
    }

    fn save(&mut self, env: &mut Env) -> bool {
        let a = self.build();
        let found = a.validate(today());
        let is_new = self.base.is_none();
        save_checked(
            env,
            (a, found),
            is_new,
            "activity-saved",
            &mut self.problems,
        )
    }

    fn people_ui(&mut self, ui: &mut Ui, env: &Env) {
        let d = &mut self.draft;
        ui.strong(tr!(
            "activity-participants",
            count = d.participants.len() as i64
        ));
        ui.horizontal(|ui| {
            let l = ui.label(tr!("activity-add-participant"));
            if let Picked::Chosen(Subject::Person(id)) = self.picker.ui(ui, &env.data, l.id) {
                if !d.participants.contains(&id) {
                    d.participants.push(id);
                }
                self.picker.selected = None;
                self.picker.focus();
            }
        });
        ui.add_space(4.0);
        ui.strong(tr!("activity-sessions", count = d.sessions.len() as i64));
        ui.horizontal(|ui| {
            let dl = ui.label(tr!("activity-session-date"));
            let date = widgets::date_edit(ui, "session-date", &mut self.new_date, dl.id);
            let tl = ui.label(tr!("activity-session-title"));
            let title = ui
                .add(egui::TextEdit::singleline(&mut self.new_title).desired_width(200.0))
                .labelled_by(tl.id);
            let enter = widgets::enter_adds(ui, &[&date, &title]);
            if ui.button(tr!("activity-session-add")).clicked() || enter {
                match parse_date_checked(&self.new_date) {
                    Ok(date) => {
                        d.sessions.push(Session {
                            date,
                            title: self.new_title.trim().to_string(),
                            attendees: vec![],
                        });
                        d.sessions.sort_by_key(|s| s.date);
                        self.new_title.clear();
                        self.session_error = None;
                    }
                    Err(e) => self.session_error = Some(e.to_string()),
                }
            }
        });
        widgets::problem(ui, self.session_error.as_deref());
        widgets::problem(ui, self.problems.for_field("sessions"));
        ui.add_space(4.0);
        if d.participants.is_empty() {
            ui.weak(tr!("activity-no-participants"));
            return;
        }
        // The attendance grid: one row per participant, one column per session. The dates
        // (with the year) stay in view while the rows scroll, and the grid opens at its top.
        let names: Vec<String> = d
            .participants
            .iter()
            .map(|p| env.data.people.name(*p))
            .collect();
        let mut remove_person = None;
        let mut remove_session = None;
        let to_top = std::mem::take(&mut self.grid_to_top);
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let mut across = egui::ScrollArea::horizontal().id_salt("attendance-across");
        if to_top {
            across = across.horizontal_scroll_offset(0.0);
        }
        across.show(ui, |ui| {
            let mut table = TableBuilder::new(ui)
                .id_salt("attendance")
                .striped(true)
                .max_scroll_height(260.0)
                .auto_shrink([true, true])
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::exact(200.0).clip(true))
                .columns(Column::exact(84.0), d.sessions.len())
                .column(Column::exact(30.0));
            if to_top {
                table = table.vertical_scroll_offset(0.0);
            }
            table
                .header(2.0 * row_h, |mut h| {
                    h.col(|ui| {
                        ui.weak(tr!("activity-person"));
                    });
                    for (j, s) in d.sessions.iter().enumerate() {
                        h.col(|ui| {
                            ui.vertical(|ui| {
                                ui.add(
                                    egui::Label::new(RichText::new(fmt_date(s.date)).weak())
                                        .wrap_mode(egui::TextWrapMode::Extend),
                                )
                                .on_hover_text(format!(
                                    "{} — {}",
                                    fmt_date(s.date),
                                    s.title
                                ));
                                if ui
                                    .small_button("✖")
                                    .on_hover_text(tr!(
                                        "activity-session-remove",
                                        date = fmt_date(s.date)
                                    ))
                                    .clicked()
                                {
                                    remove_session = Some(j);
                                }
                            });
                        });
                    }
                    h.col(|_| {});
                })
                .body(|mut body| {
                    for (i, pid) in d.participants.iter().enumerate() {
                        body.row(row_h, |mut row| {
                            row.col(|ui| {
                                // Cut with "…" where too long: the whole name on hover.
                                ui.add(egui::Label::new(&names[i]).truncate());
                            });
                            for s in d.sessions.iter_mut() {
                                row.col(|ui| {
                                    let mut on = s.attendees.contains(pid);
                                    let hint = tr!(
                                        "activity-present",
                                        name = names[i].clone(),
                                        date = fmt_date(s.date)
                                    );
                                    if ui
                                        .checkbox(&mut on, "")
                                        .accessible_name(hint.clone())
                                        .on_hover_text(hint)
                                        .changed()
                                    {
                                        if on {
                                            s.attendees.push(*pid);
                                        } else {
                                            s.attendees.retain(|a| a != pid);
                                        }
                                    }
                                });
                            }
                            row.col(|ui| {
                                if ui
                                    .small_button("✖")
                                    .on_hover_text(tr!(
                                        "activity-remove-participant",
                                        name = names[i].clone()
                                    ))
                                    .clicked()
                                {
                                    remove_person = Some(i);
                                }
                            });
                        });
                    }
                });
        });
        if let Some(i) = remove_person {
            self.removing = Some(Removal::Participant(i));
        }
        if let Some(j) = remove_session {
            self.removing = Some(Removal::Session(j));
        }
    }

    /// Asks before a session or a participant goes, with the attendances recorded (drawn
    /// after the form, above it).
    fn confirm_removal(&mut self, ctx: &egui::Context, env: &Env) {
        let Some(what) = self.removing else { return };
        let d = &mut self.draft;
        let names: Vec<String> = d
            .participants
            .iter()
            .map(|p| env.data.people.name(*p))
            .collect();
        let (text, yes) = match what {
            Removal::Session(j) => {
                let Some(s) = d.sessions.get(j) else {
                    self.removing = None;
                    return;
                };
                (
                    tr!(
                        "activity-session-remove-confirm",
                        date = fmt_date(s.date),
                        count = s.attendees.len() as i64
                    ),
                    tr!("activity-session-remove-yes"),
                )
            }
            Removal::Participant(i) => {
                let Some(pid) = d.participants.get(i) else {
                    self.removing = None;
                    return;
                };
                let n = d
                    .sessions
                    .iter()
                    .filter(|s| s.attendees.contains(pid))
                    .count();
                (
                    tr!(
                        "activity-participant-remove-confirm",
                        name = names.get(i).cloned().unwrap_or_default(),
                        count = n as i64
                    ),
                    tr!("activity-participant-remove-yes"),
                )
            }
        };
        match widgets::confirm(ctx, "activity-remove", &text, &yes) {
            Some(true) => {
                match what {
                    Removal::Session(j) => {
                        d.sessions.remove(j);
                    }
                    Removal::Participant(i) => {
                        let pid = d.participants.remove(i);
                        for s in &mut d.sessions {
                            s.attendees.retain(|a| *a != pid);
                        }
                    }
                }
                self.removing = None;
            }
            Some(false) => self.removing = None,
            None => {}
        }
    }

    /// True when the fields differ from what was loaded.
    pub fn dirty(&self) -> bool {
        // A session typed but not added yet counts as unsaved too.
        self.draft != self.initial || !self.new_title.trim().is_empty()
    }

    /// Shows the dialog; true when it closed.
    pub fn ui(&mut self, ui: &mut Ui, env: &mut Env) -> bool {
        let title = if self.base.is_some() {
            tr!("activity-edit-title")
        } else {
            tr!("activity-new-title")
        };
        if self.recheck.due(&self.draft, &self.problems) {
            let fresh = self.build().validate(today());
            self.recheck.apply(&self.draft, &mut self.problems, fresh);
        }
        let dirty = self.dirty();
        self.shell.suspend_keys = self.archive.busy() || self.removing.is_some();
        let mut archived = false;
        let ctx = ui.ctx().clone();
        let mut shell = std::mem::take(&mut self.shell);
        let (event, ()) = shell.show(&ctx, "activity", &title, dirty, 760.0, |ui| {
            let p = self.problems.clone();
            egui::Grid::new("activity-grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let d = &mut self.draft;
                    text_row(ui, &tr!("activity-name"), &mut d.name, p.for_field("name"));
                    let lines = widgets::line_options(&env.data, Some(d.line));
                    widgets::choice_row(
                        ui,
                        &tr!("activity-line"),
                        &mut d.line,
                        &lines,
                        p.for_field("line"),
                    );
                    text_row(
                        ui,
                        &tr!("activity-edition"),
                        &mut d.edition,
                        p.for_field("edition"),
                    );
                    let desks = widgets::with_none(widgets::desk_options(&env.data, d.desk));
                    widgets::choice_row(
                        ui,
                        &tr!("activity-desk"),
                        &mut d.desk,
                        &desks,
                        p.for_field("desk"),
                    );
                });
            ui.separator();
            self.people_ui(ui, env);
            widgets::other_problems(
                ui,
                &self.problems,
                &["name", "line", "edition", "desk", "sessions"],
            );
            if let Some(b) = &self.base {
                ui.add_space(6.0);
                archived = self.archive.ui::<Activity>(ui, env, b.id, b.archived);
            }
        });
        self.shell = shell;
        self.confirm_removal(&ctx, env);
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
