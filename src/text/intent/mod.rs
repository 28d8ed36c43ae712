//! Recognising what a customer wants from a free-text message.
//!
//! Messages are folded (see [`fold()`](super::fold())), split into words and
//! chat abbreviations are expanded ("ko" → "khong"). Phrases are then matched
//! on whole words only, so "mai" never matches inside "email".
//!
//! Folding loses accents, and a few Vietnamese words collide once folded
//! ("hủy" cancel / "Huy" a name, "thôi" enough / "thời" time, "có" yes /
//! "cô" miss). When the customer types with diacritics, `ACCENT_GUARDS`
//! keeps only the intended spelling; without diacritics the folded word is
//! all we have and it matches.
//!
//! Questions about the policy ([`Intent::Ask`]) come from two places:
//! phrases of their own in the data files under `phrases/` ("số hotline", "quy trình khiếu
//! nại"), and requests that are worded as questions. "Có được hoàn tiền
//! không" holds the refund phrase but asks about the refund policy; "tôi
//! muốn hoàn tiền" asks for a refund. The wording of the whole message
//! decides (see `Mood`): question words ("không" at the end, "?", "có
//! được", "bao giờ", "thế nào", "how", "can I") make it a question, unless
//! it also has request wording ("muốn", "cho tôi", "làm thủ tục", "yêu
//! cầu", "xin" + an action), which wins; words that only ask ("cho hỏi",
//! "muốn biết", "tìm hiểu") make it a question whatever else it says.

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::text::fold;
use matcher::{Hit, Matcher};

mod matcher;
pub mod phrasebook;
mod tables;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Intent {
    Deferral,
    Refund,
    Complaint,
    Status,
    Menu,
    Cancel,
    Why,
    Help,
    Greeting,
    NoSchedule,
    NoneAvailable,
    Yes,
    No,
    /// A question about the company or its policy, answered from the
    /// policy text rather than by starting a request.
    Ask(Question),
}

/// What a customer asks about (POLICY.md rule in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Question {
    /// The hotline number (CONTACT, COMPLAINT step 1).
    Hotline,
    /// The company's address (CONTACT).
    Address,
    /// The company's email (CONTACT).
    Email,
    /// The company's website (CONTACT).
    Website,
    /// How to reach the company at all (CONTACT).
    Contact,
    /// Whether and when a refund is possible (NO_REFUND, REFUND_COMPANY_FAULT).
    RefundPolicy,
    /// How long a job may be deferred (DEFER_MAX).
    DeferLength,
    /// What happens when the customer misses the job date (DEFER_MAX).
    MissedDate,
    /// Whether the company may postpone a job (COMPANY_POSTPONE).
    CompanyPostpone,
    /// What happens to the before/after photos (RECORDS).
    Photos,
    /// How complaints are handled (COMPLAINT).
    ComplaintProcess,
    /// What to do after the job (AFTERCARE).
    Aftercare,
    /// The policy in general.
    Policy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReasonHint {
    BusinessTrip,
    Accident,
    Illness,
    Bereavement,
    EconomicFamily,
}

/// Chat abbreviations, expanded word by word before matching. Only
/// unambiguous ones: "bn" (bạn / bao nhiêu), "t" (tôi / tháng) and
/// "mk" are left alone.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("ko", "khong"),
    ("k", "khong"),
    ("kg", "khong"),
    ("kh", "khong"),
    ("khg", "khong"),
    ("hok", "khong"),
    ("hk", "khong"),
    ("khum", "khong"),
    ("dc", "duoc"),
    ("j", "gi"),
    ("ji", "gi"),
    ("bnhieu", "bao nhieu"),
    ("ad", "admin"),
    ("ntn", "nhu the nao"),
    ("vs", "voi"),
    ("r", "roi"),
    ("e", "em"),
    ("a", "anh"),
    ("lm", "lam"),
    ("bit", "biet"),
    ("bik", "biet"),
    ("bjt", "biet"),
    ("chx", "chua"),
    ("kq", "ket qua"),
    ("sdt", "so dien thoai"),
    ("dt", "dien thoai"),
    ("dthoai", "dien thoai"),
    ("cty", "cong ty"),
    ("oke", "ok"),
    ("okie", "ok"),
    ("oki", "ok"),
    ("okey", "ok"),
    ("okay", "ok"),
    ("okela", "ok"),
    ("oce", "ok"),
    ("uhm", "uh"),
    ("um", "uh"),
    ("uk", "uh"),
    ("tks", "thanks"),
    ("thx", "thanks"),
    ("pls", "please"),
    ("plz", "please"),
];

/// Words whose accent alone decides the meaning, kept accented instead of
/// folded: "hoãn" (postpone) and "hoàn" (refund) both fold to "hoan".
const ACCENT_KEYS: &[&str] = &["hoãn"];

/// Folded words that collide with unrelated words. When the message has
/// any diacritics, a word only matches if it was typed as one of these.
const ACCENT_GUARDS: &[(&str, &[&str])] = &[
    ("huy", &["hủy", "huỷ"]),
    ("thoi", &["thôi"]),
    ("co", &["có"]),
    ("dung", &["đúng"]),
    ("sai", &["sai"]),
    ("chao", &["chào"]),
    ("chua", &["chưa"]),
    ("doi", &["đổi", "dời", "dổi", "đời"]),
    ("da", &["dạ", "đa"]),
    ("vang", &["vâng"]),
    ("u", &["ừ", "ư"]),
    ("roi", &["rồi"]),
    ("phai", &["phải"]),
    ("chuan", &["chuẩn"]),
    ("te", &["tệ", "té"]),
    ("om", &["ốm"]),
    ("sot", &["sốt"]),
    ("cum", &["cúm"]),
    ("mat", &["mất"]),
    ("hieu", &["hiếu"]),
    ("tang", &["tang"]),
    // "ảnh" photo, "phản ánh" report / "anh" you, brother.
    ("anh", &["ảnh", "ánh"]),
    // "đăng" publish / "đang" now.
    ("dang", &["đăng"]),
    // "đến" come / "đèn" lamp / "đen" black.
    ("den", &["đến"]),
    // "lỡ" miss / "lo" worry.
    ("lo", &["lỡ"]),
    // "trễ" late / "tre" bamboo.
    ("tre", &["trễ"]),
    // "sưng" swollen / "súng" gun.
    ("sung", &["sưng"]),
    // "ngứa" itchy / "ngựa" horse.
    ("ngua", &["ngứa"]),
    // "mủ" pus / "mũ" hat.
    ("mu", &["mủ"]),
];

