//! The numbers under the chart. Every count is a link to the records behind it.

use super::charts::{ChartClick, ChartKind};
use crate::domain::Id;
use crate::stats::AnnualCounts;
use crate::stats::breakdown::Breakdown;
use crate::tr;
use egui::{Align, Layout, RichText};
use std::collections::HashMap;

fn number(ui: &mut egui::Ui, n: u64, link: bool) -> bool {
    let mut clicked = false;
    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
        if link {
            clicked = ui
                .link(n.to_string())
                .on_hover_text(tr!("dash-cell-hint"))
                .clicked();
        } else {
            ui.label(n.to_string());
        }
    });
    clicked
}

fn signed(d: i64) -> String {
    if d > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

/// Draws the table of the chart shown; `published` holds the frozen figures of the year.
pub fn ui(
    ui: &mut egui::Ui,
    kind: ChartKind,
    counts: &AnnualCounts,
    year: i32,
    breakdown: Option<&Breakdown>,
    published: &HashMap<Id, u64>,
) -> Option<ChartClick> {
    let mut click = None;
    match kind {
        ChartKind::Breakdown(_) => {
            let b = breakdown?;
            egui::Grid::new("dash-table-breakdown")
                .striped(true)
                .min_col_width(40.0)
                .show(ui, |ui| {
                    ui.strong(tr!("dash-col-row"));
                    ui.strong(tr!("dash-col-unit"));
                    for c in &b.columns {
                        ui.strong(c);
                    }
                    ui.end_row();
                    for row in &b.rows {
                        ui.label(&row.label);
                        ui.label(row.unit.map(|u| u.word()).unwrap_or("—"));
                        for v in &row.values {
                            if number(ui, *v, row.line.is_some()) {
                                let line = row
                                    .line
                                    .and_then(|id| counts.lines.iter().position(|l| l.id == id));
                                click = line.map(|i| ChartClick::Behind(i, year));
                            }
                        }
                        ui.end_row();
                    }
                });
            ui.label(RichText::new(tr!("dash-breakdown-note")).small().weak());
        }
        ChartKind::Trend => {
            egui::Grid::new("dash-table-trend")
                .striped(true)
                .show(ui, |ui| {
                    ui.strong(tr!("dash-col-line"));
                    ui.strong(tr!("dash-col-unit"));
                    for y in &counts.years {
                        ui.strong(y.to_string());
                    }
                    ui.end_row();
                    for (i, l) in counts.lines.iter().enumerate() {
                        ui.label(&l.name);
                        ui.label(l.unit.word());
                        for y in &counts.years {
                            if number(ui, counts.count(l, *y), true) {
                                click = Some(ChartClick::Behind(i, *y));
                            }
                        }
                        ui.end_row();
                    }
                });
        }
        ChartKind::Year | ChartKind::Compare => {
            let show_pub = !published.is_empty();
            egui::Grid::new("dash-table-year")
                .striped(true)
                .show(ui, |ui| {
                    ui.strong(tr!("dash-col-line"));
                    ui.strong(tr!("dash-col-unit"));
                    ui.strong((year - 1).to_string());
                    ui.strong(year.to_string());
                    ui.strong(tr!("dash-col-diff"));
                    if show_pub {
                        ui.strong(tr!("dash-col-published"));
                    }
                    ui.end_row();
                    for (i, l) in counts.lines.iter().enumerate() {
                        let (prev, cur) = (counts.count(l, year - 1), counts.count(l, year));
                        if l.archived && prev == 0 && cur == 0 {
                            continue;
                        }
                        ui.label(&l.name);
                        ui.label(l.unit.word());
                        if number(ui, prev, true) {
                            click = Some(ChartClick::Behind(i, year - 1));
                        }
                        if number(ui, cur, true) {
                            click = Some(ChartClick::Behind(i, year));
                        }
                        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                            ui.label(signed(cur as i64 - prev as i64));
                        });
                        if show_pub {
                            match published.get(&l.id) {
                                Some(p) if *p != cur => {
                                    ui.colored_label(
                                        ui.visuals().warn_fg_color,
                                        tr!("dash-published-was", count = *p),
                                    );
                                }
                                Some(p) => {
                                    ui.label(p.to_string());
                                }
                                None => {
                                    ui.label("—");
                                }
                            }
                        }
                        ui.end_row();
                    }
                });
        }
    }
    click
}
