//! Conversation transcripts: `tests/conversations/*.txt`, run against the real engine on a fresh
//! in-memory SQLite, with a clock the transcript sets and a transport that records every message.
//!
//! # The transcript format
//!
//! One line, one thing. Blank lines and lines starting with `#` are ignored; so is the rest of a
//! line after two spaces and a `#` (`customer> [Gửi]   # the summary's button`).
//!
//! Settings, before the first input or between inputs:
//!
//! | line | meaning |
//! | --- | --- |
//! | `today: 2026-11-24` | the company's calendar date from now on (09:00 in Vietnam) |
//! | `lang: en` | the customer's Telegram language (before the first input; default `vi`) |
//! | `param: defer_auto_approve = false` | a policy parameter, TOML syntax (before the first input) |
//! | `time: 14:30` | the clock moves to this time of the current date (Vietnam time), e.g. so that a case's age or a call's time reads as in real life |
//! | `restart` | the bot stops and starts again on the same database (same day) |
//! | `privacy: ask` | the personal-data notice is shown and consent asked, as in a real deployment (before the first input); without it the company holds its customers' consent on file and conversations start straight away |
//! | `invoice: HD-2026-0012; Nguyễn Thị Hoa; 0912345678; 1.500.000; 01/10/2026; 05/12/2026; đã thanh toán` | the invoice is imported into the registry, as one row of a spreadsheet with the columns number; name; phone; amount; paid; job date; status (`cskh invoices import`); empty fields stay empty |
//!
//! Inputs:
//!
//! | line | what happens |
//! | --- | --- |
//! | `customer> text` | the customer types `text` |
//! | `customer> [Gửi yêu cầu]` | the customer presses the button whose label contains the text, on the last message the bot sent them with buttons; `customer> [5 ⭐] on KN-000001` presses it on the last message that has it and whose text contains `KN-000001` (an older message still on the screen) |
//! | `customer file> giay.jpg` | the customer sends a photo (`.jpg`, `.jpeg`, `.png`) or a document (anything else); `giay.jpg \| caption` adds a caption |
//! | `customer sticker>` / `customer voice>` | a sticker / a voice note |
//! | `customer contact> 0904718078` | the customer shares a phone number |
//! | `customer long> 5000` | the customer types a message of 5,000 characters |
//! | `staff> [Duyệt]` | staff member "Lan" presses the button whose label contains the text, on the newest staff card that has it (or, when no card shows it any more, on the newest card that showed it before an edit: a screen not yet refreshed); `staff> [Duyệt] on BL-000003` picks the card that names BL-000003; `staff Minh> [Từ chối]` is staff member "Minh" (cards sent before a `restart` cannot be pressed after it). A request card's buttons decide it; a case card's buttons (`[Nhận xử lý]`, `[Đã gọi được]`, `[Không nghe máy]`, `[Đã giải quyết]`, `[Chuyển bước 3]`, `[Đóng]`) act on the case |
//! | `staff in KN-000001> text` | staff member "Lan" writes `text` in the case as a reply to the customer's words or to its card (it goes to the customer); a text starting with `#note` is an internal note; `staff Minh in KN-000001> text` is "Minh" |
//! | `staff in topic KN-000001> text` | staff write `text` in the case's forum topic replying to nothing: it stays internal unless it starts with `/tl` |
//! | `staff file in KN-000001> anh.jpg` | staff send a file in the case, as `customer file>`; `anh.jpg \| caption` adds a caption |
//! | `staff> /cases` / `staff> /case KN-000001` | a staff command typed in the staff group |
//! | `housekeeping` | the scheduler's hourly personal-data work runs now (erasures due, staff reminders of erasures waiting, the retention purge); followed by `bot:`/`staff:` lines like a staff input |
//!
//! Assertions, about the messages sent since the last input:
//!
//! | line | passes when |
//! | --- | --- |
//! | `bot: text` | a message to the customer contains `text` (its buttons read `[label]`, a sent file `(file Photo anh.jpg)`, a file the bot made `(made file NAME)` followed by its content, the phone-sharing keyboard `(keyboard [label])`, and `(keyboard removed)` when it is taken away, an answer to an earlier message `(in reply to #12)`); several `bot:` lines match the same or later messages, in order |
//! | `no bot` | nothing was sent to the customer |
//! | `staff: text` | a message to the staff group contains `text` (the same rule, with its own order) |
//! | `staff edit: text` | the card the last staff input pressed was edited, and now contains `text` |
//! | `no staff` | nothing was sent to the staff group |
//! | `no bot: text` / `no staff: text` | no message sent since the last input to the customer / to the staff group contains `text` (e.g. a button that must not be offered: `no bot: [📅 Bảo lưu thay thế]`) |
//! | `toast: text` | the answer a staff member saw pop up after pressing contains `text` |
//! | `request BL-000001 is approved` | the stored request has this status (`approved`, `rejected`, `review`, `exception`, `staff_approved`, `staff_rejected`, `handoff`) |
//! | `requests: 2` | the customer has this many requests stored |
//! | `case KN-000001 is claimed` | the stored case has this status (`open`, `claimed`, `resolved`, `step3`, `closed`) |
//! | `cases: 1` | the customer has this many complaint cases stored |
//! | `not stored: text` | no text column of any table of the database holds `text` (case-insensitive) |
//!
//! Every input must be followed by at least one `bot:` line, or by `no bot` when the customer
//! is told nothing (a staff input may also be followed by `staff:` or `toast:` lines instead),
//! so no step of a transcript goes unchecked. Messages no line mentions are not an error, but
//! every message must fit in a Telegram message (4,096 characters; 1,024 for a file's caption).
//!
//! A failed line panics with the file, the line, and every message sent since the last input.
//! `TRANSCRIPT_SHOW=1 cargo test --test integration conversations -- --nocapture` prints the
//! whole conversation as it runs, which helps when writing a new transcript; with
//! `TRANSCRIPT_SHOW=draft` an assertion that does not hold is printed (`✗ line 12: …`) and the
//! transcript goes on to its end.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use chrono::TimeZone as _;
use cskh::dialogue::{Attachment, Input, Lang, MediaKind, Msg, Part};
use cskh::engine::{
    CaseAction, CaseActionOutcome, Incoming, StaffAction, StaffCaseAction, StaffMessage,
    StaffOutcome,
};
use cskh::policy::Params;
use cskh::store::{self, SeenUser};

use crate::support::{self, Sent, TestApp, STAFF_CHAT};

/// The customer of every transcript.
const CUSTOMER: i64 = 424_242;
const CUSTOMER_NAME: &str = "Nguyễn Thị Hoa";
const CUSTOMER_USERNAME: &str = "hoa_nguyen";
/// Telegram's limits on a message's text and on a caption, in characters.
const TELEGRAM_TEXT_CHARS: usize = 4_096;
const TELEGRAM_CAPTION_CHARS: usize = 1_024;
/// The columns of an `invoice:` line, as the company's spreadsheet names them.
const INVOICE_HEADER: &str =
    "Số hóa đơn;Tên khách hàng;Số điện thoại;Số tiền;Ngày thanh toán;Ngày thi công;Trạng thái";
/// The staff member who presses buttons when the transcript names nobody.
const STAFF_NAME: &str = "Lan";

// ---------------------------------------------------------------------------------------------
// The transcripts. One test per file.

#[tokio::test]
async fn an_approved_deferral_reads_as_in_its_transcript() {
    run_transcript("approved.txt").await;
}

#[tokio::test]
async fn a_request_on_the_last_day_of_the_window_is_approved() {
    run_transcript("approved_last_day.txt").await;
}

