//! Zalo: customers who write to the company's Zalo Official Account (OA), served by the same
//! engine as Telegram's; staff stay in the Telegram group.
//!
//! - [`webhook`]: Zalo posts each event (a message, a follow, an unfollow) to a path of the HTTP
//!   server the bot already runs; the signature is checked on the raw body, the event turned
//!   into engine input, and 200 answered once it is committed.
//! - [`send`]: outbox rows of channel `zalo` go out through the OA's "tư vấn" (customer
//!   service) messages, within Zalo's free reply window; what would fall outside it goes to
//!   staff as a call request.
//! - [`tokens`]: the OA's access token, refreshed (OAuth v4) ahead of expiry by the sending
//!   process only; the new pair is committed before it is used.
//!
//! The API's shapes, as public integrations use them: Zalo's documentation
//! (<https://developers.zalo.me/docs/official-account>) and Chatwoot's Zalo channel
//! (<https://github.com/chatwoot/chatwoot/blob/develop/app/models/channel/zalo_oa.rb>: sending,
//! uploads, the token refresh; `app/jobs/webhooks/zalo_events_job.rb`: the signature, events).

pub mod send;
pub mod tokens;
pub mod webhook;

pub use send::ZaloTransport;
pub use tokens::Tokens;
pub use webhook::webhook_router;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use std::collections::BTreeMap;

use crate::dialogue::{ButtonData, NoticeKind};

/// Zalo's name as a channel (in customers' identities and outbox rows).
pub const CHANNEL: &str = "zalo";

/// Where Zalo's OA API answers.
pub const API_URL: &str = "https://openapi.zalo.me";
/// Where Zalo's OAuth v4 answers (token refresh).
pub const OAUTH_URL: &str = "https://oauth.zaloapp.com";
/// Where ZNS (template notices by phone number) answers.
pub const ZNS_URL: &str = "https://business.openapi.zalo.me";

/// The settings of the Zalo channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZaloSettings {
    /// The Zalo app's id (developers.zalo.me), which the OA is linked to.
    pub app_id: String,
    /// The OA secret key of the app's webhook settings: it signs each event.
    pub oa_secret_key: String,
    /// The app's secret key: it authenticates token refreshes.
    pub app_secret: String,
    /// The first refresh token (from the OA's authorisation); later ones live in the database.
    pub refresh_token: String,
    /// The OA API's base URL (a fake one in tests).
    pub api_url: String,
    /// The OAuth base URL (a fake one in tests).
    pub oauth_url: String,
    /// The path Zalo posts events to, on the HTTP server of `LISTEN_ADDR`.
    pub webhook_path: String,
    /// How long after a user's last message replies are free.
    pub window_hours: i64,
    /// How many messages may go to a user within that window.
    pub window_replies: i64,
    /// Events signed longer ago than this are refused (a replay).
    pub max_event_age_secs: i64,
    /// Messages a second to Zalo at most.
    pub sends_per_sec: u32,
    /// The ZNS base URL (a fake one in tests).
    pub zns_url: String,
    /// The ZNS template that carries each kind of notice outside the free window; a kind not
    /// here goes to staff as a call request.
    pub zns_templates: BTreeMap<NoticeKind, String>,
}

impl ZaloSettings {
    /// The settings with these credentials, everything else at its default.
    pub fn new(
        app_id: impl Into<String>,
        oa_secret_key: impl Into<String>,
        app_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> ZaloSettings {
        ZaloSettings {
            app_id: app_id.into(),
            oa_secret_key: oa_secret_key.into(),
            app_secret: app_secret.into(),
            refresh_token: refresh_token.into(),
            api_url: API_URL.into(),
            oauth_url: OAUTH_URL.into(),
            webhook_path: "/zalo/webhook".into(),
            window_hours: 48,
            window_replies: 8,
            max_event_age_secs: 600,
            sends_per_sec: 10,
            zns_url: ZNS_URL.into(),
            zns_templates: BTreeMap::new(),
        }
    }
}

/// Reads `reminder=123456, aftercare=234567, staff_reply=345678`: a ZNS template id for each
/// kind of notice named.
pub fn parse_zns_templates(text: &str) -> Result<BTreeMap<NoticeKind, String>, String> {
    let mut templates = BTreeMap::new();
    for item in text
        .split([',', ';'])
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        let (kind, id) = item
            .split_once('=')
            .ok_or_else(|| format!("{item:?} is not kind=template_id"))?;
        let kind = NoticeKind::parse(kind).ok_or_else(|| {
            format!(
                "{:?} is not a kind of notice (reminder, aftercare, staff_reply)",
                kind.trim()
            )
        })?;
        let id = id.trim();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("{id:?} is not a ZNS template id"));
        }
        templates.insert(kind, id.to_string());
    }
    Ok(templates)
}

