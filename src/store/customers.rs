//! Customers: who wrote, their language, whether they can be reached, reminders off.

use super::*;

impl Store {
    pub async fn customer(&self, id: i64) -> Result<Option<Customer>> {
        let mut conn = self.db.acquire().await?;
        customer(&mut conn, id).await
    }

    /// The customer of a channel's identity, when there is one.
    pub async fn customer_of_identity(
        &self,
        channel: &str,
        external_id: &str,
    ) -> Result<Option<i64>> {
        let mut conn = self.db.acquire().await?;
        customer_of_identity(&mut conn, channel, external_id).await
    }
}

/// Who wrote, as the channel saw them: their identity on the channel, where it reaches them,
/// and what it says of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenUser {
    /// The channel's name: `telegram`, `shell`, …
    pub channel: String,
    /// The channel's id of the person.
    pub external_id: String,
    /// Where the channel reaches them (the chat to answer in).
    pub address: String,
    pub name: String,
    pub username: Option<String>,
    pub lang: Lang,
}

/// The customer of an identity, when there is one.
pub async fn customer_of_identity(
    conn: &mut Conn,
    channel: &str,
    external_id: &str,
) -> Result<Option<i64>> {
    let row = query("SELECT customer_id FROM identities WHERE channel = $1 AND external_id = $2")
        .bind(channel)
        .bind(external_id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| r.try_get("customer_id")).transpose()
}

/// Finds the customer of the identity, or makes a new customer for it; refreshes what the
/// channel says of them and where it reaches them. Writing again makes a customer reachable
/// again. Records the identity as the one they last wrote from and returns the customer.
///
/// On PostgreSQL this is one statement that also locks the identity's and the customer's rows
/// until the transaction ends (an upsert that updates takes the row lock), so that two updates
/// of one customer handled at once by two processes are applied one after the other, never both
/// to the same old conversation; two first messages of a new identity make one customer.
/// (SQLite has one writer at a time: nothing to lock there.)
pub async fn upsert_customer(conn: &mut Conn, user: &SeenUser, now: i64) -> Result<Customer> {
    const CUSTOMER_UPSERT: &str = "ON CONFLICT (id) DO UPDATE SET name = CASE WHEN customers.name_corrected = 1 \
         THEN customers.name ELSE excluded.name END, username = excluded.username, unreachable = 0, updated_at = excluded.updated_at \
         RETURNING id";
    let id: i64 = if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        let row = query(&format!(
            "WITH identity AS ( \
               INSERT INTO identities (channel, external_id, customer_id, address, created_at, seen_at) \
               VALUES ($1, $2, COALESCE( \
                   (SELECT customer_id FROM identities WHERE channel = $1 AND external_id = $2), \
                   nextval('customers_id_seq')), $3, $4, $4) \
               ON CONFLICT (channel, external_id) DO UPDATE SET address = excluded.address, \
                 seen_at = excluded.seen_at \
               RETURNING customer_id) \
             INSERT INTO customers (id, name, username, lang, unreachable, created_at, updated_at) \
             SELECT customer_id, $5, $6, $7, 0, $4, $4 FROM identity {CUSTOMER_UPSERT}"
        ))
        .bind(&user.channel)
        .bind(&user.external_id)
        .bind(&user.address)
        .bind(now)
        .bind(&user.name)
        .bind(&user.username)
        .bind(user.lang.code())
        .fetch_one(&mut *conn)
        .await?;
        row.try_get("id")?
    } else {
        // Most updates come from a known customer, from the identity they last wrote from,
        // with nothing new about them: one read and nothing written. (That identity is the one
        // they last wrote from already, so its time seen decides nothing until another of their
        // identities writes, which takes the path below.)
        let row = query(&format!(
            "SELECT {CUSTOMER_COLUMNS}, c.name_corrected {CUSTOMER_FROM} \
             WHERE c.id = (SELECT customer_id FROM identities WHERE channel = $1 AND external_id = $2)"
        ))
        .bind(&user.channel)
        .bind(&user.external_id)
        .fetch_optional(&mut *conn)
        .await?;
        let known = match row {
            Some(row) => {
                let stored = customer_of_row(&row)?;
                let name_kept = row.try_get::<i64, _>("name_corrected")? != 0;
                let same = stored.identity.channel == user.channel
                    && stored.identity.external_id == user.external_id
                    && stored.identity.address == user.address
                    && stored.username == user.username
                    && (name_kept || stored.name == user.name)
                    && !stored.unreachable;
                if same {
                    return Ok(stored);
                }
                Some(stored.id)
            }
            // No such identity (an identity always has its customer, who has a latest one).
            None => None,
        };
        // A NULL id is the next rowid: a new customer.
        let row = query(&format!(
            "INSERT INTO customers (id, name, username, lang, unreachable, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 0, $5, $5) {CUSTOMER_UPSERT}"
        ))
        .bind(known)
        .bind(&user.name)
        .bind(&user.username)
        .bind(user.lang.code())
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        let id: i64 = row.try_get("id")?;
        query(
            "INSERT INTO identities (channel, external_id, customer_id, address, created_at, seen_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (channel, external_id) DO UPDATE SET address = excluded.address, \
               seen_at = excluded.seen_at",
        )
        .bind(&user.channel)
        .bind(&user.external_id)
        .bind(id)
        .bind(&user.address)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        id
    };
    customer_of(conn, id).await
}

