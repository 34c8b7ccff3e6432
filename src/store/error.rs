//! Store errors, worded for the person at the desk.

use crate::domain::{EntityKind, Id, Problems};
use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Debug)]
pub enum StoreError {
    /// Another window or command already has the database open.
    AlreadyOpen(PathBuf),
    /// No database at this path (missing or an empty file), and none was created.
    Missing(PathBuf),
    /// The file is not an Accoglienza database (or is damaged beyond opening).
    NotADatabase(PathBuf, String),
    /// The file was written by a newer version of the program.
    NewerSchema {
        /// The schema version in the file.
        found: u32,
        /// The newest version this program reads.
        supported: u32,
    },
    /// The record is not valid; nothing was written.
    Invalid(Problems),
    /// No record with this id.
    NotFound(EntityKind, Id),
    /// A record with this id already exists.
    Duplicate(EntityKind, Id),
    /// A stored record or index is inconsistent.
    Corrupt(String),
    /// The storage engine failed (disk full, I/O error, …).
    Db(String),
    /// The signed-in account may not do this (its roles, or a password to change first).
    Denied(String),
    /// The database is encrypted and was opened without a key.
    Encrypted(PathBuf),
    /// Wrong account name, password or recovery key: the database stays closed and nothing
    /// was written.
    WrongPassword,
    /// Part of an encrypted database does not authenticate: changed outside the program
    /// (or damaged). Nothing was written.
    Tampered {
        /// What failed (in Italian, e.g. "blocchi del file").
        what: String,
    },
    /// Keys or encryption settings could not be used (too many slots, a malformed recovery
    /// key, …).
    Crypt(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::AlreadyOpen(p) => write!(
                f,
                "Il database {} è già aperto da un'altra finestra o da un altro programma. Chiudi l'altra istanza e riprova.",
                p.display()
            ),
            StoreError::Missing(p) => write!(
                f,
                "Il database {} non esiste (o è un file vuoto): controlla il percorso indicato con --db. Non è stato creato nessun file. Per un database nuovo apri il programma senza comandi oppure usa `accoglienza demo`.",
                p.display()
            ),
            StoreError::NotADatabase(p, why) => {
                write!(
                    f,
                    "Il file {} non è un database di Accoglienza leggibile ({why}).",
                    p.display()
                )
            }
            StoreError::NewerSchema { found, supported } => write!(
                f,
                "Il database è stato scritto da una versione più recente del programma (schema {found}, questa versione legge fino allo schema {supported}). Aggiorna Accoglienza."
            ),
            StoreError::Invalid(p) => write!(f, "Dati non validi: {p}"),
            StoreError::NotFound(k, id) => write!(
                f,
                "Nessun record di tipo {} con identificativo {id}",
                k.label()
            ),
            StoreError::Duplicate(k, id) => write!(
                f,
                "Esiste già un record di tipo {} con identificativo {id}",
                k.label()
            ),
            StoreError::Corrupt(s) => write!(f, "Il database è incoerente: {s}"),
            StoreError::Db(s) => write!(f, "Errore del database: {s}"),
            StoreError::Denied(s) => write!(f, "Accesso negato. {s}"),
            StoreError::Encrypted(p) => write!(
                f,
                "Il database {} è cifrato: per aprirlo servono il nome utente e la password di un account (--user NOME, con la password chiesta al prompt o letta da --password-file FILE) oppure la chiave di recupero (--recovery-key-file FILE).",
                p.display()
            ),
            StoreError::WrongPassword => f.write_str(
                "Nome utente, password o chiave di recupero errati: il database resta chiuso e non è stato scritto nulla.",
            ),
            StoreError::Tampered { what } => write!(
                f,
                "Il database cifrato risulta alterato ({what}): il file è stato modificato fuori dal programma o è danneggiato. Non è stato scritto nulla; ripristina l'ultimo backup."
            ),
            StoreError::Crypt(s) => write!(f, "Cifratura del database: {s}"),
        }
    }
}

impl std::error::Error for StoreError {}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                let text = e.to_string();
                if super::crypt::is_tampering(&text) {
                    StoreError::Tampered {
                        what: "blocchi del file".into(),
                    }
                } else {
                    StoreError::Db(text)
                }
            }
        }
    )*};
}

from_redb!(
    redb::Error,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError
);

impl From<super::codec::CodecError> for StoreError {
    fn from(e: super::codec::CodecError) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

impl From<Problems> for StoreError {
    fn from(p: Problems) -> Self {
        StoreError::Invalid(p)
    }
}
