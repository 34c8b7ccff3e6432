//! In-memory views of the database that the window needs every frame: the catalogue and
//! operators, every person (folded names for search-as-you-type) and every household.
//! Loaded once, patched after each write the window makes, never re-read per frame.

use crate::domain::person::fold;
use crate::domain::*;
use crate::store::{Reader, Store, StoreError};
use std::collections::HashMap;

/// The catalogue and the team, small enough to keep whole.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Service lines in report order.
    pub lines: Vec<ServiceLine>,
    /// Areas.
    pub areas: Vec<Area>,
    /// Desks.
    pub desks: Vec<Desk>,
    /// Public measures.
    pub measures: Vec<Measure>,
    /// Territorial services.
    pub services: Vec<TerritorialService>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Operators, by surname.
    pub operators: Vec<Operator>,
    names: HashMap<Id, String>,
}

impl Catalog {
    /// Reads the whole catalogue.
    pub fn load(r: &Reader) -> Result<Catalog, StoreError> {
        let mut c = Catalog {
            lines: r.all()?,
            areas: r.all()?,
            desks: r.all()?,
            measures: r.all()?,
            services: r.all()?,
            roles: r.all()?,
            operators: r.all()?,
            names: HashMap::new(),
        };
        c.lines.sort_by_key(|l| (l.order, l.name.clone()));
        c.services.sort_by_key(|s| fold(&s.name));
        c.operators
            .sort_by_key(|o| (fold(&o.surname), fold(&o.name)));
        c.index();
        Ok(c)
    }

    fn index(&mut self) {
        let mut names = HashMap::new();
        for l in &self.lines {
            names.insert(l.id, l.name.clone());
        }
        for a in &self.areas {
            names.insert(a.id, a.name.clone());
        }
        for d in &self.desks {
            names.insert(d.id, d.name.clone());
        }
        for m in &self.measures {
            names.insert(m.id, m.name.clone());
        }
        for s in &self.services {
            names.insert(s.id, s.name.clone());
        }
        for r in &self.roles {
            names.insert(r.id, r.name.clone());
        }
        for o in &self.operators {
            names.insert(o.id, o.display_name());
        }
        self.names = names;
    }

    /// The name of any catalogue entry or operator; empty when unknown.
    pub fn name(&self, id: Id) -> &str {
        self.names.get(&id).map(String::as_str).unwrap_or("")
    }

    /// The name of an optional entry; empty when none.
    pub fn name_opt(&self, id: Option<Id>) -> &str {
        id.map(|i| self.name(i)).unwrap_or("")
    }

    /// An operator by id.
    pub fn operator(&self, id: Id) -> Option<&Operator> {
        self.operators.iter().find(|o| o.id == id)
    }

    /// A service line by id.
    pub fn line(&self, id: Id) -> Option<&ServiceLine> {
        self.lines.iter().find(|l| l.id == id)
    }

    /// A service line by code.
    pub fn line_by_code(&self, code: &str) -> Option<&ServiceLine> {
        self.lines.iter().find(|l| l.code == code)
    }

    /// A desk by id.
    pub fn desk(&self, id: Id) -> Option<&Desk> {
        self.desks.iter().find(|d| d.id == id)
    }

    /// Operators still in the team.
    pub fn active_operators(&self) -> impl Iterator<Item = &Operator> {
        self.operators.iter().filter(|o| o.active && !o.archived)
    }
}

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
            archived: p.archived,
        }
    }

    /// "Cognome Nome".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.surname, self.name)
    }
}

/// A search query, parsed once: folded words that must all appear in the name, or a
/// piece of codice fiscale. Each word's substring searcher is built once, so matching
/// 200,000 names is a SIMD scan per name, not a searcher set-up per name.
#[derive(Debug, Clone, Default)]
pub struct Needle {
    words: Vec<String>,
    code: Option<String>,
    finders: Vec<memchr::memmem::Finder<'static>>,
    code_finder: Option<memchr::memmem::Finder<'static>>,
}

impl PartialEq for Needle {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words && self.code == other.code
    }
}

impl Eq for Needle {}

