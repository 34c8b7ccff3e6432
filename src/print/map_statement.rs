//! The messa alla prova statement for the UEPE and the court: the person, the programme
//! (court, UEPE office, host organisation, dates), every session of community work with
//! its date, hours and activity, the totals, the hours remaining and the signature lines.
//!
//! The court file reference (numero di procedimento) is printed when the project holds
//! one; otherwise the statement leaves a line to fill in by hand.

use super::cartella::COOPERATIVE;
use super::pdf::{Align, Column, Document, Header, RowStyle, Style};
use crate::domain::project::fmt_hours;
use crate::domain::time::fmt_date;
use crate::domain::*;
use crate::store::{Reader, StoreError};

/// Everything the statement prints, read from one snapshot.
#[derive(Debug, Clone)]
pub struct MapStatement {
    /// The person on probation.
    pub person: Person,
    /// The project (a messa alla prova, as the session may see it).
    pub project: Project,
    /// The service line's name.
    pub line: String,
    /// The operator following the project (the host organisation's referente).
    pub operator: String,
}

/// The fields of a messa alla prova: UEPE office, court, hours required, ledger.
pub type MapFields<'a> = (&'a str, &'a str, u32, &'a [HoursEntry]);

impl MapStatement {
    /// The messa alla prova's own fields.
    pub fn fields(&self) -> MapFields<'_> {
        match &self.project.kind {
            ProjectKind::MessaAllaProva {
                uepe_office,
                court,
                hours_required,
                ledger,
                ..
            } => (uepe_office, court, *hours_required, ledger),
            _ => ("", "", 0, &[]),
        }
    }

    /// The court's file number, empty when the project does not record it.
    pub fn court_file(&self) -> &str {
        match &self.project.kind {
            ProjectKind::MessaAllaProva { court_file, .. } => court_file.trim(),
            _ => "",
        }
    }

    /// Minutes done, and minutes still to do (never below zero).
    pub fn totals(&self) -> (u64, u64) {
        let (_, _, required, ledger) = self.fields();
        let done: u64 = ledger.iter().map(|e| e.minutes as u64).sum();
        (done, (required as u64 * 60).saturating_sub(done))
    }
}

/// A refusal worded for the desk, about field `field`.
pub(crate) fn invalid(field: &'static str, msg: &str) -> StoreError {
    let mut p = Problems::default();
    p.add(field, msg);
    StoreError::Invalid(p)
}

/// Reads project `id` through `r` (made for the session): refused when it is not a messa
/// alla prova, or when the session may not read its judicial content (art. 10).
pub fn gather(r: &Reader, id: Id) -> Result<MapStatement, StoreError> {
    let project: Project = r.require(id)?;
    if !matches!(project.kind, ProjectKind::MessaAllaProva { .. }) {
        return Err(invalid(
            "kind",
            &format!(
                "Il progetto è un {}: la dichiarazione è solo per la messa alla prova.",
                project.kind.label().to_lowercase()
            ),
        ));
    }
    if let Some(s) = r.session()
        && !(s.may(Permission::Art10) || s.granted(project.person))
    {
        return Err(StoreError::Denied(
            "La dichiarazione contiene dati giudiziari: serve il permesso «dati giudiziari, \
             messa alla prova (art. 10)»."
                .into(),
        ));
    }
    let person: Person = r.require(project.person)?;
    let line = r
        .get::<ServiceLine>(project.line)
        .ok()
        .flatten()
        .map(|l| l.name)
        .unwrap_or_default();
    let operator = super::operator_name(r, project.operator);
    Ok(MapStatement {
        person,
        project,
        line,
        operator,
    })
}

/// The person's registry lines shared by the project documents.
pub(crate) fn person_fields(doc: &mut Document, p: &Person) {
    doc.field("Cognome e nome", &format!("{} {}", p.surname, p.name));
    let born = match (p.birth.display(), p.birthplace.trim()) {
        (d, "") => d,
        (d, place) if d.is_empty() => place.to_string(),
        (d, place) => format!("{d}, {place}"),
    };
    doc.field("Nascita", &born);
    doc.field("Codice fiscale", p.codice_fiscale.as_deref().unwrap_or(""));
}

