//! The outbox: messages written in the same transaction as what caused them, sent after it commits.

use super::*;

impl Store {
    /// Pending outbox rows, oldest first.
    pub async fn pending_outbox(&self, limit: i64) -> Result<Vec<OutboxRow>> {
        let rows = query(
            "SELECT id, channel, address, thread_id, customer_id, case_id, payload, attempts, parts_sent, next_attempt_at \
             FROM outbox WHERE status = 'pending' ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.db)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// Records that a row went out (its last part as `message_id`).
    ///
    /// The marks of the sender's workers are committed together (group commit): a mark that
    /// finds another being written waits for it, then writes every mark queued meanwhile in
    /// one transaction. Each call returns once its own mark is committed.
    pub async fn mark_sent(&self, id: i64, message_id: Option<i64>, now: i64) -> Result<()> {
        let mark = |done| SentMark {
            id,
            message_id,
            now,
            done,
        };
        let (done, mut told) = tokio::sync::oneshot::channel();
        self.marks.queue.lock().unwrap().push(mark(done));
        let _writer = self.marks.writer.lock().await;
        // No other caller is writing now: this mark was written, or is queued still, or was
        // taken by a caller cut off before it wrote it.
        let mut marks = Vec::new();
        match told.try_recv() {
            Ok(result) => return result.map_err(StoreError::Shared),
            Err(tokio::sync::oneshot::error::TryRecvError::Empty) => {}
            Err(tokio::sync::oneshot::error::TryRecvError::Closed) => {
                // The caller that took it was cut off before writing it: written here.
                marks.push(mark(tokio::sync::oneshot::channel().0));
            }
        }
        marks.extend(std::mem::take(&mut *self.marks.queue.lock().unwrap()));
        let result = self.write_marks(&marks).await;
        let shared = result.as_ref().map(drop).map_err(|e| e.to_string());
        for mark in marks {
            let _ = mark.done.send(shared.clone());
        }
        result
    }

    /// The marks in one transaction (a single one as a statement of its own).
    async fn write_marks(&self, marks: &[SentMark]) -> Result<()> {
        let update = |mark: &SentMark| {
            query(
                "UPDATE outbox SET status = 'sent', sent_at = $1, message_id = $2, \
                 attempts = attempts + 1 WHERE id = $3",
            )
            .bind(mark.now)
            .bind(mark.message_id)
            .bind(mark.id)
        };
        if let [mark] = marks {
            update(mark).execute(&self.db).await?;
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for mark in marks {
            update(mark).execute(&mut *tx).await?;
        }
        tx.commit().await
    }

    /// Records that the first `parts` parts of a row went out, the last of them as `message_id`
    /// (kept with its part, so that an answer to it finds the row).
    pub async fn mark_parts_sent(
        &self,
        id: i64,
        parts: i64,
        message_id: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        query("UPDATE outbox SET parts_sent = $1, message_id = $2 WHERE id = $3")
            .bind(parts)
            .bind(message_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if let Some(message_id) = message_id {
            query(
                "INSERT INTO outbox_sent_parts (outbox_id, part, message_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (outbox_id, part) DO UPDATE SET message_id = excluded.message_id",
            )
            .bind(id)
            .bind(parts - 1)
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn mark_retry(&self, id: i64, next_at: i64, counts: bool, error: &str) -> Result<()> {
        query(
            "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + $2, last_error = $3 \
             WHERE id = $4",
        )
        .bind(next_at)
        .bind(if counts { 1i64 } else { 0 })
        .bind(error)
        .bind(id)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    pub async fn mark_failed(&self, id: i64, error: &str) -> Result<()> {
        query(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $1 \
             WHERE id = $2",
        )
        .bind(error)
        .bind(id)
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// How many rows of the outbox are in each state (for tests and the log).
    pub async fn outbox_counts(&self) -> Result<(i64, i64, i64)> {
        let row = query(
            "SELECT \
               COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS p, \
               COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0) AS s, \
               COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS f \
             FROM outbox",
        )
        .fetch_one(&self.db)
        .await?;
        Ok((row.try_get("p")?, row.try_get("s")?, row.try_get("f")?))
    }
}

/// Buttons in rows: (label, data given back when pressed).
pub type Buttons = Vec<Vec<(String, String)>>;

/// What an outbox row says, in no channel's terms: each channel renders it within its own
/// limits (splitting a long text, keyboards, threads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "content", rename_all = "snake_case", from = "Stored")]
pub enum Content {
    /// A message: text, buttons, a file; new, or an edit of an earlier one.
    Message(Message),
    /// Open a thread for the case (a forum topic on Telegram), titled so; nothing where
    /// the staff side has no threads.
    OpenCaseThread { title: String },
    /// Rename the case's thread (no message is sent).
    RenameCaseThread { title: String },
}

/// A message, as content.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Message {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Buttons,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<File>,
    /// Ask the customer to share their phone number, by a button with this label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask_phone: Option<String>,
    /// The text worded for a channel with no phone-sharing button (the customer is asked to
    /// type the number), where the text speaks of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed_phone_text: Option<String>,
    /// The kind of notice it is (a reminder, a check-in, staff's words), for a channel that
    /// sends such notices its own way when it cannot send the message (Zalo: ZNS templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<crate::dialogue::Notice>,
    /// A button that opens a web page inside the channel (a Telegram Mini App): label, address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_page: Option<(String, String)>,
    /// The choices offered before are over: a channel that keeps them on screen removes them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub choices_over: bool,
    /// Replace this earlier message instead of sending a new one (when it was never sent,
    /// this goes as a new message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_of: Option<Earlier>,
    /// Send as an answer to this earlier message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Earlier>,
    /// This is the case's card: later edits and answers refer to it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub case_card: bool,
    /// It carries the customer's own words (or files) to staff: a staff answer to it goes to
    /// the customer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub customer_words: bool,
}

/// A file a message carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum File {
    /// A file or photo someone sent (by the channel's own id), passed on.
    Received(Attachment),
    /// A file the bot made (an export), with its text content.
    Made { name: String, content: String },
    /// A picture the bot made (a chart): PNG bytes, in base64.
    Picture { name: String, png_base64: String },
}

impl File {
    /// A picture the bot made, from its PNG bytes.
    pub fn picture(name: String, png: &[u8]) -> File {
        use base64::Engine as _;
        File::Picture {
            name,
            png_base64: base64::engine::general_purpose::STANDARD.encode(png),
        }
    }

    /// A picture's PNG bytes (None for other files, or base64 that does not decode).
    pub fn picture_bytes(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        match self {
            File::Picture { png_base64, .. } => base64::engine::general_purpose::STANDARD
                .decode(png_base64)
                .ok(),
            _ => None,
        }
    }
}

/// An earlier message, as the engine knows it when it writes the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Earlier {
    /// A message the channel sent, by the id it gave.
    Message(i64),
    /// Whatever this outbox row sent (its last part).
    Row(i64),
    /// The card of the row's case. As an answer: only where the case has no thread of its own.
    CaseCard,
}

impl Message {
    /// A plain text message.
    pub fn text(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            ..Message::default()
        }
    }
}

impl Content {
    /// A plain text message.
    pub fn text(text: impl Into<String>) -> Content {
        Content::Message(Message::text(text))
    }

    /// The message, unless this is about a thread.
    pub fn message(&self) -> Option<&Message> {
        match self {
            Content::Message(m) => Some(m),
            _ => None,
        }
    }

    /// Whether a staff answer to what this sent goes to the customer: the case's card, or
    /// the customer's own words.
    pub fn answers_customer(&self) -> bool {
        self.message()
            .is_some_and(|m| m.case_card || m.customer_words)
    }
}

impl From<Message> for Content {
    fn from(m: Message) -> Content {
        Content::Message(m)
    }
}

impl From<&Message> for Content {
    fn from(m: &Message) -> Content {
        Content::Message(m.clone())
    }
}

impl From<&Content> for Content {
    fn from(c: &Content) -> Content {
        c.clone()
    }
}

/// A payload as stored: today's content, or a row written before content was channel-neutral
/// (a bag of Telegram operations), still waiting to be sent after the upgrade.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Content(ContentV2),
    Legacy(Legacy),
}

/// [`Content`]'s own shape, without the `from` that leads here.
#[derive(Deserialize)]
#[serde(tag = "content", rename_all = "snake_case")]
enum ContentV2 {
    Message(Message),
    OpenCaseThread { title: String },
    RenameCaseThread { title: String },
}

/// The payload rows had before: `Outgoing`, with its serde defaults.
#[derive(Deserialize)]
struct Legacy {
    text: String,
    buttons: Buttons,
    #[serde(default)]
    attachment: Option<Attachment>,
    #[serde(default)]
    edit_message_id: Option<i64>,
    #[serde(default)]
    remove_keyboard: bool,
    #[serde(default)]
    contact_button: Option<String>,
    #[serde(default)]
    new_topic: Option<String>,
    #[serde(default)]
    rename_topic: Option<String>,
    #[serde(default)]
    case_card: bool,
    #[serde(default)]
    edit_case_card: bool,
    #[serde(default)]
    reply_to_case_card: bool,
    #[serde(default)]
    reply_to: Option<i64>,
    #[serde(default)]
    customer_words: bool,
    #[serde(default)]
    upload: Option<(String, String)>,
    #[serde(default)]
    edit_row: Option<i64>,
}

impl From<Stored> for Content {
    fn from(s: Stored) -> Content {
        match s {
            Stored::Content(ContentV2::Message(m)) => Content::Message(m),
            Stored::Content(ContentV2::OpenCaseThread { title }) => {
                Content::OpenCaseThread { title }
            }
            Stored::Content(ContentV2::RenameCaseThread { title }) => {
                Content::RenameCaseThread { title }
            }
            Stored::Legacy(l) => l.into(),
        }
    }
}

impl From<Legacy> for Content {
    /// In the order the channel used to look at the fields: a rename, an edit, a new topic,
    /// then a message.
    fn from(l: Legacy) -> Content {
        if let Some(title) = &l.rename_topic {
            return Content::RenameCaseThread {
                title: title.clone(),
            };
        }
        if let (Some(title), None) = (&l.new_topic, l.edit_message_id) {
            return Content::OpenCaseThread {
                title: title.clone(),
            };
        }
        let edit_of = match (l.edit_message_id, l.edit_row, l.edit_case_card) {
            (Some(id), _, _) => Some(Earlier::Message(id)),
            (None, Some(row), _) => Some(Earlier::Row(row)),
            (None, None, true) => Some(Earlier::CaseCard),
            (None, None, false) => None,
        };
        let reply_to = match (l.reply_to, l.reply_to_case_card) {
            (Some(id), _) => Some(Earlier::Message(id)),
            (None, true) => Some(Earlier::CaseCard),
            (None, false) => None,
        };
        let file = match (l.upload, l.attachment) {
            (Some((name, content)), _) => Some(File::Made { name, content }),
            (None, Some(a)) => Some(File::Received(a)),
            (None, None) => None,
        };
        Content::Message(Message {
            text: l.text,
            buttons: l.buttons,
            file,
            ask_phone: l.contact_button,
            typed_phone_text: None,
            notice: None,
            open_page: None,
            choices_over: l.remove_keyboard,
            edit_of,
            reply_to,
            case_card: l.case_card,
            customer_words: l.customer_words,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub id: i64,
    /// The channel that sends it (`telegram` for the staff group and Telegram customers).
    pub channel: String,
    /// Where in that channel: the customer's address (a Telegram chat id, a Zalo user id), or
    /// the staff group's chat id.
    pub address: String,
    pub thread_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub case_id: Option<i64>,
    pub payload: Content,
    /// How many parts of a content the channel cut in several were sent already.
    pub parts_sent: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
}

impl OutboxRow {
    /// The chat it goes into: its rows go out in order.
    pub fn chat(&self) -> OutboxChat {
        OutboxChat {
            channel: self.channel.clone(),
            address: self.address.clone(),
        }
    }
}

/// A chat of some channel: its outbox rows go out in the order written, chats independently.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutboxChat {
    pub channel: String,
    pub address: String,
}

impl std::fmt::Display for OutboxChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.channel, self.address)
    }
}

fn outbox_row(row: &Row) -> Result<OutboxRow> {
    let payload: String = row.try_get("payload")?;
    Ok(OutboxRow {
        id: row.try_get("id")?,
        channel: row.try_get("channel")?,
        address: row.try_get("address")?,
        thread_id: row.try_get("thread_id")?,
        customer_id: row.try_get("customer_id")?,
        case_id: row.try_get("case_id")?,
        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        attempts: row.try_get("attempts")?,
        parts_sent: row.try_get("parts_sent")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
    })
}

/// The channel of the staff group: staff work in Telegram, whichever channel customers use.
pub const STAFF_CHANNEL: &str = "telegram";

/// How soon a row goes out beside the other chats' rows (lower first): the sender starts
/// the chats whose next row is a reply before staff's, and staff's before bulk work, which it
/// also sends into a few chats at a time only, so that a reply never queues behind it for
/// Telegram's limits.
pub mod priority {
    /// A reply to a customer who just wrote.
    pub const REPLY: i64 = 0;
    /// A message to staff (and every row written before priorities were kept).
    pub const STAFF: i64 = 1;
    /// Bulk work: reminders.
    pub const BULK: i64 = 2;
}

/// Who a row is for and what it belongs to, besides its content.
struct NewRow<'a> {
    priority: i64,
    channel: &'a str,
    address: &'a str,
    thread_id: Option<i64>,
    customer_id: Option<i64>,
    request_id: Option<i64>,
    case_id: Option<i64>,
}

/// The one INSERT of the outbox.
async fn insert_row(conn: &mut Conn, row: NewRow<'_>, msg: &Content, now: i64) -> Result<i64> {
    let inserted = query(
        "INSERT INTO outbox (channel, address, thread_id, customer_id, request_id, case_id, \
         payload, next_attempt_at, created_at, priority) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id",
    )
    .bind(row.channel)
    .bind(row.address)
    .bind(row.thread_id)
    .bind(row.customer_id)
    .bind(row.request_id)
    .bind(row.case_id)
    .bind(json(msg)?)
    .bind(now)
    .bind(row.priority)
    .fetch_one(&mut *conn)
    .await?;
    conn.wrote_outbox(
        OutboxChat {
            channel: row.channel.to_string(),
            address: row.address.to_string(),
        },
        row.priority,
    );
    inserted.try_get("id")
}

/// Queues a message into a chat of the staff group's channel; it is sent after the transaction
/// commits. (A message to a customer goes through [`enqueue_to_customer`].)
pub async fn enqueue(
    conn: &mut Conn,
    chat_id: i64,
    thread_id: Option<i64>,
    customer_id: Option<i64>,
    request_id: Option<i64>,
    msg: &Content,
    now: i64,
) -> Result<i64> {
    let address = chat_id.to_string();
    let row = NewRow {
        priority: priority::STAFF,
        channel: STAFF_CHANNEL,
        address: &address,
        thread_id,
        customer_id,
        request_id,
        case_id: None,
    };
    insert_row(conn, row, msg, now).await
}

/// Queues a reply to a customer, through the channel and the address of the identity they
/// last wrote from.
pub async fn enqueue_to_customer(
    conn: &mut Conn,
    customer: &Customer,
    request_id: Option<i64>,
    msg: &Content,
    now: i64,
) -> Result<i64> {
    enqueue_to_customer_as(conn, customer, request_id, msg, now, priority::REPLY).await
}

/// [`enqueue_to_customer`], with the row's priority.
pub async fn enqueue_to_customer_as(
    conn: &mut Conn,
    customer: &Customer,
    request_id: Option<i64>,
    msg: &Content,
    now: i64,
    priority: i64,
) -> Result<i64> {
    let identity = &customer.identity;
    let row = NewRow {
        priority,
        channel: &identity.channel,
        address: &identity.address,
        thread_id: None,
        customer_id: Some(customer.id),
        request_id,
        case_id: None,
    };
    insert_row(conn, row, msg, now).await
}

/// Marks an outbox row as relaying the staff message `source` ("chat:message").
pub async fn set_outbox_source(conn: &mut Conn, id: i64, source: &str) -> Result<()> {
    query("UPDATE outbox SET source = $1 WHERE id = $2")
        .bind(source)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The outbox rows that relay the staff message `source`, oldest first.
pub async fn outbox_rows_of_source(conn: &mut Conn, source: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = query_as("SELECT id FROM outbox WHERE source = $1 ORDER BY id")
        .bind(source)
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

impl Store {
    /// The message an outbox row sent, if it was sent as one message and the channel gave an id.
    pub async fn sent_message_of_row(&self, id: i64) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = query_as(
            "SELECT message_id FROM outbox WHERE id = $1 AND status = 'sent' AND parts_sent = 0",
        )
        .bind(id)
        .fetch_optional(&self.db)
        .await?;
        Ok(row.and_then(|(m,)| m))
    }
}

/// Queues a message that belongs to a case into the staff group (it goes into the case's
/// topic when there is one).
pub async fn enqueue_for_case(
    conn: &mut Conn,
    chat_id: i64,
    thread_id: Option<i64>,
    customer_id: Option<i64>,
    case_id: i64,
    msg: &Content,
    now: i64,
) -> Result<i64> {
    let address = chat_id.to_string();
    let row = NewRow {
        priority: priority::STAFF,
        channel: STAFF_CHANNEL,
        address: &address,
        thread_id,
        customer_id,
        request_id: None,
        case_id: Some(case_id),
    };
    insert_row(conn, row, msg, now).await
}

impl Store {
    /// Chats whose first pending message is due now (a chat waiting on a retry waits whole),
    /// with that message's priority: replies first, then the oldest first.
    pub async fn due_chats(&self, now: i64, limit: i64) -> Result<Vec<(OutboxChat, i64)>> {
        let rows = query(
            "SELECT o.channel, o.address, o.priority FROM outbox o \
             WHERE o.status = 'pending' AND o.next_attempt_at <= $1 \
             AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.status = 'pending' \
                         AND p.channel = o.channel AND p.address = o.address) \
             ORDER BY o.priority, o.id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.db)
        .await?;
        rows.iter()
            .map(|r| {
                let chat = OutboxChat {
                    channel: r.try_get("channel")?,
                    address: r.try_get("address")?,
                };
                let priority: i64 = r.try_get("priority")?;
                Ok((chat, priority))
            })
            .collect()
    }

    /// One chat's pending messages, oldest first.
    pub async fn pending_for_chat(&self, chat: &OutboxChat, limit: i64) -> Result<Vec<OutboxRow>> {
        let rows = query(
            "SELECT id, channel, address, thread_id, customer_id, case_id, payload, attempts, parts_sent, next_attempt_at \
             FROM outbox WHERE status = 'pending' AND channel = $1 AND address = $2 ORDER BY id LIMIT $3",
        )
        .bind(&chat.channel)
        .bind(&chat.address)
        .bind(limit)
        .fetch_all(&self.db)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// When the earliest pending message is due.
    pub async fn next_outbox_at(&self) -> Result<Option<i64>> {
        let row = query("SELECT MIN(next_attempt_at) AS next FROM outbox WHERE status = 'pending'")
            .fetch_one(&self.db)
            .await?;
        row.try_get("next")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogue::MediaKind;

    /// What each legacy payload (written by the release before content was neutral, one per
    /// set of fields it used) must become.
    fn expected(name: &str) -> Content {
        let m = |text: &str| Message::text(text);
        let photo = Attachment {
            kind: MediaKind::Photo,
            file_id: "AgAD-photo".into(),
            file_name: None,
        };
        let doc = Attachment {
            kind: MediaKind::Document,
            file_id: "BQAD-doc".into(),
            file_name: Some("hoa-don.pdf".into()),
        };
        let msg = match name {
            "plain text" => m("Dạ em chào anh/chị"),
            "text with buttons" => Message {
                buttons: vec![vec![
                    ("Bảo lưu".into(), "m:deferral".into()),
                    ("Hoàn tiền".into(), "m:refund".into()),
                ]],
                ..m("Anh/chị cần gì ạ?")
            },
            "removes the keyboard" => Message {
                choices_over: true,
                ..m("Cảm ơn anh/chị")
            },
            "asks for the phone" => Message {
                ask_phone: Some("📱 Gửi số điện thoại".into()),
                ..m("Cho em xin số điện thoại ạ")
            },
            "a photo the customer sent, in the case" => Message {
                file: Some(File::Received(photo)),
                reply_to: Some(Earlier::CaseCard),
                customer_words: true,
                ..m("Ảnh của KN-000001")
            },
            "a document" => Message {
                file: Some(File::Received(doc)),
                ..m("Tệp")
            },
            "opens the case topic" => {
                return Content::OpenCaseThread {
                    title: "KN-000001 · Nguyễn Văn A".into(),
                }
            }
            "renames the case topic" => {
                return Content::RenameCaseThread {
                    title: "✅ KN-000001 · Nguyễn Văn A".into(),
                }
            }
            "the case card" => Message {
                case_card: true,
                buttons: vec![vec![("Nhận".into(), "k:c:1".into())]],
                ..m("KN-000001")
            },
            "edits the case card" => Message {
                edit_of: Some(Earlier::CaseCard),
                buttons: vec![vec![("Đã gọi".into(), "k:l:1".into())]],
                ..m("KN-000001 (đang xử lý)")
            },
            "a staff card edited in place" => Message {
                edit_of: Some(Earlier::Message(4242)),
                ..m("YC-000007 đã duyệt")
            },
            "in reply to a message" => Message {
                reply_to: Some(Earlier::Message(77)),
                ..m("Trả lời")
            },
            "in reply to the case card" => Message {
                reply_to: Some(Earlier::CaseCard),
                ..m("Nhắc: KN-000001 chưa ai nhận")
            },
            "a file made by the bot" => Message {
                file: Some(File::Made {
                    name: "requests.csv".into(),
                    content: "a,b\n1,2\n".into(),
                }),
                ..m("Danh sách")
            },
            "edits the message of an earlier row" => Message {
                edit_of: Some(Earlier::Row(15)),
                ..m("Lời nhắn đã sửa")
            },
            other => panic!("no expectation for {other:?}"),
        };
        Content::Message(msg)
    }

    #[test]
    fn outbox_rows_written_before_the_upgrade_become_the_same_content() {
        let legacy = include_str!("outbox_legacy.tsv");
        let mut seen = 0;
        for line in legacy.lines().filter(|l| !l.is_empty()) {
            let (name, json) = line.split_once('\t').unwrap();
            let content: Content =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(content, expected(name), "{name}");
            assert_eq!(
                content.answers_customer(),
                json.contains("\"customer_words\":true") || json.contains("\"case_card\":true"),
                "{name}"
            );
            seen += 1;
        }
        assert_eq!(seen, 15);
    }

    #[test]
    fn content_goes_through_the_store_unchanged() {
        for line in include_str!("outbox_legacy.tsv").lines() {
            let (name, _) = line.split_once('\t').unwrap();
            let content = expected(name);
            let json = serde_json::to_string(&content).unwrap();
            assert_eq!(
                serde_json::from_str::<Content>(&json).unwrap(),
                content,
                "{json}"
            );
        }
    }
}
