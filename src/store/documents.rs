//! Attached documents (issue 15 part 3): the files live inside the database, cut into
//! chunks of [`CHUNK_BYTES`] in [`DOCUMENT_CHUNKS`] (so no record holds a large file
//! whole), described by a [`Document`] record listing its chunks in order. A document is
//! attached whole in one transaction and removed whole; its SHA-256 is checked whenever it
//! is read back. Sessions read and write documents with the permissions of the record they
//! are attached to (`Entity::access_kind`), and never those of a restricted person.

use super::access::Session;
use super::tables::{DOCUMENT_CHUNKS, META};
use super::{Reader, Store, StoreError, Writer};
use crate::domain::document::{MB, fmt_mb};
use crate::domain::*;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

/// The size of a chunk written: 256 KiB less 256 bytes (the last one of a file is
/// shorter). redb gives a value larger than a page its own run of pages, a power of two
/// in size together with the leaf's header and key: a chunk of exactly 256 KiB took 512
/// KiB and a 15 MB file 36 MB of file; 256 bytes less for the header keeps each chunk in
/// 256 KiB (20 MB for the same file; measured, docs/ARCHITECTURE.md).
pub const CHUNK_BYTES: usize = 256 * 1024 - 256;

/// The largest chunk read back (a backup, a merge): the chunks written before
/// [`CHUNK_BYTES`] was trimmed were 256 KiB.
pub const MAX_CHUNK_BYTES: usize = 256 * 1024;

/// The `meta` key of [`DocumentSettings`] (JSON).
pub const KEY_DOCUMENT_SETTINGS: &str = "document_settings";

/// The permission that changes the size limit of attached files (the catalogue's editors).
pub const SETTINGS_PERMISSION: Permission = Permission::Catalogo;

/// A refusal of the file being attached, as the store reports it.
fn refused(message: impl Into<String>) -> StoreError {
    let mut p = Problems::default();
    p.add("file", message);
    StoreError::Invalid(p)
}

/// Checks a chunk as a backup carries it: not empty, not over [`MAX_CHUNK_BYTES`].
pub(crate) fn check_chunk(value: &[u8]) -> Result<(), String> {
    if value.is_empty() || value.len() > MAX_CHUNK_BYTES {
        return Err(format!(
            "parte di documento di {} byte (da 1 a {MAX_CHUNK_BYTES})",
            value.len()
        ));
    }
    Ok(())
}

/// `check`'s part: every document's chunks exist and hash to its SHA-256 and size; every
/// chunk belongs to a document. What is wrong is added to `problems`, in Italian.
pub(crate) fn check_contents(
    txn: &redb::ReadTransaction,
    problems: &mut Vec<String>,
) -> Result<(), StoreError> {
    use redb::ReadableTable;
    let docs = txn.open_table(crate::store::tables::records::DOCUMENTS)?;
    let chunks = txn.open_table(DOCUMENT_CHUNKS)?;
    let mut listed = std::collections::HashSet::new();
    for item in docs.iter()? {
        let (_, v) = item?;
        let Ok(doc) = super::codec::decode::<Document>(v.value()) else {
            continue; // reported with the records
        };
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut missing = 0usize;
        for c in &doc.chunks {
            listed.insert(c.0);
            match chunks.get(c.0)? {
                Some(b) => {
                    hasher.update(b.value());
                    size += b.value().len() as u64;
                }
                None => missing += 1,
            }
        }
        let digest: [u8; 32] = hasher.finalize().into();
        if missing > 0 {
            problems.push(format!(
                "documento allegato {} («{}»): mancano {missing} parti su {}",
                doc.id,
                doc.file_name,
                doc.chunks.len()
            ));
        } else if digest != doc.sha256 || size != doc.size {
            problems.push(format!(
                "documento allegato {} («{}»): il contenuto non corrisponde alla sua impronta SHA-256",
                doc.id, doc.file_name
            ));
        }
    }
    let mut orphans = 0u64;
    for item in chunks.iter()? {
        if !listed.contains(&item?.0.value()) {
            orphans += 1;
        }
    }
    if orphans > 0 {
        problems.push(format!(
            "{orphans} parti di documenti allegati non appartengono a nessun documento"
        ));
    }
    Ok(())
}

/// The refusal of a document attached to a record whose content the session does not see.
fn hidden_owner() -> StoreError {
    super::access::denied(
        "Il documento è allegato a un record di cui il tuo ruolo non vede il contenuto.",
    )
}

