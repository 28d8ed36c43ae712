//! The OA's access token (OAuth v4). It lives about 25 hours; a refresh token lives about three
//! months, can be spent once, and each refresh gives a new pair. So:
//! - only the sending process (the sender lease's holder) refreshes: on a send, ahead of
//!   expiry in its upkeep, and when Zalo says the token expired (error -216);
//! - the process that spends a refresh token first claims it in the database (a conditional
//!   update): a second process waits for the pair the first one stores instead of spending the
//!   same token;
//! - the new pair is committed before the access token is used;
//! - a refresh Zalo refuses is recorded (`/readyz` turns 503) and told to staff once; messages
//!   wait, and the next start with a new `ZALO_REFRESH_TOKEN` goes on with them.
//!
//! Refresh: `POST {oauth}/v4/oa/access_token`, header `secret_key: <app secret>`, form
//! `refresh_token`, `app_id`, `grant_type=refresh_token`; the answer holds `access_token`,
//! `refresh_token`, `expires_in` (seconds, a string), or `error` and `error_description`
//! (<https://developers.zalo.me/docs/official-account/bat-dau/xac-thuc-va-uy-quyen-cho-ung-dung-new>;
//! Chatwoot's `refresh_post` in `app/models/channel/zalo_oa.rb`).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::ZaloSettings;
use crate::engine::Engine;

/// A token that runs out within this many seconds is refreshed first.
pub const REFRESH_AHEAD_SECS: i64 = 3600;
/// How long a claim on a refresh token holds if its process dies mid-way.
const CLAIM_SECS: i64 = 60;
/// How often a process waiting on another's refresh looks again.
const WAIT_STEP: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Zalo refused the refresh (a spent or expired refresh token): it needs a person.
    #[error("the token refresh was refused: {0}")]
    Refused(String),
    /// Zalo or the database could not be reached, or another process is still refreshing.
    #[error("no token now: {0}")]
    Unavailable(String),
}

/// The OA's tokens, kept in the database.
pub struct Tokens {
    engine: Engine,
    settings: Arc<ZaloSettings>,
    http: reqwest::Client,
    /// One refresh at a time in this process.
    lock: tokio::sync::Mutex<()>,
}

impl Tokens {
    pub fn new(engine: Engine, settings: Arc<ZaloSettings>, http: reqwest::Client) -> Tokens {
        Tokens {
            engine,
            settings,
            http,
            lock: tokio::sync::Mutex::new(()),
        }
    }

    fn now(&self) -> i64 {
        self.engine.clock.now().timestamp()
    }

    /// Writes the settings' first refresh token, unless the database has its pair already.
    pub async fn seed(&self) -> Result<(), TokenError> {
        let s = &self.settings;
        self.engine
            .store
            .seed_zalo_tokens(&s.app_id, &s.refresh_token, self.now())
            .await
            .map_err(|e| TokenError::Unavailable(e.to_string()))
    }

    /// The access token to use now, refreshed first when it runs out within the hour.
    pub async fn current(&self) -> Result<String, TokenError> {
        self.get(None).await
    }

    /// A fresh access token in place of `refused` (Zalo answered -216 to it): refreshed, unless
    /// another refresh gave a new one meanwhile.
    pub async fn replace(&self, refused: &str) -> Result<String, TokenError> {
        self.get(Some(refused)).await
    }

    async fn get(&self, refused: Option<&str>) -> Result<String, TokenError> {
        let _one = self.lock.lock().await;
        let app_id = &self.settings.app_id;
        let store = &self.engine.store;
        let unavailable = |e: crate::store::StoreError| TokenError::Unavailable(e.to_string());
        let deadline = self.now() + CLAIM_SECS + 5;
        loop {
            let now = self.now();
            let t = match store.zalo_tokens(app_id).await.map_err(unavailable)? {
                Some(t) => t,
                None => {
                    self.seed().await?;
                    continue;
                }
            };
            let usable = !t.access_token.is_empty()
                && t.expires_at - now > REFRESH_AHEAD_SECS
                && refused != Some(t.access_token.as_str());
            if usable {
                return Ok(t.access_token);
            }
            if let Some(failure) = t.failure {
                return Err(TokenError::Refused(failure));
            }
            if store
                .claim_zalo_refresh(app_id, &t.refresh_token, now, now + CLAIM_SECS)
                .await
                .map_err(unavailable)?
            {
                return self.spend(&t.refresh_token).await;
            }
            // Another process is spending it: its pair comes.
            if self.now() > deadline {
                return Err(TokenError::Unavailable(
                    "another process is refreshing the token".into(),
                ));
            }
            tokio::time::sleep(WAIT_STEP).await;
        }
    }

    /// Spends `refresh` (claimed by this process) for a new pair, and stores the pair.
    async fn spend(&self, refresh: &str) -> Result<String, TokenError> {
        let s = &self.settings;
        let store = &self.engine.store;
        let url = format!("{}/v4/oa/access_token", s.oauth_url);
        let form = [
            ("refresh_token", refresh),
            ("app_id", s.app_id.as_str()),
            ("grant_type", "refresh_token"),
        ];
        let answer = self
            .http
            .post(&url)
            .header("secret_key", &s.app_secret)
            .form(&form)
            .send()
            .await;
        let body: Result<Value, String> = match answer {
            Ok(r) if r.status().is_server_error() => Err(format!("HTTP {}", r.status())),
            Ok(r) => r.json().await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let body = match body {
            Ok(b) => b,
            Err(e) => {
                // Not spent, as far as is known: the next try may use it again.
                let _ = store.release_zalo_claim(&s.app_id, refresh).await;
                tracing::warn!(error = %e, "refreshing the Zalo token failed; will retry");
                return Err(TokenError::Unavailable(e));
            }
        };
        let access = body.get("access_token").and_then(Value::as_str);
        let new_refresh = body.get("refresh_token").and_then(Value::as_str);
        let (Some(access), Some(new_refresh)) = (access, new_refresh) else {
            let error = refusal(&body);
            tracing::error!(error = %error, "Zalo refused the token refresh");
            if let Err(e) = self.engine.zalo_token_failed(&s.app_id, &error).await {
                tracing::error!(error = %e, "recording the failed refresh failed");
            }
            return Err(TokenError::Refused(error));
        };
        let expires_in = match body.get("expires_in") {
            Some(Value::String(v)) => v.parse().unwrap_or(0),
            Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
            _ => 0,
        };
        let expires_at = self.now() + expires_in.max(0);
        // The refresh token given is already spent: the new pair must not be lost.
        let mut tries = 0;
        loop {
            let stored = store
                .store_zalo_tokens(
                    &s.app_id,
                    refresh,
                    access,
                    new_refresh,
                    expires_at,
                    self.now(),
                )
                .await;
            match stored {
                Ok(_) => break,
                Err(e) if tries < 5 => {
                    tries += 1;
                    tracing::warn!(error = %e, "storing the new Zalo tokens failed; trying again");
                    tokio::time::sleep(Duration::from_millis(200 * tries)).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "the new Zalo tokens could not be stored");
                    return Err(TokenError::Unavailable(e.to_string()));
                }
            }
        }
        tracing::info!(expires_in, "Zalo access token refreshed");
        Ok(access.to_string())
    }
}

/// What Zalo said when it refused a refresh.
fn refusal(body: &Value) -> String {
    let code = body.get("error").map(|e| e.to_string()).unwrap_or_default();
    let text = ["error_description", "error_name", "message"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_str))
        .unwrap_or("no access token in the answer");
    if code.is_empty() {
        text.to_string()
    } else {
        format!("{code}: {text}")
    }
}
