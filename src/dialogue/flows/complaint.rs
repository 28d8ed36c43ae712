//! Complaint intake (khiếu nại, COMPLAINT step 1): what it is about, the customer's own words and
//! photos, the invoice if any, how urgent, and a phone number for the hotline call-back.

use serde::{Deserialize, Serialize};

use super::{on_pending, pick_question, picks, OnPending};
use crate::dialogue::buttons::ButtonData;
use crate::dialogue::{
    Arg, Attachment, Button, Category, Ctx, Effect, Input, MediaKind, Msg, Part, State,
    MAX_REASON_CHARS,
};
use crate::policy::Rule;
use crate::text::{self, Intent, Phone, Reading};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStep {
    Category,
    Description,
    /// More photos or videos, until "Xong".
    Media,
    Invoice,
    Urgency,
    Phone,
    Consent,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ComplaintForm {
    pub category: Option<Category>,
    pub description: Option<String>,
    #[serde(default)]
    pub media: Vec<Attachment>,
    /// `Some(None)`: the customer has no invoice number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::double_option"
    )]
    pub invoice: Option<Option<String>>,
    pub urgent: Option<bool>,
    pub phone: Option<String>,
    pub consent: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintFlow {
    pub form: ComplaintForm,
    pub step: ComplaintStep,
    pub tries: u8,
    /// Numbers read from the customer's words for the current question (an invoice, a phone
    /// number), shown back to be picked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<String>,
}

impl ComplaintFlow {
    pub fn new() -> ComplaintFlow {
        ComplaintFlow {
            form: ComplaintForm::default(),
            step: ComplaintStep::Category,
            tries: 0,
            pending: Vec::new(),
        }
    }
}

impl Default for ComplaintFlow {
    fn default() -> Self {
        ComplaintFlow::new()
    }
}

pub fn question(flow: &ComplaintFlow, ctx: &Ctx) -> Msg {
    if !flow.pending.is_empty() {
        return pick_question(&flow.pending);
    }
    match flow.step {
        ComplaintStep::Category => {
            let mut msg = Msg::id("ask-category");
            for pair in Category::ALL.chunks(2) {
                msg = msg.row(
                    pair.iter()
                        .map(|c| {
                            Button::new(&format!("category-{}", c.code()), ButtonData::Category(*c))
                        })
                        .collect(),
                );
            }
            msg
        }
        ComplaintStep::Description => Msg::id("ask-description"),
        ComplaintStep::Media => {
            Msg::new(Part::new("ask-more-media").int("count", flow.form.media.len() as i64))
                .row(vec![Button::new("btn-media-done", ButtonData::MediaDone)])
        }
        ComplaintStep::Invoice => Msg::id("ask-complaint-invoice")
            .row(vec![Button::new("btn-no-invoice", ButtonData::NoInvoice)]),
        ComplaintStep::Urgency => Msg::id("ask-urgency").row(vec![
            Button::new("btn-urgency-normal", ButtonData::Urgency { urgent: false }),
            Button::new("btn-urgency-urgent", ButtonData::Urgency { urgent: true }),
        ]),
        ComplaintStep::Phone => {
            let mut msg = Msg::id("ask-phone");
            msg.contact_button = Some(Part::new("btn-share-contact"));
            msg
        }
        ComplaintStep::Consent => {
            let consent = Part::new("ask-consent")
                .str("hotline", &ctx.company.hotline)
                .str("phone", flow.form.phone.clone().unwrap_or_default());
            // The invoice number read from the customer's words, shown before the case is sent.
            match &flow.form.invoice {
                Some(Some(invoice)) => {
                    Msg::new(Part::new("complaint-invoice-noted").str("invoice", invoice))
                        .then(consent)
                }
                _ => Msg::new(consent),
            }
        }
        .row(vec![
            Button::new("btn-consent-yes", ButtonData::Consent(true)),
            Button::new("btn-consent-no", ButtonData::Consent(false)),
        ]),
    }
}

fn why(step: ComplaintStep) -> Msg {
    Msg::id(match step {
        ComplaintStep::Category | ComplaintStep::Description | ComplaintStep::Media => {
            "why-complaint"
        }
        ComplaintStep::Invoice => "why-complaint-invoice",
        ComplaintStep::Urgency => "why-urgency",
        ComplaintStep::Phone | ComplaintStep::Consent => "why-phone",
    })
}

fn keep(flow: ComplaintFlow) -> State {
    State::Complaint { flow }
}

