//! Account administration: the first administrator, new accounts, changed and reset
//! passwords (the key slot of an encrypted database follows each), unlocking, deactivating
//! and bringing back — never deleting — accounts, and the sweep of unused ones.

use super::{
    NewAccount, PasswordParams, Session, audit_record, denied, hash_password, on_password_changed,
    verify_password,
};
use crate::domain::access::{self as policy, role_codes};
use crate::domain::*;
use crate::store::{Store, StoreError, audit};
use chrono::NaiveDateTime;

impl Store {
    /// Deactivates `a` (audited, with `why`) and revokes its key slot.
    pub(super) fn deactivate(
        &self,
        a: &Account,
        now: NaiveDateTime,
        why: &str,
    ) -> Result<(), StoreError> {
        let mut a = a.clone();
        a.active = false;
        self.save_account_state(&a, |txn| {
            audit::append(
                txn,
                audit_record(now, None, Action::AccountDeactivated, a.id, why),
            )?;
            Ok(())
        })?;
        self.revoke_key_slot(&a.username)
    }

    /// Deactivates every active account unused for longer than [`Store::inactive_days`]
    /// (audited); returns how many. Run at every sign-in.
    pub fn deactivate_unused(&self, now: NaiveDateTime) -> Result<usize, StoreError> {
        let days = self.inactive_days()?;
        let stale: Vec<Account> = self
            .read()?
            .all::<Account>()?
            .into_iter()
            .filter(|a| a.active && a.unused_since(now, days))
            .collect();
        for a in &stale {
            self.deactivate(a, now, "non usato da troppo tempo")?;
        }
        Ok(stale.len())
    }

    /// Creates the first administrator of a database with no account (first run): roles
    /// Amministratore (and Coordinatore when `also_coordinator`), the password to be
    /// changed at the first sign-in.
    pub fn create_first_admin(
        &self,
        username: &str,
        password: &str,
        operator: Option<Id>,
        also_coordinator: bool,
        params: PasswordParams,
    ) -> Result<Id, StoreError> {
        if self.has_accounts()? {
            return Err(denied(
                "Esiste già un account: i nuovi account li crea un amministratore.",
            ));
        }
        let mut roles = vec![];
        for code in [role_codes::ADMIN, role_codes::COORDINATORE] {
            if code == role_codes::COORDINATORE && !also_coordinator {
                continue;
            }
            roles.extend(self.access_role(code)?.map(|r| r.id));
        }
        let new = NewAccount {
            username: username.into(),
            operator,
            roles,
            must_change: true,
        };
        self.insert_account(None, &new, password, params)
    }

    /// Creates an account for a signed-in administrator (or, with `None`, for the system:
    /// the first administrator, the demo). The password must follow the rules.
    pub fn create_account(
        &self,
        by: &Session,
        new: &NewAccount,
        password: &str,
        params: PasswordParams,
    ) -> Result<Id, StoreError> {
        self.require(by, Permission::Account)?;
        self.insert_account(Some(by), new, password, params)
    }

    /// The system's own account creation (demo accounts, tests, the first administrator).
    pub fn create_account_unchecked(
        &self,
        new: &NewAccount,
        password: &str,
        params: PasswordParams,
    ) -> Result<Id, StoreError> {
        self.insert_account(None, new, password, params)
    }

    fn insert_account(
        &self,
        by: Option<&Session>,
        new: &NewAccount,
        password: &str,
        params: PasswordParams,
    ) -> Result<Id, StoreError> {
        let username = new.username.trim().to_lowercase();
        password_problem(password, &username)?;
        let account = Account {
            id: Id::new(),
            username: username.clone(),
            operator: new.operator,
            roles: new.roles.clone(),
            password_hash: hash_password(password, params)?,
            must_change: new.must_change,
            active: true,
            created: self.clock().now(),
            last_sign_in: None,
            failures: 0,
            retry_at: None,
        };
        let id = match by {
            Some(s) => self.insert_as(s, account)?,
            None => self.insert(Id::NIL, account)?,
        };
        // An administrator's new account always gets its key slot. The demo's accounts
        // (made by the system on a demo database) find theirs already made with the
        // database, with this same password: one key derivation for all of them instead
        // of one each. Anywhere else a slot left with this name is replaced.
        let made_with_the_demo =
            by.is_none() && self.is_demo()? && self.key_slot_names().contains(&username);
        if !made_with_the_demo {
            on_password_changed(self, &username, password)?;
        }
        Ok(id)
    }

