//! How customer care is doing: `/stats` and `/export` in the staff group.

use chrono::{Datelike, Days, NaiveTime};

use super::{Engine, EngineError};
use crate::dialogue::{Msg, Part};
use crate::policy::local_instant;
use crate::registry;
use crate::store::{self, StoreError};

/// Every outcome or status a request can be counted under in `/stats`.
pub const OUTCOMES: [&str; 17] = [
    "approved",
    "rejected",
    "review",
    "awaiting",
    "eligible",
    "not_yet",
    "job_done",
    "postponement_allowed",
    "postponement_too_long",
    "own_reasons",
    "handoff",
    "exception",
    "staff_approved",
    "staff_rejected",
    "cancelled",
    "open",
    "closed",
];

/// The figures of one period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    /// (kind, outcome or status, count), sorted.
    pub requests: Vec<(String, String, i64)>,
    /// Open cases by age: under a day, 1–3 days, over 3 days.
    pub open_by_age: [i64; 3],
    /// Median minutes from a complaint or a waiting request to its first recorded call.
    pub median_callback_minutes: Option<i64>,
    /// Share of first calls made by the deadline, in percent.
    pub on_time_percent: Option<i64>,
    /// Average rating of resolved cases, times ten (43 = 4.3).
    pub rating_x10: Option<i64>,
}

impl Engine {
    /// The figures for everything created since `since` (Unix seconds), as of now.
    pub async fn figures(&self, since: i64) -> Result<Figures, EngineError> {
        let now = self.clock.now().timestamp();
        let tz = self.settings.tz;
        let requests = registry::request_rows(&self.store, since, tz).await?;
        let mut counts: std::collections::BTreeMap<(String, String), i64> = Default::default();
        for r in &requests {
            let what = if r.outcome.is_empty() {
                r.status.clone()
            } else {
                r.outcome.clone()
            };
            *counts.entry((r.kind.clone(), what)).or_default() += 1;
        }
        let mut conn = self.store.conn().await?;
        let cases = store::export_cases(&mut conn, since).await?;
        let mut open_by_age = [0i64; 3];
        let mut waits = Vec::new();
        let mut on_time = (0i64, 0i64);
        let mut ratings = Vec::new();
        for (case, _) in &cases {
            if case.status.takes_messages() {
                let age_days = (now - case.created_at) / 86_400;
                open_by_age[if age_days < 1 {
                    0
                } else if age_days <= 3 {
                    1
                } else {
                    2
                }] += 1;
            }
            if let Some(r) = case.rating {
                ratings.push(r);
            }
            let events = store::case_events(&mut conn, case.id).await?;
            let first_call = events
                .iter()
                .find(|e| e.kind.starts_with("called"))
                .map(|e| e.at);
            if let Some(at) = first_call {
                waits.push((at - case.created_at) / 60);
                let deadline = self.callback_deadline(case.created_at, case.urgent);
                on_time.1 += 1;
                if at <= deadline {
                    on_time.0 += 1;
                }
            }
        }
        for (req, _, last_call, _) in store::export_requests(&mut conn, since).await? {
            if let Some(at) = last_call {
                waits.push((at - req.created_at) / 60);
                on_time.1 += 1;
                if at <= self.callback_deadline(req.created_at, false) {
                    on_time.0 += 1;
                }
            }
        }
        waits.sort_unstable();
        Ok(Figures {
            requests: counts.into_iter().map(|((k, o), n)| (k, o, n)).collect(),
            open_by_age,
            median_callback_minutes: (!waits.is_empty()).then(|| waits[waits.len() / 2]),
            on_time_percent: (on_time.1 > 0).then(|| on_time.0 * 100 / on_time.1),
            rating_x10: (!ratings.is_empty())
                .then(|| ratings.iter().sum::<i64>() * 10 / ratings.len() as i64),
        })
    }

