//! The board's charts as inline SVG: the frontier drawn by `plot`
//! (plotters), given a `<title>` and `<desc>` and made to scale with the
//! page; the tornado, the cost bands and the variance bridge drawn here as horizontal bars on
//! one dollar axis with labelled ticks. Every text is escaped by maud.

use maud::{html, Markup, PreEscaped};

use crate::human::usd;
use crate::views::board::{Bands, Bridge, ChartKind, Figure, Tornado};

const WIDTH: f64 = 1000.0;
const LEFT: f64 = 230.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 20.0;
const ROW: f64 = 34.0;
const AXIS: f64 = 64.0;
const ACCENT: &str = "#0b5cad";
const BAND: &str = "#9ec5e8";
const LOW: &str = "#2e8b57";
const HIGH: &str = "#c0392b";

pub fn render(f: &Figure) -> Result<Markup, String> {
    match &f.chart {
        ChartKind::Xy(chart) => xy(f, &crate::plot::render(chart)?),
        ChartKind::Tornado(t) => Ok(tornado(f, t)),
        ChartKind::Bands(b) => Ok(bands(f, b)),
        ChartKind::Bridge(b) => Ok(bridge(f, b)),
    }
}

/// plotters' SVG with our opening tag: a viewBox and no fixed size (so it
/// scales), `role="img"`, and the title and description first.
fn xy(f: &Figure, svg: &str) -> Result<Markup, String> {
    let start = svg.find("<svg").ok_or("the chart is not an SVG")?;
    let end = start
        + svg[start..]
            .find('>')
            .ok_or("the chart's SVG tag is open")?;
    let head = &svg[start..end];
    let size = |name: &str| -> Option<String> {
        let at = head.find(&format!("{name}=\""))? + name.len() + 2;
        Some(head[at..].split('"').next()?.to_string())
    };
    let (w, h) = (
        size("width").unwrap_or_else(|| "1000".into()),
        size("height").unwrap_or_else(|| "650".into()),
    );
    let open = html! {
        (PreEscaped(format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{0}-t {0}-d">"#, f.id)))
        title id={ (f.id) "-t" } { (f.title) }
        desc id={ (f.id) "-d" } { (f.description) }
    };
    Ok(PreEscaped(format!(
        "{}{}",
        open.into_string(),
        &svg[end + 1..]
    )))
}

/// A dollar axis from `lo` to `hi` with about five round ticks.
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    fn new(lo: f64, hi: f64) -> Axis {
        let (lo, hi) = if hi - lo > 1e-9 * hi.abs().max(1.0) {
            (lo, hi)
        } else {
            let pad = (lo.abs() * 0.1).max(1.0);
            (lo - pad, hi + pad)
        };
        let raw = (hi - lo) / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * mag);
        let lo = (lo / step).floor() * step;
        let hi = (hi / step).ceil() * step;
        let n = ((hi - lo) / step).round() as usize;
        Axis {
            lo,
            hi,
            ticks: (0..=n).map(|i| lo + step * i as f64).collect(),
        }
    }

    fn x(&self, v: f64) -> f64 {
        LEFT + (v - self.lo) / (self.hi - self.lo) * (WIDTH - LEFT - RIGHT)
    }
}

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// The frame shared by both bar charts: the SVG tag, title, description,
/// gridlines, tick labels and the two axis titles.
fn frame(
    f: &Figure,
    rows: usize,
    axis: &Axis,
    x_label: &str,
    y_label: &str,
    bars: &Markup,
) -> Markup {
    let plot_h = ROW * rows.max(1) as f64;
    let height = TOP + plot_h + AXIS;
    let bottom = TOP + plot_h;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (n(height)) } role="img"
            aria-labelledby={ (f.id) "-t " (f.id) "-d" } font-family="sans-serif" font-size="14" {
            title id={ (f.id) "-t" } { (f.title) }
            desc id={ (f.id) "-d" } { (f.description) }
            rect x="0" y="0" width=(WIDTH) height=(n(height)) fill="#fff" {}
            g.grid stroke="#e6e9ec" {
                @for t in &axis.ticks {
                    line x1=(n(axis.x(*t))) x2=(n(axis.x(*t))) y1=(n(TOP)) y2=(n(bottom)) {}
                }
            }
            (bars)
            g.x-axis {
                line x1=(n(LEFT)) x2=(n(WIDTH - RIGHT)) y1=(n(bottom)) y2=(n(bottom)) stroke="#57606a" {}
                @for t in &axis.ticks {
                    text x=(n(axis.x(*t))) y=(n(bottom + 20.0)) text-anchor="middle" fill="#333" { (usd(*t)) }
                }
                text.axis-label x=(n(LEFT + (WIDTH - LEFT - RIGHT) / 2.0)) y=(n(bottom + 50.0)) text-anchor="middle" font-size="16" fill="#111" { (x_label) }
            }
            text.axis-label x="16" y=(n(TOP + plot_h / 2.0)) text-anchor="middle" font-size="16" fill="#111"
                transform={ "rotate(-90 16 " (n(TOP + plot_h / 2.0)) ")" } { (y_label) }
        }
    }
}

