//! A deferral explained: the decision in plain words for the customer, every check with the
//! rule it rests on, and the request's lines on the staff card.

use super::DeferralForm;
use crate::dialogue::buttons::{ButtonData, MenuItem, RequestRef};
use crate::dialogue::views::{clip, staff_will_call, CARD_TEXT_CHARS, QUOTE_CHARS};
use crate::dialogue::{Arg, Button, Ctx, DeferralDetails, HandoffDetails, Msg, Part, Request};
use crate::policy::{
    deferral::{Check, Decision, Detail, Outcome, Verdict},
    Company, DeferralFacts, Reason, Rule,
};

/// The form as a list of lines ("Số hóa đơn: HD-1").
pub fn form_lines(form: &DeferralForm) -> Vec<Part> {
    let mut lines = Vec::new();
    if let Some(i) = &form.invoice {
        lines.push(Part::new("line-invoice").str("invoice", i));
    }
    if let Some(d) = form.paid_on {
        lines.push(Part::new("line-paid").date("date", d));
    }
    match form.scheduled_on {
        Some(Some(d)) => lines.push(Part::new("line-scheduled").date("date", d)),
        Some(None) => lines.push(Part::new("line-scheduled-none")),
        None => {}
    }
    if let Some(r) = form.reason {
        let reason = format!("reason-{}", r.code());
        lines.push(match &form.reason_text {
            Some(t) => Part::new("line-reason-text")
                .msg("reason", &reason)
                .str("text", t),
            None => Part::new("line-reason").msg("reason", &reason),
        });
    }
    match &form.confirmation {
        Some(Some(_)) => lines.push(Part::new("line-confirmation-attached")),
        Some(None) => lines.push(Part::new("line-confirmation-none")),
        None => {}
    }
    if let Some(d) = form.new_date {
        lines.push(Part::new("line-new-date").date("date", d));
    }
    if !form.attachments.is_empty() {
        lines.push(Part::new("line-attachments").int("count", form.attachments.len() as i64));
    }
    lines
}

/// One check in plain words, with the rule it rests on. `reason_text` is the customer's own
/// words, quoted when the reason is "other".
pub fn check_line(check: &Check, reason_text: Option<&str>) -> Option<Part> {
    let rule = check.rule;
    let part = match (&check.detail, check.verdict) {
        (
            Detail::Window {
                paid_on,
                days_since_payment,
                limit,
                last_day,
            },
            v,
        ) => Part::new(if v == Verdict::Pass {
            "check-window-pass"
        } else {
            "check-window-fail"
        })
        .date("paid", *paid_on)
        .int("days", *days_since_payment)
        .int("limit", *limit)
        .date("last", *last_day),
        (
            Detail::Notice {
                scheduled_on: Some(s),
                days_before: Some(days),
                required,
            },
            v,
        ) => Part::new(match v {
            Verdict::Pass => "check-notice-pass",
            _ if *days < 0 => "check-notice-past",
            _ => "check-notice-fail",
        })
        .date("scheduled", *s)
        .int("days", days.abs())
        .int("required", *required),
        (Detail::Notice { .. }, _) => Part::new("check-notice-none"),
        (Detail::Reasons { reason }, v) => {
            let part = Part::new(match (v, reason) {
                (Verdict::Review, Reason::Unclear) => "check-reasons-unclear",
                (Verdict::Pass, _) => "check-reasons-pass",
                (Verdict::Review, _) => "check-reasons-review",
                (Verdict::Fail, _) => "check-reasons-fail",
            });
            match (reason, reason_text) {
                (Reason::Other | Reason::Unclear, Some(text)) => {
                    part.str("reason", clip(text, QUOTE_CHARS))
                }
                _ => part.msg("reason", &format!("reason-{}", reason.code())),
            }
        }
        (
            Detail::Max {
                from,
                from_schedule,
                days,
                limit,
                last_day,
            },
            v,
        ) => Part::new(match (v == Verdict::Pass, from_schedule) {
            (true, true) => "check-max-pass",
            (false, true) => "check-max-fail",
            (true, false) => "check-max-pass-today",
            (false, false) => "check-max-fail-today",
        })
        .date("from", *from)
        .int("days", *days)
        .int("limit", *limit)
        .date("last", *last_day),
        (Detail::Confirmation { attached }, _) => Part::new(if *attached {
            "check-confirmation-attached"
        } else {
            "check-confirmation-none"
        }),
    };
    Some(part.rule("rule", rule))
}

fn lines_with(decision: &Decision, verdicts: &[Verdict], reason_text: Option<&str>) -> Vec<Part> {
    decision
        .checks
        .iter()
        .filter(|c| verdicts.contains(&c.verdict))
        .filter(|c| !matches!(c.detail, Detail::Confirmation { .. }))
        .filter_map(|c| check_line(c, reason_text))
        .collect()
}

