//! Updates already handled: a redelivered update is a no-op.

use super::*;

/// Records an update key; false when it was handled before.
pub async fn mark_update(conn: &mut Conn, key: &str, now: i64) -> Result<bool> {
    let done = query(
        "INSERT INTO processed_updates (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets at most `limit` update keys recorded before `before`; returns how many went.
pub async fn forget_updates(conn: &mut Conn, before: i64, limit: i64) -> Result<u64> {
    let done = query(
        "DELETE FROM processed_updates WHERE key IN \
         (SELECT key FROM processed_updates WHERE at < $1 LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
