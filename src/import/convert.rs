//! Values as people typed them: dates in every Italian habit and Excel serial numbers,
//! codici fiscali with spaces, names in capitals, hours as `12,5`, `12:30`, `12h30`, and the
//! many ways of writing "nothing". Each conversion is a pure function; the errors are the
//! Italian reasons shown next to the refused row.

use crate::domain::codice_fiscale;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// True for a cell that says "nothing": empty, blanks, `n.d.`, `-`, `/`, `n/a`, `?`.
pub fn is_blank(s: &str) -> bool {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        t.as_str(),
        "" | "-"
            | "--"
            | "—"
            | "–"
            | "/"
            | "?"
            | "n.d."
            | "n.d"
            | "nd"
            | "n/d"
            | "n/a"
            | "na"
            | "null"
            | "nessuno"
            | "nessuna"
    )
}

/// The day an Excel serial number stands for (1900 date system, the one Excel and
/// LibreOffice write by default; 60 is Excel's non-existent 29 February 1900). The
/// fraction is the time of day. `None` outside 1 … 2,958,465 (31/12/9999).
pub fn date_from_serial(serial: f64) -> Option<NaiveDateTime> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // Before 1 March 1900 Excel counts the fake 29 February: one day less to subtract.
    let day = if days < 61 {
        base + Duration::days(days + 1)
    } else {
        base + Duration::days(days)
    };
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    let time = NaiveTime::from_num_seconds_from_midnight_opt(secs.clamp(0, 86_399) as u32, 0)?;
    Some(day.and_time(time))
}

/// The Excel serial number of a day (the inverse of [`date_from_serial`] for whole days).
pub fn serial_from_date(d: NaiveDate) -> f64 {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
    let days = (d - base).num_days();
    if days < 61 {
        (days - 1) as f64
    } else {
        days as f64
    }
}

/// The century of a two-digit year: not after `today`'s year it is 20xx, otherwise 19xx
/// (`12-03-22` is 2022, a birth date `05/11/85` is 1985).
pub fn full_year(two_digits: i32, today: NaiveDate) -> i32 {
    let now = today.year();
    let candidate = now - now.rem_euclid(100) + two_digits;
    if candidate > now {
        candidate - 100
    } else {
        candidate
    }
}

/// Reads a date written `12/03/2022`, `12-03-22`, `12.3.2022`, `2022-03-12`, with an
/// optional time after it, or a serial number (`44632`); two-digit years are placed by
/// [`full_year`].
pub fn parse_date(s: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    parse_datetime(s, today).map(|d| d.date())
}

/// Like [`parse_date`], keeping a time written after the date (`12/03/2022 10:30`).
pub fn parse_datetime(s: &str, today: NaiveDate) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("La data è vuota".into());
    }
    // A serial number typed or stored as text (five digits: 1927 … 2173).
    if t.len() == 5 && t.chars().all(|c| c.is_ascii_digit()) {
        let n: f64 = t.parse().map_err(|_| format!("«{t}» non è una data"))?;
        return date_from_serial(n).ok_or_else(|| format!("«{t}» non è una data"));
    }
    let (date_part, time_part) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let parts: Vec<&str> = date_part
        .split(['/', '-', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let bad = || format!("«{t}» non è una data (scrivi gg/mm/aaaa)");
    if parts.len() != 3 || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return Err(bad());
    }
    let num = |p: &str| p.parse::<i32>().map_err(|_| bad());
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else {
        let y = match parts[2].len() {
            4 => num(parts[2])?,
            1 | 2 => full_year(num(parts[2])?, today),
            _ => return Err(bad()),
        };
        (y, num(parts[1])?, num(parts[0])?)
    };
    if parts[1].len() > 2 || (parts[0].len() != 4 && parts[0].len() > 2) {
        return Err(bad());
    }
    if !(1..=12).contains(&m) {
        return Err(format!("«{t}»: il mese {m} non esiste"));
    }
    let date = NaiveDate::from_ymd_opt(y, m as u32, d.max(0) as u32)
        .ok_or_else(|| format!("«{t}»: questo giorno non esiste"))?;
    let time = match time_part {
        None | Some("") => NaiveTime::MIN,
        Some(tp) => parse_time(tp).map_err(|_| bad())?,
    };
    Ok(date.and_time(time))
}