    /// The signed-in account changes its own password (required when it must change it).
    pub fn change_password(
        &self,
        session: &Session,
        current: &str,
        new_password: &str,
        params: PasswordParams,
    ) -> Result<Session, StoreError> {
        session.check_database(self.database_id()?)?;
        let a = self
            .read()?
            .get::<Account>(session.account())?
            .ok_or(StoreError::NotFound(EntityKind::Account, session.account()))?;
        if !verify_password(current, &a.password_hash) {
            let mut p = Problems::default();
            p.add("current", "La password attuale non è corretta");
            return Err(StoreError::Invalid(p));
        }
        if current == new_password {
            let mut p = Problems::default();
            p.add(
                "password",
                "La nuova password deve essere diversa da quella attuale",
            );
            return Err(StoreError::Invalid(p));
        }
        password_problem(new_password, &a.username)?;
        let mut a = a;
        a.password_hash = hash_password(new_password, params)?;
        a.must_change = false;
        let now = self.clock().now();
        // The key slot first: if it cannot follow, the password stays as it was (the old
        // one must never keep opening the file while the account says otherwise).
        on_password_changed(self, &a.username, new_password)?;
        self.save_account_state(&a, |txn| {
            audit::append(
                txn,
                audit_record(now, Some(&a), Action::PasswordChanged, a.id, ""),
            )?;
            Ok(())
        })?;
        let permissions = self.permissions_of(&a)?;
        Ok(Session::new(&a, permissions, self.database_id()?))
    }

    /// An administrator sets a temporary password (to be changed at the next sign-in);
    /// the account is unlocked too.
    pub fn reset_password(
        &self,
        by: &Session,
        account: Id,
        temporary: &str,
        params: PasswordParams,
    ) -> Result<(), StoreError> {
        self.require(by, Permission::Account)?;
        let mut a = self
            .read()?
            .get::<Account>(account)?
            .ok_or(StoreError::NotFound(EntityKind::Account, account))?;
        password_problem(temporary, &a.username)?;
        a.password_hash = hash_password(temporary, params)?;
        a.must_change = true;
        a.failures = 0;
        a.retry_at = None;
        let now = self.clock().now();
        let mut r = by.record(now, Action::PasswordReset, EntityKind::Account, a.id, "");
        r.flagged = false;
        // The key slot first, as in `change_password`: a reset of a compromised password
        // must stop it opening the file before anything says it was reset.
        on_password_changed(self, &a.username, temporary)?;
        self.save_account_state(&a, |txn| audit::append(txn, r).map(|_| ()))
    }

    /// An administrator unlocks an account locked by wrong passwords.
    pub fn unlock_account(&self, by: &Session, account: Id) -> Result<(), StoreError> {
        self.require(by, Permission::Account)?;
        let mut a = self
            .read()?
            .get::<Account>(account)?
            .ok_or(StoreError::NotFound(EntityKind::Account, account))?;
        a.failures = 0;
        a.retry_at = None;
        let r = by.record(
            self.clock().now(),
            Action::AccountUnlocked,
            EntityKind::Account,
            a.id,
            "",
        );
        self.save_account_state(&a, |txn| audit::append(txn, r).map(|_| ()))?;
        // The key slot's failed unlocks (counted in the file, before any sign-in) too.
        if self.is_encrypted() {
            self.clear_slot_failures(&a.username)?;
        }
        Ok(())
    }

    /// An administrator deactivates or reactivates an account (never deleted). A
    /// reactivated account counts its inactivity from now.
    pub fn set_account_active(
        &self,
        by: &Session,
        account: Id,
        active: bool,
    ) -> Result<(), StoreError> {
        self.require(by, Permission::Account)?;
        if account == by.account() && !active {
            return Err(denied("Non puoi disattivare il tuo stesso account."));
        }
        let mut a = self
            .read()?
            .get::<Account>(account)?
            .ok_or(StoreError::NotFound(EntityKind::Account, account))?;
        let now = self.clock().now();
        a.active = active;
        if active {
            a.last_sign_in = Some(now);
        }
        let action = if active {
            Action::Unarchive
        } else {
            Action::AccountDeactivated
        };
        let r = by.record(now, action, EntityKind::Account, a.id, "");
        self.save_account_state(&a, |txn| audit::append(txn, r).map(|_| ()))?;
        if !active {
            self.revoke_key_slot(&a.username)?;
        }
        Ok(())
    }

    /// A deactivated account's password stops opening an encrypted database: its key slot
    /// goes (unless it is the last one, which only the recovery key could replace). Brought
    /// back, the account gets a slot again with the password an administrator resets.
    fn revoke_key_slot(&self, username: &str) -> Result<(), StoreError> {
        let names = self.key_slot_names();
        if names.len() > 1 && names.iter().any(|n| n == username) {
            self.remove_key_slot(username)?;
        }
        Ok(())
    }
}

fn password_problem(password: &str, username: &str) -> Result<(), StoreError> {
    if let Err(e) = policy::check_password(password, username) {
        let mut p = Problems::default();
        p.add("password", e);
        return Err(StoreError::Invalid(p));
    }
    Ok(())
}