impl Needle {
    /// Parses what was typed.
    pub fn new(query: &str) -> Needle {
        let folded = fold(query);
        let words: Vec<String> = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        // A single word with digits is also looked up as (part of) a codice fiscale.
        let code = (words.len() == 1 && words[0].chars().any(|c| c.is_ascii_digit()))
            .then(|| words[0].to_uppercase());
        let finders = words
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned())
            .collect();
        let code_finder = code
            .as_ref()
            .map(|c| memchr::memmem::Finder::new(c.as_bytes()).into_owned());
        Needle {
            words,
            code,
            finders,
            code_finder,
        }
    }

    /// True when nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Does a folded name (and optional codice fiscale) match?
    pub fn matches(&self, key: &str, cf: &str) -> bool {
        if let Some(f) = &self.code_finder
            && !cf.is_empty()
            && f.find(cf.as_bytes()).is_some()
        {
            return true;
        }
        self.finders
            .iter()
            .all(|f| f.find(key.as_bytes()).is_some())
    }

    /// True when the name starts with the first word (ranked first in suggestions).
    pub fn is_prefix(&self, key: &str) -> bool {
        self.words
            .first()
            .is_some_and(|w| key.starts_with(w.as_str()))
    }
}

/// Every person, in memory (200,000 rows take about 40 MB).
#[derive(Debug, Clone, Default)]
pub struct People {
    rows: Vec<PersonRow>,
    pos: HashMap<Id, u32>,
    index: NameIndex,
}

/// Every folded name and codice fiscale in one contiguous buffer (`key \t cf \n` per
/// slot), so a search scans a few megabytes sequentially with a SIMD substring finder
/// instead of chasing 200,000 heap pointers. A changed person gets a new slot at the end;
/// the old one is blanked.
#[derive(Debug, Clone, Default)]
struct NameIndex {
    text: Vec<u8>,
    /// Start of each slot in `text`; one more entry than slots (the end).
    starts: Vec<u32>,
    /// End of the name part of each slot (where the tab is).
    key_ends: Vec<u32>,
    /// The row of each slot (`u32::MAX`: blanked).
    slot_row: Vec<u32>,
    /// The slot of each row.
    row_slot: Vec<u32>,
}

const DEAD: u32 = u32::MAX;

impl NameIndex {
    fn push(&mut self, row: u32, key: &str, cf: &str) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let slot = self.slot_row.len() as u32;
        // Keys never contain tabs or newlines (folding turns whitespace into spaces).
        self.text.extend_from_slice(key.as_bytes());
        self.key_ends.push(self.text.len() as u32);
        self.text.push(b'\t');
        self.text.extend_from_slice(cf.as_bytes());
        self.text.push(b'\n');
        self.starts.push(self.text.len() as u32);
        self.slot_row.push(row);
        match self.row_slot.get_mut(row as usize) {
            Some(s) => {
                let old = *s as usize;
                self.slot_row[old] = DEAD;
                let (a, b) = (self.starts[old] as usize, self.starts[old + 1] as usize - 1);
                self.text[a..b].fill(b' ');
                *s = slot;
            }
            None => self.row_slot.push(slot),
        }
    }

    /// The rows whose name contains every word (or whose codice fiscale contains the
    /// code), in slot order.
    fn scan(&self, needle: &Needle) -> Vec<u32> {
        let mut out = Vec::new();
        if needle.finders.is_empty() || self.slot_row.is_empty() {
            return out;
        }
        let found = |slot: usize, out: &mut Vec<u32>| {
            let row = self.slot_row[slot];
            if row != DEAD {
                out.push(row);
            }
        };
        // Scan with the longest word; check the others on the candidate's name.
        let (lead, _) = needle
            .words
            .iter()
            .enumerate()
            .max_by_key(|(_, w)| w.len())
            .expect("non-empty");
        let finder = &needle.finders[lead];
        let mut pos = 0usize;
        let mut slot = 0usize;
        while let Some(off) = finder.find(&self.text[pos..]) {
            let p = pos + off;
            while self.starts[slot + 1] as usize <= p {
                slot += 1;
            }
            let (start, key_end) = (self.starts[slot] as usize, self.key_ends[slot] as usize);
            let key = &self.text[start..key_end];
            if p + needle.words[lead].len() <= key_end
                && needle
                    .finders
                    .iter()
                    .enumerate()
                    .all(|(i, f)| i == lead || f.find(key).is_some())
            {
                found(slot, &mut out);
            }
            pos = self.starts[slot + 1] as usize;
        }
        if let Some(code) = &needle.code_finder {
            // A piece of codice fiscale: look in the codes (after the tab).
            let mut extra = Vec::new();
            let (mut pos, mut slot) = (0usize, 0usize);
            while let Some(off) = code.find(&self.text[pos..]) {
                let p = pos + off;
                while self.starts[slot + 1] as usize <= p {
                    slot += 1;
                }
                if p > self.key_ends[slot] as usize {
                    found(slot, &mut extra);
                }
                pos = self.starts[slot + 1] as usize;
            }
            if !extra.is_empty() {
                out.extend(extra);
                out.sort_unstable_by_key(|r| self.row_slot[*r as usize]);
                out.dedup();
            }
        }
        out
    }
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

