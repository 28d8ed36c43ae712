//! Reminders that survive restarts: hotline call-backs, deferred job dates, aftercare check-ins.
//! A job is taken by flipping it to done in the very transaction that does its work, so it runs
//! at most once even with two processes on one database; a repeating reminder schedules its next
//! run from now, so after a restart an overdue job runs once, not once per missed interval.

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::{Engine, EngineError};
use crate::dialogue::{
    Arg, Button, ButtonData, Msg, Notice, NoticeKind, Part, Request, RequestKind, RequestStatus,
};
use crate::policy::{local_instant, Rule};
use crate::store::{self, CallbackChain, Job, JobKind};

/// A call-back reminder that is due: what it is about and how late it is.
struct Overdue {
    job: Job,
    line: Part,
    case_id: Option<i64>,
    chain: CallbackChain,
    /// The last reminder of its chain: missed calls ran out, the supervisor is told instead.
    gave_up: bool,
    /// What staff may do then: the message id ("ping-gave-up" for a case, "ping-request-next"
    /// for a request; "-supervisor" appended when one is named).
    next_steps: &'static str,
}

impl Engine {
    pub(super) fn at(&self, unix: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(unix, 0).unwrap_or_default()
    }

    /// The call-back deadline for something that came in at `now`.
    pub fn callback_deadline(&self, now: i64, urgent: bool) -> i64 {
        let s = &self.settings;
        let minutes = if urgent {
            s.callback.urgent_minutes
        } else {
            s.callback.normal_hours * 60
        };
        s.hours.add(self.at(now), minutes, s.tz).timestamp()
    }

    /// Schedules the call-back reminder for a case or a request waiting for staff.
    pub(super) async fn schedule_callback(
        &self,
        conn: &mut store::Conn,
        case_id: Option<i64>,
        request_id: Option<i64>,
        urgent: bool,
        now: i64,
    ) -> Result<(), EngineError> {
        let deadline = self.callback_deadline(now, urgent);
        let kind = JobKind::Callback(CallbackChain {
            deadline: Some(deadline),
            ..CallbackChain::default()
        });
        store::add_job(conn, &kind, deadline, case_id, request_id, now).await?;
        Ok(())
    }

    /// "Không nghe máy": staff are reminded to call again after `repeat_minutes`, up to
    /// `missed_call_tries` missed calls; after the last one the supervisor is told at once.
    /// `missed` counts this call; `called_at` marks the chain (a later call outdates it).
    pub(super) async fn schedule_call_again(
        &self,
        conn: &mut store::Conn,
        case_id: Option<i64>,
        request_id: Option<i64>,
        missed: i64,
        called_at: i64,
    ) -> Result<(), EngineError> {
        let s = &self.settings;
        let due = if missed >= s.callback.missed_call_tries {
            called_at
        } else {
            s.hours
                .add(self.at(called_at), s.callback.repeat_minutes, s.tz)
                .timestamp()
        };
        let kind = JobKind::Callback(CallbackChain {
            pings: 0,
            deadline: Some(due),
            missed,
            after: Some(called_at),
        });
        store::add_job(conn, &kind, due, case_id, request_id, called_at).await?;
        Ok(())
    }

