//! Invoice numbers and Vietnamese mobile phone numbers typed by customers.

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;

use super::fold;
use super::reading::{says_have_none, Reading};

/// A normalised invoice number: uppercase, no spaces, 4..=20 characters
/// from `A-Z 0-9 - / . _`, with at least one digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Invoice(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceError {
    #[error("empty")]
    Empty,
    #[error("too short")]
    TooShort,
    #[error("too long")]
    TooLong,
    #[error("bad characters")]
    BadCharacters,
    #[error("no digit")]
    NoDigit,
}

const INVOICE_MIN_LEN: usize = 4;
const INVOICE_MAX_LEN: usize = 20;

/// Folded labels customers put before the number, stripped when followed by
/// a space or a colon ("Số hóa đơn: HD 778").
const INVOICE_LABELS: &[&str] = &["hoa don", "ma so", "ma", "so", "invoice", "inv"];

/// Labels stripped only when followed by a colon, because they are also a
/// common start of the number itself ("HD: 778" but "HD778", "HD 778").
const INVOICE_COLON_LABELS: &[&str] = &["hd"];

/// `input` without the labels and marks before the number ("Số hóa đơn: #", "hd:") and the
/// sentence marks after it.
fn strip_invoice_labels(input: &str) -> &str {
    let mut rest = input.trim();
    loop {
        let before = rest;
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '#' || c == ':');
        for label in INVOICE_LABELS {
            if let Some(after) = strip_folded_prefix(rest, label) {
                if after.starts_with(|c: char| c.is_whitespace() || c == ':') {
                    rest = after;
                    break;
                }
            }
        }
        for label in INVOICE_COLON_LABELS {
            if let Some(after) = strip_folded_prefix(rest, label) {
                if after.trim_start().starts_with(':') {
                    rest = after;
                    break;
                }
            }
        }
        if rest == before {
            break;
        }
    }
    rest.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | '!' | '?'))
}

/// Why `compact` (no spaces, "Đ" read as "D") is not an invoice number, if it is not.
fn check_invoice(compact: &str) -> Result<(), InvoiceError> {
    if compact.is_empty() {
        return Err(InvoiceError::Empty);
    }
    if !compact
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | '_'))
    {
        return Err(InvoiceError::BadCharacters);
    }
    let len = compact.len();
    if len < INVOICE_MIN_LEN {
        return Err(InvoiceError::TooShort);
    }
    if len > INVOICE_MAX_LEN {
        return Err(InvoiceError::TooLong);
    }
    if !compact.chars().any(|c| c.is_ascii_digit()) {
        return Err(InvoiceError::NoDigit);
    }
    Ok(())
}

impl Invoice {
    /// Normalises what the customer typed into an invoice number.
    ///
    /// Drops a leading `#` and labels such as "số", "hóa đơn", "hd:",
    /// a trailing sentence period, and inner spaces; reads `Đ` as `D`;
    /// uppercases the rest.
    pub fn parse(input: &str) -> Result<Invoice, InvoiceError> {
        let rest = strip_invoice_labels(input);
        // "HĐ" (hóa đơn) is often typed with the Vietnamese letter.
        let compact: String = rest
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if matches!(c, 'đ' | 'Đ') { 'D' } else { c })
            .collect();
        check_invoice(&compact)?;
        Ok(Invoice(compact.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// If `s` starts with text that folds to `label` (diacritics, case and
/// runs of whitespace ignored), returns what follows it.
fn strip_folded_prefix<'a>(s: &'a str, label: &str) -> Option<&'a str> {
    let mut folded = String::new();
    for (index, c) in s.char_indices() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            if !folded.ends_with(' ') {
                folded.push(' ');
            }
        } else {
            folded.push_str(&fold(c.encode_utf8(&mut [0; 4])));
        }
        if folded == label {
            let after = &s[index + c.len_utf8()..];
            return Some(after.trim_start_matches(is_combining_mark));
        }
        if !label.starts_with(folded.as_str()) {
            return None;
        }
    }
    None
}

/// A Vietnamese mobile number in national form, `0` followed by nine digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("not a phone number")]
    NotANumber,
    #[error("wrong length")]
    WrongLength,
    #[error("not a Vietnamese mobile number")]
    NotMobile,
}

/// Digits after the `0` / `84` prefix.
const SUBSCRIBER_DIGITS: usize = 9;
/// First digit after the prefix of Vietnamese mobile ranges.
const MOBILE_LEADING_DIGITS: &[char] = &['3', '5', '7', '8', '9'];

