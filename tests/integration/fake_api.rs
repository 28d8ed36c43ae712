//! A fake Telegram Bot API server for integration tests.
//!
//! [`FakeBotApi::start`] binds an HTTP server on `127.0.0.1:0` that speaks
//! enough of the Bot API for teloxide 0.17 to run a polling dispatcher
//! against it:
//!
//! * routes `POST /bot{TOKEN}/{method}` (method names case-insensitive;
//!   teloxide sends them in PascalCase), with JSON, multipart/form-data or
//!   url-encoded bodies;
//! * answers `getUpdates` as a long poll from a queue the test fills with
//!   `push_*` calls, honouring `offset`, `limit`, `timeout` (capped at 10 s)
//!   and `allowed_updates`;
//! * answers every sending / editing method with a realistic `Message`, and
//!   records every call so the test can assert on what the bot did;
//! * can be told to fail the next matching call ([`FakeBotApi::fail_next`]).
//!
//! Everything stays on the loopback interface; nothing reaches the internet.
#![allow(dead_code)]

use std::{
    collections::{HashMap, HashSet, VecDeque},
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use axum::{
    body::{to_bytes, Body},
    extract::{DefaultBodyLimit, FromRequest, Request, State},
    http::{header::CONTENT_TYPE, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use serde_json::{json, Map, Value};
use tokio::{
    sync::{mpsc, watch},
    task::JoinHandle,
};

/// Longest time a `getUpdates` long poll is held open, whatever `timeout` the
/// client asked for (teloxide's HTTP client gives up after 17 s).
const MAX_POLL: Duration = Duration::from_secs(10);

/// Update kinds Telegram delivers when the bot never said which it wants.
const DEFAULT_EXCLUDED_UPDATES: [&str; 3] =
    ["chat_member", "message_reaction", "message_reaction_count"];

// ---------------------------------------------------------------------------
// Public data types
// ---------------------------------------------------------------------------

/// A Telegram user taking part in a test (the bot's customer, a staff
/// member...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TgUser {
    /// Telegram user id; also the id of the user's private chat with the bot.
    pub id: i64,
    /// First name, always present on Telegram.
    pub first_name: String,
    /// Optional last name.
    pub last_name: Option<String>,
    /// Optional @username (without the `@`).
    pub username: Option<String>,
    /// Optional IETF language tag of the user's client ("vi", "en").
    pub language_code: Option<String>,
}

impl TgUser {
    /// A user with only an id and a first name.
    pub fn new(id: i64, first_name: &str) -> Self {
        TgUser {
            id,
            first_name: first_name.to_owned(),
            last_name: None,
            username: None,
            language_code: None,
        }
    }

    /// Sets the @username (without the `@`).
    pub fn username(mut self, u: &str) -> Self {
        self.username = Some(u.to_owned());
        self
    }

    /// Sets the client language code (e.g. "vi").
    pub fn lang(mut self, code: &str) -> Self {
        self.language_code = Some(code.to_owned());
        self
    }

    /// Sets the last name.
    pub fn last_name(mut self, l: &str) -> Self {
        self.last_name = Some(l.to_owned());
        self
    }

    /// The Bot API `User` object for this user.
    pub fn to_json(&self) -> Value {
        let mut u = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name });
        put_opt(&mut u, "last_name", self.last_name.as_deref());
        put_opt(&mut u, "username", self.username.as_deref());
        put_opt(&mut u, "language_code", self.language_code.as_deref());
        u
    }
}

/// Where a pushed update happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatRef {
    /// The user's own private chat with the bot (chat id = user id).
    Private,
    /// A (non-forum) supergroup with this (negative) chat id.
    Group(i64),
    /// A forum supergroup chat id and a topic's `message_thread_id`.
    Topic(i64, i64),
}

/// How [`FakeBotApi::fail_next`] makes a call fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// 403 "Forbidden: bot was blocked by the user" (teloxide:
    /// `RequestError::Api(ApiError::BotBlocked)`).
    Blocked,
    /// 429 "Too Many Requests" with `parameters.retry_after` = N seconds
    /// (teloxide: `RequestError::RetryAfter`).
    RetryAfter(u32),
    /// 500 "Internal Server Error". Beware: teloxide sleeps 10 s before
    /// reading any 5xx response.
    ServerError,
    /// 400 with this description, used verbatim: teloxide maps known
    /// descriptions to `ApiError` variants (e.g. "Bad Request: message is not
    /// modified..." → `MessageNotModified`), others to `ApiError::Unknown`.
    BadRequest(String),
}

/// One HTTP call the bot made to the fake API.
#[derive(Clone, Debug)]
pub struct ApiCall {
    /// Method name as sent (teloxide sends PascalCase: "SendMessage").
    pub method: String,
    /// Lower-case method name ("sendmessage").
    pub method_lower: String,
    /// Parameters as one JSON object: the JSON body, or the multipart /
    /// url-encoded fields with JSON-encoded fields (reply_markup, media...)
    /// decoded, numeric `*_id` fields as numbers and "true"/"false" as bools.
    /// Uploaded files appear under their part name as
    /// `{"file_name":..,"content_type":..,"size":..}`.
    pub params: Value,
    /// When the request arrived.
    pub at: Instant,
    /// The failure injected with `fail_next`, if this call was failed.
    pub failure: Option<Failure>,
}

impl ApiCall {
    /// True when this call is `method`, compared case-insensitively.
    pub fn is(&self, method: &str) -> bool {
        self.method_lower == method.to_ascii_lowercase()
    }

    /// The numeric `chat_id` parameter, if any.
    pub fn chat_id(&self) -> Option<i64> {
        as_i64(self.params.get("chat_id"))
    }
}

/// A message the bot sent into a chat (sendMessage, sendPhoto, sendDocument,
/// copyMessage, forwardMessage, sendMediaGroup...).
#[derive(Clone, Debug)]
pub struct SentMessage {
    /// The chat it went to.
    pub chat_id: i64,
    /// The id the fake gave it (increasing per chat).
    pub message_id: i64,
    /// The method that sent it, as sent by the client.
    pub method: String,
    /// Its text, or caption for media; "" when it has neither.
    pub text: String,
    /// The `reply_markup` parameter as sent (inline or reply keyboard),
    /// `Value::Null` when none.
    pub reply_markup: Value,
    /// The `message_thread_id` parameter (forum topic), if any.
    pub message_thread_id: Option<i64>,
    /// All parameters of the call (for parse_mode, reply_parameters...).
    pub params: Value,
}

/// A call the bot made, as streamed by [`FakeBotApi::tap`] once it was answered (load runs:
/// no need to scan [`FakeBotApi::calls`]).
#[derive(Clone, Debug)]
pub struct Tapped {
    /// Lower-case method name ("sendmessage").
    pub method_lower: String,
    /// The numeric `chat_id` parameter, if any.
    pub chat_id: Option<i64>,
    /// All parameters of the call.
    pub params: Value,
    /// When the request arrived.
    pub at: Instant,
    /// The `message_id` of the message the answer carries (sent or edited), if any.
    pub message_id: Option<i64>,
}

// ---------------------------------------------------------------------------
// Shared state
// ---------------------------------------------------------------------------

struct QueuedUpdate {
    id: i64,
    update: Value,
    /// Queued by `redeliver`: delivered even though its id is below the offset.
    forced: bool,
    /// Already returned by a getUpdates (only tracked for forced entries).
    delivered: bool,
}

struct PendingFailure {
    method_lower: String,
    chat_id: Option<i64>,
    failure: Failure,
}

