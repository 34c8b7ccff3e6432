//! The dry run: every row of the sheet turned into what it would write — a new person, a
//! match to a known person (by codice fiscale; else surname, name and birth date, with
//! near matches listed for a decision), a new record — or refused with its row number,
//! column and an Italian reason. Nothing is written here; [`super::commit`] writes a plan.

use super::catalog::Catalog;
use super::mapping::{Field, Mapping, RowKind, guess_header_row, resolve_columns};
pub(crate) use super::planner::{KnownPerson, Mark, Planner, Refuse, RowResult};
use super::read::{Cell, Sheet};
use super::records;
use crate::domain::person::fold;
use crate::domain::*;
use crate::store::{Reader, StoreError};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How to plan.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Today (dates after it are refused where the record cannot be in the future).
    pub today: NaiveDate,
    /// The operator importing: the operator of contacts when no column names one.
    pub actor: Id,
    /// Near matches decided: sheet row (1-based) → the known person to use.
    pub decisions: BTreeMap<usize, Id>,
}

/// Whom a row is about, as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonLink {
    /// The row names no person.
    None,
    /// A new person is created (or one created by an earlier row of the sheet).
    New,
    /// A known person (by codice fiscale, name and birth date, id, or a decision).
    Known,
    /// A new person, though known people have the same name: listed for a decision.
    NearMatch,
}

/// What a row does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// Imported: the person found or created and the record created (if any).
    Imported {
        /// The person.
        person: PersonLink,
        /// The kind of record the row creates (none: a person only, a repeated member).
        record: Option<EntityKind>,
    },
    /// Refused: nothing of the row is written.
    Refused {
        /// The column at fault (its header, or "valore fisso").
        column: String,
        /// Why, in Italian.
        reason: String,
    },
    /// Imported by an earlier import (same row), or its record already exists (same id).
    AlreadyImported,
    /// The same row appears earlier in the sheet.
    Repeated {
        /// The earlier row.
        first_row: usize,
    },
}

/// One row of the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReport {
    /// The row as numbered in the spreadsheet (1-based).
    pub row: usize,
    /// Who the row is about ("Rossi Mario"), for the preview.
    pub who: String,
    /// What it does.
    pub outcome: RowOutcome,
    /// The row's cells as text (kept for the refused rows' file).
    pub cells: Vec<String>,
}

impl RowReport {
    /// The outcome in words.
    pub fn describe(&self) -> String {
        match &self.outcome {
            RowOutcome::Imported { person, record } => {
                let p = match person {
                    PersonLink::None => "",
                    PersonLink::New => "nuova persona",
                    PersonLink::Known => "persona già registrata",
                    PersonLink::NearMatch => "nuova persona (omonimi da verificare)",
                };
                let r = record.map(|k| format!("nuovo record: {}", k.label()));
                match (p.is_empty(), r) {
                    (true, Some(r)) => r,
                    (false, Some(r)) => format!("{p}; {r}"),
                    (_, None) => p.to_string(),
                }
            }
            RowOutcome::Refused { column, reason } => format!("rifiutata ({column}): {reason}"),
            RowOutcome::AlreadyImported => "già importata".into(),
            RowOutcome::Repeated { first_row } => format!("uguale alla riga {first_row}"),
        }
    }
}

/// A row whose person has namesakes among the known people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMatch {
    /// The sheet row.
    pub row: usize,
    /// The person as written in the row.
    pub who: String,
    /// Known people with the same name: id and a description (birth date, code).
    pub candidates: Vec<(Id, String)>,
}

/// Counts per outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Data rows read (blank rows not counted).
    pub rows: u64,
    /// People to create.
    pub new_people: u64,
    /// Rows matched to a known person.
    pub known_people: u64,
    /// Rows with namesakes to check.
    pub near_matches: u64,
    /// Records to create, per kind (people and households included).
    pub records: BTreeMap<EntityKind, u64>,
    /// Rows refused.
    pub refused: u64,
    /// Rows imported before.
    pub already_imported: u64,
    /// Rows repeated within the sheet.
    pub repeated: u64,
}

/// The records a plan writes, in the order they are written.
#[derive(Debug, Clone, Default)]
pub struct Writes {
    /// New households.
    pub households: Vec<Household>,
    /// New people.
    pub people: Vec<Person>,
    /// New operators.
    pub operators: Vec<Operator>,
    /// New contacts.
    pub contacts: Vec<Contact>,
    /// New cases.
    pub cases: Vec<Case>,
    /// New projects.
    pub projects: Vec<Project>,
    /// New referrals.
    pub referrals: Vec<Referral>,
    /// New activities (with their sessions and attendance).
    pub activities: Vec<Activity>,
    /// Fingerprints of the rows imported.
    pub fingerprints: Vec<[u8; 32]>,
}

