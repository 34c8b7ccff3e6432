//! Attached documents (issue 15 part 3): files (PDF, JPEG, PNG) attached to a person, a
//! household, a case, a project, a referral or a pratica. The bytes live in the store, in
//! chunks; here are the record, what kind of file it is, and the checks of an upload.

use super::EntityKind;
use super::contact::{Subject, require_ref};
use super::ids::Id;
use super::time::{date_serde, opt_date_serde};
use super::validate::{Problems, optional_text, plausible};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of file a document may be. Stored by position: new ones go at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaType {
    /// A PDF document.
    Pdf,
    /// A JPEG image (photo, scan).
    Jpeg,
    /// A PNG image.
    Png,
}

impl MediaType {
    /// Every media type.
    pub const ALL: [MediaType; 3] = [MediaType::Pdf, MediaType::Jpeg, MediaType::Png];

    /// How many bytes of the head [`MediaType::sniff`] needs.
    pub const HEAD_LEN: usize = 8;

    /// The media type the first bytes of a file say it is (its "magic number"), if one
    /// of those accepted.
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        if head.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(MediaType::Png)
        } else {
            None
        }
    }

    /// The media type a file name's extension names (`.pdf`, `.jpg`, `.jpeg`, `.png`,
    /// any case), if one of those accepted.
    pub fn from_extension(ext: &str) -> Option<MediaType> {
        match ext
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "pdf" => Some(MediaType::Pdf),
            "jpg" | "jpeg" => Some(MediaType::Jpeg),
            "png" => Some(MediaType::Png),
            _ => None,
        }
    }

    /// The media type of a file name (from its extension).
    pub fn of_file_name(name: &str) -> Option<MediaType> {
        let (_, ext) = name.rsplit_once('.')?;
        MediaType::from_extension(ext)
    }

    /// The usual extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    /// The name shown to operators.
    pub fn label(self) -> &'static str {
        match self {
            MediaType::Pdf => "PDF",
            MediaType::Jpeg => "JPEG",
            MediaType::Png => "PNG",
        }
    }

    /// True for the images (previewed as such).
    pub fn is_image(self) -> bool {
        matches!(self, MediaType::Jpeg | MediaType::Png)
    }
}

/// The record a document is attached to. Stored by position: new owners go at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentOwner {
    /// A person's cartella.
    Person(Id),
    /// A household.
    Household(Id),
    /// A case (presa in carico).
    Case(Id),
    /// A project.
    Project(Id),
    /// A referral to the network.
    Referral(Id),
    /// A pratica (application to a bando).
    Pratica(Id),
}

impl DocumentOwner {
    /// The owner record's id.
    pub fn id(self) -> Id {
        match self {
            DocumentOwner::Person(id)
            | DocumentOwner::Household(id)
            | DocumentOwner::Case(id)
            | DocumentOwner::Project(id)
            | DocumentOwner::Referral(id)
            | DocumentOwner::Pratica(id) => id,
        }
    }

    /// The owner record's kind.
    pub fn kind(self) -> EntityKind {
        match self {
            DocumentOwner::Person(_) => EntityKind::Person,
            DocumentOwner::Household(_) => EntityKind::Household,
            DocumentOwner::Case(_) => EntityKind::Case,
            DocumentOwner::Project(_) => EntityKind::Project,
            DocumentOwner::Referral(_) => EntityKind::Referral,
            DocumentOwner::Pratica(_) => EntityKind::Pratica,
        }
    }

    /// The owner of kind `kind` and id `id`, if documents may be attached to that kind.
    pub fn of(kind: EntityKind, id: Id) -> Option<DocumentOwner> {
        Some(match kind {
            EntityKind::Person => DocumentOwner::Person(id),
            EntityKind::Household => DocumentOwner::Household(id),
            EntityKind::Case => DocumentOwner::Case(id),
            EntityKind::Project => DocumentOwner::Project(id),
            EntityKind::Referral => DocumentOwner::Referral(id),
            EntityKind::Pratica => DocumentOwner::Pratica(id),
            _ => return None,
        })
    }

