//! Realistic synthetic data for demonstrations and benchmarks (`accoglienza demo`).
//!
//! The cooperative scale reproduces the seed's 2022 figures exactly; the city scale loads
//! 200,000 people and 2,000,000 contacts in bounded memory.

mod city;
mod cooperative;
mod factory;
pub mod names;
pub mod split;

use crate::store::{Store, StoreError};
use std::fmt;

/// How much data to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// The seed's volumes, 2019–2025 (about a thousand people a year).
    Cooperative,
    /// A city-wide desk network: 200,000 people, 2,000,000 contacts over 10 years.
    City,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// People.
    pub people: u64,
    /// Households.
    pub households: u64,
    /// Operators.
    pub operators: u64,
    /// Contacts.
    pub contacts: u64,
    /// Cases.
    pub cases: u64,
    /// Projects.
    pub projects: u64,
    /// Referrals.
    pub referrals: u64,
    /// Activities.
    pub activities: u64,
}

/// Why demo data could not be generated.
#[derive(Debug)]
pub enum DemoError {
    /// The database already holds people, contacts or operators.
    NotEmpty,
    /// The store refused a write.
    Store(StoreError),
    /// The generated counts do not match the targets (a bug in the generator).
    Mismatch(String),
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DemoError::NotEmpty => f.write_str(
                "Il database contiene già dati: i dati di esempio si caricano solo in un database vuoto (usa --db con un file nuovo).",
            ),
            DemoError::Store(e) => write!(f, "{e}"),
            DemoError::Mismatch(s) => write!(f, "I dati di esempio non riproducono i conteggi attesi: {s}"),
        }
    }
}

impl std::error::Error for DemoError {}

impl From<StoreError> for DemoError {
    fn from(e: StoreError) -> Self {
        DemoError::Store(e)
    }
}

/// Progress of a long generation: (phase, done, total).
pub type Progress<'a> = &'a mut dyn FnMut(&str, u64, u64);

/// Fills an empty database with demo data.
pub fn generate(
    store: &Store,
    scale: Scale,
    seed: u64,
    progress: Progress<'_>,
) -> Result<Summary, DemoError> {
    if !store.is_empty()? {
        return Err(DemoError::NotEmpty);
    }
    match scale {
        Scale::Cooperative => cooperative::generate(store, seed, progress),
        Scale::City => city::generate(store, seed, progress),
    }
}

/// The demo's accounts, one per default role (each has the role of its name;
/// "admin" is the Amministratore); `accoglienza demo` gives each a key slot of the
/// encrypted file.
pub const DEMO_ACCOUNTS: [&str; 5] = [
    "admin",
    "coordinatore",
    "operatore",
    "sportello",
    "riunione",
];

/// The one password of every demo account (printed by `accoglienza demo` and shown on the
/// sign-in screen of a demo database only).
pub const DEMO_PASSWORD: &str = "accoglienza-demo-2022";

/// Creates the demo accounts in a demo database: one per default role, linked to an
/// operator of the demo with a matching professional role, and marks the database as a
/// demo (the sign-in screen then lists them).
pub fn create_accounts(
    store: &Store,
    params: crate::access::PasswordParams,
) -> Result<(), StoreError> {
    use crate::domain::access::role_codes;
    use crate::domain::{Operator, Role};
    let r = store.read()?;
    let roles = r.all::<Role>()?;
    let operators = r.active::<Operator>()?;
    drop(r);
    let operator_with = |codes: &[&str]| {
        operators
            .iter()
            .find(|o| {
                roles
                    .iter()
                    .any(|r| r.id == o.role && codes.contains(&r.code.as_str()))
            })
            .map(|o| o.id)
    };
    for name in DEMO_ACCOUNTS {
        let (role, operator) = match name {
            "admin" => (role_codes::ADMIN, None),
            "coordinatore" => (role_codes::COORDINATORE, operator_with(&["coordinatore"])),
            "operatore" => (
                role_codes::OPERATORE,
                operator_with(&["assistente_sociale", "educatore", "psicologo", "tutor"]),
            ),
            "sportello" => (role_codes::SPORTELLO, operator_with(&["sportello"])),
            _ => (role_codes::RIUNIONE, None),
        };
        let role = store
            .access_role(role)?
            .ok_or_else(|| StoreError::Corrupt(format!("ruolo di accesso {role} mancante")))?;
        store.create_account_unchecked(
            &crate::access::NewAccount {
                username: name.into(),
                operator,
                roles: vec![role.id],
                must_change: false,
            },
            DEMO_PASSWORD,
            params,
        )?;
    }
    store.mark_demo()
}

/// The seed's 2022 figures (DESIGN.md §3), by line code.
pub const SEED_2022: [(&str, u64); 8] = [
    ("wemi", 640),
    ("passeggiate", 10),
    ("studio", 8),
    ("tirocini", 56),
    ("map", 105),
    ("famiglie", 40),
    ("blu", 52),
    ("case_manager", 8),
];
