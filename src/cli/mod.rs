//! The command line: no subcommand opens the window; subcommands run headless jobs.

pub mod auth;
mod backup;
mod demo_data;
mod document;
mod export;
pub mod import;
mod merge;
pub mod package_files;
mod person;
mod privacy;
mod probe;
mod project;
mod report;
mod stats_out;

pub use auth::Auth;

use crate::demo::Scale;
use crate::domain::Permission;
use crate::store::{Store, output};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

/// Accoglienza — case tracker for a social reception service.
#[derive(Debug, Parser)]
#[command(
    name = "accoglienza",
    version,
    about = "Accoglienza: gestione del Servizio di Accoglienza Sociale",
    long_about = "Accoglienza: gestione del Servizio di Accoglienza Sociale.\n\n\
        A case tracker for the social reception service of a social cooperative: people and \
        households, contacts, cases, projects, referrals, group activities, and the annual \
        counts per service line. Without a subcommand the window opens (on first start, on \
        a new empty database, with a welcome screen); the subcommands run headless jobs."
)]
pub struct Cli {
    /// Database file (default: the platform data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Sign in as this account: it unlocks an encrypted database (the key slot named after
    /// it) and, on a database with accounts, every command runs with its permissions. The
    /// password is asked at the prompt, or read from --password-file.
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// A file holding the password of --user (never give it as an argument).
    #[arg(long, global = true, value_name = "F", requires = "user")]
    pub password_file: Option<PathBuf>,
    /// A file holding the recovery key of an encrypted database (when every password is
    /// lost).
    #[arg(long, global = true, value_name = "F")]
    pub recovery_key_file: Option<PathBuf>,
    /// What to do; without a command the window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless jobs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty database with realistic demo data.
    Demo {
        /// How much data.
        #[arg(long, value_enum, default_value = "cooperative")]
        scale: Scale,
        /// Random seed (the same seed gives the same data).
        #[arg(long, default_value_t = 2022)]
        seed: u64,
    },
    /// Annual counts per service line.
    Stats {
        /// Only this year.
        #[arg(long)]
        year: Option<i32>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: StatsFormat,
    },
    /// Every record of a table, with ids, so anyone can recount.
    Export {
        /// Which table.
        #[arg(long, value_enum)]
        table: export::Table,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Output file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// With `--table documents`: also write each file into this folder, as
        /// `<id>-<name>` (readable by its owner only, checked against its SHA-256).
        #[arg(long, value_name = "DIR")]
        with_files: Option<PathBuf>,
    },
    /// Import a spreadsheet (XLSX, XLS, ODS, CSV) through a mapping: one batch, undoable;
    /// exit code 0 imported, 1 refused rows in a dry run, 2 unreadable file.
    Import(import::ImportArgs),
    /// Diagnostic: inserts contacts one durable transaction at a time and prints each id
    /// once committed (used by the crash tests).
    #[command(hide = true)]
    WriteProbe {
        /// How many contacts to write.
        #[arg(long, default_value_t = 1000)]
        count: u64,
    },
    /// The annual report: the year's figures in sentences and as a table.
    Report {
        /// The year.
        #[arg(long)]
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: report::ReportFormat,
        /// Output file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// A dashboard chart as a PNG image (drawn without a window).
    Chart {
        /// The year.
        #[arg(long)]
        year: i32,
        /// Which chart.
        #[arg(long, value_enum, default_value = "year")]
        kind: report::ChartChoice,
        /// Width in pixels.
        #[arg(long, default_value_t = 1200)]
        width: u32,
        /// Height in pixels.
        #[arg(long, default_value_t = 640)]
        height: u32,
        /// Output file (.png).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Back up the whole database into one file (.accbak), optionally encrypted.
    Backup {
        /// The backup file to write (replaced only once the new one is complete).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Encrypt with the passphrase in this file (never on the command line).
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// Encrypt with a passphrase typed at the prompt (twice).
        #[arg(long, conflicts_with = "passphrase_file")]
        ask_passphrase: bool,
        /// Replace FILE even when it is a backup holding more records than the new one
        /// (otherwise refused: a scheduled backup of the wrong database must not replace
        /// a good backup).
        #[arg(long)]
        replace_larger: bool,
    },
    /// Check a backup file without restoring it.
    Verify {
        /// The backup file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The passphrase of an encrypted backup, in a file (otherwise asked at the prompt).
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
    },
    /// Replace the database with the content of a backup (a safety copy is kept).
    Restore {
        /// The backup file.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The passphrase of an encrypted backup, in a file (otherwise asked at the prompt).
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Merge another desk's backup into this database: records unknown here are added,
    /// records changed at one desk only are taken, the same field changed at both desks is
    /// a conflict (listed; decide it in the window or with --conflicts). The catalogue is
    /// matched by code. Merging the same file twice changes nothing.
    Merge {
        /// The other desk's backup (.accbak), plain or encrypted.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The passphrase of an encrypted backup, in a file (otherwise asked at the prompt).
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// Only show what would change (added / updated / conflicting per kind); write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Decide every conflict this way (otherwise a conflict stops the merge, nothing written).
        #[arg(long, value_enum, value_name = "REGOLA")]
        conflicts: Option<merge::ConflictRule>,
    },
    /// Erase a person for good (GDPR art. 17): the person and every record about them are
    /// removed, or made anonymous where they must stay for the annual counts; the registro
    /// cancellazioni keeps an opaque entry; the file is compacted. Needs a coordinator.
    Erase(privacy::EraseArgs),
    /// One person's documents: the cartella as PDF, the art. 15 access export as JSON.
    #[command(subcommand)]
    Person(person::PersonCommand),
    /// A project's documents: the messa alla prova statement for the UEPE and the court,
    /// the tirocinio's monthly attendance sheet (PDF).
    #[command(subcommand)]
    Project(project::ProjectCommand),
    /// Attached documents: attach a file (PDF, JPEG, PNG) to a person, household, case,
    /// project, referral or pratica.
    #[command(subcommand)]
    Document(document::DocumentCommand),
    /// The retention schedule: the periods per kind of record, the people whose every record
    /// has passed its period (--list, the default) and their erasure (--apply).
    Retention(privacy::RetentionArgs),
    /// Verify the database: file integrity, records, indexes, references and counts.
    Check {
        /// Rebuild the annual counts from the records if they disagree, and bring back a
        /// counted year that ran ahead of the clock.
        #[arg(long)]
        repair: bool,
        /// Confirm that the computer's clock is right after a jump of more than one year:
        /// open cases and projects start counting through this year.
        #[arg(long, value_name = "YEAR")]
        confirm_year: Option<i32>,
    },
    /// Packaging: writes the man pages and the shell completions, generated from these
    /// definitions, under a folder (`man/`, `completions/`).
    #[command(hide = true)]
    PackageFiles {
        /// The folder to write into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Shows a message read from standard input in a window (how the window reports an
    /// internal error, or a failed backup at exit, once it can no longer draw itself).
    #[command(hide = true)]
    ShowError {
        /// The message is about the automatic backup at exit.
        #[arg(long)]
        backup_at_exit: bool,
    },
}

/// Formats of `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Aligned text.
    Table,
    /// Comma-separated values.
    Csv,
    /// JSON array.
    Json,
}

/// Formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// JSON array of objects.
    Json,
}

/// The default database file: `<data dir>/accoglienza/accoglienza.redb`.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("it", "Accoglienza", "accoglienza")
        .map(|d| d.data_dir().join("accoglienza.redb"))
        .unwrap_or_else(|| PathBuf::from("accoglienza.redb"))
}

/// Refuses an output file that would replace the database (checked before the database
/// is even opened, so a refusal leaves its file byte-identical).
fn check_out(db: &Path, out: &Path) -> Result<(), String> {
    output::check_target(db, out).map_err(|e| e.to_string())
}

/// Opens the database a command works on: it must exist (a mistyped `--db` creates
/// nothing); when it must be converted from an older schema first, says so on standard
/// error (at city scale the conversion takes a few seconds). Warns when the clock jumped
/// more than a year past the counted year.
pub fn open_existing(db: &Path, auth: &auth::Auth) -> Result<Store, String> {
    let mut told = false;
    let opts = crate::store::OpenOptions {
        must_exist: true,
        ..Default::default()
    };
    let mut progress = |_: &str, _: u64, _: u64| {
        if !told {
            eprintln!(
                "Aggiornamento del database allo schema {}: il file precedente resta accanto come copia di sicurezza…",
                crate::store::tables::SCHEMA_VERSION
            );
            told = true;
        }
    };
    let encrypted = crate::store::crypt::file_kind(db).map_err(|e| e.to_string())?
        == crate::store::crypt::FileKind::Encrypted;
    let store = if encrypted {
        auth::open_encrypted(db, auth, opts, &mut progress)?
    } else {
        Store::open_with_progress(db, opts, &mut progress).map_err(|e| e.to_string())?
    };
    if let Ok(Some(j)) = store.year_jump() {
        eprintln!(
            "Attenzione: l'orologio del computer indica il {}, ma i conteggi arrivano al {}: i casi aperti non contano ancora negli anni successivi. Se l'orologio è giusto conferma con `accoglienza check --confirm-year {}` (o all'apertura della finestra).",
            j.clock, j.counted, j.clock
        );
    }
    Ok(store)
}

/// Opens an existing database and signs in when it has accounts, checking the
/// permissions the command needs.
pub(crate) fn open_signed(
    db: &Path,
    auth: &Auth,
    need: &[Permission],
) -> Result<(Store, Option<crate::access::Session>), String> {
    let store = open_existing(db, auth)?;
    let session = auth::sign_in(&store, auth, need)?;
    Ok((store, session))
}

/// Runs a headless command; the error is the message for standard error.
pub fn run(db: PathBuf, auth: &auth::Auth, command: Command) -> Result<(), String> {
    match command {
        Command::Demo { scale, seed } => demo_data::run(&db, auth, scale, seed),
        Command::Stats { year, format } => {
            if let Some(y) = year
                && !(1900..=2200).contains(&y)
            {
                return Err(format!("Anno non valido: {y}"));
            }
            let (store, session) = open_signed(&db, auth, &[Permission::Cruscotto])?;
            let counts = crate::stats::annual_counts(&auth::reader(&store, session.as_ref())?)
                .map_err(|e| e.to_string())?;
            print!("{}", stats_out::render(&counts, year, format));
            Ok(())
        }
        Command::Export {
            table,
            format,
            out,
            with_files,
        } => {
            if let Some(out) = &out {
                check_out(&db, out)?;
            }
            let (store, session) = open_signed(&db, auth, &[Permission::Esportazioni])?;
            export::export(
                &store,
                session.as_ref(),
                table,
                format,
                out.as_deref(),
                with_files.as_deref(),
            )
        }
        Command::Import(args) => match import::run(&db, auth, &args) {
            Ok(0) => Ok(()),
            Ok(_) => Err("righe rifiutate".into()),
            Err(f) => Err(f.message),
        },
        Command::WriteProbe { count } => {
            let (store, session) = open_signed(&db, auth, &[Permission::Accessi])?;
            probe::write_probe(&store, session.as_ref(), count).map_err(|e| e.to_string())
        }
        Command::Report { year, format, out } => {
            report::check_year(year)?;
            check_out(&db, &out)?;
            let (store, session) = open_signed(
                &db,
                auth,
                &[Permission::Esportazioni, Permission::Cruscotto],
            )?;
            report::report(&store, session.as_ref(), year, format, &out)
        }
        Command::Chart {
            year,
            kind,
            width,
            height,
            out,
        } => {
            report::check_year(year)?;
            check_out(&db, &out)?;
            let (store, session) = open_signed(
                &db,
                auth,
                &[Permission::Esportazioni, Permission::Cruscotto],
            )?;
            report::chart(&store, session.as_ref(), year, kind, width, height, &out)
        }
        Command::Backup {
            out,
            passphrase_file,
            ask_passphrase,
            replace_larger,
        } => {
            check_out(&db, &out)?;
            backup::backup(
                &db,
                auth,
                &out,
                passphrase_file.as_deref(),
                ask_passphrase,
                replace_larger,
            )
        }
        Command::Verify {
            file,
            passphrase_file,
        } => backup::verify(&file, auth, passphrase_file.as_deref()),
        Command::Restore {
            from,
            passphrase_file,
            yes,
        } => backup::restore(&db, auth, &from, passphrase_file.as_deref(), yes),
        Command::Merge {
            from,
            passphrase_file,
            dry_run,
            conflicts,
        } => merge::merge(
            &db,
            auth,
            &from,
            passphrase_file.as_deref(),
            dry_run,
            conflicts,
        ),
        Command::Erase(args) => privacy::erase(&db, auth, &args),
        Command::Person(cmd) => person::run(&db, auth, cmd),
        Command::Project(cmd) => project::run(&db, auth, cmd),
        Command::Document(cmd) => document::run(&db, auth, cmd),
        Command::Retention(args) => privacy::retention(&db, auth, &args),
        Command::PackageFiles { out } => {
            for file in package_files::write(&out)? {
                println!("{}", file.display());
            }
            Ok(())
        }
        Command::ShowError { backup_at_exit } => {
            crate::ui::startup::show_error_from_stdin(backup_at_exit)
        }
        Command::Check {
            repair,
            confirm_year,
        } => {
            let (mut store, _session) = open_signed(&db, auth, &[Permission::Backup])?;
            if let Some(y) = confirm_year {
                store.confirm_year(y).map_err(|e| e.to_string())?;
                println!(
                    "Anno di conteggio portato al {y}: i casi e i progetti aperti contano fino al {y}."
                );
            }
            let mut report = store.check().map_err(|e| e.to_string())?;
            if repair && !report.ok() {
                repair_counted_year(&store)?;
                store.rebuild_aggregates().map_err(|e| e.to_string())?;
                println!("Conteggi annuali ricostruiti dai record.");
                report = store.check().map_err(|e| e.to_string())?;
            }
            println!("Database: {}", db.display());
            println!(
                "Schema: versione {}",
                store.schema_version().map_err(|e| e.to_string())?
            );
            for (kind, n) in &report.records {
                let a = report.archived.get(kind).copied().unwrap_or(0);
                println!("  {:<24} {:>9} (archiviati {a})", kind.label(), n);
            }
            println!("  {:<24} {:>9}", "voci del registro", report.audit_entries);
            println!(
                "  {:<24} {:>9}{}",
                "  di cui concatenate",
                report.audit_chained,
                report
                    .audit_head
                    .as_deref()
                    .map(|h| format!(" (testa {})", &h[..16]))
                    .unwrap_or_default()
            );
            println!("  {:<24} {:>9}", "voci degli indici", report.index_entries);
            println!("  {:<24} {:>9}", "conteggi annuali", report.totals_checked);
            if report.ok() {
                println!("Nessun problema trovato.");
                Ok(())
            } else {
                for p in &report.problems {
                    println!("PROBLEMA: {p}");
                }
                Err(format!(
                    "{} problemi trovati nel database",
                    report.problems.len()
                ))
            }
        }
    }
}

/// `check --repair`: brings a counted year that ran ahead of the clock back, and says so.
fn repair_counted_year(store: &Store) -> Result<(), String> {
    match store
        .bring_back_counting_year()
        .map_err(|e| e.to_string())?
    {
        Some((from, to)) => println!(
            "Anno di conteggio riportato dal {from} al {to}: i casi e i progetti aperti non contano più negli anni successivi."
        ),
        None => {
            if let Some(y) = store.future_contacts_year().map_err(|e| e.to_string())? {
                println!(
                    "L'anno di conteggio resta al {}: ci sono accessi datati fino al {y}, dopo la data dell'orologio. Correggi le loro date, poi ripeti `check --repair`.",
                    store.through_year().map_err(|e| e.to_string())?
                );
            }
        }
    }
    Ok(())
}
