//! Reading which documented reason a free-text explanation gives.

use std::sync::OnceLock;

use super::labels::ReasonHint;
use super::lexicon::{AFTER_DEATH, RELATIVES};
use super::matcher::Matcher;
use super::scan::{scan, PLAIN};
use super::tables;
use super::words::{is_accented, tokenize, word_matches, Token};

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
    static MATCHER: OnceLock<Matcher<ReasonHint>> = OnceLock::new();
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
}