fn tornado(f: &Figure, t: &Tornado) -> Markup {
    let values = t
        .bars
        .iter()
        .flat_map(|b| [b.at_low, b.at_high])
        .chain([t.base]);
    let (lo, hi) = bounds(values);
    let axis = Axis::new(lo, hi);
    let bars = html! {
        @for (k, b) in t.bars.iter().enumerate() {
            @let y = TOP + ROW * k as f64;
            @let (a, z) = (axis.x(b.at_low.min(b.at_high)), axis.x(b.at_low.max(b.at_high)));
            @let base = axis.x(t.base);
            g.bar {
                title { (b.label) ": " (usd(b.at_low)) " at " (b.low_label) ", " (usd(b.at_high)) " at " (b.high_label) }
                text x=(n(LEFT - 8.0)) y=(n(y + ROW / 2.0 + 5.0)) text-anchor="end" fill="#111" { (b.label) }
                // The low end's half of the bar, then the high end's.
                rect x=(n(axis.x(b.at_low).min(base))) y=(n(y + 6.0)) width=(n((axis.x(b.at_low) - base).abs().max(1.0))) height=(n(ROW - 12.0)) fill=(LOW) {}
                rect x=(n(axis.x(b.at_high).min(base))) y=(n(y + 6.0)) width=(n((axis.x(b.at_high) - base).abs().max(1.0))) height=(n(ROW - 12.0)) fill=(HIGH) {}
                text x=(n(a - 4.0)) y=(n(y + ROW / 2.0 + 5.0)) text-anchor="end" font-size="12" fill="#333" {
                    (if b.at_low <= b.at_high { &b.low_label } else { &b.high_label })
                }
                text x=(n(z + 4.0)) y=(n(y + ROW / 2.0 + 5.0)) font-size="12" fill="#333" {
                    (if b.at_low <= b.at_high { &b.high_label } else { &b.low_label })
                }
            }
        }
        line.base x1=(n(axis.x(t.base))) x2=(n(axis.x(t.base))) y1=(n(TOP - 6.0)) y2=(n(TOP + ROW * t.bars.len().max(1) as f64)) stroke="#111" stroke-width="2" {}
    };
    frame(
        f,
        t.bars.len(),
        &axis,
        &t.x_label,
        "assumption (green: low end, red: high end)",
        &bars,
    )
}