#[tokio::test]
async fn a_job_exactly_seven_days_away_is_approved() {
    run_transcript("approved_notice_boundary.txt").await;
}

#[tokio::test]
async fn a_company_that_confirms_every_deferral_gets_eligible_requests_to_confirm() {
    run_transcript("awaiting_confirmation.txt").await;
}

#[tokio::test]
async fn a_payment_more_than_sixty_days_ago_is_rejected_citing_the_window() {
    run_transcript("rejected_window.txt").await;
}

#[tokio::test]
async fn a_job_less_than_seven_days_away_is_rejected_citing_the_notice_rule() {
    run_transcript("rejected_notice.txt").await;
}

#[tokio::test]
async fn a_new_date_more_than_sixty_days_after_the_schedule_is_rejected() {
    run_transcript("rejected_max.txt").await;
}

#[tokio::test]
async fn a_reason_outside_the_policy_is_rejected() {
    run_transcript("rejected_reason.txt").await;
}

#[tokio::test]
async fn a_request_failing_several_rules_cites_them_all() {
    run_transcript("rejected_several_rules.txt").await;
}

#[tokio::test]
async fn a_rejected_customer_asks_for_an_exception_and_staff_approve_it() {
    run_transcript("exception_approved.txt").await;
}

#[tokio::test]
async fn a_family_hardship_waits_for_staff_who_approve_it() {
    run_transcript("review_approved.txt").await;
}

#[tokio::test]
async fn a_family_hardship_waits_for_staff_who_reject_it() {
    run_transcript("review_rejected.txt").await;
}

#[tokio::test]
async fn a_second_staff_press_on_a_decided_card_changes_nothing() {
    run_transcript("review_decided_twice.txt").await;
}

#[tokio::test]
async fn three_unreadable_answers_lead_to_a_person() {
    run_transcript("handoff.txt").await;
}

#[tokio::test]
async fn answers_are_read_inside_the_words_around_them() {
    run_transcript("answers_in_words.txt").await;
}

#[tokio::test]
async fn a_value_that_is_not_one_day_or_one_of_two_is_shown_back_never_guessed() {
    run_transcript("answers_shown_back.txt").await;
}

#[tokio::test]
async fn questions_get_their_answer_and_a_request_stays_a_request() {
    run_transcript("questions_not_forms.txt").await;
}

#[tokio::test]
async fn a_complaint_answered_in_words_is_read_and_the_stars_typed_count() {
    run_transcript("complaint_words_read.txt").await;
}

#[tokio::test]
async fn a_refund_answered_in_words_shows_what_was_read_in_its_summary() {
    run_transcript("refund_answers_in_words.txt").await;
}

#[tokio::test]
async fn bad_answers_are_explained_and_asked_again() {
    run_transcript("bad_inputs.txt").await;
}

#[tokio::test]
async fn stickers_voice_notes_and_long_messages_get_a_polite_answer() {
    run_transcript("media_and_long.txt").await;
}

#[tokio::test]
async fn a_customer_cancels_midway_with_huy() {
    run_transcript("cancel.txt").await;
}

#[tokio::test]
async fn a_customer_leaves_for_the_menu_and_resumes() {
    run_transcript("menu_resume.txt").await;
}

#[tokio::test]
async fn a_customer_corrects_one_field_from_the_summary() {
    run_transcript("edit_field.txt").await;
}

#[tokio::test]
async fn a_restart_midway_carries_on_from_the_same_question() {
    run_transcript("restart.txt").await;
}

#[tokio::test]
async fn trangthai_lists_the_customers_requests_with_their_status() {
    run_transcript("status.txt").await;
}

#[tokio::test]
async fn a_customer_who_writes_after_a_resolved_case_reopens_it_and_staff_see_the_words() {
    run_transcript("complaint_reply_after_resolved.txt").await;
}

#[tokio::test]
async fn staff_chatter_in_a_case_topic_stays_internal_and_only_a_reply_or_the_prefix_reaches_the_customer(
) {
    run_transcript("complaint_staff_chatter.txt").await;
}

#[tokio::test]
async fn a_customer_typing_without_diacritics_is_understood() {
    run_transcript("no_diacritics.txt").await;
}

#[tokio::test]
async fn an_english_speaking_customer_is_answered_in_english() {
    run_transcript("english.txt").await;
}

#[tokio::test]
async fn long_answers_the_bot_accepts_still_reach_staff() {
    run_transcript("long_answers_reach_staff.txt").await;
}

#[tokio::test]
async fn an_eligible_refund_goes_to_staff_who_confirm_it() {
    run_transcript("refund_eligible.txt").await;
}

#[tokio::test]
async fn a_refund_before_day_31_is_not_yet_and_a_deferral_can_be_taken_instead() {
    run_transcript("refund_not_yet.txt").await;
}

#[tokio::test]
async fn day_30_after_payment_is_too_early_for_a_refund_and_day_31_is_eligible() {
    run_transcript("refund_boundary.txt").await;
}

#[tokio::test]
async fn a_job_already_done_is_not_refunded_and_the_complaint_channel_is_offered() {
    run_transcript("refund_job_done.txt").await;
}

#[tokio::test]
async fn a_company_postponement_of_two_weeks_is_allowed_and_a_longer_one_goes_to_staff() {
    run_transcript("refund_company_postponed.txt").await;
}

#[tokio::test]
async fn own_reasons_get_no_refund_with_a_deferral_while_the_window_holds() {
    run_transcript("refund_own_reasons.txt").await;
}

#[tokio::test]
async fn a_refund_form_answered_by_typing_is_understood() {
    run_transcript("refund_typed_answers.txt").await;
}

#[tokio::test]
async fn policy_and_contact_in_the_middle_of_a_refund_form_carry_on_with_it() {
    run_transcript("refund_policy_and_contact.txt").await;
}

#[tokio::test]
async fn trangthai_lists_refund_requests_with_their_status() {
    run_transcript("refund_status.txt").await;
}

#[tokio::test]
async fn a_customer_typing_the_words_of_the_refund_buttons_is_understood() {
    run_transcript("refund_typed_button_words.txt").await;
}

#[tokio::test]
async fn an_own_reason_typed_as_the_cause_is_kept_and_not_read_as_the_companys_fault() {
    run_transcript("refund_typed_own_reason.txt").await;
}

#[tokio::test]
async fn postponement_dates_can_be_corrected_from_the_refund_summary() {
    run_transcript("refund_edit_postponement.txt").await;
}

#[tokio::test]
async fn questions_about_the_hotline_address_email_and_website_get_the_contact_card() {
    run_transcript("question_contact.txt").await;
}

#[tokio::test]
async fn can_i_get_a_refund_is_answered_with_both_refund_rules_and_the_refund_button() {
    run_transcript("question_refund.txt").await;
}

#[tokio::test]
async fn how_long_a_deferral_may_be_is_answered_with_the_maximum_the_window_and_the_notice() {
    run_transcript("question_defer_length.txt").await;
}

#[tokio::test]
async fn not_coming_on_the_deferred_date_is_explained_as_cancelling_the_contract() {
    run_transcript("question_missed_date.txt").await;
}

#[tokio::test]
async fn a_question_about_the_company_moving_the_date_is_answered_with_its_fourteen_days() {
    run_transcript("question_company_postpone.txt").await;
}

#[tokio::test]
async fn a_question_about_the_customers_photos_is_answered_with_the_records_rule() {
    run_transcript("question_photos.txt").await;
}

#[tokio::test]
async fn how_to_complain_is_answered_with_the_three_steps() {
    run_transcript("question_complaint.txt").await;
}

#[tokio::test]
async fn what_to_do_after_the_job_is_answered_with_the_aftercare_rule() {
    run_transcript("question_aftercare.txt").await;
}

