//! The staff group: its buttons (only members may press them) and its messages (commands,
//! words for a case).

use crate::dialogue::ButtonData;
use teloxide::prelude::*;
use teloxide::types::{Me, User};
use teloxide::RequestError;

use super::updates::message_input;
use super::UpdateError;
use crate::dialogue::{Input, Msg, Part};
use crate::engine::{
    CaseAction, CaseActionOutcome, Engine, EngineError, StaffAction, StaffCaseAction, StaffMessage,
    StaffOutcome,
};

/// A staff button: a decision on a request, or an action on a complaint case.
pub(super) enum StaffButton {
    Decide {
        approve: bool,
        request_id: i64,
    },
    /// "Đã gọi": a hotline call to the customer of a request.
    Called {
        request_id: i64,
    },
    /// "Không nghe máy": a call to the customer of a request went unanswered.
    NoAnswer {
        request_id: i64,
    },
    /// "Đã thi công": the job of a deferral was done.
    JobDone {
        request_id: i64,
    },
    Case {
        action: CaseAction,
        case_id: i64,
    },
}

pub(super) fn parse_staff_button(data: &str) -> Option<StaffButton> {
    Some(match ButtonData::parse(data)? {
        ButtonData::Case { action, case_id } => StaffButton::Case { action, case_id },
        ButtonData::StaffDecide {
            approve,
            request_id,
        } => StaffButton::Decide {
            approve,
            request_id,
        },
        ButtonData::StaffCalled(request_id) => StaffButton::Called { request_id },
        ButtonData::StaffNoAnswer(request_id) => StaffButton::NoAnswer { request_id },
        ButtonData::StaffJobDone(request_id) => StaffButton::JobDone { request_id },
        _ => return None,
    })
}

fn staff_name(user: &User) -> String {
    match &user.username {
        Some(u) => format!("{} (@{u})", user.full_name()),
        None => user.full_name(),
    }
}

/// A press on a staff card. Only members of the staff group may act; anything else is refused
/// and logged. Returns the short answer shown to the presser, and whether the press was
/// handled (an error leaves nothing committed).
pub(super) async fn staff_press<R>(
    key: String,
    q: &CallbackQuery,
    data: &str,
    engine: &Engine,
    bot: &R,
) -> (String, Result<(), UpdateError>)
where
    R: Requester<Err = RequestError>,
{
    let say = |id: &str| engine.text(engine.settings.staff_lang, &Msg::id(id));
    let Some(button) = parse_staff_button(data) else {
        tracing::warn!(
            user = q.from.id.0,
            data,
            "forged or unknown staff button data"
        );
        return (say("staff-bad-button"), Ok(()));
    };
    if !may_press(q, engine, bot).await {
        tracing::warn!(
            user = q.from.id.0,
            data,
            "staff button pressed by a non-member, refused"
        );
        return (say("staff-not-allowed"), Ok(()));
    }
    let presser = Presser {
        key: Some(key),
        id: q.from.id.0 as i64,
        name: staff_name(&q.from),
        card: q.message.as_ref().map(|m| (m.chat().id.0, m.id().0 as i64)),
    };
    let (toast, what) = match button {
        StaffButton::Decide {
            approve,
            request_id,
        } => (
            decide(engine, presser, request_id, approve).await,
            "staff decision failed",
        ),
        StaffButton::Called { request_id } => (
            called(engine, presser, request_id).await,
            "recording a call failed",
        ),
        StaffButton::NoAnswer { request_id } => (
            no_answer(engine, presser, request_id).await,
            "recording a missed call failed",
        ),
        StaffButton::JobDone { request_id } => (
            job_done(engine, presser, request_id).await,
            "recording a done job failed",
        ),
        StaffButton::Case { action, case_id } => (
            case_action(engine, presser, case_id, action).await,
            "case action failed",
        ),
    };
    match toast {
        Ok(toast) => (engine.text(engine.settings.staff_lang, &toast), Ok(())),
        Err(e) => {
            tracing::error!(error = %e, "{what}");
            (say("staff-toast-error"), Err(e.into()))
        }
    }
}

/// Whether the presser is a member of the staff group, pressing a card in that group.
async fn may_press<R>(q: &CallbackQuery, engine: &Engine, bot: &R) -> bool
where
    R: Requester<Err = RequestError>,
{
    let staff = engine.settings.staff;
    let member = bot.get_chat_member(ChatId(staff.chat_id), q.from.id).await;
    let allowed = matches!(&member, Ok(m) if m.kind.is_present());
    let on_card = q.message.as_ref().map(|m| m.chat().id.0) == Some(staff.chat_id);
    allowed && on_card
}

/// Who pressed a staff button, and on which card.
struct Presser {
    key: Option<String>,
    id: i64,
    name: String,
    card: Option<(i64, i64)>,
}

fn toast(part: Part) -> Msg {
    Msg::new(part)
}

async fn decide(
    engine: &Engine,
    p: Presser,
    request_id: i64,
    approve: bool,
) -> Result<Msg, EngineError> {
    let action = StaffAction {
        key: p.key,
        staff_id: p.id,
        staff_name: p.name,
        request_id,
        approve,
        card: p.card,
    };
    Ok(match engine.staff_decide(action).await? {
        StaffOutcome::Decided { request, approved } => toast(
            Part::new(if approved {
                "staff-toast-approved"
            } else {
                "staff-toast-rejected"
            })
            .str("request", request),
        ),
        StaffOutcome::AlreadyDecided { request, by, .. } => toast(
            Part::new("staff-toast-already")
                .str("request", request)
                .str("by", by.unwrap_or_else(|| "-".into())),
        ),
        StaffOutcome::NotFound => Msg::id("staff-bad-button"),
        StaffOutcome::Duplicate => Msg::id("staff-toast-duplicate"),
    })
}

