//! `accoglienza export`: every record of a table with ids, as CSV or JSON, streamed.
//! Written to a temporary file and renamed, so a failed export leaves no half file.

use super::ExportFormat;
use crate::domain::*;
use crate::store::{Reader, Store, StoreError, output};
use clap::ValueEnum;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

/// The tables that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Table {
    /// Persone.
    People,
    /// Nuclei familiari.
    Households,
    /// Accessi.
    Contacts,
    /// Prese in carico.
    Cases,
    /// Progetti.
    Projects,
    /// Invii alla rete.
    Referrals,
    /// Attività: one row per attendance at a session.
    Activities,
    /// Operatori.
    Operators,
    /// Pratiche (issue 15): one row per pratica.
    Pratiche,
    /// Documenti allegati (issue 15): their description only; `--with-files DIR` writes
    /// the files too.
    Documents,
}

struct Names {
    lines: HashMap<Id, String>,
    desks: HashMap<Id, String>,
    measures: HashMap<Id, String>,
    services: HashMap<Id, String>,
    roles: HashMap<Id, String>,
    bandi: HashMap<Id, String>,
}

impl Names {
    fn load(r: &Reader) -> Result<Names, StoreError> {
        Ok(Names {
            lines: r
                .all::<ServiceLine>()?
                .into_iter()
                .map(|x| (x.id, x.code))
                .collect(),
            desks: r
                .all::<Desk>()?
                .into_iter()
                .map(|x| (x.id, x.code))
                .collect(),
            measures: r
                .all::<Measure>()?
                .into_iter()
                .map(|x| (x.id, x.code))
                .collect(),
            services: r
                .all::<TerritorialService>()?
                .into_iter()
                .map(|x| (x.id, x.code))
                .collect(),
            roles: r
                .all::<Role>()?
                .into_iter()
                .map(|x| (x.id, x.code))
                .collect(),
            bandi: r
                .all::<Bando>()?
                .into_iter()
                .map(|x| (x.id, x.code))
                .collect(),
        })
    }
}

pub(super) fn code(map: &HashMap<Id, String>, id: Id) -> String {
    map.get(&id).cloned().unwrap_or_default()
}

