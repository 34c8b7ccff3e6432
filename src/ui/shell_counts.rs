//! The annual counts per service line, as a table (the dashboard replaces this screen).

use super::Env;
use crate::domain::EntityKind;
use crate::stats::{self, AnnualCounts};
use crate::tr;
use egui_extras::{Column, TableBuilder};

/// The Cruscotto slot until the dashboard arrives: the counts of every line in every year,
/// re-read after any write that can change them.
#[derive(Default)]
pub struct Counts {
    counts: Option<AnnualCounts>,
    stamp: Option<u64>,
    error: Option<String>,
}

impl Counts {
    /// Shows the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, env: &mut Env) {
        let s = super::jobs::stamp(
            &[
                EntityKind::Person,
                EntityKind::Household,
                EntityKind::Contact,
                EntityKind::Case,
                EntityKind::Project,
                EntityKind::Activity,
                EntityKind::ServiceLine,
            ]
            .map(|k| env.revision(k)),
        );
        if self.stamp != Some(s) {
            self.stamp = Some(s);
            match env.store.read().and_then(|r| stats::annual_counts(&r)) {
                Ok(c) => {
                    self.counts = Some(c);
                    self.error = None;
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        ui.heading(tr!("counts-title"));
        ui.add_space(6.0);
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let Some(counts) = &self.counts else { return };
        if counts.years.is_empty() {
            ui.label(tr!("counts-empty"));
            return;
        }
        egui::ScrollArea::horizontal().show(ui, |ui| Self::table(ui, counts));
    }

    fn table(ui: &mut egui::Ui, counts: &AnnualCounts) {
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
                            ui.label(super::labels::unit(line.unit));
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
}
