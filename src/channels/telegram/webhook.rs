//! Webhook mode: Telegram posts updates to our HTTP server, with a secret token.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::RequestError;

use super::updates::{handle_update, ALLOWED_UPDATES};
use super::{Api, UpdateContext};

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
    R: Api,
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

/// Tells Telegram to post updates to the webhook, with its secret token.
pub async fn set_webhook<R: Api>(bot: &R, webhook: &Webhook) -> Result<(), RequestError> {
    let mut set = bot
        .set_webhook(webhook.url.clone())
        .secret_token(webhook.secret.clone())
        .allowed_updates(ALLOWED_UPDATES);
    if let Some(n) = webhook.max_connections {
        set = set.max_connections(n);
    }
    set.await?;
    tracing::info!(url = %webhook.url, "webhook set");
    Ok(())
}
