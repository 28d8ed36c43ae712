//! Requests (deferrals, refunds, hand-offs) and their history; hotline calls and jobs done on them.

use super::*;

impl Store {
    pub async fn request(&self, id: i64) -> Result<Option<Request>> {
        let mut conn = self.db.acquire().await?;
        request(&mut conn, id).await
    }
}

/// A request's details as its columns hold them. Every kind keeps its own in the columns it
/// has always used: a deferral (and a hand-off, so far as it got) in the deferral columns,
/// a refund in `refund` (JSON of its facts and decision) and `paid_on`.
#[derive(Default)]
struct DetailColumns {
    paid_on: Option<NaiveDate>,
    scheduled_on: Option<Option<NaiveDate>>,
    new_date: Option<NaiveDate>,
    reason: Option<Reason>,
    confirmation: Option<Option<Attachment>>,
    decision: Option<String>,
    refund: Option<String>,
}

impl DetailColumns {
    fn of(details: &RequestDetails) -> Result<DetailColumns> {
        Ok(match details {
            RequestDetails::Deferral(d) => DetailColumns {
                paid_on: Some(d.paid_on),
                scheduled_on: Some(d.scheduled_on),
                new_date: Some(d.new_date),
                reason: Some(d.reason),
                confirmation: d.confirmation.clone(),
                decision: Some(json(&d.decision)?),
                refund: None,
            },
            RequestDetails::Refund(record) => DetailColumns {
                paid_on: Some(record.facts.paid_on),
                refund: Some(json(record)?),
                ..DetailColumns::default()
            },
            RequestDetails::Handoff(h) => DetailColumns {
                paid_on: h.paid_on,
                scheduled_on: h.scheduled_on,
                new_date: h.new_date,
                reason: h.reason,
                confirmation: h.confirmation.clone(),
                ..DetailColumns::default()
            },
        })
    }

    fn read(r: &Row) -> Result<DetailColumns> {
        let scheduled_state: Option<String> = r.try_get("scheduled_state")?;
        let confirmation: Option<String> = r.try_get("confirmation")?;
        let reason: Option<String> = r.try_get("reason")?;
        Ok(DetailColumns {
            paid_on: parse_date(r.try_get("paid_on")?)?,
            scheduled_on: match scheduled_state.as_deref() {
                None => None,
                Some("none") => Some(None),
                Some(_) => Some(parse_date(r.try_get("scheduled_on")?)?),
            },
            new_date: parse_date(r.try_get("new_date")?)?,
            reason: reason.as_deref().and_then(Reason::from_code),
            confirmation: match confirmation.as_deref() {
                None => None,
                Some("none") => Some(None),
                Some(j) => Some(Some(from_json(j)?)),
            },
            decision: r.try_get("decision")?,
            refund: r.try_get("refund")?,
        })
    }

    /// The details of a request of `kind`; a column its kind needs and lacks is corrupt.
    fn details(self, kind: RequestKind) -> Result<RequestDetails> {
        let missing = |what: &str| StoreError::Corrupt(format!("{} without {what}", kind.code()));
        Ok(match kind {
            RequestKind::Deferral => RequestDetails::Deferral(DeferralDetails {
                paid_on: self.paid_on.ok_or_else(|| missing("paid_on"))?,
                scheduled_on: self.scheduled_on.ok_or_else(|| missing("scheduled_on"))?,
                new_date: self.new_date.ok_or_else(|| missing("new_date"))?,
                reason: self.reason.ok_or_else(|| missing("reason"))?,
                confirmation: self.confirmation,
                decision: from_json(&self.decision.ok_or_else(|| missing("decision"))?)?,
            }),
            RequestKind::Refund => {
                RequestDetails::Refund(from_json(&self.refund.ok_or_else(|| missing("refund"))?)?)
            }
            RequestKind::Handoff => RequestDetails::Handoff(HandoffDetails {
                paid_on: self.paid_on,
                scheduled_on: self.scheduled_on,
                new_date: self.new_date,
                reason: self.reason,
                confirmation: self.confirmation,
            }),
        })
    }
}

/// Inserts a request (its `id` is ignored) and returns the new id.
pub async fn insert_request(conn: &mut Conn, r: &Request) -> Result<i64> {
    let d = DetailColumns::of(&r.details)?;
    let (scheduled_state, scheduled_on) = match d.scheduled_on {
        None => (None, None),
        Some(None) => (Some("none"), None),
        Some(Some(day)) => (Some("date"), date_text(Some(day))),
    };
    let confirmation = match &d.confirmation {
        None => None,
        Some(None) => Some("none".to_string()),
        Some(Some(a)) => Some(json(a)?),
    };
    let (outcome, rules_cited) = match r.outcome() {
        Some((outcome, rules)) => {
            let ids: Vec<&str> = rules.iter().map(|r| r.id()).collect();
            (Some(outcome), ids.join(","))
        }
        None => (None, String::new()),
    };
    let row = query(
        "INSERT INTO requests (kind, status, customer_id, invoice, paid_on, scheduled_state, \
         scheduled_on, new_date, reason, reason_text, confirmation, attachments, unread_answers, \
         outcome, rules_cited, decision, created_at, refund, registry) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
         RETURNING id",
    )
    .bind(r.kind().code())
    .bind(r.status.code())
    .bind(r.customer_id)
    .bind(&r.invoice)
    .bind(date_text(d.paid_on))
    .bind(scheduled_state)
    .bind(scheduled_on)
    .bind(date_text(d.new_date))
    .bind(d.reason.map(|x| x.code()))
    .bind(&r.reason_text)
    .bind(confirmation)
    .bind(json(&r.attachments)?)
    .bind(json(&r.unread_answers)?)
    .bind(outcome)
    .bind(rules_cited)
    .bind(d.decision)
    .bind(r.created_at)
    .bind(d.refund)
    .bind(r.registry.map(|m| m.code()))
    .fetch_one(conn)
    .await?;
    row.try_get("id")
}

