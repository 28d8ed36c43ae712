//! Telegram Business against the fake Bot API: the company's own account connected to the bot.
//! Customers who write to that account are served by the same engine, the answers go through
//! the connection; the connection's rights and its end are respected and told to staff; a
//! person of the company writing in a chat makes the bot step back there for a while.

use super::*;

const CONNECTION: &str = "bc-quang-1";

fn owner() -> TgUser {
    TgUser::new(7001, "Quang Mobile").username("quangmobile")
}

/// Waits until the bot has confirmed (handled) the update `id`.
async fn handled(bot: &LiveBot, id: i64) {
    eventually(|| (bot.fake.confirmed_offset() > id).then_some(()))
        .await
        .unwrap_or_else(|| panic!("update {id} was not confirmed within {WAIT:?}"));
}

/// The bot's answers into `chat` after its first `after` messages.
fn answers_after(bot: &LiveBot, chat: i64, after: usize) -> Vec<SentMessage> {
    bot.fake
        .sent_messages(chat)
        .into_iter()
        .skip(after)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_writing_to_the_companys_account_is_answered_through_the_connection() {
    let bot = LiveBot::start().await;
    let owner = owner();
    bot.fake
        .push_business_connection(&owner, CONNECTION, true, true);
    bot.expect_after(
        STAFF_CHAT,
        0,
        "@quangmobile đã kết nối bot qua Telegram Business",
    )
    .await;

    let huong = customer(5401, "Hương");
    let n = bot.count(huong.id);
    bot.fake
        .push_business_message(CONNECTION, &huong, &huong, "/start");
    let greeting = bot.expect_after(huong.id, n, "Xin chào").await;
    assert_eq!(greeting.params["business_connection_id"], json!(CONNECTION));

    // A button under the answer is hers, in that chat.
    let n = bot.count(huong.id);
    bot.fake
        .push_callback(&huong, ChatRef::Private, greeting.message_id, "m:defer");
    let intro = bot.expect_after(huong.id, n, "hóa đơn").await;
    assert_eq!(intro.params["business_connection_id"], json!(CONNECTION));
    assert!(
        bot.fake
            .sent_messages(huong.id)
            .iter()
            .all(|m| m.params["business_connection_id"] == json!(CONNECTION)),
        "every answer goes through the company's account"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_a_person_of_the_company_writes_the_bot_steps_back_there_and_staff_are_told() {
    let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
    let bot = LiveBot::start_with(false, clock.clone(), settings(Params::default())).await;
    let owner = owner();
    bot.fake
        .push_business_connection(&owner, CONNECTION, true, true);
    bot.expect_after(STAFF_CHAT, 0, "đã kết nối bot").await;
    let mai = customer(5402, "Mai").last_name("Trần");
    bot.fake
        .push_business_message(CONNECTION, &mai, &mai, "chào shop");
    bot.expect_after(mai.id, 0, "").await;

    // The owner answers her by hand.
    let staff_n = bot.count(STAFF_CHAT);
    bot.fake.push_business_message(
        CONNECTION,
        &owner,
        &mai,
        "Chào chị Mai, em là Quang, em hỗ trợ chị luôn nhé",
    );
    let told = bot
        .expect_after(STAFF_CHAT, staff_n, "đang nhắn trực tiếp với Mai Trần")
        .await;
    assert!(told.text.contains("30 phút"), "{}", told.text);

    // Her next words are for that person: the bot says nothing.
    let n = bot.count(mai.id);
    let id = bot
        .fake
        .push_business_message(CONNECTION, &mai, &mai, "/baoluu");
    handled(&bot, id).await;
    assert!(
        answers_after(&bot, mai.id, n).is_empty(),
        "the bot stays silent"
    );
    // Another message of the owner keeps the bot back, without telling staff again.
    bot.fake
        .push_business_message(CONNECTION, &owner, &mai, "Chị gửi em số hóa đơn nhé");
    let id = bot
        .fake
        .push_business_message(CONNECTION, &mai, &mai, "HD-2026-0012");
    handled(&bot, id).await;
    assert!(answers_after(&bot, mai.id, n).is_empty());
    let notices = bot
        .fake
        .sent_messages(STAFF_CHAT)
        .iter()
        .filter(|m| m.text.contains("đang nhắn trực tiếp"))
        .count();
    assert_eq!(notices, 1, "staff are told once");

    // 31 minutes after the owner's last message, the bot answers again.
    clock.set(vn_morning(date("2026-11-24")) + chrono::Duration::minutes(31));
    bot.fake
        .push_business_message(CONNECTION, &mai, &mai, "/baoluu");
    let back = bot.expect_after(mai.id, n, "hóa đơn").await;
    assert_eq!(back.params["business_connection_id"], json!(CONNECTION));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_right_to_reply_or_after_a_disconnection_the_bot_does_not_answer_and_staff_know(
) {
    let bot = LiveBot::start().await;
    let owner = owner();
    let lan = customer(5403, "Lan");

    // Connected without the right to reply.
    bot.fake
        .push_business_connection(&owner, CONNECTION, false, true);
    bot.expect_after(STAFF_CHAT, 0, "chưa cho bot quyền trả lời")
        .await;
    let id = bot
        .fake
        .push_business_message(CONNECTION, &lan, &lan, "/start");
    handled(&bot, id).await;
    assert!(bot.fake.sent_messages(lan.id).is_empty());

    // The right given: answered.
    let staff_n = bot.count(STAFF_CHAT);
    bot.fake
        .push_business_connection(&owner, CONNECTION, true, true);
    bot.expect_after(STAFF_CHAT, staff_n, "đã kết nối bot")
        .await;
    bot.fake
        .push_business_message(CONNECTION, &lan, &lan, "/start");
    bot.expect_after(lan.id, 0, "Xin chào").await;

    // Disconnected: staff are told, and nothing more is sent through it.
    let staff_n = bot.count(STAFF_CHAT);
    bot.fake
        .push_business_connection(&owner, CONNECTION, true, false);
    bot.expect_after(STAFF_CHAT, staff_n, "đã ngắt kết nối bot")
        .await;
    let n = bot.count(lan.id);
    let id = bot
        .fake
        .push_business_message(CONNECTION, &lan, &lan, "/start");
    handled(&bot, id).await;
    assert!(answers_after(&bot, lan.id, n).is_empty());
    bot.stop().await;
}
