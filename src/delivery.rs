//! Sends the outbox: in order within a chat, chats independent of each other (a staff group held
//! back by a rate limit never delays a customer's answer), retried after a 429, a network fault
//! or a restart; a customer who blocked the bot is marked unreachable and staff are told.

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinSet;

use crate::engine::Engine;
use crate::store::{OutboxRow, Outgoing};

/// How a send failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The customer blocked the bot (403), or the chat is gone: never retry.
    Blocked,
    /// Telegram asks to wait (429).
    RetryAfter(u64),
    /// A network fault or a 5xx: try again later.
    Transient(String),
    /// Telegram refused the message itself: retrying would not help.
    Permanent(String),
}

/// What a channel reports about a message it sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sent {
    pub message_id: Option<i64>,
    /// The forum topic it went into (a new one when the message asked for a topic).
    pub thread_id: Option<i64>,
}

impl Sent {
    pub fn message(id: i64) -> Sent {
        Sent {
            message_id: Some(id),
            thread_id: None,
        }
    }
}

/// A way to put a message in front of someone: Telegram, the terminal, a test's recorder.
pub trait Transport: Send + Sync + 'static {
    /// Sends (or edits) one message, or creates or renames a topic.
    fn send(
        &self,
        chat_id: i64,
        thread_id: Option<i64>,
        msg: &Outgoing,
    ) -> impl Future<Output = Result<Sent, SendError>> + Send;
}

/// Rows a pass fetches at most.
const BATCH: i64 = 500;
/// How long a stop waits for the sends under way (longer than one Bot API request may take).
const STOP_WAIT: Duration = Duration::from_secs(30);
/// The longest wait between two tries of a failing message.
const MAX_BACKOFF_SECS: i64 = 600;

pub struct Delivery<T: Transport> {
    engine: Engine,
    transport: Arc<T>,
    busy: Arc<Mutex<HashSet<i64>>>,
    /// Set at shutdown: no new send starts, those under way finish and are recorded.
    stopping: Arc<AtomicBool>,
}

impl<T: Transport> Clone for Delivery<T> {
    fn clone(&self) -> Self {
        Delivery {
            engine: self.engine.clone(),
            transport: self.transport.clone(),
            busy: self.busy.clone(),
            stopping: self.stopping.clone(),
        }
    }
}

