//! The conversation as a value: `step(conversation, input, ctx) -> (conversation', effects)`.
//! Pure: no clock, no database, no Telegram, no Fluent. `today` and what the store knows come in
//! through [`Ctx`].
//!
//! `step` hands the input to what works everywhere (commands, [`customer_buttons`], questions
//! about the policy), then to the current state: [`idle`] or one of the [`flows`]. A flow that
//! cannot read the customer offers them a person through [`handoff`]. [`views`] builds what
//! several of them show.

pub mod buttons;
pub mod cards;
mod commands;
mod customer_buttons;
pub mod flows;
mod handoff;
mod idle;
pub mod msg;
pub mod privacy;
mod questions;
mod start_link;
pub mod records;
#[cfg(test)]
mod stored_state;
pub mod views;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::policy::{Callback, Company, Params};
use crate::text::{self, Intent};
pub use buttons::{ButtonData, CaseAction, EditField, FormAction, MenuItem, RequestRef};
pub use commands::Command;
pub use flows::complaint::{self, ComplaintFlow, ComplaintForm, ComplaintStep};
pub use flows::deferral::{DeferralFlow, DeferralForm, Field, Step};
pub use flows::refund::{
    read_cause, read_job_done, read_notice, RefundFlow, RefundForm, RefundStep,
    FIELDS as REFUND_FIELDS,
};
pub use msg::{Arg, Attachment, Button, Lang, MediaKind, Msg, Notice, NoticeKind, Part};
pub use records::{
    case_no, request_no, Case, CaseEvent, CaseStatus, CaseSummary, Category, Customer,
    DeferralDetails, HandoffDetails, Identity, KnownInvoice, RefundRecord, RegistryMatch, Request,
    RequestDetails, RequestKind, RequestStatus,
};
pub use start_link::{linked_invoice, StartLink};

use commands::command;
use customer_buttons::global_button;
use flows::{deferral, refund};
use idle::{idle, rating_comment};

/// The longest message read as an answer to a question (Telegram allows 4,096 characters).
pub const MAX_ANSWER_CHARS: usize = 1_000;

/// The longest reason kept in the customer's own words.
pub const MAX_REASON_CHARS: usize = 3_000;

/// One customer's conversation, as stored between messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Conversation {
    pub lang: Lang,
    /// Set once the customer has picked a language with /language.
    #[serde(default)]
    pub lang_chosen: bool,
    pub state: State,
    /// A form put aside by /menu, which the menu offers to resume.
    #[serde(default)]
    pub paused: Option<Box<State>>,
    /// Whether the customer has been greeted once.
    #[serde(default)]
    pub greeted: bool,
    /// What the customer wrote that the bot did not understand, kept word for word for
    /// "Hỏi nhân viên" (the latest few).
    #[serde(default)]
    pub unread: Vec<String>,
    /// The album (Telegram media group) of the customer's last message: the other files of one
    /// album are kept like the first, without an acknowledgement each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_album: Option<String>,
    /// The invoice of the deep link (a printed code) the customer came by, for the buttons
    /// under its greeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_invoice: Option<String>,
}

impl Conversation {
    pub fn new(lang: Lang) -> Conversation {
        Conversation {
            lang,
            ..Conversation::default()
        }
    }

    /// The main menu, optionally after a leading message; it offers to resume a paused form.
    pub fn menu(&self, lead: Option<&str>, ctx: &Ctx) -> Msg {
        views::menu::menu(self.paused.is_some(), lead, ctx)
    }

    /// Keeps words the bot did not understand, for "Hỏi nhân viên" (the latest few).
    fn keep_unread(&mut self, words: String) {
        self.unread.push(words);
        if self.unread.len() > MAX_UNREAD_KEPT {
            self.unread.remove(0);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    #[default]
    Idle,
    /// Filling in a deferral request.
    Deferral { flow: DeferralFlow },
    /// Three failed tries on one field: the bot offered to pass the conversation to staff.
    HandoffOffered { flow: DeferralFlow },
    /// Filling in a refund request.
    Refund { flow: RefundFlow },
    /// The same offer, from the refund form.
    RefundHandoffOffered { flow: RefundFlow },
    /// Making a complaint.
    Complaint { flow: ComplaintFlow },
    /// The customer rated a resolved case; an optional comment may follow.
    RatingComment { case_id: i64 },
    /// A case is open and the customer asked for a new complaint: confirm.
    NewCaseConfirm,
}

/// What reached the bot from the customer.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Text(String),
    /// An inline button the customer pressed.
    Button(ButtonData),
    Media {
        attachment: Attachment,
        caption: Option<String>,
    },
    Contact {
        phone: String,
    },
    /// Something Telegram can carry but the bot cannot keep as a file or read as an answer: a
    /// location, a venue, a poll, a dice. It gets a polite answer and is never stored.
    Unsupported(Unsupported),
}

/// What kind of thing a customer sent that the bot cannot take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    Location,
    Venue,
    Poll,
    Dice,
    Game,
    Other,
}

