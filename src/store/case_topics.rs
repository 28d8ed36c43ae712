//! A case's thread, replaced when the old one is gone.

use super::*;

/// Points the case at its new thread, if it still names `old` (another process may have
/// replaced it first); true when this call did.
pub async fn replace_case_topic(
    conn: &mut Conn,
    case_id: i64,
    old: i64,
    new: Option<i64>,
) -> Result<bool> {
    let done = query("UPDATE cases SET topic_id = $1 WHERE id = $2 AND topic_id = $3")
        .bind(new)
        .bind(case_id)
        .bind(old)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
