//! `accoglienza import`: a spreadsheet through a mapping, with the window's engine. Exit
//! codes: 0 imported (or a dry run without refused rows), 1 refused rows in a dry run (or
//! any other failure), 2 the file cannot be read.

use crate::domain::Id;
use crate::import::{self, ImportError, PlanOptions, ReadOptions, TextEncoding};
use crate::store::{Store, output};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

/// The encodings `--encoding` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8 (with or without BOM).
    Utf8,
    /// Windows-1252 / Latin-1 (Italian Excel's CSV).
    Windows1252,
}

/// The options of `accoglienza import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xls, .ods or .csv (the kind is read from its content).
    #[arg(long, value_name = "FILE", required_unless_present_any = ["undo", "list"])]
    pub from: Option<PathBuf>,
    /// The sheet of a workbook (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A mapping: a .json file, the name of one saved in the window, or a kind of rows
    /// with every column guessed (accessi, persone, nuclei, prese-in-carico, progetti,
    /// invii, presenze, operatori).
    #[arg(long, value_name = "NAME|FILE.json", required_unless_present_any = ["undo", "list"])]
    pub mapping: Option<String>,
    /// Show what would be imported and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the refused rows, with row, column and reason, to this CSV.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// The header row, as numbered in the spreadsheet (default: guessed).
    #[arg(long, value_name = "N")]
    pub header_row: Option<usize>,
    /// The encoding of a CSV (default: detected).
    #[arg(long, value_enum)]
    pub encoding: Option<EncodingArg>,
    /// Undo an import: its records are archived and its rows can be imported again.
    #[arg(long, value_name = "BATCH", conflicts_with_all = ["from", "list"])]
    pub undo: Option<String>,
    /// List the imports made.
    #[arg(long, conflicts_with = "from")]
    pub list: bool,
}

/// A failure with its exit code.
pub struct Failure {
    /// The message.
    pub message: String,
    /// The exit code (1 or 2).
    pub code: u8,
}

fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        code: 1,
    }
}