#[tokio::test]
async fn a_question_in_a_deferral_is_answered_and_the_form_carries_on_to_a_decision() {
    run_transcript("question_in_deferral.txt").await;
}

#[tokio::test]
async fn a_question_in_a_refund_is_answered_and_the_form_carries_on_to_a_decision() {
    run_transcript("question_in_refund.txt").await;
}

#[tokio::test]
async fn text_the_bot_does_not_understand_can_go_to_staff_word_for_word() {
    run_transcript("question_not_understood.txt").await;
}

#[tokio::test]
async fn an_english_speaking_customer_asks_questions_in_english() {
    run_transcript("question_english.txt").await;
}

#[tokio::test]
async fn everyday_sentences_are_not_taken_for_questions_or_requests() {
    run_transcript("question_not_a_question.txt").await;
}

#[tokio::test]
async fn ask_staff_under_an_answer_passes_on_the_question_that_was_answered() {
    run_transcript("question_ask_staff_after_an_answer.txt").await;
}

#[tokio::test]
async fn common_wordings_of_the_questions_are_understood() {
    run_transcript("question_wordings_not_yet_understood.txt").await;
}

#[tokio::test]
async fn a_one_letter_typo_in_a_question_is_still_understood() {
    run_transcript("question_typos.txt").await;
}

#[tokio::test]
async fn a_complaint_is_taken_step_by_step_and_reaches_staff_with_the_customers_own_words() {
    run_transcript("complaint_intake.txt").await;
}

#[tokio::test]
async fn wrong_or_missing_complaint_answers_are_explained_and_asked_again() {
    run_transcript("complaint_intake_errors.txt").await;
}

#[tokio::test]
async fn a_complaint_cancelled_midway_records_nothing() {
    run_transcript("complaint_cancel.txt").await;
}

#[tokio::test]
async fn a_refund_asked_for_in_one_message_takes_its_invoice_and_payment_date_but_asks_the_cause() {
    run_transcript("refund_one_message.txt").await;
}

#[tokio::test]
async fn leaving_the_phone_question_takes_the_phone_sharing_keyboard_away() {
    run_transcript("complaint_leave_phone_step.txt").await;
}

#[tokio::test]
async fn a_complaint_description_that_sounds_like_a_question_is_kept_as_the_description() {
    run_transcript("complaint_description_kept.txt").await;
}

#[tokio::test]
async fn a_complaint_told_in_two_long_messages_reaches_staff_in_full() {
    run_transcript("complaint_long_description_in_full.txt").await;
}

#[tokio::test]
async fn a_complaint_starts_from_the_customers_own_words() {
    run_transcript("complaint_free_text.txt").await;
}

#[tokio::test]
async fn not_urgent_typed_in_words_is_a_normal_complaint() {
    run_transcript("complaint_urgency_typed.txt").await;
}

#[tokio::test]
async fn staff_and_the_customer_write_to_each_other_through_an_open_case() {
    run_transcript("complaint_relay.txt").await;
}

#[tokio::test]
async fn a_case_is_claimed_called_resolved_rated_and_closed() {
    run_transcript("complaint_life_cycle.txt").await;
}

#[tokio::test]
async fn a_case_moved_to_step_three_tells_the_customer_about_the_legal_authorities() {
    run_transcript("complaint_step3.txt").await;
}

#[tokio::test]
async fn a_second_claim_says_who_has_the_case_and_a_closed_cases_old_buttons_change_nothing() {
    run_transcript("complaint_claimed_twice.txt").await;
}

#[tokio::test]
async fn the_customer_closes_their_own_case_and_their_words_are_no_longer_relayed() {
    run_transcript("complaint_customer_closes.txt").await;
}

#[tokio::test]
async fn a_new_complaint_while_one_is_open_asks_whether_to_add_to_it_or_start_another() {
    run_transcript("complaint_second_case.txt").await;
}

#[tokio::test]
async fn staff_list_open_cases_oldest_first_and_read_one_cases_whole_history() {
    run_transcript("complaint_staff_commands.txt").await;
}

#[tokio::test]
async fn trangthai_lists_complaints_with_their_step_and_status() {
    run_transcript("complaint_status.txt").await;
}

#[tokio::test]
async fn with_two_open_cases_an_answer_to_staff_goes_to_the_case_that_wrote() {
    run_transcript("complaint_reply_to_the_case_that_wrote.txt").await;
}

#[tokio::test]
async fn words_for_an_open_case_that_sound_like_a_question_still_reach_the_case() {
    run_transcript("complaint_case_words_kept.txt").await;
}

#[tokio::test]
async fn case_with_an_unknown_number_names_the_number() {
    run_transcript("complaint_case_not_found.txt").await;
}

#[tokio::test]
async fn rating_a_case_in_the_middle_of_a_form_keeps_the_form() {
    run_transcript("complaint_rating_keeps_the_form.txt").await;
}

#[tokio::test]
async fn a_request_after_the_stars_is_handled_not_taken_for_a_comment() {
    run_transcript("complaint_rating_comment.txt").await;
}

#[tokio::test]
async fn a_deferral_for_an_invoice_in_the_registry_takes_its_dates_once_the_customer_confirms_them()
{
    run_transcript("registry_deferral_known.txt").await;
}

#[tokio::test]
async fn an_invoice_typed_in_words_or_picked_is_looked_up_in_the_company_list() {
    run_transcript("registry_invoice_in_words.txt").await;
}

#[tokio::test]
async fn a_deferral_for_an_invoice_in_the_registry_with_dates_the_customer_disputes_asks_for_them()
{
    run_transcript("registry_deferral_disputed.txt").await;
}

#[tokio::test]
async fn a_deferral_for_an_invoice_not_in_the_registry_asks_for_the_dates_and_tells_staff() {
    run_transcript("registry_deferral_unknown.txt").await;
}

#[tokio::test]
async fn a_done_or_cancelled_invoice_in_the_registry_cannot_be_deferred() {
    run_transcript("registry_deferral_refused.txt").await;
}

#[tokio::test]
async fn a_refund_for_an_invoice_in_the_registry_does_not_ask_for_the_payment_date() {
    run_transcript("registry_refund_known.txt").await;
}

#[tokio::test]
async fn a_complaint_from_the_phone_on_the_registry_invoice_shows_the_phone_as_matching() {
    run_transcript("registry_complaint_phone.txt").await;
}

#[tokio::test]
async fn a_complaint_from_another_phone_than_the_registry_invoice_shows_no_match() {
    run_transcript("registry_complaint_other_phone.txt").await;
}

#[tokio::test]
async fn a_day_of_requests_and_a_case_to_export_from_the_registry_reads_as_written() {
    run_transcript("registry_export.txt").await;
}

