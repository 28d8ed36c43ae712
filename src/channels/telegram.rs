//! The only place that speaks teloxide: Update → engine input, outbox row → Bot API call, the
//! staff group's buttons.

use std::future::Future;
use std::sync::Arc;

use std::collections::HashMap;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{
    AllowedUpdate, BotCommand, ButtonRequest, ChatMemberUpdated, FileId, InlineKeyboardButton,
    InlineKeyboardMarkup, InputFile, KeyboardButton, KeyboardMarkup, Me, MessageId, ReplyMarkup,
    ReplyParameters, ThreadId, UpdateId, UpdateKind, User,
};
use teloxide::{ApiError, RequestError};

use crate::delivery::{Delivery, SendError, Sent, Transport};
use crate::dialogue::{Attachment, Command, Input, Lang, MediaKind, Msg, Part, Unsupported};
use crate::engine::{
    CaseAction, CaseActionOutcome, Engine, EngineError, Incoming, StaffAction, StaffCaseAction,
    StaffMessage, StaffOutcome,
};
use crate::store::{Outgoing, SeenUser};

/// Sends outbox rows through any teloxide requester (a plain `Bot`, or `Throttle<Bot>`).
pub struct TelegramTransport<R> {
    pub bot: R,
    /// Whether the staff group is a forum: unknown until a topic is first asked for.
    forum: std::sync::Mutex<Option<bool>>,
}

impl<R> TelegramTransport<R> {
    pub fn new(bot: R) -> TelegramTransport<R> {
        TelegramTransport {
            bot,
            forum: std::sync::Mutex::new(None),
        }
    }
}

fn keyboard(rows: &[Vec<(String, String)>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.iter().map(|row| {
        row.iter()
            .map(|(label, data)| InlineKeyboardButton::callback(label.clone(), data.clone()))
            .collect::<Vec<_>>()
    }))
}

fn map_error(e: RequestError) -> SendError {
    match e {
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots,
        ) => SendError::Blocked,
        RequestError::RetryAfter(secs) => SendError::RetryAfter(secs.seconds() as u64),
        RequestError::Network(e) => SendError::Transient(e.to_string()),
        RequestError::Io(e) => SendError::Transient(e.to_string()),
        RequestError::Api(ApiError::Unknown(text))
            if text.contains("Internal Server Error") || text.starts_with("5") =>
        {
            SendError::Transient(text)
        }
        other => SendError::Permanent(other.to_string()),
    }
}

