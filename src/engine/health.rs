//! What the owner and the shift lead are told without asking: the morning summary of
//! yesterday and of the bot's own health, and alerts when the bot is unwell (said once when it
//! starts, once when it is over).

use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Engine, EngineError};
use crate::dialogue::{Arg, Msg, Part};
use crate::policy::local_instant;
use crate::store::{self, JobKind};

/// Settings of the summary, the health alerts and the staff web page (`[operations]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Operations {
    /// Local time of the morning summary in the staff group, "HH:MM".
    pub summary_at: String,
    /// Staff are told when the oldest unsent message is older than this.
    pub outbox_alert_minutes: i64,
    /// A message tried this many times without success (or this many refused in a row of
    /// `outbox_alert_minutes`) means sends keep failing.
    pub failing_attempts: i64,
    /// How often the health is looked at, in seconds.
    pub check_seconds: u64,
    /// The address the bot's HTTP server is reached at from the internet (https://…), for the
    /// staff web page opened from Telegram; no `/dashboard` button without it.
    pub public_url: Option<String>,
    /// How old a Telegram sign-in (the web page's init data) may be, in minutes.
    pub init_data_max_age_minutes: i64,
}

impl Default for Operations {
    fn default() -> Self {
        Operations {
            summary_at: "08:00".into(),
            outbox_alert_minutes: 10,
            failing_attempts: 3,
            check_seconds: 60,
            public_url: None,
            init_data_max_age_minutes: 24 * 60,
        }
    }
}

impl Operations {
    pub fn summary_time(&self) -> NaiveTime {
        NaiveTime::parse_from_str(&self.summary_at, "%H:%M").unwrap_or(NaiveTime::MIN)
    }

    /// The first setting that is out of range: (name, why).
    pub fn invalid_field(&self) -> Option<(&'static str, &'static str)> {
        if NaiveTime::parse_from_str(&self.summary_at, "%H:%M").is_err() {
            Some(("summary_at", "a local time HH:MM"))
        } else if !(1..=7 * 24 * 60).contains(&self.outbox_alert_minutes) {
            Some(("outbox_alert_minutes", "minutes from 1 to 10080"))
        } else if !(1..=1000).contains(&self.failing_attempts) {
            Some(("failing_attempts", "a number from 1 to 1000"))
        } else if !(5..=3600).contains(&self.check_seconds) {
            Some(("check_seconds", "seconds from 5 to 3600"))
        } else if !(1..=30 * 24 * 60).contains(&self.init_data_max_age_minutes) {
            Some(("init_data_max_age_minutes", "minutes from 1 to 43200"))
        } else if self
            .public_url
            .as_deref()
            .is_some_and(|u| !u.starts_with("https://") && !u.starts_with("http://"))
        {
            Some(("public_url", "an address starting with https://"))
        } else {
            None
        }
    }
}

/// What the bot can be unwell with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alert {
    /// The oldest unsent message is older than the setting.
    OutboxStuck,
    /// Messages keep failing to go out.
    SendsFailing,
    /// The database did not answer (told when it answers again).
    DatabaseDown,
}

impl Alert {
    pub const ALL: [Alert; 3] = [Alert::OutboxStuck, Alert::SendsFailing, Alert::DatabaseDown];

    pub fn code(self) -> &'static str {
        match self {
            Alert::OutboxStuck => "outbox_stuck",
            Alert::SendsFailing => "sends_failing",
            Alert::DatabaseDown => "database_down",
        }
    }
}

/// A change of health staff were told about: the alert, and whether it started (false: over).
pub type Change = (Alert, bool);

/// The health check's memory between two looks: since when the database has not answered.
#[derive(Debug, Default)]
pub struct HealthWatch {
    down_since: Option<i64>,
}

/// How long the health check waits for the database.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

impl HealthWatch {
    pub fn new() -> HealthWatch {
        HealthWatch::default()
    }

    /// Looks at the bot's health now: asks the database, then
    /// [`HealthWatch::after_probe`].
    pub async fn check(&mut self, engine: &Engine) -> Result<Vec<Change>, EngineError> {
        let up = matches!(
            tokio::time::timeout(PROBE_TIMEOUT, engine.store.ready()).await,
            Ok(Ok(_))
        );
        self.after_probe(engine, up).await
    }

