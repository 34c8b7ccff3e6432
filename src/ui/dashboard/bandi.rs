//! The year view's «Pratiche per bando» (issue 15): per bando, the pratiche opened, sent,
//! accepted and refused in the year and the amount granted (`stats::pratiche`), read again
//! when the year, the pratiche or the database change.

use crate::domain::EntityKind;
use crate::domain::pratica::fmt_euro;
use crate::stats::pratiche::{self, BandoRow};
use crate::tr;
use crate::ui::Env;

/// The section's figures and what they were read for.
#[derive(Default)]
pub(super) struct BandiSection {
    key: Option<(i32, u64, u64, u64)>,
    rows: Vec<BandoRow>,
    error: Option<String>,
}

impl BandiSection {
    /// Reads the figures again on the next frame.
    pub(super) fn invalidate(&mut self) {
        self.key = None;
    }

    fn load(&mut self, env: &Env, year: i32) {
        let key = (
            year,
            env.revision(EntityKind::Pratica),
            env.revision(EntityKind::Bando),
            env.generation(),
        );
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        // Aggregates only: no person is shown, so the dashboard's permission is enough.
        match env
            .reads()
            .read_aggregates()
            .and_then(|r| pratiche::figures_by_bando(&r, Some(year)))
        {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Draws the table of `year`.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, env: &Env, year: i32) {
        self.load(env, year);
        ui.strong(format!("{} — {year}", tr!("pratiche-dash-title")));
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
        if self.rows.is_empty() {
            ui.weak(tr!("pratiche-dash-none"));
            return;
        }
        let total = pratiche::total(&self.rows);
        egui::Grid::new("dash-bandi")
            .striped(true)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for k in [
                    "pratiche-dash-bando",
                    "pratiche-dash-opened",
                    "pratiche-dash-sent",
                    "pratiche-dash-accepted",
                    "pratiche-dash-refused",
                    "pratiche-dash-amount",
                ] {
                    ui.strong(tr!(k));
                }
                ui.end_row();
                let line = |ui: &mut egui::Ui, name: String, f: pratiche::BandoFigures| {
                    ui.label(name);
                    for n in [f.opened, f.sent, f.accepted, f.refused] {
                        ui.label(n.to_string());
                    }
                    ui.label(fmt_euro(f.granted_cents));
                    ui.end_row();
                };
                for r in &self.rows {
                    line(ui, r.bando.name.clone(), r.figures);
                }
                line(ui, tr!("pratiche-dash-total"), total);
            });
    }
}
