//! The request types, one module each: its form and questions, its policy call, its card and
//! its explanation. What they share (the hand-off, the views) lives outside, and never looks in.

pub mod complaint;
pub mod deferral;
pub mod refund;

use chrono::NaiveDate;

use super::buttons::{ButtonData, EditField, FormAction};
use super::handoff;
use super::views::cards::request_card;
use super::{Button, Ctx, Customer, Effect, MediaKind, Msg, Part, Request, RequestDetails, State};
use crate::text::{self, DateError, Reading, YearHint};

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

/// At most this many values are shown back to pick from.
pub(crate) const MAX_PICKS: usize = 4;

/// What a typed answer gave a form: a value, values to show back (one to confirm, several to
/// pick from), or why it cannot be used.
pub(crate) enum Read<T> {
    Value(T),
    Pick(Vec<String>),
    Bad(Part),
}

/// Values read from a reader, to show back: never more than [`MAX_PICKS`].
pub(crate) fn picks<T: ToString>(values: &[T]) -> Vec<String> {
    values.iter().take(MAX_PICKS).map(T::to_string).collect()
}

/// A date answer: one said plainly is taken (the caller checks it); one that is not a single
/// day ("cuối tháng") or two of them ("20/12 hoặc 21/12") are shown back; "em không nhớ" gets
/// the help `dont_know` (a Fluent id).
pub(crate) fn read_date_answer(
    t: &str,
    ctx: &Ctx,
    hint: YearHint,
    dont_know: &str,
) -> Read<NaiveDate> {
    match text::read_date(t, ctx.today, hint) {
        Ok(Reading::Value(d)) => Read::Value(d),
        Ok(Reading::About(d)) => Read::Pick(vec![d.to_string()]),
        Ok(Reading::Choose(ds)) => Read::Pick(picks(&ds)),
        Ok(Reading::DontKnow) => Read::Bad(Part::new(dont_know)),
        Ok(Reading::Nothing) => Read::Bad(Part::new("bad-date")),
        Err(e) => Read::Bad(date_error(e)),
    }
}

/// The values read from words, shown back: one to confirm ("Bạn muốn nói ngày 31/12/2026?"),
/// several to pick from; each a button, and one to type the answer again.
pub(crate) fn pick_question(pending: &[String]) -> Msg {
    let date = |v: &str| v.parse::<NaiveDate>().ok();
    let lead = match (pending, pending.first().and_then(|v| date(v))) {
        ([_], Some(d)) => Part::new("pick-date-about").date("date", d),
        ([one], None) => Part::new("pick-value-about").str("value", one),
        (_, Some(_)) => Part::new("pick-date-choose"),
        (_, None) => Part::new("pick-value-choose"),
    };
    let mut msg = Msg::new(lead);
    for (i, v) in pending.iter().enumerate().take(MAX_PICKS) {
        let label = match date(v) {
            Some(d) => Part::new("btn-pick-date").date("date", d),
            None => Part::new("btn-pick-value").str("value", v),
        };
        msg = msg.row(vec![Button {
            label,
            data: ButtonData::Pick(i as u8),
        }]);
    }
    msg.row(vec![Button::new("btn-pick-other", ButtonData::PickOther)])
}

/// What a message does to values waiting to be confirmed or picked.
pub(crate) enum OnPending {
    /// Take this value, as if the customer had typed it alone.
    Take(String),
    /// None of them: ask the question again.
    Retype,
    /// Read the message as a new answer.
    Fresh,
}

/// A pick button, or "đúng"/"không" typed to one value shown back.
pub(crate) fn on_pending(pending: &[String], input: &super::Input) -> OnPending {
    use super::Input;
    match input {
        Input::Button(ButtonData::Pick(n)) => match pending.get(*n as usize) {
            Some(v) => OnPending::Take(v.clone()),
            None => OnPending::Retype,
        },
        Input::Button(ButtonData::PickOther) => OnPending::Retype,
        Input::Text(t) if !t.chars().any(|c| c.is_ascii_digit()) => {
            match (pending, text::read_yes_no(t)) {
                ([one], Some(true)) => OnPending::Take(one.clone()),
                (_, Some(false)) => OnPending::Retype,
                _ => OnPending::Fresh,
            }
        }
        _ => OnPending::Fresh,
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

/// What a button of a form's summary or of its field picker asks for; `F` is the form's own
/// way of naming the field to change.
pub(super) enum SummaryChoice<F> {
    Submit,
    Edit,
    Cancel,
    Back,
    Change(F),
}

/// Reads a button pressed while a form shows its summary (`on_summary`) or its field picker
/// (`on_picker`); `field` turns a picked field into the form's own.
pub(super) fn summary_choice<F>(
    on_summary: bool,
    on_picker: bool,
    data: ButtonData,
    field: impl FnOnce(EditField) -> Option<F>,
) -> Option<SummaryChoice<F>> {
    match data {
        ButtonData::Form(FormAction::Confirm) if on_summary => Some(SummaryChoice::Submit),
        ButtonData::Form(FormAction::Edit) if on_summary => Some(SummaryChoice::Edit),
        ButtonData::Form(FormAction::Cancel) if on_summary => Some(SummaryChoice::Cancel),
        ButtonData::EditBack if on_picker => Some(SummaryChoice::Back),
        ButtonData::Edit(edit) if on_picker => field(edit).map(SummaryChoice::Change),
        _ => None,
    }
}
