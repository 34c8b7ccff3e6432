//! Form validation with messages in Italian, shared by the store (which refuses invalid
//! records) and the window (which shows them inline, next to the field).

use chrono::NaiveDate;
use std::fmt;

/// One problem with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's code name (e.g. `codice_fiscale`), so a form can show it in place.
    pub field: &'static str,
    /// The message for the operator, in Italian.
    pub message: String,
}

/// All the problems found in a record; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    /// Records a problem with a field.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for a field, if it has one.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Adds the other's problems for the fields that have none yet (a form's own checks,
    /// such as an unparsable date, win over the record's).
    pub fn merge(&mut self, other: Problems) {
        for e in other.0 {
            if self.for_field(e.field).is_none() {
                self.0.push(e);
            }
        }
    }

    /// Keeps only the problems of fields that `fresh` (the same checks run again on the
    /// fields as they are now) still finds, with `fresh`'s messages: a field fixed loses
    /// its message at once, and no new message appears on a field not yet complained about.
    pub fn keep_unfixed(&mut self, fresh: Problems) {
        let mut fields: Vec<&'static str> = Vec::new();
        for e in &self.0 {
            if !fields.contains(&e.field) {
                fields.push(e.field);
            }
        }
        self.0 = fields
            .into_iter()
            .flat_map(|f| fresh.0.iter().filter(move |e| e.field == f).cloned())
            .collect();
    }

    /// `Ok(())` when empty, the problems otherwise.
    pub fn into_result(self) -> Result<(), Problems> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for Problems {}

/// A required text: not empty after trimming, at most `max` characters, no control characters.
pub fn required_text(p: &mut Problems, field: &'static str, label: &str, value: &str, max: usize) {
    let v = value.trim();
    if v.is_empty() {
        p.add(field, format!("{label} è obbligatorio"));
    } else {
        optional_text(p, field, label, value, max);
    }
}

/// An optional text: at most `max` characters, no control characters except newlines.
pub fn optional_text(p: &mut Problems, field: &'static str, label: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        p.add(field, format!("{label}: al massimo {max} caratteri"));
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        p.add(field, format!("{label} contiene caratteri non ammessi"));
    }
}

/// A person's name or surname: letters, spaces, apostrophes, hyphens and dots.
pub fn person_name(p: &mut Problems, field: &'static str, label: &str, value: &str) {
    required_text(p, field, label, value, 80);
    if !value.trim().is_empty()
        && !value
            .chars()
            .all(|c| c.is_alphabetic() || " '’-.".contains(c))
    {
        p.add(
            field,
            format!("{label} può contenere solo lettere, spazi, apostrofi e trattini"),
        );
    }
}

/// An e-mail address of the ordinary shape `nome@dominio.tld` (empty is allowed).
pub fn email(p: &mut Problems, field: &'static str, value: &str) {
    let v = value.trim();
    if v.is_empty() {
        return;
    }
    if !is_email(v) {
        p.add(
            field,
            "Indirizzo e-mail non valido (esempio: nome@dominio.it)",
        );
    }
}

/// True for an address of the shape `local@domain.tld` without spaces.
pub fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && domain.len() <= 253
        && !domain.contains('@')
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.split('.').count() >= 2
        && domain
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// A phone number: digits with optional leading `+`, spaces, dots, dashes, slashes and
/// parentheses; 6 to 15 digits (empty is allowed).
pub fn phone(p: &mut Problems, field: &'static str, value: &str) {
    let v = value.trim();
    if v.is_empty() {
        return;
    }
    if !is_phone(v) {
        p.add(
            field,
            "Numero di telefono non valido (da 6 a 15 cifre, es. +39 02 1234567)",
        );
    }
}

/// True for a plausible phone number.
pub fn is_phone(v: &str) -> bool {
    let body = v.strip_prefix('+').unwrap_or(v);
    let digits = body.chars().filter(|c| c.is_ascii_digit()).count();
    (6..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || " .-/()".contains(c))
}

/// A date that may not be after `today` (birth dates, contacts, sessions already held).
pub fn not_future(
    p: &mut Problems,
    field: &'static str,
    label: &str,
    d: NaiveDate,
    today: NaiveDate,
) {
    if d > today {
        p.add(field, format!("{label} non può essere nel futuro"));
    }
}

/// A date between 1900 and 2200 (typing mistakes such as 0202 or 20222 instead of 2022).
pub fn plausible(p: &mut Problems, field: &'static str, label: &str, d: NaiveDate) {
    if d < NaiveDate::from_ymd_opt(1900, 1, 1).expect("date") {
        p.add(field, format!("{label} non è plausibile (prima del 1900)"));
    } else if d > NaiveDate::from_ymd_opt(2200, 12, 31).expect("date") {
        p.add(field, format!("{label} non è plausibile (dopo il 2200)"));
    }
}

/// An end that is not before its start.
pub fn period(p: &mut Problems, field: &'static str, start: NaiveDate, end: Option<NaiveDate>) {
    if let Some(end) = end {
        if end < start {
            p.add(field, "La data di fine non può precedere quella di inizio");
        } else {
            plausible(p, field, "La data di fine", end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_the_forms_own_message_per_field() {
        let mut form = Problems::default();
        form.add("born", "Data non valida");
        let mut record = Problems::default();
        record.add("born", "La data di nascita non può essere nel futuro");
        record.add("surname", "Il cognome è obbligatorio");
        form.merge(record);
        assert_eq!(form.for_field("born"), Some("Data non valida"));
        assert_eq!(form.for_field("surname"), Some("Il cognome è obbligatorio"));
        assert_eq!(form.0.len(), 2);
    }

    #[test]
    fn fixed_fields_lose_their_message_and_no_new_one_appears() {
        let mut shown = Problems::default();
        shown.add("surname", "Il cognome è obbligatorio");
        shown.add("birth", "Data non valida");
        shown.add("ledger", "riga 1");
        shown.add("ledger", "riga 2");
        let mut fresh = Problems::default();
        fresh.add("birth", "Il giorno 31 febbraio 2024 non esiste");
        fresh.add("email", "Indirizzo e-mail non valido");
        fresh.add("ledger", "riga 2");
        shown.keep_unfixed(fresh);
        assert_eq!(shown.for_field("surname"), None, "fixed");
        assert_eq!(
            shown.for_field("birth"),
            Some("Il giorno 31 febbraio 2024 non esiste"),
            "the message follows the field"
        );
        assert_eq!(shown.for_field("email"), None, "not complained about yet");
        assert_eq!(shown.0.len(), 2);
    }

    #[test]
    fn emails_and_phones() {
        assert!(is_email("mario.rossi@coop.it"));
        assert!(!is_email("mario.rossi@coop"));
        assert!(!is_email("mario rossi@coop.it"));
        assert!(!is_email("@coop.it"));
        assert!(is_phone("+39 02 1234567"));
        assert!(is_phone("333-1234567"));
        assert!(!is_phone("12"));
        assert!(!is_phone("abc1234567"));
    }
}