fn bands(f: &Figure, b: &Bands) -> Markup {
    let values = b
        .bands
        .iter()
        .flat_map(|x| [x.p5, x.p95, x.expected])
        .chain(b.budget)
        .chain([0.0]);
    let (lo, hi) = bounds(values);
    let axis = Axis::new(lo.max(0.0), hi);
    let rows = b.bands.len();
    let bars = html! {
        @for (k, x) in b.bands.iter().enumerate() {
            @let y = TOP + ROW * k as f64;
            @let fill = if x.highlight { ACCENT } else { BAND };
            g.band {
                title { (x.label) ": 5th to 95th percentile " (usd(x.p5)) " to " (usd(x.p95)) ", median " (usd(x.p50)) ", expected " (usd(x.expected)) }
                text x=(n(LEFT - 8.0)) y=(n(y + ROW / 2.0 + 5.0)) text-anchor="end" fill="#111" font-weight=[x.highlight.then_some("bold")] { (x.label) }
                rect x=(n(axis.x(x.p5))) y=(n(y + 8.0)) width=(n((axis.x(x.p95) - axis.x(x.p5)).max(2.0))) height=(n(ROW - 16.0)) fill=(fill) {}
                line x1=(n(axis.x(x.p50))) x2=(n(axis.x(x.p50))) y1=(n(y + 4.0)) y2=(n(y + ROW - 4.0)) stroke="#111" stroke-width="2" {}
                circle cx=(n(axis.x(x.expected))) cy=(n(y + ROW / 2.0)) r="4" fill="#fff" stroke="#111" stroke-width="1.5" {}
            }
        }
        @if let Some(budget) = b.budget {
            g.budget {
                line x1=(n(axis.x(budget))) x2=(n(axis.x(budget))) y1=(n(TOP - 6.0)) y2=(n(TOP + ROW * rows.max(1) as f64)) stroke=(HIGH) stroke-width="2" stroke-dasharray="6 4" {}
                text x=(n(axis.x(budget) + 4.0)) y=(n(TOP + 6.0)) font-size="12" fill=(HIGH) { "budget " (usd(budget)) }
            }
        }
    };
    frame(f, rows, &axis, &b.x_label, "plan", &bars)
}

/// The variance bridge: totals from zero in the accent colour, each
/// cause's step from the level before it, red up and green down.
fn bridge(f: &Figure, b: &Bridge) -> Markup {
    let values = b.steps.iter().flat_map(|x| [x.from, x.to]).chain([0.0]);
    let (lo, hi) = bounds(values);
    let axis = Axis::new(lo.min(0.0), hi);
    let bars = html! {
        @for (k, x) in b.steps.iter().enumerate() {
            @let y = TOP + ROW * k as f64;
            @let fill = if x.total { ACCENT } else if x.to >= x.from { HIGH } else { LOW };
            @let (a, z) = (axis.x(x.from.min(x.to)), axis.x(x.from.max(x.to)));
            @let change = if x.total { usd(x.to) } else if x.to >= x.from { format!("+{}", usd(x.to - x.from)) } else { usd(x.to - x.from) };
            g.step {
                title { (x.label) ": " (change) }
                text x=(n(LEFT - 8.0)) y=(n(y + ROW / 2.0 + 5.0)) text-anchor="end" fill="#111" font-weight=[x.total.then_some("bold")] { (x.label) }
                rect x=(n(a)) y=(n(y + 6.0)) width=(n((z - a).max(1.0))) height=(n(ROW - 12.0)) fill=(fill) {}
                text x=(n(z + 4.0)) y=(n(y + ROW / 2.0 + 5.0)) font-size="12" fill="#333" { (change) }
            }
        }
    };
    frame(f, b.steps.len(), &axis, &b.x_label, "step", &bars)
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Axis;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let a = Axis::new(1234.0, 5678.0);
        assert!(a.lo <= 1234.0 && a.hi >= 5678.0);
        assert!(a.ticks.len() >= 3 && a.ticks.len() <= 12, "{:?}", a.ticks);
        assert_eq!(a.ticks[1] - a.ticks[0], 1000.0);
        let flat = Axis::new(50.0, 50.0);
        assert!(flat.lo < 50.0 && flat.hi > 50.0);
    }
}
