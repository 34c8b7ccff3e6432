//! The hours ledger of a messa alla prova: hours done against hours required, one entry
//! per day of community work.

use super::form::ProjectForm;
use crate::domain::time::{fmt_date, parse_date};
use crate::domain::*;
use crate::tr;
use crate::ui::widgets::{self, fmt_hours, parse_hours};
use egui::Ui;

impl ProjectForm {
    pub(super) fn ledger_ui(&mut self, ui: &mut Ui) {
        let d = &mut self.draft;
        // Bounded: a huge number typed here is refused by validation, never overflows.
        let required: u64 = d
            .hours_required
            .trim()
            .parse::<u64>()
            .unwrap_or(0)
            .min(1 << 32);
        let done: u64 = d.ledger.iter().map(|e| e.minutes as u64).sum();
        ui.strong(tr!("map-ledger"));
        let frac = if required > 0 {
            done as f32 / (required * 60) as f32
        } else {
            0.0
        };
        ui.add(
            egui::ProgressBar::new(frac.min(1.0))
                .desired_width(420.0)
                .text(tr!(
                    "map-progress",
                    done = fmt_hours(done),
                    required = required as i64,
                    left = fmt_hours((required * 60).saturating_sub(done))
                )),
        );
        let mut remove = None;
        egui::Grid::new("map-ledger")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                ui.weak(tr!("map-date"));
                ui.weak(tr!("map-hours"));
                ui.weak(tr!("map-activity"));
                ui.label("");
                ui.end_row();
                for (i, e) in d.ledger.iter().enumerate() {
                    ui.label(fmt_date(e.date));
                    ui.label(fmt_hours(e.minutes as u64));
                    ui.label(&e.activity);
                    if ui
                        .small_button("✖")
                        .on_hover_text(tr!("map-remove"))
                        .clicked()
                    {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        if let Some(i) = remove {
            d.ledger.remove(i);
        }
        ui.horizontal(|ui| {
            let a = &mut self.add;
            let dl = ui.label(tr!("map-date"));
            let date = widgets::date_edit(ui, "map-add-date", &mut a.date, dl.id);
            let hl = ui.label(tr!("map-hours"));
            let hours = ui
                .add(
                    egui::TextEdit::singleline(&mut a.hours)
                        .desired_width(50.0)
                        .hint_text("3:30"),
                )
                .labelled_by(hl.id);
            let al = ui.label(tr!("map-activity"));
            let text = ui
                .add(egui::TextEdit::singleline(&mut a.text).desired_width(160.0))
                .labelled_by(al.id);
            let enter = widgets::enter_adds(ui, &[&date, &hours, &text]);
            if ui.button(tr!("map-add")).clicked() || enter {
                if enter {
                    hours.request_focus();
                }
                match (parse_date(&a.date), parse_hours(&a.hours)) {
                    (Some(date), Some(m)) if m > 0 => {
                        d.ledger.push(HoursEntry {
                            date,
                            minutes: m,
                            activity: a.text.trim().to_string(),
                        });
                        d.ledger.sort_by_key(|e| e.date);
                        a.hours.clear();
                        a.text.clear();
                        a.error = None;
                    }
                    (None, _) => a.error = Some(tr!("map-bad-date")),
                    _ => a.error = Some(tr!("map-bad-hours")),
                }
            }
        });
        widgets::problem(ui, self.add.error.as_deref());
        widgets::problem(ui, self.problems.for_field("ledger"));
    }
}
