//! Dates as customers type them, and what they must be read as.

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
