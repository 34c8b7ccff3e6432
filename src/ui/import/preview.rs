//! The preview step of the wizard: counts per outcome, the near matches to decide, the
//! rows (refused ones first, with row, column and reason), saving the refused rows, and the
//! accept that imports the rest.

use super::{ImportPanel, Picking};
use crate::domain::*;
use crate::import::RowOutcome;
use crate::tr;
use crate::ui::Env;
use crate::ui::file_picker::{PickKind, PickRequest};
use crate::ui::widgets::{self, FIELD_WIDTH};
use egui::{RichText, Ui};

/// At most this many rows are listed (the counts cover them all).
const SHOWN_ROWS: usize = 300;

impl ImportPanel {
    pub(super) fn preview_ui(&mut self, ui: &mut Ui, env: &mut Env) {
        let Some(plan) = &self.plan else {
            return;
        };
        let c = &plan.counts;
        ui.label(RichText::new(tr!("import-preview-title")).strong());
        ui.label(tr!(
            "import-preview-sheet",
            sheet = plan.sheet.clone(),
            row = plan.header_row as i64
        ));
        egui::Grid::new("import-counts")
            .num_columns(2)
            .spacing([12.0, 2.0])
            .show(ui, |ui| {
                let mut line = |label: String, n: u64| {
                    ui.label(label);
                    ui.label(n.to_string());
                    ui.end_row();
                };
                line(tr!("import-count-rows"), c.rows);
                line(tr!("import-count-new-people"), c.new_people);
                line(tr!("import-count-known"), c.known_people);
                line(tr!("import-count-near"), c.near_matches);
                for (k, n) in &c.records {
                    line(tr!("import-count-records", kind = k.label()), *n);
                }
                line(tr!("import-count-already"), c.already_imported);
                line(tr!("import-count-repeated"), c.repeated);
                line(tr!("import-count-refused"), c.refused);
            });
        let mut rerun = false;
        if !plan.near.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new(tr!("import-near-title")).strong());
            egui::Grid::new("import-near")
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for n in &plan.near {
                        let mut options: Vec<(Option<Id>, String)> =
                            vec![(None, tr!("import-near-new"))];
                        options.extend(n.candidates.iter().map(|(id, d)| (Some(*id), d.clone())));
                        let mut chosen = self.decisions.get(&n.row).copied();
                        let before = chosen;
                        let label = tr!("import-near-row", row = n.row as i64, who = n.who.clone());
                        let l = widgets::label(ui, &label);
                        widgets::choice(
                            ui,
                            ("import-near", n.row),
                            l.id,
                            &mut chosen,
                            &options,
                            FIELD_WIDTH,
                        );
                        ui.end_row();
                        if chosen != before {
                            match chosen {
                                Some(id) => self.decisions.insert(n.row, id),
                                None => self.decisions.remove(&n.row),
                            };
                            rerun = true;
                        }
                    }
                });
        }
        ui.add_space(6.0);
        ui.label(RichText::new(tr!("import-rows-title")).strong());
        let refused_first = plan
            .rows
            .iter()
            .filter(|r| matches!(r.outcome, RowOutcome::Refused { .. }))
            .chain(
                plan.rows
                    .iter()
                    .filter(|r| !matches!(r.outcome, RowOutcome::Refused { .. })),
            )
            .take(SHOWN_ROWS);
        egui::ScrollArea::vertical()
            .id_salt("import-rows")
            .max_height(260.0)
            .show(ui, |ui| {
                egui::Grid::new("import-rows-grid")
                    .num_columns(3)
                    .striped(true)
                    .show(ui, |ui| {
                        for r in refused_first {
                            ui.label(tr!("import-row", row = r.row as i64));
                            ui.label(&r.who);
                            let text = r.describe();
                            if matches!(r.outcome, RowOutcome::Refused { .. }) {
                                ui.label(RichText::new(text).color(ui.visuals().error_fg_color));
                            } else {
                                ui.label(text);
                            }
                            ui.end_row();
                        }
                    });
            });
        let importable = plan.writes.fingerprints.len();
        let refused = c.refused;
        let mut back = false;
        let mut accept = false;
        let mut save_refused = false;
        ui.horizontal(|ui| {
            if ui.button(tr!("import-back")).clicked() {
                back = true;
            }
            if refused > 0 && ui.button(tr!("import-save-refused")).clicked() {
                save_refused = true;
            }
            let label = if refused > 0 {
                tr!(
                    "import-accept-skip",
                    rows = importable as i64,
                    refused = refused as i64
                )
            } else {
                tr!("import-accept", rows = importable as i64)
            };
            if ui
                .add_enabled(importable > 0, egui::Button::new(label))
                .clicked()
            {
                accept = true;
            }
        });
        if back {
            self.plan = None;
        } else if save_refused {
            let req = PickRequest::new(PickKind::Save, tr!("import-dialog-refused"))
                .file_name("righe-rifiutate.csv")
                .filter("CSV", &["csv"]);
            self.picking = Some(Picking::Refused(env.picker.pick(req)));
        } else if accept {
            self.start_commit(ui.ctx(), env);
        } else if rerun {
            self.start_plan(ui.ctx(), env);
        }
    }
}
