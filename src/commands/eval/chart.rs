//! The `eval --plot` chart: cost per 1,000 queries against quality, with
//! the zero router's hull, each router's curve, the single models, the
//! oracle and the cascades.

use crate::eval::evaluate::{Evaluation, RouterTrace};
use crate::eval::OutcomeTable;
use crate::plot::{render as draw, Chart, Series, Style};

/// Curves are drawn with at most this many points.
const DRAWN_POINTS: usize = 400;

pub fn render(t: &OutcomeTable, e: &Evaluation, file: &str) -> anyhow::Result<String> {
    let k = 1000.0;
    let mut series = vec![Series {
        name: "zero router (mixing single models)".into(),
        points: e
            .zero_hull
            .iter()
            .map(|&m| (e.stats[m].mean_cost.value() * k, e.stats[m].quality))
            .collect(),
        style: Style::Guide,
        labels: vec![],
    }];
    let mut singles = Vec::new();
    for r in &e.routers {
        match &r.shape {
            RouterTrace::Curve(c) => {
                let step = c.len().div_ceil(DRAWN_POINTS).max(1);
                let mut points: Vec<(f64, f64)> = c
                    .iter()
                    .step_by(step)
                    .map(|p| (p.cost * k, p.quality))
                    .collect();
                if let Some(last) = c.last() {
                    points.push((last.cost * k, last.quality));
                }
                series.push(Series {
                    name: r.name.clone(),
                    points,
                    style: Style::Guide,
                    labels: vec![],
                });
            }
            RouterTrace::Point { cost, quality, .. } => {
                singles.push((r.name.clone(), *cost, *quality))
            }
            RouterTrace::Hull => {}
        }
    }
    series.push(Series {
        name: "single models".into(),
        points: e
            .stats
            .iter()
            .map(|s| (s.mean_cost.value() * k, s.quality))
            .collect(),
        style: Style::Points,
        labels: t.models.clone(),
    });
    for (name, cost, quality) in singles {
        let style = if name == "oracle" {
            Style::Highlight
        } else {
            Style::Points
        };
        series.push(Series {
            labels: vec![name.clone()],
            name,
            points: vec![(cost * k, quality)],
            style,
        });
    }
    let chart = Chart {
        title: format!("{file}: cost vs quality"),
        x_label: "USD per 1,000 queries".into(),
        y_label: "quality (mean normalised score)".into(),
        series,
    };
    draw(&chart).map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))
}
