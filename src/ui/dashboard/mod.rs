//! The "Cruscotto": annual counts per service line as charts (year, comparison with the
//! previous year, trend, breakdowns by area, desk and month) with the numbers in a table
//! under the chart; a click on a bar or a cell lists the records behind the number; meeting
//! mode shows only aggregates, full screen, in large type; exports (PNG, CSV, XLSX, annual
//! report) and published (frozen) figures with their differences from the live data.

mod bandi;
mod behind;
pub mod charts;
mod export;
mod meeting;
pub mod multiples;
pub mod published;
pub mod render;
mod table;

use super::Env;
use super::jobs::Job;
use crate::stats::breakdown::{Breakdown, Dimension};
use crate::stats::{self, AnnualCounts};
use crate::tr;
use charts::{ChartClick, ChartKind};
use chrono::Datelike;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How often the counts are re-read from the store's aggregates (cheap at any scale).
const RELOAD_EVERY: Duration = Duration::from_secs(2);

/// The dashboard screen.
pub struct Dashboard {
    counts: Option<AnnualCounts>,
    loaded_at: Option<Instant>,
    year: Option<i32>,
    kind: ChartKind,
    breakdowns: HashMap<(i32, Dimension), Breakdown>,
    breakdown_job: Option<((i32, Dimension), Job<Breakdown>)>,
    behind: behind::BehindView,
    meeting: Option<meeting::Meeting>,
    exports: export::Exports,
    published: published::PublishedView,
    message: Option<(bool, String)>,
    chart_rect: Option<egui::Rect>,
    bandi: bandi::BandiSection,
}

impl Default for Dashboard {
    fn default() -> Self {
        Self::new()
    }
}

impl Dashboard {
    /// A dashboard that loads the counts on its first frame.
    pub fn new() -> Self {
        Dashboard {
            counts: None,
            loaded_at: None,
            year: None,
            kind: ChartKind::Year,
            breakdowns: HashMap::new(),
            breakdown_job: None,
            behind: Default::default(),
            meeting: None,
            exports: Default::default(),
            published: Default::default(),
            message: None,
            chart_rect: None,
            bandi: Default::default(),
        }
    }

    /// The selected year.
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// Selects a year (ignored when there is no data for it).
    pub fn set_year(&mut self, year: i32) {
        if self.counts.as_ref().is_none_or(|c| c.years.contains(&year)) {
            if self.year != Some(year) {
                self.published.invalidate();
            }
            self.year = Some(year);
        }
    }

    /// The chart shown (in meeting mode, the meeting's current chart).
    pub fn chart(&self) -> ChartKind {
        match &self.meeting {
            Some(m) => ChartKind::ALL[m.index],
            None => self.kind,
        }
    }

    /// Shows another chart.
    pub fn set_chart(&mut self, kind: ChartKind) {
        self.kind = kind;
    }

    /// True while meeting mode is on.
    pub fn in_meeting(&self) -> bool {
        self.meeting.is_some()
    }

    /// True while the records-behind window is open.
    pub fn behind_open(&self) -> bool {
        self.behind.is_open()
    }

    /// Forces the counts to be re-read on the next frame (after a write elsewhere).
    pub fn refresh(&mut self) {
        self.loaded_at = None;
        self.published.invalidate();
        self.bandi.invalidate();
    }

    fn reload(&mut self, env: &Env) {
        if self.loaded_at.is_some_and(|t| t.elapsed() < RELOAD_EVERY) {
            return;
        }
        self.loaded_at = Some(Instant::now());
        match env
            .reads()
            .read_aggregates()
            .and_then(|r| stats::annual_counts(&r))
        {
            Ok(c) => {
                if self.counts.as_ref() != Some(&c) {
                    self.breakdowns.clear();
                    self.published.invalidate();
                }
                if self.year.is_none_or(|y| !c.years.contains(&y)) {
                    self.year = default_year(&c, env.store.clock().today().year());
                }
                self.counts = Some(c);
            }
            Err(e) => self.message = Some((true, e.to_string())),
        }
    }

