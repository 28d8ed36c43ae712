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

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::fold;

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
    ("da", &["dạ"]),
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
];

/// Every intent phrase, folded and written after abbreviation expansion.
///
/// A phrase starting with `=` counts only when the whole message, filler
/// words aside, is made of such phrases of one intent ("không ạ", "ok
/// cảm ơn"); the others count wherever they appear.
pub const PHRASES: &[(Intent, &[&str])] = &[
    (
        Intent::Status,
        &[
            "trang thai",
            "tinh trang",
            "tinh trang yeu cau",
            "status",
            "check status",
            "kiem tra yeu cau",
            "kiem tra trang thai",
            "kiem tra tinh trang",
            "kiem tra ho so",
            "kiem tra don",
            "kiem tra giup",
            "tra cuu",
            "den dau roi",
            "toi dau roi",
            "sao roi",
            "xu ly chua",
            "duyet chua",
            "xong chua",
            "ket qua chua",
            "tien do",
        ],
    ),
    (
        Intent::Deferral,
        &[
            "bao luu",
            "baoluu",
            "doi lich",
            "doi lich thi cong",
            "doi lai lich",
            "doi ngay",
            "doi ngay thi cong",
            "doi lai ngay",
            "doi sang ngay khac",
            "chuyen lich",
            "chuyen ngay",
            "lui lich",
            "lui ngay",
            "day lich",
            "hoãn",
            "hoan lich",
            "hoan lai lich",
            "hoan thi cong",
            "hoan lai thi cong",
            "hoan hop dong",
            "tam hoan",
            "defer",
            "deferral",
            "postpone",
            "reschedule",
            "change the date",
            "change date",
        ],
    ),
    (
        Intent::Refund,
        &[
            "hoan tien",
            "hoantien",
            "hoan lai",
            "hoan lai tien",
            "hoan tra",
            "hoan tra tien",
            "hoan phi",
            "hoan coc",
            "tra lai tien",
            "tra tien lai",
            "lay lai tien",
            "doi lai tien",
            "rut lai tien",
            "nhan lai tien",
            "refund",
            "money back",
        ],
    ),
    (
        Intent::Complaint,
        &[
            "khieu nai",
            "khieu lai",
            "phan anh",
            "complain",
            "complaint",
            "dich vu te",
            "dich vu te qua",
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
        ],
    ),
    (
        Intent::Cancel,
        &[
            "huy",
            "huy bo",
            "huy yeu cau",
            "cancel",
            "khong can nua",
            "thoi khong can",
            "thoi bo qua",
            "=thoi",
            "=thoi khoi",
            "=thoi khong",
            "=khoi",
            "=bo qua",
        ],
    ),
    (
        Intent::NoSchedule,
        &[
            "chua co lich",
            "chua xep lich",
            "chua len lich",
            "chua chot lich",
            "chua hen lich",
            "chua co ngay",
            "chua chot ngay",
            "chua biet ngay",
            "chua biet lich",
            "chua biet khi nao",
            "chua biet bao gio",
            "chua xac dinh",
            "khong co lich",
            "not scheduled",
            "no date yet",
            "no schedule",
            "=chua co",
            "=chua biet",
        ],
    ),
    (
        Intent::NoneAvailable,
        &[
            "khong co giay",
            "khong co giay to",
            "khong co chung tu",
            "khong co ho so",
            "khong co tai lieu",
            "khong co bang chung",
            "khong co hoa don",
            "khong co anh",
            "khong co hinh",
            "none",
            "no document",
            "no documents",
            "no paper",
            "no papers",
            "=khong co",
        ],
    ),
    (
        Intent::Yes,
        &[
            "dong y",
            "xac nhan",
            "dung roi",
            "dung vay",
            "chinh xac",
            "chuan roi",
            "confirm",
            "=co",
            "=dung",
            "=ok",
            "=ok roi",
            "=duoc",
            "=duoc roi",
            "=vang",
            "=da",
            "=u",
            "=uh",
            "=roi",
            "=phai",
            "=chuan",
            "=yes",
            "=yep",
            "=yeah",
            "=sure",
        ],
    ),
    (
        Intent::No,
        &[
            "khong dong y",
            "khong dung",
            "khong phai",
            "khong chinh xac",
            "khong xac nhan",
            "sai roi",
            "tu choi",
            "=khong",
            "=khong can",
            "=khong duoc",
            "=khong muon",
            "=sai",
            "=chua",
            "=no",
            "=nope",
        ],
    ),
    (
        Intent::Menu,
        &[
            "menu",
            "main menu",
            "bat dau lai",
            "quay lai menu",
            "quay ve menu",
            "ve menu",
            "trang chu",
            "lam lai tu dau",
            "quay lai tu dau",
            "=start",
            "=bat dau",
            "=quay lai",
            "=tro lai",
            "=lam lai",
            "=back",
            "=home",
        ],
    ),
    (
        Intent::Why,
        &[
            "tai sao",
            "vi sao",
            "sao phai",
            "sao lai",
            "de lam gi",
            "ly do gi",
            "why",
            "=sao",
            "=sao vay",
            "=sao the",
        ],
    ),
    (
        Intent::Help,
        &[
            "giup",
            "giup do",
            "help",
            "huong dan",
            "lam sao",
            "lam the nao",
            "nhu the nao",
            "cach nao",
            "ho tro",
            "tu van",
            "cho hoi",
            "how to",
            "how do i",
        ],
    ),
    (
        Intent::Greeting,
        &[
            "chao",
            "xin chao",
            "hello",
            "helo",
            "hi",
            "hey",
            "alo",
            "good morning",
        ],
    ),
];

