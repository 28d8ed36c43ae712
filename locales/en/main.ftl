## Greeting, menu, commands

greeting = Hello! I am { $company }'s customer-care assistant. I can defer your paid job to a later date (bảo lưu), take a refund request or a complaint, answer questions about the policy, and tell you where your requests stand.
menu = What do you need? Pick a button below, or type it in your own words (e.g. "defer").
unknown-command = I don't know that command.
not-understood = Sorry, I didn't understand. I can help with a deferral, a refund, a complaint, the status of your requests, and questions about the policy (e.g. "how long can I defer", "hotline").
nothing-to-cancel = There is no unfinished request to cancel.
cancelled = The unfinished request was cancelled. Nothing was sent.
too-long-idle = Your message is too long for me to read. Please tell me briefly what you need.
contact-idle = Thank you for your number. I don't need it right now; staff will call you from the hotline when needed.
help =
    Commands:
    /baoluu – defer your paid job (move its date)
    /trangthai – your requests
    /huy – cancel the unfinished request
    /menu – main menu
    /language – change language (Tiếng Việt / English)
    While answering, type "?" or "why" to learn why I need that information. Hotline: { $hotline }.
language-choose = Chọn ngôn ngữ / Choose your language:
language-set = Switched to English.
button-stale = This button is no longer active.
resumed = Let's carry on with your unfinished request.
use-buttons = Please pick one of the buttons below.

cmd-start = Start, main menu
cmd-menu = Main menu
cmd-baoluu = Defer your paid job (move its date)
cmd-trangthai = The status of your requests
cmd-huy = Cancel the unfinished request
cmd-language = Change language / Đổi ngôn ngữ
cmd-help = Help

btn-defer = 📅 Defer (move the date)
btn-status = 📋 My requests
btn-language = 🌐 Language
btn-lang-vi = Tiếng Việt
btn-lang-en = English
btn-menu = Main menu
btn-resume = ▶️ Resume my unfinished request
btn-no-schedule = No date yet
btn-no-confirmation = No confirming document
btn-confirm = ✅ Send the request
btn-edit = ✏️ Change an answer
btn-cancel = ❌ Cancel
btn-back = ↩️ Back
btn-exception = 🙏 Ask the company for an exception
btn-exception-for = 🙏 Ask for an exception for { $request }
btn-handoff-yes = 👩‍💼 Pass me to staff
btn-handoff-no = Try again
btn-staff-approve = ✅ Approve
btn-staff-reject = ❌ Reject

## Files and things the bot cannot read

media-sticker = Thanks for the sticker 😊 I can only read text, though.
media-voice = I can't listen to voice messages yet. Please type instead.
media-file = I received your file.
media-sticker-in-form = I can't read stickers. Please type your answer.
media-voice-in-form = I can't listen to voice messages, but I kept it for staff to hear with your request. Please type your answer.
media-file-in-form = I kept this file to pass on to staff with your request. This question needs a typed answer.
media-kept = I kept this file to pass on to staff with your request.
contact-in-form = Thank you, but this question needs a typed answer.
unsupported-input = I can't take { $what } here. Please type your answer, or send a photo or a file if needed; for anything else, call the hotline.
unsupported-location = a location
unsupported-venue = a venue
unsupported-poll = a poll
unsupported-dice = a dice
unsupported-game = a game
unsupported-other = this kind of message
too-long = That answer is too long (at most { $max } characters). Please make it shorter.

## The deferral form

defer-intro = Deferral of your paid job: I will ask one thing at a time, then show you everything before sending.
defer-intro-cancel = Type /huy to cancel at any time, "?" to learn why I ask.
defer-from-message = I took { $count } details from your message and will ask only for what is missing; you will see everything before it is sent.
ask-invoice = What is the number of your paid invoice? (e.g. HD-2026-0012)
ask-paid = On what date did you pay for the job? (e.g. 06/10/2026, day first)
ask-scheduled = What is the job's current date? If it has none yet, press "No date yet".
ask-reason = Why do you need to defer?
ask-reason-text = Please tell me the reason briefly, in your own words.
ask-confirmation = Do you have a document confirming the reason (medical certificate, travel order, death notice…)? Send a photo or file, or press "No confirming document".
ask-new-date = Which date would you like instead? It must be after the current date and at most { $max } days after it.
ask-new-date-unscheduled = Which date would you like? It must be after today and at most { $max } days from today.
summary-header = Please check your deferral request:
summary-question = Is everything right?
pick-field = Which answer would you like to change?
field-invoice = Invoice number
field-paid = Payment date
field-scheduled = Job date
field-reason = Reason
field-confirmation = Confirmation
field-new-date = New date
new-date-again = After that change the new date no longer fits, so I'll ask for it again.
scheduled-again = The job date is earlier than the payment date, so I'll ask for the job date again.

why-invoice = The paid invoice is the basis of a deferral (section 2(a) of the customer policy): its number lets staff find your contract.
why-paid = A deferral can only be asked for within a period counted from the payment date (section 2 of the customer policy), so I need that date.
why-scheduled = You must give at least 7 days' notice before the job date (section 2(b)), and the new date is counted from the current one (section 2(c)).
why-reason = The company accepts deferrals for a sudden business trip, an accident, illness or bereavement (section 2 of the customer policy).
why-confirmation = The policy asks for confirmation of the reason where it exists. Having none is fine; staff will see that.
why-new-date = A job can be moved by at most 60 days (section 2(c)), so I need the date you want.
why-summary = This is a summary for you to check before sending; press one of the buttons below.