#[derive(Default)]
struct FakeState {
    next_update_id: i64,
    queue: Vec<QueuedUpdate>,
    history: HashMap<i64, Value>,
    /// `None` until a getUpdates call sends `allowed_updates`.
    allowed_updates: Option<HashSet<String>>,
    confirmed_offset: i64,
    poll_generation: u64,
    calls: Vec<ApiCall>,
    sent: Vec<SentMessage>,
    /// Current state of every known message, by (chat id, message id).
    messages: HashMap<(i64, i64), Value>,
    next_message_id: HashMap<i64, i64>,
    chats: HashMap<i64, Value>,
    users: HashMap<i64, Value>,
    members: HashMap<(i64, i64), String>,
    failures: VecDeque<PendingFailure>,
    next_callback_id: u64,
    next_file_id: u64,
    /// When a getUpdates answer first handed out each update, by update id.
    delivered_at: HashMap<i64, Instant>,
    /// Forum topics the bot created, by (chat id, thread id): open, closed or deleted.
    topics: HashMap<(i64, i64), TopicState>,
    /// Telegram Business connections, by id: (enabled, can_reply).
    business: HashMap<String, (bool, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TopicState {
    Open,
    Closed,
    Deleted,
}

struct Shared {
    state: Mutex<FakeState>,
    /// Bumped on every change (call recorded, update queued) to wake waiters.
    changed: watch::Sender<u64>,
    /// Where every answered non-getUpdates call is streamed, once [`FakeBotApi::tap`] is called.
    tap: Mutex<Option<mpsc::UnboundedSender<Tapped>>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }
}

/// The fake Bot API server. Dropping it stops the server.
pub struct FakeBotApi {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: JoinHandle<()>,
}

impl Drop for FakeBotApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// An HTTP answer: status and JSON body.
type Reply = (StatusCode, Value);

fn ok(result: Value) -> Reply {
    (StatusCode::OK, json!({ "ok": true, "result": result }))
}

fn api_error(code: u16, description: &str) -> Reply {
    (
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
        json!({ "ok": false, "error_code": code, "description": description }),
    )
}

fn failure_reply(f: &Failure) -> Reply {
    match f {
        Failure::Blocked => api_error(403, "Forbidden: bot was blocked by the user"),
        Failure::RetryAfter(n) => (
            StatusCode::TOO_MANY_REQUESTS,
            json!({
                "ok": false,
                "error_code": 429,
                "description": format!("Too Many Requests: retry after {n}"),
                "parameters": { "retry_after": n },
            }),
        ),
        Failure::ServerError => api_error(500, "Internal Server Error"),
        Failure::BadRequest(d) => api_error(400, d),
    }
}

impl FakeBotApi {
    /// The bot token the fake accepts.
    pub const TOKEN: &'static str = "123456:TEST";
    /// The bot's user id (returned by getMe).
    pub const BOT_ID: i64 = 123456;
    /// The bot's username (returned by getMe).
    pub const BOT_USERNAME: &'static str = "cskh_test_bot";

    /// Binds `127.0.0.1:0` and serves the fake API in a tokio task.
    pub async fn start() -> FakeBotApi {
        let (changed, _) = watch::channel(0u64);
        let shared = Arc::new(Shared {
            state: Mutex::new(FakeState {
                next_update_id: 1,
                ..Default::default()
            }),
            changed,
            tap: Mutex::new(None),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake_api: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake_api: local_addr");
        let app = Router::new()
            .fallback(handle_http)
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("fake_api: server stopped: {e}");
            }
        });
        FakeBotApi {
            shared,
            addr,
            server,
        }
    }

    /// Base URL of the fake, e.g. "http://127.0.0.1:41234/", for
    /// `Bot::set_api_url` or the `TELOXIDE_API_URL` variable.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// A teloxide `Bot` with [`FakeBotApi::TOKEN`] pointed at this fake.
    pub fn bot(&self) -> teloxide::Bot {
        let bot = teloxide::Bot::new(Self::TOKEN);
        // Joining an absolute URL yields it, typed as teloxide's own `Url`.
        let url = bot
            .api_url()
            .join(&self.url())
            .expect("fake_api: valid url");
        bot.set_api_url(url)
    }

    // ----- queueing updates -------------------------------------------------

    /// Queues a text message from `from` in `chat`. Text starting with '/'
    /// gets a `bot_command` entity at offset 0, as Telegram does.
    pub fn push_text(&self, from: &TgUser, chat: ChatRef, text: &str) -> i64 {
        let mut extra = json!({ "text": text });
        if text.starts_with('/') {
            let cmd = text.split_whitespace().next().unwrap_or(text);
            extra["entities"] = json!([{
                "type": "bot_command", "offset": 0, "length": utf16_len(cmd)
            }]);
        }
        self.push_user_message(from, chat, extra)
    }

    /// Queues a callback query (an inline button press) with `data`, on the
    /// message `message_id` of `chat`. The attached message is the one the
    /// fake knows under that id (text, keyboard), else a bot message with
    /// text "".
    pub fn push_callback(&self, from: &TgUser, chat: ChatRef, message_id: i64, data: &str) -> i64 {
        let mut st = self.shared.lock();
        st.users.insert(from.id, from.to_json());
        let (chat_id, thread) = st.register_chat(from, chat);
        let message = match st.messages.get(&(chat_id, message_id)) {
            Some(m) => m.clone(),
            None => {
                let mut m = json!({
                    "message_id": message_id,
                    "from": bot_user(),
                    "chat": st.chat_json(chat_id),
                    "date": now_unix(),
                    "text": "",
                });
                if let Some(t) = thread {
                    m["message_thread_id"] = json!(t);
                    m["is_topic_message"] = json!(true);
                }
                m
            }
        };
        st.next_callback_id += 1;
        let query = json!({
            "id": format!("{}{:06}", from.id, st.next_callback_id),
            "from": from.to_json(),
            "message": message,
            "chat_instance": format!("ci{}", chat_id.unsigned_abs()),
            "data": data,
        });
        let id = st.enqueue(json!({ "callback_query": query }));
        drop(st);
        self.shared.bump();
        id
    }

    /// Queues a photo message; `file_id` is the largest (last) size.
    pub fn push_photo(
        &self,
        from: &TgUser,
        chat: ChatRef,
        file_id: &str,
        caption: Option<&str>,
    ) -> i64 {
        let mut extra = json!({ "photo": photo_sizes(file_id) });
        put_opt(&mut extra, "caption", caption);
        self.push_user_message(from, chat, extra)
    }

    /// Queues an album: one photo message per file id, all with the same `media_group_id`
    /// (as Telegram delivers several photos sent at once); the caption on the first.
    pub fn push_album(
        &self,
        from: &TgUser,
        chat: ChatRef,
        file_ids: &[&str],
        caption: Option<&str>,
    ) -> Vec<i64> {
        let group = format!("album-{}", self.new_file_id("group"));
        file_ids
            .iter()
            .enumerate()
            .map(|(i, file_id)| {
                let mut extra = json!({ "photo": photo_sizes(file_id), "media_group_id": group });
                put_opt(&mut extra, "caption", caption.filter(|_| i == 0));
                self.push_user_message(from, chat, extra)
            })
            .collect()
    }

    /// Queues a document message (mime type guessed from the extension).
    pub fn push_document(
        &self,
        from: &TgUser,
        chat: ChatRef,
        file_id: &str,
        file_name: &str,
    ) -> i64 {
        let extra = json!({ "document": {
            "file_id": file_id,
            "file_unique_id": unique_id(file_id),
            "file_name": file_name,
            "mime_type": guess_mime(file_name),
            "file_size": 20480,
        }});
        self.push_user_message(from, chat, extra)
    }

    /// Queues a (regular, static) sticker message.
    pub fn push_sticker(&self, from: &TgUser, chat: ChatRef) -> i64 {
        let fid = self.new_file_id("sticker");
        let extra = json!({ "sticker": sticker_json(&fid) });
        self.push_user_message(from, chat, extra)
    }

    /// Queues a voice message (3 s of audio/ogg).
    pub fn push_voice(&self, from: &TgUser, chat: ChatRef) -> i64 {
        let fid = self.new_file_id("voice");
        let extra = json!({ "voice": voice_json(&fid) });
        self.push_user_message(from, chat, extra)
    }

