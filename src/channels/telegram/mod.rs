//! The only place that speaks teloxide: Update → engine input, outbox row → Bot API call, the
//! staff group's buttons.

mod poll;
mod send;
mod staff;
mod updates;
mod webhook;

use std::future::Future;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{BotCommand, Me};
use teloxide::RequestError;

use crate::delivery::Delivery;
use crate::dialogue::{Command, Lang};
use crate::engine::{Engine, EngineError};

pub use poll::poll;
pub use send::TelegramTransport;
pub use updates::{handle_update, ALLOWED_UPDATES};
pub use webhook::{run_webhook, valid_secret, webhook_router, Webhook, WebhookError};

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
