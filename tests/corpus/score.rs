//! Scores the labelled corpus: what the bot reads from each message against what the customer
//! meant. Shared by the integration test and `cargo bench`.
//!
//! Two parts, scored apart: `tuning/` (the phrase tables may be tuned on it) and `heldout/`
//! (written before the readers were changed; never tuned on, only scored).
//!
//! Files: `intents.tsv` (`expected<TAB>message`, a message outside a form), `answers.tsv`
//! (`question<TAB>yes|no|unsure<TAB>message`), `reasons.tsv` (`expected<TAB>message`), and
//! `fields.tsv` (`question<TAB>expected<TAB>message`: an answer to one question of a form).
//!
//! Expected values in `fields.tsv`: a date `2026-11-20`; `about:2026-12-31` (not a single day:
//! shown back to be confirmed or corrected); `choose:2026-12-20,2026-12-21` (two candidates,
//! asked about); `none` (words with no value: asked again with help, or "no invoice" where that
//! is an answer); `unsure` (nothing readable: asked again); `no_schedule`; an invoice or phone
//! number as normalised; `yes`/`no`; `urgent`/`normal`; a rating `1`–`5`; a reason or a cause.
//! Every message is read as sent on [`TODAY`] (a Wednesday).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use cskh::dialogue::{complaint::read_category, read_cause, read_job_done, read_notice};
use cskh::policy::refund::RefundCause;
use cskh::text::{self, Intent, Invoice, Phone, Phrasebook, Reading, YearHint};

/// The date every corpus message is read as sent on (in the company's time zone).
pub const TODAY: (i32, u32, u32) = (2026, 12, 2);

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

/// A part of the corpus: its name and its files (name, text).
pub struct Part {
    pub name: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

pub const TUNING: Part = Part {
    name: "tuning",
    files: &[
        ("intents.tsv", include_str!("tuning/intents.tsv")),
        ("answers.tsv", include_str!("tuning/answers.tsv")),
        ("reasons.tsv", include_str!("tuning/reasons.tsv")),
        ("fields.tsv", include_str!("tuning/fields.tsv")),
    ],
};

pub const HELDOUT: Part = Part {
    name: "heldout",
    files: &[
        ("intents.tsv", include_str!("heldout/intents.tsv")),
        ("fields.tsv", include_str!("heldout/fields.tsv")),
    ],
};

pub const PARTS: [&Part; 2] = [&TUNING, &HELDOUT];

/// The rows of a corpus file: tab-separated fields, `#` lines are comments.
pub fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

/// Every message sent outside a form, in both parts (the time per message is measured on them).
#[allow(dead_code)]
pub fn intent_messages() -> Vec<&'static str> {
    PARTS
        .iter()
        .flat_map(|p| p.files.iter())
        .filter(|(name, _)| *name == "intents.tsv")
        .flat_map(|(_, tsv)| rows(tsv).map(|r| r[1]))
        .collect()
}

