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
//! A new messenger (say Zalo) is a module here: an `impl Channel` for its API client, its
//! events turned into the engine calls above (a poll loop or an axum route to merge into the
//! HTTP server), and a start function in `app`.
//!
//! [`Engine::handle`]: crate::engine::Engine::handle
//! [`Engine::staff_decide`]: crate::engine::Engine::staff_decide
//! [`Engine::staff_case_action`]: crate::engine::Engine::staff_case_action
//! [`Engine::staff_command_as`]: crate::engine::Engine::staff_command_as
//! [`Engine::staff_case_message`]: crate::engine::Engine::staff_case_message
//! [`Engine::customer_blocked`]: crate::engine::Engine::customer_blocked

pub mod shell;
pub mod telegram;

use std::future::Future;

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

    /// Sends one part to a chat (into a case thread when `thread_id` is given). Earlier
    /// messages it names are resolved: [`Earlier::Message`] only.
    fn send(
        &self,
        chat_id: i64,
        thread_id: Option<i64>,
        part: &Content,
    ) -> impl Future<Output = Result<Sent, SendError>> + Send;

    /// Whether `error`, from a part sent into a case thread, says that thread is gone (deleted
    /// or closed): delivery then opens a new one for the case and sends the part there.
    fn thread_gone(&self, _error: &SendError) -> Option<ThreadFate> {
        None
    }
}
