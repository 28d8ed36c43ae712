//! `/start` with a deep link's payload: a printed invoice's code greets the customer with that
//! invoice filled in and offers what can be asked about it; a flow's link opens the flow.

use super::commands::{command, pause, start_complaint, start_deferral, start_refund, Command};
use super::{Button, ButtonData, Conversation, Ctx, Effect, MenuItem, Msg, Part, State};

/// What a `/start` payload asks for, once the engine has checked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLink {
    /// A flow to open (`khieunai`, `baoluu`, `hoantra`).
    Flow(Command),
    /// An invoice whose tag is right: the invoice number, as printed.
    Invoice(String),
    /// An invoice payload whose tag is wrong, or a payload the bot does not know.
    Invalid,
}

/// `/start` with a payload: `link` is what the engine read of it.
pub(crate) fn open(conv: &mut Conversation, link: &StartLink, ctx: &Ctx, out: &mut Vec<Effect>) {
    match link {
        StartLink::Flow(cmd) => command(conv, Some(*cmd), ctx, out),
        StartLink::Invalid => {
            pause(conv);
            out.push(Effect::Reply(conv.menu(Some("greeting"), ctx)));
        }
        StartLink::Invoice(number) => {
            pause(conv);
            conv.link_invoice = Some(number.clone());
            let mut msg = Msg::new(
                Part::new("link-greeting")
                    .str("company", &ctx.company.name)
                    .str("invoice", number),
            );
            if let Some(k) = ctx.known_invoice(number) {
                let status = format!("link-status-{}", status_code(&k.status));
                let line = match k.job_on {
                    Some(d) => Part::new("link-invoice-known").date("job", d),
                    None => Part::new("link-invoice-known-nojob"),
                };
                msg = msg.then(line.date("paid", k.paid_on).msg("status", &status));
            }
            msg = msg
                .then(Part::new("link-choose"))
                .row(vec![Button::new(
                    "btn-defer",
                    ButtonData::LinkedInvoice(MenuItem::Defer),
                )])
                .row(vec![Button::new(
                    "btn-refund",
                    ButtonData::LinkedInvoice(MenuItem::Refund),
                )])
                .row(vec![Button::new(
                    "btn-complaint",
                    ButtonData::LinkedInvoice(MenuItem::Complaint),
                )])
                .row(vec![Button::new(
                    "btn-menu",
                    ButtonData::Menu(MenuItem::Menu),
                )]);
            out.push(Effect::Reply(msg));
        }
    }
}

fn status_code(status: &str) -> &'static str {
    match status {
        "done" => "done",
        "cancelled" => "cancelled",
        _ => "paid",
    }
}

/// A button under the deep link's greeting: that request, with the invoice filled in.
pub(crate) fn linked_button(
    conv: &mut Conversation,
    item: MenuItem,
    ctx: &Ctx,
    out: &mut Vec<Effect>,
) {
    let invoice = conv.link_invoice.clone();
    match item {
        MenuItem::Defer => start_deferral(conv, ctx, out, invoice.as_deref()),
        MenuItem::Refund => start_refund(conv, ctx, out, invoice.as_deref()),
        _ => {
            start_complaint(conv, ctx, out, false);
            if let (State::Complaint { flow }, Some(inv)) = (&mut conv.state, invoice) {
                flow.form.invoice = Some(Some(inv));
            }
        }
    }
}

/// The invoice a step may need from the registry: the one of the deep link, when the input is
/// a button under its greeting.
pub fn linked_invoice<'a>(conv: &'a Conversation, input: &super::Input) -> Option<&'a str> {
    match input {
        super::Input::Button(ButtonData::LinkedInvoice(_)) => conv.link_invoice.as_deref(),
        _ => None,
    }
}
