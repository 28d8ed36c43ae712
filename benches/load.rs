//! Load run: the real Telegram channel (`app::run_telegram`) against the fake Bot API on
//! loopback, N simulated customers each going through a whole deferral, staff deciding the ones
//! that need review; then a bare teloxide echo bot on a fresh fake, same updates (the ceiling).
//!
//!     cargo bench --bench load -- 1000          # or 10000; LOAD_N also works
//!     cargo bench --bench load -- --throttle 1000
//!
//! Each bot runs in a child process (this binary re-executed with `--child`), so its peak
//! resident memory (VmHWM of /proc/self/status, printed by the child) is the bot's alone; the
//! fake and the simulated customers run in this process. Both share the machine's cores.
//!
//! Two phases per bot, each on a fresh bot, database and fake:
//! * throughput: closed loop, at most `LOAD_CONCURRENCY` (default 100) updates in flight, all N
//!   conversations interleaved (all N are open at once in the middle of the run);
//! * latency: open loop, updates pushed at `LOAD_RATE` per second (default 1000), however fast
//!   the bot answers (at most 5,000 in flight).
//!
//! Latency of an update: from the moment a getUpdates answer hands it to the bot until the reply
//! (the message the customer waits for) reaches the fake. Rate limiting is off, except with
//! `--throttle`: then 1,000 customers are active at once for at most `LOAD_THROTTLE_SECS`
//! (default 150) s and the messages each chat received are counted per second / per minute.

#[path = "../tests/integration/fake_api.rs"]
mod fake_api;
#[allow(dead_code)]
#[path = "../tests/integration/support.rs"]
mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cskh::engine::{Engine, ManualClock};
use cskh::policy::Params;
use cskh::store::Store;
use fake_api::{ChatRef, FakeBotApi, Tapped, TgUser};
use serde_json::Value;
use support::{date, settings, vn_morning, STAFF_CHAT};
use teloxide::prelude::*;
use tokio::sync::{mpsc, Mutex as AsyncMutex, Semaphore};

const STAFF_ID: i64 = 9001;
/// The longest a customer waits for one reply before giving up on the conversation.
const WAIT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------------
// The child: one bot until its stdin closes
// ---------------------------------------------------------------------------------------------

fn vm_hwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// CPU time (user + system) this process used so far, in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn child(kind: &str, api_url: &str, db: &str, throttle: bool) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_env("LOAD_LOG")
                    .unwrap_or_else(|_| "warn".into()),
            )
            .with_writer(std::io::stderr)
            .try_init();
        let bot = Bot::new(FakeBotApi::TOKEN);
        let url = bot.api_url().join(api_url).expect("a valid url");
        let bot = bot.set_api_url(url);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
            let _ = stop.send(());
        });
        let shutdown = async move {
            let _ = stopped.await;
        };
        match kind {
            "cskh" => {
                let store = Store::connect(&format!("sqlite:{db}"))
                    .await
                    .expect("database opens");
                let clock = Arc::new(ManualClock::new(vn_morning(date("2026-11-24"))));
                let engine = Engine::new(store, settings(Params::default()), clock);
                cskh::app::run_telegram(bot, engine, throttle, shutdown)
                    .await
                    .expect("the bot runs");
            }
            _ => echo(bot, shutdown).await,
        }
    });
    println!("VMHWM_KB {}", vm_hwm_kb().unwrap_or(0));
    println!("CPU_S {}", cpu_seconds());
    println!("STATEMENTS {}", cskh::store::db::statements_run());
    std::io::stdout().flush().unwrap();
}

