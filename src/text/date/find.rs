//! Finding the date in an answer as people type it: inside words ("dong tien ngay 20/11 a"),
//! relative to the day the message was sent ("hôm kia", "thứ 7 tuần sau", "mùng 5 tháng sau",
//! "25/1 năm sau"), not a single day ("cuối tháng", "tầm ngày 20": to be confirmed), or two of
//! them ("20/12 hoặc 21/12": to be asked about).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use unicode_normalization::UnicodeNormalization;

use super::super::fold;
use super::super::reading::{says_dont_know, Reading};
use super::{parse_date, read_numeric, resolve, shift, small_number, DateError, Typed, YearHint};

/// How sure a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Sure {
    /// Said as a day: "20/12", "hôm qua", "thứ 7 tuần sau".
    Exact,
    /// A weekday alone ("thứ 7"): exact, but a date beside it says which one.
    Weekday,
    /// Not a single day, or not said exactly: "cuối tháng", "tầm ngày 20", "tuần sau".
    About,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    date: NaiveDate,
    sure: Sure,
    /// Day and month when typed without a year: among several candidates, each is then taken
    /// in its nearest year, whichever side of today (the customer picks).
    yearless: Option<(u32, u32)>,
}

/// One word of the message: folded, and as typed (lowercase, composed) to tell "mốt" from
/// "một" and "mai" from "mãi".
struct Word {
    key: String,
    typed: String,
}

fn words_of(input: &str) -> Vec<Word> {
    let lower: String = input.nfc().collect::<String>().to_lowercase();
    lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '!' | '?' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ':' | '"' | '\'' | '…' | '~')))
        .filter(|w| !w.is_empty())
        .map(|w| Word {
            key: fold(w),
            typed: w.to_string(),
        })
        .collect()
}

/// A weekday as typed: "thứ 7", "thu bay", "t7", "cn", "chủ nhật". Returns it and how many
/// words it took.
fn weekday_at(w: &[Word], i: usize) -> Option<(Weekday, usize)> {
    let key = w[i].key.as_str();
    let number = |s: &str| -> Option<Weekday> {
        Some(match s {
            "2" | "hai" => Weekday::Mon,
            "3" | "ba" => Weekday::Tue,
            "4" | "tu" => Weekday::Wed,
            "5" | "nam" => Weekday::Thu,
            "6" | "sau" => Weekday::Fri,
            "7" | "bay" => Weekday::Sat,
            _ => return None,
        })
    };
    match key {
        "cn" => Some((Weekday::Sun, 1)),
        "chu" if w.get(i + 1).is_some_and(|n| n.key == "nhat") => Some((Weekday::Sun, 2)),
        "thu" => w.get(i + 1).and_then(|n| number(&n.key)).map(|d| (d, 2)),
        _ if key.len() == 2 && key.starts_with('t') => number(&key[1..])
            .filter(|_| key[1..].bytes().all(|b| b.is_ascii_digit()))
            .map(|d| (d, 1)),
        _ => None,
    }
}

/// Which week a weekday or "tuần" names: -1 last week, 0 this week, 1 next week.
fn week_at(w: &[Word], i: usize) -> Option<(i64, usize)> {
    let first = w.get(i)?.key.as_str();
    let second = w.get(i + 1).map(|x| x.key.as_str());
    match (first, second) {
        ("tuan", Some("sau" | "toi")) => Some((1, 2)),
        ("tuan", Some("nay")) => Some((0, 2)),
        ("tuan", Some("truoc")) => Some((-1, 2)),
        ("nay", _) => Some((0, 1)),
        _ => None,
    }
}

/// Which month "tháng …" names: "tháng sau", "tháng này", "tháng trước", "tháng 11". Returns
/// (month offset from this month, or a month number) and how many words it took after
/// "tháng".
enum MonthRef {
    Offset(i32),
    Number(u32),
}