#[tokio::test]
async fn every_transcript_file_has_a_test() {
    let dir = transcripts_dir();
    let me = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/integration/conversations.rs"),
    )
    .expect("the runner's own source is readable");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/conversations exists") {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".txt") && !me.contains(&format!("run_transcript(\"{name}\")")) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "transcripts without a test in tests/integration/conversations.rs: {missing:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Reading a transcript.

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Today(NaiveDate),
    Lang(Lang),
    Param(String),
    Restart,
    /// `privacy: ask`: the notice is shown and consent asked, as in a real deployment (the
    /// other transcripts run as a company that holds its customers' consent on file).
    PrivacyAsk,
    /// `housekeeping`: the scheduler's personal-data work runs now (erasures due, purges).
    Housekeeping,
    /// `not stored: text`: no text column of any table holds `text`.
    NotStored(String),
    /// One row of the invoice registry, imported (semicolon-separated, Vietnamese columns).
    Invoice(String),
    Customer(Said),
    Staff {
        name: String,
        label: String,
        /// Only a card whose text contains this (`on BL-000003`).
        on: Option<String>,
    },
    /// A staff member writes in a case (its topic, or in reply to its card).
    StaffSays {
        name: String,
        case: String,
        text: Option<String>,
        file: Option<String>,
        /// A reply to the customer's words or the card (`in`), or a plain message in the
        /// case's topic that replies to nothing (`in topic`).
        answers_customer: bool,
    },
    /// `/cases` or `/case KN-000001` in the staff group.
    StaffCommand(String),
    /// The clock moves to this time of the current day (Vietnam time).
    Time(chrono::NaiveTime),
    CaseIs {
        number: String,
        status: String,
    },
    Cases(usize),
    Bot(String),
    NoBot,
    StaffSaw(String),
    StaffEdit(String),
    NoStaff,
    /// No message to the customer since the last input contains this.
    NoBotSaying(String),
    /// No message to the staff group since the last input contains this.
    NoStaffSaying(String),
    Toast(String),
    RequestIs {
        number: String,
        status: String,
    },
    Requests(usize),
}

/// What the customer does.
#[derive(Debug, Clone, PartialEq)]
enum Said {
    Text(String),
    Press {
        label: String,
        /// An earlier message whose text contains this, instead of the last one with buttons.
        on: Option<String>,
    },
    File {
        name: String,
        caption: Option<String>,
    },
    Sticker,
    Voice,
    Contact(String),
    Long(usize),
}

impl Kind {
    fn is_input(&self) -> bool {
        matches!(
            self,
            Kind::Customer(_)
                | Kind::Staff { .. }
                | Kind::StaffSays { .. }
                | Kind::StaffCommand(_)
                | Kind::Housekeeping
        )
    }

    fn is_staff_input(&self) -> bool {
        matches!(
            self,
            Kind::Staff { .. }
                | Kind::StaffSays { .. }
                | Kind::StaffCommand(_)
                | Kind::Housekeeping
        )
    }
}

#[derive(Debug, Clone)]
struct Line {
    no: usize,
    raw: String,
    kind: Kind,
}

fn transcripts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conversations")
}

fn strip_comment(line: &str) -> &str {
    let cut = [line.find("  #"), line.find("\t#")]
        .into_iter()
        .flatten()
        .min();
    match cut {
        Some(i) => &line[..i],
        None => line,
    }
}

fn parse_line(line: &str) -> Result<Option<Kind>, String> {
    let line = strip_comment(line).trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    // Inputs: "who [how]> rest", with no ':' before the '>'.
    if let Some((head, rest)) = line.split_once('>') {
        if !head.contains(':') {
            let rest = rest.trim();
            let mut words = head.split_whitespace();
            let who = words.next().unwrap_or("");
            let mut how: Vec<&str> = words.collect();
            // `staff in topic KN-000001>`: a plain message in the case's topic.
            let in_topic = who == "staff"
                && how.len() >= 3
                && how[how.len() - 3..how.len() - 1] == ["in", "topic"];
            if in_topic {
                how.remove(how.len() - 2);
            }
            return match (who, how.as_slice()) {
                ("customer", []) => Ok(Some(Kind::Customer(
                    match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
                        Some((label, "")) => Said::Press {
                            label: label.trim().to_string(),
                            on: None,
                        },
                        Some((label, after)) if after.trim_start().starts_with("on ") => {
                            Said::Press {
                                label: label.trim().to_string(),
                                on: Some(after.trim_start()[3..].trim().to_string()),
                            }
                        }
                        _ if rest.is_empty() => return Err("empty customer message".into()),
                        _ => Said::Text(rest.to_string()),
                    },
                ))),
                ("customer", ["file"]) => {
                    let (name, caption) = match rest.split_once('|') {
                        Some((n, c)) => (n.trim(), Some(c.trim().to_string())),
                        None => (rest, None),
                    };
                    if name.is_empty() {
                        return Err("`customer file>` needs a file name".into());
                    }
                    Ok(Some(Kind::Customer(Said::File {
                        name: name.to_string(),
                        caption,
                    })))
                }
                ("customer", ["sticker"]) => Ok(Some(Kind::Customer(Said::Sticker))),
                ("customer", ["voice"]) => Ok(Some(Kind::Customer(Said::Voice))),
                ("customer", ["contact"]) => {
                    Ok(Some(Kind::Customer(Said::Contact(rest.to_string()))))
                }
                ("customer", ["long"]) => rest
                    .parse()
                    .map(|n| Some(Kind::Customer(Said::Long(n))))
                    .map_err(|_| "`customer long>` needs a number of characters".into()),
                ("staff", [name @ .., "in", case]) => {
                    let answers_customer = !in_topic;
                    let (name, file) = match name {
                        [n @ .., "file"] => (n, true),
                        n => (n, false),
                    };
                    let name = if name.is_empty() {
                        STAFF_NAME.to_string()
                    } else {
                        name.join(" ")
                    };
                    let (text, file) = if file {
                        let (n, c) = match rest.split_once('|') {
                            Some((n, c)) => (n.trim(), Some(c.trim().to_string())),
                            None => (rest, None),
                        };
                        if n.is_empty() {
                            return Err("`staff file in KN-000001>` needs a file name".into());
                        }
                        (c, Some(n.to_string()))
                    } else if rest.is_empty() {
                        return Err("empty staff message".into());
                    } else {
                        (Some(rest.to_string()), None)
                    };
                    Ok(Some(Kind::StaffSays {
                        name,
                        case: case.to_string(),
                        text,
                        file,
                        answers_customer,
                    }))
                }
                ("staff", []) if rest.starts_with('/') => {
                    Ok(Some(Kind::StaffCommand(rest.to_string())))
                }
                ("staff", name) => {
                    let (label, after) = rest
                        .strip_prefix('[')
                        .and_then(|r| r.split_once(']'))
                        .ok_or(
                            "a staff input is a button press `staff> [Duyệt]`, a command \
                             `staff> /cases`, or words in a case `staff in KN-000001> …`",
                        )?;
                    let on = match after.trim() {
                        "" => None,
                        a => Some(
                            a.strip_prefix("on ")
                                .ok_or("expected `staff> [Duyệt] on BL-000001`")?
                                .trim()
                                .to_string(),
                        ),
                    };
                    let name = if name.is_empty() {
                        STAFF_NAME.to_string()
                    } else {
                        name.join(" ")
                    };
                    Ok(Some(Kind::Staff {
                        name,
                        label: label.trim().to_string(),
                        on,
                    }))
                }
                _ => Err(format!("unknown input `{head}>`")),
            };
        }
    }
    match line {
        "no bot" => return Ok(Some(Kind::NoBot)),
        "no staff" => return Ok(Some(Kind::NoStaff)),
        "restart" => return Ok(Some(Kind::Restart)),
        "privacy: ask" => return Ok(Some(Kind::PrivacyAsk)),
        "housekeeping" => return Ok(Some(Kind::Housekeeping)),
        _ => {}
    }
    if let Some(rest) = line.strip_prefix("not stored: ") {
        return Ok(Some(Kind::NotStored(rest.trim().to_string())));
    }
    if let Some(rest) = line.strip_prefix("case ") {
        let (number, status) = rest
            .split_once(" is ")
            .ok_or("expected `case KN-000001 is claimed`")?;
        return Ok(Some(Kind::CaseIs {
            number: number.trim().to_string(),
            status: status.trim().to_string(),
        }));
    }
    if let Some(rest) = line.strip_prefix("request ") {
        let (number, status) = rest
            .split_once(" is ")
            .ok_or("expected `request BL-000001 is approved`")?;
        return Ok(Some(Kind::RequestIs {
            number: number.trim().to_string(),
            status: status.trim().to_string(),
        }));
    }
    let (key, value) = line
        .split_once(':')
        .ok_or_else(|| format!("cannot read this line: `{line}`"))?;
    let value = value.trim().to_string();
    let need = |v: &str| {
        if v.is_empty() {
            Err(format!("`{key}:` needs a text"))
        } else {
            Ok(())
        }
    };
    Ok(Some(match key.trim() {
        "today" => Kind::Today(
            NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                .map_err(|_| "`today:` takes a date as 2026-11-24".to_string())?,
        ),
        "lang" => Kind::Lang(Lang::from_code(&value).ok_or("`lang:` is vi or en")?),
        "param" => Kind::Param(value),
        "invoice" => {
            need(&value)?;
            Kind::Invoice(value)
        }
        "time" => Kind::Time(
            chrono::NaiveTime::parse_from_str(&value, "%H:%M")
                .map_err(|_| "`time:` takes a time of day as 14:30".to_string())?,
        ),
        "bot" => {
            need(&value)?;
            Kind::Bot(value)
        }
        "staff" => {
            need(&value)?;
            Kind::StaffSaw(value)
        }
        "no bot" => {
            need(&value)?;
            Kind::NoBotSaying(value)
        }
        "no staff" => {
            need(&value)?;
            Kind::NoStaffSaying(value)
        }
        "staff edit" => {
            need(&value)?;
            Kind::StaffEdit(value)
        }
        "toast" => {
            need(&value)?;
            Kind::Toast(value)
        }
        "requests" => Kind::Requests(
            value
                .parse()
                .map_err(|_| "`requests:` takes a number".to_string())?,
        ),
        "cases" => Kind::Cases(
            value
                .parse()
                .map_err(|_| "`cases:` takes a number".to_string())?,
        ),
        other => return Err(format!("unknown line kind `{other}:`")),
    }))
}

