//! What works in every state: the slash commands, and starting a flow (from a command, the
//! menu, a request's button or the customer's first words).

use super::flows::{self, complaint, deferral, refund};
use super::views::menu::{contact_card, policy_summary, status_list};
use super::views::with_call_back;
use super::{
    Arg, Button, ButtonData, ComplaintFlow, Conversation, Ctx, DeferralFlow, Effect, Field,
    HandoffDetails, Lang, MenuItem, Msg, Part, RefundFlow, RequestDetails, RequestStatus, State,
    Step, Submission,
};

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

    /// `/baoluu`, `/BaoLuu extra` → `Defer`. `None` for an unknown command. (A channel that
    /// adds the bot's name to commands, as Telegram does in groups, takes it off first.)
    pub fn parse(text: &str) -> Option<Option<Command>> {
        let rest = text.trim().strip_prefix('/')?;
        let name = rest
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
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

pub(crate) fn command(
    conv: &mut Conversation,
    cmd: Option<Command>,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) {
    // A command ends the wait for a rating comment.
    if matches!(
        conv.state,
        State::RatingComment { .. } | State::NewCaseConfirm
    ) {
        conv.state = State::Idle;
    }
    match cmd {
        Some(Command::Start) if ctx.start.is_some() => {
            if let Some(link) = ctx.start {
                super::start_link::open(conv, link, ctx, out);
            }
        }
        Some(Command::Start) => {
            pause(conv);
            out.push(Effect::Reply(conv.menu(Some("greeting"), ctx)));
        }
        Some(Command::Menu) => {
            pause(conv);
            out.push(Effect::Reply(conv.menu(None, ctx)));
        }
        Some(Command::Help) => {
            out.push(Effect::Reply(
                Msg::new(Part::new("help").str("hotline", &ctx.company.hotline)).row(vec![
                    Button::new("btn-defer", ButtonData::Menu(MenuItem::Defer)),
                    Button::new("btn-status", ButtonData::Menu(MenuItem::Status)),
                ]),
            ));
            flows::reask(&conv.state, ctx, out);
        }
        Some(Command::Defer) => start_deferral(conv, ctx, out, None),
        Some(Command::Refund) => start_refund(conv, ctx, out, None),
        Some(Command::Complaint) => start_complaint(conv, ctx, out, false),
        Some(Command::RemindersOff) => {
            out.push(Effect::RemindersOff(true));
            out.push(Effect::Reply(Msg::id("reminders-off")));
            flows::reask(&conv.state, ctx, out);
        }
        Some(Command::RemindersOn) => {
            out.push(Effect::RemindersOff(false));
            out.push(Effect::Reply(Msg::id("reminders-on")));
            flows::reask(&conv.state, ctx, out);
        }
        Some(Command::Policy) => {
            out.push(Effect::Reply(policy_summary(ctx)));
            flows::reask(&conv.state, ctx, out);
        }
        Some(Command::Contact) => {
            out.push(Effect::Reply(contact_card(ctx)));
            flows::reask(&conv.state, ctx, out);
        }
        Some(Command::Status) => {
            out.push(Effect::Reply(status_list(ctx)));
            flows::reask(&conv.state, ctx, out);
        }
        Some(Command::Cancel) => cancel(conv, ctx, out),
        Some(Command::Language) => out.push(Effect::Reply(language_choice())),
        None => {
            out.push(Effect::Reply(conv.menu(Some("unknown-command"), ctx)));
        }
    }
}

pub(crate) fn language_choice() -> Msg {
    Msg::id("language-choose").row(vec![
        Button::new("btn-lang-vi", ButtonData::Language(Lang::Vi)),
        Button::new("btn-lang-en", ButtonData::Language(Lang::En)),
    ])
}

/// Starts a deferral. A first message that already holds answers fills them in, and only what is
/// missing is asked (the summary shows everything before anything is sent).
pub(crate) fn start_deferral(
    conv: &mut Conversation,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
    first: Option<&str>,
) {
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
pub(crate) fn ask_staff(conv: &mut Conversation, ctx: &Ctx, out: &mut Vec<Effect>) {
    if conv.unread.is_empty() {
        out.push(Effect::Reply(Msg::id("ask-staff-nothing")));
        flows::reask(&conv.state, ctx, out);
        return;
    }
    out.push(Effect::Submit(Submission {
        unread_answers: std::mem::take(&mut conv.unread),
        ..Submission::new(
            RequestStatus::Handoff,
            RequestDetails::Handoff(HandoffDetails::default()),
        )
    }));
    out.push(Effect::Reply(
        Msg::new(with_call_back(
            Part::new("handoff-done").arg("request", Arg::NewRequest),
            ctx,
        ))
        .row(vec![Button::new(
            "btn-menu",
            ButtonData::Menu(MenuItem::Menu),
        )]),
    ));
    flows::reask(&conv.state, ctx, out);
}

/// A complaint: a new case, unless one is open (then the customer chooses).
pub(crate) fn start_complaint(
    conv: &mut Conversation,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
    new_anyway: bool,
) {
    if let (Some(case), false) = (ctx.open_case(), new_anyway) {
        conv.state = State::NewCaseConfirm;
        out.push(Effect::Reply(
            Msg::new(Part::new("case-already-open").arg("case", Arg::RequestNo(case.number())))
                .row(vec![Button::new("btn-case-add", ButtonData::CaseAddMore)])
                .row(vec![Button::new("btn-case-new", ButtonData::CaseNew)]),
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

/// Starts a refund request. A first message that holds the invoice or the payment date fills
/// them in (the cause is always asked).
pub(crate) fn start_refund(
    conv: &mut Conversation,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
    first: Option<&str>,
) {
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
pub(crate) fn defer_from_request(
    conv: &mut Conversation,
    id: i64,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) {
    let Some(r) = ctx.requests.iter().find(|r| r.id == id) else {
        out.push(Effect::Reply(Msg::id("button-stale")));
        flows::reask(&conv.state, ctx, out);
        return;
    };
    conv.paused = None;
    let mut flow = DeferralFlow::new();
    flow.form.invoice = r.invoice.clone();
    flow.form.paid_on = r.paid_on;
    flow.step = Step::Ask(flow.form.first_missing_field().unwrap_or(Field::Invoice));
    let mut intro = Msg::id("defer-intro");
    intro
        .parts
        .extend(deferral::explain::form_lines(&flow.form));
    intro.parts.push(Part::new("defer-prefilled"));
    out.push(Effect::Reply(intro));
    out.push(Effect::Reply(deferral::question(&flow, ctx)));
    conv.state = State::Deferral { flow };
}

pub(crate) fn cancel(conv: &mut Conversation, ctx: &Ctx, out: &mut Vec<Effect>) {
    let had = !matches!(conv.state, State::Idle) || conv.paused.is_some();
    conv.state = State::Idle;
    conv.paused = None;
    let id = if had {
        "cancelled"
    } else {
        "nothing-to-cancel"
    };
    out.push(Effect::Reply(conv.menu(Some(id), ctx)));
}

pub(crate) fn pause(conv: &mut Conversation) {
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
