//! The store's own way of running a statement, on either database.
//!
//! PostgreSQL goes through sqlx (`AnyPool`). SQLite goes through rusqlite on the calling task:
//! a statement costs a few microseconds there, where sqlx's SQLite driver hands every statement
//! and every row to a worker thread and back (two thread wake-ups each; measured by the load
//! bench, that hand-off was most of the bot's CPU per update). The API mirrors the slice of
//! sqlx the store used (`query(..).bind(..).fetch_one(..)`, `row.try_get(..)`), so the SQL and
//! the functions around it are the same for both databases.
//!
//! A SQLite connection is shared behind an async mutex (one connection for update handling,
//! one for the sender); a statement that finds the database locked by the other connection is
//! tried again after an async pause, never blocking the runtime's thread while it waits.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::types::ValueRef;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{OutboxChat, Result, StoreError};

/// A value bound to a statement (typed even when NULL: PostgreSQL wants to know).
#[derive(Debug, Clone)]
pub enum Value {
    Null(Kind),
    Int(i64),
    /// Read only (SQLite columns written by hand).
    Real(f64),
    Text(String),
    /// Read only.
    Blob(Vec<u8>),
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Int,
    Text,
}

/// What can be bound.
pub trait Bind {
    fn value(self) -> Value;
    fn null_kind() -> Kind
    where
        Self: Sized;
}

macro_rules! bind_as {
    ($t:ty, $kind:ident, |$v:ident| $e:expr) => {
        impl Bind for $t {
            fn value(self) -> Value {
                let $v = self;
                $e
            }
            fn null_kind() -> Kind {
                Kind::$kind
            }
        }
    };
}

bind_as!(i64, Int, |v| Value::Int(v));
bind_as!(String, Text, |v| Value::Text(v));
bind_as!(&String, Text, |v| Value::Text(v.clone()));
bind_as!(&str, Text, |v| Value::Text(v.to_string()));

impl Bind for &Option<String> {
    fn value(self) -> Value {
        self.as_deref().value()
    }
    fn null_kind() -> Kind {
        Kind::Text
    }
}

impl Bind for &Option<i64> {
    fn value(self) -> Value {
        (*self).value()
    }
    fn null_kind() -> Kind {
        Kind::Int
    }
}

impl<T: Bind> Bind for Option<T> {
    fn value(self) -> Value {
        match self {
            Some(v) => v.value(),
            None => Value::Null(T::null_kind()),
        }
    }
    fn null_kind() -> Kind {
        T::null_kind()
    }
}

/// What a statement changed.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    rows: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows
    }
}

/// A row of a result.
pub enum Row {
    Any(AnyRow),
    Lite(LiteRow),
}

pub struct LiteRow {
    names: Arc<[String]>,
    values: Vec<Value>,
}

/// A column by name or by position.
pub trait Index: Copy {
    fn position(self, names: &[String]) -> Option<usize>;
    /// How an error names the column.
    fn label(self) -> String;
    fn any_get<T: Decode>(self, row: &AnyRow) -> std::result::Result<T, sqlx::Error>;
}

impl Index for &str {
    fn position(self, names: &[String]) -> Option<usize> {
        names.iter().position(|n| n == self)
    }
    fn label(self) -> String {
        format!("{self:?}")
    }
    fn any_get<T: Decode>(self, row: &AnyRow) -> std::result::Result<T, sqlx::Error> {
        T::from_any(row, self)
    }
}

impl Index for usize {
    fn position(self, names: &[String]) -> Option<usize> {
        (self < names.len()).then_some(self)
    }
    fn label(self) -> String {
        format!("number {self}")
    }
    fn any_get<T: Decode>(self, row: &AnyRow) -> std::result::Result<T, sqlx::Error> {
        T::from_any(row, self)
    }
}

/// What can be read from a column.
pub trait Decode: Sized {
    fn from_value(v: &Value) -> Option<Self>;
    fn from_any<I: sqlx::ColumnIndex<AnyRow>>(
        row: &AnyRow,
        i: I,
    ) -> std::result::Result<Self, sqlx::Error>;
}

macro_rules! decode_via_sqlx {
    ($t:ty, |$v:ident| $e:expr) => {
        impl Decode for $t {
            fn from_value($v: &Value) -> Option<Self> {
                $e
            }
            fn from_any<I: sqlx::ColumnIndex<AnyRow>>(
                row: &AnyRow,
                i: I,
            ) -> std::result::Result<Self, sqlx::Error> {
                sqlx::Row::try_get::<$t, I>(row, i)
            }
        }
        impl Decode for Option<$t> {
            fn from_value(v: &Value) -> Option<Self> {
                match v {
                    Value::Null(_) => Some(None),
                    v => <$t as Decode>::from_value(v).map(Some),
                }
            }
            fn from_any<I: sqlx::ColumnIndex<AnyRow>>(
                row: &AnyRow,
                i: I,
            ) -> std::result::Result<Self, sqlx::Error> {
                sqlx::Row::try_get::<Option<$t>, I>(row, i)
            }
        }
    };
}