bad-invoice = That invoice number doesn't look right: 4–20 letters and digits with at least one digit (e.g. HD-2026-0012).
bad-date = I couldn't read that date. Please write it day first, e.g. 06/10/2026, or "today", "tomorrow".
bad-date-no-such-day = There is no { $day }/{ $month }/{ $year }. Please check it.
bad-date-year = The year { $year } doesn't look right. Please write the full date, e.g. 06/10/2026.
bad-paid-future = The payment date { $date } is in the future (today is { $today }). Please check the date you paid.
bad-scheduled-before-paid = The job date { $date } is earlier than the payment date { $paid }. Please check it.
bad-new-not-future = The new date { $date } must be after today ({ $today }).
bad-new-before-scheduled = The new date { $date } must be after the current job date ({ $scheduled }).
bad-reason = Please pick a reason with the buttons below, or describe it in a few words.
reason-empty = Please describe the reason in a few words.
bad-confirmation = Please send a photo or file of the document, or press "No confirming document".

handoff-offer = This seems hard to answer by message. Would you like me to pass your request to a customer-care staff member?
handoff-declined = All right, let me ask again.
handoff-done = I passed your request to staff (number { $request }) with everything you sent. Staff will call you from the hotline { $hotline } within { $hours } business hours, that is before { $deadline }.

reason-business_trip = Sudden business trip
reason-accident = Accident
reason-illness = Illness
reason-bereavement = Bereavement
reason-economic_family = Economic / family hardship
reason-other = Other reason
reason-unclear = A reason for staff to review

line-invoice = • Invoice: { $invoice }
line-paid = • Paid on: { $date }
line-scheduled = • Current job date: { $date }
line-scheduled-none = • Current job date: none yet
line-reason = • Reason: { $reason }
line-reason-text = • Reason: { $reason } – “{ $text }”
line-confirmation-attached = • Confirmation: attached
line-confirmation-none = • Confirmation: none
line-new-date = • New job date: { $date }
line-attachments = • Other files sent: { $count }

## Decisions, with the rule behind each

rule-SCOPE = section 1 of the customer policy
rule-GROUNDS = section 2 (paragraph 1) of the customer policy
rule-DEFER_WINDOW = section 2 (paragraph 1) of the customer policy
rule-DEFER_REASONS = section 2 (paragraph 2) of the customer policy
rule-KEEP_INVOICE = section 2(a) of the customer policy
rule-NOTICE = section 2(b) of the customer policy
rule-DEFER_MAX = section 2(c) of the customer policy
rule-NO_REFUND = the Note of the customer policy
rule-COMPANY_POSTPONE = the Note (company postponements) of the customer policy
rule-REFUND_COMPANY_FAULT = the Note (refunds) of the customer policy
rule-RECORDS = the records and photos clause of the customer policy
rule-AFTERCARE = the aftercare clause of the customer policy
rule-COMPLAINT = the complaint procedure of the customer policy
rule-CONTACT = the contact details of the customer policy

check-window-pass = ✔️ Paid on { $paid }, { $days } days ago; { $rule } allows a deferral request within { $limit } days (until { $last }).
check-window-fail = ✖️ Paid on { $paid }, { $days } days ago, while { $rule } allows a deferral request only within { $limit } days of payment (the last day was { $last }).
check-notice-pass = ✔️ The job date { $scheduled } is { $days } days away; { $rule } asks for at least { $required } days' notice.
check-notice-fail = ✖️ The job date { $scheduled } is only { $days } days away, while { $rule } asks for at least { $required } days' notice.
check-notice-past = ✖️ The job date { $scheduled } passed { $days } days ago, while { $rule } asks for at least { $required } days' notice.
check-notice-none = ✔️ The job has no date yet, so no notice is needed ({ $rule }).
check-reasons-pass = ✔️ The reason "{ $reason }" is one for which { $rule } allows a deferral.
check-reasons-review = ⚠️ The reason "{ $reason }" is named in the policy but is not one of the reasons { $rule } accepts outright (business trip, accident, illness, bereavement), so staff will review it.
check-reasons-fail = ✖️ The reason "{ $reason }" is not one for which { $rule } allows a deferral: a sudden business trip, an accident, illness or bereavement.
check-reasons-unclear = ⚠️ The reason "{ $reason }" may be one that { $rule } accepts (business trip, accident, illness, bereavement), but I am not sure, so staff will review it; the request is not refused for it.
check-max-pass = ✔️ The new date is { $days } days after the job date { $from }; { $rule } allows at most { $limit } days (until { $last }).
check-max-fail = ✖️ The new date is { $days } days after the job date { $from }, while { $rule } allows a deferral of at most { $limit } days (until { $last }).
check-max-pass-today = ✔️ The new date is { $days } days from today; { $rule } allows at most { $limit } days (until { $last }).
check-max-fail-today = ✖️ The new date is { $days } days from today, while { $rule } allows a deferral of at most { $limit } days (until { $last }).
check-confirmation-attached = ✔️ A confirming document is attached ({ $rule }).
check-confirmation-none = ℹ️ No confirming document ({ $rule }: "confirmation where it exists").

decision-approved = ✅ Request { $request } is approved. Your new job date: { $date }.
decision-rejected = ❌ Sorry, request { $request } cannot be approved because:
decision-review = 🕑 Request { $request } is recorded and needs a staff review:
decision-awaiting = 🕑 Request { $request } (new date { $date }) meets the policy and is waiting for staff to confirm it.
defer-max-consequence = Please note ({ $rule }): come on { $date } as agreed. Not coming means you cancelled the contract yourself, and no complaint is handled after that. You accept the risk of later schedule changes.
keep-invoice = Keep your paid invoice: it is the basis of the deferral ({ $rule }).
contact-hotline = For more help, call the hotline { $hotline }.
exception-offer = Exceptions are the company's decision ({ $rule }). If your situation is special, you can ask staff to consider it.
staff-will-call = Staff will call you from the hotline { $hotline } within { $hours } business hours, that is before { $deadline }.
exception-sent = I sent your request for an exception on { $request } to staff. They will call you from the hotline { $hotline } within { $hours } business hours, that is before { $deadline }.
exception-already = An exception for { $request } was already asked for; staff will contact you.

staff-approved = ✅ Staff approved request { $request }. Your new job date: { $date }.
staff-approved-plain = ✅ Staff approved request { $request }.
staff-rejected = Sorry, after review staff did not approve request { $request }.

