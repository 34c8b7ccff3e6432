//! `accoglienza project print`: a project's document as PDF — the messa alla prova
//! statement for the UEPE and the court, or a tirocinio's attendance sheet for one month —
//! written to a temporary file beside the target and renamed, so a failure never leaves a
//! partial file. Read for the signed-in account and logged as a print.

use super::person::check_folder;
use super::{Auth, check_out, open_signed};
use crate::domain::{EntityKind, Id, Permission, Project, ProjectKind};
use crate::print::{self, Month};
use crate::store::StoreError;
use clap::Subcommand;
use std::path::{Path, PathBuf};

/// What `project` does.
#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// A project's document as PDF: the statement of hours for a messa alla prova, the
    /// monthly attendance sheet for a tirocinio (with --month).
    Print(PrintArgs),
}

/// The options of `project print`.
#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// The project's id (as in `export --table projects`).
    #[arg(long, value_name = "ID")]
    id: String,
    /// Output file (suggested: messa-alla-prova-<id breve>-<data>.pdf, no personal data).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Tirocinio only: the month of the attendance sheet (aaaa-mm or mm/aaaa).
    #[arg(long, value_name = "MESE")]
    month: Option<String>,
    /// Why the document is printed (kept in the access log; never personal data).
    #[arg(long, value_name = "TESTO", default_value = "")]
    purpose: String,
}

fn not_found(id: Id) -> impl Fn(StoreError) -> String {
    move |e| match e {
        StoreError::NotFound(EntityKind::Project, _) => format!("Nessun progetto con id {id}."),
        StoreError::Invalid(p) => p.to_string(),
        e => e.to_string(),
    }
}

/// Runs `project …`.
pub fn run(db: &Path, auth: &Auth, cmd: ProjectCommand) -> Result<(), String> {
    let ProjectCommand::Print(a) = cmd;
    let id = Id::parse(a.id.trim()).ok_or_else(|| {
        format!(
            "Identificativo di progetto non valido: «{}» (es. 0190f5c2-…, come nell'esportazione)",
            a.id
        )
    })?;
    let month = a.month.as_deref().map(Month::parse).transpose()?;
    check_out(db, &a.out)?;
    check_folder(&a.out)?;
    let (store, session) = open_signed(db, auth, &[Permission::Anagrafica])?;
    let kind = {
        let r = print::reader(&store, session.as_ref()).map_err(|e| e.to_string())?;
        r.require::<Project>(id).map_err(not_found(id))?.kind
    };
    let bytes = match (kind, month) {
        (ProjectKind::MessaAllaProva { .. }, None) => {
            print::map_statement_pdf(&store, session.as_ref(), id, &a.purpose)
        }
        (ProjectKind::MessaAllaProva { .. }, Some(_)) => {
            return Err(
                "--month vale solo per il foglio presenze del tirocinio: la dichiarazione \
                 della messa alla prova riporta tutte le ore."
                    .into(),
            );
        }
        (ProjectKind::Tirocinio { .. }, Some(m)) => {
            print::attendance_pdf(&store, session.as_ref(), id, m, &a.purpose)
        }
        (ProjectKind::Tirocinio { .. }, None) => {
            return Err(
                "Per il foglio presenze del tirocinio indica il mese: --month aaaa-mm.".into(),
            );
        }
        (other, _) => {
            return Err(format!(
                "Il progetto è un {}: si stampano solo la messa alla prova e il tirocinio.",
                other.label().to_lowercase()
            ));
        }
    }
    .map_err(not_found(id))?;
    crate::store::output::write_atomic_with(store.path(), &a.out, true, |w| w.write_all(&bytes))?;
    println!("Documento scritto in {}", a.out.display());
    Ok(())
}
