//! The real `cskh run --webhook` process: the webhook is set with its secret, a request
//! without the right secret is refused, an update is answered 200 only once it is committed,
//! and the same update posted twice is handled once.

use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::fake_api::{ChatRef, FakeBotApi, TgUser};
use crate::support::STAFF_CHAT;

pub const SECRET: &str = "s3cret_token-for-tests";
/// The public address the tests' webhook is set to.
pub const HOOK: &str = "https://bot.example.test/telegram/hook";

/// A free local port (bound, then let go).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn start_webhook_bot(fake: &FakeBotApi, db: &str, port: u16) -> Child {
    crate::support::cskh_command(&["run", "--webhook", HOOK], &fake.url(), db)
        .env("WEBHOOK_SECRET", SECRET)
        .env("WEBHOOK_MAX_CONNECTIONS", "8")
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .spawn()
        .expect("the cskh binary starts")
}

/// One HTTP request: (status, body).
pub async fn request(
    port: u16,
    method: &str,
    path: &str,
    secret: Option<&str>,
    body: &str,
) -> Option<(u16, String)> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(secret) = secret {
        head.push_str(&format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.ok()?;
    s.write_all(body.as_bytes()).await.ok()?;
    let mut buf = String::new();
    tokio::time::timeout(Duration::from_secs(30), s.read_to_string(&mut buf))
        .await
        .ok()?
        .ok()?;
    let status = buf.split_whitespace().nth(1)?.parse().ok()?;
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

/// Waits until the process answers /readyz.
pub async fn wait_ready(port: u16) {
    for _ in 0..200 {
        if let Some((200, _)) = request(port, "GET", "/readyz", None, "").await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the bot never became ready on port {port}");
}

async fn count(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(pool).await.unwrap();
    n
}

#[tokio::test]
async fn a_webhook_refuses_a_wrong_secret_answers_only_after_the_commit_and_handles_a_repeat_once()
{
    let fake = FakeBotApi::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cskh.db").display());
    let port = free_port();
    let mut bot = start_webhook_bot(&fake, &db, port);
    wait_ready(port).await;

    // The webhook was set with its secret token, for the updates the bot handles.
    let set = fake
        .calls()
        .into_iter()
        .find(|c| c.method_lower == "setwebhook")
        .expect("setWebhook was called");
    assert_eq!(set.params["url"], HOOK);
    assert_eq!(set.params["secret_token"], SECRET);
    let connections = &set.params["max_connections"];
    assert!(connections == 8 || connections == "8", "{connections}");
    assert!(set.params["allowed_updates"]
        .to_string()
        .contains("callback_query"));

    let user = TgUser::new(7001, "Phạm Minh").lang("vi");
    let id = fake.push_text(&user, ChatRef::Private, "xin chào");
    let update: Value = fake.update_json(id);
    let body = update.to_string();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db).await.unwrap();
    let key_sql = format!("SELECT COUNT(*) FROM processed_updates WHERE key = 'tg:{id}'");

    // No secret, or a wrong one: refused, nothing handled.
    let (status, _) = request(port, "POST", "/telegram/hook", None, &body)
        .await
        .unwrap();
    assert_eq!(status, 401);
    let (status, _) = request(port, "POST", "/telegram/hook", Some("guess"), &body)
        .await
        .unwrap();
    assert_eq!(status, 401);
    assert_eq!(count(&pool, &key_sql).await, 0);

    // The right secret: the 200 comes once the update and its answer are committed.
    let (status, _) = request(port, "POST", "/telegram/hook", Some(SECRET), &body)
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        count(&pool, &key_sql).await,
        1,
        "the update is committed when 200 arrives"
    );
    let outbox_sql = "SELECT COUNT(*) FROM outbox WHERE address = '7001'";
    let answers = count(&pool, outbox_sql).await;
    assert!(answers >= 1, "the answer is committed when 200 arrives");
    let greeting = fake
        .wait_for_message(7001, "", Duration::from_secs(10))
        .await
        .expect("the answer reaches the customer");
    assert!(!greeting.text.is_empty());

    // Telegram posts the same update again: it is recognised, nothing is done twice.
    let (status, _) = request(port, "POST", "/telegram/hook", Some(SECRET), &body)
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(count(&pool, outbox_sql).await, answers);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.sent_messages(7001).len() as i64, answers, "sent once");

    // A staff member's message in the staff group is counted as staff's.
    let staff = TgUser::new(9001, "Lan").username("lan_cskh");
    let id = fake.push_text(
        &staff,
        ChatRef::Group(STAFF_CHAT),
        "khách này gọi lại sau nhé",
    );
    let body = fake.update_json(id).to_string();
    let (status, _) = request(port, "POST", "/telegram/hook", Some(SECRET), &body)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let (_, metrics) = request(port, "GET", "/metrics", None, "").await.unwrap();
    assert!(
        metrics.contains("cskh_updates_total{outcome=\"done\",from=\"staff\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("cskh_updates_total{outcome=\"duplicate\",from=\"customer\"} 1"),
        "{metrics}"
    );

    // Something that is not an update is refused, not retried forever.
    let (status, _) = request(port, "POST", "/telegram/hook", Some(SECRET), "{\"nope\":1}")
        .await
        .unwrap();
    assert_eq!(status, 400);

    let _ = bot.kill();
    let _ = bot.wait();
}

#[test]
fn a_webhook_connection_count_telegram_refuses_stops_the_start_with_a_clear_line() {
    for bad in ["0", "101", "many"] {
        let out = crate::support::cskh_command(
            &["run", "--webhook", HOOK],
            "http://127.0.0.1:9/",
            "sqlite::memory:",
        )
        .env("WEBHOOK_SECRET", SECRET)
        .env("WEBHOOK_MAX_CONNECTIONS", bad)
        .stderr(Stdio::piped())
        .output()
        .expect("the cskh binary runs");
        assert!(!out.status.success(), "{bad} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("max-connections") && err.contains(bad),
            "{bad}: {err}"
        );
    }
}