## /trangthai

status-none = You have no requests yet.
status-header = Your requests:
status-line = • { $request } · { $kind } · sent { $created } · invoice { $invoice } · { $status }
status-new-date = ↳ new job date: { $date }
kind-deferral = deferral
kind-handoff = passed to staff
status-approved = approved
status-rejected = not approved
status-review = waiting for staff review
status-exception = waiting for an exception review
status-staff_approved = approved by staff
status-staff_rejected = not approved by staff
status-handoff = passed to staff

## The staff group

card-title = 🗂 { $request } · { $kind } · { $status }
card-status-approved = APPROVED (automatically) – schedule the job
card-status-rejected = NOT APPROVED
card-status-review = NEEDS A DECISION
card-status-exception = EXCEPTION ASKED – NEEDS A DECISION
card-status-staff_approved = APPROVED
card-status-staff_rejected = REJECTED
card-status-handoff = CUSTOMER NEEDS HELP
card-customer = Customer: { $name } · { $username } · { $via } { $id } · { $lang }
via-telegram = Telegram id
via-zalo = 💬 Zalo id
lang-vi = Vietnamese
lang-en = English
card-unreachable = ⚠️ { $via ->
        [zalo] The customer unfollowed the Zalo OA
       *[other] The customer blocked the bot
    }: phone them.
card-outcome = Outcome under the policy: { $outcome }
outcome-approved = approved
outcome-rejected = not approved
outcome-review = needs a staff review
outcome-awaiting = eligible, waiting for staff confirmation
card-check-pass = [{ $rule_id }] { $line }
card-check-fail = [{ $rule_id }] { $line }
card-check-review = [{ $rule_id }] { $line }
card-full-text = The customer's words in full ({ $request }):
    { $text }
card-unread = The customer typed: "{ $text }"
card-decided = { $status } by { $by } at { $at }
card-attachment-confirmation = Confirmation for { $request }
card-attachment-other = File sent with { $request }
staff-customer-blocked = ⚠️ Customer { $name } ({ $username }, { $via } { $id }) blocked the bot: messages no longer reach them. Phone the customer.
staff-customer-unfollowed = ⚠️ Customer { $name } ({ $via } { $id }) unfollowed the Zalo Official Account: messages no longer reach them. Phone the customer.
staff-zalo-token-failed = ⚠️ Zalo: the Official Account's access token could not be refreshed ({ $error }). Messages to Zalo customers are waiting, not lost. Get a new refresh token in the Zalo developer console, put it in ZALO_REFRESH_TOKEN and restart the bot.
staff-zalo-file-not-carried = 📎 Customer { $name } ({ $via } { $id }) did not get { $kind ->
        [photo] the photo
        [video] the video
        [voice] the voice message
       *[other] the file
    }{ $file } by Zalo: Zalo takes only JPG/PNG photos up to 1 MB and PDF, DOC, DOCX files up to 5 MB. The customer was told staff will call: call them and send it another way.
