//! Oggi (the first screen after sign-in): its thresholds and the pro rata rule of a messa
//! alla prova. Plain rules; what is due is gathered from the store by `stats::today`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The thresholds of Oggi, kept in the database (`meta.today_settings`, JSON) and changed
/// by a coordinator on the Oggi screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TodaySettings {
    /// A messa alla prova is behind schedule when the hours expected by today (pro rata)
    /// exceed the hours done by at least this many hours.
    pub behind_hours: u32,
    /// Projects (messa alla prova, tirocinio) ending within this many days are listed.
    pub ending_days: u32,
    /// People without a recorded informativa are listed when they had a contact with the
    /// operator within this many days.
    pub informativa_days: u32,
}

impl Default for TodaySettings {
    fn default() -> Self {
        TodaySettings {
            behind_hours: 20,
            ending_days: 30,
            informativa_days: 30,
        }
    }
}

impl TodaySettings {
    /// The largest value each threshold may take (days: two years; hours: 5000, the most a
    /// messa alla prova may require).
    pub const MAX_DAYS: u32 = 730;
    /// See [`TodaySettings::MAX_DAYS`].
    pub const MAX_HOURS: u32 = 5000;

    /// The settings with every value within its bounds (hours at least 1).
    pub fn clamped(self) -> TodaySettings {
        TodaySettings {
            behind_hours: self.behind_hours.clamp(1, Self::MAX_HOURS),
            ending_days: self.ending_days.min(Self::MAX_DAYS),
            informativa_days: self.informativa_days.min(Self::MAX_DAYS),
        }
    }
}

/// Where a messa alla prova stands against its schedule, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Minutes done (the ledger's sum).
    pub done: u64,
    /// Minutes required by the programme.
    pub required: u64,
    /// Minutes expected by today, pro rata.
    pub expected: u64,
}

impl Schedule {
    /// Minutes behind (expected − done), zero when on schedule or ahead.
    pub fn behind(&self) -> u64 {
        self.expected.saturating_sub(self.done)
    }

    /// True when at least `hours` behind.
    pub fn behind_by_at_least(&self, hours: u32) -> bool {
        self.behind() >= u64::from(hours) * 60
    }
}

/// The pro rata rule: the minutes of `required_hours` expected done by `today` for a
/// programme running `start`…`end` = required × (days elapsed since the start ÷ days from
/// the start to the end), rounded down to the minute and capped between 0 and the whole
/// requirement (0 up to the start day, all of it from the end day on — for a programme
/// that ends on its start day, from the day after). `None` without an end date: no
/// schedule to be behind of.
pub fn expected_minutes(
    required_hours: u32,
    start: NaiveDate,
    end: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<u64> {
    let end = end?;
    let required = u64::from(required_hours) * 60;
    let total = (end - start).num_days();
    let elapsed = (today - start).num_days();
    if elapsed <= 0 {
        return Some(0);
    }
    if total <= 0 || elapsed >= total {
        return Some(required);
    }
    Some((required as u128 * elapsed as u128 / total as u128) as u64)
}

/// The schedule of a messa alla prova on `today` (`None` without an end date or when the
/// requirement is unknown, e.g. hidden from the viewer).
pub fn schedule(
    required_hours: u32,
    done_minutes: u64,
    start: NaiveDate,
    end: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Schedule> {
    if required_hours == 0 {
        return None;
    }
    Some(Schedule {
        done: done_minutes,
        required: u64::from(required_hours) * 60,
        expected: expected_minutes(required_hours, start, end, today)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_expected_hours_grow_with_the_days() {
        // 300 hours over 300 days: one hour a day.
        let (start, end) = (d(2026, 1, 1), d(2026, 10, 28));
        assert_eq!((end - start).num_days(), 300);
        let at = |t| expected_minutes(300, start, Some(end), t).unwrap();
        assert_eq!(at(d(2025, 12, 1)), 0, "before the start");
        assert_eq!(at(start), 0);
        assert_eq!(at(d(2026, 6, 10)), 160 * 60, "160 days in");
        assert_eq!(at(end), 300 * 60);
        assert_eq!(at(d(2027, 3, 1)), 300 * 60, "capped after the end");
        assert_eq!(expected_minutes(300, start, None, d(2026, 6, 10)), None);
        assert_eq!(expected_minutes(10, start, Some(start), start), Some(0));
        assert_eq!(
            expected_minutes(10, start, Some(start), start + chrono::Duration::days(1)),
            Some(600),
            "a one-day programme is all due the day after"
        );
    }

    #[test]
    fn forty_hours_behind_is_behind_twenty_is_the_threshold() {
        let (start, end, today) = (d(2026, 1, 1), d(2026, 10, 28), d(2026, 6, 10));
        let s = schedule(300, 120 * 60, start, Some(end), today).unwrap();
        assert_eq!(s.expected, 160 * 60);
        assert_eq!(s.behind(), 40 * 60);
        assert!(s.behind_by_at_least(20));
        assert!(s.behind_by_at_least(40));
        assert!(!s.behind_by_at_least(41));
        let ahead = schedule(300, 200 * 60, start, Some(end), today).unwrap();
        assert_eq!(ahead.behind(), 0);
        assert!(schedule(0, 0, start, Some(end), today).is_none());
    }

    #[test]
    fn settings_are_clamped_and_read_with_defaults() {
        let s: TodaySettings = serde_json::from_str(r#"{"behind_hours": 0}"#).unwrap();
        assert_eq!(s.ending_days, 30);
        assert_eq!(s.clamped().behind_hours, 1);
        let big = TodaySettings {
            behind_hours: 9999,
            ending_days: 9999,
            informativa_days: 9999,
        };
        assert_eq!(big.clamped().ending_days, TodaySettings::MAX_DAYS);
        assert_eq!(big.clamped().behind_hours, TodaySettings::MAX_HOURS);
    }

    proptest! {
        #[test]
        fn expected_is_monotone_and_capped(
            hours in 1u32..5000,
            len in 0i64..2000,
            a in -100i64..2500,
            b in -100i64..2500,
        ) {
            let start = d(2024, 1, 1);
            let end = start + chrono::Duration::days(len);
            let (a, b) = (a.min(b), a.max(b));
            let ea = expected_minutes(hours, start, Some(end), start + chrono::Duration::days(a)).unwrap();
            let eb = expected_minutes(hours, start, Some(end), start + chrono::Duration::days(b)).unwrap();
            prop_assert!(ea <= eb, "monotone");
            prop_assert!(eb <= u64::from(hours) * 60, "capped");
            if b >= len.max(1) {
                prop_assert_eq!(eb, u64::from(hours) * 60, "all of it from the end on");
            }
            if a <= 0 {
                prop_assert_eq!(ea, 0);
            }
        }
    }
}