/// Reads from `source` until `buf` is full or the source ends; how many bytes were read.
fn fill(source: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match source.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl Writer {
    /// The person or household the record `owner` is about; refuses an owner that does
    /// not exist.
    fn owner_subject(&self, owner: DocumentOwner) -> Result<Subject, StoreError> {
        let missing = || StoreError::NotFound(owner.kind(), owner.id());
        Ok(match owner {
            DocumentOwner::Person(id) => {
                self.stored::<Person>(id)?.ok_or_else(missing)?;
                Subject::Person(id)
            }
            DocumentOwner::Household(id) => {
                self.stored::<Household>(id)?.ok_or_else(missing)?;
                Subject::Household(id)
            }
            DocumentOwner::Case(id) => self.stored::<Case>(id)?.ok_or_else(missing)?.subject,
            DocumentOwner::Project(id) => {
                Subject::Person(self.stored::<Project>(id)?.ok_or_else(missing)?.person)
            }
            DocumentOwner::Referral(id) => {
                self.stored::<Referral>(id)?.ok_or_else(missing)?.subject
            }
            DocumentOwner::Pratica(id) => self.stored::<Pratica>(id)?.ok_or_else(missing)?.subject,
        })
    }

    /// Whether the session sees the content of the owner record (a case, project or
    /// referral of a sensitive line may hide it).
    fn owner_content_visible(&self, owner: DocumentOwner) -> Result<bool, StoreError> {
        Ok(match owner {
            DocumentOwner::Case(id) => self
                .stored::<Case>(id)?
                .is_none_or(|c| self.content_visible(&c)),
            DocumentOwner::Project(id) => self
                .stored::<Project>(id)?
                .is_none_or(|p| self.content_visible(&p)),
            DocumentOwner::Referral(id) => self
                .stored::<Referral>(id)?
                .is_none_or(|r| self.content_visible(&r)),
            _ => true,
        })
    }

    /// Attaches a file read from `source`: streamed in chunks of [`CHUNK_BYTES`] into the
    /// database, hashed (SHA-256), its first bytes checked against the extension of
    /// `new.file_name`, refused past `limit` bytes. Nothing stays written when it is
    /// refused (the chunks already written are taken out again), and the document record
    /// is validated and audited like any record. The session needs the permission to
    /// write the owner record.
    pub fn attach_document(
        &mut self,
        new: NewDocument,
        source: &mut dyn Read,
        limit: u64,
    ) -> Result<Document, StoreError> {
        let subject = self.owner_subject(new.owner)?;
        let mut doc = Document {
            id: Id::new(),
            owner: new.owner,
            subject,
            kind: new.kind,
            file_name: new.file_name.trim().to_string(),
            media: MediaType::Pdf,
            size: 0,
            sha256: [0; 32],
            dated: new.dated,
            expires: new.expires,
            note: new.note,
            chunks: Vec::new(),
            archived: false,
        };
        // Permissions and the description first: a refusal costs no streaming.
        self.guard(None, &mut doc)?;
        if !self.owner_content_visible(doc.owner)? {
            return Err(hidden_owner());
        }
        let mut check = doc.clone();
        crate::store::entity::Entity::normalize(&mut check);
        if let Err(p) = check.validate(self.today()).into_result() {
            return Err(StoreError::Invalid(p));
        }
        match self.stream_chunks(&mut doc, source, limit) {
            Ok(()) => {}
            Err(e) => {
                self.drop_chunks(&doc.chunks)?;
                return Err(e);
            }
        }
        if let Err(e) = self.insert(doc.clone()) {
            self.drop_chunks(&doc.chunks)?;
            return Err(e);
        }
        Ok(doc)
    }

    /// Streams `source` into new chunks listed in `doc`, with its size, hash and media.
    fn stream_chunks(
        &mut self,
        doc: &mut Document,
        source: &mut dyn Read,
        limit: u64,
    ) -> Result<(), StoreError> {
        let mut buf = vec![0u8; CHUNK_BYTES];
        let mut hasher = Sha256::new();
        let mut t = self.txn().open_table(DOCUMENT_CHUNKS)?;
        loop {
            let n = fill(source, &mut buf)
                .map_err(|e| refused(format!("Il file non si legge: {e}")))?;
            if doc.size == 0 {
                // The first chunk: what the file is (and whether it is empty).
                doc.media = check_upload(&doc.file_name, &buf[..n], (n as u64).min(limit), limit)
                    .map_err(refused)?;
            }
            if n == 0 {
                break;
            }
            doc.size += n as u64;
            if doc.size > limit {
                return Err(refused(format!(
                    "Il file è troppo grande: supera il limite di {}",
                    fmt_mb(limit)
                )));
            }
            hasher.update(&buf[..n]);
            let id = Id::new();
            t.insert(id.0, &buf[..n])?;
            doc.chunks.push(id);
            if n < CHUNK_BYTES {
                break;
            }
        }
        doc.sha256 = hasher.finalize().into();
        Ok(())
    }

    /// Removes chunks (a refused attach, a removed document).
    fn drop_chunks(&mut self, chunks: &[Id]) -> Result<(), StoreError> {
        let mut t = self.txn().open_table(DOCUMENT_CHUNKS)?;
        for c in chunks {
            t.remove(c.0)?;
        }
        Ok(())
    }

    /// Removes a document and its content. The checklist lines of pratiche that named it
    /// as attached go back to missing. The session needs the permission to write the
    /// owner record.
    pub fn remove_document(&mut self, id: Id) -> Result<(), StoreError> {
        let old: Document = self
            .stored(id)?
            .ok_or(StoreError::NotFound(EntityKind::Document, id))?;
        let mut probe = old.clone();
        self.guard(Some(&old), &mut probe)?;
        if !self.owner_content_visible(old.owner)? {
            return Err(hidden_owner());
        }
        self.drop_document(id, Action::Remove)
    }

    /// Removes a document, its content and the checklist lines naming it, audited with
    /// `action` (the store's own work: no permission checked here).
    pub(crate) fn drop_document(&mut self, id: Id, action: Action) -> Result<(), StoreError> {
        let old: Document = self
            .stored(id)?
            .ok_or(StoreError::NotFound(EntityKind::Document, id))?;
        self.unlink_from_pratiche(&old)?;
        self.drop_chunks(&old.chunks)?;
        self.remove::<Document>(id, action)?;
        Ok(())
    }

    /// Removes every document filed under `subject` (attached to it, or to a record about
    /// it) with its content; their ids are added to `out`.
    pub(crate) fn drop_documents_about(
        &mut self,
        subject: Id,
        action: Action,
        out: &mut Vec<Id>,
    ) -> Result<(), StoreError> {
        let ids = {
            let idx = self.txn().open_table(super::derived::DERIVED)?;
            super::derived::subject_ids(&idx, EntityKind::Document.code(), subject.0)?
        };
        for id in ids.into_iter().map(Id) {
            self.drop_document(id, action)?;
            out.push(id);
        }
        Ok(())
    }

    /// Puts back to missing the checklist lines that name `doc` as attached, in the
    /// pratiche of its subject.
    fn unlink_from_pratiche(&mut self, doc: &Document) -> Result<(), StoreError> {
        let ids = {
            let idx = self.txn().open_table(super::derived::DERIVED)?;
            super::derived::subject_ids(&idx, EntityKind::Pratica.code(), doc.subject.id().0)?
        };
        for pid in ids {
            let Some(mut p) = self.stored::<Pratica>(Id(pid))? else {
                continue;
            };
            let mut changed = false;
            for item in &mut p.checklist {
                if item.state == DocumentState::Allegato(doc.id) {
                    item.state = DocumentState::Mancante;
                    changed = true;
                }
            }
            if changed {
                self.update(p)?;
            }
        }
        Ok(())
    }
}

/// The first fields of a stored [`Document`].
#[derive(serde::Deserialize)]
struct DocumentHead {
    _id: Id,
    owner: DocumentOwner,
}

impl Reader {
    /// Whether the session sees the content of the owner record, read as stored.
    fn owner_content_visible(&self, owner: DocumentOwner) -> Result<bool, StoreError> {
        fn stored<E: crate::store::entity::Entity>(
            r: &Reader,
            id: Id,
        ) -> Result<Option<E>, StoreError> {
            let t = r.txn().open_table(E::TABLE)?;
            let v = t.get(id.0)?;
            Ok(match v {
                Some(v) => Some(super::codec::decode(v.value())?),
                None => None,
            })
        }
        if self.view().is_none() {
            return Ok(true);
        }
        Ok(match owner {
            DocumentOwner::Case(id) => {
                stored::<Case>(self, id)?.is_none_or(|c| self.content_visible(&c))
            }
            DocumentOwner::Project(id) => {
                stored::<Project>(self, id)?.is_none_or(|p| self.content_visible(&p))
            }
            DocumentOwner::Referral(id) => {
                stored::<Referral>(self, id)?.is_none_or(|r| self.content_visible(&r))
            }
            _ => true,
        })
    }

    /// The documents attached to `owner` (archived included), by date then attach
    /// order. Refused when the session may not read the owner's kind of record, or does
    /// not see its content.
    pub fn documents_of(&self, owner: DocumentOwner) -> Result<Vec<Document>, StoreError> {
        if !self.owner_content_visible(owner)? {
            return Err(hidden_owner());
        }
        let mut out = Vec::new();
        let t = self.txn().open_table(super::tables::records::DOCUMENTS)?;
        for id in self.ids_by_subject(EntityKind::Document, owner.id())? {
            // Filed under the owner's subject too: those of other owners are skipped
            // before they are checked against the session.
            let Some(v) = t.get(id.0)? else { continue };
            if super::codec::decode_head::<DocumentHead>(v.value())?.owner != owner {
                continue;
            }
            if let Some(d) = self.get::<Document>(id)? {
                out.push(d);
            }
        }
        out.sort_by_key(|d| (d.dated, d.id));
        Ok(out)
    }

    /// Every document the session may read (archived included), in attach order: those
    /// whose owner it may not read, or whose owner's content it does not see, are left
    /// out (the export).
    pub fn documents(&self) -> Result<Vec<Document>, StoreError> {
        let mut out = Vec::new();
        for d in self.all::<Document>()? {
            if self.owner_content_visible(d.owner)? {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// The documents filed under a person or household: attached to them or to a record
    /// about them (archived included), by date; those the session may not read are left
    /// out (the art. 15 export).
    pub fn documents_about(&self, subject: Id) -> Result<Vec<Document>, StoreError> {
        let mut out = Vec::new();
        for d in self.by_subject::<Document>(subject)? {
            if self.owner_content_visible(d.owner)? {
                out.push(d);
            }
        }
        out.sort_by_key(|d| (d.dated, d.id));
        Ok(out)
    }

    /// One document's description. Refused like [`Reader::documents_of`].
    pub fn document(&self, id: Id) -> Result<Option<Document>, StoreError> {
        let d = self.get::<Document>(id)?;
        if let Some(d) = &d
            && !self.owner_content_visible(d.owner)?
        {
            return Err(hidden_owner());
        }
        Ok(d)
    }

    /// Writes a document's content to `out`, chunk by chunk, and checks its SHA-256 at
    /// the end; how many bytes were written. A content that does not match its hash is
    /// reported as [`StoreError::Corrupt`] (after writing it: the caller discards it).
    pub fn copy_document_to(&self, id: Id, out: &mut dyn Write) -> Result<u64, StoreError> {
        let doc = self
            .document(id)?
            .ok_or(StoreError::NotFound(EntityKind::Document, id))?;
        let t = self.txn().open_table(DOCUMENT_CHUNKS)?;
        let mut hasher = Sha256::new();
        let mut n = 0u64;
        for c in &doc.chunks {
            let v = t.get(c.0)?.ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "manca una parte del documento «{}» ({})",
                    doc.file_name,
                    id.short()
                ))
            })?;
            hasher.update(v.value());
            out.write_all(v.value())
                .map_err(|e| StoreError::Db(format!("scrittura del documento: {e}")))?;
            n += v.value().len() as u64;
        }
        let digest: [u8; 32] = hasher.finalize().into();
        if digest != doc.sha256 || n != doc.size {
            return Err(StoreError::Corrupt(format!(
                "il contenuto del documento «{}» ({}) non corrisponde alla sua impronta SHA-256",
                doc.file_name,
                id.short()
            )));
        }
        Ok(n)
    }

    /// A document's whole content in memory (for a preview), checked like
    /// [`Reader::copy_document_to`].
    pub fn document_bytes(&self, id: Id) -> Result<Vec<u8>, StoreError> {
        let mut out = Vec::new();
        self.copy_document_to(id, &mut out)?;
        Ok(out)
    }
}

