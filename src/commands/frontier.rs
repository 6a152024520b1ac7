//! `cost frontier [SCENARIO]`: every plan and single model on cost vs
//! quality; the Pareto frontier (non-decreasing convex hull); which plans
//! are dominated and by what; and the "zero router" (the hull of single
//! models alone), which a routing plan must beat to be worth building.

use crate::cli::{FrontierArgs, GlobalArgs};
use crate::engine::frontier::{cost_for, dominator, hull, quality_at, Point};
use crate::engine::{evaluate, PlanOutcome};
use crate::output::write_file;
use crate::plot::{render, Chart, Series, Style};
use crate::report::{col, Kind, Report, Table, Value};
use crate::scenario::{Plan, PlanKind};
use crate::settings::ScenarioInputs;

pub fn run(args: &FrontierArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let run = ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
    let s = &run.scenario;
    let ctx = run.context();
    if s.quality.is_empty() {
        anyhow::bail!("scenario `{}` has no success rates, so there is no quality axis\n  hint: add a `[quality]` table with each model's success rate per class", s.name);
    }
    let singles: Vec<String> = if args.models.is_empty() {
        let mut all: Vec<String> = s
            .quality
            .0
            .values()
            .flat_map(|m| m.keys().cloned())
            .collect();
        all.sort();
        all.dedup();
        all.retain(|m| {
            s.classes
                .iter()
                .all(|c| s.quality.rate(&c.name, m).is_some())
        });
        all
    } else {
        args.models
            .iter()
            .map(|m| ctx.catalog.lookup(m).map(|m| m.id.clone()))
            .collect::<Result<_, _>>()?
    };
    let mut plans: Vec<(Plan, bool)> = s
        .plans
        .iter()
        .map(|p| (p.clone(), matches!(p.kind, PlanKind::Single(_))))
        .collect();
    for m in &singles {
        if !plans
            .iter()
            .any(|(p, _)| p.tier.is_none() && matches!(&p.kind, PlanKind::Single(x) if x == m))
        {
            plans.push((Plan::single(m), true));
        }
    }
    let mut outcomes: Vec<(PlanOutcome, bool)> = Vec::new();
    let mut skipped = Vec::new();
    for (plan, single) in &plans {
        let o = evaluate(s, plan, &ctx)?;
        if o.quality.is_some() {
            outcomes.push((o, *single));
        } else {
            skipped.push(o.plan);
        }
    }
    let points: Vec<Point> = outcomes
        .iter()
        .map(|(o, _)| Point {
            cost: o.per_request.value(),
            quality: o.quality.unwrap_or(0.0),
        })
        .collect();
    let frontier = hull(&points);
    let single_idx: Vec<usize> = (0..outcomes.len()).filter(|&i| outcomes[i].1).collect();
    let single_points: Vec<Point> = single_idx.iter().map(|&i| points[i]).collect();
    let zero = hull(&single_points);
    let mut table = Table::new(
        "points",
        vec![
            col("plan", "plan", Kind::Text),
            col("routes", "routes", Kind::Text),
            col("single_model", "single model", Kind::Flag),
            col("cost_per_request_usd", "$/request", Kind::Usd),
            col("quality", "quality", Kind::Rate),
            col("on_frontier", "on frontier", Kind::Flag),
            col("dominated_by", "dominated by", Kind::Text),
            col(
                "zero_router_quality",
                "zero-router quality at this cost",
                Kind::Rate,
            ),
            col(
                "quality_vs_zero_router",
                "quality vs zero router",
                Kind::Number,
            ),
            col(
                "zero_router_cost_usd",
                "zero-router $/request for this quality",
                Kind::Usd,
            ),
            col(
                "saving_vs_zero_router_pct",
                "saves vs zero router %",
                Kind::Percent,
            ),
        ],
    );
    let mut order: Vec<usize> = (0..outcomes.len()).collect();
    order.sort_by(|&a, &b| {
        points[a]
            .cost
            .total_cmp(&points[b].cost)
            .then(outcomes[a].0.plan.cmp(&outcomes[b].0.plan))
    });
    for i in order {
        let (o, single) = &outcomes[i];
        let p = points[i];
        let zq = quality_at(&single_points, &zero, p.cost);
        let zc = cost_for(&single_points, &zero, p.quality);
        table.push(vec![
            o.plan.clone().into(),
            o.summary.clone().into(),
            Value::Bool(*single),
            p.cost.into(),
            p.quality.into(),
            Value::Bool(frontier.iter().any(|&h| points[h] == p)),
            dominator(&points, i)
                .map(|j| outcomes[j].0.plan.clone())
                .into(),
            zq.into(),
            zq.map(|z| p.quality - z).into(),
            zc.into(),
            zc.filter(|c| *c > 0.0).map(|c| (c - p.cost) / c).into(),
        ]);
    }
    if let Some(path) = &args.plot {
        let hull_series = |name: &str, pts: &[Point], idx: &[usize], style| Series {
            name: name.into(),
            points: idx
                .iter()
                .map(|&i| (pts[i].cost * 1000.0, pts[i].quality))
                .collect(),
            style,
            labels: vec![],
        };
        let mut series = vec![
            hull_series("frontier (all plans)", &points, &frontier, Style::Line),
            hull_series(
                "zero router (mixing single models)",
                &single_points,
                &zero,
                Style::Guide,
            ),
        ];
        for (single, name) in [(true, "single models"), (false, "routing plans")] {
            let idx: Vec<usize> = (0..outcomes.len())
                .filter(|&i| outcomes[i].1 == single)
                .collect();
            series.push(Series {
                name: name.into(),
                points: idx
                    .iter()
                    .map(|&i| (points[i].cost * 1000.0, points[i].quality))
                    .collect(),
                style: Style::Points,
                labels: idx.iter().map(|&i| outcomes[i].0.plan.clone()).collect(),
            });
        }
        if let Some(b) = outcomes.iter().position(|(o, _)| o.plan == s.baseline) {
            series.push(Series {
                name: format!("baseline: {}", s.baseline),
                points: vec![(points[b].cost * 1000.0, points[b].quality)],
                style: Style::Highlight,
                labels: vec![],
            });
        }
        let chart = Chart {
            title: format!("{}: cost-quality frontier", s.name),
            x_label: "USD per 1,000 requests".into(),
            y_label: "quality (success rate)".into(),
            series,
        };
        let svg = render(&chart).map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        write_file(path, svg.as_bytes(), &run.printer)?;
    }
    let mut notes = vec![
        "frontier: the non-decreasing convex hull of (cost, quality) over every plan and single model; any point on it is reachable by randomly mixing its two neighbours".into(),
        "zero router: the same hull over single models only; a routing plan with quality above it at its cost (or cheaper than it at its quality) beats simply mixing models".into(),
    ];
    if !skipped.is_empty() {
        notes.push(format!(
            "left out for lack of success rates: {}",
            skipped.join(", ")
        ));
    }
    notes.push(format!(
        "quality from the scenario's evals{}",
        s.quality_source
            .as_ref()
            .map(|q| format!(" ({q})"))
            .unwrap_or_default()
    ));
    run.printer.emit(&Report {
        command: "frontier",
        title: format!("cost frontier: {} (prices as of {})", s.name, ctx.date),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("baseline", s.baseline.clone().into()),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables: vec![table],
        notes,
    })
}
