//! A case's forum topic that staff deleted or closed by mistake heals: a new topic with the
//! same title, the card and a note of the old topic's fate, and the message that failed is
//! delivered there. Run through the real poller against the fake Bot API.

use super::*;

/// The customer writes into their open case; the words reach the staff group.
async fn customer_adds(bot: &LiveBot, user: &TgUser, text: &str) -> SentMessage {
    let n = bot.count(STAFF_CHAT);
    bot.fake.push_text(user, ChatRef::Private, text);
    bot.expect_after(STAFF_CHAT, n, text).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_whose_topic_was_deleted_gets_a_new_topic_and_the_message_goes_there() {
    let bot = LiveBot::start().await;
    bot.fake.set_forum(STAFF_CHAT);
    let lan = customer(5201, "Lan").last_name("Nguyễn");
    let hoa = staff_member(&bot, 9201, "Hoa", "hoa_cskh");
    file_complaint(&bot, &lan).await;
    let (card, case_id) = case_card(&bot).await;
    let old = card.message_thread_id.expect("the case has a topic");
    let title = calls_of(&bot.fake, "createForumTopic")[0].params["name"].clone();

    // Someone deletes the topic in the Telegram app.
    bot.fake.delete_topic(STAFF_CHAT, old);
    let n = bot.count(STAFF_CHAT);
    let relayed = customer_adds(&bot, &lan, "Vết nứt hôm nay rộng hơn rồi ạ").await;

    // Telegram refused the send into the old topic as it does ("message thread not found").
    let refused = bot
        .fake
        .calls()
        .into_iter()
        .filter(|c| c.is("sendMessage") && c.params["message_thread_id"] == json!(old))
        .count();
    assert!(refused >= 1, "the bot tried the old topic first");
    let created = calls_of(&bot.fake, "createForumTopic");
    assert_eq!(created.len(), 2, "one new topic: {created:#?}");
    assert_eq!(created[1].params["name"], title, "titled as before");
    let new = relayed
        .message_thread_id
        .expect("the customer's words go into a topic");
    assert_ne!(new, old);
    let in_new: Vec<SentMessage> = bot.fake.sent_messages(STAFF_CHAT)[n..]
        .iter()
        .filter(|m| m.message_thread_id == Some(new))
        .cloned()
        .collect();
    let texts = transcript(&in_new);
    assert!(
        in_new[0].text.contains("📣 KN-000001") && buttons(&in_new[0]).len() == 6,
        "the card with its buttons opens the new topic:\n{texts}"
    );
    let note = in_new
        .iter()
        .find(|m| m.text.contains("Chủ đề cũ của hồ sơ KN-000001 đã bị xóa"))
        .unwrap_or_else(|| panic!("a note of the old topic's fate:\n{texts}"));
    assert!(note.text.contains("Lịch sử"), "{}", note.text);
    assert_eq!(
        bot.engine
            .store
            .case(case_id)
            .await
            .unwrap()
            .unwrap()
            .topic_id,
        Some(new),
        "the case now lives in the new topic"
    );

    // The next words go straight into the new topic: no other topic, no second note.
    let next = customer_adds(&bot, &lan, "Chiều nay em ở nhà cả buổi").await;
    assert_eq!(next.message_thread_id, Some(new));
    assert_eq!(calls_of(&bot.fake, "createForumTopic").len(), 2);
    let notes = bot
        .fake
        .sent_messages(STAFF_CHAT)
        .iter()
        .filter(|m| m.text.contains("Chủ đề cũ của hồ sơ"))
        .count();
    assert_eq!(notes, 1, "staff are told once");

    // Staff answer from the new topic and the customer hears it.
    let before = bot.count(lan.id);
    push_staff_text(
        &bot.fake,
        &hoa,
        Some(new),
        None,
        "/tl Dạ chiều nay bên em qua xem ạ.",
    );
    bot.expect_after(lan.id, before, "chiều nay bên em qua xem")
        .await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_whose_topic_was_closed_gets_a_new_topic_that_says_so() {
    let bot = LiveBot::start().await;
    bot.fake.set_forum(STAFF_CHAT);
    let lan = customer(5202, "Mai");
    file_complaint(&bot, &lan).await;
    let (card, case_id) = case_card(&bot).await;
    let old = card.message_thread_id.expect("the case has a topic");

    bot.fake.close_topic(STAFF_CHAT, old);
    let relayed = customer_adds(&bot, &lan, "Shop ơi em gửi thêm ảnh sau nhé").await;
    let new = relayed.message_thread_id.expect("into a topic");
    assert_ne!(new, old);
    bot.expect_after(STAFF_CHAT, 0, "Chủ đề cũ của hồ sơ KN-000001 đã bị đóng")
        .await;
    assert_eq!(
        bot.engine
            .store
            .case(case_id)
            .await
            .unwrap()
            .unwrap()
            .topic_id,
        Some(new)
    );
    bot.stop().await;
}