fn ask(flow: ComplaintFlow, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    out.push(Effect::Reply(question(&flow, ctx)));
    keep(flow)
}

fn bad(mut flow: ComplaintFlow, part: Part, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    flow.tries = flow.tries.saturating_add(1);
    out.push(Effect::Reply(Msg::new(part)));
    ask(flow, ctx, out)
}

pub fn on_input(mut flow: ComplaintFlow, input: Input, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    // Numbers shown back: a pick button, or a new answer.
    if !flow.pending.is_empty() {
        match on_pending(&flow.pending, &input) {
            OnPending::Take(value) => {
                flow.pending.clear();
                return match flow.step {
                    ComplaintStep::Phone => read_phone(flow, &value, ctx, out),
                    _ => on_invoice(flow, &value, ctx, out),
                };
            }
            OnPending::Retype => {
                flow.pending.clear();
                return ask(flow, ctx, out);
            }
            OnPending::Fresh => flow.pending.clear(),
        }
    }
    if let Input::Text(t) = &input {
        if flow.step != ComplaintStep::Description {
            match ctx.phrases.intent(t) {
                Some(Intent::Why) => {
                    out.push(Effect::Reply(why(flow.step)));
                    return ask(flow, ctx, out);
                }
                Some(Intent::Cancel) => {
                    out.push(Effect::Reply(Msg::id("cancelled").then(Part::new("menu"))));
                    return State::Idle;
                }
                _ => {}
            }
        }
    }
    match (flow.step, input) {
        (
            _,
            Input::Media {
                attachment,
                caption,
            },
        ) => on_media(flow, attachment, caption, ctx, out),
        (ComplaintStep::Category, Input::Button(ButtonData::Category(c))) => {
            on_category(flow, c, ctx, out)
        }
        (ComplaintStep::Category, Input::Text(t)) => {
            // Typed words are taken as the description; the category, when they name one.
            let mut flow = flow;
            if t.trim().chars().count() >= 10 && ctx.phrases.intent(&t) != Some(Intent::Complaint) {
                flow.form.description = Some(t.trim().to_string());
            }
            match read_category(&t) {
                Some(c) => on_category(flow, c, ctx, out),
                None => bad(flow, Part::new("use-buttons"), ctx, out),
            }
        }
        (ComplaintStep::Description, Input::Text(t)) => on_description(flow, &t, ctx, out),
        (ComplaintStep::Media, Input::Button(ButtonData::MediaDone)) => next(flow, ctx, out),
        (ComplaintStep::Media, Input::Text(t)) => on_more_words(flow, &t, ctx, out),
        (ComplaintStep::Invoice, Input::Button(ButtonData::NoInvoice)) => {
            set(flow, |f| f.invoice = Some(None), ctx, out)
        }
        (ComplaintStep::Invoice, Input::Text(t)) => on_invoice(flow, &t, ctx, out),
        (ComplaintStep::Urgency, Input::Button(ButtonData::Urgency { urgent })) => {
            set(flow, |f| f.urgent = Some(urgent), ctx, out)
        }
        (ComplaintStep::Urgency, Input::Text(t)) => match text::read_urgency(&t) {
            Some(urgent) => set(flow, |f| f.urgent = Some(urgent), ctx, out),
            None => bad(flow, Part::new("use-buttons"), ctx, out),
        },
        (ComplaintStep::Phone, Input::Contact { phone }) => read_phone(flow, &phone, ctx, out),
        (ComplaintStep::Phone, Input::Text(t)) => read_phone(flow, &t, ctx, out),
        (ComplaintStep::Consent, Input::Button(ButtonData::Consent(yes))) => {
            consent(flow, yes, ctx, out)
        }
        (ComplaintStep::Consent, Input::Text(t)) => {
            // A negation wins ("ko cần gọi đâu"); then the words of the buttons.
            match (text::read_yes_no(&t), ctx.phrases.intent(&t)) {
                (Some(yes), _) => consent(flow, yes, ctx, out),
                (None, Some(Intent::Yes)) => consent(flow, true, ctx, out),
                (None, Some(Intent::No)) => consent(flow, false, ctx, out),
                _ => bad(flow, Part::new("use-buttons"), ctx, out),
            }
        }
        (_, Input::Contact { .. } | Input::Unsupported(_)) => {
            bad(flow, Part::new("contact-in-form"), ctx, out)
        }
        (_, Input::Button(_)) => {
            out.push(Effect::Reply(Msg::id("button-stale")));
            ask(flow, ctx, out)
        }
    }
}

