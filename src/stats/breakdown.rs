//! Breakdowns of a year's counts by desk, by area and by month, computed from the records
//! with the same counting rules (slower than the aggregates: run them in a background job).
//!
//! - by desk: each line's count (in its own unit) among the records filed at each desk
//!   (contacts and activities: their desk; cases and projects: the desk of their operator);
//! - by month: each line's count among the records of each month (a case or project counts
//!   in every month its period overlaps), so a person counts once per month;
//! - by area: distinct people, households, projects and contacts across the area's lines.

use crate::domain::counting::{Contribution, Countable, contributions, period_years};
use crate::domain::*;
use crate::store::{Reader, StoreError};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// What a breakdown splits the counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Desk (sportello).
    Desk,
    /// Thematic area.
    Area,
    /// Month of the year.
    Month,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Dimension; 3] = [Dimension::Desk, Dimension::Area, Dimension::Month];
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakdownRow {
    /// The row's label (a line's or an area's name).
    pub label: String,
    /// The line, for rows that are lines.
    pub line: Option<Id>,
    /// The unit of every value in the row (`None`: each column has its own, by area).
    pub unit: Option<CountingUnit>,
    /// One value per column.
    pub values: Vec<u64>,
}

/// A year's counts split by a dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// The year.
    pub year: i32,
    /// What the columns are.
    pub dimension: Dimension,
    /// Column labels (desks, months, or units for areas).
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<BreakdownRow>,
}

/// Italian month abbreviations.
pub const MONTHS: [&str; 12] = [
    "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
];

/// Where a qualifying record was filed.
struct Place {
    desk: Option<Id>,
    months: Vec<u32>,
}