/// The decision as the customer reads it: the outcome, every rule behind it, what comes next.
pub fn decision_for_customer(
    decision: &Decision,
    facts: &DeferralFacts,
    reason_text: Option<&str>,
    ctx: &Ctx,
) -> Msg {
    match decision.outcome {
        Outcome::Approved => {
            let mut msg = Msg::new(
                Part::new("decision-approved")
                    .arg("request", Arg::NewRequest)
                    .date("date", facts.new_date),
            );
            msg.parts
                .extend(lines_with(decision, &[Verdict::Pass], reason_text));
            msg.parts.extend(approved_consequences(facts, ctx.company));
            msg.row(vec![Button::new(
                "btn-menu",
                ButtonData::Menu(MenuItem::Menu),
            )])
        }
        Outcome::Rejected => {
            let mut msg = Msg::new(Part::new("decision-rejected").arg("request", Arg::NewRequest));
            msg.parts.extend(lines_with(
                decision,
                &[Verdict::Fail, Verdict::Review],
                reason_text,
            ));
            msg.parts
                .push(Part::new("exception-offer").rule("rule", Rule::NoRefund));
            msg.row(vec![Button::new(
                "btn-exception",
                ButtonData::AskException(RequestRef::New),
            )])
            .row(vec![Button::new(
                "btn-menu",
                ButtonData::Menu(MenuItem::Menu),
            )])
        }
        Outcome::NeedsReview => {
            let mut msg = Msg::new(Part::new("decision-review").arg("request", Arg::NewRequest));
            msg.parts
                .extend(lines_with(decision, &[Verdict::Review], reason_text));
            msg.parts.push(staff_will_call(ctx));
            msg.row(vec![Button::new(
                "btn-menu",
                ButtonData::Menu(MenuItem::Menu),
            )])
        }
        Outcome::AwaitingConfirmation => Msg::new(
            Part::new("decision-awaiting")
                .arg("request", Arg::NewRequest)
                .date("date", facts.new_date),
        )
        .then(staff_will_call(ctx))
        .row(vec![Button::new(
            "btn-menu",
            ButtonData::Menu(MenuItem::Menu),
        )]),
    }
}

/// What an approved deferral means for the customer (DEFER_MAX, KEEP_INVOICE).
fn approved_consequences(facts: &DeferralFacts, company: &Company) -> Vec<Part> {
    vec![
        Part::new("defer-max-consequence")
            .date("date", facts.new_date)
            .rule("rule", Rule::DeferMax),
        Part::new("keep-invoice").rule("rule", Rule::KeepInvoice),
        Part::new("contact-hotline").str("hotline", &company.hotline),
    ]
}

/// A deferral on the staff card: the answers as given.
pub fn card_lines(req: &Request, d: &DeferralDetails) -> Vec<Part> {
    form_lines(&card_form(
        req,
        HandoffDetails {
            paid_on: Some(d.paid_on),
            scheduled_on: Some(d.scheduled_on),
            new_date: Some(d.new_date),
            reason: Some(d.reason),
            confirmation: d.confirmation.clone(),
        },
    ))
}

/// A hand-off on the staff card: the answers given before it, shown as a deferral's.
pub fn handoff_lines(req: &Request, h: &HandoffDetails) -> Vec<Part> {
    form_lines(&card_form(req, h.clone()))
}

fn card_form(req: &Request, h: HandoffDetails) -> DeferralForm {
    DeferralForm {
        invoice: req.invoice.clone(),
        paid_on: h.paid_on,
        scheduled_on: h.scheduled_on,
        reason: h.reason,
        reason_text: req.reason_text.as_deref().map(|t| clip(t, CARD_TEXT_CHARS)),
        confirmation: h.confirmation,
        new_date: h.new_date,
        attachments: req.attachments.clone(),
        registry: req.registry,
    }
}

/// The policy's decision on the staff card: the outcome, then every check marked.
pub fn card_checks(req: &Request, d: &DeferralDetails) -> Vec<Part> {
    let decision = &d.decision;
    let mut lines =
        vec![Part::new("card-outcome")
            .msg("outcome", &format!("outcome-{}", decision.outcome.code()))];
    for check in &decision.checks {
        if let Some(line) = check_line(check, req.reason_text.as_deref()) {
            let mark = match check.verdict {
                Verdict::Pass => "card-check-pass",
                Verdict::Fail => "card-check-fail",
                Verdict::Review => "card-check-review",
            };
            lines.push(
                Part::new(mark)
                    .str("rule_id", check.rule.id())
                    .arg("line", Arg::Part(Box::new(line))),
            );
        }
    }
    lines
}