fn month_after(w: &[Word], i: usize) -> Option<(MonthRef, usize)> {
    let next = w.get(i)?.key.as_str();
    match next {
        "sau" | "toi" => Some((MonthRef::Offset(1), 1)),
        "nay" => Some((MonthRef::Offset(0), 1)),
        "truoc" => Some((MonthRef::Offset(-1), 1)),
        n => small_number(n)
            .filter(|m| (1..=12).contains(m))
            .map(|m| (MonthRef::Number(m), 1)),
    }
}

fn is_month_word(key: &str) -> bool {
    matches!(key, "thang" | "thg")
}

/// A year named after a date: "năm sau", "năm nay", "năm 2027", "2027". Returns the year and
/// how many words it took.
fn year_at(w: &[Word], i: usize, today: NaiveDate) -> Option<(i32, usize)> {
    let first = w.get(i)?.key.as_str();
    let second = w.get(i + 1).map(|x| x.key.as_str());
    let digits = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    match (first, second) {
        ("nam", Some("sau" | "toi")) => Some((today.year() + 1, 2)),
        ("nam", Some("nay")) => Some((today.year(), 2)),
        ("nam", Some("truoc" | "ngoai")) => Some((today.year() - 1, 2)),
        ("nam", Some(y)) if digits(y) => Some((y.parse().ok()?, 2)),
        (y, _) if digits(y) => Some((y.parse().ok()?, 1)),
        _ => None,
    }
}

