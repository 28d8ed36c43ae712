//! A customer's input end to end: in one transaction, the customer and their conversation are
//! loaded with what the step may need to know, the pure dialogue steps, each effect it asks for
//! is applied (records, cases, outbox rows, reminders), and the new state is saved.

use super::{Engine, EngineError, Handled, Incoming};
use crate::dialogue::{
    self, CaseSummary, Conversation, Ctx, Customer, Effect, Input, KnownInvoice, Lang, Request,
    RequestKind, RequestStatus, RequestSummary, Submission,
};
use crate::store;

/// What the store told the step, beyond the conversation.
struct Known {
    requests: Vec<RequestSummary>,
    cases: Vec<CaseSummary>,
    invoice: Option<KnownInvoice>,
    registry_loaded: bool,
    deadlines: [i64; 2],
    start: Option<dialogue::StartLink>,
}

/// What applying a step's effects has done so far.
#[derive(Default)]
struct Applied {
    /// The request or case the step created (its number and id), for replies that name it.
    created: Option<(String, i64)>,
    /// Reminders were scheduled: the scheduler looks again.
    jobs_added: bool,
    /// The input is a further file of an album whose first file was answered already.
    quiet: bool,
    /// The step asked for something it may not do: nothing of it is kept.
    refused: bool,
    /// A plain reply (text only) not queued yet: it goes out as one message with the reply
    /// after it (one message instead of two under the channel's limit per second).
    held: Option<store::Message>,
}

/// A reply that is text and nothing else: it may go out joined to the reply after it.
fn plain(m: &store::Message) -> bool {
    m.buttons.is_empty()
        && m.file.is_none()
        && m.ask_phone.is_none()
        && m.typed_phone_text.is_none()
        && m.notice.is_none()
        && m.open_page.is_none()
        && !m.choices_over
        && joinable(m)
}

/// A reply a plain one before it may be put in front of.
fn joinable(m: &store::Message) -> bool {
    m.file.is_none()
        && m.notice.is_none()
        && m.edit_of.is_none()
        && m.reply_to.is_none()
        && !m.case_card
        && !m.customer_words
}

/// `first`'s text, a blank line, then `then` (its buttons and keyboard with it).
fn joined(first: store::Message, mut then: store::Message) -> store::Message {
    then.text = format!("{}\n\n{}", first.text, then.text);
    if let Some(typed) = then.typed_phone_text.take() {
        then.typed_phone_text = Some(format!("{}\n\n{}", first.text, typed));
    }
    then
}

impl Engine {
    pub(super) async fn handle_once(
        &self,
        inc: Incoming,
        album: Option<String>,
    ) -> Result<Handled, EngineError> {
        let now = self.clock.now();
        let Some(tx) = self.begin_once(inc.key.as_deref(), now.timestamp()).await? else {
            return Ok(Handled::Duplicate);
        };
        self.handle_in(tx, inc, album, now).await
    }