/// Folded phrases whose words must not be read as intent phrases
/// ("thoi gian" is time, not "thôi"; "co the" is "can", not "có").
const INTENT_MASKS: &[&str] = &[
    "thoi gian",
    "thoi han",
    "thoi diem",
    "thoi tiet",
    "co the",
    "kinh te",
    "phat huy",
    "chi huy",
    "huy dong",
    "huy chuong",
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

/// Reason phrases, folded. The death of a relative ("bố tôi mất") is
/// recognised separately, see `relative_passed_away`.
pub const REASONS: &[(ReasonHint, &[&str])] = &[
    (
        ReasonHint::BusinessTrip,
        &[
            "cong tac",
            "di cong tac",
            "di cong tac dot xuat",
            "chuyen cong tac",
            "business trip",
            "work trip",
        ],
    ),
    (
        ReasonHint::Accident,
        &[
            "tai nan",
            "bi xe tong",
            "xe tong",
            "tong xe",
            "va cham",
            "nga xe",
            "te xe",
            "gay chan",
            "gay tay",
            "accident",
            "crash",
            "injured",
        ],
    ),
    (
        ReasonHint::Illness,
        &[
            "om",
            "om dau",
            "bi om",
            "benh",
            "bi benh",
            "nam vien",
            "nhap vien",
            "benh vien",
            "sot",
            "sot xuat huyet",
            "cum",
            "covid",
            "phau thuat",
            "ung thu",
            "ill",
            "illness",
            "sick",
            "hospital",
            "surgery",
            "fever",
        ],
    ),
    (
        ReasonHint::Bereavement,
        &[
            "hieu",
            "viec hieu",
            "hieu le",
            "dam hieu",
            "dam tang",
            "dam ma",
            "tang le",
            "le tang",
            "chiu tang",
            "de tang",
            "qua doi",
            "tu tran",
            "funeral",
            "bereavement",
            "passed away",
            "died",
        ],
    ),
    (
        ReasonHint::EconomicFamily,
        &[
            "kinh te",
            "het tien",
            "thieu tien",
            "khong du tien",
            "khong co tien",
            "kho khan",
            "tai chinh",
            "mat viec",
            "that nghiep",
            "no nan",
            "gia dinh",
            "viec nha",
            "nha co viec",
            "financial",
            "finance",
            "money",
            "family",
        ],
    ),
];

/// Folded phrases that look like reasons but are not ("khong hieu" is
/// "don't understand", not "hiếu").
const REASON_MASKS: &[&str] = &[
    "khong hieu",
    "chua hieu",
    "hieu roi",
    "hieu khong",
    "de hieu",
    "kho hieu",
    "hieu lam",
    "hieu biet",
    "hieu qua",
    "hieu luc",
    "thuong hieu",
    "dau hieu",
    "ky hieu",
    "hieu truong",
    "hieu thuoc",
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

/// Whether the customer typed with Vietnamese diacritics at all.
fn is_accented(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| !t.expanded && t.key != t.typed)
}

fn word_matches(token: &Token, word: &str, accented: bool) -> bool {
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

/// Number of words of `phrase` if it matches at `tokens[start..]`.
fn match_at(tokens: &[&Token], start: usize, phrase: &str, accented: bool) -> Option<usize> {
    let phrase = phrase.strip_prefix('=').unwrap_or(phrase);
    let mut len = 0;
    for word in phrase.split(' ') {
        let token = tokens.get(start + len)?;
        if !word_matches(token, word, accented) {
            return None;
        }
        len += 1;
    }
    Some(len)
}

/// Longest phrase of `table` (or mask, which wins ties) at `start`.
/// `None` inside `Some` means a mask.
fn longest_at<T: Copy>(
    tokens: &[&Token],
    start: usize,
    table: &[(T, &[&str])],
    masks: &[&str],
    whole_message: bool,
    accented: bool,
) -> Option<(usize, Option<T>)> {
    let mut best: Option<(usize, Option<T>)> = None;
    for mask in masks {
        if let Some(len) = match_at(tokens, start, mask, accented) {
            if best.is_none_or(|(b, _)| len > b) {
                best = Some((len, None));
            }
        }
    }
    for (label, phrases) in table {
        for phrase in phrases.iter() {
            if !whole_message && phrase.starts_with('=') {
                continue;
            }
            if let Some(len) = match_at(tokens, start, phrase, accented) {
                if best.is_none_or(|(b, _)| len > b) {
                    best = Some((len, Some(*label)));
                }
            }
        }
    }
    best
}

/// Every phrase found anywhere, left to right, longest first, no overlaps.
fn scan<T: Copy>(
    tokens: &[&Token],
    table: &[(T, &[&str])],
    masks: &[&str],
    accented: bool,
) -> Vec<(usize, T)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match longest_at(tokens, i, table, masks, false, accented) {
            Some((len, label)) => {
                if let Some(label) = label {
                    found.push((i, label));
                }
                i += len;
            }
            None => i += 1,
        }
    }
    found
}

