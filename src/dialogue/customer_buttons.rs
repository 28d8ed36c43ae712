//! The customer's buttons that mean the same in every state: the menu, the language, a case's
//! and a request's buttons (close, rate, after-care, exception, "defer instead").

use super::commands::{
    ask_staff, command, defer_from_request, language_choice, start_complaint, start_deferral,
    start_refund, Command,
};
use super::flows;
use super::views::menu::status_list;
use super::views::with_call_back;
use super::{
    Arg, Button, ButtonData, CaseStatus, Conversation, Ctx, Effect, MenuItem, Msg, Part,
    RequestRef, RequestStatus, State,
};

/// Handles buttons that mean the same in every state. Returns whether it did.
pub(crate) fn global_button(
    conv: &mut Conversation,
    data: ButtonData,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) -> bool {
    match data {
        ButtonData::Menu(item) => menu_button(conv, item, ctx, out),
        ButtonData::CaseNew => start_complaint(conv, ctx, out, true),
        ButtonData::LinkedInvoice(item) => super::start_link::linked_button(conv, item, ctx, out),
        ButtonData::CaseAddMore => {
            conv.state = State::Idle;
            out.push(Effect::Reply(Msg::id("case-write-more")));
        }
        ButtonData::RatingSkip => {
            conv.state = State::Idle;
            out.push(Effect::Reply(Msg::id("rating-thanks")));
        }
        ButtonData::Language(lang) => {
            conv.lang = lang;
            conv.lang_chosen = true;
            out.push(Effect::Reply(Msg::id("language-set")));
            flows::reask(&conv.state, ctx, out);
        }
        ButtonData::CloseCase(id) => close_own_case(conv, id, ctx, out),
        ButtonData::Rate { case_id, stars } => rate(conv, case_id, stars, ctx, out),
        ButtonData::Aftercare { ok, request_id } => {
            aftercare_answer(conv, ok, request_id, ctx, out)
        }
        ButtonData::ComplainAbout(r) => {
            let invoice = request_id(r)
                .and_then(|id| ctx.requests.iter().find(|r| r.id == id))
                .and_then(|r| r.invoice.clone());
            start_complaint(conv, ctx, out, false);
            if let (State::Complaint { flow }, Some(inv)) = (&mut conv.state, invoice) {
                flow.form.invoice = Some(Some(inv));
            }
        }
        ButtonData::DeferInstead(r) => match request_id(r) {
            Some(id) => defer_from_request(conv, id, ctx, out),
            None => {
                out.push(Effect::Reply(Msg::id("button-stale")));
                flows::reask(&conv.state, ctx, out);
            }
        },
        ButtonData::AskException(r) => match request_id(r) {
            Some(id) => ask_exception(conv, id, ctx, out),
            None => {
                out.push(Effect::Reply(Msg::id("button-stale")));
                flows::reask(&conv.state, ctx, out);
            }
        },
        _ => return false,
    }
    true
}

/// The id of a request a button names; `{id}` left unfilled names none.
pub(crate) fn request_id(r: RequestRef) -> Option<i64> {
    match r {
        RequestRef::Id(id) => Some(id),
        RequestRef::New => None,
    }
}

/// A button of the menu.
pub(crate) fn menu_button(
    conv: &mut Conversation,
    item: MenuItem,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) {
    match item {
        MenuItem::Defer => start_deferral(conv, ctx, out, None),
        MenuItem::Refund => start_refund(conv, ctx, out, None),
        MenuItem::Complaint => start_complaint(conv, ctx, out, false),
        MenuItem::Policy => command(conv, Some(Command::Policy), ctx, out),
        MenuItem::Contact => command(conv, Some(Command::Contact), ctx, out),
        MenuItem::Status => {
            out.push(Effect::Reply(status_list(ctx)));
            flows::reask(&conv.state, ctx, out);
        }
        MenuItem::Language => out.push(Effect::Reply(language_choice())),
        MenuItem::Help => command(conv, Some(Command::Help), ctx, out),
        MenuItem::Menu => command(conv, Some(Command::Menu), ctx, out),
        MenuItem::AskStaff => ask_staff(conv, ctx, out),
        MenuItem::Resume => match (conv.paused.take(), &conv.state) {
            (Some(paused), State::Idle) => {
                out.push(Effect::Reply(Msg::id("resumed")));
                conv.state = *paused;
                flows::reask(&conv.state, ctx, out);
            }
            (paused, _) => {
                conv.paused = paused;
                flows::reask(&conv.state, ctx, out);
            }
        },
    }
}

