//! The outbox: nothing is lost across a restart or a Telegram error, nothing is sent twice.

use chrono::Duration;
use cskh::delivery::SendError;
use cskh::dialogue::{Input, Lang};
use cskh::engine::{Clock, Handled, Incoming};
use cskh::policy::Params;
use cskh::store::SeenUser;

use crate::support::{date, memory_db, TestApp, STAFF_CHAT};

fn customer(id: i64) -> SeenUser {
    SeenUser {
        channel: "telegram".into(),
        external_id: id.to_string(),
        address: id.to_string(),
        name: "Trần Văn Nam".into(),
        username: None,
        lang: Lang::Vi,
    }
}

async fn say(app: &TestApp, who: i64, key: Option<&str>, text: &str) -> Handled {
    app.engine
        .handle(Incoming {
            key: key.map(str::to_string),
            user: customer(who),
            input: Input::Text(text.into()),
        })
        .await
        .unwrap()
}

fn texts_to(app: &TestApp, chat: i64) -> Vec<String> {
    app.recorder
        .all()
        .into_iter()
        .filter(|s| s.chat_id == chat)
        .map(|s| s.msg.text)
        .collect()
}

#[tokio::test]
async fn a_reply_written_before_a_crash_is_sent_once_by_the_next_process() {
    let db = memory_db();
    let first = TestApp::on(&db, date("2026-11-24"), Params::default()).await;
    say(&first, 501, Some("tg:1"), "/start").await;
    // The process dies before delivering anything.
    let second = TestApp::on(&db, date("2026-11-24"), Params::default()).await;
    drop(first);
    second.delivery.flush().await;
    second.delivery.flush().await;
    let sent = texts_to(&second, 501);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("Xin chào"), "{sent:?}");
    assert_eq!(
        second.engine.store.outbox_counts().await.unwrap(),
        (0, 1, 0)
    );
}

#[tokio::test]
async fn an_update_telegram_sends_again_is_answered_once() {
    let app = TestApp::new(date("2026-11-24")).await;
    assert_eq!(say(&app, 502, Some("tg:77"), "/start").await, Handled::Done);
    assert_eq!(
        say(&app, 502, Some("tg:77"), "/start").await,
        Handled::Duplicate
    );
    app.delivery.flush().await;
    assert_eq!(texts_to(&app, 502).len(), 1);
}

#[tokio::test]
async fn update_keys_are_kept_three_days_then_forgotten_a_few_thousand_at_a_time() {
    let app = TestApp::new(date("2026-11-24")).await;
    assert_eq!(say(&app, 503, Some("tg:1"), "/start").await, Handled::Done);
    app.clock.advance(Duration::days(2));
    assert_eq!(say(&app, 503, Some("tg:2"), "/start").await, Handled::Done);
    // More old keys than one statement forgets (written straight, as a busy day would).
    let old = app.clock.now().timestamp() - 2 * 86_400;
    {
        let mut tx = app.engine.store.begin().await.unwrap();
        for i in 0..12_001 {
            assert!(
                cskh::store::mark_update(&mut tx, &format!("zalo:m{i}"), old)
                    .await
                    .unwrap()
            );
        }
        tx.commit().await.unwrap();
    }
    // Two days after the first: nothing is old enough yet.
    assert_eq!(app.engine.forget_old_updates().await.unwrap(), 0);
    app.clock.advance(Duration::hours(25));
    assert_eq!(
        app.engine.forget_old_updates().await.unwrap(),
        12_002,
        "tg:1 and the 12,001 written with it, over three statements"
    );
    assert_eq!(app.engine.forget_old_updates().await.unwrap(), 0);
    // The key of a day ago still makes a repeat a no-op; the forgotten one is new again.
    assert_eq!(
        say(&app, 503, Some("tg:2"), "/start").await,
        Handled::Duplicate
    );
    assert_eq!(say(&app, 503, Some("tg:1"), "/start").await, Handled::Done);
    let mut tx = app.engine.store.begin().await.unwrap();
    assert!(
        cskh::store::mark_update(&mut tx, "zalo:m0", old)
            .await
            .unwrap(),
        "a forgotten key is recorded anew"
    );
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn a_rate_limited_message_waits_and_is_then_sent_once_in_order() {
    let app = TestApp::new(date("2026-11-24")).await;
    app.recorder.fail_next(503, SendError::RetryAfter(5));
    say(&app, 503, None, "/start").await;
    say(&app, 503, None, "/trangthai").await;
    app.delivery.flush().await;
    assert!(
        texts_to(&app, 503).is_empty(),
        "nothing goes out before the wait, not even the later reply"
    );
    app.clock.advance(Duration::seconds(6));
    app.delivery.flush().await;
    let sent = texts_to(&app, 503);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        sent[0].contains("Xin chào") && sent[1].contains("chưa có yêu cầu"),
        "{sent:?}"
    );
}

