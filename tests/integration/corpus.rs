//! The labelled corpus of customer messages, typed the ways people type on phones.

#[path = "../corpus/score.rs"]
mod score;

use cskh::text::Phrasebook;

/// The accuracy reached on the corpus; a change that reads fewer messages right fails here.
const MIN_ACCURACY: f64 = 0.99;

#[test]
fn the_corpus_holds_at_least_six_hundred_labelled_messages() {
    let s = score::score(Phrasebook::builtin());
    assert!(s.total() >= 600, "only {} messages", s.total());
}

#[test]
fn the_corpus_is_read_right_at_least_as_often_as_measured() {
    let s = score::score(Phrasebook::builtin());
    let misses: Vec<String> = s
        .misses
        .iter()
        .map(|m| {
            format!(
                "{}: expected {} read {}: {:?}",
                m.file, m.expected, m.read, m.message
            )
        })
        .collect();
    println!(
        "corpus accuracy {:.1}% ({}/{})",
        100.0 * s.accuracy(),
        s.right(),
        s.total()
    );
    assert!(
        s.accuracy() >= MIN_ACCURACY,
        "accuracy {:.3} below {MIN_ACCURACY}; misread:\n{}",
        s.accuracy(),
        misses.join("\n")
    );
}

#[test]
fn no_rule_deciding_answer_is_ever_read_the_wrong_way_round() {
    let s = score::score(Phrasebook::builtin());
    assert!(
        s.wrong_way.is_empty(),
        "read the wrong way round: {:#?}",
        s.wrong_way
    );
}
