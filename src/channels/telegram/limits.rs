//! Telegram's length limits, counted as Telegram counts them (UTF-16 code units, an emoji is
//! two): a long text goes as several messages (the buttons on the last), a long caption goes
//! first as a text, an edit is cut.

use crate::dialogue::cards::clip;
use crate::store::{Content, Message};

/// The longest text of one message.
pub const TEXT_LIMIT: usize = 4096;
/// The longest caption of a photo or a file.
pub const CAPTION_LIMIT: usize = 1024;

/// The messages a content goes out as, each within Telegram's limits.
pub fn parts(content: &Content) -> Vec<Content> {
    match content {
        Content::Message(m) => message_parts(m).into_iter().map(Content::Message).collect(),
        other => vec![other.clone()],
    }
}

fn message_parts(out: &Message) -> Vec<Message> {
    let chars = utf16_len(&out.text);
    if out.edit_of.is_some() {
        let mut edit = out.clone();
        edit.text = clip(&out.text, TEXT_LIMIT - 1);
        return vec![edit];
    }
    if out.file.is_some() {
        if chars <= CAPTION_LIMIT {
            return vec![out.clone()];
        }
        let mut pieces = message_parts(&Message {
            file: None,
            buttons: Vec::new(),
            ..out.clone()
        });
        pieces.push(Message {
            text: clip(&out.text, CAPTION_LIMIT - 1),
            ..out.clone()
        });
        return pieces;
    }
    if chars <= TEXT_LIMIT {
        return vec![out.clone()];
    }
    let chunks = split_text(&out.text, TEXT_LIMIT);
    let last = chunks.len() - 1;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, text)| Message {
            text,
            buttons: if i == last {
                out.buttons.clone()
            } else {
                Vec::new()
            },
            choices_over: out.choices_over && i == last,
            ..out.clone()
        })
        .collect()
}

/// A text's length as Telegram counts it: in UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// A mark that belongs to the character before it (a combining accent, a joiner, a variation
/// selector): a text is never cut just before one.
fn clings(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0x200C..=0x200D | 0x1F3FB..=0x1F3FF
        | 0xE0020..=0xE007F)
}

/// Cuts a text into pieces of at most `max` UTF-16 units, at a line break or a space when it
/// can (the break itself is dropped), never inside a character or before a combining mark.
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest: &str = text;
    while utf16_len(rest) > max {
        // The longest prefix that fits, in bytes.
        let mut units = 0;
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            if units + c.len_utf16() > max {
                break;
            }
            units += c.len_utf16();
            end = i + c.len_utf8();
        }
        let window = &rest[..end];
        let half = window.len() / 2;
        let at_space = window.rfind('\n').filter(|&i| i > half).or_else(|| {
            window
                .char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .map(|(i, _)| i)
                .next_back()
                .filter(|&i| i > half)
        });
        let (piece, next) = match at_space {
            Some(i) => {
                let space = window[i..].chars().next().map_or(1, char::len_utf8);
                (&rest[..i], &rest[i + space..])
            }
            None => {
                let mut cut = end;
                while cut > 0 && rest[cut..].chars().next().is_some_and(clings) {
                    cut = rest[..cut].char_indices().last().map_or(0, |(i, _)| i);
                }
                if cut == 0 {
                    cut = end; // nothing but marks: cut anyway
                }
                (&rest[..cut], &rest[cut..])
            }
        };
        pieces.push(piece.trim_end().to_string());
        rest = next;
    }
    pieces.push(rest.to_string());
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(text: String) -> Message {
        Message {
            text,
            buttons: vec![vec![("OK".into(), "f:ok".into())]],
            ..Message::text("")
        }
    }

    fn within_limits(m: &Message) -> Vec<Message> {
        message_parts(m)
    }

    #[test]
    fn a_long_text_is_sent_in_pieces_that_fit_with_the_buttons_on_the_last() {
        let text = "một dòng khá dài của khách hàng\n".repeat(300);
        let pieces = within_limits(&out(text.clone()));
        assert!(pieces.len() >= 3);
        assert!(pieces.iter().all(|p| utf16_len(&p.text) <= TEXT_LIMIT));
        assert!(pieces[..pieces.len() - 1]
            .iter()
            .all(|p| p.buttons.is_empty()));
        assert_eq!(pieces.last().unwrap().buttons.len(), 1);
        let joined: String = pieces
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            joined.replace('\n', ""),
            text.replace('\n', ""),
            "nothing is lost"
        );
    }

    #[test]
    fn a_long_caption_goes_first_as_text_and_the_file_keeps_a_short_one() {
        let mut o = out("chú thích ".repeat(200));
        o.file = Some(crate::store::File::Received(crate::dialogue::Attachment {
            kind: crate::dialogue::MediaKind::Photo,
            file_id: "F".into(),
            file_name: None,
        }));
        let pieces = within_limits(&o);
        assert_eq!(pieces.len(), 2);
        assert!(pieces[0].file.is_none() && pieces[0].text == o.text);
        assert!(pieces[1].file.is_some() && utf16_len(&pieces[1].text) <= CAPTION_LIMIT);
    }

    fn all_fit(text: &str) -> Vec<String> {
        let pieces: Vec<String> = within_limits(&out(text.to_string()))
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert!(pieces.iter().all(|p| utf16_len(p) <= TEXT_LIMIT));
        assert!(pieces.iter().all(|p| !p.is_empty()));
        pieces
    }

    #[test]
    fn four_thousand_emoji_are_split_by_utf16_length_and_none_is_cut_in_half() {
        let text = "😀👍🏽 ".repeat(1024);
        assert_eq!(text.chars().count(), 4096);
        let pieces = all_fit(&text);
        // 4,096 characters but 7,168 UTF-16 units: two messages, not one.
        assert_eq!(pieces.len(), 2);
        let joined = pieces.join(" ");
        assert_eq!(
            joined.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        // A skin tone stays with its hand.
        assert!(pieces.iter().all(|p| !p.starts_with('🏽')));
    }

    #[test]
    fn a_long_vietnamese_line_with_combining_marks_is_split_without_losing_a_mark() {
        use unicode_normalization::UnicodeNormalization;
        let word: String = "Nguyễn".nfd().collect();
        let text: String = std::iter::repeat_n(word.as_str(), 800).collect();
        assert!(!text.contains(' ') && utf16_len(&text) > TEXT_LIMIT);
        let pieces = all_fit(&text);
        assert_eq!(pieces.concat(), text, "nothing lost, nothing added");
        assert!(pieces
            .iter()
            .skip(1)
            .all(|p| !p.chars().next().is_some_and(clings)));
    }

    #[test]
    fn one_long_line_without_spaces_is_cut_at_the_limit() {
        let text = "x".repeat(9000);
        let pieces = all_fit(&text);
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn a_short_message_is_left_alone() {
        assert_eq!(within_limits(&out("ngắn".into())), vec![out("ngắn".into())]);
    }
}
