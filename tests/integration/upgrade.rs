//! A database written by release 0.1, mid-conversation (`tests/fixtures/release-0.1-*.sql`, made
//! by `tests/fixtures/make-release-0.1.sh`), opened by this release: the migrations give every
//! customer an identity, and each customer goes on where they were. On SQLite always, and on
//! PostgreSQL when TEST_POSTGRES_URL is set.
//!
//! The release kept no consent to the personal-data notice: each customer is asked at their
//! next contact, what they send meanwhile waits, and after "Đồng ý" they go on where they were.

use chrono::{NaiveTime, TimeZone};
use cskh::dialogue::Input;
use cskh::dialogue::Lang;
use cskh::engine::{Incoming, StaffAction};
use cskh::policy::Params;
use cskh::store::SeenUser;

use crate::support::{
    date, settings, shared_db, telegram_customer, Sent, SharedDb, TestApp, STAFF_CHAT,
};

const SQLITE_DUMP: &str = include_str!("../fixtures/release-0.1-sqlite.sql");
const POSTGRES_DUMP: &str = include_str!("../fixtures/release-0.1-postgres.sql");

/// Who the fixture holds (Telegram user ids), as its generator describes them.
const APPROVED: i64 = 424_242;
const MID_DEFERRAL: i64 = 424_243;
const MID_REFUND: i64 = 424_244;
const MID_COMPLAINT: i64 = 424_245;
const AWAITING_STAFF: i64 = 424_246;
const OPEN_CASE: i64 = 424_247;

/// A database holding the release's dump; a SQLite file, or a PostgreSQL database.
async fn release_database(postgres: bool) -> SharedDb {
    sqlx::any::install_default_drivers();
    let db = if postgres {
        shared_db().await
    } else {
        sqlite_file()
    };
    let pool = sqlx::AnyPool::connect(&db.url)
        .await
        .expect("database opens");
    let dump = if postgres { POSTGRES_DUMP } else { SQLITE_DUMP };
    sqlx::raw_sql(dump)
        .execute(&pool)
        .await
        .expect("the release's dump loads");
    pool.close().await;
    db
}

fn sqlite_file() -> SharedDb {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("cskh.db").display());
    SharedDb::sqlite(url, dir)
}

fn telegram_user(id: i64) -> SeenUser {
    SeenUser {
        channel: "telegram".into(),
        external_id: id.to_string(),
        address: id.to_string(),
        name: format!("Khách {id}"),
        username: Some(format!("khach{id}")),
        lang: Lang::Vi,
    }
}

async fn send(app: &TestApp, who: i64, input: Input) -> Vec<Sent> {
    app.engine
        .handle(Incoming {
            key: None,
            user: telegram_user(who),
            input,
        })
        .await
        .unwrap();
    sent(app).await
}

/// What `who` sends is held until they answer the notice, which they are shown; after
/// "Đồng ý" it goes on: returns what was sent then.
async fn send_after_consent(app: &TestApp, who: i64, input: Input) -> Vec<Sent> {
    let out = send(app, who, input).await;
    assert!(
        said(
            &texts(&out, who),
            "cần bạn đồng ý cho lưu một số dữ liệu cá nhân"
        ),
        "{out:#?}"
    );
    assert!(texts(&out, STAFF_CHAT).is_empty(), "{out:#?}");
    send(app, who, Input::Button("pv:ok:1".into())).await
}

async fn sent(app: &TestApp) -> Vec<Sent> {
    app.delivery.flush().await;
    app.recorder.take()
}

fn texts(sent: &[Sent], chat: i64) -> Vec<String> {
    sent.iter()
        .filter(|s| s.chat_id == chat)
        .map(|s| s.msg.text.clone())
        .collect()
}

/// One of `texts` contains `part`.
fn said(texts: &[String], part: &str) -> bool {
    texts.iter().any(|t| t.contains(part))
}

/// Moves the clock to `day` at `hh:mm` in Vietnam, runs what is due, returns what was sent.
async fn run_at(app: &TestApp, day: &str, hh: u32, mm: u32) -> Vec<Sent> {
    let at = chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&date(day).and_time(NaiveTime::from_hms_opt(hh, mm, 0).unwrap()))
        .unwrap()
        .with_timezone(&chrono::Utc);
    app.clock.set(at);
    app.engine.run_due_jobs().await.unwrap();
    sent(app).await
}

