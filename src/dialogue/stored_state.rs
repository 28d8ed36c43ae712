//! Conversations stored mid-form by an earlier release must still load: the snapshots under
//! `testdata/` were written by the code before the flows were reorganised.

use chrono::NaiveDate;

use super::*;
use crate::policy::refund::RefundCause;
use crate::policy::Reason;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn photo(id: &str) -> Attachment {
    Attachment {
        kind: MediaKind::Photo,
        file_id: id.to_string(),
        file_name: None,
    }
}

fn deferral_form() -> DeferralForm {
    DeferralForm {
        invoice: Some("HD-2026-0012".into()),
        paid_on: Some(day(2026, 9, 1)),
        scheduled_on: Some(None),
        reason: None,
        reason_text: None,
        confirmation: None,
        new_date: None,
        attachments: vec![photo("AgAD-deferral")],
        registry: Some(RegistryMatch::Disputed),
    }
}

fn refund_flow() -> RefundFlow {
    RefundFlow {
        form: RefundForm {
            invoice: Some("HD-2026-0031".into()),
            paid_on: Some(day(2026, 10, 5)),
            job_done: Some(false),
            cause: Some(RefundCause::JobNotDone),
            notice: Some(true),
            original_date: Some(day(2026, 11, 1)),
            moved_to: None,
            reason_text: None,
            attachments: Vec::new(),
            registry: Some(RegistryMatch::Unknown),
        },
        step: RefundStep::NoticeNew,
        tries: 2,
        unread: vec!["hông nhớ nữa".into()],
        pending: Vec::new(),
    }
}

/// One conversation of each kind in progress, as the code builds them.
fn snapshots() -> Vec<(&'static str, Conversation)> {
    let mid_deferral = Conversation {
        lang: Lang::Vi,
        lang_chosen: false,
        state: State::Deferral {
            flow: DeferralFlow {
                form: deferral_form(),
                step: Step::Ask(Field::Reason),
                tries: 1,
                unread: vec!["chưa biết nữa".into()],
                pending: Vec::new(),
            },
        },
        paused: None,
        greeted: true,
        unread: vec!["shop ơi".into()],
        last_album: Some("album7".into()),
        link_invoice: None,
    };
    let deferral_handoff = Conversation {
        state: State::HandoffOffered {
            flow: DeferralFlow {
                form: DeferralForm {
                    reason: Some(Reason::Illness),
                    confirmation: Some(Some(photo("AgAD-confirmation"))),
                    new_date: Some(day(2027, 1, 20)),
                    ..deferral_form()
                },
                step: Step::Summary,
                tries: 3,
                unread: vec!["a".into(), "b".into(), "c".into()],
                pending: Vec::new(),
            },
        },
        greeted: true,
        ..Conversation::new(Lang::En)
    };
    let mid_refund = Conversation {
        lang: Lang::En,
        lang_chosen: true,
        state: State::Refund {
            flow: refund_flow(),
        },
        greeted: true,
        ..Conversation::default()
    };
    let refund_handoff = Conversation {
        state: State::RefundHandoffOffered {
            flow: RefundFlow {
                step: RefundStep::PaidOn,
                tries: 3,
                ..refund_flow()
            },
        },
        greeted: true,
        ..Conversation::default()
    };
    let mid_complaint = Conversation {
        state: State::Complaint {
            flow: ComplaintFlow {
                form: ComplaintForm {
                    category: Some(Category::Quality),
                    description: Some("Làm xong bị sưng đỏ\nvẫn còn đau".into()),
                    media: vec![photo("AgAD-complaint")],
                    invoice: Some(None),
                    urgent: Some(true),
                    phone: None,
                    consent: None,
                },
                step: ComplaintStep::Phone,
                tries: 1,
                pending: Vec::new(),
            },
        },
        greeted: true,
        ..Conversation::default()
    };
    let paused = Conversation {
        state: State::Idle,
        paused: Some(Box::new(State::Deferral {
            flow: DeferralFlow {
                form: deferral_form(),
                step: Step::PickField,
                tries: 0,
                unread: Vec::new(),
                pending: Vec::new(),
            },
        })),
        greeted: true,
        ..Conversation::default()
    };
    let rating = Conversation {
        state: State::RatingComment { case_id: 12 },
        greeted: true,
        ..Conversation::default()
    };
    let confirm = Conversation {
        state: State::NewCaseConfirm,
        greeted: true,
        ..Conversation::default()
    };
    vec![
        ("mid_deferral", mid_deferral),
        ("deferral_handoff", deferral_handoff),
        ("mid_refund", mid_refund),
        ("refund_handoff", refund_handoff),
        ("mid_complaint", mid_complaint),
        ("paused_deferral", paused),
        ("rating_comment", rating),
        ("new_case_confirm", confirm),
    ]
}

const STORED: &str = include_str!("testdata/conversations.json");

#[test]
fn conversations_stored_mid_form_by_the_earlier_release_load_the_same() {
    let stored: Vec<(String, serde_json::Value)> = serde_json::from_str(STORED).unwrap();
    let now = snapshots();
    assert_eq!(stored.len(), now.len());
    for ((name, json), (expected_name, expected)) in stored.into_iter().zip(now) {
        assert_eq!(name, expected_name);
        let loaded: Conversation = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(loaded, expected, "{name}");
        // And written back the same way, so an earlier release could read it again.
        assert_eq!(serde_json::to_value(&loaded).unwrap(), json, "{name}");
    }
}

/// Prints the snapshots (`cargo test --lib print_stored_conversations -- --ignored --nocapture`).
#[test]
#[ignore]
fn print_stored_conversations() {
    let all: Vec<(&str, serde_json::Value)> = snapshots()
        .into_iter()
        .map(|(n, c)| (n, serde_json::to_value(&c).unwrap()))
        .collect();
    println!("{}", serde_json::to_string_pretty(&all).unwrap());
}
