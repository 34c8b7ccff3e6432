//! Signing in from the command line: `--user NAME` with the password typed at the prompt
//! or read from `--password-file F` (never an argument). A database without accounts (made
//! before accounts existed, or never given one) needs no sign-in.

use crate::access::{self, Session};
use crate::domain::Permission;
use crate::store::{Reader, Store};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Who runs the command.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// The account's username.
    pub user: Option<String>,
    /// A file holding the password (one line).
    pub password_file: Option<PathBuf>,
}

/// Reads a password file: its content without one trailing line break.
fn read_password_file(p: &Path) -> Result<Zeroizing<String>, String> {
    let mut s = Zeroizing::new(std::fs::read_to_string(p).map_err(|e| {
        format!(
            "Impossibile leggere il file della password {}: {e}",
            p.display()
        )
    })?);
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    if s.is_empty() {
        return Err(format!("Il file della password {} è vuoto.", p.display()));
    }
    Ok(s)
}

/// Signs in when the database has accounts, and checks the permissions the command needs.
/// `None`: the database has no account, nothing to sign in to.
pub fn sign_in(store: &Store, auth: &Auth, need: &[Permission]) -> Result<Option<Session>, String> {
    if !store.has_accounts().map_err(|e| e.to_string())? {
        return Ok(None);
    }
    let Some(user) = auth.user.as_deref() else {
        return Err("Questo database ha account personali: indica chi sei con --user NOME (la password si digita al prompt, oppure si legge da --password-file FILE).".into());
    };
    let password = match &auth.password_file {
        Some(f) => read_password_file(f)?,
        None => {
            if !std::io::stdin().is_terminal() {
                return Err("Indica la password con --password-file FILE (qui non c'è un terminale in cui digitarla).".into());
            }
            Zeroizing::new(
                rpassword::prompt_password(format!("Password di {user}: "))
                    .map_err(|e| format!("Impossibile leggere la password: {e}"))?,
            )
        }
    };
    let session = access::sign_in(store, user, &password).map_err(|e| e.to_string())?;
    if session.must_change() {
        return Err(format!(
            "La password di {user} è provvisoria: cambiala accedendo dalla finestra, poi ripeti il comando."
        ));
    }
    for p in need {
        if !session.may(*p) {
            return Err(format!(
                "L'account {user} non può eseguire questo comando: serve il permesso «{}».",
                p.label()
            ));
        }
    }
    Ok(Some(session))
}

/// A read snapshot for the session (the system's own without accounts).
pub fn reader(store: &Store, session: Option<&Session>) -> Result<Reader, String> {
    match session {
        Some(s) => store.read_as(s),
        None => store.read(),
    }
    .map_err(|e| e.to_string())
}

/// Logs a read that matters for the session (nothing without accounts).
pub fn log(
    store: &Store,
    session: Option<&Session>,
    kind: crate::domain::access::AccessKind,
    what: &str,
) -> Result<(), String> {
    match session {
        Some(s) => store
            .log_access(s, kind, None, what)
            .map_err(|e| e.to_string()),
        None => Ok(()),
    }
}
