//! Reading short answers whose sense decides which rule applies (yes or no), and small talk.
//!
//! A negation ("không", "ko", "chưa", "chẳng", "đâu có", "never", "no") wins over any "có"
//! inside the same answer: "ko co bao gi het a" is no. An answer that negates and affirms at
//! once ("có nhưng không ...") is unsure: the caller asks again with buttons, never guesses.

use super::fold;

/// Words that negate, folded, after chat abbreviations.
const NEGATIONS: &[&str] = &[
    "khong", "ko", "k", "kg", "kh", "khg", "hok", "hk", "khum", "hong", "hem", "chua", "chx",
    "chang", "cha", "never", "no", "not", "nope", "nah", "deo", "dell", "ch", "sai", "wrong",
];

/// "không nhớ", "không rõ", "không biết": not knowing is not a no.
const NOT_KNOWING: &[&str] = &["nho", "ro", "biet", "chac", "sure", "know", "remember"];

/// Two-word affirmations ("chính xác", "đồng ý").
const AFFIRMATION_PAIRS: &[(&str, &str)] = &[("chinh", "xac"), ("dong", "y")];

/// Two-word negations ("đâu có", "có đâu", "làm gì có").
const NEGATION_PAIRS: &[(&str, &str)] = &[("dau", "co"), ("co", "dau"), ("gi", "co")];

/// Words that affirm, folded.
const AFFIRMATIONS: &[&str] = &[
    "co", "roi", "dung", "ok", "oke", "okie", "oki", "okay", "vang", "yes", "yep", "yeah", "u",
    "uh", "uhm", "um", "duoc", "dc", "phai", "xong", "chuan", "sure", "da", "bao", "nhan",
];

/// Words that join a "but": the answer says two things.
const CONTRASTS: &[&str] = &["nhung", "ma", "but", "tuy", "though"];

fn words(input: &str) -> Vec<String> {
    fold(input)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether the answer holds a negation.
pub fn has_negation(input: &str) -> bool {
    let w = words(input);
    // A closing "đâu" negates: "có làm đâu".
    w.iter().any(|x| NEGATIONS.contains(&x.as_str()))
        || (w.len() > 1 && w.last().is_some_and(|x| x == "dau"))
        || w.windows(2)
            .any(|p| NEGATION_PAIRS.contains(&(p[0].as_str(), p[1].as_str())))
}

/// A yes/no answer, read only when clear: `Some(false)` when it negates (a negation wins over a
/// "có" inside it), `Some(true)` when it only affirms, `None` when it says neither or both
/// ("có nhưng không ...").
pub fn read_yes_no(input: &str) -> Option<bool> {
    let w = words(input);
    let negated = has_negation(input);
    // "không sai" (not wrong) negates a negation: unsure rather than read either way.
    let contrast = w.iter().any(|x| CONTRASTS.contains(&x.as_str()))
        || w.windows(2).any(|p| {
            NEGATIONS.contains(&p[0].as_str())
                && (matches!(p[1].as_str(), "sai" | "wrong")
                    || NOT_KNOWING.contains(&p[1].as_str()))
        })
        || w.windows(2).any(|p| p[0] == "mot" && p[1] == "nua");
    let affirmed = w.iter().any(|x| AFFIRMATIONS.contains(&x.as_str()))
        || w.windows(2)
            .any(|p| AFFIRMATION_PAIRS.contains(&(p[0].as_str(), p[1].as_str())));
    match (negated, affirmed, contrast) {
        (true, _, true) => None,
        (true, _, _) => Some(false),
        (false, true, _) => Some(true),
        (false, false, _) => None,
    }
}

/// Words of thanks, acknowledgement and politeness that make up small talk.
const SMALL_TALK: &[&str] = &[
    "cam", "on", "cmon", "camon", "thanks", "thank", "thanksss", "tks", "thx", "ty", "you", "ok",
    "oke", "okie", "oki", "okay", "okela", "okey", "oce", "ad", "admin", "shop", "nhe", "nha",
    "nhen", "a", "em", "e", "anh", "chi", "minh", "mik", "ban", "b", "nhieu", "lam", "vang", "da",
    "u", "uh", "uhm", "um", "duoc", "dc", "roi", "r", "hihi", "hehe", "haha", "kk", "kkk", "thui",
    "thoi", "ne", "nhaa", "tot", "qua", "xin", "much", "very", "so", "great", "good", "fine",
    "bye", "tam", "biet", "hen", "gap", "lai", "sau", "hieu",
];

/// Words that must be in small talk: thanks, ok, goodbye, or none at all (emoji only).
const SMALL_TALK_CORE: &[&str] = &[
    "cam", "cmon", "camon", "thanks", "thank", "thanksss", "tks", "thx", "ty", "ok", "oke", "okie",
    "oki", "okay", "okela", "okey", "oce", "bye", "hieu", "biet",
];

/// A message that is only thanks, "ok", goodbye or emoji: it wants a short friendly answer, not
/// a menu.
pub fn is_small_talk(input: &str) -> bool {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return false;
    }
    let w = words(trimmed);
    if w.is_empty() {
        // Emoji, stickers typed as text, "<3": no letters or digits at all; "?" asks why.
        // "...", "?", "!!" are not emoji: "?" asks why, dots say nothing.
        return !trimmed
            .chars()
            .all(|c| matches!(c, '?' | '？' | '.' | ',' | '!' | '-' | '…') || c.is_whitespace());
    }
    w.iter().all(|x| SMALL_TALK.contains(&x.as_str()))
        && w.iter().any(|x| SMALL_TALK_CORE.contains(&x.as_str()))
}