    /// Queues a contact message sharing the sender's own phone number (as a
    /// "share my contact" keyboard button does: `user_id` = sender).
    pub fn push_contact(&self, from: &TgUser, chat: ChatRef, phone: &str) -> i64 {
        let mut contact = json!({
            "phone_number": phone, "first_name": from.first_name, "user_id": from.id
        });
        put_opt(&mut contact, "last_name", from.last_name.as_deref());
        self.push_user_message(from, chat, json!({ "contact": contact }))
    }

    /// Queues a `my_chat_member` update: in `user`'s private chat the bot
    /// went from "member" to "kicked" (the user blocked the bot). Only
    /// delivered if the bot's handler tree asks for `my_chat_member`.
    pub fn push_blocked(&self, user: &TgUser) -> i64 {
        let mut st = self.shared.lock();
        st.users.insert(user.id, user.to_json());
        let (chat_id, _) = st.register_chat(user, ChatRef::Private);
        let update = json!({ "my_chat_member": {
            "chat": st.chat_json(chat_id),
            "from": user.to_json(),
            "date": now_unix(),
            "old_chat_member": { "user": bot_user(), "status": "member" },
            "new_chat_member": { "user": bot_user(), "status": "kicked", "until_date": 0 },
        }});
        let id = st.enqueue(update);
        drop(st);
        self.shared.bump();
        id
    }

    /// Queues `update` as given; `update_id` is filled in when missing. The
    /// update must have exactly one kind key besides `update_id`.
    pub fn push_raw(&self, update: Value) -> i64 {
        let id = self.shared.lock().enqueue(update);
        self.shared.bump();
        id
    }

    /// Queues an already pushed update again, same `update_id`, as Telegram
    /// does when the offset was never confirmed (e.g. a restart). It is
    /// delivered once more even if the poller's offset has passed it.
    ///
    /// Panics if `update_id` was never pushed.
    pub fn redeliver(&self, update_id: i64) {
        let mut st = self.shared.lock();
        let update = st
            .history
            .get(&update_id)
            .cloned()
            .unwrap_or_else(|| panic!("fake_api: redeliver of unknown update_id {update_id}"));
        match st.queue.iter_mut().find(|q| q.id == update_id) {
            Some(q) => {
                q.forced = true;
                q.delivered = false;
            }
            None => st.queue.push(QueuedUpdate {
                id: update_id,
                update,
                forced: true,
                delivered: false,
            }),
        }
        drop(st);
        self.shared.bump();
    }

    // ----- behaviour --------------------------------------------------------

    /// getChatMember(chat_id, user_id) will answer this status: "creator",
    /// "administrator", "member", "restricted", "left" or "kicked". Users
    /// never set are "left".
    pub fn set_member(&self, chat_id: i64, user_id: i64, status: &str) {
        self.shared
            .lock()
            .members
            .insert((chat_id, user_id), status.to_owned());
    }

    /// The company's account connects the bot in Telegram Business (or changes its rights, or
    /// ends the connection: `enabled` false). Returns the update id.
    pub fn push_business_connection(
        &self,
        owner: &TgUser,
        id: &str,
        can_reply: bool,
        enabled: bool,
    ) -> i64 {
        let mut st = self.shared.lock();
        st.users.insert(owner.id, owner.to_json());
        st.business.insert(id.to_owned(), (enabled, can_reply));
        let mut rights = json!({ "can_read_messages": true });
        if can_reply {
            rights["can_reply"] = json!(true);
        }
        let update = json!({ "business_connection": {
            "id": id,
            "user": owner.to_json(),
            "user_chat_id": owner.id,
            "date": now_unix(),
            "rights": rights,
            "is_enabled": enabled,
        }});
        let n = st.enqueue(update);
        drop(st);
        self.shared.bump();
        n
    }

    /// A message in the company account's private chat with `customer`, written by `from` (the
    /// customer, or the account's owner answering by hand). Returns the update id.
    pub fn push_business_message(
        &self,
        connection: &str,
        from: &TgUser,
        customer: &TgUser,
        text: &str,
    ) -> i64 {
        let mut st = self.shared.lock();
        st.users.insert(from.id, from.to_json());
        let chat_id = customer.id;
        let message_id = st.next_message_id(chat_id);
        let mut chat =
            json!({ "id": customer.id, "type": "private", "first_name": customer.first_name });
        if let Some(l) = &customer.last_name {
            chat["last_name"] = json!(l);
        }
        let msg = json!({
            "message_id": message_id,
            "from": from.to_json(),
            "chat": chat,
            "date": now_unix(),
            "text": text,
            "business_connection_id": connection,
        });
        let n = st.enqueue(json!({ "business_message": msg }));
        drop(st);
        self.shared.bump();
        n
    }

    /// A person deletes a forum topic in the Telegram app: its messages go with it, and a send
    /// into it is answered as Telegram does ("message thread not found").
    pub fn delete_topic(&self, chat_id: i64, thread_id: i64) {
        let mut st = self.shared.lock();
        st.topics.insert((chat_id, thread_id), TopicState::Deleted);
        st.messages.retain(|(c, _), m| {
            *c != chat_id || m["message_thread_id"].as_i64() != Some(thread_id)
        });
    }

    /// A person closes a forum topic: a send into it gets TOPIC_CLOSED.
    pub fn close_topic(&self, chat_id: i64, thread_id: i64) {
        let mut st = self.shared.lock();
        st.topics.insert((chat_id, thread_id), TopicState::Closed);
    }

    /// Makes `chat_id` a forum supergroup (topics enabled). createForumTopic in any other chat
    /// fails as on Telegram: "Bad Request: the chat is not a forum".
    pub fn set_forum(&self, chat_id: i64) {
        self.shared.lock().mark_forum(chat_id);
    }

    /// The next call of `method` (case-insensitive) — and, when `chat_id` is
    /// Some, with that `chat_id` parameter — fails with `failure`, once.
    /// Several pending failures are consumed in the order they were added.
    pub fn fail_next(&self, method: &str, chat_id: Option<i64>, failure: Failure) {
        self.shared.lock().failures.push_back(PendingFailure {
            method_lower: method.to_ascii_lowercase(),
            chat_id,
            failure,
        });
    }

    // ----- observing --------------------------------------------------------

    /// The JSON of a pushed update, as Telegram would post it to a webhook.
    pub fn update_json(&self, update_id: i64) -> Value {
        self.shared
            .lock()
            .history
            .get(&update_id)
            .cloned()
            .unwrap_or_else(|| panic!("fake_api: unknown update_id {update_id}"))
    }

    /// Every call received so far, in order (getUpdates included).
    pub fn calls(&self) -> Vec<ApiCall> {
        self.shared.lock().calls.clone()
    }

    /// Messages the bot sent into `chat_id`, in order. Failed calls send
    /// nothing. Later edits do not change these (see [`FakeBotApi::message`]).
    pub fn sent_messages(&self, chat_id: i64) -> Vec<SentMessage> {
        self.shared
            .lock()
            .sent
            .iter()
            .filter(|m| m.chat_id == chat_id)
            .cloned()
            .collect()
    }

    /// The current state (edits applied) of a message the fake knows, as the
    /// Bot API `Message` JSON.
    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<Value> {
        self.shared
            .lock()
            .messages
            .get(&(chat_id, message_id))
            .cloned()
    }

    /// The first call, already recorded or arriving within `timeout`, that
    /// matches `pred`.
    pub async fn wait_for_call(
        &self,
        pred: impl Fn(&ApiCall) -> bool,
        timeout: Duration,
    ) -> Option<ApiCall> {
        self.wait_until(timeout, |st| st.calls.iter().find(|c| pred(c)).cloned())
            .await
    }

    /// The first message sent into `chat_id` (already or within `timeout`)
    /// whose text/caption contains `contains`.
    pub async fn wait_for_message(
        &self,
        chat_id: i64,
        contains: &str,
        timeout: Duration,
    ) -> Option<SentMessage> {
        self.wait_until(timeout, |st| {
            st.sent
                .iter()
                .find(|m| m.chat_id == chat_id && m.text.contains(contains))
                .cloned()
        })
        .await
    }

