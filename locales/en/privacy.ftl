# Personal data (Law 91/2025/QH15, Decree 356/2025/ND-CP). The company's lawyer should read
# these texts; the settings file can replace the notice and the full text (privacy.summary_en,
# privacy.full_text_en).

cmd-quyenriengtu = Privacy: how your personal data is used
cmd-dulieu = My data: see, download, correct
cmd-xoadulieu = Erase my data

privacy-notice =
    🔒 Before helping you, { $company } needs your consent to keep some personal data:
    • What: your name and messaging account, phone number, invoice number, the dates you give, your reason (it may include health information such as illness or an accident), your messages, the photos and documents you send.
    • Why: to handle your deferral, refund and complaint requests, call you back and remind you of dates.
    • Who sees it: {$company}'s customer care staff; it is not sold or passed to others.
    • How long: until your request or complaint is closed, then { $days } more days; then your messages and photos are deleted.
    • Your rights: see and download your data (/mydata), correct it, withdraw consent, erase it (/erase); full text: /privacy.
    • Contact for personal data: { $contact }.
privacy-own-text = { $text }
privacy-url = Full text: { $url }
privacy-notice-ask = Do you agree? If you only want to ask about the policy, just ask: no consent is needed.
privacy-notice-changed = The personal data notice has changed; please read it again and tell us what you decide.
privacy-waiting = Your message is kept aside and will be handled as soon as you choose "I agree". If you choose "I do not agree", it is deleted.
privacy-full =
    🔒 Privacy and personal data – { $company } (version { $version })
    1. Controller: { $company }. Contact for personal data: { $contact }; hotline { $hotline }.
    2. Data kept: your name, account name and account id on the messaging service; phone number; invoice number, payment and job dates; the reason you give, which may include health data (illness, accident), which is sensitive data; your messages, photos and documents; the outcome and the conversation history.
    3. Purposes: handling deferral, refund and complaint requests; hotline call-backs; date reminders and check-ins after the job. Your data is not used for anything else without asking you.
    4. Before/after photos used in advertising (cropped, masked): only if you agree separately; the default is no; you can change your mind any time in /mydata. Saying no does not change how you are served.
    5. Who sees it: {$company}'s customer care staff; every staff view of a file is recorded. Not sold or passed to third parties unless the law requires it.
    6. How long: until your request or complaint is closed, plus { $days } days; then messages, photos and documents are deleted; request numbers, dates and outcomes are kept without anything that identifies you.
    7. Your rights: to be informed; to consent or not; to see and download your data (/mydata); to correct your name (/fixname) and phone (/fixphone); to withdraw consent (/withdraw); to erase your data (/erase); to object or restrict processing through the contact in point 1. Requests are acknowledged at once; erasure is completed within the legal time limit.
    8. Withdrawing consent stops all processing and reminders and leads to erasure of your data.
btn-privacy-agree = ✅ I agree
btn-privacy-refuse = I do not agree
btn-privacy-changed-mind = I changed my mind: I agree
btn-my-data = My data
privacy-agreed = Thank you for agreeing. You can review or change this any time with /mydata.
privacy-agreed-held = Carrying on with the message you sent:
privacy-already-agreed = You have already agreed; everything goes on as usual.
privacy-refused =
    You chose not to agree. We keep none of your messages, and the one you just sent has been deleted.
    You can still call the hotline { $hotline } for help in person, or ask us about the policy any time. Contact for personal data: { $contact }.
    If you change your mind, press the button below or type /privacy.
privacy-photos-ask = A separate, optional question: may the company use your before/after photos (cropped and masked so that you cannot be recognised) in advertising and reports? The default is no; saying no does not change how you are served.
btn-photos-yes = Allow photos
btn-photos-no = Do not allow
privacy-photos-yes = Noted: you allow your photos (cropped, masked) in advertising. You can change your mind any time in /mydata.
privacy-photos-no = Noted: your photos will not be used in advertising.
privacy-menu =
    My data: you can download everything we keep, correct your name or phone, change your mind about photos in advertising, withdraw consent or erase your data.
    Photos in advertising: { $photos }.
privacy-photos-on = allowed
privacy-photos-off = not allowed
btn-data-download = 📄 Download my data
btn-data-correct = ✏️ Correct name / phone
btn-photos-on = Allow photos in advertising
btn-photos-off = Stop photos in advertising
btn-data-withdraw = Withdraw consent
btn-data-erase = 🗑 Erase my data
privacy-correct-how =
    To correct your name, type: /fixname Your correct name (e.g. /fixname Nguyen Thi Hoa).
    To correct your phone number, type: /fixphone new number (e.g. /fixphone 0912 345 678).
privacy-name-fixed = Your name is now: { $name }.
privacy-phone-fixed = Your phone number is now { $phone } (on { $cases } complaint files). The hotline will call this number.
privacy-phone-bad = That does not look like a Vietnamese phone number (e.g. 0912 345 678). Please type it again: /fixphone new number.
privacy-data-file-text = 📄 Everything we keep about you (readable).
privacy-data-file-json = 📄 The same data as JSON (to take elsewhere).
privacy-nothing-kept = We keep no data about you.
privacy-withdraw-what = Withdrawing consent stops all processing of your data and all reminders, then erases your data as follows.
privacy-erase-what =
    Erased: your name, account name, phone number, messages, photos, documents and the conversation.
    Kept, no longer linked to you and marked "erased on request": request and complaint numbers, dates, outcomes and the rules applied (the company must keep these by law).
    This cannot be undone. Are you sure?
privacy-erase-open = You have requests or complaints still open ({ $open }): staff are told at once, and the erasure is done within { $days } days.
btn-erase-confirm = 🗑 Erase my data
btn-withdraw-confirm = Withdraw consent and erase my data
btn-erase-keep = No, keep it
privacy-erase-kept = Cancelled: your data is kept as it was.
privacy-erase-unknown = This button is no longer valid; nothing was erased. To erase your data, type /erase and confirm again.
privacy-erased = ✅ Your personal data has been erased. If you write again, you will be asked as a new customer.
privacy-erase-scheduled = Your erasure request is recorded. Staff have been told about { $open }; your data will be erased by { $due } at the latest. From now on we process no more of your data.
privacy-erase-pending = Your erasure request is recorded and will be completed by { $due } at the latest. Meanwhile we handle no further messages.
privacy-staff-erasure = 🗑 Customer #{ $customer } asked to erase their personal data. Still open: { $open }. Erase by: { $due }; finish them before then, or the data is erased automatically at the deadline.
privacy-staff-erasure-reminder = 🗑 Reminder: customer #{ $customer }'s data must be erased by { $due }. Still open: { $open }.
privacy-staff-erased = 🗑 Customer #{ $customer }'s personal data was erased on request ({ $open }: erased on request).

data-file-title = Personal data kept about you
data-file-profile = Profile
data-file-name = Name
data-file-username = Account
data-file-language = Language
data-file-identity = Channel
data-file-consents = Consent history
data-file-requests = Requests
data-file-cases = Complaints
data-file-files = Files you sent
data-file-conversation = Conversation in progress
case-card-photos = Customer's photos: { $photos }
case-card-photos-yes = may be used in advertising (cropped, masked)
case-card-photos-no = may not be used in advertising
privacy-purge-would = The files and messages of { $n } records closed longer ago than the retention period would be purged (nothing purged: --dry-run).
privacy-purge-done = Purged the files and messages of { $n } records closed longer ago than the retention period.