async fn customers_go_on_where_they_were(postgres: bool) {
    let db = release_database(postgres).await;
    // The bot starts again the same morning, on this release.
    // A real deployment: the notice is shown and consent asked.
    let mut settings = settings(Params::default());
    settings.privacy = Default::default();
    let app = TestApp::with_settings(&db.url, date("2026-11-24"), settings).await;

    // Every customer kept their id, now with their Telegram identity; the terminal's customer
    // is the terminal's.
    for id in [
        APPROVED,
        MID_DEFERRAL,
        MID_REFUND,
        MID_COMPLAINT,
        AWAITING_STAFF,
        OPEN_CASE,
    ] {
        let c = telegram_customer(&app.engine.store, id).await;
        assert_eq!(c.id, id);
        assert_eq!(c.identity.address, id.to_string());
    }
    let shell = app.engine.store.customer(1).await.unwrap().unwrap();
    assert_eq!(
        (
            shell.identity.channel.as_str(),
            shell.identity.external_id.as_str()
        ),
        ("shell", "1")
    );

    // What the release left unsent goes out at start.
    let out = sent(&app).await;
    assert!(
        said(
            &texts(&out, OPEN_CASE),
            "Chiều nay 15h thợ bên em qua sửa cho anh nhé."
        ),
        "{out:#?}"
    );

    // The deferral carries on from the job date.
    let out = send_after_consent(&app, MID_DEFERRAL, Input::Text("05/12/2026".into())).await;
    assert!(
        said(&texts(&out, MID_DEFERRAL), "Vì sao bạn cần bảo lưu?"),
        "{out:#?}"
    );

    // The refund's buttons, on the screen since the release, still answer its question.
    let out = send_after_consent(&app, MID_REFUND, Input::Button("rd:no".into())).await;
    assert!(
        said(&texts(&out, MID_REFUND), "Vì sao bạn muốn hoàn tiền?"),
        "{out:#?}"
    );

    // The complaint's [Xong] moves on to the invoice.
    let out = send_after_consent(&app, MID_COMPLAINT, Input::Button("kd:done".into())).await;
    assert!(
        said(&texts(&out, MID_COMPLAINT), "Số hóa đơn liên quan là gì?"),
        "{out:#?}"
    );

    // Staff press [Duyệt] on the card the release sent: the customer is told.
    app.engine
        .staff_decide(StaffAction {
            key: None,
            staff_id: 9002,
            staff_name: "Minh".into(),
            request_id: 2,
            approve: true,
            card: None,
        })
        .await
        .unwrap();
    let out = sent(&app).await;
    assert!(
        said(
            &texts(&out, AWAITING_STAFF),
            "✅ Nhân viên đã duyệt yêu cầu BL-000002. Ngày thi công mới của bạn: 20/12/2026."
        ),
        "{out:#?}"
    );

    // The case keeps its history: the customer's words and Lan's, for staff to read.
    assert!(app
        .engine
        .staff_command(None, None, "/case KN-000001")
        .await
        .unwrap());
    let history = texts(&sent(&app).await, STAFF_CHAT).join("\n");
    for part in [
        "KN-000001",
        "Thợ làm nứt tường phòng khách",
        "Anh cho em xin ảnh vết nứt ạ.",
        "Vết nứt đây em",
        "Chiều nay 15h",
    ] {
        assert!(history.contains(part), "{part:?} missing: {history}");
    }
    // And the customer's next words reach it.
    let out = send_after_consent(&app, OPEN_CASE, Input::Text("Dạ em cảm ơn".into())).await;
    assert!(said(&texts(&out, STAFF_CHAT), "KN-000001"), "{out:#?}");

    // The call-back reminder of the case is still due at 13:00.
    let out = run_at(&app, "2026-11-24", 13, 0).await;
    let staff = texts(&out, STAFF_CHAT);
    assert!(
        said(&staff, "hạn gọi lại") && said(&staff, "KN-000001"),
        "{staff:#?}"
    );
    // The approved deferral's reminder three days before its date.
    let out = run_at(&app, "2027-01-17", 9, 0).await;
    let reminder = texts(&out, APPROVED);
    assert!(
        said(&reminder, "BL-000001") && said(&reminder, "còn 3 ngày"),
        "{out:#?}"
    );

    // A new customer gets a new id of the company, not their Telegram id.
    let out = send_after_consent(&app, 777_001, Input::Text("/start".into())).await;
    assert!(!texts(&out, 777_001).is_empty(), "{out:#?}");
    let new = telegram_customer(&app.engine.store, 777_001).await;
    assert!(new.id > OPEN_CASE && new.id != 777_001, "{new:?}");

    app.engine.store.close().await;
}

#[tokio::test]
async fn a_sqlite_database_of_release_0_1_carries_on_where_each_customer_was() {
    customers_go_on_where_they_were(false).await;
}

#[tokio::test]
async fn a_postgres_database_of_release_0_1_carries_on_where_each_customer_was() {
    if std::env::var("TEST_POSTGRES_URL").map_or(true, |u| u.is_empty()) {
        eprintln!("TEST_POSTGRES_URL not set: PostgreSQL upgrade not tested");
        return;
    }
    customers_go_on_where_they_were(true).await;
}