decode_via_sqlx!(i64, |v| match v {
    Value::Int(i) => Some(*i),
    _ => None,
});
decode_via_sqlx!(String, |v| match v {
    Value::Text(s) => Some(s.clone()),
    _ => None,
});

impl Row {
    pub fn try_get<T: Decode, I: Index>(&self, i: I) -> Result<T> {
        match self {
            Row::Any(row) => Ok(i.any_get::<T>(row)?),
            Row::Lite(row) => {
                let Some(at) = i.position(&row.names) else {
                    return Err(StoreError::Corrupt(format!(
                        "no column {} in the result",
                        i.label()
                    )));
                };
                T::from_value(&row.values[at]).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "column {:?} holds {:?}, not a {}",
                        row.names[at],
                        row.values[at],
                        std::any::type_name::<T>()
                    ))
                })
            }
        }
    }
}

/// Rows read as a tuple, by position (`query_as`).
pub trait FromRow: Sized {
    fn from_row(row: &Row) -> Result<Self>;
}

impl<A: Decode> FromRow for (A,) {
    fn from_row(row: &Row) -> Result<Self> {
        Ok((row.try_get(0)?,))
    }
}

impl<A: Decode, B: Decode> FromRow for (A, B) {
    fn from_row(row: &Row) -> Result<Self> {
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}

impl<A: Decode, B: Decode, C: Decode> FromRow for (A, B, C) {
    fn from_row(row: &Row) -> Result<Self> {
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }
}

/// A statement with its arguments (`$1`, `$2`, … in the SQL, on both databases).
pub struct Query<'q> {
    sql: &'q str,
    args: Vec<Value>,
}

pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql,
        args: Vec::new(),
    }
}

pub struct QueryAs<'q, T> {
    query: Query<'q>,
    _row: std::marker::PhantomData<T>,
}

pub fn query_as<T: FromRow>(sql: &str) -> QueryAs<'_, T> {
    QueryAs {
        query: query(sql),
        _row: std::marker::PhantomData,
    }
}

/// How much of the result is wanted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Nothing,
    One,
    All,
}

impl<'q> Query<'q> {
    pub fn bind<T: Bind>(mut self, v: T) -> Self {
        self.args.push(v.value());
        self
    }

    pub async fn execute<'c, E: Executor<'c>>(self, e: E) -> Result<Done> {
        let (done, _) = self.run(e, Want::Nothing).await?;
        Ok(done)
    }

    pub async fn fetch_all<'c, E: Executor<'c>>(self, e: E) -> Result<Vec<Row>> {
        Ok(self.run(e, Want::All).await?.1)
    }

    pub async fn fetch_optional<'c, E: Executor<'c>>(self, e: E) -> Result<Option<Row>> {
        Ok(self.run(e, Want::One).await?.1.into_iter().next())
    }

    pub async fn fetch_one<'c, E: Executor<'c>>(self, e: E) -> Result<Row> {
        self.fetch_optional(e)
            .await?
            .ok_or(StoreError::Db(sqlx::Error::RowNotFound))
    }

    async fn run<'c, E: Executor<'c>>(self, e: E, want: Want) -> Result<(Done, Vec<Row>)> {
        match e.target() {
            Target::Conn(conn) => conn.run(self.sql, &self.args, want).await,
            Target::Pool(pool) => {
                let mut conn = pool.acquire().await?;
                conn.run(self.sql, &self.args, want).await
            }
        }
    }
}

impl<'q, T: FromRow> QueryAs<'q, T> {
    pub fn bind<B: Bind>(mut self, v: B) -> Self {
        self.query = self.query.bind(v);
        self
    }

    pub async fn fetch_all<'c, E: Executor<'c>>(self, e: E) -> Result<Vec<T>> {
        self.query
            .fetch_all(e)
            .await?
            .iter()
            .map(T::from_row)
            .collect()
    }

    pub async fn fetch_optional<'c, E: Executor<'c>>(self, e: E) -> Result<Option<T>> {
        self.query
            .fetch_optional(e)
            .await?
            .as_ref()
            .map(T::from_row)
            .transpose()
    }

    pub async fn fetch_one<'c, E: Executor<'c>>(self, e: E) -> Result<T> {
        T::from_row(&self.query.fetch_one(e).await?)
    }
}

/// Where a statement runs: a connection (or transaction) held, or any of a pool's.
pub enum Target<'c> {
    Conn(&'c mut Conn),
    Pool(&'c Pool),
}

pub trait Executor<'c> {
    fn target(self) -> Target<'c>;
}

impl<'c> Executor<'c> for &'c mut Conn {
    fn target(self) -> Target<'c> {
        Target::Conn(self)
    }
}

impl<'c> Executor<'c> for &'c Pool {
    fn target(self) -> Target<'c> {
        Target::Pool(self)
    }
}

