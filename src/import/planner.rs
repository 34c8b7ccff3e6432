//! The planner's state over one sheet: the known people and households, the ones the sheet
//! creates, the value of a field in a row, the person and household a row names, and the
//! mark that drops what a refused row added.

use super::catalog::Catalog;
use super::convert;
use super::mapping::{Field, Mapping};
use super::plan::fresh_id;
use super::plan::{NearMatch, PersonLink, PlanOptions, Writes};
use super::read::Cell;
use super::records;
use crate::domain::person::fold;
use crate::domain::*;
use crate::store::Reader;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A refusal inside the planner: column and reason.
pub(crate) struct Refuse {
    pub column: String,
    pub reason: String,
}

pub(crate) type RowResult<T> = Result<T, Refuse>;

/// A value read for a field: the cell (after the value map) and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Val {
    pub cell: Cell,
    pub column: String,
}

impl Val {
    pub fn text(&self) -> String {
        self.cell.text()
    }

    pub fn refuse(&self, reason: impl Into<String>) -> Refuse {
        Refuse {
            column: self.column.clone(),
            reason: reason.into(),
        }
    }

    pub fn date(&self, today: NaiveDate) -> RowResult<NaiveDate> {
        match &self.cell {
            Cell::Date(d) => Ok(d.date()),
            Cell::Number(n) => convert::date_from_serial(*n)
                .map(|d| d.date())
                .ok_or_else(|| self.refuse(format!("{n} non è una data"))),
            c => convert::parse_date(&c.text(), today).map_err(|e| self.refuse(e)),
        }
    }

    pub fn hours(&self) -> RowResult<u32> {
        match &self.cell {
            Cell::Number(n) => convert::hours_from_number(*n).map_err(|e| self.refuse(e)),
            Cell::Date(d) => Ok(chrono::Timelike::num_seconds_from_midnight(&d.time()) / 60),
            c => convert::parse_hours(&c.text()).map_err(|e| self.refuse(e)),
        }
    }

    pub fn id(&self) -> RowResult<Id> {
        Id::parse(&self.text())
            .ok_or_else(|| self.refuse(format!("«{}» non è un identificativo", self.text())))
    }

    pub fn boolean(&self) -> RowResult<bool> {
        match &self.cell {
            Cell::Bool(b) => Ok(*b),
            c => convert::parse_bool(&c.text()).map_err(|e| self.refuse(e)),
        }
    }
}

/// A known or planned person, as matching sees it.
#[derive(Debug, Clone)]
pub(crate) struct KnownPerson {
    pub(crate) id: Id,
    pub(crate) birth: BirthDate,
    pub(crate) cf: Option<String>,
    pub(crate) description: String,
}

/// The planner's state over one sheet.
pub(crate) struct Planner<'a> {
    pub mapping: &'a Mapping,
    pub opts: &'a PlanOptions,
    pub reader: &'a Reader,
    pub catalog: Catalog,
    pub columns: BTreeMap<Field, usize>,
    pub headers: Vec<String>,
    pub writes: Writes,
    // Known people and households (not archived).
    pub(crate) by_cf: HashMap<String, Id>,
    pub(crate) by_name: HashMap<String, Vec<KnownPerson>>,
    pub(crate) households_by_name: HashMap<String, Id>,
    // Created by this sheet.
    pub(crate) new_by_cf: HashMap<String, Id>,
    pub(crate) new_by_name: HashMap<(String, BirthDate), Id>,
    pub new_people: HashMap<Id, usize>,
    pub(crate) new_households_by_name: HashMap<String, Id>,
    pub new_households: HashMap<Id, usize>,
    /// Households that have (or will have) a reference person.
    pub(crate) with_reference: HashSet<Id>,
    pub near: Vec<NearMatch>,
    /// Grouping state of records built from several rows (cases of a household, activities).
    pub groups: HashMap<String, usize>,
    /// The id the next new person takes (a re-imported export keeps its ids).
    pub next_person_id: Option<Id>,
}

impl<'a> Planner<'a> {
    /// A field's value in a row: its column (blank cells are none), else its fixed value;
    /// the mapping's value map applied.
    pub fn get(&self, row: &[Cell], f: Field) -> Option<Val> {
        let (cell, column) = match self.columns.get(&f) {
            Some(&i) => (
                row.get(i).cloned().unwrap_or(Cell::Empty),
                self.headers.get(i).cloned().unwrap_or_default(),
            ),
            None => match self.mapping.fixed.get(&f) {
                Some(v) => (Cell::Text(v.clone()), "valore fisso".to_string()),
                None => return None,
            },
        };
        if cell.is_blank() {
            return None;
        }
        let cell = match &cell {
            Cell::Text(t) => {
                let mapped = self.mapping.map_value(f, t.trim());
                Cell::Text(mapped.to_string())
            }
            Cell::Number(_) if self.mapping.values.contains_key(&f) => {
                Cell::Text(self.mapping.map_value(f, &cell.text()).to_string())
            }
            _ => cell,
        };
        Some(Val { cell, column })
    }