    /// Monday 00:00 and the 1st 00:00 of this week and month, in the company's time zone.
    fn week_and_month_start(&self) -> (i64, i64) {
        let now = self.clock.now();
        let tz = self.settings.tz;
        let today = crate::policy::local_today(now, tz);
        let monday = today
            .checked_sub_days(Days::new(today.weekday().num_days_from_monday() as u64))
            .unwrap_or(today);
        let first = today.with_day(1).unwrap_or(today);
        let at = |d| {
            local_instant(d, NaiveTime::MIN, tz)
                .map(|t| t.timestamp())
                .unwrap_or(0)
        };
        (at(monday), at(first))
    }

    fn figures_msg(&self, title: &str, f: &Figures) -> Msg {
        let mut msg = Msg::id(title);
        if f.requests.is_empty() {
            msg.parts.push(Part::new("stats-no-requests"));
        }
        for (kind, outcome, n) in &f.requests {
            msg.parts.push(
                Part::new("stats-requests")
                    .msg("kind", &format!("kind-{kind}"))
                    .msg("outcome", &format!("stats-outcome-{outcome}"))
                    .int("count", *n),
            );
        }
        msg.parts.push(
            Part::new("stats-open-cases")
                .int("day", f.open_by_age[0])
                .int("days", f.open_by_age[1])
                .int("older", f.open_by_age[2]),
        );
        msg.parts.push(match f.median_callback_minutes {
            Some(m) => Part::new("stats-callback").int("minutes", m),
            None => Part::new("stats-callback-none"),
        });
        if let Some(p) = f.on_time_percent {
            msg.parts.push(Part::new("stats-on-time").int("percent", p));
        }
        msg.parts.push(match f.rating_x10 {
            Some(r) => Part::new("stats-rating").str("rating", format!("{}.{}", r / 10, r % 10)),
            None => Part::new("stats-rating-none"),
        });
        msg
    }

    /// `/stats`: this week and this month.
    pub(super) async fn staff_stats(&self, thread_id: Option<i64>) -> Result<(), EngineError> {
        let (week, month) = self.week_and_month_start();
        let w = self.figures(week).await?;
        let m = self.figures(month).await?;
        let mut msg = self.figures_msg("stats-week", &w);
        msg.parts.extend(self.figures_msg("stats-month", &m).parts);
        self.to_staff_thread(&msg, thread_id, None).await
    }

    /// `/export`: the requests and cases of this month as CSV files in the group.
    pub(super) async fn staff_export(&self, thread_id: Option<i64>) -> Result<(), EngineError> {
        let (_, month) = self.week_and_month_start();
        let tz = self.settings.tz;
        let requests = registry::to_csv(&registry::request_rows(&self.store, month, tz).await?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let cases = registry::to_csv(&registry::case_rows(&self.store, month, tz).await?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let today = crate::policy::local_today(self.clock.now(), tz).format("%Y-%m-%d");
        for (name, bytes) in [
            (format!("yeu-cau-{today}.csv"), requests),
            (format!("khieu-nai-{today}.csv"), cases),
        ] {
            let caption = Msg::new(Part::new("export-caption").str("file", &name));
            let content = String::from_utf8(bytes).unwrap_or_default();
            self.to_staff_thread(&caption, thread_id, Some((name, content)))
                .await?;
        }
        Ok(())
    }

    /// A message into the staff group (into `thread_id`, the topic a command came from).
    pub(super) async fn to_staff_thread(
        &self,
        msg: &Msg,
        thread_id: Option<i64>,
        upload: Option<(String, String)>,
    ) -> Result<(), EngineError> {
        let now = self.clock.now().timestamp();
        let staff = self.settings.staff;
        let mut out = self.outgoing(self.settings.staff_lang, msg, None);
        if let Some((name, content)) = upload {
            out.file = Some(store::File::Made { name, content });
        }
        let mut tx = self.store.begin().await?;
        self.enqueue(
            &mut tx,
            staff.chat_id,
            thread_id.or(staff.thread_id),
            None,
            None,
            &out,
            now,
        )
        .await?;
        tx.commit().await?;
        self.wake.notify_one();
        Ok(())
    }
}
