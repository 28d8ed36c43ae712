//! Webhook mode: Telegram posts updates to our HTTP server, with a secret token.

use std::future::Future;
use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::RequestError;

use super::updates::{handle_update, ALLOWED_UPDATES};
use super::{register_commands, run_sender, telegram_limits, UpdateContext};
use crate::engine::Engine;

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
