//! In-memory views of the database that the window needs every frame: the catalogue and
//! operators, every person (folded names for search-as-you-type) and every household.
//! Loaded once, patched after each write the window makes, never re-read per frame.

mod catalog;
mod edit_distance;
mod households;
mod name_index;
mod needle;
mod people;
mod subject_filter;

pub use catalog::Catalog;
pub use edit_distance::within_one_edit;
pub use households::{HouseholdRow, Households};
pub use needle::Needle;
pub use people::{People, PersonRow};
pub use subject_filter::SubjectFilter;

use crate::domain::*;
use crate::store::{Store, StoreError};

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
        reads: &super::Reads,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(People, Households), StoreError> {
        let r = reads.read()?;
        let people = People::load(&r, progress)?;
        let households = Households::load(&r, &people)?;
        Ok((people, households))
    }

    /// Re-reads one record after a write and patches what depends on it.
    pub fn refresh(
        &mut self,
        reads: &super::Reads,
        kind: EntityKind,
        id: Id,
    ) -> Result<(), StoreError> {
        if matches!(kind, EntityKind::Account | EntityKind::AccessRole) {
            return Ok(());
        }
        let r = reads.read()?;
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
            | EntityKind::Role
            | EntityKind::Purpose
            | EntityKind::DocumentKind
            | EntityKind::Bando => {
                self.catalog = Catalog::load(&r)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The household's (first, not archived) "persona di riferimento", if it has one.
    pub fn reference_person(&self, household: Id) -> Option<Id> {
        self.households
            .members(household)
            .iter()
            .copied()
            .find(|m| {
                self.people.get(*m).is_some_and(|p| {
                    !p.archived && p.relationship == Some(Relationship::Riferimento)
                })
            })
    }

    /// The name of a person or household.
    pub fn subject_name(&self, s: Subject) -> String {
        match s {
            Subject::Person(id) => self.people.name(id),
            Subject::Household(id) => format!("{} (nucleo)", self.households.name(id)),
        }
    }
}
