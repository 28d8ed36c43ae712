//! The refund form (hoàn trả chi phí): invoice, payment date, whether the job was done, why,
//! whether the company announced a postponement and to which date; then POLICY.md's refund table,
//! explained in [`explain`].

pub mod explain;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{media_in_form, on_pending, pick_question, picks, read_date_answer, OnPending, Read};
use super::{summary_choice, SummaryChoice};
use crate::dialogue::buttons::{ButtonData, EditField, FormAction, MenuItem};
use crate::dialogue::handoff::{self, Form};
use crate::dialogue::views::{clip, CARD_TEXT_CHARS};
use crate::dialogue::{
    Attachment, Button, Ctx, Effect, HandoffDetails, Input, MediaKind, Msg, Part, RefundRecord,
    RequestDetails, RequestStatus, State, Submission, MAX_ANSWER_CHARS, MAX_REASON_CHARS,
};
use crate::policy::refund::{decide_refund, Postponement, RefundCause, RefundFacts};
use crate::policy::{self};
use crate::text::{self, Intent, Reading, YearHint};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundStep {
    Invoice,
    PaidOn,
    JobDone,
    Cause,
    Notice,
    NoticeOriginal,
    NoticeNew,
    Reason,
    Summary,
    PickField,
}

/// What the customer has told us so far.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RefundForm {
    pub invoice: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub job_done: Option<bool>,
    pub cause: Option<RefundCause>,
    /// Whether the company told the customer of a postponement.
    pub notice: Option<bool>,
    pub original_date: Option<NaiveDate>,
    pub moved_to: Option<NaiveDate>,
    /// The reason in the customer's own words.
    pub reason_text: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Whether the invoice was found in the registry.
    #[serde(default)]
    pub registry: Option<crate::dialogue::RegistryMatch>,
}

impl RefundForm {
    /// The next question, skipping those the earlier answers make moot.
    fn first_missing(&self) -> Option<RefundStep> {
        if self.invoice.is_none() {
            return Some(RefundStep::Invoice);
        }
        if self.paid_on.is_none() {
            return Some(RefundStep::PaidOn);
        }
        match self.job_done {
            None => return Some(RefundStep::JobDone),
            Some(true) => {}
            Some(false) => match self.cause {
                None => return Some(RefundStep::Cause),
                Some(RefundCause::Own) => {}
                Some(RefundCause::JobNotDone) => match self.notice {
                    None => return Some(RefundStep::Notice),
                    Some(false) => {}
                    Some(true) if self.original_date.is_none() => {
                        return Some(RefundStep::NoticeOriginal)
                    }
                    Some(true) if self.moved_to.is_none() => return Some(RefundStep::NoticeNew),
                    Some(true) => {}
                },
            },
        }
        if self.reason_text.is_none() {
            return Some(RefundStep::Reason);
        }
        None
    }

    fn facts(&self) -> Option<RefundFacts> {
        let job_done = self.job_done?;
        Some(RefundFacts {
            paid_on: self.paid_on?,
            job_done,
            cause: if job_done {
                RefundCause::JobNotDone
            } else {
                self.cause?
            },
            postponement: match (self.notice, self.original_date, self.moved_to) {
                (Some(true), Some(original), Some(moved_to)) => {
                    Some(Postponement { original, moved_to })
                }
                _ => None,
            },
        })
    }

