//! The records behind a number: every person, household, project or contact counted, with
//! the records that make it count, one readable row each (who, date, what, line, desk).
//! A click on a name opens the cartella (or the household), a click on a record opens it.
//! Names are shown here (never in meeting mode).

use super::super::jobs::Job;
use super::super::{Env, OpenForm, Route, labels};
use crate::domain::time::fmt_date;
use crate::domain::*;
use crate::stats::{self, RecordRef};
use crate::store::{Reader, StoreError};
use crate::tr;
use std::collections::HashMap;

/// What a click in the list opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A person's cartella.
    Person(Id),
    /// A household's form.
    Household(Id),
    /// A record's form.
    Record(EntityKind, Id),
}

/// One record that makes a unit count, described for the operator.
#[derive(Debug, Clone)]
pub struct RecordRow {
    /// Its date, gg/mm/aaaa.
    pub date: String,
    /// What it is ("Accesso — Ascolto", "Messa alla prova", …).
    pub what: String,
    /// Its service line.
    pub line: String,
    /// The desk it was filed at (contacts and activities: theirs; cases and projects: their
    /// operator's), or empty.
    pub desk: String,
    /// The record, to open.
    pub open: Target,
}

/// One counted unit, described for the operator.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// Who or what is counted.
    pub label: String,
    /// The label folded for the filter (lower case, no accents), worked out once.
    pub folded: String,
    /// What a click on the label opens.
    pub open: Option<Target>,
    /// The records that make it count.
    pub records: Vec<RecordRow>,
}

/// The records behind one number, described.
#[derive(Debug, Clone)]
pub struct BehindData {
    /// The line's name.
    pub line: String,
    /// The year.
    pub year: i32,
    /// The unit.
    pub unit: CountingUnit,
    /// One row per counted unit (`rows.len()` is the number).
    pub rows: Vec<UnitRow>,
}

/// Describes a person (with the birth date, namesakes apart) or household key.
pub fn subject_label(r: &Reader, id: Id) -> Result<String, StoreError> {
    // Counted, but not to be named to this account (art. 18).
    if r.restricted_for_me(id) {
        return Ok(tr!("dash-restricted-person"));
    }
    if let Some(p) = r.get::<Person>(id)? {
        let born = p.birth.display();
        return Ok(if born.is_empty() {
            p.full_name()
        } else {
            format!("{} — {born}", p.full_name())
        });
    }
    if let Some(h) = r.get::<Household>(id)? {
        return Ok(tr!("dash-household", name = h.name));
    }
    Ok(id.short())
}

/// Describes a record.
pub fn record_label(r: &Reader, rec: &RecordRef) -> Result<String, StoreError> {
    let who = match rec.kind {
        EntityKind::Contact => r
            .get::<Contact>(rec.id)?
            .map(|c| subject_label(r, c.subject.id()))
            .transpose()?,
        EntityKind::Case => r
            .get::<Case>(rec.id)?
            .map(|c| subject_label(r, c.subject.id()))
            .transpose()?,
        EntityKind::Project => match r.get::<Project>(rec.id)? {
            Some(p) => Some(format!(
                "{} — {}",
                p.kind.label(),
                subject_label(r, p.person)?
            )),
            None => None,
        },
        EntityKind::Activity => r.get::<Activity>(rec.id)?.map(|a| a.name),
        _ => None,
    };
    let kind = rec.kind.label();
    let mut s = format!("{kind} {} {}", tr!("dash-of-date"), fmt_date(rec.date));
    if let Some(w) = who {
        s.push_str(" — ");
        s.push_str(&w);
    }
    Ok(s)
}

