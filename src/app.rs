//! Wiring, in one place outside every channel: the store and the engine, the sender (delivery
//! and the reminder scheduler, run under the sender lease), the HTTP server, and a channel's
//! update source next to them.

use std::future::Future;
use std::sync::Arc;

use crate::channels::telegram::{self, Bot, RequestError, TelegramTransport, UpdateContext};
use crate::channels::zalo::{self, ZaloSettings, ZaloTransport};
use crate::channels::Channels;
use crate::delivery::Delivery;
use crate::engine::{Engine, Settings, SystemClock};
use crate::store::{Store, StoreError};

/// Opens (creating and migrating it if needed) the database, and the engine over it.
pub async fn open(database_url: &str, settings: Settings) -> Result<Engine, StoreError> {
    let store = Store::connect(database_url).await?;
    Ok(Engine::new(store, settings, Arc::new(SystemClock)))
}

/// The outbox sender and the reminder scheduler, run by whichever process of those sharing the
/// database holds the sender lease, until `shutdown`.
pub async fn run_sender(
    engine: Engine,
    channels: Channels,
    shutdown: impl Future<Output = ()> + Send,
) {
    if let Err(e) = engine.record_start().await {
        tracing::warn!(error = %e, "recording the start failed");
    }
    let start = {
        let engine = engine.clone();
        move |stopped: tokio::sync::oneshot::Receiver<()>| {
            let delivery = Delivery::new(engine.clone(), channels.clone());
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

/// Runs `front` (a channel's update source) with the sender beside it; the sender stops (and
/// releases its lease) once `front` is done.
pub async fn with_sender<F: Future>(engine: Engine, channels: Channels, front: F) -> F::Output {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let sender = tokio::spawn(run_sender(engine, channels, async move {
        let _ = stopped.await;
    }));
    let out = front.await;
    let _ = stop.send(());
    let _ = sender.await;
    out
}

/// Why `cskh run` stopped: Telegram refused a start-up call, or the HTTP server failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("telegram: {0}")]
    Telegram(#[from] RequestError),
    #[error("serving HTTP: {0}")]
    Serve(#[from] std::io::Error),
}

/// Runs the Telegram bot by long polling until `shutdown` resolves. `throttle` keeps within
/// Telegram's limits (production); without it, every message goes out at once (tests, load runs).
pub async fn run_telegram(
    bot: Bot,
    engine: Engine,
    throttle: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RequestError> {
    run_telegram_with(bot, engine, throttle, Channels::new(), shutdown).await
}

/// [`run_telegram`], with customers' other channels (`others`: Zalo) sent through too.
pub async fn run_telegram_with(
    bot: Bot,
    engine: Engine,
    throttle: bool,
    others: Channels,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RequestError> {
    if throttle {
        telegram_polling(telegram::throttled(bot), engine, others, shutdown).await
    } else {
        telegram_polling(bot, engine, others, shutdown).await
    }
}

async fn telegram_polling<R: telegram::Api>(
    bot: R,
    engine: Engine,
    others: Channels,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RequestError> {
    telegram::register_commands(&bot, &engine).await?;
    let transport =
        Arc::new(TelegramTransport::new(bot.clone()).with_business(engine.store.clone()));
    let ctx = UpdateContext::new(engine.clone(), bot).await?;
    let channels = others
        .with(telegram::BUSINESS_CHANNEL, transport.clone())
        .with(telegram::CHANNEL, transport);
    // On a worker thread of the runtime, with the tasks it starts (not on the thread that
    // blocks on the runtime): fewer wake-ups from one thread to another.
    let polling = tokio::spawn(telegram::poll(ctx, shutdown));
    with_sender(engine, channels, async move {
        match polling.await {
            Ok(done) => done,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Ok(()),
        }
    })
    .await
}

/// Runs the Telegram bot by webhook until `shutdown`: sets the webhook (with its secret token),
/// serves it on `listener` next to `routes` (health, metrics), and sends the outbox while this
/// process holds the sender lease. Any number of such processes may share one database.
#[allow(clippy::too_many_arguments)]
pub async fn run_telegram_webhook(
    bot: Bot,
    engine: Engine,
    throttle: bool,
    webhook: telegram::Webhook,
    listener: tokio::net::TcpListener,
    routes: axum::Router,
    others: Channels,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    if throttle {
        let bot = telegram::throttled(bot);
        telegram_webhook(bot, engine, webhook, listener, routes, others, shutdown).await
    } else {
        telegram_webhook(bot, engine, webhook, listener, routes, others, shutdown).await
    }
}

async fn telegram_webhook<R: telegram::Api>(
    bot: R,
    engine: Engine,
    webhook: telegram::Webhook,
    listener: tokio::net::TcpListener,
    routes: axum::Router,
    others: Channels,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    telegram::register_commands(&bot, &engine).await?;
    let ctx = UpdateContext::new(engine.clone(), bot.clone()).await?;
    telegram::set_webhook(&bot, &webhook).await?;
    let transport = Arc::new(TelegramTransport::new(bot).with_business(engine.store.clone()));
    let router = routes.merge(telegram::webhook_router(ctx, &webhook));
    let channels = others
        .with(telegram::BUSINESS_CHANNEL, transport.clone())
        .with(telegram::CHANNEL, transport);
    let served = with_sender(
        engine,
        channels,
        crate::http::serve(listener, router, shutdown),
    )
    .await;
    Ok(served?)
}

/// Zalo customers beside Telegram's: its sender in the registry (fetching staff's Telegram files
/// through `bot`), its webhook on the HTTP server.
pub async fn with_zalo(
    engine: &Engine,
    zalo: ZaloSettings,
    bot: Bot,
    channels: Channels,
    routes: axum::Router,
) -> (Channels, axum::Router) {
    let files = Arc::new(telegram::TelegramFiles::new(bot));
    let transport = Arc::new(ZaloTransport::new(engine.clone(), zalo.clone()).with_files(files));
    if let Err(e) = transport.tokens.seed().await {
        tracing::warn!(error = %e, "the Zalo tokens are not set up yet");
    }
    let routes = routes.merge(zalo::webhook_router(engine.clone(), zalo));
    (channels.with(zalo::CHANNEL, transport), routes)
}

/// `cskh run`: the Telegram bot (by webhook when one is given, else by long polling, with the
/// HTTP routes served beside it on `listener`), and Zalo customers when `zalo` is set, until
/// `shutdown`. `throttle` keeps within Telegram's limits (off in tests).
pub async fn run(
    bot: Bot,
    engine: Engine,
    webhook: Option<telegram::Webhook>,
    zalo: Option<ZaloSettings>,
    throttle: bool,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let staff_page = crate::web::router(
        engine.clone(),
        bot.token().to_string(),
        telegram::staff_check(bot.clone(), engine.settings.staff.chat_id),
    );
    let mut routes = crate::http::router(engine.clone()).merge(staff_page);
    let mut others = Channels::new();
    if let Some(zalo) = zalo {
        (others, routes) = with_zalo(&engine, zalo, bot.clone(), others, routes).await;
    }
    if let Some(webhook) = webhook {
        return run_telegram_webhook(
            bot, engine, throttle, webhook, listener, routes, others, shutdown,
        )
        .await;
    }
    let (stop_http, http_stopped) = tokio::sync::oneshot::channel::<()>();
    let http = tokio::spawn(crate::http::serve(listener, routes, async move {
        let _ = http_stopped.await;
    }));
    let result = run_telegram_with(bot, engine, throttle, others, shutdown).await;
    let _ = stop_http.send(());
    if let Ok(Err(e)) = http.await {
        return Err(e.into());
    }
    Ok(result?)
}
