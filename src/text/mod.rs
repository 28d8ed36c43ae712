//! Pure text helpers for the customer-care bot: folding, dates,
//! identifiers and intent detection. Nothing here touches the clock,
//! the network or the database.

pub mod answer;
pub mod date;
pub mod fold;
pub mod ids;
pub mod intent;
pub mod request;

pub use intent::phrasebook;

pub use answer::{has_negation, is_small_talk, read_yes_no};
pub use date::{parse_date, DateError, YearHint};
pub use fold::fold;
pub use ids::{Invoice, InvoiceError, Phone, PhoneError};
pub use intent::{classify_reason, detect_intent, Intent, Question, ReasonHint};
pub use phrasebook::{intent_names, PhraseError, Phrasebook};
pub use request::{may_hold_reason, read_request, Found};
