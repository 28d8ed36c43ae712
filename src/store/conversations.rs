//! The conversation state of each customer (JSON of `dialogue::Conversation`).

use super::*;

pub async fn load_conversation(conn: &mut Conn, customer_id: i64) -> Result<Option<Conversation>> {
    let row = query("SELECT state FROM conversations WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_optional(conn)
        .await?;
    match row {
        None => Ok(None),
        Some(r) => {
            let state: String = r.try_get("state")?;
            match serde_json::from_str(&state) {
                Ok(c) => Ok(Some(c)),
                Err(e) => {
                    // A state written by an older version: start the conversation afresh
                    // rather than lock the customer out.
                    tracing::warn!(customer_id, error = %e, "unreadable conversation state, starting afresh");
                    Ok(None)
                }
            }
        }
    }
}

pub async fn save_conversation(
    conn: &mut Conn,
    customer_id: i64,
    conv: &Conversation,
    now: i64,
) -> Result<()> {
    let state = serde_json::to_string(conv).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    query(
        "INSERT INTO conversations (customer_id, state, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (customer_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(customer_id)
    .bind(state)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
