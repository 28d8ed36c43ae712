//! The morning summary in the staff group and the health alerts, on a clock the test moves
//! (`run_due_jobs` and `HealthWatch::check` are what the scheduler calls).

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use cskh::delivery::SendError;
use cskh::dialogue::{Input, Lang};
use cskh::engine::{Alert, HealthWatch, Incoming};
use cskh::store::SeenUser;

use crate::registry::a_week_of_work;
use crate::support::{date, Sent, TestApp, STAFF_CHAT};

/// `YYYY-MM-DD HH:MM` in Vietnam.
fn vn(at: &str) -> DateTime<Utc> {
    let (d, t) = at.split_once(' ').unwrap();
    let t = NaiveTime::parse_from_str(t, "%H:%M").unwrap();
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&date(d).and_time(t))
        .unwrap()
        .with_timezone(&Utc)
}

const MINH: i64 = 5301;

async fn customer_says(app: &TestApp, text: &str) {
    app.engine
        .handle(Incoming {
            key: None,
            user: SeenUser {
                channel: "telegram".into(),
                external_id: MINH.to_string(),
                address: MINH.to_string(),
                name: "Minh".into(),
                username: None,
                lang: Lang::Vi,
            },
            input: Input::Text(text.into()),
        })
        .await
        .unwrap();
}

fn staff_texts(sent: &[Sent]) -> Vec<String> {
    sent.iter()
        .filter(|s| s.chat_id == STAFF_CHAT)
        .map(|s| s.msg.text.clone())
        .collect()
}

#[tokio::test]
async fn the_morning_summary_tells_yesterdays_work_and_the_bots_health_once_a_morning() {
    let app = a_week_of_work().await;
    let engine = &app.engine;
    // Starts: one before yesterday (not counted), two yesterday; one update given up.
    app.clock.set(vn("2026-11-22 10:00"));
    engine.record_start().await.unwrap();
    app.clock.set(vn("2026-11-24 13:00"));
    engine.record_start().await.unwrap();
    engine.ensure_daily_jobs().await.unwrap();
    app.clock.set(vn("2026-11-24 15:00"));
    engine.record_start().await.unwrap();
    engine.record_update_given_up("4711").await.unwrap();
    // A message Telegram refused for good, and one still waiting since 07:00 this morning.
    app.recorder.fail_next(
        MINH,
        SendError::Permanent("Bad Request: chat not found".into()),
    );
    customer_says(&app, "xin chào").await;
    app.delivery.flush().await;
    app.clock.set(vn("2026-11-25 07:00"));
    app.recorder
        .fail_next(MINH, SendError::Transient("connection reset".into()));
    customer_says(&app, "alo").await;
    app.delivery.flush().await;
    app.recorder.take();

    // 08:00 the next morning: the summary of the 24th.
    app.clock.set(vn("2026-11-25 08:00"));
    engine.run_due_jobs().await.unwrap();
    app.delivery.flush().await;
    let sent = app.recorder.take();
    let summaries: Vec<_> = staff_texts(&sent)
        .into_iter()
        .filter(|t| t.starts_with("🌅"))
        .collect();
    assert_eq!(summaries.len(), 1, "{:#?}", staff_texts(&sent));
    let text = &summaries[0];
    for line in [
        "🌅 Tóm tắt ngày 24/11/2026:",
        // BL-000001 approved, BL-000002 rejected, HT-000003 eligible (staff pay it out).
        "• Yêu cầu mới: 3 (bảo lưu 2, hoàn trả 1, chuyển nhân viên 0); chấp thuận 1, không chấp thuận 1, chờ nhân viên 1",
        // KN-000004 open, KN-000005 resolved.
        "• Khiếu nại mới: 2 (mới nhận 1, đang xử lý 0, đã giải quyết 1, bước 3 0, đã đóng 0)",
        // HT-000003 called after 50 minutes; KN-000004 never called (due at noon). Owed now:
        // KN-000001 and KN-000004, both past their deadline.
        "• Gọi lại khách hôm qua: 1 đúng hạn, 1 trễ. Hiện còn 2 khách chờ gọi lại, 2 đã quá hạn",
        "• Khiếu nại mở lâu nhất:",
        "KN-000001 · 5 ngày 23 giờ · mới nhận · -",
        "KN-000003 · 2 ngày 23 giờ · đang xử lý · Lan",
        "KN-000004 · 1 ngày 0 giờ · mới nhận · -",
        "• Đánh giá hôm qua: 1 lượt, trung bình 5.0/5",
        "• Lịch thi công hôm nay: 0 khách đã bảo lưu",
        "🤖 Tình trạng của bot:",
        "• Tin nhắn chưa gửi: 1, tin cũ nhất đã chờ 60 phút",
        "• Tin nhắn bị Telegram từ chối: 1",
        "• Tin đến xử lý lỗi và đã bỏ qua: 1",
        "• Số lần bot khởi động từ hôm qua: 2",
    ] {
        assert!(text.contains(line), "{line:?} not in:\n{text}");
    }
    // Not again the same morning; tomorrow's is scheduled.
    app.clock.set(vn("2026-11-25 08:05"));
    engine.run_due_jobs().await.unwrap();
    app.delivery.flush().await;
    assert!(staff_texts(&app.recorder.take())
        .iter()
        .all(|t| !t.starts_with("🌅")));
    let pending = engine.store.pending_jobs().await.unwrap();
    let next: Vec<_> = pending
        .iter()
        .filter(|(k, _)| k == "morning_summary")
        .map(|(_, at)| *at)
        .collect();
    assert_eq!(next, [vn("2026-11-26 08:00").timestamp()]);
}

