//! A refund explained: the outcome in plain words for the customer, with what they can do
//! instead, and the request's lines on the staff card.

use chrono::NaiveDate;

use super::{form_lines, RefundForm};
use crate::dialogue::buttons::{ButtonData, MenuItem, RequestRef};
use crate::dialogue::views::{staff_will_call, with_call_back};
use crate::dialogue::{Arg, Button, Ctx, Msg, Part, RefundRecord, Request};
use crate::policy::refund::{RefundDecision, RefundFacts, RefundOutcome};
use crate::policy::Rule;

/// The refund decision in plain words, with the rules and what the customer can do instead.
pub fn decision_for_customer(decision: &RefundDecision, facts: &RefundFacts, ctx: &Ctx) -> Msg {
    let mut msg = Msg::default();
    match decision.outcome {
        RefundOutcome::Eligible { days_since_payment } => {
            eligible(&mut msg, facts, days_since_payment, ctx)
        }
        RefundOutcome::NotYet {
            first_day,
            days_since_payment,
        } => not_yet(&mut msg, facts, first_day, days_since_payment, ctx),
        RefundOutcome::JobDone => job_done(&mut msg, ctx),
        RefundOutcome::PostponementAllowed { days, limit } => {
            postponed(&mut msg, facts, (days, limit), true, ctx)
        }
        RefundOutcome::PostponementTooLong { days, limit } => {
            postponed(&mut msg, facts, (days, limit), false, ctx)
        }
        RefundOutcome::OwnReasons {
            deferral_possible,
            defer_last_day,
        } => own_reasons(&mut msg, deferral_possible, defer_last_day),
    }
    msg.buttons.push(vec![Button::new(
        "btn-menu",
        ButtonData::Menu(MenuItem::Menu),
    )]);
    msg
}

/// What the bot decided alone goes to nobody: the customer is told so, and what they can do.
fn decided_here(msg: &mut Msg) {
    msg.parts.push(Part::new("refund-not-sent"));
}

/// REFUND_COMPANY_FAULT holds: to staff, with no promise of a sum or a date.
fn eligible(msg: &mut Msg, facts: &RefundFacts, days: i64, ctx: &Ctx) {
    msg.parts
        .push(Part::new("refund-eligible").arg("request", Arg::NewRequest));
    msg.parts.push(
        Part::new("refund-line-company-fault")
            .date("paid", facts.paid_on)
            .int("days", days)
            .int("limit", ctx.params.refund_after_days)
            .rule("rule", Rule::RefundCompanyFault),
    );
    msg.parts
        .push(with_call_back(Part::new("refund-no-promise"), ctx));
}

/// Too early for REFUND_COMPANY_FAULT: the first day a claim is possible, and the deferral.
fn not_yet(msg: &mut Msg, facts: &RefundFacts, first_day: NaiveDate, days: i64, ctx: &Ctx) {
    msg.parts.push(
        Part::new("refund-not-yet")
            .arg("request", Arg::NewRequest)
            .date("first", first_day),
    );
    msg.parts.push(
        Part::new("refund-line-not-yet")
            .date("paid", facts.paid_on)
            .int("days", days)
            .int("limit", ctx.params.refund_after_days)
            .date("first", first_day)
            .rule("rule", Rule::RefundCompanyFault),
    );
    decided_here(msg);
    msg.parts.push(Part::new("refund-defer-instead"));
    msg.buttons.push(vec![Button::new(
        "btn-defer-instead",
        ButtonData::DeferInstead(RequestRef::New),
    )]);
}

/// NO_REFUND once the job is done: a complaint is the way for its quality.
fn job_done(msg: &mut Msg, ctx: &Ctx) {
    msg.parts
        .push(Part::new("refund-refused").arg("request", Arg::NewRequest));
    msg.parts
        .push(Part::new("refund-line-job-done").rule("rule", Rule::NoRefund));
    decided_here(msg);
    msg.parts.push(
        Part::new("refund-complaint-offer")
            .str("hotline", &ctx.company.hotline)
            .rule("rule", Rule::Complaint),
    );
    msg.buttons.push(vec![Button::new(
        "btn-complaint-instead",
        ButtonData::ComplainAbout(RequestRef::New),
    )]);
}

