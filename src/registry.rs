//! The invoice registry and the exports: reading the company's spreadsheet (CSV as Excel writes
//! it in Vietnamese locales), and writing every request and case for a spreadsheet or a script.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::dialogue::Part;
use crate::store::{self, InvoiceRecord, Store, StoreError};
use crate::text::{fold, Invoice, Phone};

/// Why a row of the file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    BadInvoice(String),
    MissingName,
    BadDate { column: &'static str, value: String },
    BadAmount(String),
    BadPhone(String),
    BadStatus(String),
    Duplicate { number: String, first_line: u64 },
    WrongFieldCount,
}

impl RowProblem {
    /// The problem in the operator's language.
    pub fn part(&self) -> Part {
        match self {
            RowProblem::BadInvoice(v) => Part::new("import-bad-invoice").str("value", v),
            RowProblem::MissingName => Part::new("import-missing-name"),
            RowProblem::BadDate { column, value } => Part::new("import-bad-date")
                .msg("column", &format!("import-column-{column}"))
                .str("value", value),
            RowProblem::BadAmount(v) => Part::new("import-bad-amount").str("value", v),
            RowProblem::BadPhone(v) => Part::new("import-bad-phone").str("value", v),
            RowProblem::BadStatus(v) => Part::new("import-bad-status").str("value", v),
            RowProblem::Duplicate { number, first_line } => Part::new("import-duplicate")
                .str("number", number)
                .int("first", *first_line as i64),
            RowProblem::WrongFieldCount => Part::new("import-field-count"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("missing columns: {0:?}")]
    MissingColumns(Vec<&'static str>),
    #[error("the file is not readable CSV: {0}")]
    Csv(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The file, read: good rows and bad rows, each with its line number.
#[derive(Debug, Default)]
pub struct ReadFile {
    pub rows: Vec<(u64, InvoiceRecord)>,
    pub bad: Vec<(u64, RowProblem)>,
}

/// The columns, and the header names (folded) each is recognised by.
const COLUMNS: [(&str, &[&str]); 7] = [
    (
        "number",
        &[
            "so hoa don",
            "hoa don",
            "ma hoa don",
            "so hd",
            "invoice",
            "invoice number",
            "invoice no",
        ],
    ),
    (
        "name",
        &[
            "ten khach hang",
            "khach hang",
            "ho ten",
            "ten khach",
            "customer",
            "customer name",
            "name",
        ],
    ),
    (
        "phone",
        &[
            "so dien thoai",
            "dien thoai",
            "sdt",
            "phone",
            "phone number",
        ],
    ),
    (
        "amount",
        &["so tien", "tien", "thanh tien", "chi phi", "amount"],
    ),
    (
        "paid",
        &[
            "ngay thanh toan",
            "ngay dong phi",
            "ngay dong",
            "paid",
            "paid date",
            "paid on",
            "payment date",
        ],
    ),
    (
        "job",
        &[
            "ngay thi cong",
            "lich thi cong",
            "job date",
            "job",
            "job on",
        ],
    ),
    ("status", &["trang thai", "tinh trang", "status"]),
];

/// A date as a spreadsheet writes it: dd/mm/yyyy (also with - or .) or yyyy-mm-dd.
pub fn sheet_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    let parts: Vec<&str> = v.split(['/', '-', '.']).collect();
    let [a, b, c] = parts[..] else { return None };
    let num = |s: &str| s.parse::<u32>().ok();
    let (year, month, day) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return None; // two-digit years are not trusted
    };
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// An amount in đồng, with or without thousands separators: "1.234.000", "1,234,000 ₫".
pub fn sheet_amount(value: &str) -> Option<i64> {
    let digits: String = value
        .trim()
        .trim_end_matches(['₫', 'đ', 'd'])
        .trim_end_matches("VND")
        .trim_end_matches("vnd")
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub fn sheet_status(value: &str) -> Option<&'static str> {
    match fold(value).as_str() {
        "paid" | "da thanh toan" | "thanh toan" | "da dong" | "da dong phi" => Some("paid"),
        "done" | "da thi cong" | "hoan thanh" | "xong" | "completed" => Some("done"),
        "cancelled" | "canceled" | "da huy" | "huy" => Some("cancelled"),
        _ => None,
    }
}

/// Reads the file: UTF-8 with or without a BOM, comma or semicolon separated, a header row.
pub fn read_invoices(text: &str) -> Result<ReadFile, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Excel writes CRLF; with plain line feeds every row's line number is the one the operator
    // sees in the file.
    let text = &text.replace("\r\n", "\n");
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .iter()
        .map(fold)
        .collect();
    let position = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let index: HashMap<&str, Option<usize>> = COLUMNS
        .iter()
        .map(|(c, names)| (*c, position(names)))
        .collect();
    let missing: Vec<&'static str> = ["number", "name", "paid", "status"]
        .into_iter()
        .filter(|c| index[c].is_none())
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }
    let mut read = ReadFile::default();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv(e.to_string()))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() < headers.len() {
            read.bad.push((line, RowProblem::WrongFieldCount));
            continue;
        }
        let field = |c: &str| {
            index[c]
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        match read_row(&field) {
            Ok(inv) => match seen.get(&inv.number) {
                Some(first) => read.bad.push((
                    line,
                    RowProblem::Duplicate {
                        number: inv.number.clone(),
                        first_line: *first,
                    },
                )),
                None => {
                    seen.insert(inv.number.clone(), line);
                    read.rows.push((line, inv));
                }
            },
            Err(p) => read.bad.push((line, p)),
        }
    }
    Ok(read)
}

fn read_row(field: &dyn Fn(&str) -> String) -> Result<InvoiceRecord, RowProblem> {
    let raw = field("number");
    let number = Invoice::parse(&raw).map_err(|_| RowProblem::BadInvoice(raw.clone()))?;
    let name = field("name");
    if name.is_empty() {
        return Err(RowProblem::MissingName);
    }
    let paid = field("paid");
    let paid_on = sheet_date(&paid).ok_or(RowProblem::BadDate {
        column: "paid",
        value: paid,
    })?;
    let job = field("job");
    let job_on = match job.as_str() {
        "" => None,
        v => Some(sheet_date(v).ok_or(RowProblem::BadDate {
            column: "job",
            value: job.clone(),
        })?),
    };
    let amount = match field("amount").as_str() {
        "" => None,
        v => Some(sheet_amount(v).ok_or(RowProblem::BadAmount(v.to_string()))?),
    };
    let phone = match field("phone").as_str() {
        "" => None,
        v => Some(
            Phone::parse(v)
                .map_err(|_| RowProblem::BadPhone(v.to_string()))?
                .as_str()
                .to_string(),
        ),
    };
    let status_raw = field("status");
    let status = sheet_status(&status_raw).ok_or(RowProblem::BadStatus(status_raw))?;
    Ok(InvoiceRecord {
        number: number.as_str().to_string(),
        customer_name: name,
        phone,
        amount,
        paid_on,
        job_on,
        status: status.to_string(),
    })
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub skipped: usize,
}

/// Imports the good rows, in one transaction. With bad rows and no `skip_bad`, nothing is
/// imported (returns None).
pub async fn import(
    store: &Store,
    read: &ReadFile,
    skip_bad: bool,
    now: i64,
) -> Result<Option<ImportSummary>, ImportError> {
    if !read.bad.is_empty() && !skip_bad {
        return Ok(None);
    }
    let mut tx = store.begin().await?;
    let mut summary = ImportSummary {
        skipped: read.bad.len(),
        ..Default::default()
    };
    for (_, inv) in &read.rows {
        if store::upsert_invoice(&mut tx, inv, now).await? {
            summary.added += 1;
        } else {
            summary.updated += 1;
        }
    }
    tx.commit().await?;
    Ok(Some(summary))
}

// ---- Exports ----

/// One request, with the field names the README documents (stable).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RequestRow {
    pub number: String,
    pub kind: String,
    pub status: String,
    pub outcome: String,
    pub rules_cited: String,
    pub created_at: String,
    pub invoice: String,
    pub paid_on: String,
    pub scheduled_on: String,
    pub new_date: String,
    pub reason: String,
    pub reason_text: String,
    pub customer_id: ChannelId,
    pub customer_name: String,
    pub customer_username: String,
    pub decided_by: String,
    pub decided_at: String,
    pub call_back_at: String,
    pub job_done_at: String,
}

