//! Annual counts per service line (DESIGN.md §3), the records behind any count, and the
//! report sentences. Reads the store's incremental aggregates; [`recount`] recomputes the
//! same table from the records.

pub mod breakdown;
pub mod pratiche;
pub mod published;
pub mod report;
pub mod today;

use crate::domain::counting::{Contribution, Countable, contributions, period_years};
use crate::domain::*;
use crate::store::{Reader, StoreError};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The annual counts of every line in every year, in every unit.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualCounts {
    /// The service lines, in report order (archived lines included: their past counts stay).
    pub lines: Vec<ServiceLine>,
    /// Every year from the first to the last with data.
    pub years: Vec<i32>,
    values: HashMap<(Id, i32, CountingUnit), u64>,
}

impl AnnualCounts {
    fn build(mut lines: Vec<ServiceLine>, values: HashMap<(Id, i32, CountingUnit), u64>) -> Self {
        lines.sort_by_key(|l| (l.order, l.name.clone()));
        let years = match (
            values.keys().map(|k| k.1).min(),
            values.keys().map(|k| k.1).max(),
        ) {
            (Some(a), Some(b)) => (a..=b).collect(),
            _ => vec![],
        };
        AnnualCounts {
            lines,
            years,
            values,
        }
    }

    /// The count of a line in a year, in the line's own unit.
    pub fn count(&self, line: &ServiceLine, year: i32) -> u64 {
        self.count_in(line.id, year, line.unit)
    }

    /// The count of a line in a year in any unit.
    pub fn count_in(&self, line: Id, year: i32, unit: CountingUnit) -> u64 {
        self.values.get(&(line, year, unit)).copied().unwrap_or(0)
    }

    /// A line by its code.
    pub fn line(&self, code: &str) -> Option<&ServiceLine> {
        self.lines.iter().find(|l| l.code == code)
    }
}

/// The counts kept incrementally by the store (instant at any scale).
pub fn annual_counts(r: &Reader) -> Result<AnnualCounts, StoreError> {
    let values = r
        .totals()?
        .into_iter()
        .map(|(l, y, u, n)| ((l, y, u), n))
        .collect();
    Ok(AnnualCounts::build(r.all::<ServiceLine>()?, values))
}

/// The same table recomputed from every record (slow at city scale; the reference).
pub fn recount(r: &Reader) -> Result<AnnualCounts, StoreError> {
    let values = r.full_tally()?.totals().collect();
    Ok(AnnualCounts::build(r.all::<ServiceLine>()?, values))
}

/// One record that makes a unit count.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RecordRef {
    /// The record's date (contact day, period start, session day).
    pub date: NaiveDate,
    /// The kind of record.
    pub kind: EntityKind,
    /// Its id.
    pub id: Id,
}

/// The records behind one number: for each unit counted (a person, a household, a
/// project or a contact) the records that make it count. `units.len()` is the number.
#[derive(Debug, Clone, Default)]
pub struct Behind {
    /// The unit the number is in.
    pub unit: Option<CountingUnit>,
    /// Counted key → its qualifying records.
    pub units: BTreeMap<Id, BTreeSet<RecordRef>>,
}

/// Lists the records behind the count of `line` in `year`.
pub fn records_behind(r: &Reader, line: Id, year: i32) -> Result<Behind, StoreError> {
    let l: ServiceLine = r.require(line)?;
    let mut behind = Behind {
        unit: Some(l.unit),
        units: BTreeMap::new(),
    };
    each_in_year(r, year, Some(line), |cs, rec| {
        for c in cs {
            if c.line == line && c.year == year && c.unit == l.unit {
                behind.units.entry(c.key).or_default().insert(rec.clone());
            }
        }
    })?;
    Ok(behind)
}

/// Calls `add` with the contributions of every record that may count in `year` (only the
/// records of `line`, when given) and the reference shown for it: contacts of the year,
/// cases and projects open in it, activities with a session in it (dated by the first).
pub(crate) fn each_in_year(
    r: &Reader,
    year: i32,
    line: Option<Id>,
    mut add: impl FnMut(BTreeSet<Contribution>, RecordRef),
) -> Result<(), StoreError> {
    let world = r.mem_world()?;
    let through = r.through_year();
    let (from, to) = time::year_bounds(year);
    let on_line = |l: Id| line.is_none_or(|x| x == l);
    for c in r.by_date::<Contact>(from, to)? {
        if on_line(c.line) {
            add(
                contributions(Countable::Contact(&c), &world, through),
                RecordRef {
                    date: c.at.date(),
                    kind: EntityKind::Contact,
                    id: c.id,
                },
            );
        }
    }
    r.for_each(|c: Case| {
        if on_line(c.line) && period_years(c.opened, c.closed, through).contains(&year) {
            add(
                contributions(Countable::Case(&c), &world, through),
                RecordRef {
                    date: c.opened,
                    kind: EntityKind::Case,
                    id: c.id,
                },
            );
        }
    })?;
    r.for_each(|p: Project| {
        if on_line(p.line) && period_years(p.start, p.end, through).contains(&year) {
            add(
                contributions(Countable::Project(&p), &world, through),
                RecordRef {
                    date: p.start,
                    kind: EntityKind::Project,
                    id: p.id,
                },
            );
        }
    })?;
    r.for_each(|a: Activity| {
        let first = a
            .sessions
            .iter()
            .filter(|s| s.date.year() == year)
            .map(|s| s.date)
            .min();
        if on_line(a.line)
            && let Some(first) = first
        {
            add(
                contributions(Countable::Activity(&a), &world, through),
                RecordRef {
                    date: first,
                    kind: EntityKind::Activity,
                    id: a.id,
                },
            );
        }
    })?;
    Ok(())
}

/// The report sentence of one line in one year, like the seed's
/// "640 cittadini si sono rivolti ai nostri 2 sportelli WeMi …".
pub fn sentence(line: &ServiceLine, n: u64) -> String {
    let noun = if line.report_noun.trim().is_empty() {
        line.unit.word()
    } else {
        line.report_noun.trim()
    };
    let phrase = line.report_phrase.trim();
    if phrase.is_empty() {
        format!("{n} {noun} — {}", line.name)
    } else {
        format!("{n} {noun} {phrase}")
    }
}
