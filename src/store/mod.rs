//! Every SQL statement of the bot. One code path for SQLite and PostgreSQL through `AnyPool`:
//! dates are TEXT `YYYY-MM-DD`, instants BIGINT Unix seconds, booleans 0/1.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyConnection, AnyPool, Row};

use crate::dialogue::{
    Attachment, Case, CaseEvent, CaseStatus, CaseSummary, Category, Conversation, Customer, Lang,
    RegistryMatch, Request, RequestKind, RequestStatus, RequestSummary,
};
use crate::policy::Reason;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    #[error("DATABASE_URL must start with sqlite: or postgres:, not {0:?}")]
    UnknownBackend(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A connection, a transaction and a pooled connection, as the rest of the bot names them
/// (only this module speaks sqlx).
pub type Conn = AnyConnection;
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
pub type PooledConn = sqlx::pool::PoolConnection<sqlx::Any>;
pub type DbError = sqlx::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database, with the backend it was opened on.
#[derive(Clone, Debug)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// The migrations of a backend, embedded in the binary: (version, description, SQL).
fn migration_files(backend: Backend) -> [(i64, &'static str, &'static str); 10] {
    match backend {
        Backend::Sqlite => [
            (
                1,
                "init",
                include_str!("../../migrations/sqlite/0001_init.sql"),
            ),
            (
                2,
                "refund",
                include_str!("../../migrations/sqlite/0002_refund.sql"),
            ),
            (
                3,
                "cases",
                include_str!("../../migrations/sqlite/0003_cases.sql"),
            ),
            (
                4,
                "jobs",
                include_str!("../../migrations/sqlite/0004_jobs.sql"),
            ),
            (
                5,
                "invoices",
                include_str!("../../migrations/sqlite/0005_invoices.sql"),
            ),
            (
                6,
                "one_digest",
                include_str!("../../migrations/sqlite/0006_one_digest.sql"),
            ),
            (
                7,
                "outbox_by_chat",
                include_str!("../../migrations/sqlite/0007_outbox_by_chat.sql"),
            ),
            (
                8,
                "leases",
                include_str!("../../migrations/sqlite/0008_leases.sql"),
            ),
            (
                9,
                "request_calls",
                include_str!("../../migrations/sqlite/0009_request_calls.sql"),
            ),
            (
                10,
                "outbox_source",
                include_str!("../../migrations/sqlite/0010_outbox_source.sql"),
            ),
        ],
        Backend::Postgres => [
            (
                1,
                "init",
                include_str!("../../migrations/postgres/0001_init.sql"),
            ),
            (
                2,
                "refund",
                include_str!("../../migrations/postgres/0002_refund.sql"),
            ),
            (
                3,
                "cases",
                include_str!("../../migrations/postgres/0003_cases.sql"),
            ),
            (
                4,
                "jobs",
                include_str!("../../migrations/postgres/0004_jobs.sql"),
            ),
            (
                5,
                "invoices",
                include_str!("../../migrations/postgres/0005_invoices.sql"),
            ),
            (
                6,
                "one_digest",
                include_str!("../../migrations/postgres/0006_one_digest.sql"),
            ),
            (
                7,
                "outbox_by_chat",
                include_str!("../../migrations/postgres/0007_outbox_by_chat.sql"),
            ),
            (
                8,
                "leases",
                include_str!("../../migrations/postgres/0008_leases.sql"),
            ),
            (
                9,
                "request_calls",
                include_str!("../../migrations/postgres/0009_request_calls.sql"),
            ),
            (
                10,
                "outbox_source",
                include_str!("../../migrations/postgres/0010_outbox_source.sql"),
            ),
        ],
    }
}

fn migrations(backend: Backend) -> Migrator {
    let migrations = migration_files(backend)
        .into_iter()
        .map(|(version, description, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates the database.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnknownBackend(url.to_string()));
        };
        let pool = match backend {
            Backend::Sqlite => {
                let url = if url.contains("mode=") {
                    url.to_string()
                } else if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
                };
                let memory = url.contains("mode=memory");
                let options = AnyConnectOptions::from_str(&url)?;
                // One connection: SQLite has one writer, and a single connection serialises
                // transactions instead of failing them with SQLITE_BUSY.
                AnyPoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            if !memory {
                                sqlx::query("PRAGMA journal_mode = WAL")
                                    .execute(&mut *conn)
                                    .await?;
                            }
                            sqlx::query("PRAGMA synchronous = NORMAL")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA foreign_keys = ON")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA busy_timeout = 5000")
                                .execute(&mut *conn)
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?
            }
        };
        migrations(backend).run(&pool).await?;
        Ok(Store { pool, backend })
    }

    pub async fn begin(&self) -> Result<Tx> {
        Ok(self.pool.begin().await?)
    }

    /// A connection for reads outside a transaction.
    pub async fn conn(&self) -> Result<PooledConn> {
        Ok(self.pool.acquire().await?)
    }

    /// Pending outbox rows, oldest first.
    pub async fn pending_outbox(&self, limit: i64) -> Result<Vec<OutboxRow>> {
        let rows = sqlx::query(
            "SELECT id, chat_id, thread_id, customer_id, case_id, payload, attempts, next_attempt_at \
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

    pub async fn customer(&self, id: i64) -> Result<Option<Customer>> {
        let mut conn = self.pool.acquire().await?;
        customer(&mut conn, id).await
    }

    pub async fn request(&self, id: i64) -> Result<Option<Request>> {
        let mut conn = self.pool.acquire().await?;
        request(&mut conn, id).await
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
        chat_id: row.try_get("chat_id")?,
        thread_id: row.try_get("thread_id")?,
        customer_id: row.try_get("customer_id")?,
        case_id: row.try_get("case_id")?,
        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
    })
}

