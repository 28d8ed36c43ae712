//! Runs due jobs: sleeps until the next one is due, and wakes early when a new one is written.
//! Looks at the bot's health every `operations.check_seconds` between them.

use std::future::Future;
use std::time::Duration;

use crate::engine::Engine;

/// The longest sleep between two looks at the jobs table (another process may add jobs).
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// How often erasures due, the retention purge and old update keys are looked at (seconds).
const PRIVACY_EVERY: i64 = 3_600;

pub async fn run(engine: Engine, shutdown: impl Future<Output = ()> + Send) {
    if let Err(e) = engine.ensure_daily_jobs().await {
        tracing::error!(error = %e, "scheduling the daily digest failed");
    }
    let signal = engine.jobs_signal();
    let check_every = Duration::from_secs(engine.settings.ops.check_seconds.max(1));
    let mut health = crate::engine::HealthWatch::new();
    let mut next_check = tokio::time::Instant::now();
    tokio::pin!(shutdown);
    let mut privacy_at: Option<i64> = None;
    loop {
        if tokio::time::Instant::now() >= next_check {
            if let Err(e) = health.check(&engine).await {
                tracing::error!(error = %e, "looking at the bot's health failed");
            }
            next_check = tokio::time::Instant::now() + check_every;
        }
        let now = engine.clock.now().timestamp();
        if privacy_at.is_none_or(|at| now - at >= PRIVACY_EVERY) {
            privacy_at = Some(now);
            match engine.run_privacy_housekeeping().await {
                Ok((0, 0)) => {}
                Ok((erased, purged)) => {
                    tracing::info!(erased, purged, "personal data housekeeping")
                }
                Err(e) => tracing::error!(error = %e, "personal data housekeeping failed"),
            }
            match engine.forget_old_updates().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(forgotten = n, "keys of old updates forgotten"),
                Err(e) => tracing::error!(error = %e, "forgetting old update keys failed"),
            }
        }
        match engine.run_due_jobs().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "reminders run"),
            Err(e) => tracing::error!(error = %e, "running reminders failed"),
        }
        let now = engine.clock.now().timestamp();
        let wait = match engine.store.next_job_at().await {
            Ok(Some(at)) if at > now => Duration::from_secs((at - now) as u64).min(MAX_SLEEP),
            Ok(Some(_)) => Duration::from_millis(200),
            _ => MAX_SLEEP,
        }
        .min(next_check.saturating_duration_since(tokio::time::Instant::now()));
        tokio::select! {
            _ = &mut shutdown => break,
            _ = signal.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
}
