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
use crate::store::{Content, Earlier, OutboxChat, OutboxRow};

pub use crate::channels::{Channel, Channels, SendError, Sent};

mod heal;

/// Rows a pass fetches at most.
const BATCH: i64 = 500;
/// How long a stop waits for the sends under way (longer than one Bot API request may take).
const STOP_WAIT: Duration = Duration::from_secs(30);
/// The longest wait between two tries of a failing message.
const MAX_BACKOFF_SECS: i64 = 600;

/// Chats of staff messages or bulk work (reminders) sent into at once, at most: replies to
/// customers are never held back, and never queue behind many of these for the channel's limits.
const LOWER_PRIORITY_CHATS: usize = 4;

/// While the sender is busy, how often it looks through the whole outbox (for rows other
/// processes wrote, and retries that came due); between those looks it goes by the chats this
/// process hands it after each commit.
const RESCAN_EVERY: Duration = Duration::from_millis(500);

/// How often an idle sender looks through the outbox (for rows other processes wrote).
const IDLE_LOOK: Duration = Duration::from_secs(1);

/// How often the channels' upkeep runs (Zalo's token refresh ahead of expiry).
const UPKEEP_EVERY: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Delivery {
    engine: Engine,
    channels: Channels,
    busy: Arc<Mutex<HashSet<OutboxChat>>>,
    /// The chats of `busy` whose next row was not a reply when their drain started.
    busy_lower: Arc<Mutex<HashSet<OutboxChat>>>,
    /// Set at shutdown: no new send starts, those under way finish and are recorded.
    stopping: Arc<AtomicBool>,
}

impl Delivery {
    /// Delivery of the outbox through `channels` (one channel, `Arc<T>`, sends every row).
    /// It reads and marks the outbox through the sender's own connection.
    pub fn new(mut engine: Engine, channels: impl Into<Channels>) -> Delivery {
        engine.store = engine.store.for_sender();
        Delivery {
            engine,
            channels: channels.into(),
            busy: Arc::new(Mutex::new(HashSet::new())),
            busy_lower: Arc::new(Mutex::new(HashSet::new())),
            stopping: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Due rows grouped by chat, in order; a chat whose first row is not due yet waits whole.
    async fn due_by_chat(&self) -> Vec<(OutboxChat, Vec<OutboxRow>)> {
        let now = self.engine.clock.now().timestamp();
        let rows = match self.engine.store.pending_outbox(BATCH).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "reading the outbox failed");
                return Vec::new();
            }
        };
        let mut chats: Vec<(OutboxChat, Vec<OutboxRow>)> = Vec::new();
        let mut held: HashSet<OutboxChat> = HashSet::new();
        for row in rows {
            let chat = row.chat();
            if held.contains(&chat) {
                continue;
            }
            if row.next_attempt_at > now {
                held.insert(chat);
                continue;
            }
            match chats.iter_mut().find(|(c, _)| *c == chat) {
                Some((_, list)) => list.push(row),
                None => chats.push((chat, vec![row])),
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

    /// Drains one chat: its pending rows, oldest first, until none is due. Returns when the
    /// chat is empty (false) or must wait (true: a row is left for later). Rows written
    /// meanwhile are handed to the sender's loop, which drains the chat again.
    async fn drain_chat(&self, chat: &OutboxChat) -> bool {
        loop {
            let now = self.engine.clock.now().timestamp();
            let rows = match self.engine.store.pending_for_chat(chat, 50).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::error!(error = %e, "reading the outbox failed");
                    return true;
                }
            };
            if rows.is_empty() {
                return false;
            }
            if rows[0].next_attempt_at > now {
                return true;
            }
            let count = rows.len();
            for row in rows {
                if self.stopping.load(Ordering::SeqCst)
                    || row.next_attempt_at > now
                    || !self.send_row(&row).await
                {
                    return true;
                }
            }
            if count < 50 {
                return false;
            }
        }
    }

