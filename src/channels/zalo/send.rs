//! Outbox rows of channel `zalo` into OA messages: `POST {api}/v3.0/oa/message/cs` with the
//! header `access_token` and `{"recipient": {"user_id"}, "message": {…}}`; buttons as a
//! template of `oa.query.show` actions; a photo uploaded first (`POST {api}/v2.0/oa/upload/image`,
//! multipart `file`, giving `data.attachment_id`) and sent as a `media` template. Answers are
//! `{"error": 0, "data": {"message_id"}}`, or an error code: -216 the access token expired
//! (refreshed and sent again), -213 and -230 the user is outside the window Zalo allows
//! (as integrations report them), others refused. Sources: see the module's docs.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::tokens::{TokenError, Tokens};
use super::{button_payload, ZaloSettings};
use crate::channels::{Channel, Content, File, Limits, SendError, Sent};
use crate::dialogue::MediaKind;
use crate::engine::Engine;
use crate::store::Message;

/// The longest text of one Zalo message, in characters.
pub const TEXT_LIMIT: usize = 2000;

/// Sends within the free window, at a steady pace, refreshing the token when it expires.
pub struct ZaloTransport {
    engine: Engine,
    settings: Arc<ZaloSettings>,
    http: reqwest::Client,
    pub tokens: Tokens,
    /// When the next send may start.
    pace: tokio::sync::Mutex<tokio::time::Instant>,
}

/// How a call to the OA API went wrong.
#[derive(Debug)]
enum ApiError {
    /// -216: the access token is no longer valid.
    Expired,
    /// The user is outside the window in which Zalo takes messages to them.
    OutsideWindow,
    Refused(String),
    Transient(String),
    RateLimited,
}

impl ZaloTransport {
    pub fn new(engine: Engine, settings: ZaloSettings) -> ZaloTransport {
        let settings = Arc::new(settings);
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        ZaloTransport {
            tokens: Tokens::new(engine.clone(), settings.clone(), http.clone()),
            engine,
            settings,
            http,
            pace: tokio::sync::Mutex::new(tokio::time::Instant::now()),
        }
    }

    /// Whether one more message to `user` is inside the free window now.
    async fn inside_window(&self, user: &str) -> Result<bool, SendError> {
        let now = self.engine.clock.now().timestamp();
        let window = self
            .engine
            .store
            .zalo_window(user)
            .await
            .map_err(|e| SendError::Transient(e.to_string()))?;
        let s = &self.settings;
        Ok(window.is_some_and(|(last_in, replies)| {
            now - last_in < s.window_hours * 3600 && replies < s.window_replies
        }))
    }

    /// Waits for this send's turn within the configured rate.
    async fn take_turn(&self) {
        let gap = Duration::from_secs_f64(1.0 / f64::from(self.settings.sends_per_sec.max(1)));
        let mut next = self.pace.lock().await;
        tokio::time::sleep_until(*next).await;
        *next = tokio::time::Instant::now() + gap;
    }

    /// Calls the OA API at `path` with a JSON body.
    async fn post(&self, token: &str, path: &str, body: &Value) -> Result<Value, ApiError> {
        self.take_turn().await;
        let url = format!("{}{path}", self.settings.api_url);
        let answer = self
            .http
            .post(&url)
            .header("access_token", token)
            .json(body)
            .send()
            .await;
        read_answer(answer).await
    }

