//! Charts for the owner and the shift lead, drawn in the process into PNG: requests by type
//! and by outcome, call-backs on time and late, ratings, one bar per week or month.
//!
//! The figures and every label come in (already in the staff's language); nothing here reads
//! the clock or the database. The font (DejaVu Sans, which covers Vietnamese) is embedded, so
//! the charts draw the same in a slim container with no fonts installed.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

/// DejaVu Sans (Bitstream Vera licence, DejaVu changes in the public domain; see
/// `DejaVuSans-LICENSE.txt` beside this file).
static FONT: &[u8] = include_bytes!("DejaVuSans.ttf");
const FAMILY: &str = "cskh-sans";

/// Width and height of a chart in pixels: portrait, readable on a phone at full width.
pub const SIZE: (u32, u32) = (1000, 1500);

/// Colours of the stacked series, in order (the first panel: one per type).
pub const PALETTE: [RGBColor; 5] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
];
const ON_TIME: RGBColor = RGBColor(44, 160, 44);
const LATE: RGBColor = RGBColor(214, 39, 40);
const RATING: RGBColor = RGBColor(255, 187, 0);

/// The figures of one bar (a week or a month).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Period {
    /// Under the bar ("23/11", "11/2026").
    pub label: String,
    /// Requests and cases created in the period, by type (in the order of `Chart::kinds`).
    pub by_kind: Vec<i64>,
    /// Requests by outcome (in the order of `Chart::outcomes`).
    pub by_outcome: Vec<i64>,
    /// Call-backs made by their deadline.
    pub on_time: i64,
    /// Call-backs made after their deadline, or still owed past it.
    pub late: i64,
    /// The ratings given to cases opened in the period (1 to 5 each).
    pub ratings: Vec<i64>,
}

impl Period {
    /// The average rating times ten (43 = 4.3), if any.
    pub fn rating_x10(&self) -> Option<i64> {
        (!self.ratings.is_empty())
            .then(|| self.ratings.iter().sum::<i64>() * 10 / self.ratings.len() as i64)
    }
}

/// A chart's figures and words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chart {
    pub title: String,
    /// Titles of the four panels: by type, by outcome, call-backs, ratings.
    pub panels: [String; 4],
    /// Names of the types (legend of the first panel).
    pub kinds: Vec<String>,
    /// Names of the outcomes (legend of the second panel).
    pub outcomes: Vec<String>,
    pub on_time: String,
    pub late: String,
    /// Oldest first.
    pub periods: Vec<Period>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart failed: {0}")]
    Encode(#[from] png::EncodingError),
}

fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for style in [FontStyle::Normal, FontStyle::Bold] {
            if plotters::style::register_font(FAMILY, style, FONT).is_err() {
                tracing::error!("the embedded chart font does not load");
            }
        }
    });
}

/// Draws the chart as a PNG image of [`SIZE`].
pub fn render(chart: &Chart) -> Result<Vec<u8>, ChartError> {
    register_font();
    let (w, h) = SIZE;
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let root = root.margin(16, 0, 0, 0);
        let root = root
            .titled(
                &chart.title,
                (FAMILY, 40).into_font().style(FontStyle::Bold),
            )
            .map_err(draw_err)?;
        let panels = root.split_evenly((4, 1));
        let stacks = |pick: &dyn Fn(&Period) -> Vec<i64>| -> Vec<Vec<i64>> {
            chart.periods.iter().map(pick).collect()
        };
        stacked(
            &panels[0],
            &chart.panels[0],
            &chart.kinds,
            &PALETTE,
            chart,
            &stacks(&|p| p.by_kind.clone()),
        )?;
        stacked(
            &panels[1],
            &chart.panels[1],
            &chart.outcomes,
            &PALETTE[2..],
            chart,
            &stacks(&|p| p.by_outcome.clone()),
        )?;
        stacked(
            &panels[2],
            &chart.panels[2],
            &[chart.on_time.clone(), chart.late.clone()],
            &[ON_TIME, LATE],
            chart,
            &stacks(&|p| vec![p.on_time, p.late]),
        )?;
        ratings(&panels[3], &chart.panels[3], chart)?;
        root.present().map_err(draw_err)?;
    }
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&rgb)?;
    }
    Ok(png_bytes)
}

/// Text centred above a point.
fn centred() -> TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    (FAMILY, 20)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Bottom))
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// A panel's frame: its title, margins and room for the axis labels.
fn panel<'a, 'b>(area: &'a Area<'b>, title: &str) -> ChartBuilder<'a, 'static, BitMapBackend<'b>> {
    let mut b = ChartBuilder::on(area);
    b.caption(title, (FAMILY, 30))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60);
    b
}

/// The period labels under the bars, one per bar.
fn x_label(chart: &Chart, x: &i32) -> String {
    usize::try_from(*x)
        .ok()
        .and_then(|i| chart.periods.get(i))
        .map(|p| p.label.clone())
        .unwrap_or_default()
}

