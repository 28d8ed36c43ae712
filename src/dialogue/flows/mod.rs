//! The request types, one module each: its form and questions, its policy call, its card and
//! its explanation. What they share (the hand-off, the views) lives outside, and never looks in.

pub mod complaint;
pub mod deferral;
pub mod refund;

use super::handoff;
use super::views::cards::request_card;
use super::{Ctx, Customer, Effect, MediaKind, Msg, Part, Request, RequestDetails, State};
use crate::text::DateError;

/// The card staff see in the group for a request of any kind.
pub fn staff_card(req: &Request, customer: &Customer) -> Msg {
    let (body, checks) = match &req.details {
        RequestDetails::Deferral(d) => (
            deferral::explain::card_lines(req, d),
            deferral::explain::card_checks(req, d),
        ),
        RequestDetails::Refund(record) => (refund::explain::card_lines(req, record), Vec::new()),
        RequestDetails::Handoff(h) => (deferral::explain::handoff_lines(req, h), Vec::new()),
    };
    request_card(req, customer, body, checks)
}

/// After an interruption, ask the current question again so the form carries on.
pub(crate) fn reask(state: &State, ctx: &Ctx, out: &mut Vec<Effect>) {
    match state {
        State::Deferral { flow } => out.push(Effect::Reply(deferral::question(flow, ctx))),
        State::Refund { flow } => out.push(Effect::Reply(refund::question(flow, ctx))),
        State::HandoffOffered { .. } | State::RefundHandoffOffered { .. } => {
            out.push(Effect::Reply(handoff::offer()))
        }
        State::Complaint { flow } => out.push(Effect::Reply(complaint::question(flow, ctx))),
        State::Idle | State::RatingComment { .. } | State::NewCaseConfirm => {}
    }
}

/// What to say about a file sent while a question waits, with no answer in its caption.
pub(crate) fn media_in_form(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Sticker | MediaKind::Animation => "media-sticker-in-form",
        MediaKind::Voice | MediaKind::Audio | MediaKind::VideoNote => "media-voice-in-form",
        _ => "media-file-in-form",
    }
}

/// A date the customer typed that could not be read, said why.
pub(crate) fn date_error(e: DateError) -> Part {
    match e {
        DateError::Unreadable => Part::new("bad-date"),
        DateError::NoSuchDay { day, month, year } => Part::new("bad-date-no-such-day")
            .int("day", day as i64)
            .int("month", month as i64)
            .int("year", year as i64),
        DateError::YearOutOfRange { year } => Part::new("bad-date-year").int("year", year as i64),
    }
}

/// Keeps "not answered" (`None`, the field left out) apart from "answered: none" (`Some(None)`,
/// written as `null`) in the stored conversation; plain serde writes both as `null`.
pub(crate) mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_unit(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
