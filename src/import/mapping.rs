//! A mapping: what the rows of a sheet are, which column holds which field, fixed values for
//! the fields no column holds, and value maps for coded columns. Guessed from Italian and
//! English header names (and from the headers `accoglienza export` writes), saved by name
//! and reused. Plain data, JSON on disk.

pub use super::fields::Field;
use super::read::Cell;
use crate::domain::person::fold;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What each row of the sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RowKind {
    /// People (anagrafica), with their household when a column names it.
    People,
    /// Household members: the household named in a column, and the person of the row.
    Households,
    /// Contacts (accessi) of a person or household.
    Contacts,
    /// Cases (prese in carico).
    Cases,
    /// Projects of one kind (tirocinio, messa alla prova with its hours, …).
    Projects,
    /// Referrals to the territorial network.
    Referrals,
    /// Attendance at a session of a group activity.
    Attendance,
    /// The team's operators.
    Operators,
}

impl RowKind {
    /// Every kind, in the order the wizard lists them.
    pub const ALL: [RowKind; 8] = [
        RowKind::Contacts,
        RowKind::People,
        RowKind::Households,
        RowKind::Cases,
        RowKind::Projects,
        RowKind::Referrals,
        RowKind::Attendance,
        RowKind::Operators,
    ];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            RowKind::People => "Persone",
            RowKind::Households => "Nuclei familiari (una riga per componente)",
            RowKind::Contacts => "Accessi / contatti",
            RowKind::Cases => "Prese in carico",
            RowKind::Projects => "Progetti (tirocini, messa alla prova con le ore, …)",
            RowKind::Referrals => "Invii alla rete",
            RowKind::Attendance => "Presenze alle attività di gruppo",
            RowKind::Operators => "Operatori",
        }
    }

    /// The short code used on the command line (`--mapping accessi`).
    pub fn code(self) -> &'static str {
        match self {
            RowKind::People => "persone",
            RowKind::Households => "nuclei",
            RowKind::Contacts => "accessi",
            RowKind::Cases => "prese-in-carico",
            RowKind::Projects => "progetti",
            RowKind::Referrals => "invii",
            RowKind::Attendance => "presenze",
            RowKind::Operators => "operatori",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<RowKind> {
        RowKind::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// The fields a row of this kind can fill.
    pub fn fields(self) -> Vec<Field> {
        use Field::*;
        let person = [
            PersonId,
            FullName,
            Surname,
            Name,
            CodiceFiscale,
            BirthDate,
            Sex,
            Birthplace,
            Citizenship,
            Address,
            Municipio,
            Phone,
            Email,
        ];
        let subject = [SubjectKind, SubjectId, HouseholdId, HouseholdName];
        let mut out: Vec<Field> = vec![Id];
        match self {
            RowKind::People => {
                out.extend([
                    Surname,
                    Name,
                    FullName,
                    Sex,
                    BirthDate,
                    Birthplace,
                    CodiceFiscale,
                    CfProvisional,
                    Citizenship,
                    Address,
                    Municipio,
                    Phone,
                    Email,
                    HouseholdId,
                    HouseholdName,
                    Relationship,
                    ConsentDate,
                    Archived,
                ]);
            }
            RowKind::Households => {
                out.extend([HouseholdName, HouseholdAddress, Municipio, Relationship]);
                out.extend(person.iter().filter(|f| !matches!(f, Municipio)));
                out.push(Archived);
            }
            RowKind::Contacts => {
                out.extend(subject);
                out.extend(person);
                out.extend([
                    Date, Time, Line, Desk, Operator, Kind, Measure, Minutes, Note, Archived,
                ]);
            }
            RowKind::Cases => {
                out.extend(subject);
                out.extend(person);
                out.extend([
                    Date,
                    EndDate,
                    Line,
                    Status,
                    Operator,
                    Need,
                    Outcome,
                    Relationship,
                    Archived,
                ]);
            }
            RowKind::Projects => {
                out.extend(person);
                out.extend([
                    Kind,
                    Line,
                    Date,
                    EndDate,
                    Operator,
                    Detail,
                    HoursRequired,
                    HoursDone,
                    Archived,
                ]);
            }
            RowKind::Referrals => {
                out.extend(subject);
                out.extend(person);
                out.extend([
                    Date, Service, Line, Operator, Note, FollowUp, Outcome, Archived,
                ]);
            }
            RowKind::Attendance => {
                out.extend([ActivityId, ActivityName, Line, Edition, Date, SessionTitle]);
                out.extend(person);
                out.push(Archived);
            }
            RowKind::Operators => {
                out.extend([
                    Surname, Name, FullName, Role, Phone, Email, Desk, Active, Archived,
                ]);
            }
        }
        out
    }

    /// The fields a row must have (from a column or a fixed value), beyond the person.
    pub fn required(self) -> Vec<Field> {
        use Field::*;
        match self {
            RowKind::People | RowKind::Operators => vec![],
            RowKind::Households => vec![HouseholdName],
            RowKind::Contacts => vec![Date, Line, Desk],
            RowKind::Cases => vec![Date, Line],
            RowKind::Projects => vec![Kind, Line, Date],
            RowKind::Referrals => vec![Date, Service],
            RowKind::Attendance => vec![Line, Date],
        }
    }
}

/// What a fixed value or a value map gives: the text a cell would hold.
pub type FixedValues = BTreeMap<Field, String>;

/// How the rows of a sheet become records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// The name it is saved under.
    #[serde(default)]
    pub name: String,
    /// What the rows are.
    pub kind: RowKind,
    /// Records about the household named in the row instead of the person (cases,
    /// contacts and referrals of a family list).
    #[serde(default)]
    pub about_household: bool,
    /// The sheet to read (the first when empty).
    #[serde(default)]
    pub sheet: Option<String>,
    /// The header row, 1-based as the spreadsheet shows it (guessed when absent).
    #[serde(default)]
    pub header_row: Option<usize>,
    /// Field → the header of its column. Fields not listed are guessed from the headers
    /// when `guess` is true.
    #[serde(default)]
    pub columns: BTreeMap<Field, String>,
    /// Field → a value for every row (the desk or the service line of the whole sheet).
    #[serde(default)]
    pub fixed: FixedValues,
    /// Field → (value as in the sheet → value to use): "Ornato" → "ornato", "B2" → "b2".
    #[serde(default)]
    pub values: BTreeMap<Field, BTreeMap<String, String>>,
    /// Guess the columns no entry of `columns` names (on by default).
    #[serde(default = "yes")]
    pub guess: bool,
}

