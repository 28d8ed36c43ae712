//! The one orchestrator: load the conversation, step it, commit state + records + outbox +
//! update id in one transaction, then wake delivery.

mod cases;
mod health;
pub mod jobs;
pub mod privacy;
mod stats;
mod step;
mod business;
mod links;
mod topics;

pub use business::BusinessChat;
pub use health::{Alert, Change, HealthWatch, Operations};
pub use links::LinkSetupError;
pub use stats::{Figures, Span, CHART_KINDS, CHART_OUTCOMES, CHART_PERIODS, OUTCOMES};
pub use topics::ThreadRenewal;

pub use cases::{
    CaseAction, CaseActionOutcome, StaffCaseAction, StaffMessage, StaffMessageOutcome,
    CASE_EVENT_KINDS,
};

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use tokio::sync::Notify;

use crate::dialogue::{cards, Customer, Input, Lang, Msg, Request, RequestKind, RequestStatus};
use crate::i18n::Renderer;
use crate::policy::{self, Company, Params};
use crate::store::{self, Content, SeenUser, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Chart(#[from] crate::charts::ChartError),
}

/// Where "now" comes from: the system clock, or a clock the tests move.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move.
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(now: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new(now))
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self.0.lock().unwrap() = now;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap();
        *t += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// The staff group: a chat, maybe a forum topic in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffChat {
    pub chat_id: i64,
    pub thread_id: Option<i64>,
}

/// Everything the engine needs besides the database.
#[derive(Debug, Clone)]
pub struct Settings {
    pub params: Params,
    pub company: Company,
    pub tz: Tz,
    pub staff: StaffChat,
    /// The language of the staff group.
    pub staff_lang: Lang,
    /// How soon the hotline calls a customer back.
    pub callback: crate::policy::Callback,
    /// When customer care works (call-back deadlines count only these hours).
    pub hours: crate::policy::hours::BusinessHours,
    /// Deferred-job reminders and aftercare check-ins.
    pub reminders: crate::policy::Reminders,
    /// The phrases that tell intents apart (built in, plus the company's own).
    pub phrases: Arc<crate::text::Phrasebook>,
    /// The morning summary, the health alerts, the staff web page.
    pub ops: Operations,
    /// The personal-data notice, consent, retention and erasure.
    pub privacy: crate::dialogue::privacy::PrivacySettings,
    /// Signs the invoice deep links (LINK_SECRET); unset, a secret made at the first start
    /// and kept in the database.
    pub link_secret: Option<String>,
    /// The bot's Telegram username (BOT_USERNAME), for links printed without Telegram; unset,
    /// the one Telegram gave at the bot's last start.
    pub bot_username: Option<String>,
    /// Minutes the bot stays silent in a chat of the company's Telegram Business account after
    /// a person of the company wrote there (BUSINESS_TAKEOVER_MINUTES).
    pub business_takeover_minutes: i64,
}

/// A customer's message or button press, as a channel saw it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// A key unique to the update ("tg:123"): the same key twice is handled once.
    pub key: Option<String>,
    pub user: SeenUser,
    /// The user's client language, used for the first greeting.
    pub input: Input,
}

/// A staff button press, after the channel checked the presser belongs to the staff group.
#[derive(Debug, Clone)]
pub struct StaffAction {
    pub key: Option<String>,
    pub staff_id: i64,
    pub staff_name: String,
    pub request_id: i64,
    pub approve: bool,
    /// The card the button was on (chat id, message id), to edit it.
    pub card: Option<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    Done,
    /// The update was handled before: nothing was done again.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffOutcome {
    Decided {
        request: String,
        approved: bool,
    },
    AlreadyDecided {
        request: String,
        by: Option<String>,
        status: RequestStatus,
    },
    NotFound,
    Duplicate,
}

/// How long the transaction a batch of updates shares stays open at most while more of its
/// updates wait (a bound on how long the sender waits to record a send meanwhile).
const BATCH_SPAN: std::time::Duration = std::time::Duration::from_millis(10);

