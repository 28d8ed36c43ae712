//! Outbox rows of channel `zalo` into OA messages: `POST {api}/v3.0/oa/message/cs` with the
//! header `access_token` and `{"recipient": {"user_id"}, "message": {…}}`; buttons as a
//! template of `oa.query.show` actions; a photo uploaded first (`POST {api}/v2.0/oa/upload/image`,
//! multipart `file`, giving `data.attachment_id`) and sent as a `media` template. Answers are
//! `{"error": 0, "data": {"message_id"}}`, or an error code: -216 the access token expired
//! (refreshed and sent again), -213 and -230 the user is outside the window Zalo allows
//! (as integrations report them), others refused. Sources: see the module's docs.
//!
//! Outside the window, a message that is a notice of a kind with a ZNS template configured
//! (a reminder, an aftercare check-in, staff's words) goes as that template to the phone number
//! the customer gave: `POST {zns}/message/template`, header `access_token`, body `{"phone":
//! "84…", "template_id", "template_data": {…}, "tracking_id"}`, answer `{"error": 0, "data":
//! {"msg_id"}}` (ZNS, now "ZBS Template Message" by phone; as hoangnd25/monorepo
//! `wip/zalo-platform-integration.md`, "ZBS Template Message (Outside Window)", documents it).
//! Without a template, a phone, or when ZNS refuses, staff are asked to call.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use super::tokens::{TokenError, Tokens};
use super::{button_payload, ZaloSettings};
use crate::channels::{Channel, Content, File, FileSource, Limits, SendError, Sent};
use crate::dialogue::{Attachment, Lang, MediaKind, Msg, Part};
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
    /// Where files sent on Telegram (staff's, by their Telegram file id) are fetched from.
    files: Option<Arc<dyn FileSource>>,
}

/// The largest photo Zalo takes (`upload/image`: JPG or PNG).
pub const IMAGE_LIMIT: usize = 1024 * 1024;
/// The largest file Zalo takes (`upload/file`: PDF, DOC, DOCX).
pub const FILE_LIMIT: usize = 5 * 1024 * 1024;