pub async fn set_customer_lang(conn: &mut Conn, id: i64, lang: Lang) -> Result<()> {
    query("UPDATE customers SET lang = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a customer unreachable; true when they were reachable until now.
pub async fn mark_unreachable(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let done = query(
        "UPDATE customers SET unreachable = 1, updated_at = $1 WHERE id = $2 AND unreachable = 0",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    query(
        "UPDATE outbox SET status = 'failed', last_error = 'customer blocked the bot' \
         WHERE customer_id = $1 AND status = 'pending'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A customer who must exist (a request or case refers to them).
pub async fn customer_of(conn: &mut Conn, id: i64) -> Result<Customer> {
    customer(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("customer {id} vanished")))
}

pub async fn customer(conn: &mut Conn, id: i64) -> Result<Option<Customer>> {
    let row = query(&format!(
        "SELECT {CUSTOMER_COLUMNS} {CUSTOMER_FROM} WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(customer_of_row).transpose()
}

/// A customer with the identity they last wrote from (`c` is the customer, `i` the identity).
pub(super) const CUSTOMER_COLUMNS: &str = "c.id, c.name, c.username, c.lang, c.unreachable, \
     i.channel, i.external_id, i.address";
pub(super) const CUSTOMER_FROM: &str =
    "FROM customers c JOIN identities i ON i.customer_id = c.id \
     AND (i.channel, i.external_id) = (SELECT j.channel, j.external_id FROM identities j \
       WHERE j.customer_id = c.id ORDER BY j.seen_at DESC, j.channel, j.external_id LIMIT 1)";

pub(super) fn customer_of_row(r: &Row) -> Result<Customer> {
    let lang: String = r.try_get("lang")?;
    Ok(Customer {
        id: r.try_get("id")?,
        identity: Identity {
            channel: r.try_get("channel")?,
            external_id: r.try_get("external_id")?,
            address: r.try_get("address")?,
        },
        name: r.try_get("name")?,
        username: r.try_get("username")?,
        lang: Lang::from_code(&lang).unwrap_or_default(),
        unreachable: r.try_get::<i64, _>("unreachable")? != 0,
    })
}

pub async fn set_reminders_off(conn: &mut Conn, customer_id: i64, off: bool) -> Result<()> {
    query("UPDATE customers SET reminders_off = $1 WHERE id = $2")
        .bind(off as i64)
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn reminders_off(conn: &mut Conn, customer_id: i64) -> Result<bool> {
    let row = query("SELECT reminders_off FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(r) => r.try_get::<i64, _>("reminders_off")? != 0,
        None => false,
    })
}
