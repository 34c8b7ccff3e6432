//! Who may see and do what: personal accounts, roles as data with their permissions, the
//! password rules, the sign-in lock-out policy, and which parts of a record each permission
//! uncovers. Plain types and pure functions; the store enforces them (`store::access`).

use super::catalogue::validate_entry;
use super::contact::Subject;
use super::ids::Id;
use super::validate::{Problems, optional_text};
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

mod visibility;
pub use visibility::*;

/// One thing a role may do. Stored as a bit of [`Permissions`]: append only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// People and households (anagrafica).
    Anagrafica,
    /// Contacts (accessi).
    Accessi,
    /// Cases (prese in carico).
    PreseInCarico,
    /// Projects.
    Progetti,
    /// Referrals to the network.
    Invii,
    /// Group activities.
    Attivita,
    /// The team's operators (write; everyone reads names).
    Equipe,
    /// The catalogue (write; everyone reads it).
    Catalogo,
    /// The dashboard's aggregates.
    Cruscotto,
    /// Exports, reports and charts.
    Esportazioni,
    /// GDPR art. 9 content: health and disability notes and fields.
    Art9,
    /// GDPR art. 10 content: messa alla prova and other judicial data.
    Art10,
    /// Notes written by other operators.
    NoteAltrui,
    /// Confidential notes of others (without being their author or the case's referente).
    NoteRiservate,
    /// Accounts and roles.
    Account,
    /// Backup and restore.
    Backup,
    /// The access log (Registro accessi).
    Registro,
}

impl Permission {
    /// Every permission, in display order.
    pub const ALL: [Permission; 17] = [
        Permission::Anagrafica,
        Permission::Accessi,
        Permission::PreseInCarico,
        Permission::Progetti,
        Permission::Invii,
        Permission::Attivita,
        Permission::Equipe,
        Permission::Catalogo,
        Permission::Cruscotto,
        Permission::Esportazioni,
        Permission::Art9,
        Permission::Art10,
        Permission::NoteAltrui,
        Permission::NoteRiservate,
        Permission::Account,
        Permission::Backup,
        Permission::Registro,
    ];

    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// The Italian label (Impostazioni, refusals).
    pub fn label(self) -> &'static str {
        match self {
            Permission::Anagrafica => "anagrafica di persone e nuclei",
            Permission::Accessi => "accessi",
            Permission::PreseInCarico => "prese in carico",
            Permission::Progetti => "progetti",
            Permission::Invii => "invii alla rete",
            Permission::Attivita => "attività di gruppo",
            Permission::Equipe => "équipe (modifica)",
            Permission::Catalogo => "catalogo (modifica)",
            Permission::Cruscotto => "cruscotto (dati aggregati)",
            Permission::Esportazioni => "esportazioni, rapporti e stampe",
            Permission::Art9 => "dati sanitari e sulla disabilità (art. 9)",
            Permission::Art10 => "dati giudiziari, messa alla prova (art. 10)",
            Permission::NoteAltrui => "note di altri operatori",
            Permission::NoteRiservate => "note riservate di altri",
            Permission::Account => "account e ruoli",
            Permission::Backup => "backup e ripristino",
            Permission::Registro => "registro accessi",
        }
    }
}

/// A set of permissions (one bit each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Permissions(pub u32);

impl Permissions {
    /// The set of these permissions.
    pub fn of(list: &[Permission]) -> Permissions {
        Permissions(list.iter().fold(0, |a, p| a | p.bit()))
    }

    /// True when `p` is in the set.
    pub fn has(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    /// Adds or removes one permission.
    pub fn set(&mut self, p: Permission, on: bool) {
        if on {
            self.0 |= p.bit();
        } else {
            self.0 &= !p.bit();
        }
    }

    /// Both sets together.
    pub fn union(self, other: Permissions) -> Permissions {
        Permissions(self.0 | other.0)
    }

    /// The permissions in the set, in display order.
    pub fn list(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.has(*p))
    }

    /// What an extraordinary access opens on one person or household: every case content.
    pub fn case_content() -> Permissions {
        Permissions::of(&[
            Permission::Anagrafica,
            Permission::Accessi,
            Permission::PreseInCarico,
            Permission::Progetti,
            Permission::Invii,
            Permission::Attivita,
            Permission::Art9,
            Permission::Art10,
            Permission::NoteAltrui,
            Permission::NoteRiservate,
        ])
    }
}

/// An application role (who may do what), as data: editable by an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRole {
    /// Identifier.
    pub id: Id,
    /// Short stable code ("amministratore", "sportello", …).
    pub code: String,
    /// Name shown.
    pub name: String,
    /// What the role may do.
    pub permissions: Permissions,
    /// Archived roles give nothing.
    pub archived: bool,
}

impl AccessRole {
    /// Validates the role.
    pub fn validate(&self) -> Problems {
        validate_entry(&self.code, &self.name)
    }
}

