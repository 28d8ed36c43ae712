//! What a conversation produces and what it may be shown: requests and their summaries.

use serde::{Deserialize, Serialize};

use crate::policy::refund::{RefundDecision, RefundFacts};
use crate::policy::{deferral::Decision, Reason, Rule};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Deferral,
    Refund,
    /// The customer asked for a person after failing to answer a question.
    Handoff,
}

impl RequestKind {
    pub fn code(self) -> &'static str {
        match self {
            RequestKind::Deferral => "deferral",
            RequestKind::Refund => "refund",
            RequestKind::Handoff => "handoff",
        }
    }

    pub fn from_code(code: &str) -> Option<RequestKind> {
        match code {
            "deferral" => Some(RequestKind::Deferral),
            "refund" => Some(RequestKind::Refund),
            "handoff" => Some(RequestKind::Handoff),
            _ => None,
        }
    }

    /// The prefix of the readable number (BL-000012).
    pub fn prefix(self) -> &'static str {
        match self {
            RequestKind::Deferral => "BL",
            RequestKind::Refund => "HT",
            RequestKind::Handoff => "YC",
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Approved by the policy.
    Approved,
    /// Rejected by the policy; the customer may still ask for an exception.
    Rejected,
    /// Waiting for a staff decision.
    Review,
    /// Rejected by the policy, then the customer asked the company for an exception.
    Exception,
    StaffApproved,
    StaffRejected,
    /// Passed to staff without a decision.
    Handoff,
}

impl RequestStatus {
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Review => "review",
            RequestStatus::Exception => "exception",
            RequestStatus::StaffApproved => "staff_approved",
            RequestStatus::StaffRejected => "staff_rejected",
            RequestStatus::Handoff => "handoff",
        }
    }

    pub fn from_code(code: &str) -> Option<RequestStatus> {
        [
            RequestStatus::Approved,
            RequestStatus::Rejected,
            RequestStatus::Review,
            RequestStatus::Exception,
            RequestStatus::StaffApproved,
            RequestStatus::StaffRejected,
            RequestStatus::Handoff,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Waiting for a staff member to press Duyệt or Từ chối.
    pub fn awaits_staff(self) -> bool {
        matches!(self, RequestStatus::Review | RequestStatus::Exception)
    }
}

/// Display number of a request: `BL-000012`.
pub fn request_no(kind: RequestKind, id: i64) -> String {
    format!("{}-{:06}", kind.prefix(), id)
}

/// The customer as staff see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The company's id of the customer, not any channel's.
    pub id: i64,
    /// Who they are on the channel they last wrote from, and where it reaches them.
    pub identity: Identity,
    pub name: String,
    pub username: Option<String>,
    pub lang: Lang,
    pub unreachable: bool,
}

/// Someone as a channel knows them. Only the channel reads `external_id` and `address`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The channel's name: `telegram`, `shell` (the terminal), …
    pub channel: String,
    /// The channel's id of the person (Telegram: the user id).
    pub external_id: String,
    /// Where the channel reaches them (Telegram: the private chat id).
    pub address: String,
}

/// A request as stored: what every request keeps, and its kind's own details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: i64,
    pub status: RequestStatus,
    pub customer_id: i64,
    pub invoice: Option<String>,
    /// The reason in the customer's own words, when they typed one.
    pub reason_text: Option<String>,
    /// Anything else the customer sent during the conversation.
    pub attachments: Vec<Attachment>,
    /// What the customer typed that could not be read (a hand-off shows it to staff).
    pub unread_answers: Vec<String>,
    /// Whether the invoice was in the registry (None: no registry loaded).
    pub registry: Option<RegistryMatch>,
    pub details: RequestDetails,
    pub created_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

/// What a request of each kind keeps of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestDetails {
    Deferral(DeferralDetails),
    /// The refund facts and decision.
    Refund(RefundRecord),
    Handoff(HandoffDetails),
}

