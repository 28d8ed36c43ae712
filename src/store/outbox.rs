//! The outbox: messages written in the same transaction as what caused them, sent after it commits.

use super::*;

impl Store {
    /// Pending outbox rows, oldest first.
    pub async fn pending_outbox(&self, limit: i64) -> Result<Vec<OutboxRow>> {
        let rows = sqlx::query(
            "SELECT id, channel, chat_id, thread_id, customer_id, case_id, payload, attempts, next_attempt_at \
             FROM outbox WHERE status = 'pending' ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    pub async fn mark_sent(&self, id: i64, message_id: Option<i64>, now: i64) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $1, message_id = $2, \
             attempts = attempts + 1 WHERE id = $3",
        )
        .bind(now)
        .bind(message_id)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn mark_retry(&self, id: i64, next_at: i64, counts: bool, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + $2, last_error = $3 \
             WHERE id = $4",
        )
        .bind(next_at)
        .bind(if counts { 1i64 } else { 0 })
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn mark_failed(&self, id: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $1 \
             WHERE id = $2",
        )
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many rows of the outbox are in each state (for tests and the log).
    pub async fn outbox_counts(&self) -> Result<(i64, i64, i64)> {
        let row = sqlx::query(
            "SELECT \
               COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS p, \
               COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0) AS s, \
               COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS f \
             FROM outbox",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("p")?, row.try_get("s")?, row.try_get("f")?))
    }
}

/// A message waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outgoing {
    pub text: String,
    pub buttons: Vec<Vec<(String, String)>>,
    #[serde(default)]
    pub attachment: Option<Attachment>,
    /// Edit this message of the chat instead of sending a new one.
    #[serde(default)]
    pub edit_message_id: Option<i64>,
    #[serde(default)]
    pub remove_keyboard: bool,
    /// Show a reply-keyboard button that shares the customer's phone number, with this label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_button: Option<String>,
    /// In a forum staff group: open a topic with this title for the case and post there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_topic: Option<String>,
    /// Rename the case's topic to this title (no message is sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rename_topic: Option<String>,
    /// This is the case's card: remember its message id.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub case_card: bool,
    /// Edit the case's card (its message id is looked up when sending).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edit_case_card: bool,
    /// In a plain group, send as a reply to the case's card, so staff can answer it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reply_to_case_card: bool,
    /// Send as a reply to this message of the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<i64>,
    /// It carries the customer's own words (or files) in the staff group: a staff reply to it
    /// answers the customer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub customer_words: bool,
    /// A file made by the bot to upload (name, text content), with `text` as its caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<(String, String)>,
    /// Edit the message this outbox row sent (its id is looked up when sending; if it was never
    /// sent, this goes as a new message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_row: Option<i64>,
}

