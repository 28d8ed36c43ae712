//! Reminders that survive restarts: hotline call-backs pinged to staff in business hours,
//! deferred-job reminders and flags, the morning digest, aftercare check-ins. The engine runs on
//! a clock the test moves; `run_due_jobs` is what the scheduler calls. Times are Vietnam time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use cskh::delivery::SendError;
use cskh::dialogue::{Attachment, Input, Lang, MediaKind, RequestStatus};
use cskh::engine::{
    CaseAction, CaseActionOutcome, Engine, Incoming, ManualClock, StaffAction, StaffCaseAction,
    StaffOutcome,
};
use cskh::policy::Params;
use cskh::store::{SeenUser, Store};

use crate::fake_api::{ChatRef, FakeBotApi, SentMessage, TgUser};
use crate::support::{self, date, memory_db, Sent, TestApp, STAFF_CHAT};

const HOA: i64 = 424_242;
const PHONE: &str = "+84912345678";
/// What every call-back ping says.
const PING: &str = "hạn gọi lại";

/// `YYYY-MM-DD HH:MM` in Vietnam.
fn vn(at: &str) -> DateTime<Utc> {
    let (d, t) = at.split_once(' ').unwrap();
    let t = NaiveTime::parse_from_str(t, "%H:%M").unwrap();
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&date(d).and_time(t))
        .unwrap()
        .with_timezone(&Utc)
}

fn customer(id: i64) -> SeenUser {
    SeenUser {
        channel: "telegram".into(),
        external_id: id.to_string(),
        address: id.to_string(),
        name: format!("Khách {id}"),
        username: Some(format!("khach{id}")),
        lang: Lang::Vi,
    }
}

async fn send(app: &TestApp, who: i64, input: Input) {
    app.engine
        .handle(Incoming {
            key: None,
            user: customer(who),
            input,
        })
        .await
        .unwrap();
}

async fn say(app: &TestApp, who: i64, text: &str) {
    send(app, who, Input::Text(text.into())).await;
}

async fn press(app: &TestApp, who: i64, data: &str) {
    send(app, who, Input::Button(data.into())).await;
}

/// Everything sent since the last call (the outbox is flushed first).
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

fn pings(sent: &[Sent]) -> Vec<String> {
    texts(sent, STAFF_CHAT)
        .into_iter()
        .filter(|t| t.contains(PING))
        .collect()
}

fn datas(s: &Sent) -> Vec<String> {
    s.msg
        .buttons
        .iter()
        .flatten()
        .map(|(_, d)| d.clone())
        .collect()
}

fn labels(s: &Sent) -> Vec<String> {
    s.msg
        .buttons
        .iter()
        .flatten()
        .map(|(l, _)| l.clone())
        .collect()
}

/// How many call-back reminders wait to run.
async fn pending_callbacks(app: &TestApp) -> usize {
    app.engine
        .store
        .pending_jobs()
        .await
        .unwrap()
        .iter()
        .filter(|(kind, _)| kind == "callback")
        .count()
}

/// Moves the clock to `at` (Vietnam time), runs what is due, and returns what was sent (but
/// the morning summary, which `summary.rs` looks at).
async fn run_at(app: &TestApp, at: &str) -> Vec<Sent> {
    app.clock.set(vn(at));
    app.engine.run_due_jobs().await.unwrap();
    let mut out = sent(app).await;
    out.retain(|s| !s.msg.text.starts_with("🌅"));
    out
}

/// A case as staff see it: its id and the message id of its card.
struct Filed {
    id: i64,
    card: i64,
}

/// The customer files a complaint now (no invoice), sharing `PHONE`; the card is sent.
async fn complaint(app: &TestApp, who: i64, urgent: bool) -> Filed {
    say(app, who, "/khieunai").await;
    press(app, who, "k:quality").await;
    say(
        app,
        who,
        "Thợ làm nứt tường phòng khách, hẹn quay lại sửa mà không thấy ai.",
    )
    .await;
    press(app, who, "kd:done").await;
    press(app, who, "ki:none").await;
    press(app, who, if urgent { "ku:urgent" } else { "ku:normal" }).await;
    send(
        app,
        who,
        Input::Contact {
            phone: PHONE.into(),
        },
    )
    .await;
    press(app, who, "kc:yes").await;
    let out = sent(app).await;
    assert!(
        texts(&out, who)
            .iter()
            .any(|t| t.contains("đã được ghi nhận")),
        "{:#?}",
        texts(&out, who)
    );
    filed_case(&out)
}

fn filed_case(out: &[Sent]) -> Filed {
    let card = out
        .iter()
        .rev()
        .find(|s| s.chat_id == STAFF_CHAT && datas(s).iter().any(|d| d.starts_with("c:cl:")))
        .unwrap_or_else(|| panic!("no case card: {:#?}", texts(out, STAFF_CHAT)));
    let claim = datas(card)
        .into_iter()
        .find(|d| d.starts_with("c:cl:"))
        .unwrap();
    Filed {
        id: claim[5..].parse().unwrap(),
        card: card.message_id,
    }
}

async fn case_action(app: &TestApp, case_id: i64, action: CaseAction) {
    let outcome = app
        .engine
        .staff_case_action(StaffCaseAction {
            key: None,
            staff_id: 9001,
            staff_name: "Lan".into(),
            case_id,
            action,
        })
        .await
        .unwrap();
    assert!(
        matches!(outcome, CaseActionOutcome::Done { .. }),
        "{outcome:?}"
    );
}

/// /baoluu from start to end with `reason` (a photo as confirmation, or none) and the new date;
/// returns the request id from the staff card's buttons.
async fn deferral(app: &TestApp, who: i64, reason: &str, photo: bool, new_date: &str) -> i64 {
    deferral_sent(app, who, reason, photo, new_date).await.0
}