fn first_of(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// This month shifted by `offset` months: its first day.
fn month_from(today: NaiveDate, offset: i32) -> Option<NaiveDate> {
    let first = first_of(today.year(), today.month())?;
    if offset >= 0 {
        first.checked_add_months(Months::new(offset as u32))
    } else {
        first.checked_sub_months(Months::new(offset.unsigned_abs()))
    }
}

/// The first day of the month named, the year taken from the hint when only a number names it.
fn month_first(today: NaiveDate, m: MonthRef, hint: YearHint) -> Option<NaiveDate> {
    match m {
        MonthRef::Offset(o) => month_from(today, o),
        MonthRef::Number(n) => {
            let this = first_of(today.year(), n)?;
            let current = first_of(today.year(), today.month())?;
            Some(match hint {
                YearHint::Future if this < current => first_of(today.year() + 1, n)?,
                YearHint::Past if this > current => first_of(today.year() - 1, n)?,
                _ => this,
            })
        }
    }
}

fn last_of_month(first: NaiveDate) -> Option<NaiveDate> {
    first.checked_add_months(Months::new(1))?.pred_opt()
}

/// The nearest day `day` of a month, on the side of today the hint says.
fn nearest_day(day: u32, today: NaiveDate, hint: YearHint) -> Option<NaiveDate> {
    let this = month_from(today, 0)?;
    let try_month = |first: NaiveDate| NaiveDate::from_ymd_opt(first.year(), first.month(), day);
    match hint {
        YearHint::Future => {
            (0..3).find_map(|o| try_month(month_from(today, o)?).filter(|d| *d >= today))
        }
        YearHint::Past => {
            (0..3).find_map(|o| try_month(month_from(today, -o)?).filter(|d| *d <= today))
        }
    }
    .or_else(|| try_month(this))
}

/// Words that carry no date but may stand before a day number ("ngày 20", "tầm 20").
fn day_lead(key: &str) -> bool {
    matches!(key, "ngay" | "mung" | "mong" | "hom" | "bua")
}

fn about_lead(key: &str) -> bool {
    matches!(key, "tam" | "khoang" | "chung" | "tambay")
}

/// The weekday `day` of the week `week` (-1, 0, 1) around today; weeks start on Monday.
fn weekday_in_week(today: NaiveDate, day: Weekday, week: i64) -> Option<NaiveDate> {
    let monday =
        today.checked_sub_days(Days::new(today.weekday().num_days_from_monday() as u64))?;
    let start = shift(monday, 7 * week).ok()?;
    start.checked_add_days(Days::new(day.num_days_from_monday() as u64))
}

/// A weekday with no week: the next one (or, for a past date, the last one).
fn nearest_weekday(today: NaiveDate, day: Weekday, hint: YearHint) -> Option<NaiveDate> {
    (1..=7).find_map(|n| {
        let d = match hint {
            YearHint::Future => today.checked_add_days(Days::new(n)),
            YearHint::Past => today.checked_sub_days(Days::new(n)),
        }?;
        (d.weekday() == day).then_some(d)
    })
}

/// Relative days said in words; `typed` must match too where folding would confuse two words.
fn relative_at(w: &[Word], i: usize, accented: bool) -> Option<(i64, usize)> {
    let key = w[i].key.as_str();
    let next = w.get(i + 1).map(|x| x.key.as_str());
    Some(match (key, next) {
        ("hom" | "bua" | "ngay", Some("nay")) => (0, 2),
        ("sang" | "chieu" | "trua", Some("nay")) => (0, 2),
        ("hom" | "bua", Some("qua")) => (-1, 2),
        ("hom", Some("kia")) => (-2, 2),
        ("ngay", Some("mai")) => (1, 2),
        ("sang" | "chieu" | "trua" | "toi", Some("mai")) => (1, 2),
        ("ngay", Some("kia" | "mot")) if !accented || w[i + 1].typed != "một" => (2, 2),
        ("mai", _) if !accented || w[i].typed == "mai" => (1, 1),
        // "mốt"; typed without accents, "mot" is "một" (one) unless nothing but particles
        // follow it ("e muon doi sang mot nha").
        ("mot", _) if w[i].typed == "mốt" || (!accented && only_particles(&w[i + 1..])) => (2, 1),
        ("today", _) => (0, 1),
        ("tomorrow", _) => (1, 1),
        ("yesterday", _) => (-1, 1),
        _ => return None,
    })
}

/// Words said after an answer that add nothing to it.
fn only_particles(rest: &[Word]) -> bool {
    rest.iter().all(|x| {
        matches!(
            x.key.as_str(),
            "a" | "ah"
                | "nha"
                | "nhe"
                | "ne"
                | "nhi"
                | "shop"
                | "ad"
                | "duoc"
                | "dc"
                | "k"
                | "ko"
                | "khong"
                | "chu"
                | "giup"
                | "e"
                | "em"
                | "voi"
                | "luon"
        )
    })
}

/// Every date the message names, in order.
fn candidates(w: &[Word], today: NaiveDate, hint: YearHint) -> (Vec<Candidate>, Option<DateError>) {
    let accented = w.iter().any(|x| x.key != x.typed);
    let mut found = Vec::new();
    let mut error = None;
    let mut push = |r: Result<NaiveDate, DateError>,
                    yearless: Option<(u32, u32)>,
                    found: &mut Vec<Candidate>| match r {
        Ok(date) => found.push(Candidate {
            date,
            sure: Sure::Exact,
            yearless,
        }),
        Err(e) => error = Some(e),
    };
    let mut i = 0;
    while i < w.len() {
        let key = w[i].key.as_str();
        // "20/11", "1-11-2026", "2026-11-14", "25/1 năm sau"
        if key.bytes().any(|b| b.is_ascii_digit()) && key.contains(['/', '-', '.']) {
            if let Some(mut typed) = read_numeric(key) {
                let mut used = 1;
                if typed.year.is_none() {
                    if let Some((y, n)) = year_at(w, i + 1, today).filter(|(_, n)| {
                        // A bare four-digit number after a date is its year only when it looks like one.
                        *n == 2 || w[i + 1].key.starts_with("20")
                    }) {
                        typed.year = Some(y);
                        used += n;
                    }
                }
                let yearless = typed.year.is_none().then_some((typed.day, typed.month));
                push(resolve(typed, today, hint), yearless, &mut found);
                i += used;
                continue;
            }
        }
        // "28 tháng 10 (năm 2026)", "mùng 5 tháng sau", "ngày 5 tháng trước"
        if let Some(day) = small_number(key).filter(|d| (1..=31).contains(d)) {
            if w.get(i + 1).is_some_and(|x| is_month_word(&x.key)) {
                if let Some((month, n)) = month_after(w, i + 2) {
                    let mut used = 2 + n;
                    let mut yearless = None;
                    let r = match month {
                        MonthRef::Number(m) => {
                            let mut typed = Typed {
                                day,
                                month: m,
                                year: None,
                            };
                            match year_at(w, i + used, today) {
                                Some((y, k)) => {
                                    typed.year = Some(y);
                                    used += k;
                                }
                                None => yearless = Some((day, m)),
                            }
                            resolve(typed, today, hint)
                        }
                        MonthRef::Offset(o) => month_from(today, o)
                            .and_then(|f| NaiveDate::from_ymd_opt(f.year(), f.month(), day))
                            .ok_or(DateError::NoSuchDay {
                                day,
                                month: today.month(),
                                year: today.year(),
                            }),
                    };
                    push(r, yearless, &mut found);
                    i += used;
                    continue;
                }
            }
        }
        if let Some((offset, n)) = relative_at(w, i, accented) {
            push(shift(today, offset), None, &mut found);
            i += n;
            continue;
        }
        // "thứ 7 tuần sau", "t7 này", "chủ nhật"
        if let Some((day, n)) = weekday_at(w, i) {
            let (date, sure, m) = match week_at(w, i + n) {
                Some((week, m)) => (weekday_in_week(today, day, week), Sure::Exact, m),
                None => (nearest_weekday(today, day, hint), Sure::Weekday, 0),
            };
            if let Some(d) = date {
                found.push(Candidate {
                    date: d,
                    sure,
                    yearless: None,
                });
            }
            i += n + m;
            continue;
        }
        // "cuối tháng (này, sau, trước, 11)", "đầu tháng sau", "giữa tháng 1"
        if matches!(key, "cuoi" | "dau" | "giua")
            && w.get(i + 1).is_some_and(|x| is_month_word(&x.key))
        {
            let (month, n) = match month_after(w, i + 2) {
                Some((m, n)) => (Some(m), n),
                None => (None, 0),
            };
            let first = match month {
                Some(m) => month_first(today, m, hint),
                // "cuối tháng" alone: this month's end ahead, or last month's end behind.
                None => match (key, hint) {
                    ("cuoi", YearHint::Future) | ("dau", YearHint::Past) => month_from(today, 0),
                    ("cuoi", YearHint::Past) => month_from(today, -1),
                    ("giua", YearHint::Future) if today.day() <= 15 => month_from(today, 0),
                    ("giua", YearHint::Past) if today.day() >= 15 => month_from(today, 0),
                    ("giua", YearHint::Past) => month_from(today, -1),
                    (_, _) => month_from(today, 1),
                },
            };
            let date = first.and_then(|f| match key {
                "cuoi" => last_of_month(f),
                "giua" => NaiveDate::from_ymd_opt(f.year(), f.month(), 15),
                _ => Some(f),
            });
            if let Some(d) = date {
                found.push(Candidate {
                    date: d,
                    sure: Sure::About,
                    yearless: None,
                });
            }
            i += 2 + n;
            continue;
        }
        // "tuần sau", "tuần trước" alone: about a week away.
        if let Some((week, n)) = week_at(w, i).filter(|(_, n)| *n == 2) {
            if week != 0 {
                if let Ok(d) = shift(today, 7 * week) {
                    found.push(Candidate {
                        date: d,
                        sure: Sure::About,
                        yearless: None,
                    });
                }
            }
            i += n;
            continue;
        }
        // "ngày 20", "tầm 20", "khoảng ngày 20": a day without its month.
        if day_lead(key) || about_lead(key) {
            let mut j = i + 1;
            while w.get(j).is_some_and(|x| day_lead(&x.key)) {
                j += 1;
            }
            if let Some(day) = w
                .get(j)
                .and_then(|x| small_number(&x.key))
                .filter(|d| (1..=31).contains(d))
            {
                let followed = w.get(j + 1).map(|x| x.key.as_str());
                let counted = matches!(
                    followed,
                    Some(
                        "ngay"
                            | "hom"
                            | "buoi"
                            | "lan"
                            | "tuan"
                            | "nam"
                            | "sao"
                            | "diem"
                            | "thang"
                            | "thg"
                    )
                );
                if !counted {
                    if let Some(d) = nearest_day(day, today, hint) {
                        found.push(Candidate {
                            date: d,
                            sure: Sure::About,
                            yearless: None,
                        });
                    }
                    i = j + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    (found, error)
}

/// A day and month in the year that puts it nearest to today.
fn nearest_either_side(day: u32, month: u32, today: NaiveDate) -> Option<NaiveDate> {
    let typed = |_| Typed {
        day,
        month,
        year: None,
    };
    let past = resolve(typed(()), today, YearHint::Past).ok();
    let future = resolve(typed(()), today, YearHint::Future).ok();
    match (past, future) {
        (Some(p), Some(f)) => Some(if today - p <= f - today { p } else { f }),
        (p, f) => p.or(f),
    }
}

/// Reads the date an answer gives. `today` is the day the message was sent (in the company's
/// time zone); `hint` says which way a date without its year lies.
///
/// One date said plainly is a [`Reading::Value`]; one that is not a single day ("cuối tháng")
/// or not exact ("tầm ngày 20") is [`Reading::About`]; two different ones are
/// [`Reading::Choose`]; "em không nhớ" is [`Reading::DontKnow`]. A date that does not exist
/// ("31/2") is an error, to be explained.
pub fn read_date(
    input: &str,
    today: NaiveDate,
    hint: YearHint,
) -> Result<Reading<NaiveDate>, DateError> {
    let w = words_of(input);
    let (mut found, error) = candidates(&w, today, hint);
    // A weekday beside a date describes it ("thứ 7 ngày 19/12").
    let exact: Vec<NaiveDate> = found
        .iter()
        .filter(|c| c.sure == Sure::Exact)
        .map(|c| c.date)
        .collect();
    if !exact.is_empty() {
        found.retain(|c| {
            c.sure != Sure::Weekday || !exact.iter().any(|d| d.weekday() == c.date.weekday())
        });
    }
    // The same day named twice is one candidate, as sure as its surest naming.
    let mut merged: Vec<Candidate> = Vec::new();
    for c in found {
        match merged.iter_mut().find(|m| m.date == c.date) {
            Some(m) => m.sure = m.sure.min(c.sure),
            None => merged.push(c),
        }
    }
    match merged.as_slice() {
        [] => {}
        [one] if one.sure == Sure::About => return Ok(Reading::About(one.date)),
        [one] => return Ok(Reading::Value(one.date)),
        many => {
            let mut dates: Vec<NaiveDate> = many
                .iter()
                .map(|c| match c.yearless {
                    Some((day, month)) => nearest_either_side(day, month, today).unwrap_or(c.date),
                    None => c.date,
                })
                .collect();
            dates.dedup();
            return Ok(match dates.as_slice() {
                [one] => Reading::Value(*one),
                _ => Reading::Choose(dates),
            });
        }
    }
    if says_dont_know(input) {
        return Ok(Reading::DontKnow);
    }
    if let Some(e) = error {
        return Err(e);
    }
    // "6 Aug 2026", "today": the whole message as a date ("một", one, is not "mốt").
    if w.iter().any(|x| x.typed == "một") {
        return Ok(Reading::Nothing);
    }
    match parse_date(input, today, hint) {
        Ok(d) => Ok(Reading::Value(d)),
        Err(DateError::Unreadable) => Ok(Reading::Nothing),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A Wednesday.
    fn today() -> NaiveDate {
        d(2026, 12, 2)
    }

    fn past(s: &str) -> Reading<NaiveDate> {
        read_date(s, today(), YearHint::Past).unwrap()
    }

    fn future(s: &str) -> Reading<NaiveDate> {
        read_date(s, today(), YearHint::Future).unwrap()
    }

    #[test]
    fn a_date_is_found_inside_words() {
        assert_eq!(
            past("dong tien ngay 20/11 a"),
            Reading::Value(d(2026, 11, 20))
        );
        assert_eq!(past("dạ ngày 3/11 ạ"), Reading::Value(d(2026, 11, 3)));
        assert_eq!(
            future("hẹn ngày 20-12 nha shop"),
            Reading::Value(d(2026, 12, 20))
        );
        assert_eq!(future("lich cu la 20/12"), Reading::Value(d(2026, 12, 20)));
        assert_eq!(future("ngay 25/1 nam sau"), Reading::Value(d(2027, 1, 25)));
        assert_eq!(
            past("ngay 28 thang 10 nam 2026"),
            Reading::Value(d(2026, 10, 28))
        );
    }

    #[test]
    fn relative_dates_count_from_the_day_the_message_was_sent() {
        assert_eq!(past("hôm qua"), Reading::Value(d(2026, 12, 1)));
        assert_eq!(past("hôm kia em đóng rồi"), Reading::Value(d(2026, 11, 30)));
        assert_eq!(future("thứ 7 tuần sau"), Reading::Value(d(2026, 12, 12)));
        assert_eq!(future("t7 tuan sau a"), Reading::Value(d(2026, 12, 12)));
        assert_eq!(future("mùng 5 tháng sau"), Reading::Value(d(2027, 1, 5)));
        assert_eq!(past("thứ 5 tuần trước"), Reading::Value(d(2026, 11, 26)));
        assert_eq!(future("mốt"), Reading::Value(d(2026, 12, 4)));
        // "một" (one) is not "mốt".
        assert_eq!(future("một"), Reading::Nothing);
    }

    #[test]
    fn what_is_not_a_single_day_is_to_be_confirmed() {
        assert_eq!(future("cuối tháng"), Reading::About(d(2026, 12, 31)));
        assert_eq!(
            past("khoảng cuối tháng trước"),
            Reading::About(d(2026, 11, 30))
        );
        assert_eq!(future("tuần sau"), Reading::About(d(2026, 12, 9)));
        assert_eq!(future("tầm ngày 20"), Reading::About(d(2026, 12, 20)));
        assert_eq!(past("tầm ngày 20"), Reading::About(d(2026, 11, 20)));
    }

    #[test]
    fn two_dates_are_asked_about_and_none_is_said_so() {
        assert_eq!(
            future("20/12 hoặc 21/12"),
            Reading::Choose(vec![d(2026, 12, 20), d(2026, 12, 21)])
        );
        assert_eq!(
            past("dong tien 1/11, lich 20/12"),
            Reading::Choose(vec![d(2026, 11, 1), d(2026, 12, 20)])
        );
        assert_eq!(past("em không nhớ"), Reading::DontKnow);
        assert_eq!(future("năm sau"), Reading::Nothing);
        assert_eq!(future("thứ 7 ngày 19/12"), Reading::Value(d(2026, 12, 19)));
        assert!(read_date("31/2", today(), YearHint::Future).is_err());
        // Not dates: a phone number, an invoice, a count of days.
        assert_eq!(future("0912.345.678"), Reading::Nothing);
        assert_eq!(future("HD-2026-0012"), Reading::Nothing);
        assert_eq!(past("qua 60 ngày rồi"), Reading::Nothing);
    }
}
