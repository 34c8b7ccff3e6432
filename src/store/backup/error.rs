//! Why a backup, a verification or a restore did not happen, worded for the person at the
//! desk. Every refusal leaves the live database untouched.

use crate::store::StoreError;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Everything that can go wrong with a backup file.
#[derive(Debug)]
pub enum BackupError {
    /// The file does not start like a backup of Accoglienza.
    NotABackup(PathBuf),
    /// The file ends before its content does (a copy interrupted, a USB stick pulled out).
    Truncated(PathBuf),
    /// The content does not match its checksum, or cannot be decoded.
    Damaged(PathBuf, String),
    /// Written by a newer version of the backup format.
    NewerFormat {
        /// The format version in the file.
        found: u16,
        /// The newest version this program reads.
        supported: u16,
    },
    /// Made from a database of a newer schema.
    NewerSchema {
        /// The schema version in the backup.
        found: u32,
        /// The newest schema this program reads.
        supported: u32,
    },
    /// The backup is encrypted and no passphrase was given.
    NeedsPassphrase,
    /// The backup was made from an encrypted database whose keys are not open here.
    NeedsKey,
    /// The passphrase does not open the file (or the encryption header is damaged).
    WrongPassphrase,
    /// The encryption asks for more key-derivation work than we accept from a file.
    ExcessiveWork {
        /// The work factor (log2 N) the file asks for.
        required: u8,
        /// The highest we accept.
        max: u8,
    },
    /// The passphrase is not acceptable (empty, too short, the two entries differ).
    BadPassphrase(String),
    /// The destination cannot be written (folder missing, read-only, permission).
    Destination(PathBuf, std::io::Error),
    /// The disk filled up while writing.
    DiskFull(PathBuf),
    /// Reading or writing a file failed.
    Io(PathBuf, std::io::Error),
    /// The restored database did not pass the full check; it was discarded.
    CheckFailed(Vec<String>),
    /// Another part of the program is using the database (a job still running).
    Busy,
    /// The database swap failed and the previous database could not be reopened either.
    /// The program must be restarted; no data is lost (see the paths).
    Fatal(String),
    /// The store refused (already open elsewhere, I/O error…).
    Store(StoreError),
    /// The destination is the database, one of its safety copies, or a folder.
    Refused(crate::store::output::OutputRefused),
    /// The destination holds a backup with more records than the new one; replacing it
    /// needs a confirmation (`--replace-larger`). Nothing was replaced.
    WouldReplaceLarger {
        /// The destination.
        path: PathBuf,
        /// What it holds.
        existing: ExistingBackup,
        /// Records in the new backup.
        new_records: u64,
    },
    /// The backup just written does not read back as a valid backup; it was discarded and
    /// the previous file under that name is untouched.
    WrittenBadly(PathBuf, String),
}

