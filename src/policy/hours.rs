//! Business hours: when customer care works, and clock arithmetic that only runs while it does.
//! Pure: no clock, "now" is always an argument.
//!
//! Every business day `d` (a listed weekday that is not a holiday) contributes one interval
//! `[open, close)` in the company's time zone. `is_open`, `next_open`, `add` and
//! `minutes_between` are all computed from these intervals, so they always agree.
//!
//! Time zones with daylight saving time are handled without panicking: an opening or closing
//! time that does not exist on a day (spring forward) moves to the first local time after the
//! gap; one that exists twice (fall back) takes the earlier instant.
//!
//! Loops are bounded: searches look at most [`SCAN_DAYS`] (about three years) ahead. When
//! nothing is found in that span (every day a holiday, a deadline years away) the input
//! instant is returned unchanged.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// How far ahead the searches look before giving up, in calendar days (about three years).
pub const SCAN_DAYS: u32 = 3 * 366;

/// When customer care works: days of the week, opening and closing time, public holidays, time zone.
///
/// The time zone is not stored here: it is the company's zone, passed to every computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BusinessHours {
    /// Working days of the week, written `["mon", "tue", ...]`.
    #[serde(with = "weekday_names")]
    pub days: Vec<Weekday>,
    /// Opening time, local, written `"08:00"`.
    #[serde(with = "clock_time")]
    pub open: NaiveTime,
    /// Closing time, local, written `"17:30"`. Closed from this minute on. `"24:00"` (stored
    /// as 00:00) closes at the end of the day.
    #[serde(with = "closing_time")]
    pub close: NaiveTime,
    /// Public holidays (closed all day), written `"2026-01-01"`.
    pub holidays: Vec<NaiveDate>,
}

impl Default for BusinessHours {
    fn default() -> Self {
        BusinessHours {
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
            ],
            open: hm(8, 0),
            close: hm(17, 30),
            holidays: Vec::new(),
        }
    }
}

fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

