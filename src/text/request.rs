//! A first message that already holds the answers: "toi muon bao luu HD-2026-0012, dong tien
//! 1/11, lich 15/12, toi bi om". Each part separated by a comma, a semicolon or a new line is
//! read on its own; a date is taken only when its part says which date it is (paid, scheduled,
//! the new one), so a date is never put in the wrong field. What is not found is asked for.

use chrono::NaiveDate;

use super::date::{read_date, YearHint};
use super::fold::fold;
use super::ids::Invoice;
use super::intent::{classify_reason, ReasonHint};
use super::reading::Reading;

/// What a message told, field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub invoice: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub scheduled_on: Option<NaiveDate>,
    pub new_date: Option<NaiveDate>,
    pub reason: Option<ReasonHint>,
    /// The part of the message that gave the reason, in the customer's words.
    pub reason_text: Option<String>,
}

impl Found {
    /// How many fields the message filled.
    pub fn count(&self) -> usize {
        [
            self.invoice.is_some(),
            self.paid_on.is_some(),
            self.scheduled_on.is_some(),
            self.new_date.is_some(),
            self.reason.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Paid,
    Scheduled,
    New,
}

/// Words (folded) that say which date a part gives. The new date is looked for first: "dời
/// lịch sang 15/1" names the schedule but gives the new date.
const NEW_WORDS: &[&str] = &[
    "doi sang",
    "doi qua",
    "doi den",
    "doi lai",
    "chuyen sang",
    "chuyen qua",
    "lui sang",
    "lui den",
    "lui lai",
    "sang ngay",
    "ngay moi",
    "lich moi",
    "den ngay",
    "new date",
    "move to",
];
const PAID_WORDS: &[&str] = &[
    "dong tien",
    "da dong",
    "dong phi",
    "thanh toan",
    "tra tien",
    "chuyen khoan",
    "nop tien",
    "dat coc",
    "paid",
];
const SCHEDULED_WORDS: &[&str] = &[
    "lich",
    "thi cong",
    "hen lam",
    "ngay lam",
    "ngay hen",
    "scheduled",
];

fn has_phrase(folded: &str, phrases: &[&str]) -> bool {
    let padded = format!(" {folded} ");
    phrases.iter().any(|p| padded.contains(&format!(" {p} ")))
}

fn role_of(folded: &str) -> Option<Role> {
    if has_phrase(folded, NEW_WORDS) {
        Some(Role::New)
    } else if has_phrase(folded, PAID_WORDS) {
        Some(Role::Paid)
    } else if has_phrase(folded, SCHEDULED_WORDS) {
        Some(Role::Scheduled)
    } else {
        None
    }
}

fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | '(' | ')' | '"'))
}

/// The one date a part holds, said plainly ("1/11", "15-12-2026", "ngày 6 tháng 8 (năm 2026)",
/// "hôm qua", "thứ 7 tuần sau"). Two different dates in one part, or one that is not a single
/// day ("cuối tháng"), give none: the question asks for it, and shows it back.
fn date_in(part: &str, today: NaiveDate, hint: YearHint) -> Option<NaiveDate> {
    match read_date(part, today, hint) {
        Ok(Reading::Value(d)) => Some(d),
        _ => None,
    }
}

/// An invoice number standing in a part: letters and at least three digits ("HD-2026-0012",
/// "QM123456"), never a date or a phone number.
fn invoice_in(part: &str) -> Option<String> {
    part.split_whitespace().map(trim_word).find_map(|w| {
        let letters = w.chars().filter(|c| c.is_ascii_alphabetic()).count();
        let digits = w.chars().filter(|c| c.is_ascii_digit()).count();
        if letters == 0 || digits < 3 || !w.is_ascii() {
            return None;
        }
        Invoice::parse(w).ok().map(|i| i.as_str().to_string())
    })
}

/// Words (folded) that hint at an accepted reason (illness, accident, bereavement, a trip)
/// without saying it plainly enough to be sure: "chân còn bó bột", "phải vào viện".
const REASON_HINTS: &[&str] = &[
    "vien",
    "bac si",
    "bo bot",
    "phau thuat",
    "cap cuu",
    "kham",
    "thuoc",
    "sot",
    "benh",
    "mang thai",
    "bau",
    "sinh con",
    "sinh em be",
    "va cham",
    "nga",
    "gay",
    "bong",
    "tang",
    "dam tang",
    "dam hieu",
    "di xa",
    "viec gap",
    "dot xuat",
    "dieu tri",
    "xet nghiem",
    "covid",
    "cum",
    "hospital",
    "doctor",
    "surgery",
    "injured",
    "funeral",
    "pregnant",
    "travel",
];