impl Outgoing {
    /// A plain text message.
    pub fn text(text: impl Into<String>) -> Outgoing {
        Outgoing {
            text: text.into(),
            buttons: Vec::new(),
            attachment: None,
            edit_message_id: None,
            remove_keyboard: false,
            contact_button: None,
            new_topic: None,
            rename_topic: None,
            case_card: false,
            edit_case_card: false,
            reply_to_case_card: false,
            reply_to: None,
            customer_words: false,
            upload: None,
            edit_row: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub id: i64,
    /// The channel that sends it (`telegram` for the staff group and Telegram customers).
    pub channel: String,
    /// The chat in that channel: the customer's address, or the staff group.
    pub chat_id: i64,
    pub thread_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub case_id: Option<i64>,
    pub payload: Outgoing,
    pub attempts: i64,
    pub next_attempt_at: i64,
}

fn outbox_row(row: &AnyRow) -> Result<OutboxRow> {
    let payload: String = row.try_get("payload")?;
    Ok(OutboxRow {
        id: row.try_get("id")?,
        channel: row.try_get("channel")?,
        chat_id: row.try_get("chat_id")?,
        thread_id: row.try_get("thread_id")?,
        customer_id: row.try_get("customer_id")?,
        case_id: row.try_get("case_id")?,
        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
    })
}

/// Queues a message into a chat of the staff group's channel; it is sent after the transaction
/// commits. (A message to a customer goes through [`enqueue_to_customer`].)
pub async fn enqueue(
    conn: &mut AnyConnection,
    chat_id: i64,
    thread_id: Option<i64>,
    customer_id: Option<i64>,
    request_id: Option<i64>,
    msg: &Outgoing,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO outbox (chat_id, thread_id, customer_id, request_id, payload, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(chat_id)
    .bind(thread_id)
    .bind(customer_id)
    .bind(request_id)
    .bind(json(msg)?)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Queues a message to a customer, through the channel and the address of the identity they
/// last wrote from.
pub async fn enqueue_to_customer(
    conn: &mut AnyConnection,
    customer: &Customer,
    request_id: Option<i64>,
    msg: &Outgoing,
    now: i64,
) -> Result<i64> {
    let identity = &customer.identity;
    // Every channel so far addresses a chat by a number.
    let chat_id: i64 = identity.address.parse().map_err(|_| {
        StoreError::Corrupt(format!(
            "customer {}: address {:?} on {} is not a chat id",
            customer.id, identity.address, identity.channel
        ))
    })?;
    let row = sqlx::query(
        "INSERT INTO outbox (channel, chat_id, customer_id, request_id, payload, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(&identity.channel)
    .bind(chat_id)
    .bind(customer.id)
    .bind(request_id)
    .bind(json(msg)?)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Marks an outbox row as relaying the staff message `source` ("chat:message").
pub async fn set_outbox_source(conn: &mut AnyConnection, id: i64, source: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET source = $1 WHERE id = $2")
        .bind(source)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The outbox rows that relay the staff message `source`, oldest first.
pub async fn outbox_rows_of_source(conn: &mut AnyConnection, source: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM outbox WHERE source = $1 ORDER BY id")
        .bind(source)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

impl Store {
    /// The message an outbox row sent, if it was sent and the channel gave an id.
    pub async fn sent_message_of_row(&self, id: i64) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT message_id FROM outbox WHERE id = $1 AND status = 'sent'")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(m,)| m))
    }
}

/// Queues a message that belongs to a case (it goes into the case's topic when there is one).
#[allow(clippy::too_many_arguments)]
pub async fn enqueue_for_case(
    conn: &mut AnyConnection,
    chat_id: i64,
    thread_id: Option<i64>,
    customer_id: Option<i64>,
    case_id: i64,
    msg: &Outgoing,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO outbox (chat_id, thread_id, customer_id, case_id, payload, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(chat_id)
    .bind(thread_id)
    .bind(customer_id)
    .bind(case_id)
    .bind(json(msg)?)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

impl Store {
    /// Chats whose first pending message is due now (a chat waiting on a retry waits whole).
    pub async fn due_chats(&self, now: i64, limit: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT o.chat_id FROM outbox o WHERE o.status = 'pending' AND o.next_attempt_at <= $1 \
             AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.status = 'pending' AND p.chat_id = o.chat_id) \
             LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("chat_id")?)).collect()
    }

    /// One chat's pending messages, oldest first.
    pub async fn pending_for_chat(&self, chat_id: i64, limit: i64) -> Result<Vec<OutboxRow>> {
        let rows = sqlx::query(
            "SELECT id, channel, chat_id, thread_id, customer_id, case_id, payload, attempts, next_attempt_at \
             FROM outbox WHERE status = 'pending' AND chat_id = $1 ORDER BY id LIMIT $2",
        )
        .bind(chat_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// When the earliest pending message is due.
    pub async fn next_outbox_at(&self) -> Result<Option<i64>> {
        let row =
            sqlx::query("SELECT MIN(next_attempt_at) AS next FROM outbox WHERE status = 'pending'")
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("next")?)
    }
}
