//! Cards staff see in the group (a request's, a case's) and the notes around them.

use super::{clip, customer_line, CARD_TEXT_CHARS, MAX_UNREAD_SHOWN, QUOTE_CHARS};
use crate::dialogue::buttons::{ButtonData, CaseAction};
use crate::dialogue::{
    Arg, Button, Case, CaseEvent, CaseStatus, Customer, Msg, Part, Request, RequestKind,
    RequestStatus,
};
use crate::policy::{Company, Rule};

/// The card staff see in the group: who, the request's own lines (`body`, then `checks`: each
/// kind writes its own), and the buttons for where it stands.
pub fn request_card(req: &Request, customer: &Customer, body: Vec<Part>, checks: Vec<Part>) -> Msg {
    let mut msg = Msg::new(
        Part::new("card-title")
            .arg("request", Arg::RequestNo(req.number()))
            .msg("kind", &format!("kind-{}", req.kind().code()))
            .msg("status", &format!("card-status-{}", req.status.code())),
    );
    msg.parts.push(customer_line(customer));
    if customer.unreachable {
        msg.parts
            .push(Part::new("card-unreachable").str("via", &customer.identity.channel));
    }
    msg.parts.extend(body);
    if let Some(m) = req.registry {
        msg.parts
            .push(Part::new(&format!("line-registry-{}", m.code())));
    }
    msg.parts.extend(checks);
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
            Button::new(
                "btn-staff-approve",
                ButtonData::StaffDecide {
                    approve: true,
                    request_id: req.id,
                },
            ),
            Button::new(
                "btn-staff-reject",
                ButtonData::StaffDecide {
                    approve: false,
                    request_id: req.id,
                },
            ),
        ]);
    }
    if req.status.awaits_staff() || req.status == RequestStatus::Handoff {
        msg.buttons.push(vec![
            Button::new("btn-staff-called", ButtonData::StaffCalled(req.id)),
            Button::new("btn-request-no-answer", ButtonData::StaffNoAnswer(req.id)),
        ]);
    }
    let approved = matches!(
        req.status,
        RequestStatus::Approved | RequestStatus::StaffApproved
    );
    if approved && req.kind() == RequestKind::Deferral {
        msg.buttons.push(vec![Button::new(
            "btn-job-done-staff",
            ButtonData::StaffJobDone(req.id),
        )]);
    }
    msg
}

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

/// What the customer is told when staff decide.
pub fn staff_decision_for_customer(req: &Request, company: &Company) -> Msg {
    let no = Arg::RequestNo(req.number());
    match (req.status, req.new_date()) {
        (RequestStatus::StaffApproved, _) if req.kind() == RequestKind::Refund => Msg::new(
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
    // On Zalo, a customer who can no longer be reached unfollowed the Official Account.
    let id = match customer.identity.channel.as_str() {
        "zalo" => "staff-customer-unfollowed",
        _ => "staff-customer-blocked",
    };
    Msg::new(
        Part::new(id)
            .msg("via", super::via(customer))
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

/// A message that cannot reach the customer now (outside the channel's free reply window):
/// staff call them and say it.
pub fn call_instead(customer: &Customer, text: &str) -> Msg {
    Msg::new(
        Part::new("staff-call-instead")
            .msg("via", super::via(customer))
            .str("name", &customer.name)
            .str("id", &customer.identity.external_id)
            .str("text", text),
    )
}

/// A file for a Zalo customer that Zalo cannot carry: staff are to call.
pub fn file_not_carried(customer: &Customer, kind: &str, file: &str) -> Msg {
    Msg::new(
        Part::new("staff-zalo-file-not-carried")
            .msg("via", super::via(customer))
            .str("name", &customer.name)
            .str("id", &customer.identity.external_id)
            .str("kind", kind)
            .str("file", file),
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
fn case_mark(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Open => "🆕",
        CaseStatus::Claimed => "🟡",
        CaseStatus::Resolved => "✅",
        CaseStatus::Step3 => "⚖️",
        CaseStatus::Closed => "⚫",
    }
}

/// A case's forum topic title: number, customer, category, status mark.
pub fn case_topic_title(case: &Case, customer: &Customer) -> Part {
    Part::new("case-topic-title")
        .arg("case", Arg::RequestNo(case.number()))
        .str("name", clip(&customer.name, 40))
        .msg("category", &format!("category-{}", case.category.code()))
        .str("mark", case_mark(case.status))
}

/// A case's card in the staff group: who, what, where it stands, and the buttons for its state.
pub fn case_card(case: &Case, customer: &Customer) -> Msg {
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
    msg.parts.push(customer_line(customer));
    if customer.unreachable {
        msg.parts
            .push(Part::new("card-unreachable").str("via", &customer.identity.channel));
    }
    msg.parts.extend(phone_lines(case));
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
    msg.buttons = case_buttons(case);
    msg
}

/// The phone to call back on the case card, whether the customer agreed to the call, and
/// whether it matches the invoice's.
fn phone_lines(case: &Case) -> Vec<Part> {
    let Some(p) = &case.phone else {
        return vec![Part::new("case-card-no-phone")];
    };
    let e164 = crate::text::Phone::parse(p)
        .map(|p| p.e164())
        .unwrap_or_else(|_| p.clone());
    let consent = if case.call_consent {
        "consent-yes"
    } else {
        "consent-no"
    };
    let mut lines = vec![Part::new("case-card-phone")
        .str("phone", e164)
        .msg("consent", consent)];
    if case.phone_verified {
        lines.push(Part::new("case-card-phone-verified"));
    }
    lines
}

/// The buttons of a case card in its state.
fn case_buttons(case: &Case) -> Vec<Vec<Button>> {
    use CaseStatus::*;
    let b = |label: &str, action: CaseAction| {
        let case_id = case.id;
        Button::new(label, ButtonData::Case { action, case_id })
    };
    let mut rows = Vec::new();
    if case.status == Open {
        rows.push(vec![b("btn-case-claim", CaseAction::Claim)]);
    }
    if case.status.takes_messages() {
        rows.push(vec![
            b("btn-case-reached", CaseAction::CallReached),
            b("btn-case-no-answer", CaseAction::CallNoAnswer),
        ]);
        let mut row = vec![b("btn-case-resolve", CaseAction::Resolve)];
        if case.status != Step3 {
            row.push(b("btn-case-step3", CaseAction::Step3));
        }
        rows.push(row);
    }
    if case.status != Closed {
        rows.push(vec![b("btn-case-close", CaseAction::Close)]);
    }
    rows
}

/// One line of a case's history for `/case`.
pub fn case_event_line(e: &CaseEvent) -> Part {
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