/// Folded phrases that say "not urgent".
const NOT_URGENT: &[&str] = &[
    "binh thuong",
    "thong thuong",
    "tu tu",
    "khong voi",
    "ko voi",
    "k voi",
    "chua voi",
    "luc nao cung duoc",
    "luc nao cung dc",
    "khi nao cung duoc",
    "khi nao cung dc",
    "hom nao cung duoc",
    "normal",
    "not urgent",
    "no rush",
];

/// Folded phrases that say "urgent" (besides "gấp" itself).
const URGENT: &[&str] = &[
    "khan cap",
    "khan",
    "urgent",
    "cang som cang tot",
    "xu ly ngay",
    "ngay lap tuc",
    "asap",
];

/// How urgent, typed: "không gấp", "ko gap dau", "bình thường", "từ từ" are not urgent; "gấp"
/// (with its accent: "gặp" is to meet, or "gap" in a message typed without any), "khẩn cấp"
/// are. A negation just before "gấp" makes it not urgent. `None` when neither is said.
pub fn read_urgency(input: &str) -> Option<bool> {
    let lower = input.to_lowercase();
    let plain = input.is_ascii();
    let typed: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let keys: Vec<String> = typed.iter().map(|w| fold(w)).collect();
    let is_gap = |i: usize| typed[i] == "gấp" || (typed[i] == "gap" && (plain || keys.len() <= 3));
    let mut urgent = false;
    for i in 0..keys.len() {
        if !is_gap(i) {
            continue;
        }
        // "không gấp", "ko cần gấp", "chưa gấp lắm"
        let before: Vec<&str> = keys[i.saturating_sub(2)..i]
            .iter()
            .map(String::as_str)
            .collect();
        if before.iter().any(|w| NEGATIONS.contains(w)) {
            return Some(false);
        }
        urgent = true;
    }
    let padded = super::reading::padded_words(&fold(input));
    if super::reading::has_phrase(&padded, NOT_URGENT) {
        return Some(false);
    }
    if urgent || super::reading::has_phrase(&padded, URGENT) {
        return Some(true);
    }
    None
}

/// Number words for a rating ("năm sao").
const RATING_WORDS: &[(&str, u8)] = &[("mot", 1), ("hai", 2), ("ba", 3), ("bon", 4), ("nam", 5)];

