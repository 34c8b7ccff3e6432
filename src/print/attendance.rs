//! The monthly attendance sheet of a tirocinio: every day of the month as a row with what
//! was recorded (presence, hours, activity or note), the month's totals, and the
//! signature lines for the tutor and the trainee.

use super::map_statement::{invalid, person_fields};
use super::pdf::{Align, Column, Document, Header, RowStyle, Style};
use crate::domain::project::fmt_hours;
use crate::domain::time::fmt_date;
use crate::domain::*;
use crate::store::{Reader, StoreError};
use chrono::{Datelike, NaiveDate};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
}

const WEEKDAYS: [&str; 7] = ["lun", "mar", "mer", "gio", "ven", "sab", "dom"];

impl Month {
    /// The month of a day.
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// Reads `aaaa-mm`, `mm/aaaa` or `m/aaaa`; the reason in Italian when it cannot.
    pub fn parse(s: &str) -> Result<Month, String> {
        let t = s.trim();
        let bad = || format!("Mese non valido: «{t}» (scrivi mm/aaaa, es. 03/2024)");
        let (y, m) = match (t.split_once('-'), t.split_once('/')) {
            (Some((y, m)), None) => (y, m),
            (None, Some((m, y))) => (y, m),
            _ => return Err(bad()),
        };
        let (Ok(year), Ok(month)) = (y.trim().parse::<i32>(), m.trim().parse::<u32>()) else {
            return Err(bad());
        };
        if !(1..=12).contains(&month) || !(1900..=2200).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The first day.
    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a checked month")
    }

