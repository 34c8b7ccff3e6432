//! The records behind a number: every person, household, project or contact counted, with
//! the records that make it count. Names are shown here (never in meeting mode).

use super::super::Env;
use super::super::jobs::Job;
use crate::domain::time::fmt_date;
use crate::domain::*;
use crate::stats::{self, RecordRef};
use crate::store::{Reader, StoreError};
use crate::tr;

/// One counted unit, described for the operator.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// Who or what is counted.
    pub label: String,
    /// The label folded for the filter (lower case, no accents), worked out once.
    pub folded: String,
    /// The records that make it count.
    pub records: Vec<String>,
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

/// Describes a person or household key.
pub fn subject_label(r: &Reader, id: Id) -> Result<String, StoreError> {
    if let Some(p) = r.get::<Person>(id)? {
        return Ok(p.full_name());
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
    s.push_str(&format!(" [{}]", rec.id.short()));
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

/// Lists and describes the records behind the count of `line` in `year`.
pub fn load(r: &Reader, line: &ServiceLine, year: i32) -> Result<BehindData, StoreError> {
    let behind = stats::records_behind(r, line.id, year)?;
    let mut rows = Vec::with_capacity(behind.units.len());
    for (key, recs) in &behind.units {
        let mut records = Vec::with_capacity(recs.len());
        for rec in recs {
            records.push(record_label(r, rec)?);
        }
        let label = unit_label(r, line.unit, *key)?;
        rows.push(UnitRow {
            folded: crate::domain::person::fold(&label),
            label,
            records,
        });
    }
    rows.sort_by(|a, b| a.label.cmp(&b.label));
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
    /// The filter the shown rows were picked for, and their positions in the data.
    shown: Option<(String, Vec<usize>)>,
}

impl BehindView {
    /// Starts listing the records behind a line's count in a year.
    pub fn open(&mut self, ctx: &egui::Context, env: &Env, line: ServiceLine, year: i32) {
        let store = env.store.clone();
        self.data = None;
        self.error = None;
        self.open = true;
        self.filter.clear();
        self.shown = None;
        self.job = Some(Job::spawn(ctx, move |_| {
            store
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

    /// Draws the window.
    pub fn ui(&mut self, ctx: &egui::Context) {
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
        egui::Window::new(tr!("dash-behind-title"))
            .id(egui::Id::unique("dash-behind"))
            .open(&mut open)
            .default_size([560.0, 460.0])
            .default_pos(egui::pos2(
                (ctx.content_rect().right() - 600.0).max(0.0),
                ctx.content_rect().top() + 140.0,
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
                    count = d.rows.len(),
                    unit = d.unit.word()
                ));
                ui.horizontal(|ui| {
                    let label = ui.label(tr!("dash-behind-filter"));
                    ui.text_edit_singleline(&mut self.filter)
                        .labelled_by(label.id);
                });
                ui.label(egui::RichText::new(tr!("dash-behind-hint")).small().weak());
                if self.shown.as_ref().is_none_or(|(f, _)| *f != self.filter) {
                    let f = crate::domain::person::fold(&self.filter);
                    let picked = (0..d.rows.len())
                        .filter(|&i| f.is_empty() || d.rows[i].folded.contains(&f))
                        .collect();
                    self.shown = Some((self.filter.clone(), picked));
                }
                let picked = self.shown.as_ref().map_or(&[][..], |(_, p)| p.as_slice());
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show_rows(ui, 20.0, picked.len(), |ui, range| {
                        for row in picked[range].iter().map(|&i| &d.rows[i]) {
                            ui.horizontal(|ui| {
                                ui.label(&row.label);
                                ui.label(
                                    egui::RichText::new(
                                        row.records.first().cloned().unwrap_or_default(),
                                    )
                                    .small()
                                    .weak(),
                                );
                            })
                            .response
                            .on_hover_text(row.records.join("\n"));
                        }
                    });
            });
        self.open = open;
        if !open {
            self.data = None;
        }
    }
}