    /// The field's value, or a refusal naming what is missing.
    pub fn need(&self, row: &[Cell], f: Field) -> RowResult<Val> {
        self.get(row, f).ok_or_else(|| Refuse {
            column: self.column_name(f),
            reason: format!("Manca il valore di «{}»", f.label()),
        })
    }

    /// The header of the column a field comes from ("valore fisso", or the field's label).
    pub fn column_name(&self, f: Field) -> String {
        match self.columns.get(&f) {
            Some(&i) => self.headers.get(i).cloned().unwrap_or_default(),
            None if self.mapping.fixed.contains_key(&f) => "valore fisso".into(),
            None => f.label().to_string(),
        }
    }

    /// The text of a field, empty when absent.
    pub fn text(&self, row: &[Cell], f: Field) -> String {
        self.get(row, f).map(|v| v.text()).unwrap_or_default()
    }

    /// True when the mapping gives the field (a column or a fixed value).
    pub fn has(&self, f: Field) -> bool {
        self.columns.contains_key(&f) || self.mapping.fixed.contains_key(&f)
    }

    /// A problem of `validate()` as a refusal on the column of its field.
    pub fn refuse_problems(&self, p: &Problems, fields: &[(&str, Field)]) -> Refuse {
        let first = &p.0[0];
        let field = fields
            .iter()
            .find(|(name, _)| *name == first.field)
            .map(|(_, f)| *f);
        Refuse {
            column: field
                .map(|f| self.column_name(f))
                .unwrap_or_else(|| first.field.to_string()),
            reason: p
                .0
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    /// True when the row names a person by its fields (not by id).
    pub fn names_a_person(&self) -> bool {
        [
            Field::Surname,
            Field::Name,
            Field::FullName,
            Field::CodiceFiscale,
        ]
        .iter()
        .any(|f| self.has(*f))
    }

    /// The person a row is about: by id, else found or created from its fields.
    pub fn person(
        &mut self,
        rownum: usize,
        row: &[Cell],
        id_field: Option<Field>,
        link: &mut PersonLink,
        who: &mut String,
    ) -> RowResult<Option<Id>> {
        if let Some(f) = id_field
            && let Some(v) = self.get(row, f)
        {
            let id = v.id()?;
            if self.new_people.contains_key(&id) || self.exists::<Person>(id) {
                *link = PersonLink::Known;
                *who = self.describe_person(id);
                return Ok(Some(id));
            }
            return Err(v.refuse(format!("La persona {} non esiste", id.short())));
        }
        if !self.names_a_person() || self.person_fields_blank(row) {
            return Ok(None);
        }
        let mut p = records::person_from_row(self, row)?;
        *who = p.full_name();
        let name_key = fold(&p.full_name());
        // A row with its own id (a re-imported export) is taken as it is: no matching.
        let as_given = self.next_person_id.is_some();
        // 1. The codice fiscale.
        if let Some(cf) = p.codice_fiscale.as_ref().filter(|_| !as_given) {
            if let Some(id) = self.by_cf.get(cf) {
                *link = PersonLink::Known;
                return Ok(Some(*id));
            }
            if let Some(id) = self.new_by_cf.get(cf) {
                *link = PersonLink::New;
                return Ok(Some(*id));
            }
        }
        // 2. A decision taken on the preview.
        if let Some(id) = self.opts.decisions.get(&rownum).filter(|_| !as_given) {
            *link = PersonLink::Known;
            return Ok(Some(*id));
        }
        // 3. Surname, name and birth date.
        let namesakes: Vec<KnownPerson> = self
            .by_name
            .get(&name_key)
            .filter(|_| !as_given)
            .map(|v| {
                v.iter()
                    .filter(|k| match (&k.cf, &p.codice_fiscale) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    })
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if let BirthDate::Exact(_) = p.birth
            && let Some(k) = namesakes.iter().find(|k| k.birth == p.birth)
        {
            *link = PersonLink::Known;
            return Ok(Some(k.id));
        }
        if let Some(id) = self
            .new_by_name
            .get(&(name_key.clone(), p.birth))
            .filter(|_| !as_given)
        {
            *link = PersonLink::New;
            return Ok(Some(*id));
        }
        // A new person; namesakes are listed for a decision.
        p.id = self.next_person_id.take().unwrap_or_else(fresh_id);
        let id = p.id;
        *link = if namesakes.is_empty() {
            PersonLink::New
        } else {
            self.near.push(NearMatch {
                row: rownum,
                who: p.full_name(),
                candidates: namesakes
                    .iter()
                    .map(|k| (k.id, k.description.clone()))
                    .collect(),
            });
            PersonLink::NearMatch
        };
        records::attach_household(self, row, &mut p)?;
        if let Some(cf) = &p.codice_fiscale {
            self.new_by_cf.insert(cf.clone(), id);
        }
        self.new_by_name.insert((name_key, p.birth), id);
        self.new_people.insert(id, self.writes.people.len());
        self.writes.people.push(p);
        Ok(Some(id))
    }

    fn person_fields_blank(&self, row: &[Cell]) -> bool {
        [
            Field::Surname,
            Field::Name,
            Field::FullName,
            Field::CodiceFiscale,
        ]
        .iter()
        .all(|f| self.get(row, *f).is_none())
    }

    fn describe_person(&self, id: Id) -> String {
        if let Some(&i) = self.new_people.get(&id) {
            return self.writes.people[i].full_name();
        }
        self.reader
            .get::<Person>(id)
            .ok()
            .flatten()
            .map(|p| p.full_name())
            .unwrap_or_default()
    }

    /// True when a record of this kind and id exists in the database.
    pub fn exists<E: crate::store::Entity>(&self, id: Id) -> bool {
        matches!(self.reader.get::<E>(id), Ok(Some(_)))
    }

    /// The household a row names (by id or name), found or created; `None` when it names
    /// none.
    pub fn household(&mut self, row: &[Cell]) -> RowResult<Option<Id>> {
        if let Some(v) = self.get(row, Field::HouseholdId) {
            let id = v.id()?;
            if self.new_households.contains_key(&id) || self.exists::<Household>(id) {
                return Ok(Some(id));
            }
            return Err(v.refuse(format!("Il nucleo {} non esiste", id.short())));
        }
        let Some(v) = self.get(row, Field::HouseholdName) else {
            return Ok(None);
        };
        let name = convert::name_case(&v.text());
        let key = fold(&name);
        if let Some(id) = self
            .households_by_name
            .get(&key)
            .or(self.new_households_by_name.get(&key))
        {
            return Ok(Some(*id));
        }
        let h = records::household_from_row(self, row, name)?;
        let id = h.id;
        self.new_households_by_name.insert(key, id);
        self.new_households.insert(id, self.writes.households.len());
        self.writes.households.push(h);
        Ok(Some(id))
    }

    /// The relationship of a new member: the row's, else the reference person for a
    /// household without one, else "altro parente". A second reference person is refused.
    pub fn relationship(&mut self, row: &[Cell], household: Id) -> RowResult<Relationship> {
        let has_reference = self.with_reference.contains(&household)
            || self
                .reader
                .members(household)
                .map(|m| {
                    m.iter().any(|p| {
                        !p.archived
                            && p.household.map(|h| h.relationship)
                                == Some(Relationship::Riferimento)
                    })
                })
                .unwrap_or(false);
        let rel = match self.get(row, Field::Relationship) {
            Some(v) => {
                let r = super::catalog::relationship(&v.text()).map_err(|e| v.refuse(e))?;
                if r == Relationship::Riferimento && has_reference {
                    return Err(v.refuse(
                        "Il nucleo ha già una persona di riferimento: indica un'altra relazione",
                    ));
                }
                r
            }
            None if has_reference => Relationship::AltroParente,
            None => Relationship::Riferimento,
        };
        if rel == Relationship::Riferimento {
            self.with_reference.insert(household);
        }
        Ok(rel)
    }
}

/// Where the planner's lists stood before a row, to drop what a refused row added.
pub(crate) struct Mark {
    households: usize,
    people: usize,
    operators: usize,
    contacts: usize,
    cases: usize,
    projects: usize,
    referrals: usize,
    activities: usize,
    near: usize,
}

impl Mark {
    pub(crate) fn of(p: &Planner) -> Mark {
        let w = &p.writes;
        Mark {
            households: w.households.len(),
            people: w.people.len(),
            operators: w.operators.len(),
            contacts: w.contacts.len(),
            cases: w.cases.len(),
            projects: w.projects.len(),
            referrals: w.referrals.len(),
            activities: w.activities.len(),
            near: p.near.len(),
        }
    }

    pub(crate) fn roll_back(self, p: &mut Planner) {
        let w = &mut p.writes;
        for h in w.households.drain(self.households..) {
            p.new_households.remove(&h.id);
            p.new_households_by_name.retain(|_, id| *id != h.id);
            p.with_reference.remove(&h.id);
        }
        for person in w.people.drain(self.people..) {
            p.new_people.remove(&person.id);
            p.new_by_cf.retain(|_, id| *id != person.id);
            p.new_by_name.retain(|_, id| *id != person.id);
        }
        w.operators.truncate(self.operators);
        w.contacts.truncate(self.contacts);
        w.cases.truncate(self.cases);
        w.projects.truncate(self.projects);
        w.referrals.truncate(self.referrals);
        w.activities.truncate(self.activities);
        p.groups.retain(|k, i| {
            if k.starts_with("case:") {
                *i < self.cases
            } else if k.starts_with("act:") {
                *i < self.activities
            } else {
                true
            }
        });
        p.near.truncate(self.near);
    }
}
