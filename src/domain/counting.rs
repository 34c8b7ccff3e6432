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

/// A hash map with a fast non-cryptographic hasher (the keys are ids and packed numbers
/// from the database, not chosen by an attacker to collide): a full recount hashes
/// millions of them.
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

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
    /// Whether a household is archived, if it exists (without listing its members).
    fn household_archived(&self, id: Id) -> Option<bool> {
        self.household(id).map(|h| h.archived)
    }
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
    with_subject_units(subject, world, |people, family| (people.to_vec(), family))
}

/// [`subject_units`] handed to `f` as (people, family) without allocating for a person.
pub fn with_subject_units<R>(
    subject: Subject,
    world: &impl Membership,
    f: impl FnOnce(&[Id], Id) -> R,
) -> Option<R> {
    match subject {
        Subject::Person(p) => {
            let st = world.person(p)?;
            if st.archived {
                return None;
            }
            let family = st
                .household
                .filter(|h| world.household_archived(*h) == Some(false))
                .unwrap_or(p);
            Some(f(&[p], family))
        }
        Subject::Household(h) => {
            let st = world.household(h)?;
            if st.archived {
                return None;
            }
            if st.members.is_empty() {
                Some(f(&[h], h))
            } else {
                Some(f(&st.members, h))
            }
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
    pub people: FastMap<Id, PersonState>,
    /// Households by id (members filled by [`MemWorld::link_members`]).
    pub households: FastMap<Id, HouseholdState>,
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
    fn household_archived(&self, id: Id) -> Option<bool> {
        self.households.get(&id).map(|h| h.archived)
    }
}

/// Dense numbering of ids, so a tally's keys pack into 64 bits.
#[derive(Debug, Clone, Default)]
struct Interner {
    index: FastMap<Id, u32>,
    ids: Vec<Id>,
}

impl Interner {
    fn intern(&mut self, id: Id) -> u32 {
        if let Some(i) = self.index.get(&id) {
            return *i;
        }
        let i = self.ids.len() as u32;
        self.ids.push(id);
        self.index.insert(id, i);
        i
    }

    fn get(&self, id: Id) -> Option<u32> {
        self.index.get(&id).copied()
    }
}

/// Packs (line, year, key) into 64 bits: 16 bits of line, 16 of year (from 1900), 32 of key.
fn pack(line: u32, year: i32, key: u32) -> u64 {
    ((line as u64 & 0xFFFF) << 48) | (((year - 1900).clamp(0, 0xFFFF) as u64) << 32) | key as u64
}

/// Annual counts accumulated from contributions, with the same multiplicity rule as the
/// store's incremental aggregates: a person or household counts while at least one
/// qualifying record contributes it. Memory: about 16 bytes per counted (line, year, key),
/// so a city-scale recount fits in a few hundred megabytes.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    lines: Interner,
    keys: Interner,
    /// Multiplicities for Persone (index 0) and Famiglie (index 1).
    mult: [FastMap<u64, u32>; 2],
    totals: std::collections::BTreeMap<(Id, i32, CountingUnit), u64>,
}

impl Tally {
    /// Adds one contribution.
    pub fn add(&mut self, c: &Contribution) {
        let slot = match c.unit {
            CountingUnit::Persone => 0,
            CountingUnit::Famiglie => 1,
            CountingUnit::Progetti | CountingUnit::Accessi => {
                *self.totals.entry((c.line, c.year, c.unit)).or_insert(0) += 1;
                return;
            }
        };
        let k = pack(self.lines.intern(c.line), c.year, self.keys.intern(c.key));
        let m = self.mult[slot].entry(k).or_insert(0);
        *m += 1;
        if *m == 1 {
            *self.totals.entry((c.line, c.year, c.unit)).or_insert(0) += 1;
        }
    }

    /// Reserves room for about `keys` multiplicities, so a large recount does not rehash
    /// as it grows.
    pub fn reserve(&mut self, keys: usize) {
        self.mult[0].reserve(keys / 2);
        self.mult[1].reserve(keys / 2);
    }

    /// Adds the contributions of a record: what `add_all(&contributions(rec, …))` adds, with
    /// no allocation for a contact (a contact's contributions never repeat).
    pub fn add_record(&mut self, rec: Countable<'_>, world: &impl Membership, through_year: i32) {
        match rec {
            Countable::Contact(c) => {
                if c.archived {
                    return;
                }
                let (line, year) = (c.line, c.at.year());
                with_subject_units(c.subject, world, |people, family| {
                    self.add(&Contribution {
                        line,
                        year,
                        unit: CountingUnit::Accessi,
                        key: c.id,
                    });
                    for &p in people {
                        self.add(&Contribution {
                            line,
                            year,
                            unit: CountingUnit::Persone,
                            key: p,
                        });
                    }
                    self.add(&Contribution {
                        line,
                        year,
                        unit: CountingUnit::Famiglie,
                        key: family,
                    });
                });
            }
            other => self.add_all(&contributions(other, world, through_year)),
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
        let slot = match unit {
            CountingUnit::Persone => 0,
            CountingUnit::Famiglie => 1,
            _ => return false,
        };
        match (self.lines.get(line), self.keys.get(key)) {
            (Some(l), Some(k)) => self.mult[slot]
                .get(&pack(l, year, k))
                .is_some_and(|m| *m > 0),
            _ => false,
        }
    }

    /// Every non-zero total.
    pub fn totals(&self) -> impl Iterator<Item = ((Id, i32, CountingUnit), u64)> + '_ {
        self.totals
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(k, v)| (*k, *v))
    }

    /// Calls `f` for every person/household multiplicity, in (line, year, unit, key) order,
    /// without materialising the keys.
    pub fn for_each_sorted_key(&self, f: impl FnMut((Id, i32, CountingUnit, Id), u32)) {
        self.for_each_key_grouped(|_| 0, f)
    }

    /// Calls `f` for every person/household multiplicity in (line, year, `group(key)`, unit,
    /// key) order, without materialising the keys: 16 bytes per multiplicity, sorted by
    /// ranks computed once per line and per key.
    pub fn for_each_key_grouped(
        &self,
        group: impl Fn(Id) -> u16,
        mut f: impl FnMut((Id, i32, CountingUnit, Id), u32),
    ) {
        fn ranks(ids: &[Id]) -> Vec<u32> {
            let mut order: Vec<u32> = (0..ids.len() as u32).collect();
            order.sort_unstable_by_key(|&i| ids[i as usize]);
            let mut rank = vec![0u32; ids.len()];
            for (r, i) in order.into_iter().enumerate() {
                rank[i as usize] = r as u32;
            }
            rank
        }
        let line_rank = ranks(&self.lines.ids);
        let key_rank = ranks(&self.keys.ids);
        let key_group: Vec<u16> = self.keys.ids.iter().map(|k| group(*k)).collect();
        let mut v: Vec<(u64, u32, u8)> =
            Vec::with_capacity(self.mult[0].len() + self.mult[1].len());
        for slot in 0..2u8 {
            v.extend(
                self.mult[slot as usize]
                    .iter()
                    .filter(|(_, m)| **m > 0)
                    .map(|(k, m)| (*k, *m, slot)),
            );
        }
        // Line rank (16 bits), year (16), group (16), unit (1), key rank (32): 81 bits.
        let sort_key = |&(k, _, slot): &(u64, u32, u8)| -> u128 {
            let line = line_rank[(k >> 48) as usize] as u128;
            let year = (k >> 32) & 0xFFFF;
            let key = (k & 0xFFFF_FFFF) as usize;
            (line << 65)
                | ((year as u128) << 49)
                | ((key_group[key] as u128) << 33)
                | ((slot as u128) << 32)
                | key_rank[key] as u128
        };
        v.sort_unstable_by_key(sort_key);
        let unit = |slot: u8| {
            if slot == 0 {
                CountingUnit::Persone
            } else {
                CountingUnit::Famiglie
            }
        };
        for &(k, m, slot) in &v {
            f(
                (
                    self.lines.ids[(k >> 48) as usize],
                    ((k >> 32) & 0xFFFF) as i32 + 1900,
                    unit(slot),
                    self.keys.ids[(k & 0xFFFF_FFFF) as usize],
                ),
                m,
            );
        }
    }
}