/// Whether own words hint at an accepted reason (see `REASON_HINTS`): such a reason goes to
/// staff rather than being refused.
pub fn may_hold_reason(t: &str) -> bool {
    has_phrase(&fold(t), REASON_HINTS)
}

/// Reads a deferral request's first message. `today` resolves dates without a year: a payment
/// lies in the past, a scheduled or new date ahead.
pub fn read_request(message: &str, today: NaiveDate) -> Found {
    let mut found = Found::default();
    for part in message
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let folded = fold(part);
        if found.invoice.is_none() {
            if let Some(i) = invoice_in(part) {
                found.invoice = Some(i);
            }
        }
        match role_of(&folded) {
            Some(Role::Paid) if found.paid_on.is_none() => {
                found.paid_on = date_in(part, today, YearHint::Past);
            }
            Some(Role::Scheduled) if found.scheduled_on.is_none() => {
                found.scheduled_on = date_in(part, today, YearHint::Future);
            }
            Some(Role::New) if found.new_date.is_none() => {
                found.new_date = date_in(part, today, YearHint::Future);
            }
            _ => {}
        }
        // "xin dời sang 10/1 vì đi công tác": a reason may share its part with a date.
        if found.reason.is_none() && invoice_in(part).is_none() {
            if let Some(r) = classify_reason(part) {
                found.reason = Some(r);
                found.reason_text = Some(part.to_string());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const TODAY: (i32, u32, u32) = (2026, 12, 2);

    fn read(s: &str) -> Found {
        read_request(s, d(TODAY.0, TODAY.1, TODAY.2))
    }

    #[test]
    fn a_whole_request_in_one_message_fills_every_field_it_names() {
        let f = read("toi muon bao luu HD-2026-0012, dong tien 1/11, lich 15/12, toi bi om");
        assert_eq!(f.invoice.as_deref(), Some("HD-2026-0012"));
        assert_eq!(f.paid_on, Some(d(2026, 11, 1)));
        assert_eq!(f.scheduled_on, Some(d(2026, 12, 15)));
        assert_eq!(f.new_date, None);
        assert_eq!(f.reason, Some(ReasonHint::Illness));
        assert_eq!(f.reason_text.as_deref(), Some("toi bi om"));
        assert_eq!(f.count(), 4);
    }

    #[test]
    fn dates_with_diacritics_words_and_a_new_date() {
        let f = read("Tôi muốn bảo lưu hóa đơn QM123456; đã thanh toán ngày 3 tháng 11 năm 2026; lịch thi công 20/12/2026; xin dời sang 10/1/2027 vì đi công tác");
        assert_eq!(f.invoice.as_deref(), Some("QM123456"));
        assert_eq!(f.paid_on, Some(d(2026, 11, 3)));
        assert_eq!(f.scheduled_on, Some(d(2026, 12, 20)));
        assert_eq!(f.new_date, Some(d(2027, 1, 10)));
        assert_eq!(f.reason, Some(ReasonHint::BusinessTrip));
    }

    #[test]
    fn a_date_without_a_word_saying_which_it_is_is_not_taken() {
        let f = read("bao luu HD-2026-0012, 1/11, 15/12");
        assert_eq!(f.invoice.as_deref(), Some("HD-2026-0012"));
        assert_eq!((f.paid_on, f.scheduled_on, f.new_date), (None, None, None));
    }

    #[test]
    fn two_dates_in_one_part_are_ambiguous_and_left_for_the_questions() {
        let f = read("bao luu, dong tien 1/11 hoac 2/11");
        assert_eq!(f.paid_on, None);
    }

    #[test]
    fn own_words_that_hint_at_a_reason_are_told_from_words_that_hold_none() {
        for t in [
            "chân em còn bó bột",
            "em phải vào viện nằm theo dõi",
            "nhà có đám tang",
        ] {
            assert!(may_hold_reason(t), "{t}");
        }
        for t in ["em đổi ý rồi", "ban", "không thích nữa", "bận đi chơi"] {
            assert!(!may_hold_reason(t), "{t}");
        }
    }

    #[test]
    fn relative_dates_count_in_a_whole_request_and_vague_ones_are_left_to_ask() {
        let f = read("bao luu HD-2026-0012, dong tien hom qua, lich thu 7 tuan sau");
        assert_eq!(f.paid_on, Some(d(2026, 12, 1)));
        assert_eq!(f.scheduled_on, Some(d(2026, 12, 12)));
        let f = read("bao luu, dong tien cuoi thang truoc");
        assert_eq!(f.paid_on, None);
    }

    #[test]
    fn a_plain_request_finds_nothing() {
        assert_eq!(read("toi muon bao luu").count(), 0);
        assert_eq!(read("bảo lưu").count(), 0);
        // A phone number is not an invoice.
        assert_eq!(read("bao luu, sdt 0912345678").invoice, None);
    }
}