/// Words dropped before a whole-message answer is read ("không ạ").
const FILLERS: &[&str] = &[
    "anh", "em", "chi", "ban", "shop", "admin", "toi", "minh", "tao", "nhe", "nha", "ne", "nhi",
    "oi", "ah", "ha", "vay", "luon", "nhieu", "cam", "on", "thanks", "thank", "you", "please",
    "xin", "chu",
];

/// Polite particles that are themselves a "yes" when said alone ("dạ",
/// "vâng") but only soften another answer ("dạ không").
const SOFT_FILLERS: &[&str] = &["da", "vang", "u", "uh"];

/// Words that make a message a question. With request wording also
/// present the message stays a request.
const QUESTION_WORDS: &[&str] = &[
    "co duoc",
    "duoc khong",
    "hay khong",
    "co phai",
    "phai khong",
    "bao gio",
    "bao lau",
    "bao nhieu",
    "may ngay",
    "may tuan",
    "may thang",
    "may lan",
    "may buoc",
    "bao nhieu buoc",
    "nao",
    "sao",
    "gi",
    "o dau",
    "neu",
    "how",
    "what",
    "when",
    "where",
    "why",
    "which",
    "can i",
    "could i",
    "may i",
    "do i",
    "does",
    "is it",
    "is there",
    "are there",
    "will i",
    "will my",
    "if",
];

/// Question particles at the end of a message, as typed: "à", "hả"...
const QUESTION_PARTICLES: &[&str] = &["à", "hả", "hở", "ư", "chứ", "nhỉ", "chăng", "hông"];

/// Words that only ask: the message is a question even with request
/// wording in it ("cho em hỏi muốn hoàn tiền thì làm sao").
const ASKING_WORDS: &[&str] = &[
    "cho hoi",
    "xin hoi",
    "muon hoi",
    "hoi ve",
    "hoi chut",
    "hoi xiu",
    "hoi ti",
    "hoi thu",
    "cho toi hoi",
    "cho em hoi",
    "cho minh hoi",
    "cho anh hoi",
    "cho chi hoi",
    "muon biet",
    "cho biet",
    "cho toi biet",
    "cho em biet",
    "cho minh biet",
    "khong biet",
    "tim hieu",
    "thac mac",
    "what is",
    "what are",
    "what happens",
    "what if",
    "how do",
    "how does",
    "how can",
    "how long",
    "how many",
    "tell me",
    "i wonder",
];

/// Request wording: the customer wants the thing done. "xin" + an action,
/// "cần" after a pronoun and "đi" at the end are handled in `Mood::of`.
const REQUEST_WORDS: &[&str] = &[
    "muon",
    "cho toi",
    "cho em",
    "cho minh",
    "cho anh",
    "cho chi",
    "cho tao",
    "cho con",
    "giup",
    "lam thu tuc",
    "yeu cau",
    "de nghi",
    "lam on",
    "vui long",
    "want",
    "wanna",
    "need",
    "would like",
    "please",
    "give me my",
    "i demand",
];

/// Words after "xin" that do not ask for anything ("xin chào").
const XIN_NOT_ASKING: &[&str] = &["chao", "loi", "hoi", "cam"];

/// Words asking for information without being a question ("cho xin số").
const INFO_WORDS: &[&str] = &["please", "give me", "send me", "tell me"];

/// Pronouns before "cần" (need) that make it a request ("tôi cần").
const PRONOUNS: &[&str] = &["toi", "em", "minh", "anh", "chi", "tao", "con"];

/// How long: a deferral phrase with one of these asks about DEFER_MAX.
const LENGTH_WORDS: &[&str] = &[
    "bao lau",
    "bao nhieu ngay",
    "bao nhieu tuan",
    "bao nhieu thang",
    "may ngay",
    "may tuan",
    "may thang",
    "duoc lau",
    "lau nhat",
    "how long",
    "how many days",
    "how many weeks",
    "how many months",
];

/// The most: with a deferral phrase in a question ("bảo lưu tối đa?").
const MAX_WORDS: &[&str] = &["toi đa", "max", "maximum", "longest"];

/// Who a deferral phrase is about when it is the company's postponement
/// ("công ty có được dời lịch không").
const COMPANY_SUBJECTS: &[&str] = &[
    "cong ty",
    "shop",
    "cua hang",
    "tiem",
    "trung tam",
    "ben minh",
    "ben em",
    "ben anh",
    "ben chi",
    "ben ban",
    "ben shop",
    "company",
];

/// Words allowed between the company and the deferral phrase ("công ty
/// có được dời").
const SUBJECT_MODALS: &[&str] = &[
    "co", "duoc", "the", "da", "tu", "y", "lai", "se", "khong", "phep", "hay", "van", "cung",
    "quyen", "can", "may", "will", "might", "could",
];

/// Words that make "shop" the one addressed, not the one acting ("chào
/// shop, dời lịch được không").
const GREETING_WORDS: &[&str] = &["chao", "hi", "hello", "alo", "hey", "oi"];

/// Complaint phrases that already are the complaint: a question with one
/// of them is still a complaint ("dịch vụ tệ quá, khiếu nại thế nào?").
const EMOTIVE_COMPLAINTS: &[&str] = &[
    "dich vu te",
    "dich vu kem",
    "lam an te",
    "lam an kem",
    "lam an chan",
    "te qua",
    "qua te",
    "lua dao",
    "that vong",
    "buc minh",
    "khong hai long",
];

/// Relatives whose "mất" means they died ("bố tôi mất").
const RELATIVES: &[&str] = &[
    "bo", "me", "ba", "cha", "ong", "chong", "vo", "con", "nguoi", "than", "chu", "bac", "di",
    "cau", "mo", "thim", "noi", "ngoai", "trai", "gai",
];

/// Words that may follow "mất" when it means died ("mất hôm qua", "mất
/// rồi", "mất vì bệnh"); anything else is an object ("mất việc", "mất tiền").
const AFTER_DEATH: &[&str] = &[
    "roi", "hom", "tuan", "thang", "nam", "ngay", "sang", "chieu", "toi", "dem", "luc", "vao",
    "dot", "vi", "nen", "do", "anh", "em", "chi", "nhe", "oi", "som", "cach",
];

/// The death of a relative: "mất" a few words after a relative and not
/// followed by an object.
fn relative_passed_away(tokens: &[&Token], accented: bool) -> bool {
    tokens.iter().enumerate().any(|(i, token)| {
        word_matches(token, "mat", accented)
            && tokens[i.saturating_sub(4)..i]
                .iter()
                .any(|t| RELATIVES.contains(&t.key.as_str()))
            && tokens
                .get(i + 1)
                .is_none_or(|next| AFTER_DEATH.contains(&next.key.as_str()))
    })
}

