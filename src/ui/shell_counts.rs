//! The annual counts per service line, as a table (the dashboard grows from here).

use crate::stats::AnnualCounts;
use crate::tr;
use egui_extras::{Column, TableBuilder};

/// Shows the counts of every line in every year.
pub fn ui(ui: &mut egui::Ui, counts: &AnnualCounts) {
    ui.heading(tr!("counts-title"));
    ui.add_space(6.0);
    if counts.years.is_empty() {
        ui.label(tr!("counts-empty"));
        return;
    }
    let mut table = TableBuilder::new(ui)
        .striped(true)
        .column(Column::auto().at_least(320.0))
        .column(Column::auto().at_least(70.0));
    for _ in &counts.years {
        table = table.column(Column::auto().at_least(56.0));
    }
    table
        .header(22.0, |mut h| {
            h.col(|ui| {
                ui.strong(tr!("counts-line"));
            });
            h.col(|ui| {
                ui.strong(tr!("counts-unit"));
            });
            for y in &counts.years {
                h.col(|ui| {
                    ui.strong(y.to_string());
                });
            }
        })
        .body(|mut body| {
            for line in &counts.lines {
                body.row(22.0, |mut row| {
                    row.col(|ui| {
                        ui.label(&line.name);
                    });
                    row.col(|ui| {
                        ui.label(line.unit.word());
                    });
                    for &y in &counts.years {
                        row.col(|ui| {
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    ui.label(counts.count(line, y).to_string());
                                },
                            );
                        });
                    }
                });
            }
        });
}