impl Phone {
    /// Accepts `0904718078`, `+84904718078`, `84904718078` and `0084…`,
    /// ignoring spaces, dots, dashes and parentheses.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '(' | ')'))
            .collect();
        let (plus, digits) = match compact.strip_prefix('+') {
            Some(digits) => (true, digits),
            None => (false, compact.as_str()),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PhoneError::NotANumber);
        }

        let subscriber = if plus {
            digits.strip_prefix("84").ok_or(PhoneError::NotMobile)?
        } else if let Some(rest) = digits.strip_prefix("0084") {
            rest
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else if let Some(rest) = digits.strip_prefix("84") {
            rest
        } else {
            return Err(PhoneError::WrongLength);
        };
        if subscriber.len() != SUBSCRIBER_DIGITS {
            return Err(PhoneError::WrongLength);
        }
        if !subscriber.starts_with(MOBILE_LEADING_DIGITS) {
            return Err(PhoneError::NotMobile);
        }
        Ok(Phone(format!("0{subscriber}")))
    }

    /// National form, `0904718078`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// International form, `+84904718078`.
    pub fn e164(&self) -> String {
        format!("+84{}", &self.0[1..])
    }

    /// Grouped 3-4-3 for people, `090 4718 078`.
    pub fn display(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..7], &self.0[7..])
    }
}

/// Words said around a number that are not part of it ("QM123456 a", "HD-1 nha").
const PARTICLES: &[&str] = &[
    "a", "e", "ah", "nha", "nhe", "ne", "ad", "shop", "la", "cua", "em", "da", "ok", "oke", "vay",
    "hay", "hoac", "va", "voi", "or",
];

/// An invoice number found among the words of an answer: "so hoa don la HD-2026-0012 a",
/// "dạ số 778899 ạ", "hd QM123456 nha". A short answer made of the number alone ("HD 2026
/// 001", "Số hóa đơn: HD 778") is read whole, as typed. Two different numbers are asked
/// about; "em không nhớ", "mất rồi" say there is none.
pub fn read_invoice(input: &str) -> Reading<Invoice> {
    let rest = strip_invoice_labels(input);
    let short = rest.split_whitespace().count() <= 3
        && rest.is_ascii()
        && rest
            .split_whitespace()
            .filter(|w| w.bytes().any(|b| b.is_ascii_digit()) && w.len() >= 4)
            .count()
            <= 1 + usize::from(rest.split_whitespace().all(|w| w.len() <= 4))
        && rest.split_whitespace().all(|w| {
            w.bytes().any(|b| b.is_ascii_digit())
                || (w.len() <= 4
                    && w.bytes().all(|b| b.is_ascii_alphabetic())
                    && !PARTICLES.contains(&w.to_ascii_lowercase().as_str()))
        });
    if short {
        if let Ok(i) = Invoice::parse(rest) {
            if Phone::parse(rest).is_err() {
                return Reading::Value(i);
            }
        }
    }
    let words: Vec<&str> = input
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '!' | '?' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ':' | '#' | '"' | '\'')))
        .filter(|w| !w.is_empty())
        .collect();
    let mut found: Vec<Invoice> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        // "HD 2026 0045": a prefix typed in capitals, then groups of digits.
        let mut token = w.replace(['đ', 'Đ'], "D");
        let mut used = 1;
        let groups = words[i + 1..]
            .iter()
            .take_while(|n| n.bytes().all(|b| b.is_ascii_digit()))
            .count();
        let letters_only = token.len() <= 4 && token.bytes().all(|b| b.is_ascii_alphabetic());
        // Typed in capitals ("HD 778"), or a prefix before two groups of digits ("hd 2026 0045").
        if letters_only && (token.bytes().all(|b| b.is_ascii_uppercase()) || groups >= 2) {
            while let Some(next) = words.get(i + used) {
                if next.bytes().all(|b| b.is_ascii_digit()) {
                    token.push_str(next);
                    used += 1;
                } else {
                    break;
                }
            }
        }
        let digits = token.bytes().filter(u8::is_ascii_digit).count();
        let letters = token.bytes().filter(u8::is_ascii_alphabetic).count();
        let date_like = letters == 0
            && token.contains(['/', '-', '.'])
            && token
                .split(['/', '-', '.'])
                .all(|g| g.len() <= 2 || g.len() == 4)
            && token
                .split(['/', '-', '.'])
                .filter(|g| g.len() == 4)
                .count()
                <= 1
            && token.split(['/', '-', '.']).count() <= 3
            && token
                .split(['/', '-', '.'])
                .filter(|g| g.len() <= 2)
                .count()
                >= 2;
        let number_like = token.is_ascii()
            && digits >= 3
            && (letters > 0 || digits >= 4)
            && !date_like
            && Phone::parse(&token).is_err();
        if number_like {
            if let Ok(inv) = Invoice::parse(&token) {
                if !found.contains(&inv) {
                    found.push(inv);
                }
            }
        }
        i += used;
    }
    match found.len() {
        1 => Reading::Value(found.remove(0)),
        0 if says_have_none(input) => Reading::DontKnow,
        0 => Reading::Nothing,
        _ => Reading::Choose(found),
    }
}

