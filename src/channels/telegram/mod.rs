//! The only place that speaks teloxide: Update → engine input, outbox row → Bot API call, the
//! staff group's buttons.

mod business;
mod files;
mod limits;
mod poll;
mod send;
mod staff;
mod updates;
mod webhook;

use teloxide::adaptors::Throttle;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, Me};

use crate::dialogue::{Command, Lang};
use crate::engine::{Engine, EngineError};

pub use business::BUSINESS_CHANNEL;
pub use files::TelegramFiles;
pub use limits::{parts, split_text, utf16_len, CAPTION_LIMIT, TEXT_LIMIT};
pub use poll::poll;
pub use send::TelegramTransport;
pub use staff::staff_check;
pub use teloxide::{Bot, RequestError};
pub use updates::{handle_update, ALLOWED_UPDATES, CHANNEL};
pub use webhook::{set_webhook, valid_secret, webhook_router, Webhook};

/// A Bot API client the channel can run on: a plain `Bot` (tests, load runs) or one held to
/// Telegram's limits ([`throttled`]).
pub trait Api:
    Requester<
        Err = RequestError,
        GetUpdates: Send,
        GetMe: Send,
        GetWebhookInfo: Send,
        DeleteWebhook: Send,
        SetWebhook: Send,
        SetMyCommands: Send,
        SendMessage: Send,
        EditMessageText: Send,
        SendDocument: Send,
        SendPhoto: Send,
        AnswerCallbackQuery: Send,
        GetChatMember: Send,
        CreateForumTopic: Send,
        EditForumTopic: Send,
    > + Clone
    + Send
    + Sync
    + 'static
{
}

impl<R> Api for R where
    R: Requester<
            Err = RequestError,
            GetUpdates: Send,
            GetMe: Send,
            GetWebhookInfo: Send,
            DeleteWebhook: Send,
            SetWebhook: Send,
            SetMyCommands: Send,
            SendMessage: Send,
            EditMessageText: Send,
            SendDocument: Send,
            SendPhoto: Send,
            AnswerCallbackQuery: Send,
            GetChatMember: Send,
            CreateForumTopic: Send,
            EditForumTopic: Send,
        > + Clone
        + Send
        + Sync
        + 'static
{
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
            .chain(
                crate::dialogue::privacy::COMMANDS
                    .iter()
                    .map(|(name, id)| BotCommand::new(*name, engine.renderer.text(lang, id))),
            )
            .collect();
        match lang {
            Lang::Vi => bot.set_my_commands(commands).await?,
            Lang::En => bot.set_my_commands(commands).language_code("en").await?,
        };
    }
    Ok(())
}

/// What handling an update needs: the engine, the bot (to answer button presses and to ask
/// who is in the staff group), and the bot's own account (to tell its commands from others').
#[derive(Clone)]
pub struct UpdateContext<R> {
    pub engine: Engine,
    pub bot: R,
    pub me: Me,
}

impl<R: Api> UpdateContext<R> {
    /// Asks Telegram who the bot is (getMe).
    pub async fn new(engine: Engine, bot: R) -> Result<UpdateContext<R>, RequestError> {
        let me = bot.get_me().await?;
        // Kept, so that `cskh qr` can print links without asking Telegram.
        if let Some(name) = me.user.username.as_deref() {
            if let Err(e) = engine.remember_bot_username(name).await {
                tracing::warn!(error = %e, "the bot's username could not be kept");
            }
        }
        Ok(UpdateContext { engine, bot, me })
    }
}

/// Why an update could not be handled. Nothing of it was committed: it must be handed over
/// again (polling does not move the offset past it; a webhook answers with an error).
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error(transparent)]
    Engine(#[from] EngineError),
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

/// The bot held to [`telegram_limits`] (production).
pub fn throttled(bot: Bot) -> Throttle<Bot> {
    bot.throttle(telegram_limits())
}