    /// Every day of the month, in order.
    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        let first = self.first();
        first
            .iter_days()
            .take_while(move |d| d.month() == first.month())
    }

    /// «marzo 2024».
    pub fn label(self) -> String {
        format!(
            "{} {}",
            crate::domain::time::MONTH_NAMES[self.month as usize - 1],
            self.year
        )
    }

    /// `2024-03`, for file names.
    pub fn code(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

/// Everything the sheet prints, read from one snapshot.
#[derive(Debug, Clone)]
pub struct AttendanceSheet {
    /// The trainee.
    pub person: Person,
    /// The tirocinio.
    pub project: Project,
    /// The month printed.
    pub month: Month,
    /// The operator following the project (the cooperative's tutor).
    pub operator: String,
}

impl AttendanceSheet {
    /// The host organisation, hours per week and the month's rows of the register.
    pub fn fields(&self) -> (&str, u16, Vec<&Attendance>) {
        match &self.project.kind {
            ProjectKind::Tirocinio {
                host,
                hours_per_week,
                attendance,
                ..
            } => {
                let mut rows: Vec<&Attendance> = attendance
                    .iter()
                    .filter(|a| Month::of(a.date) == self.month)
                    .collect();
                rows.sort_by_key(|a| a.date);
                (host, *hours_per_week, rows)
            }
            _ => ("", 0, vec![]),
        }
    }

    /// The month's minutes worked (days present), days present, days absent.
    pub fn totals(&self) -> (u64, usize, usize) {
        let rows = self.fields().2;
        let present: Vec<_> = rows.iter().filter(|a| a.present).collect();
        let minutes = present.iter().map(|a| a.minutes as u64).sum();
        (minutes, present.len(), rows.len() - present.len())
    }
}

/// Reads tirocinio `id` through `r` (made for the session) for `month`: refused when it
/// is not a tirocinio.
pub fn gather(r: &Reader, id: Id, month: Month) -> Result<AttendanceSheet, StoreError> {
    let project: Project = r.require(id)?;
    if !matches!(project.kind, ProjectKind::Tirocinio { .. }) {
        return Err(invalid(
            "kind",
            &format!(
                "Il progetto è un {}: il foglio presenze è solo per il tirocinio.",
                project.kind.label().to_lowercase()
            ),
        ));
    }
    let person: Person = r.require(project.person)?;
    let operator = super::operator_name(r, project.operator);
    Ok(AttendanceSheet {
        person,
        project,
        month,
        operator,
    })
}

/// «1 assenza», «3 assenze», «0 assenze».
fn days(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Lays the sheet out as an A4 PDF in Italian.
pub fn render(s: &AttendanceSheet, header: Header) -> Vec<u8> {
    let pr = &s.project;
    let (host, per_week, rows) = s.fields();
    let (minutes, present, absent) = s.totals();
    let mut doc = Document::new(header);
    doc.text(
        Style::Title,
        0.0,
        &format!("Foglio presenze del tirocinio — {}", s.month.label()),
    );
    doc.text(Style::Small, 0.0, &format!("Progetto {}", pr.id.short()));
    doc.space(6.0);
    person_fields(&mut doc, &s.person);
    doc.field("Ente ospitante", host);
    doc.field("Tutor", &s.operator);
    let period = match pr.end {
        Some(e) => format!("dal {} al {}", fmt_date(pr.start), fmt_date(e)),
        None => format!("dal {} (in corso)", fmt_date(pr.start)),
    };
    let weekly = if per_week > 0 {
        format!(", {per_week} ore settimanali")
    } else {
        String::new()
    };
    doc.field("Periodo del tirocinio", &format!("{period}{weekly}"));
    doc.space(6.0);
    let cols = [
        Column {
            heading: "Giorno",
            share: 1.9,
            align: Align::Left,
        },
        Column {
            heading: "Presenza",
            share: 1.3,
            align: Align::Left,
        },
        Column {
            heading: "Ore",
            share: 0.8,
            align: Align::Right,
        },
        Column {
            heading: "Attività / note",
            share: 5.0,
            align: Align::Left,
        },
    ];
    let mut table = Vec::new();
    for day in s.month.days() {
        let weekday = WEEKDAYS[day.weekday().num_days_from_monday() as usize];
        let date = format!("{weekday} {}", fmt_date(day));
        let that_day: Vec<&&Attendance> = rows.iter().filter(|a| a.date == day).collect();
        if that_day.is_empty() {
            table.push((
                RowStyle::Muted,
                vec![date.clone(), String::new(), String::new(), String::new()],
            ));
        }
        for a in that_day {
            let (presence, hours) = if a.present {
                ("presente", fmt_hours(a.minutes as u64))
            } else {
                ("assente", String::new())
            };
            table.push((
                RowStyle::Normal,
                vec![date.clone(), presence.into(), hours, a.note.clone()],
            ));
        }
    }
    table.push((
        RowStyle::Total,
        vec![
            "Totale del mese".into(),
            days(present, "giorno", "giorni"),
            fmt_hours(minutes),
            if absent > 0 {
                days(absent, "assenza", "assenze")
            } else {
                String::new()
            },
        ],
    ));
    doc.table(&cols, &table);
    doc.signatures(&["Il tutor", "Il tirocinante"]);
    doc.finish(&format!("Presenze {} {}", pr.id.short(), s.month.code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_in_both_orders_and_refused_in_words() {
        let m = Month {
            year: 2024,
            month: 3,
        };
        assert_eq!(Month::parse("2024-03"), Ok(m));
        assert_eq!(Month::parse(" 3/2024 "), Ok(m));
        assert_eq!(m.label(), "marzo 2024");
        assert_eq!(m.code(), "2024-03");
        for bad in ["13/2024", "0/2024", "2024", "marzo", "03/24", ""] {
            let e = Month::parse(bad).unwrap_err();
            assert!(e.starts_with("Mese non valido"), "{bad}: {e}");
        }
        let days: Vec<_> = Month::parse("02/2024").unwrap().days().collect();
        assert_eq!(days.len(), 29, "a leap February");
        assert_eq!(days[28], NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(Month::parse("12/2023").unwrap().days().count(), 31);
    }
}
