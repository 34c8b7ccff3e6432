//! Appointments (issue 12): the day and week lists, the no-shows per line and year, and
//! the two writes that close an appointment — the person came (a contact is recorded and
//! the appointment points to it, in one transaction) or did not come, or it was cancelled.
//!
//! Appointments are ordinary records ([`Appointment`], about their subject, filed on their
//! day), so permissions (Accessi), restriction (art. 18), audit, backup, merge and erasure
//! need nothing here.

use super::{Reader, StoreError, Writer};
use crate::domain::time::year_bounds;
use crate::domain::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

impl Reader {
    /// The appointments from day `from` to day `to` (both included), archived ones left
    /// out, sorted by start time (then operator, then id). Needs Accessi; the appointments
    /// of people whose processing is restricted are left out for who may not see them.
    pub fn appointments_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Appointment>, StoreError> {
        let mut v: Vec<Appointment> = self
            .by_date::<Appointment>(from, to)?
            .into_iter()
            .filter(|a| !a.archived)
            .collect();
        v.sort_by_key(|a| (a.start, a.operator, a.id));
        Ok(v)
    }

    /// The appointments of one person or household, archived ones left out, latest first.
    pub fn appointments_of(&self, subject: Id) -> Result<Vec<Appointment>, StoreError> {
        let mut v: Vec<Appointment> = self
            .by_subject::<Appointment>(subject)?
            .into_iter()
            .filter(|a| !a.archived)
            .collect();
        v.sort_by_key(|a| std::cmp::Reverse((a.start, a.id)));
        Ok(v)
    }

    /// How many appointments of `year` were «non presentato», per service line (`None`:
    /// booked without a line), in line id order. Archived appointments do not count.
    pub fn no_shows(&self, year: i32) -> Result<Vec<(Option<Id>, u64)>, StoreError> {
        let (from, to) = year_bounds(year);
        let mut per: BTreeMap<Option<Id>, u64> = BTreeMap::new();
        self.for_each_by_date::<Appointment>(from, to, |a| {
            if !a.archived && a.outcome == AppointmentOutcome::NonPresentato {
                *per.entry(a.line).or_default() += 1;
            }
        })?;
        Ok(per.into_iter().collect())
    }
}

impl Writer {
    /// The person came: records `contact` and marks the appointment `id`
    /// [`AppointmentOutcome::Svolto`] pointing to it, in this writer's transaction (commit
    /// to keep both, drop to keep neither). Refused unless the appointment is still
    /// [`AppointmentOutcome::Previsto`] and the contact is about the same subject.
    /// Returns the contact's id.
    pub fn record_appointment_visit(&mut self, id: Id, contact: Contact) -> Result<Id, StoreError> {
        let mut a = self
            .get::<Appointment>(id)?
            .ok_or(StoreError::NotFound(EntityKind::Appointment, id))?;
        if !a.outcome.is_open() {
            return Err(refused(
                "outcome",
                format!(
                    "L'appuntamento è già segnato come «{}»",
                    a.outcome.label().to_lowercase()
                ),
            ));
        }
        if contact.subject != a.subject {
            return Err(refused(
                "subject",
                "L'accesso deve riguardare la persona o il nucleo dell'appuntamento",
            ));
        }
        let cid = self.insert(contact)?;
        a.outcome = AppointmentOutcome::Svolto;
        a.contact = Some(cid);
        self.update(a)?;
        Ok(cid)
    }

    /// Marks the appointment `id` «non presentato» or «annullato» (or back to «previsto»
    /// by mistake; a held one keeps its contact and is refused here).
    pub fn set_appointment_outcome(
        &mut self,
        id: Id,
        outcome: AppointmentOutcome,
    ) -> Result<(), StoreError> {
        let mut a = self
            .get::<Appointment>(id)?
            .ok_or(StoreError::NotFound(EntityKind::Appointment, id))?;
        if outcome == AppointmentOutcome::Svolto || a.outcome == AppointmentOutcome::Svolto {
            return Err(refused(
                "outcome",
                "Un appuntamento svolto si registra con il suo accesso",
            ));
        }
        a.outcome = outcome;
        self.update(a)
    }
}

fn refused(field: &'static str, message: impl Into<String>) -> StoreError {
    let mut p = Problems::default();
    p.add(field, message);
    StoreError::Invalid(p)
}
