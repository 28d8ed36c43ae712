//! Deep links and printed QR codes: a code on a paper invoice opens the bot with the invoice
//! filled in; a forged tag shows nothing of the registry; `cskh qr` prints codes offline.

use cskh::deeplink;
use cskh::dialogue::{Input, Lang};
use cskh::engine::Incoming;
use cskh::store::SeenUser;

use crate::support::{date, memory_db, settings, Sent, TestApp};

pub const REGISTRY: &str =
    "Số hóa đơn;Tên khách hàng;Số điện thoại;Số tiền;Ngày thanh toán;Ngày thi công;Trạng thái\n\
HD-2026-0012;Nguyễn Thị Hoa;0912 345 678;1.500.000;01/10/2026;05/12/2026;đã thanh toán\n\
HD-2026-0013;Trần Văn Nam;;2.000.000;15/10/2026;;đã thanh toán\n\
HD-2026-0014;Lê Thị Mai;;900000;3/9/2026;2026-09-20;đã hủy\n";

async fn app_with_registry() -> TestApp {
    let mut s = settings(cskh::policy::Params::default());
    s.bot_username = Some("cskh_test_bot".into());
    let app = TestApp::with_settings(&memory_db(), date("2026-11-24"), s).await;
    let read = cskh::registry::read_invoices(REGISTRY).unwrap();
    assert!(read.bad.is_empty(), "{:?}", read.bad);
    cskh::registry::import(&app.engine.store, &read, false, 0)
        .await
        .unwrap();
    app
}

fn user(id: i64) -> SeenUser {
    SeenUser {
        channel: "telegram".into(),
        external_id: id.to_string(),
        address: id.to_string(),
        name: format!("Khách {id}"),
        username: None,
        lang: Lang::Vi,
    }
}

async fn send(app: &TestApp, who: i64, input: Input) -> Vec<Sent> {
    app.engine
        .handle(Incoming {
            key: None,
            user: user(who),
            input,
        })
        .await
        .unwrap();
    app.delivery.flush().await;
    app.recorder
        .take()
        .into_iter()
        .filter(|s| s.chat_id == who)
        .collect()
}

