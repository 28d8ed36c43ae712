//! Deferral (bảo lưu chi phí): POLICY.md's checks, each evaluated and each reported.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{days_between, Params, Rule};

/// Why the customer cannot come, as the policy sorts reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    BusinessTrip,
    Accident,
    Illness,
    Bereavement,
    EconomicFamily,
    /// The customer's own words hint at an accepted reason (a hospital, a cast) without saying
    /// it plainly: staff decide, it is never refused on the words alone.
    Unclear,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 7] = [
        Reason::BusinessTrip,
        Reason::Accident,
        Reason::Illness,
        Reason::Bereavement,
        Reason::EconomicFamily,
        Reason::Unclear,
        Reason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::BusinessTrip => "business_trip",
            Reason::Accident => "accident",
            Reason::Illness => "illness",
            Reason::Bereavement => "bereavement",
            Reason::EconomicFamily => "economic_family",
            Reason::Unclear => "unclear",
            Reason::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// What the customer told us (or the invoice registry knows) about one deferral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeferralFacts {
    pub paid_on: NaiveDate,
    /// `None`: the job has no date yet.
    pub scheduled_on: Option<NaiveDate>,
    pub new_date: NaiveDate,
    pub reason: Reason,
    pub has_confirmation: bool,
}

/// An answer that cannot be right; the field is asked again (this is not a decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputProblem {
    PaidInFuture,
    NewDateNotAfterToday,
    NewDateNotAfterScheduled,
    JobAlreadyDone,
}

/// The payment date must not be in the future.
pub fn check_paid_on(paid_on: NaiveDate, today: NaiveDate) -> Result<(), InputProblem> {
    if paid_on > today {
        Err(InputProblem::PaidInFuture)
    } else {
        Ok(())
    }
}

/// The new date must come after today and after the scheduled date.
pub fn check_new_date(
    new_date: NaiveDate,
    today: NaiveDate,
    scheduled_on: Option<NaiveDate>,
) -> Result<(), InputProblem> {
    if new_date <= today {
        return Err(InputProblem::NewDateNotAfterToday);
    }
    match scheduled_on {
        Some(s) if new_date <= s => Err(InputProblem::NewDateNotAfterScheduled),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    Review,
}

/// The numbers behind a check, so it can be explained in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    Window {
        paid_on: NaiveDate,
        days_since_payment: i64,
        limit: i64,
        last_day: NaiveDate,
    },
    Notice {
        scheduled_on: Option<NaiveDate>,
        days_before: Option<i64>,
        required: i64,
    },
    Reasons {
        reason: Reason,
    },
    Max {
        from: NaiveDate,
        from_schedule: bool,
        days: i64,
        limit: i64,
        last_day: NaiveDate,
    },
    Confirmation {
        attached: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub rule: Rule,
    pub verdict: Verdict,
    pub detail: Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approved,
    Rejected,
    /// Staff must decide (e.g. economic or family hardship).
    NeedsReview,
    /// Eligible, but the company confirms every deferral itself (`defer_auto_approve = false`).
    AwaitingConfirmation,
}

impl Outcome {
    /// A stable name for records and exports.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::Rejected => "rejected",
            Outcome::NeedsReview => "review",
            Outcome::AwaitingConfirmation => "awaiting",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub checks: Vec<Check>,
}

impl Decision {
    /// Rules whose check failed, in the order they were evaluated.
    pub fn failed(&self) -> Vec<Rule> {
        self.rules_with(Verdict::Fail)
    }

    /// Rules that send the request to staff.
    pub fn reviewed(&self) -> Vec<Rule> {
        self.rules_with(Verdict::Review)
    }

    pub fn passed(&self) -> Vec<Rule> {
        self.rules_with(Verdict::Pass)
    }

    /// The rules a message announcing this decision must cite.
    pub fn cited(&self) -> Vec<Rule> {
        let mut rules = self.failed();
        rules.extend(self.reviewed());
        rules
    }

    fn rules_with(&self, verdict: Verdict) -> Vec<Rule> {
        self.checks
            .iter()
            .filter(|c| c.verdict == verdict)
            .map(|c| c.rule)
            .collect()
    }
}

fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(date)
}

