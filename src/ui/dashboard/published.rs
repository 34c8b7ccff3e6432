//! Published figures in the dashboard: freeze the selected year's figures, and for a
//! published year show the frozen value, the live value and the records that changed it.

use super::super::Env;
use super::super::jobs::Job;
use super::behind;
use crate::domain::Id;
use crate::domain::time::{fmt_date, fmt_datetime};
use crate::stats::published::{self as pubstats, PublishedDiff};
use crate::stats::{RecordRef, published::LineDiff};
use crate::store::published::PUBLISH_PERMISSIONS;
use crate::store::{Reader, StoreError};
use crate::tr;
use std::collections::HashMap;

/// A changed line, described for the operator.
#[derive(Debug, Clone)]
pub struct ChangedLine {
    /// The line's name.
    pub name: String,
    /// Published and live numbers.
    pub published: u64,
    /// The live number.
    pub live: u64,
    /// Units counted now and not then.
    pub added: Vec<String>,
    /// Units counted then and not now.
    pub removed: Vec<String>,
}

/// The comparison of a published year, described.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The raw comparison (`None`: not published).
    pub diff: Option<PublishedDiff>,
    /// Who published, in words.
    pub by: String,
    /// Lines whose number or units changed.
    pub changed: Vec<ChangedLine>,
    /// Changes in the audit log since publication, in words.
    pub changes: Vec<String>,
}

/// Describes a changed line. The units and records are named through `names`, the
/// signed-in account's own reader: what it may not read (a role that sees counts only, a
/// person whose processing is restricted) is described without a name.
fn describe_line(names: Option<&Reader>, d: &LineDiff) -> Result<ChangedLine, StoreError> {
    let unit = |key: Id| {
        names
            .and_then(|r| behind::unit_label(r, d.unit, key).ok())
            .unwrap_or_else(|| tr!("dash-unit-not-shown"))
    };
    let record = |x: &RecordRef| {
        names
            .and_then(|r| behind::record_label(r, x).ok())
            .unwrap_or_else(|| {
                format!(
                    "{} {} {}",
                    x.kind.label(),
                    tr!("dash-of-date"),
                    fmt_date(x.date)
                )
            })
    };
    let mut added = Vec::new();
    for (key, recs) in &d.added {
        let recs: Vec<String> = recs.iter().map(record).collect();
        added.push(format!("{}: {}", unit(*key), recs.join("; ")));
    }
    let mut removed = Vec::new();
    for (key, recs) in &d.removed {
        let recs: Vec<String> = recs
            .iter()
            .map(|x| {
                record(&RecordRef {
                    date: x.date,
                    kind: x.kind,
                    id: x.id,
                })
            })
            .collect();
        removed.push(format!("{}: {}", unit(*key), recs.join("; ")));
    }
    Ok(ChangedLine {
        name: d.name.clone(),
        published: d.published,
        live: d.live,
        added,
        removed,
    })
}

/// Compares a year's published figures with the live ones (read through `r`, the
/// aggregates' reader) and describes the differences, naming people and records through
/// `names` (the account's own reader; `None`: no names at all).
pub fn load(r: &Reader, names: Option<&Reader>, year: i32) -> Result<Loaded, StoreError> {
    let diff = pubstats::diff(r, year)?;
    let mut changed = Vec::new();
    let mut changes = Vec::new();
    let mut by = String::new();
    if let Some(d) = &diff {
        by = r
            .get::<crate::domain::Operator>(d.published.operator)?
            .map(|o| o.display_name())
            .unwrap_or_default();
        for l in d.lines.iter().filter(|l| l.changed()) {
            changed.push(describe_line(names, l)?);
        }
        for e in &d.changes {
            changes.push(format!(
                "{} — {} {} [{}]",
                fmt_datetime(e.at),
                e.action.label(),
                e.kind.label(),
                e.entity.short()
            ));
        }
    }
    Ok(Loaded {
        diff,
        by,
        changed,
        changes,
    })
}

/// The published-figures section of the dashboard.
#[derive(Default)]
pub struct PublishedView {
    year: Option<i32>,
    loaded: Option<Loaded>,
    job: Option<Job<Loaded>>,
    publish_job: Option<Job<()>>,
    confirm_replace: bool,
    note: String,
}

impl PublishedView {
    /// Forgets the comparison (the data or the year changed).
    pub fn invalidate(&mut self) {
        self.year = None;
        self.loaded = None;
        self.job = None;
    }

    /// Takes finished jobs.
    pub fn poll(&mut self, message: &mut Option<(bool, String)>) {
        if let Some(job) = &mut self.job
            && let Some(r) = job.poll()
        {
            self.job = None;
            match r {
                Ok(l) => self.loaded = Some(l),
                Err(e) => *message = Some((true, e)),
            }
        }
        if let Some(job) = &mut self.publish_job
            && let Some(r) = job.poll()
        {
            self.publish_job = None;
            match r {
                Ok(()) => *message = Some((false, tr!("dash-published-done"))),
                Err(e) => *message = Some((true, e)),
            }
            self.invalidate();
        }
    }