fn texts(sent: &[Sent]) -> String {
    sent.iter()
        .map(|s| s.msg.text.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

/// The data of the button whose label contains `label`.
fn button(sent: &[Sent], label: &str) -> String {
    sent.iter()
        .flat_map(|s| s.msg.buttons.iter().flatten())
        .find(|(l, _)| l.contains(label))
        .map(|(_, d)| d.clone())
        .unwrap_or_else(|| panic!("no button {label:?} in {sent:#?}"))
}

/// Reads a QR code back from a PNG, as a phone's camera would.
pub fn decode_png(png: &[u8]) -> String {
    let img = image::load_from_memory(png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one code in the picture");
    grids[0].decode().expect("the code decodes").1
}

#[tokio::test]
async fn a_printed_code_decoded_and_followed_greets_with_the_invoice_and_what_the_registry_knows() {
    let app = app_with_registry().await;
    let link = app.engine.invoice_link("HD-2026-0012").await.unwrap();
    let read = decode_png(&cskh::qr::png(&link).unwrap());
    assert_eq!(read, link);
    assert!(
        read.starts_with("https://t.me/cskh_test_bot?start="),
        "{read}"
    );
    let payload = deeplink::payload_of_link(&read).unwrap();
    assert!(payload.len() <= 64, "{payload}");
    assert!(payload
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));

    // Telegram sends "/start <payload>" when the customer taps Start.
    let sent = send(&app, 501, Input::Text(format!("/start {payload}"))).await;
    let shown = texts(&sent);
    assert!(shown.contains("HD-2026-0012"), "{shown}");
    assert!(shown.contains("01/10/2026"), "the payment date: {shown}");
    assert!(shown.contains("05/12/2026"), "the job date: {shown}");
    for label in ["Bảo lưu", "Hoàn tiền", "Khiếu nại"] {
        let data = button(&sent, label);
        assert!(data.len() <= 64 && data.starts_with("li:"), "{data}");
    }

    // "Bảo lưu": the invoice and its dates are taken from the registry, not asked again.
    let data = button(&sent, "Bảo lưu");
    let sent = send(&app, 501, Input::Button(data.as_str().into())).await;
    let shown = texts(&sent);
    assert!(shown.contains("HD-2026-0012"), "{shown}");
    assert!(
        shown.contains("01/10/2026"),
        "the registry's dates: {shown}"
    );
    assert!(
        !shown.contains("Số hóa đơn của bạn là gì")
            && !shown.to_lowercase().contains("nhập số hóa đơn"),
        "the invoice is not asked for again: {shown}"
    );
}

#[tokio::test]
async fn a_link_with_a_wrong_tag_gets_a_plain_greeting_and_nothing_of_the_registry() {
    let app = app_with_registry().await;
    let link = app.engine.invoice_link("HD-2026-0012").await.unwrap();
    let good = deeplink::payload_of_link(&link).unwrap();
    // Someone edits the number on a photo of another person's invoice.
    let forged = good.replace("0012", "0013");
    let sent = send(&app, 502, Input::Text(format!("/start {forged}"))).await;
    let shown = texts(&sent);
    assert!(shown.contains("Xin chào"), "{shown}");
    assert!(!shown.contains("HD-2026-0013"), "{shown}");
    assert!(!shown.contains("15/10/2026"), "{shown}");
    assert!(
        !sent
            .iter()
            .flat_map(|s| s.msg.buttons.iter().flatten())
            .any(|(_, d)| d.starts_with("li:")),
        "no invoice buttons"
    );
}

#[tokio::test]
async fn a_link_signed_with_another_secret_is_not_taken() {
    let app = app_with_registry().await;
    let payload = deeplink::invoice_payload(b"another company", "HD-2026-0012").unwrap();
    let sent = send(&app, 503, Input::Text(format!("/start {payload}"))).await;
    let shown = texts(&sent);
    assert!(!shown.contains("HD-2026-0012"), "{shown}");
    assert!(!shown.contains("01/10/2026"), "{shown}");
}

#[tokio::test]
async fn flow_links_open_the_complaint_and_the_deferral() {
    let app = app_with_registry().await;
    let sent = send(&app, 504, Input::Text("/start khieunai".into())).await;
    let shown = texts(&sent);
    let plain = send(&app, 505, Input::Text("/khieunai".into())).await;
    assert_eq!(
        shown,
        texts(&plain),
        "the link opens the same flow as /khieunai"
    );
    let sent = send(&app, 506, Input::Text("/start baoluu".into())).await;
    let plain = send(&app, 507, Input::Text("/baoluu".into())).await;
    assert_eq!(texts(&sent), texts(&plain));
    assert!(!texts(&sent).contains("Xin chào"));
}

#[tokio::test]
async fn without_a_setting_the_secret_is_made_once_and_kept() {
    let db = memory_db();
    let mut s = settings(cskh::policy::Params::default());
    s.bot_username = Some("cskh_test_bot".into());
    let first = TestApp::with_settings(&db, date("2026-11-24"), s.clone()).await;
    let a = first.engine.invoice_link("HD-2026-0012").await.unwrap();
    // A restart on the same database signs the same way: printed codes keep working.
    let again = TestApp::with_settings(&db, date("2026-11-25"), s.clone()).await;
    assert_eq!(again.engine.invoice_link("HD-2026-0012").await.unwrap(), a);
    // A company that sets its own secret signs with it.
    s.link_secret = Some("company secret".into());
    let own = TestApp::with_settings(&db, date("2026-11-25"), s).await;
    let b = own.engine.invoice_link("HD-2026-0012").await.unwrap();
    assert_ne!(a, b);
    let expected = deeplink::invoice_payload(b"company secret", "HD-2026-0012").unwrap();
    assert_eq!(deeplink::payload_of_link(&b).unwrap(), expected);
    drop(first);
}

// ---- `cskh qr`, the real binary, with no Telegram at all ----

fn qr_command(args: &[&str], db: &str) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cskh"));
    c.args(args)
        .env("DATABASE_URL", db)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("TELOXIDE_API_URL")
        .env_remove("BOT_USERNAME")
        .env_remove("LINK_SECRET")
        .env_remove("CSKH_CONFIG")
        .env("RUST_LOG", "error")
        .stdin(std::process::Stdio::null());
    c
}

#[test]
fn cskh_qr_prints_a_png_an_svg_and_an_a4_sheet_of_the_paid_invoices() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("q.db").display());
    let csv = dir.path().join("hd.csv");
    std::fs::write(&csv, REGISTRY).unwrap();
    let run = |args: &[&str], user: Option<&str>| {
        let mut c = qr_command(args, &db);
        if let Some(u) = user {
            c.env("BOT_USERNAME", u);
        }
        c.output().unwrap()
    };
    let out = run(&["invoices", "import", csv.to_str().unwrap()], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // No username set and the bot never started: a clear error, no file.
    let png = dir.path().join("hd.png");
    let out = run(
        &["qr", "HD-2026-0012", "--out", png.to_str().unwrap()],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("BOT_USERNAME"), "{err}");
    assert!(!png.exists());

    let out = run(
        &["qr", "hd-2026-0012", "--out", png.to_str().unwrap()],
        Some("@cskh_test_bot"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = decode_png(&std::fs::read(&png).unwrap());
    assert!(
        link.starts_with("https://t.me/cskh_test_bot?start=i_HD-2026-0012_"),
        "{link}"
    );

    let svg = dir.path().join("hd.svg");
    let out = run(
        &["qr", "HD-2026-0012", "--out", svg.to_str().unwrap()],
        Some("cskh_test_bot"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<svg") && text.contains("<path"), "{text}");

    let pdf = dir.path().join("ma-qr.pdf");
    let out = run(
        &["qr", "--registry", "--out", pdf.to_str().unwrap()],
        Some("cskh_test_bot"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let doc = printpdf::lopdf::Document::load_mem(&bytes).expect("a readable PDF");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1, "two paid invoices fit on one A4 page");
    let page = doc
        .get_page_content(*pages.values().next().unwrap())
        .unwrap();
    let ops = printpdf::lopdf::content::Content::decode(&page).unwrap();
    let shown = ops.operations.iter().filter(|o| o.operator == "Tj").count();
    // Each of the two codes has its number and its caption; the cancelled invoice has none.
    assert_eq!(shown, 4, "text lines on the sheet");
    let rects = ops.operations.iter().filter(|o| o.operator == "re").count();
    assert!(rects > 2 * 100, "two codes drawn: {rects} modules");
    assert!(
        String::from_utf8_lossy(&bytes).contains("DejaVuSans"),
        "the Vietnamese font is embedded"
    );
}

#[tokio::test]
async fn kept_values_and_business_chats_are_stored_alike_on_sqlite_and_postgresql() {
    use cskh::store::{self, BusinessConnection, Store};
    let db = crate::support::shared_db().await;
    let st = Store::connect(&db.url).await.unwrap();
    let mut conn = st.conn().await.unwrap();
    // The first value kept wins: a second start (or a second process) reads the same secret.
    assert_eq!(
        store::bot_value_or(&mut conn, store::LINK_SECRET, "first")
            .await
            .unwrap(),
        "first"
    );
    assert_eq!(
        store::bot_value_or(&mut conn, store::LINK_SECRET, "second")
            .await
            .unwrap(),
        "first"
    );
    store::set_bot_value(&mut conn, store::BOT_USERNAME, "old_bot")
        .await
        .unwrap();
    store::set_bot_value(&mut conn, store::BOT_USERNAME, "new_bot")
        .await
        .unwrap();
    assert_eq!(
        store::bot_value(&mut conn, store::BOT_USERNAME)
            .await
            .unwrap()
            .as_deref(),
        Some("new_bot")
    );

    let c = BusinessConnection {
        id: "bc-1".into(),
        owner_id: 7001,
        can_reply: false,
        enabled: true,
    };
    assert_eq!(
        store::upsert_business_connection(&mut conn, &c, 1)
            .await
            .unwrap(),
        None
    );
    let changed = BusinessConnection {
        can_reply: true,
        ..c.clone()
    };
    assert_eq!(
        store::upsert_business_connection(&mut conn, &changed, 2)
            .await
            .unwrap(),
        Some(c)
    );
    assert_eq!(
        store::business_connection(&mut conn, "bc-1").await.unwrap(),
        Some(changed)
    );
    let (address, quiet) = store::business_chat(&mut conn, "bc-1", 5401).await.unwrap();
    assert!(
        address < store::BUSINESS_CHAT_BASE,
        "outside Telegram's ids: {address}"
    );
    assert_eq!(quiet, 0);
    assert_eq!(
        store::business_chat(&mut conn, "bc-1", 5401)
            .await
            .unwrap()
            .0,
        address,
        "one address per chat"
    );
    assert_ne!(
        store::business_chat(&mut conn, "bc-1", 5402)
            .await
            .unwrap()
            .0,
        address
    );
    assert_eq!(
        store::business_route(&mut conn, address).await.unwrap(),
        Some(("bc-1".to_string(), 5401))
    );
    assert!(store::quiet_business_chat(&mut conn, address, 100, 10)
        .await
        .unwrap());
    assert!(!store::quiet_business_chat(&mut conn, address, 200, 50)
        .await
        .unwrap());
    assert_eq!(
        store::business_chat(&mut conn, "bc-1", 5401)
            .await
            .unwrap()
            .1,
        200
    );
}