impl BusinessHours {
    /// Why these hours cannot be used, or `None` when they can.
    pub fn invalid(&self) -> Option<&'static str> {
        if self.days.is_empty() {
            Some("no working days: `days` is empty")
        } else if self.close != NaiveTime::MIN && self.open >= self.close {
            Some("`open` must be earlier than `close`")
        } else {
            None
        }
    }

    /// Whether customer care is working at `at` (open at the opening minute, closed at the
    /// closing minute).
    pub fn is_open(&self, at: DateTime<Utc>, tz: chrono_tz::Tz) -> bool {
        if self.invalid().is_some() {
            return false;
        }
        let local = local_date(at, tz);
        [local.pred_opt(), Some(local), local.succ_opt()]
            .into_iter()
            .flatten()
            .filter_map(|day| self.interval(day, tz))
            .any(|(open, close)| open <= at && at < close)
    }

    /// `start` plus `minutes` of business time: the clock runs only while open. A start outside
    /// hours begins at the next opening.
    ///
    /// A deadline landing exactly on a closing time stays there (it is not moved to the next
    /// morning). Negative `minutes` count as 0. When the result lies more than [`SCAN_DAYS`]
    /// ahead, or the hours are [`invalid`](Self::invalid), `start` is returned.
    pub fn add(&self, start: DateTime<Utc>, minutes: i64, tz: chrono_tz::Tz) -> DateTime<Utc> {
        if self.invalid().is_some() {
            return start;
        }
        let Some(mut remaining) = TimeDelta::try_minutes(minutes.max(0)) else {
            return start;
        };
        let mut cursor = start;
        for day in self.scan_from(start, tz) {
            let Some((open, close)) = self.interval(day, tz) else {
                continue;
            };
            if close <= cursor {
                continue;
            }
            let from = open.max(cursor);
            let available = close - from;
            if available >= remaining {
                return from + remaining;
            }
            remaining -= available;
            cursor = close;
        }
        start
    }

    /// Business minutes between two instants (0 when `to` <= `from`). Whole minutes, rounded
    /// down; at most [`SCAN_DAYS`] after `from` are counted.
    pub fn minutes_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> i64 {
        if to <= from || self.invalid().is_some() {
            return 0;
        }
        let mut total = TimeDelta::zero();
        for day in self.scan_from(from, tz) {
            let Some((open, close)) = self.interval(day, tz) else {
                continue;
            };
            if open >= to {
                break;
            }
            let (start, end) = (open.max(from), close.min(to));
            if start < end {
                total += end - start;
            }
        }
        total.num_minutes()
    }

    /// The next opening at or after `at` (itself when open). `at` itself when no opening lies
    /// within [`SCAN_DAYS`].
    pub fn next_open(&self, at: DateTime<Utc>, tz: chrono_tz::Tz) -> DateTime<Utc> {
        self.add(at, 0, tz)
    }

    /// Whether `day` is a working day (a listed weekday and not a holiday).
    fn is_business_day(&self, day: NaiveDate) -> bool {
        use chrono::Datelike;
        self.days.contains(&day.weekday()) && !self.holidays.contains(&day)
    }

    /// The open interval `[open, close)` of `day`, or `None` when closed all day.
    fn interval(
        &self,
        day: NaiveDate,
        tz: chrono_tz::Tz,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_business_day(day) {
            return None;
        }
        let open = instant(tz, day.and_time(self.open))?;
        let close = if self.close == NaiveTime::MIN {
            instant(tz, day.succ_opt()?.and_time(NaiveTime::MIN))?
        } else {
            instant(tz, day.and_time(self.close))?
        };
        (open < close).then_some((open, close))
    }

    /// The calendar days to look at from `at` on: the local day before (its interval may
    /// still be running in odd zones) through [`SCAN_DAYS`] later.
    fn scan_from(&self, at: DateTime<Utc>, tz: chrono_tz::Tz) -> impl Iterator<Item = NaiveDate> {
        let local = local_date(at, tz);
        let first = local.pred_opt().unwrap_or(local);
        std::iter::successors(Some(first), |d| d.succ_opt()).take(SCAN_DAYS as usize + 2)
    }
}

/// The calendar date of `at` in `tz`; near the ends of the representable range, where the
/// local date cannot be represented, the UTC date.
fn local_date(at: DateTime<Utc>, tz: chrono_tz::Tz) -> NaiveDate {
    use chrono::Offset;
    let utc = at.naive_utc();
    utc.checked_add_offset(tz.offset_from_utc_datetime(&utc).fix())
        .unwrap_or(utc)
        .date()
}