/// The intent of a message made only of answer phrases of one intent.
fn whole_message(tokens: &[&Token], accented: bool) -> Option<Intent> {
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

    let mut intent = None;
    let mut i = 0;
    while i < words.len() {
        let (len, found) = longest_at(&words, i, PHRASES, &[], true, accented)?;
        let found = found?;
        if intent.is_some_and(|seen| seen != found) {
            return None;
        }
        intent = Some(found);
        i += len;
    }
    intent
}

/// Lower wins. Within a tier the phrase that comes first wins.
fn tier(intent: Intent) -> u8 {
    match intent {
        Intent::Status => 0,
        Intent::Deferral | Intent::Refund | Intent::Complaint | Intent::Cancel => 1,
        Intent::NoSchedule | Intent::NoneAvailable | Intent::Yes | Intent::No => 2,
        Intent::Menu => 3,
        Intent::Why => 4,
        Intent::Help => 5,
        Intent::Greeting => 6,
    }
}

/// Detects what the customer wants, if anything clear.
///
/// Order of precedence: a message of only question marks is [`Intent::Why`];
/// then phrases found anywhere, by tier (Status; then Deferral, Refund,
/// Complaint, Cancel, whichever comes first; then the answers NoSchedule,
/// NoneAvailable, Yes, No; Menu; Why; Help); then a message that is only a
/// short answer ("không ạ", "ok cảm ơn"); greetings last.
pub fn detect_intent(input: &str) -> Option<Intent> {
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
    let found = scan(&words, PHRASES, INTENT_MASKS, accented);

    let best = found
        .iter()
        .filter(|(_, intent)| *intent != Intent::Greeting)
        .min_by_key(|(pos, intent)| (tier(*intent), *pos));
    if let Some(&(_, intent)) = best {
        return Some(intent);
    }
    if let Some(intent) = whole_message(&words, accented) {
        return Some(intent);
    }
    found.first().map(|&(_, intent)| intent)
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
    let mut found: Vec<ReasonHint> = scan(&words, REASONS, REASON_MASKS, accented)
        .into_iter()
        .map(|(_, reason)| reason)
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
            ("bao giờ được trả lại tiền vậy", Refund),
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
        ];
        for (input, expected) in cases {
            let keys: Vec<String> = tokenize(input).into_iter().map(|t| t.key).collect();
            assert_eq!(keys, *expected, "input {input:?}");
        }
    }

    #[test]
    fn every_phrase_is_folded_lowercase_and_single_spaced() {
        let tables = PHRASES
            .iter()
            .flat_map(|(_, p)| p.iter())
            .chain(REASONS.iter().flat_map(|(_, p)| p.iter()));
        for phrase in tables {
            let bare = phrase.strip_prefix('=').unwrap_or(phrase);
            if ACCENT_KEYS.contains(&bare) {
                continue;
            }
            assert_eq!(fold(bare), bare, "phrase {phrase:?}");
            assert!(
                !bare.contains("  ") && !bare.is_empty(),
                "phrase {phrase:?}"
            );
        }
    }
}
