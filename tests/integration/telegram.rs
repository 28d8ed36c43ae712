//! Telegram end to end: the real poller (`app::run_telegram`) polling a fake Bot API,
//! with the engine on an in-memory SQLite. What a customer or a staff member would notice is
//! read back from the calls the bot made.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use cskh::channels::telegram;
use cskh::dialogue::{Input, Lang, RequestStatus};
use cskh::engine::{Clock, Engine, Incoming, ManualClock, Settings};
use cskh::policy::Params;
use cskh::store::{SeenUser, Store};
use serde_json::{json, Value};
use teloxide::RequestError;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::fake_api::{ApiCall, ChatRef, Failure, FakeBotApi, SentMessage, TgUser};
use crate::support::{date, memory_db, settings, vn_morning, STAFF_CHAT};

/// The longest any single wait in these tests may take.
const WAIT: Duration = Duration::from_secs(5);

/// A clock that runs with real time from 09:00 in Vietnam on the test's day (for waits the
/// delivery measures on the engine clock, such as a 429's `retry_after`).
struct RunningClock {
    start: DateTime<Utc>,
    started: Instant,
}

impl Clock for RunningClock {
    fn now(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::from_std(self.started.elapsed()).unwrap()
    }
}

/// The bot running against a fake Bot API, until [`LiveBot::stop`].
struct LiveBot {
    fake: FakeBotApi,
    engine: Engine,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), RequestError>>,
}

impl LiveBot {
    /// Plain `Bot`, a clock standing at 09:00 on 24/11/2026, staff group [`STAFF_CHAT`].
    async fn start() -> LiveBot {
        let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
        LiveBot::start_with(false, clock, settings(Params::default())).await
    }

    async fn start_with(throttle: bool, clock: Arc<dyn Clock>, settings: Settings) -> LiveBot {
        let store = Store::connect(&memory_db()).await.expect("database opens");
        let engine = Engine::new(store, settings, clock);
        let fake = FakeBotApi::start().await;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(cskh::app::run_telegram(
            fake.bot(),
            engine.clone(),
            throttle,
            async move {
                let _ = stopped.await;
            },
        ));
        // The dispatcher only accepts a shutdown once it polls.
        fake.wait_for_call(|c| c.is("getUpdates"), WAIT)
            .await
            .expect("the bot starts polling");
        LiveBot {
            fake,
            engine,
            stop: Some(stop),
            task,
        }
    }

