//! The words of Oggi's items: one line each, with its numbers, ready to draw.

use crate::domain::project::fmt_hours;
use crate::domain::time::fmt_date;
use crate::stats::today::{Detail, Item, ItemKind};
use crate::tr;
use crate::ui::data::Data;
use chrono::NaiveDate;

/// One item as drawn: its date, kind, the line (name and numbers) and whose it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Position of the item in the agenda.
    pub index: usize,
    /// The due date, or «oggi».
    pub when: String,
    /// Due before today.
    pub overdue: bool,
    /// The kind, in words.
    pub kind: String,
    /// Who and the numbers: the link to the record.
    pub text: String,
    /// The operator's name (the team's view).
    pub operator: String,
}

/// The kind of an item, in words.
pub fn kind_label(k: ItemKind) -> String {
    tr!(match k {
        ItemKind::Referral => "today-kind-referral",
        ItemKind::Probation => "today-kind-probation",
        ItemKind::Internship => "today-kind-internship",
        ItemKind::Goals => "today-kind-goals",
        ItemKind::Informativa => "today-kind-informativa",
        ItemKind::Appointment => "today-kind-appointment",
        ItemKind::Pratica => "today-kind-pratica",
    })
}

/// The numbers of an item, in words (without the name).
pub fn explain(detail: &Detail, data: &Data) -> String {
    match detail {
        Detail::Referral {
            service,
            date,
            follow_up,
        } => tr!(
            "today-referral",
            service = data.catalog.name(*service).to_string(),
            date = fmt_date(*date),
            follow = fmt_date(*follow_up)
        ),
        Detail::Probation {
            schedule,
            behind,
            end,
        } => {
            let mut parts = Vec::new();
            match schedule {
                Some(s) => {
                    let (done, required, expected) = (
                        fmt_hours(s.done),
                        fmt_hours(s.required),
                        fmt_hours(s.expected),
                    );
                    parts.push(if *behind {
                        tr!(
                            "today-probation-behind",
                            done = done,
                            required = required,
                            expected = expected,
                            behind = fmt_hours(s.behind())
                        )
                    } else {
                        tr!(
                            "today-probation-hours",
                            done = done,
                            required = required,
                            expected = expected
                        )
                    });
                }
                None => parts.push(tr!("today-probation-hidden")),
            }
            if let Some(e) = end {
                parts.push(tr!("today-ends", date = fmt_date(*e)));
            }
            parts.join("; ")
        }
        Detail::Internship { end, host } => tr!(
            "today-internship",
            host = host.clone(),
            date = fmt_date(*end)
        ),
        Detail::Goals {
            count,
            review,
            first,
        } => tr!(
            "today-goals",
            n = *count as i64,
            date = fmt_date(*review),
            first = first.chars().take(80).collect::<String>()
        ),
        Detail::Appointment {
            minutes,
            desk,
            outcome,
            ..
        } => tr!(
            "today-appointment",
            minutes = *minutes as i64,
            desk = data.catalog.name(*desk).to_string(),
            outcome = outcome.label().to_lowercase()
        ),
        Detail::Pratica {
            bando,
            closes,
            missing,
        } => tr!(
            "today-pratica",
            bando = data.catalog.name(*bando).to_string(),
            n = *missing as i64,
            date = fmt_date(*closes)
        ),
        Detail::Informativa { since, contacts } => tr!(
            "today-informativa",
            n = *contacts as i64,
            date = fmt_date(*since)
        ),
    }
}

/// The line of one item.
pub fn line(index: usize, item: &Item, today: NaiveDate, data: &Data) -> Line {
    let when = if let Detail::Appointment { start, .. } = &item.detail {
        start.format("%H:%M").to_string()
    } else if item.due == today {
        tr!("today-today")
    } else {
        fmt_date(item.due)
    };
    Line {
        index,
        when,
        overdue: item.overdue(today) && item.kind != ItemKind::Appointment,
        kind: kind_label(item.kind),
        text: format!(
            "{} — {}",
            data.subject_name(item.subject),
            explain(&item.detail, data)
        ),
        operator: item
            .operator
            .and_then(|o| data.catalog.operator(o))
            .map(|o| o.display_name())
            .unwrap_or_default(),
    }
}