/// Describes a counted key in a unit.
pub fn unit_label(r: &Reader, unit: CountingUnit, key: Id) -> Result<String, StoreError> {
    match unit {
        CountingUnit::Persone | CountingUnit::Famiglie => subject_label(r, key),
        CountingUnit::Progetti => {
            if let Some(p) = r.get::<Project>(key)? {
                Ok(format!(
                    "{} {} {} — {}",
                    p.kind.label(),
                    tr!("dash-from-date"),
                    fmt_date(p.start),
                    subject_label(r, p.person)?
                ))
            } else if let Some(c) = r.get::<Case>(key)? {
                Ok(format!(
                    "{} {} {} — {}",
                    EntityKind::Case.label(),
                    tr!("dash-from-date"),
                    fmt_date(c.opened),
                    subject_label(r, c.subject.id())?
                ))
            } else {
                Ok(key.short())
            }
        }
        CountingUnit::Accessi => match r.get::<Contact>(key)? {
            Some(c) => Ok(format!(
                "{} {} {} — {}",
                c.kind.label(),
                tr!("dash-of-date"),
                crate::domain::time::fmt_datetime(c.at),
                subject_label(r, c.subject.id())?
            )),
            None => Ok(key.short()),
        },
    }
}

/// Names of the catalogue entries and the desk of each operator, read once per list.
struct Names {
    lines: HashMap<Id, String>,
    desks: HashMap<Id, String>,
    operator_desk: HashMap<Id, Id>,
}

impl Names {
    fn load(r: &Reader) -> Result<Names, StoreError> {
        Ok(Names {
            lines: r
                .all::<ServiceLine>()?
                .into_iter()
                .map(|l| (l.id, l.name))
                .collect(),
            desks: r
                .all::<Desk>()?
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect(),
            operator_desk: r
                .all::<Operator>()?
                .into_iter()
                .filter_map(|o| Some((o.id, o.desk?)))
                .collect(),
        })
    }

    fn line(&self, id: Id) -> String {
        self.lines.get(&id).cloned().unwrap_or_default()
    }

    fn desk(&self, id: Option<Id>) -> String {
        id.and_then(|d| self.desks.get(&d).cloned())
            .unwrap_or_default()
    }

    fn desk_of(&self, operator: Option<Id>) -> String {
        self.desk(operator.and_then(|o| self.operator_desk.get(&o).copied()))
    }
}

/// One record behind a number, as a row.
fn record_row(r: &Reader, rec: &RecordRef, names: &Names) -> Result<RecordRow, StoreError> {
    let none = |what: String| (what, String::new(), String::new());
    let (what, line, desk) = match rec.kind {
        EntityKind::Contact => match r.get::<Contact>(rec.id)? {
            Some(c) => (
                format!(
                    "{} — {}",
                    tr!("timeline-contact"),
                    labels::contact_kind(c.kind)
                ),
                names.line(c.line),
                names.desk(Some(c.desk)),
            ),
            None => none(tr!("timeline-contact")),
        },
        EntityKind::Case => match r.get::<Case>(rec.id)? {
            Some(c) => (
                format!(
                    "{} — {}",
                    tr!("timeline-case-open"),
                    labels::case_status(c.status)
                ),
                names.line(c.line),
                names.desk_of(c.referente),
            ),
            None => none(tr!("timeline-case-open")),
        },
        EntityKind::Project => match r.get::<Project>(rec.id)? {
            Some(p) => (
                labels::ProjectType::of(&p.kind).label(),
                names.line(p.line),
                names.desk_of(p.operator),
            ),
            None => none(rec.kind.label().to_string()),
        },
        EntityKind::Activity => match r.get::<Activity>(rec.id)? {
            Some(a) => (
                format!("{}: {}", tr!("timeline-activity"), a.name),
                names.line(a.line),
                names.desk(a.desk),
            ),
            None => none(tr!("timeline-activity")),
        },
        _ => none(rec.kind.label().to_string()),
    };
    Ok(RecordRow {
        date: fmt_date(rec.date),
        what,
        line,
        desk,
        open: Target::Record(rec.kind, rec.id),
    })
}

