//! Telegram's length limits, counted as Telegram counts them (UTF-16 code units), against the
//! strict fake Bot API: every piece the bot sends is accepted and nothing is lost.

use cskh::channels::telegram::{utf16_len, TelegramTransport};
use cskh::channels::{Channel, Content, File, Message, SendError};
use cskh::dialogue::{Attachment, MediaKind};
use unicode_normalization::UnicodeNormalization;

use crate::fake_api::FakeBotApi;

const CHAT: i64 = 424_242;

/// Sends every piece of `out`; returns the texts Telegram accepted.
async fn send_all(fake: &FakeBotApi, out: &Content) -> Vec<String> {
    let transport = TelegramTransport::new(fake.bot());
    let before = fake.sent_messages(CHAT).len();
    for piece in transport.parts(out) {
        transport
            .send(&CHAT.to_string(), None, &piece)
            .await
            .unwrap_or_else(|e| panic!("a piece was refused: {e:?}"));
    }
    fake.sent_messages(CHAT)
        .into_iter()
        .skip(before)
        .map(|m| m.text)
        .collect()
}

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

#[tokio::test]
async fn long_texts_of_emoji_vietnamese_marks_and_one_unbroken_line_all_reach_telegram_whole() {
    let fake = FakeBotApi::start().await;
    let transport = TelegramTransport::new(fake.bot());
    let emoji = "😀👍🏽 ".repeat(1024);
    let decomposed: String = "Nguyễn Thị Phượng khiếu nại về việc thi công chậm trễ\n"
        .repeat(150)
        .nfd()
        .collect();
    // Exactly Telegram's limit (4,096 characters, all one UTF-16 unit), then beyond it.
    let marks: String = decomposed.chars().take(4096).collect();
    let more_marks: String = decomposed.chars().take(9000).collect();
    let unbroken: String = "Phượng".nfd().collect::<String>().repeat(700);
    assert_eq!(utf16_len(&marks), 4096);
    let sent = send_all(&fake, &Content::text(marks.clone())).await;
    assert_eq!(
        sent,
        vec![marks.clone()],
        "a text of exactly 4,096 units goes whole"
    );
    for text in [&emoji, &more_marks, &unbroken] {
        assert!(utf16_len(text) > 4096);
        // The strict fake refuses the whole text, as Telegram does.
        let whole = transport
            .send(&CHAT.to_string(), None, &Content::text(text.clone()))
            .await;
        assert!(
            matches!(&whole, Err(SendError::Permanent(e)) if e.contains("too long")),
            "{whole:?}"
        );
        let sent = send_all(&fake, &Content::text(text.clone())).await;
        assert!(sent.len() >= 2, "{}", sent.len());
        assert!(sent.iter().all(|t| utf16_len(t) <= 4096));
        if text.contains(' ') {
            assert_eq!(words(&sent.join(" ")), words(text), "nothing lost");
        } else {
            assert_eq!(sent.concat(), *text, "nothing lost");
        }
    }
}

#[tokio::test]
async fn a_caption_too_long_for_a_photo_goes_first_in_full_as_a_text() {
    let fake = FakeBotApi::start().await;
    let caption = "🙂 ".repeat(400); // 400 characters, 1,200 UTF-16 units
    let out = Content::Message(Message {
        file: Some(File::Received(Attachment {
            kind: MediaKind::Photo,
            file_id: "photo-1".into(),
            file_name: None,
        })),
        ..Message::text(caption.clone())
    });
    let sent = send_all(&fake, &out).await;
    assert_eq!(sent.first().map(|t| words(t)), Some(words(&caption)));
    let photos = fake
        .calls()
        .into_iter()
        .filter(|c| c.is("sendPhoto"))
        .collect::<Vec<_>>();
    assert_eq!(photos.len(), 1);
    assert!(utf16_len(photos[0].params["caption"].as_str().unwrap_or("")) <= 1024);
}

#[tokio::test]
async fn the_strict_fake_refuses_a_document_without_a_file() {
    let fake = FakeBotApi::start().await;
    let transport = TelegramTransport::new(fake.bot());
    let out = Content::Message(Message {
        file: Some(File::Received(Attachment {
            kind: MediaKind::Other,
            file_id: String::new(),
            file_name: None,
        })),
        ..Message::text("tệp")
    });
    let sent = transport.send(&CHAT.to_string(), None, &out).await;
    assert!(
        matches!(&sent, Err(SendError::Permanent(e)) if e.contains("no document")),
        "{sent:?}"
    );
}
