//! Where conversations come from and where what the bot says goes: Telegram, the terminal, and
//! whatever messenger comes next. A channel is a small seam with two halves.
//!
//! **In: events into engine input.** A channel turns what its messenger hands over (an
//! update, a webhook post, a typed line) into calls on the [`Engine`](crate::engine::Engine):
//! - a customer's message, press or shared contact: [`Engine::handle`] with an
//!   [`Incoming`](crate::engine::Incoming) (a [`SeenUser`](crate::store::SeenUser) and an
//!   [`Input`](crate::dialogue::Input)); `key` is the event's own id (`"tg:<update id>"`), which
//!   makes a redelivered event a no-op, so confirm an event to the messenger only after the
//!   call returned;
//! - staff: a button on a card ([`Engine::staff_decide`], [`Engine::staff_case_action`], …), a
//!   command ([`Engine::staff_command_as`]), words for a case ([`Engine::staff_case_message`]);
//!   check that whoever acts is staff;
//! - a user who can no longer be reached (blocked the bot, left): [`Engine::customer_blocked`].
//!
//! **Out: content rendered within the channel's limits.** The engine writes channel-neutral
//! [`Content`] into the outbox; [`Delivery`](crate::delivery::Delivery) takes each row, resolves
//! what only the store knows (which message is the case's card, what an earlier row sent), asks
//! the channel to cut it into [`parts`](Channel::parts) and [`send`](Channel::send)s them one by
//! one, recording each (a restart goes on with the next part). The channel renders each part
//! its own way: Telegram cuts texts at 4,096 UTF-16 units, turns buttons into inline keyboards
//! and case threads into forum topics; the terminal prints lines. An error says what to do:
//! [`SendError::Blocked`] marks the customer unreachable and tells staff.
//!
//! **Wiring** is not a channel's: [`app`](crate::app) opens the store and the engine, and runs
//! the sender (delivery and the scheduler, under the sender lease) and the HTTP server beside
//! the channel's update source.
//!
//! Every outbox row names its channel and an address in it (a Telegram chat id, a Zalo user
//! id); [`Channels`] is the registry delivery routes rows through (built in `app`). Staff are
//! always on Telegram.
//!
//! A new messenger is a module here (as `zalo/` is): an `impl Channel` for its API client, its
//! events turned into the engine calls above (a poll loop or an axum route to merge into the
//! HTTP server), and its entry in the registry in `app`.
//!
//! [`Engine::handle`]: crate::engine::Engine::handle
//! [`Engine::staff_decide`]: crate::engine::Engine::staff_decide
//! [`Engine::staff_case_action`]: crate::engine::Engine::staff_case_action
//! [`Engine::staff_command_as`]: crate::engine::Engine::staff_command_as
//! [`Engine::staff_case_message`]: crate::engine::Engine::staff_case_message
//! [`Engine::customer_blocked`]: crate::engine::Engine::customer_blocked

pub mod shell;
pub mod telegram;
pub mod zalo;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use crate::store::{Buttons, Content, Earlier, File, Message};

/// How a send failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The customer blocked the bot (403), or the chat is gone: never retry.
    Blocked,
    /// The channel asks to wait this many seconds (429).
    RetryAfter(u64),
    /// A network fault or a 5xx: try again later.
    Transient(String),
    /// The channel refused the message itself: retrying would not help.
    Permanent(String),
    /// The customer can be reached, but not by this message now (Zalo's free reply window is
    /// over): staff are asked to call them, with the message's text.
    OutsideWindow,
}

/// What became of a case thread a part could not be sent into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadFate {
    /// Someone deleted it.
    Deleted,
    /// Someone closed it: nothing more can be posted in it.
    Closed,
}

impl ThreadFate {
    pub fn code(self) -> &'static str {
        match self {
            ThreadFate::Deleted => "deleted",
            ThreadFate::Closed => "closed",
        }
    }
}

/// What a channel reports about a message it sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sent {
    pub message_id: Option<i64>,
    /// The case thread it went into (a new one when the content opened a thread).
    pub thread_id: Option<i64>,
}

impl Sent {
    pub fn message(id: i64) -> Sent {
        Sent {
            message_id: Some(id),
            thread_id: None,
        }
    }
}

/// What a channel can carry, and how fast. None: no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// The longest text of one message, in the channel's own unit.
    pub text: Option<usize>,
    /// The longest caption of a file.
    pub caption: Option<usize>,
    /// Messages a second into one chat.
    pub per_chat_per_sec: Option<u32>,
    /// Messages a minute into one group.
    pub per_group_per_min: Option<u32>,
    /// Messages a second overall.
    pub overall_per_sec: Option<u32>,
    /// Whether a case can have a thread of its own in the staff group.
    pub threads: bool,
    /// Whether messages can carry buttons.
    pub buttons: bool,
}

