//! The cartella's privacy part, printed under the registry data: the informativa given,
//! the state of each consent, a restriction in force, and the privacy log.

use super::cartella::Cartella;
use super::pdf::{Document, Style};
use crate::domain::time::fmt_datetime;
use crate::domain::*;

/// Prints the person's privacy state and log (nothing when the log is empty).
pub(super) fn section(doc: &mut Document, c: &Cartella) {
    if c.privacy.is_empty() {
        doc.field("Registro privacy", "nessuna voce registrata");
        return;
    }
    let state = PrivacyState::of(&c.privacy);
    doc.space(4.0);
    doc.text(Style::Sub, 0.0, "Privacy e consensi");
    match &state.informativa {
        Some(e) => doc.field(
            "Informativa",
            &format!(
                "versione {}, consegnata il {} ({})",
                e.version,
                fmt_datetime(e.at),
                e.channel.label()
            ),
        ),
        None => doc.field("Informativa", "non registrata"),
    }
    for (purpose, e) in &state.consents {
        let what = match e.act {
            PrivacyAct::ConsensoDato => "dato",
            _ => "revocato",
        };
        doc.field(
            &format!("Consenso: {}", c.name(Some(*purpose))),
            &format!("{what} il {}", fmt_datetime(e.at)),
        );
    }
    if let Some(r) = &state.restriction {
        doc.field(
            "Limitazione (art. 18)",
            &format!("in vigore dal {}: {}", fmt_datetime(r.at), r.note),
        );
    }
    doc.text(Style::Small, 0.0, "Storico delle voci privacy:");
    for e in &c.privacy {
        let mut line = format!("{} — {}", fmt_datetime(e.at), e.act.label());
        if e.purpose.is_some() {
            line.push_str(&format!(" — {}", c.name(e.purpose)));
        }
        if !e.version.is_empty() {
            line.push_str(&format!(" — versione {}", e.version));
        }
        line.push_str(&format!(" — {}", e.channel.label()));
        if !e.note.is_empty() {
            line.push_str(&format!(" — {}", e.note));
        }
        doc.text(Style::Small, 8.0, &line);
    }
}
