//! The intent phrases as one table a company can extend from its settings
//! file, on top of the built-in ones (the data files under `phrases/`).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use super::detect::detect;
use super::labels::Intent;
use super::matcher::Matcher;
use super::tables::{self, INTENTS};
use super::words::normalize_phrase;

/// The intents a company may add phrases to, in the settings file's `[phrases]` table, by the
/// names the data files use: every intent of the built-in tables but the answers (yes, no, "no
/// schedule", "no document"), which are read only when the bot asked.
fn names() -> impl Iterator<Item = &'static (&'static str, Intent)> {
    INTENTS.iter().filter(|(_, intent)| {
        !matches!(
            intent,
            Intent::Yes | Intent::No | Intent::NoSchedule | Intent::NoneAvailable
        )
    })
}

/// The keys accepted in [`Phrasebook::with_extra`]: "deferral", "refund",
/// ..., "ask_hotline", ..., "ask_aftercare".
pub fn intent_names() -> Vec<&'static str> {
    names().map(|(name, _)| *name).collect()
}

/// The intent named `name` in the settings file, if it takes extra phrases.
pub fn intent_by_name(name: &str) -> Option<Intent> {
    names().find(|(n, _)| *n == name).map(|(_, intent)| *intent)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhraseError {
    #[error("unknown intent {0:?}")]
    UnknownIntent(String),
    #[error("empty phrase for {0}")]
    Empty(String),
}

/// Phrases per intent: the built-in ones, plus the company's own.
#[derive(Debug, Clone)]
pub struct Phrasebook {
    /// In the built-in intent order; a company's phrases follow the built-in ones
    /// of their intent, so a built-in phrase wins a tie.
    table: Vec<(Intent, Vec<String>)>,
    /// `table` and the built-in masks, compiled.
    matcher: Arc<Matcher<Intent>>,
    /// Tells tables apart for the one-entry memo of [`Phrasebook::intent`].
    id: u64,
}

impl PartialEq for Phrasebook {
    fn eq(&self, other: &Phrasebook) -> bool {
        self.table == other.table
    }
}

impl Eq for Phrasebook {}

fn compile(table: &[(Intent, Vec<String>)]) -> Arc<Matcher<Intent>> {
    Arc::new(Matcher::new(&tables::builtin().intent_masks, table))
}

fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Phrasebook {
    /// The built-in table, read from the data files.
    pub fn builtin() -> &'static Phrasebook {
        static BUILTIN: OnceLock<Phrasebook> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let table = tables::builtin().intents.clone();
            Phrasebook {
                matcher: compile(&table),
                table,
                id: next_id(),
            }
        })
    }

    /// The built-in table plus `extra`, keyed by [`intent_names`]. Extra
    /// phrases are written as customers would type them, with diacritics
    /// and abbreviations ("xin lùi lịch", "sđt tổng đài"), and read like
    /// messages are; they count wherever they appear in a message. A
    /// leading `?` makes one count only in a message that asks something,
    /// a leading `=` only in a message made of such phrases alone.
    pub fn with_extra(extra: &BTreeMap<String, Vec<String>>) -> Result<Phrasebook, PhraseError> {
        let mut book = Phrasebook::builtin().clone();
        book.id = next_id();
        for (name, phrases) in extra {
            let intent =
                intent_by_name(name).ok_or_else(|| PhraseError::UnknownIntent(name.clone()))?;
            for phrase in phrases {
                let phrase =
                    normalize_phrase(phrase).ok_or_else(|| PhraseError::Empty(name.clone()))?;
                book.add(intent, phrase);
            }
        }
        book.matcher = compile(&book.table);
        Ok(book)
    }

    fn add(&mut self, intent: Intent, phrase: String) {
        match self.table.iter_mut().find(|(i, _)| *i == intent) {
            Some((_, phrases)) => {
                if !phrases.contains(&phrase) {
                    phrases.push(phrase);
                }
            }
            None => self.table.push((intent, vec![phrase])),
        }
    }

    /// The phrases of `intent`, as matched (folded, with their `=` or `?`).
    pub fn phrases(&self, intent: Intent) -> impl Iterator<Item = &str> {
        self.table
            .iter()
            .filter(move |(i, _)| *i == intent)
            .flat_map(|(_, phrases)| phrases.iter().map(String::as_str))
    }

    /// What the customer wants, read with this table; see
    /// [`detect_intent`] for the rules.
    pub fn intent(&self, input: &str) -> Option<Intent> {
        // One conversation step reads the same message several times: remember the last one.
        thread_local! {
            static LAST: std::cell::RefCell<Option<(u64, String, Option<Intent>)>> =
                const { std::cell::RefCell::new(None) };
        }
        let hit = LAST.with(|last| {
            last.borrow()
                .as_ref()
                .filter(|(id, text, _)| *id == self.id && text == input)
                .map(|(_, _, intent)| *intent)
        });
        if let Some(intent) = hit {
            return intent;
        }
        let intent = detect(&self.matcher, input);
        LAST.with(|last| *last.borrow_mut() = Some((self.id, input.to_string(), intent)));
        intent
    }
}

