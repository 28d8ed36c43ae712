//! Refund (hoàn trả chi phí): POLICY.md's refund table.
//!
//! Order of the rows, where several could apply: a job already done, then the customer's own
//! reasons (both NO_REFUND whatever the dates), then "not yet" (a claim is possible only from
//! P + 31), then a postponement the company announced (COMPANY_POSTPONE), and only then the
//! company's fault (REFUND_COMPANY_FAULT).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{days_between, Params, Rule};

/// Why the customer wants the money back, as the policy sorts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundCause {
    /// The company took the fee and has not done the job.
    JobNotDone,
    /// The customer's own reasons (cannot come, changed their mind, money, …).
    Own,
}

/// A postponement the company told the customer about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postponement {
    pub original: NaiveDate,
    pub moved_to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundFacts {
    pub paid_on: NaiveDate,
    pub job_done: bool,
    pub cause: RefundCause,
    pub postponement: Option<Postponement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RefundOutcome {
    /// Goes to staff to pay out; the bot never promises a sum or a date.
    Eligible { days_since_payment: i64 },
    /// Too early: a claim is possible from `first_day`.
    NotYet {
        first_day: NaiveDate,
        days_since_payment: i64,
    },
    /// The job was done: no refund; quality problems go to a complaint.
    JobDone,
    /// The company's postponement is within what the policy allows.
    PostponementAllowed { days: i64, limit: i64 },
    /// The company postponed by more than the policy allows: staff decide.
    PostponementTooLong { days: i64, limit: i64 },
    /// The customer's own reasons: no refund; deferral while the window holds.
    OwnReasons {
        deferral_possible: bool,
        defer_last_day: NaiveDate,
    },
}

impl RefundOutcome {
    /// A stable name for records and exports.
    pub fn code(&self) -> &'static str {
        match self {
            RefundOutcome::Eligible { .. } => "eligible",
            RefundOutcome::NotYet { .. } => "not_yet",
            RefundOutcome::JobDone => "job_done",
            RefundOutcome::PostponementAllowed { .. } => "postponement_allowed",
            RefundOutcome::PostponementTooLong { .. } => "postponement_too_long",
            RefundOutcome::OwnReasons { .. } => "own_reasons",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundDecision {
    pub outcome: RefundOutcome,
    pub rules: Vec<Rule>,
}

impl RefundDecision {
    /// Staff must act (pay out, or review).
    pub fn needs_staff(&self) -> bool {
        matches!(
            self.outcome,
            RefundOutcome::Eligible { .. } | RefundOutcome::PostponementTooLong { .. }
        )
    }
}

fn plus(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_days(Days::new(days.max(0) as u64))
        .unwrap_or(date)
}

/// Applies the refund table.
pub fn decide_refund(facts: &RefundFacts, today: NaiveDate, params: &Params) -> RefundDecision {
    let days_since_payment = days_between(facts.paid_on, today);
    let decide = |outcome, rules: &[Rule]| RefundDecision {
        outcome,
        rules: rules.to_vec(),
    };
    if facts.job_done {
        return decide(RefundOutcome::JobDone, &[Rule::NoRefund]);
    }
    if facts.cause == RefundCause::Own {
        let defer_last_day = plus(facts.paid_on, params.defer_request_window_days);
        return decide(
            RefundOutcome::OwnReasons {
                deferral_possible: today <= defer_last_day,
                defer_last_day,
            },
            &[Rule::NoRefund, Rule::Grounds],
        );
    }
    if days_since_payment <= params.refund_after_days {
        return decide(
            RefundOutcome::NotYet {
                first_day: plus(facts.paid_on, params.refund_after_days + 1),
                days_since_payment,
            },
            &[Rule::RefundCompanyFault],
        );
    }
    if let Some(p) = facts.postponement {
        let days = days_between(p.original, p.moved_to);
        let limit = params.company_postpone_max_days;
        let outcome = if days <= limit {
            RefundOutcome::PostponementAllowed { days, limit }
        } else {
            RefundOutcome::PostponementTooLong { days, limit }
        };
        return decide(outcome, &[Rule::CompanyPostpone]);
    }
    decide(
        RefundOutcome::Eligible { days_since_payment },
        &[Rule::RefundCompanyFault],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-11-24";

    fn facts(
        paid: &str,
        done: bool,
        cause: RefundCause,
        post: Option<(&str, &str)>,
    ) -> RefundFacts {
        RefundFacts {
            paid_on: d(paid),
            job_done: done,
            cause,
            postponement: post.map(|(o, m)| Postponement {
                original: d(o),
                moved_to: d(m),
            }),
        }
    }

    fn outcome(f: &RefundFacts) -> RefundDecision {
        decide_refund(f, d(TODAY), &Params::default())
    }

    #[test]
    fn every_row_of_the_refund_table_gives_its_outcome_and_rules() {
        use RefundCause::*;
        // job already done
        let r = outcome(&facts("2026-09-01", true, JobNotDone, None));
        assert_eq!(
            (r.outcome, r.rules),
            (RefundOutcome::JobDone, vec![Rule::NoRefund])
        );
        // not done, T > P + 30, no notice: eligible
        let r = outcome(&facts("2026-10-01", false, JobNotDone, None));
        assert_eq!(
            r.outcome,
            RefundOutcome::Eligible {
                days_since_payment: 54
            }
        );
        assert_eq!(r.rules, vec![Rule::RefundCompanyFault]);
        assert!(r.needs_staff());
        // not done, T ≤ P + 30: not yet, first day P + 31
        let r = outcome(&facts("2026-11-10", false, JobNotDone, None));
        assert_eq!(
            r.outcome,
            RefundOutcome::NotYet {
                first_day: d("2026-12-11"),
                days_since_payment: 14
            }
        );
        // company gave notice within 14 days: allowed
        let r = outcome(&facts(
            "2026-10-01",
            false,
            JobNotDone,
            Some(("2026-11-01", "2026-11-15")),
        ));
        assert_eq!(
            (r.outcome, r.rules.clone()),
            (
                RefundOutcome::PostponementAllowed {
                    days: 14,
                    limit: 14
                },
                vec![Rule::CompanyPostpone]
            )
        );
        assert!(!r.needs_staff());
        // company gave notice beyond 14 days: review
        let r = outcome(&facts(
            "2026-10-01",
            false,
            JobNotDone,
            Some(("2026-11-01", "2026-11-16")),
        ));
        assert_eq!(
            r.outcome,
            RefundOutcome::PostponementTooLong {
                days: 15,
                limit: 14
            }
        );
        assert!(r.needs_staff());
        // customer's own reasons: no refund, deferral offered while DEFER_WINDOW holds
        let r = outcome(&facts("2026-10-01", false, Own, None));
        assert_eq!(
            r.outcome,
            RefundOutcome::OwnReasons {
                deferral_possible: true,
                defer_last_day: d("2026-11-30")
            }
        );
        assert_eq!(r.rules, vec![Rule::NoRefund, Rule::Grounds]);
        let r = outcome(&facts("2026-09-01", false, Own, None));
        assert_eq!(
            r.outcome,
            RefundOutcome::OwnReasons {
                deferral_possible: false,
                defer_last_day: d("2026-10-31")
            }
        );
    }

    #[test]
    fn day_30_after_payment_is_too_early_and_day_31_is_eligible() {
        let day30 = outcome(&facts("2026-10-25", false, RefundCause::JobNotDone, None));
        let day31 = outcome(&facts("2026-10-24", false, RefundCause::JobNotDone, None));
        assert_eq!(
            day30.outcome,
            RefundOutcome::NotYet {
                first_day: d("2026-11-25"),
                days_since_payment: 30
            }
        );
        assert_eq!(
            day31.outcome,
            RefundOutcome::Eligible {
                days_since_payment: 31
            }
        );
    }

    #[test]
    fn a_done_job_is_never_refunded_even_long_after_payment() {
        let r = outcome(&facts("2026-01-01", true, RefundCause::Own, None));
        assert_eq!(r.outcome, RefundOutcome::JobDone);
    }
}