impl Unsupported {
    pub fn code(self) -> &'static str {
        match self {
            Unsupported::Location => "location",
            Unsupported::Venue => "venue",
            Unsupported::Poll => "poll",
            Unsupported::Dice => "dice",
            Unsupported::Game => "game",
            Unsupported::Other => "other",
        }
    }
}

/// A summary of one of the customer's requests, for /trangthai and for buttons that name one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: i64,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub created_on: NaiveDate,
    pub invoice: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub new_date: Option<NaiveDate>,
}

impl RequestSummary {
    pub fn number(&self) -> String {
        request_no(self.kind, self.id)
    }
}

/// What the step may know of the world. The engine fills it in.
pub struct Ctx<'a> {
    pub today: NaiveDate,
    pub params: &'a Params,
    pub company: &'a Company,
    /// The phrases that tell intents apart (built in, plus the company's own).
    pub phrases: &'a text::Phrasebook,
    /// The customer's requests, newest first (loaded when the input may need them).
    pub requests: &'a [RequestSummary],
    /// The customer's cases, newest first (always loaded: an open case takes their messages).
    pub cases: &'a [CaseSummary],
    /// How soon the hotline calls back.
    pub callback: &'a Callback,
    /// The call-back deadlines (Unix seconds) for something coming in now: [normal, urgent].
    pub deadlines: [i64; 2],
    /// The registry's invoice for a message that reads as an invoice number, if known.
    pub invoice: Option<&'a KnownInvoice>,
    /// Whether staff have loaded an invoice registry at all.
    pub registry_loaded: bool,
    /// What the payload of a `/start <payload>` asks for, checked by the engine.
    pub start: Option<&'a StartLink>,
}

impl Ctx<'_> {
    /// The case that takes the customer's messages, if one is open: with several, the one
    /// with the latest activity (the one staff just wrote in).
    pub fn open_case(&self) -> Option<&CaseSummary> {
        self.cases
            .iter()
            .filter(|c| c.status.takes_messages())
            .max_by_key(|c| (c.last_event, c.id))
    }

    /// The case staff marked resolved most recently and nobody closed yet: a message the bot
    /// cannot read otherwise is most likely about it ("em vẫn còn đau").
    pub fn resolved_case(&self) -> Option<&CaseSummary> {
        self.cases
            .iter()
            .filter(|c| c.status == CaseStatus::Resolved)
            .max_by_key(|c| (c.last_event, c.id))
    }
}

/// A request to record, produced by a step: what every request keeps, and its kind's details.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub status: RequestStatus,
    pub invoice: Option<String>,
    pub reason_text: Option<String>,
    pub attachments: Vec<Attachment>,
    pub registry: Option<RegistryMatch>,
    pub details: RequestDetails,
    pub unread_answers: Vec<String>,
}

impl Submission {
    /// A request of these details, with none of the shared answers yet.
    pub fn new(status: RequestStatus, details: RequestDetails) -> Submission {
        Submission {
            status,
            invoice: None,
            reason_text: None,
            attachments: Vec::new(),
            registry: None,
            details,
            unread_answers: Vec::new(),
        }
    }

    /// The request as recorded for this customer now (its id comes from the store).
    pub fn into_request(self, customer_id: i64, now: i64) -> Request {
        Request {
            id: 0,
            status: self.status,
            customer_id,
            invoice: self.invoice,
            reason_text: self.reason_text,
            attachments: self.attachments,
            unread_answers: self.unread_answers,
            registry: self.registry,
            details: self.details,
            created_at: now,
            decided_by: None,
            decided_at: None,
        }
    }
}

impl Ctx<'_> {
    /// The registry's invoice with this number, when the message named it.
    pub fn known_invoice(&self, number: &str) -> Option<&KnownInvoice> {
        self.invoice.filter(|k| k.number == number)
    }
}

