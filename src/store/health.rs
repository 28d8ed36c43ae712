//! What the bot notices about itself (starts, updates given up, health alerts raised and
//! cleared) and who looked at customers' personal data on the staff web page.

use super::*;

/// The outbox as the health check sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxHealth {
    /// When the oldest message still waiting to go out was written.
    pub oldest_pending_at: Option<i64>,
    /// Messages still waiting that failed this many times or more.
    pub failing: i64,
    /// Messages refused for good (customers who blocked the bot aside) among those written
    /// since the time asked about.
    pub refused_since: i64,
}

/// What happened to the bot in a span of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HealthCounts {
    /// Processes started.
    pub starts: i64,
    /// Updates given up after failing again and again.
    pub updates_failed: i64,
    /// Messages the channel refused for good (not counting customers who blocked the bot),
    /// among those written in the span.
    pub sends_refused: i64,
}

/// Records a health event ('start', 'update_failed', 'alert', 'well').
pub async fn add_health_event(
    conn: &mut Conn,
    kind: &str,
    what: &str,
    detail: &str,
    now: i64,
) -> Result<()> {
    query("INSERT INTO health_events (at, kind, what, detail) VALUES ($1, $2, $3, $4)")
        .bind(now)
        .bind(kind)
        .bind(what)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the alert `what` was raised and not cleared since.
pub async fn alert_raised(conn: &mut Conn, what: &str) -> Result<bool> {
    let row = query(
        "SELECT kind FROM health_events WHERE what = $1 AND kind IN ('alert', 'well') \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(what)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(r) => r.try_get::<String, _>("kind")? == "alert",
        None => false,
    })
}

/// The ratings given between `from` and `to` (Unix seconds).
pub async fn ratings_between(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<i64>> {
    let rows = query(
        "SELECT c.rating AS rating FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE e.kind = 'rated' AND e.at >= $1 AND e.at < $2 AND c.rating IS NOT NULL",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| r.try_get("rating")).collect()
}

/// The requests waiting for staff (review, exception, hand-off), oldest first, with their
/// customer and their last recorded call.
pub async fn waiting_requests(conn: &mut Conn) -> Result<Vec<(Request, Customer, Option<i64>)>> {
    let rows = query(&format!(
        "SELECT {REQUEST_COLUMNS}, last_call_at FROM requests \
         WHERE status IN ('review', 'exception', 'handoff') ORDER BY id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let req = request_row(r)?;
        let last_call: Option<i64> = r.try_get("last_call_at")?;
        let customer = customer_of(&mut *conn, req.customer_id).await?;
        out.push((req, customer, last_call));
    }
    Ok(out)
}

/// Records that a staff member looked at personal data (a case, a request, the list).
pub async fn add_personal_data_view(
    conn: &mut Conn,
    staff_id: i64,
    staff_name: &str,
    what: &str,
    customer_id: Option<i64>,
    now: i64,
) -> Result<()> {
    query(
        "INSERT INTO personal_data_views (at, staff_id, staff_name, what, customer_id) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now)
    .bind(staff_id)
    .bind(staff_name)
    .bind(what)
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    // The same view in the log of every view of personal data (`cskh privacy log`).
    let who = format!("{staff_name} ({staff_id})");
    super::log_access(conn, &who, "web", what, now).await
}

/// One recorded view of personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalDataView {
    pub at: i64,
    pub staff_id: i64,
    pub staff_name: String,
    pub what: String,
    pub customer_id: Option<i64>,
}

impl Store {
    /// Records a health event outside any other work.
    pub async fn health_event(&self, kind: &str, what: &str, detail: &str, now: i64) -> Result<()> {
        let mut conn = self.db.acquire().await?;
        add_health_event(&mut conn, kind, what, detail, now).await
    }

    /// The outbox's oldest waiting message and how many waiting ones failed `attempts` times
    /// or more; `refused_since`: messages refused for good written since then.
    pub async fn outbox_health(&self, attempts: i64, since: i64) -> Result<OutboxHealth> {
        let mut conn = self.db.acquire().await?;
        let row = query(
            "SELECT MIN(created_at) AS oldest, \
             COALESCE(SUM(CASE WHEN attempts >= $1 THEN 1 ELSE 0 END), 0) AS failing \
             FROM outbox WHERE status = 'pending'",
        )
        .bind(attempts)
        .fetch_one(&mut *conn)
        .await?;
        let refused = query(
            "SELECT COUNT(*) AS n FROM outbox WHERE status = 'failed' AND created_at >= $1 \
             AND COALESCE(last_error, '') <> 'blocked'",
        )
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
        Ok(OutboxHealth {
            oldest_pending_at: row.try_get("oldest")?,
            failing: row.try_get("failing")?,
            refused_since: refused.try_get("n")?,
        })
    }

    /// Starts, updates given up and sends refused from `since` on.
    pub async fn health_counts(&self, since: i64) -> Result<HealthCounts> {
        let mut conn = self.db.acquire().await?;
        let row = query(
            "SELECT COALESCE(SUM(CASE WHEN kind = 'start' THEN 1 ELSE 0 END), 0) AS starts, \
             COALESCE(SUM(CASE WHEN kind = 'update_failed' THEN 1 ELSE 0 END), 0) AS failed \
             FROM health_events WHERE at >= $1",
        )
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
        drop(conn);
        Ok(HealthCounts {
            starts: row.try_get("starts")?,
            updates_failed: row.try_get("failed")?,
            sends_refused: self.outbox_health(i64::MAX, since).await?.refused_since,
        })
    }

    /// Views of personal data recorded, oldest first.
    pub async fn personal_data_views(&self) -> Result<Vec<PersonalDataView>> {
        let rows = query(
            "SELECT at, staff_id, staff_name, what, customer_id FROM personal_data_views ORDER BY id",
        )
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PersonalDataView {
                    at: r.try_get("at")?,
                    staff_id: r.try_get("staff_id")?,
                    staff_name: r.try_get("staff_name")?,
                    what: r.try_get("what")?,
                    customer_id: r.try_get("customer_id")?,
                })
            })
            .collect()
    }
}
