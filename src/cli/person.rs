//! `accoglienza person export`: the cartella as PDF, or the art. 15 access export as JSON
//! (with the PDF beside it on request), written to a temporary file beside the target and
//! renamed, so a failure never leaves a partial file.

use super::{Auth, check_out, open_signed};
use crate::domain::time::parse_date_checked;
use crate::domain::{EntityKind, Id, Permission};
use crate::print::{self, CartellaOptions, Omission, OmitItem, Section};
use crate::store::StoreError;
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

/// What `person` does.
#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// A person's cartella as PDF, or everything held about them as JSON (GDPR art. 15).
    Export(ExportArgs),
}

/// Formats of `person export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PersonFormat {
    /// The printable cartella (A4).
    Pdf,
    /// The art. 15 access export: every record with purpose, legal basis and recipients.
    Json,
}

/// The options of `person export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The person's id (as in `export --table people`).
    #[arg(long, value_name = "ID")]
    id: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "pdf")]
    format: PersonFormat,
    /// Output file (suggested: cartella-<id breve>-<data>.pdf, with no personal data).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Sections of the PDF, comma separated: anagrafica, nucleo, accessi, prese, progetti,
    /// invii, attivita (default: all).
    #[arg(long, value_delimiter = ',', value_name = "SEZIONI")]
    sections: Vec<String>,
    /// From this day (gg/mm/aaaa or aaaa-mm-gg).
    #[arg(long, value_name = "DATA")]
    from: Option<String>,
    /// To this day (gg/mm/aaaa or aaaa-mm-gg).
    #[arg(long, value_name = "DATA")]
    to: Option<String>,
    /// Why the document is printed (kept in the access log; never personal data).
    #[arg(long, value_name = "TESTO", default_value = "")]
    purpose: String,
    /// JSON only: leave out the other household members' data (third parties).
    #[arg(long)]
    omit_household: bool,
    /// JSON only: leave out confidential notes.
    #[arg(long)]
    omit_confidential: bool,
    /// JSON only: also write the PDF of the export to this file.
    #[arg(long, value_name = "FILE")]
    pdf_out: Option<PathBuf>,
}

fn date(flag: &str, s: &Option<String>) -> Result<Option<NaiveDate>, String> {
    s.as_deref()
        .map(|v| {
            parse_date_checked(v).map_err(|e| {
                format!("Data non valida per --{flag}: «{v}» ({e}); scrivi gg/mm/aaaa")
            })
        })
        .transpose()
}

/// Parses the options, before anything is opened.
fn options(a: &ExportArgs) -> Result<(Id, CartellaOptions), String> {
    let id = Id::parse(a.id.trim()).ok_or_else(|| {
        format!(
            "Identificativo di persona non valido: «{}» (es. 0190f5c2-…, come nell'esportazione)",
            a.id
        )
    })?;
    let mut o = CartellaOptions {
        from: date("from", &a.from)?,
        to: date("to", &a.to)?,
        ..CartellaOptions::default()
    };
    if let (Some(f), Some(t)) = (o.from, o.to)
        && f > t
    {
        return Err("Periodo non valido: --from è dopo --to.".into());
    }
    if !a.sections.is_empty() {
        let mut s = Vec::new();
        for name in &a.sections {
            s.push(Section::parse(name).ok_or_else(|| {
                format!("Sezione sconosciuta: «{name}» (anagrafica, nucleo, accessi, prese, progetti, invii, attivita)")
            })?);
        }
        s.sort();
        s.dedup();
        o.sections = s;
    }
    Ok((id, o))
}

fn not_found(id: Id) -> impl Fn(StoreError) -> String {
    move |e| match e {
        StoreError::NotFound(EntityKind::Person, _) => format!("Nessuna persona con id {id}."),
        e => e.to_string(),
    }
}

/// Refuses a target whose folder does not exist, before anything is read or logged.
pub(super) fn check_folder(out: &Path) -> Result<(), String> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if dir.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "Impossibile scrivere {}: la cartella di destinazione non esiste.",
            out.display()
        ))
    }
}

/// Runs `person …`.
pub fn run(db: &Path, auth: &Auth, cmd: PersonCommand) -> Result<(), String> {
    let PersonCommand::Export(a) = cmd;
    let (id, o) = options(&a)?;
    check_out(db, &a.out)?;
    check_folder(&a.out)?;
    if let Some(p) = &a.pdf_out {
        check_out(db, p)?;
        check_folder(p)?;
    }
    let need: &[Permission] = match a.format {
        PersonFormat::Pdf => &[Permission::Anagrafica],
        PersonFormat::Json => &[Permission::Anagrafica, Permission::Esportazioni],
    };
    let (store, session) = open_signed(db, auth, need)?;
    let private = true;
    match a.format {
        PersonFormat::Pdf => {
            let bytes = print::cartella_pdf(&store, session.as_ref(), id, &o, &a.purpose)
                .map_err(not_found(id))?;
            write(store.path(), &a.out, private, &bytes)?;
            println!("Cartella scritta in {}", a.out.display());
        }
        PersonFormat::Json => {
            let mut omissions = Vec::new();
            if a.omit_household {
                omissions.push(Omission {
                    item: OmitItem::HouseholdMembers,
                    reason: "dati di terzi (art. 15, par. 4 GDPR)".into(),
                });
            }
            if a.omit_confidential {
                omissions.push(Omission {
                    item: OmitItem::ConfidentialNotes,
                    reason: "note riservate che riguardano terzi o valutazioni in corso".into(),
                });
            }
            let x = print::art15::access_export(&store, session.as_ref(), id, &omissions)
                .map_err(not_found(id))?;
            write(store.path(), &a.out, private, x.json_text().as_bytes())?;
            println!("Esportazione art. 15 scritta in {}", a.out.display());
            if let Some(p) = &a.pdf_out {
                write(store.path(), p, private, &x.pdf)?;
                println!("Cartella scritta in {}", p.display());
            }
        }
    }
    Ok(())
}

fn write(db: &Path, out: &Path, private: bool, bytes: &[u8]) -> Result<(), String> {
    crate::store::output::write_atomic_with(db, out, private, |w| w.write_all(bytes))
}
