//! `accoglienza demo`: fills a new database with the demo data, encrypted, with one account
//! per role, and prints how to sign in and the recovery key.

use super::auth;
use super::open_existing;
use crate::demo::{self, Scale};
use crate::store::Store;
use std::path::Path;

/// Runs `demo` on `db` at `scale` with `seed`.
pub fn run(db: &Path, auth: &auth::Auth, scale: Scale, seed: u64) -> Result<(), String> {
    let (mut store, recovery) = open_for_demo(db, auth)?;
    let bar = indicatif::ProgressBar::new(1);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:40} [{bar:30}] {pos}/{len} ({eta})")
            .map_err(|e| e.to_string())?
            .progress_chars("=> "),
    );
    let mut report = |phase: &str, done: u64, total: u64| {
        if bar.message() != phase {
            bar.set_message(phase.to_string());
        }
        bar.set_length(total.max(1));
        bar.set_position(done);
    };
    let summary = demo::generate(&store, scale, seed, &mut report).map_err(|e| e.to_string())?;
    bar.set_message("Account dimostrativi");
    demo::create_accounts(&store, crate::access::PasswordParams::STANDARD)
        .map_err(|e| e.to_string())?;
    bar.set_message("Compattazione del file");
    store.compact().map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    println!(
        "Dati di esempio caricati in {}: {} persone, {} nuclei, {} operatori, {} accessi, {} prese in carico, {} progetti, {} invii, {} attività.",
        db.display(),
        summary.people,
        summary.households,
        summary.operators,
        summary.contacts,
        summary.cases,
        summary.projects,
        summary.referrals,
        summary.activities
    );
    println!(
        "Account dimostrativi (uno per ruolo): {} — password per tutti: {}",
        demo::DEMO_ACCOUNTS.join(", "),
        demo::DEMO_PASSWORD
    );
    println!(
        "Esempio: accoglienza --db {} --user coordinatore stats (la password si digita al prompt).",
        db.display()
    );
    if let Some(key) = recovery {
        use crate::store::crypt::ExposeSecret;
        println!(
            "Il database è cifrato. Chiave di recupero (solo per la prova; in un database vero va stampata e chiusa in cassaforte): {}",
            key.display().expose_secret()
        );
    }
    Ok(())
}

/// The database `demo` fills: a new one is created encrypted, with one key slot per demo
/// account (all with the demo password), and comes with its recovery key; an existing one
/// is opened as any command opens it (and `demo` then refuses it if it holds data).
fn open_for_demo(
    db: &Path,
    auth: &auth::Auth,
) -> Result<(Store, Option<crate::store::crypt::RecoveryKey>), String> {
    use crate::store::crypt::{FileKind, SecretString, file_kind};
    match file_kind(db).map_err(|e| e.to_string())? {
        FileKind::Missing => {
            let password = SecretString::from(demo::DEMO_PASSWORD.to_string());
            let (store, key) = Store::create_encrypted_with_slots(
                db,
                crate::store::OpenOptions::default(),
                &demo::DEMO_ACCOUNTS,
                &password,
            )
            .map_err(|e| e.to_string())?;
            Ok((store, Some(key)))
        }
        FileKind::Encrypted => Ok((open_existing(db, auth)?, None)),
        FileKind::Plain | FileKind::Foreign => {
            Ok((Store::open(db).map_err(|e| e.to_string())?, None))
        }
    }
}
