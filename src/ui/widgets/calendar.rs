//! The calendar next to a date field: a month in Italian ("marzo 2024"), weeks from Monday,
//! month and year moved with labelled buttons, every control named for screen readers.
//! Opened by its button, closed by a choice, "Chiudi", Esc or a click outside.

use crate::domain::time::{fmt_date, parse_date, today};
use crate::tr;
use chrono::{Datelike, Months, NaiveDate};
use egui::{Popup, PopupCloseBehavior, Response, RichText, Ui};

/// The month a calendar shows, kept in egui's memory while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shown(NaiveDate);

/// The month and year in the interface language: "marzo 2024".
pub fn month_year(d: NaiveDate) -> String {
    format!("{} {}", tr!(&format!("month-{}", d.month())), d.year())
}

/// A day in words for screen readers and hover texts: "15 marzo 2024".
pub fn day_words(d: NaiveDate) -> String {
    format!("{} {}", d.day(), month_year(d))
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn shift(d: NaiveDate, months: i32) -> NaiveDate {
    let m = Months::new(months.unsigned_abs());
    let out = if months < 0 {
        d.checked_sub_months(m)
    } else {
        d.checked_add_months(m)
    };
    out.unwrap_or(d)
}

/// The 42 days (six weeks from Monday) a month's page shows.
pub fn page_days(month: NaiveDate) -> Vec<NaiveDate> {
    let first = first_of_month(month);
    let back = first.weekday().num_days_from_monday() as u64;
    let start = first
        .checked_sub_days(chrono::Days::new(back))
        .unwrap_or(first);
    start.iter_days().take(42).collect()
}

/// The calendar button after a date field; a choice writes `value` as gg/mm/aaaa.
pub fn calendar_button(ui: &mut Ui, salt: &str, value: &mut String) -> Response {
    let button = ui
        .button("📅")
        .accessible_name(tr!("date-pick"))
        .on_hover_text(tr!("date-pick"));
    let memory_id = ui.make_persistent_id(("calendar-month", salt));
    let popup_id = ui.make_persistent_id(("calendar-popup", salt));
    if button.clicked() {
        // Open on the month of the date typed (or today's).
        let start = first_of_month(parse_date(value).unwrap_or_else(today));
        ui.ctx()
            .data_mut(|d| d.insert_temp(memory_id, Shown(start)));
    }
    let mut chosen = None;
    let mut close = false;
    // Over the dialog it opens from, always: a click on the dialog must not bring the
    // dialog above its own calendar.
    let parent = ui.layer_id();
    if parent.order == egui::Order::Foreground && Popup::is_id_open(ui.ctx(), popup_id) {
        ui.ctx().set_sublayer(
            parent,
            egui::LayerId::new(egui::Order::Foreground, popup_id),
        );
    }
    Popup::from_toggle_button_response(&button)
        .id(popup_id)
        .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
        .accessible_name(tr!("date-calendar"))
        .show(|ui| {
            let mut shown = ui
                .ctx()
                .data(|d| d.get_temp::<Shown>(memory_id))
                .unwrap_or(Shown(first_of_month(today())))
                .0;
            let selected = parse_date(value);
            month_ui(ui, &mut shown, selected, &mut chosen, &mut close);
            ui.ctx()
                .data_mut(|d| d.insert_temp(memory_id, Shown(shown)));
        });
    if let Some(d) = chosen {
        *value = fmt_date(d);
        close = true;
    }
    if close {
        Popup::close_id(ui.ctx(), popup_id);
    }
    button
}

/// One page of the calendar: navigation, the weeks, "Oggi" and "Chiudi".
fn month_ui(
    ui: &mut Ui,
    shown: &mut NaiveDate,
    selected: Option<NaiveDate>,
    chosen: &mut Option<NaiveDate>,
    close: &mut bool,
) {
    ui.horizontal(|ui| {
        let prev_year = shift(*shown, -12);
        let prev_month = shift(*shown, -1);
        let next_month = shift(*shown, 1);
        let next_year = shift(*shown, 12);
        let nav = |ui: &mut Ui, text: String, name: String| {
            ui.button(text)
                .accessible_name(name.clone())
                .on_hover_text(name)
                .clicked()
        };
        if nav(ui, format!("« {}", prev_year.year()), tr!("date-prev-year")) {
            *shown = prev_year;
        }
        if nav(
            ui,
            format!("‹ {}", tr!(&format!("month-{}", prev_month.month()))),
            tr!("date-prev-month"),
        ) {
            *shown = prev_month;
        }
        ui.add_space(6.0);
        ui.label(RichText::new(month_year(*shown)).strong());
        ui.add_space(6.0);
        if nav(
            ui,
            format!("{} ›", tr!(&format!("month-{}", next_month.month()))),
            tr!("date-next-month"),
        ) {
            *shown = next_month;
        }
        if nav(ui, format!("{} »", next_year.year()), tr!("date-next-year")) {
            *shown = next_year;
        }
    });
    ui.add_space(4.0);
    let today = today();
    egui::Grid::new("calendar-days")
        .num_columns(7)
        .spacing([2.0, 2.0])
        .min_col_width(34.0)
        .show(ui, |ui| {
            for w in 1..=7 {
                ui.add_sized(
                    [34.0, 18.0],
                    egui::Label::new(RichText::new(tr!(&format!("weekday-{w}"))).weak()),
                );
            }
            ui.end_row();
            for (i, d) in page_days(*shown).into_iter().enumerate() {
                let in_month = d.month() == shown.month();
                let mut text = RichText::new(d.day().to_string());
                if !in_month {
                    text = text.weak();
                }
                if d == today {
                    text = text.strong().underline();
                }
                let r = ui
                    .add_sized(
                        [34.0, 24.0],
                        egui::Button::selectable(selected == Some(d), text),
                    )
                    .accessible_name(day_words(d));
                if r.clicked() {
                    *chosen = Some(d);
                }
                if i % 7 == 6 {
                    ui.end_row();
                }
            }
        });
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        if ui
            .button(tr!("date-today"))
            .on_hover_text(day_words(today))
            .clicked()
        {
            *chosen = Some(today);
        }
        if ui.button(tr!("date-close")).clicked() {
            *close = true;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_starts_on_monday_and_holds_the_month() {
        let march = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        let days = page_days(march);
        assert_eq!(days.len(), 42);
        // 1 March 2024 is a Friday: the page starts on Monday 26 February.
        assert_eq!(days[0], NaiveDate::from_ymd_opt(2024, 2, 26).unwrap());
        assert_eq!(days[0].weekday(), chrono::Weekday::Mon);
        for day in 1..=31 {
            assert!(days.contains(&NaiveDate::from_ymd_opt(2024, 3, day).unwrap()));
        }
        assert_eq!(
            shift(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), -1),
            NaiveDate::from_ymd_opt(2023, 12, 1).unwrap()
        );
        crate::ui::i18n::set_lang(crate::ui::i18n::Lang::It);
        assert_eq!(month_year(march), "marzo 2024");
        assert_eq!(day_words(march), "15 marzo 2024");
    }
}
