//! Jobs: reminders and follow-ups, each run at most once.

use super::*;

/// A job waiting to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub due_at: i64,
    pub case_id: Option<i64>,
    pub request_id: Option<i64>,
    pub payload: serde_json::Value,
}

fn job_row(r: &AnyRow) -> Result<Job> {
    let payload: String = r.try_get("payload")?;
    Ok(Job {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        due_at: r.try_get("due_at")?,
        case_id: r.try_get("case_id")?,
        request_id: r.try_get("request_id")?,
        payload: from_json(&payload)?,
    })
}

/// Schedules a job; it commits with the transaction that caused it.
pub async fn add_job(
    conn: &mut AnyConnection,
    kind: &str,
    due_at: i64,
    case_id: Option<i64>,
    request_id: Option<i64>,
    payload: &serde_json::Value,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO jobs (kind, due_at, case_id, request_id, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind)
    .bind(due_at)
    .bind(case_id)
    .bind(request_id)
    .bind(json(payload)?)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Takes a due job for this transaction: false when another process took it first.
pub async fn take_job(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'done', done_at = $1 WHERE id = $2 AND status = 'pending'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Schedules a job unless an equal one is pending (a unique index says which are equal):
/// one statement, so two processes starting together cannot both insert.
pub async fn add_job_once(
    conn: &mut AnyConnection,
    kind: &str,
    due_at: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO jobs (kind, due_at, payload, created_at) VALUES ($1, $2, '{}', $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(kind)
    .bind(due_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Due jobs, oldest first.
    pub async fn due_jobs(&self, now: i64, limit: i64) -> Result<Vec<Job>> {
        let rows = sqlx::query(
            "SELECT id, kind, due_at, case_id, request_id, payload FROM jobs \
             WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_row).collect()
    }

    /// When the next pending job is due.
    pub async fn next_job_at(&self) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT MIN(due_at) AS next FROM jobs WHERE status = 'pending'")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("next")?)
    }

    /// Pending jobs (for tests and the log): (kind, due_at).
    pub async fn pending_jobs(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT kind, due_at FROM jobs WHERE status = 'pending' ORDER BY due_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("due_at")?)))
            .collect()
    }
}