/// Lays the statement out as an A4 PDF in Italian.
pub fn render(m: &MapStatement, header: Header) -> Vec<u8> {
    let pr = &m.project;
    let (uepe, court, required, ledger) = m.fields();
    let (done, left) = m.totals();
    let mut doc = Document::new(header);
    doc.text(
        Style::Title,
        0.0,
        "Dichiarazione delle ore di lavoro di pubblica utilità",
    );
    doc.text(
        Style::Small,
        0.0,
        &format!(
            "Messa alla prova (art. 168-bis c.p.) — progetto {}",
            pr.id.short()
        ),
    );
    doc.space(8.0);
    doc.text(Style::Heading, 0.0, "Persona");
    person_fields(&mut doc, &m.person);
    doc.space(8.0);
    doc.text(Style::Heading, 0.0, "Programma");
    doc.field("Autorità giudiziaria", court);
    match m.court_file() {
        "" => doc.field(
            "N. procedimento",
            "______________________ (non registrato: da compilare)",
        ),
        file => doc.field("N. procedimento", file),
    }
    doc.field("Ufficio UEPE", uepe);
    doc.field("Ente ospitante", COOPERATIVE);
    doc.field("Servizio", &m.line);
    doc.field("Referente dell'ente", &m.operator);
    doc.field(
        "Periodo",
        &match pr.end {
            Some(e) => format!("dal {} al {}", fmt_date(pr.start), fmt_date(e)),
            None => format!("dal {} (in corso)", fmt_date(pr.start)),
        },
    );
    doc.field("Ore previste", &fmt_hours(required as u64 * 60));
    doc.space(8.0);
    doc.text(Style::Heading, 0.0, "Ore svolte");
    let mut rows: Vec<&HoursEntry> = ledger.iter().collect();
    rows.sort_by_key(|e| e.date);
    if rows.is_empty() {
        doc.text(Style::Small, 0.0, "Nessuna ora registrata.");
    } else {
        let cols = [
            Column {
                heading: "N.",
                share: 0.6,
                align: Align::Right,
            },
            Column {
                heading: "Data",
                share: 1.4,
                align: Align::Left,
            },
            Column {
                heading: "Ore",
                share: 0.9,
                align: Align::Right,
            },
            Column {
                heading: "Attività svolta",
                share: 6.0,
                align: Align::Left,
            },
        ];
        let mut table: Vec<(RowStyle, Vec<String>)> = rows
            .iter()
            .enumerate()
            .map(|(i, e)| {
                (
                    RowStyle::Normal,
                    vec![
                        (i + 1).to_string(),
                        fmt_date(e.date),
                        fmt_hours(e.minutes as u64),
                        e.activity.clone(),
                    ],
                )
            })
            .collect();
        table.push((
            RowStyle::Total,
            vec![
                String::new(),
                "Totale".into(),
                fmt_hours(done),
                format!("{} giornate", rows.len()),
            ],
        ));
        doc.table(&cols, &table);
    }
    doc.space(10.0);
    doc.text(Style::Heading, 0.0, "Riepilogo");
    doc.field("Ore previste", &fmt_hours(required as u64 * 60));
    doc.field("Ore svolte", &fmt_hours(done));
    doc.field("Ore residue", &fmt_hours(left));
    doc.field("Giornate di lavoro", &rows.len().to_string());
    doc.space(8.0);
    doc.text(
        Style::Body,
        0.0,
        "Si dichiara che la persona indicata ha svolto presso l'ente le ore di lavoro di \
         pubblica utilità sopra elencate. Le ore sono espresse come ore:minuti.",
    );
    doc.space(6.0);
    doc.text(Style::Body, 0.0, "Luogo e data ______________________");
    doc.signatures(&[
        "Il referente dell'ente ospitante (timbro e firma)",
        "La persona in messa alla prova",
    ]);
    doc.finish(&format!("Messa alla prova {}", pr.id.short()))
}
