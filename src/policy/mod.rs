//! The company's published policy as pure functions: facts and "today" in, a decision with the
//! rules it rests on out. No clock, no I/O: `today` is always an argument.

pub mod deferral;
pub mod hours;
pub mod refund;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use deferral::{
    check_new_date, check_paid_on, decide_deferral, Check, DeferralFacts, Detail, InputProblem,
    Outcome, Reason, Verdict,
};

/// A rule of the policy, with the stable id used in POLICY.md, in logs and in exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rule {
    Scope,
    Grounds,
    DeferWindow,
    DeferReasons,
    KeepInvoice,
    Notice,
    DeferMax,
    NoRefund,
    CompanyPostpone,
    RefundCompanyFault,
    Records,
    Aftercare,
    Complaint,
    Contact,
}

impl Rule {
    pub const ALL: [Rule; 14] = [
        Rule::Scope,
        Rule::Grounds,
        Rule::DeferWindow,
        Rule::DeferReasons,
        Rule::KeepInvoice,
        Rule::Notice,
        Rule::DeferMax,
        Rule::NoRefund,
        Rule::CompanyPostpone,
        Rule::RefundCompanyFault,
        Rule::Records,
        Rule::Aftercare,
        Rule::Complaint,
        Rule::Contact,
    ];

    /// The id as written in POLICY.md (`DEFER_WINDOW`).
    pub fn id(self) -> &'static str {
        match self {
            Rule::Scope => "SCOPE",
            Rule::Grounds => "GROUNDS",
            Rule::DeferWindow => "DEFER_WINDOW",
            Rule::DeferReasons => "DEFER_REASONS",
            Rule::KeepInvoice => "KEEP_INVOICE",
            Rule::Notice => "NOTICE",
            Rule::DeferMax => "DEFER_MAX",
            Rule::NoRefund => "NO_REFUND",
            Rule::CompanyPostpone => "COMPANY_POSTPONE",
            Rule::RefundCompanyFault => "REFUND_COMPANY_FAULT",
            Rule::Records => "RECORDS",
            Rule::Aftercare => "AFTERCARE",
            Rule::Complaint => "COMPLAINT",
            Rule::Contact => "CONTACT",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }
}

/// The policy parameters. Every number here is a company setting with POLICY.md's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// DEFER_WINDOW: a deferral may be asked for no later than this many days after payment.
    pub defer_request_window_days: i64,
    /// NOTICE: the customer must tell the company at least this many days before the job date.
    pub defer_notice_days: i64,
    /// DEFER_MAX: a job may be moved at most this many days.
    pub defer_max_days: i64,
    /// COMPANY_POSTPONE: the company may postpone a job by at most this many days.
    pub company_postpone_max_days: i64,
    /// REFUND_COMPANY_FAULT: a job not done this many days after payment may be refunded.
    pub refund_after_days: i64,
    /// When false, eligible deferrals wait for staff confirmation instead of being approved.
    pub defer_auto_approve: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            defer_request_window_days: 60,
            defer_notice_days: 7,
            defer_max_days: 60,
            company_postpone_max_days: 14,
            refund_after_days: 30,
            defer_auto_approve: true,
        }
    }
}

impl Params {
    /// The first parameter that makes no sense (negative day counts), by name.
    pub fn invalid_field(&self) -> Option<&'static str> {
        [
            ("defer_request_window_days", self.defer_request_window_days),
            ("defer_notice_days", self.defer_notice_days),
            ("defer_max_days", self.defer_max_days),
            ("company_postpone_max_days", self.company_postpone_max_days),
            ("refund_after_days", self.refund_after_days),
        ]
        .into_iter()
        .find(|(_, v)| *v < 0 || *v > 3650)
        .map(|(name, _)| name)
    }
}

/// "Today" as the company counts it: the calendar date in its time zone, not in UTC.
pub fn local_today(now: DateTime<Utc>, tz: chrono_tz::Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_date_in_vietnam_while_utc_is_still_on_the_day_before() {
        // 2026-11-23 18:30 UTC is 2026-11-24 01:30 in Asia/Ho_Chi_Minh.
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 18, 30, 0).unwrap();
        assert_eq!(
            local_today(now, chrono_tz::Asia::Ho_Chi_Minh),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        );
        let before = Utc.with_ymd_and_hms(2026, 11, 23, 16, 59, 59).unwrap();
        assert_eq!(
            local_today(before, chrono_tz::Asia::Ho_Chi_Minh),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
    }

    #[test]
    fn every_rule_id_round_trips() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
        assert_eq!(Rule::from_id("NOPE"), None);
    }

    #[test]
    fn negative_day_counts_are_refused_by_name() {
        let p = Params {
            defer_notice_days: -1,
            ..Params::default()
        };
        assert_eq!(p.invalid_field(), Some("defer_notice_days"));
        assert_eq!(Params::default().invalid_field(), None);
    }
}