impl<'c> Executor<'c> for &'c mut Tx {
    fn target(self) -> Target<'c> {
        Target::Conn(&mut self.conn)
    }
}

impl<'c> Executor<'c> for &'c mut PooledConn {
    fn target(self) -> Target<'c> {
        Target::Conn(&mut self.conn)
    }
}

/// Connections to one database.
#[derive(Clone, Debug)]
pub enum Pool {
    Any(AnyPool),
    Lite(Arc<Mutex<rusqlite::Connection>>),
}

/// A connection held (inside a transaction or not).
pub struct Conn {
    inner: Inner,
    /// Where chats that got new outbox rows are told once committed (the sender's in-memory
    /// hand-off; see [`Fresh`]).
    fresh: Option<Fresh>,
    /// Chats written to within the transaction under way, told at its commit.
    written: Vec<(OutboxChat, i64)>,
}

/// Chats that got new outbox rows, with the rows' priority, handed to this process's sender
/// after the commit (so that it need not look through the outbox to find them).
#[derive(Clone, Debug, Default)]
pub struct Fresh(Arc<FreshShared>);

#[derive(Debug, Default)]
struct FreshShared {
    chats: std::sync::Mutex<Vec<(OutboxChat, i64)>>,
    /// The sender's wake-up, rung when a batch's commit hands chats over (see [`Batch`]).
    wake: std::sync::OnceLock<Arc<tokio::sync::Notify>>,
}

impl Fresh {
    pub fn take(&self) -> Vec<(OutboxChat, i64)> {
        std::mem::take(&mut *self.0.chats.lock().unwrap())
    }

    pub fn is_empty(&self) -> bool {
        self.0.chats.lock().unwrap().is_empty()
    }

    pub fn push(&self, chat: OutboxChat, priority: i64) {
        self.0.chats.lock().unwrap().push((chat, priority));
    }

    fn extend(&self, chats: impl IntoIterator<Item = (OutboxChat, i64)>) {
        self.0.chats.lock().unwrap().extend(chats);
    }

    /// What a batch's commit rings (once set; the first setting holds).
    pub fn set_wake(&self, wake: Arc<tokio::sync::Notify>) {
        let _ = self.0.wake.set(wake);
    }

    fn ring(&self) {
        if let Some(w) = self.0.wake.get() {
            w.notify_one();
        }
    }
}

enum Inner {
    Any(sqlx::pool::PoolConnection<Any>),
    AnyTx(sqlx::Transaction<'static, Any>),
    Lite(OwnedMutexGuard<rusqlite::Connection>),
    /// A part of a batch's transaction (see [`Batch`]).
    Batch(BatchConn),
    /// Left behind by a commit or rollback.
    Gone,
}

/// A connection taken from a pool for a while.
pub struct PooledConn {
    conn: Conn,
}

impl Deref for PooledConn {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl DerefMut for PooledConn {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

/// A transaction: rolled back when dropped uncommitted.
pub struct Tx {
    conn: Conn,
    open: bool,
}

impl Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

/// Statements run by this process so far (for the load bench's count per update).
static STATEMENTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many statements this process ran (BEGIN and COMMIT of SQLite transactions included).
pub fn statements_run() -> u64 {
    STATEMENTS.load(std::sync::atomic::Ordering::Relaxed)
}

/// How long a statement waits for the other connection's write lock before it fails.
const LOCK_WAIT: Duration = Duration::from_secs(10);

impl Conn {
    fn new(inner: Inner) -> Conn {
        Conn {
            inner,
            fresh: None,
            written: Vec::new(),
        }
    }

    /// Tells `fresh` of the outbox rows this connection commits.
    pub fn tell(&mut self, fresh: &Fresh) {
        self.fresh = Some(fresh.clone());
    }

    /// An outbox row was written into `chat`: its sender hears of it once it is committed.
    pub fn wrote_outbox(&mut self, chat: OutboxChat, priority: i64) {
        if self.in_transaction() {
            self.written.push((chat, priority));
        } else if let Some(f) = &self.fresh {
            f.extend([(chat, priority)]);
        }
    }

    fn in_transaction(&self) -> bool {
        match &self.inner {
            Inner::AnyTx(_) | Inner::Batch(_) => true,
            Inner::Lite(c) => !c.is_autocommit(),
            Inner::Any(_) | Inner::Gone => false,
        }
    }
}

impl Drop for PooledConn {
    fn drop(&mut self) {
        // What it wrote is part of the batch's transaction.
        let _ = end_part(&mut self.conn, true);
    }
}

impl PooledConn {
    pub fn tell(&mut self, fresh: &Fresh) {
        self.conn.tell(fresh);
    }
}

impl Tx {
    pub fn tell(&mut self, fresh: &Fresh) {
        self.conn.tell(fresh);
    }
}

impl Pool {
    /// The batch the current task runs in on this pool, if any.
    fn batch(&self) -> Option<Batch> {
        match self {
            Pool::Lite(conn) => Batch::current(conn),
            Pool::Any(_) => None,
        }
    }

