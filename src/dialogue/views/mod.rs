//! What several parts of the conversation show: texts cut to fit, the hotline's call-back
//! promise, the menu, staff cards. Views never look into a flow.

pub mod cards;
pub mod menu;

use crate::dialogue::{Arg, Ctx, Customer, Part};

/// "Staff will call you from the hotline within N business hours, i.e. before …" (POLICY.md,
/// "Hotline follow-up"): the normal call-back deadline of something handed to staff now.
pub(crate) fn staff_will_call(ctx: &Ctx) -> Part {
    with_call_back(Part::new("staff-will-call"), ctx)
}

/// Adds the hotline and the normal call-back deadline (`$hotline`, `$hours`, `$deadline`).
pub(crate) fn with_call_back(part: Part, ctx: &Ctx) -> Part {
    part.str("hotline", &ctx.company.hotline)
        .int("hours", ctx.callback.normal_hours)
        .arg("deadline", Arg::Time(ctx.deadlines[0]))
}

/// Who the customer is, as a card shows them.
pub fn customer_line(customer: &Customer) -> Part {
    Part::new("card-customer")
        .str("name", &customer.name)
        .str(
            "username",
            customer
                .username
                .as_ref()
                .map(|u| format!("@{u}"))
                .unwrap_or_else(|| "-".into()),
        )
        .msg("via", via(customer))
        .str("id", &customer.identity.external_id)
        .msg("lang", &format!("lang-{}", customer.lang.code()))
}

/// How staff see which channel a customer writes from ("Telegram id", "Zalo id"); the
/// terminal's customer stands in for a Telegram one.
pub fn via(customer: &Customer) -> &'static str {
    match customer.identity.channel.as_str() {
        "zalo" => "via-zalo",
        _ => "via-telegram",
    }
}

/// How much of a customer's text a line quotes; a card shows at most `CARD_TEXT_CHARS` of
/// each text and the whole text follows the card (see [`full_texts`]).
pub const QUOTE_CHARS: usize = 200;

pub const CARD_TEXT_CHARS: usize = 600;

/// The text, cut at `max` characters with "…" when longer.
pub fn clip(text: &str, max: usize) -> String {
    let units: usize = text.chars().map(char::len_utf16).sum();
    if units <= max {
        return text.to_string();
    }
    // At most `max` UTF-16 units (Telegram's count) before the ellipsis.
    let mut used = 0;
    let mut cut = String::new();
    for c in text.chars() {
        used += c.len_utf16();
        if used > max {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// The unreadable answers a hand-off card quotes (the latest ones).
pub const MAX_UNREAD_SHOWN: usize = 6;