    /// A stable lower-case code of the owner's kind (exports, command line).
    pub fn code(self) -> &'static str {
        match self {
            DocumentOwner::Person(_) => "person",
            DocumentOwner::Household(_) => "household",
            DocumentOwner::Case(_) => "case",
            DocumentOwner::Project(_) => "project",
            DocumentOwner::Referral(_) => "referral",
            DocumentOwner::Pratica(_) => "pratica",
        }
    }

    /// Parses `code:id` (`person:0190…`), as the command line takes it.
    pub fn parse(text: &str) -> Result<DocumentOwner, String> {
        let bad = || {
            format!(
                "«{}» non indica a che cosa allegare: scrivi tipo:id, per esempio person:<id> (tipi: person, household, case, project, referral, pratica)",
                text.trim()
            )
        };
        let (code, id) = text.trim().split_once(':').ok_or_else(bad)?;
        let id = Id::parse(id.trim()).ok_or_else(bad)?;
        Ok(match code.trim().to_ascii_lowercase().as_str() {
            "person" | "persona" => DocumentOwner::Person(id),
            "household" | "nucleo" => DocumentOwner::Household(id),
            "case" | "presa" => DocumentOwner::Case(id),
            "project" | "progetto" => DocumentOwner::Project(id),
            "referral" | "invio" => DocumentOwner::Referral(id),
            "pratica" => DocumentOwner::Pratica(id),
            _ => return Err(bad()),
        })
    }

    /// The same owner with its id replaced through `map` (merges).
    pub fn remapped(self, map: &dyn Fn(EntityKind, Id) -> Id) -> DocumentOwner {
        DocumentOwner::of(self.kind(), map(self.kind(), self.id())).unwrap_or(self)
    }
}

/// An attached file: its description and the list of its chunks in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Identifier.
    pub id: Id,
    /// The record it is attached to.
    pub owner: DocumentOwner,
    /// The person or household the owner is about (who sees it, whom an erasure takes it
    /// with): set by the store when attaching.
    pub subject: Subject,
    /// The kind of document (catalogue `DocumentKind`).
    pub kind: Id,
    /// The name of the file as it was attached.
    pub file_name: String,
    /// What the file is (checked on its content).
    pub media: MediaType,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its content, checked whenever it is read back.
    pub sha256: [u8; 32],
    /// The document's date (issued on).
    #[serde(with = "date_serde")]
    pub dated: NaiveDate,
    /// When it stops being valid (an ISEE on 31 December), if it does.
    #[serde(with = "opt_date_serde")]
    pub expires: Option<NaiveDate>,
    /// Free notes.
    pub note: String,
    /// The ids of its chunks in the store, in order.
    pub chunks: Vec<Id>,
    /// Archived: hidden by default.
    pub archived: bool,
}

/// What an operator says of a file being attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// The record it is attached to.
    pub owner: DocumentOwner,
    /// The kind of document (catalogue).
    pub kind: Id,
    /// The file's name.
    pub file_name: String,
    /// The document's date.
    pub dated: NaiveDate,
    /// Its expiry, if any.
    pub expires: Option<NaiveDate>,
    /// Notes.
    pub note: String,
}

/// The longest file name kept.
pub const MAX_FILE_NAME: usize = 200;

impl Document {
    /// The SHA-256 in lower-case hexadecimal.
    pub fn sha256_hex(&self) -> String {
        hex(&self.sha256)
    }