/// True when `a` and `b` differ by at most one inserted, deleted or replaced character,
/// or by two adjacent letters swapped.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        // Folded names are almost always ASCII: compare bytes, no allocation.
        return one_edit(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit(&a, &b)
}

fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    if a == b {
        return true;
    }
    let mut i = 0;
    while i < la.min(lb) && a[i] == b[i] {
        i += 1;
    }
    if la == lb {
        // Replacement, or a swap of two adjacent letters.
        if a[i + 1..] == b[i + 1..] {
            return true;
        }
        i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..]
    } else if la > lb {
        a[i + 1..] == b[i..]
    } else {
        a[i..] == b[i + 1..]
    }
}

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

    fn move_member(&mut self, person: Id, from: Option<Id>, to: Option<Id>) {
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

/// Everything the window keeps in memory.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Catalogue and operators.
    pub catalog: Catalog,
    /// People.
    pub people: People,
    /// Households.
    pub households: Households,
    /// False until people and households are loaded.
    pub ready: bool,
}

impl Data {
    /// The catalogue only (people follow with [`Data::load_people`]).
    pub fn load_catalog(store: &Store) -> Result<Data, StoreError> {
        Ok(Data {
            catalog: Catalog::load(&store.read()?)?,
            ..Default::default()
        })
    }

    /// People and households, from one snapshot.
    pub fn load_people(
        store: &Store,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(People, Households), StoreError> {
        let r = store.read()?;
        let people = People::load(&r, progress)?;
        let households = Households::load(&r, &people)?;
        Ok((people, households))
    }

    /// Re-reads one record after a write and patches what depends on it.
    pub fn refresh(&mut self, store: &Store, kind: EntityKind, id: Id) -> Result<(), StoreError> {
        let r = store.read()?;
        match kind {
            EntityKind::Person => {
                if let Some(p) = r.get::<Person>(id)? {
                    let old = self.people.get(id).and_then(|o| o.household);
                    self.people.upsert(&p);
                    self.households
                        .move_member(id, old, p.household.map(|m| m.household));
                }
            }
            EntityKind::Household => {
                if let Some(h) = r.get::<Household>(id)? {
                    self.households.upsert(&h);
                }
            }
            EntityKind::Operator
            | EntityKind::Area
            | EntityKind::ServiceLine
            | EntityKind::Desk
            | EntityKind::Measure
            | EntityKind::TerritorialService
            | EntityKind::Role => {
                self.catalog = Catalog::load(&r)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The name of a person or household.
    pub fn subject_name(&self, s: Subject) -> String {
        match s {
            Subject::Person(id) => self.people.name(id),
            Subject::Household(id) => format!("{} (nucleo)", self.households.name(id)),
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        assert!(within_one_edit("rossi mario", "rossi mario"));
        assert!(within_one_edit("rossi mario", "rosi mario"));
        assert!(within_one_edit("rossi mario", "rossi maria"));
        assert!(within_one_edit("rossi mario", "rossi mairo"));
        assert!(within_one_edit("rossi mario", "rossii mario"));
        assert!(!within_one_edit("rossi mario", "russo mario"));
        assert!(!within_one_edit("rossi mario", "bianchi mario"));
    }

    #[test]
    fn needles() {
        let n = Needle::new("Ross Mar");
        assert!(n.matches("rossi mario", ""));
        assert!(!n.matches("rossi luigi", ""));
        let cf = Needle::new("85t10");
        assert!(cf.matches("rossi mario", "RSSMRA85T10A562S"));
        assert!(Needle::new("D'Àngelo").matches("d'angelo niccolo", ""));
    }

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
