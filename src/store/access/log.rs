//! The access log: reads that matter, sign-out and lock, openings with the recovery key,
//! the "accesso straordinario", and the Registro accessi's query and filter. Every entry
//! goes through the hash-chained audit (`store::audit`).

use super::{Session, audit_record};
use crate::domain::access::AccessKind;
use crate::domain::*;
use crate::store::{Store, StoreError, audit};
use redb::{ReadableDatabase, ReadableTable};

impl Store {
    /// Logs a read that matters (a cartella opened, confidential notes shown, an export,
    /// a report, a print, a backup, a restore), with the purpose when one was given.
    pub fn log_access(
        &self,
        session: &Session,
        kind: AccessKind,
        entity: Option<(EntityKind, Id)>,
        purpose: &str,
    ) -> Result<(), StoreError> {
        session.check_database(self.database_id()?)?;
        let (k, id) = entity.unwrap_or((EntityKind::Person, Id::NIL));
        self.append_audit(session.record(self.clock().now(), Action::Read(kind), k, id, purpose))
    }

    /// Logs an opening with the recovery key (no account: the cooperative's own key), flagged.
    pub fn log_recovery_key_use(&self, from: &str) -> Result<(), StoreError> {
        let mut r = audit_record(
            self.clock().now(),
            None,
            Action::RecoveryKeyUsed,
            Id::NIL,
            from,
        );
        r.flagged = true;
        self.append_audit(r)
    }

    /// A new recovery key for this encrypted database, on behalf of an administrator
    /// (permission «Account»): the old key no longer opens it, nor the backups made from now
    /// on. Logged and flagged for the privacy officer; the key itself is shown once by the
    /// caller and never written anywhere.
    pub fn new_recovery_key_as(
        &self,
        session: &Session,
    ) -> Result<crate::store::crypt::RecoveryKey, StoreError> {
        self.require(session, Permission::Account)?;
        let key = self.new_recovery_key()?;
        let mut r = session.record(
            self.clock().now(),
            Action::RecoveryKeyReplaced,
            EntityKind::Account,
            session.account(),
            "",
        );
        r.flagged = true;
        self.append_audit(r)?;
        Ok(key)
    }

    /// Logs the window locking (idle or «Blocca») or the account signing out.
    pub fn log_session_end(&self, session: &Session, locked: bool) -> Result<(), StoreError> {
        let action = if locked {
            Action::Lock
        } else {
            Action::SignOut
        };
        self.append_audit(session.record(
            self.clock().now(),
            action,
            EntityKind::Account,
            session.account(),
            "",
        ))
    }

    /// An "accesso straordinario": opens one person's or household's records beyond the
    /// session's permissions until it ends, with a reason typed by the person (at least a
    /// few words). Audited and flagged for the privacy officer.
    pub fn extraordinary_access(
        &self,
        session: &Session,
        subject: Subject,
        reason: &str,
    ) -> Result<(), StoreError> {
        session.check_database(self.database_id()?)?;
        let reason = reason.trim();
        if reason.chars().count() < 10 {
            let mut p = Problems::default();
            p.add(
                "reason",
                "Scrivi il motivo dell'accesso straordinario (almeno 10 caratteri): resta nel registro",
            );
            return Err(StoreError::Invalid(p));
        }
        let kind = match subject {
            Subject::Person(_) => EntityKind::Person,
            Subject::Household(_) => EntityKind::Household,
        };
        let mut r = session.record(
            self.clock().now(),
            Action::ExtraordinaryAccess,
            kind,
            subject.id(),
            reason,
        );
        r.flagged = true;
        self.append_audit(r)?;
        session.grant(subject.id());
        Ok(())
    }

    /// The access log for the Registro accessi (administrators and coordinators): newest
    /// first, filtered; entries never hold note contents.
    pub fn access_log(
        &self,
        session: &Session,
        filter: &LogFilter,
        limit: usize,
    ) -> Result<Vec<(Id, AuditRecord)>, StoreError> {
        self.require(session, Permission::Registro)?;
        let txn = self.db.begin_read()?;
        let t = txn.open_table(crate::store::tables::AUDIT)?;
        let mut out = Vec::new();
        for item in t.iter()?.rev() {
            let (k, v) = item?;
            let r = audit::decode(v.value())?.record();
            if filter.matches(&r) {
                out.push((Id(k.value()), r));
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }
}

/// What the Registro accessi shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Only this account.
    pub account: Option<Id>,
    /// Only entries about this person or household.
    pub entity: Option<Id>,
    /// Only reads and account events (no record changes).
    pub access_only: bool,
    /// Only this action.
    pub action: Option<Action>,
    /// From this day.
    pub from: Option<chrono::NaiveDate>,
    /// Up to this day.
    pub to: Option<chrono::NaiveDate>,
    /// Only flagged entries (extraordinary accesses, lock-outs).
    pub flagged_only: bool,
}

impl LogFilter {
    /// True when the entry passes the filter.
    pub fn matches(&self, r: &AuditRecord) -> bool {
        self.account.is_none_or(|a| r.account == a)
            && self.entity.is_none_or(|e| r.entity == e)
            && (!self.access_only || r.action.is_access())
            && self.action.is_none_or(|a| r.action == a)
            && self.from.is_none_or(|d| r.at.date() >= d)
            && self.to.is_none_or(|d| r.at.date() <= d)
            && (!self.flagged_only || r.flagged)
    }
}
