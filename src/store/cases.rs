//! Complaint cases and their history.

use super::*;

pub async fn insert_case(conn: &mut Conn, c: &Case) -> Result<i64> {
    let row = query(
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
    row.try_get("id")
}

pub(super) const CASE_COLUMNS: &str =
    "id, customer_id, category, description, invoice, urgent, phone, phone_verified, \
     call_consent, status, step, claimed_by, claimed_by_id, claimed_at, last_call_at, last_call, \
     rating, rating_comment, topic_id, card_message_id, created_at, closed_at";

pub(super) fn case_row(r: &Row) -> Result<Case> {
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

pub async fn case(conn: &mut Conn, id: i64) -> Result<Option<Case>> {
    let row = query(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(case_row).transpose()
}

/// The customer's cases, newest first.
pub async fn customer_cases(
    conn: &mut Conn,
    customer_id: i64,
    tz: chrono_tz::Tz,
) -> Result<Vec<CaseSummary>> {
    let rows = query(&format!(
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
pub async fn open_cases(conn: &mut Conn) -> Result<Vec<Case>> {
    let rows = query(&format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE status IN ('open', 'claimed', 'step3') ORDER BY id LIMIT 100"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(case_row).collect()
}

pub async fn add_case_event(
    conn: &mut Conn,
    case_id: i64,
    at: i64,
    actor: &str,
    kind: &str,
    text: Option<&str>,
    media: &[Attachment],
) -> Result<()> {
    query("INSERT INTO case_events (case_id, at, actor, kind, text, media) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(case_id)
        .bind(at)
        .bind(actor)
        .bind(kind)
        .bind(text)
        .bind(json(&media)?)
        .execute(&mut *conn)
        .await?;
    query("UPDATE cases SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(case_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn case_events(conn: &mut Conn, case_id: i64) -> Result<Vec<CaseEvent>> {
    let rows = query(
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
pub async fn claim_case(conn: &mut Conn, id: i64, by: &str, by_id: i64, at: i64) -> Result<bool> {
    let done = query(
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
    conn: &mut Conn,
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
    let done = query(&format!(
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

pub async fn record_call(conn: &mut Conn, id: i64, at: i64, outcome: &str) -> Result<()> {
    query(
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
    conn: &mut Conn,
    id: i64,
    stars: Option<i64>,
    comment: Option<&str>,
) -> Result<()> {
    query(
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
        // The message replied to (any part of a row sent in several), if it is one of a case's.
        let replied = match reply_to {
            Some(message_id) => query(
                "SELECT case_id, payload FROM outbox WHERE channel = $1 AND address = $2 \
                 AND case_id IS NOT NULL AND (message_id = $3 OR id IN \
                 (SELECT outbox_id FROM outbox_sent_parts WHERE message_id = $4)) LIMIT 1",
            )
            .bind(STAFF_CHANNEL)
            .bind(staff_chat.to_string())
            .bind(message_id)
            .bind(message_id)
            .fetch_optional(&self.db)
            .await?
            .map(|r| -> Result<(i64, bool)> {
                let payload: String = r.try_get("payload")?;
                let answers = serde_json::from_str::<Content>(&payload)
                    .map(|o| o.answers_customer())
                    .unwrap_or(false);
                Ok((r.try_get("case_id")?, answers))
            })
            .transpose()?,
            None => None,
        };
        if let Some(thread) = thread_id {
            let row = query("SELECT id FROM cases WHERE topic_id = $1")
                .bind(thread)
                .fetch_optional(&self.db)
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
        let mut conn = self.db.acquire().await?;
        case(&mut conn, id).await
    }

    pub async fn set_case_topic(&self, id: i64, topic: i64) -> Result<()> {
        query("UPDATE cases SET topic_id = $1 WHERE id = $2 AND topic_id IS NULL")
            .bind(topic)
            .bind(id)
            .execute(&self.db)
            .await?;
        Ok(())
    }

    pub async fn set_case_card(&self, id: i64, message_id: i64) -> Result<()> {
        query("UPDATE cases SET card_message_id = $1 WHERE id = $2")
            .bind(message_id)
            .bind(id)
            .execute(&self.db)
            .await?;
        Ok(())
    }
}