/// [`deferral`], and what was sent for it (the customer's answers, the staff card).
async fn deferral_sent(
    app: &TestApp,
    who: i64,
    reason: &str,
    photo: bool,
    new_date: &str,
) -> (i64, Vec<Sent>) {
    say(app, who, "/baoluu").await;
    say(app, who, "HD-2026-0012").await;
    say(app, who, "01/10/2026").await;
    say(app, who, "05/12/2026").await;
    press(app, who, reason).await;
    if photo {
        send(
            app,
            who,
            Input::Media {
                attachment: Attachment {
                    kind: MediaKind::Photo,
                    file_id: "giay-kham".into(),
                    file_name: Some("giay-kham-benh.jpg".into()),
                },
                caption: None,
            },
        )
        .await;
    } else {
        press(app, who, "c:none").await;
    }
    say(app, who, new_date).await;
    press(app, who, "f:ok").await;
    let out = sent(app).await;
    let id = out
        .iter()
        .filter(|s| s.chat_id == STAFF_CHAT)
        .flat_map(datas)
        .find_map(|d| {
            ["s:d:", "s:a:", "s:c:"]
                .iter()
                .find_map(|p| d.strip_prefix(p).map(|n| n.parse::<i64>().unwrap()))
        })
        .unwrap_or_else(|| panic!("no staff card: {:#?}", texts(&out, STAFF_CHAT)));
    (id, out)
}

/// An approved deferral of HD-2026-0012 to 20/01/2027 (illness, with a document), made on
/// 24/11/2026; the morning digest is scheduled as the scheduler does at start.
async fn approved_deferral(app: &TestApp, who: i64) -> i64 {
    app.engine.ensure_daily_jobs().await.unwrap();
    let id = deferral(app, who, "r:illness", true, "20/01/2027").await;
    let req = app.engine.store.request(id).await.unwrap().unwrap();
    assert_eq!(req.status, RequestStatus::Approved);
    id
}

// ---------------------------------------------------------------------------------------------
// Hotline call-backs

#[tokio::test]
async fn a_normal_complaint_made_friday_at_four_is_pinged_saturday_at_half_past_ten_then_every_thirty_business_minutes_until_a_call(
) {
    let app = TestApp::new(date("2026-11-27")).await; // a Friday
    app.clock.set(vn("2026-11-27 16:00"));
    let case = complaint(&app, HOA, false).await;

    // 1 h 30 on Friday, then 2 h 30 from Saturday's opening: 10:30.
    assert!(pings(&run_at(&app, "2026-11-27 17:29").await).is_empty());
    assert!(pings(&run_at(&app, "2026-11-28 08:00").await).is_empty());
    assert!(pings(&run_at(&app, "2026-11-28 10:29").await).is_empty());
    let out = run_at(&app, "2026-11-28 10:30").await;
    let first = pings(&out);
    assert_eq!(first.len(), 1, "{out:#?}");
    assert!(first[0].contains("KN-000001"), "{first:?}");
    assert!(first[0].contains(PHONE), "the phone number: {first:?}");
    // At the deadline itself it is due, not "0 minutes overdue".
    assert!(first[0].contains("đến hạn gọi lại"), "{first:?}");
    assert!(!first[0].contains("0 phút"), "{first:?}");
    // In a group without topics, the ping answers the case's card.
    let ping = out.iter().find(|s| s.msg.text.contains(PING)).unwrap();
    assert_eq!(ping.msg.reply_to, Some(case.card), "{ping:#?}");

    // The next one 30 business minutes later, not before.
    assert!(pings(&run_at(&app, "2026-11-28 10:59").await).is_empty());
    let second = pings(&run_at(&app, "2026-11-28 11:00").await);
    assert_eq!(second.len(), 1);
    assert!(second[0].contains("30 phút"), "how overdue: {second:?}");

    // A call is recorded: no more pings, ever.
    app.clock.set(vn("2026-11-28 11:10"));
    case_action(&app, case.id, CaseAction::CallReached).await;
    sent(&app).await;
    for at in [
        "2026-11-28 11:30",
        "2026-11-28 12:00",
        "2026-11-30 09:00",
        "2026-12-01 09:00",
    ] {
        let out = run_at(&app, at).await;
        assert!(pings(&out).is_empty(), "at {at}: {out:#?}");
    }
    assert_eq!(pending_callbacks(&app).await, 0, "nothing left to remind");
}

#[tokio::test]
async fn an_urgent_complaint_is_pinged_thirty_business_minutes_after_it_was_made() {
    let app = TestApp::new(date("2026-11-24")).await; // Tuesday 09:00
    complaint(&app, HOA, true).await;
    assert!(pings(&run_at(&app, "2026-11-24 09:29").await).is_empty());
    let ping = pings(&run_at(&app, "2026-11-24 09:30").await);
    assert_eq!(ping.len(), 1);
    assert!(
        ping[0].contains("KN-000001") && ping[0].contains("KHẨN"),
        "{ping:?}"
    );
}

#[tokio::test]
async fn an_urgent_complaint_made_at_eight_in_the_evening_is_pinged_thirty_minutes_after_the_next_opening(
) {
    let app = TestApp::new(date("2026-11-24")).await;
    app.clock.set(vn("2026-11-24 20:00"));
    complaint(&app, HOA, true).await;
    assert!(pings(&run_at(&app, "2026-11-24 20:30").await).is_empty());
    assert!(pings(&run_at(&app, "2026-11-25 08:29").await).is_empty());
    let ping = pings(&run_at(&app, "2026-11-25 08:30").await);
    assert_eq!(ping.len(), 1, "{ping:?}");
    assert!(
        ping[0].contains("đến hạn gọi lại") && !ping[0].contains("0 phút"),
        "just due: {ping:?}"
    );
}

#[tokio::test]
async fn a_complaint_made_on_a_holiday_eve_waits_for_the_day_after_the_holiday() {
    let mut settings = support::settings(Params::default());
    settings.hours.holidays = vec![date("2026-11-25")];
    let app = TestApp::with_settings(&memory_db(), date("2026-11-24"), settings).await;
    app.clock.set(vn("2026-11-24 17:20")); // 10 business minutes left on Tuesday
    complaint(&app, HOA, true).await;
    assert!(
        pings(&run_at(&app, "2026-11-25 08:30").await).is_empty(),
        "a holiday"
    );
    assert!(pings(&run_at(&app, "2026-11-26 08:19").await).is_empty());
    assert_eq!(pings(&run_at(&app, "2026-11-26 08:20").await).len(), 1);
}

#[tokio::test]
async fn a_call_recorded_before_the_deadline_means_no_ping_at_all() {
    let app = TestApp::new(date("2026-11-24")).await;
    let case = complaint(&app, HOA, true).await;
    app.clock.set(vn("2026-11-24 09:10"));
    case_action(&app, case.id, CaseAction::CallReached).await;
    sent(&app).await;
    for at in ["2026-11-24 09:30", "2026-11-24 10:00", "2026-11-25 09:00"] {
        let out = run_at(&app, at).await;
        assert!(pings(&out).is_empty(), "at {at}: {out:#?}");
    }
}

