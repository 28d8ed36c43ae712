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

    /// `/stats`: this week and this month, then the chart of the last weeks (`/stats thang`:
    /// of the last months) as a picture.
    pub(super) async fn staff_stats(
        &self,
        thread_id: Option<i64>,
        span: Span,
    ) -> Result<(), EngineError> {
        let (week, month) = self.week_and_month_start();
        let w = self.figures(week).await?;
        let m = self.figures(month).await?;
        let mut msg = self.figures_msg("stats-week", &w);
        msg.parts.extend(self.figures_msg("stats-month", &m).parts);
        self.to_staff_thread(&msg, thread_id, None).await?;
        let png = self.chart_png(span).await?;
        let (id, name) = match span {
            Span::Week => ("chart-caption-weeks", "tuan"),
            Span::Month => ("chart-caption-months", "thang"),
        };
        let today = crate::policy::local_today(self.clock.now(), self.settings.tz);
        let caption = Msg::new(Part::new(id).int("count", CHART_PERIODS as i64));
        let file = store::File::picture(
            format!("bieu-do-{name}-{}.png", today.format("%Y-%m-%d")),
            &png,
        );
        self.to_staff_thread(&caption, thread_id, Some(file)).await
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
            let file = store::File::Made { name, content };
            self.to_staff_thread(&caption, thread_id, Some(file))
                .await?;
        }
        Ok(())
    }

    /// A message into the staff group (into `thread_id`, the topic a command came from), with
    /// a file when given.
    pub(super) async fn to_staff_thread(
        &self,
        msg: &Msg,
        thread_id: Option<i64>,
        file: Option<store::File>,
    ) -> Result<(), EngineError> {
        let now = self.clock.now().timestamp();
        let mut out = self.outgoing(self.settings.staff_lang, msg, None);
        if file.is_some() {
            out.file = file;
        }
        let mut tx = self.store.begin().await?;
        self.to_staff_topic(&mut tx, thread_id, out, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }
}

/// What one bar of a chart spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Week,
    Month,
}

/// How many bars a chart has.
pub const CHART_PERIODS: usize = 8;

/// The types a chart counts, in the order of its first panel: the request kinds, then
/// complaint cases.
pub const CHART_KINDS: [&str; 4] = ["deferral", "refund", "handoff", "complaint"];

/// The outcome groups of the second panel.
pub const CHART_OUTCOMES: [&str; 3] = ["granted", "refused", "staff"];

/// The outcome group a request's status falls in.
fn outcome_group(status: crate::dialogue::RequestStatus) -> usize {
    use crate::dialogue::RequestStatus as S;
    match status {
        S::Approved | S::StaffApproved => 0,
        S::Rejected | S::StaffRejected => 1,
        S::Review | S::Exception | S::Handoff => 2,
    }
}

impl Engine {
    /// The starts of the last `count` weeks or months (oldest first) and the end of the
    /// current one, as Unix seconds, with each period's label.
    pub fn periods(&self, span: Span, count: usize) -> (Vec<i64>, Vec<String>) {
        let tz = self.settings.tz;
        let today = crate::policy::local_today(self.clock.now(), tz);
        let current = match span {
            Span::Week => today
                .checked_sub_days(Days::new(today.weekday().num_days_from_monday() as u64))
                .unwrap_or(today),
            Span::Month => today.with_day(1).unwrap_or(today),
        };
        let step = |d: chrono::NaiveDate, back: i32| -> chrono::NaiveDate {
            match span {
                Span::Week => {
                    if back >= 0 {
                        d - chrono::Duration::weeks(back as i64)
                    } else {
                        d + chrono::Duration::weeks(-back as i64)
                    }
                }
                Span::Month => {
                    let months = chrono::Months::new(back.unsigned_abs());
                    if back >= 0 {
                        d.checked_sub_months(months).unwrap_or(d)
                    } else {
                        d.checked_add_months(months).unwrap_or(d)
                    }
                }
            }
        };
        let at = |d| {
            local_instant(d, NaiveTime::MIN, tz)
                .map(|t| t.timestamp())
                .unwrap_or(0)
        };
        let mut starts = Vec::with_capacity(count + 1);
        let mut labels = Vec::with_capacity(count);
        for back in (0..count as i32).rev() {
            let d = step(current, back);
            starts.push(at(d));
            labels.push(match span {
                Span::Week => d.format("%d/%m").to_string(),
                Span::Month => d.format("%m/%Y").to_string(),
            });
        }
        starts.push(at(step(current, -1)));
        (starts, labels)
    }