/// One word of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    /// What phrases are matched against: folded, expanded.
    key: String,
    /// The word as typed, lowercased and NFC, for [`ACCENT_GUARDS`].
    typed: String,
    /// Produced by abbreviation expansion, so accents say nothing about it.
    expanded: bool,
}

fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for word in input
        .split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
    {
        let typed: String = word.nfc().collect::<String>().to_lowercase();
        let folded = fold(word);
        if ACCENT_KEYS.contains(&typed.as_str()) {
            tokens.push(Token {
                key: typed.clone(),
                typed,
                expanded: false,
            });
        } else if let Some(&(_, expansion)) = ABBREVIATIONS.iter().find(|(abbr, _)| *abbr == folded)
        {
            tokens.extend(expansion.split(' ').map(|part| Token {
                key: part.to_string(),
                typed: typed.clone(),
                expanded: true,
            }));
        } else {
            tokens.push(Token {
                key: folded,
                typed,
                expanded: false,
            });
        }
    }
    tokens
}

/// A phrase as the matcher sees it: folded and expanded word by word the
/// way messages are, with its leading `=` or `?` kept. `None` when no word
/// is left ("", "!!!").
fn normalize_phrase(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let (marker, body) = match raw.chars().next() {
        Some(c @ ('=' | '?')) => (c.to_string(), &raw[1..]),
        _ => (String::new(), raw),
    };
    let keys: Vec<String> = tokenize(body).into_iter().map(|t| t.key).collect();
    (!keys.is_empty()).then(|| format!("{marker}{}", keys.join(" ")))
}

/// Whether the customer typed with Vietnamese diacritics at all.
fn is_accented(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| !t.expanded && t.key != t.typed)
}

fn word_matches(token: &Token, word: &str, accented: bool) -> bool {
    if !word.is_ascii() && !ACCENT_KEYS.contains(&word) {
        return pinned_matches(token, word, accented);
    }
    if token.key != word {
        return false;
    }
    if !accented || token.expanded {
        return true;
    }
    ACCENT_GUARDS
        .iter()
        .find(|(folded, _)| *folded == word)
        .is_none_or(|(_, spellings)| spellings.contains(&token.typed.as_str()))
}

/// A phrase word written with its diacritics ("thời gian", "vắng mặt")
/// when its folded form is guarded for another word ("thoi", "mat"): in a
/// message with diacritics it matches only that spelling, in one without,
/// its folded form.
fn pinned_matches(token: &Token, word: &str, accented: bool) -> bool {
    if accented && !token.expanded {
        token.typed == word.nfc().collect::<String>()
    } else {
        token.key == fold(word)
    }
}

/// A phrase without its `=` or `?` marker.
fn bare(phrase: &str) -> &str {
    phrase.strip_prefix(['=', '?']).unwrap_or(phrase)
}

/// Number of words of `phrase` if it matches at `tokens[start..]`.
fn match_at(
    tokens: &[&Token],
    start: usize,
    phrase: &str,
    accented: bool,
) -> Option<usize> {
    let phrase = bare(phrase);
    let several = phrase.contains(' ');
    let mut len = 0;
    let mut typo = false;
    for word in phrase.split(' ') {
        let token = tokens.get(start + len)?;
        if !word_matches(token, word, accented) {
            // One mistyped word per phrase, in a message typed without diacritics ("hotlne",
            // "hoan tiem"), never the whole of a short one-word phrase.
            let long_enough = if several { 3 } else { 6 };
            let forgivable = !accented
                && !typo
                && word.is_ascii()
                && word.len() >= long_enough
                && !known_word(&token.key)
                && one_edit_apart(&token.key, word);
            if !forgivable {
                return None;
            }
            typo = true;
        }
        len += 1;
    }
    Some(len)
}

/// Every word the phrase tables use, folded: a word customers really use is never a typo of
/// another ("luu" is not a mistyped "lau").
fn known_word(word: &str) -> bool {
    static KNOWN: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    KNOWN
        .get_or_init(|| {
            let tables = tables::builtin();
            let phrases = tables
                .intents
                .iter()
                .flat_map(|(_, ps)| ps.iter())
                .chain(&tables.intent_masks);
            let mut words: std::collections::HashSet<String> = phrases
                .flat_map(|p| bare(p).split(' ').map(fold).collect::<Vec<_>>())
                .collect();
            for (short, long) in ABBREVIATIONS {
                words.insert(fold(short));
                words.extend(long.split(' ').map(fold));
            }
            for w in FILLERS
                .iter()
                .chain(SOFT_FILLERS)
                .chain(QUESTION_WORDS)
                .chain(ASKING_WORDS)
            {
                words.extend(w.split(' ').map(fold));
            }
            words
        })
        .contains(word)
}

/// Whether two words differ by one letter changed, added, dropped, or two neighbours swapped
/// (an optimal string alignment distance of one), the first letter kept.
fn one_edit_apart(a: &str, b: &str) -> bool {
    a.chars().next() == b.chars().next() && strsim::osa_distance(a, b) == 1
}

/// Whether any of `phrases` occurs in `tokens[from..]`.
fn contains_from(tokens: &[&Token], from: usize, phrases: &[&str], accented: bool) -> bool {
    (from..tokens.len()).any(|i| {
        phrases
            .iter()
            .any(|p| match_at(tokens, i, p, accented).is_some())
    })
}

fn contains(tokens: &[&Token], phrases: &[&str], accented: bool) -> bool {
    contains_from(tokens, 0, phrases, accented)
}

/// Which marked phrases may count.
#[derive(Debug, Clone, Copy)]
struct Allow {
    /// `=` phrases: the message is only answers.
    answers: bool,
    /// `?` phrases: the message asks something, or is only topics.
    questions: bool,
}

const PLAIN: Allow = Allow {
    answers: false,
    questions: false,
};

const ANSWERS: Allow = Allow {
    answers: true,
    questions: false,
};

const WHOLE: Allow = Allow {
    answers: true,
    questions: true,
};

fn allowed(phrase: &str, allow: Allow) -> bool {
    match phrase.as_bytes().first() {
        Some(b'=') => allow.answers,
        Some(b'?') => allow.questions,
        _ => true,
    }
}

/// Longest phrase among `hits` (masks too when `masks`; the earlier entry wins a tie).
/// `None` inside `Some` means a mask.
fn longest<T: Copy>(
    matcher: &Matcher<T>,
    hits: &[Hit],
    masks: bool,
    allow: Allow,
) -> Option<(usize, Option<T>)> {
    let mut best: Option<(usize, Option<T>)> = None;
    for hit in hits {
        let label = matcher.label(hit.entry);
        if (label.is_none() && !masks) || !allowed(matcher.phrase(hit.entry), allow) {
            continue;
        }
        if best.is_none_or(|(b, _)| hit.len > b) {
            best = Some((hit.len, label));
        }
    }
    best
}