    /// The request recorded from this form: the answers every request keeps, and `details`.
    fn submission(self, status: RequestStatus, details: RequestDetails) -> Submission {
        Submission {
            invoice: self.invoice,
            reason_text: self.reason_text,
            attachments: self.attachments,
            registry: self.registry,
            ..Submission::new(status, details)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundFlow {
    pub form: RefundForm,
    pub step: RefundStep,
    pub tries: u8,
    #[serde(default)]
    pub unread: Vec<String>,
    /// Values read from the customer's words for the current question, shown back to be
    /// confirmed or picked, as they would be typed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<String>,
}

impl RefundFlow {
    pub fn new() -> RefundFlow {
        RefundFlow {
            form: RefundForm::default(),
            step: RefundStep::Invoice,
            tries: 0,
            unread: Vec::new(),
            pending: Vec::new(),
        }
    }
}

impl Default for RefundFlow {
    fn default() -> Self {
        RefundFlow::new()
    }
}

impl Form for RefundFlow {
    fn tries(&mut self) -> &mut u8 {
        &mut self.tries
    }

    fn unread(&mut self) -> &mut Vec<String> {
        &mut self.unread
    }

    fn handoff(self) -> Submission {
        let details = HandoffDetails {
            paid_on: self.form.paid_on,
            ..HandoffDetails::default()
        };
        Submission {
            unread_answers: self.unread,
            ..self
                .form
                .submission(RequestStatus::Handoff, RequestDetails::Handoff(details))
        }
    }

    fn ask(self, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
        out.push(Effect::Reply(question(&self, ctx)));
        State::Refund { flow: self }
    }

    fn offered(self) -> State {
        State::RefundHandoffOffered { flow: self }
    }

    /// A negation wins here too ("không cần đâu").
    fn read_yes_no(t: &str, ctx: &Ctx) -> Option<bool> {
        yes_no(t, ctx.phrases)
    }
}

/// The answers the summary lets the customer change: (button, question).
pub const FIELDS: [(EditField, RefundStep); 6] = [
    (EditField::Invoice, RefundStep::Invoice),
    (EditField::Paid, RefundStep::PaidOn),
    (EditField::JobDone, RefundStep::JobDone),
    (EditField::Cause, RefundStep::Cause),
    (EditField::Notice, RefundStep::Notice),
    (EditField::Reason, RefundStep::Reason),
];

pub fn question(flow: &RefundFlow, _ctx: &Ctx) -> Msg {
    if !flow.pending.is_empty() {
        return pick_question(&flow.pending);
    }
    match flow.step {
        RefundStep::Invoice => Msg::id("ask-invoice"),
        RefundStep::PaidOn => Msg::id("ask-paid"),
        RefundStep::JobDone => Msg::id("ask-job-done").row(vec![
            Button::new("btn-job-done", ButtonData::JobDone(true)),
            Button::new("btn-job-not-done", ButtonData::JobDone(false)),
        ]),
        RefundStep::Cause => Msg::id("ask-refund-cause")
            .row(vec![Button::new(
                "btn-cause-company",
                ButtonData::Cause(RefundCause::JobNotDone),
            )])
            .row(vec![Button::new(
                "btn-cause-own",
                ButtonData::Cause(RefundCause::Own),
            )]),
        RefundStep::Notice => Msg::id("ask-postpone-notice").row(vec![
            Button::new("btn-notice-yes", ButtonData::Notice(true)),
            Button::new("btn-notice-no", ButtonData::Notice(false)),
        ]),
        RefundStep::NoticeOriginal => Msg::id("ask-postpone-original"),
        RefundStep::NoticeNew => Msg::id("ask-postpone-new"),
        RefundStep::Reason => Msg::id("ask-refund-reason"),
        RefundStep::Summary => {
            let mut msg = Msg::id("refund-summary-header");
            msg.parts.extend(form_lines(&flow.form));
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
        RefundStep::PickField => {
            let mut msg = Msg::id("pick-field");
            for pair in FIELDS.chunks(2) {
                msg = msg.row(
                    pair.iter()
                        .map(|(field, _)| {
                            let label = format!("refund-field-{}", field.code());
                            Button::new(&label, ButtonData::Edit(*field))
                        })
                        .collect(),
                );
            }
            msg.row(vec![Button::new("btn-back", ButtonData::EditBack)])
        }
    }
}

/// The refund form as lines ("• Đã thi công: chưa").
pub fn form_lines(form: &RefundForm) -> Vec<Part> {
    let mut lines = Vec::new();
    if let Some(i) = &form.invoice {
        lines.push(Part::new("line-invoice").str("invoice", i));
    }
    if let Some(d) = form.paid_on {
        lines.push(Part::new("line-paid").date("date", d));
    }
    if let Some(done) = form.job_done {
        lines.push(Part::new(if done {
            "line-job-done"
        } else {
            "line-job-not-done"
        }));
    }
    match (form.job_done, form.cause) {
        (Some(false), Some(RefundCause::JobNotDone)) => lines.push(Part::new("line-cause-company")),
        (Some(false), Some(RefundCause::Own)) => lines.push(Part::new("line-cause-own")),
        _ => {}
    }
    match (form.notice, form.original_date, form.moved_to) {
        (Some(true), Some(o), Some(n)) => {
            lines.push(Part::new("line-postponed").date("from", o).date("to", n))
        }
        (Some(false), _, _) => lines.push(Part::new("line-not-postponed")),
        _ => {}
    }
    if let Some(t) = &form.reason_text {
        lines.push(Part::new("line-refund-reason").str("text", clip(t, CARD_TEXT_CHARS)));
    }
    if !form.attachments.is_empty() {
        lines.push(Part::new("line-attachments").int("count", form.attachments.len() as i64));
    }
    lines
}

fn why(step: RefundStep) -> Msg {
    Msg::id(match step {
        RefundStep::Invoice => "why-invoice",
        RefundStep::PaidOn => "why-refund-paid",
        RefundStep::JobDone => "why-job-done",
        RefundStep::Cause | RefundStep::Reason => "why-refund-cause",
        RefundStep::Notice | RefundStep::NoticeOriginal | RefundStep::NoticeNew => "why-postpone",
        RefundStep::Summary | RefundStep::PickField => "why-summary",
    })
}

fn cancelled() -> Msg {
    Msg::id("cancelled")
        .then(Part::new("menu"))
        .row(vec![Button::new(
            "btn-refund",
            ButtonData::Menu(MenuItem::Refund),
        )])
}

enum Answer {
    Invoice(String),
    Date(NaiveDate),
    Yes,
    No,
    /// The cause, with the customer's words when they typed it.
    Cause(RefundCause, Option<String>),
    Text(String),
    /// Values read from words, to show back for the customer to confirm or pick.
    Pick(Vec<String>),
    Bad(Part),
}

fn keep(flow: RefundFlow) -> State {
    State::Refund { flow }
}

pub fn on_input(mut flow: RefundFlow, input: Input, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    if let Input::Button(data) = &input {
        let (on_summary, on_picker) = (
            flow.step == RefundStep::Summary,
            flow.step == RefundStep::PickField,
        );
        let field = |edit| {
            FIELDS
                .iter()
                .find(|(f, _)| *f == edit)
                .map(|(_, step)| *step)
        };
        if let Some(choice) = summary_choice(on_summary, on_picker, *data, field) {
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
    if let Input::Text(t) = &input {
        if flow.step != RefundStep::Reason {
            match ctx.phrases.intent(t) {
                Some(Intent::Why) => {
                    out.push(Effect::Reply(why(flow.step)));
                    return flow.ask(ctx, out);
                }
                Some(Intent::Cancel) => {
                    out.push(Effect::Reply(cancelled()));
                    return State::Idle;
                }
                _ => {}
            }
        }
    }
    let answer = match (flow.step, input) {
        (RefundStep::Summary | RefundStep::PickField, Input::Media { attachment, .. }) => {
            flow.form.attachments.push(attachment);
            out.push(Effect::Reply(Msg::id("media-kept")));
            return flow.ask(ctx, out);
        }
        (RefundStep::Summary | RefundStep::PickField, _) => {
            out.push(Effect::Reply(Msg::id("use-buttons")));
            return flow.ask(ctx, out);
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
    mut flow: RefundFlow,
    choice: SummaryChoice<RefundStep>,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) -> State {
    match choice {
        SummaryChoice::Submit => return submit(flow, ctx, out),
        SummaryChoice::Cancel => {
            out.push(Effect::Reply(cancelled()));
            return State::Idle;
        }
        SummaryChoice::Edit => flow.step = RefundStep::PickField,
        SummaryChoice::Back => flow.step = RefundStep::Summary,
        SummaryChoice::Change(step) => {
            flow.step = step;
            flow.tries = 0;
        }
    }
    flow.ask(ctx, out)
}

/// A file sent while a question waits: kept for staff; a caption may carry the answer.
/// `None`: no answer in it, the customer was told so.
fn on_media(
    flow: &mut RefundFlow,
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
fn button_answer(step: RefundStep, data: ButtonData) -> Option<Answer> {
    match (step, data) {
        (RefundStep::JobDone, ButtonData::JobDone(yes))
        | (RefundStep::Notice, ButtonData::Notice(yes)) => {
            Some(if yes { Answer::Yes } else { Answer::No })
        }
        (RefundStep::Cause, ButtonData::Cause(cause)) => Some(Answer::Cause(cause, None)),
        _ => None,
    }
}

/// A typed yes or no, only when clear: a negation wins over a "có" inside it, and an answer that
/// says both is unsure (the question is asked again with its buttons).
fn yes_no(t: &str, phrases: &text::Phrasebook) -> Option<bool> {
    match (text::read_yes_no(t), phrases.intent(t)) {
        (Some(v), _) => Some(v),
        (None, Some(Intent::No | Intent::NoneAvailable)) if text::has_negation(t) => Some(false),
        _ => None,
    }
}

/// "Was the job done?" typed: `Some(true)` done, `Some(false)` not done, `None` unsure. The
/// buttons' own words ("chưa thi công", "làm rồi") count as pressing them; a negation next to
/// "done" ("xong rồi mà không đẹp") is unsure, never "not done".
pub fn read_job_done(t: &str, phrases: &text::Phrasebook) -> Option<bool> {
    match (
        has_any(t, NOT_DONE),
        has_any(t, DONE),
        text::has_negation(t),
    ) {
        (true, true, _) | (false, true, true) => None,
        (true, false, _) => Some(false),
        (false, true, false) => Some(true),
        (false, false, _) => yes_no(t, phrases),
    }
}

/// "Did the company tell you of a postponement?" typed: a negation wins over the "có báo"
/// inside it ("ko co bao gi het a" is no); an answer saying both is unsure.
pub fn read_notice(t: &str, phrases: &text::Phrasebook) -> Option<bool> {
    match yes_no(t, phrases) {
        Some(false) => Some(false),
        Some(true) if has_any(t, NO_NOTICE) => None,
        Some(true) => Some(true),
        None if has_any(t, NO_NOTICE) && !has_any(t, NOTICE) && !text::has_negation(t) => {
            Some(false)
        }
        None => None,
    }
}

/// Folded phrases, matched on word boundaries: "not done yet", "done", "no notice", "notice
/// given", "the company's fault".
const NOT_DONE: &[&str] = &[
    "chua thi cong",
    "chua lam",
    "chua duoc lam",
    "chua duoc thi cong",
    "khong lam",
    "khong thi cong",
    "not done",
    "not yet",
];
const DONE: &[&str] = &[
    "da thi cong",
    "thi cong roi",
    "da lam",
    "lam roi",
    "xong",
    "done",
];
const NO_NOTICE: &[&str] = &[
    "khong duoc bao",
    "khong bao",
    "chua bao",
    "khong thong bao",
    "chua duoc bao",
    "no notice",
];
const NOTICE: &[&str] = &[
    "co bao",
    "da bao",
    "bao roi",
    "co thong bao",
    "da thong bao",
    "bao doi",
];
const COMPANY_FAULT: &[&str] = &[
    "khong lien lac",
    "khong ai lien lac",
    "ko ai lien lac",
    "thu tien roi",
    "thu phi roi",
    "cham tre",
    "qua han",
    "chua thay lam",
    "chua thay thi cong",
    "chua thay ai",
    "khong den lam",
    "ko den lam",
    "hen ma khong den",
];

/// "Why do you want the fee back?" typed: the company's fault (the job not done, no word from
/// it), or the customer's own situation in their words; `None` for a bare answer word.
pub fn read_cause(t: &str, phrases: &text::Phrasebook) -> Option<RefundCause> {
    let words = t.trim();
    if has_any(t, NOT_DONE) || has_any(t, COMPANY_FAULT) {
        Some(RefundCause::JobNotDone)
    } else if words.chars().count() >= 3 && !is_short_answer(phrases.intent(t)) {
        // The customer's own situation, in their words: kept as the reason.
        Some(RefundCause::Own)
    } else {
        None
    }
}

/// An answer or a command word rather than a reason ("ok", "không", "menu").
fn is_short_answer(intent: Option<Intent>) -> bool {
    matches!(
        intent,
        Some(
            Intent::Yes
                | Intent::No
                | Intent::NoneAvailable
                | Intent::Why
                | Intent::Cancel
                | Intent::Menu
                | Intent::Help
                | Intent::Greeting
                | Intent::Status
        )
    )
}

fn has_any(t: &str, phrases: &[&str]) -> bool {
    let words: String = text::fold(t)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let folded = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    phrases.iter().any(|p| folded.contains(&format!(" {p} ")))
}

fn read_text(flow: &RefundFlow, t: &str, ctx: &Ctx) -> Answer {
    let chars = t.chars().count();
    if flow.step == RefundStep::Reason {
        return match t.trim() {
            "" => Answer::Bad(Part::new("reason-empty")),
            _ if chars > MAX_REASON_CHARS => {
                Answer::Bad(Part::new("too-long").int("max", MAX_REASON_CHARS as i64))
            }
            trimmed => Answer::Text(trimmed.to_string()),
        };
    }
    if chars > MAX_ANSWER_CHARS {
        return Answer::Bad(Part::new("too-long").int("max", MAX_ANSWER_CHARS as i64));
    }
    match flow.step {
        RefundStep::Invoice => match text::read_invoice(t) {
            Reading::Value(inv) => Answer::Invoice(inv.as_str().to_string()),
            Reading::About(inv) => Answer::Pick(vec![inv.as_str().to_string()]),
            Reading::Choose(invs) => {
                Answer::Pick(picks(&invs.iter().map(|i| i.as_str()).collect::<Vec<_>>()))
            }
            Reading::DontKnow => Answer::Bad(Part::new("dont-know-invoice")),
            Reading::Nothing => Answer::Bad(Part::new("bad-invoice")),
        },
        RefundStep::PaidOn => match read_date_answer(t, ctx, YearHint::Past, "dont-know-paid") {
            Read::Value(d) if policy::check_paid_on(d, ctx.today).is_ok() => Answer::Date(d),
            Read::Value(d) => Answer::Bad(
                Part::new("bad-paid-future")
                    .date("date", d)
                    .date("today", ctx.today),
            ),
            Read::Pick(v) => Answer::Pick(v),
            Read::Bad(part) => Answer::Bad(part),
        },
        // The buttons' own words typed ("chưa thi công", "không được báo") count as pressing them.
        RefundStep::JobDone => match read_job_done(t, ctx.phrases) {
            Some(true) => Answer::Yes,
            Some(false) => Answer::No,
            None => Answer::Bad(Part::new("use-buttons")),
        },
        RefundStep::Notice => match read_notice(t, ctx.phrases) {
            Some(true) => Answer::Yes,
            Some(false) => Answer::No,
            None => Answer::Bad(Part::new("use-buttons")),
        },
        RefundStep::Cause => match read_cause(t, ctx.phrases) {
            Some(cause) => Answer::Cause(cause, Some(t.trim().to_string())),
            None => Answer::Bad(Part::new("use-buttons")),
        },
        RefundStep::NoticeOriginal => {
            match read_date_answer(t, ctx, YearHint::Past, "dont-know-postpone") {
                Read::Value(d) => Answer::Date(d),
                Read::Pick(v) => Answer::Pick(v),
                Read::Bad(part) => Answer::Bad(part),
            }
        }
        RefundStep::NoticeNew => {
            match read_date_answer(t, ctx, YearHint::Future, "dont-know-postpone") {
                Read::Value(d) => match flow.form.original_date {
                    Some(o) if d <= o => Answer::Bad(
                        Part::new("bad-postpone-before")
                            .date("date", d)
                            .date("original", o),
                    ),
                    _ => Answer::Date(d),
                },
                Read::Pick(v) => Answer::Pick(v),
                Read::Bad(part) => Answer::Bad(part),
            }
        }
        RefundStep::Reason | RefundStep::Summary | RefundStep::PickField => {
            Answer::Bad(Part::new("use-buttons"))
        }
    }
}

fn apply(mut flow: RefundFlow, answer: Answer, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let form = &mut flow.form;
    match (flow.step, answer) {
        (_, Answer::Bad(part)) => return handoff::bad_answer(flow, part, ctx, out),
        (_, Answer::Pick(values)) => {
            flow.pending = values;
            out.push(Effect::Reply(question(&flow, ctx)));
            return keep(flow);
        }
        (RefundStep::Invoice, Answer::Invoice(i)) => {
            if let Some(filled) = fill_invoice(form, i, ctx) {
                out.push(Effect::Reply(Msg::new(filled)));
            }
        }
        (RefundStep::PaidOn, Answer::Date(d)) => form.paid_on = Some(d),
        (RefundStep::JobDone, Answer::Yes) => {
            form.job_done = Some(true);
            form.cause = None;
            form.notice = None;
        }
        (RefundStep::JobDone, Answer::No) => form.job_done = Some(false),
        (RefundStep::Cause, Answer::Cause(c, words)) => {
            form.cause = Some(c);
            if c == RefundCause::Own {
                form.notice = None;
            }
            if words.is_some() {
                form.reason_text = words;
            }
        }
        (RefundStep::Notice, Answer::Yes) => {
            // Asked again (from the summary): the dates are asked again too.
            form.notice = Some(true);
            form.original_date = None;
            form.moved_to = None;
        }
        (RefundStep::Notice, Answer::No) => {
            form.notice = Some(false);
            form.original_date = None;
            form.moved_to = None;
        }
        (RefundStep::NoticeOriginal, Answer::Date(d)) => {
            form.original_date = Some(d);
            if form.moved_to.is_some_and(|m| m <= d) {
                form.moved_to = None;
            }
        }
        (RefundStep::NoticeNew, Answer::Date(d)) => form.moved_to = Some(d),
        (RefundStep::Reason, Answer::Text(t)) => form.reason_text = Some(t),
        _ => {
            out.push(Effect::Reply(question(&flow, ctx)));
            return keep(flow);
        }
    }
    flow.tries = 0;
    flow.unread.clear();
    flow.step = flow.form.first_missing().unwrap_or(RefundStep::Summary);
    out.push(Effect::Reply(question(&flow, ctx)));
    keep(flow)
}

/// Records the invoice. One on record brings its payment date, and whether the job was done:
/// returns the line that tells the customer so.
fn fill_invoice(form: &mut RefundForm, invoice: String, ctx: &Ctx) -> Option<Part> {
    let known = ctx.known_invoice(&invoice);
    let line = known.map(|k| {
        form.paid_on = Some(k.paid_on);
        if k.status == "done" {
            form.job_done = Some(true);
        }
        Part::new("registry-filled")
            .str("invoice", &invoice)
            .date("paid", k.paid_on)
    });
    form.registry = match known {
        Some(_) => Some(crate::dialogue::RegistryMatch::Known),
        None => ctx
            .registry_loaded
            .then_some(crate::dialogue::RegistryMatch::Unknown),
    };
    form.invoice = Some(invoice);
    line
}

/// Fills the form from a first message that already holds answers: the invoice and the payment
/// date, never the cause (it decides which rule applies: the customer chooses it). Returns how
/// many answers were taken, and the registry's line when the invoice is on record.
pub fn prefill(flow: &mut RefundFlow, message: &str, ctx: &Ctx) -> (usize, Option<Part>) {
    if message.chars().count() > crate::dialogue::MAX_ANSWER_CHARS {
        return (0, None);
    }
    let found = text::read_request(message, ctx.today);
    let mut filled = 0;
    let mut line = None;
    if let Some(invoice) = found.invoice {
        line = fill_invoice(&mut flow.form, invoice, ctx);
        filled += 1;
    }
    if flow.form.paid_on.is_none() {
        if let Some(d) = found
            .paid_on
            .filter(|d| crate::policy::check_paid_on(*d, ctx.today).is_ok())
        {
            flow.form.paid_on = Some(d);
            filled += 1;
        }
    }
    flow.step = flow.form.first_missing().unwrap_or(RefundStep::Summary);
    (filled, line)
}

/// The customer confirmed: decide, record, explain.
fn submit(flow: RefundFlow, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let Some(facts) = flow.form.facts() else {
        let mut flow = flow;
        flow.step = flow.form.first_missing().unwrap_or(RefundStep::Summary);
        out.push(Effect::Reply(question(&flow, ctx)));
        return keep(flow);
    };
    let decision = decide_refund(&facts, ctx.today, ctx.params);
    let status = if decision.needs_staff() {
        RequestStatus::Review
    } else {
        RequestStatus::Rejected
    };
    let reply = explain::decision_for_customer(&decision, &facts, ctx);
    let details = RequestDetails::Refund(RefundRecord { facts, decision });
    out.push(Effect::Submit(flow.form.submission(status, details)));
    out.push(Effect::Reply(reply));
    State::Idle
}
