//! How a message is worded: a question, a request, or both.

use super::lexicon::{
    ASKING_WORDS, INFO_WORDS, PRONOUNS, QUESTION_PARTICLES, QUESTION_WORDS, REQUEST_WORDS,
    XIN_NOT_ASKING,
};
use super::words::{contains, contains_from, is_filler, Token};

/// How the message is worded: asking, or asking for something to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mood {
    /// Read as a question: question words without request wording, or
    /// words that only ask.
    pub(super) question: bool,
    /// Request wording ("muốn", "cho tôi", "xin" + action).
    pub(super) request: bool,
    /// Words that only ask ("cho hỏi", "muốn biết").
    pub(super) asking: bool,
    /// Asks for something, a question or not ("cho xin số", "sđt?"):
    /// `?` phrases count.
    pub(super) asks: bool,
}

impl Mood {
    pub(super) fn of(input: &str, tokens: &[&Token], accented: bool) -> Mood {
        let has = |phrases: &[&str]| contains(tokens, phrases, accented);
        let last = last_word(tokens);
        let ends_with_khong = last.is_some_and(|t| t.key == "khong");
        let asking = has(ASKING_WORDS) || conditional(tokens, ends_with_khong, accented);
        let marked = input.contains(['?', '？'])
            || ends_with_particle(tokens)
            || ends_with_khong
            || has(QUESTION_WORDS);
        let xin = xin_asks(tokens);
        let request =
            has(REQUEST_WORDS) || xin || needs(tokens) || last.is_some_and(|t| t.key == "di");
        let asks = marked
            || asking
            || xin
            || has(INFO_WORDS)
            || tokens.first().is_some_and(|t| t.key == "cho");
        Mood {
            question: asking || (marked && !request),
            request,
            asking,
            asks,
        }
    }
}

/// The last word that says something: fillers and "thế", "ta", "hả", "nào" skipped.
fn last_word<'a>(tokens: &[&'a Token]) -> Option<&'a Token> {
    tokens
        .iter()
        .rev()
        .find(|t| !is_filler(t) && !matches!(t.key.as_str(), "the" | "ta" | "ha" | "nao"))
        .copied()
}

/// A question particle as the very last word, as typed ("à", "hả", "nhỉ").
fn ends_with_particle(tokens: &[&Token]) -> bool {
    tokens
        .last()
        .is_some_and(|t| QUESTION_PARTICLES.contains(&t.typed.as_str()))
}

/// "muốn bảo lưu thì phải báo trước mấy ngày": "thì" (then) followed by a question word
/// asks what happens, whatever request words come before it ("thi công" is the job).
fn conditional(tokens: &[&Token], ends_with_khong: bool, accented: bool) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        t.key == "thi"
            && tokens.get(i + 1).is_some_and(|next| next.key != "cong")
            && (contains_from(tokens, i + 1, QUESTION_WORDS, accented) || ends_with_khong)
    })
}

/// "xin" followed by what is asked for ("xin hoàn tiền"), not "xin chào" or "xin lỗi".
fn xin_asks(tokens: &[&Token]) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        t.key == "xin"
            && tokens
                .get(i + 1)
                .is_some_and(|next| !XIN_NOT_ASKING.contains(&next.key.as_str()))
    })
}

/// "cần" (need) after a pronoun ("tôi cần") or first ("cần hoàn tiền"), but not "can I".
fn needs(tokens: &[&Token]) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        t.key == "can"
            && match i.checked_sub(1) {
                None => tokens.get(1).is_none_or(|next| next.key != "i"),
                Some(p) => PRONOUNS.contains(&tokens[p].key.as_str()),
            }
    })
}
