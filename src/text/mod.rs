//! Reading what people type. Pure: nothing here touches the clock, the network or the
//! database.
//!
//! The submodules, in the order text flows through them (each uses only the ones above it):
//!
//! - [`fold`]: lowercase, diacritics dropped, "đ" → "d": what every reader below compares.
//! - [`intent`]: what a message asks for ([`detect_intent`], or [`Phrasebook::intent`] with a
//!   company's own phrases) and which reason it gives ([`classify_reason`]).
//! - [`answer`]: yes or no to a question the bot asked, negations, urgency, stars, small talk.
//! - [`reading`]: what an answer gave ([`Reading`]): a value, one to confirm, several to pick
//!   from, "I don't know", or nothing.
//! - [`date`]: day-first dates, inside words and relative to the day the message was sent
//!   ([`read_date`]), the year guessed from a [`YearHint`].
//! - [`ids`]: invoice and phone numbers in the forms people type them, also among words.
//! - [`request`]: a whole request message read at once: invoice, dates and reason.
//!
//! [`fold`]: mod@crate::text::fold
//! [`intent`]: crate::text::intent
//! [`detect_intent`]: crate::text::detect_intent
//! [`Phrasebook::intent`]: crate::text::Phrasebook::intent
//! [`classify_reason`]: crate::text::classify_reason
//! [`answer`]: crate::text::answer
//! [`reading`]: crate::text::reading
//! [`Reading`]: crate::text::Reading
//! [`read_date`]: crate::text::read_date
//! [`date`]: crate::text::date
//! [`YearHint`]: crate::text::YearHint
//! [`ids`]: crate::text::ids
//! [`request`]: crate::text::request

pub mod answer;
pub mod reading;
pub mod date;
pub mod fold;
pub mod ids;
pub mod intent;
pub mod request;

pub use intent::phrasebook;

pub use answer::{has_negation, is_small_talk, read_rating, read_urgency, read_yes_no};
pub use date::{parse_date, read_date, DateError, YearHint};
pub use fold::fold;
pub use ids::{read_invoice, read_phone, Invoice, InvoiceError, Phone, PhoneError};
pub use intent::{classify_reason, detect_intent, Intent, Question, ReasonHint};
pub use phrasebook::{intent_names, PhraseError, Phrasebook};
pub use reading::{says_dont_know, says_have_none, Reading};
pub use request::{may_hold_reason, read_request, Found};
