//! The retention schedule: a person is due for erasure when every record about them has
//! passed its period ([`RetentionSettings`]); an open case or project keeps them.

use super::{ErasureReport, Scrub, erase_deferred};
use crate::domain::privacy::{
    PLACEHOLDER_NAME, PLACEHOLDER_SURNAME, RetentionDue, RetentionSettings, years_after,
};
use crate::domain::*;
use crate::store::access::Session;
use crate::store::{Reader, Store, StoreError};
use chrono::NaiveDate;

/// The reason written in the registro for an erasure made by the retention schedule.
pub const RETENTION_REASON: &str = "Periodo di conservazione scaduto";

/// The day a record id made by this program was created (UUIDv7 time), when plausible.
fn registered(id: Id, today: NaiveDate) -> Option<NaiveDate> {
    let millis = (id.0 >> 80) as i64;
    let d = chrono::DateTime::from_timestamp_millis(millis)?.date_naive();
    (d.year_ce().1 >= 2000 && d <= today).then_some(d)
}

use chrono::Datelike;

/// When the last record about `p` passes its period (a person with no record: the registry
/// period from the day the id was made), with the number of records; `None` while an open
/// case or project keeps them, or when nothing tells a date.
fn expiry(
    r: &Reader,
    p: &Person,
    s: &RetentionSettings,
    today: NaiveDate,
) -> Result<Option<(NaiveDate, usize)>, StoreError> {
    let mut last: Option<NaiveDate> = None;
    let mut n = 0;
    let mut bump = |d: NaiveDate| last = Some(last.map_or(d, |l| l.max(d)));
    for c in r.by_subject::<Contact>(p.id)? {
        n += 1;
        bump(years_after(c.at.date(), s.contact_years));
    }
    for c in r.by_subject::<Case>(p.id)? {
        n += 1;
        match c.closed {
            Some(d) => bump(years_after(d, s.case_years)),
            None => return Ok(None),
        }
    }
    for pr in r.by_subject::<Project>(p.id)? {
        n += 1;
        match pr.end {
            Some(d) => bump(years_after(d, s.project_years)),
            None => return Ok(None),
        }
    }
    for rf in r.by_subject::<Referral>(p.id)? {
        n += 1;
        let d = rf.follow_up.map_or(rf.date, |f| f.max(rf.date));
        bump(years_after(d, s.referral_years));
    }
    for a in r.by_subject::<Activity>(p.id)? {
        n += 1;
        let attended = a
            .sessions
            .iter()
            .filter(|x| x.attendees.contains(&p.id))
            .map(|x| x.date)
            .max();
        if let Some(d) = attended.or_else(|| a.sessions.iter().map(|x| x.date).max()) {
            bump(years_after(d, s.activity_years));
        }
    }
    if n == 0 {
        // Registered and nothing else: the registry's own period.
        last = registered(p.id, today).map(|d| years_after(d, s.person_years));
    }
    Ok(last.map(|d| (d, n)))
}

/// Whether `p` is an anonymous placeholder of an earlier erasure (never due itself).
fn is_placeholder(p: &Person) -> bool {
    p.surname == PLACEHOLDER_SURNAME
        && p.name == PLACEHOLDER_NAME
        && p.codice_fiscale.is_none()
        && p.birth == BirthDate::Unknown
}

impl Store {
    /// The people whose every record has passed its retention period on the store's
    /// "today", oldest expiry first. Placeholders of earlier erasures are not listed.
    pub fn retention_due(&self) -> Result<Vec<RetentionDue>, StoreError> {
        let s = self.retention_settings()?;
        let today = self.clock().today();
        let r = self.read()?;
        let mut out = Vec::new();
        for p in r.all::<Person>()? {
            if is_placeholder(&p) {
                continue;
            }
            if let Some((d, records)) = expiry(&r, &p, &s, today)?
                && d <= today
            {
                out.push(RetentionDue {
                    person: p.id,
                    name: p.full_name(),
                    expired_on: d,
                    records,
                });
            }
        }
        out.sort_by_key(|d| (d.expired_on, d.person));
        Ok(out)
    }

    /// [`Store::retention_due`] for a signed-in coordinator (the erasure's permissions).
    pub fn retention_due_as(&self, session: &Session) -> Result<Vec<RetentionDue>, StoreError> {
        self.require_erasure(session)?;
        self.retention_due()
    }

    /// Erases every person [`Store::retention_due`] lists, in one write transaction (one
    /// registro entry each, reason [`RETENTION_REASON`]), then compacts. `session` is
    /// `None` on a database without accounts.
    pub fn apply_retention(
        &mut self,
        session: Option<&Session>,
        actor: Id,
    ) -> Result<Vec<ErasureReport>, StoreError> {
        let mut out = self.erase_due(session, actor, None)?;
        if out.is_empty() {
            return Ok(out);
        }
        let compacted = self.compact_erased()?;
        for r in &mut out {
            r.compacted = compacted;
        }
        Ok(out)
    }

    /// Erases, for a signed-in coordinator, the people of `chosen` that are still due
    /// (the list the coordinator confirmed: someone with a new record since is kept), in
    /// one write transaction, without compacting: for a caller that shares the store (the
    /// window), which compacts with [`Store::compact_erased`] when it holds it alone, or at
    /// the next open.
    pub fn apply_retention_uncompacted_as(
        &self,
        session: &Session,
        chosen: &[Id],
    ) -> Result<Vec<ErasureReport>, StoreError> {
        self.erase_due(Some(session), Id::NIL, Some(chosen))
    }

    fn erase_due(
        &self,
        session: Option<&Session>,
        actor: Id,
        chosen: Option<&[Id]>,
    ) -> Result<Vec<ErasureReport>, StoreError> {
        let (actor, account) = match session {
            Some(s) => {
                self.require_erasure(s)?;
                (s.operator().unwrap_or(Id::NIL), s.account())
            }
            None => (actor, Id::NIL),
        };
        let due: Vec<RetentionDue> = self
            .retention_due()?
            .into_iter()
            .filter(|d| chosen.is_none_or(|c| c.contains(&d.person)))
            .collect();
        if due.is_empty() {
            return Ok(vec![]);
        }
        let mut w = self.write(actor)?;
        w.attribute_to(account);
        let mut out = Vec::new();
        let mut later = Scrub::default();
        for d in &due {
            out.push(erase_deferred(
                &mut w,
                d.person,
                RETENTION_REASON,
                None,
                false,
                &mut later,
            )?);
        }
        // One pass over the audit log for the whole batch; its count is on the last report.
        let blanked = later.apply(&w)?;
        if let Some(last) = out.last_mut() {
            last.audit_blanked = blanked;
        }
        super::mark_compaction_pending(w.txn())?;
        w.commit()?;
        Ok(out)
    }
}
