//! Builds an engine on a fresh database with a clock the test controls, and a delivery that
//! records what would have been sent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use cskh::channels::{Channel, Content, Earlier, File, Limits};
use cskh::delivery::{Delivery, SendError, Sent as ChannelSent};
use cskh::dialogue::{Attachment, Lang};
use cskh::engine::{Engine, ManualClock, Settings, StaffChat};
use cskh::policy::{Company, Params};
use cskh::store::Store;

pub const STAFF_CHAT: i64 = -100_777;

/// A unique in-memory SQLite database name per call.
pub fn memory_db() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "sqlite:file:cskh_test_{}_{}?mode=memory&cache=shared",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// 09:00 in Vietnam on that date.
pub fn vn_morning(date: NaiveDate) -> DateTime<Utc> {
    chrono_tz::Asia::Ho_Chi_Minh
        .from_local_datetime(&date.and_hms_opt(9, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn settings(params: Params) -> Settings {
    Settings {
        params,
        company: Company::default(),
        tz: chrono_tz::Asia::Ho_Chi_Minh,
        staff: StaffChat {
            chat_id: STAFF_CHAT,
            thread_id: None,
        },
        staff_lang: Lang::Vi,
        callback: cskh::policy::Callback::default(),
        hours: cskh::policy::hours::BusinessHours::default(),
        reminders: cskh::policy::Reminders::default(),
        phrases: Arc::new(cskh::text::Phrasebook::builtin().clone()),
        ops: cskh::engine::Operations::default(),
        // The tests of everything but personal data run as a company that holds its
        // customers' consent on file; those of personal data ask, as a real deployment does.
        privacy: cskh::dialogue::privacy::PrivacySettings {
            consent: cskh::dialogue::privacy::ConsentMode::OnFile,
            ..Default::default()
        },
        link_secret: None,
        bot_username: None,
        business_takeover_minutes: 30,
    }
}

/// Every (table, column) of text whose value contains `needle` (case-insensitive), in every
/// table of the database: the schema is read from the database itself.
pub async fn text_columns_containing(store: &Store, needle: &str) -> Vec<(String, String)> {
    use sqlx::Row;
    let postgres = store.backend == cskh::store::Backend::Postgres;
    let columns: Vec<(String, String)> = if postgres {
        sqlx::query(
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = current_schema() \
               AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')",
        )
        .fetch_all(&store.pool)
        .await
        .expect("the schema is readable")
        .iter()
        .map(|r| (r.get("t"), r.get("c")))
        .collect()
    } else {
        let tables: Vec<String> = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(&store.pool)
        .await
        .expect("the schema is readable")
        .iter()
        .map(|r| r.get("name"))
        .collect();
        let mut out = Vec::new();
        for t in tables {
            // Every column, whatever its declared type: SQLite keeps text in any of them.
            for r in sqlx::query(&format!("SELECT name FROM pragma_table_info('{t}')"))
                .fetch_all(&store.pool)
                .await
                .expect("the schema is readable")
            {
                out.push((t.clone(), r.get("name")));
            }
        }
        out
    };
    assert!(columns.len() > 20, "the schema was not read: {columns:?}");
    let mut found = Vec::new();
    let needle = needle.to_lowercase();
    for (t, c) in columns {
        let sql =
            format!("SELECT COUNT(*) AS n FROM \"{t}\" WHERE LOWER(CAST(\"{c}\" AS TEXT)) LIKE $1");
        let n: i64 = sqlx::query(&sql)
            .bind(format!("%{needle}%"))
            .fetch_one(&store.pool)
            .await
            .map(|r| r.get("n"))
            .unwrap_or_else(|e| panic!("{t}.{c} cannot be read: {e}"));
        if n > 0 {
            found.push((t, c));
        }
    }
    found
}

/// One message as the recording transport saw it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub chat_id: i64,
    #[allow(dead_code)] // kept for tests of forum topics
    pub thread_id: Option<i64>,
    pub message_id: i64,
    pub msg: Shown,
}

/// A part as the tests look at it: what Telegram would show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shown {
    pub text: String,
    pub buttons: Vec<Vec<(String, String)>>,
    pub attachment: Option<Attachment>,
    pub upload: Option<(String, String)>,
    /// A picture the bot made: its name and PNG bytes.
    pub picture: Option<(String, Vec<u8>)>,
    pub contact_button: Option<String>,
    pub remove_keyboard: bool,
    pub edit_message_id: Option<i64>,
    pub reply_to: Option<i64>,
    pub new_topic: Option<String>,
    pub rename_topic: Option<String>,
}

impl Shown {
    fn of(part: &Content) -> Shown {
        let m = match part {
            Content::OpenCaseThread { title } => {
                return Shown {
                    new_topic: Some(title.clone()),
                    ..Shown::default()
                }
            }
            Content::RenameCaseThread { title } => {
                return Shown {
                    rename_topic: Some(title.clone()),
                    ..Shown::default()
                }
            }
            Content::Message(m) => m,
        };
        let earlier = |e: Option<Earlier>| match e {
            Some(Earlier::Message(id)) => Some(id),
            _ => None,
        };
        Shown {
            text: m.text.clone(),
            buttons: m.buttons.clone(),
            attachment: match &m.file {
                Some(File::Received(a)) => Some(a.clone()),
                _ => None,
            },
            upload: match &m.file {
                Some(File::Made { name, content }) => Some((name.clone(), content.clone())),
                _ => None,
            },
            picture: match &m.file {
                Some(f @ File::Picture { name, .. }) => Some((
                    name.clone(),
                    f.picture_bytes().expect("base64 that decodes"),
                )),
                _ => None,
            },
            contact_button: m.ask_phone.clone(),
            remove_keyboard: m.choices_over,
            edit_message_id: earlier(m.edit_of),
            reply_to: earlier(m.reply_to),
            new_topic: None,
            rename_topic: None,
        }
    }
}

/// Records every send; can be told to fail for a chat.
#[derive(Default)]
pub struct Recorder {
    pub sent: Mutex<Vec<Sent>>,
    pub fail: Mutex<Vec<(i64, SendError)>>,
    next_id: AtomicU64,
}

impl Recorder {
    /// The next send into `chat_id` fails this way, once.
    pub fn fail_next(&self, chat_id: i64, error: SendError) {
        self.fail.lock().unwrap().push((chat_id, error));
    }

    pub fn take(&self) -> Vec<Sent> {
        std::mem::take(&mut *self.sent.lock().unwrap())
    }

    pub fn all(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }
}

/// The recorder cuts content as Telegram does, so that transcripts show what Telegram would.
impl Channel for Recorder {
    fn limits(&self) -> Limits {
        Limits::default()
    }

    fn parts(&self, content: &Content) -> Vec<Content> {
        cskh::channels::telegram::parts(content)
    }

    async fn send(
        &self,
        address: &str,
        thread_id: Option<i64>,
        part: &Content,
    ) -> Result<ChannelSent, SendError> {
        let chat_id: i64 = address.parse().expect("the recorder's chats are numbers");
        let msg = Shown::of(part);
        {
            let mut fail = self.fail.lock().unwrap();
            if let Some(i) = fail.iter().position(|(c, _)| *c == chat_id) {
                return Err(fail.remove(i).1);
            }
        }
        let message_id = match msg.edit_message_id {
            Some(id) => id,
            None => self.next_id.fetch_add(1, Ordering::Relaxed) as i64 + 1,
        };
        self.sent.lock().unwrap().push(Sent {
            chat_id,
            thread_id,
            message_id,
            msg,
        });
        Ok(ChannelSent::message(message_id))
    }
}

/// An engine, its clock, and a delivery into a recorder.
pub struct TestApp {
    pub db: String,
    pub engine: Engine,
    pub clock: Arc<ManualClock>,
    pub recorder: Arc<Recorder>,
    pub delivery: Delivery,
}

impl TestApp {
    pub async fn new(today: NaiveDate) -> TestApp {
        TestApp::on(&memory_db(), today, Params::default()).await
    }

    /// An app on an existing database (a "restart" when another app used it before).
    pub async fn on(db: &str, today: NaiveDate, params: Params) -> TestApp {
        let store = Store::connect(db).await.expect("database opens");
        let clock = Arc::new(ManualClock::new(vn_morning(today)));
        let engine = Engine::new(store, settings(params), clock.clone());
        let recorder = Arc::new(Recorder::default());
        let delivery = Delivery::new(engine.clone(), recorder.clone());
        TestApp {
            db: db.to_string(),
            engine,
            clock,
            recorder,
            delivery,
        }
    }
}

impl TestApp {
    /// An app on `db` with these settings (a supervisor, holidays, other hours).
    pub async fn with_settings(db: &str, today: NaiveDate, settings: Settings) -> TestApp {
        let store = Store::connect(db).await.expect("database opens");
        let clock = Arc::new(ManualClock::new(vn_morning(today)));
        let engine = Engine::new(store, settings, clock.clone());
        let recorder = Arc::new(Recorder::default());
        let delivery = Delivery::new(engine.clone(), recorder.clone());
        TestApp {
            db: db.to_string(),
            engine,
            clock,
            recorder,
            delivery,
        }
    }
}

/// A database two processes can open at once: a fresh PostgreSQL database when
/// TEST_POSTGRES_URL is set, else a SQLite file in a temporary folder (removed on drop).
pub struct SharedDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL server's URL and this database's name, to drop it when done.
    postgres: Option<(String, String)>,
}

