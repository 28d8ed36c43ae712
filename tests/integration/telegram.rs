//! Telegram end to end: the real dispatcher (`channels::telegram::run`) polling a fake Bot API,
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
use serde_json::Value;
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
        let task = tokio::spawn(telegram::run(
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
        "help",
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
        buttons(&card).is_empty(),
        "an approved request needs no staff decision"
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
        inline_buttons(&now["reply_markup"]).is_empty(),
        "the decided card has no buttons left: {now}"
    );
    let req = bot.engine.store.request(id).await.unwrap().unwrap();
    assert_eq!(req.status, RequestStatus::StaffApproved);
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
    let stored = bot.engine.store.customer(binh.id).await.unwrap().unwrap();
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
    let stored = bot.engine.store.customer(chi.id).await.unwrap().unwrap();
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
    let stored = bot.engine.store.customer(john.id).await.unwrap().unwrap();
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
            id,
            chat_id: id,
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
    let task = tokio::spawn(telegram::run(fake.bot(), engine, false, async {}));
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
    assert_eq!(req.kind, cskh::dialogue::RequestKind::Refund);
    bot.stop().await;
}
