//! Charts as SVG (plotters' SVG backend: no fonts or system libraries
//! needed). A `Chart` is plain data built by a command; `render` draws it.
//! Only `output` writes the file.

use plotters::prelude::*;

/// A labelled x-y chart: lines (a sweep's plans, a frontier) and points.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub style: Style,
    /// Per-point labels drawn beside the markers (may be empty).
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A line with markers.
    Line,
    /// A dashed-looking thin line (hulls, reference curves).
    Guide,
    /// Markers only.
    Points,
    /// A single emphasised marker (the baseline).
    Highlight,
}

const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// Draws the chart as an SVG document (1000 x 650 px).
pub fn render(chart: &Chart) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 650)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let all: Vec<(f64, f64)> = chart
            .series
            .iter()
            .flat_map(|s| s.points.iter().copied())
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        let (x0, x1) = padded(all.iter().map(|p| p.0));
        let (y0, y1) = padded(all.iter().map(|p| p.1));
        let mut ctx = ChartBuilder::on(&root)
            .caption(&chart.title, ("sans-serif", 24))
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| e.to_string())?;
        ctx.configure_mesh()
            .x_desc(&chart.x_label)
            .y_desc(&chart.y_label)
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 17))
            .light_line_style(RGBColor(248, 248, 248))
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, s) in chart.series.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            let points = s.points.clone();
            let drawn = match s.style {
                Style::Line => ctx.draw_series(
                    LineSeries::new(points.clone(), color.stroke_width(2)).point_size(3),
                ),
                Style::Guide => ctx.draw_series(LineSeries::new(
                    points.clone(),
                    color.mix(0.6).stroke_width(1),
                )),
                Style::Points => {
                    ctx.draw_series(points.iter().map(|p| Circle::new(*p, 5, color.filled())))
                }
                Style::Highlight => ctx.draw_series(
                    points
                        .iter()
                        .map(|p| Cross::new(*p, 9, BLACK.stroke_width(3))),
                ),
            }
            .map_err(|e| e.to_string())?;
            let legend_color = if s.style == Style::Highlight {
                BLACK
            } else {
                color
            };
            drawn.label(&s.name).legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 16, y + 5)], legend_color.filled())
            });
            // Points at the same place share one label.
            let mut placed: Vec<((f64, f64), String)> = Vec::new();
            for (p, label) in s.points.iter().zip(&s.labels) {
                match placed.iter_mut().find(|(q, _)| q == p) {
                    Some((_, text)) => *text = format!("{text} = {label}"),
                    None => placed.push((*p, label.clone())),
                }
            }
            for (p, label) in &placed {
                if !label.is_empty() {
                    ctx.draw_series(std::iter::once(Text::new(
                        label.clone(),
                        *p,
                        ("sans-serif", 13).into_font().color(&RGBColor(60, 60, 60)),
                    )))
                    .map_err(|e| e.to_string())?;
                }
            }
        }
        ctx.configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The range of the values with 5% padding (a unit range if empty or flat).
fn padded(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - pad, hi + pad);
    }
    let pad = (hi - lo) * 0.05;
    (lo - pad, hi + pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_an_svg_with_title_axes_and_legend() {
        let chart = Chart {
            title: "cost vs quality".into(),
            x_label: "USD per request".into(),
            y_label: "quality".into(),
            series: vec![
                Series {
                    name: "frontier".into(),
                    points: vec![(0.1, 0.8), (0.5, 0.95)],
                    style: Style::Line,
                    labels: vec!["a".into(), "b".into()],
                },
                Series {
                    name: "baseline".into(),
                    points: vec![(0.5, 0.95)],
                    style: Style::Highlight,
                    labels: vec![],
                },
            ],
        };
        let svg = render(&chart).unwrap();
        assert!(svg.starts_with("<svg"));
        for text in [
            "cost vs quality",
            "USD per request",
            "quality",
            "frontier",
            "baseline",
        ] {
            assert!(svg.contains(text), "{text}");
        }
    }
}
