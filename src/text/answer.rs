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
}