/// Every answer to a question of a form, in both parts: (question, message).
#[allow(dead_code)]
pub fn field_messages() -> Vec<(&'static str, &'static str)> {
    PARTS
        .iter()
        .flat_map(|p| p.files.iter())
        .filter(|(name, _)| *name == "fields.tsv")
        .flat_map(|(_, tsv)| rows(tsv).map(|r| (r[0], r[2])))
        .collect()
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

fn yes_no(read: Option<bool>) -> String {
    match read {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unsure",
    }
    .into()
}

/// What the bot reads from an answer to a rule-deciding yes/no question.
pub fn read_answer(book: &Phrasebook, question: &str, message: &str) -> String {
    yes_no(match question {
        "notice" => read_notice(message, book),
        "job_done" => read_job_done(message, book),
        "confirm" => text::read_yes_no(message),
        other => panic!("unknown question {other:?} in answers.tsv"),
    })
}

pub fn read_reason(message: &str) -> String {
    match text::classify_reason(message) {
        Some(r) => format!("{r:?}"),
        None => "None".into(),
    }
}

/// A reading as the corpus writes it: `2026-11-20`, `about:…`, `choose:a,b`, `none`, `unsure`.
fn reading<T>(read: Reading<T>, show: impl Fn(&T) -> String) -> String {
    match read {
        Reading::Value(v) => show(&v),
        Reading::About(v) => format!("about:{}", show(&v)),
        Reading::Choose(vs) => format!(
            "choose:{}",
            vs.iter().map(&show).collect::<Vec<_>>().join(",")
        ),
        Reading::DontKnow => "none".into(),
        Reading::Nothing => "unsure".into(),
    }
}

fn date(question: &str, message: &str, hint: YearHint) -> String {
    let today = today();
    match text::read_date(message, today, hint) {
        // A payment date ahead of today is explained and asked again.
        Ok(Reading::Value(d)) if question == "paid" && d > today => "unsure".into(),
        Ok(r) => reading(r, |d: &NaiveDate| d.to_string()),
        Err(_) => "unsure".into(),
    }
}

/// What the bot reads from an answer to one question of a form, as its question reads it.
pub fn read_field(book: &Phrasebook, question: &str, message: &str) -> String {
    let intent = || book.intent(message);
    let invoice = |i: &Invoice| i.as_str().to_string();
    match question {
        "invoice" => reading(text::read_invoice(message), invoice),
        "complaint_invoice" => match text::read_invoice(message) {
            Reading::Nothing => match intent() {
                Some(Intent::No | Intent::NoneAvailable) => "none".into(),
                _ => "unsure".into(),
            },
            r => reading(r, invoice),
        },
        "paid" | "postpone_original" => date(question, message, YearHint::Past),
        "scheduled" if intent() == Some(Intent::NoSchedule) => "no_schedule".into(),
        "scheduled" | "new_date" | "postpone_new" => date(question, message, YearHint::Future),
        "phone" => match Phone::parse(message) {
            Ok(p) => p.as_str().to_string(),
            Err(_) => reading(text::read_phone(message), |p: &Phone| {
                p.as_str().to_string()
            }),
        },
        "notice" | "job_done" | "confirm" => read_answer(book, question, message),
        "consent" => yes_no(match (text::read_yes_no(message), intent()) {
            (Some(v), _) => Some(v),
            (None, Some(Intent::Yes)) => Some(true),
            (None, Some(Intent::No)) => Some(false),
            _ => None,
        }),
        "confirmation" => match intent() {
            Some(Intent::NoneAvailable | Intent::No) => "none".into(),
            _ if text::says_have_none(message) && !text::says_dont_know(message) => "none".into(),
            _ => "unsure".into(),
        },
        "reason" => read_reason(message),
        "cause" => match read_cause(message, book) {
            Some(RefundCause::JobNotDone) => "company".into(),
            Some(RefundCause::Own) => "own".into(),
            None => "unsure".into(),
        },
        "urgency" => match text::read_urgency(message) {
            Some(true) => "urgent".into(),
            Some(false) => "normal".into(),
            None => "unsure".into(),
        },
        "rating" => match text::read_rating(message) {
            Some(n) => n.to_string(),
            None => "unsure".into(),
        },
        "category" => match read_category(message) {
            Some(c) => c.code().to_string(),
            None => "unsure".into(),
        },
        other => panic!("unknown question {other:?} in fields.tsv"),
    }
}

/// The kind of an expected value, for the label it is counted under: `paid:date`,
/// `paid:about`, `invoice:value`, `notice:no`.
fn kind(question: &str, expected: &str) -> String {
    let k = if expected.starts_with("about:") {
        "about"
    } else if expected.starts_with("choose:") {
        "choose"
    } else if expected.len() == 10 && expected.as_bytes()[4] == b'-' {
        "date"
    } else if matches!(question, "invoice" | "complaint_invoice" | "phone")
        && !matches!(expected, "none" | "unsure")
    {
        "value"
    } else {
        expected
    };
    format!("{question}:{k}")
}

/// The date a reading gives as the value (taken, or shown to be confirmed), if any.
fn date_of(read: &str) -> Option<&str> {
    let d = read.strip_prefix("about:").unwrap_or(read);
    (d.len() == 10 && d.as_bytes()[4] == b'-' && d[..4].bytes().all(|b| b.is_ascii_digit()))
        .then_some(d)
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
    /// A date read as another date (or a date read where there was none): never allowed.
    pub wrong_date: Vec<Miss>,
    /// A question read as a request (it would start a form instead of being answered).
    pub question_as_request: Vec<Miss>,
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
    /// The labels read right least often, worst first.
    pub fn worst(&self, n: usize) -> Vec<(&str, usize, usize)> {
        let mut v: Vec<(&str, usize, usize)> = self
            .per_label
            .iter()
            .map(|(l, (r, t))| (l.as_str(), *r, *t))
            .collect();
        v.sort_by(|a, b| {
            (a.1 as f64 / a.2 as f64)
                .total_cmp(&(b.1 as f64 / b.2 as f64))
                .then(b.2.cmp(&a.2))
        });
        v.truncate(n);
        v
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
        if let Some(d) = date_of(&read) {
            if date_of(expected) != Some(d) {
                self.wrong_date.push(miss.clone());
            }
        }
        if expected.starts_with("Ask(")
            && matches!(read.as_str(), "Deferral" | "Refund" | "Complaint")
        {
            self.question_as_request.push(miss.clone());
        }
        self.misses.push(miss);
    }
}

/// Every message of one part read with `book`.
pub fn score_part(book: &Phrasebook, part: &Part) -> Score {
    let mut s = Score::default();
    for &(file, tsv) in part.files {
        for row in rows(tsv) {
            match file {
                "intents.tsv" => {
                    let (expected, msg) = (row[0], row[1]);
                    let read = read_intent(book, msg);
                    s.record(file, expected.to_string(), expected, read, msg);
                }
                "answers.tsv" => {
                    let (question, expected, msg) = (row[0], row[1], row[2]);
                    let read = read_answer(book, question, msg);
                    s.record(file, format!("{question}:{expected}"), expected, read, msg);
                }
                "reasons.tsv" => {
                    let (expected, msg) = (row[0], row[1]);
                    let read = read_reason(msg);
                    s.record(file, format!("reason:{expected}"), expected, read, msg);
                }
                "fields.tsv" => {
                    let (question, expected, msg) = (row[0], row[1], row[2]);
                    let read = read_field(book, question, msg);
                    s.record(file, kind(question, expected), expected, read, msg);
                }
                other => panic!("unknown corpus file {other}"),
            }
        }
    }
    s
}

/// Both parts, scored apart: (part name, score).
pub fn score(book: &Phrasebook) -> Vec<(&'static str, Score)> {
    PARTS
        .iter()
        .map(|p| (p.name, score_part(book, p)))
        .collect()
}
