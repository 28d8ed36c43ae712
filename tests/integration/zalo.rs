//! Zalo end to end: `app::run` with customers on a fake Zalo OA (events posted, signed, to the
//! webhook on the bot's HTTP server) and staff in the Telegram group of the fake Bot API.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cskh::channels::zalo::{self, ZaloSettings};
use cskh::dialogue::RequestStatus;
use cskh::engine::{Clock, Engine, ManualClock};
use cskh::policy::Params;
use cskh::store::Store;
use serde_json::{json, Value};
use tokio::sync::oneshot;

use crate::fake_api::{ChatRef, FakeBotApi, SentMessage, TgUser};
use crate::fake_zalo::{FakeZalo, ZaloSent, APP_ID, APP_SECRET, FIRST_REFRESH, OA_SECRET_KEY};
use crate::support::{date, memory_db, settings, shared_db, vn_morning, STAFF_CHAT};

const WAIT: Duration = Duration::from_secs(5);

async fn eventually<T>(mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(found) = check() {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn zalo_settings(zalo: &FakeZalo, first_refresh: &str) -> ZaloSettings {
    let mut s = ZaloSettings::new(APP_ID, OA_SECRET_KEY, APP_SECRET, first_refresh);
    s.api_url = zalo.url();
    s.oauth_url = zalo.url();
    s.zns_url = zalo.url();
    s
}

/// The bot running with Zalo customers and the Telegram staff group.
struct ZaloBot {
    tg: FakeBotApi,
    zalo: FakeZalo,
    engine: Engine,
    clock: Arc<ManualClock>,
    base: String,
    http: reqwest::Client,
    next_msg: std::sync::atomic::AtomicU64,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), cskh::app::RunError>>,
}

impl ZaloBot {
    async fn start() -> ZaloBot {
        ZaloBot::start_with(FIRST_REFRESH).await
    }

    async fn start_with(first_refresh: &str) -> ZaloBot {
        ZaloBot::start_configured(first_refresh, |_| {}).await
    }

    async fn start_configured(
        first_refresh: &str,
        configure: impl FnOnce(&mut ZaloSettings),
    ) -> ZaloBot {
        let store = Store::connect(&memory_db()).await.expect("database opens");
        let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
        let engine = Engine::new(store, settings(Params::default()), clock.clone());
        let tg = FakeBotApi::start().await;
        let zalo = FakeZalo::start().await;
        let mut zalo_config = zalo_settings(&zalo, first_refresh);
        configure(&mut zalo_config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(cskh::app::run(
            tg.bot(),
            engine.clone(),
            None,
            Some(zalo_config),
            false,
            listener,
            async move {
                let _ = stopped.await;
            },
        ));
        tg.wait_for_call(|c| c.is("getUpdates"), WAIT)
            .await
            .expect("the bot starts polling");
        ZaloBot {
            tg,
            zalo,
            engine,
            clock,
            base,
            http: reqwest::Client::new(),
            next_msg: std::sync::atomic::AtomicU64::new(1),
            stop: Some(stop),
            task,
        }
    }

    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let result = tokio::time::timeout(Duration::from_secs(8), &mut self.task)
            .await
            .expect("the bot stops within 8 s");
        result.expect("no panic").expect("the bot ran cleanly");
    }

    fn now_ms(&self) -> i64 {
        self.engine.clock.now().timestamp_millis()
    }

    /// Posts `body` to the webhook with this signature header; the answer's status.
    async fn post_raw(&self, body: &[u8], signature: Option<String>) -> u16 {
        let mut request = self
            .http
            .post(format!("{}/zalo/webhook", self.base))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(s) = signature {
            request = request.header("X-ZEvent-Signature", s);
        }
        request.send().await.unwrap().status().as_u16()
    }

    /// Posts an event signed as Zalo signs it.
    async fn post(&self, event: &Value) -> u16 {
        let body = serde_json::to_vec(event).unwrap();
        let ts = event["timestamp"].as_str().unwrap();
        let mac = zalo::signature(APP_ID, &body, ts, OA_SECRET_KEY);
        self.post_raw(&body, Some(format!("mac={mac}"))).await
    }

    /// A message event from `user`: `kind` (`text`, `image`, …) with `message` fields.
    fn event(&self, user: &str, kind: &str, mut message: Value) -> Value {
        let n = self
            .next_msg
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        message["msg_id"] = json!(format!("msg-{user}-{n}"));
        json!({
            "app_id": APP_ID,
            "event_name": format!("user_send_{kind}"),
            "sender": { "id": user },
            "recipient": { "id": "oa-579" },
            "message": message,
            "timestamp": self.now_ms().to_string(),
            "user_id_by_app": format!("app-{user}"),
        })
    }

    /// The first message to `user` after their first `after`, whose text has `contains`.
    async fn expect_after(&self, user: &str, after: usize, contains: &str) -> ZaloSent {
        let found = eventually(|| {
            self.zalo
                .sent_to(user)
                .into_iter()
                .skip(after)
                .find(|m| m.text.contains(contains))
        })
        .await;
        if let Some(found) = found {
            return found;
        }
        let got: Vec<String> = self
            .zalo
            .sent_to(user)
            .into_iter()
            .map(|m| m.text)
            .collect();
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT status, last_error FROM outbox WHERE channel = 'zalo' AND address = $1 \
             ORDER BY id",
        )
        .bind(user)
        .fetch_all(&self.engine.store.pool)
        .await
        .unwrap();
        panic!("{user} got no Zalo message with {contains:?}; they got: {got:#?}; rows: {rows:?}")
    }

    /// The customer types `text` on Zalo; the bot answers with `expect`.
    async fn say(&self, user: &str, text: &str, expect: &str) -> ZaloSent {
        let n = self.zalo.sent_to(user).len();
        let status = self
            .post(&self.event(user, "text", json!({ "text": text })))
            .await;
        assert_eq!(status, 200, "posting {text:?}");
        self.expect_after(user, n, expect).await
    }

    /// The customer taps the button whose data is `data` under `on` (Zalo sends its payload
    /// back as the user's text).
    async fn press(&self, user: &str, on: &ZaloSent, data: &str, expect: &str) -> ZaloSent {
        let payload = on
            .buttons
            .iter()
            .map(|(_, p)| p.clone())
            .find(|p| p.ends_with(&format!("[{data}]")))
            .unwrap_or_else(|| panic!("no button {data:?} under {:?}: {:?}", on.text, on.buttons));
        self.say(user, &payload, expect).await
    }

    async fn send_photo(&self, user: &str, name: &str, expect: &str) -> ZaloSent {
        let n = self.zalo.sent_to(user).len();
        let url = self.zalo.file_url(name);
        let event = self.event(
            user,
            "image",
            json!({ "text": "", "attachments": [{ "type": "image", "payload": { "url": url, "thumbnail": url } }] }),
        );
        assert_eq!(self.post(&event).await, 200);
        self.expect_after(user, n, expect).await
    }

    /// A message into the staff group after its first `after`, with `contains`.
    async fn staff_expect(&self, after: usize, contains: &str) -> SentMessage {
        let found = eventually(|| {
            self.tg
                .sent_messages(STAFF_CHAT)
                .into_iter()
                .skip(after)
                .find(|m| m.text.contains(contains))
        })
        .await;
        found.unwrap_or_else(|| {
            let got: Vec<String> = self
                .tg
                .sent_messages(STAFF_CHAT)
                .into_iter()
                .map(|m| m.text)
                .collect();
            panic!("the staff group got nothing with {contains:?}; it got: {got:#?}")
        })
    }

    /// A deferral for a family hardship (staff review) through to the card in the group.
    async fn review_deferral(&self, user: &str) -> (SentMessage, i64) {
        self.say(user, "/baoluu", "Số hóa đơn đã thanh toán").await;
        self.say(user, "HD-2026-0012", "Bạn đóng chi phí thi công ngày nào")
            .await;
        self.say(user, "01/10/2026", "Lịch thi công hiện tại").await;
        let ask_reason = self.say(user, "05/12/2026", "Vì sao bạn cần bảo lưu").await;
        let ask_confirmation = self
            .press(user, &ask_reason, "r:economic_family", "giấy tờ xác nhận")
            .await;
        assert!(
            ask_confirmation
                .buttons
                .iter()
                .any(|(_, p)| p.ends_with("[c:none]")),
            "{ask_confirmation:?}"
        );
        self.send_photo(user, "so-ho-ngheo.jpg", "Bạn muốn thi công vào ngày nào")
            .await;
        let summary = self
            .say(user, "20/01/2027", "Bạn xem lại yêu cầu bảo lưu")
            .await;
        assert!(summary.text.contains("HD-2026-0012"), "{}", summary.text);
        self.press(user, &summary, "f:ok", "cần nhân viên xem xét")
            .await;
        let card = self.staff_expect(0, "CẦN DUYỆT").await;
        let approve = card.reply_markup["inline_keyboard"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row.as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["callback_data"].as_str().map(str::to_string))
            .find(|d| d.starts_with("s:a:"))
            .expect("an approve button on the card");
        (card, approve[4..].parse().unwrap())
    }
}

