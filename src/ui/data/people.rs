//! Every person in memory: the rows the lists show, found by id or position, searched
//! through the name index.

use super::Needle;
use super::name_index::NameIndex;
use crate::domain::*;
use crate::store::{Reader, StoreError};
use std::collections::HashMap;

/// What a list needs to know about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// Identifier.
    pub id: Id,
    /// Cognome.
    pub surname: String,
    /// Nome.
    pub name: String,
    /// Folded "cognome nome" for search.
    pub key: String,
    /// Birth date.
    pub birth: BirthDate,
    /// Codice fiscale (empty when unknown).
    pub cf: String,
    /// Telefono.
    pub phone: String,
    /// Municipio.
    pub municipio: Option<u8>,
    /// Household.
    pub household: Option<Id>,
    /// The relationship to the household's reference person (when in a household).
    pub relationship: Option<Relationship>,
    /// Archived.
    pub archived: bool,
}

impl PersonRow {
    /// The row of a person.
    pub fn of(p: &Person) -> PersonRow {
        PersonRow {
            id: p.id,
            surname: p.surname.clone(),
            name: p.name.clone(),
            key: p.search_key(),
            birth: p.birth,
            cf: p.codice_fiscale.clone().unwrap_or_default(),
            phone: p.phone.clone(),
            municipio: p.municipio,
            household: p.household.map(|m| m.household),
            relationship: p.household.map(|m| m.relationship),
            archived: p.archived,
        }
    }

    /// "Cognome Nome".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.surname, self.name)
    }
}

/// Every person, in memory (200,000 rows take about 40 MB).
#[derive(Debug, Clone, Default)]
pub struct People {
    rows: Vec<PersonRow>,
    pos: HashMap<Id, u32>,
    index: NameIndex,
}

