//! The attendance register of a tirocinio: days present or absent, with the hours done.

use super::form::ProjectForm;
use crate::domain::time::{fmt_date, parse_date};
use crate::domain::*;
use crate::tr;
use crate::ui::widgets::{self, fmt_hours, parse_hours};
use egui::Ui;

impl ProjectForm {
    pub(super) fn attendance_ui(&mut self, ui: &mut Ui) {
        let d = &mut self.draft;
        let present = d.attendance.iter().filter(|a| a.present).count();
        let minutes: u64 = d
            .attendance
            .iter()
            .filter(|a| a.present)
            .map(|a| a.minutes as u64)
            .sum();
        ui.strong(tr!("internship-attendance"));
        ui.label(tr!(
            "internship-summary",
            present = present as i64,
            absent = (d.attendance.len() - present) as i64,
            hours = fmt_hours(minutes)
        ));
        let mut remove = None;
        egui::ScrollArea::vertical()
            .max_height(180.0)
            .id_salt("att-scroll")
            .show(ui, |ui| {
                egui::Grid::new("internship-att")
                    .striped(true)
                    .num_columns(5)
                    .show(ui, |ui| {
                        ui.weak(tr!("map-date"));
                        ui.weak(tr!("internship-present"));
                        ui.weak(tr!("map-hours"));
                        ui.weak(tr!("internship-note"));
                        ui.label("");
                        ui.end_row();
                        for (i, a) in d.attendance.iter_mut().enumerate() {
                            ui.label(fmt_date(a.date));
                            ui.checkbox(&mut a.present, "")
                                .on_hover_text(tr!("internship-present"));
                            ui.label(if a.present {
                                fmt_hours(a.minutes as u64)
                            } else {
                                String::new()
                            });
                            ui.label(&a.note);
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
            });
        if let Some(i) = remove {
            d.attendance.remove(i);
        }
        ui.horizontal(|ui| {
            let a = &mut self.add;
            let dl = ui.label(tr!("map-date"));
            let date = widgets::date_edit(ui, "att-add-date", &mut a.date, dl.id);
            ui.checkbox(&mut a.present, tr!("internship-present"));
            let hl = ui.label(tr!("map-hours"));
            let hours = ui
                .add(
                    egui::TextEdit::singleline(&mut a.hours)
                        .desired_width(50.0)
                        .hint_text("6"),
                )
                .labelled_by(hl.id);
            let nl = ui.label(tr!("internship-note"));
            let text = ui
                .add(egui::TextEdit::singleline(&mut a.text).desired_width(140.0))
                .labelled_by(nl.id);
            let enter = widgets::enter_adds(ui, &[&date, &hours, &text]);
            if ui.button(tr!("internship-add")).clicked() || enter {
                if enter {
                    date.request_focus();
                }
                let minutes = if a.present {
                    parse_hours(&a.hours)
                } else {
                    Some(0)
                };
                match (parse_date(&a.date), minutes) {
                    (Some(date), Some(m)) => {
                        d.attendance.retain(|x| x.date != date);
                        d.attendance.push(Attendance {
                            date,
                            present: a.present,
                            minutes: m.min(u16::MAX as u32) as u16,
                            note: a.text.trim().to_string(),
                        });
                        d.attendance.sort_by_key(|x| x.date);
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
        widgets::problem(ui, self.problems.for_field("attendance"));
    }
}
