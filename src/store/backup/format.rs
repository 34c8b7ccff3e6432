//! The `.accbak` container: fixed prefix, JSON header, zstd body, SHA-256 trailer. The
//! optional age (scrypt passphrase) layer around all of it is in `crypt.rs`. See
//! docs/BACKUP_FORMAT.md.

use super::error::{BackupError, read_error};
use super::sections::{Section, kind_of};
use crate::domain::Id;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

/// The first eight bytes of every unencrypted backup.
pub const MAGIC: [u8; 8] = *b"ACCBAK\r\n";
/// The newest container format this program reads and writes. Version 2 is version 1
/// with records up to [`MAX_RECORD_BYTES`](crate::store::codec::MAX_RECORD_BYTES) instead
/// of 16 MiB; it is written only when a record needs it, so every other backup stays
/// version 1, readable by earlier versions of the program. Version 3 is version 2 with the
/// merge tables (`merge_versions`, `merge_aliases`), written only when the database holds
/// something in them. Version 4 is version 3 with the registro cancellazioni (`erasures`),
/// written only when the database has erased someone. Version 5 is version 4 with the
/// purposes of consent and the people's privacy logs (`purposes`, `privacy_entries`),
/// written when some privacy entry exists or the purposes differ from the defaults.
/// Version 6 is version 5 with attached documents (`documents`) and their content in
/// chunks (`document_chunks`), written only when some document exists.
pub const FORMAT_VERSION: u16 = 6;
/// The format written when a record is over 16 MiB (and the database holds no merge data).
pub(crate) const LARGE_VERSION: u16 = 2;
/// The first format that may hold the merge tables.
pub(crate) const MERGE_VERSION: u16 = 3;
/// The first format that may hold the registro cancellazioni.
pub(crate) const ERASURE_VERSION: u16 = 4;
/// The first format that may hold the purposes of consent and the privacy logs.
pub(crate) const PRIVACY_VERSION: u16 = 5;
/// The first format that may hold attached documents.
pub(crate) const DOCUMENTS_VERSION: u16 = 6;
/// The format written when no record is over 16 MiB.
pub(crate) const BASE_VERSION: u16 = 1;
/// The file extension, without the dot.
pub const EXTENSION: &str = "accbak";
/// The digest at the end of the container.
pub(crate) const DIGEST_LEN: usize = 32;
const MAX_HEADER: u32 = 1 << 20;
/// The largest record of a version 1 backup.
pub(crate) const V1_MAX_RECORD: usize = 16 << 20;

/// The largest record a backup of this format version may hold.
pub(crate) fn max_record(version: u16) -> usize {
    if version <= BASE_VERSION {
        V1_MAX_RECORD
    } else {
        crate::store::codec::MAX_RECORD_BYTES
    }
}

/// What a backup says about itself, before its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always "Accoglienza".
    pub app: String,
    /// The version of the program that wrote it.
    pub app_version: String,
    /// The database schema version the records come from.
    pub schema_version: u32,
    /// When the snapshot was taken (local time with offset).
    pub created_at: DateTime<FixedOffset>,
    /// The desk the backup was made at, if known.
    #[serde(default)]
    pub desk: Option<DeskInfo>,
    /// The operator who made it (nil for scheduled and command-line backups).
    #[serde(default)]
    pub operator: Option<Id>,
    /// The last year open cases were counted through in the source database.
    #[serde(default)]
    pub through_year: i32,
    /// The head of the audit log's hash chain when the snapshot was taken (hex SHA-256 of
    /// the last chained entry), so a later copy of the log can be compared with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<String>,
    /// Body compression ("zstd").
    pub compression: String,
    /// The tables in body order, with how many records each holds.
    pub tables: Vec<TableCount>,
}

/// The desk a backup was made at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskInfo {
    /// Desk id.
    pub id: Id,
    /// Desk name at the time.
    pub name: String,
}

/// One table of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableCount {
    /// Table name ("people", "contacts", …, "audit").
    pub name: String,
    /// Records in the table.
    pub count: u64,
}

impl Header {
    /// Records in a table (0 when the table is not in the backup).
    pub fn count(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .find(|t| t.name == table)
            .map_or(0, |t| t.count)
    }

    /// Records in every table, audit entries included.
    pub fn total(&self) -> u64 {
        self.tables
            .iter()
            .fold(0u64, |a, t| a.saturating_add(t.count))
    }
}

// ---------------------------------------------------------------- writing

/// Hashes everything written through it.
pub(crate) struct HashingWriter<W: Write> {
    pub(crate) inner: W,
    hasher: Sha256,
}

impl<W: Write> HashingWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Writes the digest of everything so far after it and returns the inner writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        let digest = self.hasher.finalize();
        self.inner.write_all(&digest[..])?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the fixed prefix (with the format `version`) and the header.
pub(crate) fn write_prefix(out: &mut impl Write, header: &Header, version: u16) -> io::Result<()> {
    let json = serde_json::to_vec(header).map_err(io::Error::other)?;
    out.write_all(&MAGIC)?;
    out.write_all(&version.to_le_bytes())?;
    out.write_all(&(json.len() as u32).to_le_bytes())?;
    out.write_all(&json)
}

