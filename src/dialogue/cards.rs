//! The cards and explanations the engine sends, gathered from [`super::views`] and
//! [`super::flows`] under the names it has always used.

pub use super::flows::deferral::explain::{check_line, decision_for_customer, form_lines};
pub use super::flows::staff_card;
pub use super::views::cards::{
    attachment_caption, blocked_notice, call_instead, case_card, case_event_line, case_topic_title,
    file_not_carried, full_texts, staff_decision_for_customer,
};
pub use super::views::{clip, CARD_TEXT_CHARS, MAX_UNREAD_SHOWN, QUOTE_CHARS};
