//! Telegram updates into engine input: a customer's message or press, the bot blocked.

use crate::dialogue::ButtonData;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, ChatMemberUpdated, FileId, UpdateKind, User};
use teloxide::RequestError;

use super::business;
use super::staff::{on_staff_message, parse_staff_button, staff_press};
use super::{Api, UpdateContext, UpdateError};
use crate::dialogue::{Attachment, Input, Lang, MediaKind, Unsupported};
use crate::engine::{Engine, Incoming};
use crate::store::SeenUser;

/// Telegram's name as a channel (in customers' identities and outbox rows).
pub const CHANNEL: &str = "telegram";

/// A Telegram user writing in a chat: their identity is their user id, the chat is where they
/// are answered.
fn seen_user(user: &User, chat_id: i64) -> SeenUser {
    SeenUser {
        channel: CHANNEL.into(),
        external_id: user.id.0.to_string(),
        address: chat_id.to_string(),
        name: user.full_name(),
        username: user.username.clone(),
        lang: lang_of(user.language_code.as_deref()),
    }
}

/// The language for a Telegram `language_code`: English for English speakers, else Vietnamese.
pub fn lang_of(code: Option<&str>) -> Lang {
    match code {
        Some(c) if c == "en" || c.starts_with("en-") => Lang::En,
        _ => Lang::Vi,
    }
}

/// A message in a private chat as an engine input.
pub(super) fn message_input(msg: &Message) -> Input {
    let caption = msg.caption().map(str::to_string);
    let media = |kind: MediaKind, file_id: &FileId, file_name: Option<String>| Input::Media {
        attachment: Attachment {
            kind,
            file_id: file_id.0.clone(),
            file_name,
        },
        caption: caption.clone(),
    };
    if let Some(text) = msg.text() {
        Input::Text(without_bot_mention(text))
    } else if let Some(sizes) = msg.photo() {
        match sizes.iter().max_by_key(|p| p.width * p.height) {
            Some(p) => media(MediaKind::Photo, &p.file.id, None),
            None => Input::Text(String::new()),
        }
    } else if let Some(d) = msg.document() {
        media(MediaKind::Document, &d.file.id, d.file_name.clone())
    } else if let Some(v) = msg.video() {
        media(MediaKind::Video, &v.file.id, None)
    } else if let Some(v) = msg.voice() {
        media(MediaKind::Voice, &v.file.id, None)
    } else if let Some(a) = msg.audio() {
        media(MediaKind::Audio, &a.file.id, None)
    } else if let Some(v) = msg.video_note() {
        media(MediaKind::VideoNote, &v.file.id, None)
    } else if let Some(s) = msg.sticker() {
        media(MediaKind::Sticker, &s.file.id, None)
    } else if let Some(a) = msg.animation() {
        media(MediaKind::Animation, &a.file.id, None)
    } else if let Some(c) = msg.contact() {
        Input::Contact {
            phone: c.phone_number.clone(),
        }
    } else if msg.venue().is_some() {
        Input::Unsupported(Unsupported::Venue)
    } else if msg.location().is_some() {
        Input::Unsupported(Unsupported::Location)
    } else if msg.poll().is_some() {
        Input::Unsupported(Unsupported::Poll)
    } else if msg.dice().is_some() {
        Input::Unsupported(Unsupported::Dice)
    } else if msg.game().is_some() {
        Input::Unsupported(Unsupported::Game)
    } else {
        Input::Unsupported(Unsupported::Other)
    }
}

fn update_key(update: &Update) -> String {
    format!("tg:{}", update.id.0)
}

/// Handles one update: a message or an edited message, a button press, or a change of the
/// bot's membership in a chat. Returns once everything the update changes is committed, so
/// the caller may then confirm it to Telegram. An update handled before is recognised by its
/// id and changes nothing.
pub async fn handle_update<R>(ctx: &UpdateContext<R>, update: Update) -> Result<(), UpdateError>
where
    R: Api,
{
    let key = update_key(&update);
    // A customer's message or press is counted by the engine (done, duplicate or error); the
    // rest (staff, the bot's membership, what is not for the bot) here.
    let from = update_source(&update, ctx.engine.settings.staff.chat_id);
    let started = std::time::Instant::now();
    let result = dispatch(ctx, key, &update).await;
    if from != "customer" {
        let outcome = if result.is_ok() { "done" } else { "error" };
        metrics::counter!("cskh_updates_total", "outcome" => outcome, "from" => from).increment(1);
        metrics::histogram!("cskh_update_seconds").record(started.elapsed().as_secs_f64());
    }
    result
}

