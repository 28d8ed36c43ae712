//! Running for real: health, readiness and metrics over HTTP; several processes on one
//! database with one sender elected by a lease.

use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;
use std::time::Duration;

use cskh::delivery::Delivery;
use cskh::dialogue::{Input, Lang};
use cskh::engine::{Handled, Incoming};
use cskh::policy::Params;
use cskh::store::{SeenUser, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{date, memory_db, shared_db, TestApp};

fn customer(id: i64) -> SeenUser {
    SeenUser {
        channel: "telegram".into(),
        external_id: id.to_string(),
        address: id.to_string(),
        name: "Lê Thị Hoa".into(),
        username: None,
        lang: Lang::Vi,
    }
}

async fn say(app: &TestApp, who: i64, key: &str, text: &str) -> Handled {
    app.engine
        .handle(Incoming {
            key: Some(key.to_string()),
            user: customer(who),
            input: Input::Text(text.into()),
        })
        .await
        .unwrap()
}

/// Serves the health routes of `app` on a free local port; returns its address.
async fn serve(app: &TestApp) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = cskh::http::router(app.engine.clone());
    tokio::spawn(cskh::http::serve(listener, router, std::future::pending()));
    addr
}

/// A plain HTTP GET: (status, body).
async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut buf = String::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_string(&mut buf))
        .await
        .expect("an answer in time")
        .unwrap();
    let status = buf
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn healthz_readyz_and_metrics_answer_with_the_counts_of_handled_updates_and_the_backlog() {
    let app = TestApp::new(date("2025-03-03")).await;
    let addr = serve(&app).await;
    assert_eq!(get(addr, "/healthz").await.0, 200);
    assert_eq!(get(addr, "/readyz").await.0, 200);
    assert_eq!(say(&app, 501, "tg:m1", "xin chào").await, Handled::Done);
    assert_eq!(
        say(&app, 501, "tg:m1", "xin chào").await,
        Handled::Duplicate
    );
    let (status, text) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(
        text.contains("cskh_updates_total{outcome=\"done\",from=\"customer\"}"),
        "{text}"
    );
    assert!(
        text.contains("cskh_updates_total{outcome=\"duplicate\",from=\"customer\"}"),
        "{text}"
    );
    assert!(text.contains("cskh_update_seconds_bucket"), "{text}");
    // The greeting waits in the outbox: the backlog shows it.
    let pending = text
        .lines()
        .find(|l| l.starts_with("cskh_outbox_pending "))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .expect("cskh_outbox_pending in the scrape");
    assert!(pending >= 1.0, "{text}");
    assert!(text.contains("cskh_reminders_overdue"), "{text}");
    app.delivery.flush().await;
    let (_, text) = get(addr, "/metrics").await;
    assert!(text.contains("cskh_sends_total{result=\"ok\"}"), "{text}");
}