/// A deferral's answers and the policy's decision on them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeferralDetails {
    pub paid_on: NaiveDate,
    /// None: the customer said the job has no date yet.
    pub scheduled_on: Option<NaiveDate>,
    pub new_date: NaiveDate,
    pub reason: Reason,
    /// `Some(None)`: the customer said no confirmation exists.
    pub confirmation: Option<Option<Attachment>>,
    pub decision: Decision,
}

/// A form handed to staff before it was done: the answers given so far (a refund form's hand-off
/// carries its payment date only; "Hỏi nhân viên" outside a form, none).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HandoffDetails {
    pub paid_on: Option<NaiveDate>,
    /// `Some(None)`: the customer said the job has no date yet.
    pub scheduled_on: Option<Option<NaiveDate>>,
    pub new_date: Option<NaiveDate>,
    pub reason: Option<Reason>,
    /// `Some(None)`: the customer said no confirmation exists.
    pub confirmation: Option<Option<Attachment>>,
}

impl RequestDetails {
    pub fn kind(&self) -> RequestKind {
        match self {
            RequestDetails::Deferral(_) => RequestKind::Deferral,
            RequestDetails::Refund(_) => RequestKind::Refund,
            RequestDetails::Handoff(_) => RequestKind::Handoff,
        }
    }
}

impl Request {
    pub fn kind(&self) -> RequestKind {
        self.details.kind()
    }

    pub fn number(&self) -> String {
        request_no(self.kind(), self.id)
    }

    /// The payment date the customer gave, when they gave one.
    pub fn paid_on(&self) -> Option<NaiveDate> {
        match &self.details {
            RequestDetails::Deferral(d) => Some(d.paid_on),
            RequestDetails::Refund(r) => Some(r.facts.paid_on),
            RequestDetails::Handoff(h) => h.paid_on,
        }
    }

    /// The date the job is deferred to, when there is one.
    pub fn new_date(&self) -> Option<NaiveDate> {
        match &self.details {
            RequestDetails::Deferral(d) => Some(d.new_date),
            RequestDetails::Refund(_) => None,
            RequestDetails::Handoff(h) => h.new_date,
        }
    }

    /// The job's date before the request: `Some(None)` when the customer said it has none.
    pub fn scheduled_on(&self) -> Option<Option<NaiveDate>> {
        match &self.details {
            RequestDetails::Deferral(d) => Some(d.scheduled_on),
            RequestDetails::Refund(_) => None,
            RequestDetails::Handoff(h) => h.scheduled_on,
        }
    }

    /// The reason the customer chose (or that their own words were read as).
    pub fn reason(&self) -> Option<Reason> {
        match &self.details {
            RequestDetails::Deferral(d) => Some(d.reason),
            RequestDetails::Refund(_) => None,
            RequestDetails::Handoff(h) => h.reason,
        }
    }

    /// The document the customer sent to confirm their reason.
    pub fn confirmation(&self) -> Option<&Attachment> {
        let confirmation = match &self.details {
            RequestDetails::Deferral(d) => &d.confirmation,
            RequestDetails::Refund(_) => return None,
            RequestDetails::Handoff(h) => &h.confirmation,
        };
        confirmation.as_ref().and_then(Option::as_ref)
    }

    /// The policy's outcome (a stable name for records and exports) and the rules it cites;
    /// None when no policy decided (a hand-off).
    pub fn outcome(&self) -> Option<(&'static str, Vec<Rule>)> {
        match &self.details {
            RequestDetails::Deferral(d) => Some((d.decision.outcome.code(), d.decision.cited())),
            RequestDetails::Refund(r) => {
                Some((r.decision.outcome.code(), r.decision.rules.clone()))
            }
            RequestDetails::Handoff(_) => None,
        }
    }
}