#[tokio::test]
async fn a_stuck_outbox_is_told_once_and_again_when_it_moves() {
    let app = TestApp::new(date("2026-11-24")).await;
    let mut watch = HealthWatch::new();
    app.clock.set(vn("2026-11-24 09:00"));
    app.recorder
        .fail_next(MINH, SendError::Transient("connection reset".into()));
    customer_says(&app, "xin chào").await;
    app.delivery.flush().await;
    app.recorder.take();
    // Ten minutes is the limit: nothing yet.
    app.clock.set(vn("2026-11-24 09:10"));
    assert_eq!(watch.check(&app.engine).await.unwrap(), []);
    app.clock.set(vn("2026-11-24 09:11"));
    assert_eq!(
        watch.check(&app.engine).await.unwrap(),
        [(Alert::OutboxStuck, true)]
    );
    // Told once: not at the next look, nor after a restart (a new watch).
    app.clock.set(vn("2026-11-24 09:12"));
    assert_eq!(watch.check(&app.engine).await.unwrap(), []);
    assert_eq!(HealthWatch::new().check(&app.engine).await.unwrap(), []);
    // The alert goes to the staff group (the customer's chat is the one held up).
    let staff: Vec<_> = app
        .engine
        .store
        .pending_outbox(100)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.address == STAFF_CHAT.to_string())
        .filter_map(|r| r.payload.message().map(|m| m.text.clone()))
        .collect();
    assert_eq!(staff.len(), 1, "{staff:#?}");
    assert!(
        staff[0].starts_with(
            "⚠️ Bot đang gửi tin chậm: tin nhắn cũ nhất đã chờ 11 phút (1 tin đang chờ gửi)"
        ),
        "{}",
        staff[0]
    );
    // The message goes out: staff are told it is well, once.
    app.delivery.flush().await;
    app.clock.set(vn("2026-11-24 09:13"));
    assert_eq!(
        watch.check(&app.engine).await.unwrap(),
        [(Alert::OutboxStuck, false)]
    );
    app.clock.set(vn("2026-11-24 09:14"));
    assert_eq!(watch.check(&app.engine).await.unwrap(), []);
    app.delivery.flush().await;
    let told = staff_texts(&app.recorder.take());
    assert_eq!(told.len(), 2, "{told:#?}");
    assert!(
        told[1].starts_with("✅ Bot đã gửi tin bình thường trở lại"),
        "{}",
        told[1]
    );
}