/// Reads a time of day `10:30`, `10.30`, `10:30:00`, `10h30`.
pub fn parse_time(s: &str) -> Result<NaiveTime, String> {
    let t = s.trim().to_lowercase();
    let parts: Vec<&str> = t.split([':', '.', 'h']).collect();
    let bad = || format!("«{}» non è un orario (scrivi hh:mm)", s.trim());
    if parts.len() < 2 || parts.len() > 3 {
        return Err(bad());
    }
    let h: u32 = parts[0].trim().parse().map_err(|_| bad())?;
    let m: u32 = if parts[1].trim().is_empty() {
        0
    } else {
        parts[1].trim().parse().map_err(|_| bad())?
    };
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

/// Reads hours done as minutes: `12`, `12,5`, `12.5`, `12:30`, `12h30`, `12 h`, `12 ore`,
/// `12 ore 30`. At most 100,000 hours.
pub fn parse_hours(s: &str) -> Result<u32, String> {
    let raw = s.trim();
    let t: String = raw
        .to_lowercase()
        .replace("ore", "h")
        .replace("ora", "h")
        .replace("min", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let bad = || format!("«{raw}» non è un numero di ore (scrivi 12,5 o 12:30)");
    if t.is_empty() {
        return Err(bad());
    }
    let minutes: u64 = if let Some((h, m)) = t.split_once([':', 'h']) {
        let h: u64 = h.parse().map_err(|_| bad())?;
        let m: u64 = if m.is_empty() {
            0
        } else {
            m.parse().map_err(|_| bad())?
        };
        if m >= 60 {
            return Err(bad());
        }
        h.checked_mul(60)
            .and_then(|x| x.checked_add(m))
            .ok_or_else(bad)?
    } else {
        let v: f64 = t.replace(',', ".").parse().map_err(|_| bad())?;
        if !v.is_finite() || v < 0.0 {
            return Err(bad());
        }
        (v * 60.0).round() as u64
    };
    if minutes > 100_000 * 60 {
        return Err(format!("«{raw}»: troppe ore"));
    }
    Ok(minutes as u32)
}

/// Hours from a number cell (`12.5` hours).
pub fn hours_from_number(v: f64) -> Result<u32, String> {
    if !v.is_finite() || !(0.0..=100_000.0).contains(&v) {
        return Err(format!("{v} non è un numero di ore"));
    }
    Ok((v * 60.0).round() as u32)
}

/// A codice fiscale as the store keeps it: spaces, dots and dashes dropped, upper case
/// (`rssmra 85t10 a562s` → `RSSMRA85T10A562S`).
pub fn normalize_cf(s: &str) -> String {
    codice_fiscale::normalize(
        &s.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '_'))
            .collect::<String>(),
    )
}

/// A name typed in capitals (or in lower case) in title case: `ROSSI` → `Rossi`,
/// `D'ANGELO` → `D'Angelo`, `DE LUCA` → `De Luca`. Names already in mixed case are kept.
pub fn name_case(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let has_lower = t.chars().any(|c| c.is_lowercase());
    let has_upper = t.chars().any(|c| c.is_uppercase());
    if has_lower && has_upper {
        return t;
    }
    let mut out = String::with_capacity(t.len());
    let mut start = true;
    for c in t.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '\'' | '’' | '-');
    }
    out
}

/// Splits "ROSSI MARIO" (one column holding surname and name) into (surname, name). With a
/// codice fiscale, the split whose consonants give the code's first six letters wins
/// ("DE LUCA ANNA MARIA" with `DLCNMR…` → "De Luca", "Anna Maria"); otherwise the first
/// word is the surname. Both parts in title case.
pub fn split_full_name(full: &str, cf: Option<&str>) -> (String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    if words.len() < 2 {
        return (name_case(full), String::new());
    }
    let cf = cf
        .map(normalize_cf)
        .filter(|c| c.len() >= 6 && c.is_ascii());
    let mut split = 1;
    if let Some(code) = cf {
        let (s3, n3) = (&code[..3], &code[3..6]);
        let fits = |k: usize, surname_first: bool| {
            let (a, b) = (words[..k].join(" "), words[k..].join(" "));
            let (s, n) = if surname_first { (a, b) } else { (b, a) };
            codice_fiscale::name_part(&s, false) == s3 && codice_fiscale::name_part(&n, true) == n3
        };
        if let Some(k) = (1..words.len()).find(|&k| fits(k, true)) {
            split = k;
        } else if let Some(k) = (1..words.len()).find(|&k| fits(k, false)) {
            // "MARIO ROSSI": name first.
            return (
                name_case(&words[k..].join(" ")),
                name_case(&words[..k].join(" ")),
            );
        }
    }
    (
        name_case(&words[..split].join(" ")),
        name_case(&words[split..].join(" ")),
    )
}