/// A phrase found in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found<T> {
    pos: usize,
    len: usize,
    label: T,
}

/// Every phrase found anywhere, left to right, longest first, no overlaps.
fn scan<T: Copy>(
    tokens: &[&Token],
    matcher: &Matcher<T>,
    allow: Allow,
    accented: bool,
) -> Vec<Found<T>> {
    let hits = matcher.hits(tokens, accented);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match longest(matcher, &hits[i], true, allow) {
            Some((len, label)) => {
                if let Some(label) = label {
                    found.push(Found { pos: i, len, label });
                }
                i += len;
            }
            None => i += 1,
        }
    }
    found
}

fn is_filler(token: &Token) -> bool {
    FILLERS.contains(&token.key.as_str()) || SOFT_FILLERS.contains(&token.key.as_str())
}

/// The intent of a message made only of answer phrases of one intent
/// ("không ạ"), or only of question topics of one kind ("địa chỉ ạ",
/// "sđt?").
fn whole_message(tokens: &[&Token], matcher: &Matcher<Intent>, accented: bool) -> Option<Intent> {
    answers_only(tokens, matcher, accented).or_else(|| topics_only(tokens, matcher, accented))
}

/// Fillers dropped first, then every word must belong to a phrase.
fn answers_only(tokens: &[&Token], matcher: &Matcher<Intent>, accented: bool) -> Option<Intent> {
    let content: Vec<&Token> = tokens
        .iter()
        .copied()
        .filter(|t| !FILLERS.contains(&t.key.as_str()))
        .collect();
    let core: Vec<&Token> = content
        .iter()
        .copied()
        .filter(|t| !SOFT_FILLERS.contains(&t.key.as_str()))
        .collect();
    let words = if core.is_empty() { content } else { core };

    let hits = matcher.hits(&words, accented);
    let mut intent = None;
    let mut i = 0;
    while i < words.len() {
        let (len, found) = longest(matcher, &hits[i], false, ANSWERS)?;
        let found = found?;
        if intent.is_some_and(|seen| seen != found) {
            return None;
        }
        intent = Some(found);
        i += len;
    }
    intent
}

/// Phrases first, particles between them: "địa chỉ" holds "chị", a
/// filler. Pronouns are not skipped here: "em bận không đến được" is a
/// statement, not the topic "không đến được". Only questions come out of
/// here; answers are [`answers_only`]'s.
fn topics_only(tokens: &[&Token], matcher: &Matcher<Intent>, accented: bool) -> Option<Intent> {
    let hits = matcher.hits(tokens, accented);
    let mut intent = None;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        // "ạ" is read as "a", then "anh": a particle, not a pronoun.
        let filler = (token.expanded && token.key == "anh")
            || (is_filler(token) && !PRONOUNS.contains(&token.key.as_str()) && token.key != "ban");
        match longest(matcher, &hits[i], false, WHOLE) {
            Some((len, Some(found @ Intent::Ask(_)))) if len > 1 || !filler => {
                if intent.is_some_and(|seen| seen != found) {
                    return None;
                }
                intent = Some(found);
                i += len;
            }
            _ if filler => i += 1,
            _ => return None,
        }
    }
    intent
}

/// How the message is worded: asking, or asking for something to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mood {
    /// Read as a question: question words without request wording, or
    /// words that only ask.
    question: bool,
    /// Request wording ("muốn", "cho tôi", "xin" + action).
    request: bool,
    /// Words that only ask ("cho hỏi", "muốn biết").
    asking: bool,
    /// Asks for something, a question or not ("cho xin số", "sđt?"):
    /// `?` phrases count.
    asks: bool,
}

impl Mood {
    fn of(input: &str, tokens: &[&Token], accented: bool) -> Mood {
        let has = |phrases: &[&str]| contains(tokens, phrases, accented);
        let last = tokens
            .iter()
            .rev()
            .find(|t| !is_filler(t) && !matches!(t.key.as_str(), "the" | "ta" | "ha" | "nao"));
        let last_is = |word: &str| last.is_some_and(|t| t.key == word);
        let particle = tokens
            .last()
            .is_some_and(|t| QUESTION_PARTICLES.contains(&t.typed.as_str()));
        // "muốn bảo lưu thì phải báo trước mấy ngày": "thì" (then) followed by a question word
        // asks what happens, whatever request words come before it ("thi công" is the job).
        let conditional = tokens.iter().enumerate().any(|(i, t)| {
            t.key == "thi"
                && tokens.get(i + 1).is_some_and(|next| next.key != "cong")
                && (contains_from(tokens, i + 1, QUESTION_WORDS, accented) || last_is("khong"))
        });
        let asking = has(ASKING_WORDS) || conditional;
        let marked =
            input.contains(['?', '？']) || particle || last_is("khong") || has(QUESTION_WORDS);
        let xin = tokens.iter().enumerate().any(|(i, t)| {
            t.key == "xin"
                && tokens
                    .get(i + 1)
                    .is_some_and(|next| !XIN_NOT_ASKING.contains(&next.key.as_str()))
        });
        let need = tokens.iter().enumerate().any(|(i, t)| {
            t.key == "can"
                && match i.checked_sub(1) {
                    None => tokens.get(1).is_none_or(|next| next.key != "i"),
                    Some(p) => PRONOUNS.contains(&tokens[p].key.as_str()),
                }
        });
        let request = has(REQUEST_WORDS) || xin || need || last_is("di");
        let asks = marked
            || asking
            || xin
            || has(INFO_WORDS)
            || tokens.first().is_some_and(|t| t.key == "cho");
        Mood {
            question: asking || (marked && !request),
            request,
            asking,
            asks,
        }
    }
}

/// Whether the deferral phrase at `pos` has the company as its subject
/// ("công ty có được dời lịch", "bên mình hoãn lịch").
fn company_subject_before(tokens: &[&Token], pos: usize, accented: bool) -> bool {
    let mut end = pos;
    while end > 0 && SUBJECT_MODALS.contains(&tokens[end - 1].key.as_str()) {
        end -= 1;
    }
    COMPANY_SUBJECTS.iter().any(|subject| {
        let len = subject.split(' ').count();
        end >= len
            && match_at(tokens, end - len, subject, accented).is_some()
            && !(end - len > 0 && GREETING_WORDS.contains(&tokens[end - len - 1].key.as_str()))
    })
}