/// Where a complaint case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Received (step 1), nobody has claimed it yet.
    Open,
    /// A staff member handles it (step 2).
    Claimed,
    Resolved,
    /// Negotiation failed: the legal authorities (step 3).
    Step3,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 5] = [
        CaseStatus::Open,
        CaseStatus::Claimed,
        CaseStatus::Resolved,
        CaseStatus::Step3,
        CaseStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Claimed => "claimed",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Step3 => "step3",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whatever the customer writes goes to a case in these states.
    pub fn takes_messages(self) -> bool {
        matches!(
            self,
            CaseStatus::Open | CaseStatus::Claimed | CaseStatus::Step3
        )
    }
}

/// Display number of a case: `KN-000123`.
pub fn case_no(id: i64) -> String {
    format!("KN-{id:06}")
}

/// A case as the customer's conversation sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub status: CaseStatus,
    pub step: i64,
    pub category: Category,
    pub created_on: NaiveDate,
    pub claimed_by: Option<String>,
    pub rating: Option<i64>,
    /// The latest line of the case's history (its id: later lines have larger ids).
    #[serde(default)]
    pub last_event: i64,
}

impl CaseSummary {
    pub fn number(&self) -> String {
        case_no(self.id)
    }
}

/// A case as stored, with who did what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: i64,
    pub customer_id: i64,
    pub category: Category,
    pub description: String,
    pub invoice: Option<String>,
    pub urgent: bool,
    pub phone: Option<String>,
    /// The phone matches the one on the invoice in the registry.
    pub phone_verified: bool,
    pub call_consent: bool,
    pub status: CaseStatus,
    pub step: i64,
    pub claimed_by: Option<String>,
    pub claimed_by_id: Option<i64>,
    pub claimed_at: Option<i64>,
    pub last_call_at: Option<i64>,
    pub last_call: Option<String>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub topic_id: Option<i64>,
    pub card_message_id: Option<i64>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

impl Case {
    pub fn number(&self) -> String {
        case_no(self.id)
    }
}

/// One line of a case's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub at: i64,
    pub actor: String,
    pub kind: String,
    pub text: Option<String>,
    pub media: Vec<Attachment>,
}

/// Whether a request's invoice was found in the registry staff imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryMatch {
    /// Found; the customer confirmed the dates on record.
    Known,
    /// Not in the registry: the customer typed the dates.
    Unknown,
    /// Found, but the customer said the dates on record are wrong and typed their own.
    Disputed,
}

impl RegistryMatch {
    pub fn code(self) -> &'static str {
        match self {
            RegistryMatch::Known => "known",
            RegistryMatch::Unknown => "unknown",
            RegistryMatch::Disputed => "disputed",
        }
    }

    pub fn from_code(code: &str) -> Option<RegistryMatch> {
        [
            RegistryMatch::Known,
            RegistryMatch::Unknown,
            RegistryMatch::Disputed,
        ]
        .into_iter()
        .find(|m| m.code() == code)
    }
}

/// An invoice from the registry, as the conversation may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownInvoice {
    pub number: String,
    pub paid_on: NaiveDate,
    pub job_on: Option<NaiveDate>,
    /// paid, done, cancelled
    pub status: String,
}

/// What a complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Quality,
    Schedule,
    Attitude,
    Billing,
    Other,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Quality,
        Category::Schedule,
        Category::Attitude,
        Category::Billing,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Quality => "quality",
            Category::Schedule => "schedule",
            Category::Attitude => "attitude",
            Category::Billing => "billing",
            Category::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The refund facts and decision kept with a refund request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRecord {
    pub facts: RefundFacts,
    pub decision: RefundDecision,
}

/// The languages the bot speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A file the customer sent, kept by Telegram's file id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub kind: MediaKind,
    pub file_id: String,
    pub file_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Photo,
    Document,
    Video,
    Audio,
    Voice,
    VideoNote,
    Sticker,
    Animation,
    Location,
    Other,
}

impl MediaKind {
    /// Media a person can look at as a document or photo of a confirmation.
    pub fn is_document_like(self) -> bool {
        matches!(self, MediaKind::Photo | MediaKind::Document)
    }
}
