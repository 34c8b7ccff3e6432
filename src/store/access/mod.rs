//! Personal accounts and what they may do, enforced by the store.
//!
//! [`sign_in`] is the one place a password opens a [`Session`]; every read and write made
//! on behalf of a signed-in account goes through [`Store::read_as`] / [`Store::write_as`]
//! (or [`Store::insert_as`] …), which refuse kinds of record the account's roles do not
//! allow (a clear Italian [`StoreError::Denied`]) and hide the parts of records it may not
//! see (confidential notes, art. 9 and art. 10 content; `domain::access` says which).
//! [`Store::read`] and [`Store::write`] stay the system's own handles: backups, `check`,
//! conversions, the demo generator and the first administrator.
//!
//! Account administration (new accounts, passwords changed and reset, unlock, deactivate)
//! is in `accounts.rs`; the access log in `log.rs`; sessions and their view in
//! `session.rs`. Passwords: Argon2id PHC strings (`password.rs`). Wrong passwords make the next attempt
//! wait longer and longer, then lock the account for a while; an administrator unlocks or
//! resets it. Accounts unused for six months (configurable) are deactivated, never deleted.

mod accounts;
mod log;
mod password;
pub(crate) mod session;

pub use log::LogFilter;
pub use password::{PasswordParams, hash_password, verify_password};
pub(crate) use session::View;
pub use session::{Session, read_permission, write_permission};

use super::audit;
use super::codec;
use super::tables::META;
use super::{Reader, Store, StoreError, Writer};
use crate::domain::access::{self as policy, LockoutPolicy};
use crate::domain::*;
use chrono::NaiveDateTime;
use std::fmt;

/// The `meta` key of the days after which an unused account is deactivated (i64 LE).
pub(crate) const KEY_INACTIVE_DAYS: &str = "inactive_days";
/// The `meta` key set on a demo database: its sign-in screen lists the demo accounts.
const KEY_DEMO: &str = "demo_accounts";

/// Why a sign-in was refused. Messages in Italian, never saying whether the name exists.
#[derive(Debug)]
pub enum SignInError {
    /// Wrong name or password; the next attempt must wait this many seconds.
    Wrong {
        /// Seconds before the next attempt is accepted.
        wait_secs: i64,
    },
    /// An attempt too soon after a wrong one.
    TooSoon {
        /// Seconds still to wait.
        wait_secs: i64,
    },
    /// Too many wrong passwords: locked until then (or an administrator's unlock).
    Locked {
        /// When the lock ends.
        until: NaiveDateTime,
    },
    /// The account is deactivated (by an administrator, or unused for months).
    Deactivated,
    /// The account has no role that is still in use.
    NoRole,
    /// The database failed.
    Store(StoreError),
}

impl fmt::Display for SignInError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInError::Wrong { wait_secs } if *wait_secs > 1 => write!(
                f,
                "Nome utente o password errati. Puoi riprovare tra {wait_secs} secondi."
            ),
            SignInError::Wrong { .. } => f.write_str("Nome utente o password errati."),
            SignInError::TooSoon { wait_secs } => write!(
                f,
                "Troppi tentativi ravvicinati: riprova tra {wait_secs} second{}.",
                if *wait_secs == 1 { "o" } else { "i" }
            ),
            SignInError::Locked { until } => write!(
                f,
                "Account bloccato dopo troppe password errate fino alle {}: chiedi a un amministratore di sbloccarlo.",
                until.format("%H:%M del %d/%m/%Y")
            ),
            SignInError::Deactivated => f.write_str(
                "Questo account è disattivato (da un amministratore, o perché non è stato usato per mesi): chiedi a un amministratore di riattivarlo.",
            ),
            SignInError::NoRole => f.write_str(
                "Questo account non ha nessun ruolo attivo: chiedi a un amministratore di assegnarne uno.",
            ),
            SignInError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SignInError {}

impl From<StoreError> for SignInError {
    fn from(e: StoreError) -> Self {
        SignInError::Store(e)
    }
}

impl From<redb::Error> for SignInError {
    fn from(e: redb::Error) -> Self {
        SignInError::Store(e.into())
    }
}