    /// True when the document expired before `today`.
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.expires.is_some_and(|e| e < today)
    }

    /// Validates the description (the store checks the content).
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        require_ref(&mut p, "owner", "Il record a cui allegare", self.owner.id());
        require_ref(&mut p, "kind", "Il tipo di documento", self.kind);
        let name = self.file_name.trim();
        if name.is_empty() {
            p.add("file_name", "Il nome del file è obbligatorio");
        } else if name.chars().count() > MAX_FILE_NAME {
            p.add(
                "file_name",
                format!("Il nome del file supera i {MAX_FILE_NAME} caratteri"),
            );
        } else if name.chars().any(|c| c.is_control()) {
            p.add(
                "file_name",
                "Il nome del file contiene caratteri non validi",
            );
        }
        if self.dated > today {
            p.add("dated", "La data del documento non può essere nel futuro");
        }
        plausible(&mut p, "dated", "La data del documento", self.dated);
        if let Some(e) = self.expires {
            if e < self.dated {
                p.add(
                    "expires",
                    "La scadenza non può precedere la data del documento",
                );
            } else {
                plausible(&mut p, "expires", "La scadenza", e);
            }
        }
        optional_text(&mut p, "note", "Le note", &self.note, 2000);
        p
    }
}

/// Lower-case hexadecimal of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How large an attached file may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSettings {
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
}

/// One megabyte as the limits count it (MiB).
pub const MB: u64 = 1024 * 1024;

impl DocumentSettings {
    /// The smallest limit that may be set (1 MB).
    pub const MIN_BYTES: u64 = MB;
    /// The largest limit that may be set (200 MB).
    pub const MAX_BYTES: u64 = 200 * MB;

    /// The settings with the limit brought within its bounds.
    pub fn clamped(self) -> DocumentSettings {
        DocumentSettings {
            max_bytes: self.max_bytes.clamp(Self::MIN_BYTES, Self::MAX_BYTES),
        }
    }
}

impl Default for DocumentSettings {
    /// 20 MB.
    fn default() -> Self {
        DocumentSettings { max_bytes: 20 * MB }
    }
}

/// A size in MB for messages ("15,3 MB").
pub fn fmt_mb(bytes: u64) -> String {
    let tenths = (bytes * 10 + MB / 2) / MB;
    if tenths.is_multiple_of(10) {
        format!("{} MB", tenths / 10)
    } else {
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

/// Checks a file about to be attached: its size against `limit`, its extension, and that
/// its first bytes (`head`, at least [`MediaType::HEAD_LEN`] of them when the file is that
/// long) are what the extension says. The refusal is in Italian.
pub fn check_upload(
    file_name: &str,
    head: &[u8],
    size: u64,
    limit: u64,
) -> Result<MediaType, String> {
    if size > limit {
        return Err(format!(
            "Il file è troppo grande ({}): il limite è {}",
            fmt_mb(size),
            fmt_mb(limit)
        ));
    }
    if size == 0 {
        return Err("Il file è vuoto".into());
    }
    let Some(named) = MediaType::of_file_name(file_name) else {
        return Err(format!(
            "«{}» non è un file PDF, JPEG o PNG: si possono allegare solo file .pdf, .jpg, .jpeg o .png",
            short_name(file_name)
        ));
    };
    match MediaType::sniff(head) {
        Some(m) if m == named => Ok(m),
        Some(m) => Err(format!(
            "Il contenuto di «{}» non è quello che dice l'estensione: è un file {}, non {}",
            short_name(file_name),
            m.label(),
            named.label()
        )),
        None => Err(format!(
            "Il contenuto di «{}» non è un file {} valido",
            short_name(file_name),
            named.label()
        )),
    }
}

/// A file name cut for a message.
fn short_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().count() > 80 {
        let cut: String = name.chars().take(77).collect();
        format!("{cut}…")
    } else {
        name.to_string()
    }
}

/// A file name safe to write on any system: the original's letters, digits, dots, dashes
/// and underscores (others become `_`), no leading dot, at most 100 characters, never
/// empty; the extension of `media` kept.
pub fn sanitised_file_name(name: &str, media: MediaType) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut out: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while out.starts_with('.') {
        out.remove(0);
    }
    if out.chars().count() > 100 {
        out = out.chars().take(100).collect();
    }
    if MediaType::of_file_name(&out) != Some(media) {
        if out.is_empty() {
            out.push_str("documento");
        }
        out.push('.');
        out.push_str(media.extension());
    }
    out
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