/// The company profile (CONTACT): who the customer deals with and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Company {
    pub name: String,
    pub hotline: String,
    pub email: String,
    pub website: String,
    pub address: String,
}

impl Default for Company {
    fn default() -> Self {
        Company {
            name: "Quang Mobile".into(),
            hotline: "090 4718 078".into(),
            email: "quangmobile1154@gmail.com".into(),
            website: "www.quangmobile.com".into(),
            address: "Ấp 3 Hiệp Phước, Nhơn Trạch, Đồng Nai".into(),
        }
    }
}

/// How soon staff must call a customer back on the hotline, and how they are reminded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Callback {
    /// An urgent complaint: business minutes.
    pub urgent_minutes: i64,
    /// Everything else: business hours.
    pub normal_hours: i64,
    /// A missed call-back is pinged again after this many business minutes.
    pub repeat_minutes: i64,
    /// After this many pings, the ping also names the supervisor.
    pub supervisor_after: i64,
    /// Who to name then, e.g. "@truongca" (none: nobody is named).
    pub supervisor: Option<String>,
    /// More pings than this due together go out as one digest.
    pub digest_over: usize,
    /// After "Không nghe máy", staff are reminded to call again (after `repeat_minutes`); after
    /// this many missed calls the supervisor is told instead, and the reminders stop.
    pub missed_call_tries: i64,
}

impl Callback {
    /// The first setting that makes no sense, by name, with what it must be.
    pub fn invalid_field(&self) -> Option<(&'static str, i64, &'static str)> {
        let at_least_one = "a whole number of at least 1";
        let not_negative = "a whole number, 0 or more";
        [
            ("urgent_minutes", self.urgent_minutes, 1, at_least_one),
            ("normal_hours", self.normal_hours, 1, at_least_one),
            // 0 would ping the group again at once, over and over.
            ("repeat_minutes", self.repeat_minutes, 1, at_least_one),
            ("supervisor_after", self.supervisor_after, 0, not_negative),
            ("missed_call_tries", self.missed_call_tries, 1, at_least_one),
        ]
        .into_iter()
        .find(|(_, value, min, _)| value < min || *value > 100_000)
        .map(|(name, value, _, hint)| (name, value, hint))
    }
}

impl Default for Callback {
    fn default() -> Self {
        Callback {
            urgent_minutes: 30,
            normal_hours: 4,
            repeat_minutes: 30,
            supervisor_after: 3,
            supervisor: None,
            digest_over: 3,
            missed_call_tries: 3,
        }
    }
}

/// Reminders to customers and staff about deferred jobs and aftercare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reminders {
    /// The customer is reminded this many days before a deferred job's new date.
    pub defer_days_before: Vec<i64>,
    /// Check-ins this many days after staff mark a job done (AFTERCARE).
    pub aftercare_days: Vec<i64>,
    /// Local time of customer reminders and check-ins, "HH:MM".
    pub at: String,
    /// Local time of the staff's morning digest of the day's jobs, "HH:MM".
    pub digest_at: String,
}

impl Default for Reminders {
    fn default() -> Self {
        Reminders {
            defer_days_before: vec![3, 1],
            aftercare_days: vec![1, 3, 7],
            at: "09:00".into(),
            digest_at: "07:30".into(),
        }
    }
}

impl Reminders {
    pub fn at_time(&self) -> chrono::NaiveTime {
        chrono::NaiveTime::parse_from_str(&self.at, "%H:%M").unwrap_or(chrono::NaiveTime::MIN)
    }

    pub fn digest_time(&self) -> chrono::NaiveTime {
        chrono::NaiveTime::parse_from_str(&self.digest_at, "%H:%M")
            .unwrap_or(chrono::NaiveTime::MIN)
    }

    /// The first setting that cannot be read, by name.
    pub fn invalid_field(&self) -> Option<&'static str> {
        let time = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M").is_err();
        if time(&self.at) {
            Some("at")
        } else if time(&self.digest_at) {
            Some("digest_at")
        } else if self
            .defer_days_before
            .iter()
            .chain(&self.aftercare_days)
            .any(|d| *d < 0 || *d > 365)
        {
            Some("days")
        } else {
            None
        }
    }
}

/// A local date and time in `tz`, as an instant (the earliest, if a clock change repeats it).
pub fn local_instant(
    date: NaiveDate,
    time: chrono::NaiveTime,
    tz: chrono_tz::Tz,
) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    tz.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}
