//! criterion benchmarks for the pure parts: the policy decision, date parsing, intent matching,
//! rendering a reply. `cargo bench --bench pure`.

use std::hint::black_box;
use std::time::Instant;

#[path = "../tests/corpus/score.rs"]
mod score;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use cskh::dialogue::{cards, Ctx, Lang};
use cskh::i18n::Renderer;
use cskh::policy::{decide_deferral, Callback, Company, DeferralFacts, Params, Reason};
use cskh::text::{detect_intent, parse_date, Phrasebook, YearHint};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn facts(reason: Reason) -> DeferralFacts {
    DeferralFacts {
        paid_on: d("2026-10-01"),
        scheduled_on: Some(d("2026-12-05")),
        new_date: d("2027-01-20"),
        reason,
        has_confirmation: true,
    }
}

fn policy(c: &mut Criterion) {
    let today = d("2026-11-24");
    let params = Params::default();
    let mut g = c.benchmark_group("policy");
    for (name, reason) in [
        ("decide_deferral/approved", Reason::Illness),
        ("decide_deferral/review", Reason::EconomicFamily),
        ("decide_deferral/rejected", Reason::Other),
    ] {
        let f = facts(reason);
        g.bench_function(name, |b| {
            b.iter(|| decide_deferral(black_box(&f), black_box(today), black_box(&params)))
        });
    }
    g.finish();
}

fn dates(c: &mut Criterion) {
    let today = d("2026-11-24");
    let mut g = c.benchmark_group("parse_date");
    for (name, input, hint) in [
        ("dd/mm/yyyy", "20/01/2027", YearHint::Future),
        ("d/m", "5/12", YearHint::Future),
        ("dd-mm-yy", "01-10-26", YearHint::Past),
        ("words", "ngày 20 tháng 1 năm 2027", YearHint::Future),
        ("relative", "ngày mai", YearHint::Future),
        ("unreadable", "không nhớ nữa ạ", YearHint::Past),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| parse_date(black_box(input), black_box(today), hint))
        });
    }
    g.finish();
}

fn intents(c: &mut Criterion) {
    let mut g = c.benchmark_group("detect_intent");
    // Built once outside the loop (the built-in phrasebook is a lazily built static).
    let _ = detect_intent("xin chào");
    for (name, input) in [
        ("defer", "cho em bảo lưu chi phí thi công với ạ"),
        ("refund", "tôi muốn hoàn tiền"),
        ("complaint", "dịch vụ tệ quá, tôi muốn khiếu nại"),
        ("question", "bảo lưu được tối đa bao lâu vậy shop?"),
        ("greeting", "chào shop"),
        ("no_intent", "HD-2026-0012"),
        (
            "long_message",
            "dạ em chào anh chị, em đã đóng tiền thi công hôm tháng trước nhưng giờ em bị ốm \
             nằm viện nên không đến được, cho em hỏi là có dời lịch được không ạ, em cảm ơn",
        ),
    ] {
        g.bench_function(name, |b| b.iter(|| detect_intent(black_box(input))));
    }
    g.finish();
}

fn render(c: &mut Criterion) {
    let today = d("2026-11-24");
    let params = Params::default();
    let company = Company::default();
    let callback = Callback::default();
    let phrases: &Phrasebook = Phrasebook::builtin();
    let ctx = Ctx {
        today,
        params: &params,
        company: &company,
        phrases,
        requests: &[],
        cases: &[],
        callback: &callback,
        deadlines: [0, 0],
        invoice: None,
        registry_loaded: false,
        start: None,
    };
    let renderer = Renderer::new(chrono_tz::Asia::Ho_Chi_Minh);
    let mut g = c.benchmark_group("render");
    for (name, reason) in [
        ("decision_approved", Reason::Illness),
        ("decision_review", Reason::EconomicFamily),
        ("decision_rejected", Reason::Other),
    ] {
        let f = facts(reason);
        let decision = decide_deferral(&f, today, &params);
        let msg = cards::decision_for_customer(&decision, &f, None, &ctx);
        for lang in [Lang::Vi, Lang::En] {
            g.bench_function(format!("{name}/{}", lang.code()), |b| {
                b.iter(|| {
                    renderer.render(black_box(lang), black_box(&msg), Some(("BL-000123", 123)))
                })
            });
        }
        // The whole step from facts to text, as the engine does it.
        g.bench_function(format!("{name}/decide+build+render"), |b| {
            b.iter(|| {
                let decision = decide_deferral(black_box(&f), today, &params);
                let msg = cards::decision_for_customer(&decision, &f, None, &ctx);
                renderer.render(Lang::Vi, &msg, Some(("BL-000123", 123)))
            })
        });
    }
    g.finish();
}