#[tokio::test]
async fn one_customer_waiting_on_a_retry_does_not_hold_back_another() {
    let app = TestApp::new(date("2026-11-24")).await;
    app.recorder
        .fail_next(504, SendError::Transient("connection reset".into()));
    say(&app, 504, None, "/start").await;
    say(&app, 505, None, "/start").await;
    app.delivery.flush().await;
    assert!(texts_to(&app, 504).is_empty());
    assert_eq!(texts_to(&app, 505).len(), 1);
    app.clock.advance(Duration::seconds(2));
    app.delivery.flush().await;
    assert_eq!(texts_to(&app, 504).len(), 1, "retried after the back-off");
}

#[tokio::test]
async fn a_customer_who_blocked_the_bot_is_marked_and_staff_are_told_once() {
    let app = TestApp::new(date("2026-11-24")).await;
    app.recorder.fail_next(506, SendError::Blocked);
    say(&app, 506, None, "/start").await;
    say(&app, 506, None, "/menu").await;
    app.delivery.flush().await;
    assert!(
        texts_to(&app, 506).is_empty(),
        "no retry for a blocked customer"
    );
    let customer = crate::support::telegram_customer(&app.engine.store, 506).await;
    assert!(customer.unreachable);
    let staff = texts_to(&app, STAFF_CHAT);
    assert_eq!(staff.len(), 1, "{staff:?}");
    assert!(
        staff[0].contains("đã chặn bot") && staff[0].contains("Trần Văn Nam"),
        "{staff:?}"
    );
    // Writing again makes them reachable.
    say(&app, 506, None, "/start").await;
    app.delivery.flush().await;
    assert_eq!(texts_to(&app, 506).len(), 1);
    assert!(
        !crate::support::telegram_customer(&app.engine.store, 506)
            .await
            .unreachable
    );
}

#[tokio::test]
async fn a_message_telegram_refuses_for_good_is_not_retried_and_the_next_goes_out() {
    let app = TestApp::new(date("2026-11-24")).await;
    app.recorder.fail_next(
        507,
        SendError::Permanent("Bad Request: can't parse entities".into()),
    );
    say(&app, 507, None, "/start").await;
    say(&app, 507, None, "/trangthai").await;
    app.delivery.flush().await;
    let sent = texts_to(&app, 507);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("chưa có yêu cầu"));
    assert_eq!(app.engine.store.outbox_counts().await.unwrap(), (0, 1, 1));
}

