//! Personal data through the engine: erasure leaves nothing of the customer in any text column
//! of any table (SQLite, and PostgreSQL when TEST_POSTGRES_URL is set), a new notice version
//! asks again, the retention purge with the clock moved, and the log of staff views.

use chrono::Duration;
use cskh::dialogue::{Attachment, ButtonData, Input, Lang, MediaKind};
use cskh::engine::Incoming;
use cskh::policy::Params;
use cskh::store::SeenUser;

use crate::support::{
    date, memory_db, settings, shared_db, text_columns_containing, Sent, TestApp, STAFF_CHAT,
};

const WHO: i64 = 610_001;

fn user() -> SeenUser {
    SeenUser {
        channel: "telegram".into(),
        external_id: WHO.to_string(),
        address: WHO.to_string(),
        name: "Phạm Văn Quyết".into(),
        username: Some("quyet_pham".into()),
        lang: Lang::Vi,
    }
}

/// A real deployment's settings: the notice is shown and consent asked.
async fn app(db: &str, today: &str) -> TestApp {
    let mut s = settings(Params::default());
    s.privacy = Default::default();
    TestApp::with_settings(db, date(today), s).await
}

async fn send(app: &TestApp, input: Input) -> Vec<Sent> {
    app.engine
        .handle(Incoming {
            key: None,
            user: user(),
            input,
        })
        .await
        .expect("the engine handles it");
    app.delivery.flush().await;
    app.recorder.take()
}

fn text(t: &str) -> Input {
    Input::Text(t.into())
}

fn press(data: &str) -> Input {
    Input::Button(ButtonData::read(data))
}

fn photo(name: &str) -> Input {
    Input::Media {
        attachment: Attachment {
            kind: MediaKind::Photo,
            file_id: format!("file-id-{name}"),
            file_name: Some(name.into()),
        },
        caption: None,
    }
}

