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
        }
    }
}

impl std::error::Error for StoreError {}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Db(e.to_string())
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