    /// Uploads a photo found at `url` (a Zalo or other public address); its attachment id.
    async fn upload_image(&self, token: &str, url: &str) -> Result<String, ApiError> {
        let bytes = self
            .http
            .get(url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| ApiError::Transient(e.to_string()))?
            .bytes()
            .await
            .map_err(|e| ApiError::Transient(e.to_string()))?;
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("image.jpg");
        let form = reqwest::multipart::Form::new().part("file", part);
        self.take_turn().await;
        let answer = self
            .http
            .post(format!("{}/v2.0/oa/upload/image", self.settings.api_url))
            .header("access_token", token)
            .multipart(form)
            .send()
            .await;
        let body = read_answer(answer).await?;
        body.pointer("/data/attachment_id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| ApiError::Refused("no attachment_id in the upload's answer".into()))
    }

    /// One message, with what it needs uploaded first.
    async fn send_message(&self, token: &str, user: &str, m: &Message) -> Result<Sent, ApiError> {
        let mut message = json!({ "text": text_of(m) });
        let photo = match &m.file {
            Some(File::Received(a)) if a.kind == MediaKind::Photo && is_url(&a.file_id) => {
                Some(a.file_id.as_str())
            }
            _ => None,
        };
        if let Some(url) = photo {
            let attachment_id = self.upload_image(token, url).await?;
            message["attachment"] = json!({
                "type": "template",
                "payload": {
                    "template_type": "media",
                    "elements": [{ "media_type": "image", "attachment_id": attachment_id }],
                },
            });
        } else if !m.buttons.is_empty() {
            let buttons: Vec<Value> = m
                .buttons
                .iter()
                .flatten()
                .map(|(label, data)| {
                    json!({
                        "title": label,
                        "type": "oa.query.show",
                        "payload": button_payload(label, data),
                    })
                })
                .collect();
            message["attachment"] = json!({
                "type": "template",
                "payload": { "buttons": buttons },
            });
        }
        let body = json!({ "recipient": { "user_id": user }, "message": message });
        self.post(token, "/v3.0/oa/message/cs", &body).await?;
        Ok(Sent::default())
    }
}

/// The text a message goes out with: Zalo has no keyboards to take away and no phone-sharing
/// button (the customer types the number), and a file it cannot carry is named instead.
fn text_of(m: &Message) -> String {
    let mut text = m.text.clone();
    if let Some(File::Received(a)) = &m.file {
        if !(a.kind == MediaKind::Photo && is_url(&a.file_id)) {
            let name = a.file_name.as_deref().unwrap_or_default();
            text = format!("{text}\n📎 {name}").trim().to_string();
        }
    }
    if let Some(File::Made { name, .. }) = &m.file {
        text = format!("{text}\n📎 {name}").trim().to_string();
    }
    if text.is_empty() {
        text = "…".into();
    }
    text
}

fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

async fn read_answer(answer: reqwest::Result<reqwest::Response>) -> Result<Value, ApiError> {
    let response = answer.map_err(|e| ApiError::Transient(e.to_string()))?;
    let status = response.status();
    if status.as_u16() == 429 {
        return Err(ApiError::RateLimited);
    }
    if status.is_server_error() {
        return Err(ApiError::Transient(format!("HTTP {status}")));
    }
    let body: Value = response
        .json()
        .await
        .map_err(|e| ApiError::Transient(format!("HTTP {status}: {e}")))?;
    let code = body.get("error").and_then(Value::as_i64).unwrap_or(0);
    let message = || {
        body.get("message")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match code {
        0 if status.is_success() => Ok(body),
        0 => Err(ApiError::Refused(format!("HTTP {status}"))),
        -216 => Err(ApiError::Expired),
        -213 | -230 => Err(ApiError::OutsideWindow),
        -32 => Err(ApiError::RateLimited),
        code => Err(ApiError::Refused(format!("{code}: {}", message()))),
    }
}

fn token_error(e: TokenError) -> SendError {
    // Messages wait (with backoff) until a token comes: after a failed refresh, until a person
    // gives a new refresh token.
    SendError::Transient(e.to_string())
}

impl Channel for ZaloTransport {
    fn limits(&self) -> Limits {
        Limits {
            text: Some(TEXT_LIMIT),
            caption: Some(TEXT_LIMIT),
            overall_per_sec: Some(self.settings.sends_per_sec),
            threads: false,
            buttons: true,
            ..Limits::default()
        }
    }

    /// A long text in several messages, the buttons and the file with the last.
    fn parts(&self, content: &Content) -> Vec<Content> {
        let Content::Message(m) = content else {
            return vec![content.clone()];
        };
        let texts = crate::channels::telegram::split_text(&m.text, TEXT_LIMIT);
        if texts.len() <= 1 {
            return vec![content.clone()];
        }
        let last = texts.len() - 1;
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                if i == last {
                    Content::Message(Message { text, ..m.clone() })
                } else {
                    Content::Message(Message::text(text))
                }
            })
            .collect()
    }

    async fn send(
        &self,
        address: &str,
        _thread_id: Option<i64>,
        part: &Content,
    ) -> Result<Sent, SendError> {
        // Case threads are the staff group's (Telegram); nothing to do here.
        let Content::Message(m) = part else {
            return Ok(Sent::default());
        };
        if !self.inside_window(address).await? {
            metrics::counter!("cskh_zalo_window_total", "window" => "outside").increment(1);
            return Err(SendError::OutsideWindow);
        }
        let mut token = self.tokens.current().await.map_err(token_error)?;
        let mut result = self.send_message(&token, address, m).await;
        if matches!(result, Err(ApiError::Expired)) {
            token = self.tokens.replace(&token).await.map_err(token_error)?;
            result = self.send_message(&token, address, m).await;
        }
        match result {
            Ok(sent) => {
                metrics::counter!("cskh_zalo_window_total", "window" => "inside").increment(1);
                if let Err(e) = self.engine.store.zalo_replied(address).await {
                    tracing::warn!(error = %e, "counting a Zalo reply failed");
                }
                Ok(sent)
            }
            Err(ApiError::OutsideWindow) => {
                metrics::counter!("cskh_zalo_window_total", "window" => "outside").increment(1);
                Err(SendError::OutsideWindow)
            }
            Err(ApiError::Expired) => Err(SendError::Transient("the access token expired".into())),
            Err(ApiError::RateLimited) => Err(SendError::RetryAfter(60)),
            Err(ApiError::Transient(e)) => Err(SendError::Transient(e)),
            Err(ApiError::Refused(e)) => Err(SendError::Permanent(e)),
        }
    }

    /// Refreshes the token ahead of expiry (the upkeep runs in the sending process only).
    async fn upkeep(&self) {
        if let Err(e) = self.tokens.current().await {
            tracing::warn!(error = %e, "no Zalo access token");
        }
    }
}
