//! The real `cskh run` process against the fake Bot API, killed (SIGKILL) at random moments
//! while many customers are mid-form, and started again: no update Telegram handed out is
//! lost. KILL_ROUNDS, KILL_CUSTOMERS and KILL_SEED make longer or repeatable runs.

use std::process::Child;
use std::time::{Duration, Instant};

use crate::fake_api::{ChatRef, FakeBotApi, TgUser};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: enough randomness for kill moments, with a seed printed for a rerun.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

fn start_bot(fake: &FakeBotApi, db: &str) -> Child {
    crate::support::cskh_command(&["run"], &fake.url(), db)
        .env("LISTEN_ADDR", "127.0.0.1:0")
        .spawn()
        .expect("the cskh binary starts")
}

/// The update ids recorded as handled in the bot's database.
async fn handled(db: &str) -> Vec<i64> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(db).await.expect("database opens");
    let keys: Vec<(String,)> = sqlx::query_as("SELECT key FROM processed_updates")
        .fetch_all(&pool)
        .await
        .unwrap_or_default();
    pool.close().await;
    let mut ids: Vec<i64> = keys
        .iter()
        .filter_map(|(k,)| k.strip_prefix("tg:")?.parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

/// What each customer types, over and over: a deferral started, answered, cancelled.
fn step(customer: i64, n: u64) -> String {
    match n % 4 {
        0 => "/baoluu".into(),
        1 => format!("HD-2026-{:04}", customer % 10_000),
        2 => "01/11/2026".into(),
        _ => "/huy".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_killed_at_random_moments_many_times_loses_no_update() {
    let rounds = env_or("KILL_ROUNDS", 15);
    let customers = env_or("KILL_CUSTOMERS", 40) as i64;
    let seed = env_or(
        "KILL_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    ) | 1;
    eprintln!("kill test: {rounds} rounds, {customers} customers, KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = format!("sqlite://{}?mode=rwc", dir.path().join("kill.db").display());
    let fake = FakeBotApi::start().await;
    let users: Vec<TgUser> = (0..customers)
        .map(|i| TgUser::new(900_000 + i, &format!("Khách {i}")))
        .collect();
    let mut pushed: Vec<i64> = Vec::new();
    let mut said = vec![0u64; users.len()];
    let mut kills = 0;
    for _ in 0..rounds {
        // Every customer says the next thing, some twice in a row.
        for (i, u) in users.iter().enumerate() {
            for _ in 0..1 + rng.below(2) {
                pushed.push(fake.push_text(u, ChatRef::Private, &step(u.id, said[i])));
                said[i] += 1;
            }
        }
        let mut bot = start_bot(&fake, &db);
        // Killed anywhere from start-up to the middle of a batch.
        tokio::time::sleep(Duration::from_millis(100 + rng.below(900))).await;
        bot.kill().expect("SIGKILL");
        bot.wait().expect("the killed bot is reaped");
        kills += 1;
    }
    let lost_before_restart = pushed.len() - handled(&db).await.len();
    // Started once more and left to finish: everything handed out must be handled.
    let mut bot = start_bot(&fake, &db);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut done = handled(&db).await;
    while done.len() < pushed.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(300)).await;
        done = handled(&db).await;
    }
    bot.kill().expect("SIGKILL");
    bot.wait().expect("the bot is reaped");
    let handed_out = fake.handed_out();
    let lost: Vec<i64> = pushed
        .iter()
        .copied()
        .filter(|id| done.binary_search(id).is_err())
        .collect();
    eprintln!(
        "kill test: {} updates pushed, {} handed out, {kills} kills, {} unhandled when the last \
         kill came, {} handled at the end, {} lost",
        pushed.len(),
        handed_out.len(),
        lost_before_restart,
        done.len(),
        lost.len()
    );
    assert_eq!(
        handed_out.len(),
        pushed.len(),
        "the fake handed out every update"
    );
    assert!(
        lost.is_empty(),
        "{} of {} updates were handed out to the bot and never handled (KILL_SEED={seed}): {:?}",
        lost.len(),
        pushed.len(),
        &lost[..lost.len().min(20)]
    );
}
