//! Complaint cases: opened by the customer's conversation, handled by staff in the group (buttons,
//! messages in the case's topic or in reply to its card, internal notes), every change recorded.

use super::{Engine, EngineError};
use crate::dialogue::{
    cards, case_no, Arg, Attachment, Button, ButtonData, Case, CaseStatus, ComplaintForm, Customer,
    Msg, Notice, NoticeKind, Part,
};
use crate::store::{self, Content, Earlier, StoreError};

/// Every kind of line in a case's history.
pub const CASE_EVENT_KINDS: [&str; 15] = [
    "created",
    "customer_message",
    "staff_message",
    "note",
    "claimed",
    "called_reached",
    "called_no_answer",
    "resolved",
    "step3",
    "closed",
    "rated",
    "delivery_failed",
    "reminded",
    "reopened",
    "topic_renewed",
];

pub use crate::dialogue::CaseAction;

impl CaseAction {
    fn event(self) -> &'static str {
        match self {
            CaseAction::Claim => "claimed",
            CaseAction::CallReached => "called_reached",
            CaseAction::CallNoAnswer => "called_no_answer",
            CaseAction::Resolve => "resolved",
            CaseAction::Step3 => "step3",
            CaseAction::Close => "closed",
        }
    }
}

/// A staff member's press on a case card (membership already checked by the channel).
#[derive(Debug, Clone)]
pub struct StaffCaseAction {
    pub key: Option<String>,
    pub staff_id: i64,
    pub staff_name: String,
    pub case_id: i64,
    pub action: CaseAction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseActionOutcome {
    Done {
        case: String,
    },
    /// Someone else claimed it first.
    AlreadyClaimed {
        case: String,
        by: String,
    },
    /// The case is not in a state where this makes sense (e.g. closed).
    NotNow {
        case: String,
        status: CaseStatus,
    },
    NotFound,
    Duplicate,
}

/// A message a staff member wrote in a case's topic or in reply to its card.
#[derive(Debug, Clone)]
pub struct StaffMessage {
    pub key: Option<String>,
    pub staff_id: i64,
    pub staff_name: String,
    pub case_id: i64,
    pub text: Option<String>,
    pub media: Vec<Attachment>,
    /// It replies to the customer's words or to the case's card (in the terminal: it names the
    /// case). Only then, or with the [`TO_CUSTOMER`] prefix, does it go to the customer.
    pub answers_customer: bool,
    /// The message's own id in the staff group ("chat:message"), when the channel has one.
    pub source: Option<String>,
    /// An edit of that message: the customer's copy is edited, not sent again.
    pub edited: bool,
}

/// A staff message starting with this goes to the customer even when it replies to nothing.
pub const TO_CUSTOMER: &str = "/tl";

/// The words after the [`TO_CUSTOMER`] prefix (`/tl Dạ em chào chị`).
fn to_customer_words(text: &str) -> Option<&str> {
    let rest = text.trim_start().strip_prefix(TO_CUSTOMER)?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffMessageOutcome {
    Relayed,
    Noted,
    /// The case is closed: nothing was sent to the customer.
    CaseClosed,
    Duplicate,
}

fn actor(staff_id: i64, name: &str) -> String {
    format!("staff:{staff_id}:{name}")
}

/// `/cases`: the cases still open, oldest first, with their age, step, status and who has them.
fn open_cases_list(open: &[Case], now: i64) -> Msg {
    let mut msg = Msg::id(if open.is_empty() {
        "cases-none"
    } else {
        "cases-header"
    });
    for c in open {
        let age = now - c.created_at;
        let urgency = if c.urgent {
            "urgency-urgent"
        } else {
            "urgency-normal"
        };
        msg.parts.push(
            Part::new("cases-line")
                .arg("case", Arg::RequestNo(c.number()))
                .int("days", age / 86_400)
                .int("hours", age % 86_400 / 3_600)
                .int("minutes", age % 3_600 / 60)
                .int("step", c.step)
                .msg("status", &format!("case-status-{}", c.status.code()))
                .str("by", c.claimed_by.clone().unwrap_or_else(|| "-".into()))
                .msg("urgency", urgency),
        );
    }
    msg
}

/// The words of an internal note (`#note …`), if the text is one.
fn note_text(text: &str) -> Option<String> {
    let t = text.trim_start();
    t.get(..5)
        .filter(|p| p.eq_ignore_ascii_case("#note"))
        .map(|_| t[5..].trim().to_string())
}

/// A message that goes to the staff group, into the case.
fn for_case(mut out: store::Message) -> store::Message {
    out.reply_to = Some(Earlier::CaseCard);
    out
}

/// A message of the customer's own words in the staff group: replying to it answers them.
fn customer_words(mut out: store::Message) -> store::Message {
    out.customer_words = true;
    out
}

/// A case as the complaint form filed it (step 1, open), not yet stored.
fn new_case(form: &ComplaintForm, customer_id: i64, now: i64) -> Case {
    Case {
        id: 0,
        customer_id,
        category: form.category.unwrap_or(crate::dialogue::Category::Other),
        description: form.description.clone().unwrap_or_default(),
        invoice: form.invoice.clone().flatten(),
        urgent: form.urgent.unwrap_or(false),
        phone: form.phone.clone(),
        phone_verified: false,
        call_consent: form.consent.unwrap_or(false),
        status: CaseStatus::Open,
        step: 1,
        claimed_by: None,
        claimed_by_id: None,
        claimed_at: None,
        last_call_at: None,
        last_call: None,
        rating: None,
        rating_comment: None,
        topic_id: None,
        card_message_id: None,
        created_at: now,
        closed_at: None,
    }
}

impl Engine {
    /// Records a new case (step 1) and puts it in front of staff.
    pub(super) async fn open_case(
        &self,
        conn: &mut store::Conn,
        form: ComplaintForm,
        customer: &Customer,
        now: i64,
    ) -> Result<(String, i64), EngineError> {
        let mut case = new_case(&form, customer.id, now);
        // A phone that matches the invoice on record is shown to staff as verified.
        if let (Some(inv), Some(phone)) = (&case.invoice, &case.phone) {
            let on_record = store::invoice(conn, inv).await?.and_then(|k| k.phone);
            case.phone_verified = on_record.as_deref() == Some(phone.as_str());
        }
        case.id = store::insert_case(conn, &case).await?;
        self.schedule_callback(conn, Some(case.id), None, case.urgent, now)
            .await?;
        let description = Some(case.description.as_str());
        store::add_case_event(
            conn,
            case.id,
            now,
            "customer",
            "created",
            description,
            &form.media,
        )
        .await?;
        self.show_new_case(conn, &case, customer, &form.media, now)
            .await?;
        Ok((case.number(), case.id))
    }

    /// A new case in front of staff: its thread, its card, the whole description when the card
    /// cut it, and the customer's files.
    async fn show_new_case(
        &self,
        conn: &mut store::Conn,
        case: &Case,
        customer: &Customer,
        media: &[Attachment],
        now: i64,
    ) -> Result<(), EngineError> {
        let lang = self.settings.staff_lang;
        // The topic first, as its own step: a card that fails to send after the topic was made
        // goes into that same topic when retried.
        let topic = Content::OpenCaseThread {
            title: self
                .renderer
                .part(lang, &cards::case_topic_title(case, customer), None),
        };
        self.enqueue_case(conn, case.id, &topic, now).await?;
        let card = self.case_card(conn, case, customer).await?;
        let mut card = self.outgoing(lang, &card, None);
        card.case_card = true;
        self.enqueue_case(conn, case.id, &card, now).await?;
        // The card quotes the start of a long description; staff get all of it right after.
        if case.description.chars().count() > cards::CARD_TEXT_CHARS {
            let full = Msg::new(
                Part::new("card-full-text")
                    .arg("request", Arg::RequestNo(case.number()))
                    .str("text", &case.description),
            );
            let out = for_case(self.outgoing(lang, &full, None));
            self.enqueue_case(conn, case.id, &out, now).await?;
        }
        for attachment in media {
            let caption = Msg::new(
                Part::new("case-media-caption")
                    .arg("case", Arg::RequestNo(case.number()))
                    .str("name", &customer.name),
            )
            .with_attachment(attachment.clone());
            let out = customer_words(for_case(self.outgoing(lang, &caption, None)));
            self.enqueue_case(conn, case.id, &out, now).await?;
        }
        Ok(())
    }

    /// Queues a staff-group message that belongs to a case.
    async fn enqueue_case(
        &self,
        conn: &mut store::Conn,
        case_id: i64,
        out: impl Into<Content>,
        now: i64,
    ) -> Result<(), EngineError> {
        let staff = self.settings.staff;
        let out = out.into();
        store::enqueue_for_case(
            conn,
            staff.chat_id,
            staff.thread_id,
            None,
            case_id,
            &out,
            now,
        )
        .await?;
        Ok(())
    }

    /// Queues a message to the customer of a case (unless they blocked the bot); returns the
    /// outbox rows written.
    async fn tell_customer(
        &self,
        conn: &mut store::Conn,
        customer: &Customer,
        msg: &Msg,
        now: i64,
    ) -> Result<Vec<i64>, EngineError> {
        if customer.unreachable {
            return Ok(Vec::new());
        }
        let out = self.outgoing(customer.lang, msg, None);
        self.enqueue_to_customer(conn, customer, None, &out, now)
            .await
    }

    /// The card, edited to show where the case stands, and the topic's title with its mark.
    pub(super) async fn refresh_case(
        &self,
        conn: &mut store::Conn,
        case_id: i64,
        now: i64,
    ) -> Result<Case, EngineError> {
        let case = store::case(conn, case_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("case vanished".into()))?;
        let customer = store::customer_of(conn, case.customer_id).await?;
        let lang = self.settings.staff_lang;
        let card = self.case_card(conn, &case, &customer).await?;
        let mut card = self.outgoing(lang, &card, None);
        card.edit_of = Some(Earlier::CaseCard);
        self.enqueue_case(conn, case.id, &card, now).await?;
        let rename = Content::RenameCaseThread {
            title: self
                .renderer
                .part(lang, &cards::case_topic_title(&case, &customer), None),
        };
        self.enqueue_case(conn, case.id, &rename, now).await?;
        Ok(case)
    }

    /// The customer wrote to their open case: kept, and relayed to staff in their own words.
    pub(super) async fn customer_case_message(
        &self,
        conn: &mut store::Conn,
        case_id: i64,
        customer: &Customer,
        text: Option<String>,
        media: Vec<Attachment>,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(case) = customers_case(conn, case_id, customer).await? else {
            return Ok(());
        };
        self.relay_customer_words(conn, &case, customer, text, media, now)
            .await
    }

    /// The customer's words (and files) for `case`: kept in its history, relayed to staff.
    async fn relay_customer_words(
        &self,
        conn: &mut store::Conn,
        case: &Case,
        customer: &Customer,
        text: Option<String>,
        media: Vec<Attachment>,
        now: i64,
    ) -> Result<(), EngineError> {
        store::add_case_event(
            conn,
            case.id,
            now,
            "customer",
            "customer_message",
            text.as_deref(),
            &media,
        )
        .await?;
        let lang = self.settings.staff_lang;
        let head = |t: Option<&str>| {
            Msg::new(
                Part::new("case-from-customer")
                    .arg("case", Arg::RequestNo(case.number()))
                    .str("name", &customer.name)
                    .str("text", t.unwrap_or("")),
            )
        };
        if media.is_empty() || text.is_some() {
            let out = customer_words(for_case(self.outgoing(lang, &head(text.as_deref()), None)));
            self.enqueue_case(conn, case.id, &out, now).await?;
        }
        for attachment in media {
            let caption = Msg::new(
                Part::new("case-media-caption")
                    .arg("case", Arg::RequestNo(case.number()))
                    .str("name", &customer.name),
            )
            .with_attachment(attachment);
            let out = customer_words(for_case(self.outgoing(lang, &caption, None)));
            self.enqueue_case(conn, case.id, &out, now).await?;
        }
        Ok(())
    }

    /// The customer wrote about a resolved case: it is opened again (step 2, with whoever had
    /// it), staff are told and see the words, and a call-back is owed again.
    pub(super) async fn customer_reopens_case(
        &self,
        conn: &mut store::Conn,
        case_id: i64,
        customer: &Customer,
        text: Option<String>,
        media: Vec<Attachment>,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(case) = customers_case(conn, case_id, customer).await? else {
            return Ok(());
        };
        let to = if case.claimed_by.is_some() {
            CaseStatus::Claimed
        } else {
            CaseStatus::Open
        };
        let reopened =
            store::set_case_status(conn, case.id, &[CaseStatus::Resolved], to, 2, now).await?;
        if reopened {
            store::add_case_event(conn, case.id, now, "customer", "reopened", None, &[]).await?;
            let msg = Msg::new(
                Part::new("case-staff-reopened").arg("case", Arg::RequestNo(case.number())),
            );
            let out = for_case(self.outgoing(self.settings.staff_lang, &msg, None));
            self.enqueue_case(conn, case.id, &out, now).await?;
        }
        self.relay_customer_words(conn, &case, customer, text, media, now)
            .await?;
        if reopened {
            self.refresh_case(conn, case.id, now).await?;
            self.schedule_callback(conn, Some(case.id), None, false, now)
                .await?;
        }
        Ok(())
    }

    pub(super) async fn customer_closes_case(
        &self,
        conn: &mut store::Conn,
        case_id: i64,
        customer: &Customer,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(case) = customers_case(conn, case_id, customer).await? else {
            return Ok(());
        };
        let not_closed = [
            CaseStatus::Open,
            CaseStatus::Claimed,
            CaseStatus::Resolved,
            CaseStatus::Step3,
        ];
        if store::set_case_status(
            conn,
            case.id,
            &not_closed,
            CaseStatus::Closed,
            case.step,
            now,
        )
        .await?
        {
            store::add_case_event(conn, case.id, now, "customer", "closed", None, &[]).await?;
            let msg = Msg::new(
                Part::new("case-staff-closed-by-customer")
                    .arg("case", Arg::RequestNo(case.number())),
            );
            let out = for_case(self.outgoing(self.settings.staff_lang, &msg, None));
            self.enqueue_case(conn, case.id, &out, now).await?;
            self.refresh_case(conn, case.id, now).await?;
        }
        Ok(())
    }

    pub(super) async fn customer_rates_case(
        &self,
        conn: &mut store::Conn,
        case_id: i64,
        customer: &Customer,
        stars: Option<i64>,
        comment: Option<String>,
        now: i64,
    ) -> Result<(), EngineError> {
        let Some(case) = customers_case(conn, case_id, customer).await? else {
            return Ok(());
        };
        store::rate_case(conn, case.id, stars, comment.as_deref()).await?;
        let text = match (stars, &comment) {
            (Some(s), _) => format!("{s}/5"),
            (None, Some(c)) => c.clone(),
            (None, None) => String::new(),
        };
        store::add_case_event(conn, case.id, now, "customer", "rated", Some(&text), &[]).await?;
        let msg = match stars {
            Some(s) => Msg::new(
                Part::new("case-staff-rated")
                    .arg("case", Arg::RequestNo(case.number()))
                    .int("stars", s),
            ),
            None => Msg::new(
                Part::new("case-staff-rating-comment")
                    .arg("case", Arg::RequestNo(case.number()))
                    .str("text", text),
            ),
        };
        let out = for_case(self.outgoing(self.settings.staff_lang, &msg, None));
        self.enqueue_case(conn, case.id, &out, now).await?;
        self.refresh_case(conn, case.id, now).await?;
        Ok(())
    }

    /// The customer blocked the bot: every open case of theirs says so.
    pub(super) async fn cases_lost_customer(
        &self,
        conn: &mut store::Conn,
        customer_id: i64,
        now: i64,
    ) -> Result<(), EngineError> {
        let cases = store::customer_cases(conn, customer_id, self.settings.tz).await?;
        let via = match store::customer(conn, customer_id).await? {
            Some(c) => c.identity.channel,
            None => String::new(),
        };
        for c in cases.into_iter().filter(|c| c.status.takes_messages()) {
            store::add_case_event(
                conn,
                c.id,
                now,
                "bot",
                "delivery_failed",
                Some("blocked"),
                &[],
            )
            .await?;
            let msg = Msg::new(
                Part::new("case-customer-blocked")
                    .arg("case", Arg::RequestNo(case_no(c.id)))
                    .str("via", &via),
            );
            let out = for_case(self.outgoing(self.settings.staff_lang, &msg, None));
            self.enqueue_case(conn, c.id, &out, now).await?;
        }
        Ok(())
    }

    /// A staff button on a case card.
    pub async fn staff_case_action(
        &self,
        act: StaffCaseAction,
    ) -> Result<CaseActionOutcome, EngineError> {
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(act.key.as_deref(), now).await? else {
            return Ok(CaseActionOutcome::Duplicate);
        };
        let Some(case) = store::case(&mut tx, act.case_id).await? else {
            tx.commit().await?;
            return Ok(CaseActionOutcome::NotFound);
        };
        let no = case.number();
        if let Err(outcome) = self.move_case(&mut tx, &case, &act, now).await? {
            tx.commit().await?;
            return Ok(outcome);
        }
        let who = actor(act.staff_id, &act.staff_name);
        store::add_case_event(&mut tx, case.id, now, &who, act.action.event(), None, &[]).await?;
        if act.action == CaseAction::CallNoAnswer {
            let missed = store::case_events(&mut tx, case.id)
                .await?
                .iter()
                .filter(|e| e.kind == "called_no_answer")
                .count() as i64;
            self.schedule_call_again(&mut tx, Some(case.id), None, missed, now)
                .await?;
        }
        let customer = store::customer_of(&mut tx, case.customer_id).await?;
        if let Some(msg) = self.case_action_for_customer(&case, act.action) {
            self.tell_customer(&mut tx, &customer, &msg, now).await?;
        }
        self.refresh_case(&mut tx, case.id, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        if act.action == CaseAction::CallNoAnswer {
            self.jobs_changed();
        }
        Ok(CaseActionOutcome::Done { case: no })
    }

    /// Records a staff button's change of a case; `Err` with what staff are told when the case
    /// is not in a state the button applies to (or someone else claimed it first).
    async fn move_case(
        &self,
        conn: &mut store::Conn,
        case: &Case,
        act: &StaffCaseAction,
        now: i64,
    ) -> Result<Result<(), CaseActionOutcome>, EngineError> {
        use CaseStatus::*;
        let done = match act.action {
            CaseAction::Claim => {
                if store::claim_case(conn, case.id, &act.staff_name, act.staff_id, now).await? {
                    true
                } else if let Some(by) = case.claimed_by.clone() {
                    let case = case.number();
                    return Ok(Err(CaseActionOutcome::AlreadyClaimed { case, by }));
                } else {
                    false
                }
            }
            CaseAction::CallReached | CaseAction::CallNoAnswer => {
                if case.status.takes_messages() {
                    let outcome = if act.action == CaseAction::CallReached {
                        "reached"
                    } else {
                        "no_answer"
                    };
                    store::record_call(conn, case.id, now, outcome).await?;
                    true
                } else {
                    false
                }
            }
            CaseAction::Resolve => {
                let from = [Open, Claimed, Step3];
                store::set_case_status(conn, case.id, &from, Resolved, case.step.max(2), now)
                    .await?
            }
            CaseAction::Step3 => {
                store::set_case_status(conn, case.id, &[Open, Claimed], Step3, 3, now).await?
            }
            CaseAction::Close => {
                let from = [Open, Claimed, Resolved, Step3];
                store::set_case_status(conn, case.id, &from, Closed, case.step, now).await?
            }
        };
        Ok(if done {
            Ok(())
        } else {
            Err(CaseActionOutcome::NotNow {
                case: case.number(),
                status: case.status,
            })
        })
    }

    /// What the customer is told of a staff button's change of their case.
    fn case_action_for_customer(&self, case: &Case, action: CaseAction) -> Option<Msg> {
        let no = Arg::RequestNo(case.number());
        let hotline = &self.settings.company.hotline;
        match action {
            CaseAction::Claim => Some(Msg::new(
                Part::new("case-claimed-customer")
                    .arg("case", no)
                    .str("hotline", hotline),
            )),
            CaseAction::Resolve => Some(
                Msg::new(Part::new("case-resolved-customer").arg("case", no))
                    .then(Part::new("rating-ask"))
                    .row(
                        (1..=5)
                            .map(|n| Button {
                                label: Part::new("rating-star").int("n", n),
                                data: ButtonData::Rate {
                                    case_id: case.id,
                                    stars: n,
                                },
                            })
                            .collect(),
                    ),
            ),
            CaseAction::Step3 => Some(Msg::new(
                Part::new("case-step3-customer")
                    .arg("case", no)
                    .str("hotline", hotline)
                    .rule("rule", crate::policy::Rule::Complaint),
            )),
            CaseAction::Close => Some(Msg::new(
                Part::new("case-closed-customer")
                    .arg("case", no)
                    .str("hotline", hotline),
            )),
            CaseAction::CallReached | CaseAction::CallNoAnswer => None,
        }
    }

    /// A staff message in a case: relayed to the customer as the company's, or kept as an
    /// internal note when it starts with #note.
    pub async fn staff_case_message(
        &self,
        m: StaffMessage,
    ) -> Result<StaffMessageOutcome, EngineError> {
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(m.key.as_deref(), now).await? else {
            return Ok(StaffMessageOutcome::Duplicate);
        };
        let Some(case) = store::case(&mut tx, m.case_id).await? else {
            tx.commit().await?;
            return Ok(StaffMessageOutcome::CaseClosed);
        };
        let outcome = self.staff_words_in_case(&mut tx, &case, m, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(outcome)
    }

    /// What a staff member wrote in a case: an internal note, words among staff (kept in the
    /// case's history), or words for the customer (relayed, or an edit of words relayed before).
    async fn staff_words_in_case(
        &self,
        conn: &mut store::Conn,
        case: &Case,
        m: StaffMessage,
        now: i64,
    ) -> Result<StaffMessageOutcome, EngineError> {
        let who = actor(m.staff_id, &m.staff_name);
        let no = Arg::RequestNo(case.number());
        if let Some(note) = m.text.as_deref().and_then(note_text) {
            store::add_case_event(conn, case.id, now, &who, "note", Some(&note), &m.media).await?;
            let ack = Part::new("case-note-saved").arg("case", no);
            self.note_in_case(conn, case.id, ack, now).await?;
            return Ok(StaffMessageOutcome::Noted);
        }
        // Sending to the customer is deliberate: a reply to their words (or the card), or the
        // prefix. Anything else said in the case ("để em gọi") stays among staff, in its history.
        let prefixed = m
            .text
            .as_deref()
            .and_then(to_customer_words)
            .map(str::to_string);
        if !m.answers_customer && prefixed.is_none() {
            self.staff_chatter(conn, case, &who, &m, now).await?;
            return Ok(StaffMessageOutcome::Noted);
        }
        let m = StaffMessage {
            text: match prefixed {
                Some(words) => Some(words).filter(|w| !w.is_empty()),
                None => m.text,
            },
            ..m
        };
        if case.status == CaseStatus::Closed {
            let part = Part::new("case-closed-not-sent").arg("case", no);
            self.note_in_case(conn, case.id, part, now).await?;
            return Ok(StaffMessageOutcome::CaseClosed);
        }
        let customer = store::customer_of(conn, case.customer_id).await?;
        if m.edited && !customer.unreachable {
            if let Some(outcome) = self
                .edit_relayed(conn, case, &customer, &m, &who, now)
                .await?
            {
                return Ok(outcome);
            }
        }
        let text = m.text.as_deref();
        store::add_case_event(conn, case.id, now, &who, "staff_message", text, &m.media).await?;
        if customer.unreachable {
            let part = Part::new("case-customer-blocked")
                .arg("case", no)
                .str("via", &customer.identity.channel);
            self.note_in_case(conn, case.id, part, now).await?;
        } else {
            self.relay_staff_words(conn, case, &customer, &m, now)
                .await?;
        }
        Ok(StaffMessageOutcome::Relayed)
    }

    /// Words among staff in a case: kept in its history; the first time, staff are told how to
    /// write to the customer.
    async fn staff_chatter(
        &self,
        conn: &mut store::Conn,
        case: &Case,
        who: &str,
        m: &StaffMessage,
        now: i64,
    ) -> Result<(), EngineError> {
        let first_chatter = !store::case_events(conn, case.id)
            .await?
            .iter()
            .any(|e| e.kind == "note" && e.actor.starts_with("staff:"));
        let text = m.text.as_deref();
        store::add_case_event(conn, case.id, now, who, "note", text, &m.media).await?;
        if first_chatter {
            let hint = Part::new("case-chatter-kept")
                .arg("case", Arg::RequestNo(case.number()))
                .str("prefix", TO_CUSTOMER);
            self.note_in_case(conn, case.id, hint, now).await?;
        }
        Ok(())
    }

    /// A staff member's words (and files) to the customer, as coming from the company.
    async fn relay_staff_words(
        &self,
        conn: &mut store::Conn,
        case: &Case,
        customer: &Customer,
        m: &StaffMessage,
        now: i64,
    ) -> Result<(), EngineError> {
        let words = self.company_words(case, m.text.as_deref().unwrap_or_default());
        let mut attachments = m.media.clone().into_iter();
        let first = match attachments.next() {
            Some(file) => words.with_attachment(file),
            None => words,
        };
        let rows = self.tell_customer(conn, customer, &first, now).await?;
        // A text that went as one message can be edited later from its source.
        if let (Some(source), [row], true) = (&m.source, rows.as_slice(), m.media.is_empty()) {
            store::set_outbox_source(conn, *row, source).await?;
        }
        for more in attachments {
            let caption = Msg::new(
                Part::new("case-from-company-file").str("company", &self.settings.company.name),
            )
            .with_attachment(more);
            self.tell_customer(conn, customer, &caption, now).await?;
        }
        Ok(())
    }

    /// A line for staff in the case (its thread, or an answer to its card), in their language.
    async fn note_in_case(
        &self,
        conn: &mut store::Conn,
        case_id: i64,
        part: Part,
        now: i64,
    ) -> Result<(), EngineError> {
        let msg = Msg::new(part);
        let out = for_case(self.outgoing(self.settings.staff_lang, &msg, None));
        self.enqueue_case(conn, case_id, &out, now).await
    }

    /// A staff member's words to the customer, as coming from the company.
    fn company_words(&self, case: &Case, text: &str) -> Msg {
        Msg::new(
            Part::new("case-from-company")
                .str("company", &self.settings.company.name)
                .arg("case", Arg::RequestNo(case.number()))
                .str("text", text),
        )
        .as_notice(
            Notice::new(NoticeKind::StaffReply)
                .with("request", case.number())
                .with("message", text),
        )
    }

    /// A staff member edited a message the customer got: the customer's copy is edited to the
    /// new words (kept in the case's history). None when there is no single copy to edit (a
    /// file, a message that went only to staff): it is then handled as a new message. A copy
    /// the channel had to send in several parts is not edited: the edit goes as a new message.
    async fn edit_relayed(
        &self,
        conn: &mut store::Conn,
        case: &Case,
        customer: &Customer,
        m: &StaffMessage,
        who: &str,
        now: i64,
    ) -> Result<Option<StaffMessageOutcome>, EngineError> {
        let (Some(source), Some(text), true) = (&m.source, &m.text, m.media.is_empty()) else {
            return Ok(None);
        };
        let rows = store::outbox_rows_of_source(conn, source).await?;
        let [row] = rows.as_slice() else {
            return Ok(None);
        };
        let mut out = self.outgoing(customer.lang, &self.company_words(case, text), None);
        out.edit_of = Some(Earlier::Row(*row));
        store::enqueue_to_customer(conn, customer, None, &Content::from(out), now).await?;
        store::add_case_event(
            conn,
            case.id,
            now,
            who,
            "staff_message_edited",
            Some(text),
            &[],
        )
        .await?;
        Ok(Some(StaffMessageOutcome::Relayed))
    }

    /// `/cases` and `/case KN-000123` in the staff group. Returns false for other text.
    pub async fn staff_command(
        &self,
        key: Option<String>,
        thread_id: Option<i64>,
        text: &str,
    ) -> Result<bool, EngineError> {
        self.staff_command_as(key, thread_id, text, "/done").await
    }

    /// A staff command from a named staff member (who `/done` records as having done the job).
    pub async fn staff_command_as(
        &self,
        key: Option<String>,
        thread_id: Option<i64>,
        text: &str,
        staff: &str,
    ) -> Result<bool, EngineError> {
        let mut words = text.split_whitespace();
        let command = words.next().unwrap_or("").to_ascii_lowercase();
        if command == "/stats" || command == "/export" {
            if let Some(key) = &key {
                let mut tx = self.store.begin().await?;
                let fresh = store::mark_update(&mut tx, key, self.clock.now().timestamp()).await?;
                tx.commit().await?;
                if !fresh {
                    return Ok(true);
                }
            }
            if command == "/stats" {
                let span = match words.next().map(crate::text::fold) {
                    Some(w) if w == "thang" || w == "month" || w == "months" => super::Span::Month,
                    _ => super::Span::Week,
                };
                self.staff_stats(thread_id, span).await?;
            } else {
                self.log_data_access(staff, "export", "requests, cases")
                    .await?;
                self.staff_export(thread_id).await?;
            }
            return Ok(true);
        }
        if command == "/done" {
            self.staff_done_command(key, thread_id, words.next(), staff)
                .await?;
            return Ok(true);
        }
        if command != "/cases" && command != "/case" {
            return Ok(false);
        }
        let now = self.clock.now().timestamp();
        let Some(mut tx) = self.begin_once(key.as_deref(), now).await? else {
            return Ok(true);
        };
        let lang = self.settings.staff_lang;
        let msg = if command == "/cases" {
            open_cases_list(&store::open_cases(&mut tx).await?, now)
        } else {
            self.case_history(&mut tx, words.next(), staff, now).await?
        };
        let out = self.outgoing(lang, &msg, None);
        self.to_staff_topic(&mut tx, thread_id, out, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(true)
    }

    /// `/case KN-000123`: the case's card with its whole history.
    async fn case_history(
        &self,
        conn: &mut store::Conn,
        wanted: Option<&str>,
        staff: &str,
        now: i64,
    ) -> Result<Msg, EngineError> {
        let wanted = wanted.map(|w| w.trim_start_matches("KN-").trim_start_matches("kn-"));
        let Some(id) = wanted.and_then(|w| w.parse::<i64>().ok()) else {
            return Ok(Msg::id("case-usage"));
        };
        let Some(case) = store::case(conn, id).await? else {
            return Ok(Msg::new(
                Part::new("case-not-found").str("case", case_no(id)),
            ));
        };
        store::log_access(conn, staff, "case", &case.number(), now).await?;
        let customer = store::customer_of(conn, case.customer_id).await?;
        let events = store::case_events(conn, case.id).await?;
        let mut msg = self.case_card(conn, &case, &customer).await?;
        msg.buttons.clear();
        msg.parts.push(Part::new("case-history-header"));
        for e in events {
            msg.parts.push(cards::case_event_line(&e));
        }
        // The card quotes the start of a long description: all of it here.
        if case.description.chars().count() > cards::CARD_TEXT_CHARS {
            msg.parts.push(
                Part::new("card-full-text")
                    .arg("request", Arg::RequestNo(case.number()))
                    .str("text", &case.description),
            );
        }
        Ok(msg)
    }

    /// `/done INVOICE`: the job of the latest approved deferral for that invoice was done.
    async fn staff_done_command(
        &self,
        key: Option<String>,
        thread_id: Option<i64>,
        invoice: Option<&str>,
        staff: &str,
    ) -> Result<(), EngineError> {
        let parsed = invoice.and_then(|i| crate::text::Invoice::parse(i).ok());
        let request = match &parsed {
            Some(inv) => {
                let mut conn = self.store.conn().await?;
                store::approved_deferral_by_invoice(&mut conn, inv.as_str()).await?
            }
            None => None,
        };
        let msg = match (request, parsed) {
            (Some(id), _) => match self.staff_job_done(key, id, staff).await? {
                Some(_) => return Ok(()),
                None => Msg::id("done-usage"),
            },
            (None, Some(inv)) => Msg::new(Part::new("done-not-found").str("invoice", inv.as_str())),
            (None, None) => Msg::id("done-usage"),
        };
        self.to_staff_thread(&msg, thread_id, None).await
    }
}

/// The case `case_id` if it is this customer's (a case of someone else's is left alone).
async fn customers_case(
    conn: &mut store::Conn,
    case_id: i64,
    customer: &Customer,
) -> Result<Option<Case>, EngineError> {
    Ok(store::case(conn, case_id)
        .await?
        .filter(|c| c.customer_id == customer.id))
}
