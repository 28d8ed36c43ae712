//! The charts of `/stats`: the figures they plot come from the store, and the picture is a
//! PNG of the promised size whose bars are as tall as those figures.

use cskh::charts::{Period, PALETTE, SIZE};
use cskh::engine::Span;

use crate::registry::a_week_of_work;
use crate::support::STAFF_CHAT;

/// Width, height and RGB pixels of a PNG.
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn count_colour(pixels: &[u8], c: plotters::style::RGBColor) -> usize {
    pixels
        .chunks(3)
        .filter(|p| p[0] == c.0 && p[1] == c.1 && p[2] == c.2)
        .count()
}

#[tokio::test]
async fn the_weekly_chart_plots_the_stores_requests_call_backs_and_ratings() {
    let app = a_week_of_work().await;
    let periods = app.engine.chart_periods(Span::Week, 8).await.unwrap();
    assert_eq!(periods.len(), 8);
    let labels: Vec<_> = periods.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(
        labels,
        ["05/10", "12/10", "19/10", "26/10", "02/11", "09/11", "16/11", "23/11"]
    );
    for p in &periods[..6] {
        assert_eq!(p.by_kind, [0, 0, 0, 0], "{p:?}");
    }
    // The week of the 16th: KN-000001 (never called: late), KN-000002 (called three days
    // later: late, rated 3), KN-000003 (a Sunday, called after 30 minutes: on time).
    assert_eq!(
        periods[6],
        Period {
            label: "16/11".into(),
            by_kind: vec![0, 0, 0, 3],
            by_outcome: vec![0, 0, 0],
            on_time: 1,
            late: 2,
            ratings: vec![3],
        }
    );
    // This week: two deferrals (approved, rejected), the eligible refund waiting for staff and
    // called back after 50 minutes, two complaints of this morning (one rated 5; the other's
    // call-back is due at noon, now: not late yet).
    assert_eq!(
        periods[7],
        Period {
            label: "23/11".into(),
            by_kind: vec![2, 1, 0, 2],
            by_outcome: vec![1, 1, 1],
            on_time: 1,
            late: 0,
            ratings: vec![5],
        }
    );

    // One minute past noon, KN-000004's call-back is late.
    app.clock.advance(chrono::Duration::minutes(1));
    let later = app.engine.chart_periods(Span::Week, 8).await.unwrap();
    assert_eq!((later[7].on_time, later[7].late), (1, 1));

    // The picture: a PNG of the promised size, the bars of the first panel as tall as the
    // figures (two deferrals are twice the one refund; nothing is drawn for hand-offs).
    let png_bytes = app.engine.chart_png(Span::Week).await.unwrap();
    let (w, h, pixels) = decode(&png_bytes);
    assert_eq!((w, h), SIZE);
    std::fs::create_dir_all("target/screenshots").unwrap();
    std::fs::write("target/screenshots/chart-weeks.png", &png_bytes).unwrap();
    let legend = 17 * 17;
    let deferral = count_colour(&pixels, PALETTE[0]) - legend;
    let refund = count_colour(&pixels, PALETTE[1]) - legend;
    assert!(refund > 2_000, "the refund's bar: {refund} pixels");
    let ratio = deferral as f64 / refund as f64;
    assert!(
        (1.9..=2.1).contains(&ratio),
        "deferrals / refunds = {ratio}"
    );
    let white = count_colour(&pixels, plotters::style::WHITE);
    assert!(
        white < pixels.len() / 3,
        "something is drawn: {white} white pixels"
    );
}

#[tokio::test]
async fn stats_thang_sends_the_chart_of_the_last_months() {
    let app = a_week_of_work().await;
    let periods = app.engine.chart_periods(Span::Month, 8).await.unwrap();
    assert_eq!(periods[0].label, "04/2026");
    assert_eq!(periods[7].label, "11/2026");
    assert_eq!(periods[7].by_kind, [2, 1, 0, 5]);
    assert_eq!(periods[7].ratings, [3, 5]);
    assert!(periods[..7]
        .iter()
        .all(|p| p.by_kind.iter().all(|n| *n == 0)));

    assert!(app
        .engine
        .staff_command(None, None, "/stats tháng")
        .await
        .unwrap());
    app.delivery.flush().await;
    let sent: Vec<_> = app
        .recorder
        .take()
        .into_iter()
        .filter(|s| s.chat_id == STAFF_CHAT)
        .collect();
    assert_eq!(sent.len(), 2, "{sent:#?}");
    let (name, png_bytes) = sent[1].msg.picture.clone().expect("a chart");
    assert_eq!(name, "bieu-do-thang-2026-11-24.png");
    assert!(sent[1].msg.text.contains("8 tháng"), "{}", sent[1].msg.text);
    let (w, h, _) = decode(&png_bytes);
    assert_eq!((w, h), SIZE);
    std::fs::create_dir_all("target/screenshots").unwrap();
    std::fs::write("target/screenshots/chart-months.png", &png_bytes).unwrap();
}