    /// When a getUpdates answer first handed out the update `update_id` to the bot.
    pub fn delivered_at(&self, update_id: i64) -> Option<Instant> {
        self.shared.lock().delivered_at.get(&update_id).copied()
    }

    /// From now on, every non-getUpdates call is also sent here once answered (replaces an
    /// earlier tap).
    pub fn tap(&self) -> mpsc::UnboundedReceiver<Tapped> {
        let (tx, rx) = mpsc::unbounded_channel();
        *self.shared.tap.lock().unwrap_or_else(|e| e.into_inner()) = Some(tx);
        rx
    }

    /// The ids of every update a getUpdates answer has handed out so far.
    pub fn handed_out(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.shared.lock().delivered_at.keys().copied().collect();
        ids.sort_unstable();
        ids
    }

    /// The highest `offset` getUpdates has been called with (0 before any).
    pub fn confirmed_offset(&self) -> i64 {
        self.shared.lock().confirmed_offset
    }

    async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&FakeState) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut rx = self.shared.changed.subscribe();
        loop {
            if let Some(found) = check(&self.shared.lock()) {
                return Some(found);
            }
            match tokio::time::timeout_at(deadline, rx.changed()).await {
                Ok(Ok(())) => continue,
                _ => return check(&self.shared.lock()),
            }
        }
    }

    fn new_file_id(&self, prefix: &str) -> String {
        let mut st = self.shared.lock();
        st.new_file_id(prefix)
    }

    /// Queues a `message` update from `from` in `chat` with `extra` merged in.
    /// Queues a message from `from` in `chat` with the given fields ("location", "poll", …).
    pub fn push_message_with(&self, from: &TgUser, chat: ChatRef, extra: Value) -> i64 {
        self.push_user_message(from, chat, extra)
    }

    fn push_user_message(&self, from: &TgUser, chat: ChatRef, extra: Value) -> i64 {
        let mut st = self.shared.lock();
        st.users.insert(from.id, from.to_json());
        let (chat_id, thread) = st.register_chat(from, chat);
        let message_id = st.next_message_id(chat_id);
        let mut msg = json!({
            "message_id": message_id,
            "from": from.to_json(),
            "chat": st.chat_json(chat_id),
            "date": now_unix(),
        });
        if let Some(t) = thread {
            msg["message_thread_id"] = json!(t);
            msg["is_topic_message"] = json!(true);
        }
        merge(&mut msg, extra);
        st.messages.insert((chat_id, message_id), msg.clone());
        let id = st.enqueue(json!({ "message": msg }));
        drop(st);
        self.shared.bump();
        id
    }
}

// ---------------------------------------------------------------------------
// State helpers
// ---------------------------------------------------------------------------

impl FakeState {
    fn enqueue(&mut self, mut update: Value) -> i64 {
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                let id = self.next_update_id;
                update["update_id"] = json!(id);
                id
            }
        };
        self.next_update_id = self.next_update_id.max(id + 1);
        self.history.insert(id, update.clone());
        self.queue.push(QueuedUpdate {
            id,
            update,
            forced: false,
            delivered: false,
        });
        id
    }

    fn next_message_id(&mut self, chat_id: i64) -> i64 {
        let n = self.next_message_id.entry(chat_id).or_insert(1);
        let id = *n;
        *n += 1;
        id
    }

    fn new_file_id(&mut self, prefix: &str) -> String {
        self.next_file_id += 1;
        format!("fake-{prefix}-{}", self.next_file_id)
    }

    /// Records the chat of a pushed update; returns (chat id, thread id).
    fn register_chat(&mut self, user: &TgUser, chat: ChatRef) -> (i64, Option<i64>) {
        match chat {
            ChatRef::Private => {
                let mut c =
                    json!({ "id": user.id, "type": "private", "first_name": user.first_name });
                put_opt(&mut c, "last_name", user.last_name.as_deref());
                put_opt(&mut c, "username", user.username.as_deref());
                self.chats.insert(user.id, c);
                (user.id, None)
            }
            ChatRef::Group(id) => {
                self.chats
                    .entry(id)
                    .or_insert_with(|| group_json(id, false));
                (id, None)
            }
            ChatRef::Topic(id, thread) => {
                self.mark_forum(id);
                (id, Some(thread))
            }
        }
    }

    fn mark_forum(&mut self, chat_id: i64) {
        let c = self
            .chats
            .entry(chat_id)
            .or_insert_with(|| group_json(chat_id, true));
        if c["type"] == "supergroup" {
            c["is_forum"] = json!(true);
        }
    }

    /// The `Chat` object for an id: the recorded one, else a private chat for
    /// positive ids and a supergroup for negative ones.
    fn chat_json(&self, chat_id: i64) -> Value {
        if let Some(c) = self.chats.get(&chat_id) {
            return c.clone();
        }
        if chat_id > 0 {
            let first = self
                .users
                .get(&chat_id)
                .and_then(|u| u["first_name"].as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("User {chat_id}"));
            json!({ "id": chat_id, "type": "private", "first_name": first })
        } else {
            group_json(chat_id, false)
        }
    }

    fn user_json(&self, user_id: i64) -> Value {
        if user_id == FakeBotApi::BOT_ID {
            return bot_user();
        }
        self.users.get(&user_id).cloned().unwrap_or_else(
            || json!({ "id": user_id, "is_bot": false, "first_name": format!("User {user_id}") }),
        )
    }

    fn take_failure(&mut self, method_lower: &str, params: &Value) -> Option<Failure> {
        let chat = as_i64(params.get("chat_id"));
        let pos = self.failures.iter().position(|f| {
            f.method_lower == method_lower && (f.chat_id.is_none() || f.chat_id == chat)
        })?;
        self.failures.remove(pos).map(|f| f.failure)
    }

    fn is_allowed(&self, update: &Value) -> bool {
        let Some(kind) = update_kind(update) else {
            return true;
        };
        match &self.allowed_updates {
            Some(set) => set.contains(kind),
            None => !DEFAULT_EXCLUDED_UPDATES.contains(&kind),
        }
    }
}

fn update_kind(update: &Value) -> Option<&str> {
    update
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|k| *k != "update_id")
}

// ---------------------------------------------------------------------------
// HTTP layer
// ---------------------------------------------------------------------------