impl<R> Transport for TelegramTransport<R>
where
    R: Requester<Err = RequestError> + Send + Sync + 'static,
    R::SendMessage: Send,
    R::EditMessageText: Send,
    R::SendDocument: Send,
    R::SendPhoto: Send,
    R::CreateForumTopic: Send,
    R::EditForumTopic: Send,
{
    async fn send(
        &self,
        chat_id: i64,
        thread_id: Option<i64>,
        msg: &Outgoing,
    ) -> Result<Sent, SendError> {
        let chat = ChatId(chat_id);
        let thread_of = |t: i64| ThreadId(MessageId(t as i32));
        if let Some(name) = &msg.rename_topic {
            let Some(t) = thread_id else {
                return Ok(Sent::default());
            };
            return match self
                .bot
                .edit_forum_topic(chat, thread_of(t))
                .name(name.clone())
                .await
            {
                Ok(_) => Ok(Sent::default()),
                // An unchanged title is not an error worth retrying.
                Err(RequestError::Api(ApiError::Unknown(e)))
                    if e.contains("TOPIC_NOT_MODIFIED") =>
                {
                    Ok(Sent::default())
                }
                Err(e) => Err(map_error(e)),
            };
        }
        if let Some(message_id) = msg.edit_message_id {
            let result = self
                .bot
                .edit_message_text(chat, MessageId(message_id as i32), msg.text.clone())
                .reply_markup(keyboard(&msg.buttons))
                .await;
            return match result {
                Ok(m) => Ok(Sent::message(m.id.0 as i64)),
                Err(RequestError::Api(ApiError::MessageNotModified)) => {
                    Ok(Sent::message(message_id))
                }
                Err(e) => Err(map_error(e)),
            };
        }
        // A new case's topic, when the staff group is a forum (nothing to do otherwise).
        if let Some(title) = &msg.new_topic {
            if *self.forum.lock().unwrap() == Some(false) {
                return Ok(Sent::default());
            }
            return match self.bot.create_forum_topic(chat, title.clone()).await {
                Ok(topic) => {
                    *self.forum.lock().unwrap() = Some(true);
                    Ok(Sent {
                        message_id: None,
                        thread_id: Some(topic.thread_id.0 .0 as i64),
                    })
                }
                Err(RequestError::Api(ApiError::Unknown(e))) if e.contains("not a forum") => {
                    *self.forum.lock().unwrap() = Some(false);
                    Ok(Sent::default())
                }
                Err(e) => Err(map_error(e)),
            };
        }
        let thread = thread_id.map(thread_of);
        let reply = msg
            .reply_to
            .map(|id| ReplyParameters::new(MessageId(id as i32)).allow_sending_without_reply());
        if let Some((name, content)) = &msg.upload {
            let file = InputFile::memory(content.clone().into_bytes()).file_name(name.clone());
            let mut req = self.bot.send_document(chat, file);
            let p = req.payload_mut();
            p.caption = Some(msg.text.clone());
            p.message_thread_id = thread;
            return req
                .await
                .map(|m| Sent::message(m.id.0 as i64))
                .map_err(map_error);
        }
        let result = match &msg.attachment {
            Some(Attachment {
                kind: MediaKind::Photo,
                file_id,
                ..
            }) => {
                let mut req = self
                    .bot
                    .send_photo(chat, InputFile::file_id(FileId(file_id.clone())));
                let p = req.payload_mut();
                p.caption = Some(msg.text.clone());
                p.message_thread_id = thread;
                p.reply_parameters = reply;
                req.await
            }
            Some(Attachment { file_id, .. }) => {
                let mut req = self
                    .bot
                    .send_document(chat, InputFile::file_id(FileId(file_id.clone())));
                let p = req.payload_mut();
                p.caption = Some(msg.text.clone());
                p.message_thread_id = thread;
                p.reply_parameters = reply;
                req.await
            }
            None => {
                let markup: Option<ReplyMarkup> = if !msg.buttons.is_empty() {
                    Some(keyboard(&msg.buttons).into())
                } else if let Some(label) = &msg.contact_button {
                    Some(
                        KeyboardMarkup::new(vec![vec![
                            KeyboardButton::new(label.clone()).request(ButtonRequest::Contact)
                        ]])
                        .resize_keyboard()
                        .one_time_keyboard()
                        .into(),
                    )
                } else if msg.remove_keyboard {
                    Some(ReplyMarkup::kb_remove())
                } else {
                    None
                };
                let mut req = self.bot.send_message(chat, msg.text.clone());
                let p = req.payload_mut();
                p.message_thread_id = thread;
                p.reply_markup = markup;
                p.reply_parameters = reply;
                req.await
            }
        };
        result
            .map(|m| Sent::message(m.id.0 as i64))
            .map_err(map_error)
    }
}

