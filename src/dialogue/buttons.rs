//! What an inline button means, and the one place its callback data is written and read.
//!
//! Telegram keeps a button's data (at most 64 bytes) on people's screens for as long as the
//! message stays, so an encoding, once shipped, must keep parsing to the same meaning.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::records::{Category, Lang};
use crate::policy::refund::RefundCause;
use crate::policy::Reason;

/// The most bytes Telegram takes as a button's callback data.
pub const MAX_DATA_BYTES: usize = 64;

/// A request a button names: one already recorded, or the one the same step submits (its id
/// is known only once the engine has recorded it; written `{id}` until then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestRef {
    Id(i64),
    New,
}

impl RequestRef {
    fn encode(self) -> String {
        match self {
            RequestRef::Id(id) => id.to_string(),
            RequestRef::New => "{id}".to_string(),
        }
    }

    fn parse(s: &str) -> Option<RequestRef> {
        match s {
            "{id}" => Some(RequestRef::New),
            _ => id(s).map(RequestRef::Id),
        }
    }
}

/// The customer's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItem {
    Defer,
    Refund,
    Complaint,
    Policy,
    Contact,
    Status,
    Language,
    Help,
    Menu,
    AskStaff,
    Resume,
}

impl MenuItem {
    pub const ALL: [MenuItem; 11] = [
        MenuItem::Defer,
        MenuItem::Refund,
        MenuItem::Complaint,
        MenuItem::Policy,
        MenuItem::Contact,
        MenuItem::Status,
        MenuItem::Language,
        MenuItem::Help,
        MenuItem::Menu,
        MenuItem::AskStaff,
        MenuItem::Resume,
    ];

    /// The code in callback data (`m:defer`).
    pub fn code(self) -> &'static str {
        match self {
            MenuItem::Defer => "defer",
            MenuItem::Refund => "refund",
            MenuItem::Complaint => "complaint",
            MenuItem::Policy => "policy",
            MenuItem::Contact => "contact",
            MenuItem::Status => "status",
            MenuItem::Language => "lang",
            MenuItem::Help => "help",
            MenuItem::Menu => "menu",
            MenuItem::AskStaff => "ask-staff",
            MenuItem::Resume => "resume",
        }
    }
}

/// The buttons under a form's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    Confirm,
    Edit,
    Cancel,
}

impl FormAction {
    const ALL: [FormAction; 3] = [FormAction::Confirm, FormAction::Edit, FormAction::Cancel];

    fn code(self) -> &'static str {
        match self {
            FormAction::Confirm => "ok",
            FormAction::Edit => "edit",
            FormAction::Cancel => "cancel",
        }
    }
}

/// An answer the field picker offers to change (deferral and refund forms share the codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditField {
    Invoice,
    Paid,
    Scheduled,
    Reason,
    Confirmation,
    NewDate,
    JobDone,
    Cause,
    Notice,
}

impl EditField {
    pub const ALL: [EditField; 9] = [
        EditField::Invoice,
        EditField::Paid,
        EditField::Scheduled,
        EditField::Reason,
        EditField::Confirmation,
        EditField::NewDate,
        EditField::JobDone,
        EditField::Cause,
        EditField::Notice,
    ];

    /// The code in callback data (`e:paid`), also the tail of the button's label id.
    pub fn code(self) -> &'static str {
        match self {
            EditField::Invoice => "invoice",
            EditField::Paid => "paid",
            EditField::Scheduled => "scheduled",
            EditField::Reason => "reason",
            EditField::Confirmation => "confirmation",
            EditField::NewDate => "new-date",
            EditField::JobDone => "done",
            EditField::Cause => "cause",
            EditField::Notice => "notice",
        }
    }
}

impl fmt::Display for EditField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A staff button on a case card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    Claim,
    CallReached,
    CallNoAnswer,
    Resolve,
    Step3,
    Close,
}

impl CaseAction {
    pub const ALL: [CaseAction; 6] = [
        CaseAction::Claim,
        CaseAction::CallReached,
        CaseAction::CallNoAnswer,
        CaseAction::Resolve,
        CaseAction::Step3,
        CaseAction::Close,
    ];

