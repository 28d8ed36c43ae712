//! Personal data: consents on record, inputs held until the notice is answered, erasure,
//! retention purges, and the log of staff views of customers' data.

use super::*;

/// The mark left where a customer's words, name or files were, once erased at their request.
pub const ERASED_MARK: &str = "đã xóa theo yêu cầu";
/// The mark left where free text was, once purged after the retention period.
pub const PURGED_MARK: &str = "đã xóa sau thời hạn lưu trữ";

/// Request statuses that still wait for staff.
const OPEN_REQUESTS: &str = "('review', 'exception', 'handoff')";
/// Case statuses still being handled.
const OPEN_CASES: &str = "('open', 'claimed', 'step3')";

/// Where a customer stands on personal data, read before each input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivacyStatus {
    pub customer_id: Option<i64>,
    /// Their latest answer to the notice: (version, yes).
    pub service: Option<(i64, bool)>,
    /// Inputs held until they answer the notice.
    pub held: i64,
    /// Their latest erasure request.
    pub erasure: Option<Erasure>,
}

/// One answer to a notice, as kept for proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    pub purpose: String,
    pub notice_version: i64,
    pub given: bool,
    pub channel: String,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureStatus {
    /// Asked, waiting for the customer's confirmation.
    Asked,
    /// Confirmed, waiting for open requests or cases (done by its due time at the latest).
    Pending,
    Done,
    Cancelled,
}

impl ErasureStatus {
    pub fn code(self) -> &'static str {
        match self {
            ErasureStatus::Asked => "asked",
            ErasureStatus::Pending => "pending",
            ErasureStatus::Done => "done",
            ErasureStatus::Cancelled => "cancelled",
        }
    }

    fn from_code(s: &str) -> Option<ErasureStatus> {
        [
            ErasureStatus::Asked,
            ErasureStatus::Pending,
            ErasureStatus::Done,
            ErasureStatus::Cancelled,
        ]
        .into_iter()
        .find(|e| e.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub id: i64,
    pub customer_id: i64,
    pub status: ErasureStatus,
    pub withdrawal: bool,
    pub asked_at: i64,
    pub due_at: Option<i64>,
    pub done_at: Option<i64>,
}

fn erasure_row(r: &Row) -> Result<Erasure> {
    let status: String = r.try_get("status")?;
    Ok(Erasure {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        status: ErasureStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("erasure status {status:?}")))?,
        withdrawal: r.try_get::<i64, _>("withdrawal")? != 0,
        asked_at: r.try_get("asked_at")?,
        due_at: r.try_get("due_at")?,
        done_at: r.try_get("done_at")?,
    })
}

const ERASURE_COLUMNS: &str = "id, customer_id, status, withdrawal, asked_at, due_at, done_at";

/// What the gate needs to know of the identity's customer, in one read.
pub async fn privacy_status(
    conn: &mut Conn,
    channel: &str,
    external_id: &str,
) -> Result<PrivacyStatus> {
    let row = query(
        "SELECT i.customer_id, \
           (SELECT c.notice_version FROM consents c WHERE c.customer_id = i.customer_id \
              AND c.purpose = 'service' ORDER BY c.id DESC LIMIT 1) AS version, \
           (SELECT c.given FROM consents c WHERE c.customer_id = i.customer_id \
              AND c.purpose = 'service' ORDER BY c.id DESC LIMIT 1) AS given, \
           (SELECT COUNT(*) FROM held_inputs h WHERE h.customer_id = i.customer_id) AS held, \
           e.id, e.status, e.withdrawal, e.asked_at, e.due_at, e.done_at \
         FROM identities i LEFT JOIN erasures e ON e.id = \
           (SELECT MAX(x.id) FROM erasures x WHERE x.customer_id = i.customer_id) \
         WHERE i.channel = $1 AND i.external_id = $2",
    )
    .bind(channel)
    .bind(external_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(PrivacyStatus::default());
    };
    let customer_id: i64 = row.try_get("customer_id")?;
    let version: Option<i64> = row.try_get("version")?;
    let given: Option<i64> = row.try_get("given")?;
    let erasure = match row.try_get::<Option<i64>, _>("id")? {
        Some(_) => {
            let status: String = row.try_get("status")?;
            Some(Erasure {
                id: row.try_get("id")?,
                customer_id,
                status: ErasureStatus::from_code(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("erasure status {status:?}")))?,
                withdrawal: row.try_get::<i64, _>("withdrawal")? != 0,
                asked_at: row.try_get("asked_at")?,
                due_at: row.try_get("due_at")?,
                done_at: row.try_get("done_at")?,
            })
        }
        None => None,
    };
    Ok(PrivacyStatus {
        customer_id: Some(customer_id),
        service: version.zip(given).map(|(v, g)| (v, g != 0)),
        held: row.try_get("held")?,
        erasure,
    })
}

