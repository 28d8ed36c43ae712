//! Short answers to customers' questions about the policy, each with its rule and the matching
//! action as a button.

use super::buttons::{ButtonData, MenuItem};
use super::views::menu::{contact_card, policy_summary};
use super::{Button, Ctx, Msg, Part};
use crate::policy::Rule;
use crate::text::Question;

/// The answer to a question.
pub fn answer(q: Question, ctx: &Ctx) -> Msg {
    let p = ctx.params;
    let hotline = &ctx.company.hotline;
    match q {
        Question::Hotline
        | Question::Address
        | Question::Email
        | Question::Website
        | Question::Contact => contact_card(ctx),
        Question::Policy => policy_summary(ctx),
        Question::RefundPolicy => Msg::new(
            Part::new("answer-refund")
                .int("days", p.refund_after_days)
                .rule("rule", Rule::RefundCompanyFault)
                .rule("rule_no", Rule::NoRefund),
        )
        .row(vec![
            Button::new("btn-refund", ButtonData::Menu(MenuItem::Refund)),
            Button::new("btn-defer", ButtonData::Menu(MenuItem::Defer)),
        ]),
        Question::DeferLength => Msg::new(
            Part::new("answer-defer-length")
                .int("window", p.defer_request_window_days)
                .int("notice", p.defer_notice_days)
                .int("max", p.defer_max_days)
                .rule("rule", Rule::DeferMax)
                .rule("rule_window", Rule::DeferWindow)
                .rule("rule_notice", Rule::Notice),
        )
        .row(vec![Button::new(
            "btn-defer",
            ButtonData::Menu(MenuItem::Defer),
        )]),
        Question::DeferWindow => Msg::new(
            Part::new("answer-defer-window")
                .int("window", p.defer_request_window_days)
                .rule("rule", Rule::DeferWindow),
        )
        .row(vec![Button::new(
            "btn-defer",
            ButtonData::Menu(MenuItem::Defer),
        )]),
        Question::MissedDate => Msg::new(
            Part::new("answer-missed-date")
                .rule("rule", Rule::DeferMax)
                .str("hotline", hotline),
        )
        .row(vec![Button::new(
            "btn-contact",
            ButtonData::Menu(MenuItem::Contact),
        )]),
        Question::CompanyPostpone => Msg::new(
            Part::new("answer-company-postpone")
                .int("days", p.company_postpone_max_days)
                .rule("rule", Rule::CompanyPostpone),
        )
        .row(vec![Button::new(
            "btn-refund",
            ButtonData::Menu(MenuItem::Refund),
        )]),
        Question::Photos => {
            Msg::new(Part::new("answer-photos").rule("rule", Rule::Records)).row(vec![Button::new(
                "btn-contact",
                ButtonData::Menu(MenuItem::Contact),
            )])
        }
        Question::ComplaintProcess => Msg::new(
            Part::new("answer-complaint")
                .str("hotline", hotline)
                .rule("rule", Rule::Complaint),
        )
        .row(vec![Button::new(
            "btn-ask-staff",
            ButtonData::Menu(MenuItem::AskStaff),
        )]),
        Question::Aftercare => {
            Msg::new(Part::new("answer-aftercare").rule("rule", Rule::Aftercare)).row(vec![
                Button::new("btn-ask-staff", ButtonData::Menu(MenuItem::AskStaff)),
            ])
        }
    }
}
