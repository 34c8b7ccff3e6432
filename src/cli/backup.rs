//! `backup`, `verify` and `restore`: usable from a scheduled task. A passphrase is read from
//! a file (`--passphrase-file`) or typed at an interactive prompt, never taken as an argument.

use super::auth::Auth;
use crate::domain::access::AccessKind;
use crate::domain::{Id, Permission};
use crate::store::backup::{
    self, BackupInfo, BackupOptions, Header, SecretString, TableCount, table_label,
};
use crate::store::crypt::{KnownKeys, unlock_backup};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

fn progress_bar() -> (indicatif::ProgressBar, impl FnMut(&str, u64, u64)) {
    let bar = indicatif::ProgressBar::new(1);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg:36} [{bar:30}] {pos}/{len} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let b = bar.clone();
    let report = move |phase: &str, done: u64, total: u64| {
        if b.message() != phase {
            b.set_message(phase.to_string());
        }
        b.set_length(total.max(1));
        b.set_position(done);
    };
    (bar, report)
}

/// Reads a passphrase file: its content without one trailing line break.
fn read_passphrase_file(p: &Path) -> Result<SecretString, String> {
    let mut s = std::fs::read_to_string(p).map_err(|e| {
        format!(
            "Impossibile leggere il file della passphrase {}: {e}",
            p.display()
        )
    })?;
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    if s.is_empty() {
        return Err(format!("Il file della passphrase {} è vuoto.", p.display()));
    }
    Ok(SecretString::from(s))
}

fn prompt(label: &str) -> Result<SecretString, String> {
    if !std::io::stdin().is_terminal() {
        return Err("Il backup è cifrato: indica la passphrase con --passphrase-file FILE (qui non c'è un terminale in cui digitarla).".into());
    }
    let s = rpassword::prompt_password(label)
        .map_err(|e| format!("Impossibile leggere la passphrase: {e}"))?;
    if s.is_empty() {
        return Err("Passphrase vuota.".into());
    }
    Ok(SecretString::from(s))
}

/// The passphrase to open `file` with, if it is encrypted.
pub(super) fn passphrase_for(
    file: &Path,
    pass_file: Option<&Path>,
) -> Result<Option<SecretString>, String> {
    if let Some(p) = pass_file {
        return read_passphrase_file(p).map(Some);
    }
    if backup::is_encrypted(file).map_err(|e| e.to_string())? {
        return prompt("Passphrase del backup: ").map(Some);
    }
    Ok(None)
}

fn print_header(info: &BackupInfo) {
    let h = &info.header;
    println!("Backup: {}", info.path.display());
    println!(
        "  creato il {} da Accoglienza {} (schema {}){}",
        h.created_at.format("%d/%m/%Y %H:%M"),
        h.app_version,
        h.schema_version,
        h.desk
            .as_ref()
            .map(|d| format!(", sportello {}", d.name))
            .unwrap_or_default()
    );
    println!(
        "  {} byte, {}",
        info.bytes,
        if info.encrypted && backup::is_keyed(&info.path) {
            "cifrato con le chiavi del database"
        } else if info.encrypted {
            "cifrato con passphrase"
        } else {
            "non cifrato"
        }
    );
}

fn print_counts(h: &Header, current: Option<&[TableCount]>) {
    if current.is_some() {
        println!("  {:<24} {:>9} {:>9}", "", "backup", "attuale");
    }
    for (name, _) in backup::tables() {
        match current {
            None => println!("  {:<24} {:>9}", table_label(name), h.count(name)),
            Some(cur) => {
                let now = cur.iter().find(|c| c.name == name).map_or(0, |c| c.count);
                println!(
                    "  {:<24} {:>9} {:>9}",
                    table_label(name),
                    h.count(name),
                    now
                );
            }
        }
    }
}

