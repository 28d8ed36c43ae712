//! Replies as typed values: Fluent message ids with arguments, never finished strings.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::buttons::ButtonData;
pub use super::records::{Attachment, Lang, MediaKind};
use crate::policy::Rule;

/// One argument of a Fluent message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Arg {
    Str(String),
    Int(i64),
    /// Shown as dd/mm/yyyy.
    Date(NaiveDate),
    /// Unix seconds, shown as dd/mm/yyyy HH:MM in the company's time zone.
    Time(i64),
    /// Another message of the locales, rendered in the same language.
    Msg(String),
    /// Another message with its own arguments, rendered in the same language.
    Part(Box<Part>),
    /// How a rule is cited ("mục 2(b) Chính sách khách hàng").
    Rule(Rule),
    /// The number of the request created by this same step (e.g. BL-000012).
    NewRequest,
    /// A request's display number.
    RequestNo(String),
}

/// One Fluent message with its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub id: String,
    pub args: Vec<(String, Arg)>,
}

impl Part {
    pub fn new(id: &str) -> Part {
        Part {
            id: id.to_string(),
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &str, value: Arg) -> Part {
        self.args.push((name.to_string(), value));
        self
    }

    pub fn str(self, name: &str, value: impl Into<String>) -> Part {
        self.arg(name, Arg::Str(value.into()))
    }

    pub fn int(self, name: &str, value: i64) -> Part {
        self.arg(name, Arg::Int(value))
    }

    pub fn date(self, name: &str, value: NaiveDate) -> Part {
        self.arg(name, Arg::Date(value))
    }

    pub fn msg(self, name: &str, id: &str) -> Part {
        self.arg(name, Arg::Msg(id.to_string()))
    }

    pub fn rule(self, name: &str, rule: Rule) -> Part {
        self.arg(name, Arg::Rule(rule))
    }
}

/// An inline button: a label and what pressing it means (stored as its callback data string).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub label: Part,
    pub data: ButtonData,
}

impl Button {
    pub fn new(label_id: &str, data: ButtonData) -> Button {
        Button {
            label: Part::new(label_id),
            data,
        }
    }
}

/// What kind of notice a message is, for a channel that sends such a notice its own way when it
/// cannot send the message itself (Zalo, outside its free window: a ZNS template).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A reminder before a deferred job.
    Reminder,
    /// An aftercare check-in after a job.
    Aftercare,
    /// Staff's words for the customer (a reply to a card, in a case, `/tl`).
    StaffReply,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 3] = [
        NoticeKind::Reminder,
        NoticeKind::Aftercare,
        NoticeKind::StaffReply,
    ];

    /// Its name in settings (`reminder`, `aftercare`, `staff_reply`).
    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Reminder => "reminder",
            NoticeKind::Aftercare => "aftercare",
            NoticeKind::StaffReply => "staff_reply",
        }
    }

    pub fn parse(code: &str) -> Option<NoticeKind> {
        NoticeKind::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
    }
}

/// A message as a notice of some kind, with the values a notice template may show, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    #[serde(default)]
    pub data: std::collections::BTreeMap<String, String>,
}

impl Notice {
    pub fn new(kind: NoticeKind) -> Notice {
        Notice {
            kind,
            data: Default::default(),
        }
    }

    pub fn with(mut self, name: &str, value: impl Into<String>) -> Notice {
        self.data.insert(name.to_string(), value.into());
        self
    }
}

/// A reply: paragraphs (each a Fluent message), rows of buttons, an optional file to send.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Msg {
    pub parts: Vec<Part>,
    pub buttons: Vec<Vec<Button>>,
    pub attachment: Option<Attachment>,
    /// Remove a reply keyboard the customer may still see.
    #[serde(default)]
    pub remove_keyboard: bool,
    /// A reply-keyboard button that shares the customer's phone number (Telegram's contact).
    #[serde(default)]
    pub contact_button: Option<Part>,
    /// The kind of notice it is, where a channel may send it otherwise when it cannot send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
}

impl Msg {
    pub fn new(part: Part) -> Msg {
        Msg {
            parts: vec![part],
            ..Msg::default()
        }
    }

    pub fn id(id: &str) -> Msg {
        Msg::new(Part::new(id))
    }

    pub fn then(mut self, part: Part) -> Msg {
        self.parts.push(part);
        self
    }

    pub fn row(mut self, row: Vec<Button>) -> Msg {
        self.buttons.push(row);
        self
    }

    pub fn as_notice(mut self, notice: Notice) -> Msg {
        self.notice = Some(notice);
        self
    }

    pub fn with_attachment(mut self, attachment: Attachment) -> Msg {
        self.attachment = Some(attachment);
        self
    }

    /// The same reply worded for a channel with no phone-sharing button (the customer types
    /// the number): each paragraph that speaks of the button in its twin that does not. None
    /// when nothing in it speaks of the button.
    pub fn typed_phone(&self) -> Option<Msg> {
        let mut typed = self.clone();
        let mut changed = false;
        for part in &mut typed.parts {
            if let Some(twin) = typed_phone_twin(&part.id) {
                part.id = twin.to_string();
                changed = true;
            }
        }
        typed.contact_button = None;
        changed.then_some(typed)
    }

    /// Every message id this reply uses, labels included (for the locale check).
    pub fn ids(&self) -> Vec<String> {
        fn arg_ids(part: &Part, out: &mut Vec<String>) {
            out.push(part.id.clone());
            for (_, a) in &part.args {
                match a {
                    Arg::Msg(id) => out.push(id.clone()),
                    Arg::Part(p) => arg_ids(p, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for p in &self.parts {
            arg_ids(p, &mut out);
        }
        for row in &self.buttons {
            for b in row {
                arg_ids(&b.label, &mut out);
            }
        }
        if let Some(p) = &self.contact_button {
            arg_ids(p, &mut out);
        }
        for p in self.typed_phone().iter().flat_map(|m| &m.parts) {
            arg_ids(p, &mut out);
        }
        out
    }
}

/// The paragraph that says the same as `id` without the phone-sharing button, if `id` speaks
/// of the button.
fn typed_phone_twin(id: &str) -> Option<&'static str> {
    match id {
        "ask-phone" => Some("ask-phone-typed"),
        "dont-know-phone" => Some("dont-know-phone-typed"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_about_the_share_button_has_a_typed_number_twin() {
        let mut ask = Msg::id("ask-phone");
        ask.contact_button = Some(Part::new("btn-share-contact"));
        let typed = ask.typed_phone().expect("the phone question has a twin");
        assert_eq!(typed.parts, vec![Part::new("ask-phone-typed")]);
        assert_eq!(typed.contact_button, None);
        let again = Msg::id("bad-phone").then(Part::new("dont-know-phone"));
        let typed = again.typed_phone().unwrap();
        assert_eq!(typed.parts[0].id, "bad-phone");
        assert_eq!(typed.parts[1].id, "dont-know-phone-typed");
        assert_eq!(Msg::id("ask-consent").typed_phone(), None);
        assert!(ask.ids().contains(&"ask-phone-typed".to_string()));
    }
}