/// Applies every deferral check of POLICY.md and reports each, pass or fail.
pub fn decide_deferral(facts: &DeferralFacts, today: NaiveDate, params: &Params) -> Decision {
    let mut checks = Vec::with_capacity(5);

    // DEFER_WINDOW: T ≤ P + window.
    let days_since_payment = days_between(facts.paid_on, today);
    let window_last_day = plus_days(facts.paid_on, params.defer_request_window_days);
    checks.push(Check {
        rule: Rule::DeferWindow,
        verdict: if today <= window_last_day {
            Verdict::Pass
        } else {
            Verdict::Fail
        },
        detail: Detail::Window {
            paid_on: facts.paid_on,
            days_since_payment,
            limit: params.defer_request_window_days,
            last_day: window_last_day,
        },
    });

    // NOTICE: S unknown, or S ≥ T + notice.
    let days_before = facts.scheduled_on.map(|s| days_between(today, s));
    checks.push(Check {
        rule: Rule::Notice,
        verdict: match days_before {
            Some(d) if d < params.defer_notice_days => Verdict::Fail,
            _ => Verdict::Pass,
        },
        detail: Detail::Notice {
            scheduled_on: facts.scheduled_on,
            days_before,
            required: params.defer_notice_days,
        },
    });

    // DEFER_REASONS (with GROUNDS for economic/family hardship).
    let (rule, verdict) = match facts.reason {
        Reason::BusinessTrip | Reason::Accident | Reason::Illness | Reason::Bereavement => {
            (Rule::DeferReasons, Verdict::Pass)
        }
        Reason::EconomicFamily | Reason::Unclear => (Rule::DeferReasons, Verdict::Review),
        Reason::Other => (Rule::DeferReasons, Verdict::Fail),
    };
    checks.push(Check {
        rule,
        verdict,
        detail: Detail::Reasons {
            reason: facts.reason,
        },
    });

    // DEFER_MAX: N ≤ S + max (T + max when S is unknown).
    let (from, from_schedule) = match facts.scheduled_on {
        Some(s) => (s, true),
        None => (today, false),
    };
    let max_last_day = plus_days(from, params.defer_max_days);
    checks.push(Check {
        rule: Rule::DeferMax,
        verdict: if facts.new_date <= max_last_day {
            Verdict::Pass
        } else {
            Verdict::Fail
        },
        detail: Detail::Max {
            from,
            from_schedule,
            days: days_between(from, facts.new_date),
            limit: params.defer_max_days,
            last_day: max_last_day,
        },
    });

    // Confirmation: never blocks; staff see whether one was attached.
    checks.push(Check {
        rule: Rule::Grounds,
        verdict: Verdict::Pass,
        detail: Detail::Confirmation {
            attached: facts.has_confirmation,
        },
    });

    let any = |v: Verdict| checks.iter().any(|c| c.verdict == v);
    let outcome = if any(Verdict::Fail) {
        Outcome::Rejected
    } else if any(Verdict::Review) {
        Outcome::NeedsReview
    } else if params.defer_auto_approve {
        Outcome::Approved
    } else {
        Outcome::AwaitingConfirmation
    };
    Decision { outcome, checks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn facts(p: &str, s: Option<&str>, n: &str, reason: Reason) -> DeferralFacts {
        DeferralFacts {
            paid_on: d(p),
            scheduled_on: s.map(d),
            new_date: d(n),
            reason,
            has_confirmation: true,
        }
    }

    const TODAY: &str = "2026-11-24";

    #[test]
    fn every_deferral_example_of_the_policy_gives_its_outcome_and_rules() {
        use Outcome::*;
        use Reason::*;
        type Row<'a> = (&'a str, &'a str, &'a str, Reason, Outcome, &'a [Rule]);
        let rows: &[Row] = &[
            (
                "2026-10-01",
                "2026-12-05",
                "2027-01-20",
                Illness,
                Approved,
                &[],
            ),
            (
                "2026-09-25",
                "2026-12-05",
                "2027-01-20",
                Illness,
                Approved,
                &[],
            ),
            (
                "2026-09-24",
                "2026-12-05",
                "2027-01-20",
                Illness,
                Rejected,
                &[Rule::DeferWindow],
            ),
            (
                "2026-10-01",
                "2026-12-01",
                "2026-12-20",
                Accident,
                Approved,
                &[],
            ),
            (
                "2026-10-01",
                "2026-11-30",
                "2026-12-20",
                Accident,
                Rejected,
                &[Rule::Notice],
            ),
            (
                "2026-10-01",
                "2026-12-05",
                "2027-02-04",
                BusinessTrip,
                Rejected,
                &[Rule::DeferMax],
            ),
            (
                "2026-10-01",
                "2026-12-05",
                "2026-12-20",
                EconomicFamily,
                NeedsReview,
                &[Rule::DeferReasons],
            ),
            (
                "2026-10-01",
                "2026-12-05",
                "2026-12-20",
                Other,
                Rejected,
                &[Rule::DeferReasons],
            ),
        ];
        for (p, s, n, reason, outcome, cited) in rows {
            let decision =
                decide_deferral(&facts(p, Some(s), n, *reason), d(TODAY), &Params::default());
            assert_eq!(decision.outcome, *outcome, "P={p} S={s} N={n} {reason:?}");
            assert_eq!(
                decision.cited(),
                cited.to_vec(),
                "P={p} S={s} N={n} {reason:?}"
            );
        }
    }

    #[test]
    fn day_60_after_payment_is_the_last_day_and_day_61_is_too_late() {
        let p = Params::default();
        let on_60 = decide_deferral(
            &facts(
                "2026-09-25",
                Some("2026-12-05"),
                "2027-01-01",
                Reason::Illness,
            ),
            d(TODAY),
            &p,
        );
        let on_61 = decide_deferral(
            &facts(
                "2026-09-24",
                Some("2026-12-05"),
                "2027-01-01",
                Reason::Illness,
            ),
            d(TODAY),
            &p,
        );
        assert_eq!(on_60.outcome, Outcome::Approved);
        assert_eq!(on_61.outcome, Outcome::Rejected);
        match &on_61.checks[0].detail {
            Detail::Window {
                days_since_payment,
                limit,
                last_day,
                ..
            } => {
                assert_eq!((*days_since_payment, *limit), (61, 60));
                assert_eq!(*last_day, d("2026-11-23"));
            }
            other => panic!("unexpected detail {other:?}"),
        }
    }

    #[test]
    fn seven_days_of_notice_is_enough_and_six_is_not() {
        let p = Params::default();
        let seven = decide_deferral(
            &facts(
                "2026-11-01",
                Some("2026-12-01"),
                "2026-12-20",
                Reason::Accident,
            ),
            d(TODAY),
            &p,
        );
        let six = decide_deferral(
            &facts(
                "2026-11-01",
                Some("2026-11-30"),
                "2026-12-20",
                Reason::Accident,
            ),
            d(TODAY),
            &p,
        );
        assert_eq!(seven.outcome, Outcome::Approved);
        assert_eq!(six.failed(), vec![Rule::Notice]);
        assert_eq!(
            six.checks[1].detail,
            Detail::Notice {
                scheduled_on: Some(d("2026-11-30")),
                days_before: Some(6),
                required: 7
            }
        );
    }

    #[test]
    fn a_job_without_a_date_needs_no_notice_and_is_moved_at_most_60_days_from_today() {
        let p = Params::default();
        let ok = decide_deferral(
            &facts("2026-11-01", None, "2027-01-23", Reason::Bereavement),
            d(TODAY),
            &p,
        );
        let late = decide_deferral(
            &facts("2026-11-01", None, "2027-01-24", Reason::Bereavement),
            d(TODAY),
            &p,
        );
        assert_eq!(ok.outcome, Outcome::Approved);
        assert_eq!(late.failed(), vec![Rule::DeferMax]);
    }

    #[test]
    fn a_deferral_of_60_days_is_allowed_and_61_is_not() {
        let p = Params::default();
        let sixty = decide_deferral(
            &facts(
                "2026-11-01",
                Some("2026-12-05"),
                "2027-02-03",
                Reason::BusinessTrip,
            ),
            d(TODAY),
            &p,
        );
        let sixty_one = decide_deferral(
            &facts(
                "2026-11-01",
                Some("2026-12-05"),
                "2027-02-04",
                Reason::BusinessTrip,
            ),
            d(TODAY),
            &p,
        );
        assert_eq!(sixty.outcome, Outcome::Approved);
        assert_eq!(sixty_one.failed(), vec![Rule::DeferMax]);
        match &sixty_one.checks[3].detail {
            Detail::Max {
                days,
                limit,
                last_day,
                from_schedule,
                ..
            } => {
                assert_eq!((*days, *limit, *from_schedule), (61, 60, true));
                assert_eq!(*last_day, d("2027-02-03"));
            }
            other => panic!("unexpected detail {other:?}"),
        }
    }

    #[test]
    fn every_failed_rule_is_reported_not_only_the_first() {
        let decision = decide_deferral(
            &facts(
                "2026-09-01",
                Some("2026-11-26"),
                "2027-03-01",
                Reason::Other,
            ),
            d(TODAY),
            &Params::default(),
        );
        assert_eq!(decision.outcome, Outcome::Rejected);
        assert_eq!(
            decision.failed(),
            vec![
                Rule::DeferWindow,
                Rule::Notice,
                Rule::DeferReasons,
                Rule::DeferMax
            ]
        );
    }

    #[test]
    fn a_rejection_wins_over_a_review() {
        let decision = decide_deferral(
            &facts(
                "2026-09-01",
                Some("2026-12-05"),
                "2026-12-20",
                Reason::EconomicFamily,
            ),
            d(TODAY),
            &Params::default(),
        );
        assert_eq!(decision.outcome, Outcome::Rejected);
        assert_eq!(
            decision.cited(),
            vec![Rule::DeferWindow, Rule::DeferReasons]
        );
    }

    #[test]
    fn without_auto_approval_an_eligible_deferral_waits_for_staff() {
        let p = Params {
            defer_auto_approve: false,
            ..Params::default()
        };
        let decision = decide_deferral(
            &facts(
                "2026-10-01",
                Some("2026-12-05"),
                "2027-01-20",
                Reason::Illness,
            ),
            d(TODAY),
            &p,
        );
        assert_eq!(decision.outcome, Outcome::AwaitingConfirmation);
        assert!(decision.cited().is_empty());
    }

    #[test]
    fn a_missing_confirmation_never_blocks_but_is_recorded() {
        let mut f = facts(
            "2026-10-01",
            Some("2026-12-05"),
            "2027-01-20",
            Reason::Illness,
        );
        f.has_confirmation = false;
        let decision = decide_deferral(&f, d(TODAY), &Params::default());
        assert_eq!(decision.outcome, Outcome::Approved);
        assert!(decision
            .checks
            .iter()
            .any(|c| c.detail == Detail::Confirmation { attached: false }));
    }

    #[test]
    fn parameters_from_the_configuration_change_the_limits() {
        let p = Params {
            defer_request_window_days: 90,
            defer_max_days: 30,
            ..Params::default()
        };
        let decision = decide_deferral(
            &facts(
                "2026-09-01",
                Some("2026-12-05"),
                "2027-01-20",
                Reason::Illness,
            ),
            d(TODAY),
            &p,
        );
        assert_eq!(decision.failed(), vec![Rule::DeferMax]);
    }

    #[test]
    fn the_day_counts_in_vietnam_not_in_utc() {
        use chrono::TimeZone;
        // 18:00 UTC on 23/11 is already 24/11 in Vietnam: day 61 after a payment on 24/09.
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 18, 0, 0)
            .unwrap();
        let today = super::super::local_today(now, chrono_tz::Asia::Ho_Chi_Minh);
        let decision = decide_deferral(
            &facts(
                "2026-09-24",
                Some("2026-12-05"),
                "2027-01-20",
                Reason::Illness,
            ),
            today,
            &Params::default(),
        );
        assert_eq!(decision.failed(), vec![Rule::DeferWindow]);
        let utc_today = now.date_naive();
        let by_utc = decide_deferral(
            &facts(
                "2026-09-24",
                Some("2026-12-05"),
                "2027-01-20",
                Reason::Illness,
            ),
            utc_today,
            &Params::default(),
        );
        assert_eq!(
            by_utc.outcome,
            Outcome::Approved,
            "the same payment on UTC's date would still be in time"
        );
    }

    #[test]
    fn answers_that_cannot_be_right_are_caught_where_they_are_given() {
        let t = d(TODAY);
        assert_eq!(
            check_paid_on(d("2026-11-25"), t),
            Err(InputProblem::PaidInFuture)
        );
        assert_eq!(check_paid_on(t, t), Ok(()));
        assert_eq!(
            check_new_date(t, t, None),
            Err(InputProblem::NewDateNotAfterToday)
        );
        assert_eq!(
            check_new_date(d("2026-12-05"), t, Some(d("2026-12-05"))),
            Err(InputProblem::NewDateNotAfterScheduled)
        );
        assert_eq!(
            check_new_date(d("2026-12-06"), t, Some(d("2026-12-05"))),
            Ok(())
        );
    }
}