    /// Shuts the bot down and checks it stopped cleanly.
    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let result = tokio::time::timeout(Duration::from_secs(8), &mut self.task)
            .await
            .expect("the bot stops within 8 s");
        result
            .expect("the bot task did not panic")
            .expect("the bot ran without a request error");
    }

    fn count(&self, chat: i64) -> usize {
        self.fake.sent_messages(chat).len()
    }

    /// The first message into `chat`, after its first `after` ones, whose text has `contains`.
    async fn expect_after(&self, chat: i64, after: usize, contains: &str) -> SentMessage {
        let found = eventually(|| {
            self.fake
                .sent_messages(chat)
                .into_iter()
                .skip(after)
                .find(|m| m.text.contains(contains))
        })
        .await;
        found.unwrap_or_else(|| {
            panic!(
                "chat {chat} got no message with {contains:?} within {WAIT:?}; it got:\n{}",
                transcript(&self.fake.sent_messages(chat))
            )
        })
    }

    /// The customer types `text`; the bot answers with a message that has `expect`.
    async fn say(&self, user: &TgUser, text: &str, expect: &str) -> SentMessage {
        let n = self.count(user.id);
        self.fake.push_text(user, ChatRef::Private, text);
        self.expect_after(user.id, n, expect).await
    }

    /// The customer presses the button `data` under `on`; the bot answers with `expect`.
    async fn press(
        &self,
        user: &TgUser,
        on: &SentMessage,
        data: &str,
        expect: &str,
    ) -> SentMessage {
        assert!(
            buttons(on).iter().any(|d| d == data),
            "no button {data:?} under {:?}",
            on.text
        );
        let n = self.count(user.id);
        self.fake
            .push_callback(user, ChatRef::Private, on.message_id, data);
        self.expect_after(user.id, n, expect).await
    }

    /// A staff member presses `data` on the message `message_id` of the staff group; returns
    /// the text of the answer to the callback query.
    async fn staff_press(
        &self,
        staff: &TgUser,
        chat: ChatRef,
        message_id: i64,
        data: &str,
    ) -> String {
        let answered = self.answers().len();
        self.fake.push_callback(staff, chat, message_id, data);
        let answer = eventually(|| self.answers().into_iter().nth(answered)).await;
        let answer = answer.unwrap_or_else(|| panic!("the press of {data:?} was never answered"));
        answer.params["text"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn answers(&self) -> Vec<ApiCall> {
        calls_of(&self.fake, "answerCallbackQuery")
    }

    /// /baoluu through to the summary, with `reason` pressed and a photo as confirmation.
    async fn fill_deferral(&self, user: &TgUser, reason: &str, photo: &str) -> SentMessage {
        self.say(user, "/baoluu", "Số hóa đơn đã thanh toán").await;
        self.say(user, "HD-2026-0012", "Bạn đóng chi phí thi công ngày nào")
            .await;
        self.say(user, "01/10/2026", "Lịch thi công hiện tại").await;
        let ask_reason = self.say(user, "05/12/2026", "Vì sao bạn cần bảo lưu").await;
        let ask_confirmation = self
            .press(user, &ask_reason, reason, "giấy tờ xác nhận")
            .await;
        assert!(buttons(&ask_confirmation).contains(&"c:none".to_string()));
        let n = self.count(user.id);
        self.fake.push_photo(user, ChatRef::Private, photo, None);
        self.expect_after(user.id, n, "Bạn muốn thi công vào ngày nào")
            .await;
        let summary = self
            .say(user, "20/01/2027", "Bạn xem lại yêu cầu bảo lưu")
            .await;
        assert!(summary.text.contains("HD-2026-0012"), "{}", summary.text);
        summary
    }
}

/// Polls `check` every 20 ms until it gives a value or [`WAIT`] has passed.
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

fn calls_of(fake: &FakeBotApi, method: &str) -> Vec<ApiCall> {
    fake.calls().into_iter().filter(|c| c.is(method)).collect()
}

/// The callback data of every inline button of a message.
fn buttons(m: &SentMessage) -> Vec<String> {
    inline_buttons(&m.reply_markup)
}

fn inline_buttons(markup: &Value) -> Vec<String> {
    markup["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["callback_data"].as_str().map(str::to_string))
        .collect()
}

fn transcript(msgs: &[SentMessage]) -> String {
    msgs.iter()
        .map(|m| format!("  #{} {}: {}", m.message_id, m.method, m.text))
        .collect::<Vec<_>>()
        .join("\n")
}

fn customer(id: i64, name: &str) -> TgUser {
    TgUser::new(id, name).lang("vi")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_registers_the_command_list_in_vietnamese_and_english() {
    let bot = LiveBot::start().await;
    let calls = calls_of(&bot.fake, "setMyCommands");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    let commands = |c: &ApiCall| -> Vec<(String, String)> {
        c.params["commands"]
            .as_array()
            .expect("a command list")
            .iter()
            .map(|c| {
                (
                    c["command"].as_str().unwrap().to_string(),
                    c["description"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let vi = calls
        .iter()
        .find(|c| c.params.get("language_code").is_none())
        .expect("a default (Vietnamese) command list");
    let en = calls
        .iter()
        .find(|c| c.params["language_code"] == "en")
        .expect("an English command list");
    let names = [
        "start",
        "baoluu",
        "hoantien",
        "khieunai",
        "trangthai",
        "chinhsach",
        "lienhe",
        "huy",
        "menu",
        "language",
        "tatnhac",
        "batnhac",
        "help",
        "quyenriengtu",
        "dulieu",
        "xoadulieu",
    ];
    for (list, baoluu) in [
        (commands(vi), "Bảo lưu chi phí thi công (dời lịch)"),
        (commands(en), "Defer your paid job (move its date)"),
    ] {
        let got: Vec<&str> = list.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(got, names);
        assert!(list.iter().all(|(_, d)| !d.is_empty()));
        assert!(list.contains(&("baoluu".into(), baoluu.into())), "{list:?}");
    }
    // Start-up came before polling, so the first customer already sees the list.
    let first_poll = bot.fake.calls().iter().position(|c| c.is("getUpdates"));
    let last_commands = bot.fake.calls().iter().rposition(|c| c.is("setMyCommands"));
    assert!(last_commands < first_poll);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_with_an_illness_reaches_an_approval_and_staff_get_the_card_and_the_photo() {
    let bot = LiveBot::start().await;
    let lan = customer(5001, "Lan").username("lan_nguyen");

    let hello = bot.say(&lan, "/start", "Xin chào!").await;
    assert!(hello.text.contains("Bạn cần gì?"), "{}", hello.text);
    assert!(
        buttons(&hello).contains(&"m:defer".to_string()),
        "{:?}",
        hello.reply_markup
    );

    let summary = bot
        .fill_deferral(&lan, "r:illness", "photo-giay-kham-benh")
        .await;
    let decision = bot
        .press(&lan, &summary, "f:ok", "đã được chấp thuận")
        .await;
    assert!(decision.text.contains("20/01/2027"), "{}", decision.text);

    let card = bot
        .expect_after(STAFF_CHAT, 0, "ĐÃ CHẤP THUẬN (tự động)")
        .await;
    assert!(card.text.contains("HD-2026-0012"), "{}", card.text);
    assert!(card.text.contains("Lan"), "{}", card.text);
    assert!(
        buttons(&card).iter().all(|d| d.starts_with("s:d:")),
        "an approved request needs no staff decision, only the job-done button"
    );
    let photo = bot.expect_after(STAFF_CHAT, 0, "Giấy xác nhận của").await;
    assert!(photo.method.eq_ignore_ascii_case("sendPhoto"), "{photo:?}");
    assert_eq!(photo.params["photo"], "photo-giay-kham-benh");
    assert!(photo.message_id > card.message_id, "the card comes first");

    // Two buttons pressed (reason, confirm), two callback queries answered.
    let answers = bot.answers();
    assert_eq!(answers.len(), 2, "{answers:#?}");
    let ids: Vec<&Value> = answers
        .iter()
        .map(|a| &a.params["callback_query_id"])
        .collect();
    assert_ne!(ids[0], ids[1]);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_without_a_schedule_can_press_the_no_schedule_button() {
    let bot = LiveBot::start().await;
    let minh = customer(5002, "Minh");
    bot.say(&minh, "/baoluu", "Số hóa đơn").await;
    bot.say(&minh, "HD-2026-0099", "Bạn đóng chi phí").await;
    let ask = bot.say(&minh, "01/11/2026", "Lịch thi công hiện tại").await;
    bot.press(&minh, &ask, "s:none", "Vì sao bạn cần bảo lưu")
        .await;
    let answers = bot.answers();
    assert_eq!(answers.len(), 1);
    assert!(
        answers[0].params.get("text").is_none(),
        "a customer's button is answered without a toast: {:?}",
        answers[0].params
    );
    bot.stop().await;
}

/// Drives a customer to a request that needs review; returns (card, request id).
async fn review_request(bot: &LiveBot, user: &TgUser) -> (SentMessage, i64) {
    let summary = bot
        .fill_deferral(user, "r:economic_family", "photo-so-ho-ngheo")
        .await;
    bot.press(user, &summary, "f:ok", "cần nhân viên xem xét")
        .await;
    let card = bot.expect_after(STAFF_CHAT, 0, "CẦN DUYỆT").await;
    let data = buttons(&card);
    let approve = data
        .iter()
        .find(|d| d.starts_with("s:a:"))
        .unwrap_or_else(|| panic!("no approve button on the card: {data:?}"));
    let id: i64 = approve[4..].parse().expect("a numeric request id");
    assert!(data.contains(&format!("s:r:{id}")), "{data:?}");
    assert!(data.iter().all(|d| d.len() <= 64));
    // The customer's document follows the card: wait for it too, so that a test counting the
    // group's messages from here counts only what came after.
    let deadline = std::time::Instant::now() + WAIT;
    while !bot
        .fake
        .sent_messages(STAFF_CHAT)
        .iter()
        .any(|m| m.params["photo"] == "photo-so-ho-ngheo")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the customer's document never reached staff"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (card, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_approves_a_request_that_needs_review_from_the_group() {
    let bot = LiveBot::start().await;
    let hai = customer(5003, "Hải");
    let (card, id) = review_request(&bot, &hai).await;

    let hoa = TgUser::new(9001, "Hoa").username("hoa_cskh");
    bot.fake.set_member(STAFF_CHAT, hoa.id, "member");
    let before = bot.count(hai.id);
    let toast = bot
        .staff_press(
            &hoa,
            ChatRef::Group(STAFF_CHAT),
            card.message_id,
            &format!("s:a:{id}"),
        )
        .await;
    assert!(toast.starts_with("Đã duyệt"), "{toast:?}");
    assert!(toast.chars().count() <= 200, "a toast is short");

    let told = bot.expect_after(hai.id, before, "Nhân viên đã duyệt").await;
    assert!(told.text.contains("20/01/2027"), "{}", told.text);

    let edit = bot
        .fake
        .wait_for_call(|c| c.is("editMessageText"), WAIT)
        .await
        .expect("the card is edited");
    assert_eq!(edit.chat_id(), Some(STAFF_CHAT));
    assert_eq!(edit.params["message_id"], card.message_id);
    let now = bot.fake.message(STAFF_CHAT, card.message_id).unwrap();
    let text = now["text"].as_str().unwrap();
    assert!(text.contains("ĐÃ DUYỆT bởi Hoa (@hoa_cskh)"), "{text}");
    assert!(
        inline_buttons(&now["reply_markup"])
            .iter()
            .all(|d| d.starts_with("s:d:")),
        "the decided card has no decision buttons left, only the job-done one: {now}"
    );
    let req = bot.engine.store.request(id).await.unwrap().unwrap();
    assert_eq!(req.status, RequestStatus::StaffApproved);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_records_from_the_card_that_a_requests_customer_did_not_answer() {
    let bot = LiveBot::start().await;
    let hai = customer(5004, "Hải");
    let (card, id) = review_request(&bot, &hai).await;
    assert!(
        inline_buttons(&card.reply_markup).contains(&format!("s:n:{id}")),
        "{:?}",
        card.reply_markup
    );
    let hoa = TgUser::new(9001, "Hoa").username("hoa_cskh");
    bot.fake.set_member(STAFF_CHAT, hoa.id, "member");
    for n in 1..=2 {
        let toast = bot
            .staff_press(
                &hoa,
                ChatRef::Group(STAFF_CHAT),
                card.message_id,
                &format!("s:n:{id}"),
            )
            .await;
        assert!(
            toast.contains(&format!("không nghe máy (lần {n})")),
            "{toast:?}"
        );
    }
    // Each missed call starts a reminder to call again, beside the one owed since the request
    // came in.
    let again = bot
        .engine
        .store
        .pending_jobs()
        .await
        .unwrap()
        .iter()
        .filter(|(kind, _)| kind == "callback")
        .count();
    assert_eq!(again, 3, "call-back reminders");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_press_from_outside_the_staff_group_or_with_forged_data_changes_nothing() {
    let bot = LiveBot::start().await;
    let thu = customer(5004, "Thu");
    let (card, id) = review_request(&bot, &thu).await;
    let customer_msgs = bot.count(thu.id);
    let staff_msgs = bot.count(STAFF_CHAT);

    // Someone who left the group still has the card on screen.
    let tuan = TgUser::new(9002, "Tuấn");
    bot.fake.set_member(STAFF_CHAT, tuan.id, "left");
    let toast = bot
        .staff_press(
            &tuan,
            ChatRef::Group(STAFF_CHAT),
            card.message_id,
            &format!("s:a:{id}"),
        )
        .await;
    assert_eq!(toast, "Chỉ thành viên nhóm nhân viên mới được quyết định.");

    // A member, but the data is forged or the button is not on the staff card.
    let hoa = TgUser::new(9001, "Hoa");
    bot.fake.set_member(STAFF_CHAT, hoa.id, "member");
    for data in [
        "s:a:999999",
        "s:x:1",
        "garbage",
        &format!("s:a:{id}:extra"),
        "",
    ] {
        let toast = bot
            .staff_press(&hoa, ChatRef::Group(STAFF_CHAT), card.message_id, data)
            .await;
        assert_eq!(toast, "Nút này không hợp lệ.", "for {data:?}");
    }
    let toast = bot
        .staff_press(&hoa, ChatRef::Private, 1, &format!("s:r:{id}"))
        .await;
    assert_eq!(toast, "Chỉ thành viên nhóm nhân viên mới được quyết định.");
    // The customer forging a staff button in their own chat.
    let toast = bot
        .staff_press(&thu, ChatRef::Private, 1, &format!("s:a:{id}"))
        .await;
    assert_eq!(toast, "Chỉ thành viên nhóm nhân viên mới được quyết định.");

    let req = bot.engine.store.request(id).await.unwrap().unwrap();
    assert_eq!(req.status, RequestStatus::Review);
    assert!(calls_of(&bot.fake, "editMessageText").is_empty());
    // The bot still answers, and the customer heard of no decision.
    bot.say(&thu, "/trangthai", "đang chờ nhân viên xem xét")
        .await;
    let since: Vec<SentMessage> = bot.fake.sent_messages(thu.id)[customer_msgs..].to_vec();
    assert_eq!(since.len(), 1, "{}", transcript(&since));
    assert_eq!(bot.count(STAFF_CHAT), staff_msgs);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redelivered_update_is_answered_once() {
    let bot = LiveBot::start().await;
    let an = customer(5005, "An");
    let n = bot.count(an.id);
    let first = bot.fake.push_text(&an, ChatRef::Private, "xin chào");
    bot.expect_after(an.id, n, "Xin chào!").await;

    // Telegram sends it again (the offset was not confirmed before a restart).
    bot.fake.redeliver(first);
    bot.say(&an, "/trangthai", "Bạn chưa có yêu cầu nào").await;

    let greetings = bot
        .fake
        .sent_messages(an.id)
        .iter()
        .filter(|m| m.text.contains("Xin chào!"))
        .count();
    assert_eq!(
        greetings,
        1,
        "{}",
        transcript(&bot.fake.sent_messages(an.id))
    );
    assert_eq!(bot.count(an.id), 2);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_who_blocked_the_bot_is_marked_unreachable_and_staff_are_told() {
    let bot = LiveBot::start().await;
    let first_poll = bot
        .fake
        .wait_for_call(|c| c.is("getUpdates"), WAIT)
        .await
        .unwrap();
    let allowed = first_poll.params["allowed_updates"].to_string();
    assert!(allowed.contains("my_chat_member"), "{allowed}");

    // A 403 on the reply.
    let binh = customer(5006, "Bình").username("binh_vn");
    bot.fake
        .fail_next("sendMessage", Some(binh.id), Failure::Blocked);
    bot.fake.push_text(&binh, ChatRef::Private, "xin chào");
    let notice = bot.expect_after(STAFF_CHAT, 0, "đã chặn bot").await;
    assert!(notice.text.contains("Bình"), "{}", notice.text);
    assert!(notice.text.contains("5006"), "{}", notice.text);
    let stored = crate::support::telegram_customer(&bot.engine.store, binh.id).await;
    assert!(stored.unreachable);
    assert_eq!(bot.count(binh.id), 0);
    // Exactly one try: a blocked chat is not retried.
    let tries = calls_of(&bot.fake, "sendMessage")
        .iter()
        .filter(|c| c.chat_id() == Some(binh.id))
        .count();
    assert_eq!(tries, 1);

    // The my_chat_member "kicked" update.
    let chi = customer(5007, "Chi");
    bot.say(&chi, "xin chào", "Xin chào!").await;
    let staff_before = bot.count(STAFF_CHAT);
    bot.fake.push_blocked(&chi);
    let notice = bot
        .expect_after(STAFF_CHAT, staff_before, "đã chặn bot")
        .await;
    assert!(notice.text.contains("Chi"), "{}", notice.text);
    let stored = crate::support::telegram_customer(&bot.engine.store, chi.id).await;
    assert!(stored.unreachable);
    assert_eq!(
        bot.count(STAFF_CHAT),
        staff_before + 1,
        "staff are told once"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_refused_with_429_arrives_once_after_the_wait() {
    let clock = Arc::new(RunningClock {
        start: vn_morning(date("2026-11-24")),
        started: Instant::now(),
    });
    let bot = LiveBot::start_with(false, clock, settings(Params::default())).await;
    let dung = customer(5008, "Dũng");
    bot.fake
        .fail_next("sendMessage", Some(dung.id), Failure::RetryAfter(1));
    bot.fake.push_text(&dung, ChatRef::Private, "/start");
    let hello = bot.expect_after(dung.id, 0, "Xin chào!").await;

    let tries: Vec<ApiCall> = calls_of(&bot.fake, "sendMessage")
        .into_iter()
        .filter(|c| c.chat_id() == Some(dung.id))
        .collect();
    assert_eq!(tries.len(), 2, "{tries:#?}");
    assert_eq!(tries[0].failure, Some(Failure::RetryAfter(1)));
    assert_eq!(tries[1].failure, None);
    let waited = tries[1].at - tries[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "retried after {waited:?}"
    );
    assert_eq!(tries[0].params["text"], tries[1].params["text"]);
    // Nothing else comes.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let msgs = bot.fake.sent_messages(dung.id);
    assert_eq!(msgs.len(), 1, "{}", transcript(&msgs));
    assert_eq!(msgs[0].message_id, hello.message_id);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_english_speaking_user_is_greeted_in_english() {
    let bot = LiveBot::start().await;
    let john = TgUser::new(5009, "John").lang("en");
    let hello = bot.say(&john, "/start", "Hello!").await;
    assert!(hello.text.contains("What do you need?"), "{}", hello.text);
    assert!(!hello.text.contains("Xin chào"), "{}", hello.text);
    let stored = crate::support::telegram_customer(&bot.engine.store, john.id).await;
    assert_eq!(stored.lang, Lang::En);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_staff_group_does_not_delay_a_customers_reply() {
    // A real supergroup id, so that Throttle holds it to its supergroup limit.
    const STAFF_SUPERGROUP: i64 = -1_001_234_567_890;
    let mut s = settings(Params::default());
    s.staff.chat_id = STAFF_SUPERGROUP;
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let bot = LiveBot::start_with(true, clock, s).await;

    // Three requests for review, each with a confirmation photo: six staff messages queued at
    // once, which Throttle lets out at one a second.
    for (n, id) in [7001_i64, 7002, 7003].into_iter().enumerate() {
        let user = SeenUser {
            channel: "telegram".into(),
            external_id: id.to_string(),
            address: id.to_string(),
            name: format!("Khách {n}"),
            username: None,
            lang: Lang::Vi,
        };
        let inputs = [
            Input::Text("/baoluu".into()),
            Input::Text("HD-2026-0012".into()),
            Input::Text("01/10/2026".into()),
            Input::Text("05/12/2026".into()),
            Input::Button("r:economic_family".into()),
            Input::Media {
                attachment: cskh::dialogue::Attachment {
                    kind: cskh::dialogue::MediaKind::Photo,
                    file_id: format!("photo-{id}"),
                    file_name: None,
                },
                caption: None,
            },
            Input::Text("20/01/2027".into()),
            Input::Button("f:ok".into()),
        ];
        for input in inputs {
            bot.engine
                .handle(Incoming {
                    key: None,
                    user: user.clone(),
                    input,
                })
                .await
                .expect("the engine takes the input");
        }
    }
    bot.expect_after(STAFF_SUPERGROUP, 0, "CẦN DUYỆT").await;

    let giang = customer(5010, "Giang");
    let asked = Instant::now();
    bot.say(&giang, "/start", "Xin chào!").await;
    let took = asked.elapsed();
    let staff_so_far = bot.count(STAFF_SUPERGROUP);
    assert!(took < Duration::from_secs(2), "the reply took {took:?}");
    assert!(
        staff_so_far < 6,
        "the staff backlog should still be going out ({staff_so_far} of 6 sent)"
    );
    // The backlog still reaches staff, in order.
    let last = bot
        .expect_after(STAFF_SUPERGROUP, 5, "Giấy xác nhận của")
        .await;
    assert_eq!(last.params["photo"], "photo-7003");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_asked_for_during_start_up_still_stops_the_bot() {
    let store = Store::connect(&memory_db()).await.expect("database opens");
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let engine = Engine::new(store, settings(Params::default()), clock);
    let fake = FakeBotApi::start().await;
    // Ctrl-C pressed while the bot registers its commands, before it polls.
    let task = tokio::spawn(cskh::app::run_telegram(fake.bot(), engine, false, async {}));
    let stopped = tokio::time::timeout(Duration::from_secs(8), task).await;
    assert!(
        stopped.is_ok(),
        "the bot ignored the shutdown and kept polling"
    );
    stopped.unwrap().unwrap().expect("the bot stops cleanly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_button_press_whose_query_is_too_old_to_answer_is_still_handled() {
    let bot = LiveBot::start().await;
    let yen = customer(5011, "Yến");
    let hello = bot.say(&yen, "/start", "Xin chào!").await;
    // After a restart or a lag, Telegram refuses to answer a query older than a few seconds.
    bot.fake.fail_next(
        "answerCallbackQuery",
        None,
        Failure::BadRequest(
            "Bad Request: query is too old and response timeout expired or query ID is invalid"
                .into(),
        ),
    );
    bot.press(&yen, &hello, "m:defer", "Số hóa đơn đã thanh toán")
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_eligible_refund_reaches_staff_and_their_approval_reaches_the_customer() {
    let bot = LiveBot::start().await;
    let tam = customer(5012, "Tâm").username("tam_le");

    // Paid 01/10/2026, not done, the company's fault, no notice: 54 days on 24/11/2026.
    bot.say(&tam, "/hoantien", "Số hóa đơn đã thanh toán").await;
    bot.say(&tam, "HD-2026-0301", "Bạn đóng chi phí thi công ngày nào")
        .await;
    let ask_done = bot
        .say(&tam, "01/10/2026", "Công ty đã thi công cho bạn chưa")
        .await;
    let ask_cause = bot
        .press(&tam, &ask_done, "rd:no", "Vì sao bạn muốn hoàn tiền")
        .await;
    let ask_notice = bot
        .press(&tam, &ask_cause, "rc:company", "Công ty có báo cho bạn")
        .await;
    bot.press(&tam, &ask_notice, "rn:no", "Bạn kể ngắn gọn lý do")
        .await;
    let summary = bot
        .say(
            &tam,
            "Đã gần 2 tháng mà chưa ai gọi hẹn lịch.",
            "Bạn xem lại yêu cầu hoàn trả",
        )
        .await;
    assert!(summary.text.contains("HD-2026-0301"), "{}", summary.text);
    let decision = bot
        .press(
            &tam,
            &summary,
            "f:ok",
            "đủ điều kiện và đã được chuyển cho nhân viên",
        )
        .await;
    assert!(decision.text.contains("HT-"), "{}", decision.text);
    assert!(decision.text.contains("090 4718 078"), "{}", decision.text);
    assert!(
        decision
            .text
            .contains("Số tiền và thời điểm hoàn trả do nhân viên xác nhận"),
        "no sum or date is promised: {}",
        decision.text
    );

    // The staff group gets the card, with the decision buttons.
    let card = bot
        .expect_after(STAFF_CHAT, 0, "hoàn trả · CẦN DUYỆT")
        .await;
    assert!(card.text.contains("HD-2026-0301"), "{}", card.text);
    assert!(card.text.contains("Tâm"), "{}", card.text);
    assert!(
        card.text.contains("[REFUND_COMPANY_FAULT]"),
        "{}",
        card.text
    );
    let data = buttons(&card);
    let approve = data
        .iter()
        .find(|d| d.starts_with("s:a:"))
        .unwrap_or_else(|| panic!("no approve button on the card: {data:?}"));
    let id: i64 = approve[4..].parse().expect("a numeric request id");
    assert!(data.contains(&format!("s:r:{id}")), "{data:?}");
    let number = format!("HT-{id:06}");
    assert!(card.text.contains(&number), "{}", card.text);
    // Four buttons pressed by the customer (rd, rc, rn, f), each answered.
    assert_eq!(bot.answers().len(), 4);

    // A staff member approves it from the group.
    let hoa = TgUser::new(9001, "Hoa").username("hoa_cskh");
    bot.fake.set_member(STAFF_CHAT, hoa.id, "member");
    let before = bot.count(tam.id);
    let toast = bot
        .staff_press(
            &hoa,
            ChatRef::Group(STAFF_CHAT),
            card.message_id,
            &format!("s:a:{id}"),
        )
        .await;
    assert_eq!(toast, format!("Đã duyệt {number}."));

    let told = bot
        .expect_after(tam.id, before, "Nhân viên đã xác nhận yêu cầu hoàn trả")
        .await;
    assert!(told.text.contains(&number), "{}", told.text);
    assert!(told.text.contains("090 4718 078"), "{}", told.text);

    let edit = bot
        .fake
        .wait_for_call(|c| c.is("editMessageText"), WAIT)
        .await
        .expect("the card is edited");
    assert_eq!(edit.chat_id(), Some(STAFF_CHAT));
    assert_eq!(edit.params["message_id"], card.message_id);
    let now = bot.fake.message(STAFF_CHAT, card.message_id).unwrap();
    let text = now["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("{number} · hoàn trả · ĐÃ DUYỆT")),
        "{text}"
    );
    assert!(text.contains("ĐÃ DUYỆT bởi Hoa (@hoa_cskh)"), "{text}");
    assert!(
        inline_buttons(&now["reply_markup"]).is_empty(),
        "the decided card has no buttons left: {now}"
    );
    let req = bot.engine.store.request(id).await.unwrap().unwrap();
    assert_eq!(req.status, RequestStatus::StaffApproved);
    assert_eq!(req.kind(), cskh::dialogue::RequestKind::Refund);
    bot.stop().await;
}

// ---------------------------------------------------------------------------
// Complaints (khiếu nại): the case in the staff group, a forum topic or a card
// ---------------------------------------------------------------------------

/// A member of the staff group (getChatMember answers "member").
fn staff_member(bot: &LiveBot, id: i64, name: &str, username: &str) -> TgUser {
    let user = TgUser::new(id, name).username(username);
    bot.fake.set_member(STAFF_CHAT, user.id, "member");
    user
}

/// A staff member's text in the staff group, shaped as Telegram delivers it: in a forum topic
/// (`thread`) a message that answers nothing carries `reply_to_message` = the topic's creation
/// message; `reply_to` is the message of the group it answers. Returns the message pushed.
pub(crate) fn push_staff_text(
    fake: &FakeBotApi,
    from: &TgUser,
    thread: Option<i64>,
    reply_to: Option<Value>,
    text: &str,
) -> Value {
    use std::sync::atomic::{AtomicI64, Ordering};
    // Far above the ids the fake hands out, so that no two messages of the group share one.
    static NEXT_ID: AtomicI64 = AtomicI64::new(500_000);
    let mut chat = serde_json::json!({
        "id": STAFF_CHAT, "type": "supergroup", "title": "CSKH nhân viên",
    });
    if thread.is_some() {
        chat["is_forum"] = Value::Bool(true);
    }
    let date = Utc::now().timestamp();
    let mut msg = serde_json::json!({
        "message_id": NEXT_ID.fetch_add(1, Ordering::Relaxed),
        "from": from.to_json(),
        "chat": chat,
        "date": date,
        "text": text,
    });
    if text.starts_with('/') {
        let len = text
            .split_whitespace()
            .next()
            .unwrap_or(text)
            .encode_utf16()
            .count();
        msg["entities"] =
            serde_json::json!([{ "type": "bot_command", "offset": 0, "length": len }]);
    }
    if let Some(t) = thread {
        msg["message_thread_id"] = t.into();
        msg["is_topic_message"] = true.into();
    }
    let reply_to = reply_to.or_else(|| {
        thread.map(|t| {
            serde_json::json!({
                "message_id": t,
                "from": {
                    "id": FakeBotApi::BOT_ID, "is_bot": true, "first_name": "CSKH Test Bot",
                    "username": FakeBotApi::BOT_USERNAME,
                },
                "chat": chat,
                "date": date,
                "message_thread_id": t,
                "is_topic_message": true,
                "forum_topic_created": { "name": "KN", "icon_color": 7_322_096 },
            })
        })
    });
    if let Some(r) = reply_to {
        msg["reply_to_message"] = r;
    }
    fake.push_raw(serde_json::json!({ "message": msg }));
    msg
}

/// The customer files an urgent complaint about quality through the dispatcher, sharing their
/// phone with the contact button; returns the bot's confirmation.
async fn file_complaint(bot: &LiveBot, user: &TgUser) -> SentMessage {
    let ask = bot
        .say(user, "/khieunai", "Khiếu nại của bạn về việc gì?")
        .await;
    bot.press(user, &ask, "k:quality", "Bạn kể lại sự việc")
        .await;
    let ask = bot
        .say(
            user,
            "Thợ lắp điều hòa làm nứt tường phòng khách, hẹn quay lại sửa mà không thấy ai.",
            "Mình đã ghi lại lời kể của bạn",
        )
        .await;
    let ask = bot
        .press(user, &ask, "kd:done", "Số hóa đơn liên quan")
        .await;
    let ask = bot.press(user, &ask, "ki:none", "Mức độ cần xử lý").await;
    let ask = bot
        .press(
            user,
            &ask,
            "ku:urgent",
            "Số điện thoại để nhân viên gọi lại",
        )
        .await;
    assert_eq!(
        ask.reply_markup["keyboard"][0][0]["request_contact"],
        Value::Bool(true),
        "a button to share the phone: {:?}",
        ask.reply_markup
    );
    let n = bot.count(user.id);
    // Telegram hands a shared contact's number over without the "+".
    bot.fake.push_contact(user, ChatRef::Private, "84912345678");
    let ask = bot
        .expect_after(user.id, n, "Bạn đồng ý để nhân viên gọi cho bạn")
        .await;
    let opened = bot.press(user, &ask, "kc:yes", "đã được ghi nhận").await;
    assert!(opened.text.contains("KN-000001"), "{}", opened.text);
    // The share-contact keyboard goes away once the case is opened.
    assert_eq!(
        opened.reply_markup["remove_keyboard"],
        Value::Bool(true),
        "the contact keyboard is removed: {:?}",
        opened.reply_markup
    );
    opened
}

/// The case card in the staff group and the case id its buttons carry.
async fn case_card(bot: &LiveBot) -> (SentMessage, i64) {
    let card = bot.expect_after(STAFF_CHAT, 0, "📣 KN-000001").await;
    let data = buttons(&card);
    let claim = data
        .iter()
        .find(|d| d.starts_with("c:cl:"))
        .unwrap_or_else(|| panic!("no claim button on the card: {data:?}"));
    let id: i64 = claim[5..].parse().expect("a numeric case id");
    assert_eq!(
        data,
        ["cl", "cr", "cn", "rs", "s3", "x"].map(|c| format!("c:{c}:{id}")),
        "the buttons of a new case"
    );
    (card, id)
}

/// The first call of `method` whose parameters satisfy `pred`, within [`WAIT`].
async fn call_where(bot: &LiveBot, method: &str, pred: impl Fn(&Value) -> bool) -> ApiCall {
    bot.fake
        .wait_for_call(|c| c.is(method) && pred(&c.params), WAIT)
        .await
        .unwrap_or_else(|| {
            panic!(
                "no matching {method} within {WAIT:?}; calls: {:#?}",
                calls_of(&bot.fake, method)
            )
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_in_a_forum_staff_group_gets_its_own_topic_where_staff_and_customer_talk() {
    let bot = LiveBot::start().await;
    bot.fake.set_forum(STAFF_CHAT);
    let lan = customer(5101, "Lan").last_name("Nguyễn").username("lan_ng");
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");

    file_complaint(&bot, &lan).await;

    // A topic named after the case and the customer, and the card inside it (the topic is
    // opened by the sender, which may still be at it when the customer has their answer).
    let created = eventually(|| {
        let calls = calls_of(&bot.fake, "createForumTopic");
        (!calls.is_empty()).then_some(calls)
    })
    .await
    .expect("a topic for the case");
    assert_eq!(created.len(), 1, "{created:#?}");
    assert_eq!(created[0].chat_id(), Some(STAFF_CHAT));
    let title = created[0].params["name"].as_str().unwrap_or_default();
    assert!(title.contains("KN-000001"), "{title}");
    assert!(title.contains("Lan Nguyễn"), "{title}");
    assert!(title.chars().count() <= 128, "Telegram's limit: {title}");
    let (card, id) = case_card(&bot).await;
    let thread = card
        .message_thread_id
        .expect("the card is posted in the case's topic");
    for part in ["🔴 KHẨN", "Chất lượng dịch vụ", "+84912345678", "nứt tường"] {
        assert!(card.text.contains(part), "{part:?} missing: {}", card.text);
    }

    // Staff talk among themselves in the topic: it stays internal, and the topic is told once
    // how to write to the customer.
    let before = bot.count(lan.id);
    let staff_n = bot.count(STAFF_CHAT);
    push_staff_text(&bot.fake, &hoa, Some(thread), None, "để em gọi");
    let hint = bot
        .expect_after(STAFF_CHAT, staff_n, "như ghi chú nội bộ")
        .await;
    assert!(hint.text.contains("/tl"), "{}", hint.text);
    assert_eq!(hint.message_thread_id, Some(thread));
    let staff_n = bot.count(STAFF_CHAT);
    push_staff_text(&bot.fake, &hoa, Some(thread), None, "ok chị, em gọi lúc 2h");
    // The prefix sends: the customer hears it from the company, without the prefix.
    push_staff_text(
        &bot.fake,
        &hoa,
        Some(thread),
        None,
        "/tl Chào chị Lan, chiều nay bên em gọi chị hẹn lịch sửa tường ạ.",
    );
    let relayed = bot
        .expect_after(lan.id, before, "💬 Quang Mobile (KN-000001)")
        .await;
    assert!(
        relayed.text.contains("Chào chị Lan, chiều nay") && !relayed.text.contains("/tl"),
        "{}",
        relayed.text
    );
    assert!(
        !bot.fake
            .sent_messages(lan.id)
            .iter()
            .any(|m| m.text.contains("để em gọi") || m.text.contains("em gọi lúc 2h")),
        "staff chatter never reaches the customer"
    );
    assert!(
        !bot.fake.sent_messages(STAFF_CHAT)[staff_n..]
            .iter()
            .any(|m| m.text.contains("như ghi chú nội bộ")),
        "the hint is given once per case"
    );

    // An internal note stays in the topic.
    let staff_n = bot.count(STAFF_CHAT);
    bot.fake.push_text(
        &hoa,
        ChatRef::Topic(STAFF_CHAT, thread),
        "#note khách đang bực, gọi nhẹ nhàng",
    );
    let ack = bot
        .expect_after(STAFF_CHAT, staff_n, "Đã lưu ghi chú nội bộ vào KN-000001")
        .await;
    assert_eq!(ack.message_thread_id, Some(thread));
    assert_eq!(
        bot.count(lan.id),
        before + 1,
        "a note never reaches the customer"
    );

    // The customer writes again: their words arrive in the topic.
    let staff_n = bot.count(STAFF_CHAT);
    bot.say(
        &lan,
        "Chiều nay tôi ở nhà sau 3 giờ.",
        "Đã chuyển vào hồ sơ KN-000001",
    )
    .await;
    let inbound = bot
        .expect_after(STAFF_CHAT, staff_n, "💬 KN-000001 · Lan Nguyễn")
        .await;
    assert!(inbound.text.contains("sau 3 giờ"), "{}", inbound.text);
    assert_eq!(inbound.message_thread_id, Some(thread));
    // A reply to the customer's words goes to the customer.
    let before = bot.count(lan.id);
    let replied = bot
        .fake
        .message(STAFF_CHAT, inbound.message_id)
        .expect("the fake knows the relayed message");
    push_staff_text(
        &bot.fake,
        &hoa,
        Some(thread),
        Some(replied),
        "Dạ 3 giờ 30 bên em qua ạ.",
    );
    let answer = bot
        .expect_after(lan.id, before, "💬 Quang Mobile (KN-000001)")
        .await;
    assert!(answer.text.contains("3 giờ 30"), "{}", answer.text);

    // Nhận xử lý: the topic is renamed, the card shows who, the customer is told.
    let before = bot.count(lan.id);
    let toast = bot
        .staff_press(
            &hoa,
            ChatRef::Topic(STAFF_CHAT, thread),
            card.message_id,
            &format!("c:cl:{id}"),
        )
        .await;
    assert_eq!(toast, "KN-000001: đã nhận xử lý.");
    let rename = call_where(&bot, "editForumTopic", |p| {
        p["name"].as_str().is_some_and(|n| n.contains("🟡"))
    })
    .await;
    assert_eq!(rename.chat_id(), Some(STAFF_CHAT));
    assert_eq!(rename.params["message_thread_id"], thread);
    assert!(rename.params["name"]
        .as_str()
        .unwrap()
        .contains("KN-000001"));
    call_where(&bot, "editMessageText", |p| {
        p["message_id"] == card.message_id
            && p["text"]
                .as_str()
                .is_some_and(|t| t.contains("Hoa (@hoa_cskh)"))
    })
    .await;
    let now = bot.fake.message(STAFF_CHAT, card.message_id).unwrap();
    let text = now["text"].as_str().unwrap();
    assert!(text.contains("Nhân viên xử lý: Hoa (@hoa_cskh)"), "{text}");
    assert!(text.contains("đang xử lý"), "{text}");
    let left = inline_buttons(&now["reply_markup"]);
    assert!(!left.contains(&format!("c:cl:{id}")), "{left:?}");
    assert!(left.contains(&format!("c:rs:{id}")), "{left:?}");
    bot.expect_after(lan.id, before, "đã được nhân viên CSKH tiếp nhận")
        .await;

    // Đã giải quyết: the customer is asked for stars.
    let before = bot.count(lan.id);
    let toast = bot
        .staff_press(
            &hoa,
            ChatRef::Topic(STAFF_CHAT, thread),
            card.message_id,
            &format!("c:rs:{id}"),
        )
        .await;
    assert_eq!(toast, "KN-000001: đã giải quyết.");
    let resolved = bot
        .expect_after(lan.id, before, "Khiếu nại KN-000001 đã được giải quyết")
        .await;
    assert_eq!(
        buttons(&resolved),
        (1..=5).map(|n| format!("kr:{id}:{n}")).collect::<Vec<_>>()
    );
    call_where(&bot, "editForumTopic", |p| {
        p["name"].as_str().is_some_and(|n| n.contains("✅"))
    })
    .await;

    // Five stars: the topic hears it, the card shows it.
    let staff_n = bot.count(STAFF_CHAT);
    bot.press(
        &lan,
        &resolved,
        &format!("kr:{id}:5"),
        "Cảm ơn bạn đã đánh giá 5",
    )
    .await;
    let rated = bot
        .expect_after(STAFF_CHAT, staff_n, "Khách đánh giá KN-000001: 5/5")
        .await;
    assert_eq!(rated.message_thread_id, Some(thread));
    call_where(&bot, "editMessageText", |p| {
        p["message_id"] == card.message_id
            && p["text"]
                .as_str()
                .is_some_and(|t| t.contains("Đánh giá: 5/5"))
    })
    .await;

    // One topic for the case, and everything of the case went into it.
    assert_eq!(calls_of(&bot.fake, "createForumTopic").len(), 1);
    let staff = bot.fake.sent_messages(STAFF_CHAT);
    assert!(
        staff.iter().all(|m| m.message_thread_id == Some(thread)),
        "{}",
        transcript(&staff)
    );
    let told = bot.fake.sent_messages(lan.id);
    assert!(
        told.iter().all(|m| !m.text.contains("bực")),
        "{}",
        transcript(&told)
    );
    let case = bot.engine.store.case(id).await.unwrap().unwrap();
    assert_eq!(case.topic_id, Some(thread));
    assert_eq!(case.rating, Some(5));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_staff_group_without_topics_staff_answer_a_complaint_by_replying_to_its_card() {
    let bot = LiveBot::start().await;
    let minh = customer(5102, "Minh");
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");
    file_complaint(&bot, &minh).await;

    // The topic could not be made: the card is a plain message of the group.
    let (card, _) = case_card(&bot).await;
    assert_eq!(card.message_thread_id, None);
    assert_eq!(calls_of(&bot.fake, "createForumTopic").len(), 1);
    let card_msg = bot.fake.message(STAFF_CHAT, card.message_id).unwrap();

    // A reply to the card reaches the customer.
    let before = bot.count(minh.id);
    push_staff_text(
        &bot.fake,
        &hoa,
        None,
        Some(card_msg.clone()),
        "Anh Minh ơi, mai 9 giờ thợ qua sửa tường nhé.",
    );
    let relayed = bot
        .expect_after(minh.id, before, "💬 Quang Mobile (KN-000001)")
        .await;
    assert!(relayed.text.contains("mai 9 giờ"), "{}", relayed.text);

    // Chatter in the group is nobody's case: a message answering nothing, and an answer to it.
    let chatter = push_staff_text(&bot.fake, &hoa, None, None, "Ai rảnh đi sửa tường không?");
    push_staff_text(&bot.fake, &hoa, None, Some(chatter), "Để em đi, chiều nay.");
    push_staff_text(
        &bot.fake,
        &hoa,
        None,
        Some(card_msg),
        "Thợ tên Tuấn, số 0903 111 222.",
    );
    bot.expect_after(minh.id, before + 1, "Thợ tên Tuấn").await;
    let told = bot.fake.sent_messages(minh.id);
    assert_eq!(told.len(), before + 2, "{}", transcript(&told));

    // The customer's photo arrives as an answer to the card.
    let staff_n = bot.count(STAFF_CHAT);
    let before = bot.count(minh.id);
    bot.fake
        .push_photo(&minh, ChatRef::Private, "photo-tuong-nut", None);
    bot.expect_after(minh.id, before, "Đã chuyển vào hồ sơ KN-000001")
        .await;
    let photo = bot
        .expect_after(STAFF_CHAT, staff_n, "KN-000001 · tệp của Minh")
        .await;
    assert!(photo.method.eq_ignore_ascii_case("sendPhoto"), "{photo:?}");
    assert_eq!(photo.params["photo"], "photo-tuong-nut");
    assert_eq!(
        photo.params["reply_parameters"]["message_id"], card.message_id,
        "{:?}",
        photo.params
    );
    assert_eq!(photo.message_thread_id, None);

    // Answering the photo is answering the case.
    let photo_msg = bot.fake.message(STAFF_CHAT, photo.message_id).unwrap();
    let before = bot.count(minh.id);
    push_staff_text(
        &bot.fake,
        &hoa,
        None,
        Some(photo_msg),
        "Em thấy rồi, vết nứt này bên em chịu.",
    );
    bot.expect_after(minh.id, before, "bên em chịu").await;
    let staff = bot.fake.sent_messages(STAFF_CHAT);
    assert!(
        staff.iter().all(|m| !m.text.contains("Ai rảnh")),
        "{}",
        transcript(&staff)
    );
    bot.stop().await;
}

/// Telegram's update for an edit of `msg` (as [`push_staff_text`] returned it) to `text`.
fn push_staff_edit(fake: &FakeBotApi, msg: &Value, text: &str) {
    let mut edited = msg.clone();
    edited["text"] = text.into();
    edited["edit_date"] = (Utc::now().timestamp() + 1).into();
    fake.push_raw(serde_json::json!({ "edited_message": edited }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_who_edits_words_the_customer_got_corrects_the_customers_copy() {
    let bot = LiveBot::start().await;
    let minh = customer(5103, "Minh");
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");
    file_complaint(&bot, &minh).await;
    let (card, _) = case_card(&bot).await;
    let card_msg = bot.fake.message(STAFF_CHAT, card.message_id).unwrap();

    let before = bot.count(minh.id);
    let said = push_staff_text(
        &bot.fake,
        &hoa,
        None,
        Some(card_msg),
        "Anh Minh ơi, mai 9 giờ thợ qua sửa tường nhé.",
    );
    let relayed = bot.expect_after(minh.id, before, "mai 9 giờ").await;

    // Hoa fixes the hour: the customer's message is edited, nothing new is sent.
    push_staff_edit(
        &bot.fake,
        &said,
        "Anh Minh ơi, mai 10 giờ thợ qua sửa tường nhé.",
    );
    let edit = bot
        .fake
        .wait_for_call(
            |c| c.is("editMessageText") && c.chat_id() == Some(minh.id),
            WAIT,
        )
        .await
        .expect("the customer's copy is edited");
    assert_eq!(edit.params["message_id"], relayed.message_id);
    // The customer's message reads `words` (once the fake has answered the edit).
    let reads = |words: &'static str| {
        let fake = &bot.fake;
        let (chat, id) = (minh.id, relayed.message_id);
        async move {
            for _ in 0..100 {
                let text = fake.message(chat, id).unwrap()["text"].to_string();
                if text.contains(words) && text.contains("KN-000001") {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            false
        }
    };
    assert!(
        reads("mai 10 giờ").await,
        "the customer's copy was not corrected"
    );
    // A second edit edits the same message again.
    push_staff_edit(
        &bot.fake,
        &said,
        "Anh Minh ơi, mai 10 giờ 30 thợ qua sửa tường nhé.",
    );
    assert!(
        reads("10 giờ 30").await,
        "the second edit did not reach the customer's copy"
    );

    // An edit of chatter that never went to the customer sends them nothing.
    let chatter = push_staff_text(&bot.fake, &hoa, None, None, "Ai rảnh đi sửa tường không?");
    push_staff_edit(&bot.fake, &chatter, "Ai rảnh chiều nay đi sửa tường không?");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let told = bot.fake.sent_messages(minh.id);
    assert_eq!(told.len(), before + 1, "{}", transcript(&told));
    let history = {
        let mut conn = bot.engine.store.conn().await.unwrap();
        cskh::store::case_events(&mut conn, 1).await.unwrap()
    };
    assert!(
        history.iter().any(|e| e.kind == "staff_message_edited"
            && e.text.as_deref().is_some_and(|t| t.contains("10 giờ 30"))),
        "{history:?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_outside_the_staff_group_cannot_take_or_close_a_complaint() {
    let bot = LiveBot::start().await;
    let thu = customer(5103, "Thu");
    file_complaint(&bot, &thu).await;
    let (card, id) = case_card(&bot).await;
    let told = bot.count(thu.id);

    let tuan = TgUser::new(9002, "Tuấn");
    bot.fake.set_member(STAFF_CHAT, tuan.id, "left");
    let kicked = TgUser::new(9004, "Khoa");
    bot.fake.set_member(STAFF_CHAT, kicked.id, "kicked");
    for (who, data) in [
        (&tuan, format!("c:cl:{id}")),
        (&kicked, format!("c:x:{id}")),
    ] {
        let toast = bot
            .staff_press(who, ChatRef::Group(STAFF_CHAT), card.message_id, &data)
            .await;
        assert_eq!(toast, "Chỉ thành viên nhóm nhân viên mới được quyết định.");
    }

    let case = bot.engine.store.case(id).await.unwrap().unwrap();
    assert_eq!(case.status, cskh::dialogue::CaseStatus::Open);
    assert_eq!(case.claimed_by, None);
    assert!(calls_of(&bot.fake, "editMessageText").is_empty());
    assert!(calls_of(&bot.fake, "editForumTopic").is_empty());
    assert_eq!(bot.count(thu.id), told, "the customer heard of nothing");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_two_staff_members_take_a_complaint_at_once_one_gets_it_and_the_other_is_told_who() {
    let bot = LiveBot::start().await;
    let an = customer(5104, "An");
    file_complaint(&bot, &an).await;
    let (card, id) = case_card(&bot).await;
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");
    let binh = staff_member(&bot, 9003, "Bình", "binh_cskh");

    let answered = bot.answers().len();
    let data = format!("c:cl:{id}");
    bot.fake
        .push_callback(&hoa, ChatRef::Group(STAFF_CHAT), card.message_id, &data);
    bot.fake
        .push_callback(&binh, ChatRef::Group(STAFF_CHAT), card.message_id, &data);
    let answers = eventually(|| {
        let all = bot.answers();
        (all.len() >= answered + 2).then(|| all[answered..].to_vec())
    })
    .await
    .expect("both presses are answered");
    let case = bot.engine.store.case(id).await.unwrap().unwrap();
    let (winner, loser) = match case.claimed_by_id {
        Some(9001) => (&hoa, &binh),
        Some(9003) => (&binh, &hoa),
        other => panic!("claimed by {other:?}"),
    };
    let winner_name = format!(
        "{} (@{})",
        winner.first_name,
        winner.username.as_deref().unwrap()
    );
    assert_eq!(case.claimed_by.as_deref(), Some(winner_name.as_str()));
    // The fake names a query after its presser: "<user id><sequence>".
    let answer_of = |user: &TgUser| -> String {
        let found = answers
            .iter()
            .find(|a| {
                a.params["callback_query_id"]
                    .as_str()
                    .is_some_and(|q| q.starts_with(&user.id.to_string()))
            })
            .unwrap_or_else(|| panic!("no answer for {}: {answers:#?}", user.first_name));
        found.params["text"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(answer_of(winner), "KN-000001: đã nhận xử lý.");
    assert_eq!(
        answer_of(loser),
        format!("KN-000001 đã được {winner_name} nhận xử lý.")
    );

    // The customer is told once; the history has one claim.
    bot.expect_after(an.id, 0, "đã được nhân viên CSKH tiếp nhận")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let claims = bot
        .fake
        .sent_messages(an.id)
        .iter()
        .filter(|m| m.text.contains("tiếp nhận"))
        .count();
    assert_eq!(claims, 1, "{}", transcript(&bot.fake.sent_messages(an.id)));
    let staff_n = bot.count(STAFF_CHAT);
    push_staff_text(&bot.fake, &hoa, None, None, "/case KN-000001");
    let history = bot.expect_after(STAFF_CHAT, staff_n, "Lịch sử:").await;
    assert_eq!(
        history.text.matches("nhận xử lý").count(),
        1,
        "{}",
        history.text
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_list_the_open_complaints_and_read_one_complaints_history_with_commands() {
    let bot = LiveBot::start().await;
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");

    let staff_n = bot.count(STAFF_CHAT);
    bot.fake
        .push_text(&hoa, ChatRef::Group(STAFF_CHAT), "/cases");
    bot.expect_after(STAFF_CHAT, staff_n, "Không có khiếu nại nào đang mở")
        .await;

    let vy = customer(5105, "Vy");
    file_complaint(&bot, &vy).await;
    let (card, _) = case_card(&bot).await;
    push_staff_text(
        &bot.fake,
        &hoa,
        None,
        bot.fake.message(STAFF_CHAT, card.message_id),
        "Chị Vy ơi, em gọi lúc 10 giờ nhé.",
    );
    bot.expect_after(vy.id, 0, "em gọi lúc 10 giờ").await;

    // In a group, Telegram clients append the bot's name to a command picked from the list.
    let staff_n = bot.count(STAFF_CHAT);
    bot.fake.push_text(
        &hoa,
        ChatRef::Group(STAFF_CHAT),
        &format!("/cases@{}", FakeBotApi::BOT_USERNAME),
    );
    let list = bot
        .expect_after(STAFF_CHAT, staff_n, "Khiếu nại đang mở")
        .await;
    for part in ["KN-000001", "bước 1", "mới nhận", "🔴 KHẨN"] {
        assert!(list.text.contains(part), "{part:?} missing: {}", list.text);
    }
    assert_eq!(list.text.matches("• KN-").count(), 1, "{}", list.text);

    let staff_n = bot.count(STAFF_CHAT);
    bot.fake
        .push_text(&hoa, ChatRef::Group(STAFF_CHAT), "/case KN-000001");
    let history = bot.expect_after(STAFF_CHAT, staff_n, "Lịch sử:").await;
    for part in [
        "📣 KN-000001",
        "Khách: Vy",
        "tạo khiếu nại",
        "nhân viên nhắn",
        "Hoa (@hoa_cskh)",
        "em gọi lúc 10 giờ",
    ] {
        assert!(
            history.text.contains(part),
            "{part:?} missing: {}",
            history.text
        );
    }
    assert!(buttons(&history).is_empty(), "history is for reading");

    let staff_n = bot.count(STAFF_CHAT);
    bot.fake
        .push_text(&hoa, ChatRef::Group(STAFF_CHAT), "/case KN-000099");
    bot.expect_after(STAFF_CHAT, staff_n, "Không tìm thấy khiếu nại")
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_customer_blocked_the_bot_staff_writing_in_the_topic_are_told_to_call() {
    let bot = LiveBot::start().await;
    bot.fake.set_forum(STAFF_CHAT);
    let lan = customer(5106, "Lan");
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");
    file_complaint(&bot, &lan).await;
    let (card, _) = case_card(&bot).await;
    let thread = card.message_thread_id.expect("a topic");

    bot.fake
        .fail_next("sendMessage", Some(lan.id), Failure::Blocked);
    let staff_n = bot.count(STAFF_CHAT);
    push_staff_text(
        &bot.fake,
        &hoa,
        Some(thread),
        None,
        "/tl Chị Lan ơi, em gửi lịch sửa ạ.",
    );
    let notice = bot
        .expect_after(STAFF_CHAT, staff_n, "không gửi được cho khách")
        .await;
    assert!(notice.text.contains("KN-000001"), "{}", notice.text);
    assert_eq!(
        notice.message_thread_id,
        Some(thread),
        "in the case's topic"
    );
    let stored = crate::support::telegram_customer(&bot.engine.store, lan.id).await;
    assert!(stored.unreachable);

    // The next words are not even tried: the topic is told at once.
    let tries = |bot: &LiveBot| {
        calls_of(&bot.fake, "sendMessage")
            .iter()
            .filter(|c| c.chat_id() == Some(lan.id))
            .count()
    };
    let tried = tries(&bot);
    let staff_n = bot.count(STAFF_CHAT);
    push_staff_text(&bot.fake, &hoa, Some(thread), None, "/tl Chị Lan ơi?");
    let again = bot
        .expect_after(STAFF_CHAT, staff_n, "không gửi được cho khách")
        .await;
    assert_eq!(again.message_thread_id, Some(thread));
    assert_eq!(tries(&bot), tried);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_card_refused_with_429_after_its_topic_was_made_goes_into_that_same_topic() {
    let clock = Arc::new(RunningClock {
        start: vn_morning(date("2026-11-24")),
        started: Instant::now(),
    });
    let bot = LiveBot::start_with(false, clock, settings(Params::default())).await;
    bot.fake.set_forum(STAFF_CHAT);
    bot.fake
        .fail_next("sendMessage", Some(STAFF_CHAT), Failure::RetryAfter(1));
    let lan = customer(5107, "Lan");
    file_complaint(&bot, &lan).await;
    let (card, id) = case_card(&bot).await;
    let topics = calls_of(&bot.fake, "createForumTopic");
    assert_eq!(topics.len(), 1, "one case, one topic: {topics:#?}");
    let thread = card.message_thread_id.expect("a topic");
    let case = bot.engine.store.case(id).await.unwrap().unwrap();
    assert_eq!(case.topic_id, Some(thread));
    bot.stop().await;
}

#[test]
fn the_throttle_follows_telegrams_limits_a_message_a_second_per_chat_twenty_a_minute_per_group() {
    let limits = telegram::telegram_limits();
    // One a second into a chat, and nothing stricter per minute for a private chat: a customer
    // who sends many things is answered at Telegram's pace, not held to 20 a minute.
    assert_eq!(limits.messages_per_sec_chat, 1);
    assert!(limits.messages_per_min_chat >= 60, "{limits:?}");
    // The staff supergroup: Telegram allows 20 a minute (teloxide's default is 10).
    assert_eq!(limits.messages_per_min_channel_or_supergroup, 20);
    assert_eq!(limits.messages_per_sec_overall, 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_album_of_three_photos_in_an_open_case_gets_one_acknowledgement_and_staff_get_all_three()
{
    let bot = LiveBot::start().await;
    let lan = customer(5301, "Lan");
    file_complaint(&bot, &lan).await;
    bot.expect_after(STAFF_CHAT, 0, "📣 KN-000001").await;
    let (before_customer, before_staff) = (bot.count(lan.id), bot.count(STAFF_CHAT));
    bot.fake.push_album(
        &lan,
        ChatRef::Private,
        &["AgAD-vet-1", "AgAD-vet-2", "AgAD-vet-3"],
        Some("Ảnh chỗ bị sưng"),
    );
    // All three photos reach the case.
    eventually(|| {
        let photos = bot.fake.sent_messages(STAFF_CHAT)[before_staff..]
            .iter()
            .filter(|m| m.method.eq_ignore_ascii_case("sendPhoto"))
            .count();
        (photos == 3).then_some(())
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "three photos for staff: {}",
            transcript(&bot.fake.sent_messages(STAFF_CHAT))
        )
    });
    // Let anything late arrive, then count what the customer got.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let acks: Vec<_> = bot.fake.sent_messages(lan.id)[before_customer..]
        .iter()
        .filter(|m| m.text.contains("Đã chuyển vào hồ sơ KN-000001"))
        .cloned()
        .collect();
    assert_eq!(acks.len(), 1, "one acknowledgement: {}", transcript(&acks));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_location_a_poll_and_a_dice_mid_form_get_a_polite_answer_and_the_form_carries_on() {
    let bot = LiveBot::start().await;
    let an = customer(5301, "An");
    bot.say(&an, "/baoluu", "Số hóa đơn đã thanh toán").await;
    let things = [
        (
            json!({ "location": { "latitude": 10.7769, "longitude": 106.7009 } }),
            "vị trí",
        ),
        (
            json!({ "poll": {
                "id": "5001", "question": "Chọn ngày?",
                "options": [
                    { "text": "Thứ hai", "voter_count": 0 },
                    { "text": "Thứ ba", "voter_count": 0 }
                ],
                "total_voter_count": 0, "is_closed": false, "is_anonymous": true,
                "type": "regular", "allows_multiple_answers": false
            } }),
            "cuộc thăm dò",
        ),
        (json!({ "dice": { "emoji": "🎲", "value": 4 } }), "xúc xắc"),
    ];
    for (fields, what) in things {
        let n = bot.count(an.id);
        bot.fake.push_message_with(&an, ChatRef::Private, fields);
        let polite = bot
            .expect_after(an.id, n, &format!("Mình chưa nhận được {what}"))
            .await;
        assert!(polite.text.contains("gõ câu trả lời"), "{}", polite.text);
        // The question it interrupted is asked again, and the form goes on from there.
        bot.expect_after(an.id, n, "Số hóa đơn đã thanh toán").await;
    }
    bot.say(&an, "HD-2026-0012", "Bạn đóng chi phí thi công ngày nào")
        .await;
    // Nothing went to staff, and no file was sent (or attempted) anywhere.
    assert!(calls_of(&bot.fake, "sendDocument").is_empty());
    assert!(calls_of(&bot.fake, "sendPhoto").is_empty());
    assert!(bot.fake.sent_messages(STAFF_CHAT).is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_reply_to_any_part_of_a_long_relayed_message_answers_its_case() {
    let bot = LiveBot::start().await;
    let minh = customer(5104, "Minh");
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");
    file_complaint(&bot, &minh).await;
    let (card, _) = case_card(&bot).await;
    assert_eq!(card.message_thread_id, None, "a group without topics");

    // The customer's words, as long as Telegram lets them write, go to the group in parts.
    let sentence = "Tường phòng khách nứt thêm một đường dài sau khi thợ khoan. ";
    let long: String = sentence
        .repeat(4096 / sentence.chars().count())
        .trim_end()
        .to_string();
    assert!(long.encode_utf16().count() <= 4096);
    let staff_n = bot.count(STAFF_CHAT);
    let before = bot.count(minh.id);
    bot.fake.push_text(&minh, ChatRef::Private, &long);
    bot.expect_after(minh.id, before, "Đã chuyển vào hồ sơ KN-000001")
        .await;
    let first = bot
        .expect_after(STAFF_CHAT, staff_n, "KN-000001 · Minh")
        .await;
    let parts = eventually(|| {
        let sent: Vec<SentMessage> = bot
            .fake
            .sent_messages(STAFF_CHAT)
            .into_iter()
            .skip(staff_n)
            .collect();
        (sent.len() >= 2).then_some(sent)
    })
    .await
    .expect("the long words arrive in more than one message");
    assert_eq!(
        parts[0].message_id,
        first.message_id,
        "{}",
        transcript(&parts)
    );
    let words: String = parts.iter().map(|m| m.text.as_str()).collect();
    assert!(
        words.matches("nứt thêm").count() >= 4096 / sentence.chars().count(),
        "{}",
        transcript(&parts)
    );

    // A reply to each part, the first as much as the last, is an answer to the case.
    for (i, part) in parts.iter().enumerate() {
        let msg = bot.fake.message(STAFF_CHAT, part.message_id).unwrap();
        let n = bot.count(minh.id);
        let answer = format!("Trả lời phần {}: em ghi nhận rồi ạ.", i + 1);
        push_staff_text(&bot.fake, &hoa, None, Some(msg), &answer);
        let relayed = bot
            .expect_after(minh.id, n, "💬 Quang Mobile (KN-000001)")
            .await;
        assert!(relayed.text.contains(&answer), "{}", relayed.text);
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_in_the_staff_group_comes_with_the_chart_as_an_uploaded_photo() {
    let bot = LiveBot::start().await;
    let minh = customer(5201, "Minh");
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");
    file_complaint(&bot, &minh).await;
    let before = bot.count(STAFF_CHAT);
    push_staff_text(&bot.fake, &hoa, None, None, "/stats");
    bot.expect_after(STAFF_CHAT, before, "📊 Tuần này:").await;
    let photo = bot.expect_after(STAFF_CHAT, before, "📈").await;
    assert!(photo.method.eq_ignore_ascii_case("sendPhoto"), "{photo:?}");
    // teloxide names the upload's part and points at it: `attach://<part>`.
    let part = photo.params["photo"].as_str().unwrap_or("");
    let file = &photo.params[part.trim_start_matches("attach://")];
    assert_eq!(file["file_name"], "bieu-do-tuan-2026-11-24.png", "{file}");
    let size = file["size"].as_u64().unwrap_or(0);
    assert!(size > 10_000, "a whole chart was uploaded: {size} bytes");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_with_the_bots_name_after_it_is_the_command() {
    let bot = LiveBot::start().await;
    let lan = customer(5105, "Lan");
    let command = format!("/BaoLuu@{} ", FakeBotApi::BOT_USERNAME);
    bot.say(&lan, &command, "Số hóa đơn đã thanh toán").await;
    let command = format!("/huy@{} ", FakeBotApi::BOT_USERNAME);
    bot.say(&lan, &command, "Đã hủy yêu cầu đang làm dở").await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_gives_a_staff_member_the_button_to_the_staff_page_and_nobody_else() {
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let mut s = settings(Params::default());
    s.ops.public_url = Some("https://cskh.example.vn/".into());
    let bot = LiveBot::start_with(false, clock, s).await;
    let hoa = staff_member(&bot, 9001, "Hoa", "hoa_cskh");
    let reply = bot.say(&hoa, "/dashboard", "Trang việc đang mở").await;
    let button = &reply.reply_markup["inline_keyboard"][0][0];
    assert_eq!(button["text"], "📋 Mở trang việc đang mở", "{button}");
    assert_eq!(
        button["web_app"]["url"], "https://cskh.example.vn/staff",
        "{button}"
    );
    // Someone outside the staff group is a customer like any other: no button.
    let tuan = customer(5401, "Tuấn");
    bot.fake.set_member(STAFF_CHAT, tuan.id, "left");
    bot.fake.push_text(&tuan, ChatRef::Private, "/dashboard");
    let answer = bot.expect_after(tuan.id, 0, "").await;
    assert!(
        !answer.reply_markup.to_string().contains("web_app"),
        "{answer:?}"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_is_answered_and_answers_in_words_are_read_or_shown_back_on_telegram() {
    let bot = LiveBot::start().await;
    let lan = customer(5031, "Lan");
    // A question about a rule: its answer and a button to start the request, no form.
    let answer = bot
        .say(
            &lan,
            "dong tien lau roi thi con bao luu dc ko",
            "Yêu cầu bảo lưu cần gửi trong vòng 60 ngày",
        )
        .await;
    bot.press(&lan, &answer, "m:defer", "Số hóa đơn đã thanh toán")
        .await;
    // Values inside words.
    bot.say(
        &lan,
        "so hoa don la HD-2026-0012 a",
        "Bạn đóng chi phí thi công",
    )
    .await;
    bot.say(&lan, "dong tien ngay 20/11 a", "Lịch thi công hiện tại")
        .await;
    // Two dates: a button for each, never a guess.
    let pick = bot
        .say(&lan, "lich hen 20/12 hoặc 21/12", "Bạn nhắn nhiều ngày")
        .await;
    assert_eq!(buttons(&pick), vec!["pk:0", "pk:1", "pk:x"]);
    assert!(pick.reply_markup.to_string().contains("21/12/2026"));
    let ask_reason = bot
        .press(&lan, &pick, "pk:1", "Vì sao bạn cần bảo lưu")
        .await;
    bot.press(&lan, &ask_reason, "r:illness", "giấy tờ xác nhận")
        .await;
    bot.say(&lan, "ko co a", "Bạn muốn thi công vào ngày nào")
        .await;
    // The values read from words are in the summary, before anything is sent.
    let summary = bot
        .say(&lan, "ngay 25/1 nam sau", "Bạn xem lại yêu cầu bảo lưu")
        .await;
    for value in ["HD-2026-0012", "20/11/2026", "21/12/2026", "25/01/2027"] {
        assert!(summary.text.contains(value), "{value}: {}", summary.text);
    }
    bot.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Personal data on Telegram.

/// A real deployment's settings: the notice is shown and consent asked.
fn asking_consent() -> Settings {
    let mut s = settings(Params::default());
    s.privacy = Default::default();
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_telegram_a_first_request_waits_for_the_notice_and_goes_on_after_dong_y() {
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let bot = LiveBot::start_with(false, clock, asking_consent()).await;
    let user = customer(5301, "Hoa").username("hoa_tg");
    let notice = bot
        .say(
            &user,
            "/baoluu",
            "cần bạn đồng ý cho lưu một số dữ liệu cá nhân",
        )
        .await;
    assert_eq!(buttons(&notice), ["pv:ok:1", "pv:no:1"]);
    // Nothing of theirs is stored but the message that waits.
    let found = crate::support::text_columns_containing(&bot.engine.store, "hoa_tg").await;
    assert!(found.is_empty(), "{found:?}");
    // A forged confirmation of an erasure never asked erases nothing.
    let n = bot.count(user.id);
    bot.fake
        .push_callback(&user, ChatRef::Private, notice.message_id, "pv:del:77");
    bot.expect_after(user.id, n, "Nút này không còn hiệu lực")
        .await;
    // "Đồng ý": the press is answered, and the deferral starts where the customer asked.
    let answered = bot.answers().len();
    bot.press(&user, &notice, "pv:ok:1", "Số hóa đơn đã thanh toán")
        .await;
    assert!(bot.answers().len() > answered);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_telegram_dulieu_sends_the_files_and_xoadulieu_erases_after_confirmation() {
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let bot = LiveBot::start_with(false, clock, asking_consent()).await;
    let user = customer(5302, "Lan").username("lan_tg");
    let notice = bot.say(&user, "/start", "cần bạn đồng ý").await;
    bot.press(&user, &notice, "pv:ok:1", "Xin chào").await;
    let menu = bot.say(&user, "/dulieu", "Dữ liệu của tôi").await;
    assert!(buttons(&menu).contains(&"pv:del".to_string()), "{menu:?}");
    let documents: Vec<ApiCall> = calls_of(&bot.fake, "sendDocument")
        .into_iter()
        .filter(|c| c.chat_id() == Some(user.id))
        .collect();
    assert_eq!(documents.len(), 2, "{documents:#?}");
    let confirm = bot
        .press(&user, &menu, "pv:del", "Bạn chắc chắn chứ?")
        .await;
    let erase = buttons(&confirm)
        .into_iter()
        .find(|d| d.starts_with("pv:del:"))
        .expect("a confirmation button");
    bot.press(&user, &confirm, &erase, "đã được xóa").await;
    let found = crate::support::text_columns_containing(&bot.engine.store, "lan_tg").await;
    assert!(found.is_empty(), "{found:?}");
    bot.stop().await;
}

#[path = "topics.rs"]
mod topics;

#[path = "telegram_links.rs"]
mod telegram_links;

#[path = "business.rs"]
mod business;

/// A text-only reply goes out joined to the reply after it: starting a form is one message
/// (the intro, then the first question with its buttons), not two, so that a burst of customers
/// starting at once waits for half as many messages under Telegram's 30 a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starting_a_form_is_one_message_with_the_intro_above_the_first_question() {
    let bot = LiveBot::start().await;
    let lan = TgUser::new(5998, "Lan").lang("vi");
    let first = bot.say(&lan, "/baoluu", "Số hóa đơn").await;
    assert!(
        first
            .text
            .starts_with("Bảo lưu chi phí thi công: mình sẽ hỏi từng thông tin một"),
        "{}",
        first.text
    );
    assert!(
        first.text.contains("\n\nSố hóa đơn đã thanh toán"),
        "{}",
        first.text
    );
    assert_eq!(
        bot.count(lan.id),
        1,
        "one message for the start of the form"
    );
    bot.say(&lan, "HD-2026-0012", "Bạn đóng chi phí").await;
    assert_eq!(bot.count(lan.id), 2);
    bot.stop().await;
}