/// Records an update key; false when it was handled before.
pub async fn mark_update(conn: &mut AnyConnection, key: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO processed_updates (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
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

fn customer_of_row(r: &AnyRow) -> Result<Customer> {
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

pub async fn load_conversation(
    conn: &mut AnyConnection,
    customer_id: i64,
) -> Result<Option<Conversation>> {
    let row = sqlx::query("SELECT state FROM conversations WHERE customer_id = $1")
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
    conn: &mut AnyConnection,
    customer_id: i64,
    conv: &Conversation,
    now: i64,
) -> Result<()> {
    let state = serde_json::to_string(conv).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
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

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn parse_date(s: Option<String>) -> Result<Option<NaiveDate>> {
    s.map(|s| {
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("date {s:?}: {e}")))
    })
    .transpose()
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Inserts a request (its `id` is ignored) and returns the new id.
pub async fn insert_request(conn: &mut AnyConnection, r: &Request) -> Result<i64> {
    let (scheduled_state, scheduled_on) = match r.scheduled_on {
        None => (None, None),
        Some(None) => (Some("none"), None),
        Some(Some(d)) => (Some("date"), date_text(Some(d))),
    };
    let confirmation = match &r.confirmation {
        None => None,
        Some(None) => Some("none".to_string()),
        Some(Some(a)) => Some(json(a)?),
    };
    let decision = r.decision.as_ref().map(json).transpose()?;
    let (outcome, rules_cited): (Option<&str>, Vec<&str>) = match (&r.decision, &r.refund) {
        (Some(d), _) => (
            Some(crate::dialogue::cards::outcome_code(d.outcome)),
            d.cited().iter().map(|r| r.id()).collect(),
        ),
        (None, Some(refund)) => (
            Some(refund.decision.outcome.code()),
            refund.decision.rules.iter().map(|r| r.id()).collect(),
        ),
        (None, None) => (None, Vec::new()),
    };
    let rules_cited = rules_cited.join(",");
    let row = sqlx::query(
        "INSERT INTO requests (kind, status, customer_id, invoice, paid_on, scheduled_state, \
         scheduled_on, new_date, reason, reason_text, confirmation, attachments, unread_answers, \
                  outcome, rules_cited, decision, created_at, refund, registry) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
         RETURNING id",
    )
    .bind(r.kind.code())
    .bind(r.status.code())
    .bind(r.customer_id)
    .bind(&r.invoice)
    .bind(date_text(r.paid_on))
    .bind(scheduled_state)
    .bind(scheduled_on)
    .bind(date_text(r.new_date))
    .bind(r.reason.map(|x| x.code()))
    .bind(&r.reason_text)
    .bind(confirmation)
    .bind(json(&r.attachments)?)
    .bind(json(&r.unread_answers)?)
    .bind(outcome)
    .bind(rules_cited)
    .bind(decision)
    .bind(r.created_at)
        .bind(r.refund.as_ref().map(json).transpose()?)
    .bind(r.registry.map(|m| m.code()))
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

const REQUEST_COLUMNS: &str = "id, kind, status, customer_id, invoice, paid_on, scheduled_state, \
     scheduled_on, new_date, reason, reason_text, confirmation, attachments, unread_answers, \
          decision, created_at, decided_by, decided_at, refund, registry";

fn request_row(r: &AnyRow) -> Result<Request> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let scheduled_state: Option<String> = r.try_get("scheduled_state")?;
    let scheduled_on = match scheduled_state.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(_) => Some(parse_date(r.try_get("scheduled_on")?)?),
    };
    let confirmation: Option<String> = r.try_get("confirmation")?;
    let confirmation = match confirmation.as_deref() {
        None => None,
        Some("none") => Some(None),
        Some(j) => Some(Some(from_json(j)?)),
    };
    let reason: Option<String> = r.try_get("reason")?;
    let decision: Option<String> = r.try_get("decision")?;
    let refund: Option<String> = r.try_get("refund")?;
    let registry: Option<String> = r.try_get("registry")?;
    let attachments: String = r.try_get("attachments")?;
    let unread: String = r.try_get("unread_answers")?;
    Ok(Request {
        id: r.try_get("id")?,
        kind: RequestKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(kind.clone()))?,
        status: RequestStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(status.clone()))?,
        customer_id: r.try_get("customer_id")?,
        invoice: r.try_get("invoice")?,
        paid_on: parse_date(r.try_get("paid_on")?)?,
        scheduled_on,
        new_date: parse_date(r.try_get("new_date")?)?,
        reason: reason.as_deref().and_then(Reason::from_code),
        reason_text: r.try_get("reason_text")?,
        confirmation,
        attachments: from_json(&attachments)?,
        unread_answers: from_json(&unread)?,
        decision: decision.as_deref().map(from_json).transpose()?,
        refund: refund.as_deref().map(from_json).transpose()?,
        registry: registry.as_deref().and_then(RegistryMatch::from_code),
        created_at: r.try_get("created_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
    })
}

pub async fn request(conn: &mut AnyConnection, id: i64) -> Result<Option<Request>> {
    let row = sqlx::query(&format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(request_row).transpose()
}

/// The customer's requests, newest first.
pub async fn customer_requests(
    conn: &mut AnyConnection,
    customer_id: i64,
    tz: chrono_tz::Tz,
) -> Result<Vec<RequestSummary>> {
    let rows = sqlx::query(&format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE customer_id = $1 ORDER BY id DESC LIMIT 50"
    ))
    .bind(customer_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = request_row(row)?;
            let created_on = chrono::DateTime::from_timestamp(r.created_at, 0)
                .map(|t| t.with_timezone(&tz).date_naive())
                .unwrap_or_default();
            Ok(RequestSummary {
                id: r.id,
                kind: r.kind,
                status: r.status,
                created_on,
                invoice: r.invoice,
                paid_on: r.paid_on,
                new_date: r.new_date,
            })
        })
        .collect()
}

