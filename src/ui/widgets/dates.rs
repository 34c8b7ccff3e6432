//! Dates typed as gg/mm/aaaa with a calendar button next to them.

use super::row;
use crate::domain::time::{fmt_date, parse_date, today};
use crate::tr;
use chrono::{Datelike, NaiveDate};
use egui::{Id as EId, Response, TextEdit, Ui};

fn to_jiff(d: NaiveDate) -> jiff::civil::Date {
    jiff::civil::Date::new(d.year() as i16, d.month() as i8, d.day() as i8)
        .unwrap_or_else(|_| jiff::civil::date(2000, 1, 1))
}

fn from_jiff(d: jiff::civil::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year() as i32, d.month() as u32, d.day() as u32)
}

/// A date typed as gg/mm/aaaa, with a calendar button next to it.
pub fn date_edit(ui: &mut Ui, salt: &str, value: &mut String, label_id: EId) -> Response {
    ui.horizontal(|ui| {
        let r = ui
            .add(
                TextEdit::singleline(value)
                    .desired_width(110.0)
                    .hint_text("gg/mm/aaaa"),
            )
            .labelled_by(label_id);
        let mut d = to_jiff(parse_date(value).unwrap_or_else(today));
        let before = d;
        ui.add(
            egui_extras::DatePickerButton::new(&mut d)
                .id_salt(salt)
                .format("")
                .calendar_week(false)
                // Its year/month/day combo boxes have no accessible name: use the arrows.
                .combo_boxes(false),
        )
        .on_hover_text(tr!("date-pick"));
        if d != before
            && let Some(n) = from_jiff(d)
        {
            *value = fmt_date(n);
        }
        r
    })
    .inner
}

/// A date row of a form grid.
pub fn date_row(
    ui: &mut Ui,
    label_text: &str,
    salt: &str,
    value: &mut String,
    err: Option<&str>,
) -> Response {
    row(ui, label_text, err, |ui, label_id| {
        date_edit(ui, salt, value, label_id)
    })
}