impl Drop for SharedDb {
    /// A PostgreSQL test database is dropped (its connections cut), so that runs on a machine
    /// that keeps its server do not pile databases up.
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // A thread of its own: this may run inside a test's runtime, which cannot block on itself.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                let pool = sqlx::AnyPool::connect(&admin).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&pool)
                    .await?;
                pool.close().await;
                Ok::<_, sqlx::Error>(())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("dropping a test database failed: {e}");
        }
    }
}

impl SharedDb {
    /// A SQLite database at `url`, in `dir` (removed on drop).
    pub fn sqlite(url: String, dir: tempfile::TempDir) -> SharedDb {
        SharedDb {
            url,
            _dir: Some(dir),
            postgres: None,
        }
    }
}

pub async fn shared_db() -> SharedDb {
    if let Some(base) = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&base)
            .await
            .expect("TEST_POSTGRES_URL connects");
        static N: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "cskh_shared_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create database");
        let (prefix, _) = base.rsplit_once('/').expect("URL with a database name");
        admin.close().await;
        return SharedDb {
            url: format!("{prefix}/{name}"),
            _dir: None,
            postgres: Some((base, name)),
        };
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    SharedDb {
        url: format!("sqlite://{}", dir.path().join("cskh.db").display()),
        _dir: Some(dir),
        postgres: None,
    }
}