/// A bare teloxide echo bot: the same dispatcher and long polling, no database, no logic.
async fn echo(bot: Bot, shutdown: impl std::future::Future<Output = ()> + Send + 'static) {
    let handler = dptree::entry()
        .branch(
            Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
                let text = msg.text().unwrap_or("media").to_string();
                bot.send_message(msg.chat.id, text).await?;
                respond(())
            }),
        )
        .branch(Update::filter_callback_query().endpoint(
            |bot: Bot, q: CallbackQuery| async move {
                bot.answer_callback_query(q.id.clone()).await?;
                let chat = q
                    .message
                    .as_ref()
                    .map(|m| m.chat().id)
                    .unwrap_or(q.from.id.into());
                bot.send_message(chat, q.data.unwrap_or_default()).await?;
                respond(())
            },
        ));
    let mut dispatcher = Dispatcher::builder(bot, handler)
        .default_handler(|_| async {})
        .build();
    let token = dispatcher.shutdown_token();
    tokio::spawn(async move {
        shutdown.await;
        loop {
            match token.shutdown() {
                Ok(done) => return done.await,
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    });
    dispatcher.dispatch().await;
}

// ---------------------------------------------------------------------------------------------
// The parent: fake API, customers, measurements
// ---------------------------------------------------------------------------------------------

struct BotProcess {
    child: Child,
}

impl BotProcess {
    fn spawn(kind: &str, api_url: &str, db: &str, throttle: bool) -> BotProcess {
        let exe = std::env::current_exe().unwrap();
        let args = [
            "--child",
            kind,
            api_url,
            db,
            if throttle { "1" } else { "0" },
        ];
        // LOAD_PERF=<dir>: the bot runs under `perf record` (its memory figures are then perf's).
        let mut cmd = match std::env::var("LOAD_PERF") {
            Ok(dir) => {
                let mut c = Command::new("perf");
                c.args(["record", "-F", "499", "-g", "-o"])
                    .arg(format!("{dir}/perf-{kind}.data"))
                    .arg("--")
                    .arg(&exe);
                c
            }
            Err(_) => Command::new(&exe),
        };
        let child = cmd
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the bot process starts");
        BotProcess { child }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Closes its stdin (the stop signal); returns its peak resident memory in kB and the CPU
    /// seconds it used.
    fn stop(mut self) -> (Option<u64>, f64) {
        drop(self.child.stdin.take());
        let stdout = self.child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut hwm = None;
            let mut cpu = 0.0;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(v) = line.strip_prefix("VMHWM_KB ") {
                    hwm = v.trim().parse().ok();
                }
                if let Some(v) = line.strip_prefix("CPU_S ") {
                    cpu = v.trim().parse().unwrap_or(0.0);
                }
                if let Some(v) = line.strip_prefix("STATEMENTS ") {
                    eprintln!("load: the bot ran {} SQL statements", v.trim());
                }
            }
            let _ = tx.send((hwm, cpu));
        });
        let got = rx.recv_timeout(Duration::from_secs(20)).ok();
        if got.is_none() {
            eprintln!("load: the bot did not stop within 20 s, killed");
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        got.unwrap_or((None, 0.0))
    }
}

/// Current resident memory of a process, from /proc/<pid>/status (kB).
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A call the bot made, reduced to what the customers look at.
#[derive(Clone, Debug)]
struct Ev {
    at: Instant,
    method: String,
    chat: i64,
    text: String,
    message_id: Option<i64>,
    markup: Value,
}

