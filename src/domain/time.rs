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

/// Parses `gg/mm/aaaa` (also `g/m/aaaa`, `gg-mm-aaaa`, `gg.mm.aaaa` and ISO `aaaa-mm-gg`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let day = parts[0].parse().ok()?;
    let month = parts[1].parse().ok()?;
    let year = parts[2].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
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
        assert_eq!(parse_date("31/02/2022"), None);
        assert_eq!(parse_date("07/03/22"), None);
        assert_eq!(fmt_date(d), "07/03/2022");
    }
}
