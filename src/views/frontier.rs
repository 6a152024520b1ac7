//! `cost frontier`: every plan and single model on cost vs quality, the
//! frontier, what dominates what, the zero-router comparison, and the chart.

use crate::engine::placement::Placement;
use crate::engine::Context;
use crate::plot::{Chart, Series, Style};
use crate::report::columns::scenario::{
    ON_FRONTIER, QUALITY_VS_ZERO_ROUTER, SAVINGS_VS_ZERO_ROUTER_SHARE, SINGLE_MODEL,
    ZERO_ROUTER_COST, ZERO_ROUTER_QUALITY,
};
use crate::report::columns::{COST_PER_REQUEST, DOMINATED_BY, PLAN, QUALITY, ROUTES};
use crate::report::{Column, Report, Table, Value};
use crate::scenario::Scenario;

pub fn report(s: &Scenario, placement: &Placement, ctx: &Context, index: Option<&str>) -> Report {
    let mut table = Table::new("points", columns());
    for p in placement.by_cost() {
        table.push(vec![
            p.outcome.plan.clone().into(),
            p.outcome.summary.clone().into(),
            Value::Bool(p.single),
            p.point.cost.into(),
            p.point.quality.into(),
            Value::Bool(p.on_frontier),
            p.dominated_by.clone().into(),
            p.zero_quality.into(),
            p.quality_vs_zero().into(),
            p.zero_cost.into(),
            p.savings_vs_zero().into(),
        ]);
    }
    let mut notes = vec![
        "frontier: the non-decreasing convex hull of (cost, quality) over every plan and single model; any point on it is reachable by randomly mixing its two neighbours".into(),
        "zero router: the same hull over single models only; a routing plan with quality above it at its cost (or cheaper than it at its quality) beats simply mixing models".into(),
    ];
    if !placement.skipped.is_empty() {
        notes.push(format!(
            "left out for lack of success rates: {}",
            placement.skipped.join(", ")
        ));
    }
    match index {
        Some(scale) => notes.push(format!(
            "quality axis: the global public index {scale} / 100, the same score for every class: a general capability score, not success on this scenario's tasks (add `[quality]` rates or a `[quality_proxy]`)"
        )),
        None => notes.push(format!(
            "quality from the scenario's evals{}",
            s.quality_source
                .as_ref()
                .map(|q| format!(" ({q})"))
                .unwrap_or_default()
        )),
    }
    if index.is_none() {
        notes.extend(
            s.proxies
                .iter()
                .map(|p| format!("quality proxy: {}", p.describe())),
        );
    }
    Report {
        command: "frontier",
        title: format!("cost frontier: {} (prices as of {})", s.name, ctx.date),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("baseline", s.baseline.clone().into()),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables: vec![table],
        notes,
    }
}

/// The chart: both hulls, single models and routing plans as labelled
/// points, the baseline highlighted. Cost in USD per 1,000 requests.
pub fn chart(s: &Scenario, placement: &Placement) -> Chart {
    let per_thousand = |cost: f64| cost * 1000.0;
    let hull = |name: &str, points: &[crate::engine::frontier::Point], style| Series {
        name: name.into(),
        points: points
            .iter()
            .map(|p| (per_thousand(p.cost), p.quality))
            .collect(),
        style,
        labels: vec![],
    };
    let mut series = vec![
        hull("frontier (all plans)", &placement.frontier, Style::Line),
        hull(
            "zero router (mixing single models)",
            &placement.zero_router,
            Style::Guide,
        ),
    ];
    for (single, name) in [(true, "single models"), (false, "routing plans")] {
        let placed: Vec<_> = placement
            .placed
            .iter()
            .filter(|p| p.single == single)
            .collect();
        series.push(Series {
            name: name.into(),
            points: placed
                .iter()
                .map(|p| (per_thousand(p.point.cost), p.point.quality))
                .collect(),
            style: Style::Points,
            labels: placed.iter().map(|p| p.outcome.plan.clone()).collect(),
        });
    }
    if let Some(b) = placement
        .placed
        .iter()
        .find(|p| p.outcome.plan == s.baseline)
    {
        series.push(Series {
            name: format!("baseline: {}", s.baseline),
            points: vec![(per_thousand(b.point.cost), b.point.quality)],
            style: Style::Highlight,
            labels: vec![],
        });
    }
    Chart {
        title: format!("{}: cost-quality frontier", s.name),
        x_label: "USD per 1,000 requests".into(),
        y_label: "quality (success rate)".into(),
        series,
    }
}

/// The `points` table's columns.
pub fn columns() -> Vec<Column> {
    vec![
        PLAN,
        ROUTES,
        SINGLE_MODEL,
        COST_PER_REQUEST,
        QUALITY,
        ON_FRONTIER,
        DOMINATED_BY,
        ZERO_ROUTER_QUALITY,
        QUALITY_VS_ZERO_ROUTER,
        ZERO_ROUTER_COST,
        SAVINGS_VS_ZERO_ROUTER_SHARE,
    ]
}
