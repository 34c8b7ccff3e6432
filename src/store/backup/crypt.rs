//! The optional age layer around a backup: scrypt passphrase encryption when writing, and
//! recognising, refusing or decrypting an encrypted file when reading. What it wraps is the
//! container of `format.rs`. See docs/BACKUP_FORMAT.md.

use super::error::{BackupError, read_error};
use age::secrecy::SecretString;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

/// The scrypt work factor (log2 N) used when encrypting: N = 2^17, r = 8, p = 1 (128 MiB,
/// about half a second on an office PC).
pub const WORK_FACTOR: u8 = 17;
/// The highest scrypt work factor accepted from a file (2^18: 256 MiB, about a second):
/// a hostile file cannot make the program spend minutes and gigabytes before failing.
pub const MAX_WORK_FACTOR: u8 = 18;
const AGE_MAGIC: &[u8] = b"age-encryption.org/";
const AGE_ARMOR: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// The optional encryption layer.
pub(crate) enum Sink<W: Write> {
    /// Not encrypted: bytes go straight to the writer.
    Plain(W),
    /// Encrypted with a passphrase (age, scrypt).
    Age(age::stream::StreamWriter<W>),
}

impl<W: Write> Sink<W> {
    /// Encrypts into `out` with the passphrase, if one is given, at the given work factor.
    pub(crate) fn new(out: W, pass: Option<&SecretString>, work_factor: u8) -> io::Result<Self> {
        match pass {
            None => Ok(Sink::Plain(out)),
            Some(p) => {
                let mut r = age::scrypt::Recipient::new(p.clone());
                r.set_work_factor(work_factor.clamp(1, 30));
                let enc = age::Encryptor::with_recipients(std::iter::once(&r as _))
                    .map_err(|e| io::Error::other(e.to_string()))?;
                Ok(Sink::Age(enc.wrap_output(out)?))
            }
        }
    }

    /// Encrypts into `out` with the keys of an encrypted database (no passphrase: see
    /// `store::crypt::backup_keys`).
    pub(crate) fn keyed(out: W, keys: &crate::store::crypt::Unlocked) -> io::Result<Self> {
        Ok(Sink::Age(crate::store::crypt::backup_keys::keyed_writer(
            out, keys,
        )?))
    }

    /// Ends the encryption (if any) and returns the writer.
    pub(crate) fn finish(self) -> io::Result<W> {
        match self {
            Sink::Plain(w) => Ok(w),
            Sink::Age(s) => s.finish(),
        }
    }
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Age(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Age(w) => w.flush(),
        }
    }
}

/// True when the file is a backup of an encrypted database (encrypted with its keys: an
/// account's password or the recovery key opens it, no passphrase).
pub fn is_keyed(path: &Path) -> bool {
    crate::store::crypt::backup_keys::part_of(path).is_some()
}

/// True when the file is age-encrypted with a passphrase (so a passphrase is needed).
pub fn is_encrypted(path: &Path) -> Result<bool, BackupError> {
    let mut f = std::fs::File::open(path).map_err(|e| BackupError::Io(path.into(), e))?;
    let mut start = [0u8; 19];
    let mut n = 0;
    while n < start.len() {
        match f.read(&mut start[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(BackupError::Io(path.into(), e)),
        }
    }
    Ok(start[..n].starts_with(AGE_MAGIC))
}

/// Opens a backup for reading: the file itself, or its decrypted content.
pub(crate) fn open_source(
    path: &Path,
    pass: Option<&SecretString>,
) -> Result<(Box<dyn Read + Send>, bool), BackupError> {
    let file = std::fs::File::open(path).map_err(|e| BackupError::Io(path.into(), e))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(BackupError::NotABackup(path.into()));
    }
    decrypting(path, BufReader::with_capacity(1 << 20, file), pass)
}

/// The content of a backup read from `reader`: as it is, or decrypted with the passphrase.
pub(crate) fn decrypting<'a, R: BufRead + Send + 'a>(
    path: &Path,
    mut reader: R,
    pass: Option<&SecretString>,
) -> Result<(Box<dyn Read + Send + 'a>, bool), BackupError> {
    let start = reader
        .fill_buf()
        .map_err(|e| BackupError::Io(path.into(), e))?;
    if start.starts_with(AGE_ARMOR) {
        return Err(BackupError::Damaged(
            path.into(),
            "cifrato in formato testo (armor): decifralo prima con `age -d`".into(),
        ));
    }
    if start.starts_with(&crate::store::crypt::backup_keys::KEYED_MAGIC) {
        return keyed(path, reader);
    }
    if !start.starts_with(AGE_MAGIC) {
        return Ok((Box::new(reader), false));
    }
    let Some(pass) = pass else {
        return Err(BackupError::NeedsPassphrase);
    };
    let dec = age::Decryptor::new_buffered(reader).map_err(|e| age_error(path, e))?;
    if !dec.is_scrypt() {
        return Err(BackupError::Damaged(
            path.into(),
            "è cifrato con una chiave pubblica, non con una passphrase".into(),
        ));
    }
    let mut id = age::scrypt::Identity::new(pass.clone());
    id.set_max_work_factor(MAX_WORK_FACTOR);
    let stream = dec
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .map_err(|e| age_error(path, e))?;
    Ok((Box::new(stream), true))
}

/// The content of a backup encrypted with a database's keys, which must be known.
fn keyed<'a, R: BufRead + Send + 'a>(
    path: &Path,
    mut reader: R,
) -> Result<(Box<dyn Read + Send + 'a>, bool), BackupError> {
    use crate::store::crypt::backup_keys;
    let mut magic = [0u8; 8];
    reader
        .read_exact(&mut magic)
        .map_err(|e| read_error(path, e))?;
    let part = backup_keys::read_part(&mut reader).ok_or_else(|| {
        BackupError::Damaged(path.into(), "intestazione delle chiavi illeggibile".into())
    })?;
    let keys = backup_keys::known(&part.key_id).ok_or(BackupError::NeedsKey)?;
    let id = backup_keys::identity(&keys).map_err(|e| BackupError::Io(path.into(), e))?;
    let dec = age::Decryptor::new_buffered(reader).map_err(|e| age_error(path, e))?;
    let stream = dec
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .map_err(|e| match age_error(path, e) {
            BackupError::WrongPassphrase => BackupError::Damaged(
                path.into(),
                "non si decifra con le chiavi del suo database".into(),
            ),
            other => other,
        })?;
    Ok((Box::new(stream), true))
}

fn age_error(path: &Path, e: age::DecryptError) -> BackupError {
    use age::DecryptError as D;
    match e {
        D::DecryptionFailed | D::KeyDecryptionFailed | D::NoMatchingKeys => {
            BackupError::WrongPassphrase
        }
        D::ExcessiveWork { required, .. } => BackupError::ExcessiveWork {
            required,
            max: MAX_WORK_FACTOR,
        },
        D::InvalidMac => BackupError::Damaged(
            path.into(),
            "l'intestazione della cifratura è stata alterata".into(),
        ),
        D::InvalidHeader => BackupError::Damaged(
            path.into(),
            "intestazione della cifratura non valida".into(),
        ),
        D::UnknownFormat => BackupError::Damaged(
            path.into(),
            "cifratura age di una versione sconosciuta".into(),
        ),
        D::Io(io) => read_error(path, io),
        other => BackupError::Damaged(path.into(), other.to_string()),
    }
}