/// Moves a request from one status to another; false when it was not in `from` any more.
pub async fn change_status(
    conn: &mut AnyConnection,
    id: i64,
    from: &[RequestStatus],
    to: RequestStatus,
    decided: Option<(&str, i64, i64)>,
) -> Result<bool> {
    let from_list = from
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let done = match decided {
        Some((by, by_id, at)) => {
            sqlx::query(&format!(
                "UPDATE requests SET status = $1, decided_by = $2, decided_by_id = $3, decided_at = $4 \
                 WHERE id = $5 AND status IN ({from_list})"
            ))
            .bind(to.code())
            .bind(by)
            .bind(by_id)
            .bind(at)
            .bind(id)
            .execute(conn)
            .await?
        }
        None => {
            sqlx::query(&format!(
                "UPDATE requests SET status = $1 WHERE id = $2 AND status IN ({from_list})"
            ))
            .bind(to.code())
            .bind(id)
            .execute(conn)
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

pub async fn add_event(
    conn: &mut AnyConnection,
    request_id: i64,
    at: i64,
    actor: &str,
    event: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_events (request_id, at, actor, event) VALUES ($1, $2, $3, $4)",
    )
    .bind(request_id)
    .bind(at)
    .bind(actor)
    .bind(event)
    .execute(conn)
    .await?;
    Ok(())
}

/// The history of a request: (at, actor, event), oldest first.
pub async fn events(
    conn: &mut AnyConnection,
    request_id: i64,
) -> Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT at, actor, event FROM request_events WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("at")?, r.try_get("actor")?, r.try_get("event")?)))
        .collect()
}

