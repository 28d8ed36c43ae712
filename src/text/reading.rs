//! What an answer to a question gave: one value, a value that is not exact (to be confirmed),
//! several candidates (to be asked about), words saying the customer does not know, or nothing.
//! A reader never picks one of two values: the customer does.

use super::fold;

/// The value an answer holds, found among the words around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading<T> {
    /// One value, said plainly ("dạ ngày 3/11 ạ").
    Value(T),
    /// A value that is not a single day or not said exactly ("cuối tháng", "tầm ngày 20"): shown
    /// back for the customer to confirm or correct, never taken silently.
    About(T),
    /// Two or more values ("20/12 hoặc 21/12"): the customer picks one.
    Choose(Vec<T>),
    /// Words saying the customer does not know or does not have it ("em không nhớ").
    DontKnow,
    /// No value in the words.
    Nothing,
}

impl<T> Reading<T> {
    /// The value when it was said plainly.
    pub fn value(self) -> Option<T> {
        match self {
            Reading::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// Folded phrases that say "I don't know / don't remember".
const DONT_KNOW: &[&str] = &[
    "khong nho",
    "ko nho",
    "k nho",
    "kh nho",
    "hok nho",
    "hong nho",
    "chang nho",
    "cha nho",
    "chua nho",
    "quen",
    "khong biet",
    "ko biet",
    "k biet",
    "ko bit",
    "k bit",
    "khong bit",
    "chua biet",
    "chua bit",
    "chua ro",
    "khong ro",
    "ko ro",
    "k ro",
    "chiu",
    "dont know",
    "don't know",
    "not sure",
    "forgot",
    "no idea",
];

/// Folded phrases that say "I don't have it" (an invoice, a phone number).
const HAVE_NONE: &[&str] = &[
    "khong co",
    "ko co",
    "k co",
    "kh co",
    "hok co",
    "hong co",
    "chua co",
    "mat roi",
    "lam mat",
    "mat hoa don",
    "mat hd",
    "mat luon",
    "bi mat",
    "khong giu",
    "ko giu",
    "k giu",
    "none",
];

/// `folded` with every run of non-alphanumeric characters as one space, padded with spaces
/// so a phrase can be looked for on word boundaries.
pub(crate) fn padded_words(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len() + 2);
    out.push(' ');
    for c in folded.chars() {
        if c.is_alphanumeric() || c == '\'' {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Whether `padded` (see [`padded_words`]) holds one of `phrases` as whole words.
pub(crate) fn has_phrase(padded: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        padded
            .match_indices(p)
            .any(|(i, _)| padded[..i].ends_with(' ') && padded[i + p.len()..].starts_with(' '))
    })
}

/// Whether the words say the customer does not know or remember the value.
pub fn says_dont_know(input: &str) -> bool {
    has_phrase(&padded_words(&fold(input)), DONT_KNOW)
}

/// Whether the words say the customer does not have it (or does not know it).
pub fn says_have_none(input: &str) -> bool {
    let padded = padded_words(&fold(input));
    has_phrase(&padded, HAVE_NONE) || has_phrase(&padded, DONT_KNOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_knowing_and_not_having_are_read_on_word_boundaries() {
        for t in [
            "em không nhớ",
            "ko nho ngay nao",
            "quên rồi ạ",
            "e chua biet",
        ] {
            assert!(says_dont_know(t), "{t}");
        }
        for t in ["ngày 3/11", "nhớ chứ, 3/11", "mai a"] {
            assert!(!says_dont_know(t), "{t}");
        }
        assert!(says_have_none("mất hóa đơn rồi"));
        assert!(says_have_none("ko co hd a"));
        assert!(!says_have_none("có, số QM123456 ạ"));
    }
}
