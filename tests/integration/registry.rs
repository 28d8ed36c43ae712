//! The invoice registry (`cskh invoices import`), the exports (`cskh export`, `/export`) and the
//! staff figures (`/stats`).

use chrono::TimeZone;
use cskh::dialogue::{Input, Lang};
use cskh::engine::{CaseAction, Incoming, StaffCaseAction};
use cskh::registry::{self, ImportSummary, RowProblem};
use cskh::store::{self, InvoiceRecord, SeenUser};

use crate::support::{date, TestApp, STAFF_CHAT};

const VN: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;

/// The company's spreadsheet as Excel saves it in a Vietnamese locale: BOM, semicolons.
const GOOD_FILE: &str = "\u{feff}Số hóa đơn;Tên khách hàng;Số điện thoại;Số tiền;Ngày thanh toán;Ngày thi công;Trạng thái\r\n\
HD-2026-0012;Nguyễn Thị Hoa;0912 345 678;1.500.000;01/10/2026;05/12/2026;đã thanh toán\r\n\
HD-2026-0013;Trần Văn Nam;+84987654321;2.000.000 ₫;2026-10-15;;done\r\n\
HD-2026-0014;Lê Thị Mai;;900000;3/9/2026;2026-09-20;đã hủy\r\n";

fn unix(d: &str, hm: (u32, u32)) -> i64 {
    VN.from_local_datetime(&date(d).and_hms_opt(hm.0, hm.1, 0).unwrap())
        .unwrap()
        .timestamp()
}

fn at(app: &TestApp, d: &str, hm: (u32, u32)) {
    app.clock
        .set(chrono::DateTime::from_timestamp(unix(d, hm), 0).unwrap());
}

async fn invoice(app: &TestApp, number: &str) -> Option<InvoiceRecord> {
    let mut conn = app.engine.store.conn().await.unwrap();
    store::invoice(&mut conn, number).await.unwrap()
}

async fn import_text(app: &TestApp, text: &str, skip_bad: bool) -> Option<ImportSummary> {
    let read = registry::read_invoices(text).expect("the file reads");
    registry::import(&app.engine.store, &read, skip_bad, 0)
        .await
        .unwrap()
}

// ---- Reading and importing the file ----

#[tokio::test]
async fn a_good_registry_file_with_bom_semicolons_and_vietnamese_headers_imports_every_row() {
    let app = TestApp::new(date("2026-11-24")).await;
    let read = registry::read_invoices(GOOD_FILE).unwrap();
    assert!(read.bad.is_empty(), "{:?}", read.bad);
    assert_eq!(read.rows.len(), 3);
    let summary = registry::import(&app.engine.store, &read, false, 0)
        .await
        .unwrap();
    assert_eq!(
        summary,
        Some(ImportSummary {
            added: 3,
            updated: 0,
            skipped: 0
        })
    );
    let hoa = invoice(&app, "HD-2026-0012").await.unwrap();
    assert_eq!(
        hoa,
        InvoiceRecord {
            number: "HD-2026-0012".into(),
            customer_name: "Nguyễn Thị Hoa".into(),
            phone: Some("0912345678".into()),
            amount: Some(1_500_000),
            paid_on: date("2026-10-01"),
            job_on: Some(date("2026-12-05")),
            status: "paid".into(),
        }
    );
    let nam = invoice(&app, "HD-2026-0013").await.unwrap();
    assert_eq!(nam.paid_on, date("2026-10-15"));
    assert_eq!(nam.job_on, None);
    assert_eq!(nam.amount, Some(2_000_000));
    assert_eq!(nam.phone.as_deref(), Some("0987654321"));
    assert_eq!(nam.status, "done");
    let mai = invoice(&app, "HD-2026-0014").await.unwrap();
    assert_eq!(mai.paid_on, date("2026-09-03"));
    assert_eq!(mai.phone, None);
    assert_eq!(mai.status, "cancelled");
}

