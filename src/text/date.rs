//! Reading a single date out of a short customer message.
//!
//! Vietnamese write the day first, so `6/8/2026` is 6 August 2026. Numbers
//! are parsed by hand (never through chrono's `%Y`, which reads `26` as the
//! year 26). "Today" is always passed in; nothing here reads the clock.

use chrono::{Datelike, Days, NaiveDate};

use super::fold;

/// Which way to look for the year when the customer gives only day and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearHint {
    /// The latest such date on or before today (e.g. "when did it happen?").
    Past,
    /// The earliest such date on or after today (e.g. "when do you want it?").
    Future,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("unreadable date")]
    Unreadable,
    #[error("no such day")]
    NoSuchDay { day: u32, month: u32, year: i32 },
    #[error("year out of range")]
    YearOutOfRange { year: i32 },
}

/// Earliest and latest year we accept.
const MIN_YEAR: i32 = 2000;
const MAX_YEAR: i32 = 2100;

/// Words that may surround a date without changing it ("vào ngày 6/8 ạ").
/// `ngay`, `hom`, `mung` are handled separately because they are also part
/// of the relative phrases ("hôm nay", "ngày mai").
const FILLERS: &[&str] = &[
    "vao", "a", "ah", "nhe", "nha", "ne", "nhi", "la", "oi", "vay", "thi", "em", "anh", "chi",
    "toi", "minh", "ban", "shop", "ad", "admin", "luc", "den", "tu", "khoang", "chon", "muon",
    "hen", "xin", "cho", "on", "the", "of", "date", "is", "its", "at", "by", "until", "from",
    // "ngày 6/8 được không ạ"
    "duoc", "dc", "khong", "ko", "k",
];

/// Words that introduce a day number and carry no meaning of their own.
const DAY_PREFIXES: &[&str] = &["ngay", "hom", "mung", "mong"];

/// Relative days, as whole (folded, filler-free) messages.
const RELATIVE: &[(i64, &str)] = &[
    (0, "hom nay"),
    (0, "ngay hom nay"),
    (0, "bua nay"),
    (0, "today"),
    (1, "ngay mai"),
    (1, "mai"),
    (1, "sang mai"),
    (1, "chieu mai"),
    (1, "hom sau"),
    (1, "tomorrow"),
    (-1, "hom qua"),
    (-1, "bua qua"),
    (-1, "ngay hom qua"),
    (-1, "yesterday"),
    (2, "ngay kia"),
    (2, "ngay mot"),
    (2, "mot"),
    (2, "day after tomorrow"),
    (-2, "hom kia"),
    (-2, "day before yesterday"),
];

const MONTH_WORDS: &[&str] = &["thang", "thg"];
const YEAR_WORDS: &[&str] = &["nam"];

const ENGLISH_MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("january", 1),
    ("feb", 2),
    ("february", 2),
    ("mar", 3),
    ("march", 3),
    ("apr", 4),
    ("april", 4),
    ("may", 5),
    ("jun", 6),
    ("june", 6),
    ("jul", 7),
    ("july", 7),
    ("aug", 8),
    ("august", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("oct", 10),
    ("october", 10),
    ("nov", 11),
    ("november", 11),
    ("dec", 12),
    ("december", 12),
];

/// A date as typed, before it is checked against the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Typed {
    day: u32,
    month: u32,
    year: Option<i32>,
}

/// Reads one date from a short message.
///
/// Accepts `06/08/2026`, `6-8-26`, `6.8.2026`, `6/8`, `2026-08-06`,
/// `ngày 6 tháng 8 năm 2026`, `mùng 6 tháng 8`, `6 Aug 2026`, `hôm nay`,
/// `ngày mai`, `hôm qua`, `ngày kia`/`mốt`, with or without diacritics and
/// with filler words around. Two-digit years mean 20yy. Without a year,
/// `hint` decides whether the date is the latest one on or before `today`
/// or the earliest one on or after it.
pub fn parse_date(input: &str, today: NaiveDate, hint: YearHint) -> Result<NaiveDate, DateError> {
    let folded = fold(input);
    let words: Vec<&str> = folded
        .split(' ')
        .map(trim_punctuation)
        .filter(|w| !w.is_empty() && !FILLERS.contains(w))
        .collect();
    if words.is_empty() {
        return Err(DateError::Unreadable);
    }

    let joined = words.join(" ");
    if let Some(&(offset, _)) = RELATIVE.iter().find(|(_, phrase)| *phrase == joined) {
        return shift(today, offset);
    }

    let core: Vec<&str> = words
        .into_iter()
        .filter(|w| !DAY_PREFIXES.contains(w))
        .collect();
    let typed = read_typed(&core).ok_or(DateError::Unreadable)?;
    resolve(typed, today, hint)
}