    /// Reminders for an approved deferral: the customer before the new date, staff after it.
    pub(super) async fn schedule_deferral(
        &self,
        conn: &mut store::Conn,
        req: &Request,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(date) = req.new_date() else {
            return Ok(());
        };
        let s = &self.settings;
        let at = s.reminders.at_time();
        for days in &s.reminders.defer_days_before {
            let day = date.checked_sub_days(Days::new(*days as u64));
            if let Some(due) = day.and_then(|d| local_instant(d, at, s.tz)) {
                if due.timestamp() > now {
                    store::add_job(
                        conn,
                        &JobKind::DeferRemind { days: *days },
                        due.timestamp(),
                        None,
                        Some(req.id),
                        now,
                    )
                    .await?;
                }
            }
        }
        if let Some(due) = date
            .checked_add_days(Days::new(1))
            .and_then(|d| local_instant(d, at, s.tz))
        {
            store::add_job(
                conn,
                &JobKind::DeferDue,
                due.timestamp(),
                None,
                Some(req.id),
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// Check-ins after staff record the job as done (AFTERCARE).
    pub(super) async fn schedule_aftercare(
        &self,
        conn: &mut store::Conn,
        request_id: i64,
        done_on: NaiveDate,
        now: i64,
    ) -> Result<(), EngineError> {
        let s = &self.settings;
        for days in &s.reminders.aftercare_days {
            let due = done_on
                .checked_add_days(Days::new(*days as u64))
                .and_then(|d| local_instant(d, s.reminders.at_time(), s.tz));
            if let Some(due) = due {
                store::add_job(
                    conn,
                    &JobKind::Aftercare { days: *days },
                    due.timestamp(),
                    None,
                    Some(request_id),
                    now,
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Makes sure tomorrow's (or today's) morning digest and summary are scheduled.
    pub async fn ensure_daily_jobs(&self) -> Result<(), EngineError> {
        let now = self.clock.now();
        let mut conn = self.store.conn().await?;
        store::add_job_once(
            &mut conn,
            &JobKind::StaffDigest,
            self.next_digest(now),
            now.timestamp(),
        )
        .await?;
        store::add_job_once(
            &mut conn,
            &JobKind::MorningSummary,
            self.next_summary(now),
            now.timestamp(),
        )
        .await?;
        drop(conn);
        self.jobs_changed();
        Ok(())
    }

    fn next_digest(&self, after: DateTime<Utc>) -> i64 {
        let s = &self.settings;
        let today = crate::policy::local_today(after, s.tz);
        [today, today.succ_opt().unwrap_or(today)]
            .into_iter()
            .filter_map(|d| local_instant(d, s.reminders.digest_time(), s.tz))
            .find(|t| *t > after)
            .map(|t| t.timestamp())
            .unwrap_or(after.timestamp() + 86_400)
    }

    /// Runs every job due now. Call-back reminders due together beyond the digest threshold go
    /// out as one digest message. Returns how many jobs ran.
    pub async fn run_due_jobs(&self) -> Result<usize, EngineError> {
        let now = self.clock.now().timestamp();
        let due = self.store.due_jobs(now, 500).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let (callbacks, others): (Vec<Job>, Vec<Job>) = due
            .into_iter()
            .partition(|j| matches!(j.kind, JobKind::Callback(_)));
        // After downtime several reminders of one deferral may be due: only the latest speaks.
        let mut latest: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        for j in others
            .iter()
            .filter(|j| matches!(j.kind, JobKind::DeferRemind { .. }))
        {
            if let Some(r) = j.request_id {
                let e = latest.entry(r).or_insert(j.due_at);
                *e = (*e).max(j.due_at);
            }
        }
        let mut ran = 0;
        for job in others {
            // The summary reads much: before the transaction, which holds a connection.
            let summary = match job.kind {
                JobKind::MorningSummary => Some(self.summary_msg(now).await?),
                _ => None,
            };
            let mut tx = self.store.begin().await?;
            if !store::take_job(&mut tx, job.id, now).await? {
                tx.rollback().await?;
                continue;
            }
            match &job.kind {
                JobKind::DeferRemind { .. } => {
                    let superseded = job
                        .request_id
                        .and_then(|r| latest.get(&r))
                        .is_some_and(|l| *l > job.due_at);
                    if !superseded {
                        self.remind_deferral(&mut tx, &job, now).await?;
                    }
                }
                JobKind::DeferDue => self.flag_passed_date(&mut tx, &job, now).await?,
                JobKind::Aftercare { days } => self.check_in(&mut tx, &job, *days, now).await?,
                JobKind::StaffDigest => self.morning_digest(&mut tx, now).await?,
                JobKind::MorningSummary => {
                    let msg = summary.unwrap_or_default();
                    self.morning_summary(&mut tx, &msg, now).await?
                }
                // Call-backs were set apart above.
                JobKind::Callback(_) => {}
                JobKind::Unknown(kind) => tracing::warn!(kind, "unknown job kind, dropped"),
            }
            tx.commit().await?;
            ran += 1;
        }
        // Call-backs: one transaction for all that are due, so a digest is all or nothing.
        if !callbacks.is_empty() {
            let mut tx = self.store.begin().await?;
            let mut overdue = Vec::new();
            for job in callbacks {
                if !store::take_job(&mut tx, job.id, now).await? {
                    continue;
                }
                ran += 1;
                if let Some(o) = self.overdue(&mut tx, job, now).await? {
                    overdue.push(o);
                }
            }
            self.ping(&mut tx, overdue, now).await?;
            tx.commit().await?;
        }
        self.outbox_changed();
        Ok(ran)
    }

    /// Whether a call-back is still owed; None when a call was recorded or nobody waits.
    async fn overdue(
        &self,
        conn: &mut store::Conn,
        job: Job,
        now: i64,
    ) -> Result<Option<Overdue>, EngineError> {
        let JobKind::Callback(chain) = job.kind else {
            return Ok(None);
        };
        let deadline = chain.deadline.unwrap_or(job.due_at);
        let late =
            self.settings
                .hours
                .minutes_between(self.at(deadline), self.at(now), self.settings.tz);
        match (job.case_id, job.request_id) {
            (Some(case_id), _) => self.overdue_case(conn, job, chain, case_id, late).await,
            (None, Some(request_id)) => {
                self.overdue_request(conn, job, chain, request_id, late)
                    .await
            }
            (None, None) => Ok(None),
        }
    }

    /// A case's call-back still owed: the ping's line, or None when a call ended the chain.
    async fn overdue_case(
        &self,
        conn: &mut store::Conn,
        job: Job,
        chain: CallbackChain,
        case_id: i64,
        late: i64,
    ) -> Result<Option<Overdue>, EngineError> {
        let missed = chain.missed;
        let Some(case) = store::case(conn, case_id).await? else {
            return Ok(None);
        };
        if !case.status.takes_messages() {
            return Ok(None);
        }
        // A call that reached the customer ends the reminders. A missed one starts a new
        // chain (see `schedule_call_again`): only the chain of the latest call still speaks.
        let chain_of_latest_call = match (case.last_call.as_deref(), case.last_call_at) {
            (None, _) | (_, None) => missed == 0,
            (Some("no_answer"), Some(at)) => missed > 0 && chain.after == Some(at),
            (Some(_), Some(_)) => false,
        };
        if !chain_of_latest_call {
            return Ok(None);
        }
        let gave_up = missed >= self.settings.callback.missed_call_tries;
        let customer = store::customer_of(conn, case.customer_id).await?;
        let phone = case
            .phone
            .as_deref()
            .and_then(|p| crate::text::Phone::parse(p).ok())
            .map(|p| p.e164())
            .unwrap_or_else(|| "-".into());
        let id = match (missed, gave_up) {
            (0, _) => "ping-case",
            (_, false) => "ping-case-missed",
            (_, true) => "ping-case-gave-up",
        };
        let urgency = if case.urgent {
            "urgency-urgent"
        } else {
            "urgency-normal"
        };
        let line = Part::new(id)
            .int("missed", missed)
            .arg("case", Arg::RequestNo(case.number()))
            .str("name", &customer.name)
            .str("phone", phone)
            .int("late", late)
            .msg("urgency", urgency);
        Ok(Some(Overdue {
            job,
            line,
            case_id: Some(case.id),
            chain,
            gave_up,
            next_steps: "ping-gave-up",
        }))
    }

    /// A request's call-back still owed: the ping's line, or None when a call ended the chain
    /// or staff decided.
    async fn overdue_request(
        &self,
        conn: &mut store::Conn,
        job: Job,
        chain: CallbackChain,
        request_id: i64,
        late: i64,
    ) -> Result<Option<Overdue>, EngineError> {
        let missed = chain.missed;
        let Some(req) = store::request(conn, request_id).await? else {
            return Ok(None);
        };
        let waiting = req.status.awaits_staff() || req.status == RequestStatus::Handoff;
        if !waiting {
            return Ok(None);
        }
        // As for a case: a call that reached the customer ends the reminders, a missed one
        // starts a new chain, and only the chain of the latest call speaks.
        let (last_call, last_call_at) = store::request_last_call(conn, request_id).await?;
        let chain_of_latest_call = match (last_call.as_deref(), last_call_at) {
            (_, None) => missed == 0,
            (Some("no_answer"), Some(at)) => missed > 0 && chain.after == Some(at),
            _ => false,
        };
        if !chain_of_latest_call {
            return Ok(None);
        }
        let gave_up = missed >= self.settings.callback.missed_call_tries;
        let id = match (missed, gave_up) {
            (0, _) => "ping-request",
            (_, false) => "ping-request-missed",
            (_, true) => "ping-request-gave-up",
        };
        let customer = store::customer_of(conn, req.customer_id).await?;
        let username = customer
            .username
            .as_ref()
            .map(|u| format!("@{u}"))
            .unwrap_or_else(|| "-".into());
        let line = Part::new(id)
            .int("missed", missed)
            .arg("request", Arg::RequestNo(req.number()))
            .str("name", &customer.name)
            .str("username", username)
            .int("late", late);
        Ok(Some(Overdue {
            job,
            line,
            case_id: None,
            chain,
            gave_up,
            next_steps: "ping-request-next",
        }))
    }

    /// Pings staff about missed call-backs (one digest when many), and schedules the next ping.
    async fn ping(
        &self,
        conn: &mut store::Conn,
        overdue: Vec<Overdue>,
        now: i64,
    ) -> Result<(), EngineError> {
        if overdue.len() > self.settings.callback.digest_over {
            self.ping_digest(conn, &overdue, now).await?;
        } else {
            for o in &overdue {
                self.ping_one(conn, o, now).await?;
            }
        }
        self.after_pings(conn, overdue, now).await
    }

    /// Who is named in a ping after `pings` earlier ones, when the supervisor should be.
    fn supervisor(&self, pings: i64) -> Option<String> {
        let c = &self.settings.callback;
        c.supervisor
            .clone()
            .filter(|_| pings + 1 >= c.supervisor_after)
    }

    /// Missed calls ran out: the supervisor decides (or, with none set, the group).
    fn gave_up(&self, next_steps: &str) -> Part {
        match &self.settings.callback.supervisor {
            Some(who) => Part::new(&format!("{next_steps}-supervisor")).str("who", who.clone()),
            None => Part::new(next_steps),
        }
    }

    /// Many call-backs owed at once: one message lists them all.
    async fn ping_digest(
        &self,
        conn: &mut store::Conn,
        overdue: &[Overdue],
        now: i64,
    ) -> Result<(), EngineError> {
        let s = &self.settings;
        let mut msg = Msg::new(Part::new("ping-digest").int("count", overdue.len() as i64));
        msg.parts.extend(overdue.iter().map(|o| o.line.clone()));
        if let Some(o) = overdue.iter().find(|o| o.gave_up) {
            msg.parts.push(self.gave_up(o.next_steps));
        } else if let Some(who) = overdue
            .iter()
            .filter_map(|o| self.supervisor(o.chain.pings))
            .next()
        {
            msg.parts.push(Part::new("ping-supervisor").str("who", who));
        }
        let out = self.outgoing(s.staff_lang, &msg, None);
        let (chat, thread) = (s.staff.chat_id, s.staff.thread_id);
        self.enqueue(conn, chat, thread, None, None, &out, now)
            .await
    }

    /// One call-back owed: a ping into its case, or about its request.
    async fn ping_one(
        &self,
        conn: &mut store::Conn,
        o: &Overdue,
        now: i64,
    ) -> Result<(), EngineError> {
        let s = &self.settings;
        let mut msg = Msg::new(o.line.clone());
        if o.gave_up {
            msg.parts.push(self.gave_up(o.next_steps));
        } else if let Some(who) = self.supervisor(o.chain.pings) {
            msg.parts.push(Part::new("ping-supervisor").str("who", who));
        }
        let mut out = self.outgoing(s.staff_lang, &msg, None);
        let (chat, thread) = (s.staff.chat_id, s.staff.thread_id);
        match o.case_id {
            Some(case_id) => {
                out.reply_to = Some(store::Earlier::CaseCard);
                store::enqueue_for_case(conn, chat, thread, None, case_id, &out.into(), now)
                    .await?;
            }
            None => {
                self.enqueue(conn, chat, thread, None, o.job.request_id, &out, now)
                    .await?
            }
        }
        Ok(())
    }

    /// After the pings: each case's history says it was reminded, and the next ping is due
    /// after `repeat_minutes` of business time, unless missed calls ran out.
    async fn after_pings(
        &self,
        conn: &mut store::Conn,
        overdue: Vec<Overdue>,
        now: i64,
    ) -> Result<(), EngineError> {
        let s = &self.settings;
        for o in overdue {
            if let Some(case_id) = o.case_id {
                store::add_case_event(conn, case_id, now, "bot", "reminded", None, &[]).await?;
            }
            if o.gave_up {
                continue;
            }
            let next = s
                .hours
                .add(self.at(now), s.callback.repeat_minutes, s.tz)
                .timestamp();
            let kind = JobKind::Callback(CallbackChain {
                pings: o.chain.pings + 1,
                ..o.chain
            });
            store::add_job(conn, &kind, next, o.job.case_id, o.job.request_id, now).await?;
        }
        Ok(())
    }

    async fn remind_deferral(
        &self,
        conn: &mut store::Conn,
        job: &Job,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(req) = self.live_deferral(conn, job).await? else {
            return Ok(());
        };
        let Some(date) = req.new_date() else {
            return Ok(());
        };
        // Counted from today, not from when the reminder was meant to go out; none on the day
        // itself or after it (the staff flag covers a passed date).
        let today = crate::policy::local_today(self.at(now), self.settings.tz);
        let days = crate::policy::days_between(today, date);
        if days <= 0 {
            return Ok(());
        }
        let customer = store::customer_of(conn, req.customer_id).await?;
        if customer.unreachable {
            let msg = Msg::new(
                Part::new("staff-remind-by-phone")
                    .arg("request", Arg::RequestNo(req.number()))
                    .str("name", &customer.name)
                    .str("via", &customer.identity.channel)
                    .date("date", date),
            );
            return self.staff_notice(conn, &msg, now).await;
        }
        if store::reminders_off(conn, customer.id).await? {
            return Ok(());
        }
        let msg = Msg::new(
            Part::new("remind-deferral")
                .arg("request", Arg::RequestNo(req.number()))
                .date("date", date)
                .int("days", days),
        )
        .then(
            Part::new("defer-max-consequence")
                .date("date", date)
                .rule("rule", Rule::DeferMax),
        )
        .then(Part::new("contact-hotline").str("hotline", &self.settings.company.hotline))
        .then(Part::new("reminders-stop-hint"))
        .as_notice(
            Notice::new(NoticeKind::Reminder)
                .with("request", req.number())
                .with("date", crate::i18n::format_date(date))
                .with("days", days.to_string()),
        );
        let out = self.outgoing(customer.lang, &msg, None);
        store::enqueue_to_customer_as(
            conn,
            &customer,
            Some(req.id),
            &out.into(),
            now,
            store::priority::BULK,
        )
        .await?;
        Ok(())
    }

    /// A deferral still approved and not recorded as done.
    async fn live_deferral(
        &self,
        conn: &mut store::Conn,
        job: &Job,
    ) -> Result<Option<Request>, EngineError> {
        let Some(id) = job.request_id else {
            return Ok(None);
        };
        let Some(req) = store::request(conn, id).await? else {
            return Ok(None);
        };
        let (_, done) = store::request_follow_up(conn, id).await?;
        let approved = matches!(
            req.status,
            RequestStatus::Approved | RequestStatus::StaffApproved
        );
        if req.kind() != RequestKind::Deferral || !approved || done.is_some() {
            return Ok(None);
        }
        // Moved again by a later deferral of the same invoice: that one's date holds.
        if let Some(invoice) = &req.invoice {
            if store::deferral_moved_again(conn, req.id, invoice).await? {
                return Ok(None);
            }
        }
        Ok(Some(req))
    }

    /// The new date passed with no record of the job: staff are told; nothing is cancelled.
    async fn flag_passed_date(
        &self,
        conn: &mut store::Conn,
        job: &Job,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(req) = self.live_deferral(conn, job).await? else {
            return Ok(());
        };
        let customer = store::customer_of(conn, req.customer_id).await?;
        let msg = Msg::new(
            Part::new("staff-defer-passed")
                .arg("request", Arg::RequestNo(req.number()))
                .str("name", &customer.name)
                .date("date", req.new_date().unwrap_or_default())
                .str("invoice", req.invoice.clone().unwrap_or_else(|| "-".into())),
        )
        .row(vec![Button::new(
            "btn-job-done-staff",
            ButtonData::StaffJobDone(req.id),
        )]);
        self.staff_notice(conn, &msg, now).await
    }

    async fn check_in(
        &self,
        conn: &mut store::Conn,
        job: &Job,
        days: i64,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(id) = job.request_id else {
            return Ok(());
        };
        let Some(req) = store::request(conn, id).await? else {
            return Ok(());
        };
        let customer = store::customer_of(conn, req.customer_id).await?;
        if store::reminders_off(conn, customer.id).await? {
            return Ok(());
        }
        if customer.unreachable {
            let msg = Msg::new(
                Part::new("staff-checkin-by-phone")
                    .arg("request", Arg::RequestNo(req.number()))
                    .str("name", &customer.name)
                    .str("via", &customer.identity.channel),
            );
            return self.staff_notice(conn, &msg, now).await;
        }
        let msg = Msg::new(
            Part::new("aftercare-checkin")
                .arg("request", Arg::RequestNo(req.number()))
                .int("days", days),
        )
        .row(vec![
            Button::new(
                "btn-aftercare-ok",
                ButtonData::Aftercare {
                    ok: true,
                    request_id: req.id,
                },
            ),
            Button::new(
                "btn-aftercare-bad",
                ButtonData::Aftercare {
                    ok: false,
                    request_id: req.id,
                },
            ),
        ])
        .then(Part::new("reminders-stop-hint"))
        .as_notice(
            Notice::new(NoticeKind::Aftercare)
                .with("request", req.number())
                .with("days", days.to_string()),
        );
        let out = self.outgoing(customer.lang, &msg, None);
        store::enqueue_to_customer_as(
            conn,
            &customer,
            Some(req.id),
            &out.into(),
            now,
            store::priority::BULK,
        )
        .await?;
        Ok(())
    }

    /// The staff's morning list of the day's deferred jobs, then tomorrow's digest.
    async fn morning_digest(&self, conn: &mut store::Conn, now: i64) -> Result<(), EngineError> {
        let today = crate::policy::local_today(self.at(now), self.settings.tz);
        let jobs = store::deferrals_on(conn, today).await?;
        if !jobs.is_empty() {
            let mut msg = Msg::new(
                Part::new("digest-title")
                    .date("date", today)
                    .int("count", jobs.len() as i64),
            );
            for req in &jobs {
                let customer = store::customer(conn, req.customer_id).await?;
                msg.parts.push(
                    Part::new("digest-line")
                        .arg("request", Arg::RequestNo(req.number()))
                        .str("name", customer.map(|c| c.name).unwrap_or_default())
                        .str("invoice", req.invoice.clone().unwrap_or_else(|| "-".into())),
                );
            }
            self.staff_notice(conn, &msg, now).await?;
        }
        let next = self.next_digest(self.at(now));
        store::add_job(conn, &JobKind::StaffDigest, next, None, None, now).await?;
        Ok(())
    }

    /// Staff recorded a call on a request waiting for them: its reminders stop.
    pub async fn staff_request_called(
        &self,
        key: Option<String>,
        request_id: i64,
        staff: &str,
    ) -> Result<bool, EngineError> {
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(key.as_deref(), now).await? else {
            return Ok(false);
        };
        if store::request(&mut tx, request_id).await?.is_none() {
            tx.commit().await?;
            return Ok(false);
        }
        store::record_request_call(&mut tx, request_id, now, true).await?;
        store::add_event(&mut tx, request_id, now, staff, "called").await?;
        tx.commit().await?;
        Ok(true)
    }

    /// "Không nghe máy" on a request's card: the call did not reach the customer. Staff are
    /// reminded to call again after `repeat_minutes`, up to `missed_call_tries` missed calls,
    /// then the supervisor decides. Returns how many calls have gone unanswered (None: no such
    /// request, or the press was handled before).
    pub async fn staff_request_no_answer(
        &self,
        key: Option<String>,
        request_id: i64,
        staff: &str,
    ) -> Result<Option<i64>, EngineError> {
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(key.as_deref(), now).await? else {
            return Ok(None);
        };
        if store::request(&mut tx, request_id).await?.is_none() {
            tx.commit().await?;
            return Ok(None);
        }
        store::record_request_call(&mut tx, request_id, now, false).await?;
        store::add_event(&mut tx, request_id, now, staff, "no_answer").await?;
        let missed = store::request_missed_calls(&mut tx, request_id).await?;
        self.schedule_call_again(&mut tx, None, Some(request_id), missed, now)
            .await?;
        tx.commit().await?;
        self.jobs_changed();
        Ok(Some(missed))
    }

    /// Staff recorded the job of a deferral as done: aftercare check-ins are scheduled.
    /// Returns the request number, or None when there is nothing to mark.
    pub async fn staff_job_done(
        &self,
        key: Option<String>,
        request_id: i64,
        staff: &str,
    ) -> Result<Option<String>, EngineError> {
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(key.as_deref(), now).await? else {
            return Ok(None);
        };
        let Some(req) = store::request(&mut tx, request_id).await? else {
            tx.commit().await?;
            return Ok(None);
        };
        if store::mark_job_done(&mut tx, request_id, staff, now).await? {
            store::add_event(&mut tx, request_id, now, staff, "job_done").await?;
            let today = crate::policy::local_today(self.at(now), self.settings.tz);
            self.schedule_aftercare(&mut tx, request_id, today, now)
                .await?;
            let msg = Msg::new(
                Part::new("staff-job-done")
                    .arg("request", Arg::RequestNo(req.number()))
                    .str("by", staff),
            );
            self.staff_notice(&mut tx, &msg, now).await?;
        }
        tx.commit().await?;
        self.outbox_changed();
        self.jobs_changed();
        Ok(Some(req.number()))
    }

    /// The customer said something is wrong after the job: staff are told.
    pub(super) async fn aftercare_problem(
        &self,
        conn: &mut store::Conn,
        request_id: i64,
        customer: &crate::dialogue::Customer,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(req) = store::request(conn, request_id).await? else {
            return Ok(());
        };
        if req.customer_id != customer.id {
            return Ok(());
        }
        store::add_event(conn, request_id, now, "customer", "aftercare_problem").await?;
        let msg = Msg::new(
            Part::new("staff-aftercare-problem")
                .arg("request", Arg::RequestNo(req.number()))
                .str("name", &customer.name)
                .str("invoice", req.invoice.clone().unwrap_or_else(|| "-".into())),
        );
        self.staff_notice(conn, &msg, now).await
    }
}