impl Writes {
    /// How many records.
    pub fn len(&self) -> usize {
        self.households.len()
            + self.people.len()
            + self.operators.len()
            + self.contacts.len()
            + self.cases.len()
            + self.projects.len()
            + self.referrals.len()
            + self.activities.len()
    }

    /// True when nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0 && self.fingerprints.is_empty()
    }
}

/// The dry run's result: the preview, and what accepting it writes.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What the rows are.
    pub kind: RowKind,
    /// The mapping's name (or the kind's code).
    pub mapping_name: String,
    /// The file's name.
    pub file: String,
    /// The sheet read.
    pub sheet: String,
    /// The header row (1-based).
    pub header_row: usize,
    /// The headers of that row.
    pub headers: Vec<String>,
    /// Which column fills which field.
    pub columns: Vec<(Field, String)>,
    /// One report per data row.
    pub rows: Vec<RowReport>,
    /// Rows whose person has namesakes.
    pub near: Vec<NearMatch>,
    /// Counts per outcome.
    pub counts: Counts,
    /// What accepting writes.
    pub writes: Writes,
}

impl Plan {
    /// The refused rows as a CSV to fix and import later: row, column, reason, then the
    /// original columns. `;`-separated UTF-8 with BOM, as Italian Excel opens it.
    pub fn refused_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(b"\xEF\xBB\xBF".to_vec());
        let mut header = vec![
            "Riga".to_string(),
            "Colonna".to_string(),
            "Motivo".to_string(),
        ];
        header.extend(self.headers.iter().cloned());
        let _ = w.write_record(&header);
        for r in &self.rows {
            if let RowOutcome::Refused { column, reason } = &r.outcome {
                let mut rec = vec![r.row.to_string(), column.clone(), reason.clone()];
                rec.extend(r.cells.iter().cloned());
                let _ = w.write_record(&rec);
            }
        }
        w.into_inner().unwrap_or_default()
    }

    /// The refused rows.
    pub fn refused(&self) -> impl Iterator<Item = &RowReport> {
        self.rows
            .iter()
            .filter(|r| matches!(r.outcome, RowOutcome::Refused { .. }))
    }
}

/// A fresh UUIDv7 (not `Id::default()`, which is the nil id).
pub(crate) fn fresh_id() -> Id {
    Id::new()
}

/// The fingerprint of a row: its kind and its cells as text.
pub fn fingerprint(kind: RowKind, about_household: bool, cells: &[String]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"accoglienza-import-v1\x1f");
    h.update(format!("{kind:?}/{about_household}").as_bytes());
    for c in cells {
        h.update(b"\x1f");
        h.update(c.as_bytes());
    }
    h.finalize().into()
}

