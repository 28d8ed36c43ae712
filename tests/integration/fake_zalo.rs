//! A fake Zalo Official Account API (axum on a local port, reached through the Zalo channel's
//! API and OAuth base URLs): the OAuth v4 token refresh (each refresh token good once, a new
//! pair each time), customer-service messages (refused with -216 once the access token expired,
//! with -213 for a user it is told is outside Zalo's window), image uploads, and a file server
//! for the photos users "send". What the bot sent is read back by user.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

pub const APP_ID: &str = "2468013579";
pub const APP_SECRET: &str = "app-secret-xyz";
pub const OA_SECRET_KEY: &str = "oa-secret-key-abc";
/// The refresh token the OA's authorisation gave first.
pub const FIRST_REFRESH: &str = "rt-0";

/// A message the bot sent to a Zalo user.
#[derive(Debug, Clone)]
pub struct ZaloSent {
    pub user_id: String,
    pub text: String,
    /// (title, payload) of each `oa.query.show` button.
    pub buttons: Vec<(String, String)>,
    pub attachment_id: Option<String>,
    /// The token of a file (`attachment.type = file`).
    pub file_token: Option<String>,
    pub access_token: String,
}

/// A file uploaded to the fake.
#[derive(Debug, Clone)]
pub struct Upload {
    /// `image` or `file`.
    pub kind: String,
    /// The id or token it was given.
    pub id: String,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct Inner {
    next: u64,
    /// Pairs given so far: the n-th is `at-n`, `rt-n`.
    pairs: u64,
    unspent_refresh: HashSet<String>,
    /// Every refresh token presented, in order (spent or not).
    refresh_uses: Vec<String>,
    valid_access: HashSet<String>,
    sent: Vec<ZaloSent>,
    uploads: Vec<Upload>,
    refresh_delay: Duration,
    outside: HashSet<String>,
    /// Display names of users' Zalo profiles; a user not here has no profile to give.
    names: HashMap<String, String>,
    profile_calls: u64,
    /// ZNS template messages: their bodies.
    zns: Vec<Value>,
}

#[derive(Clone)]
pub struct FakeZalo {
    inner: Arc<Mutex<Inner>>,
    addr: SocketAddr,
}

fn error(code: i64, message: &str) -> Json<Value> {
    Json(json!({ "error": code, "message": message }))
}

impl FakeZalo {
    pub async fn start() -> FakeZalo {
        let inner = Arc::new(Mutex::new(Inner::default()));
        inner
            .lock()
            .unwrap()
            .unspent_refresh
            .insert(FIRST_REFRESH.into());
        let app = Router::new()
            .route("/v4/oa/access_token", post(refresh))
            .route("/v3.0/oa/message/cs", post(message))
            .route("/v2.0/oa/upload/image", post(upload))
            .route("/v2.0/oa/upload/file", post(upload_file))
            .route("/files/{name}", get(file))
            .route("/v3.0/oa/user/detail", get(user_detail))
            .route("/message/template", post(zns_template))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeZalo { inner, addr }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where a photo a user sends is found.
    pub fn file_url(&self, name: &str) -> String {
        format!("{}/files/{name}", self.url())
    }

    pub fn sent_to(&self, user: &str) -> Vec<ZaloSent> {
        let inner = self.inner.lock().unwrap();
        inner
            .sent
            .iter()
            .filter(|m| m.user_id == user)
            .cloned()
            .collect()
    }

    pub fn all_sent(&self) -> Vec<ZaloSent> {
        self.inner.lock().unwrap().sent.clone()
    }

    pub fn refresh_uses(&self) -> Vec<String> {
        self.inner.lock().unwrap().refresh_uses.clone()
    }

    /// The ids of images uploaded.
    pub fn uploads(&self) -> Vec<String> {
        let inner = self.inner.lock().unwrap();
        inner
            .uploads
            .iter()
            .filter(|u| u.kind == "image")
            .map(|u| u.id.clone())
            .collect()
    }

    /// Every upload, images and files.
    pub fn all_uploads(&self) -> Vec<Upload> {
        self.inner.lock().unwrap().uploads.clone()
    }

    /// Every access token given so far stops working (-216).
    pub fn expire_access_tokens(&self) {
        self.inner.lock().unwrap().valid_access.clear();
    }

    /// Zalo refuses messages to `user` as outside its window (-213).
    pub fn refuse_as_outside(&self, user: &str) {
        self.inner.lock().unwrap().outside.insert(user.to_string());
    }

    /// `user`'s Zalo profile shows this display name.
    pub fn set_name(&self, user: &str, name: &str) {
        self.inner
            .lock()
            .unwrap()
            .names
            .insert(user.to_string(), name.to_string());
    }

    /// The ZNS template messages sent (`phone`, `template_id`, `template_data`, `tracking_id`).
    pub fn zns_sent(&self) -> Vec<Value> {
        self.inner.lock().unwrap().zns.clone()
    }

    /// How many profiles were asked for.
    pub fn profile_calls(&self) -> u64 {
        self.inner.lock().unwrap().profile_calls
    }

    /// A refresh takes this long to answer (so that two overlap).
    pub fn set_refresh_delay(&self, delay: Duration) {
        self.inner.lock().unwrap().refresh_delay = delay;
    }
}

async fn refresh(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Json<Value> {
    let delay = inner.lock().unwrap().refresh_delay;
    tokio::time::sleep(delay).await;
    let mut z = inner.lock().unwrap();
    let token = form.get("refresh_token").cloned().unwrap_or_default();
    z.refresh_uses.push(token.clone());
    if headers.get("secret_key").and_then(|v| v.to_str().ok()) != Some(APP_SECRET)
        || form.get("app_id").map(String::as_str) != Some(APP_ID)
        || form.get("grant_type").map(String::as_str) != Some("refresh_token")
    {
        return Json(
            json!({ "error": -14002, "error_name": "Invalid app", "error_description": "invalid app id or secret key" }),
        );
    }
    if !z.unspent_refresh.remove(&token) {
        return Json(
            json!({ "error": -14014, "error_name": "Invalid refresh token", "error_description": "refresh token is invalid or used" }),
        );
    }
    z.pairs += 1;
    let access = format!("at-{}", z.pairs);
    let refresh = format!("rt-{}", z.pairs);
    z.valid_access.insert(access.clone());
    z.unspent_refresh.insert(refresh.clone());
    Json(json!({ "access_token": access, "refresh_token": refresh, "expires_in": "90000" }))
}

fn token_of(headers: &HeaderMap) -> String {
    headers
        .get("access_token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn message(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let mut z = inner.lock().unwrap();
    let token = token_of(&headers);
    if !z.valid_access.contains(&token) {
        return error(-216, "Access token is invalid");
    }
    let Some(user) = body.pointer("/recipient/user_id").and_then(Value::as_str) else {
        return error(-201, "Parameters are invalid");
    };
    if z.outside.contains(user) {
        return error(
            -213,
            "User has not interacted with the OA in the past 48 hours",
        );
    }
    let payload = body.pointer("/message/attachment/payload");
    let buttons = payload
        .and_then(|p| p.get("buttons"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "oa.query.show")
        .map(|b| {
            (
                b["title"].as_str().unwrap_or_default().to_string(),
                b["payload"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let attachment_id = payload
        .and_then(|p| p.pointer("/elements/0/attachment_id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let file_token = (body.pointer("/message/attachment/type") == Some(&json!("file")))
        .then(|| payload.and_then(|p| p.get("token")).and_then(Value::as_str))
        .flatten()
        .map(str::to_string);
    z.next += 1;
    let id = format!("mid-{}", z.next);
    z.sent.push(ZaloSent {
        user_id: user.to_string(),
        text: body
            .pointer("/message/text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        buttons,
        attachment_id,
        file_token,
        access_token: token,
    });
    Json(json!({ "error": 0, "message": "Success", "data": { "message_id": id, "user_id": user } }))
}

/// An image upload: JPG or PNG bytes (a multipart body that holds a JPEG or PNG header).
async fn upload(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    let image = body.windows(4).any(|w| w == b"JFIF" || w == b"\x89PNG");
    stored_upload(&inner, &headers, body, "image", image)
}

/// A file upload (Zalo takes PDF, DOC and DOCX): the multipart part's file name says which.
async fn upload_file(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Json<Value> {
    let text = String::from_utf8_lossy(&body).to_lowercase();
    let document = [".pdf\"", ".doc\"", ".docx\""]
        .iter()
        .any(|ext| text.contains(ext));
    stored_upload(&inner, &headers, body, "file", document)
}

fn stored_upload(
    inner: &Arc<Mutex<Inner>>,
    headers: &HeaderMap,
    body: Bytes,
    kind: &str,
    accepted: bool,
) -> Json<Value> {
    let mut z = inner.lock().unwrap();
    if !z.valid_access.contains(&token_of(headers)) {
        return error(-216, "Access token is invalid");
    }
    if !accepted {
        return error(-201, "the upload is not of a kind Zalo takes");
    }
    z.next += 1;
    let id = format!("{kind}-{}", z.next);
    z.uploads.push(Upload {
        kind: kind.to_string(),
        id: id.clone(),
        body: body.to_vec(),
    });
    let data = if kind == "image" {
        json!({ "attachment_id": id })
    } else {
        json!({ "token": id })
    };
    Json(json!({ "error": 0, "message": "Success", "data": data }))
}

async fn file() -> Vec<u8> {
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 a photo".to_vec()
}

/// `GET /v3.0/oa/user/detail?data={"user_id":…}`: the profile's display name.
async fn user_detail(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Json<Value> {
    let mut z = inner.lock().unwrap();
    z.profile_calls += 1;
    if !z.valid_access.contains(&token_of(&headers)) {
        return error(-216, "Access token is invalid");
    }
    let data: Value = query
        .get("data")
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_default();
    let Some(user) = data.get("user_id").and_then(Value::as_str) else {
        return error(-201, "Parameters are invalid");
    };
    match z.names.get(user) {
        Some(name) => Json(json!({ "error": 0, "message": "Success",
            "data": { "user_id": user, "display_name": name, "user_is_follower": true } })),
        None => error(-213, "User has not interacted with the OA"),
    }
}

/// `POST /message/template` (ZNS, by phone): a template message; `tracking_id` and a phone
/// of the form 84… are required.
async fn zns_template(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let mut z = inner.lock().unwrap();
    if !z.valid_access.contains(&token_of(&headers)) {
        return error(-216, "Access token is invalid");
    }
    let phone = body["phone"].as_str().unwrap_or_default();
    if !phone.starts_with("84") || body["template_id"].as_str().is_none() {
        return error(-108, "Phone number is invalid");
    }
    if body["tracking_id"].as_str().is_none() || !body["template_data"].is_object() {
        return error(-1124, "Parameters are invalid");
    }
    z.next += 1;
    let id = format!("zns-{}", z.next);
    z.zns.push(body);
    Json(json!({ "error": 0, "message": "Success", "data": { "msg_id": id } }))
}