pub(super) const REQUEST_COLUMNS: &str =
    "id, kind, status, customer_id, invoice, paid_on, scheduled_state, \
     scheduled_on, new_date, reason, reason_text, confirmation, attachments, unread_answers, \
     decision, created_at, decided_by, decided_at, refund, registry";

pub(super) fn request_row(r: &Row) -> Result<Request> {
    let kind: String = r.try_get("kind")?;
    let kind = RequestKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(kind.clone()))?;
    let status: String = r.try_get("status")?;
    let registry: Option<String> = r.try_get("registry")?;
    let attachments: String = r.try_get("attachments")?;
    let unread: String = r.try_get("unread_answers")?;
    Ok(Request {
        id: r.try_get("id")?,
        status: RequestStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(status.clone()))?,
        customer_id: r.try_get("customer_id")?,
        invoice: r.try_get("invoice")?,
        reason_text: r.try_get("reason_text")?,
        attachments: from_json(&attachments)?,
        unread_answers: from_json(&unread)?,
        registry: registry.as_deref().and_then(RegistryMatch::from_code),
        details: DetailColumns::read(r)?.details(kind)?,
        created_at: r.try_get("created_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
    })
}

pub async fn request(conn: &mut Conn, id: i64) -> Result<Option<Request>> {
    let row = query(&format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(request_row).transpose()
}

/// The customer's requests, newest first.
pub async fn customer_requests(
    conn: &mut Conn,
    customer_id: i64,
    tz: chrono_tz::Tz,
) -> Result<Vec<RequestSummary>> {
    let rows = query(&format!(
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
                kind: r.kind(),
                status: r.status,
                created_on,
                paid_on: r.paid_on(),
                new_date: r.new_date(),
                invoice: r.invoice,
            })
        })
        .collect()
}

/// Moves a request from one status to another; false when it was not in `from` any more.
pub async fn change_status(
    conn: &mut Conn,
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
            query(&format!(
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
            query(&format!(
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
    conn: &mut Conn,
    request_id: i64,
    at: i64,
    actor: &str,
    event: &str,
) -> Result<()> {
    query("INSERT INTO request_events (request_id, at, actor, event) VALUES ($1, $2, $3, $4)")
        .bind(request_id)
        .bind(at)
        .bind(actor)
        .bind(event)
        .execute(conn)
        .await?;
    Ok(())
}

/// The history of a request: (at, actor, event), oldest first.
pub async fn events(conn: &mut Conn, request_id: i64) -> Result<Vec<(i64, String, String)>> {
    let rows =
        query("SELECT at, actor, event FROM request_events WHERE request_id = $1 ORDER BY id")
            .bind(request_id)
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("at")?, r.try_get("actor")?, r.try_get("event")?)))
        .collect()
}

pub async fn record_request_call(conn: &mut Conn, id: i64, at: i64, reached: bool) -> Result<()> {
    query("UPDATE requests SET last_call_at = $1, last_call = $2 WHERE id = $3")
        .bind(at)
        .bind(if reached { "reached" } else { "no_answer" })
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How the last hotline call to a request's customer went ("reached", "no_answer"), and when.
pub async fn request_last_call(conn: &mut Conn, id: i64) -> Result<(Option<String>, Option<i64>)> {
    let row = query("SELECT last_call, last_call_at FROM requests WHERE id = $1")
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
pub async fn request_missed_calls(conn: &mut Conn, id: i64) -> Result<i64> {
    let (n,): (i64,) = query_as(
        "SELECT COUNT(*) FROM request_events WHERE request_id = $1 AND event = 'no_answer'",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Records the job of a request as done; false when it was recorded before.
pub async fn mark_job_done(conn: &mut Conn, id: i64, by: &str, at: i64) -> Result<bool> {
    let done = query(
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
pub async fn request_follow_up(conn: &mut Conn, id: i64) -> Result<(Option<i64>, Option<i64>)> {
    let row = query("SELECT last_call_at, job_done_at FROM requests WHERE id = $1")
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
pub async fn deferral_moved_again(conn: &mut Conn, id: i64, invoice: &str) -> Result<bool> {
    let key: String = invoice
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let (n,): (i64,) = query_as(&format!(
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
pub async fn approved_deferral_by_invoice(conn: &mut Conn, invoice: &str) -> Result<Option<i64>> {
    let row = query(
        "SELECT id FROM requests WHERE kind = 'deferral' AND invoice = $1 \
         AND status IN ('approved', 'staff_approved') ORDER BY id DESC LIMIT 1",
    )
    .bind(invoice)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// Approved deferrals whose new date is `date` (YYYY-MM-DD), for the morning digest.
/// An invoice number as SQL compares it: its letters and digits ("HD-2026-0012" and
/// "HD20260012" are one invoice). `Invoice::parse` keeps only these and - / . _.
fn invoice_key_sql(column: &str) -> String {
    format!("REPLACE(REPLACE(REPLACE(REPLACE({column}, '-', ''), '/', ''), '.', ''), '_', '')")
}

/// The approved deferrals whose new date is `date`, but for those a later approved deferral of
/// the same invoice moved again.
pub async fn deferrals_on(conn: &mut Conn, date: NaiveDate) -> Result<Vec<Request>> {
    let rows = query(&format!(
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
