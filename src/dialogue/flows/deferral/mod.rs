//! The deferral form: one question at a time, each answer checked where it is given; then
//! POLICY.md's deferral rules, explained in [`explain`].

pub mod explain;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{media_in_form, on_pending, pick_question, picks, read_date_answer};
use super::{summary_choice, OnPending, Read, SummaryChoice};
use crate::dialogue::buttons::{ButtonData, EditField, FormAction, MenuItem};
use crate::dialogue::handoff::{self, Form};
use crate::dialogue::{
    Attachment, Button, Ctx, DeferralDetails, Effect, HandoffDetails, Input, MediaKind, Msg, Part,
    RequestDetails, RequestStatus, State, Submission, MAX_ANSWER_CHARS, MAX_REASON_CHARS,
};
use crate::policy::{self, deferral::Outcome, DeferralFacts, InputProblem, Reason};
use crate::text::{self, Intent, Reading, ReasonHint, YearHint};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Invoice,
    PaidOn,
    ScheduledOn,
    Reason,
    Confirmation,
    NewDate,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Invoice,
        Field::PaidOn,
        Field::ScheduledOn,
        Field::Reason,
        Field::Confirmation,
        Field::NewDate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Invoice => "invoice",
            Field::PaidOn => "paid",
            Field::ScheduledOn => "scheduled",
            Field::Reason => "reason",
            Field::Confirmation => "confirmation",
            Field::NewDate => "new-date",
        }
    }

    /// The field picker's button for this field.
    fn edit(self) -> EditField {
        match self {
            Field::Invoice => EditField::Invoice,
            Field::PaidOn => EditField::Paid,
            Field::ScheduledOn => EditField::Scheduled,
            Field::Reason => EditField::Reason,
            Field::Confirmation => EditField::Confirmation,
            Field::NewDate => EditField::NewDate,
        }
    }

    fn from_edit(edit: EditField) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.edit() == edit)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "step", content = "field")]
pub enum Step {
    Ask(Field),
    /// The invoice is in the registry: are the dates on record right?
    ConfirmRegistry,
    /// "Lý do khác": the reason in the customer's words.
    ReasonText,
    Summary,
    PickField,
}

/// What the customer has told us so far.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DeferralForm {
    pub invoice: Option<String>,
    pub paid_on: Option<NaiveDate>,
    /// `Some(None)`: no date yet.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::double_option"
    )]
    pub scheduled_on: Option<Option<NaiveDate>>,
    pub reason: Option<Reason>,
    pub reason_text: Option<String>,
    /// `Some(None)`: no confirmation exists.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::double_option"
    )]
    pub confirmation: Option<Option<Attachment>>,
    pub new_date: Option<NaiveDate>,
    /// Files sent where none was asked for: kept and shown to staff.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Whether the invoice was found in the registry.
    #[serde(default)]
    pub registry: Option<crate::dialogue::RegistryMatch>,
}

impl DeferralForm {
    fn facts(&self) -> Option<DeferralFacts> {
        Some(DeferralFacts {
            paid_on: self.paid_on?,
            scheduled_on: self.scheduled_on?,
            new_date: self.new_date?,
            reason: self.reason?,
            has_confirmation: matches!(self.confirmation, Some(Some(_))),
        })
    }

    /// The first question not answered yet.
    pub fn first_missing_field(&self) -> Option<Field> {
        self.first_missing()
    }