/// The outbound half of a channel: renders and sends content (see the module's docs for the
/// inbound half).
pub trait Channel: Send + Sync + 'static {
    /// What this channel can carry, and how fast.
    fn limits(&self) -> Limits;

    /// Cuts content into the messages it goes out as, in order, each within the limits. The
    /// cut must depend on the content only: a restart cuts again and goes on where it stopped.
    fn parts(&self, content: &Content) -> Vec<Content> {
        vec![content.clone()]
    }

    /// Sends one part to an address of this channel (into a case thread when `thread_id` is
    /// given). Earlier messages it names are resolved: [`Earlier::Message`] only.
    fn send(
        &self,
        address: &str,
        thread_id: Option<i64>,
        part: &Content,
    ) -> impl Future<Output = Result<Sent, SendError>> + Send;

    /// Work the sending process does for the channel now and then besides sending (Zalo
    /// refreshes its token ahead of expiry). Called only while this process holds the sender
    /// lease.
    fn upkeep(&self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Whether `error`, from a part sent into a case thread, says that thread is gone (deleted
    /// or closed): delivery then opens a new one for the case and sends the part there.
    fn thread_gone(&self, _error: &SendError) -> Option<ThreadFate> {
        None
    }
}

/// A file's bytes, fetched from the channel that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileBytes {
    pub bytes: Vec<u8>,
    /// Where the channel keeps it (Telegram: `photos/file_3.jpg`), for its kind.
    pub path: String,
}

/// A fetch of a file under way.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<FileBytes, String>> + Send + 'a>>;

/// Where a channel finds the bytes of a file it holds by its own id only (a Telegram file
/// id), for another channel to send the file itself.
pub trait FileSource: Send + Sync + 'static {
    fn fetch<'a>(&'a self, file_id: &'a str) -> FetchFuture<'a>;
}

/// A send under way, boxed (a channel behind a pointer).
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Sent, SendError>> + Send + 'a>>;

/// [`Channel`] in a form that can sit behind a pointer in the [`Channels`] registry.
pub trait DynChannel: Send + Sync + 'static {
    fn limits(&self) -> Limits;
    fn parts(&self, content: &Content) -> Vec<Content>;
    fn send<'a>(
        &'a self,
        address: &'a str,
        thread_id: Option<i64>,
        part: &'a Content,
    ) -> SendFuture<'a>;
    fn upkeep(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
    fn thread_gone(&self, error: &SendError) -> Option<ThreadFate>;
}

impl<T: Channel> DynChannel for T {
    fn limits(&self) -> Limits {
        Channel::limits(self)
    }

    fn parts(&self, content: &Content) -> Vec<Content> {
        Channel::parts(self, content)
    }

    fn send<'a>(
        &'a self,
        address: &'a str,
        thread_id: Option<i64>,
        part: &'a Content,
    ) -> SendFuture<'a> {
        Box::pin(Channel::send(self, address, thread_id, part))
    }

    fn upkeep(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(Channel::upkeep(self))
    }

    fn thread_gone(&self, error: &SendError) -> Option<ThreadFate> {
        Channel::thread_gone(self, error)
    }
}

/// The channels this process sends through, by the name outbox rows carry (`telegram`,
/// `zalo`, `shell`); delivery routes each row to its channel.
#[derive(Clone, Default)]
pub struct Channels {
    named: HashMap<String, Arc<dyn DynChannel>>,
    /// Rows of any channel not named (the terminal and the tests send everything one way).
    others: Option<Arc<dyn DynChannel>>,
}

impl Channels {
    pub fn new() -> Channels {
        Channels::default()
    }

    /// Rows of channel `name` go through `channel`.
    pub fn with<T: Channel>(mut self, name: &str, channel: Arc<T>) -> Channels {
        self.named.insert(name.to_string(), channel);
        self
    }

    /// Rows of every channel not named otherwise go through `channel`.
    pub fn others<T: Channel>(mut self, channel: Arc<T>) -> Channels {
        self.others = Some(channel);
        self
    }

    /// The channel that sends rows of `name`, if this process has one.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn DynChannel>> {
        self.named.get(name).or(self.others.as_ref())
    }

    /// Every channel registered (for their upkeep).
    pub fn all(&self) -> impl Iterator<Item = &Arc<dyn DynChannel>> {
        self.named.values().chain(self.others.iter())
    }
}

/// One channel for every row.
impl<T: Channel> From<Arc<T>> for Channels {
    fn from(channel: Arc<T>) -> Channels {
        Channels::new().others(channel)
    }
}