#[tokio::test]
async fn sends_that_keep_failing_are_told_once_and_again_when_they_go_out() {
    let app = TestApp::new(date("2026-11-24")).await;
    let mut watch = HealthWatch::new();
    app.clock.set(vn("2026-11-24 09:00"));
    for _ in 0..3 {
        app.recorder
            .fail_next(MINH, SendError::Transient("502 Bad Gateway".into()));
    }
    customer_says(&app, "xin chào").await;
    // Three tries, each after the wait before it (1 s, 2 s).
    for secs in [0, 2, 5] {
        app.clock
            .set(vn("2026-11-24 09:00") + chrono::Duration::seconds(secs));
        app.delivery.flush().await;
    }
    assert_eq!(app.recorder.take().len(), 0, "nothing went out");
    app.clock.set(vn("2026-11-24 09:01"));
    assert_eq!(
        watch.check(&app.engine).await.unwrap(),
        [(Alert::SendsFailing, true)]
    );
    app.clock.set(vn("2026-11-24 09:02"));
    assert_eq!(watch.check(&app.engine).await.unwrap(), []);
    // The next try goes through: well again.
    app.clock.set(vn("2026-11-24 09:05"));
    app.delivery.flush().await;
    assert_eq!(
        watch.check(&app.engine).await.unwrap(),
        [(Alert::SendsFailing, false)]
    );
    app.delivery.flush().await;
    let told = staff_texts(&app.recorder.take());
    assert!(
        told.iter()
            .any(|t| t.starts_with("⚠️ Bot gửi tin liên tục thất bại: 1 tin đã thử nhiều lần")),
        "{told:#?}"
    );
    assert_eq!(
        told.iter()
            .filter(|t| t.starts_with("✅ Bot đã gửi tin thành công trở lại"))
            .count(),
        1,
        "{told:#?}"
    );
}

#[tokio::test]
async fn a_database_that_did_not_answer_is_told_when_it_answers_again() {
    let app = TestApp::new(date("2026-11-24")).await;
    let mut watch = HealthWatch::new();
    app.clock.set(vn("2026-11-24 10:00"));
    assert_eq!(watch.after_probe(&app.engine, false).await.unwrap(), []);
    app.clock.set(vn("2026-11-24 10:05"));
    assert_eq!(watch.after_probe(&app.engine, false).await.unwrap(), []);
    // It answers (a real look at the database).
    app.clock.set(vn("2026-11-24 10:07"));
    assert_eq!(
        watch.check(&app.engine).await.unwrap(),
        [(Alert::DatabaseDown, true), (Alert::DatabaseDown, false)]
    );
    app.clock.set(vn("2026-11-24 10:08"));
    assert_eq!(watch.check(&app.engine).await.unwrap(), []);
    app.delivery.flush().await;
    let told = staff_texts(&app.recorder.take());
    assert_eq!(
        told,
        ["⚠️ Bot đã không kết nối được cơ sở dữ liệu từ 24/11/2026 10:00 đến 24/11/2026 10:07 (khoảng 7 phút); nay đã kết nối lại."]
    );
}

#[tokio::test]
async fn a_real_database_outage_on_postgresql_is_told_once_it_answers_again() {
    let Some(base) = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("TEST_POSTGRES_URL not set: the database outage test on PostgreSQL is not run");
        return;
    };
    let db = crate::support::shared_db().await;
    let app = TestApp::on(&db.url, date("2026-11-24"), cskh::policy::Params::default()).await;
    let mut watch = HealthWatch::new();
    app.clock.set(vn("2026-11-24 10:00"));
    assert_eq!(watch.check(&app.engine).await.unwrap(), []);
    // The database goes away: no new connections, the open ones cut.
    let name = db.url.rsplit_once('/').unwrap().1.to_string();
    let admin = sqlx::AnyPool::connect(&base).await.unwrap();
    sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ))
    .execute(&admin)
    .await
    .unwrap();
    app.clock.set(vn("2026-11-24 10:01"));
    assert_eq!(watch.check(&app.engine).await.unwrap(), []);
    // Back.
    sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    app.clock.set(vn("2026-11-24 10:09"));
    assert_eq!(
        watch.check(&app.engine).await.unwrap(),
        [(Alert::DatabaseDown, true), (Alert::DatabaseDown, false)]
    );
    app.clock.set(vn("2026-11-24 10:10"));
    assert_eq!(watch.check(&app.engine).await.unwrap(), []);
    app.delivery.flush().await;
    let told = staff_texts(&app.recorder.take());
    assert_eq!(
        told,
        ["⚠️ Bot đã không kết nối được cơ sở dữ liệu từ 24/11/2026 10:01 đến 24/11/2026 10:09 (khoảng 8 phút); nay đã kết nối lại."]
    );
}