async fn handle_http(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();

    // File downloads: /file/bot{TOKEN}/{file_path}
    if let Some(pos) = segments.iter().position(|s| *s == "file") {
        if segments.get(pos + 1).is_some_and(|s| s.starts_with("bot")) {
            let file_path = segments[pos + 2..].join("/");
            let mut body = Vec::new();
            if file_path.ends_with(".jpg") {
                // A file id ending in .jpg is a photo: its bytes start as a JPEG's do.
                body.extend_from_slice(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 ");
            }
            body.extend_from_slice(format!("fake file content of {file_path}").as_bytes());
            return (StatusCode::OK, body).into_response();
        }
    }

    let Some(bot_pos) = segments.iter().position(|s| s.starts_with("bot")) else {
        return json_response(api_error(404, "Not Found"));
    };
    let token = &segments[bot_pos][3..];
    let method = segments
        .get(bot_pos + 1)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let token_ok = token == FakeBotApi::TOKEN || token == FakeBotApi::TOKEN.replace(':', "%3A");

    let params = match read_params(req).await {
        Ok(p) => p,
        Err(desc) => return json_response(api_error(400, &desc)),
    };
    let reply = if token_ok {
        shared_call(&shared, method, params).await
    } else {
        record(&shared, &method, params, None);
        api_error(401, "Unauthorized")
    };
    json_response(reply)
}

fn json_response((status, body): Reply) -> Response {
    (
        status,
        [(CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Reads the call's parameters from the query string and the body (JSON,
/// multipart or url-encoded) into one JSON object.
async fn read_params(req: Request) -> Result<Value, String> {
    let mut params = Map::new();
    if let Some(q) = req.uri().query() {
        if let Ok(axum::extract::Query(pairs)) =
            axum::extract::Query::<Vec<(String, String)>>::try_from_uri(req.uri())
        {
            for (k, v) in pairs {
                let v = decode_text_field(&k, &v);
                params.insert(k, v);
            }
        } else {
            eprintln!("fake_api: unparsable query string {q:?}");
        }
    }
    let content_type_raw = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let content_type = content_type_raw.to_ascii_lowercase();

    if content_type.starts_with("multipart/form-data") {
        let boundary = multipart_boundary(&content_type_raw)
            .ok_or_else(|| "Bad Request: multipart without boundary".to_string())?;
        let bytes = to_bytes(req.into_body(), 64 * 1024 * 1024)
            .await
            .map_err(|e| format!("Bad Request: {e}"))?;
        for part in parse_multipart(&bytes, &boundary) {
            let value = match part.file_name {
                Some(f) => {
                    json!({ "file_name": f, "content_type": part.content_type, "size": part.body.len() })
                }
                None => decode_text_field(&part.name, &String::from_utf8_lossy(part.body)),
            };
            params.insert(part.name, value);
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|e| format!("Bad Request: {e}"))?;
        for (k, v) in pairs {
            let v = decode_text_field(&k, &v);
            params.insert(k, v);
        }
    } else {
        let body: Body = req.into_body();
        let bytes = to_bytes(body, 64 * 1024 * 1024)
            .await
            .map_err(|e| format!("Bad Request: {e}"))?;
        if !bytes.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(m)) => params.extend(m),
                Ok(_) => return Err("Bad Request: parameters must be a JSON object".into()),
                Err(e) => return Err(format!("Bad Request: can't parse JSON: {e}")),
            }
        }
    }
    Ok(Value::Object(params))
}

/// One part of a multipart/form-data body.
struct Part<'a> {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: &'a [u8],
}

/// The boundary parameter of a multipart content type (case preserved).
fn multipart_boundary(content_type: &str) -> Option<String> {
    let b = content_type.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then_some(v.trim())
    })?;
    Some(b.trim_matches('"').to_owned())
}

/// A small multipart/form-data parser (enough for reqwest's forms; avoids
/// needing axum's "multipart" feature).
fn parse_multipart<'a>(body: &'a [u8], boundary: &str) -> Vec<Part<'a>> {
    let delim = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    for chunk in split_bytes(body, &delim).into_iter().skip(1) {
        // (the part before the first delimiter is the preamble)
        if chunk.starts_with(b"--") {
            break; // closing delimiter
        }
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        let Some(split) = find_bytes(chunk, b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&chunk[..split]);
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            body: &chunk[split + 4..],
        };
        for line in headers.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for attr in value.split(';').map(str::trim) {
                        if let Some(v) = attr.strip_prefix("name=") {
                            part.name = v.trim_matches('"').to_owned();
                        } else if let Some(v) = attr.strip_prefix("filename=") {
                            part.file_name = Some(v.trim_matches('"').to_owned());
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        parts.push(part);
    }
    parts
}

fn split_bytes<'a>(haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = haystack;
    while let Some(i) = find_bytes(rest, needle) {
        out.push(&rest[..i]);
        rest = &rest[i + needle.len()..];
    }
    out.push(rest);
    out
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Turns a multipart / form text field back into JSON: JSON objects and
/// arrays (teloxide JSON-encodes reply_markup, media, entities...), numbers
/// for `*_id` and a few numeric fields, booleans for "true"/"false", else a
/// string.
fn decode_text_field(key: &str, s: &str) -> Value {
    let t = s.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Value>(s) {
            return v;
        }
    }
    const NUMERIC: [&str; 9] = [
        "offset",
        "limit",
        "timeout",
        "duration",
        "width",
        "height",
        "latitude",
        "longitude",
        "icon_color",
    ];
    if key.ends_with("_id") || NUMERIC.contains(&key) {
        if let Ok(n) = s.parse::<i64>() {
            return json!(n);
        }
        if let Ok(f) = s.parse::<f64>() {
            return json!(f);
        }
    }
    if !matches!(key, "text" | "caption") && (s == "true" || s == "false") {
        return json!(s == "true");
    }
    json!(s)
}

fn record(shared: &Shared, method: &str, params: Value, failure: Option<Failure>) -> Instant {
    let at = Instant::now();
    shared.lock().calls.push(ApiCall {
        method: method.to_owned(),
        method_lower: method.to_ascii_lowercase(),
        params,
        at,
        failure,
    });
    shared.bump();
    at
}

async fn shared_call(shared: &Arc<Shared>, method: String, params: Value) -> Reply {
    let lower = method.to_ascii_lowercase();
    let failure = shared.lock().take_failure(&lower, &params);
    let at = record(shared, &method, params.clone(), failure.clone());
    if let Some(f) = failure {
        return failure_reply(&f);
    }
    if lower == "getupdates" {
        return get_updates(shared, &params).await;
    }
    let reply = handle_method(&mut shared.lock(), &method, &lower, &params);
    shared.bump();
    if let Some(tx) = shared
        .tap
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        let _ = tx.send(Tapped {
            chat_id: as_i64(params.get("chat_id")),
            message_id: as_i64(reply.1["result"].get("message_id")),
            method_lower: lower,
            params,
            at,
        });
    }
    reply
}