#[tokio::test]
async fn a_request_waiting_for_staff_is_pinged_after_four_business_hours_until_called_or_decided() {
    let app = TestApp::new(date("2026-11-24")).await; // Tuesday 09:00
    let called = deferral(&app, 601, "r:economic_family", false, "20/12/2026").await;
    let decided = deferral(&app, 602, "r:economic_family", false, "20/12/2026").await;
    for id in [called, decided] {
        let req = app.engine.store.request(id).await.unwrap().unwrap();
        assert_eq!(req.status, RequestStatus::Review);
    }
    assert!(pings(&run_at(&app, "2026-11-24 12:59").await).is_empty());
    let out = pings(&run_at(&app, "2026-11-24 13:00").await);
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(out
        .iter()
        .any(|p| p.contains("BL-000001") && p.contains("@khach601")));
    assert!(out
        .iter()
        .any(|p| p.contains("BL-000002") && p.contains("chờ nhân viên")));

    // Staff record a call on the first (s:c:ID) and decide the second (s:a:ID).
    app.clock.set(vn("2026-11-24 13:10"));
    assert!(app
        .engine
        .staff_request_called(None, called, "Lan")
        .await
        .unwrap());
    let outcome = app
        .engine
        .staff_decide(StaffAction {
            key: None,
            staff_id: 9001,
            staff_name: "Lan".into(),
            request_id: decided,
            approve: true,
            card: None,
        })
        .await
        .unwrap();
    assert!(
        matches!(outcome, StaffOutcome::Decided { .. }),
        "{outcome:?}"
    );
    sent(&app).await;
    for at in ["2026-11-24 13:30", "2026-11-24 14:00", "2026-11-25 09:00"] {
        let out = run_at(&app, at).await;
        assert!(pings(&out).is_empty(), "at {at}: {out:#?}");
    }
}

#[tokio::test]
async fn the_second_ping_names_the_supervisor_when_the_company_set_one() {
    let mut settings = support::settings(Params::default());
    settings.callback.supervisor = Some("@truongca".into());
    settings.callback.supervisor_after = 2;
    let app = TestApp::with_settings(&memory_db(), date("2026-11-24"), settings).await;
    complaint(&app, HOA, true).await;
    let first = pings(&run_at(&app, "2026-11-24 09:30").await);
    assert_eq!(first.len(), 1);
    assert!(!first[0].contains("@truongca"), "{first:?}");
    let second = pings(&run_at(&app, "2026-11-24 10:00").await);
    assert_eq!(second.len(), 1);
    assert!(second[0].contains("@truongca"), "{second:?}");
    assert!(second[0].contains("phân công"), "{second:?}");
}

#[tokio::test]
async fn a_missed_call_is_pinged_again_after_thirty_business_minutes_up_to_three_tries_then_the_supervisor(
) {
    let mut settings = support::settings(Params::default());
    settings.callback.supervisor = Some("@truongca".into());
    let app = TestApp::with_settings(&memory_db(), date("2026-11-24"), settings).await;
    let case = complaint(&app, HOA, true).await; // Tuesday 09:00, call-back due 09:30
    let everything = |out: &[Sent]| texts(out, STAFF_CHAT).join("\n");

    // Lan calls at 09:10, nobody answers.
    app.clock.set(vn("2026-11-24 09:10"));
    case_action(&app, case.id, CaseAction::CallNoAnswer).await;
    sent(&app).await;
    // The first deadline belongs to the call that was made: no ping for it.
    assert!(pings(&run_at(&app, "2026-11-24 09:30").await).is_empty());
    assert!(pings(&run_at(&app, "2026-11-24 09:39").await).is_empty());
    let again = pings(&run_at(&app, "2026-11-24 09:40").await);
    assert_eq!(again.len(), 1, "{again:?}");
    assert!(
        again[0].contains("KN-000001") && again[0].contains(PHONE),
        "{again:?}"
    );
    assert!(again[0].contains("không nghe máy 1 lần"), "{again:?}");
    assert!(!again[0].contains("0 phút"), "{again:?}");
    // Nobody calls: reminded again every 30 business minutes, like any call-back owed.
    let later = pings(&run_at(&app, "2026-11-24 10:10").await);
    assert!(
        later.len() == 1 && later[0].contains("30 phút"),
        "{later:?}"
    );

    // A second try at 10:15, missed too: the next reminder 30 minutes after it.
    app.clock.set(vn("2026-11-24 10:15"));
    case_action(&app, case.id, CaseAction::CallNoAnswer).await;
    sent(&app).await;
    assert!(pings(&run_at(&app, "2026-11-24 10:40").await).is_empty());
    let second = pings(&run_at(&app, "2026-11-24 10:45").await);
    assert!(
        second.len() == 1 && second[0].contains("không nghe máy 2 lần"),
        "{second:?}"
    );

    // The third missed call: the supervisor is told at once, and the reminders stop.
    app.clock.set(vn("2026-11-24 10:50"));
    case_action(&app, case.id, CaseAction::CallNoAnswer).await;
    sent(&app).await;
    let out = run_at(&app, "2026-11-24 10:50").await;
    let all = everything(&out);
    assert!(all.contains("không nghe máy 3 lần"), "{all}");
    assert!(
        all.contains("@truongca") && all.contains("quyết định"),
        "{all}"
    );
    for at in ["2026-11-24 11:20", "2026-11-24 12:00", "2026-11-25 09:00"] {
        let out = run_at(&app, at).await;
        assert!(everything(&out).is_empty(), "at {at}: {out:#?}");
    }
    assert_eq!(pending_callbacks(&app).await, 0, "nothing left to remind");
}

#[tokio::test]
async fn a_call_that_reaches_the_customer_after_a_missed_one_ends_the_reminders() {
    let app = TestApp::new(date("2026-11-24")).await;
    let case = complaint(&app, HOA, true).await;
    app.clock.set(vn("2026-11-24 09:10"));
    case_action(&app, case.id, CaseAction::CallNoAnswer).await;
    app.clock.set(vn("2026-11-24 09:20"));
    case_action(&app, case.id, CaseAction::CallReached).await;
    sent(&app).await;
    for at in ["2026-11-24 09:30", "2026-11-24 09:40", "2026-11-24 10:30"] {
        assert!(pings(&run_at(&app, at).await).is_empty(), "at {at}");
    }
}