/// Runs the command and returns its exit code (messages on standard output and error).
pub fn main(db: PathBuf, auth: &super::Auth, args: ImportArgs) -> ExitCode {
    match run(&db, auth, &args) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("Errore: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// Runs the command: `Ok(exit code)` or a failure.
pub fn run(db: &Path, auth: &super::Auth, args: &ImportArgs) -> Result<u8, Failure> {
    if let Some(report) = &args.report {
        output::check_target(db, report).map_err(|e| fail(e.to_string()))?;
    }
    if let Some(batch) = &args.undo {
        let store = super::open_signed(db, auth, &[crate::domain::Permission::Backup])
            .map_err(fail)?
            .0;
        return undo(&store, batch);
    }
    if args.list {
        let store = super::open_signed(db, auth, &[crate::domain::Permission::Backup])
            .map_err(fail)?
            .0;
        return list(&store);
    }
    let (Some(from), Some(mapping)) = (&args.from, &args.mapping) else {
        return Err(fail("Indica --from FILE e --mapping"));
    };
    // An unreadable file is refused before the database is even opened.
    let encoding = args.encoding.map(|e| match e {
        EncodingArg::Utf8 => TextEncoding::Utf8,
        EncodingArg::Windows1252 => TextEncoding::Windows1252,
    });
    let read = |sheet: Option<String>| {
        import::read_file(
            from,
            &ReadOptions {
                sheet,
                encoding,
                delimiter: None,
            },
        )
        .map_err(|e| Failure {
            message: e.to_string(),
            code: 2,
        })
    };
    let mut sheet = read(args.sheet.clone())?;
    let store = super::open_signed(db, auth, &[crate::domain::Permission::Backup])
        .map_err(fail)?
        .0;
    let mut mapping = import::find_mapping(&store, mapping).map_err(fail)?;
    if args.sheet.is_none()
        && let Some(s) = &mapping.sheet
        && *s != sheet.name
    {
        sheet = read(Some(s.clone()))?;
    }
    if let Some(h) = args.header_row {
        mapping.header_row = Some(h);
    }
    let file = from
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let reader = store.read().map_err(|e| fail(e.to_string()))?;
    let opts = PlanOptions {
        today: store.clock().today(),
        actor: Id::NIL,
        decisions: Default::default(),
    };
    let plan =
        import::plan(&reader, &file, &sheet, &mapping, &opts, &mut |_, _| {}).map_err(fail)?;
    drop(reader);
    println!(
        "File {file}: {}, foglio «{}» (fogli: {}), intestazioni alla riga {}",
        sheet.kind.describe(),
        sheet.name,
        sheet.sheet_names.join(", "),
        plan.header_row
    );
    println!(
        "Colonne: {}",
        plan.columns
            .iter()
            .map(|(f, h)| format!("«{h}» → {}", f.label()))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let c = &plan.counts;
    println!("Righe lette: {}", c.rows);
    println!(
        "  persone nuove: {}; già registrate: {}; con omonimi da verificare: {}",
        c.new_people, c.known_people, c.near_matches
    );
    println!(
        "  record da creare: {}",
        if c.records.is_empty() {
            "nessuno".to_string()
        } else {
            c.records
                .iter()
                .map(|(k, n)| format!("{} {n}", k.label()))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    println!(
        "  già importate: {}; ripetute nel foglio: {}; rifiutate: {}",
        c.already_imported, c.repeated, c.refused
    );
    for n in &plan.near {
        println!(
            "Riga {}: {} ha omonimi già registrati ({}): sarà registrata come nuova persona",
            n.row,
            n.who,
            n.candidates
                .iter()
                .map(|(_, d)| d.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    for r in plan.refused() {
        if let import::RowOutcome::Refused { column, reason } = &r.outcome {
            println!("Riga {}, colonna «{column}»: {reason}", r.row);
        }
    }
    if let Some(report) = &args.report {
        output::write_atomic_with(store.path(), report, true, |w| {
            w.write_all(&plan.refused_csv())
        })
        .map_err(fail)?;
        println!("Righe rifiutate scritte in {}", report.display());
    }
    if args.dry_run {
        println!("Prova: non è stato scritto nulla.");
        return Ok(if c.refused > 0 { 1 } else { 0 });
    }
    match import::commit(
        &store,
        Id::NIL,
        &plan,
        &mut |_, _| {},
        &AtomicBool::new(false),
    ) {
        Ok(batch) => {
            println!(
                "Importazione {} completata: {} righe importate{}.",
                batch.id,
                batch.rows,
                if batch.refused > 0 {
                    format!(", {} rifiutate e saltate", batch.refused)
                } else {
                    String::new()
                }
            );
            println!("Per annullarla: accoglienza import --undo {}", batch.id);
            Ok(0)
        }
        Err(ImportError::Nothing) => {
            println!("{}", ImportError::Nothing);
            Ok(0)
        }
        Err(e) => Err(fail(e.to_string())),
    }
}

fn undo(store: &Store, batch: &str) -> Result<u8, Failure> {
    let id = Id::parse(batch).ok_or_else(|| fail(format!("«{batch}» non è un identificativo")))?;
    let done = import::undo(store, Id::NIL, id).map_err(|e| fail(e.to_string()))?;
    println!(
        "Importazione {id} annullata: {} record archiviati{}.",
        done.archived,
        if done.kept > 0 {
            format!(
                ", {} persone o nuclei tenuti perché hanno record registrati dopo",
                done.kept
            )
        } else {
            String::new()
        }
    );
    Ok(0)
}

fn list(store: &Store) -> Result<u8, Failure> {
    let batches = store
        .read()
        .and_then(|r| r.import_batches())
        .map_err(|e| fail(e.to_string()))?;
    if batches.is_empty() {
        println!("Nessuna importazione.");
    }
    for b in batches {
        println!(
            "{}  {}  {} «{}» ({})  {} righe{}",
            b.id,
            crate::domain::time::fmt_datetime(b.at),
            b.file,
            b.sheet,
            b.mapping,
            b.rows,
            if b.undone.is_some() {
                "  ANNULLATA"
            } else {
                ""
            }
        );
    }
    Ok(0)
}