fn opt_id(id: Option<Id>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

pub(super) fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn subject(s: Subject) -> (&'static str, String) {
    match s {
        Subject::Person(p) => ("persona", p.to_string()),
        Subject::Household(h) => ("nucleo", h.to_string()),
    }
}

/// Streams rows as CSV (header first) or as a JSON array.
pub(super) struct RowWriter<W: Write> {
    format: ExportFormat,
    csv: Option<csv::Writer<W>>,
    json: Option<W>,
    first: bool,
}

impl<W: Write> RowWriter<W> {
    fn new(format: ExportFormat, w: W) -> io::Result<Self> {
        Ok(match format {
            ExportFormat::Csv => RowWriter {
                format,
                csv: Some(csv::Writer::from_writer(w)),
                json: None,
                first: true,
            },
            ExportFormat::Json => {
                let mut w = w;
                w.write_all(b"[")?;
                RowWriter {
                    format,
                    csv: None,
                    json: Some(w),
                    first: true,
                }
            }
        })
    }

    pub(super) fn row<T: Serialize>(&mut self, row: &T) -> io::Result<()> {
        match self.format {
            ExportFormat::Csv => self
                .csv
                .as_mut()
                .expect("csv")
                .serialize(row)
                .map_err(io::Error::other),
            ExportFormat::Json => {
                let w = self.json.as_mut().expect("json");
                if !self.first {
                    w.write_all(b",")?;
                }
                w.write_all(b"\n  ")?;
                self.first = false;
                serde_json::to_writer(w, row).map_err(io::Error::other)
            }
        }
    }

    fn finish(self) -> io::Result<()> {
        if let Some(mut c) = self.csv {
            c.flush()?;
        }
        if let Some(mut w) = self.json {
            w.write_all(b"\n]\n")?;
            w.flush()?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct PersonRow {
    id: String,
    surname: String,
    name: String,
    sex: String,
    birth: String,
    birthplace: String,
    codice_fiscale: String,
    cf_provisional: bool,
    citizenship: String,
    address: String,
    municipio: String,
    phone: String,
    email: String,
    household_id: String,
    relationship: String,
    consent_date: String,
    archived: bool,
}

#[derive(Serialize)]
struct HouseholdRow {
    id: String,
    name: String,
    address: String,
    municipio: String,
    archived: bool,
}

#[derive(Serialize)]
struct ContactRow {
    id: String,
    date: String,
    time: String,
    subject_kind: &'static str,
    subject_id: String,
    line: String,
    desk: String,
    operator_id: String,
    kind: &'static str,
    measure: String,
    minutes: u16,
    note: String,
    archived: bool,
}

#[derive(Serialize)]
struct CaseRow {
    id: String,
    subject_kind: &'static str,
    subject_id: String,
    line: String,
    opened: String,
    closed: String,
    status: &'static str,
    referente_id: String,
    need: String,
    outcome: String,
    archived: bool,
}

#[derive(Serialize)]
struct ProjectRow {
    id: String,
    person_id: String,
    line: String,
    kind: &'static str,
    start: String,
    end: String,
    operator_id: String,
    detail: String,
    hours_required: String,
    hours_done: String,
    archived: bool,
}

#[derive(Serialize)]
struct ReferralRow {
    id: String,
    subject_kind: &'static str,
    subject_id: String,
    date: String,
    service: String,
    line: String,
    reason: String,
    follow_up: String,
    outcome: &'static str,
    archived: bool,
}

#[derive(Serialize)]
struct AttendanceRow {
    activity_id: String,
    name: String,
    line: String,
    edition: String,
    session_date: String,
    session_title: String,
    person_id: String,
    archived: bool,
}

#[derive(Serialize)]
struct OperatorRow {
    id: String,
    surname: String,
    name: String,
    role: String,
    phone: String,
    email: String,
    desk: String,
    active: bool,
    archived: bool,
}

#[derive(Serialize)]
struct PraticaRow {
    id: String,
    subject_kind: &'static str,
    subject_id: String,
    bando: String,
    desk: String,
    operator_id: String,
    channel: &'static str,
    state: &'static str,
    requested_on: String,
    sent_on: String,
    outcome_on: String,
    amount_eur: String,
    documents_missing: usize,
    archived: bool,
}

fn write_rows<W: Write>(
    r: &Reader,
    table: Table,
    out: &mut RowWriter<W>,
    files: Option<(&Store, &Path)>,
) -> Result<(), String> {
    if table == Table::Documents {
        return super::document::document_rows(r, out, files);
    }
    let n = Names::load(r).map_err(|e| e.to_string())?;
    let mut err: Option<io::Error> = None;
    let mut emit = |res: io::Result<()>| {
        if let Err(e) = res {
            err.get_or_insert(e);
        }
    };
    let res = match table {
        Table::People => r.for_each(|p: Person| {
            emit(
                out.row(&PersonRow {
                    id: p.id.to_string(),
                    surname: p.surname,
                    name: p.name,
                    sex: format!("{:?}", p.sex),
                    birth: match p.birth {
                        BirthDate::Exact(d) => d.to_string(),
                        BirthDate::Year(y) => y.to_string(),
                        BirthDate::Unknown => String::new(),
                    },
                    birthplace: p.birthplace,
                    codice_fiscale: p.codice_fiscale.unwrap_or_default(),
                    cf_provisional: p.cf_provisional,
                    citizenship: p.citizenship,
                    address: p.address,
                    municipio: p.municipio.map(|m| m.to_string()).unwrap_or_default(),
                    phone: p.phone,
                    email: p.email,
                    household_id: opt_id(p.household.map(|m| m.household)),
                    relationship: p
                        .household
                        .map(|m| m.relationship.label().to_string())
                        .unwrap_or_default(),
                    consent_date: opt_date(p.consent.map(|c| c.date)),
                    archived: p.archived,
                }),
            )
        }),
        Table::Households => r.for_each(|h: Household| {
            emit(out.row(&HouseholdRow {
                id: h.id.to_string(),
                name: h.name,
                address: h.address,
                municipio: h.municipio.map(|m| m.to_string()).unwrap_or_default(),
                archived: h.archived,
            }))
        }),
        Table::Contacts => r.for_each(|c: Contact| {
            let (sk, sid) = subject(c.subject);
            emit(out.row(&ContactRow {
                id: c.id.to_string(),
                date: c.at.date().to_string(),
                time: c.at.time().format("%H:%M").to_string(),
                subject_kind: sk,
                subject_id: sid,
                line: code(&n.lines, c.line),
                desk: code(&n.desks, c.desk),
                operator_id: c.operator.to_string(),
                kind: c.kind.label(),
                measure: c.measure.map(|m| code(&n.measures, m)).unwrap_or_default(),
                minutes: c.minutes,
                note: if c.confidential {
                    "[riservata]".into()
                } else {
                    c.note
                },
                archived: c.archived,
            }))
        }),
        Table::Cases => r.for_each(|c: Case| {
            let (sk, sid) = subject(c.subject);
            emit(out.row(&CaseRow {
                id: c.id.to_string(),
                subject_kind: sk,
                subject_id: sid,
                line: code(&n.lines, c.line),
                opened: c.opened.to_string(),
                closed: opt_date(c.closed),
                status: c.status.label(),
                referente_id: opt_id(c.referente),
                need: c.need,
                outcome: c.outcome,
                archived: c.archived,
            }))
        }),
        Table::Projects => r.for_each(|p: Project| {
            let done = p.minutes_done();
            let (detail, required) = match &p.kind {
                ProjectKind::Tirocinio { host, .. } => (host.clone(), String::new()),
                ProjectKind::MessaAllaProva {
                    uepe_office,
                    hours_required,
                    ..
                } => (uepe_office.clone(), hours_required.to_string()),
                ProjectKind::CaseManager { referente, .. } => (opt_id(*referente), String::new()),
                ProjectKind::SostegnoStudio { school, need, .. } => {
                    (format!("{school} ({})", need.label()), String::new())
                }
            };
            emit(out.row(&ProjectRow {
                id: p.id.to_string(),
                person_id: p.person.to_string(),
                line: code(&n.lines, p.line),
                kind: p.kind.label(),
                start: p.start.to_string(),
                end: opt_date(p.end),
                operator_id: opt_id(p.operator),
                detail,
                hours_required: required,
                hours_done: format!("{:.2}", done as f64 / 60.0),
                archived: p.archived,
            }))
        }),
        Table::Referrals => r.for_each(|x: Referral| {
            let (sk, sid) = subject(x.subject);
            emit(out.row(&ReferralRow {
                id: x.id.to_string(),
                subject_kind: sk,
                subject_id: sid,
                date: x.date.to_string(),
                service: code(&n.services, x.service),
                line: x.line.map(|l| code(&n.lines, l)).unwrap_or_default(),
                reason: x.reason,
                follow_up: opt_date(x.follow_up),
                outcome: x.outcome.label(),
                archived: x.archived,
            }))
        }),
        Table::Activities => r.for_each(|a: Activity| {
            let line = code(&n.lines, a.line);
            if a.sessions.is_empty() {
                emit(out.row(&AttendanceRow {
                    activity_id: a.id.to_string(),
                    name: a.name.clone(),
                    line: line.clone(),
                    edition: a.edition.clone(),
                    session_date: String::new(),
                    session_title: String::new(),
                    person_id: String::new(),
                    archived: a.archived,
                }));
            }
            for s in &a.sessions {
                for p in &s.attendees {
                    emit(out.row(&AttendanceRow {
                        activity_id: a.id.to_string(),
                        name: a.name.clone(),
                        line: line.clone(),
                        edition: a.edition.clone(),
                        session_date: s.date.to_string(),
                        session_title: s.title.clone(),
                        person_id: p.to_string(),
                        archived: a.archived,
                    }));
                }
            }
        }),
        Table::Operators => r.for_each(|o: Operator| {
            emit(out.row(&OperatorRow {
                id: o.id.to_string(),
                surname: o.surname,
                name: o.name,
                role: code(&n.roles, o.role),
                phone: o.phone,
                email: o.email,
                desk: o.desk.map(|d| code(&n.desks, d)).unwrap_or_default(),
                active: o.active,
                archived: o.archived,
            }))
        }),
        Table::Documents => Ok(()),
        Table::Pratiche => r.for_each(|p: Pratica| {
            let (sk, sid) = subject(p.subject);
            let outcome_on = if p.state.is_final() {
                p.last_change().to_string()
            } else {
                String::new()
            };
            emit(
                out.row(&PraticaRow {
                    id: p.id.to_string(),
                    subject_kind: sk,
                    subject_id: sid,
                    bando: code(&n.bandi, p.bando),
                    desk: code(&n.desks, p.desk),
                    operator_id: p.operator.to_string(),
                    channel: p.channel.label(),
                    state: p.state.code(),
                    requested_on: p.requested_on.to_string(),
                    sent_on: opt_date(p.entered(PraticaState::Inviata)),
                    outcome_on,
                    // Plain decimal with a dot, for spreadsheets and scripts.
                    amount_eur: p
                        .amount_cents
                        .map(|c| format!("{}.{:02}", c / 100, c % 100))
                        .unwrap_or_default(),
                    documents_missing: p.missing_documents(),
                    archived: p.archived,
                }),
            )
        }),
    };
    res.map_err(|e| e.to_string())?;
    match err {
        Some(e) => Err(format!("scrittura dell'esportazione non riuscita: {e}")),
        None => Ok(()),
    }
}

/// Exports a table to a file (atomically) or to standard output; for the documents,
/// `with_files` names a folder their files are written into (each checked against its
/// SHA-256, readable by its owner only).
pub fn export(
    store: &Store,
    session: Option<&crate::access::Session>,
    table: Table,
    format: ExportFormat,
    out: Option<&Path>,
    with_files: Option<&Path>,
) -> Result<(), String> {
    if let Some(dir) = with_files {
        if table != Table::Documents {
            return Err("--with-files vale solo con --table documents".into());
        }
        if !dir.is_dir() {
            return Err(format!(
                "--with-files: la cartella {} non esiste",
                dir.display()
            ));
        }
    }
    let files = with_files.map(|d| (store, d));
    let r = super::auth::reader(store, session)?;
    super::auth::log(
        store,
        session,
        crate::domain::access::AccessKind::Esportazione,
        &format!("{table:?}"),
    )?;
    match out {
        None => {
            let stdout = io::stdout();
            let mut w = RowWriter::new(format, io::BufWriter::new(stdout.lock()))
                .map_err(|e| e.to_string())?;
            write_rows(&r, table, &mut w, files)?;
            w.finish().map_err(|e| e.to_string())
        }
        // Records with personal data: the file stays readable by its owner only.
        Some(path) => output::write_atomic_with(store.path(), path, true, |w| {
            let mut rows = RowWriter::new(format, w)?;
            write_rows(&r, table, &mut rows, files).map_err(io::Error::other)?;
            rows.finish()
        }),
    }
}
