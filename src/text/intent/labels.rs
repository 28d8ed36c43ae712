//! What a message can mean: the labels the reader puts on it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Intent {
    Deferral,
    Refund,
    Complaint,
    Status,
    Menu,
    Cancel,
    Why,
    Help,
    Greeting,
    NoSchedule,
    NoneAvailable,
    Yes,
    No,
    /// A question about the company or its policy, answered from the
    /// policy text rather than by starting a request.
    Ask(Question),
}

/// What a customer asks about (POLICY.md rule in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Question {
    /// The hotline number (CONTACT, COMPLAINT step 1).
    Hotline,
    /// The company's address (CONTACT).
    Address,
    /// The company's email (CONTACT).
    Email,
    /// The company's website (CONTACT).
    Website,
    /// How to reach the company at all (CONTACT).
    Contact,
    /// Whether and when a refund is possible (NO_REFUND, REFUND_COMPANY_FAULT).
    RefundPolicy,
    /// How long a job may be deferred (DEFER_MAX).
    DeferLength,
    /// Whether a deferral can still be asked for so long after paying (DEFER_WINDOW).
    DeferWindow,
    /// What happens when the customer misses the job date (DEFER_MAX).
    MissedDate,
    /// Whether the company may postpone a job (COMPANY_POSTPONE).
    CompanyPostpone,
    /// What happens to the before/after photos (RECORDS).
    Photos,
    /// How complaints are handled (COMPLAINT).
    ComplaintProcess,
    /// What to do after the job (AFTERCARE).
    Aftercare,
    /// The policy in general.
    Policy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReasonHint {
    BusinessTrip,
    Accident,
    Illness,
    Bereavement,
    EconomicFamily,
}