    fn first_missing(&self) -> Option<Field> {
        Field::ALL.into_iter().find(|f| match f {
            Field::Invoice => self.invoice.is_none(),
            Field::PaidOn => self.paid_on.is_none(),
            Field::ScheduledOn => self.scheduled_on.is_none(),
            Field::Reason => self.reason.is_none(),
            Field::Confirmation => self.confirmation.is_none(),
            Field::NewDate => self.new_date.is_none(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeferralFlow {
    pub form: DeferralForm,
    pub step: Step,
    /// Failed answers to the current question.
    pub tries: u8,
    /// Answers that could not be read, kept for staff if the customer asks for a person.
    #[serde(default)]
    pub unread: Vec<String>,
    /// Values read from the customer's words for the current question, shown back to be
    /// confirmed or picked (a date, an invoice number), as they would be typed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<String>,
}

impl DeferralFlow {
    pub fn new() -> DeferralFlow {
        DeferralFlow {
            form: DeferralForm::default(),
            step: Step::Ask(Field::Invoice),
            tries: 0,
            unread: Vec::new(),
            pending: Vec::new(),
        }
    }
}

impl Default for DeferralFlow {
    fn default() -> Self {
        DeferralFlow::new()
    }
}

impl Form for DeferralFlow {
    fn tries(&mut self) -> &mut u8 {
        &mut self.tries
    }

    fn unread(&mut self) -> &mut Vec<String> {
        &mut self.unread
    }

    fn handoff(self) -> Submission {
        let f = self.form;
        let details = HandoffDetails {
            paid_on: f.paid_on,
            scheduled_on: f.scheduled_on,
            new_date: f.new_date,
            reason: f.reason,
            confirmation: f.confirmation,
        };
        Submission {
            invoice: f.invoice,
            reason_text: f.reason_text,
            attachments: f.attachments,
            registry: f.registry,
            unread_answers: self.unread,
            ..Submission::new(RequestStatus::Handoff, RequestDetails::Handoff(details))
        }
    }

    fn ask(self, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
        out.push(Effect::Reply(question(&self, ctx)));
        State::Deferral { flow: self }
    }

    fn offered(self) -> State {
        State::HandoffOffered { flow: self }
    }
}

/// The question for the flow's current step, with its buttons.
pub fn question(flow: &DeferralFlow, ctx: &Ctx) -> Msg {
    if !flow.pending.is_empty() {
        return pick_question(&flow.pending);
    }
    match flow.step {
        Step::Ask(Field::Invoice) => Msg::id("ask-invoice"),
        Step::ConfirmRegistry => {
            let f = &flow.form;
            let part = Part::new("registry-confirm")
                .str("invoice", f.invoice.clone().unwrap_or_default())
                .date("paid", f.paid_on.unwrap_or_default());
            let part = match f.scheduled_on {
                Some(Some(d)) => part.date("job", d),
                _ => part.msg("job", "registry-no-job-date"),
            };
            Msg::new(part).row(vec![
                Button::new("btn-registry-right", ButtonData::RegistryRight(true)),
                Button::new("btn-registry-wrong", ButtonData::RegistryRight(false)),
            ])
        }
        Step::Ask(Field::PaidOn) => Msg::id("ask-paid"),
        Step::Ask(Field::ScheduledOn) => Msg::id("ask-scheduled")
            .row(vec![Button::new("btn-no-schedule", ButtonData::NoSchedule)]),
        Step::Ask(Field::Reason) => Msg::id("ask-reason")
            .row(vec![
                Button::new(
                    "reason-business_trip",
                    ButtonData::Reason(Reason::BusinessTrip),
                ),
                Button::new("reason-accident", ButtonData::Reason(Reason::Accident)),
            ])
            .row(vec![
                Button::new("reason-illness", ButtonData::Reason(Reason::Illness)),
                Button::new(
                    "reason-bereavement",
                    ButtonData::Reason(Reason::Bereavement),
                ),
            ])
            .row(vec![
                Button::new(
                    "reason-economic_family",
                    ButtonData::Reason(Reason::EconomicFamily),
                ),
                Button::new("reason-other", ButtonData::Reason(Reason::Other)),
            ]),
        Step::ReasonText => Msg::id("ask-reason-text"),
        Step::Ask(Field::Confirmation) => Msg::id("ask-confirmation").row(vec![Button::new(
            "btn-no-confirmation",
            ButtonData::NoConfirmation,
        )]),
        Step::Ask(Field::NewDate) => {
            // DEFER_MAX counts from the job date, or from today when there is none yet.
            let part = match flow.form.scheduled_on {
                Some(Some(s)) => Part::new("ask-new-date").date("scheduled", s),
                _ => Part::new("ask-new-date-unscheduled"),
            };
            Msg::new(part.int("max", ctx.params.defer_max_days))
        }
        Step::Summary => summary(&flow.form),
        Step::PickField => {
            let mut msg = Msg::id("pick-field");
            for pair in Field::ALL.chunks(2) {
                msg = msg.row(
                    pair.iter()
                        .map(|f| {
                            Button::new(&format!("field-{}", f.code()), ButtonData::Edit(f.edit()))
                        })
                        .collect(),
                );
            }
            msg.row(vec![Button::new("btn-back", ButtonData::EditBack)])
        }
    }
}

fn summary(form: &DeferralForm) -> Msg {
    let mut msg = Msg::id("summary-header");
    msg.parts.extend(explain::form_lines(form));
    msg.parts.push(Part::new("summary-question"));
    msg.row(vec![Button::new(
        "btn-confirm",
        ButtonData::Form(FormAction::Confirm),
    )])
    .row(vec![
        Button::new("btn-edit", ButtonData::Form(FormAction::Edit)),
        Button::new("btn-cancel", ButtonData::Form(FormAction::Cancel)),
    ])
}

/// Why the bot needs this field ("?" or "tại sao").
fn why(step: Step) -> Msg {
    let id = match step {
        Step::Ask(Field::Invoice) => "why-invoice",
        Step::Ask(Field::PaidOn) => "why-paid",
        Step::Ask(Field::ScheduledOn) => "why-scheduled",
        Step::Ask(Field::Reason) | Step::ReasonText => "why-reason",
        Step::Ask(Field::Confirmation) => "why-confirmation",
        Step::Ask(Field::NewDate) => "why-new-date",
        Step::ConfirmRegistry => "why-registry",
        Step::Summary | Step::PickField => "why-summary",
    };
    Msg::id(id)
}

/// An answer to the current question, or the reason it cannot be used.
enum Answer {
    Invoice(String),
    Date(NaiveDate),
    NoSchedule,
    Reason(Reason, Option<String>),
    Other,
    Confirmation(Option<Attachment>),
    /// Whether the dates on record are right.
    RegistryRight(bool),
    /// Values read from words, to show back for the customer to confirm or pick.
    Pick(Vec<String>),
    /// Explain (a Fluent message) and ask again; counts as a failed try.
    Bad(Part),
}

pub fn on_input(mut flow: DeferralFlow, input: Input, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    if let Input::Button(data) = &input {
        let (on_summary, on_picker) = (flow.step == Step::Summary, flow.step == Step::PickField);
        if let Some(choice) = summary_choice(on_summary, on_picker, *data, Field::from_edit) {
            return on_summary_choice(flow, choice, ctx, out);
        }
    }
    // Values shown back: a pick button, "đúng" to the one shown, or a new answer.
    if !flow.pending.is_empty() {
        match on_pending(&flow.pending, &input) {
            OnPending::Take(value) => {
                flow.pending.clear();
                let answer = read_text(&flow, &value, ctx);
                return apply(flow, answer, ctx, out);
            }
            OnPending::Retype => {
                flow.pending.clear();
                return flow.ask(ctx, out);
            }
            OnPending::Fresh => flow.pending.clear(),
        }
    }
    // "?" / "tại sao" explains, "hủy" cancels, wherever the customer is.
    if let Input::Text(t) = &input {
        match ctx.phrases.intent(t) {
            Some(Intent::Why) if flow.step != Step::ReasonText => {
                out.push(Effect::Reply(why(flow.step)));
                return flow.ask(ctx, out);
            }
            Some(Intent::Cancel) if flow.step != Step::ReasonText => {
                out.push(Effect::Reply(cancelled()));
                return State::Idle;
            }
            _ => {}
        }
    }
    let answer = match (flow.step, input) {
        (Step::Summary | Step::PickField, Input::Media { attachment, .. }) => {
            flow.form.attachments.push(attachment);
            out.push(Effect::Reply(Msg::id("media-kept")));
            return flow.ask(ctx, out);
        }
        (Step::Summary | Step::PickField, _) => {
            out.push(Effect::Reply(Msg::id("use-buttons")));
            return flow.ask(ctx, out);
        }
        (Step::Ask(Field::Confirmation), Input::Media { attachment, .. })
            if attachment.kind.is_document_like() =>
        {
            Answer::Confirmation(Some(attachment))
        }
        (
            _,
            Input::Media {
                attachment,
                caption,
            },
        ) => match on_media(&mut flow, attachment, caption, ctx, out) {
            Some(answer) => answer,
            None => return flow.ask(ctx, out),
        },
        (_, Input::Contact { .. } | Input::Unsupported(_)) => {
            Answer::Bad(Part::new("contact-in-form"))
        }
        (step, Input::Button(data)) => match button_answer(step, data) {
            Some(answer) => answer,
            None => {
                out.push(Effect::Reply(Msg::id("button-stale")));
                return flow.ask(ctx, out);
            }
        },
        (_, Input::Text(t)) => {
            let answer = read_text(&flow, &t, ctx);
            if matches!(answer, Answer::Bad(_)) {
                flow.unread.push(t);
            }
            answer
        }
    };
    apply(flow, answer, ctx, out)
}

fn on_summary_choice(
    mut flow: DeferralFlow,
    choice: SummaryChoice<Field>,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) -> State {
    match choice {
        SummaryChoice::Submit => return submit(flow, ctx, out),
        SummaryChoice::Cancel => {
            out.push(Effect::Reply(cancelled()));
            return State::Idle;
        }
        SummaryChoice::Edit => flow.step = Step::PickField,
        SummaryChoice::Back => flow.step = Step::Summary,
        SummaryChoice::Change(field) => {
            flow.step = Step::Ask(field);
            flow.tries = 0;
        }
    }
    flow.ask(ctx, out)
}

fn cancelled() -> Msg {
    Msg::id("cancelled")
        .then(Part::new("menu"))
        .row(vec![Button::new(
            "btn-defer",
            ButtonData::Menu(MenuItem::Defer),
        )])
}

/// A file sent while a question waits: kept for staff (nothing the customer sent is lost); a
/// caption may carry the answer itself ("HD-123" under a photo of the invoice). `None`: no
/// answer in it, the customer was told so.
fn on_media(
    flow: &mut DeferralFlow,
    attachment: Attachment,
    caption: Option<String>,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) -> Option<Answer> {
    let kind = attachment.kind;
    if !matches!(kind, MediaKind::Sticker | MediaKind::Animation) {
        flow.form.attachments.push(attachment);
    }
    match caption {
        Some(c) if !c.trim().is_empty() => {
            out.push(Effect::Reply(Msg::id("media-kept")));
            Some(read_text(flow, &c, ctx))
        }
        _ => {
            out.push(Effect::Reply(Msg::id(media_in_form(kind))));
            None
        }
    }
}

/// A button that answers the current question, if it does.
fn button_answer(step: Step, data: ButtonData) -> Option<Answer> {
    match (step, data) {
        (Step::Ask(Field::ScheduledOn), ButtonData::NoSchedule) => Some(Answer::NoSchedule),
        (Step::ConfirmRegistry, ButtonData::RegistryRight(right)) => {
            Some(Answer::RegistryRight(right))
        }
        (Step::Ask(Field::Confirmation), ButtonData::NoConfirmation) => {
            Some(Answer::Confirmation(None))
        }
        (Step::Ask(Field::Reason), ButtonData::Reason(Reason::Other)) => Some(Answer::Other),
        (Step::Ask(Field::Reason), ButtonData::Reason(r)) => Some(Answer::Reason(r, None)),
        _ => None,
    }
}

/// Reads a typed answer to the current question.
fn read_text(flow: &DeferralFlow, t: &str, ctx: &Ctx) -> Answer {
    if flow.step == Step::ReasonText {
        return read_reason_text(t);
    }
    if t.chars().count() > MAX_ANSWER_CHARS {
        return Answer::Bad(Part::new("too-long").int("max", MAX_ANSWER_CHARS as i64));
    }
    match flow.step {
        Step::Ask(Field::Invoice) => read_invoice(t, ctx),
        Step::ConfirmRegistry => match text::read_yes_no(t) {
            Some(right) => Answer::RegistryRight(right),
            _ => Answer::Bad(Part::new("use-buttons")),
        },
        Step::Ask(Field::PaidOn) => read_paid_on(t, ctx),
        Step::Ask(Field::ScheduledOn) => read_scheduled_on(&flow.form, t, ctx),
        Step::Ask(Field::Reason) => match text::classify_reason(t) {
            Some(hint) => Answer::Reason(reason_of(hint), Some(t.trim().to_string())),
            None if ctx.phrases.intent(t).is_some() || t.trim().chars().count() < 3 => {
                Answer::Bad(Part::new("bad-reason"))
            }
            None => Answer::Reason(own_words_reason(t), Some(t.trim().to_string())),
        },
        Step::Ask(Field::Confirmation) => match ctx.phrases.intent(t) {
            Some(Intent::NoneAvailable | Intent::No) => Answer::Confirmation(None),
            _ if text::says_have_none(t) && !text::says_dont_know(t) => Answer::Confirmation(None),
            _ => Answer::Bad(Part::new("bad-confirmation")),
        },
        Step::Ask(Field::NewDate) => read_new_date(&flow.form, t, ctx),
        Step::ReasonText | Step::Summary | Step::PickField => Answer::Bad(Part::new("use-buttons")),
    }
}

/// "Lý do khác": the reason in the customer's own words, read for its meaning (an accepted
/// reason in them goes to its rule).
fn read_reason_text(t: &str) -> Answer {
    if t.trim().is_empty() {
        return Answer::Bad(Part::new("reason-empty"));
    }
    if t.chars().count() > MAX_REASON_CHARS {
        return Answer::Bad(Part::new("too-long").int("max", MAX_REASON_CHARS as i64));
    }
    Answer::Reason(own_words_reason(t), Some(t.trim().to_string()))
}

/// An invoice number; a finished or cancelled job cannot be deferred (the job must not be done
/// yet).
fn read_invoice(t: &str, ctx: &Ctx) -> Answer {
    match text::read_invoice(t) {
        // A finished or cancelled job cannot be deferred (the job must not be done yet).
        Reading::Value(inv) => match ctx.known_invoice(inv.as_str()) {
            Some(k) if k.status == "done" || k.status == "cancelled" => Answer::Bad(
                Part::new(if k.status == "done" {
                    "invoice-job-done"
                } else {
                    "invoice-cancelled"
                })
                .str("invoice", inv.as_str()),
            ),
            _ => Answer::Invoice(inv.as_str().to_string()),
        },
        Reading::About(inv) => Answer::Pick(vec![inv.as_str().to_string()]),
        Reading::Choose(invs) => {
            Answer::Pick(picks(&invs.iter().map(|i| i.as_str()).collect::<Vec<_>>()))
        }
        Reading::DontKnow => Answer::Bad(Part::new("dont-know-invoice")),
        Reading::Nothing => Answer::Bad(Part::new("bad-invoice")),
    }
}

/// The payment date: not after today.
fn read_paid_on(t: &str, ctx: &Ctx) -> Answer {
    match read_date_answer(t, ctx, YearHint::Past, "dont-know-paid") {
        Read::Value(d) => match policy::check_paid_on(d, ctx.today) {
            Ok(()) => Answer::Date(d),
            Err(_) => Answer::Bad(
                Part::new("bad-paid-future")
                    .date("date", d)
                    .date("today", ctx.today),
            ),
        },
        Read::Pick(v) => Answer::Pick(v),
        Read::Bad(part) => Answer::Bad(part),
    }
}

/// The job's current date, or "not scheduled yet": not before the payment.
fn read_scheduled_on(form: &DeferralForm, t: &str, ctx: &Ctx) -> Answer {
    if ctx.phrases.intent(t) == Some(Intent::NoSchedule) {
        return Answer::NoSchedule;
    }
    match read_date_answer(t, ctx, YearHint::Future, "dont-know-scheduled") {
        Read::Value(d) => match form.paid_on {
            Some(p) if d < p => Answer::Bad(
                Part::new("bad-scheduled-before-paid")
                    .date("date", d)
                    .date("paid", p),
            ),
            _ => Answer::Date(d),
        },
        Read::Pick(v) => Answer::Pick(v),
        Read::Bad(part) => Answer::Bad(part),
    }
}

/// The new date: after today and after the current date.
fn read_new_date(form: &DeferralForm, t: &str, ctx: &Ctx) -> Answer {
    let d = match read_date_answer(t, ctx, YearHint::Future, "dont-know-new-date") {
        Read::Value(d) => d,
        Read::Pick(v) => return Answer::Pick(v),
        Read::Bad(part) => return Answer::Bad(part),
    };
    let scheduled = form.scheduled_on.flatten();
    match policy::check_new_date(d, ctx.today, scheduled) {
        Ok(()) => Answer::Date(d),
        Err(InputProblem::NewDateNotAfterScheduled) => Answer::Bad(
            Part::new("bad-new-before-scheduled")
                .date("date", d)
                .date("scheduled", scheduled.unwrap_or(ctx.today)),
        ),
        Err(_) => Answer::Bad(
            Part::new("bad-new-not-future")
                .date("date", d)
                .date("today", ctx.today),
        ),
    }
}

/// A reason in the customer's own words: an accepted one found in them goes to its rule; words
/// that only hint at one go to staff; only words with nothing of the kind are "other".
fn own_words_reason(t: &str) -> Reason {
    match text::classify_reason(t) {
        Some(hint) => reason_of(hint),
        None if text::may_hold_reason(t) => Reason::Unclear,
        None => Reason::Other,
    }
}

fn reason_of(hint: ReasonHint) -> Reason {
    match hint {
        ReasonHint::BusinessTrip => Reason::BusinessTrip,
        ReasonHint::Accident => Reason::Accident,
        ReasonHint::Illness => Reason::Illness,
        ReasonHint::Bereavement => Reason::Bereavement,
        ReasonHint::EconomicFamily => Reason::EconomicFamily,
    }
}

fn apply(mut flow: DeferralFlow, answer: Answer, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let form = &mut flow.form;
    match (flow.step, answer) {
        (_, Answer::Bad(part)) => return handoff::bad_answer(flow, part, ctx, out),
        (_, Answer::Pick(values)) => {
            flow.pending = values;
            out.push(Effect::Reply(question(&flow, ctx)));
            return State::Deferral { flow };
        }
        (Step::Ask(Field::Invoice), Answer::Invoice(i)) => {
            // An invoice on record brings its dates; the customer confirms them.
            match ctx.known_invoice(&i) {
                Some(k) => {
                    form.paid_on = Some(k.paid_on);
                    form.scheduled_on = Some(k.job_on);
                    form.registry = Some(crate::dialogue::RegistryMatch::Known);
                    form.invoice = Some(i);
                    flow.step = Step::ConfirmRegistry;
                    flow.tries = 0;
                    out.push(Effect::Reply(question(&flow, ctx)));
                    return State::Deferral { flow };
                }
                None => {
                    form.registry = ctx
                        .registry_loaded
                        .then_some(crate::dialogue::RegistryMatch::Unknown);
                    form.invoice = Some(i);
                }
            }
        }
        (Step::ConfirmRegistry, Answer::RegistryRight(true)) => {}
        (Step::ConfirmRegistry, Answer::RegistryRight(false)) => {
            form.registry = Some(crate::dialogue::RegistryMatch::Disputed);
            form.paid_on = None;
            form.scheduled_on = None;
        }
        (Step::Ask(Field::PaidOn), Answer::Date(d)) => form.paid_on = Some(d),
        (Step::Ask(Field::ScheduledOn), Answer::Date(d)) => form.scheduled_on = Some(Some(d)),
        (Step::Ask(Field::ScheduledOn), Answer::NoSchedule) => form.scheduled_on = Some(None),
        (Step::Ask(Field::Reason), Answer::Other) => {
            flow.step = Step::ReasonText;
            flow.tries = 0;
            out.push(Effect::Reply(question(&flow, ctx)));
            return State::Deferral { flow };
        }
        (Step::Ask(Field::Reason) | Step::ReasonText, Answer::Reason(r, text)) => {
            form.reason = Some(r);
            form.reason_text = text;
        }
        (Step::Ask(Field::Confirmation), Answer::Confirmation(c)) => form.confirmation = Some(c),
        (Step::Ask(Field::NewDate), Answer::Date(d)) => form.new_date = Some(d),
        (_, _) => {
            out.push(Effect::Reply(question(&flow, ctx)));
            return State::Deferral { flow };
        }
    }
    flow.tries = 0;
    flow.unread.clear();
    next_step(flow, ctx, out)
}

/// Fills the form from a first message that already holds answers ("bảo lưu HD-2026-0012, đóng
/// tiền 1/11, lịch 15/12, tôi bị ốm"), each checked as its own question would check it; what
/// fails a check is left to be asked. Returns how many fields were filled.
pub fn prefill(flow: &mut DeferralFlow, message: &str, ctx: &Ctx) -> usize {
    if message.chars().count() > MAX_ANSWER_CHARS {
        return 0;
    }
    let found = text::read_request(message, ctx.today);
    let form = &mut flow.form;
    let mut filled = 0;
    if let Some(inv) = found.invoice {
        match ctx.known_invoice(&inv) {
            // A finished or cancelled job: the invoice question explains it when asked.
            Some(k) if k.status == "done" || k.status == "cancelled" => {}
            Some(k) => {
                form.paid_on = Some(k.paid_on);
                form.scheduled_on = Some(k.job_on);
                form.registry = Some(crate::dialogue::RegistryMatch::Known);
                form.invoice = Some(inv);
                filled += 1;
            }
            None => {
                form.registry = ctx
                    .registry_loaded
                    .then_some(crate::dialogue::RegistryMatch::Unknown);
                form.invoice = Some(inv);
                filled += 1;
            }
        }
    }
    if form.registry != Some(crate::dialogue::RegistryMatch::Known) {
        if let Some(d) = found
            .paid_on
            .filter(|d| policy::check_paid_on(*d, ctx.today).is_ok())
        {
            form.paid_on = Some(d);
            filled += 1;
        }
        if let Some(d) = found
            .scheduled_on
            .filter(|d| form.paid_on.is_none_or(|p| *d >= p))
        {
            form.scheduled_on = Some(Some(d));
            filled += 1;
        }
    }
    if let Some(d) = found
        .new_date
        .filter(|d| policy::check_new_date(*d, ctx.today, form.scheduled_on.flatten()).is_ok())
    {
        form.new_date = Some(d);
        filled += 1;
    }
    if let Some(hint) = found.reason {
        form.reason = Some(reason_of(hint));
        form.reason_text = found.reason_text;
        filled += 1;
    }
    if form.registry == Some(crate::dialogue::RegistryMatch::Known) {
        flow.step = Step::ConfirmRegistry;
    } else {
        flow.step = form.first_missing().map_or(Step::Summary, Step::Ask);
    }
    filled
}

/// After a good answer: the next missing field, or the summary. An edit that makes the new date
/// impossible (a later scheduled date, say) asks for the new date again.
fn next_step(mut flow: DeferralFlow, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let form = &flow.form;
    if let (Some(n), Some(s)) = (form.new_date, form.scheduled_on) {
        if policy::check_new_date(n, ctx.today, s).is_err() {
            flow.form.new_date = None;
            out.push(Effect::Reply(Msg::id("new-date-again")));
        }
    }
    if let (Some(p), Some(Some(s))) = (flow.form.paid_on, flow.form.scheduled_on) {
        if s < p {
            flow.form.scheduled_on = None;
            out.push(Effect::Reply(Msg::id("scheduled-again")));
        }
    }
    flow.step = match flow.form.first_missing() {
        Some(field) => Step::Ask(field),
        None => Step::Summary,
    };
    out.push(Effect::Reply(question(&flow, ctx)));
    State::Deferral { flow }
}

/// The customer confirmed the summary: decide, record, explain.
fn submit(flow: DeferralFlow, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let Some(facts) = flow.form.facts() else {
        return next_step(flow, ctx, out);
    };
    let decision = policy::decide_deferral(&facts, ctx.today, ctx.params);
    let status = match decision.outcome {
        Outcome::Approved => RequestStatus::Approved,
        Outcome::Rejected => RequestStatus::Rejected,
        Outcome::NeedsReview | Outcome::AwaitingConfirmation => RequestStatus::Review,
    };
    let reply =
        explain::decision_for_customer(&decision, &facts, flow.form.reason_text.as_deref(), ctx);
    let f = flow.form;
    let details = DeferralDetails {
        paid_on: facts.paid_on,
        scheduled_on: facts.scheduled_on,
        new_date: facts.new_date,
        reason: facts.reason,
        confirmation: f.confirmation,
        decision,
    };
    out.push(Effect::Submit(Submission {
        invoice: f.invoice,
        reason_text: f.reason_text,
        attachments: f.attachments,
        registry: f.registry,
        ..Submission::new(status, RequestDetails::Deferral(details))
    }));
    out.push(Effect::Reply(reply));
    State::Idle
}
