//! The attendance register of a tirocinio: days present or absent, with the hours done.
//! The header stays in view while the days scroll, the list opens at its top, and a day is
//! checked when it is added (its problems next to it).

use super::form::ProjectForm;
use super::ledger::row_problems;
use crate::domain::time::{fmt_date, parse_date_checked, today};
use crate::domain::*;
use crate::tr;
use crate::ui::widgets::{self, fmt_hours, parse_hours};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

impl ProjectForm {
    pub(super) fn attendance_ui(&mut self, ui: &mut Ui) {
        let period = self.period();
        let to_top = std::mem::take(&mut self.list_to_top);
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
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let mut table = TableBuilder::new(ui)
            .id_salt("internship-att")
            .striped(true)
            .max_scroll_height(200.0)
            .auto_shrink([false, true])
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(90.0))
            .column(Column::exact(64.0))
            .column(Column::exact(50.0))
            .column(Column::initial(150.0).clip(true))
            .column(Column::exact(30.0))
            .column(Column::remainder().at_least(120.0));
        if to_top {
            table = table.vertical_scroll_offset(0.0);
        }
        table
            .header(row_h, |mut h| {
                for key in [
                    "map-date",
                    "internship-present",
                    "map-hours",
                    "internship-note",
                ] {
                    h.col(|ui| {
                        ui.weak(tr!(key));
                    });
                }
                h.col(|_| {});
                h.col(|_| {});
            })
            .body(|mut body| {
                for (i, a) in d.attendance.iter_mut().enumerate() {
                    let problems = period
                        .map(|(s, end)| a.problems(s, end, today()))
                        .unwrap_or_default();
                    let h = row_h * problems.len().max(1) as f32;
                    body.row(h, |mut row| {
                        row.col(|ui| {
                            ui.label(fmt_date(a.date));
                        });
                        row.col(|ui| {
                            let hint = tr!("internship-present-on", date = fmt_date(a.date));
                            ui.checkbox(&mut a.present, "")
                                .accessible_name(hint.clone())
                                .on_hover_text(hint);
                        });
                        row.col(|ui| {
                            if a.present {
                                ui.label(fmt_hours(a.minutes as u64));
                            }
                        });
                        row.col(|ui| {
                            ui.label(&a.note).on_hover_text(&a.note);
                        });
                        row.col(|ui| {
                            if ui
                                .small_button("✖")
                                .on_hover_text(tr!("map-remove"))
                                .clicked()
                            {
                                remove = Some(i);
                            }
                        });
                        row.col(|ui| row_problems(ui, &problems));
                    });
                }
            });
        if let Some(i) = remove {
            d.attendance.remove(i);
        }
        ui.horizontal_wrapped(|ui| {
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
                let mut problems = Vec::new();
                let date = parse_date_checked(&a.date)
                    .map_err(|e| problems.push(e.to_string()))
                    .ok();
                let minutes = if a.present {
                    parse_hours(&a.hours)
                } else {
                    Some(0)
                };
                if minutes.is_none() {
                    problems.push(tr!("map-bad-hours"));
                }
                if let (Some(date), Some(m)) = (date, minutes) {
                    let day = Attendance {
                        date,
                        present: a.present,
                        minutes: m.min(u16::MAX as u32) as u16,
                        note: a.text.trim().to_string(),
                    };
                    if let Some((s, end)) = period {
                        problems.extend(day.problems(s, end, today()));
                    }
                    if problems.is_empty() {
                        d.attendance.retain(|x| x.date != date);
                        d.attendance.push(day);
                        d.attendance.sort_by_key(|x| x.date);
                        a.hours.clear();
                        a.text.clear();
                    }
                }
                a.errors = problems;
            }
            for m in &a.errors {
                ui.label(RichText::new(m).color(ui.visuals().error_fg_color));
            }
        });
        if self.problems.for_field("attendance").is_some() {
            widgets::problem(ui, Some(&tr!("map-rows-problems")));
        }
    }
}
