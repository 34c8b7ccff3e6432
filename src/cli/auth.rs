//! Signing in from the command line: `--user NAME` with the password typed at the prompt
//! or read from `--password-file F` (never an argument), or the recovery key read from
//! `--recovery-key-file F`. An encrypted database is first unlocked with the key slot named
//! after the user (failed attempts are counted in the file's superblock; after
//! [`crypt::LOCK_AFTER_FAILURES`] the account is refused for a while); then, when the
//! database has accounts, the account signs in and the command's permissions are checked.
//! A plain database without accounts (made before accounts existed) needs no sign-in.

use crate::access::{self, Session};
use crate::domain::Permission;
use crate::store::crypt::{self, SecretString, Unlock};
use crate::store::{OpenOptions, Reader, Store, StoreError};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The password once read (file or prompt), so a command asks for it only once.
#[derive(Default)]
struct PasswordCache(Mutex<Option<Zeroizing<String>>>);

impl std::fmt::Debug for PasswordCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordCache(…)")
    }
}

impl Clone for PasswordCache {
    fn clone(&self) -> Self {
        PasswordCache::default()
    }
}

/// The credentials given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// `--user NAME`.
    pub user: Option<String>,
    /// `--password-file F`.
    pub password_file: Option<PathBuf>,
    /// `--recovery-key-file F`.
    pub recovery_key_file: Option<PathBuf>,
    password: PasswordCache,
}

impl Auth {
    /// The credentials of the command line's options.
    pub fn new(
        user: Option<String>,
        password_file: Option<PathBuf>,
        recovery_key_file: Option<PathBuf>,
    ) -> Auth {
        Auth {
            user,
            password_file,
            recovery_key_file,
            password: PasswordCache::default(),
        }
    }
}

/// A secret read from a file: its content without one trailing line break.
pub(crate) fn read_secret_file(p: &Path, what: &str) -> Result<Zeroizing<String>, String> {
    let mut s = Zeroizing::new(
        std::fs::read_to_string(p)
            .map_err(|e| format!("Impossibile leggere il file {what} {}: {e}", p.display()))?,
    );
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    if s.is_empty() {
        return Err(format!("Il file {what} {} è vuoto.", p.display()));
    }
    Ok(s)
}

impl Auth {
    /// The password of `--user`: from `--password-file`, else typed at the prompt (once).
    fn password(&self, user: &str) -> Result<Zeroizing<String>, String> {
        let mut cache = self.password.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = cache.as_ref() {
            return Ok(p.clone());
        }
        let p = match &self.password_file {
            Some(f) => read_secret_file(f, "della password")?,
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
        *cache = Some(p.clone());
        Ok(p)
    }

    /// How to unlock an encrypted database, from the options.
    pub fn unlock(&self) -> Result<Unlock, String> {
        if let Some(f) = &self.recovery_key_file {
            let key = read_secret_file(f, "della chiave di recupero")?;
            return Ok(Unlock::Recovery(SecretString::from(
                key.as_str().to_owned(),
            )));
        }
        let Some(user) = &self.user else {
            return Err("Il database è cifrato: indica l'account con --user NOME (e la password con --password-file FILE o al prompt), oppure la chiave di recupero con --recovery-key-file FILE.".into());
        };
        let password = self.password(user)?;
        Ok(Unlock::Password {
            slot: user.trim().to_lowercase(),
            password: SecretString::from(password.as_str().to_owned()),
        })
    }
}

/// Opens the encrypted database at `db` with the command line's credentials. A wrong
/// password is counted against the account; a locked account is refused before any
/// password is tried.
pub fn open_encrypted(
    db: &Path,
    auth: &Auth,
    opts: OpenOptions,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<Store, String> {
    let now = chrono::Utc::now().timestamp();
    if let (Some(user), None) = (&auth.user, &auth.recovery_key_file) {
        let st = crypt::slot_status(db, &user.trim().to_lowercase()).map_err(|e| e.to_string())?;
        if let Some(until) = st.locked_until.filter(|u| *u > now) {
            return Err(format!(
                "Troppi tentativi falliti per l'account {user}: riprova tra {} minuti (o usa la chiave di recupero).",
                (until - now + 59) / 60
            ));
        }
    }
    let how = auth.unlock()?;
    match Store::open_encrypted_with_progress(db, opts, &how, progress) {
        Ok(store) => {
            if let Unlock::Password { slot, .. } = &how {
                let _ = store.clear_slot_failures(slot);
            }
            Ok(store)
        }
        Err(StoreError::WrongPassword) => {
            if let Unlock::Password { slot, .. } = &how {
                let _ = crypt::record_failed_unlock(db, slot, now);
            }
            Err(StoreError::WrongPassword.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Signs in when the database has accounts, and checks the permissions the command needs.
/// `None`: nothing to sign in to — a plain database without accounts, or an encrypted one
/// opened with the recovery key (the cooperative's own key: every command is allowed and
/// the audit records it).
pub fn sign_in(store: &Store, auth: &Auth, need: &[Permission]) -> Result<Option<Session>, String> {
    if !store.has_accounts().map_err(|e| e.to_string())? {
        return Ok(None);
    }
    if store.is_encrypted() && auth.recovery_key_file.is_some() {
        store
            .log_recovery_key_use("riga di comando")
            .map_err(|e| e.to_string())?;
        return Ok(None);
    }
    let Some(user) = auth.user.as_deref() else {
        return Err("Questo database ha account personali: indica chi sei con --user NOME (la password si digita al prompt, oppure si legge da --password-file FILE).".into());
    };
    let password = auth.password(user)?;
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
