//! Charts drawn on the server as SVG with plotters. Every chart is shown
//! next to a table of its numbers, so the SVG itself is decorative for
//! screen readers (the page labels it).

use plotters::prelude::*;

use crate::i18n::Lang;
use crate::model::{IndicesReport, TrendPoint};

const BAR: RGBColor = RGBColor(0x1d, 0x4e, 0x89);
const BAR_BELOW_TARGET: RGBColor = RGBColor(0xa1, 0x4a, 0x00);
const TARGET: RGBColor = RGBColor(0xb3, 0x1b, 0x1b);
const INK: RGBColor = RGBColor(0x1f, 0x29, 0x33);
const GRID: RGBColor = RGBColor(0xd9, 0xdd, 0xe3);

/// One bar of the element chart: its label, its index (none: no data) and
/// the target it is measured against.
#[derive(Clone, Debug, PartialEq)]
pub struct ElementBar {
    pub label: String,
    pub index: Option<f64>,
    pub target: f64,
}

impl ElementBar {
    /// The bars of `report`'s elements, each against its own target in
    /// `own` or the agency's `target`.
    pub fn of_report(
        report: &IndicesReport,
        target: f64,
        own: &std::collections::BTreeMap<String, f64>,
    ) -> Vec<Self> {
        report
            .elements
            .iter()
            .map(|e| Self {
                label: e.code.clone(),
                index: e.index,
                target: crate::services::settings::target_of(&e.code, own, target),
            })
            .collect()
    }
}

/// The rows of [`distribution_bars`]: each criterion of `report` with its
/// five-level distribution.
pub fn distribution_rows(report: &IndicesReport) -> Vec<(String, [u64; 5])> {
    report
        .criteria
        .iter()
        .map(|c| (c.code.clone(), c.figures.distribution))
        .collect()
}

/// Vertical bars of element indices (0–100), each with a dashed mark at its
/// target (`target` is the agency-wide one the legend names; an element may
/// have its own). Elements without data get no bar.
pub fn element_bars(bars: &[ElementBar], target: f64, lang: Lang) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 380)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let count = bars.len().max(1) as u32;
        // Integer ranges are closed in plotters: 0..count - 1 gives one segment per bar.
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d((0u32..count - 1).into_segmented(), 0f64..100f64)
            .map_err(|e| e.to_string())?;
        let label_style = TextStyle::from(("sans-serif", 15).into_font()).color(&INK);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .y_labels(6)
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .x_label_style(label_style.clone())
            .y_label_style(label_style.clone())
            .x_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(i) => bars
                    .get(*i as usize)
                    .map(|bar| bar.label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;

        chart
            .draw_series(bars.iter().enumerate().filter_map(|(i, bar)| {
                let value = bar.index?;
                let i = i as u32;
                let colour = if value < bar.target {
                    BAR_BELOW_TARGET
                } else {
                    BAR
                };
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), value),
                    ],
                    colour.filled(),
                );
                bar.set_margin(0, 0, 14, 14);
                Some(bar)
            }))
            .map_err(|e| e.to_string())?;

        chart
            .draw_series(bars.iter().enumerate().filter_map(|(i, bar)| {
                let value = bar.index?;
                Some(Text::new(
                    lang.percent(value),
                    (SegmentValue::CenterOf(i as u32), (value + 6.0).min(99.0)),
                    label_style
                        .clone()
                        .pos(plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        )),
                ))
            }))
            .map_err(|e| e.to_string())?;

        // The target of each element across its own segment.
        for (i, bar) in bars.iter().enumerate() {
            let i = i as u32;
            let series = chart
                .draw_series(DashedLineSeries::new(
                    [
                        (SegmentValue::Exact(i), bar.target),
                        (SegmentValue::Exact(i + 1), bar.target),
                    ],
                    8,
                    5,
                    TARGET.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
            if i == 0 {
                series.label(lang.target_line(target)).legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], TARGET.stroke_width(2))
                });
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(label_style)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// One criterion on the importance–performance matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixPoint {
    pub label: String,
    /// Relative weight, percent of R².
    pub weight: f64,
    /// Criterion index, 0–100.
    pub index: f64,
    /// Heavier than average and below its target.
    pub fix_first: bool,
}

impl MatrixPoint {
    /// The criteria of `analysis` that have an index, as points.
    pub fn of_analysis(analysis: &crate::model::DriverAnalysis) -> Vec<Self> {
        analysis
            .criteria
            .iter()
            .filter_map(|c| {
                Some(Self {
                    label: c.code.clone(),
                    weight: c.weight,
                    index: c.index?,
                    fix_first: c.quadrant == Some(crate::model::Quadrant::FixFirst),
                })
            })
            .collect()
    }
}