/// getUpdates as a long poll. A newer getUpdates call terminates an older
/// pending one with 409 Conflict, as Telegram does.
async fn get_updates(shared: &Arc<Shared>, params: &Value) -> Reply {
    let offset = as_i64(params.get("offset")).unwrap_or(0);
    let limit = as_i64(params.get("limit")).unwrap_or(100).clamp(1, 100) as usize;
    let timeout =
        Duration::from_secs(as_i64(params.get("timeout")).unwrap_or(0).max(0) as u64).min(MAX_POLL);
    let deadline = tokio::time::Instant::now() + timeout;

    let generation = {
        let mut st = shared.lock();
        st.poll_generation += 1;
        if let Some(list) = params.get("allowed_updates").and_then(Value::as_array) {
            let set: HashSet<String> = list
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            st.allowed_updates = Some(if set.is_empty() {
                // An empty list means "the default set".
                ALL_UPDATE_KINDS
                    .iter()
                    .filter(|k| !DEFAULT_EXCLUDED_UPDATES.contains(k))
                    .map(|k| k.to_string())
                    .collect()
            } else {
                set
            });
        }
        st.confirmed_offset = st.confirmed_offset.max(offset);
        if offset < 0 {
            // Negative offset: keep only the last -offset updates.
            st.queue.sort_by_key(|q| q.id);
            let keep = (-offset) as usize;
            let drop_n = st.queue.len().saturating_sub(keep);
            st.queue.drain(..drop_n);
        } else {
            st.queue
                .retain(|q| q.id >= offset || (q.forced && !q.delivered));
        }
        st.poll_generation
    };
    shared.bump();

    let mut rx = shared.changed.subscribe();
    loop {
        {
            let mut st = shared.lock();
            if st.poll_generation != generation {
                return api_error(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                );
            }
            // Drop what the bot did not ask for: Telegram never sends it.
            let mut dropped = Vec::new();
            let allowed: Vec<bool> = st.queue.iter().map(|q| st.is_allowed(&q.update)).collect();
            let mut i = 0;
            st.queue.retain(|q| {
                let keep = allowed[i];
                i += 1;
                if !keep {
                    dropped.push((q.id, update_kind(&q.update).unwrap_or("?").to_owned()));
                }
                keep
            });
            for (id, kind) in dropped {
                eprintln!(
                    "fake_api: dropped update {id} ({kind}): not in allowed_updates {:?}",
                    st.allowed_updates
                );
            }
            let mut batch: Vec<usize> = (0..st.queue.len())
                .filter(|&i| {
                    let q = &st.queue[i];
                    (offset < 0 || q.id >= offset) || (q.forced && !q.delivered)
                })
                .collect();
            batch.sort_by_key(|&i| st.queue[i].id);
            batch.truncate(limit);
            if !batch.is_empty() {
                let updates: Vec<Value> =
                    batch.iter().map(|&i| st.queue[i].update.clone()).collect();
                let now = Instant::now();
                for &i in &batch {
                    st.queue[i].delivered = true;
                    let id = st.queue[i].id;
                    st.delivered_at.entry(id).or_insert(now);
                }
                return ok(Value::Array(updates));
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return ok(json!([]));
        }
        let _ = tokio::time::timeout_at(deadline, rx.changed()).await;
    }
}

const ALL_UPDATE_KINDS: [&str; 23] = [
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
];

/// Methods answered with plain `true`.
const TRUE_METHODS: &[&str] = &[
    "answercallbackquery",
    "setmycommands",
    "deletemycommands",
    "sendchataction",
    "deletewebhook",
    "setwebhook",
    "setchatmenubutton",
    "unpinallforumtopicmessages",
    "editgeneralforumtopic",
    "closegeneralforumtopic",
    "reopengeneralforumtopic",
    "deletemessage",
    "deletemessages",
    "pinchatmessage",
    "unpinchatmessage",
    "unpinallchatmessages",
    "setmydescription",
    "setmyshortdescription",
    "setmyname",
    "setmydefaultadministratorrights",
    "banchatmember",
    "unbanchatmember",
    "restrictchatmember",
    "promotechatmember",
    "leavechat",
    "setmessagereaction",
    "approvechatjoinrequest",
    "declinechatjoinrequest",
    "setchattitle",
    "setchatdescription",
    "logout",
    "close",
];

/// Every non-getUpdates method.
fn handle_method(st: &mut FakeState, method: &str, lower: &str, p: &Value) -> Reply {
    if TRUE_METHODS.contains(&lower) {
        if lower == "deletemessage" {
            if let (Some(c), Some(m)) = (as_i64(p.get("chat_id")), as_i64(p.get("message_id"))) {
                st.messages.remove(&(c, m));
            }
        }
        return ok(json!(true));
    }
    match lower {
        "editforumtopic" | "closeforumtopic" | "reopenforumtopic" | "deleteforumtopic" => {
            topic_call(st, lower, p)
        }
        "getme" => {
            let mut me = bot_user();
            merge(
                &mut me,
                json!({
                    "can_join_groups": true,
                    "can_read_all_group_messages": false,
                    "supports_inline_queries": false,
                    "can_connect_to_business": false,
                    "has_main_web_app": false,
                }),
            );
            ok(me)
        }
        "getwebhookinfo" => {
            ok(json!({ "url": "", "has_custom_certificate": false, "pending_update_count": 0 }))
        }
        "getmycommands" => ok(json!([])),
        "getchat" => {
            let Some(chat_id) = as_i64(p.get("chat_id")) else {
                return api_error(400, "Bad Request: chat not found");
            };
            let mut c = st.chat_json(chat_id);
            merge(
                &mut c,
                json!({
                    "accepted_gift_types": {
                        "unlimited_gifts": false, "limited_gifts": false,
                        "unique_gifts": false, "premium_subscription": false
                    },
                    "max_reaction_count": 11,
                }),
            );
            ok(c)
        }
        "getchatmember" => {
            let (Some(chat_id), Some(user_id)) =
                (as_i64(p.get("chat_id")), as_i64(p.get("user_id")))
            else {
                return api_error(400, "Bad Request: chat not found");
            };
            let status = st
                .members
                .get(&(chat_id, user_id))
                .cloned()
                .unwrap_or_else(|| "left".into());
            ok(chat_member_json(st.user_json(user_id), &status))
        }
        "getchatadministrators" => {
            let chat_id = as_i64(p.get("chat_id")).unwrap_or(0);
            let mut admins: Vec<(i64, String)> = st
                .members
                .iter()
                .filter(|((c, _), s)| *c == chat_id && (*s == "creator" || *s == "administrator"))
                .map(|((_, u), s)| (*u, s.clone()))
                .collect();
            admins.sort();
            ok(Value::Array(
                admins
                    .into_iter()
                    .map(|(u, s)| chat_member_json(st.user_json(u), &s))
                    .collect(),
            ))
        }
        "getchatmembercount" => {
            let chat_id = as_i64(p.get("chat_id")).unwrap_or(0);
            let n = st
                .members
                .iter()
                .filter(|((c, _), s)| *c == chat_id && !matches!(s.as_str(), "left" | "kicked"))
                .count();
            ok(json!(n.max(1)))
        }
        "createforumtopic" => {
            let Some(chat_id) = as_i64(p.get("chat_id")) else {
                return api_error(400, "Bad Request: chat not found");
            };
            let forum = st
                .chats
                .get(&chat_id)
                .is_some_and(|c| c["is_forum"] == json!(true));
            if !forum {
                return api_error(400, "Bad Request: the chat is not a forum");
            }
            // A topic's id is the id of its "topic created" service message.
            let thread_id = st.next_message_id(chat_id);
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            st.topics.insert((chat_id, thread_id), TopicState::Open);
            let color = as_i64(p.get("icon_color")).unwrap_or(0x6FB9F0);
            let mut topic =
                json!({ "message_thread_id": thread_id, "name": name, "icon_color": color });
            if let Some(e) = p.get("icon_custom_emoji_id") {
                topic["icon_custom_emoji_id"] = e.clone();
            }
            ok(topic)
        }
        "getfile" => {
            let fid = p
                .get("file_id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            ok(json!({
                "file_id": fid, "file_unique_id": unique_id(&fid),
                "file_size": 20480, "file_path": format!("files/{fid}")
            }))
        }
        "editmessagetext"
        | "editmessagecaption"
        | "editmessagereplymarkup"
        | "editmessagemedia" => edit_message(st, lower, p),
        "copymessage" => match copy_message(st, method, p) {
            Ok(msg) => ok(json!({ "message_id": msg["message_id"] })),
            Err(r) => r,
        },
        "copymessages" | "forwardmessages" => {
            let ids: Vec<Value> = p
                .get("message_ids")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut out = Vec::new();
            for id in ids {
                let mut one = p.clone();
                one["message_id"] = id;
                match copy_message(st, method, &one) {
                    Ok(msg) => out.push(json!({ "message_id": msg["message_id"] })),
                    Err(r) => return r,
                }
            }
            ok(Value::Array(out))
        }
        "forwardmessage" => match copy_message(st, method, p) {
            Ok(msg) => ok(msg),
            Err(r) => r,
        },
        "sendmediagroup" => send_media_group(st, method, p),
        _ if lower.starts_with("send") => match send_message(st, method, lower, p) {
            Ok(msg) => ok(msg),
            Err(r) => r,
        },
        _ => api_error(404, "Not Found: method not found"),
    }
}

fn chat_member_json(user: Value, status: &str) -> Value {
    let mut m = json!({ "user": user, "status": status });
    let extra = match status {
        "creator" => json!({ "is_anonymous": false }),
        "administrator" => json!({
            "is_anonymous": false, "can_be_edited": false, "can_manage_chat": true,
            "can_change_info": true, "can_post_messages": true, "can_edit_messages": true,
            "can_delete_messages": true, "can_post_stories": true, "can_edit_stories": true,
            "can_delete_stories": true, "can_manage_video_chats": true, "can_invite_users": true,
            "can_restrict_members": true, "can_pin_messages": true, "can_manage_topics": true,
            "can_promote_members": false,
        }),
        "restricted" => json!({
            "until_date": 0, "is_member": true, "can_send_messages": false,
            "can_send_audios": false, "can_send_documents": false, "can_send_photos": false,
            "can_send_videos": false, "can_send_video_notes": false, "can_send_voice_notes": false,
            "can_send_other_messages": false, "can_add_web_page_previews": false,
            "can_change_info": false, "can_invite_users": false, "can_pin_messages": false,
            "can_manage_topics": false, "can_send_polls": false,
        }),
        "kicked" => json!({ "until_date": 0 }),
        _ => json!({}),
    };
    merge(&mut m, extra);
    m
}

