//! The hand-written word lists the reader uses besides the phrase tables: chat
//! abbreviations, accent guards, fillers, the words that make a message a question or a
//! request, and the few words some rules look for. Written folded, the way messages are read.

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
pub(super) const ACCENT_KEYS: &[&str] = &["hoãn"];

/// Folded words that collide with unrelated words. When the message has
/// any diacritics, a word only matches if it was typed as one of these.
pub(super) const ACCENT_GUARDS: &[(&str, &[&str])] = &[
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
pub(super) const FILLERS: &[&str] = &[
    "anh", "em", "chi", "ban", "shop", "admin", "toi", "minh", "tao", "nhe", "nha", "ne", "nhi",
    "oi", "ah", "ha", "vay", "luon", "nhieu", "cam", "on", "thanks", "thank", "you", "please",
    "xin", "chu",
];

/// Polite particles that are themselves a "yes" when said alone ("dạ",
/// "vâng") but only soften another answer ("dạ không").
pub(super) const SOFT_FILLERS: &[&str] = &["da", "vang", "u", "uh"];

/// Words that make a message a question. With request wording also
/// present the message stays a request.
pub(super) const QUESTION_WORDS: &[&str] = &[
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
pub(super) const QUESTION_PARTICLES: &[&str] =
    &["à", "hả", "hở", "ư", "chứ", "nhỉ", "chăng", "hông"];

/// Words that only ask: the message is a question even with request
/// wording in it ("cho em hỏi muốn hoàn tiền thì làm sao").
pub(super) const ASKING_WORDS: &[&str] = &[
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
pub(super) const REQUEST_WORDS: &[&str] = &[
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
pub(super) const XIN_NOT_ASKING: &[&str] = &["chao", "loi", "hoi", "cam"];

/// Words asking for information without being a question ("cho xin số").
pub(super) const INFO_WORDS: &[&str] = &["please", "give me", "send me", "tell me"];

/// Pronouns before "cần" (need) that make it a request ("tôi cần").
pub(super) const PRONOUNS: &[&str] = &["toi", "em", "minh", "anh", "chi", "tao", "con"];

/// How long: a deferral phrase with one of these asks about DEFER_MAX.
pub(super) const LENGTH_WORDS: &[&str] = &[
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
pub(super) const MAX_WORDS: &[&str] = &["toi đa", "max", "maximum", "longest"];

/// Words about the time since paying: a deferral phrase asked with them asks whether the
/// window for a deferral is still open ("đóng tiền lâu rồi thì còn bảo lưu được không").
pub(super) const PAID_TIME_WORDS: &[&str] = &[
    "dong tien",
    "dong phi",
    "thanh toan",
    "chuyen khoan",
    "lau roi",
    "ngay roi",
    "thang roi",
    "tuan roi",
    "het han",
    "qua han",
    "since paying",
    "after paying",
    "paid long",
];

/// Who a deferral phrase is about when it is the company's postponement
/// ("công ty có được dời lịch không").
pub(super) const COMPANY_SUBJECTS: &[&str] = &[
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
pub(super) const SUBJECT_MODALS: &[&str] = &[
    "co", "duoc", "the", "da", "tu", "y", "lai", "se", "khong", "phep", "hay", "van", "cung",
    "quyen", "can", "may", "will", "might", "could",
];

/// Words that make "shop" the one addressed, not the one acting ("chào
/// shop, dời lịch được không").
pub(super) const GREETING_WORDS: &[&str] = &["chao", "hi", "hello", "alo", "hey", "oi"];

/// Complaint phrases that already are the complaint: a question with one
/// of them is still a complaint ("dịch vụ tệ quá, khiếu nại thế nào?").
pub(super) const EMOTIVE_COMPLAINTS: &[&str] = &[
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
pub(super) const RELATIVES: &[&str] = &[
    "bo", "me", "ba", "cha", "ong", "chong", "vo", "con", "nguoi", "than", "chu", "bac", "di",
    "cau", "mo", "thim", "noi", "ngoai", "trai", "gai",
];

/// Words that may follow "mất" when it means died ("mất hôm qua", "mất
/// rồi", "mất vì bệnh"); anything else is an object ("mất việc", "mất tiền").
pub(super) const AFTER_DEATH: &[&str] = &[
    "roi", "hom", "tuan", "thang", "nam", "ngay", "sang", "chieu", "toi", "dem", "luc", "vao",
    "dot", "vi", "nen", "do", "anh", "em", "chi", "nhe", "oi", "som", "cach",
];