/// Reads a transcript and checks its shape: a date first, no step left unchecked.
fn parse(name: &str, source: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        match parse_line(raw) {
            Ok(Some(kind)) => lines.push(Line {
                no: i + 1,
                raw: raw.trim().to_string(),
                kind,
            }),
            Ok(None) => {}
            Err(e) => errors.push(format!("line {}: {e}\n    {}", i + 1, raw.trim())),
        }
    }
    let first_input = lines.iter().position(|l| l.kind.is_input());
    match lines.iter().position(|l| matches!(l.kind, Kind::Today(_))) {
        Some(t) if first_input.is_none_or(|i| t < i) => {}
        _ => errors.push("a transcript starts with `today: YYYY-MM-DD`".into()),
    }
    for (i, l) in lines.iter().enumerate() {
        let before_input = first_input.is_none_or(|f| i < f);
        match &l.kind {
            Kind::Lang(_) | Kind::Param(_) | Kind::PrivacyAsk if !before_input => {
                errors.push(format!(
                    "line {}: `lang:` and `param:` go before the first input",
                    l.no
                ))
            }
            Kind::Bot(_)
            | Kind::NoBot
            | Kind::StaffSaw(_)
            | Kind::StaffEdit(_)
            | Kind::NoStaff
            | Kind::NoBotSaying(_)
            | Kind::NoStaffSaying(_)
            | Kind::Toast(_)
                if before_input =>
            {
                errors.push(format!("line {}: an assertion before any input", l.no))
            }
            k if k.is_input() => {
                let staff = k.is_staff_input();
                let checked = lines[i + 1..]
                    .iter()
                    .take_while(|n| !n.kind.is_input() && n.kind != Kind::Restart)
                    .any(|n| match n.kind {
                        Kind::Bot(_) | Kind::NoBot => true,
                        Kind::StaffSaw(_) | Kind::StaffEdit(_) | Kind::NoStaff | Kind::Toast(_) => {
                            staff
                        }
                        _ => false,
                    });
                if !checked {
                    errors.push(format!(
                        "line {}: `{}` is not followed by a `bot:` line (or `no bot`)",
                        l.no, l.raw
                    ));
                }
            }
            _ => {}
        }
    }
    assert!(
        errors.is_empty(),
        "tests/conversations/{name} cannot be read:\n  {}",
        errors.join("\n  ")
    );
    lines
}

// ---------------------------------------------------------------------------------------------
// Running it.

/// Runs `tests/conversations/<name>` and panics on the first line that does not hold; returns
/// the app, so that a test can look further at what the conversation stored.
pub async fn run_transcript(name: &str) -> TestApp {
    let path = transcripts_dir().join(name);
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let lines = parse(name, &source);
    let mut run = Run::start(name, &lines).await;
    for line in &lines {
        run.line(line).await;
    }
    run.app
}

struct Run {
    name: String,
    show: bool,
    /// `TRANSCRIPT_SHOW=draft`: failed assertions are printed, not fatal.
    draft: bool,
    app: TestApp,
    today: NaiveDate,
    params: Params,
    user: SeenUser,
    /// Every message sent since the transcript began, across restarts.
    history: Vec<Sent>,
    /// The messages sent since the last input, and the input itself.
    since: Vec<Sent>,
    last_input: Option<Line>,
    bot_cursor: usize,
    staff_cursor: usize,
    toast: Option<String>,
    /// The staff card the last staff input pressed a button on.
    pressed_card: Option<i64>,
    /// `history.len()` at the last restart.
    restarted_at: usize,
    /// The notice is shown and consent asked (`privacy: ask`).
    privacy_ask: bool,
}

/// An app for a transcript: consent on file, or asked (`privacy: ask`).
async fn app_on(db: &str, today: NaiveDate, params: &Params, privacy_ask: bool) -> TestApp {
    let mut settings = support::settings(params.clone());
    if privacy_ask {
        settings.privacy = cskh::dialogue::privacy::PrivacySettings::default();
    }
    TestApp::with_settings(db, today, settings).await
}

impl Run {
    async fn start(name: &str, lines: &[Line]) -> Run {
        let mut today = None;
        let mut lang = Lang::Vi;
        let mut params_toml = String::new();
        let mut privacy_ask = false;
        for l in lines.iter().take_while(|l| !l.kind.is_input()) {
            match &l.kind {
                Kind::PrivacyAsk => privacy_ask = true,
                Kind::Today(d) => today = today.or(Some(*d)),
                Kind::Lang(code) => lang = *code,
                Kind::Param(p) => {
                    params_toml.push_str(p);
                    params_toml.push('\n');
                }
                _ => {}
            }
        }
        let params: Params = toml::from_str(&params_toml)
            .unwrap_or_else(|e| panic!("tests/conversations/{name}: bad `param:` line: {e}"));
        let today = today.expect("checked by parse");
        let app = app_on(&support::memory_db(), today, &params, privacy_ask).await;
        Run {
            privacy_ask,
            name: name.to_string(),
            show: std::env::var_os("TRANSCRIPT_SHOW").is_some(),
            draft: std::env::var("TRANSCRIPT_SHOW").is_ok_and(|v| v == "draft"),
            app,
            today,
            params,
            user: SeenUser {
                channel: "telegram".into(),
                external_id: CUSTOMER.to_string(),
                address: CUSTOMER.to_string(),
                name: CUSTOMER_NAME.to_string(),
                username: Some(CUSTOMER_USERNAME.to_string()),
                lang,
            },
            history: Vec::new(),
            since: Vec::new(),
            last_input: None,
            bot_cursor: 0,
            staff_cursor: 0,
            toast: None,
            pressed_card: None,
            restarted_at: 0,
        }
    }