/// The real `cskh` binary, for `args`, against the fake Bot API at `api_url` and the database
/// `db`: the bot token the fake accepts, the staff group, errors only in its log, no settings
/// file, nothing on stdin or stdout (the caller sets stderr and anything more).
pub fn cskh_command(args: &[&str], api_url: &str, db: &str) -> std::process::Command {
    use std::process::Stdio;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cskh"));
    command
        .args(args)
        .env("TELOXIDE_TOKEN", crate::fake_api::FakeBotApi::TOKEN)
        .env("TELOXIDE_API_URL", api_url)
        .env("STAFF_CHAT_ID", STAFF_CHAT.to_string())
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        // A company that holds its customers' consent on file (see `support::settings`).
        .env(
            "CSKH_CONFIG",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/consent-on-file.toml"
            ),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// The stored customer whose Telegram user id is `telegram_id`.
pub async fn telegram_customer(store: &Store, telegram_id: i64) -> cskh::dialogue::Customer {
    let id = store
        .customer_of_identity("telegram", &telegram_id.to_string())
        .await
        .expect("the store answers")
        .unwrap_or_else(|| panic!("no customer with Telegram id {telegram_id}"));
    store
        .customer(id)
        .await
        .expect("the store answers")
        .expect("the customer of an identity exists")
}