#[tokio::test]
async fn an_impossible_date_and_an_invoice_twice_are_reported_by_line_and_nothing_is_imported() {
    let app = TestApp::new(date("2026-11-24")).await;
    let text = "Số hóa đơn;Tên khách hàng;Ngày thanh toán;Trạng thái\n\
HD-2026-0012;Nguyễn Thị Hoa;01/10/2026;đã thanh toán\n\
HD-2026-0020;Trần Văn Nam;31/02/2026;đã thanh toán\n\
HD-2026-0021;Lê Thị Mai;02/10/2026;done\n\
HD-2026-0012;Nguyễn Thị Hoa;03/10/2026;đã thanh toán\n";
    let read = registry::read_invoices(text).unwrap();
    assert_eq!(
        read.bad,
        vec![
            (
                3,
                RowProblem::BadDate {
                    column: "paid",
                    value: "31/02/2026".into()
                }
            ),
            (
                5,
                RowProblem::Duplicate {
                    number: "HD-2026-0012".into(),
                    first_line: 2
                }
            ),
        ]
    );
    assert_eq!(
        registry::import(&app.engine.store, &read, false, 0)
            .await
            .unwrap(),
        None
    );
    assert_eq!(invoice(&app, "HD-2026-0012").await, None);
    assert_eq!(invoice(&app, "HD-2026-0021").await, None);

    // With skip_bad the good rows go in and the bad ones are counted.
    let summary = registry::import(&app.engine.store, &read, true, 0)
        .await
        .unwrap();
    assert_eq!(
        summary,
        Some(ImportSummary {
            added: 2,
            updated: 0,
            skipped: 2
        })
    );
    assert_eq!(
        invoice(&app, "HD-2026-0012").await.unwrap().paid_on,
        date("2026-10-01")
    );
    assert!(invoice(&app, "HD-2026-0021").await.is_some());
    assert_eq!(invoice(&app, "HD-2026-0020").await, None);
}

