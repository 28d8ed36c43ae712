//! Zalo's events into engine input. Zalo posts JSON to the webhook: `app_id`, `event_name`,
//! `timestamp` (milliseconds, as text), `sender.id` (the user, for this OA), `recipient.id`
//! (the OA), `message` (`msg_id`, `text`, `attachments[]` with `type` and `payload.url`,
//! `payload.name`); a follow or unfollow names the user in `follower.id`. The header
//! `X-ZEvent-Signature: mac=<hex>` signs it (see [`super::signature`]).
//!
//! Answers: 400 for a body that is not an event (nothing stored), 401 for a wrong or missing
//! signature or an event signed too long ago (logged), 200 for an event handled (committed)
//! or not for the bot (delivery receipts, the OA's own messages, …), 500 when it could not be
//! committed (Zalo may post it again; an event seen twice is handled once, by its `msg_id`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use serde_json::Value;

use super::{pressed_button, signature, signature_matches, ZaloSettings, CHANNEL};
use crate::dialogue::{Attachment, Input, Lang, MediaKind, Unsupported};
use crate::engine::{Engine, EngineError, Incoming};
use crate::store::SeenUser;

/// The header that carries an event's signature (header names match in any case).
const SIGNATURE_HEADER: &str = "X-ZEvent-Signature";

#[derive(Clone)]
struct Hook {
    engine: Engine,
    settings: Arc<ZaloSettings>,
    http: reqwest::Client,
}

/// How long the webhook waits for a user's profile (Zalo wants its answer within 2 s).
const PROFILE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(800);

/// The webhook's route, to merge into the HTTP server's router.
pub fn webhook_router(engine: Engine, settings: ZaloSettings) -> Router {
    let path = settings.webhook_path.clone();
    let hook = Hook {
        engine,
        settings: Arc::new(settings),
        http: reqwest::Client::builder()
            .timeout(PROFILE_TIMEOUT)
            .build()
            .unwrap_or_default(),
    };
    Router::new().route(&path, post(receive)).with_state(hook)
}