/// editForumTopic, closeForumTopic, reopenForumTopic, deleteForumTopic, called by the bot: a
/// deleted topic answers TOPIC_ID_INVALID.
fn topic_call(st: &mut FakeState, lower: &str, p: &Value) -> Reply {
    let (Some(chat_id), Some(thread)) =
        (as_i64(p.get("chat_id")), as_i64(p.get("message_thread_id")))
    else {
        return api_error(400, "Bad Request: chat not found");
    };
    let key = (chat_id, thread);
    if st.topics.get(&key) == Some(&TopicState::Deleted) {
        return api_error(400, "Bad Request: TOPIC_ID_INVALID");
    }
    match lower {
        "closeforumtopic" => {
            st.topics.insert(key, TopicState::Closed);
        }
        "reopenforumtopic" => {
            st.topics.insert(key, TopicState::Open);
        }
        "deleteforumtopic" => {
            st.topics.insert(key, TopicState::Deleted);
        }
        _ => {}
    }
    ok(json!(true))
}

/// A new bot message in the call's chat: id, date, chat, from, thread.
fn new_bot_message(st: &mut FakeState, p: &Value) -> Result<(i64, Value), Reply> {
    let Some(chat_id) = as_i64(p.get("chat_id")) else {
        return Err(api_error(400, "Bad Request: chat not found"));
    };
    let thread = as_i64(p.get("message_thread_id"));
    if thread.is_some() && chat_id < 0 {
        st.mark_forum(chat_id);
    }
    if let Some(id) = p.get("business_connection_id").and_then(Value::as_str) {
        match st.business.get(id) {
            None => return Err(api_error(400, "Bad Request: BUSINESS_CONNECTION_INVALID")),
            Some((false, _)) => {
                return Err(api_error(
                    400,
                    "Bad Request: BUSINESS_CONNECTION_NOT_ALLOWED",
                ))
            }
            Some((true, false)) => return Err(api_error(403, "Forbidden: BOT_ACCESS_FORBIDDEN")),
            Some((true, true)) => {}
        }
    }
    match thread.and_then(|t| st.topics.get(&(chat_id, t))) {
        Some(TopicState::Deleted) => {
            return Err(api_error(400, "Bad Request: message thread not found"))
        }
        Some(TopicState::Closed) => return Err(api_error(400, "Bad Request: TOPIC_CLOSED")),
        _ => {}
    }
    let message_id = st.next_message_id(chat_id);
    let mut msg = json!({
        "message_id": message_id,
        "from": bot_user(),
        "chat": st.chat_json(chat_id),
        "date": now_unix(),
    });
    if let Some(t) = thread {
        msg["message_thread_id"] = json!(t);
        msg["is_topic_message"] = json!(true);
    }
    if let Some(id) = p.get("business_connection_id") {
        msg["business_connection_id"] = id.clone();
    }
    Ok((chat_id, msg))
}

/// Stores a bot message and records it as sent.
fn store_sent(st: &mut FakeState, method: &str, chat_id: i64, msg: &Value, p: &Value) {
    let message_id = msg["message_id"].as_i64().unwrap_or(0);
    st.messages.insert((chat_id, message_id), msg.clone());
    st.sent.push(SentMessage {
        chat_id,
        message_id,
        method: method.to_owned(),
        text: message_text(msg).to_owned(),
        reply_markup: p.get("reply_markup").cloned().unwrap_or(Value::Null),
        message_thread_id: as_i64(p.get("message_thread_id")),
        params: p.clone(),
    });
}

/// Only inline keyboards are echoed back in a `Message` (teloxide parses
/// `Message.reply_markup` as `InlineKeyboardMarkup`).
fn attach_inline_markup(msg: &mut Value, markup: Option<&Value>) {
    match markup {
        Some(m) if m.get("inline_keyboard").is_some() => msg["reply_markup"] = m.clone(),
        _ => {
            if let Some(o) = msg.as_object_mut() {
                o.remove("reply_markup");
            }
        }
    }
}

/// The `file_id` to report for a media parameter: the given file id / URL,
/// or a fresh id when the file is uploaded ("attach://...").
fn media_file_id(st: &mut FakeState, value: Option<&Value>, prefix: &str) -> String {
    match value.and_then(Value::as_str) {
        Some(s) if !s.starts_with("attach://") && !s.is_empty() => s.to_owned(),
        _ => st.new_file_id(prefix),
    }
}

/// The file name of an uploaded part referenced by "attach://name".
fn uploaded_name(p: &Value, value: Option<&Value>) -> Option<String> {
    let attach = value?.as_str()?.strip_prefix("attach://")?;
    p.get(attach)?.get("file_name")?.as_str().map(str::to_owned)
}

fn media_json(st: &mut FakeState, kind: &str, p: &Value, value: Option<&Value>) -> Option<Value> {
    let fid = media_file_id(st, value, kind);
    let name = uploaded_name(p, value);
    let v = match kind {
        "photo" => photo_sizes(&fid),
        "document" => {
            let name = name.unwrap_or_else(|| "document".into());
            json!({ "file_id": fid, "file_unique_id": unique_id(&fid), "file_name": name,
                    "mime_type": guess_mime(&name), "file_size": 20480 })
        }
        "sticker" => sticker_json(&fid),
        "voice" => voice_json(&fid),
        "video" | "animation" => json!({
            "file_id": fid, "file_unique_id": unique_id(&fid), "width": 640, "height": 360,
            "duration": 5, "mime_type": "video/mp4", "file_size": 204800
        }),
        "audio" => json!({
            "file_id": fid, "file_unique_id": unique_id(&fid), "duration": 5,
            "mime_type": "audio/mpeg", "file_size": 102400
        }),
        "video_note" => json!({
            "file_id": fid, "file_unique_id": unique_id(&fid), "length": 240, "duration": 5,
            "file_size": 102400
        }),
        _ => return None,
    };
    Some(v)
}

fn send_message(st: &mut FakeState, method: &str, lower: &str, p: &Value) -> Result<Value, Reply> {
    let kind = &lower["send".len()..];
    // Telegram's limits, counted in UTF-16 code units as Telegram does.
    if kind == "message" {
        let text = p.get("text").and_then(Value::as_str).unwrap_or("");
        if utf16_len(text) > 4096 {
            return Err(api_error(400, "Bad Request: message is too long"));
        }
    }
    if let Some(c) = p.get("caption").and_then(Value::as_str) {
        if utf16_len(c) > 1024 {
            return Err(api_error(400, "Bad Request: message caption is too long"));
        }
    }
    if let "photo" | "document" | "sticker" | "voice" | "video" | "animation" | "audio" = kind {
        let missing = match p.get(kind) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(_) => false,
        };
        if missing {
            return Err(api_error(
                400,
                &format!("Bad Request: there is no {kind} in the request"),
            ));
        }
    }
    let (chat_id, mut msg) = new_bot_message(st, p)?;
    match kind {
        "message" => {
            let text = p.get("text").and_then(Value::as_str).unwrap_or("");
            if text.is_empty() {
                return Err(api_error(400, "Bad Request: message text is empty"));
            }
            msg["text"] = json!(text);
            if let Some(e) = p.get("entities") {
                msg["entities"] = e.clone();
            }
        }
        "photo" | "document" | "sticker" | "voice" | "video" | "animation" | "audio" => {
            let media = media_json(st, kind, p, p.get(kind)).expect("known media kind");
            msg[kind] = media;
        }
        "videonote" => {
            msg["video_note"] =
                media_json(st, "video_note", p, p.get("video_note")).unwrap_or(Value::Null)
        }
        "contact" => {
            let mut c = json!({
                "phone_number": p.get("phone_number").cloned().unwrap_or(json!("")),
                "first_name": p.get("first_name").cloned().unwrap_or(json!("")),
            });
            if let Some(l) = p.get("last_name") {
                c["last_name"] = l.clone();
            }
            msg["contact"] = c;
        }
        "location" => {
            msg["location"] = json!({
                "latitude": p.get("latitude").cloned().unwrap_or(json!(0.0)),
                "longitude": p.get("longitude").cloned().unwrap_or(json!(0.0)),
            })
        }
        "dice" => {
            msg["dice"] =
                json!({ "emoji": p.get("emoji").cloned().unwrap_or(json!("🎲")), "value": 1 })
        }
        _ => {}
    }
    if let Some(c) = p.get("caption").and_then(Value::as_str) {
        msg["caption"] = json!(c);
        if let Some(e) = p.get("caption_entities") {
            msg["caption_entities"] = e.clone();
        }
    }
    attach_inline_markup(&mut msg, p.get("reply_markup"));
    store_sent(st, method, chat_id, &msg, p);
    Ok(msg)
}

