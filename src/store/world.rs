//! The counting rules' view of people and households, read inside a transaction.

use super::codec;
use super::derived::{self, DERIVED};
use super::tables::records;
use crate::domain::counting::{HouseholdState, Membership, PersonState};
use crate::domain::{EntityKind, Household, Id, Person};
use redb::{ReadTransaction, ReadableTable, WriteTransaction};
use std::cell::RefCell;

/// A transaction the counting rules can read people and households from.
pub(crate) trait ReadTables {
    /// The person's stored record.
    fn person_record(&self, id: Id) -> Result<Option<Person>, String>;
    /// The household's stored record.
    fn household_record(&self, id: Id) -> Result<Option<Household>, String>;
    /// The ids of people whose household is `id`.
    fn member_ids(&self, id: Id) -> Result<Vec<Id>, String>;
}

macro_rules! read_tables {
    ($t:ty) => {
        impl ReadTables for $t {
            fn person_record(&self, id: Id) -> Result<Option<Person>, String> {
                let t = self
                    .open_table(records::PEOPLE)
                    .map_err(|e| e.to_string())?;
                let v = t.get(id.0).map_err(|e| e.to_string())?;
                v.map(|v| codec::decode(v.value()).map_err(|e| e.to_string()))
                    .transpose()
            }
            fn household_record(&self, id: Id) -> Result<Option<Household>, String> {
                let t = self
                    .open_table(records::HOUSEHOLDS)
                    .map_err(|e| e.to_string())?;
                let v = t.get(id.0).map_err(|e| e.to_string())?;
                v.map(|v| codec::decode(v.value()).map_err(|e| e.to_string()))
                    .transpose()
            }
            fn member_ids(&self, id: Id) -> Result<Vec<Id>, String> {
                let t = self.open_table(DERIVED).map_err(|e| e.to_string())?;
                let ids = derived::subject_ids(&t, EntityKind::Person.code(), id.0)
                    .map_err(|e| e.to_string())?;
                Ok(ids.into_iter().map(Id).collect())
            }
        }
    };
}

read_tables!(ReadTransaction);
read_tables!(WriteTransaction);

/// [`Membership`] over a transaction. Lookup errors are kept and must be checked with
/// [`TxnWorld::finish`] before the computed contributions are trusted.
pub(crate) struct TxnWorld<'a, T: ReadTables> {
    txn: &'a T,
    error: RefCell<Option<String>>,
}

impl<'a, T: ReadTables> TxnWorld<'a, T> {
    /// Wraps a transaction.
    pub(crate) fn new(txn: &'a T) -> Self {
        TxnWorld {
            txn,
            error: RefCell::new(None),
        }
    }

    /// The first lookup error, if any.
    pub(crate) fn finish(&self) -> Result<(), super::StoreError> {
        match self.error.borrow_mut().take() {
            None => Ok(()),
            Some(e) => Err(super::StoreError::Db(e)),
        }
    }

    fn keep<V>(&self, r: Result<V, String>) -> Option<V> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.error.borrow_mut().get_or_insert(e);
                None
            }
        }
    }
}

impl<T: ReadTables> Membership for TxnWorld<'_, T> {
    fn person(&self, id: Id) -> Option<PersonState> {
        let p = self.keep(self.txn.person_record(id))??;
        Some(PersonState {
            archived: p.archived,
            household: p.household.map(|m| m.household),
        })
    }

    fn household(&self, id: Id) -> Option<HouseholdState> {
        let h = self.keep(self.txn.household_record(id))??;
        let mut members = Vec::new();
        for m in self.keep(self.txn.member_ids(id))? {
            if let Some(p) = self.keep(self.txn.person_record(m))?
                && !p.archived
            {
                members.push(m);
            }
        }
        Some(HouseholdState {
            archived: h.archived,
            members,
        })
    }

    fn household_archived(&self, id: Id) -> Option<bool> {
        Some(self.keep(self.txn.household_record(id))??.archived)
    }
}