    /// The input through the dialogue in its own transaction `tx` (begun at `now`, the update
    /// marked handled), committed at the end.
    pub(super) async fn handle_in(
        &self,
        mut tx: store::Tx,
        inc: Incoming,
        album: Option<String>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Handled, EngineError> {
        let unix = now.timestamp();
        // Locks the customer's row for this transaction too: another process's update of the
        // same customer waits, and then reads what this one wrote.
        let customer = store::upsert_customer(&mut tx, &inc.user, unix).await?;
        let conv = store::load_conversation(&mut tx, customer.id)
            .await?
            .unwrap_or_else(|| Conversation::new(inc.user.lang));
        let lang_before = conv.lang;
        let known = self
            .known(&mut tx, &customer, &conv, &inc.input, unix)
            .await?;
        let ctx = self.ctx(&known, crate::policy::local_today(now, self.settings.tz));
        let mut applied = Applied {
            quiet: album.is_some() && conv.last_album == album,
            ..Applied::default()
        };
        let (mut conv, effects) = dialogue::step(conv, inc.input, &ctx);
        conv.last_album = album;
        for effect in effects {
            self.apply(&mut tx, &customer, conv.lang, effect, &mut applied, unix)
                .await?;
            if applied.refused {
                tx.rollback().await?;
                return Ok(Handled::Done);
            }
        }
        if let Some(held) = applied.held.take() {
            self.enqueue_to_customer(&mut tx, &customer, None, &held, unix)
                .await?;
        }
        if conv.lang != lang_before {
            store::set_customer_lang(&mut tx, customer.id, conv.lang).await?;
        }
        store::save_conversation(&mut tx, customer.id, &conv, unix).await?;
        tx.commit().await?;
        self.outbox_changed();
        if applied.jobs_added {
            self.jobs_changed();
        }
        Ok(Handled::Done)
    }

    /// What the step may need from the store: the customer's requests (when the input may ask
    /// about them), their cases, and the registry's record of an invoice number typed where one
    /// is asked for.
    async fn known(
        &self,
        tx: &mut store::Tx,
        customer: &Customer,
        conv: &Conversation,
        input: &Input,
        now: i64,
    ) -> Result<Known, EngineError> {
        let tz = self.settings.tz;
        let requests = if dialogue::needs_requests(input, &self.settings.phrases) {
            store::customer_requests(tx, customer.id, tz).await?
        } else {
            Vec::new()
        };
        let cases = store::customer_cases(tx, customer.id, tz).await?;
        let start = match input {
            Input::Text(t) => match crate::deeplink::start_payload(t) {
                Some(payload) => Some(self.read_start_link(tx, payload).await?),
                None => None,
            },
            _ => None,
        };
        // An invoice number typed where one is asked for, or the one of the link the customer
        // came by: what the registry knows of it.
        let number = match (input, &start) {
            (_, Some(dialogue::StartLink::Invoice(n))) => Some(n.clone()),
            _ => dialogue::invoice_in_answer(conv, input)
                .or_else(|| dialogue::linked_invoice(conv, input).map(str::to_string)),
        };
        let (invoice, registry_loaded) = match number {
            Some(number) => (
                store::invoice(tx, &number).await?.map(|k| KnownInvoice {
                    number: k.number,
                    paid_on: k.paid_on,
                    job_on: k.job_on,
                    status: k.status,
                }),
                store::has_invoices(tx).await?,
            ),
            None => (None, false),
        };
        Ok(Known {
            requests,
            cases,
            invoice,
            registry_loaded,
            deadlines: [
                self.callback_deadline(now, false),
                self.callback_deadline(now, true),
            ],
            start,
        })
    }

    fn ctx<'a>(&'a self, known: &'a Known, today: chrono::NaiveDate) -> Ctx<'a> {
        Ctx {
            invoice: known.invoice.as_ref(),
            registry_loaded: known.registry_loaded,
            start: known.start.as_ref(),
            deadlines: known.deadlines,
            today,
            params: &self.settings.params,
            company: &self.settings.company,
            phrases: &self.settings.phrases,
            requests: &known.requests,
            cases: &known.cases,
            callback: &self.settings.callback,
        }
    }

    /// Reads a deep link's payload; an invoice's tag is checked with the company's secret.
    async fn read_start_link(
        &self,
        tx: &mut store::Tx,
        payload: &str,
    ) -> Result<dialogue::StartLink, EngineError> {
        let secret = self.link_secret(tx).await?;
        Ok(crate::deeplink::read(secret.as_bytes(), payload))
    }

    /// Applies one effect of a step within its transaction.
    async fn apply(
        &self,
        tx: &mut store::Tx,
        customer: &Customer,
        lang: Lang,
        effect: Effect,
        applied: &mut Applied,
        now: i64,
    ) -> Result<(), EngineError> {
        applied.jobs_added |= matches!(
            effect,
            Effect::Submit(_)
                | Effect::AskException { .. }
                | Effect::OpenCase(_)
                | Effect::ReopenCase { .. }
        );
        match effect {
            Effect::Reply(_) if applied.quiet => {}
            Effect::Reply(msg) => {
                let out = self.outgoing(lang, &msg, applied.created.as_ref());
                let out = match applied.held.take() {
                    Some(held) if joinable(&out) => joined(held, out),
                    Some(held) => {
                        self.enqueue_to_customer(tx, customer, None, &held, now)
                            .await?;
                        out
                    }
                    None => out,
                };
                if plain(&out) {
                    applied.held = Some(out);
                } else {
                    self.enqueue_to_customer(tx, customer, None, &out, now)
                        .await?;
                }
            }
            Effect::Submit(sub) => {
                applied.created = Some(self.submit(tx, customer, sub, now).await?);
            }
            Effect::AskException { request_id } => {
                applied.refused = !self.ask_exception(tx, customer, request_id, now).await?;
            }
            Effect::OpenCase(form) => {
                applied.created = Some(self.open_case(tx, form, customer, now).await?);
            }
            Effect::CaseMessage {
                case_id,
                text,
                media,
            } => {
                self.customer_case_message(tx, case_id, customer, text, media, now)
                    .await?;
            }
            Effect::ReopenCase {
                case_id,
                text,
                media,
            } => {
                self.customer_reopens_case(tx, case_id, customer, text, media, now)
                    .await?;
            }
            Effect::CloseCase { case_id } => {
                self.customer_closes_case(tx, case_id, customer, now)
                    .await?;
            }
            Effect::RemindersOff(off) => {
                store::set_reminders_off(tx, customer.id, off).await?;
            }
            Effect::AftercareProblem { request_id } => {
                self.aftercare_problem(tx, request_id, customer, now)
                    .await?;
            }
            Effect::RateCase {
                case_id,
                stars,
                comment,
            } => {
                self.customer_rates_case(tx, case_id, customer, stars, comment, now)
                    .await?;
            }
        }
        Ok(())
    }

    /// Records a request, sends its card to staff unless the policy rejected it, and schedules
    /// what follows: the call-back, or the deferred date's reminders. Returns its number and id.
    async fn submit(
        &self,
        tx: &mut store::Tx,
        customer: &Customer,
        sub: Submission,
        now: i64,
    ) -> Result<(String, i64), EngineError> {
        let req = sub.into_request(customer.id, now);
        let id = store::insert_request(tx, &req).await?;
        let req = Request { id, ..req };
        let event = format!("created:{}", req.status.code());
        store::add_event(tx, id, now, "customer", &event).await?;
        if req.status != RequestStatus::Rejected {
            self.enqueue_card(tx, &req, customer, now).await?;
        }
        match req.status {
            RequestStatus::Review | RequestStatus::Handoff => {
                self.schedule_callback(tx, None, Some(id), false, now)
                    .await?;
            }
            RequestStatus::Approved if req.kind() == RequestKind::Deferral => {
                self.schedule_deferral(tx, &req, now).await?;
            }
            _ => {}
        }
        Ok((req.number(), id))
    }

    /// The customer asks the company for an exception to their rejected request: it goes to
    /// staff for review. False when the request is another customer's (nothing may be kept).
    async fn ask_exception(
        &self,
        tx: &mut store::Tx,
        customer: &Customer,
        request_id: i64,
        now: i64,
    ) -> Result<bool, EngineError> {
        let moved = store::change_status(
            tx,
            request_id,
            &[RequestStatus::Rejected],
            RequestStatus::Exception,
            None,
        )
        .await?;
        if !moved {
            return Ok(true);
        }
        let Some(req) = store::request(tx, request_id).await? else {
            return Ok(true);
        };
        if req.customer_id != customer.id {
            tracing::warn!(
                request_id,
                customer = customer.id,
                "exception asked for another customer's request"
            );
            return Ok(false);
        }
        store::add_event(tx, request_id, now, "customer", "exception_requested").await?;
        self.enqueue_card(tx, &req, customer, now).await?;
        self.schedule_callback(tx, None, Some(req.id), false, now)
            .await?;
        Ok(true)
    }
}
