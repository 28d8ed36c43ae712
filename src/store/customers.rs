//! Customers: who wrote, their language, whether they can be reached, reminders off.

use super::*;

impl Store {
    pub async fn customer(&self, id: i64) -> Result<Option<Customer>> {
        let mut conn = self.pool.acquire().await?;
        customer(&mut conn, id).await
    }
}

/// Who wrote, as the channel saw them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenUser {
    pub id: i64,
    pub chat_id: i64,
    pub name: String,
    pub username: Option<String>,
    pub lang: Lang,
}

/// Creates or refreshes a customer; writing again makes a customer reachable again.
/// Records the customer as seen now and returns them. On PostgreSQL this also locks their row
/// until the transaction ends (an upsert that updates takes the row lock), so that two updates
/// of one customer handled at once by two processes are applied one after the other, never both
/// to the same old conversation. (SQLite has one writer at a time: nothing to lock there.)
pub async fn upsert_customer(
    conn: &mut AnyConnection,
    user: &SeenUser,
    now: i64,
) -> Result<Customer> {
    let row = sqlx::query(
        "INSERT INTO customers (id, chat_id, name, username, lang, unreachable, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $6) \
         ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id, name = excluded.name, \
         username = excluded.username, unreachable = 0, updated_at = excluded.updated_at \
         RETURNING id, chat_id, name, username, lang, unreachable",
    )
    .bind(user.id)
    .bind(user.chat_id)
    .bind(&user.name)
    .bind(&user.username)
    .bind(user.lang.code())
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    customer_of_row(&row)
}

pub async fn set_customer_lang(conn: &mut AnyConnection, id: i64, lang: Lang) -> Result<()> {
    sqlx::query("UPDATE customers SET lang = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a customer unreachable; true when they were reachable until now.
pub async fn mark_unreachable(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE customers SET unreachable = 1, updated_at = $1 WHERE id = $2 AND unreachable = 0",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE outbox SET status = 'failed', last_error = 'customer blocked the bot' \
         WHERE customer_id = $1 AND status = 'pending'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A customer who must exist (a request or case refers to them).
pub async fn customer_of(conn: &mut AnyConnection, id: i64) -> Result<Customer> {
    customer(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("customer {id} vanished")))
}

pub async fn customer(conn: &mut AnyConnection, id: i64) -> Result<Option<Customer>> {
    let row = sqlx::query(
        "SELECT id, chat_id, name, username, lang, unreachable FROM customers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(customer_of_row).transpose()
}

pub(super) fn customer_of_row(r: &AnyRow) -> Result<Customer> {
    let lang: String = r.try_get("lang")?;
    Ok(Customer {
        id: r.try_get("id")?,
        chat_id: r.try_get("chat_id")?,
        name: r.try_get("name")?,
        username: r.try_get("username")?,
        lang: Lang::from_code(&lang).unwrap_or_default(),
        unreachable: r.try_get::<i64, _>("unreachable")? != 0,
    })
}

pub async fn set_reminders_off(
    conn: &mut AnyConnection,
    customer_id: i64,
    off: bool,
) -> Result<()> {
    sqlx::query("UPDATE customers SET reminders_off = $1 WHERE id = $2")
        .bind(off as i64)
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn reminders_off(conn: &mut AnyConnection, customer_id: i64) -> Result<bool> {
    let row = sqlx::query("SELECT reminders_off FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(r) => r.try_get::<i64, _>("reminders_off")? != 0,
        None => false,
    })
}
