//! No form open: words go to an open case, reopen a resolved one, start a flow or get the menu;
//! and the optional comment after a rating.

use super::commands::{start_complaint, start_deferral, start_refund};
use super::views::menu::status_list;
use super::views::staff_will_call;
use super::{
    Arg, Attachment, Button, ButtonData, Conversation, Ctx, Effect, Input, MediaKind, MenuItem,
    Msg, Part, State, MAX_ANSWER_CHARS,
};
use crate::text::{self, Intent};

pub(crate) fn idle(
    conv: &mut Conversation,
    input: Input,
    ctx: &Ctx,
    first: bool,
    out: &mut Vec<Effect>,
) {
    if typed_rating(conv, &input, ctx, out)
        || to_open_case(&input, ctx, out)
        || to_resolved_case(&input, ctx, out)
    {
        return;
    }
    match input {
        Input::Text(t) => idle_text(conv, t, ctx, first, out),
        Input::Button(_) => {
            out.push(Effect::Reply(conv.menu(Some("button-stale"), ctx)));
        }
        Input::Unsupported(_) => out.push(Effect::Reply(conv.menu(None, ctx))),
        Input::Media { attachment, .. } => {
            let id = media_notice_id(attachment.kind);
            out.push(Effect::Reply(conv.menu(Some(id), ctx)));
        }
        Input::Contact { .. } => out.push(Effect::Reply(conv.menu(Some("contact-idle"), ctx))),
    }
}

/// Stars typed for a resolved case not rated yet ("5 sao", "cho 4 sao nhé", "5/5"): the same as
/// pressing the star button. Returns whether it was one.
fn typed_rating(conv: &mut Conversation, input: &Input, ctx: &Ctx, out: &mut Vec<Effect>) -> bool {
    let Input::Text(t) = input else {
        return false;
    };
    let Some(case) = ctx.resolved_case().filter(|c| c.rating.is_none()) else {
        return false;
    };
    match text::read_rating(t) {
        Some(stars) => {
            super::customer_buttons::rate(conv, case.id, i64::from(stars), ctx, out);
            true
        }
        None => false,
    }
}

/// While a case is open, what the customer writes or sends goes to it, word for word (unless
/// it asks for a deferral, a refund, the status or the menu). Returns whether it did.
fn to_open_case(input: &Input, ctx: &Ctx, out: &mut Vec<Effect>) -> bool {
    let Some(case) = ctx.open_case() else {
        return false;
    };
    let action = match input {
        Input::Text(t) => ctx.phrases.intent(t).filter(|i| {
            matches!(
                i,
                Intent::Deferral | Intent::Refund | Intent::Status | Intent::Menu
            )
        }),
        _ => None,
    };
    let (text, media) = words_and_files(input.clone());
    if action.is_some() || (text.is_none() && media.is_empty()) {
        return false;
    }
    out.push(Effect::CaseMessage {
        case_id: case.id,
        text,
        media,
    });
    out.push(Effect::Reply(
        Msg::new(Part::new("case-message-added").arg("case", Arg::RequestNo(case.number())))
            .row(case_buttons(case.id)),
    ));
    true
}

/// After a case was resolved, words the bot cannot read otherwise (an objection, a photo)
/// belong to that case, not to "not understood": it opens again. Returns whether it did.
fn to_resolved_case(input: &Input, ctx: &Ctx, out: &mut Vec<Effect>) -> bool {
    let Some(case) = ctx.resolved_case() else {
        return false;
    };
    let about_the_case = match input {
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
    if !about_the_case {
        return false;
    }
    let (text, media) = words_and_files(input.clone());
    out.push(Effect::ReopenCase {
        case_id: case.id,
        text,
        media,
    });
    out.push(Effect::Reply(
        Msg::new(Part::new("case-reopened-customer").arg("case", Arg::RequestNo(case.number())))
            .then(staff_will_call(ctx))
            .row(case_buttons(case.id)),
    ));
    true
}

/// Words with no form open: a request starts its flow; anything unread gets the menu and the
/// offer to pass the words to staff.
fn idle_text(conv: &mut Conversation, t: String, ctx: &Ctx, first: bool, out: &mut Vec<Effect>) {
    if t.chars().count() > MAX_ANSWER_CHARS {
        out.push(Effect::Reply(conv.menu(Some("too-long-idle"), ctx)));
        return;
    }
    if text::is_small_talk(&t) {
        let menu_button = Button::new("btn-menu", ButtonData::Menu(MenuItem::Menu));
        out.push(Effect::Reply(Msg::id("small-talk").row(vec![menu_button])));
        return;
    }
    match ctx.phrases.intent(&t) {
        Some(Intent::Deferral) => start_deferral(conv, ctx, out, Some(&t)),
        Some(Intent::Refund) => start_refund(conv, ctx, out, Some(&t)),
        Some(Intent::Complaint) => start_complaint(conv, ctx, out, false),
        Some(Intent::Status) => out.push(Effect::Reply(status_list(ctx))),
        Some(Intent::Cancel) => out.push(Effect::Reply(conv.menu(Some("nothing-to-cancel"), ctx))),
        Some(Intent::Greeting | Intent::Menu | Intent::Help) => {
            out.push(Effect::Reply(conv.menu(Some("greeting"), ctx)))
        }
        _ => {
            // Kept word for word, for the customer to pass to staff if they wish.
            conv.keep_unread(t);
            let lead = if first { "greeting" } else { "not-understood" };
            let mut msg = conv.menu(Some(lead), ctx);
            msg.parts.push(Part::new("not-understood-offer"));
            let ask_staff = Button::new("btn-ask-staff", ButtonData::Menu(MenuItem::AskStaff));
            msg.buttons.insert(0, vec![ask_staff]);
            out.push(Effect::Reply(msg));
        }
    }
}

/// What a message carries for a case: its words (a caption, a shared number) and its files.
pub(crate) fn words_and_files(input: Input) -> (Option<String>, Vec<Attachment>) {
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
pub(crate) fn case_buttons(case_id: i64) -> Vec<Button> {
    vec![
        Button::new("btn-menu", ButtonData::Menu(MenuItem::Menu)),
        Button {
            label: Part::new("btn-close-case"),
            data: ButtonData::CloseCase(case_id),
        },
    ]
}

/// What to say about a file sent where the bot did not ask for one.
pub(crate) fn media_notice_id(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Sticker | MediaKind::Animation => "media-sticker",
        MediaKind::Voice | MediaKind::Audio | MediaKind::VideoNote => "media-voice",
        _ => "media-file",
    }
}

pub(crate) fn rating_comment(
    case_id: i64,
    input: Input,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) -> State {
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