/// `backup --out FILE [--passphrase-file F | --ask-passphrase] [--replace-larger]`.
pub fn backup(
    db: &Path,
    auth: &Auth,
    out: &Path,
    pass_file: Option<&Path>,
    ask: bool,
    replace_larger: bool,
) -> Result<(), String> {
    let passphrase = match (pass_file, ask) {
        (Some(p), _) => Some(read_passphrase_file(p)?),
        (None, true) => {
            let a = prompt("Passphrase per il backup: ")?;
            let b = prompt("Ripeti la passphrase: ")?;
            use age::secrecy::ExposeSecret;
            if a.expose_secret() != b.expose_secret() {
                return Err("Le due passphrase non coincidono.".into());
            }
            Some(a)
        }
        (None, false) => None,
    };
    let store = super::open_existing(db, auth)?;
    let session = super::auth::sign_in(&store, auth, &[Permission::Backup])?;
    if store.is_encrypted() && passphrase.is_some() {
        eprintln!(
            "Nota: il database è cifrato, quindi anche il backup lo è, con le chiavi del database (si apre con la password di un account o con la chiave di recupero): la passphrase non serve e non è usata."
        );
    }
    let opts = BackupOptions {
        passphrase,
        replace_larger,
        operator: session.as_ref().and_then(|s| s.operator()),
        ..BackupOptions::default()
    };
    let (bar, mut report) = progress_bar();
    let info = store
        .backup_to(out, &opts, &mut report)
        .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    super::auth::log(
        &store,
        session.as_ref(),
        AccessKind::Backup,
        &out.display().to_string(),
    )?;
    println!("Backup completato e verificato (riletto per intero).");
    print_header(&info);
    print_counts(&info.header, None);
    Ok(())
}

/// For a backup of an encrypted database: its keys unlocked with the command line's
/// credentials, known while the guard lives.
fn unlock_keyed(file: &Path, auth: &Auth) -> Result<Option<KnownKeys>, String> {
    if !backup::is_keyed(file) {
        return Ok(None);
    }
    let how = auth
        .unlock()
        .map_err(|_| backup::BackupError::NeedsKey.to_string())?;
    unlock_backup(file, &how).map_err(|e| e.to_string())
}

/// `verify FILE [--passphrase-file F]`.
pub fn verify(file: &Path, auth: &Auth, pass_file: Option<&Path>) -> Result<(), String> {
    let _keys = unlock_keyed(file, auth)?;
    let pass = passphrase_for(file, pass_file)?;
    let (bar, mut report) = progress_bar();
    let info = backup::verify(file, pass.as_ref(), &mut report).map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    println!("Backup integro: ogni record è leggibile e il checksum SHA-256 corrisponde.");
    print_header(&info);
    print_counts(&info.header, None);
    Ok(())
}

/// `restore --from FILE [--passphrase-file F] [--yes]`.
pub fn restore(
    db: &Path,
    auth: &Auth,
    from: &Path,
    pass_file: Option<&Path>,
    yes: bool,
) -> Result<(), String> {
    // The whole file is checked before the database is even opened: a refused backup
    // leaves the database file exactly as it was.
    let _keys = unlock_keyed(from, auth)?;
    let pass = passphrase_for(from, pass_file)?;
    let (bar, mut report) = progress_bar();
    let info = backup::verify(from, pass.as_ref(), &mut report).map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    let store = super::open_existing(db, auth)?;
    let session = super::auth::sign_in(&store, auth, &[Permission::Backup])?;
    println!("Backup integro.");
    print_header(&info);
    let current = store.table_counts().map_err(|e| e.to_string())?;
    print_counts(&info.header, Some(&current));
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err("Il ripristino sostituisce tutti i dati attuali: conferma con --yes (nessuna modifica fatta).".into());
        }
        print!(
            "I dati attuali di {} saranno sostituiti (ne resterà una copia di sicurezza). Scrivi SI per confermare: ",
            db.display()
        );
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        if !line.trim().eq_ignore_ascii_case("si") && line.trim() != "sì" {
            return Err("Ripristino annullato: nessuna modifica fatta.".into());
        }
    }
    let (bar, mut report) = progress_bar();
    let actor = session
        .as_ref()
        .and_then(|s| s.operator())
        .unwrap_or(Id::NIL);
    // Logged in the database being replaced (kept as the safety copy); the restored one
    // records the restore itself, attributed to the operator.
    super::auth::log(
        &store,
        session.as_ref(),
        AccessKind::Ripristino,
        &from.display().to_string(),
    )?;
    let restored = backup::restore_to_new_file(&store, from, pass.as_ref(), actor, &mut report)
        .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    let mut slot = Arc::new(store);
    let swapped = backup::swap_in(&mut slot, restored).map_err(|e| e.to_string())?;

    println!("Ripristino completato: {}", swapped.live.display());
    println!(
        "Il database sostituito è conservato in {}",
        swapped.safety_copy.display()
    );
    Ok(())
}