    fn ensure(&mut self, ctx: &egui::Context, env: &Env, year: i32) {
        if self.year == Some(year) {
            return;
        }
        self.year = Some(year);
        self.loaded = None;
        let reads = env.reads();
        self.job = Some(Job::spawn(ctx, move |_| {
            let names = reads.read().ok();
            reads
                .read_aggregates()
                .and_then(|r| load(&r, names.as_ref(), year))
                .map_err(|e| e.to_string())
        }));
    }

    /// The frozen figures of `year` by line, when published and loaded.
    pub fn frozen_counts(&mut self, year: i32) -> HashMap<Id, u64> {
        match (&self.loaded, self.year) {
            (Some(Loaded { diff: Some(d), .. }), Some(y)) if y == year => d
                .published
                .lines
                .iter()
                .map(|l| (l.line, l.count))
                .collect(),
            _ => HashMap::new(),
        }
    }

    /// Draws the section.
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &Env, year: i32) {
        self.ensure(ui.ctx(), env, year);
        ui.separator();
        ui.strong(tr!("dash-published-title", year = year));
        let Some(loaded) = &self.loaded else {
            ui.spinner();
            return;
        };
        let mut publish = false;
        let may_publish = PUBLISH_PERMISSIONS.iter().all(|p| env.may(*p));
        match &loaded.diff {
            None => {
                ui.label(tr!("dash-published-none", year = year));
                if !may_publish {
                    ui.weak(tr!("dash-publish-needs-permission"));
                }
                if may_publish {
                    ui.horizontal(|ui| {
                        let label = ui.label(tr!("dash-published-note"));
                        ui.text_edit_singleline(&mut self.note)
                            .labelled_by(label.id);
                        if ui
                            .add_enabled(
                                self.publish_job.is_none(),
                                egui::Button::new(tr!("dash-publish", year = year)),
                            )
                            .clicked()
                        {
                            publish = true;
                        }
                    });
                }
            }
            Some(d) => {
                ui.label(tr!(
                    "dash-published-info",
                    date = fmt_date(d.published.at.date()),
                    by = if loaded.by.is_empty() {
                        "—".to_string()
                    } else {
                        loaded.by.clone()
                    },
                    note = d.published.note.clone()
                ));
                if loaded.changed.is_empty() {
                    ui.label(tr!("dash-published-same"));
                } else {
                    ui.colored_label(ui.visuals().warn_fg_color, tr!("dash-published-changed"));
                    for c in &loaded.changed {
                        egui::CollapsingHeader::new(tr!(
                            "dash-published-line",
                            line = c.name.clone(),
                            published = c.published,
                            live = c.live
                        ))
                        .id_salt(("dash-pub-line", &c.name))
                        .show(ui, |ui| {
                            for a in &c.added {
                                ui.label(format!("+ {a}"));
                            }
                            for r in &c.removed {
                                ui.label(format!("− {r}"));
                            }
                        });
                    }
                    if !loaded.changes.is_empty() {
                        egui::CollapsingHeader::new(tr!("dash-published-audit"))
                            .id_salt("dash-pub-audit")
                            .show(ui, |ui| {
                                for c in &loaded.changes {
                                    ui.label(c);
                                }
                            });
                    }
                }
                if self.confirm_replace {
                    ui.horizontal(|ui| {
                        ui.label(tr!("dash-publish-confirm", year = year));
                        if ui.button(tr!("dash-publish-replace")).clicked() {
                            publish = true;
                        }
                        if ui.button(tr!("dash-cancel")).clicked() {
                            self.confirm_replace = false;
                        }
                    });
                } else if may_publish
                    && ui
                        .add_enabled(
                            self.publish_job.is_none(),
                            egui::Button::new(tr!("dash-publish-again", year = year)),
                        )
                        .clicked()
                {
                    self.confirm_replace = true;
                }
            }
        }
        if publish {
            let replace = loaded.diff.is_some();
            self.confirm_replace = false;
            let reads = env.reads();
            let session = env.session.clone();
            let note = std::mem::take(&mut self.note);
            self.publish_job = Some(Job::spawn(ui.ctx(), move |_| {
                let frozen = reads
                    .read_aggregates()
                    .and_then(|r| pubstats::freeze(&r, year, &note))
                    .map_err(|e| e.to_string())?;
                let session = session.ok_or_else(|| tr!("dash-publish-needs-permission"))?;
                reads
                    .store()
                    .publish_as(&session, frozen, replace)
                    .map_err(|e| e.to_string())
            }));
        }
    }
}