/// Stars typed as an answer: "5 sao", "cho 5 sao nhé", "5/5", "chấm 3 điểm", "năm sao", "⭐⭐⭐⭐",
/// or a number 1–5 alone in a short answer. `None` when there is none, or two different ones.
pub fn read_rating(input: &str) -> Option<u8> {
    let stars = input.chars().filter(|c| *c == '⭐' || *c == '★').count();
    if (1..=5).contains(&stars) {
        return Some(stars as u8);
    }
    let folded = fold(input);
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '/' || c == '*'))
        .filter(|w| !w.is_empty())
        .collect();
    let digit = |w: &str| -> Option<u8> {
        let n: u8 = w.parse().ok()?;
        (1..=5).contains(&n).then_some(n)
    };
    let is_unit = |w: Option<&str>| matches!(w, Some("sao" | "diem" | "star" | "stars" | "*"));
    // "4 hay 5 sao": with a unit anywhere, every number counts.
    let any_unit = words.iter().any(|w| is_unit(Some(w)));
    let mut found: Vec<u8> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let unit = is_unit(words.get(i + 1).copied());
        let n = if let Some(n) = w.strip_suffix("/5").and_then(digit) {
            Some(n)
        } else if let Some(n) = w.strip_suffix('*').and_then(digit) {
            Some(n)
        } else if let Some(n) = digit(w) {
            (any_unit || words.len() <= 3).then_some(n)
        } else if unit {
            RATING_WORDS
                .iter()
                .find(|(word, _)| word == w)
                .map(|&(_, n)| n)
        } else {
            None
        };
        if let Some(n) = n {
            if !found.contains(&n) {
                found.push(n);
            }
        }
    }
    match found.as_slice() {
        [n] => Some(*n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negation_wins_over_the_co_inside_it() {
        for no in [
            "ko co bao gi het a",
            "không có",
            "chưa",
            "k",
            "hok co",
            "đâu có báo gì đâu",
            "chẳng ai báo cả",
            "never",
            "no",
            "chua thay bao gi",
            "sai rồi",
        ] {
            assert_eq!(read_yes_no(no), Some(false), "{no:?}");
        }
        for yes in [
            "có",
            "co a",
            "rồi",
            "dạ có",
            "co bao roi",
            "yes",
            "đúng rồi",
        ] {
            assert_eq!(read_yes_no(yes), Some(true), "{yes:?}");
        }
        for unsure in [
            "không sai",
            "có nhưng không rõ",
            "hôm qua",
            "để mình xem",
            "",
        ] {
            assert_eq!(read_yes_no(unsure), None, "{unsure:?}");
        }
    }

    #[test]
    fn thanks_ok_and_emoji_are_small_talk_and_requests_are_not() {
        for talk in [
            "ok",
            "ok cam on ad nhe",
            "cảm ơn shop",
            "thanks",
            "👍",
            "❤️❤️",
            "ok e cảm ơn ạ",
        ] {
            assert!(is_small_talk(talk), "{talk:?}");
        }
        for not in [
            "?",
            "cảm ơn, cho em hỏi số hotline",
            "tôi muốn hoàn tiền",
            "",
        ] {
            assert!(!is_small_talk(not), "{not:?}");
        }
    }

    #[test]
    fn urgency_and_stars_are_read_inside_words() {
        for (t, want) in [
            ("gấp lắm ạ", Some(true)),
            ("gap lam shop oi", Some(true)),
            ("khẩn cấp", Some(true)),
            ("ko gap dau", Some(false)),
            ("không cần gấp", Some(false)),
            ("từ từ cũng được", Some(false)),
            ("bình thường thôi ạ", Some(false)),
            ("em muốn gặp nhân viên", None),
        ] {
            assert_eq!(read_urgency(t), want, "{t}");
        }
        for (t, want) in [
            ("5 sao", Some(5)),
            ("cho 5 sao nhé", Some(5)),
            ("5/5", Some(5)),
            ("chấm 3 điểm", Some(3)),
            ("4 ạ", Some(4)),
            ("năm sao", Some(5)),
            ("⭐⭐⭐⭐", Some(4)),
            ("tệ", None),
            ("4 hay 5 sao", None),
            ("nhân viên đến 3 lần mà chưa xong", None),
        ] {
            assert_eq!(read_rating(t), want, "{t}");
        }
    }
}
