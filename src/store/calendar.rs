//! The counted year against the clock, and the database's identity.
//!
//! `through_year` (the last year open cases and projects count in) follows the calendar,
//! but decided from the data as well as from the clock: a new year (the stored one plus
//! one) is taken at open; a jump of more than one year — a clock set years ahead by a BIOS
//! or an NTP glitch — waits for a confirmation ([`Store::year_jump`],
//! [`Store::confirm_year`]); a counted year ahead of the clock is reported by `check` and
//! brought back by `check --repair` ([`Store::bring_back_counting_year`]).

use super::tables::META;
use super::{Store, StoreError, aggregates, through_year_in};
use crate::domain::*;
use chrono::Datelike;

/// `meta` key of the database's identity (16 random bytes given at creation).
pub(super) const KEY_DATABASE_ID: &str = "database_id";

/// The clock is more than one year past the counted year: advancing waits for a
/// confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearJump {
    /// The counted year stored in the database.
    pub counted: i32,
    /// The year of the computer's clock.
    pub clock: i32,
}

impl Store {
    /// The database's identity: given once when the file is created (or first opened by
    /// this version) and carried over by a restore. Names its automatic backups and keys
    /// what the workstation remembers about it.
    pub fn database_id(&self) -> Result<Id, StoreError> {
        let v = self.meta_bytes(KEY_DATABASE_ID)?.unwrap_or_default();
        let bytes: [u8; 16] = v
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Corrupt("identità del database illeggibile".into()))?;
        Ok(Id(u128::from_be_bytes(bytes)))
    }

    /// A short, file-name-safe form of [`Store::database_id`] (12 hex digits of its random
    /// part).
    pub fn database_tag(&self) -> Result<String, StoreError> {
        let s = self.database_id()?.to_uuid().simple().to_string();
        Ok(s[s.len() - 12..].to_string())
    }

    /// The clock is years past the counted year (more than one): `Some` until confirmed.
    pub fn year_jump(&self) -> Result<Option<YearJump>, StoreError> {
        let counted = self.through_year()?;
        let clock = self.clock.today().year();
        Ok((clock > counted.saturating_add(1)).then_some(YearJump { counted, clock }))
    }

    /// Advances the counted year to `year` after the operator confirmed that the clock is
    /// right. Refuses a year beyond the clock's.
    pub fn confirm_year(&self, year: i32) -> Result<(), StoreError> {
        let clock = self.clock.today().year();
        if year > clock || !(1900..=2200).contains(&year) {
            let mut p = Problems::default();
            p.add(
                "year",
                format!("Anno non valido: {year} (l'orologio del computer indica il {clock})"),
            );
            return Err(StoreError::Invalid(p));
        }
        self.advance_through_year(year)
    }

    /// The counted year is ahead of the computer's clock: `Some((counted, clock year))`.
    pub fn counting_year_ahead(&self) -> Result<Option<(i32, i32)>, StoreError> {
        let counted = self.through_year()?;
        let clock = self.clock.today().year();
        Ok((counted > clock).then_some((counted, clock)))
    }

    /// The year the counted year can come back to: the clock's, or the year of the latest
    /// contact if that is later (the data outweighs a clock that is behind).
    fn year_supported_by_data(&self) -> Result<i32, StoreError> {
        let clock = self.clock.today().year();
        let latest = self
            .read()?
            .date_span(EntityKind::Contact)?
            .map(|(_, last)| last.year());
        Ok(latest.map_or(clock, |y| y.max(clock)))
    }

    /// Brings a counted year that ran ahead of the clock back to the clock's year (or to
    /// the latest contact's, if later), recounting open cases and projects, in one durable
    /// transaction. Returns `(from, to)` when it changed something.
    pub fn bring_back_counting_year(&self) -> Result<Option<(i32, i32)>, StoreError> {
        let target = self.year_supported_by_data()?;
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        let old = through_year_in(&txn.open_table(META)?)?;
        if target >= old {
            return Ok(None);
        }
        txn.open_table(META)?
            .insert("through_year", target.to_le_bytes().as_slice())?;
        aggregates::rebuild(&txn, target)?;
        txn.commit()?;
        Ok(Some((old, target)))
    }

    /// The year contacts dated after the clock reach, if any (they keep the counted year
    /// from coming back; `check` names them).
    pub fn future_contacts_year(&self) -> Result<Option<i32>, StoreError> {
        let clock = self.clock.today().year();
        Ok(self
            .read()?
            .date_span(EntityKind::Contact)?
            .map(|(_, last)| last.year())
            .filter(|y| *y > clock))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::Clock;
    use crate::store::OpenOptions;
    use chrono::NaiveDate;

    fn at(y: i32) -> Clock {
        Clock::at_day(NaiveDate::from_ymd_opt(y, 3, 1).unwrap())
    }

    fn open(path: &std::path::Path, clock: Clock) -> Store {
        Store::open_with(
            path,
            OpenOptions {
                clock,
                ..OpenOptions::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn a_new_year_is_taken_a_jump_waits() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.redb");
        drop(open(&p, at(2024)));
        let s = open(&p, at(2025));
        assert_eq!(s.through_year().unwrap(), 2025);
        assert_eq!(s.year_jump().unwrap(), None);
        drop(s);
        let s = open(&p, at(2031));
        assert_eq!(
            s.through_year().unwrap(),
            2025,
            "no jump without confirmation"
        );
        assert_eq!(
            s.year_jump().unwrap(),
            Some(YearJump {
                counted: 2025,
                clock: 2031
            })
        );
        assert!(s.confirm_year(2032).is_err());
        s.confirm_year(2031).unwrap();
        assert_eq!(s.through_year().unwrap(), 2031);
        assert_eq!(s.year_jump().unwrap(), None);
    }

    #[test]
    fn the_identity_is_given_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.redb");
        let a = open(&p, Clock::System).database_id().unwrap();
        let b = open(&p, Clock::System).database_id().unwrap();
        assert_eq!(a, b);
        assert_ne!(a, Id::NIL);
        let q = dir.path().join("d.redb");
        assert_ne!(open(&q, Clock::System).database_id().unwrap(), a);
    }
}