/// What a step asks the engine to do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A message to this customer. `Arg::NewRequest` and `RequestRef::New` refer to the request
    /// submitted earlier in the same step.
    Reply(Msg),
    /// Record a request; the engine sends the staff card when staff must see it.
    Submit(Submission),
    /// The customer asks the company for an exception to a rejected request.
    AskException { request_id: i64 },
    /// Record a complaint as a case (step 1); the engine sends it to staff.
    OpenCase(ComplaintForm),
    /// The customer wrote to an open case: relayed to staff, kept in its history.
    CaseMessage {
        case_id: i64,
        text: Option<String>,
        media: Vec<Attachment>,
    },
    /// The customer closes their own case.
    CloseCase { case_id: i64 },
    /// The customer wrote about a case staff had marked resolved: it is opened again, the words
    /// go to it, staff are told.
    ReopenCase {
        case_id: i64,
        text: Option<String>,
        media: Vec<Attachment>,
    },
    /// The customer turns reminders and check-ins off (true) or on again.
    RemindersOff(bool),
    /// The customer reported a problem after the job (AFTERCARE): staff are told.
    AftercareProblem { request_id: i64 },
    /// The customer's rating (1 to 5) of a resolved case, or its comment.
    RateCase {
        case_id: i64,
        stars: Option<i64>,
        comment: Option<String>,
    },
}

/// Whether the conversation is asking for an invoice number (the engine then looks it up in
/// the registry; other messages need no look-up).
pub fn asks_invoice(conv: &Conversation) -> bool {
    match &conv.state {
        State::Deferral { flow } => flow.step == Step::Ask(Field::Invoice),
        State::Refund { flow } => flow.step == RefundStep::Invoice,
        State::Complaint { flow } => flow.step == ComplaintStep::Invoice,
        _ => false,
    }
}

/// The invoice number an answer gives where one is asked for (typed among words, or a number
/// shown back and picked): the one to look up in the registry.
pub fn invoice_in_answer(conv: &Conversation, input: &Input) -> Option<String> {
    if !asks_invoice(conv) {
        return None;
    }
    let pending = match &conv.state {
        State::Deferral { flow } => &flow.pending,
        State::Refund { flow } => &flow.pending,
        State::Complaint { flow } => &flow.pending,
        _ => return None,
    };
    match input {
        Input::Text(t) => text::read_invoice(t)
            .value()
            .map(|i| i.as_str().to_string()),
        Input::Button(ButtonData::Pick(n)) => pending.get(*n as usize).cloned(),
        _ => None,
    }
}

/// Does this input need the customer's requests in the context?
pub fn needs_requests(input: &Input, phrases: &text::Phrasebook) -> bool {
    match input {
        Input::Text(t) => {
            matches!(Command::parse(t), Some(Some(Command::Status)))
                || phrases.intent(t) == Some(Intent::Status)
        }
        Input::Button(data) => matches!(
            data,
            ButtonData::Menu(MenuItem::Status)
                | ButtonData::AskException(_)
                | ButtonData::DeferInstead(_)
                | ButtonData::Aftercare { .. }
                | ButtonData::ComplainAbout(_)
        ),
        _ => false,
    }
}

/// Whether the customer's screen shows the phone-sharing keyboard: asked for the phone, and
/// the case not yet recorded (a typed number leaves the keyboard up until it is taken away).
fn shows_contact_keyboard(state: &State) -> bool {
    matches!(state, State::Complaint { flow }
        if matches!(flow.step, complaint::ComplaintStep::Phone | complaint::ComplaintStep::Consent))
}

/// One turn of the conversation.
pub fn step(conv: Conversation, input: Input, ctx: &Ctx) -> (Conversation, Vec<Effect>) {
    let keyboard_up = shows_contact_keyboard(&conv.state);
    let (conv, mut out) = turn(conv, input, ctx);
    if keyboard_up && !shows_contact_keyboard(&conv.state) {
        take_keyboard_away(&mut out);
    }
    (conv, out)
}