/// The importance–performance matrix: weight across, index up, a dashed
/// line at the mean weight and one at the target, each quadrant named in
/// its corner and each point labelled with its criterion code.
pub fn importance_performance(
    points: &[MatrixPoint],
    mean_weight: f64,
    target: f64,
    lang: Lang,
) -> Result<String, String> {
    let t = lang.texts();
    let heaviest = points.iter().map(|p| p.weight).fold(mean_weight, f64::max);
    let x_max = (heaviest * 1.15).max(mean_weight * 2.0).ceil();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..x_max, 0f64..100f64)
            .map_err(|e| e.to_string())?;
        let label_style = TextStyle::from(("sans-serif", 14).into_font()).color(&INK);
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .x_desc(t.drivers_weight_axis)
            .y_desc(t.drivers_index_axis)
            .x_label_formatter(&|v| format!("{v:.0}%"))
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .x_label_style(label_style.clone())
            .y_label_style(label_style.clone())
            .axis_desc_style(label_style.clone())
            .draw()
            .map_err(|e| e.to_string())?;
        for line in [
            [(mean_weight, 0.0), (mean_weight, 100.0)],
            [(0.0, target), (x_max, target)],
        ] {
            chart
                .draw_series(DashedLineSeries::new(line, 8, 5, TARGET.stroke_width(2)))
                .map_err(|e| e.to_string())?;
        }
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        let quiet = INK.mix(0.75);
        let corner = |h: HPos, v: VPos| label_style.clone().color(&quiet).pos(Pos::new(h, v));
        let quadrant_labels = [
            (
                t.quadrant_fix_first,
                (x_max * 0.99, 1.0),
                corner(HPos::Right, VPos::Bottom),
            ),
            (
                t.quadrant_keep_up,
                (x_max * 0.99, 99.0),
                corner(HPos::Right, VPos::Top),
            ),
            (
                t.quadrant_low_priority,
                (x_max * 0.01, 1.0),
                corner(HPos::Left, VPos::Bottom),
            ),
            (
                t.quadrant_possible_overkill,
                (x_max * 0.01, 99.0),
                corner(HPos::Left, VPos::Top),
            ),
        ];
        chart
            .draw_series(
                quadrant_labels
                    .into_iter()
                    .map(|(text, at, style)| Text::new(text.to_owned(), at, style)),
            )
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(points.iter().map(|p| {
                let colour = if p.fix_first { BAR_BELOW_TARGET } else { BAR };
                Circle::new((p.weight, p.index), 6, colour.filled())
            }))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(points.iter().map(|p| {
                Text::new(
                    p.label.clone(),
                    (p.weight, p.index),
                    label_style.clone().pos(Pos::new(HPos::Left, VPos::Bottom)),
                )
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_chart_has_a_bar_per_element_with_data_and_escapes_text() {
        let bar = |label: &str, index, target| ElementBar {
            label: label.to_owned(),
            index,
            target,
        };
        let bars = vec![
            bar("A", Some(81.5), 80.0),
            bar("B <script>", Some(64.0), 60.0),
            bar("C", None, 80.0),
        ];
        let svg = element_bars(&bars, 80.0, Lang::Vi).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("81,50"));
        assert!(svg.contains("64,00"));
        assert!(svg.contains("Mục tiêu 80,00%"));
        assert!(!svg.contains("<script>"), "labels must be escaped");
        assert!(svg.contains("&lt;script&gt;"));
    }
}

const LEVEL_COLOURS: [RGBColor; 5] = [
    RGBColor(0xa1, 0x1d, 0x1d),
    RGBColor(0xe0, 0x7a, 0x5f),
    RGBColor(0xc9, 0xcd, 0xd3),
    RGBColor(0x6f, 0x9f, 0xd8),
    RGBColor(0x1d, 0x4e, 0x89),
];

/// The five-level distribution of each criterion as diverging stacked bars:
/// dissatisfied to the left of zero, satisfied to the right, neutral split
/// across it. `rows` are (label, counts of levels 1..5); shares in percent.
pub fn distribution_bars(rows: &[(String, [u64; 5])], lang: Lang) -> Result<String, String> {
    let height = 60 + 26 * rows.len().max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let count = rows.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(-100f64..100f64, (0u32..count - 1).into_segmented())
            .map_err(|e| e.to_string())?;
        let label_style = TextStyle::from(("sans-serif", 14).into_font()).color(&INK);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .x_labels(9)
            .x_label_formatter(&|v| format!("{:.0}%", v.abs()))
            .y_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(i) => rows
                    .get(*i as usize)
                    .map(|(label, _)| label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_style(label_style.clone())
            .y_label_style(label_style)
            .draw()
            .map_err(|e| e.to_string())?;
        let mut bars = Vec::new();
        for (i, (_, levels)) in rows.iter().enumerate() {
            let valid: u64 = levels.iter().sum();
            if valid == 0 {
                continue;
            }
            let share = |level: usize| 100.0 * levels[level] as f64 / valid as f64;
            let neutral_half = share(2) / 2.0;
            let mut left = -(share(0) + share(1) + neutral_half);
            for (level, colour) in LEVEL_COLOURS.iter().enumerate() {
                let right = left + share(level);
                let mut bar = Rectangle::new(
                    [
                        (left, SegmentValue::Exact(i as u32)),
                        (right, SegmentValue::Exact(i as u32 + 1)),
                    ],
                    colour.filled(),
                );
                bar.set_margin(4, 4, 0, 0);
                bars.push(bar);
                left = right;
            }
        }
        chart.draw_series(bars).map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(
                [
                    (0.0, SegmentValue::Exact(0)),
                    (0.0, SegmentValue::Exact(count)),
                ],
                INK.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
        let _ = lang;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The overall index over rounds with its interval as a band, and the target line.
pub fn trend_line(points: &[TrendPoint], target: f64, lang: Lang) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 340)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let count = points.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d((0u32..count - 1).into_segmented(), 0f64..100f64)
            .map_err(|e| e.to_string())?;
        let label_style = TextStyle::from(("sans-serif", 14).into_font()).color(&INK);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(INK)
            .y_labels(6)
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .x_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(i) => points
                    .get(*i as usize)
                    .map(|p| p.period.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_style(label_style.clone())
            .y_label_style(label_style.clone())
            .draw()
            .map_err(|e| e.to_string())?;
        let at = |i: usize| SegmentValue::CenterOf(i as u32);
        let band: Vec<_> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.ci_low.zip(p.ci_high).map(|(l, h)| (i, l, h)))
            .collect();
        if band.len() >= 2 {
            let mut outline: Vec<(SegmentValue<u32>, f64)> =
                band.iter().map(|(i, _, h)| (at(*i), *h)).collect();
            outline.extend(band.iter().rev().map(|(i, l, _)| (at(*i), *l)));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    outline,
                    BAR.mix(0.15).filled(),
                )))
                .map_err(|e| e.to_string())?;
        }
        for (i, low, high) in &band {
            chart
                .draw_series(LineSeries::new(
                    [(at(*i), *low), (at(*i), *high)],
                    BAR.mix(0.6).stroke_width(2),
                ))
                .map_err(|e| e.to_string())?;
        }
        let line: Vec<_> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.overall.map(|v| (at(i), v)))
            .collect();
        chart
            .draw_series(LineSeries::new(line.clone(), BAR.stroke_width(3)))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                line.iter()
                    .map(|(x, y)| Circle::new((x.clone(), *y), 5, BAR.filled())),
            )
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(line.iter().map(|(x, y)| {
                Text::new(
                    lang.percent(*y),
                    (x.clone(), (*y + 7.0).min(98.0)),
                    label_style
                        .clone()
                        .pos(plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        )),
                )
            }))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(DashedLineSeries::new(
                [
                    (SegmentValue::Exact(0), target),
                    (SegmentValue::Exact(count), target),
                ],
                8,
                5,
                TARGET.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn distribution_and_trend_charts_draw() {
        let rows = vec![
            ("A1".to_owned(), [1, 2, 3, 4, 10]),
            ("A2 <b>".to_owned(), [0, 0, 0, 0, 0]),
        ];
        let svg = distribution_bars(&rows, Lang::Vi).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("A1") && !svg.contains("<b>"));
        let point = |period: &str, overall: f64, low: f64, high: f64| TrendPoint {
            slug: period.to_lowercase(),
            period: period.to_owned(),
            n_responses: 100,
            overall: Some(overall),
            ci_low: Some(low),
            ci_high: Some(high),
        };
        let points = vec![point("H1", 70.0, 65.0, 75.0), point("H2", 74.5, 70.0, 79.0)];
        let svg = trend_line(&points, 80.0, Lang::Vi).unwrap();
        assert!(svg.contains("74,50") && svg.contains("<polygon"));
    }

    #[test]
    fn the_matrix_names_each_point_and_each_quadrant() {
        let point = |label: &str, weight, index, fix_first| MatrixPoint {
            label: label.to_owned(),
            weight,
            index,
            fix_first,
        };
        let points = vec![
            point("A1", 39.45, 70.0, true),
            point("B2 <i>", 31.74, 90.0, false),
        ];
        let svg = importance_performance(&points, 100.0 / 3.0, 80.0, Lang::Vi).unwrap();
        let t = Lang::Vi.texts();
        for text in [
            "A1",
            t.quadrant_fix_first,
            t.quadrant_keep_up,
            t.quadrant_low_priority,
            t.quadrant_possible_overkill,
        ] {
            assert!(svg.contains(text), "{text}");
        }
        assert!(!svg.contains("<i>") && svg.contains("&lt;i&gt;"));
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}

/// A chart's SVG drawn as PNG, `scale` times its size (2 prints sharply),
/// its text in the embedded font.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    use resvg::tiny_skia::{Color, Pixmap, Transform};
    let tree =
        usvg::Tree::from_str(svg, &crate::fonts::svg_options()).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("the chart is too large to draw")?;
    let mut pixmap =
        Pixmap::new(size.width(), size.height()).ok_or("the chart has no area to draw")?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}