/// The codes of the default roles.
pub mod role_codes {
    /// Amministratore.
    pub const ADMIN: &str = "amministratore";
    /// Coordinatore.
    pub const COORDINATORE: &str = "coordinatore";
    /// Operatore (assistente sociale, educatore, psicologo, tutor).
    pub const OPERATORE: &str = "operatore";
    /// Sportello (front desk).
    pub const SPORTELLO: &str = "sportello";
    /// Riunione (dashboard aggregates only).
    pub const RIUNIONE: &str = "riunione";
}

/// The default roles: Amministratore, Coordinatore, Operatore, Sportello, Riunione.
pub fn default_roles() -> Vec<AccessRole> {
    use Permission::*;
    let role = |code: &str, name: &str, perms: &[Permission]| AccessRole {
        id: Id::new(),
        code: code.into(),
        name: name.into(),
        permissions: Permissions::of(perms),
        archived: false,
    };
    vec![
        role(
            role_codes::ADMIN,
            "Amministratore",
            &[Account, Backup, Registro, Catalogo, Equipe, Cruscotto],
        ),
        role(
            role_codes::COORDINATORE,
            "Coordinatore",
            &[
                Anagrafica,
                Accessi,
                PreseInCarico,
                Progetti,
                Invii,
                Attivita,
                Equipe,
                Cruscotto,
                Esportazioni,
                Art9,
                Art10,
                NoteAltrui,
                NoteRiservate,
                Registro,
            ],
        ),
        role(
            role_codes::OPERATORE,
            "Operatore",
            &[
                Anagrafica,
                Accessi,
                PreseInCarico,
                Progetti,
                Invii,
                Attivita,
                Cruscotto,
                Art9,
                NoteAltrui,
            ],
        ),
        role(role_codes::SPORTELLO, "Sportello", &[Anagrafica, Accessi]),
        role(role_codes::RIUNIONE, "Riunione", &[Cruscotto]),
    ]
}

/// A personal account. Never deleted: deactivated accounts stay so the audit keeps its
/// meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Identifier.
    pub id: Id,
    /// The name typed at sign-in (lower case).
    pub username: String,
    /// The operator of the team this account belongs to (writes are attributed to them).
    pub operator: Option<Id>,
    /// Application roles ([`AccessRole`] ids): the permissions are their union.
    pub roles: Vec<Id>,
    /// Argon2id PHC string of the password.
    pub password_hash: String,
    /// The password must be changed at the next sign-in (new account, reset).
    pub must_change: bool,
    /// Deactivated accounts cannot sign in.
    pub active: bool,
    /// When the account was created.
    pub created: NaiveDateTime,
    /// The last successful sign-in.
    pub last_sign_in: Option<NaiveDateTime>,
    /// Wrong passwords in a row.
    pub failures: u32,
    /// No attempt before this moment (growing delay or lock-out).
    pub retry_at: Option<NaiveDateTime>,
}

impl Account {
    /// Validates the account (the password is checked apart, before hashing).
    pub fn validate(&self) -> Problems {
        let mut p = Problems::default();
        if let Err(e) = check_username(&self.username) {
            p.add("username", e);
        }
        if self.roles.is_empty() {
            p.add("roles", "Assegna almeno un ruolo all'account");
        }
        if !self.password_hash.starts_with("$argon2id$") {
            p.add("password", "La password dell'account non è impostata");
        }
        optional_text(&mut p, "username", "Il nome utente", &self.username, 32);
        p
    }

    /// True when too many wrong passwords have locked the account at `now`.
    pub fn locked_at(&self, now: NaiveDateTime, policy: &LockoutPolicy) -> bool {
        self.failures >= policy.lock_after && self.retry_at.is_some_and(|t| now < t)
    }

    /// True when the account was not used for longer than `days` at `now`.
    pub fn unused_since(&self, now: NaiveDateTime, days: i64) -> bool {
        let last = self.last_sign_in.unwrap_or(self.created);
        now - last > Duration::days(days)
    }
}

/// Checks a username: 3–32 characters, lower-case letters, digits, `.`, `-`, `_`.
pub fn check_username(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if !(3..=32).contains(&n) {
        return Err("Il nome utente deve avere da 3 a 32 caratteri".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Err(
            "Il nome utente può contenere solo lettere minuscole, cifre, punto, - e _".into(),
        );
    }
    Ok(())
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A small list of passwords everyone tries first (one a line, lower case), embedded.
const COMMON_PASSWORDS: &str = include_str!("../../../assets/common-passwords.txt");

/// True when the password (compared in lower case) is on the embedded list of common ones.
pub fn is_common_password(password: &str) -> bool {
    let p = password.trim().to_lowercase();
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .any(|c| !c.is_empty() && !c.starts_with('#') && c == p)
}

/// The password rules: at least 12 characters, not a common password, not the username,
/// not one character repeated. The message says what to change, in Italian.
pub fn check_password(password: &str, username: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!(
            "La password deve avere almeno {MIN_PASSWORD_CHARS} caratteri (ne ha {n})"
        ));
    }
    if is_common_password(password) {
        return Err(
            "Questa password è tra le più usate e si indovina subito: scegline un'altra".into(),
        );
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err("La password non può contenere il nome utente".into());
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return Err("La password non può essere un solo carattere ripetuto".into());
    }
    Ok(())
}