fn yes() -> bool {
    true
}

impl Mapping {
    /// An empty mapping of a kind whose columns are guessed from the headers.
    pub fn guessed(kind: RowKind) -> Mapping {
        Mapping {
            name: String::new(),
            kind,
            about_household: false,
            sheet: None,
            header_row: None,
            columns: BTreeMap::new(),
            fixed: BTreeMap::new(),
            values: BTreeMap::new(),
            guess: true,
        }
    }

    /// Reads a mapping saved as JSON.
    pub fn from_json(text: &str) -> Result<Mapping, String> {
        serde_json::from_str(text).map_err(|e| format!("Mappatura illeggibile: {e}"))
    }

    /// The mapping as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a mapping is always JSON")
    }

    /// The sheet value a value map turns `text` into (compared folded), or `text` itself.
    pub fn map_value<'a>(&'a self, field: Field, text: &'a str) -> &'a str {
        if let Some(m) = self.values.get(&field) {
            let key = fold(text);
            if let Some((_, v)) = m.iter().find(|(k, _)| fold(k) == key) {
                return v;
            }
        }
        text
    }
}

/// The field a header names, for a kind of row (`None` when nothing fits).
pub fn guess_field(kind: RowKind, header: &str) -> Option<Field> {
    let h = fold(header).trim_matches([':', '*', ' ']).to_string();
    if h.is_empty() {
        return None;
    }
    let fields = kind.fields();
    // Headers whose meaning depends on the kind of row.
    let special = match (kind, h.as_str()) {
        (RowKind::Households, "name" | "nome nucleo" | "nome") => Some(Field::HouseholdName),
        (RowKind::Households, "address") => Some(Field::HouseholdAddress),
        (RowKind::Attendance, "name") => Some(Field::ActivityName),
        (RowKind::Projects, "kind" | "tipo") => Some(Field::Kind),
        _ => None,
    };
    if special.is_some() {
        return special;
    }
    fields
        .iter()
        .copied()
        .find(|f| f.synonyms().contains(&h.as_str()))
        .or_else(|| {
            // "Data accesso 2022", "Cognome utente": a synonym of two words or more at the start.
            fields.iter().copied().find(|f| {
                f.synonyms()
                    .iter()
                    .any(|s| s.contains(' ') && h.starts_with(&format!("{s} ")))
            })
        })
}