    async fn line(&mut self, line: &Line) {
        if self.show {
            println!("{:>4} | {}", line.no, line.raw);
        }
        match &line.kind {
            Kind::Lang(_) | Kind::Param(_) | Kind::PrivacyAsk => {}
            Kind::Housekeeping => {
                self.begin_input(line);
                self.app
                    .engine
                    .run_privacy_housekeeping()
                    .await
                    .unwrap_or_else(|e| self.fail(line, &format!("the engine failed: {e}")));
                self.collect().await;
            }
            Kind::NotStored(text) => {
                let found = support::text_columns_containing(&self.app.engine.store, text).await;
                if !found.is_empty() {
                    self.fail(line, &format!("{text:?} is still stored in {found:?}"));
                }
            }
            Kind::Today(d) => {
                self.today = *d;
                self.app.clock.set(support::vn_morning(*d));
            }
            Kind::Restart => self.restart().await,
            Kind::Invoice(row) => {
                let csv = format!("{INVOICE_HEADER}\n{row}\n");
                let read = cskh::registry::read_invoices(&csv)
                    .unwrap_or_else(|e| self.fail(line, &format!("the row cannot be read: {e}")));
                if !read.bad.is_empty() {
                    self.fail(line, &format!("a bad invoice row: {:?}", read.bad));
                }
                let now = cskh::engine::Clock::now(&*self.app.clock).timestamp();
                cskh::registry::import(&self.app.engine.store, &read, false, now)
                    .await
                    .unwrap_or_else(|e| self.fail(line, &format!("the import failed: {e}")));
            }
            Kind::Customer(said) => {
                let input = self.customer_input(line, said);
                self.begin_input(line);
                self.app
                    .engine
                    .handle(Incoming {
                        key: None,
                        user: self.user.clone(),
                        input,
                    })
                    .await
                    .unwrap_or_else(|e| self.fail(line, &format!("the engine failed: {e}")));
                self.collect().await;
            }
            Kind::Time(t) => {
                let at = chrono_tz::Asia::Ho_Chi_Minh
                    .from_local_datetime(&self.today.and_time(*t))
                    .single()
                    .expect("a time of day in Vietnam")
                    .with_timezone(&chrono::Utc);
                self.app.clock.set(at);
            }
            Kind::Staff { name, label, on } => {
                let (card, data) = self.staff_button(line, label, on.as_deref());
                self.begin_input(line);
                self.pressed_card = Some(card);
                let toast = if let Some((approve, request_id)) = parse_staff_data(&data) {
                    let outcome = self
                        .app
                        .engine
                        .staff_decide(StaffAction {
                            key: None,
                            staff_id: staff_id(name),
                            staff_name: name.clone(),
                            request_id,
                            approve,
                            card: Some((STAFF_CHAT, card)),
                        })
                        .await
                        .unwrap_or_else(|e| self.fail(line, &format!("the engine failed: {e}")));
                    self.toast_text(outcome)
                } else if let Some((action, case_id)) = CaseAction::parse(&data) {
                    let outcome = self
                        .app
                        .engine
                        .staff_case_action(StaffCaseAction {
                            key: None,
                            staff_id: staff_id(name),
                            staff_name: name.clone(),
                            case_id,
                            action,
                        })
                        .await
                        .unwrap_or_else(|e| self.fail(line, &format!("the engine failed: {e}")));
                    self.case_toast_text(action, outcome)
                } else {
                    self.fail(line, &format!("not a staff button: {data}"))
                };
                self.toast = Some(toast);
                self.collect().await;
            }
            Kind::StaffSays {
                name,
                case,
                text,
                file,
                answers_customer,
            } => {
                let case_id =
                    number_id(case).unwrap_or_else(|| self.fail(line, "not a case number"));
                self.begin_input(line);
                let media = file.iter().map(|f| attachment(f)).collect();
                self.app
                    .engine
                    .staff_case_message(StaffMessage {
                        key: None,
                        staff_id: staff_id(name),
                        staff_name: name.clone(),
                        case_id,
                        text: text.clone(),
                        media,
                        answers_customer: *answers_customer,
                        source: None,
                        edited: false,
                    })
                    .await
                    .unwrap_or_else(|e| self.fail(line, &format!("the engine failed: {e}")));
                self.collect().await;
            }
            Kind::StaffCommand(text) => {
                self.begin_input(line);
                let known = self
                    .app
                    .engine
                    .staff_command(None, None, text)
                    .await
                    .unwrap_or_else(|e| self.fail(line, &format!("the engine failed: {e}")));
                if !known {
                    self.fail(line, "not a staff command");
                }
                self.collect().await;
            }
            Kind::Bot(text) => {
                let found = self.find(true, self.bot_cursor, text);
                match found {
                    Some(i) => self.bot_cursor = i,
                    None => self.miss(line, "no message to the customer contains this"),
                }
            }
            Kind::StaffSaw(text) => {
                let found = self.find(false, self.staff_cursor, text);
                match found {
                    Some(i) => self.staff_cursor = i,
                    None => self.miss(line, "no message to the staff group contains this"),
                }
            }
            Kind::StaffEdit(text) => {
                let Some(card) = self.pressed_card else {
                    self.fail(line, "no staff button was pressed by the last input")
                };
                let found = self
                    .since
                    .iter()
                    .enumerate()
                    .skip(self.staff_cursor)
                    .find(|(_, s)| {
                        s.chat_id == STAFF_CHAT
                            && s.msg.edit_message_id == Some(card)
                            && searchable(s).contains(text.as_str())
                    });
                match found {
                    Some((i, _)) => self.staff_cursor = i,
                    None => self.miss(
                        line,
                        &format!("no edit of the pressed card #{card} contains this"),
                    ),
                }
            }
            Kind::NoBot => {
                if self.since.iter().any(|s| s.chat_id == CUSTOMER) {
                    self.miss(line, "the customer was sent something");
                }
            }
            Kind::NoBotSaying(text) | Kind::NoStaffSaying(text) => {
                let customer = matches!(line.kind, Kind::NoBotSaying(_));
                if self.find(customer, 0, text).is_some() {
                    self.miss(
                        line,
                        if customer {
                            "a message to the customer contains this"
                        } else {
                            "a message to the staff group contains this"
                        },
                    );
                }
            }
            Kind::NoStaff => {
                if self.since.iter().any(|s| s.chat_id == STAFF_CHAT) {
                    self.miss(line, "the staff group was sent something");
                }
            }
            Kind::Toast(text) => match &self.toast {
                Some(t) if t.contains(text.as_str()) => {}
                Some(t) => self.miss(line, &format!("the staff member saw: {t}")),
                None => self.fail(line, "no staff button was pressed since the last input"),
            },
            Kind::RequestIs { number, status } => self.check_request(line, number, status).await,
            Kind::CaseIs { number, status } => self.check_case(line, number, status).await,
            Kind::Cases(n) => {
                let mut tx = self.app.engine.store.begin().await.unwrap();
                let customer = customer_id(&mut tx).await;
                let cases = store::customer_cases(&mut tx, customer, self.app.engine.settings.tz)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                if cases.len() != *n {
                    let list: Vec<String> = cases
                        .iter()
                        .map(|c| format!("{} {}", c.number(), c.status.code()))
                        .collect();
                    self.miss(
                        line,
                        &format!("the customer has {} cases: {list:?}", cases.len()),
                    );
                }
            }
            Kind::Requests(n) => {
                let mut tx = self.app.engine.store.begin().await.unwrap();
                let customer = customer_id(&mut tx).await;
                let requests =
                    store::customer_requests(&mut tx, customer, self.app.engine.settings.tz)
                        .await
                        .unwrap();
                tx.commit().await.unwrap();
                if requests.len() != *n {
                    let list: Vec<String> = requests
                        .iter()
                        .map(|r| format!("{} {}", r.number(), r.status.code()))
                        .collect();
                    self.miss(
                        line,
                        &format!("the customer has {} requests: {list:?}", requests.len()),
                    );
                }
            }
        }
    }