/// Every text the customer saw, joined.
fn to_customer(sent: &[Sent]) -> String {
    sent.iter()
        .filter(|s| s.chat_id == WHO)
        .map(|s| s.msg.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The data of the first button of a message to the customer that starts with `prefix`.
fn button(sent: &[Sent], prefix: &str) -> String {
    sent.iter()
        .filter(|s| s.chat_id == WHO)
        .flat_map(|s| s.msg.buttons.iter().flatten())
        .map(|(_, data)| data.clone())
        .find(|d| d.starts_with(prefix))
        .unwrap_or_else(|| panic!("no button {prefix}…: {sent:#?}"))
}

/// What identifies the customer, and their own words and files.
const PERSONAL: [&str; 9] = [
    "Phạm Văn Quyết",
    "quyet_pham",
    "0987654321",
    // The same phone as +84…, as staff cards show it.
    "987654321",
    "con chó nhà tôi bị ốm nặng",
    "Thợ làm vỡ bình hoa cổ",
    "anh-binh-hoa-quyet",
    "giay-thu-y-quyet",
    "file-id-anh-binh-hoa",
];

async fn erasure_leaves_nothing(db: &str) {
    let app = app(db, "2026-11-24").await;
    // The company's registry knows the customer's invoice, with their name and phone.
    let csv = "Số hóa đơn;Tên khách hàng;Số điện thoại;Số tiền;Ngày thanh toán;Ngày thi công;Trạng thái\n\
               HD-2026-0099;Phạm Văn Quyết;0987654321;1.500.000;01/10/2026;05/12/2026;đã thanh toán\n";
    let read = cskh::registry::read_invoices(csv).unwrap();
    cskh::registry::import(&app.engine.store, &read, false, 0)
        .await
        .unwrap();

    // A deferral with a reason in their own words and a document.
    let out = send(&app, text("/baoluu")).await;
    assert!(to_customer(&out).contains("cần bạn đồng ý"), "{out:#?}");
    send(&app, press("pv:ok:1")).await;
    send(&app, text("HD-2026-0099")).await;
    send(&app, press("rg:yes")).await;
    send(
        &app,
        text("con chó nhà tôi bị ốm nặng, tôi phải ở nhà chăm"),
    )
    .await;
    send(&app, photo("giay-thu-y-quyet.jpg")).await;
    send(&app, text("20/12/2026")).await;
    send(&app, press("f:ok")).await;
    // A complaint with a photo and the phone number.
    send(&app, text("/khieunai")).await;
    send(&app, press("k:quality")).await;
    send(&app, text("Thợ làm vỡ bình hoa cổ trong phòng khách")).await;
    send(&app, photo("anh-binh-hoa-quyet.jpg")).await;
    send(&app, press("kd:done")).await;
    send(&app, press("ki:none")).await;
    send(&app, press("ku:normal")).await;
    send(
        &app,
        Input::Contact {
            phone: "0987654321".into(),
        },
    )
    .await;
    let out = send(&app, press("kc:yes")).await;
    assert!(to_customer(&out).contains("KN-000001"), "{out:#?}");
    // Staff look at the case and export the month.
    assert!(app
        .engine
        .staff_command_as(None, None, "/case KN-000001", "Lan")
        .await
        .unwrap());
    assert!(app
        .engine
        .staff_command_as(None, None, "/export", "Lan")
        .await
        .unwrap());
    app.delivery.flush().await;
    app.recorder.take();
    // Both views are on record, with who.
    let log = app.engine.data_access_log(0).await.unwrap();
    let seen: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|r| (r.who.as_str(), r.action.as_str(), r.subject.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("Lan", "case", "KN-000001"),
            ("Lan", "export", "requests, cases")
        ]
    );

    // Everything personal is stored somewhere now: the scan finds each.
    for needle in PERSONAL {
        let found = text_columns_containing(&app.engine.store, needle).await;
        assert!(!found.is_empty(), "{needle:?} was never stored");
    }

    // The customer asks to erase; with the case open, staff are told at once.
    let out = send(&app, text("/xoadulieu")).await;
    let confirm = button(&out, "pv:del:");
    let out = send(&app, press(&confirm)).await;
    assert!(
        to_customer(&out).contains("Đã ghi nhận yêu cầu xóa dữ liệu"),
        "{out:#?}"
    );
    let staff: Vec<&Sent> = out.iter().filter(|s| s.chat_id == STAFF_CHAT).collect();
    assert!(
        staff
            .iter()
            .any(|s| s.msg.text.contains("yêu cầu xóa dữ liệu cá nhân")),
        "{out:#?}"
    );
    // At the deadline the scheduler erases it.
    app.clock.advance(Duration::days(15));
    let (erased, _) = app.engine.run_privacy_housekeeping().await.unwrap();
    assert_eq!(erased, 1);
    app.delivery.flush().await;

    for needle in PERSONAL {
        let found = text_columns_containing(&app.engine.store, needle).await;
        assert!(found.is_empty(), "{needle:?} is still stored in {found:?}");
    }
    // The anonymised records stay, marked.
    let kept = text_columns_containing(&app.engine.store, "đã xóa theo yêu cầu").await;
    assert!(
        kept.contains(&("cases".into(), "description".into()))
            && kept.contains(&("customers".into(), "name".into())),
        "{kept:?}"
    );
    let case = app.engine.store.case(1).await.unwrap().unwrap();
    assert_eq!(case.status.code(), "closed");
    app.engine.store.pool.close().await;
}

#[tokio::test]
async fn after_erasure_no_text_column_of_any_table_holds_the_customers_name_phone_or_words_on_sqlite(
) {
    erasure_leaves_nothing(&memory_db()).await;
}

#[tokio::test]
async fn after_erasure_no_text_column_of_any_table_holds_the_customers_name_phone_or_words_on_postgres(
) {
    if std::env::var("TEST_POSTGRES_URL").map_or(true, |u| u.is_empty()) {
        eprintln!("TEST_POSTGRES_URL not set: PostgreSQL erasure not tested");
        return;
    }
    let db = shared_db().await;
    erasure_leaves_nothing(&db.url).await;
}

#[tokio::test]
async fn a_new_notice_version_asks_again_at_the_next_contact_and_the_conversation_goes_on() {
    let db = memory_db();
    let first = app(&db, "2026-11-24").await;
    send(&first, text("/baoluu")).await;
    let out = send(&first, press("pv:ok:1")).await;
    assert!(to_customer(&out).contains("Số hóa đơn"), "{out:#?}");

    // The company's lawyer changed the notice: version 2.
    let mut s = settings(Params::default());
    s.privacy = Default::default();
    s.privacy.notice_version = 2;
    let second = TestApp::with_settings(&db, date("2026-11-25"), s).await;
    let out = send(&second, text("HD-2026-0012")).await;
    let said = to_customer(&out);
    assert!(said.contains("đã được cập nhật"), "{said}");
    // The old notice's button asks for the new one.
    let out = send(&second, press("pv:ok:1")).await;
    assert!(to_customer(&out).contains("đã được cập nhật"), "{out:#?}");
    let out = send(&second, press("pv:ok:2")).await;
    assert!(
        to_customer(&out).contains("Bạn đóng chi phí thi công ngày nào"),
        "{out:#?}"
    );
    let id = second
        .engine
        .store
        .customer_of_identity("telegram", &WHO.to_string())
        .await
        .unwrap()
        .unwrap();
    let mut conn = second.engine.store.conn().await.unwrap();
    let history = cskh::store::consents(&mut conn, id).await.unwrap();
    let versions: Vec<(i64, bool, &str)> = history
        .iter()
        .filter(|c| c.purpose == "service")
        .map(|c| (c.notice_version, c.given, c.channel.as_str()))
        .collect();
    assert_eq!(versions, [(1, true, "telegram"), (2, true, "telegram")]);
}

#[tokio::test]
async fn a_customer_who_never_answers_is_never_processed_and_only_so_many_messages_wait() {
    let app = app(&memory_db(), "2026-11-24").await;
    for i in 0..25 {
        let out = send(&app, text(&format!("tôi muốn bảo lưu lần {i}"))).await;
        assert_eq!(
            button(&out, "pv:ok:"),
            "pv:ok:1",
            "message {i} got no notice"
        );
        assert!(out.iter().all(|s| s.chat_id != STAFF_CHAT), "{out:#?}");
    }
    let id = app
        .engine
        .store
        .customer_of_identity("telegram", &WHO.to_string())
        .await
        .unwrap()
        .unwrap();
    let mut conn = app.engine.store.conn().await.unwrap();
    let held = cskh::store::held_inputs(&mut conn, id).await.unwrap();
    assert_eq!(held.len() as i64, cskh::store::MAX_HELD);
    drop(conn);
    assert!(text_columns_containing(&app.engine.store, "Phạm Văn Quyết")
        .await
        .is_empty());
}

#[tokio::test]
async fn files_and_words_of_a_case_closed_a_year_ago_are_purged_and_the_dry_run_lists_them_first() {
    let app = app(&memory_db(), "2026-11-24").await;
    send(&app, text("/khieunai")).await;
    send(&app, press("pv:ok:1")).await;
    send(&app, press("k:quality")).await;
    send(&app, text("Sơn tường bị phồng rộp ở góc phòng")).await;
    send(&app, photo("son-phong-rop.jpg")).await;
    send(&app, press("kd:done")).await;
    send(&app, press("ki:none")).await;
    send(&app, press("ku:normal")).await;
    send(&app, text("0912345678")).await;
    send(&app, press("kc:yes")).await;
    // The customer closes the case.
    let out = send(&app, text("/trangthai")).await;
    let close = out
        .iter()
        .flat_map(|s| s.msg.buttons.iter().flatten())
        .map(|(_, d)| d.clone())
        .find(|d| d.starts_with("kx:"));
    let close = close.unwrap_or_else(|| "kx:1".into());
    send(&app, press(&close)).await;
    let case = app.engine.store.case(1).await.unwrap().unwrap();
    assert_eq!(case.status.code(), "closed", "{case:?}");

    // 364 days later nothing is due.
    app.clock.advance(Duration::days(364));
    assert!(app.engine.expired_records().await.unwrap().is_empty());
    // A year and a day later the dry run lists it, and takes nothing.
    app.clock.advance(Duration::days(2));
    let due = app.engine.expired_records().await.unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!((due[0].number.as_str(), due[0].files), ("KN-000001", 1));
    assert!(!text_columns_containing(&app.engine.store, "phồng rộp")
        .await
        .is_empty());
    // The purge takes the words and the files; the case's number and dates stay.
    let (_, purged) = app.engine.run_privacy_housekeeping().await.unwrap();
    assert_eq!(purged, 1);
    for gone in ["phồng rộp", "son-phong-rop"] {
        let found = text_columns_containing(&app.engine.store, gone).await;
        assert!(found.is_empty(), "{gone:?} still in {found:?}");
    }
    let case = app.engine.store.case(1).await.unwrap().unwrap();
    assert_eq!(case.description, "đã xóa sau thời hạn lưu trữ");
    assert!(app.engine.expired_records().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_staff_view_of_a_case_or_an_export_is_logged_with_who_and_when() {
    let app = app(&memory_db(), "2026-11-24").await;
    app.engine
        .staff_command_as(None, None, "/case KN-000001", "Lan")
        .await
        .unwrap();
    app.engine
        .staff_command_as(None, None, "/export", "Minh")
        .await
        .unwrap();
    let log = app.engine.data_access_log(0).await.unwrap();
    // /case of a case that does not exist shows nothing personal: not logged.
    let seen: Vec<(&str, &str)> = log
        .iter()
        .map(|r| (r.who.as_str(), r.action.as_str()))
        .collect();
    assert_eq!(seen, [("Minh", "export")]);
    assert_eq!(log[0].at, cskh::engine::Clock::now(&*app.clock).timestamp());
}

#[tokio::test]
async fn cskh_privacy_purge_dry_run_lists_what_would_go_and_cskh_privacy_log_prints_who_looked() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cskh.db").display());
    // A month ago, by the system clock the binary uses.
    let month_ago = (chrono::Utc::now() - Duration::days(30)).date_naive();
    {
        let app = app(&db, &month_ago.format("%Y-%m-%d").to_string()).await;
        send(&app, text("/khieunai")).await;
        send(&app, press("pv:ok:1")).await;
        send(&app, press("k:quality")).await;
        send(&app, text("Sơn tường bị phồng rộp ở góc phòng")).await;
        send(&app, press("kd:done")).await;
        send(&app, press("ki:none")).await;
        send(&app, press("ku:normal")).await;
        send(&app, text("0912345678")).await;
        send(&app, press("kc:yes")).await;
        send(&app, press("kx:1")).await;
        app.engine
            .staff_command_as(None, None, "/case KN-000001", "Lan")
            .await
            .unwrap();
        app.engine.store.pool.close().await;
    }
    let settings = dir.path().join("cskh.toml");
    std::fs::write(&settings, "[privacy]\nretention_days = 7\n").unwrap();
    let run = |args: &[&str]| {
        let out = crate::support::cskh_command(args, "http://127.0.0.1:9", &db)
            .env("CSKH_CONFIG", &settings)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("cskh runs");
        assert!(out.status.success(), "{out:?}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (listed, said) = run(&["privacy", "purge", "--dry-run"]);
    assert!(listed.starts_with("KN-000001\t"), "{listed}");
    assert!(said.contains("chưa xóa gì"), "{said}");
    let (again, _) = run(&["privacy", "purge", "--dry-run"]);
    assert_eq!(again, listed, "a dry run purges nothing");
    let (log, _) = run(&["privacy", "log"]);
    assert!(log.contains("\tLan\tcase\tKN-000001"), "{log}");
    run(&["privacy", "purge"]);
    let (after, _) = run(&["privacy", "purge", "--dry-run"]);
    assert_eq!(after, "");
    // `cskh export` is a view too.
    run(&[
        "export",
        "cases",
        "--output",
        dir.path().join("k.csv").to_str().unwrap(),
    ]);
    let (log, _) = run(&["privacy", "log"]);
    assert!(log.contains("\tcli_export\tcases"), "{log}");
}

#[tokio::test]
async fn after_withdrawal_no_reminder_of_an_approved_deferral_reaches_the_customer() {
    let app = app(&memory_db(), "2026-11-24").await;
    send(&app, text("/baoluu")).await;
    send(&app, press("pv:ok:1")).await;
    send(&app, text("HD-2026-0012")).await;
    send(&app, text("01/10/2026")).await;
    send(&app, text("05/12/2026")).await;
    send(&app, press("r:illness")).await;
    send(&app, press("c:none")).await;
    send(&app, text("20/01/2027")).await;
    let out = send(&app, press("f:ok")).await;
    assert!(to_customer(&out).contains("đã được chấp thuận"), "{out:#?}");

    let out = send(&app, text("/rutdongy")).await;
    let confirm = button(&out, "pv:del:");
    let out = send(&app, press(&confirm)).await;
    assert!(to_customer(&out).contains("đã được xóa"), "{out:#?}");

    // Three days before the new date, when the reminder would have come.
    app.clock
        .set(crate::support::vn_morning(date("2027-01-17")));
    app.engine.run_due_jobs().await.unwrap();
    app.delivery.flush().await;
    let out = app.recorder.take();
    assert!(out.iter().all(|s| s.chat_id != WHO), "{out:#?}");
    // Nothing of theirs is left.
    let found = text_columns_containing(&app.engine.store, "Phạm Văn Quyết").await;
    assert!(found.is_empty(), "{found:?}");
}

#[tokio::test]
async fn erasing_a_zalo_customer_also_forgets_their_zalo_window() {
    let app = app(&memory_db(), "2026-11-24").await;
    let zalo = SeenUser {
        channel: "zalo".into(),
        external_id: "8123456789012345678".into(),
        address: "8123456789012345678".into(),
        name: "Zalo …5678".into(),
        username: None,
        lang: Lang::Vi,
    };
    let say = |input: Input| {
        let engine = app.engine.clone();
        let user = zalo.clone();
        async move {
            engine
                .handle(Incoming {
                    key: None,
                    user,
                    input,
                })
                .await
                .expect("the engine handles it");
        }
    };
    let store = &app.engine.store;
    store
        .zalo_user_wrote(&zalo.external_id, 1_764_000_000)
        .await
        .unwrap();
    say(text("xin chào")).await;
    say(press("pv:ok:1")).await;
    say(text("/xoadulieu")).await;
    // What goes to Zalo users, recorded like the rest.
    let both = cskh::channels::Channels::new()
        .with("telegram", app.recorder.clone())
        .with("zalo", app.recorder.clone());
    let delivery = cskh::delivery::Delivery::new(app.engine.clone(), both);
    delivery.flush().await;
    let out = app.recorder.take();
    let to_zalo: i64 = zalo.external_id.parse().unwrap();
    let confirm = out
        .iter()
        .filter(|s| s.chat_id == to_zalo)
        .flat_map(|s| s.msg.buttons.iter().flatten())
        .map(|(_, data)| data.clone())
        .find(|d| d.starts_with("pv:del:"))
        .unwrap_or_else(|| panic!("no confirmation button: {out:#?}"));
    say(press(&confirm)).await;
    assert!(store
        .zalo_window(&zalo.external_id)
        .await
        .unwrap()
        .is_none());
    // Only the address of the acknowledgement, which must still reach them, holds the id.
    let found = text_columns_containing(store, &zalo.external_id).await;
    assert_eq!(
        found,
        [("outbox".to_string(), "address".to_string())],
        "the Zalo id is still stored in {found:?}"
    );
}

#[tokio::test]
async fn erasing_a_customer_of_the_companys_own_account_forgets_the_telegram_chat_behind_it() {
    let app = app(&memory_db(), "2026-11-24").await;
    let store = &app.engine.store;
    let chat_id: i64 = 7_700_123_456;
    let address = {
        let mut conn = store.conn().await.unwrap();
        cskh::store::business_chat(&mut conn, "bc-1", chat_id)
            .await
            .unwrap()
            .0
    };
    let user = SeenUser {
        channel: "telegram_business".into(),
        external_id: chat_id.to_string(),
        address: address.to_string(),
        name: "Đỗ Thị Mai".into(),
        username: None,
        lang: Lang::Vi,
    };
    let customer = {
        let mut conn = store.conn().await.unwrap();
        cskh::store::upsert_customer(&mut conn, &user, 1_764_000_000)
            .await
            .unwrap()
    };
    let mut conn = store.conn().await.unwrap();
    cskh::store::erase_customer(&mut conn, customer.id, 1_764_000_100)
        .await
        .unwrap();
    assert!(cskh::store::business_route(&mut conn, address)
        .await
        .unwrap()
        .is_none());
    drop(conn);
    let found = text_columns_containing(store, &chat_id.to_string()).await;
    assert!(found.is_empty(), "the chat id is still stored in {found:?}");
}