/// Wrong passwords: how long to wait before the next attempt, and when the account locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Wrong passwords in a row that lock the account.
    pub lock_after: u32,
    /// How long a lock lasts (an administrator can unlock sooner).
    pub lock_minutes: i64,
    /// The longest delay between attempts before the lock.
    pub max_delay_secs: i64,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            lock_after: 5,
            lock_minutes: 15,
            max_delay_secs: 30,
        }
    }
}

impl LockoutPolicy {
    /// After `failures` wrong passwords in a row: seconds to wait before the next attempt
    /// (1, 2, 4, 8 … up to the maximum), or the lock's length once `lock_after` is reached.
    pub fn wait_after(&self, failures: u32) -> Duration {
        if failures == 0 {
            Duration::zero()
        } else if failures >= self.lock_after {
            Duration::minutes(self.lock_minutes)
        } else {
            let secs = 1i64 << (failures - 1).min(20);
            Duration::seconds(secs.min(self.max_delay_secs))
        }
    }
}

/// Accounts unused for this many days are deactivated (about six months), unless the
/// database says otherwise.
pub const DEFAULT_INACTIVE_DAYS: i64 = 183;

/// Minutes without input before the window locks, unless the workstation says otherwise.
pub const DEFAULT_IDLE_MINUTES: u32 = 5;

/// What kind of access to personal data is logged (the reads that matter, and the
/// account's own events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessKind {
    /// A person's cartella was opened.
    Cartella,
    /// Confidential notes were shown.
    NoteRiservate,
    /// Records were exported.
    Esportazione,
    /// A report or a chart was produced.
    Rapporto,
    /// A document was printed.
    Stampa,
    /// A backup was made.
    Backup,
    /// A backup was restored.
    Ripristino,
    /// The access log itself was exported.
    Registro,
}

impl AccessKind {
    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            AccessKind::Cartella => "apertura cartella",
            AccessKind::NoteRiservate => "lettura note riservate",
            AccessKind::Esportazione => "esportazione",
            AccessKind::Rapporto => "rapporto o grafico",
            AccessKind::Stampa => "stampa",
            AccessKind::Backup => "backup",
            AccessKind::Ripristino => "ripristino",
            AccessKind::Registro => "esportazione del registro accessi",
        }
    }
}

/// The subject of a record as an id (people and households alike).
pub fn subject_id(s: Subject) -> Id {
    s.id()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert!(check_password("corta", "anna").unwrap_err().contains("12"));
        assert!(
            check_password("password1234", "anna")
                .unwrap_err()
                .contains("più usate")
        );
        assert!(
            check_password("PASSWORD1234", "anna").is_err(),
            "case does not matter"
        );
        assert!(check_password("anna.verdi-1234!", "anna.verdi").is_err());
        assert!(check_password("aaaaaaaaaaaaaa", "anna").is_err());
        assert!(check_password("tre gatti sul tetto", "anna").is_ok());
    }

    #[test]
    fn delay_grows_then_locks() {
        let p = LockoutPolicy::default();
        let waits: Vec<i64> = (0..=5).map(|n| p.wait_after(n).num_seconds()).collect();
        assert_eq!(waits, vec![0, 1, 2, 4, 8, 15 * 60]);
        assert_eq!(
            LockoutPolicy {
                lock_after: 20,
                ..p
            }
            .wait_after(10)
            .num_seconds(),
            30,
            "capped before the lock"
        );
    }

    #[test]
    fn permissions_set_and_list() {
        let mut p = Permissions::of(&[Permission::Art9, Permission::Cruscotto]);
        assert!(p.has(Permission::Art9) && !p.has(Permission::Art10));
        p.set(Permission::Art10, true);
        p.set(Permission::Art9, false);
        assert_eq!(
            p.list().collect::<Vec<_>>(),
            vec![Permission::Cruscotto, Permission::Art10]
        );
    }

    #[test]
    fn default_roles_keep_case_content_from_the_front_desk_and_the_meeting() {
        let roles = default_roles();
        let of = |code: &str| roles.iter().find(|r| r.code == code).unwrap().permissions;
        assert!(!of(role_codes::SPORTELLO).has(Permission::PreseInCarico));
        assert!(!of(role_codes::SPORTELLO).has(Permission::NoteAltrui));
        assert_eq!(
            of(role_codes::RIUNIONE).list().collect::<Vec<_>>(),
            vec![Permission::Cruscotto]
        );
        assert!(!of(role_codes::ADMIN).has(Permission::PreseInCarico));
        assert!(of(role_codes::COORDINATORE).has(Permission::Art10));
    }
}