impl People {
    /// Reads every person, reporting progress every 10,000.
    pub fn load(r: &Reader, progress: &mut dyn FnMut(u64, u64)) -> Result<People, StoreError> {
        let total = r.count::<Person>()?;
        let mut rows = Vec::with_capacity(total as usize);
        r.for_each(|p: Person| {
            rows.push(PersonRow::of(&p));
            if rows.len() % 10_000 == 0 {
                progress(rows.len() as u64, total);
            }
        })?;
        let pos = rows
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i as u32))
            .collect();
        let mut index = NameIndex::default();
        for (i, r) in rows.iter().enumerate() {
            index.push(i as u32, &r.key, &r.cf);
        }
        Ok(People { rows, pos, index })
    }

    /// How many people (archived included).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nobody is registered.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every row, in load order; a row's position never changes.
    pub fn rows(&self) -> &[PersonRow] {
        &self.rows
    }

    /// A row by position.
    pub fn row(&self, i: u32) -> &PersonRow {
        &self.rows[i as usize]
    }

    /// A person's row.
    pub fn get(&self, id: Id) -> Option<&PersonRow> {
        self.pos.get(&id).map(|&i| &self.rows[i as usize])
    }

    /// A person's position.
    pub fn position(&self, id: Id) -> Option<u32> {
        self.pos.get(&id).copied()
    }

    /// "Cognome Nome", or a placeholder for an unknown id.
    pub fn name(&self, id: Id) -> String {
        self.get(id)
            .map(PersonRow::full_name)
            .unwrap_or_else(|| format!("? {}", id.short()))
    }

    /// Adds or replaces a person's row.
    pub fn upsert(&mut self, p: &Person) {
        let row = PersonRow::of(p);
        let i = match self.pos.get(&p.id) {
            Some(&i) => {
                let changed =
                    self.rows[i as usize].key != row.key || self.rows[i as usize].cf != row.cf;
                self.rows[i as usize] = row;
                if !changed {
                    return;
                }
                i
            }
            None => {
                let i = self.rows.len() as u32;
                self.pos.insert(p.id, i);
                self.rows.push(row);
                i
            }
        };
        let r = &self.rows[i as usize];
        self.index.push(i, &r.key, &r.cf);
    }

    /// Positions of the rows matching `needle` (all rows when it is empty), in load order;
    /// only among `within`, in its order, when given.
    pub fn filter(&self, needle: &Needle, within: Option<&[u32]>) -> Vec<u32> {
        if needle.is_empty() {
            return match within {
                Some(w) => w.to_vec(),
                None => (0..self.rows.len() as u32).collect(),
            };
        }
        let mask = self.mask(needle);
        match within {
            Some(w) => w.iter().copied().filter(|&i| mask[i as usize]).collect(),
            None => (0..self.rows.len() as u32)
                .filter(|&i| mask[i as usize])
                .collect(),
        }
    }

    /// A mask over all rows: which people match (all of them for an empty needle).
    pub fn mask(&self, needle: &Needle) -> Vec<bool> {
        if needle.is_empty() {
            return vec![true; self.rows.len()];
        }
        let mut mask = vec![false; self.rows.len()];
        for r in self.index.scan(needle) {
            mask[r as usize] = true;
        }
        mask
    }

    /// Up to `limit` suggestions for a picker: names starting with the query first, then
    /// names containing it, alphabetically; archived people only when asked.
    pub fn suggest(&self, query: &str, limit: usize, archived: bool) -> Vec<u32> {
        let needle = Needle::new(query);
        if needle.is_empty() {
            return vec![];
        }
        let mut prefix = Vec::new();
        let mut other = Vec::new();
        for i in self.index.scan(&needle) {
            let r = &self.rows[i as usize];
            if archived || !r.archived {
                if needle.is_prefix(&r.key) {
                    prefix.push(i);
                } else if other.len() < limit * 4 {
                    other.push(i);
                }
            }
        }
        let by_key = |a: &u32, b: &u32| self.rows[*a as usize].key.cmp(&self.rows[*b as usize].key);
        prefix.sort_by(by_key);
        other.sort_by(by_key);
        prefix.extend(other);
        prefix.truncate(limit);
        prefix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_index() {
        let mut people = People::default();
        let mut p = Person {
            id: Id::new(),
            surname: "Rossi".into(),
            name: "Mario".into(),
            ..Default::default()
        };
        people.upsert(&p);
        p.name = "Maria".into();
        people.upsert(&p);
        assert_eq!(people.len(), 1);
        assert_eq!(people.suggest("ros", 5, false), vec![0]);
        assert_eq!(people.name(p.id), "Rossi Maria");
    }

    #[test]
    fn name_index_follows_changes() {
        let mut people = People::default();
        let mk = |s: &str, n: &str, cf: Option<&str>| Person {
            id: Id::new(),
            surname: s.into(),
            name: n.into(),
            codice_fiscale: cf.map(String::from),
            ..Default::default()
        };
        let mut a = mk("Rossi", "Mario", Some("RSSMRA85T10A562S"));
        let b = mk("Bianchi", "Rosa", None);
        let c = mk("Verdi", "Giuseppe", None);
        for p in [&a, &b, &c] {
            people.upsert(p);
        }
        let find = |p: &People, q: &str| p.filter(&Needle::new(q), None);
        assert_eq!(find(&people, "ros"), vec![0, 1]);
        assert_eq!(find(&people, "ros mar"), vec![0]);
        assert_eq!(
            find(&people, "mar ros"),
            vec![0],
            "word order does not matter"
        );
        assert_eq!(find(&people, "85t10"), vec![0], "piece of codice fiscale");
        assert_eq!(find(&people, "zzz"), Vec::<u32>::new());
        assert_eq!(find(&people, ""), vec![0, 1, 2]);
        // Renamed: the old name no longer matches, the new one does, positions stay.
        a.surname = "Russo".into();
        people.upsert(&a);
        assert_eq!(find(&people, "rossi"), Vec::<u32>::new());
        assert_eq!(find(&people, "russo"), vec![0]);
        assert_eq!(find(&people, "ros"), vec![1]);
        assert_eq!(find(&people, "85t10"), vec![0]);
        assert_eq!(people.filter(&Needle::new("ros"), Some(&[1, 0])), vec![1]);
        // A match must not run across two people: "giuseppe" then the next name.
        assert_eq!(find(&people, "epperossi"), Vec::<u32>::new());
    }
}