    /// The health check once the database was asked (`up`: it answered). While it does not
    /// answer nothing can be written (the alert itself goes through the database): staff are
    /// told when it answers again, for how long it did not. The outbox's alerts are raised
    /// once and cleared once: the last of each is kept in the database, so neither a restart
    /// nor another process says them again.
    pub async fn after_probe(
        &mut self,
        engine: &Engine,
        up: bool,
    ) -> Result<Vec<Change>, EngineError> {
        let now = engine.clock.now().timestamp();
        if !up {
            if self.down_since.is_none() {
                tracing::error!("the database does not answer");
                self.down_since = Some(now);
            }
            return Ok(Vec::new());
        }
        let mut changes = Vec::new();
        if let Some(from) = self.down_since {
            let msg = Msg::new(
                Part::new("health-db-back")
                    .str("from", engine.renderer.format_time(from))
                    .str("to", engine.renderer.format_time(now))
                    .int("minutes", ((now - from) / 60).max(1)),
            );
            let mut tx = engine.store.begin().await?;
            store::add_health_event(&mut tx, "alert", Alert::DatabaseDown.code(), "", from).await?;
            store::add_health_event(&mut tx, "well", Alert::DatabaseDown.code(), "", now).await?;
            engine.staff_notice(&mut tx, &msg, now).await?;
            tx.commit().await?;
            engine.outbox_changed();
            self.down_since = None;
            changes.push((Alert::DatabaseDown, true));
            changes.push((Alert::DatabaseDown, false));
        }
        let ops = &engine.settings.ops;
        let window = ops.outbox_alert_minutes * 60;
        let outbox = engine
            .store
            .outbox_health(ops.failing_attempts, now - window)
            .await?;
        let pending = engine.store.backlog(now).await?.outbox_pending;
        let age_minutes = outbox
            .oldest_pending_at
            .map(|t| (now - t).max(0) / 60)
            .unwrap_or(0);
        let stuck = outbox.oldest_pending_at.is_some_and(|t| now - t > window);
        let failing = outbox.failing > 0 || outbox.refused_since >= ops.failing_attempts;
        for (alert, unwell) in [(Alert::OutboxStuck, stuck), (Alert::SendsFailing, failing)] {
            let mut tx = engine.store.begin().await?;
            let raised = store::alert_raised(&mut tx, alert.code()).await?;
            if raised == unwell {
                tx.rollback().await?;
                continue;
            }
            let part = match (alert, unwell) {
                (Alert::OutboxStuck, true) => Part::new("health-outbox-stuck")
                    .int("minutes", age_minutes)
                    .int("count", pending),
                (Alert::OutboxStuck, false) => {
                    Part::new("health-outbox-well").int("limit", ops.outbox_alert_minutes)
                }
                (_, true) => Part::new("health-sends-failing")
                    .int("failing", outbox.failing)
                    .int("refused", outbox.refused_since),
                (_, false) => Part::new("health-sends-well"),
            };
            if unwell {
                tracing::error!(alert = alert.code(), "the bot is unwell; staff are told");
            } else {
                tracing::info!(
                    alert = alert.code(),
                    "the bot is well again; staff are told"
                );
            }
            let kind = if unwell { "alert" } else { "well" };
            store::add_health_event(&mut tx, kind, alert.code(), "", now).await?;
            engine.staff_notice(&mut tx, &Msg::new(part), now).await?;
            tx.commit().await?;
            engine.outbox_changed();
            changes.push((alert, unwell));
        }
        Ok(changes)
    }
}

impl Engine {
    /// `/dashboard` from a staff member in their private chat (`chat_id`): the button that
    /// opens the staff web page, or why there is none.
    pub async fn staff_dashboard(&self, key: String, chat_id: i64) -> Result<(), EngineError> {
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(Some(&key), now).await? else {
            return Ok(());
        };
        let lang = self.settings.staff_lang;
        let out = match &self.settings.ops.public_url {
            Some(base) => {
                let mut out = self.outgoing(lang, &Msg::id("dashboard-intro"), None);
                out.open_page = Some((
                    self.renderer.text(lang, "dashboard-button"),
                    format!("{}/staff", base.trim_end_matches('/')),
                ));
                out
            }
            None => self.outgoing(lang, &Msg::id("dashboard-no-url"), None),
        };
        self.enqueue(&mut tx, chat_id, None, None, None, &out, now)
            .await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }

    /// Records that a process of the bot started (the summary counts restarts).
    pub async fn record_start(&self) -> Result<(), EngineError> {
        let now = self.clock.now().timestamp();
        self.store
            .health_event("start", "", env!("CARGO_PKG_VERSION"), now)
            .await?;
        Ok(())
    }

    /// Records that an update was given up after failing again and again.
    pub async fn record_update_given_up(&self, update: &str) -> Result<(), EngineError> {
        let now = self.clock.now().timestamp();
        self.store
            .health_event("update_failed", "", update, now)
            .await?;
        Ok(())
    }

    /// When the next morning summary is due (the next `summary_at`, local time).
    pub(super) fn next_summary(&self, after: DateTime<Utc>) -> i64 {
        let s = &self.settings;
        let today = crate::policy::local_today(after, s.tz);
        [today, today.succ_opt().unwrap_or(today)]
            .into_iter()
            .filter_map(|d| local_instant(d, s.ops.summary_time(), s.tz))
            .find(|t| *t > after)
            .map(|t| t.timestamp())
            .unwrap_or(after.timestamp() + 86_400)
    }

