//! The invoice registry, and the exports of requests and cases.

use super::*;

/// An invoice as staff imported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRecord {
    pub number: String,
    pub customer_name: String,
    /// National form "0xxxxxxxxx".
    pub phone: Option<String>,
    pub amount: Option<i64>,
    pub paid_on: NaiveDate,
    pub job_on: Option<NaiveDate>,
    /// paid, done, cancelled
    pub status: String,
}

/// Adds or updates an invoice; true when it was new.
pub async fn upsert_invoice(conn: &mut Conn, inv: &InvoiceRecord, now: i64) -> Result<bool> {
    let existed = invoice(&mut *conn, &inv.number).await?.is_some();
    query(
        "INSERT INTO invoices (number, customer_name, phone, amount, paid_on, job_on, status, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (number) DO UPDATE SET customer_name = excluded.customer_name, \
         phone = excluded.phone, amount = excluded.amount, paid_on = excluded.paid_on, \
         job_on = excluded.job_on, status = excluded.status, updated_at = excluded.updated_at",
    )
    .bind(&inv.number)
    .bind(&inv.customer_name)
    .bind(&inv.phone)
    .bind(inv.amount)
    .bind(date_text(Some(inv.paid_on)))
    .bind(date_text(inv.job_on))
    .bind(&inv.status)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(!existed)
}

pub async fn invoice(conn: &mut Conn, number: &str) -> Result<Option<InvoiceRecord>> {
    let row = query(
        "SELECT number, customer_name, phone, amount, paid_on, job_on, status FROM invoices WHERE number = $1",
    )
    .bind(number)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(InvoiceRecord {
            number: r.try_get("number")?,
            customer_name: r.try_get("customer_name")?,
            phone: r.try_get("phone")?,
            amount: r.try_get("amount")?,
            paid_on: parse_date(r.try_get("paid_on")?)?.unwrap_or_default(),
            job_on: parse_date(r.try_get("job_on")?)?,
            status: r.try_get("status")?,
        })
    })
    .transpose()
}

/// Every request since `since` (Unix seconds), with its customer, for exports.
pub async fn export_requests(
    conn: &mut Conn,
    since: i64,
) -> Result<Vec<(Request, Customer, Option<i64>, Option<i64>)>> {
    let rows = query(&format!(
        "SELECT {REQUEST_COLUMNS}, last_call_at, job_done_at FROM requests WHERE created_at >= $1 ORDER BY id"
    ))
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let req = request_row(r)?;
        let last_call: Option<i64> = r.try_get("last_call_at")?;
        let job_done: Option<i64> = r.try_get("job_done_at")?;
        let customer = customer_of(&mut *conn, req.customer_id).await?;
        out.push((req, customer, last_call, job_done));
    }
    Ok(out)
}

/// Every case since `since`, with its customer, for exports.
pub async fn export_cases(conn: &mut Conn, since: i64) -> Result<Vec<(Case, Customer)>> {
    let rows = query(&format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE created_at >= $1 ORDER BY id"
    ))
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let case = case_row(r)?;
        let customer = customer_of(&mut *conn, case.customer_id).await?;
        out.push((case, customer));
    }
    Ok(out)
}

/// Whether any invoice was imported.
pub async fn has_invoices(conn: &mut Conn) -> Result<bool> {
    let row = query("SELECT COUNT(*) AS n FROM (SELECT 1 FROM invoices LIMIT 1) AS x")
        .fetch_one(conn)
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}