#[tokio::test]
async fn a_request_whose_customer_does_not_answer_is_pinged_again_up_to_three_tries_then_the_supervisor(
) {
    let mut settings = support::settings(Params::default());
    settings.callback.supervisor = Some("@truongca".into());
    let app = TestApp::with_settings(&memory_db(), date("2026-11-24"), settings).await;
    // Tuesday 09:00, waiting for staff: the call-back is due at 13:00.
    let (id, out) = deferral_sent(&app, 603, "r:economic_family", false, "20/12/2026").await;
    let everything = |out: &[Sent]| texts(out, STAFF_CHAT).join("\n");
    // The card offers "Không nghe máy" next to "Đã gọi".
    let card = out
        .iter()
        .find(|s| s.chat_id == STAFF_CHAT && datas(s).contains(&format!("s:c:{id}")))
        .expect("the request's card");
    assert!(
        datas(card).contains(&format!("s:n:{id}")),
        "{:?}",
        datas(card)
    );
    assert!(labels(card).iter().any(|l| l.contains("Không nghe máy")));

    // Lan calls at 11:00, nobody answers: reminded to call again 30 business minutes later,
    // not at the first deadline (that call was made).
    app.clock.set(vn("2026-11-24 11:00"));
    let missed = app
        .engine
        .staff_request_no_answer(None, id, "Lan")
        .await
        .unwrap();
    assert_eq!(missed, Some(1));
    sent(&app).await;
    assert!(pings(&run_at(&app, "2026-11-24 11:29").await).is_empty());
    let again = pings(&run_at(&app, "2026-11-24 11:30").await);
    assert!(
        again.len() == 1
            && again[0].contains("BL-000001")
            && again[0].contains("không nghe máy 1 lần"),
        "{again:?}"
    );
    // At the first deadline only the missed call's chain speaks (every 30 minutes since), not
    // the reminder of the call owed before anyone called.
    let at_deadline = pings(&run_at(&app, "2026-11-24 13:00").await);
    assert!(
        at_deadline.len() == 1
            && at_deadline[0].contains("không nghe máy 1 lần")
            && !at_deadline[0].contains("chờ nhân viên"),
        "{at_deadline:?}"
    );

    // Two more missed calls: the third tells the supervisor at once, and the reminders stop.
    for at in ["2026-11-24 13:05", "2026-11-24 13:10"] {
        app.clock.set(vn(at));
        app.engine
            .staff_request_no_answer(None, id, "Lan")
            .await
            .unwrap();
    }
    sent(&app).await;
    let all = everything(&run_at(&app, "2026-11-24 13:10").await);
    assert!(all.contains("không nghe máy 3 lần"), "{all}");
    assert!(
        all.contains("@truongca") && all.contains("duyệt / từ chối"),
        "{all}"
    );
    for at in ["2026-11-24 13:40", "2026-11-24 15:00", "2026-11-25 09:00"] {
        let out = run_at(&app, at).await;
        assert!(everything(&out).is_empty(), "at {at}: {out:#?}");
    }

    // A missed call, then one that reaches the customer: no more reminders either.
    let other = deferral(&app, 604, "r:economic_family", false, "20/12/2026").await;
    app.clock.set(vn("2026-11-24 15:10"));
    app.engine
        .staff_request_no_answer(None, other, "Lan")
        .await
        .unwrap();
    app.clock.set(vn("2026-11-24 15:20"));
    assert!(app
        .engine
        .staff_request_called(None, other, "Lan")
        .await
        .unwrap());
    sent(&app).await;
    for at in ["2026-11-24 15:40", "2026-11-24 16:30", "2026-11-25 12:00"] {
        assert!(pings(&run_at(&app, at).await).is_empty(), "at {at}");
    }
}