    /// The morning summary as a message: yesterday's requests and cases, call-backs owed and
    /// late, the cases open longest, ratings, today's jobs, and the bot's health.
    pub async fn summary_msg(&self, now: i64) -> Result<Msg, EngineError> {
        let tz = self.settings.tz;
        let today = crate::policy::local_today(self.at(now), tz);
        let yesterday = today.pred_opt().unwrap_or(today);
        let start = |d| {
            local_instant(d, NaiveTime::MIN, tz)
                .map(|t| t.timestamp())
                .unwrap_or(0)
        };
        let (from, to) = (start(yesterday), start(today));
        let day = self
            .period_figures(&[from, to], vec![String::new()])
            .await?
            .pop()
            .unwrap_or_default();
        let mut msg = Msg::new(Part::new("summary-title").date("date", yesterday));
        let requests: i64 = day.by_kind[..3].iter().sum();
        msg.parts.push(
            Part::new("summary-requests")
                .int("total", requests)
                .int("deferral", day.by_kind[0])
                .int("refund", day.by_kind[1])
                .int("handoff", day.by_kind[2])
                .int("granted", day.by_outcome[0])
                .int("refused", day.by_outcome[1])
                .int("staff", day.by_outcome[2]),
        );
        let mut conn = self.store.conn().await?;
        let mut by_status = [0i64; 5];
        for (case, _) in store::export_cases(&mut conn, from).await? {
            if case.created_at < to {
                if let Some(i) = crate::dialogue::CaseStatus::ALL
                    .iter()
                    .position(|s| *s == case.status)
                {
                    by_status[i] += 1;
                }
            }
        }
        msg.parts.push(
            Part::new("summary-cases")
                .int("total", by_status.iter().sum())
                .int("open", by_status[0])
                .int("claimed", by_status[1])
                .int("resolved", by_status[2])
                .int("step3", by_status[3])
                .int("closed", by_status[4]),
        );
        // Call-backs owed now: open cases never called, requests waiting for staff never called.
        let (mut owed, mut overdue) = (0i64, 0i64);
        let open = store::open_cases(&mut conn).await?;
        for case in &open {
            let events = store::case_events(&mut conn, case.id).await?;
            if !events.iter().any(|e| e.kind.starts_with("called")) {
                owed += 1;
                if now > self.callback_deadline(case.created_at, case.urgent) {
                    overdue += 1;
                }
            }
        }
        for (req, _, last_call) in store::waiting_requests(&mut conn).await? {
            if last_call.is_none() {
                owed += 1;
                if now > self.callback_deadline(req.created_at, false) {
                    overdue += 1;
                }
            }
        }
        msg.parts.push(
            Part::new("summary-callbacks")
                .int("on_time", day.on_time)
                .int("late", day.late)
                .int("owed", owed)
                .int("overdue", overdue),
        );
        if open.is_empty() {
            msg.parts.push(Part::new("summary-oldest-none"));
        } else {
            msg.parts.push(Part::new("summary-oldest-header"));
            let mut oldest: Vec<_> = open.iter().collect();
            oldest.sort_by_key(|c| (c.created_at, c.id));
            for c in oldest.into_iter().take(3) {
                let age = now - c.created_at;
                msg.parts.push(
                    Part::new("summary-oldest-line")
                        .arg("case", Arg::RequestNo(c.number()))
                        .int("days", age / 86_400)
                        .int("hours", age % 86_400 / 3_600)
                        .msg("status", &format!("case-status-{}", c.status.code()))
                        .str("by", c.claimed_by.clone().unwrap_or_else(|| "-".into())),
                );
            }
        }
        let ratings = store::ratings_between(&mut conn, from, to).await?;
        msg.parts.push(if ratings.is_empty() {
            Part::new("summary-ratings-none")
        } else {
            let x10 = ratings.iter().sum::<i64>() * 10 / ratings.len() as i64;
            Part::new("summary-ratings")
                .int("count", ratings.len() as i64)
                .str("rating", format!("{}.{}", x10 / 10, x10 % 10))
        });
        let jobs = store::deferrals_on(&mut conn, today).await?;
        msg.parts
            .push(Part::new("summary-jobs").int("count", jobs.len() as i64));
        drop(conn);
        // The bot's own health since yesterday morning.
        msg.parts.push(Part::new("summary-health-title"));
        let backlog = self.store.backlog(now).await?;
        msg.parts.push(match backlog.outbox_oldest_at {
            Some(t) => Part::new("summary-health-outbox")
                .int("count", backlog.outbox_pending)
                .int("minutes", (now - t).max(0) / 60),
            None => Part::new("summary-health-outbox-empty"),
        });
        let counts = self.store.health_counts(from).await?;
        msg.parts
            .push(Part::new("summary-health-refused").int("count", counts.sends_refused));
        msg.parts
            .push(Part::new("summary-health-updates").int("count", counts.updates_failed));
        msg.parts
            .push(Part::new("summary-health-restarts").int("count", counts.starts));
        Ok(msg)
    }

    /// The morning summary job: the summary (read before the job's transaction began) into
    /// the staff group, then tomorrow's.
    pub(super) async fn morning_summary(
        &self,
        conn: &mut store::Conn,
        msg: &Msg,
        now: i64,
    ) -> Result<(), EngineError> {
        self.staff_notice(conn, msg, now).await?;
        let next = self.next_summary(self.at(now));
        store::add_job(conn, &JobKind::MorningSummary, next, None, None, now).await?;
        Ok(())
    }
}
