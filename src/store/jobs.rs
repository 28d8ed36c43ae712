//! Jobs: reminders and follow-ups, each run at most once.

use super::*;

/// A job waiting to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    pub due_at: i64,
    pub case_id: Option<i64>,
    pub request_id: Option<i64>,
}

/// What a job does, with what it needs. Stored as the `kind` column (its code) and the
/// `payload` column (JSON of its fields); rows written by earlier releases read the same.
#[derive(Debug, Clone, PartialEq)]
pub enum JobKind {
    /// Staff are reminded to call the customer of a case or request back.
    Callback(CallbackChain),
    /// The customer is reminded of a deferred job's new date, `days` before it.
    DeferRemind { days: i64 },
    /// The day after a deferred job's new date: staff are asked whether it was done.
    DeferDue,
    /// The customer is asked how they are, `days` after the job was done.
    Aftercare { days: i64 },
    /// The staff group's morning list of the day's jobs.
    StaffDigest,
    /// The staff group's morning summary of yesterday and of the bot's health.
    MorningSummary,
    /// A kind this release does not know (a newer release wrote it): dropped with a warning.
    Unknown(String),
}

/// Where a call-back reminder stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallbackChain {
    /// Reminders sent so far.
    #[serde(default)]
    pub pings: i64,
    /// When the call-back was due (Unix seconds); the job's due time when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<i64>,
    /// Missed calls ("Không nghe máy") that started this chain; 0 for the first call-back.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub missed: i64,
    /// The missed call (Unix seconds) the chain follows: a later call outdates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<i64>,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[derive(Serialize, Deserialize)]
struct Days {
    #[serde(default)]
    days: i64,
}

impl JobKind {
    /// The `kind` column.
    pub fn code(&self) -> &str {
        match self {
            JobKind::Callback(_) => "callback",
            JobKind::DeferRemind { .. } => "defer_remind",
            JobKind::DeferDue => "defer_due",
            JobKind::Aftercare { .. } => "aftercare",
            JobKind::StaffDigest => "staff_digest",
            JobKind::MorningSummary => "morning_summary",
            JobKind::Unknown(kind) => kind,
        }
    }

    /// The `payload` column.
    fn payload(&self) -> Result<String> {
        match self {
            JobKind::Callback(chain) => json(chain),
            JobKind::DeferRemind { days } | JobKind::Aftercare { days } => {
                json(&Days { days: *days })
            }
            JobKind::DeferDue
            | JobKind::StaffDigest
            | JobKind::MorningSummary
            | JobKind::Unknown(_) => Ok("{}".into()),
        }
    }

    /// Reads the two columns back.
    pub fn parse(code: &str, payload: &str) -> Result<JobKind> {
        Ok(match code {
            "callback" => JobKind::Callback(from_json(payload)?),
            "defer_remind" => JobKind::DeferRemind {
                days: from_json::<Days>(payload)?.days,
            },
            "defer_due" => JobKind::DeferDue,
            "aftercare" => JobKind::Aftercare {
                days: from_json::<Days>(payload)?.days,
            },
            "staff_digest" => JobKind::StaffDigest,
            "morning_summary" => JobKind::MorningSummary,
            other => JobKind::Unknown(other.to_string()),
        })
    }
}

fn job_row(r: &Row) -> Result<Job> {
    let kind: String = r.try_get("kind")?;
    let payload: String = r.try_get("payload")?;
    Ok(Job {
        id: r.try_get("id")?,
        kind: JobKind::parse(&kind, &payload)?,
        due_at: r.try_get("due_at")?,
        case_id: r.try_get("case_id")?,
        request_id: r.try_get("request_id")?,
    })
}