/// A backup file about to be replaced by a smaller one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingBackup {
    /// Its records (all tables, audit included); `None` when it is encrypted with another
    /// passphrase and was judged by its size.
    pub records: Option<u64>,
    /// Its size in bytes.
    pub bytes: u64,
    /// When it was made, when known.
    pub created_at: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::NotABackup(p) => write!(
                f,
                "Il file {} non è un backup di Accoglienza.",
                p.display()
            ),
            BackupError::Truncated(p) => write!(
                f,
                "Il backup {} è incompleto: il file finisce prima del previsto (copia interrotta?). Non è stato usato.",
                p.display()
            ),
            BackupError::Damaged(p, why) => write!(
                f,
                "Il backup {} è danneggiato ({why}). Non è stato usato.",
                p.display()
            ),
            BackupError::NewerFormat { found, supported } => write!(
                f,
                "Il backup è stato creato da una versione più recente di Accoglienza (formato {found}, questa versione legge fino al formato {supported}). Aggiorna il programma."
            ),
            BackupError::NewerSchema { found, supported } => write!(
                f,
                "Il backup viene da un database di una versione più recente di Accoglienza (schema {found}, questa versione legge fino allo schema {supported}). Aggiorna il programma."
            ),
            BackupError::NeedsPassphrase => {
                f.write_str("Il backup è cifrato: serve la passphrase con cui è stato creato.")
            }
            BackupError::NeedsKey => f.write_str(
                "Il backup viene da un database cifrato: per aprirlo servono il nome utente e la password di un account di quel database (--user NOME con --password-file FILE) oppure la sua chiave di recupero (--recovery-key-file FILE).",
            ),
            BackupError::WrongPassphrase => f.write_str(
                "Passphrase errata: il backup non si apre con questa passphrase (oppure l'intestazione della cifratura è danneggiata).",
            ),
            BackupError::ExcessiveWork { required, max } => write!(
                f,
                "Il file chiede una decifratura troppo onerosa (fattore 2^{required}, massimo accettato 2^{max}): rifiutato per non bloccare il programma."
            ),
            BackupError::BadPassphrase(why) => write!(f, "Passphrase non valida: {why}"),
            BackupError::Destination(p, e) => write!(
                f,
                "Impossibile scrivere in {}: {}. Scegli un'altra cartella o controlla i permessi.",
                p.display(),
                io_it(e)
            ),
            BackupError::DiskFull(p) => write!(
                f,
                "Spazio esaurito sul disco di {} durante la scrittura: nessun file è stato lasciato a metà. Libera spazio o scegli un altro disco.",
                p.display()
            ),
            BackupError::Io(p, e) => write!(f, "Errore su {}: {}", p.display(), io_it(e)),
            BackupError::CheckFailed(problems) => write!(
                f,
                "Il database ricostruito dal backup non ha superato il controllo ({} problemi: {}). Il database attuale non è stato toccato.",
                problems.len(),
                problems
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            BackupError::Busy => f.write_str(
                "Un'altra operazione sta usando il database (per esempio un backup o un'esportazione in corso). Attendi che finisca e riprova.",
            ),
            BackupError::Fatal(s) => write!(
                f,
                "Il ripristino non è riuscito e il database non si riapre: {s}. Chiudi e riapri il programma; nessun dato è andato perso."
            ),
            BackupError::Store(e) => write!(f, "{e}"),
            BackupError::Refused(e) => write!(f, "{e}"),
            BackupError::WouldReplaceLarger {
                path,
                existing,
                new_records,
            } => {
                let what = match (existing.records, existing.created_at) {
                    (Some(n), Some(at)) => format!(
                        "un backup del {} con {n} record, più dei {new_records} di quello nuovo",
                        at.format("%d/%m/%Y %H:%M")
                    ),
                    (Some(n), None) => {
                        format!("un backup con {n} record, più dei {new_records} di quello nuovo")
                    }
                    _ => format!(
                        "un backup cifrato con un'altra passphrase, più grande di quello nuovo ({} byte)",
                        existing.bytes
                    ),
                };
                write!(
                    f,
                    "Il file {} contiene già {what}: sostituirlo perderebbe dati (database sbagliato?). Il file esistente non è stato toccato. Scegli un altro nome, oppure conferma la sostituzione (da riga di comando: --replace-larger).",
                    path.display()
                )
            }
            BackupError::WrittenBadly(p, why) => write!(
                f,
                "Il backup appena scritto per {} non si rilegge correttamente ({why}): è stato scartato e il file precedente con quel nome non è stato toccato.",
                p.display()
            ),
        }
    }
}

impl std::error::Error for BackupError {}

impl From<StoreError> for BackupError {
    fn from(e: StoreError) -> Self {
        BackupError::Store(e)
    }
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for BackupError {
            fn from(e: $t) -> Self {
                BackupError::Store(StoreError::from(e))
            }
        }
    )*};
}

from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError
);

/// True when the error means the disk (or the quota) is full.
pub(crate) fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    ) || e.raw_os_error() == Some(27) // EFBIG: file size limit
}

/// An I/O error in Italian, with the system's words after it.
pub(crate) fn io_it(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "file o cartella inesistente",
        K::PermissionDenied => "permesso negato",
        K::AlreadyExists => "il file esiste già",
        K::StorageFull | K::QuotaExceeded => "spazio esaurito",
        K::ReadOnlyFilesystem => "disco in sola lettura",
        K::NotADirectory => "il percorso non è una cartella",
        K::IsADirectory => "è una cartella, non un file",
        K::UnexpectedEof => "il file finisce prima del previsto",
        K::InvalidInput | K::InvalidData => "dati non validi",
        _ => "errore di lettura o scrittura",
    };
    format!("{what} ({e})")
}

/// Classifies an error met while reading the content.
pub(crate) fn read_error(path: &Path, e: io::Error) -> BackupError {
    if e.raw_os_error().is_some() {
        return BackupError::Io(path.into(), e);
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => BackupError::Truncated(path.into()),
        io::ErrorKind::InvalidData if e.to_string().contains("truncated") => {
            BackupError::Truncated(path.into())
        }
        io::ErrorKind::InvalidData => BackupError::Damaged(
            path.into(),
            format!("la parte cifrata non si decifra: file alterato o incompleto ({e})"),
        ),
        _ => BackupError::Damaged(path.into(), format!("dati compressi non validi ({e})")),
    }
}
