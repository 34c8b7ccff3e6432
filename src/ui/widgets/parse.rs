//! Reading what was typed in a form: dates, whole numbers and hours, with the problem to
//! show when it cannot be read.

use crate::domain::time::{DateError, parse_date_checked, today};
use crate::domain::*;
use chrono::NaiveDate;

/// Parses a required date field, recording a problem when it is empty or cannot be read
/// (with the reason: not gg/mm/aaaa, or a day that does not exist).
pub fn need_date(p: &mut Problems, field: &'static str, text: &str) -> NaiveDate {
    match parse_date_checked(text) {
        Ok(d) => d,
        Err(e) => {
            p.add(field, e.to_string());
            today()
        }
    }
}

/// Parses an optional date field.
pub fn opt_date(p: &mut Problems, field: &'static str, text: &str) -> Option<NaiveDate> {
    match parse_date_checked(text) {
        Ok(d) => Some(d),
        Err(DateError::Empty) => None,
        Err(e) => {
            p.add(field, e.to_string());
            None
        }
    }
}

/// Parses a whole number field.
pub fn number<T: std::str::FromStr + Default>(
    p: &mut Problems,
    field: &'static str,
    text: &str,
) -> T {
    let t = text.trim();
    if t.is_empty() {
        return T::default();
    }
    match t.parse() {
        Ok(v) => v,
        Err(_) => {
            p.add(field, "Scrivi un numero intero");
            T::default()
        }
    }
}

/// Parses hours written as `2`, `1,5`, `1.5` or `1:30` into minutes.
pub fn parse_hours(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some((h, m)) = t.split_once(':') {
        let h: u32 = h.trim().parse().ok()?;
        let m: u32 = m.trim().parse().ok()?;
        // An absurd number of hours is refused, not wrapped around.
        return (m < 60 && h < 100_000).then(|| h * 60 + m);
    }
    let v: f64 = t.replace(',', ".").parse().ok()?;
    (v.is_finite() && (0.0..100_000.0).contains(&v)).then(|| (v * 60.0).round() as u32)
}

pub use crate::domain::project::fmt_hours;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hours() {
        assert_eq!(parse_hours("3"), Some(180));
        assert_eq!(parse_hours("2,5"), Some(150));
        assert_eq!(parse_hours(" 1.25 "), Some(75));
        assert_eq!(parse_hours("1:30"), Some(90));
        assert_eq!(parse_hours("1:75"), None);
        assert_eq!(parse_hours("-2"), None);
        assert_eq!(parse_hours("tre"), None);
        // Would wrap around to 44 minutes (found in review).
        assert_eq!(parse_hours("71582789:00"), None);
        assert_eq!(fmt_hours(90), "1:30");
        assert_eq!(fmt_hours(120), "2");
    }

    proptest! {
        #[test]
        fn parse_hours_never_panics(s in "\\PC{0,12}") {
            let _ = parse_hours(&s);
        }

        #[test]
        fn hours_round_trip(m in 0u64..100_000) {
            prop_assert_eq!(parse_hours(&fmt_hours(m)).map(u64::from), Some(m));
        }

        #[test]
        fn numbers_never_panic(s in "\\PC{0,12}") {
            let mut p = Problems::default();
            let _: u16 = number(&mut p, "x", &s);
            let _ = opt_date(&mut p, "d", &s);
            let _ = need_date(&mut p, "d", &s);
        }
    }
}