/// The index of the header row among the first rows: the one naming most known fields
/// (titles above it and empty rows are skipped; a merged title has a single cell).
pub fn guess_header_row(kind: RowKind, rows: &[Vec<Cell>]) -> usize {
    let mut best = (0usize, 0usize);
    for (i, row) in rows.iter().enumerate().take(30) {
        let texts: Vec<String> = row
            .iter()
            .filter_map(|c| match c {
                Cell::Text(t) if !t.trim().is_empty() => Some(t.clone()),
                _ => None,
            })
            .collect();
        if texts.len() < 2 {
            continue;
        }
        let known = texts
            .iter()
            .filter(|t| guess_field(kind, t).is_some())
            .count();
        let score = known * 4 + texts.len();
        if score > best.1 {
            best = (i, score);
        }
    }
    best.0
}

/// The columns of a header row: field → column index, from the mapping's own entries
/// (matched by header text, folded) and, when it guesses, from the header names. Each
/// column fills one field; each field takes the first column that names it.
pub fn resolve_columns(
    mapping: &Mapping,
    headers: &[String],
) -> Result<BTreeMap<Field, usize>, String> {
    let mut out = BTreeMap::new();
    let mut used = vec![false; headers.len()];
    for (field, header) in &mapping.columns {
        let want = fold(header);
        let i = headers
            .iter()
            .position(|h| fold(h) == want)
            .ok_or_else(|| {
                format!(
                    "La colonna «{header}» ({}) non c'è nel foglio",
                    field.label()
                )
            })?;
        out.insert(*field, i);
        used[i] = true;
    }
    if mapping.guess {
        for (i, h) in headers.iter().enumerate() {
            if used[i] {
                continue;
            }
            if let Some(f) = guess_field(mapping.kind, h)
                && !out.contains_key(&f)
                && !mapping.fixed.contains_key(&f)
            {
                out.insert(f, i);
                used[i] = true;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_and_english_headers() {
        let k = RowKind::Contacts;
        assert_eq!(guess_field(k, "Cognome"), Some(Field::Surname));
        assert_eq!(guess_field(k, "C.F."), Some(Field::CodiceFiscale));
        assert_eq!(guess_field(k, "Data accesso"), Some(Field::Date));
        assert_eq!(guess_field(k, "Sportello"), Some(Field::Desk));
        assert_eq!(guess_field(k, "Bando"), Some(Field::Measure));
        assert_eq!(guess_field(k, "Date of birth"), Some(Field::BirthDate));
        assert_eq!(
            guess_field(RowKind::Projects, "Ore svolte"),
            Some(Field::HoursDone)
        );
        assert_eq!(
            guess_field(RowKind::Households, "name"),
            Some(Field::HouseholdName)
        );
        assert_eq!(guess_field(k, "Colore preferito"), None);
    }

    #[test]
    fn the_header_row_below_a_title() {
        let t = |s: &str| Cell::Text(s.into());
        let rows = vec![
            vec![t("Registro accessi WeMi Ornato 2022")],
            vec![],
            vec![t("Cognome"), t("Nome"), t("C.F."), t("Data accesso")],
            vec![t("Rossi"), t("Mario"), t("x"), t("12/03/2022")],
        ];
        assert_eq!(guess_header_row(RowKind::Contacts, &rows), 2);
    }

    #[test]
    fn mappings_round_trip_as_json() {
        let mut m = Mapping::guessed(RowKind::Contacts);
        m.name = "WeMi".into();
        m.fixed.insert(Field::Line, "wemi".into());
        m.values
            .entry(Field::Desk)
            .or_default()
            .insert("Ornato".into(), "ornato".into());
        let back = Mapping::from_json(&m.to_json()).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.map_value(Field::Desk, "ORNATO"), "ornato");
        let minimal = Mapping::from_json(r#"{"kind":"People"}"#).unwrap();
        assert!(minimal.guess);
    }
}