const LAN: &str = "8435761203948812001";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zalo_customers_deferral_reaches_the_telegram_group_and_the_staff_approval_goes_back_by_zalo(
) {
    let bot = ZaloBot::start().await;
    let (card, id) = bot.review_deferral(LAN).await;
    assert!(
        card.text.contains("Zalo id 8435761203948812001"),
        "{}",
        card.text
    );
    // The customer's photo reached staff (by its address), after being kept with the request.
    let photo = bot.zalo.file_url("so-ho-ngheo.jpg");
    eventually(|| {
        bot.tg
            .sent_messages(STAFF_CHAT)
            .into_iter()
            .find(|m| m.params["photo"] == photo.as_str())
    })
    .await
    .expect("the customer's photo reaches staff");
    let req = bot.engine.store.request(id).await.unwrap().unwrap();
    assert_eq!(req.confirmation().unwrap().file_id, photo);

    let hoa = TgUser::new(9001, "Hoa").username("hoa_cskh");
    bot.tg.set_member(STAFF_CHAT, hoa.id, "member");
    let before = bot.zalo.sent_to(LAN).len();
    bot.tg.push_callback(
        &hoa,
        ChatRef::Group(STAFF_CHAT),
        card.message_id,
        &format!("s:a:{id}"),
    );
    let told = bot.expect_after(LAN, before, "Nhân viên đã duyệt").await;
    assert!(told.text.contains("20/01/2027"), "{}", told.text);
    let req = bot.engine.store.request(id).await.unwrap().unwrap();
    assert_eq!(req.status, RequestStatus::StaffApproved);
    // One refresh at the first send, its pair used for every message.
    assert_eq!(bot.zalo.refresh_uses(), vec![FIRST_REFRESH.to_string()]);
    assert!(bot.zalo.all_sent().iter().all(|m| m.access_token == "at-1"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_missing_or_old_signature_is_refused_and_bad_json_or_unknown_events_store_nothing()
{
    let bot = ZaloBot::start().await;
    let event = bot.event(LAN, "text", json!({ "text": "bảo lưu" }));
    let body = serde_json::to_vec(&event).unwrap();
    let ts = event["timestamp"].as_str().unwrap();
    let forged = zalo::signature(APP_ID, &body, ts, "not-the-key");
    assert_eq!(
        bot.post_raw(&body, Some(format!("mac={forged}"))).await,
        401
    );
    assert_eq!(bot.post_raw(&body, None).await, 401);
    let mut tampered = body.clone();
    let right = zalo::signature(APP_ID, &body, ts, OA_SECRET_KEY);
    tampered.extend_from_slice(b" ");
    assert_eq!(
        bot.post_raw(&tampered, Some(format!("mac={right}"))).await,
        401
    );
    // Signed right, but an hour ago: a replay.
    let mut old = event.clone();
    old["timestamp"] = json!((bot.now_ms() - 3_600_000).to_string());
    assert_eq!(bot.post(&old).await, 401);
    assert_eq!(bot.post_raw(b"{not json", Some("mac=00".into())).await, 400);
    let receipt = json!({ "app_id": APP_ID, "event_name": "user_seen_message",
        "sender": { "id": "oa-579" }, "recipient": { "id": LAN },
        "message": { "msg_ids": ["x"] }, "timestamp": bot.now_ms().to_string() });
    assert_eq!(bot.post(&receipt).await, 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let customer = bot
        .engine
        .store
        .customer_of_identity("zalo", LAN)
        .await
        .unwrap();
    assert_eq!(customer, None, "nothing refused was stored");
    assert_eq!(bot.engine.store.outbox_counts().await.unwrap(), (0, 0, 0));
    // The same event, signed right, is taken.
    assert_eq!(bot.post_raw(&body, Some(format!("mac={right}"))).await, 200);
    bot.expect_after(LAN, 0, "Số hóa đơn").await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_posted_twice_is_handled_once() {
    let bot = ZaloBot::start().await;
    let event = bot.event(LAN, "text", json!({ "text": "xin chào" }));
    assert_eq!(bot.post(&event).await, 200);
    bot.expect_after(LAN, 0, "").await;
    assert_eq!(bot.post(&event).await, 200);
    // Anything the second post would cause is sent by now.
    bot.say(LAN, "/trangthai", "").await;
    let texts: Vec<String> = bot.zalo.sent_to(LAN).into_iter().map(|m| m.text).collect();
    assert_eq!(
        texts.len(),
        2,
        "one answer to the greeting, one to /trangthai: {texts:#?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_access_token_is_refreshed_and_the_message_sent_with_the_new_one() {
    let bot = ZaloBot::start().await;
    bot.say(LAN, "xin chào", "").await;
    bot.zalo.expire_access_tokens();
    let sent = bot.say(LAN, "/baoluu", "Số hóa đơn").await;
    assert_eq!(sent.access_token, "at-2");
    assert_eq!(
        bot.zalo.refresh_uses(),
        vec![FIRST_REFRESH.to_string(), "rt-1".to_string()]
    );
    let stored = bot.engine.store.zalo_tokens(APP_ID).await.unwrap().unwrap();
    assert_eq!(
        (stored.access_token.as_str(), stored.refresh_token.as_str()),
        ("at-2", "rt-2")
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_outside_the_free_window_goes_to_staff_as_a_call_request() {
    let bot = ZaloBot::start().await;
    let (card, id) = bot.review_deferral(LAN).await;
    let sent_before = bot.zalo.sent_to(LAN).len();
    // Staff decide two days later: the customer's last message was 49 hours ago.
    bot.clock.advance(chrono::Duration::hours(49));
    let hoa = TgUser::new(9001, "Hoa");
    bot.tg.set_member(STAFF_CHAT, hoa.id, "member");
    let staff_before = bot.tg.sent_messages(STAFF_CHAT).len();
    bot.tg.push_callback(
        &hoa,
        ChatRef::Group(STAFF_CHAT),
        card.message_id,
        &format!("s:a:{id}"),
    );
    let call = bot.staff_expect(staff_before, "Hãy gọi cho khách").await;
    assert!(call.text.contains("Nhân viên đã duyệt"), "{}", call.text);
    assert!(
        call.text.contains("Zalo id 8435761203948812001"),
        "{}",
        call.text
    );
    assert_eq!(
        bot.zalo.sent_to(LAN).len(),
        sent_before,
        "nothing went by Zalo"
    );
    // Zalo's own refusal (-213) is taken the same way.
    let tuan = "8435761203948812002";
    bot.say(tuan, "xin chào", "").await;
    bot.zalo.refuse_as_outside(tuan);
    let staff_before = bot.tg.sent_messages(STAFF_CHAT).len();
    let event = bot.event(tuan, "text", json!({ "text": "/trangthai" }));
    assert_eq!(bot.post(&event).await, 200);
    bot.staff_expect(staff_before, "Hãy gọi cho khách").await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_who_unfollows_is_marked_unreachable_and_staff_are_told_to_phone() {
    let bot = ZaloBot::start().await;
    bot.say(LAN, "xin chào", "").await;
    let gone = json!({ "app_id": APP_ID, "event_name": "unfollow", "oa_id": "oa-579",
        "follower": { "id": LAN }, "source": "oa_profile", "timestamp": bot.now_ms().to_string() });
    assert_eq!(bot.post(&gone).await, 200);
    let told = bot.staff_expect(0, "bỏ theo dõi Zalo OA").await;
    assert!(told.text.contains(LAN), "{}", told.text);
    let id = bot
        .engine
        .store
        .customer_of_identity("zalo", LAN)
        .await
        .unwrap()
        .unwrap();
    let customer = bot.engine.store.customer(id).await.unwrap().unwrap();
    assert!(customer.unreachable);
    // Their cards say why in Zalo's words.
    let line = cskh::dialogue::Msg::new(
        cskh::dialogue::Part::new("card-unreachable").str("via", &customer.identity.channel),
    );
    let text = bot.engine.text(cskh::dialogue::Lang::Vi, &line);
    assert_eq!(text, "⚠️ Khách đã bỏ theo dõi Zalo OA: hãy gọi điện.");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_refresh_tells_staff_once_readyz_shows_it_and_messages_wait() {
    let bot = ZaloBot::start_with("rt-not-known").await;
    let first = bot.event(LAN, "text", json!({ "text": "xin chào" }));
    assert_eq!(bot.post(&first).await, 200);
    bot.staff_expect(0, "không làm mới được mã truy cập").await;
    let second = bot.event(LAN, "text", json!({ "text": "/baoluu" }));
    assert_eq!(bot.post(&second).await, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let told = bot
        .tg
        .sent_messages(STAFF_CHAT)
        .into_iter()
        .filter(|m| m.text.contains("không làm mới được mã truy cập"))
        .count();
    assert_eq!(told, 1, "staff are told once");
    let ready = bot
        .http
        .get(format!("{}/readyz", bot.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    assert!(ready.text().await.unwrap().contains("Zalo token"));
    assert!(bot.zalo.sent_to(LAN).is_empty());
    let (pending, _, failed) = bot.engine.store.outbox_counts().await.unwrap();
    assert!(
        pending >= 2 && failed == 0,
        "the answers wait: {pending} pending"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_refreshing_at_once_spend_the_refresh_token_once() {
    let zalo = FakeZalo::start().await;
    zalo.set_refresh_delay(Duration::from_millis(300));
    let db = shared_db().await;
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let mut processes = Vec::new();
    for _ in 0..2 {
        let store = Store::connect(&db.url).await.expect("database opens");
        let engine = Engine::new(store, settings(Params::default()), clock.clone());
        let transport = zalo::ZaloTransport::new(engine, zalo_settings(&zalo, FIRST_REFRESH));
        transport.tokens.seed().await.unwrap();
        processes.push(Arc::new(transport));
    }
    // Both start with no access token, then both are told theirs expired.
    let (a, b) = (processes[0].clone(), processes[1].clone());
    let (ta, tb) = tokio::join!(a.tokens.current(), b.tokens.current());
    let (ta, tb) = (ta.unwrap(), tb.unwrap());
    assert_eq!(
        ta, tb,
        "the second process took the pair the first one stored"
    );
    zalo.expire_access_tokens();
    let (ra, rb) = tokio::join!(a.tokens.replace(&ta), b.tokens.replace(&tb));
    assert_eq!(ra.unwrap(), rb.unwrap());
    let uses = zalo.refresh_uses();
    assert_eq!(uses, vec![FIRST_REFRESH.to_string(), "rt-1".to_string()]);
    drop(processes);
}

#[tokio::test]
async fn a_photo_for_a_zalo_customer_is_uploaded_first_and_sent_by_its_attachment_id() {
    use cskh::channels::{Channels, Content, File, Message};
    use cskh::dialogue::{Attachment, MediaKind};
    let zalo = FakeZalo::start().await;
    let store = Store::connect(&memory_db()).await.expect("database opens");
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let engine = Engine::new(store, settings(Params::default()), clock.clone());
    let transport = Arc::new(zalo::ZaloTransport::new(
        engine.clone(),
        zalo_settings(&zalo, FIRST_REFRESH),
    ));
    let now = clock.now().timestamp();
    engine.store.zalo_user_wrote(LAN, now).await.unwrap();
    let photo = Content::Message(Message {
        file: Some(File::Received(Attachment {
            kind: MediaKind::Photo,
            file_id: zalo.file_url("truoc-sau.jpg"),
            file_name: None,
        })),
        ..Message::text("Ảnh sau khi thi công ạ")
    });
    sqlx::query(
        "INSERT INTO outbox (channel, address, payload, next_attempt_at, created_at) \
         VALUES ('zalo', $1, $2, $3, $3)",
    )
    .bind(LAN)
    .bind(serde_json::to_string(&photo).unwrap())
    .bind(now)
    .execute(&engine.store.pool)
    .await
    .unwrap();
    let delivery = cskh::delivery::Delivery::new(
        engine.clone(),
        Channels::new().with(zalo::CHANNEL, transport),
    );
    delivery.flush().await;
    let uploads = zalo.uploads();
    assert_eq!(uploads.len(), 1);
    let sent = zalo.sent_to(LAN);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].attachment_id.as_deref(), Some(uploads[0].as_str()));
    assert_eq!(sent[0].text, "Ảnh sau khi thi công ạ");
    assert_eq!(engine.store.zalo_window(LAN).await.unwrap(), Some((now, 1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zalo_customers_eligible_refund_is_approved_from_the_telegram_group() {
    let bot = ZaloBot::start().await;
    let tam = "8435761203948812003";
    bot.say(tam, "/hoantien", "Số hóa đơn đã thanh toán").await;
    bot.say(tam, "HD-2026-0301", "Bạn đóng chi phí thi công ngày nào")
        .await;
    let ask_done = bot
        .say(tam, "01/10/2026", "Công ty đã thi công cho bạn chưa")
        .await;
    let ask_cause = bot
        .press(tam, &ask_done, "rd:no", "Vì sao bạn muốn hoàn tiền")
        .await;
    let ask_notice = bot
        .press(tam, &ask_cause, "rc:company", "Công ty có báo cho bạn")
        .await;
    bot.press(tam, &ask_notice, "rn:no", "Bạn kể ngắn gọn lý do")
        .await;
    let summary = bot
        .say(
            tam,
            "Đã gần 2 tháng mà chưa ai gọi hẹn lịch.",
            "Bạn xem lại yêu cầu hoàn trả",
        )
        .await;
    bot.press(
        tam,
        &summary,
        "f:ok",
        "đủ điều kiện và đã được chuyển cho nhân viên",
    )
    .await;
    let card = bot.staff_expect(0, "hoàn trả · CẦN DUYỆT").await;
    assert!(card.text.contains("💬 Zalo id"), "{}", card.text);
    let id: i64 = card.reply_markup["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .and_then(|d| d.strip_prefix("s:a:"))
        .and_then(|d| d.parse().ok())
        .expect("the approve button first");
    let hoa = TgUser::new(9001, "Hoa");
    bot.tg.set_member(STAFF_CHAT, hoa.id, "member");
    let before = bot.zalo.sent_to(tam).len();
    bot.tg.push_callback(
        &hoa,
        ChatRef::Group(STAFF_CHAT),
        card.message_id,
        &format!("s:a:{id}"),
    );
    bot.expect_after(tam, before, &format!("HT-{id:06}")).await;
    let req = bot.engine.store.request(id).await.unwrap().unwrap();
    assert_eq!(req.status, RequestStatus::StaffApproved);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zalo_customers_complaint_with_a_typed_phone_is_answered_by_staff_replying_to_its_card() {
    let bot = ZaloBot::start().await;
    let minh = "8435761203948812004";
    let ask = bot
        .say(minh, "/khieunai", "Khiếu nại của bạn về việc gì?")
        .await;
    bot.press(minh, &ask, "k:quality", "Bạn kể lại sự việc")
        .await;
    let ask = bot
        .say(
            minh,
            "Thợ lắp điều hòa làm nứt tường phòng khách, hẹn quay lại sửa mà không thấy ai.",
            "Mình đã ghi lại lời kể của bạn",
        )
        .await;
    let ask = bot
        .press(minh, &ask, "kd:done", "Số hóa đơn liên quan")
        .await;
    let ask = bot.press(minh, &ask, "ki:none", "Mức độ cần xử lý").await;
    let ask_phone = bot
        .press(
            minh,
            &ask,
            "ku:urgent",
            "Số điện thoại để nhân viên gọi lại",
        )
        .await;
    // No phone-sharing button on Zalo: the customer is asked to type it, and types it.
    assert!(
        ask_phone.text.contains("gõ số di động vào ô chat")
            && !ask_phone.text.contains("nút chia sẻ"),
        "{}",
        ask_phone.text
    );
    let again = bot
        .say(minh, "e ko co sdt", "Nhân viên cần một số điện thoại")
        .await;
    assert!(!again.text.contains("nút chia sẻ"), "{}", again.text);
    let ask = bot
        .say(minh, "0912 345 678", "Bạn đồng ý để nhân viên gọi cho bạn")
        .await;
    let opened = bot.press(minh, &ask, "kc:yes", "đã được ghi nhận").await;
    assert!(opened.text.contains("KN-000001"), "{}", opened.text);
    let card = bot.staff_expect(0, "📣 KN-000001").await;
    assert!(
        card.text.contains("+84912345678"),
        "the typed phone is on the card: {}",
        card.text
    );
    assert!(card.text.contains("💬 Zalo id"), "{}", card.text);

    let hoa = TgUser::new(9001, "Hoa").username("hoa_cskh");
    bot.tg.set_member(STAFF_CHAT, hoa.id, "member");
    let card_msg = bot.tg.message(STAFF_CHAT, card.message_id).unwrap();
    let before = bot.zalo.sent_to(minh).len();
    crate::telegram::push_staff_text(
        &bot.tg,
        &hoa,
        None,
        Some(card_msg),
        "Anh Minh ơi, mai 9 giờ thợ qua sửa tường nhé.",
    );
    let relayed = bot
        .expect_after(minh, before, "💬 Quang Mobile (KN-000001)")
        .await;
    assert!(relayed.text.contains("mai 9 giờ"), "{}", relayed.text);
    bot.stop().await;
}

/// Posts a signed event to a bot at `base` until it answers 200 or `until` passes; whether
/// it was acknowledged.
async fn post_until_ok(http: &reqwest::Client, base: &str, event: &Value, until: Instant) -> bool {
    let body = serde_json::to_vec(event).unwrap();
    let ts = event["timestamp"].as_str().unwrap();
    let mac = zalo::signature(APP_ID, &body, ts, OA_SECRET_KEY);
    while Instant::now() < until {
        let answer = http
            .post(format!("{base}/zalo/webhook"))
            .header("X-ZEvent-Signature", format!("mac={mac}"))
            .body(body.clone())
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        if answer.is_ok_and(|a| a.status().as_u16() == 200) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// The real `cskh run` with Zalo customers, SIGKILLed at random moments while they write
/// (each event posted again until the bot answers 200, as a sender that retries would): every
/// event acknowledged is handled, and every answer is sent in the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_with_zalo_customers_killed_at_random_moments_loses_nothing() {
    let rounds = std::env::var("KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8u64);
    let customers = 12u64;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    eprintln!("zalo kill test: {rounds} rounds, {customers} customers, seed {seed}");
    let mut rng = seed;
    let mut below = |n: u64| {
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        rng.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    };
    let dir = tempfile::tempdir().unwrap();
    let db = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("zalo-kill.db").display()
    );
    let tg = FakeBotApi::start().await;
    let fake = FakeZalo::start().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let start = || {
        crate::support::cskh_command(&["run"], &tg.url(), &db)
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("ZALO_APP_ID", APP_ID)
            .env("ZALO_OA_SECRET_KEY", OA_SECRET_KEY)
            .env("ZALO_APP_SECRET", APP_SECRET)
            .env("ZALO_REFRESH_TOKEN", FIRST_REFRESH)
            .env("ZALO_API_URL", fake.url())
            .env("ZALO_OAUTH_URL", fake.url())
            // Answers held back by the kills (a killed sender's lease runs out after 10 s) all go
            // after the customers' last messages: more than Zalo's 8 would go to staff as call
            // requests. This test counts what is lost, so the count is not the limit here.
            .env("ZALO_WINDOW_REPLIES", "1000")
            .spawn()
            .expect("the cskh binary starts")
    };
    let http = reqwest::Client::new();
    let steps = ["/baoluu", "HD-2026-0012", "01/11/2026", "/huy"];
    let mut n = 0u64;
    let mut event = |user: &str, text: &str| {
        n += 1;
        json!({
            "app_id": APP_ID, "event_name": "user_send_text",
            "sender": { "id": user }, "recipient": { "id": "oa-579" },
            "message": { "msg_id": format!("kill-{n}"), "text": text },
            "timestamp": chrono::Utc::now().timestamp_millis().to_string(),
        })
    };
    // The first token is taken before the kills start (a kill between Zalo's answer to a
    // refresh and its commit would lose the new pair: see the README).
    let mut bot = start();
    let first = event("841000", "xin chào");
    assert!(post_until_ok(&http, &base, &first, Instant::now() + WAIT * 2).await);
    eventually(|| (!fake.sent_to("841000").is_empty()).then_some(())).await;
    bot.kill().unwrap();
    bot.wait().unwrap();
    let users: Vec<String> = (0..customers).map(|i| format!("8420000{i:02}")).collect();
    let mut waiting: Vec<Value> = Vec::new();
    let mut acked: Vec<String> = vec!["kill-1".into()];
    let mut kills = 0;
    for round in 0..rounds as usize {
        for u in &users {
            waiting.push(event(u, steps[round % steps.len()]));
        }
        let mut bot = start();
        let until = Instant::now() + Duration::from_millis(300 + below(1000));
        let mut left = Vec::new();
        for e in waiting.drain(..) {
            if post_until_ok(&http, &base, &e, until).await {
                acked.push(e["message"]["msg_id"].as_str().unwrap().to_string());
            } else {
                left.push(e);
            }
        }
        waiting = left;
        tokio::time::sleep(until.saturating_duration_since(Instant::now())).await;
        bot.kill().unwrap();
        bot.wait().unwrap();
        kills += 1;
    }
    // Once more, left to finish.
    let mut bot = start();
    let until = Instant::now() + Duration::from_secs(30);
    for e in waiting.drain(..) {
        assert!(
            post_until_ok(&http, &base, &e, until).await,
            "the last run takes every event"
        );
        acked.push(e["message"]["msg_id"].as_str().unwrap().to_string());
    }
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let pending = loop {
        let (p,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
            .fetch_one(&pool)
            .await
            .unwrap();
        if p == 0 || Instant::now() > deadline {
            break p;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    bot.kill().unwrap();
    bot.wait().unwrap();
    let keys: Vec<(String,)> = sqlx::query_as("SELECT key FROM processed_updates")
        .fetch_all(&pool)
        .await
        .unwrap();
    let handled: std::collections::HashSet<String> = keys
        .into_iter()
        .filter_map(|(k,)| k.strip_prefix("zalo:").map(str::to_string))
        .collect();
    let lost: Vec<&String> = acked.iter().filter(|k| !handled.contains(*k)).collect();
    let (failed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT channel, status, last_error FROM outbox WHERE status <> 'sent' LIMIT 10",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    if !rows.is_empty() {
        eprintln!("zalo kill test: rows not sent: {rows:?}");
    }
    let answered = users.iter().filter(|u| !fake.sent_to(u).is_empty()).count();
    eprintln!(
        "zalo kill test: {} events acknowledged, {kills} kills, {} lost, {} messages sent to \
         Zalo, {pending} unsent, {failed} failed",
        acked.len(),
        lost.len(),
        fake.all_sent().len()
    );
    assert!(
        lost.is_empty(),
        "acknowledged and never handled: {lost:?} (seed {seed})"
    );
    assert_eq!(
        (pending, failed),
        (0, 0),
        "every answer is sent (seed {seed})"
    );
    assert_eq!(answered, users.len());
    assert!(
        fake.all_sent().len() >= acked.len(),
        "at least one answer per event"
    );
}

#[tokio::test]
async fn a_users_message_opens_their_window_again_with_no_replies_counted() {
    let store = Store::connect(&memory_db()).await.unwrap();
    store.zalo_user_wrote(LAN, 100).await.unwrap();
    store.zalo_replied(LAN).await.unwrap();
    store.zalo_replied(LAN).await.unwrap();
    assert_eq!(store.zalo_window(LAN).await.unwrap(), Some((100, 2)));
    store.zalo_user_wrote(LAN, 100).await.unwrap();
    assert_eq!(store.zalo_window(LAN).await.unwrap(), Some((100, 0)));
    store.zalo_replied(LAN).await.unwrap();
    store.zalo_user_wrote(LAN, 160).await.unwrap();
    assert_eq!(store.zalo_window(LAN).await.unwrap(), Some((160, 0)));
    // A late event (posted again after a newer one) does not move the window back.
    store.zalo_user_wrote(LAN, 150).await.unwrap();
    assert_eq!(store.zalo_window(LAN).await.unwrap(), Some((160, 0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_zalo_customer_is_shown_by_their_profile_name_and_a_new_follower_is_greeted() {
    let bot = ZaloBot::start().await;
    // The first send takes the access token: before it, no profile can be asked for.
    bot.say(LAN, "xin chào", "").await;
    let name_of = |user: &'static str| {
        let store = bot.engine.store.clone();
        async move {
            let id = store
                .customer_of_identity("zalo", user)
                .await
                .unwrap()
                .expect("a customer");
            store.customer(id).await.unwrap().unwrap().name
        }
    };
    assert_eq!(name_of(LAN).await, "Zalo …2001");

    let thu = "8435761203948812010";
    bot.zalo.set_name(thu, "Nguyễn Thị Thu");
    let follow = json!({ "app_id": APP_ID, "event_name": "follow", "oa_id": "oa-579",
        "follower": { "id": thu }, "source": "oa_profile",
        "timestamp": bot.now_ms().to_string() });
    assert_eq!(bot.post(&follow).await, 200);
    let greeting = bot.expect_after(thu, 0, "Xin chào").await;
    assert!(!greeting.buttons.is_empty(), "the menu comes with it");
    assert_eq!(bot.post(&follow).await, 200, "posted again");
    assert_eq!(name_of(thu).await, "Nguyễn Thị Thu");
    // Later messages keep the name, and ask Zalo no more.
    let calls = bot.zalo.profile_calls();
    bot.say(thu, "/trangthai", "").await;
    assert_eq!(bot.zalo.profile_calls(), calls);
    assert_eq!(name_of(thu).await, "Nguyễn Thị Thu");
    assert_eq!(
        bot.zalo
            .sent_to(thu)
            .iter()
            .filter(|m| m.text.contains("Xin chào"))
            .count(),
        1,
        "greeted once"
    );
    // A user whose profile Zalo does not give is shown as before.
    let vy = "8435761203948812011";
    bot.say(vy, "xin chào", "").await;
    assert_eq!(name_of(vy).await, "Zalo …2011");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_staff_send_from_telegram_reach_a_zalo_customer_as_files_or_as_a_clear_note() {
    use cskh::channels::telegram::TelegramFiles;
    use cskh::channels::{Channels, Content, File, Message};
    use cskh::dialogue::{Attachment, Input, MediaKind};
    use cskh::engine::Incoming;
    use cskh::store::SeenUser;
    let zalo = FakeZalo::start().await;
    let tg = FakeBotApi::start().await;
    let store = Store::connect(&memory_db()).await.expect("database opens");
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let engine = Engine::new(store, settings(Params::default()), clock.clone());
    let transport = Arc::new(
        zalo::ZaloTransport::new(engine.clone(), zalo_settings(&zalo, FIRST_REFRESH))
            .with_files(Arc::new(TelegramFiles::new(tg.bot()))),
    );
    let now = clock.now().timestamp();
    engine.store.zalo_user_wrote(LAN, now).await.unwrap();
    engine
        .handle(Incoming {
            key: Some("zalo:files-1".into()),
            user: SeenUser {
                channel: "zalo".into(),
                external_id: LAN.into(),
                address: LAN.into(),
                name: "Lan".into(),
                username: None,
                lang: cskh::dialogue::Lang::Vi,
            },
            input: Input::Text("xin chào".into()),
        })
        .await
        .unwrap();
    let customer = engine
        .store
        .customer_of_identity("zalo", LAN)
        .await
        .unwrap()
        .unwrap();
    // What staff sent from Telegram, by its Telegram file id.
    let staff_file = |kind: MediaKind, file_id: &str, name: Option<&str>, text: &str| {
        Content::Message(Message {
            file: Some(File::Received(Attachment {
                kind,
                file_id: file_id.into(),
                file_name: name.map(str::to_string),
            })),
            ..Message::text(text)
        })
    };
    for content in [
        staff_file(
            MediaKind::Photo,
            "AgACAgI-after.jpg",
            None,
            "Ảnh sau khi sửa ạ",
        ),
        staff_file(
            MediaKind::Document,
            "BQACAgI-invoice",
            Some("hoa-don-HD-2026-0012.pdf"),
            "Hóa đơn của anh chị",
        ),
        staff_file(MediaKind::Video, "BAACAgI-video", None, "Video hướng dẫn"),
    ] {
        sqlx::query(
            "INSERT INTO outbox (channel, address, customer_id, payload, next_attempt_at, created_at) \
             VALUES ('zalo', $1, $2, $3, $4, $4)",
        )
        .bind(LAN)
        .bind(customer)
        .bind(serde_json::to_string(&content).unwrap())
        .bind(now)
        .execute(&engine.store.pool)
        .await
        .unwrap();
    }
    let delivery = cskh::delivery::Delivery::new(
        engine.clone(),
        Channels::new().with(zalo::CHANNEL, transport),
    );
    delivery.flush().await;

    let uploads = zalo.all_uploads();
    assert_eq!(uploads.len(), 2, "{uploads:?}");
    assert_eq!(uploads[0].kind, "image");
    let body = String::from_utf8_lossy(&uploads[0].body);
    assert!(
        body.contains("fake file content of files") && body.contains("AgACAgI-after.jpg"),
        "the photo's own bytes, fetched from Telegram: {body}"
    );
    assert_eq!(uploads[1].kind, "file");
    let body = String::from_utf8_lossy(&uploads[1].body);
    assert!(body.contains("hoa-don-HD-2026-0012.pdf"), "{body}");
    assert!(body.contains("fake file content of files") && body.contains("BQACAgI-invoice"));
    let sent = zalo.sent_to(LAN);
    let photo = sent.iter().find(|m| m.text == "Ảnh sau khi sửa ạ").unwrap();
    assert_eq!(photo.attachment_id.as_deref(), Some(uploads[0].id.as_str()));
    let doc = sent
        .iter()
        .find(|m| m.text == "Hóa đơn của anh chị")
        .unwrap();
    assert_eq!(doc.file_token.as_deref(), Some(uploads[1].id.as_str()));
    assert!(!doc.text.contains("📎"), "the file itself, not its name");
    // A video Zalo cannot take: the customer is told what was sent and that staff will call;
    // staff are asked to.
    let video = sent
        .iter()
        .find(|m| m.text.starts_with("Video hướng dẫn"))
        .unwrap();
    assert!(
        video.text.contains("một video")
            && video.text.contains("Zalo không nhận được")
            && video.text.contains("Nhân viên sẽ gọi cho bạn"),
        "{}",
        video.text
    );
    let staff: Vec<(String,)> =
        sqlx::query_as("SELECT payload FROM outbox WHERE channel = 'telegram' ORDER BY id")
            .fetch_all(&engine.store.pool)
            .await
            .unwrap();
    let told: Vec<&String> = staff
        .iter()
        .map(|(p,)| p)
        .filter(|p| p.contains("chưa nhận được video"))
        .collect();
    assert_eq!(told.len(), 1, "{staff:?}");
    assert!(told[0].contains("Zalo id"), "{}", told[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_reply_days_later_goes_as_its_zns_template_to_the_phone_the_customer_gave() {
    let bot = ZaloBot::start_configured(FIRST_REFRESH, |z| {
        z.zns_templates = zalo::parse_zns_templates("staff_reply=345678, reminder=123456").unwrap();
    })
    .await;
    let minh = "8435761203948812004";
    let ask = bot
        .say(minh, "/khieunai", "Khiếu nại của bạn về việc gì?")
        .await;
    bot.press(minh, &ask, "k:quality", "Bạn kể lại sự việc")
        .await;
    let ask = bot
        .say(
            minh,
            "Thợ lắp điều hòa làm nứt tường phòng khách, hẹn quay lại sửa mà không thấy ai.",
            "Mình đã ghi lại lời kể của bạn",
        )
        .await;
    let ask = bot
        .press(minh, &ask, "kd:done", "Số hóa đơn liên quan")
        .await;
    let ask = bot.press(minh, &ask, "ki:none", "Mức độ cần xử lý").await;
    bot.press(minh, &ask, "ku:urgent", "Số điện thoại").await;
    let ask = bot
        .say(minh, "0912 345 678", "Bạn đồng ý để nhân viên gọi cho bạn")
        .await;
    bot.press(minh, &ask, "kc:yes", "đã được ghi nhận").await;
    let card = bot.staff_expect(0, "📣 KN-000001").await;

    // Three days later, past the free window.
    bot.clock.advance(chrono::Duration::hours(72));
    let hoa = TgUser::new(9001, "Hoa").username("hoa_cskh");
    bot.tg.set_member(STAFF_CHAT, hoa.id, "member");
    let card_msg = bot.tg.message(STAFF_CHAT, card.message_id).unwrap();
    let sent_before = bot.zalo.sent_to(minh).len();
    let staff_before = bot.tg.sent_messages(STAFF_CHAT).len();
    crate::telegram::push_staff_text(
        &bot.tg,
        &hoa,
        None,
        Some(card_msg),
        "Anh Minh ơi, thứ bảy 9 giờ thợ qua sửa tường nhé.",
    );
    let zns = eventually(|| bot.zalo.zns_sent().into_iter().next())
        .await
        .expect("the reply goes as its ZNS template");
    assert_eq!(zns["phone"], "84912345678");
    assert_eq!(zns["template_id"], "345678");
    let data = &zns["template_data"];
    assert_eq!(data["request"], "KN-000001", "{zns}");
    assert!(
        data["message"].as_str().unwrap().contains("thứ bảy 9 giờ"),
        "{zns}"
    );
    assert!(data["hotline"].as_str().is_some_and(|h| !h.is_empty()));
    assert!(zns["tracking_id"].as_str().is_some());
    // Not as a customer-service message, and no call request for it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(bot.zalo.sent_to(minh).len(), sent_before);
    let calls = bot
        .tg
        .sent_messages(STAFF_CHAT)
        .into_iter()
        .skip(staff_before)
        .filter(|m| m.text.contains("Hãy gọi cho khách"))
        .count();
    assert_eq!(calls, 0);
    let (_, _, failed) = bot.engine.store.outbox_counts().await.unwrap();
    assert_eq!(failed, 0, "the row went, as a template");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_outside_the_window_goes_by_zns_with_a_phone_and_to_staff_as_a_call_without() {
    use cskh::channels::{Channels, Content, Message};
    use cskh::dialogue::{Input, Notice, NoticeKind};
    use cskh::engine::Incoming;
    use cskh::store::SeenUser;
    let zalo = FakeZalo::start().await;
    let store = Store::connect(&memory_db()).await.expect("database opens");
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let engine = Engine::new(store, settings(Params::default()), clock.clone());
    let mut config = zalo_settings(&zalo, FIRST_REFRESH);
    config.zns_templates = zalo::parse_zns_templates("reminder=123456").unwrap();
    let delivery = cskh::delivery::Delivery::new(
        engine.clone(),
        Channels::new().with(
            zalo::CHANNEL,
            Arc::new(zalo::ZaloTransport::new(engine.clone(), config)),
        ),
    );
    let tuan = "8435761203948812002";
    let mut customers = Vec::new();
    for (user, name) in [(LAN, "Lan"), (tuan, "Tuấn")] {
        let now = clock.now().timestamp();
        engine.store.zalo_user_wrote(user, now).await.unwrap();
        engine
            .handle(Incoming {
                key: Some(format!("zalo:first-{user}")),
                user: SeenUser {
                    channel: "zalo".into(),
                    external_id: user.into(),
                    address: user.into(),
                    name: name.into(),
                    username: None,
                    lang: cskh::dialogue::Lang::Vi,
                },
                input: Input::Text("xin chào".into()),
            })
            .await
            .unwrap();
        let id = engine
            .store
            .customer_of_identity("zalo", user)
            .await
            .unwrap()
            .unwrap();
        customers.push(id);
    }
    // Lan gave her phone with a complaint; Tuấn never gave one.
    let now = clock.now().timestamp();
    sqlx::query(
        "INSERT INTO cases (customer_id, category, description, phone, status, created_at, updated_at) \
         VALUES ($1, 'quality', 'nứt tường', '+84912345678', 'open', $2, $2)",
    )
    .bind(customers[0])
    .bind(now)
    .execute(&engine.store.pool)
    .await
    .unwrap();
    delivery.flush().await;
    let greeted = zalo.all_sent().len();
    assert_eq!(greeted, 2);

    clock.advance(chrono::Duration::hours(49));
    let now = clock.now().timestamp();
    let notice = |kind: NoticeKind, text: &str| {
        Content::Message(Message {
            notice: Some(
                Notice::new(kind)
                    .with("request", "BL-000012")
                    .with("date", "05/12/2026"),
            ),
            ..Message::text(text)
        })
    };
    let staff_rows = |pool: sqlx::AnyPool| async move {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT payload FROM outbox WHERE channel = 'telegram' ORDER BY id")
                .fetch_all(&pool)
                .await
                .unwrap();
        rows.into_iter().map(|(p,)| p).collect::<Vec<_>>()
    };
    let before = staff_rows(engine.store.pool.clone()).await.len();
    for (user, customer, content) in [
        (
            LAN,
            customers[0],
            notice(NoticeKind::Reminder, "Nhắc lịch BL-000012"),
        ),
        (
            tuan,
            customers[1],
            notice(NoticeKind::Reminder, "Nhắc lịch BL-000013"),
        ),
        (
            LAN,
            customers[0],
            notice(NoticeKind::Aftercare, "Hỏi thăm BL-000012"),
        ),
    ] {
        sqlx::query(
            "INSERT INTO outbox (channel, address, customer_id, payload, next_attempt_at, created_at) \
             VALUES ('zalo', $1, $2, $3, $4, $4)",
        )
        .bind(user)
        .bind(customer)
        .bind(serde_json::to_string(&content).unwrap())
        .bind(now)
        .execute(&engine.store.pool)
        .await
        .unwrap();
    }
    delivery.flush().await;

    assert_eq!(
        zalo.all_sent().len(),
        greeted,
        "nothing as a customer-service message"
    );
    let zns = zalo.zns_sent();
    assert_eq!(zns.len(), 1, "{zns:?}");
    assert_eq!(zns[0]["phone"], "84912345678");
    assert_eq!(zns[0]["template_id"], "123456");
    assert_eq!(zns[0]["template_data"]["request"], "BL-000012");
    assert_eq!(zns[0]["template_data"]["date"], "05/12/2026");
    assert_eq!(zns[0]["template_data"]["customer_name"], "Lan");
    // Tuấn's reminder (no phone) and Lan's check-in (no template for it): staff call.
    let calls: Vec<String> = staff_rows(engine.store.pool.clone())
        .await
        .into_iter()
        .skip(before)
        .filter(|p| p.contains("Hãy gọi cho khách"))
        .collect();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert!(calls.iter().any(|c| c.contains("Nhắc lịch BL-000013")));
    assert!(calls.iter().any(|c| c.contains("Hỏi thăm BL-000012")));
}
