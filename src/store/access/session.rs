//! A signed-in session, and the view the store reads and writes through for it.

use crate::domain::access::{Sees, Sensitivity, area_sensitivity};
use crate::domain::*;
use crate::store::derived;
use crate::store::privacy::restriction;
use crate::store::{Reader, StoreError, codec};
use redb::ReadableTable;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Proof that an account signed in with its password: only [`super::sign_in`] (and a
/// password change) make one. Cheap to clone; the window and its background jobs share
/// it. Ends when dropped (sign-out, lock).
#[derive(Clone)]
pub struct Session(Arc<Inner>);

struct Inner {
    account: Id,
    username: String,
    operator: Option<Id>,
    permissions: Permissions,
    database: Id,
    must_change: bool,
    /// People and households opened by an extraordinary access.
    grants: Mutex<HashSet<Id>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("username", &self.0.username)
            .field("permissions", &self.0.permissions)
            .finish()
    }
}

impl Session {
    pub(crate) fn new(a: &Account, permissions: Permissions, database: Id) -> Session {
        Session(Arc::new(Inner {
            account: a.id,
            username: a.username.clone(),
            operator: a.operator,
            permissions,
            database,
            must_change: a.must_change,
            grants: Mutex::new(HashSet::new()),
        }))
    }

    /// The account.
    pub fn account(&self) -> Id {
        self.0.account
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.0.username
    }

    /// The operator the account belongs to (writes are attributed to them).
    pub fn operator(&self) -> Option<Id> {
        self.0.operator
    }

    /// The union of the account's roles' permissions at sign-in.
    pub fn permissions(&self) -> Permissions {
        self.0.permissions
    }

    /// True when the role allows `p` everywhere.
    pub fn may(&self, p: Permission) -> bool {
        self.0.permissions.has(p)
    }

    /// The password must be changed before anything else.
    pub fn must_change(&self) -> bool {
        self.0.must_change
    }

    /// True when an extraordinary access opened this person or household.
    pub fn granted(&self, subject: Id) -> bool {
        self.0
            .grants
            .lock()
            .map(|g| g.contains(&subject))
            .unwrap_or(false)
    }

    pub(crate) fn grant(&self, subject: Id) {
        if let Ok(mut g) = self.0.grants.lock() {
            g.insert(subject);
        }
    }

    pub(crate) fn check_database(&self, database: Id) -> Result<(), StoreError> {
        if database != self.0.database {
            return Err(super::denied(
                "La sessione appartiene a un altro database: accedi di nuovo.",
            ));
        }
        Ok(())
    }

    /// An audit entry on behalf of this session.
    pub(crate) fn record(
        &self,
        at: chrono::NaiveDateTime,
        action: Action,
        kind: EntityKind,
        entity: Id,
        detail: &str,
    ) -> AuditRecord {
        AuditRecord {
            at,
            operator: self.0.operator.unwrap_or(Id::NIL),
            account: self.0.account,
            action,
            kind,
            entity,
            count: 1,
            detail: detail.into(),
            flagged: false,
        }
    }
}

/// The permission needed to read a kind of record (`None`: anyone signed in, such as the
/// catalogue and the team's names).
pub fn read_permission(kind: EntityKind) -> Option<Permission> {
    use EntityKind as K;
    match kind {
        K::Person | K::Household => Some(Permission::Anagrafica),
        K::Contact | K::Appointment => Some(Permission::Accessi),
        K::Case => Some(Permission::PreseInCarico),
        K::Project => Some(Permission::Progetti),
        K::Referral => Some(Permission::Invii),
        K::Activity => Some(Permission::Attivita),
        K::Account | K::AccessRole => Some(Permission::Account),
        K::PrivacyEntry => Some(Permission::Anagrafica),
        // Pratiche are followed at the desks (the WeMi desks' Sportello role).
        K::Pratica => Some(Permission::Accessi),
        // A document is read with its owner's permission (`Entity::access_kind`).
        K::Document => None,
        K::Operator
        | K::Purpose
        | K::DocumentKind
        | K::Bando
        | K::Area
        | K::ServiceLine
        | K::Desk
        | K::Measure
        | K::TerritorialService
        | K::Role => None,
    }
}

/// The permission needed to write a kind of record.
pub fn write_permission(kind: EntityKind) -> Permission {
    use EntityKind as K;
    match kind {
        K::Operator => Permission::Equipe,
        K::Area
        | K::ServiceLine
        | K::Desk
        | K::Measure
        | K::TerritorialService
        | K::Role
        | K::Purpose
        | K::DocumentKind
        | K::Bando => Permission::Catalogo,
        K::Document => Permission::Anagrafica,
        other => read_permission(other).unwrap_or(Permission::Account),
    }
}

fn plural(kind: EntityKind) -> &'static str {
    use EntityKind as K;
    match kind {
        K::Person => "le persone",
        K::Household => "i nuclei familiari",
        K::Contact => "gli accessi",
        K::Case => "le prese in carico",
        K::Project => "i progetti",
        K::Referral => "gli invii alla rete",
        K::Activity => "le attività di gruppo",
        K::Operator => "l'équipe",
        K::Account => "gli account",
        K::AccessRole => "i ruoli di accesso",
        K::PrivacyEntry => "il registro privacy delle persone",
        K::Appointment => "gli appuntamenti",
        K::Pratica => "le pratiche",
        K::Document => "i documenti allegati",
        _ => "il catalogo",
    }
}

