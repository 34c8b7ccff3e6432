//! Published figures: a year's annual counts frozen when the cooperative publishes them,
//! with the units and records behind each number, so later changes to that year's data can
//! be shown against what was published. Own table; written with an audit entry in the
//! same transaction.

use super::{Reader, Store, StoreError, Writer, codec};
use crate::domain::time::{date_serde, datetime_serde};
use crate::domain::*;
use chrono::{NaiveDate, NaiveDateTime};
use redb::{ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

/// year (as a `u128`, like every record table, so backups treat it alike) → envelope of a
/// [`Published`].
pub const PUBLISHED: TableDefinition<u128, &[u8]> = TableDefinition::new("published");

fn key(year: i32) -> u128 {
    year.max(0) as u128
}

/// One record behind a published unit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PublishedRecord {
    /// The record's date (contact day, period start, first session of the year).
    #[serde(with = "date_serde")]
    pub date: NaiveDate,
    /// The kind of record.
    pub kind: EntityKind,
    /// Its id.
    pub id: Id,
}

/// One counted unit (person, household, project or contact) and the records behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedUnit {
    /// The counted key.
    pub key: Id,
    /// The qualifying records at the time of publication.
    pub records: Vec<PublishedRecord>,
}

/// The published figure of one service line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedLine {
    /// The line.
    pub line: Id,
    /// Its code then.
    pub code: String,
    /// Its name then.
    pub name: String,
    /// Its unit then.
    pub unit: CountingUnit,
    /// The published number.
    pub count: u64,
    /// The units behind it (`units.len() == count`).
    pub units: Vec<PublishedUnit>,
}

/// A year's figures as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// Identifier of this publication (the audit entry points to it).
    pub id: Id,
    /// The year the figures are about.
    pub year: i32,
    /// When they were frozen.
    #[serde(with = "datetime_serde")]
    pub at: NaiveDateTime,
    /// Who froze them.
    pub operator: Id,
    /// Free note ("bilancio sociale 2022", …).
    pub note: String,
    /// The figures, in report order.
    pub lines: Vec<PublishedLine>,
}

impl Published {
    /// Checks that every figure matches its units.
    pub fn validate(&self) -> Problems {
        let mut p = Problems::default();
        if !(1900..=2200).contains(&self.year) {
            p.add("year", format!("Anno non valido: {}", self.year));
        }
        if self.lines.is_empty() {
            p.add("lines", "Non ci sono dati da pubblicare");
        }
        for l in &self.lines {
            if l.units.len() as u64 != l.count {
                p.add(
                    "lines",
                    format!(
                        "Il dato di «{}» ({}) non corrisponde alle unità elencate ({})",
                        l.name,
                        l.count,
                        l.units.len()
                    ),
                );
            }
        }
        crate::domain::validate::optional_text(&mut p, "note", "La nota", &self.note, 500);
        p
    }
}

impl Writer {
    /// Freezes a year's figures. Refuses a year already published unless `replace`.
    pub fn publish(&mut self, mut published: Published, replace: bool) -> Result<(), StoreError> {
        published.validate().into_result()?;
        if published.id == Id::NIL {
            published.id = Id::new();
        }
        published.operator = self.actor();
        let mut t = self.txn().open_table(PUBLISHED)?;
        if !replace && t.get(key(published.year))?.is_some() {
            let mut p = Problems::default();
            p.add(
                "year",
                format!(
                    "I dati del {} sono già stati pubblicati: conferma la sostituzione per pubblicarli di nuovo",
                    published.year
                ),
            );
            return Err(StoreError::Invalid(p));
        }
        let bytes = super::write::bounded(codec::encode(&published))?;
        t.insert(key(published.year), bytes.as_slice())?;
        drop(t);
        self.audit(
            Action::Publish,
            EntityKind::ServiceLine,
            published.id,
            published.lines.len() as u64,
        )
    }
}

impl Store {
    /// Freezes a year's figures in its own durable transaction, with an audit entry.
    pub fn publish(
        &self,
        actor: Id,
        published: Published,
        replace: bool,
    ) -> Result<(), StoreError> {
        let mut w = self.write(actor)?;
        w.publish(published, replace)?;
        w.commit()
    }

    /// Freezes a year's figures on behalf of a signed-in account: needs
    /// [`PUBLISH_PERMISSIONS`] (the figures the cooperative gives its funders are the
    /// coordination's to freeze, not every dashboard viewer's); the audit entry names the
    /// account.
    pub fn publish_as(
        &self,
        session: &crate::access::Session,
        published: Published,
        replace: bool,
    ) -> Result<(), StoreError> {
        for p in PUBLISH_PERMISSIONS {
            if !session.may(p) {
                return Err(super::access::denied(format!(
                    "Pubblicare i dati dell'anno richiede il permesso «{}».",
                    p.label()
                )));
            }
        }
        let mut w = self.write_as(session)?;
        w.publish(published, replace)?;
        w.commit()
    }
}

/// What publishing a year's figures needs: the dashboard and the team's coordination.
pub const PUBLISH_PERMISSIONS: [Permission; 2] = [Permission::Cruscotto, Permission::Equipe];

impl Reader {
    /// The frozen figures of a year, if published.
    pub fn published(&self, year: i32) -> Result<Option<Published>, StoreError> {
        let t = self.txn().open_table(PUBLISHED)?;
        let v = t.get(key(year))?;
        Ok(match v {
            Some(v) => Some(codec::decode(v.value())?),
            None => None,
        })
    }

    /// The years with published figures, oldest first.
    pub fn published_years(&self) -> Result<Vec<i32>, StoreError> {
        let t = self.txn().open_table(PUBLISHED)?;
        let mut out = Vec::new();
        for item in t.iter()? {
            out.push(item?.0.value() as i32);
        }
        Ok(out)
    }
}

impl Reader {
    /// Audit entries written at or after `since`, newest first.
    pub fn audit_since(&self, since: NaiveDateTime) -> Result<Vec<(Id, AuditEntry)>, StoreError> {
        let t = self.txn().open_table(super::tables::AUDIT)?;
        let mut out = Vec::new();
        for item in t.iter()?.rev() {
            let (k, v) = item?;
            let e = super::audit::decode(v.value())?.record();
            if e.at < since {
                break;
            }
            if !e.action.is_access() {
                out.push((Id(k.value()), AuditEntry::from(&e)));
            }
        }
        Ok(out)
    }
}
