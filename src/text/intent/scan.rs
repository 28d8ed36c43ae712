//! Finding the phrases of a table in a message, left to right, and reading messages made
//! only of answers ("không ạ") or only of question topics ("địa chỉ ạ").

use super::labels::Intent;
use super::lexicon::{FILLERS, PRONOUNS, SOFT_FILLERS};
use super::matcher::{Hit, Matcher};
use super::words::{is_filler, Token};

/// Which marked phrases may count.
#[derive(Debug, Clone, Copy)]
pub(super) struct Allow {
    /// `=` phrases: the message is only answers.
    pub(super) answers: bool,
    /// `?` phrases: the message asks something, or is only topics.
    pub(super) questions: bool,
}

pub(super) const PLAIN: Allow = Allow {
    answers: false,
    questions: false,
};

const ANSWERS: Allow = Allow {
    answers: true,
    questions: false,
};

const WHOLE: Allow = Allow {
    answers: true,
    questions: true,
};

fn allowed(phrase: &str, allow: Allow) -> bool {
    match phrase.as_bytes().first() {
        Some(b'=') => allow.answers,
        Some(b'?') => allow.questions,
        _ => true,
    }
}

/// Longest phrase among `hits` (masks too when `masks`; the earlier entry wins a tie).
/// `None` inside `Some` means a mask.
fn longest<T: Copy>(
    matcher: &Matcher<T>,
    hits: &[Hit],
    masks: bool,
    allow: Allow,
) -> Option<(usize, Option<T>)> {
    let mut best: Option<(usize, Option<T>)> = None;
    for hit in hits {
        let label = matcher.label(hit.entry);
        if (label.is_none() && !masks) || !allowed(matcher.phrase(hit.entry), allow) {
            continue;
        }
        if best.is_none_or(|(b, _)| hit.len > b) {
            best = Some((hit.len, label));
        }
    }
    best
}

/// A phrase found in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found<T> {
    pub(super) pos: usize,
    pub(super) len: usize,
    pub(super) label: T,
}

/// Every phrase found anywhere, left to right, longest first, no overlaps.
pub(super) fn scan<T: Copy>(
    tokens: &[&Token],
    matcher: &Matcher<T>,
    allow: Allow,
    accented: bool,
) -> Vec<Found<T>> {
    let hits = matcher.hits(tokens, accented);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match longest(matcher, &hits[i], true, allow) {
            Some((len, label)) => {
                if let Some(label) = label {
                    found.push(Found { pos: i, len, label });
                }
                i += len;
            }
            None => i += 1,
        }
    }
    found
}

/// The intent of a message made only of answer phrases of one intent
/// ("không ạ"), or only of question topics of one kind ("địa chỉ ạ",
/// "sđt?").
pub(super) fn whole_message(
    tokens: &[&Token],
    matcher: &Matcher<Intent>,
    accented: bool,
) -> Option<Intent> {
    answers_only(tokens, matcher, accented).or_else(|| topics_only(tokens, matcher, accented))
}

/// Fillers dropped first, then every word must belong to a phrase.
fn answers_only(tokens: &[&Token], matcher: &Matcher<Intent>, accented: bool) -> Option<Intent> {
    let content: Vec<&Token> = tokens
        .iter()
        .copied()
        .filter(|t| !FILLERS.contains(&t.key.as_str()))
        .collect();
    let core: Vec<&Token> = content
        .iter()
        .copied()
        .filter(|t| !SOFT_FILLERS.contains(&t.key.as_str()))
        .collect();
    let words = if core.is_empty() { content } else { core };

    let hits = matcher.hits(&words, accented);
    let mut intent = None;
    let mut i = 0;
    while i < words.len() {
        let (len, found) = longest(matcher, &hits[i], false, ANSWERS)?;
        let found = found?;
        if intent.is_some_and(|seen| seen != found) {
            return None;
        }
        intent = Some(found);
        i += len;
    }
    intent
}

/// Phrases first, particles between them: "địa chỉ" holds "chị", a
/// filler. Pronouns are not skipped here: "em bận không đến được" is a
/// statement, not the topic "không đến được". Only questions come out of
/// here; answers are [`answers_only`]'s.
fn topics_only(tokens: &[&Token], matcher: &Matcher<Intent>, accented: bool) -> Option<Intent> {
    let hits = matcher.hits(tokens, accented);
    let mut intent = None;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        // "ạ" is read as "a", then "anh": a particle, not a pronoun.
        let filler = (token.expanded && token.key == "anh")
            || (is_filler(token) && !PRONOUNS.contains(&token.key.as_str()) && token.key != "ban");
        match longest(matcher, &hits[i], false, WHOLE) {
            Some((len, Some(found @ Intent::Ask(_)))) if len > 1 || !filler => {
                if intent.is_some_and(|seen| seen != found) {
                    return None;
                }
                intent = Some(found);
                i += len;
            }
            _ if filler => i += 1,
            _ => return None,
        }
    }
    intent
}
