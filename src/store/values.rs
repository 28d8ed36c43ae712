//! Values the bot makes or learns by itself and keeps: the deep-link secret, the bot's
//! username from its last start.

use super::*;

/// The name of the deep-link secret made at the first start.
pub const LINK_SECRET: &str = "link_secret";
/// The name of the bot's username, as Telegram's getMe last gave it.
pub const BOT_USERNAME: &str = "bot_username";

pub async fn bot_value(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    let row = query("SELECT value FROM bot_values WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await?;
    row.map(|r| r.try_get("value")).transpose()
}

/// Sets a value, replacing the one kept before.
pub async fn set_bot_value(conn: &mut Conn, name: &str, value: &str) -> Result<()> {
    query(
        "INSERT INTO bot_values (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .bind(name)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

/// The value kept under `name`, or `made` kept now when there is none. Two processes starting
/// at once agree: the first value written wins and both read it.
pub async fn bot_value_or(conn: &mut Conn, name: &str, made: &str) -> Result<String> {
    query("INSERT INTO bot_values (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(made)
        .execute(&mut *conn)
        .await?;
    bot_value(conn, name)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("bot value {name} vanished")))
}

/// Every invoice still to be done (status paid), by number: the ones a printed code is for.
pub async fn paid_invoices(conn: &mut Conn) -> Result<Vec<InvoiceRecord>> {
    let rows = query("SELECT number FROM invoices WHERE status = 'paid' ORDER BY number")
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let number: String = r.try_get("number")?;
        if let Some(inv) = invoice(&mut *conn, &number).await? {
            out.push(inv);
        }
    }
    Ok(out)
}