/// Photos and videos are kept whenever they come; a caption can be the description.
fn on_media(
    mut flow: ComplaintFlow,
    attachment: Attachment,
    caption: Option<String>,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) -> State {
    if matches!(attachment.kind, MediaKind::Sticker | MediaKind::Animation) {
        out.push(Effect::Reply(Msg::id("media-sticker-in-form")));
        return ask(flow, ctx, out);
    }
    let form = &mut flow.form;
    form.media.push(attachment);
    if let Some(c) = caption.filter(|c| !c.trim().is_empty()) {
        match &mut form.description {
            Some(d) => {
                d.push('\n');
                d.push_str(c.trim());
            }
            None => form.description = Some(c.trim().to_string()),
        }
    }
    match flow.step {
        ComplaintStep::Category | ComplaintStep::Description if form.description.is_none() => {
            out.push(Effect::Reply(Msg::id("media-kept-describe")));
            flow.step = ComplaintStep::Description;
        }
        ComplaintStep::Category => {}
        ComplaintStep::Description | ComplaintStep::Media => flow.step = ComplaintStep::Media,
        _ => out.push(Effect::Reply(Msg::id("media-kept"))),
    }
    ask(flow, ctx, out)
}

fn on_category(
    mut flow: ComplaintFlow,
    category: Category,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) -> State {
    flow.form.category = Some(category);
    flow.step = if flow.form.description.is_some() {
        ComplaintStep::Media
    } else {
        ComplaintStep::Description
    };
    flow.tries = 0;
    ask(flow, ctx, out)
}

fn on_description(mut flow: ComplaintFlow, t: &str, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let t = t.trim();
    if t.chars().count() < 5 {
        return bad(flow, Part::new("bad-description"), ctx, out);
    }
    if t.chars().count() > MAX_REASON_CHARS {
        let too_long = Part::new("too-long").int("max", MAX_REASON_CHARS as i64);
        return bad(flow, too_long, ctx, out);
    }
    flow.form.description = Some(t.to_string());
    flow.step = ComplaintStep::Media;
    flow.tries = 0;
    ask(flow, ctx, out)
}

/// More words after the description: added to it, in order; "không", "xong" go on.
fn on_more_words(mut flow: ComplaintFlow, t: &str, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    match ctx.phrases.intent(t) {
        Some(Intent::Yes | Intent::No | Intent::NoneAvailable) => next(flow, ctx, out),
        _ => {
            let d = flow.form.description.get_or_insert_with(String::new);
            if !d.is_empty() {
                d.push('\n');
            }
            d.push_str(t.trim());
            ask(flow, ctx, out)
        }
    }
}

fn on_invoice(mut flow: ComplaintFlow, t: &str, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    match text::read_invoice(t) {
        Reading::Value(i) | Reading::About(i) => set(
            flow,
            |f| f.invoice = Some(Some(i.as_str().to_string())),
            ctx,
            out,
        ),
        Reading::Choose(invs) => {
            flow.pending = picks(&invs.iter().map(|i| i.as_str()).collect::<Vec<_>>());
            ask(flow, ctx, out)
        }
        // "không có", "mất rồi": no invoice, which is an answer here.
        Reading::DontKnow => set(flow, |f| f.invoice = Some(None), ctx, out),
        Reading::Nothing => match ctx.phrases.intent(t) {
            Some(Intent::No | Intent::NoneAvailable) => {
                set(flow, |f| f.invoice = Some(None), ctx, out)
            }
            _ => bad(flow, Part::new("bad-invoice"), ctx, out),
        },
    }
}

/// Folded phrases naming what a complaint is about, most telling first.
const CATEGORY_WORDS: &[(Category, &[&str])] = &[
    (
        Category::Attitude,
        &[
            "thai do",
            "hon",
            "lo mang",
            "bat lich su",
            "khong lich su",
            "to tieng",
            "cau gat",
            "quat",
            "coc can",
        ],
    ),
    (
        Category::Billing,
        &[
            "tien",
            "phi",
            "thanh toan",
            "tinh sai",
            "thu them",
            "gia",
            "chi phi",
            "hoa don",
        ],
    ),
    (
        Category::Schedule,
        &[
            "lich",
            "lich hen",
            "tre",
            "tre hen",
            "cham tre",
            "den muon",
            "toi muon",
            "lam muon",
            "qua han",
            "khong den",
            "ko den",
            "k den",
            "cho lau",
            "doi lau",
            "delay",
            "late",
        ],
    ),
    (
        Category::Quality,
        &[
            "chat luong",
            "dich vu",
            "khong dep",
            "ko dep",
            "k dep",
            "chua dep",
            "xau",
            "loi",
            "bi loi",
            "hong",
            "kem",
            "te",
            "khong hai long",
            "ko hai long",
            "khong hieu qua",
            "ko hieu qua",
            "quality",
        ],
    ),
    (
        Category::Other,
        &["khac", "viec khac", "chuyen khac", "van de khac", "other"],
    ),
];

