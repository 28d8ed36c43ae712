//! The menu, the customer's requests and cases, the policy in short, the contact card.

use crate::dialogue::{
    Arg, Button, ButtonData, CaseStatus, Ctx, MenuItem, Msg, Part, RequestRef, RequestStatus,
};

/// The policy as a readable summary, each point with its rule.
pub fn policy_summary(ctx: &Ctx) -> Msg {
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
            Button::new("btn-defer", ButtonData::Menu(MenuItem::Defer)),
            Button::new("btn-refund", ButtonData::Menu(MenuItem::Refund)),
        ])
        .row(vec![Button::new(
            "btn-contact",
            ButtonData::Menu(MenuItem::Contact),
        )])
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

/// The main menu, optionally after a leading message.
/// `resume`: a form was put aside, and the menu offers to take it up again.
pub fn menu(resume: bool, lead: Option<&str>, ctx: &Ctx) -> Msg {
    let mut msg = Msg::default();
    if let Some(id) = lead {
        msg.parts
            .push(Part::new(id).str("company", &ctx.company.name));
    }
    msg.parts.push(Part::new("menu"));
    if resume {
        msg.buttons.push(vec![Button::new(
            "btn-resume",
            ButtonData::Menu(MenuItem::Resume),
        )]);
    }
    msg.buttons.push(vec![
        Button::new("btn-defer", ButtonData::Menu(MenuItem::Defer)),
        Button::new("btn-refund", ButtonData::Menu(MenuItem::Refund)),
    ]);
    msg.buttons.push(vec![Button::new(
        "btn-complaint",
        ButtonData::Menu(MenuItem::Complaint),
    )]);
    msg.buttons.push(vec![
        Button::new("btn-status", ButtonData::Menu(MenuItem::Status)),
        Button::new("btn-policy", ButtonData::Menu(MenuItem::Policy)),
    ]);
    msg.buttons.push(vec![
        Button::new("btn-contact", ButtonData::Menu(MenuItem::Contact)),
        Button::new("btn-language", ButtonData::Menu(MenuItem::Language)),
    ]);
    msg.buttons.push(vec![Button::new(
        "btn-my-data",
        ButtonData::Privacy(crate::dialogue::privacy::PrivacyButton::Menu),
    )]);
    msg.remove_keyboard = true;
    msg
}

pub fn status_list(ctx: &Ctx) -> Msg {
    if ctx.requests.is_empty() && ctx.cases.is_empty() {
        return Msg::id("status-none").row(vec![Button::new(
            "btn-defer",
            ButtonData::Menu(MenuItem::Defer),
        )]);
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
                data: ButtonData::CloseCase(c.id),
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
                data: ButtonData::AskException(RequestRef::Id(r.id)),
            }]);
        }
    }
    msg
}