/// Turns requests worded as questions into the question they ask.
fn read_questions(found: &mut [Found<Intent>], tokens: &[&Token], mood: Mood, accented: bool) {
    let emotive = contains(tokens, EMOTIVE_COMPLAINTS, accented);
    let not_a_request = !mood.request || mood.asking;
    let how_long = contains(tokens, LENGTH_WORDS, accented)
        || (mood.question && contains(tokens, MAX_WORDS, accented));
    for f in found.iter_mut() {
        f.label = match f.label {
            Intent::Deferral | Intent::Ask(Question::DeferLength)
                if not_a_request && company_subject_before(tokens, f.pos, accented) =>
            {
                Intent::Ask(Question::CompanyPostpone)
            }
            Intent::Deferral if not_a_request && how_long => Intent::Ask(Question::DeferLength),
            Intent::Refund if mood.question => Intent::Ask(Question::RefundPolicy),
            Intent::Complaint if mood.question && !emotive => {
                Intent::Ask(Question::ComplaintProcess)
            }
            other => other,
        };
    }
}

/// Lower wins. Within a rank the phrase that comes first wins.
fn rank(intent: Intent, question: bool) -> u8 {
    match intent {
        Intent::Status => 0,
        Intent::Ask(Question::Policy) => 4,
        Intent::Ask(_) if question => 1,
        Intent::Deferral | Intent::Refund | Intent::Complaint | Intent::Cancel => 2,
        Intent::Ask(_) => 3,
        Intent::NoSchedule | Intent::NoneAvailable | Intent::Yes | Intent::No => 5,
        Intent::Menu => 6,
        Intent::Why => 7,
        Intent::Help => 8,
        Intent::Greeting => 9,
    }
}

/// [`detect_intent`] with any phrase table, compiled with the built-in intent masks.
fn detect(matcher: &Matcher<Intent>, input: &str) -> Option<Intent> {
    let trimmed = input.trim();
    if !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| matches!(c, '?' | '？') || c.is_whitespace())
    {
        return Some(Intent::Why);
    }

    let tokens = tokenize(input);
    let accented = is_accented(&tokens);
    let words: Vec<&Token> = tokens.iter().collect();
    let mood = Mood::of(input, &words, accented);
    let allow = Allow {
        answers: false,
        questions: mood.asks,
    };
    let mut found = scan(&words, matcher, allow, accented);
    read_questions(&mut found, &words, mood, accented);

    let best = found
        .iter()
        .filter(|f| f.label != Intent::Greeting)
        .min_by_key(|f| (rank(f.label, mood.question), f.pos));
    if let Some(f) = best {
        return Some(f.label);
    }
    if let Some(intent) = whole_message(&words, matcher, accented) {
        return Some(intent);
    }
    found.first().map(|f| f.label)
}

/// Detects what the customer wants, if anything clear, with the built-in
/// phrases ([`Phrasebook::builtin`](phrasebook::Phrasebook::builtin)).
///
/// Order of precedence: a message of only question marks is [`Intent::Why`];
/// then phrases found anywhere, by rank: Status; questions
/// ([`Intent::Ask`]) when the message reads as a question; Deferral,
/// Refund, Complaint, Cancel, whichever comes first; questions when the
/// message does not read as one; the policy in general
/// ([`Question::Policy`]); the answers NoSchedule, NoneAvailable, Yes, No;
/// Menu; Why; Help. Then a message that is only a short answer ("không
/// ạ", "ok cảm ơn") or only a topic ("địa chỉ ạ"); greetings last.
///
/// Before ranking, a request worded as a question becomes the question
/// (see the module documentation): a refund phrase → RefundPolicy; a
/// complaint phrase → ComplaintProcess, unless the message already
/// complains ("dịch vụ tệ quá"); a deferral phrase with the company as
/// subject → CompanyPostpone, with "bao lâu", "mấy ngày" or (in a
/// question) "tối đa" → DeferLength.
pub fn detect_intent(input: &str) -> Option<Intent> {
    phrasebook::Phrasebook::builtin().intent(input)
}

fn reason_rank(reason: ReasonHint) -> u8 {
    match reason {
        ReasonHint::Bereavement => 0,
        ReasonHint::Accident => 1,
        ReasonHint::Illness => 2,
        ReasonHint::BusinessTrip => 3,
        ReasonHint::EconomicFamily => 4,
    }
}