/// Writes one record of the body.
pub(crate) fn write_record(out: &mut impl Write, key: u128, value: &[u8]) -> io::Result<()> {
    out.write_all(&key.to_be_bytes())?;
    out.write_all(&(value.len() as u32).to_le_bytes())?;
    out.write_all(value)
}

// ---------------------------------------------------------------- reading

/// Passes every byte through except the last 32, which it holds back (the digest), and
/// hashes what it passes.
pub(crate) struct TailReader<R: Read> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    hasher: Sha256,
    passed: u64,
}

impl<R: Read> TailReader<R> {
    pub(crate) fn new(inner: R) -> Self {
        TailReader {
            inner,
            buf: vec![0; (256 << 10) + DIGEST_LEN],
            start: 0,
            end: 0,
            eof: false,
            hasher: Sha256::new(),
            passed: 0,
        }
    }

    /// Bytes passed on so far.
    pub(crate) fn passed(&self) -> u64 {
        self.passed
    }

    /// Reads everything that is left (hashing it); returns how many bytes that was.
    pub(crate) fn drain(&mut self) -> io::Result<u64> {
        let mut sink = [0u8; 64 << 10];
        let mut n = 0u64;
        loop {
            let k = self.read(&mut sink)?;
            if k == 0 {
                return Ok(n);
            }
            n += k as u64;
        }
    }

