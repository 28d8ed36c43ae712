//! Work that must run in one process only, however many replicas share the database: the
//! outbox sender and the reminder scheduler. The process holding the `sender` lease row runs
//! them; it renews the lease every few seconds, and another process takes over when the lease
//! runs out (the holder died) or is released (a clean stop). One sender also keeps Telegram's
//! per-chat and per-group limits across replicas, since only one process ever talks to a chat.
//! Lease times are the database's clock, never a process's own (see `Store::try_lease`).

use std::future::Future;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::engine::Engine;

pub const SENDER: &str = "sender";

/// How long a lease lasts without renewal.
pub const TTL_SECS: i64 = 10;
/// How often the holder renews, and others look whether it ran out.
pub const RENEW: Duration = Duration::from_secs(3);

/// A name for this sender in the lease table: host, process id, start time, and a counter (a
/// process may run more than one bot).
pub fn holder_name() -> String {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "cskh".into());
    format!(
        "{host}:{}:{}:{}",
        std::process::id(),
        chrono::Utc::now().timestamp_millis(),
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// Runs `start` while this process holds the lease `name`, until `shutdown`. `start` is given
/// a stop signal and returns the task; a lost lease stops the task, a regained one starts it again.
pub async fn run_while_held<F>(
    engine: Engine,
    name: &str,
    holder: String,
    start: F,
    shutdown: impl Future<Output = ()> + Send,
) where
    F: Fn(oneshot::Receiver<()>) -> JoinHandle<()>,
{
    // The sender's own connection: a renewal never waits behind update handling.
    let store = engine.store.for_sender();
    tokio::pin!(shutdown);
    let mut running: Option<(oneshot::Sender<()>, AbortOnDrop)> = None;
    loop {
        // Taken before asking: the database's expiry is later than this plus the TTL.
        let asked_at = std::time::Instant::now();
        let held = match store.try_lease(name, &holder, TTL_SECS).await {
            Ok(h) => h,
            Err(e) => {
                tracing::warn!(error = %e, lease = name, "renewing the lease failed");
                false
            }
        };
        metrics::gauge!("cskh_lease_held", "lease" => name.to_string()).set(held as u8 as f64);
        if held {
            // A second short of the lease's end, by this process's monotonic clock: a process
            // frozen past it (suspended, swapped out) starts no send before renewing.
            engine.set_sender_until(Some(asked_at + Duration::from_secs(TTL_SECS as u64 - 1)));
        }
        match (held, running.is_some()) {
            (true, false) => {
                tracing::info!(lease = name, holder, "lease taken: this process sends");
                let (stop, stopped) = oneshot::channel();
                running = Some((stop, AbortOnDrop(Some(start(stopped)))));
            }
            (false, true) => {
                tracing::warn!(lease = name, "lease lost: another process sends now");
                if let Some((stop, task)) = running.take() {
                    let _ = stop.send(());
                    task.finish().await;
                }
            }
            _ => {}
        }
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tokio::time::sleep(RENEW) => {}
        }
    }
    if let Some((stop, task)) = running.take() {
        let _ = stop.send(());
        task.finish().await;
        if let Err(e) = store.release_lease(name, &holder).await {
            tracing::warn!(error = %e, lease = name, "releasing the lease failed");
        }
    }
}

/// The duty's task, ended with it: when the lease loop itself is cancelled, no sending is left
/// running without a lease.
struct AbortOnDrop(Option<JoinHandle<()>>);

impl AbortOnDrop {
    async fn finish(mut self) {
        if let Some(task) = self.0.take() {
            let _ = task.await;
        }
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(task) = self.0.take() {
            task.abort();
        }
    }
}
