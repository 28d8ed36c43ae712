//! Deep links into the bot (`https://t.me/<bot>?start=<payload>`): the payload of a printed
//! invoice (its number and a tag that only this company's bot can make), and the payloads that
//! open a flow.
//!
//! Telegram takes at most 64 characters of `A-Z a-z 0-9 _ -` after `start=`. An invoice payload
//! is `i_<number>_<tag>`: the number keeps its letters, digits and `-`; any other byte is
//! written `_` and two hex digits (`HD/12` → `HD_2F12`); the tag is the first 8 bytes of
//! HMAC-SHA256(secret, "invoice:" + number) in base64url, always 11 characters, read from the
//! end. 64 bits are plenty against guessing: a wrong guess costs a message and shows nothing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::dialogue::Command;
pub use crate::dialogue::StartLink;

/// The most characters Telegram takes as a start payload.
pub const MAX_PAYLOAD: usize = 64;
const TAG_CHARS: usize = 11;
const TAG_BYTES: usize = 8;
const PREFIX: &str = "i_";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the invoice number {0:?} is too long for a deep link (at most {max} characters once written)", max = MAX_PAYLOAD - PREFIX.len() - 1 - TAG_CHARS)]
    TooLong(String),
}

/// The payload of `/start <payload>`, when the text is such a command with one.
pub fn start_payload(text: &str) -> Option<&str> {
    let rest = text.trim().strip_prefix('/')?;
    let (name, payload) = rest.split_once(char::is_whitespace)?;
    let name = name.split('@').next().unwrap_or(name);
    if !name.eq_ignore_ascii_case("start") {
        return None;
    }
    let payload = payload.trim();
    (!payload.is_empty()).then_some(payload)
}

/// The payload a flow link carries.
pub fn flow_payload(cmd: Command) -> Option<&'static str> {
    match cmd {
        Command::Defer => Some("baoluu"),
        Command::Refund => Some("hoantra"),
        Command::Complaint => Some("khieunai"),
        _ => None,
    }
}

fn tag(secret: &[u8], invoice: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(b"invoice:");
    mac.update(invoice.as_bytes());
    let full = mac.finalize().into_bytes();
    URL_SAFE_NO_PAD.encode(&full[..TAG_BYTES])
}

fn escape(invoice: &str) -> String {
    let mut out = String::with_capacity(invoice.len());
    for b in invoice.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(b as char);
        } else {
            out.push_str(&format!("_{b:02X}"));
        }
    }
    out
}

fn unescape(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'_' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || b == b'-' => {
                out.push(b);
                i += 1;
            }
            _ => return None,
        }
    }
    String::from_utf8(out).ok()
}

/// The signed payload of an invoice.
pub fn invoice_payload(secret: &[u8], invoice: &str) -> Result<String, LinkError> {
    let payload = format!("{PREFIX}{}_{}", escape(invoice), tag(secret, invoice));
    if payload.len() > MAX_PAYLOAD {
        return Err(LinkError::TooLong(invoice.to_string()));
    }
    Ok(payload)
}

/// Reads a payload; an invoice's tag is checked against `secret` (in constant time).
pub fn read(secret: &[u8], payload: &str) -> StartLink {
    match payload.to_ascii_lowercase().as_str() {
        "baoluu" | "baoluuchiphi" => return StartLink::Flow(Command::Defer),
        "hoantra" | "hoantien" => return StartLink::Flow(Command::Refund),
        "khieunai" => return StartLink::Flow(Command::Complaint),
        _ => {}
    }
    let Some(rest) = payload.strip_prefix(PREFIX) else {
        return StartLink::Invalid;
    };
    if payload.len() > MAX_PAYLOAD || rest.len() < TAG_CHARS + 2 || !rest.is_ascii() {
        return StartLink::Invalid;
    }
    let (body, given) = rest.split_at(rest.len() - TAG_CHARS);
    let Some(number) = body.strip_suffix('_').and_then(unescape) else {
        return StartLink::Invalid;
    };
    let Ok(given) = URL_SAFE_NO_PAD.decode(given) else {
        return StartLink::Invalid;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(b"invoice:");
    mac.update(number.as_bytes());
    match mac.verify_truncated_left(&given) {
        Ok(()) if given.len() == TAG_BYTES => StartLink::Invoice(number),
        _ => StartLink::Invalid,
    }
}

/// A new random secret (32 bytes, base64url), for a company that set none.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the system gives random bytes");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The link a customer opens: `https://t.me/<bot>?start=<payload>`.
pub fn link(bot_username: &str, payload: &str) -> String {
    format!(
        "https://t.me/{}?start={payload}",
        bot_username.trim_start_matches('@')
    )
}

/// The payload of a link made by [`link`] (or any `t.me` link with `start=`).
pub fn payload_of_link(link: &str) -> Option<String> {
    let url = url::Url::parse(link).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "start")
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a company secret";

    #[test]
    fn an_invoice_payload_reads_back_and_uses_only_the_allowed_characters() {
        for number in ["HD-2026-0012", "HD/2026.12", "12345", "Ä-1"] {
            let p = invoice_payload(SECRET, number).unwrap();
            assert!(p.len() <= MAX_PAYLOAD, "{p}");
            assert!(
                p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                "{p}"
            );
            assert_eq!(read(SECRET, &p), StartLink::Invoice(number.to_string()));
        }
        assert!(invoice_payload(SECRET, "HD-2026-0012")
            .unwrap()
            .starts_with("i_HD-2026-0012_"));
    }

    #[test]
    fn a_wrong_tag_another_secret_or_a_changed_number_is_invalid() {
        let p = invoice_payload(SECRET, "HD-2026-0012").unwrap();
        assert_eq!(read(b"another secret", &p), StartLink::Invalid);
        let changed = p.replace("0012", "0013");
        assert_eq!(read(SECRET, &changed), StartLink::Invalid);
        let mut cut = p.clone();
        cut.pop();
        assert_eq!(read(SECRET, &cut), StartLink::Invalid);
        for junk in [
            "",
            "i_",
            "i__",
            "i_HD_ZZ_AAAAAAAAAAA",
            "xyz",
            "i_HD-1_!!!!!!!!!!!",
        ] {
            assert_eq!(read(SECRET, junk), StartLink::Invalid, "{junk}");
        }
    }

    #[test]
    fn flow_payloads_open_their_flow() {
        assert_eq!(
            read(SECRET, "khieunai"),
            StartLink::Flow(Command::Complaint)
        );
        assert_eq!(read(SECRET, "baoluu"), StartLink::Flow(Command::Defer));
        assert_eq!(read(SECRET, "hoantra"), StartLink::Flow(Command::Refund));
        assert_eq!(start_payload("/start khieunai"), Some("khieunai"));
        assert_eq!(start_payload("/start"), None);
        assert_eq!(start_payload("/menu x"), None);
    }

    #[test]
    fn a_too_long_invoice_number_is_refused() {
        assert!(matches!(
            invoice_payload(SECRET, &"9".repeat(60)),
            Err(LinkError::TooLong(_))
        ));
    }

    #[test]
    fn a_link_gives_its_payload_back() {
        let l = link("@cskh_bot", "i_HD-1_AAAAAAAAAAA");
        assert_eq!(l, "https://t.me/cskh_bot?start=i_HD-1_AAAAAAAAAAA");
        assert_eq!(payload_of_link(&l).as_deref(), Some("i_HD-1_AAAAAAAAAAA"));
    }
}
