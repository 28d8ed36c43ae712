//! Folding: reduce Vietnamese text to a plain ASCII-ish comparison key.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercases, strips diacritics (NFD, then drops combining marks), maps
/// `đ`/`Đ` to `d`, collapses every run of whitespace to one space and trims.
///
/// `"Tôi muốn BẢO LƯU  "` becomes `"toi muon bao luu"`.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_strips_marks_lowercases_and_squeezes_spaces() {
        let cases: &[(&str, &str)] = &[
            ("Tôi muốn BẢO LƯU  ", "toi muon bao luu"),
            ("Đồng Nai", "dong nai"),
            ("đổi lịch", "doi lich"),
            ("ĐƯỢC", "duoc"),
            ("Hoàn   tiền\t\nngay", "hoan tien ngay"),
            ("  \u{00a0}khiếu nại\u{3000} ", "khieu nai"),
            ("Xin chào!", "xin chao!"),
            ("mùng 6 tháng 8", "mung 6 thang 8"),
            (
                "Hỏi ngã sắc huyền nặng: ả ã á à ạ",
                "hoi nga sac huyen nang: a a a a a",
            ),
            // Precomposed and decomposed input fold to the same key.
            ("Vi\u{0065}\u{0323}\u{0302}t", "viet"),
            ("HD-2026-0012", "hd-2026-0012"),
            ("", ""),
            ("   ", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), *expected, "input {input:?}");
        }
    }
}
