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