/// How a file goes to a Zalo user.
enum Carried {
    /// Uploaded as an image: its attachment id.
    Image(String),
    /// Uploaded as a file: its token.
    File(String),
    /// Zalo takes no file of this kind or size: the user is told in words, staff asked to call.
    Not,
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
            files: None,
        }
    }

    /// Files sent on Telegram (a staff member's, for a Zalo customer) are fetched from `files`
    /// and sent as files; without it, they go as their name.
    pub fn with_files(mut self, files: Arc<dyn FileSource>) -> ZaloTransport {
        self.files = Some(files);
        self
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
        self.upload(
            token,
            "image",
            "image.jpg",
            bytes.to_vec(),
            "/data/attachment_id",
        )
        .await
    }

    /// Uploads bytes (`kind`: `image` or `file`, multipart field `file`); the id Zalo gives
    /// back at `answer` (`data.attachment_id` for an image, `data.token` for a file).
    async fn upload(
        &self,
        token: &str,
        kind: &str,
        name: &str,
        bytes: Vec<u8>,
        answer: &str,
    ) -> Result<String, ApiError> {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        self.take_turn().await;
        let response = self
            .http
            .post(format!("{}/v2.0/oa/upload/{kind}", self.settings.api_url))
            .header("access_token", token)
            .multipart(form)
            .send()
            .await;
        let body = read_answer(response).await?;
        body.pointer(answer)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| ApiError::Refused(format!("no {answer} in the upload's answer")))
    }

    /// A file held by its Telegram file id: fetched, and uploaded as Zalo takes it (a photo as
    /// an image up to 1 MB; a PDF, DOC or DOCX up to 5 MB as a file), or not at all.
    async fn carry(&self, token: &str, a: &Attachment) -> Result<Carried, ApiError> {
        let Some(files) = &self.files else {
            return Ok(Carried::Not);
        };
        let fetched = files
            .fetch(&a.file_id)
            .await
            .map_err(|e| ApiError::Transient(format!("fetching the file from Telegram: {e}")))?;
        let name = a
            .file_name
            .clone()
            .or_else(|| fetched.path.rsplit('/').next().map(str::to_string))
            .unwrap_or_else(|| "file".into());
        let ext = |s: &str| {
            s.rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default()
        };
        let ext = match ext(&name) {
            e if e.is_empty() => ext(&fetched.path),
            e => e,
        };
        let size = fetched.bytes.len();
        let image = matches!(ext.as_str(), "jpg" | "jpeg" | "png");
        let document = matches!(ext.as_str(), "pdf" | "doc" | "docx");
        let image = (a.kind == MediaKind::Photo || (a.kind == MediaKind::Document && image))
            && size <= IMAGE_LIMIT;
        let document = a.kind == MediaKind::Document && document && size <= FILE_LIMIT;
        if image {
            let id = self
                .upload(token, "image", &name, fetched.bytes, "/data/attachment_id")
                .await?;
            Ok(Carried::Image(id))
        } else if document {
            let id = self
                .upload(token, "file", &name, fetched.bytes, "/data/token")
                .await?;
            Ok(Carried::File(id))
        } else {
            Ok(Carried::Not)
        }
    }

    /// A message that cannot go as a customer-service message now: as its ZNS template when
    /// one is configured for its kind and the customer gave a phone number; otherwise (or when
    /// ZNS refuses it) [`SendError::OutsideWindow`], which asks staff to call.
    async fn send_outside_window(&self, user: &str, m: &Message) -> Result<Sent, SendError> {
        let Some(notice) = &m.notice else {
            return Err(SendError::OutsideWindow);
        };
        let kind = notice.kind.code();
        let Some(template) = self.settings.zns_templates.get(&notice.kind) else {
            return Err(SendError::OutsideWindow);
        };
        let customer = self.customer_of(user).await;
        let phone = match &customer {
            Some(c) => self
                .engine
                .store
                .customer_phone(c.id)
                .await
                .map_err(|e| SendError::Transient(e.to_string()))?,
            None => None,
        };
        let Some(phone) = phone.as_deref().and_then(zns_phone) else {
            metrics::counter!("cskh_zalo_zns_total", "kind" => kind, "outcome" => "no_phone")
                .increment(1);
            return Err(SendError::OutsideWindow);
        };
        let mut data: serde_json::Map<String, Value> = notice
            .data
            .iter()
            .map(|(k, v)| (k.clone(), json!(clip(v, ZNS_VALUE_CHARS))))
            .collect();
        if let Some(c) = &customer {
            data.insert("customer_name".into(), json!(clip(&c.name, 30)));
        }
        data.insert(
            "hotline".into(),
            json!(self.engine.settings.company.hotline.clone()),
        );
        let now_ms = self.engine.clock.now().timestamp_millis();
        let body = json!({
            "phone": phone,
            "template_id": template,
            "template_data": data,
            "tracking_id": format!("cskh-{kind}-{now_ms}"),
        });
        let mut token = self.tokens.current().await.map_err(token_error)?;
        let mut result = self.post_zns(&token, &body).await;
        if matches!(result, Err(ApiError::Expired)) {
            token = self.tokens.replace(&token).await.map_err(token_error)?;
            result = self.post_zns(&token, &body).await;
        }
        match result {
            Ok(_) => {
                metrics::counter!("cskh_zalo_zns_total", "kind" => kind, "outcome" => "sent")
                    .increment(1);
                Ok(Sent::default())
            }
            Err(ApiError::Transient(e)) => Err(SendError::Transient(e)),
            Err(ApiError::RateLimited) => Err(SendError::RetryAfter(60)),
            Err(e) => {
                tracing::warn!(error = ?e, kind, "ZNS refused a notice: staff are asked to call");
                metrics::counter!("cskh_zalo_zns_total", "kind" => kind, "outcome" => "refused")
                    .increment(1);
                Err(SendError::OutsideWindow)
            }
        }
    }

    async fn post_zns(&self, token: &str, body: &Value) -> Result<Value, ApiError> {
        self.take_turn().await;
        let answer = self
            .http
            .post(format!("{}/message/template", self.settings.zns_url))
            .header("access_token", token)
            .json(body)
            .send()
            .await;
        read_answer(answer).await
    }

    /// The customer's language and id, for words the channel adds itself.
    async fn customer_of(&self, user: &str) -> Option<crate::dialogue::Customer> {
        let store = &self.engine.store;
        let id = store
            .customer_of_identity(super::CHANNEL, user)
            .await
            .ok()??;
        store.customer(id).await.ok()?
    }

    /// One message, with what it needs uploaded first. A photo or file (`type: file`, payload
    /// `token` from `upload/file`) goes with the text, as integrations send them (hoangnd25/monorepo
    /// `wip/zalo-platform-integration.md`, "Sending Media Messages"; Zalo's limits: JPG/PNG up to
    /// 1 MB, PDF/DOC/DOCX up to 5 MB).
    async fn send_message(&self, token: &str, user: &str, m: &Message) -> Result<Sent, ApiError> {
        let mut message = json!({ "text": text_of(m) });
        let mut not_carried = None;
        let carried = match &m.file {
            Some(File::Received(a)) if a.kind == MediaKind::Photo && is_url(&a.file_id) => {
                Some(Carried::Image(self.upload_image(token, &a.file_id).await?))
            }
            Some(File::Received(a)) if !is_url(&a.file_id) => Some(self.carry(token, a).await?),
            _ => None,
        };
        match carried {
            Some(Carried::Image(attachment_id)) => {
                message["attachment"] = json!({
                    "type": "template",
                    "payload": {
                        "template_type": "media",
                        "elements": [{ "media_type": "image", "attachment_id": attachment_id }],
                    },
                });
            }
            Some(Carried::File(file_token)) => {
                message["attachment"] =
                    json!({ "type": "file", "payload": { "token": file_token } });
            }
            Some(Carried::Not) => {
                if let Some(File::Received(a)) = &m.file {
                    let customer = self.customer_of(user).await;
                    let lang = customer.as_ref().map_or(Lang::Vi, |c| c.lang);
                    let name = a.file_name.clone().unwrap_or_default();
                    let kind = match a.kind {
                        MediaKind::Photo => "photo",
                        MediaKind::Video | MediaKind::VideoNote | MediaKind::Animation => "video",
                        MediaKind::Voice | MediaKind::Audio => "voice",
                        _ => "other",
                    };
                    let named = if name.is_empty() {
                        String::new()
                    } else {
                        format!(" «{name}»")
                    };
                    let note = Msg::new(
                        Part::new("zalo-file-not-carried")
                            .str("kind", kind)
                            .str("file", &named),
                    );
                    let note = self.engine.text(lang, &note);
                    message["text"] = json!(format!("{}\n\n{note}", text_of(m)).trim().to_string());
                    not_carried = customer.map(|c| (c.id, kind, named));
                }
            }
            None if !m.buttons.is_empty() => {
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
            None => {}
        }
        let body = json!({ "recipient": { "user_id": user }, "message": message });
        self.post(token, "/v3.0/oa/message/cs", &body).await?;
        // Staff are asked to call once the customer has the note (a send retried asks once).
        if let Some((customer, kind, file)) = not_carried {
            if let Err(e) = self.engine.file_not_carried(customer, kind, &file).await {
                tracing::error!(error = %e, "telling staff of a file Zalo cannot carry");
            }
        }
        Ok(Sent::default())
    }
}

