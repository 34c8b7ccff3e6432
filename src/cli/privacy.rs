//! `erase` and `retention`: erasure of a person (GDPR art. 17) and the retention schedule,
//! with the permissions of an erasure (`store::privacy::ERASE_PERMISSIONS`). Both ask for a
//! confirmation on a terminal unless `--yes`, and refuse without one.

use super::{Auth, open_signed};
use crate::domain::privacy::check_reason;
use crate::domain::{Id, Person};
use crate::store::privacy::{ERASE_PERMISSIONS, ErasureReport};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

/// Asks `question` on the terminal; without one, refuses with `no_terminal`.
fn confirm(question: &str, yes: bool, no_terminal: &str) -> Result<(), String> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal.into());
    }
    print!("{question} Scrivi SI per confermare: ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    if line.trim().eq_ignore_ascii_case("si") || line.trim() == "sì" {
        Ok(())
    } else {
        Err("Annullato: nessuna modifica fatta.".into())
    }
}

fn describe(r: &ErasureReport) -> String {
    format!(
        "{} record tolti, {} resi anonimi{}; {} voci del registro attività senza più testo; registro cancellazioni: {}",
        r.erased.removed,
        r.erased.anonymised,
        if r.erased.placeholder.is_some() {
            " (restano per i conteggi annuali come «Persona cancellata»)"
        } else {
            ""
        },
        r.audit_blanked,
        r.erasure
    )
}

/// The options of `erase`.
#[derive(Debug, clap::Args)]
pub struct EraseArgs {
    /// The person's id (as in `export --table people`).
    #[arg(long, value_name = "ID")]
    person: String,
    /// Why (kept in the registro cancellazioni; never the person's name).
    #[arg(long, value_name = "TESTO")]
    reason: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

/// The options of `retention`.
#[derive(Debug, clap::Args)]
pub struct RetentionArgs {
    /// List the periods and the people past them (the default).
    #[arg(long)]
    list: bool,
    /// Erase the people listed, each with an entry in the registro cancellazioni.
    #[arg(long)]
    apply: bool,
    /// Change a period, TIPO=ANNI (accessi, prese-in-carico, progetti, invii, attivita,
    /// anagrafica); may be repeated.
    #[arg(long, value_name = "TIPO=ANNI")]
    set: Vec<String>,
    /// Do not ask for confirmation (--apply).
    #[arg(long)]
    yes: bool,
}

/// `erase --person ID --reason TEXT [--yes]`.
pub fn erase(db: &Path, auth: &Auth, args: &EraseArgs) -> Result<(), String> {
    let (person, reason, yes) = (args.person.as_str(), args.reason.as_str(), args.yes);
    let id = Id::parse(person.trim()).ok_or_else(|| {
        format!("Identificativo di persona non valido: «{person}» (es. 0190f5c2-…, come nell'esportazione)")
    })?;
    let (mut store, session) = open_signed(db, auth, &ERASE_PERMISSIONS)?;
    let p: Person = store
        .read()
        .map_err(|e| e.to_string())?
        .get(id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("Persona inesistente: {id} (forse è già stata cancellata)."))?;
    let cf = p.codice_fiscale.clone().unwrap_or_default();
    let problems = check_reason(reason, &[&p.surname, &p.name, &cf]);
    if !problems.is_empty() {
        return Err(problems.to_string());
    }
    confirm(
        &format!(
            "Stai per cancellare definitivamente {} ({id}) e ogni dato che la riguarda: non si può annullare.",
            p.full_name()
        ),
        yes,
        "La cancellazione è definitiva: conferma con --yes (nessuna modifica fatta).",
    )?;
    let report = match &session {
        Some(s) => store.erase_person_as(s, id, reason),
        None => store.erase_person(Id::NIL, id, reason),
    }
    .map_err(|e| e.to_string())?;
    println!("Persona cancellata: {}.", describe(&report));
    Ok(())
}

/// `retention [--list] [--set TIPO=ANNI]… [--apply [--yes]]` (`--list` is the default).
pub fn retention(db: &Path, auth: &Auth, args: &RetentionArgs) -> Result<(), String> {
    let _ = args.list;
    let (set, apply, yes) = (&args.set, args.apply, args.yes);
    let (mut store, session) = open_signed(db, auth, &ERASE_PERMISSIONS)?;
    if !set.is_empty() {
        let mut s = store.retention_settings().map_err(|e| e.to_string())?;
        for kv in set {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| format!("Scrivi TIPO=ANNI, non «{kv}» (es. accessi=5)"))?;
            let years: u16 = v.trim().parse().map_err(|_| {
                format!("Periodo di conservazione non valido: «{v}» (un numero di anni)")
            })?;
            s.set(k.trim(), years)?;
        }
        match &session {
            Some(sess) => store.set_retention_settings_as(sess, &s),
            None => store.set_retention_settings(&s),
        }
        .map_err(|e| e.to_string())?;
    }
    let s = store.retention_settings().map_err(|e| e.to_string())?;
    println!("Periodi di conservazione:");
    for (name, label) in crate::domain::privacy::RetentionSettings::NAMES {
        println!(
            "  {name:<16} {:>3} anni  ({label})",
            s.get(name).unwrap_or(0)
        );
    }
    let due = store.retention_due().map_err(|e| e.to_string())?;
    if due.is_empty() {
        println!("Nessuna persona con tutti i dati oltre il periodo di conservazione.");
        return Ok(());
    }
    println!("Persone con tutti i dati oltre il periodo di conservazione:");
    for d in &due {
        println!(
            "  scaduta il {}  {}  {}  ({} record)",
            crate::domain::time::fmt_date(d.expired_on),
            d.person,
            d.name,
            d.records
        );
    }
    if !apply {
        return Ok(());
    }
    confirm(
        &format!(
            "Stai per cancellare definitivamente queste {} persone e ogni dato che le riguarda.",
            due.len()
        ),
        yes,
        "La cancellazione è definitiva: conferma con --yes (nessuna modifica fatta).",
    )?;
    let done = store
        .apply_retention(session.as_ref(), Id::NIL)
        .map_err(|e| e.to_string())?;
    for r in &done {
        println!("Cancellata: {}", describe(r));
    }
    Ok(())
}