/// One complaint case (stable field names).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseRow {
    pub number: String,
    pub category: String,
    pub status: String,
    pub step: i64,
    pub urgent: bool,
    pub created_at: String,
    pub invoice: String,
    pub customer_id: ChannelId,
    pub customer_name: String,
    pub phone: String,
    pub claimed_by: String,
    pub claimed_at: String,
    pub call_back_at: String,
    pub call_outcome: String,
    pub rating: String,
    pub rating_comment: String,
    pub closed_at: String,
    /// The customer's description, whole.
    pub description: String,
}

/// The customer as staff know them: the id of the channel they last wrote from (Telegram: the
/// user id), a number in the exports when it is one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelId(pub String);

impl ChannelId {
    fn of(c: &crate::dialogue::Customer) -> ChannelId {
        ChannelId(c.identity.external_id.clone())
    }
}

impl Serialize for ChannelId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.parse::<i64>() {
            Ok(n) => s.serialize_i64(n),
            Err(_) => s.serialize_str(&self.0),
        }
    }
}

fn time(unix: Option<i64>, tz: chrono_tz::Tz) -> String {
    unix.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

pub async fn request_rows(
    store: &Store,
    since: i64,
    tz: chrono_tz::Tz,
) -> Result<Vec<RequestRow>, StoreError> {
    let mut conn = store.conn().await?;
    let rows = store::export_requests(&mut conn, since).await?;
    Ok(rows
        .into_iter()
        .map(|(r, c, last_call, job_done)| {
            let (outcome, rules) = match r.outcome() {
                Some((outcome, rules)) => (
                    outcome.to_string(),
                    rules.iter().map(|r| r.id()).collect::<Vec<_>>().join(","),
                ),
                None => (String::new(), String::new()),
            };
            RequestRow {
                number: r.number(),
                kind: r.kind().code().to_string(),
                status: r.status.code().to_string(),
                outcome,
                rules_cited: rules,
                created_at: time(Some(r.created_at), tz),
                invoice: r.invoice.clone().unwrap_or_default(),
                paid_on: day(r.paid_on()),
                scheduled_on: match r.scheduled_on() {
                    Some(Some(d)) => day(Some(d)),
                    Some(None) => "none".into(),
                    None => String::new(),
                },
                new_date: day(r.new_date()),
                reason: r.reason().map(|x| x.code().to_string()).unwrap_or_default(),
                reason_text: r.reason_text.clone().unwrap_or_default(),
                customer_id: ChannelId::of(&c),
                customer_name: c.name,
                customer_username: c.username.unwrap_or_default(),
                decided_by: r.decided_by.clone().unwrap_or_default(),
                decided_at: time(r.decided_at, tz),
                call_back_at: time(last_call, tz),
                job_done_at: time(job_done, tz),
            }
        })
        .collect())
}

pub async fn case_rows(
    store: &Store,
    since: i64,
    tz: chrono_tz::Tz,
) -> Result<Vec<CaseRow>, StoreError> {
    let mut conn = store.conn().await?;
    let rows = store::export_cases(&mut conn, since).await?;
    Ok(rows
        .into_iter()
        .map(|(k, c)| CaseRow {
            number: k.number(),
            category: k.category.code().to_string(),
            status: k.status.code().to_string(),
            step: k.step,
            urgent: k.urgent,
            created_at: time(Some(k.created_at), tz),
            invoice: k.invoice.clone().unwrap_or_default(),
            customer_id: ChannelId::of(&c),
            customer_name: c.name,
            phone: k.phone.clone().unwrap_or_default(),
            claimed_by: k.claimed_by.clone().unwrap_or_default(),
            claimed_at: time(k.claimed_at, tz),
            call_back_at: time(k.last_call_at, tz),
            call_outcome: k.last_call.clone().unwrap_or_default(),
            rating: k.rating.map(|r| r.to_string()).unwrap_or_default(),
            rating_comment: k.rating_comment.clone().unwrap_or_default(),
            closed_at: time(k.closed_at, tz),
            description: k.description.clone(),
        })
        .collect())
}

/// Rows that have a fixed list of column names.
pub trait Columns: Serialize {
    const COLUMNS: &'static [&'static str];
}

