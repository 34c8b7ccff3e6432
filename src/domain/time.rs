//! Dates as the desk writes them (`gg/mm/aaaa`) and their compact storage form.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// Formats a date the Italian way: `gg/mm/aaaa`.
pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Formats a date-time as `gg/mm/aaaa hh:mm`.
pub fn fmt_datetime(d: NaiveDateTime) -> String {
    d.format("%d/%m/%Y %H:%M").to_string()
}

/// The Italian month names, January first ("gennaio" … "dicembre").
pub const MONTH_NAMES: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// A month and year the Italian way: "marzo 2024".
pub fn fmt_month_year(year: i32, month: u32) -> String {
    let name = MONTH_NAMES
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    format!("{name} {year}")
}

/// A date in words: "31 marzo 2024".
pub fn fmt_date_words(d: NaiveDate) -> String {
    format!("{} {}", d.day(), fmt_month_year(d.year(), d.month()))
}

/// Why a typed date cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Nothing was typed.
    Empty,
    /// Not written as gg/mm/aaaa.
    Format,
    /// The month is not 1–12.
    Month(u32),
    /// Day, month and year are well written but that day does not exist (31/02, 29/02 of a
    /// common year, 0/5…).
    NoSuchDay {
        /// The day typed.
        day: u32,
        /// The month typed (1–12).
        month: u32,
        /// The year typed.
        year: i32,
    },
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::Empty => f.write_str("La data è obbligatoria (gg/mm/aaaa)"),
            DateError::Format => f.write_str("Data non valida: scrivila come gg/mm/aaaa"),
            DateError::Month(m) => write!(f, "Il mese {m} non esiste: scrivi un mese da 1 a 12"),
            DateError::NoSuchDay { day, month, year } => {
                let last = days_in_month(*year, *month);
                write!(
                    f,
                    "Il giorno {day} {} non esiste: {} ha {last} giorni",
                    fmt_month_year(*year, *month),
                    fmt_month_year(*year, *month)
                )
            }
        }
    }
}

impl std::error::Error for DateError {}

/// How many days a month has (28–31); 0 for a month that does not exist.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        .unwrap_or(0)
}

/// Parses `gg/mm/aaaa` (also `g/m/aaaa`, `gg-mm-aaaa`, `gg.mm.aaaa` and ISO `aaaa-mm-gg`),
/// saying what is wrong when it cannot: not that shape, a month that does not exist, or a
/// day that does not exist in that month ("31/02/2024").
pub fn parse_date_checked(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    let number = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (day, month, year) = match parts.as_slice() {
        // ISO aaaa-mm-gg.
        [y, m, d] if y.len() == 4 && s.contains('-') && m.len() <= 2 && d.len() <= 2 => {
            (number(d), number(m), number(y))
        }
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            (number(d), number(m), number(y))
        }
        _ => return Err(DateError::Format),
    };
    let (Some(day), Some(month), Some(year)) = (day, month, year) else {
        return Err(DateError::Format);
    };
    let year = year as i32;
    if !(1..=12).contains(&month) {
        return Err(DateError::Month(month));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay { day, month, year })
}

/// Parses `gg/mm/aaaa` (see [`parse_date_checked`]); `None` when it cannot be read.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_checked(s).ok()
}

/// Today on this computer's clock.
pub fn today() -> NaiveDate {
    Clock::System.today()
}

/// Now on this computer's clock, to the minute.
pub fn now_minute() -> NaiveDateTime {
    Clock::System.now_minute()
}

/// Where "now" comes from: the computer's clock, or a fixed moment (tests, and anything that
/// must reason about a clock that jumped). The store and the backups read it through
/// `Store::clock`, so a test can put the calendar anywhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// This computer's clock.
    #[default]
    System,
    /// Always this local date and time.
    Fixed(NaiveDateTime),
}

impl Clock {
    /// A clock stopped at noon of a day.
    pub fn at_day(day: NaiveDate) -> Clock {
        Clock::Fixed(day.and_hms_opt(12, 0, 0).unwrap_or_default())
    }

    /// Now, local wall-clock time.
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => chrono::Local::now().naive_local(),
            Clock::Fixed(t) => t,
        }
    }

    /// Now with the local UTC offset.
    pub fn now_with_offset(self) -> chrono::DateTime<chrono::FixedOffset> {
        use chrono::TimeZone;
        match self {
            Clock::System => chrono::Local::now().fixed_offset(),
            Clock::Fixed(t) => chrono::Local
                .from_local_datetime(&t)
                .earliest()
                .map(|d| d.fixed_offset())
                .unwrap_or_else(|| t.and_utc().fixed_offset()),
        }
    }

    /// Today.
    pub fn today(self) -> NaiveDate {
        self.now().date()
    }

    /// Now, to the minute.
    pub fn now_minute(self) -> NaiveDateTime {
        use chrono::Timelike;
        let n = self.now();
        n.with_second(0)
            .and_then(|n| n.with_nanosecond(0))
            .unwrap_or(n)
    }
}

/// Days since 0001-01-01 (chrono's "days from CE"); the form dates take in index keys.
pub fn day_number(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// The inverse of [`day_number`].
pub fn from_day_number(n: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n)
}