    fn begin_input(&mut self, line: &Line) {
        self.since.clear();
        self.bot_cursor = 0;
        self.staff_cursor = 0;
        self.toast = None;
        self.pressed_card = None;
        self.last_input = Some(line.clone());
    }

    /// Delivers what the input produced and records it.
    async fn collect(&mut self) {
        self.app.delivery.flush().await;
        let sent = self.app.recorder.take();
        if self.show {
            for s in &sent {
                println!("{}", indent(&describe(s), "     | "));
            }
        }
        self.history.extend(sent.iter().cloned());
        self.since = sent;
        self.check_sizes();
    }

    /// Telegram refuses a text over 4,096 characters and a caption over 1,024: a message that
    /// long would never arrive, whatever the transcript says about it.
    fn check_sizes(&self) {
        for s in &self.since {
            let chars = s.msg.text.chars().count();
            let limit = if s.msg.attachment.is_some() {
                TELEGRAM_CAPTION_CHARS
            } else {
                TELEGRAM_TEXT_CHARS
            };
            if chars > limit {
                let line = self
                    .last_input
                    .clone()
                    .expect("sizes are checked after an input");
                self.fail(
                    &line,
                    &format!(
                        "a message of {chars} characters was sent; Telegram refuses more than {limit}"
                    ),
                );
            }
        }
    }

    async fn restart(&mut self) {
        let db = self.app.db.clone();
        let next = app_on(&db, self.today, &self.params, self.privacy_ask).await;
        let old = std::mem::replace(&mut self.app, next);
        old.engine.store.close().await;
        drop(old);
        self.restarted_at = self.history.len();
        // Whatever was left unsent goes out on start, as in production.
        self.app.delivery.flush().await;
        let sent = self.app.recorder.take();
        self.history.extend(sent.iter().cloned());
        self.since.extend(sent);
    }

    fn customer_input(&self, line: &Line, said: &Said) -> Input {
        match said {
            Said::Text(t) => Input::Text(t.clone()),
            Said::Long(n) => {
                let filler = "Tôi muốn hỏi thêm về lịch thi công. ";
                Input::Text(filler.chars().cycle().take(*n).collect())
            }
            Said::Press { label, on } => {
                Input::Button(self.customer_button(line, label, on.as_deref()).into())
            }
            Said::File { name, caption } => Input::Media {
                attachment: attachment(name),
                caption: caption.clone(),
            },
            Said::Sticker => Input::Media {
                attachment: Attachment {
                    kind: MediaKind::Sticker,
                    file_id: "sticker:smile".into(),
                    file_name: None,
                },
                caption: None,
            },
            Said::Voice => Input::Media {
                attachment: Attachment {
                    kind: MediaKind::Voice,
                    file_id: "voice:1".into(),
                    file_name: None,
                },
                caption: None,
            },
            Said::Contact(phone) => Input::Contact {
                phone: phone.clone(),
            },
        }
    }

    /// The callback data of a button on the last message the customer got with buttons (or on
    /// the last one with that button whose text contains `on`: an older message still on the
    /// screen).
    fn customer_button(&self, line: &Line, label: &str, on: Option<&str>) -> String {
        let has = |s: &Sent| {
            s.msg
                .buttons
                .iter()
                .flatten()
                .any(|(l, _)| l.contains(label))
        };
        let Some(last) = self.history.iter().rev().find(|s| {
            s.chat_id == CUSTOMER
                && !s.msg.buttons.is_empty()
                && on.is_none_or(|o| s.msg.text.contains(o) && has(s))
        }) else {
            self.fail(
                line,
                match on {
                    None => "the customer has no message with buttons",
                    Some(_) => "no message to the customer that contains this text has this button",
                },
            )
        };
        let found = last
            .msg
            .buttons
            .iter()
            .flatten()
            .find(|(l, _)| l.contains(label));
        match found {
            Some((_, data)) => data.clone(),
            None => self.fail(
                line,
                &format!(
                    "no button contains this on the customer's last message with buttons:\n{}",
                    indent(&describe(last), "    ")
                ),
            ),
        }
    }

    /// The card (message id) and callback data of a staff button: on the newest card that shows
    /// it now, or else on the newest card that showed it before being edited (a staff member
    /// whose screen still shows the old buttons).
    fn staff_button(&self, line: &Line, label: &str, on: Option<&str>) -> (i64, String) {
        let staff: Vec<(usize, &Sent)> = self
            .history
            .iter()
            .enumerate()
            .filter(|(_, s)| s.chat_id == STAFF_CHAT)
            .collect();
        let current = |i: usize, s: &Sent| {
            !staff
                .iter()
                .any(|(j, t)| *j > i && t.message_id == s.message_id)
        };
        let button = |s: &Sent| {
            if on.is_some_and(|o| !s.msg.text.contains(o)) {
                return None;
            }
            s.msg
                .buttons
                .iter()
                .flatten()
                .find(|(l, _)| l.contains(label))
                .map(|(_, data)| data.clone())
        };
        let found = staff
            .iter()
            .rev()
            .filter(|(i, s)| current(*i, s))
            .find_map(|(i, s)| button(s).map(|d| (*i, s.message_id, d)))
            .or_else(|| {
                staff
                    .iter()
                    .rev()
                    .find_map(|(i, s)| button(s).map(|d| (*i, s.message_id, d)))
            });
        match found {
            Some((i, _, _)) if i < self.restarted_at => self.fail(
                line,
                "this card was sent before a `restart`: the runner numbers messages afresh after \
                 one, so it cannot press it",
            ),
            Some((_, card, data)) => (card, data),
            None => self.fail(line, "no staff card has a button containing this"),
        }
    }