pub(crate) fn ask_exception(conv: &mut Conversation, id: i64, ctx: &Ctx, out: &mut Vec<Effect>) {
    match ctx.requests.iter().find(|r| r.id == id) {
        Some(r) if r.status == RequestStatus::Rejected => {
            out.push(Effect::AskException { request_id: id });
            out.push(Effect::Reply(
                Msg::new(with_call_back(
                    Part::new("exception-sent").arg("request", Arg::RequestNo(r.number())),
                    ctx,
                ))
                .row(vec![Button::new(
                    "btn-menu",
                    ButtonData::Menu(MenuItem::Menu),
                )]),
            ));
        }
        Some(r) if r.status == RequestStatus::Exception => {
            out.push(Effect::Reply(Msg::new(
                Part::new("exception-already").arg("request", Arg::RequestNo(r.number())),
            )));
        }
        _ => out.push(Effect::Reply(Msg::id("button-stale"))),
    }
    flows::reask(&conv.state, ctx, out);
}

/// How the customer is after the job: fine (`ok`) or not.
pub(crate) fn aftercare_answer(
    conv: &mut Conversation,
    ok: bool,
    request_id: i64,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) {
    let request = ctx.requests.iter().find(|r| r.id == request_id);
    match (ok, request) {
        (true, Some(_)) => out.push(Effect::Reply(Msg::id("aftercare-glad"))),
        (false, Some(r)) => {
            out.push(Effect::AftercareProblem { request_id: r.id });
            out.push(Effect::Reply(
                Msg::new(
                    Part::new("aftercare-guidance").rule("rule", crate::policy::Rule::Aftercare),
                )
                .then(Part::new("aftercare-complaint-offer").str("hotline", &ctx.company.hotline))
                .row(vec![Button::new(
                    "btn-complaint",
                    ButtonData::ComplainAbout(RequestRef::Id(r.id)),
                )]),
            ));
        }
        _ => out.push(Effect::Reply(Msg::id("button-stale"))),
    }
    flows::reask(&conv.state, ctx, out);
}

pub(crate) fn close_own_case(conv: &mut Conversation, id: i64, ctx: &Ctx, out: &mut Vec<Effect>) {
    match ctx.cases.iter().find(|c| c.id == id) {
        Some(c) if c.status != CaseStatus::Closed => {
            out.push(Effect::CloseCase { case_id: id });
            out.push(Effect::Reply(
                Msg::new(
                    Part::new("case-closed-by-customer").arg("case", Arg::RequestNo(c.number())),
                )
                .row(vec![Button::new(
                    "btn-menu",
                    ButtonData::Menu(MenuItem::Menu),
                )]),
            ));
        }
        _ => out.push(Effect::Reply(Msg::id("button-stale"))),
    }
    flows::reask(&conv.state, ctx, out);
}

/// The customer's stars for a resolved case.
pub(crate) fn rate(conv: &mut Conversation, id: i64, stars: i64, ctx: &Ctx, out: &mut Vec<Effect>) {
    let case = ctx.cases.iter().find(|c| c.id == id);
    match case {
        _ if !(1..=5).contains(&stars) => out.push(Effect::Reply(Msg::id("button-stale"))),
        Some(c) if c.status == CaseStatus::Resolved && c.rating.is_none() => {
            out.push(Effect::RateCase {
                case_id: id,
                stars: Some(stars),
                comment: None,
            });
            if matches!(conv.state, State::Idle) {
                out.push(Effect::Reply(
                    Msg::new(Part::new("rating-ask-comment").int("stars", stars))
                        .row(vec![Button::new("btn-rating-skip", ButtonData::RatingSkip)]),
                ));
                conv.state = State::RatingComment { case_id: id };
            } else {
                // In the middle of a form: thanks, and the form carries on.
                out.push(Effect::Reply(Msg::new(
                    Part::new("rating-thanks-stars").int("stars", stars),
                )));
                flows::reask(&conv.state, ctx, out);
            }
        }
        Some(c) if c.rating.is_some() => out.push(Effect::Reply(Msg::id("rating-already"))),
        // Not resolved (any more: the customer wrote again and it reopened).
        _ => out.push(Effect::Reply(Msg::id("button-stale"))),
    }
}