impl<T: Transport> Delivery<T> {
    pub fn new(engine: Engine, transport: Arc<T>) -> Delivery<T> {
        Delivery {
            engine,
            transport,
            busy: Arc::new(Mutex::new(HashSet::new())),
            stopping: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Due rows grouped by chat, in order; a chat whose first row is not due yet waits whole.
    async fn due_by_chat(&self) -> Vec<(i64, Vec<OutboxRow>)> {
        let now = self.engine.clock.now().timestamp();
        let rows = match self.engine.store.pending_outbox(BATCH).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "reading the outbox failed");
                return Vec::new();
            }
        };
        let mut chats: Vec<(i64, Vec<OutboxRow>)> = Vec::new();
        let mut held: HashSet<i64> = HashSet::new();
        for row in rows {
            if held.contains(&row.chat_id) {
                continue;
            }
            if row.next_attempt_at > now {
                held.insert(row.chat_id);
                continue;
            }
            match chats.iter_mut().find(|(c, _)| *c == row.chat_id) {
                Some((_, list)) => list.push(row),
                None => chats.push((row.chat_id, vec![row])),
            }
        }
        chats
    }

    /// The earliest time a pending row becomes due, if any waits.
    async fn next_due(&self) -> Option<i64> {
        self.engine.store.next_outbox_at().await.ok().flatten()
    }

    /// Sends one chat's rows in order; stops at the first that must wait.
    async fn send_chat(&self, rows: Vec<OutboxRow>) {
        for row in rows {
            if !self.send_row(&row).await {
                break;
            }
        }
    }

    /// Drains one chat: its pending rows, oldest first, until none is due (new rows written
    /// meanwhile are picked up too). Returns when the chat is empty or must wait.
    async fn drain_chat(&self, chat_id: i64) {
        loop {
            let now = self.engine.clock.now().timestamp();
            let rows = match self.engine.store.pending_for_chat(chat_id, 50).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::error!(error = %e, "reading the outbox failed");
                    return;
                }
            };
            if rows.is_empty() || rows[0].next_attempt_at > now {
                return;
            }
            let count = rows.len();
            for row in rows {
                if self.stopping.load(Ordering::SeqCst)
                    || row.next_attempt_at > now
                    || !self.send_row(&row).await
                {
                    return;
                }
            }
            if count < 50 {
                // Nothing more was pending when read; look once more for rows written since.
                match self.engine.store.pending_for_chat(chat_id, 1).await {
                    Ok(more) if !more.is_empty() => continue,
                    _ => return,
                }
            }
        }
    }

    /// A row of a case goes into the case's topic, edits its card, answers its card; what
    /// that needs is known only now (the topic and the card exist once sent).
    async fn resolve_case(&self, row: &OutboxRow) -> Option<(Option<i64>, Outgoing)> {
        let mut out = row.payload.clone();
        // An edit of what an earlier row sent (rows of a chat go in order: it was sent, or
        // failed); if it sent nothing, this goes as a new message.
        if let Some(earlier) = out.edit_row.take() {
            out.edit_message_id = self
                .engine
                .store
                .sent_message_of_row(earlier)
                .await
                .ok()
                .flatten();
        }
        let Some(case_id) = row.case_id else {
            return Some((row.thread_id, out));
        };
        let case = match self.engine.store.case(case_id).await {
            Ok(Some(c)) => c,
            _ => return Some((row.thread_id, out)),
        };
        let thread = case.topic_id.or(row.thread_id);
        if out.new_topic.is_some() && case.topic_id.is_some() {
            return None; // the topic exists already
        }
        if out.rename_topic.is_some() && case.topic_id.is_none() {
            return None; // no topic to rename
        }
        if out.edit_case_card {
            match case.card_message_id {
                Some(id) => out.edit_message_id = Some(id),
                None => out.case_card = true, // the card was never sent: send it now
            }
        }
        if out.reply_to_case_card && case.topic_id.is_none() {
            out.reply_to = case.card_message_id;
        }
        Some((thread, out))
    }

    /// Returns whether the chat may go on to its next row.
    async fn send_row(&self, row: &OutboxRow) -> bool {
        let store = &self.engine.store;
        let now = self.engine.clock.now().timestamp();
        let Some((thread, out)) = self.resolve_case(row).await else {
            return store.mark_sent(row.id, None, now).await.is_ok();
        };
        let result = self.transport.send(row.chat_id, thread, &out).await;
        let result_label = match &result {
            Ok(_) => "ok",
            Err(SendError::RetryAfter(_)) => "429",
            Err(SendError::Blocked) => "403",
            Err(SendError::Transient(_)) => "transient",
            Err(SendError::Permanent(_)) => "refused",
        };
        metrics::counter!("cskh_sends_total", "result" => result_label).increment(1);
        let outcome = match result {
            Ok(sent) => {
                // A new topic is recorded on its case first: that is what keeps it from being
                // made twice. Then the row is marked sent before any other database work: a
                // crash in between is what would send it a second time.
                if let (Some(case_id), Some(topic), Some(_)) =
                    (row.case_id, sent.thread_id, &out.new_topic)
                {
                    let _ = store.set_case_topic(case_id, topic).await;
                }
                let marked = store.mark_sent(row.id, sent.message_id, now).await;
                if let (Some(case_id), true, Some(id)) =
                    (row.case_id, out.case_card, sent.message_id)
                {
                    let _ = store.set_case_card(case_id, id).await;
                }
                marked.map(|_| true)
            }
            // Whole seconds: one more so that the retry never comes before Telegram's wait is over.
            Err(SendError::RetryAfter(secs)) => {
                tracing::warn!(chat = row.chat_id, secs, "rate limited, waiting");
                store
                    .mark_retry(row.id, now + secs as i64 + 1, false, "429 retry after")
                    .await
                    .map(|_| false)
            }
            Err(SendError::Transient(e)) => {
                let wait = (1i64 << row.attempts.clamp(0, 10)).min(MAX_BACKOFF_SECS);
                tracing::warn!(chat = row.chat_id, error = %e, wait, "send failed, will retry");
                store
                    .mark_retry(row.id, now + wait, true, &e)
                    .await
                    .map(|_| false)
            }
            Err(SendError::Permanent(e)) => {
                tracing::error!(chat = row.chat_id, error = %e, "message refused by the channel");
                store.mark_failed(row.id, &e).await.map(|_| true)
            }
            Err(SendError::Blocked) => {
                let marked = store.mark_failed(row.id, "blocked").await;
                if let Some(customer) = row.customer_id {
                    tracing::info!(customer, "customer blocked the bot");
                    if let Err(e) = self.engine.customer_blocked(None, customer).await {
                        tracing::error!(error = %e, "recording a blocked customer failed");
                    }
                }
                marked.map(|_| false)
            }
        };
        outcome.unwrap_or_else(|e| {
            tracing::error!(error = %e, "updating the outbox failed");
            false
        })
    }

    /// Sends everything due now, chat after chat, and returns when nothing due is left
    /// (what waits for a retry stays). For the terminal and for tests.
    pub async fn flush(&self) {
        loop {
            let chats = self.due_by_chat().await;
            if chats.is_empty() {
                return;
            }
            let before = self.engine.store.outbox_counts().await.ok();
            for (_, rows) in chats {
                self.send_chat(rows).await;
            }
            if self.engine.store.outbox_counts().await.ok() == before {
                return; // everything left is waiting for a retry
            }
        }
    }

    /// Runs until `shutdown` resolves: wakes on new rows, on a finished chat, or when a retry is due.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send) {
        let signal = self.engine.outbox_signal();
        let mut workers: JoinSet<i64> = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            let now = self.engine.clock.now().timestamp();
            let chats = self
                .engine
                .store
                .due_chats(now, BATCH)
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "reading the outbox failed");
                    Vec::new()
                });
            for chat in chats {
                if !self.busy.lock().unwrap().insert(chat) {
                    continue;
                }
                let me = self.clone();
                workers.spawn(async move {
                    me.drain_chat(chat).await;
                    chat
                });
            }
            let now = self.engine.clock.now().timestamp();
            let wait = match self.next_due().await {
                Some(at) if at > now => Duration::from_secs((at - now) as u64),
                Some(_) if workers.is_empty() => Duration::from_millis(200),
                _ => Duration::from_secs(30),
            };
            tokio::select! {
                _ = &mut shutdown => break,
                _ = signal.notified() => {}
                Some(done) = workers.join_next(), if !workers.is_empty() => {
                    if let Ok(chat) = done {
                        self.busy.lock().unwrap().remove(&chat);
                    }
                }
                _ = tokio::time::sleep(wait) => {}
            }
        }
        // No new send starts; those handed to the channel finish and are recorded (cutting one
        // off after Telegram took it would send it again after the restart).
        self.stopping.store(true, Ordering::SeqCst);
        let _ = tokio::time::timeout(STOP_WAIT, async {
            while workers.join_next().await.is_some() {}
        })
        .await;
    }
}