    pub async fn acquire(&self) -> Result<PooledConn> {
        if let Some(batch) = self.batch() {
            return Ok(PooledConn {
                conn: batch.enter(false).await?,
            });
        }
        let inner = match self {
            Pool::Any(pool) => Inner::Any(pool.acquire().await?),
            Pool::Lite(conn) => Inner::Lite(conn.clone().lock_owned().await),
        };
        Ok(PooledConn {
            conn: Conn::new(inner),
        })
    }

    /// A transaction; on SQLite `BEGIN IMMEDIATE` (the write lock taken at once, so that a
    /// transaction that reads first never fails on a later write).
    pub async fn begin(&self) -> Result<Tx> {
        if let Some(batch) = self.batch() {
            return Ok(Tx {
                conn: batch.enter(true).await?,
                open: true,
            });
        }
        match self {
            Pool::Any(pool) => Ok(Tx {
                conn: Conn::new(Inner::AnyTx(pool.begin().await?)),
                open: true,
            }),
            Pool::Lite(conn) => {
                let mut conn = Conn::new(Inner::Lite(conn.clone().lock_owned().await));
                conn.run("BEGIN IMMEDIATE", &[], Want::Nothing).await?;
                Ok(Tx { conn, open: true })
            }
        }
    }
}

impl Tx {
    pub async fn commit(mut self) -> Result<()> {
        self.open = false;
        if matches!(self.conn.inner, Inner::Batch(_)) {
            return end_part(&mut self.conn, true);
        }
        match std::mem::replace(&mut self.conn.inner, Inner::Gone) {
            Inner::AnyTx(tx) => tx.commit().await?,
            Inner::Lite(c) => end_lite(&c, true)?,
            Inner::Any(_) | Inner::Batch(_) | Inner::Gone => {}
        }
        if let Some(f) = &self.conn.fresh {
            f.extend(self.conn.written.drain(..));
        }
        Ok(())
    }

    pub async fn rollback(mut self) -> Result<()> {
        self.open = false;
        if matches!(self.conn.inner, Inner::Batch(_)) {
            return end_part(&mut self.conn, false);
        }
        match std::mem::replace(&mut self.conn.inner, Inner::Gone) {
            Inner::AnyTx(tx) => Ok(tx.rollback().await?),
            Inner::Lite(c) => Ok(end_lite(&c, false)?),
            _ => Ok(()),
        }
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if self.open && matches!(self.conn.inner, Inner::Batch(_)) {
            let _ = end_part(&mut self.conn, false);
            return;
        }
        if let (true, Inner::Lite(c)) = (self.open, &self.conn.inner) {
            if !c.is_autocommit() {
                let _ = end_lite(c, false);
            }
        }
        // sqlx rolls its own back.
    }
}

impl Conn {
    /// "postgresql" or "sqlite", as sqlx names them.
    pub fn backend_name(&self) -> &str {
        match &self.inner {
            Inner::Any(c) => c.backend_name(),
            Inner::AnyTx(t) => t.backend_name(),
            _ => "sqlite",
        }
    }

    async fn run(&mut self, sql: &str, args: &[Value], want: Want) -> Result<(Done, Vec<Row>)> {
        STATEMENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match &mut self.inner {
            Inner::Any(c) => any_run(c, sql, args, want).await,
            Inner::AnyTx(t) => any_run(t, sql, args, want).await,
            // The other connection writes: wait for it without holding a thread.
            Inner::Lite(c) => lite_run_waiting(c, sql, args, want).await,
            Inner::Batch(b) => Ok(lite_run(b.conn(), sql, args, want)?),
            Inner::Gone => Err(gone()),
        }
    }
}

fn gone() -> StoreError {
    StoreError::Corrupt("a statement after the transaction ended".into())
}

fn locked(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

async fn any_run(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    args: &[Value],
    want: Want,
) -> Result<(Done, Vec<Row>)> {
    let mut q = sqlx::query(sql);
    for v in args {
        q = match v {
            Value::Null(Kind::Int) => q.bind(None::<i64>),
            Value::Null(Kind::Text) => q.bind(None::<String>),
            Value::Int(i) => q.bind(*i),
            Value::Real(f) => q.bind(*f),
            Value::Text(s) => q.bind(s.clone()),
            Value::Blob(b) => q.bind(b.clone()),
        };
    }
    Ok(match want {
        Want::Nothing => {
            let done = q.execute(conn).await?;
            (
                Done {
                    rows: done.rows_affected(),
                },
                Vec::new(),
            )
        }
        Want::One => (
            Done { rows: 0 },
            q.fetch_optional(conn)
                .await?
                .map(Row::Any)
                .into_iter()
                .collect(),
        ),
        Want::All => (
            Done { rows: 0 },
            q.fetch_all(conn).await?.into_iter().map(Row::Any).collect(),
        ),
    })
}

/// Parameter names `$1`.. as SQLite sees them.
const PARAMS: [&str; 16] = [
    "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
    "$16",
];

fn lite_run(
    c: &rusqlite::Connection,
    sql: &str,
    args: &[Value],
    want: Want,
) -> rusqlite::Result<(Done, Vec<Row>)> {
    let mut stmt = c.prepare_cached(sql)?;
    for (i, v) in args.iter().enumerate() {
        let name;
        let name = match PARAMS.get(i) {
            Some(n) => *n,
            None => {
                name = format!("${}", i + 1);
                name.as_str()
            }
        };
        if let Some(at) = stmt.parameter_index(name)? {
            stmt.raw_bind_parameter(at, LiteValue(v))?;
        }
    }
    let names: Option<Arc<[String]>> = (want != Want::Nothing).then(|| {
        stmt.column_names()
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .into()
    });
    let width = stmt.column_count();
    let mut out = Vec::new();
    {
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next()? {
            let Some(names) = &names else { continue };
            if want == Want::One && !out.is_empty() {
                continue;
            }
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => Value::Null(Kind::Text),
                    ValueRef::Integer(i) => Value::Int(i),
                    ValueRef::Real(f) => Value::Real(f),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                });
            }
            out.push(Row::Lite(LiteRow {
                names: names.clone(),
                values,
            }));
        }
    }
    let rows = if want == Want::Nothing {
        c.changes()
    } else {
        0
    };
    stmt.clear_bindings();
    Ok((Done { rows }, out))
}

struct LiteValue<'a>(&'a Value);