/// Who an update comes from, for the metrics: "customer", "staff" or "other".
fn update_source(update: &Update, staff_chat: i64) -> &'static str {
    match &update.kind {
        UpdateKind::Message(m) | UpdateKind::EditedMessage(m) => {
            if m.chat.id.0 == staff_chat {
                "staff"
            } else if m.chat.is_private() && m.from.as_ref().is_some_and(|u| !u.is_bot) {
                "customer"
            } else {
                "other"
            }
        }
        UpdateKind::CallbackQuery(q) => {
            let data = q.data.as_deref().unwrap_or_default();
            let in_staff_chat = q.message.as_ref().map(|m| m.chat().id.0) == Some(staff_chat);
            if in_staff_chat || parse_staff_button(data).is_some() {
                "staff"
            } else {
                "customer"
            }
        }
        _ => "other",
    }
}

async fn dispatch<R>(
    ctx: &UpdateContext<R>,
    key: String,
    update: &Update,
) -> Result<(), UpdateError>
where
    R: Api,
{
    match &update.kind {
        UpdateKind::Message(msg) => on_message(key, msg, ctx, false).await,
        // A customer who edits an answer (a typo in the invoice number) means the new text; a
        // staff member who edits words the customer got corrects the customer's copy.
        UpdateKind::EditedMessage(msg) => on_message(key, msg, ctx, true).await,
        UpdateKind::CallbackQuery(q) => on_callback(key, q, ctx).await,
        UpdateKind::MyChatMember(change) => on_my_chat_member(key, change, &ctx.engine).await,
        UpdateKind::BusinessConnection(c) => business::on_connection(key, c, &ctx.engine).await,
        UpdateKind::BusinessMessage(msg) | UpdateKind::EditedBusinessMessage(msg) => {
            business::on_message(key, msg, &ctx.engine).await
        }
        UpdateKind::DeletedBusinessMessages(d) => {
            business::on_deleted(d);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The updates the bot asks Telegram for (everything else is not for it).
pub const ALLOWED_UPDATES: [AllowedUpdate; 8] = [
    AllowedUpdate::Message,
    AllowedUpdate::EditedMessage,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
    AllowedUpdate::BusinessConnection,
    AllowedUpdate::BusinessMessage,
    AllowedUpdate::EditedBusinessMessage,
    AllowedUpdate::DeletedBusinessMessages,
];

async fn on_message<R>(
    key: String,
    msg: &Message,
    ctx: &UpdateContext<R>,
    edited: bool,
) -> Result<(), UpdateError>
where
    R: Requester<Err = RequestError>,
{
    let engine = &ctx.engine;
    if msg.chat.id.0 == engine.settings.staff.chat_id {
        return on_staff_message(key, msg, engine, &ctx.me, edited).await;
    }
    if !msg.chat.is_private() {
        return Ok(()); // chatter in other groups is not for the bot
    }
    let Some(user) = msg.from.as_ref() else {
        return Ok(());
    };
    if user.is_bot {
        return Ok(());
    }
    // `/dashboard` from a member of the staff group: the button to the staff web page. From
    // anyone else it is a customer's words like any other.
    if !edited && is_dashboard_command(msg.text(), &ctx.me) {
        let staff = ChatId(engine.settings.staff.chat_id);
        let member = ctx.bot.get_chat_member(staff, user.id).await;
        if matches!(&member, Ok(m) if m.kind.is_present()) {
            engine.staff_dashboard(key, msg.chat.id.0).await?;
            return Ok(());
        }
    }
    let inc = Incoming {
        key: Some(key),
        user: seen_user(user, msg.chat.id.0),
        input: message_input(msg),
    };
    let album = msg.media_group_id().map(|g| g.0.clone());
    engine.handle_in_album(inc, album).await?;
    Ok(())
}

async fn on_callback<R>(
    key: String,
    q: &CallbackQuery,
    ctx: &UpdateContext<R>,
) -> Result<(), UpdateError>
where
    R: Api,
{
    let (engine, bot) = (&ctx.engine, &ctx.bot);
    let data = q.data.clone().unwrap_or_default();
    let staff = engine.settings.staff;
    let in_staff_chat = q.message.as_ref().map(|m| m.chat().id.0) == Some(staff.chat_id);
    // Only the decision buttons are staff's: the customer's "s:none" (no schedule yet) is not.
    let staff_button = parse_staff_button(&data).is_some();
    if staff_button || in_staff_chat {
        let (toast, result) = staff_press(key, q, &data, engine, bot).await;
        answer_press(bot, q, Some(toast));
        return result;
    }
    // A customer's button: answered at once, and handled meanwhile. A query too old to answer
    // (after a restart or a lag) is still the customer's press.
    answer_press(bot, q, None);
    let chat_id = q
        .message
        .as_ref()
        .map(|m| m.chat().id.0)
        .unwrap_or(q.from.id.0 as i64);
    let user = match business::callback_user(q, engine).await? {
        None => seen_user(&q.from, chat_id),
        Some(Ok(user)) => user,
        // Under a business chat the bot may not answer now: the press is not for it.
        Some(Err(())) => return Ok(()),
    };
    let inc = Incoming {
        key: Some(key),
        user,
        input: Input::Button(ButtonData::read(&data)),
    };
    engine.handle(inc).await?;
    Ok(())
}

/// Answers a button press (stops the spinner on the presser's screen, with `toast` if given)
/// on a task of its own: the rest of the update, and the batch it belongs to, do not wait for
/// the round trip. An answer that fails only leaves the spinner to time out.
fn answer_press<R: Api>(bot: &R, q: &CallbackQuery, toast: Option<String>) {
    let mut answer = bot.answer_callback_query(q.id.clone());
    if let Some(toast) = toast {
        answer = answer.text(toast);
    }
    tokio::spawn(async move {
        if let Err(e) = answer.await {
            tracing::warn!(error = %e, "answering a button press failed");
        }
    });
}

async fn on_my_chat_member(
    key: String,
    change: &ChatMemberUpdated,
    engine: &Engine,
) -> Result<(), UpdateError> {
    if change.chat.is_private() && change.new_chat_member.kind.is_banned() {
        let user = change.from.id.0.to_string();
        let customer = engine
            .store
            .customer_of_identity(CHANNEL, &user)
            .await
            .map_err(crate::engine::EngineError::from)?;
        if let Some(customer) = customer {
            engine.customer_blocked(Some(key), customer).await?;
        }
    }
    Ok(())
}

/// A command without the bot's name Telegram adds in groups: `/cases@cskh_bot 3` → `/cases 3`.
pub(super) fn without_bot_mention(text: &str) -> String {
    let start = text.len() - text.trim_start().len();
    let command = &text[start..];
    if !command.starts_with('/') {
        return text.to_string();
    }
    let word_end = command.find(char::is_whitespace).unwrap_or(command.len());
    match command[..word_end].find('@') {
        Some(at) => format!(
            "{}{}{}",
            &text[..start],
            &command[..at],
            &command[word_end..]
        ),
        None => text.to_string(),
    }
}

/// `/dashboard` (or `/dashboard@this_bot`).
fn is_dashboard_command(text: Option<&str>, me: &teloxide::types::Me) -> bool {
    let Some(first) = text.and_then(|t| t.split_whitespace().next()) else {
        return false;
    };
    let (command, bot) = match first.split_once('@') {
        Some((c, b)) => (c, Some(b)),
        None => (first, None),
    };
    command.eq_ignore_ascii_case("/dashboard")
        && bot.is_none_or(|b| b.eq_ignore_ascii_case(me.username()))
}

#[cfg(test)]
mod tests {
    use super::without_bot_mention;

    #[test]
    fn a_command_loses_the_bot_name_telegram_adds_and_nothing_else() {
        for (text, plain) in [
            ("/BaoLuu@cskh_bot extra", "/BaoLuu extra"),
            ("/cases@cskh_bot", "/cases"),
            ("/tl@cskh_bot Dạ em chào chị", "/tl Dạ em chào chị"),
            (" /case@cskh_bot KN-000001", " /case KN-000001"),
            ("/baoluu", "/baoluu"),
            ("email me at a@b.vn", "email me at a@b.vn"),
            ("/tl gửi a@b.vn", "/tl gửi a@b.vn"),
        ] {
            assert_eq!(without_bot_mention(text), plain, "{text:?}");
        }
    }
}