#[tokio::test]
async fn readyz_turns_unready_when_the_database_is_gone_and_ready_again_when_it_is_back() {
    let Some(base) = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("TEST_POSTGRES_URL not set: the readiness test on PostgreSQL is not run");
        return;
    };
    let db = shared_db().await;
    let app = TestApp::on(&db.url, date("2025-03-03"), Params::default()).await;
    let addr = serve(&app).await;
    assert_eq!(get(addr, "/readyz").await.0, 200);
    let name = db.url.rsplit_once('/').unwrap().1.to_string();
    let admin = sqlx::AnyPool::connect(&base).await.unwrap();
    // The database goes away: no new connections, the open ones cut.
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
    let mut unready = false;
    for _ in 0..20 {
        let (status, body) = get(addr, "/readyz").await;
        if status == 503 {
            assert!(body.contains("database"), "{body}");
            unready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(unready, "/readyz stayed ready with the database gone");
    assert_eq!(
        get(addr, "/healthz").await.0,
        200,
        "the process itself is up"
    );
    sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .execute(&admin)
        .await
        .unwrap();
    let mut ready = false;
    for _ in 0..40 {
        if get(addr, "/readyz").await.0 == 200 {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(ready, "/readyz did not come back with the database");
}

#[tokio::test]
async fn readyz_is_unready_when_the_database_lacks_migrations_this_binary_has() {
    let app = TestApp::on(&memory_db(), date("2025-03-03"), Params::default()).await;
    let addr = serve(&app).await;
    assert_eq!(get(addr, "/readyz").await.0, 200);
    let mut conn = app.engine.store.conn().await.unwrap();
    cskh::store::db::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    let (status, body) = get(addr, "/readyz").await;
    assert_eq!(status, 503);
    assert!(body.contains("migrations"), "{body}");
}

/// Runs a replica's sender duty (delivery into its recorder) while it holds the lease.
fn sender_duty(
    app: &TestApp,
    holder: &str,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let engine = app.engine.clone();
    let recorder = app.recorder.clone();
    let start = {
        let engine = engine.clone();
        move |stopped: tokio::sync::oneshot::Receiver<()>| {
            let delivery = Delivery::new(engine.clone(), recorder.clone());
            tokio::spawn(delivery.run(async move {
                let _ = stopped.await;
            }))
        }
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let holder = holder.to_string();
    let task = tokio::spawn(async move {
        cskh::lease::run_while_held(engine, cskh::lease::SENDER, holder, start, async move {
            let _ = stopped.await;
        })
        .await
    });
    (stop, task)
}

/// Who holds the sender lease, as `app`'s database says.
async fn sender_of(app: &TestApp) -> String {
    let (holder, _) = app
        .engine
        .store
        .lease_holder(cskh::lease::SENDER)
        .await
        .unwrap()
        .expect("someone holds the sender lease");
    holder
}

#[tokio::test]
async fn two_processes_on_one_database_send_every_reply_once_and_the_second_takes_over_when_the_first_dies(
) {
    let db = shared_db().await;
    let a = TestApp::on(&db.url, date("2025-03-03"), Params::default()).await;
    let b = TestApp::on(&db.url, date("2025-03-03"), Params::default()).await;
    let (_stop_a, task_a) = sender_duty(&a, "replica-a");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (stop_b, task_b) = sender_duty(&b, "replica-b");
    // Customers write to either process, at once.
    let customers: Vec<i64> = (1..=12).map(|i| 9000 + i).collect();
    let mut handles = Vec::new();
    for (n, who) in customers.iter().enumerate() {
        for step in 0..2 {
            let app = if (n + step) % 2 == 0 { &a } else { &b };
            let engine = app.engine.clone();
            let who = *who;
            handles.push(tokio::spawn(async move {
                engine
                    .handle(Incoming {
                        key: Some(format!("tg:{who}:{step}")),
                        user: customer(who),
                        input: Input::Text(if step == 0 {
                            "xin chào".into()
                        } else {
                            "1".into()
                        }),
                    })
                    .await
                    .unwrap()
            }));
        }
    }
    for h in handles {
        h.await.unwrap();
    }
    // Everything is sent, by the lease holder only.
    let mut sent = Vec::new();
    for _ in 0..100 {
        if a.engine.store.outbox_counts().await.unwrap().0 == 0 {
            break;
        }
        a.engine.outbox_signal().notify_one();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        a.engine.store.outbox_counts().await.unwrap().0,
        0,
        "outbox drained"
    );
    sent.extend(a.recorder.all());
    assert!(b.recorder.all().is_empty(), "only the lease holder sends");
    let total_rows = {
        let mut conn = a.engine.store.conn().await.unwrap();
        let r: (i64,) = cskh::store::db::query_as("SELECT COUNT(*) FROM outbox")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        r.0
    };
    assert_eq!(
        sent.len() as i64,
        total_rows,
        "each outbox row sent exactly once"
    );
    for who in &customers {
        assert!(
            sent.iter().any(|s| s.chat_id == *who),
            "customer {who} got an answer"
        );
    }
    // The first process dies without releasing its lease: the second takes over once it runs out.
    task_a.abort();
    let _ = task_a.await;
    assert_eq!(sender_of(&b).await, "replica-a");
    // The lease runs out on the database's clock (a process's own clock does not count).
    assert_eq!(say(&b, 9999, "tg:late", "xin chào").await, Handled::Done);
    let mut took_over = false;
    for _ in 0..120 {
        if !b.recorder.all().is_empty() {
            took_over = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(took_over, "the second process did not take over sending");
    assert_eq!(sender_of(&b).await, "replica-b");
    assert!(
        b.recorder.all().iter().all(|s| s.chat_id == 9999),
        "nothing sent again"
    );
    assert_eq!(
        a.recorder.all().len(),
        sent.len(),
        "the dead process sent nothing more"
    );
    // A clean stop releases the lease at once.
    let _ = stop_b.send(());
    task_b.await.unwrap();
    assert!(b
        .engine
        .store
        .lease_holder(cskh::lease::SENDER)
        .await
        .unwrap()
        .is_none());
    let _ = Store::connect(&db.url).await.unwrap();
}

/// Runs a lease holder whose duty only says whether it is running (in `running`).
fn flagged_duty(
    app: &TestApp,
    holder: &str,
    running: Arc<AtomicBool>,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let engine = app.engine.clone();
    let start = move |stopped: tokio::sync::oneshot::Receiver<()>| {
        let running = running.clone();
        tokio::spawn(async move {
            running.store(true, AtomicOrdering::SeqCst);
            let _ = stopped.await;
            running.store(false, AtomicOrdering::SeqCst);
        })
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let holder = holder.to_string();
    let task = tokio::spawn(async move {
        cskh::lease::run_while_held(engine, cskh::lease::SENDER, holder, start, async move {
            let _ = stopped.await;
        })
        .await
    });
    (stop, task)
}

#[tokio::test]
async fn a_process_whose_clock_is_30_seconds_ahead_never_sends_beside_the_lease_holder() {
    let db = shared_db().await;
    let a = TestApp::on(&db.url, date("2025-03-03"), Params::default()).await;
    let b = TestApp::on(&db.url, date("2025-03-03"), Params::default()).await;
    // b's clock is 30 s ahead of a's: past the end of any lease a would take by its own clock.
    b.clock.advance(chrono::Duration::seconds(30));
    let (a_runs, b_runs) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let (stop_a, task_a) = flagged_duty(&a, "replica-a", a_runs.clone());
    for _ in 0..100 {
        if a_runs.load(AtomicOrdering::SeqCst) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        a_runs.load(AtomicOrdering::SeqCst),
        "the first holder took the lease"
    );
    let (stop_b, task_b) = flagged_duty(&b, "replica-b", b_runs.clone());
    // Three renewals of each: never both at once, and the first keeps sending.
    let watched = std::time::Instant::now();
    let mut samples = 0;
    while watched.elapsed() < cskh::lease::RENEW * 3 {
        let (ra, rb) = (
            a_runs.load(AtomicOrdering::SeqCst),
            b_runs.load(AtomicOrdering::SeqCst),
        );
        assert!(!(ra && rb), "two senders at once");
        assert!(
            ra && !rb,
            "the lease moved to the process with the clock ahead"
        );
        samples += 1;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(samples > 100);
    assert_eq!(sender_of(&b).await, "replica-a");
    // A clean stop of the first hands the lease over; still one sender at a time.
    let _ = stop_a.send(());
    task_a.await.unwrap();
    assert!(!a_runs.load(AtomicOrdering::SeqCst));
    let mut took_over = false;
    for _ in 0..300 {
        if b_runs.load(AtomicOrdering::SeqCst) {
            took_over = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(took_over, "the second holder took over after the release");
    assert_eq!(sender_of(&a).await, "replica-b");
    let _ = stop_b.send(());
    task_b.await.unwrap();
}

/// A sender frozen past its lease (suspended, swapped out) may find another process sending
/// when it wakes: it starts no send until it has renewed the lease, by its own monotonic clock
/// (not the database's, which it cannot ask while frozen).
#[tokio::test]
async fn a_sender_frozen_past_its_lease_sends_nothing_until_it_has_renewed() {
    let db = shared_db().await;
    let a = TestApp::on(&db.url, date("2025-03-03"), Params::default()).await;
    let (stop, task) = sender_duty(&a, "replica-a");
    let mut until = None;
    for _ in 0..100 {
        until = a.engine.sender_until();
        if until.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let until = until.expect("the lease is taken and its end noted");
    let now = std::time::Instant::now();
    assert!(until > now, "the lease is held for a while");
    assert!(
        until <= now + Duration::from_secs(cskh::lease::TTL_SECS as u64),
        "never later than the lease's time to live"
    );
    // Frozen until after the lease's end: then a customer's reply is written.
    a.engine
        .set_sender_until(Some(std::time::Instant::now() - Duration::from_millis(1)));
    // The next renewal is not asked for before this (the lease was asked for TTL - 1 s before
    // `until`, and is renewed every RENEW).
    let ttl = Duration::from_secs(cskh::lease::TTL_SECS as u64 - 1);
    let renewal = until - ttl + cskh::lease::RENEW;
    assert_eq!(
        say(&a, 9100, "tg:frozen:1", "xin chào").await,
        Handled::Done
    );
    let written = std::time::Instant::now();
    let look = renewal - Duration::from_millis(100);
    assert!(
        look > written + Duration::from_millis(500),
        "the machine was too slow for this test's window"
    );
    tokio::time::sleep_until(look.into()).await;
    assert!(
        a.recorder.all().iter().all(|s| s.chat_id != 9100),
        "sent with the lease's end past"
    );
    // The next renewal lets it send.
    let mut sent = false;
    for _ in 0..300 {
        if a.recorder.all().iter().any(|s| s.chat_id == 9100) {
            sent = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(sent, "sent after the renewal");
    assert!(a.engine.sender_until().unwrap() > std::time::Instant::now());
    let _ = stop.send(());
    task.await.unwrap();
}