/// Guesses which documented reason a free-text explanation falls under.
/// The most specific wins: bereavement, accident, illness, business trip,
/// then economic or family hardship.
pub fn classify_reason(input: &str) -> Option<ReasonHint> {
    let tokens = tokenize(input);
    let accented = is_accented(&tokens);
    let words: Vec<&Token> = tokens.iter().collect();
    static MATCHER: std::sync::OnceLock<Matcher<ReasonHint>> = std::sync::OnceLock::new();
    let matcher = MATCHER.get_or_init(|| {
        let tables = tables::builtin();
        Matcher::new(&tables.reason_masks, &tables.reasons)
    });
    let mut found: Vec<ReasonHint> = scan(&words, matcher, PLAIN, accented)
        .into_iter()
        .map(|f| f.label)
        .collect();
    if relative_passed_away(&words, accented) {
        found.push(ReasonHint::Bereavement);
    }
    found.into_iter().min_by_key(|r| reason_rank(*r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Intent::*;
    use Question::*;

    const QUESTIONS: &[Question] = &[
        Hotline,
        Address,
        Email,
        Website,
        Contact,
        RefundPolicy,
        DeferLength,
        MissedDate,
        CompanyPostpone,
        Photos,
        ComplaintProcess,
        Aftercare,
        Policy,
    ];

    #[test]
    fn customer_messages_map_to_their_intent() {
        let cases: &[(&str, Intent)] = &[
            // Deferral
            ("Tôi muốn bảo lưu hợp đồng", Deferral),
            ("toi muon bao luu", Deferral),
            ("BAO LUU", Deferral),
            ("baoluu", Deferral),
            ("cho em đổi lịch thi công với ạ", Deferral),
            ("dời lịch sang tuần sau đc ko", Deferral),
            ("doi ngay thi cong dc k ad", Deferral),
            ("xin hoãn thi công 2 tuần", Deferral),
            ("em muốn hoãn lại ạ", Deferral),
            ("hoan lich thi cong giup em", Deferral),
            ("can i reschedule?", Deferral),
            ("I need to postpone", Deferral),
            ("chào shop, mình muốn đổi lịch", Deferral),
            ("bảo lưu hay hoàn tiền thì tốt hơn", Deferral),
            // Refund
            ("chào shop, tôi muốn hoàn tiền", Refund),
            ("hoan tien cho toi", Refund),
            ("Hoàn lại tiền cọc giúp em", Refund),
            ("tôi muốn lấy lại tiền", Refund),
            ("refund pls", Refund),
            ("I want my money back", Refund),
            ("hoàn tiền hay bảo lưu thì tốt hơn", Refund),
            // Complaint
            ("tôi muốn khiếu nại", Complaint),
            ("khieu nai nhan vien", Complaint),
            ("khiếu lại nhân viên lắp đặt", Complaint),
            ("dịch vụ tệ quá", Complaint),
            ("lam an te vl", Complaint),
            ("em muốn phản ánh về thái độ nhân viên", Complaint),
            ("I want to complain", Complaint),
            // Status
            ("kiểm tra trạng thái yêu cầu", Status),
            ("tinh trang yeu cau cua toi the nao roi", Status),
            ("status", Status),
            ("yêu cầu hoàn tiền của tôi đến đâu rồi", Status),
            ("check status giúp mình", Status),
            ("ho so cua em xu ly chua a", Status),
            // Menu
            ("menu", Menu),
            ("/start", Menu),
            ("quay lại", Menu),
            ("bắt đầu lại từ đầu", Menu),
            ("cho xem menu", Menu),
            // Cancel
            ("hủy", Cancel),
            ("huy yeu cau", Cancel),
            ("Huỷ giúp em yêu cầu bảo lưu", Cancel),
            ("thôi", Cancel),
            ("thôi khỏi", Cancel),
            ("cancel", Cancel),
            ("không cần nữa đâu", Cancel),
            // Why
            ("?", Why),
            ("??", Why),
            (" ? ? ", Why),
            ("tại sao phải cung cấp giấy tờ?", Why),
            ("sao phai gui anh", Why),
            ("vì sao vậy", Why),
            ("để làm j", Why),
            ("sao?", Why),
            ("why", Why),
            // Help
            ("giúp tôi với", Help),
            ("help", Help),
            ("hướng dẫn mình với", Help),
            ("lam sao de gui giay to", Help),
            ("lm ntn", Help),
            ("cần hỗ trợ", Help),
            // Greeting
            ("Xin chào", Greeting),
            ("chao shop", Greeting),
            ("hello", Greeting),
            ("hi ad", Greeting),
            ("alo alo", Greeting),
            // NoSchedule
            ("chưa có lịch", NoSchedule),
            ("chua co lich thi cong a", NoSchedule),
            ("bên em chưa xếp lịch", NoSchedule),
            ("chưa có", NoSchedule),
            ("chua bit", NoSchedule),
            ("not scheduled yet", NoSchedule),
            // NoneAvailable
            ("không có", NoneAvailable),
            ("ko co", NoneAvailable),
            ("k co a", NoneAvailable),
            ("dạ không có ạ", NoneAvailable),
            ("em không có giấy tờ gì cả", NoneAvailable),
            ("none", NoneAvailable),
            ("no document", NoneAvailable),
            // Yes
            ("có", Yes),
            ("co", Yes),
            ("Có ạ", Yes),
            ("ok", Yes),
            ("oke", Yes),
            ("OK nhé", Yes),
            ("ok cảm ơn shop", Yes),
            ("đúng rồi", Yes),
            ("dung r", Yes),
            ("vâng", Yes),
            ("dạ vâng", Yes),
            ("ừ", Yes),
            ("uh", Yes),
            ("yes", Yes),
            ("dc", Yes),
            ("đồng ý", Yes),
            ("xác nhận giúp em", Yes),
            // No
            ("không", No),
            ("khong", No),
            ("ko", No),
            ("k", No),
            ("hok", No),
            ("không ạ", No),
            ("dạ không", No),
            ("sai", No),
            ("sai rồi", No),
            ("no", No),
            ("chưa", No),
            ("ko dc", No),
            ("không đồng ý", No),
            ("không phải", No),
        ];
        assert!(cases.len() >= 60);
        for (input, expected) in cases {
            assert_eq!(detect_intent(input), Some(*expected), "input {input:?}");
        }
    }

    #[test]
    fn unrelated_messages_have_no_intent() {
        for input in [
            "",
            "   ",
            "hôm nay trời đẹp",
            "HD-2026-0012",
            "06/08/2026",
            "tôi tên Lan",
            "tôi tên Huy",
            "email của tôi là lan@gmail.com",
            "abc",
            "0904718078",
            "cảm ơn",
            "thời gian thi công là bao lâu",
            "thoi gian thi cong bao lau",
            "có được không?",
            "cô ơi",
            "đợi lịch thi công",
            "tôi dùng dịch vụ 2 năm rồi",
        ] {
            assert_eq!(detect_intent(input), None, "input {input:?}");
        }
    }

    #[test]
    fn customers_questions_map_to_what_they_ask() {
        let cases: &[(&str, Question)] = &[
            // Hotline
            ("số hotline là gì", Hotline),
            ("so hotline la gi", Hotline),
            ("hotline", Hotline),
            ("sdt cskh", Hotline),
            ("sđt cskh", Hotline),
            ("cho xin số điện thoại", Hotline),
            ("cho e xin sdt vs", Hotline),
            ("sdt?", Hotline),
            ("goi so nao", Hotline),
            ("gọi số nào để được hỗ trợ ạ", Hotline),
            ("số tổng đài bao nhiêu vậy shop", Hotline),
            ("số đt công ty là bao nhiêu", Hotline),
            ("what is your phone number", Hotline),
            // Address
            ("địa chỉ công ty ở đâu", Address),
            ("dia chi", Address),
            ("địa chỉ ạ", Address),
            ("địa chỉ?", Address),
            ("shop ở đâu", Address),
            ("shop o dau vay", Address),
            ("cty nằm ở đâu", Address),
            ("cho mình xin địa chỉ", Address),
            ("where are you located?", Address),
            // Email
            ("email là gì", Email),
            ("mail cong ty", Email),
            ("cho xin email", Email),
            ("email shop là gì vậy", Email),
            ("gmail của công ty", Email),
            ("what's your email?", Email),
            // Website
            ("trang web", Website),
            ("website", Website),
            ("web cty là gì", Website),
            ("trang web của shop là gì", Website),
            ("do you have a website?", Website),
            // Contact
            ("liên hệ thế nào", Contact),
            ("lien he", Contact),
            ("liên hệ với công ty bằng cách nào", Contact),
            ("làm sao để liên lạc với shop", Contact),
            ("thông tin liên hệ", Contact),
            ("how can I contact you", Contact),
            ("có fanpage không", Contact),
            // Policy
            ("chính sách", Policy),
            ("chinh sach la gi", Policy),
            ("điều khoản", Policy),
            ("cho xem chính sách khách hàng", Policy),
            ("quy định của công ty thế nào", Policy),
            ("chính sách bảo lưu ra sao", Policy),
            ("terms and conditions?", Policy),
            // RefundPolicy
            ("có được hoàn tiền không", RefundPolicy),
            ("co dc hoan tien ko", RefundPolicy),
            ("tiền có được trả lại không", RefundPolicy),
            ("can I get a refund?", RefundPolicy),
            // Was Refund: "when do I get my money back" asks when refunds
            // happen, which is what the refund policy answers.
            ("bao giờ được trả lại tiền vậy", RefundPolicy),
            ("khi nào thì được hoàn tiền", RefundPolicy),
            ("hoàn tiền thế nào", RefundPolicy),
            ("chính sách hoàn tiền", RefundPolicy),
            ("cho hỏi trường hợp nào được hoàn tiền", RefundPolicy),
            ("mình huỷ thì có được hoàn tiền k", RefundPolicy),
            ("em muốn hỏi về hoàn tiền", RefundPolicy),
            ("is a refund possible?", RefundPolicy),
            ("how do I get my money back", RefundPolicy),
            // DeferLength
            ("bảo lưu được bao lâu", DeferLength),
            ("bao luu toi da may ngay", DeferLength),
            ("được dời bao nhiêu ngày", DeferLength),
            ("dời lịch tối đa bao lâu vậy ad", DeferLength),
            ("thời gian bảo lưu là bao lâu", DeferLength),
            ("hoãn được bao lâu", DeferLength),
            ("bảo lưu tối đa mấy tháng", DeferLength),
            ("lùi lịch được tối đa không", DeferLength),
            ("how long can I postpone?", DeferLength),
            // MissedDate
            ("nếu tôi không đến đúng ngày thì sao", MissedDate),
            ("lỡ hẹn ngày thi công", MissedDate),
            ("lo hen thi sao ad", MissedDate),
            ("miss the date", MissedDate),
            ("không đến được vào ngày bảo lưu thì sao", MissedDate),
            ("nếu em đến trễ thì có sao không", MissedDate),
            ("quên lịch hẹn thì sao", MissedDate),
            ("what if I miss my appointment?", MissedDate),
            // CompanyPostpone
            ("công ty có được dời lịch của tôi không", CompanyPostpone),
            ("cty doi lich thi cong duoc ko", CompanyPostpone),
            ("bên mình hoãn lịch", CompanyPostpone),
            ("nếu shop hoãn lịch thì sao", CompanyPostpone),
            ("lịch bị dời thì sao", CompanyPostpone),
            ("em bị hoãn lịch 2 lần rồi", CompanyPostpone),
            ("công ty được hoãn tối đa bao lâu", CompanyPostpone),
            ("can the company postpone my appointment?", CompanyPostpone),
            // Photos
            ("hình ảnh của tôi dùng làm gì", Photos),
            ("ảnh trước sau có bị đăng không", Photos),
            ("anh truoc sau co bi dang len mang khong", Photos),
            ("my photos", Photos),
            ("shop có chụp ảnh em không", Photos),
            ("có dùng hình của tôi để quảng cáo không", Photos),
            ("will you post my photos?", Photos),
            // ComplaintProcess
            ("khiếu nại như thế nào", ComplaintProcess),
            ("quy trình khiếu nại", ComplaintProcess),
            ("how do I complain", ComplaintProcess),
            ("khieu nai o dau", ComplaintProcess),
            ("cho hỏi cách khiếu nại", ComplaintProcess),
            ("có được khiếu nại không", ComplaintProcess),
            ("khiếu nại bao lâu thì được giải quyết", ComplaintProcess),
            ("em muốn hỏi về khiếu nại", ComplaintProcess),
            // Aftercare
            ("sau khi thi công cần làm gì", Aftercare),
            ("chăm sóc sau thi công", Aftercare),
            ("bị sưng thì sao", Aftercare),
            ("bi sung co sao khong", Aftercare),
            ("aftercare", Aftercare),
            ("làm xong bị đau nhức có sao không", Aftercare),
            ("sau thi cong can kieng gi", Aftercare),
            ("ngứa quá có sao không ạ", Aftercare),
            (
                "tình trạng sau thi công như vậy có bình thường không",
                Aftercare,
            ),
            ("is swelling normal after the treatment?", Aftercare),
        ];
        assert!(cases.len() >= 60);
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(input, q)| detect_intent(input) != Some(Ask(*q)))
            .map(|(input, q)| format!("{input:?}: {:?}, not {q:?}", detect_intent(input)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
        for q in QUESTIONS {
            assert!(cases.iter().any(|(_, c)| c == q), "no case for {q:?}");
        }
    }

    #[test]
    fn a_question_about_a_request_is_not_the_request() {
        type Case = (&'static str, Intent);
        let pairs: &[(Case, Case)] = &[
            (
                ("có được hoàn tiền không", Ask(RefundPolicy)),
                ("tôi muốn hoàn tiền", Refund),
            ),
            (
                ("hoàn tiền được không?", Ask(RefundPolicy)),
                ("hoàn tiền cho tôi", Refund),
            ),
            (
                ("can I get a refund?", Ask(RefundPolicy)),
                ("I want a refund", Refund),
            ),
            (
                ("cho hỏi hoàn tiền thế nào", Ask(RefundPolicy)),
                ("làm thủ tục hoàn tiền", Refund),
            ),
            (
                // Words that only ask win over request wording.
                ("tôi muốn biết có được hoàn tiền không", Ask(RefundPolicy)),
                // A polite request stays a request.
                ("cho tôi hoàn tiền được không", Refund),
            ),
            (
                ("khiếu nại như thế nào", Ask(ComplaintProcess)),
                ("tôi muốn khiếu nại", Complaint),
            ),
            (
                ("how do I complain", Ask(ComplaintProcess)),
                ("I want to complain", Complaint),
            ),
            (
                ("quy trình khiếu nại ra sao", Ask(ComplaintProcess)),
                // Already complaining: take the complaint.
                ("dịch vụ tệ quá, khiếu nại ở đâu?", Complaint),
            ),
            (
                ("bảo lưu được bao lâu", Ask(DeferLength)),
                ("tôi muốn bảo lưu 2 tuần", Deferral),
            ),
            (
                ("bảo lưu tối đa?", Ask(DeferLength)),
                ("em muốn dời lịch tối đa 2 tháng", Deferral),
            ),
            (
                ("công ty có được dời lịch không", Ask(CompanyPostpone)),
                ("shop dời lịch giúp em", Deferral),
            ),
            (
                ("bên mình hoãn lịch của em à", Ask(CompanyPostpone)),
                // "shop" is who is greeted, not who postpones.
                ("chào shop dời lịch được không", Deferral),
            ),
            (
                ("nếu không đến ngày bảo lưu thì sao", Ask(MissedDate)),
                ("xin bảo lưu vì không đến được", Deferral),
            ),
        ];
        let wrong: Vec<String> = pairs
            .iter()
            .flat_map(|(q, r)| [q, r])
            .filter(|(input, expected)| detect_intent(input) != Some(*expected))
            .map(|(input, e)| format!("{input:?}: {:?}, not {e:?}", detect_intent(input)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn mentioning_a_topic_without_asking_is_not_a_question() {
        let inputs = [
            "số điện thoại của tôi là 0904718078",
            "sdt em 0904718078",
            "địa chỉ nhà tôi ở Biên Hòa",
            "email của em: lan@gmail.com",
            "dia chi email cua toi la lan@gmail.com",
            "tôi sẽ liên hệ lại sau",
            "thợ không đến đúng ngày",
            "phải đợi bao lâu",
            "phai doi bao lau",
            "ảnh đẹp quá",
            "đi chơi ở đâu vui",
            "anh của tôi bị ốm",
            "em gửi hình ảnh giấy khám bệnh",
            "tôi đang làm ở công ty khác",
            "mấy giờ rồi",
            "bao giờ thì mưa",
        ];
        let wrong: Vec<String> = inputs
            .iter()
            .filter(|input| detect_intent(input).is_some())
            .map(|input| format!("{input:?}: {:?}", detect_intent(input)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn reasons_are_classified_by_their_most_specific_cause() {
        use ReasonHint::*;
        let cases: &[(&str, Option<ReasonHint>)] = &[
            ("công tác", Some(BusinessTrip)),
            ("cong tac", Some(BusinessTrip)),
            ("em đi công tác đột xuất", Some(BusinessTrip)),
            ("business trip", Some(BusinessTrip)),
            ("tai nạn", Some(Accident)),
            ("tai nan giao thong", Some(Accident)),
            ("tôi bị xe tông", Some(Accident)),
            ("had an accident", Some(Accident)),
            ("tai nạn phải nằm viện", Some(Accident)),
            ("bị té xe gãy chân", Some(Accident)),
            ("ốm", Some(Illness)),
            ("om", Some(Illness)),
            ("tôi bị bệnh", Some(Illness)),
            ("con em ốm đau", Some(Illness)),
            ("mẹ nằm viện", Some(Illness)),
            ("nhap vien", Some(Illness)),
            ("sốt cao", Some(Illness)),
            ("I'm sick", Some(Illness)),
            ("in hospital", Some(Illness)),
            ("hiếu", Some(Bereavement)),
            ("nhà có việc hiếu", Some(Bereavement)),
            ("hieu le", Some(Bereavement)),
            ("đám tang", Some(Bereavement)),
            ("dam ma ong noi", Some(Bereavement)),
            ("bố tôi mất", Some(Bereavement)),
            ("me em vua mat hom qua", Some(Bereavement)),
            ("ông ngoại qua đời", Some(Bereavement)),
            ("funeral", Some(Bereavement)),
            ("gia đình có việc hiếu", Some(Bereavement)),
            ("kinh tế khó khăn", Some(EconomicFamily)),
            ("het tien", Some(EconomicFamily)),
            ("gia đình", Some(EconomicFamily)),
            ("bố tôi mất việc", Some(EconomicFamily)),
            ("financial problems", Some(EconomicFamily)),
            ("family reasons", Some(EconomicFamily)),
            ("tôi đổi ý", None),
            ("toi doi y", None),
            ("I changed my mind", None),
            ("bận", None),
            ("ban viec", None),
            ("tôi không hiểu", None),
            ("toi khong hieu", None),
            ("tôi mất tiền", None),
            ("ôm con đi chơi", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(classify_reason(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn abbreviations_expand_before_matching() {
        let cases: &[(&str, &[&str])] = &[
            ("ko dc", &["khong", "duoc"]),
            ("đc", &["duoc"]),
            ("lm j", &["lam", "gi"]),
            ("ntn", &["nhu", "the", "nao"]),
            ("ad ơi", &["admin", "oi"]),
            ("email", &["email"]),
            ("sđt", &["so", "dien", "thoai"]),
            ("SĐT cty", &["so", "dien", "thoai", "cong", "ty"]),
            ("số đt", &["so", "dien", "thoai"]),
        ];
        for (input, expected) in cases {
            let keys: Vec<String> = tokenize(input).into_iter().map(|t| t.key).collect();
            assert_eq!(keys, *expected, "input {input:?}");
        }
    }

    #[test]
    fn every_phrase_is_written_the_way_messages_are_read() {
        // Folded, lowercase, single-spaced, abbreviations expanded, "hoãn"
        // kept accented: exactly what `normalize_phrase` makes of it.
        let data = super::tables::builtin();
        let tables = data
            .intents
            .iter()
            .flat_map(|(_, p)| p.iter().map(String::as_str))
            .chain(
                data.reasons
                    .iter()
                    .flat_map(|(_, p)| p.iter().map(String::as_str)),
            )
            .chain(data.intent_masks.iter().map(String::as_str))
            .chain(data.reason_masks.iter().map(String::as_str))
            .chain(QUESTION_WORDS.iter().copied())
            .chain(ASKING_WORDS.iter().copied())
            .chain(REQUEST_WORDS.iter().copied())
            .chain(LENGTH_WORDS.iter().copied())
            .chain(MAX_WORDS.iter().copied())
            .chain(COMPANY_SUBJECTS.iter().copied())
            .chain(EMOTIVE_COMPLAINTS.iter().copied());
        for phrase in tables {
            // Words written with diacritics on purpose, see the data files.
            let folded: Vec<String> = phrase
                .split(' ')
                .map(|w| {
                    if ACCENT_KEYS.contains(&w) {
                        w.to_string()
                    } else {
                        fold(w)
                    }
                })
                .collect();
            let folded = folded.join(" ");
            assert_eq!(
                normalize_phrase(&folded).as_deref(),
                Some(folded.as_str()),
                "phrase {phrase:?}"
            );
            for word in bare(phrase).split(' ').filter(|w| !w.is_ascii()) {
                assert!(
                    ACCENT_KEYS.contains(&word)
                        || ACCENT_GUARDS.iter().any(|(g, _)| *g == fold(word)),
                    "{word:?} in {phrase:?} needs no diacritics"
                );
            }
        }
    }

    #[test]
    fn every_question_has_phrases() {
        for q in QUESTIONS {
            assert!(
                super::tables::builtin()
                    .intents
                    .iter()
                    .any(|(i, p)| *i == Ask(*q) && !p.is_empty()),
                "{q:?}"
            );
        }
    }
}
