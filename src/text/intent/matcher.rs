//! Finding every phrase of a table in a message at once: one Aho-Corasick pass over the
//! message's words for exact matches, then a look for one-letter typos around the words no
//! phrase table knows.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};

use super::lexicon::ACCENT_KEYS;
use super::words::{bare, known_word, match_at, Token};
use crate::text::fold;

/// A table compiled for matching: masks first, then phrases in table order. An earlier
/// entry wins a tie between matches of the same length at the same place.
#[derive(Debug)]
pub(super) struct Matcher<T> {
    /// The phrase (with its `=` or `?`) and its label; `None` for a mask.
    entries: Vec<(String, Option<T>)>,
    /// Over the phrases' word keys joined by spaces.
    automaton: AhoCorasick,
    /// Per automaton pattern: its number of words and the entries that have it.
    patterns: Vec<(usize, Vec<usize>)>,
    /// Per first byte, the phrase words (ASCII, three letters or more) and where they occur
    /// (entry, word position): where a mistyped word may belong.
    words: WordIndex,
}

/// A phrase found at one place: its entry and number of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hit {
    pub entry: usize,
    pub len: usize,
}

/// The key a message word must have to match `word` exactly.
fn key_of(word: &str) -> String {
    if word.is_ascii() || ACCENT_KEYS.contains(&word) {
        word.to_string()
    } else {
        fold(word)
    }
}

/// Masks first (label `None`), then every phrase of `table` with its label, in table order.
fn entries<T: Copy, S: AsRef<str>, L: AsRef<[S]>>(
    masks: &[S],
    table: &[(T, L)],
) -> Vec<(String, Option<T>)> {
    masks
        .iter()
        .map(|m| (m.as_ref().to_string(), None))
        .chain(table.iter().flat_map(|(label, phrases)| {
            phrases
                .as_ref()
                .iter()
                .map(move |p| (p.as_ref().to_string(), Some(*label)))
        }))
        .collect()
}

/// The automaton's patterns (each phrase's word keys joined by spaces, once each) and, per
/// pattern, its number of words and the entries that have it.
fn patterns<T>(entries: &[(String, Option<T>)]) -> (Vec<String>, Vec<(usize, Vec<usize>)>) {
    let mut keys: Vec<String> = Vec::new();
    let mut patterns: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (e, (phrase, _)) in entries.iter().enumerate() {
        let parts: Vec<&str> = bare(phrase).split(' ').collect();
        let key = parts
            .iter()
            .map(|w| key_of(w))
            .collect::<Vec<_>>()
            .join(" ");
        let id = *index.entry(key.clone()).or_insert_with(|| {
            keys.push(key);
            patterns.push((parts.len(), Vec::new()));
            patterns.len() - 1
        });
        patterns[id].1.push(e);
    }
    (keys, patterns)
}

/// Per first byte, the phrase words (ASCII, three letters or more) and where they occur.
type WordIndex = HashMap<u8, Vec<(String, Vec<(usize, usize)>)>>;

fn word_index<T>(entries: &[(String, Option<T>)]) -> WordIndex {
    let mut words: WordIndex = HashMap::new();
    for (e, (phrase, _)) in entries.iter().enumerate() {
        for (j, word) in bare(phrase).split(' ').enumerate() {
            if word.is_ascii() && word.len() >= 3 {
                let list = words.entry(word.as_bytes()[0]).or_default();
                match list.iter_mut().find(|(w, _)| w == word) {
                    Some((_, at)) => at.push((e, j)),
                    None => list.push((word.to_string(), vec![(e, j)])),
                }
            }
        }
    }
    words
}

/// The message's word keys joined by spaces, and where each word starts in it.
fn haystack(tokens: &[&Token]) -> (String, Vec<usize>) {
    let mut haystack = String::new();
    let mut starts: Vec<usize> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if !haystack.is_empty() {
            haystack.push(' ');
        }
        starts.push(haystack.len());
        haystack.push_str(&token.key);
    }
    (haystack, starts)
}

impl<T: Copy> Matcher<T> {
    pub fn new<S: AsRef<str>, L: AsRef<[S]>>(masks: &[S], table: &[(T, L)]) -> Matcher<T> {
        let entries = entries(masks, table);
        let (keys, patterns) = patterns(&entries);
        let words = word_index(&entries);
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .expect("phrase automaton");
        Matcher {
            entries,
            automaton,
            patterns,
            words,
        }
    }

    /// The phrase of `entry`, with its marker.
    pub fn phrase(&self, entry: usize) -> &str {
        &self.entries[entry].0
    }

    /// The label of `entry`; `None` for a mask.
    pub fn label(&self, entry: usize) -> Option<T> {
        self.entries[entry].1
    }

    /// Every phrase that matches at each place of `tokens` (exactly, or with the one typo
    /// [`match_at`] forgives), per starting word.
    pub fn hits(&self, tokens: &[&Token], accented: bool) -> Vec<Vec<Hit>> {
        let mut hits: Vec<Vec<Hit>> = vec![Vec::new(); tokens.len()];
        self.exact_hits(tokens, accented, &mut hits);
        if !accented {
            self.typo_hits(tokens, &mut hits);
        }
        for at in &mut hits {
            at.sort_by_key(|h| h.entry);
        }
        hits
    }

    /// The phrases the automaton finds on whole words, confirmed word by word.
    fn exact_hits(&self, tokens: &[&Token], accented: bool, hits: &mut [Vec<Hit>]) {
        let (haystack, starts) = haystack(tokens);
        let bytes = haystack.as_bytes();
        for m in self.automaton.find_overlapping_iter(&haystack) {
            if m.end() < bytes.len() && bytes[m.end()] != b' ' {
                continue;
            }
            let Ok(start) = starts.binary_search(&m.start()) else {
                continue;
            };
            let (len, entries) = &self.patterns[m.pattern().as_usize()];
            for &entry in entries {
                if match_at(tokens, start, &self.entries[entry].0, accented) == Some(*len) {
                    hits[start].push(Hit { entry, len: *len });
                }
            }
        }
    }

    /// The phrases that match once a word no table knows is read as the phrase word one
    /// letter away from it; only in messages typed without diacritics.
    fn typo_hits(&self, tokens: &[&Token], hits: &mut [Vec<Hit>]) {
        for (k, token) in tokens.iter().enumerate() {
            let key = token.key.as_str();
            if !key.is_ascii() || key.is_empty() || known_word(key) {
                continue;
            }
            let Some(list) = self.words.get(&key.as_bytes()[0]) else {
                continue;
            };
            for (word, at) in list {
                if word.len().abs_diff(key.len()) > 1 || strsim::osa_distance(key, word) != 1 {
                    continue;
                }
                for &(entry, j) in at {
                    self.try_typo_at(tokens, k, entry, j, hits);
                }
            }
        }
    }

    /// Whether `entry`, whose word `j` may be the mistyped `tokens[k]`, matches there.
    fn try_typo_at(
        &self,
        tokens: &[&Token],
        k: usize,
        entry: usize,
        j: usize,
        hits: &mut [Vec<Hit>],
    ) {
        let Some(start) = k.checked_sub(j) else {
            return;
        };
        if hits[start].iter().any(|h| h.entry == entry) {
            return;
        }
        if let Some(len) = match_at(tokens, start, &self.entries[entry].0, false) {
            hits[start].push(Hit { entry, len });
        }
    }
}