    /// The code in callback data: `c:cl:12`.
    pub fn code(self) -> &'static str {
        match self {
            CaseAction::Claim => "cl",
            CaseAction::CallReached => "cr",
            CaseAction::CallNoAnswer => "cn",
            CaseAction::Resolve => "rs",
            CaseAction::Step3 => "s3",
            CaseAction::Close => "x",
        }
    }

    /// `c:cl:12` → (Claim, 12).
    pub fn parse(data: &str) -> Option<(CaseAction, i64)> {
        match ButtonData::parse(data)? {
            ButtonData::Case { action, case_id } => Some((action, case_id)),
            _ => None,
        }
    }
}

/// What pressing a button means. Written with [`ButtonData::encode`], read with
/// [`ButtonData::parse`]; serialized as its encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonData {
    /// `m:defer`, `m:menu`, …
    Menu(MenuItem),
    /// `l:vi`, `l:en`.
    Language(Lang),
    /// `kn:new`: a new complaint although a case is open.
    CaseNew,
    /// `kn:add`: write more to the open case instead.
    CaseAddMore,
    /// `kr:skip`: no comment with the rating.
    RatingSkip,
    /// `kr:CASE:STARS`.
    Rate { case_id: i64, stars: i64 },
    /// `kx:CASE`: the customer closes their case.
    CloseCase(i64),
    /// `ac:ok:REQ` / `ac:bad:REQ`: how the customer is after the job.
    Aftercare { ok: bool, request_id: i64 },
    /// `kp:REQ`: a complaint about this request.
    ComplainAbout(RequestRef),
    /// `d:REQ`: a deferral instead of this refund.
    DeferInstead(RequestRef),
    /// `x:REQ`: ask the company for an exception to this rejected request.
    AskException(RequestRef),
    /// `f:ok`, `f:edit`, `f:cancel`.
    Form(FormAction),
    /// `e:CODE`: change this answer.
    Edit(EditField),
    /// `e:back`: back to the summary.
    EditBack,
    /// `h:yes` / `h:no`: pass the conversation to staff?
    Handoff(bool),
    /// `rg:yes` / `rg:no`: are the registry's dates right?
    RegistryRight(bool),
    /// `s:none`: no schedule yet.
    NoSchedule,
    /// `r:CODE`: the reason for a deferral.
    Reason(Reason),
    /// `c:none`: no confirmation document.
    NoConfirmation,
    /// `rd:yes` / `rd:no`: was the job done?
    JobDone(bool),
    /// `rc:company` / `rc:own`: why the money back.
    Cause(RefundCause),
    /// `rn:yes` / `rn:no`: did the company announce a postponement?
    Notice(bool),
    /// `k:CODE`: what a complaint is about.
    Category(Category),
    /// `kd:done`: no more photos.
    MediaDone,
    /// `ki:none`: no invoice for the complaint.
    NoInvoice,
    /// `ku:normal` / `ku:urgent`.
    Urgency { urgent: bool },
    /// `kc:yes` / `kc:no`: consent to keep the phone number.
    Consent(bool),
    /// `pk:N`: the N-th value read from the customer's words, shown back to be confirmed or
    /// picked ("cuối tháng" read as 31/12, or one of "20/12 hoặc 21/12").
    Pick(u8),
    /// `pk:x`: none of the values shown; the customer types the answer again.
    PickOther,
    /// Staff: `s:a:REQ` / `s:r:REQ`, approve or reject.
    StaffDecide { approve: bool, request_id: i64 },
    /// Staff: `s:c:REQ`, the customer was called.
    StaffCalled(i64),
    /// Staff: `s:n:REQ`, the call went unanswered.
    StaffNoAnswer(i64),
    /// Staff: `s:d:REQ`, the job of a deferral was done.
    StaffJobDone(i64),
    /// Staff: `c:CODE:CASE`, an action on a complaint case.
    Case { action: CaseAction, case_id: i64 },
    /// `pv:…`: notice, consent and the customer's rights over their data.
    Privacy(super::privacy::PrivacyButton),
    /// `li:defer`, `li:refund`, `li:complaint`: that request, for the invoice of the deep link
    /// the customer came by (kept in the conversation).
    LinkedInvoice(MenuItem),
    /// Data this version does not know (forged, or from a button no longer made). Written as
    /// `?`; never put on a button.
    Unknown,
}

