//! Telegram Business: connections of the company's own account, and its customers' chats.

use super::*;

/// Business chats are addressed below this (outside every Telegram chat id).
pub const BUSINESS_CHAT_BASE: i64 = -(1 << 53);

/// A connection of the company's account, as Telegram last described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessConnection {
    pub id: String,
    /// The business account's user id: a message from it is a person of the company.
    pub owner_id: i64,
    pub can_reply: bool,
    pub enabled: bool,
}

/// Records a connection; returns how it was before (None when new).
pub async fn upsert_business_connection(
    conn: &mut Conn,
    c: &BusinessConnection,
    now: i64,
) -> Result<Option<BusinessConnection>> {
    let before = business_connection(&mut *conn, &c.id).await?;
    query(
        "INSERT INTO business_connections (id, owner_id, can_reply, enabled, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id, \
         can_reply = excluded.can_reply, enabled = excluded.enabled, updated_at = excluded.updated_at",
    )
    .bind(&c.id)
    .bind(c.owner_id)
    .bind(c.can_reply as i64)
    .bind(c.enabled as i64)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(before)
}

pub async fn business_connection(conn: &mut Conn, id: &str) -> Result<Option<BusinessConnection>> {
    let row =
        query("SELECT id, owner_id, can_reply, enabled FROM business_connections WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(|r| {
        Ok(BusinessConnection {
            id: r.try_get("id")?,
            owner_id: r.try_get("owner_id")?,
            can_reply: r.try_get::<i64, _>("can_reply")? != 0,
            enabled: r.try_get::<i64, _>("enabled")? != 0,
        })
    })
    .transpose()
}

/// The address of a customer's chat with the company's account (made on first use), and
/// until when the bot stays silent there.
pub async fn business_chat(
    conn: &mut Conn,
    connection_id: &str,
    chat_id: i64,
) -> Result<(i64, i64)> {
    query(
        "INSERT INTO business_chats (connection_id, chat_id) VALUES ($1, $2) \
         ON CONFLICT (connection_id, chat_id) DO NOTHING",
    )
    .bind(connection_id)
    .bind(chat_id)
    .execute(&mut *conn)
    .await?;
    let row = query(
        "SELECT id, quiet_until FROM business_chats WHERE connection_id = $1 AND chat_id = $2",
    )
    .bind(connection_id)
    .bind(chat_id)
    .fetch_one(conn)
    .await?;
    let id: i64 = row.try_get("id")?;
    Ok((BUSINESS_CHAT_BASE - id, row.try_get("quiet_until")?))
}

/// The connection and the Telegram chat behind a business chat's address.
pub async fn business_route(conn: &mut Conn, address: i64) -> Result<Option<(String, i64)>> {
    let row = query("SELECT connection_id, chat_id FROM business_chats WHERE id = $1")
        .bind(BUSINESS_CHAT_BASE - address)
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok((r.try_get("connection_id")?, r.try_get("chat_id")?)))
        .transpose()
}

/// A person of the company wrote in the chat: the bot is silent there until `until`. Returns
/// whether it was speaking before (so staff are told once per take-over).
pub async fn quiet_business_chat(
    conn: &mut Conn,
    address: i64,
    until: i64,
    now: i64,
) -> Result<bool> {
    let row = query("SELECT quiet_until FROM business_chats WHERE id = $1")
        .bind(BUSINESS_CHAT_BASE - address)
        .fetch_optional(&mut *conn)
        .await?;
    let was_quiet = match row {
        Some(r) => r.try_get::<i64, _>("quiet_until")? > now,
        None => return Ok(false),
    };
    query("UPDATE business_chats SET quiet_until = $1 WHERE id = $2")
        .bind(until)
        .bind(BUSINESS_CHAT_BASE - address)
        .execute(conn)
        .await?;
    Ok(!was_quiet)
}