/// The instant a local wall-clock time happens in `tz`: the earlier one when it happens twice,
/// the first local time after the gap when it does not happen at all. `None` only at the edges
/// of the representable range.
fn instant(tz: chrono_tz::Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    // Gaps are at most a day long (Samoa skipped 2011-12-30); step a minute at a time.
    (0..=26 * 60).find_map(|step| {
        let shifted = local.checked_add_signed(TimeDelta::try_minutes(step)?)?;
        tz.from_local_datetime(&shifted)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// Serde for `Vec<Weekday>` as lowercase three-letter names: `["mon", "tue"]`.
mod weekday_names {
    use chrono::Weekday;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    const NAMES: [(Weekday, &str); 7] = [
        (Weekday::Mon, "mon"),
        (Weekday::Tue, "tue"),
        (Weekday::Wed, "wed"),
        (Weekday::Thu, "thu"),
        (Weekday::Fri, "fri"),
        (Weekday::Sat, "sat"),
        (Weekday::Sun, "sun"),
    ];

    fn name(day: Weekday) -> &'static str {
        NAMES
            .iter()
            .find(|(d, _)| *d == day)
            .map(|(_, n)| *n)
            .unwrap_or("mon")
    }

    pub fn serialize<S: Serializer>(days: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(days.iter().map(|d| name(*d)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Weekday>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|text| {
                NAMES
                    .iter()
                    .find(|(_, n)| n.eq_ignore_ascii_case(text.trim()))
                    .map(|(day, _)| *day)
                    .ok_or_else(|| {
                        D::Error::custom(format!(
                            "unknown day {text:?}: expected one of mon, tue, wed, thu, fri, sat, sun"
                        ))
                    })
            })
            .collect()
    }
}

/// Serde for `NaiveTime` as `"HH:MM"` (seconds accepted on input, and written when not zero).
mod clock_time {
    use chrono::{NaiveTime, Timelike};
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        let format = if time.second() == 0 && time.nanosecond() == 0 {
            "%H:%M"
        } else {
            "%H:%M:%S"
        };
        s.collect_str(&time.format(format))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        let text = text.trim();
        NaiveTime::parse_from_str(text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
            .map_err(|_| D::Error::custom(format!("bad time {text:?}: expected \"HH:MM\"")))
    }
}

/// Serde for a closing time: `"HH:MM"`, and `"24:00"` for the end of the day (kept as 00:00,
/// which [`BusinessHours`] reads as midnight at the end of the day).
mod closing_time {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        if *time == NaiveTime::MIN {
            s.serialize_str("24:00")
        } else {
            super::clock_time::serialize(time, s)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        match text.trim() {
            "24:00" | "24:00:00" => Ok(NaiveTime::MIN),
            other => super::clock_time::deserialize(serde::de::value::StrDeserializer::new(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    const VN: Tz = chrono_tz::Asia::Ho_Chi_Minh;

    /// A local "YYYY-MM-DD HH:MM" in Vietnam, as an instant.
    fn t(local: &str) -> DateTime<Utc> {
        at(VN, local)
    }

    /// A local "YYYY-MM-DD HH:MM" in `tz`, as an instant (the earlier one when ambiguous).
    fn at(tz: Tz, local: &str) -> DateTime<Utc> {
        let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M")
            .unwrap_or_else(|e| panic!("bad test time {local:?}: {e}"));
        tz.from_local_datetime(&naive)
            .earliest()
            .unwrap_or_else(|| panic!("{local} does not exist in {tz}"))
            .with_timezone(&Utc)
    }

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// The default hours (Mon..Sat 08:00–17:30) with these holidays.
    fn with_holidays(holidays: &[&str]) -> BusinessHours {
        BusinessHours {
            holidays: holidays.iter().map(|h| d(h)).collect(),
            ..BusinessHours::default()
        }
    }

    /// Show an instant as Vietnamese local time, for readable failures.
    fn show(instant: DateTime<Utc>) -> String {
        instant
            .with_timezone(&VN)
            .format("%Y-%m-%d %H:%M %a")
            .to_string()
    }

    #[test]
    fn adding_business_minutes_lands_on_the_expected_local_time() {
        // (case, holidays, start, minutes, expected); 2026-11-27 is a Friday.
        let table: &[(&str, &[&str], &str, i64, &str)] = &[
            (
                "friday afternoon runs into saturday morning",
                &[][..],
                "2026-11-27 16:00",
                240,
                "2026-11-28 10:30",
            ),
            (
                "saturday afternoon skips sunday",
                &[],
                "2026-11-28 16:00",
                240,
                "2026-11-30 10:30",
            ),
            (
                "saturday at closing time continues on monday",
                &[],
                "2026-11-28 17:30",
                30,
                "2026-11-30 08:30",
            ),
            (
                "sunday noon starts at monday's opening",
                &[],
                "2026-11-29 12:00",
                30,
                "2026-11-30 08:30",
            ),
            (
                "tuesday evening continues on wednesday",
                &[],
                "2026-11-24 20:00",
                30,
                "2026-11-25 08:30",
            ),
            (
                "early morning starts at opening the same day",
                &[],
                "2026-11-24 06:00",
                60,
                "2026-11-24 09:00",
            ),
            (
                "a tuesday holiday is skipped",
                &["2026-12-01"],
                "2026-11-30 17:00",
                60,
                "2026-12-02 08:30",
            ),
            (
                "holidays around a sunday are all skipped",
                &["2026-12-25", "2026-12-26", "2026-12-28"],
                "2026-12-24 17:00",
                60,
                "2026-12-29 08:30",
            ),
            (
                "a start exactly at opening counts from opening",
                &[],
                "2026-11-30 08:00",
                60,
                "2026-11-30 09:00",
            ),
            (
                "a deadline exactly at closing stays at closing",
                &[],
                "2026-11-30 16:30",
                60,
                "2026-11-30 17:30",
            ),
            (
                "a whole working day ends at closing",
                &[],
                "2026-11-30 08:00",
                570,
                "2026-11-30 17:30",
            ),
            (
                "one minute more than a day is the next morning",
                &[],
                "2026-11-30 08:00",
                571,
                "2026-12-01 08:01",
            ),
            (
                "a full working week from monday opening ends saturday closing",
                &[],
                "2026-11-30 08:00",
                6 * 570,
                "2026-12-05 17:30",
            ),
            (
                "zero minutes inside hours is the same instant",
                &[],
                "2026-11-30 10:17",
                0,
                "2026-11-30 10:17",
            ),
            (
                "zero minutes on sunday is monday's opening",
                &[],
                "2026-11-29 12:00",
                0,
                "2026-11-30 08:00",
            ),
            (
                "zero minutes at closing time is the next opening",
                &[],
                "2026-11-27 17:30",
                0,
                "2026-11-28 08:00",
            ),
            (
                "zero minutes on a holiday is the next opening",
                &["2026-12-01"],
                "2026-12-01 09:00",
                0,
                "2026-12-02 08:00",
            ),
            (
                "negative minutes count as zero",
                &[],
                "2026-11-29 12:00",
                -45,
                "2026-11-30 08:00",
            ),
        ];
        for (case, holidays, start, minutes, expected) in table {
            let got = with_holidays(holidays).add(t(start), *minutes, VN);
            assert_eq!(show(got), show(t(expected)), "{case}");
        }
    }

    #[test]
    fn minutes_between_counts_back_exactly_what_add_added() {
        let hours = with_holidays(&["2026-12-01", "2026-12-25", "2026-12-26", "2026-12-28"]);
        let starts = [
            "2026-11-27 16:00",
            "2026-11-28 17:30",
            "2026-11-29 12:00",
            "2026-11-24 06:00",
            "2026-11-30 08:00",
            "2026-11-30 17:29",
            "2026-11-24 20:00",
            "2026-12-24 17:00",
        ];
        let durations = [0, 1, 29, 30, 90, 240, 569, 570, 571, 1000, 5000, 30_000];
        for start in starts {
            for minutes in durations {
                let end = hours.add(t(start), minutes, VN);
                assert_eq!(
                    hours.minutes_between(t(start), end, VN),
                    minutes,
                    "from {start} adding {minutes} gives {}",
                    show(end)
                );
            }
        }
    }

    #[test]
    fn minutes_between_counts_only_open_time() {
        // (case, from, to, minutes)
        let table = [
            (
                "friday afternoon to monday morning",
                "2026-11-27 16:00",
                "2026-11-30 09:00",
                90 + 570 + 60,
            ),
            (
                "within one morning",
                "2026-11-30 08:15",
                "2026-11-30 08:45",
                30,
            ),
            (
                "evening to the next evening is one working day",
                "2026-11-30 19:00",
                "2026-12-01 19:00",
                570,
            ),
            (
                "all of sunday is nothing",
                "2026-11-29 00:00",
                "2026-11-30 00:00",
                0,
            ),
            (
                "the same instant is nothing",
                "2026-11-30 10:00",
                "2026-11-30 10:00",
                0,
            ),
            (
                "backwards is nothing",
                "2026-11-30 12:00",
                "2026-11-30 10:00",
                0,
            ),
        ];
        let hours = BusinessHours::default();
        for (case, from, to, minutes) in table {
            assert_eq!(hours.minutes_between(t(from), t(to), VN), minutes, "{case}");
        }
        let half = t("2026-11-30 08:00") + TimeDelta::seconds(90);
        assert_eq!(
            hours.minutes_between(t("2026-11-30 08:00"), half, VN),
            1,
            "90 seconds is one minute"
        );
    }

    #[test]
    fn is_open_from_the_opening_minute_until_just_before_closing() {
        // (case, instant, open?)
        let table = [
            (
                "one minute before opening is closed",
                "2026-11-30 07:59",
                false,
            ),
            ("the opening minute is open", "2026-11-30 08:00", true),
            (
                "the last minute before closing is open",
                "2026-11-30 17:29",
                true,
            ),
            ("the closing minute is closed", "2026-11-30 17:30", false),
            ("saturday noon is open", "2026-11-28 12:00", true),
            ("sunday noon is closed", "2026-11-29 12:00", false),
            ("midnight is closed", "2026-11-30 00:00", false),
            ("a holiday noon is closed", "2026-12-01 12:00", false),
            ("the day after a holiday is open", "2026-12-02 12:00", true),
        ];
        let hours = with_holidays(&["2026-12-01"]);
        for (case, instant, open) in table {
            assert_eq!(hours.is_open(t(instant), VN), open, "{case}");
        }
        let just_before = t("2026-11-30 17:30") - TimeDelta::seconds(1);
        assert!(
            hours.is_open(just_before, VN),
            "one second before closing is open"
        );
    }

    #[test]
    fn next_open_is_the_instant_itself_when_open_and_the_next_opening_otherwise() {
        // (case, instant, next opening)
        let table = [
            (
                "inside hours it is the instant itself",
                "2026-11-30 10:00",
                "2026-11-30 10:00",
            ),
            (
                "at opening it is the opening",
                "2026-11-30 08:00",
                "2026-11-30 08:00",
            ),
            (
                "early morning it is the same day's opening",
                "2026-11-30 05:00",
                "2026-11-30 08:00",
            ),
            (
                "friday closing time it is saturday's opening",
                "2026-11-27 17:30",
                "2026-11-28 08:00",
            ),
            (
                "saturday evening it is monday's opening",
                "2026-11-28 21:00",
                "2026-11-30 08:00",
            ),
            (
                "on the eve of a holiday it skips the holiday",
                "2026-11-30 18:00",
                "2026-12-02 08:00",
            ),
        ];
        let hours = with_holidays(&["2026-12-01"]);
        for (case, instant, expected) in table {
            assert_eq!(
                show(hours.next_open(t(instant), VN)),
                show(t(expected)),
                "{case}"
            );
        }
    }

    #[test]
    fn hours_that_never_open_give_back_the_input_instead_of_looping() {
        let start = t("2026-11-30 10:00");
        let mondays_only_every_one_a_holiday = BusinessHours {
            days: vec![Weekday::Mon],
            holidays: std::iter::successors(Some(d("2026-11-23")), |m| {
                m.checked_add_days(chrono::Days::new(7))
            })
            .take(52 * 5)
            .collect(),
            ..BusinessHours::default()
        };
        // (case, hours)
        let table = [
            (
                "every working day is a holiday",
                mondays_only_every_one_a_holiday,
            ),
            (
                "no working days",
                BusinessHours {
                    days: vec![],
                    ..BusinessHours::default()
                },
            ),
            (
                "opening after closing",
                BusinessHours {
                    open: hm(18, 0),
                    ..BusinessHours::default()
                },
            ),
        ];
        for (case, hours) in table {
            assert_eq!(hours.add(start, 60, VN), start, "{case}: add");
            assert_eq!(hours.next_open(start, VN), start, "{case}: next_open");
            assert!(!hours.is_open(start, VN), "{case}: is_open");
            assert_eq!(
                hours.minutes_between(start, start + TimeDelta::days(30), VN),
                0,
                "{case}: minutes_between"
            );
        }
    }

    #[test]
    fn extreme_inputs_do_not_panic() {
        let hours = BusinessHours::default();
        let zones = [
            VN,
            chrono_tz::Pacific::Kiritimati,
            chrono_tz::Pacific::Pago_Pago,
            chrono_tz::UTC,
        ];
        let instants = [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            t("2026-11-30 10:00"),
        ];
        for tz in zones {
            for instant in instants {
                for minutes in [i64::MIN, -1, 0, 1, 600, i64::MAX] {
                    let _ = hours.add(instant, minutes, tz);
                }
                let _ = hours.is_open(instant, tz);
                let _ = hours.next_open(instant, tz);
                let _ = hours.minutes_between(DateTime::<Utc>::MIN_UTC, instant, tz);
                let _ = hours.minutes_between(instant, DateTime::<Utc>::MAX_UTC, tz);
            }
        }
        let far = t("2026-11-30 10:00");
        assert_eq!(
            hours.add(far, i64::MAX, VN),
            far,
            "an absurd duration gives back the start"
        );
        assert_eq!(
            hours.add(far, 570 * 320 * 4, VN),
            far,
            "a deadline four years away gives back the start"
        );
    }

    #[test]
    fn daylight_saving_days_open_after_the_gap_and_at_the_earlier_repeat() {
        // Berlin: 2026-03-29 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET.
        let berlin = chrono_tz::Europe::Berlin;
        let hours = BusinessHours {
            days: vec![Weekday::Sun],
            open: hm(2, 30),
            close: hm(4, 0),
            holidays: vec![],
        };
        // (case, instant, open?)
        let open_table = [
            (
                "spring: the first local time after the gap is open",
                at(berlin, "2026-03-29 03:00"),
                true,
            ),
            (
                "spring: the minute before the gap is closed",
                at(berlin, "2026-03-29 01:59"),
                false,
            ),
            (
                "autumn: the first 02:30 (summer time) is open",
                at(berlin, "2026-10-25 02:30"),
                true,
            ),
            (
                "autumn: the first 02:29 (summer time) is closed",
                at(berlin, "2026-10-25 02:29"),
                false,
            ),
            (
                "autumn: 04:00 winter time is closed",
                at(berlin, "2026-10-25 04:00"),
                false,
            ),
        ];
        for (case, instant, open) in open_table {
            assert_eq!(hours.is_open(instant, berlin), open, "{case}");
        }
        // (case, from, to, minutes)
        let between_table = [
            (
                "spring: 03:00 to 04:00 summer time is an hour",
                "2026-03-29 00:00",
                "2026-03-29 12:00",
                60,
            ),
            (
                "autumn: 02:30 summer time to 04:00 winter time is two and a half hours",
                "2026-10-25 00:00",
                "2026-10-25 12:00",
                150,
            ),
        ];
        for (case, from, to, minutes) in between_table {
            assert_eq!(
                hours.minutes_between(at(berlin, from), at(berlin, to), berlin),
                minutes,
                "{case}"
            );
        }
        assert_eq!(
            hours.next_open(at(berlin, "2026-03-29 00:00"), berlin),
            at(berlin, "2026-03-29 03:00"),
            "spring: the opening moves to the end of the gap"
        );
        let start = at(berlin, "2026-03-29 00:00");
        for minutes in [0, 1, 59, 60, 61, 150, 500] {
            let end = hours.add(start, minutes, berlin);
            assert_eq!(
                hours.minutes_between(start, end, berlin),
                minutes,
                "add and minutes_between agree for {minutes}"
            );
        }
    }

    #[test]
    fn hours_are_read_from_toml_and_bad_ones_are_refused() {
        let read = |text: &str| toml::from_str::<BusinessHours>(text);
        let parsed = read(
            r#"
            days = ["mon", "tue", "wed", "thu", "fri"]
            open = "07:30"
            close = "17:00"
            holidays = ["2027-02-17"]
            "#,
        )
        .unwrap();
        assert_eq!(
            parsed,
            BusinessHours {
                days: vec![
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri
                ],
                open: hm(7, 30),
                close: hm(17, 0),
                holidays: vec![d("2027-02-17")],
            }
        );
        assert_eq!(parsed.invalid(), None);

        // (case, toml, accepted?)
        let table = [
            ("an empty table gives the defaults", "", true),
            (
                "only the closing time may be given",
                r#"close = "18:00""#,
                true,
            ),
            ("seconds are accepted", r#"open = "07:30:00""#, true),
            ("an unknown key is refused", r#"lunch = "12:00""#, false),
            (
                "an unknown day name is refused",
                r#"days = ["mon", "funday"]"#,
                false,
            ),
            (
                "a time that is not a time is refused",
                r#"open = "8 o'clock""#,
                false,
            ),
            (
                "a date that is not a date is refused",
                r#"holidays = ["2027-02-30"]"#,
                false,
            ),
        ];
        for (case, text, accepted) in table {
            assert_eq!(
                read(text).is_ok(),
                accepted,
                "{case}: {:?}",
                read(text).err()
            );
        }
        assert_eq!(read("").unwrap(), BusinessHours::default());

        let written = toml::to_string(&parsed).unwrap();
        assert!(
            written.contains(r#"days = ["mon", "tue", "wed", "thu", "fri"]"#),
            "{written}"
        );
        assert!(written.contains(r#"open = "07:30""#), "{written}");
        assert_eq!(
            read(&written).unwrap(),
            parsed,
            "written hours read back the same"
        );
    }

    #[test]
    fn invalid_names_hours_that_cannot_work() {
        // (case, hours, problem?)
        let table = [
            ("the defaults are fine", BusinessHours::default(), false),
            (
                "opening after closing",
                BusinessHours {
                    open: hm(18, 0),
                    ..BusinessHours::default()
                },
                true,
            ),
            (
                "opening at closing",
                BusinessHours {
                    open: hm(17, 30),
                    ..BusinessHours::default()
                },
                true,
            ),
            (
                "no working days",
                BusinessHours {
                    days: vec![],
                    ..BusinessHours::default()
                },
                true,
            ),
            (
                "only sunday",
                BusinessHours {
                    days: vec![Weekday::Sun],
                    ..BusinessHours::default()
                },
                false,
            ),
        ];
        for (case, hours, problem) in table {
            assert_eq!(
                hours.invalid().is_some(),
                problem,
                "{case}: {:?}",
                hours.invalid()
            );
        }
        let from_toml: BusinessHours =
            toml::from_str("open = \"17:00\"\nclose = \"08:00\"").unwrap();
        assert!(
            from_toml.invalid().is_some(),
            "open >= close read from TOML is flagged"
        );
    }

    #[test]
    fn a_closing_time_of_24_00_means_open_until_midnight() {
        let hours: BusinessHours = toml::from_str("open = \"18:00\"\nclose = \"24:00\"").unwrap();
        assert_eq!(hours.invalid(), None);
        assert!(hours.is_open(t("2026-11-30 23:59"), VN));
        assert!(!hours.is_open(t("2026-12-01 00:00"), VN));
        // 90 minutes from 23:00 Monday: one hour on Monday, half an hour from Tuesday 18:00.
        assert_eq!(
            show(hours.add(t("2026-11-30 23:00"), 90, VN)),
            "2026-12-01 18:30 Tue"
        );
        assert_eq!(
            hours.minutes_between(t("2026-11-30 22:00"), t("2026-12-01 08:00"), VN),
            120
        );
        // It is written back as it was read.
        assert!(toml::to_string(&hours)
            .unwrap()
            .contains("close = \"24:00\""));
        // A time that is not a time is refused, naming what was wrong.
        let e = toml::from_str::<BusinessHours>("close = \"25:00\"").unwrap_err();
        assert!(e.message().contains("25:00"), "{e}");
        assert!(toml::from_str::<BusinessHours>("close = \"17h30\"").is_err());
    }
}