impl rusqlite::ToSql for LiteValue<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as V, ValueRef as R};
        Ok(match self.0 {
            Value::Null(_) => ToSqlOutput::Owned(V::Null),
            Value::Int(i) => ToSqlOutput::Owned(V::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Owned(V::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(R::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(R::Blob(b)),
        })
    }
}

/// Opens a SQLite connection for the store: WAL (on a file), reads through memory mapping, the
/// prepared statements of the whole bot kept.
pub fn open_lite(url: &str, memory: bool) -> Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    // sqlite://path?query or sqlite:path?query → file:path?query (a URI SQLite reads itself).
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let uri = if rest.starts_with("file:") {
        rest.to_string()
    } else {
        format!("file:{rest}")
    };
    let c = rusqlite::Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.set_prepared_statement_cache_capacity(512);
    if !memory {
        c.pragma_update(None, "journal_mode", "WAL")?;
        // No memory map: whenever the other connection has committed, SQLite unmaps the whole
        // map at this one's next read (and maps it again); measured by the load bench, that
        // cost more than reading pages into the page cache.
        c.pragma_update(None, "mmap_size", 0i64)?;
    }
    c.pragma_update(None, "synchronous", "NORMAL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    c.pragma_update(None, "cache_size", -16_000i64)?;
    c.pragma_update(None, "wal_autocheckpoint", 50_000i64)?;
    // The savepoints of a batch's parts keep their journal in memory, not in a temporary file.
    c.pragma_update(None, "temp_store", "MEMORY")?;
    // Waits for the other connection are async (see `Conn::run`).
    c.busy_timeout(Duration::ZERO)?;
    Ok(c)
}

// ---------------------------------------------------------------------------------------------
// Batches: the updates of one getUpdates answer in few SQLite transactions
// ---------------------------------------------------------------------------------------------

/// The savepoint a transaction inside a batch is.
const SAVEPOINT: &str = "SAVEPOINT batch_part";
const RELEASE: &str = "RELEASE batch_part";
const ROLLBACK_TO: &str = "ROLLBACK TO batch_part";

tokio::task_local! {
    static BATCH: Batch;
}

/// Updates handled together on SQLite, in one transaction instead of one each: every
/// transaction begun inside [`Batch::run`] is a savepoint of the batch's transaction (its
/// rollback undoes its part alone; the part that begins the transaction needs none), and the batch's transaction commits as soon as no other
/// part waits for the connection, or after the batch's span while parts keep coming. A commit
/// writes the WAL once for many updates, and the update connection keeps its page cache.
///
/// What a part commits is durable only once its batch's transaction has committed: the
/// caller confirms the batch's updates after [`finish`](Self::finish) said it was, and takes
/// them all as failed otherwise (those committed by an earlier commit of the batch are then
/// recognised when they come back).
#[derive(Clone)]
pub struct Batch(Arc<BatchShared>);

struct BatchShared {
    /// The pool's connection this batch writes through.
    conn: Arc<Mutex<rusqlite::Connection>>,
    /// How long its transaction stays open at most while more parts are queued.
    span: Duration,
    slot: Arc<Mutex<Slot>>,
    /// Parts waiting for the slot (the transaction commits when none does).
    waiting: std::sync::atomic::AtomicUsize,
    /// A transaction of the batch was lost (rolled back by SQLite, or its commit failed).
    broken: std::sync::atomic::AtomicBool,
    /// The sender should look at the outbox once the open transaction commits.
    ring: std::sync::atomic::AtomicBool,
    fresh: Fresh,
}

#[derive(Default)]
struct Slot {
    /// The connection, held while the batch's transaction is open, and since when.
    held: Option<(OwnedMutexGuard<rusqlite::Connection>, std::time::Instant)>,
    /// Chats written to by the parts released into the open transaction.
    written: Vec<(OutboxChat, i64)>,
}

/// A part's hold on its batch's connection.
struct BatchConn {
    slot: OwnedMutexGuard<Slot>,
    shared: Arc<BatchShared>,
    /// Inside a savepoint (a transaction), or a plain connection for reads and single writes.
    part: bool,
    /// A transaction part that began the batch's transaction itself: it is the whole of that
    /// transaction so far, so it needs no savepoint (its rollback is the transaction's).
    whole: bool,
}

impl BatchConn {
    fn conn(&mut self) -> &mut rusqlite::Connection {
        &mut self
            .slot
            .held
            .as_mut()
            .expect("a batch part holds the connection")
            .0
    }
}

impl Drop for BatchConn {
    fn drop(&mut self) {
        let due = match &self.slot.held {
            Some((_, since)) => {
                self.shared
                    .waiting
                    .load(std::sync::atomic::Ordering::SeqCst)
                    == 0
                    || since.elapsed() >= self.shared.span
            }
            None => false,
        };
        if due {
            self.shared.commit(&mut self.slot);
        }
    }
}

impl BatchShared {
    /// Commits the batch's open transaction (if any) and hands its chats to the sender.
    fn commit(&self, slot: &mut Slot) {
        let Some((c, _)) = slot.held.take() else {
            return;
        };
        // Lost when SQLite rolled it back already (the connection is in autocommit again) or
        // when the commit fails.
        let lost = c.is_autocommit()
            || end_lite(&c, true)
                .inspect_err(
                    |e| tracing::error!(error = %e, "committing a batch of updates failed"),
                )
                .is_err();
        drop(c);
        let handed = !lost && !slot.written.is_empty();
        if lost {
            self.broken.store(true, std::sync::atomic::Ordering::SeqCst);
            slot.written.clear();
        } else {
            self.fresh.extend(slot.written.drain(..));
        }
        if self.ring.swap(false, std::sync::atomic::Ordering::SeqCst) || handed {
            self.fresh.ring();
        }
    }
}

impl Batch {
    /// A batch on `pool` (None unless it is SQLite's own connection).
    pub fn new(pool: &Pool, fresh: &Fresh, span: Duration) -> Option<Batch> {
        match pool {
            Pool::Lite(conn) => Some(Batch(Arc::new(BatchShared {
                conn: conn.clone(),
                span,
                slot: Arc::new(Mutex::new(Slot::default())),
                waiting: Default::default(),
                broken: Default::default(),
                ring: Default::default(),
                fresh: fresh.clone(),
            }))),
            Pool::Any(_) => None,
        }
    }

    /// Runs `work` with its transactions (and reads) on `pool` inside this batch.
    pub async fn run<F: std::future::Future>(&self, work: F) -> F::Output {
        BATCH.scope(self.clone(), work).await
    }

    /// Commits what is left open; whether everything the batch's parts committed is durable.
    pub async fn finish(self) -> bool {
        let mut slot = self.0.slot.clone().lock_owned().await;
        self.0.commit(&mut slot);
        !self.0.broken.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The batch the current task runs in, when it writes through `conn`.
    fn current(conn: &Arc<Mutex<rusqlite::Connection>>) -> Option<Batch> {
        BATCH
            .try_with(|b| Arc::ptr_eq(&b.0.conn, conn).then(|| b.clone()))
            .ok()
            .flatten()
    }

    /// A part of the batch: the connection inside the batch's transaction (opened if none is),
    /// within a savepoint when `part` is a transaction.
    async fn enter(&self, part: bool) -> Result<Conn> {
        use std::sync::atomic::Ordering::SeqCst;
        self.0.waiting.fetch_add(1, SeqCst);
        let mut slot = self.0.slot.clone().lock_owned().await;
        self.0.waiting.fetch_sub(1, SeqCst);
        if matches!(&slot.held, Some((c, _)) if c.is_autocommit()) {
            // SQLite rolled the batch's transaction back (a failure that undoes it whole).
            self.0.commit(&mut slot);
        }
        let opened = slot.held.is_none();
        if opened {
            let mut c = self.0.conn.clone().lock_owned().await;
            STATEMENTS.fetch_add(1, SeqCst);
            lite_run_waiting(&mut c, "BEGIN IMMEDIATE", &[], Want::Nothing).await?;
            slot.held = Some((c, std::time::Instant::now()));
        }
        let mut held = BatchConn {
            slot,
            shared: self.0.clone(),
            part,
            whole: part && opened,
        };
        if part && !opened {
            STATEMENTS.fetch_add(1, SeqCst);
            held.conn().execute_batch(SAVEPOINT)?;
        }
        Ok(Conn::new(Inner::Batch(held)))
    }
}

/// Notes that the sender should look at the outbox once the current batch commits; false
/// when the current task is not in a batch (the caller then tells the sender itself).
pub fn ring_after_batch() -> bool {
    BATCH
        .try_with(|b| b.0.ring.store(true, std::sync::atomic::Ordering::SeqCst))
        .is_ok()
}

/// Ends a batch part: a transaction's savepoint released (`keep`) or rolled back, or a plain
/// connection's writes kept; the batch then commits if nothing else waits.
fn end_part(conn: &mut Conn, keep: bool) -> Result<()> {
    let Inner::Batch(b) = &mut conn.inner else {
        return Ok(());
    };
    let mut result = Ok(());
    if b.whole {
        if !keep {
            // The part is the whole transaction: rolled back with it.
            if let Some((c, _)) = b.slot.held.take() {
                if !c.is_autocommit() {
                    result = end_lite(&c, false);
                }
            }
        }
    } else if b.part {
        STATEMENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let c = b.conn();
        result = if keep {
            c.execute_batch(RELEASE)
        } else {
            c.execute_batch(ROLLBACK_TO)
                .and_then(|()| c.execute_batch(RELEASE))
        };
        if result.is_err() && !c.is_autocommit() {
            // The part cannot be told apart from the rest any more: the batch is lost.
            let _ = end_lite(c, false);
        }
    }
    if keep && result.is_ok() {
        let written = std::mem::take(&mut conn.written);
        if let Inner::Batch(b) = &mut conn.inner {
            b.slot.written.extend(written);
        }
    } else {
        conn.written.clear();
    }
    // Dropping the hold commits the batch's transaction when nothing waits.
    conn.inner = Inner::Gone;
    result.map_err(Into::into)
}

/// A statement on SQLite, waiting (without holding a thread) while the other connection
/// writes, when outside a transaction.
async fn lite_run_waiting(
    c: &mut rusqlite::Connection,
    sql: &str,
    args: &[Value],
    want: Want,
) -> Result<(Done, Vec<Row>)> {
    let mut pause = Duration::from_micros(200);
    let started = std::time::Instant::now();
    if c.is_autocommit() {
        wait_for_restart().await;
    }
    loop {
        // Listening before trying: a write that ends in between still wakes this one.
        let ended = WRITE_ENDED.notified();
        tokio::pin!(ended);
        ended.as_mut().enable();
        let changed_before = c.total_changes();
        match lite_run(c, sql, args, want) {
            Err(e) if locked(&e) && c.is_autocommit() => {
                if started.elapsed() > LOCK_WAIT {
                    return Err(e.into());
                }
                // Woken when this process's other connection ends its write, or after a pause
                // (another process's write).
                let _ = tokio::time::timeout(pause, ended).await;
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Ok(done) => {
                if c.is_autocommit() && c.total_changes() != changed_before {
                    // A write of its own has ended.
                    write_ended();
                }
                return Ok(done);
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Ends the open SQLite transaction on `c`: COMMIT (rolled back if that fails) or ROLLBACK;
/// the other connection's statements waiting for the write lock are woken.
fn end_lite(c: &rusqlite::Connection, commit: bool) -> rusqlite::Result<()> {
    STATEMENTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let done = c.execute_batch(if commit { "COMMIT" } else { "ROLLBACK" });
    if done.is_err() && !c.is_autocommit() {
        let _ = c.execute_batch("ROLLBACK");
    }
    write_ended();
    done
}

/// Rung whenever a write transaction of this process ends (committed or rolled back), for
/// statements of its other connection waiting for the write lock.
static WRITE_ENDED: tokio::sync::Notify = tokio::sync::Notify::const_new();

fn write_ended() {
    WRITE_ENDED.notify_waiters();
}

// ---------------------------------------------------------------------------------------------
// Checkpoints: the WAL copied back into the database off the writers' path
// ---------------------------------------------------------------------------------------------

/// How often the checkpointer copies the WAL back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);
/// WAL frames (pages) past which the checkpointer has the WAL started again from its beginning.
const RESTART_AT: i64 = 20_000;
/// A restart waits for the writer under way and for readers in steps this long, this many
/// times at most (50 ms; it is tried again at the next round when they take longer).
const RESTART_STEP: Duration = Duration::from_micros(100);
const RESTART_TRIES: i32 = 500;

/// Set while the checkpointer restarts the WAL: this process's connections begin nothing
/// meanwhile (writes that follow each other closely would otherwise never leave it a moment
/// with none under way).
static RESTARTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// [`RESTARTING`] while it lives (unwinding included); writers waiting for it are woken
/// when it goes.
struct HoldingWritersBack;

impl HoldingWritersBack {
    fn new() -> HoldingWritersBack {
        RESTARTING.store(true, std::sync::atomic::Ordering::SeqCst);
        HoldingWritersBack
    }
}

impl Drop for HoldingWritersBack {
    fn drop(&mut self) {
        RESTARTING.store(false, std::sync::atomic::Ordering::SeqCst);
        write_ended();
    }
}

/// Waits (without holding a thread) while the checkpointer restarts the WAL.
async fn wait_for_restart() {
    use std::sync::atomic::Ordering::SeqCst;
    while RESTARTING.load(SeqCst) {
        let ended = WRITE_ENDED.notified();
        tokio::pin!(ended);
        ended.as_mut().enable();
        if !RESTARTING.load(SeqCst) {
            return;
        }
        let _ = tokio::time::timeout(Duration::from_millis(1), ended).await;
    }
}

/// Copies a SQLite file's WAL back into the database from a thread of its own (with its own
/// connection), so that commits do not wait for it.
///
/// Each round copies what it can without waiting for anyone (passive: writers go on; the copy
/// and its `fsync`s are off their path). The next write starts a WAL copied whole again from
/// its beginning; but writes that never pause would let it grow without end (a passive copy
/// never finds it whole), so past `restart_at` frames a restart follows: one more passive copy
/// (what was written during the first), then the restart, which copies what is left and holds
/// writers back for that long only (this process's, by [`RESTARTING`], begin nothing while it
/// waits for the one under way to end). The store's own
/// connections checkpoint themselves past 50,000 pages, should this thread fall behind. Stops
/// when dropped.
pub struct Checkpointer {
    stop: Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    pub fn start(url: &str) -> Result<Checkpointer> {
        Checkpointer::with(url, CHECKPOINT_EVERY, RESTART_AT)
    }

    fn with(url: &str, every: Duration, restart_at: i64) -> Result<Checkpointer> {
        let conn = open_lite(url, false)?;
        // Short steps: the writer under way is done within a few milliseconds.
        conn.busy_handler(Some(|tries| {
            std::thread::sleep(RESTART_STEP);
            tries < RESTART_TRIES
        }))?;
        let stop = Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
        let told = stop.clone();
        let thread = std::thread::Builder::new()
            .name("cskh-checkpoint".into())
            .spawn(move || {
                let (lock, signal) = &*told;
                let mut stopped = lock.lock().unwrap();
                loop {
                    stopped = signal.wait_timeout(stopped, every).unwrap().0;
                    if *stopped {
                        return;
                    }
                    if let Err(e) = checkpoint(&conn, restart_at) {
                        tracing::warn!(error = %e, "checkpointing the SQLite WAL failed");
                    }
                }
            })
            .map_err(|e| StoreError::Corrupt(format!("starting the checkpoint thread: {e}")))?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

/// One round of the [`Checkpointer`].
fn checkpoint(conn: &rusqlite::Connection, restart_at: i64) -> rusqlite::Result<()> {
    let run = |mode: &str| {
        conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
            r.get::<_, i64>(1)
        })
    };
    if run("PASSIVE")? < restart_at {
        return Ok(());
    }
    // What was written meanwhile, copied too: the restart has little left to copy while it
    // holds writers back.
    run("PASSIVE")?;
    let restarted = {
        let _held = HoldingWritersBack::new();
        run("RESTART")
    };
    match restarted {
        // Busy (the writer or a reader took longer than the wait): the next round.
        Err(e) if locked(&e) => Ok(()),
        other => other.map(drop),
    }
}

impl std::fmt::Debug for Checkpointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Checkpointer")
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        *self.stop.0.lock().unwrap() = true;
        self.stop.1.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checkpoint sequence number in the header of the WAL of `path`: one more each time
    /// the WAL starts again from its beginning.
    fn wal_restarts(path: &std::path::Path) -> Option<u32> {
        use std::io::Read;
        let mut header = [0u8; 16];
        let mut wal = std::fs::File::open(path.with_extension("db-wal")).ok()?;
        wal.read_exact(&mut header).ok()?;
        Some(u32::from_be_bytes(header[12..16].try_into().unwrap()))
    }

    #[tokio::test]
    async fn the_checkpointer_starts_the_wal_again_under_writes_that_never_pause() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let conn = open_lite(&url, false).unwrap();
        let pool = Pool::Lite(Arc::new(Mutex::new(conn)));
        query("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let writes = 6_000;
        let checkpointer = Checkpointer::with(&url, Duration::from_millis(5), 300).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..writes {
            // A page and more per commit, none of them ever written again.
            query("INSERT INTO t (id, b) VALUES ($1, zeroblob(5000))")
                .bind(i)
                .execute(&pool)
                .await
                .unwrap();
            seen.extend(wal_restarts(&path));
        }
        drop(checkpointer);
        // Without the checkpointer (the connection's own checkpoint is at 50,000 pages), or
        // with passive copies alone, the WAL never starts again while writes go on: it grows
        // by three frames or more a write. With it, the WAL starts again past about 300 frames
        // (how often depends on the disk: an `fsync` of the copy may take a while).
        let restarts = seen.len().saturating_sub(1);
        assert!(
            restarts >= 2,
            "the WAL started again {restarts} times in {writes} writes"
        );
        let (rows,): (i64,) = query_as("SELECT COUNT(*) FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, writes);
    }
}