    /// The first message at or after `from` (to the customer or to staff) that contains `text`.
    fn find(&self, customer: bool, from: usize, text: &str) -> Option<usize> {
        let chat = if customer { CUSTOMER } else { STAFF_CHAT };
        self.since
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, s)| s.chat_id == chat && searchable(s).contains(text))
            .map(|(i, _)| i)
    }

    fn toast_text(&self, outcome: StaffOutcome) -> String {
        let engine = &self.app.engine;
        let lang = engine.settings.staff_lang;
        let part = match outcome {
            StaffOutcome::Decided { request, approved } => Part::new(if approved {
                "staff-toast-approved"
            } else {
                "staff-toast-rejected"
            })
            .str("request", request),
            StaffOutcome::AlreadyDecided { request, by, .. } => Part::new("staff-toast-already")
                .str("request", request)
                .str("by", by.unwrap_or_else(|| "-".into())),
            StaffOutcome::NotFound => Part::new("staff-bad-button"),
            StaffOutcome::Duplicate => Part::new("staff-toast-duplicate"),
        };
        engine.text(lang, &Msg::new(part))
    }

    fn case_toast_text(&self, action: CaseAction, outcome: CaseActionOutcome) -> String {
        let engine = &self.app.engine;
        let lang = engine.settings.staff_lang;
        // As the Telegram channel words it (src/channels/telegram.rs).
        let part = match outcome {
            CaseActionOutcome::Done { case } => Part::new("case-toast-done")
                .str("case", case)
                .msg("action", &format!("case-action-{}", action.code())),
            CaseActionOutcome::AlreadyClaimed { case, by } => Part::new("case-toast-claimed")
                .str("case", case)
                .str("by", by),
            CaseActionOutcome::NotNow { case, status } => Part::new("case-toast-not-now")
                .str("case", case)
                .msg("status", &format!("case-status-{}", status.code())),
            CaseActionOutcome::NotFound => Part::new("staff-bad-button"),
            CaseActionOutcome::Duplicate => Part::new("staff-toast-duplicate"),
        };
        engine.text(lang, &Msg::new(part))
    }

    async fn check_case(&self, line: &Line, number: &str, status: &str) {
        let id = number_id(number).unwrap_or_else(|| self.fail(line, "not a case number"));
        let case = self
            .app
            .engine
            .store
            .case(id)
            .await
            .unwrap()
            .unwrap_or_else(|| self.fail(line, "no such case is stored"));
        if case.number() != number || case.status.code() != status {
            self.miss(
                line,
                &format!(
                    "stored: {} is {} (step {}, claimed by {:?})",
                    case.number(),
                    case.status.code(),
                    case.step,
                    case.claimed_by
                ),
            );
        }
    }

    async fn check_request(&self, line: &Line, number: &str, status: &str) {
        let id = number_id(number).unwrap_or_else(|| self.fail(line, "not a request number"));
        let req = self
            .app
            .engine
            .store
            .request(id)
            .await
            .unwrap()
            .unwrap_or_else(|| self.fail(line, "no such request is stored"));
        if req.number() != number || req.status.code() != status {
            self.miss(
                line,
                &format!(
                    "stored: {} is {} (decided by {:?})",
                    req.number(),
                    req.status.code(),
                    req.decided_by
                ),
            );
        }
    }

    /// An assertion that does not hold: fails, or with `TRANSCRIPT_SHOW=draft` is only printed,
    /// so that a draft transcript runs to its end.
    fn miss(&self, line: &Line, why: &str) {
        if self.draft {
            println!("     ✗ line {}: {why}", line.no);
        } else {
            self.fail(line, why)
        }
    }

    /// Panics with the transcript line and everything sent since the last input.
    fn fail(&self, line: &Line, why: &str) -> ! {
        let mut report = String::new();
        let _ = writeln!(
            report,
            "\ntranscript tests/conversations/{}, line {}:\n    {}\n{why}\n",
            self.name, line.no, line.raw
        );
        match &self.last_input {
            Some(input) => {
                let _ = writeln!(
                    report,
                    "messages sent since the last input (line {}: {}):",
                    input.no, input.raw
                );
            }
            None => report.push_str("no input yet; messages sent so far:\n"),
        }
        if self.since.is_empty() {
            report.push_str("    (none)\n");
        }
        for s in &self.since {
            let _ = writeln!(report, "{}", indent(&describe(s), "    "));
        }
        if let Some(t) = &self.toast {
            let _ = writeln!(report, "    (staff toast) {t}");
        }
        panic!("{report}");
    }
}

/// The store's id of the transcript's customer (one that matches nothing before they wrote).
async fn customer_id(conn: &mut store::Conn) -> i64 {
    store::customer_of_identity(conn, "telegram", &CUSTOMER.to_string())
        .await
        .unwrap()
        .unwrap_or(-1)
}

fn parse_staff_data(data: &str) -> Option<(bool, i64)> {
    let mut it = data.split(':');
    match (
        it.next(),
        it.next(),
        it.next().map(str::parse::<i64>),
        it.next(),
    ) {
        (Some("s"), Some(a @ ("a" | "r")), Some(Ok(id)), None) => Some((a == "a", id)),
        _ => None,
    }
}

/// `BL-000003` / `KN-000001` → 3 / 1.
fn number_id(number: &str) -> Option<i64> {
    number
        .rsplit('-')
        .next()
        .and_then(|n| n.parse::<i64>().ok())
}

/// A file by its name: a photo (`.jpg`, `.jpeg`, `.png`) or a document.
fn attachment(name: &str) -> Attachment {
    let lower = name.to_lowercase();
    let photo = [".jpg", ".jpeg", ".png"].iter().any(|e| lower.ends_with(e));
    Attachment {
        kind: if photo {
            MediaKind::Photo
        } else {
            MediaKind::Document
        },
        file_id: format!("file:{name}"),
        file_name: Some(name.to_string()),
    }
}

/// A stable id per staff name.
fn staff_id(name: &str) -> i64 {
    9_000 + name.bytes().map(i64::from).sum::<i64>()
}

/// A message as `bot:`/`staff:` lines search it: the text, then its buttons as `[label]`.
fn searchable(s: &Sent) -> String {
    let mut text = s.msg.text.clone();
    for row in &s.msg.buttons {
        text.push('\n');
        let labels: Vec<String> = row.iter().map(|(l, _)| format!("[{l}]")).collect();
        text.push_str(&labels.join(" "));
    }
    if let Some(a) = &s.msg.attachment {
        let _ = write!(
            text,
            "\n(file {:?} {})",
            a.kind,
            a.file_name.as_deref().unwrap_or(&a.file_id)
        );
    }
    if let Some((name, content)) = &s.msg.upload {
        let _ = write!(text, "\n(made file {name})\n{content}");
    }
    if let Some(label) = &s.msg.contact_button {
        let _ = write!(text, "\n(keyboard [{label}])");
    }
    // Telegram takes one keyboard per message: inline buttons leave the old keyboard in place.
    if s.msg.remove_keyboard && s.msg.buttons.is_empty() && s.msg.contact_button.is_none() {
        text.push_str("\n(keyboard removed)");
    }
    if let Some(id) = s.msg.reply_to {
        let _ = write!(text, "\n(in reply to #{id})");
    }
    text
}

fn describe(s: &Sent) -> String {
    let to = if s.chat_id == STAFF_CHAT {
        match s.msg.edit_message_id {
            Some(id) => format!("staff (edits #{id})"),
            None => format!("staff #{}", s.message_id),
        }
    } else {
        format!("bot #{}", s.message_id)
    };
    format!("{to}: {}", indent(&searchable(s), "  ").trim_start())
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn messages_typed_as_on_a_phone_are_read_for_what_they_mean() {
    run_transcript("understanding_typed_messages.txt").await;
}

#[tokio::test]
async fn a_whole_request_in_the_first_message_is_filled_in_and_only_what_is_missing_is_asked() {
    run_transcript("one_message_request.txt").await;
}

#[tokio::test]
async fn own_words_that_only_hint_at_an_accepted_reason_go_to_staff_never_to_a_refusal() {
    run_transcript("reason_hinted_goes_to_review.txt").await;
}

// ---------------------------------------------------------------------------------------------
// Personal data.

#[tokio::test]
async fn a_first_message_waits_for_the_notice_and_goes_on_after_dong_y() {
    run_transcript("privacy_consent_first.txt").await;
}

#[tokio::test]
async fn after_khong_dong_y_nothing_is_kept_and_the_customer_can_change_their_mind() {
    run_transcript("privacy_refuse.txt").await;
}

#[tokio::test]
async fn a_customer_downloads_their_data_corrects_it_and_decides_about_photos() {
    run_transcript("privacy_rights.txt").await;
}

#[tokio::test]
async fn xoadulieu_erases_only_after_the_customers_own_confirmation() {
    run_transcript("privacy_erase.txt").await;
}

#[tokio::test]
async fn an_erasure_with_an_open_case_is_told_to_staff_at_once_and_done_by_the_deadline() {
    run_transcript("privacy_erase_open_case.txt").await;
}

#[tokio::test]
async fn withdrawing_consent_leads_to_erasure_after_a_confirmation() {
    run_transcript("privacy_withdraw.txt").await;
}