    /// What only the store knows, filled in now: the case's thread, its card, what an earlier
    /// row sent (rows of a chat go in order: it was sent, or failed). None when there is
    /// nothing to do (a thread that exists already, or none to rename).
    async fn resolve(&self, row: &OutboxRow) -> Option<(Option<i64>, Content)> {
        let store = &self.engine.store;
        let case = match row.case_id {
            Some(id) => store.case(id).await.ok().flatten(),
            None => None,
        };
        let thread = case.as_ref().and_then(|c| c.topic_id).or(row.thread_id);
        let (topic, card) = case
            .as_ref()
            .map_or((None, None), |c| (c.topic_id, c.card_message_id));
        let mut msg = match &row.payload {
            Content::OpenCaseThread { .. } if topic.is_some() => return None,
            Content::RenameCaseThread { .. } if case.is_some() && topic.is_none() => return None,
            Content::Message(m) => m.clone(),
            other => return Some((thread, other.clone())),
        };
        msg.edit_of = match msg.edit_of {
            Some(Earlier::Row(earlier)) => store
                .sent_message_of_row(earlier)
                .await
                .ok()
                .flatten()
                .map(Earlier::Message),
            Some(Earlier::CaseCard) if case.is_some() => match card {
                Some(id) => Some(Earlier::Message(id)),
                None => {
                    msg.case_card = true; // the card was never sent: send it now
                    None
                }
            },
            Some(Earlier::Message(id)) => Some(Earlier::Message(id)),
            _ => None,
        };
        msg.reply_to = match msg.reply_to {
            Some(Earlier::Message(id)) => Some(Earlier::Message(id)),
            // Within the case's own thread, no answer to the card is needed.
            Some(Earlier::CaseCard) if topic.is_none() => card.map(Earlier::Message),
            _ => None,
        };
        Some((thread, Content::Message(msg)))
    }

    /// Sends a row's parts (those not sent yet); returns whether the chat may go on to its
    /// next row.
    async fn send_row(&self, row: &OutboxRow) -> bool {
        let store = &self.engine.store;
        let Some(channel) = self.channels.get(&row.channel) else {
            // Kept for a process that has the channel (or this one, once it is set up).
            let now = self.engine.clock.now().timestamp();
            tracing::error!(channel = %row.channel, row = row.id, "no such channel here: the message waits");
            let error = format!("channel {} is not set up", row.channel);
            let _ = store
                .mark_retry(row.id, now + MAX_BACKOFF_SECS, false, &error)
                .await;
            return false;
        };
        let Some((mut thread, content)) = self.resolve(row).await else {
            let now = self.engine.clock.now().timestamp();
            return store.mark_sent(row.id, None, now).await.is_ok();
        };
        let parts = channel.parts(&content);
        let count = parts.len().max(1);
        let first = (row.parts_sent.max(0) as usize).min(count - 1);
        for (i, part) in parts.iter().enumerate().skip(first) {
            if !self.engine.may_send() {
                // The lease may have run out while this process was frozen: another process
                // may be sending. The row waits for a renewal (or for the other process).
                tracing::warn!("sender lease not renewed in time: holding sends");
                return false;
            }
            let result = self
                .send_part(channel.as_ref(), row, &mut thread, part)
                .await;
            metrics::counter!("cskh_sends_total", "result" => result_label(&result)).increment(1);
            let last = i + 1 == count;
            let outcome = match result {
                Ok(sent) if !last => store
                    .mark_parts_sent(row.id, i as i64 + 1, sent.message_id)
                    .await
                    .map(|_| true),
                Ok(sent) => self.record_sent(row, &content, sent).await.map(|_| true),
                Err(e) => self.record_failure(row, e).await,
            };
            match outcome {
                Ok(true) if !last => continue,
                Ok(go_on) => return go_on,
                Err(e) => {
                    tracing::error!(error = %e, "updating the outbox failed");
                    return false;
                }
            }
        }
        true
    }

