//! Shared form widgets: labelled fields with their inline problem, dates typed or picked,
//! choices from the catalogue, and the find-as-you-type picker of people and households.
//! Every input is tied to its visible label for screen readers (and kittest).

mod calendar;
mod choices;
mod confirm;
mod dates;
mod fields;
mod parse;
mod picker;

pub use calendar::day_words;
pub use choices::{
    choice, choice_row, choice_unlabelled, desk_options, line_options, measure_options,
    operator_options, recent_years, role_options, service_options, with_all, with_none,
};
pub use confirm::{confirm, confirm_with, top_anchored};
pub use dates::{date_edit, date_row};
pub use fields::{
    check_row, enter_adds, label, multiline_focused, multiline_row, other_problems, password_row,
    problem, row, search_box, text_row, text_row_hint,
};
pub use parse::{fmt_hours, need_date, number, opt_date, parse_hours};
pub use picker::{Picked, SubjectPicker};

/// Width of text fields in forms.
pub const FIELD_WIDTH: f32 = 320.0;
