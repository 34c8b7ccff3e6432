//! `merge --from FILE [--dry-run] [--conflicts RULE]`: another desk's backup merged into
//! this database, or previewed.

use crate::domain::Id;
use crate::store::backup::{self as bk, table_label, table_name};
use crate::store::merge::fields::display_value;
use crate::store::merge::{Choice, Incoming, MergeError, MergeOptions, MergeReport, merge_backup};
use clap::ValueEnum;
use std::path::Path;

/// How the command line decides every conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConflictRule {
    /// Keep this database's value.
    #[value(name = "tieni-questo")]
    Local,
    /// Take the other desk's value.
    #[value(name = "prendi-altro")]
    Incoming,
    /// Keep both where it makes sense (texts, lists), otherwise this database's value.
    #[value(name = "entrambi")]
    Both,
}

impl From<ConflictRule> for Choice {
    fn from(r: ConflictRule) -> Choice {
        match r {
            ConflictRule::Local => Choice::Local,
            ConflictRule::Incoming => Choice::Incoming,
            ConflictRule::Both => Choice::Both,
        }
    }
}

/// Runs the merge (or its preview) and prints what it did.
pub fn merge(
    db: &Path,
    auth: &super::Auth,
    from: &Path,
    pass_file: Option<&Path>,
    dry_run: bool,
    rule: Option<ConflictRule>,
) -> Result<(), String> {
    let pass = super::backup::passphrase_for(from, pass_file)?;
    let incoming =
        Incoming::read(from, pass.as_ref(), &mut |_, _, _| {}).map_err(|e| e.to_string())?;
    let (store, _session) = super::open_signed(db, auth, &[crate::domain::Permission::Backup])?;
    let opts = MergeOptions {
        dry_run,
        decisions: Default::default(),
        default_choice: rule.map(Choice::from),
    };
    match merge_backup(&store, Id::NIL, &incoming, &opts) {
        Ok(report) => {
            print_report(&report);
            if dry_run {
                println!("Anteprima: nulla è stato scritto.");
            } else if report.written {
                println!("Unione completata.");
            } else {
                println!("Nulla da unire: questo database ha già tutti questi dati.");
            }
            Ok(())
        }
        Err(MergeError::Undecided(report)) => {
            print_report(&report);
            Err(format!(
                "Ci sono {} conflitti da decidere: nulla è stato scritto. Decidili nella finestra \
                 (Impostazioni → Unisci i dati di un altro sportello) oppure con \
                 --conflicts tieni-questo | prendi-altro | entrambi.",
                report.undecided()
            ))
        }
        Err(e) => Err(e.to_string()),
    }
}

fn print_report(r: &MergeReport) {
    let h = &r.header;
    let desk = h
        .desk
        .as_ref()
        .map(|d| d.name.clone())
        .unwrap_or_else(|| "sportello non indicato".into());
    println!(
        "Dati di: {desk}, backup del {}",
        h.created_at.format("%d/%m/%Y %H:%M")
    );
    println!(
        "{:<24} {:>9} {:>11} {:>11} {:>9}",
        "", "aggiunti", "aggiornati", "in conflitto", "uguali"
    );
    for kind in bk::body_order().into_iter().filter_map(|(_, s)| match s {
        bk::Section::Records(k) => Some(k),
        _ => None,
    }) {
        let c = r.counts.get(&kind).copied().unwrap_or_default();
        if c == Default::default() {
            continue;
        }
        println!(
            "{:<24} {:>9} {:>11} {:>11} {:>9}",
            table_label(table_name(kind)),
            c.added,
            c.updated,
            c.conflicting,
            c.unchanged
        );
    }
    if r.catalogue_matched > 0 {
        println!(
            "Voci del catalogo riconosciute per codice: {}",
            r.catalogue_matched
        );
    }
    if r.people_merged > 0 {
        println!(
            "Unioni di persone fatte all'altro sportello e applicate qui: {}",
            r.people_merged
        );
    }
    for c in &r.conflicts {
        let how = c.choice.map_or("da decidere", Choice::label);
        println!(
            "Conflitto: {} {} «{}»: qui «{}», all'altro sportello «{}» ({how})",
            c.kind.label(),
            c.id.short(),
            c.field,
            display_value(&c.local),
            display_value(&c.incoming)
        );
    }
    if !r.duplicates.is_empty() {
        println!(
            "Possibili doppioni (la stessa persona registrata ai due sportelli): {}",
            r.duplicates.len()
        );
        for d in &r.duplicates {
            println!(
                "  {} ↔ {} ({}; {})",
                d.a.short(),
                d.b.short(),
                d.score,
                d.reasons_text()
            );
        }
    }
}
