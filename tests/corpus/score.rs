//! Scores the labelled corpus (`tests/corpus/*.tsv`): what the bot reads from each message
//! against what the customer meant. Shared by the integration test and `cargo bench`.

use std::collections::BTreeMap;

use cskh::dialogue::{read_job_done, read_notice};
use cskh::text::{self, Phrasebook};

pub const INTENTS: &str = include_str!("intents.tsv");
pub const ANSWERS: &str = include_str!("answers.tsv");
pub const REASONS: &str = include_str!("reasons.tsv");

/// The rows of a corpus file: tab-separated fields, `#` lines are comments.
pub fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

/// What the bot reads from a message sent outside a form.
pub fn read_intent(book: &Phrasebook, message: &str) -> String {
    if text::is_small_talk(message) {
        return "SmallTalk".into();
    }
    match book.intent(message) {
        Some(i) => format!("{i:?}"),
        None => "None".into(),
    }
}

/// What the bot reads from an answer to a rule-deciding yes/no question.
pub fn read_answer(book: &Phrasebook, question: &str, message: &str) -> String {
    let read = match question {
        "notice" => read_notice(message, book),
        "job_done" => read_job_done(message, book),
        "confirm" => text::read_yes_no(message),
        other => panic!("unknown question {other:?} in answers.tsv"),
    };
    match read {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unsure",
    }
    .into()
}

pub fn read_reason(message: &str) -> String {
    match text::classify_reason(message) {
        Some(r) => format!("{r:?}"),
        None => "None".into(),
    }
}

/// One misreading: the file, what was expected, what was read, the message. The tests print
/// the misses; the benchmark only counts them.
#[derive(Debug, Clone)]
#[allow(dead_code)]
pub struct Miss {
    pub file: &'static str,
    pub expected: String,
    pub read: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Score {
    /// Per label: (right, total).
    pub per_label: BTreeMap<String, (usize, usize)>,
    pub misses: Vec<Miss>,
    /// Yes read as no, or no as yes: never allowed.
    pub wrong_way: Vec<Miss>,
}

impl Score {
    pub fn right(&self) -> usize {
        self.per_label.values().map(|(r, _)| r).sum()
    }
    pub fn total(&self) -> usize {
        self.per_label.values().map(|(_, t)| t).sum()
    }
    pub fn accuracy(&self) -> f64 {
        self.right() as f64 / self.total() as f64
    }
    fn record(
        &mut self,
        file: &'static str,
        label: String,
        expected: &str,
        read: String,
        msg: &str,
    ) {
        let entry = self.per_label.entry(label).or_default();
        entry.1 += 1;
        if read == expected {
            entry.0 += 1;
            return;
        }
        let miss = Miss {
            file,
            expected: expected.to_string(),
            read: read.clone(),
            message: msg.to_string(),
        };
        if matches!((expected, read.as_str()), ("yes", "no") | ("no", "yes")) {
            self.wrong_way.push(miss.clone());
        }
        self.misses.push(miss);
    }
}

/// Every message of the corpus read with `book`.
pub fn score(book: &Phrasebook) -> Score {
    let mut s = Score::default();
    for row in rows(INTENTS) {
        let (expected, msg) = (row[0], row[1]);
        let read = read_intent(book, msg);
        s.record("intents.tsv", expected.to_string(), expected, read, msg);
    }
    for row in rows(ANSWERS) {
        let (question, expected, msg) = (row[0], row[1], row[2]);
        let read = read_answer(book, question, msg);
        s.record(
            "answers.tsv",
            format!("{question}:{expected}"),
            expected,
            read,
            msg,
        );
    }
    for row in rows(REASONS) {
        let (expected, msg) = (row[0], row[1]);
        let read = read_reason(msg);
        s.record(
            "reasons.tsv",
            format!("reason:{expected}"),
            expected,
            read,
            msg,
        );
    }
    s
}