/// copyMessage / forwardMessage: a new bot message in `chat_id` with the
/// content of the known message `from_chat_id`/`message_id` (or "" text).
fn copy_message(st: &mut FakeState, method: &str, p: &Value) -> Result<Value, Reply> {
    let source = match (as_i64(p.get("from_chat_id")), as_i64(p.get("message_id"))) {
        (Some(c), Some(m)) => st.messages.get(&(c, m)).cloned(),
        _ => None,
    };
    let Some(source) = source else {
        return Err(api_error(400, "Bad Request: message to copy not found"));
    };
    let (chat_id, mut msg) = new_bot_message(st, p)?;
    const HEADER: [&str; 9] = [
        "message_id",
        "from",
        "chat",
        "date",
        "message_thread_id",
        "is_topic_message",
        "reply_markup",
        "edit_date",
        "reply_to_message",
    ];
    if let Some(src) = source.as_object() {
        for (k, v) in src {
            if !HEADER.contains(&k.as_str()) {
                msg[k.as_str()] = v.clone();
            }
        }
    }
    if let Some(c) = p.get("caption").and_then(Value::as_str) {
        msg["caption"] = json!(c);
    }
    attach_inline_markup(&mut msg, p.get("reply_markup"));
    store_sent(st, method, chat_id, &msg, p);
    Ok(msg)
}

fn send_media_group(st: &mut FakeState, method: &str, p: &Value) -> Reply {
    let media = p
        .get("media")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if media.is_empty() {
        return api_error(400, "Bad Request: media is empty");
    }
    let group_id = st.new_file_id("media-group");
    let mut out = Vec::new();
    for item in &media {
        let (chat_id, mut msg) = match new_bot_message(st, p) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let kind = item.get("type").and_then(Value::as_str).unwrap_or("photo");
        if let Some(m) = media_json(st, kind, p, item.get("media")) {
            msg[kind] = m;
        }
        if let Some(c) = item.get("caption").and_then(Value::as_str) {
            msg["caption"] = json!(c);
        }
        msg["media_group_id"] = json!(group_id);
        let mut item_params = p.clone();
        item_params["media"] = item.clone();
        store_sent(st, method, chat_id, &msg, &item_params);
        out.push(msg);
    }
    ok(Value::Array(out))
}

/// editMessageText / Caption / ReplyMarkup / Media. Like Telegram, a text or
/// caption edit without reply_markup removes the inline keyboard.
fn edit_message(st: &mut FakeState, lower: &str, p: &Value) -> Reply {
    if p.get("inline_message_id").is_some() {
        return ok(json!(true));
    }
    let (Some(chat_id), Some(message_id)) = (as_i64(p.get("chat_id")), as_i64(p.get("message_id")))
    else {
        return api_error(400, "Bad Request: message to edit not found");
    };
    let mut msg = st
        .messages
        .get(&(chat_id, message_id))
        .cloned()
        .unwrap_or_else(|| {
            json!({ "message_id": message_id, "from": bot_user(), "chat": st.chat_json(chat_id),
                "date": now_unix(), "text": "" })
        });
    match lower {
        "editmessagetext" => {
            let text = p.get("text").and_then(Value::as_str).unwrap_or("");
            if utf16_len(text) > 4096 {
                return api_error(400, "Bad Request: MESSAGE_TOO_LONG");
            }
            if text.is_empty() {
                return api_error(400, "Bad Request: message text is empty");
            }
            msg["text"] = json!(text);
            if let Some(o) = msg.as_object_mut() {
                o.remove("entities");
            }
            if let Some(e) = p.get("entities") {
                msg["entities"] = e.clone();
            }
        }
        "editmessagecaption" => match p.get("caption") {
            Some(c) => msg["caption"] = c.clone(),
            None => {
                if let Some(o) = msg.as_object_mut() {
                    o.remove("caption");
                }
            }
        },
        "editmessagemedia" => {
            if let Some(item) = p.get("media") {
                let kind = item
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("photo")
                    .to_owned();
                if let Some(o) = msg.as_object_mut() {
                    for k in [
                        "photo",
                        "document",
                        "video",
                        "audio",
                        "animation",
                        "caption",
                    ] {
                        o.remove(k);
                    }
                }
                if let Some(m) = media_json(st, &kind, p, item.get("media")) {
                    msg[kind.as_str()] = m;
                }
                if let Some(c) = item.get("caption") {
                    msg["caption"] = c.clone();
                }
            }
        }
        _ => {}
    }
    attach_inline_markup(&mut msg, p.get("reply_markup"));
    msg["edit_date"] = json!(now_unix());
    st.messages.insert((chat_id, message_id), msg.clone());
    ok(msg)
}

// ---------------------------------------------------------------------------
// Small JSON helpers
// ---------------------------------------------------------------------------

fn bot_user() -> Value {
    json!({
        "id": FakeBotApi::BOT_ID,
        "is_bot": true,
        "first_name": "CSKH Test Bot",
        "username": FakeBotApi::BOT_USERNAME,
    })
}

fn group_json(id: i64, forum: bool) -> Value {
    let mut c = json!({ "id": id, "type": "supergroup", "title": format!("Test group {id}") });
    if forum {
        c["is_forum"] = json!(true);
    }
    c
}

fn photo_sizes(file_id: &str) -> Value {
    let thumb = format!("{file_id}-thumb");
    json!([
        { "file_id": thumb, "file_unique_id": unique_id(&thumb), "width": 90, "height": 90, "file_size": 1200 },
        { "file_id": file_id, "file_unique_id": unique_id(file_id), "width": 800, "height": 800, "file_size": 64000 },
    ])
}

fn sticker_json(fid: &str) -> Value {
    json!({
        "file_id": fid, "file_unique_id": unique_id(fid), "width": 512, "height": 512,
        "type": "regular", "is_animated": false, "is_video": false, "emoji": "👍", "file_size": 12000
    })
}

fn voice_json(fid: &str) -> Value {
    json!({
        "file_id": fid, "file_unique_id": unique_id(fid), "duration": 3,
        "mime_type": "audio/ogg", "file_size": 9000
    })
}

fn unique_id(file_id: &str) -> String {
    format!("u-{file_id}")
}

fn guess_mime(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The text or caption of a `Message` JSON ("" when neither).
fn message_text(msg: &Value) -> &str {
    msg.get("text")
        .or_else(|| msg.get("caption"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn put_opt(v: &mut Value, key: &str, val: Option<&str>) {
    if let Some(s) = val {
        v[key] = json!(s);
    }
}

fn merge(target: &mut Value, extra: Value) {
    if let (Some(t), Value::Object(e)) = (target.as_object_mut(), extra) {
        t.extend(e);
    }
}

/// An integer parameter given as a JSON number or a numeric string.
fn as_i64(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
