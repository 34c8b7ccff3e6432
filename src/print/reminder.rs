//! The appointment reminder slip (promemoria): who is expected, the day and time, the desk
//! with its address, the operator, and what to bring (the appointment's note). One A4 page
//! in Italian with the shared header (the slip fills the top half: it can be folded or cut
//! to A5).

use super::pdf::{Document, Header, Style};
use crate::domain::time::{fmt_date, fmt_date_words};
use crate::domain::*;
use crate::store::{Reader, StoreError};

/// Everything the slip prints, read from one snapshot.
#[derive(Debug, Clone)]
pub struct Reminder {
    /// The appointment.
    pub appointment: Appointment,
    /// The person or household, as named on the slip.
    pub name: String,
    /// The desk's name.
    pub desk: String,
    /// The desk's address.
    pub address: String,
    /// The operator's name.
    pub operator: String,
    /// The service line's name (empty when none).
    pub line: String,
}

/// Reads appointment `id` through `r` (made for the session: needs Accessi, refused for a
/// restricted person the session may not see).
pub fn gather(r: &Reader, id: Id) -> Result<Reminder, StoreError> {
    let a: Appointment = r.require(id)?;
    let name = match a.subject {
        Subject::Person(p) => {
            let person: Person = r.require(p)?;
            format!("{} {}", person.surname, person.name)
        }
        Subject::Household(h) => {
            let hh: Household = r.require(h)?;
            hh.name
        }
    };
    let desk: Option<Desk> = r.get(a.desk)?;
    let operator = r
        .get::<Operator>(a.operator)?
        .map(|o| o.display_name())
        .unwrap_or_default();
    let line = match a.line {
        Some(l) => r.get::<ServiceLine>(l)?.map(|l| l.name).unwrap_or_default(),
        None => String::new(),
    };
    Ok(Reminder {
        name,
        desk: desk.as_ref().map(|d| d.name.clone()).unwrap_or_default(),
        address: desk.map(|d| d.address).unwrap_or_default(),
        operator,
        line,
        appointment: a,
    })
}

/// The Italian name of the day of the week.
fn weekday(d: chrono::NaiveDate) -> &'static str {
    use chrono::Datelike;
    [
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ][d.weekday().num_days_from_monday() as usize]
}

/// Lays the slip out as a PDF in Italian.
pub fn render(m: &Reminder, header: Header) -> Vec<u8> {
    let a = &m.appointment;
    let mut doc = Document::new(header);
    doc.text(Style::Title, 0.0, "Promemoria appuntamento");
    doc.space(10.0);
    doc.field("Per", &m.name);
    doc.field(
        "Giorno",
        &format!(
            "{} {} ({})",
            weekday(a.start.date()),
            fmt_date_words(a.start.date()),
            fmt_date(a.start.date())
        ),
    );
    doc.field(
        "Ora",
        &format!(
            "{} (durata prevista {} minuti)",
            a.start.format("%H:%M"),
            a.minutes
        ),
    );
    doc.field("Sportello", &m.desk);
    doc.field("Indirizzo", &m.address);
    doc.field("Operatore", &m.operator);
    if !m.line.is_empty() {
        doc.field("Servizio", &m.line);
    }
    doc.space(10.0);
    doc.text(Style::Heading, 0.0, "Cosa portare");
    if a.note.trim().is_empty() {
        doc.text(Style::Body, 0.0, "Un documento d'identità.");
    } else {
        doc.text(Style::Body, 0.0, a.note.trim());
    }
    doc.space(12.0);
    doc.text(
        Style::Body,
        0.0,
        "Se non può venire, per favore avvisi lo sportello: l'appuntamento potrà essere \
         dato a un'altra persona.",
    );
    doc.finish("Promemoria appuntamento")
}
