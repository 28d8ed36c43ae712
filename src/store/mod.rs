//! Every SQL statement of the bot. One code path for SQLite and PostgreSQL through [`db`]
//! (PostgreSQL by sqlx, SQLite by rusqlite): dates are TEXT `YYYY-MM-DD`, instants BIGINT Unix seconds, booleans 0/1.

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::AnyPool;

use db::{query, query_as, Row};

use crate::dialogue::{
    Attachment, Case, CaseEvent, CaseStatus, CaseSummary, Category, Conversation, Customer,
    DeferralDetails, HandoffDetails, Identity, Lang, RegistryMatch, Request, RequestDetails,
    RequestKind, RequestStatus, RequestSummary,
};
use crate::policy::Reason;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not readable: {0}")]
    Corrupt(String),
    /// The error of a statement run for several callers at once, as each of them is told.
    #[error("database: {0}")]
    Shared(String),
    #[error("DATABASE_URL must start with sqlite: or postgres:, not {0:?}")]
    UnknownBackend(String),
}

mod business;
pub mod db;
mod case_topics;
mod cases;
mod conversations;
mod customers;
mod health;
mod invoices;
mod jobs;
mod leases;
mod outbox;
mod privacy;
mod requests;
mod updates;
mod zalo;
mod values;

pub use business::*;
pub use case_topics::*;
pub use cases::*;
pub use conversations::*;
pub use customers::*;
pub use health::*;
pub use invoices::*;
pub use jobs::*;
pub use leases::*;
pub use outbox::*;
pub use privacy::*;
pub use requests::*;
pub use updates::*;
pub use values::*;
pub use zalo::*;

pub type Result<T> = std::result::Result<T, StoreError>;

/// A connection, a transaction and a pooled connection, as the rest of the bot names them
/// (only this module speaks sqlx).
pub type Conn = db::Conn;
pub type Tx = db::Tx;
pub type PooledConn = db::PooledConn;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database, with the backend it was opened on.
#[derive(Clone, Debug)]
pub struct Store {
    /// sqlx's pool, for the migrations and for tools that speak sqlx (the bot itself goes
    /// through `db`).
    pub pool: AnyPool,
    pub backend: Backend,
    /// The connections update handling uses (on SQLite one, in this process's thread).
    db: db::Pool,
    /// The sender's own connections (the outbox sender and its lease), so that marking a
    /// message sent never waits behind update handling. The same as `db` for an in-memory
    /// SQLite database (whose connections cannot wait for each other's locks).
    sender_db: db::Pool,
    /// Chats given new outbox rows by this process, for its sender.
    fresh: db::Fresh,
    /// Sent marks waiting to be committed together (see `mark_sent`).
    marks: Arc<Marks>,
    /// Copies a SQLite file's WAL back into the database (None elsewhere).
    _checkpointer: Option<Arc<db::Checkpointer>>,
}

/// The sender's marks of messages sent, committed together.
#[derive(Debug, Default)]
struct Marks {
    queue: std::sync::Mutex<Vec<SentMark>>,
    /// Held by the caller writing the queued marks.
    writer: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
struct SentMark {
    id: i64,
    message_id: Option<i64>,
    now: i64,
    done: tokio::sync::oneshot::Sender<std::result::Result<(), String>>,
}

/// The migrations of a backend, embedded in the binary: (version, description, SQL).
fn migration_files(backend: Backend) -> &'static [(i64, &'static str, &'static str)] {
    match backend {
        Backend::Sqlite => &[
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
            (
                11,
                "identities",
                include_str!("../../migrations/sqlite/0011_identities.sql"),
            ),
            (
                12,
                "outbox_parts",
                include_str!("../../migrations/sqlite/0012_outbox_parts.sql"),
            ),
            (
                13,
                "sent_parts",
                include_str!("../../migrations/sqlite/0013_sent_parts.sql"),
            ),
            (
                14,
                "outbox_address_zalo",
                include_str!("../../migrations/sqlite/0014_outbox_address_zalo.sql"),
            ),
            (
                15,
                "operations",
                include_str!("../../migrations/sqlite/0015_operations.sql"),
            ),
            (
                17,
                "privacy",
                include_str!("../../migrations/sqlite/0017_privacy.sql"),
            ),
            (
                18,
                "reach",
                include_str!("../../migrations/sqlite/0018_reach.sql"),
            ),
            (
                19,
                "outbox_priority",
                include_str!("../../migrations/sqlite/0019_outbox_priority.sql"),
            ),
            (
                20,
                "outbox_partial_indexes",
                include_str!("../../migrations/sqlite/0020_outbox_partial_indexes.sql"),
            ),
        ],
        Backend::Postgres => &[
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
            (
                11,
                "identities",
                include_str!("../../migrations/postgres/0011_identities.sql"),
            ),
            (
                12,
                "outbox_parts",
                include_str!("../../migrations/postgres/0012_outbox_parts.sql"),
            ),
            (
                13,
                "sent_parts",
                include_str!("../../migrations/postgres/0013_sent_parts.sql"),
            ),
            (
                14,
                "outbox_address_zalo",
                include_str!("../../migrations/postgres/0014_outbox_address_zalo.sql"),
            ),
            (
                15,
                "operations",
                include_str!("../../migrations/postgres/0015_operations.sql"),
            ),
            (
                17,
                "privacy",
                include_str!("../../migrations/postgres/0017_privacy.sql"),
            ),
            (
                18,
                "reach",
                include_str!("../../migrations/postgres/0018_reach.sql"),
            ),
            (
                19,
                "outbox_priority",
                include_str!("../../migrations/postgres/0019_outbox_priority.sql"),
            ),
            (
                20,
                "outbox_partial_indexes",
                include_str!("../../migrations/postgres/0020_outbox_partial_indexes.sql"),
            ),
        ],
    }
}