impl Ev {
    fn from(t: Tapped) -> Ev {
        let text = t
            .params
            .get("text")
            .or_else(|| t.params.get("caption"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Ev {
            at: t.at,
            method: t.method_lower,
            chat: t.chat_id.unwrap_or(0),
            text,
            message_id: t.message_id,
            markup: t.params.get("reply_markup").cloned().unwrap_or(Value::Null),
        }
    }

    fn buttons(&self) -> Vec<String> {
        self.markup["inline_keyboard"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row.as_array().cloned().unwrap_or_default())
            .filter_map(|b| b["callback_data"].as_str().map(str::to_string))
            .collect()
    }
}

fn is_send(method: &str) -> bool {
    method.starts_with("send") || method == "copymessage" || method == "forwardmessage"
}

const FIRST_CUSTOMER: i64 = 1_000_000;
const INVOICE_PREFIX: &str = "HD-2026-";

fn invoice(idx: usize) -> String {
    format!("{INVOICE_PREFIX}{idx:05}")
}

/// Which customer a staff-group message is about (by the invoice number on it).
fn customer_of(text: &str) -> Option<usize> {
    let at = text.find(INVOICE_PREFIX)? + INVOICE_PREFIX.len();
    let digits: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// Spreads pushes evenly in time (open loop), if a rate is set.
struct Pacer {
    next: std::sync::Mutex<Instant>,
    interval: Duration,
}

impl Pacer {
    async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap();
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}

struct Gate {
    in_flight: Semaphore,
    pacer: Option<Pacer>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Cskh,
    Echo,
}

struct Run {
    fake: FakeBotApi,
    gate: Gate,
    staff: TgUser,
    kind: Kind,
    deadline: Instant,
}

#[derive(Default)]
struct Outcome {
    latencies: Vec<Duration>,
    staff_latencies: Vec<Duration>,
    done: bool,
    error: Option<String>,
}

/// One simulated customer's side of the conversation.
struct Customer {
    run: Arc<Run>,
    idx: usize,
    user: TgUser,
    rx: mpsc::UnboundedReceiver<Ev>,
    inbox: Vec<Ev>,
    out: Outcome,
}

impl Customer {
    /// The first event (already received or to come) that matches.
    async fn wait_for(&mut self, pred: impl Fn(&Ev) -> bool) -> Result<Ev, String> {
        if let Some(i) = self.inbox.iter().position(&pred) {
            return Ok(self.inbox.remove(i));
        }
        let until = (Instant::now() + WAIT).min(self.run.deadline);
        loop {
            match tokio::time::timeout_at(until.into(), self.rx.recv()).await {
                Ok(Some(ev)) if pred(&ev) => return Ok(ev),
                Ok(Some(ev)) => self.inbox.push(ev),
                Ok(None) => return Err("router gone".into()),
                Err(_) => return Err("timed out".into()),
            }
        }
    }

    /// Pushes one update (when the gate lets it), waits for the reply that has `want`.
    async fn step(
        &mut self,
        push: impl FnOnce(&FakeBotApi, &TgUser) -> i64,
        want: &str,
        staff: bool,
    ) -> Result<Ev, String> {
        let run = self.run.clone();
        if let Some(p) = &run.gate.pacer {
            p.wait().await;
        }
        let _permit = run.gate.in_flight.acquire().await.unwrap();
        let update_id = push(&run.fake, &self.user);
        let chat = self.user.id;
        let ev = self
            .wait_for(|e| e.chat == chat && is_send(&e.method) && e.text.contains(want))
            .await
            .map_err(|e| format!("customer {}: waiting for {want:?}: {e}", self.idx))?;
        let delivered = run
            .run_fake_delivered(update_id)
            .ok_or_else(|| format!("update {update_id} answered but never delivered"))?;
        let latency = ev.at.saturating_duration_since(delivered);
        if staff {
            self.out.staff_latencies.push(latency);
        } else {
            self.out.latencies.push(latency);
        }
        Ok(ev)
    }

    async fn burst(&mut self) -> Result<(), String> {
        let text =
            |t: String| move |f: &FakeBotApi, u: &TgUser| f.push_text(u, ChatRef::Private, &t);
        self.step(text("/baoluu".into()), "Số hóa đơn", false)
            .await?;
        self.step(text(invoice(self.idx)), "Bạn đóng chi phí", false)
            .await?;
        Ok(())
    }

    async fn deferral(&mut self) -> Result<(), String> {
        let echo = self.run.kind == Kind::Echo;
        // With the echo bot any message back is the reply.
        let w = |s: &'static str| if echo { "" } else { s };
        let inv = invoice(self.idx);
        let review = self.idx % 2 == 1;
        let reason = if review {
            "r:economic_family"
        } else {
            "r:illness"
        };
        let photo = format!("photo-{}", self.idx);
        let text =
            |t: String| move |f: &FakeBotApi, u: &TgUser| f.push_text(u, ChatRef::Private, &t);
        self.step(text("/baoluu".into()), w("Số hóa đơn"), false)
            .await?;
        self.step(text(inv.clone()), w("Bạn đóng chi phí"), false)
            .await?;
        self.step(
            text("01/10/2026".into()),
            w("Lịch thi công hiện tại"),
            false,
        )
        .await?;
        let ask = self
            .step(
                text("05/12/2026".into()),
                w("Vì sao bạn cần bảo lưu"),
                false,
            )
            .await?;
        let ask_id = ask.message_id.unwrap_or(0);
        self.step(
            move |f, u| f.push_callback(u, ChatRef::Private, ask_id, reason),
            w("giấy tờ xác nhận"),
            false,
        )
        .await?;
        self.step(
            move |f, u| f.push_photo(u, ChatRef::Private, &photo, None),
            w("Bạn muốn thi công vào ngày nào"),
            false,
        )
        .await?;
        let summary = self
            .step(
                text("20/01/2027".into()),
                w("Bạn xem lại yêu cầu bảo lưu"),
                false,
            )
            .await?;
        let summary_id = summary.message_id.unwrap_or(0);
        let want = if review {
            "cần nhân viên xem xét"
        } else {
            "đã được chấp thuận"
        };
        self.step(
            move |f, u| f.push_callback(u, ChatRef::Private, summary_id, "f:ok"),
            w(want),
            false,
        )
        .await?;
        if review && !echo {
            // The card reaches the staff group; a staff member approves it there.
            let card = self
                .wait_for(|e| {
                    e.chat == STAFF_CHAT && e.text.contains("CẦN DUYỆT") && e.text.contains(&inv)
                })
                .await
                .map_err(|e| format!("customer {}: waiting for the card: {e}", self.idx))?;
            let approve = card
                .buttons()
                .into_iter()
                .find(|d| d.starts_with("s:a:"))
                .ok_or("no approve button on the card")?;
            let card_id = card.message_id.unwrap_or(0);
            let staff = self.run.staff.clone();
            self.step(
                move |f, _| f.push_callback(&staff, ChatRef::Group(STAFF_CHAT), card_id, &approve),
                "Nhân viên đã duyệt",
                true,
            )
            .await?;
        }
        Ok(())
    }
}

impl Run {
    fn run_fake_delivered(&self, update_id: i64) -> Option<Instant> {
        self.fake.delivered_at(update_id)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// What one phase measured.
#[derive(Default)]
struct Phase {
    updates: usize,
    seconds: f64,
    latencies: Vec<Duration>,
    staff_latencies: Vec<Duration>,
    completed: usize,
    errors: Vec<String>,
    hwm_kb: Option<u64>,
    cpu_s: f64,
    rss_peak_sampled_kb: u64,
    db_bytes: u64,
    /// Of which the WAL.
    wal_bytes: u64,
    /// Every message sent (chat, at), for the rate-limit check.
    sends: Vec<(i64, Instant)>,
}

impl Phase {
    fn per_sec(&self) -> f64 {
        self.updates as f64 / self.seconds.max(1e-9)
    }
}

fn file_size(p: &std::path::Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// What each simulated customer does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    /// A whole deferral, staff approving those that need review.
    Deferral,
    /// All write at once (/baoluu), then answer the question (the invoice number).
    Burst,
}

struct PhaseConfig {
    script: Script,
    kind: Kind,
    n: usize,
    in_flight: usize,
    rate: Option<f64>,
    throttle: bool,
    time_budget: Duration,
}

async fn phase(cfg: PhaseConfig, dir: &std::path::Path, label: &str) -> Phase {
    let fake = FakeBotApi::start().await;
    fake.set_member(STAFF_CHAT, STAFF_ID, "member");
    let mut tap = fake.tap();
    let db = dir.join(format!("{label}.db"));
    let kind_name = match cfg.kind {
        Kind::Cskh => "cskh",
        Kind::Echo => "echo",
    };
    let bot = BotProcess::spawn(kind_name, &fake.url(), db.to_str().unwrap(), cfg.throttle);
    let pid = bot.pid();
    fake.wait_for_call(|c| c.is("getUpdates"), Duration::from_secs(60))
        .await
        .expect("the bot starts polling");

    // Routes every answered call to the customer it concerns.
    let mut senders = Vec::with_capacity(cfg.n);
    let mut receivers = Vec::with_capacity(cfg.n);
    for _ in 0..cfg.n {
        let (tx, rx) = mpsc::unbounded_channel::<Ev>();
        senders.push(tx);
        receivers.push(rx);
    }
    let n = cfg.n;
    let router = tokio::spawn(async move {
        let mut sends = Vec::new();
        while let Some(t) = tap.recv().await {
            let ev = Ev::from(t);
            if is_send(&ev.method) {
                sends.push((ev.chat, ev.at));
            }
            let idx = if ev.chat == STAFF_CHAT {
                customer_of(&ev.text)
            } else if ev.chat >= FIRST_CUSTOMER {
                Some((ev.chat - FIRST_CUSTOMER) as usize)
            } else {
                None
            };
            if let Some(i) = idx.filter(|&i| i < n) {
                let _ = senders[i].send(ev);
            }
        }
        sends
    });
    // Samples the bot's resident memory.
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = sampling.clone();
        tokio::spawn(async move {
            let mut peak = 0;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss_kb(pid).unwrap_or(0));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            peak
        })
    };

    let start = Instant::now();
    let run = Arc::new(Run {
        fake,
        gate: Gate {
            in_flight: Semaphore::new(cfg.in_flight),
            pacer: cfg.rate.map(|r| Pacer {
                next: std::sync::Mutex::new(Instant::now()),
                interval: Duration::from_secs_f64(1.0 / r),
            }),
        },
        staff: TgUser::new(STAFF_ID, "Hoa").username("hoa_cskh"),
        kind: cfg.kind,
        deadline: start + cfg.time_budget,
    });
    let last_reply = Arc::new(AsyncMutex::new(start));
    let mut tasks = Vec::with_capacity(cfg.n);
    let script = cfg.script;
    for (idx, rx) in receivers.into_iter().enumerate() {
        let run = run.clone();
        let last_reply = last_reply.clone();
        tasks.push(tokio::spawn(async move {
            let user = TgUser::new(FIRST_CUSTOMER + idx as i64, &format!("Khách {idx}")).lang("vi");
            let mut c = Customer {
                run,
                idx,
                user,
                rx,
                inbox: Vec::new(),
                out: Outcome::default(),
            };
            let script = match script {
                Script::Deferral => c.deferral().await,
                Script::Burst => c.burst().await,
            };
            match script {
                Ok(()) => c.out.done = true,
                Err(e) => c.out.error = Some(e),
            }
            let mut last = last_reply.lock().await;
            *last = (*last).max(Instant::now());
            c.out
        }));
    }
    let mut result = Phase::default();
    for t in tasks {
        let out = t.await.expect("a customer task");
        result.updates += out.latencies.len() + out.staff_latencies.len();
        result.latencies.extend(out.latencies);
        result.staff_latencies.extend(out.staff_latencies);
        if out.done {
            result.completed += 1;
        }
        if let Some(e) = out.error {
            result.errors.push(e);
        }
    }
    let end = *last_reply.lock().await;
    result.seconds = end.duration_since(start).as_secs_f64();
    result.wal_bytes = file_size(&dir.join(format!("{label}.db-wal")));
    result.db_bytes = file_size(&db) + result.wal_bytes;
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    result.rss_peak_sampled_kb = sampler.await.unwrap();
    (result.hwm_kb, result.cpu_s) = bot.stop();
    // The fake (and so the tap) goes away with the run: the router ends.
    drop(run);
    result.sends = router.await.unwrap();
    result.latencies.sort();
    result.staff_latencies.sort();
    if !result.errors.is_empty() {
        eprintln!(
            "load: {label}: {} of {} conversations not completed, e.g. {}",
            result.errors.len(),
            cfg.n,
            result.errors[0]
        );
    }
    result
}

/// Most events of one series inside any window of `width`.
fn max_in_window(times: &[Instant], width: Duration) -> usize {
    let mut best = 0;
    let mut j = 0;
    for i in 0..times.len() {
        while times[i].duration_since(times[j]) >= width {
            j += 1;
        }
        best = best.max(i - j + 1);
    }
    best
}

fn mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

fn yes(ok: bool) -> &'static str {
    if ok {
        "✅ holds"
    } else {
        "❌ missed"
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(0);
    format!(
        "{cpu}, {cores} cores, {:.0} GB RAM, {} {}",
        mem as f64 / 1024.0 / 1024.0,
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn load(n: usize, dir: &std::path::Path) {
    let in_flight: usize = env_or("LOAD_CONCURRENCY", 100);
    let rate: f64 = env_or("LOAD_RATE", 1000.0);
    let budget = Duration::from_secs(env_or("LOAD_BUDGET_SECS", 1200));
    eprintln!("load: N = {n}, {in_flight} in flight (throughput), {rate}/s (latency)");
    let mut results = Vec::new();
    for kind in [Kind::Cskh, Kind::Echo] {
        if std::env::var("LOAD_ONLY_CSKH").is_ok() && kind == Kind::Echo {
            break;
        }
        let name = format!("{kind:?}").to_lowercase();
        let t = Instant::now();
        let own_cpu = cpu_seconds();
        let sat = phase(
            PhaseConfig {
                script: Script::Deferral,
                kind,
                n,
                in_flight,
                rate: None,
                throttle: false,
                time_budget: budget,
            },
            dir,
            &format!("{name}-throughput"),
        )
        .await;
        eprintln!(
            "load: {name} throughput phase: {} updates in {:.1} s ({:.0}/s), bot CPU {:.2} s, fake and customers CPU {:.2} s, wall {:.1} s, WAL {:.1} MB",
            sat.updates,
            sat.seconds,
            sat.per_sec(),
            sat.cpu_s,
            cpu_seconds() - own_cpu,
            t.elapsed().as_secs_f64(),
            sat.wal_bytes as f64 / 1e6,
        );
        let t = Instant::now();
        let paced = phase(
            PhaseConfig {
                script: Script::Deferral,
                kind,
                n,
                in_flight: 5000,
                rate: Some(rate),
                throttle: false,
                time_budget: budget,
            },
            dir,
            &format!("{name}-latency"),
        )
        .await;
        eprintln!(
            "load: {name} latency phase: {} updates in {:.1} s ({:.0}/s), bot CPU {:.1} s, wall {:.1} s, p50 / p99 {} / {} ms, WAL {:.1} MB",
            paced.updates,
            paced.seconds,
            paced.per_sec(),
            paced.cpu_s,
            t.elapsed().as_secs_f64(),
            ms(percentile(&paced.latencies, 0.5)),
            ms(percentile(&paced.latencies, 0.99)),
            paced.wal_bytes as f64 / 1e6,
        );
        results.push((kind, sat, paced));
    }
    let (_, c_sat, c_paced) = &results[0];
    if results.len() < 2 {
        return;
    }
    let (_, e_sat, e_paced) = &results[1];
    let ratio = c_sat.per_sec() / e_sat.per_sec().max(1e-9);
    let hwm = c_sat.hwm_kb.unwrap_or(c_sat.rss_peak_sampled_kb);
    let conv_bytes = c_sat.db_bytes as f64 / n as f64;

    println!();
    println!("### Load run: N = {n} customers, whole deferral each (SQLite file, throttle off)");
    println!();
    println!("Machine: {}", machine());
    println!("Command: `cargo bench --bench load -- {n}`");
    println!(
        "Throughput phase: closed loop, {in_flight} updates in flight; latency phase: open loop at {rate:.0} updates/s."
    );
    println!();
    println!("| bot | conversations done | updates | updates/s (max) | p50 / p99 / max at max load (ms) | updates/s (paced) | p50 / p99 / max at {rate:.0}/s (ms) | bot CPU per update (ms) | peak RSS (MB) |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (kind, sat, paced) in &results {
        println!(
            "| {} | {}/{} | {} | {:.0} | {} / {} / {} | {:.0} | {} / {} / {} | {:.2} | {} |",
            match kind {
                Kind::Cskh => "cskh",
                Kind::Echo => "teloxide echo (ceiling)",
            },
            sat.completed,
            n,
            sat.updates,
            sat.per_sec(),
            ms(percentile(&sat.latencies, 0.5)),
            ms(percentile(&sat.latencies, 0.99)),
            ms(sat.latencies.last().copied().unwrap_or_default()),
            paced.per_sec(),
            ms(percentile(&paced.latencies, 0.5)),
            ms(percentile(&paced.latencies, 0.99)),
            ms(paced.latencies.last().copied().unwrap_or_default()),
            sat.cpu_s * 1000.0 / sat.updates.max(1) as f64,
            mb(sat.hwm_kb.unwrap_or(sat.rss_peak_sampled_kb)),
        );
    }
    println!();
    println!(
        "Staff decisions (cskh, {} of them): p50 / p99 / max {} / {} / {} ms at max load, {} / {} / {} ms paced.",
        c_sat.staff_latencies.len(),
        ms(percentile(&c_sat.staff_latencies, 0.5)),
        ms(percentile(&c_sat.staff_latencies, 0.99)),
        ms(c_sat.staff_latencies.last().copied().unwrap_or_default()),
        ms(percentile(&c_paced.staff_latencies, 0.5)),
        ms(percentile(&c_paced.staff_latencies, 0.99)),
        ms(c_paced.staff_latencies.last().copied().unwrap_or_default()),
    );
    println!(
        "Database: {:.1} MB for {n} conversations (file + -wal, the WAL {:.1} MB) = {:.1} KB per conversation.",
        c_sat.db_bytes as f64 / 1e6,
        c_sat.wal_bytes as f64 / 1e6,
        conv_bytes / 1024.0
    );
    let _ = e_paced;
    println!();
    println!("| target | measured | |");
    println!("|---|---|---|");
    println!(
        "| ≥ 1,000 updates/s sustained | {:.0}/s max, {:.0}/s paced | {} |",
        c_sat.per_sec(),
        c_paced.per_sec(),
        yes(c_sat.per_sec() >= 1000.0)
    );
    let p99 = percentile(&c_paced.latencies, 0.99);
    println!(
        "| p99 ≤ 50 ms (at {rate:.0} updates/s) | {} ms | {} |",
        ms(p99),
        yes(p99 <= Duration::from_millis(50) && c_paced.per_sec() >= rate * 0.95)
    );
    println!(
        "| ≥ half the echo bot's throughput | {:.2} × ({:.0} vs {:.0}/s) | {} |",
        ratio,
        c_sat.per_sec(),
        e_sat.per_sec(),
        yes(ratio >= 0.5)
    );
    println!(
        "| ≤ 100 MB resident with {n} open conversations | {} MB | {} |",
        mb(hwm),
        yes(hwm <= 100 * 1024)
    );
    println!();
}

async fn throttle_check(n: usize, dir: &std::path::Path) {
    let budget = Duration::from_secs(env_or("LOAD_THROTTLE_SECS", 150));
    eprintln!("load: throttle check, {n} customers at once, at most {budget:?}");
    let p = phase(
        PhaseConfig {
            script: Script::Deferral,
            kind: Kind::Cskh,
            n,
            in_flight: n.max(1),
            rate: None,
            throttle: true,
            time_budget: budget,
        },
        dir,
        "cskh-throttle",
    )
    .await;
    let mut by_chat: HashMap<i64, Vec<Instant>> = HashMap::new();
    for (chat, at) in &p.sends {
        by_chat.entry(*chat).or_default().push(*at);
    }
    let mut worst_private = 0;
    let mut min_gap: Option<Duration> = None;
    let mut staff_per_min = 0;
    let mut staff_total = 0;
    let mut private_total = 0;
    for (chat, times) in by_chat.iter_mut() {
        times.sort();
        if *chat == STAFF_CHAT {
            staff_per_min = max_in_window(times, Duration::from_secs(60));
            staff_total = times.len();
        } else {
            private_total += times.len();
            worst_private = worst_private.max(max_in_window(times, Duration::from_secs(1)));
            for w in times.windows(2) {
                let g = w[1].duration_since(w[0]);
                min_gap = Some(min_gap.map_or(g, |m: Duration| m.min(g)));
            }
        }
    }
    let mut all: Vec<Instant> = p.sends.iter().map(|(_, at)| *at).collect();
    all.sort();
    let overall = max_in_window(&all, Duration::from_secs(1));
    println!();
    println!("### Rate limits: {n} customers active at once, throttle on");
    println!();
    println!("Machine: {}", machine());
    println!("Command: `cargo bench --bench load -- --throttle {n}`");
    println!(
        "Ran {:.0} s (bounded at {} s): {} updates answered, {}/{n} conversations completed; {} messages to customers, {} to the staff group.",
        p.seconds,
        budget.as_secs(),
        p.updates,
        p.completed,
        private_total,
        staff_total
    );
    println!();
    println!("| limit | measured (max in any window) | |");
    println!("|---|---|---|");
    println!(
        "| a private chat: ≤ 1 message per second | {worst_private} per 1 s (shortest gap {} ms) | {} |",
        min_gap.map(ms).unwrap_or_else(|| "-".into()),
        yes(worst_private <= 1)
    );
    println!(
        "| the staff group: ≤ 20 messages per minute | {staff_per_min} per 60 s | {} |",
        yes(staff_per_min <= 20)
    );
    println!(
        "| (all chats: Telegram's ~30 messages per second) | {overall} per 1 s | {} |",
        yes(overall <= 30)
    );
    println!();
}

/// Customers writing all at once with Telegram's limits on (the bot's throttle): how late the
/// slowest reply comes, at each number of customers.
async fn burst_check(sizes: &[usize], dir: &std::path::Path) {
    let mut rows = Vec::new();
    for &n in sizes {
        eprintln!("load: burst, {n} customers at once");
        let p = phase(
            PhaseConfig {
                script: Script::Burst,
                kind: Kind::Cskh,
                n,
                in_flight: n.max(1),
                rate: None,
                throttle: true,
                time_budget: Duration::from_secs(600),
            },
            dir,
            &format!("cskh-burst-{n}"),
        )
        .await;
        rows.push((n, p));
    }
    println!();
    println!("### Bursts: customers writing at once, Telegram's limits on");
    println!();
    println!("Machine: {}", machine());
    let list: Vec<String> = sizes.iter().map(|n| n.to_string()).collect();
    println!(
        "Command: `cargo bench --bench load -- --burst {}`",
        list.join(" ")
    );
    println!("Each customer sends /baoluu at the same moment as the others, then answers the question (an invoice number) as soon as it comes. Latency: from the update reaching the bot to its reply reaching the fake Bot API.");
    println!();
    println!("| customers at once | replies | messages sent | answered in time | p50 (ms) | p99 (ms) | slowest reply (ms) | whole burst (s) | messages/s | slowest ≤ 10 s |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (n, p) in &rows {
        let l = &p.latencies;
        let slowest = l.last().copied().unwrap_or_default();
        let mut sends: Vec<Instant> = p.sends.iter().map(|(_, at)| *at).collect();
        sends.sort();
        let span = match (sends.first(), sends.last()) {
            (Some(a), Some(b)) => b.duration_since(*a).as_secs_f64(),
            _ => 0.0,
        };
        println!(
            "| {n} | {} | {} | {}/{n} | {} | {} | {} | {:.1} | {:.1} | {} |",
            l.len(),
            sends.len(),
            p.completed,
            ms(percentile(l, 0.50)),
            ms(percentile(l, 0.99)),
            ms(slowest),
            p.seconds,
            sends.len() as f64 / span.max(1e-9),
            yes(slowest <= Duration::from_secs(10) && p.completed == *n)
        );
    }
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1], &args[2], &args[3], args[4] == "1");
        return;
    }
    let throttle = args.iter().any(|a| a == "--throttle");
    let burst = args.iter().any(|a| a == "--burst");
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let n = args
        .iter()
        .find_map(|a| a.parse::<usize>().ok())
        .or_else(|| std::env::var("LOAD_N").ok().and_then(|v| v.parse().ok()))
        .unwrap_or(1000);
    let dir = tempfile::Builder::new()
        .prefix("cskh-load-")
        .tempdir_in("/tmp")
        .expect("a temp dir under /tmp");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        if burst {
            let sizes = if sizes.is_empty() {
                vec![50, 200, 1000]
            } else {
                sizes
            };
            burst_check(&sizes, dir.path()).await;
        } else if throttle {
            throttle_check(n, dir.path()).await;
        } else {
            load(n, dir.path()).await;
        }
    });
    drop(rt);
    dir.close().expect("the temp dir is removed");
}