impl Store {
    /// The size limit of attached files (20 MB until changed).
    pub fn document_settings(&self) -> Result<DocumentSettings, StoreError> {
        Ok(self
            .meta_bytes(KEY_DOCUMENT_SETTINGS)?
            .and_then(|b| serde_json::from_slice::<DocumentSettings>(&b).ok())
            .unwrap_or_default()
            .clamped())
    }

    /// Changes the size limit of attached files (needs [`SETTINGS_PERMISSION`]); a limit
    /// out of 1–200 MB is refused.
    pub fn set_document_settings_as(
        &self,
        session: &Session,
        s: DocumentSettings,
    ) -> Result<(), StoreError> {
        if !session.may(SETTINGS_PERMISSION) || session.must_change() {
            return Err(super::access::denied(
                "Solo chi cura il catalogo può cambiare la dimensione massima dei documenti allegati",
            ));
        }
        if s.clamped() != s {
            return Err(refused(format!(
                "La dimensione massima dei documenti va da {} a {} MB",
                DocumentSettings::MIN_BYTES / MB,
                DocumentSettings::MAX_BYTES / MB
            )));
        }
        let bytes = serde_json::to_vec(&s).map_err(|e| StoreError::Db(e.to_string()))?;
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        txn.open_table(META)?
            .insert(KEY_DOCUMENT_SETTINGS, bytes.as_slice())?;
        txn.commit()?;
        Ok(())
    }
}