/// A refusal: the account may not do this.
pub(crate) fn denied(what: impl fmt::Display) -> StoreError {
    StoreError::Denied(what.to_string())
}

/// Signs in with the store's clock. The ONE place a password opens a session (an encrypted
/// database will first open its key slot named after the user here).
pub fn sign_in(store: &Store, username: &str, password: &str) -> Result<Session, SignInError> {
    sign_in_at(store, username, password, store.clock().now())
}

/// [`sign_in`] at a given moment (tests of the delay and the lock-out).
pub fn sign_in_at(
    store: &Store,
    username: &str,
    password: &str,
    now: NaiveDateTime,
) -> Result<Session, SignInError> {
    let policy = LockoutPolicy::default();
    let name = username.trim().to_lowercase();
    // One-shot, taken whatever happens next. Safe to skip the PHC check for this name: the
    // password just unwrapped the data key from the key slot named after this account
    // (XChaCha20-Poly1305 under an Argon2id key: a wrong password fails authentication),
    // and a slot's password is the account's own — every change and reset replaces the
    // slot too ([`on_password_changed`]). The proof lives only inside this process, right
    // after the unlock, and never outlives one sign-in.
    let proven = store.take_unlock_proof().is_some_and(|slot| slot == name);
    let Some(account) = store.account_by_name(&name)? else {
        // Same work and the same answer as a wrong password: no hint the name is unknown.
        let _ = verify_password(password, password::dummy_hash());
        store.append_audit(audit_record(now, None, Action::SignInFailed, Id::NIL, ""))?;
        return Err(SignInError::Wrong { wait_secs: 0 });
    };
    if !account.active {
        return Err(SignInError::Deactivated);
    }
    if let Some(t) = account.retry_at.filter(|t| now < *t) {
        if account.locked_at(now, &policy) {
            return Err(SignInError::Locked { until: t });
        }
        return Err(SignInError::TooSoon {
            wait_secs: (t - now).num_seconds().max(1),
        });
    }
    if account.unused_since(now, store.inactive_days()?) {
        store.deactivate(&account, now, "non usato da troppo tempo")?;
        return Err(SignInError::Deactivated);
    }
    if !proven && !verify_password(password, &account.password_hash) {
        let failures = account.failures.saturating_add(1);
        let wait = policy.wait_after(failures);
        let mut a = account.clone();
        a.failures = failures;
        a.retry_at = Some(now + wait);
        let locked = failures >= policy.lock_after;
        store.save_account_state(&a, |txn| {
            audit::append(
                txn,
                audit_record(now, Some(&a), Action::SignInFailed, a.id, ""),
            )?;
            if locked {
                let mut r = audit_record(now, Some(&a), Action::AccountLocked, a.id, "");
                r.flagged = true;
                audit::append(txn, r)?;
            }
            Ok(())
        })?;
        if locked {
            return Err(SignInError::Locked { until: now + wait });
        }
        return Err(SignInError::Wrong {
            wait_secs: wait.num_seconds(),
        });
    }
    let permissions = store.permissions_of(&account)?;
    if permissions == Permissions::default() {
        return Err(SignInError::NoRole);
    }
    let mut a = account.clone();
    a.failures = 0;
    a.retry_at = None;
    a.last_sign_in = Some(now);
    store.save_account_state(&a, |txn| {
        audit::append(txn, audit_record(now, Some(&a), Action::SignIn, a.id, ""))?;
        Ok(())
    })?;
    store.deactivate_unused(now)?;
    Ok(Session::new(&a, permissions, store.database_id()?))
}

/// Called whenever an account's password changes (its owner's change, an administrator's
/// reset, a new account). On an encrypted database this also gives the account's key slot
/// the new password (or adds the slot), so the same password unlocks the file and signs
/// in; the slot's failed-unlock counter starts again. Nothing to do on a plain database.
pub fn on_password_changed(
    store: &Store,
    username: &str,
    password: &str,
) -> Result<(), StoreError> {
    if !store.is_encrypted() {
        return Ok(());
    }
    let password = crate::store::crypt::SecretString::from(password.to_owned());
    store.set_key_slot(&username.trim().to_lowercase(), &password)
}