fn trim_punctuation(word: &str) -> &str {
    word.trim_start_matches(['(', '[', '"', '\''])
        .trim_end_matches(['.', ',', '!', '?', ';', ':', ')', ']', '"', '\'', '…'])
}

fn shift(today: NaiveDate, offset: i64) -> Result<NaiveDate, DateError> {
    let days = Days::new(offset.unsigned_abs());
    let date = if offset >= 0 {
        today.checked_add_days(days)
    } else {
        today.checked_sub_days(days)
    };
    date.ok_or(DateError::Unreadable)
}

/// Recognises the shapes of a date once fillers and "ngày"/"mùng" are gone.
fn read_typed(words: &[&str]) -> Option<Typed> {
    match words {
        [token] => read_numeric(token),
        [d, m_word, m] if MONTH_WORDS.contains(m_word) => Some(Typed {
            day: small_number(d)?,
            month: small_number(m)?,
            year: None,
        }),
        [d, m_word, m, y] if MONTH_WORDS.contains(m_word) => Some(Typed {
            day: small_number(d)?,
            month: small_number(m)?,
            year: Some(year_number(y)?),
        }),
        [d, m_word, m, y_word, y]
            if MONTH_WORDS.contains(m_word) && YEAR_WORDS.contains(y_word) =>
        {
            Some(Typed {
                day: small_number(d)?,
                month: small_number(m)?,
                year: Some(year_number(y)?),
            })
        }
        [d, name] => read_english(d, name, None),
        [d, name, y] => read_english(d, name, Some(y)),
        _ => None,
    }
}

/// `6 Aug`, `6th August 2026`, and also `Aug 6 2026`.
fn read_english(first: &str, second: &str, year: Option<&str>) -> Option<Typed> {
    let (day, name) = match (ordinal_number(first), ordinal_number(second)) {
        (Some(day), None) => (day, second),
        (None, Some(day)) => (day, first),
        _ => return None,
    };
    let month = ENGLISH_MONTHS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, m)| m)?;
    let year = match year {
        Some(y) => Some(year_number(y)?),
        None => None,
    };
    Some(Typed { day, month, year })
}

/// `6/8/2026`, `06-08-26`, `6.8`, `2026-08-06`: one separator kind only.
fn read_numeric(token: &str) -> Option<Typed> {
    let sep = token.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    if token.chars().any(|c| c != sep && !c.is_ascii_digit()) {
        return None;
    }
    let groups: Vec<&str> = token.split(sep).collect();
    match groups.as_slice() {
        [d, m] => Some(Typed {
            day: small_number(d)?,
            month: small_number(m)?,
            year: None,
        }),
        [y, m, d] if y.len() == 4 => Some(Typed {
            day: small_number(d)?,
            month: small_number(m)?,
            year: Some(year_number(y)?),
        }),
        [d, m, y] => Some(Typed {
            day: small_number(d)?,
            month: small_number(m)?,
            year: Some(year_number(y)?),
        }),
        _ => None,
    }
}

/// A day or month: one or two ASCII digits.
fn small_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

/// A day with an optional English ordinal suffix: `6`, `6th`, `1st`.
fn ordinal_number(s: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| s.strip_suffix(suffix))
        .unwrap_or(s);
    small_number(digits)
}

/// A year: two digits mean 20yy, four digits are taken as written.
fn year_number(s: &str) -> Option<i32> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = s.bytes().fold(0, |n, b| n * 10 + i32::from(b - b'0'));
    match s.len() {
        2 => Some(2000 + n),
        4 => Some(n),
        _ => None,
    }
}

fn resolve(typed: Typed, today: NaiveDate, hint: YearHint) -> Result<NaiveDate, DateError> {
    let Typed { day, month, year } = typed;
    match year {
        Some(year) => with_year(day, month, year),
        None => nearest_year(day, month, today, hint),
    }
}