/// A phone number found among the words of an answer: "so cua e la 0912 345 678 nhe", "sđt:
/// 0912-345-678 ạ", "+84 912 345 678". Two different numbers are asked about; "ko co sdt"
/// says there is none.
pub fn read_phone(input: &str) -> Reading<Phone> {
    if let Ok(p) = Phone::parse(input) {
        return Reading::Value(p);
    }
    let mut found: Vec<Phone> = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, found: &mut Vec<Phone>| {
        let t = run.trim_matches(|c: char| !c.is_ascii_digit() && c != '+');
        if t.bytes().filter(u8::is_ascii_digit).count() >= 9 {
            if let Ok(p) = Phone::parse(t) {
                if !found.contains(&p) {
                    found.push(p);
                }
            }
        }
        run.clear();
    };
    for c in input.chars() {
        if c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')') {
            // A space after a whole number ends it: "0912345678 0987654321" are two.
            if c == '+' && run.bytes().any(|b| b.is_ascii_digit()) {
                flush(&mut run, &mut found);
            }
            run.push(c);
        } else {
            flush(&mut run, &mut found);
        }
    }
    flush(&mut run, &mut found);
    match found.len() {
        1 => Reading::Value(found.remove(0)),
        0 if says_have_none(input) => Reading::DontKnow,
        0 => Reading::Nothing,
        _ => Reading::Choose(found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_numbers_are_normalised() {
        let cases: &[(&str, &str)] = &[
            ("HD-2026-0012", "HD-2026-0012"),
            ("hd-2026-0012", "HD-2026-0012"),
            ("qm12345", "QM12345"),
            ("# 1234", "1234"),
            ("#1234", "1234"),
            ("Số hóa đơn: HD 778", "HD778"),
            ("so hoa don: hd 778", "HD778"),
            ("số: 2026/778", "2026/778"),
            ("Hóa đơn HD2026-001", "HD2026-001"),
            ("HD2026-001", "HD2026-001"),
            ("HD 2026 001", "HD2026001"),
            ("HD: 778899", "778899"),
            ("hd:QM-55", "QM-55"),
            ("mã số: ab_12.3", "AB_12.3"),
            ("  INV 2026 / 55  ", "2026/55"),
            ("HD778.", "HD778"),
            ("hóa đơn: HĐ2026", "HD2026"),
            ("hđ 2026-77", "HD2026-77"),
            ("12345678901234567890", "12345678901234567890"),
            // Decomposed diacritics in the label.
            ("So\u{0302}\u{0301} 4455", "4455"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Invoice::parse(input).as_ref().map(Invoice::as_str),
                Ok(*expected),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn malformed_invoice_numbers_are_refused_with_a_reason() {
        let thirty_digits = "1".repeat(30);
        let cases: &[(&str, InvoiceError)] = &[
            ("", InvoiceError::Empty),
            ("   ", InvoiceError::Empty),
            ("#", InvoiceError::Empty),
            ("Số hóa đơn:", InvoiceError::Empty),
            ("abc", InvoiceError::TooShort),
            ("12", InvoiceError::TooShort),
            ("# 1-2", InvoiceError::TooShort),
            ("xin chào bạn", InvoiceError::BadCharacters),
            ("HD#2026", InvoiceError::BadCharacters),
            ("HD,2026", InvoiceError::BadCharacters),
            ("HĐ-ngày-5", InvoiceError::BadCharacters),
            (&thirty_digits, InvoiceError::TooLong),
            ("HD-2026-0012-0000-00001", InvoiceError::TooLong),
            ("ABCDEF", InvoiceError::NoDigit),
            ("xin chao ban", InvoiceError::NoDigit),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Invoice::parse(input),
                Err(expected.clone()),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn vietnamese_mobile_numbers_are_normalised_in_every_form() {
        // (input, national, e164, display)
        let cases: &[(&str, &str, &str, &str)] = &[
            ("0904718078", "0904718078", "+84904718078", "090 4718 078"),
            ("0904 718 078", "0904718078", "+84904718078", "090 4718 078"),
            ("0904.718.078", "0904718078", "+84904718078", "090 4718 078"),
            ("090-471-8078", "0904718078", "+84904718078", "090 4718 078"),
            (
                "(090) 4718 078",
                "0904718078",
                "+84904718078",
                "090 4718 078",
            ),
            ("+84904718078", "0904718078", "+84904718078", "090 4718 078"),
            (
                "+84 904 718 078",
                "0904718078",
                "+84904718078",
                "090 4718 078",
            ),
            ("84904718078", "0904718078", "+84904718078", "090 4718 078"),
            (
                "0084 904 718 078",
                "0904718078",
                "+84904718078",
                "090 4718 078",
            ),
            (
                "  0321234567 ",
                "0321234567",
                "+84321234567",
                "032 1234 567",
            ),
            ("0581234567", "0581234567", "+84581234567", "058 1234 567"),
            ("0701234567", "0701234567", "+84701234567", "070 1234 567"),
            ("0861234567", "0861234567", "+84861234567", "086 1234 567"),
        ];
        for (input, national, e164, display) in cases {
            let phone = Phone::parse(input).unwrap_or_else(|e| panic!("input {input:?}: {e}"));
            assert_eq!(phone.as_str(), *national, "input {input:?}");
            assert_eq!(phone.e164(), *e164, "input {input:?}");
            assert_eq!(phone.display(), *display, "input {input:?}");
        }
    }

    #[test]
    fn anything_but_a_vietnamese_mobile_number_is_refused_with_a_reason() {
        let cases: &[(&str, PhoneError)] = &[
            ("", PhoneError::NotANumber),
            ("abc", PhoneError::NotANumber),
            ("sđt 0904718078", PhoneError::NotANumber),
            ("09047l8078", PhoneError::NotANumber),
            ("+", PhoneError::NotANumber),
            ("0904+718078", PhoneError::NotANumber),
            ("090471807", PhoneError::WrongLength),
            ("09047180781", PhoneError::WrongLength),
            ("+8490471807", PhoneError::WrongLength),
            ("8490471807899", PhoneError::WrongLength),
            ("904718078", PhoneError::WrongLength),
            ("024 3826 1234", PhoneError::WrongLength),
            ("0236382211", PhoneError::NotMobile),
            ("0112345678", PhoneError::NotMobile),
            ("0612345678", PhoneError::NotMobile),
            ("+84 236 382 211", PhoneError::NotMobile),
            ("+1 202 555 0123", PhoneError::NotMobile),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Phone::parse(input),
                Err(expected.clone()),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn numbers_are_found_among_words() {
        let inv = |s: &str| match read_invoice(s) {
            Reading::Value(i) => i.as_str().to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(inv("so hoa don la HD-2026-0012 a"), "HD-2026-0012");
        assert_eq!(inv("dạ số 778899 ạ"), "778899");
        assert_eq!(inv("hd QM123456 nha"), "QM123456");
        assert_eq!(inv("HD 2026 001"), "HD2026001");
        assert_eq!(inv("hd của e là HD 2026 0045"), "HD20260045");
        assert_eq!(inv("Số hóa đơn: HD 778"), "HD778");
        assert_eq!(inv("số hđ 2026/778"), "2026/778");
        assert_eq!(read_invoice("e ko nho so hd"), Reading::DontKnow);
        assert!(matches!(
            read_invoice("HD-2026-0012 hay HD-2026-0021"),
            Reading::Choose(v) if v.len() == 2
        ));
        // A date or a phone number is not an invoice.
        assert_eq!(read_invoice("dong tien 3/11 a"), Reading::Nothing);
        assert_eq!(read_invoice("sdt 0912345678 a"), Reading::Nothing);
        let phone = |s: &str| match read_phone(s) {
            Reading::Value(p) => p.as_str().to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(phone("so cua e la 0912 345 678 nhe"), "0912345678");
        assert_eq!(phone("sđt: 0912-345-678 ạ"), "0912345678");
        assert_eq!(phone("+84 912 345 678 a"), "0912345678");
        assert_eq!(
            phone("số e là 0978111222, cty gọi sau 5h nhé"),
            "0978111222"
        );
        assert!(matches!(
            read_phone("0912345678 hoặc 0987654321"),
            Reading::Choose(v) if v.len() == 2
        ));
        assert_eq!(read_phone("e ko co sdt"), Reading::DontKnow);
        assert_eq!(read_phone("091234567"), Reading::Nothing);
    }
}