/// Schedules a job; it commits with the transaction that caused it.
pub async fn add_job(
    conn: &mut Conn,
    kind: &JobKind,
    due_at: i64,
    case_id: Option<i64>,
    request_id: Option<i64>,
    now: i64,
) -> Result<i64> {
    let row = query(
        "INSERT INTO jobs (kind, due_at, case_id, request_id, payload, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind.code())
    .bind(due_at)
    .bind(case_id)
    .bind(request_id)
    .bind(kind.payload()?)
    .bind(now)
    .fetch_one(conn)
    .await?;
    row.try_get("id")
}

/// Takes a due job for this transaction: false when another process took it first.
pub async fn take_job(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let done =
        query("UPDATE jobs SET status = 'done', done_at = $1 WHERE id = $2 AND status = 'pending'")
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Schedules a job unless an equal one is pending (a unique index says which are equal):
/// one statement, so two processes starting together cannot both insert.
pub async fn add_job_once(conn: &mut Conn, kind: &JobKind, due_at: i64, now: i64) -> Result<()> {
    query(
        "INSERT INTO jobs (kind, due_at, payload, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(kind.code())
    .bind(due_at)
    .bind(kind.payload()?)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Due jobs, oldest first.
    pub async fn due_jobs(&self, now: i64, limit: i64) -> Result<Vec<Job>> {
        let rows = query(
            "SELECT id, kind, due_at, case_id, request_id, payload FROM jobs \
             WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.db)
        .await?;
        rows.iter().map(job_row).collect()
    }

    /// When the next pending job is due.
    pub async fn next_job_at(&self) -> Result<Option<i64>> {
        let row = query("SELECT MIN(due_at) AS next FROM jobs WHERE status = 'pending'")
            .fetch_one(&self.db)
            .await?;
        row.try_get("next")
    }

    /// Pending jobs (for tests and the log): (kind, due_at).
    pub async fn pending_jobs(&self) -> Result<Vec<(String, i64)>> {
        let rows =
            query("SELECT kind, due_at FROM jobs WHERE status = 'pending' ORDER BY due_at, id")
                .fetch_all(&self.db)
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("due_at")?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_written_by_the_previous_release_read_as_typed_jobs() {
        let rows = [
            (
                "callback",
                r#"{"pings":0,"deadline":1700000000}"#,
                JobKind::Callback(CallbackChain {
                    pings: 0,
                    deadline: Some(1_700_000_000),
                    missed: 0,
                    after: None,
                }),
            ),
            (
                "callback",
                r#"{"pings":2,"deadline":1700000000,"missed":1,"after":1699999000}"#,
                JobKind::Callback(CallbackChain {
                    pings: 2,
                    deadline: Some(1_700_000_000),
                    missed: 1,
                    after: Some(1_699_999_000),
                }),
            ),
            (
                "defer_remind",
                r#"{"days":3}"#,
                JobKind::DeferRemind { days: 3 },
            ),
            ("defer_due", "{}", JobKind::DeferDue),
            ("aftercare", r#"{"days":7}"#, JobKind::Aftercare { days: 7 }),
            ("staff_digest", "{}", JobKind::StaffDigest),
            (
                "later_kind",
                r#"{"x":1}"#,
                JobKind::Unknown("later_kind".into()),
            ),
        ];
        for (code, payload, want) in rows {
            assert_eq!(
                JobKind::parse(code, payload).unwrap(),
                want,
                "{code} {payload}"
            );
        }
    }

    #[test]
    fn every_job_kind_reads_back_as_it_was_written() {
        let kinds = [
            JobKind::Callback(CallbackChain {
                pings: 4,
                deadline: Some(10),
                missed: 2,
                after: Some(5),
            }),
            JobKind::Callback(CallbackChain::default()),
            JobKind::DeferRemind { days: 1 },
            JobKind::DeferDue,
            JobKind::Aftercare { days: 3 },
            JobKind::StaffDigest,
            JobKind::MorningSummary,
        ];
        for kind in kinds {
            let back = JobKind::parse(kind.code(), &kind.payload().unwrap()).unwrap();
            assert_eq!(back, kind);
        }
    }

    #[test]
    fn a_payload_that_is_not_json_is_an_error_not_a_default() {
        assert!(JobKind::parse("callback", "not json").is_err());
    }
}
