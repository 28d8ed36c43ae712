//! Two real `cskh run --webhook` processes on one PostgreSQL database (TEST_POSTGRES_URL), the
//! way a load balancer would use them: many customers go through a whole deferral, each update
//! posted to either process at random (posted again, to either, when a process does not answer
//! 200, as Telegram does), while one process or the other is killed (SIGKILL) and started
//! again; then the customers' reminders come due while the sending process is killed once more.
//! No update is lost, no reply, staff card or reminder goes out twice (but for a send in flight
//! when the sender is SIGKILLed: sending is at least once), each chat's messages arrive in the
//! order they were written. REPLICA_CUSTOMERS, REPLICA_KILLS and REPLICA_SEED
//! make longer runs, or other random choices (the seed is printed; the tasks' interleaving is not
//! repeatable, so neither is a run).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::fake_api::{ChatRef, FakeBotApi, TgUser};
use crate::support::STAFF_CHAT;
use crate::webhook::{request, wait_ready, HOOK, SECRET};

const FIRST_CUSTOMER: i64 = 70_001;
const FIRST_COMPLAINER: i64 = 71_001;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*, seeded, shared by the tasks of one run.
#[derive(Clone)]
pub struct Rng(Arc<Mutex<u64>>);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(Arc::new(Mutex::new(seed.max(1))))
    }

    pub fn below(&self, n: u64) -> u64 {
        let mut s = self.0.lock().unwrap();
        *s ^= *s >> 12;
        *s ^= *s << 25;
        *s ^= *s >> 27;
        s.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// One `cskh run --webhook` process, which can be killed and started again on its port.
pub struct Replica {
    pub port: u16,
    child: Option<Child>,
    log: PathBuf,
    fake_url: String,
    db: String,
}

impl Replica {
    pub fn start(fake: &FakeBotApi, db: &str, log: &Path) -> Replica {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut r = Replica {
            port,
            child: None,
            log: log.to_path_buf(),
            fake_url: fake.url(),
            db: db.to_string(),
        };
        r.spawn();
        r
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("a log file for the replica");
        let child =
            crate::support::cskh_command(&["run", "--webhook", HOOK], &self.fake_url, &self.db)
                .env("WEBHOOK_SECRET", SECRET)
                .env("LISTEN_ADDR", format!("127.0.0.1:{}", self.port))
                .env("RUST_LOG", "warn")
                .stderr(log)
                .spawn()
                .expect("the cskh binary starts");
        self.child = Some(child);
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, as `docker stop` or `systemctl stop` sends, and waits for the process to end.
    pub async fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(20);
            while c.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub async fn restart(&mut self) {
        self.spawn();
        wait_ready(self.port).await;
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The process id in the sender lease's holder name ("host:pid:started:n"), if it is held.
pub async fn sender_pid(pool: &sqlx::AnyPool) -> Option<u32> {
    let row: Option<(String,)> = sqlx::query_as("SELECT holder FROM leases WHERE name = 'sender'")
        .fetch_optional(pool)
        .await
        .ok()?;
    row?.0.split(':').nth(1)?.parse().ok()
}

/// Posts an update to one of `ports` at random until one answers 200 (Telegram posts an
/// update again when it gets no 200); returns how many posts it took.
pub async fn post(ports: &[u16], rng: &Rng, update: &Value) -> u32 {
    let body = update.to_string();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut posts = 0;
    loop {
        let port = ports[rng.below(ports.len() as u64) as usize];
        posts += 1;
        match request(port, "POST", "/telegram/hook", Some(SECRET), &body).await {
            Some((200, _)) => return posts,
            _ if Instant::now() > deadline => panic!("no replica took update {update}"),
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

fn dmy(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// Today in Vietnam, the bot's time zone.
pub fn vn_today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
}

/// A customer's messages for a deferral the policy approves: paid ten days ago, the job in
/// twenty days, illness, no paper, the new date ten days after the job. Confirmed by the
/// summary's button, pressed once the summary has arrived.
pub fn deferral_script(customer: i64, today: NaiveDate) -> Vec<String> {
    vec![
        "/baoluu".into(),
        format!("HD-2026-{:04}", customer % 10_000),
        dmy(today - chrono::Days::new(10)),
        dmy(today + chrono::Days::new(20)),
        "toi bi om nang".into(),
        "khong co".into(),
        dmy(today + chrono::Days::new(30)),
    ]
}

/// Says the script to the bot through `ports`, then presses "Gửi yêu cầu" once the summary has
/// reached the chat. Returns the ids of the updates posted.
pub async fn run_customer(
    fake: Arc<FakeBotApi>,
    ports: Arc<Vec<u16>>,
    rng: Rng,
    customer: i64,
    today: NaiveDate,
    pause_ms: u64,
) -> Vec<i64> {
    let user = TgUser::new(customer, &format!("Khách {customer}")).lang("vi");
    let mut ids = Vec::new();
    for text in deferral_script(customer, today) {
        tokio::time::sleep(Duration::from_millis(rng.below(pause_ms + 1))).await;
        let id = fake.push_text(&user, ChatRef::Private, &text);
        let update = fake.update_json(id);
        if rng.below(4) == 0 {
            // Posted to both processes at once (Telegram posts again when an answer is late):
            // handled once.
            tokio::join!(
                post(&ports[..1], &rng, &update),
                post(&ports[1..], &rng, &update)
            );
        } else {
            post(&ports, &rng, &update).await;
        }
        ids.push(id);
    }
    let summary = fake
        .wait_for_message(customer, "Thông tin đúng chưa", Duration::from_secs(180))
        .await
        .unwrap_or_else(|| panic!("customer {customer} never got the summary"));
    let id = fake.push_callback(&user, ChatRef::Private, summary.message_id, "f:ok");
    post(&ports, &rng, &fake.update_json(id)).await;
    ids.push(id);
    ids
}

/// A complaint whose three photos come as an album, each photo posted to either process at
/// the same moment: the two processes take the customer's row in turn, so none of the photos is
/// lost to the other's write (both reading the same old form would keep one). Returns the ids
/// of the updates posted.
pub async fn run_complainer(
    fake: Arc<FakeBotApi>,
    ports: Arc<Vec<u16>>,
    rng: Rng,
    customer: i64,
    pause_ms: u64,
) -> Vec<i64> {
    let user = TgUser::new(customer, &format!("Khách {customer}")).lang("vi");
    let mut ids = Vec::new();
    // A text, or a press of the button with this data.
    enum Say<'a> {
        Text(&'a str),
        Press(&'a str),
    }
    let first = [
        Say::Text("/khieunai"),
        Say::Press("k:quality"),
        Say::Text("lam xong 2 tuan thi bi sung do"),
    ];
    let last = [
        Say::Press("kd:done"),
        Say::Press("ki:none"),
        Say::Press("ku:normal"),
        Say::Text("0912 345 678"),
        Say::Press("kc:yes"),
    ];
    let mut say = |what: &Say| {
        let id = match what {
            Say::Text(t) => fake.push_text(&user, ChatRef::Private, t),
            Say::Press(data) => fake.push_callback(&user, ChatRef::Private, 1, data),
        };
        ids.push(id);
        fake.update_json(id)
    };
    for what in &first {
        tokio::time::sleep(Duration::from_millis(rng.below(pause_ms + 1))).await;
        post(&ports, &rng, &say(what)).await;
    }
    let files = [0, 1, 2].map(|i| format!("p{customer}-{i}"));
    let album = fake.push_album(
        &user,
        ChatRef::Private,
        &files.iter().map(String::as_str).collect::<Vec<_>>(),
        None,
    );
    let photos: Vec<Value> = album.iter().map(|id| fake.update_json(*id)).collect();
    let (a, b) = (&ports[..1], &ports[1..]);
    tokio::join!(
        post(a, &rng, &photos[0]),
        post(b, &rng, &photos[1]),
        post(a, &rng, &photos[2])
    );
    for what in &last {
        tokio::time::sleep(Duration::from_millis(rng.below(pause_ms + 1))).await;
        post(&ports, &rng, &say(what)).await;
    }
    ids.extend(album);
    ids
}

async fn scalar(pool: &sqlx::AnyPool, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(pool).await.unwrap();
    n
}

/// A message that went to a chat twice in a row (the same text and buttons).
struct Twice {
    chat: i64,
    text: String,
    first_at: Instant,
}

/// A process stopped mid-run: when, whether it held the sender lease, whether by SIGTERM.
#[derive(Clone, Copy)]
struct Stopped {
    at: Instant,
    sender: bool,
    graceful: bool,
}

/// Kills (SIGKILL) or stops (SIGTERM) the replica holding the sender lease, or the other one,
/// and starts it again.
async fn kill_and_restart(
    replicas: &Arc<tokio::sync::Mutex<Vec<Replica>>>,
    pool: &sqlx::AnyPool,
    the_sender: bool,
    graceful: bool,
    down_ms: u64,
    kills: &Mutex<Vec<Stopped>>,
) {
    let mut replicas = replicas.lock().await;
    // Right after a kill of the sender the lease names the dead process until it runs out:
    // wait for a live one to take it.
    let mut holder = sender_pid(pool).await;
    let wait_until = Instant::now() + Duration::from_secs(20);
    while the_sender
        && !replicas
            .iter()
            .any(|r| r.pid().is_some() && r.pid() == holder)
        && Instant::now() < wait_until
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
        holder = sender_pid(pool).await;
    }
    let victim = replicas
        .iter()
        .position(|r| (r.pid() == holder) == the_sender)
        .unwrap_or(0);
    let was_sender = replicas[victim].pid().is_some() && replicas[victim].pid() == holder;
    let at = Instant::now();
    if graceful {
        replicas[victim].stop().await;
    } else {
        replicas[victim].kill();
    }
    kills.lock().unwrap().push(Stopped {
        at,
        sender: was_sender,
        graceful,
    });
    tokio::time::sleep(Duration::from_millis(down_ms)).await;
    replicas[victim].restart().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_webhook_replicas_on_postgres_killed_in_turn_lose_nothing_and_send_nothing_twice() {
    if std::env::var("TEST_POSTGRES_URL").map_or(true, |u| u.is_empty()) {
        eprintln!("TEST_POSTGRES_URL not set: the two-replica test is not run");
        return;
    }
    let customers = env_or("REPLICA_CUSTOMERS", 24) as i64;
    let kill_count = env_or("REPLICA_KILLS", 4);
    let seed = env_or(
        "REPLICA_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    );
    eprintln!("two replicas: {customers} customers, {kill_count} kills, REPLICA_SEED={seed}");
    let rng = Rng::new(seed);
    let db = crate::support::shared_db().await;
    sqlx::any::install_default_drivers();
    let fake = Arc::new(FakeBotApi::start().await);
    let logs = tempfile::tempdir().unwrap();
    // Both start at once: the migrations run once (under PostgreSQL's advisory lock).
    let a = Replica::start(&fake, &db.url, &logs.path().join("a.log"));
    let b = Replica::start(&fake, &db.url, &logs.path().join("b.log"));
    wait_ready(a.port).await;
    wait_ready(b.port).await;
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let ports = Arc::new(vec![a.port, b.port]);
    let today = vn_today();

    let mut runs = tokio::task::JoinSet::new();
    for n in 0..customers {
        runs.spawn(run_customer(
            fake.clone(),
            ports.clone(),
            rng.clone(),
            FIRST_CUSTOMER + n,
            today,
            400,
        ));
    }
    // Kills while the customers write: the sender and the other process in turn.
    let replicas = Arc::new(tokio::sync::Mutex::new(vec![a, b]));
    let kills: Arc<Mutex<Vec<Stopped>>> = Arc::default();
    let killer = {
        let (replicas, pool, rng, kills) =
            (replicas.clone(), pool.clone(), rng.clone(), kills.clone());
        tokio::spawn(async move {
            for k in 0..kill_count {
                tokio::time::sleep(Duration::from_millis(1_000 + rng.below(2_500))).await;
                // The sender killed, the other killed, the sender stopped cleanly, …
                let (sender, graceful) =
                    [(true, false), (false, false), (true, true)][k as usize % 3];
                let down = 300 + rng.below(1_200);
                kill_and_restart(&replicas, &pool, sender, graceful, down, &kills).await;
            }
        })
    };
    let complainers = (customers / 3).max(1);
    for n in 0..complainers {
        runs.spawn(run_complainer(
            fake.clone(),
            ports.clone(),
            rng.clone(),
            FIRST_COMPLAINER + n,
            400,
        ));
    }
    let mut posted = Vec::new();
    while let Some(ids) = runs.join_next().await {
        posted.extend(ids.expect("a customer's run"));
    }
    killer.await.unwrap();

    // No update lost: each one posted is recorded as handled, and every customer's deferral
    // was approved once (an update applied twice, or to an old state, would show here).
    let handled: Vec<(String,)> = sqlx::query_as("SELECT key FROM processed_updates")
        .fetch_all(&pool)
        .await
        .unwrap();
    let handled: std::collections::HashSet<String> = handled.into_iter().map(|(k,)| k).collect();
    for id in &posted {
        assert!(handled.contains(&format!("tg:{id}")), "update {id} lost");
    }
    assert_eq!(
        scalar(
            &pool,
            "SELECT COUNT(*) FROM requests WHERE kind = 'deferral' AND status = 'approved'"
        )
        .await,
        customers,
        "one approved deferral per customer"
    );
    assert_eq!(
        scalar(&pool, "SELECT COUNT(*) FROM requests").await,
        customers
    );

    // Every complaint kept its three photos, which came at once to both processes.
    let media: Vec<(String,)> =
        sqlx::query_as("SELECT media FROM case_events WHERE kind = 'created' ORDER BY case_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(media.len() as i64, complainers, "one case per complaint");
    for (list,) in &media {
        let list: Vec<Value> = serde_json::from_str(list).unwrap();
        assert_eq!(list.len(), 3, "a case lost photos: {list:?}");
    }

    // The reminders: one of each deferral's comes due in the next seconds, and the process
    // that runs them is killed while they do.
    let now = chrono::Utc::now().timestamp();
    let remind_ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT MIN(id) FROM jobs WHERE kind = 'defer_remind' AND status = 'pending' GROUP BY request_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        remind_ids.len() as i64,
        customers,
        "a reminder per deferral"
    );
    for (id,) in &remind_ids {
        sqlx::query(&format!(
            "UPDATE jobs SET due_at = {} WHERE id = {id}",
            now + 1 + rng.below(6) as i64
        ))
        .execute(&pool)
        .await
        .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(1_500 + rng.below(2_000))).await;
    kill_and_restart(&replicas, &pool, true, false, 500, &kills).await;

    // Quiet: nothing left to send, no reminder left due.
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let pending = scalar(
            &pool,
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending'",
        )
        .await;
        let due = scalar(
            &pool,
            &format!(
                "SELECT COUNT(*) FROM jobs WHERE status = 'pending' AND due_at <= {}",
                now + 10
            ),
        )
        .await;
        if pending == 0 && due == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {pending} messages to send and {due} reminders due"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        scalar(&pool, "SELECT COUNT(*) FROM outbox WHERE status = 'failed'").await,
        0,
        "no message refused"
    );

    // Each chat: the messages in the order their rows were written, each row's message there.
    // Every message sent (text, photo, document, …): its chat, all its parameters, when.
    let calls: Vec<(i64, String, Instant)> = fake
        .calls()
        .into_iter()
        .filter(|c| c.method_lower.starts_with("send") || c.is("copyMessage"))
        .filter_map(|c| Some((c.chat_id()?, c.params.to_string(), c.at)))
        .collect();
    let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, address, message_id FROM outbox WHERE status = 'sent' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let rows: Vec<(i64, i64, Option<i64>)> = rows
        .into_iter()
        .map(|(id, chat, message)| (id, chat.parse().unwrap(), message))
        .collect();
    let mut last_of: HashMap<i64, i64> = HashMap::new();
    for (row, chat, message) in &rows {
        let Some(message) = message else { continue };
        assert!(
            fake.message(*chat, *message).is_some(),
            "outbox row {row}: its message {message} is not in chat {chat}"
        );
        if let Some(before) = last_of.insert(*chat, *message) {
            assert!(
                before < *message,
                "chat {chat}: row {row} (message {message}) arrived before message {before}"
            );
        }
    }

    // Nothing twice: the same message (every parameter alike) twice in a row into one chat is
    // a message sent again. Only a send in flight when its process was killed may be: Telegram
    // had it, the process died before recording it (no sender can know). Any other is a defect.
    let mut twice = Vec::new();
    let mut previous: HashMap<i64, (&str, Instant)> = HashMap::new();
    for (chat, params, at) in &calls {
        if let Some((before, first_at)) = previous.get(chat) {
            if before == params {
                twice.push(Twice {
                    chat: *chat,
                    text: params.clone(),
                    first_at: *first_at,
                });
            }
        }
        previous.insert(*chat, (params, *at));
    }
    let kills = kills.lock().unwrap().clone();
    // A clean stop finishes its sends and records them: only a SIGKILL of the sender may leave
    // one in doubt.
    let sender_kills: Vec<Instant> = kills
        .iter()
        .filter(|k| k.sender && !k.graceful)
        .map(|k| k.at)
        .collect();
    // A chat's messages go one after another, so a kill leaves at most one of each chat's in
    // doubt: each doubled message belongs to a kill, and no kill doubles two of one chat.
    let mut doubled: HashMap<(usize, i64), usize> = HashMap::new();
    for t in &twice {
        // In flight: Telegram had the first copy before the kill (bytes already on the wire
        // may arrive just after it), and "sent" was not yet committed (a loaded machine may
        // take a while to commit it).
        let kill = sender_kills.iter().position(|k| {
            t.first_at <= *k + Duration::from_millis(200)
                && k.saturating_duration_since(t.first_at) < Duration::from_secs(2)
        });
        let Some(kill) = kill else {
            panic!(
                "sent twice to chat {}, with no kill in flight: {:?}",
                t.chat, t.text
            );
        };
        let n = doubled.entry((kill, t.chat)).or_default();
        *n += 1;
        assert_eq!(*n, 1, "one kill doubled two messages of chat {}", t.chat);
    }
    let in_doubt = twice.len();

    // Telegram's limit of about one message a second into a chat holds across the processes:
    // one sends at a time. Two may land within a second (the network's jitter on sends a
    // second apart, or a new sender's first message right after the old one's last: its
    // throttle starts afresh), three never.
    let mut busiest = 0;
    let mut by_chat: HashMap<i64, Vec<Instant>> = HashMap::new();
    for (chat, _, at) in &calls {
        by_chat.entry(*chat).or_default().push(*at);
    }
    for (chat, times) in &by_chat {
        for (i, start) in times.iter().enumerate() {
            let within = times[i..]
                .iter()
                .take_while(|t| t.duration_since(*start) < Duration::from_millis(1_000))
                .count();
            busiest = busiest.max(within);
            assert!(
                within <= 2,
                "chat {chat}: {within} messages within a second"
            );
        }
    }

    // Each customer: one approval, one staff card, one reminder.
    for n in 0..customers {
        let chat = FIRST_CUSTOMER + n;
        let sent = fake.sent_messages(chat);
        let approvals: Vec<&str> = sent
            .iter()
            .filter(|m| m.text.contains("đã được chấp thuận"))
            .map(|m| m.text.as_str())
            .collect();
        // A message sent twice while in flight at a kill may be one of these.
        let doubted = twice.iter().any(|t| t.chat == chat || t.chat == STAFF_CHAT);
        let most = if doubted { 2 } else { 1 };
        assert!(
            (1..=most).contains(&approvals.len()),
            "customer {chat}: {approvals:?}"
        );
        assert!(
            approvals.iter().all(|a| *a == approvals[0]),
            "customer {chat}: two different approvals {approvals:?}"
        );
        let number = approvals[0]
            .split_whitespace()
            .find(|w| w.starts_with("BL-"))
            .expect("the request number")
            .to_string();
        let reminders = sent
            .iter()
            .filter(|m| m.text.contains("Nhắc lịch") && m.text.contains(&number))
            .count();
        let cards = fake
            .sent_messages(STAFF_CHAT)
            .iter()
            .filter(|m| m.text.contains(&format!("{number} · bảo lưu")))
            .count();
        assert!(
            (1..=most).contains(&reminders),
            "customer {chat}: {reminders} reminders of {number}"
        );
        assert!(
            (1..=most).contains(&cards),
            "{cards} staff cards of {number}"
        );
    }
    let sender_kill_count = sender_kills.len();
    let clean_stops = kills.iter().filter(|k| k.graceful && k.sender).count();
    eprintln!(
        "two replicas: {} updates handled, {} messages sent (at most {busiest} into one chat within a second), {} stops: {} SIGKILL of the sender, {} SIGTERM of the sender, {} of the other; {} sent twice while in flight at a SIGKILL",
        posted.len(),
        calls.len(),
        kills.len(),
        sender_kill_count,
        clean_stops,
        kills.len() - sender_kill_count - clean_stops,
        in_doubt
    );
    assert!(sender_kill_count >= 1, "the sender was never killed");
    drop(replicas);
}