/// How long the key of a handled update is kept (seconds): an update sent again is recognised
/// within it. Telegram gives up on an unconfirmed update after 24 hours, and after a week
/// without updates may number the next ones afresh, from ids an old key could hold; Zalo sends
/// an event again within minutes.
pub const UPDATE_KEYS_KEPT: i64 = 3 * 86_400;

/// How many update keys one statement forgets.
const FORGET_UPDATES_AT_ONCE: i64 = 5_000;

/// Updates handled together: on SQLite their transactions share few commits (a batch of
/// [`store::db::Batch`]); elsewhere each update keeps its own transaction.
pub struct Batch(Option<store::db::Batch>);

impl Batch {
    /// Handles `work` (one chat's updates) as part of the batch.
    pub async fn run<F: std::future::Future>(&self, work: F) -> F::Output {
        match &self.0 {
            Some(b) => b.run(work).await,
            None => work.await,
        }
    }

    /// Commits what is left open; whether everything the batch's parts committed is durable
    /// (if not, none of its updates may be confirmed).
    pub async fn finish(self) -> bool {
        match self.0 {
            Some(b) => b.finish().await,
            None => true,
        }
    }
}

#[derive(Clone)]
pub struct Engine {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    pub renderer: Renderer,
    wake: Arc<Notify>,
    jobs_wake: Arc<Notify>,
    /// Until when (this process's monotonic clock) the sender lease is surely held, when this
    /// process sends under the lease; None when no lease governs it (the terminal, tests).
    sender_until: Arc<std::sync::Mutex<Option<std::time::Instant>>>,
}

impl Engine {
    pub fn new(store: Store, settings: Settings, clock: Arc<dyn Clock>) -> Engine {
        let renderer = Renderer::new(settings.tz);
        let wake = Arc::new(Notify::new());
        store.set_sender_wake(wake.clone());
        Engine {
            store,
            settings: Arc::new(settings),
            clock,
            renderer,
            wake,
            jobs_wake: Arc::new(Notify::new()),
            sender_until: Arc::new(std::sync::Mutex::new(None)),
        }
    }

    /// Sets until when the sender lease is surely held (by the monotonic clock: a process
    /// frozen past it, whose lease another process may have taken meanwhile, sends nothing
    /// until it has renewed).
    pub fn set_sender_until(&self, until: Option<std::time::Instant>) {
        *self.sender_until.lock().unwrap() = until;
    }

    pub fn sender_until(&self) -> Option<std::time::Instant> {
        *self.sender_until.lock().unwrap()
    }

    /// Whether a send may start now (see [`set_sender_until`](Self::set_sender_until)).
    pub fn may_send(&self) -> bool {
        self.sender_until()
            .is_none_or(|until| std::time::Instant::now() < until)
    }

    /// Notified whenever jobs may have been added (the scheduler then looks again).
    pub fn jobs_signal(&self) -> Arc<Notify> {
        self.jobs_wake.clone()
    }

    fn jobs_changed(&self) {
        self.jobs_wake.notify_one();
    }

    /// Tells the sender that the outbox changed (inside a batch: once the batch's transaction
    /// has committed, see [`Batch`]).
    fn outbox_changed(&self) {
        if !store::db::ring_after_batch() {
            self.wake.notify_one();
        }
    }

    /// A batch of updates to handle together (see [`Batch`]).
    pub fn batch(&self) -> Batch {
        Batch(self.store.batch(BATCH_SPAN))
    }