/// Queues a message; it is sent after the transaction commits.
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

// ---- Complaint cases ----

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

pub async fn insert_case(conn: &mut AnyConnection, c: &Case) -> Result<i64> {
    let row = sqlx::query(
                "INSERT INTO cases (customer_id, category, description, invoice, urgent, phone, call_consent, \
         status, step, created_at, updated_at, phone_verified) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
    )
    .bind(c.customer_id)
    .bind(c.category.code())
    .bind(&c.description)
    .bind(&c.invoice)
    .bind(c.urgent as i64)
    .bind(&c.phone)
    .bind(c.call_consent as i64)
    .bind(c.status.code())
        .bind(c.step)
    .bind(c.created_at)
    .bind(c.phone_verified as i64)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

const CASE_COLUMNS: &str =
    "id, customer_id, category, description, invoice, urgent, phone, phone_verified, \
     call_consent, status, step, claimed_by, claimed_by_id, claimed_at, last_call_at, last_call, \
     rating, rating_comment, topic_id, card_message_id, created_at, closed_at";

fn case_row(r: &AnyRow) -> Result<Case> {
    let category: String = r.try_get("category")?;
    let status: String = r.try_get("status")?;
    Ok(Case {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        category: Category::from_code(&category)
            .ok_or_else(|| StoreError::Corrupt(category.clone()))?,
        description: r.try_get("description")?,
        invoice: r.try_get("invoice")?,
        urgent: r.try_get::<i64, _>("urgent")? != 0,
        phone: r.try_get("phone")?,
        phone_verified: r.try_get::<i64, _>("phone_verified")? != 0,
        call_consent: r.try_get::<i64, _>("call_consent")? != 0,
        status: CaseStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(status.clone()))?,
        step: r.try_get("step")?,
        claimed_by: r.try_get("claimed_by")?,
        claimed_by_id: r.try_get("claimed_by_id")?,
        claimed_at: r.try_get("claimed_at")?,
        last_call_at: r.try_get("last_call_at")?,
        last_call: r.try_get("last_call")?,
        rating: r.try_get("rating")?,
        rating_comment: r.try_get("rating_comment")?,
        topic_id: r.try_get("topic_id")?,
        card_message_id: r.try_get("card_message_id")?,
        created_at: r.try_get("created_at")?,
        closed_at: r.try_get("closed_at")?,
    })
}

pub async fn case(conn: &mut AnyConnection, id: i64) -> Result<Option<Case>> {
    let row = sqlx::query(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(case_row).transpose()
}

/// The customer's cases, newest first.
pub async fn customer_cases(
    conn: &mut AnyConnection,
    customer_id: i64,
    tz: chrono_tz::Tz,
) -> Result<Vec<CaseSummary>> {
    let rows = sqlx::query(&format!(
                        "SELECT {CASE_COLUMNS}, (SELECT MAX(e.id) FROM case_events e WHERE e.case_id = cases.id) AS last_event \
         FROM cases WHERE customer_id = $1 ORDER BY id DESC LIMIT 20"
    ))
    .bind(customer_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let c = case_row(row)?;
            Ok(CaseSummary {
                id: c.id,
                status: c.status,
                step: c.step,
                category: c.category,
                created_on: chrono::DateTime::from_timestamp(c.created_at, 0)
                    .map(|t| t.with_timezone(&tz).date_naive())
                    .unwrap_or_default(),
                claimed_by: c.claimed_by,
                rating: c.rating,
                last_event: row.try_get::<Option<i64>, _>("last_event")?.unwrap_or(0),
            })
        })
        .collect()
}

