//! Charts drawn on the server as SVG with plotters. Every chart is shown
//! next to a table of its numbers, so the SVG itself is decorative for
//! screen readers (the page labels it).

use plotters::prelude::*;

use crate::i18n::Lang;

const BAR: RGBColor = RGBColor(0x1d, 0x4e, 0x89);
const BAR_BELOW_TARGET: RGBColor = RGBColor(0xa1, 0x4a, 0x00);
const TARGET: RGBColor = RGBColor(0xb3, 0x1b, 0x1b);
const INK: RGBColor = RGBColor(0x1f, 0x29, 0x33);
const GRID: RGBColor = RGBColor(0xd9, 0xdd, 0xe3);

/// Vertical bars of element indices (0–100) with a dashed target line.
/// Elements without data get no bar. `bars` are (label, index).
pub fn element_bars(
    bars: &[(String, Option<f64>)],
    target: f64,
    lang: Lang,
) -> Result<String, String> {
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
                    .map(|(label, _)| label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| e.to_string())?;

        chart
            .draw_series(bars.iter().enumerate().filter_map(|(i, (_, value))| {
                let value = (*value)?;
                let i = i as u32;
                let colour = if value < target {
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
            .draw_series(bars.iter().enumerate().filter_map(|(i, (_, value))| {
                let value = (*value)?;
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
            .map_err(|e| e.to_string())?
            .label(lang.target_line(target))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], TARGET.stroke_width(2)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_chart_has_a_bar_per_element_with_data_and_escapes_text() {
        let bars = vec![
            ("A".to_owned(), Some(81.5)),
            ("B <script>".to_owned(), Some(64.0)),
            ("C".to_owned(), None),
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
