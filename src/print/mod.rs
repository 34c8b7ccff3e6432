//! Printable documents and the art. 15 access export, a layer above `store` beside `stats`.
//!
//! Everything is read through a [`Reader`](crate::store::Reader) made for the session
//! (`Store::read_as`), so a role sees on paper only what it may see on screen, and every
//! print or export is logged in the access log (`AccessKind::Stampa` / `Esportazione`,
//! with the person's id and the purpose). Nothing here touches redb tables or egui.

pub mod art15;
pub mod attendance;
pub mod cartella;
mod consents;
pub mod map_statement;
pub mod pdf;
pub mod reminder;

pub use art15::{AccessExport, Omission, OmitItem};
pub use attendance::{AttendanceSheet, Month};
pub use cartella::{Cartella, CartellaOptions, Section};
pub use map_statement::MapStatement;
pub use reminder::Reminder;

use crate::access::Session;
use crate::domain::access::AccessKind;
use crate::domain::{EntityKind, Id};
use crate::store::{Reader, Store, StoreError};

/// A reader for the session (the system's own on a database without accounts).
pub(crate) fn reader(store: &Store, session: Option<&Session>) -> Result<Reader, StoreError> {
    match session {
        Some(s) => store.read_as(s),
        None => store.read(),
    }
}

/// Logs a print or export of person `id` (nothing without accounts).
pub(crate) fn log(
    store: &Store,
    session: Option<&Session>,
    kind: AccessKind,
    id: Id,
    purpose: &str,
) -> Result<(), StoreError> {
    match session {
        Some(s) => store.log_access(s, kind, Some((EntityKind::Person, id)), purpose),
        None => Ok(()),
    }
}

/// The header of a printed page: the cooperative, the desk, the date of print.
pub(crate) fn header(store: &Store, c: &Cartella, o: &CartellaOptions) -> pdf::Header {
    let desk = o.desk.clone().unwrap_or_else(|| {
        c.contacts
            .iter()
            .max_by_key(|x| x.at)
            .map(|x| c.name(Some(x.desk)).to_string())
            .filter(|s| !s.is_empty())
            .map(|s| format!("Sportello: {s}"))
            .unwrap_or_else(|| "Sportello: Sede".to_string())
    });
    pdf::Header {
        cooperative: cartella::COOPERATIVE.to_string(),
        desk,
        printed: crate::domain::time::fmt_date(store.clock().now().date()),
    }
}

/// The cartella of person `id` as an A4 PDF, read for the session and logged as a print
/// with `purpose` (e.g. "richiesta UEPE").
pub fn cartella_pdf(
    store: &Store,
    session: Option<&Session>,
    id: Id,
    options: &CartellaOptions,
    purpose: &str,
) -> Result<Vec<u8>, StoreError> {
    let r = reader(store, session)?;
    let c = cartella::gather(&r, id, options)?;
    drop(r);
    let bytes = cartella::render(&c, options, header(store, &c, options));
    let sections: Vec<&str> = options.sections.iter().map(|s| s.heading()).collect();
    let what = format!(
        "stampa cartella ({}){}",
        sections.join(", "),
        if purpose.trim().is_empty() {
            String::new()
        } else {
            format!(": {}", purpose.trim())
        }
    );
    log(store, session, AccessKind::Stampa, id, &what)?;
    Ok(bytes)
}

/// A file name with no personal data: `cartella-<short id>-<aaaa-mm-gg>.pdf`.
pub fn suggested_name(store: &Store, id: Id, prefix: &str, ext: &str) -> String {
    format!(
        "{prefix}-{}-{}.{ext}",
        id.short(),
        store.clock().now().date().format("%Y-%m-%d")
    )
}

/// The header of a project document: the cooperative, the project's service line.
fn project_header(store: &Store, line: &str) -> pdf::Header {
    pdf::Header {
        cooperative: cartella::COOPERATIVE.to_string(),
        desk: if line.is_empty() {
            "Servizio di Accoglienza".to_string()
        } else {
            format!("Servizio: {line}")
        },
        printed: crate::domain::time::fmt_date(store.clock().now().date()),
    }
}

/// `what` with the purpose after a colon, when one was given.
/// The name of a project's operator as printed (empty when none or unreadable).
fn operator_name(r: &Reader, operator: Option<Id>) -> String {
    operator
        .and_then(|op| r.get::<crate::domain::Operator>(op).ok().flatten())
        .map(|o| o.display_name())
        .unwrap_or_default()
}

fn with_purpose(what: String, purpose: &str) -> String {
    if purpose.trim().is_empty() {
        what
    } else {
        format!("{what}: {}", purpose.trim())
    }
}

/// The messa alla prova statement of project `id` for the UEPE and the court, as an A4
/// PDF read for the session (judicial data: refused without art. 10) and logged as a
/// print of the person with `purpose`.
pub fn map_statement_pdf(
    store: &Store,
    session: Option<&Session>,
    id: Id,
    purpose: &str,
) -> Result<Vec<u8>, StoreError> {
    let r = reader(store, session)?;
    let m = map_statement::gather(&r, id)?;
    drop(r);
    let bytes = map_statement::render(&m, project_header(store, &m.line));
    let what = format!("stampa dichiarazione messa alla prova ({})", id.short());
    log(
        store,
        session,
        AccessKind::Stampa,
        m.person.id,
        &with_purpose(what, purpose),
    )?;
    Ok(bytes)
}

/// The attendance sheet of tirocinio `id` for `month`, as an A4 PDF read for the session
/// and logged as a print of the person with `purpose`.
pub fn attendance_pdf(
    store: &Store,
    session: Option<&Session>,
    id: Id,
    month: Month,
    purpose: &str,
) -> Result<Vec<u8>, StoreError> {
    let r = reader(store, session)?;
    let s = attendance::gather(&r, id, month)?;
    let line = r
        .get::<crate::domain::ServiceLine>(s.project.line)
        .ok()
        .flatten()
        .map(|l| l.name)
        .unwrap_or_default();
    drop(r);
    let bytes = attendance::render(&s, project_header(store, &line));
    let what = format!(
        "stampa foglio presenze tirocinio ({}, {})",
        id.short(),
        month.label()
    );
    log(
        store,
        session,
        AccessKind::Stampa,
        s.person.id,
        &with_purpose(what, purpose),
    )?;
    Ok(bytes)
}

/// The reminder slip of appointment `id` as a PDF read for the session (needs Accessi)
/// and logged as a print of the person (or household).
pub fn reminder_pdf(
    store: &Store,
    session: Option<&Session>,
    id: Id,
) -> Result<Vec<u8>, StoreError> {
    let r = reader(store, session)?;
    let m = reminder::gather(&r, id)?;
    drop(r);
    let header = pdf::Header {
        cooperative: cartella::COOPERATIVE.to_string(),
        desk: format!("Sportello: {}", m.desk),
        printed: crate::domain::time::fmt_date(store.clock().now().date()),
    };
    let bytes = reminder::render(&m, header);
    let what = format!("stampa promemoria appuntamento ({})", id.short());
    if let Some(s) = session {
        let entity = match m.appointment.subject {
            crate::domain::Subject::Person(p) => (EntityKind::Person, p),
            crate::domain::Subject::Household(h) => (EntityKind::Household, h),
        };
        store.log_access(s, AccessKind::Stampa, Some(entity), &what)?;
    }
    Ok(bytes)
}