    /// The figures a chart plots, one period a bar, read from the store: requests and cases
    /// created in the period by type, requests by outcome, call-backs on time and late (a
    /// call-back still owed past its deadline counts as late), ratings of the period's cases.
    pub async fn chart_periods(
        &self,
        span: Span,
        count: usize,
    ) -> Result<Vec<crate::charts::Period>, EngineError> {
        let (starts, labels) = self.periods(span, count);
        self.period_figures(&starts, labels).await
    }

    /// The figures of the periods between `starts` (one more start than labels: the end).
    pub(super) async fn period_figures(
        &self,
        starts: &[i64],
        labels: Vec<String>,
    ) -> Result<Vec<crate::charts::Period>, EngineError> {
        let now = self.clock.now().timestamp();
        let count = labels.len();
        let mut periods: Vec<crate::charts::Period> = labels
            .into_iter()
            .map(|label| crate::charts::Period {
                label,
                by_kind: vec![0; CHART_KINDS.len()],
                by_outcome: vec![0; CHART_OUTCOMES.len()],
                ..Default::default()
            })
            .collect();
        let index = |at: i64| -> Option<usize> {
            (0..count).find(|&i| starts[i] <= at && at < starts[i + 1])
        };
        let mut conn = self.store.conn().await?;
        for (req, _, last_call, _) in store::export_requests(&mut conn, starts[0]).await? {
            let Some(i) = index(req.created_at) else {
                continue;
            };
            let p = &mut periods[i];
            let kind = CHART_KINDS
                .iter()
                .position(|k| *k == req.kind().code())
                .unwrap_or(0);
            p.by_kind[kind] += 1;
            p.by_outcome[outcome_group(req.status)] += 1;
            let deadline = self.callback_deadline(req.created_at, false);
            match last_call {
                Some(at) if at <= deadline => p.on_time += 1,
                Some(_) => p.late += 1,
                None if outcome_group(req.status) == 2 && now > deadline => p.late += 1,
                None => {}
            }
        }
        for (case, _) in store::export_cases(&mut conn, starts[0]).await? {
            let Some(i) = index(case.created_at) else {
                continue;
            };
            periods[i].by_kind[3] += 1;
            let events = store::case_events(&mut conn, case.id).await?;
            let first_call = events
                .iter()
                .find(|e| e.kind.starts_with("called"))
                .map(|e| e.at);
            let deadline = self.callback_deadline(case.created_at, case.urgent);
            let p = &mut periods[i];
            match first_call {
                Some(at) if at <= deadline => p.on_time += 1,
                Some(_) => p.late += 1,
                None if case.status.takes_messages() && now > deadline => p.late += 1,
                None => {}
            }
            if let Some(r) = case.rating {
                p.ratings.push(r);
            }
        }
        Ok(periods)
    }

    /// The chart of the last [`CHART_PERIODS`] weeks or months, in the staff's language.
    pub async fn chart(&self, span: Span) -> Result<crate::charts::Chart, EngineError> {
        let lang = self.settings.staff_lang;
        let t = |id: &str| self.renderer.text(lang, id);
        let span_id = match span {
            Span::Week => "weeks",
            Span::Month => "months",
        };
        Ok(crate::charts::Chart {
            title: t(&format!("chart-title-{span_id}")),
            panels: [
                t("chart-panel-kinds"),
                t("chart-panel-outcomes"),
                t("chart-panel-callbacks"),
                t("chart-panel-ratings"),
            ],
            kinds: CHART_KINDS
                .iter()
                .map(|k| t(&format!("chart-kind-{k}")))
                .collect(),
            outcomes: CHART_OUTCOMES
                .iter()
                .map(|o| t(&format!("chart-outcome-{o}")))
                .collect(),
            on_time: t("chart-on-time"),
            late: t("chart-late"),
            periods: self.chart_periods(span, CHART_PERIODS).await?,
        })
    }

    /// The chart drawn into PNG.
    pub async fn chart_png(&self, span: Span) -> Result<Vec<u8>, EngineError> {
        let chart = self.chart(span).await?;
        Ok(crate::charts::render(&chart)?)
    }
}