    /// The breakdown the current chart needs: computed in a background job, cached.
    fn breakdown(&mut self, ctx: &egui::Context, env: &Env) -> Option<&Breakdown> {
        let (ChartKind::Breakdown(dim), Some(year)) = (self.kind, self.year) else {
            return None;
        };
        if let Some((key, job)) = &mut self.breakdown_job
            && let Some(result) = job.poll()
        {
            let key = *key;
            self.breakdown_job = None;
            match result {
                Ok(b) => {
                    self.breakdowns.insert(key, b);
                }
                Err(e) => self.message = Some((true, e)),
            }
        }
        if !self.breakdowns.contains_key(&(year, dim)) && self.breakdown_job.is_none() {
            let reads = env.reads();
            self.breakdown_job = Some((
                (year, dim),
                Job::spawn(ctx, move |_| {
                    reads
                        .read_aggregates()
                        .and_then(|r| stats::breakdown::breakdown(&r, year, dim))
                        .map_err(|e| e.to_string())
                }),
            ));
        }
        self.breakdowns.get(&(year, dim))
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) {
        self.reload(env);
        if let Some(m) = &mut self.meeting {
            let counts = self.counts.clone();
            let year = self.year;
            match (counts, year) {
                (Some(counts), Some(year)) => {
                    let kind = ChartKind::ALL[m.index];
                    let b = if let ChartKind::Breakdown(_) = kind {
                        self.kind = kind;
                        self.breakdown(ui.ctx(), env).cloned()
                    } else {
                        None
                    };
                    let m = self.meeting.as_mut().expect("meeting on");
                    match m.ui(ui, &counts, year, b.as_ref()) {
                        meeting::MeetingAction::Stay => {}
                        meeting::MeetingAction::Year(y) => self.set_year(y),
                        meeting::MeetingAction::Leave => self.leave_meeting(ui.ctx()),
                    }
                }
                _ => self.leave_meeting(ui.ctx()),
            }
            return;
        }
        self.exports
            .poll(ui.ctx(), env, self.chart_rect, &mut self.message);
        self.published.poll(&mut self.message);
        ui.horizontal_wrapped(|ui| {
            ui.heading(tr!("dash-title"));
            ui.add_space(16.0);
            self.year_selector(ui);
            ui.separator();
            if ui
                .button(tr!("dash-meeting-enter"))
                .on_hover_text(tr!("dash-meeting-hint"))
                .clicked()
            {
                self.enter_meeting(ui.ctx());
            }
            if ui.button(tr!("dash-refresh")).clicked() {
                self.refresh();
            }
        });
        let (Some(counts), Some(year)) = (self.counts.clone(), self.year) else {
            ui.label(tr!("dash-empty"));
            return;
        };
        ui.horizontal_wrapped(|ui| {
            for k in ChartKind::ALL {
                if ui.selectable_label(self.kind == k, k.label()).clicked() {
                    self.kind = k;
                }
            }
        });
        self.exports
            .toolbar(ui, env, &counts, year, self.kind, self.chart_rect);
        if let Some((err, msg)) = self.message.clone() {
            let color = if err {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().hyperlink_color
            };
            ui.horizontal(|ui| {
                ui.colored_label(color, msg);
                if ui
                    .small_button("×")
                    .on_hover_text(tr!("dash-close"))
                    .clicked()
                {
                    self.message = None;
                }
            });
        }
        ui.separator();
        let kind = self.kind;
        let b = self.breakdown(ui.ctx(), env).cloned();
        let mut click = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.strong(kind.title(year));
                let waiting = matches!(kind, ChartKind::Breakdown(_)) && b.is_none();
                let height = (ui.available_height() * 0.55).clamp(260.0, 520.0);
                if waiting {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(tr!("dash-computing"));
                    });
                    self.chart_rect = None;
                } else {
                    let top = ui.cursor().min;
                    click = charts::show(ui, kind, &counts, year, b.as_ref(), height, false);
                    self.chart_rect = Some(egui::Rect::from_min_max(
                        top,
                        egui::pos2(ui.max_rect().right(), ui.min_rect().bottom()),
                    ));
                }
                ui.add_space(8.0);
                let published = self.published.frozen_counts(year);
                if let Some(c) = table::ui(ui, kind, &counts, year, b.as_ref(), &published) {
                    click = Some(c);
                }
                ui.add_space(12.0);
                self.published.ui(ui, env, year);
                if kind == ChartKind::Year {
                    ui.add_space(12.0);
                    self.bandi.ui(ui, env, year);
                }
            });
        match click {
            Some(ChartClick::Behind(line, y)) => {
                if let Some(l) = counts.lines.get(line) {
                    self.behind.open(ui.ctx(), env, l.clone(), y);
                }
            }
            Some(ChartClick::Year(y)) => self.set_year(y),
            None => {}
        }
        self.behind.ui(ui.ctx(), env);
    }

    fn year_selector(&mut self, ui: &mut egui::Ui) {
        let Some(counts) = &self.counts else {
            return;
        };
        let years = counts.years.clone();
        let Some(mut year) = self.year else {
            return;
        };
        let first = years.first().copied().unwrap_or(year);
        let last = years.last().copied().unwrap_or(year);
        if ui
            .add_enabled(year > first, egui::Button::new("‹"))
            .on_hover_text(tr!("dash-year-prev"))
            .clicked()
        {
            year -= 1;
        }
        let label = ui.label(tr!("dash-year"));
        egui::ComboBox::from_id_salt("dash-year")
            .selected_text(year.to_string())
            .show_ui(ui, |ui| {
                for y in years.iter().rev() {
                    ui.selectable_value(&mut year, *y, y.to_string());
                }
            })
            .response
            .labelled_by(label.id);
        if ui
            .add_enabled(year < last, egui::Button::new("›"))
            .on_hover_text(tr!("dash-year-next"))
            .clicked()
        {
            year += 1;
        }
        self.set_year(year);
    }

    /// Enters meeting mode: full screen, large type, only aggregates.
    pub fn enter_meeting(&mut self, ctx: &egui::Context) {
        let index = ChartKind::ALL
            .iter()
            .position(|k| *k == self.kind)
            .unwrap_or(0);
        self.behind.close();
        self.meeting = Some(meeting::Meeting::new(index));
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    /// Leaves meeting mode.
    pub fn leave_meeting(&mut self, ctx: &egui::Context) {
        if let Some(m) = self.meeting.take() {
            self.kind = ChartKind::ALL[m.index];
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }
}

/// The year the dashboard opens on: the current year when it has data (a count above zero
/// on some line), else the latest year with data. The running year is partial, but it is
/// the one the desk works on; the comparison and the trend show the years before it.
pub fn default_year(c: &AnnualCounts, this_year: i32) -> Option<i32> {
    let has_data = |y: i32| c.lines.iter().any(|l| c.count(l, y) > 0);
    if c.years.contains(&this_year) && has_data(this_year) {
        return Some(this_year);
    }
    c.years
        .iter()
        .rev()
        .copied()
        .find(|y| has_data(*y))
        .or(c.years.last().copied())
}
