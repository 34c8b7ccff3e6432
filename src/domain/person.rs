//! People, households and the team's operators.

use super::codice_fiscale::{self, CfSex};
use super::ids::Id;
use super::time::date_serde;
use super::validate::{self, Problems, optional_text, person_name};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Sex as recorded in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Sex {
    /// Not recorded.
    #[default]
    NonIndicato,
    /// Maschio.
    M,
    /// Femmina.
    F,
}

impl From<CfSex> for Sex {
    fn from(s: CfSex) -> Sex {
        match s {
            CfSex::M => Sex::M,
            CfSex::F => Sex::F,
        }
    }
}

/// A birth date, exact or approximate (year only) when the person does not know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum BirthDate {
    /// Not known.
    #[default]
    Unknown,
    /// Only the year is known.
    Year(i32),
    /// The exact date.
    Exact(#[serde(with = "date_serde")] NaiveDate),
}

impl BirthDate {
    /// The year, when known.
    pub fn year(&self) -> Option<i32> {
        match self {
            BirthDate::Unknown => None,
            BirthDate::Year(y) => Some(*y),
            BirthDate::Exact(d) => Some(d.year()),
        }
    }

    /// `gg/mm/aaaa`, `aaaa` or empty.
    pub fn display(&self) -> String {
        match self {
            BirthDate::Unknown => String::new(),
            BirthDate::Year(y) => format!("{y} (circa)"),
            BirthDate::Exact(d) => super::time::fmt_date(*d),
        }
    }
}

/// The relationship of a member to the household's reference person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Relationship {
    /// Persona di riferimento / intestatario.
    #[default]
    Riferimento,
    /// Coniuge o partner.
    Coniuge,
    /// Figlio o figlia.
    Figlio,
    /// Genitore.
    Genitore,
    /// Fratello o sorella.
    Fratello,
    /// Nonno o nonna.
    Nonno,
    /// Nipote.
    Nipote,
    /// Altro parente.
    AltroParente,
    /// Convivente non parente.
    Convivente,
}

impl Relationship {
    /// Every relationship, in display order.
    pub const ALL: [Relationship; 9] = [
        Relationship::Riferimento,
        Relationship::Coniuge,
        Relationship::Figlio,
        Relationship::Genitore,
        Relationship::Fratello,
        Relationship::Nonno,
        Relationship::Nipote,
        Relationship::AltroParente,
        Relationship::Convivente,
    ];

    /// The Italian label.
    pub fn label(self) -> &'static str {
        match self {
            Relationship::Riferimento => "Persona di riferimento",
            Relationship::Coniuge => "Coniuge / partner",
            Relationship::Figlio => "Figlio/a",
            Relationship::Genitore => "Genitore",
            Relationship::Fratello => "Fratello / sorella",
            Relationship::Nonno => "Nonno/a",
            Relationship::Nipote => "Nipote",
            Relationship::AltroParente => "Altro parente",
            Relationship::Convivente => "Convivente",
        }
    }
}

/// How [`second_reference_person`] names a member the writer may not see.
pub const SOMEONE_ELSE_IN_HOUSEHOLD: &str = "un'altra persona del nucleo";

/// The message for a household that would have two reference persons (`current` is the
/// one it already has).
pub fn second_reference_person(current: &str) -> String {
    format!(
        "Il nucleo ha già una persona di riferimento ({current}): indica un'altra relazione, o cambia prima quella di {current}"
    )
}

/// Membership of a person in a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The household.
    pub household: Id,
    /// The relationship to its reference person.
    pub relationship: Relationship,
}

/// The privacy consent a person signed (GDPR art. 9 data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// When it was signed.
    #[serde(with = "date_serde")]
    pub date: NaiveDate,
    /// What it covers (e.g. "trattamento dati sanitari, comunicazione alla rete").
    pub scope: String,
}

/// A person who turns to the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Person {
    /// Identifier.
    pub id: Id,
    /// Cognome.
    pub surname: String,
    /// Nome.
    pub name: String,
    /// Sesso.
    pub sex: Sex,
    /// Data di nascita, exact or approximate.
    pub birth: BirthDate,
    /// Luogo di nascita.
    pub birthplace: String,
    /// Codice fiscale (trimmed, upper-case), if known.
    pub codice_fiscale: Option<String>,
    /// True when the code is provisional or foreign (not checked as a codice fiscale).
    pub cf_provisional: bool,
    /// Cittadinanza.
    pub citizenship: String,
    /// Indirizzo.
    pub address: String,
    /// Municipio di Milano (1–9), if known.
    pub municipio: Option<u8>,
    /// Telefono.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// The household the person belongs to.
    pub household: Option<Membership>,
    /// Privacy consent.
    pub consent: Option<Consent>,
    /// Free notes.
    pub note: String,
    /// Archived (never hard-deleted).
    pub archived: bool,
}