#[tokio::test]
async fn five_complaints_overdue_together_become_one_digest_listing_all_five() {
    let app = TestApp::new(date("2026-11-24")).await;
    for who in 701..=705 {
        complaint(&app, who, true).await;
    }
    let out = run_at(&app, "2026-11-24 09:30").await;
    let staff = texts(&out, STAFF_CHAT);
    assert_eq!(staff.len(), 1, "one message, not five: {staff:#?}");
    assert!(staff[0].contains("5 khách đang chờ"), "{staff:?}");
    for n in 1..=5 {
        assert!(staff[0].contains(&format!("KN-00000{n}")), "{staff:?}");
        assert!(staff[0].contains(&format!("Khách 70{n}")), "{staff:?}");
    }
    // Each is pinged again in 30 business minutes: again one digest.
    assert!(texts(&run_at(&app, "2026-11-24 09:59").await, STAFF_CHAT).is_empty());
    assert_eq!(
        texts(&run_at(&app, "2026-11-24 10:00").await, STAFF_CHAT).len(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Restarts and two processes

#[tokio::test]
async fn after_a_restart_an_overdue_call_back_is_pinged_once_not_once_per_missed_interval() {
    let db = memory_db();
    let first = TestApp::on(&db, date("2026-11-27"), Params::default()).await;
    first.clock.set(vn("2026-11-27 16:00"));
    complaint(&first, HOA, false).await;
    assert_eq!(pings(&run_at(&first, "2026-11-28 10:30").await).len(), 1);

    // The process stops; five hours (ten intervals) go by; another starts on the same database.
    let second = TestApp::on(&db, date("2026-11-28"), Params::default()).await;
    drop(first);
    let out = run_at(&second, "2026-11-28 15:30").await;
    assert_eq!(pings(&out).len(), 1, "once, not ten times: {out:#?}");
    assert!(pings(&run_at(&second, "2026-11-28 15:59").await).is_empty());
    assert_eq!(pings(&run_at(&second, "2026-11-28 16:00").await).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_one_database_run_each_job_once() {
    let db = support::shared_db().await;
    let a = TestApp::on(&db.url, date("2026-11-24"), Params::default()).await;
    let b = TestApp::on(&db.url, date("2026-11-24"), Params::default()).await;
    for who in 801..=803 {
        complaint(&a, who, true).await;
    }
    approved_deferral(&a, 804).await;
    sent(&b).await;
    let mut total = 0;
    for at in [
        "2026-11-24 09:30",
        "2026-11-24 10:00",
        "2026-11-24 10:30",
        "2027-01-17 09:00",
    ] {
        a.clock.set(vn(at));
        b.clock.set(vn(at));
        let (ran_a, ran_b) = tokio::join!(a.engine.run_due_jobs(), b.engine.run_due_jobs());
        let (ran_a, ran_b) = (ran_a.unwrap(), ran_b.unwrap());
        total += ran_a + ran_b;
        let mut out = sent(&a).await;
        out.extend(sent(&b).await);
        let staff = pings(&out);
        assert_eq!(staff.len(), 3, "at {at}, each case once: {staff:#?}");
        for n in 1..=3 {
            let case = format!("KN-00000{n}");
            assert_eq!(
                staff.iter().filter(|p| p.contains(&case)).count(),
                1,
                "{case} at {at}: {staff:#?}"
            );
        }
        let reminders = texts(&out, 804);
        assert_eq!(
            reminders.len(),
            usize::from(at.starts_with("2027")),
            "{reminders:#?}"
        );
    }
    // 4 × 3 pings, the first reminder, the morning digest and the morning summary once each
    // (overdue since 25/11).
    assert_eq!(
        total,
        12 + 1 + 1 + 1,
        "jobs ran, by both processes together"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_starting_together_schedule_one_morning_digest() {
    for round in 0..5 {
        let db = support::shared_db().await;
        let a = TestApp::on(&db.url, date("2026-11-24"), Params::default()).await;
        let b = TestApp::on(&db.url, date("2026-11-24"), Params::default()).await;
        let (ra, rb) = tokio::join!(a.engine.ensure_daily_jobs(), b.engine.ensure_daily_jobs());
        assert!(ra.is_ok() && rb.is_ok(), "round {round}: {ra:?} {rb:?}");
        let digests = a
            .engine
            .store
            .pending_jobs()
            .await
            .unwrap()
            .into_iter()
            .filter(|(kind, _)| kind == "staff_digest")
            .count();
        assert_eq!(digests, 1, "round {round}");
    }
}

// ---------------------------------------------------------------------------------------------
// Deferred jobs

#[tokio::test]
async fn an_approved_deferral_is_reminded_three_days_and_one_day_before_listed_on_the_day_and_flagged_after(
) {
    let app = TestApp::new(date("2026-11-24")).await;
    approved_deferral(&app, HOA).await;

    assert!(texts(&run_at(&app, "2027-01-17 08:59").await, HOA).is_empty());
    let three = texts(&run_at(&app, "2027-01-17 09:00").await, HOA);
    assert_eq!(three.len(), 1, "{three:#?}");
    for part in [
        "BL-000001",
        "20/01/2027",
        "còn 3 ngày",
        "mục 2(c)",
        "tự hủy hợp đồng",
        "090 4718 078",
        "/tatnhac",
    ] {
        assert!(three[0].contains(part), "{part:?} missing: {}", three[0]);
    }
    assert!(texts(&run_at(&app, "2027-01-18 09:00").await, HOA).is_empty());
    let one = texts(&run_at(&app, "2027-01-19 09:00").await, HOA);
    assert_eq!(one.len(), 1, "{one:#?}");
    assert!(
        one[0].contains("còn 1 ngày") && one[0].contains("20/01/2027"),
        "{one:?}"
    );

    // The morning digest on the day.
    assert!(texts(&run_at(&app, "2027-01-20 07:29").await, STAFF_CHAT).is_empty());
    let digest = texts(&run_at(&app, "2027-01-20 07:30").await, STAFF_CHAT);
    assert_eq!(digest.len(), 1, "{digest:#?}");
    assert!(
        digest[0].contains("Lịch thi công hôm nay 20/01/2027"),
        "{digest:?}"
    );
    assert!(
        digest[0].contains("BL-000001") && digest[0].contains("Khách 424242"),
        "{digest:?}"
    );
    assert!(digest[0].contains("HD-2026-0012"), "{digest:?}");

    // The day after, with no record of the job: staff are told; nothing is cancelled.
    assert!(texts(&run_at(&app, "2027-01-21 08:59").await, STAFF_CHAT).is_empty());
    let out = run_at(&app, "2027-01-21 09:00").await;
    let flag = out
        .iter()
        .find(|s| s.chat_id == STAFF_CHAT && s.msg.text.contains("đã qua"))
        .unwrap_or_else(|| panic!("no flag: {out:#?}"));
    assert!(flag.msg.text.contains("BL-000001") && flag.msg.text.contains("20/01/2027"));
    assert_eq!(
        datas(flag),
        ["s:d:1"],
        "staff can record the job from the flag"
    );
    assert!(
        texts(&out, HOA).is_empty(),
        "the customer is not told anything"
    );
    let req = app.engine.store.request(1).await.unwrap().unwrap();
    assert_eq!(req.status, RequestStatus::Approved, "nothing is cancelled");
}

#[tokio::test]
async fn a_deferral_moved_again_is_reminded_for_its_latest_date_only() {
    let app = TestApp::new(date("2026-11-24")).await;
    app.engine.ensure_daily_jobs().await.unwrap();
    approved_deferral(&app, HOA).await; // BL-000001: HD-2026-0012 moved to 20/01/2027
                                        // The same invoice, typed without dashes, moved again to 30/01/2027.
    say(&app, HOA, "/baoluu").await;
    say(&app, HOA, "HD20260012").await;
    say(&app, HOA, "01/10/2026").await;
    say(&app, HOA, "20/01/2027").await;
    press(&app, HOA, "r:illness").await;
    send(
        &app,
        HOA,
        Input::Media {
            attachment: Attachment {
                kind: MediaKind::Photo,
                file_id: "giay-kham-2".into(),
                file_name: Some("giay-kham-2.jpg".into()),
            },
            caption: None,
        },
    )
    .await;
    say(&app, HOA, "30/01/2027").await;
    press(&app, HOA, "f:ok").await;
    let out = sent(&app).await;
    assert!(
        texts(&out, HOA)
            .iter()
            .any(|t| t.contains("BL-000002") && t.contains("chấp thuận")),
        "{:#?}",
        texts(&out, HOA)
    );

    // Nothing more about 20/01/2027: no reminder, no place in that day's digest, no flag.
    for at in [
        "2027-01-17 09:00",
        "2027-01-19 09:00",
        "2027-01-20 07:30",
        "2027-01-21 09:00",
    ] {
        let out = run_at(&app, at).await;
        let all: Vec<String> = out.iter().map(|s| s.msg.text.clone()).collect();
        assert!(
            all.iter()
                .all(|t| !t.contains("BL-000001") && !t.contains("20/01/2027")),
            "at {at}: {all:#?}"
        );
    }
    // The new date is reminded as any approved one.
    let three = texts(&run_at(&app, "2027-01-27 09:00").await, HOA);
    assert!(
        three.len() == 1 && three[0].contains("BL-000002") && three[0].contains("30/01/2027"),
        "{three:#?}"
    );
    let digest = texts(&run_at(&app, "2027-01-30 07:30").await, STAFF_CHAT);
    assert!(
        digest.iter().any(|t| t.contains("BL-000002")),
        "{digest:#?}"
    );
}

#[tokio::test]
async fn a_deferral_staff_approve_after_review_is_reminded_like_an_approved_one() {
    let app = TestApp::new(date("2026-11-24")).await;
    let id = deferral(&app, HOA, "r:economic_family", false, "20/12/2026").await;
    let outcome = app
        .engine
        .staff_decide(StaffAction {
            key: None,
            staff_id: 9001,
            staff_name: "Lan".into(),
            request_id: id,
            approve: true,
            card: None,
        })
        .await
        .unwrap();
    assert!(
        matches!(outcome, StaffOutcome::Decided { .. }),
        "{outcome:?}"
    );
    sent(&app).await;
    let three = texts(&run_at(&app, "2026-12-17 09:00").await, HOA);
    assert_eq!(three.len(), 1, "{three:#?}");
    assert!(three[0].contains("20/12/2026") && three[0].contains("còn 3 ngày"));
    let flag = texts(&run_at(&app, "2026-12-21 09:00").await, STAFF_CHAT);
    assert!(flag.iter().any(|t| t.contains("đã qua")), "{flag:#?}");
}

#[tokio::test]
async fn after_days_down_a_customer_gets_one_reminder_that_counts_the_days_really_left() {
    let app = TestApp::new(date("2026-11-24")).await;
    approved_deferral(&app, HOA).await;
    // The bot was down from 16/01 to 19/01 10:00: both reminders are overdue at once.
    let out = texts(&run_at(&app, "2027-01-19 10:00").await, HOA);
    assert_eq!(
        out.len(),
        1,
        "one reminder, not a stale one as well: {out:#?}"
    );
    assert!(out[0].contains("còn 1 ngày"), "{out:?}");
}

#[tokio::test]
async fn a_reminder_overdue_past_the_new_date_is_not_sent_to_the_customer() {
    let app = TestApp::new(date("2026-11-24")).await;
    approved_deferral(&app, HOA).await;
    // Down until the day after the new date: "còn 3 ngày" would be false.
    let out = run_at(&app, "2027-01-21 10:00").await;
    let customer = texts(&out, HOA);
    assert!(customer.is_empty(), "{customer:#?}");
    assert!(texts(&out, STAFF_CHAT).iter().any(|t| t.contains("đã qua")));
}

#[tokio::test]
async fn a_customer_who_sent_tatnhac_gets_no_date_reminders() {
    let app = TestApp::new(date("2026-11-24")).await;
    approved_deferral(&app, HOA).await;
    say(&app, HOA, "/tatnhac").await;
    let off = texts(&sent(&app).await, HOA);
    assert!(off.iter().any(|t| t.contains("Đã tắt lời nhắc")), "{off:?}");
    for at in ["2027-01-17 09:00", "2027-01-19 09:00"] {
        assert!(texts(&run_at(&app, at).await, HOA).is_empty(), "at {at}");
    }
    // Staff still get the day's digest.
    let digest = texts(&run_at(&app, "2027-01-20 07:30").await, STAFF_CHAT);
    assert!(digest.iter().any(|t| t.contains("BL-000001")), "{digest:?}");
}

#[tokio::test]
async fn a_job_recorded_done_with_the_done_command_is_not_flagged() {
    let app = TestApp::new(date("2026-11-24")).await;
    approved_deferral(&app, HOA).await;
    app.clock.set(vn("2027-01-20 15:00"));
    assert!(app
        .engine
        .staff_command(None, None, "/done HD-2026-0012")
        .await
        .unwrap());
    let staff = texts(&sent(&app).await, STAFF_CHAT);
    assert!(
        staff
            .iter()
            .any(|t| t.contains("BL-000001") && t.contains("đã thi công xong")),
        "{staff:?}"
    );
    let out = run_at(&app, "2027-01-21 09:00").await;
    assert!(
        !texts(&out, STAFF_CHAT).iter().any(|t| t.contains("đã qua")),
        "{out:#?}"
    );
}

#[tokio::test]
async fn the_done_command_records_which_staff_member_said_the_job_was_done() {
    let app = TestApp::new(date("2026-11-24")).await;
    approved_deferral(&app, HOA).await;
    app.clock.set(vn("2027-01-20 15:00"));
    assert!(app
        .engine
        .staff_command_as(None, None, "/done HD-2026-0012", "Minh (@minh_cskh)")
        .await
        .unwrap());
    let staff = texts(&sent(&app).await, STAFF_CHAT);
    assert!(
        staff
            .iter()
            .any(|t| t.contains("BL-000001") && t.contains("Minh (@minh_cskh) ghi nhận")),
        "{staff:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Aftercare

#[tokio::test]
async fn after_the_job_the_customer_is_checked_on_days_one_three_and_seven_and_can_report_a_problem(
) {
    let app = TestApp::new(date("2026-11-24")).await;
    let id = approved_deferral(&app, HOA).await;
    run_at(&app, "2027-01-20 08:00").await; // the reminders and the digest before the job
    app.clock.set(vn("2027-01-20 15:00"));
    assert_eq!(
        app.engine.staff_job_done(None, id, "Lan").await.unwrap(),
        Some("BL-000001".into())
    );
    let staff = texts(&sent(&app).await, STAFF_CHAT);
    assert!(
        staff.iter().any(|t| t.contains("Lan ghi nhận")),
        "{staff:?}"
    );

    // Day 1.
    assert!(texts(&run_at(&app, "2027-01-21 08:59").await, HOA).is_empty());
    let out = run_at(&app, "2027-01-21 09:00").await;
    let checkin = out
        .iter()
        .find(|s| s.chat_id == HOA)
        .unwrap_or_else(|| panic!("no check-in: {out:#?}"));
    assert!(checkin.msg.text.contains("BL-000001"), "{checkin:#?}");
    assert!(checkin.msg.text.contains("ngày thứ 1"), "{checkin:#?}");
    assert_eq!(
        datas(checkin),
        [format!("ac:ok:{id}"), format!("ac:bad:{id}")]
    );
    let labels = labels(checkin);
    assert!(
        labels[0].contains("Tốt") && labels[1].contains("Có vấn đề"),
        "{labels:?}"
    );
    assert!(
        !texts(&out, STAFF_CHAT).iter().any(|t| t.contains("đã qua")),
        "the job was recorded: no flag"
    );

    // The customer has a problem: the guidance, a complaint offer; staff are told.
    press(&app, HOA, &format!("ac:bad:{id}")).await;
    let out = sent(&app).await;
    let answer = out
        .iter()
        .find(|s| s.chat_id == HOA && s.msg.text.contains("tự xử trí"))
        .unwrap_or_else(|| panic!("no guidance: {out:#?}"));
    assert!(
        answer.msg.text.contains("hỗ trợ sau thi công"),
        "AFTERCARE: {answer:#?}"
    );
    assert!(answer.msg.text.contains("090 4718 078"), "{answer:#?}");
    assert_eq!(datas(answer), [format!("kp:{id}")]);
    assert!(labels_of(answer).contains("Khiếu nại"), "{answer:#?}");
    let staff = texts(&out, STAFF_CHAT);
    assert!(
        staff
            .iter()
            .any(|t| t.contains("có vấn đề sau thi công") && t.contains("HD-2026-0012")),
        "{staff:?}"
    );

    // Khiếu nại: the complaint starts with the invoice filled in.
    press(&app, HOA, &format!("kp:{id}")).await;
    let asked = texts(&sent(&app).await, HOA);
    assert!(
        asked
            .last()
            .unwrap()
            .contains("Khiếu nại của bạn về việc gì?"),
        "the category comes first: {asked:#?}"
    );
    press(&app, HOA, "k:quality").await;
    say(
        &app,
        HOA,
        "Vùng da bị sưng đỏ sau hai ngày, bôi thuốc không đỡ.",
    )
    .await;
    press(&app, HOA, "kd:done").await;
    let asked = texts(&sent(&app).await, HOA);
    assert!(
        asked.last().unwrap().contains("Mức độ cần xử lý?"),
        "the invoice is not asked again: {asked:#?}"
    );
    press(&app, HOA, "ku:normal").await;
    send(
        &app,
        HOA,
        Input::Contact {
            phone: PHONE.into(),
        },
    )
    .await;
    press(&app, HOA, "kc:yes").await;
    let out = sent(&app).await;
    let case = filed_case(&out);
    let stored = app.engine.store.case(case.id).await.unwrap().unwrap();
    assert_eq!(stored.invoice.as_deref(), Some("HD-2026-0012"));
    assert!(
        texts(&out, STAFF_CHAT)
            .iter()
            .any(|t| t.contains("KN-000001") && t.contains("HD-2026-0012")),
        "the card shows the invoice"
    );

    // /tatnhac: no check-in on day 3. /batnhac: the one on day 7 comes.
    say(&app, HOA, "/tatnhac").await;
    sent(&app).await;
    assert!(texts(&run_at(&app, "2027-01-23 09:00").await, HOA).is_empty());
    say(&app, HOA, "/batnhac").await;
    let on = texts(&sent(&app).await, HOA);
    assert!(on.iter().any(|t| t.contains("Đã bật lại")), "{on:?}");
    assert!(texts(&run_at(&app, "2027-01-26 09:00").await, HOA).is_empty());
    let seven = texts(&run_at(&app, "2027-01-27 09:00").await, HOA);
    assert_eq!(seven.len(), 1, "{seven:#?}");
    assert!(seven[0].contains("ngày thứ 7"), "{seven:?}");

    // Tốt: a thank-you.
    press(&app, HOA, &format!("ac:ok:{id}")).await;
    let glad = texts(&sent(&app).await, HOA);
    assert!(glad.iter().any(|t| t.contains("Rất vui")), "{glad:?}");
}

fn labels_of(s: &Sent) -> String {
    labels(s).join(" ")
}

// ---------------------------------------------------------------------------------------------
// A customer who blocked the bot

#[tokio::test]
async fn a_customer_who_blocked_the_bot_gets_no_reminders_and_staff_are_told_to_phone() {
    let app = TestApp::new(date("2026-11-24")).await;
    let id = approved_deferral(&app, HOA).await;

    // The first reminder finds the bot blocked.
    app.recorder.fail_next(HOA, SendError::Blocked);
    let out = run_at(&app, "2027-01-17 09:00").await;
    assert!(texts(&out, HOA).is_empty());
    assert!(
        texts(&out, STAFF_CHAT)
            .iter()
            .any(|t| t.contains("đã chặn bot")),
        "{out:#?}"
    );
    assert!(
        crate::support::telegram_customer(&app.engine.store, HOA)
            .await
            .unreachable
    );

    // The next reminder is not sent: staff are asked to phone instead.
    let out = run_at(&app, "2027-01-19 09:00").await;
    assert!(texts(&out, HOA).is_empty(), "{out:#?}");
    let staff = texts(&out, STAFF_CHAT);
    assert!(
        staff.iter().any(|t| t.contains("BL-000001")
            && t.contains("khách đã chặn bot")
            && t.contains("gọi điện")),
        "{staff:#?}"
    );

    // Aftercare check-ins too.
    app.clock.set(vn("2027-01-20 15:00"));
    app.engine.staff_job_done(None, id, "Lan").await.unwrap();
    sent(&app).await;
    let out = run_at(&app, "2027-01-21 09:00").await;
    assert!(texts(&out, HOA).is_empty(), "{out:#?}");
    let staff = texts(&out, STAFF_CHAT);
    assert!(
        staff
            .iter()
            .any(|t| t.contains("khách đã chặn bot") && t.contains("gọi điện")),
        "{staff:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Telegram end to end

/// The longest any single wait may take.
const WAIT: Duration = Duration::from_secs(5);

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

/// The first message into `chat` after its first `after` whose text has `contains`.
async fn expect_after(fake: &FakeBotApi, chat: i64, after: usize, contains: &str) -> SentMessage {
    eventually(|| {
        fake.sent_messages(chat)
            .into_iter()
            .skip(after)
            .find(|m| m.text.contains(contains))
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "chat {chat} got no {contains:?}: {:#?}",
            fake.sent_messages(chat)
                .iter()
                .map(|m| &m.text)
                .collect::<Vec<_>>()
        )
    })
}

/// Moves the clock and wakes the running scheduler; returns once it has taken every due job.
async fn tick(engine: &Engine, clock: &ManualClock, at: &str) {
    clock.set(vn(at));
    engine.jobs_signal().notify_one();
    let now = vn(at).timestamp();
    let deadline = Instant::now() + WAIT;
    loop {
        let jobs = engine.store.pending_jobs().await.unwrap();
        if !jobs.iter().any(|(_, due)| *due <= now) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the scheduler did not run the jobs due at {at}: {jobs:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_telegram_an_uncalled_complaint_pings_its_topic_again_after_khong_nghe_may_until_staff_press_da_goi_duoc(
) {
    let clock = Arc::new(ManualClock::new(vn("2026-11-24 09:00")));
    let store = Store::connect(&memory_db()).await.unwrap();
    let engine = Engine::new(store, support::settings(Params::default()), clock.clone());
    let fake = FakeBotApi::start().await;
    fake.set_forum(STAFF_CHAT);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(cskh::app::run_telegram(
        fake.bot(),
        engine.clone(),
        false,
        async move {
            let _ = stopped.await;
        },
    ));
    fake.wait_for_call(|c| c.is("getUpdates"), WAIT)
        .await
        .expect("the bot polls");
    let lan = TgUser::new(5201, "Lan").lang("vi");
    let hoa = TgUser::new(9001, "Hoa").username("hoa_cskh");
    fake.set_member(STAFF_CHAT, hoa.id, "member");

    // An urgent complaint, through the dispatcher.
    let steps: [(&str, &str); 7] = [
        ("/khieunai", "Khiếu nại của bạn về việc gì?"),
        ("k:quality", "Bạn kể lại sự việc"),
        (
            "Máy lạnh chảy nước sau khi lắp, tường bị ố.",
            "Mình đã ghi lại",
        ),
        ("kd:done", "Số hóa đơn liên quan"),
        ("ki:none", "Mức độ cần xử lý"),
        ("ku:urgent", "Số điện thoại"),
        ("+84912345678", "Bạn đồng ý"),
    ];
    let mut last: Option<SentMessage> = None;
    for (input, expect) in steps {
        let n = fake.sent_messages(lan.id).len();
        if input.starts_with('/') || input.contains(' ') || input.starts_with('+') {
            fake.push_text(&lan, ChatRef::Private, input);
        } else {
            let on = last.as_ref().expect("a message with buttons");
            fake.push_callback(&lan, ChatRef::Private, on.message_id, input);
        }
        last = Some(expect_after(&fake, lan.id, n, expect).await);
    }
    let n = fake.sent_messages(lan.id).len();
    fake.push_callback(&lan, ChatRef::Private, last.unwrap().message_id, "kc:yes");
    expect_after(&fake, lan.id, n, "KN-000001").await;
    let card = expect_after(&fake, STAFF_CHAT, 0, "📣 KN-000001").await;
    let topic = card.message_thread_id.expect("the case has its topic");
    let case_id: i64 = card.reply_markup["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .and_then(|d| d.strip_prefix("c:cl:"))
        .and_then(|id| id.parse().ok())
        .expect("the claim button");

    // Not yet at 09:29; at 09:30 the ping goes into the case's topic.
    tick(&engine, &clock, "2026-11-24 09:29").await;
    let before = fake.sent_messages(STAFF_CHAT).len();
    tick(&engine, &clock, "2026-11-24 09:30").await;
    let ping = expect_after(&fake, STAFF_CHAT, before, PING).await;
    assert_eq!(ping.message_thread_id, Some(topic), "{ping:#?}");
    assert!(
        ping.text.contains("KN-000001") && ping.text.contains(PHONE),
        "{}",
        ping.text
    );

    // Không nghe máy, pressed in the topic at 09:30: 30 business minutes later the topic is
    // reminded to call again.
    let answers = fake
        .calls()
        .iter()
        .filter(|c| c.is("answerCallbackQuery"))
        .count();
    fake.push_callback(
        &hoa,
        ChatRef::Topic(STAFF_CHAT, topic),
        card.message_id,
        &format!("c:cn:{case_id}"),
    );
    eventually(|| {
        (fake
            .calls()
            .iter()
            .filter(|c| c.is("answerCallbackQuery"))
            .count()
            > answers)
            .then_some(())
    })
    .await
    .expect("the press is answered");
    let before = fake.sent_messages(STAFF_CHAT).len();
    tick(&engine, &clock, "2026-11-24 09:59").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !fake.sent_messages(STAFF_CHAT)[before..]
            .iter()
            .any(|m| m.text.contains("không nghe máy 1 lần")),
        "not before 30 minutes"
    );
    tick(&engine, &clock, "2026-11-24 10:00").await;
    let again = expect_after(&fake, STAFF_CHAT, before, "không nghe máy 1 lần").await;
    assert_eq!(again.message_thread_id, Some(topic), "{again:#?}");
    assert!(again.text.contains(PHONE), "{}", again.text);

    // Đã gọi được, pressed in the topic: the pings stop.
    let answers = fake
        .calls()
        .iter()
        .filter(|c| c.is("answerCallbackQuery"))
        .count();
    fake.push_callback(
        &hoa,
        ChatRef::Topic(STAFF_CHAT, topic),
        card.message_id,
        &format!("c:cr:{case_id}"),
    );
    eventually(|| {
        (fake
            .calls()
            .iter()
            .filter(|c| c.is("answerCallbackQuery"))
            .count()
            > answers)
            .then_some(())
    })
    .await
    .expect("the press is answered");
    let case = engine.store.case(case_id).await.unwrap().unwrap();
    assert!(case.last_call_at.is_some(), "the call is recorded");
    let before = fake.sent_messages(STAFF_CHAT).len();
    for at in ["2026-11-24 10:30", "2026-11-24 11:00", "2026-11-25 09:00"] {
        tick(&engine, &clock, at).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let later: Vec<String> = fake
        .sent_messages(STAFF_CHAT)
        .into_iter()
        .skip(before)
        .map(|m| m.text)
        .filter(|t| t.contains(PING))
        .collect();
    assert!(later.is_empty(), "{later:#?}");
    assert!(
        !engine
            .store
            .pending_jobs()
            .await
            .unwrap()
            .iter()
            .any(|(kind, _)| kind == "callback"),
        "no call-back left"
    );

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(8), task)
        .await
        .expect("the bot stops")
        .unwrap()
        .unwrap();
}