/// Cases not yet resolved or closed, oldest first.
pub async fn open_cases(conn: &mut AnyConnection) -> Result<Vec<Case>> {
    let rows = sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE status IN ('open', 'claimed', 'step3') ORDER BY id LIMIT 100"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(case_row).collect()
}

pub async fn add_case_event(
    conn: &mut AnyConnection,
    case_id: i64,
    at: i64,
    actor: &str,
    kind: &str,
    text: Option<&str>,
    media: &[Attachment],
) -> Result<()> {
    sqlx::query("INSERT INTO case_events (case_id, at, actor, kind, text, media) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(case_id)
        .bind(at)
        .bind(actor)
        .bind(kind)
        .bind(text)
        .bind(json(&media)?)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(case_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn case_events(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<CaseEvent>> {
    let rows = sqlx::query(
        "SELECT at, actor, kind, text, media FROM case_events WHERE case_id = $1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let media: String = r.try_get("media")?;
            Ok(CaseEvent {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                kind: r.try_get("kind")?,
                text: r.try_get("text")?,
                media: from_json(&media)?,
            })
        })
        .collect()
}

/// Claims a case for a staff member; false when someone else has it already.
pub async fn claim_case(
    conn: &mut AnyConnection,
    id: i64,
    by: &str,
    by_id: i64,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE cases SET status = 'claimed', step = 2, claimed_by = $1, claimed_by_id = $2, claimed_at = $3 \
         WHERE id = $4 AND claimed_by IS NULL AND status = 'open'",
    )
    .bind(by)
    .bind(by_id)
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a case to another status and step; false when it was not in one of `from`.
pub async fn set_case_status(
    conn: &mut AnyConnection,
    id: i64,
    from: &[CaseStatus],
    to: CaseStatus,
    step: i64,
    at: i64,
) -> Result<bool> {
    let from_list = from
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let closed_at = (to == CaseStatus::Closed).then_some(at);
    let done = sqlx::query(&format!(
        "UPDATE cases SET status = $1, step = $2, closed_at = COALESCE($3, closed_at) \
         WHERE id = $4 AND status IN ({from_list})"
    ))
    .bind(to.code())
    .bind(step)
    .bind(closed_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_call(conn: &mut AnyConnection, id: i64, at: i64, outcome: &str) -> Result<()> {
    sqlx::query(
        "UPDATE cases SET last_call_at = $1, last_call = $2, \
         step = CASE WHEN step < 2 THEN 2 ELSE step END WHERE id = $3",
    )
    .bind(at)
    .bind(outcome)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn rate_case(
    conn: &mut AnyConnection,
    id: i64,
    stars: Option<i64>,
    comment: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE cases SET rating = COALESCE($1, rating), rating_comment = COALESCE($2, rating_comment) \
         WHERE id = $3",
    )
    .bind(stars)
    .bind(comment)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// The case a staff message belongs to: by its forum topic, or by the message it replies
    /// to; and whether it replies to the case's card or to the customer's words (then it is
    /// meant for the customer).
    pub async fn case_for_staff_message(
        &self,
        staff_chat: i64,
        thread_id: Option<i64>,
        reply_to: Option<i64>,
    ) -> Result<Option<(i64, bool)>> {
        // The message replied to, if it is one of a case's.
        let replied = match reply_to {
            Some(message_id) => sqlx::query(
                "SELECT case_id, payload FROM outbox WHERE chat_id = $1 AND message_id = $2 \
                 AND case_id IS NOT NULL LIMIT 1",
            )
            .bind(staff_chat)
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| -> Result<(i64, bool)> {
                let payload: String = r.try_get("payload")?;
                let answers = serde_json::from_str::<Outgoing>(&payload)
                    .map(|o| o.customer_words || o.case_card)
                    .unwrap_or(false);
                Ok((r.try_get("case_id")?, answers))
            })
            .transpose()?,
            None => None,
        };
        if let Some(thread) = thread_id {
            let row = sqlx::query("SELECT id FROM cases WHERE topic_id = $1")
                .bind(thread)
                .fetch_optional(&self.pool)
                .await?;
            if let Some(r) = row {
                let id: i64 = r.try_get("id")?;
                let answers = replied.is_some_and(|(case, answers)| case == id && answers);
                return Ok(Some((id, answers)));
            }
        }
        Ok(replied)
    }

    pub async fn case(&self, id: i64) -> Result<Option<Case>> {
        let mut conn = self.pool.acquire().await?;
        case(&mut conn, id).await
    }

    pub async fn set_case_topic(&self, id: i64, topic: i64) -> Result<()> {
        sqlx::query("UPDATE cases SET topic_id = $1 WHERE id = $2 AND topic_id IS NULL")
            .bind(topic)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_case_card(&self, id: i64, message_id: i64) -> Result<()> {
        sqlx::query("UPDATE cases SET card_message_id = $1 WHERE id = $2")
            .bind(message_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

// ---- Jobs: reminders and follow-ups ----

/// A job waiting to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub due_at: i64,
    pub case_id: Option<i64>,
    pub request_id: Option<i64>,
    pub payload: serde_json::Value,
}

fn job_row(r: &AnyRow) -> Result<Job> {
    let payload: String = r.try_get("payload")?;
    Ok(Job {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        due_at: r.try_get("due_at")?,
        case_id: r.try_get("case_id")?,
        request_id: r.try_get("request_id")?,
        payload: from_json(&payload)?,
    })
}

/// Schedules a job; it commits with the transaction that caused it.
pub async fn add_job(
    conn: &mut AnyConnection,
    kind: &str,
    due_at: i64,
    case_id: Option<i64>,
    request_id: Option<i64>,
    payload: &serde_json::Value,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO jobs (kind, due_at, case_id, request_id, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind)
    .bind(due_at)
    .bind(case_id)
    .bind(request_id)
    .bind(json(payload)?)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Takes a due job for this transaction: false when another process took it first.
pub async fn take_job(conn: &mut AnyConnection, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'done', done_at = $1 WHERE id = $2 AND status = 'pending'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_request_call(
    conn: &mut AnyConnection,
    id: i64,
    at: i64,
    reached: bool,
) -> Result<()> {
    sqlx::query("UPDATE requests SET last_call_at = $1, last_call = $2 WHERE id = $3")
        .bind(at)
        .bind(if reached { "reached" } else { "no_answer" })
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How the last hotline call to a request's customer went ("reached", "no_answer"), and when.
pub async fn request_last_call(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<(Option<String>, Option<i64>)> {
    let row = sqlx::query("SELECT last_call, last_call_at FROM requests WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    match row {
        Some(r) => {
            let at: Option<i64> = r.try_get("last_call_at")?;
            let how: Option<String> = r.try_get("last_call")?;
            // A call recorded before calls had an outcome reached the customer.
            Ok((how.or_else(|| at.map(|_| "reached".to_string())), at))
        }
        None => Ok((None, None)),
    }
}

/// How many calls to a request's customer went unanswered.
pub async fn request_missed_calls(conn: &mut AnyConnection, id: i64) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM request_events WHERE request_id = $1 AND event = 'no_answer'",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Records the job of a request as done; false when it was recorded before.
pub async fn mark_job_done(conn: &mut AnyConnection, id: i64, by: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE requests SET job_done_at = $1, job_done_by = $2 WHERE id = $3 AND job_done_at IS NULL",
    )
    .bind(at)
    .bind(by)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// (last call, job done) of a request.
pub async fn request_follow_up(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<(Option<i64>, Option<i64>)> {
    let row = sqlx::query("SELECT last_call_at, job_done_at FROM requests WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    match row {
        Some(r) => Ok((r.try_get("last_call_at")?, r.try_get("job_done_at")?)),
        None => Ok((None, None)),
    }
}

/// Whether a later approved deferral of the same invoice exists: its new date is the one that
/// holds, and this one's reminders are outdated.
pub async fn deferral_moved_again(
    conn: &mut AnyConnection,
    id: i64,
    invoice: &str,
) -> Result<bool> {
    let key: String = invoice
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM requests WHERE kind = 'deferral' \
         AND status IN ('approved', 'staff_approved') AND id > $1 AND {} = $2",
        invoice_key_sql("invoice")
    ))
    .bind(id)
    .bind(key)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The latest approved deferral for an invoice (for /done).
pub async fn approved_deferral_by_invoice(
    conn: &mut AnyConnection,
    invoice: &str,
) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT id FROM requests WHERE kind = 'deferral' AND invoice = $1 \
         AND status IN ('approved', 'staff_approved') ORDER BY id DESC LIMIT 1",
    )
    .bind(invoice)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.try_get("id")).transpose().map_err(Into::into)
}

/// Approved deferrals whose new date is `date` (YYYY-MM-DD), for the morning digest.
/// An invoice number as SQL compares it: its letters and digits ("HD-2026-0012" and
/// "HD20260012" are one invoice). `Invoice::parse` keeps only these and - / . _.
fn invoice_key_sql(column: &str) -> String {
    format!("REPLACE(REPLACE(REPLACE(REPLACE({column}, '-', ''), '/', ''), '.', ''), '_', '')")
}

/// The approved deferrals whose new date is `date`, but for those a later approved deferral of
/// the same invoice moved again.
pub async fn deferrals_on(conn: &mut AnyConnection, date: NaiveDate) -> Result<Vec<Request>> {
    let rows = sqlx::query(&format!(
        "SELECT {REQUEST_COLUMNS} FROM requests r WHERE kind = 'deferral' \
         AND status IN ('approved', 'staff_approved') AND new_date = $1 \
         AND NOT EXISTS (SELECT 1 FROM requests l WHERE l.kind = 'deferral' \
         AND l.status IN ('approved', 'staff_approved') AND l.id > r.id AND {} = {}) \
         ORDER BY id",
        invoice_key_sql("l.invoice"),
        invoice_key_sql("r.invoice"),
    ))
    .bind(date.format("%Y-%m-%d").to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(request_row).collect()
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

impl Store {
    /// Due jobs, oldest first.
    pub async fn due_jobs(&self, now: i64, limit: i64) -> Result<Vec<Job>> {
        let rows = sqlx::query(
            "SELECT id, kind, due_at, case_id, request_id, payload FROM jobs \
             WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_row).collect()
    }

    /// When the next pending job is due.
    pub async fn next_job_at(&self) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT MIN(due_at) AS next FROM jobs WHERE status = 'pending'")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("next")?)
    }

    /// Pending jobs (for tests and the log): (kind, due_at).
    pub async fn pending_jobs(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT kind, due_at FROM jobs WHERE status = 'pending' ORDER BY due_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("due_at")?)))
            .collect()
    }
}

// ---- The invoice registry ----

/// An invoice as staff imported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRecord {
    pub number: String,
    pub customer_name: String,
    /// National form "0xxxxxxxxx".
    pub phone: Option<String>,
    pub amount: Option<i64>,
    pub paid_on: NaiveDate,
    pub job_on: Option<NaiveDate>,
    /// paid, done, cancelled
    pub status: String,
}

/// Adds or updates an invoice; true when it was new.
pub async fn upsert_invoice(
    conn: &mut AnyConnection,
    inv: &InvoiceRecord,
    now: i64,
) -> Result<bool> {
    let existed = invoice(&mut *conn, &inv.number).await?.is_some();
    sqlx::query(
        "INSERT INTO invoices (number, customer_name, phone, amount, paid_on, job_on, status, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (number) DO UPDATE SET customer_name = excluded.customer_name, \
         phone = excluded.phone, amount = excluded.amount, paid_on = excluded.paid_on, \
         job_on = excluded.job_on, status = excluded.status, updated_at = excluded.updated_at",
    )
    .bind(&inv.number)
    .bind(&inv.customer_name)
    .bind(&inv.phone)
    .bind(inv.amount)
    .bind(date_text(Some(inv.paid_on)))
    .bind(date_text(inv.job_on))
    .bind(&inv.status)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(!existed)
}

pub async fn invoice(conn: &mut AnyConnection, number: &str) -> Result<Option<InvoiceRecord>> {
    let row = sqlx::query(
        "SELECT number, customer_name, phone, amount, paid_on, job_on, status FROM invoices WHERE number = $1",
    )
    .bind(number)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(InvoiceRecord {
            number: r.try_get("number")?,
            customer_name: r.try_get("customer_name")?,
            phone: r.try_get("phone")?,
            amount: r.try_get("amount")?,
            paid_on: parse_date(r.try_get("paid_on")?)?.unwrap_or_default(),
            job_on: parse_date(r.try_get("job_on")?)?,
            status: r.try_get("status")?,
        })
    })
    .transpose()
}

/// Every request since `since` (Unix seconds), with its customer, for exports.
pub async fn export_requests(
    conn: &mut AnyConnection,
    since: i64,
) -> Result<Vec<(Request, Customer, Option<i64>, Option<i64>)>> {
    let rows = sqlx::query(&format!(
        "SELECT {REQUEST_COLUMNS}, last_call_at, job_done_at FROM requests WHERE created_at >= $1 ORDER BY id"
    ))
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let req = request_row(r)?;
        let last_call: Option<i64> = r.try_get("last_call_at")?;
        let job_done: Option<i64> = r.try_get("job_done_at")?;
        let customer = customer_of(&mut *conn, req.customer_id).await?;
        out.push((req, customer, last_call, job_done));
    }
    Ok(out)
}

/// Every case since `since`, with its customer, for exports.
pub async fn export_cases(conn: &mut AnyConnection, since: i64) -> Result<Vec<(Case, Customer)>> {
    let rows = sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE created_at >= $1 ORDER BY id"
    ))
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let case = case_row(r)?;
        let customer = customer_of(&mut *conn, case.customer_id).await?;
        out.push((case, customer));
    }
    Ok(out)
}

