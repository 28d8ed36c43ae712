//! Recognising what a customer wants from a free-text message.
//!
//! Messages are folded (see [`fold()`](super::fold())), split into words and
//! chat abbreviations are expanded ("ko" → "khong"). Phrases are then matched
//! on whole words only, so "mai" never matches inside "email".
//!
//! Folding loses accents, and a few Vietnamese words collide once folded
//! ("hủy" cancel / "Huy" a name, "thôi" enough / "thời" time, "có" yes /
//! "cô" miss). When the customer types with diacritics, `ACCENT_GUARDS`
//! keeps only the intended spelling; without diacritics the folded word is
//! all we have and it matches.
//!
//! Questions about the policy ([`Intent::Ask`]) come from two places:
//! phrases of their own in the data files under `phrases/` ("số hotline", "quy trình khiếu
//! nại"), and requests that are worded as questions. "Có được hoàn tiền
//! không" holds the refund phrase but asks about the refund policy; "tôi
//! muốn hoàn tiền" asks for a refund. The wording of the whole message
//! decides (see `Mood`): question words ("không" at the end, "?", "có
//! được", "bao giờ", "thế nào", "how", "can I") make it a question, unless
//! it also has request wording ("muốn", "cho tôi", "làm thủ tục", "yêu
//! cầu", "xin" + an action), which wins; words that only ask ("cho hỏi",
//! "muốn biết", "tìm hiểu") make it a question whatever else it says.
//!
//! The files, in the order a message flows through them (each uses only the ones above it):
//!
//! - `labels`: [`Intent`], [`Question`], [`ReasonHint`], what a message can mean.
//! - `lexicon`: the hand-written word lists (abbreviations, accent guards, question and request
//!   words).
//! - `tables`: the phrase tables, data files under `phrases/`, parsed once.
//! - `words`: a message as words, and whether a phrase matches at one place.
//! - `matcher`: every phrase of a table found in a message at once.
//! - `scan`: the phrases kept, left to right; messages that are only answers or topics.
//! - `mood`: whether the message is worded as a question or a request.
//! - `detect`: the intent of a message, by rank.
//! - `reason`: [`classify_reason`], the reason given for a deferral.
//! - [`phrasebook`]: the tables a company may extend, and [`detect_intent`] with the built-in one.

mod detect;
mod labels;
mod lexicon;
mod matcher;
mod mood;
pub mod phrasebook;
mod reason;
mod scan;
mod tables;
mod words;

#[cfg(test)]
mod tests;

pub use labels::{Intent, Question, ReasonHint};
pub use lexicon::ABBREVIATIONS;
pub use phrasebook::detect_intent;
pub use reason::classify_reason;