/// A panel of stacked bars: `values[period][series]`.
fn stacked(
    area: &Area<'_>,
    title: &str,
    names: &[String],
    colours: &[RGBColor],
    chart: &Chart,
    values: &[Vec<i64>],
) -> Result<(), ChartError> {
    let n = chart.periods.len().max(1) as i32;
    let top = values
        .iter()
        .map(|v| v.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    // Room above the tallest bar for its total.
    let y_max = top + (top / 5).max(1);
    let mut c = panel(area, title)
        .build_cartesian_2d((0..(n - 1).max(0)).into_segmented(), 0i64..y_max)
        .map_err(draw_err)?;
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(n as usize)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => x_label(chart, i),
            _ => String::new(),
        })
        .y_labels(5)
        .y_label_formatter(&|y| format!("{y}"))
        .label_style((FAMILY, 20))
        .light_line_style(WHITE)
        .draw()
        .map_err(draw_err)?;
    for (s, name) in names.iter().enumerate() {
        let colour = colours[s % colours.len()];
        let bars = values.iter().enumerate().filter_map(move |(i, v)| {
            let below: i64 = v.iter().take(s).sum();
            let here = v.get(s).copied().unwrap_or(0);
            (here > 0).then(|| {
                let x = i as i32;
                Rectangle::new(
                    [
                        (SegmentValue::Exact(x), below),
                        (SegmentValue::Exact(x + 1), below + here),
                    ],
                    colour.filled(),
                )
            })
        });
        c.draw_series(bars)
            .map_err(draw_err)?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 16, y + 8)], colour.filled()));
    }
    // The total above each bar.
    c.draw_series(values.iter().enumerate().filter_map(|(i, v)| {
        let total: i64 = v.iter().sum();
        (total > 0).then(|| {
            Text::new(
                total.to_string(),
                (SegmentValue::CenterOf(i as i32), total),
                centred(),
            )
        })
    }))
    .map_err(draw_err)?;
    c.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FAMILY, 20))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(draw_err)?;
    Ok(())
}

/// The average rating per period (0 to 5), with how many ratings it is made of.
fn ratings(area: &Area<'_>, title: &str, chart: &Chart) -> Result<(), ChartError> {
    let n = chart.periods.len().max(1) as i32;
    let mut c = panel(area, title)
        .build_cartesian_2d((0..(n - 1).max(0)).into_segmented(), 0f64..5.9)
        .map_err(draw_err)?;
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(n as usize)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => x_label(chart, i),
            _ => String::new(),
        })
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style((FAMILY, 20))
        .light_line_style(WHITE)
        .draw()
        .map_err(draw_err)?;
    let rated = || {
        chart
            .periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.rating_x10().map(|r| (i as i32, r as f64 / 10.0, p)))
    };
    c.draw_series(rated().map(|(x, avg, _)| {
        Rectangle::new(
            [
                (SegmentValue::Exact(x), 0.0),
                (SegmentValue::Exact(x + 1), avg),
            ],
            RATING.filled(),
        )
    }))
    .map_err(draw_err)?;
    c.draw_series(rated().map(|(x, avg, p)| {
        Text::new(
            format!("{avg:.1} ({})", p.ratings.len()),
            (SegmentValue::CenterOf(x), avg),
            centred(),
        )
    }))
    .map_err(draw_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Chart {
        Chart {
            title: "Tuần: yêu cầu, gọi lại, đánh giá".into(),
            panels: [
                "Theo loại".into(),
                "Theo kết quả".into(),
                "Gọi lại".into(),
                "Đánh giá".into(),
            ],
            kinds: vec!["Bảo lưu".into(), "Hoàn trả".into()],
            outcomes: vec!["Chấp thuận".into(), "Từ chối".into()],
            on_time: "Đúng hạn".into(),
            late: "Trễ".into(),
            periods: (0..8)
                .map(|i| Period {
                    label: format!("{}/11", i + 1),
                    by_kind: vec![i, 2],
                    by_outcome: vec![1, i],
                    on_time: i,
                    late: 1,
                    ratings: if i % 2 == 0 { vec![4, 5] } else { vec![] },
                })
                .collect(),
        }
    }

    #[test]
    fn a_chart_is_a_png_of_its_size_with_something_drawn() {
        let png_bytes = render(&sample()).unwrap();
        // Kept for people to look at, where the build's files are.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(format!("{dir}/chart-sample.png"), &png_bytes).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), SIZE);
        let pixels = &buf[..info.buffer_size()];
        let coloured = pixels
            .chunks(3)
            .filter(|p| p == &[31, 119, 180] || p == &[214, 39, 40])
            .count();
        assert!(coloured > 1000, "bars drawn: {coloured} pixels");
    }

    #[test]
    fn an_empty_chart_still_draws() {
        let mut chart = sample();
        chart
            .periods
            .iter_mut()
            .for_each(|p| *p = Period::default());
        assert!(render(&chart).unwrap().len() > 1000);
    }
}
