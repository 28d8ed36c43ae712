//! Updates a second through real `cskh run --webhook` processes on one PostgreSQL database,
//! with one process and with two behind a (random) load balancer:
//!
//!     TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench replicas -- 400
//!
//! N customers (default 400) each say the seven messages of a deferral; at most
//! `LOAD_CONCURRENCY` (default 32) customers write at once, each waiting for the 200 of one
//! update (sent once it is committed) before posting the next. The fake Bot API and the
//! customers run in this process, the bots in their own, PostgreSQL in its own: all share the
//! machine's cores. Telegram's rate limits stay on in the bots (they hold only the sending,
//! which the webhook's 200 does not wait for). Each run has a fresh database and fake.

#[path = "../tests/integration/fake_api.rs"]
mod fake_api;
#[allow(dead_code, unused_imports)]
#[path = "../tests/integration/replicas.rs"]
mod replicas;
#[allow(dead_code)]
#[path = "../tests/integration/support.rs"]
mod support;
#[allow(dead_code, unused_imports)]
#[path = "../tests/integration/webhook.rs"]
mod webhook;

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_api::{ChatRef, FakeBotApi, TgUser};
use replicas::{deferral_script, post, vn_today, Replica, Rng};
use tokio::sync::Semaphore;

/// CPU seconds (user + system) a process has used, from /proc/PID/stat.
fn cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// CPU seconds of every PostgreSQL server process (the postmaster's backends come and go with
/// connections; those that ended during the run are missed).
fn postgres_cpu_secs() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .filter_map(cpu_secs)
        .sum()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

struct Figures {
    updates: usize,
    secs: f64,
    p50: f64,
    p99: f64,
    max: f64,
    reposts: u32,
    bot_cpu_ms_per_update: f64,
    postgres_cpu_ms_per_update: f64,
    driver_cpu_ms_per_update: f64,
}

async fn run(processes: usize, customers: i64, concurrency: usize) -> Figures {
    let db = support::shared_db().await;
    assert!(
        db.url.starts_with("postgres"),
        "set TEST_POSTGRES_URL: this bench runs on PostgreSQL"
    );
    let fake = Arc::new(FakeBotApi::start().await);
    let logs = tempfile::tempdir().unwrap();
    let bots: Vec<Replica> = (0..processes)
        .map(|i| Replica::start(&fake, &db.url, &logs.path().join(format!("{i}.log"))))
        .collect();
    for b in &bots {
        webhook::wait_ready(b.port).await;
    }
    let ports: Arc<Vec<u16>> = Arc::new(bots.iter().map(|b| b.port).collect());
    let cpu_before: f64 = bots.iter().filter_map(|b| cpu_secs(b.pid()?)).sum();
    let pg_before = postgres_cpu_secs();
    let me_before = cpu_secs(std::process::id()).unwrap_or(0.0);
    let rng = Rng::new(0x5eed);
    let today = vn_today();
    let gate = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..customers {
        let (fake, ports, rng, gate) = (fake.clone(), ports.clone(), rng.clone(), gate.clone());
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await.unwrap();
            let who = 80_001 + n;
            let user = TgUser::new(who, &format!("Khách {who}")).lang("vi");
            let mut latencies = Vec::new();
            let mut reposts = 0;
            for text in deferral_script(who, today) {
                let id = fake.push_text(&user, ChatRef::Private, &text);
                let update = fake.update_json(id);
                let t = Instant::now();
                reposts += post(&ports, &rng, &update).await - 1;
                latencies.push(t.elapsed());
            }
            (latencies, reposts)
        });
    }
    let mut latencies = Vec::new();
    let mut reposts = 0;
    while let Some(done) = tasks.join_next().await {
        let (l, r) = done.unwrap();
        latencies.extend(l);
        reposts += r;
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu_after: f64 = bots.iter().filter_map(|b| cpu_secs(b.pid()?)).sum();
    let pg_after = postgres_cpu_secs();
    let me_after = cpu_secs(std::process::id()).unwrap_or(0.0);
    latencies.sort();
    let updates = latencies.len();
    drop(bots);
    Figures {
        updates,
        secs,
        p50: percentile(&latencies, 0.5),
        p99: percentile(&latencies, 0.99),
        max: percentile(&latencies, 1.0),
        reposts,
        bot_cpu_ms_per_update: (cpu_after - cpu_before) * 1000.0 / updates as f64,
        postgres_cpu_ms_per_update: (pg_after - pg_before) * 1000.0 / updates as f64,
        driver_cpu_ms_per_update: (me_after - me_before) * 1000.0 / updates as f64,
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let customers: i64 = args
        .iter()
        .find_map(|a| a.parse().ok())
        .or_else(|| std::env::var("LOAD_N").ok()?.parse().ok())
        .unwrap_or(400);
    let concurrency: usize = std::env::var("LOAD_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!(
        "{customers} customers × 7 updates, {concurrency} customers at once, PostgreSQL, webhook"
    );
    println!("| processes | updates | updates/s | p50 / p99 / max (ms) | posted again | CPU per update: bots / PostgreSQL / fake and customers |");
    println!("|---|---|---|---|---|---|");
    for processes in [1, 2] {
        let f = runtime.block_on(run(processes, customers, concurrency));
        println!(
            "| {processes} | {} | {:.0} | {:.1} / {:.1} / {:.1} | {} | {:.2} / {:.2} / {:.2} ms |",
            f.updates,
            f.updates as f64 / f.secs,
            f.p50,
            f.p99,
            f.max,
            f.reposts,
            f.bot_cpu_ms_per_update,
            f.postgres_cpu_ms_per_update,
            f.driver_cpu_ms_per_update
        );
    }
}
