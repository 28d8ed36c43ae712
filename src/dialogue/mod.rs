//! The conversation as a value: `step(conversation, input, ctx) -> (conversation', effects)`.
//! Pure: no clock, no database, no Telegram, no Fluent. `today` and what the store knows come in
//! through [`Ctx`].

pub mod cards;
pub mod complaint;
mod deferral;
pub mod msg;
mod questions;
pub mod records;
mod refund;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::policy::{deferral::Decision, Callback, Company, Params};
use crate::text::{self, Intent};
pub use complaint::{Category, ComplaintFlow, ComplaintForm, ComplaintStep};
pub use deferral::{DeferralFlow, DeferralForm, Field, Step};
pub use msg::{Arg, Attachment, Button, Lang, MediaKind, Msg, Part};
pub use records::{
    case_no, request_no, Case, CaseEvent, CaseStatus, CaseSummary, Customer, Identity,
    KnownInvoice, RegistryMatch, Request, RequestKind, RequestStatus,
};
pub use refund::{
    read_job_done, read_notice, RefundFlow, RefundForm, RefundRecord, RefundStep,
    FIELDS as REFUND_FIELDS,
};

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
}

impl Conversation {
    pub fn new(lang: Lang) -> Conversation {
        Conversation {
            lang,
            ..Conversation::default()
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
    /// Callback data of an inline button the customer pressed.
    Button(String),
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

/// The commands the bot knows, in the order they are registered with Telegram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Start,
    Menu,
    Defer,
    Refund,
    Complaint,
    RemindersOff,
    RemindersOn,
    Policy,
    Contact,
    Status,
    Cancel,
    Language,
    Help,
}

impl Command {
    pub const ALL: [Command; 13] = [
        Command::Start,
        Command::Defer,
        Command::Refund,
        Command::Complaint,
        Command::Status,
        Command::Policy,
        Command::Contact,
        Command::Cancel,
        Command::Menu,
        Command::Language,
        Command::RemindersOff,
        Command::RemindersOn,
        Command::Help,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::Menu => "menu",
            Command::Defer => "baoluu",
            Command::Refund => "hoantien",
            Command::Complaint => "khieunai",
            Command::RemindersOff => "tatnhac",
            Command::RemindersOn => "batnhac",
            Command::Policy => "chinhsach",
            Command::Contact => "lienhe",
            Command::Status => "trangthai",
            Command::Cancel => "huy",
            Command::Language => "language",
            Command::Help => "help",
        }
    }

    /// The locale id of the command's description in the command list.
    pub fn description_id(self) -> String {
        format!("cmd-{}", self.name())
    }

    /// `/baoluu`, `/BaoLuu extra` → `Defer`. `None` for an unknown command.
    pub fn parse(text: &str) -> Option<Option<Command>> {
        let rest = text.trim().strip_prefix('/')?;
        let word = rest.split_whitespace().next().unwrap_or("");
        let name = word.to_ascii_lowercase();
        let cmd = match name.as_str() {
            "start" => Some(Command::Start),
            "menu" => Some(Command::Menu),
            "baoluu" | "defer" => Some(Command::Defer),
            "hoantien" | "hoantra" | "refund" => Some(Command::Refund),
            "khieunai" | "complaint" | "complain" => Some(Command::Complaint),
            "tatnhac" | "stopreminders" => Some(Command::RemindersOff),
            "batnhac" | "reminders" => Some(Command::RemindersOn),
            "chinhsach" | "policy" => Some(Command::Policy),
            "lienhe" | "contact" => Some(Command::Contact),
            "trangthai" | "status" => Some(Command::Status),
            "huy" | "cancel" => Some(Command::Cancel),
            "language" | "ngonngu" | "lang" => Some(Command::Language),
            "help" | "trogiup" => Some(Command::Help),
            _ => None,
        };
        Some(cmd)
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

/// A request to record, produced by a step.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub form: DeferralForm,
    pub decision: Option<Decision>,
    pub refund: Option<RefundRecord>,
    pub unread_answers: Vec<String>,
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
    /// A message to this customer. `Arg::NewRequest` and `{id}` refer to the request submitted
    /// earlier in the same step.
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

/// Does this input need the customer's requests in the context?
pub fn needs_requests(input: &Input, phrases: &text::Phrasebook) -> bool {
    match input {
        Input::Text(t) => {
            matches!(Command::parse(t), Some(Some(Command::Status)))
                || phrases.intent(t) == Some(Intent::Status)
        }
        Input::Button(data) => {
            data == "m:status"
                || ["x:", "d:", "ac:", "kp:"]
                    .iter()
                    .any(|p| data.starts_with(p))
        }
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
            msg = msg.row(vec![Button::new("btn-menu", "m:menu")]);
        }
        out.push(Effect::Reply(msg));
        reask_current(&conv, ctx, &mut out);
        return (conv, out);
    }

    // Buttons that work everywhere.
    if let Input::Button(data) = &input {
        if global_button(&mut conv, data, ctx, &mut out) {
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
                conv.unread.push(t.clone());
                if conv.unread.len() > MAX_UNREAD_KEPT {
                    conv.unread.remove(0);
                }
                out.push(Effect::Reply(questions::answer(q, ctx)));
                reask_current(&conv, ctx, &mut out);
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
        State::HandoffOffered { flow } => deferral::on_handoff_answer(flow, input, ctx, &mut out),
        State::Refund { flow } => refund::on_input(flow, input, ctx, &mut out),
        State::RefundHandoffOffered { flow } => {
            refund::on_handoff_answer(flow, input, ctx, &mut out)
        }
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

/// "Staff will call you from the hotline within N business hours, i.e. before …" (POLICY.md,
/// "Hotline follow-up"): the normal call-back deadline of something handed to staff now.
pub(crate) fn staff_will_call(ctx: &Ctx) -> Part {
    with_call_back(Part::new("staff-will-call"), ctx)
}

/// Adds the hotline and the normal call-back deadline (`$hotline`, `$hours`, `$deadline`).
pub(crate) fn with_call_back(part: Part, ctx: &Ctx) -> Part {
    part.str("hotline", &ctx.company.hotline)
        .int("hours", ctx.callback.normal_hours)
        .arg("deadline", Arg::Time(ctx.deadlines[0]))
}

/// The latest texts kept for "Hỏi nhân viên".
const MAX_UNREAD_KEPT: usize = 5;

fn command(conv: &mut Conversation, cmd: Option<Command>, ctx: &Ctx, out: &mut Vec<Effect>) {
    // A command ends the wait for a rating comment.
    if matches!(
        conv.state,
        State::RatingComment { .. } | State::NewCaseConfirm
    ) {
        conv.state = State::Idle;
    }
    match cmd {
        Some(Command::Start) => {
            pause(conv);
            out.push(Effect::Reply(menu(conv, Some("greeting"), ctx)));
        }
        Some(Command::Menu) => {
            pause(conv);
            out.push(Effect::Reply(menu(conv, None, ctx)));
        }
        Some(Command::Help) => {
            out.push(Effect::Reply(
                Msg::new(Part::new("help").str("hotline", &ctx.company.hotline)).row(vec![
                    Button::new("btn-defer", "m:defer"),
                    Button::new("btn-status", "m:status"),
                ]),
            ));
            reask_current(conv, ctx, out);
        }
        Some(Command::Defer) => start_deferral(conv, ctx, out, None),
        Some(Command::Refund) => start_refund(conv, ctx, out, None),
        Some(Command::Complaint) => start_complaint(conv, ctx, out, false),
        Some(Command::RemindersOff) => {
            out.push(Effect::RemindersOff(true));
            out.push(Effect::Reply(Msg::id("reminders-off")));
            reask_current(conv, ctx, out);
        }
        Some(Command::RemindersOn) => {
            out.push(Effect::RemindersOff(false));
            out.push(Effect::Reply(Msg::id("reminders-on")));
            reask_current(conv, ctx, out);
        }
        Some(Command::Policy) => {
            out.push(Effect::Reply(policy_summary(ctx)));
            reask_current(conv, ctx, out);
        }
        Some(Command::Contact) => {
            out.push(Effect::Reply(contact_card(ctx)));
            reask_current(conv, ctx, out);
        }
        Some(Command::Status) => {
            out.push(Effect::Reply(status_list(ctx)));
            reask_current(conv, ctx, out);
        }
        Some(Command::Cancel) => cancel(conv, ctx, out),
        Some(Command::Language) => out.push(Effect::Reply(language_choice())),
        None => {
            out.push(Effect::Reply(menu(conv, Some("unknown-command"), ctx)));
        }
    }
}

fn language_choice() -> Msg {
    Msg::id("language-choose").row(vec![
        Button::new("btn-lang-vi", "l:vi"),
        Button::new("btn-lang-en", "l:en"),
    ])
}

/// Handles buttons that mean the same in every state. Returns whether it did.
fn global_button(conv: &mut Conversation, data: &str, ctx: &Ctx, out: &mut Vec<Effect>) -> bool {
    match data {
        "m:defer" => start_deferral(conv, ctx, out, None),
        "m:refund" => start_refund(conv, ctx, out, None),
        "m:complaint" => start_complaint(conv, ctx, out, false),
        "kn:new" => start_complaint(conv, ctx, out, true),
        "kn:add" => {
            conv.state = State::Idle;
            out.push(Effect::Reply(Msg::id("case-write-more")));
        }
        "kr:skip" => {
            conv.state = State::Idle;
            out.push(Effect::Reply(Msg::id("rating-thanks")));
        }
        "m:policy" => command(conv, Some(Command::Policy), ctx, out),
        "m:contact" => command(conv, Some(Command::Contact), ctx, out),
        "m:status" => {
            out.push(Effect::Reply(status_list(ctx)));
            reask_current(conv, ctx, out);
        }
        "m:lang" => out.push(Effect::Reply(language_choice())),
        "m:help" => command(conv, Some(Command::Help), ctx, out),
        "m:menu" => command(conv, Some(Command::Menu), ctx, out),
        "m:ask-staff" => ask_staff(conv, ctx, out),
        "m:resume" => match (conv.paused.take(), &conv.state) {
            (Some(paused), State::Idle) => {
                out.push(Effect::Reply(Msg::id("resumed")));
                conv.state = *paused;
                reask_current(conv, ctx, out);
            }
            (paused, _) => {
                conv.paused = paused;
                reask_current(conv, ctx, out);
            }
        },
        "l:vi" | "l:en" => {
            conv.lang = Lang::from_code(&data[2..]).unwrap_or_default();
            conv.lang_chosen = true;
            out.push(Effect::Reply(Msg::id("language-set")));
            reask_current(conv, ctx, out);
        }
        _ if data.starts_with("kx:") => match data[3..].parse::<i64>() {
            Ok(id) => close_own_case(conv, id, ctx, out),
            Err(_) => out.push(Effect::Reply(Msg::id("button-stale"))),
        },
        _ if data.starts_with("kr:") => rate(conv, data, ctx, out),
        _ if data.starts_with("ac:") => aftercare_answer(conv, data, ctx, out),
        _ if data.starts_with("kp:") => {
            let invoice = data[3..]
                .parse::<i64>()
                .ok()
                .and_then(|id| ctx.requests.iter().find(|r| r.id == id))
                .and_then(|r| r.invoice.clone());
            start_complaint(conv, ctx, out, false);
            if let (State::Complaint { flow }, Some(inv)) = (&mut conv.state, invoice) {
                flow.form.invoice = Some(Some(inv));
            }
        }
        _ if data.starts_with("d:") => match data[2..].parse::<i64>() {
            Ok(id) => defer_from_request(conv, id, ctx, out),
            Err(_) => {
                out.push(Effect::Reply(Msg::id("button-stale")));
                reask_current(conv, ctx, out);
            }
        },
        _ => match data.strip_prefix("x:").map(str::parse::<i64>) {
            Some(Ok(id)) => ask_exception(conv, id, ctx, out),
            Some(Err(_)) => {
                out.push(Effect::Reply(Msg::id("button-stale")));
                reask_current(conv, ctx, out);
            }
            None => return false,
        },
    }
    true
}

fn ask_exception(conv: &mut Conversation, id: i64, ctx: &Ctx, out: &mut Vec<Effect>) {
    match ctx.requests.iter().find(|r| r.id == id) {
        Some(r) if r.status == RequestStatus::Rejected => {
            out.push(Effect::AskException { request_id: id });
            out.push(Effect::Reply(
                Msg::new(with_call_back(
                    Part::new("exception-sent").arg("request", Arg::RequestNo(r.number())),
                    ctx,
                ))
                .row(vec![Button::new("btn-menu", "m:menu")]),
            ));
        }
        Some(r) if r.status == RequestStatus::Exception => {
            out.push(Effect::Reply(Msg::new(
                Part::new("exception-already").arg("request", Arg::RequestNo(r.number())),
            )));
        }
        _ => out.push(Effect::Reply(Msg::id("button-stale"))),
    }
    reask_current(conv, ctx, out);
}

fn idle(conv: &mut Conversation, input: Input, ctx: &Ctx, first: bool, out: &mut Vec<Effect>) {
    // While a case is open, what the customer writes or sends goes to it, word for word.
    if let Some(case) = ctx.open_case() {
        let action = match &input {
            Input::Text(t) => ctx.phrases.intent(t).filter(|i| {
                matches!(
                    i,
                    Intent::Deferral | Intent::Refund | Intent::Status | Intent::Menu
                )
            }),
            _ => None,
        };
        let (text, media) = words_and_files(input.clone());
        if action.is_none() && (text.is_some() || !media.is_empty()) {
            out.push(Effect::CaseMessage {
                case_id: case.id,
                text,
                media,
            });
            out.push(Effect::Reply(
                Msg::new(
                    Part::new("case-message-added").arg("case", Arg::RequestNo(case.number())),
                )
                .row(case_buttons(case.id)),
            ));
            return;
        }
    }
    // After a case was resolved, words the bot cannot read otherwise (an objection, a photo)
    // belong to that case, not to "not understood".
    if let Some(case) = ctx.resolved_case() {
        let about_the_case = match &input {
            Input::Text(t) => match ctx.phrases.intent(t) {
                None => !text::is_small_talk(t),
                Some(Intent::Ask(q)) => q == text::Question::Aftercare,
                Some(_) => false,
            },
            Input::Media { attachment, .. } => {
                !matches!(attachment.kind, MediaKind::Sticker | MediaKind::Animation)
            }
            _ => false,
        };
        if about_the_case {
            let (text, media) = words_and_files(input);
            out.push(Effect::ReopenCase {
                case_id: case.id,
                text,
                media,
            });
            out.push(Effect::Reply(
                Msg::new(
                    Part::new("case-reopened-customer").arg("case", Arg::RequestNo(case.number())),
                )
                .then(staff_will_call(ctx))
                .row(case_buttons(case.id)),
            ));
            return;
        }
    }
    match input {
        Input::Text(t) => {
            if t.chars().count() > MAX_ANSWER_CHARS {
                out.push(Effect::Reply(menu(conv, Some("too-long-idle"), ctx)));
                return;
            }
            if text::is_small_talk(&t) {
                out.push(Effect::Reply(
                    Msg::id("small-talk").row(vec![Button::new("btn-menu", "m:menu")]),
                ));
                return;
            }
            match ctx.phrases.intent(&t) {
                Some(Intent::Deferral) => start_deferral(conv, ctx, out, Some(&t)),
                Some(Intent::Refund) => start_refund(conv, ctx, out, Some(&t)),
                Some(Intent::Complaint) => start_complaint(conv, ctx, out, false),
                Some(Intent::Status) => out.push(Effect::Reply(status_list(ctx))),
                Some(Intent::Cancel) => {
                    out.push(Effect::Reply(menu(conv, Some("nothing-to-cancel"), ctx)))
                }
                Some(Intent::Greeting | Intent::Menu | Intent::Help) => {
                    out.push(Effect::Reply(menu(conv, Some("greeting"), ctx)))
                }
                _ => {
                    // Kept word for word, for the customer to pass to staff if they wish.
                    conv.unread.push(t);
                    if conv.unread.len() > MAX_UNREAD_KEPT {
                        conv.unread.remove(0);
                    }
                    let lead = if first { "greeting" } else { "not-understood" };
                    let mut msg = menu(conv, Some(lead), ctx);
                    msg.parts.push(Part::new("not-understood-offer"));
                    msg.buttons
                        .insert(0, vec![Button::new("btn-ask-staff", "m:ask-staff")]);
                    out.push(Effect::Reply(msg));
                }
            }
        }
        Input::Button(_) => {
            out.push(Effect::Reply(menu(conv, Some("button-stale"), ctx)));
        }
        Input::Unsupported(_) => out.push(Effect::Reply(menu(conv, None, ctx))),
        Input::Media { attachment, .. } => {
            let id = media_notice_id(attachment.kind);
            out.push(Effect::Reply(menu(conv, Some(id), ctx)));
        }
        Input::Contact { .. } => out.push(Effect::Reply(menu(conv, Some("contact-idle"), ctx))),
    }
}

/// What a message carries for a case: its words (a caption, a shared number) and its files.
fn words_and_files(input: Input) -> (Option<String>, Vec<Attachment>) {
    match input {
        Input::Text(t) => (Some(t), Vec::new()),
        Input::Media {
            attachment,
            caption,
        } => (caption, vec![attachment]),
        Input::Contact { phone } => (Some(phone), Vec::new()),
        Input::Button(_) | Input::Unsupported(_) => (None, Vec::new()),
    }
}

/// The buttons under a word about a case: the menu, and closing the case.
fn case_buttons(case_id: i64) -> Vec<Button> {
    vec![
        Button::new("btn-menu", "m:menu"),
        Button {
            label: Part::new("btn-close-case"),
            data: format!("kx:{case_id}"),
        },
    ]
}

/// What to say about a file sent where the bot did not ask for one.
fn media_notice_id(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Sticker | MediaKind::Animation => "media-sticker",
        MediaKind::Voice | MediaKind::Audio | MediaKind::VideoNote => "media-voice",
        _ => "media-file",
    }
}

/// Starts a deferral. A first message that already holds answers fills them in, and only what is
/// missing is asked (the summary shows everything before anything is sent).
fn start_deferral(conv: &mut Conversation, ctx: &Ctx, out: &mut Vec<Effect>, first: Option<&str>) {
    conv.paused = None;
    let mut flow = DeferralFlow::new();
    let filled = first.map_or(0, |t| deferral::prefill(&mut flow, t, ctx));
    let mut intro = Msg::id("defer-intro").then(Part::new("defer-intro-cancel"));
    if filled > 0 {
        intro = intro.then(Part::new("defer-from-message").int("count", filled as i64));
    }
    out.push(Effect::Reply(intro));
    out.push(Effect::Reply(deferral::question(&flow, ctx)));
    conv.state = State::Deferral { flow };
}

/// "Hỏi nhân viên": what the customer wrote goes to staff as a hand-off.
fn ask_staff(conv: &mut Conversation, ctx: &Ctx, out: &mut Vec<Effect>) {
    if conv.unread.is_empty() {
        out.push(Effect::Reply(Msg::id("ask-staff-nothing")));
        reask_current(conv, ctx, out);
        return;
    }
    out.push(Effect::Submit(Submission {
        kind: RequestKind::Handoff,
        status: RequestStatus::Handoff,
        form: DeferralForm::default(),
        decision: None,
        refund: None,
        unread_answers: std::mem::take(&mut conv.unread),
    }));
    out.push(Effect::Reply(
        Msg::new(with_call_back(
            Part::new("handoff-done").arg("request", Arg::NewRequest),
            ctx,
        ))
        .row(vec![Button::new("btn-menu", "m:menu")]),
    ));
    reask_current(conv, ctx, out);
}

/// A complaint: a new case, unless one is open (then the customer chooses).
fn start_complaint(conv: &mut Conversation, ctx: &Ctx, out: &mut Vec<Effect>, new_anyway: bool) {
    if let (Some(case), false) = (ctx.open_case(), new_anyway) {
        conv.state = State::NewCaseConfirm;
        out.push(Effect::Reply(
            Msg::new(Part::new("case-already-open").arg("case", Arg::RequestNo(case.number())))
                .row(vec![Button::new("btn-case-add", "kn:add")])
                .row(vec![Button::new("btn-case-new", "kn:new")]),
        ));
        return;
    }
    conv.paused = None;
    let flow = ComplaintFlow::new();
    out.push(Effect::Reply(
        Msg::new(
            Part::new("complaint-intro")
                .str("hotline", &ctx.company.hotline)
                .rule("rule", crate::policy::Rule::Complaint),
        )
        .then(Part::new("defer-intro-cancel")),
    ));
    out.push(Effect::Reply(complaint::question(&flow, ctx)));
    conv.state = State::Complaint { flow };
}

/// `ac:ok:ID` / `ac:bad:ID`: how the customer is after the job.
fn aftercare_answer(conv: &mut Conversation, data: &str, ctx: &Ctx, out: &mut Vec<Effect>) {
    let mut it = data[3..].split(':');
    let answer = it.next().unwrap_or("");
    let request = it
        .next()
        .and_then(|id| id.parse::<i64>().ok())
        .and_then(|id| ctx.requests.iter().find(|r| r.id == id));
    match (answer, request) {
        ("ok", Some(_)) => out.push(Effect::Reply(Msg::id("aftercare-glad"))),
        ("bad", Some(r)) => {
            out.push(Effect::AftercareProblem { request_id: r.id });
            out.push(Effect::Reply(
                Msg::new(
                    Part::new("aftercare-guidance").rule("rule", crate::policy::Rule::Aftercare),
                )
                .then(Part::new("aftercare-complaint-offer").str("hotline", &ctx.company.hotline))
                .row(vec![Button::new("btn-complaint", format!("kp:{}", r.id))]),
            ));
        }
        _ => out.push(Effect::Reply(Msg::id("button-stale"))),
    }
    reask_current(conv, ctx, out);
}

fn close_own_case(conv: &mut Conversation, id: i64, ctx: &Ctx, out: &mut Vec<Effect>) {
    match ctx.cases.iter().find(|c| c.id == id) {
        Some(c) if c.status != CaseStatus::Closed => {
            out.push(Effect::CloseCase { case_id: id });
            out.push(Effect::Reply(
                Msg::new(
                    Part::new("case-closed-by-customer").arg("case", Arg::RequestNo(c.number())),
                )
                .row(vec![Button::new("btn-menu", "m:menu")]),
            ));
        }
        _ => out.push(Effect::Reply(Msg::id("button-stale"))),
    }
    reask_current(conv, ctx, out);
}

/// `kr:ID:N`: the customer's stars for a resolved case.
fn rate(conv: &mut Conversation, data: &str, ctx: &Ctx, out: &mut Vec<Effect>) {
    let mut it = data[3..].split(':');
    let parsed = (
        it.next().and_then(|x| x.parse::<i64>().ok()),
        it.next().and_then(|x| x.parse::<i64>().ok()),
    );
    match parsed {
        (Some(id), Some(stars)) if (1..=5).contains(&stars) => {
            match ctx.cases.iter().find(|c| c.id == id) {
                Some(c) if c.status == CaseStatus::Resolved && c.rating.is_none() => {
                    out.push(Effect::RateCase {
                        case_id: id,
                        stars: Some(stars),
                        comment: None,
                    });
                    if matches!(conv.state, State::Idle) {
                        out.push(Effect::Reply(
                            Msg::new(Part::new("rating-ask-comment").int("stars", stars))
                                .row(vec![Button::new("btn-rating-skip", "kr:skip")]),
                        ));
                        conv.state = State::RatingComment { case_id: id };
                    } else {
                        // In the middle of a form: thanks, and the form carries on.
                        out.push(Effect::Reply(Msg::new(
                            Part::new("rating-thanks-stars").int("stars", stars),
                        )));
                        reask_current(conv, ctx, out);
                    }
                }
                Some(c) if c.rating.is_some() => out.push(Effect::Reply(Msg::id("rating-already"))),
                // Not resolved (any more: the customer wrote again and it reopened).
                _ => out.push(Effect::Reply(Msg::id("button-stale"))),
            }
        }
        _ => out.push(Effect::Reply(Msg::id("button-stale"))),
    }
}

fn rating_comment(case_id: i64, input: Input, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    // Words that ask for something else are not a comment.
    let asks = |t: &str| {
        matches!(
            ctx.phrases.intent(t),
            Some(
                Intent::Deferral
                    | Intent::Refund
                    | Intent::Complaint
                    | Intent::Status
                    | Intent::Menu
                    | Intent::Cancel
                    | Intent::Ask(_)
            )
        )
    };
    match input {
        Input::Text(t) if !t.trim().is_empty() && !asks(&t) => {
            out.push(Effect::RateCase {
                case_id,
                stars: None,
                comment: Some(t.trim().to_string()),
            });
            out.push(Effect::Reply(Msg::id("rating-thanks")));
            State::Idle
        }
        other => {
            // Not a comment: the rating stands, and the message is handled as usual.
            let mut conv = Conversation::default();
            conv.greeted = true;
            idle(&mut conv, other, ctx, false, out);
            conv.state
        }
    }
}

/// Starts a refund request. A first message that holds the invoice or the payment date fills
/// them in (the cause is always asked).
fn start_refund(conv: &mut Conversation, ctx: &Ctx, out: &mut Vec<Effect>, first: Option<&str>) {
    conv.paused = None;
    let mut flow = RefundFlow::new();
    let (filled, registry) = first.map_or((0, None), |t| refund::prefill(&mut flow, t, ctx));
    let mut intro = Msg::id("refund-intro").then(Part::new("defer-intro-cancel"));
    if filled > 0 {
        intro = intro.then(Part::new("defer-from-message").int("count", filled as i64));
    }
    if let Some(line) = registry {
        intro = intro.then(line);
    }
    out.push(Effect::Reply(intro));
    out.push(Effect::Reply(refund::question(&flow, ctx)));
    conv.state = State::Refund { flow };
}

/// "Bảo lưu thay thế" under a refund answer: a deferral with the invoice and payment date of
/// that refund request already filled in.
fn defer_from_request(conv: &mut Conversation, id: i64, ctx: &Ctx, out: &mut Vec<Effect>) {
    let Some(r) = ctx.requests.iter().find(|r| r.id == id) else {
        out.push(Effect::Reply(Msg::id("button-stale")));
        reask_current(conv, ctx, out);
        return;
    };
    conv.paused = None;
    let mut flow = DeferralFlow::new();
    flow.form.invoice = r.invoice.clone();
    flow.form.paid_on = r.paid_on;
    flow.step = Step::Ask(flow.form.first_missing_field().unwrap_or(Field::Invoice));
    let mut intro = Msg::id("defer-intro");
    intro.parts.extend(cards::form_lines(&flow.form));
    intro.parts.push(Part::new("defer-prefilled"));
    out.push(Effect::Reply(intro));
    out.push(Effect::Reply(deferral::question(&flow, ctx)));
    conv.state = State::Deferral { flow };
}

/// The policy as a readable summary, each point with its rule.
pub(crate) fn policy_summary(ctx: &Ctx) -> Msg {
    let p = ctx.params;
    Msg::new(Part::new("policy-title").str("company", &ctx.company.name))
        .then(
            Part::new("policy-defer")
                .int("window", p.defer_request_window_days)
                .rule("rule", crate::policy::Rule::DeferWindow),
        )
        .then(Part::new("policy-reasons").rule("rule", crate::policy::Rule::DeferReasons))
        .then(Part::new("policy-invoice").rule("rule", crate::policy::Rule::KeepInvoice))
        .then(
            Part::new("policy-notice")
                .int("notice", p.defer_notice_days)
                .rule("rule", crate::policy::Rule::Notice),
        )
        .then(
            Part::new("policy-max")
                .int("max", p.defer_max_days)
                .rule("rule", crate::policy::Rule::DeferMax),
        )
        .then(Part::new("policy-no-refund").rule("rule", crate::policy::Rule::NoRefund))
        .then(
            Part::new("policy-postpone")
                .int("days", p.company_postpone_max_days)
                .rule("rule", crate::policy::Rule::CompanyPostpone),
        )
        .then(
            Part::new("policy-refund")
                .int("days", p.refund_after_days)
                .rule("rule", crate::policy::Rule::RefundCompanyFault),
        )
        .then(Part::new("policy-records").rule("rule", crate::policy::Rule::Records))
        .then(Part::new("policy-aftercare").rule("rule", crate::policy::Rule::Aftercare))
        .then(
            Part::new("policy-complaint")
                .str("hotline", &ctx.company.hotline)
                .rule("rule", crate::policy::Rule::Complaint),
        )
        .row(vec![
            Button::new("btn-defer", "m:defer"),
            Button::new("btn-refund", "m:refund"),
        ])
        .row(vec![Button::new("btn-contact", "m:contact")])
}

/// The company's contact card; Telegram makes the +84 number tappable.
pub fn contact_card(ctx: &Ctx) -> Msg {
    let c = ctx.company;
    let international = crate::text::Phone::parse(&c.hotline)
        .map(|p| p.e164())
        .unwrap_or_else(|_| c.hotline.clone());
    Msg::new(
        Part::new("contact-card")
            .str("company", &c.name)
            .str("hotline", &c.hotline)
            .str("hotline_e164", international)
            .str("email", &c.email)
            .str("website", &c.website)
            .str("address", &c.address)
            .rule("rule", crate::policy::Rule::Contact),
    )
}

fn cancel(conv: &mut Conversation, ctx: &Ctx, out: &mut Vec<Effect>) {
    let had = !matches!(conv.state, State::Idle) || conv.paused.is_some();
    conv.state = State::Idle;
    conv.paused = None;
    let id = if had {
        "cancelled"
    } else {
        "nothing-to-cancel"
    };
    out.push(Effect::Reply(menu(conv, Some(id), ctx)));
}

fn pause(conv: &mut Conversation) {
    match std::mem::take(&mut conv.state) {
        State::Idle => {}
        // An offer to pass to staff resumes as the form it came from.
        State::HandoffOffered { flow } => conv.paused = Some(Box::new(State::Deferral { flow })),
        State::RefundHandoffOffered { flow } => {
            conv.paused = Some(Box::new(State::Refund { flow }))
        }
        form => conv.paused = Some(Box::new(form)),
    }
}

/// After an interruption, ask the current question again so the form carries on.
fn reask_current(conv: &Conversation, ctx: &Ctx, out: &mut Vec<Effect>) {
    match &conv.state {
        State::Deferral { flow } => out.push(Effect::Reply(deferral::question(flow, ctx))),
        State::Refund { flow } => out.push(Effect::Reply(refund::question(flow, ctx))),
        State::HandoffOffered { .. } | State::RefundHandoffOffered { .. } => {
            out.push(Effect::Reply(deferral::handoff_offer()))
        }
        State::Complaint { flow } => out.push(Effect::Reply(complaint::question(flow, ctx))),
        State::Idle | State::RatingComment { .. } | State::NewCaseConfirm => {}
    }
}

/// The main menu, optionally after a leading message.
pub fn menu(conv: &Conversation, lead: Option<&str>, ctx: &Ctx) -> Msg {
    let mut msg = Msg::default();
    if let Some(id) = lead {
        msg.parts
            .push(Part::new(id).str("company", &ctx.company.name));
    }
    msg.parts.push(Part::new("menu"));
    if conv.paused.is_some() {
        msg.buttons
            .push(vec![Button::new("btn-resume", "m:resume")]);
    }
    msg.buttons.push(vec![
        Button::new("btn-defer", "m:defer"),
        Button::new("btn-refund", "m:refund"),
    ]);
    msg.buttons
        .push(vec![Button::new("btn-complaint", "m:complaint")]);
    msg.buttons.push(vec![
        Button::new("btn-status", "m:status"),
        Button::new("btn-policy", "m:policy"),
    ]);
    msg.buttons.push(vec![
        Button::new("btn-contact", "m:contact"),
        Button::new("btn-language", "m:lang"),
    ]);
    msg.remove_keyboard = true;
    msg
}

fn status_list(ctx: &Ctx) -> Msg {
    if ctx.requests.is_empty() && ctx.cases.is_empty() {
        return Msg::id("status-none").row(vec![Button::new("btn-defer", "m:defer")]);
    }
    let mut msg = Msg::id("status-header");
    for c in ctx.cases.iter().take(10) {
        msg.parts.push(
            Part::new("status-case-line")
                .arg("case", Arg::RequestNo(c.number()))
                .date("created", c.created_on)
                .int("step", c.step)
                .msg("status", &format!("case-status-{}", c.status.code())),
        );
        if c.status != CaseStatus::Closed {
            msg.buttons.push(vec![Button {
                label: Part::new("btn-close-case-for").arg("case", Arg::RequestNo(c.number())),
                data: format!("kx:{}", c.id),
            }]);
        }
    }
    for r in ctx.requests.iter().take(10) {
        let mut part = Part::new("status-line")
            .arg("request", Arg::RequestNo(r.number()))
            .msg("kind", &format!("kind-{}", r.kind.code()))
            .date("created", r.created_on)
            .msg("status", &format!("status-{}", r.status.code()));
        part = part.str("invoice", r.invoice.clone().unwrap_or_else(|| "-".into()));
        msg.parts.push(part);
        if let Some(d) = r.new_date {
            if matches!(
                r.status,
                RequestStatus::Approved | RequestStatus::StaffApproved
            ) {
                msg.parts.push(Part::new("status-new-date").date("date", d));
            }
        }
        if r.status == RequestStatus::Rejected {
            msg.buttons.push(vec![Button {
                label: Part::new("btn-exception-for").arg("request", Arg::RequestNo(r.number())),
                data: format!("x:{}", r.id),
            }]);
        }
    }
    msg
}