impl Columns for RequestRow {
    const COLUMNS: &'static [&'static str] = &[
        "number",
        "kind",
        "status",
        "outcome",
        "rules_cited",
        "created_at",
        "invoice",
        "paid_on",
        "scheduled_on",
        "new_date",
        "reason",
        "reason_text",
        "customer_id",
        "customer_name",
        "customer_username",
        "decided_by",
        "decided_at",
        "call_back_at",
        "job_done_at",
    ];
}

impl Columns for CaseRow {
    const COLUMNS: &'static [&'static str] = &[
        "number",
        "category",
        "status",
        "step",
        "urgent",
        "created_at",
        "invoice",
        "customer_id",
        "customer_name",
        "phone",
        "claimed_by",
        "claimed_at",
        "call_back_at",
        "call_outcome",
        "rating",
        "rating_comment",
        "closed_at",
        "description",
    ];
}

/// CSV that Excel and LibreOffice open with Vietnamese text intact: UTF-8 with a BOM, and the
/// header row even when there are no rows.
pub fn to_csv<T: Columns>(rows: &[T]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut out);
        writer.write_record(T::COLUMNS)?;
        for row in rows {
            writer.serialize(row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// One JSON object per line.
pub fn to_json_lines<T: Serialize>(rows: &[T]) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    for row in rows {
        out.extend(serde_json::to_vec(row)?);
        out.push(b'\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<T: Serialize>(row: &T) -> Vec<String> {
        // serde_json keeps the struct's field order only with preserve_order; compare as sets
        // and lengths, and the CSV header order is checked against the field order below.
        let v = serde_json::to_value(row).unwrap();
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    #[test]
    fn the_csv_header_names_exactly_the_exported_fields() {
        let r = RequestRow {
            number: String::new(),
            kind: String::new(),
            status: String::new(),
            outcome: String::new(),
            rules_cited: String::new(),
            created_at: String::new(),
            invoice: String::new(),
            paid_on: String::new(),
            scheduled_on: String::new(),
            new_date: String::new(),
            reason: String::new(),
            reason_text: String::new(),
            customer_id: ChannelId::default(),
            customer_name: String::new(),
            customer_username: String::new(),
            decided_by: String::new(),
            decided_at: String::new(),
            call_back_at: String::new(),
            job_done_at: String::new(),
        };
        let mut cols: Vec<String> = RequestRow::COLUMNS.iter().map(|s| s.to_string()).collect();
        cols.sort();
        assert_eq!(keys(&r), cols);
        let c = CaseRow {
            number: String::new(),
            category: String::new(),
            status: String::new(),
            step: 0,
            urgent: false,
            created_at: String::new(),
            invoice: String::new(),
            customer_id: ChannelId::default(),
            customer_name: String::new(),
            phone: String::new(),
            claimed_by: String::new(),
            claimed_at: String::new(),
            call_back_at: String::new(),
            call_outcome: String::new(),
            rating: String::new(),
            rating_comment: String::new(),
            closed_at: String::new(),
            description: String::new(),
        };
        let mut cols: Vec<String> = CaseRow::COLUMNS.iter().map(|s| s.to_string()).collect();
        cols.sort();
        assert_eq!(keys(&c), cols);
        // Header and values line up: the first row's fields follow the header's order.
        let csv = String::from_utf8(to_csv(&[r]).unwrap()).unwrap();
        let mut lines = csv.trim_start_matches('\u{feff}').lines();
        assert_eq!(lines.next().unwrap(), RequestRow::COLUMNS.join(","));
        assert_eq!(
            lines.next().unwrap().split(',').count(),
            RequestRow::COLUMNS.len()
        );
    }

    #[test]
    fn rows_of_a_crlf_file_keep_the_line_numbers_the_operator_sees() {
        let text = "\u{feff}Số hóa đơn;Tên khách hàng;Ngày thanh toán;Trạng thái\r\nHD-1001;Lan;01/10/2026;paid\r\nHD-1002;Nam;31/02/2026;paid\r\n";
        let read = read_invoices(text).unwrap();
        assert_eq!(read.rows.len(), 1);
        assert_eq!(read.rows[0].0, 2);
        assert_eq!(
            read.bad.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            vec![3]
        );
    }
}
