//! Several processes on one database: the lease, readiness and the backlog figures.

use super::*;

/// Figures for the metrics endpoint, read in one go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Outbox rows still to send.
    pub outbox_pending: i64,
    /// When the oldest of them was written (Unix seconds).
    pub outbox_oldest_at: Option<i64>,
    /// Pending reminders due now.
    pub jobs_due: i64,
    /// Pending reminders due for more than a minute (nobody is running them).
    pub jobs_overdue: i64,
}

impl Store {
    /// The database's clock, in Unix seconds: PostgreSQL's (every process sharing the database
    /// reads the same one), SQLite's (one host's clock, that of the processes opening the file).
    fn db_now(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp())) AS BIGINT)",
            Backend::Sqlite => "CAST(strftime('%s', 'now') AS INTEGER)",
        }
    }

    /// Takes or renews the lease `name` for `holder` for `ttl` seconds; true when `holder`
    /// holds it afterwards. A lease still held by another holder is left alone. Every time
    /// here is the database's own: the clocks of the processes sharing it are never compared.
    pub async fn try_lease(&self, name: &str, holder: &str, ttl: i64) -> Result<bool> {
        let now = self.db_now();
        let sql = format!(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, {now} + $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at < {now}"
        );
        let done = query(&sql)
            .bind(name)
            .bind(holder)
            .bind(ttl)
            .execute(&self.db)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the lease up at once (a clean stop), so another process takes over without waiting.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// Who holds the lease `name` and until when.
    pub async fn lease_holder(&self, name: &str) -> Result<Option<(String, i64)>> {
        let row = query("SELECT holder, expires_at FROM leases WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.db)
            .await?;
        row.map(|r| Ok((r.try_get("holder")?, r.try_get("expires_at")?)))
            .transpose()
    }

    /// Whether the database answers and carries every migration this binary knows.
    pub async fn ready(&self) -> Result<bool> {
        let mut conn = self.db.acquire().await?;
        let row = query("SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success = true")
            .fetch_one(&mut *conn)
            .await?;
        let applied: i64 = row.try_get("n")?;
        Ok(applied >= migration_files(self.backend).len() as i64)
    }

    pub async fn backlog(&self, now: i64) -> Result<Backlog> {
        let mut conn = self.db.acquire().await?;
        let o = query(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'",
        )
        .fetch_one(&mut *conn)
        .await?;
        let j = query(
            "SELECT COALESCE(SUM(CASE WHEN due_at <= $1 THEN 1 ELSE 0 END), 0) AS due, \
             COALESCE(SUM(CASE WHEN due_at <= $2 THEN 1 ELSE 0 END), 0) AS overdue \
             FROM jobs WHERE status = 'pending'",
        )
        .bind(now)
        .bind(now - 60)
        .fetch_one(&mut *conn)
        .await?;
        Ok(Backlog {
            outbox_pending: o.try_get("n")?,
            outbox_oldest_at: o.try_get("oldest")?,
            jobs_due: j.try_get("due")?,
            jobs_overdue: j.try_get("overdue")?,
        })
    }
}