/// Plans the import of a sheet with a mapping against the database as `reader` sees it.
/// `progress(done, total)` is called every few thousand rows.
pub fn plan(
    reader: &Reader,
    file: &str,
    sheet: &Sheet,
    mapping: &Mapping,
    opts: &PlanOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Plan, String> {
    let header_index = match mapping.header_row {
        Some(n) if n >= 1 => n - 1,
        Some(_) => return Err("La riga delle intestazioni parte da 1".into()),
        None => guess_header_row(mapping.kind, &sheet.rows),
    };
    let header_cells = sheet.rows.get(header_index).ok_or_else(|| {
        format!(
            "Il foglio ha {} righe: non c'è la riga {} delle intestazioni",
            sheet.rows.len(),
            header_index + 1
        )
    })?;
    let headers: Vec<String> = header_cells.iter().map(Cell::text).collect();
    let columns = resolve_columns(mapping, &headers)?;
    let st = |e: StoreError| e.to_string();
    let catalog = Catalog::load(reader).map_err(st)?;
    let mut planner = Planner {
        mapping,
        opts,
        reader,
        catalog,
        columns,
        headers: headers.clone(),
        writes: Writes::default(),
        by_cf: HashMap::new(),
        by_name: HashMap::new(),
        households_by_name: HashMap::new(),
        new_by_cf: HashMap::new(),
        new_by_name: HashMap::new(),
        new_people: HashMap::new(),
        new_households_by_name: HashMap::new(),
        new_households: HashMap::new(),
        with_reference: HashSet::new(),
        near: Vec::new(),
        groups: HashMap::new(),
        next_person_id: None,
    };
    reader
        .for_each(|p: Person| {
            if p.archived {
                return;
            }
            if let Some(cf) = &p.codice_fiscale {
                planner.by_cf.insert(cf.clone(), p.id);
            }
            planner
                .by_name
                .entry(p.search_key())
                .or_default()
                .push(KnownPerson {
                    id: p.id,
                    birth: p.birth,
                    cf: p.codice_fiscale.clone(),
                    description: format!(
                        "{}{}{}",
                        p.full_name(),
                        match p.birth.display() {
                            s if s.is_empty() => String::new(),
                            s => format!(", nato/a il {s}"),
                        },
                        p.codice_fiscale
                            .as_ref()
                            .map(|c| format!(", {c}"))
                            .unwrap_or_default()
                    ),
                });
        })
        .map_err(st)?;
    reader
        .for_each(|h: Household| {
            if !h.archived {
                planner.households_by_name.insert(fold(&h.name), h.id);
            }
        })
        .map_err(st)?;

    let mut counts = Counts::default();
    let mut reports = Vec::new();
    let mut seen: HashMap<[u8; 32], usize> = HashMap::new();
    let total = sheet.rows.len().saturating_sub(header_index + 1) as u64;
    for (i, row) in sheet.rows.iter().enumerate().skip(header_index + 1) {
        let rownum = i + 1;
        if (i - header_index).is_multiple_of(2000) {
            progress((i - header_index) as u64, total);
        }
        if row.iter().all(Cell::is_blank) {
            continue;
        }
        counts.rows += 1;
        let cells: Vec<String> = row.iter().map(Cell::text).collect();
        let fp = fingerprint(mapping.kind, mapping.about_household, &cells);
        let outcome;
        let mut who = String::new();
        if let Some(first) = seen.get(&fp) {
            counts.repeated += 1;
            outcome = RowOutcome::Repeated { first_row: *first };
        } else if reader.import_fingerprint(&fp).map_err(st)?.is_some() {
            counts.already_imported += 1;
            outcome = RowOutcome::AlreadyImported;
            seen.insert(fp, rownum);
        } else {
            seen.insert(fp, rownum);
            // Everything a row writes, undone if the row is refused halfway.
            let mark = Mark::of(&planner);
            match records::plan_row(&mut planner, rownum, row, &mut who) {
                Ok(records::RowDone::Exists) => {
                    counts.already_imported += 1;
                    outcome = RowOutcome::AlreadyImported;
                }
                Ok(records::RowDone::Done { person, record }) => {
                    match person {
                        PersonLink::New => {}
                        PersonLink::Known => counts.known_people += 1,
                        PersonLink::NearMatch => {
                            counts.near_matches += 1;
                        }
                        PersonLink::None => {}
                    }
                    planner.writes.fingerprints.push(fp);
                    outcome = RowOutcome::Imported { person, record };
                }
                Err(r) => {
                    mark.roll_back(&mut planner);
                    counts.refused += 1;
                    outcome = RowOutcome::Refused {
                        column: r.column,
                        reason: r.reason,
                    };
                }
            }
        }
        reports.push(RowReport {
            row: rownum,
            who,
            outcome,
            cells,
        });
    }
    progress(total, total);
    // People created, not rows naming them.
    counts.new_people = planner.writes.people.len() as u64;
    let w = &planner.writes;
    for (kind, n) in [
        (EntityKind::Household, w.households.len()),
        (EntityKind::Person, w.people.len()),
        (EntityKind::Operator, w.operators.len()),
        (EntityKind::Contact, w.contacts.len()),
        (EntityKind::Case, w.cases.len()),
        (EntityKind::Project, w.projects.len()),
        (EntityKind::Referral, w.referrals.len()),
        (EntityKind::Activity, w.activities.len()),
    ] {
        if n > 0 {
            counts.records.insert(kind, n as u64);
        }
    }
    let columns = planner
        .columns
        .iter()
        .map(|(f, i)| (*f, headers.get(*i).cloned().unwrap_or_default()))
        .collect();
    Ok(Plan {
        kind: mapping.kind,
        mapping_name: if mapping.name.is_empty() {
            mapping.kind.code().to_string()
        } else {
            mapping.name.clone()
        },
        file: file.to_string(),
        sheet: sheet.name.clone(),
        header_row: header_index + 1,
        headers,
        columns,
        rows: reports,
        near: planner.near,
        counts,
        writes: planner.writes,
    })
}