#[test]
fn rows_of_a_file_with_windows_line_endings_are_numbered_as_the_operator_sees_them() {
    let read = registry::read_invoices(GOOD_FILE).unwrap();
    assert_eq!(
        read.rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    let text = "Số hóa đơn;Tên khách hàng;Ngày thanh toán;Trạng thái\r\n\
HD-2026-0012;Hoa;01/10/2026;paid\r\n\
HD-2026-0013;Nam;31/02/2026;paid\r\n";
    let read = registry::read_invoices(text).unwrap();
    assert_eq!(read.bad.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [3]);
}

#[tokio::test]
async fn importing_the_registry_again_updates_the_invoices_and_stores_the_changed_dates() {
    let app = TestApp::new(date("2026-11-24")).await;
    import_text(&app, GOOD_FILE, false).await.unwrap();
    let changed = "Số hóa đơn;Tên khách hàng;Số điện thoại;Số tiền;Ngày thanh toán;Ngày thi công;Trạng thái\n\
HD-2026-0012;Nguyễn Thị Hoa;0912345678;1.500.000;02/10/2026;19/12/2026;đã thanh toán\n\
HD-2026-0099;Phạm Văn Long;;;2026-11-01;;paid\n";
    assert_eq!(
        import_text(&app, changed, false).await,
        Some(ImportSummary {
            added: 1,
            updated: 1,
            skipped: 0
        })
    );
    let hoa = invoice(&app, "HD-2026-0012").await.unwrap();
    assert_eq!(hoa.paid_on, date("2026-10-02"));
    assert_eq!(hoa.job_on, Some(date("2026-12-19")));
    // The rows not in the second file are kept.
    assert!(invoice(&app, "HD-2026-0013").await.is_some());
    assert_eq!(invoice(&app, "HD-2026-0099").await.unwrap().amount, None);
}

#[tokio::test]
async fn a_registry_file_missing_a_column_is_an_error_naming_the_column() {
    let text = "Số hóa đơn;Tên khách hàng;Số tiền;Trạng thái\nHD-2026-0012;Hoa;100;paid\n";
    match registry::read_invoices(text) {
        Err(registry::ImportError::MissingColumns(cols)) => assert_eq!(cols, vec!["paid"]),
        other => panic!("expected a missing column, got {other:?}"),
    }
    let text = "Tên khách hàng,Số tiền\nHoa,100\n";
    match registry::read_invoices(text) {
        Err(registry::ImportError::MissingColumns(cols)) => {
            assert_eq!(cols, vec!["number", "paid", "status"])
        }
        other => panic!("expected missing columns, got {other:?}"),
    }
}

#[tokio::test]
async fn a_comma_separated_registry_file_without_bom_and_english_headers_imports() {
    let app = TestApp::new(date("2026-11-24")).await;
    let text = "Invoice number,Customer name,Phone,Amount,Paid date,Job date,Status\n\
HD-2026-0012,Nguyễn Thị Hoa,0912345678,\"1,500,000\",2026-10-01,05/12/2026,paid\n\
HD-2026-0013,Tran Van Nam,,,15.10.2026,,cancelled\n";
    assert_eq!(
        import_text(&app, text, false).await,
        Some(ImportSummary {
            added: 2,
            updated: 0,
            skipped: 0
        })
    );
    let hoa = invoice(&app, "HD-2026-0012").await.unwrap();
    assert_eq!(hoa.amount, Some(1_500_000));
    assert_eq!(hoa.job_on, Some(date("2026-12-05")));
    let nam = invoice(&app, "HD-2026-0013").await.unwrap();
    assert_eq!(nam.paid_on, date("2026-10-15"));
    assert_eq!(nam.status, "cancelled");
}

#[test]
fn sheet_dates_and_amounts_read_as_spreadsheets_write_them() {
    assert_eq!(registry::sheet_date("01/10/2026"), Some(date("2026-10-01")));
    assert_eq!(registry::sheet_date("2026-10-01"), Some(date("2026-10-01")));
    assert_eq!(registry::sheet_date("1-10-2026"), Some(date("2026-10-01")));
    assert_eq!(registry::sheet_date("31/02/2026"), None);
    assert_eq!(registry::sheet_date("01/10/26"), None);
    assert_eq!(registry::sheet_amount("1.500.000"), Some(1_500_000));
    assert_eq!(registry::sheet_amount("1,500,000 ₫"), Some(1_500_000));
    assert_eq!(registry::sheet_amount("2.000.000 VND"), Some(2_000_000));
    assert_eq!(registry::sheet_amount("một triệu"), None);
}

// ---- The binary ----

fn cskh(dir: &std::path::Path, db: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cskh"))
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", db)
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("STAFF_CHAT_ID")
        .output()
        .expect("the binary runs")
}

#[tokio::test]
async fn the_binary_imports_a_registry_file_and_reports_bad_lines_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cskh.db").display());
    let good = dir.path().join("hoa-don.csv");
    std::fs::write(&good, GOOD_FILE).unwrap();
    let out = cskh(dir.path(), &db, &["invoices", "import", "hoa-don.csv"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("Đã nhập: 3 mới, 0 cập nhật, 0 bỏ qua."),
        "{stdout}"
    );

    let bad = dir.path().join("loi.csv");
    std::fs::write(
        &bad,
        "Số hóa đơn;Tên khách hàng;Ngày thanh toán;Trạng thái\n\
HD-2026-0012;Nguyễn Thị Hoa;01/10/2026;đã thanh toán\n\
HD-2026-0030;Trần Văn Nam;31/02/2026;đã thanh toán\n",
    )
    .unwrap();
    let out = cskh(dir.path(), &db, &["invoices", "import", "loi.csv"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr.contains("dòng 3: ngày thanh toán \"31/02/2026\" không đọc được"),
        "{stderr}"
    );
    assert!(stderr.contains("Chưa nhập gì vì có 1 dòng lỗi"), "{stderr}");

    let out = cskh(
        dir.path(),
        &db,
        &["invoices", "import", "loi.csv", "--skip-bad"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("Đã nhập: 0 mới, 1 cập nhật, 1 bỏ qua."),
        "{stdout}"
    );

    std::fs::write(
        dir.path().join("thieu.csv"),
        "Số hóa đơn;Tên khách hàng\nHD-2026-0012;Hoa\n",
    )
    .unwrap();
    let out = cskh(dir.path(), &db, &["invoices", "import", "thieu.csv"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr.contains("Tệp thiếu cột: ngày thanh toán, trạng thái"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_binary_exports_requests_as_json_lines_and_cases_as_csv_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cskh.db").display());
    {
        let app = TestApp::on(&db, date("2026-11-24"), Default::default()).await;
        import_text(&app, GOOD_FILE, false).await.unwrap();
        deferral_known(&app, 701, "HD-2026-0012").await;
        complaint(&app, 702, Some("HD-2026-0012"), "+84912345678").await;
        app.engine.store.close().await;
    }
    let out = cskh(dir.path(), &db, &["export", "requests", "--format", "json"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let row: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    for field in [
        "number",
        "kind",
        "status",
        "outcome",
        "rules_cited",
        "created_at",
        "invoice",
        "paid_on",
        "scheduled_on",
        "new_date",
        "reason",
        "reason_text",
        "customer_id",
        "customer_name",
        "customer_username",
        "decided_by",
        "decided_at",
        "call_back_at",
        "job_done_at",
    ] {
        assert!(keys.contains(&field), "{field} missing from {keys:?}");
    }
    assert_eq!(row["number"], "BL-000001");
    assert_eq!(row["paid_on"], "2026-10-01");
    // The customer as staff know them: their Telegram id, a number.
    assert_eq!(row["customer_id"], 701);

    let out = cskh(
        dir.path(),
        &db,
        &["export", "cases", "--format", "csv", "--output", "kn.csv"],
    );
    assert!(out.status.success(), "{out:?}");
    let bytes = std::fs::read(dir.path().join("kn.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "{bytes:?}");
    let text = String::from_utf8(bytes).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("number,category,status,step,urgent,created_at"),
        "{text}"
    );
    let case = lines.next().unwrap();
    assert!(case.starts_with("KN-000001,quality,open"), "{text}");
    assert_eq!(case.split(',').nth(7), Some("702"), "{text}");
    // The description, whole, is the last column.
    assert!(case.ends_with(",Vùng da bị sưng đỏ sau khi làm."), "{text}");

    // A date --since cannot read is refused; one after everything exports nothing.
    let out = cskh(
        dir.path(),
        &db,
        &["export", "requests", "--since", "hôm qua"],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let out = cskh(
        dir.path(),
        &db,
        &[
            "export",
            "requests",
            "--format",
            "json",
            "--since",
            "01/12/2026",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
}

// ---- Exports of what the conversations stored ----

#[tokio::test]
async fn the_export_rows_carry_what_the_deferral_refund_and_complaint_recorded() {
    let app = crate::conversations::run_transcript("registry_export.txt").await;
    at(&app, "2026-11-24", (13, 30));
    assert!(app
        .engine
        .staff_request_called(None, 2, "Minh")
        .await
        .unwrap());
    let requests = registry::request_rows(&app.engine.store, 0, VN)
        .await
        .unwrap();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let bl = &requests[0];
    assert_eq!(
        (
            bl.number.as_str(),
            bl.kind.as_str(),
            bl.status.as_str(),
            bl.outcome.as_str()
        ),
        ("BL-000001", "deferral", "approved", "approved")
    );
    // An approved deferral cites no rule (rules_cited lists the rules that failed or need
    // review); the rejected one in the figures test cites DEFER_WINDOW.
    assert_eq!(bl.rules_cited, "");
    assert_eq!(bl.created_at, "2026-11-24 09:00");
    assert_eq!(bl.invoice, "HD-2026-0012");
    // The dates the registry held, confirmed by the customer.
    assert_eq!(bl.paid_on, "2026-10-01");
    assert_eq!(bl.scheduled_on, "2026-12-05");
    assert_eq!(bl.new_date, "2027-01-20");
    assert!(!bl.reason.is_empty(), "{bl:?}");
    // Staff know the customer by their Telegram id, not by the company's own id of them.
    assert_eq!(bl.customer_id, registry::ChannelId("424242".into()));
    assert_ne!(
        crate::support::telegram_customer(&app.engine.store, 424_242)
            .await
            .id,
        424_242
    );
    assert_eq!(bl.customer_name, "Nguyễn Thị Hoa");
    assert_eq!(bl.customer_username, "hoa_nguyen");
    assert_eq!((bl.decided_by.as_str(), bl.decided_at.as_str()), ("", ""));
    assert_eq!(bl.call_back_at, "");

    let ht = &requests[1];
    assert_eq!(
        (
            ht.number.as_str(),
            ht.kind.as_str(),
            ht.status.as_str(),
            ht.outcome.as_str()
        ),
        ("HT-000002", "refund", "staff_approved", "eligible")
    );
    assert_eq!(ht.rules_cited, "REFUND_COMPANY_FAULT");
    assert_eq!(ht.created_at, "2026-11-24 10:00");
    assert_eq!(ht.paid_on, "2026-10-01");
    assert_eq!(ht.decided_by, "Minh");
    assert_eq!(ht.decided_at, "2026-11-24 10:30");
    assert_eq!(ht.call_back_at, "2026-11-24 13:30");

    let cases = registry::case_rows(&app.engine.store, 0, VN).await.unwrap();
    assert_eq!(cases.len(), 1, "{cases:#?}");
    let kn = &cases[0];
    assert_eq!(
        (kn.number.as_str(), kn.category.as_str(), kn.status.as_str()),
        ("KN-000001", "quality", "resolved")
    );
    assert!(!kn.urgent);
    assert_eq!(kn.created_at, "2026-11-24 11:00");
    assert_eq!(kn.invoice, "HD-2026-0012");
    assert!(kn.phone.ends_with("912345678"), "{kn:?}");
    assert_eq!(kn.claimed_by, "Lan");
    assert_eq!(kn.claimed_at, "2026-11-24 11:10");
    assert_eq!(kn.call_back_at, "2026-11-24 11:40");
    assert!(!kn.call_outcome.is_empty(), "{kn:?}");
    assert_eq!(kn.rating, "4");
    assert_eq!(kn.customer_name, "Nguyễn Thị Hoa");
    assert_eq!(kn.customer_id, registry::ChannelId("424242".into()));

    // Since a later day: nothing.
    let later = unix("2026-11-25", (0, 0));
    assert!(registry::request_rows(&app.engine.store, later, VN)
        .await
        .unwrap()
        .is_empty());

    // CSV: BOM, a header row, one line per request; JSON: one object per line.
    let csv = String::from_utf8(registry::to_csv(&requests).unwrap()).unwrap();
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    let csv_lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(csv_lines.len(), 3, "{csv}");
    assert!(csv_lines[0].starts_with("number,kind,status,outcome,rules_cited,created_at,invoice"));
    assert!(csv_lines[1].starts_with("BL-000001,deferral,approved,approved,"));
    let json = String::from_utf8(registry::to_json_lines(&cases).unwrap()).unwrap();
    let objects: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0]["number"], "KN-000001");
    assert_eq!(objects[0]["rating"], "4");
    assert!(json.ends_with('\n'));
}

#[test]
fn an_empty_csv_export_still_has_its_header_row() {
    let rows: Vec<registry::CaseRow> = Vec::new();
    let csv = String::from_utf8(registry::to_csv(&rows).unwrap()).unwrap();
    assert!(
        csv.trim_start_matches('\u{feff}')
            .starts_with("number,category,status"),
        "{csv:?}"
    );
}

// ---- Driving conversations by hand (several customers) ----

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

async fn send(app: &TestApp, who: i64, input: Input) {
    app.engine
        .handle(Incoming {
            key: None,
            user: user(who),
            input,
        })
        .await
        .unwrap();
    app.delivery.flush().await;
}

async fn say(app: &TestApp, who: i64, text: &str) {
    send(app, who, Input::Text(text.into())).await;
}

/// Presses the button whose label contains `label` on the newest message to `who` that has it.
async fn press(app: &TestApp, who: i64, label: &str) {
    let data = app
        .recorder
        .all()
        .into_iter()
        .rev()
        .filter(|s| s.chat_id == who)
        .find_map(|s| {
            s.msg
                .buttons
                .iter()
                .flatten()
                .find(|(l, _)| l.contains(label))
                .map(|(_, d)| d.clone())
        })
        .unwrap_or_else(|| panic!("no button {label:?} was sent to {who}"));
    send(app, who, Input::Button(data.into())).await;
}

/// A deferral on an invoice in the registry, confirmed and submitted.
async fn deferral_known(app: &TestApp, who: i64, invoice: &str) {
    say(app, who, "/baoluu").await;
    say(app, who, invoice).await;
    press(app, who, "Đúng").await;
    press(app, who, "Ốm đau").await;
    say(app, who, "không có").await;
    say(app, who, "20/01/2027").await;
    press(app, who, "Gửi yêu cầu").await;
}

/// A deferral with typed dates, submitted.
async fn deferral_typed(app: &TestApp, who: i64, paid: &str) {
    say(app, who, "/baoluu").await;
    say(app, who, "HD-2026-0800").await;
    say(app, who, paid).await;
    say(app, who, "05/12/2026").await;
    press(app, who, "Ốm đau").await;
    say(app, who, "không có").await;
    say(app, who, "20/01/2027").await;
    press(app, who, "Gửi yêu cầu").await;
}

/// An eligible refund, submitted.
async fn refund(app: &TestApp, who: i64) {
    say(app, who, "/hoantien").await;
    say(app, who, "HD-2026-0301").await;
    say(app, who, "01/10/2026").await;
    press(app, who, "Chưa thi công").await;
    press(app, who, "Công ty thu phí nhưng chưa thi công").await;
    press(app, who, "Không được báo").await;
    say(app, who, "Đã gần 2 tháng mà chưa ai gọi hẹn lịch thi công.").await;
    press(app, who, "Gửi yêu cầu").await;
}

/// A normal complaint, submitted.
pub(crate) async fn complaint(app: &TestApp, who: i64, invoice: Option<&str>, phone: &str) {
    say(app, who, "/khieunai").await;
    press(app, who, "Chất lượng dịch vụ").await;
    say(app, who, "Vùng da bị sưng đỏ sau khi làm.").await;
    press(app, who, "Xong").await;
    match invoice {
        Some(i) => say(app, who, i).await,
        None => press(app, who, "Không có hóa đơn").await,
    }
    press(app, who, "Bình thường").await;
    send(
        app,
        who,
        Input::Contact {
            phone: phone.into(),
        },
    )
    .await;
    press(app, who, "Đồng ý").await;
}

async fn case_action(app: &TestApp, case_id: i64, action: CaseAction) {
    app.engine
        .staff_case_action(StaffCaseAction {
            key: None,
            staff_id: 9001,
            staff_name: "Lan".into(),
            case_id,
            action,
        })
        .await
        .unwrap();
    app.delivery.flush().await;
}

/// Five complaints and three requests over a week, with calls and ratings at known times.
pub(crate) async fn a_week_of_work() -> TestApp {
    let app = TestApp::new(date("2026-11-24")).await;
    import_text(&app, GOOD_FILE, false).await.unwrap();
    // KN-000001: five days old on the 24th, still open, never called.
    at(&app, "2026-11-19", (9, 0));
    complaint(&app, 801, None, "0901000001").await;
    // KN-000002: Friday 09:00, called on Monday (late), resolved, rated 3.
    at(&app, "2026-11-20", (9, 0));
    complaint(&app, 802, None, "0901000002").await;
    at(&app, "2026-11-23", (9, 0));
    case_action(&app, 2, CaseAction::Claim).await;
    case_action(&app, 2, CaseAction::CallReached).await;
    case_action(&app, 2, CaseAction::Resolve).await;
    press(&app, 802, "3 ⭐").await;
    // KN-000003: two days old, called after 30 minutes, still open.
    at(&app, "2026-11-22", (9, 0));
    complaint(&app, 803, None, "0901000003").await;
    at(&app, "2026-11-22", (9, 30));
    case_action(&app, 3, CaseAction::Claim).await;
    case_action(&app, 3, CaseAction::CallReached).await;
    // KN-000004: this morning, open.
    at(&app, "2026-11-24", (8, 0));
    complaint(&app, 804, None, "0901000004").await;
    // KN-000005: this morning, resolved without a recorded call, rated 5.
    at(&app, "2026-11-24", (8, 30));
    complaint(&app, 805, None, "0901000005").await;
    at(&app, "2026-11-24", (8, 45));
    case_action(&app, 5, CaseAction::Resolve).await;
    press(&app, 805, "5 ⭐").await;
    // BL-000001 approved (the registry's dates), BL-000002 rejected (paid too long ago),
    // HT-000003 eligible and called back after 50 minutes.
    at(&app, "2026-11-24", (9, 0));
    deferral_known(&app, 811, "HD-2026-0012").await;
    at(&app, "2026-11-24", (9, 10));
    deferral_typed(&app, 812, "01/08/2026").await;
    at(&app, "2026-11-24", (10, 0));
    refund(&app, 813).await;
    at(&app, "2026-11-24", (10, 50));
    assert!(app
        .engine
        .staff_request_called(None, 3, "Lan")
        .await
        .unwrap());
    at(&app, "2026-11-24", (12, 0));
    app.recorder.take();
    app
}

#[tokio::test]
async fn the_figures_count_requests_open_cases_call_backs_and_ratings() {
    let app = a_week_of_work().await;
    let f = app.engine.figures(0).await.unwrap();
    assert_eq!(
        f.requests,
        vec![
            ("deferral".to_string(), "approved".to_string(), 1),
            ("deferral".to_string(), "rejected".to_string(), 1),
            ("refund".to_string(), "eligible".to_string(), 1),
        ]
    );
    assert_eq!(f.open_by_age, [1, 1, 1]);
    // First calls: 30 minutes (KN-000003), 50 (HT-000003), 4,320 (KN-000002, three days).
    assert_eq!(f.median_callback_minutes, Some(50));
    // KN-000002's call came long after its 4 business hours.
    assert_eq!(f.on_time_percent, Some(66));
    assert_eq!(f.rating_x10, Some(40));
    let rows = registry::request_rows(&app.engine.store, 0, VN)
        .await
        .unwrap();
    assert_eq!(rows[1].number, "BL-000002");
    assert_eq!(rows[1].outcome, "rejected");
    assert!(
        rows[1].rules_cited.contains("DEFER_WINDOW"),
        "{:?}",
        rows[1]
    );

    // Since Monday the 23rd: two open cases of this morning, one rating, no calls of their own
    // but the refund's.
    let monday = unix("2026-11-23", (0, 0));
    let week = app.engine.figures(monday).await.unwrap();
    assert_eq!(week.open_by_age, [1, 0, 0]);
    assert_eq!(week.rating_x10, Some(50));
    assert_eq!(week.median_callback_minutes, Some(50));
    assert_eq!(week.on_time_percent, Some(100));
    assert_eq!(week.requests.iter().map(|r| r.2).sum::<i64>(), 3);
}

#[tokio::test]
async fn stats_in_the_staff_group_shows_this_weeks_and_this_months_figures() {
    let app = a_week_of_work().await;
    assert!(app
        .engine
        .staff_command(None, None, "/stats")
        .await
        .unwrap());
    app.delivery.flush().await;
    let sent: Vec<_> = app
        .recorder
        .take()
        .into_iter()
        .filter(|s| s.chat_id == STAFF_CHAT)
        .collect();
    // The figures, then the chart of the last weeks.
    assert_eq!(sent.len(), 2, "{sent:#?}");
    let (name, png) = sent[1].msg.picture.clone().expect("a chart");
    assert_eq!(name, "bieu-do-tuan-2026-11-24.png");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    assert!(sent[1].msg.text.contains("8 tuần"), "{}", sent[1].msg.text);
    let text = &sent[0].msg.text;
    for part in [
        "📊 Tuần này:",
        "📊 Tháng này:",
        "• bảo lưu · chấp thuận: 1",
        "• bảo lưu · không chấp thuận: 1",
        "• hoàn trả · đủ điều kiện hoàn trả: 1",
        "• Khiếu nại đang mở: 1 dưới 1 ngày, 0 từ 1–3 ngày, 0 trên 3 ngày",
        "• Khiếu nại đang mở: 1 dưới 1 ngày, 1 từ 1–3 ngày, 1 trên 3 ngày",
        "• Thời gian đến cuộc gọi đầu tiên (trung vị): 50 phút",
        "• Gọi lại đúng hạn: 66%",
        "• Đánh giá trung bình: 4.0/5",
        "• Đánh giá trung bình: 5.0/5",
    ] {
        assert!(text.contains(part), "{part:?} not in:\n{text}");
    }
}

#[tokio::test]
async fn export_in_the_staff_group_uploads_the_requests_and_the_cases_as_csv() {
    let app = a_week_of_work().await;
    assert!(app
        .engine
        .staff_command(None, None, "/export")
        .await
        .unwrap());
    app.delivery.flush().await;
    let sent: Vec<_> = app
        .recorder
        .take()
        .into_iter()
        .filter(|s| s.chat_id == STAFF_CHAT)
        .collect();
    assert_eq!(sent.len(), 2, "{sent:#?}");
    let (name, content) = sent[0].msg.upload.clone().expect("a file");
    assert_eq!(name, "yeu-cau-2026-11-24.csv");
    assert!(sent[0].msg.text.contains("yeu-cau-2026-11-24.csv"));
    assert!(
        content.starts_with("\u{feff}number,kind,status,outcome"),
        "{content}"
    );
    assert_eq!(content.lines().count(), 4, "{content}");
    assert!(content.contains("BL-000001,deferral,approved"), "{content}");
    let (name, content) = sent[1].msg.upload.clone().expect("a file");
    assert_eq!(name, "khieu-nai-2026-11-24.csv");
    assert!(
        content.starts_with("\u{feff}number,category,status"),
        "{content}"
    );
    assert_eq!(content.lines().count(), 6, "{content}");
}