impl Person {
    /// "Cognome Nome".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.surname.trim(), self.name.trim())
    }

    /// Validates the person against `today` (birth date not in the future, …).
    pub fn validate(&self, today: NaiveDate) -> Problems {
        let mut p = Problems::default();
        person_name(&mut p, "surname", "Il cognome", &self.surname);
        person_name(&mut p, "name", "Il nome", &self.name);
        match self.birth {
            BirthDate::Exact(d) => {
                validate::not_future(&mut p, "birth", "La data di nascita", d, today);
                validate::plausible(&mut p, "birth", "La data di nascita", d);
            }
            BirthDate::Year(y) => {
                if y < 1900 || y > today.year() {
                    p.add(
                        "birth",
                        format!("L'anno di nascita deve essere tra 1900 e {}", today.year()),
                    );
                }
            }
            BirthDate::Unknown => {}
        }
        if let Some(cf) = &self.codice_fiscale {
            if self.cf_provisional {
                if let Err(e) = codice_fiscale::validate_provisional(cf) {
                    p.add("codice_fiscale", e);
                }
            } else {
                match codice_fiscale::validate_with_year(cf, today.year()) {
                    Err(e) => p.add("codice_fiscale", e.to_string()),
                    Ok(info) => {
                        if let BirthDate::Exact(d) = self.birth
                            && (d.day(), d.month(), d.year() % 100)
                                != (
                                    info.birth_date.day(),
                                    info.birth_date.month(),
                                    info.birth_date.year() % 100,
                                )
                        {
                            p.add(
                                "codice_fiscale",
                                "Il codice fiscale non corrisponde alla data di nascita",
                            );
                        }
                        let cf_sex = Sex::from(info.sex);
                        if self.sex != Sex::NonIndicato && self.sex != cf_sex {
                            p.add(
                                "codice_fiscale",
                                "Il codice fiscale non corrisponde al sesso indicato",
                            );
                        }
                    }
                }
            }
        }
        optional_text(
            &mut p,
            "birthplace",
            "Il luogo di nascita",
            &self.birthplace,
            80,
        );
        optional_text(
            &mut p,
            "citizenship",
            "La cittadinanza",
            &self.citizenship,
            60,
        );
        optional_text(&mut p, "address", "L'indirizzo", &self.address, 160);
        if let Some(m) = self.municipio
            && !(1..=9).contains(&m)
        {
            p.add("municipio", "Il municipio deve essere un numero da 1 a 9");
        }
        validate::phone(&mut p, "phone", &self.phone);
        validate::email(&mut p, "email", &self.email);
        if let Some(c) = &self.consent {
            validate::not_future(&mut p, "consent", "La data del consenso", c.date, today);
            optional_text(&mut p, "consent", "L'ambito del consenso", &c.scope, 200);
        }
        optional_text(&mut p, "note", "Le note", &self.note, 4000);
        p
    }

    /// Surname and name folded for search: lower case, accents removed, single spaces.
    pub fn search_key(&self) -> String {
        fold(&format!("{} {}", self.surname, self.name))
    }
}

/// Folds text for search and duplicate checks: lower case, accents removed, single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            '’' | '\'' => '\'',
            c => c,
        };
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A household (nucleo familiare). Its members are the people whose `household` points here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Household {
    /// Identifier.
    pub id: Id,
    /// A name the team recognises ("Famiglia Rossi").
    pub name: String,
    /// Indirizzo.
    pub address: String,
    /// Municipio (1–9).
    pub municipio: Option<u8>,
    /// Free notes.
    pub note: String,
    /// Archived.
    pub archived: bool,
}

impl Household {
    /// Validates the household.
    pub fn validate(&self) -> Problems {
        let mut p = Problems::default();
        validate::required_text(&mut p, "name", "Il nome del nucleo", &self.name, 120);
        optional_text(&mut p, "address", "L'indirizzo", &self.address, 160);
        if let Some(m) = self.municipio
            && !(1..=9).contains(&m)
        {
            p.add("municipio", "Il municipio deve essere un numero da 1 a 9");
        }
        optional_text(&mut p, "note", "Le note", &self.note, 4000);
        p
    }
}

/// A member of the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Operator {
    /// Identifier.
    pub id: Id,
    /// Cognome.
    pub surname: String,
    /// Nome.
    pub name: String,
    /// The role (catalogue).
    pub role: Id,
    /// Telefono.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// The desk where the operator usually works.
    pub desk: Option<Id>,
    /// Still in the team.
    pub active: bool,
    /// Archived.
    pub archived: bool,
}

impl Operator {
    /// "Nome Cognome".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.name.trim(), self.surname.trim())
    }

    /// Validates the operator.
    pub fn validate(&self) -> Problems {
        let mut p = Problems::default();
        person_name(&mut p, "surname", "Il cognome", &self.surname);
        person_name(&mut p, "name", "Il nome", &self.name);
        if self.role == Id::NIL {
            p.add("role", "Il ruolo è obbligatorio");
        }
        validate::phone(&mut p, "phone", &self.phone);
        validate::email(&mut p, "email", &self.email);
        p
    }
}

impl Person {
    /// Trims text fields and upper-cases the codice fiscale, as the store keeps them.
    pub fn normalize(&mut self) {
        for s in [
            &mut self.surname,
            &mut self.name,
            &mut self.birthplace,
            &mut self.citizenship,
        ] {
            *s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        for s in [&mut self.address, &mut self.phone, &mut self.email] {
            *s = s.trim().to_string();
        }
        self.codice_fiscale = self
            .codice_fiscale
            .as_deref()
            .map(codice_fiscale::normalize)
            .filter(|c| !c.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds() {
        assert_eq!(fold("  D'Àngelo   Niccolò "), "d'angelo niccolo");
    }

    #[test]
    fn person_validation() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut p = Person {
            surname: "Rossi".into(),
            name: "Mario".into(),
            ..Default::default()
        };
        assert!(p.validate(today).is_empty());
        p.codice_fiscale = Some("RSSMRA85T10A562X".into());
        assert!(p.validate(today).for_field("codice_fiscale").is_some());
        p.codice_fiscale = Some("rssmra85t10a562s".into());
        assert!(p.validate(today).is_empty());
        p.birth = BirthDate::Exact(NaiveDate::from_ymd_opt(1985, 12, 11).unwrap());
        assert!(p.validate(today).for_field("codice_fiscale").is_some());
        p.birth = BirthDate::Exact(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert!(p.validate(today).for_field("birth").is_some());
        p.surname = " ".into();
        assert!(p.validate(today).for_field("surname").is_some());
    }
}
