//! The counting rules of DESIGN.md §3 as a pure function: which (line, year, unit, key)
//! units a record contributes. The store keeps incremental aggregates with it and the
//! statistics recount from scratch with it, so both always agree.

use super::activity::Activity;
use super::case::Case;
use super::catalogue::CountingUnit;
use super::contact::{Contact, Subject};
use super::ids::Id;
use super::project::Project;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

/// One unit a record contributes to a line's count in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Contribution {
    /// The service line.
    pub line: Id,
    /// The year.
    pub year: i32,
    /// Which counting unit.
    pub unit: CountingUnit,
    /// The distinct thing counted: a person, a household (or a person without one), a
    /// project or case, a contact.
    pub key: Id,
}

/// What the counting rules need to know about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonState {
    /// Archived people's records never count.
    pub archived: bool,
    /// The household, if the person belongs to one.
    pub household: Option<Id>,
}

/// What the counting rules need to know about a household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdState {
    /// Archived households' own records never count.
    pub archived: bool,
    /// Members that are not archived.
    pub members: Vec<Id>,
}

/// Lookups of people and households, answered by the store or by an in-memory recount.
pub trait Membership {
    /// The state of a person, if it exists.
    fn person(&self, id: Id) -> Option<PersonState>;
    /// The state of a household, if it exists.
    fn household(&self, id: Id) -> Option<HouseholdState>;
}