    /// The row's content is out: a new thread is recorded on its case first (that is what keeps
    /// it from being made twice), then the row is marked sent before any other database work
    /// (a crash in between is what would send it a second time), then the case's card.
    async fn record_sent(
        &self,
        row: &OutboxRow,
        content: &Content,
        sent: Sent,
    ) -> Result<(), crate::store::StoreError> {
        let store = &self.engine.store;
        let now = self.engine.clock.now().timestamp();
        if let (Some(case_id), Some(topic), Content::OpenCaseThread { .. }) =
            (row.case_id, sent.thread_id, content)
        {
            let _ = store.set_case_topic(case_id, topic).await;
        }
        let marked = store.mark_sent(row.id, sent.message_id, now).await;
        let card = content.message().is_some_and(|m| m.case_card);
        if let (Some(case_id), true, Some(id)) = (row.case_id, card, sent.message_id) {
            let _ = store.set_case_card(case_id, id).await;
        }
        marked
    }

    /// A part failed: when to try again, or never; returns whether the chat may go on.
    async fn record_failure(
        &self,
        row: &OutboxRow,
        error: SendError,
    ) -> Result<bool, crate::store::StoreError> {
        let store = &self.engine.store;
        let now = self.engine.clock.now().timestamp();
        match error {
            // Whole seconds: one more so that the retry never comes before the channel's wait is over.
            SendError::RetryAfter(secs) => {
                tracing::warn!(chat = %row.chat(), secs, "rate limited, waiting");
                store
                    .mark_retry(row.id, now + secs as i64 + 1, false, "429 retry after")
                    .await
                    .map(|_| false)
            }
            SendError::Transient(e) => {
                let wait = (1i64 << row.attempts.clamp(0, 10)).min(MAX_BACKOFF_SECS);
                tracing::warn!(chat = %row.chat(), error = %e, wait, "send failed, will retry");
                store
                    .mark_retry(row.id, now + wait, true, &e)
                    .await
                    .map(|_| false)
            }
            SendError::Permanent(e) => {
                tracing::error!(chat = %row.chat(), error = %e, "message refused by the channel");
                store.mark_failed(row.id, &e).await.map(|_| true)
            }
            SendError::Blocked => {
                let marked = store.mark_failed(row.id, "blocked").await;
                if let Some(customer) = row.customer_id {
                    tracing::info!(customer, "customer blocked the bot");
                    if let Err(e) = self.engine.customer_blocked(None, customer).await {
                        tracing::error!(error = %e, "recording a blocked customer failed");
                    }
                }
                marked.map(|_| false)
            }
            SendError::OutsideWindow => {
                // Not lost: staff call the customer and say it. The chat goes on (later rows
                // are asked the same).
                let marked = store.mark_failed(row.id, "outside the free window").await;
                if let Some(customer) = row.customer_id {
                    let text = row.payload.message().map(|m| m.text.clone());
                    tracing::info!(customer, "outside the free window: staff are asked to call");
                    let asked = self
                        .engine
                        .call_instead(customer, text.unwrap_or_default())
                        .await;
                    if let Err(e) = asked {
                        tracing::error!(error = %e, "asking staff to call failed");
                    }
                }
                marked.map(|_| true)
            }
        }
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
        let mut workers: JoinSet<(OutboxChat, bool)> = JoinSet::new();
        // The upkeep is never cut off mid-way (a token refresh Zalo answered must be recorded):
        // it stops between rounds.
        let (stop_upkeep, mut upkeep_stopped) = tokio::sync::watch::channel(false);
        let upkeep = {
            let channels = self.channels.clone();
            tokio::spawn(async move {
                loop {
                    for channel in channels.all() {
                        channel.upkeep().await;
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(UPKEEP_EVERY) => {}
                        _ = upkeep_stopped.changed() => return,
                    }
                }
            })
        };
        tokio::pin!(shutdown);
        // Chats to look at: the whole outbox (at start, when a retry may be due, when told of
        // rows without being told where), or only the chats this process just wrote to (handed
        // over in memory after the commit: no reading through the outbox per message).
        let mut scan = true;
        // A chat told of while it was being drained, or held back by the cap on lower work.
        let mut again: std::collections::HashMap<OutboxChat, i64> = Default::default();
        let mut rescan_after_worker = false;
        let mut wake_at = tokio::time::Instant::now() + Duration::from_secs(30);
        let mut last_scan = tokio::time::Instant::now();
        loop {
            let now = self.engine.clock.now().timestamp();
            let mut chats = if scan {
                self.engine.store.take_fresh_chats();
                self.engine
                    .store
                    .due_chats(now, BATCH)
                    .await
                    .unwrap_or_else(|e| {
                        tracing::error!(error = %e, "reading the outbox failed");
                        Vec::new()
                    })
            } else {
                let mut fresh = self.engine.store.take_fresh_chats();
                fresh.sort_by_key(|(_, priority)| *priority);
                let mut seen = HashSet::new();
                fresh.retain(|(chat, _)| seen.insert(chat.clone()));
                fresh
            };
            if scan {
                again.clear();
                rescan_after_worker = false;
                last_scan = tokio::time::Instant::now();
            }
            // Replies first (the chats come in priority order), the rest a few chats at a time.
            for (chat, priority) in chats.drain(..) {
                let lower = priority > crate::store::priority::REPLY;
                if lower && self.busy_lower.lock().unwrap().len() >= LOWER_PRIORITY_CHATS {
                    rescan_after_worker = true;
                    continue;
                }
                if !self.busy.lock().unwrap().insert(chat.clone()) {
                    again.insert(chat, priority);
                    continue;
                }
                if lower {
                    self.busy_lower.lock().unwrap().insert(chat.clone());
                }
                let me = self.clone();
                workers.spawn(async move {
                    let left = me.drain_chat(&chat).await;
                    (chat, left)
                });
            }
            if scan {
                // Rows due now are with the chats' workers (none running: looked at again
                // shortly); retries coming due and rows other processes sharing the database
                // wrote are found by the next look, at least once a second.
                let now = self.engine.clock.now().timestamp();
                let wait = match self.next_due().await {
                    Some(at) if at <= now && workers.is_empty() => Duration::from_millis(200),
                    _ => IDLE_LOOK,
                };
                wake_at = tokio::time::Instant::now() + wait;
            }
            scan = false;
            tokio::select! {
                _ = &mut shutdown => break,
                _ = signal.notified() => {
                    // Told without a chat: someone wrote rows this process did not note.
                    scan = self.engine.store.fresh_is_empty();
                }
                Some(done) = workers.join_next(), if !workers.is_empty() => {
                    if let Ok((chat, left)) = done {
                        self.busy.lock().unwrap().remove(&chat);
                        self.busy_lower.lock().unwrap().remove(&chat);
                        if let Some(priority) = again.remove(&chat) {
                            self.engine.store.hand_over(chat, priority);
                        }
                        // A row must wait (a retry, a limit): the next look sets the timer.
                        scan |= left;
                    }
                    if rescan_after_worker {
                        scan = true;
                    }
                }
                _ = tokio::time::sleep_until(wake_at) => { scan = true; }
            }
            // Rows other processes wrote (they share the database) are found by a look through
            // the outbox now and then while there is work.
            scan |= last_scan.elapsed() >= RESCAN_EVERY;
        }
        // No new send starts; those handed to the channel finish and are recorded (cutting one
        // off after Telegram took it would send it again after the restart).
        let _ = stop_upkeep.send(true);
        self.stopping.store(true, Ordering::SeqCst);
        let _ = tokio::time::timeout(STOP_WAIT, async {
            while workers.join_next().await.is_some() {}
            let _ = upkeep.await;
        })
        .await;
    }
}

fn result_label(result: &Result<Sent, SendError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(SendError::RetryAfter(_)) => "429",
        Err(SendError::Blocked) => "403",
        Err(SendError::Transient(_)) => "transient",
        Err(SendError::Permanent(_)) => "refused",
        Err(SendError::OutsideWindow) => "outside_window",
    }
}