/// The date as typed, year included.
fn with_year(day: u32, month: u32, year: i32) -> Result<NaiveDate, DateError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DateError::YearOutOfRange { year });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay { day, month, year })
}

/// A day and month without a year: the nearest such date on the side of `today` the hint
/// says.
fn nearest_year(
    day: u32,
    month: u32,
    today: NaiveDate,
    hint: YearHint,
) -> Result<NaiveDate, DateError> {
    let no_such_day = DateError::NoSuchDay {
        day,
        month,
        year: today.year(),
    };
    // 2000 is a leap year, so every day/month that exists in some year
    // exists in 2000.
    if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
        return Err(no_such_day);
    }
    // A leap day is at most eight years away (1900/2100-style gaps included).
    let found = (0..=8).find_map(|step| {
        let year = match hint {
            YearHint::Past => today.year() - step,
            YearHint::Future => today.year() + step,
        };
        NaiveDate::from_ymd_opt(year, month, day).filter(|date| match hint {
            YearHint::Past => *date <= today,
            YearHint::Future => *date >= today,
        })
    });
    match found {
        Some(date) if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) => Ok(date),
        Some(date) => Err(DateError::YearOutOfRange { year: date.year() }),
        None => Err(no_such_day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use YearHint::{Future, Past};

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn check(cases: &[(&str, NaiveDate, YearHint, Result<NaiveDate, DateError>)]) {
        for (input, today, hint, expected) in cases {
            assert_eq!(
                parse_date(input, *today, *hint),
                *expected,
                "input {input:?}, today {today}, hint {hint:?}"
            );
        }
    }

    #[test]
    fn every_written_form_of_a_full_date_is_read_day_first() {
        let today = ymd(2026, 5, 1);
        let aug6 = Ok(ymd(2026, 8, 6));
        check(&[
            ("06/08/2026", today, Past, aug6.clone()),
            ("6/8/2026", today, Past, aug6.clone()),
            ("6-8-26", today, Past, aug6.clone()),
            ("06-08-2026", today, Past, aug6.clone()),
            ("6.8.2026", today, Past, aug6.clone()),
            ("06.08.26", today, Past, aug6.clone()),
            ("2026-08-06", today, Past, aug6.clone()),
            ("2026/8/6", today, Past, aug6.clone()),
            ("ngày 6 tháng 8 năm 2026", today, Past, aug6.clone()),
            ("ngay 6 thang 8 nam 2026", today, Past, aug6.clone()),
            ("NGÀY 06 THÁNG 08 NĂM 2026", today, Past, aug6.clone()),
            ("6 tháng 8 năm 2026", today, Past, aug6.clone()),
            ("6 thang 8 nam 26", today, Past, aug6.clone()),
            ("6 thg 8 nam 2026", today, Past, aug6.clone()),
            ("6 tháng 8, 2026", today, Past, aug6.clone()),
            ("6 Aug 2026", today, Past, aug6.clone()),
            ("6th August 2026", today, Past, aug6.clone()),
            ("Aug 6, 2026", today, Past, aug6.clone()),
        ]);
    }

    #[test]
    fn filler_words_and_punctuation_around_a_date_are_ignored() {
        let today = ymd(2026, 5, 1);
        let aug6 = Ok(ymd(2026, 8, 6));
        check(&[
            ("ngày 06/08/2026", today, Past, aug6.clone()),
            ("ngay 6/8/2026 a", today, Past, aug6.clone()),
            ("vào ngày 6/8/2026 ạ", today, Past, aug6.clone()),
            ("Vao ngay 6-8-2026 nhe", today, Past, aug6.clone()),
            ("  6/8/2026.  ", today, Past, aug6.clone()),
            ("hôm 6/8/2026 nhé ạ.", today, Past, aug6.clone()),
            ("mùng 6 tháng 8 năm 2026", today, Past, aug6.clone()),
            ("mồng 6 tháng 8 năm 2026 ạ", today, Past, aug6.clone()),
            ("đến ngày 6/8/2026 nhé shop", today, Past, aug6.clone()),
            ("ngày 6/8/2026 được không ạ", today, Past, aug6.clone()),
            ("6/8/2026 dc ko", today, Past, aug6.clone()),
        ]);
    }

    #[test]
    fn dates_without_a_year_take_the_hinted_direction() {
        let today = ymd(2026, 5, 1);
        check(&[
            ("6/8", today, Future, Ok(ymd(2026, 8, 6))),
            ("6/8", today, Past, Ok(ymd(2025, 8, 6))),
            ("06-08", today, Future, Ok(ymd(2026, 8, 6))),
            ("6.8", today, Past, Ok(ymd(2025, 8, 6))),
            ("ngày 6 tháng 8", today, Future, Ok(ymd(2026, 8, 6))),
            ("ngay 6 thang 8", today, Past, Ok(ymd(2025, 8, 6))),
            ("mùng 6 tháng 8", today, Future, Ok(ymd(2026, 8, 6))),
            ("mung 6 thang 8 a", today, Future, Ok(ymd(2026, 8, 6))),
            ("6 aug", today, Future, Ok(ymd(2026, 8, 6))),
            // Today itself counts in both directions.
            ("1/5", today, Past, Ok(today)),
            ("1/5", today, Future, Ok(today)),
            ("30/4", today, Future, Ok(ymd(2027, 4, 30))),
            ("2/5", today, Past, Ok(ymd(2025, 5, 2))),
        ]);
    }

    #[test]
    fn year_less_dates_cross_new_year_in_the_hinted_direction() {
        let late_december = ymd(2026, 12, 28);
        let early_january = ymd(2027, 1, 3);
        check(&[
            ("5/1", late_december, Future, Ok(ymd(2027, 1, 5))),
            ("5/1", late_december, Past, Ok(ymd(2026, 1, 5))),
            ("30/12", late_december, Future, Ok(ymd(2026, 12, 30))),
            ("28/12", early_january, Past, Ok(ymd(2026, 12, 28))),
            ("28/12", early_january, Future, Ok(ymd(2027, 12, 28))),
            ("2/1", early_january, Past, Ok(ymd(2027, 1, 2))),
            (
                "ngày 31 tháng 12",
                early_january,
                Past,
                Ok(ymd(2026, 12, 31)),
            ),
        ]);
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        let today = ymd(2026, 5, 1);
        check(&[
            ("29/02/2028", today, Past, Ok(ymd(2028, 2, 29))),
            ("29/2/2024", today, Past, Ok(ymd(2024, 2, 29))),
            ("29/2/2000", today, Past, Ok(ymd(2000, 2, 29))),
            (
                "29/02/2027",
                today,
                Past,
                Err(DateError::NoSuchDay {
                    day: 29,
                    month: 2,
                    year: 2027,
                }),
            ),
            (
                "29/02/2100",
                today,
                Past,
                Err(DateError::NoSuchDay {
                    day: 29,
                    month: 2,
                    year: 2100,
                }),
            ),
            // Without a year: the nearest leap year in the hinted direction.
            ("29/02", today, Future, Ok(ymd(2028, 2, 29))),
            ("29/02", today, Past, Ok(ymd(2024, 2, 29))),
            ("29/2", ymd(2028, 2, 29), Past, Ok(ymd(2028, 2, 29))),
            ("29/2", ymd(2028, 3, 1), Future, Ok(ymd(2032, 2, 29))),
        ]);
    }

    #[test]
    fn impossible_days_report_the_numbers_as_typed() {
        let today = ymd(2026, 5, 1);
        check(&[
            (
                "31/02/2026",
                today,
                Past,
                Err(DateError::NoSuchDay {
                    day: 31,
                    month: 2,
                    year: 2026,
                }),
            ),
            (
                "31/04/26",
                today,
                Past,
                Err(DateError::NoSuchDay {
                    day: 31,
                    month: 4,
                    year: 2026,
                }),
            ),
            (
                "32/1",
                today,
                Future,
                Err(DateError::NoSuchDay {
                    day: 32,
                    month: 1,
                    year: 2026,
                }),
            ),
            (
                "0/5",
                today,
                Future,
                Err(DateError::NoSuchDay {
                    day: 0,
                    month: 5,
                    year: 2026,
                }),
            ),
            (
                "5/13",
                today,
                Future,
                Err(DateError::NoSuchDay {
                    day: 5,
                    month: 13,
                    year: 2026,
                }),
            ),
            (
                "31/02",
                today,
                Past,
                Err(DateError::NoSuchDay {
                    day: 31,
                    month: 2,
                    year: 2026,
                }),
            ),
            (
                "ngày 30 tháng 2",
                today,
                Future,
                Err(DateError::NoSuchDay {
                    day: 30,
                    month: 2,
                    year: 2026,
                }),
            ),
            (
                "2026-13-01",
                today,
                Future,
                Err(DateError::NoSuchDay {
                    day: 1,
                    month: 13,
                    year: 2026,
                }),
            ),
        ]);
    }

    #[test]
    fn two_digit_years_are_in_this_century() {
        let today = ymd(2026, 5, 1);
        check(&[
            ("6/8/26", today, Past, Ok(ymd(2026, 8, 6))),
            ("6/8/99", today, Past, Ok(ymd(2099, 8, 6))),
            ("1/1/00", today, Past, Ok(ymd(2000, 1, 1))),
            ("6 tháng 8 năm 30", today, Past, Ok(ymd(2030, 8, 6))),
        ]);
    }

    #[test]
    fn years_outside_this_century_are_refused() {
        let today = ymd(2026, 5, 1);
        check(&[
            (
                "6/8/1999",
                today,
                Past,
                Err(DateError::YearOutOfRange { year: 1999 }),
            ),
            (
                "6/8/2101",
                today,
                Past,
                Err(DateError::YearOutOfRange { year: 2101 }),
            ),
            (
                "1990-01-01",
                today,
                Past,
                Err(DateError::YearOutOfRange { year: 1990 }),
            ),
            (
                "6 thang 8 nam 1975",
                today,
                Past,
                Err(DateError::YearOutOfRange { year: 1975 }),
            ),
            (
                "6/8",
                ymd(2100, 12, 1),
                Future,
                Err(DateError::YearOutOfRange { year: 2101 }),
            ),
        ]);
    }

    #[test]
    fn relative_days_count_from_the_given_today() {
        let today = ymd(2026, 12, 31);
        check(&[
            ("hôm nay", today, Past, Ok(today)),
            ("hom nay", today, Future, Ok(today)),
            ("Hôm nay ạ", today, Future, Ok(today)),
            ("today", today, Future, Ok(today)),
            ("ngày mai", today, Future, Ok(ymd(2027, 1, 1))),
            ("ngay mai nhe", today, Future, Ok(ymd(2027, 1, 1))),
            ("mai", today, Future, Ok(ymd(2027, 1, 1))),
            ("Mai ạ.", today, Past, Ok(ymd(2027, 1, 1))),
            ("tomorrow", today, Future, Ok(ymd(2027, 1, 1))),
            ("hôm qua", today, Past, Ok(ymd(2026, 12, 30))),
            ("hom qua", today, Past, Ok(ymd(2026, 12, 30))),
            ("yesterday", today, Past, Ok(ymd(2026, 12, 30))),
            ("ngày kia", today, Future, Ok(ymd(2027, 1, 2))),
            ("ngay kia", today, Future, Ok(ymd(2027, 1, 2))),
            ("mốt", today, Future, Ok(ymd(2027, 1, 2))),
            ("mot nha", today, Future, Ok(ymd(2027, 1, 2))),
            ("hôm kia", today, Past, Ok(ymd(2026, 12, 29))),
        ]);
    }

    #[test]
    fn anything_that_is_not_one_clear_date_is_unreadable() {
        let today = ymd(2026, 5, 1);
        for input in [
            "",
            "   ",
            "abc",
            "12345",
            "6",
            "ngày",
            "hôm nay trời đẹp",
            "email của tôi là lan@gmail.com",
            "0904718078",
            "0904.718.078",
            "0904 718 078",
            "090-471-8078",
            "+84 904 718 078",
            "HD-2026-0012",
            "6/8/202",
            "6/8/20266",
            "6/8-2026",
            "6//8",
            "6/8/2026/1",
            "2026-08",
            "106/8",
            "từ 6/8 đến 10/8",
            "6/8 hoặc 7/8",
            "tôi đặt đơn 3 cái hôm 6/8, giao 2 cái",
            "6 tháng",
            "tháng 8",
            "6 thang 8 nam",
            "ngày mai hoặc ngày kia",
            "tôi muốn bảo lưu đến ngày 6/8",
            "6/8 không phải 7/8",
            "6 foo 2026",
        ] {
            assert_eq!(
                parse_date(input, today, Future),
                Err(DateError::Unreadable),
                "input {input:?}"
            );
        }
    }
}