#[tokio::test]
async fn a_long_message_cut_in_parts_goes_on_after_a_crash_with_the_first_part_not_yet_sent() {
    use cskh::channels::Content;
    let db = memory_db();
    let first = TestApp::on(&db, date("2026-11-24"), Params::default()).await;
    let text = "một dòng khá dài của khách hàng\n".repeat(300);
    let content = Content::text(text.clone());
    let now = first.engine.clock.now().timestamp();
    let mut tx = first.engine.store.begin().await.unwrap();
    let row = cskh::store::enqueue(&mut tx, 777, None, Some(777), None, &content, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let parts: Vec<String> = cskh::channels::telegram::parts(&content)
        .iter()
        .map(|p| p.message().unwrap().text.clone())
        .collect();
    assert!(parts.len() >= 3, "{}", parts.len());
    // The first part went out; the process died before the second.
    first
        .engine
        .store
        .mark_parts_sent(row, 1, Some(41))
        .await
        .unwrap();
    // The next process opens the database before the first one's connections are gone (an
    // in-memory database lives only while a connection to it is open).
    let second = TestApp::on(&db, date("2026-11-24"), Params::default()).await;
    drop(first);
    second.delivery.flush().await;
    second.delivery.flush().await;
    assert_eq!(texts_to(&second, 777), parts[1..].to_vec());
    assert_eq!(
        second.engine.store.outbox_counts().await.unwrap(),
        (0, 1, 0)
    );
}

#[tokio::test]
async fn rows_written_by_the_release_before_are_sent_as_they_were_meant() {
    let app = TestApp::new(date("2026-11-24")).await;
    let now = app.engine.clock.now().timestamp();
    let legacy = [
        r#"{"text":"Dạ em chào anh/chị","buttons":[[["Bảo lưu","m:deferral"]]],"attachment":null,"edit_message_id":null,"remove_keyboard":false}"#,
        r#"{"text":"Cho em xin số điện thoại ạ","buttons":[],"attachment":null,"edit_message_id":null,"remove_keyboard":false,"contact_button":"📱 Gửi số điện thoại"}"#,
        r#"{"text":"Cảm ơn anh/chị","buttons":[],"attachment":null,"edit_message_id":null,"remove_keyboard":true}"#,
    ];
    for payload in legacy {
        sqlx::query(
            "INSERT INTO outbox (address, customer_id, payload, next_attempt_at, created_at) \
             VALUES ('888', $1, $2, $3, $3)",
        )
        .bind(888i64)
        .bind(payload)
        .bind(now)
        .execute(&app.engine.store.pool)
        .await
        .unwrap();
    }
    app.delivery.flush().await;
    let sent: Vec<_> = app
        .recorder
        .all()
        .into_iter()
        .filter(|s| s.chat_id == 888)
        .map(|s| s.msg)
        .collect();
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert_eq!(sent[0].text, "Dạ em chào anh/chị");
    assert_eq!(
        sent[0].buttons,
        vec![vec![("Bảo lưu".to_string(), "m:deferral".to_string())]]
    );
    assert_eq!(
        sent[1].contact_button.as_deref(),
        Some("📱 Gửi số điện thoại")
    );
    assert!(sent[2].remove_keyboard);
    assert_eq!(app.engine.store.outbox_counts().await.unwrap(), (0, 3, 0));
}

/// A channel that keeps what it was asked to send, by address.
#[derive(Default)]
struct Kept(std::sync::Mutex<Vec<(String, String)>>);

impl cskh::channels::Channel for Kept {
    fn limits(&self) -> cskh::channels::Limits {
        cskh::channels::Limits::default()
    }

    async fn send(
        &self,
        address: &str,
        _thread: Option<i64>,
        part: &cskh::channels::Content,
    ) -> Result<cskh::channels::Sent, SendError> {
        let text = part.message().map(|m| m.text.clone()).unwrap_or_default();
        self.0.lock().unwrap().push((address.to_string(), text));
        Ok(cskh::channels::Sent::default())
    }
}

#[tokio::test]
async fn each_outbox_row_goes_through_the_channel_it_names_and_one_no_process_has_waits() {
    use std::sync::Arc;
    let app = TestApp::new(date("2026-11-24")).await;
    let now = app.engine.clock.now().timestamp();
    for (channel, address, text) in [
        ("zalo", "8435761203948812", "Dạ em chào chị (Zalo)"),
        ("telegram", "888", "Dạ em chào anh (Telegram)"),
        ("viber", "abc", "Dạ (Viber)"),
        ("zalo", "8435761203948812", "Tin thứ hai (Zalo)"),
    ] {
        let payload = serde_json::to_string(&cskh::channels::Content::text(text)).unwrap();
        sqlx::query(
            "INSERT INTO outbox (channel, address, payload, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(channel)
        .bind(address)
        .bind(payload)
        .bind(now)
        .execute(&app.engine.store.pool)
        .await
        .unwrap();
    }
    let telegram = Arc::new(Kept::default());
    let zalo = Arc::new(Kept::default());
    let channels = cskh::channels::Channels::new()
        .with("telegram", telegram.clone())
        .with("zalo", zalo.clone());
    let delivery = cskh::delivery::Delivery::new(app.engine.clone(), channels);
    delivery.flush().await;
    let of = |k: &Kept| k.0.lock().unwrap().clone();
    assert_eq!(
        of(&zalo),
        vec![
            ("8435761203948812".into(), "Dạ em chào chị (Zalo)".into()),
            ("8435761203948812".into(), "Tin thứ hai (Zalo)".into()),
        ]
    );
    assert_eq!(
        of(&telegram),
        vec![("888".to_string(), "Dạ em chào anh (Telegram)".to_string())]
    );
    // The Viber row is kept for a process that can send it.
    assert_eq!(app.engine.store.outbox_counts().await.unwrap(), (1, 3, 0));
}

#[tokio::test]
async fn a_reply_goes_out_before_a_backlog_of_reminders_written_earlier() {
    use cskh::store::{self, priority, Content};
    let app = TestApp::new(date("2025-03-03")).await;
    let store = &app.engine.store;
    // A backlog as a restart finds it: twenty reminders, then one reply, all pending.
    let mut tx = store.begin().await.unwrap();
    for i in 0..20 {
        let c = store::upsert_customer(&mut tx, &customer(5000 + i), 10)
            .await
            .unwrap();
        let text = Content::text(format!("Nhắc lịch {i}"));
        store::enqueue_to_customer_as(&mut tx, &c, None, &text, 10, priority::BULK)
            .await
            .unwrap();
    }
    let c = store::upsert_customer(&mut tx, &customer(6000), 10)
        .await
        .unwrap();
    store::enqueue_to_customer(&mut tx, &c, None, &Content::text("Dạ em chào anh"), 10)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(app.delivery.clone().run(async move {
        let _ = stopped.await;
    }));
    for _ in 0..500 {
        if app.recorder.all().len() >= 21 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let _ = stop.send(());
    run.await.unwrap();
    let sent = app.recorder.all();
    assert_eq!(sent.len(), 21, "everything is sent");
    let reply = sent.iter().position(|s| s.chat_id == 6000).unwrap();
    // At most the few reminder chats started beside it go first.
    assert!(reply <= 4, "the reply went out {}th of 21", reply + 1);
}

/// The sender is handed the chats given new rows after each commit (no look through the
/// outbox per message): what a committed transaction wrote is handed over with its priority,
/// what a rolled-back one wrote is not, and a customer's answer is handed over as a reply.
#[tokio::test]
async fn the_chats_a_commit_wrote_to_are_handed_to_the_sender_and_a_rollback_hands_nothing() {
    use cskh::store::{self, priority, Content, OutboxChat};
    let app = TestApp::on(&memory_db(), date("2025-03-03"), Params::default()).await;
    let store = &app.engine.store;
    store.take_fresh_chats();
    let staff = OutboxChat {
        channel: "telegram".into(),
        address: STAFF_CHAT.to_string(),
    };
    let msg = Content::Message(store::Message::text("một"));

    let mut tx = store.begin().await.unwrap();
    store::enqueue(&mut tx, STAFF_CHAT, None, None, None, &msg, 0)
        .await
        .unwrap();
    assert!(
        store.take_fresh_chats().is_empty(),
        "nothing before the commit"
    );
    tx.rollback().await.unwrap();
    assert!(
        store.take_fresh_chats().is_empty(),
        "nothing after a rollback"
    );

    let mut tx = store.begin().await.unwrap();
    store::enqueue(&mut tx, STAFF_CHAT, None, None, None, &msg, 0)
        .await
        .unwrap();
    drop(tx);
    assert!(store.take_fresh_chats().is_empty(), "nothing after a drop");

    let mut tx = store.begin().await.unwrap();
    store::enqueue(&mut tx, STAFF_CHAT, None, None, None, &msg, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.take_fresh_chats(), vec![(staff, priority::STAFF)]);

    assert_eq!(say(&app, 42, Some("u1"), "xin chào").await, Handled::Done);
    let handed = store.take_fresh_chats();
    assert!(
        handed
            .iter()
            .any(|(chat, p)| chat.address == "42" && *p == priority::REPLY),
        "{handed:?}"
    );
}

/// The store's two connections on one database file: the sender's write waits for the update
/// transaction under way (without failing, without blocking the runtime: the test's own timer
/// runs meanwhile) and goes through once it commits; an update transaction dropped uncommitted
/// keeps nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_senders_write_waits_for_the_update_transaction_and_a_dropped_one_keeps_nothing() {
    use cskh::store::{self, Content};
    let db = crate::support::shared_db().await;
    let app = TestApp::on(&db.url, date("2025-03-03"), Params::default()).await;
    let store = app.engine.store.clone();
    let msg = Content::Message(store::Message::text("một"));

    // Dropped uncommitted: nothing kept.
    let mut tx = store.begin().await.unwrap();
    store::enqueue(&mut tx, STAFF_CHAT, None, None, None, &msg, 0)
        .await
        .unwrap();
    drop(tx);
    assert_eq!(store.outbox_counts().await.unwrap().0, 0, "a dropped row");

    let mut conn = store.conn().await.unwrap();
    let id = store::enqueue(&mut conn, STAFF_CHAT, None, None, None, &msg, 0)
        .await
        .unwrap();
    drop(conn);
    let mut tx = store.begin().await.unwrap();
    store::enqueue(&mut tx, STAFF_CHAT, None, None, None, &msg, 0)
        .await
        .unwrap();
    let sender = store.for_sender();
    let marking = tokio::spawn(async move { sender.mark_sent(id, Some(7), 1).await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    if store.backend == cskh::store::Backend::Sqlite {
        // SQLite has one writer: the mark waits for the update's commit.
        assert!(
            !marking.is_finished(),
            "marked while the update held the lock"
        );
    }
    tx.commit().await.unwrap();
    marking
        .await
        .unwrap()
        .expect("marked once the update committed");
    let (pending, sent, _) = store.outbox_counts().await.unwrap();
    assert_eq!((pending, sent), (1, 1));
}

/// A batch of updates on SQLite: its parts (each a transaction of its own to the engine) share
/// one commit while more parts wait for the connection, so the sender sees nothing of a
/// released part until the last waiting one is through; a part rolled back or dropped undoes
/// only itself; the chats are handed to the sender with that commit. A batch whose
/// transaction was lost says so at its end (its updates are then all handled again).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_parts_of_a_batch_share_a_commit_and_a_failed_part_undoes_only_itself() {
    use cskh::store::{self, Content};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cskh.db").display());
    let app = TestApp::on(&url, date("2025-03-03"), Params::default()).await;
    let store = app.engine.store.clone();
    let sender = store.for_sender();
    store.take_fresh_chats();
    let pending = |s: &cskh::store::Store| {
        let s = s.clone();
        async move {
            s.pending_outbox(100)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.address)
                .collect::<Vec<_>>()
        }
    };
    let write = |store: &cskh::store::Store, chat: i64| {
        let store = store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let msg = Content::Message(store::Message::text("một"));
            store::enqueue(&mut tx, chat, None, None, None, &msg, 0)
                .await
                .unwrap();
            tx
        }
    };

    // A span longer than the test's pauses (the bot's is a few milliseconds).
    let batch = std::sync::Arc::new(store.batch(std::time::Duration::from_secs(30)).unwrap());
    // A part writes into chat `first` and holds the connection until `then`, another part of
    // the batch, waits for it; it commits after a pause. Returns once both parts have ended.
    let first_then =
        |first: i64, then: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>| {
            let (store, batch) = (store.clone(), batch.clone());
            async move {
                let (then_started, started) = tokio::sync::oneshot::channel::<()>();
                let holder = {
                    let (store, batch) = (store.clone(), batch.clone());
                    tokio::spawn(async move {
                        batch
                            .run(async move {
                                let tx = write(&store, first).await;
                                started.await.unwrap();
                                // The other part is queued behind this one by now.
                                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                                tx.commit().await.unwrap();
                            })
                            .await
                    })
                };
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                let waiter = tokio::spawn(async move {
                    batch
                        .run(async move {
                            then_started.send(()).unwrap();
                            then.await;
                        })
                        .await
                });
                holder.await.unwrap();
                waiter.await.unwrap();
            }
        };

    first_then(101, {
        let (store, sender) = (store.clone(), sender.clone());
        Box::pin(async move {
            let tx = write(&store, 102).await;
            // Part 1 is released, but not committed: part 2 was waiting.
            let seen = pending(&sender).await;
            assert!(seen.is_empty(), "the sender saw {seen:?} before the commit");
            assert!(store.take_fresh_chats().is_empty());
            tx.commit().await.unwrap();
        })
    })
    .await;
    // Nothing waited after part 2: its release committed both.
    assert_eq!(pending(&sender).await, vec!["101", "102"]);
    let mut handed: Vec<String> = store
        .take_fresh_chats()
        .into_iter()
        .map(|(c, _)| c.address)
        .collect();
    handed.sort();
    assert_eq!(handed, vec!["101", "102"]);

    // A part rolled back, one dropped, one kept: only the kept one stays.
    batch
        .run(async {
            write(&store, 103).await.rollback().await.unwrap();
            drop(write(&store, 104).await);
            write(&store, 105).await.commit().await.unwrap();
        })
        .await;
    // A part rolled back after another part in the same transaction: the other stays.
    first_then(108, {
        let store = store.clone();
        Box::pin(async move {
            write(&store, 109).await.rollback().await.unwrap();
            drop(write(&store, 110).await);
        })
    })
    .await;
    let batch = std::sync::Arc::into_inner(batch).unwrap();
    assert!(batch.finish().await, "nothing of this batch was lost");
    assert_eq!(pending(&sender).await, vec!["101", "102", "105", "108"]);

    // A batch whose transaction SQLite rolled back (here by hand) reports it at its end.
    let batch = app.engine.batch();
    batch
        .run(async {
            let mut tx = write(&store, 106).await;
            cskh::store::db::query("ROLLBACK")
                .execute(&mut *tx)
                .await
                .unwrap();
            let _ = tx.commit().await;
            write(&store, 107).await.commit().await.unwrap();
        })
        .await;
    assert!(!batch.finish().await, "the lost part is reported");
    let left = pending(&sender).await;
    assert!(!left.contains(&"106".to_string()), "{left:?}");
}

/// The sender's marks of rows sent are written together: a mark that comes while another is
/// being written queues, and the next writer takes the whole queue. A writer cut off (its send
/// abandoned) leaves the marks it took to their own callers, each of whom writes its own; every
/// call returns only once its mark is committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sent_marks_queued_behind_a_writer_are_written_together_and_survive_a_writer_cut_off() {
    use cskh::store::{self, Content};
    let ms = std::time::Duration::from_millis;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cskh.db").display());
    let app = TestApp::on(&url, date("2025-03-03"), Params::default()).await;
    let store = app.engine.store.clone();
    let sender = store.for_sender();
    let mut tx = store.begin().await.unwrap();
    for chat in 201..=204 {
        let msg = Content::Message(store::Message::text("một"));
        store::enqueue(&mut tx, chat, None, None, None, &msg, 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let pending_ids = || async {
        let rows = store.pending_outbox(10).await.unwrap();
        rows.iter().map(|r| r.id).collect::<Vec<i64>>()
    };
    let ids = pending_ids().await;
    assert_eq!(ids.len(), 4);
    let mark = |id: i64| {
        let sender = sender.clone();
        tokio::spawn(async move { sender.mark_sent(id, Some(id * 10), 7).await })
    };

    // The sender's connection is busy: the first mark's writer waits for it.
    let hold = sender.begin().await.unwrap();
    let a = mark(ids[0]);
    tokio::time::sleep(ms(50)).await;
    // b first in the line for the writer's lock (it is fair), then c and d.
    let b = mark(ids[1]);
    tokio::time::sleep(ms(50)).await;
    let (c, d) = (mark(ids[2]), mark(ids[3]));
    tokio::time::sleep(ms(50)).await;
    // Cut off: a's send is abandoned; b then takes the queue (its own, c's and d's marks).
    a.abort();
    tokio::time::sleep(ms(50)).await;
    assert!(!c.is_finished() && !d.is_finished());
    // b cut off while writing the three: c and d write their own.
    b.abort();
    tokio::time::sleep(ms(50)).await;
    assert!(!c.is_finished() && !d.is_finished(), "nothing written yet");
    drop(hold);
    c.await.unwrap().unwrap();
    d.await.unwrap().unwrap();
    let pending = pending_ids().await;
    assert_eq!(
        pending,
        vec![ids[0], ids[1]],
        "the abandoned sends stay to be sent"
    );
    for id in [ids[2], ids[3]] {
        let (status, message): (String, Option<i64>) =
            cskh::store::db::query_as("SELECT status, message_id FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *store.conn().await.unwrap())
                .await
                .unwrap();
        assert_eq!((status.as_str(), message), ("sent", Some(id * 10)));
    }
}
