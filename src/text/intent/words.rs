//! A message as words ([`Token`]s) and the matching of one phrase at one place: folding,
//! abbreviations, accent guards, and the one typo a phrase forgives.

use std::collections::HashSet;
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::lexicon::{
    ABBREVIATIONS, ACCENT_GUARDS, ACCENT_KEYS, ASKING_WORDS, FILLERS, QUESTION_WORDS, SOFT_FILLERS,
};
use super::tables;
use crate::text::fold;

/// One word of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    /// What phrases are matched against: folded, expanded.
    pub(super) key: String,
    /// The word as typed, lowercased and NFC, for [`ACCENT_GUARDS`].
    pub(super) typed: String,
    /// Produced by abbreviation expansion, so accents say nothing about it.
    pub(super) expanded: bool,
}

pub(super) fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for word in input
        .split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
    {
        let typed: String = word.nfc().collect::<String>().to_lowercase();
        let folded = fold(word);
        if ACCENT_KEYS.contains(&typed.as_str()) {
            tokens.push(Token {
                key: typed.clone(),
                typed,
                expanded: false,
            });
        } else if let Some(&(_, expansion)) = ABBREVIATIONS.iter().find(|(abbr, _)| *abbr == folded)
        {
            tokens.extend(expansion.split(' ').map(|part| Token {
                key: part.to_string(),
                typed: typed.clone(),
                expanded: true,
            }));
        } else {
            tokens.push(Token {
                key: folded,
                typed,
                expanded: false,
            });
        }
    }
    tokens
}

/// A phrase as the matcher sees it: folded and expanded word by word the
/// way messages are, with its leading `=` or `?` kept. `None` when no word
/// is left ("", "!!!").
pub(super) fn normalize_phrase(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (marker, body) = match raw.chars().next() {
        Some(c @ ('=' | '?')) => (c.to_string(), &raw[1..]),
        _ => (String::new(), raw),
    };
    let keys: Vec<String> = tokenize(body).into_iter().map(|t| t.key).collect();
    (!keys.is_empty()).then(|| format!("{marker}{}", keys.join(" ")))
}

/// Whether the customer typed with Vietnamese diacritics at all.
pub(super) fn is_accented(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| !t.expanded && t.key != t.typed)
}

pub(super) fn word_matches(token: &Token, word: &str, accented: bool) -> bool {
    if !word.is_ascii() && !ACCENT_KEYS.contains(&word) {
        return pinned_matches(token, word, accented);
    }
    if token.key != word {
        return false;
    }
    if !accented || token.expanded {
        return true;
    }
    ACCENT_GUARDS
        .iter()
        .find(|(folded, _)| *folded == word)
        .is_none_or(|(_, spellings)| spellings.contains(&token.typed.as_str()))
}

/// A phrase word written with its diacritics ("thời gian", "vắng mặt")
/// when its folded form is guarded for another word ("thoi", "mat"): in a
/// message with diacritics it matches only that spelling, in one without,
/// its folded form.
fn pinned_matches(token: &Token, word: &str, accented: bool) -> bool {
    if accented && !token.expanded {
        token.typed == word.nfc().collect::<String>()
    } else {
        token.key == fold(word)
    }
}

/// A phrase without its `=` or `?` marker.
pub(super) fn bare(phrase: &str) -> &str {
    phrase.strip_prefix(['=', '?']).unwrap_or(phrase)
}

/// Number of words of `phrase` if it matches at `tokens[start..]`.
pub(super) fn match_at(
    tokens: &[&Token],
    start: usize,
    phrase: &str,
    accented: bool,
) -> Option<usize> {
    let phrase = bare(phrase);
    let several = phrase.contains(' ');
    let mut len = 0;
    let mut typo = false;
    for word in phrase.split(' ') {
        let token = tokens.get(start + len)?;
        if !word_matches(token, word, accented) {
            // One mistyped word per phrase, in a message typed without diacritics ("hotlne",
            // "hoan tiem"), never the whole of a short one-word phrase.
            let long_enough = if several { 3 } else { 6 };
            let forgivable = !accented
                && !typo
                && word.is_ascii()
                && word.len() >= long_enough
                && !known_word(&token.key)
                && one_edit_apart(&token.key, word);
            if !forgivable {
                return None;
            }
            typo = true;
        }
        len += 1;
    }
    Some(len)
}

/// Every word the phrase tables use, folded: a word customers really use is never a typo of
/// another ("luu" is not a mistyped "lau").
pub(super) fn known_word(word: &str) -> bool {
    static KNOWN: OnceLock<HashSet<String>> = OnceLock::new();
    KNOWN.get_or_init(known_words).contains(word)
}

