//! The built-in phrase tables, kept as data: one file per language under
//! `src/text/phrases/`, embedded in the binary and parsed once, on first use.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::labels::{Intent, Question, ReasonHint};

/// The data files, in the order their phrases are tried.
const FILES: &[(&str, &str)] = &[
    ("vi", include_str!("../phrases/vi.toml")),
    ("en", include_str!("../phrases/en.toml")),
];

/// Every intent that has phrases, by its name in the data files, in the order the matcher
/// tries them (an earlier intent wins a tie).
pub(super) const INTENTS: &[(&str, Intent)] = &[
    ("status", Intent::Status),
    ("deferral", Intent::Deferral),
    ("refund", Intent::Refund),
    ("complaint", Intent::Complaint),
    ("cancel", Intent::Cancel),
    ("no_schedule", Intent::NoSchedule),
    ("none_available", Intent::NoneAvailable),
    ("yes", Intent::Yes),
    ("no", Intent::No),
    ("menu", Intent::Menu),
    ("why", Intent::Why),
    ("help", Intent::Help),
    ("greeting", Intent::Greeting),
    ("ask_hotline", Intent::Ask(Question::Hotline)),
    ("ask_address", Intent::Ask(Question::Address)),
    ("ask_email", Intent::Ask(Question::Email)),
    ("ask_website", Intent::Ask(Question::Website)),
    ("ask_contact", Intent::Ask(Question::Contact)),
    ("ask_policy", Intent::Ask(Question::Policy)),
    ("ask_refund_policy", Intent::Ask(Question::RefundPolicy)),
    ("ask_defer_length", Intent::Ask(Question::DeferLength)),
    ("ask_defer_window", Intent::Ask(Question::DeferWindow)),
    ("ask_missed_date", Intent::Ask(Question::MissedDate)),
    (
        "ask_company_postpone",
        Intent::Ask(Question::CompanyPostpone),
    ),
    ("ask_photos", Intent::Ask(Question::Photos)),
    (
        "ask_complaint_process",
        Intent::Ask(Question::ComplaintProcess),
    ),
    ("ask_aftercare", Intent::Ask(Question::Aftercare)),
];

/// Every reason, by its name in the data files, in order.
const REASONS: &[(&str, ReasonHint)] = &[
    ("business_trip", ReasonHint::BusinessTrip),
    ("accident", ReasonHint::Accident),
    ("illness", ReasonHint::Illness),
    ("bereavement", ReasonHint::Bereavement),
    ("economic_family", ReasonHint::EconomicFamily),
];

/// One data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    intents: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    reasons: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    masks: Masks,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Masks {
    #[serde(default)]
    intent: Vec<String>,
    #[serde(default)]
    reason: Vec<String>,
}

/// The built-in tables, every language merged.
#[derive(Debug)]
pub(super) struct Tables {
    /// Phrases per intent, in [`INTENTS`] order.
    pub intents: Vec<(Intent, Vec<String>)>,
    /// Phrases per reason.
    pub reasons: Vec<(ReasonHint, Vec<String>)>,
    /// Phrases whose words must not be read as intent phrases ("thoi gian" is not "thôi").
    pub intent_masks: Vec<String>,
    /// Phrases that look like reasons but are not ("khong hieu" is not "hiếu").
    pub reason_masks: Vec<String>,
}

/// Parses and merges `files`; an unknown name or a malformed file is an error naming it.
fn load(files: &[(&str, &str)]) -> Result<Tables, String> {
    let mut parsed = Vec::new();
    for (lang, text) in files {
        let file: File = toml::from_str(text).map_err(|e| format!("phrases/{lang}.toml: {e}"))?;
        for name in file.intents.keys() {
            if !INTENTS.iter().any(|(n, _)| n == name) {
                return Err(format!("phrases/{lang}.toml: unknown intent {name:?}"));
            }
        }
        for name in file.reasons.keys() {
            if !REASONS.iter().any(|(n, _)| n == name) {
                return Err(format!("phrases/{lang}.toml: unknown reason {name:?}"));
            }
        }
        parsed.push(file);
    }
    let merge = |pick: &dyn Fn(&File) -> Option<&Vec<String>>| -> Vec<String> {
        parsed.iter().filter_map(pick).flatten().cloned().collect()
    };
    Ok(Tables {
        intents: INTENTS
            .iter()
            .map(|(name, intent)| (*intent, merge(&|f| f.intents.get(*name))))
            .collect(),
        reasons: REASONS
            .iter()
            .map(|(name, reason)| (*reason, merge(&|f| f.reasons.get(*name))))
            .collect(),
        intent_masks: merge(&|f| Some(&f.masks.intent)),
        reason_masks: merge(&|f| Some(&f.masks.reason)),
    })
}

/// The built-in tables, parsed on first use.
pub(super) fn builtin() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| load(FILES).unwrap_or_else(|e| panic!("built-in {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_data_files_parse_and_give_every_intent_and_reason_phrases() {
        let tables = load(FILES).unwrap();
        for (intent, phrases) in &tables.intents {
            assert!(!phrases.is_empty(), "{intent:?}");
        }
        for (reason, phrases) in &tables.reasons {
            assert!(!phrases.is_empty(), "{reason:?}");
        }
        assert!(tables.intent_masks.iter().any(|m| m == "thoi gian"));
        assert!(tables.reason_masks.iter().any(|m| m == "khong hieu"));
        // Both languages are merged into one intent.
        let deferral = &tables.intents[1];
        assert_eq!(deferral.0, Intent::Deferral);
        assert!(deferral.1.iter().any(|p| p == "bao luu"));
        assert!(deferral.1.iter().any(|p| p == "postpone"));
    }

    #[test]
    fn a_data_file_with_an_unknown_name_is_refused_with_its_name() {
        let err = load(&[("xx", "[intents]\ndeferal = [\"bao luu\"]\n")]).unwrap_err();
        assert_eq!(err, "phrases/xx.toml: unknown intent \"deferal\"");
        let err = load(&[("xx", "[reasons]\nflu = [\"cum\"]\n")]).unwrap_err();
        assert_eq!(err, "phrases/xx.toml: unknown reason \"flu\"");
        assert!(load(&[("xx", "[other]\n")])
            .unwrap_err()
            .starts_with("phrases/xx.toml: "));
    }
}
