//! `accoglienza`: opens the window, or runs a headless job (see `--help`).

use accoglienza::cli::{self, Cli};
use accoglienza::ui::startup::{self, ProblemKind};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Cli::parse();
    // Started from the desktop menu nobody reads standard error: the window also shows an
    // internal error, from a new process (this one may no longer be able to draw).
    let window = args.command.is_none();
    std::panic::set_hook(Box::new(move |info| {
        // A damaged workbook trips the spreadsheet reader: caught and reported as such.
        if accoglienza::import::read::reading_workbook() {
            return;
        }
        // So does a damaged attached document being decoded for its preview.
        if accoglienza::ui::documents::preview::decoding() {
            return;
        }
        let message = format!(
            "Errore interno del programma: {info}. Nessun dato confermato è andato perso; segnala il problema."
        );
        eprintln!("{message}");
        if window {
            startup::show_in_new_process(ProblemKind::Internal, &message);
        }
    }));
    let db = args.db.unwrap_or_else(cli::default_db_path);
    let auth = cli::auth::Auth::new(args.user, args.password_file, args.recovery_key_file);
    let result = match args.command {
        None => accoglienza::ui::run(db),
        // Its own exit codes: 1 refused rows in a dry run, 2 an unreadable file.
        Some(cli::Command::Import(a)) => return cli::import::main(db, &auth, a),
        Some(cmd) => cli::run(db, &auth, cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Errore: {e}");
            ExitCode::FAILURE
        }
    }
}