/// COMPANY_POSTPONE: a postponement of `(days, limit)` within the limit is `allowed` (no
/// refund); a longer one goes to staff.
fn postponed(
    msg: &mut Msg,
    facts: &RefundFacts,
    (days, limit): (i64, i64),
    allowed: bool,
    ctx: &Ctx,
) {
    let p = facts.postponement.expect("a postponement was given");
    let (head, line) = if allowed {
        ("refund-refused", "refund-line-postpone-allowed")
    } else {
        ("refund-review", "refund-line-postpone-too-long")
    };
    msg.parts
        .push(Part::new(head).arg("request", Arg::NewRequest));
    msg.parts.push(
        Part::new(line)
            .date("from", p.original)
            .date("to", p.moved_to)
            .int("days", days)
            .int("limit", limit)
            .rule("rule", Rule::CompanyPostpone),
    );
    if allowed {
        decided_here(msg);
    } else {
        msg.parts.push(staff_will_call(ctx));
    }
}

/// NO_REFUND for the customer's own reasons: the deferral instead while DEFER_WINDOW holds,
/// and the request for an exception.
fn own_reasons(msg: &mut Msg, deferral_possible: bool, defer_last_day: NaiveDate) {
    msg.parts
        .push(Part::new("refund-refused").arg("request", Arg::NewRequest));
    msg.parts
        .push(Part::new("refund-line-own").rule("rule", Rule::NoRefund));
    decided_here(msg);
    let window = if deferral_possible {
        "refund-defer-offer"
    } else {
        "refund-defer-closed"
    };
    msg.parts.push(
        Part::new(window)
            .date("last", defer_last_day)
            .rule("rule", Rule::DeferWindow),
    );
    if deferral_possible {
        msg.buttons.push(vec![Button::new(
            "btn-defer-instead",
            ButtonData::DeferInstead(RequestRef::New),
        )]);
    }
    msg.parts
        .push(Part::new("exception-offer").rule("rule", Rule::NoRefund));
    msg.buttons.push(vec![Button::new(
        "btn-exception",
        ButtonData::AskException(RequestRef::New),
    )]);
}

/// A refund request on the staff card: the answers, the outcome and the rule behind it.
pub fn card_lines(req: &Request, record: &RefundRecord) -> Vec<Part> {
    use crate::policy::refund::{RefundCause, RefundOutcome};
    let f = &record.facts;
    let form = RefundForm {
        invoice: req.invoice.clone(),
        paid_on: Some(f.paid_on),
        job_done: Some(f.job_done),
        cause: (!f.job_done).then_some(f.cause),
        notice: (!f.job_done && f.cause == RefundCause::JobNotDone)
            .then_some(f.postponement.is_some()),
        original_date: f.postponement.map(|p| p.original),
        moved_to: f.postponement.map(|p| p.moved_to),
        reason_text: req.reason_text.clone(),
        attachments: req.attachments.clone(),
        registry: req.registry,
    };
    let mut lines = form_lines(&form);
    let d = &record.decision;
    let line = match d.outcome {
        RefundOutcome::Eligible { days_since_payment } => {
            Part::new("card-refund-eligible").int("days", days_since_payment)
        }
        RefundOutcome::NotYet {
            first_day,
            days_since_payment,
        } => Part::new("card-refund-not_yet")
            .int("days", days_since_payment)
            .date("first", first_day),
        RefundOutcome::JobDone => Part::new("card-refund-job_done"),
        RefundOutcome::PostponementAllowed { days, limit } => {
            Part::new("card-refund-postponement_allowed")
                .int("days", days)
                .int("limit", limit)
        }
        RefundOutcome::PostponementTooLong { days, limit } => {
            Part::new("card-refund-postponement_too_long")
                .int("days", days)
                .int("limit", limit)
        }
        RefundOutcome::OwnReasons {
            deferral_possible, ..
        } => Part::new("card-refund-own_reasons")
            .str("defer", if deferral_possible { "✔" } else { "✖" }),
    };
    let rules = d
        .rules
        .iter()
        .map(|r| r.id())
        .collect::<Vec<_>>()
        .join(", ");
    lines.push(
        Part::new("card-refund-outcome")
            .str("rules", rules)
            .arg("line", Arg::Part(Box::new(line))),
    );
    lines
}
