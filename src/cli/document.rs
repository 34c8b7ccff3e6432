//! `accoglienza document attach`: attaches a file (PDF, JPEG, PNG) to a person, household,
//! case, project, referral or pratica, for scripts and tests; and the files of
//! `export --table documents --with-files DIR`. The store checks the permissions (those
//! of the record the file is attached to) and the file.

use super::export::{RowWriter, code, opt_date};
use super::{Auth, open_signed};
use crate::domain::document::{MediaType, sanitised_file_name};
use crate::domain::time::parse_date_checked;
use crate::domain::*;
use crate::store::{Reader, Store, StoreError, output};
use clap::Subcommand;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What `document` does.
#[derive(Debug, Subcommand)]
pub enum DocumentCommand {
    /// Attach a file (PDF, JPEG or PNG, up to the configured limit, 20 MB by default).
    Attach(AttachArgs),
}

/// The options of `document attach`.
#[derive(Debug, clap::Args)]
pub struct AttachArgs {
    /// What to attach it to: person:ID, household:ID, case:ID, project:ID, referral:ID or
    /// pratica:ID (ids as in the exports).
    #[arg(long, value_name = "TIPO:ID")]
    owner: String,
    /// The kind of document: its code in the catalogue (e.g. isee).
    #[arg(long, value_name = "CODICE")]
    kind: String,
    /// The file.
    #[arg(long, value_name = "FILE")]
    file: PathBuf,
    /// The document's date, gg/mm/aaaa (default: today).
    #[arg(long, value_name = "DATA")]
    dated: Option<String>,
    /// Its expiry, gg/mm/aaaa.
    #[arg(long, value_name = "DATA")]
    expires: Option<String>,
    /// A note.
    #[arg(long, value_name = "TESTO", default_value = "")]
    note: String,
}

fn date(text: &str, what: &str) -> Result<chrono::NaiveDate, String> {
    parse_date_checked(text).map_err(|e| format!("{what}: {e}"))
}

fn message(e: StoreError) -> String {
    match e {
        StoreError::Invalid(p) => p.to_string(),
        e => e.to_string(),
    }
}

/// Runs `document …`.
pub fn run(db: &Path, auth: &Auth, cmd: DocumentCommand) -> Result<(), String> {
    let DocumentCommand::Attach(a) = cmd;
    let owner = DocumentOwner::parse(&a.owner)?;
    let (store, session) = open_signed(db, auth, &[])?;
    let kind = {
        let r = super::auth::reader(&store, session.as_ref())?;
        let code = a.kind.trim().to_lowercase();
        r.all::<DocumentKind>()
            .map_err(message)?
            .into_iter()
            .find(|k| k.code.to_lowercase() == code && !k.archived)
            .ok_or_else(|| format!("Nessun tipo di documento con codice «{}».", a.kind.trim()))?
            .id
    };
    let today = store.clock().today();
    let dated = match &a.dated {
        Some(t) => date(t, "--dated")?,
        None => today,
    };
    let expires = a
        .expires
        .as_deref()
        .map(|t| date(t, "--expires"))
        .transpose()?;
    let file_name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fail = |e: std::io::Error| format!("Impossibile leggere {}: {e}", a.file.display());
    let size = std::fs::metadata(&a.file).map_err(fail)?.len();
    let limit = store.document_settings().map_err(message)?.max_bytes;
    let mut f = std::fs::File::open(&a.file).map_err(fail)?;
    let mut head = [0u8; MediaType::HEAD_LEN];
    let n = f.read(&mut head).map_err(fail)?;
    // Size, extension and content refused before anything is read whole.
    check_upload(&file_name, &head[..n], size, limit)?;
    let mut source = std::io::Cursor::new(head[..n].to_vec()).chain(f);
    let mut w = match &session {
        Some(s) => store.write_as(s),
        None => store.write(Id::NIL),
    }
    .map_err(message)?;
    let doc = w
        .attach_document(
            NewDocument {
                owner,
                kind,
                file_name,
                dated,
                expires,
                note: a.note,
            },
            &mut source,
            limit,
        )
        .map_err(message)?;
    w.commit().map_err(message)?;
    println!("{}", doc.id);
    Ok(())
}

/// The name a document's file gets in `--with-files DIR`: `<id>-<sanitised name>`.
pub fn exported_name(d: &Document) -> String {
    format!("{}-{}", d.id, sanitised_file_name(&d.file_name, d.media))
}

/// Writes a document's content into `dir` under [`exported_name`], readable by its
/// owner only, atomically; its SHA-256 checked (a mismatch leaves no file). Returns the
/// name written.
pub fn write_file(store: &Store, r: &Reader, dir: &Path, d: &Document) -> Result<String, String> {
    let name = exported_name(d);
    let path = dir.join(&name);
    output::write_atomic_with(store.path(), &path, true, |w| {
        r.copy_document_to(d.id, w)
            .map(|_| ())
            .map_err(|e| std::io::Error::other(e.to_string()))
    })?;
    Ok(name)
}

#[derive(Serialize)]
struct DocumentRow {
    id: String,
    owner_kind: &'static str,
    owner_id: String,
    kind: String,
    file_name: String,
    media: &'static str,
    size: u64,
    sha256: String,
    dated: String,
    expires: String,
    archived: bool,
    /// The name written in `--with-files DIR` (empty without it).
    file: String,
}

/// The documents' rows, each file written into `files` first when given.
pub(super) fn document_rows<W: Write>(
    r: &Reader,
    out: &mut RowWriter<W>,
    files: Option<(&Store, &Path)>,
) -> Result<(), String> {
    let kinds: HashMap<Id, String> = r
        .all::<DocumentKind>()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|k| (k.id, k.code))
        .collect();
    for d in r.documents().map_err(|e| e.to_string())? {
        let file = match files {
            Some((store, dir)) => write_file(store, r, dir, &d)?,
            None => String::new(),
        };
        out.row(&DocumentRow {
            id: d.id.to_string(),
            owner_kind: d.owner.code(),
            owner_id: d.owner.id().to_string(),
            kind: code(&kinds, d.kind),
            file_name: d.file_name.clone(),
            media: d.media.label(),
            size: d.size,
            sha256: d.sha256_hex(),
            dated: d.dated.to_string(),
            expires: opt_date(d.expires),
            archived: d.archived,
            file,
        })
        .map_err(|e| format!("scrittura dell'esportazione non riuscita: {e}"))?;
    }
    Ok(())
}
