//! Filtering records by the name of the person or household they are about.

use super::{Data, Needle};
use crate::domain::*;

/// A search by the name of the person or household a record is about: the people and
/// households that match are found once, then each record is a lookup.
pub struct SubjectFilter {
    needle: Needle,
    people: Vec<bool>,
    households: Vec<bool>,
}

impl SubjectFilter {
    /// Prepares the filter for what was typed.
    pub fn new(data: &Data, query: &str) -> SubjectFilter {
        let needle = Needle::new(query);
        if needle.is_empty() {
            return SubjectFilter {
                needle,
                people: vec![],
                households: vec![],
            };
        }
        SubjectFilter {
            people: data.people.mask(&needle),
            households: data
                .households
                .rows()
                .iter()
                .map(|h| needle.matches(&h.key, ""))
                .collect(),
            needle,
        }
    }

    /// Does the record's subject match?
    pub fn ok(&self, data: &Data, s: Subject) -> bool {
        if self.needle.is_empty() {
            return true;
        }
        match s {
            Subject::Person(id) => data
                .people
                .position(id)
                .is_some_and(|i| self.people[i as usize]),
            Subject::Household(id) => data
                .households
                .position(id)
                .is_some_and(|i| self.households[i as usize]),
        }
    }

    /// Where a subject's row is, packed in a `u32` (households have the top bit set), so
    /// lists of many records resolve it once and filter by position afterwards.
    pub fn pack(data: &Data, s: Subject) -> u32 {
        match s {
            Subject::Person(id) => data.people.position(id).unwrap_or(u32::MAX),
            Subject::Household(id) => data
                .households
                .position(id)
                .map(|p| p | 1 << 31)
                .unwrap_or(u32::MAX),
        }
    }

    /// Does the subject at a packed position (see [`SubjectFilter::pack`]) match?
    pub fn ok_packed(&self, packed: u32) -> bool {
        if self.needle.is_empty() {
            return true;
        }
        if packed == u32::MAX {
            return false;
        }
        if packed & 1 << 31 != 0 {
            self.households
                .get((packed & !(1 << 31)) as usize)
                .copied()
                .unwrap_or(false)
        } else {
            self.people.get(packed as usize).copied().unwrap_or(false)
        }
    }

    /// The sort key of a subject: its folded name.
    pub fn key(data: &Data, s: Subject) -> &str {
        match s {
            Subject::Person(id) => data.people.get(id).map(|p| p.key.as_str()).unwrap_or(""),
            Subject::Household(id) => data
                .households
                .get(id)
                .map(|h| h.key.as_str())
                .unwrap_or(""),
        }
    }
}
