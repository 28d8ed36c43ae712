//! Fluent bundles for `locales/vi` (default) and `locales/en`, and rendering of typed replies.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{langid, LanguageIdentifier, Loader};

use crate::dialogue::{Arg, Lang, Msg, Part};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "vi",
        customise: |bundle| {
            bundle.set_use_isolating(false);
            let _ = bundle.add_builtins();
        },
    };
}

static VI: LanguageIdentifier = langid!("vi");
static EN: LanguageIdentifier = langid!("en");

fn langid(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// A reply ready for a channel: text and rows of (label, callback data).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub text: String,
    pub buttons: Vec<Vec<(String, String)>>,
}

/// Renders replies in one language, for one time zone.
#[derive(Debug, Clone, Copy)]
pub struct Renderer {
    pub tz: Tz,
}

impl Renderer {
    pub fn new(tz: Tz) -> Renderer {
        Renderer { tz }
    }

    /// Renders a message; `new_request` replaces `Arg::NewRequest` and `{id}` in button data.
    pub fn render(&self, lang: Lang, msg: &Msg, new_request: Option<(&str, i64)>) -> Rendered {
        // Paragraphs are separated by a blank line; list items and check lines follow each other.
        let mut text = String::new();
        for part in &msg.parts {
            let line = self.part(lang, part, new_request);
            if !text.is_empty() {
                let item = line.starts_with(['•', '[', '✔', '✖', '⚠', 'ℹ', '↳']);
                text.push_str(if item { "\n" } else { "\n\n" });
            }
            text.push_str(&line);
        }
        let buttons = msg
            .buttons
            .iter()
            .map(|row| {
                row.iter()
                    .map(|b| {
                        let data = match new_request {
                            Some((_, id)) => b.data.with_new_request(id).encode(),
                            None => b.data.encode(),
                        };
                        (self.part(lang, &b.label, new_request), data)
                    })
                    .collect()
            })
            .collect();
        Rendered { text, buttons }
    }

    /// Renders one message of the locales.
    pub fn part(&self, lang: Lang, part: &Part, new_request: Option<(&str, i64)>) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for (name, arg) in &part.args {
            let value: FluentValue = match arg {
                Arg::Str(s) => FluentValue::from(s.clone()),
                Arg::Int(n) => FluentValue::from(*n),
                Arg::Date(d) => FluentValue::from(format_date(*d)),
                Arg::Time(t) => FluentValue::from(self.format_time(*t)),
                Arg::Msg(id) => FluentValue::from(self.text(lang, id)),
                Arg::Part(p) => FluentValue::from(self.part(lang, p, new_request)),
                Arg::Rule(rule) => {
                    FluentValue::from(self.text(lang, &format!("rule-{}", rule.id())))
                }
                Arg::NewRequest => FluentValue::from(
                    new_request
                        .map(|(no, _)| no.to_string())
                        .unwrap_or_default(),
                ),
                Arg::RequestNo(no) => FluentValue::from(no.clone()),
            };
            args.insert(Cow::Owned(name.clone()), value);
        }
        LOCALES
            .try_lookup_with_args(langid(lang), &part.id, &args)
            .unwrap_or_else(|| {
                tracing::error!(id = %part.id, lang = lang.code(), "missing locale message");
                part.id.clone()
            })
    }

    /// A message without arguments.
    pub fn text(&self, lang: Lang, id: &str) -> String {
        self.part(lang, &Part::new(id), None)
    }

    pub fn format_time(&self, unix: i64) -> String {
        DateTime::from_timestamp(unix, 0)
            .map(|t| {
                t.with_timezone(&self.tz)
                    .format("%d/%m/%Y %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    }
}

/// Dates as Vietnamese write them: dd/mm/yyyy.
pub fn format_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Whether a message id exists in a language (for the locale checks).
pub fn has_message(lang: Lang, id: &str) -> bool {
    // A message that needs arguments reports a formatting error without them: it exists.
    // (fluent-templates does not export its error type, hence the match on its Debug name.)
    match LOCALES.lookup_single_language::<&str>(langid(lang), id, None) {
        Ok(_) => true,
        Err(e) => format!("{e:?}").starts_with("FluentError"),
    }
}