/// The signature Zalo sends with an event (`X-ZEvent-Signature: mac=<this>`): the hex SHA-256
/// of the app id, the raw body, the event's timestamp and the OA secret key, one after the
/// other (a plain hash, not an HMAC).
pub fn signature(app_id: &str, body: &[u8], timestamp: &str, oa_secret_key: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(app_id.as_bytes());
    hash.update(body);
    hash.update(timestamp.as_bytes());
    hash.update(oa_secret_key.as_bytes());
    hex::encode(hash.finalize())
}

/// Whether a signature header is the expected one, compared in constant time.
pub fn signature_matches(header: Option<&str>, expected: &str) -> bool {
    let Some(given) = header.and_then(|h| h.trim().strip_prefix("mac=")) else {
        return false;
    };
    let given = given.to_ascii_lowercase();
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// A button as Zalo carries it: an `oa.query.show` action whose payload comes back as the
/// user's own text message, shown in the chat. The payload is the label the customer read,
/// then the button's data in brackets ("Bảo lưu [m:defer]"), so the chat reads well and the
/// engine gets the same [`ButtonData`] a Telegram press gives.
pub fn button_payload(label: &str, data: &str) -> String {
    format!("{label} [{data}]")
}

/// The button a text is the payload of, if it is one (never a staff button: staff act in
/// the Telegram group).
pub fn pressed_button(text: &str) -> Option<ButtonData> {
    let inner = text.trim().strip_suffix(']')?;
    let (_, data) = inner.rsplit_once(" [")?;
    ButtonData::parse(data).filter(|b| !b.is_staff())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_sha256_of_app_id_body_timestamp_and_key() {
        // printf '%s' 'app{"a":1}1700000000000key' | sha256sum
        let s = signature("app", br#"{"a":1}"#, "1700000000000", "key");
        assert_eq!(s.len(), 64);
        let mut hash = Sha256::new();
        hash.update(br#"app{"a":1}1700000000000key"#);
        assert_eq!(s, hex::encode(hash.finalize()));
        assert!(signature_matches(Some(&format!("mac={s}")), &s));
        assert!(signature_matches(
            Some(&format!("mac={}", s.to_uppercase())),
            &s
        ));
        assert!(!signature_matches(Some(&s), &s), "without mac=");
        assert!(!signature_matches(Some("mac=00"), &s));
        assert!(!signature_matches(None, &s));
        let other = signature("app", br#"{"a":2}"#, "1700000000000", "key");
        assert!(!signature_matches(Some(&format!("mac={other}")), &s));
    }

    #[test]
    fn zns_templates_are_read_by_kind_and_a_wrong_one_is_an_error() {
        let t = parse_zns_templates("reminder=123456, staff_reply = 345678;").unwrap();
        assert_eq!(
            t.get(&NoticeKind::Reminder).map(String::as_str),
            Some("123456")
        );
        assert_eq!(
            t.get(&NoticeKind::StaffReply).map(String::as_str),
            Some("345678")
        );
        assert_eq!(t.get(&NoticeKind::Aftercare), None);
        assert!(parse_zns_templates("").unwrap().is_empty());
        assert!(parse_zns_templates("reminders=1").is_err());
        assert!(parse_zns_templates("reminder").is_err());
        assert!(parse_zns_templates("reminder=12 34").is_err());
    }

    #[test]
    fn a_button_payload_comes_back_as_the_same_button_data() {
        let data = ButtonData::Menu(crate::dialogue::buttons::MenuItem::Defer).encode();
        let payload = button_payload("📅 Bảo lưu", &data);
        assert_eq!(
            pressed_button(&payload),
            Some(ButtonData::Menu(crate::dialogue::buttons::MenuItem::Defer))
        );
        assert_eq!(pressed_button("tôi muốn bảo lưu"), None);
        assert_eq!(pressed_button("HD [2026]"), None);
        let staff = ButtonData::StaffDecide {
            approve: true,
            request_id: 3,
        }
        .encode();
        assert_eq!(pressed_button(&button_payload("Duyệt", &staff)), None);
    }
}