fn audit_record(
    now: NaiveDateTime,
    account: Option<&Account>,
    action: Action,
    entity: Id,
    detail: &str,
) -> AuditRecord {
    AuditRecord {
        at: now,
        operator: account.and_then(|a| a.operator).unwrap_or(Id::NIL),
        account: account.map_or(Id::NIL, |a| a.id),
        action,
        kind: EntityKind::Account,
        entity,
        count: 1,
        detail: detail.into(),
        flagged: false,
    }
}

/// What a new account needs.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The name typed at sign-in.
    pub username: String,
    /// The team member it belongs to, if any.
    pub operator: Option<Id>,
    /// Its roles.
    pub roles: Vec<Id>,
    /// Must choose a new password at the first sign-in.
    pub must_change: bool,
}

impl Store {
    /// True when at least one account exists (otherwise the window asks for the first
    /// administrator, and the command line works without signing in).
    pub fn has_accounts(&self) -> Result<bool, StoreError> {
        Ok(self.read()?.count::<Account>()? > 0)
    }

    /// The account with this username.
    pub(crate) fn account_by_name(&self, username: &str) -> Result<Option<Account>, StoreError> {
        let r = self.read()?;
        let mut found = None;
        r.for_each(|a: Account| {
            if a.username == username {
                found = Some(a);
            }
        })?;
        Ok(found)
    }

    /// The union of the permissions of an account's roles still in use.
    pub(crate) fn permissions_of(&self, a: &Account) -> Result<Permissions, StoreError> {
        let r = self.read()?;
        let mut p = Permissions::default();
        for id in &a.roles {
            if let Some(role) = r.get::<AccessRole>(*id)?
                && !role.archived
            {
                p = p.union(role.permissions);
            }
        }
        Ok(p)
    }

    /// The default roles, by code.
    pub fn access_role(&self, code: &str) -> Result<Option<AccessRole>, StoreError> {
        Ok(self
            .read()?
            .all::<AccessRole>()?
            .into_iter()
            .find(|r| r.code == code))
    }

    /// Writes the counters of an account (failures, delay, last sign-in) and the audit
    /// entries `also` appends, in one durable transaction and without a "modifica" entry.
    fn save_account_state(
        &self,
        a: &Account,
        also: impl FnOnce(&redb::WriteTransaction) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        {
            let mut t = txn.open_table(<Account as super::Entity>::TABLE)?;
            t.insert(a.id.0, codec::encode(a).as_slice())?;
        }
        also(&txn)?;
        txn.commit()?;
        Ok(())
    }

    /// Appends one audit entry in its own durable transaction.
    pub(crate) fn append_audit(&self, r: AuditRecord) -> Result<(), StoreError> {
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        audit::append(&txn, r)?;
        txn.commit()?;
        Ok(())
    }

    /// Marks the database as a demo: its sign-in screen shows the demo accounts and their
    /// password.
    pub fn mark_demo(&self) -> Result<(), StoreError> {
        let txn = self.db.begin_write()?;
        txn.open_table(META)?.insert(KEY_DEMO, [1u8].as_slice())?;
        txn.commit()?;
        Ok(())
    }

    /// True for a demo database (`accoglienza demo`, or the window's «dati di esempio»).
    pub fn is_demo(&self) -> Result<bool, StoreError> {
        self.meta_flag(KEY_DEMO)
    }

    /// Days without a sign-in after which an account is deactivated.
    pub fn inactive_days(&self) -> Result<i64, StoreError> {
        Ok(self
            .meta_bytes(KEY_INACTIVE_DAYS)?
            .and_then(|v| v.as_slice().try_into().ok().map(i64::from_le_bytes))
            .unwrap_or(policy::DEFAULT_INACTIVE_DAYS))
    }