    /// Notified whenever new outbox rows were committed.
    pub fn outbox_signal(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    pub fn today(&self) -> NaiveDate {
        policy::local_today(self.clock.now(), self.settings.tz)
    }

    /// Opens a transaction for an update, unless the update was handled before (None then).
    async fn begin_once(
        &self,
        key: Option<&str>,
        now: i64,
    ) -> Result<Option<store::Tx>, EngineError> {
        let mut tx = self.store.begin().await?;
        if let Some(key) = key {
            if !store::mark_update(&mut tx, key, now).await? {
                tx.rollback().await?;
                return Ok(None);
            }
        }
        Ok(Some(tx))
    }

    /// Forgets the keys of updates handled more than [`UPDATE_KEYS_KEPT`] seconds ago, a few
    /// thousand per statement so that updates coming meanwhile wait for none of it long.
    /// Returns how many were forgotten.
    pub async fn forget_old_updates(&self) -> Result<u64, EngineError> {
        let before = self.clock.now().timestamp() - UPDATE_KEYS_KEPT;
        let mut forgotten = 0;
        loop {
            let mut conn = self.store.conn().await?;
            let n = store::forget_updates(&mut conn, before, FORGET_UPDATES_AT_ONCE).await?;
            drop(conn);
            forgotten += n;
            if n < FORGET_UPDATES_AT_ONCE as u64 {
                return Ok(forgotten);
            }
            tokio::task::yield_now().await;
        }
    }

    /// Handles one customer input end to end (except sending, which delivery does), and
    /// records its outcome and latency for the metrics.
    pub async fn handle(&self, inc: Incoming) -> Result<Handled, EngineError> {
        self.handle_in_album(inc, None).await
    }

    /// [`handle`](Self::handle) for a file that is part of an album (`album` = Telegram's
    /// media group id): the second and later files of one album are handled like the first,
    /// but the customer gets one acknowledgement for the album, not one per file.
    pub async fn handle_in_album(
        &self,
        inc: Incoming,
        album: Option<String>,
    ) -> Result<Handled, EngineError> {
        let started = std::time::Instant::now();
        let result = self.handle_gated(inc, album).await;
        let outcome = match &result {
            Ok(Handled::Done) => "done",
            Ok(Handled::Duplicate) => "duplicate",
            Err(_) => "error",
        };
        metrics::counter!("cskh_updates_total", "outcome" => outcome, "from" => "customer")
            .increment(1);
        metrics::histogram!("cskh_update_seconds").record(started.elapsed().as_secs_f64());
        result
    }

    fn outgoing(&self, lang: Lang, msg: &Msg, created: Option<&(String, i64)>) -> store::Message {
        let r = self
            .renderer
            .render(lang, msg, created.map(|(no, id)| (no.as_str(), *id)));
        store::Message {
            text: r.text,
            buttons: r.buttons,
            file: msg.attachment.clone().map(store::File::Received),
            choices_over: msg.remove_keyboard,
            ask_phone: msg
                .contact_button
                .as_ref()
                .map(|p| self.renderer.part(lang, p, None)),
            notice: msg.notice.clone(),
            typed_phone_text: msg.typed_phone().map(|typed| {
                self.renderer
                    .render(lang, &typed, created.map(|(no, id)| (no.as_str(), *id)))
                    .text
            }),
            ..store::Message::default()
        }
    }

    /// Queues a message (the channel cuts it to its own limits when it sends it).
    #[allow(clippy::too_many_arguments)]
    async fn enqueue(
        &self,
        conn: &mut store::Conn,
        chat_id: i64,
        thread_id: Option<i64>,
        customer_id: Option<i64>,
        request_id: Option<i64>,
        out: impl Into<Content>,
        now: i64,
    ) -> Result<(), EngineError> {
        self.enqueue_rows(conn, chat_id, thread_id, customer_id, request_id, out, now)
            .await
            .map(drop)
    }

    /// A message into the staff group, in the transaction given.
    async fn staff_notice(
        &self,
        conn: &mut store::Conn,
        msg: &Msg,
        now: i64,
    ) -> Result<(), EngineError> {
        let out = self.outgoing(self.settings.staff_lang, msg, None);
        self.to_staff_topic(conn, None, out, now).await
    }

    /// A message made for the staff group, into `thread_id` (the topic a command came from)
    /// or else the group's own topic.
    async fn to_staff_topic(
        &self,
        conn: &mut store::Conn,
        thread_id: Option<i64>,
        out: store::Message,
        now: i64,
    ) -> Result<(), EngineError> {
        let staff = self.settings.staff;
        let thread = thread_id.or(staff.thread_id);
        self.enqueue(conn, staff.chat_id, thread, None, None, out, now)
            .await
    }

    /// [`enqueue`](Self::enqueue), returning the outbox rows written, in order.
    #[allow(clippy::too_many_arguments)]
    async fn enqueue_rows(
        &self,
        conn: &mut store::Conn,
        chat_id: i64,
        thread_id: Option<i64>,
        customer_id: Option<i64>,
        request_id: Option<i64>,
        out: impl Into<Content>,
        now: i64,
    ) -> Result<Vec<i64>, EngineError> {
        let out = out.into();
        let row =
            store::enqueue(conn, chat_id, thread_id, customer_id, request_id, &out, now).await?;
        Ok(vec![row])
    }

    /// Queues a message to a customer where they last wrote from; returns the outbox rows
    /// written, in order.
    async fn enqueue_to_customer(
        &self,
        conn: &mut store::Conn,
        customer: &Customer,
        request_id: Option<i64>,
        out: impl Into<Content>,
        now: i64,
    ) -> Result<Vec<i64>, EngineError> {
        let out = out.into();
        let row = store::enqueue_to_customer(conn, customer, request_id, &out, now).await?;
        Ok(vec![row])
    }

    /// The request's card into the staff group, then the files the customer sent.
    async fn enqueue_card(
        &self,
        conn: &mut store::Conn,
        req: &Request,
        customer: &Customer,
        now: i64,
    ) -> Result<(), EngineError> {
        let staff = self.settings.staff;
        let lang = self.settings.staff_lang;
        let card = self.outgoing(lang, &cards::staff_card(req, customer), None);
        self.enqueue(
            conn,
            staff.chat_id,
            staff.thread_id,
            None,
            Some(req.id),
            &card,
            now,
        )
        .await?;
        // The customer's long texts, cut on the card, follow it in full.
        for text in cards::full_texts(req) {
            let out = self.outgoing(lang, &text, None);
            let (chat, thread) = (staff.chat_id, staff.thread_id);
            self.enqueue(conn, chat, thread, None, Some(req.id), &out, now)
                .await?;
        }
        let files = req
            .confirmation()
            .cloned()
            .map(|a| (a, true))
            .into_iter()
            .chain(req.attachments.iter().cloned().map(|a| (a, false)));
        for (attachment, confirmation) in files {
            let caption = cards::attachment_caption(req, confirmation).with_attachment(attachment);
            let out = self.outgoing(lang, &caption, None);
            self.enqueue(
                conn,
                staff.chat_id,
                staff.thread_id,
                None,
                Some(req.id),
                &out,
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// A staff member pressed Duyệt or Từ chối.
    pub async fn staff_decide(&self, act: StaffAction) -> Result<StaffOutcome, EngineError> {
        let unix = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(act.key.as_deref(), unix).await? else {
            return Ok(StaffOutcome::Duplicate);
        };
        let Some(req) = store::request(&mut tx, act.request_id).await? else {
            tx.commit().await?;
            return Ok(StaffOutcome::NotFound);
        };
        let to = if act.approve {
            RequestStatus::StaffApproved
        } else {
            RequestStatus::StaffRejected
        };
        let moved = store::change_status(
            &mut tx,
            req.id,
            &[RequestStatus::Review, RequestStatus::Exception],
            to,
            Some((&act.staff_name, act.staff_id, unix)),
        )
        .await?;
        if !moved {
            tx.commit().await?;
            return Ok(StaffOutcome::AlreadyDecided {
                request: req.number(),
                by: req.decided_by,
                status: req.status,
            });
        }
        store::add_event(
            &mut tx,
            req.id,
            unix,
            &format!("staff:{}:{}", act.staff_id, act.staff_name),
            to.code(),
        )
        .await?;
        let req = store::request(&mut tx, req.id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("request vanished".into()))?;
        self.after_staff_decision(&mut tx, &req, act.card, unix)
            .await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(StaffOutcome::Decided {
            request: req.number(),
            approved: act.approve,
        })
    }

    /// A staff decision recorded: an approved deferral's reminders, the customer told, the
    /// card updated (in place when the press came from it).
    async fn after_staff_decision(
        &self,
        conn: &mut store::Conn,
        req: &Request,
        card_pressed: Option<(i64, i64)>,
        now: i64,
    ) -> Result<(), EngineError> {
        let customer = store::customer_of(conn, req.customer_id).await?;
        if req.status == RequestStatus::StaffApproved && req.kind() == RequestKind::Deferral {
            self.schedule_deferral(conn, req, now).await?;
        }
        if !customer.unreachable {
            let msg = cards::staff_decision_for_customer(req, &self.settings.company);
            let out = self.outgoing(customer.lang, &msg, None);
            self.enqueue_to_customer(conn, &customer, Some(req.id), &out, now)
                .await?;
        }
        let staff_card = cards::staff_card(req, &customer);
        let mut card = self.outgoing(self.settings.staff_lang, &staff_card, None);
        let (chat, thread) = match card_pressed {
            Some((chat, message_id)) => {
                card.edit_of = Some(store::Earlier::Message(message_id));
                (chat, None)
            }
            None => (self.settings.staff.chat_id, self.settings.staff.thread_id),
        };
        self.enqueue(conn, chat, thread, None, Some(req.id), &card, now)
            .await
    }

    /// Telegram said the customer blocked the bot: mark them, drop what waits for them, tell staff.
    pub async fn customer_blocked(
        &self,
        key: Option<String>,
        customer_id: i64,
    ) -> Result<Handled, EngineError> {
        let unix = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(key.as_deref(), unix).await? else {
            return Ok(Handled::Duplicate);
        };
        if store::mark_unreachable(&mut tx, customer_id, unix).await? {
            self.cases_lost_customer(&mut tx, customer_id, unix).await?;
            if let Some(customer) = store::customer(&mut tx, customer_id).await? {
                let msg = cards::blocked_notice(&customer);
                self.staff_notice(&mut tx, &msg, unix).await?;
            }
        }
        tx.commit().await?;
        self.outbox_changed();
        Ok(Handled::Done)
    }

    /// A message to a customer could not go by their channel now (outside its free reply
    /// window): staff are asked, in the group, to call them and tell them `text`.
    pub async fn call_instead(&self, customer_id: i64, text: String) -> Result<(), EngineError> {
        let unix = self.clock.now().timestamp();
        let mut tx = self.store.begin().await?;
        if let Some(customer) = store::customer(&mut tx, customer_id).await? {
            let msg = cards::call_instead(&customer, &text);
            self.staff_notice(&mut tx, &msg, unix).await?;
        }
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }

    /// A file for a customer that their channel cannot carry (`kind`: photo, video, voice,
    /// other; `file`: its name as shown): staff are asked to call them.
    pub async fn file_not_carried(
        &self,
        customer_id: i64,
        kind: &str,
        file: &str,
    ) -> Result<(), EngineError> {
        let unix = self.clock.now().timestamp();
        let mut tx = self.store.begin().await?;
        if let Some(customer) = store::customer(&mut tx, customer_id).await? {
            let staff = self.settings.staff;
            let msg = cards::file_not_carried(&customer, kind, file);
            let out = self.outgoing(self.settings.staff_lang, &msg, None);
            let (chat, thread) = (staff.chat_id, staff.thread_id);
            self.enqueue(&mut tx, chat, thread, None, None, &out, unix)
                .await?;
        }
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }

    /// The Zalo Official Account's token could not be refreshed: recorded, and staff told in
    /// the group the first time since the last refresh that worked.
    pub async fn zalo_token_failed(&self, app_id: &str, error: &str) -> Result<(), EngineError> {
        let unix = self.clock.now().timestamp();
        let mut tx = self.store.begin().await?;
        if store::zalo_refresh_failed(&mut tx, app_id, error, unix).await? {
            let msg =
                Msg::new(crate::dialogue::Part::new("staff-zalo-token-failed").str("error", error));
            self.staff_notice(&mut tx, &msg, unix).await?;
        }
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }

    /// Renders a message in a language (for channels that answer directly, e.g. callback toasts).
    pub fn text(&self, lang: Lang, msg: &Msg) -> String {
        self.renderer.render(lang, msg, None).text
    }
}
