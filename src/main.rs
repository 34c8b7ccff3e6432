//! `accoglienza`: opens the window, or runs a headless job (see `--help`).

use accoglienza::cli::{self, Cli};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "Errore interno del programma: {info}. Nessun dato confermato è andato perso; segnala il problema."
        );
    }));
    let args = Cli::parse();
    let db = args.db.unwrap_or_else(cli::default_db_path);
    let result = match args.command {
        None => accoglienza::ui::run(db),
        Some(cmd) => cli::run(db, cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Errore: {e}");
            ExitCode::FAILURE
        }
    }
}
