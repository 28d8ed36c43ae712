//! Turning a message into an [`Intent`]: phrases found, requests worded as questions turned
//! into the question, then the best one by rank.

use super::labels::{Intent, Question};
use super::lexicon::{
    COMPANY_SUBJECTS, EMOTIVE_COMPLAINTS, GREETING_WORDS, LENGTH_WORDS, MAX_WORDS, PAID_TIME_WORDS,
    SUBJECT_MODALS,
};
use super::matcher::Matcher;
use super::mood::Mood;
use super::scan::{scan, whole_message, Allow, Found};
use super::words::{contains, is_accented, match_at, tokenize, Token};

/// Whether the deferral phrase at `pos` has the company as its subject
/// ("công ty có được dời lịch", "bên mình hoãn lịch").
fn company_subject_before(tokens: &[&Token], pos: usize, accented: bool) -> bool {
    let mut end = pos;
    while end > 0 && SUBJECT_MODALS.contains(&tokens[end - 1].key.as_str()) {
        end -= 1;
    }
    COMPANY_SUBJECTS.iter().any(|subject| {
        let len = subject.split(' ').count();
        end >= len
            && match_at(tokens, end - len, subject, accented).is_some()
            && !(end - len > 0 && GREETING_WORDS.contains(&tokens[end - len - 1].key.as_str()))
    })
}

/// Turns requests worded as questions into the question they ask.
fn read_questions(found: &mut [Found<Intent>], tokens: &[&Token], mood: Mood, accented: bool) {
    let emotive = contains(tokens, EMOTIVE_COMPLAINTS, accented);
    let not_a_request = !mood.request || mood.asking;
    let since_paying = contains(tokens, PAID_TIME_WORDS, accented);
    let how_long = contains(tokens, LENGTH_WORDS, accented)
        || (mood.question && contains(tokens, MAX_WORDS, accented));
    for f in found.iter_mut() {
        f.label = match f.label {
            Intent::Deferral | Intent::Ask(Question::DeferLength)
                if not_a_request && company_subject_before(tokens, f.pos, accented) =>
            {
                Intent::Ask(Question::CompanyPostpone)
            }
            Intent::Deferral | Intent::Ask(Question::DeferLength)
                if mood.question && since_paying =>
            {
                Intent::Ask(Question::DeferWindow)
            }
            Intent::Deferral if not_a_request && how_long => Intent::Ask(Question::DeferLength),
            Intent::Refund if mood.question => Intent::Ask(Question::RefundPolicy),
            Intent::Complaint if mood.question && !emotive => {
                Intent::Ask(Question::ComplaintProcess)
            }
            other => other,
        };
    }
}

/// Lower wins. Within a rank the phrase that comes first wins.
fn rank(intent: Intent, question: bool) -> u8 {
    match intent {
        Intent::Status => 0,
        Intent::Ask(Question::Policy) => 4,
        Intent::Ask(_) if question => 1,
        Intent::Deferral | Intent::Refund | Intent::Complaint | Intent::Cancel => 2,
        Intent::Ask(_) => 3,
        Intent::NoSchedule | Intent::NoneAvailable | Intent::Yes | Intent::No => 5,
        Intent::Menu => 6,
        Intent::Why => 7,
        Intent::Help => 8,
        Intent::Greeting => 9,
    }
}

/// A message of only question marks ("??"): the customer asks why.
fn only_question_marks(input: &str) -> bool {
    let trimmed = input.trim();
    !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| matches!(c, '?' | '？') || c.is_whitespace())
}

/// [`detect_intent`](super::detect_intent) with any phrase table, compiled with the built-in
/// intent masks.
pub(super) fn detect(matcher: &Matcher<Intent>, input: &str) -> Option<Intent> {
    if only_question_marks(input) {
        return Some(Intent::Why);
    }

    let tokens = tokenize(input);
    let accented = is_accented(&tokens);
    let words: Vec<&Token> = tokens.iter().collect();
    let mood = Mood::of(input, &words, accented);
    let allow = Allow {
        answers: false,
        questions: mood.asks,
    };
    let mut found = scan(&words, matcher, allow, accented);
    read_questions(&mut found, &words, mood, accented);

    let best = found
        .iter()
        .filter(|f| f.label != Intent::Greeting)
        .min_by_key(|f| (rank(f.label, mood.question), f.pos));
    if let Some(f) = best {
        return Some(f.label);
    }
    if let Some(intent) = whole_message(&words, matcher, accented) {
        return Some(intent);
    }
    found.first().map(|f| f.label)
}