/// A record that can count.
#[derive(Debug, Clone, Copy)]
pub enum Countable<'a> {
    /// A contact counts in its year.
    Contact(&'a Contact),
    /// A case counts in every year its period overlaps.
    Case(&'a Case),
    /// A project counts in every year its period overlaps.
    Project(&'a Project),
    /// Each attendance at a session counts in the session's year.
    Activity(&'a Activity),
}

/// The people and the households a subject counts as, or `None` when it does not count.
///
/// A person counts as itself and as its household (or as itself when it has none, or when
/// the household is archived). A household counts as itself and as its members (or as one
/// person when it has no registered member).
pub fn subject_units(subject: Subject, world: &impl Membership) -> Option<(Vec<Id>, Id)> {
    match subject {
        Subject::Person(p) => {
            let st = world.person(p)?;
            if st.archived {
                return None;
            }
            let family = st
                .household
                .filter(|h| world.household(*h).is_some_and(|hs| !hs.archived))
                .unwrap_or(p);
            Some((vec![p], family))
        }
        Subject::Household(h) => {
            let st = world.household(h)?;
            if st.archived {
                return None;
            }
            let people = if st.members.is_empty() {
                vec![h]
            } else {
                st.members
            };
            Some((people, h))
        }
    }
}

/// The years a period overlaps; an open period runs to `through_year` (or its start year).
pub fn period_years(
    start: NaiveDate,
    end: Option<NaiveDate>,
    through_year: i32,
) -> std::ops::RangeInclusive<i32> {
    let last = end
        .map(|e| e.year())
        .unwrap_or_else(|| through_year.max(start.year()));
    start.year()..=last
}

fn push_subject(out: &mut BTreeSet<Contribution>, line: Id, year: i32, people: &[Id], family: Id) {
    for &p in people {
        out.insert(Contribution {
            line,
            year,
            unit: CountingUnit::Persone,
            key: p,
        });
    }
    out.insert(Contribution {
        line,
        year,
        unit: CountingUnit::Famiglie,
        key: family,
    });
}

/// Every unit a record contributes. Archived records, and records whose subject is archived
/// or missing, contribute nothing. Open periods count through `through_year`.
pub fn contributions(
    rec: Countable<'_>,
    world: &impl Membership,
    through_year: i32,
) -> BTreeSet<Contribution> {
    let mut out = BTreeSet::new();
    match rec {
        Countable::Contact(c) => {
            if c.archived {
                return out;
            }
            let Some((people, family)) = subject_units(c.subject, world) else {
                return out;
            };
            let year = c.at.year();
            out.insert(Contribution {
                line: c.line,
                year,
                unit: CountingUnit::Accessi,
                key: c.id,
            });
            push_subject(&mut out, c.line, year, &people, family);
        }
        Countable::Case(c) => {
            if c.archived {
                return out;
            }
            let Some((people, family)) = subject_units(c.subject, world) else {
                return out;
            };
            for year in period_years(c.opened, c.closed, through_year) {
                out.insert(Contribution {
                    line: c.line,
                    year,
                    unit: CountingUnit::Progetti,
                    key: c.id,
                });
                push_subject(&mut out, c.line, year, &people, family);
            }
        }
        Countable::Project(p) => {
            if p.archived {
                return out;
            }
            let Some((people, family)) = subject_units(Subject::Person(p.person), world) else {
                return out;
            };
            for year in period_years(p.start, p.end, through_year) {
                out.insert(Contribution {
                    line: p.line,
                    year,
                    unit: CountingUnit::Progetti,
                    key: p.id,
                });
                push_subject(&mut out, p.line, year, &people, family);
            }
        }
        Countable::Activity(a) => {
            if a.archived {
                return out;
            }
            for s in &a.sessions {
                for &person in &s.attendees {
                    if let Some((people, family)) = subject_units(Subject::Person(person), world) {
                        push_subject(&mut out, a.line, s.date.year(), &people, family);
                    }
                }
            }
        }
    }
    out
}

/// People and households held in memory: the world of a full recount.
#[derive(Debug, Clone, Default)]
pub struct MemWorld {
    /// People by id.
    pub people: std::collections::HashMap<Id, PersonState>,
    /// Households by id (members filled by [`MemWorld::link_members`]).
    pub households: std::collections::HashMap<Id, HouseholdState>,
}

impl MemWorld {
    /// Fills every household's member list from the people's memberships.
    pub fn link_members(&mut self) {
        for h in self.households.values_mut() {
            h.members.clear();
        }
        let mut ids: Vec<(&Id, &PersonState)> = self.people.iter().collect();
        ids.sort_by_key(|(id, _)| **id);
        for (id, st) in ids {
            if let Some(h) = st.household
                && !st.archived
                && let Some(hs) = self.households.get_mut(&h)
            {
                hs.members.push(*id);
            }
        }
    }
}

impl Membership for MemWorld {
    fn person(&self, id: Id) -> Option<PersonState> {
        self.people.get(&id).copied()
    }
    fn household(&self, id: Id) -> Option<HouseholdState> {
        self.households.get(&id).cloned()
    }
}

/// Annual counts accumulated from contributions, with the same multiplicity rule as the
/// store's incremental aggregates: a person or household counts while at least one
/// qualifying record contributes it.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    keys: std::collections::HashMap<(Id, i32, CountingUnit, Id), u32>,
    totals: std::collections::BTreeMap<(Id, i32, CountingUnit), u64>,
}

impl Tally {
    /// Adds one contribution.
    pub fn add(&mut self, c: &Contribution) {
        let total = self.totals.entry((c.line, c.year, c.unit)).or_insert(0);
        match c.unit {
            CountingUnit::Persone | CountingUnit::Famiglie => {
                let m = self
                    .keys
                    .entry((c.line, c.year, c.unit, c.key))
                    .or_insert(0);
                if *m == 0 {
                    *total += 1;
                }
                *m += 1;
            }
            CountingUnit::Progetti | CountingUnit::Accessi => *total += 1,
        }
    }

    /// Adds every contribution of a set.
    pub fn add_all<'a>(&mut self, cs: impl IntoIterator<Item = &'a Contribution>) {
        for c in cs {
            self.add(c);
        }
    }

    /// The count of a line in a year in a unit.
    pub fn count(&self, line: Id, year: i32, unit: CountingUnit) -> u64 {
        self.totals.get(&(line, year, unit)).copied().unwrap_or(0)
    }

    /// True when this key (person or household) already counts for the line and year.
    pub fn has_key(&self, line: Id, year: i32, unit: CountingUnit, key: Id) -> bool {
        self.keys
            .get(&(line, year, unit, key))
            .is_some_and(|m| *m > 0)
    }

    /// Every non-zero total.
    pub fn totals(&self) -> impl Iterator<Item = ((Id, i32, CountingUnit), u64)> + '_ {
        self.totals
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(k, v)| (*k, *v))
    }

    /// Every person/household multiplicity, sorted by key.
    pub fn sorted_keys(&self) -> Vec<((Id, i32, CountingUnit, Id), u32)> {
        let mut v: Vec<_> = self
            .keys
            .iter()
            .filter(|(_, m)| **m > 0)
            .map(|(k, m)| (*k, *m))
            .collect();
        v.sort_unstable();
        v
    }
}
