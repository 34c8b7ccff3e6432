//! Every household in memory, and who belongs to which.

use super::{Needle, People};
use crate::domain::person::fold;
use crate::domain::*;
use crate::store::{Reader, StoreError};
use std::collections::HashMap;

/// What a list needs to know about a household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    /// Identifier.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Folded name.
    pub key: String,
    /// Address.
    pub address: String,
    /// Municipio.
    pub municipio: Option<u8>,
    /// Archived.
    pub archived: bool,
}

/// Every household, and who belongs to which.
#[derive(Debug, Clone, Default)]
pub struct Households {
    rows: Vec<HouseholdRow>,
    pos: HashMap<Id, u32>,
    members: HashMap<Id, Vec<Id>>,
}

impl Households {
    /// Reads every household; members come from the people already loaded.
    pub fn load(r: &Reader, people: &People) -> Result<Households, StoreError> {
        let mut h = Households::default();
        r.for_each(|x: Household| h.upsert(&x))?;
        for p in people.rows() {
            if let Some(hh) = p.household {
                h.members.entry(hh).or_default().push(p.id);
            }
        }
        Ok(h)
    }

    /// Every row.
    pub fn rows(&self) -> &[HouseholdRow] {
        &self.rows
    }

    /// How many households.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// A household's row.
    pub fn get(&self, id: Id) -> Option<&HouseholdRow> {
        self.pos.get(&id).map(|&i| &self.rows[i as usize])
    }

    /// A household's position.
    pub fn position(&self, id: Id) -> Option<u32> {
        self.pos.get(&id).copied()
    }

    /// The name, or a placeholder.
    pub fn name(&self, id: Id) -> String {
        self.get(id)
            .map(|h| h.name.clone())
            .unwrap_or_else(|| format!("? {}", id.short()))
    }

    /// The members' ids (archived people included).
    pub fn members(&self, id: Id) -> &[Id] {
        self.members.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Adds or replaces a household's row.
    pub fn upsert(&mut self, h: &Household) {
        let row = HouseholdRow {
            id: h.id,
            name: h.name.clone(),
            key: fold(&h.name),
            address: h.address.clone(),
            municipio: h.municipio,
            archived: h.archived,
        };
        match self.pos.get(&h.id) {
            Some(&i) => self.rows[i as usize] = row,
            None => {
                self.pos.insert(h.id, self.rows.len() as u32);
                self.rows.push(row);
            }
        }
    }

    pub(super) fn move_member(&mut self, person: Id, from: Option<Id>, to: Option<Id>) {
        if from == to {
            return;
        }
        if let Some(f) = from
            && let Some(v) = self.members.get_mut(&f)
        {
            v.retain(|p| *p != person);
        }
        if let Some(t) = to {
            let v = self.members.entry(t).or_default();
            if !v.contains(&person) {
                v.push(person);
            }
        }
    }

    /// Up to `limit` households whose name contains the query.
    pub fn suggest(&self, query: &str, limit: usize) -> Vec<u32> {
        let needle = Needle::new(query);
        if needle.is_empty() {
            return vec![];
        }
        let mut out: Vec<u32> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.archived && needle.matches(&r.key, ""))
            .map(|(i, _)| i as u32)
            .take(limit * 4)
            .collect();
        out.sort_by(|a, b| self.rows[*a as usize].key.cmp(&self.rows[*b as usize].key));
        out.truncate(limit);
        out
    }
}
