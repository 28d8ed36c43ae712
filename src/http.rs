//! The HTTP side of `cskh run`: `/healthz` (the process is up), `/readyz` (the database
//! answers and carries every migration, and the Zalo token, when there is one, refreshes), `/metrics` (Prometheus text, rendered by
//! metrics-exporter-prometheus from what the engine, delivery and the lease recorded).

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::engine::Engine;

/// Buckets of the handling latency histogram, in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// How long `/readyz` waits for the database before it says "not ready".
const READY_TIMEOUT: Duration = Duration::from_secs(2);

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's Prometheus recorder, installed on first use (None if another recorder was
/// installed first).
pub fn recorder() -> Option<&'static PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("cskh_update_seconds".into()),
                    LATENCY_BUCKETS,
                )
                .ok()?;
            match builder.install_recorder() {
                Ok(h) => Some(h),
                Err(e) => {
                    tracing::warn!(error = %e, "no metrics: a recorder is installed already");
                    None
                }
            }
        })
        .as_ref()
}

/// Health, readiness and metrics routes over the engine's database.
pub fn router(engine: Engine) -> Router {
    // Registered at start, so that a scrape shows them before the first update.
    metrics::describe_counter!("cskh_updates_total", "Updates handled, by outcome");
    metrics::describe_histogram!("cskh_update_seconds", "Time to handle one update");
    metrics::describe_counter!("cskh_sends_total", "Bot API sends, by result");
    let _ = recorder();
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .with_state(engine)
}

async fn readyz(State(engine): State<Engine>) -> impl IntoResponse {
    match tokio::time::timeout(READY_TIMEOUT, engine.store.ready()).await {
        Ok(Ok(true)) => match engine.store.zalo_failure().await {
            Ok(Some(failure)) => (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the Zalo token could not be refreshed: {failure}\n"),
            ),
            _ => (StatusCode::OK, "ready\n".to_string()),
        },
        Ok(Ok(false)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database migrations are behind this binary\n".to_string(),
        ),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database does not answer\n".to_string(),
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer in time\n".to_string(),
        ),
    }
}

async fn metrics_text(State(engine): State<Engine>) -> impl IntoResponse {
    let Some(handle) = recorder() else {
        return (StatusCode::NOT_FOUND, String::new());
    };
    let now = engine.clock.now().timestamp();
    match tokio::time::timeout(READY_TIMEOUT, engine.store.backlog(now)).await {
        Ok(Ok(b)) => {
            metrics::gauge!("cskh_outbox_pending").set(b.outbox_pending as f64);
            let age = b.outbox_oldest_at.map(|t| (now - t).max(0)).unwrap_or(0);
            metrics::gauge!("cskh_outbox_oldest_age_seconds").set(age as f64);
            metrics::gauge!("cskh_reminders_due").set(b.jobs_due as f64);
            metrics::gauge!("cskh_reminders_overdue").set(b.jobs_overdue as f64);
            metrics::gauge!("cskh_database_up").set(1.0);
        }
        _ => metrics::gauge!("cskh_database_up").set(0.0),
    }
    handle.run_upkeep();
    (StatusCode::OK, handle.render())
}

/// Serves `router` on a bound listener until `shutdown`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "serving /healthz, /readyz and /metrics");
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
