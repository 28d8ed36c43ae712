//! The only place that speaks teloxide: Update → engine input, outbox row → Bot API call, the
//! staff group's buttons.

use std::future::Future;
use std::sync::Arc;

use teloxide::dispatching::{Dispatcher, UpdateFilterExt};
use teloxide::dptree;
use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{
    BotCommand, ButtonRequest, ChatMemberUpdated, FileId, InlineKeyboardButton,
    InlineKeyboardMarkup, InputFile, KeyboardButton, KeyboardMarkup, Me, MessageId, ReplyMarkup,
    ReplyParameters, ThreadId, User,
};
use teloxide::{ApiError, RequestError};

use crate::delivery::{Delivery, SendError, Sent, Transport};
use crate::dialogue::{Attachment, Command, Input, Lang, MediaKind, Msg, Part};
use crate::engine::{
    CaseAction, CaseActionOutcome, Engine, Incoming, StaffAction, StaffCaseAction, StaffMessage,
    StaffOutcome,
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

fn seen_user(user: &User, chat_id: i64) -> SeenUser {
    SeenUser {
        id: user.id.0 as i64,
        chat_id,
        name: user.full_name(),
        username: user.username.clone(),
        lang: Lang::from_telegram(user.language_code.as_deref()),
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
        Input::Text(text.to_string())
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
    } else {
        Input::Media {
            attachment: Attachment {
                kind: MediaKind::Other,
                file_id: String::new(),
                file_name: None,
            },
            caption,
        }
    }
}

fn update_key(update: &Update) -> String {
    format!("tg:{}", update.id.0)
}

async fn on_message(update: Update, msg: Message, engine: Engine, me: Me) -> ResponseResult<()> {
    if msg.chat.id.0 == engine.settings.staff.chat_id {
        on_staff_message(&update, &msg, &engine, &me).await;
        return Ok(());
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
        key: Some(update_key(&update)),
        user: seen_user(user, msg.chat.id.0),
        input: message_input(&msg),
    };
    if let Err(e) = engine.handle(inc).await {
        tracing::error!(error = %e, "handling a message failed");
    }
    Ok(())
}

async fn on_callback<R>(
    update: Update,
    q: CallbackQuery,
    engine: Engine,
    bot: R,
) -> ResponseResult<()>
where
    R: Requester<Err = RequestError> + Clone + Send + Sync + 'static,
{
    let data = q.data.clone().unwrap_or_default();
    let staff = engine.settings.staff;
    let in_staff_chat = q.message.as_ref().map(|m| m.chat().id.0) == Some(staff.chat_id);
    // Only the decision buttons are staff's: the customer's "s:none" (no schedule yet) is not.
    let staff_button = parse_staff_button(&data).is_some();
    if staff_button || in_staff_chat {
        let toast = staff_press(&update, &q, &data, &engine, &bot).await;
        bot.answer_callback_query(q.id.clone()).text(toast).await?;
        return Ok(());
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
        key: Some(update_key(&update)),
        user: seen_user(&q.from, chat_id),
        input: Input::Button(data),
    };
    if let Err(e) = engine.handle(inc).await {
        tracing::error!(error = %e, "handling a button failed");
    }
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
/// and logged. Returns the short answer shown to the presser.
async fn staff_press<R>(
    update: &Update,
    q: &CallbackQuery,
    data: &str,
    engine: &Engine,
    bot: &R,
) -> String
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
        return say("staff-bad-button");
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
        return say("staff-not-allowed");
    }
    let key = Some(update_key(update));
    match button {
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
                    say("staff-toast-error")
                }
            }
        }
    }
}

/// A message in the staff group: a staff command, or words for a case (in its topic, or in
/// reply to one of its messages). Anything else belongs to no case and is left alone.
async fn on_staff_message(update: &Update, msg: &Message, engine: &Engine, me: &Me) {
    let Some(user) = msg.from.as_ref().filter(|u| !u.is_bot) else {
        return;
    };
    let key = Some(update_key(update));
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
                return;
            }
        }
        match engine
            .staff_command_as(key.clone(), thread, text, &staff_name(user))
            .await
        {
            Ok(true) => return,
            Ok(false) => {}
            Err(e) => {
                tracing::error!(error = %e, "staff command failed");
                return;
            }
        }
    }
    // In a forum, a plain message "replies" to its topic's creation message: not a card.
    let reply_to = msg
        .reply_to_message()
        .filter(|r| r.forum_topic_created().is_none())
        .map(|r| r.id.0 as i64);
    let staff = engine.settings.staff;
    let case_id = match engine
        .store
        .case_for_staff_message(staff.chat_id, thread, reply_to)
        .await
    {
        Ok(Some(id)) => id,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "finding the case of a staff message failed");
            return;
        }
    };
    let (text, media) = match message_input(msg) {
        Input::Text(t) => (Some(t), Vec::new()),
        Input::Media {
            attachment,
            caption,
        } if !attachment.file_id.is_empty() => (caption, vec![attachment]),
        _ => return,
    };
    let m = StaffMessage {
        key,
        staff_id: user.id.0 as i64,
        staff_name: staff_name(user),
        case_id,
        text,
        media,
    };
    if let Err(e) = engine.staff_case_message(m).await {
        tracing::error!(error = %e, "relaying a staff message failed");
    }
}

async fn on_my_chat_member(
    update: Update,
    change: ChatMemberUpdated,
    engine: Engine,
) -> ResponseResult<()> {
    if change.chat.is_private() && change.new_chat_member.kind.is_banned() {
        let customer = change.from.id.0 as i64;
        if let Err(e) = engine
            .customer_blocked(Some(update_key(&update)), customer)
            .await
        {
            tracing::error!(error = %e, "recording a blocked customer failed");
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

/// Runs the bot by long polling until `shutdown` resolves. `throttle` keeps within Telegram's
/// limits (production); without it, every message goes out at once (tests, load runs).
pub async fn run(
    bot: Bot,
    engine: Engine,
    throttle: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RequestError> {
    if throttle {
        let bot = bot.throttle(teloxide::adaptors::throttle::Limits::default());
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

    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        // A customer who edits an answer (a typo in the invoice number) means the new text.
        .branch(Update::filter_edited_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback::<R>))
        .branch(Update::filter_my_chat_member().endpoint(on_my_chat_member));
    let mut dispatcher = Dispatcher::builder(bot, handler)
        .dependencies(dptree::deps![engine])
        .default_handler(|_| async {})
        .build();
    let token = dispatcher.shutdown_token();
    let stopper = tokio::spawn(async move {
        shutdown.await;
        // The dispatcher refuses a shutdown until it is running: a stop asked for during
        // start-up is asked again until it takes.
        loop {
            match token.shutdown() {
                Ok(done) => return done.await,
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    });
    dispatcher.dispatch().await;
    stopper.abort();
    let _ = stop_duty.send(());
    let _ = duty_task.await;
    Ok(())
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