/// Whether any invoice was imported.
pub async fn has_invoices(conn: &mut AnyConnection) -> Result<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM (SELECT 1 FROM invoices LIMIT 1) AS x")
        .fetch_one(conn)
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// Schedules a job unless an equal one is pending (a unique index says which are equal):
/// one statement, so two processes starting together cannot both insert.
pub async fn add_job_once(
    conn: &mut AnyConnection,
    kind: &str,
    due_at: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO jobs (kind, due_at, payload, created_at) VALUES ($1, $2, '{}', $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(kind)
    .bind(due_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
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
            "SELECT id, chat_id, thread_id, customer_id, case_id, payload, attempts, next_attempt_at \
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

// ---- Several processes on one database ----

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
    /// Takes or renews the lease `name` for `holder` until `now + ttl`; true when `holder`
    /// holds it afterwards. A lease still held by another holder is left alone.
    pub async fn try_lease(&self, name: &str, holder: &str, now: i64, ttl: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at < $4",
        )
        .bind(name)
        .bind(holder)
        .bind(now + ttl)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the lease up at once (a clean stop), so another process takes over without waiting.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Who holds the lease `name` and until when.
    pub async fn lease_holder(&self, name: &str) -> Result<Option<(String, i64)>> {
        let row = sqlx::query("SELECT holder, expires_at FROM leases WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get("holder")?, r.try_get("expires_at")?)))
            .transpose()
    }

    /// Whether the database answers and carries every migration this binary knows.
    pub async fn ready(&self) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success = true")
            .fetch_one(&mut *conn)
            .await?;
        let applied: i64 = row.try_get("n")?;
        Ok(applied >= migration_files(self.backend).len() as i64)
    }

    pub async fn backlog(&self, now: i64) -> Result<Backlog> {
        let mut conn = self.pool.acquire().await?;
        let o = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'",
        )
        .fetch_one(&mut *conn)
        .await?;
        let j = sqlx::query(
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