/// The customer left the phone question (/huy, the menu, another request): the first reply
/// takes the phone-sharing keyboard away. Telegram takes one keyboard per message, so a reply
/// with buttons gives its first line to a message of its own that carries the removal.
fn take_keyboard_away(out: &mut Vec<Effect>) {
    let removes = |m: &Msg| m.remove_keyboard && m.buttons.is_empty() && m.contact_button.is_none();
    if out
        .iter()
        .any(|e| matches!(e, Effect::Reply(m) if removes(m)))
    {
        return;
    }
    let Some(at) = out.iter().position(|e| matches!(e, Effect::Reply(_))) else {
        return;
    };
    let Effect::Reply(first) = &mut out[at] else {
        return;
    };
    if first.buttons.is_empty() && first.contact_button.is_none() {
        first.remove_keyboard = true;
    } else if first.parts.len() > 1 {
        let lead = Msg {
            parts: vec![first.parts.remove(0)],
            remove_keyboard: true,
            ..Msg::default()
        };
        out.insert(at, Effect::Reply(lead));
    }
}

fn turn(mut conv: Conversation, input: Input, ctx: &Ctx) -> (Conversation, Vec<Effect>) {
    let mut out = Vec::new();
    let first_contact = !conv.greeted;
    conv.greeted = true;

    // Commands work everywhere.
    if let Input::Text(t) = &input {
        if let Some(cmd) = Command::parse(t) {
            command(&mut conv, cmd, ctx, &mut out);
            return (conv, out);
        }
    }

    // A location, a poll, a dice …: a polite word, and the current question again.
    if let Input::Unsupported(what) = &input {
        let mut msg = Msg::new(
            Part::new("unsupported-input").msg("what", &format!("unsupported-{}", what.code())),
        );
        if matches!(conv.state, State::Idle | State::NewCaseConfirm) {
            msg = msg.row(vec![Button::new(
                "btn-menu",
                ButtonData::Menu(MenuItem::Menu),
            )]);
        }
        out.push(Effect::Reply(msg));
        flows::reask(&conv.state, ctx, &mut out);
        return (conv, out);
    }

    // Buttons that work everywhere.
    if let Input::Button(data) = &input {
        if global_button(&mut conv, *data, ctx, &mut out) {
            return (conv, out);
        }
    }

    // A question about the policy is answered wherever the customer is; a form then carries on.
    if let Input::Text(t) = &input {
        if let Some(Intent::Ask(q)) = ctx.phrases.intent(t) {
            // Symptoms after a resolved case ("vẫn còn đau") are about that case, not a question.
            let about_resolved = q == text::Question::Aftercare && ctx.resolved_case().is_some();
            let relayed_to_case =
                matches!(conv.state, State::Idle) && (ctx.open_case().is_some() || about_resolved);
            if !expects_free_text(&conv.state) && !relayed_to_case {
                // Kept, so that "Hỏi nhân viên" under the answer passes on this very question.
                conv.keep_unread(t.clone());
                out.push(Effect::Reply(questions::answer(q, ctx)));
                flows::reask(&conv.state, ctx, &mut out);
                return (conv, out);
            }
        }
    }

    let state = std::mem::take(&mut conv.state);
    conv.state = match state {
        State::Idle => {
            idle(&mut conv, input, ctx, first_contact, &mut out);
            std::mem::take(&mut conv.state)
        }
        State::Deferral { flow } => deferral::on_input(flow, input, ctx, &mut out),
        State::HandoffOffered { flow } => handoff::on_answer(flow, input, ctx, &mut out),
        State::Refund { flow } => refund::on_input(flow, input, ctx, &mut out),
        State::RefundHandoffOffered { flow } => handoff::on_answer(flow, input, ctx, &mut out),
        State::Complaint { flow } => complaint::on_input(flow, input, ctx, &mut out),
        State::RatingComment { case_id } => rating_comment(case_id, input, ctx, &mut out),
        State::NewCaseConfirm => {
            idle(&mut conv, input, ctx, false, &mut out);
            std::mem::take(&mut conv.state)
        }
    };
    (conv, out)
}

/// Whether the current question takes any text as the answer (a reason in the customer's words).
fn expects_free_text(state: &State) -> bool {
    match state {
        State::Deferral { flow } => flow.step == Step::ReasonText,
        State::Refund { flow } => flow.step == RefundStep::Reason,
        State::Complaint { flow } => {
            matches!(flow.step, ComplaintStep::Description | ComplaintStep::Media)
        }
        State::RatingComment { .. } => true,
        _ => false,
    }
}

/// The latest texts kept for "Hỏi nhân viên".
const MAX_UNREAD_KEPT: usize = 5;