/// The first and last day of a year.
pub fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year"),
    )
}

/// Serde for `NaiveDate` as a day number (a varint in postcard: 3 bytes instead of 11).
pub mod date_serde {
    use super::*;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes as days from CE (ISO text in human-readable formats).
    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            d.serialize(s)
        } else {
            day_number(*d).serialize(s)
        }
    }

    /// Deserializes from days from CE, refusing out-of-range numbers.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if d.is_human_readable() {
            return NaiveDate::deserialize(d);
        }
        let n = i32::deserialize(d)?;
        from_day_number(n).ok_or_else(|| serde::de::Error::custom("data fuori intervallo"))
    }
}

/// Serde for `Option<NaiveDate>` as an optional day number.
pub mod opt_date_serde {
    use super::*;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes as an optional day number.
    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            d.serialize(s)
        } else {
            d.map(day_number).serialize(s)
        }
    }

    /// Deserializes an optional day number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        if d.is_human_readable() {
            return Option::<NaiveDate>::deserialize(d);
        }
        match Option::<i32>::deserialize(d)? {
            None => Ok(None),
            Some(n) => from_day_number(n)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("data fuori intervallo")),
        }
    }
}

/// Serde for `NaiveDateTime` as seconds since the Unix epoch (naive, local wall clock).
pub mod datetime_serde {
    use super::*;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serializes as wall-clock seconds since 1970-01-01 00:00.
    pub fn serialize<S: Serializer>(d: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            d.serialize(s)
        } else {
            d.and_utc().timestamp().serialize(s)
        }
    }

    /// Deserializes wall-clock seconds, refusing out-of-range numbers.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        if d.is_human_readable() {
            return NaiveDateTime::deserialize(d);
        }
        let n = i64::deserialize(d)?;
        chrono::DateTime::from_timestamp(n, 0)
            .map(|t| t.naive_utc())
            .ok_or_else(|| serde::de::Error::custom("data e ora fuori intervallo"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_italian_dates() {
        let d = NaiveDate::from_ymd_opt(2022, 3, 7).unwrap();
        assert_eq!(parse_date("07/03/2022"), Some(d));
        assert_eq!(parse_date("7/3/2022"), Some(d));
        assert_eq!(parse_date("2022-03-07"), Some(d));
        assert_eq!(parse_date("7.3.2022"), Some(d));
        assert_eq!(parse_date(" 07-03-2022 "), Some(d));
        assert_eq!(parse_date("31/02/2022"), None);
        assert_eq!(parse_date("07/03/22"), None);
        assert_eq!(fmt_date(d), "07/03/2022");
        assert_eq!(fmt_month_year(2024, 3), "marzo 2024");
        assert_eq!(fmt_date_words(d), "7 marzo 2022");
    }

    #[test]
    fn says_why_a_date_cannot_be_read() {
        assert_eq!(parse_date_checked(""), Err(DateError::Empty));
        assert_eq!(parse_date_checked("ieri"), Err(DateError::Format));
        assert_eq!(parse_date_checked("07/03/22"), Err(DateError::Format));
        assert_eq!(parse_date_checked("+7/3/2022"), Err(DateError::Format));
        assert_eq!(parse_date_checked("7/13/2022"), Err(DateError::Month(13)));
        let e = parse_date_checked("31/02/2024").unwrap_err();
        assert_eq!(
            e,
            DateError::NoSuchDay {
                day: 31,
                month: 2,
                year: 2024
            }
        );
        assert_eq!(
            e.to_string(),
            "Il giorno 31 febbraio 2024 non esiste: febbraio 2024 ha 29 giorni"
        );
        assert!(matches!(
            parse_date_checked("29/02/2023"),
            Err(DateError::NoSuchDay { .. })
        ));
        assert!(parse_date_checked("29/02/2024").is_ok());
        assert!(matches!(
            parse_date_checked("0/5/2024"),
            Err(DateError::NoSuchDay { day: 0, .. })
        ));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2023, 4), 30);
        assert_eq!(days_in_month(2023, 13), 0);
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,16}") {
            let _ = parse_date_checked(&s);
        }

        #[test]
        fn formatted_dates_read_back(n in 0i32..800_000) {
            let d = from_day_number(n).unwrap();
            proptest::prop_assume!(d.year() >= 1000);
            proptest::prop_assert_eq!(parse_date_checked(&fmt_date(d)), Ok(d));
        }

        #[test]
        fn a_well_written_day_is_read_or_said_not_to_exist(
            day in 0u32..40, month in 1u32..=12, year in 1000i32..3000
        ) {
            let typed = format!("{day:02}/{month:02}/{year}");
            match NaiveDate::from_ymd_opt(year, month, day) {
                Some(d) => proptest::prop_assert_eq!(parse_date_checked(&typed), Ok(d)),
                None => {
                    let e = parse_date_checked(&typed).unwrap_err();
                    proptest::prop_assert_eq!(e, DateError::NoSuchDay { day, month, year });
                    proptest::prop_assert!(e.to_string().contains("non esiste"));
                }
            }
        }
    }
}