fn id(s: &str) -> Option<i64> {
    // Only plain decimal digits: an id is never signed, and "+1" must not alias "1".
    match s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
        true => s.parse().ok(),
        false => None,
    }
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

fn yes_no_code(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

impl ButtonData {
    /// The callback data: ASCII, at most [`MAX_DATA_BYTES`] bytes.
    pub fn encode(&self) -> String {
        use ButtonData::*;
        match *self {
            Menu(item) => format!("m:{}", item.code()),
            Language(lang) => format!("l:{}", lang.code()),
            CaseNew => "kn:new".into(),
            CaseAddMore => "kn:add".into(),
            RatingSkip => "kr:skip".into(),
            Rate { case_id, stars } => format!("kr:{case_id}:{stars}"),
            CloseCase(case_id) => format!("kx:{case_id}"),
            Aftercare { ok, request_id } => {
                format!("ac:{}:{request_id}", if ok { "ok" } else { "bad" })
            }
            ComplainAbout(r) => format!("kp:{}", r.encode()),
            DeferInstead(r) => format!("d:{}", r.encode()),
            AskException(r) => format!("x:{}", r.encode()),
            Form(a) => format!("f:{}", a.code()),
            Edit(f) => format!("e:{}", f.code()),
            EditBack => "e:back".into(),
            Handoff(b) => format!("h:{}", yes_no_code(b)),
            RegistryRight(b) => format!("rg:{}", yes_no_code(b)),
            NoSchedule => "s:none".into(),
            Reason(r) => format!("r:{}", r.code()),
            NoConfirmation => "c:none".into(),
            JobDone(b) => format!("rd:{}", yes_no_code(b)),
            Cause(RefundCause::JobNotDone) => "rc:company".into(),
            Cause(RefundCause::Own) => "rc:own".into(),
            Notice(b) => format!("rn:{}", yes_no_code(b)),
            Category(c) => format!("k:{}", c.code()),
            MediaDone => "kd:done".into(),
            NoInvoice => "ki:none".into(),
            Urgency { urgent } => format!("ku:{}", if urgent { "urgent" } else { "normal" }),
            Consent(b) => format!("kc:{}", yes_no_code(b)),
            Pick(n) => format!("pk:{n}"),
            PickOther => "pk:x".into(),
            StaffDecide {
                approve,
                request_id,
            } => format!("s:{}:{request_id}", if approve { "a" } else { "r" }),
            StaffCalled(id) => format!("s:c:{id}"),
            StaffNoAnswer(id) => format!("s:n:{id}"),
            StaffJobDone(id) => format!("s:d:{id}"),
            Case { action, case_id } => format!("c:{}:{case_id}", action.code()),
            Privacy(b) => b.encode(),
            LinkedInvoice(item) => format!("li:{}", item.code()),
            Unknown => "?".into(),
        }
    }

    /// Reads callback data; `None` for data this version does not know.
    pub fn parse(data: &str) -> Option<ButtonData> {
        use ButtonData::*;
        let parts: Vec<&str> = data.split(':').collect();
        let b = match parts.as_slice() {
            ["m", item] => Menu(*MenuItem::ALL.iter().find(|i| i.code() == *item)?),
            ["l", lang] => Language(Lang::from_code(lang)?),
            ["kn", "new"] => CaseNew,
            ["kn", "add"] => CaseAddMore,
            ["kr", "skip"] => RatingSkip,
            ["kr", case, stars] => Rate {
                case_id: id(case)?,
                stars: id(stars)?,
            },
            ["kx", case] => CloseCase(id(case)?),
            ["ac", answer @ ("ok" | "bad"), req] => Aftercare {
                ok: *answer == "ok",
                request_id: id(req)?,
            },
            ["kp", r] => ComplainAbout(RequestRef::parse(r)?),
            ["d", r] => DeferInstead(RequestRef::parse(r)?),
            ["x", r] => AskException(RequestRef::parse(r)?),
            ["f", a] => Form(*FormAction::ALL.iter().find(|x| x.code() == *a)?),
            ["e", "back"] => EditBack,
            ["e", f] => Edit(*EditField::ALL.iter().find(|x| x.code() == *f)?),
            ["h", b] => Handoff(yes_no(b)?),
            ["rg", b] => RegistryRight(yes_no(b)?),
            ["s", "none"] => NoSchedule,
            ["r", r] => Reason(crate::policy::Reason::from_code(r)?),
            ["c", "none"] => NoConfirmation,
            ["rd", b] => JobDone(yes_no(b)?),
            ["rc", "company"] => Cause(RefundCause::JobNotDone),
            ["rc", "own"] => Cause(RefundCause::Own),
            ["rn", b] => Notice(yes_no(b)?),
            ["k", c] => Category(super::records::Category::from_code(c)?),
            ["kd", "done"] => MediaDone,
            ["ki", "none"] => NoInvoice,
            ["ku", "normal"] => Urgency { urgent: false },
            ["ku", "urgent"] => Urgency { urgent: true },
            ["kc", b] => Consent(yes_no(b)?),
            ["pk", "x"] => PickOther,
            ["pk", n] if n.len() == 1 => Pick(u8::try_from(id(n)?).ok()?),
            ["s", a @ ("a" | "r"), req] => StaffDecide {
                approve: *a == "a",
                request_id: id(req)?,
            },
            ["s", "c", req] => StaffCalled(id(req)?),
            ["s", "n", req] => StaffNoAnswer(id(req)?),
            ["s", "d", req] => StaffJobDone(id(req)?),
            ["c", code, case] => Case {
                action: *CaseAction::ALL.iter().find(|a| a.code() == *code)?,
                case_id: id(case)?,
            },
            ["pv", rest @ ..] => Privacy(super::privacy::PrivacyButton::parse(rest)?),
            ["li", item @ ("defer" | "refund" | "complaint")] => {
                LinkedInvoice(*MenuItem::ALL.iter().find(|i| i.code() == *item)?)
            }
            _ => return None,
        };
        Some(b)
    }

    /// Reads callback data; data this version does not know is [`ButtonData::Unknown`].
    pub fn read(data: &str) -> ButtonData {
        ButtonData::parse(data).unwrap_or(ButtonData::Unknown)
    }

    /// Whether the button belongs on a staff card (only staff may press it).
    pub fn is_staff(&self) -> bool {
        matches!(
            self,
            ButtonData::StaffDecide { .. }
                | ButtonData::StaffCalled(_)
                | ButtonData::StaffNoAnswer(_)
                | ButtonData::StaffJobDone(_)
                | ButtonData::Case { .. }
        )
    }

    /// The same button with [`RequestRef::New`] replaced by the request just recorded.
    pub fn with_new_request(self, request_id: i64) -> ButtonData {
        let fill = |r: RequestRef| match r {
            RequestRef::New => RequestRef::Id(request_id),
            id => id,
        };
        match self {
            ButtonData::ComplainAbout(r) => ButtonData::ComplainAbout(fill(r)),
            ButtonData::DeferInstead(r) => ButtonData::DeferInstead(fill(r)),
            ButtonData::AskException(r) => ButtonData::AskException(fill(r)),
            other => other,
        }
    }
}

impl fmt::Display for ButtonData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl From<&str> for ButtonData {
    fn from(data: &str) -> ButtonData {
        ButtonData::read(data)
    }
}

impl From<String> for ButtonData {
    fn from(data: String) -> ButtonData {
        ButtonData::read(&data)
    }
}

impl Serialize for ButtonData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for ButtonData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ButtonData, D::Error> {
        let data = String::deserialize(d)?;
        Ok(ButtonData::read(&data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every variant, with the callback data buttons have carried since before the
    /// typed encoding (they stay on people's screens across upgrades).
    fn table() -> Vec<(&'static str, ButtonData)> {
        use ButtonData::*;
        vec![
            ("m:defer", Menu(MenuItem::Defer)),
            ("pk:0", Pick(0)),
            ("pk:2", Pick(2)),
            ("pk:x", PickOther),
            ("m:refund", Menu(MenuItem::Refund)),
            ("m:complaint", Menu(MenuItem::Complaint)),
            ("m:policy", Menu(MenuItem::Policy)),
            ("m:contact", Menu(MenuItem::Contact)),
            ("m:status", Menu(MenuItem::Status)),
            ("m:lang", Menu(MenuItem::Language)),
            ("m:help", Menu(MenuItem::Help)),
            ("m:menu", Menu(MenuItem::Menu)),
            ("m:ask-staff", Menu(MenuItem::AskStaff)),
            ("m:resume", Menu(MenuItem::Resume)),
            ("li:defer", LinkedInvoice(MenuItem::Defer)),
            ("li:refund", LinkedInvoice(MenuItem::Refund)),
            ("li:complaint", LinkedInvoice(MenuItem::Complaint)),
            ("l:vi", Language(Lang::Vi)),
            ("l:en", Language(Lang::En)),
            ("kn:new", CaseNew),
            ("kn:add", CaseAddMore),
            ("kr:skip", RatingSkip),
            (
                "kr:12:5",
                Rate {
                    case_id: 12,
                    stars: 5,
                },
            ),
            ("kx:7", CloseCase(7)),
            (
                "ac:ok:3",
                Aftercare {
                    ok: true,
                    request_id: 3,
                },
            ),
            (
                "ac:bad:4",
                Aftercare {
                    ok: false,
                    request_id: 4,
                },
            ),
            ("kp:9", ComplainAbout(RequestRef::Id(9))),
            ("kp:{id}", ComplainAbout(RequestRef::New)),
            ("d:10", DeferInstead(RequestRef::Id(10))),
            ("d:{id}", DeferInstead(RequestRef::New)),
            ("x:11", AskException(RequestRef::Id(11))),
            ("x:{id}", AskException(RequestRef::New)),
            ("f:ok", Form(FormAction::Confirm)),
            ("f:edit", Form(FormAction::Edit)),
            ("f:cancel", Form(FormAction::Cancel)),
            ("e:invoice", Edit(EditField::Invoice)),
            ("e:paid", Edit(EditField::Paid)),
            ("e:scheduled", Edit(EditField::Scheduled)),
            ("e:reason", Edit(EditField::Reason)),
            ("e:confirmation", Edit(EditField::Confirmation)),
            ("e:new-date", Edit(EditField::NewDate)),
            ("e:done", Edit(EditField::JobDone)),
            ("e:cause", Edit(EditField::Cause)),
            ("e:notice", Edit(EditField::Notice)),
            ("e:back", EditBack),
            ("h:yes", Handoff(true)),
            ("h:no", Handoff(false)),
            ("rg:yes", RegistryRight(true)),
            ("rg:no", RegistryRight(false)),
            ("s:none", NoSchedule),
            (
                "r:business_trip",
                Reason(crate::policy::Reason::BusinessTrip),
            ),
            ("r:accident", Reason(crate::policy::Reason::Accident)),
            ("r:illness", Reason(crate::policy::Reason::Illness)),
            ("r:bereavement", Reason(crate::policy::Reason::Bereavement)),
            (
                "r:economic_family",
                Reason(crate::policy::Reason::EconomicFamily),
            ),
            ("r:unclear", Reason(crate::policy::Reason::Unclear)),
            ("r:other", Reason(crate::policy::Reason::Other)),
            ("c:none", NoConfirmation),
            ("rd:yes", JobDone(true)),
            ("rd:no", JobDone(false)),
            ("rc:company", Cause(RefundCause::JobNotDone)),
            ("rc:own", Cause(RefundCause::Own)),
            ("rn:yes", Notice(true)),
            ("rn:no", Notice(false)),
            ("k:quality", Category(super::Category::Quality)),
            ("k:schedule", Category(super::Category::Schedule)),
            ("k:attitude", Category(super::Category::Attitude)),
            ("k:billing", Category(super::Category::Billing)),
            ("k:other", Category(super::Category::Other)),
            ("kd:done", MediaDone),
            ("ki:none", NoInvoice),
            ("ku:normal", Urgency { urgent: false }),
            ("ku:urgent", Urgency { urgent: true }),
            ("kc:yes", Consent(true)),
            ("kc:no", Consent(false)),
            (
                "s:a:5",
                StaffDecide {
                    approve: true,
                    request_id: 5,
                },
            ),
            (
                "s:r:6",
                StaffDecide {
                    approve: false,
                    request_id: 6,
                },
            ),
            ("s:c:7", StaffCalled(7)),
            ("s:n:8", StaffNoAnswer(8)),
            ("s:d:9", StaffJobDone(9)),
            (
                "c:cl:12",
                Case {
                    action: CaseAction::Claim,
                    case_id: 12,
                },
            ),
            (
                "c:cr:12",
                Case {
                    action: CaseAction::CallReached,
                    case_id: 12,
                },
            ),
            (
                "c:cn:12",
                Case {
                    action: CaseAction::CallNoAnswer,
                    case_id: 12,
                },
            ),
            (
                "c:rs:12",
                Case {
                    action: CaseAction::Resolve,
                    case_id: 12,
                },
            ),
            (
                "c:s3:12",
                Case {
                    action: CaseAction::Step3,
                    case_id: 12,
                },
            ),
            (
                "c:x:12",
                Case {
                    action: CaseAction::Close,
                    case_id: 12,
                },
            ),
        ]
    }

    #[test]
    fn every_data_written_before_the_typed_buttons_still_reads_the_same() {
        for (data, meaning) in table() {
            assert_eq!(ButtonData::parse(data), Some(meaning), "{data}");
            assert_eq!(meaning.encode(), data, "{meaning:?}");
        }
    }

    #[test]
    fn every_variant_round_trips() {
        for (_, meaning) in table() {
            assert_eq!(ButtonData::parse(&meaning.encode()), Some(meaning));
        }
        for f in EditField::ALL {
            let b = ButtonData::Edit(f);
            assert_eq!(ButtonData::parse(&b.encode()), Some(b));
        }
        for a in CaseAction::ALL {
            let b = ButtonData::Case {
                action: a,
                case_id: 1,
            };
            assert_eq!(ButtonData::parse(&b.encode()), Some(b));
        }
    }

    #[test]
    fn the_longest_data_with_the_largest_ids_fits_telegram() {
        let big = i64::MAX;
        let longest = [
            ButtonData::Rate {
                case_id: big,
                stars: 5,
            },
            ButtonData::Aftercare {
                ok: false,
                request_id: big,
            },
            ButtonData::StaffDecide {
                approve: true,
                request_id: big,
            },
            ButtonData::Case {
                action: CaseAction::Claim,
                case_id: big,
            },
            ButtonData::AskException(RequestRef::Id(big)),
            ButtonData::Reason(crate::policy::Reason::EconomicFamily),
            ButtonData::Edit(EditField::Confirmation),
        ];
        let all = table().into_iter().map(|(_, b)| b).chain(longest);
        for b in all {
            let data = b.encode();
            assert!(data.len() <= MAX_DATA_BYTES, "{data}");
            assert!(data.is_ascii(), "{data}");
            assert_eq!(ButtonData::parse(&data), Some(b));
        }
    }

    #[test]
    fn unknown_or_malformed_data_reads_as_nothing() {
        for data in [
            "", "?", "zz", "m:", "m:nope", "li:menu", "li:", "x:", "x:abc", "x:-1", "x:+1", "s:a:",
            "s:a:1:2", "c:zz:1", "c:cl:", "kr:1", "kx:1x", "e:nope", "r:nope", "k:nope", "rc:x",
        ] {
            assert_eq!(ButtonData::parse(data), None, "{data}");
            assert_eq!(ButtonData::read(data), ButtonData::Unknown, "{data}");
        }
    }

    #[test]
    fn the_new_request_placeholder_takes_the_recorded_id() {
        let b = ButtonData::parse("x:{id}").unwrap();
        assert_eq!(b.with_new_request(42).encode(), "x:42");
        assert_eq!(
            ButtonData::parse("x:3")
                .unwrap()
                .with_new_request(42)
                .encode(),
            "x:3"
        );
    }

    #[test]
    fn buttons_are_stored_as_their_data_string() {
        let b = ButtonData::StaffCalled(7);
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"s:c:7\"");
        let back: ButtonData = serde_json::from_str("\"s:c:7\"").unwrap();
        assert_eq!(back, b);
        let old: ButtonData = serde_json::from_str("\"zz:1\"").unwrap();
        assert_eq!(old, ButtonData::Unknown);
    }
}