    /// Sets the days without a sign-in after which an account is deactivated (an
    /// administrator's decision).
    pub fn set_inactive_days(&self, session: &Session, days: i64) -> Result<(), StoreError> {
        self.require(session, Permission::Account)?;
        if !(7..=3650).contains(&days) {
            return Err(denied(
                "I giorni di inattività devono essere tra 7 e 3650 (dieci anni)",
            ));
        }
        let txn = self.db.begin_write()?;
        txn.open_table(META)?
            .insert(KEY_INACTIVE_DAYS, days.to_le_bytes().as_slice())?;
        txn.commit()?;
        Ok(())
    }

    /// Refuses a session without the permission.
    pub(crate) fn require(&self, s: &Session, p: Permission) -> Result<(), StoreError> {
        s.check_database(self.database_id()?)?;
        if s.must_change() {
            return Err(denied(
                "Devi prima cambiare la password (è provvisoria o è stata reimpostata).",
            ));
        }
        if !s.permissions().has(p) {
            return Err(denied(format!(
                "Operazione non permessa al tuo ruolo: serve il permesso «{}».",
                p.label()
            )));
        }
        Ok(())
    }

    /// Every account's id and username, for the Registro accessi (administrators and
    /// coordinators) and the account administration.
    pub fn account_names(&self, by: &Session) -> Result<Vec<(Id, String)>, StoreError> {
        if !by.may(Permission::Registro) {
            self.require(by, Permission::Account)?;
        }
        by.check_database(self.database_id()?)?;
        let mut out: Vec<(Id, String)> = self
            .read()?
            .all::<Account>()?
            .into_iter()
            .map(|a| (a.id, a.username))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }

    /// Every account, for an administrator (password hashes hidden).
    pub fn accounts(&self, by: &Session) -> Result<Vec<Account>, StoreError> {
        self.read_as(by)?.all::<Account>()
    }

    /// A read snapshot on behalf of a signed-in account: kinds its roles do not allow are
    /// refused, and what it may not see is hidden from the records it reads.
    pub fn read_as(&self, session: &Session) -> Result<Reader, StoreError> {
        session.check_database(self.database_id()?)?;
        if session.must_change() {
            return Err(denied(
                "Devi prima cambiare la password (è provvisoria o è stata reimpostata).",
            ));
        }
        let mut r = self.read()?;
        let view = View::new(session.clone(), &r)?;
        r.set_view(view);
        Ok(r)
    }

    /// A write transaction on behalf of a signed-in account: attributed to its operator
    /// and account, refused for kinds its roles do not allow; hidden parts of a record it
    /// saves keep their stored value.
    pub fn write_as(&self, session: &Session) -> Result<Writer, StoreError> {
        // The write transaction first: no other writer can commit until it ends, so the
        // snapshot the view is made from (a restriction recorded a moment ago included)
        // is the state this transaction starts from.
        let mut w = self.write(session.operator().unwrap_or(Id::NIL))?;
        let r = self.read_as(session)?;
        let view = r
            .view()
            .cloned()
            .ok_or_else(|| denied("sessione non valida"))?;
        drop(r);
        w.set_view(view);
        Ok(w)
    }

    /// Inserts one record on behalf of a signed-in account.
    pub fn insert_as<E: super::Entity>(&self, s: &Session, rec: E) -> Result<Id, StoreError> {
        let mut w = self.write_as(s)?;
        let id = w.insert(rec)?;
        w.commit()?;
        Ok(id)
    }

    /// Updates one record on behalf of a signed-in account.
    pub fn update_as<E: super::Entity>(&self, s: &Session, rec: E) -> Result<(), StoreError> {
        let mut w = self.write_as(s)?;
        w.update(rec)?;
        w.commit()
    }

    /// Archives or brings back one record on behalf of a signed-in account.
    pub fn set_archived_as<E: super::Entity>(
        &self,
        s: &Session,
        id: Id,
        archived: bool,
    ) -> Result<(), StoreError> {
        let mut w = self.write_as(s)?;
        w.set_archived::<E>(id, archived)?;
        w.commit()
    }
}

impl Reader {
    /// The session this snapshot reads for (none for the system's own reads).
    pub fn session(&self) -> Option<&Session> {
        self.view().map(|v| v.session())
    }
}
