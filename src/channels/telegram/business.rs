//! Telegram Business updates: the company's own account connected to the bot. A customer
//! writing to that account is served by the same engine (answers go through the connection);
//! a person of the company writing in such a chat makes the bot step back there for a while.

use teloxide::types::{
    BusinessConnection, BusinessConnectionId, BusinessMessagesDeleted, CallbackQuery, Message,
    MessageKind, User,
};

use super::updates::{lang_of, message_input};
use super::UpdateError;
use crate::engine::{BusinessChat, Engine, Incoming};
use crate::store::{self, SeenUser};

/// The channel name of customers who write to the company's own account.
pub const BUSINESS_CHANNEL: &str = "telegram_business";

fn business_user(user: &User, address: i64) -> SeenUser {
    SeenUser {
        channel: BUSINESS_CHANNEL.into(),
        external_id: user.id.0.to_string(),
        address: address.to_string(),
        name: user.full_name(),
        username: user.username.clone(),
        lang: lang_of(user.language_code.as_deref()),
    }
}

/// The business connection a message came through, if any.
fn connection_of(msg: &Message) -> Option<&BusinessConnectionId> {
    match &msg.kind {
        MessageKind::Common(common) => common.business_connection_id.as_ref(),
        _ => None,
    }
}

/// A connection made, changed (its rights) or ended.
pub(super) async fn on_connection(
    key: String,
    c: &BusinessConnection,
    engine: &Engine,
) -> Result<(), UpdateError> {
    let account = match &c.user.username {
        Some(u) => format!("@{u}"),
        None => c.user.full_name(),
    };
    let connection = store::BusinessConnection {
        id: c.id.0.clone(),
        owner_id: c.user.id.0 as i64,
        can_reply: c.rights.as_ref().is_some_and(|r| r.can_reply),
        enabled: c.is_enabled,
    };
    tracing::info!(
        connection = %connection.id,
        enabled = connection.enabled,
        can_reply = connection.can_reply,
        "business connection"
    );
    engine
        .business_connection(Some(key), connection, &account)
        .await?;
    Ok(())
}

/// A message (or an edited one) in a chat of the company's account.
pub(super) async fn on_message(
    key: String,
    msg: &Message,
    engine: &Engine,
) -> Result<(), UpdateError> {
    let (Some(connection), Some(user)) = (connection_of(msg), msg.from.as_ref()) else {
        return Ok(());
    };
    let chat = msg.chat.id.0;
    // In the private chat of the account with a customer, the chat's id is the customer's:
    // anyone else writing there is the company (the bot's own messages come back too).
    if user.id.0 as i64 != chat {
        if msg.sender_business_bot.is_some() {
            return Ok(());
        }
        let customer = msg
            .chat
            .first_name()
            .map(|f| match msg.chat.last_name() {
                Some(l) => format!("{f} {l}"),
                None => f.to_string(),
            })
            .unwrap_or_else(|| chat.to_string());
        engine
            .business_takeover(Some(key), &connection.0, chat, &customer)
            .await?;
        return Ok(());
    }
    match engine.business_chat(&connection.0, chat).await? {
        BusinessChat::Serve(address) => {
            let inc = Incoming {
                key: Some(key),
                user: business_user(user, address),
                input: message_input(msg),
            };
            let album = msg.media_group_id().map(|g| g.0.clone());
            engine.handle_in_album(inc, album).await?;
        }
        BusinessChat::NotAllowed => {
            tracing::info!(connection = %connection.0, "a business message the bot may not answer")
        }
        BusinessChat::TakenOver(until) => {
            tracing::info!(connection = %connection.0, until, "a person of the company answers this chat")
        }
    }
    Ok(())
}

/// Messages deleted in a chat of the account: what the customer sent is kept all the same.
pub(super) fn on_deleted(deleted: &BusinessMessagesDeleted) {
    tracing::info!(
        connection = %deleted.business_connection_id.0,
        count = deleted.message_ids.len(),
        "messages deleted in a business chat (kept in the records)"
    );
}

/// The identity of a customer pressing a button under a message sent through a business
/// connection; None for a press anywhere else.
pub(super) async fn callback_user(
    q: &CallbackQuery,
    engine: &Engine,
) -> Result<Option<Result<SeenUser, ()>>, UpdateError> {
    let Some(msg) = q.message.as_ref().and_then(|m| m.regular_message()) else {
        return Ok(None);
    };
    let Some(connection) = connection_of(msg) else {
        return Ok(None);
    };
    Ok(Some(
        match engine.business_chat(&connection.0, msg.chat.id.0).await? {
            BusinessChat::Serve(address) => Ok(business_user(&q.from, address)),
            _ => Err(()),
        },
    ))
}