/// Reads a sex: `M`, `F`, `maschio`, `femmina`, `uomo`, `donna`, `male`, `female`.
pub fn parse_sex(s: &str) -> Result<crate::domain::Sex, String> {
    use crate::domain::Sex;
    match crate::domain::person::fold(s).trim_end_matches('.') {
        "m" | "maschio" | "maschile" | "uomo" | "male" | "man" => Ok(Sex::M),
        "f" | "femmina" | "femminile" | "donna" | "female" | "woman" => Ok(Sex::F),
        "nonindicato" | "non indicato" | "x" => Ok(Sex::NonIndicato),
        _ => Err(format!("«{}» non è un sesso (M o F)", s.trim())),
    }
}

/// Reads yes/no: `sì`, `si`, `x`, `true`, `1`, `vero` / `no`, `false`, `0`, `falso`.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match crate::domain::person::fold(s).as_ref() {
        "si" | "sì" | "s" | "x" | "true" | "1" | "vero" | "yes" | "y" => Ok(true),
        "no" | "n" | "false" | "0" | "falso" | "" => Ok(false),
        _ => Err(format!("«{}» non è sì o no", s.trim())),
    }
}

/// Reads a whole number in `min..=max` (`3`, `3,0`, ` 3 `).
pub fn parse_count(s: &str, min: u64, max: u64) -> Result<u64, String> {
    let t = s.trim().replace(',', ".");
    let v: f64 = t
        .parse()
        .map_err(|_| format!("«{}» non è un numero", s.trim()))?;
    if !v.is_finite() || v.fract() != 0.0 || v < min as f64 || v > max as f64 {
        return Err(format!(
            "«{}» deve essere un numero intero tra {min} e {max}",
            s.trim()
        ));
    }
    Ok(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const TODAY: fn() -> NaiveDate = || d(2026, 6, 1);

    #[test]
    fn dates_as_people_type_them() {
        let t = TODAY();
        for s in [
            "12/03/2022",
            "12-03-22",
            "12.3.2022",
            "2022-03-12",
            "12/3/22",
            " 12/03/2022 10:30",
            "44632",
        ] {
            assert_eq!(parse_date(s, t), Ok(d(2022, 3, 12)), "{s}");
        }
        assert_eq!(parse_date("05/11/85", t), Ok(d(1985, 11, 5)));
        assert!(
            parse_date("31/02/2024", t)
                .unwrap_err()
                .contains("non esiste")
        );
        assert!(parse_date("12/13/2024", t).unwrap_err().contains("mese 13"));
        assert!(parse_date("ieri", t).is_err());
        assert!(parse_date("", t).is_err());
    }

    #[test]
    fn excel_serials() {
        assert_eq!(date_from_serial(1.0).unwrap().date(), d(1900, 1, 1));
        assert_eq!(date_from_serial(61.0).unwrap().date(), d(1900, 3, 1));
        assert_eq!(date_from_serial(44632.0).unwrap().date(), d(2022, 3, 12));
        assert_eq!(
            date_from_serial(44632.5).unwrap(),
            d(2022, 3, 12).and_hms_opt(12, 0, 0).unwrap()
        );
        assert!(date_from_serial(0.0).is_none());
        assert!(date_from_serial(f64::NAN).is_none());
    }

    #[test]
    fn hours() {
        assert_eq!(parse_hours("12,5"), Ok(750));
        assert_eq!(parse_hours("12.5"), Ok(750));
        assert_eq!(parse_hours("12:30"), Ok(750));
        assert_eq!(parse_hours("12h30"), Ok(750));
        assert_eq!(parse_hours("12 ore 30"), Ok(750));
        assert_eq!(parse_hours("12 h"), Ok(720));
        assert_eq!(parse_hours("12"), Ok(720));
        assert!(parse_hours("12:75").is_err());
        assert!(parse_hours("-3").is_err());
        assert!(parse_hours("tanto").is_err());
    }

    #[test]
    fn names_and_codes() {
        assert_eq!(normalize_cf(" rssmra 85t10 a562s "), "RSSMRA85T10A562S");
        assert_eq!(name_case("D'ANGELO"), "D'Angelo");
        assert_eq!(name_case("de luca"), "De Luca");
        assert_eq!(name_case("McBride"), "McBride");
        assert_eq!(
            split_full_name("ROSSI MARIO", None),
            ("Rossi".into(), "Mario".into())
        );
        let cf = codice_fiscale::encode(
            "De Luca",
            "Anna Maria",
            d(1980, 1, 2),
            codice_fiscale::CfSex::F,
            "F205",
        );
        assert_eq!(
            split_full_name("DE LUCA ANNA MARIA", Some(&cf)),
            ("De Luca".into(), "Anna Maria".into())
        );
        assert_eq!(
            split_full_name("ANNA MARIA DE LUCA", Some(&cf.to_lowercase())),
            ("De Luca".into(), "Anna Maria".into())
        );
        assert!(is_blank(" n.d. ") && is_blank("-") && is_blank("") && is_blank("N/A"));
        assert!(!is_blank("0"));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1901i32..2026, 1u32..=12, 1u32..=28).prop_map(|(y, m, day)| d(y, m, day))
    }

    fn word() -> impl Strategy<Value = String> {
        "[A-Z][a-z]{2,8}"
    }

    proptest! {
        #[test]
        fn every_written_form_of_a_date_reads_back(date in any_date(), sep in prop::sample::select(vec!['/', '-', '.'])) {
            let t = TODAY();
            let long = format!("{:02}{sep}{:02}{sep}{}", date.day(), date.month(), date.year());
            prop_assert_eq!(parse_date(&long, t), Ok(date));
            let short = format!("{}{sep}{}{sep}{}", date.day(), date.month(), date.year());
            prop_assert_eq!(parse_date(&short, t), Ok(date));
            let iso = date.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date(&iso, t), Ok(date));
            // Two digits: the century is the last one not after today's year.
            let two = format!("{:02}{sep}{:02}{sep}{:02}", date.day(), date.month(), date.year() % 100);
            let got = parse_date(&two, t).unwrap();
            prop_assert_eq!((got.day(), got.month(), got.year() % 100), (date.day(), date.month(), date.year() % 100));
            prop_assert!(got.year() <= t.year() && got.year() > t.year() - 100);
        }

        #[test]
        fn serials_round_trip(date in any_date()) {
            let s = serial_from_date(date);
            prop_assert_eq!(date_from_serial(s).unwrap().date(), date);
            if s >= 10_000.0 {
                // Typed as text: five digits (1927 onwards).
                prop_assert_eq!(parse_date(&format!("{}", s as i64), TODAY()), Ok(date));
            }
        }

        #[test]
        fn hours_round_trip(minutes in 0u32..200_000) {
            let (h, m) = (minutes / 60, minutes % 60);
            prop_assert_eq!(parse_hours(&format!("{h}:{m:02}")), Ok(minutes));
            prop_assert_eq!(parse_hours(&format!("{h}h{m:02}")), Ok(minutes));
            if m % 15 == 0 {
                let dec = format!("{}", h as f64 + m as f64 / 60.0).replace('.', ",");
                prop_assert_eq!(parse_hours(&dec), Ok(minutes));
            }
        }

        #[test]
        fn codes_ignore_case_and_spaces(code in "[A-Z0-9]{16}", cuts in prop::collection::vec(0usize..16, 0..4)) {
            let mut spaced = code.to_lowercase();
            for c in cuts { if c < spaced.len() { spaced.insert(c, ' '); } }
            prop_assert_eq!(normalize_cf(&spaced), code.clone());
            prop_assert_eq!(normalize_cf(&normalize_cf(&spaced)), code);
        }

        #[test]
        fn full_names_split_by_the_code(s1 in word(), s2 in prop::option::of(word()), n1 in word(), n2 in prop::option::of(word()), birth in any_date()) {
            let surname = match &s2 { Some(w) => format!("{s1} {w}"), None => s1.clone() };
            let name = match &n2 { Some(w) => format!("{n1} {w}"), None => n1.clone() };
            let cf = codice_fiscale::encode(&surname, &name, birth, codice_fiscale::CfSex::M, "F205");
            let full = format!("{surname} {name}").to_uppercase();
            let (s, n) = split_full_name(&full, Some(&cf));
            // The split found gives the same letters as the code (several splits may).
            prop_assert_eq!(codice_fiscale::name_part(&s, false), cf[..3].to_string());
            prop_assert_eq!(codice_fiscale::name_part(&n, true), cf[3..6].to_string());
            prop_assert_eq!(format!("{s} {n}"), name_case(&full));
        }

        #[test]
        fn conversions_never_panic(s in "\\PC{0,40}") {
            let _ = parse_date(&s, TODAY());
            let _ = parse_hours(&s);
            let _ = parse_time(&s);
            let _ = parse_sex(&s);
            let _ = parse_bool(&s);
            let _ = parse_count(&s, 0, 10);
            let _ = split_full_name(&s, Some(&s));
            let _ = name_case(&s);
            let _ = is_blank(&s);
        }
    }
}