/// What a click on a counted unit opens: the person or household, or the project, case or
/// contact itself.
fn unit_target(r: &Reader, unit: CountingUnit, key: Id) -> Result<Option<Target>, StoreError> {
    Ok(match unit {
        CountingUnit::Persone | CountingUnit::Famiglie => {
            if r.restricted_for_me(key) {
                None
            } else if r.get::<Person>(key)?.is_some() {
                Some(Target::Person(key))
            } else if r.get::<Household>(key)?.is_some() {
                Some(Target::Household(key))
            } else {
                None
            }
        }
        CountingUnit::Progetti => {
            if r.get::<Project>(key)?.is_some() {
                Some(Target::Record(EntityKind::Project, key))
            } else if r.get::<Case>(key)?.is_some() {
                Some(Target::Record(EntityKind::Case, key))
            } else {
                None
            }
        }
        CountingUnit::Accessi => Some(Target::Record(EntityKind::Contact, key)),
    })
}

/// Lists and describes the records behind the count of `line` in `year`.
pub fn load(r: &Reader, line: &ServiceLine, year: i32) -> Result<BehindData, StoreError> {
    let behind = stats::records_behind(r, line.id, year)?;
    let names = Names::load(r)?;
    let mut rows = Vec::with_capacity(behind.units.len());
    for (key, recs) in &behind.units {
        let mut records = Vec::with_capacity(recs.len());
        for rec in recs {
            records.push(record_row(r, rec, &names)?);
        }
        let label = unit_label(r, line.unit, *key)?;
        rows.push(UnitRow {
            folded: crate::domain::person::fold(&label),
            open: unit_target(r, line.unit, *key)?,
            label,
            records,
        });
    }
    rows.sort_by(|a, b| a.folded.cmp(&b.folded));
    Ok(BehindData {
        line: line.name.clone(),
        year,
        unit: line.unit,
        rows,
    })
}

/// The window listing the records behind a number.
#[derive(Default)]
pub struct BehindView {
    job: Option<Job<BehindData>>,
    data: Option<BehindData>,
    error: Option<String>,
    open: bool,
    filter: String,
    /// The filter the shown lines were picked for, and the lines: (unit, record) positions.
    shown: Option<(String, Vec<(usize, usize)>)>,
    /// A new list starts at its top (not where the previous one was scrolled to).
    to_top: bool,
}

impl BehindView {
    /// Starts listing the records behind a line's count in a year.
    pub fn open(&mut self, ctx: &egui::Context, env: &Env, line: ServiceLine, year: i32) {
        let reads = env.reads();
        self.data = None;
        self.error = None;
        self.open = true;
        self.filter.clear();
        self.shown = None;
        self.to_top = true;
        self.job = Some(Job::spawn(ctx, move |_| {
            reads
                .read()
                .and_then(|r| load(&r, &line, year))
                .map_err(|e| e.to_string())
        }));
    }

    /// Closes the window (entering meeting mode).
    pub fn close(&mut self) {
        self.open = false;
        self.job = None;
        self.data = None;
    }

