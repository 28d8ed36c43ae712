//! Replies as typed values: Fluent message ids with arguments, never finished strings.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::policy::Rule;

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

/// An inline button: a label and opaque ASCII callback data (at most 64 bytes).
/// `{id}` in the data stands for the request created by the same step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub label: Part,
    pub data: String,
}

impl Button {
    pub fn new(label_id: &str, data: impl Into<String>) -> Button {
        Button {
            label: Part::new(label_id),
            data: data.into(),
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

    pub fn with_attachment(mut self, attachment: Attachment) -> Msg {
        self.attachment = Some(attachment);
        self
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
        out
    }
}