/// The CPU time this thread has run, in nanoseconds (Linux: `/proc/thread-self/schedstat`).
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Runs `work` once: the wall time and the CPU time per message, in µs, for `n` messages.
fn per_message(n: usize, work: impl FnOnce()) -> (f64, Option<f64>) {
    let cpu = thread_cpu_ns();
    let start = Instant::now();
    work();
    let wall = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    let cpu = cpu
        .zip(thread_cpu_ns())
        .map(|(a, b)| (b - a) as f64 / 1e3 / n as f64);
    (wall, cpu)
}

/// The labelled corpus (tests/corpus/{tuning,heldout}/*.tsv): accuracy per part and per label,
/// then the time to read one message, as a criterion benchmark over the whole corpus.
fn corpus(c: &mut Criterion) {
    let book = Phrasebook::builtin();
    for (part, s) in score::score(book) {
        println!(
            "corpus {part}: {}/{} read right, {:.1}%; read the wrong way round: {}; a date read \
             as another: {}; a question read as a request: {}",
            s.right(),
            s.total(),
            100.0 * s.accuracy(),
            s.wrong_way.len(),
            s.wrong_date.len(),
            s.question_as_request.len()
        );
        let worst: Vec<String> = s
            .worst(5)
            .iter()
            .map(|(l, r, t)| format!("{l} {r}/{t}"))
            .collect();
        println!("  worst labels: {}", worst.join(", "));
        for (label, (right, total)) in &s.per_label {
            println!(
                "  {label:<32} {right:>3}/{total:<3} {:>5.1}%",
                100.0 * *right as f64 / *total as f64
            );
        }
    }
    let messages = score::intent_messages();
    let fields = score::field_messages();
    let rounds = 20;
    let (intents, intents_cpu) = per_message(rounds * messages.len(), || {
        for _ in 0..rounds {
            for m in &messages {
                black_box(score::read_intent(book, black_box(m)));
            }
        }
    });
    let (answers, answers_cpu) = per_message(rounds * fields.len(), || {
        for _ in 0..rounds {
            for (q, m) in &fields {
                black_box(score::read_field(book, q, black_box(m)));
            }
        }
    });
    let mean = |a: f64, b: f64| {
        (a * messages.len() as f64 + b * fields.len() as f64)
            / (messages.len() + fields.len()) as f64
    };
    println!(
        "  mean time per message: {intents:.1} µs outside a form ({} messages), {answers:.1} µs \
         for an answer to a question ({}), {:.1} µs over all",
        messages.len(),
        fields.len(),
        mean(intents, answers)
    );
    if let (Some(i), Some(a)) = (intents_cpu, answers_cpu) {
        println!(
            "  CPU time per message (this thread, unaffected by other processes waiting for \
             the cores): {i:.1} µs outside a form, {a:.1} µs for an answer, {:.1} µs over all",
            mean(i, a)
        );
    }
    let mut g = c.benchmark_group("corpus");
    g.sample_size(10);
    g.bench_function("read_every_intent_message", |b| {
        b.iter(|| {
            for m in &messages {
                black_box(score::read_intent(book, black_box(m)));
            }
        })
    });
    g.bench_function("read_every_answer_to_a_question", |b| {
        b.iter(|| {
            for (q, m) in &fields {
                black_box(score::read_field(book, q, black_box(m)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, policy, dates, intents, render, corpus);
criterion_main!(benches);
