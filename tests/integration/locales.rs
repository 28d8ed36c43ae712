//! Every word a person reads comes from the locales: both languages have the same ids, and every
//! id the code uses exists.

use std::collections::BTreeSet;
use std::path::Path;

use cskh::dialogue::{Command, Field, Lang, RequestKind, RequestStatus};
use cskh::i18n;
use cskh::policy::{deferral::Outcome, Reason, Rule};

fn ids_in(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang);
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Some((id, _)) = line.split_once(" =") {
                if !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && line.starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    ids.insert(id.to_string());
                }
            }
        }
    }
    ids
}

/// String literals in the code that look like message ids (`word-word`).
fn ids_in_code() -> BTreeSet<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.clone()];
    let mut ids = BTreeSet::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                files.push(entry.unwrap().path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        // Relative to src/: a checkout's own path says nothing about the module.
        let name = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .to_string();
        // Message ids are used by the dialogue, the engine and the channels.
        if !(name.contains("dialogue") || name.contains("channels") || name.contains("engine")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, piece) in text.split('"').enumerate() {
            let looks_like_id = i % 2 == 1
                && piece.contains('-')
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
                && !piece.starts_with('-')
                && !piece.ends_with('-');
            if looks_like_id {
                ids.insert(piece.to_string());
            }
        }
    }
    // Field codes used in callback data, not message ids.
    for f in Field::ALL {
        ids.remove(f.code());
    }
    for m in cskh::dialogue::MenuItem::ALL {
        ids.remove(m.code());
    }
    ids
}

/// Ids the code builds with format!: one per value of an enum.
fn ids_built_by_code() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for r in Reason::ALL {
        ids.insert(format!("reason-{}", r.code()));
    }
    for c in cskh::dialogue::Category::ALL {
        ids.insert(format!("category-{}", c.code()));
    }
    for s in cskh::dialogue::CaseStatus::ALL {
        ids.insert(format!("case-status-{}", s.code()));
    }
    for a in cskh::engine::CaseAction::ALL {
        ids.insert(format!("case-action-{}", a.code()));
    }
    for outcome in ["reached", "no_answer"] {
        ids.insert(format!("call-{outcome}"));
    }
    for kind in cskh::engine::CASE_EVENT_KINDS {
        ids.insert(format!("event-{kind}"));
    }
    for o in cskh::engine::OUTCOMES {
        ids.insert(format!("stats-outcome-{o}"));
    }
    for who in ["customer", "bot"] {
        ids.insert(format!("actor-{who}"));
    }
    for (code, _) in cskh::dialogue::REFUND_FIELDS {
        ids.insert(format!("refund-field-{code}"));
    }
    for o in refund_outcomes() {
        ids.insert(format!("card-refund-{}", o.code()));
    }
    for k in [
        RequestKind::Deferral,
        RequestKind::Refund,
        RequestKind::Handoff,
    ] {
        ids.insert(format!("kind-{}", k.code()));
    }
    for s in [
        RequestStatus::Approved,
        RequestStatus::Rejected,
        RequestStatus::Review,
        RequestStatus::Exception,
        RequestStatus::StaffApproved,
        RequestStatus::StaffRejected,
        RequestStatus::Handoff,
    ] {
        ids.insert(format!("status-{}", s.code()));
        ids.insert(format!("card-status-{}", s.code()));
    }
    for l in Lang::ALL {
        ids.insert(format!("lang-{}", l.code()));
    }
    for o in [
        Outcome::Approved,
        Outcome::Rejected,
        Outcome::NeedsReview,
        Outcome::AwaitingConfirmation,
    ] {
        ids.insert(format!("outcome-{}", o.code()));
    }
    for c in Command::ALL {
        ids.insert(c.description_id());
    }
    for f in Field::ALL {
        ids.insert(format!("field-{}", f.code()));
    }
    for r in Rule::ALL {
        ids.insert(format!("rule-{}", r.id()));
    }
    ids
}

fn refund_outcomes() -> Vec<cskh::policy::refund::RefundOutcome> {
    use cskh::policy::refund::RefundOutcome::*;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    vec![
        Eligible {
            days_since_payment: 0,
        },
        NotYet {
            first_day: day,
            days_since_payment: 0,
        },
        JobDone,
        PostponementAllowed { days: 0, limit: 0 },
        PostponementTooLong { days: 0, limit: 0 },
        OwnReasons {
            deferral_possible: true,
            defer_last_day: day,
        },
    ]
}

#[test]
fn vietnamese_and_english_have_the_same_message_ids() {
    let vi = ids_in("vi");
    let en = ids_in("en");
    assert!(
        vi.len() > 100,
        "expected the full catalogue, found {} ids",
        vi.len()
    );
    let only_vi: Vec<_> = vi.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&vi).collect();
    assert!(
        only_vi.is_empty() && only_en.is_empty(),
        "only in vi: {only_vi:?}; only in en: {only_en:?}"
    );
}

#[test]
fn every_message_id_the_code_uses_exists_in_both_languages() {
    let used: BTreeSet<String> = ids_in_code()
        .into_iter()
        .chain(ids_built_by_code())
        .collect();
    assert!(used.len() > 100, "the scan found only {} ids", used.len());
    for lang in Lang::ALL {
        let missing: Vec<_> = used
            .iter()
            .filter(|id| !i18n::has_message(lang, id))
            .collect();
        assert!(
            missing.is_empty(),
            "missing in {}: {missing:?}",
            lang.code()
        );
    }
}

#[test]
fn a_missing_id_is_detected_by_the_check() {
    assert!(!i18n::has_message(Lang::En, "no-such-message"));
    assert!(i18n::has_message(Lang::En, "greeting"));
}
