//! Published figures: freeze a year's counts (with the units and records behind them) and
//! compare them later with the live counts, listing the records that changed each number.

use super::{AnnualCounts, Behind, RecordRef, annual_counts};
use crate::domain::*;
use crate::store::published::{Published, PublishedLine, PublishedRecord, PublishedUnit};
use crate::store::{Reader, StoreError};
use std::collections::{BTreeMap, BTreeSet, HashSet};

fn to_published(r: &RecordRef) -> PublishedRecord {
    PublishedRecord {
        date: r.date,
        kind: r.kind,
        id: r.id,
    }
}

/// The records behind the count of each line in `year` in the given unit, in one pass over
/// the year's records (the same result as [`super::records_behind`] line by line).
pub fn behind_all(
    r: &Reader,
    year: i32,
    units: &std::collections::HashMap<Id, CountingUnit>,
) -> Result<BTreeMap<Id, Behind>, StoreError> {
    let mut out: BTreeMap<Id, Behind> = units
        .iter()
        .map(|(id, u)| {
            (
                *id,
                Behind {
                    unit: Some(*u),
                    units: BTreeMap::new(),
                },
            )
        })
        .collect();
    super::each_in_year(r, year, None, |cs, rec| {
        for c in cs {
            if c.year == year
                && units.get(&c.line) == Some(&c.unit)
                && let Some(b) = out.get_mut(&c.line)
            {
                b.units.entry(c.key).or_default().insert(rec.clone());
            }
        }
    })?;
    Ok(out)
}

/// The figures of `year` as they are now, ready to be frozen with
/// [`crate::store::Store::publish`]. Every line that is active or counts in that year.
pub fn freeze(r: &Reader, year: i32, note: &str) -> Result<Published, StoreError> {
    let counts = annual_counts(r)?;
    let units = counts.lines.iter().map(|l| (l.id, l.unit)).collect();
    let mut all = behind_all(r, year, &units)?;
    let mut lines = Vec::new();
    for l in &counts.lines {
        let count = counts.count(l, year);
        if l.archived && count == 0 {
            continue;
        }
        let behind = all.remove(&l.id).unwrap_or_default();
        if behind.units.len() as u64 != count {
            return Err(StoreError::Corrupt(format!(
                "il conteggio di «{}» nel {year} ({count}) non corrisponde ai record ({}): esegui «accoglienza check --repair»",
                l.name,
                behind.units.len()
            )));
        }
        lines.push(PublishedLine {
            line: l.id,
            code: l.code.clone(),
            name: l.name.clone(),
            unit: l.unit,
            count,
            units: behind
                .units
                .iter()
                .map(|(k, recs)| PublishedUnit {
                    key: *k,
                    records: recs.iter().map(to_published).collect(),
                })
                .collect(),
        });
    }
    Ok(Published {
        id: Id::new(),
        year,
        at: time::now_minute(),
        operator: Id::NIL,
        note: note.trim().to_string(),
        lines,
    })
}

/// How one published number compares with the live count.
#[derive(Debug, Clone)]
pub struct LineDiff {
    /// The line.
    pub line: Id,
    /// The line's name when published.
    pub name: String,
    /// The unit.
    pub unit: CountingUnit,
    /// The published number.
    pub published: u64,
    /// The number now.
    pub live: u64,
    /// Units that count now but were not published, with the records that make them count.
    pub added: BTreeMap<Id, BTreeSet<RecordRef>>,
    /// Units published that no longer count, with the records they were counted for.
    pub removed: BTreeMap<Id, Vec<PublishedRecord>>,
}

impl LineDiff {
    /// True when the live number differs from the published one, or the units behind it do.
    pub fn changed(&self) -> bool {
        self.published != self.live || !self.added.is_empty() || !self.removed.is_empty()
    }

    /// Every record that changed this number (added or removed units' records).
    pub fn changed_records(&self) -> BTreeSet<(EntityKind, Id)> {
        let mut out = BTreeSet::new();
        for recs in self.added.values() {
            out.extend(recs.iter().map(|r| (r.kind, r.id)));
        }
        for recs in self.removed.values() {
            out.extend(recs.iter().map(|r| (r.kind, r.id)));
        }
        out
    }
}

/// A published year against the live data.
#[derive(Debug, Clone)]
pub struct PublishedDiff {
    /// What was published.
    pub published: Published,
    /// One entry per published line.
    pub lines: Vec<LineDiff>,
    /// Changes written since publication to the records (or people) behind the differences.
    pub changes: Vec<AuditEntry>,
}

impl PublishedDiff {
    /// True when any number or unit changed.
    pub fn changed(&self) -> bool {
        self.lines.iter().any(LineDiff::changed)
    }
}

/// Compares the frozen figures of `year` with the live ones; `None` when not published.
pub fn diff(r: &Reader, year: i32) -> Result<Option<PublishedDiff>, StoreError> {
    let Some(published) = r.published(year)? else {
        return Ok(None);
    };
    let counts = annual_counts(r)?;
    // Compared in the unit published, even if the line's unit was changed since.
    let units = published.lines.iter().map(|l| (l.line, l.unit)).collect();
    let mut all = behind_all(r, year, &units)?;
    let mut lines = Vec::new();
    let mut touched: HashSet<Id> = HashSet::new();
    for pl in &published.lines {
        let behind = all.remove(&pl.line).unwrap_or_default();
        let live = live_count(&counts, pl.line, year, pl.unit);
        let frozen: HashSet<Id> = pl.units.iter().map(|u| u.key).collect();
        let added: BTreeMap<Id, BTreeSet<RecordRef>> = behind
            .units
            .iter()
            .filter(|(k, _)| !frozen.contains(k))
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        let removed: BTreeMap<Id, Vec<PublishedRecord>> = pl
            .units
            .iter()
            .filter(|u| !behind.units.contains_key(&u.key))
            .map(|u| (u.key, u.records.clone()))
            .collect();
        touched.extend(added.keys().chain(removed.keys()).copied());
        let d = LineDiff {
            line: pl.line,
            name: pl.name.clone(),
            unit: pl.unit,
            published: pl.count,
            live,
            added,
            removed,
        };
        let records = d.changed_records();
        touched.extend(records.iter().map(|(_, id)| *id));
        // The people and households those records are about: a person who moved household
        // or was archived changes a Famiglie number without any record of theirs changing.
        touched.extend(subjects_of(r, &records)?);
        lines.push(d);
    }
    let changes = r
        .audit_since(published.at)?
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| e.action != Action::Publish && touched.contains(&e.entity))
        .collect();
    Ok(Some(PublishedDiff {
        published,
        lines,
        changes,
    }))
}

/// The person or household each record is about (activities: none, their attendees are
/// the counted units already).
fn subjects_of(r: &Reader, records: &BTreeSet<(EntityKind, Id)>) -> Result<Vec<Id>, StoreError> {
    let mut out = Vec::new();
    for (kind, id) in records {
        let subject = match kind {
            EntityKind::Contact => r.get::<Contact>(*id)?.map(|c| c.subject.id()),
            EntityKind::Case => r.get::<Case>(*id)?.map(|c| c.subject.id()),
            EntityKind::Project => r.get::<Project>(*id)?.map(|p| p.person),
            _ => None,
        };
        out.extend(subject);
    }
    Ok(out)
}

fn live_count(counts: &AnnualCounts, line: Id, year: i32, unit: CountingUnit) -> u64 {
    counts.count_in(line, year, unit)
}
