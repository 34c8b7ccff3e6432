//! How the command line unlocks an encrypted database: `--user NAME` with the password read
//! from `--password-file F` or typed at the prompt (never an argument), or the recovery key
//! read from `--recovery-key-file F`. Failed attempts are counted in the file's superblock;
//! after [`crypt::LOCK_AFTER_FAILURES`] the account is refused for a while.

use crate::store::crypt::{self, SecretString, Unlock};
use crate::store::{OpenOptions, Store, StoreError};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The credentials given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// `--user NAME`.
    pub user: Option<String>,
    /// `--password-file F`.
    pub password_file: Option<PathBuf>,
    /// `--recovery-key-file F`.
    pub recovery_key_file: Option<PathBuf>,
}

/// A secret read from a file: its content without one trailing line break.
pub(crate) fn read_secret_file(p: &Path, what: &str) -> Result<SecretString, String> {
    let mut s = std::fs::read_to_string(p)
        .map_err(|e| format!("Impossibile leggere il file {what} {}: {e}", p.display()))?;
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    if s.is_empty() {
        return Err(format!("Il file {what} {} è vuoto.", p.display()));
    }
    Ok(SecretString::from(s))
}

impl Auth {
    /// How to unlock, from the options (the password asked at the prompt when there is no
    /// file and a terminal is there).
    pub fn unlock(&self) -> Result<Unlock, String> {
        if let Some(f) = &self.recovery_key_file {
            return read_secret_file(f, "della chiave di recupero").map(Unlock::Recovery);
        }
        let Some(user) = &self.user else {
            return Err("Il database è cifrato: indica l'account con --user NOME (e la password con --password-file FILE o al prompt), oppure la chiave di recupero con --recovery-key-file FILE.".into());
        };
        let password = match &self.password_file {
            Some(f) => read_secret_file(f, "della password")?,
            None => {
                if !std::io::stdin().is_terminal() {
                    return Err("Password mancante: indica --password-file FILE (qui non c'è un terminale in cui digitarla).".into());
                }
                let s = rpassword::prompt_password(format!("Password di {user}: "))
                    .map_err(|e| format!("Impossibile leggere la password: {e}"))?;
                SecretString::from(s)
            }
        };
        Ok(Unlock::Password {
            slot: user.clone(),
            password,
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
        let st = crypt::slot_status(db, user).map_err(|e| e.to_string())?;
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
