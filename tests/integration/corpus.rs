//! The labelled corpus of customer messages, typed the ways people type on phones, in two
//! parts: tuning (the phrase tables may be tuned on it) and held-out (written before the
//! readers were changed, scored only).

#[path = "../corpus/score.rs"]
mod score;

use cskh::text::Phrasebook;

/// The accuracy reached on each part; a change that reads fewer messages right fails here.
const MIN_TUNING: f64 = 0.99;
const MIN_HELDOUT: f64 = 0.97;

fn report(name: &str, s: &score::Score) -> String {
    let misses: Vec<String> = s
        .misses
        .iter()
        .map(|m| {
            format!(
                "  {name}/{}: expected {} read {}: {:?}",
                m.file, m.expected, m.read, m.message
            )
        })
        .collect();
    let worst: Vec<String> = s
        .worst(8)
        .iter()
        .map(|(l, r, t)| format!("{l} {r}/{t}"))
        .collect();
    format!(
        "{name}: {:.1}% ({}/{}); worst labels: {}\n{}",
        100.0 * s.accuracy(),
        s.right(),
        s.total(),
        worst.join(", "),
        misses.join("\n")
    )
}

#[test]
fn the_corpus_holds_two_thousand_labelled_messages_six_hundred_of_them_held_out() {
    let scores = score::score(Phrasebook::builtin());
    let total: usize = scores.iter().map(|(_, s)| s.total()).sum();
    let heldout = &scores.iter().find(|(n, _)| *n == "heldout").unwrap().1;
    assert!(total >= 2000, "only {total} messages");
    assert!(heldout.total() >= 600, "only {} held out", heldout.total());
}

#[test]
fn each_part_is_read_right_at_least_as_often_as_required() {
    for (name, s) in score::score(Phrasebook::builtin()) {
        let min = if name == "heldout" {
            MIN_HELDOUT
        } else {
            MIN_TUNING
        };
        let text = report(name, &s);
        println!("{text}");
        assert!(s.accuracy() >= min, "below {min}: {text}");
    }
}

#[test]
fn no_yes_no_is_read_the_wrong_way_round_and_no_date_as_another_date() {
    for (name, s) in score::score(Phrasebook::builtin()) {
        assert!(
            s.wrong_way.is_empty(),
            "{name}: read the wrong way round: {:#?}",
            s.wrong_way
        );
        assert!(
            s.wrong_date.is_empty(),
            "{name}: a date read as another: {:#?}",
            s.wrong_date
        );
        assert!(
            s.question_as_request.is_empty(),
            "{name}: a question read as a request: {:#?}",
            s.question_as_request
        );
    }
}