fn migrations(backend: Backend) -> Migrator {
    let migrations = migration_files(backend)
        .iter()
        .map(|&(version, description, sql)| {
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
        let (pool, url) = match backend {
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
                (sqlite_pool(options, memory).await?, url)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?;
                (pool, url.to_string())
            }
        };
        migrations(backend).run(&pool).await?;
        let mut checkpointer = None;
        let (db, sender_db) = match backend {
            Backend::Sqlite => {
                // One connection for update handling: SQLite has one writer. The sender's own:
                // with WAL its reads never wait for a writer, and its short writes wait for the
                // transaction under way, never for the queue of updates behind it.
                let memory = url.contains("mode=memory");
                let lite = |u: &str| -> Result<db::Pool> {
                    Ok(db::Pool::Lite(std::sync::Arc::new(
                        tokio::sync::Mutex::new(db::open_lite(u, memory)?),
                    )))
                };
                let db = lite(&url)?;
                let sender_db = if memory { db.clone() } else { lite(&url)? };
                if !memory {
                    checkpointer = Some(Arc::new(db::Checkpointer::start(&url)?));
                }
                (db, sender_db)
            }
            Backend::Postgres => {
                let sender_pool = AnyPoolOptions::new()
                    .max_connections(2)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(&url)
                    .await?;
                (db::Pool::Any(pool.clone()), db::Pool::Any(sender_pool))
            }
        };
        Ok(Store {
            pool,
            backend,
            db,
            sender_db,
            fresh: db::Fresh::default(),
            marks: Arc::default(),
            _checkpointer: checkpointer,
        })
    }

    /// The same database through the sender's own connections.
    pub fn for_sender(&self) -> Store {
        Store {
            pool: self.pool.clone(),
            backend: self.backend,
            db: self.sender_db.clone(),
            sender_db: self.sender_db.clone(),
            fresh: self.fresh.clone(),
            marks: Arc::default(),
            _checkpointer: self._checkpointer.clone(),
        }
    }

    /// Closes the pools (SQLite's own connections close with the last `Store`).
    pub async fn close(&self) {
        if let db::Pool::Any(p) = &self.sender_db {
            p.close().await;
        }
        self.pool.close().await;
    }

    /// A transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): with the
    /// sender writing through its own connection, a transaction that read first and wrote
    /// later could otherwise fail instead of waiting.
    pub async fn begin(&self) -> Result<Tx> {
        let mut tx = self.db.begin().await?;
        tx.tell(&self.fresh);
        Ok(tx)
    }

    /// A connection for reads outside a transaction.
    pub async fn conn(&self) -> Result<PooledConn> {
        let mut conn = self.db.acquire().await?;
        conn.tell(&self.fresh);
        Ok(conn)
    }

    /// A batch of update handling (SQLite; None on PostgreSQL) whose transaction stays open
    /// at most `span` while more of its parts wait: see [`db::Batch`].
    pub fn batch(&self, span: Duration) -> Option<db::Batch> {
        db::Batch::new(&self.db, &self.fresh, span)
    }

    /// What a batch's commit rings to tell the sender of the chats it handed over.
    pub fn set_sender_wake(&self, wake: Arc<tokio::sync::Notify>) {
        self.fresh.set_wake(wake);
    }

    /// The chats this process gave new outbox rows since the last call, with their rows'
    /// priority (what was committed; the outbox itself stays the record).
    pub fn take_fresh_chats(&self) -> Vec<(OutboxChat, i64)> {
        self.fresh.take()
    }

    /// Whether no chat waits in [`take_fresh_chats`](Self::take_fresh_chats).
    pub fn fresh_is_empty(&self) -> bool {
        self.fresh.is_empty()
    }

    /// Hands a chat to the sender again (its drain ended while more was written to it).
    pub fn hand_over(&self, chat: OutboxChat, priority: i64) {
        self.fresh.push(chat, priority);
    }
}

/// A SQLite pool of one connection, in WAL mode (on a file).
async fn sqlite_pool(options: AnyConnectOptions, memory: bool) -> Result<AnyPool> {
    Ok(AnyPoolOptions::new()
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
                if memory {
                    // Shares its cache with the store's own connection: reads take no table locks.
                    sqlx::query("PRAGMA read_uncommitted = 1")
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?)
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