pub async fn record_consent(
    conn: &mut Conn,
    customer_id: i64,
    purpose: &str,
    version: i64,
    given: bool,
    channel: &str,
    now: i64,
) -> Result<()> {
    query(
        "INSERT INTO consents (customer_id, purpose, notice_version, given, channel, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(customer_id)
    .bind(purpose)
    .bind(version)
    .bind(given as i64)
    .bind(channel)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every answer the customer gave, oldest first.
pub async fn consents(conn: &mut Conn, customer_id: i64) -> Result<Vec<ConsentRecord>> {
    let rows = query(
        "SELECT purpose, notice_version, given, channel, at FROM consents \
         WHERE customer_id = $1 ORDER BY id",
    )
    .bind(customer_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ConsentRecord {
                purpose: r.try_get("purpose")?,
                notice_version: r.try_get("notice_version")?,
                given: r.try_get::<i64, _>("given")? != 0,
                channel: r.try_get("channel")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// Whether the customer's latest answer about photos in advertising is yes (no answer: no).
pub async fn photos_allowed(conn: &mut Conn, customer_id: i64) -> Result<bool> {
    let row = query(
        "SELECT given FROM consents WHERE customer_id = $1 AND purpose = 'photos' \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(r) => r.try_get::<i64, _>("given")? != 0,
        None => false,
    })
}

/// The most inputs held for one customer (later ones are answered but not kept).
pub const MAX_HELD: i64 = 20;

pub async fn hold_input(conn: &mut Conn, customer_id: i64, input: &str, now: i64) -> Result<bool> {
    let row = query("SELECT COUNT(*) AS n FROM held_inputs WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?;
    if row.try_get::<i64, _>("n")? >= MAX_HELD {
        return Ok(false);
    }
    query("INSERT INTO held_inputs (customer_id, input, at) VALUES ($1, $2, $3)")
        .bind(customer_id)
        .bind(input)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(true)
}

/// The customer's held inputs, oldest first: (id, JSON).
pub async fn held_inputs(conn: &mut Conn, customer_id: i64) -> Result<Vec<(i64, String)>> {
    let rows = query("SELECT id, input FROM held_inputs WHERE customer_id = $1 ORDER BY id")
        .bind(customer_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("input")?)))
        .collect()
}

pub async fn delete_held_input(conn: &mut Conn, id: i64) -> Result<()> {
    query("DELETE FROM held_inputs WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn drop_held_inputs(conn: &mut Conn, customer_id: i64) -> Result<u64> {
    let done = query("DELETE FROM held_inputs WHERE customer_id = $1")
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Stops every reminder to the customer (deferred dates, aftercare check-ins).
pub async fn stop_customer_reminders(conn: &mut Conn, customer_id: i64) -> Result<()> {
    query(
        "UPDATE jobs SET status = 'cancelled' WHERE status = 'pending' \
         AND kind IN ('defer_remind', 'aftercare') \
         AND request_id IN (SELECT id FROM requests WHERE customer_id = $1)",
    )
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    set_reminders_off(conn, customer_id, true).await
}

pub async fn latest_erasure(conn: &mut Conn, customer_id: i64) -> Result<Option<Erasure>> {
    let row = query(&format!(
        "SELECT {ERASURE_COLUMNS} FROM erasures WHERE customer_id = $1 ORDER BY id DESC LIMIT 1"
    ))
    .bind(customer_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(erasure_row).transpose()
}

pub async fn erasure(conn: &mut Conn, id: i64) -> Result<Option<Erasure>> {
    let row = query(&format!(
        "SELECT {ERASURE_COLUMNS} FROM erasures WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(erasure_row).transpose()
}

/// Records that the customer asked to erase (or to withdraw); returns its id.
pub async fn ask_erasure(
    conn: &mut Conn,
    customer_id: i64,
    withdrawal: bool,
    now: i64,
) -> Result<i64> {
    // An earlier unanswered ask is replaced: only the newest confirmation button works.
    query("UPDATE erasures SET status = 'cancelled' WHERE customer_id = $1 AND status = 'asked'")
        .bind(customer_id)
        .execute(&mut *conn)
        .await?;
    let row = query(
        "INSERT INTO erasures (customer_id, status, withdrawal, asked_at) \
         VALUES ($1, 'asked', $2, $3) RETURNING id",
    )
    .bind(customer_id)
    .bind(withdrawal as i64)
    .bind(now)
    .fetch_one(conn)
    .await?;
    row.try_get("id")
}

/// Moves an erasure from `from` to `to`; false when it was not in `from` any more.
pub async fn move_erasure(
    conn: &mut Conn,
    id: i64,
    from: ErasureStatus,
    to: ErasureStatus,
    due_at: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = query(
        "UPDATE erasures SET status = $1, \
           confirmed_at = CASE WHEN $1 = 'pending' OR ($1 = 'done' AND confirmed_at IS NULL) \
                          THEN $2 ELSE confirmed_at END, \
           due_at = COALESCE($3, due_at), \
           done_at = CASE WHEN $1 = 'done' THEN $2 ELSE done_at END \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(now)
    .bind(due_at)
    .bind(id)
    .bind(from.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The numbers of the customer's requests and cases still open (BL-…, KN-…).
pub async fn open_items(conn: &mut Conn, customer_id: i64) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let rows = query(&format!(
        "SELECT id, kind FROM requests WHERE customer_id = $1 AND status IN {OPEN_REQUESTS} \
         AND erased_at IS NULL ORDER BY id"
    ))
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let kind: String = r.try_get("kind")?;
        let kind = RequestKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("request kind {kind:?}")))?;
        out.push(crate::dialogue::request_no(kind, r.try_get("id")?));
    }
    let rows = query(&format!(
        "SELECT id FROM cases WHERE customer_id = $1 AND status IN {OPEN_CASES} \
         AND erased_at IS NULL ORDER BY id"
    ))
    .bind(customer_id)
    .fetch_all(conn)
    .await?;
    for r in rows {
        out.push(crate::dialogue::case_no(r.try_get("id")?));
    }
    Ok(out)
}

/// Erases everything personal about a customer, everywhere: name, username, identities'
/// addresses, phone numbers, their words and files, the conversation, what waits to be sent
/// to them or about them, and the registry's copy of their name and phone. Request and case
/// numbers, dates, outcomes and rules cited stay, marked erased. Their channel identities are
/// released, so that writing again starts afresh as a new customer.
pub async fn erase_customer(conn: &mut Conn, customer_id: i64, now: i64) -> Result<()> {
    let needles = personal_needles(conn, customer_id).await?;
    let requests = format!("(SELECT id FROM requests WHERE customer_id = {customer_id})");
    let cases = format!("(SELECT id FROM cases WHERE customer_id = {customer_id})");
    // The registry's copy of the invoices they named.
    query(&format!(
        "UPDATE invoices SET customer_name = $1, phone = NULL \
         WHERE number IN (SELECT invoice FROM requests WHERE customer_id = {customer_id} \
                            AND invoice IS NOT NULL \
                          UNION SELECT invoice FROM cases WHERE customer_id = {customer_id} \
                            AND invoice IS NOT NULL)"
    ))
    .bind(ERASED_MARK)
    .execute(&mut *conn)
    .await?;
    // Everything sent to them or to staff about them: the words are in the payloads.
    query(&format!(
        "DELETE FROM outbox WHERE customer_id = {customer_id} OR request_id IN {requests} \
         OR case_id IN {cases}"
    ))
    .execute(&mut *conn)
    .await?;
    query(&format!(
        "UPDATE requests SET reason_text = NULL, confirmation = CASE WHEN confirmation IS NULL \
           THEN NULL ELSE 'none' END, attachments = '[]', unread_answers = '[]', \
           refund = NULL, erased_at = $1 WHERE id IN {requests}"
    ))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    query(&format!(
        "UPDATE cases SET description = $1, phone = NULL, rating_comment = NULL, \
           status = CASE WHEN status IN {OPEN_CASES} THEN 'closed' ELSE status END, \
           closed_at = COALESCE(closed_at, $2), erased_at = $2 WHERE id IN {cases}"
    ))
    .bind(ERASED_MARK)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    query(&format!(
        "UPDATE case_events SET text = NULL, media = '[]' WHERE case_id IN {cases}"
    ))
    .execute(&mut *conn)
    .await?;
    query(&format!(
        "INSERT INTO case_events (case_id, at, actor, kind, text, media) \
         SELECT id, $1, 'customer', 'erased', NULL, '[]' FROM cases WHERE id IN {cases}"
    ))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    query(&format!(
        "INSERT INTO request_events (request_id, at, actor, event) \
         SELECT id, $1, 'customer', 'erased' FROM requests WHERE id IN {requests}"
    ))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    query(&format!(
        "UPDATE jobs SET status = 'cancelled' WHERE status = 'pending' \
         AND (request_id IN {requests} OR case_id IN {cases})"
    ))
    .execute(&mut *conn)
    .await?;
    query("DELETE FROM conversations WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut *conn)
        .await?;
    drop_held_inputs(conn, customer_id).await?;
    // What a channel keeps under their id there (Zalo's free-window record).
    query(
        "DELETE FROM zalo_windows WHERE user_id IN \
         (SELECT external_id FROM identities WHERE customer_id = $1 AND channel = 'zalo')",
    )
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    // The Telegram chat behind a chat with the company's own account (its address is the
    // business chat's id counted down from BUSINESS_CHAT_BASE).
    query(
        "DELETE FROM business_chats WHERE id IN (SELECT $1 - CAST(address AS BIGINT) \
         FROM identities WHERE customer_id = $2 AND channel = 'telegram_business')",
    )
    .bind(super::BUSINESS_CHAT_BASE)
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    // The identities stay attached to the anonymised records, under ids that no channel gives.
    query(
        "UPDATE identities SET external_id = 'erased:' || CAST(customer_id AS TEXT) || ':' || channel, \
           address = '' WHERE customer_id = $1",
    )
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    // Messages about them that name no request, case or customer (a staff command's answer,
    // an export): found by what they hold.
    let contains = if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        "strpos(payload, $1) > 0"
    } else {
        "instr(payload, $1) > 0"
    };
    for needle in &needles {
        query(&format!("DELETE FROM outbox WHERE {contains}"))
            .bind(needle)
            .execute(&mut *conn)
            .await?;
    }
    query(
        "UPDATE customers SET name = $1, username = NULL, unreachable = 1, reminders_off = 1, \
           erased_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(ERASED_MARK)
    .bind(now)
    .bind(customer_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Pending erasures whose customer has no open request or case left, or whose due time
/// passed: (erasure, customer).
pub async fn erasures_pending(conn: &mut Conn) -> Result<Vec<Erasure>> {
    let rows = query(&format!(
        "SELECT {ERASURE_COLUMNS} FROM erasures WHERE status = 'pending' ORDER BY id"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(erasure_row).collect()
}

/// Corrects the customer's name; the channel's name no longer replaces it.
pub async fn correct_name(conn: &mut Conn, customer_id: i64, name: &str) -> Result<()> {
    query("UPDATE customers SET name = $1, name_corrected = 1 WHERE id = $2")
        .bind(name)
        .bind(customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Corrects the phone number on the customer's cases; returns how many.
pub async fn correct_phone(conn: &mut Conn, customer_id: i64, phone: &str) -> Result<u64> {
    let done = query(
        "UPDATE cases SET phone = $1, phone_verified = 0 WHERE customer_id = $2 AND erased_at IS NULL",
    )
    .bind(phone)
    .bind(customer_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One staff view of customers' personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRecord {
    pub at: i64,
    pub who: String,
    pub action: String,
    pub subject: String,
}

pub async fn log_access(
    conn: &mut Conn,
    who: &str,
    action: &str,
    subject: &str,
    now: i64,
) -> Result<()> {
    query("INSERT INTO data_access_log (at, who, action, subject) VALUES ($1, $2, $3, $4)")
        .bind(now)
        .bind(who)
        .bind(action)
        .bind(subject)
        .execute(conn)
        .await?;
    Ok(())
}

/// The log of views since `since` (Unix seconds), oldest first.
pub async fn access_log(conn: &mut Conn, since: i64) -> Result<Vec<AccessRecord>> {
    let rows =
        query("SELECT at, who, action, subject FROM data_access_log WHERE at >= $1 ORDER BY id")
            .bind(since)
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(AccessRecord {
                at: r.try_get("at")?,
                who: r.try_get("who")?,
                action: r.try_get("action")?,
                subject: r.try_get("subject")?,
            })
        })
        .collect()
}

/// A request or case whose files and free text are past the retention period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    /// BL-000001, KN-000002, …
    pub number: String,
    /// When it was closed (Unix seconds).
    pub closed_at: i64,
    /// How many files it holds.
    pub files: usize,
}

/// Requests decided and cases closed before `before`, with files or free text still kept.
pub async fn expired_records(conn: &mut Conn, before: i64) -> Result<Vec<Expired>> {
    let mut out = Vec::new();
    let rows = query(&format!(
        "SELECT id, kind, attachments, confirmation, \
           COALESCE(job_done_at, decided_at, created_at) AS closed_at FROM requests \
         WHERE purged_at IS NULL AND erased_at IS NULL AND status NOT IN {OPEN_REQUESTS} \
           AND COALESCE(job_done_at, decided_at, created_at) < $1 \
           AND (reason_text IS NOT NULL OR attachments <> '[]' OR unread_answers <> '[]' \
                OR (confirmation IS NOT NULL AND confirmation <> 'none')) ORDER BY id"
    ))
    .bind(before)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let kind: String = r.try_get("kind")?;
        let kind = RequestKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("request kind {kind:?}")))?;
        let attachments: String = r.try_get("attachments")?;
        let confirmation: Option<String> = r.try_get("confirmation")?;
        let files = from_json::<Vec<Attachment>>(&attachments)?.len()
            + usize::from(confirmation.is_some_and(|c| c != "none"));
        out.push(Expired {
            number: crate::dialogue::request_no(kind, r.try_get("id")?),
            closed_at: r.try_get("closed_at")?,
            files,
        });
    }
    let rows = query(
        "SELECT id, closed_at, (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.id \
           AND e.media <> '[]') AS files FROM cases \
         WHERE purged_at IS NULL AND erased_at IS NULL AND status = 'closed' \
           AND closed_at IS NOT NULL AND closed_at < $1 ORDER BY id",
    )
    .bind(before)
    .fetch_all(conn)
    .await?;
    for r in rows {
        out.push(Expired {
            number: crate::dialogue::case_no(r.try_get("id")?),
            closed_at: r.try_get("closed_at")?,
            files: r.try_get::<i64, _>("files")? as usize,
        });
    }
    Ok(out)
}

/// Purges the files and free text of requests decided and cases closed before `before`;
/// returns what was purged.
pub async fn purge_expired(conn: &mut Conn, before: i64, now: i64) -> Result<Vec<Expired>> {
    let expired = expired_records(conn, before).await?;
    for e in &expired {
        let (prefix, id) = e.number.split_once('-').unwrap_or(("", ""));
        let id: i64 = id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("record number {:?}", e.number)))?;
        if prefix == "KN" {
            query(
                "UPDATE cases SET description = $1, rating_comment = NULL, purged_at = $2 \
                 WHERE id = $3",
            )
            .bind(PURGED_MARK)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            query("UPDATE case_events SET text = NULL, media = '[]' WHERE case_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            query("DELETE FROM outbox WHERE case_id = $1 AND status <> 'pending'")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        } else {
            query(
                "UPDATE requests SET reason_text = NULL, attachments = '[]', \
                   unread_answers = '[]', confirmation = CASE WHEN confirmation IS NULL \
                   THEN NULL ELSE 'none' END, purged_at = $1 WHERE id = $2",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            query("DELETE FROM outbox WHERE request_id = $1 AND status <> 'pending'")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(expired)
}

/// Everything kept about a customer, for the customer (`/dulieu`).
#[derive(Debug, Clone, Serialize)]
pub struct CustomerData {
    pub customer: Customer,
    pub identities: Vec<Identity>,
    /// The conversation in progress (answers given so far), as stored.
    pub conversation: Option<serde_json::Value>,
    pub requests: Vec<Request>,
    pub cases: Vec<(Case, Vec<CaseEvent>)>,
    pub consents: Vec<ConsentRecord>,
    /// Every file they sent: (where, file).
    pub files: Vec<(String, Attachment)>,
}

pub async fn customer_data(conn: &mut Conn, customer_id: i64) -> Result<CustomerData> {
    let customer = customer_of(conn, customer_id).await?;
    let rows = query(
        "SELECT channel, external_id, address FROM identities WHERE customer_id = $1 \
         ORDER BY channel, external_id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let identities = rows
        .iter()
        .map(|r| {
            Ok(Identity {
                channel: r.try_get("channel")?,
                external_id: r.try_get("external_id")?,
                address: r.try_get("address")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let conversation = query("SELECT state FROM conversations WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get::<String, _>("state"))
        .transpose()?
        .and_then(|s| serde_json::from_str(&s).ok());
    let ids: Vec<i64> = query("SELECT id FROM requests WHERE customer_id = $1 ORDER BY id")
        .bind(customer_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
    let mut requests = Vec::new();
    let mut files = Vec::new();
    for id in ids {
        if let Some(r) = request(conn, id).await? {
            let no = r.number();
            if let Some(a) = r.confirmation() {
                files.push((no.clone(), a.clone()));
            }
            for a in &r.attachments {
                files.push((no.clone(), a.clone()));
            }
            requests.push(r);
        }
    }
    let ids: Vec<i64> = query("SELECT id FROM cases WHERE customer_id = $1 ORDER BY id")
        .bind(customer_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
    let mut cases = Vec::new();
    for id in ids {
        if let Some(c) = case(conn, id).await? {
            let events = case_events(conn, id).await?;
            for e in &events {
                if e.actor == "customer" {
                    for a in &e.media {
                        files.push((crate::dialogue::case_no(id), a.clone()));
                    }
                }
            }
            cases.push((c, events));
        }
    }
    Ok(CustomerData {
        customer,
        identities,
        conversation,
        requests,
        cases,
        consents: consents(conn, customer_id).await?,
        files,
    })
}

/// Whether a waiting erasure was last pinged to staff before `before` (or never, since
/// confirmed before it).
pub async fn erasure_ping_due(conn: &mut Conn, id: i64, before: i64) -> Result<bool> {
    let row = query(
        "SELECT COALESCE(pinged_at, confirmed_at, asked_at) AS last FROM erasures WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        Some(r) => r.try_get::<i64, _>("last")? <= before,
        None => false,
    })
}

pub async fn erasure_pinged(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    query("UPDATE erasures SET pinged_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// What identifies a customer or is their own words, as it would appear in a stored message:
/// their name, username, phone numbers, and the start of each text they wrote (up to the
/// first character a JSON payload escapes; at least 4 characters long).
async fn personal_needles(conn: &mut Conn, customer_id: i64) -> Result<Vec<String>> {
    let mut texts: Vec<String> = Vec::new();
    let mut push = |t: Option<String>| texts.extend(t);
    let row = query("SELECT name, username FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(r) = row {
        push(r.try_get("name")?);
        push(r.try_get("username")?);
    }
    for r in query("SELECT phone, description, rating_comment FROM cases WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_all(&mut *conn)
        .await?
    {
        push(r.try_get("phone")?);
        push(r.try_get("description")?);
        push(r.try_get("rating_comment")?);
    }
    for r in query(
        "SELECT e.text FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE c.customer_id = $1 AND e.actor = 'customer'",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?
    {
        push(r.try_get("text")?);
    }
    for r in query("SELECT reason_text, unread_answers FROM requests WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_all(&mut *conn)
        .await?
    {
        push(r.try_get("reason_text")?);
        let unread: String = r.try_get("unread_answers")?;
        for t in from_json::<Vec<String>>(&unread).unwrap_or_default() {
            push(Some(t));
        }
    }
    let mut needles: Vec<String> = texts
        .iter()
        .filter_map(|t| {
            let head: String = t
                .trim()
                .chars()
                .take_while(|c| !matches!(c, '"' | '\\' | '\n' | '\r' | '\t') && !c.is_control())
                .take(60)
                .collect();
            let head = head.trim().to_string();
            (head.chars().count() >= 4 && head != ERASED_MARK).then_some(head)
        })
        .collect();
    needles.sort();
    needles.dedup();
    Ok(needles)
}

/// The ids of the customer's cases.
pub async fn case_ids_of(conn: &mut Conn, customer_id: i64) -> Result<Vec<i64>> {
    let rows = query("SELECT id FROM cases WHERE customer_id = $1 ORDER BY id")
        .bind(customer_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}
