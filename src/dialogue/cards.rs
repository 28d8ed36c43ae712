//! Explanations and cards: a decision in plain words for the customer, a request as staff see it.

use super::{Arg, Button, Ctx, Customer, DeferralForm, Msg, Part, Request, RequestStatus};
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

/// How much of a customer's text a line quotes; a card shows at most `CARD_TEXT_CHARS` of
/// each text and the whole text follows the card (see [`full_texts`]).
pub const QUOTE_CHARS: usize = 200;
pub const CARD_TEXT_CHARS: usize = 600;

/// The text, cut at `max` characters with "…" when longer.
pub fn clip(text: &str, max: usize) -> String {
    let units: usize = text.chars().map(char::len_utf16).sum();
    if units <= max {
        return text.to_string();
    }
    // At most `max` UTF-16 units (Telegram's count) before the ellipsis.
    let mut used = 0;
    let mut cut = String::new();
    for c in text.chars() {
        used += c.len_utf16();
        if used > max {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut
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
            msg.row(vec![Button::new("btn-menu", "m:menu")])
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
            msg.row(vec![Button::new("btn-exception", "x:{id}")])
                .row(vec![Button::new("btn-menu", "m:menu")])
        }
        Outcome::NeedsReview => {
            let mut msg = Msg::new(Part::new("decision-review").arg("request", Arg::NewRequest));
            msg.parts
                .extend(lines_with(decision, &[Verdict::Review], reason_text));
            msg.parts.push(super::staff_will_call(ctx));
            msg.row(vec![Button::new("btn-menu", "m:menu")])
        }
        Outcome::AwaitingConfirmation => Msg::new(
            Part::new("decision-awaiting")
                .arg("request", Arg::NewRequest)
                .date("date", facts.new_date),
        )
        .then(super::staff_will_call(ctx))
        .row(vec![Button::new("btn-menu", "m:menu")]),
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

/// The card staff see in the group: who, what, every check, and the decision buttons.
pub fn staff_card(req: &Request, customer: &Customer) -> Msg {
    let mut msg = Msg::new(
        Part::new("card-title")
            .arg("request", Arg::RequestNo(req.number()))
            .msg("kind", &format!("kind-{}", req.kind.code()))
            .msg("status", &format!("card-status-{}", req.status.code())),
    );
    msg.parts.push(
        Part::new("card-customer")
            .str("name", &customer.name)
            .str(
                "username",
                customer
                    .username
                    .as_ref()
                    .map(|u| format!("@{u}"))
                    .unwrap_or_else(|| "-".into()),
            )
            .str("id", &customer.identity.external_id)
            .msg("lang", &format!("lang-{}", customer.lang.code())),
    );
    if customer.unreachable {
        msg.parts.push(Part::new("card-unreachable"));
    }
    let form = DeferralForm {
        invoice: req.invoice.clone(),
        paid_on: req.paid_on,
        scheduled_on: req.scheduled_on,
        reason: req.reason,
        reason_text: req.reason_text.as_deref().map(|t| clip(t, CARD_TEXT_CHARS)),
        confirmation: req.confirmation.clone(),
        new_date: req.new_date,
        attachments: req.attachments.clone(),
        registry: req.registry,
    };
    match &req.refund {
        Some(record) => msg.parts.extend(refund_card_lines(req, record)),
        None => msg.parts.extend(form_lines(&form)),
    }
    if let Some(m) = req.registry {
        msg.parts
            .push(Part::new(&format!("line-registry-{}", m.code())));
    }
    if let Some(decision) = &req.decision {
        msg.parts.push(Part::new("card-outcome").msg(
            "outcome",
            &format!("outcome-{}", outcome_code(decision.outcome)),
        ));
        for check in &decision.checks {
            if let Some(line) = check_line(check, req.reason_text.as_deref()) {
                let mark = match check.verdict {
                    Verdict::Pass => "card-check-pass",
                    Verdict::Fail => "card-check-fail",
                    Verdict::Review => "card-check-review",
                };
                msg.parts.push(
                    Part::new(mark)
                        .str("rule_id", check.rule.id())
                        .arg("line", Arg::Part(Box::new(line))),
                );
            }
        }
    }
    for answer in req.unread_answers.iter().rev().take(MAX_UNREAD_SHOWN).rev() {
        msg.parts
            .push(Part::new("card-unread").str("text", clip(answer, QUOTE_CHARS)));
    }
    if let (Some(by), Some(at)) = (&req.decided_by, req.decided_at) {
        msg.parts.push(
            Part::new("card-decided")
                .msg("status", &format!("card-status-{}", req.status.code()))
                .str("by", by)
                .arg("at", Arg::Time(at)),
        );
    }
    if req.status.awaits_staff() {
        msg.buttons.push(vec![
            Button::new("btn-staff-approve", format!("s:a:{}", req.id)),
            Button::new("btn-staff-reject", format!("s:r:{}", req.id)),
        ]);
    }
    if req.status.awaits_staff() || req.status == RequestStatus::Handoff {
        msg.buttons.push(vec![
            Button::new("btn-staff-called", format!("s:c:{}", req.id)),
            Button::new("btn-request-no-answer", format!("s:n:{}", req.id)),
        ]);
    }
    let approved = matches!(
        req.status,
        RequestStatus::Approved | RequestStatus::StaffApproved
    );
    if approved && req.kind == super::RequestKind::Deferral {
        msg.buttons.push(vec![Button::new(
            "btn-job-done-staff",
            format!("s:d:{}", req.id),
        )]);
    }
    msg
}

/// A refund request on the staff card: the answers, the outcome and the rule behind it.
fn refund_card_lines(req: &Request, record: &super::RefundRecord) -> Vec<Part> {
    use crate::policy::refund::{RefundCause, RefundOutcome};
    let f = &record.facts;
    let form = super::RefundForm {
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
    let mut lines = super::refund::form_lines(&form);
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

/// The unreadable answers a hand-off card quotes (the latest ones).
pub const MAX_UNREAD_SHOWN: usize = 6;

/// The customer's texts that the card had to cut, in full, to follow the card.
pub fn full_texts(req: &Request) -> Vec<Msg> {
    let reason = req
        .reason_text
        .iter()
        .filter(|t| t.chars().count() > CARD_TEXT_CHARS);
    let unread = req
        .unread_answers
        .iter()
        .filter(|t| t.chars().count() > QUOTE_CHARS);
    reason
        .chain(unread)
        .map(|t| {
            Msg::new(
                Part::new("card-full-text")
                    .arg("request", Arg::RequestNo(req.number()))
                    .str("text", t),
            )
        })
        .collect()
}

pub fn outcome_code(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Approved => "approved",
        Outcome::Rejected => "rejected",
        Outcome::NeedsReview => "review",
        Outcome::AwaitingConfirmation => "awaiting",
    }
}

/// What the customer is told when staff decide.
pub fn staff_decision_for_customer(req: &Request, company: &Company) -> Msg {
    let no = Arg::RequestNo(req.number());
    match (req.status, req.new_date) {
        (RequestStatus::StaffApproved, _) if req.kind == super::RequestKind::Refund => Msg::new(
            Part::new("refund-staff-approved")
                .arg("request", no)
                .str("hotline", &company.hotline),
        ),
        (RequestStatus::StaffApproved, Some(date)) => {
            let mut msg = Msg::new(
                Part::new("staff-approved")
                    .arg("request", no)
                    .date("date", date),
            );
            msg.parts.push(
                Part::new("defer-max-consequence")
                    .date("date", date)
                    .rule("rule", Rule::DeferMax),
            );
            msg.parts
                .push(Part::new("keep-invoice").rule("rule", Rule::KeepInvoice));
            msg.then(Part::new("contact-hotline").str("hotline", &company.hotline))
        }
        (RequestStatus::StaffApproved, None) => {
            Msg::new(Part::new("staff-approved-plain").arg("request", no))
                .then(Part::new("contact-hotline").str("hotline", &company.hotline))
        }
        _ => Msg::new(Part::new("staff-rejected").arg("request", no))
            .then(Part::new("contact-hotline").str("hotline", &company.hotline)),
    }
}

/// Staff are told to phone a customer who blocked the bot.
pub fn blocked_notice(customer: &Customer) -> Msg {
    Msg::new(
        Part::new("staff-customer-blocked")
            .str("name", &customer.name)
            .str("id", &customer.identity.external_id)
            .str(
                "username",
                customer
                    .username
                    .as_ref()
                    .map(|u| format!("@{u}"))
                    .unwrap_or_else(|| "-".into()),
            ),
    )
}

/// The caption of a file sent after a card.
pub fn attachment_caption(req: &Request, confirmation: bool) -> Msg {
    Msg::new(
        Part::new(if confirmation {
            "card-attachment-confirmation"
        } else {
            "card-attachment-other"
        })
        .arg("request", Arg::RequestNo(req.number())),
    )
}

/// The mark a case's topic title carries for its status.
fn case_mark(status: super::CaseStatus) -> &'static str {
    match status {
        super::CaseStatus::Open => "🆕",
        super::CaseStatus::Claimed => "🟡",
        super::CaseStatus::Resolved => "✅",
        super::CaseStatus::Step3 => "⚖️",
        super::CaseStatus::Closed => "⚫",
    }
}

/// A case's forum topic title: number, customer, category, status mark.
pub fn case_topic_title(case: &super::Case, customer: &Customer) -> Part {
    Part::new("case-topic-title")
        .arg("case", Arg::RequestNo(case.number()))
        .str("name", clip(&customer.name, 40))
        .msg("category", &format!("category-{}", case.category.code()))
        .str("mark", case_mark(case.status))
}

/// A case's card in the staff group: who, what, where it stands, and the buttons for its state.
pub fn case_card(case: &super::Case, customer: &Customer) -> Msg {
    use super::CaseStatus::*;
    let mut msg = Msg::new(
        Part::new("case-card-title")
            .arg("case", Arg::RequestNo(case.number()))
            .msg("category", &format!("category-{}", case.category.code()))
            .msg(
                "urgency",
                if case.urgent {
                    "urgency-urgent"
                } else {
                    "urgency-normal"
                },
            ),
    );
    msg.parts.push(
        Part::new("case-card-status")
            .int("step", case.step)
            .msg("status", &format!("case-status-{}", case.status.code())),
    );
    if let (Some(by), Some(at)) = (&case.claimed_by, case.claimed_at) {
        msg.parts.push(
            Part::new("case-card-claimed")
                .str("by", by)
                .arg("at", Arg::Time(at)),
        );
    }
    msg.parts.push(
        Part::new("card-customer")
            .str("name", &customer.name)
            .str(
                "username",
                customer
                    .username
                    .as_ref()
                    .map(|u| format!("@{u}"))
                    .unwrap_or_else(|| "-".into()),
            )
            .str("id", &customer.identity.external_id)
            .msg("lang", &format!("lang-{}", customer.lang.code())),
    );
    if customer.unreachable {
        msg.parts.push(Part::new("card-unreachable"));
    }
    match &case.phone {
        Some(p) => {
            let e164 = crate::text::Phone::parse(p)
                .map(|p| p.e164())
                .unwrap_or_else(|_| p.clone());
            msg.parts
                .push(Part::new("case-card-phone").str("phone", e164).msg(
                    "consent",
                    if case.call_consent {
                        "consent-yes"
                    } else {
                        "consent-no"
                    },
                ));
            if case.phone_verified {
                msg.parts.push(Part::new("case-card-phone-verified"));
            }
        }
        None => msg.parts.push(Part::new("case-card-no-phone")),
    }
    msg.parts.push(match &case.invoice {
        Some(i) => Part::new("line-invoice").str("invoice", i),
        None => Part::new("case-card-no-invoice"),
    });
    if let (Some(at), Some(outcome)) = (case.last_call_at, &case.last_call) {
        msg.parts.push(
            Part::new("case-card-call")
                .arg("at", Arg::Time(at))
                .msg("outcome", &format!("call-{outcome}")),
        );
    }
    if let Some(stars) = case.rating {
        msg.parts.push(
            Part::new("case-card-rating")
                .int("stars", stars)
                .str("comment", case.rating_comment.clone().unwrap_or_default()),
        );
    }
    msg.parts.push(
        Part::new("case-card-description").str("text", clip(&case.description, CARD_TEXT_CHARS)),
    );
    let b = |label: &str, code: &str| Button::new(label, format!("c:{code}:{}", case.id));
    if case.status == Open {
        msg.buttons.push(vec![b("btn-case-claim", "cl")]);
    }
    if case.status.takes_messages() {
        msg.buttons.push(vec![
            b("btn-case-reached", "cr"),
            b("btn-case-no-answer", "cn"),
        ]);
        let mut row = vec![b("btn-case-resolve", "rs")];
        if case.status != Step3 {
            row.push(b("btn-case-step3", "s3"));
        }
        msg.buttons.push(row);
    }
    if case.status != Closed {
        msg.buttons.push(vec![b("btn-case-close", "x")]);
    }
    msg
}

/// One line of a case's history for `/case`.
pub fn case_event_line(e: &super::CaseEvent) -> Part {
    let who = match e.actor.splitn(3, ':').collect::<Vec<_>>()[..] {
        ["staff", _, name] => name.to_string(),
        _ => String::new(),
    };
    let who = if who.is_empty() {
        Part::new(&format!(
            "actor-{}",
            if e.actor == "customer" {
                "customer"
            } else {
                "bot"
            }
        ))
    } else {
        Part::new("actor-staff").str("name", who)
    };
    Part::new("case-history-line")
        .arg("at", Arg::Time(e.at))
        .arg("who", Arg::Part(Box::new(who)))
        .msg("kind", &format!("event-{}", e.kind))
        .str(
            "text",
            e.text
                .as_deref()
                .map(|t| clip(t, QUOTE_CHARS))
                .unwrap_or_default(),
        )
        .int("files", e.media.len() as i64)
}