async fn called(engine: &Engine, p: Presser, request_id: i64) -> Result<Msg, EngineError> {
    Ok(
        match engine
            .staff_request_called(p.key, request_id, &p.name)
            .await?
        {
            true => Msg::id("staff-toast-called"),
            false => Msg::id("staff-bad-button"),
        },
    )
}

async fn no_answer(engine: &Engine, p: Presser, request_id: i64) -> Result<Msg, EngineError> {
    Ok(
        match engine
            .staff_request_no_answer(p.key, request_id, &p.name)
            .await?
        {
            Some(missed) => toast(Part::new("staff-toast-no-answer").int("missed", missed)),
            None => Msg::id("staff-bad-button"),
        },
    )
}

async fn job_done(engine: &Engine, p: Presser, request_id: i64) -> Result<Msg, EngineError> {
    Ok(
        match engine.staff_job_done(p.key, request_id, &p.name).await? {
            Some(request) => toast(Part::new("staff-toast-job-done").str("request", request)),
            None => Msg::id("staff-bad-button"),
        },
    )
}

async fn case_action(
    engine: &Engine,
    p: Presser,
    case_id: i64,
    action: CaseAction,
) -> Result<Msg, EngineError> {
    let act = StaffCaseAction {
        key: p.key,
        staff_id: p.id,
        staff_name: p.name,
        case_id,
        action,
    };
    Ok(match engine.staff_case_action(act).await? {
        CaseActionOutcome::Done { case } => toast(
            Part::new("case-toast-done")
                .str("case", case)
                .msg("action", &format!("case-action-{}", action.code())),
        ),
        CaseActionOutcome::AlreadyClaimed { case, by } => toast(
            Part::new("case-toast-claimed")
                .str("case", case)
                .str("by", by),
        ),
        CaseActionOutcome::NotNow { case, status } => toast(
            Part::new("case-toast-not-now")
                .str("case", case)
                .msg("status", &format!("case-status-{}", status.code())),
        ),
        CaseActionOutcome::NotFound => Msg::id("staff-bad-button"),
        CaseActionOutcome::Duplicate => Msg::id("staff-toast-duplicate"),
    })
}

/// A message in the staff group: a staff command, or words for a case (in its topic, or in
/// reply to one of its messages). Anything else belongs to no case and is left alone.
pub(super) async fn on_staff_message(
    key: String,
    msg: &Message,
    engine: &Engine,
    me: &Me,
    edited: bool,
) -> Result<(), UpdateError> {
    let Some(user) = msg.from.as_ref().filter(|u| !u.is_bot) else {
        return Ok(());
    };
    let key = Some(key);
    let thread = if msg.is_topic_message {
        msg.thread_id.map(|t| t.0 .0 as i64)
    } else {
        None
    };
    if let Some(text) = msg.text().filter(|t| t.starts_with('/')) {
        // "/cases@another_bot" is for another bot.
        let first = text.split_whitespace().next().unwrap_or("");
        if let Some((_, name)) = first.split_once('@') {
            if !name.eq_ignore_ascii_case(me.username()) {
                return Ok(());
            }
        }
        if engine
            .staff_command_as(
                key.clone(),
                thread,
                &super::updates::without_bot_mention(text),
                &staff_name(user),
            )
            .await?
        {
            return Ok(());
        }
    }
    // In a forum, a plain message "replies" to its topic's creation message: not a card.
    let reply_to = msg
        .reply_to_message()
        .filter(|r| r.forum_topic_created().is_none())
        .map(|r| r.id.0 as i64);
    let staff = engine.settings.staff;
    let (case_id, answers_customer) = match engine
        .store
        .case_for_staff_message(staff.chat_id, thread, reply_to)
        .await
        .map_err(EngineError::from)?
    {
        Some(found) => found,
        None => return Ok(()),
    };
    let (text, media) = match message_input(msg) {
        Input::Text(t) => (Some(t), Vec::new()),
        Input::Media {
            attachment,
            caption,
        } if !attachment.file_id.is_empty() => (caption, vec![attachment]),
        _ => return Ok(()),
    };
    let m = StaffMessage {
        key,
        staff_id: user.id.0 as i64,
        staff_name: staff_name(user),
        case_id,
        text,
        media,
        answers_customer,
        source: Some(format!("{}:{}", msg.chat.id.0, msg.id.0)),
        edited,
    };
    engine.staff_case_message(m).await?;
    Ok(())
}

/// Asks Telegram whether a user is a member of the staff group (the staff web page's check).
pub fn staff_check<R: super::Api>(bot: R, staff_chat: i64) -> crate::web::StaffCheck {
    std::sync::Arc::new(move |user: i64| {
        let bot = bot.clone();
        Box::pin(async move {
            let member = bot
                .get_chat_member(ChatId(staff_chat), UserId(user as u64))
                .await;
            matches!(&member, Ok(m) if m.kind.is_present())
        })
    })
}
