//! The hours ledger of a messa alla prova: hours done against hours required, one entry
//! per day of community work. A row is checked when it is added (a day holds at most 24
//! hours, no future dates, nothing outside the project's period) and every problem shows
//! next to its row.

use super::form::ProjectForm;
use crate::domain::project::others_same_day;
use crate::domain::time::{fmt_date, parse_date, parse_date_checked, today};
use crate::domain::*;
use crate::tr;
use crate::ui::widgets::{self, fmt_hours, parse_hours};
use egui::{RichText, Ui};

/// Shows the problems of a row in the error colour, one after the other.
pub(super) fn row_problems(ui: &mut Ui, problems: &[String]) {
    if problems.is_empty() {
        ui.label("");
        return;
    }
    let color = ui.visuals().error_fg_color;
    ui.vertical(|ui| {
        for m in problems {
            ui.label(RichText::new(m).color(color).small());
        }
    });
}

impl ProjectForm {
    /// The period of the project as typed (`None` while the start cannot be read).
    pub(super) fn period(&self) -> Option<(chrono::NaiveDate, Option<chrono::NaiveDate>)> {
        let start = parse_date(&self.draft.start)?;
        Some((start, parse_date(&self.draft.end)))
    }

    pub(super) fn ledger_ui(&mut self, ui: &mut Ui) {
        let period = self.period();
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
        let others = others_same_day(&d.ledger);
        let mut remove = None;
        egui::Grid::new("map-ledger")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                ui.weak(tr!("map-date"));
                ui.weak(tr!("map-hours"));
                ui.weak(tr!("map-activity"));
                ui.label("");
                ui.label("");
                ui.end_row();
                for (i, e) in d.ledger.iter().enumerate() {
                    ui.label(fmt_date(e.date));
                    ui.label(fmt_hours(e.minutes as u64));
                    ui.add(egui::Label::new(&e.activity).wrap());
                    if ui
                        .small_button("✖")
                        .on_hover_text(tr!("map-remove"))
                        .clicked()
                    {
                        remove = Some(i);
                    }
                    let problems = period
                        .map(|(s, end)| e.problems(s, end, today(), others[i]))
                        .unwrap_or_default();
                    row_problems(ui, &problems);
                    ui.end_row();
                }
            });
        if let Some(i) = remove {
            d.ledger.remove(i);
        }
        ui.horizontal_wrapped(|ui| {
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
                let mut problems = Vec::new();
                let date = parse_date_checked(&a.date)
                    .map_err(|e| problems.push(e.to_string()))
                    .ok();
                let minutes = parse_hours(&a.hours);
                if minutes.is_none() {
                    problems.push(tr!("map-bad-hours"));
                }
                if let (Some(date), Some(minutes)) = (date, minutes) {
                    let row = HoursEntry {
                        date,
                        minutes,
                        activity: a.text.trim().to_string(),
                    };
                    let that_day: u64 = d
                        .ledger
                        .iter()
                        .filter(|e| e.date == date)
                        .map(|e| e.minutes as u64)
                        .sum();
                    if let Some((s, end)) = period {
                        problems.extend(row.problems(s, end, today(), that_day));
                    }
                    if problems.is_empty() {
                        d.ledger.push(row);
                        d.ledger.sort_by_key(|e| e.date);
                        a.hours.clear();
                        a.text.clear();
                    }
                }
                a.errors = problems;
            }
            // Next to the row being added: every reason it was not added.
            for m in &a.errors {
                ui.label(RichText::new(m).color(ui.visuals().error_fg_color));
            }
        });
        if self.problems.for_field("ledger").is_some() {
            widgets::problem(ui, Some(&tr!("map-rows-problems")));
        }
    }
}