staff-call-instead = ☎️ Call customer { $name } ({ $via } { $id }): this message can no longer go by Zalo (past the free reply window after the customer's last message). What to tell them:
    { $text }
staff-not-allowed = Only members of the staff group can decide.
staff-bad-button = This button is not valid.
staff-toast-approved = Approved { $request }.
staff-toast-rejected = Rejected { $request }.
staff-toast-already = { $request } was already decided by { $by }.
staff-toast-already-plain = This request was already decided.
staff-toast-duplicate = Recorded.
staff-toast-error = Recording failed, please try again.

## The terminal

shell-intro =
    cskh – a terminal conversation (data is kept in the database as when running for real).
    Type as a customer; type a number [1], [2]… to press the bot's buttons; s1, s2… to press the staff group's buttons.
    /file NAME sends a file (e.g. /file medical-certificate.jpg); /quit leaves.
shell-staff-title = staff group
shell-staff-name = Staff (terminal)
shell-customer-name = Test customer (terminal)
shell-no-such-button = There is no such button.

## Refunds (hoàn trả chi phí)

cmd-hoantien = Ask for a refund
cmd-chinhsach = The customer policy in short
cmd-lienhe = Contact details, hotline
btn-refund = 💸 Refund
btn-policy = 📜 Policy
btn-contact = ☎️ Contact
kind-refund = refund
refund-intro = Refund request: I will ask one thing at a time, then show you everything before sending.
ask-job-done = Has the company done the job for you?
btn-job-done = Job done
btn-job-not-done = Not done yet
ask-refund-cause = Why do you want a refund?
btn-cause-company = The company took the fee but did not do the job
btn-cause-own = My own reasons
ask-postpone-notice = Did the company tell you (by email, fanpage or your registered phone) that the job was postponed?
btn-notice-yes = Yes, they postponed it
btn-notice-no = No notice
ask-postpone-original = What was the original job date?
ask-postpone-new = To which date did the company move it?
ask-refund-reason = Please tell me briefly, in your own words, why you want a refund.
refund-summary-header = Please check your refund request:
refund-field-invoice = Invoice number
refund-field-paid = Payment date
refund-field-done = Job done or not
refund-field-cause = Why a refund
refund-field-notice = Postponement notice
refund-field-reason = Your own words
line-job-done = • Job done: yes
line-job-not-done = • Job done: not yet
line-cause-company = • Reason: the company took the fee but did not do the job
line-cause-own = • Reason: the customer's own reasons
line-postponed = • The company postponed the job from { $from } to { $to }
line-not-postponed = • No postponement notice from the company
line-refund-reason = • In the customer's words: “{ $text }”
why-refund-paid = The company refunds only when it took the fee and did not do the job within 30 days (the Note of the customer policy), so I need your payment date.
why-job-done = The policy gives no refund for a job that was done; quality problems are handled as complaints.
why-refund-cause = The company refunds only when it is at fault; anything else is the company's decision (the Note).
why-postpone = The company may postpone a job by up to 2 weeks with notice (the Note), so I need to know whether it told you and to which date.
bad-postpone-before = The date it was moved to ({ $date }) must be after the original date { $original }.
refund-eligible = 🕑 Refund request { $request } meets the policy and was passed to staff:
refund-line-company-fault = ✔️ Paid on { $paid }, { $days } days ago, the job not done and no postponement notice; under { $rule } the company refunds when it took the fee and did not do the job within { $limit } days without telling you.
refund-no-promise = Staff will call you from the hotline { $hotline } within { $hours } business hours, that is before { $deadline }, to arrange the refund. The amount and the date of payment are confirmed by staff.
refund-refused = ✖️ Refund request { $request }: the fee is not refunded. Under the policy:
refund-not-yet = ⏳ Refund request { $request }: no refund yet; the earliest is { $first }. Under the policy:
refund-not-sent = This follows the policy exactly, so the request does not go to staff; it is saved and /trangthai shows it.
btn-complaint-instead = 📣 Complain about the quality
refund-line-not-yet = ✖️ Paid on { $paid }, only { $days } days ago. Under { $rule } the company refunds only after { $limit } days without the job being done or notice given; you can ask again from { $first }.
refund-defer-instead = If you need another date, you can defer the job instead of asking for a refund.
btn-defer-instead = 📅 Defer instead
refund-line-job-done = ✖️ The job was done, so the fee is not refunded ({ $rule }).
refund-complaint-offer = If you are unhappy with the quality, you can complain: press "Complain about the quality" below, or call the hotline { $hotline } ({ $rule }).
refund-line-postpone-allowed = ✖️ The company postponed the job from { $from } to { $to } ({ $days } days); { $rule } allows postponements of up to { $limit } days, so no refund is due.
refund-review = 🕑 Refund request { $request } is recorded and needs a staff review:
refund-line-postpone-too-long = ⚠️ The company postponed the job from { $from } to { $to } ({ $days } days), more than the { $limit } days { $rule } allows.
refund-line-own = ✖️ The company does not refund the fee when the cause is not its fault ({ $rule }).
refund-defer-offer = You can still defer the job to another date, until { $last } ({ $rule }).
refund-defer-closed = The period to ask for a deferral ended on { $last } ({ $rule }).
refund-staff-approved = ✅ Staff confirmed refund request { $request }. They will contact you from the hotline { $hotline } to arrange the refund.
defer-prefilled = I filled in the details above from your refund request.
card-refund-outcome = [{ $rules }] { $line }
card-refund-eligible = Eligible for a refund: { $days } days since payment, job not done, no postponement notice. Contact the customer to refund.
card-refund-not_yet = Not yet eligible: { $days } days since payment; the customer can ask again from { $first }.
card-refund-job_done = No refund: the job was done.
card-refund-postponement_allowed = No refund: the company postponed by { $days } days, within the { $limit }-day limit.
card-refund-postponement_too_long = Needs a review: the company postponed by { $days } days, over the { $limit }-day limit.
card-refund-own_reasons = No refund: the customer's own reasons (deferral still possible: { $defer }).

## Policy and contact

policy-title = 📜 { $company }'s customer policy in short:
policy-defer = • Deferral: within { $window } days of payment ({ $rule }).
policy-reasons = • Reasons accepted for a deferral: a sudden business trip, an accident, illness, bereavement, confirmed where possible ({ $rule }).
policy-invoice = • Keep your paid invoice: it is the basis of a deferral ({ $rule }).
policy-notice = • Tell the company at least { $notice } days before the job date ({ $rule }).
policy-max = • A job can be deferred by at most { $max } days; not coming on the deferred date cancels the contract ({ $rule }).
policy-no-refund = • No refund when the cause is not the company's fault; exceptions are the company's decision ({ $rule }).
policy-postpone = • The company may postpone a job by up to { $days } days, with notice ({ $rule }).
policy-refund = • A refund when the company took the fee and did not do the job within { $days } days without notice ({ $rule }).
policy-records = • The company keeps records and before/after photos; photos may be cropped or masked for privacy ({ $rule }).
policy-aftercare = • After the job, the company follows up online and guides you to handle issues at home ({ $rule }).
policy-complaint = • Complaints: through the hotline { $hotline }; customer care records and negotiates; only if that fails, the legal authorities ({ $rule }).
contact-card =
    ☎️ { $company }
    Hotline: { $hotline } ({ $hotline_e164 })
    Email: { $email }
    Website: { $website }
    Address: { $address }
    (per { $rule })

## Answers to questions

answer-refund = The company refunds the fee only when it took the fee and did not do the job within { $days } days without telling you ({ $rule }). For other reasons there is no refund; exceptions are the company's decision ({ $rule_no }). You can send a request for me to check your case, or defer the job to another date.
answer-defer-length = A job can be deferred by at most { $max } days from its date ({ $rule }). The request must come within { $window } days of payment ({ $rule_window }) and at least { $notice } days before the job date ({ $rule_notice }).
answer-defer-window = A deferral must be asked for within { $window } days of the payment date ({ $rule }). If you paid no more than { $window } days ago, press "Defer" to send the request; if it is longer, you can still send it and the company will consider an exception.
answer-missed-date = Once deferred, the job must be done on the agreed date. Not coming means you cancelled the contract yourself, and no complaint is handled after that ({ $rule }). If something comes up, call the hotline { $hotline } at once.
answer-company-postpone = The company may postpone a job by up to { $days } days, telling you by email, fanpage or your registered phone ({ $rule }). If it was moved by more, you can send a refund request for staff to review.
answer-photos = The company keeps records and before/after photos. Some photos may be cropped and partly masked to protect your privacy, then used for advertising, reports, media and comparing results ({ $rule }).
answer-complaint = The complaint procedure ({ $rule }): step 1, you complain through the hotline { $hotline }; step 2, customer care records it and acts according to its nature and severity, based on the before/after state and the commitment you signed, negotiating first; step 3, only if negotiation fails, the legal authorities.
answer-aftercare = After the job, the company follows and updates your condition through its online channels and guides you to handle issues at home ({ $rule }). If something is wrong, message staff for guidance.
btn-ask-staff = 👩‍💼 Ask staff
not-understood-offer = For anything else, press "Ask staff": I will pass your message, word for word, to staff.
ask-staff-nothing = Type your question, then press "Ask staff" and I will pass it on.

## Complaints (khiếu nại): the customer

cmd-khieunai = Make a complaint
btn-complaint = 📣 Complaint
complaint-intro = I will record your complaint as a case so that it cannot get lost ({ $rule }, step 1). You can also call the hotline { $hotline }.
ask-category = What is your complaint about?
category-quality = Service quality
category-schedule = Schedule or delay
category-attitude = Staff attitude
category-billing = Fees, billing
category-other = Something else
ask-description = Please tell me what happened, in your own words. You can attach photos or videos.
bad-description = Please describe what happened in a few sentences so that staff understand.
media-kept-describe = I kept the photo/video. Please also tell me in words what happened.
ask-more-media = I recorded your description ({ $count } files attached). You can send more photos, videos or words; press "Done" when finished.
btn-media-done = ✅ Done
ask-complaint-invoice = What is the invoice number concerned? If there is none, press "No invoice".
btn-no-invoice = No invoice
ask-urgency = How urgent is it?
btn-urgency-normal = Normal
btn-urgency-urgent = 🔴 Urgent
urgency-normal = normal
urgency-urgent = 🔴 URGENT
ask-phone = Which phone number should staff call you back on? Press the share button below, or type it (e.g. 0912 345 678).
btn-share-contact = 📱 Share my phone number
zalo-file-not-carried = 📎 Staff have just sent you { $kind ->
        [photo] a photo
        [video] a video
        [voice] a voice message
       *[other] a file
    }{ $file }, but Zalo cannot take this kind or size of file. Staff will call you to send it another way.
ask-phone-typed = Which phone number should staff call you back on? Please type your mobile number in the chat (e.g. 0912 345 678).
bad-phone = "{ $phone }" is not a Vietnamese mobile number (10 digits starting 03, 05, 07, 08, 09, or +84). Please check it.
ask-consent = May staff call you from the hotline { $hotline } on { $phone }?
btn-consent-yes = Yes
btn-consent-no = No, messages only
why-complaint = Staff need to know what happened in your own words to handle it right (step 2 of the complaint procedure).
why-complaint-invoice = The invoice number lets staff find your contract and the commitment you signed.
why-urgency = Urgent complaints are called back sooner.
why-phone = Under the procedure, customer care calls you back through the hotline to negotiate and settle it.
case-opened = ✅ Complaint { $case } is recorded ({ $rule }, step 1).
case-call-urgent = Step 2: customer care will call you from the hotline { $hotline } within { $minutes } business minutes, that is before { $deadline }.
case-call-normal = Step 2: customer care will call you from the hotline { $hotline } within { $hours } business hours, that is before { $deadline }.
case-write-more = Meanwhile, every message or photo you send here goes into your complaint.
case-message-added = Added to case { $case }. Staff will answer you here.
btn-close-case = Close the complaint
btn-close-case-for = Close complaint { $case }
case-closed-by-customer = Complaint { $case } is closed. Thank you.
case-already-open = Your complaint { $case } is still open. Add to it, or make a new complaint?
btn-case-add = Add to the open complaint
btn-case-new = Make a new complaint
case-claimed-customer = Complaint { $case } was taken up by customer care (step 2). Staff will contact you from the hotline { $hotline }.
case-resolved-customer = ✅ Complaint { $case } is resolved.
case-reopened-customer = Complaint { $case } was marked as resolved, but you still need help: I opened it again and passed your words to staff unchanged.
case-staff-reopened = 🔁 The customer wrote again after { $case } was resolved: the case is open again (step 2), a call-back is due.
rating-ask = How would you rate our help (1 to 5 stars)?
rating-star = { $n } ⭐
rating-ask-comment = Thank you for rating { $stars } ⭐. Anything you would like to add? Type it, or press "Skip".
btn-rating-skip = Skip
rating-thanks = Thank you for your feedback!
rating-already = This complaint was already rated, thank you.
case-step3-customer = Complaint { $case }: negotiation did not settle it. Under { $rule } (step 3), the matter goes to the legal authorities to protect the lawful rights of both parties. To talk it over, call the hotline { $hotline }.
case-closed-customer = Complaint { $case } is closed. For more help, call the hotline { $hotline } or make a new complaint.
case-from-company =
    💬 { $company } ({ $case }):
    { $text }
case-from-company-file = 📎 { $company }
status-case-line = • { $case } · complaint · sent { $created } · step { $step } · { $status }
case-status-open = received
case-status-claimed = being handled
case-status-resolved = resolved
case-status-step3 = moved to step 3
case-status-closed = closed

## Complaints: staff

case-topic-title = { $case } · { $name } · { $category } · { $mark }
case-card-title = 📣 { $case } · { $category } · { $urgency }
case-card-status = Step { $step } · { $status }
case-card-claimed = Handled by: { $by } (since { $at })
case-card-phone = ☎️ { $phone } · { $consent }
case-card-no-phone = ☎️ no phone number yet
consent-yes = agrees to be called
consent-no = does not want calls, messages only
case-card-no-invoice = • Invoice: none
case-card-call = 📞 Last call: { $at } – { $outcome }
call-reached = spoke with the customer
call-no_answer = the customer did not answer
case-card-rating = ⭐ Rating: { $stars }/5 { $comment }
case-card-description =
    In the customer's words:
    “{ $text }”
btn-case-claim = 🙋 Take it
btn-case-reached = 📞 Called, reached
btn-case-no-answer = 📵 No answer
btn-case-resolve = ✅ Resolved
btn-case-step3 = ⚖️ To step 3
btn-case-close = 🔒 Close
case-media-caption = { $case } · file from { $name }
case-from-customer =
    💬 { $case } · { $name }:
    { $text }
case-staff-closed-by-customer = 🔒 The customer closed complaint { $case }.
case-staff-rated = ⭐ The customer rated { $case }: { $stars }/5.
case-staff-rating-comment = ⭐ The customer's comment on { $case }: “{ $text }”
case-customer-blocked = ⚠️ { $case }: messages no longer reach the customer ({ $via ->
        [zalo] they unfollowed the Zalo OA
       *[other] they blocked the bot
    }). Phone them.
case-note-saved = 📝 Internal note saved in { $case } (not sent to the customer).
case-chatter-kept = 📝 Kept in { $case } as an internal note: the customer does not see it. To write to the customer, reply to one of their messages, or start the message with { $prefix }.
case-closed-not-sent = { $case } is closed: the message was not sent to the customer.
case-toast-done = { $case }: { $action }.
case-action-cl = taken
case-action-cr = call recorded
case-action-cn = unanswered call recorded
case-action-rs = resolved
case-action-s3 = moved to step 3
case-action-x = closed
case-toast-claimed = { $case } was already taken by { $by }.
case-toast-not-now = { $case } is "{ $status }": that cannot be done now.
cases-none = No open complaints.
cases-header = Open complaints (oldest first):
cases-line = • { $case } · { $days } d { $hours } h { $minutes } min · step { $step } · { $status } · { $by } · { $urgency }
case-usage = Usage: /case KN-000123
case-not-found = No complaint "{ $case }".
case-history-header = History:
case-history-line = • { $at } · { $who } · { $kind } { $text } (files: { $files })
actor-customer = customer
actor-bot = bot
actor-staff = { $name }
event-created = complaint made
event-customer_message = customer wrote
event-staff_message = staff wrote
event-note = internal note
event-claimed = taken
event-called_reached = called, reached
event-called_no_answer = called, no answer
event-resolved = resolved
event-step3 = moved to step 3
event-closed = closed
event-rated = rated
event-delivery_failed = could not reach the customer
event-reminded = call-back reminder
event-reopened = reopened
shell-no-such-command = No such staff command. Use !/cases or !/case KN-000001.
shell-staff-usage = To write as staff: !KN-000001 words (or !KN-000001 #note an internal note).

## Reminders

cmd-tatnhac = Turn reminders and check-ins off
cmd-batnhac = Turn reminders and check-ins on again
reminders-off = Reminders and check-ins are off. Type /batnhac to turn them on again.
reminders-on = Reminders and check-ins are on again.
reminders-stop-hint = (Type /tatnhac if you do not want reminders.)
remind-deferral = ⏰ Reminder: deferral { $request }, your new job date is { $date } ({ $days } days to go).
aftercare-checkin = 👋 Checking in after your job ({ $request }, day { $days }): how are you?
btn-aftercare-ok = 👍 Fine
btn-aftercare-bad = ⚠️ A problem
aftercare-glad = Glad to hear it! Thank you.
aftercare-guidance = Under { $rule }, the company guides you to handle issues at home: keep the treated area clean and dry, do not interfere with it, and watch it for another day or two. If it gets worse, contact us at once.
aftercare-complaint-offer = If you need staff to handle it, you can open a complaint (the invoice number is filled in) or call the hotline { $hotline }.
btn-staff-called = 📞 Called the customer
btn-job-done-staff = ✅ Job done
staff-toast-called = Call recorded; call-back reminders stop.
btn-request-no-answer = 📵 No answer
staff-toast-no-answer = Recorded: the customer did not answer (time { $missed }).
staff-toast-no-answer-plain = Recorded: the customer did not answer; the bot will remind you to call again.
staff-toast-job-done = { $request }: job recorded as done.
staff-job-done = ✅ { $request }: { $by } recorded the job as done. The bot will check in with the customer on the aftercare schedule.
done-usage = Usage: /done INVOICE (record the job of an approved deferral as done).
done-not-found = No approved deferral for invoice { $invoice }.
ping-case = ⏰ { $case } · { $name } · ☎️ { $phone } · { $urgency } · { $late ->
        [0] call-back due now
       *[other] call-back overdue by { $late } business minutes
    }
ping-case-missed = ⏰ { $case } · { $name } · ☎️ { $phone } · { $urgency } · no answer { $missed } times, { $late ->
        [0] call-back due again now
       *[other] call-back overdue by { $late } business minutes
    }
ping-case-gave-up = 📵 { $case } · { $name } · ☎️ { $phone } · no answer { $missed } times; no more call-back reminders.
ping-request = ⏰ { $request } · { $name } ({ $username }) · waiting for staff, { $late ->
        [0] call-back due now
       *[other] call-back overdue by { $late } business minutes
    }
ping-request-missed = ⏰ { $request } · { $name } ({ $username }) · no answer { $missed } times, { $late ->
        [0] call again now
       *[other] call-back overdue by { $late } business minutes
    }
ping-request-gave-up = 📵 { $request } · { $name } ({ $username }) · no answer { $missed } times; no more call-back reminders.
ping-request-next = Please decide what comes next: try another number, or approve / reject the request so that the bot tells the customer.
ping-request-next-supervisor = 📣 { $who }: please decide what comes next (try another number, or approve / reject the request so that the bot tells the customer).
ping-digest = ⏰ { $count } customers are overdue for a call-back:
ping-supervisor = 📣 { $who }: please assign someone to call.
ping-gave-up-supervisor = 📣 { $who }: please decide what comes next (write to the customer in the case, try another number, or close the case).
ping-gave-up = Please decide what comes next: write to the customer in the case, try another number, or close the case.
digest-title = 📅 Today's jobs, { $date } ({ $count } deferred customers):
digest-line = • { $request } · { $name } · invoice { $invoice }
staff-defer-passed = ⚠️ { $request } · { $name } · invoice { $invoice }: the deferred job date { $date } has passed with no record of the job done or moved. The bot cancels nothing by itself; please check.
staff-remind-by-phone = ☎️ { $request } · { $name }: { $via ->
        [zalo] the customer unfollowed the Zalo OA
       *[other] the customer blocked the bot
    } and gets no reminder of the job date { $date }. Phone them.
staff-checkin-by-phone = ☎️ { $request } · { $name }: { $via ->
        [zalo] the customer unfollowed the Zalo OA
       *[other] the customer blocked the bot
    } and gets no aftercare check-in. Phone them.
staff-aftercare-problem = ⚠️ { $request } · { $name } · invoice { $invoice }: the customer reports a problem after the job.

## Invoice import and exports (the operator's terminal)

import-column-number = invoice number
import-column-name = customer name
import-column-phone = phone
import-column-amount = amount
import-column-paid = paid date
import-column-job = job date
import-column-status = status
import-missing-columns = The file lacks columns: { $columns }. The first line must name the columns.
import-bad-row = line { $line }: { $why }
import-bad-invoice = invoice number "{ $value }" is malformed
import-missing-name = the customer name is missing
import-bad-date = { $column } "{ $value }" is not a date (dd/mm/yyyy or yyyy-mm-dd)
import-bad-amount = amount "{ $value }" is not a number
import-bad-phone = phone "{ $value }" is not a Vietnamese mobile number
import-bad-status = status "{ $value }" is unknown (paid / done / cancelled)
import-duplicate = invoice { $number } is already on line { $first }
import-field-count = fewer fields than the header
import-summary = Imported: { $added } added, { $updated } updated, { $skipped } skipped.
import-nothing = Nothing imported: { $bad } bad rows. Fix them, or run again with --skip-bad to import the good rows.
export-bad-since = not a date (dd/mm/yyyy or yyyy-mm-dd)

## The invoice registry in conversations

registry-confirm = According to the company's invoices, invoice { $invoice }: paid on { $paid }, job date { $job }. Is that right?
registry-no-job-date = not scheduled yet
btn-registry-right = ✅ Right
btn-registry-wrong = ✏️ Wrong, I'll type it
why-registry = I took the dates from the company's invoices so you need not type them; if they are wrong, press "Wrong" and type yours, staff will check.
registry-filled = According to the company's invoices, invoice { $invoice } was paid on { $paid }.
invoice-job-done = According to the company's invoices, the job of invoice { $invoice } is done, so it cannot be deferred. For a quality problem you can make a complaint (/khieunai).
invoice-cancelled = According to the company's invoices, invoice { $invoice } was cancelled, so it cannot be deferred. If that is wrong, call the hotline or press "Ask staff".
line-registry-known = • The invoice is in the company's list ✔
line-registry-unknown = • The invoice is NOT in the company's list
line-registry-disputed = • The invoice is in the list, but the customer gave other dates
case-card-phone-verified = ✔ The phone matches the invoice

## /stats and /export

stats-week = 📊 This week:
stats-month = 📊 This month:
stats-no-requests = • No requests yet.
stats-requests = • { $kind } · { $outcome }: { $count }
stats-open-cases = • Open complaints: { $day } under a day, { $days } 1–3 days, { $older } over 3 days
stats-callback = • Time to the first call-back (median): { $minutes } minutes
stats-callback-none = • No call-back recorded yet
stats-on-time = • Call-backs on time: { $percent }%
stats-rating = • Average rating: { $rating }/5
stats-rating-none = • No ratings yet
export-caption = 📎 { $file } (UTF-8, opens in Excel and LibreOffice)

stats-outcome-approved = approved
stats-outcome-rejected = not approved
stats-outcome-review = waiting for staff review
stats-outcome-awaiting = waiting for staff confirmation
stats-outcome-eligible = eligible for a refund
stats-outcome-not_yet = under 30 days
stats-outcome-job_done = job done, no refund
stats-outcome-postponement_allowed = company postponement within limits
stats-outcome-postponement_too_long = company postponement too long
stats-outcome-own_reasons = customer's own reasons
stats-outcome-handoff = passed to staff
stats-outcome-exception = exception asked
stats-outcome-staff_approved = approved by staff
stats-outcome-staff_rejected = rejected by staff
stats-outcome-cancelled = cancelled
stats-outcome-open = open
stats-outcome-closed = closed
rating-thanks-stars = Thank you for rating { $stars } ⭐.

# Thanks, "ok", goodbye or emoji with nothing else: a short friendly answer.
small-talk = You are welcome! Whenever you need a deferral, a refund, a complaint or a policy answer, just write to me.

## Charts (staff)
chart-title-weeks = The last 8 weeks
chart-title-months = The last 8 months
chart-panel-kinds = Requests and complaints, by type
chart-panel-outcomes = Requests, by outcome
chart-panel-callbacks = Call-backs: on time and late
chart-panel-ratings = Average rating (how many)
chart-kind-deferral = Deferral
chart-kind-refund = Refund
chart-kind-handoff = Passed to staff
chart-kind-complaint = Complaint
chart-outcome-granted = Granted
chart-outcome-refused = Refused
chart-outcome-staff = With staff
chart-on-time = On time
chart-late = Late or not yet called
chart-caption-weeks = 📈 The last { $count } weeks (/stats thang: by month)
chart-caption-months = 📈 The last { $count } months (/stats: by week)

## Morning summary and health alerts (staff)
summary-title = 🌅 Summary of { $date }:
summary-requests = • New requests: { $total } (deferral { $deferral }, refund { $refund }, passed to staff { $handoff }); granted { $granted }, refused { $refused }, with staff { $staff }
summary-cases = • New complaints: { $total } (new { $open }, being handled { $claimed }, resolved { $resolved }, step 3 { $step3 }, closed { $closed })
summary-callbacks = • Call-backs yesterday: { $on_time } on time, { $late } late. { $owed } customers are waiting for a call, { $overdue } of them past the deadline
summary-oldest-header = • Complaints open longest:
summary-oldest-line =   { $case } · { $days } d { $hours } h · { $status } · { $by }
summary-oldest-none = • No complaint is open
summary-ratings = • Ratings yesterday: { $count }, average { $rating }/5
summary-ratings-none = • No ratings yesterday
summary-jobs = • Jobs today: { $count } deferred customers
summary-health-title = 🤖 The bot's health:
summary-health-outbox = • Unsent messages: { $count }, the oldest waiting { $minutes } minutes
summary-health-outbox-empty = • No message is waiting to be sent
summary-health-refused = • Messages refused by Telegram: { $count }
summary-health-updates = • Incoming updates that failed and were given up: { $count }
summary-health-restarts = • Starts of the bot since yesterday: { $count }
health-outbox-stuck = ⚠️ The bot is slow to send: the oldest message has waited { $minutes } minutes ({ $count } waiting). Please check the connection to Telegram and the bot's server.
health-outbox-well = ✅ The bot is sending normally again: no message waits longer than { $limit } minutes.
health-sends-failing = ⚠️ The bot's messages keep failing: { $failing } tried several times without success, { $refused } refused lately. Please check the bot's token and the network.
health-sends-well = ✅ The bot's messages go out again.
health-db-back = ⚠️ The bot could not reach its database from { $from } to { $to } (about { $minutes } minutes); it is connected again.

## The staff web page
web-title = Customer care · Open work
web-loading = Loading…
web-refused = This page cannot be opened: only members of the staff group can open it, from the bot's button (/dashboard). Please open it again from Telegram.
web-offline = The bot cannot be reached. Please try again later.
web-open = Open
web-none = Nothing matches the filters.
web-filter-status = Status
web-filter-kind = Type
web-filter-who = Handled by
web-filter-late = Call-back
web-all = All
web-nobody = nobody yet
web-number = Number
web-customer = Customer
web-age = Waiting
web-step = Step
web-who = Handled by
web-deadline = Call-back by
web-deadline-called = called
web-deadline-due = on time
web-deadline-soon = due soon
web-deadline-late = late
web-deadline-late-only = late only
web-charts = Charts
web-chart-weeks = The last 8 weeks
web-chart-months = The last 8 months
web-back = The list
web-history = History
web-description = In the customer's words
web-phone = Phone
web-invoice = Invoice
web-category = About
web-urgent = urgent
web-viewer = Viewing
web-case-not-found = No such complaint
dashboard-button = 📋 Open the list of open work
dashboard-intro = Customer care's open work: complaints and requests waiting, call-back deadlines, each complaint's history and the charts. Press the button below to open it.
dashboard-no-url = The open-work page is not on: an administrator must set the bot's public address (operations.public_url).

## Values read from the customer's words, shown back
pick-date-about = I read this as { $date }. Is that right? Press to confirm, or type the exact date.
pick-value-about = I read this as { $value }. Is that right? Press to confirm, or type it again.
pick-date-choose = You wrote more than one date, and I would rather not guess. Please pick the right one, or type it again:
pick-value-choose = You wrote more than one number, and I would rather not guess. Please pick the right one, or type it again:
btn-pick-date = 📅 { $date }
btn-pick-value = { $value }
btn-pick-other = ✏️ Type again
dont-know-paid = No problem. The payment date is on the invoice or in the payment confirmation message (e.g. 06/10/2026). If you cannot find it, staff can look it up by the invoice number.
dont-know-scheduled = No problem. The job date is in the company's appointment message. If there is no date yet, press "No date yet"; if you cannot find it, staff can look it up.
dont-know-new-date = Please pick an intended date (e.g. 15/01/2027); if it needs changing, staff will talk it over with you.
dont-know-postpone = No problem. This date is in the message or call in which the company moved the job. If you cannot find it, staff can look it up.
dont-know-invoice = No problem. The invoice number is printed on the paper invoice and in the payment confirmation message (e.g. HD-2026-0012). If you cannot find it, staff can look it up by your phone number.
dont-know-phone = Staff need a phone number to call you back from the hotline. Press the share button, or type your mobile number (e.g. 0912 345 678).
dont-know-phone-typed = Staff need a phone number to call you back from the hotline. Please type your mobile number in the chat (e.g. 0912 345 678).
complaint-invoice-noted = Invoice number: { $invoice }.

## Deep links (a printed invoice's QR code) and the printed sheet
link-greeting = Hello! I am { $company }'s customer-care assistant. You came from the QR code of invoice { $invoice }.
link-invoice-known = The company's invoice list says: paid on { $paid }, job scheduled for { $job }; { $status }.
link-invoice-known-nojob = The company's invoice list says: paid on { $paid }, no job date yet; { $status }.
link-status-paid = not done yet
link-status-done = the job is done
link-status-cancelled = cancelled
link-choose = What can I do for this invoice? Pick a button below, or write to me in your own words.
qr-caption = Scan to ask about this invoice: deferral, refund, complaint.
qr-sheet-title = Invoice QR codes

## A case's topic that was deleted or closed
topic-renewed = The old topic of case { $case } { $fate }, so I opened this new one (same title). The case's next messages come here; nothing was lost.
topic-fate-deleted = was deleted
topic-fate-closed = was closed
event-topic_renewed = new topic opened

## Telegram Business (the company's own account)
business-connected = 🔗 The account { $account } connected the bot through Telegram Business: customers who write to it are answered by the bot.
business-no-reply = ⚠️ The account { $account } connected the bot but did not allow it to reply: the bot does not answer customers there. Allow replies in Settings › Telegram Business › Chatbots.
business-disconnected = ⛔ The account { $account } disconnected the bot: it no longer answers customers who write to that account.
business-takeover = 🙋 A person of the company is writing to { $customer } directly from the company's account: the bot stays silent in that chat for { $minutes } minutes (from that person's latest message).