/// What a complaint is about, typed: the one category its words name (the category's own
/// button words included); `None` when they name none, or two.
pub fn read_category(t: &str) -> Option<Category> {
    let padded = crate::text::reading::padded_words(&text::fold(t));
    let named: Vec<Category> = CATEGORY_WORDS
        .iter()
        .filter(|(_, words)| crate::text::reading::has_phrase(&padded, words))
        .map(|(c, _)| *c)
        .collect();
    match named.as_slice() {
        [one] => Some(*one),
        // "nhân viên thái độ kém": the attitude is what it is about.
        [Category::Attitude, ..] => Some(Category::Attitude),
        _ => None,
    }
}

/// Records an answer and goes on to the next question.
fn set(
    mut flow: ComplaintFlow,
    answer: impl FnOnce(&mut ComplaintForm),
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) -> State {
    answer(&mut flow.form);
    next(flow, ctx, out)
}

fn consent(mut flow: ComplaintFlow, yes: bool, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    flow.form.consent = Some(yes);
    submit(flow, ctx, out)
}

fn read_phone(mut flow: ComplaintFlow, raw: &str, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let read = match Phone::parse(raw) {
        Ok(p) => Reading::Value(p),
        Err(_) => text::read_phone(raw),
    };
    match read {
        Reading::Choose(phones) => {
            flow.pending = picks(&phones.iter().map(|p| p.as_str()).collect::<Vec<_>>());
            ask(flow, ctx, out)
        }
        Reading::DontKnow => bad(flow, Part::new("dont-know-phone"), ctx, out),
        Reading::Value(p) | Reading::About(p) => {
            flow.form.phone = Some(p.as_str().to_string());
            flow.tries = 0;
            flow.step = ComplaintStep::Consent;
            ask(flow, ctx, out)
        }
        Reading::Nothing => bad(
            flow,
            Part::new("bad-phone").str("phone", raw.trim()),
            ctx,
            out,
        ),
    }
}

/// After a good answer: the next question not answered yet.
fn next(mut flow: ComplaintFlow, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    flow.tries = 0;
    let f = &flow.form;
    flow.step = if f.category.is_none() {
        ComplaintStep::Category
    } else if f.description.is_none() {
        ComplaintStep::Description
    } else if f.invoice.is_none() {
        ComplaintStep::Invoice
    } else if f.urgent.is_none() {
        ComplaintStep::Urgency
    } else if f.phone.is_none() {
        ComplaintStep::Phone
    } else {
        ComplaintStep::Consent
    };
    ask(flow, ctx, out)
}

fn submit(flow: ComplaintFlow, ctx: &Ctx, out: &mut Vec<Effect>) -> State {
    let urgent = flow.form.urgent.unwrap_or(false);
    out.push(Effect::OpenCase(flow.form));
    let mut msg = Msg::new(
        Part::new("case-opened")
            .arg("case", Arg::NewRequest)
            .rule("rule", Rule::Complaint),
    );
    msg.parts.push(if urgent {
        Part::new("case-call-urgent")
            .str("hotline", &ctx.company.hotline)
            .int("minutes", ctx.callback.urgent_minutes)
            .arg("deadline", Arg::Time(ctx.deadlines[1]))
    } else {
        Part::new("case-call-normal")
            .str("hotline", &ctx.company.hotline)
            .int("hours", ctx.callback.normal_hours)
            .arg("deadline", Arg::Time(ctx.deadlines[0]))
    });
    msg.parts.push(Part::new("case-write-more"));
    // Takes the share-contact keyboard away. Telegram allows one keyboard per message, and
    // inline buttons would keep the old one on screen: this message carries none.
    msg.remove_keyboard = true;
    out.push(Effect::Reply(msg));
    State::Idle
}