    /// True while the window is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Draws the window; a click on a name or a record opens it (through `env`).
    pub fn ui(&mut self, ctx: &egui::Context, env: &mut Env) {
        if let Some(job) = &mut self.job
            && let Some(r) = job.poll()
        {
            self.job = None;
            match r {
                Ok(d) => {
                    self.data = Some(d);
                    self.shown = None;
                }
                Err(e) => self.error = Some(e),
            }
        }
        if !self.open {
            return;
        }
        let mut open = self.open;
        let mut clicked = None;
        egui::Window::new(tr!("dash-behind-title"))
            .id(egui::Id::unique("dash-behind"))
            .open(&mut open)
            .default_size([880.0, 480.0])
            .default_pos(egui::pos2(
                (ctx.content_rect().right() - 920.0).max(0.0),
                ctx.content_rect().top() + 120.0,
            ))
            .vscroll(false)
            .show(ctx, |ui| {
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    return;
                }
                let Some(d) = &self.data else {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(tr!("dash-computing"));
                    });
                    return;
                };
                ui.strong(tr!(
                    "dash-behind-heading",
                    line = d.line.clone(),
                    year = d.year,
                    counted = d.unit.counted(d.rows.len() as u64)
                ));
                ui.horizontal(|ui| {
                    let label = ui.label(tr!("dash-behind-filter"));
                    ui.text_edit_singleline(&mut self.filter)
                        .labelled_by(label.id);
                });
                ui.label(tr!("dash-behind-hint"));
                if self.shown.as_ref().is_none_or(|(f, _)| *f != self.filter) {
                    let f = crate::domain::person::fold(&self.filter);
                    let lines = (0..d.rows.len())
                        .filter(|&i| f.is_empty() || d.rows[i].folded.contains(&f))
                        .flat_map(|i| (0..d.rows[i].records.len().max(1)).map(move |j| (i, j)))
                        .collect();
                    self.shown = Some((self.filter.clone(), lines));
                }
                let lines = self.shown.as_ref().map_or(&[][..], |(_, p)| p.as_slice());
                clicked = table(ui, d, lines, std::mem::take(&mut self.to_top));
            });
        self.open = open;
        if !open {
            self.data = None;
        }
        match clicked {
            Some(Target::Person(id)) => env.goto(Route::Person(id)),
            Some(Target::Household(id)) => {
                env.open = Some(OpenForm::Edit(EntityKind::Household, id));
            }
            Some(Target::Record(kind, id)) => env.open = Some(OpenForm::Edit(kind, id)),
            None => {}
        }
    }
}

/// Widths of the list's columns: who, date, record, line (the desk takes the rest).
const WIDTHS: [f32; 4] = [220.0, 86.0, 200.0, 130.0];

/// One cell of the list, `width` wide, its text cut with "…" where too long (the whole text
/// on hover).
fn cell(ui: &mut egui::Ui, width: f32, height: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_width(width);
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            add(ui);
        },
    );
}

/// The list: one line per record, the counted unit named on its first line; returns what
/// was clicked. Only the lines in view are laid out.
fn table(
    ui: &mut egui::Ui,
    d: &BehindData,
    lines: &[(usize, usize)],
    to_top: bool,
) -> Option<Target> {
    let mut clicked = None;
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let desk_w = (ui.available_width() - WIDTHS.iter().sum::<f32>() - 40.0).max(100.0);
    let widths = [WIDTHS[0], WIDTHS[1], WIDTHS[2], WIDTHS[3], desk_w];
    ui.horizontal(|ui| {
        for (key, w) in [
            "dash-behind-col-unit",
            "dash-behind-col-date",
            "dash-behind-col-record",
            "dash-behind-col-line",
            "dash-behind-col-desk",
        ]
        .into_iter()
        .zip(widths)
        {
            cell(ui, w, row_h, |ui| {
                ui.strong(tr!(key));
            });
        }
    });
    ui.separator();
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("behind-list")
        .auto_shrink([false, false]);
    if to_top {
        scroll = scroll.vertical_scroll_offset(0.0);
    }
    scroll.show_rows(ui, row_h, lines.len(), |ui, range| {
        for &(i, j) in &lines[range] {
            let unit = &d.rows[i];
            ui.horizontal(|ui| {
                cell(ui, widths[0], row_h, |ui| {
                    if j == 0 {
                        let r = match unit.open {
                            Some(_) => ui.link(&unit.label),
                            None => ui.label(&unit.label),
                        };
                        if r.on_hover_text(&unit.label).clicked() {
                            clicked = unit.open;
                        }
                    }
                });
                let Some(rec) = unit.records.get(j) else {
                    return;
                };
                cell(ui, widths[1], row_h, |ui| {
                    ui.label(&rec.date);
                });
                cell(ui, widths[2], row_h, |ui| {
                    let hint = format!("{} — {}", rec.what, tr!("dash-behind-open"));
                    if ui.link(&rec.what).on_hover_text(hint).clicked() {
                        clicked = Some(rec.open);
                    }
                });
                cell(ui, widths[3], row_h, |ui| {
                    ui.label(&rec.line);
                });
                cell(ui, widths[4], row_h, |ui| {
                    ui.label(&rec.desk);
                });
            });
        }
    });
    clicked
}