/// Detects what the customer wants, if anything clear, with the built-in
/// phrases ([`Phrasebook::builtin`](Phrasebook::builtin)).
///
/// Order of precedence: a message of only question marks is [`Intent::Why`];
/// then phrases found anywhere, by rank: Status; questions
/// ([`Intent::Ask`]) when the message reads as a question; Deferral,
/// Refund, Complaint, Cancel, whichever comes first; questions when the
/// message does not read as one; the policy in general
/// ([`Question::Policy`](super::Question::Policy)); the answers NoSchedule, NoneAvailable, Yes, No;
/// Menu; Why; Help. Then a message that is only a short answer ("không
/// ạ", "ok cảm ơn") or only a topic ("địa chỉ ạ"); greetings last.
///
/// Before ranking, a request worded as a question becomes the question
/// (see the module documentation): a refund phrase → RefundPolicy; a
/// complaint phrase → ComplaintProcess, unless the message already
/// complains ("dịch vụ tệ quá"); a deferral phrase with the company as
/// subject → CompanyPostpone, with "bao lâu", "mấy ngày" or (in a
/// question) "tối đa" → DeferLength, with words about the time since paying ("đóng tiền lâu
/// rồi") in a question → DeferWindow.
pub fn detect_intent(input: &str) -> Option<Intent> {
    Phrasebook::builtin().intent(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Question;

    fn extra(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn the_builtin_book_reads_like_detect_intent() {
        for input in [
            "tôi muốn bảo lưu",
            "có được hoàn tiền không",
            "số hotline là gì",
            "không ạ",
            "hôm nay trời đẹp",
            "?",
        ] {
            assert_eq!(
                Phrasebook::builtin().intent(input),
                detect_intent(input),
                "input {input:?}"
            );
        }
        assert!(std::ptr::eq(Phrasebook::builtin(), Phrasebook::builtin()));
    }

    #[test]
    fn an_extra_phrase_makes_a_new_wording_match_its_intent() {
        let book = Phrasebook::with_extra(&extra(&[
            ("deferral", &["dời buổi làm", "xin lùi lịch"]),
            ("ask_hotline", &["số tổng đài"]),
            ("ask_photos", &["?ảnh của tôi"]),
            ("complaint", &["Tố cáo"]),
        ]))
        .unwrap();
        let cases: &[(&str, Option<Intent>)] = &[
            ("em muốn dời buổi làm sang tuần sau", Some(Intent::Deferral)),
            ("doi buoi lam dc ko", Some(Intent::Deferral)),
            ("cho em xin lùi lịch", Some(Intent::Deferral)),
            ("số tổng đài", Some(Intent::Ask(Question::Hotline))),
            ("so tong dai la gi", Some(Intent::Ask(Question::Hotline))),
            (
                "ảnh của tôi để làm gì?",
                Some(Intent::Ask(Question::Photos)),
            ),
            // Extra phrases obey the same accent guards: "đợi" is waiting.
            ("đợi buổi làm", None),
            // "?" phrases need a question.
            ("ảnh của tôi đây", None),
            // And the same question reading as built-in ones.
            (
                "tố cáo thế nào",
                Some(Intent::Ask(Question::ComplaintProcess)),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(book.intent(input), *expected, "input {input:?}");
        }
        assert!(book.phrases(Intent::Deferral).any(|p| p == "doi buoi lam"));
        assert!(book
            .phrases(Intent::Ask(Question::Photos))
            .any(|p| p == "?anh cua toi"));
    }

    #[test]
    fn the_builtin_table_is_unchanged_by_extra_phrases() {
        let before = Phrasebook::builtin().clone();
        let book = Phrasebook::with_extra(&extra(&[
            ("deferral", &["dời buổi làm"]),
            ("ask_hotline", &["số tổng đài"]),
        ]))
        .unwrap();
        assert_ne!(&book, Phrasebook::builtin());
        assert_eq!(&before, Phrasebook::builtin());
        assert_eq!(detect_intent("em muốn dời buổi làm"), None);
        assert_eq!(
            detect_intent("số tổng đài"),
            Some(Intent::Ask(Question::Hotline))
        );
        assert_eq!(Phrasebook::builtin().intent("dời buổi làm"), None);
        let builtin: Vec<&str> = Phrasebook::builtin().phrases(Intent::Deferral).collect();
        let listed: Vec<&str> = tables::builtin()
            .intents
            .iter()
            .filter(|(i, _)| *i == Intent::Deferral)
            .flat_map(|(_, p)| p.iter().map(String::as_str))
            .collect();
        assert_eq!(builtin, listed);
    }

    #[test]
    fn no_extra_phrases_is_the_builtin_table() {
        assert_eq!(
            &Phrasebook::with_extra(&BTreeMap::new()).unwrap(),
            Phrasebook::builtin()
        );
    }

    #[test]
    fn an_unknown_intent_name_is_refused() {
        for name in ["deferal", "yes", "no", "ask_refund", "Deferral", ""] {
            assert_eq!(
                Phrasebook::with_extra(&extra(&[(name, &["abc"])])),
                Err(PhraseError::UnknownIntent(name.to_string())),
                "name {name:?}"
            );
        }
        assert_eq!(
            PhraseError::UnknownIntent("deferal".into()).to_string(),
            "unknown intent \"deferal\""
        );
    }

    #[test]
    fn an_empty_phrase_is_refused() {
        for phrase in ["", "   ", "!!!", "=", "?"] {
            assert_eq!(
                Phrasebook::with_extra(&extra(&[("refund", &[phrase])])),
                Err(PhraseError::Empty("refund".into())),
                "phrase {phrase:?}"
            );
        }
        assert_eq!(
            PhraseError::Empty("refund".into()).to_string(),
            "empty phrase for refund"
        );
    }

    #[test]
    fn every_name_is_accepted_and_every_question_has_a_name() {
        let names = intent_names();
        assert_eq!(names.len(), 23);
        for name in &names {
            assert!(intent_by_name(name).is_some(), "{name}");
            assert!(Phrasebook::with_extra(&extra(&[(name, &["xyz abc"])])).is_ok());
        }
        use Question::*;
        for q in [
            Hotline,
            Address,
            Email,
            Website,
            Contact,
            RefundPolicy,
            DeferLength,
            DeferWindow,
            MissedDate,
            CompanyPostpone,
            Photos,
            ComplaintProcess,
            Aftercare,
            Policy,
        ] {
            assert!(super::names().any(|(_, i)| *i == Intent::Ask(q)), "{q:?}");
            assert!(
                Phrasebook::builtin()
                    .phrases(Intent::Ask(q))
                    .next()
                    .is_some(),
                "{q:?}"
            );
        }
    }

    #[test]
    fn the_memo_never_answers_for_another_table() {
        let text = "em xin lùi buổi hẹn";
        let book = Phrasebook::with_extra(&extra(&[("deferral", &["lùi buổi hẹn"])])).unwrap();
        assert_eq!(Phrasebook::builtin().intent(text), None);
        assert_eq!(book.intent(text), Some(Intent::Deferral));
        assert_eq!(Phrasebook::builtin().intent(text), None);
        assert_eq!(book.intent(text), Some(Intent::Deferral));
    }
}