/// What the store sees through for one session: its permissions and grants, and the
/// sensitivity of every service line (from its area).
#[derive(Clone)]
pub(crate) struct View {
    session: Session,
    lines: Arc<HashMap<Id, Sensitivity>>,
    /// The people whose processing is restricted (art. 18), when the session may not see
    /// them: they and every record about them are left out of lists and refused by id.
    hidden: Arc<HashSet<Id>>,
}

impl View {
    /// The view of a session over a snapshot (the system's reader, no view yet).
    pub(crate) fn new(session: Session, r: &Reader) -> Result<View, StoreError> {
        let areas: HashMap<Id, Sensitivity> = r
            .all::<Area>()?
            .into_iter()
            .map(|a| (a.id, area_sensitivity(&a.code)))
            .collect();
        let lines = r
            .all::<ServiceLine>()?
            .into_iter()
            .map(|l| (l.id, areas.get(&l.area).copied().unwrap_or_default()))
            .collect();
        let sees_restricted = restriction::sees_restricted(&session);
        let hidden = if sees_restricted {
            HashSet::new()
        } else {
            restriction::restricted_people(
                &r.txn().open_table(derived::DERIVED)?,
                &r.txn().open_table(crate::store::tables::records::PRIVACY)?,
            )?
        };
        Ok(View {
            session,
            lines: Arc::new(lines),
            hidden: Arc::new(hidden),
        })
    }

    /// True when the record about `about` belongs to a person whose processing is
    /// restricted and this session may not see them.
    pub(crate) fn hides(&self, about: Option<Id>) -> bool {
        about.is_some_and(|a| self.hidden.contains(&a))
    }

    pub(crate) fn session(&self) -> &Session {
        &self.session
    }

    /// The permission is granted, everywhere or for this subject (extraordinary access).
    pub(crate) fn may(&self, p: Permission, subject: Option<Id>) -> bool {
        self.session.may(p)
            || subject
                .is_some_and(|s| Permissions::case_content().has(p) && self.session.granted(s))
    }

    pub(crate) fn line(&self, line: Id) -> Sensitivity {
        self.lines.get(&line).copied().unwrap_or_default()
    }

    /// Refuses reading a kind (for one subject, or all of them) the session may not read.
    pub(crate) fn check_read(
        &self,
        kind: EntityKind,
        subject: Option<Id>,
    ) -> Result<(), StoreError> {
        match read_permission(kind) {
            Some(p) if !self.may(p, subject) => Err(super::denied(format!(
                "Il tuo ruolo non permette di vedere {} (serve il permesso «{}»). Se serve per una persona in particolare, usa «Accesso straordinario» e indica il motivo: resterà nel registro.",
                plural(kind),
                p.label()
            ))),
            _ => Ok(()),
        }
    }

    /// Refuses writing a kind the session may not write.
    pub(crate) fn check_write(
        &self,
        kind: EntityKind,
        subject: Option<Id>,
    ) -> Result<(), StoreError> {
        let p = write_permission(kind);
        if !self.may(p, subject) {
            return Err(super::denied(format!(
                "Il tuo ruolo non permette di modificare {} (serve il permesso «{}»).",
                plural(kind),
                p.label()
            )));
        }
        Ok(())
    }

    /// Refuses something that needs a permission with no subject (the dashboard, the log).
    pub(crate) fn check(&self, p: Permission) -> Result<(), StoreError> {
        if !self.session.may(p) {
            return Err(super::denied(format!(
                "Operazione non permessa al tuo ruolo: serve il permesso «{}».",
                p.label()
            )));
        }
        Ok(())
    }
}

/// The visibility questions answered for a view, with the lookup of a subject's cases.
pub(crate) struct Eyes<'a> {
    pub(crate) view: &'a View,
    pub(crate) referente: &'a dyn Fn(Subject, Id) -> bool,
}

impl Sees for Eyes<'_> {
    fn may(&self, p: Permission, subject: Option<Id>) -> bool {
        self.view.may(p, subject)
    }
    fn operator(&self) -> Option<Id> {
        self.view.session.operator()
    }
    fn line(&self, line: Id) -> Sensitivity {
        self.view.line(line)
    }
    fn is_referente(&self, subject: Subject) -> bool {
        match self.view.session.operator() {
            Some(op) => (self.referente)(subject, op),
            None => false,
        }
    }
}

/// True when `op` is the referente of a case about `subject` that is not archived (index
/// and case tables of the caller's transaction).
pub(crate) fn referente_of(
    idx: &impl ReadableTable<&'static [u8], &'static [u8]>,
    cases: &impl ReadableTable<u128, &'static [u8]>,
    subject: Subject,
    op: Id,
) -> bool {
    let Ok(ids) = derived::subject_ids(idx, EntityKind::Case.code(), subject.id().0) else {
        return false;
    };
    ids.into_iter().any(|id| {
        cases
            .get(id)
            .ok()
            .flatten()
            .and_then(|v| codec::decode::<Case>(v.value()).ok())
            .is_some_and(|c| c.referente == Some(op) && !c.archived)
    })
}
