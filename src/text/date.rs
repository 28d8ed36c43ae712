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

mod find;
pub use find::read_date;

#[cfg(test)]
mod tests;