/// The words of the intent phrases and masks, abbreviations (both sides), fillers, and
/// question and asking words, folded.
fn known_words() -> HashSet<String> {
    let tables = tables::builtin();
    let phrases = tables
        .intents
        .iter()
        .flat_map(|(_, ps)| ps.iter())
        .chain(&tables.intent_masks);
    let mut words: HashSet<String> = phrases
        .flat_map(|p| bare(p).split(' ').map(fold).collect::<Vec<_>>())
        .collect();
    for (short, long) in ABBREVIATIONS {
        words.insert(fold(short));
        words.extend(long.split(' ').map(fold));
    }
    for w in FILLERS
        .iter()
        .chain(SOFT_FILLERS)
        .chain(QUESTION_WORDS)
        .chain(ASKING_WORDS)
    {
        words.extend(w.split(' ').map(fold));
    }
    words
}

/// Whether two words differ by one letter changed, added, dropped, or two neighbours swapped
/// (an optimal string alignment distance of one), the first letter kept.
fn one_edit_apart(a: &str, b: &str) -> bool {
    a.chars().next() == b.chars().next() && strsim::osa_distance(a, b) == 1
}

/// A word said for politeness or to address someone, not for its sense ("ạ", "anh", "nhé").
pub(super) fn is_filler(token: &Token) -> bool {
    FILLERS.contains(&token.key.as_str()) || SOFT_FILLERS.contains(&token.key.as_str())
}

/// Whether any of `phrases` occurs in `tokens[from..]`.
pub(super) fn contains_from(
    tokens: &[&Token],
    from: usize,
    phrases: &[&str],
    accented: bool,
) -> bool {
    (from..tokens.len()).any(|i| {
        phrases
            .iter()
            .any(|p| match_at(tokens, i, p, accented).is_some())
    })
}

pub(super) fn contains(tokens: &[&Token], phrases: &[&str], accented: bool) -> bool {
    contains_from(tokens, 0, phrases, accented)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::intent::lexicon::{
        COMPANY_SUBJECTS, EMOTIVE_COMPLAINTS, LENGTH_WORDS, MAX_WORDS, REQUEST_WORDS,
    };

    #[test]
    fn abbreviations_expand_before_matching() {
        let cases: &[(&str, &[&str])] = &[
            ("ko dc", &["khong", "duoc"]),
            ("đc", &["duoc"]),
            ("lm j", &["lam", "gi"]),
            ("ntn", &["nhu", "the", "nao"]),
            ("ad ơi", &["admin", "oi"]),
            ("email", &["email"]),
            ("sđt", &["so", "dien", "thoai"]),
            ("SĐT cty", &["so", "dien", "thoai", "cong", "ty"]),
            ("số đt", &["so", "dien", "thoai"]),
        ];
        for (input, expected) in cases {
            let keys: Vec<String> = tokenize(input).into_iter().map(|t| t.key).collect();
            assert_eq!(keys, *expected, "input {input:?}");
        }
    }

    #[test]
    fn every_phrase_is_written_the_way_messages_are_read() {
        // Folded, lowercase, single-spaced, abbreviations expanded, "hoãn"
        // kept accented: exactly what `normalize_phrase` makes of it.
        let data = super::tables::builtin();
        let tables = data
            .intents
            .iter()
            .flat_map(|(_, p)| p.iter().map(String::as_str))
            .chain(
                data.reasons
                    .iter()
                    .flat_map(|(_, p)| p.iter().map(String::as_str)),
            )
            .chain(data.intent_masks.iter().map(String::as_str))
            .chain(data.reason_masks.iter().map(String::as_str))
            .chain(QUESTION_WORDS.iter().copied())
            .chain(ASKING_WORDS.iter().copied())
            .chain(REQUEST_WORDS.iter().copied())
            .chain(LENGTH_WORDS.iter().copied())
            .chain(MAX_WORDS.iter().copied())
            .chain(COMPANY_SUBJECTS.iter().copied())
            .chain(EMOTIVE_COMPLAINTS.iter().copied());
        for phrase in tables {
            // Words written with diacritics on purpose, see the data files.
            let folded: Vec<String> = phrase
                .split(' ')
                .map(|w| {
                    if ACCENT_KEYS.contains(&w) {
                        w.to_string()
                    } else {
                        fold(w)
                    }
                })
                .collect();
            let folded = folded.join(" ");
            assert_eq!(
                normalize_phrase(&folded).as_deref(),
                Some(folded.as_str()),
                "phrase {phrase:?}"
            );
            for word in bare(phrase).split(' ').filter(|w| !w.is_ascii()) {
                assert!(
                    ACCENT_KEYS.contains(&word)
                        || ACCENT_GUARDS.iter().any(|(g, _)| *g == fold(word)),
                    "{word:?} in {phrase:?} needs no diacritics"
                );
            }
        }
    }
}
