//! Outbox rows into Bot API calls: messages, edits, files, forum topics.

use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{
    BusinessConnectionId, ButtonRequest, FileId, InlineKeyboardButton, InlineKeyboardMarkup,
    InputFile, KeyboardButton, KeyboardMarkup, MessageId, ReplyMarkup, ReplyParameters, ThreadId,
    WebAppInfo,
};
use teloxide::{ApiError, RequestError};

use super::limits::{self, CAPTION_LIMIT, TEXT_LIMIT};
use crate::channels::{Channel, Content, Earlier, File, Limits, SendError, Sent, ThreadFate};
use crate::dialogue::{Attachment, MediaKind};
use crate::store::Message as Out;

/// Renders and sends content through any teloxide requester (a plain `Bot`, or `Throttle<Bot>`).
pub struct TelegramTransport<R> {
    pub bot: R,
    /// Whether the staff group is a forum: unknown until a topic is first asked for.
    forum: std::sync::Mutex<Option<bool>>,
    /// Where the chats of the company's Telegram Business account are looked up.
    business: Option<crate::store::Store>,
}

impl<R> TelegramTransport<R> {
    pub fn new(bot: R) -> TelegramTransport<R> {
        TelegramTransport {
            bot,
            forum: std::sync::Mutex::new(None),
            business: None,
        }
    }

    /// Also sends to customers of the company's Telegram Business account (their chats'
    /// addresses are kept in `store`).
    pub fn with_business(mut self, store: crate::store::Store) -> TelegramTransport<R> {
        self.business = Some(store);
        self
    }