/// Registers the command list in Vietnamese (default) and English.
pub async fn register_commands<R: Requester<Err = RequestError>>(
    bot: &R,
    engine: &Engine,
) -> Result<(), RequestError> {
    for lang in Lang::ALL {
        let commands: Vec<BotCommand> = Command::ALL
            .iter()
            .map(|c| BotCommand::new(c.name(), engine.renderer.text(lang, &c.description_id())))
            .collect();
        match lang {
            Lang::Vi => bot.set_my_commands(commands).await?,
            Lang::En => bot.set_my_commands(commands).language_code("en").await?,
        };
    }
    Ok(())
}

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
fn message_input(msg: &Message) -> Input {
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

/// A command without the bot's name Telegram adds in groups: `/cases@cskh_bot 3` → `/cases 3`.
fn without_bot_mention(text: &str) -> String {
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

fn update_key(update: &Update) -> String {
    format!("tg:{}", update.id.0)
}

/// What handling an update needs: the engine, the bot (to answer button presses and to ask
/// who is in the staff group), and the bot's own account (to tell its commands from others').
#[derive(Clone)]
pub struct UpdateContext<R> {
    pub engine: Engine,
    pub bot: R,
    pub me: Me,
}

/// Why an update could not be handled. Nothing of it was committed: it must be handed over
/// again (polling does not move the offset past it; a webhook answers with an error).
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// Handles one update: a message or an edited message, a button press, or a change of the
/// bot's membership in a chat. Returns once everything the update changes is committed, so
/// the caller may then confirm it to Telegram. An update handled before is recognised by its
/// id and changes nothing.
pub async fn handle_update<R>(ctx: &UpdateContext<R>, update: Update) -> Result<(), UpdateError>
where
    R: Requester<Err = RequestError>,
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
    R: Requester<Err = RequestError>,
{
    match &update.kind {
        UpdateKind::Message(msg) => on_message(key, msg, ctx, false).await,
        // A customer who edits an answer (a typo in the invoice number) means the new text; a
        // staff member who edits words the customer got corrects the customer's copy.
        UpdateKind::EditedMessage(msg) => on_message(key, msg, ctx, true).await,
        UpdateKind::CallbackQuery(q) => on_callback(key, q, ctx).await,
        UpdateKind::MyChatMember(change) => on_my_chat_member(key, change, &ctx.engine).await,
        _ => Ok(()),
    }
}

/// The updates the bot asks Telegram for (everything else is not for it).
pub const ALLOWED_UPDATES: [AllowedUpdate; 4] = [
    AllowedUpdate::Message,
    AllowedUpdate::EditedMessage,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
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
    R: Requester<Err = RequestError>,
{
    let (engine, bot) = (&ctx.engine, &ctx.bot);
    let data = q.data.clone().unwrap_or_default();
    let staff = engine.settings.staff;
    let in_staff_chat = q.message.as_ref().map(|m| m.chat().id.0) == Some(staff.chat_id);
    // Only the decision buttons are staff's: the customer's "s:none" (no schedule yet) is not.
    let staff_button = parse_staff_button(&data).is_some();
    if staff_button || in_staff_chat {
        let (toast, result) = staff_press(key, q, &data, engine, bot).await;
        if let Err(e) = bot.answer_callback_query(q.id.clone()).text(toast).await {
            tracing::warn!(error = %e, "answering a staff button press failed");
        }
        return result;
    }
    // A customer's button: answer at once, then handle. A query too old to answer (after a
    // restart or a lag) is still the customer's press.
    if let Err(e) = bot.answer_callback_query(q.id.clone()).await {
        tracing::warn!(error = %e, "answering a callback query failed");
    }
    let chat_id = q
        .message
        .as_ref()
        .map(|m| m.chat().id.0)
        .unwrap_or(q.from.id.0 as i64);
    let inc = Incoming {
        key: Some(key),
        user: seen_user(&q.from, chat_id),
        input: Input::Button(data),
    };
    engine.handle(inc).await?;
    Ok(())
}

/// A staff button: a decision on a request, or an action on a complaint case.
enum StaffButton {
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

fn parse_staff_button(data: &str) -> Option<StaffButton> {
    if let Some((action, case_id)) = CaseAction::parse(data) {
        return Some(StaffButton::Case { action, case_id });
    }
    let mut it = data.split(':');
    match (
        it.next(),
        it.next(),
        it.next().map(str::parse::<i64>),
        it.next(),
    ) {
        (Some("s"), Some(a @ ("a" | "r")), Some(Ok(request_id)), None) => {
            Some(StaffButton::Decide {
                approve: a == "a",
                request_id,
            })
        }
        (Some("s"), Some("c"), Some(Ok(request_id)), None) => {
            Some(StaffButton::Called { request_id })
        }
        (Some("s"), Some("n"), Some(Ok(request_id)), None) => {
            Some(StaffButton::NoAnswer { request_id })
        }
        (Some("s"), Some("d"), Some(Ok(request_id)), None) => {
            Some(StaffButton::JobDone { request_id })
        }
        _ => None,
    }
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
async fn staff_press<R>(
    key: String,
    q: &CallbackQuery,
    data: &str,
    engine: &Engine,
    bot: &R,
) -> (String, Result<(), UpdateError>)
where
    R: Requester<Err = RequestError>,
{
    let lang = engine.settings.staff_lang;
    let say = |id: &str| engine.text(lang, &Msg::id(id));
    let toast = |part: Part| engine.text(lang, &Msg::new(part));
    let Some(button) = parse_staff_button(data) else {
        tracing::warn!(
            user = q.from.id.0,
            data,
            "forged or unknown staff button data"
        );
        return (say("staff-bad-button"), Ok(()));
    };
    let staff = engine.settings.staff;
    let member = bot.get_chat_member(ChatId(staff.chat_id), q.from.id).await;
    let allowed = matches!(&member, Ok(m) if m.kind.is_present());
    let on_card = q.message.as_ref().map(|m| m.chat().id.0) == Some(staff.chat_id);
    if !allowed || !on_card {
        tracing::warn!(
            user = q.from.id.0,
            data,
            "staff button pressed by a non-member, refused"
        );
        return (say("staff-not-allowed"), Ok(()));
    }
    let key = Some(key);
    let mut failed: Option<EngineError> = None;
    let toast = match button {
        StaffButton::Decide {
            approve,
            request_id,
        } => {
            let action = StaffAction {
                key,
                staff_id: q.from.id.0 as i64,
                staff_name: staff_name(&q.from),
                request_id,
                approve,
                card: q.message.as_ref().map(|m| (m.chat().id.0, m.id().0 as i64)),
            };
            match engine.staff_decide(action).await {
                Ok(StaffOutcome::Decided { request, approved }) => toast(
                    Part::new(if approved {
                        "staff-toast-approved"
                    } else {
                        "staff-toast-rejected"
                    })
                    .str("request", request),
                ),
                Ok(StaffOutcome::AlreadyDecided { request, by, .. }) => toast(
                    Part::new("staff-toast-already")
                        .str("request", request)
                        .str("by", by.unwrap_or_else(|| "-".into())),
                ),
                Ok(StaffOutcome::NotFound) => say("staff-bad-button"),
                Ok(StaffOutcome::Duplicate) => say("staff-toast-duplicate"),
                Err(e) => {
                    tracing::error!(error = %e, "staff decision failed");
                    failed = Some(e);
                    say("staff-toast-error")
                }
            }
        }
        StaffButton::Called { request_id } => {
            match engine
                .staff_request_called(key, request_id, &staff_name(&q.from))
                .await
            {
                Ok(true) => say("staff-toast-called"),
                Ok(false) => say("staff-bad-button"),
                Err(e) => {
                    tracing::error!(error = %e, "recording a call failed");
                    failed = Some(e);
                    say("staff-toast-error")
                }
            }
        }
        StaffButton::NoAnswer { request_id } => {
            match engine
                .staff_request_no_answer(key, request_id, &staff_name(&q.from))
                .await
            {
                Ok(Some(missed)) => toast(Part::new("staff-toast-no-answer").int("missed", missed)),
                Ok(None) => say("staff-bad-button"),
                Err(e) => {
                    tracing::error!(error = %e, "recording a missed call failed");
                    failed = Some(e);
                    say("staff-toast-error")
                }
            }
        }
        StaffButton::JobDone { request_id } => {
            match engine
                .staff_job_done(key, request_id, &staff_name(&q.from))
                .await
            {
                Ok(Some(request)) => {
                    toast(Part::new("staff-toast-job-done").str("request", request))
                }
                Ok(None) => say("staff-bad-button"),
                Err(e) => {
                    tracing::error!(error = %e, "recording a done job failed");
                    failed = Some(e);
                    say("staff-toast-error")
                }
            }
        }
        StaffButton::Case { action, case_id } => {
            let act = StaffCaseAction {
                key,
                staff_id: q.from.id.0 as i64,
                staff_name: staff_name(&q.from),
                case_id,
                action,
            };
            match engine.staff_case_action(act).await {
                Ok(CaseActionOutcome::Done { case }) => toast(
                    Part::new("case-toast-done")
                        .str("case", case)
                        .msg("action", &format!("case-action-{}", action.code())),
                ),
                Ok(CaseActionOutcome::AlreadyClaimed { case, by }) => toast(
                    Part::new("case-toast-claimed")
                        .str("case", case)
                        .str("by", by),
                ),
                Ok(CaseActionOutcome::NotNow { case, status }) => toast(
                    Part::new("case-toast-not-now")
                        .str("case", case)
                        .msg("status", &format!("case-status-{}", status.code())),
                ),
                Ok(CaseActionOutcome::NotFound) => say("staff-bad-button"),
                Ok(CaseActionOutcome::Duplicate) => say("staff-toast-duplicate"),
                Err(e) => {
                    tracing::error!(error = %e, "case action failed");
                    failed = Some(e);
                    say("staff-toast-error")
                }
            }
        }
    };
    (toast, failed.map_or(Ok(()), |e| Err(e.into())))
}

/// A message in the staff group: a staff command, or words for a case (in its topic, or in
/// reply to one of its messages). Anything else belongs to no case and is left alone.
async fn on_staff_message(
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
        match engine
            .staff_command_as(
                key.clone(),
                thread,
                &without_bot_mention(text),
                &staff_name(user),
            )
            .await?
        {
            true => return Ok(()),
            false => {}
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
            .map_err(EngineError::from)?;
        if let Some(customer) = customer {
            engine.customer_blocked(Some(key), customer).await?;
        }
    }
    Ok(())
}

/// A bot for this token, talking to `api_url` when given (a local Bot API server, or a fake one).
pub fn bot(token: &str, api_url: Option<url::Url>) -> Bot {
    let bot = Bot::new(token);
    match api_url {
        Some(url) => bot.set_api_url(url),
        None => bot,
    }
}

/// Telegram's real limits: about one message a second into one chat, 30 a second overall, 20 a
/// minute into one group. A private chat has no limit per minute of its own (teloxide's default
/// of 20 made a customer who sent many things wait half a minute); a supergroup gets 20, not
/// teloxide's default 10.
pub fn telegram_limits() -> teloxide::adaptors::throttle::Limits {
    teloxide::adaptors::throttle::Limits {
        messages_per_sec_chat: 1,
        messages_per_min_chat: 60,
        messages_per_min_channel_or_supergroup: 20,
        messages_per_sec_overall: 30,
    }
}

/// Runs the bot by long polling until `shutdown` resolves. `throttle` keeps within Telegram's
/// limits (production); without it, every message goes out at once (tests, load runs).
pub async fn run(
    bot: Bot,
    engine: Engine,
    throttle: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RequestError> {
    if throttle {
        let bot = bot.throttle(telegram_limits());
        serve(bot, engine, shutdown).await
    } else {
        serve(bot, engine, shutdown).await
    }
}

async fn serve<R>(
    bot: R,
    engine: Engine,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError> + Clone + Send + Sync + 'static,
    R::GetUpdates: Send,
    R::GetMe: Send,
    R::GetWebhookInfo: Send,
    R::DeleteWebhook: Send,
    R::SendMessage: Send,
    R::EditMessageText: Send,
    R::SendDocument: Send,
    R::SendPhoto: Send,
    R::AnswerCallbackQuery: Send,
    R::GetChatMember: Send,
    R::SetMyCommands: Send,
    R::CreateForumTopic: Send,
    R::EditForumTopic: Send,
{
    register_commands(&bot, &engine).await?;
    let (stop_duty, duty_stopped) = tokio::sync::oneshot::channel::<()>();
    let duty_task = tokio::spawn(run_sender(engine.clone(), bot.clone(), async move {
        let _ = duty_stopped.await;
    }));

    let me = bot.get_me().await?;
    let ctx = UpdateContext {
        engine: engine.clone(),
        bot: bot.clone(),
        me,
    };
    let polled = poll(ctx, shutdown).await;
    let _ = stop_duty.send(());
    let _ = duty_task.await;
    polled
}

/// How long a getUpdates call waits for updates.
const POLL_TIMEOUT_SECS: u32 = 10;
/// How often an update that fails to be handled is tried before it is given up (logged).
const MAX_TRIES: u32 = 5;

/// Long polling on [`handle_update`]: the next getUpdates (whose offset confirms the previous
/// batch to Telegram) is asked for only once every update of the batch is committed. Updates
/// of different chats are handled at the same time, those of one chat in order. An update
/// that fails is fetched and tried again (what was committed of its batch is recognised as
/// handled); one that keeps failing is given up after a few tries, loudly.
pub async fn poll<R>(
    ctx: UpdateContext<R>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError> + Clone + Send + Sync + 'static,
    R::GetUpdates: Send,
    R::GetWebhookInfo: Send,
    R::DeleteWebhook: Send,
{
    tokio::pin!(shutdown);
    // Telegram hands out no updates by getUpdates while a webhook is set.
    match ctx.bot.get_webhook_info().await {
        Ok(info) if info.url.is_some() => {
            if let Err(e) = ctx.bot.delete_webhook().await {
                tracing::error!(error = %e, "deleting the webhook failed");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "asking for the webhook failed"),
    }
    let ctx = Arc::new(ctx);
    let mut offset: Option<i32> = None;
    // The offset Telegram was last told (by a getUpdates call).
    let mut told: Option<i32> = None;
    let mut failures: HashMap<UpdateId, u32> = HashMap::new();
    let mut backoff = Duration::ZERO;
    loop {
        if !backoff.is_zero() {
            tokio::select! {
                biased;
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(backoff) => {}
            }
        }
        let mut req = ctx
            .bot
            .get_updates()
            .timeout(POLL_TIMEOUT_SECS)
            .allowed_updates(ALLOWED_UPDATES);
        if let Some(o) = offset {
            req = req.offset(o);
        }
        let updates = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            r = req.send() => r,
        };
        told = offset.or(told);
        let updates = match updates {
            Ok(u) => u,
            Err(e) => {
                backoff = (backoff * 2).clamp(Duration::from_millis(500), Duration::from_secs(30));
                tracing::warn!(error = %e, wait = ?backoff, "getUpdates failed, will retry");
                continue;
            }
        };
        let Some(last) = updates.iter().map(|u| u.id.0).max() else {
            backoff = Duration::ZERO;
            continue;
        };
        let failed = handle_batch(&ctx, updates).await;
        let mut again = false;
        for id in failed {
            let tries = failures.entry(id).or_insert(0);
            *tries += 1;
            if *tries >= MAX_TRIES {
                tracing::error!(
                    update = id.0,
                    tries = *tries,
                    "an update keeps failing; given up"
                );
                failures.remove(&id);
            } else {
                again = true;
            }
        }
        if again {
            // Fetched again from the same offset: the failed updates come back.
            backoff = (backoff * 2).clamp(Duration::from_millis(500), Duration::from_secs(30));
        } else {
            offset = Some(last as i32 + 1);
            failures.clear();
            backoff = Duration::ZERO;
        }
    }
    // Confirm what was handled since the last getUpdates, so that a restart does not fetch it
    // again (it would be recognised and skipped, but costs a round trip).
    if offset.is_some() && offset != told {
        let confirm = ctx
            .bot
            .get_updates()
            .offset(offset.unwrap())
            .limit(1)
            .timeout(0)
            .allowed_updates(ALLOWED_UPDATES)
            .send();
        let _ = tokio::time::timeout(Duration::from_secs(5), confirm).await;
    }
    Ok(())
}

/// Which updates must be handled one after another: those of one chat (or one user).
fn lane(update: &Update) -> i64 {
    update
        .chat()
        .map(|c| c.id.0)
        .or_else(|| update.from().map(|u| u.id.0 as i64))
        .unwrap_or(0)
}

/// Handles a batch, chats side by side and each chat in order; returns the updates that
/// failed (a chat's later updates are not handled after one of its updates failed, and count
/// as failed too, so that its order holds when they come back).
async fn handle_batch<R>(ctx: &Arc<UpdateContext<R>>, updates: Vec<Update>) -> Vec<UpdateId>
where
    R: Requester<Err = RequestError> + Clone + Send + Sync + 'static,
{
    let mut lanes: Vec<(i64, Vec<Update>)> = Vec::new();
    for update in updates {
        let l = lane(&update);
        match lanes.iter_mut().find(|(k, _)| *k == l) {
            Some((_, list)) => list.push(update),
            None => lanes.push((l, vec![update])),
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    let mut ids_of = HashMap::new();
    for (_, list) in lanes {
        let ctx = ctx.clone();
        let ids: Vec<UpdateId> = list.iter().map(|u| u.id).collect();
        let handle = tasks.spawn(async move {
            let mut failed = Vec::new();
            for update in list {
                let id = update.id;
                if !failed.is_empty() {
                    failed.push(id);
                    continue;
                }
                if let Err(e) = handle_update(&ctx, update).await {
                    tracing::error!(error = %e, update = id.0, "handling an update failed");
                    failed.push(id);
                }
            }
            failed
        });
        ids_of.insert(handle.id(), ids);
    }
    let mut failed = Vec::new();
    while let Some(done) = tasks.join_next_with_id().await {
        match done {
            Ok((_, ids)) => failed.extend(ids),
            Err(e) => {
                tracing::error!(error = %e, "an update handler panicked");
                failed.extend(ids_of.remove(&e.id()).unwrap_or_default());
            }
        }
    }
    failed
}

/// The outbox sender and the reminder scheduler, run by whichever process of those sharing the
/// database holds the sender lease, until `shutdown`.
pub async fn run_sender<R>(engine: Engine, bot: R, shutdown: impl Future<Output = ()> + Send)
where
    R: Requester<Err = RequestError> + Clone + Send + Sync + 'static,
    R::SendMessage: Send,
    R::EditMessageText: Send,
    R::SendDocument: Send,
    R::SendPhoto: Send,
    R::CreateForumTopic: Send,
    R::EditForumTopic: Send,
{
    let transport = Arc::new(TelegramTransport::new(bot));
    let start = {
        let engine = engine.clone();
        move |stopped: tokio::sync::oneshot::Receiver<()>| {
            let delivery = Delivery::new(engine.clone(), transport.clone());
            let engine = engine.clone();
            tokio::spawn(async move {
                // Both in this one task, so that ending the task ends both.
                let (stop_scheduler, scheduler_stopped) = tokio::sync::oneshot::channel::<()>();
                let scheduler = crate::scheduler::run(engine, async move {
                    let _ = scheduler_stopped.await;
                });
                let sending = async move {
                    delivery
                        .run(async move {
                            let _ = stopped.await;
                        })
                        .await;
                    let _ = stop_scheduler.send(());
                };
                tokio::join!(scheduler, sending);
            })
        }
    };
    crate::lease::run_while_held(
        engine,
        crate::lease::SENDER,
        crate::lease::holder_name(),
        start,
        shutdown,
    )
    .await;
}

/// Where Telegram posts updates, and the secret it sends along with each.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The public HTTPS address Telegram posts to; its path is the route served.
    pub url: url::Url,
    /// Sent by Telegram in X-Telegram-Bot-Api-Secret-Token (1–256 of A–Z, a–z, 0–9, _ and -).
    pub secret: String,
    /// How many connections Telegram may open at once (1–100); None leaves Telegram's 40.
    pub max_connections: Option<u8>,
}

/// Whether a secret token is one Telegram accepts.
pub fn valid_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The header Telegram puts the secret token in.
const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// Equal without telling by its timing how much of a guess was right.
fn same_secret(given: &[u8], secret: &[u8]) -> bool {
    given.len() == secret.len()
        && given
            .iter()
            .zip(secret)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The webhook route: refuses a request without the right secret (401), answers 200 only
/// once the update is committed, 500 when it could not be (Telegram then posts it again).
pub fn webhook_router<R>(ctx: UpdateContext<R>, webhook: &Webhook) -> axum::Router
where
    R: Requester<Err = RequestError> + Clone + Send + Sync + 'static,
    R::AnswerCallbackQuery: Send,
    R::GetChatMember: Send,
{
    use axum::http::{HeaderMap, StatusCode};
    let ctx = Arc::new(ctx);
    let secret = Arc::new(webhook.secret.clone());
    let path = match webhook.url.path() {
        "" => "/".to_string(),
        p => p.to_string(),
    };
    let handler = move |headers: HeaderMap, body: axum::body::Bytes| {
        let ctx = ctx.clone();
        let secret = secret.clone();
        async move {
            let given = headers.get(SECRET_HEADER).map(|v| v.as_bytes());
            if !given.is_some_and(|g| same_secret(g, secret.as_bytes())) {
                tracing::warn!(
                    secret_sent = given.is_some(),
                    "webhook request without the right secret token, refused"
                );
                return StatusCode::UNAUTHORIZED;
            }
            let update: Update = match serde_json::from_slice(&body) {
                Ok(u) => u,
                Err(e) => {
                    // Not an update: posting it again would not make it one.
                    tracing::error!(error = %e, "webhook body is not an update, dropped");
                    return StatusCode::BAD_REQUEST;
                }
            };
            let id = update.id.0;
            match handle_update(&ctx, update).await {
                Ok(()) => StatusCode::OK,
                Err(e) => {
                    tracing::error!(error = %e, update = id, "handling an update failed; Telegram will post it again");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            }
        }
    };
    axum::Router::new().route(&path, axum::routing::post(handler))
}

/// Why webhook mode stopped: Telegram refused a start-up call, or the HTTP server failed.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("telegram: {0}")]
    Telegram(#[from] RequestError),
    #[error("serving the webhook: {0}")]
    Serve(#[from] std::io::Error),
}

/// Runs the bot by webhook until `shutdown`: sets the webhook (with its secret token), serves
/// it on `listener` next to `routes` (health, metrics), and sends the outbox while this
/// process holds the sender lease. Any number of such processes may share one database.
pub async fn run_webhook(
    bot: Bot,
    engine: Engine,
    throttle: bool,
    webhook: Webhook,
    listener: tokio::net::TcpListener,
    routes: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), WebhookError> {
    if throttle {
        let bot = bot.throttle(telegram_limits());
        serve_webhook(bot, engine, webhook, listener, routes, shutdown).await
    } else {
        serve_webhook(bot, engine, webhook, listener, routes, shutdown).await
    }
}

async fn serve_webhook<R>(
    bot: R,
    engine: Engine,
    webhook: Webhook,
    listener: tokio::net::TcpListener,
    routes: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), WebhookError>
where
    R: Requester<Err = RequestError> + Clone + Send + Sync + 'static,
    R::GetMe: Send,
    R::SetWebhook: Send,
    R::SendMessage: Send,
    R::EditMessageText: Send,
    R::SendDocument: Send,
    R::SendPhoto: Send,
    R::AnswerCallbackQuery: Send,
    R::GetChatMember: Send,
    R::SetMyCommands: Send,
    R::CreateForumTopic: Send,
    R::EditForumTopic: Send,
{
    register_commands(&bot, &engine).await?;
    let me = bot.get_me().await?;
    let mut set = bot
        .set_webhook(webhook.url.clone())
        .secret_token(webhook.secret.clone())
        .allowed_updates(ALLOWED_UPDATES);
    if let Some(n) = webhook.max_connections {
        set = set.max_connections(n);
    }
    set.await?;
    tracing::info!(url = %webhook.url, "webhook set");
    let (stop_duty, duty_stopped) = tokio::sync::oneshot::channel::<()>();
    let duty_task = tokio::spawn(run_sender(engine.clone(), bot.clone(), async move {
        let _ = duty_stopped.await;
    }));
    let ctx = UpdateContext { engine, bot, me };
    let router = routes.merge(webhook_router(ctx, &webhook));
    let served = crate::http::serve(listener, router, shutdown).await;
    let _ = stop_duty.send(());
    let _ = duty_task.await;
    Ok(served?)
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