/// The text a message goes out with: Zalo has no keyboards to take away and no phone-sharing
/// button (the customer types the number); a file Zalo holds that is not a photo, and a file the
/// bot made (an export, for staff), are named.
fn text_of(m: &Message) -> String {
    let mut text = m.text.clone();
    if let Some(File::Received(a)) = &m.file {
        if a.kind != MediaKind::Photo && is_url(&a.file_id) {
            let name = a.file_name.as_deref().unwrap_or(&a.file_id);
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

/// The longest value given to a ZNS template's parameter.
const ZNS_VALUE_CHARS: usize = 200;

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// A phone number as ZNS takes it: `84` and the number without its leading 0 (`+84912345678`
/// and `0912 345 678` are both `84912345678`).
fn zns_phone(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let national = digits
        .strip_prefix("84")
        .or_else(|| digits.strip_prefix('0'))?;
    (8..=10)
        .contains(&national.len())
        .then(|| format!("84{national}"))
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
    /// The text is the one worded for a channel with no phone-sharing button, where there is one.
    fn parts(&self, content: &Content) -> Vec<Content> {
        let Content::Message(m) = content else {
            return vec![content.clone()];
        };
        let m = &Message {
            text: m.typed_phone_text.clone().unwrap_or_else(|| m.text.clone()),
            typed_phone_text: None,
            ask_phone: None,
            ..m.clone()
        };
        let texts = crate::channels::telegram::split_text(&m.text, TEXT_LIMIT);
        if texts.len() <= 1 {
            return vec![Content::Message(m.clone())];
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
            return self.send_outside_window(address, m).await;
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
                self.send_outside_window(address, m).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_goes_to_zns_as_84_and_the_national_number() {
        assert_eq!(zns_phone("+84912345678").as_deref(), Some("84912345678"));
        assert_eq!(zns_phone("0912 345 678").as_deref(), Some("84912345678"));
        assert_eq!(zns_phone("12345"), None);
        assert_eq!(zns_phone(""), None);
    }
}