async fn receive(State(hook): State<Hook>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Ok(event) = serde_json::from_slice::<Value>(&body) else {
        tracing::warn!("Zalo webhook: the body is not JSON");
        return StatusCode::BAD_REQUEST;
    };
    let timestamp = match event.get("timestamp") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Number(t)) => t.to_string(),
        _ => {
            tracing::warn!("Zalo webhook: an event without a timestamp");
            return StatusCode::BAD_REQUEST;
        }
    };
    let s = &hook.settings;
    let expected = signature(&s.app_id, &body, &timestamp, &s.oa_secret_key);
    let given = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if !signature_matches(given, &expected) {
        tracing::warn!(
            signed = given.is_some(),
            "Zalo webhook: refused an event with a wrong or missing signature"
        );
        return StatusCode::UNAUTHORIZED;
    }
    let now_ms = hook.engine.clock.now().timestamp_millis();
    let age_ms = timestamp.parse::<i64>().map(|t| (now_ms - t).abs());
    if age_ms.map_or(true, |age| age > s.max_event_age_secs * 1000) {
        tracing::warn!(%timestamp, "Zalo webhook: refused an event signed too long ago");
        return StatusCode::UNAUTHORIZED;
    }
    match handle(&hook, &event, &timestamp).await {
        Ok(()) => StatusCode::OK,
        Err(e) => {
            tracing::error!(error = %e, "Zalo webhook: handling an event failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// What an event means for the bot.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A user's message: one input per file (an album is several), or one text.
    Message {
        user: String,
        msg_id: String,
        inputs: Vec<Input>,
    },
    Follow {
        user: String,
    },
    Unfollow {
        user: String,
    },
    /// Not for the bot: delivery and read receipts, the OA's own messages, what is unknown.
    Ignored,
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

/// Reads an event.
pub fn read_event(event: &Value) -> Event {
    let name = event
        .get("event_name")
        .and_then(Value::as_str)
        .unwrap_or("");
    match name {
        "follow" | "unfollow" => {
            let Some(user) = str_at(event, "/follower/id") else {
                return Event::Ignored;
            };
            let user = user.to_string();
            if name == "follow" {
                Event::Follow { user }
            } else {
                Event::Unfollow { user }
            }
        }
        _ if name.starts_with("user_send_") => {
            let (Some(user), Some(msg_id)) = (
                str_at(event, "/sender/id"),
                str_at(event, "/message/msg_id"),
            ) else {
                return Event::Ignored;
            };
            let inputs = message_inputs(&name["user_send_".len()..], event);
            if inputs.is_empty() {
                return Event::Ignored;
            }
            Event::Message {
                user: user.to_string(),
                msg_id: msg_id.to_string(),
                inputs,
            }
        }
        _ => Event::Ignored,
    }
}

/// A message's inputs, by its kind (`text`, `image`, `file`, …).
fn message_inputs(kind: &str, event: &Value) -> Vec<Input> {
    let text = str_at(event, "/message/text").map(str::to_string);
    let media = |media: MediaKind| -> Vec<Input> {
        let attachments = event
            .pointer("/message/attachments")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        attachments
            .iter()
            .filter_map(|a| {
                let url = str_at(a, "/payload/url").or_else(|| str_at(a, "/payload/thumbnail"))?;
                Some(Input::Media {
                    attachment: Attachment {
                        kind: media,
                        file_id: url.to_string(),
                        file_name: str_at(a, "/payload/name").map(str::to_string),
                    },
                    caption: text.clone().filter(|t| !t.trim().is_empty()),
                })
            })
            .collect()
    };
    match kind {
        "text" => {
            let text = text.unwrap_or_default();
            vec![match pressed_button(&text) {
                Some(button) => Input::Button(button),
                None => Input::Text(text),
            }]
        }
        "image" => media(MediaKind::Photo),
        "file" => media(MediaKind::Document),
        "video" => media(MediaKind::Video),
        "audio" => media(MediaKind::Voice),
        "gif" => media(MediaKind::Animation),
        "sticker" => media(MediaKind::Sticker),
        "link" => {
            let url = event
                .pointer("/message/attachments/0/payload/url")
                .and_then(Value::as_str);
            let words = [text.as_deref(), url]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            vec![Input::Text(words)]
        }
        "location" => vec![Input::Unsupported(Unsupported::Location)],
        _ => vec![Input::Unsupported(Unsupported::Other)],
    }
}

/// A Zalo user as the engine sees them: their id for this OA is both who they are and where
/// they are answered. Zalo's events carry no name or language: the name is the one Zalo's
/// profile gave at the first contact, else `Zalo …1234`.
fn seen_user(user: &str, name: Option<String>) -> SeenUser {
    let tail = &user[user.len().saturating_sub(4)..];
    SeenUser {
        channel: CHANNEL.into(),
        external_id: user.to_string(),
        address: user.to_string(),
        name: name.unwrap_or_else(|| format!("Zalo …{tail}")),
        username: None,
        lang: Lang::Vi,
    }
}

/// The name to show for `user`: the one kept for a known customer; for a new one, the display
/// name of their Zalo profile (`GET {api}/v3.0/oa/user/detail?data={"user_id":…}`, header
/// `access_token`, answer `data.display_name`, the JSON `data` parameter URL-encoded; the shape
/// public OA integrations use, found by code search: a "Zalo Platform API — Integration
/// Specification" §5.9 "Follower / user data", and clients in TypeScript, C# and PHP calling
/// the same URL).
/// The webhook uses the stored access token only (refreshing is the sender's); without one, or
/// when Zalo does not answer in time, None.
async fn display_name(hook: &Hook, user: &str) -> Option<String> {
    let store = &hook.engine.store;
    if let Ok(Some(id)) = store.customer_of_identity(CHANNEL, user).await {
        return store.customer(id).await.ok().flatten().map(|c| c.name);
    }
    let s = &hook.settings;
    let tokens = store.zalo_tokens(&s.app_id).await.ok().flatten()?;
    let now = hook.engine.clock.now().timestamp();
    if tokens.access_token.is_empty() || tokens.expires_at <= now {
        return None;
    }
    let data = serde_json::json!({ "user_id": user }).to_string();
    let answer = hook
        .http
        .get(format!("{}/v3.0/oa/user/detail", s.api_url))
        .query(&[("data", data)])
        .header("access_token", &tokens.access_token)
        .send()
        .await
        .ok()?
        .json::<Value>()
        .await
        .ok()?;
    if answer.get("error").and_then(Value::as_i64) != Some(0) {
        tracing::info!(error = %answer, "Zalo gave no profile for a new user");
        return None;
    }
    str_at(&answer, "/data/display_name")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(64).collect())
}

/// Handles an event; returns once what it changes is committed.
async fn handle(hook: &Hook, event: &Value, timestamp: &str) -> Result<(), EngineError> {
    let engine = &hook.engine;
    match read_event(event) {
        Event::Ignored => Ok(()),
        Event::Message {
            user,
            msg_id,
            inputs,
        } => {
            let now = engine.clock.now().timestamp();
            engine.store.zalo_user_wrote(&user, now).await?;
            let name = display_name(hook, &user).await;
            let album = (inputs.len() > 1).then(|| msg_id.clone());
            for (i, input) in inputs.into_iter().enumerate() {
                let key = match i {
                    0 => format!("zalo:{msg_id}"),
                    i => format!("zalo:{msg_id}:{i}"),
                };
                let inc = Incoming {
                    key: Some(key),
                    user: seen_user(&user, name.clone()),
                    input,
                };
                engine.handle_in_album(inc, album.clone()).await?;
            }
            Ok(())
        }
        Event::Follow { user } => {
            // Following the OA counts as the user's interaction: a customer-service message may
            // go to them within the window it opens, as after a message of theirs (Zalo's
            // conditions for "tin tư vấn", quoted by public integration guides found by code
            // search: "có tương tác với OA trong vòng 7 ngày", where following ("quan tâm")
            // is listed among the interactions). A new follower is greeted as Telegram's
            // /start greets; someone already known (following again) is left to write first.
            if engine
                .store
                .customer_of_identity(CHANNEL, &user)
                .await?
                .is_some()
            {
                tracing::info!(user = %user, "a known Zalo user followed the OA again");
                return Ok(());
            }
            let now = engine.clock.now().timestamp();
            engine.store.zalo_user_wrote(&user, now).await?;
            let name = display_name(hook, &user).await;
            let inc = Incoming {
                key: Some(format!("zalo:follow:{user}:{timestamp}")),
                user: seen_user(&user, name),
                input: Input::Text("/start".into()),
            };
            engine.handle(inc).await?;
            Ok(())
        }
        Event::Unfollow { user } => {
            if let Some(customer) = engine.store.customer_of_identity(CHANNEL, &user).await? {
                let key = format!("zalo:unfollow:{user}:{timestamp}");
                engine.customer_blocked(Some(key), customer).await?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_become_the_inputs_a_telegram_message_would() {
        let text = json!({"event_name": "user_send_text", "sender": {"id": "84"},
            "recipient": {"id": "oa"}, "message": {"msg_id": "m1", "text": "bảo lưu"},
            "timestamp": "1"});
        assert_eq!(
            read_event(&text),
            Event::Message {
                user: "84".into(),
                msg_id: "m1".into(),
                inputs: vec![Input::Text("bảo lưu".into())]
            }
        );
        let image = json!({"event_name": "user_send_image", "sender": {"id": "84"},
            "message": {"msg_id": "m2", "text": "giấy khám",
                "attachments": [{"type": "image", "payload": {"url": "https://z/a.jpg"}}]},
            "timestamp": "1"});
        let Event::Message { inputs, .. } = read_event(&image) else {
            panic!("an image is a message")
        };
        assert_eq!(
            inputs,
            vec![Input::Media {
                attachment: Attachment {
                    kind: MediaKind::Photo,
                    file_id: "https://z/a.jpg".into(),
                    file_name: None
                },
                caption: Some("giấy khám".into())
            }]
        );
        let file = json!({"event_name": "user_send_file", "sender": {"id": "84"},
            "message": {"msg_id": "m3", "attachments": [{"type": "file",
                "payload": {"url": "https://z/hd.pdf", "name": "hoa-don.pdf"}}]},
            "timestamp": "1"});
        let Event::Message { inputs, .. } = read_event(&file) else {
            panic!("a file is a message")
        };
        assert!(matches!(&inputs[0], Input::Media { attachment, .. }
            if attachment.kind == MediaKind::Document
                && attachment.file_name.as_deref() == Some("hoa-don.pdf")));
        let follow = json!({"event_name": "follow", "follower": {"id": "84"}, "timestamp": "1"});
        assert_eq!(read_event(&follow), Event::Follow { user: "84".into() });
        let gone = json!({"event_name": "unfollow", "follower": {"id": "84"}, "timestamp": "1"});
        assert_eq!(read_event(&gone), Event::Unfollow { user: "84".into() });
        for ignored in [
            "user_received_message",
            "user_seen_message",
            "oa_send_text",
            "x",
        ] {
            let e = json!({"event_name": ignored, "sender": {"id": "oa"}, "timestamp": "1"});
            assert_eq!(read_event(&e), Event::Ignored, "{ignored}");
        }
    }
}
