//! The cost-quality chart of an evaluation, as plain data for `plot`: cost
//! per 1,000 queries against quality, with the zero router's hull, each
//! router's curve, the single models, the oracle and the cascades.

use super::evaluate::{Evaluation, RouterTrace};
use super::OutcomeTable;
use crate::plot::{Chart, Series, Style};

/// Curves are drawn with at most this many points.
const DRAWN_POINTS: usize = 400;

/// The chart of `e` on table `t` (read from `file`, for the title).
pub fn chart(t: &OutcomeTable, e: &Evaluation, file: &str) -> Chart {
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
                singles.push((r.name.clone(), *cost, *quality));
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
    Chart {
        title: format!("{file}: cost vs quality"),
        x_label: "USD per 1,000 queries".into(),
        y_label: "quality (mean normalised score)".into(),
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::cascade_replay::AcceptRule;
    use crate::eval::evaluate::{evaluate, EvalOptions};

    #[test]
    fn the_chart_has_the_hull_the_curves_the_models_and_the_oracle() {
        let t = OutcomeTable {
            models: vec!["weak".into(), "strong".into()],
            queries: (0..4).map(|q| format!("q{q}")).collect(),
            scores: vec![vec![1.0, 1.0, 0.0, 0.0], vec![1.0, 0.0, 1.0, 0.0]],
            costs: vec![vec![0.1; 4], vec![1.0; 4]],
            router: None,
            categories: None,
        };
        let options = EvalOptions {
            weak: None,
            strong: None,
            baseline: None,
            aucs: vec![],
            cascades: vec![],
            verifier: AcceptRule::PERFECT,
            pass: 0.5,
            protocol: crate::eval::protocol::CurveProtocol::default(),
        };
        let c = chart(&t, &evaluate(&t, &options), "t.csv");
        let names: Vec<&str> = c.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names[0], "zero router (mixing single models)");
        assert!(names.contains(&"single models"));
        let oracle = c.series.iter().find(|s| s.name == "oracle").unwrap();
        assert_eq!(oracle.style, Style::Highlight);
        // Costs are per 1,000 queries.
        let models = c.series.iter().find(|s| s.name == "single models").unwrap();
        assert!((models.points[1].0 - 1000.0).abs() < 1e-9);
    }
}