    /// The Telegram chat of an address, and the business connection to send through when the
    /// address is a chat of the company's account.
    async fn route(
        &self,
        chat_id: i64,
    ) -> Result<(ChatId, Option<BusinessConnectionId>), SendError> {
        if chat_id > crate::store::BUSINESS_CHAT_BASE {
            return Ok((ChatId(chat_id), None));
        }
        let Some(store) = &self.business else {
            return Err(SendError::Permanent(
                "a business chat, and no business routes".into(),
            ));
        };
        let mut conn = store
            .conn()
            .await
            .map_err(|e| SendError::Transient(e.to_string()))?;
        match crate::store::business_route(&mut conn, chat_id).await {
            Ok(Some((connection, chat))) => {
                Ok((ChatId(chat), Some(BusinessConnectionId(connection))))
            }
            Ok(None) => Err(SendError::Permanent("unknown business chat".into())),
            Err(e) => Err(SendError::Transient(e.to_string())),
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

fn thread_of(t: i64) -> ThreadId {
    ThreadId(MessageId(t as i32))
}

/// The keyboard a message carries: its buttons, a button that shares the phone number, or an
/// order to take the reply keyboard away.
fn reply_markup(msg: &Out) -> Option<ReplyMarkup> {
    if let Some((label, address)) = &msg.open_page {
        let url = url::Url::parse(address).ok()?;
        let button = InlineKeyboardButton::web_app(label.clone(), WebAppInfo { url });
        Some(InlineKeyboardMarkup::new(vec![vec![button]]).into())
    } else if !msg.buttons.is_empty() {
        Some(keyboard(&msg.buttons).into())
    } else if let Some(label) = &msg.ask_phone {
        Some(
            KeyboardMarkup::new(vec![vec![
                KeyboardButton::new(label.clone()).request(ButtonRequest::Contact)
            ]])
            .resize_keyboard()
            .one_time_keyboard()
            .into(),
        )
    } else if msg.choices_over {
        Some(ReplyMarkup::kb_remove())
    } else {
        None
    }
}

impl<R> TelegramTransport<R>
where
    R: Requester<Err = RequestError> + Send + Sync + 'static,
    R::SendMessage: Send,
    R::EditMessageText: Send,
    R::SendDocument: Send,
    R::SendPhoto: Send,
    R::CreateForumTopic: Send,
    R::EditForumTopic: Send,
{
    /// Renames a case's topic (nothing to do outside a topic, nor when the title is unchanged).
    async fn rename_topic(
        &self,
        chat: ChatId,
        thread_id: Option<i64>,
        name: &str,
    ) -> Result<Sent, SendError> {
        let Some(t) = thread_id else {
            return Ok(Sent::default());
        };
        match self
            .bot
            .edit_forum_topic(chat, thread_of(t))
            .name(name.to_string())
            .await
        {
            Ok(_) => Ok(Sent::default()),
            // An unchanged title is not an error worth retrying.
            Err(RequestError::Api(ApiError::Unknown(e))) if e.contains("TOPIC_NOT_MODIFIED") => {
                Ok(Sent::default())
            }
            Err(e) => Err(map_error(e)),
        }
    }

    /// Opens a case's topic when the staff group is a forum (nothing to do otherwise).
    async fn open_topic(&self, chat: ChatId, title: &str) -> Result<Sent, SendError> {
        if *self.forum.lock().unwrap() == Some(false) {
            return Ok(Sent::default());
        }
        match self.bot.create_forum_topic(chat, title.to_string()).await {
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
        }
    }

    /// Edits the text and the buttons of a message sent before.
    async fn edit_text(
        &self,
        chat: ChatId,
        business: Option<BusinessConnectionId>,
        message_id: i64,
        msg: &Out,
    ) -> Result<Sent, SendError> {
        let mut req =
            self.bot
                .edit_message_text(chat, MessageId(message_id as i32), msg.text.clone());
        let p = req.payload_mut();
        p.reply_markup = Some(keyboard(&msg.buttons));
        p.business_connection_id = business;
        let result = req.await;
        match result {
            Ok(m) => Ok(Sent::message(m.id.0 as i64)),
            Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(Sent::message(message_id)),
            Err(e) => Err(map_error(e)),
        }
    }

    /// Uploads a file the bot made, with the text as its caption.
    async fn upload(
        &self,
        chat: ChatId,
        thread: Option<ThreadId>,
        name: &str,
        content: &str,
        caption: &str,
    ) -> Result<Message, RequestError> {
        let file = InputFile::memory(content.as_bytes().to_vec()).file_name(name.to_string());
        let mut req = self.bot.send_document(chat, file);
        let p = req.payload_mut();
        p.caption = Some(caption.to_string());
        p.message_thread_id = thread;
        req.await
    }

    /// Uploads a picture the bot made (a chart), with the text as its caption.
    async fn upload_photo(
        &self,
        chat: ChatId,
        thread: Option<ThreadId>,
        name: &str,
        png: Vec<u8>,
        caption: &str,
    ) -> Result<Message, RequestError> {
        let file = InputFile::memory(png).file_name(name.to_string());
        let mut req = self.bot.send_photo(chat, file);
        let p = req.payload_mut();
        p.caption = Some(caption.to_string());
        p.message_thread_id = thread;
        req.await
    }

    /// Sends a photo or a file someone sent before (by its Telegram file id), with a caption.
    async fn send_attachment(
        &self,
        chat: ChatId,
        business: Option<BusinessConnectionId>,
        thread: Option<ThreadId>,
        reply: Option<ReplyParameters>,
        attachment: &Attachment,
        caption: &str,
    ) -> Result<Message, RequestError> {
        let file = InputFile::file_id(FileId(attachment.file_id.clone()));
        if attachment.kind == MediaKind::Photo {
            let mut req = self.bot.send_photo(chat, file);
            let p = req.payload_mut();
            p.caption = Some(caption.to_string());
            p.message_thread_id = thread;
            p.reply_parameters = reply;
            p.business_connection_id = business;
            return req.await;
        }
        let mut req = self.bot.send_document(chat, file);
        let p = req.payload_mut();
        p.caption = Some(caption.to_string());
        p.message_thread_id = thread;
        p.reply_parameters = reply;
        p.business_connection_id = business;
        req.await
    }

    /// Sends a text with its keyboard.
    async fn send_text(
        &self,
        chat: ChatId,
        business: Option<BusinessConnectionId>,
        thread: Option<ThreadId>,
        reply: Option<ReplyParameters>,
        msg: &Out,
    ) -> Result<Message, RequestError> {
        let mut req = self.bot.send_message(chat, msg.text.clone());
        let p = req.payload_mut();
        p.business_connection_id = business;
        p.message_thread_id = thread;
        p.reply_markup = reply_markup(msg);
        p.reply_parameters = reply;
        req.await
    }
}

impl<R> Channel for TelegramTransport<R>
where
    R: Requester<Err = RequestError> + Send + Sync + 'static,
    R::SendMessage: Send,
    R::EditMessageText: Send,
    R::SendDocument: Send,
    R::SendPhoto: Send,
    R::CreateForumTopic: Send,
    R::EditForumTopic: Send,
{
    fn limits(&self) -> Limits {
        let t = super::telegram_limits();
        Limits {
            text: Some(TEXT_LIMIT),
            caption: Some(CAPTION_LIMIT),
            per_chat_per_sec: Some(t.messages_per_sec_chat),
            per_group_per_min: Some(t.messages_per_min_channel_or_supergroup),
            overall_per_sec: Some(t.messages_per_sec_overall),
            threads: true,
            buttons: true,
        }
    }

    fn parts(&self, content: &Content) -> Vec<Content> {
        limits::parts(content)
    }

    /// Telegram's answers for a topic that was deleted ("message thread not found", or
    /// TOPIC_DELETED / TOPIC_ID_INVALID on topic calls) or closed (TOPIC_CLOSED).
    fn thread_gone(&self, error: &SendError) -> Option<ThreadFate> {
        let SendError::Permanent(text) = error else {
            return None;
        };
        if text.contains("TOPIC_CLOSED") {
            Some(ThreadFate::Closed)
        } else if text.contains("message thread not found")
            || text.contains("TOPIC_DELETED")
            || text.contains("TOPIC_ID_INVALID")
        {
            Some(ThreadFate::Deleted)
        } else {
            None
        }
    }

    async fn send(
        &self,
        address: &str,
        thread_id: Option<i64>,
        part: &Content,
    ) -> Result<Sent, SendError> {
        let chat_id: i64 = match address.parse() {
            Ok(id) => id,
            Err(_) => {
                return Err(SendError::Permanent(format!(
                    "{address:?} is not a Telegram chat id"
                )))
            }
        };
        let (chat, business) = self.route(chat_id).await?;
        let msg = match part {
            Content::RenameCaseThread { title } => {
                return self.rename_topic(chat, thread_id, title).await
            }
            Content::OpenCaseThread { title } => return self.open_topic(chat, title).await,
            Content::Message(m) => m,
        };
        if let Some(Earlier::Message(message_id)) = msg.edit_of {
            return self.edit_text(chat, business, message_id, msg).await;
        }
        let thread = thread_id.map(thread_of);
        let reply = match msg.reply_to {
            Some(Earlier::Message(id)) => {
                Some(ReplyParameters::new(MessageId(id as i32)).allow_sending_without_reply())
            }
            _ => None,
        };
        let result = match &msg.file {
            Some(File::Made { name, content }) => {
                self.upload(chat, thread, name, content, &msg.text).await
            }
            Some(file @ File::Picture { name, .. }) => {
                let png = file.picture_bytes().unwrap_or_default();
                self.upload_photo(chat, thread, name, png, &msg.text).await
            }
            Some(File::Received(a)) => {
                self.send_attachment(chat, business, thread, reply, a, &msg.text)
                    .await
            }
            None => self.send_text(chat, business, thread, reply, msg).await,
        };
        result
            .map(|m| Sent::message(m.id.0 as i64))
            .map_err(map_error)
    }
}