fn months_overlapping(start: NaiveDate, end: Option<NaiveDate>, year: i32) -> Vec<u32> {
    (1..=12)
        .filter(|&m| {
            let first = NaiveDate::from_ymd_opt(year, m, 1).expect("valid month");
            let last = if m == 12 {
                NaiveDate::from_ymd_opt(year, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(year, m + 1, 1).and_then(|d| d.pred_opt())
            }
            .expect("valid month");
            start <= last && end.is_none_or(|e| e >= first)
        })
        .collect()
}

/// An open period ends today in the current year (no future months).
fn open_end(year: i32) -> Option<NaiveDate> {
    let today = time::today();
    (year >= today.year()).then_some(today)
}

/// Calls `f` with the contributions to `year` of every qualifying record and where it was filed.
fn each_record(
    r: &Reader,
    year: i32,
    mut f: impl FnMut(Vec<Contribution>, Place),
) -> Result<(), StoreError> {
    let world = r.mem_world()?;
    let through = r.through_year();
    let operators: HashMap<Id, Option<Id>> = r
        .all::<Operator>()?
        .into_iter()
        .map(|o| (o.id, o.desk))
        .collect();
    let desk_of = |o: Option<Id>| o.and_then(|o| operators.get(&o).copied().flatten());
    let in_year = |cs: std::collections::BTreeSet<Contribution>| -> Vec<Contribution> {
        cs.into_iter().filter(|c| c.year == year).collect()
    };
    let (from, to) = time::year_bounds(year);
    for c in r.by_date::<Contact>(from, to)? {
        let cs = in_year(contributions(Countable::Contact(&c), &world, through));
        if !cs.is_empty() {
            f(
                cs,
                Place {
                    desk: Some(c.desk),
                    months: vec![c.at.month()],
                },
            );
        }
    }
    r.for_each(|c: Case| {
        if period_years(c.opened, c.closed, through).contains(&year) {
            let cs = in_year(contributions(Countable::Case(&c), &world, through));
            if !cs.is_empty() {
                let end = c.closed.or_else(|| open_end(year));
                f(
                    cs,
                    Place {
                        desk: desk_of(c.referente),
                        months: months_overlapping(c.opened, end, year),
                    },
                );
            }
        }
    })?;
    r.for_each(|p: Project| {
        if period_years(p.start, p.end, through).contains(&year) {
            let cs = in_year(contributions(Countable::Project(&p), &world, through));
            if !cs.is_empty() {
                let op = match &p.kind {
                    ProjectKind::CaseManager {
                        referente: Some(o), ..
                    } => p.operator.or(Some(*o)),
                    _ => p.operator,
                };
                f(
                    cs,
                    Place {
                        desk: desk_of(op),
                        months: months_overlapping(p.start, p.end.or_else(|| open_end(year)), year),
                    },
                );
            }
        }
    })?;
    r.for_each(|a: Activity| {
        for s in a.sessions.iter().filter(|s| s.date.year() == year) {
            let one = Activity {
                sessions: vec![s.clone()],
                ..a.clone()
            };
            let cs = in_year(contributions(Countable::Activity(&one), &world, through));
            if !cs.is_empty() {
                f(
                    cs,
                    Place {
                        desk: a.desk,
                        months: vec![s.date.month()],
                    },
                );
            }
        }
    })?;
    Ok(())
}

/// Computes a breakdown of `year` by `dimension`.
pub fn breakdown(r: &Reader, year: i32, dimension: Dimension) -> Result<Breakdown, StoreError> {
    let mut lines = r.all::<ServiceLine>()?;
    lines.sort_by_key(|l| (l.order, l.name.clone()));
    let unit_of: HashMap<Id, CountingUnit> = lines.iter().map(|l| (l.id, l.unit)).collect();
    match dimension {
        Dimension::Area => {
            let mut areas = r.all::<Area>()?;
            areas.retain(|a| !a.archived || lines.iter().any(|l| l.area == a.id));
            let area_of: HashMap<Id, Id> = lines.iter().map(|l| (l.id, l.area)).collect();
            let mut sets: HashMap<(Id, CountingUnit), HashSet<Id>> = HashMap::new();
            each_record(r, year, |cs, _| {
                for c in cs {
                    if let Some(a) = area_of.get(&c.line) {
                        sets.entry((*a, c.unit)).or_default().insert(c.key);
                    }
                }
            })?;
            Ok(Breakdown {
                year,
                dimension,
                columns: CountingUnit::ALL
                    .iter()
                    .map(|u| u.word().to_string())
                    .collect(),
                rows: areas
                    .iter()
                    .map(|a| BreakdownRow {
                        label: a.name.clone(),
                        line: None,
                        unit: None,
                        values: CountingUnit::ALL
                            .iter()
                            .map(|u| sets.get(&(a.id, *u)).map_or(0, |s| s.len() as u64))
                            .collect(),
                    })
                    .collect(),
            })
        }
        Dimension::Desk | Dimension::Month => {
            let (columns, desk_col): (Vec<String>, HashMap<Id, usize>) =
                if dimension == Dimension::Desk {
                    let desks = r.all::<Desk>()?;
                    let mut cols: Vec<String> = desks.iter().map(|d| d.name.clone()).collect();
                    cols.push("Non indicato".to_string());
                    let idx = desks.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
                    (cols, idx)
                } else {
                    (
                        MONTHS.iter().map(|m| m.to_string()).collect(),
                        HashMap::new(),
                    )
                };
            let none_col = columns.len() - 1;
            let mut sets: HashMap<(Id, usize), HashSet<Id>> = HashMap::new();
            each_record(r, year, |cs, place| {
                let cols: Vec<usize> = if dimension == Dimension::Desk {
                    vec![
                        place
                            .desk
                            .and_then(|d| desk_col.get(&d).copied())
                            .unwrap_or(none_col),
                    ]
                } else {
                    place.months.iter().map(|m| (*m - 1) as usize).collect()
                };
                for c in cs {
                    if unit_of.get(&c.line) != Some(&c.unit) {
                        continue;
                    }
                    for &col in &cols {
                        sets.entry((c.line, col)).or_default().insert(c.key);
                    }
                }
            })?;
            let mut rows: Vec<BreakdownRow> = lines
                .iter()
                .filter(|l| {
                    !l.archived || (0..columns.len()).any(|c| sets.contains_key(&(l.id, c)))
                })
                .map(|l| BreakdownRow {
                    label: l.name.clone(),
                    line: Some(l.id),
                    unit: Some(l.unit),
                    values: (0..columns.len())
                        .map(|c| sets.get(&(l.id, c)).map_or(0, |s| s.len() as u64))
                        .collect(),
                })
                .collect();
            let mut columns = columns;
            if dimension == Dimension::Desk && rows.iter().all(|r| r.values[none_col] == 0) {
                columns.pop();
                for r in &mut rows {
                    r.values.pop();
                }
            }
            Ok(Breakdown {
                year,
                dimension,
                columns,
                rows,
            })
        }
    }
}