    /// The bytes held back (at most 32; fewer when the file is shorter).
    pub(crate) fn held(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// After the end: does the held-back trailer equal the digest of everything before it?
    pub(crate) fn digest_matches(&self) -> bool {
        self.eof
            && self.end - self.start == DIGEST_LEN
            && self.hasher.clone().finalize()[..] == self.buf[self.start..self.end]
    }
}

impl<R: Read> Read for TailReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let avail = self.end - self.start;
            if avail > DIGEST_LEN {
                let n = (avail - DIGEST_LEN).min(out.len());
                out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
                self.hasher.update(&out[..n]);
                self.start += n;
                self.passed += n as u64;
                return Ok(n);
            }
            if self.eof {
                return Ok(0);
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let end = self.end;
            match self.inner.read(&mut self.buf[end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// Receives the content of a backup as it is read.
pub(crate) trait Visitor {
    /// The header, before any record.
    fn header(&mut self, _header: &Header) -> Result<(), BackupError> {
        Ok(())
    }
    /// One record of a table (`kind` is `None` for the audit log).
    fn record(
        &mut self,
        table: &str,
        kind: Section,
        key: u128,
        value: &[u8],
    ) -> Result<(), BackupError>;
}

/// Reads a whole backup from `src`: checks the prefix, the header, every record (handed to
/// `visitor`), the end of the compressed body and the SHA-256 trailer. Nothing the visitor
/// did can be trusted unless this returns `Ok`.
pub(crate) fn read_backup(
    path: &Path,
    src: impl Read,
    visitor: &mut dyn Visitor,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<Header, BackupError> {
    let mut tr = TailReader::new(src);
    let rd = |e: io::Error| read_error(path, e);
    let mut magic = [0u8; 8];
    if let Err(e) = tr.read_exact(&mut magic) {
        if e.kind() != io::ErrorKind::UnexpectedEof {
            return Err(rd(e));
        }
        // Fewer than 40 bytes: it may still start like a backup.
        let mut all = magic[..tr.passed() as usize].to_vec();
        all.extend_from_slice(tr.held());
        return Err(if all.starts_with(&MAGIC) {
            BackupError::Truncated(path.into())
        } else {
            BackupError::NotABackup(path.into())
        });
    }
    if magic != MAGIC {
        return Err(BackupError::NotABackup(path.into()));
    }
    let mut v = [0u8; 2];
    tr.read_exact(&mut v).map_err(rd)?;
    let version = u16::from_le_bytes(v);
    if version > FORMAT_VERSION || version == 0 {
        // The outer frame (magic … SHA-256 of everything before the last 32 bytes) is the
        // same in every format version: tell a newer file from a damaged one. Version 0 was
        // never written: it is reported as a checksum mismatch whatever the trailer says.
        let refusal = if version == 0 {
            damaged(path, "checksum SHA-256 non corrispondente")
        } else {
            BackupError::NewerFormat {
                found: version,
                supported: FORMAT_VERSION,
            }
        };
        return Err(after_drain(&mut tr, path, refusal));
    }
    let mut l = [0u8; 4];
    tr.read_exact(&mut l).map_err(rd)?;
    let len = u32::from_le_bytes(l);
    if len > MAX_HEADER {
        return Err(damaged(path, "lunghezza dell'intestazione impossibile"));
    }
    let mut json = vec![0u8; len as usize];
    tr.read_exact(&mut json).map_err(rd)?;
    let header: Header = match serde_json::from_slice(&json) {
        Ok(h) => h,
        Err(_) => {
            return Err(after_drain(
                &mut tr,
                path,
                damaged(path, "intestazione illeggibile"),
            ));
        }
    };
    if header.schema_version > crate::store::tables::SCHEMA_VERSION {
        let e = BackupError::NewerSchema {
            found: header.schema_version,
            supported: crate::store::tables::SCHEMA_VERSION,
        };
        return Err(after_drain(&mut tr, path, e));
    }
    let mut specs = Vec::with_capacity(header.tables.len());
    for t in &header.tables {
        let Some(kind) = kind_of(&t.name) else {
            let e = damaged(path, &format!("tabella sconosciuta «{}»", t.name));
            return Err(after_drain(&mut tr, path, e));
        };
        if specs.iter().any(|(n, _, _): &(&str, _, _)| *n == t.name) {
            return Err(damaged(path, &format!("tabella «{}» ripetuta", t.name)));
        }
        specs.push((t.name.as_str(), kind, t.count));
    }
    if header.compression != "zstd" {
        let e = damaged(
            path,
            &format!("compressione sconosciuta «{}»", header.compression),
        );
        return Err(after_drain(&mut tr, path, e));
    }
    visitor.header(&header)?;

    let total = header.total();
    let phase = "Lettura e verifica dei record";
    progress(phase, 0, total);
    let decoder = zstd::stream::read::Decoder::new(&mut tr)
        .map_err(rd)?
        .single_frame();
    let mut body = BufReader::with_capacity(256 << 10, decoder);
    let mut value = Vec::new();
    let mut done = 0u64;
    let limit = max_record(version);
    for (name, kind, count) in specs {
        for _ in 0..count {
            let mut k = [0u8; 16];
            body.read_exact(&mut k).map_err(rd)?;
            let mut l = [0u8; 4];
            body.read_exact(&mut l).map_err(rd)?;
            let n = u32::from_le_bytes(l) as usize;
            if n > limit {
                return Err(damaged(path, "record di lunghezza impossibile"));
            }
            read_value(&mut body, n, &mut value).map_err(rd)?;
            visitor.record(name, kind, u128::from_be_bytes(k), &value)?;
            done += 1;
            if done.is_multiple_of(8192) {
                progress(phase, done, total);
            }
        }
    }
    let mut one = [0u8; 1];
    if body.read(&mut one).map_err(rd)? != 0 {
        return Err(damaged(path, "record in eccesso rispetto all'intestazione"));
    }
    let mut decoder = body.into_inner();
    decoder.finish_frame().map_err(rd)?;
    let rest = decoder.into_inner();
    let extra = rest.buffer().len() as u64;
    drop(rest);
    let extra = extra + drain_checked(&mut tr, path)?;
    if extra != 0 {
        return Err(damaged(path, "dati in eccesso dopo i record"));
    }
    progress(phase, total, total);
    Ok(header)
}

/// Reads a value of `n` bytes into `value`. Large values grow with the bytes that actually
/// arrive, so a damaged length field cannot make the reader allocate what is not there.
fn read_value(body: &mut impl Read, n: usize, value: &mut Vec<u8>) -> io::Result<()> {
    value.clear();
    if n <= 1 << 20 {
        value.resize(n, 0);
        return body.read_exact(value);
    }
    body.take(n as u64).read_to_end(value)?;
    if value.len() < n {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

/// The header of a backup, read from its start without checking the rest (what a file
/// about to be replaced holds). `None` when it does not start like a backup.
pub(crate) fn peek_header(src: impl Read) -> Option<Header> {
    let mut r = BufReader::new(src);
    let mut prefix = [0u8; 14];
    r.read_exact(&mut prefix).ok()?;
    let version = u16::from_le_bytes([prefix[8], prefix[9]]);
    if prefix[..8] != MAGIC || version == 0 || version > FORMAT_VERSION {
        return None;
    }
    let len = u32::from_le_bytes(prefix[10..14].try_into().ok()?);
    if len > MAX_HEADER {
        return None;
    }
    let mut json = vec![0u8; len as usize];
    r.read_exact(&mut json).ok()?;
    serde_json::from_slice(&json).ok()
}

fn damaged(path: &Path, why: &str) -> BackupError {
    BackupError::Damaged(path.into(), why.to_string())
}

/// Reads to the end and checks the trailer: a short or damaged file says so; an intact one
/// gives how many bytes were left.
fn drain_checked<R: Read>(tr: &mut TailReader<R>, path: &Path) -> Result<u64, BackupError> {
    match tr.drain() {
        Err(e) => Err(read_error(path, e)),
        Ok(_) if tr.held().len() < DIGEST_LEN => Err(BackupError::Truncated(path.into())),
        Ok(_) if !tr.digest_matches() => Err(damaged(path, "checksum SHA-256 non corrispondente")),
        Ok(n) => Ok(n),
    }
}

/// Reads to the end: a damaged file says so; an intact one gets the given refusal.
fn after_drain<R: Read>(tr: &mut TailReader<R>, path: &Path, refusal: BackupError) -> BackupError {
    drain_checked(tr, path).err().unwrap_or(refusal)
}
